/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:ramen-grpc
 * @title: gRPC
 * @short_description: the one door to the gRPC C core
 *
 * The only door to the gRPC C core: every other file of the project talks
 * gRPC through these few calls, with #GBytes for serialized messages and
 * plain strings for metadata. Client calls are driven by the thread that
 * calls them (one completion queue per call, waits sliced so that an
 * interrupt flag is seen within %GST_RAMEN_GRPC_POLL_MS); the server runs
 * its completion queue on a thread of its own and calls back on that
 * thread.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gio/gio.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>
#include <string.h>

#include "ramen-grpc.h"

typedef enum {
  TAG_START,
  TAG_STATUS,
  TAG_RECV,
  TAG_SEND,
  TAG_UNARY,
  TAG_ACCEPT,
  TAG_META,
  TAG_CLOSE,
  TAG_FINISH,
  TAG_SHUTDOWN,
} TagKind;

typedef struct
{
  TagKind kind;
  gpointer owner;
} Tag;

static const gchar *const status_names[] = {
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
};

/**
 * gst_ramen_grpc_status_name:
 * @status: a status
 *
 * Returns: the status name as gRPC spells it ("UNAVAILABLE")
 */
const gchar *
gst_ramen_grpc_status_name (GstRamenGrpcStatus status)
{
  if ((guint) status < G_N_ELEMENTS (status_names))
    return status_names[status];
  return "UNKNOWN";
}

/**
 * gst_ramen_grpc_status_is_fatal:
 * @status: the final status of a call
 * @details: (nullable): its details
 *
 * The failure rule of RAMEN calls. RESOURCE_EXHAUSTED is also how servers
 * say "rate limited", which is transient.
 *
 * Returns: %TRUE when retrying meets the same answer (UNAUTHENTICATED,
 *   UNIMPLEMENTED, a message over our own size limit); everything else is
 *   transient
 */
gboolean
gst_ramen_grpc_status_is_fatal (GstRamenGrpcStatus status, const gchar *details)
{
  /* only our own size limit, which would fail again, is fatal among the
   * RESOURCE_EXHAUSTED answers */
  return status == GST_RAMEN_GRPC_UNAUTHENTICATED ||
      status == GST_RAMEN_GRPC_UNIMPLEMENTED ||
      (status == GST_RAMEN_GRPC_RESOURCE_EXHAUSTED && details &&
          strstr (details, "larger than max"));
}

/**
 * gst_ramen_grpc_status_describe:
 * @status: the final status of a call
 * @details: (nullable): its details
 *
 * "UNAVAILABLE: failed to connect ...": the status name and the details,
 * or the name alone when @details is NULL or empty.
 *
 * Returns: (transfer full): the description
 */
gchar *
gst_ramen_grpc_status_describe (GstRamenGrpcStatus status, const gchar *details)
{
  if (details == NULL || *details == '\0')
    return g_strdup (gst_ramen_grpc_status_name (status));
  return g_strdup_printf (
      "%s: %s", gst_ramen_grpc_status_name (status), details);
}

static gboolean
valid_port (const gchar *s)
{
  guint64 port;

  return g_ascii_string_to_unsigned (s, 10, 1, 65535, &port, NULL);
}

/**
 * gst_ramen_grpc_parse_location:
 * @location: a ramensrc location
 * @default_tls: TLS or not when @location has no scheme
 * @target: (out) (transfer full): host:port to connect to
 * @tls: (out): whether to use TLS
 * @error: a #GError
 *
 * Splits a ramensrc location into a gRPC target and the TLS choice: an
 * http:// or grpc:// prefix means plaintext, https:// or grpcs:// TLS,
 * none @default_tls; a path after the authority is ignored. The target
 * must be host, host:port or [v6]:port with a port 1..65535.
 *
 * Returns: %FALSE with @error (%G_IO_ERROR_INVALID_ARGUMENT) otherwise
 */
gboolean
gst_ramen_grpc_parse_location (const gchar *location, gboolean default_tls,
    gchar **target, gboolean *tls, GError **error)
{
  const gchar *loc = location;
  g_autofree gchar *t = NULL;
  const gchar *colon;
  gboolean ok;

  *tls = default_tls;
  if (g_str_has_prefix (loc, "http://") || g_str_has_prefix (loc, "grpc://")) {
    loc = strstr (loc, "://") + 3;
    *tls = FALSE;
  } else if (g_str_has_prefix (loc, "https://") ||
      g_str_has_prefix (loc, "grpcs://")) {
    loc = strstr (loc, "://") + 3;
    *tls = TRUE;
  }
  t = g_strndup (loc, strcspn (loc, "/"));
  if (t[0] == '[') {
    const gchar *end = strchr (t, ']');

    ok = end != NULL && end > t + 1 &&
        (end[1] == '\0' || (end[1] == ':' && valid_port (end + 2)));
  } else {
    colon = strrchr (t, ':');
    ok = t[0] != '\0' && t[0] != ':' &&
        (colon == NULL || (strchr (t, ':') == colon && valid_port (colon + 1)));
  }
  if (!ok) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "\"%s\" is not host:port (port 1..65535)", location);
    return FALSE;
  }
  *target = g_steal_pointer (&t);
  return TRUE;
}

