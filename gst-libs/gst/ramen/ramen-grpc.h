/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The only door to the gRPC C core: every other file of the project talks
 * gRPC through these few calls, with GBytes for serialized messages and
 * plain strings for metadata. Client calls are driven by the thread that
 * calls them (one completion queue per call, waits sliced so that an
 * interrupt flag is seen within GST_RAMEN_GRPC_POLL_MS); the server runs its
 * completion queue on a thread of its own and calls back on that thread. */

#define GST_RAMEN_GRPC_POLL_MS 20

/* gRPC status codes, same values as the wire. */
typedef enum {
  GST_RAMEN_GRPC_OK = 0,
  GST_RAMEN_GRPC_CANCELLED = 1,
  GST_RAMEN_GRPC_UNKNOWN = 2,
  GST_RAMEN_GRPC_INVALID_ARGUMENT = 3,
  GST_RAMEN_GRPC_DEADLINE_EXCEEDED = 4,
  GST_RAMEN_GRPC_NOT_FOUND = 5,
  GST_RAMEN_GRPC_ALREADY_EXISTS = 6,
  GST_RAMEN_GRPC_PERMISSION_DENIED = 7,
  GST_RAMEN_GRPC_RESOURCE_EXHAUSTED = 8,
  GST_RAMEN_GRPC_FAILED_PRECONDITION = 9,
  GST_RAMEN_GRPC_ABORTED = 10,
  GST_RAMEN_GRPC_OUT_OF_RANGE = 11,
  GST_RAMEN_GRPC_UNIMPLEMENTED = 12,
  GST_RAMEN_GRPC_INTERNAL = 13,
  GST_RAMEN_GRPC_UNAVAILABLE = 14,
  GST_RAMEN_GRPC_DATA_LOSS = 15,
  GST_RAMEN_GRPC_UNAUTHENTICATED = 16,
} GstRamenGrpcStatus;

const gchar *gst_ramen_grpc_status_name (GstRamenGrpcStatus status);

/* The failure rule of RAMEN calls: TRUE when retrying meets the same
 * answer (UNAUTHENTICATED, UNIMPLEMENTED, a message over our own size
 * limit); everything else is transient. RESOURCE_EXHAUSTED is also how
 * servers say "rate limited", which is transient. */
gboolean gst_ramen_grpc_status_is_fatal (
    GstRamenGrpcStatus status, const gchar *details);

/* "UNAVAILABLE: failed to connect ...": the status name and the details,
 * or the name alone when @details is NULL or empty. */
gchar *gst_ramen_grpc_status_describe (
    GstRamenGrpcStatus status, const gchar *details);

/* Splits a ramensrc location into a gRPC target and the TLS choice: an
 * http:// or grpc:// prefix means plaintext, https:// or grpcs:// TLS,
 * none @default_tls; a path after the authority is ignored. The target
 * must be host, host:port or [v6]:port with a port 1..65535. FALSE with
 * @error (G_IO_ERROR_INVALID_ARGUMENT) otherwise. */
gboolean gst_ramen_grpc_parse_location (const gchar *location,
    gboolean default_tls, gchar **target, gboolean *tls, GError **error);

/* Holds the gRPC runtime up between calls (reference counted). Channels
 * and servers hold it too; an element holds it from start to stop so that
 * reconnecting does not tear the runtime down and build it again. */
void gst_ramen_grpc_runtime_ref (void);
void gst_ramen_grpc_runtime_unref (void);

/* ---- client ---- */

typedef struct _GstRamenGrpcChannel GstRamenGrpcChannel;
typedef struct _GstRamenGrpcStream GstRamenGrpcStream;

/* @target is "host:port". With @tls, the server is verified against
 * @ca_pem, or the system roots when @ca_pem is NULL. Messages larger than
 * @max_receive_size fail the call with RESOURCE_EXHAUSTED. */
GstRamenGrpcChannel *gst_ramen_grpc_channel_new (const gchar *target,
    gboolean tls, const gchar *ca_pem, gsize max_receive_size);
void gst_ramen_grpc_channel_free (GstRamenGrpcChannel *channel);

/* Outcome of a wait. */
typedef enum {
  GST_RAMEN_GRPC_WAIT_MESSAGE,     /* a message arrived */
  GST_RAMEN_GRPC_WAIT_TIMEOUT,     /* the deadline passed first */
  GST_RAMEN_GRPC_WAIT_INTERRUPTED, /* *interrupt became non-zero */
  GST_RAMEN_GRPC_WAIT_CLOSED,      /* the call ended; see the status */
} GstRamenGrpcWait;

