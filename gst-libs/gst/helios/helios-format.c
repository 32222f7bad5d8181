/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:helios-format
 * @title: HeliOS frame formats
 * @short_description: the fourcc of a frames `format` message as caps, and
 *   raw frame layouts
 *
 * Frames channel: fourcc of the `format` message -> caps. HeliOS does not
 * document its fourcc set; these are the V4L2 names its camera pipelines
 * use, plus the spellings a server might use instead.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "helios-format.h"

#include <string.h>

typedef enum {
  KIND_JPEG,
  KIND_H264,
  KIND_RAW,
} FormatKind;

typedef struct
{
  const gchar *fourcc;
  FormatKind kind;
  GstVideoFormat raw;
} FormatRow;

static const FormatRow formats[] = {
  { "MJPG", KIND_JPEG, GST_VIDEO_FORMAT_UNKNOWN },
  { "JPEG", KIND_JPEG, GST_VIDEO_FORMAT_UNKNOWN },
  { "H264", KIND_H264, GST_VIDEO_FORMAT_UNKNOWN },
  { "YUYV", KIND_RAW, GST_VIDEO_FORMAT_YUY2 },
  { "YUY2", KIND_RAW, GST_VIDEO_FORMAT_YUY2 },
  { "NV12", KIND_RAW, GST_VIDEO_FORMAT_NV12 },
  { "GREY", KIND_RAW, GST_VIDEO_FORMAT_GRAY8 },
  { "GRAY", KIND_RAW, GST_VIDEO_FORMAT_GRAY8 },
  { "Y800", KIND_RAW, GST_VIDEO_FORMAT_GRAY8 },
  { "GRAY8", KIND_RAW, GST_VIDEO_FORMAT_GRAY8 },
  { "RGB3", KIND_RAW, GST_VIDEO_FORMAT_RGB },
  { "RGB", KIND_RAW, GST_VIDEO_FORMAT_RGB },
  { "RGB24", KIND_RAW, GST_VIDEO_FORMAT_RGB },
};

static const FormatRow *
find_format (const gchar *fourcc)
{
  guint i;

  if (fourcc == NULL)
    return NULL;
  for (i = 0; i < G_N_ELEMENTS (formats); i++) {
    if (g_ascii_strcasecmp (formats[i].fourcc, fourcc) == 0)
      return &formats[i];
  }
  return NULL;
}

static gchar *
printable (const gchar *s)
{
  /* the fourcc comes from the network: keep it short and printable */
  g_autofree gchar *cut = g_utf8_make_valid (s, MIN (strlen (s), 32));

  return g_strescape (cut, NULL);
}

/**
 * gst_helios_format_to_caps:
 * @fourcc: the format's fourcc
 * @width: frame width
 * @height: frame height
 * @error: a #GError in %GST_HELIOS_ERROR
 *
 * The frames channel's `format` message -> caps. MJPG -> image/jpeg, H264 ->
 * video/x-h264 (byte-stream, one access unit per message), YUYV, NV12, GREY
 * and RGB3 (and their common aliases) -> video/x-raw. Frame rate is 0/1: the
 * server sends the latest frame whenever it changes. NULL with
 * GST_HELIOS_ERROR_UNKNOWN_FOURCC naming the fourcc otherwise.
 *
 * Returns: (transfer full) (nullable): the caps, or %NULL with @error set
 */
GstCaps *
gst_helios_format_to_caps (
    const gchar *fourcc, guint width, guint height, GError **error)
{
  const FormatRow *row = find_format (fourcc);
  GstVideoInfo info;

  if (row == NULL) {
    g_autofree gchar *shown = printable (fourcc ? fourcc : "");

    g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_UNKNOWN_FOURCC,
        "Unknown frame format fourcc '%s' (known: MJPG, H264, YUYV, NV12, "
        "GREY, RGB3)",
        shown);
    return NULL;
  }
  if (width == 0 || height == 0 || width > 16384 || height > 16384) {
    g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_BAD_FORMAT,
        "Frame size %ux%u out of range", width, height);
    return NULL;
  }
  switch (row->kind) {
    case KIND_JPEG:
      return gst_caps_new_simple ("image/jpeg", "width", G_TYPE_INT, width,
          "height", G_TYPE_INT, height, "framerate", GST_TYPE_FRACTION, 0, 1,
          NULL);
    case KIND_H264:
      return gst_caps_new_simple ("video/x-h264", "stream-format",
          G_TYPE_STRING, "byte-stream", "alignment", G_TYPE_STRING, "au",
          "width", G_TYPE_INT, width, "height", G_TYPE_INT, height, "framerate",
          GST_TYPE_FRACTION, 0, 1, NULL);
    case KIND_RAW:
      gst_video_info_init (&info);
      if (!gst_video_info_set_format (&info, row->raw, width, height)) {
        g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_BAD_FORMAT,
            "Frame size %ux%u not valid for %s", width, height, row->fourcc);
        return NULL;
      }
      return gst_video_info_to_caps (&info);
  }
  g_assert_not_reached ();
  return NULL;
}

/**
 * gst_helios_format_frame_layout:
 * @fourcc: the format's fourcc
 * @width: frame width
 * @height: frame height
 * @layout: (out caller-allocates): the planes
 *
 * Fills @layout for raw formats: tightly packed planes, rows without
 * padding (NV12 chroma rows rounded up to whole samples).
 *
 * Returns: %FALSE for compressed formats (any size) and unknown fourccs
 */
gboolean
gst_helios_format_frame_layout (const gchar *fourcc, guint width, guint height,
    GstHeliosFrameLayout *layout)
{
  const FormatRow *row = find_format (fourcc);
  gsize w = width, h = height;

  memset (layout, 0, sizeof (*layout));
  if (row == NULL || row->kind != KIND_RAW || width == 0 || height == 0 ||
      width > 16384 || height > 16384)
    return FALSE;
  layout->n_planes = 1;
  switch (row->raw) {
    case GST_VIDEO_FORMAT_YUY2:
      layout->stride[0] = 2 * GST_ROUND_UP_2 (w);
      break;
    case GST_VIDEO_FORMAT_GRAY8:
      layout->stride[0] = w;
      break;
    case GST_VIDEO_FORMAT_RGB:
      layout->stride[0] = 3 * w;
      break;
    case GST_VIDEO_FORMAT_NV12:
      layout->n_planes = 2;
      layout->stride[0] = w;
      layout->stride[1] = GST_ROUND_UP_2 (w);
      layout->offset[1] = w * h;
      layout->size = w * h + GST_ROUND_UP_2 (w) * ((h + 1) / 2);
      return TRUE;
    default:
      g_assert_not_reached ();
      return FALSE;
  }
  layout->size = layout->stride[0] * h;
  return TRUE;
}

/**
 * gst_helios_format_frame_size:
 * @fourcc: the format's fourcc
 * @width: frame width
 * @height: frame height
 *
 * Returns: bytes of one raw frame of this format (as
 *   gst_helios_format_frame_layout() lays it out), or 0 for compressed
 *   formats and unknown fourccs
 */
gsize
gst_helios_format_frame_size (const gchar *fourcc, guint width, guint height)
{
  GstHeliosFrameLayout layout;

  if (!gst_helios_format_frame_layout (fourcc, width, height, &layout))
    return 0;
  return layout.size;
}
