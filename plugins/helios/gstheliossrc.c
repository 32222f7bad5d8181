/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-heliossrc
 * @title: heliossrc
 *
 * Reads one channel of a HeliOS device. Each channel is its own WebSocket
 * path under /v1/ws (device.telemetry is /v1/ws/telemetry, and so on).
 * JSON channels give application/x-json, one message per buffer,
 * newline-terminated; streams.<uuid>.frames gives one buffer per binary
 * message with caps from the latest `format` message (MJPG -> image/jpeg,
 * H264 -> video/x-h264, YUYV/NV12/GREY/RGB3 -> video/x-raw).
 *
 * Buffers are timestamped with the running time at which the message
 * arrived and carry the epoch time as a timestamp/x-unix reference meta.
 *
 * Messages go from the network thread to the streaming thread through a
 * bounded queue (max-queue messages and max-queue-bytes bytes). When it is
 * full the oldest queued record or frame is dropped (counted in stats as
 * "dropped" and "dropped-bytes", the buffer after the gap flagged
 * DISCONT): for a live device the newest data matters most, as on the
 * device itself ("latest frame wins"). Format changes, EOS and errors are
 * never dropped.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 heliossrc channel=device.telemetry ! fakesink dump=true
 * gst-launch-1.0 heliossrc channel=streams.<uuid>.frames ! jpegdec ! \
 *     autovideosink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstheliossrc.h"
#include "gsthelioselements.h"

#include <string.h>
#include <gst/helios/helios.h>
#include <gst/sensornet/sensornet-failure.h>
#include <gst/sensornet/sensornet-props.h>
#include <gst/sensornet/sensornet-ws-client.h>
#include <gst/sensor/sensor.h>
#include <gst/sensor/sensor-caps.h>
#include <gst/sensor/sensor-field.h>
#include <gst/video/video.h>

GST_DEBUG_CATEGORY_STATIC (helios_src_debug);
#define GST_CAT_DEFAULT helios_src_debug

#define DEFAULT_LOCATION "ws://localhost:5800"
#define DEFAULT_CHANNEL "device.telemetry"
#define DEFAULT_KINDS "imu,power,firmware,lighting"
#define DEFAULT_MAX_QUEUE 32
#define DEFAULT_MAX_QUEUE_BYTES (G_GUINT64_CONSTANT (64) << 20)
#define DEFAULT_MAX_MESSAGE (64 * 1024 * 1024)

/* The timeout also bounds the AsyncAPI document fetch. */
static const GstSensorNetPropsDefaults net_defaults = {
  GST_SENSOR_NET_PROPS_FLAG_NONE,
  10,
  0,
  "Connect, upgrade and AsyncAPI fetch timeout in seconds (0 = none)",
  DEFAULT_MAX_MESSAGE,
};

enum {
  PROP_0,
  PROP_LOCATION,
  PROP_CHANNEL,
  PROP_INTERVAL_MS,
  PROP_LIMIT,
  PROP_HEARTBEAT_MS,
  PROP_KINDS,
  PROP_OUTPUT,
  PROP_RESTORE,
  PROP_POLL_MS,
  PROP_SOURCE,
  PROP_LINES,
  PROP_FOLLOW,
  PROP_MAX_QUEUE,
  PROP_STATS,
  PROP_MAX_QUEUE_BYTES,
  PROP_NET, /* GST_SENSOR_NET_PROPS_N ids from here */
};

/* What the network thread hands over besides buffers, as custom downstream
 * events that create() consumes: the caps of the frames that follow, and
 * the end of the session with an error (posted already when "error" is
 * absent). A buffer's PTS holds the clock time of its arrival until
 * create() turns it into running time. */
#define FORMAT_EVENT "helios-format"
#define ERROR_EVENT "helios-error"

/* the element's own counters; the session keeps the connection's */
enum {
  COUNTER_BUFFERS_PUSHED,
  N_COUNTERS,
};

static const GstSensorCounterInfo counter_info[N_COUNTERS] = {
  { "buffers-pushed", "frames pushed downstream" },
};

struct _GstHeliosSrc
{
  GstPushSrc parent;

  /* properties, under the object lock */
  gchar *location;
  gchar *channel;
  gint interval_ms;
  gint limit;
  gint heartbeat_ms;
  gchar *kinds;
  gchar *output;
  gboolean restore;
  gint poll_ms;
  gchar *source;
  gint lines;
  gboolean follow;
  GstSensorNetProps net;
  guint max_queue;
  guint64 max_queue_bytes;

