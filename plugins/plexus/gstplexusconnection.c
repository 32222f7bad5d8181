/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One Plexus live-stream session on the shared WebSocket client: builds the
 * stream URI, sends the auth frame when the socket opens, parses every
 * message on the network thread, applies the close-code policy, and posts
 * the element messages, warnings and errors that all three sources share.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/sensor/sensor-counters.h>
#include <gst/sensor/sensor-field.h>
#include <gst/sensornet/sensornet-failure.h>
#include <gst/sensornet/sensornet-ws-client.h>

#include "gstplexusconnection.h"

GST_DEBUG_CATEGORY_STATIC (plexus_conn_debug);
#define GST_CAT_DEFAULT plexus_conn_debug

#define DEFAULT_DATA_TIMEOUT 30

/* Messages above the parser limit are skipped; the socket only gives up on
 * messages far beyond it, so one oversized frame does not cost the stream. */
#define SOCKET_MAX_PAYLOAD (GST_PLEXUS_MAX_MESSAGE_SIZE + 4 * 1024 * 1024)

void
gst_plexus_settings_init (GstPlexusSettings *s)
{
  memset (s, 0, sizeof (*s));
  s->location = g_strdup (GST_PLEXUS_DEFAULT_LOCATION);
  gst_sensor_net_props_init (&s->net, NULL);
  s->net.max_message_size = SOCKET_MAX_PAYLOAD;
  s->data_timeout_s = DEFAULT_DATA_TIMEOUT;
}

void
gst_plexus_settings_clear (GstPlexusSettings *s)
{
  g_free (s->location);
  g_free (s->source_id);
  if (s->api_key)
    memset (s->api_key, 0, strlen (s->api_key));
  g_free (s->api_key);
  g_strfreev (s->metrics);
  g_strfreev (s->cameras);
  gst_sensor_net_props_clear (&s->net);
  memset (s, 0, sizeof (*s));
}

void
gst_plexus_settings_copy (GstPlexusSettings *d, const GstPlexusSettings *s)
{
  *d = *s;
  d->location = g_strdup (s->location);
  d->source_id = g_strdup (s->source_id);
  d->api_key = g_strdup (s->api_key);
  d->metrics = g_strdupv (s->metrics);
  d->cameras = g_strdupv (s->cameras);
  gst_sensor_net_props_copy (&d->net, &s->net);
}

