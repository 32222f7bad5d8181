/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:sensornet-ws-limit-stream
 * @title: WebSocket message limit
 * @short_description: a whole-message size limit under a libsoup WebSocket
 *   connection
 *
 * Whole-message limit for libsoup WebSocket connections.
 *
 * libsoup 3.2's max-incoming-payload-size caps each frame, but a message
 * reassembled from continuation frames grows without bound. This GIOStream
 * sits between the socket and SoupWebsocketConnection and reads the RFC 6455
 * frame headers as the bytes pass through (payload bytes pass unchanged).
 * It keeps the running size of the current data message; when a frame would
 * take it over the limit, that frame and every later data frame are
 * discarded here (control frames still pass, so the close handshake and
 * pings work) and the owner is told from an idle source, so that it closes
 * the connection with 1009. libsoup then holds at most the limit of the
 * partial message. Later data messages are dropped too: libsoup still holds
 * the partial one and would call a new one out of order, and the connection
 * is closing anyway.
 *
 * Both types are registered under names unique to this copy of the static
 * library, so plugins that each link it do not clash.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <string.h>

#include "sensornet-ws-limit-stream.h"

/* Raw bytes read per step; discarding reads at most this many steps before
 * it lets the main loop run (the idle that closes the connection). */
#define SCRATCH_SIZE 4096
#define DISCARD_STEPS 64
#define MAX_HEADER 14

typedef void (*LimitNotify) (guint64 size, gpointer data);

typedef struct
{
  GInputStream parent;
  GInputStream *base;
  GBytes *initial; /* bytes read past the HTTP head, filtered first */
  guint64 limit;
  GByteArray *pending; /* filtered bytes the caller had no room for */

  guint8 hdr[MAX_HEADER];
  guint hdr_len;
  guint hdr_need;
  guint64 payload_left;
  gboolean pass_frame;
  guint64 msg_size;
  gboolean overflowed;
  guint64 oversized;

  LimitNotify notify;
  gpointer notify_data;
  GDestroyNotify notify_destroy;
} LimitInput;

typedef struct
{
  GInputStreamClass parent_class;
} LimitInputClass;

typedef struct
{
  GIOStream parent;
  GIOStream *base;
  LimitInput *input;
} LimitStream;

typedef struct
{
  GIOStreamClass parent_class;
} LimitStreamClass;

static GType limit_input_get_type (void);
static GType limit_stream_get_type (void);
static gpointer limit_input_parent_class;
static gpointer limit_stream_parent_class;

#define LIMIT_INPUT(o) ((LimitInput *) (o))
#define LIMIT_STREAM(o) ((LimitStream *) (o))

/* ---------------------------------------------------------------------- */
/* Frame filter                                                            */
/* ---------------------------------------------------------------------- */

typedef struct
{
  guint8 *buf;
  gsize count;
  gsize o;
} Out;

static void
emit (LimitInput *self, Out *out, const guint8 *data, gsize len)
{
  gsize room = out->count - out->o;
  gsize n = MIN (room, len);

  memcpy (out->buf + out->o, data, n);
  out->o += n;
  if (n < len)
    g_byte_array_append (self->pending, data + n, len - n);
}

/* The frame header in self->hdr is complete: pass or drop its frame. */
static void
decide (LimitInput *self)
{
  gboolean fin = (self->hdr[0] & 0x80) != 0;
  guint8 opcode = self->hdr[0] & 0x0f;
  guint len7 = self->hdr[1] & 0x7f;
  guint64 len = len7;
  guint i;

  if (len7 == 126)
    len = ((guint64) self->hdr[2] << 8) | self->hdr[3];
  else if (len7 == 127)
    for (len = 0, i = 2; i < 10; i++)
      len = (len << 8) | self->hdr[i];
  self->payload_left = len;

  if (opcode & 0x08) {
    /* control frames: libsoup caps them per frame */
    self->pass_frame = TRUE;
    return;
  }
  if (self->overflowed) {
    self->pass_frame = FALSE;
    return;
  }
  if (opcode != 0)
    self->msg_size = 0;
  if (len > self->limit - self->msg_size) {
    guint64 seen = self->msg_size + MIN (len, G_MAXUINT64 - self->msg_size);

    self->overflowed = TRUE;
    self->oversized++;
    self->pass_frame = FALSE;
    g_debug ("WebSocket message over %" G_GUINT64_FORMAT
             " bytes (%" G_GUINT64_FORMAT " so far): discarding",
        self->limit, seen);
    if (self->notify)
      self->notify (seen, self->notify_data);
    return;
  }
  self->msg_size += len;
  self->pass_frame = TRUE;
  if (fin)
    self->msg_size = 0;
}