  GstSensorHandoffQueue *queue;

  /* under lock */
  GMutex lock;
  /* made in start(), stopped in stop(), kept until the next start() so
   * that its counters stay readable */
  GstHeliosSession *session;
  gboolean running; /* between start() and stop(): live changes go out */
  GstSensorCounters *counters; /* COUNTER_*, since start; atomic */

  /* streaming thread */
  gboolean raw; /* frames are video/x-raw: add a video meta */
  GstVideoInfo vinfo;
  GstHeliosFrameLayout layout;
  GstCaps *caps;
  GstClockTime last_pts;
};

#define JSON_CAPS "application/x-json"

static GstStaticPadTemplate src_template =
    GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (JSON_CAPS "; " GST_HELIOS_FRAME_CAPS));

#define gst_helios_src_parent_class parent_class
G_DEFINE_TYPE (GstHeliosSrc, gst_helios_src, GST_TYPE_PUSH_SRC);
GST_ELEMENT_REGISTER_DEFINE (
    heliossrc, "heliossrc", GST_RANK_NONE, GST_TYPE_HELIOS_SRC);

static void
enqueue_event (GstHeliosSrc *self, GstStructure *s)
{
  gst_sensor_handoff_queue_push (self->queue,
      GST_MINI_OBJECT (gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM, s)));
}

static void
post_error (GstHeliosSrc *self, GstMessageType type, const GError *error,
    const gchar *debug, GstStructure *details)
{
  gst_element_message_full_with_details (GST_ELEMENT (self), type,
      error->domain, error->code, g_strdup (error->message), g_strdup (debug),
      __FILE__, GST_FUNCTION, __LINE__,
      details ? details : gst_structure_new_empty ("details"));
}

/* ---- network thread: session callbacks ---- */

static GstClockTime
clock_now (GstHeliosSrc *self)
{
  GstClock *clock = gst_element_get_clock (GST_ELEMENT (self));
  GstClockTime now = GST_CLOCK_TIME_NONE;

  if (clock) {
    now = gst_clock_get_time (clock);
    gst_object_unref (clock);
  }
  return now;
}

static void
on_state (GstHeliosSession *session, GstStructure *state, gpointer user_data)
{
  gst_sensor_net_post_connection_state (GST_ELEMENT (user_data), state);
}

static void
on_data (GstHeliosSession *session, GBytes *payload, gboolean discont,
    gpointer user_data)
{
  GstHeliosSrc *self = user_data;
  GstBuffer *buf = gst_buffer_new_wrapped_bytes (payload);

  g_bytes_unref (payload);
  GST_BUFFER_PTS (buf) = clock_now (self);
  if (discont)
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
  gst_sensor_handoff_queue_push (self->queue, GST_MINI_OBJECT (buf));
}

static void
on_format (GstHeliosSession *session, const gchar *fourcc, guint width,
    guint height, GstCaps *caps, gpointer user_data)
{
  enqueue_event (user_data,
      gst_structure_new (FORMAT_EVENT, "caps", GST_TYPE_CAPS, caps, "fourcc",
          G_TYPE_STRING, fourcc, "width", G_TYPE_UINT, width, "height",
          G_TYPE_UINT, height, NULL));
}

static void
on_warning (GstHeliosSession *session, const GError *error, const gchar *debug,
    GstStructure *details, gpointer user_data)
{
  post_error (user_data, GST_MESSAGE_WARNING, error, debug, details);
}

static void
on_failure (GstHeliosSession *session, GstSensorNetFailureKind kind,
    const GstSensorNetWsCloseInfo *info, guint failures, gpointer user_data)
{
  const gchar *uri = gst_helios_session_get_uri (session);

  if (kind == GST_SENSOR_NET_FAILURE_FATAL)
    gst_sensor_net_post_fatal (GST_ELEMENT (user_data), info, uri);
  else
    gst_sensor_net_post_transient (
        GST_ELEMENT (user_data), info, uri, failures);
}

/* The end goes through the queue so that what came before is pushed
 * first; an error posted already leaves an empty error event. */
