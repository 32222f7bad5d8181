/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include <gst/sensornet/sensornet-http-listener.h>

G_BEGIN_DECLS

/* The local stand-in for every cloud endpoint. One process, one main loop;
 * each protocol is a part in its own file. Parts that speak HTTP/WebSocket
 * add handlers to the shared server (`http`); parts that need a port of their
 * own (HeliOS, the RAMEN gRPC server) open it and announce it. */
typedef struct
{
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *http;     /* shared HTTP/WebSocket server */
  const gchar *address; /* listen address, default 127.0.0.1 */
  gchar *record_path;   /* --record FILE: what was received, JSON */
} SensorCloud;

typedef struct
{
  const gchar *name; /* "raeh", "plexus", "helios", "ramen" */
  const gchar *description;
  /* Options of this part (long names prefixed with the part name); may be
   * NULL. */
  const GOptionEntry *entries;
  /* Adds handlers or opens ports; FALSE with @error on failure. */
  gboolean (*start) (SensorCloud *cloud, GError **error);
  /* Adds this part's record (what it received) to the open object. */
  void (*record) (SensorCloud *cloud, JsonBuilder *builder);
  void (*stop) (SensorCloud *cloud);
} SensorCloudPart;

/* The largest message a WebSocket client may send to an endpoint that
 * expects only small ones (libsoup's default frame limit, now applied to
 * whole messages): a bigger one closes the connection with 1009. */
#define SENSOR_CLOUD_WS_MAX_MESSAGE (128 * 1024)

/* Prints {"part": "...", "port": N} on stdout, one line, flushed, so that
 * scripts and tests can find ephemeral ports. */
void sensor_cloud_announce (SensorCloud *cloud, const gchar *part, guint port);

/* The fixed port given for @part on the command line (--ramen-port ...), or
 * 0 for an ephemeral one. */
guint sensor_cloud_get_port (SensorCloud *cloud, const gchar *part);
GstSensorNetHttpListener *sensor_cloud_listen (SoupServer *server,
    GSocketAddress *address, const gchar *part, GError **error);

extern const SensorCloudPart sensor_cloud_raeh_part;
extern const SensorCloudPart sensor_cloud_plexus_part;
extern const SensorCloudPart sensor_cloud_helios_part;
extern const SensorCloudPart sensor_cloud_ramen_part;

G_END_DECLS
