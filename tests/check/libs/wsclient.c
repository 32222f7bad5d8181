/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The shared reconnecting WebSocket client against an in-process libsoup
 * server (own thread and context), a silent TCP listener and the Python
 * websockets echo peer.
 */
#include <gst/check/gstcheck.h>
#include <gst/sensornet/sensornet-ws-client.h>
#include <stdio.h>
#include <string.h>

#include "../sensor-test-tls.h"

#define SECRET "Sup3r s3cret&key=/?#"
#define SECRET_ESCAPED "Sup3r%20s3cret"

/* ---------------------------------------------------------------------- */
/* In-process server                                                       */
/* ---------------------------------------------------------------------- */

typedef struct
{
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  GTlsCertificate *cert;
  guint port;

  GMutex lock;
  GCond cond;
  gboolean ready;
  guint connections;
  gchar *query;
  gchar *authorization;
  gchar *extra;
  gchar *protocol;
  gushort client_close_code;
  gchar *client_close_reason;
  guint client_closes;
  guint messages; /* received from clients */
  GList *conns;
} TestServer;

static void
server_conn_closed (SoupWebsocketConnection *conn, TestServer *ts)
{
  g_mutex_lock (&ts->lock);
  ts->client_close_code = soup_websocket_connection_get_close_code (conn);
  g_free (ts->client_close_reason);
  ts->client_close_reason =
      g_strdup (soup_websocket_connection_get_close_data (conn));
  ts->client_closes++;
  ts->conns = g_list_remove (ts->conns, conn);
  g_cond_broadcast (&ts->cond);
  g_mutex_unlock (&ts->lock);
  g_object_unref (conn);
}

static void
server_echo (
    SoupWebsocketConnection *conn, gint type, GBytes *message, TestServer *ts)
{
  g_mutex_lock (&ts->lock);
  ts->messages++;
  g_mutex_unlock (&ts->lock);
  if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_message (conn, type, message);
}

static void
server_keep (TestServer *ts, SoupWebsocketConnection *conn)
{
  g_object_ref (conn);
  g_signal_connect (conn, "closed", G_CALLBACK (server_conn_closed), ts);
  g_mutex_lock (&ts->lock);
  ts->connections++;
  ts->conns = g_list_prepend (ts->conns, conn);
  g_cond_broadcast (&ts->cond);
  g_mutex_unlock (&ts->lock);
}

static void
ws_echo_cb (SoupServer *server, SoupServerMessage *msg, const char *path,
    SoupWebsocketConnection *conn, gpointer data)
{
  TestServer *ts = data;
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);

  g_mutex_lock (&ts->lock);
  g_free (ts->query);
  ts->query = g_strdup (g_uri_get_query (uri));
  g_free (ts->authorization);
  ts->authorization =
      g_strdup (soup_message_headers_get_one (h, "Authorization"));
  g_free (ts->extra);
  ts->extra = g_strdup (soup_message_headers_get_one (h, "X-Sensor-Test"));
  g_free (ts->protocol);
  ts->protocol = g_strdup (soup_websocket_connection_get_protocol (conn));
  g_mutex_unlock (&ts->lock);

  server_keep (ts, conn);
  g_signal_connect (conn, "message", G_CALLBACK (server_echo), ts);
}

static void
ws_close_4001_cb (SoupServer *server, SoupServerMessage *msg, const char *path,
    SoupWebsocketConnection *conn, gpointer data)
{
  server_keep (data, conn);
  soup_websocket_connection_close (conn, 4001,
      "bye: \"verbatim\" r\xc3\xa9"
      "ason");
}

static void
ws_close_1011_cb (SoupServer *server, SoupServerMessage *msg, const char *path,
    SoupWebsocketConnection *conn, gpointer data)
{
  server_keep (data, conn);
  soup_websocket_connection_close (
      conn, SOUP_WEBSOCKET_CLOSE_SERVER_ERROR, "try again");
}

static void
forbidden_cb (SoupServer *server, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
}

static void
unauthorized_cb (SoupServer *server, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
}

