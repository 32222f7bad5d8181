/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * GstRamenStream, the RAMEN session policy, on its own against a small
 * in-process RAMEN server: redelivery of what was not pushed, ack after
 * push, the cursor, the callbacks and the failure rule.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/ramen/ramen-cursor.h>
#include <gst/ramen/ramen-proto.h>
#include <gst/ramen/ramen-stream.h>

/* The log holds events 1..LOG_END; Subscribe sends up to LIVE_END, and
 * LIVE_END + 1 only once LIVE_END was acked. */
#define LOG_END 3
#define LIVE_END 5

typedef struct
{
  GMutex lock;
  GArray *acks; /* gint64 seqs acked with SUCCESS */
  gboolean deny;
} Server;

static GBytes *
event_message (gint64 seq)
{
  Ramen__V1__ServerMessage msg;
  Ramen__V1__EventEnvelope ev;
  g_autofree gchar *id = g_strdup_printf ("evt-%" G_GINT64_FORMAT, seq);

  ramen__v1__server_message__init (&msg);
  ramen__v1__event_envelope__init (&ev);
  ev.event_id = id;
  ev.seq = seq;
  msg.message_case = RAMEN__V1__SERVER_MESSAGE__MESSAGE_EVENT;
  msg.event = &ev;
  return gst_ramen_pack (&msg.base);
}

static gpointer
started (GstRamenGrpcServerCall *call, const gchar *method,
    const gchar *const *md, gpointer user_data)
{
  Server *srv = user_data;

  if (srv->deny)
    gst_ramen_grpc_server_call_finish (
        call, GST_RAMEN_GRPC_UNAUTHENTICATED, "bad key");
  return g_strdup (method);
}

static void
replay (GstRamenGrpcServerCall *call, GBytes *bytes)
{
  Ramen__V1__ReplayRequest *req = ramen__v1__replay_request__unpack (
      NULL, g_bytes_get_size (bytes), g_bytes_get_data (bytes, NULL));
  Ramen__V1__ReplayResponse resp;
  Ramen__V1__EventEnvelope ev[LOG_END], *evs[LOG_END];
  g_autoptr (GBytes) out = NULL;
  gint64 seq;

  ramen__v1__replay_response__init (&resp);
  resp.events = evs;
  for (seq = req->after_seq + 1; seq <= LOG_END; seq++) {
    ramen__v1__event_envelope__init (&ev[resp.n_events]);
    ev[resp.n_events].event_id = (gchar *) "evt";
    ev[resp.n_events].seq = seq;
    evs[resp.n_events] = &ev[resp.n_events];
    resp.n_events++;
  }
  out = gst_ramen_pack (&resp.base);
  gst_ramen_grpc_server_call_send (call, out);
  gst_ramen_grpc_server_call_finish (call, GST_RAMEN_GRPC_OK, NULL);
  ramen__v1__replay_request__free_unpacked (req, NULL);
}

static void
message (GstRamenGrpcServerCall *call, GBytes *bytes, gpointer call_data,
    gpointer user_data)
{
  Server *srv = user_data;
  Ramen__V1__ClientMessage *cm;

  if (bytes == NULL)
    return;
  if (g_str_equal (call_data, GST_RAMEN_METHOD_REPLAY)) {
    replay (call, bytes);
    return;
  }
  cm = ramen__v1__client_message__unpack (
      NULL, g_bytes_get_size (bytes), g_bytes_get_data (bytes, NULL));
  if (cm->message_case == RAMEN__V1__CLIENT_MESSAGE__MESSAGE_SUBSCRIBE) {
    Ramen__V1__ServerMessage msg;
    Ramen__V1__SubscribeResponse resp;
    g_autoptr (GBytes) out = NULL;
    gint64 seq;

    ramen__v1__server_message__init (&msg);
    ramen__v1__subscribe_response__init (&resp);
    resp.connection_id = (gchar *) "conn-1";
    resp.current_seq = LIVE_END;
    msg.message_case = RAMEN__V1__SERVER_MESSAGE__MESSAGE_SUBSCRIBE_RESPONSE;
    msg.subscribe_response = &resp;
    out = gst_ramen_pack (&msg.base);
    gst_ramen_grpc_server_call_send (call, out);
    for (seq = cm->subscribe->last_seq + 1; seq <= LIVE_END; seq++) {
      g_autoptr (GBytes) ev = event_message (seq);

      gst_ramen_grpc_server_call_send (call, ev);
    }
  } else if (cm->message_case == RAMEN__V1__CLIENT_MESSAGE__MESSAGE_ACK &&
      cm->ack->status == RAMEN__V1__ACK_STATUS__ACK_STATUS_SUCCESS) {
    gint64 seq = cm->ack->seq;

    g_mutex_lock (&srv->lock);
    g_array_append_val (srv->acks, seq);
    g_mutex_unlock (&srv->lock);
    if (seq == LIVE_END) {
      g_autoptr (GBytes) ev = event_message (LIVE_END + 1);

      gst_ramen_grpc_server_call_send (call, ev);
    }
  }
  ramen__v1__client_message__free_unpacked (cm, NULL);
}

