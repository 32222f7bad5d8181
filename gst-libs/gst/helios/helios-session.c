/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:helios-session
 * @title: HeliOS session
 * @short_description: the policy of reading one HeliOS channel, without an
 *   element
 *
 * The policy of reading one HeliOS channel, apart from any element: which
 * path and query to open, what to send on every new socket, what each
 * message means, and what a close means. The network thread drives it
 * through the WebSocket client's callbacks (or a test through the
 * gst_helios_session_handle_*() calls); it answers through callbacks.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "helios-session.h"

#include <gst/helios/helios-asyncapi.h>
#include <gst/helios/helios-format.h>
#include <gst/helios/helios-message.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (helios_session_debug);
#define GST_CAT_DEFAULT helios_session_debug

struct _GstHeliosSession
{
  const GstHeliosChannel *chan;
  GUri *base;
  gchar *uri;
  GstHeliosSessionCallbacks cb;
  gpointer user_data;
  GDestroyNotify notify;

  GMutex client_lock; /* keeps @client alive for sends from any thread */
  GstSensorNetWsClient *client;

  /* under @lock */
  GMutex lock;
  gboolean finished; /* ended or stopped: ignore input */
  gchar *open_op;    /* sent on every open */
  GstHeliosSessionStats stats;

  /* network thread only */
  gchar *fourcc;
  guint width, height;
  gsize frame_size; /* raw formats: exact bytes; else 0 */
  gboolean have_format;
  gboolean discont;
  gushort last_close_code;
  guint last_http_status;
  gchar *last_close_reason;
  guint failures; /* in a row, reset when a connection opens */
};

/**
 * gst_helios_session_params_init:
 * @params: (out caller-allocates): the parameters to set
 *
 * Sets the defaults: ws://localhost:5800, device.telemetry, every sensor
 * kind, and every other value left to the device.
 */
void
gst_helios_session_params_init (GstHeliosSessionParams *params)
{
  memset (params, 0, sizeof (*params));
  params->location = "ws://localhost:5800";
  params->channel = "device.telemetry";
  params->kinds = "imu,power,firmware,lighting";
  params->restore = TRUE;
  params->lines = -1;
  params->follow = TRUE;
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

/* Query values of the parameters changed from their defaults. */
static GstStructure *
query_values (const GstHeliosChannel *chan, const GstHeliosSessionParams *p)
{
  GstStructure *v = gst_structure_new_empty ("query");

  /* sensors.stream takes its interval in the subscribe op */
  if (p->interval_ms > 0 && chan->id != GST_HELIOS_CHANNEL_SENSORS_STREAM)
    gst_structure_set (v, "interval_ms", G_TYPE_INT, p->interval_ms, NULL);
  if (p->limit > 0)
    gst_structure_set (v, "limit", G_TYPE_INT, p->limit, NULL);
  if (p->heartbeat_ms > 0)
    gst_structure_set (v, "heartbeat_ms", G_TYPE_INT, p->heartbeat_ms, NULL);
  if (p->output)
    gst_structure_set (v, "output", G_TYPE_STRING, p->output, NULL);
  if (!p->restore)
    gst_structure_set (v, "restore", G_TYPE_BOOLEAN, FALSE, NULL);
  if (p->poll_ms > 0)
    gst_structure_set (v, "poll_ms", G_TYPE_INT, p->poll_ms, NULL);
  if (p->source)
    gst_structure_set (v, "source", G_TYPE_STRING, p->source, NULL);
  if (p->lines >= 0)
    gst_structure_set (v, "lines", G_TYPE_INT, p->lines, NULL);
  if (!p->follow)
    gst_structure_set (v, "follow", G_TYPE_BOOLEAN, FALSE, NULL);
  return v;
}

static GUri *
parse_location (const gchar *location, GError **error)
{
  GUri *base = g_uri_parse (location, G_URI_FLAGS_NONE, NULL);

  if (base == NULL ||
      (g_ascii_strcasecmp (g_uri_get_scheme (base), "ws") &&
          g_ascii_strcasecmp (g_uri_get_scheme (base), "wss")) ||
      g_uri_get_host (base) == NULL) {
    g_clear_pointer (&base, g_uri_unref);
    g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_BAD_PARAM,
        "location must be ws://host[:port] or wss://host[:port], not '%s'",
        GST_STR_NULL (location));
  }
  return base;
}