static gpointer
server_thread (gpointer data)
{
  TestServer *ts = data;
  const gchar *protocols[] = { "sensor.v1", NULL };
  GError *error = NULL;
  GInetAddress *lo;
  GSocketAddress *addr;
  GSocket *sock;
  GSList *uris;
  GList *l;

  g_main_context_push_thread_default (ts->context);
  ts->server = soup_server_new (
      "server-header", "sensor-test", "tls-certificate", ts->cert, NULL);
  soup_server_add_websocket_handler (
      ts->server, "/echo", NULL, (gchar **) protocols, ws_echo_cb, ts, NULL);
  soup_server_add_websocket_handler (
      ts->server, "/close4001", NULL, NULL, ws_close_4001_cb, ts, NULL);
  soup_server_add_websocket_handler (
      ts->server, "/close1011", NULL, NULL, ws_close_1011_cb, ts, NULL);
  soup_server_add_handler (ts->server, "/forbidden", forbidden_cb, ts, NULL);
  soup_server_add_handler (
      ts->server, "/unauthorized", unauthorized_cb, ts, NULL);
  /* Our own socket: GSocket's default listen backlog of 10 would drop the
   * SYNs of many clients connecting at once (1 s SYN retries). */
  lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  addr = g_inet_socket_address_new (lo, 0);
  sock = g_socket_new (
      G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_socket_set_listen_backlog (sock, 1024);
  fail_unless (g_socket_bind (sock, addr, FALSE, NULL));
  fail_unless (g_socket_listen (sock, NULL));
  fail_unless (soup_server_listen_socket (ts->server, sock,
                   ts->cert ? SOUP_SERVER_LISTEN_HTTPS : 0, &error),
      "listen: %s", error ? error->message : "");
  g_object_unref (sock);
  g_object_unref (addr);
  g_object_unref (lo);
  uris = soup_server_get_uris (ts->server);
  g_mutex_lock (&ts->lock);
  ts->port = g_uri_get_port (uris->data);
  ts->ready = TRUE;
  g_cond_broadcast (&ts->cond);
  g_mutex_unlock (&ts->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (ts->loop);

  soup_server_disconnect (ts->server);
  g_mutex_lock (&ts->lock);
  l = ts->conns;
  ts->conns = NULL;
  g_mutex_unlock (&ts->lock);
  for (; l; l = g_list_delete_link (l, l)) {
    g_signal_handlers_disconnect_by_data (l->data, ts);
    g_object_unref (l->data);
  }
  g_object_unref (ts->server);
  while (g_main_context_iteration (ts->context, FALSE))
    ;
  g_main_context_pop_thread_default (ts->context);
  return NULL;
}

static TestServer *
test_server_new_full (gboolean tls)
{
  TestServer *ts = g_new0 (TestServer, 1);

  if (tls)
    ts->cert = sensor_test_tls_certificate ();

  g_mutex_init (&ts->lock);
  g_cond_init (&ts->cond);
  ts->context = g_main_context_new ();
  ts->loop = g_main_loop_new (ts->context, FALSE);
  ts->thread = g_thread_new ("test-server", server_thread, ts);
  g_mutex_lock (&ts->lock);
  while (!ts->ready)
    g_cond_wait (&ts->cond, &ts->lock);
  g_mutex_unlock (&ts->lock);
  return ts;
}

static TestServer *
test_server_new (void)
{
  return test_server_new_full (FALSE);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
test_server_free (TestServer *ts)
{
  GSource *s = g_idle_source_new ();

  g_source_set_callback (s, quit_cb, ts->loop, NULL);
  g_source_attach (s, ts->context);
  g_source_unref (s);
  g_thread_join (ts->thread);
  g_main_loop_unref (ts->loop);
  g_main_context_unref (ts->context);
  g_clear_object (&ts->cert);
  g_free (ts->query);
  g_free (ts->authorization);
  g_free (ts->extra);
  g_free (ts->protocol);
  g_free (ts->client_close_reason);
  g_mutex_clear (&ts->lock);
  g_cond_clear (&ts->cond);
  g_free (ts);
}

static gchar *
test_server_uri (TestServer *ts, const gchar *path)
{
  return g_strdup_printf (
      "%s://127.0.0.1:%u%s", ts->cert ? "wss" : "ws", ts->port, path);
}

/* ---------------------------------------------------------------------- */
/* Callback probe                                                          */
/* ---------------------------------------------------------------------- */

typedef struct
{
  GMutex lock;
  GCond cond;
  GstSensorNetWsClient *client;
  GThread *cb_thread;
  gboolean thread_mismatch;
  guint opened, closed, reconnecting, gave_up, messages;
  GPtrArray *payloads;
  GArray *types;
  gushort close_code;
  gchar *close_reason;
  guint http_status;
  GError *error;
  GArray *delays;
  GArray *attempts;
  GstSensorNetWsCloseAction action;
  gboolean stop_in_opened;
  gboolean stop_in_message;
  gboolean stop_in_closed;
  gboolean stop_returned;
  gboolean free_in_closed;
  gint64 closed_at_us;
  gint64 opened_at_us;
  gboolean notified;
} Probe;

static Probe *
probe_new (void)
{
  Probe *p = g_new0 (Probe, 1);

  g_mutex_init (&p->lock);
  g_cond_init (&p->cond);
  p->payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  p->types = g_array_new (FALSE, FALSE, sizeof (gint));
  p->delays = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  p->attempts = g_array_new (FALSE, FALSE, sizeof (guint));
  p->action = GST_SENSOR_NET_WS_CLOSE_STOP;
  return p;
}

static void
probe_free (Probe *p)
{
  g_ptr_array_unref (p->payloads);
  g_array_unref (p->types);
  g_array_unref (p->delays);
  g_array_unref (p->attempts);
  g_free (p->close_reason);
  g_clear_error (&p->error);
  g_mutex_clear (&p->lock);
  g_cond_clear (&p->cond);
  g_free (p);
}

static void
probe_notify (gpointer data)
{
  Probe *p = data;

  g_mutex_lock (&p->lock);
  p->notified = TRUE;
  g_mutex_unlock (&p->lock);
}

/* A stop or free called from inside a callback came back. */
static void
probe_mark_stop_returned (Probe *p)
{
  g_mutex_lock (&p->lock);
  p->stop_returned = TRUE;
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

/* Locked; every callback must come from the same (network) thread. */
static void
probe_thread (Probe *p)
{
  if (p->cb_thread == NULL)
    p->cb_thread = g_thread_self ();
  else if (p->cb_thread != g_thread_self ())
    p->thread_mismatch = TRUE;
}

static void
probe_opened (GstSensorNetWsClient *client, gpointer data)
{
  Probe *p = data;

  fail_unless (gst_sensor_net_ws_client_is_connected (client));
  g_mutex_lock (&p->lock);
  probe_thread (p);
  p->opened++;
  p->opened_at_us = g_get_monotonic_time ();
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
  if (p->stop_in_opened) {
    gst_sensor_net_ws_client_stop (client, 4000, "stopped in opened");
    probe_mark_stop_returned (p);
  }
}

static void
probe_message (GstSensorNetWsClient *client, SoupWebsocketDataType type,
    GBytes *payload, gpointer data)
{
  Probe *p = data;
  gint t = type;

  g_mutex_lock (&p->lock);
  probe_thread (p);
  p->messages++;
  g_ptr_array_add (p->payloads, g_bytes_ref (payload));
  g_array_append_val (p->types, t);
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
  if (p->stop_in_message) {
    gst_sensor_net_ws_client_stop (client, 1000, "stopped in message");
    probe_mark_stop_returned (p);
  }
}

static GstSensorNetWsCloseAction
probe_closed (GstSensorNetWsClient *client, const GstSensorNetWsCloseInfo *info,
    gpointer data)
{
  Probe *p = data;
  GstSensorNetWsCloseAction action;

  fail_unless (info->close_reason != NULL);
  g_mutex_lock (&p->lock);
  probe_thread (p);
  p->closed++;
  p->close_code = info->close_code;
  g_free (p->close_reason);
  p->close_reason = g_strdup (info->close_reason);
  p->http_status = info->http_status;
  g_clear_error (&p->error);
  if (info->error)
    p->error = g_error_copy (info->error);
  p->closed_at_us = g_get_monotonic_time ();
  action = p->action;
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
  if (p->free_in_closed) {
    gst_sensor_net_ws_client_free (client);
    probe_mark_stop_returned (p);
  }
  if (p->stop_in_closed) {
    gst_sensor_net_ws_client_stop (client, 1000, NULL);
    probe_mark_stop_returned (p);
  }
  return action;
}

static void
probe_reconnecting (GstSensorNetWsClient *client, guint attempt,
    GstClockTime delay, gpointer data)
{
  Probe *p = data;

  g_mutex_lock (&p->lock);
  probe_thread (p);
  p->reconnecting++;
  g_array_append_val (p->delays, delay);
  g_array_append_val (p->attempts, attempt);
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

static void
probe_gave_up (GstSensorNetWsClient *client, gpointer data)
{
  Probe *p = data;

  g_mutex_lock (&p->lock);
  probe_thread (p);
  p->gave_up++;
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

static const GstSensorNetWsCallbacks probe_callbacks = { probe_opened,
  probe_message, probe_closed, probe_reconnecting, probe_gave_up };

#define PROBE_WAIT(obj, expr)                                                  \
  G_STMT_START                                                                 \
  {                                                                            \
    gint64 _end = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;           \
    gboolean _ok;                                                              \
    g_mutex_lock (&(obj)->lock);                                               \
    while (!(expr) && g_cond_wait_until (&(obj)->cond, &(obj)->lock, _end))    \
      ;                                                                        \
    _ok = (expr);                                                              \
    g_mutex_unlock (&(obj)->lock);                                             \
    fail_unless (_ok, "timed out waiting for " #expr);                         \
  }                                                                            \
  G_STMT_END

#define SERVER_WAIT(ts, cond) PROBE_WAIT (ts, cond)

static void
config_for (GstSensorNetWsConfig *config, const gchar *uri)
{
  gst_sensor_net_ws_config_init (config);
  config->uri = g_strdup (uri);
  config->timeout_s = 5;
  config->retries = 0;
  config->backoff_initial_s = 0.05;
  config->backoff_jitter = 0.0;
}

static GstSensorNetWsClient *
start_client (Probe *p, const gchar *uri, GstSensorNetWsConfig *override)
{
  GstSensorNetWsConfig config;
  GstSensorNetWsClient *client;

  if (override) {
    client = gst_sensor_net_ws_client_new (
        override, &probe_callbacks, p, probe_notify);
  } else {
    config_for (&config, uri);
    client = gst_sensor_net_ws_client_new (
        &config, &probe_callbacks, p, probe_notify);
    gst_sensor_net_ws_config_clear (&config);
  }
  p->client = client;
  gst_sensor_net_ws_client_start (client);
  return client;
}

static gboolean
bytes_equal_str (GBytes *b, const gchar *s)
{
  gsize len;
  const gchar *data = g_bytes_get_data (b, &len);

  return len == strlen (s) && memcmp (data, s, len) == 0;
}

/* ---------------------------------------------------------------------- */
/* Tests                                                                   */
/* ---------------------------------------------------------------------- */

/* A TCP socket listening on a free loopback port; @port is set to it. */
static GSocket *
listen_loopback (guint *port)
{
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *addr = g_inet_socket_address_new (lo, 0), *bound;
  GSocket *sock = g_socket_new (
      G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);

  fail_unless (g_socket_bind (sock, addr, FALSE, NULL));
  fail_unless (g_socket_listen (sock, NULL));
  bound = g_socket_get_local_address (sock, NULL);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_object_unref (bound);
  g_object_unref (addr);
  g_object_unref (lo);
  return sock;
}

GST_START_TEST (test_echo_text_binary)
{
  TestServer *ts = test_server_new ();
  Probe *p = probe_new ();
  gchar *uri = test_server_uri (ts, "/echo");
  GstSensorNetWsClient *client;
  guint8 bin[256];
  GBytes *b;
  guint i;

  for (i = 0; i < sizeof (bin); i++)
    bin[i] = i;
  client = start_client (p, uri, NULL);
  b = g_bytes_new_static ("x", 1);
  /* nothing is queued before the socket is open */
  if (!gst_sensor_net_ws_client_is_connected (client))
    fail_if (
        gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_TEXT, b));
  g_bytes_unref (b);
  PROBE_WAIT (p, p->opened == 1);
  fail_unless (gst_sensor_net_ws_client_is_connected (client));

  b = g_bytes_new_static ("hello sensor", 12);
  fail_unless (
      gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_TEXT, b));
  g_bytes_unref (b);
  b = g_bytes_new (bin, sizeof (bin));
  fail_unless (
      gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_BINARY, b));
  PROBE_WAIT (p, p->messages == 2);
  fail_unless (bytes_equal_str (p->payloads->pdata[0], "hello sensor"));
  fail_unless_equals_int (
      g_array_index (p->types, gint, 0), SOUP_WEBSOCKET_DATA_TEXT);
  fail_unless (g_bytes_equal (p->payloads->pdata[1], b));
  fail_unless_equals_int (
      g_array_index (p->types, gint, 1), SOUP_WEBSOCKET_DATA_BINARY);
  g_bytes_unref (b);
  fail_unless_equals_int (
      gst_sensor_net_ws_client_get_pending_bytes (client), 0);
  /* none offered, none chosen */
  fail_unless (gst_sensor_net_ws_client_dup_protocol (client) == NULL);

  gst_sensor_net_ws_client_stop (client, 1000, "bye");
  fail_if (gst_sensor_net_ws_client_is_connected (client));
  b = g_bytes_new_static ("late", 4);
  fail_if (gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_TEXT, b));
  g_bytes_unref (b);
  SERVER_WAIT (ts, ts->client_closes == 1);
  fail_unless_equals_int (ts->client_close_code, 1000);
  fail_unless_equals_string (ts->client_close_reason, "bye");
  /* stop() is final: no closed callback for our own close */
  fail_unless_equals_int (p->closed, 0);
  fail_unless_equals_int (p->gave_up, 0);
  fail_if (p->notified);
  gst_sensor_net_ws_client_free (client);
  fail_unless (p->notified);
  fail_if (p->thread_mismatch);
  fail_if (p->cb_thread == g_thread_self ());

  g_free (uri);
  probe_free (p);
  test_server_free (ts);
}

GST_END_TEST;

GST_START_TEST (test_send_order)
{
  TestServer *ts = test_server_new ();
  Probe *p = probe_new ();
  gchar *uri = test_server_uri (ts, "/echo");
  GstSensorNetWsClient *client = start_client (p, uri, NULL);
  guint i;

  PROBE_WAIT (p, p->opened == 1);
  for (i = 0; i < 1000; i++) {
    gchar *s = g_strdup_printf ("%u", i);
    GBytes *b = g_bytes_new_take (s, strlen (s));

    fail_unless (gst_sensor_net_ws_client_send (client,
        i % 2 ? SOUP_WEBSOCKET_DATA_BINARY : SOUP_WEBSOCKET_DATA_TEXT, b));
    g_bytes_unref (b);
  }
  PROBE_WAIT (p, p->messages == 1000);
  for (i = 0; i < 1000; i++) {
    gchar *s = g_strdup_printf ("%u", i);

    fail_unless (bytes_equal_str (p->payloads->pdata[i], s),
        "message %u out of order", i);
    fail_unless_equals_int (g_array_index (p->types, gint, i),
        i % 2 ? SOUP_WEBSOCKET_DATA_BINARY : SOUP_WEBSOCKET_DATA_TEXT);
    g_free (s);
  }
  fail_unless_equals_int (
      gst_sensor_net_ws_client_get_pending_bytes (client), 0);
  gst_sensor_net_ws_client_free (client);
  g_free (uri);
  probe_free (p);
  test_server_free (ts);
}

GST_END_TEST;

static GString *captured_log;
static GMutex captured_lock;

static void
capture_log (GstDebugCategory *category, GstDebugLevel level, const gchar *file,
    const gchar *function, gint line, GObject *object, GstDebugMessage *message,
    gpointer user_data)
{
  g_mutex_lock (&captured_lock);
  if (captured_log)
    g_string_append_printf (captured_log, "%s %s:%d %s\n",
        gst_debug_category_get_name (category), function, line,
        gst_debug_message_get (message));
  g_mutex_unlock (&captured_lock);
}

static void
check_auth (GstSensorNetWsAuth auth)
{
  TestServer *ts = test_server_new ();
  Probe *p = probe_new ();
  gchar *uri = test_server_uri (ts, "/echo?x=1");
  const gchar *headers[] = { "X-Sensor-Test: hello there", "bogus", NULL };
  const gchar *protocols[] = { "other", "sensor.v1", NULL };
  GstSensorNetWsConfig config;
  GstSensorNetWsClient *client;
  GHashTable *params;
  GstDebugLevel old_level = gst_debug_get_default_threshold ();
  gchar *proto;
  gchar *log;

  captured_log = g_string_new (NULL);
  gst_debug_remove_log_function (gst_debug_log_default);
  gst_debug_add_log_function (capture_log, NULL, NULL);
  /* GST_DEBUG=*:9 for the whole run (patterns beat the default level) */
  gst_debug_set_default_threshold (GST_LEVEL_MEMDUMP);
  gst_debug_set_threshold_from_string ("*:9", TRUE);

  config_for (&config, uri);
  config.auth = auth;
  config.auth_query_name = g_strdup ("api_key");
  config.secret = g_strdup (SECRET);
  config.extra_headers = g_strdupv ((gchar **) headers);
  config.protocols = g_strdupv ((gchar **) protocols);
  client = start_client (p, NULL, &config);
  gst_sensor_net_ws_config_clear (&config);
  PROBE_WAIT (p, p->opened == 1);
  proto = gst_sensor_net_ws_client_dup_protocol (client);
  fail_unless_equals_string (proto, "sensor.v1");
  g_free (proto);
  gst_sensor_net_ws_client_free (client);

  gst_debug_set_default_threshold (old_level);
  gst_debug_set_threshold_from_string (
      g_getenv ("GST_DEBUG") ? g_getenv ("GST_DEBUG") : "", TRUE);
  gst_debug_remove_log_function (capture_log);
  gst_debug_add_log_function (gst_debug_log_default, NULL, NULL);

  g_mutex_lock (&ts->lock);
  params = g_uri_parse_params (ts->query, -1, "&", G_URI_PARAMS_NONE, NULL);
  fail_unless (params != NULL);
  fail_unless_equals_string (g_hash_table_lookup (params, "x"), "1");
  if (auth == GST_SENSOR_NET_WS_AUTH_QUERY) {
    fail_unless_equals_string (g_hash_table_lookup (params, "api_key"), SECRET);
    fail_unless (ts->authorization == NULL);
  } else {
    fail_if (g_hash_table_contains (params, "api_key"));
    fail_unless_equals_string (ts->authorization, "Bearer " SECRET);
  }
  g_hash_table_unref (params);
  fail_unless_equals_string (ts->extra, "hello there");
  fail_unless_equals_string (ts->protocol, "sensor.v1");
  g_mutex_unlock (&ts->lock);

  g_mutex_lock (&captured_lock);
  log = g_string_free (captured_log, FALSE);
  captured_log = NULL;
  g_mutex_unlock (&captured_lock);
  fail_unless (strstr (log, "sensorws") != NULL);
  fail_unless (strstr (log, "connecting to") != NULL);
  fail_unless (strstr (log, "/echo?x=1") != NULL);
  fail_if (strstr (log, "Sup3r") != NULL, "secret in log");
  fail_if (strstr (log, SECRET_ESCAPED) != NULL);
  g_free (log);

  g_free (uri);
  probe_free (p);
  test_server_free (ts);
}

GST_START_TEST (test_auth_query)
{
  check_auth (GST_SENSOR_NET_WS_AUTH_QUERY);
}

GST_END_TEST;

GST_START_TEST (test_auth_header)
{
  check_auth (GST_SENSOR_NET_WS_AUTH_HEADER);
}

GST_END_TEST;

GST_START_TEST (test_server_close_code)
{
  TestServer *ts = test_server_new ();
  Probe *p = probe_new ();
  gchar *uri = test_server_uri (ts, "/close4001");
  GstSensorNetWsClient *client = start_client (p, uri, NULL);

  PROBE_WAIT (p, p->closed == 1);
  fail_unless_equals_int (p->opened, 1);
  fail_unless_equals_int (p->close_code, 4001);
  fail_unless_equals_string (p->close_reason,
      "bye: \"verbatim\" r\xc3\xa9"
      "ason");
  fail_unless_equals_int (p->http_status, 0);
  fail_unless (p->error == NULL);
  /* the closed callback said STOP */
  PROBE_WAIT (p, p->gave_up == 1);
  fail_unless_equals_int (p->reconnecting, 0);
  fail_if (gst_sensor_net_ws_client_is_connected (client));
  gst_sensor_net_ws_client_free (client);
  g_free (uri);
  probe_free (p);
  test_server_free (ts);
}

GST_END_TEST;

GST_START_TEST (test_reconnect_backoff_then_give_up)
{
  TestServer *ts = test_server_new ();
  Probe *p = probe_new ();
  gchar *uri = test_server_uri (ts, "/close1011");
  GstSensorNetWsConfig config;
  GstSensorNetWsClient *client;
  guint i;

  config_for (&config, uri);
  config.retries = 3;
  config.backoff_initial_s = 0.05;
  config.backoff_factor = 2.0;
  config.backoff_max_s = 0.15;
  p->action = GST_SENSOR_NET_WS_CLOSE_RECONNECT;
  client = start_client (p, NULL, &config);
  gst_sensor_net_ws_config_clear (&config);

  PROBE_WAIT (p, p->gave_up == 1);
  fail_unless_equals_int (p->opened, 4);
  fail_unless_equals_int (p->closed, 4);
  fail_unless_equals_int (p->close_code, 1011);
  fail_unless_equals_string (p->close_reason, "try again");
  fail_unless_equals_int (p->reconnecting, 3);
  fail_unless_equals_int (ts->connections, 4);
  for (i = 0; i < 3; i++)
    fail_unless_equals_int (g_array_index (p->attempts, guint, i), i + 1);
  fail_unless_equals_uint64 (
      g_array_index (p->delays, GstClockTime, 0), 50 * GST_MSECOND);
  fail_unless_equals_uint64 (
      g_array_index (p->delays, GstClockTime, 1), 100 * GST_MSECOND);
  /* capped by backoff_max_s */
  fail_unless_equals_uint64 (
      g_array_index (p->delays, GstClockTime, 2), 150 * GST_MSECOND);
  gst_sensor_net_ws_client_free (client);
  fail_if (p->thread_mismatch);
  g_free (uri);
  probe_free (p);
  test_server_free (ts);
}

GST_END_TEST;

/* With backoff_stable_s 0 a successful upgrade resets the backoff: every
 * reconnect after an open starts again from the first delay. */
GST_START_TEST (test_reconnect_forever_with_jitter)
{
  TestServer *ts = test_server_new ();
  Probe *p = probe_new ();
  gchar *uri = test_server_uri (ts, "/close1011");
  GstSensorNetWsConfig config;
  GstSensorNetWsClient *client;
  guint i;

  config_for (&config, uri);
  config.retries = -1;
  config.backoff_initial_s = 0.02;
  config.backoff_jitter = 0.5;
  config.backoff_stable_s = 0.0;
  p->action = GST_SENSOR_NET_WS_CLOSE_RECONNECT;
  client = start_client (p, NULL, &config);
  gst_sensor_net_ws_config_clear (&config);

  PROBE_WAIT (p, p->reconnecting >= 5);
  gst_sensor_net_ws_client_stop (client, 1000, NULL);
  g_mutex_lock (&p->lock);
  for (i = 0; i < p->delays->len; i++) {
    GstClockTime d = g_array_index (p->delays, GstClockTime, i);

    fail_unless_equals_int (g_array_index (p->attempts, guint, i), 1);
    fail_unless (d >= 10 * GST_MSECOND && d <= 30 * GST_MSECOND);
  }
  g_mutex_unlock (&p->lock);
  fail_unless_equals_int (p->gave_up, 0);
  gst_sensor_net_ws_client_free (client);
  g_free (uri);
  probe_free (p);
  test_server_free (ts);
}

GST_END_TEST;

/* Nothing listens: every attempt fails with a GIOError, retries counted. */
GST_START_TEST (test_refused_retries_exhausted)
{
  Probe *p = probe_new ();
  GSocket *sock;
  GSocketAddress *addr, *bound;
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GstSensorNetWsClient *client;
  GstSensorNetWsConfig config;
  gchar *uri;

  /* a port that was free a moment ago */
  sock = g_socket_new (
      G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  addr = g_inet_socket_address_new (lo, 0);
  fail_unless (g_socket_bind (sock, addr, FALSE, NULL));
  bound = g_socket_get_local_address (sock, NULL);
  uri = g_strdup_printf ("ws://127.0.0.1:%u/",
      g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_object_unref (sock);

  config_for (&config, uri);
  config.retries = 2;
  p->action = GST_SENSOR_NET_WS_CLOSE_RECONNECT;
  client = start_client (p, NULL, &config);
  gst_sensor_net_ws_config_clear (&config);
  PROBE_WAIT (p, p->gave_up == 1);
  fail_unless_equals_int (p->opened, 0);
  fail_unless_equals_int (p->closed, 3);
  fail_unless_equals_int (p->reconnecting, 2);
  fail_unless (p->error != NULL);
  fail_unless_equals_int (p->error->domain, G_IO_ERROR);
  fail_unless_equals_int (p->error->code, G_IO_ERROR_CONNECTION_REFUSED);
  fail_unless_equals_int (p->http_status, 0);
  fail_unless_equals_int (p->close_code, 0);
  gst_sensor_net_ws_client_free (client);

  g_object_unref (bound);
  g_object_unref (addr);
  g_object_unref (lo);
  g_free (uri);
  probe_free (p);
}

GST_END_TEST;

GST_START_TEST (test_upgrade_refused_403)
{
  TestServer *ts = test_server_new ();
  Probe *p = probe_new ();
  gchar *uri = test_server_uri (ts, "/forbidden");
  GstSensorNetWsClient *client = start_client (p, uri, NULL);

  PROBE_WAIT (p, p->closed == 1);
  fail_unless_equals_int (p->opened, 0);
  fail_unless_equals_int (p->http_status, 403);
  fail_unless (p->error != NULL);
  fail_unless_equals_int (p->close_code, 0);
  PROBE_WAIT (p, p->gave_up == 1);
  gst_sensor_net_ws_client_free (client);
  g_free (uri);
  probe_free (p);
  test_server_free (ts);
}

GST_END_TEST;

/* The status of a refused upgrade reaches the element as it did through
 * libsoup's own upgrade: 401 and 404 (an unknown path). */
GST_START_TEST (test_upgrade_refused_401_404)
{
  TestServer *ts = test_server_new ();
  const gchar *paths[] = { "/unauthorized", "/nothing-here" };
  const guint statuses[] = { 401, 404 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (paths); i++) {
    Probe *p = probe_new ();
    gchar *uri = test_server_uri (ts, paths[i]);
    GstSensorNetWsClient *client = start_client (p, uri, NULL);

    PROBE_WAIT (p, p->gave_up == 1);
    fail_unless_equals_int (p->opened, 0);
    fail_unless_equals_int (p->http_status, statuses[i]);
    fail_unless (g_error_matches (p->error, SOUP_WEBSOCKET_ERROR,
                     SOUP_WEBSOCKET_ERROR_NOT_WEBSOCKET),
        "%s", p->error ? p->error->message : "no error");
    fail_unless_equals_int (p->close_code, 0);
    gst_sensor_net_ws_client_free (client);
    g_free (uri);
    probe_free (p);
  }
  test_server_free (ts);
}

GST_END_TEST;

/* The kernel accepts the TCP connection (listen backlog) but nobody ever
 * reads the upgrade request. */
GST_START_TEST (test_silent_server_times_out)
{
  Probe *p = probe_new ();
  GSocket *sock;
  GstSensorNetWsClient *client;
  GstSensorNetWsConfig config;
  gchar *uri;
  gint64 start;
  guint port;

  sock = listen_loopback (&port);
  uri = g_strdup_printf ("ws://127.0.0.1:%u/", port);

  config_for (&config, uri);
  config.timeout_s = 1;
  start = g_get_monotonic_time ();
  client = start_client (p, NULL, &config);
  gst_sensor_net_ws_config_clear (&config);
  PROBE_WAIT (p, p->closed == 1);
  fail_unless (p->error != NULL);
  fail_unless (g_error_matches (p->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT),
      "unexpected error %s", p->error->message);
  fail_unless_equals_int (p->http_status, 0);
  /* fired by the timeout, not by something else much later or earlier */
  fail_unless (p->closed_at_us - start >= 900 * G_TIME_SPAN_MILLISECOND);
  fail_unless (p->closed_at_us - start < 10 * G_TIME_SPAN_SECOND);
  gst_sensor_net_ws_client_free (client);

  g_object_unref (sock);
  g_free (uri);
  probe_free (p);
}

GST_END_TEST;

GST_START_TEST (test_stop_inside_callbacks)
{
  TestServer *ts = test_server_new ();
  gchar *uri = test_server_uri (ts, "/echo");
  Probe *p;
  GstSensorNetWsClient *client;
  GBytes *b;

  /* from opened */
  p = probe_new ();
  p->stop_in_opened = TRUE;
  client = start_client (p, uri, NULL);
  PROBE_WAIT (p, p->stop_returned);
  SERVER_WAIT (ts, ts->client_closes == 1);
  fail_unless_equals_int (ts->client_close_code, 4000);
  fail_unless_equals_string (ts->client_close_reason, "stopped in opened");
  fail_if (gst_sensor_net_ws_client_is_connected (client));
  gst_sensor_net_ws_client_stop (client, 1000, NULL); /* idempotent */
  gst_sensor_net_ws_client_free (client);
  fail_unless_equals_int (p->closed, 0);
  probe_free (p);

  /* from message */
  p = probe_new ();
  p->stop_in_message = TRUE;
  client = start_client (p, uri, NULL);
  PROBE_WAIT (p, p->opened == 1);
  b = g_bytes_new_static ("ping me", 7);
  fail_unless (
      gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_TEXT, b));
  /* FALSE when the first echo already stopped the client (slow machine) */
  gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_TEXT, b);
  g_bytes_unref (b);
  PROBE_WAIT (p, p->stop_returned);
  SERVER_WAIT (ts, ts->client_closes == 2);
  fail_unless_equals_int (ts->client_close_code, 1000);
  /* a second echo arriving after stop() is not delivered */
  fail_unless_equals_int (p->messages, 1);
  gst_sensor_net_ws_client_free (client);
  fail_unless_equals_int (p->messages, 1);
  fail_unless_equals_int (p->closed, 0);
  probe_free (p);
  g_free (uri);

  /* from closed */
  uri = test_server_uri (ts, "/close1011");
  p = probe_new ();
  p->stop_in_closed = TRUE;
  p->action = GST_SENSOR_NET_WS_CLOSE_RECONNECT;
  client = start_client (p, uri, NULL);
  PROBE_WAIT (p, p->stop_returned);
  gst_sensor_net_ws_client_free (client);
  fail_unless_equals_int (p->closed, 1);
  fail_unless_equals_int (p->reconnecting, 0);
  fail_unless_equals_int (p->gave_up, 0);
  probe_free (p);
  g_free (uri);

  test_server_free (ts);
}

GST_END_TEST;

GST_START_TEST (test_stop_never_started)
{
  Probe *p = probe_new ();
  GstSensorNetWsConfig config;
  GstSensorNetWsClient *client;

  config_for (&config, "ws://127.0.0.1:9/");
  client =
      gst_sensor_net_ws_client_new (&config, &probe_callbacks, p, probe_notify);
  gst_sensor_net_ws_config_clear (&config);
  fail_if (gst_sensor_net_ws_client_is_connected (client));
  gst_sensor_net_ws_client_stop (client, 1000, NULL);
  gst_sensor_net_ws_client_start (client); /* ignored after stop */
  gst_sensor_net_ws_client_free (client);
  fail_unless (p->notified);
  fail_unless_equals_int (p->opened + p->closed + p->gave_up, 0);
  probe_free (p);

  /* free() alone stops */
  p = probe_new ();
  config_for (&config, "ws://127.0.0.1:9/");
  client = gst_sensor_net_ws_client_new (&config, NULL, p, probe_notify);
  gst_sensor_net_ws_config_clear (&config);
  gst_sensor_net_ws_client_free (client);
  fail_unless (p->notified);
  probe_free (p);
}

GST_END_TEST;

/* stop() racing a connect in progress, from another thread. */
GST_START_TEST (test_stop_while_connecting)
{
  TestServer *ts = test_server_new ();
  gchar *uri = test_server_uri (ts, "/echo");
  guint i;

  for (i = 0; i < 20; i++) {
    Probe *p = probe_new ();
    GstSensorNetWsClient *client = start_client (p, uri, NULL);
    guint opened;

    if (i % 2)
      g_usleep (i * 100);
    gst_sensor_net_ws_client_stop (client, 1000, NULL);
    g_mutex_lock (&p->lock);
    opened = p->opened;
    g_mutex_unlock (&p->lock);
    g_usleep (2000);
    /* no callback after stop() returned */
    fail_unless_equals_int (p->opened, opened);
    fail_unless_equals_int (p->closed, 0);
    gst_sensor_net_ws_client_free (client);
    probe_free (p);
  }
  g_free (uri);
  test_server_free (ts);
}

GST_END_TEST;

#ifndef N_CLIENTS
#define N_CLIENTS 200
#endif

GST_START_TEST (test_many_clients_one_thread)
{
  TestServer *ts = test_server_new ();
  gchar *uri = test_server_uri (ts, "/echo");
  GstSensorNetWsClient *clients[N_CLIENTS];
  Probe *p = probe_new ();
  GMainContext *ctx1, *ctx2;
  guint i;

  GstSensorNetWsConfig config;

  /* one probe for all: its thread check spans every client */
  config_for (&config, uri);
  config.timeout_s = 30;
  for (i = 0; i < N_CLIENTS; i++)
    clients[i] = start_client (p, NULL, &config);
  gst_sensor_net_ws_config_clear (&config);
  PROBE_WAIT (p, p->opened == N_CLIENTS);
  for (i = 0; i < N_CLIENTS; i++) {
    GBytes *b = g_bytes_new_static ("x", 1);

    fail_unless (gst_sensor_net_ws_client_send (
        clients[i], SOUP_WEBSOCKET_DATA_BINARY, b));
    g_bytes_unref (b);
  }
  PROBE_WAIT (p, p->messages == N_CLIENTS);
  fail_if (p->thread_mismatch, "callbacks ran on more than one thread");
  fail_if (p->cb_thread == g_thread_self ());

  ctx1 = gst_sensor_net_context_ref ();
  ctx2 = gst_sensor_net_context_ref ();
  fail_unless (ctx1 == ctx2);
  gst_sensor_net_context_unref (ctx2);
  gst_sensor_net_context_unref (ctx1);

  for (i = 0; i < N_CLIENTS; i++)
    gst_sensor_net_ws_client_free (clients[i]);
  fail_unless_equals_int (p->closed, 0);
  SERVER_WAIT (ts, ts->client_closes == N_CLIENTS);
  g_free (uri);
  probe_free (p);
  test_server_free (ts);
}

GST_END_TEST;

/* The shared context serves element timers beside the callbacks. */
static gboolean
timer_on_net_thread (gpointer data)
{
  Probe *p = data;

  g_mutex_lock (&p->lock);
  probe_thread (p);
  p->opened++;
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
  return G_SOURCE_REMOVE;
}

GST_START_TEST (test_net_context_timer)
{
  Probe *p = probe_new ();
  GMainContext *ctx = gst_sensor_net_context_ref ();
  GSource *s = g_timeout_source_new (10);

  g_source_set_callback (s, timer_on_net_thread, p, NULL);
  g_source_attach (s, ctx);
  g_source_unref (s);
  PROBE_WAIT (p, p->opened == 1);
  fail_if (p->cb_thread == g_thread_self ());
  gst_sensor_net_context_unref (ctx);
  probe_free (p);
}

GST_END_TEST;

static GstSensorNetWsClient *
start_tls_client (
    Probe *p, TestServer *ts, gboolean strict, const gchar *ca_file)
{
  GstSensorNetWsConfig config;
  GstSensorNetWsClient *client;
  gchar *uri = test_server_uri (ts, "/echo");

  config_for (&config, uri);
  config.tls_strict = strict;
  config.ca_file = g_strdup (ca_file);
  client = start_client (p, NULL, &config);
  gst_sensor_net_ws_config_clear (&config);
  g_free (uri);
  return client;
}

GST_START_TEST (test_tls)
{
  TestServer *ts = test_server_new_full (TRUE);
  gchar *ca = sensor_test_tls_certificate_file ();
  Probe *p;
  GstSensorNetWsClient *client;
  GBytes *b;

  /* self-signed, strict, system store only: refused */
  p = probe_new ();
  client = start_tls_client (p, ts, TRUE, NULL);
  PROBE_WAIT (p, p->closed == 1);
  fail_unless_equals_int (p->opened, 0);
  fail_unless (p->error != NULL);
  fail_unless_equals_int (p->error->domain, G_TLS_ERROR);
  fail_unless_equals_int (p->error->code, G_TLS_ERROR_BAD_CERTIFICATE);
  {
    GError *refused = g_error_new_literal (
        G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "refused");
    GstSensorNetWsCloseInfo tls = { 0, "", 0, p->error };
    GstSensorNetWsCloseInfo net = { 0, "", 0, refused };
    GstSensorNetWsCloseInfo clean = { 1000, "bye", 0, NULL };

    /* the policy elements share: only the TLS failure is final */
    fail_unless (gst_sensor_net_ws_close_info_is_tls_failure (&tls));
    fail_if (gst_sensor_net_ws_close_info_is_tls_failure (&net));
    fail_if (gst_sensor_net_ws_close_info_is_tls_failure (&clean));
    g_error_free (refused);
  }
  gst_sensor_net_ws_client_free (client);
  probe_free (p);

  /* not strict: accepted, and data flows */
  p = probe_new ();
  client = start_tls_client (p, ts, FALSE, NULL);
  PROBE_WAIT (p, p->opened == 1);
  b = g_bytes_new_static ("over tls", 8);
  fail_unless (
      gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_TEXT, b));
  g_bytes_unref (b);
  PROBE_WAIT (p, p->messages == 1);
  fail_unless (bytes_equal_str (p->payloads->pdata[0], "over tls"));
  /* a burst goes out corked on the TCP socket under TLS: all of it, in
   * order */
  {
    guint i;

    for (i = 0; i < 300; i++) {
      gchar *s = g_strdup_printf ("tls %u", i);

      b = g_bytes_new_take (s, strlen (s));
      fail_unless (gst_sensor_net_ws_client_send (
          client, SOUP_WEBSOCKET_DATA_BINARY, b));
      g_bytes_unref (b);
    }
    PROBE_WAIT (p, p->messages == 301);
    for (i = 0; i < 300; i++) {
      gchar *s = g_strdup_printf ("tls %u", i);

      fail_unless (bytes_equal_str (p->payloads->pdata[i + 1], s),
          "message %u out of order", i);
      g_free (s);
    }
  }
  gst_sensor_net_ws_client_free (client);
  probe_free (p);

  /* strict with the CA file: accepted */
  p = probe_new ();
  client = start_tls_client (p, ts, TRUE, ca);
  PROBE_WAIT (p, p->opened == 1);
  gst_sensor_net_ws_client_free (client);
  fail_unless_equals_int (p->closed, 0);
  probe_free (p);

  /* a CA file that cannot be read: an error, no connection */
  p = probe_new ();
  client = start_tls_client (p, ts, TRUE, "/nonexistent/ca.pem");
  PROBE_WAIT (p, p->gave_up == 1);
  fail_unless_equals_int (p->opened, 0);
  fail_unless (p->error != NULL);
  gst_sensor_net_ws_client_free (client);
  probe_free (p);

  g_free (ca);
  test_server_free (ts);
}

GST_END_TEST;

GST_START_TEST (test_bad_uri)
{
  const gchar *uris[] = { "not a uri", "ftp://127.0.0.1/", "ws:///nohost",
    NULL };
  guint i;

  for (i = 0; uris[i]; i++) {
    Probe *p = probe_new ();
    GstSensorNetWsClient *client = start_client (p, uris[i], NULL);

    PROBE_WAIT (p, p->gave_up == 1);
    fail_unless (
        g_error_matches (p->error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT),
        "%s", uris[i]);
    fail_unless_equals_int (p->opened, 0);
    gst_sensor_net_ws_client_free (client);
    probe_free (p);
  }
}

GST_END_TEST;

/* Reads the upgrade request and answers 101 with the right accept key
 * (or a wrong one), followed by @extra in the same write. */
static gboolean
raw_upgrade_full (GSocket *conn, GCancellable *cancel, gboolean bad_accept,
    const gchar *extra)
{
  GString *req = g_string_new (NULL);
  gchar buf[1024], *lower, *key, *end, *accept, *resp;
  GChecksum *sha;
  guint8 digest[20];
  gsize dlen = sizeof (digest);
  gssize n;

  while (!strstr (req->str, "\r\n\r\n")) {
    n = g_socket_receive (conn, buf, sizeof (buf), cancel, NULL);
    if (n <= 0) {
      g_string_free (req, TRUE);
      return FALSE;
    }
    g_string_append_len (req, buf, n);
  }
  lower = g_ascii_strdown (req->str, -1);
  key = strstr (lower, "sec-websocket-key:");
  fail_unless (key != NULL);
  key = req->str + (key - lower) + strlen ("sec-websocket-key:");
  while (*key == ' ')
    key++;
  end = strstr (key, "\r\n");
  key = g_strndup (key, end - key);
  sha = g_checksum_new (G_CHECKSUM_SHA1);
  g_checksum_update (sha, (const guchar *) key, -1);
  g_checksum_update (
      sha, (const guchar *) "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", -1);
  g_checksum_get_digest (sha, digest, &dlen);
  accept = g_base64_encode (digest, dlen);
  if (bad_accept)
    accept[0] = accept[0] == 'A' ? 'B' : 'A';
  resp = g_strdup_printf ("HTTP/1.1 101 Switching Protocols\r\n"
                          "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: %s\r\n\r\n%s",
      accept, extra ? extra : "");
  n = g_socket_send (conn, resp, strlen (resp), NULL, NULL);
  g_free (resp);
  g_free (accept);
  g_checksum_free (sha);
  g_free (key);
  g_free (lower);
  g_string_free (req, TRUE);
  return n > 0;
}

/* A raw server that completes the upgrade by hand and then reads nothing:
 * pings are never answered. */
typedef struct
{
  GSocket *listener;
  guint port;
  GThread *thread;
  GCancellable *cancel;
} DeafServer;

static gpointer
deaf_server_thread (gpointer data)
{
  DeafServer *ds = data;
  GSocket *conn = g_socket_accept (ds->listener, ds->cancel, NULL);

  if (conn && raw_upgrade_full (conn, ds->cancel, FALSE, NULL)) {
    /* now deaf until the test ends */
    while (!g_cancellable_is_cancelled (ds->cancel))
      g_usleep (10000);
  }
  g_clear_object (&conn);
  return NULL;
}

static DeafServer *
deaf_server_new (void)
{
  DeafServer *ds = g_new0 (DeafServer, 1);

  ds->listener = listen_loopback (&ds->port);
  ds->cancel = g_cancellable_new ();
  ds->thread = g_thread_new ("deaf-server", deaf_server_thread, ds);
  return ds;
}

static void
deaf_server_free (DeafServer *ds)
{
  g_cancellable_cancel (ds->cancel);
  g_thread_join (ds->thread);
  g_object_unref (ds->cancel);
  g_object_unref (ds->listener);
  g_free (ds);
}

GST_START_TEST (test_pong_timeout)
{
  DeafServer *ds = deaf_server_new ();
  Probe *p = probe_new ();
  GstSensorNetWsConfig config;
  GstSensorNetWsClient *client;
  gchar *uri = g_strdup_printf ("ws://127.0.0.1:%u/", ds->port);
  gint64 opened_at;

  config_for (&config, uri);
  config.keepalive_interval_s = 1;
  config.pong_timeout_s = 1;
  client = start_client (p, NULL, &config);
  gst_sensor_net_ws_config_clear (&config);
  PROBE_WAIT (p, p->opened == 1);
  opened_at = p->opened_at_us;
  PROBE_WAIT (p, p->closed == 1);
  fail_unless (g_error_matches (p->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT),
      "%s", p->error ? p->error->message : "no error");
  fail_unless_equals_int (p->close_code, 0);
  /* interval + pong timeout, not earlier */
  fail_unless (p->closed_at_us - opened_at >= 1900 * G_TIME_SPAN_MILLISECOND);
  fail_if (gst_sensor_net_ws_client_is_connected (client));
  gst_sensor_net_ws_client_free (client);
  g_free (uri);
  probe_free (p);
  deaf_server_free (ds);
}

GST_END_TEST;

/* libsoup's server answers pings: the connection stays up. */
GST_START_TEST (test_keepalive_answered)
{
  TestServer *ts = test_server_new ();
  Probe *p = probe_new ();
  gchar *uri = test_server_uri (ts, "/echo");
  GstSensorNetWsConfig config;
  GstSensorNetWsClient *client;

  config_for (&config, uri);
  config.keepalive_interval_s = 1;
  config.pong_timeout_s = 1;
  client = start_client (p, NULL, &config);
  gst_sensor_net_ws_config_clear (&config);
  PROBE_WAIT (p, p->opened == 1);
  g_usleep (3500 * G_TIME_SPAN_MILLISECOND);
  fail_unless_equals_int (p->closed, 0);
  fail_unless (gst_sensor_net_ws_client_is_connected (client));
  gst_sensor_net_ws_client_free (client);
  g_free (uri);
  probe_free (p);
  test_server_free (ts);
}

GST_END_TEST;

/* close() right after sends: every message queued before it goes out
 * before the close frame, although its flush may still wait for the next
 * batch of the network thread. */
GST_START_TEST (test_close_sends_what_is_queued)
{
  TestServer *ts = test_server_new ();
  Probe *p = probe_new ();
  gchar *uri = test_server_uri (ts, "/echo");
  GBytes *msg = g_bytes_new_static ("frame", 5);
  GstSensorNetWsClient *client;
  guint i;

  client = start_client (p, uri, NULL);
  PROBE_WAIT (p, p->opened == 1);
  for (i = 0; i < 200; i++) {
    fail_unless (
        gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_TEXT, msg));
    g_usleep (300);
  }
  gst_sensor_net_ws_client_close (client, 1000, "done");
  g_mutex_lock (&ts->lock);
  while (ts->client_closes == 0)
    g_cond_wait (&ts->cond, &ts->lock);
  fail_unless_equals_int (ts->messages, 200);
  fail_unless_equals_int (ts->client_close_code, 1000);
  g_mutex_unlock (&ts->lock);
  gst_sensor_net_ws_client_free (client);
  g_bytes_unref (msg);
  g_free (uri);
  probe_free (p);
  test_server_free (ts);
}

GST_END_TEST;

/* A client freed right after a send can let the network thread go while
 * its batched flush still waits: the batch source dies with that context,
 * and a later client on the next network thread must not wait for it. The
 * race is narrow (a send within the batch interval of the last flush, then
 * the last free before the interval ends); this walks the path ten times. */
GST_START_TEST (test_flush_after_network_thread_restart)
{
  TestServer *ts = test_server_new ();
  gchar *uri = test_server_uri (ts, "/echo");
  GBytes *msg = g_bytes_new_static ("hello", 5);
  GstSensorNetWsConfig config;
  guint i;

  config_for (&config, uri);
  for (i = 0; i < 10; i++) {
    Probe *p = probe_new ();
    GstSensorNetWsClient *client = start_client (p, NULL, &config);

    PROBE_WAIT (p, p->opened == 1);
    fail_unless (
        gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_TEXT, msg));
    PROBE_WAIT (p, p->messages == 1);
    /* a flush ran just now: this one waits for the batch interval, and
     * the free lets the network thread go before it */
    fail_unless (
        gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_TEXT, msg));
    gst_sensor_net_ws_client_free (client);
    probe_free (p);
  }
  gst_sensor_net_ws_config_clear (&config);
  g_bytes_unref (msg);
  g_free (uri);
  test_server_free (ts);
}

