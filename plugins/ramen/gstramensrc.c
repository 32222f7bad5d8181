/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-ramensrc
 * @title: ramensrc
 *
 * Subscribes to a Synheart RAMEN event stream (ramen.v1 over gRPC) and
 * pushes every event as one `application/x-json` line. On start it replays
 * from the stored cursor, then subscribes; duplicates (seq <= last) are
 * dropped and counted, a gap is filled through Replay before going on, and
 * each event is acknowledged and saved to `state-location` after it was
 * pushed downstream.
 *
 * |[
 * gst-launch-1.0 ramensrc location=127.0.0.1:50051 tls=false app-id=demo \
 *     subject-id=user-1 state-location=/tmp/ramen.cursor ! fakesink dump=1
 * ]|
 *
 * The session policy is GstRamenStream (gst-libs/gst/ramen/ramen-stream.h);
 * this element adapts it: properties, the cursor load at start, the pad
 * probe that tells the stream what went downstream, and bus messages from
 * its callbacks.
 *
 * Threads: socket I/O runs on the gRPC core's own threads; the streaming
 * thread drives the call's completion queue. create() waits for the next
 * message (in 20 ms slices, so unlock() is seen at once), sends heartbeats
 * when they are due and acknowledges the previous event once it has gone
 * downstream (seen by a pad probe). This keeps "push, then ack, then save"
 * in one place with no queue between network and streaming; the cost is
 * that heartbeats pause while downstream blocks or the pipeline is PAUSED,
 * and a stream reaped meanwhile is resumed through Replay.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstramenelements.h"
#include "gstramensrc.h"
#include <gst/sensornet/sensornet-failure.h>
#include <gst/sensornet/sensornet-props.h>
#include <gst/ramen/ramen-cursor.h>
#include <gst/ramen/ramen-grpc.h>
#include <gst/ramen/ramen-stream.h>
#include <gst/sensor/sensor-field.h>
#include <gst/sensor/sensor-secret.h>

GST_DEBUG_CATEGORY_STATIC (ramen_src_debug);
#define GST_CAT_DEFAULT ramen_src_debug

#define DEFAULT_TLS TRUE
#define DEFAULT_BACKOFF_INITIAL 1.0
#define DEFAULT_HEARTBEAT_INTERVAL 0

enum {
  PROP_0,
  PROP_LOCATION,
  PROP_TLS,
  PROP_TLS_CA_FILE,
  PROP_APP_ID,
  PROP_SUBJECT_ID,
  PROP_DEVICE_ID,
  PROP_API_KEY,
  PROP_TOKEN,
  PROP_PROVIDERS,
  PROP_EVENT_TYPES,
  PROP_STATE_LOCATION,
  PROP_RETRY_BACKOFF_INITIAL,
  PROP_HEARTBEAT_INTERVAL,
  PROP_STATS,
  PROP_NET, /* GST_SENSOR_NET_PROPS_N ids from here */
};

/* Where ramensrc differs from the other network elements: gRPC has no
 * WebSocket pings (the RAMEN heartbeat is the keepalive) and always
 * verifies TLS; its timeout covers a Replay answer or the
 * SubscribeResponse; gRPC messages may be 4 MiB; the backoff tops out at
 * 32 s (1 s doubling). */
static const GstSensorNetPropsDefaults net_defaults = {
  GST_SENSOR_NET_PROPS_FLAG_NO_KEEPALIVE |
      GST_SENSOR_NET_PROPS_FLAG_NO_TLS_STRICT,
  10,
  1,
  "Seconds to wait for a Replay answer or the SubscribeResponse",
  4 * 1024 * 1024,
  32.0,
  "Largest gRPC message accepted, bytes; Replay then asks for smaller "
  "pages, a single larger event is an error",
  "PEM file of trusted roots instead of the system ones",
};

struct _GstRamenSrc
{
  GstPushSrc parent;

  /* properties, object lock */
  gchar *location;
  gboolean tls;
  gchar *app_id;
  gchar *subject_id;
  gchar *device_id;
  gchar *api_key;
  gchar *token;
  gchar *providers;
  gchar *event_types;
  gchar *state_location;
  gdouble backoff_initial;
  guint heartbeat_interval_ms;
  GstSensorNetProps net;

