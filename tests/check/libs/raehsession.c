/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * GstRaehSession on its own, against an in-process /stream/ingest server
 * (libsoup, its own thread): the handshake and the callbacks in order,
 * slot ids written from each session's manifest, 4001 fatal with the
 * verbatim reason, a transient close with the frames kept and sent after
 * the new handshake, drop-oldest by max-buffer-time while disconnected,
 * a manifest the streams do not fit, cancelled waits, the close at the end
 * and the counters.
 */
#include <string.h>
#include <gst/check/gstcheck.h>
#include <gst/raeh/raeh.h>
#include <gst/raeh/raeh-session.h>
#include <libsoup/soup.h>

static const gchar *manifest_a =
    "{\"session_id\":\"sess-a\",\"slots\":["
    "{\"slot_id\":7,\"modality\":\"ppg_green\",\"sample_rate_hz\":100,"
    "\"bit_depth\":16,\"num_channels\":1}]}";
static const gchar *manifest_b =
    "{\"session_id\":\"sess-b\",\"slots\":["
    "{\"slot_id\":12,\"modality\":\"ppg_green\",\"sample_rate_hz\":100,"
    "\"bit_depth\":16,\"num_channels\":1}]}";

/* ---- the server ---- */

typedef struct
{
  GMainContext *ctx;
  GMainLoop *loop;
  GThread *thread;
  guint port;
  GMutex lock;
  GCond cond;
  /* script */
  const gchar *handshakes[2]; /* per connection, the last repeats; "binary"
                               * sends a binary message first */
  gint close_connection;      /* close this one after close_after frames */
  guint close_after;
  gushort close_code;
  const gchar *close_reason;
  gboolean hold_second; /* the second handshake waits for release */
  /* observed */
  guint connections;
  GPtrArray *frames; /* GBytes */
  GArray *frame_conn;
  guint closes;
  gushort last_close_code; /* what the session sent */
  SoupWebsocketConnection *held;
  GPtrArray *conns; /* the server keeps its connections alive */
} Server;

typedef struct
{
  Server *srv;
  guint index;
  guint frames;
} Conn;

static void
send_handshake (Server *s, SoupWebsocketConnection *conn, guint index)
{
  const gchar *hs = s->handshakes[MIN (index, 1)] ?
      s->handshakes[MIN (index, 1)] :
      s->handshakes[0];

  if (g_str_equal (hs, "binary")) {
    GBytes *b = g_bytes_new_static ("\0\0\0\0", 4);

    soup_websocket_connection_send_message (
        conn, SOUP_WEBSOCKET_DATA_BINARY, b);
    g_bytes_unref (b);
  } else {
    soup_websocket_connection_send_text (conn, hs);
  }
}

static void
on_message (SoupWebsocketConnection *conn, gint type, GBytes *message,
    gpointer user_data)
{
  Conn *c = user_data;
  Server *s = c->srv;
  gboolean close_now;

  g_mutex_lock (&s->lock);
  g_ptr_array_add (s->frames, g_bytes_ref (message));
  g_array_append_val (s->frame_conn, c->index);
  c->frames++;
  close_now =
      (gint) c->index == s->close_connection && c->frames == s->close_after;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
  if (close_now)
    soup_websocket_connection_close (conn, s->close_code, s->close_reason);
}

static void
on_closed (SoupWebsocketConnection *conn, gpointer user_data)
{
  Server *s = user_data;

  g_mutex_lock (&s->lock);
  s->last_close_code = soup_websocket_connection_get_close_code (conn);
  s->closes++;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

static void
on_ingest (SoupServer *server, SoupServerMessage *msg, const char *path,
    SoupWebsocketConnection *conn, gpointer user_data)
{
  Server *s = user_data;
  Conn *c = g_new0 (Conn, 1);

  g_mutex_lock (&s->lock);
  c->srv = s;
  c->index = s->connections++;
  g_ptr_array_add (s->conns, g_object_ref (conn));
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
  g_signal_connect_data (
      conn, "message", G_CALLBACK (on_message), c, (GClosureNotify) g_free, 0);
  g_signal_connect (conn, "closed", G_CALLBACK (on_closed), s);
  if (c->index == 1 && s->hold_second)
    s->held = g_object_ref (conn);
  else
    send_handshake (s, conn, c->index);
}

static gpointer
server_thread (gpointer data)
{
  Server *s = data;
  SoupServer *server;
  GSList *uris;

  g_main_context_push_thread_default (s->ctx);
  server = soup_server_new (NULL, NULL);
  soup_server_add_websocket_handler (
      server, "/stream/ingest", NULL, NULL, on_ingest, s, NULL);
  fail_unless (
      soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL));
  uris = soup_server_get_uris (server);
  g_mutex_lock (&s->lock);
  s->port = g_uri_get_port (uris->data);
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (s->loop);

  g_clear_object (&s->held);
  g_ptr_array_unref (s->conns);
  soup_server_disconnect (server);
  g_object_unref (server);
  while (g_main_context_iteration (s->ctx, FALSE))
    ;
  g_main_context_pop_thread_default (s->ctx);
  return NULL;
}