static void
filter (LimitInput *self, const guint8 *raw, gsize n, Out *out)
{
  gsize i = 0;

  while (i < n) {
    if (self->payload_left > 0) {
      gsize take = (gsize) MIN (self->payload_left, (guint64) (n - i));

      if (self->pass_frame)
        emit (self, out, raw + i, take);
      self->payload_left -= take;
      i += take;
      continue;
    }
    self->hdr[self->hdr_len++] = raw[i++];
    if (self->hdr_len == 2) {
      guint len7 = self->hdr[1] & 0x7f;

      self->hdr_need = 2 +
          (len7 == 126        ? 2 :
                  len7 == 127 ? 8 :
                                0) +
          ((self->hdr[1] & 0x80) ? 4 : 0);
    }
    if (self->hdr_len < 2 || self->hdr_len < self->hdr_need)
      continue;
    decide (self);
    if (self->pass_frame)
      emit (self, out, self->hdr, self->hdr_len);
    self->hdr_len = 0;
    self->hdr_need = 0;
  }
}

static gssize
limit_input_read_internal (LimitInput *self, void *buffer, gsize count,
    gboolean blocking, GCancellable *cancellable, GError **error)
{
  guint8 scratch[SCRATCH_SIZE];
  Out out = { buffer, count, 0 };
  guint steps = 0;

  if (self->pending->len > 0) {
    gsize n = MIN (count, self->pending->len);

    memcpy (buffer, self->pending->data, n);
    g_byte_array_remove_range (self->pending, 0, n);
    return n;
  }

  for (;;) {
    gssize n;

    if (self->initial) {
      gsize size;
      const guint8 *data = g_bytes_get_data (self->initial, &size);

      filter (self, data, size, &out);
      g_clear_pointer (&self->initial, g_bytes_unref);
    } else {
      gsize want = self->overflowed ? SCRATCH_SIZE : MIN (count, SCRATCH_SIZE);

      if (blocking)
        n = g_input_stream_read (self->base, scratch, want, cancellable, error);
      else
        n = g_pollable_input_stream_read_nonblocking (
            G_POLLABLE_INPUT_STREAM (self->base), scratch, want, cancellable,
            error);
      if (n <= 0)
        return n;
      filter (self, scratch, n, &out);
    }
    if (out.o > 0)
      return out.o;
    /* All of it was dropped (or is a partial header). Let the main loop run
     * now and then while a flood is being discarded. */
    if (!blocking && ++steps >= DISCARD_STEPS) {
      g_set_error_literal (
          error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, g_strerror (EAGAIN));
      return -1;
    }
  }
}

static gssize
limit_input_read (GInputStream *stream, void *buffer, gsize count,
    GCancellable *cancellable, GError **error)
{
  return limit_input_read_internal (
      LIMIT_INPUT (stream), buffer, count, TRUE, cancellable, error);
}

static gssize
limit_input_read_nonblocking (
    GPollableInputStream *stream, void *buffer, gsize count, GError **error)
{
  return limit_input_read_internal (
      LIMIT_INPUT (stream), buffer, count, FALSE, NULL, error);
}

static gboolean
limit_input_has_buffered (LimitInput *self)
{
  return self->pending->len > 0 || self->initial != NULL;
}

static gboolean
limit_input_can_poll (GPollableInputStream *stream)
{
  return g_pollable_input_stream_can_poll (
      G_POLLABLE_INPUT_STREAM (LIMIT_INPUT (stream)->base));
}

