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
#include <gst/raeh/raeh.h>
#include <gst/sensornet/sensornet-failure.h>
#include <gst/sensornet/sensornet-props.h>
#include <gst/raeh/raeh-session.h>
#include <gst/sensor/sensor-secret.h>

#include "gstraehelements.h"
#include "gstraehframepack.h"
#include "gstraehsink.h"

GST_DEBUG_CATEGORY_STATIC (raeh_sink_debug);
#define GST_CAT_DEFAULT raeh_sink_debug

#define DEFAULT_LOCATION "wss://api.raeh.io/stream/ingest"
#define DEFAULT_AUTH GST_RAEH_SINK_AUTH_QUERY
#define DEFAULT_MAX_BUFFER_TIME (60 * GST_SECOND)
#define DEFAULT_SYNC TRUE

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
  PROP_STATS,
  PROP_NET, /* GST_SENSOR_NET_PROPS_N ids from here */
};

struct _GstRaehSinkPad
{
  GstPad parent;

  /* stream lock */
  GstSegment segment;
  /* negotiated, object lock */
  GstRaehStream stream;
  gboolean have_caps;
  gboolean mismatch_posted; /* one negotiation error per pad */
  /* lock */
  gboolean flushing;
  gboolean eos;
  GstClockID clock_id;
  /* cancelled while flushing: ends this pad's waits in the session */
  GCancellable *cancellable;
};

struct _GstRaehSink
{
  GstElement parent;

  /* properties, object lock */
  gchar *location;
  gchar *api_key;
  gchar *device_id;
  gchar *device_model_id;
  GstRaehSinkAuth auth;
  GstSensorNetProps net;
  GstClockTime max_buffer_time;
  gboolean sync;
  gchar *log_uri; /* location without secrets, for messages */
  guint pad_count;

  /* the session policy; its callbacks become bus messages */
  GstRaehSession *session;

