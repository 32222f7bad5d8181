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
#include <gst/net/sensor-net-failure.h>
#include <gst/net/sensor-net-props.h>
#include <gst/net/sensor-ws-client.h>
#include <gst/sensor/sensor.h>
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
 * the end of the session with an error (posted by the network thread when
 * "text" is absent). A buffer's PTS holds the clock time of its arrival
 * until create() turns it into running time. */
#define FORMAT_EVENT "helios-format"
#define ERROR_EVENT "helios-error"

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

  /* session, set in start() */
  const GstHeliosChannel *chan;
  gchar *uri;
  gchar *open_op;     /* sent on every open (under lock) */
  GMutex client_lock; /* keeps @live_client alive for sends */
  GstSensorWsClient *live_client;
  GstSensorWsClient *client;

  /* network thread only */
  gchar *net_fourcc;
  guint net_width, net_height;
  gsize net_frame_size; /* raw formats: exact bytes; else 0 */
  gboolean net_have_format;
  gboolean net_discont;
  gushort last_close_code;
  guint last_http_status;
  gchar *last_close_reason;
  guint failures; /* in a row, reset when a connection opens */

  GstSensorHandoffQueue *queue;

  /* stats, under lock */
  GMutex lock;
  gboolean finished; /* EOS or fatal error queued: ignore input */
  gboolean connected;
  guint64 messages;
  guint64 bytes;
  guint64 pushed;
  guint64 dropped;
  guint64 skipped_unknown;
  guint64 skipped_invalid;
  guint64 skipped_wrong_type;
  guint64 skipped_frames;
  guint64 device_errors;
  guint64 notices;
  guint64 reconnects;
  guint64 oversized; /* messages over max-message-size (closed 1009) */
  guint64 format_changes;

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

/* ---- queue ---- */

static void
enqueue_error (GstHeliosSrc *self, GQuark domain, gint code, gchar *text,
    gchar *debug, GstStructure *details)
{
  GstStructure *s = gst_structure_new (ERROR_EVENT, "domain", G_TYPE_UINT,
      (guint) domain, "code", G_TYPE_INT, code, "text", G_TYPE_STRING, text,
      "debug", G_TYPE_STRING, debug, NULL);

  if (details) {
    gst_structure_set (s, "details", GST_TYPE_STRUCTURE, details, NULL);
    gst_structure_free (details);
  }
  g_free (text);
  g_free (debug);
  g_mutex_lock (&self->lock);
  self->finished = TRUE;
  g_mutex_unlock (&self->lock);
  gst_sensor_handoff_queue_push (self->queue,
      GST_MINI_OBJECT (gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM, s)));
}

/* The error was posted already: the stream ends after what is queued. */
static void
enqueue_posted_error (GstHeliosSrc *self)
{
  g_mutex_lock (&self->lock);
  self->finished = TRUE;
  g_mutex_unlock (&self->lock);
  gst_sensor_handoff_queue_push (self->queue,
      GST_MINI_OBJECT (gst_event_new_custom (
          GST_EVENT_CUSTOM_DOWNSTREAM, gst_structure_new_empty (ERROR_EVENT))));
}

/* ---- connection state messages ---- */

static gboolean
copy_field (GQuark field, const GValue *value, gpointer user_data)
{
  gst_structure_id_set_value (user_data, field, value);
  return TRUE;
}

/* The shared connection-state message, with the channel and @extra's
 * fields (attempt and delay replace the defaults). */
static void
post_state (GstHeliosSrc *self, const gchar *state, const gchar *reason,
    GstStructure *extra)
{
  GstStructure *s =
      gst_sensor_net_connection_state_new (state, self->uri, 0, 0, reason);

  gst_structure_set (
      s, "channel", G_TYPE_STRING, self->chan ? self->chan->name : "", NULL);
  if (extra) {
    gst_structure_foreach (extra, copy_field, s);
    gst_structure_free (extra);
  }
  gst_sensor_net_post_connection_state (GST_ELEMENT (self), s);
}

/* ---- network thread: WebSocket callbacks ---- */

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
on_opened (GstSensorWsClient *client, gpointer user_data)
{
  GstHeliosSrc *self = user_data;
  gchar *text;

  g_mutex_lock (&self->lock);
  self->connected = TRUE;
  g_mutex_unlock (&self->lock);
  /* every socket starts over: the device sends `format` first again */
  self->net_have_format = FALSE;
  self->net_discont = TRUE;
  self->failures = 0;
  post_state (self, "connected", NULL, NULL);

  /* sensors: the subscribe op; metrics: a rate changed while playing */
  g_mutex_lock (&self->lock);
  text = g_strdup (self->open_op);
  g_mutex_unlock (&self->lock);
  if (text) {
    GBytes *op = g_bytes_new_take (text, strlen (text));

    GST_DEBUG_OBJECT (self, "sending %s", text);
    if (!gst_sensor_ws_client_send (client, SOUP_WEBSOCKET_DATA_TEXT, op))
      GST_WARNING_OBJECT (self, "could not send %s", text);
    g_bytes_unref (op);
  }
}