  /* object lock: the stream from start to stop (its own calls are
   * thread-safe where noted), the stats of the last run after stop */
  GstRamenStream *stream;
  gboolean flushing;
  gboolean
      eos_requested; /* an application's EOS: the stream stays interrupted */
  GstRamenStreamStats last_stats;

  /* streaming thread */
  gchar *uri; /* location for messages (holds no secrets) */
  gulong probe_id;
};

#define gst_ramen_src_parent_class parent_class
G_DEFINE_TYPE (GstRamenSrc, gst_ramen_src, GST_TYPE_PUSH_SRC);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (ramensrc, "ramensrc", GST_RANK_NONE,
    GST_TYPE_RAMEN_SRC,
    GST_DEBUG_CATEGORY_INIT (
        ramen_src_debug, "ramensrc", 0, "Synheart RAMEN source"));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE (
    "src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS ("application/x-json"));

static void
gst_ramen_src_init (GstRamenSrc *self)
{
  self->tls = DEFAULT_TLS;
  self->backoff_initial = DEFAULT_BACKOFF_INITIAL;
  self->heartbeat_interval_ms = DEFAULT_HEARTBEAT_INTERVAL;
  gst_sensor_net_props_init (&self->net, &net_defaults);
  gst_base_src_set_live (GST_BASE_SRC (self), TRUE);
  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_TIME);
  gst_base_src_set_do_timestamp (GST_BASE_SRC (self), TRUE);
}

