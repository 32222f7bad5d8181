/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <json-glib/json-glib.h>

#include <gst/plexus/plexus-base64.h>
#include <gst/plexus/plexus-jpeg.h>

G_BEGIN_DECLS

/* Largest picture a video frame may have (8192 x 8192): decoding is
 * bounded whatever the JPEG claims. */
#define GST_PLEXUS_MAX_PIXELS (8192u * 8192u)

typedef enum {
  GST_PLEXUS_FRAME_UNKNOWN = 0, /* a type this parser does not know */
  GST_PLEXUS_FRAME_TELEMETRY,
  GST_PLEXUS_FRAME_EVENT,
  GST_PLEXUS_FRAME_INIT,
  GST_PLEXUS_FRAME_VIDEO,
  GST_PLEXUS_FRAME_GATEWAY_RECONNECTING,
  GST_PLEXUS_FRAME_ERROR, /* {"type":"error","message":...} */
} GstPlexusFrameType;

/**
 * GstPlexusPoint:
 *
 * One telemetry point or one event. Strings and @value are borrowed from
 * @object and live as long as the frame.
 */
typedef struct
{
  JsonObject *object; /* the point as received */
  const gchar *source_id;
  const gchar *metric;
  const gchar *klass; /* "metric" / "event" / NULL */
  const gchar *trace_id;
  JsonNode *value;          /* any JSON type; NULL when absent */
  gboolean value_is_number; /* a finite JSON number (not a bool) */
  gdouble number;
  gboolean has_timestamp; /* `timestamp` is a finite number >= 0 */
  gdouble timestamp_ms;   /* as sent, int or float milliseconds */
  GstClockTime epoch_ns;  /* timestamp in ns, or NONE */
} GstPlexusPoint;

typedef struct
{
  gchar *camera_id;
  gchar *video_type; /* may be NULL */
} GstPlexusCamera;

typedef struct
{
  gchar *source_id;
  gchar *platform;    /* may be NULL */
  GPtrArray *cameras; /* of GstPlexusCamera* */
} GstPlexusOnlineSource;

/**
 * GstPlexusFrame:
 *
 * One parsed server message. The base64 JPEG of a video frame is not
 * copied: @frame_b64 points into the message text, which must outlive the
 * frame (see gst_plexus_frame_parse_bytes()).
 */
typedef struct
{
  GstPlexusFrameType type;
  gchar *type_name; /* the `type` string as received */
  JsonNode *root;   /* the message without the `frame` text */

  /* telemetry (any number of points) and event (exactly one) */
  GArray *points;     /* of GstPlexusPoint */
  guint n_bad_points; /* entries that are not objects */
  guint n_nonfinite;  /* NaN/Infinity literals replaced by null */

  /* init */
  GPtrArray *online_sources; /* of GstPlexusOnlineSource* */

  /* video_frame */
  const gchar *source_id;
  const gchar *camera_id;
  const gchar *video_type; /* "thermal" or NULL */
  gint width, height;      /* 0 when absent or not a positive int */
  gboolean has_timestamp;
  gdouble timestamp_ms;
  GstClockTime epoch_ns;
  const gchar *frame_b64; /* into the message, may contain `\/` */
  gsize frame_b64_len;
  gboolean thermal;
  gint sensor_width, sensor_height;
  gdouble temp_min, temp_max; /* NaN when absent */
  GArray *temps;              /* of gfloat, or NULL */

  /* gateway_reconnecting */
  gint attempt;
  gint max_attempts; /* 0 when absent (metrics, logs) */
  gdouble delay_s;

  /* error */
  const gchar *message;

  GBytes *payload; /* keeps @frame_b64 valid */
} GstPlexusFrame;

/* Parses one text message. Unknown members are ignored and unknown frame
 * types give GST_PLEXUS_FRAME_UNKNOWN; NaN and Infinity literals (which
 * some encoders write) count as null. NULL with a GST_PLEXUS_ERROR when the
 * message is too large, not a JSON object, or a video_frame without a
 * `frame` string. */
GstPlexusFrame *gst_plexus_frame_parse (
    const gchar *data, gsize len, gsize max_size, GError **error);

/* Same, keeping a reference to @payload so that frame_b64 stays valid. */
GstPlexusFrame *gst_plexus_frame_parse_bytes (
    GBytes *payload, gsize max_size, GError **error);

void gst_plexus_frame_free (GstPlexusFrame *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstPlexusFrame, gst_plexus_frame_free);

const gchar *gst_plexus_frame_type_name (GstPlexusFrameType type);

/* Decodes the video frame's base64 straight into a new buffer and checks
 * its JPEG header against width/height (when given). @info (optional)
 * receives the header. */
GstBuffer *gst_plexus_frame_decode_jpeg (
    const GstPlexusFrame *frame, GstPlexusJpegInfo *info, GError **error);

/* One point as a JSON object text, newline-terminated. */
gchar *gst_plexus_point_to_json (const GstPlexusPoint *point);

/* Builders, for servers and tests. */
GBytes *gst_plexus_video_frame_build (const gchar *source_id,
    const gchar *camera_id, gint width, gint height, gint64 timestamp_ms,
    const guint8 *jpeg, gsize jpeg_len);

G_END_DECLS
