/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* raehsink: the session's callbacks (network thread) become bus messages
 * and errors, and the properties become a session start. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/sensornet/sensornet-failure.h>

#include "gstraehsink-private.h"

#define GST_CAT_DEFAULT raeh_sink_debug

/* ---- messages and errors ---- */

/* Stops the streaming threads before anyone sees the error: they return
 * an error, and no clock wait goes on. */
static void
make_fatal (GstRaehSink *self)
{
  g_mutex_lock (&self->lock);
  self->fatal = TRUE;
  g_cond_broadcast (&self->cond);
  gst_raeh_sink_unschedule_clock_waits (self);
  g_mutex_unlock (&self->lock);
}

static gchar *
dup_log_uri (GstRaehSink *self)
{
  gchar *uri;

  GST_OBJECT_LOCK (self);
  uri = g_strdup (self->log_uri);
  GST_OBJECT_UNLOCK (self);
  return uri;
}

/* ---- session callbacks (network thread) ---- */

/* Pads negotiated in an earlier session must still fit a new manifest. */
static gchar *
on_check_manifest (
    GstRaehSession *session, const GstRaehManifest *m, gpointer user_data)
{
  GstRaehSink *self = user_data;
  gchar *mismatch = NULL;
  GList *l;

  GST_OBJECT_LOCK (self);
  for (l = GST_ELEMENT (self)->sinkpads; l && !mismatch; l = l->next) {
    GstRaehSinkPad *pad = l->data;

    if (pad->have_caps)
      mismatch = gst_raeh_sink_pad_check (self, pad, m, &pad->undeclared);
  }
  GST_OBJECT_UNLOCK (self);
  return mismatch;
}

/* The one connection-state message (GST_SENSOR_NET_CONNECTION_STATE),
 * with the close code and HTTP status of @info when there is one. */
static void
on_state (GstRaehSession *session, const gchar *state, guint attempt,
    GstClockTime delay, const gchar *reason,
    const GstSensorNetWsCloseInfo *info, gpointer user_data)
{
  GstRaehSink *self = user_data;
  g_autofree gchar *uri = dup_log_uri (self);
  GstStructure *s;

  s = gst_sensor_net_connection_state_new (state, uri, attempt, delay, reason);
  if (info)
    gst_structure_set (s, "close-code", G_TYPE_UINT, (guint) info->close_code,
        "http-status", G_TYPE_UINT, info->http_status, NULL);
  gst_sensor_net_post_connection_state (GST_ELEMENT (self), s);
}

static void
on_session_started (
    GstRaehSession *session, const GstRaehManifest *m, gpointer user_data)
{
  GstRaehSink *self = user_data;

  GST_INFO_OBJECT (self, "session %s", m->session_id);
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self),
          gst_raeh_manifest_to_structure (m, "raeh-session-start")));
}

static void
on_session_ended (GstRaehSession *session, const gchar *session_id,
    const GstSensorNetWsCloseInfo *info, gpointer user_data)
{
  GstRaehSink *self = user_data;

  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self),
          gst_structure_new ("raeh-session-end", "session-id", G_TYPE_STRING,
              session_id, "close-code", G_TYPE_UINT, (guint) info->close_code,
              "close-reason", G_TYPE_STRING,
              info->close_reason ? info->close_reason : "", "error",
              G_TYPE_STRING, info->error ? info->error->message : NULL, NULL)));
}

/* A warning on the first failure and every tenth in a row. */
static void
on_transient (GstRaehSession *session, const GstSensorNetWsCloseInfo *info,
    guint failures, gpointer user_data)
{
  GstRaehSink *self = user_data;
  g_autofree gchar *uri = dup_log_uri (self);

  gst_sensor_net_post_transient (GST_ELEMENT (self), info, uri, failures);
}

