/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:sensornet-http-listener
 * @title: GstSensorNetHttpListener
 * @short_description: a listening socket for an embedded SoupServer that
 *   survives descriptor exhaustion
 *
 * libsoup's own listener removes its accept source on the first accept
 * error, so after one episode of EMFILE (too many idle connections at the
 * descriptor limit) the server never accepts again and nobody is told.
 * This listener accepts itself and hands every connection to the server
 * with soup_server_accept_iostream(). It
 *
 * - listens with a deep backlog (%GST_SENSOR_NET_HTTP_LISTENER_BACKLOG);
 * - on an accept error stops polling the socket (a level-triggered poll
 *   would spin while the error lasts), tells its owner once, and re-arms
 *   after a short, growing delay (100 ms doubling to 1 s) or as soon as
 *   one of its connections closes; the first accept that works again is
 *   reported too;
 * - caps the connections open at once: one over the cap is answered with
 *   the refusal bytes, if any, and closed at once (counted), so that the
 *   connections already served keep a descriptor in reserve;
 * - closes idle connections: it follows the server's request-started and
 *   request-finished signals and, once a second, shuts down connections
 *   that had no request in progress for the idle timeout. A connection is
 *   busy from its first request-started on (libsoup emits the first one at
 *   accept, the next ones at a keep-alive request's first byte), so a
 *   connection silent from the start or stuck mid-request is left to the
 *   owner's request deadline, and a connection taken over by a WebSocket
 *   handler (no request-finished) is never idle here.
 *
 * libsoup 3.2 keeps a connection alive after a response only while the
 * server has a listener of its own, so the server gets a placeholder: one
 * end of a socket pair whose other end stays open and silent, which never
 * becomes readable and so never accepts anything.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensornet-http-listener.h"

#include <gst/gst.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

GST_DEBUG_CATEGORY_STATIC (sensor_http_listener_debug);
#define GST_CAT_DEFAULT sensor_http_listener_debug

#define RETRY_MIN_MS 100
#define RETRY_MAX_MS 1000
/* accepted per wakeup before other sources get a turn */
#define ACCEPT_BATCH 32

struct _GstSensorNetHttpListener
{
  SoupServer *server;
  GSocket *socket;
  GMainContext *context;
  GSource *accept_source;
  GSource *retry_source;
  guint retry_ms;
  gboolean paused; /* an accept error was reported, no success since */
  guint max_connections;
  guint idle_timeout;
  GBytes *refusal;
  GHashTable *conns; /* remote GSocketAddress -> Conn */
  GList *lingering;  /* Linger */
  GSocket *placeholder_peer;
  GSource *idle_source;
  GstSensorNetHttpListenerStateFunc state_func;
  gpointer state_data;
  GstSensorNetHttpListenerStats stats; /* atomic */
};

/* One open connection, known by the remote address object handed to the
 * server (libsoup keeps that very object for the connection's messages). */
typedef struct
{
  GstSensorNetHttpListener *listener;
  GSocketConnection *conn; /* weak */
  GSocketAddress *remote;
  guint busy;        /* requests started and not finished */
  gint64 idle_since; /* monotonic, when busy last became 0 */
  gboolean closing;
} Conn;

typedef struct _Linger Linger;

static void arm (GstSensorNetHttpListener *self);
static void linger_free (Linger *l);

static void
debug_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (sensor_http_listener_debug, "sensorhttplistener",
        0, "HTTP listener of the embedded servers");
    g_once_init_leave (&done, 1);
  }
}

static void
stat_add (guint64 *counter, gint64 delta)
{
  __atomic_fetch_add (counter, (guint64) delta, __ATOMIC_RELAXED);
}

/**
 * gst_sensor_net_http_listener_default_max_connections:
 *
 * The connection cap used when none is configured: three quarters of the
 * process's descriptor limit (RLIMIT_NOFILE, soft), so that a server full of
 * idle connections still leaves descriptors for everything else; at least
 * 16, at most 65536.
 *
 * Returns: the number of connections
 */
guint
gst_sensor_net_http_listener_default_max_connections (void)
{
  struct rlimit rl;
  guint64 n = 65536;

  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
    n = (guint64) rl.rlim_cur / 4 * 3;
  return (guint) CLAMP (n, 16, 65536);
}

static void
conn_free (Conn *c)
{
  g_object_unref (c->remote);
  g_free (c);
}