static void
done (GstRamenGrpcServerCall *call, gpointer call_data, gpointer user_data)
{
  g_free (call_data);
}

static const GstRamenGrpcServerFuncs funcs = {
  started,
  message,
  NULL,
  done,
  NULL,
};

/* What the callbacks saw, one word per call. */
typedef struct
{
  GString *log;
  GstRamenStreamErrorKind error_kind;
  gchar *error_reason;
  guint warned;
} Seen;

static void
on_connecting (GstRamenStream *stream, guint attempt, gpointer user_data)
{
  Seen *seen = user_data;

  g_string_append_printf (seen->log, "connecting(%u) ", attempt);
}

static void
on_connected (GstRamenStream *stream, const gchar *connection_id,
    gint64 current_seq, gint64 heartbeat_interval_us, gpointer user_data)
{
  Seen *seen = user_data;

  g_string_append_printf (seen->log,
      "connected(%s,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ") ", connection_id,
      current_seq, heartbeat_interval_us);
}

static void
on_failure (
    GstRamenStream *stream, const GstRamenStreamFailure *f, gpointer user_data)
{
  Seen *seen = user_data;

  g_string_append_printf (seen->log, "failure(%u) ", f->failures);
  if (f->warn)
    seen->warned++;
}

static void
on_reconnecting (GstRamenStream *stream, const GstRamenStreamFailure *f,
    guint attempt, GstClockTime delay, gpointer user_data)
{
  Seen *seen = user_data;

  g_string_append_printf (seen->log, "reconnecting(%u) ", attempt);
}

static void
on_error (
    GstRamenStream *stream, const GstRamenStreamFailure *f, gpointer user_data)
{
  Seen *seen = user_data;

  g_string_append (seen->log, "error ");
  seen->error_kind = f->kind;
  g_free (seen->error_reason);
  seen->error_reason = g_strdup (f->reason);
}

static const GstRamenStreamCallbacks callbacks = {
  on_connecting,
  on_connected,
  NULL,
  on_failure,
  on_reconnecting,
  on_error,
  NULL,
};

static gint64
next_seq (GstRamenStream *stream)
{
  gchar *line = NULL;
  gsize len = 0;
  gint64 seq = -1;

  fail_unless_equals_int (gst_ramen_stream_next (stream, &line, &len, &seq),
      GST_RAMEN_STREAM_EVENT);
  fail_unless (len > 0 && line[len - 1] == '\n');
  fail_unless_equals_int (strlen (line), len);
  g_free (line);
  return seq;
}

static void
config_init (GstRamenStreamConfig *config, const gchar *target)
{
  memset (config, 0, sizeof (*config));
  config->target = target;
  config->app_id = "app";
  config->user_id = "user";
  config->timeout_s = 5;
  config->max_message_size = 1 << 20;
  config->backoff_initial = 0.001;
  config->backoff_factor = 2.0;
  config->backoff_max = 0.01;
  config->retries = -1;
}