static gchar *
build_uri (GstHeliosSession *self, const gchar *stream_id,
    const GstHeliosSessionParams *params, GError **error)
{
  g_autoptr (GPtrArray) ignored = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) clamped = g_ptr_array_new_with_free_func (g_free);
  GstStructure *values = query_values (self->chan, params);
  g_autofree gchar *path = gst_helios_channel_build_path (
      self->chan, stream_id, values, ignored, clamped);
  g_autoptr (GUri) full = NULL;
  guint i;

  gst_structure_free (values);
  for (i = 0; i < ignored->len; i++)
    GST_WARNING ("channel %s takes no '%s': ignored", self->chan->name,
        (gchar *) g_ptr_array_index (ignored, i));
  for (i = 0; i < clamped->len; i++)
    GST_WARNING ("clamped to the device's range: %s",
        (gchar *) g_ptr_array_index (clamped, i));
  full = g_uri_parse_relative (self->base, path, G_URI_FLAGS_ENCODED, error);
  return full ? g_uri_to_string (full) : NULL;
}

/**
 * gst_helios_session_new:
 * @params: the channel, device and parameters
 * @callbacks: what to call; copied
 * @user_data: (closure): passed to every callback
 * @notify: (nullable) (destroy user_data): frees @user_data with the
 *   session
 * @error: (out) (optional) (nullable): why the session cannot be opened
 *
 * Resolves the channel, builds its URI (parameters the channel does not
 * take are ignored and values out of the device's range clamped, both
 * logged) and, for sensors.stream, the subscribe op. Nothing is connected
 * before gst_helios_session_start().
 *
 * Returns: (transfer full) (nullable): the session, or NULL with
 *   GST_HELIOS_ERROR_UNKNOWN_CHANNEL or _BAD_STREAM_ID (no such channel),
 *   _INTERACTIVE (console.session) or _BAD_PARAM (location or kinds).
 */
GstHeliosSession *
gst_helios_session_new (const GstHeliosSessionParams *params,
    const GstHeliosSessionCallbacks *callbacks, gpointer user_data,
    GDestroyNotify notify, GError **error)
{
  GstHeliosSession *self;
  const GstHeliosChannel *chan;
  g_autofree gchar *stream_id = NULL;
  g_autofree gchar *op = NULL;
  GUri *base;

  GST_DEBUG_CATEGORY_INIT (
      helios_session_debug, "heliossession", 0, "HeliOS channel session");

  chan = gst_helios_channel_lookup (params->channel, &stream_id, error);
  if (chan == NULL)
    return NULL;
  if (chan->payload == GST_HELIOS_PAYLOAD_INTERACTIVE) {
    g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_INTERACTIVE,
        "HeliOS channel %s is an interactive shell (it needs input), not a "
        "data stream; heliossrc does not open it",
        chan->name);
    return NULL;
  }
  base = parse_location (params->location, error);
  if (base == NULL)
    return NULL;
  /* sensors.stream says what to send with a subscribe op */
  if (chan->id == GST_HELIOS_CHANNEL_SENSORS_STREAM) {
    op = sensors_op (params->kinds, params->interval_ms, error);
    if (op == NULL) {
      g_uri_unref (base);
      return NULL;
    }
  }

  self = g_new0 (GstHeliosSession, 1);
  self->chan = chan;
  self->base = base;
  self->uri = build_uri (self, stream_id, params, error);
  if (self->uri == NULL) {
    gst_helios_session_free (self);
    return NULL;
  }
  self->open_op = g_steal_pointer (&op);
  if (callbacks)
    self->cb = *callbacks;
  self->user_data = user_data;
  self->notify = notify;
  g_mutex_init (&self->lock);
  g_mutex_init (&self->client_lock);
  GST_INFO ("channel %s at %s", chan->name, self->uri);
  return self;
}

/**
 * gst_helios_session_free:
 * @session: (transfer full) (nullable): a session
 *
 * Stops the session if it runs and frees it; frees the user data with the
 * notify given to gst_helios_session_new().
 */