  /* lock: the clock waits of the streaming threads */
  GMutex lock;
  GCond cond;
  gboolean playing;
  gboolean fatal; /* an error was posted: streaming threads stop */
  guint64 malformed;
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

/* Why @pad's stream does not fit @m, or NULL. Object lock. */
static gchar *
pad_mismatch (GstRaehSinkPad *pad, const GstRaehManifest *m)
{
  g_autofree gchar *where = g_strdup_printf ("pad %s", GST_PAD_NAME (pad));

  return gst_raeh_manifest_check_stream (m, &pad->stream, where);
}

/* ---- messages and errors ---- */

/* Stops the streaming threads before anyone sees the error: they return
 * an error, and no clock wait goes on. */
static void
make_fatal (GstRaehSink *self)
{
  GList *l;

  g_mutex_lock (&self->lock);
  self->fatal = TRUE;
  g_cond_broadcast (&self->cond);
  GST_OBJECT_LOCK (self);
  for (l = GST_ELEMENT (self)->sinkpads; l; l = l->next) {
    GstRaehSinkPad *pad = l->data;

    if (pad->clock_id)
      gst_clock_id_unschedule (pad->clock_id);
  }
  GST_OBJECT_UNLOCK (self);
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
      mismatch = pad_mismatch (pad, m);
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

static const GstRaehSessionCallbacks session_callbacks = {
  .check_manifest = on_check_manifest,
  .state = on_state,
  .session_started = on_session_started,
  .session_ended = on_session_ended,
  .transient = on_transient,
  .failed = on_failed,
  .frame_dropped = on_frame_dropped,
};

/* ---- streaming threads ---- */

/* Waits until the end of the frame in running time, like a live device
 * that sends a frame once its samples exist. */
static GstFlowReturn
wait_clock (GstRaehSink *self, GstRaehSinkPad *pad, GstBuffer *buf)
{
  GstClockTime ts, rt, base;
  GstClock *clock;
  GstClockReturn cret;
  GstFlowReturn ret;

  ts = GST_BUFFER_PTS (buf);
  if (!GST_CLOCK_TIME_IS_VALID (ts))
    return GST_FLOW_OK;
  if (GST_BUFFER_DURATION_IS_VALID (buf))
    ts += GST_BUFFER_DURATION (buf);
  rt = gst_segment_to_running_time (&pad->segment, GST_FORMAT_TIME, ts);
  GST_LOG_OBJECT (
      pad, "sync on running time %" GST_TIME_FORMAT, GST_TIME_ARGS (rt));
  if (!GST_CLOCK_TIME_IS_VALID (rt))
    return GST_FLOW_OK;

  g_mutex_lock (&self->lock);
  for (;;) {
    while (!self->playing && !pad->flushing && !self->fatal)
      g_cond_wait (&self->cond, &self->lock);
    if (pad->flushing || self->fatal)
      break;
    clock = gst_element_get_clock (GST_ELEMENT (self));
    if (clock == NULL)
      break;
    base = gst_element_get_base_time (GST_ELEMENT (self));
    pad->clock_id = gst_clock_new_single_shot_id (clock, base + rt);
    GST_LOG_OBJECT (pad,
        "waiting for running time %" GST_TIME_FORMAT " on %" GST_PTR_FORMAT,
        GST_TIME_ARGS (rt), clock);
    gst_object_unref (clock);
    g_mutex_unlock (&self->lock);

    cret = gst_clock_id_wait (pad->clock_id, NULL);

    g_mutex_lock (&self->lock);
    gst_clock_id_unref (pad->clock_id);
    pad->clock_id = NULL;
    /* unscheduled by a flush, an error or a pause: check again */
    if (cret != GST_CLOCK_UNSCHEDULED)
      break;
  }
  if (pad->flushing)
    ret = GST_FLOW_FLUSHING;
  else if (self->fatal)
    ret = GST_FLOW_ERROR;
  else
    ret = GST_FLOW_OK;
  g_mutex_unlock (&self->lock);
  return ret;
}

static GstFlowReturn
gst_raeh_sink_chain (GstPad *gpad, GstObject *parent, GstBuffer *buf)
{
  GstRaehSink *self = GST_RAEH_SINK (parent);
  GstRaehSinkPad *pad = GST_RAEH_SINK_PAD (gpad);
  GstMapInfo map;
  GstFlowReturn ret;
  GstRaehSessionResult res;
  gboolean sync;
  gint64 t0_ms, end_ms;
  g_autoptr (GError) err = NULL;

  GST_LOG_OBJECT (pad, "frame %" GST_PTR_FORMAT, buf);
  if (gst_raeh_session_is_fatal (self->session)) {
    gst_buffer_unref (buf);
    return GST_FLOW_ERROR;
  }

  if (!pad->have_caps) {
    gst_buffer_unref (buf);
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("pad %s got data before caps", GST_PAD_NAME (pad)));
    return GST_FLOW_NOT_NEGOTIATED;
  }

  GST_OBJECT_LOCK (self);
  sync = self->sync;
  GST_OBJECT_UNLOCK (self);
  if (sync) {
    ret = wait_clock (self, pad, buf);
    if (ret != GST_FLOW_OK) {
      gst_buffer_unref (buf);
      return ret;
    }
  }

  gst_buffer_map (buf, &map, GST_MAP_READ);
  if (!gst_raeh_stream_check_frame (
          &pad->stream, map.data, map.size, &t0_ms, &end_ms, &err)) {
    GST_ELEMENT_WARNING (self, STREAM, FORMAT, (NULL),
        ("pad %s: dropping a malformed frame of %" G_GSIZE_FORMAT " bytes: %s",
            GST_PAD_NAME (pad), map.size, err->message));
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
    g_mutex_lock (&self->lock);
    self->malformed++;
    g_mutex_unlock (&self->lock);
    return GST_FLOW_OK;
  }
  res = gst_raeh_session_push (self->session, pad->stream.modality, map.data,
      map.size, t0_ms, end_ms, pad->cancellable);
  gst_buffer_unmap (buf, &map);
  gst_buffer_unref (buf);
  return res == GST_RAEH_SESSION_OK ? GST_FLOW_OK : GST_FLOW_FLUSHING;
}

static gboolean
all_pads_eos (GstRaehSink *self)
{
  GList *l;
  gboolean all = TRUE;

  GST_OBJECT_LOCK (self);
  for (l = GST_ELEMENT (self)->sinkpads; l; l = l->next)
    all &= GST_RAEH_SINK_PAD (l->data)->eos;
  GST_OBJECT_UNLOCK (self);
  return all;
}

static gboolean start_session (GstRaehSink *self);
static void stop_session (GstRaehSink *self);

typedef struct
{
  GstRaehSink *self;
  GstRaehSinkPad *pad;
  GstRaehStream stream;
  gchar *mismatch;
  gboolean post;
} PadCaps;

/* Under the session's lock: no handshake is taken meanwhile. */
static void
apply_pad_caps (const GstRaehManifest *m, gpointer user_data)
{
  PadCaps *c = user_data;
  GstRaehSinkPad *pad = c->pad;

  GST_OBJECT_LOCK (c->self);
  pad->stream = c->stream;
  if (m)
    c->mismatch = pad_mismatch (pad, m);
  pad->have_caps = c->mismatch == NULL;
  c->post = c->mismatch && !pad->mismatch_posted;
  if (c->mismatch)
    pad->mismatch_posted = TRUE;
  GST_OBJECT_UNLOCK (c->self);
}

static gboolean
set_pad_caps (GstRaehSink *self, GstRaehSinkPad *pad, GstCaps *caps)
{
  PadCaps c = { self, pad };

  if (!gst_raeh_stream_from_caps (&c.stream, caps)) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("pad %s: incomplete caps %" GST_PTR_FORMAT, GST_PAD_NAME (pad), caps));
    return FALSE;
  }
  /* flushing, or the error is posted already */
  if (gst_raeh_session_wait_manifest (self->session, pad->cancellable,
          apply_pad_caps, &c) != GST_RAEH_SESSION_OK)
    return FALSE;

  if (c.post)
    GST_ELEMENT_ERROR_WITH_DETAILS (self, CORE, NEGOTIATION, ("%s", c.mismatch),
        ("pad %s: %" GST_PTR_FORMAT, GST_PAD_NAME (pad), caps),
        ("reason", G_TYPE_STRING, c.mismatch, NULL));
  if (c.mismatch) {
    g_free (c.mismatch);
    return FALSE;
  }
  GST_INFO_OBJECT (pad, "streaming %" GST_PTR_FORMAT, caps);
  return TRUE;
}

