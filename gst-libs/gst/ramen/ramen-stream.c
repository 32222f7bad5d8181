/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:ramen-stream
 * @title: RAMEN session
 * @short_description: the policy of reading one RAMEN event stream, without
 *   an element
 *
 * The RAMEN session policy: Replay from the cursor, then Subscribe; seq
 * dedupe and gap repair; heartbeats; ack after push and the cursor saved
 * with it; the failure rule with the shared backoff. The caller's thread
 * drives the completion queues: there is no queue between the network and
 * the caller, the gRPC flow-control window is the only buffer.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "ramen-cursor.h"
#include "ramen-event.h"
#include "ramen-heartbeat.h"
#include "ramen-proto.h"
#include "ramen-seq.h"
#include "ramen-stream.h"
#include <gst/sensornet/sensornet-backoff.h>
#include <gst/sensornet/sensornet-failure.h>
#include <gst/sensor/sensor-secret.h>

GST_DEBUG_CATEGORY_STATIC (ramen_stream_debug);
#define GST_CAT_DEFAULT ramen_stream_debug

typedef enum {
  STATE_IDLE,      /* not connected; connect (after backoff) */
  STATE_REPLAYING, /* serving Replay pages */
  STATE_STREAMING, /* Subscribe stream open */
} ConnState;

struct _GstRamenStream
{
  /* settings, fixed at creation */
  gchar *target;
  gboolean tls;
  gchar *ca_pem;
  gchar *app_id;
  gchar *user_id;
  gchar *device_id;
  gchar *api_key;
  gchar *token;
  gchar **providers;
  gchar **event_types;
  gchar *state_location;
  gint64 timeout_us;
  guint heartbeat_interval_ms;
  guint max_message_size;
  GstRamenStreamCallbacks cb;
  gpointer user_data;

  /* lock: stats, connection_id, pushed_seq */
  GMutex lock;
  GstRamenStreamStats stats;
  gchar *connection_id;
  gint64 pushed_seq; /* last seq seen going downstream */

  /* interruption */
  gint flushing;
  GMutex wait_lock;
  GCond wait_cond;

  /* the driving thread */
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
  GstSensorNetBackoff backoff;
  gboolean need_backoff;
  gchar *last_reason; /* "STATUS: details" of the last failure */
  GstRamenGrpcStatus last_status;
  gchar *last_details;
  guint failures;               /* in a row, since the last server message */
  gint64 delivered_seq;         /* last seq handed out */
  gint64 acked_seq;             /* last seq acked and saved */
  gboolean delivered_on_stream; /* was delivered_seq a stream event */
};

#define STATS_LOCK(s) g_mutex_lock (&(s)->lock)
#define STATS_UNLOCK(s) g_mutex_unlock (&(s)->lock)

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

/* protobuf-c packs string fields without touching them */
static gchar *
or_empty (gchar *s)
{
  return s ? s : (gchar *) "";
}

/**
 * gst_ramen_stream_new:
 * @config: the settings, copied
 * @callbacks: (nullable): what to call on connection changes and failures,
 *   copied
 * @user_data: (closure): passed to every callback
 *
 * Creates a stream that connects on the first gst_ramen_stream_next(). It
 * holds the gRPC runtime up until it is freed.
 *
 * Returns: (transfer full): the stream; free it with
 *   gst_ramen_stream_free()
 */