void
gst_helios_session_free (GstHeliosSession *session)
{
  if (session == NULL)
    return;
  gst_helios_session_stop (session);
  if (session->notify)
    session->notify (session->user_data);
  g_clear_pointer (&session->base, g_uri_unref);
  g_free (session->uri);
  g_free (session->open_op);
  g_free (session->fourcc);
  g_free (session->last_close_reason);
  g_mutex_clear (&session->lock);
  g_mutex_clear (&session->client_lock);
  g_free (session);
}

/**
 * gst_helios_session_get_channel:
 * @session: a session
 *
 * Returns: (transfer none): the channel's table row
 */
const GstHeliosChannel *
gst_helios_session_get_channel (GstHeliosSession *session)
{
  return session->chan;
}

/**
 * gst_helios_session_get_uri:
 * @session: a session
 *
 * Returns: (transfer none): the channel's WebSocket URI, with its query
 */
const gchar *
gst_helios_session_get_uri (GstHeliosSession *session)
{
  return session->uri;
}

/**
 * gst_helios_session_dup_open_op:
 * @session: a session
 *
 * Returns: (transfer full) (nullable): the text message sent on every new
 *   socket (the sensors subscribe op, a metrics interval changed while
 *   playing), or NULL when none
 */
gchar *
gst_helios_session_dup_open_op (GstHeliosSession *session)
{
  gchar *op;

  g_mutex_lock (&session->lock);
  op = g_strdup (session->open_op);
  g_mutex_unlock (&session->lock);
  return op;
}

/* ---- the AsyncAPI document ---- */

static gboolean
accept_any_certificate (SoupMessage *msg, GTlsCertificate *cert,
    GTlsCertificateFlags errors, gpointer user_data)
{
  return TRUE;
}

/**
 * gst_helios_session_fetch_channels:
 * @session: a session
 * @config: the transport settings the channel will be opened with: the
 *   timeout bounds the request, the TLS settings apply to https
 *
 * Reads http(s)://host:port/v1/asyncapi.json of the session's device
 * (blocking).
 *
 * Returns: (transfer full) (nullable) (array zero-terminated=1): the
 *   channels the device lists, or NULL when it serves no document, an
 *   unreadable one or one that names no channel the HeliOS way (then the
 *   channel table is trusted)
 */
gchar **
gst_helios_session_fetch_channels (
    GstHeliosSession *session, const GstSensorNetWsConfig *config)
{
  gboolean tls =
      g_ascii_strcasecmp (g_uri_get_scheme (session->base), "wss") == 0;
  g_autofree gchar *uri = g_uri_join (G_URI_FLAGS_NONE, tls ? "https" : "http",
      NULL, g_uri_get_host (session->base), g_uri_get_port (session->base),
      "/v1/asyncapi.json", NULL, NULL);
  g_autoptr (SoupSession) http = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) err = NULL;
  gchar **names;

  http = soup_session_new_with_options (
      "timeout", config->timeout_s, "user-agent", "heliossrc", NULL);
  if (config->ca_file) {
    g_autoptr (GTlsDatabase) db =
        g_tls_file_database_new (config->ca_file, &err);

    if (db)
      soup_session_set_tls_database (http, db);
    else
      GST_WARNING ("cannot read CA file: %s", err->message);
    g_clear_error (&err);
  }
  msg = soup_message_new (SOUP_METHOD_GET, uri);
  if (msg == NULL)
    return NULL;
  if (!config->tls_strict)
    g_signal_connect (
        msg, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);
  body = soup_session_send_and_read (http, msg, NULL, &err);
  if (body == NULL) {
    GST_INFO ("no AsyncAPI document at %s: %s", uri, err->message);
    return NULL;
  }
  if (soup_message_get_status (msg) != SOUP_STATUS_OK) {
    GST_INFO ("no AsyncAPI document at %s: HTTP %u", uri,
        soup_message_get_status (msg));
    return NULL;
  }
  names = gst_helios_asyncapi_parse_channels (
      g_bytes_get_data (body, NULL), g_bytes_get_size (body), &err);
  if (names == NULL) {
    GST_WARNING ("ignoring %s: %s", uri, err->message);
  } else if (!gst_helios_asyncapi_is_helios ((const gchar *const *) names)) {
    /* names in a form we do not know: no grounds to refuse anything */
    GST_WARNING ("ignoring %s: it lists no HeliOS channel name", uri);
    g_clear_pointer (&names, g_strfreev);
  }
  return names;
}