static void
on_end (GstHeliosSession *session, GstHeliosSessionEnd how, const GError *error,
    const gchar *debug, GstStructure *details, gpointer user_data)
{
  GstHeliosSrc *self = user_data;
  GstStructure *s;

  switch (how) {
    case GST_HELIOS_SESSION_END_EOS:
      gst_sensor_handoff_queue_push (
          self->queue, GST_MINI_OBJECT (gst_event_new_eos ()));
      return;
    case GST_HELIOS_SESSION_END_STREAM_ERROR:
      s = gst_structure_new (ERROR_EVENT, "error", G_TYPE_ERROR, error, "debug",
          G_TYPE_STRING, debug, NULL);
      if (details) {
        gst_structure_set (s, "details", GST_TYPE_STRUCTURE, details, NULL);
        gst_structure_free (details);
      }
      enqueue_event (self, s);
      return;
    case GST_HELIOS_SESSION_END_LOST:
      post_error (self, GST_MESSAGE_ERROR, error, debug, details);
      break;
    case GST_HELIOS_SESSION_END_FATAL:
      break;
  }
  enqueue_event (self, gst_structure_new_empty (ERROR_EVENT));
}

static const GstHeliosSessionCallbacks session_callbacks = {
  .state = on_state,
  .data = on_data,
  .format = on_format,
  .warning = on_warning,
  .failure = on_failure,
  .end = on_end,
};

/* ---- start / stop ---- */

/* interval-ms or kinds changed while playing: the session sends what the
 * channel takes (see gst_helios_session_update_live()). */
static void
update_live (GstHeliosSrc *self)
{
  g_autofree gchar *kinds = NULL;
  g_autoptr (GError) err = NULL;
  gint interval;

  GST_OBJECT_LOCK (self);
  kinds = g_strdup (self->kinds);
  interval = self->interval_ms;
  GST_OBJECT_UNLOCK (self);

  g_mutex_lock (&self->lock);
  if (self->running &&
      !gst_helios_session_update_live (self->session, kinds, interval, &err))
    GST_WARNING_OBJECT (self, "keeping the subscription: %s", err->message);
  g_mutex_unlock (&self->lock);
}

static GstHeliosSession *
new_session (GstHeliosSrc *self, GError **err)
{
  GstHeliosSessionParams p;
  GstHeliosSession *session;

  GST_OBJECT_LOCK (self);
  p.location = self->location;
  p.channel = self->channel;
  p.interval_ms = self->interval_ms;
  p.limit = self->limit;
  p.heartbeat_ms = self->heartbeat_ms;
  p.kinds = self->kinds;
  p.output = self->output;
  p.restore = self->restore;
  p.poll_ms = self->poll_ms;
  p.source = self->source;
  p.lines = self->lines;
  p.follow = self->follow;
  session = gst_helios_session_new (&p, &session_callbacks, self, NULL, err);
  GST_OBJECT_UNLOCK (self);
  return session;
}

static gboolean
gst_helios_src_start (GstBaseSrc *bsrc)
{
  GstHeliosSrc *self = GST_HELIOS_SRC (bsrc);
  g_autoptr (GError) err = NULL;
  g_auto (GStrv) served = NULL;
  GstHeliosSession *session, *old;
  GstSensorNetWsConfig config;

  session = new_session (self, &err);
  if (session == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s", err->message), (NULL));
    return FALSE;
  }

  gst_sensor_net_ws_config_init (&config);
  GST_OBJECT_LOCK (self);
  gst_sensor_net_props_apply (&self->net, &config);
  gst_sensor_handoff_queue_set_limits (
      self->queue, self->max_queue, self->max_queue_bytes);
  gst_clear_caps (&self->caps);
  GST_OBJECT_UNLOCK (self);

  /* a device that lists its channels: refuse one it does not have */
  served = gst_helios_session_fetch_channels (session, &config);
  if (served &&
      !gst_helios_asyncapi_lists (
          (const gchar *const *) served, self->channel)) {
    g_autofree gchar *list = g_strjoinv (", ", served);

    GST_ELEMENT_ERROR_WITH_DETAILS (self, RESOURCE, NOT_FOUND,
        ("HeliOS device at %s has no channel '%s'; it serves: %s",
            self->location, self->channel, list),
        (NULL),
        ("channel", G_TYPE_STRING, self->channel, "channels", G_TYPE_STRING,
            list, NULL));
    gst_helios_session_free (session);
    gst_sensor_net_ws_config_clear (&config);
    return FALSE;
  }

  gst_sensor_handoff_queue_flush (self->queue);
  gst_sensor_handoff_queue_reset_stats (self->queue);
  gst_sensor_handoff_queue_set_flushing (self->queue, FALSE);
  self->last_pts = GST_CLOCK_TIME_NONE;
  g_mutex_lock (&self->lock);
  old = self->session;
  self->session = session;
  self->running = TRUE;
  g_mutex_unlock (&self->lock);
  gst_sensor_counters_reset (self->counters);
  gst_helios_session_free (old);

  gst_helios_session_start (session, &config);
  gst_sensor_net_ws_config_clear (&config);
  return TRUE;
}