/* The server dropped the connection (closed and unreferenced). */
static void
conn_gone (gpointer data, GObject *where_the_object_was)
{
  Conn *c = data;
  GstSensorNetHttpListener *self = c->listener;

  stat_add (&self->stats.open, -1);
  g_hash_table_remove (self->conns, c->remote);
  /* a descriptor came free: try again at once */
  if (self->accept_source == NULL && self->retry_source != NULL) {
    g_source_destroy (self->retry_source);
    g_clear_pointer (&self->retry_source, g_source_unref);
    arm (self);
  }
}

static gboolean
retry_cb (gpointer data)
{
  GstSensorNetHttpListener *self = data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  arm (self);
  return G_SOURCE_REMOVE;
}

/* Stops polling the socket after an accept error and retries later. */
static void
pause_accepting (GstSensorNetHttpListener *self, const GError *error)
{
  gboolean first = !self->paused;

  stat_add (&self->stats.accept_errors, 1);
  if (first) {
    self->retry_ms = RETRY_MIN_MS;
    GST_WARNING ("accept failed, pausing: %s", error->message);
  } else {
    self->retry_ms = MIN (self->retry_ms * 2, RETRY_MAX_MS);
    GST_DEBUG ("accept still failing: %s", error->message);
  }
  self->paused = TRUE;
  g_source_destroy (self->accept_source);
  g_clear_pointer (&self->accept_source, g_source_unref);
  self->retry_source = g_timeout_source_new (self->retry_ms);
  g_source_set_callback (self->retry_source, retry_cb, self, NULL);
  g_source_attach (self->retry_source, self->context);
  if (first && self->state_func)
    self->state_func (self, FALSE, error, self->state_data);
}

static void
refuse (GstSensorNetHttpListener *self, GSocket *client)
{
  stat_add (&self->stats.refused, 1);
  GST_DEBUG ("%u connections open: refusing one", self->max_connections);
  /* best effort into an empty send buffer: never waits */
  if (self->refusal) {
    gsize size;
    const gchar *data = g_bytes_get_data (self->refusal, &size);

    g_socket_send_with_blocking (client, data, size, FALSE, NULL, NULL);
    g_socket_shutdown (client, FALSE, TRUE, NULL);
  }
  g_socket_close (client, NULL);
}

/* Hands @client (taken) to the server and tracks it. */
static void
hand_over (GstSensorNetHttpListener *self, GSocket *client)
{
  GSocketConnection *conn;
  GSocketAddress *local, *remote;
  GError *error = NULL;
  Conn *c;

  local = g_socket_get_local_address (client, NULL);
  remote = g_socket_get_remote_address (client, NULL);
  if (local == NULL || remote == NULL) {
    /* gone before it was served */
    g_clear_object (&local);
    g_clear_object (&remote);
    g_object_unref (client);
    return;
  }
  g_socket_set_option (client, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  conn = g_socket_connection_factory_create_connection (client);
  g_object_unref (client);

  c = g_new0 (Conn, 1);
  c->listener = self;
  c->conn = conn;
  c->remote = g_object_ref (remote);
  c->idle_since = g_get_monotonic_time ();
  g_hash_table_replace (self->conns, c->remote, c);
  g_object_weak_ref (G_OBJECT (conn), conn_gone, c);
  stat_add (&self->stats.open, 1);
  stat_add (&self->stats.accepted, 1);

  if (!soup_server_accept_iostream (
          self->server, G_IO_STREAM (conn), local, remote, &error)) {
    GST_DEBUG ("server refused a connection: %s", error->message);
    g_clear_error (&error);
    g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  }
  g_object_unref (conn);
  g_object_unref (local);
  g_object_unref (remote);
}

static gboolean
accept_cb (GSocket *socket, GIOCondition condition, gpointer data)
{
  GstSensorNetHttpListener *self = data;
  guint i;

  for (i = 0; i < ACCEPT_BATCH; i++) {
    GError *error = NULL;
    GSocket *client = g_socket_accept (self->socket, NULL, &error);

    if (client == NULL) {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
        g_error_free (error);
        return G_SOURCE_CONTINUE;
      }
      /* that one client went away before it was accepted: not the
       * listener's problem */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE)) {
        GST_DEBUG ("accept: %s", error->message);
        g_error_free (error);
        continue;
      }
      pause_accepting (self, error);
      g_error_free (error);
      /* the source was destroyed: returning REMOVE is harmless */
      return G_SOURCE_REMOVE;
    }
    if (self->paused) {
      self->paused = FALSE;
      GST_INFO ("accepting connections again");
      if (self->state_func)
        self->state_func (self, TRUE, NULL, self->state_data);
    }
    if (self->max_connections > 0 &&
        g_hash_table_size (self->conns) >= self->max_connections) {
      refuse (self, client);
      g_object_unref (client);
      continue;
    }
    hand_over (self, client);
  }
  return G_SOURCE_CONTINUE;
}