static void
queue_data (GstHeliosSrc *self, GBytes *payload)
{
  GstBuffer *buf = gst_buffer_new_wrapped_bytes (payload);
  gboolean finished;

  g_bytes_unref (payload);
  GST_BUFFER_PTS (buf) = clock_now (self);
  if (self->net_discont)
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
  self->net_discont = FALSE;
  g_mutex_lock (&self->lock);
  finished = self->finished;
  g_mutex_unlock (&self->lock);
  if (finished)
    gst_buffer_unref (buf);
  else
    gst_sensor_handoff_queue_push (self->queue, GST_MINI_OBJECT (buf));
}

static void
count (GstHeliosSrc *self, guint64 *counter)
{
  g_mutex_lock (&self->lock);
  (*counter)++;
  g_mutex_unlock (&self->lock);
}

/* A short printable excerpt of a message for logs. */
static gchar *
excerpt (const gchar *data, gsize len)
{
  g_autofree gchar *valid = g_utf8_make_valid (data, MIN (len, 120));

  return g_strescape (valid, NULL);
}

static void
handle_format (GstHeliosSrc *self, GstHeliosMessage *msg)
{
  GError *err = NULL;
  GstCaps *caps;
  GstStructure *s;

  if (self->net_have_format && g_strcmp0 (self->net_fourcc, msg->fourcc) == 0 &&
      self->net_width == msg->width && self->net_height == msg->height) {
    GST_DEBUG_OBJECT (self, "format unchanged");
    return;
  }
  caps = gst_helios_format_to_caps (msg->fourcc, msg->width, msg->height, &err);
  if (caps == NULL) {
    GstStructure *details = gst_structure_new ("details", "fourcc",
        G_TYPE_STRING, msg->fourcc, "width", G_TYPE_UINT, msg->width, "height",
        G_TYPE_UINT, msg->height, NULL);

    enqueue_error (self, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT,
        g_strdup_printf ("HeliOS frames channel sent a format heliossrc "
                         "cannot handle: %s",
            err->message),
        g_strdup_printf ("format message: fourcc '%s', %ux%u", msg->fourcc,
            msg->width, msg->height),
        details);
    g_error_free (err);
    return;
  }
  g_free (self->net_fourcc);
  self->net_fourcc = g_strdup (msg->fourcc);
  self->net_width = msg->width;
  self->net_height = msg->height;
  self->net_frame_size =
      gst_helios_format_frame_size (msg->fourcc, msg->width, msg->height);
  self->net_have_format = TRUE;
  GST_INFO_OBJECT (self, "format %s %ux%u -> %" GST_PTR_FORMAT, msg->fourcc,
      msg->width, msg->height, caps);

  s = gst_structure_new (FORMAT_EVENT, "caps", GST_TYPE_CAPS, caps, "fourcc",
      G_TYPE_STRING, msg->fourcc, "width", G_TYPE_UINT, msg->width, "height",
      G_TYPE_UINT, msg->height, NULL);
  gst_caps_unref (caps);
  g_mutex_lock (&self->lock);
  self->format_changes++;
  g_mutex_unlock (&self->lock);
  gst_sensor_handoff_queue_push (self->queue,
      GST_MINI_OBJECT (gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM, s)));
}

static void
handle_device_error (
    GstHeliosSrc *self, GstHeliosMessage *msg, const gchar *text, gsize len)
{
  g_autofree gchar *ex = excerpt (text, len);

  count (self, &self->device_errors);
  GST_ELEMENT_WARNING_WITH_DETAILS (self, RESOURCE, READ,
      ("HeliOS device reported an error on %s: %s", self->chan->name,
          msg->error_message),
      ("message: %s", ex),
      ("channel", G_TYPE_STRING, self->chan->name, "device-message",
          G_TYPE_STRING, msg->error_message, "device-code", G_TYPE_STRING,
          msg->error_code, NULL));
}