/* One unary call. @metadata is a NULL-terminated key, value, ... list.
 * Blocks up to @timeout_us; returns WAIT_MESSAGE with *@response set, or
 * WAIT_CLOSED with *@status / *@details (call g_free on details), or
 * WAIT_INTERRUPTED. A deadline is reported as WAIT_CLOSED with
 * DEADLINE_EXCEEDED. */
GstRamenGrpcWait gst_ramen_grpc_unary (GstRamenGrpcChannel *channel,
    const gchar *method, const gchar *const *metadata, GBytes *request,
    gint64 timeout_us, const gint *interrupt, GBytes **response,
    GstRamenGrpcStatus *status, gchar **details);

/* Opens a bidirectional streaming call (no deadline). */
GstRamenGrpcStream *gst_ramen_grpc_stream_open (GstRamenGrpcChannel *channel,
    const gchar *method, const gchar *const *metadata);

/* Queues one message; messages go out in order, one at a time. FALSE when
 * @max_queued messages are already waiting (the message is not queued). */
gboolean gst_ramen_grpc_stream_send (
    GstRamenGrpcStream *stream, GBytes *message, guint max_queued);

/* Waits for the next message until the monotonic time @deadline_us (-1 =
 * no deadline), meanwhile pushing queued sends. */
GstRamenGrpcWait gst_ramen_grpc_stream_recv (GstRamenGrpcStream *stream,
    gint64 deadline_us, const gint *interrupt, GBytes **message);

/* After WAIT_CLOSED: the final status and its details (owned by stream). */
GstRamenGrpcStatus gst_ramen_grpc_stream_get_status (
    GstRamenGrpcStream *stream, const gchar **details);

/* Cancels the call if still open and frees everything. */
void gst_ramen_grpc_stream_close (GstRamenGrpcStream *stream);

/* ---- server ---- */

typedef struct _GstRamenGrpcServer GstRamenGrpcServer;
typedef struct _GstRamenGrpcServerCall GstRamenGrpcServerCall;

typedef struct
{
  /* A new call. Metadata as a NULL-terminated key, value, ... list, valid
   * during this callback only. Return an object to attach to the call. */
  gpointer (*call_started) (GstRamenGrpcServerCall *call, const gchar *method,
      const gchar *const *metadata, gpointer user_data);
  /* A message from the client; NULL when the client half-closed. */
  void (*message) (GstRamenGrpcServerCall *call, GBytes *message,
      gpointer call_data, gpointer user_data);
  /* The send queue of the call became empty. */
  void (*drained) (
      GstRamenGrpcServerCall *call, gpointer call_data, gpointer user_data);
  /* The call is over (finished, cancelled or broken); the call and
   * @call_data must not be used after this returns. */
  void (*call_done) (
      GstRamenGrpcServerCall *call, gpointer call_data, gpointer user_data);
  /* Called on the server thread every @tick_ms. */
  void (*tick) (gpointer user_data);
} GstRamenGrpcServerFuncs;

/* Listens on @address ("127.0.0.1:0"), returns the bound port in *@port.
 * With @cert_pem and @key_pem it serves TLS with that certificate chain,
 * otherwise plaintext. */
GstRamenGrpcServer *gst_ramen_grpc_server_new (const gchar *address,
    const gchar *cert_pem, const gchar *key_pem,
    const GstRamenGrpcServerFuncs *funcs, gpointer user_data, guint tick_ms,
    guint *port, GError **error);
/* Cancels every call, stops the thread and frees the server. */
void gst_ramen_grpc_server_free (GstRamenGrpcServer *server);

/* Server-thread only. Queues a message; messages go out in order. */
void gst_ramen_grpc_server_call_send (
    GstRamenGrpcServerCall *call, GBytes *message);
/* Number of queued (not yet sent) messages. */
guint gst_ramen_grpc_server_call_queued (GstRamenGrpcServerCall *call);
/* Ends the call with @status once the queued messages are out. */
void gst_ramen_grpc_server_call_finish (GstRamenGrpcServerCall *call,
    GstRamenGrpcStatus status, const gchar *details);
/* Aborts the call now (like a dropped connection). */
void gst_ramen_grpc_server_call_cancel (GstRamenGrpcServerCall *call);

G_END_DECLS