static void
gst_ramen_src_finalize (GObject *object)
{
  GstRamenSrc *self = GST_RAMEN_SRC (object);

  g_free (self->location);
  g_free (self->app_id);
  g_free (self->subject_id);
  g_free (self->device_id);
  gst_sensor_secret_clear (&self->api_key);
  gst_sensor_secret_clear (&self->token);
  g_free (self->providers);
  g_free (self->event_types);
  g_free (self->state_location);
  gst_sensor_net_props_clear (&self->net);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* The plain properties: a value in an instance field, set and read under
 * the object lock with no side effect. tls-ca-file is the earlier name of
 * ca-file and shares its field. */
static const GstSensorFieldProp plain_props[] = {
  GST_SENSOR_FIELD_PROP (PROP_LOCATION, GstRamenSrc, location),
  GST_SENSOR_FIELD_PROP (PROP_TLS, GstRamenSrc, tls),
  GST_SENSOR_FIELD_PROP (PROP_TLS_CA_FILE, GstRamenSrc, net.ca_file),
  GST_SENSOR_FIELD_PROP (PROP_APP_ID, GstRamenSrc, app_id),
  GST_SENSOR_FIELD_PROP (PROP_SUBJECT_ID, GstRamenSrc, subject_id),
  GST_SENSOR_FIELD_PROP (PROP_DEVICE_ID, GstRamenSrc, device_id),
  GST_SENSOR_FIELD_PROP (PROP_PROVIDERS, GstRamenSrc, providers),
  GST_SENSOR_FIELD_PROP (PROP_EVENT_TYPES, GstRamenSrc, event_types),
  GST_SENSOR_FIELD_PROP (PROP_STATE_LOCATION, GstRamenSrc, state_location),
  GST_SENSOR_FIELD_PROP (
      PROP_RETRY_BACKOFF_INITIAL, GstRamenSrc, backoff_initial),
  GST_SENSOR_FIELD_PROP (
      PROP_HEARTBEAT_INTERVAL, GstRamenSrc, heartbeat_interval_ms),
};

static void
gst_ramen_src_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstRamenSrc *self = GST_RAMEN_SRC (object);
  GST_OBJECT_LOCK (self);
  if (prop_id == PROP_API_KEY)
    gst_sensor_secret_replace (&self->api_key, g_value_get_string (value));
  else if (prop_id == PROP_TOKEN)
    gst_sensor_secret_replace (&self->token, g_value_get_string (value));
  else if (!gst_sensor_field_set_in (
               self, plain_props, G_N_ELEMENTS (plain_props), prop_id, value) &&
      !gst_sensor_net_props_set_property (&self->net, PROP_NET, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  GST_OBJECT_UNLOCK (self);
}

static GstStructure *
make_stats (GstRamenSrc *self)
{
  GstRamenStreamStats st;
  g_autofree gchar *connection_id = NULL;

  GST_OBJECT_LOCK (self);
  if (self->stream)
    connection_id = gst_ramen_stream_get_stats (self->stream, &st);
  else
    st = self->last_stats;
  GST_OBJECT_UNLOCK (self);
  return gst_structure_new ("application/x-ramensrc-stats", "connected",
      G_TYPE_BOOLEAN, st.connected, "messages-received", G_TYPE_UINT64,
      st.messages_received, "bytes-received", G_TYPE_UINT64, st.bytes_received,
      "buffers-pushed", G_TYPE_UINT64, st.events, "duplicates", G_TYPE_UINT64,
      st.duplicates, "gaps", G_TYPE_UINT64, st.gaps, "gaps-unrepaired",
      G_TYPE_UINT64, st.gaps_unrepaired, "replayed", G_TYPE_UINT64, st.replayed,
      "reconnects", G_TYPE_UINT64, st.reconnects, "failures", G_TYPE_UINT64,
      st.failures, "heartbeat-timeouts", G_TYPE_UINT64, st.heartbeat_timeouts,
      "invalid", G_TYPE_UINT64, st.invalid, "acks-dropped", G_TYPE_UINT64,
      st.acks_dropped, "last-seq", G_TYPE_INT64, st.last_seq, "connection-id",
      G_TYPE_STRING, connection_id, NULL);
}

static void
gst_ramen_src_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstRamenSrc *self = GST_RAMEN_SRC (object);
  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, make_stats (self));
    return;
  }
  GST_OBJECT_LOCK (self);
  if (!gst_sensor_field_get_in (
          self, plain_props, G_N_ELEMENTS (plain_props), prop_id, value) &&
      !gst_sensor_net_props_get_property (&self->net, PROP_NET, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  GST_OBJECT_UNLOCK (self);
}

/* ------------------------------------------------------------------ */
/* GstRamenStream callbacks: streaming thread, turned into bus messages */

static void
on_connecting (GstRamenStream *stream, guint attempt, gpointer user_data)
{
  GstRamenSrc *self = user_data;

  gst_sensor_net_post_connection_state (GST_ELEMENT (self),
      gst_sensor_net_connection_state_new (
          "connecting", self->uri, attempt, 0, NULL));
}

static void
on_connected (GstRamenStream *stream, const gchar *connection_id,
    gint64 current_seq, gint64 heartbeat_interval_us, gpointer user_data)
{
  GstRamenSrc *self = user_data;
  GstStructure *st =
      gst_sensor_net_connection_state_new ("connected", self->uri, 0, 0, NULL);

  gst_structure_set (st, "connection-id", G_TYPE_STRING, connection_id,
      "current-seq", G_TYPE_INT64, current_seq, "heartbeat-interval",
      G_TYPE_UINT64, (guint64) heartbeat_interval_us * 1000, NULL);
  gst_sensor_net_post_connection_state (GST_ELEMENT (self), st);
}

static void
on_cursor_ahead (GstRamenStream *stream, gint64 current_seq, gint64 cursor,
    gpointer user_data)
{
  GstRamenSrc *self = user_data;

  GST_ELEMENT_WARNING (self, RESOURCE, READ,
      ("RAMEN's highest seq is %" G_GINT64_FORMAT
       ", behind the cursor %" G_GINT64_FORMAT
       ": events up to %" G_GINT64_FORMAT " will be dropped as already seen",
          current_seq, cursor, cursor),
      ("delete the state-location file to start over"));
}

static void
on_failure (
    GstRamenStream *stream, const GstRamenStreamFailure *f, gpointer user_data)
{
  GstRamenSrc *self = user_data;

  if (f->warn) {
    GST_ELEMENT_WARNING_WITH_DETAILS (self, RESOURCE, OPEN_READ_WRITE,
        ("Connection to %s failed: %s; retrying", self->uri, f->reason),
        ("%u failure(s) in a row", f->failures),
        ("grpc-status", G_TYPE_INT, (gint) f->status, "grpc-message",
            G_TYPE_STRING, f->details, "failures", G_TYPE_UINT, f->failures,
            NULL));
  } else {
    GST_INFO_OBJECT (self, "connection to %s failed (%u in a row): %s",
        self->uri, f->failures, f->reason);
  }
}

static void
on_reconnecting (GstRamenStream *stream, const GstRamenStreamFailure *f,
    guint attempt, GstClockTime delay, gpointer user_data)
{
  GstRamenSrc *self = user_data;
  GstStructure *st = gst_sensor_net_connection_state_new (
      "reconnecting", self->uri, attempt, delay, f->reason);

  gst_structure_set (st, "grpc-status", G_TYPE_INT, (gint) f->status, NULL);
  gst_sensor_net_post_connection_state (GST_ELEMENT (self), st);
}

static void
on_error (
    GstRamenStream *stream, const GstRamenStreamFailure *f, gpointer user_data)
{
  GstRamenSrc *self = user_data;
  const gchar *name = gst_ramen_grpc_status_name (f->status);

  switch (f->kind) {
    case GST_RAMEN_STREAM_ERROR_UNAUTHENTICATED:
      GST_ELEMENT_ERROR_WITH_DETAILS (self, RESOURCE, NOT_AUTHORIZED,
          ("RAMEN at %s refused the credentials: %s", self->uri, f->reason),
          ("gRPC status %s: %s", name, f->details),
          ("grpc-status", G_TYPE_INT, (gint) f->status, "grpc-message",
              G_TYPE_STRING, f->details, NULL));
      break;
    case GST_RAMEN_STREAM_ERROR_AUTH_FAILED:
      GST_ELEMENT_ERROR_WITH_DETAILS (self, RESOURCE, NOT_AUTHORIZED,
          ("RAMEN at %s refused the credentials: %s", self->uri, f->reason),
          ("%s", f->reason),
          ("ramen-error-code", G_TYPE_INT, f->ramen_code, "grpc-message",
              G_TYPE_STRING, f->details, NULL));
      break;
    case GST_RAMEN_STREAM_ERROR_CALL:
      GST_ELEMENT_ERROR_WITH_DETAILS (self, RESOURCE, READ,
          ("RAMEN call to %s failed: %s", self->uri, f->reason),
          ("gRPC status %s: %s", name, f->details),
          ("grpc-status", G_TYPE_INT, (gint) f->status, "grpc-message",
              G_TYPE_STRING, f->details, NULL));
      break;
    case GST_RAMEN_STREAM_ERROR_GAVE_UP: {
      gint retries;

      GST_OBJECT_LOCK (self);
      retries = self->net.retries;
      GST_OBJECT_UNLOCK (self);
      GST_ELEMENT_ERROR_WITH_DETAILS (self, RESOURCE, OPEN_READ,
          ("Could not reach RAMEN at %s: %s", self->uri, f->reason),
          ("gave up after %d retries", retries),
          ("grpc-status", G_TYPE_INT, (gint) f->status, "grpc-message",
              G_TYPE_STRING, f->details, NULL));
      break;
    }
  }
}

static void
on_cursor_save_failed (GstRamenStream *stream, const gchar *path,
    const GError *error, gpointer user_data)
{
  GstRamenSrc *self = user_data;

  GST_ELEMENT_WARNING (self, RESOURCE, WRITE, (NULL),
      ("cannot save the cursor to %s: %s", path, error->message));
}

static const GstRamenStreamCallbacks stream_callbacks = {
  on_connecting,
  on_connected,
  on_cursor_ahead,
  on_failure,
  on_reconnecting,
  on_error,
  on_cursor_save_failed,
};

/* ------------------------------------------------------------------ */

static GstPadProbeReturn
pushed_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GstRamenStream *stream = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);

  /* the buffer passed the flushing check and goes to the peer now */
  if (GST_BUFFER_OFFSET_IS_VALID (buf))
    gst_ramen_stream_pushed (stream, GST_BUFFER_OFFSET (buf));
  return GST_PAD_PROBE_OK;
}