/* ---- what the network thread reports ---- */

static gboolean
is_finished (GstHeliosSession *self)
{
  gboolean finished;

  g_mutex_lock (&self->lock);
  finished = self->finished;
  g_mutex_unlock (&self->lock);
  return finished;
}

static void
count (GstHeliosSession *self, guint64 *counter)
{
  g_mutex_lock (&self->lock);
  (*counter)++;
  g_mutex_unlock (&self->lock);
}

static gboolean
copy_field (GQuark field, const GValue *value, gpointer user_data)
{
  gst_structure_id_set_value (user_data, field, value);
  return TRUE;
}

/* The shared connection-state structure, with the channel and @extra's
 * fields (attempt and delay replace the defaults). */
static void
report_state (GstHeliosSession *self, const gchar *state, const gchar *reason,
    GstStructure *extra)
{
  GstStructure *s =
      gst_sensor_net_connection_state_new (state, self->uri, 0, 0, reason);

  gst_structure_set (s, "channel", G_TYPE_STRING, self->chan->name, NULL);
  if (extra) {
    gst_structure_foreach (extra, copy_field, s);
    gst_structure_free (extra);
  }
  if (self->cb.state)
    self->cb.state (self, s, self->user_data);
  else
    gst_structure_free (s);
}

/* Ends the session: every later message is ignored. */
static void
report_end (GstHeliosSession *self, GstHeliosSessionEnd how, GError *error,
    gchar *debug, GstStructure *details)
{
  g_mutex_lock (&self->lock);
  self->finished = TRUE;
  g_mutex_unlock (&self->lock);
  if (self->cb.end)
    self->cb.end (self, how, error, debug, details, self->user_data);
  else if (details)
    gst_structure_free (details);
  g_clear_error (&error);
  g_free (debug);
}

static gboolean
send_text (GstSensorNetWsClient *client, const gchar *text)
{
  GBytes *op = g_bytes_new (text, strlen (text));
  gboolean sent =
      gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_TEXT, op);

  g_bytes_unref (op);
  return sent;
}

/**
 * gst_helios_session_handle_opened:
 * @session: a session
 *
 * A socket opened: reports "connected" and sends the open op. Every socket
 * starts over as on the device: frames wait for a new `format`, and the
 * next record is a discontinuity.
 */
void
gst_helios_session_handle_opened (GstHeliosSession *session)
{
  g_autofree gchar *op = NULL;

  g_mutex_lock (&session->lock);
  session->stats.connected = TRUE;
  op = g_strdup (session->open_op);
  g_mutex_unlock (&session->lock);
  session->have_format = FALSE;
  session->discont = TRUE;
  session->failures = 0;
  report_state (session, "connected", NULL, NULL);

  /* sensors: the subscribe op; metrics: a rate changed while playing */
  if (op) {
    g_mutex_lock (&session->client_lock);
    GST_DEBUG ("sending %s", op);
    if (session->client && !send_text (session->client, op))
      GST_WARNING ("could not send %s", op);
    g_mutex_unlock (&session->client_lock);
  }
}

static void
report_data (GstHeliosSession *self, GBytes *payload)
{
  gboolean discont = self->discont;

  self->discont = FALSE;
  if (self->cb.data)
    self->cb.data (self, payload, discont, self->user_data);
  else
    g_bytes_unref (payload);
}

/* A short printable excerpt of a message for logs. */
static gchar *
excerpt (const gchar *data, gsize len)
{
  g_autofree gchar *valid = g_utf8_make_valid (data, MIN (len, 120));

  return g_strescape (valid, NULL);
}