static gboolean
gst_helios_src_stop (GstBaseSrc *bsrc)
{
  GstHeliosSrc *self = GST_HELIOS_SRC (bsrc);

  g_mutex_lock (&self->lock);
  self->running = FALSE;
  g_mutex_unlock (&self->lock);
  /* no callback after this: nothing is queued behind the flush */
  if (self->session)
    gst_helios_session_stop (self->session);
  gst_sensor_handoff_queue_set_flushing (self->queue, TRUE);
  gst_sensor_handoff_queue_flush (self->queue);
  GST_OBJECT_LOCK (self);
  gst_clear_caps (&self->caps);
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

/* ---- streaming thread ---- */

static GstCaps *
gst_helios_src_get_caps (GstBaseSrc *bsrc, GstCaps *filter)
{
  GstHeliosSrc *self = GST_HELIOS_SRC (bsrc);
  const GstHeliosChannel *chan = NULL;
  GstCaps *caps;

  GST_OBJECT_LOCK (self);
  if (self->caps)
    caps = gst_caps_ref (self->caps);
  else if (self->channel &&
      (chan = gst_helios_channel_lookup (self->channel, NULL, NULL)) &&
      chan->payload == GST_HELIOS_PAYLOAD_FRAMES)
    caps = gst_caps_from_string (GST_HELIOS_FRAME_CAPS);
  else if (chan)
    caps = gst_caps_from_string (JSON_CAPS);
  else
    caps = gst_pad_get_pad_template_caps (GST_BASE_SRC_PAD (bsrc));
  GST_OBJECT_UNLOCK (self);

  caps = gst_sensor_caps_filter (caps, filter);
  return caps;
}

static gboolean
gst_helios_src_negotiate (GstBaseSrc *bsrc)
{
  GstHeliosSrc *self = GST_HELIOS_SRC (bsrc);
  const GstHeliosChannel *chan = NULL;
  GstCaps *caps = NULL;
  gboolean ret = TRUE;

  g_mutex_lock (&self->lock);
  if (self->session)
    chan = gst_helios_session_get_channel (self->session);
  g_mutex_unlock (&self->lock);
  GST_OBJECT_LOCK (self);
  if (self->caps)
    caps = gst_caps_ref (self->caps);
  else if (chan && chan->payload == GST_HELIOS_PAYLOAD_JSON)
    caps = gst_caps_from_string (JSON_CAPS);
  GST_OBJECT_UNLOCK (self);

  /* frames: nothing to say before the first format message */
  if (caps) {
    ret = gst_base_src_set_caps (bsrc, caps);
    gst_caps_unref (caps);
  }
  return ret;
}

/* An error event from the network thread: post it unless it was posted
 * already; the stream ends either way. */
static GstFlowReturn
post_queued_error (GstHeliosSrc *self, const GstStructure *s)
{
  GError *error = NULL;
  GstStructure *details = NULL;

  gst_structure_get (s, "error", G_TYPE_ERROR, &error, "details",
      GST_TYPE_STRUCTURE, &details, NULL);
  if (error)
    post_error (self, GST_MESSAGE_ERROR, error,
        gst_structure_get_string (s, "debug"), details);
  g_clear_error (&error);
  return GST_FLOW_ERROR;
}

static GstFlowReturn
apply_format (GstHeliosSrc *self, const GstStructure *s)
{
  GstCaps *caps = NULL;
  guint width = 0, height = 0;
  GstFlowReturn ret = GST_FLOW_OK;

  gst_structure_get (s, "caps", GST_TYPE_CAPS, &caps, "width", G_TYPE_UINT,
      &width, "height", G_TYPE_UINT, &height, NULL);
  self->raw =
      gst_helios_format_frame_layout (gst_structure_get_string (s, "fourcc"),
          width, height, &self->layout) &&
      gst_video_info_from_caps (&self->vinfo, caps);
  GST_OBJECT_LOCK (self);
  gst_caps_replace (&self->caps, caps);
  GST_OBJECT_UNLOCK (self);
  if (!gst_base_src_set_caps (GST_BASE_SRC (self), caps)) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("Downstream does not accept the new frame format"),
        ("caps %" GST_PTR_FORMAT, caps));
    ret = GST_FLOW_NOT_NEGOTIATED;
  }
  gst_caps_unref (caps);
  return ret;
}