static GstFlowReturn
gst_ramen_src_create (GstPushSrc *psrc, GstBuffer **outbuf)
{
  GstRamenSrc *self = GST_RAMEN_SRC (psrc);
  GstBuffer *buf;
  gchar *line = NULL;
  gsize len = 0;
  gint64 seq = 0;

  switch (gst_ramen_stream_next (self->stream, &line, &len, &seq)) {
    case GST_RAMEN_STREAM_EVENT:
      buf = gst_buffer_new_wrapped (line, len);
      GST_BUFFER_OFFSET (buf) = seq;
      GST_BUFFER_OFFSET_END (buf) = seq + 1;
      *outbuf = buf;
      return GST_FLOW_OK;
    case GST_RAMEN_STREAM_INTERRUPTED: {
      gboolean eos;

      GST_OBJECT_LOCK (self);
      eos = self->eos_requested;
      GST_OBJECT_UNLOCK (self);
      /* events not pushed yet are not in the cursor: the next run has them */
      return eos ? GST_FLOW_EOS : GST_FLOW_FLUSHING;
    }
    case GST_RAMEN_STREAM_ERROR:
    default:
      return GST_FLOW_ERROR;
  }
}

/* The cursor to start from: 0 without one or with a corrupt one (set
 * aside with a warning), -1 after an error. */
