/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/**
 * GST_SENSOR_NET_WS_DEFAULT_MAX_MESSAGE_SIZE:
 *
 * The whole-message limit used when a configuration says 0: 1 MiB.
 */
#define GST_SENSOR_NET_WS_DEFAULT_MAX_MESSAGE_SIZE (1024 * 1024)

/**
 * GstSensorNetWsOversizedFunc:
 * @conn: the connection that received the message
 * @size: bytes of the message seen so far, the frame that broke the limit
 *   included
 * @user_data: user data
 *
 * Called from an idle source on the connection's context (never from inside
 * a read) when a peer's message went over the limit. The frames of that
 * message are being discarded; the function is expected to close the
 * connection (1009).
 */
typedef void (*GstSensorNetWsOversizedFunc) (
    SoupWebsocketConnection *conn, guint64 size, gpointer user_data);

GIOStream *gst_sensor_net_ws_limit_stream_new (
    GIOStream *base, GBytes *initial, guint64 max_message_size);

guint64 gst_sensor_net_ws_limit_stream_get_oversized_count (GIOStream *stream);

SoupWebsocketConnection *gst_sensor_net_ws_connection_new (GIOStream *base,
    GBytes *initial, GUri *uri, SoupWebsocketConnectionType type,
    const gchar *origin, const gchar *protocol, guint64 max_message_size,
    GstSensorNetWsOversizedFunc func, gpointer user_data,
    GDestroyNotify destroy);

void gst_sensor_net_ws_server_add_handler (SoupServer *server,
    const gchar *path, const gchar *origin, gchar **protocols,
    guint64 max_message_size, SoupServerWebsocketCallback callback,
    gpointer user_data, GDestroyNotify destroy);

guint64 gst_sensor_net_ws_server_get_oversized_count (void);

G_END_DECLS
