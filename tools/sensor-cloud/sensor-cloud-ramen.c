/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * sensor-cloud RAMEN part: a ramen.v1 gRPC server on its own port, serving
 * Subscribe and Replay from an in-memory log of HSI 1.3 snapshot events per
 * user, with switches that misbehave on purpose (dropped streams,
 * duplicates, a skipped seq, rejected tokens, silence, bad events).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "sensor-cloud.h"
#include <gst/ramen/ramen-grpc.h>
#include <gst/ramen/ramen-proto.h>

/* 2026-01-01T00:00:00Z: event times are deterministic, one second per seq */
#define BASE_UNIX_S G_GINT64_CONSTANT (1767225600)

static gint opt_events = 100;
static gint opt_live_interval_ms = 0;
static gint opt_drop_every = 0;
static gint opt_duplicate_every = 0;
static gint64 opt_skip_seq = 0;
static gchar *opt_reject_token = NULL;
static gchar *opt_api_key = NULL;
static gint opt_heartbeat_interval = 30;
static gboolean opt_ignore_heartbeats = FALSE;
static gboolean opt_silent = FALSE;
static gboolean opt_close_before_response = FALSE;
static gint64 opt_bad_seq = 0;
static gchar *opt_bad_kind = NULL;
static gint opt_payload_size = 0;
static gboolean opt_no_replay = FALSE;
static gboolean opt_silent_subscribe = FALSE;
static gchar *opt_tls_cert = NULL;
static gchar *opt_tls_key = NULL;

static const GOptionEntry ramen_entries[] = {
  { "ramen-events", 0, 0, G_OPTION_ARG_INT, &opt_events,
      "Events in each user's log at start (default 100)", "N" },
  { "ramen-live-interval-ms", 0, 0, G_OPTION_ARG_INT, &opt_live_interval_ms,
      "Append one event per user every MS (default 0: none)", "MS" },
  { "ramen-drop-every", 0, 0, G_OPTION_ARG_INT, &opt_drop_every,
      "Drop each Subscribe stream after N events (UNAVAILABLE)", "N" },
  { "ramen-duplicate-every", 0, 0, G_OPTION_ARG_INT, &opt_duplicate_every,
      "Send every N-th event twice", "N" },
  { "ramen-skip-seq", 0, 0, G_OPTION_ARG_INT64, &opt_skip_seq,
      "Never send SEQ on Subscribe streams (Replay has it)", "SEQ" },
  { "ramen-reject-token", 0, 0, G_OPTION_ARG_STRING, &opt_reject_token,
      "Reject Subscribe requests with this token (AUTH_FAILED)", "TOKEN" },
  { "ramen-api-key", 0, 0, G_OPTION_ARG_STRING, &opt_api_key,
      "Require this x-api-key (UNAUTHENTICATED otherwise)", "KEY" },
  { "ramen-heartbeat-interval", 0, 0, G_OPTION_ARG_INT, &opt_heartbeat_interval,
      "heartbeat_interval_seconds in SubscribeResponse (default 30)", "S" },
  { "ramen-ignore-heartbeats", 0, 0, G_OPTION_ARG_NONE, &opt_ignore_heartbeats,
      "Never answer heartbeats", NULL },
  { "ramen-silent", 0, 0, G_OPTION_ARG_NONE, &opt_silent,
      "Accept calls and never answer", NULL },
  { "ramen-close-before-response", 0, 0, G_OPTION_ARG_NONE,
      &opt_close_before_response,
      "End Subscribe (UNAVAILABLE) before the SubscribeResponse", NULL },
  { "ramen-bad-seq", 0, 0, G_OPTION_ARG_INT64, &opt_bad_seq,
      "Make event SEQ malformed as told by --ramen-bad-kind", "SEQ" },
  { "ramen-bad-kind", 0, 0, G_OPTION_ARG_STRING, &opt_bad_kind,
      "binary (8 KiB non-JSON payload), utf8 (invalid UTF-8 event_id), "
      "oversized (8 MiB payload)",
      "KIND" },
  { "ramen-payload-size", 0, 0, G_OPTION_ARG_INT, &opt_payload_size,
      "Pad HSI payloads to about N bytes (default: natural size)", "N" },
  { "ramen-silent-subscribe", 0, 0, G_OPTION_ARG_NONE, &opt_silent_subscribe,
      "Answer Replay but never Subscribe", NULL },
  { "ramen-tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_cert,
      "Serve TLS with this PEM certificate chain (with --ramen-tls-key)",
      "FILE" },
  { "ramen-tls-key", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_key,
      "PEM private key for --ramen-tls-cert", "FILE" },
  { "ramen-no-replay", 0, 0, G_OPTION_ARG_NONE, &opt_no_replay,
      "Replay answers with no events (everything comes by Subscribe)", NULL },
  { NULL }
};