static gint64
load_cursor (GstRamenSrc *self)
{
  g_autoptr (GError) err = NULL;
  gint64 seq;

  if (self->state_location == NULL)
    return 0;
  seq = gst_ramen_cursor_load (
      self->state_location, self->app_id, self->subject_id, &err);
  if (seq < 0 &&
      g_error_matches (
          err, GST_RAMEN_CURSOR_ERROR, GST_RAMEN_CURSOR_ERROR_CORRUPT)) {
    /* it would drop every event as already seen, or stop the element for
     * good: start over instead (at-least-once allows repeats), and keep
     * the file for a look */
    g_autoptr (GError) aside_err = NULL;
    g_autofree gchar *aside =
        gst_ramen_cursor_set_aside (self->state_location, &aside_err);

    GST_ELEMENT_WARNING (self, RESOURCE, READ,
        ("Ignoring the corrupt RAMEN cursor %s: %s", self->state_location,
            err->message),
        ("%s%s; starting with no cursor", aside ? "kept as " : "",
            aside ? aside : aside_err->message));
    return 0;
  } else if (seq < 0) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ, ("Could not read the cursor"),
        ("%s", err->message));
  }
  return seq;
}

static gboolean
gst_ramen_src_start (GstBaseSrc *bsrc)
{
  GstRamenSrc *self = GST_RAMEN_SRC (bsrc);
  g_autoptr (GError) err = NULL;
  g_autofree gchar *target = NULL;
  g_autofree gchar *ca_pem = NULL;
  GstRamenStreamConfig config = {
    0,
  };
  GstRamenStream *stream;
  gboolean use_tls;
  gint64 seq;

  /* properties are MUTABLE_READY: no lock needed to read them here */
  if (self->location == NULL || *self->location == '\0') {
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND, ("No RAMEN location set"),
        ("set location=host:port"));
    return FALSE;
  }
  /* a location that can never work is final, not retried */
  if (!gst_ramen_grpc_parse_location (
          self->location, self->tls, &target, &use_tls, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Bad RAMEN location: %s", err->message), (NULL));
    return FALSE;
  }
  if (self->net.ca_file &&
      !g_file_get_contents (self->net.ca_file, &ca_pem, NULL, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
        ("Could not read the CA file"), ("%s", err->message));
    return FALSE;
  }
  seq = load_cursor (self);
  if (seq < 0)
    return FALSE;
  GST_INFO_OBJECT (self, "starting at seq %" G_GINT64_FORMAT " on %s (%s)", seq,
      target, use_tls ? "TLS" : "plaintext");

  config.target = target;
  config.tls = use_tls;
  config.ca_pem = ca_pem;
  config.app_id = self->app_id;
  config.user_id = self->subject_id;
  config.device_id = self->device_id;
  config.api_key = self->api_key;
  config.token = self->token;
  config.providers = self->providers;
  config.event_types = self->event_types;
  config.state_location = self->state_location;
  config.start_seq = seq;
  config.timeout_s = self->net.timeout;
  config.heartbeat_interval_ms = self->heartbeat_interval_ms;
  config.max_message_size = self->net.max_message_size;
  config.backoff_initial = self->backoff_initial;
  config.backoff_factor = self->net.backoff_factor;
  config.backoff_max = self->net.backoff_max;
  config.retries = self->net.retries;
  g_free (self->uri);
  self->uri = g_strdup (self->location);
  stream = gst_ramen_stream_new (&config, &stream_callbacks, self);

  GST_OBJECT_LOCK (self);
  self->stream = stream;
  self->eos_requested = FALSE;
  gst_ramen_stream_set_flushing (stream, self->flushing);
  GST_OBJECT_UNLOCK (self);
  self->probe_id = gst_pad_add_probe (GST_BASE_SRC_PAD (self),
      GST_PAD_PROBE_TYPE_BUFFER, pushed_probe, stream, NULL);
  return TRUE;
}

