/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * GST_RAMEN_GRPC_POLL_MS:
 *
 * Client waits are sliced into steps of this many milliseconds, so that an
 * interrupt flag is seen within one step.
 */
#define GST_RAMEN_GRPC_POLL_MS 20

/**
 * GstRamenGrpcStatus:
 * @GST_RAMEN_GRPC_OK: OK
 * @GST_RAMEN_GRPC_CANCELLED: CANCELLED
 * @GST_RAMEN_GRPC_UNKNOWN: UNKNOWN
 * @GST_RAMEN_GRPC_INVALID_ARGUMENT: INVALID_ARGUMENT
 * @GST_RAMEN_GRPC_DEADLINE_EXCEEDED: DEADLINE_EXCEEDED
 * @GST_RAMEN_GRPC_NOT_FOUND: NOT_FOUND
 * @GST_RAMEN_GRPC_ALREADY_EXISTS: ALREADY_EXISTS
 * @GST_RAMEN_GRPC_PERMISSION_DENIED: PERMISSION_DENIED
 * @GST_RAMEN_GRPC_RESOURCE_EXHAUSTED: RESOURCE_EXHAUSTED (also "rate
 *   limited")
 * @GST_RAMEN_GRPC_FAILED_PRECONDITION: FAILED_PRECONDITION
 * @GST_RAMEN_GRPC_ABORTED: ABORTED
 * @GST_RAMEN_GRPC_OUT_OF_RANGE: OUT_OF_RANGE
 * @GST_RAMEN_GRPC_UNIMPLEMENTED: UNIMPLEMENTED
 * @GST_RAMEN_GRPC_INTERNAL: INTERNAL
 * @GST_RAMEN_GRPC_UNAVAILABLE: UNAVAILABLE
 * @GST_RAMEN_GRPC_DATA_LOSS: DATA_LOSS
 * @GST_RAMEN_GRPC_UNAUTHENTICATED: UNAUTHENTICATED
 *
 * gRPC status codes, the same values as on the wire.
 */
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

gboolean gst_ramen_grpc_status_is_fatal (
    GstRamenGrpcStatus status, const gchar *details);

gchar *gst_ramen_grpc_status_describe (
    GstRamenGrpcStatus status, const gchar *details);

gboolean gst_ramen_grpc_parse_location (const gchar *location,
    gboolean default_tls, gchar **target, gboolean *tls, GError **error);

void gst_ramen_grpc_runtime_ref (void);
void gst_ramen_grpc_runtime_unref (void);

/**
 * GstRamenGrpcChannel:
 *
 * A connection to one server (gRPC channel); opaque.
 */
typedef struct _GstRamenGrpcChannel GstRamenGrpcChannel;

/**
 * GstRamenGrpcStream:
 *
 * One bidirectional streaming call, driven by the thread that calls
 * gst_ramen_grpc_stream_recv(); opaque.
 */
typedef struct _GstRamenGrpcStream GstRamenGrpcStream;

GstRamenGrpcChannel *gst_ramen_grpc_channel_new (const gchar *target,
    gboolean tls, const gchar *ca_pem, gsize max_receive_size);
void gst_ramen_grpc_channel_free (GstRamenGrpcChannel *channel);

/**
 * GstRamenGrpcWait:
 * @GST_RAMEN_GRPC_WAIT_MESSAGE: a message arrived
 * @GST_RAMEN_GRPC_WAIT_TIMEOUT: the deadline passed first
 * @GST_RAMEN_GRPC_WAIT_INTERRUPTED: interrupt became non-zero
 * @GST_RAMEN_GRPC_WAIT_CLOSED: the call ended; see the status
 *
 * The outcome of a wait.
 */
typedef enum {
  GST_RAMEN_GRPC_WAIT_MESSAGE,
  GST_RAMEN_GRPC_WAIT_TIMEOUT,
  GST_RAMEN_GRPC_WAIT_INTERRUPTED,
  GST_RAMEN_GRPC_WAIT_CLOSED,
} GstRamenGrpcWait;

GstRamenGrpcWait gst_ramen_grpc_unary (GstRamenGrpcChannel *channel,
    const gchar *method, const gchar *const *metadata, GBytes *request,
    gint64 timeout_us, const gint *interrupt, GBytes **response,
    GstRamenGrpcStatus *status, gchar **details);

GstRamenGrpcStream *gst_ramen_grpc_stream_open (GstRamenGrpcChannel *channel,
    const gchar *method, const gchar *const *metadata);

gboolean gst_ramen_grpc_stream_send (
    GstRamenGrpcStream *stream, GBytes *message, guint max_queued);

GstRamenGrpcWait gst_ramen_grpc_stream_recv (GstRamenGrpcStream *stream,
    gint64 deadline_us, const gint *interrupt, GBytes **message);

GstRamenGrpcStatus gst_ramen_grpc_stream_get_status (
    GstRamenGrpcStream *stream, const gchar **details);

void gst_ramen_grpc_stream_close (GstRamenGrpcStream *stream);

/**
 * GstRamenGrpcServer:
 *
 * A gRPC server with a thread of its own; opaque.
 */
typedef struct _GstRamenGrpcServer GstRamenGrpcServer;

/**
 * GstRamenGrpcServerCall:
 *
 * One call a #GstRamenGrpcServer serves; opaque, used on the server thread
 * only.
 */
typedef struct _GstRamenGrpcServerCall GstRamenGrpcServerCall;

/**
 * GstRamenGrpcServerFuncs:
 * @call_started: a new call: @metadata is a %NULL-terminated key, value,
 *   ... list, valid during the callback only; returns the object to attach
 *   to the call (its call_data)
 * @message: a message from the client; %NULL when the client half-closed
 * @drained: the send queue of the call became empty
 * @call_done: the call is over (finished, cancelled or broken); the call
 *   and its call_data must not be used after this returns
 * @tick: (nullable): called every tick_ms given to
 *   gst_ramen_grpc_server_new()
 *
 * What a server calls, all on its own thread.
 */
typedef struct
{
  gpointer (*call_started) (GstRamenGrpcServerCall *call, const gchar *method,
      const gchar *const *metadata, gpointer user_data);
  void (*message) (GstRamenGrpcServerCall *call, GBytes *message,
      gpointer call_data, gpointer user_data);
  void (*drained) (
      GstRamenGrpcServerCall *call, gpointer call_data, gpointer user_data);
  void (*call_done) (
      GstRamenGrpcServerCall *call, gpointer call_data, gpointer user_data);
  void (*tick) (gpointer user_data);
} GstRamenGrpcServerFuncs;

GstRamenGrpcServer *gst_ramen_grpc_server_new (const gchar *address,
    const gchar *cert_pem, const gchar *key_pem,
    const GstRamenGrpcServerFuncs *funcs, gpointer user_data, guint tick_ms,
    guint *port, GError **error);
void gst_ramen_grpc_server_free (GstRamenGrpcServer *server);

void gst_ramen_grpc_server_call_send (
    GstRamenGrpcServerCall *call, GBytes *message);
guint gst_ramen_grpc_server_call_queued (GstRamenGrpcServerCall *call);
void gst_ramen_grpc_server_call_finish (GstRamenGrpcServerCall *call,
    GstRamenGrpcStatus status, const gchar *details);
void gst_ramen_grpc_server_call_cancel (GstRamenGrpcServerCall *call);

G_END_DECLS