static void
arm (GstSensorNetHttpListener *self)
{
  if (self->accept_source)
    return;
  self->accept_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (
      self->accept_source, (GSourceFunc) (GCallback) accept_cb, self, NULL);
  g_source_attach (self->accept_source, self->context);
}

static Conn *
conn_for_msg (GstSensorNetHttpListener *self, SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote ? g_hash_table_lookup (self->conns, remote) : NULL;
}

static void
on_request_started (
    SoupServer *server, SoupServerMessage *msg, GstSensorNetHttpListener *self)
{
  Conn *c = conn_for_msg (self, msg);

  if (c)
    c->busy++;
}

static void
on_request_done (
    SoupServer *server, SoupServerMessage *msg, GstSensorNetHttpListener *self)
{
  Conn *c = conn_for_msg (self, msg);

  if (c == NULL)
    return;
  if (c->busy > 0)
    c->busy--;
  c->idle_since = g_get_monotonic_time ();
}

static gboolean
idle_sweep (gpointer data)
{
  GstSensorNetHttpListener *self = data;
  gint64 limit =
      g_get_monotonic_time () - (gint64) self->idle_timeout * G_USEC_PER_SEC;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    Conn *c = value;

    if (c->busy == 0 && !c->closing && c->idle_since <= limit) {
      GST_DEBUG ("closing a connection idle for %u s", self->idle_timeout);
      c->closing = TRUE;
      /* libsoup's pending read sees the end and drops the connection */
      g_socket_shutdown (
          g_socket_connection_get_socket (c->conn), TRUE, TRUE, NULL);
    }
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
add_placeholder (
    GstSensorNetHttpListener *self, SoupServer *server, GError **error)
{
  gint fds[2];
  GSocket *mine;
  gboolean ok;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    gint err = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err),
        "socketpair: %s", g_strerror (err));
    return FALSE;
  }
  mine = g_socket_new_from_fd (fds[0], error);
  if (mine == NULL) {
    close (fds[0]);
    close (fds[1]);
    return FALSE;
  }
  self->placeholder_peer = g_socket_new_from_fd (fds[1], error);
  if (self->placeholder_peer == NULL) {
    close (fds[1]);
    g_object_unref (mine);
    return FALSE;
  }
  ok = soup_server_listen_socket (server, mine, 0, error);
  g_object_unref (mine);
  if (!ok)
    g_clear_object (&self->placeholder_peer);
  return ok;
}

/**
 * gst_sensor_net_http_listener_new:
 * @server: the server that serves the accepted connections
 * @address: where to listen (port 0 picks a free one)
 * @max_connections: connections open at once; one more is refused and
 *   closed (0: gst_sensor_net_http_listener_default_max_connections())
 * @idle_timeout: seconds a connection may stay without a request in
 *   progress (keep-alive between requests) before it is closed (0: never)
 * @error: (nullable): where to put a bind or listen error
 *
 * Binds, listens and starts accepting on the thread-default main context.
 *
 * Returns: (transfer full) (nullable): the listener, or %NULL with @error
 *   set
 */
GstSensorNetHttpListener *
gst_sensor_net_http_listener_new (SoupServer *server, GSocketAddress *address,
    guint max_connections, guint idle_timeout, GError **error)
{
  GstSensorNetHttpListener *self;
  GSocket *socket;

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);
  g_return_val_if_fail (G_IS_SOCKET_ADDRESS (address), NULL);
  debug_init ();

  socket = g_socket_new (g_socket_address_get_family (address),
      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
  if (socket == NULL)
    return NULL;
  if (g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, NULL);
  g_socket_set_blocking (socket, FALSE);
  g_socket_set_listen_backlog (socket, GST_SENSOR_NET_HTTP_LISTENER_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) ||
      !g_socket_listen (socket, error)) {
    g_object_unref (socket);
    return NULL;
  }

  self = g_new0 (GstSensorNetHttpListener, 1);
  if (!add_placeholder (self, server, error)) {
    g_object_unref (socket);
    g_free (self);
    return NULL;
  }
  self->server = g_object_ref (server);
  self->socket = socket;
  self->context = g_main_context_ref_thread_default ();
  self->max_connections = max_connections > 0 ?
      max_connections :
      gst_sensor_net_http_listener_default_max_connections ();
  self->idle_timeout = idle_timeout;
  self->conns = g_hash_table_new_full (
      g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) conn_free);
  if (idle_timeout > 0) {
    g_signal_connect (
        server, "request-started", G_CALLBACK (on_request_started), self);
    g_signal_connect (
        server, "request-finished", G_CALLBACK (on_request_done), self);
    g_signal_connect (
        server, "request-aborted", G_CALLBACK (on_request_done), self);
    self->idle_source = g_timeout_source_new (MIN (idle_timeout * 1000, 1000));
    g_source_set_callback (self->idle_source, idle_sweep, self, NULL);
    g_source_attach (self->idle_source, self->context);
  }
  arm (self);
  return self;
}