static void
handle_text (GstHeliosSrc *self, GBytes *payload)
{
  gsize len;
  const gchar *text = g_bytes_get_data (payload, &len);
  GstHeliosMessage msg;
  GError *err = NULL;

  if (!gst_helios_message_parse (self->chan->id, text, len, &msg, &err)) {
    g_autofree gchar *ex = excerpt (text, len);

    if (g_error_matches (err, GST_HELIOS_ERROR, GST_HELIOS_ERROR_BAD_FORMAT)) {
      enqueue_error (self, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT,
          g_strdup_printf (
              "HeliOS frames channel sent an invalid format: %s", err->message),
          g_strdup_printf ("message: %s", ex), NULL);
    } else {
      count (self, &self->skipped_invalid);
      GST_WARNING_OBJECT (self, "skipped a malformed message on %s (%s): %s",
          self->chan->name, err->message, ex);
    }
    g_error_free (err);
    return;
  }

  switch (msg.kind) {
    case GST_HELIOS_MESSAGE_DATA:
      if (self->chan->payload == GST_HELIOS_PAYLOAD_JSON)
        queue_data (self, gst_helios_message_to_line (&msg, text, len));
      break;
    case GST_HELIOS_MESSAGE_READY: {
      g_autofree gchar *line = json_to_string (msg.root, FALSE);

      count (self, &self->notices);
      post_state (self, "ready", NULL,
          gst_structure_new ("extra", "message", G_TYPE_STRING, line, NULL));
      break;
    }
    case GST_HELIOS_MESSAGE_HEARTBEAT:
      count (self, &self->notices);
      GST_LOG_OBJECT (self, "heartbeat");
      break;
    case GST_HELIOS_MESSAGE_ERROR:
      handle_device_error (self, &msg, text, len);
      break;
    case GST_HELIOS_MESSAGE_EOF:
      GST_INFO_OBJECT (self, "device sent eof: end of stream");
      g_mutex_lock (&self->lock);
      self->finished = TRUE;
      g_mutex_unlock (&self->lock);
      gst_sensor_handoff_queue_push (
          self->queue, GST_MINI_OBJECT (gst_event_new_eos ()));
      break;
    case GST_HELIOS_MESSAGE_FORMAT:
      handle_format (self, &msg);
      break;
    case GST_HELIOS_MESSAGE_UNKNOWN: {
      g_autofree gchar *ex = excerpt (text, len);

      count (self, &self->skipped_unknown);
      GST_WARNING_OBJECT (self,
          "skipped a message of unknown type '%s' on "
          "%s: %s",
          GST_STR_NULL (msg.type), self->chan->name, ex);
      break;
    }
  }
  gst_helios_message_clear (&msg);
}

static void
handle_binary (GstHeliosSrc *self, GBytes *payload)
{
  gsize len = g_bytes_get_size (payload);

  if (self->chan->payload != GST_HELIOS_PAYLOAD_FRAMES) {
    count (self, &self->skipped_wrong_type);
    GST_WARNING_OBJECT (self,
        "skipped a binary message (%" G_GSIZE_FORMAT
        " bytes) on JSON channel %s",
        len, self->chan->name);
    return;
  }
  if (!self->net_have_format) {
    count (self, &self->skipped_frames);
    GST_WARNING_OBJECT (self,
        "skipped a frame (%" G_GSIZE_FORMAT " bytes) "
        "that came before any format message",
        len);
    return;
  }
  if (len == 0 || (self->net_frame_size && len != self->net_frame_size)) {
    count (self, &self->skipped_frames);
    GST_WARNING_OBJECT (self,
        "skipped a %s frame of %" G_GSIZE_FORMAT
        " bytes (%ux%u needs %" G_GSIZE_FORMAT ")",
        self->net_fourcc, len, self->net_width, self->net_height,
        self->net_frame_size);
    return;
  }
  queue_data (self, g_bytes_ref (payload));
}

static void
on_message (GstSensorWsClient *client, SoupWebsocketDataType type,
    GBytes *payload, gpointer user_data)
{
  GstHeliosSrc *self = user_data;
  gboolean finished;

  g_mutex_lock (&self->lock);
  self->messages++;
  self->bytes += g_bytes_get_size (payload);
  finished = self->finished;
  g_mutex_unlock (&self->lock);
  if (finished)
    return;

  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    handle_text (self, payload);
  else
    handle_binary (self, payload);
}

