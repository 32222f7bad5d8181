/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:plexus-video
 * @title: Plexus video frames
 * @short_description: the frame meta, camera lists and counters of a
 *   Plexus video stream
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/video/video.h>

#include "plexus-base64.h"
#include "plexus-video.h"

#define WARN_INTERVAL_US (5 * G_USEC_PER_SEC)

static const GstSensorCounterInfo counter_info[GST_PLEXUS_VIDEO_N_COUNTERS] = {
  { "frames-received", "video frames received" },
  { "buffers-pushed", "buffers pushed" },
  { "dropped-corrupt-base64", "frames dropped: corrupt base64" },
  { "dropped-corrupt-jpeg", "frames dropped: not a JPEG" },
  { "dropped-size-mismatch", "frames dropped: size unlike the header's" },
  { "dropped-decode-error", "frames dropped: the decoder failed" },
  { "dropped-not-playing", "frames dropped: not PLAYING" },
  { "unknown-camera", "frames of a camera not asked for" },
  { "negotiations", "caps negotiations" },
  { "oversized-frames", "frames skipped for their size" },
};

/**
 * gst_plexus_frame_meta_api_get_type:
 *
 * Registers the custom meta %GST_PLEXUS_FRAME_META_NAME on first use.
 *
 * Returns: its API type
 */
GType
gst_plexus_frame_meta_api_get_type (void)
{
  static gsize api = 0;

  if (g_once_init_enter (&api)) {
    static const gchar *tags[] = { GST_META_TAG_VIDEO_STR, NULL };
    const GstMetaInfo *info = gst_meta_get_info (GST_PLEXUS_FRAME_META_NAME);

    if (!info)
      info = gst_meta_register_custom (
          GST_PLEXUS_FRAME_META_NAME, tags, NULL, NULL, NULL);
    g_once_init_leave (&api, info->api);
  }
  return api;
}

/**
 * gst_plexus_frame_meta_add:
 * @buf: a writable buffer
 * @frame: the video frame @buf holds
 * @jpeg: what its JPEG header says
 * @camera_id: the camera, for a frame that names none
 *
 * Adds the %GST_PLEXUS_FRAME_META_NAME meta describing @frame to @buf.
 */
void
gst_plexus_frame_meta_add (GstBuffer *buf, const GstPlexusFrame *frame,
    const GstPlexusJpegInfo *jpeg, const gchar *camera_id)
{
  GstCustomMeta *meta;
  GstStructure *s;

  gst_plexus_frame_meta_api_get_type ();
  meta = gst_buffer_add_custom_meta (buf, GST_PLEXUS_FRAME_META_NAME);
  s = gst_custom_meta_get_structure (meta);
  gst_structure_set (s, "camera-id", G_TYPE_STRING,
      frame->camera_id ? frame->camera_id : camera_id, "width", G_TYPE_INT,
      (gint) jpeg->width, "height", G_TYPE_INT, (gint) jpeg->height,
      "subsampling", G_TYPE_STRING,
      gst_plexus_jpeg_subsampling_name (jpeg->subsampling), NULL);
  if (frame->video_type)
    gst_structure_set (s, "video-type", G_TYPE_STRING, frame->video_type, NULL);
  if (!frame->thermal)
    return;
  gst_structure_set (s, "sensor-width", G_TYPE_INT, frame->sensor_width,
      "sensor-height", G_TYPE_INT, frame->sensor_height, "temp-min",
      G_TYPE_DOUBLE, frame->temp_min, "temp-max", G_TYPE_DOUBLE,
      frame->temp_max, NULL);
  if (frame->temps && frame->temps->len > 0) {
    GBytes *temps =
        g_bytes_new (frame->temps->data, frame->temps->len * sizeof (gfloat));

    gst_structure_set (s, "temps", G_TYPE_BYTES, temps, NULL);
    g_bytes_unref (temps);
  }
}

/**
 * gst_plexus_frame_meta_get_jpeg_info:
 * @buf: a buffer
 * @jpeg: (out caller-allocates): width, height and subsampling from the meta
 *
 * Reads back what gst_plexus_frame_meta_add() recorded of the JPEG header.
 *
 * Returns: %FALSE when @buf has no such meta
 */
gboolean
gst_plexus_frame_meta_get_jpeg_info (GstBuffer *buf, GstPlexusJpegInfo *jpeg)
{
  GstCustomMeta *meta =
      gst_buffer_get_custom_meta (buf, GST_PLEXUS_FRAME_META_NAME);
  GstStructure *s;
  const gchar *ss;
  gint w = 0, h = 0;

  memset (jpeg, 0, sizeof (*jpeg));
  if (!meta)
    return FALSE;
  s = gst_custom_meta_get_structure (meta);
  ss = gst_structure_get_string (s, "subsampling");
  gst_structure_get_int (s, "width", &w);
  gst_structure_get_int (s, "height", &h);
  jpeg->width = w;
  jpeg->height = h;
  for (jpeg->subsampling = GST_PLEXUS_JPEG_SUBSAMPLING_UNKNOWN;
       jpeg->subsampling <= GST_PLEXUS_JPEG_SUBSAMPLING_411;
       jpeg->subsampling++)
    if (g_strcmp0 (gst_plexus_jpeg_subsampling_name (jpeg->subsampling), ss) ==
        0)
      break;
  return TRUE;
}

/**
 * gst_plexus_camera_ids_split:
 * @ids: (nullable): camera IDs, comma-separated
 * @fallback: the camera when @ids names none
 *
 * Splits @ids, strips blanks and drops empty and repeated IDs, keeping the
 * first occurrence's order.
 *
 * Returns: (transfer full) (array zero-terminated=1): at least one ID
 */