/* Running time of arrival on a buffer whose PTS holds its clock time. */
static void
stamp (GstHeliosSrc *self, GstBuffer *buf)
{
  GstClockTime base = gst_element_get_base_time (GST_ELEMENT (self));
  GstClockTime at = GST_BUFFER_PTS (buf), rt;

  GST_BUFFER_PTS (buf) = GST_BUFFER_DTS (buf) = GST_CLOCK_TIME_NONE;
  /* items that arrived before PLAYING get the time they are taken */
  if (!GST_CLOCK_TIME_IS_VALID (at))
    at = clock_now (self);
  if (!GST_CLOCK_TIME_IS_VALID (at))
    return;
  rt = at > base ? at - base : 0;
  if (GST_CLOCK_TIME_IS_VALID (self->last_pts) && rt < self->last_pts)
    rt = self->last_pts;
  GST_BUFFER_PTS (buf) = rt;
  GST_BUFFER_DTS (buf) = rt;
  self->last_pts = rt;
  gst_buffer_add_sensor_epoch (
      buf, gst_sensor_epoch_for_running_time (GST_ELEMENT (self), rt, TRUE));
}

static GstFlowReturn
gst_helios_src_create (GstPushSrc *psrc, GstBuffer **outbuf)
{
  GstHeliosSrc *self = GST_HELIOS_SRC (psrc);
  GstFlowReturn ret = GST_FLOW_OK;

  *outbuf = NULL;
  while (*outbuf == NULL && ret == GST_FLOW_OK) {
    GstMiniObject *obj = gst_sensor_handoff_queue_pop (self->queue);

    if (obj == NULL)
      return GST_FLOW_FLUSHING;
    if (GST_IS_BUFFER (obj)) {
      GstBuffer *buf = GST_BUFFER (obj);

      stamp (self, buf);
      /* the device packs rows tightly: say where the planes are */
      if (self->raw)
        gst_buffer_add_video_meta_full (buf, GST_VIDEO_FRAME_FLAG_NONE,
            GST_VIDEO_INFO_FORMAT (&self->vinfo),
            GST_VIDEO_INFO_WIDTH (&self->vinfo),
            GST_VIDEO_INFO_HEIGHT (&self->vinfo), self->layout.n_planes,
            self->layout.offset, self->layout.stride);
      gst_sensor_counters_add (self->counters, COUNTER_BUFFERS_PUSHED, 1);
      *outbuf = buf;
      break;
    }
    if (GST_EVENT_TYPE (obj) == GST_EVENT_EOS) {
      ret = GST_FLOW_EOS;
    } else {
      const GstStructure *s = gst_event_get_structure (GST_EVENT (obj));

      if (gst_structure_has_name (s, FORMAT_EVENT))
        ret = apply_format (self, s);
      else if (gst_structure_has_name (s, ERROR_EVENT))
        ret = post_queued_error (self, s);
    }
    gst_mini_object_unref (obj);
  }
  return ret;
}

/* An application's EOS (gst-launch-1.0 -e) ends the stream after what is
 * queued, without waiting for the streaming thread. */
static gboolean
gst_helios_src_send_event (GstElement *element, GstEvent *event)
{
  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS &&
      gst_sensor_handoff_queue_push_eos (
          GST_HELIOS_SRC (element)->queue, event)) {
    gst_event_unref (event);
    return TRUE;
  }
  return GST_ELEMENT_CLASS (parent_class)->send_event (element, event);
}

static gboolean
gst_helios_src_unlock (GstBaseSrc *bsrc)
{
  gst_sensor_handoff_queue_set_flushing (GST_HELIOS_SRC (bsrc)->queue, TRUE);
  return TRUE;
}