static GstSensorWsCloseAction
on_closed (GstSensorWsClient *client, const GstSensorWsCloseInfo *info,
    gpointer user_data)
{
  GstHeliosSrc *self = user_data;
  g_autofree gchar *cause = gst_sensor_net_failure_describe (info);
  GstStructure *extra;
  gboolean finished;

  g_mutex_lock (&self->lock);
  self->connected = FALSE;
  if (g_error_matches (info->error, SOUP_WEBSOCKET_ERROR, 1009))
    self->oversized++;
  finished = self->finished;
  g_mutex_unlock (&self->lock);

  self->last_close_code = info->close_code;
  self->last_http_status = info->http_status;
  g_free (self->last_close_reason);
  self->last_close_reason = g_strdup (cause);

  extra = gst_structure_new ("extra", "close-code", G_TYPE_UINT,
      (guint) info->close_code, "close-reason", G_TYPE_STRING,
      info->close_reason ? info->close_reason : "", "http-status", G_TYPE_UINT,
      info->http_status, NULL);
  if (info->error)
    gst_structure_set (
        extra, "error", G_TYPE_STRING, info->error->message, NULL);
  post_state (self, "disconnected", cause, extra);

  if (finished)
    return GST_SENSOR_WS_CLOSE_STOP;

  /* HeliOS has no close codes of its own: the shared rule decides. A 404
   * (no such channel), a TLS failure or a bad URI meets the same answer
   * again: an error at once. */
  if (gst_sensor_net_failure_classify (info) == GST_SENSOR_NET_FAILURE_FATAL) {
    gst_sensor_net_post_fatal (GST_ELEMENT (self), info, self->uri);
    post_state (self, "closed", cause, NULL);
    enqueue_posted_error (self);
    return GST_SENSOR_WS_CLOSE_STOP;
  }
  self->failures++;
  gst_sensor_net_post_transient (
      GST_ELEMENT (self), info, self->uri, self->failures);
  return GST_SENSOR_WS_CLOSE_RECONNECT;
}

static void
on_reconnecting (GstSensorWsClient *client, guint attempt, GstClockTime delay,
    gpointer user_data)
{
  GstHeliosSrc *self = user_data;

  count (self, &self->reconnects);
  post_state (self, "reconnecting", self->last_close_reason,
      gst_structure_new ("extra", "attempt", G_TYPE_UINT, attempt, "delay",
          G_TYPE_UINT64, delay, NULL));
}

static void
on_gave_up (GstSensorWsClient *client, gpointer user_data)
{
  GstHeliosSrc *self = user_data;
  gboolean finished;

  g_mutex_lock (&self->lock);
  finished = self->finished;
  g_mutex_unlock (&self->lock);
  /* after EOS, an error or stop() this is the expected end */
  if (finished)
    return;
  post_state (self, "closed", self->last_close_reason, NULL);
  GST_ELEMENT_ERROR_WITH_DETAILS (self, RESOURCE, READ,
      ("Lost the HeliOS channel %s and gave up reconnecting after %u "
       "failure(s): %s",
          self->chan->name, self->failures,
          GST_STR_NULL (self->last_close_reason)),
      ("%s: last close code %u, HTTP status %u", self->uri,
          self->last_close_code, self->last_http_status),
      ("close-code", G_TYPE_UINT, (guint) self->last_close_code, "http-status",
          G_TYPE_UINT, self->last_http_status, "uri", G_TYPE_STRING, self->uri,
          "failures", G_TYPE_UINT, self->failures, NULL));
  enqueue_posted_error (self);
}

static const GstSensorWsCallbacks ws_callbacks = {
  .opened = on_opened,
  .message = on_message,
  .closed = on_closed,
  .reconnecting = on_reconnecting,
  .gave_up = on_gave_up,
};

/* ---- start / stop ---- */

/* ws://host:port[/...] -> http://host:port/v1/asyncapi.json */
static gchar *
asyncapi_uri (GUri *base)
{
  const gchar *scheme = g_uri_get_scheme (base);
  gboolean tls = g_ascii_strcasecmp (scheme, "wss") == 0;

  return g_uri_join (G_URI_FLAGS_NONE, tls ? "https" : "http", NULL,
      g_uri_get_host (base), g_uri_get_port (base), "/v1/asyncapi.json", NULL,
      NULL);
}

static gboolean
accept_any_certificate (SoupMessage *msg, GTlsCertificate *cert,
    GTlsCertificateFlags errors, gpointer user_data)
{
  return TRUE;
}

/* The channels the device lists, or NULL when it serves no AsyncAPI
 * document (then any table channel is tried). */