static gboolean
limit_input_is_readable (GPollableInputStream *stream)
{
  LimitInput *self = LIMIT_INPUT (stream);

  return limit_input_has_buffered (self) ||
      g_pollable_input_stream_is_readable (
          G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
limit_input_create_source (
    GPollableInputStream *stream, GCancellable *cancellable)
{
  LimitInput *self = LIMIT_INPUT (stream);
  GSource *child, *source;

  /* buffered bytes: ready at once */
  if (limit_input_has_buffered (self))
    child = g_timeout_source_new (0);
  else
    child = g_pollable_input_stream_create_source (
        G_POLLABLE_INPUT_STREAM (self->base), cancellable);
  source = g_pollable_source_new_full (stream, child, cancellable);
  g_source_unref (child);
  return source;
}

static gboolean
limit_input_close (
    GInputStream *stream, GCancellable *cancellable, GError **error)
{
  /* the base stream is closed with the GIOStream */
  return TRUE;
}

static void
limit_input_finalize (GObject *object)
{
  LimitInput *self = LIMIT_INPUT (object);

  if (self->notify_destroy)
    self->notify_destroy (self->notify_data);
  g_clear_object (&self->base);
  g_clear_pointer (&self->initial, g_bytes_unref);
  g_byte_array_unref (self->pending);
  G_OBJECT_CLASS (limit_input_parent_class)->finalize (object);
}

static void
limit_input_class_init (gpointer klass, gpointer data)
{
  GObjectClass *gobject_class = klass;
  GInputStreamClass *input_class = klass;

  limit_input_parent_class = g_type_class_peek_parent (klass);
  gobject_class->finalize = limit_input_finalize;
  input_class->read_fn = limit_input_read;
  input_class->close_fn = limit_input_close;
}

static void
limit_input_init (GTypeInstance *instance, gpointer klass)
{
  LimitInput *self = LIMIT_INPUT (instance);

  self->pending = g_byte_array_new ();
  self->limit = G_MAXUINT64;
}

static void
limit_input_pollable_init (gpointer g_iface, gpointer data)
{
  GPollableInputStreamInterface *iface = g_iface;

  iface->can_poll = limit_input_can_poll;
  iface->is_readable = limit_input_is_readable;
  iface->create_source = limit_input_create_source;
  iface->read_nonblocking = limit_input_read_nonblocking;
}

/* A name of our own per copy of this static library. */
static const gchar *
unique_type_name (const gchar *base, gconstpointer anchor)
{
  gchar *name = g_strdup_printf ("%s_%p", base, anchor);
  const gchar *interned = g_intern_string (name);

  g_free (name);
  return interned;
}

static GType
limit_input_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type)) {
    static const GInterfaceInfo pollable = { limit_input_pollable_init, NULL,
      NULL };
    GType t = g_type_register_static_simple (G_TYPE_INPUT_STREAM,
        unique_type_name ("GstSensorNetWsLimitInput", &type),
        sizeof (LimitInputClass), limit_input_class_init, sizeof (LimitInput),
        limit_input_init, 0);

    g_type_add_interface_static (t, G_TYPE_POLLABLE_INPUT_STREAM, &pollable);
    g_once_init_leave (&type, t);
  }
  return type;
}

/* ---------------------------------------------------------------------- */
/* The GIOStream                                                           */
/* ---------------------------------------------------------------------- */

static GInputStream *
limit_stream_get_input (GIOStream *stream)
{
  return G_INPUT_STREAM (LIMIT_STREAM (stream)->input);
}

static GOutputStream *
limit_stream_get_output (GIOStream *stream)
{
  return g_io_stream_get_output_stream (LIMIT_STREAM (stream)->base);
}

static gboolean
limit_stream_close (
    GIOStream *stream, GCancellable *cancellable, GError **error)
{
  return g_io_stream_close (LIMIT_STREAM (stream)->base, cancellable, error);
}