static Server *
server_new (void)
{
  Server *s = g_new0 (Server, 1);

  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->handshakes[0] = manifest_a;
  s->close_connection = -1;
  s->frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  s->frame_conn = g_array_new (FALSE, FALSE, sizeof (guint));
  s->conns = g_ptr_array_new_with_free_func (g_object_unref);
  s->ctx = g_main_context_new ();
  s->loop = g_main_loop_new (s->ctx, FALSE);
  return s;
}

static void
server_start (Server *s)
{
  s->thread = g_thread_new ("raeh-server", server_thread, s);
  g_mutex_lock (&s->lock);
  while (s->port == 0)
    g_cond_wait (&s->cond, &s->lock);
  g_mutex_unlock (&s->lock);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
server_free (Server *s)
{
  g_main_context_invoke (s->ctx, quit_cb, s->loop);
  g_thread_join (s->thread);
  g_main_loop_unref (s->loop);
  g_main_context_unref (s->ctx);
  g_ptr_array_unref (s->frames);
  g_array_unref (s->frame_conn);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
  g_free (s);
}

static gboolean
release_cb (gpointer data)
{
  Server *s = data;

  if (s->held)
    send_handshake (s, s->held, 1);
  return G_SOURCE_REMOVE;
}

static gboolean
server_wait (Server *s, guint *counter, guint n)
{
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  g_mutex_lock (&s->lock);
  while (*counter < n && g_cond_wait_until (&s->cond, &s->lock, end))
    ;
  n = *counter >= n;
  g_mutex_unlock (&s->lock);
  return n;
}

/* ---- what the session reports ---- */

typedef struct
{
  GMutex lock;
  GCond cond;
  GPtrArray *events;     /* "kind:detail" */
  const gchar *mismatch; /* returned by check_manifest */
} Log;

static void
log_event (Log *log, gchar *event)
{
  g_mutex_lock (&log->lock);
  g_ptr_array_add (log->events, event);
  g_cond_broadcast (&log->cond);
  g_mutex_unlock (&log->lock);
}

static gchar *
cb_check (GstRaehSession *session, const GstRaehManifest *m, gpointer data)
{
  Log *log = data;

  log_event (log, g_strdup_printf ("check:%s", m->session_id));
  return g_strdup (log->mismatch);
}

static void
cb_state (GstRaehSession *session, const gchar *state, guint attempt,
    GstClockTime delay, const gchar *reason,
    const GstSensorNetWsCloseInfo *info, gpointer data)
{
  log_event (data,
      g_strdup_printf (
          "state:%s%s%s", state, reason ? ":" : "", reason ? reason : ""));
}

static void
cb_started (GstRaehSession *session, const GstRaehManifest *m, gpointer data)
{
  log_event (data,
      g_strdup_printf ("started:%s:%u", m->session_id,
          gst_raeh_manifest_get_slot (m, 0)->slot_id));
}

static void
cb_ended (GstRaehSession *session, const gchar *session_id,
    const GstSensorNetWsCloseInfo *info, gpointer data)
{
  log_event (data,
      g_strdup_printf (
          "ended:%s:%u:%s", session_id, info->close_code, info->close_reason));
}

static void
cb_transient (GstRaehSession *session, const GstSensorNetWsCloseInfo *info,
    guint failures, gpointer data)
{
  log_event (data, g_strdup_printf ("transient:%u", failures));
}

static void
cb_failed (GstRaehSession *session, GstRaehSessionFailure kind,
    const gchar *reason, const GstSensorNetWsCloseInfo *info, guint failures,
    gpointer data)
{
  log_event (data,
      g_strdup_printf (
          "failed:%d:%s:%u", kind, reason, info ? info->close_code : 0));
}

static void
cb_dropped (GstRaehSession *session, gint64 t0_ms, gsize size, gpointer data)
{
  log_event (data,
      g_strdup_printf (
          "dropped:%" G_GINT64_FORMAT ":%" G_GSIZE_FORMAT, t0_ms, size));
}

static const GstRaehSessionCallbacks callbacks = {
  cb_check,
  cb_state,
  cb_started,
  cb_ended,
  cb_transient,
  cb_failed,
  cb_dropped,
};

static Log *
log_new (void)
{
  Log *log = g_new0 (Log, 1);

  g_mutex_init (&log->lock);
  g_cond_init (&log->cond);
  log->events = g_ptr_array_new_with_free_func (g_free);
  return log;
}

static void
log_free (Log *log)
{
  g_ptr_array_unref (log->events);
  g_mutex_clear (&log->lock);
  g_cond_clear (&log->cond);
  g_free (log);
}

/* Waits for @event; TRUE when it came. */
static gboolean
log_wait (Log *log, const gchar *event)
{
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  gboolean found = FALSE;

  g_mutex_lock (&log->lock);
  do {
    guint i;

    for (i = 0; i < log->events->len && !found; i++)
      found = g_str_equal (g_ptr_array_index (log->events, i), event);
  } while (!found && g_cond_wait_until (&log->cond, &log->lock, end));
  g_mutex_unlock (&log->lock);
  return found;
}

/* The events so far, joined with spaces. */
static gchar *
log_join (Log *log)
{
  gchar *all;

  g_mutex_lock (&log->lock);
  g_ptr_array_add (log->events, NULL);
  all = g_strjoinv (" ", (gchar **) log->events->pdata);
  g_ptr_array_remove_index (log->events, log->events->len - 1);
  g_mutex_unlock (&log->lock);
  return all;
}

static void
start (GstRaehSession *session, guint port)
{
  GstSensorNetWsConfig config;
  gchar *log_uri = NULL;
  g_autofree gchar *location =
      g_strdup_printf ("ws://127.0.0.1:%u/stream/ingest", port);

  gst_sensor_net_ws_config_init (&config);
  config.uri =
      gst_raeh_session_ingest_uri (location, "dev 1", "m1", &log_uri, NULL);
  config.timeout_s = 5;
  config.retries = -1;
  config.backoff_initial_s = 0.05;
  config.backoff_jitter = 0;
  gst_raeh_session_start (session, &config);
  gst_sensor_net_ws_config_clear (&config);
  g_free (log_uri);
}

/* A frame of @n 16-bit samples; the slot byte is the session's to write. */
static GstRaehSessionResult
push (GstRaehSession *session, gint64 t0_ms, guint n, GCancellable *c)
{
  guint8 frame[GST_RAEH_FRAME_HEADER_SIZE + 200];
  GstRaehFrameHeader h = { 0xff, t0_ms, n, 0 };

  memset (frame, 0x5a, sizeof frame);
  gst_raeh_frame_header_write (&h, frame);
  return gst_raeh_session_push (session, "ppg_green", frame,
      GST_RAEH_FRAME_HEADER_SIZE + 2 * n, t0_ms, t0_ms + n * 10, c);
}

static void
check_frame (Server *s, guint i, guint slot, gint64 t0_ms, guint conn)
{
  GstRaehFrameHeader h;

  fail_unless (gst_raeh_frame_header_read (
      g_bytes_get_data (g_ptr_array_index (s->frames, i), NULL),
      g_bytes_get_size (g_ptr_array_index (s->frames, i)), &h, NULL));
  fail_unless_equals_int (h.slot_id, slot);
  fail_unless_equals_int64 (h.t0_epoch_ms, t0_ms);
  fail_unless_equals_int (g_array_index (s->frame_conn, guint, i), conn);
}

static guint64
stat_u64 (GstRaehSession *session, const gchar *field)
{
  GstStructure *st = gst_raeh_session_get_stats (session, "x-test-stats");
  guint64 v = G_MAXUINT64;

  fail_unless (gst_structure_get_uint64 (st, field, &v), field);
  gst_structure_free (st);
  return v;
}

/* ---- tests ---- */

GST_START_TEST (test_ingest_uri)
{
  gchar *log_uri = NULL, *uri;
  GError *err = NULL;

  uri = gst_raeh_session_ingest_uri (
      "wss://u:p@h.example:8443/in?x=1", "aa:bb cc", "m/1", &log_uri, &err);
  fail_unless_equals_string (uri,
      "wss://u:p@h.example:8443/in?x=1&device_id=aa%3Abb%20cc"
      "&device_model_id=m%2F1");
  fail_unless_equals_string (log_uri, "wss://h.example:8443/in");
  g_free (uri);
  g_free (log_uri);

  uri = gst_raeh_session_ingest_uri (
      "http://h/in?api_key=secret", "d", "m", &log_uri, &err);
  fail_unless (uri == NULL);
  fail_unless (g_error_matches (err, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT));
  fail_unless_equals_string (
      err->message, "not a ws:// or wss:// URL with a host");
  fail_unless_equals_string (log_uri, "http://h/in");
  g_clear_error (&err);
  g_free (log_uri);
}

GST_END_TEST;

/* The callbacks in order; frames carry the manifest's slot id; the end
 * drains, then closes with 1000; the counters. */
GST_START_TEST (test_handshake_send_finish)
{
  Server *srv = server_new ();
  Log *log = log_new ();
  GstRaehSession *session = gst_raeh_session_new (&callbacks, log);
  g_autofree gchar *events = NULL;
  GstStructure *st;
  guint i;

  server_start (srv);
  start (session, srv->port);
  fail_unless (log_wait (log, "started:sess-a:7"));
  for (i = 0; i < 3; i++)
    fail_unless_equals_int (push (session, 1700000000000 + i * 1000, 100, NULL),
        GST_RAEH_SESSION_OK);
  fail_unless (gst_raeh_session_finish (session, 5));
  fail_unless (server_wait (srv, &srv->closes, 1));
  fail_unless_equals_int (srv->last_close_code, 1000);
  fail_unless_equals_int (srv->frames->len, 3);
  for (i = 0; i < 3; i++)
    check_frame (srv, i, 7, 1700000000000 + i * 1000, 0);
  fail_unless (gst_raeh_session_take_finished (session));
  fail_if (gst_raeh_session_take_finished (session));

  st = gst_raeh_session_get_stats (session, "x-test-stats");
  fail_unless_equals_string (gst_structure_get_name (st), "x-test-stats");
  gst_structure_free (st);
  fail_unless_equals_uint64 (stat_u64 (session, "frames-sent"), 3);
  fail_unless_equals_uint64 (
      stat_u64 (session, "bytes-sent"), 3 * (GST_RAEH_FRAME_HEADER_SIZE + 200));
  fail_unless_equals_uint64 (stat_u64 (session, "dropped"), 0);
  fail_unless_equals_uint64 (stat_u64 (session, "reconnects"), 0);

  gst_raeh_session_stop (session);
  events = log_join (log);
  fail_unless_equals_string (events,
      "state:connecting check:sess-a state:connected started:sess-a:7 "
      "state:closed:stopped");
  gst_raeh_session_free (session);
  log_free (log);
  server_free (srv);
}

GST_END_TEST;

/* 4001 is fatal: the verbatim reason, no reconnect, waits return FATAL. */
static void
never_called (const GstRaehManifest *m, gpointer data)
{
  fail ("called without a manifest");
}

GST_START_TEST (test_close_4001_fatal)
{
  Server *srv = server_new ();
  Log *log = log_new ();
  GstRaehSession *session = gst_raeh_session_new (&callbacks, log);
  gchar *expect;

  srv->close_connection = 0;
  srv->close_after = 1;
  srv->close_code = 4001;
  srv->close_reason = "invalid api key: raeh_x";
  server_start (srv);
  start (session, srv->port);
  fail_unless (log_wait (log, "started:sess-a:7"));
  push (session, 1700000000000, 100, NULL);
  expect = g_strdup_printf (
      "failed:%d:invalid api key: raeh_x:4001", GST_RAEH_SESSION_FAILURE_AUTH);
  fail_unless (log_wait (log, expect));
  g_free (expect);
  fail_unless (log_wait (log, "ended:sess-a:4001:invalid api key: raeh_x"));
  fail_unless (log_wait (
      log, "state:closed:closed with code 4001 \"invalid api key: raeh_x\""));
  fail_unless (gst_raeh_session_is_fatal (session));
  g_usleep (300 * 1000);
  fail_unless_equals_int (srv->connections, 1);
  gst_raeh_session_stop (session);
  /* a failure said "closed" already */
  {
    g_autofree gchar *events = log_join (log);

    fail_if (strstr (events, "stopped") != NULL, events);
  }
  gst_raeh_session_free (session);
  log_free (log);
  server_free (srv);
}

GST_END_TEST;

/* A transient close: counted, reconnected; frames pushed meanwhile wait and
 * go after the new handshake, with its slot id, each once and in order. */
GST_START_TEST (test_transient_reconnect_keeps_frames)
{
  Server *srv = server_new ();
  Log *log = log_new ();
  GstRaehSession *session = gst_raeh_session_new (&callbacks, log);
  guint i;

  srv->handshakes[1] = manifest_b;
  srv->close_connection = 0;
  srv->close_after = 2;
  srv->close_code = 1011;
  srv->close_reason = "server restart";
  srv->hold_second = TRUE;
  server_start (srv);
  start (session, srv->port);
  fail_unless (log_wait (log, "started:sess-a:7"));
  for (i = 0; i < 2; i++)
    push (session, 1700000000000 + i * 1000, 100, NULL);
  fail_unless (log_wait (log, "ended:sess-a:1011:server restart"));
  fail_unless (log_wait (log, "transient:1"));
  fail_unless (server_wait (srv, &srv->connections, 2));
  for (i = 2; i < 5; i++)
    push (session, 1700000000000 + i * 1000, 100, NULL);
  fail_unless_equals_int (srv->frames->len, 2);
  g_main_context_invoke (srv->ctx, release_cb, srv);
  fail_unless (log_wait (log, "started:sess-b:12"));
  fail_unless (server_wait (srv, &srv->frames->len, 5));
  for (i = 0; i < 5; i++)
    check_frame (
        srv, i, i < 2 ? 7 : 12, 1700000000000 + i * 1000, i < 2 ? 0 : 1);
  fail_unless_equals_uint64 (stat_u64 (session, "frames-sent"), 5);
  fail_unless_equals_uint64 (stat_u64 (session, "reconnects"), 1);
  fail_unless_equals_uint64 (stat_u64 (session, "failures"), 1);
  {
    GstStructure *st = gst_raeh_session_get_stats (session, "s");
    guint sessions;
    gint code;

    fail_unless (gst_structure_get_uint (st, "sessions", &sessions));
    fail_unless_equals_int (sessions, 2);
    fail_unless (gst_structure_get_int (st, "last-close-code", &code));
    fail_unless_equals_int (code, 1011);
    fail_unless_equals_string (
        gst_structure_get_string (st, "session-id"), "sess-b");
    gst_structure_free (st);
  }
  gst_raeh_session_free (session);
  log_free (log);
  server_free (srv);
}

GST_END_TEST;

/* No server: the first handshake never comes. The queue keeps
 * max-buffer-time of frames, drops the oldest and says so; a wait for the
 * manifest ends when its cancellable is cancelled. */
static gpointer
wait_manifest_thread (gpointer data)
{
  gpointer *args = data;

  return GINT_TO_POINTER (
      gst_raeh_session_wait_manifest (args[0], args[1], never_called, NULL));
}

GST_START_TEST (test_drop_oldest_and_cancel)
{
  Log *log = log_new ();
  GstRaehSession *session = gst_raeh_session_new (&callbacks, log);
  GCancellable *cancellable = g_cancellable_new ();
  GSocket *sock;
  GInetSocketAddress *addr;
  guint port, i;
  GThread *t;
  gpointer args[2];
  GstStructure *st;
  guint queued, queued_bytes;

  /* a port nobody listens on */
  sock = g_socket_new (
      G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  addr = G_INET_SOCKET_ADDRESS (
      g_inet_socket_address_new_from_string ("127.0.0.1", 0));
  fail_unless (g_socket_bind (sock, G_SOCKET_ADDRESS (addr), FALSE, NULL));
  g_object_unref (addr);
  addr = G_INET_SOCKET_ADDRESS (g_socket_get_local_address (sock, NULL));
  port = g_inet_socket_address_get_port (addr);
  g_object_unref (addr);
  g_object_unref (sock);

  gst_raeh_session_set_max_buffer_time (session, 3 * GST_SECOND);
  start (session, port);
  for (i = 0; i < 10; i++)
    fail_unless_equals_int (push (session, 1700000000000 + i * 1000, 100, NULL),
        GST_RAEH_SESSION_OK);
  fail_unless_equals_uint64 (stat_u64 (session, "dropped"), 7);
  fail_unless_equals_uint64 (stat_u64 (session, "dropped-bytes"),
      7 * (GST_RAEH_FRAME_HEADER_SIZE + 200));
  st = gst_raeh_session_get_stats (session, "s");
  fail_unless (gst_structure_get_uint (st, "queued", &queued));
  fail_unless (gst_structure_get_uint (st, "queued-bytes", &queued_bytes));
  fail_unless_equals_int (queued, 3);
  fail_unless_equals_int (queued_bytes, 3 * (GST_RAEH_FRAME_HEADER_SIZE + 200));
  gst_structure_free (st);
  fail_unless (log_wait (log, "dropped:1700000000000:212"));
  fail_unless (log_wait (log, "dropped:1700000006000:212"));
  {
    g_autofree gchar *events = log_join (log);

    fail_if (strstr (events, "dropped:1700000007000") != NULL, events);
  }

  args[0] = session;
  args[1] = cancellable;
  t = g_thread_new ("wait", wait_manifest_thread, args);
  g_usleep (100 * 1000);
  g_cancellable_cancel (cancellable);
  fail_unless_equals_int (
      GPOINTER_TO_INT (g_thread_join (t)), GST_RAEH_SESSION_CANCELLED);
  /* a push of a cancelled pad is not queued */
  fail_unless_equals_int (push (session, 1700000010000, 100, cancellable),
      GST_RAEH_SESSION_CANCELLED);
  fail_unless (log_wait (log, "transient:1"));
  gst_raeh_session_free (session);
  g_object_unref (cancellable);
  log_free (log);
}

GST_END_TEST;

/* Not started: the manifest func runs at once with NULL. */
static void
take_null (const GstRaehManifest *m, gpointer data)
{
  *(gboolean *) data = m == NULL;
}

GST_START_TEST (test_wait_manifest_idle)
{
  Log *log = log_new ();
  GstRaehSession *session = gst_raeh_session_new (&callbacks, log);
  gboolean was_null = FALSE;

  fail_unless_equals_int (
      gst_raeh_session_wait_manifest (session, NULL, take_null, &was_null),
      GST_RAEH_SESSION_OK);
  fail_unless (was_null);
  gst_raeh_session_free (session);
  fail_unless_equals_int (log->events->len, 0);
  log_free (log);
}

GST_END_TEST;

/* A manifest the streams do not fit: started is reported, connected is
 * not, and the session fails with the owner's sentence. */
GST_START_TEST (test_manifest_mismatch)
{
  Server *srv = server_new ();
  Log *log = log_new ();
  GstRaehSession *session = gst_raeh_session_new (&callbacks, log);
  g_autofree gchar *expect = NULL, *events = NULL;

  log->mismatch = "does not fit";
  server_start (srv);
  start (session, srv->port);
  expect = g_strdup_printf (
      "failed:%d:does not fit:0", GST_RAEH_SESSION_FAILURE_MISMATCH);
  fail_unless (log_wait (log, expect));
  fail_unless (gst_raeh_session_is_fatal (session));
  gst_raeh_session_stop (session);
  events = log_join (log);
  fail_unless_equals_string (events,
      "state:connecting check:sess-a started:sess-a:7 "
      "failed:1:does not fit:0");
  gst_raeh_session_free (session);
  log_free (log);
  server_free (srv);
}

GST_END_TEST;

/* A binary message before the handshake is a handshake failure. */
GST_START_TEST (test_binary_before_handshake)
{
  Server *srv = server_new ();
  Log *log = log_new ();
  GstRaehSession *session = gst_raeh_session_new (&callbacks, log);
  g_autofree gchar *expect = NULL;

  srv->handshakes[0] = "binary";
  server_start (srv);
  start (session, srv->port);
  expect = g_strdup_printf ("failed:%d:a binary message (4 bytes) came "
                            "before the JSON handshake:0",
      GST_RAEH_SESSION_FAILURE_HANDSHAKE);
  fail_unless (log_wait (log, expect));
  fail_unless_equals_int (
      gst_raeh_session_wait_manifest (session, NULL, never_called, NULL),
      GST_RAEH_SESSION_FATAL);
  gst_raeh_session_free (session);
  log_free (log);
  server_free (srv);
}

GST_END_TEST;

static Suite *
raehsession_suite (void)
{
  Suite *s = suite_create ("raehsession");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_ingest_uri);
  tcase_add_test (tc, test_handshake_send_finish);
  tcase_add_test (tc, test_close_4001_fatal);
  tcase_add_test (tc, test_transient_reconnect_keeps_frames);
  tcase_add_test (tc, test_drop_oldest_and_cancel);
  tcase_add_test (tc, test_wait_manifest_idle);
  tcase_add_test (tc, test_manifest_mismatch);
  tcase_add_test (tc, test_binary_before_handshake);
  return s;
}

GST_CHECK_MAIN (raehsession);