static gchar **
fetch_channels (GstHeliosSrc *self, GUri *base)
{
  g_autofree gchar *uri = asyncapi_uri (base);
  g_autoptr (SoupSession) session = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) err = NULL;
  gchar **names;

  session = soup_session_new_with_options (
      "timeout", self->net.timeout, "user-agent", "heliossrc", NULL);
  if (self->net.ca_file) {
    g_autoptr (GTlsDatabase) db =
        g_tls_file_database_new (self->net.ca_file, &err);

    if (db)
      soup_session_set_tls_database (session, db);
    else
      GST_WARNING_OBJECT (self, "cannot read CA file: %s", err->message);
    g_clear_error (&err);
  }
  msg = soup_message_new (SOUP_METHOD_GET, uri);
  if (msg == NULL)
    return NULL;
  if (!self->net.tls_strict)
    g_signal_connect (
        msg, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);
  body = soup_session_send_and_read (session, msg, NULL, &err);
  if (body == NULL) {
    GST_INFO_OBJECT (self, "no AsyncAPI document at %s: %s", uri, err->message);
    return NULL;
  }
  if (soup_message_get_status (msg) != SOUP_STATUS_OK) {
    GST_INFO_OBJECT (self, "no AsyncAPI document at %s: HTTP %u", uri,
        soup_message_get_status (msg));
    return NULL;
  }
  names = gst_helios_asyncapi_parse_channels (
      g_bytes_get_data (body, NULL), g_bytes_get_size (body), &err);
  if (names == NULL) {
    GST_WARNING_OBJECT (self, "ignoring %s: %s", uri, err->message);
  } else if (!gst_helios_asyncapi_is_helios ((const gchar *const *) names)) {
    /* names in a form we do not know: no grounds to refuse anything */
    GST_WARNING_OBJECT (
        self, "ignoring %s: it lists no HeliOS channel name", uri);
    g_clear_pointer (&names, g_strfreev);
  }
  return names;
}

/* Query values of the properties the user changed from their defaults. */
static GstStructure *
query_values (GstHeliosSrc *self)
{
  GstStructure *v = gst_structure_new_empty ("query");

  if (self->interval_ms > 0 &&
      self->chan->id != GST_HELIOS_CHANNEL_SENSORS_STREAM)
    gst_structure_set (v, "interval_ms", G_TYPE_INT, self->interval_ms, NULL);
  if (self->limit > 0)
    gst_structure_set (v, "limit", G_TYPE_INT, self->limit, NULL);
  if (self->heartbeat_ms > 0)
    gst_structure_set (v, "heartbeat_ms", G_TYPE_INT, self->heartbeat_ms, NULL);
  if (self->output)
    gst_structure_set (v, "output", G_TYPE_STRING, self->output, NULL);
  if (!self->restore)
    gst_structure_set (v, "restore", G_TYPE_BOOLEAN, FALSE, NULL);
  if (self->poll_ms > 0)
    gst_structure_set (v, "poll_ms", G_TYPE_INT, self->poll_ms, NULL);
  if (self->source)
    gst_structure_set (v, "source", G_TYPE_STRING, self->source, NULL);
  if (self->lines >= 0)
    gst_structure_set (v, "lines", G_TYPE_INT, self->lines, NULL);
  if (!self->follow)
    gst_structure_set (v, "follow", G_TYPE_BOOLEAN, FALSE, NULL);
  return v;
}

static void
clear_open_op (GstHeliosSrc *self)
{
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->open_op, g_free);
  g_mutex_unlock (&self->lock);
}

/* The subscribe op for a comma-separated kinds list. */
static gchar *
sensors_op (const gchar *kinds_list, gint interval_ms, GError **err)
{
  g_auto (GStrv) kinds =
      g_strsplit_set (kinds_list ? kinds_list : "", ", ", -1);
  GPtrArray *k = g_ptr_array_new ();
  gchar *op;
  guint i;

  for (i = 0; kinds[i]; i++) {
    if (*kinds[i])
      g_ptr_array_add (k, kinds[i]);
  }
  g_ptr_array_add (k, NULL);
  op = gst_helios_sensors_subscribe_op (
      (const gchar *const *) k->pdata, interval_ms, err);
  g_ptr_array_free (k, TRUE);
  return op;
}

/* interval-ms or kinds changed while playing: sensors.stream takes a new
 * subscribe op, streams.<id>.metrics an {"interval_ms":N} message. Sent now
 * and again on every reconnect. */