static gpr_timespec
deadline_from_monotonic (gint64 deadline_us)
{
  gint64 delta;

  if (deadline_us < 0)
    return gpr_inf_future (GPR_CLOCK_MONOTONIC);
  delta = MAX (0, deadline_us - g_get_monotonic_time ());
  return gpr_time_add (gpr_now (GPR_CLOCK_MONOTONIC),
      gpr_time_from_micros (delta, GPR_TIMESPAN));
}

static grpc_byte_buffer *
byte_buffer_from_bytes (GBytes *bytes)
{
  gsize len;
  gconstpointer data = g_bytes_get_data (bytes, &len);
  grpc_slice slice = grpc_slice_from_copied_buffer (data, len);
  grpc_byte_buffer *bb = grpc_raw_byte_buffer_create (&slice, 1);

  grpc_slice_unref (slice);
  return bb;
}

static GBytes *
bytes_from_byte_buffer (grpc_byte_buffer *bb)
{
  grpc_byte_buffer_reader reader;
  grpc_slice slice;
  GBytes *bytes;

  if (!grpc_byte_buffer_reader_init (&reader, bb))
    return g_bytes_new (NULL, 0);
  slice = grpc_byte_buffer_reader_readall (&reader);
  bytes = g_bytes_new (GRPC_SLICE_START_PTR (slice), GRPC_SLICE_LENGTH (slice));
  grpc_slice_unref (slice);
  grpc_byte_buffer_reader_destroy (&reader);
  return bytes;
}

static gchar *
string_from_slice (grpc_slice slice)
{
  return g_strndup (
      (const gchar *) GRPC_SLICE_START_PTR (slice), GRPC_SLICE_LENGTH (slice));
}

/* Metadata as owned slices, kept until the call is gone. */
static grpc_metadata *
metadata_new (const gchar *const *kv, gsize *count)
{
  grpc_metadata *md;
  gsize n = 0, i;

  while (kv && kv[2 * n] && kv[2 * n + 1])
    n++;
  md = g_new0 (grpc_metadata, MAX (n, 1));
  for (i = 0; i < n; i++) {
    md[i].key = grpc_slice_from_copied_string (kv[2 * i]);
    md[i].value = grpc_slice_from_copied_string (kv[2 * i + 1]);
  }
  *count = n;
  return md;
}

static void
metadata_free (grpc_metadata *md, gsize count)
{
  gsize i;

  for (i = 0; i < count; i++) {
    grpc_slice_unref (md[i].key);
    grpc_slice_unref (md[i].value);
  }
  g_free (md);
}

static void
drain_and_destroy_cq (grpc_completion_queue *cq)
{
  grpc_event ev;

  grpc_completion_queue_shutdown (cq);
  do {
    ev = grpc_completion_queue_next (
        cq, gpr_inf_future (GPR_CLOCK_REALTIME), NULL);
  } while (ev.type != GRPC_QUEUE_SHUTDOWN);
  grpc_completion_queue_destroy (cq);
}

/**
 * gst_ramen_grpc_runtime_ref:
 *
 * Holds the gRPC runtime up between calls (reference counted). Channels
 * and servers hold it too; an element holds it from start to stop so that
 * reconnecting does not tear the runtime down and build it again.
 */
void
gst_ramen_grpc_runtime_ref (void)
{
  grpc_init ();
}

/**
 * gst_ramen_grpc_runtime_unref:
 *
 * Drops a reference taken with gst_ramen_grpc_runtime_ref(); the last one
 * shuts the gRPC runtime down.
 */
void
gst_ramen_grpc_runtime_unref (void)
{
  grpc_shutdown ();
}

/* ------------------------------------------------------------------ */
/* client */

struct _GstRamenGrpcChannel
{
  grpc_channel *channel;
};

/**
 * gst_ramen_grpc_channel_new:
 * @target: "host:port"
 * @tls: whether to use TLS
 * @ca_pem: (nullable): PEM roots to verify the server against; %NULL for
 *   the system roots
 * @max_receive_size: the largest message received, in bytes
 *
 * @target is "host:port". With @tls, the server is verified against
 * @ca_pem, or the system roots when @ca_pem is NULL. Messages larger than
 * @max_receive_size fail the call with RESOURCE_EXHAUSTED.
 *
 * Returns: (transfer full): the channel (it connects on the first call)
 */
GstRamenGrpcChannel *
gst_ramen_grpc_channel_new (const gchar *target, gboolean tls,
    const gchar *ca_pem, gsize max_receive_size)
{
  GstRamenGrpcChannel *self = g_new0 (GstRamenGrpcChannel, 1);
  grpc_channel_credentials *creds;
  grpc_arg args[3];
  grpc_channel_args channel_args = { G_N_ELEMENTS (args), args };

  grpc_init ();
  args[0].type = GRPC_ARG_INTEGER;
  args[0].key = (char *) GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH;
  args[0].value.integer = (int) MIN (max_receive_size, G_MAXINT);
  /* reconnection and replay are ours; no transparent retries underneath */
  args[1].type = GRPC_ARG_INTEGER;
  args[1].key = (char *) GRPC_ARG_ENABLE_RETRIES;
  args[1].value.integer = 0;
  /* a private subchannel, so that a closed element leaves no shared
   * connection behind and a reconnect really dials again */
  args[2].type = GRPC_ARG_INTEGER;
  args[2].key = (char *) GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL;
  args[2].value.integer = 1;
  if (tls)
    creds = grpc_ssl_credentials_create (ca_pem, NULL, NULL, NULL);
  else
    creds = grpc_insecure_credentials_create ();
  self->channel = grpc_channel_create (target, creds, &channel_args);
  grpc_channel_credentials_release (creds);
  return self;
}