GST_END_TEST;

GST_START_TEST (test_max_incoming_payload)
{
  TestServer *ts = test_server_new ();
  Probe *p = probe_new ();
  gchar *uri = test_server_uri (ts, "/echo");
  GstSensorNetWsConfig config;
  GstSensorNetWsClient *client;
  GBytes *small, *big;

  config_for (&config, uri);
  config.max_message_size = 1000;
  client = start_client (p, NULL, &config);
  gst_sensor_net_ws_config_clear (&config);
  PROBE_WAIT (p, p->opened == 1);
  small = g_bytes_new_take (g_malloc0 (1000), 1000);
  big = g_bytes_new_take (g_malloc0 (1001), 1001);
  fail_unless (gst_sensor_net_ws_client_send (
      client, SOUP_WEBSOCKET_DATA_BINARY, small));
  PROBE_WAIT (p, p->messages == 1);
  fail_unless (
      gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_BINARY, big));
  PROBE_WAIT (p, p->closed == 1);
  fail_unless_equals_int (p->messages, 1);
  fail_unless (p->error != NULL);
  fail_unless_equals_int (p->error->domain, SOUP_WEBSOCKET_ERROR);
  g_bytes_unref (small);
  g_bytes_unref (big);
  gst_sensor_net_ws_client_free (client);
  g_free (uri);
  probe_free (p);
  test_server_free (ts);
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */
/* Hostile raw server: frames written by hand                              */
/* ---------------------------------------------------------------------- */