typedef struct
{
  gchar *user_id;
  GPtrArray *events;        /* packed EventEnvelope (GBytes), index seq-1 */
  GPtrArray *replay_events; /* the same with is_replay set */
  gint64 acked;             /* highest acked seq */
} UserLog;

typedef enum {
  CALL_SUBSCRIBE,
  CALL_REPLAY,
  CALL_OTHER,
} CallKind;

typedef struct
{
  CallKind kind;
  GstRamenGrpcServerCall *call;
  gboolean authorized;
  gboolean subscribed;
  UserLog *log;
  gint64 next_seq;
  guint sent;
} CallState;

typedef struct
{
  GstRamenGrpcServer *server;
  GMutex lock;       /* counters and logs vs record() */
  GHashTable *users; /* user_id -> UserLog */
  GList *calls;      /* CallState, server thread only */
  guint connections;
  guint subscribes, replays, acks, heartbeats, rejected, drops;
  gint64 last_live_us;
} RamenCloud;

static RamenCloud ramen;

static gchar *
hsi_snapshot (gint64 seq)
{
  g_autoptr (GDateTime) obs = g_date_time_new_from_unix_utc (BASE_UNIX_S + seq);
  g_autoptr (GDateTime) start = g_date_time_add_seconds (obs, -60);
  g_autofree gchar *t_obs = g_date_time_format (obs, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree gchar *t_start = g_date_time_format (start, "%Y-%m-%dT%H:%M:%SZ");
  GString *s = g_string_new (NULL);

  g_string_append_printf (s,
      "{\"hsi_version\":\"1.3\",\"observed_at_utc\":\"%s\","
      "\"computed_at_utc\":\"%s\","
      "\"producer\":{\"name\":\"sensor-cloud\",\"version\":\"0.1.0\"},"
      "\"windows\":{\"w1\":{\"start_utc\":\"%s\",\"end_utc\":\"%s\"}},"
      "\"privacy\":{\"contains_pii\":false,\"raw_biosignals_allowed\":false,"
      "\"derived_metrics_allowed\":true},"
      "\"meta\":{\"ids\":{\"hsi_id\":"
      "\"00000000-0000-4000-8000-%012" G_GINT64_MODIFIER "x\"}},"
      "\"axes\":{\"physiological\":[{\"name\":\"stress\",\"score\":%.2f,"
      "\"confidence\":0.8,\"direction\":\"higher_is_more\","
      "\"window_ids\":[\"w1\"],\"evidence_source_ids\":[\"s1\"],"
      "\"inference_mode\":\"deterministic_rule\","
      "\"model_id\":\"sensor-cloud://ramen/v1\"}]}",
      t_obs, t_obs, t_start, t_obs, seq, (seq % 100) / 100.0);
  if (opt_payload_size > 0 && (gint) s->len < opt_payload_size) {
    g_string_append (s, ",\"notes\":\"");
    while ((gint) s->len < opt_payload_size - 2)
      g_string_append_c (s, 'x');
    g_string_append_c (s, '"');
  }
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static GBytes *
pack_event (const gchar *user_id, gint64 seq, gboolean replay)
{
  Ramen__V1__EventEnvelope ev;
  Ramen__V1__DeliveryMeta delivery;
  Google__Protobuf__Timestamp created, first;
  g_autofree gchar *event_id =
      g_strdup_printf ("evt-%s-%" G_GINT64_FORMAT, user_id, seq);
  g_autofree gchar *raw_id = g_strdup_printf ("raw-%" G_GINT64_FORMAT, seq);
  g_autofree gchar *payload = NULL;
  g_autofree guint8 *blob = NULL;
  gsize payload_len;

  ramen__v1__event_envelope__init (&ev);
  ramen__v1__delivery_meta__init (&delivery);
  gst_ramen_timestamp_set (&created, (BASE_UNIX_S + seq) * 1000000000);
  gst_ramen_timestamp_set (
      &first, (BASE_UNIX_S + seq) * 1000000000 + 500000000);
  ev.event_id = event_id;
  ev.seq = seq;
  ev.provider = (char *) "synheart";
  ev.event_type = (char *) "hsi.snapshot";
  ev.raw_id = raw_id;
  payload = hsi_snapshot (seq);
  payload_len = strlen (payload);
  ev.payload.data = (guint8 *) payload;
  ev.payload.len = payload_len;
  ev.created_at = &created;
  delivery.attempt = replay ? 2 : 1;
  delivery.first_sent_at = &first;
  delivery.is_replay = replay;
  ev.delivery = &delivery;

  if (seq == opt_bad_seq && opt_bad_kind) {
    if (g_str_equal (opt_bad_kind, "binary")) {
      gsize i;

      blob = g_malloc (8192);
      for (i = 0; i < 8192; i++)
        blob[i] = (guint8) (i * 7 + 3);
      ev.payload.data = blob;
      ev.payload.len = 8192;
    } else if (g_str_equal (opt_bad_kind, "utf8")) {
      ev.event_id = (char *) "evt-\xc3\x28-bad";
    } else if (g_str_equal (opt_bad_kind, "oversized")) {
      blob = g_malloc0 (8 * 1024 * 1024);
      ev.payload.data = blob;
      ev.payload.len = 8 * 1024 * 1024;
    }
  }
  return gst_ramen_pack (&ev.base);
}

static void
log_append (UserLog *log)
{
  gint64 seq = log->events->len + 1;

  g_ptr_array_add (log->events, pack_event (log->user_id, seq, FALSE));
  g_ptr_array_add (log->replay_events, pack_event (log->user_id, seq, TRUE));
}

static void
user_log_free (UserLog *log)
{
  g_free (log->user_id);
  g_ptr_array_unref (log->events);
  g_ptr_array_unref (log->replay_events);
  g_free (log);
}

/* lock held */
static UserLog *
user_log_get (const gchar *user_id)
{
  UserLog *log;
  gint i;

  if (user_id == NULL || *user_id == '\0')
    user_id = "anonymous";
  log = g_hash_table_lookup (ramen.users, user_id);
  if (log)
    return log;
  log = g_new0 (UserLog, 1);
  log->user_id = g_strdup (user_id);
  log->events = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  log->replay_events =
      g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (i = 0; i < opt_events; i++)
    log_append (log);
  g_hash_table_insert (ramen.users, log->user_id, log);
  return log;
}

static const gchar *
metadata_get (const gchar *const *md, const gchar *key)
{
  for (; md && md[0] && md[1]; md += 2)
    if (g_ascii_strcasecmp (md[0], key) == 0)
      return md[1];
  return NULL;
}

static void
send_server_message (
    GstRamenGrpcServerCall *call, Ramen__V1__ServerMessage *msg)
{
  g_autoptr (GBytes) bytes = gst_ramen_pack (&msg->base);

  gst_ramen_grpc_server_call_send (call, bytes);
}

static void
send_error (GstRamenGrpcServerCall *call, Ramen__V1__ErrorCode code,
    const gchar *text, gboolean fatal)
{
  Ramen__V1__ServerMessage msg;
  Ramen__V1__Error err;

  ramen__v1__server_message__init (&msg);
  ramen__v1__error__init (&err);
  err.code = code;
  err.message = (char *) text;
  err.fatal = fatal;
  msg.message_case = RAMEN__V1__SERVER_MESSAGE__MESSAGE_ERROR;
  msg.error = &err;
  send_server_message (call, &msg);
}

/* Protobuf wire helpers: the log keeps packed envelopes, and responses are
 * put together around them without unpacking. */
static void
append_varint (GByteArray *buf, guint64 v)
{
  guint8 b[10];
  gsize n = 0;

  do {
    b[n++] = (v & 0x7f) | (v > 0x7f ? 0x80 : 0);
    v >>= 7;
  } while (v);
  g_byte_array_append (buf, b, n);
}

static void
append_message_field (GByteArray *buf, guint field, GBytes *message)
{
  gsize len;
  gconstpointer data = g_bytes_get_data (message, &len);

  append_varint (buf, (field << 3) | 2);
  append_varint (buf, len);
  g_byte_array_append (buf, data, len);
}

/* Streams the log to a subscribed call, a few messages ahead. */
static void
pump_events (CallState *st)
{
  while (st->subscribed && gst_ramen_grpc_server_call_queued (st->call) < 8) {
    GBytes *event;

    g_mutex_lock (&ramen.lock);
    if (st->next_seq > (gint64) st->log->events->len) {
      g_mutex_unlock (&ramen.lock);
      return;
    }
    event = g_bytes_ref (g_ptr_array_index (st->log->events, st->next_seq - 1));
    g_mutex_unlock (&ramen.lock);

    if (st->next_seq != opt_skip_seq) {
      /* ServerMessage{event = 2}: the packed envelope behind its tag */
      GByteArray *buf = g_byte_array_new ();
      g_autoptr (GBytes) wire = NULL;

      append_message_field (buf, 2, event);
      wire = g_byte_array_free_to_bytes (buf);
      gst_ramen_grpc_server_call_send (st->call, wire);
      st->sent++;
      if (opt_duplicate_every > 0 && st->sent % opt_duplicate_every == 0)
        gst_ramen_grpc_server_call_send (st->call, wire);
    }
    g_bytes_unref (event);
    st->next_seq++;
    if (opt_drop_every > 0 && st->sent > 0 && st->sent % opt_drop_every == 0) {
      g_mutex_lock (&ramen.lock);
      ramen.drops++;
      g_mutex_unlock (&ramen.lock);
      st->subscribed = FALSE;
      gst_ramen_grpc_server_call_finish (st->call, GST_RAMEN_GRPC_UNAVAILABLE,
          "stream dropped by --ramen-drop-every");
      return;
    }
  }
}

static void
handle_subscribe (CallState *st, Ramen__V1__SubscribeRequest *req)
{
  Ramen__V1__ServerMessage msg;
  Ramen__V1__SubscribeResponse resp;
  Google__Protobuf__Timestamp expires;
  g_autofree gchar *conn_id = NULL;

  if (opt_reject_token && g_strcmp0 (req->token, opt_reject_token) == 0) {
    g_mutex_lock (&ramen.lock);
    ramen.rejected++;
    g_mutex_unlock (&ramen.lock);
    send_error (st->call, RAMEN__V1__ERROR_CODE__ERROR_CODE_AUTH_FAILED,
        "token rejected", TRUE);
    gst_ramen_grpc_server_call_finish (
        st->call, GST_RAMEN_GRPC_UNAUTHENTICATED, "token rejected");
    return;
  }
  if (opt_close_before_response) {
    gst_ramen_grpc_server_call_finish (st->call, GST_RAMEN_GRPC_UNAVAILABLE,
        "closing before the subscribe response");
    return;
  }

  g_mutex_lock (&ramen.lock);
  st->log = user_log_get (req->user_id);
  ramen.subscribes++;
  conn_id = g_strdup_printf ("conn-%u", ++ramen.connections);
  ramen__v1__subscribe_response__init (&resp);
  resp.current_seq = st->log->events->len;
  g_mutex_unlock (&ramen.lock);

  gst_ramen_timestamp_set (
      &expires, (g_get_real_time () + (gint64) 3600 * G_USEC_PER_SEC) * 1000);
  resp.connection_id = conn_id;
  resp.expires_at = &expires;
  resp.heartbeat_interval_seconds = opt_heartbeat_interval;
  ramen__v1__server_message__init (&msg);
  msg.message_case = RAMEN__V1__SERVER_MESSAGE__MESSAGE_SUBSCRIBE_RESPONSE;
  msg.subscribe_response = &resp;
  send_server_message (st->call, &msg);

  st->subscribed = TRUE;
  st->next_seq = MAX (req->last_seq, 0) + 1;
  pump_events (st);
}

static void
handle_client_message (CallState *st, GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  Ramen__V1__ClientMessage *msg =
      ramen__v1__client_message__unpack (NULL, len, data);

  if (msg == NULL) {
    gst_ramen_grpc_server_call_finish (
        st->call, GST_RAMEN_GRPC_INVALID_ARGUMENT, "malformed ClientMessage");
    return;
  }
  switch (msg->message_case) {
    case RAMEN__V1__CLIENT_MESSAGE__MESSAGE_SUBSCRIBE:
      if (!st->subscribed)
        handle_subscribe (st, msg->subscribe);
      break;
    case RAMEN__V1__CLIENT_MESSAGE__MESSAGE_ACK:
      g_mutex_lock (&ramen.lock);
      ramen.acks++;
      if (st->log && msg->ack->seq > st->log->acked)
        st->log->acked = msg->ack->seq;
      g_mutex_unlock (&ramen.lock);
      break;
    case RAMEN__V1__CLIENT_MESSAGE__MESSAGE_HEARTBEAT: {
      Ramen__V1__ServerMessage out;
      Ramen__V1__HeartbeatAck ack;
      Google__Protobuf__Timestamp now;

      g_mutex_lock (&ramen.lock);
      ramen.heartbeats++;
      g_mutex_unlock (&ramen.lock);
      if (opt_ignore_heartbeats)
        break;
      ramen__v1__heartbeat_ack__init (&ack);
      gst_ramen_timestamp_set (&now, g_get_real_time () * 1000);
      ack.server_time = &now;
      if (msg->heartbeat->timestamp)
        ack.rtt_ms = MAX (0,
            (g_get_real_time () * 1000 -
                gst_ramen_timestamp_get (msg->heartbeat->timestamp)) /
                1000000);
      ramen__v1__server_message__init (&out);
      out.message_case = RAMEN__V1__SERVER_MESSAGE__MESSAGE_HEARTBEAT_ACK;
      out.heartbeat_ack = &ack;
      send_server_message (st->call, &out);
      break;
    }
    default:
      break;
  }
  ramen__v1__client_message__free_unpacked (msg, NULL);
}

static void
handle_replay (CallState *st, GBytes *bytes)
{
  gsize len, i;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  Ramen__V1__ReplayRequest *req =
      ramen__v1__replay_request__unpack (NULL, len, data);
  GByteArray *resp = g_byte_array_new ();
  g_autoptr (GBytes) out = NULL;
  UserLog *log;
  gint64 after, highest;
  gint limit;
  gsize n = 0;

  if (req == NULL) {
    g_byte_array_unref (resp);
    gst_ramen_grpc_server_call_finish (
        st->call, GST_RAMEN_GRPC_INVALID_ARGUMENT, "malformed ReplayRequest");
    return;
  }
  limit = req->limit <= 0 ? 100 : MIN (req->limit, GST_RAMEN_REPLAY_MAX_LIMIT);
  after = MAX (req->after_seq, 0);

  g_mutex_lock (&ramen.lock);
  ramen.replays++;
  log = user_log_get (req->user_id);
  highest = log->events->len;
  /* ReplayResponse{events = 1 (repeated), has_more = 2, highest_seq = 3} */
  for (i = after; !opt_no_replay && i < (gsize) highest && n < (gsize) limit;
       i++, n++)
    append_message_field (resp, 1, g_ptr_array_index (log->replay_events, i));
  g_mutex_unlock (&ramen.lock);

  if (!opt_no_replay && after + (gint64) n < highest) {
    append_varint (resp, (2 << 3) | 0);
    append_varint (resp, 1);
  }
  if (highest > 0) {
    append_varint (resp, (3 << 3) | 0);
    append_varint (resp, highest);
  }
  out = g_byte_array_free_to_bytes (resp);
  gst_ramen_grpc_server_call_send (st->call, out);
  gst_ramen_grpc_server_call_finish (st->call, GST_RAMEN_GRPC_OK, NULL);
  ramen__v1__replay_request__free_unpacked (req, NULL);
}

static gpointer
on_call_started (GstRamenGrpcServerCall *call, const gchar *method,
    const gchar *const *metadata, gpointer user_data)
{
  CallState *st = g_new0 (CallState, 1);
  const gchar *key = metadata_get (metadata, "x-api-key");

  st->call = call;
  if (g_strcmp0 (method, GST_RAMEN_METHOD_SUBSCRIBE) == 0)
    st->kind = CALL_SUBSCRIBE;
  else if (g_strcmp0 (method, GST_RAMEN_METHOD_REPLAY) == 0)
    st->kind = CALL_REPLAY;
  else
    st->kind = CALL_OTHER;
  ramen.calls = g_list_prepend (ramen.calls, st);

  if (st->kind == CALL_OTHER) {
    gst_ramen_grpc_server_call_finish (
        call, GST_RAMEN_GRPC_UNIMPLEMENTED, "unknown method");
  } else if (opt_api_key && g_strcmp0 (key, opt_api_key) != 0) {
    g_mutex_lock (&ramen.lock);
    ramen.rejected++;
    g_mutex_unlock (&ramen.lock);
    gst_ramen_grpc_server_call_finish (
        call, GST_RAMEN_GRPC_UNAUTHENTICATED, "missing or wrong x-api-key");
  } else {
    st->authorized = TRUE;
  }
  return st;
}

static void
on_message (GstRamenGrpcServerCall *call, GBytes *message, gpointer call_data,
    gpointer user_data)
{
  CallState *st = call_data;

  if (message == NULL || !st->authorized || opt_silent)
    return;
  if (opt_silent_subscribe && st->kind == CALL_SUBSCRIBE)
    return;
  if (st->kind == CALL_SUBSCRIBE)
    handle_client_message (st, message);
  else if (st->kind == CALL_REPLAY)
    handle_replay (st, message);
}

static void
on_drained (
    GstRamenGrpcServerCall *call, gpointer call_data, gpointer user_data)
{
  pump_events (call_data);
}

static void
on_call_done (
    GstRamenGrpcServerCall *call, gpointer call_data, gpointer user_data)
{
  ramen.calls = g_list_remove (ramen.calls, call_data);
  g_free (call_data);
}

static void
on_tick (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  GList *l;

  if (opt_live_interval_ms <= 0 ||
      now - ramen.last_live_us < opt_live_interval_ms * 1000)
    return;
  ramen.last_live_us = now;
  g_mutex_lock (&ramen.lock);
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, ramen.users);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      log_append (value);
  }
  g_mutex_unlock (&ramen.lock);
  for (l = ramen.calls; l; l = l->next)
    pump_events (l->data);
}