static gboolean
gst_helios_src_unlock_stop (GstBaseSrc *bsrc)
{
  gst_sensor_handoff_queue_set_flushing (GST_HELIOS_SRC (bsrc)->queue, FALSE);
  return TRUE;
}

static GstStructure *
make_stats (GstHeliosSrc *self)
{
  GstSensorHandoffQueueStats q;
  GstHeliosSessionStats st = { 0 };
  GstStructure *s;

  gst_sensor_handoff_queue_get_stats (self->queue, &q);
  g_mutex_lock (&self->lock);
  if (self->session)
    gst_helios_session_get_stats (self->session, &st);
  g_mutex_unlock (&self->lock);
  s = gst_sensor_counters_new_stats (self->counters, "heliossrc");
  gst_structure_set (s, "connected", G_TYPE_BOOLEAN, st.connected,
      "messages-received", G_TYPE_UINT64, st.messages_received,
      "bytes-received", G_TYPE_UINT64, st.bytes_received, "queued", G_TYPE_UINT,
      q.buffers, "queued-bytes", G_TYPE_UINT, (guint) MIN (q.bytes, G_MAXUINT),
      "dropped", G_TYPE_UINT64, q.dropped, "dropped-bytes", G_TYPE_UINT64,
      q.dropped_bytes, "reconnects", G_TYPE_UINT64, st.reconnects, "failures",
      G_TYPE_UINT64, st.failures, "oversized-messages", G_TYPE_UINT64,
      st.oversized_messages, "skipped-unknown", G_TYPE_UINT64,
      st.skipped_unknown, "skipped-invalid", G_TYPE_UINT64, st.skipped_invalid,
      "skipped-wrong-type", G_TYPE_UINT64, st.skipped_wrong_type,
      "skipped-frames", G_TYPE_UINT64, st.skipped_frames, "device-errors",
      G_TYPE_UINT64, st.device_errors, "notices", G_TYPE_UINT64, st.notices,
      "format-changes", G_TYPE_UINT64, st.format_changes, NULL);
  return s;
}

/* ---- GObject ---- */

/* The plain properties: a value in an instance field, set and read under
 * the object lock with no side effect. */
static const GstSensorFieldProp plain_props[] = {
  GST_SENSOR_FIELD_PROP (PROP_CHANNEL, GstHeliosSrc, channel),
  GST_SENSOR_FIELD_PROP (PROP_INTERVAL_MS, GstHeliosSrc, interval_ms),
  GST_SENSOR_FIELD_PROP (PROP_LIMIT, GstHeliosSrc, limit),
  GST_SENSOR_FIELD_PROP (PROP_HEARTBEAT_MS, GstHeliosSrc, heartbeat_ms),
  GST_SENSOR_FIELD_PROP (PROP_KINDS, GstHeliosSrc, kinds),
  GST_SENSOR_FIELD_PROP (PROP_OUTPUT, GstHeliosSrc, output),
  GST_SENSOR_FIELD_PROP (PROP_RESTORE, GstHeliosSrc, restore),
  GST_SENSOR_FIELD_PROP (PROP_POLL_MS, GstHeliosSrc, poll_ms),
  GST_SENSOR_FIELD_PROP (PROP_SOURCE, GstHeliosSrc, source),
  GST_SENSOR_FIELD_PROP (PROP_LINES, GstHeliosSrc, lines),
  GST_SENSOR_FIELD_PROP (PROP_FOLLOW, GstHeliosSrc, follow),
  GST_SENSOR_FIELD_PROP (PROP_MAX_QUEUE, GstHeliosSrc, max_queue),
  GST_SENSOR_FIELD_PROP (PROP_MAX_QUEUE_BYTES, GstHeliosSrc, max_queue_bytes),
};

static void
gst_helios_src_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstHeliosSrc *self = GST_HELIOS_SRC (object);
  GST_OBJECT_LOCK (self);
  if (prop_id == PROP_LOCATION) {
    g_free (self->location);
    self->location = g_value_dup_string (value);
    if (self->location == NULL)
      self->location = g_strdup (DEFAULT_LOCATION);
  } else if (!gst_sensor_field_set_in (self, plain_props,
                 G_N_ELEMENTS (plain_props), prop_id, value) &&
      !gst_sensor_net_props_set_property (
          &self->net, PROP_NET, prop_id, value)) {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
  GST_OBJECT_UNLOCK (self);
  /* sensors.stream and stream metrics take these while playing */
  if (prop_id == PROP_INTERVAL_MS || prop_id == PROP_KINDS)
    update_live (self);
}

