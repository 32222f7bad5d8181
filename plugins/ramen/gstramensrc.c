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
#include <gst/net/sensor-backoff.h>
#include <gst/net/sensor-net-failure.h>
#include <gst/ramen/ramen-cursor.h>
#include <gst/ramen/ramen-event.h>
#include <gst/ramen/ramen-grpc.h>
#include <gst/ramen/ramen-heartbeat.h>
#include <gst/ramen/ramen-proto.h>
#include <gst/ramen/ramen-seq.h>
#include <gst/sensor/sensor-secret.h>

GST_DEBUG_CATEGORY_STATIC (ramen_src_debug);
#define GST_CAT_DEFAULT ramen_src_debug

#define DEFAULT_TLS TRUE
#define DEFAULT_RETRIES -1
#define DEFAULT_BACKOFF_INITIAL 1.0
#define DEFAULT_BACKOFF_FACTOR 2.0
#define DEFAULT_BACKOFF_MAX 32.0
#define DEFAULT_TIMEOUT 10
#define DEFAULT_HEARTBEAT_INTERVAL 0
#define DEFAULT_MAX_MESSAGE_SIZE (4 * 1024 * 1024)
#define MAX_QUEUED_SENDS 1024

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
  PROP_RETRIES,
  PROP_RETRY_BACKOFF_INITIAL,
  PROP_RETRY_BACKOFF_FACTOR,
  PROP_RETRY_BACKOFF_MAX,
  PROP_TIMEOUT,
  PROP_HEARTBEAT_INTERVAL,
  PROP_MAX_MESSAGE_SIZE,
  PROP_STATS,
};

typedef enum {
  STATE_IDLE,      /* not connected; connect (after backoff) */
  STATE_REPLAYING, /* serving Replay pages */
  STATE_STREAMING, /* Subscribe stream open */
} ConnState;

struct _GstRamenSrc
{
  GstPushSrc parent;

  /* properties, object lock */
  gchar *location;
  gboolean tls;
  gchar *tls_ca_file;
  gchar *app_id;
  gchar *subject_id;
  gchar *device_id;
  gchar *api_key;
  gchar *token;
  gchar *providers;
  gchar *event_types;
  gchar *state_location;
  gint retries;
  gdouble backoff_initial, backoff_factor, backoff_max;
  guint timeout;
  guint heartbeat_interval_ms;
  guint max_message_size;

  /* stats, object lock */
  guint64 n_events, n_duplicates, n_gaps, n_replayed, n_reconnects,
      n_heartbeat_timeouts, n_invalid, n_acks_dropped, n_gaps_unrepaired;
  gchar *connection_id;

  /* unlock */
  gint flushing;
  GMutex wait_lock;
  GCond wait_cond;

  /* streaming thread */
  ConnState state;
  GstRamenGrpcChannel *channel;
  GstRamenGrpcStream *stream;
  gboolean subscribed;
  gint64 subscribe_deadline_us;
  gint64 heartbeat_interval_us;
  gint64 next_heartbeat_us;
  guint heartbeats_unacked;
  Ramen__V1__ReplayResponse *page;
  gsize page_index;
  gint64 page_start_seq;
  gint replay_limit;
  gboolean cursor_warned;
  gboolean cursor_ahead_warned;
  GstSensorBackoff backoff;
  gboolean need_backoff;
  gchar *last_reason; /* "STATUS: details" of the last failure */
  GstRamenGrpcStatus last_status;
  gchar *last_details;
  guint failures;               /* in a row, since the last server message */
  gchar *uri;                   /* location for messages (holds no secrets) */
  gint64 delivered_seq;         /* last seq returned from create() */
  gint64 acked_seq;             /* last seq acked and saved */
  gboolean delivered_on_stream; /* was delivered_seq a stream event */
  gint64 pushed_seq;            /* last seq seen by the src pad probe */
  gulong probe_id;
  gchar *target;
  gboolean use_tls;
  gchar *ca_pem;
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
  self->retries = DEFAULT_RETRIES;
  self->backoff_initial = DEFAULT_BACKOFF_INITIAL;
  self->backoff_factor = DEFAULT_BACKOFF_FACTOR;
  self->backoff_max = DEFAULT_BACKOFF_MAX;
  self->timeout = DEFAULT_TIMEOUT;
  self->heartbeat_interval_ms = DEFAULT_HEARTBEAT_INTERVAL;
  self->max_message_size = DEFAULT_MAX_MESSAGE_SIZE;
  g_mutex_init (&self->wait_lock);
  g_cond_init (&self->wait_cond);
  gst_base_src_set_live (GST_BASE_SRC (self), TRUE);
  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_TIME);
  gst_base_src_set_do_timestamp (GST_BASE_SRC (self), TRUE);
}