/**
 * gst_sensor_net_http_listener_free:
 * @listener: (transfer full): the listener
 *
 * Closes the listening socket. Connections already handed to the server
 * stay with it (soup_server_disconnect() closes them).
 */
void
gst_sensor_net_http_listener_free (GstSensorNetHttpListener *listener)
{
  GHashTableIter iter;
  gpointer value;

  if (listener == NULL)
    return;
  if (listener->accept_source) {
    g_source_destroy (listener->accept_source);
    g_source_unref (listener->accept_source);
  }
  if (listener->retry_source) {
    g_source_destroy (listener->retry_source);
    g_source_unref (listener->retry_source);
  }
  if (listener->idle_source) {
    g_source_destroy (listener->idle_source);
    g_source_unref (listener->idle_source);
  }
  g_signal_handlers_disconnect_by_data (listener->server, listener);
  g_list_free_full (listener->lingering, (GDestroyNotify) linger_free);
  g_hash_table_iter_init (&iter, listener->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    Conn *c = value;

    g_object_weak_unref (G_OBJECT (c->conn), conn_gone, c);
  }
  g_hash_table_unref (listener->conns);
  g_socket_close (listener->socket, NULL);
  g_object_unref (listener->socket);
  g_object_unref (listener->placeholder_peer);
  g_object_unref (listener->server);
  g_main_context_unref (listener->context);
  g_clear_pointer (&listener->refusal, g_bytes_unref);
  g_free (listener);
}

/**
 * gst_sensor_net_http_listener_set_state_func:
 * @listener: the listener
 * @func: (nullable) (scope notified): called when accepting stops and
 *   resumes
 * @user_data: (closure): passed to @func
 *
 * Sets who hears about accept errors (e.g. to post a warning).
 */
void
gst_sensor_net_http_listener_set_state_func (GstSensorNetHttpListener *listener,
    GstSensorNetHttpListenerStateFunc func, gpointer user_data)
{
  listener->state_func = func;
  listener->state_data = user_data;
}

/**
 * gst_sensor_net_http_listener_set_refusal:
 * @listener: the listener
 * @response: (nullable): bytes written to a connection refused over the
 *   cap before it is closed, e.g. a whole `503` response; %NULL: none
 *
 * Sets the answer of a refused connection.
 */
void
gst_sensor_net_http_listener_set_refusal (
    GstSensorNetHttpListener *listener, GBytes *response)
{
  g_clear_pointer (&listener->refusal, g_bytes_unref);
  if (response)
    listener->refusal = g_bytes_ref (response);
}

/**
 * gst_sensor_net_http_listener_get_port:
 * @listener: the listener
 *
 * Returns: the port bound (useful after port 0), 0 if unknown
 */
guint16
gst_sensor_net_http_listener_get_port (GstSensorNetHttpListener *listener)
{
  GSocketAddress *addr = g_socket_get_local_address (listener->socket, NULL);
  guint16 port = 0;

  if (addr && G_IS_INET_SOCKET_ADDRESS (addr))
    port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (addr));
  g_clear_object (&addr);
  return port;
}

/**
 * gst_sensor_net_http_listener_close_connection:
 * @listener: the listener
 * @msg: a message of a connection this listener accepted
 *
 * Shuts down the connection @msg arrived on (libsoup then drops it): for
 * request deadlines, as soup_server_message_get_socket() is %NULL for a
 * connection handed over as a stream.
 *
 * Returns: %TRUE if the connection was found
 */
gboolean
gst_sensor_net_http_listener_close_connection (
    GstSensorNetHttpListener *listener, SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  Conn *c = remote ? g_hash_table_lookup (listener->conns, remote) : NULL;

  if (c == NULL)
    return FALSE;
  g_socket_shutdown (
      g_socket_connection_get_socket (c->conn), TRUE, TRUE, NULL);
  return TRUE;
}