static void
gst_helios_src_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstHeliosSrc *self = GST_HELIOS_SRC (object);
  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, make_stats (self));
    return;
  }
  GST_OBJECT_LOCK (self);
  if (prop_id == PROP_LOCATION)
    g_value_set_string (value, self->location);
  else if (!gst_sensor_field_get_in (
               self, plain_props, G_N_ELEMENTS (plain_props), prop_id, value) &&
      !gst_sensor_net_props_get_property (&self->net, PROP_NET, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  GST_OBJECT_UNLOCK (self);
}

static void
gst_helios_src_finalize (GObject *object)
{
  GstHeliosSrc *self = GST_HELIOS_SRC (object);

  g_free (self->location);
  g_free (self->channel);
  g_free (self->kinds);
  g_free (self->output);
  g_free (self->source);
  gst_sensor_net_props_clear (&self->net);
  gst_helios_session_free (self->session);
  gst_sensor_handoff_queue_free (self->queue);
  g_mutex_clear (&self->lock);
  gst_sensor_counters_free (self->counters);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_helios_src_init (GstHeliosSrc *self)
{
  self->location = g_strdup (DEFAULT_LOCATION);
  self->channel = g_strdup (DEFAULT_CHANNEL);
  self->kinds = g_strdup (DEFAULT_KINDS);
  self->restore = TRUE;
  self->lines = -1;
  self->follow = TRUE;
  gst_sensor_net_props_init (&self->net, &net_defaults);
  self->max_queue = DEFAULT_MAX_QUEUE;
  self->max_queue_bytes = DEFAULT_MAX_QUEUE_BYTES;
  self->queue =
      gst_sensor_handoff_queue_new (self->max_queue, self->max_queue_bytes);
  gst_sensor_handoff_queue_set_flushing (self->queue, TRUE);
  self->last_pts = GST_CLOCK_TIME_NONE;
  g_mutex_init (&self->lock);
  self->counters = gst_sensor_counters_new (counter_info, N_COUNTERS);
  gst_base_src_set_live (GST_BASE_SRC (self), TRUE);
  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_TIME);
}

#define RW                                                                     \
  (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY)

/* sensors.stream and streams.<id>.metrics take these while playing */
#define RW_LIVE                                                                \
  (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING)

static void
gst_helios_src_class_init (GstHeliosSrcClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *basesrc_class = GST_BASE_SRC_CLASS (klass);
  GstPushSrcClass *pushsrc_class = GST_PUSH_SRC_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (
      helios_src_debug, "heliossrc", 0, "HeliOS device channel source");

  gobject_class->set_property = gst_helios_src_set_property;
  gobject_class->get_property = gst_helios_src_get_property;
  gobject_class->finalize = gst_helios_src_finalize;
  element_class->send_event = GST_DEBUG_FUNCPTR (gst_helios_src_send_event);

  g_object_class_install_property (gobject_class, PROP_LOCATION,
      g_param_spec_string ("location", "Location",
          "HeliOS device, ws://host[:port] or wss://host[:port] (the channel "
          "path is added)",
          DEFAULT_LOCATION, RW));
  g_object_class_install_property (gobject_class, PROP_CHANNEL,
      g_param_spec_string ("channel", "Channel",
          "AsyncAPI channel: device.telemetry, devices.updates, "
          "sensors.stream, imu.stream, logs.stream, processes.stream, "
          "ota.stream, updates.stream, streams.<uuid>.metrics or "
          "streams.<uuid>.frames",
          DEFAULT_CHANNEL, RW));
  g_object_class_install_property (gobject_class, PROP_INTERVAL_MS,
      g_param_spec_int ("interval-ms", "Interval (ms)",
          "Message interval for telemetry (250-10000), devices (250-10000), "
          "processes (250-10000), stream metrics (250-10000) and sensors "
          "(50-10000); 0 = the device's default. Changes while playing go to "
          "sensors (a new subscribe op) and stream metrics live",
          0, 10000, 0, RW_LIVE));
  g_object_class_install_property (gobject_class, PROP_LIMIT,
      g_param_spec_int ("limit", "Process limit",
          "processes.stream: most processes per snapshot (10-2000); 0 = the "
          "device's default (200)",
          0, 2000, 0, RW));
  g_object_class_install_property (gobject_class, PROP_HEARTBEAT_MS,
      g_param_spec_int ("heartbeat-ms", "Heartbeat (ms)",
          "updates.stream: heartbeat interval (1000-60000); 0 = the device's "
          "default (15000)",
          0, 60000, 0, RW));
  g_object_class_install_property (gobject_class, PROP_KINDS,
      g_param_spec_string ("kinds", "Sensor kinds",
          "sensors.stream: comma-separated kinds to subscribe to (imu, "
          "power, firmware, lighting); changes while playing resubscribe",
          DEFAULT_KINDS, RW_LIVE));
  g_object_class_install_property (gobject_class, PROP_OUTPUT,
      g_param_spec_string ("output", "Graph output",
          "streams.<uuid>.frames: graph output port to switch to while "
          "connected (NULL = the stream's current output)",
          NULL, RW));
  g_object_class_install_property (gobject_class, PROP_RESTORE,
      g_param_spec_boolean ("restore", "Restore output",
          "streams.<uuid>.frames: switch back to the previous output when "
          "the socket closes",
          TRUE, RW));
  g_object_class_install_property (gobject_class, PROP_POLL_MS,
      g_param_spec_int ("poll-ms", "Poll (ms)",
          "streams.<uuid>.frames: how often the device looks for a new frame "
          "(5-100); 0 = the device's default (10)",
          0, 100, 0, RW));
  g_object_class_install_property (gobject_class, PROP_SOURCE,
      g_param_spec_string ("source", "Log source",
          "logs.stream: log source (NULL = the device's default, journal)",
          NULL, RW));
  g_object_class_install_property (gobject_class, PROP_LINES,
      g_param_spec_int ("lines", "Backlog lines",
          "logs.stream: lines of backlog first (0-2000); -1 = the device's "
          "default (200)",
          -1, 2000, -1, RW));
  g_object_class_install_property (gobject_class, PROP_FOLLOW,
      g_param_spec_boolean ("follow", "Follow",
          "logs.stream: keep streaming new lines; when FALSE the device "
          "sends eof after the backlog, which ends the stream (EOS)",
          TRUE, RW));
  gst_sensor_net_props_install (gobject_class, PROP_NET, &net_defaults);
  g_object_class_install_property (gobject_class, PROP_MAX_QUEUE,
      g_param_spec_uint ("max-queue", "Max queue",
          "Messages held between the network and streaming threads; when "
          "full the oldest is dropped (counted as 'dropped' in stats)",
          1, 100000, DEFAULT_MAX_QUEUE, RW));
  g_object_class_install_property (gobject_class, PROP_MAX_QUEUE_BYTES,
      g_param_spec_uint64 ("max-queue-bytes", "Max queue bytes",
          "Bytes of messages held between the network and streaming "
          "threads; beyond this the oldest are dropped (counted as 'dropped' "
          "and 'dropped-bytes' in stats)",
          1, G_MAXUINT64, DEFAULT_MAX_QUEUE_BYTES, RW));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "application/x-heliossrc-stats: connected, messages-received, "
          "bytes-received, buffers-pushed, queued, queued-bytes, dropped, "
          "dropped-bytes, reconnects, failures, oversized-messages, "
          "skipped-unknown, skipped-invalid, skipped-wrong-type, "
          "skipped-frames, device-errors, notices, format-changes",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "HeliOS device channel source", "Source/Network",
      "Reads one HeliOS device WebSocket channel (telemetry, sensors, IMU, "
      "logs, processes, OTA, updates, stream metrics as JSON; stream frames "
      "as image/jpeg, H.264 or raw video)",
      "gst-plugins-sensor developers");

  basesrc_class->start = GST_DEBUG_FUNCPTR (gst_helios_src_start);
  basesrc_class->stop = GST_DEBUG_FUNCPTR (gst_helios_src_stop);
  basesrc_class->get_caps = GST_DEBUG_FUNCPTR (gst_helios_src_get_caps);
  basesrc_class->negotiate = GST_DEBUG_FUNCPTR (gst_helios_src_negotiate);
  basesrc_class->unlock = GST_DEBUG_FUNCPTR (gst_helios_src_unlock);
  basesrc_class->unlock_stop = GST_DEBUG_FUNCPTR (gst_helios_src_unlock_stop);
  pushsrc_class->create = GST_DEBUG_FUNCPTR (gst_helios_src_create);
}