static void
handle_format (GstHeliosSession *self, GstHeliosMessage *msg)
{
  GError *err = NULL;
  GstCaps *caps;

  if (self->have_format && g_strcmp0 (self->fourcc, msg->fourcc) == 0 &&
      self->width == msg->width && self->height == msg->height) {
    GST_DEBUG ("format unchanged");
    return;
  }
  caps = gst_helios_format_to_caps (msg->fourcc, msg->width, msg->height, &err);
  if (caps == NULL) {
    GError *end = g_error_new (GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT,
        "HeliOS frames channel sent a format heliossrc cannot handle: %s",
        err->message);

    g_error_free (err);
    report_end (self, GST_HELIOS_SESSION_END_STREAM_ERROR, end,
        g_strdup_printf ("format message: fourcc '%s', %ux%u", msg->fourcc,
            msg->width, msg->height),
        gst_structure_new ("details", "fourcc", G_TYPE_STRING, msg->fourcc,
            "width", G_TYPE_UINT, msg->width, "height", G_TYPE_UINT,
            msg->height, NULL));
    return;
  }
  g_free (self->fourcc);
  self->fourcc = g_strdup (msg->fourcc);
  self->width = msg->width;
  self->height = msg->height;
  self->frame_size =
      gst_helios_format_frame_size (msg->fourcc, msg->width, msg->height);
  self->have_format = TRUE;
  GST_INFO ("format %s %ux%u -> %" GST_PTR_FORMAT, msg->fourcc, msg->width,
      msg->height, caps);
  count (self, &self->stats.format_changes);
  if (self->cb.format)
    self->cb.format (
        self, msg->fourcc, msg->width, msg->height, caps, self->user_data);
  gst_caps_unref (caps);
}

static void
handle_device_error (
    GstHeliosSession *self, GstHeliosMessage *msg, const gchar *text, gsize len)
{
  GError *err;

  count (self, &self->stats.device_errors);
  if (self->cb.warning == NULL)
    return;
  err = g_error_new (GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ,
      "HeliOS device reported an error on %s: %s", self->chan->name,
      msg->error_message);
  {
    g_autofree gchar *ex = excerpt (text, len);
    g_autofree gchar *debug = g_strdup_printf ("message: %s", ex);

    self->cb.warning (self, err, debug,
        gst_structure_new ("details", "channel", G_TYPE_STRING,
            self->chan->name, "device-message", G_TYPE_STRING,
            msg->error_message, "device-code", G_TYPE_STRING, msg->error_code,
            NULL),
        self->user_data);
  }
  g_error_free (err);
}

static void
handle_text (GstHeliosSession *self, GBytes *payload)
{
  gsize len;
  const gchar *text = g_bytes_get_data (payload, &len);
  GstHeliosMessage msg;
  GError *err = NULL;

  if (!gst_helios_message_parse (self->chan->id, text, len, &msg, &err)) {
    g_autofree gchar *ex = excerpt (text, len);

    if (g_error_matches (err, GST_HELIOS_ERROR, GST_HELIOS_ERROR_BAD_FORMAT)) {
      GError *end = g_error_new (GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT,
          "HeliOS frames channel sent an invalid format: %s", err->message);

      report_end (self, GST_HELIOS_SESSION_END_STREAM_ERROR, end,
          g_strdup_printf ("message: %s", ex), NULL);
    } else {
      count (self, &self->stats.skipped_invalid);
      GST_WARNING ("skipped a malformed message on %s (%s): %s",
          self->chan->name, err->message, ex);
    }
    g_error_free (err);
    return;
  }

  switch (msg.kind) {
    case GST_HELIOS_MESSAGE_DATA:
      if (self->chan->payload == GST_HELIOS_PAYLOAD_JSON)
        report_data (self, gst_helios_message_to_line (&msg, text, len));
      break;
    case GST_HELIOS_MESSAGE_READY: {
      g_autofree gchar *line = json_to_string (msg.root, FALSE);

      count (self, &self->stats.notices);
      report_state (self, "ready", NULL,
          gst_structure_new ("extra", "message", G_TYPE_STRING, line, NULL));
      break;
    }
    case GST_HELIOS_MESSAGE_HEARTBEAT:
      count (self, &self->stats.notices);
      GST_LOG ("heartbeat");
      break;
    case GST_HELIOS_MESSAGE_ERROR:
      handle_device_error (self, &msg, text, len);
      break;
    case GST_HELIOS_MESSAGE_EOF:
      GST_INFO ("device sent eof: end of stream");
      report_end (self, GST_HELIOS_SESSION_END_EOS, NULL, NULL, NULL);
      break;
    case GST_HELIOS_MESSAGE_FORMAT:
      handle_format (self, &msg);
      break;
    case GST_HELIOS_MESSAGE_UNKNOWN: {
      g_autofree gchar *ex = excerpt (text, len);

      count (self, &self->stats.skipped_unknown);
      GST_WARNING ("skipped a message of unknown type '%s' on %s: %s",
          GST_STR_NULL (msg.type), self->chan->name, ex);
      break;
    }
  }
  gst_helios_message_clear (&msg);
}

