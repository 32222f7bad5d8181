/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/sensor/sensor-counters.h>
#include <gst/plexus/plexus-frame.h>
#include <gst/plexus/plexus-jpeg.h>

G_BEGIN_DECLS

/**
 * GST_PLEXUS_FRAME_META_NAME:
 *
 * Name of the custom meta on every video frame: camera-id, width, height,
 * subsampling and, for thermal cameras, video-type, sensor-width,
 * sensor-height, temp-min, temp-max and temps (GBytes of float32).
 */
#define GST_PLEXUS_FRAME_META_NAME "GstPlexusFrameMeta"

GType gst_plexus_frame_meta_api_get_type (void);
void gst_plexus_frame_meta_add (GstBuffer *buf, const GstPlexusFrame *frame,
    const GstPlexusJpegInfo *jpeg, const gchar *camera_id);
gboolean gst_plexus_frame_meta_get_jpeg_info (
    GstBuffer *buf, GstPlexusJpegInfo *jpeg);

gchar **gst_plexus_camera_ids_split (const gchar *ids, const gchar *fallback);

gboolean gst_plexus_rate_limit (gint64 *last_us);

/**
 * GstPlexusVideoCounter:
 * @GST_PLEXUS_VIDEO_FRAMES_RECEIVED: video frames that arrived
 * @GST_PLEXUS_VIDEO_BUFFERS_PUSHED: frames pushed downstream
 * @GST_PLEXUS_VIDEO_DROPPED_BASE64: dropped: `frame` is not base64
 * @GST_PLEXUS_VIDEO_DROPPED_JPEG: dropped: not a JPEG
 * @GST_PLEXUS_VIDEO_DROPPED_SIZE: dropped: size disagrees or too large
 * @GST_PLEXUS_VIDEO_DROPPED_DECODE: dropped: TurboJPEG could not decode it
 * @GST_PLEXUS_VIDEO_DROPPED_NOT_PLAYING: dropped: arrived while not playing
 * @GST_PLEXUS_VIDEO_UNKNOWN_CAMERA: frames of a camera not asked for
 * @GST_PLEXUS_VIDEO_NEGOTIATIONS: caps negotiations
 * @GST_PLEXUS_VIDEO_OVERSIZED_FRAMES: skipped: over max-pixels
 * @GST_PLEXUS_VIDEO_N_COUNTERS: the number of counters
 *
 * The counters of a video stream, each a `stats` field.
 */
typedef enum {
  GST_PLEXUS_VIDEO_FRAMES_RECEIVED,
  GST_PLEXUS_VIDEO_BUFFERS_PUSHED,
  GST_PLEXUS_VIDEO_DROPPED_BASE64,
  GST_PLEXUS_VIDEO_DROPPED_JPEG,
  GST_PLEXUS_VIDEO_DROPPED_SIZE,
  GST_PLEXUS_VIDEO_DROPPED_DECODE,
  GST_PLEXUS_VIDEO_DROPPED_NOT_PLAYING,
  GST_PLEXUS_VIDEO_UNKNOWN_CAMERA,
  GST_PLEXUS_VIDEO_NEGOTIATIONS,
  GST_PLEXUS_VIDEO_OVERSIZED_FRAMES,
  GST_PLEXUS_VIDEO_N_COUNTERS,
} GstPlexusVideoCounter;

/**
 * GstPlexusVideoStats:
 *
 * Thread-safe counters of a video stream and the state of its
 * rate-limited warnings. Initialise with gst_plexus_video_stats_init().
 */
typedef struct
{
  /*< private >*/
  GMutex lock; /* the warning state */
  GstSensorCounters *counters;
  gint64 last_warn_us;
  gboolean oversized_warned;
} GstPlexusVideoStats;

void gst_plexus_video_stats_init (GstPlexusVideoStats *stats);
void gst_plexus_video_stats_clear (GstPlexusVideoStats *stats);
void gst_plexus_video_stats_reset (GstPlexusVideoStats *stats);
void gst_plexus_video_stats_inc (
    GstPlexusVideoStats *stats, GstPlexusVideoCounter counter);
gboolean gst_plexus_video_stats_drop (
    GstPlexusVideoStats *stats, GstPlexusVideoCounter counter);
gboolean gst_plexus_video_stats_oversized (GstPlexusVideoStats *stats);
void gst_plexus_video_stats_fill (
    GstPlexusVideoStats *stats, GstStructure *structure);
GstPlexusVideoCounter gst_plexus_video_drop_reason (const GError *error);

G_END_DECLS