/**
 * gst_ramen_grpc_channel_free:
 * @channel: (transfer full) (nullable): a channel
 *
 * Closes and frees @channel.
 */
void
gst_ramen_grpc_channel_free (GstRamenGrpcChannel *channel)
{
  if (channel == NULL)
    return;
  grpc_channel_destroy (channel->channel);
  g_free (channel);
  grpc_shutdown ();
}

/* Waits on @cq for one event until @deadline_us, in slices so that
 * @interrupt is seen. Returns FALSE on timeout or interrupt. */
static gboolean
cq_wait (grpc_completion_queue *cq, gint64 deadline_us, const gint *interrupt,
    gboolean *interrupted, grpc_event *ev)
{
  *interrupted = FALSE;
  for (;;) {
    gint64 now = g_get_monotonic_time ();
    gint64 slice = now + GST_RAMEN_GRPC_POLL_MS * 1000;

    if (interrupt && g_atomic_int_get (interrupt)) {
      *interrupted = TRUE;
      return FALSE;
    }
    if (deadline_us >= 0 && now >= deadline_us)
      return FALSE;
    if (deadline_us >= 0 && deadline_us < slice)
      slice = deadline_us;
    *ev =
        grpc_completion_queue_next (cq, deadline_from_monotonic (slice), NULL);
    if (ev->type == GRPC_OP_COMPLETE)
      return TRUE;
  }
}

/**
 * gst_ramen_grpc_unary:
 * @channel: the channel
 * @method: the full method name ("/package.Service/Method")
 * @metadata: (nullable) (array zero-terminated=1): a %NULL-terminated key,
 *   value, ... list
 * @request: (transfer none): the serialized request
 * @timeout_us: how long the call may take, in microseconds
 * @interrupt: (nullable): the wait ends when it becomes non-zero
 * @response: (out) (transfer full): the serialized response
 * @status: (out): the final status
 * @details: (out) (transfer full): its details
 *
 * One unary call. Blocks up to @timeout_us: %GST_RAMEN_GRPC_WAIT_MESSAGE with
 * @response set, %GST_RAMEN_GRPC_WAIT_CLOSED with @status and @details
 * (free @details with g_free()), or %GST_RAMEN_GRPC_WAIT_INTERRUPTED. A
 * deadline is reported as %GST_RAMEN_GRPC_WAIT_CLOSED with
 * %GST_RAMEN_GRPC_DEADLINE_EXCEEDED.
 *
 * Returns: how the call ended
 */
GstRamenGrpcWait
gst_ramen_grpc_unary (GstRamenGrpcChannel *channel, const gchar *method,
    const gchar *const *metadata, GBytes *request, gint64 timeout_us,
    const gint *interrupt, GBytes **response, GstRamenGrpcStatus *status,
    gchar **details)
{
  grpc_completion_queue *cq = grpc_completion_queue_create_for_next (NULL);
  grpc_slice method_slice = grpc_slice_from_copied_string (method);
  gint64 deadline_us = g_get_monotonic_time () + timeout_us;
  grpc_call *call;
  grpc_metadata *md;
  gsize n_md;
  grpc_metadata_array initial_md, trailing_md;
  grpc_byte_buffer *send_bb, *recv_bb = NULL;
  grpc_status_code code = GRPC_STATUS_UNKNOWN;
  grpc_slice status_details = grpc_empty_slice ();
  grpc_op ops[6];
  Tag tag = { TAG_UNARY, NULL };
  GstRamenGrpcWait ret;
  gboolean interrupted = FALSE, done = FALSE;
  grpc_event ev;

  *response = NULL;
  *status = GST_RAMEN_GRPC_UNKNOWN;
  if (details)
    *details = NULL;
  call =
      grpc_channel_create_call (channel->channel, NULL, GRPC_PROPAGATE_DEFAULTS,
          cq, method_slice, NULL, deadline_from_monotonic (deadline_us), NULL);
  grpc_slice_unref (method_slice);
  md = metadata_new (metadata, &n_md);
  grpc_metadata_array_init (&initial_md);
  grpc_metadata_array_init (&trailing_md);
  send_bb = byte_buffer_from_bytes (request);

  memset (ops, 0, sizeof (ops));
  ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
  ops[0].data.send_initial_metadata.count = n_md;
  ops[0].data.send_initial_metadata.metadata = md;
  ops[1].op = GRPC_OP_SEND_MESSAGE;
  ops[1].data.send_message.send_message = send_bb;
  ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
  ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
  ops[3].data.recv_initial_metadata.recv_initial_metadata = &initial_md;
  ops[4].op = GRPC_OP_RECV_MESSAGE;
  ops[4].data.recv_message.recv_message = &recv_bb;
  ops[5].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
  ops[5].data.recv_status_on_client.trailing_metadata = &trailing_md;
  ops[5].data.recv_status_on_client.status = &code;
  ops[5].data.recv_status_on_client.status_details = &status_details;

  if (grpc_call_start_batch (call, ops, G_N_ELEMENTS (ops), &tag, NULL) !=
      GRPC_CALL_OK) {
    code = GRPC_STATUS_INTERNAL;
    done = TRUE;
  }
  /* the call deadline ends it; the wait deadline is a safety net */
  while (!done) {
    if (cq_wait (
            cq, deadline_us + G_USEC_PER_SEC, interrupt, &interrupted, &ev)) {
      done = TRUE;
    } else {
      grpc_call_cancel (call, NULL);
      ev = grpc_completion_queue_next (
          cq, gpr_inf_future (GPR_CLOCK_REALTIME), NULL);
      done = TRUE;
    }
  }

  if (interrupted) {
    ret = GST_RAMEN_GRPC_WAIT_INTERRUPTED;
  } else if (code == GRPC_STATUS_OK && recv_bb != NULL) {
    *response = bytes_from_byte_buffer (recv_bb);
    *status = GST_RAMEN_GRPC_OK;
    ret = GST_RAMEN_GRPC_WAIT_MESSAGE;
  } else {
    *status = code == GRPC_STATUS_OK ? GST_RAMEN_GRPC_INTERNAL :
                                       (GstRamenGrpcStatus) code;
    if (details)
      *details = code == GRPC_STATUS_OK ? g_strdup ("no response message") :
                                          string_from_slice (status_details);
    ret = GST_RAMEN_GRPC_WAIT_CLOSED;
  }

  if (recv_bb)
    grpc_byte_buffer_destroy (recv_bb);
  grpc_byte_buffer_destroy (send_bb);
  grpc_slice_unref (status_details);
  grpc_metadata_array_destroy (&initial_md);
  grpc_metadata_array_destroy (&trailing_md);
  grpc_call_unref (call);
  metadata_free (md, n_md);
  drain_and_destroy_cq (cq);
  return ret;
}