static void
handle_binary (GstHeliosSession *self, GBytes *payload)
{
  gsize len = g_bytes_get_size (payload);

  if (self->chan->payload != GST_HELIOS_PAYLOAD_FRAMES) {
    count (self, &self->stats.skipped_wrong_type);
    GST_WARNING ("skipped a binary message (%" G_GSIZE_FORMAT
                 " bytes) on JSON channel %s",
        len, self->chan->name);
    return;
  }
  if (!self->have_format) {
    count (self, &self->stats.skipped_frames);
    GST_WARNING ("skipped a frame (%" G_GSIZE_FORMAT " bytes) "
                 "that came before any format message",
        len);
    return;
  }
  if (len == 0 || (self->frame_size && len != self->frame_size)) {
    count (self, &self->stats.skipped_frames);
    GST_WARNING ("skipped a %s frame of %" G_GSIZE_FORMAT
                 " bytes (%ux%u needs %" G_GSIZE_FORMAT ")",
        self->fourcc, len, self->width, self->height, self->frame_size);
    return;
  }
  report_data (self, g_bytes_ref (payload));
}

/**
 * gst_helios_session_handle_message:
 * @session: a session
 * @type: text or binary
 * @payload: (transfer none): one whole message
 *
 * Classifies a message: records and frames go to the data callback,
 * `ready` to the state callback, device errors to the warning callback,
 * `eof` and unusable formats end the session; malformed JSON, unknown
 * types, binary messages on JSON channels and frames without a usable
 * format are counted and logged. Ignored once the session ended.
 */
void
gst_helios_session_handle_message (
    GstHeliosSession *session, SoupWebsocketDataType type, GBytes *payload)
{
  gboolean finished;

  g_mutex_lock (&session->lock);
  session->stats.messages_received++;
  session->stats.bytes_received += g_bytes_get_size (payload);
  finished = session->finished;
  g_mutex_unlock (&session->lock);
  if (finished)
    return;

  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    handle_text (session, payload);
  else
    handle_binary (session, payload);
}

/**
 * gst_helios_session_handle_closed:
 * @session: a session
 * @info: why the socket closed or did not open
 *
 * Reports "disconnected", then applies the shared failure rule (HeliOS has
 * no close codes of its own): a fatal failure (a 404 for a channel the
 * device lacks, another 4xx, TLS, a bad URI) goes to the failure callback,
 * reports "closed" and ends the session; anything else goes to the failure
 * callback as transient.
 *
 * Returns: whether the WebSocket client should reconnect
 */
GstSensorNetWsCloseAction
gst_helios_session_handle_closed (
    GstHeliosSession *session, const GstSensorNetWsCloseInfo *info)
{
  g_autofree gchar *cause = gst_sensor_net_failure_describe (info);
  GstStructure *extra;
  gboolean finished;

  g_mutex_lock (&session->lock);
  session->stats.connected = FALSE;
  if (g_error_matches (info->error, SOUP_WEBSOCKET_ERROR, 1009))
    session->stats.oversized_messages++;
  finished = session->finished;
  g_mutex_unlock (&session->lock);

  session->last_close_code = info->close_code;
  session->last_http_status = info->http_status;
  g_free (session->last_close_reason);
  session->last_close_reason = g_strdup (cause);

  extra = gst_structure_new ("extra", "close-code", G_TYPE_UINT,
      (guint) info->close_code, "close-reason", G_TYPE_STRING,
      info->close_reason ? info->close_reason : "", "http-status", G_TYPE_UINT,
      info->http_status, NULL);
  if (info->error)
    gst_structure_set (
        extra, "error", G_TYPE_STRING, info->error->message, NULL);
  report_state (session, "disconnected", cause, extra);

  if (finished)
    return GST_SENSOR_NET_WS_CLOSE_STOP;

  if (gst_sensor_net_failure_classify (info) == GST_SENSOR_NET_FAILURE_FATAL) {
    if (session->cb.failure)
      session->cb.failure (session, GST_SENSOR_NET_FAILURE_FATAL, info,
          session->failures + 1, session->user_data);
    report_state (session, "closed", cause, NULL);
    report_end (session, GST_HELIOS_SESSION_END_FATAL, NULL, NULL, NULL);
    return GST_SENSOR_NET_WS_CLOSE_STOP;
  }
  session->failures++;
  count (session, &session->stats.failures);
  if (session->cb.failure)
    session->cb.failure (session, GST_SENSOR_NET_FAILURE_TRANSIENT, info,
        session->failures, session->user_data);
  return GST_SENSOR_NET_WS_CLOSE_RECONNECT;
}

