/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/sensornet/sensornet-ws-client.h>

G_BEGIN_DECLS

/**
 * GstSensorNetFailureKind:
 * @GST_SENSOR_NET_FAILURE_TRANSIENT: the same request may succeed later
 *   (refused, reset, timeout, 5xx, a close without a fatal code): warn and
 *   retry per `retries`.
 * @GST_SENSOR_NET_FAILURE_FATAL: retrying meets the same answer (bad scheme
 *   or URI, 4xx such as 401/403/404, TLS): an element error at once.
 *
 * The one rule every network element applies to a failed or lost
 * connection. Protocol close codes (Raeh 4001, Plexus 4401, ...) are the
 * element's to classify first; this rule covers the transport.
 */
typedef enum {
  GST_SENSOR_NET_FAILURE_TRANSIENT,
  GST_SENSOR_NET_FAILURE_FATAL,
} GstSensorNetFailureKind;

GstSensorNetFailureKind gst_sensor_net_failure_classify (
    const GstSensorNetWsCloseInfo *info);

gchar *gst_sensor_net_failure_describe (const GstSensorNetWsCloseInfo *info);

gboolean gst_sensor_net_failure_should_warn (guint consecutive_failures);

void gst_sensor_net_post_fatal (
    GstElement *element, const GstSensorNetWsCloseInfo *info, const gchar *uri);

void gst_sensor_net_post_transient (GstElement *element,
    const GstSensorNetWsCloseInfo *info, const gchar *uri,
    guint consecutive_failures);

/**
 * GST_SENSOR_NET_CONNECTION_STATE:
 *
 * The name of the one element message every network element posts when its
 * connection changes state. Fields: `state` (string: "connecting",
 * "connected", "disconnected", "reconnecting", "closed"), `attempt` (uint,
 * 0 when not retrying), `delay` (guint64 nanoseconds before the next
 * attempt, 0 when none), `reason` (string, "" when none), `uri` (string,
 * without secrets). Elements may add fields of their own (`close-code`,
 * `http-status`, `channel`, ...).
 */
#define GST_SENSOR_NET_CONNECTION_STATE "sensor-connection-state"

GstStructure *gst_sensor_net_connection_state_new (const gchar *state,
    const gchar *uri, guint attempt, GstClockTime delay, const gchar *reason);

void gst_sensor_net_post_connection_state (
    GstElement *element, GstStructure *state);

G_END_DECLS