/* A connection taken from libsoup, answered and half closed: what the
 * client still sends is read and thrown away until it closes, or for
 * LINGER_MS at most. Closing at once with unread data would reset the
 * connection, which can destroy the answer before the client read it. */
struct _Linger
{
  GstSensorNetHttpListener *listener;
  GIOStream *stream;
  GSocket *socket;
  GSource *read_source;
  GSource *timer;
};

#define LINGER_MS 2000

static void
linger_free (Linger *l)
{
  g_source_destroy (l->read_source);
  g_source_unref (l->read_source);
  g_source_destroy (l->timer);
  g_source_unref (l->timer);
  g_io_stream_close (l->stream, NULL, NULL);
  g_socket_close (l->socket, NULL);
  g_object_unref (l->stream);
  g_object_unref (l->socket);
  g_free (l);
}

static void
linger_end (Linger *l)
{
  l->listener->lingering = g_list_remove (l->listener->lingering, l);
  linger_free (l);
}

static gboolean
linger_read (GSocket *socket, GIOCondition condition, gpointer data)
{
  gchar buf[4096];
  GError *error = NULL;
  gssize n = g_socket_receive_with_blocking (
      socket, buf, sizeof (buf), FALSE, NULL, &error);

  if (n > 0 || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
    g_clear_error (&error);
    return G_SOURCE_CONTINUE;
  }
  g_clear_error (&error);
  linger_end (data);
  return G_SOURCE_REMOVE;
}

static gboolean
linger_timeout (gpointer data)
{
  linger_end (data);
  return G_SOURCE_REMOVE;
}

/**
 * gst_sensor_net_http_listener_reply_and_close:
 * @listener: the listener
 * @msg: a message of a connection this listener accepted, whose request
 *   body is not read yet (from a got-headers or got-chunk handler)
 * @response: a whole HTTP response, sent as is
 *
 * Answers @msg at once, ahead of libsoup, which answers only once the whole
 * request body was read (or, for a Content-Length it cannot use, such as
 * "-5", would wait for an impossible body): the connection is taken from
 * libsoup (soup_server_message_steal_connection(), so the server drops the
 * message), @response goes out without waiting, into the socket's empty
 * send buffer, the sending side is shut down, and what the client still
 * sends is read and thrown away until it closes (2 s at most).
 *
 * Returns: %TRUE if the connection was this listener's and was taken
 */
gboolean
gst_sensor_net_http_listener_reply_and_close (
    GstSensorNetHttpListener *listener, SoupServerMessage *msg,
    GBytes *response)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  Conn *c = remote ? g_hash_table_lookup (listener->conns, remote) : NULL;
  GSocket *socket;
  GIOStream *stream;
  Linger *l;
  gsize size;
  const gchar *data = g_bytes_get_data (response, &size);

  if (c == NULL)
    return FALSE;
  socket = g_object_ref (g_socket_connection_get_socket (c->conn));
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL) {
    g_object_unref (socket);
    return FALSE;
  }
  g_socket_send_with_blocking (socket, data, size, FALSE, NULL, NULL);
  g_socket_shutdown (socket, FALSE, TRUE, NULL);

  l = g_new0 (Linger, 1);
  l->listener = listener;
  l->stream = stream;
  l->socket = socket;
  l->read_source = g_socket_create_source (socket, G_IO_IN, NULL);
  g_source_set_callback (
      l->read_source, (GSourceFunc) (GCallback) linger_read, l, NULL);
  g_source_attach (l->read_source, listener->context);
  l->timer = g_timeout_source_new (LINGER_MS);
  g_source_set_callback (l->timer, linger_timeout, l, NULL);
  g_source_attach (l->timer, listener->context);
  listener->lingering = g_list_prepend (listener->lingering, l);
  return TRUE;
}

/**
 * gst_sensor_net_http_listener_get_stats:
 * @listener: the listener
 * @stats: (out caller-allocates): the counters
 *
 * Reads the counters; may be called from any thread.
 */
void
gst_sensor_net_http_listener_get_stats (
    GstSensorNetHttpListener *listener, GstSensorNetHttpListenerStats *stats)
{
  stats->open = __atomic_load_n (&listener->stats.open, __ATOMIC_RELAXED);
  stats->accepted =
      __atomic_load_n (&listener->stats.accepted, __ATOMIC_RELAXED);
  stats->refused = __atomic_load_n (&listener->stats.refused, __ATOMIC_RELAXED);
  stats->accept_errors =
      __atomic_load_n (&listener->stats.accept_errors, __ATOMIC_RELAXED);
}