static void
update_live (GstHeliosSrc *self)
{
  GstHeliosChannelId id;
  g_autofree gchar *kinds = NULL;
  g_autoptr (GError) err = NULL;
  gchar *op = NULL;
  gint interval;

  GST_OBJECT_LOCK (self);
  kinds = g_strdup (self->kinds);
  interval = self->interval_ms;
  GST_OBJECT_UNLOCK (self);

  g_mutex_lock (&self->client_lock);
  if (self->live_client == NULL || self->chan == NULL)
    goto done;
  id = self->chan->id;
  if (id == GST_HELIOS_CHANNEL_SENSORS_STREAM) {
    op = sensors_op (kinds, interval, &err);
    if (op == NULL) {
      GST_WARNING_OBJECT (self, "keeping the subscription: %s", err->message);
      goto done;
    }
  } else if (id == GST_HELIOS_CHANNEL_STREAM_METRICS && interval > 0) {
    gint clamped;

    gst_helios_param_clamp (
        gst_helios_channel_find_param (self->chan, "interval_ms"), interval,
        &clamped);
    op = g_strdup_printf ("{\"interval_ms\":%d}", clamped);
  } else {
    goto done;
  }
  g_mutex_lock (&self->lock);
  g_free (self->open_op);
  self->open_op = g_strdup (op);
  g_mutex_unlock (&self->lock);
  GST_INFO_OBJECT (self, "sending %s", op);
  {
    GBytes *bytes = g_bytes_new_take (op, strlen (op));

    if (!gst_sensor_ws_client_send (
            self->live_client, SOUP_WEBSOCKET_DATA_TEXT, bytes))
      GST_INFO_OBJECT (self, "not connected: sent on the next connection");
    g_bytes_unref (bytes);
  }
done:
  g_mutex_unlock (&self->client_lock);
}

static gboolean
gst_helios_src_start (GstBaseSrc *bsrc)
{
  GstHeliosSrc *self = GST_HELIOS_SRC (bsrc);
  g_autoptr (GError) err = NULL;
  g_autoptr (GUri) base = NULL;
  g_autofree gchar *stream_id = NULL;
  g_autofree gchar *path = NULL;
  g_autoptr (GPtrArray) ignored = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) clamped = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) served = NULL;
  GstStructure *values;
  GstSensorWsConfig config;
  guint i;

  GST_OBJECT_LOCK (self);
  self->chan = gst_helios_channel_lookup (self->channel, &stream_id, &err);
  GST_OBJECT_UNLOCK (self);
  if (self->chan == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s", err->message), (NULL));
    return FALSE;
  }
  if (self->chan->payload == GST_HELIOS_PAYLOAD_INTERACTIVE) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("HeliOS channel %s is an interactive shell (it needs input), not a "
         "data stream; heliossrc does not open it",
            self->chan->name),
        (NULL));
    self->chan = NULL;
    return FALSE;
  }

  base = g_uri_parse (self->location, G_URI_FLAGS_NONE, &err);
  if (base == NULL ||
      (g_ascii_strcasecmp (g_uri_get_scheme (base), "ws") &&
          g_ascii_strcasecmp (g_uri_get_scheme (base), "wss")) ||
      g_uri_get_host (base) == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("location must be ws://host[:port] or wss://host[:port], not '%s'",
            self->location),
        ("%s", err ? err->message : "bad scheme"));
    self->chan = NULL;
    return FALSE;
  }

  /* sensors.stream says what to send with a subscribe op */
  if (self->chan->id == GST_HELIOS_CHANNEL_SENSORS_STREAM) {
    gchar *op = sensors_op (self->kinds, self->interval_ms, &err);

    if (op == NULL) {
      GST_ELEMENT_ERROR (
          self, RESOURCE, SETTINGS, ("%s", err->message), (NULL));
      self->chan = NULL;
      return FALSE;
    }
    g_mutex_lock (&self->lock);
    g_free (self->open_op);
    self->open_op = op;
    g_mutex_unlock (&self->lock);
  }

  /* a device that lists its channels: refuse one it does not have */
  served = fetch_channels (self, base);
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
    self->chan = NULL;
    clear_open_op (self);
    return FALSE;
  }

  values = query_values (self);
  path = gst_helios_channel_build_path (
      self->chan, stream_id, values, ignored, clamped);
  gst_structure_free (values);
  for (i = 0; i < ignored->len; i++)
    GST_WARNING_OBJECT (self, "channel %s takes no '%s': ignored",
        self->chan->name, (gchar *) g_ptr_array_index (ignored, i));
  for (i = 0; i < clamped->len; i++)
    GST_WARNING_OBJECT (self, "clamped to the device's range: %s",
        (gchar *) g_ptr_array_index (clamped, i));
  {
    g_autoptr (GUri) full =
        g_uri_parse_relative (base, path, G_URI_FLAGS_ENCODED, &err);

    if (full == NULL) {
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          ("cannot build the channel URI from '%s'", self->location),
          ("%s", err->message));
      self->chan = NULL;
      clear_open_op (self);
      return FALSE;
    }
    self->uri = g_uri_to_string (full);
  }
  GST_INFO_OBJECT (self, "channel %s at %s", self->chan->name, self->uri);

  GST_OBJECT_LOCK (self);
  gst_sensor_handoff_queue_set_limits (
      self->queue, self->max_queue, self->max_queue_bytes);
  GST_OBJECT_UNLOCK (self);
  gst_sensor_handoff_queue_flush (self->queue);
  gst_sensor_handoff_queue_reset_stats (self->queue);
  gst_sensor_handoff_queue_set_flushing (self->queue, FALSE);
  self->failures = 0;
  g_mutex_lock (&self->lock);
  self->finished = FALSE;
  self->connected = FALSE;
  self->messages = self->bytes = self->pushed = 0;
  self->skipped_unknown = self->skipped_invalid = 0;
  self->skipped_wrong_type = self->skipped_frames = 0;
  self->device_errors = self->notices = self->reconnects = 0;
  self->format_changes = 0;
  g_mutex_unlock (&self->lock);
  self->net_have_format = FALSE;
  self->last_pts = GST_CLOCK_TIME_NONE;
  gst_clear_caps (&self->caps);

  gst_sensor_ws_config_init (&config);
  config.uri = g_strdup (self->uri);
  gst_sensor_net_props_apply (&self->net, &config);
  self->client = gst_sensor_ws_client_new (&config, &ws_callbacks, self, NULL);
  gst_sensor_ws_config_clear (&config);
  g_mutex_lock (&self->client_lock);
  self->live_client = self->client;
  g_mutex_unlock (&self->client_lock);

  post_state (self, "connecting", NULL, NULL);
  gst_sensor_ws_client_start (self->client);
  return TRUE;
}