GstRamenStream *
gst_ramen_stream_new (const GstRamenStreamConfig *config,
    const GstRamenStreamCallbacks *callbacks, gpointer user_data)
{
  GstRamenStream *s = g_new0 (GstRamenStream, 1);

  static gsize debug_once = 0;

  if (g_once_init_enter (&debug_once)) {
    GST_DEBUG_CATEGORY_INIT (
        ramen_stream_debug, "ramenstream", 0, "RAMEN session policy");
    g_once_init_leave (&debug_once, 1);
  }

  s->target = g_strdup (config->target);
  s->tls = config->tls;
  s->ca_pem = g_strdup (config->ca_pem);
  s->app_id = g_strdup (config->app_id);
  s->user_id = g_strdup (config->user_id);
  s->device_id = g_strdup (config->device_id);
  gst_sensor_secret_replace (&s->api_key, config->api_key);
  gst_sensor_secret_replace (&s->token, config->token);
  s->providers = split_list (config->providers);
  s->event_types = split_list (config->event_types);
  s->state_location = g_strdup (config->state_location);
  s->timeout_us = (gint64) MAX (config->timeout_s, 1) * G_USEC_PER_SEC;
  s->heartbeat_interval_ms = config->heartbeat_interval_ms;
  s->max_message_size = config->max_message_size;
  if (callbacks)
    s->cb = *callbacks;
  s->user_data = user_data;

  g_mutex_init (&s->lock);
  g_mutex_init (&s->wait_lock);
  g_cond_init (&s->wait_cond);
  s->stats.last_seq = config->start_seq;
  s->pushed_seq = config->start_seq;
  s->delivered_seq = s->acked_seq = config->start_seq;
  s->state = STATE_IDLE;
  s->last_status = GST_RAMEN_GRPC_OK;
  s->replay_limit = GST_RAMEN_REPLAY_MAX_LIMIT;
  gst_sensor_net_backoff_init (&s->backoff, config->backoff_initial,
      config->backoff_factor, config->backoff_max, 0.1, config->retries, 0);
  gst_ramen_grpc_runtime_ref ();
  return s;
}

static void
disconnect (GstRamenStream *s)
{
  g_clear_pointer (&s->stream, gst_ramen_grpc_stream_close);
  g_clear_pointer (&s->channel, gst_ramen_grpc_channel_free);
  if (s->page) {
    ramen__v1__replay_response__free_unpacked (s->page, NULL);
    s->page = NULL;
  }
  s->subscribed = FALSE;
  s->state = STATE_IDLE;
  STATS_LOCK (s);
  s->stats.connected = FALSE;
  STATS_UNLOCK (s);
}

/**
 * gst_ramen_stream_free:
 * @stream: (transfer full): the stream
 *
 * Closes the calls, wipes the secrets and frees the stream.
 */
void
gst_ramen_stream_free (GstRamenStream *s)
{
  disconnect (s);
  gst_ramen_grpc_runtime_unref ();
  gst_sensor_net_backoff_clear (&s->backoff);
  g_free (s->target);
  g_free (s->ca_pem);
  g_free (s->app_id);
  g_free (s->user_id);
  g_free (s->device_id);
  gst_sensor_secret_clear (&s->api_key);
  gst_sensor_secret_clear (&s->token);
  g_strfreev (s->providers);
  g_strfreev (s->event_types);
  g_free (s->state_location);
  g_free (s->connection_id);
  g_free (s->last_reason);
  g_free (s->last_details);
  g_mutex_clear (&s->lock);
  g_mutex_clear (&s->wait_lock);
  g_cond_clear (&s->wait_cond);
  g_free (s);
}

/**
 * gst_ramen_stream_set_flushing:
 * @stream: the stream
 * @flushing: TRUE to interrupt every wait, FALSE to allow waiting again
 *
 * While flushing, gst_ramen_stream_next() returns
 * %GST_RAMEN_STREAM_INTERRUPTED within one gRPC poll slice
 * (%GST_RAMEN_GRPC_POLL_MS). Any thread.
 */
void
gst_ramen_stream_set_flushing (GstRamenStream *s, gboolean flushing)
{
  g_mutex_lock (&s->wait_lock);
  g_atomic_int_set (&s->flushing, flushing ? 1 : 0);
  g_cond_broadcast (&s->wait_cond);
  g_mutex_unlock (&s->wait_lock);
}

/**
 * gst_ramen_stream_pushed:
 * @stream: the stream
 * @seq: the seq of an event that went downstream
 *
 * Tells the stream that the event left the caller (a pad probe saw it):
 * the next gst_ramen_stream_next() acknowledges it and saves the cursor.
 * Any thread.
 */
void
gst_ramen_stream_pushed (GstRamenStream *s, gint64 seq)
{
  STATS_LOCK (s);
  s->pushed_seq = seq;
  STATS_UNLOCK (s);
}

static gint64
get_pushed_seq (GstRamenStream *s)
{
  gint64 seq;

  STATS_LOCK (s);
  seq = s->pushed_seq;
  STATS_UNLOCK (s);
  return seq;
}