static void
on_failed (GstRaehSession *session, GstRaehSessionFailure kind,
    const gchar *reason, const GstSensorNetWsCloseInfo *info, guint failures,
    gpointer user_data)
{
  GstRaehSink *self = user_data;
  g_autofree gchar *uri = dup_log_uri (self);

  make_fatal (self);
  switch (kind) {
    case GST_RAEH_SESSION_FAILURE_HANDSHAKE:
      GST_ELEMENT_ERROR_WITH_DETAILS (self, RESOURCE, READ,
          ("Bad handshake from the Raeh server"), ("%s", reason),
          ("reason", G_TYPE_STRING, reason, NULL));
      break;
    case GST_RAEH_SESSION_FAILURE_MISMATCH:
      GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
          ("The new Raeh session does not fit the negotiated streams"),
          ("%s", reason));
      break;
    case GST_RAEH_SESSION_FAILURE_AUTH:
      GST_ELEMENT_ERROR_WITH_DETAILS (self, RESOURCE, NOT_AUTHORIZED,
          ("Raeh rejected the API key"), ("close code 4001: %s", reason),
          ("close-code", G_TYPE_UINT, (guint) info->close_code, "close-reason",
              G_TYPE_STRING, reason, "http-status", G_TYPE_UINT,
              info->http_status, NULL));
      break;
    case GST_RAEH_SESSION_FAILURE_REFUSED:
      GST_ELEMENT_ERROR_WITH_DETAILS (self, RESOURCE, NOT_FOUND,
          ("Raeh refused the device model or a frame"),
          ("close code 4004: %s", reason),
          ("close-code", G_TYPE_UINT, (guint) info->close_code, "close-reason",
              G_TYPE_STRING, reason, NULL));
      break;
    case GST_RAEH_SESSION_FAILURE_NETWORK:
      gst_sensor_net_post_fatal (GST_ELEMENT (self), info, uri);
      break;
    case GST_RAEH_SESSION_FAILURE_GAVE_UP:
      GST_ELEMENT_ERROR_WITH_DETAILS (self, RESOURCE, OPEN_READ_WRITE,
          ("Could not connect to %s: %s; gave up after %u attempts", uri,
              reason, failures),
          ("retries exhausted"),
          ("reason", G_TYPE_STRING, reason, "failures", G_TYPE_UINT, failures,
              "http-status", G_TYPE_UINT, info->http_status, NULL));
      break;
  }
}

static void
on_frame_dropped (
    GstRaehSession *session, gint64 t0_ms, gsize size, gpointer user_data)
{
  GST_DEBUG_OBJECT (user_data, "dropped frame t0 %" G_GINT64_FORMAT, t0_ms);
}

const GstRaehSessionCallbacks gst_raeh_sink_session_callbacks = {
  .check_manifest = on_check_manifest,
  .state = on_state,
  .session_started = on_session_started,
  .session_ended = on_session_ended,
  .transient = on_transient,
  .failed = on_failed,
  .frame_dropped = on_frame_dropped,
};

/* ---- connection lifecycle ---- */

/* Starts connecting and returns at once: the first connection follows
 * `retries` like every later one, so a gateway that boots before its network
 * waits for it. Caps queries and caps events wait for the first handshake
 * (see gst_raeh_session_wait_manifest()). Settings that can never work fail
 * the state change. */
gboolean
gst_raeh_sink_start_session (GstRaehSink *self)
{
  GstSensorNetWsConfig config;
  g_autoptr (GError) err = NULL;
  gchar *log_uri, *uri;

  GST_OBJECT_LOCK (self);
  if (self->device_id == NULL || self->device_model_id == NULL ||
      self->location == NULL) {
    GST_OBJECT_UNLOCK (self);
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("device-id, device-model-id and location must be set"), (NULL));
    return FALSE;
  }
  uri = gst_raeh_session_ingest_uri (
      self->location, self->device_id, self->device_model_id, &log_uri, &err);
  if (uri == NULL) {
    GstSensorNetWsCloseInfo info = { 0, "", 0, err };

    GST_OBJECT_UNLOCK (self);
    gst_sensor_net_post_fatal (GST_ELEMENT (self), &info, log_uri);
    g_free (log_uri);
    return FALSE;
  }
  gst_sensor_net_ws_config_init (&config);
  config.auth = self->auth == GST_RAEH_SINK_AUTH_HEADER ?
      GST_SENSOR_NET_WS_AUTH_HEADER :
      GST_SENSOR_NET_WS_AUTH_QUERY;
  config.auth_query_name = g_strdup ("api_key");
  config.secret = g_strdup (self->api_key);
  gst_sensor_net_props_apply (&self->net, &config);
  g_free (self->log_uri);
  self->log_uri = log_uri;
  GST_OBJECT_UNLOCK (self);
  config.uri = uri;
  GST_INFO_OBJECT (self, "connecting to %s", log_uri);

  g_mutex_lock (&self->lock);
  self->fatal = FALSE;
  g_mutex_unlock (&self->lock);
  gst_sensor_counters_reset (self->counters);
  gst_raeh_session_start (self->session, &config);
  gst_sensor_net_ws_config_clear (&config);
  return TRUE;
}