struct _GstRamenGrpcStream
{
  grpc_completion_queue *cq;
  grpc_call *call;
  Tag t_start, t_status, t_recv, t_send;
  guint outstanding;
  grpc_metadata *md;
  gsize n_md;
  grpc_metadata_array initial_md, trailing_md;
  grpc_status_code code;
  grpc_slice status_details;
  gchar *details;
  gboolean status_done, recv_pending, recv_ended, send_pending;
  grpc_byte_buffer *recv_bb, *send_bb;
  GQueue sendq;
};

/* Sends held back to be written together (see gst_ramen_grpc_stream_send). */
#define SEND_BATCH 16

static gboolean
stream_batch (GstRamenGrpcStream *s, grpc_op *ops, gsize n, Tag *tag)
{
  if (grpc_call_start_batch (s->call, ops, n, tag, NULL) != GRPC_CALL_OK)
    return FALSE;
  s->outstanding++;
  return TRUE;
}

/**
 * gst_ramen_grpc_stream_open:
 * @channel: the channel
 * @method: the full method name
 * @metadata: (nullable) (array zero-terminated=1): a %NULL-terminated key,
 *   value, ... list
 *
 * Opens a bidirectional streaming call (no deadline).
 *
 * Returns: (transfer full): the call; end it with gst_ramen_grpc_stream_close()
 */
GstRamenGrpcStream *
gst_ramen_grpc_stream_open (GstRamenGrpcChannel *channel, const gchar *method,
    const gchar *const *metadata)
{
  GstRamenGrpcStream *s = g_new0 (GstRamenGrpcStream, 1);
  grpc_slice method_slice = grpc_slice_from_copied_string (method);
  grpc_op ops[2];

  s->cq = grpc_completion_queue_create_for_next (NULL);
  s->call =
      grpc_channel_create_call (channel->channel, NULL, GRPC_PROPAGATE_DEFAULTS,
          s->cq, method_slice, NULL, gpr_inf_future (GPR_CLOCK_REALTIME), NULL);
  grpc_slice_unref (method_slice);
  s->t_start = (Tag){ TAG_START, s };
  s->t_status = (Tag){ TAG_STATUS, s };
  s->t_recv = (Tag){ TAG_RECV, s };
  s->t_send = (Tag){ TAG_SEND, s };
  s->md = metadata_new (metadata, &s->n_md);
  grpc_metadata_array_init (&s->initial_md);
  grpc_metadata_array_init (&s->trailing_md);
  s->status_details = grpc_empty_slice ();
  g_queue_init (&s->sendq);

  memset (ops, 0, sizeof (ops));
  ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
  ops[0].data.send_initial_metadata.count = s->n_md;
  ops[0].data.send_initial_metadata.metadata = s->md;
  ops[1].op = GRPC_OP_RECV_INITIAL_METADATA;
  ops[1].data.recv_initial_metadata.recv_initial_metadata = &s->initial_md;
  stream_batch (s, ops, 2, &s->t_start);

  memset (ops, 0, sizeof (ops));
  ops[0].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
  ops[0].data.recv_status_on_client.trailing_metadata = &s->trailing_md;
  ops[0].data.recv_status_on_client.status = &s->code;
  ops[0].data.recv_status_on_client.status_details = &s->status_details;
  if (!stream_batch (s, ops, 1, &s->t_status)) {
    s->status_done = TRUE;
    s->recv_ended = TRUE;
    s->code = GRPC_STATUS_INTERNAL;
  }
  return s;
}

/* Takes the next message of @sendq into @bb and fills @op to send it. While
 * more wait behind it the write is hinted, so the transport coalesces them;
 * the last one of the queue goes out unhinted and flushes them. */
