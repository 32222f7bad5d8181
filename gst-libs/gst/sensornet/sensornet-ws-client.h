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
 * that thread. Public functions are thread-safe and do not block on the
 * network, except gst_sensor_net_ws_client_stop() (and free()), which waits
 * at most about a second for the connection to be dropped.
 *
 * Lifecycle: new() -> start() -> [opened -> message* -> closed -> (backoff)
 * -> opened ...] -> stop() -> free(). After stop() returns no callback runs
 * any more.
 */
typedef struct _GstSensorNetWsClient GstSensorNetWsClient;

/**
 * GstSensorNetWsAuth:
 * @GST_SENSOR_NET_WS_AUTH_NONE: no credentials
 * @GST_SENSOR_NET_WS_AUTH_QUERY: the secret in the query,
 *   `?<auth_query_name>=<secret>`
 * @GST_SENSOR_NET_WS_AUTH_HEADER: the secret in an `Authorization: Bearer
 *   <secret>` header
 *
 * Where a #GstSensorNetWsClient puts its secret in the upgrade request.
 */
typedef enum {
  GST_SENSOR_NET_WS_AUTH_NONE,
  GST_SENSOR_NET_WS_AUTH_QUERY,
  GST_SENSOR_NET_WS_AUTH_HEADER,
} GstSensorNetWsAuth;

/**
 * GstSensorNetWsConfig:
 * @uri: `ws://` or `wss://` address, without the secret, owned
 * @auth: where the secret goes
 * @auth_query_name: (nullable): the query parameter of
 *   %GST_SENSOR_NET_WS_AUTH_QUERY, owned; NULL or empty means `api_key`
 * @secret: (nullable): the credential, owned; never logged and wiped when
 *   the config is cleared
 * @extra_headers: (nullable) (array zero-terminated=1): extra `Name: value`
 *   request headers, owned
 * @protocols: (nullable) (array zero-terminated=1): subprotocols offered,
 *   owned
 * @timeout_s: seconds for the connection and the upgrade (0: no limit;
 *   default 10)
 * @retries: reconnects after a failure (-1: forever, the default; 0: never)
 * @backoff_initial_s: first reconnect delay, in seconds (default 1.0)
 * @backoff_factor: each next delay is the last one times this (default 2.0)
 * @backoff_max_s: longest delay, in seconds (default 30.0)
 * @keepalive_interval_s: seconds between pings (0: no pings, the default)
 * @pong_timeout_s: seconds a ping may go without a pong before the
 *   connection is closed and reconnected (0: no limit, the default)
 * @tls_strict: verify the server's certificate (default %TRUE)
 * @ca_file: (nullable): extra CA bundle, owned; NULL for the system's
 * @max_message_size: largest message accepted from the peer, in bytes,
 *   however many frames it comes in (0:
 *   %GST_SENSOR_NET_WS_DEFAULT_MAX_MESSAGE_SIZE, 1 MiB). A bigger one is
 *   discarded and the connection closed with 1009; the closed callback gets
 *   %SOUP_WEBSOCKET_ERROR and close code 1009
 * @backoff_jitter: fraction (0 to 1) of each delay drawn at random
 *   (default 0.1)
 * @backoff_stable_s: a connection that stays open this many seconds resets
 *   the backoff and the retry budget; one closed sooner counts as a failed
 *   attempt, so a server that accepts and drops at once still backs off
 *   (0: reset as soon as the upgrade succeeds; default 5.0)
 *
 * The settings of a #GstSensorNetWsClient, set to their defaults by
 * gst_sensor_net_ws_config_init(); gst_sensor_net_ws_client_new() copies
 * them.
 */
typedef struct
{
  gchar *uri;
  GstSensorNetWsAuth auth;
  gchar *auth_query_name;
  gchar *secret;
  gchar **extra_headers;
  gchar **protocols;
  guint timeout_s;
  gint retries;
  gdouble backoff_initial_s;
  gdouble backoff_factor;
  gdouble backoff_max_s;
  guint keepalive_interval_s;
  guint pong_timeout_s;
  gboolean tls_strict;
  gchar *ca_file;
  gsize max_message_size;
  gdouble backoff_jitter;
  gdouble backoff_stable_s;
} GstSensorNetWsConfig;

void gst_sensor_net_ws_config_init (GstSensorNetWsConfig *config);
void gst_sensor_net_ws_config_clear (GstSensorNetWsConfig *config);
void gst_sensor_net_ws_config_copy_into (
    GstSensorNetWsConfig *dest, const GstSensorNetWsConfig *src);

