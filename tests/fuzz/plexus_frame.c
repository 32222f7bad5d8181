/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Fuzz target: one Plexus server message through the frame parser, and for
 * video frames the base64 decoding and the JPEG header check.
 */
#include <stdint.h>
#include <gst/plexus/plexus.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static gsize initialized = 0;
  GstPlexusFrame *f;
  guint i;

  /* buffers need the GStreamer allocators */
  if (g_once_init_enter (&initialized)) {
    gst_init (NULL, NULL);
    g_once_init_leave (&initialized, 1);
  }

  f = gst_plexus_frame_parse (
      (const gchar *) data, size, GST_PLEXUS_MAX_MESSAGE_SIZE, NULL);
  if (!f)
    return 0;
  if (f->points) {
    for (i = 0; i < f->points->len; i++)
      g_free (gst_plexus_point_to_json (
          &g_array_index (f->points, GstPlexusPoint, i)));
  }
  if (f->type == GST_PLEXUS_FRAME_VIDEO) {
    GstPlexusJpegInfo info;
    GstBuffer *buf = gst_plexus_frame_decode_jpeg (f, &info, NULL);

    if (buf)
      gst_buffer_unref (buf);
  }
  gst_plexus_frame_free (f);
  return 0;
}