static void
send_op_from_queue (GQueue *sendq, grpc_byte_buffer **bb, grpc_op *op)
{
  GBytes *bytes = g_queue_pop_head (sendq);

  *bb = byte_buffer_from_bytes (bytes);
  g_bytes_unref (bytes);
  memset (op, 0, sizeof (*op));
  op->op = GRPC_OP_SEND_MESSAGE;
  if (!g_queue_is_empty (sendq))
    op->flags = GRPC_WRITE_BUFFER_HINT;
  op->data.send_message.send_message = *bb;
}

/* Fills @op to receive the next message into @bb (the client's stream and
 * the server's call read the same way). */
static void
recv_op_into (grpc_byte_buffer **bb, grpc_op *op)
{
  memset (op, 0, sizeof (*op));
  op->op = GRPC_OP_RECV_MESSAGE;
  op->data.recv_message.recv_message = bb;
}

static void
stream_pump_send (GstRamenGrpcStream *s)
{
  grpc_op op;

  if (s->send_pending || s->status_done || g_queue_is_empty (&s->sendq))
    return;
  send_op_from_queue (&s->sendq, &s->send_bb, &op);
  if (stream_batch (s, &op, 1, &s->t_send))
    s->send_pending = TRUE;
  else
    g_clear_pointer (&s->send_bb, grpc_byte_buffer_destroy);
}

static void
stream_start_recv (GstRamenGrpcStream *s)
{
  grpc_op op;

  if (s->recv_pending || s->recv_ended)
    return;
  recv_op_into (&s->recv_bb, &op);
  if (stream_batch (s, &op, 1, &s->t_recv))
    s->recv_pending = TRUE;
  else
    s->recv_ended = TRUE;
}

/* Handles one completion; returns a received message, if any. */
static GBytes *
stream_handle (GstRamenGrpcStream *s, grpc_event *ev)
{
  Tag *tag = ev->tag;
  GBytes *msg = NULL;

  s->outstanding--;
  switch (tag->kind) {
    case TAG_STATUS:
      s->status_done = TRUE;
      g_free (s->details);
      s->details = string_from_slice (s->status_details);
      break;
    case TAG_SEND:
      s->send_pending = FALSE;
      grpc_byte_buffer_destroy (s->send_bb);
      s->send_bb = NULL;
      if (ev->success)
        stream_pump_send (s);
      break;
    case TAG_RECV:
      s->recv_pending = FALSE;
      if (ev->success && s->recv_bb) {
        msg = bytes_from_byte_buffer (s->recv_bb);
      } else {
        s->recv_ended = TRUE;
      }
      if (s->recv_bb)
        grpc_byte_buffer_destroy (s->recv_bb);
      s->recv_bb = NULL;
      break;
    default:
      break;
  }
  return msg;
}

/**
 * gst_ramen_grpc_stream_send:
 * @stream: the call
 * @message: (transfer none): one serialized message
 * @max_queued: how many messages may wait
 *
 * Queues one message; messages go out in order, one at a time. FALSE when
 * @max_queued messages are already waiting (the message is not queued).
 *
 * Returns: whether @message was queued
 */
gboolean
gst_ramen_grpc_stream_send (
    GstRamenGrpcStream *stream, GBytes *message, guint max_queued)
{
  if (stream->status_done)
    return TRUE;
  if (g_queue_get_length (&stream->sendq) >= max_queued)
    return FALSE;
  g_queue_push_tail (&stream->sendq, g_bytes_ref (message));
  /* small messages (acks) are held back and written together: when the
   * batch is full, or in recv() when nothing else is ready */
  if (g_queue_get_length (&stream->sendq) >= SEND_BATCH)
    stream_pump_send (stream);
  return TRUE;
}

/**
 * gst_ramen_grpc_stream_recv:
 * @stream: the call
 * @deadline_us: monotonic time to wait until, -1 for no deadline
 * @interrupt: (nullable): the wait ends when it becomes non-zero
 * @message: (out) (transfer full): the message, on
 *   %GST_RAMEN_GRPC_WAIT_MESSAGE
 *
 * Waits for the next message until the monotonic time @deadline_us (-1 =
 * no deadline), meanwhile pushing queued sends.
 *
 * Returns: how the wait ended
 */
GstRamenGrpcWait
gst_ramen_grpc_stream_recv (GstRamenGrpcStream *stream, gint64 deadline_us,
    const gint *interrupt, GBytes **message)
{
  grpc_event ev;
  gboolean interrupted;

  *message = NULL;
  for (;;) {
    GBytes *msg;

    if (stream->recv_ended && stream->status_done)
      return GST_RAMEN_GRPC_WAIT_CLOSED;
    stream_start_recv (stream);
    if (!stream->send_pending && !g_queue_is_empty (&stream->sendq)) {
      /* held-back sends go out before we would block */
      ev = grpc_completion_queue_next (
          stream->cq, gpr_time_0 (GPR_CLOCK_MONOTONIC), NULL);
      if (ev.type != GRPC_OP_COMPLETE)
        stream_pump_send (stream);
    } else {
      ev.type = GRPC_QUEUE_TIMEOUT;
    }
    if (ev.type != GRPC_OP_COMPLETE &&
        !cq_wait (stream->cq, deadline_us, interrupt, &interrupted, &ev))
      return interrupted ? GST_RAMEN_GRPC_WAIT_INTERRUPTED :
                           GST_RAMEN_GRPC_WAIT_TIMEOUT;
    msg = stream_handle (stream, &ev);
    if (msg) {
      *message = msg;
      return GST_RAMEN_GRPC_WAIT_MESSAGE;
    }
  }
}

