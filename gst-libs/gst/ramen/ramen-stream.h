/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/ramen/ramen-grpc.h>

G_BEGIN_DECLS

/**
 * GstRamenStream:
 *
 * One RAMEN session policy, without any GstElement: Replay from the cursor,
 * then Subscribe; dedupe by seq and gap repair through Replay; heartbeats
 * and their misses; acknowledgement of what went downstream (ack after
 * push) and the cursor saved with it; the failure rule (fatal statuses
 * stop, everything else reconnects with the shared backoff).
 *
 * The thread that calls gst_ramen_stream_next() drives the gRPC calls and
 * receives every callback; gst_ramen_stream_pushed(),
 * gst_ramen_stream_set_flushing() and gst_ramen_stream_get_stats() may be
 * called from any thread.
 */
typedef struct _GstRamenStream GstRamenStream;

/**
 * GstRamenStreamConfig:
 * @target: gRPC target, "host:port"
 * @tls: connect with TLS
 * @ca_pem: (nullable): PEM roots instead of the system ones
 * @app_id: (nullable): `x-app-id` metadata and `app_id`
 * @user_id: (nullable): `user_id` of Subscribe and Replay
 * @device_id: (nullable): `SubscribeRequest.device_id`
 * @api_key: (nullable): `x-api-key` metadata (a secret)
 * @token: (nullable): `SubscribeRequest.token` (a secret)
 * @providers: (nullable): comma-separated provider filter
 * @event_types: (nullable): comma-separated event type filter
 * @state_location: (nullable): cursor file, NULL = no cursor
 * @start_seq: the last seq delivered before (the loaded cursor)
 * @timeout_s: wait for a Replay answer or the SubscribeResponse, seconds
 * @heartbeat_interval_ms: heartbeat period, 0 = the server's
 * @max_message_size: largest gRPC message accepted, bytes
 * @backoff_initial: first reconnect delay, seconds
 * @backoff_factor: growth of the delay per attempt
 * @backoff_max: largest reconnect delay, seconds
 * @retries: reconnects in a row before giving up, -1 = forever
 *
 * What gst_ramen_stream_new() copies (secrets are wiped when the stream is
 * freed).
 */
typedef struct
{
  const gchar *target;
  gboolean tls;
  const gchar *ca_pem;
  const gchar *app_id;
  const gchar *user_id;
  const gchar *device_id;
  const gchar *api_key;
  const gchar *token;
  const gchar *providers;
  const gchar *event_types;
  const gchar *state_location;
  gint64 start_seq;
  guint timeout_s;
  guint heartbeat_interval_ms;
  guint max_message_size;
  gdouble backoff_initial;
  gdouble backoff_factor;
  gdouble backoff_max;
  gint retries;
} GstRamenStreamConfig;

/**
 * GstRamenStreamErrorKind:
 * @GST_RAMEN_STREAM_ERROR_UNAUTHENTICATED: gRPC UNAUTHENTICATED
 * @GST_RAMEN_STREAM_ERROR_AUTH_FAILED: the server sent Error{AUTH_FAILED}
 * @GST_RAMEN_STREAM_ERROR_CALL: another fatal gRPC status (UNIMPLEMENTED, a
 *   message over max-message-size)
 * @GST_RAMEN_STREAM_ERROR_GAVE_UP: the retries are used up
 *
 * Why the stream stopped for good.
 */
typedef enum {
  GST_RAMEN_STREAM_ERROR_UNAUTHENTICATED,
  GST_RAMEN_STREAM_ERROR_AUTH_FAILED,
  GST_RAMEN_STREAM_ERROR_CALL,
  GST_RAMEN_STREAM_ERROR_GAVE_UP,
} GstRamenStreamErrorKind;

/**
 * GstRamenStreamFailure:
 * @kind: for the error callback, why it stopped
 * @status: the gRPC status (UNAVAILABLE for a transient RAMEN `Error`)
 * @ramen_code: the RAMEN `Error.code` for AUTH_FAILED, else 0
 * @reason: "STATUS: details"
 * @details: the details alone ("" when none)
 * @failures: transient failures in a row, this one included
 * @warn: the shared rule says this failure deserves a warning (the first
 *   in a row and every 10th); the others deserve a log line
 *
 * A failure as the callbacks see it; valid during the callback only.
 */
typedef struct
{
  GstRamenStreamErrorKind kind;
  GstRamenGrpcStatus status;
  gint ramen_code;
  const gchar *reason;
  const gchar *details;
  guint failures;
  gboolean warn;
} GstRamenStreamFailure;