static gboolean
gst_ramen_src_stop (GstBaseSrc *bsrc)
{
  GstRamenSrc *self = GST_RAMEN_SRC (bsrc);
  GstRamenStream *stream = self->stream;

  if (stream == NULL)
    return TRUE;
  if (self->probe_id) {
    gst_pad_remove_probe (GST_BASE_SRC_PAD (self), self->probe_id);
    self->probe_id = 0;
  }
  /* the last event went downstream: keep it in the cursor */
  gst_ramen_stream_finish (stream);
  GST_OBJECT_LOCK (self);
  g_free (gst_ramen_stream_get_stats (stream, &self->last_stats));
  self->stream = NULL;
  GST_OBJECT_UNLOCK (self);
  gst_ramen_stream_free (stream);
  g_clear_pointer (&self->uri, g_free);
  return TRUE;
}

static void
set_flushing (GstRamenSrc *self, gboolean flushing)
{
  GST_OBJECT_LOCK (self);
  self->flushing = flushing;
  if (self->stream)
    gst_ramen_stream_set_flushing (
        self->stream, flushing || self->eos_requested);
  GST_OBJECT_UNLOCK (self);
}

/* An application's EOS (gst-launch-1.0 -e) interrupts the wait for the next
 * event and ends the stream, without waiting for the streaming thread:
 * GstBaseSrc's own EOS handling takes the stream lock, which deadlocks
 * when the caller holds a prerolling pipeline's state lock. */
static gboolean
gst_ramen_src_send_event (GstElement *element, GstEvent *event)
{
  GstRamenSrc *self = GST_RAMEN_SRC (element);
  gboolean taken = FALSE;

  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS) {
    GST_OBJECT_LOCK (self);
    if (self->stream) {
      self->eos_requested = TRUE;
      gst_ramen_stream_set_flushing (self->stream, TRUE);
      taken = TRUE;
    }
    GST_OBJECT_UNLOCK (self);
  }
  if (!taken)
    return GST_ELEMENT_CLASS (parent_class)->send_event (element, event);
  gst_event_unref (event);
  return TRUE;
}

static gboolean
gst_ramen_src_unlock (GstBaseSrc *bsrc)
{
  set_flushing (GST_RAMEN_SRC (bsrc), TRUE);
  return TRUE;
}

static gboolean
gst_ramen_src_unlock_stop (GstBaseSrc *bsrc)
{
  set_flushing (GST_RAMEN_SRC (bsrc), FALSE);
  return TRUE;
}