static void
gst_ramen_src_finalize (GObject *object)
{
  GstRamenSrc *self = GST_RAMEN_SRC (object);

  g_free (self->location);
  g_free (self->tls_ca_file);
  g_free (self->app_id);
  g_free (self->subject_id);
  g_free (self->device_id);
  gst_sensor_secret_clear (&self->api_key);
  gst_sensor_secret_clear (&self->token);
  g_free (self->providers);
  g_free (self->event_types);
  g_free (self->state_location);
  g_free (self->connection_id);
  g_mutex_clear (&self->wait_lock);
  g_cond_clear (&self->wait_cond);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
set_string (GstRamenSrc *self, gchar **field, const GValue *value)
{
  GST_OBJECT_LOCK (self);
  g_free (*field);
  *field = g_value_dup_string (value);
  GST_OBJECT_UNLOCK (self);
}

static void
gst_ramen_src_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstRamenSrc *self = GST_RAMEN_SRC (object);

  switch (prop_id) {
    case PROP_LOCATION:
      set_string (self, &self->location, value);
      break;
    case PROP_TLS:
      GST_OBJECT_LOCK (self);
      self->tls = g_value_get_boolean (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_TLS_CA_FILE:
      set_string (self, &self->tls_ca_file, value);
      break;
    case PROP_APP_ID:
      set_string (self, &self->app_id, value);
      break;
    case PROP_SUBJECT_ID:
      set_string (self, &self->subject_id, value);
      break;
    case PROP_DEVICE_ID:
      set_string (self, &self->device_id, value);
      break;
    case PROP_API_KEY:
      GST_OBJECT_LOCK (self);
      gst_sensor_secret_replace (&self->api_key, g_value_get_string (value));
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_TOKEN:
      GST_OBJECT_LOCK (self);
      gst_sensor_secret_replace (&self->token, g_value_get_string (value));
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_PROVIDERS:
      set_string (self, &self->providers, value);
      break;
    case PROP_EVENT_TYPES:
      set_string (self, &self->event_types, value);
      break;
    case PROP_STATE_LOCATION:
      set_string (self, &self->state_location, value);
      break;
    case PROP_RETRIES:
      GST_OBJECT_LOCK (self);
      self->retries = g_value_get_int (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_RETRY_BACKOFF_INITIAL:
      GST_OBJECT_LOCK (self);
      self->backoff_initial = g_value_get_double (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_RETRY_BACKOFF_FACTOR:
      GST_OBJECT_LOCK (self);
      self->backoff_factor = g_value_get_double (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_RETRY_BACKOFF_MAX:
      GST_OBJECT_LOCK (self);
      self->backoff_max = g_value_get_double (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_TIMEOUT:
      GST_OBJECT_LOCK (self);
      self->timeout = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_HEARTBEAT_INTERVAL:
      GST_OBJECT_LOCK (self);
      self->heartbeat_interval_ms = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_MAX_MESSAGE_SIZE:
      GST_OBJECT_LOCK (self);
      self->max_message_size = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static GstStructure *
make_stats (GstRamenSrc *self)
{
  GstStructure *s;

  GST_OBJECT_LOCK (self);
  s = gst_structure_new ("ramensrc-stats", "events", G_TYPE_UINT64,
      self->n_events, "duplicates", G_TYPE_UINT64, self->n_duplicates, "gaps",
      G_TYPE_UINT64, self->n_gaps, "gaps-unrepaired", G_TYPE_UINT64,
      self->n_gaps_unrepaired, "replayed", G_TYPE_UINT64, self->n_replayed,
      "reconnects", G_TYPE_UINT64, self->n_reconnects, "heartbeat-timeouts",
      G_TYPE_UINT64, self->n_heartbeat_timeouts, "invalid", G_TYPE_UINT64,
      self->n_invalid, "acks-dropped", G_TYPE_UINT64, self->n_acks_dropped,
      "last-seq", G_TYPE_INT64, self->acked_seq, "connection-id", G_TYPE_STRING,
      self->connection_id, NULL);
  GST_OBJECT_UNLOCK (self);
  return s;
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
  switch (prop_id) {
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_TLS:
      g_value_set_boolean (value, self->tls);
      break;
    case PROP_TLS_CA_FILE:
      g_value_set_string (value, self->tls_ca_file);
      break;
    case PROP_APP_ID:
      g_value_set_string (value, self->app_id);
      break;
    case PROP_SUBJECT_ID:
      g_value_set_string (value, self->subject_id);
      break;
    case PROP_DEVICE_ID:
      g_value_set_string (value, self->device_id);
      break;
    case PROP_PROVIDERS:
      g_value_set_string (value, self->providers);
      break;
    case PROP_EVENT_TYPES:
      g_value_set_string (value, self->event_types);
      break;
    case PROP_STATE_LOCATION:
      g_value_set_string (value, self->state_location);
      break;
    case PROP_RETRIES:
      g_value_set_int (value, self->retries);
      break;
    case PROP_RETRY_BACKOFF_INITIAL:
      g_value_set_double (value, self->backoff_initial);
      break;
    case PROP_RETRY_BACKOFF_FACTOR:
      g_value_set_double (value, self->backoff_factor);
      break;
    case PROP_RETRY_BACKOFF_MAX:
      g_value_set_double (value, self->backoff_max);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_HEARTBEAT_INTERVAL:
      g_value_set_uint (value, self->heartbeat_interval_ms);
      break;
    case PROP_MAX_MESSAGE_SIZE:
      g_value_set_uint (value, self->max_message_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* ------------------------------------------------------------------ */

static GstPadProbeReturn
pushed_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GstRamenSrc *self = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);

  /* the buffer passed the flushing check and goes to the peer now */
  if (GST_BUFFER_OFFSET_IS_VALID (buf)) {
    GST_OBJECT_LOCK (self);
    self->pushed_seq = GST_BUFFER_OFFSET (buf);
    GST_OBJECT_UNLOCK (self);
  }
  return GST_PAD_PROBE_OK;
}

static gint64
get_pushed_seq (GstRamenSrc *self)
{
  gint64 seq;

  GST_OBJECT_LOCK (self);
  seq = self->pushed_seq;
  GST_OBJECT_UNLOCK (self);
  return seq;
}

static gchar **
split_list (const gchar *s)
{
  gchar **v, **p;
  GPtrArray *out = g_ptr_array_new ();

  v = g_strsplit (s ? s : "", ",", -1);
  for (p = v; *p; p++) {
    g_strstrip (*p);
    if (**p)
      g_ptr_array_add (out, g_strdup (*p));
  }
  g_strfreev (v);
  g_ptr_array_add (out, NULL);
  return (gchar **) g_ptr_array_free (out, FALSE);
}

static void
save_cursor (GstRamenSrc *self, gint64 seq)
{
  g_autoptr (GError) err = NULL;
  gchar *path, *app, *user;

  GST_OBJECT_LOCK (self);
  self->acked_seq = seq;
  path = g_strdup (self->state_location);
  app = g_strdup (self->app_id);
  user = g_strdup (self->subject_id);
  GST_OBJECT_UNLOCK (self);
  /* one warning, not one per event */
  if (path && !gst_ramen_cursor_save (path, app, user, seq, &err) &&
      !self->cursor_warned) {
    GST_ELEMENT_WARNING (self, RESOURCE, WRITE, (NULL),
        ("cannot save the cursor to %s: %s", path, err->message));
    self->cursor_warned = TRUE;
  }
  g_free (path);
  g_free (app);
  g_free (user);
}

static void
send_client_message (GstRamenSrc *self, Ramen__V1__ClientMessage *msg)
{
  g_autoptr (GBytes) bytes = gst_ramen_pack (&msg->base);

  if (self->stream == NULL)
    return;
  if (!gst_ramen_grpc_stream_send (self->stream, bytes, MAX_QUEUED_SENDS)) {
    GST_OBJECT_LOCK (self);
    self->n_acks_dropped++;
    GST_OBJECT_UNLOCK (self);
  }
}

static void
send_ack (GstRamenSrc *self, gint64 seq, Ramen__V1__AckStatus status)
{
  Ramen__V1__ClientMessage msg;
  Ramen__V1__Ack ack;

  ramen__v1__client_message__init (&msg);
  ramen__v1__ack__init (&ack);
  ack.seq = seq;
  ack.status = status;
  msg.message_case = RAMEN__V1__CLIENT_MESSAGE__MESSAGE_ACK;
  msg.ack = &ack;
  send_client_message (self, &msg);
}

/* Acknowledges what went downstream since the last call. */
static void
ack_pushed (GstRamenSrc *self)
{
  gint64 pushed = get_pushed_seq (self);

  if (pushed <= self->acked_seq || pushed > self->delivered_seq)
    return;
  if (self->delivered_on_stream && self->subscribed)
    send_ack (self, pushed, RAMEN__V1__ACK_STATUS__ACK_STATUS_SUCCESS);
  save_cursor (self, pushed);
}

static void
send_heartbeat (GstRamenSrc *self)
{
  Ramen__V1__ClientMessage msg;
  Ramen__V1__Heartbeat hb;
  Google__Protobuf__Timestamp now;

  ramen__v1__client_message__init (&msg);
  ramen__v1__heartbeat__init (&hb);
  gst_ramen_timestamp_set (&now, g_get_real_time () * 1000);
  hb.timestamp = &now;
  msg.message_case = RAMEN__V1__CLIENT_MESSAGE__MESSAGE_HEARTBEAT;
  msg.heartbeat = &hb;
  send_client_message (self, &msg);
}

static void
disconnect (GstRamenSrc *self)
{
  g_clear_pointer (&self->stream, gst_ramen_grpc_stream_close);
  g_clear_pointer (&self->channel, gst_ramen_grpc_channel_free);
  if (self->page) {
    ramen__v1__replay_response__free_unpacked (self->page, NULL);
    self->page = NULL;
  }
  self->subscribed = FALSE;
  self->state = STATE_IDLE;
}

/* Drops the connection for a transient reason: the next create() waits
 * the backoff and starts over from Replay. */
static void
schedule_reconnect (
    GstRamenSrc *self, GstRamenGrpcStatus status, const gchar *reason)
{
  disconnect (self);
  g_free (self->last_reason);
  self->last_reason = gst_ramen_grpc_status_describe (status, reason);
  g_free (self->last_details);
  self->last_details = g_strdup (reason ? reason : "");
  self->last_status = status;
  self->need_backoff = TRUE;
  self->failures++;
  /* the shared rule: said on the first failure in a row and every 10th,
   * so an outage is seen without flooding the bus */
  if (gst_sensor_net_failure_should_warn (self->failures)) {
    GST_ELEMENT_WARNING_WITH_DETAILS (self, RESOURCE, OPEN_READ_WRITE,
        ("Connection to %s failed: %s; retrying", self->uri, self->last_reason),
        ("%u failure(s) in a row", self->failures),
        ("grpc-status", G_TYPE_INT, (gint) status, "grpc-message",
            G_TYPE_STRING, self->last_details, "failures", G_TYPE_UINT,
            self->failures, NULL));
  } else {
    GST_INFO_OBJECT (self, "connection to %s failed (%u in a row): %s",
        self->uri, self->failures, self->last_reason);
  }
  GST_OBJECT_LOCK (self);
  self->n_reconnects++;
  g_clear_pointer (&self->connection_id, g_free);
  GST_OBJECT_UNLOCK (self);
}

static GstFlowReturn
fatal_status (
    GstRamenSrc *self, GstRamenGrpcStatus status, const gchar *details)
{
  g_autofree gchar *cause = gst_ramen_grpc_status_describe (status, details);

  if (status == GST_RAMEN_GRPC_UNAUTHENTICATED)
    GST_ELEMENT_ERROR_WITH_DETAILS (self, RESOURCE, NOT_AUTHORIZED,
        ("RAMEN at %s refused the credentials: %s", self->uri, cause),
        ("gRPC status %s: %s", gst_ramen_grpc_status_name (status), details),
        ("grpc-status", G_TYPE_INT, (gint) status, "grpc-message",
            G_TYPE_STRING, details, NULL));
  else
    GST_ELEMENT_ERROR_WITH_DETAILS (self, RESOURCE, READ,
        ("RAMEN call to %s failed: %s", self->uri, cause),
        ("gRPC status %s: %s", gst_ramen_grpc_status_name (status), details),
        ("grpc-status", G_TYPE_INT, (gint) status, "grpc-message",
            G_TYPE_STRING, details, NULL));
  disconnect (self);
  return GST_FLOW_ERROR;
}

/* Waits until @deadline_us unless unlocked; FALSE when unlocked. */
static gboolean
wait_until (GstRamenSrc *self, gint64 deadline_us)
{
  gboolean ok = TRUE;

  g_mutex_lock (&self->wait_lock);
  while (!g_atomic_int_get (&self->flushing)) {
    if (!g_cond_wait_until (&self->wait_cond, &self->wait_lock, deadline_us))
      break;
  }
  ok = !g_atomic_int_get (&self->flushing);
  g_mutex_unlock (&self->wait_lock);
  return ok;
}

/* Free function of metadata arrays: the x-api-key value is a copy of the
 * key. */
static void
metadata_value_free (gpointer value)
{
  gst_sensor_secret_wipe (value);
  g_free (value);
}

static GPtrArray *
metadata_array_new (void)
{
  return g_ptr_array_new_with_free_func (metadata_value_free);
}

static const gchar *const *
build_metadata (GstRamenSrc *self, GPtrArray *md)
{
  GST_OBJECT_LOCK (self);
  if (self->app_id) {
    g_ptr_array_add (md, g_strdup ("x-app-id"));
    g_ptr_array_add (md, g_strdup (self->app_id));
  }
  if (self->api_key) {
    g_ptr_array_add (md, g_strdup ("x-api-key"));
    g_ptr_array_add (md, g_strdup (self->api_key));
  }
  GST_OBJECT_UNLOCK (self);
  g_ptr_array_add (md, NULL);
  return (const gchar *const *) md->pdata;
}

static gint64
timeout_us (GstRamenSrc *self)
{
  guint t;

  GST_OBJECT_LOCK (self);
  t = self->timeout;
  GST_OBJECT_UNLOCK (self);
  return (gint64) MAX (t, 1) * G_USEC_PER_SEC;
}

/* Fetches the next Replay page after delivered_seq. */
static GstFlowReturn
fetch_page (GstRamenSrc *self)
{
  g_autoptr (GPtrArray) md = metadata_array_new ();
  g_autoptr (GBytes) req_bytes = NULL;
  g_autoptr (GBytes) resp_bytes = NULL;
  g_autofree gchar *details = NULL;
  Ramen__V1__ReplayRequest req;
  GstRamenGrpcStatus status;
  GstRamenGrpcWait w;
  gsize len;
  const guint8 *data;

  ramen__v1__replay_request__init (&req);
  GST_OBJECT_LOCK (self);
  req.app_id = g_strdup (self->app_id ? self->app_id : "");
  req.user_id = g_strdup (self->subject_id ? self->subject_id : "");
  GST_OBJECT_UNLOCK (self);
  req.after_seq = self->delivered_seq;
  req.limit = self->replay_limit;
  req_bytes = gst_ramen_pack (&req.base);
  g_free (req.app_id);
  g_free (req.user_id);

  GST_DEBUG_OBJECT (self, "Replay after %" G_GINT64_FORMAT, req.after_seq);
  w = gst_ramen_grpc_unary (self->channel, GST_RAMEN_METHOD_REPLAY,
      build_metadata (self, md), req_bytes, timeout_us (self), &self->flushing,
      &resp_bytes, &status, &details);
  if (w == GST_RAMEN_GRPC_WAIT_INTERRUPTED)
    return GST_FLOW_FLUSHING;
  if (w != GST_RAMEN_GRPC_WAIT_MESSAGE) {
    /* a page over max-message-size: ask for smaller pages, down to one
     * event, which then is really too large */
    if (gst_ramen_grpc_status_is_fatal (status, details) &&
        status == GST_RAMEN_GRPC_RESOURCE_EXHAUSTED && self->replay_limit > 1) {
      self->replay_limit /= 2;
      GST_INFO_OBJECT (self, "Replay page too large, asking for %d events",
          self->replay_limit);
      return GST_FLOW_OK;
    }
    if (gst_ramen_grpc_status_is_fatal (status, details))
      return fatal_status (self, status, details);
    schedule_reconnect (self, status, details ? details : "Replay failed");
    return GST_FLOW_OK;
  }
  data = g_bytes_get_data (resp_bytes, &len);
  self->page = ramen__v1__replay_response__unpack (NULL, len, data);
  self->page_index = 0;
  self->page_start_seq = self->delivered_seq;
  if (self->page == NULL)
    schedule_reconnect (
        self, GST_RAMEN_GRPC_INTERNAL, "malformed ReplayResponse");
  return GST_FLOW_OK;
}

static GstFlowReturn
open_subscribe (GstRamenSrc *self)
{
  g_autoptr (GPtrArray) md = metadata_array_new ();
  Ramen__V1__ClientMessage msg;
  Ramen__V1__SubscribeRequest req;
  gchar **providers, **types;

  self->stream = gst_ramen_grpc_stream_open (
      self->channel, GST_RAMEN_METHOD_SUBSCRIBE, build_metadata (self, md));
  ramen__v1__client_message__init (&msg);
  ramen__v1__subscribe_request__init (&req);
  GST_OBJECT_LOCK (self);
  req.token = g_strdup (self->token ? self->token : "");
  req.device_id = g_strdup (self->device_id ? self->device_id : "");
  req.app_id = g_strdup (self->app_id ? self->app_id : "");
  req.user_id = g_strdup (self->subject_id ? self->subject_id : "");
  providers = split_list (self->providers);
  types = split_list (self->event_types);
  GST_OBJECT_UNLOCK (self);
  req.last_seq = self->delivered_seq;
  req.n_providers = g_strv_length (providers);
  req.providers = providers;
  req.n_event_types = g_strv_length (types);
  req.event_types = types;
  msg.message_case = RAMEN__V1__CLIENT_MESSAGE__MESSAGE_SUBSCRIBE;
  msg.subscribe = &req;
  send_client_message (self, &msg);
  gst_sensor_secret_clear (&req.token);
  g_free (req.device_id);
  g_free (req.app_id);
  g_free (req.user_id);
  g_strfreev (providers);
  g_strfreev (types);

  self->state = STATE_STREAMING;
  self->subscribed = FALSE;
  self->subscribe_deadline_us = g_get_monotonic_time () + timeout_us (self);
  GST_DEBUG_OBJECT (
      self, "Subscribe with last_seq %" G_GINT64_FORMAT, self->delivered_seq);
  return GST_FLOW_OK;
}

static void
on_subscribed (GstRamenSrc *self, Ramen__V1__SubscribeResponse *resp)
{
  guint override_ms;
  gint interval_s = resp->heartbeat_interval_seconds;
  GstStructure *st;

  GST_OBJECT_LOCK (self);
  override_ms = self->heartbeat_interval_ms;
  g_free (self->connection_id);
  self->connection_id = g_strdup (resp->connection_id);
  GST_OBJECT_UNLOCK (self);
  self->heartbeat_interval_us =
      gst_ramen_heartbeat_interval_us (interval_s, override_ms);
  self->subscribed = TRUE;
  self->heartbeats_unacked = 0;
  self->next_heartbeat_us =
      g_get_monotonic_time () + self->heartbeat_interval_us;
  GST_INFO_OBJECT (self,
      "subscribed, connection %s, current_seq %" G_GINT64_FORMAT
      ", heartbeat every %" G_GINT64_FORMAT " ms",
      resp->connection_id, (gint64) resp->current_seq,
      self->heartbeat_interval_us / 1000);
  /* a cursor from another server, or a log that was reset: every event
   * up to the cursor is dropped as already seen, so say so once */
  if (resp->current_seq < self->delivered_seq && !self->cursor_ahead_warned) {
    GST_ELEMENT_WARNING (self, RESOURCE, READ,
        ("RAMEN's highest seq is %" G_GINT64_FORMAT
         ", behind the cursor %" G_GINT64_FORMAT
         ": events up to %" G_GINT64_FORMAT " will be dropped as already seen",
            (gint64) resp->current_seq, self->delivered_seq,
            self->delivered_seq),
        ("delete the state-location file to start over"));
    self->cursor_ahead_warned = TRUE;
  }
  st = gst_sensor_net_connection_state_new ("connected", self->uri, 0, 0, NULL);
  gst_structure_set (st, "connection-id", G_TYPE_STRING, resp->connection_id,
      "current-seq", G_TYPE_INT64, (gint64) resp->current_seq,
      "heartbeat-interval", G_TYPE_UINT64,
      (guint64) self->heartbeat_interval_us * 1000, NULL);
  gst_sensor_net_post_connection_state (GST_ELEMENT (self), st);
}

/* Turns an event into a buffer, or returns NULL after counting a skip. */
static GstBuffer *
event_to_buffer (
    GstRamenSrc *self, const Ramen__V1__EventEnvelope *ev, gboolean on_stream)
{
  GString *json = g_string_sized_new (256 + ev->payload.len * 4 / 3);
  g_autoptr (GError) err = NULL;
  GstBuffer *buf;
  gsize len;

  if (!gst_ramen_event_to_json (ev, json, NULL, &err)) {
    GST_WARNING_OBJECT (self, "skipping event: %s", err->message);
    g_string_free (json, TRUE);
    GST_OBJECT_LOCK (self);
    self->n_invalid++;
    GST_OBJECT_UNLOCK (self);
    if (on_stream && self->subscribed)
      send_ack (self, ev->seq, RAMEN__V1__ACK_STATUS__ACK_STATUS_SKIPPED);
    self->delivered_seq = ev->seq;
    save_cursor (self, ev->seq);
    return NULL;
  }
  len = json->len;
  buf = gst_buffer_new_wrapped (g_string_free (json, FALSE), len);
  GST_BUFFER_OFFSET (buf) = ev->seq;
  GST_BUFFER_OFFSET_END (buf) = ev->seq + 1;
  self->delivered_seq = ev->seq;
  self->delivered_on_stream = on_stream;
  GST_OBJECT_LOCK (self);
  self->n_events++;
  if (!on_stream)
    self->n_replayed++;
  GST_OBJECT_UNLOCK (self);
  return buf;
}

static void
count_duplicate (GstRamenSrc *self, gint64 seq)
{
  GST_LOG_OBJECT (self, "dropping duplicate seq %" G_GINT64_FORMAT, seq);
  GST_OBJECT_LOCK (self);
  self->n_duplicates++;
  GST_OBJECT_UNLOCK (self);
}

/* Next event from the current Replay page, NULL when the page is done. */
static GstBuffer *
next_replayed (GstRamenSrc *self)
{
  while (self->page && self->page_index < self->page->n_events) {
    Ramen__V1__EventEnvelope *ev = self->page->events[self->page_index++];
    GstBuffer *buf;

    switch (gst_ramen_seq_decide (self->delivered_seq, ev->seq, TRUE)) {
      case GST_RAMEN_SEQ_DUPLICATE:
        count_duplicate (self, ev->seq);
        continue;
      case GST_RAMEN_SEQ_DELIVER_GAP:
        GST_WARNING_OBJECT (self,
            "Replay has no events between %" G_GINT64_FORMAT
            " and %" G_GINT64_FORMAT,
            self->delivered_seq, (gint64) ev->seq);
        GST_OBJECT_LOCK (self);
        self->n_gaps_unrepaired++;
        GST_OBJECT_UNLOCK (self);
        break;
      default:
        break;
    }
    buf = event_to_buffer (self, ev, FALSE);
    if (buf)
      return buf;
  }
  return NULL;
}

/* The last page is done; so is a page that moved us nowhere although it
 * claims more (a server bug), lest we ask for it forever. */
static gboolean
replay_exhausted (GstRamenSrc *self)
{
  if (self->page == NULL || self->page_index < self->page->n_events)
    return FALSE;
  if (self->page->has_more && self->delivered_seq == self->page_start_seq) {
    GST_WARNING_OBJECT (self,
        "Replay says has_more but gave nothing after %" G_GINT64_FORMAT
        ", subscribing",
        self->delivered_seq);
    return TRUE;
  }
  return !self->page->has_more;
}

static GstFlowReturn
handle_stream_closed (GstRamenSrc *self)
{
  const gchar *details = NULL;
  GstRamenGrpcStatus status =
      gst_ramen_grpc_stream_get_status (self->stream, &details);
  g_autofree gchar *d = g_strdup (details);

  if (gst_ramen_grpc_status_is_fatal (status, d))
    return fatal_status (self, status, d);
  schedule_reconnect (self, status,
      *d ? d :
           (self->subscribed ? "stream ended" :
                               "stream ended before the SubscribeResponse"));
  return GST_FLOW_OK;
}

/* Handles one ServerMessage; may produce a buffer. */
static GstFlowReturn
handle_server_message (GstRamenSrc *self, GBytes *bytes, GstBuffer **out)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  Ramen__V1__ServerMessage *msg =
      ramen__v1__server_message__unpack (NULL, len, data);
  GstFlowReturn ret = GST_FLOW_OK;

  if (msg == NULL) {
    schedule_reconnect (
        self, GST_RAMEN_GRPC_INTERNAL, "malformed ServerMessage");
    return GST_FLOW_OK;
  }
  /* the first server message ends the backoff and the failure run */
  gst_sensor_backoff_reset (&self->backoff);
  self->failures = 0;

  switch (msg->message_case) {
    case RAMEN__V1__SERVER_MESSAGE__MESSAGE_SUBSCRIBE_RESPONSE:
      if (!self->subscribed)
        on_subscribed (self, msg->subscribe_response);
      break;
    case RAMEN__V1__SERVER_MESSAGE__MESSAGE_EVENT: {
      Ramen__V1__EventEnvelope *ev = msg->event;

      switch (gst_ramen_seq_decide (self->delivered_seq, ev->seq, FALSE)) {
        case GST_RAMEN_SEQ_DUPLICATE:
          count_duplicate (self, ev->seq);
          if (self->subscribed)
            send_ack (self, ev->seq, RAMEN__V1__ACK_STATUS__ACK_STATUS_SUCCESS);
          break;
        case GST_RAMEN_SEQ_GAP:
          /* fill from Replay, then subscribe again from there */
          GST_INFO_OBJECT (self,
              "gap: got %" G_GINT64_FORMAT " after %" G_GINT64_FORMAT
              ", replaying",
              (gint64) ev->seq, self->delivered_seq);
          GST_OBJECT_LOCK (self);
          self->n_gaps++;
          GST_OBJECT_UNLOCK (self);
          g_clear_pointer (&self->stream, gst_ramen_grpc_stream_close);
          self->subscribed = FALSE;
          self->state = STATE_REPLAYING;
          break;
        default:
          *out = event_to_buffer (self, ev, TRUE);
          break;
      }
      break;
    }
    case RAMEN__V1__SERVER_MESSAGE__MESSAGE_HEARTBEAT_ACK:
      self->heartbeats_unacked = 0;
      break;
    case RAMEN__V1__SERVER_MESSAGE__MESSAGE_ERROR: {
      Ramen__V1__Error *e = msg->error;

      GST_WARNING_OBJECT (self, "server error %d (fatal %d): %s", e->code,
          e->fatal, e->message);
      if (e->code == RAMEN__V1__ERROR_CODE__ERROR_CODE_AUTH_FAILED) {
        GST_ELEMENT_ERROR_WITH_DETAILS (self, RESOURCE, NOT_AUTHORIZED,
            ("RAMEN at %s refused the credentials: AUTH_FAILED: %s", self->uri,
                e->message),
            ("AUTH_FAILED: %s", e->message),
            ("ramen-error-code", G_TYPE_INT, e->code, "grpc-message",
                G_TYPE_STRING, e->message, NULL));
        disconnect (self);
        ret = GST_FLOW_ERROR;
      } else {
        schedule_reconnect (self, GST_RAMEN_GRPC_UNAVAILABLE, e->message);
      }
      break;
    }
    default:
      break;
  }
  ramen__v1__server_message__free_unpacked (msg, NULL);
  return ret;
}

static GstFlowReturn
connect_after_backoff (GstRamenSrc *self)
{
  gchar *ca = NULL;
  GstStructure *st;

  if (self->need_backoff) {
    GstClockTime delay = gst_sensor_backoff_next (&self->backoff);

    if (!GST_CLOCK_TIME_IS_VALID (delay)) {
      GST_ELEMENT_ERROR_WITH_DETAILS (self, RESOURCE, OPEN_READ,
          ("Could not reach RAMEN at %s: %s", self->uri, self->last_reason),
          ("gave up after %d retries", self->backoff.retries),
          ("grpc-status", G_TYPE_INT, (gint) self->last_status, "grpc-message",
              G_TYPE_STRING, self->last_details, NULL));
      return GST_FLOW_ERROR;
    }
    st = gst_sensor_net_connection_state_new ("reconnecting", self->uri,
        self->backoff.attempt, delay, self->last_reason);
    gst_structure_set (
        st, "grpc-status", G_TYPE_INT, (gint) self->last_status, NULL);
    gst_sensor_net_post_connection_state (GST_ELEMENT (self), st);
    if (!wait_until (self, g_get_monotonic_time () + delay / GST_USECOND))
      return GST_FLOW_FLUSHING;
    self->need_backoff = FALSE;
  }
  gst_sensor_net_post_connection_state (GST_ELEMENT (self),
      gst_sensor_net_connection_state_new (
          "connecting", self->uri, self->backoff.attempt, 0, NULL));
  GST_OBJECT_LOCK (self);
  ca = g_strdup (self->ca_pem);
  GST_OBJECT_UNLOCK (self);
  self->channel = gst_ramen_grpc_channel_new (
      self->target, self->use_tls, ca, self->max_message_size);
  g_free (ca);
  self->state = STATE_REPLAYING;
  return GST_FLOW_OK;
}

static GstFlowReturn
gst_ramen_src_create (GstPushSrc *psrc, GstBuffer **outbuf)
{
  GstRamenSrc *self = GST_RAMEN_SRC (psrc);
  GstFlowReturn ret = GST_FLOW_OK;

  /* a buffer returned earlier but not pushed (flush): deliver it again */
  if (self->delivered_seq > get_pushed_seq (self) &&
      self->delivered_seq > self->acked_seq) {
    self->delivered_seq = MAX (get_pushed_seq (self), self->acked_seq);
    disconnect (self);
  }
  ack_pushed (self);

  for (;;) {
    GstBuffer *buf = NULL;

    if (g_atomic_int_get (&self->flushing))
      return GST_FLOW_FLUSHING;

    switch (self->state) {
      case STATE_IDLE:
        ret = connect_after_backoff (self);
        if (ret != GST_FLOW_OK)
          return ret;
        continue;
      case STATE_REPLAYING:
        buf = next_replayed (self);
        if (buf) {
          *outbuf = buf;
          return GST_FLOW_OK;
        }
        if (replay_exhausted (self)) {
          ramen__v1__replay_response__free_unpacked (self->page, NULL);
          self->page = NULL;
          ret = open_subscribe (self);
          if (ret != GST_FLOW_OK)
            return ret;
          continue;
        }
        if (self->page) {
          ramen__v1__replay_response__free_unpacked (self->page, NULL);
          self->page = NULL;
        }
        ret = fetch_page (self);
        if (ret != GST_FLOW_OK)
          return ret;
        continue;
      case STATE_STREAMING: {
        GBytes *msg = NULL;
        GstRamenGrpcWait w;
        gint64 now = g_get_monotonic_time ();
        gint64 deadline;

        if (!self->subscribed && now >= self->subscribe_deadline_us) {
          schedule_reconnect (self, GST_RAMEN_GRPC_DEADLINE_EXCEEDED,
              "no SubscribeResponse within timeout");
          continue;
        }
        if (self->subscribed && now >= self->next_heartbeat_us) {
          if (self->heartbeats_unacked >= GST_RAMEN_HEARTBEAT_MISSES) {
            schedule_reconnect (self, GST_RAMEN_GRPC_DEADLINE_EXCEEDED,
                "heartbeats not acknowledged");
            /* after the reconnect count: readers see both move together */
            GST_OBJECT_LOCK (self);
            self->n_heartbeat_timeouts++;
            GST_OBJECT_UNLOCK (self);
            continue;
          }
          send_heartbeat (self);
          self->heartbeats_unacked++;
          self->next_heartbeat_us = now + self->heartbeat_interval_us;
        }
        deadline = self->subscribed ? self->next_heartbeat_us :
                                      self->subscribe_deadline_us;
        w = gst_ramen_grpc_stream_recv (
            self->stream, deadline, &self->flushing, &msg);
        switch (w) {
          case GST_RAMEN_GRPC_WAIT_INTERRUPTED:
            return GST_FLOW_FLUSHING;
          case GST_RAMEN_GRPC_WAIT_TIMEOUT:
            continue;
          case GST_RAMEN_GRPC_WAIT_CLOSED:
            ret = handle_stream_closed (self);
            if (ret != GST_FLOW_OK)
              return ret;
            continue;
          case GST_RAMEN_GRPC_WAIT_MESSAGE:
            ret = handle_server_message (self, msg, &buf);
            g_bytes_unref (msg);
            if (ret != GST_FLOW_OK)
              return ret;
            if (buf) {
              *outbuf = buf;
              return GST_FLOW_OK;
            }
            continue;
        }
        break;
      }
    }
  }
}

static gboolean
gst_ramen_src_start (GstBaseSrc *bsrc)
{
  GstRamenSrc *self = GST_RAMEN_SRC (bsrc);
  g_autoptr (GError) err = NULL;
  g_autofree gchar *location = NULL;
  gint64 seq = 0;
  gboolean tls;
  GstPad *pad;

  GST_OBJECT_LOCK (self);
  location = g_strdup (self->location);
  tls = self->tls;
  GST_OBJECT_UNLOCK (self);
  if (location == NULL || *location == '\0') {
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND, ("No RAMEN location set"),
        ("set location=host:port"));
    return FALSE;
  }
  /* a location that can never work is final, not retried */
  if (!gst_ramen_grpc_parse_location (
          location, tls, &self->target, &self->use_tls, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Bad RAMEN location: %s", err->message), (NULL));
    return FALSE;
  }
  self->uri = g_steal_pointer (&location);
  if (self->tls_ca_file) {
    gchar *pem = NULL;

    if (!g_file_get_contents (self->tls_ca_file, &pem, NULL, &err)) {
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
          ("Could not read the CA file"), ("%s", err->message));
      g_clear_pointer (&self->target, g_free);
      g_clear_pointer (&self->uri, g_free);
      return FALSE;
    }
    self->ca_pem = pem;
  }
  if (self->state_location) {
    seq = gst_ramen_cursor_load (
        self->state_location, self->app_id, self->subject_id, &err);
    if (seq < 0 &&
        g_error_matches (
            err, GST_RAMEN_CURSOR_ERROR, GST_RAMEN_CURSOR_ERROR_CORRUPT)) {
      /* it would drop every event as already seen, or stop the element
       * for good: start over instead (at-least-once allows repeats), and
       * keep the file for a look */
      g_autoptr (GError) aside_err = NULL;
      g_autofree gchar *aside =
          gst_ramen_cursor_set_aside (self->state_location, &aside_err);

      GST_ELEMENT_WARNING (self, RESOURCE, READ,
          ("Ignoring the corrupt RAMEN cursor %s: %s", self->state_location,
              err->message),
          ("%s%s; starting with no cursor", aside ? "kept as " : "",
              aside ? aside : aside_err->message));
      seq = 0;
    } else if (seq < 0) {
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
          ("Could not read the cursor"), ("%s", err->message));
      g_clear_pointer (&self->target, g_free);
      g_clear_pointer (&self->uri, g_free);
      g_clear_pointer (&self->ca_pem, g_free);
      return FALSE;
    }
  }
  GST_INFO_OBJECT (self, "starting at seq %" G_GINT64_FORMAT " on %s (%s)", seq,
      self->target, self->use_tls ? "TLS" : "plaintext");
  self->delivered_seq = self->acked_seq = seq;
  self->pushed_seq = seq;
  self->delivered_on_stream = FALSE;
  self->state = STATE_IDLE;
  self->need_backoff = FALSE;
  self->last_status = GST_RAMEN_GRPC_OK;
  self->failures = 0;
  self->replay_limit = GST_RAMEN_REPLAY_MAX_LIMIT;
  self->cursor_warned = FALSE;
  self->cursor_ahead_warned = FALSE;
  GST_OBJECT_LOCK (self);
  self->n_events = self->n_duplicates = self->n_gaps = self->n_replayed = 0;
  self->n_reconnects = self->n_heartbeat_timeouts = self->n_invalid = 0;
  self->n_acks_dropped = self->n_gaps_unrepaired = 0;
  gst_sensor_backoff_init (&self->backoff, self->backoff_initial,
      self->backoff_factor, self->backoff_max, 0.1, self->retries, 0);
  GST_OBJECT_UNLOCK (self);

  gst_ramen_grpc_runtime_ref ();
  pad = GST_BASE_SRC_PAD (self);
  self->probe_id = gst_pad_add_probe (
      pad, GST_PAD_PROBE_TYPE_BUFFER, pushed_probe, self, NULL);
  return TRUE;
}

static gboolean
gst_ramen_src_stop (GstBaseSrc *bsrc)
{
  GstRamenSrc *self = GST_RAMEN_SRC (bsrc);
  gint64 pushed = get_pushed_seq (self);

  /* the last event went downstream: keep it in the cursor */
  if (pushed > self->acked_seq && pushed <= self->delivered_seq)
    save_cursor (self, pushed);
  if (self->probe_id) {
    gst_pad_remove_probe (GST_BASE_SRC_PAD (self), self->probe_id);
    self->probe_id = 0;
  }
  disconnect (self);
  gst_ramen_grpc_runtime_unref ();
  gst_sensor_backoff_clear (&self->backoff);
  g_clear_pointer (&self->target, g_free);
  g_clear_pointer (&self->ca_pem, g_free);
  g_clear_pointer (&self->last_reason, g_free);
  g_clear_pointer (&self->last_details, g_free);
  g_clear_pointer (&self->uri, g_free);
  return TRUE;
}

static gboolean
gst_ramen_src_unlock (GstBaseSrc *bsrc)
{
  GstRamenSrc *self = GST_RAMEN_SRC (bsrc);

  g_mutex_lock (&self->wait_lock);
  g_atomic_int_set (&self->flushing, 1);
  g_cond_broadcast (&self->wait_cond);
  g_mutex_unlock (&self->wait_lock);
  return TRUE;
}

static gboolean
gst_ramen_src_unlock_stop (GstBaseSrc *bsrc)
{
  GstRamenSrc *self = GST_RAMEN_SRC (bsrc);

  g_mutex_lock (&self->wait_lock);
  g_atomic_int_set (&self->flushing, 0);
  g_mutex_unlock (&self->wait_lock);
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

  g_object_class_install_property (gobject_class, PROP_LOCATION,
      g_param_spec_string ("location", "Location",
          "RAMEN gateway as host:port; an http:// or grpc:// prefix means "
          "plaintext, https:// or grpcs:// TLS",
          NULL, rw));
  g_object_class_install_property (gobject_class, PROP_TLS,
      g_param_spec_boolean ("tls", "TLS",
          "Use TLS, verified against the system roots or tls-ca-file "
          "(a scheme in location overrides this)",
          DEFAULT_TLS, rw));
  g_object_class_install_property (gobject_class, PROP_TLS_CA_FILE,
      g_param_spec_string ("tls-ca-file", "TLS CA file",
          "PEM file of trusted roots instead of the system ones", NULL, rw));
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
  g_object_class_install_property (gobject_class, PROP_RETRIES,
      g_param_spec_int ("retries", "Retries",
          "Reconnection attempts in a row before failing (-1 = forever)", -1,
          G_MAXINT, DEFAULT_RETRIES, rw));
  g_object_class_install_property (gobject_class, PROP_RETRY_BACKOFF_INITIAL,
      g_param_spec_double ("retry-backoff-initial", "Initial retry backoff",
          "Delay before the first reconnection, seconds (+-10% jitter)", 0.0,
          3600.0, DEFAULT_BACKOFF_INITIAL, rw));
  g_object_class_install_property (gobject_class, PROP_RETRY_BACKOFF_FACTOR,
      g_param_spec_double ("retry-backoff-factor", "Retry backoff factor",
          "Growth of the delay per failed attempt", 1.0, 100.0,
          DEFAULT_BACKOFF_FACTOR, rw));
  g_object_class_install_property (gobject_class, PROP_RETRY_BACKOFF_MAX,
      g_param_spec_double ("retry-backoff-max", "Maximum retry backoff",
          "Largest delay between reconnections, seconds", 0.0, 3600.0,
          DEFAULT_BACKOFF_MAX, rw));
  g_object_class_install_property (gobject_class, PROP_TIMEOUT,
      g_param_spec_uint ("timeout", "Timeout",
          "Seconds to wait for a Replay answer or the SubscribeResponse", 1,
          3600, DEFAULT_TIMEOUT, rw));
  g_object_class_install_property (gobject_class, PROP_HEARTBEAT_INTERVAL,
      g_param_spec_uint ("heartbeat-interval", "Heartbeat interval",
          "Heartbeat period in ms; 0 = the server's interval clamped to "
          "5..300 s (30 s when it gives none). Two unanswered heartbeats "
          "reconnect",
          0, 3600000, DEFAULT_HEARTBEAT_INTERVAL, rw));
  g_object_class_install_property (gobject_class, PROP_MAX_MESSAGE_SIZE,
      g_param_spec_uint ("max-message-size", "Maximum message size",
          "Largest gRPC message accepted, bytes; Replay then asks for smaller "
          "pages, a single larger event is an error",
          1024, G_MAXINT, DEFAULT_MAX_MESSAGE_SIZE, rw));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "events, duplicates, gaps, gaps-unrepaired, replayed, reconnects, "
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