/**
 * GstRamenStreamCallbacks:
 * @connecting: a channel is being opened; @attempt = retries so far
 * @connected: the SubscribeResponse came
 * @cursor_ahead: the server's current seq is behind the cursor (said once)
 * @failure: a transient failure; the stream reconnects after a backoff
 * @reconnecting: before the backoff wait of @delay ns
 * @error: a fatal failure; gst_ramen_stream_next() returns
 *   %GST_RAMEN_STREAM_ERROR
 * @cursor_save_failed: the cursor could not be written (said once)
 *
 * Every callback may be NULL. They run on the thread that calls
 * gst_ramen_stream_next() (or gst_ramen_stream_finish()).
 */
typedef struct
{
  void (*connecting) (
      GstRamenStream *stream, guint attempt, gpointer user_data);
  void (*connected) (GstRamenStream *stream, const gchar *connection_id,
      gint64 current_seq, gint64 heartbeat_interval_us, gpointer user_data);
  void (*cursor_ahead) (GstRamenStream *stream, gint64 current_seq,
      gint64 cursor, gpointer user_data);
  void (*failure) (GstRamenStream *stream, const GstRamenStreamFailure *failure,
      gpointer user_data);
  void (*reconnecting) (GstRamenStream *stream,
      const GstRamenStreamFailure *failure, guint attempt, GstClockTime delay,
      gpointer user_data);
  void (*error) (GstRamenStream *stream, const GstRamenStreamFailure *failure,
      gpointer user_data);
  void (*cursor_save_failed) (GstRamenStream *stream, const gchar *path,
      const GError *error, gpointer user_data);
} GstRamenStreamCallbacks;

/**
 * GstRamenStreamResult:
 * @GST_RAMEN_STREAM_EVENT: an event line is ready
 * @GST_RAMEN_STREAM_INTERRUPTED: gst_ramen_stream_set_flushing() interrupted
 *   the wait
 * @GST_RAMEN_STREAM_ERROR: a fatal failure (the error callback ran)
 *
 * Outcome of gst_ramen_stream_next().
 */
typedef enum {
  GST_RAMEN_STREAM_EVENT,
  GST_RAMEN_STREAM_INTERRUPTED,
  GST_RAMEN_STREAM_ERROR,
} GstRamenStreamResult;

/**
 * GstRamenStreamStats:
 * @events: events handed out by gst_ramen_stream_next()
 * @duplicates: events dropped as seq <= last
 * @gaps: live gaps repaired through Replay
 * @gaps_unrepaired: holes Replay itself did not fill
 * @replayed: events that came by Replay
 * @reconnects: reconnects started
 * @failures: transient failures, total
 * @heartbeat_timeouts: streams given up for unanswered heartbeats
 * @invalid: events skipped as malformed
 * @acks_dropped: acks not sent because the send queue was full
 * @messages_received: server messages and Replay answers
 * @bytes_received: their serialized size
 * @last_seq: the last seq acknowledged and saved
 * @connected: the Subscribe stream is open and answered
 *
 * Counters of one stream.
 */
typedef struct
{
  guint64 events;
  guint64 duplicates;
  guint64 gaps;
  guint64 gaps_unrepaired;
  guint64 replayed;
  guint64 reconnects;
  guint64 failures;
  guint64 heartbeat_timeouts;
  guint64 invalid;
  guint64 acks_dropped;
  guint64 messages_received;
  guint64 bytes_received;
  gint64 last_seq;
  gboolean connected;
} GstRamenStreamStats;

/**
 * GST_RAMEN_STREAM_MAX_QUEUED_SENDS:
 *
 * Unsent acks and heartbeats kept at most; more are dropped and counted in
 * #GstRamenStreamStats.acks_dropped.
 */
#define GST_RAMEN_STREAM_MAX_QUEUED_SENDS 1024

GstRamenStream *gst_ramen_stream_new (const GstRamenStreamConfig *config,
    const GstRamenStreamCallbacks *callbacks, gpointer user_data);

void gst_ramen_stream_free (GstRamenStream *stream);

GstRamenStreamResult gst_ramen_stream_next (
    GstRamenStream *stream, gchar **line, gsize *len, gint64 *seq);

void gst_ramen_stream_pushed (GstRamenStream *stream, gint64 seq);

void gst_ramen_stream_finish (GstRamenStream *stream);

void gst_ramen_stream_set_flushing (GstRamenStream *stream, gboolean flushing);

gchar *gst_ramen_stream_get_stats (
    GstRamenStream *stream, GstRamenStreamStats *stats);

G_END_DECLS