/* Flushing pads leave every wait: on the clock here, in the session. */
static void
set_pad_flushing (GstRaehSink *self, GstRaehSinkPad *pad, gboolean flushing)
{
  g_mutex_lock (&self->lock);
  pad->flushing = flushing;
  if (flushing && pad->clock_id)
    gst_clock_id_unschedule (pad->clock_id);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  if (flushing)
    g_cancellable_cancel (pad->cancellable);
  else
    g_cancellable_reset (pad->cancellable);
}

static gboolean
gst_raeh_sink_event (GstPad *gpad, GstObject *parent, GstEvent *event)
{
  GstRaehSink *self = GST_RAEH_SINK (parent);
  GstRaehSinkPad *pad = GST_RAEH_SINK_PAD (gpad);
  gboolean ret = TRUE;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS: {
      GstCaps *caps;

      gst_event_parse_caps (event, &caps);
      ret = set_pad_caps (self, pad, caps);
      break;
    }
    case GST_EVENT_SEGMENT:
      gst_event_copy_segment (event, &pad->segment);
      break;
    case GST_EVENT_FLUSH_START:
      set_pad_flushing (self, pad, TRUE);
      break;
    case GST_EVENT_FLUSH_STOP:
      set_pad_flushing (self, pad, FALSE);
      GST_OBJECT_LOCK (self);
      pad->eos = FALSE;
      GST_OBJECT_UNLOCK (self);
      /* data after an EOS and a flush goes on a new session */
      if (gst_raeh_session_take_finished (self->session)) {
        stop_session (self);
        start_session (self);
      }
      gst_segment_init (&pad->segment, GST_FORMAT_TIME);
      break;
    case GST_EVENT_EOS: {
      guint32 seqnum = gst_event_get_seqnum (event);

      GST_OBJECT_LOCK (self);
      pad->eos = TRUE;
      GST_OBJECT_UNLOCK (self);
      if (all_pads_eos (self)) {
        GstMessage *msg;
        guint timeout;

        /* the queued frames still go out, bounded by timeout, then the
         * session closes with 1000 without waiting */
        GST_OBJECT_LOCK (self);
        timeout = self->net.timeout ? self->net.timeout : 10;
        GST_OBJECT_UNLOCK (self);
        gst_raeh_session_finish (self->session, timeout);
        msg = gst_message_new_eos (GST_OBJECT (self));
        gst_message_set_seqnum (msg, seqnum);
        gst_element_post_message (GST_ELEMENT (self), msg);
      }
      break;
    }
    default:
      break;
  }
  gst_event_unref (event);
  return ret;
}