static void
limit_stream_base_closed (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  GError *error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (source), res, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

/* TLS connections close asynchronously (close_notify): pass it on rather
 * than run the blocking close in a thread. */
static void
limit_stream_close_async (GIOStream *stream, int io_priority,
    GCancellable *cancellable, GAsyncReadyCallback callback, gpointer data)
{
  GTask *task = g_task_new (stream, cancellable, callback, data);

  g_io_stream_close_async (LIMIT_STREAM (stream)->base, io_priority,
      cancellable, limit_stream_base_closed, task);
}

static gboolean
limit_stream_close_finish (
    GIOStream *stream, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
limit_stream_finalize (GObject *object)
{
  LimitStream *self = LIMIT_STREAM (object);

  g_clear_object (&self->input);
  g_clear_object (&self->base);
  G_OBJECT_CLASS (limit_stream_parent_class)->finalize (object);
}

static void
limit_stream_class_init (gpointer klass, gpointer data)
{
  GObjectClass *gobject_class = klass;
  GIOStreamClass *io_class = klass;

  limit_stream_parent_class = g_type_class_peek_parent (klass);
  gobject_class->finalize = limit_stream_finalize;
  io_class->get_input_stream = limit_stream_get_input;
  io_class->get_output_stream = limit_stream_get_output;
  io_class->close_fn = limit_stream_close;
  io_class->close_async = limit_stream_close_async;
  io_class->close_finish = limit_stream_close_finish;
}

static GType
limit_stream_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type)) {
    GType t = g_type_register_static_simple (G_TYPE_IO_STREAM,
        unique_type_name ("GstSensorNetWsLimitStream", &type),
        sizeof (LimitStreamClass), limit_stream_class_init,
        sizeof (LimitStream), NULL, 0);

    g_once_init_leave (&type, t);
  }
  return type;
}

/**
 * gst_sensor_net_ws_limit_stream_new:
 * @base: (transfer none): the connection to the peer; its input stream must
 *   be pollable
 * @initial: (nullable) (transfer none): bytes already read from @base (past
 *   an HTTP head), read before anything else
 * @max_message_size: the largest data message let through, in bytes; 0 =
 *   no limit
 *
 * Wraps @base for a #SoupWebsocketConnection: a data message that grows
 * over @max_message_size is cut off from the first frame that breaks the
 * limit (see the top of this file). Writes go straight to @base; closing
 * this stream closes @base.
 *
 * Returns: (transfer full): the wrapping stream
 */
GIOStream *
gst_sensor_net_ws_limit_stream_new (
    GIOStream *base, GBytes *initial, guint64 max_message_size)
{
  LimitStream *self;
  LimitInput *input;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);

  input = g_object_new (limit_input_get_type (), NULL);
  input->base = g_object_ref (g_io_stream_get_input_stream (base));
  if (initial && g_bytes_get_size (initial) > 0)
    input->initial = g_bytes_ref (initial);
  input->limit = max_message_size ? max_message_size : G_MAXUINT64;

  self = g_object_new (limit_stream_get_type (), NULL);
  self->base = g_object_ref (base);
  self->input = input;
  return G_IO_STREAM (self);
}

/**
 * gst_sensor_net_ws_limit_stream_get_oversized_count:
 * @stream: a stream from gst_sensor_net_ws_limit_stream_new()
 *
 * Returns: how many messages went over the limit on @stream (0 or 1: the
 *   first one stops the data)
 */
guint64
gst_sensor_net_ws_limit_stream_get_oversized_count (GIOStream *stream)
{
  g_return_val_if_fail (
      G_TYPE_CHECK_INSTANCE_TYPE (stream, limit_stream_get_type ()), 0);

  return LIMIT_STREAM (stream)->input->oversized;
}

/* ---------------------------------------------------------------------- */
/* Connections over the wrapper                                            */
/* ---------------------------------------------------------------------- */

typedef struct
{
  GWeakRef conn;
  GMainContext *context;
  GstSensorNetWsOversizedFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
} Watch;

typedef struct
{
  Watch *watch; /* kept alive by the input stream, which the idle refs */
  GObject *input;
  guint64 size;
} OversizedEvent;

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  if (watch->destroy)
    watch->destroy (watch->user_data);
  g_weak_ref_clear (&watch->conn);
  g_main_context_unref (watch->context);
  g_free (watch);
}

static gchar *
oversized_reason (guint64 limit)
{
  return g_strdup_printf (
      "Message larger than %" G_GUINT64_FORMAT " bytes", limit);
}