/**
 * GstSensorNetWsCloseInfo:
 * @close_code: the WebSocket close code, or 0 when there was none
 * @close_reason: the close reason, verbatim; may be empty
 * @http_status: the HTTP status of a failed upgrade, or 0
 * @error: (nullable): the network, TLS or timeout error, or NULL
 *
 * Why a connection ended, as given to the closed callback of
 * #GstSensorNetWsCallbacks; valid during the call only.
 */
typedef struct
{
  gushort close_code;
  const gchar *close_reason;
  guint http_status;
  const GError *error;
} GstSensorNetWsCloseInfo;

gboolean gst_sensor_net_ws_close_info_is_tls_failure (
    const GstSensorNetWsCloseInfo *info);

/**
 * GstSensorNetWsCloseAction:
 * @GST_SENSOR_NET_WS_CLOSE_RECONNECT: a transient failure: back off and
 *   reconnect (while the retries last)
 * @GST_SENSOR_NET_WS_CLOSE_STOP: fatal, or done: no more connections
 *
 * What the closed callback of #GstSensorNetWsCallbacks decides.
 */
typedef enum {
  GST_SENSOR_NET_WS_CLOSE_RECONNECT,
  GST_SENSOR_NET_WS_CLOSE_STOP,
} GstSensorNetWsCloseAction;

/**
 * GstSensorNetWsCallbacks:
 * @opened: (nullable): the upgrade succeeded; the socket is open
 * @message: (nullable): one whole message from the peer, text or binary;
 *   the payload is borrowed for the call (g_bytes_ref() it to keep it)
 * @closed: (nullable): the socket closed or could not be opened; returns
 *   what happens next (no callback: reconnect)
 * @reconnecting: (nullable): a reconnect is scheduled after a delay in
 *   nanoseconds; attempts count from 1
 * @gave_up: (nullable): the retries are spent, or @closed returned
 *   %GST_SENSOR_NET_WS_CLOSE_STOP: no more connections
 *
 * What a #GstSensorNetWsClient tells its owner, each called on the
 * network thread with the user data given to
 * gst_sensor_net_ws_client_new().
 */
typedef struct
{
  void (*opened) (GstSensorNetWsClient *client, gpointer user_data);
  void (*message) (GstSensorNetWsClient *client, SoupWebsocketDataType type,
      GBytes *payload, gpointer user_data);
  GstSensorNetWsCloseAction (*closed) (GstSensorNetWsClient *client,
      const GstSensorNetWsCloseInfo *info, gpointer user_data);
  void (*reconnecting) (GstSensorNetWsClient *client, guint attempt,
      GstClockTime delay, gpointer user_data);
  void (*gave_up) (GstSensorNetWsClient *client, gpointer user_data);
} GstSensorNetWsCallbacks;

GstSensorNetWsClient *gst_sensor_net_ws_client_new (
    const GstSensorNetWsConfig *config,
    const GstSensorNetWsCallbacks *callbacks, gpointer user_data,
    GDestroyNotify notify);

void gst_sensor_net_ws_client_start (GstSensorNetWsClient *client);

gboolean gst_sensor_net_ws_client_send (
    GstSensorNetWsClient *client, SoupWebsocketDataType type, GBytes *payload);

gboolean gst_sensor_net_ws_client_send_batch (GstSensorNetWsClient *client,
    SoupWebsocketDataType type, GBytes *const *payloads, guint n_payloads);

gsize gst_sensor_net_ws_client_get_pending_bytes (GstSensorNetWsClient *client);

void gst_sensor_net_ws_client_stop (
    GstSensorNetWsClient *client, gushort code, const gchar *reason);

void gst_sensor_net_ws_client_close (
    GstSensorNetWsClient *client, gushort code, const gchar *reason);

void gst_sensor_net_ws_client_free (GstSensorNetWsClient *client);

gboolean gst_sensor_net_ws_client_is_connected (GstSensorNetWsClient *client);

gchar *gst_sensor_net_ws_client_dup_protocol (GstSensorNetWsClient *client);

guint64 gst_sensor_net_ws_client_get_oversized_count (
    GstSensorNetWsClient *client);

GMainContext *gst_sensor_net_context_ref (void);
void gst_sensor_net_context_unref (GMainContext *context);

void gst_sensor_net_context_invoke_batched (GMainContext *context,
    GSourceFunc func, gpointer data, GDestroyNotify notify);

G_END_DECLS