typedef enum {
  HOSTILE_FLOOD, /* a non-FIN frame, then continuation frames without end */
  HOSTILE_EXACT, /* a message of exactly `limit` bytes in 3 frames, then one
                  * frame of limit + 1 */
  HOSTILE_HEAD_AND_FRAME, /* the 101 and a text frame in one write */
  HOSTILE_BAD_ACCEPT,     /* a 101 with a wrong Sec-WebSocket-Accept */
} HostileMode;

typedef struct
{
  GSocket *listener;
  guint port;
  GThread *thread;
  GCancellable *cancel;
  HostileMode mode;
  gsize limit;
  guint64 target; /* FLOOD: stop after offering this much */

  GMutex lock;
  GCond cond;
  guint64 offered;
  gushort close_code; /* from the client's close frame */
  gchar *close_reason;
  gboolean done;
} Hostile;

/* A frame header (server frames are not masked) into @hdr; its length. */
static gsize
frame_header (guint8 *hdr, gboolean fin, guint8 opcode, guint64 len)
{
  guint i;

  hdr[0] = (fin ? 0x80 : 0) | opcode;
  if (len < 126) {
    hdr[1] = len;
    return 2;
  }
  if (len <= G_MAXUINT16) {
    hdr[1] = 126;
    hdr[2] = len >> 8;
    hdr[3] = len & 0xff;
    return 4;
  }
  hdr[1] = 127;
  for (i = 0; i < 8; i++)
    hdr[2 + i] = (len >> (56 - 8 * i)) & 0xff;
  return 10;
}