/**
 * gst_ramen_stream_get_stats:
 * @stream: the stream
 * @stats: (out caller-allocates): the counters
 *
 * Any thread.
 *
 * Returns: (transfer full) (nullable): the connection id of the open
 *   Subscribe stream
 */
gchar *
gst_ramen_stream_get_stats (GstRamenStream *s, GstRamenStreamStats *stats)
{
  gchar *id;

  STATS_LOCK (s);
  *stats = s->stats;
  id = g_strdup (s->connection_id);
  STATS_UNLOCK (s);
  return id;
}

static void
save_cursor (GstRamenStream *s, gint64 seq)
{
  g_autoptr (GError) err = NULL;

  STATS_LOCK (s);
  s->acked_seq = seq;
  s->stats.last_seq = seq;
  STATS_UNLOCK (s);
  /* one warning, not one per event */
  if (s->state_location &&
      !gst_ramen_cursor_save (
          s->state_location, s->app_id, s->user_id, seq, &err) &&
      !s->cursor_warned) {
    if (s->cb.cursor_save_failed)
      s->cb.cursor_save_failed (s, s->state_location, err, s->user_data);
    s->cursor_warned = TRUE;
  }
}

/**
 * gst_ramen_stream_finish:
 * @stream: the stream
 *
 * Saves the last event that went downstream to the cursor and closes the
 * calls; the stream can be freed or driven again after this.
 */
void
gst_ramen_stream_finish (GstRamenStream *s)
{
  gint64 pushed = get_pushed_seq (s);

  if (pushed > s->acked_seq && pushed <= s->delivered_seq)
    save_cursor (s, pushed);
  disconnect (s);
}

static void
send_client_message (GstRamenStream *s, Ramen__V1__ClientMessage *msg)
{
  g_autoptr (GBytes) bytes = gst_ramen_pack (&msg->base);

  if (s->stream == NULL)
    return;
  if (!gst_ramen_grpc_stream_send (
          s->stream, bytes, GST_RAMEN_STREAM_MAX_QUEUED_SENDS)) {
    STATS_LOCK (s);
    s->stats.acks_dropped++;
    STATS_UNLOCK (s);
  }
}

static void
send_ack (GstRamenStream *s, gint64 seq, Ramen__V1__AckStatus status)
{
  Ramen__V1__ClientMessage msg;
  Ramen__V1__Ack ack;

  ramen__v1__client_message__init (&msg);
  ramen__v1__ack__init (&ack);
  ack.seq = seq;
  ack.status = status;
  msg.message_case = RAMEN__V1__CLIENT_MESSAGE__MESSAGE_ACK;
  msg.ack = &ack;
  send_client_message (s, &msg);
}

/* Acknowledges what went downstream since the last call. */
static void
ack_pushed (GstRamenStream *s)
{
  gint64 pushed = get_pushed_seq (s);

  if (pushed <= s->acked_seq || pushed > s->delivered_seq)
    return;
  if (s->delivered_on_stream && s->subscribed)
    send_ack (s, pushed, RAMEN__V1__ACK_STATUS__ACK_STATUS_SUCCESS);
  save_cursor (s, pushed);
}

static void
send_heartbeat (GstRamenStream *s)
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
  send_client_message (s, &msg);
}

/* Drops the connection for a transient reason: the next round waits the
 * backoff and starts over from Replay. */
static void
schedule_reconnect (
    GstRamenStream *s, GstRamenGrpcStatus status, const gchar *reason)
{
  GstRamenStreamFailure f = {
    0,
  };

  disconnect (s);
  g_free (s->last_reason);
  s->last_reason = gst_ramen_grpc_status_describe (status, reason);
  g_free (s->last_details);
  s->last_details = g_strdup (reason ? reason : "");
  s->last_status = status;
  s->need_backoff = TRUE;
  s->failures++;
  STATS_LOCK (s);
  s->stats.reconnects++;
  s->stats.failures++;
  g_clear_pointer (&s->connection_id, g_free);
  STATS_UNLOCK (s);
  GST_DEBUG ("failure %u in a row: %s", s->failures, s->last_reason);
  f.status = status;
  f.reason = s->last_reason;
  f.details = s->last_details;
  f.failures = s->failures;
  /* the shared rule: said on the first failure in a row and every 10th,
   * so an outage is seen without flooding the bus */
  f.warn = gst_sensor_net_failure_should_warn (s->failures);
  if (s->cb.failure)
    s->cb.failure (s, &f, s->user_data);
}