static void
close_too_big (SoupWebsocketConnection *conn)
{
  GIOStream *stream = soup_websocket_connection_get_io_stream (conn);
  gchar *reason;

  if (soup_websocket_connection_get_state (conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  reason = oversized_reason (LIMIT_STREAM (stream)->input->limit);
  soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_TOO_BIG, reason);
  g_free (reason);
}

static gboolean
oversized_idle (gpointer data)
{
  OversizedEvent *ev = data;
  SoupWebsocketConnection *conn = g_weak_ref_get (&ev->watch->conn);

  if (conn) {
    if (ev->watch->func)
      ev->watch->func (conn, ev->size, ev->watch->user_data);
    else
      close_too_big (conn);
    g_object_unref (conn);
  }
  return G_SOURCE_REMOVE;
}

static void
oversized_event_free (gpointer data)
{
  OversizedEvent *ev = data;

  g_object_unref (ev->input);
  g_free (ev);
}

/* Inside a read: only schedule. */
static void
on_oversized (guint64 size, gpointer data)
{
  Watch *watch = data;
  SoupWebsocketConnection *conn = g_weak_ref_get (&watch->conn);
  OversizedEvent *ev;
  GSource *source;

  if (!conn)
    return;
  ev = g_new0 (OversizedEvent, 1);
  ev->watch = watch;
  ev->input = (GObject *) g_object_ref (g_io_stream_get_input_stream (
      soup_websocket_connection_get_io_stream (conn)));
  ev->size = size;
  g_object_unref (conn);
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, oversized_idle, ev, oversized_event_free);
  g_source_attach (source, watch->context);
  g_source_unref (source);
}

/**
 * gst_sensor_net_ws_connection_new:
 * @base: (transfer none): the upgraded connection
 * @initial: (nullable) (transfer none): bytes read past the HTTP head
 * @uri: (transfer none): the request URI
 * @type: client or server
 * @origin: (nullable): the Origin of the request
 * @protocol: (nullable): the negotiated subprotocol
 * @max_message_size: the largest data message accepted, in bytes; 0 =
 *   %GST_SENSOR_NET_WS_DEFAULT_MAX_MESSAGE_SIZE
 * @func: (nullable) (scope notified): called (from an idle source on the
 *   calling thread's default context) when a message goes over the limit;
 *   %NULL closes the connection with 1009
 * @user_data: for @func
 * @destroy: (nullable): frees @user_data when the connection is gone
 *
 * A #SoupWebsocketConnection (no extensions: a permessage-deflate message
 * could inflate without bound) over gst_sensor_net_ws_limit_stream_new(). Call
 * it on the thread whose default context will run the connection.
 *
 * Returns: (transfer full): the connection
 */
SoupWebsocketConnection *
gst_sensor_net_ws_connection_new (GIOStream *base, GBytes *initial, GUri *uri,
    SoupWebsocketConnectionType type, const gchar *origin,
    const gchar *protocol, guint64 max_message_size,
    GstSensorNetWsOversizedFunc func, gpointer user_data,
    GDestroyNotify destroy)
{
  SoupWebsocketConnection *conn;
  GIOStream *stream;
  LimitInput *input;
  Watch *watch;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  if (max_message_size == 0)
    max_message_size = GST_SENSOR_NET_WS_DEFAULT_MAX_MESSAGE_SIZE;
  stream = gst_sensor_net_ws_limit_stream_new (base, initial, max_message_size);
  conn =
      soup_websocket_connection_new (stream, uri, type, origin, protocol, NULL);
  /* never reached (no frame over the limit gets through), a second fence */
  soup_websocket_connection_set_max_incoming_payload_size (
      conn, max_message_size);

  watch = g_new0 (Watch, 1);
  g_weak_ref_init (&watch->conn, conn);
  watch->context = g_main_context_ref_thread_default ();
  watch->func = func;
  watch->user_data = user_data;
  watch->destroy = destroy;
  input = LIMIT_STREAM (stream)->input;
  input->notify = on_oversized;
  input->notify_data = watch;
  input->notify_destroy = watch_free;
  g_object_unref (stream);
  return conn;
}

/* ---------------------------------------------------------------------- */
/* Server side                                                             */
/* ---------------------------------------------------------------------- */

typedef struct
{
  gchar *origin;
  gchar **protocols;
  guint64 max_message_size;
  SoupServerWebsocketCallback callback;
  gpointer user_data;
  GDestroyNotify destroy;
} ServerHandler;

typedef struct
{
  SoupServer *server;
  ServerHandler *handler;
} Upgrade;

static gint server_oversized;

static void
server_handler_free (gpointer data)
{
  ServerHandler *h = data;

  if (h->destroy)
    h->destroy (h->user_data);
  g_free (h->origin);
  g_strfreev (h->protocols);
  g_free (h);
}