GST_START_TEST (test_ack_after_push)
{
  Server srv = {
    0,
  };
  Seen seen = {
    g_string_new (NULL),
  };
  g_autofree gchar *dir = g_dir_make_tmp ("ramen-stream-XXXXXX", NULL);
  g_autofree gchar *cursor = g_build_filename (dir, "cursor", NULL);
  g_autofree gchar *target = NULL;
  g_autofree gchar *conn = NULL;
  GstRamenGrpcServer *server;
  GstRamenStreamConfig config;
  GstRamenStreamStats stats;
  GstRamenStream *stream;
  GError *err = NULL;
  guint port;
  gint64 acked[2];

  g_mutex_init (&srv.lock);
  srv.acks = g_array_new (FALSE, FALSE, sizeof (gint64));
  server = gst_ramen_grpc_server_new (
      "127.0.0.1:0", NULL, NULL, &funcs, &srv, 10, &port, &err);
  fail_unless (server != NULL);
  target = g_strdup_printf ("127.0.0.1:%u", port);
  config_init (&config, target);
  config.state_location = cursor;
  config.heartbeat_interval_ms = 60000;
  stream = gst_ramen_stream_new (&config, &callbacks, &seen);

  /* Replay first; an event handed out but never pushed (a flush) comes
   * again, through a new Replay */
  fail_unless_equals_int64 (next_seq (stream), 1);
  fail_unless_equals_int64 (next_seq (stream), 1);
  fail_if (g_file_test (cursor, G_FILE_TEST_EXISTS));
  gst_ramen_stream_pushed (stream, 1);
  fail_unless_equals_int64 (next_seq (stream), 2);
  /* pushed means saved, before the next event is handed out */
  fail_unless_equals_int64 (
      gst_ramen_cursor_load (cursor, "app", "user", &err), 1);
  gst_ramen_stream_pushed (stream, 2);
  fail_unless_equals_int64 (next_seq (stream), 3);
  gst_ramen_stream_pushed (stream, 3);
  /* then the live stream; replayed events are not acked */
  fail_unless_equals_int64 (next_seq (stream), 4);
  gst_ramen_stream_pushed (stream, 4);
  fail_unless_equals_int64 (next_seq (stream), 5);
  gst_ramen_stream_pushed (stream, 5);
  /* the server sends 6 only once 5 was acked */
  fail_unless_equals_int64 (next_seq (stream), 6);
  fail_unless_equals_int64 (
      gst_ramen_cursor_load (cursor, "app", "user", &err), 5);

  conn = gst_ramen_stream_get_stats (stream, &stats);
  fail_unless_equals_string (conn, "conn-1");
  fail_unless (stats.connected);
  fail_unless_equals_uint64 (stats.events, 7);
  fail_unless_equals_uint64 (stats.replayed, 4);
  fail_unless_equals_uint64 (stats.duplicates, 0);
  fail_unless_equals_uint64 (stats.failures, 0);
  fail_unless_equals_uint64 (stats.reconnects, 0);
  /* two Replay answers, the SubscribeResponse and events 4, 5, 6 */
  fail_unless_equals_uint64 (stats.messages_received, 6);
  fail_unless (stats.bytes_received > 0);
  fail_unless_equals_int64 (stats.last_seq, 5);
  fail_unless_equals_string (seen.log->str,
      "connecting(0) connecting(0) connected(conn-1,5,60000000) ");

  g_mutex_lock (&srv.lock);
  fail_unless_equals_int (srv.acks->len, 2);
  memcpy (acked, srv.acks->data, sizeof (acked));
  g_mutex_unlock (&srv.lock);
  fail_unless_equals_int64 (acked[0], 4);
  fail_unless_equals_int64 (acked[1], 5);

  /* finishing keeps the last event that went out */
  gst_ramen_stream_pushed (stream, 6);
  gst_ramen_stream_finish (stream);
  fail_unless_equals_int64 (
      gst_ramen_cursor_load (cursor, "app", "user", &err), 6);
  gst_ramen_stream_get_stats (stream, &stats);
  fail_if (stats.connected);
  gst_ramen_stream_free (stream);

  gst_ramen_grpc_server_free (server);
  g_array_unref (srv.acks);
  g_mutex_clear (&srv.lock);
  g_string_free (seen.log, TRUE);
  g_unlink (cursor);
  g_rmdir (dir);
}

GST_END_TEST;