static const GstRamenGrpcServerFuncs funcs = {
  on_call_started,
  on_message,
  on_drained,
  on_call_done,
  on_tick,
};

static gboolean
ramen_start (SensorCloud *cloud, GError **error)
{
  g_autofree gchar *address = g_strdup_printf (
      "%s:%u", cloud->address, sensor_cloud_get_port (cloud, "ramen"));
  g_autofree gchar *cert = NULL;
  g_autofree gchar *key = NULL;
  guint port = 0;

  if ((opt_tls_cert != NULL) != (opt_tls_key != NULL)) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "--ramen-tls-cert and --ramen-tls-key go together");
    return FALSE;
  }
  if (opt_tls_cert &&
      (!g_file_get_contents (opt_tls_cert, &cert, NULL, error) ||
          !g_file_get_contents (opt_tls_key, &key, NULL, error)))
    return FALSE;
  g_mutex_init (&ramen.lock);
  ramen.users = g_hash_table_new_full (
      g_str_hash, g_str_equal, NULL, (GDestroyNotify) user_log_free);
  ramen.last_live_us = g_get_monotonic_time ();
  ramen.server = gst_ramen_grpc_server_new (address, cert, key, &funcs, NULL,
      opt_live_interval_ms > 0 ? MIN (opt_live_interval_ms, 10) : 10, &port,
      error);
  if (ramen.server == NULL)
    return FALSE;
  sensor_cloud_announce (cloud, "ramen", port);
  return TRUE;
}