static GstRamenStreamResult
fatal (GstRamenStream *s, GstRamenStreamErrorKind kind,
    GstRamenGrpcStatus status, gint ramen_code, const gchar *details)
{
  g_autofree gchar *reason = NULL;
  GstRamenStreamFailure f = {
    0,
  };

  if (kind == GST_RAMEN_STREAM_ERROR_AUTH_FAILED)
    reason = g_strdup_printf ("AUTH_FAILED: %s", details);
  else
    reason = gst_ramen_grpc_status_describe (status, details);
  f.kind = kind;
  f.status = status;
  f.ramen_code = ramen_code;
  f.reason = reason;
  f.details = details ? details : "";
  f.failures = s->failures;
  disconnect (s);
  if (s->cb.error)
    s->cb.error (s, &f, s->user_data);
  return GST_RAMEN_STREAM_ERROR;
}

static GstRamenStreamResult
fatal_status (
    GstRamenStream *s, GstRamenGrpcStatus status, const gchar *details)
{
  return fatal (s,
      status == GST_RAMEN_GRPC_UNAUTHENTICATED ?
          GST_RAMEN_STREAM_ERROR_UNAUTHENTICATED :
          GST_RAMEN_STREAM_ERROR_CALL,
      status, 0, details);
}

/* Waits until @deadline_us unless interrupted; FALSE when interrupted. */
static gboolean
wait_until (GstRamenStream *s, gint64 deadline_us)
{
  gboolean ok;

  g_mutex_lock (&s->wait_lock);
  while (!g_atomic_int_get (&s->flushing)) {
    if (!g_cond_wait_until (&s->wait_cond, &s->wait_lock, deadline_us))
      break;
  }
  ok = !g_atomic_int_get (&s->flushing);
  g_mutex_unlock (&s->wait_lock);
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

static const gchar *const *
build_metadata (GstRamenStream *s, GPtrArray *md)
{
  if (s->app_id) {
    g_ptr_array_add (md, g_strdup ("x-app-id"));
    g_ptr_array_add (md, g_strdup (s->app_id));
  }
  if (s->api_key) {
    g_ptr_array_add (md, g_strdup ("x-api-key"));
    g_ptr_array_add (md, g_strdup (s->api_key));
  }
  g_ptr_array_add (md, NULL);
  return (const gchar *const *) md->pdata;
}

static void
count_received (GstRamenStream *s, GBytes *bytes)
{
  STATS_LOCK (s);
  s->stats.messages_received++;
  s->stats.bytes_received += g_bytes_get_size (bytes);
  STATS_UNLOCK (s);
}

/* Fetches the next Replay page after delivered_seq. FALSE when fatal. */
static gboolean
fetch_page (GstRamenStream *s, GstRamenStreamResult *res)
{
  g_autoptr (GPtrArray) md =
      g_ptr_array_new_with_free_func (metadata_value_free);
  g_autoptr (GBytes) req_bytes = NULL;
  g_autoptr (GBytes) resp_bytes = NULL;
  g_autofree gchar *details = NULL;
  Ramen__V1__ReplayRequest req;
  GstRamenGrpcStatus status;
  GstRamenGrpcWait w;
  gsize len;
  const guint8 *data;

  ramen__v1__replay_request__init (&req);
  req.app_id = or_empty (s->app_id);
  req.user_id = or_empty (s->user_id);
  req.after_seq = s->delivered_seq;
  req.limit = s->replay_limit;
  req_bytes = gst_ramen_pack (&req.base);

  GST_DEBUG ("Replay after %" G_GINT64_FORMAT, (gint64) req.after_seq);
  w = gst_ramen_grpc_unary (s->channel, GST_RAMEN_METHOD_REPLAY,
      build_metadata (s, md), req_bytes, s->timeout_us, &s->flushing,
      &resp_bytes, &status, &details);
  if (w == GST_RAMEN_GRPC_WAIT_INTERRUPTED) {
    *res = GST_RAMEN_STREAM_INTERRUPTED;
    return FALSE;
  }
  if (w != GST_RAMEN_GRPC_WAIT_MESSAGE) {
    /* a page over max-message-size: ask for smaller pages, down to one
     * event, which then is really too large */
    if (gst_ramen_grpc_status_is_fatal (status, details) &&
        status == GST_RAMEN_GRPC_RESOURCE_EXHAUSTED && s->replay_limit > 1) {
      s->replay_limit /= 2;
      GST_INFO ("Replay page too large, asking for %d events", s->replay_limit);
      return TRUE;
    }
    if (gst_ramen_grpc_status_is_fatal (status, details)) {
      *res = fatal_status (s, status, details);
      return FALSE;
    }
    schedule_reconnect (s, status, details ? details : "Replay failed");
    return TRUE;
  }
  count_received (s, resp_bytes);
  data = g_bytes_get_data (resp_bytes, &len);
  s->page = ramen__v1__replay_response__unpack (NULL, len, data);
  s->page_index = 0;
  s->page_start_seq = s->delivered_seq;
  if (s->page == NULL)
    schedule_reconnect (s, GST_RAMEN_GRPC_INTERNAL, "malformed ReplayResponse");
  return TRUE;
}

static void
open_subscribe (GstRamenStream *s)
{
  g_autoptr (GPtrArray) md =
      g_ptr_array_new_with_free_func (metadata_value_free);
  Ramen__V1__ClientMessage msg;
  Ramen__V1__SubscribeRequest req;

  s->stream = gst_ramen_grpc_stream_open (
      s->channel, GST_RAMEN_METHOD_SUBSCRIBE, build_metadata (s, md));
  ramen__v1__client_message__init (&msg);
  ramen__v1__subscribe_request__init (&req);
  req.token = or_empty (s->token);
  req.device_id = or_empty (s->device_id);
  req.app_id = or_empty (s->app_id);
  req.user_id = or_empty (s->user_id);
  req.last_seq = s->delivered_seq;
  req.n_providers = g_strv_length (s->providers);
  req.providers = s->providers;
  req.n_event_types = g_strv_length (s->event_types);
  req.event_types = s->event_types;
  msg.message_case = RAMEN__V1__CLIENT_MESSAGE__MESSAGE_SUBSCRIBE;
  msg.subscribe = &req;
  send_client_message (s, &msg);

  s->state = STATE_STREAMING;
  s->subscribed = FALSE;
  s->subscribe_deadline_us = g_get_monotonic_time () + s->timeout_us;
  GST_DEBUG ("Subscribe with last_seq %" G_GINT64_FORMAT, s->delivered_seq);
}

static void
on_subscribed (GstRamenStream *s, Ramen__V1__SubscribeResponse *resp)
{
  STATS_LOCK (s);
  g_free (s->connection_id);
  s->connection_id = g_strdup (resp->connection_id);
  s->stats.connected = TRUE;
  STATS_UNLOCK (s);
  s->heartbeat_interval_us = gst_ramen_heartbeat_interval_us (
      resp->heartbeat_interval_seconds, s->heartbeat_interval_ms);
  s->subscribed = TRUE;
  s->heartbeats_unacked = 0;
  s->next_heartbeat_us = g_get_monotonic_time () + s->heartbeat_interval_us;
  GST_INFO ("subscribed, connection %s, current_seq %" G_GINT64_FORMAT
            ", heartbeat every %" G_GINT64_FORMAT " ms",
      resp->connection_id, (gint64) resp->current_seq,
      s->heartbeat_interval_us / 1000);
  /* a cursor from another server, or a log that was reset: every event
   * up to the cursor is dropped as already seen, so say so once */
  if (resp->current_seq < s->delivered_seq && !s->cursor_ahead_warned) {
    if (s->cb.cursor_ahead)
      s->cb.cursor_ahead (
          s, (gint64) resp->current_seq, s->delivered_seq, s->user_data);
    s->cursor_ahead_warned = TRUE;
  }
  if (s->cb.connected)
    s->cb.connected (s, resp->connection_id, (gint64) resp->current_seq,
        s->heartbeat_interval_us, s->user_data);
}

/* Turns an event into a line, or returns NULL after counting a skip. */
static GString *
event_to_line (
    GstRamenStream *s, const Ramen__V1__EventEnvelope *ev, gboolean on_stream)
{
  GString *json = g_string_sized_new (256 + ev->payload.len * 4 / 3);
  g_autoptr (GError) err = NULL;

  if (!gst_ramen_event_to_json (ev, json, NULL, &err)) {
    GST_WARNING ("skipping event: %s", err->message);
    g_string_free (json, TRUE);
    STATS_LOCK (s);
    s->stats.invalid++;
    STATS_UNLOCK (s);
    if (on_stream && s->subscribed)
      send_ack (s, ev->seq, RAMEN__V1__ACK_STATUS__ACK_STATUS_SKIPPED);
    s->delivered_seq = ev->seq;
    save_cursor (s, ev->seq);
    return NULL;
  }
  s->delivered_seq = ev->seq;
  s->delivered_on_stream = on_stream;
  STATS_LOCK (s);
  s->stats.events++;
  if (!on_stream)
    s->stats.replayed++;
  STATS_UNLOCK (s);
  return json;
}

static void
count_duplicate (GstRamenStream *s, gint64 seq)
{
  GST_LOG ("dropping duplicate seq %" G_GINT64_FORMAT, seq);
  STATS_LOCK (s);
  s->stats.duplicates++;
  STATS_UNLOCK (s);
}

/* Next event from the current Replay page, NULL when the page is done. */
static GString *
next_replayed (GstRamenStream *s)
{
  while (s->page && s->page_index < s->page->n_events) {
    Ramen__V1__EventEnvelope *ev = s->page->events[s->page_index++];
    GString *line;

    switch (gst_ramen_seq_decide (s->delivered_seq, ev->seq, TRUE)) {
      case GST_RAMEN_SEQ_DUPLICATE:
        count_duplicate (s, ev->seq);
        continue;
      case GST_RAMEN_SEQ_DELIVER_GAP:
        GST_WARNING ("Replay has no events between %" G_GINT64_FORMAT
                     " and %" G_GINT64_FORMAT,
            s->delivered_seq, (gint64) ev->seq);
        STATS_LOCK (s);
        s->stats.gaps_unrepaired++;
        STATS_UNLOCK (s);
        break;
      default:
        break;
    }
    line = event_to_line (s, ev, FALSE);
    if (line)
      return line;
  }
  return NULL;
}

/* The last page is done; so is a page that moved us nowhere although it
 * claims more (a server bug), lest we ask for it forever. */
static gboolean
replay_exhausted (GstRamenStream *s)
{
  if (s->page == NULL || s->page_index < s->page->n_events)
    return FALSE;
  if (s->page->has_more && s->delivered_seq == s->page_start_seq) {
    GST_WARNING ("Replay says has_more but gave nothing after %" G_GINT64_FORMAT
                 ", subscribing",
        s->delivered_seq);
    return TRUE;
  }
  return !s->page->has_more;
}

/* FALSE when fatal. */
static gboolean
handle_stream_closed (GstRamenStream *s, GstRamenStreamResult *res)
{
  const gchar *details = NULL;
  GstRamenGrpcStatus status =
      gst_ramen_grpc_stream_get_status (s->stream, &details);
  g_autofree gchar *d = g_strdup (details);

  if (gst_ramen_grpc_status_is_fatal (status, d)) {
    *res = fatal_status (s, status, d);
    return FALSE;
  }
  schedule_reconnect (s, status,
      *d ? d :
           (s->subscribed ? "stream ended" :
                            "stream ended before the SubscribeResponse"));
  return TRUE;
}

/* Handles one ServerMessage; may produce a line. FALSE when fatal. */
static gboolean
handle_server_message (
    GstRamenStream *s, GBytes *bytes, GString **out, GstRamenStreamResult *res)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  Ramen__V1__ServerMessage *msg =
      ramen__v1__server_message__unpack (NULL, len, data);
  gboolean ok = TRUE;

  count_received (s, bytes);
  if (msg == NULL) {
    schedule_reconnect (s, GST_RAMEN_GRPC_INTERNAL, "malformed ServerMessage");
    return TRUE;
  }
  /* the first server message ends the backoff and the failure run */
  gst_sensor_net_backoff_reset (&s->backoff);
  s->failures = 0;

  switch (msg->message_case) {
    case RAMEN__V1__SERVER_MESSAGE__MESSAGE_SUBSCRIBE_RESPONSE:
      if (!s->subscribed)
        on_subscribed (s, msg->subscribe_response);
      break;
    case RAMEN__V1__SERVER_MESSAGE__MESSAGE_EVENT: {
      Ramen__V1__EventEnvelope *ev = msg->event;

      switch (gst_ramen_seq_decide (s->delivered_seq, ev->seq, FALSE)) {
        case GST_RAMEN_SEQ_DUPLICATE:
          count_duplicate (s, ev->seq);
          if (s->subscribed)
            send_ack (s, ev->seq, RAMEN__V1__ACK_STATUS__ACK_STATUS_SUCCESS);
          break;
        case GST_RAMEN_SEQ_GAP:
          /* fill from Replay, then subscribe again from there */
          GST_INFO ("gap: got %" G_GINT64_FORMAT " after %" G_GINT64_FORMAT
                    ", replaying",
              (gint64) ev->seq, s->delivered_seq);
          STATS_LOCK (s);
          s->stats.gaps++;
          s->stats.connected = FALSE;
          STATS_UNLOCK (s);
          g_clear_pointer (&s->stream, gst_ramen_grpc_stream_close);
          s->subscribed = FALSE;
          s->state = STATE_REPLAYING;
          break;
        default:
          *out = event_to_line (s, ev, TRUE);
          break;
      }
      break;
    }
    case RAMEN__V1__SERVER_MESSAGE__MESSAGE_HEARTBEAT_ACK:
      s->heartbeats_unacked = 0;
      break;
    case RAMEN__V1__SERVER_MESSAGE__MESSAGE_ERROR: {
      Ramen__V1__Error *e = msg->error;

      GST_WARNING (
          "server error %d (fatal %d): %s", e->code, e->fatal, e->message);
      /* Error.fatal is not trusted either way: only AUTH_FAILED stops */
      if (e->code == RAMEN__V1__ERROR_CODE__ERROR_CODE_AUTH_FAILED) {
        *res = fatal (s, GST_RAMEN_STREAM_ERROR_AUTH_FAILED,
            GST_RAMEN_GRPC_UNAUTHENTICATED, e->code, e->message);
        ok = FALSE;
      } else {
        schedule_reconnect (s, GST_RAMEN_GRPC_UNAVAILABLE, e->message);
      }
      break;
    }
    default:
      break;
  }
  ramen__v1__server_message__free_unpacked (msg, NULL);
  return ok;
}