static void
take_manifest_caps (const GstRaehManifest *m, gpointer user_data)
{
  GstCaps **caps = user_data;

  if (m)
    *caps = gst_raeh_manifest_to_caps (m);
}

static gboolean
gst_raeh_sink_query (GstPad *gpad, GstObject *parent, GstQuery *query)
{
  GstRaehSink *self = GST_RAEH_SINK (parent);

  if (GST_QUERY_TYPE (query) == GST_QUERY_CAPS) {
    GstCaps *filter, *caps = NULL, *result;

    gst_query_parse_caps (query, &filter);
    gst_raeh_session_wait_manifest (self->session,
        GST_RAEH_SINK_PAD (gpad)->cancellable, take_manifest_caps, &caps);
    if (caps == NULL)
      caps = gst_pad_get_pad_template_caps (gpad);
    if (filter) {
      result = gst_caps_intersect_full (filter, caps, GST_CAPS_INTERSECT_FIRST);
      /* A stream the manifest cannot take is let through so that the caps
       * event fails with a message naming both sides, instead of a bare
       * not-negotiated upstream. */
      if (gst_caps_is_empty (result)) {
        GstCaps *tmpl = gst_pad_get_pad_template_caps (gpad);

        gst_caps_unref (result);
        result =
            gst_caps_intersect_full (filter, tmpl, GST_CAPS_INTERSECT_FIRST);
        gst_caps_unref (tmpl);
      }
      gst_caps_unref (caps);
    } else {
      result = caps;
    }
    gst_query_set_caps_result (query, result);
    gst_caps_unref (result);
    return TRUE;
  }
  return gst_pad_query_default (gpad, parent, query);
}

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
  set_pad_flushing (self, spad, TRUE);
  gst_element_remove_pad (element, pad);
}

/* ---- connection lifecycle ---- */

/* Starts connecting and returns at once: the first connection follows
 * `retries` like every later one, so a gateway that boots before its network
 * waits for it. Caps queries and caps events wait for the first handshake
 * (see gst_raeh_session_wait_manifest()). Settings that can never work fail
 * the state change. */
static gboolean
start_session (GstRaehSink *self)
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
  self->malformed = 0;
  g_mutex_unlock (&self->lock);
  gst_raeh_session_start (self->session, &config);
  gst_sensor_net_ws_config_clear (&config);
  return TRUE;
}

/* Callbacks may still run until the session has stopped. */
static void
stop_session (GstRaehSink *self)
{
  gst_raeh_session_stop (self->session);
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

    set_pad_flushing (self, pad, flushing);
    if (!flushing) {
      GST_OBJECT_LOCK (self);
      pad->eos = FALSE;
      pad->mismatch_posted = FALSE;
      GST_OBJECT_UNLOCK (self);
      gst_segment_init (&pad->segment, GST_FORMAT_TIME);
    }
  }
  g_list_free_full (pads, gst_object_unref);
}