gchar **
gst_plexus_camera_ids_split (const gchar *ids, const gchar *fallback)
{
  g_auto (GStrv) parts = g_strsplit (ids && *ids ? ids : fallback, ",", -1);
  GPtrArray *out = g_ptr_array_new ();
  guint i;

  for (i = 0; parts[i]; i++) {
    gchar *id = g_strstrip (parts[i]);
    guint j;
    gboolean dup = FALSE;

    for (j = 0; j < out->len; j++)
      dup |= strcmp (g_ptr_array_index (out, j), id) == 0;
    if (*id && !dup)
      g_ptr_array_add (out, g_strdup (id));
  }
  if (out->len == 0)
    g_ptr_array_add (out, g_strdup (fallback));
  g_ptr_array_add (out, NULL);
  return (gchar **) g_ptr_array_free (out, FALSE);
}

/**
 * gst_plexus_rate_limit:
 * @last_us: (inout): monotonic time of the last warning, 0 for none
 *
 * Whether a warning about bad input may go out now: at most one every 5 s;
 * the rest are only counted. Call it under the lock that guards @last_us.
 *
 * Returns: %TRUE when the warning may go out (and @last_us is now)
 */
gboolean
gst_plexus_rate_limit (gint64 *last_us)
{
  gint64 now = g_get_monotonic_time ();

  if (*last_us != 0 && now - *last_us < WARN_INTERVAL_US)
    return FALSE;
  *last_us = now;
  return TRUE;
}

/**
 * gst_plexus_video_stats_init:
 * @stats: (out caller-allocates): counters
 *
 * Initialises @stats to zero.
 */
void
gst_plexus_video_stats_init (GstPlexusVideoStats *stats)
{
  memset (stats, 0, sizeof (*stats));
  g_mutex_init (&stats->lock);
  stats->counters =
      gst_sensor_counters_new (counter_info, GST_PLEXUS_VIDEO_N_COUNTERS);
}

/**
 * gst_plexus_video_stats_clear:
 * @stats: counters
 *
 * Frees what gst_plexus_video_stats_init() set up.
 */
void
gst_plexus_video_stats_clear (GstPlexusVideoStats *stats)
{
  g_mutex_clear (&stats->lock);
  g_clear_pointer (&stats->counters, gst_sensor_counters_free);
}

/**
 * gst_plexus_video_stats_reset:
 * @stats: counters
 *
 * Sets every counter to zero and re-arms the warnings, for a new session.
 */
void
gst_plexus_video_stats_reset (GstPlexusVideoStats *stats)
{
  gst_sensor_counters_reset (stats->counters);
  g_mutex_lock (&stats->lock);
  stats->oversized_warned = FALSE;
  g_mutex_unlock (&stats->lock);
}

/**
 * gst_plexus_video_stats_inc:
 * @stats: counters
 * @counter: which one
 *
 * Adds one to @counter.
 */
void
gst_plexus_video_stats_inc (
    GstPlexusVideoStats *stats, GstPlexusVideoCounter counter)
{
  g_return_if_fail (counter < GST_PLEXUS_VIDEO_N_COUNTERS);
  gst_sensor_counters_add (stats->counters, counter, 1);
}

/**
 * gst_plexus_video_stats_drop:
 * @stats: counters
 * @counter: the drop reason
 *
 * Counts a dropped frame.
 *
 * Returns: %TRUE when it should be warned about (gst_plexus_rate_limit())
 */
gboolean
gst_plexus_video_stats_drop (
    GstPlexusVideoStats *stats, GstPlexusVideoCounter counter)
{
  gboolean warn;

  g_return_val_if_fail (counter < GST_PLEXUS_VIDEO_N_COUNTERS, FALSE);
  gst_sensor_counters_add (stats->counters, counter, 1);
  g_mutex_lock (&stats->lock);
  warn = gst_plexus_rate_limit (&stats->last_warn_us);
  g_mutex_unlock (&stats->lock);
  return warn;
}

/**
 * gst_plexus_video_stats_oversized:
 * @stats: counters
 *
 * Counts a frame skipped for its size.
 *
 * Returns: %TRUE the first time since the last reset: only that one is
 *   warned about
 */
gboolean
gst_plexus_video_stats_oversized (GstPlexusVideoStats *stats)
{
  gboolean warn;

  gst_sensor_counters_add (
      stats->counters, GST_PLEXUS_VIDEO_OVERSIZED_FRAMES, 1);
  g_mutex_lock (&stats->lock);
  warn = !stats->oversized_warned;
  stats->oversized_warned = TRUE;
  g_mutex_unlock (&stats->lock);
  return warn;
}

/**
 * gst_plexus_video_stats_fill:
 * @stats: counters
 * @structure: where to set them
 *
 * Sets one guint64 field per counter in @structure.
 */
void
gst_plexus_video_stats_fill (
    GstPlexusVideoStats *stats, GstStructure *structure)
{
  gst_sensor_counters_fill (stats->counters, structure);
}

/**
 * gst_plexus_video_drop_reason:
 * @error: why gst_plexus_frame_decode_jpeg() refused a frame
 *
 * Returns: the counter of that drop
 */
GstPlexusVideoCounter
gst_plexus_video_drop_reason (const GError *error)
{
  if (g_error_matches (error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_BAD_BASE64))
    return GST_PLEXUS_VIDEO_DROPPED_BASE64;
  if (g_error_matches (
          error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_SIZE_MISMATCH) ||
      g_error_matches (error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_TOO_LARGE))
    return GST_PLEXUS_VIDEO_DROPPED_SIZE;
  return GST_PLEXUS_VIDEO_DROPPED_JPEG;
}