/* FALSE when interrupted or out of retries (then *res is set). */
static gboolean
connect_after_backoff (GstRamenStream *s, GstRamenStreamResult *res)
{
  if (s->need_backoff) {
    GstClockTime delay = gst_sensor_net_backoff_next (&s->backoff);
    GstRamenStreamFailure f = {
      0,
    };

    f.status = s->last_status;
    f.reason = s->last_reason;
    f.details = s->last_details;
    f.failures = s->failures;
    if (!GST_CLOCK_TIME_IS_VALID (delay)) {
      f.kind = GST_RAMEN_STREAM_ERROR_GAVE_UP;
      if (s->cb.error)
        s->cb.error (s, &f, s->user_data);
      *res = GST_RAMEN_STREAM_ERROR;
      return FALSE;
    }
    if (s->cb.reconnecting)
      s->cb.reconnecting (s, &f, s->backoff.attempt, delay, s->user_data);
    if (!wait_until (s, g_get_monotonic_time () + delay / GST_USECOND)) {
      *res = GST_RAMEN_STREAM_INTERRUPTED;
      return FALSE;
    }
    s->need_backoff = FALSE;
  }
  if (s->cb.connecting)
    s->cb.connecting (s, s->backoff.attempt, s->user_data);
  s->channel = gst_ramen_grpc_channel_new (
      s->target, s->tls, s->ca_pem, s->max_message_size);
  s->state = STATE_REPLAYING;
  return TRUE;
}