static gboolean
send_frame (Hostile *h, GSocket *conn, gboolean fin, guint8 opcode,
    const guint8 *payload, gsize len)
{
  guint8 hdr[10];
  gsize hlen = frame_header (hdr, fin, opcode, len);
  GOutputVector v[2] = { { hdr, hlen }, { payload, len } };
  gsize total = hlen + len, sent = 0;

  while (sent < total) {
    gssize n;

    if (sent >= hlen) {
      n = g_socket_send (conn, (const gchar *) payload + (sent - hlen),
          total - sent, NULL, NULL);
    } else {
      n = g_socket_send_message (conn, NULL, v, 2, NULL, 0, 0, NULL, NULL);
      if (n > 0 && (gsize) n < hlen)
        n = -1; /* never with a 10-byte header on a fresh socket */
    }
    if (n <= 0)
      return FALSE;
    sent += n;
  }
  g_mutex_lock (&h->lock);
  h->offered += len;
  g_mutex_unlock (&h->lock);
  return TRUE;
}

/* Reads what the client sent without blocking; records its close frame. */
static void
hostile_poll_close (Hostile *h, GSocket *conn, GByteArray *in)
{
  guint8 buf[256];
  gssize n;

  while ((n = g_socket_receive_with_blocking (
              conn, (gchar *) buf, sizeof (buf), FALSE, NULL, NULL)) > 0)
    g_byte_array_append (in, buf, n);
  /* client frames are masked: 0x88, 0x80 | len, mask[4], payload */
  while (in->len >= 6) {
    guint len = in->data[1] & 0x7f;
    guint i;

    if (in->len < 6 + len)
      break;
    for (i = 0; i < len; i++)
      in->data[6 + i] ^= in->data[2 + (i % 4)];
    if ((in->data[0] & 0x0f) == 0x08 && len >= 2) {
      g_mutex_lock (&h->lock);
      h->close_code = (in->data[6] << 8) | in->data[7];
      g_free (h->close_reason);
      h->close_reason = g_strndup ((gchar *) in->data + 8, len - 2);
      g_cond_broadcast (&h->cond);
      g_mutex_unlock (&h->lock);
    }
    g_byte_array_remove_range (in, 0, 6 + len);
  }
}