static void
server_oversized_cb (SoupWebsocketConnection *conn, guint64 size, gpointer d)
{
  g_atomic_int_inc (&server_oversized);
  g_message ("closing a WebSocket (%s) with 1009: message of %" G_GUINT64_FORMAT
             "+ bytes",
      g_uri_get_path (soup_websocket_connection_get_uri (conn)), size);
  close_too_big (conn);
}

/* After the 101 went out: take the socket, as libsoup's own websocket
 * handler does, but over the limit wrapper. */
static void
on_wrote_informational (SoupServerMessage *msg, gpointer data)
{
  Upgrade *up = data;
  ServerHandler *h = up->handler;
  SoupServer *server = up->server;
  GUri *uri = soup_server_message_get_uri (msg);
  SoupWebsocketConnection *conn;
  GIOStream *stream;

  if (soup_server_message_get_status (msg) != SOUP_STATUS_SWITCHING_PROTOCOLS)
    return;
  /* frees @up */
  g_signal_handlers_disconnect_by_func (msg, on_wrote_informational, data);
  g_object_ref (msg);
  stream = soup_server_message_steal_connection (msg);
  conn = gst_sensor_net_ws_connection_new (stream, NULL, uri,
      SOUP_WEBSOCKET_CONNECTION_SERVER,
      soup_message_headers_get_one (
          soup_server_message_get_request_headers (msg), "Origin"),
      soup_message_headers_get_one (
          soup_server_message_get_response_headers (msg),
          "Sec-WebSocket-Protocol"),
      h->max_message_size, server_oversized_cb, NULL, NULL);
  g_object_unref (stream);
  h->callback (server, msg, g_uri_get_path (uri), conn, h->user_data);
  g_object_unref (conn);
  g_object_unref (msg);
}

static void
upgrade_free (gpointer data, GClosure *closure)
{
  g_free (data);
}

static void
server_handler_cb (SoupServer *server, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer data)
{
  ServerHandler *h = data;
  Upgrade *up;

  /* no extension types: permessage-deflate is refused */
  if (!soup_websocket_server_process_handshake (
          msg, h->origin, h->protocols, NULL, NULL))
    return;
  up = g_new0 (Upgrade, 1);
  up->server = server;
  up->handler = h;
  g_signal_connect_data (msg, "wrote-informational",
      G_CALLBACK (on_wrote_informational), up, upgrade_free, 0);
}

/**
 * gst_sensor_net_ws_server_add_handler:
 * @server: a #SoupServer
 * @path: (nullable): the path to handle
 * @origin: (nullable): the origin to require, as for
 *   soup_server_add_websocket_handler()
 * @protocols: (nullable) (array zero-terminated=1): accepted subprotocols
 * @max_message_size: the largest data message accepted from a client, in
 *   bytes; 0 = %GST_SENSOR_NET_WS_DEFAULT_MAX_MESSAGE_SIZE
 * @callback: called with each new connection
 * @user_data: for @callback
 * @destroy: (nullable): frees @user_data with the handler
 *
 * soup_server_add_websocket_handler() with a whole-message limit: a client
 * whose message grows over @max_message_size is closed with 1009 (and
 * counted, see gst_sensor_net_ws_server_get_oversized_count()) and libsoup
 * holds at most that much of it. No extensions are negotiated.
 */
void
gst_sensor_net_ws_server_add_handler (SoupServer *server, const gchar *path,
    const gchar *origin, gchar **protocols, guint64 max_message_size,
    SoupServerWebsocketCallback callback, gpointer user_data,
    GDestroyNotify destroy)
{
  ServerHandler *h;

  g_return_if_fail (SOUP_IS_SERVER (server));
  g_return_if_fail (callback != NULL);

  h = g_new0 (ServerHandler, 1);
  h->origin = g_strdup (origin);
  h->protocols = g_strdupv (protocols);
  h->max_message_size = max_message_size;
  h->callback = callback;
  h->user_data = user_data;
  h->destroy = destroy;
  soup_server_add_handler (
      server, path, server_handler_cb, h, server_handler_free);
}

/**
 * gst_sensor_net_ws_server_get_oversized_count:
 *
 * Returns: how many connections of every handler added with
 *   gst_sensor_net_ws_server_add_handler() (in this copy of the library) were
 *   closed with 1009 for an oversized message
 */
guint64
gst_sensor_net_ws_server_get_oversized_count (void)
{
  return (guint64) g_atomic_int_get (&server_oversized);
}