/* One round on the open Subscribe stream: heartbeats, then one wait. FALSE
 * when next() must return *res (with *out set for an event). */
static gboolean
stream_round (GstRamenStream *s, GString **out, GstRamenStreamResult *res)
{
  GBytes *msg = NULL;
  GstRamenGrpcWait w;
  gint64 now = g_get_monotonic_time ();
  gint64 deadline;
  gboolean ok;

  if (!s->subscribed && now >= s->subscribe_deadline_us) {
    schedule_reconnect (s, GST_RAMEN_GRPC_DEADLINE_EXCEEDED,
        "no SubscribeResponse within timeout");
    return TRUE;
  }
  if (s->subscribed && now >= s->next_heartbeat_us) {
    if (s->heartbeats_unacked >= GST_RAMEN_HEARTBEAT_MISSES) {
      schedule_reconnect (
          s, GST_RAMEN_GRPC_DEADLINE_EXCEEDED, "heartbeats not acknowledged");
      /* after the reconnect count: readers see both move together */
      STATS_LOCK (s);
      s->stats.heartbeat_timeouts++;
      STATS_UNLOCK (s);
      return TRUE;
    }
    send_heartbeat (s);
    s->heartbeats_unacked++;
    s->next_heartbeat_us = now + s->heartbeat_interval_us;
  }
  deadline = s->subscribed ? s->next_heartbeat_us : s->subscribe_deadline_us;
  w = gst_ramen_grpc_stream_recv (s->stream, deadline, &s->flushing, &msg);
  switch (w) {
    case GST_RAMEN_GRPC_WAIT_INTERRUPTED:
      *res = GST_RAMEN_STREAM_INTERRUPTED;
      return FALSE;
    case GST_RAMEN_GRPC_WAIT_TIMEOUT:
      return TRUE;
    case GST_RAMEN_GRPC_WAIT_CLOSED:
      return handle_stream_closed (s, res);
    case GST_RAMEN_GRPC_WAIT_MESSAGE:
      ok = handle_server_message (s, msg, out, res);
      g_bytes_unref (msg);
      if (ok && *out) {
        *res = GST_RAMEN_STREAM_EVENT;
        return FALSE;
      }
      return ok;
  }
  return TRUE;
}