static gpointer
hostile_thread (gpointer data)
{
  Hostile *h = data;
  GSocket *conn;
  GByteArray *in = g_byte_array_new ();
  guint8 *chunk;
  gsize chunk_len = 60000;

  chunk = g_malloc (MAX (chunk_len, h->limit + 1));
  memset (chunk, 'x', MAX (chunk_len, h->limit + 1));
  conn = g_socket_accept (h->listener, h->cancel, NULL);
  if (!conn ||
      !raw_upgrade_full (conn, h->cancel, h->mode == HOSTILE_BAD_ACCEPT,
          h->mode == HOSTILE_HEAD_AND_FRAME ? "\x81\x05hello" : NULL))
    goto out;
  g_socket_set_timeout (conn, 20);
  if (h->mode == HOSTILE_FLOOD) {
    if (!send_frame (h, conn, FALSE, 0x2, chunk, 1024))
      goto out;
    while (h->offered < h->target && !g_cancellable_is_cancelled (h->cancel)) {
      if (!send_frame (h, conn, FALSE, 0x0, chunk, chunk_len))
        break;
      hostile_poll_close (h, conn, in);
    }
  } else if (h->mode == HOSTILE_EXACT) {
    gsize third = h->limit / 3;

    if (send_frame (h, conn, FALSE, 0x2, chunk, third) &&
        send_frame (h, conn, FALSE, 0x0, chunk, third) &&
        send_frame (h, conn, TRUE, 0x0, chunk, h->limit - 2 * third))
      send_frame (h, conn, TRUE, 0x2, chunk, h->limit + 1);
  }
  /* wait for the client's close frame (or its drop) */
  {
    gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

    while (h->close_code == 0 && g_get_monotonic_time () < end &&
        !g_cancellable_is_cancelled (h->cancel)) {
      hostile_poll_close (h, conn, in);
      g_usleep (10000);
    }
  }
out:
  g_mutex_lock (&h->lock);
  h->done = TRUE;
  g_cond_broadcast (&h->cond);
  g_mutex_unlock (&h->lock);
  g_clear_object (&conn);
  g_byte_array_unref (in);
  g_free (chunk);
  return NULL;
}

static Hostile *
hostile_new (HostileMode mode, gsize limit, guint64 target)
{
  Hostile *h = g_new0 (Hostile, 1);

  g_mutex_init (&h->lock);
  g_cond_init (&h->cond);
  h->mode = mode;
  h->limit = limit;
  h->target = target;
  h->listener = listen_loopback (&h->port);
  h->cancel = g_cancellable_new ();
  h->thread = g_thread_new ("hostile-server", hostile_thread, h);
  return h;
}

static void
hostile_free (Hostile *h)
{
  g_cancellable_cancel (h->cancel);
  g_thread_join (h->thread);
  g_object_unref (h->cancel);
  g_object_unref (h->listener);
  g_free (h->close_reason);
  g_mutex_clear (&h->lock);
  g_cond_clear (&h->cond);
  g_free (h);
}

