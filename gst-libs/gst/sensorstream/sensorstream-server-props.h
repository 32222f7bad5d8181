/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/sensorstream/sensorstream-server.h>

G_BEGIN_DECLS

/**
 * GstSensorStreamServerPropId:
 * @GST_SENSOR_STREAM_SERVER_PROP_ADDRESS: `address`
 * @GST_SENSOR_STREAM_SERVER_PROP_PORT: `port`
 * @GST_SENSOR_STREAM_SERVER_PROP_AUTH_TOKEN: `auth-token` (write-only)
 * @GST_SENSOR_STREAM_SERVER_PROP_SENSITIVITY: `sensitivity`
 * @GST_SENSOR_STREAM_SERVER_PROP_MAX_BODY_SIZE: `max-body-size`
 * @GST_SENSOR_STREAM_SERVER_PROP_TIMEOUT: `timeout`
 * @GST_SENSOR_STREAM_SERVER_PROP_RATE_LIMIT: `rate-limit`
 * @GST_SENSOR_STREAM_SERVER_PROP_RATE_BURST: `rate-burst`
 * @GST_SENSOR_STREAM_SERVER_PROP_MAX_CONNECTIONS: `max-connections`
 * @GST_SENSOR_STREAM_SERVER_PROP_IDLE_TIMEOUT: `idle-timeout`
 * @GST_SENSOR_STREAM_SERVER_PROP_MAX_CLOCK_SKEW: `max-clock-skew`
 * @GST_SENSOR_STREAM_SERVER_PROP_MAX_READING_AGE: `max-reading-age`
 * @GST_SENSOR_STREAM_SERVER_PROPS_N: the number of ids the properties take
 *
 * Offsets from the first property id given to
 * gst_sensor_stream_server_install_properties(); the properties take
 * %GST_SENSOR_STREAM_SERVER_PROPS_N consecutive ids.
 */
typedef enum {
  GST_SENSOR_STREAM_SERVER_PROP_ADDRESS,
  GST_SENSOR_STREAM_SERVER_PROP_PORT,
  GST_SENSOR_STREAM_SERVER_PROP_AUTH_TOKEN,
  GST_SENSOR_STREAM_SERVER_PROP_SENSITIVITY,
  GST_SENSOR_STREAM_SERVER_PROP_MAX_BODY_SIZE,
  GST_SENSOR_STREAM_SERVER_PROP_TIMEOUT,
  GST_SENSOR_STREAM_SERVER_PROP_RATE_LIMIT,
  GST_SENSOR_STREAM_SERVER_PROP_RATE_BURST,
  GST_SENSOR_STREAM_SERVER_PROP_MAX_CONNECTIONS,
  GST_SENSOR_STREAM_SERVER_PROP_IDLE_TIMEOUT,
  GST_SENSOR_STREAM_SERVER_PROP_MAX_CLOCK_SKEW,
  GST_SENSOR_STREAM_SERVER_PROP_MAX_READING_AGE,
  GST_SENSOR_STREAM_SERVER_PROPS_N
} GstSensorStreamServerPropId;

void gst_sensor_stream_server_install_properties (
    GObjectClass *klass, guint first_prop_id);

void gst_sensor_stream_server_config_init (GstSensorStreamServerConfig *config);

void gst_sensor_stream_server_config_clear (
    GstSensorStreamServerConfig *config);

void gst_sensor_stream_server_config_copy (
    GstSensorStreamServerConfig *dest, const GstSensorStreamServerConfig *src);

void gst_sensor_stream_server_config_set_property (
    GstSensorStreamServerConfig *config, guint offset, const GValue *value);

void gst_sensor_stream_server_config_get_property (
    const GstSensorStreamServerConfig *config, guint offset, GValue *value);

G_END_DECLS
