/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/**
 * GstSensorNetHttpListener:
 *
 * The listening socket of an embedded #SoupServer, accepted by this code
 * rather than by libsoup so that the server survives running out of file
 * descriptors, caps its connections, closes idle ones and has a deep
 * backlog. Lives on the thread-default #GMainContext of the thread that
 * created it; every function must be called there, except
 * gst_sensor_net_http_listener_get_stats().
 */
typedef struct _GstSensorNetHttpListener GstSensorNetHttpListener;

/**
 * GstSensorNetHttpListenerStats:
 * @open: connections open at the time of the call
 * @accepted: connections handed to the server
 * @refused: connections closed at once because @open was at the cap
 * @accept_errors: accept() failures other than "try again" (EMFILE, ENFILE,
 *   ENOBUFS, ...)
 *
 * Counters of one listener, since it was created.
 */
typedef struct
{
  guint64 open;
  guint64 accepted;
  guint64 refused;
  guint64 accept_errors;
} GstSensorNetHttpListenerStats;

/**
 * GstSensorNetHttpListenerStateFunc:
 * @listener: the listener
 * @accepting: %FALSE when accepting stopped on an error, %TRUE when it
 *   resumed afterwards
 * @error: (nullable): why accepting stopped; %NULL when it resumed
 * @user_data: the data given with the function
 *
 * Called on the listener's thread when accepting stops on an accept error
 * (once per episode, not per retry) and when it resumes.
 */
typedef void (*GstSensorNetHttpListenerStateFunc) (
    GstSensorNetHttpListener *listener, gboolean accepting, const GError *error,
    gpointer user_data);

/**
 * GST_SENSOR_NET_HTTP_LISTENER_BACKLOG:
 *
 * Backlog asked of listen(2); the kernel caps it at net.core.somaxconn.
 */
#define GST_SENSOR_NET_HTTP_LISTENER_BACKLOG 4096

guint gst_sensor_net_http_listener_default_max_connections (void);

GstSensorNetHttpListener *gst_sensor_net_http_listener_new (SoupServer *server,
    GSocketAddress *address, guint max_connections, guint idle_timeout,
    GError **error);

void gst_sensor_net_http_listener_free (GstSensorNetHttpListener *listener);

void gst_sensor_net_http_listener_set_state_func (
    GstSensorNetHttpListener *listener, GstSensorNetHttpListenerStateFunc func,
    gpointer user_data);

void gst_sensor_net_http_listener_set_refusal (
    GstSensorNetHttpListener *listener, GBytes *response);

guint16 gst_sensor_net_http_listener_get_port (
    GstSensorNetHttpListener *listener);

gboolean gst_sensor_net_http_listener_close_connection (
    GstSensorNetHttpListener *listener, SoupServerMessage *msg);

gboolean gst_sensor_net_http_listener_reply_and_close (
    GstSensorNetHttpListener *listener, SoupServerMessage *msg,
    GBytes *response);

void gst_sensor_net_http_listener_get_stats (
    GstSensorNetHttpListener *listener, GstSensorNetHttpListenerStats *stats);

G_END_DECLS