/**
 * gst_ramen_stream_next:
 * @stream: the stream
 * @line: (out) (transfer full): the event as one JSON line ending in "\n"
 *   (free with g_free())
 * @len: (out): its length in bytes
 * @seq: (out): its seq
 *
 * First acknowledges and saves what went downstream since the last call
 * (gst_ramen_stream_pushed()); an event handed out but never pushed (a
 * flush) is fetched again. Then connects, replays, subscribes and
 * reconnects as needed until the next event is ready. Blocks; see
 * gst_ramen_stream_set_flushing().
 *
 * Returns: %GST_RAMEN_STREAM_EVENT with @line, @len and @seq set, or why
 *   there is none
 */
GstRamenStreamResult
gst_ramen_stream_next (GstRamenStream *s, gchar **line, gsize *len, gint64 *seq)
{
  GstRamenStreamResult res = GST_RAMEN_STREAM_EVENT;
  gint64 pushed = get_pushed_seq (s);

  /* an event handed out earlier but not pushed (flush): deliver it again */
  if (s->delivered_seq > pushed && s->delivered_seq > s->acked_seq) {
    s->delivered_seq = MAX (pushed, s->acked_seq);
    disconnect (s);
  }
  ack_pushed (s);

  for (;;) {
    GString *out = NULL;

    if (g_atomic_int_get (&s->flushing))
      return GST_RAMEN_STREAM_INTERRUPTED;

    switch (s->state) {
      case STATE_IDLE:
        if (!connect_after_backoff (s, &res))
          return res;
        continue;
      case STATE_REPLAYING:
        out = next_replayed (s);
        if (out)
          break;
        if (replay_exhausted (s)) {
          ramen__v1__replay_response__free_unpacked (s->page, NULL);
          s->page = NULL;
          open_subscribe (s);
          continue;
        }
        if (s->page) {
          ramen__v1__replay_response__free_unpacked (s->page, NULL);
          s->page = NULL;
        }
        if (!fetch_page (s, &res))
          return res;
        continue;
      case STATE_STREAMING:
        if (stream_round (s, &out, &res))
          continue;
        if (res != GST_RAMEN_STREAM_EVENT)
          return res;
        break;
    }
    *seq = s->delivered_seq;
    *len = out->len;
    *line = g_string_free (out, FALSE);
    return GST_RAMEN_STREAM_EVENT;
  }
}