/**
 * gst_ramen_grpc_stream_get_status:
 * @stream: a call that returned %GST_RAMEN_GRPC_WAIT_CLOSED
 * @details: (out) (transfer none) (optional): the status details, owned by
 *   @stream
 *
 * Returns: the final status
 */
GstRamenGrpcStatus
gst_ramen_grpc_stream_get_status (
    GstRamenGrpcStream *stream, const gchar **details)
{
  if (details)
    *details = stream->details ? stream->details : "";
  if (!stream->status_done)
    return GST_RAMEN_GRPC_UNKNOWN;
  return (GstRamenGrpcStatus) stream->code;
}

/**
 * gst_ramen_grpc_stream_close:
 * @stream: (transfer full) (nullable): a call
 *
 * Cancels the call if still open and frees everything.
 */
void
gst_ramen_grpc_stream_close (GstRamenGrpcStream *stream)
{
  if (stream == NULL)
    return;
  if (!stream->status_done)
    grpc_call_cancel (stream->call, NULL);
  while (stream->outstanding > 0) {
    grpc_event ev = grpc_completion_queue_next (
        stream->cq, gpr_inf_future (GPR_CLOCK_REALTIME), NULL);
    GBytes *msg;

    if (ev.type != GRPC_OP_COMPLETE)
      continue;
    msg = stream_handle (stream, &ev);
    if (msg)
      g_bytes_unref (msg);
  }
  g_queue_clear_full (&stream->sendq, (GDestroyNotify) g_bytes_unref);
  grpc_call_unref (stream->call);
  drain_and_destroy_cq (stream->cq);
  grpc_metadata_array_destroy (&stream->initial_md);
  grpc_metadata_array_destroy (&stream->trailing_md);
  grpc_slice_unref (stream->status_details);
  metadata_free (stream->md, stream->n_md);
  g_free (stream->details);
  g_free (stream);
}

/* ------------------------------------------------------------------ */
/* server */

struct _GstRamenGrpcServerCall
{
  GstRamenGrpcServer *server;
  grpc_call *call;
  grpc_call_details details;
  grpc_metadata_array request_md;
  Tag t_accept, t_meta, t_recv, t_send, t_close, t_finish;
  guint outstanding;
  int cancelled;
  gboolean accepted, closed, finishing, status_sent, recv_pending, recv_ended,
      send_pending;
  grpc_byte_buffer *recv_bb, *send_bb;
  GQueue sendq;
  grpc_status_code finish_code;
  grpc_slice finish_details;
  gpointer call_data;
};

struct _GstRamenGrpcServer
{
  grpc_server *server;
  grpc_completion_queue *cq;
  GThread *thread;
  gint stop;
  GstRamenGrpcServerFuncs funcs;
  gpointer user_data;
  guint tick_ms;
  GList *calls;
  gboolean accept_pending, shutdown_done;
  Tag t_shutdown;
};

static void server_request_call (GstRamenGrpcServer *server);

static gboolean
server_call_batch (GstRamenGrpcServerCall *c, grpc_op *ops, gsize n, Tag *tag)
{
  if (grpc_call_start_batch (c->call, ops, n, tag, NULL) != GRPC_CALL_OK)
    return FALSE;
  c->outstanding++;
  return TRUE;
}

static void
server_call_free (GstRamenGrpcServerCall *c)
{
  g_queue_clear_full (&c->sendq, (GDestroyNotify) g_bytes_unref);
  if (c->call)
    grpc_call_unref (c->call);
  grpc_call_details_destroy (&c->details);
  grpc_metadata_array_destroy (&c->request_md);
  grpc_slice_unref (c->finish_details);
  g_free (c);
}

static void
server_call_maybe_done (GstRamenGrpcServerCall *c)
{
  GstRamenGrpcServer *server = c->server;

  if (!c->closed || c->outstanding > 0)
    return;
  if (server->funcs.call_done)
    server->funcs.call_done (c, c->call_data, server->user_data);
  server->calls = g_list_remove (server->calls, c);
  server_call_free (c);
}

static void
server_call_pump (GstRamenGrpcServerCall *c)
{
  grpc_op op;

  if (c->closed || c->send_pending)
    return;
  if (!g_queue_is_empty (&c->sendq)) {
    send_op_from_queue (&c->sendq, &c->send_bb, &op);
    if (server_call_batch (c, &op, 1, &c->t_send))
      c->send_pending = TRUE;
    else
      g_clear_pointer (&c->send_bb, grpc_byte_buffer_destroy);
    return;
  }
  if (c->finishing && !c->status_sent) {
    memset (&op, 0, sizeof (op));
    op.op = GRPC_OP_SEND_STATUS_FROM_SERVER;
    op.data.send_status_from_server.status = c->finish_code;
    op.data.send_status_from_server.status_details = &c->finish_details;
    c->status_sent = TRUE;
    server_call_batch (c, &op, 1, &c->t_finish);
  }
}

static void
server_call_start_recv (GstRamenGrpcServerCall *c)
{
  grpc_op op;

  if (c->recv_pending || c->recv_ended || c->closed)
    return;
  recv_op_into (&c->recv_bb, &op);
  if (server_call_batch (c, &op, 1, &c->t_recv))
    c->recv_pending = TRUE;
  else
    c->recv_ended = TRUE;
}