/**
 * gst_helios_session_handle_reconnecting:
 * @session: a session
 * @attempt: the attempt, from 1
 * @delay: nanoseconds before it
 *
 * Counts the reconnect and reports "reconnecting" with the last cause.
 */
void
gst_helios_session_handle_reconnecting (
    GstHeliosSession *session, guint attempt, GstClockTime delay)
{
  count (session, &session->stats.reconnects);
  report_state (session, "reconnecting", session->last_close_reason,
      gst_structure_new ("extra", "attempt", G_TYPE_UINT, attempt, "delay",
          G_TYPE_UINT64, delay, NULL));
}

/**
 * gst_helios_session_handle_gave_up:
 * @session: a session
 *
 * The retries ran out: reports "closed" and ends the session with a
 * GST_RESOURCE_ERROR_READ error naming the channel, the failures and the
 * last cause (details `close-code`, `http-status`, `uri`, `failures`).
 * Nothing when the session had ended already (EOS, an error, stop).
 */
void
gst_helios_session_handle_gave_up (GstHeliosSession *session)
{
  GError *err;

  if (is_finished (session))
    return;
  report_state (session, "closed", session->last_close_reason, NULL);
  err = g_error_new (GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ,
      "Lost the HeliOS channel %s and gave up reconnecting after %u "
      "failure(s): %s",
      session->chan->name, session->failures,
      GST_STR_NULL (session->last_close_reason));
  report_end (session, GST_HELIOS_SESSION_END_LOST, err,
      g_strdup_printf ("%s: last close code %u, HTTP status %u", session->uri,
          session->last_close_code, session->last_http_status),
      gst_structure_new ("details", "close-code", G_TYPE_UINT,
          (guint) session->last_close_code, "http-status", G_TYPE_UINT,
          session->last_http_status, "uri", G_TYPE_STRING, session->uri,
          "failures", G_TYPE_UINT, session->failures, NULL));
}

/* ---- the WebSocket client ---- */

static void
on_opened (GstSensorNetWsClient *client, gpointer user_data)
{
  gst_helios_session_handle_opened (user_data);
}

static void
on_message (GstSensorNetWsClient *client, SoupWebsocketDataType type,
    GBytes *payload, gpointer user_data)
{
  gst_helios_session_handle_message (user_data, type, payload);
}

static GstSensorNetWsCloseAction
on_closed (GstSensorNetWsClient *client, const GstSensorNetWsCloseInfo *info,
    gpointer user_data)
{
  return gst_helios_session_handle_closed (user_data, info);
}

static void
on_reconnecting (GstSensorNetWsClient *client, guint attempt,
    GstClockTime delay, gpointer user_data)
{
  gst_helios_session_handle_reconnecting (user_data, attempt, delay);
}

static void
on_gave_up (GstSensorNetWsClient *client, gpointer user_data)
{
  gst_helios_session_handle_gave_up (user_data);
}

static const GstSensorNetWsCallbacks ws_callbacks = {
  .opened = on_opened,
  .message = on_message,
  .closed = on_closed,
  .reconnecting = on_reconnecting,
  .gave_up = on_gave_up,
};