/* VmRSS of this process in bytes. */
static guint64
rss_bytes (void)
{
  gchar *status = NULL, *line;
  guint64 kb = 0;

  fail_unless (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  fail_unless (line != NULL);
  kb = g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
  g_free (status);
  return kb * 1024;
}

#define MIB (1024 * 1024)

/* A message that never ends: closed with 1009 at the limit, counted, and
 * memory stays flat however much the peer offers. */
GST_START_TEST (test_endless_message_closed_1009)
{
  Hostile *h = hostile_new (HOSTILE_FLOOD, 0, 320 * (guint64) MIB);
  Probe *p = probe_new ();
  GstSensorNetWsConfig config;
  GstSensorNetWsClient *client;
  gchar *uri = g_strdup_printf ("ws://127.0.0.1:%u/", h->port);
  guint64 rss0, peak = 0;
  gboolean done = FALSE;

  config_for (&config, uri);
  config.max_message_size = MIB;
  client = start_client (p, NULL, &config);
  gst_sensor_net_ws_config_clear (&config);
  PROBE_WAIT (p, p->opened == 1);
  rss0 = rss_bytes ();
  while (!done) {
    guint64 rss = rss_bytes ();

    peak = MAX (peak, rss);
    g_mutex_lock (&h->lock);
    g_cond_wait_until (&h->cond, &h->lock, g_get_monotonic_time () + 20 * 1000);
    done = h->done;
    g_mutex_unlock (&h->lock);
  }
  GST_INFO ("offered %" G_GUINT64_FORMAT " MiB, RSS growth %" G_GINT64_FORMAT
            " KiB",
      h->offered / MIB, (gint64) (peak - rss0) / 1024);
  fail_unless (peak < rss0 + 100 * MIB,
      "RSS grew by %" G_GUINT64_FORMAT " MiB after %" G_GUINT64_FORMAT
      " MiB offered",
      (peak - rss0) / MIB, h->offered / MIB);
  fail_unless_equals_int (h->close_code, 1009);
  fail_unless_equals_string (
      h->close_reason, "Message larger than 1048576 bytes");
  PROBE_WAIT (p, p->closed == 1);
  fail_unless_equals_int (p->messages, 0);
  fail_unless (g_error_matches (p->error, SOUP_WEBSOCKET_ERROR,
                   SOUP_WEBSOCKET_CLOSE_TOO_BIG),
      "%s", p->error ? p->error->message : "no error");
  fail_unless_equals_uint64 (
      gst_sensor_net_ws_client_get_oversized_count (client), 1);
  gst_sensor_net_ws_client_free (client);
  g_free (uri);
  probe_free (p);
  hostile_free (h);
}

GST_END_TEST;

/* Frames that come in the same read as the 101 are not lost; a wrong
 * Sec-WebSocket-Accept is refused. */
GST_START_TEST (test_upgrade_by_hand)
{
  Hostile *h = hostile_new (HOSTILE_HEAD_AND_FRAME, 0, 0);
  Probe *p = probe_new ();
  gchar *uri = g_strdup_printf ("ws://127.0.0.1:%u/", h->port);
  GstSensorNetWsClient *client = start_client (p, uri, NULL);

  PROBE_WAIT (p, p->messages == 1);
  fail_unless (bytes_equal_str (p->payloads->pdata[0], "hello"));
  fail_unless_equals_int (
      g_array_index (p->types, gint, 0), SOUP_WEBSOCKET_DATA_TEXT);
  gst_sensor_net_ws_client_free (client);
  g_free (uri);
  probe_free (p);
  hostile_free (h);

  h = hostile_new (HOSTILE_BAD_ACCEPT, 0, 0);
  p = probe_new ();
  uri = g_strdup_printf ("ws://127.0.0.1:%u/", h->port);
  client = start_client (p, uri, NULL);
  PROBE_WAIT (p, p->gave_up == 1);
  fail_unless_equals_int (p->opened, 0);
  fail_unless_equals_int (p->http_status, 0);
  fail_unless (g_error_matches (p->error, SOUP_WEBSOCKET_ERROR,
                   SOUP_WEBSOCKET_ERROR_BAD_HANDSHAKE),
      "%s", p->error ? p->error->message : "no error");
  gst_sensor_net_ws_client_free (client);
  g_free (uri);
  probe_free (p);
  hostile_free (h);
}

GST_END_TEST;

/* A fragmented message of exactly the limit arrives whole; one frame of
 * limit + 1 bytes closes with 1009. */
GST_START_TEST (test_message_at_limit)
{
  const gsize limit = 200000;
  Hostile *h = hostile_new (HOSTILE_EXACT, limit, 0);
  Probe *p = probe_new ();
  GstSensorNetWsConfig config;
  GstSensorNetWsClient *client;
  gchar *uri = g_strdup_printf ("ws://127.0.0.1:%u/", h->port);
  gsize len;
  const guint8 *data;
  gsize i;

  config_for (&config, uri);
  config.max_message_size = limit;
  client = start_client (p, NULL, &config);
  gst_sensor_net_ws_config_clear (&config);
  PROBE_WAIT (p, p->closed == 1);
  fail_unless_equals_int (p->messages, 1);
  data = g_bytes_get_data (p->payloads->pdata[0], &len);
  fail_unless_equals_uint64 (len, limit);
  for (i = 0; i < len && data[i] == 'x'; i++)
    ;
  fail_unless_equals_uint64 (i, limit);
  fail_unless_equals_int (
      g_array_index (p->types, gint, 0), SOUP_WEBSOCKET_DATA_BINARY);
  fail_unless (g_error_matches (p->error, SOUP_WEBSOCKET_ERROR,
                   SOUP_WEBSOCKET_CLOSE_TOO_BIG),
      "%s", p->error ? p->error->message : "no error");
  SERVER_WAIT (h, h->done);
  fail_unless_equals_int (h->close_code, 1009);
  fail_unless_equals_uint64 (
      gst_sensor_net_ws_client_get_oversized_count (client), 1);
  gst_sensor_net_ws_client_free (client);
  g_free (uri);
  probe_free (p);
  hostile_free (h);
}

GST_END_TEST;

GST_START_TEST (test_free_inside_callback)
{
  TestServer *ts = test_server_new ();
  Probe *p = probe_new ();
  gchar *uri = test_server_uri (ts, "/close4001");

  p->free_in_closed = TRUE;
  start_client (p, uri, NULL);
  PROBE_WAIT (p, p->stop_returned);
  fail_unless (p->notified);
  fail_unless_equals_int (p->closed, 1);
  /* no callback after that */
  g_usleep (100 * G_TIME_SPAN_MILLISECOND);
  fail_unless_equals_int (p->gave_up, 0);
  fail_unless_equals_int (p->reconnecting, 0);
  g_free (uri);
  probe_free (p);
  test_server_free (ts);
}

GST_END_TEST;

#define N_SENDERS 4
#define N_PER_SENDER 250

static gpointer
sender_thread (gpointer data)
{
  static gint next = 0;
  Probe *p = data;
  guint me = g_atomic_int_add (&next, 1);
  guint i;

  for (i = 0; i < N_PER_SENDER; i++) {
    gchar *s = g_strdup_printf ("%u:%u", me % N_SENDERS, i);
    GBytes *b = g_bytes_new_take (s, strlen (s));

    fail_unless (
        gst_sensor_net_ws_client_send (p->client, SOUP_WEBSOCKET_DATA_TEXT, b));
    g_bytes_unref (b);
  }
  return NULL;
}

/* Many threads sending at once: nothing lost, each thread's order kept. */
GST_START_TEST (test_send_from_threads)
{
  TestServer *ts = test_server_new ();
  Probe *p = probe_new ();
  gchar *uri = test_server_uri (ts, "/echo");
  GstSensorNetWsClient *client = start_client (p, uri, NULL);
  GThread *threads[N_SENDERS];
  guint next[N_SENDERS] = { 0 };
  guint i;

  PROBE_WAIT (p, p->opened == 1);
  for (i = 0; i < N_SENDERS; i++)
    threads[i] = g_thread_new ("sender", sender_thread, p);
  for (i = 0; i < N_SENDERS; i++)
    g_thread_join (threads[i]);
  PROBE_WAIT (p, p->messages == N_SENDERS * N_PER_SENDER);
  for (i = 0; i < p->payloads->len; i++) {
    gsize len;
    const gchar *d = g_bytes_get_data (p->payloads->pdata[i], &len);
    gchar *str = g_strndup (d, len);
    guint t, n;

    fail_unless_equals_int (sscanf (str, "%u:%u", &t, &n), 2);
    fail_unless (t < N_SENDERS);
    fail_unless_equals_int (n, next[t]);
    next[t]++;
    g_free (str);
  }
  gst_sensor_net_ws_client_free (client);
  g_free (uri);
  probe_free (p);
  test_server_free (ts);
}

GST_END_TEST;

/* A client that gave up can be started again. */
GST_START_TEST (test_restart_after_give_up)
{
  TestServer *ts = test_server_new ();
  Probe *p = probe_new ();
  gchar *uri = test_server_uri (ts, "/close4001");
  GstSensorNetWsClient *client = start_client (p, uri, NULL);

  PROBE_WAIT (p, p->gave_up == 1);
  gst_sensor_net_ws_client_start (client);
  PROBE_WAIT (p, p->gave_up == 2);
  fail_unless_equals_int (p->opened, 2);
  fail_unless_equals_int (p->closed, 2);
  gst_sensor_net_ws_client_free (client);
  g_free (uri);
  probe_free (p);
  test_server_free (ts);
}

GST_END_TEST;

/* A peer that never answers the close frame: stop() still returns, after
 * about a second. */
GST_START_TEST (test_stop_bounded_with_deaf_peer)
{
  DeafServer *ds = deaf_server_new ();
  Probe *p = probe_new ();
  gchar *uri = g_strdup_printf ("ws://127.0.0.1:%u/", ds->port);
  GstSensorNetWsClient *client = start_client (p, uri, NULL);
  gint64 start, took;

  PROBE_WAIT (p, p->opened == 1);
  start = g_get_monotonic_time ();
  gst_sensor_net_ws_client_stop (client, 1000, NULL);
  took = g_get_monotonic_time () - start;
  fail_unless (
      took >= 500 * G_TIME_SPAN_MILLISECOND, "%" G_GINT64_FORMAT, took);
  fail_unless (took < 5 * G_TIME_SPAN_SECOND, "%" G_GINT64_FORMAT, took);
  fail_unless_equals_int (p->closed, 0);
  gst_sensor_net_ws_client_free (client);
  g_free (uri);
  probe_free (p);
  deaf_server_free (ds);
}

GST_END_TEST;

/* A peer that stops reading: the backlog stays in the client's queue, where
 * get_pending_bytes() shows it, instead of piling up inside libsoup. Small
 * messages are handed over a few KiB between writability checks; the
 * backlog must still show. */
static void
check_pending_bytes_backpressure (gsize chunk, guint count)
{
  DeafServer *ds = deaf_server_new ();
  Probe *p = probe_new ();
  gchar *uri = g_strdup_printf ("ws://127.0.0.1:%u/", ds->port);
  GstSensorNetWsClient *client = start_client (p, uri, NULL);
  GBytes *b = g_bytes_new_take (g_malloc0 (chunk), chunk);
  gsize sent = 0, pending = 0;
  guint i;

  PROBE_WAIT (p, p->opened == 1);
  /* far more than loopback socket buffers can hold (a few MiB) */
  for (i = 0; i < count; i++) {
    fail_unless (
        gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_BINARY, b));
    sent += chunk;
  }
  /* let the network thread hand over what the socket takes */
  for (i = 0; i < 100; i++) {
    gsize now;

    g_usleep (20 * G_TIME_SPAN_MILLISECOND);
    now = gst_sensor_net_ws_client_get_pending_bytes (client);
    if (now == pending && now < sent)
      break;
    pending = now;
  }
  pending = gst_sensor_net_ws_client_get_pending_bytes (client);
  GST_INFO ("chunk %" G_GSIZE_FORMAT ": sent %" G_GSIZE_FORMAT
            ", pending %" G_GSIZE_FORMAT,
      chunk, sent, pending);
  fail_unless (pending > sent / 2, "pending %" G_GSIZE_FORMAT, pending);
  fail_unless (pending < sent);
  fail_unless (gst_sensor_net_ws_client_is_connected (client));

  gst_sensor_net_ws_client_stop (client, 1000, NULL);
  fail_unless_equals_int (
      gst_sensor_net_ws_client_get_pending_bytes (client), 0);
  gst_sensor_net_ws_client_free (client);
  g_bytes_unref (b);
  g_free (uri);
  probe_free (p);
  deaf_server_free (ds);
}

GST_START_TEST (test_pending_bytes_backpressure)
{
  check_pending_bytes_backpressure (256 * 1024, 256);
}

GST_END_TEST;

GST_START_TEST (test_pending_bytes_backpressure_small_messages)
{
  /* Raeh-sized frames */
  check_pending_bytes_backpressure (212, 160 * 1024);
}

GST_END_TEST;

/* Text must be UTF-8 (NUL allowed); binary is anything. */
GST_START_TEST (test_send_text_validation)
{
  TestServer *ts = test_server_new ();
  Probe *p = probe_new ();
  gchar *uri = test_server_uri (ts, "/echo");
  GstSensorNetWsClient *client = start_client (p, uri, NULL);
  GBytes *bad = g_bytes_new_static ("ab\xff\xfe", 4);
  GBytes *nul = g_bytes_new_static ("a\0b\xc3\xa9", 5);

  PROBE_WAIT (p, p->opened == 1);
  fail_if (
      gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_TEXT, bad));
  fail_unless (
      gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_BINARY, bad));
  fail_unless (
      gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_TEXT, nul));
  PROBE_WAIT (p, p->messages == 2);
  fail_unless (g_bytes_equal (p->payloads->pdata[0], bad));
  fail_unless (g_bytes_equal (p->payloads->pdata[1], nul));
  gst_sensor_net_ws_client_free (client);
  g_bytes_unref (bad);
  g_bytes_unref (nul);
  g_free (uri);
  probe_free (p);
  test_server_free (ts);
}

GST_END_TEST;

/* A batch is queued whole or not at all; on the network thread it reaches
 * libsoup before send_batch() returns. */
typedef struct
{
  GstSensorNetWsClient *client;
  GPtrArray *payloads;
  GMutex lock;
  GCond cond;
  gboolean done, queued;
  gsize pending_after;
} BatchJob;

static gboolean
send_batch_on_net_thread (gpointer data)
{
  BatchJob *job = data;
  gboolean queued = gst_sensor_net_ws_client_send_batch (job->client,
      SOUP_WEBSOCKET_DATA_BINARY, (GBytes *const *) job->payloads->pdata,
      job->payloads->len);
  gsize pending = gst_sensor_net_ws_client_get_pending_bytes (job->client);

  g_mutex_lock (&job->lock);
  job->queued = queued;
  job->pending_after = pending;
  job->done = TRUE;
  g_cond_broadcast (&job->cond);
  g_mutex_unlock (&job->lock);
  return G_SOURCE_REMOVE;
}

static GPtrArray *
numbered_payloads (guint first, guint n)
{
  GPtrArray *a =
      g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint i;

  for (i = first; i < first + n; i++) {
    gchar *s = g_strdup_printf ("%u", i);

    g_ptr_array_add (a, g_bytes_new_take (s, strlen (s)));
  }
  return a;
}

GST_START_TEST (test_send_batch)
{
  TestServer *ts = test_server_new ();
  Probe *p = probe_new ();
  gchar *uri = test_server_uri (ts, "/echo");
  GstSensorNetWsClient *client = start_client (p, uri, NULL);
  GPtrArray *from_test = numbered_payloads (0, 300);
  GBytes *mixed[2];
  GMainContext *ctx = gst_sensor_net_context_ref ();
  BatchJob job = { 0 };
  GSource *src;
  guint i;

  PROBE_WAIT (p, p->opened == 1);
  /* from another thread: queued, flushed on the network thread */
  fail_unless (gst_sensor_net_ws_client_send_batch (client,
      SOUP_WEBSOCKET_DATA_BINARY, (GBytes *const *) from_test->pdata, 300));

  /* on the network thread: handed to libsoup before the call returns */
  job.client = client;
  job.payloads = numbered_payloads (300, 300);
  g_mutex_init (&job.lock);
  g_cond_init (&job.cond);
  src = g_idle_source_new ();
  g_source_set_callback (src, send_batch_on_net_thread, &job, NULL);
  g_source_attach (src, ctx);
  g_source_unref (src);
  PROBE_WAIT (&job, job.done);
  fail_unless (job.queued);
  fail_unless_equals_int (job.pending_after, 0);

  /* one bad text message refuses the whole batch */
  mixed[0] = g_bytes_new_static ("ok", 2);
  mixed[1] = g_bytes_new_static ("\xff", 1);
  fail_if (gst_sensor_net_ws_client_send_batch (
      client, SOUP_WEBSOCKET_DATA_TEXT, mixed, 2));
  g_bytes_unref (mixed[0]);
  /* an empty batch is fine */
  fail_unless (gst_sensor_net_ws_client_send_batch (
      client, SOUP_WEBSOCKET_DATA_BINARY, NULL, 0));
  /* a marker last: had any of the refused batch gone out, it would stand
   * before the marker */
  mixed[0] = g_bytes_new_static ("end", 3);
  fail_unless (gst_sensor_net_ws_client_send_batch (
      client, SOUP_WEBSOCKET_DATA_TEXT, mixed, 1));

  PROBE_WAIT (p, p->messages == 601);
  for (i = 0; i < 600; i++) {
    gchar *s = g_strdup_printf ("%u", i);

    fail_unless (bytes_equal_str (p->payloads->pdata[i], s),
        "message %u out of order", i);
    g_free (s);
  }
  fail_unless (bytes_equal_str (p->payloads->pdata[600], "end"));
  fail_unless_equals_int (
      gst_sensor_net_ws_client_get_pending_bytes (client), 0);

  /* stopped: nothing is queued */
  gst_sensor_net_ws_client_stop (client, 1000, "done");
  fail_if (gst_sensor_net_ws_client_send_batch (client,
      SOUP_WEBSOCKET_DATA_BINARY, (GBytes *const *) from_test->pdata, 300));
  fail_unless_equals_int (
      gst_sensor_net_ws_client_get_pending_bytes (client), 0);

  gst_sensor_net_ws_client_free (client);
  g_bytes_unref (mixed[0]);
  g_bytes_unref (mixed[1]);
  g_ptr_array_unref (from_test);
  g_ptr_array_unref (job.payloads);
  g_mutex_clear (&job.lock);
  g_cond_clear (&job.cond);
  gst_sensor_net_context_unref (ctx);
  g_free (uri);
  probe_free (p);
  test_server_free (ts);
}