static void
server_call_accepted (GstRamenGrpcServerCall *c)
{
  GstRamenGrpcServer *server = c->server;
  GPtrArray *md = g_ptr_array_new_with_free_func (g_free);
  g_autofree gchar *method = string_from_slice (c->details.method);
  grpc_op op;
  gsize i;

  c->accepted = TRUE;
  server->calls = g_list_prepend (server->calls, c);

  memset (&op, 0, sizeof (op));
  op.op = GRPC_OP_RECV_CLOSE_ON_SERVER;
  op.data.recv_close_on_server.cancelled = &c->cancelled;
  if (!server_call_batch (c, &op, 1, &c->t_close))
    c->closed = TRUE;
  memset (&op, 0, sizeof (op));
  op.op = GRPC_OP_SEND_INITIAL_METADATA;
  server_call_batch (c, &op, 1, &c->t_meta);
  server_call_start_recv (c);

  for (i = 0; i < c->request_md.count; i++) {
    g_ptr_array_add (md, string_from_slice (c->request_md.metadata[i].key));
    g_ptr_array_add (md, string_from_slice (c->request_md.metadata[i].value));
  }
  g_ptr_array_add (md, NULL);
  if (server->funcs.call_started)
    c->call_data = server->funcs.call_started (
        c, method, (const gchar *const *) md->pdata, server->user_data);
  g_ptr_array_unref (md);
  server_call_maybe_done (c);
}

static void
server_handle (GstRamenGrpcServer *server, grpc_event *ev)
{
  Tag *tag = ev->tag;
  GstRamenGrpcServerCall *c = tag->owner;

  switch (tag->kind) {
    case TAG_SHUTDOWN:
      server->shutdown_done = TRUE;
      return;
    case TAG_ACCEPT:
      server->accept_pending = FALSE;
      if (!ev->success) {
        server_call_free (c);
        return;
      }
      if (!g_atomic_int_get (&server->stop))
        server_request_call (server);
      server_call_accepted (c);
      return;
    default:
      break;
  }

  c->outstanding--;
  switch (tag->kind) {
    case TAG_CLOSE:
      c->closed = TRUE;
      break;
    case TAG_RECV: {
      c->recv_pending = FALSE;
      if (ev->success && c->recv_bb) {
        GBytes *msg = bytes_from_byte_buffer (c->recv_bb);

        grpc_byte_buffer_destroy (c->recv_bb);
        c->recv_bb = NULL;
        server_call_start_recv (c);
        if (server->funcs.message)
          server->funcs.message (c, msg, c->call_data, server->user_data);
        g_bytes_unref (msg);
      } else {
        if (c->recv_bb)
          grpc_byte_buffer_destroy (c->recv_bb);
        c->recv_bb = NULL;
        c->recv_ended = TRUE;
        if (ev->success && !c->closed && server->funcs.message)
          server->funcs.message (c, NULL, c->call_data, server->user_data);
      }
      break;
    }
    case TAG_SEND:
      c->send_pending = FALSE;
      grpc_byte_buffer_destroy (c->send_bb);
      c->send_bb = NULL;
      if (!ev->success) {
        g_queue_clear_full (&c->sendq, (GDestroyNotify) g_bytes_unref);
        g_queue_init (&c->sendq);
        break;
      }
      server_call_pump (c);
      if (!c->send_pending && !c->finishing && !c->closed &&
          server->funcs.drained)
        server->funcs.drained (c, c->call_data, server->user_data);
      break;
    default:
      break;
  }
  server_call_maybe_done (c);
}

static void
server_request_call (GstRamenGrpcServer *server)
{
  GstRamenGrpcServerCall *c = g_new0 (GstRamenGrpcServerCall, 1);

  c->server = server;
  grpc_call_details_init (&c->details);
  grpc_metadata_array_init (&c->request_md);
  g_queue_init (&c->sendq);
  c->finish_details = grpc_empty_slice ();
  c->t_accept = (Tag){ TAG_ACCEPT, c };
  c->t_meta = (Tag){ TAG_META, c };
  c->t_recv = (Tag){ TAG_RECV, c };
  c->t_send = (Tag){ TAG_SEND, c };
  c->t_close = (Tag){ TAG_CLOSE, c };
  c->t_finish = (Tag){ TAG_FINISH, c };
  if (grpc_server_request_call (server->server, &c->call, &c->details,
          &c->request_md, server->cq, server->cq,
          &c->t_accept) != GRPC_CALL_OK) {
    server_call_free (c);
    return;
  }
  server->accept_pending = TRUE;
}

static gpointer
server_thread (gpointer data)
{
  GstRamenGrpcServer *server = data;
  gint64 next_tick = g_get_monotonic_time () + server->tick_ms * 1000;
  grpc_event ev;

  while (!g_atomic_int_get (&server->stop)) {
    gint64 now = g_get_monotonic_time ();
    gint64 until = MIN (next_tick, now + GST_RAMEN_GRPC_POLL_MS * 1000);

    ev = grpc_completion_queue_next (
        server->cq, deadline_from_monotonic (until), NULL);
    if (ev.type == GRPC_OP_COMPLETE)
      server_handle (server, &ev);
    now = g_get_monotonic_time ();
    if (now >= next_tick) {
      next_tick = now + server->tick_ms * 1000;
      if (server->funcs.tick)
        server->funcs.tick (server->user_data);
    }
  }

  grpc_server_shutdown_and_notify (
      server->server, server->cq, &server->t_shutdown);
  grpc_server_cancel_all_calls (server->server);
  while (!server->shutdown_done || server->calls || server->accept_pending) {
    ev = grpc_completion_queue_next (
        server->cq, gpr_inf_future (GPR_CLOCK_REALTIME), NULL);
    if (ev.type == GRPC_OP_COMPLETE)
      server_handle (server, &ev);
  }
  return NULL;
}