void
gst_plexus_install_properties (
    GObjectClass *klass, GstSensorNetPropsFlags net_flags)
{
  const GParamFlags rw =
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY;
  const GstSensorNetPropsDefaults net_defaults = {
    net_flags,
    GST_SENSOR_NET_PROPS_DEFAULT_TIMEOUT,
    0,
    NULL,
    SOCKET_MAX_PAYLOAD,
  };

  g_object_class_install_property (klass, GST_PLEXUS_PROP_LOCATION,
      g_param_spec_string ("location", "Location",
          "Data API base URI (ws://, wss://, http:// or https://); the "
          "stream path is appended",
          GST_PLEXUS_DEFAULT_LOCATION, rw));
  g_object_class_install_property (klass, GST_PLEXUS_PROP_SOURCE_ID,
      g_param_spec_string ("source-id", "Source ID",
          "The device whose stream to read", NULL, rw));
  g_object_class_install_property (klass, GST_PLEXUS_PROP_API_KEY,
      g_param_spec_string ("api-key", "API key",
          "Plexus API key (plx_...), sent in the auth frame; write-only", NULL,
          G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass, GST_PLEXUS_PROP_DATA_TIMEOUT,
      g_param_spec_uint ("data-timeout", "Data timeout",
          "Post a warning when the server sends nothing for this many "
          "seconds (0 = off)",
          0, 3600, DEFAULT_DATA_TIMEOUT, rw));
  g_object_class_install_property (klass, GST_PLEXUS_PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Counters: messages, frames, drops by reason, reconnects",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  gst_sensor_net_props_install (klass, GST_PLEXUS_PROP_NET, &net_defaults);
}

static const GstSensorFieldProp settings_props[] = {
  GST_SENSOR_FIELD_PROP (
      GST_PLEXUS_PROP_SOURCE_ID, GstPlexusSettings, source_id),
  GST_SENSOR_FIELD_PROP (
      GST_PLEXUS_PROP_DATA_TIMEOUT, GstPlexusSettings, data_timeout_s),
};

gboolean
gst_plexus_settings_set_property (
    GstPlexusSettings *s, GObject *object, guint prop_id, const GValue *value)
{
  switch (prop_id) {
    case GST_PLEXUS_PROP_LOCATION:
      g_free (s->location);
      s->location = g_value_dup_string (value);
      if (!s->location)
        s->location = g_strdup (GST_PLEXUS_DEFAULT_LOCATION);
      return TRUE;
    case GST_PLEXUS_PROP_API_KEY:
      if (s->api_key)
        memset (s->api_key, 0, strlen (s->api_key));
      g_free (s->api_key);
      s->api_key = g_value_dup_string (value);
      if (s->api_key && !gst_plexus_api_key_is_well_formed (s->api_key))
        GST_WARNING_OBJECT (object,
            "the api-key is not plx_ and 36 "
            "characters: the server will refuse it");
      return TRUE;
    default:
      return gst_sensor_field_set_in (s, settings_props,
                 G_N_ELEMENTS (settings_props), prop_id, value) ||
          gst_sensor_net_props_set_property (
              &s->net, GST_PLEXUS_PROP_NET, prop_id, value);
  }
}

gboolean
gst_plexus_settings_get_property (
    GstPlexusSettings *s, guint prop_id, GValue *value)
{
  if (prop_id == GST_PLEXUS_PROP_LOCATION) {
    g_value_set_string (value, s->location);
    return TRUE;
  }
  return gst_sensor_field_get_in (s, settings_props,
             G_N_ELEMENTS (settings_props), prop_id, value) ||
      gst_sensor_net_props_get_property (
          &s->net, GST_PLEXUS_PROP_NET, prop_id, value);
}

/* the connection's counters, in every Plexus source's stats */
enum {
  COUNTER_MESSAGES,
  COUNTER_BYTES,
  COUNTER_BINARY,
  COUNTER_OVERSIZED,
  COUNTER_MALFORMED,
  COUNTER_UNKNOWN,
  COUNTER_CONNECTS,
  COUNTER_RECONNECTS,
  COUNTER_GATEWAY_RECONNECTING,
  COUNTER_FAILURES,
  N_COUNTERS,
};

static const GstSensorCounterInfo counter_info[N_COUNTERS] = {
  { "messages-received", "WebSocket messages received" },
  { "bytes-received", "their bytes" },
  { "binary-messages", "binary messages (the protocol is text)" },
  { "oversized-messages", "frames or messages over the size limits" },
  { "malformed-messages", "frames that do not parse" },
  { "unknown-messages", "frames of an unknown type, skipped" },
  { "connects", "connections that took the auth frame" },
  { "reconnects", "reconnect attempts started" },
  { "gateway-reconnecting", "gateway_reconnecting notices" },
  { "failures", "transient connection failures" },
};

struct _GstPlexusConnection
{
  GstElement *element; /* not a reference: the element owns us */
  GstPlexusStream stream;
  GstPlexusSettings settings;
  GstPlexusFrameFunc on_frame;
  GstPlexusEndFunc on_end;
  gpointer user_data;

  GstSensorNetWsClient *client;
  gchar *uri;
  GMainContext *net_context;
  GSource *watchdog;
  gboolean watchdog_gone;
  GCond watchdog_cond;

  GMutex lock;
  gboolean ended;
  gboolean idle_warned;
  gint64 last_message_us;
  gint64 last_warn_us;
  GstSensorCounters *counters; /* COUNTER_*, atomic */
  guint last_close_code;
  gchar *last_close_reason;
  guint last_http_status;
  gchar *last_error;
  gchar *last_cause;
  guint failures;     /* in a row; a successful open resets it */
  gboolean connected; /* between open and close */
};

GstPlexusConnection *
gst_plexus_connection_new (GstElement *element, GstPlexusStream stream,
    const GstPlexusSettings *settings, GstPlexusFrameFunc on_frame,
    GstPlexusEndFunc on_end, gpointer user_data)
{
  GstPlexusConnection *c = g_new0 (GstPlexusConnection, 1);

  if (!plexus_conn_debug)
    GST_DEBUG_CATEGORY_INIT (plexus_conn_debug, "plexusconnection", 0,
        "Plexus live-stream sessions");
  c->element = element;
  c->stream = stream;
  gst_plexus_settings_copy (&c->settings, settings);
  c->on_frame = on_frame;
  c->on_end = on_end;
  c->user_data = user_data;
  g_mutex_init (&c->lock);
  g_cond_init (&c->watchdog_cond);
  c->counters = gst_sensor_counters_new (counter_info, N_COUNTERS);
  return c;
}

/* The shared connection-state message plus the stream and, after a close,
 * its code and verbatim reason. @why: the cause, or NULL. */
static void
post_state (GstPlexusConnection *c, const gchar *state, guint code,
    const gchar *reason, guint attempt, GstClockTime delay, const gchar *why)
{
  GstStructure *s =
      gst_sensor_net_connection_state_new (state, c->uri, attempt, delay, why);

  gst_structure_set (
      s, "stream", G_TYPE_STRING, gst_plexus_stream_name (c->stream), NULL);
  if (code)
    gst_structure_set (s, "close-code", G_TYPE_UINT, code, "close-reason",
        G_TYPE_STRING, reason ? reason : "", NULL);
  gst_sensor_net_post_connection_state (c->element, s);
}

/* Ends the session once: EOS, or an error already posted. */
static void
end (GstPlexusConnection *c, GstPlexusEnd how)
{
  gboolean first;

  g_mutex_lock (&c->lock);
  first = !c->ended;
  c->ended = TRUE;
  g_mutex_unlock (&c->lock);
  if (first && c->on_end)
    c->on_end (how, c->user_data);
}

static GstClockTime
arrival_time (GstPlexusConnection *c)
{
  GstClock *clock = gst_element_get_clock (c->element);
  GstClockTime now, base;

  if (!clock)
    return GST_CLOCK_TIME_NONE;
  now = gst_clock_get_time (clock);
  gst_object_unref (clock);
  base = gst_element_get_base_time (c->element);
  if (GST_STATE (c->element) != GST_STATE_PLAYING || now < base)
    return GST_CLOCK_TIME_NONE;
  return now - base;
}

static void
on_opened (GstSensorNetWsClient *client, gpointer user_data)
{
  GstPlexusConnection *c = user_data;
  GBytes *auth = gst_plexus_auth_frame_new (c->settings.api_key);

  /* the server gives the auth frame 10 s; send it at once */
  gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_TEXT, auth);
  g_bytes_unref (auth);
  g_mutex_lock (&c->lock);
  gst_sensor_counters_add (c->counters, COUNTER_CONNECTS, 1);
  c->failures = 0;
  c->connected = TRUE;
  c->last_message_us = g_get_monotonic_time ();
  c->idle_warned = FALSE;
  g_mutex_unlock (&c->lock);
  GST_INFO_OBJECT (c->element, "connected to %s", c->uri);
  post_state (c, "connected", 0, NULL, 0, 0, NULL);
}

static void
post_init (GstPlexusConnection *c, GstPlexusFrame *f)
{
  GValue cams = G_VALUE_INIT;
  GstStructure *s;
  gboolean found_source = FALSE;
  guint i, j;
  gchar **want;

  gst_value_array_init (&cams, 4);
  for (i = 0; i < f->online_sources->len; i++) {
    GstPlexusOnlineSource *src = g_ptr_array_index (f->online_sources, i);

    /* the init list is org-wide: keep this device's cameras */
    if (g_strcmp0 (src->source_id, c->settings.source_id) != 0)
      continue;
    found_source = TRUE;
    for (j = 0; j < src->cameras->len; j++) {
      GstPlexusCamera *cam = g_ptr_array_index (src->cameras, j);
      GValue v = G_VALUE_INIT;

      g_value_init (&v, G_TYPE_STRING);
      g_value_set_string (&v, cam->camera_id);
      gst_value_array_append_and_take_value (&cams, &v);
    }
  }
  s = gst_structure_new ("plexus-init", "source-id", G_TYPE_STRING,
      c->settings.source_id, "source-online", G_TYPE_BOOLEAN, found_source,
      "online-sources", G_TYPE_UINT, f->online_sources->len, NULL);
  gst_structure_take_value (s, "cameras", &cams);
  gst_element_post_message (
      c->element, gst_message_new_element (GST_OBJECT (c->element), s));

  for (want = c->settings.cameras; want && *want; want++) {
    gboolean online = FALSE;

    for (i = 0; i < f->online_sources->len && !online; i++) {
      GstPlexusOnlineSource *src = g_ptr_array_index (f->online_sources, i);

      if (g_strcmp0 (src->source_id, c->settings.source_id) != 0)
        continue;
      for (j = 0; j < src->cameras->len; j++)
        if (g_strcmp0 (((GstPlexusCamera *) g_ptr_array_index (src->cameras, j))
                           ->camera_id,
                *want) == 0)
          online = TRUE;
    }
    if (!online)
      GST_ELEMENT_WARNING (c->element, RESOURCE, NOT_FOUND,
          ("Camera \"%s\" of source \"%s\" is not online", *want,
              c->settings.source_id),
          ("the server's init frame does not list it; frames will only come "
           "once it is online"));
  }
}

static void
on_message (GstSensorNetWsClient *client, SoupWebsocketDataType type,
    GBytes *payload, gpointer user_data)
{
  GstPlexusConnection *c = user_data;
  g_autoptr (GError) error = NULL;
  GstPlexusFrame *f;
  gsize size = g_bytes_get_size (payload);
  gboolean warn;

  g_mutex_lock (&c->lock);
  gst_sensor_counters_add (c->counters, COUNTER_MESSAGES, 1);
  gst_sensor_counters_add (c->counters, COUNTER_BYTES, size);
  c->last_message_us = g_get_monotonic_time ();
  c->idle_warned = FALSE;
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    gst_sensor_counters_add (c->counters, COUNTER_BINARY, 1);
  g_mutex_unlock (&c->lock);

  if (type != SOUP_WEBSOCKET_DATA_TEXT) {
    g_mutex_lock (&c->lock);
    warn = gst_plexus_rate_limit (&c->last_warn_us);
    g_mutex_unlock (&c->lock);
    if (warn)
      GST_ELEMENT_WARNING (c->element, STREAM, DECODE,
          ("Skipping a binary WebSocket message (%" G_GSIZE_FORMAT " bytes)",
              size),
          ("Plexus live streams send JSON text only"));
    return;
  }

  f = gst_plexus_frame_parse_bytes (
      payload, GST_PLEXUS_MAX_MESSAGE_SIZE, &error);
  if (!f) {
    g_mutex_lock (&c->lock);
    if (g_error_matches (error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_TOO_LARGE))
      gst_sensor_counters_add (c->counters, COUNTER_OVERSIZED, 1);
    else
      gst_sensor_counters_add (c->counters, COUNTER_MALFORMED, 1);
    warn = gst_plexus_rate_limit (&c->last_warn_us);
    g_mutex_unlock (&c->lock);
    if (warn)
      GST_ELEMENT_WARNING (c->element, STREAM, DECODE,
          ("Skipping a bad message from the server"), ("%s", error->message));
    return;
  }

  switch (f->type) {
    case GST_PLEXUS_FRAME_INIT:
      post_init (c, f);
      break;
    case GST_PLEXUS_FRAME_GATEWAY_RECONNECTING:
      /* informational: the server keeps our session while it retries */
      gst_sensor_counters_add (c->counters, COUNTER_GATEWAY_RECONNECTING, 1);
      gst_element_post_message (c->element,
          gst_message_new_element (GST_OBJECT (c->element),
              gst_structure_new ("plexus-gateway-reconnecting", "attempt",
                  G_TYPE_INT, f->attempt, "max-attempts", G_TYPE_INT,
                  f->max_attempts, "delay-s", G_TYPE_DOUBLE, f->delay_s,
                  NULL)));
      break;
    case GST_PLEXUS_FRAME_ERROR:
      GST_ELEMENT_WARNING (c->element, RESOURCE, READ,
          ("The server reported an error: %s",
              f->message ? f->message : "(no message)"),
          (NULL));
      break;
    case GST_PLEXUS_FRAME_TELEMETRY:
    case GST_PLEXUS_FRAME_EVENT:
    case GST_PLEXUS_FRAME_VIDEO:
      c->on_frame (f, arrival_time (c), c->user_data);
      break;
    case GST_PLEXUS_FRAME_UNKNOWN:
      gst_sensor_counters_add (c->counters, COUNTER_UNKNOWN, 1);
      GST_DEBUG_OBJECT (c->element, "ignoring a frame of type %s",
          GST_STR_NULL (f->type_name));
      break;
  }
  gst_plexus_frame_free (f);
}

static GstSensorNetWsCloseAction
on_closed (GstSensorNetWsClient *client, const GstSensorNetWsCloseInfo *info,
    gpointer user_data)
{
  GstPlexusConnection *c = user_data;
  GstPlexusCloseAction action;
  const gchar *reason = info->close_reason ? info->close_reason : "";
  g_autofree gchar *cause = gst_sensor_net_failure_describe (info);
  guint failures;

  g_mutex_lock (&c->lock);
  c->connected = FALSE;
  g_free (c->last_cause);
  c->last_cause = g_strdup (cause);
  c->last_close_code = info->close_code;
  g_free (c->last_close_reason);
  c->last_close_reason = g_strdup (reason);
  c->last_http_status = info->http_status;
  g_free (c->last_error);
  c->last_error = info->error ? g_strdup (info->error->message) : NULL;
  if (g_error_matches (info->error, SOUP_WEBSOCKET_ERROR, 1009))
    gst_sensor_counters_add (
        c->counters, COUNTER_OVERSIZED, 1); /* over max-message-size: closed */
  if (c->ended) {
    g_mutex_unlock (&c->lock);
    return GST_SENSOR_NET_WS_CLOSE_STOP;
  }
  g_mutex_unlock (&c->lock);

  GST_INFO_OBJECT (c->element, "closed: code %u reason \"%s\" http %u%s%s",
      info->close_code, reason, info->http_status,
      info->error ? " error: " : "", info->error ? info->error->message : "");

  if (info->http_status == 401 || info->http_status == 403)
    action = GST_PLEXUS_CLOSE_UNAUTHORIZED;
  else if (info->http_status == 402)
    action = GST_PLEXUS_CLOSE_PAYMENT_REQUIRED;
  else
    action = gst_plexus_close_classify (c->stream, info->close_code);

  switch (action) {
    case GST_PLEXUS_CLOSE_UNAUTHORIZED:
      post_state (c, "closed", info->close_code, reason, 0, 0, cause);
      GST_ELEMENT_ERROR_WITH_DETAILS (c->element, RESOURCE, NOT_AUTHORIZED,
          ("Plexus refused the stream as unauthorised (close code %u, \"%s\")",
              info->close_code, reason),
          ("the key must be a valid plx_ key of 36 characters, sent as the "
           "first frame within 10 s"),
          ("close-code", G_TYPE_UINT, (guint) info->close_code, "close-reason",
              G_TYPE_STRING, reason, "http-status", G_TYPE_UINT,
              info->http_status, NULL));
      end (c, GST_PLEXUS_END_ERROR);
      return GST_SENSOR_NET_WS_CLOSE_STOP;
    case GST_PLEXUS_CLOSE_PAYMENT_REQUIRED:
      post_state (c, "closed", info->close_code, reason, 0, 0, cause);
      GST_ELEMENT_ERROR_WITH_DETAILS (c->element, RESOURCE, NOT_AUTHORIZED,
          ("Plexus requires payment: the plan has no API access (close code "
           "%u, \"%s\")",
              info->close_code, reason),
          (NULL),
          ("close-code", G_TYPE_UINT, (guint) info->close_code, "close-reason",
              G_TYPE_STRING, reason, "http-status", G_TYPE_UINT,
              info->http_status, NULL));
      end (c, GST_PLEXUS_END_ERROR);
      return GST_SENSOR_NET_WS_CLOSE_STOP;
    case GST_PLEXUS_CLOSE_STREAM_TIMEOUT:
      if (!c->settings.reconnect_on_timeout) {
        post_state (c, "closed", info->close_code, reason, 0, 0, cause);
        GST_INFO_OBJECT (c->element, "stream timeout: end of stream");
        end (c, GST_PLEXUS_END_EOS);
        return GST_SENSOR_NET_WS_CLOSE_STOP;
      }
      break;
    case GST_PLEXUS_CLOSE_RECONNECT:
      break;
  }
  /* then the shared rule: a wrong path (404), a TLS failure, a bad URI meet
   * the same answer again; everything else may pass */
  if (gst_sensor_net_failure_classify (info) == GST_SENSOR_NET_FAILURE_FATAL) {
    post_state (c, "closed", info->close_code, reason, 0, 0, cause);
    gst_sensor_net_post_fatal (c->element, info, c->uri);
    end (c, GST_PLEXUS_END_ERROR);
    return GST_SENSOR_NET_WS_CLOSE_STOP;
  }
  if (info->close_code == 1009)
    GST_ELEMENT_WARNING (c->element, STREAM, TOO_LAZY,
        ("The connection closed over a message too large to accept"), (NULL));
  g_mutex_lock (&c->lock);
  failures = ++c->failures;
  gst_sensor_counters_add (c->counters, COUNTER_FAILURES, 1);
  g_mutex_unlock (&c->lock);
  post_state (c, "disconnected", info->close_code, reason, 0, 0, cause);
  gst_sensor_net_post_transient (c->element, info, c->uri, failures);
  return GST_SENSOR_NET_WS_CLOSE_RECONNECT;
}

static void
on_reconnecting (GstSensorNetWsClient *client, guint attempt,
    GstClockTime delay, gpointer user_data)
{
  GstPlexusConnection *c = user_data;
  gchar *why;

  gst_sensor_counters_add (c->counters, COUNTER_RECONNECTS, 1);
  GST_INFO_OBJECT (c->element, "reconnecting, attempt %u in %" GST_TIME_FORMAT,
      attempt, GST_TIME_ARGS (delay));
  g_mutex_lock (&c->lock);
  why = g_strdup (c->last_cause);
  g_mutex_unlock (&c->lock);
  post_state (c, "reconnecting", 0, NULL, attempt, delay, why);
  g_free (why);
}

static void
on_gave_up (GstSensorNetWsClient *client, gpointer user_data)
{
  GstPlexusConnection *c = user_data;
  guint code, http, failures;
  gchar *reason, *err, *cause;

  g_mutex_lock (&c->lock);
  if (c->ended) {
    g_mutex_unlock (&c->lock);
    return;
  }
  code = c->last_close_code;
  http = c->last_http_status;
  reason = g_strdup (c->last_close_reason ? c->last_close_reason : "");
  err = g_strdup (c->last_error ? c->last_error : "");
  cause = g_strdup (c->last_cause ? c->last_cause : "");
  failures = c->failures;
  g_mutex_unlock (&c->lock);
  post_state (c, "closed", code, reason, 0, 0, cause);
  GST_ELEMENT_ERROR_WITH_DETAILS (c->element, RESOURCE, OPEN_READ,
      ("Could not keep a connection to %s (retries exhausted after %u "
       "failure(s)): %s",
          c->uri, failures, cause),
      ("last close code %u \"%s\", HTTP status %u, %s", code, reason, http,
          *err ? err : "no network error"),
      ("close-code", G_TYPE_UINT, code, "close-reason", G_TYPE_STRING, reason,
          "http-status", G_TYPE_UINT, http, "failures", G_TYPE_UINT, failures,
          NULL));
  g_free (reason);
  g_free (err);
  g_free (cause);
  end (c, GST_PLEXUS_END_ERROR);
}

static gboolean
on_watchdog (gpointer user_data)
{
  GstPlexusConnection *c = user_data;
  gboolean warn = FALSE;
  gint64 idle = 0;

  g_mutex_lock (&c->lock);
  if (!c->ended && c->last_message_us && !c->idle_warned) {
    idle = g_get_monotonic_time () - c->last_message_us;
    if (idle >= (gint64) c->settings.data_timeout_s * G_USEC_PER_SEC) {
      c->idle_warned = TRUE;
      warn = TRUE;
    }
  }
  g_mutex_unlock (&c->lock);
  if (warn) {
    GST_ELEMENT_WARNING (c->element, RESOURCE, READ,
        ("The server sent nothing for %u s", c->settings.data_timeout_s),
        ("connected to %s", c->uri));
    post_state (c, "idle", 0, NULL, 0, 0, "the server sent nothing");
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
destroy_watchdog (gpointer user_data)
{
  GstPlexusConnection *c = user_data;

  g_source_destroy (c->watchdog);
  g_mutex_lock (&c->lock);
  c->watchdog_gone = TRUE;
  g_cond_signal (&c->watchdog_cond);
  g_mutex_unlock (&c->lock);
  return G_SOURCE_REMOVE;
}

gboolean
gst_plexus_connection_start (GstPlexusConnection *c)
{
  static const GstSensorNetWsCallbacks callbacks = {
    .opened = on_opened,
    .message = on_message,
    .closed = on_closed,
    .reconnecting = on_reconnecting,
    .gave_up = on_gave_up,
  };
  GstSensorNetWsConfig config;
  g_autoptr (GError) error = NULL;

  if (!c->settings.source_id || !*c->settings.source_id) {
    GST_ELEMENT_ERROR (c->element, RESOURCE, SETTINGS, ("No source-id set"),
        ("every Plexus stream is scoped to a device"));
    return FALSE;
  }
  if (!c->settings.api_key || !*c->settings.api_key) {
    GST_ELEMENT_ERROR (c->element, RESOURCE, NOT_AUTHORIZED, ("No api-key set"),
        ("the stream needs a plx_ API key"));
    return FALSE;
  }
  c->uri = gst_plexus_stream_uri (c->settings.location, c->settings.source_id,
      c->stream, (const gchar *const *) c->settings.metrics,
      (const gchar *const *) c->settings.cameras, c->settings.stream_timeout_s,
      &error);
  if (!c->uri) {
    GST_ELEMENT_ERROR (c->element, RESOURCE, SETTINGS,
        ("Invalid location \"%s\"", c->settings.location),
        ("%s", error->message));
    return FALSE;
  }

  gst_sensor_net_ws_config_init (&config);
  config.uri = g_strdup (c->uri);
  config.auth = GST_SENSOR_NET_WS_AUTH_NONE; /* the key goes in a frame */
  config.backoff_initial_s = 1.0;
  gst_sensor_net_props_apply (&c->settings.net, &config);
  c->client = gst_sensor_net_ws_client_new (&config, &callbacks, c, NULL);
  gst_sensor_net_ws_config_clear (&config);

  GST_INFO_OBJECT (c->element, "connecting to %s", c->uri);
  gst_sensor_net_ws_client_start (c->client);

  if (c->settings.data_timeout_s > 0) {
    c->net_context = gst_sensor_net_context_ref ();
    c->watchdog = g_timeout_source_new (500);
    g_source_set_callback (c->watchdog, on_watchdog, c, NULL);
    g_source_attach (c->watchdog, c->net_context);
  }
  return TRUE;
}

void
gst_plexus_connection_stop (GstPlexusConnection *c)
{
  g_mutex_lock (&c->lock);
  c->ended = TRUE;
  g_mutex_unlock (&c->lock);
  if (c->watchdog) {
    /* destroyed on the network thread, so it is not running meanwhile */
    g_main_context_invoke (c->net_context, destroy_watchdog, c);
    g_mutex_lock (&c->lock);
    while (!c->watchdog_gone)
      g_cond_wait (&c->watchdog_cond, &c->lock);
    g_mutex_unlock (&c->lock);
    g_source_unref (c->watchdog);
    c->watchdog = NULL;
  }
  if (c->client) {
    gst_sensor_net_ws_client_stop (c->client, 1000, "client stopping");
    gst_sensor_net_ws_client_free (c->client);
    c->client = NULL;
  }
  g_mutex_lock (&c->lock);
  c->connected = FALSE;
  g_mutex_unlock (&c->lock);
  if (c->net_context) {
    gst_sensor_net_context_unref (c->net_context);
    c->net_context = NULL;
  }
}

void
gst_plexus_connection_free (GstPlexusConnection *c)
{
  if (!c)
    return;
  gst_plexus_connection_stop (c);
  gst_plexus_settings_clear (&c->settings);
  g_free (c->uri);
  g_free (c->last_close_reason);
  g_free (c->last_error);
  g_free (c->last_cause);
  g_mutex_clear (&c->lock);
  g_cond_clear (&c->watchdog_cond);
  gst_sensor_counters_free (c->counters);
  g_free (c);
}

void
gst_plexus_connection_fill_stats (GstPlexusConnection *c, GstStructure *s)
{
  gst_sensor_counters_fill (c->counters, s);
  g_mutex_lock (&c->lock);
  gst_structure_set (s, "connected", G_TYPE_BOOLEAN, c->connected,
      "last-close-code", G_TYPE_UINT, c->last_close_code, NULL);
  g_mutex_unlock (&c->lock);
}

static gboolean
copy_field (GQuark field, const GValue *value, gpointer dest)
{
  gst_structure_id_set_value (dest, field, value);
  return TRUE;
}

void
gst_plexus_stats_merge (GstStructure *dest, const GstStructure *src)
{
  if (src)
    gst_structure_foreach (src, copy_field, dest);
}