static gboolean
gst_helios_src_stop (GstBaseSrc *bsrc)
{
  GstHeliosSrc *self = GST_HELIOS_SRC (bsrc);

  if (self->client) {
    g_mutex_lock (&self->client_lock);
    self->live_client = NULL;
    g_mutex_unlock (&self->client_lock);
    g_mutex_lock (&self->lock);
    self->finished = TRUE;
    g_mutex_unlock (&self->lock);
    gst_sensor_ws_client_stop (self->client, 1000, "");
    gst_sensor_ws_client_free (self->client);
    self->client = NULL;
  }
  gst_sensor_handoff_queue_set_flushing (self->queue, TRUE);
  gst_sensor_handoff_queue_flush (self->queue);
  g_mutex_lock (&self->lock);
  self->connected = FALSE;
  g_mutex_unlock (&self->lock);
  g_clear_pointer (&self->uri, g_free);
  clear_open_op (self);
  g_clear_pointer (&self->net_fourcc, g_free);
  g_clear_pointer (&self->last_close_reason, g_free);
  gst_clear_caps (&self->caps);
  self->chan = NULL;
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

  if (filter) {
    GstCaps *tmp =
        gst_caps_intersect_full (filter, caps, GST_CAPS_INTERSECT_FIRST);

    gst_caps_unref (caps);
    caps = tmp;
  }
  return caps;
}

static gboolean
gst_helios_src_negotiate (GstBaseSrc *bsrc)
{
  GstHeliosSrc *self = GST_HELIOS_SRC (bsrc);
  GstCaps *caps = NULL;
  gboolean ret = TRUE;

  GST_OBJECT_LOCK (self);
  if (self->caps)
    caps = gst_caps_ref (self->caps);
  else if (self->chan && self->chan->payload == GST_HELIOS_PAYLOAD_JSON)
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
  const GstStructure *details = NULL;
  const GValue *v = gst_structure_get_value (s, "details");
  guint domain = 0;
  gint code = 0;

  if (!gst_structure_has_field (s, "text"))
    return GST_FLOW_ERROR;
  if (v)
    details = gst_value_get_structure (v);
  gst_structure_get_uint (s, "domain", &domain);
  gst_structure_get_int (s, "code", &code);
  gst_element_message_full_with_details (GST_ELEMENT (self), GST_MESSAGE_ERROR,
      (GQuark) domain, code, g_strdup (gst_structure_get_string (s, "text")),
      g_strdup (gst_structure_get_string (s, "debug")), __FILE__, GST_FUNCTION,
      __LINE__,
      details ? gst_structure_copy (details) :
                gst_structure_new_empty ("details"));
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
      g_mutex_lock (&self->lock);
      self->pushed++;
      g_mutex_unlock (&self->lock);
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
  GstStructure *s;

  gst_sensor_handoff_queue_get_stats (self->queue, &q);
  g_mutex_lock (&self->lock);
  s = gst_structure_new ("application/x-helios-stats", "connected",
      G_TYPE_BOOLEAN, self->connected, "messages-received", G_TYPE_UINT64,
      self->messages, "bytes-received", G_TYPE_UINT64, self->bytes,
      "buffers-pushed", G_TYPE_UINT64, self->pushed, "queued", G_TYPE_UINT,
      q.buffers, "queued-bytes", G_TYPE_UINT64, q.bytes, "dropped",
      G_TYPE_UINT64, q.dropped, "dropped-bytes", G_TYPE_UINT64, q.dropped_bytes,
      "skipped-unknown", G_TYPE_UINT64, self->skipped_unknown,
      "skipped-invalid", G_TYPE_UINT64, self->skipped_invalid,
      "skipped-wrong-type", G_TYPE_UINT64, self->skipped_wrong_type,
      "skipped-frames", G_TYPE_UINT64, self->skipped_frames, "device-errors",
      G_TYPE_UINT64, self->device_errors, "notices", G_TYPE_UINT64,
      self->notices, "reconnects", G_TYPE_UINT64, self->reconnects,
      "format-changes", G_TYPE_UINT64, self->format_changes,
      "oversized-messages", G_TYPE_UINT64, self->oversized, NULL);
  g_mutex_unlock (&self->lock);
  return s;
}