GST_START_TEST (test_unauthenticated_is_fatal)
{
  Server srv = {
    0,
  };
  Seen seen = {
    g_string_new (NULL),
  };
  g_autofree gchar *target = NULL;
  GstRamenGrpcServer *server;
  GstRamenStreamConfig config;
  GstRamenStreamStats stats;
  GstRamenStream *stream;
  gchar *line = NULL;
  gsize len;
  gint64 seq;
  guint port;

  srv.deny = TRUE;
  g_mutex_init (&srv.lock);
  srv.acks = g_array_new (FALSE, FALSE, sizeof (gint64));
  server = gst_ramen_grpc_server_new (
      "127.0.0.1:0", NULL, NULL, &funcs, &srv, 10, &port, NULL);
  target = g_strdup_printf ("127.0.0.1:%u", port);
  config_init (&config, target);
  stream = gst_ramen_stream_new (&config, &callbacks, &seen);

  fail_unless_equals_int (gst_ramen_stream_next (stream, &line, &len, &seq),
      GST_RAMEN_STREAM_ERROR);
  fail_unless (line == NULL);
  fail_unless_equals_string (seen.log->str, "connecting(0) error ");
  fail_unless_equals_int (
      seen.error_kind, GST_RAMEN_STREAM_ERROR_UNAUTHENTICATED);
  fail_unless_equals_string (seen.error_reason, "UNAUTHENTICATED: bad key");
  g_free (gst_ramen_stream_get_stats (stream, &stats));
  fail_unless_equals_uint64 (stats.failures, 0);
  gst_ramen_stream_free (stream);

  gst_ramen_grpc_server_free (server);
  g_array_unref (srv.acks);
  g_mutex_clear (&srv.lock);
  g_string_free (seen.log, TRUE);
  g_free (seen.error_reason);
}

GST_END_TEST;

/* Nothing listens: every failure is transient, the first warns, and the
 * retries end in GAVE_UP with the last cause. */
GST_START_TEST (test_retries_exhausted)
{
  Seen seen = {
    g_string_new (NULL),
  };
  GstRamenStreamConfig config;
  GstRamenStreamStats stats;
  GstRamenStream *stream;
  GSocket *sock;
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *addr = g_inet_socket_address_new (lo, 0), *bound;
  g_autofree gchar *target = NULL;
  gchar *line = NULL;
  gsize len;
  gint64 seq;

  /* a port that was free a moment ago */
  sock = g_socket_new (
      G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  fail_unless (g_socket_bind (sock, addr, FALSE, NULL));
  bound = g_socket_get_local_address (sock, NULL);
  target = g_strdup_printf ("127.0.0.1:%u",
      g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_object_unref (bound);
  g_object_unref (sock);
  g_object_unref (addr);
  g_object_unref (lo);

  config_init (&config, target);
  config.retries = 1;
  stream = gst_ramen_stream_new (&config, &callbacks, &seen);
  fail_unless_equals_int (gst_ramen_stream_next (stream, &line, &len, &seq),
      GST_RAMEN_STREAM_ERROR);
  fail_unless_equals_string (seen.log->str,
      "connecting(0) failure(1) reconnecting(1) connecting(1) failure(2) "
      "error ");
  fail_unless_equals_int (seen.error_kind, GST_RAMEN_STREAM_ERROR_GAVE_UP);
  fail_unless (g_str_has_prefix (seen.error_reason, "UNAVAILABLE: "));
  fail_unless_equals_int (seen.warned, 1);
  g_free (gst_ramen_stream_get_stats (stream, &stats));
  fail_unless_equals_uint64 (stats.failures, 2);
  fail_unless_equals_uint64 (stats.reconnects, 2);
  fail_if (stats.connected);
  gst_ramen_stream_free (stream);
  g_string_free (seen.log, TRUE);
  g_free (seen.error_reason);
}

GST_END_TEST;

static Suite *
ramen_stream_suite (void)
{
  Suite *s = suite_create ("ramen_stream");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_ack_after_push);
  tcase_add_test (tc, test_unauthenticated_is_fatal);
  tcase_add_test (tc, test_retries_exhausted);
  return s;
}

GST_CHECK_MAIN (ramen_stream);