static void
gst_ramen_src_class_init (GstRamenSrcClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *basesrc_class = GST_BASE_SRC_CLASS (klass);
  GstPushSrcClass *pushsrc_class = GST_PUSH_SRC_CLASS (klass);
  const GParamFlags rw =
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY;

  gobject_class->set_property = gst_ramen_src_set_property;
  gobject_class->get_property = gst_ramen_src_get_property;
  gobject_class->finalize = gst_ramen_src_finalize;
  element_class->send_event = GST_DEBUG_FUNCPTR (gst_ramen_src_send_event);

  g_object_class_install_property (gobject_class, PROP_LOCATION,
      g_param_spec_string ("location", "Location",
          "RAMEN gateway as host:port; an http:// or grpc:// prefix means "
          "plaintext, https:// or grpcs:// TLS",
          NULL, rw));
  g_object_class_install_property (gobject_class, PROP_TLS,
      g_param_spec_boolean ("tls", "TLS",
          "Use TLS, verified against the system roots or ca-file "
          "(a scheme in location overrides this)",
          DEFAULT_TLS, rw));
  g_object_class_install_property (gobject_class, PROP_TLS_CA_FILE,
      g_param_spec_string ("tls-ca-file", "TLS CA file",
          "Deprecated name of ca-file (the same value)", NULL,
          rw | G_PARAM_DEPRECATED));
  g_object_class_install_property (gobject_class, PROP_APP_ID,
      g_param_spec_string ("app-id", "App ID",
          "Application id (x-app-id metadata and app_id)", NULL, rw));
  g_object_class_install_property (gobject_class, PROP_SUBJECT_ID,
      g_param_spec_string ("subject-id", "Subject ID",
          "Subject whose events to receive (user_id on the wire)", NULL, rw));
  g_object_class_install_property (gobject_class, PROP_DEVICE_ID,
      g_param_spec_string ("device-id", "Device ID",
          "This device's id (device_id in SubscribeRequest)", NULL, rw));
  g_object_class_install_property (gobject_class, PROP_API_KEY,
      g_param_spec_string ("api-key", "API key",
          "App API key, sent as x-api-key metadata (write-only)", NULL,
          G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_TOKEN,
      g_param_spec_string ("token", "Token",
          "JWT or SDK token for SubscribeRequest.token (write-only)", NULL,
          G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_PROVIDERS,
      g_param_spec_string ("providers", "Providers",
          "Comma-separated providers to subscribe to (e.g. whoop,garmin); "
          "empty = all",
          NULL, rw));
  g_object_class_install_property (gobject_class, PROP_EVENT_TYPES,
      g_param_spec_string ("event-types", "Event types",
          "Comma-separated event types (e.g. sleep.updated); empty = all", NULL,
          rw));
  g_object_class_install_property (gobject_class, PROP_STATE_LOCATION,
      g_param_spec_string ("state-location", "State location",
          "File keeping the last acknowledged seq across runs (written "
          "atomically); unset = start from 0 each time",
          NULL, rw));
  g_object_class_install_property (gobject_class, PROP_RETRY_BACKOFF_INITIAL,
      g_param_spec_double ("retry-backoff-initial", "Initial retry backoff",
          "Delay before the first reconnection, seconds (+-10% jitter)", 0.0,
          3600.0, DEFAULT_BACKOFF_INITIAL, rw));
  g_object_class_install_property (gobject_class, PROP_HEARTBEAT_INTERVAL,
      g_param_spec_uint ("heartbeat-interval", "Heartbeat interval",
          "Heartbeat period in ms; 0 = the server's interval clamped to "
          "5..300 s (30 s when it gives none). Two unanswered heartbeats "
          "reconnect",
          0, 3600000, DEFAULT_HEARTBEAT_INTERVAL, rw));
  gst_sensor_net_props_install (gobject_class, PROP_NET, &net_defaults);
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "application/x-ramensrc-stats: connected, messages-received, "
          "bytes-received, buffers-pushed, duplicates, gaps, "
          "gaps-unrepaired, replayed, reconnects, failures, "
          "heartbeat-timeouts, invalid, acks-dropped, last-seq, "
          "connection-id",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Synheart RAMEN source",
      "Source/Network",
      "Receives Synheart RAMEN events over gRPC (ramen.v1) with replay, "
      "dedupe by seq and a persistent cursor, as JSON lines",
      "gst-plugins-sensor");

  basesrc_class->start = gst_ramen_src_start;
  basesrc_class->stop = gst_ramen_src_stop;
  basesrc_class->unlock = gst_ramen_src_unlock;
  basesrc_class->unlock_stop = gst_ramen_src_unlock_stop;
  pushsrc_class->create = gst_ramen_src_create;
}
