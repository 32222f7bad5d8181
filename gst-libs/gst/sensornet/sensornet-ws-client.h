/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/**
 * GstSensorNetWsClient:
 *
 * The one reconnecting WebSocket client that every network element uses
 * (raehsink, plexus*src, heliossrc). All I/O runs on ONE process-wide
 * network thread with its own GMainContext (shared by every client, so a
 * thousand raehsink instances cost one thread), and callbacks are invoked on
 * that thread. Public functions are thread-safe and never block on the
 * network.
 *
 * Lifecycle: new() -> start() -> [opened -> message* -> closed -> (backoff)
 * -> opened ...] -> stop() -> free(). After stop() returns no callback runs
 * any more.
 */
typedef struct _GstSensorNetWsClient GstSensorNetWsClient;

typedef enum {
  GST_SENSOR_NET_WS_AUTH_NONE,
  GST_SENSOR_NET_WS_AUTH_QUERY,  /* ?<auth_query_name>=<secret> */
  GST_SENSOR_NET_WS_AUTH_HEADER, /* Authorization: Bearer <secret> */
} GstSensorNetWsAuth;

typedef struct
{
  gchar *uri; /* ws:// or wss://, without the secret */
  GstSensorNetWsAuth auth;
  gchar *auth_query_name;     /* e.g. "api_key" */
  gchar *secret;              /* never logged */
  gchar **extra_headers;      /* NULL-terminated "Name: value" */
  gchar **protocols;          /* NULL-terminated subprotocols, or NULL */
  guint timeout_s;            /* connect + upgrade timeout; 0 = none */
  gint retries;               /* -1 = forever, 0 = never reconnect */
  gdouble backoff_initial_s;  /* default 1.0 */
  gdouble backoff_factor;     /* default 2.0 */
  gdouble backoff_max_s;      /* default 30.0 */
  guint keepalive_interval_s; /* ping interval; 0 = off */
  guint pong_timeout_s;       /* close + reconnect when no pong; 0 = off */
  gboolean tls_strict;        /* verify certificates (default TRUE) */
  gchar *ca_file;             /* extra CA bundle, or NULL for system */
  /* Largest message accepted from the peer, in bytes, however many
   * frames it comes in (0 = GST_SENSOR_NET_WS_DEFAULT_MAX_MESSAGE_SIZE, 1 MiB).
   * A bigger one is discarded and the connection closed with 1009; the
   * closed callback gets SOUP_WEBSOCKET_ERROR / 1009. */
  gsize max_message_size;
  /* Added after the first version of this header: */
  gdouble backoff_jitter; /* 0..1 fraction of each delay; default 0.1 */
  /* A connection that stays open this long resets the backoff (and the
   * retry budget); one closed sooner counts as a failed attempt, so a server
   * that accepts and drops at once still backs off. 0 = reset as soon as the
   * upgrade succeeds. Default 5.0. */
  gdouble backoff_stable_s;
} GstSensorNetWsConfig;

void gst_sensor_net_ws_config_init (GstSensorNetWsConfig *config);
void gst_sensor_net_ws_config_clear (GstSensorNetWsConfig *config);
void gst_sensor_net_ws_config_copy_into (
    GstSensorNetWsConfig *dest, const GstSensorNetWsConfig *src);

/* Why the connection ended, passed to the closed callback. */
typedef struct
{
  gushort close_code;        /* WebSocket close code; 0 if none */
  const gchar *close_reason; /* verbatim, may be "" */
  guint http_status;         /* HTTP status of a failed upgrade, or 0 */
  const GError *error;       /* network/TLS/timeout error, or NULL */
} GstSensorNetWsCloseInfo;

/* Whether the connection failed on TLS (an untrusted or invalid
 * certificate, a refused handshake). Retrying would meet the same
 * certificate again, so elements end with an error instead of
 * reconnecting. */
gboolean gst_sensor_net_ws_close_info_is_tls_failure (
    const GstSensorNetWsCloseInfo *info);

typedef enum {
  GST_SENSOR_NET_WS_CLOSE_RECONNECT, /* transient: back off, reconnect */
  GST_SENSOR_NET_WS_CLOSE_STOP,      /* fatal or done: stop, no reconnect */
} GstSensorNetWsCloseAction;

