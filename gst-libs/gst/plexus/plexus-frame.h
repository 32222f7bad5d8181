/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <json-glib/json-glib.h>

#include <gst/plexus/plexus-base64.h>
#include <gst/plexus/plexus-jpeg.h>

G_BEGIN_DECLS

/**
 * GST_PLEXUS_MAX_PIXELS:
 *
 * Largest picture a video frame may have (8192 x 8192): decoding is
 * bounded whatever the JPEG claims.
 */
#define GST_PLEXUS_MAX_PIXELS (8192u * 8192u)

/**
 * GstPlexusFrameType:
 * @GST_PLEXUS_FRAME_UNKNOWN: a `type` this parser does not know
 * @GST_PLEXUS_FRAME_TELEMETRY: `telemetry`: any number of points
 * @GST_PLEXUS_FRAME_EVENT: `event`: exactly one point
 * @GST_PLEXUS_FRAME_INIT: `init`: the sources online and their cameras
 * @GST_PLEXUS_FRAME_VIDEO: `video_frame`: one base64 JPEG
 * @GST_PLEXUS_FRAME_GATEWAY_RECONNECTING: `gateway_reconnecting`: the
 *   server lost its upstream and retries
 * @GST_PLEXUS_FRAME_ERROR: `{"type":"error","message":...}`
 *
 * What a server message is, by its `type` member.
 */
typedef enum {
  GST_PLEXUS_FRAME_UNKNOWN = 0,
  GST_PLEXUS_FRAME_TELEMETRY,
  GST_PLEXUS_FRAME_EVENT,
  GST_PLEXUS_FRAME_INIT,
  GST_PLEXUS_FRAME_VIDEO,
  GST_PLEXUS_FRAME_GATEWAY_RECONNECTING,
  GST_PLEXUS_FRAME_ERROR,
} GstPlexusFrameType;

/**
 * GstPlexusPoint:
 * @object: the point as received
 * @source_id: (nullable): its `source_id`
 * @metric: (nullable): its `metric` (the event name of an event)
 * @klass: (nullable): its `class`: "metric", "event" or %NULL
 * @trace_id: (nullable): its `trace_id`
 * @value: (nullable): its `value`, any JSON type; %NULL when absent
 * @value_is_number: @value is a finite JSON number (not a boolean)
 * @number: @value as a number when @value_is_number
 * @has_timestamp: `timestamp` is a finite number >= 0
 * @timestamp_ms: `timestamp` as sent, int or float milliseconds
 * @epoch_ns: @timestamp_ms in ns, or %GST_CLOCK_TIME_NONE
 *
 * One telemetry point or one event. Strings and @value are borrowed from
 * @object and live as long as the frame.
 */
typedef struct
{
  JsonObject *object;
  const gchar *source_id;
  const gchar *metric;
  const gchar *klass;
  const gchar *trace_id;
  JsonNode *value;
  gboolean value_is_number;
  gdouble number;
  gboolean has_timestamp;
  gdouble timestamp_ms;
  GstClockTime epoch_ns;
} GstPlexusPoint;

/**
 * GstPlexusCamera:
 * @camera_id: the camera's id within its source
 * @video_type: (nullable): "thermal", another kind, or %NULL
 *
 * One camera of an online source, from an `init` message.
 */
typedef struct
{
  gchar *camera_id;
  gchar *video_type;
} GstPlexusCamera;

/**
 * GstPlexusOnlineSource:
 * @source_id: the source's id
 * @platform: (nullable): what the source runs on, %NULL when not said
 * @cameras: (element-type GstPlexusCamera): its cameras
 *
 * One source an `init` message lists as online.
 */
typedef struct
{
  gchar *source_id;
  gchar *platform;
  GPtrArray *cameras;
} GstPlexusOnlineSource;

/**
 * GstPlexusFrame:
 * @type: what the message is
 * @type_name: the `type` string as received
 * @root: the message without the `frame` text
 * @points: (element-type GstPlexusPoint): telemetry points (any number) or
 *   the event (exactly one)
 * @n_bad_points: telemetry entries that are not objects (skipped)
 * @n_nonfinite: NaN and Infinity literals replaced by null
 * @online_sources: (element-type GstPlexusOnlineSource): `init`: the
 *   sources online
 * @source_id: video: the source the frame is from
 * @camera_id: video: its camera
 * @video_type: (nullable): video: "thermal" or %NULL
 * @width: video: picture width, 0 when absent or not a positive integer
 * @height: video: picture height, 0 likewise
 * @has_timestamp: video: `timestamp` is a finite number >= 0
 * @timestamp_ms: video: `timestamp` as sent, in milliseconds
 * @epoch_ns: video: @timestamp_ms in ns, or %GST_CLOCK_TIME_NONE
 * @frame_b64: (array length=frame_b64_len): video: the base64 JPEG, into
 *   the message text (not NUL-terminated; may contain `\/`)
 * @frame_b64_len: video: its length in bytes
 * @thermal: video: @video_type is "thermal"
 * @sensor_width: thermal: width of the temperature grid, 0 when absent
 * @sensor_height: thermal: its height, 0 when absent
 * @temp_min: thermal: lowest temperature, NaN when absent
 * @temp_max: thermal: highest temperature, NaN when absent
 * @temps: (element-type gfloat) (nullable): thermal: the temperature grid
 * @attempt: gateway_reconnecting: the server's attempt number
 * @max_attempts: gateway_reconnecting: its budget, 0 when absent (metrics
 *   and logs servers do not send it)
 * @delay_s: gateway_reconnecting: seconds until the attempt, 0 when absent
 * @message: (nullable): error: what the server said
 * @payload: (nullable): the message, when parsed with
 *   gst_plexus_frame_parse_bytes(); keeps @frame_b64 valid
 *
 * One parsed server message. The base64 JPEG of a video frame is not
 * copied: @frame_b64 points into the message text, which must outlive the
 * frame (see gst_plexus_frame_parse_bytes()).
 */
typedef struct
{
  GstPlexusFrameType type;
  gchar *type_name;
  JsonNode *root;

  GArray *points;
  guint n_bad_points;
  guint n_nonfinite;

  GPtrArray *online_sources;

  const gchar *source_id;
  const gchar *camera_id;
  const gchar *video_type;
  gint width, height;
  gboolean has_timestamp;
  gdouble timestamp_ms;
  GstClockTime epoch_ns;
  const gchar *frame_b64;
  gsize frame_b64_len;
  gboolean thermal;
  gint sensor_width, sensor_height;
  gdouble temp_min, temp_max;
  GArray *temps;

  gint attempt;
  gint max_attempts;
  gdouble delay_s;

  const gchar *message;

  GBytes *payload;
} GstPlexusFrame;

GstPlexusFrame *gst_plexus_frame_parse (
    const gchar *data, gsize len, gsize max_size, GError **error);

GstPlexusFrame *gst_plexus_frame_parse_bytes (
    GBytes *payload, gsize max_size, GError **error);

void gst_plexus_frame_free (GstPlexusFrame *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstPlexusFrame, gst_plexus_frame_free);

const gchar *gst_plexus_frame_type_name (GstPlexusFrameType type);

GstBuffer *gst_plexus_frame_decode_jpeg (
    const GstPlexusFrame *frame, GstPlexusJpegInfo *info, GError **error);

gchar *gst_plexus_point_to_json (const GstPlexusPoint *point);

GBytes *gst_plexus_video_frame_build (const gchar *source_id,
    const gchar *camera_id, gint width, gint height, gint64 timestamp_ms,
    const guint8 *jpeg, gsize jpeg_len);

G_END_DECLS