/* ---- GObject ---- */

static void
gst_helios_src_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstHeliosSrc *self = GST_HELIOS_SRC (object);
  gboolean live_change = FALSE;

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_LOCATION:
      g_free (self->location);
      self->location = g_value_dup_string (value);
      if (self->location == NULL)
        self->location = g_strdup (DEFAULT_LOCATION);
      break;
    case PROP_CHANNEL:
      g_free (self->channel);
      self->channel = g_value_dup_string (value);
      break;
    case PROP_INTERVAL_MS:
      self->interval_ms = g_value_get_int (value);
      live_change = TRUE;
      break;
    case PROP_LIMIT:
      self->limit = g_value_get_int (value);
      break;
    case PROP_HEARTBEAT_MS:
      self->heartbeat_ms = g_value_get_int (value);
      break;
    case PROP_KINDS:
      g_free (self->kinds);
      self->kinds = g_value_dup_string (value);
      live_change = TRUE;
      break;
    case PROP_OUTPUT:
      g_free (self->output);
      self->output = g_value_dup_string (value);
      break;
    case PROP_RESTORE:
      self->restore = g_value_get_boolean (value);
      break;
    case PROP_POLL_MS:
      self->poll_ms = g_value_get_int (value);
      break;
    case PROP_SOURCE:
      g_free (self->source);
      self->source = g_value_dup_string (value);
      break;
    case PROP_LINES:
      self->lines = g_value_get_int (value);
      break;
    case PROP_FOLLOW:
      self->follow = g_value_get_boolean (value);
      break;
    case PROP_MAX_QUEUE:
      self->max_queue = g_value_get_uint (value);
      break;
    case PROP_MAX_QUEUE_BYTES:
      self->max_queue_bytes = g_value_get_uint64 (value);
      break;
    default:
      if (!gst_sensor_net_props_set_property (
              &self->net, PROP_NET, prop_id, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
  if (live_change)
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
  switch (prop_id) {
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_CHANNEL:
      g_value_set_string (value, self->channel);
      break;
    case PROP_INTERVAL_MS:
      g_value_set_int (value, self->interval_ms);
      break;
    case PROP_LIMIT:
      g_value_set_int (value, self->limit);
      break;
    case PROP_HEARTBEAT_MS:
      g_value_set_int (value, self->heartbeat_ms);
      break;
    case PROP_KINDS:
      g_value_set_string (value, self->kinds);
      break;
    case PROP_OUTPUT:
      g_value_set_string (value, self->output);
      break;
    case PROP_RESTORE:
      g_value_set_boolean (value, self->restore);
      break;
    case PROP_POLL_MS:
      g_value_set_int (value, self->poll_ms);
      break;
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_LINES:
      g_value_set_int (value, self->lines);
      break;
    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;
    case PROP_MAX_QUEUE:
      g_value_set_uint (value, self->max_queue);
      break;
    case PROP_MAX_QUEUE_BYTES:
      g_value_set_uint64 (value, self->max_queue_bytes);
      break;
    default:
      if (!gst_sensor_net_props_get_property (
              &self->net, PROP_NET, prop_id, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
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
  g_free (self->open_op);
  gst_sensor_handoff_queue_free (self->queue);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->client_lock);
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
  g_mutex_init (&self->client_lock);
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
          "Counters: messages-received, bytes-received, buffers-pushed, "
          "queued, queued-bytes, dropped, dropped-bytes, skipped-unknown, "
          "skipped-invalid, "
          "skipped-wrong-type, skipped-frames, device-errors, notices, "
          "reconnects, format-changes, connected",
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