typedef struct
{
  /* The upgrade succeeded; the socket is open. */
  void (*opened) (GstSensorNetWsClient *client, gpointer user_data);
  /* One whole message (text or binary). */
  void (*message) (GstSensorNetWsClient *client, SoupWebsocketDataType type,
      GBytes *payload, gpointer user_data);
  /* The socket closed or could not be opened. Decide what happens next. */
  GstSensorNetWsCloseAction (*closed) (GstSensorNetWsClient *client,
      const GstSensorNetWsCloseInfo *info, gpointer user_data);
  /* A reconnect is scheduled after @delay (attempt counts from 1). */
  void (*reconnecting) (GstSensorNetWsClient *client, guint attempt,
      GstClockTime delay, gpointer user_data);
  /* Retries are exhausted (or a STOP was returned): no more connections. */
  void (*gave_up) (GstSensorNetWsClient *client, gpointer user_data);
} GstSensorNetWsCallbacks;

GstSensorNetWsClient *gst_sensor_net_ws_client_new (
    const GstSensorNetWsConfig *config,
    const GstSensorNetWsCallbacks *callbacks, gpointer user_data,
    GDestroyNotify notify);

/* Starts connecting on the network thread (returns at once). Also restarts
 * a client that gave up, from the first backoff delay. Ignored after stop(). */
void gst_sensor_net_ws_client_start (GstSensorNetWsClient *client);

/* Queues one message; FALSE (and nothing sent) when not connected. TRUE means
 * it was queued: messages go out in send() order, and are dropped if the
 * connection closes before the network thread hands them to libsoup. Any
 * thread, never blocks; @payload is referenced, not copied. */
gboolean gst_sensor_net_ws_client_send (
    GstSensorNetWsClient *client, SoupWebsocketDataType type, GBytes *payload);

/* Queues @n_payloads messages in order: all of them, or none (FALSE) when
 * not connected. Called on the network thread (from a source attached to
 * the client's context) the batch is handed to libsoup before this returns,
 * corked as one, and callbacks such as closed() may run inside; anywhere
 * else it is send() for each, in one go. */
gboolean gst_sensor_net_ws_client_send_batch (GstSensorNetWsClient *client,
    SoupWebsocketDataType type, GBytes *const *payloads, guint n_payloads);

/* Bytes queued by send() and not yet handed to libsoup. Messages are handed
 * over only while the socket can take more, so this is the backlog of a slow
 * or stalled connection (libsoup itself then holds at most about one more
 * message; its queue is not visible in 3.2). Use it to bound your buffering.
 * Reset to 0 when the connection closes or stop() is called. Any thread. */
gsize gst_sensor_net_ws_client_get_pending_bytes (GstSensorNetWsClient *client);

/* Closes with @code/@reason and never reconnects. Blocks until the network
 * thread has dropped the connection, at most about a second. Any thread,
 * including from inside a callback (then it does not block). After it
 * returns no callback runs any more (a callback already running on the
 * network thread is waited for, so do not call stop() while holding a lock a
 * callback takes). Codes a client may not send (1005, 1006, 1011, 1015, ...)
 * become 1000; 0 sends no code. Idempotent; works when never started. */
void gst_sensor_net_ws_client_stop (
    GstSensorNetWsClient *client, gushort code, const gchar *reason);

/* Starts closing with @code/@reason and never reconnects, like stop(), but
 * returns at once: the close handshake runs on the network thread. A later
 * stop() or free() returns as soon as the connection is gone. Any thread. */
void gst_sensor_net_ws_client_close (
    GstSensorNetWsClient *client, gushort code, const gchar *reason);

/* Stops (code 1001) if not stopped yet, calls notify(user_data), frees. */
void gst_sensor_net_ws_client_free (GstSensorNetWsClient *client);

gboolean gst_sensor_net_ws_client_is_connected (GstSensorNetWsClient *client);

/* Added: the subprotocol the server chose from config->protocols, or NULL
 * (none chosen, or not connected). Any thread; g_free() the result. */
gchar *gst_sensor_net_ws_client_dup_protocol (GstSensorNetWsClient *client);

/* Added: messages from the peer that went over max_message_size (each
 * closed its connection with 1009), over the client's life. Any thread. */
guint64 gst_sensor_net_ws_client_get_oversized_count (
    GstSensorNetWsClient *client);

/* The shared network thread's context, for timers that must run beside the
 * client's callbacks. The reference is the caller's. */
GMainContext *gst_sensor_net_context_ref (void);
void gst_sensor_net_context_unref (GMainContext *context);

void gst_sensor_net_context_invoke_batched (GMainContext *context,
    GSourceFunc func, gpointer data, GDestroyNotify notify);

G_END_DECLS