GST_END_TEST;

/* Close codes a client may not send are mapped, 0 sends no code, long
 * reasons are cut on a character boundary. */
GST_START_TEST (test_stop_codes_and_reasons)
{
  TestServer *ts = test_server_new ();
  gchar *uri = test_server_uri (ts, "/echo");
  GString *long_reason = g_string_new (NULL);
  struct
  {
    gushort code;
    const gchar *reason;
    gushort expect_code;
  } rows[] = {
    { 4999, "custom", 4999 },
    { 1011, "server only", 1000 },
    { 1006, "abnormal", 1000 },
    { 0, NULL, SOUP_WEBSOCKET_CLOSE_NO_STATUS },
    { 1001, NULL, 1001 },
    { 3000, "long", 3000 },
  };
  guint i;

  while (long_reason->len < 300)
    g_string_append (long_reason, "\xc3\xa9t\xc3\xa9 ");
  rows[5].reason = long_reason->str;

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    Probe *p = probe_new ();
    GstSensorNetWsClient *client = start_client (p, uri, NULL);

    PROBE_WAIT (p, p->opened == 1);
    gst_sensor_net_ws_client_stop (client, rows[i].code, rows[i].reason);
    SERVER_WAIT (ts, ts->client_closes == i + 1);
    g_mutex_lock (&ts->lock);
    fail_unless_equals_int (ts->client_close_code, rows[i].expect_code);
    if (i == 5) {
      fail_unless (strlen (ts->client_close_reason) <= 123);
      fail_unless (strlen (ts->client_close_reason) >= 120);
      fail_unless (g_utf8_validate (ts->client_close_reason, -1, NULL));
      fail_unless (
          g_str_has_prefix (long_reason->str, ts->client_close_reason));
    } else if (rows[i].code != 0 && rows[i].reason) {
      fail_unless_equals_string (ts->client_close_reason, rows[i].reason);
    }
    g_mutex_unlock (&ts->lock);
    gst_sensor_net_ws_client_free (client);
    probe_free (p);
  }
  g_string_free (long_reason, TRUE);
  g_free (uri);
  test_server_free (ts);
}

GST_END_TEST;

/* A peer from tests/peers that prints its port on its first line; its
 * stdout stays readable through @out. */
typedef struct
{
  GSubprocess *proc;
  GDataInputStream *out;
  guint port;
} PythonPeer;

static void
python_peer_start (PythonPeer *peer, const gchar *script_name, const gchar *arg)
{
  const gchar *python = g_getenv ("PYTHON");
  const gchar *root = g_getenv ("SENSOR_SOURCE_ROOT");
  GError *error = NULL;
  gchar *script, *line;

  if (!python)
    python = "/usr/bin/python3";
  fail_unless (root != NULL, "SENSOR_SOURCE_ROOT not set");
  script = g_build_filename (root, "tests", "peers", script_name, NULL);
  peer->proc = g_subprocess_new (
      G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, python, script, arg, NULL);
  fail_unless (peer->proc != NULL, "spawn: %s", error ? error->message : "");
  g_free (script);
  peer->out =
      g_data_input_stream_new (g_subprocess_get_stdout_pipe (peer->proc));
  line = g_data_input_stream_read_line (peer->out, NULL, NULL, &error);
  fail_unless (line != NULL, "peer printed no port");
  peer->port = (guint) g_ascii_strtoull (g_strstrip (line), NULL, 10);
  g_free (line);
}

static void
python_peer_stop (PythonPeer *peer)
{
  g_subprocess_force_exit (peer->proc);
  g_subprocess_wait (peer->proc, NULL, NULL);
  g_object_unref (peer->out);
  g_object_unref (peer->proc);
}

/* The Python websockets peer: text + binary echo, then a close code. */
GST_START_TEST (test_python_peer)
{
  PythonPeer peer;
  gchar *uri;
  Probe *p = probe_new ();
  GstSensorNetWsClient *client;
  guint8 bin[1000];
  GBytes *b;
  guint i;

  python_peer_start (&peer, "ws_echo_server.py", NULL);
  uri = g_strdup_printf ("ws://127.0.0.1:%u/echo", peer.port);

  client = start_client (p, uri, NULL);
  PROBE_WAIT (p, p->opened == 1);
  b = g_bytes_new_static ("h\xc3\xa9llo peer", 11);
  fail_unless (
      gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_TEXT, b));
  g_bytes_unref (b);
  for (i = 0; i < sizeof (bin); i++)
    bin[i] = (i * 7) & 0xff;
  b = g_bytes_new (bin, sizeof (bin));
  fail_unless (
      gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_BINARY, b));
  PROBE_WAIT (p, p->messages == 2);
  fail_unless (bytes_equal_str (p->payloads->pdata[0], "h\xc3\xa9llo peer"));
  fail_unless_equals_int (
      g_array_index (p->types, gint, 0), SOUP_WEBSOCKET_DATA_TEXT);
  fail_unless (g_bytes_equal (p->payloads->pdata[1], b));
  fail_unless_equals_int (
      g_array_index (p->types, gint, 1), SOUP_WEBSOCKET_DATA_BINARY);
  g_bytes_unref (b);

  b = g_bytes_new_static ("close 4002 peer says bye", 24);
  fail_unless (
      gst_sensor_net_ws_client_send (client, SOUP_WEBSOCKET_DATA_TEXT, b));
  g_bytes_unref (b);
  PROBE_WAIT (p, p->closed == 1);
  fail_unless_equals_int (p->close_code, 4002);
  fail_unless_equals_string (p->close_reason, "peer says bye");
  fail_unless (p->error == NULL);
  gst_sensor_net_ws_client_free (client);

  python_peer_stop (&peer);
  g_free (uri);
  probe_free (p);
}

GST_END_TEST;

/* A hostile peer sharing none of our code (raw asyncio sockets): a message
 * that never ends is cut at the limit with 1009, whatever the peer sends
 * after it. */
GST_START_TEST (test_python_hostile_peer)
{
  PythonPeer peer;
  GError *error = NULL;
  gchar *line, *uri;
  Probe *p = probe_new ();
  GstSensorNetWsConfig config;
  GstSensorNetWsClient *client;

  python_peer_start (&peer, "ws_hostile_server.py", "64");
  uri = g_strdup_printf ("ws://127.0.0.1:%u/", peer.port);

  config_for (&config, uri);
  config.max_message_size = 100000;
  client = start_client (p, NULL, &config);
  gst_sensor_net_ws_config_clear (&config);
  PROBE_WAIT (p, p->closed == 1);
  fail_unless_equals_int (p->opened, 1);
  fail_unless_equals_int (p->messages, 0);
  fail_unless (g_error_matches (p->error, SOUP_WEBSOCKET_ERROR,
                   SOUP_WEBSOCKET_CLOSE_TOO_BIG),
      "%s", p->error ? p->error->message : "no error");
  fail_unless_equals_uint64 (
      gst_sensor_net_ws_client_get_oversized_count (client), 1);
  /* what the peer saw: our close frame */
  line = g_data_input_stream_read_line (peer.out, NULL, NULL, &error);
  fail_unless (line != NULL, "peer printed no result");
  fail_unless (strstr (line,
                   "\"close\": 1009, \"reason\": \"Message larger "
                   "than 100000 bytes\"") != NULL,
      "peer saw %s", line);
  gst_sensor_net_ws_client_free (client);

  python_peer_stop (&peer);
  g_free (line);
  g_free (uri);
  probe_free (p);
}

GST_END_TEST;

static Suite *
wsclient_suite (void)
{
  Suite *s = suite_create ("wsclient");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_echo_text_binary);
  tcase_add_test (tc, test_send_order);
  tcase_add_test (tc, test_send_batch);
  tcase_add_test (tc, test_auth_query);
  tcase_add_test (tc, test_auth_header);
  tcase_add_test (tc, test_server_close_code);
  tcase_add_test (tc, test_reconnect_backoff_then_give_up);
  tcase_add_test (tc, test_reconnect_forever_with_jitter);
  tcase_add_test (tc, test_refused_retries_exhausted);
  tcase_add_test (tc, test_upgrade_refused_403);
  tcase_add_test (tc, test_upgrade_refused_401_404);
  tcase_add_test (tc, test_silent_server_times_out);
  tcase_add_test (tc, test_stop_inside_callbacks);
  tcase_add_test (tc, test_stop_never_started);
  tcase_add_test (tc, test_stop_while_connecting);
  tcase_add_test (tc, test_many_clients_one_thread);
  tcase_add_test (tc, test_net_context_timer);
  tcase_add_test (tc, test_tls);
  tcase_add_test (tc, test_bad_uri);
  tcase_add_test (tc, test_pong_timeout);
  tcase_add_test (tc, test_keepalive_answered);
  tcase_add_test (tc, test_max_incoming_payload);
  tcase_add_test (tc, test_flush_after_network_thread_restart);
  tcase_add_test (tc, test_close_sends_what_is_queued);
  tcase_add_test (tc, test_endless_message_closed_1009);
  tcase_add_test (tc, test_message_at_limit);
  tcase_add_test (tc, test_upgrade_by_hand);
  tcase_add_test (tc, test_free_inside_callback);
  tcase_add_test (tc, test_send_from_threads);
  tcase_add_test (tc, test_restart_after_give_up);
  tcase_add_test (tc, test_send_text_validation);
  tcase_add_test (tc, test_stop_codes_and_reasons);
  tcase_add_test (tc, test_stop_bounded_with_deaf_peer);
  tcase_add_test (tc, test_pending_bytes_backpressure);
  tcase_add_test (tc, test_pending_bytes_backpressure_small_messages);
  tcase_add_test (tc, test_python_peer);
  tcase_add_test (tc, test_python_hostile_peer);
  return s;
}

GST_CHECK_MAIN (wsclient);
