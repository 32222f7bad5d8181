/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-raehsink
 * @title: raehsink
 *
 * Streams Raeh frames (from raehframepack) to Raeh's `/stream/ingest`: one
 * WebSocket session per device for all of its modalities, one request pad
 * (`sink_%u`) per modality.
 *
 * Going from READY to PAUSED starts connecting and returns at once: the
 * first connection follows #GstRaehSink:retries like every later one, so a
 * gateway that boots before its network waits for it. Caps queries and caps
 * events wait for the first handshake and are answered from its manifest,
 * so that upstream negotiates the rate, channels and bit depth the device
 * model declares. Slot ids come from the manifest of the current session
 * and are re-read after every reconnect. #GstRaehSink:timeout bounds each
 * attempt (connect, upgrade, then the handshake), not the whole start.
 *
 * Close codes 4001 and 4004 are fatal: an element error carries the close
 * code and the server's reason verbatim (details `close-code`,
 * `close-reason`). Then the shared failure rule: a location that is no
 * ws:// or wss:// URL fails the state change (RESOURCE/SETTINGS); HTTP
 * 401/403/404 and TLS failures are errors at once naming the cause (details
 * `http-status`). Refused, reset, timed out, 5xx or any other close are
 * transient: a warning on the first failure and every tenth in a row, and a
 * reconnect with backoff and jitter; frames are kept meanwhile (up to
 * #GstRaehSink:max-buffer-time, oldest dropped and counted) and sent in
 * order after the new handshake. When `retries` run out: an error naming
 * the last cause.
 *
 * Element messages: `raeh-session-start` (session-id, slots),
 * `raeh-session-end` (session-id, close-code, close-reason, error) and the
 * shared `sensor-connection-state` (state connecting, connected,
 * disconnected, reconnecting or closed; uri, attempt, delay, reason,
 * close-code, http-status).
 *
 * All raehsink instances of a process share one network thread.
 *
 * ## Example
 * |[
 * gst-launch-1.0 raehsink name=raeh api-key=raeh_... device-id=demo-1 \
 *     device-model-id=573fdc48-b7a8-40bb-81b7-e96df24fab6d \
 *   sensortestsrc modality=ppg_green rate=128 ! sensorresample ! \
 *     raehframepack ! raeh.sink_0 \
 *   sensortestsrc modality=acc_3axis ! sensorresample ! raehframepack ! \
 *     raeh.sink_1
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <gst/sensornet/sensornet-failure.h>
#include <gst/sensor/sensor-field.h>
#include <gst/sensor/sensor-secret.h>

#include "gstraehelements.h"
#include "gstraehsink-private.h"

GST_DEBUG_CATEGORY (raeh_sink_debug);
#define GST_CAT_DEFAULT raeh_sink_debug

#define DEFAULT_LOCATION "wss://api.raeh.io/stream/ingest"
#define DEFAULT_AUTH GST_RAEH_SINK_AUTH_QUERY
#define DEFAULT_MAX_BUFFER_TIME (60 * GST_SECOND)
#define DEFAULT_SYNC TRUE
#define DEFAULT_UNDECLARED_MODALITY GST_RAEH_SINK_UNDECLARED_ERROR

static const GstSensorCounterInfo counter_info[GST_RAEH_SINK_N_COUNTERS] = {
  { "malformed-frames", "frames that are no valid Raeh frame, dropped" },
  { "undeclared-dropped",
      "frames of a modality the manifest does not declare, dropped "
      "(undeclared-modality=skip)" },
};

/* A handshake must come within timeout, so it cannot be 0 (none). */
static const GstSensorNetPropsDefaults net_defaults = {
  GST_SENSOR_NET_PROPS_FLAG_NONE,
  10,
  1,
  "Seconds to connect and receive the handshake (also bounds the drain at "
  "EOS)",
};

enum {
  PROP_0,
  PROP_LOCATION,
  PROP_API_KEY,
  PROP_DEVICE_ID,
  PROP_DEVICE_MODEL_ID,
  PROP_AUTH,
  PROP_MAX_BUFFER_TIME,
  PROP_SYNC,
  PROP_UNDECLARED_MODALITY,
  PROP_STATS,
  PROP_NET, /* GST_SENSOR_NET_PROPS_N ids from here */
};


G_DEFINE_TYPE (GstRaehSinkPad, gst_raeh_sink_pad, GST_TYPE_PAD);
G_DEFINE_TYPE (GstRaehSink, gst_raeh_sink, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (
    raehsink, "raehsink", GST_RANK_NONE, GST_TYPE_RAEH_SINK);

static GstStaticPadTemplate sink_template =
    GST_STATIC_PAD_TEMPLATE ("sink_%u", GST_PAD_SINK, GST_PAD_REQUEST,
        GST_STATIC_CAPS (GST_RAEH_FRAME_MEDIA_TYPE
            ", rate = (fraction) [ 1/2147483647, 2147483647/1 ], "
            "channels = (int) [ 1, 64 ], bit-depth = (int) [ 1, 32 ]"));

GType
gst_raeh_sink_auth_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { GST_RAEH_SINK_AUTH_QUERY, "api_key query parameter", "query" },
    { GST_RAEH_SINK_AUTH_HEADER, "Authorization: Bearer header", "header" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstRaehSinkAuth", values);

    g_once_init_leave (&type, t);
  }
  return type;
}

GType
gst_raeh_sink_undeclared_modality_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { GST_RAEH_SINK_UNDECLARED_ERROR, "Fail negotiation", "error" },
    { GST_RAEH_SINK_UNDECLARED_SKIP, "Drop and count the frames, warn once",
        "skip" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstRaehSinkUndeclaredModality", values);

    g_once_init_leave (&type, t);
  }
  return type;
}

/* Why @pad's stream does not fit @m, or NULL. Object lock. */
/* ---- pads ---- */

static GstPad *
gst_raeh_sink_request_new_pad (GstElement *element, GstPadTemplate *templ,
    const gchar *name, const GstCaps *caps)
{
  GstRaehSink *self = GST_RAEH_SINK (element);
  GstPad *pad;
  gchar *pad_name;
  guint index;

  GST_OBJECT_LOCK (self);
  if (name && sscanf (name, "sink_%u", &index) == 1) {
    pad_name = g_strdup (name);
    self->pad_count = MAX (self->pad_count, index + 1);
  } else {
    pad_name = g_strdup_printf ("sink_%u", self->pad_count++);
  }
  GST_OBJECT_UNLOCK (self);

  pad = g_object_new (GST_TYPE_RAEH_SINK_PAD, "name", pad_name, "direction",
      GST_PAD_SINK, "template", templ, NULL);
  g_free (pad_name);
  gst_pad_set_chain_function (pad, gst_raeh_sink_chain);
  gst_pad_set_event_function (pad, gst_raeh_sink_event);
  gst_pad_set_query_function (pad, gst_raeh_sink_query);
  GST_PAD_SET_PROXY_ALLOCATION (pad);
  if (!gst_element_add_pad (element, pad)) {
    gst_object_unref (pad);
    return NULL;
  }
  return pad;
}

static void
gst_raeh_sink_release_pad (GstElement *element, GstPad *pad)
{
  GstRaehSink *self = GST_RAEH_SINK (element);
  GstRaehSinkPad *spad = GST_RAEH_SINK_PAD (pad);

  /* wake a streaming thread waiting on the clock or the queue */
  gst_raeh_sink_set_pad_flushing (self, spad, TRUE);
  gst_element_remove_pad (element, pad);
}

static void
set_pads_flushing (GstRaehSink *self, gboolean flushing)
{
  GList *pads, *l;

  GST_OBJECT_LOCK (self);
  pads = g_list_copy_deep (
      GST_ELEMENT (self)->sinkpads, (GCopyFunc) gst_object_ref, NULL);
  GST_OBJECT_UNLOCK (self);
  for (l = pads; l; l = l->next) {
    GstRaehSinkPad *pad = l->data;

    gst_raeh_sink_set_pad_flushing (self, pad, flushing);
    if (!flushing) {
      GST_OBJECT_LOCK (self);
      pad->eos = FALSE;
      pad->mismatch_posted = FALSE;
      pad->undeclared_warned = FALSE;
      GST_OBJECT_UNLOCK (self);
      gst_segment_init (&pad->segment, GST_FORMAT_TIME);
    }
  }
  g_list_free_full (pads, gst_object_unref);
}

static void
set_playing (GstRaehSink *self, gboolean playing)
{
  g_mutex_lock (&self->lock);
  self->playing = playing;
  if (!playing)
    gst_raeh_sink_unschedule_clock_waits (self);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static GstStateChangeReturn
gst_raeh_sink_change_state (GstElement *element, GstStateChange transition)
{
  GstRaehSink *self = GST_RAEH_SINK (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      set_pads_flushing (self, FALSE);
      if (!gst_raeh_sink_start_session (self)) {
        gst_raeh_session_stop (self->session);
        return GST_STATE_CHANGE_FAILURE;
      }
      break;
    case GST_STATE_CHANGE_PAUSED_TO_PLAYING:
      set_playing (self, TRUE);
      break;
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      set_playing (self, FALSE);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      set_pads_flushing (self, TRUE);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (gst_raeh_sink_parent_class)
            ->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      gst_raeh_session_stop (self->session);
      break;
    default:
      break;
  }
  return ret;
}


/* ---- properties ---- */

static GstStructure *
make_stats (GstRaehSink *self)
{
  GstStructure *s = gst_raeh_session_get_stats (
      self->session, "application/x-raehsink-stats");

  gst_sensor_counters_fill (self->counters, s);
  return s;
}

/* The plain properties: stored under the object lock, no side effect. */
static const GstSensorFieldProp plain_props[] = {
  GST_SENSOR_FIELD_PROP (PROP_LOCATION, GstRaehSink, location),
  GST_SENSOR_FIELD_PROP (PROP_DEVICE_ID, GstRaehSink, device_id),
  GST_SENSOR_FIELD_PROP (PROP_DEVICE_MODEL_ID, GstRaehSink, device_model_id),
  GST_SENSOR_FIELD_PROP (PROP_AUTH, GstRaehSink, auth),
  GST_SENSOR_FIELD_PROP (PROP_SYNC, GstRaehSink, sync),
  GST_SENSOR_FIELD_PROP (
      PROP_UNDECLARED_MODALITY, GstRaehSink, undeclared_modality),
};

static void
gst_raeh_sink_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstRaehSink *self = GST_RAEH_SINK (object);
  gboolean known;

  if (GST_SENSOR_FIELD_SET (object, plain_props, prop_id, value))
    return;
  if (prop_id == PROP_MAX_BUFFER_TIME) {
    GST_OBJECT_LOCK (self);
    self->max_buffer_time = g_value_get_uint64 (value);
    GST_OBJECT_UNLOCK (self);
    gst_raeh_session_set_max_buffer_time (
        self->session, g_value_get_uint64 (value));
    return;
  }
  GST_OBJECT_LOCK (self);
  known = prop_id == PROP_API_KEY;
  if (known)
    gst_sensor_secret_replace (&self->api_key, g_value_get_string (value));
  else
    known = gst_sensor_net_props_set_property (
        &self->net, PROP_NET, prop_id, value);
  GST_OBJECT_UNLOCK (self);
  if (!known)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
gst_raeh_sink_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstRaehSink *self = GST_RAEH_SINK (object);
  gboolean known = TRUE;

  if (GST_SENSOR_FIELD_GET (object, plain_props, prop_id, value))
    return;
  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, make_stats (self));
    return;
  }
  GST_OBJECT_LOCK (self);
  if (prop_id == PROP_MAX_BUFFER_TIME)
    g_value_set_uint64 (value, self->max_buffer_time);
  else
    known = gst_sensor_net_props_get_property (
        &self->net, PROP_NET, prop_id, value);
  GST_OBJECT_UNLOCK (self);
  if (!known)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