/**
 * gst_helios_session_start:
 * @session: a session, not started
 * @config: transport settings (timeout, retries, keepalive, TLS, message
 *   size); its uri is replaced by the session's
 *
 * Reports "connecting" and starts connecting on the WebSocket client's
 * network thread; every callback comes from there.
 */
void
gst_helios_session_start (
    GstHeliosSession *session, const GstSensorNetWsConfig *config)
{
  GstSensorNetWsConfig c;
  GstSensorNetWsClient *client;

  g_return_if_fail (session->client == NULL);
  gst_sensor_net_ws_config_init (&c);
  gst_sensor_net_ws_config_copy_into (&c, config);
  g_free (c.uri);
  c.uri = g_strdup (session->uri);
  client = gst_sensor_net_ws_client_new (&c, &ws_callbacks, session, NULL);
  gst_sensor_net_ws_config_clear (&c);
  g_mutex_lock (&session->client_lock);
  session->client = client;
  g_mutex_unlock (&session->client_lock);
  report_state (session, "connecting", NULL, NULL);
  gst_sensor_net_ws_client_start (client);
}

/**
 * gst_helios_session_stop:
 * @session: a session
 *
 * Ends the session, closes the socket with 1000 and waits for the network
 * thread: no callback comes after this returns. The counters stay.
 */
void
gst_helios_session_stop (GstHeliosSession *session)
{
  GstSensorNetWsClient *client;

  g_mutex_lock (&session->client_lock);
  client = session->client;
  session->client = NULL;
  g_mutex_unlock (&session->client_lock);
  g_mutex_lock (&session->lock);
  session->finished = TRUE;
  g_mutex_unlock (&session->lock);
  if (client) {
    gst_sensor_net_ws_client_stop (client, 1000, "");
    gst_sensor_net_ws_client_free (client);
  }
  g_mutex_lock (&session->lock);
  session->stats.connected = FALSE;
  g_mutex_unlock (&session->lock);
}

/**
 * gst_helios_session_update_live:
 * @session: a session
 * @kinds: (nullable): sensors.stream: comma-separated kinds
 * @interval_ms: the message interval; 0 = the device's default
 * @error: (out) (optional) (nullable): why nothing changed
 *
 * Parameters changed while running: sensors.stream takes a new subscribe
 * op, streams.UUID.metrics an `{"interval_ms":N}` message (clamped to the
 * device's range). Sent now when a socket is open, and again on every new
 * one. Other channels take their parameters only when opened.
 *
 * Returns: FALSE with GST_HELIOS_ERROR_BAD_PARAM when @kinds is invalid
 *   (the subscription stays as it was), else TRUE
 */
gboolean
gst_helios_session_update_live (GstHeliosSession *session, const gchar *kinds,
    gint interval_ms, GError **error)
{
  GstHeliosChannelId id = session->chan->id;
  g_autofree gchar *op = NULL;

  if (id == GST_HELIOS_CHANNEL_SENSORS_STREAM) {
    op = sensors_op (kinds, interval_ms, error);
    if (op == NULL)
      return FALSE;
  } else if (id == GST_HELIOS_CHANNEL_STREAM_METRICS && interval_ms > 0) {
    gint clamped;

    gst_helios_param_clamp (
        gst_helios_channel_find_param (session->chan, "interval_ms"),
        interval_ms, &clamped);
    op = g_strdup_printf ("{\"interval_ms\":%d}", clamped);
  } else {
    return TRUE;
  }
  g_mutex_lock (&session->lock);
  g_free (session->open_op);
  session->open_op = g_strdup (op);
  g_mutex_unlock (&session->lock);
  GST_INFO ("sending %s", op);
  g_mutex_lock (&session->client_lock);
  if (session->client == NULL || !send_text (session->client, op))
    GST_INFO ("not connected: sent on the next connection");
  g_mutex_unlock (&session->client_lock);
  return TRUE;
}

/**
 * gst_helios_session_get_stats:
 * @session: a session
 * @stats: (out caller-allocates): the counters
 *
 * Copies the counters (any thread).
 */
void
gst_helios_session_get_stats (
    GstHeliosSession *session, GstHeliosSessionStats *stats)
{
  g_mutex_lock (&session->lock);
  *stats = session->stats;
  g_mutex_unlock (&session->lock);
}