static void
ramen_record (SensorCloud *cloud, JsonBuilder *builder)
{
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&ramen.lock);
  json_builder_set_member_name (builder, "subscribes");
  json_builder_add_int_value (builder, ramen.subscribes);
  json_builder_set_member_name (builder, "replays");
  json_builder_add_int_value (builder, ramen.replays);
  json_builder_set_member_name (builder, "acks");
  json_builder_add_int_value (builder, ramen.acks);
  json_builder_set_member_name (builder, "heartbeats");
  json_builder_add_int_value (builder, ramen.heartbeats);
  json_builder_set_member_name (builder, "rejected");
  json_builder_add_int_value (builder, ramen.rejected);
  json_builder_set_member_name (builder, "drops");
  json_builder_add_int_value (builder, ramen.drops);
  json_builder_set_member_name (builder, "acked");
  json_builder_begin_object (builder);
  if (ramen.users) {
    g_hash_table_iter_init (&iter, ramen.users);
    while (g_hash_table_iter_next (&iter, NULL, &value)) {
      UserLog *log = value;

      json_builder_set_member_name (builder, log->user_id);
      json_builder_add_int_value (builder, log->acked);
    }
  }
  json_builder_end_object (builder);
  g_mutex_unlock (&ramen.lock);
}

static void
ramen_stop (SensorCloud *cloud)
{
  if (ramen.server == NULL)
    return;
  gst_ramen_grpc_server_free (ramen.server);
  ramen.server = NULL;
  g_hash_table_unref (ramen.users);
  ramen.users = NULL;
  g_mutex_clear (&ramen.lock);
}

const SensorCloudPart sensor_cloud_ramen_part = {
  "ramen",
  "Synheart RAMEN gRPC server (ramen.v1 Subscribe and Replay)",
  ramen_entries,
  ramen_start,
  ramen_record,
  ramen_stop,
};