gst_raeh_sink_finalize (GObject *object)
{
  GstRaehSink *self = GST_RAEH_SINK (object);

  g_free (self->location);
  gst_sensor_secret_clear (&self->api_key);
  g_free (self->device_id);
  g_free (self->device_model_id);
  gst_sensor_net_props_clear (&self->net);
  g_free (self->log_uri);
  gst_raeh_session_free (self->session);
  gst_sensor_counters_free (self->counters);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (gst_raeh_sink_parent_class)->finalize (object);
}

static void
gst_raeh_sink_pad_finalize (GObject *object)
{
  g_object_unref (GST_RAEH_SINK_PAD (object)->cancellable);
  G_OBJECT_CLASS (gst_raeh_sink_pad_parent_class)->finalize (object);
}

static void
gst_raeh_sink_pad_class_init (GstRaehSinkPadClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gst_raeh_sink_pad_finalize;
}

static void
gst_raeh_sink_pad_init (GstRaehSinkPad *pad)
{
  gst_segment_init (&pad->segment, GST_FORMAT_TIME);
  pad->cancellable = g_cancellable_new ();
}

static void
gst_raeh_sink_class_init (GstRaehSinkClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  const GParamFlags rw =
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY;

  gobject_class->set_property = gst_raeh_sink_set_property;
  gobject_class->get_property = gst_raeh_sink_get_property;
  gobject_class->finalize = gst_raeh_sink_finalize;
  element_class->change_state = gst_raeh_sink_change_state;
  element_class->request_new_pad = gst_raeh_sink_request_new_pad;
  element_class->release_pad = gst_raeh_sink_release_pad;

  g_object_class_install_property (gobject_class, PROP_LOCATION,
      g_param_spec_string ("location", "Location",
          "Raeh ingest WebSocket URL (ws:// or wss://); device_id and "
          "device_model_id are added as query parameters",
          DEFAULT_LOCATION, rw));
  g_object_class_install_property (gobject_class, PROP_API_KEY,
      g_param_spec_string ("api-key", "API key",
          "Raeh API key (raeh_...); write-only, never logged", NULL,
          G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_DEVICE_ID,
      g_param_spec_string ("device-id", "Device ID",
          "Stable per-unit id of this device (MAC, serial, ...)", NULL, rw));
  g_object_class_install_property (gobject_class, PROP_DEVICE_MODEL_ID,
      g_param_spec_string ("device-model-id", "Device model ID",
          "UUID of the device model registered with Raeh", NULL, rw));
  g_object_class_install_property (gobject_class, PROP_AUTH,
      g_param_spec_enum ("auth", "Auth", "Where the API key goes",
          GST_TYPE_RAEH_SINK_AUTH, DEFAULT_AUTH, rw));
  gst_sensor_net_props_install (gobject_class, PROP_NET, &net_defaults);
  g_object_class_install_property (gobject_class, PROP_MAX_BUFFER_TIME,
      g_param_spec_uint64 ("max-buffer-time", "Max buffer time",
          "Data (ns of frames) kept while disconnected; the oldest frames "
          "beyond it are dropped and counted",
          0, G_MAXUINT64, DEFAULT_MAX_BUFFER_TIME,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_SYNC,
      g_param_spec_boolean ("sync", "Sync",
          "Send each frame when its last sample is due on the clock, so "
          "non-live sources stream in real time",
          DEFAULT_SYNC,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_UNDECLARED_MODALITY,
      g_param_spec_enum ("undeclared-modality", "Undeclared modality",
          "A modality the Raeh manifest does not declare: fail negotiation, "
          "or drop and count its frames (undeclared-dropped) with one warning",
          GST_TYPE_RAEH_SINK_UNDECLARED_MODALITY, DEFAULT_UNDECLARED_MODALITY,
          rw));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "frames-sent, bytes-sent, dropped, dropped-bytes, queued, "
          "queued-bytes, reconnects, failures, sessions, connected, "
          "session-id, last-close-code, last-close-reason, "
          "oversized-messages, malformed-frames, undeclared-dropped",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template_with_gtype (
      element_class, &sink_template, GST_TYPE_RAEH_SINK_PAD);
  gst_element_class_set_static_metadata (element_class, "Raeh ingest sink",
      "Sink/Network/Sensor",
      "Streams Raeh frames of every modality of a device to Raeh "
      "/stream/ingest over one WebSocket session",
      "gst-plugins-sensor");
  gst_type_mark_as_plugin_api (GST_TYPE_RAEH_SINK_AUTH, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_RAEH_SINK_UNDECLARED_MODALITY, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_RAEH_SINK_PAD, 0);
  GST_DEBUG_CATEGORY_INIT (raeh_sink_debug, "raehsink", 0, "Raeh ingest sink");
}

static void
gst_raeh_sink_init (GstRaehSink *self)
{
  self->location = g_strdup (DEFAULT_LOCATION);
  self->auth = DEFAULT_AUTH;
  gst_sensor_net_props_init (&self->net, &net_defaults);
  self->max_buffer_time = DEFAULT_MAX_BUFFER_TIME;
  self->sync = DEFAULT_SYNC;
  self->undeclared_modality = DEFAULT_UNDECLARED_MODALITY;
  self->counters =
      gst_sensor_counters_new (counter_info, GST_RAEH_SINK_N_COUNTERS);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->session = gst_raeh_session_new (&gst_raeh_sink_session_callbacks, self);
  gst_raeh_session_set_max_buffer_time (self->session, self->max_buffer_time);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SINK);
}