static void
set_playing (GstRaehSink *self, gboolean playing)
{
  GList *l;

  g_mutex_lock (&self->lock);
  self->playing = playing;
  if (!playing) {
    GST_OBJECT_LOCK (self);
    for (l = GST_ELEMENT (self)->sinkpads; l; l = l->next) {
      GstRaehSinkPad *pad = l->data;

      if (pad->clock_id)
        gst_clock_id_unschedule (pad->clock_id);
    }
    GST_OBJECT_UNLOCK (self);
  }
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
      if (!start_session (self)) {
        stop_session (self);
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
      stop_session (self);
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

  g_mutex_lock (&self->lock);
  gst_structure_set (
      s, "malformed-frames", G_TYPE_UINT64, self->malformed, NULL);
  g_mutex_unlock (&self->lock);
  return s;
}

static void
gst_raeh_sink_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstRaehSink *self = GST_RAEH_SINK (object);

  if (prop_id == PROP_MAX_BUFFER_TIME) {
    GST_OBJECT_LOCK (self);
    self->max_buffer_time = g_value_get_uint64 (value);
    GST_OBJECT_UNLOCK (self);
    gst_raeh_session_set_max_buffer_time (
        self->session, g_value_get_uint64 (value));
    return;
  }
  GST_OBJECT_LOCK (self);
  if (gst_sensor_net_props_set_property (
          &self->net, PROP_NET, prop_id, value)) {
    GST_OBJECT_UNLOCK (self);
    return;
  }
  switch (prop_id) {
    case PROP_LOCATION:
      g_free (self->location);
      self->location = g_value_dup_string (value);
      break;
    case PROP_API_KEY:
      gst_sensor_secret_replace (&self->api_key, g_value_get_string (value));
      break;
    case PROP_DEVICE_ID:
      g_free (self->device_id);
      self->device_id = g_value_dup_string (value);
      break;
    case PROP_DEVICE_MODEL_ID:
      g_free (self->device_model_id);
      self->device_model_id = g_value_dup_string (value);
      break;
    case PROP_AUTH:
      self->auth = g_value_get_enum (value);
      break;
    case PROP_SYNC:
      self->sync = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_raeh_sink_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstRaehSink *self = GST_RAEH_SINK (object);

  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, make_stats (self));
    return;
  }
  GST_OBJECT_LOCK (self);
  if (gst_sensor_net_props_get_property (
          &self->net, PROP_NET, prop_id, value)) {
    GST_OBJECT_UNLOCK (self);
    return;
  }
  switch (prop_id) {
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_DEVICE_ID:
      g_value_set_string (value, self->device_id);
      break;
    case PROP_DEVICE_MODEL_ID:
      g_value_set_string (value, self->device_model_id);
      break;
    case PROP_AUTH:
      g_value_set_enum (value, self->auth);
      break;
    case PROP_MAX_BUFFER_TIME:
      g_value_set_uint64 (value, self->max_buffer_time);
      break;
    case PROP_SYNC:
      g_value_set_boolean (value, self->sync);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
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
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "frames-sent, bytes-sent, dropped, dropped-bytes, queued, "
          "queued-bytes, reconnects, failures, sessions, connected, "
          "session-id, last-close-code, last-close-reason, "
          "oversized-messages, malformed-frames",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template_with_gtype (
      element_class, &sink_template, GST_TYPE_RAEH_SINK_PAD);
  gst_element_class_set_static_metadata (element_class, "Raeh ingest sink",
      "Sink/Network/Sensor",
      "Streams Raeh frames of every modality of a device to Raeh "
      "/stream/ingest over one WebSocket session",
      "gst-plugins-sensor");
  gst_type_mark_as_plugin_api (GST_TYPE_RAEH_SINK_AUTH, 0);
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
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->session = gst_raeh_session_new (&session_callbacks, self);
  gst_raeh_session_set_max_buffer_time (self->session, self->max_buffer_time);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SINK);
}
