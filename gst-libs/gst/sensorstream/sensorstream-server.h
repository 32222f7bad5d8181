/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gst/sensorstream/sensorstream-reading.h>
#include <gst/sensorstream/sensorstream-score.h>
#include <gst/sensornet/sensornet-http-listener.h>

G_BEGIN_DECLS

/**
 * GstSensorStreamServer:
 *
 * The sensor-stream (SmartFall) HTTP server: routing, bearer
 * authentication, the 400/401/404/405/413/415/429/503 answers (413 and a
 * bad Content-Length answered before the body is read), request timeouts,
 * the client clock window, the rate limit, fall detection and the health
 * score. It runs on its own thread and #GMainContext and hands every
 * accepted reading to its owner through callbacks on that thread; it posts
 * nothing itself.
 */
typedef struct _GstSensorStreamServer GstSensorStreamServer;

/**
 * GST_SENSOR_STREAM_SERVER_ERROR:
 *
 * The #GQuark of #GstSensorStreamServerError, the error domain of
 * gst_sensor_stream_server_new().
 */
#define GST_SENSOR_STREAM_SERVER_ERROR (gst_sensor_stream_server_error_quark ())
GQuark gst_sensor_stream_server_error_quark (void);

/**
 * GstSensorStreamServerError:
 * @GST_SENSOR_STREAM_SERVER_ERROR_SETTINGS: the configuration is refused
 *   (a non-loopback address without an auth token)
 * @GST_SENSOR_STREAM_SERVER_ERROR_LISTEN: the address could not be bound
 *
 * Errors of gst_sensor_stream_server_new().
 */
typedef enum {
  GST_SENSOR_STREAM_SERVER_ERROR_SETTINGS,
  GST_SENSOR_STREAM_SERVER_ERROR_LISTEN,
} GstSensorStreamServerError;

/**
 * GstSensorStreamAdmit:
 * @GST_SENSOR_STREAM_ADMIT_OK: the readings are taken
 * @GST_SENSOR_STREAM_ADMIT_NOT_STREAMING: 503 "Not streaming", Retry-After 1
 * @GST_SENSOR_STREAM_ADMIT_TOO_MANY_DEVICES: 503 "Too many devices"
 * @GST_SENSOR_STREAM_ADMIT_DEVICE_RESTARTING: 503 "Device restarting",
 *   Retry-After 1 (the device's previous streams are still ending)
 * @GST_SENSOR_STREAM_ADMIT_DEVICE_UNAVAILABLE: 503 "Device unavailable",
 *   Retry-After 1 (what the device's readings go to cannot take them now,
 *   e.g. its upstream session failed)
 *
 * The owner's verdict on a valid request, before it is rate limited.
 */
typedef enum {
  GST_SENSOR_STREAM_ADMIT_OK,
  GST_SENSOR_STREAM_ADMIT_NOT_STREAMING,
  GST_SENSOR_STREAM_ADMIT_TOO_MANY_DEVICES,
  GST_SENSOR_STREAM_ADMIT_DEVICE_RESTARTING,
  GST_SENSOR_STREAM_ADMIT_DEVICE_UNAVAILABLE,
} GstSensorStreamAdmit;

/**
 * GstSensorStreamServerConfig:
 * @address: IP address to listen on ("localhost" means 127.0.0.1), owned
 * @port: TCP port (0: any free one)
 * @auth_token: (nullable): bearer token every request must carry, owned
 *   (a secret: gst_sensor_secret_replace()); NULL or empty is allowed on
 *   loopback addresses only
 * @max_body_size: largest body accepted, in bytes
 * @timeout: seconds a client may take to send one request
 * @rate_limit: requests per second per device (0: no limit)
 * @rate_burst: requests a device may send at once
 * @max_connections: connections open at once (0: from the descriptor limit)
 * @idle_timeout: seconds a keep-alive connection may stay idle (0: never)
 * @max_clock_skew: seconds a client_timestamp may be ahead (0: no limit)
 * @max_reading_age: seconds a client_timestamp may be behind (0: no limit)
 * @sensitivity: fall detection preset
 *
 * What gst_sensor_stream_server_new() copies; also the storage of the
 * server's properties in an element (sensorstream-server-props.h).
 */
typedef struct
{
  gchar *address;
  gint port;
  gchar *auth_token;
  guint max_body_size;
  guint timeout;
  gdouble rate_limit;
  guint rate_burst;
  guint max_connections;
  guint idle_timeout;
  guint max_clock_skew;
  guint max_reading_age;
  GstSensorStreamSensitivity sensitivity;
} GstSensorStreamServerConfig;

/**
 * GstSensorStreamServerCallbacks:
 * @admit: decides on the device of a valid request
 * @reading: takes one accepted reading and its fall result, in order
 * @listener_state: (nullable): accepting connections stopped or resumed
 * @clock: (nullable): monotonic microseconds for the rate limiter
 * @readings_done: (nullable): the readings of one request have all been
 *   given to @reading (before the response is sent), so a consumer can hand
 *   them on as one batch
 *
 * All are called on the server thread.
 */
typedef struct
{
  GstSensorStreamAdmit (*admit) (const gchar *device_id, gpointer user_data);
  void (*reading) (const GstSensorStreamReading *reading,
      const GstSensorStreamFallResult *fall, gpointer user_data);
  void (*listener_state) (
      gboolean accepting, const GError *error, gpointer user_data);
  gint64 (*clock) (gpointer user_data);
  void (*readings_done) (const gchar *device_id, gpointer user_data);
} GstSensorStreamServerCallbacks;

/**
 * GstSensorStreamServerStats:
 * @requests: requests seen
 * @invalid: answered 400
 * @unauthorized: answered 401
 * @rate_limited: answered 429
 * @refused: answered 404, 405, 413, 415 or 503
 * @timeouts: connections closed for a request not complete in time
 * @listener: the connections of the listener
 *
 * Counters of a #GstSensorStreamServer.
 */
typedef struct
{
  guint64 requests;
  guint64 invalid;
  guint64 unauthorized;
  guint64 rate_limited;
  guint64 refused;
  guint64 timeouts;
  GstSensorNetHttpListenerStats listener;
} GstSensorStreamServerStats;

GstSensorStreamServer *gst_sensor_stream_server_new (
    const GstSensorStreamServerConfig *config,
    const GstSensorStreamServerCallbacks *callbacks, gpointer user_data,
    GError **error);

void gst_sensor_stream_server_stop (GstSensorStreamServer *server);

void gst_sensor_stream_server_free (GstSensorStreamServer *server);

guint16 gst_sensor_stream_server_get_port (GstSensorStreamServer *server);

GMainContext *gst_sensor_stream_server_get_context (
    GstSensorStreamServer *server);

void gst_sensor_stream_server_set_draining (
    GstSensorStreamServer *server, gboolean draining);

void gst_sensor_stream_server_get_stats (
    GstSensorStreamServer *server, GstSensorStreamServerStats *stats);

gboolean gst_sensor_stream_is_loopback (const gchar *address);

G_END_DECLS