/**
 * gst_ramen_grpc_server_new:
 * @address: where to listen ("127.0.0.1:0")
 * @cert_pem: (nullable): PEM certificate chain, for TLS
 * @key_pem: (nullable): its PEM private key
 * @funcs: the callbacks, copied
 * @user_data: passed to @funcs
 * @tick_ms: period of #GstRamenGrpcServerFuncs.tick
 * @port: (out): the bound port
 * @error: a #GError
 *
 * Listens on @address ("127.0.0.1:0"), returns the bound port in *@port.
 * With @cert_pem and @key_pem it serves TLS with that certificate chain,
 * otherwise plaintext.
 *
 * Returns: (transfer full) (nullable): the server, running, or %NULL with
 * @error set
 */
GstRamenGrpcServer *
gst_ramen_grpc_server_new (const gchar *address, const gchar *cert_pem,
    const gchar *key_pem, const GstRamenGrpcServerFuncs *funcs,
    gpointer user_data, guint tick_ms, guint *port, GError **error)
{
  GstRamenGrpcServer *server = g_new0 (GstRamenGrpcServer, 1);
  grpc_server_credentials *creds;
  int bound;

  grpc_init ();
  server->funcs = *funcs;
  server->user_data = user_data;
  server->tick_ms = MAX (tick_ms, 1);
  server->t_shutdown = (Tag){ TAG_SHUTDOWN, server };
  server->cq = grpc_completion_queue_create_for_next (NULL);
  server->server = grpc_server_create (NULL, NULL);
  grpc_server_register_completion_queue (server->server, server->cq, NULL);
  if (cert_pem && key_pem) {
    grpc_ssl_pem_key_cert_pair pair = { key_pem, cert_pem };

    creds = grpc_ssl_server_credentials_create_ex (
        NULL, &pair, 1, GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE, NULL);
  } else {
    creds = grpc_insecure_server_credentials_create ();
  }
  bound = grpc_server_add_http2_port (server->server, address, creds);
  grpc_server_credentials_release (creds);
  if (bound <= 0) {
    g_set_error (
        error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot listen on %s", address);
    grpc_server_destroy (server->server);
    drain_and_destroy_cq (server->cq);
    g_free (server);
    grpc_shutdown ();
    return NULL;
  }
  *port = bound;
  grpc_server_start (server->server);
  server_request_call (server);
  server->thread = g_thread_new ("ramen-grpc-server", server_thread, server);
  return server;
}

/**
 * gst_ramen_grpc_server_free:
 * @server: (transfer full) (nullable): a server
 *
 * Cancels every call, stops the thread and frees the server.
 */
void
gst_ramen_grpc_server_free (GstRamenGrpcServer *server)
{
  if (server == NULL)
    return;
  g_atomic_int_set (&server->stop, 1);
  g_thread_join (server->thread);
  grpc_server_destroy (server->server);
  drain_and_destroy_cq (server->cq);
  g_free (server);
  grpc_shutdown ();
}

/**
 * gst_ramen_grpc_server_call_send:
 * @call: a call
 * @message: (transfer none): one serialized message
 *
 * Server-thread only. Queues a message; messages go out in order.
 */
void
gst_ramen_grpc_server_call_send (GstRamenGrpcServerCall *call, GBytes *message)
{
  if (call->closed || call->finishing)
    return;
  g_queue_push_tail (&call->sendq, g_bytes_ref (message));
  server_call_pump (call);
}

/**
 * gst_ramen_grpc_server_call_queued:
 * @call: a call
 *
 * Server thread only.
 *
 * Returns: queued messages, not yet sent
 */
guint
gst_ramen_grpc_server_call_queued (GstRamenGrpcServerCall *call)
{
  return g_queue_get_length (&call->sendq) + (call->send_pending ? 1 : 0);
}

/**
 * gst_ramen_grpc_server_call_finish:
 * @call: a call
 * @status: the final status
 * @details: (nullable): its details
 *
 * Server thread only. Ends the call with @status once the queued messages
 * are out.
 */
void
gst_ramen_grpc_server_call_finish (GstRamenGrpcServerCall *call,
    GstRamenGrpcStatus status, const gchar *details)
{
  if (call->finishing || call->closed)
    return;
  call->finishing = TRUE;
  call->finish_code = (grpc_status_code) status;
  grpc_slice_unref (call->finish_details);
  call->finish_details = grpc_slice_from_copied_string (details ? details : "");
  server_call_pump (call);
}

/**
 * gst_ramen_grpc_server_call_cancel:
 * @call: a call
 *
 * Server thread only. Aborts the call at once, as a dropped connection
 * would.
 */
void
gst_ramen_grpc_server_call_cancel (GstRamenGrpcServerCall *call)
{
  if (call->closed)
    return;
  call->finishing = TRUE;
  grpc_call_cancel_with_status (
      call->call, GRPC_STATUS_UNAVAILABLE, "stream dropped", NULL);
}
