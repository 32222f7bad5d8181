/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/sensornet/sensornet-ws-client.h>

G_BEGIN_DECLS

/**
 * GstSensorNetProps:
 *
 * @timeout: `timeout`: seconds to connect and upgrade; 0 = none
 * @retries: `retries`: -1 = forever, 0 = never
 * @backoff_factor: `retry-backoff-factor`: growth of the reconnect delay
 * @backoff_max: `retry-backoff-max`: longest reconnect delay, seconds
 * @keepalive_interval: `keepalive-interval`: seconds between pings
 * @pong_timeout: `pong-timeout`: seconds a pong may take
 * @tls_strict: `tls-strict`: verify the server's certificate
 * @ca_file: (nullable): `ca-file`: PEM roots instead of the system ones
 * @max_message_size: `max-message-size`: bytes, whole messages from the
 *   server
 *
 * The WebSocket-client settings every network element exposes as
 * properties (timeout, retries, retry-backoff-factor, retry-backoff-max,
 * keepalive-interval, pong-timeout, tls-strict, ca-file, max-message-size),
 * with one set of
 * blurbs and defaults. The element keeps the struct in its instance,
 * protected by its object lock, and copies it into a #GstSensorNetWsConfig with
 * gst_sensor_net_props_apply() when it connects.
 */
typedef struct
{
  guint timeout;
  gint retries;
  gdouble backoff_factor;
  gdouble backoff_max;
  guint keepalive_interval;
  guint pong_timeout;
  gboolean tls_strict;
  gchar *ca_file;
  guint max_message_size;
} GstSensorNetProps;

/**
 * GstSensorNetPropId:
 * @GST_SENSOR_NET_PROP_TIMEOUT: `timeout`
 * @GST_SENSOR_NET_PROP_RETRIES: `retries`
 * @GST_SENSOR_NET_PROP_RETRY_BACKOFF_FACTOR: `retry-backoff-factor`
 * @GST_SENSOR_NET_PROP_RETRY_BACKOFF_MAX: `retry-backoff-max`
 * @GST_SENSOR_NET_PROP_KEEPALIVE_INTERVAL: `keepalive-interval`
 * @GST_SENSOR_NET_PROP_PONG_TIMEOUT: `pong-timeout`
 * @GST_SENSOR_NET_PROP_TLS_STRICT: `tls-strict`
 * @GST_SENSOR_NET_PROP_CA_FILE: `ca-file`
 * @GST_SENSOR_NET_PROP_MAX_MESSAGE_SIZE: `max-message-size`
 * @GST_SENSOR_NET_PROPS_N: the number of ids the properties take
 *
 * Offsets from the first property id passed to
 * gst_sensor_net_props_install(); the properties take
 * %GST_SENSOR_NET_PROPS_N consecutive ids.
 */
typedef enum {
  GST_SENSOR_NET_PROP_TIMEOUT,
  GST_SENSOR_NET_PROP_RETRIES,
  GST_SENSOR_NET_PROP_RETRY_BACKOFF_FACTOR,
  GST_SENSOR_NET_PROP_RETRY_BACKOFF_MAX,
  GST_SENSOR_NET_PROP_KEEPALIVE_INTERVAL,
  GST_SENSOR_NET_PROP_PONG_TIMEOUT,
  GST_SENSOR_NET_PROP_TLS_STRICT,
  GST_SENSOR_NET_PROP_CA_FILE,
  GST_SENSOR_NET_PROP_MAX_MESSAGE_SIZE,
  GST_SENSOR_NET_PROPS_N
} GstSensorNetPropId;

/**
 * GstSensorNetPropsFlags:
 * @GST_SENSOR_NET_PROPS_FLAG_NONE: install every property
 * @GST_SENSOR_NET_PROPS_FLAG_NO_TIMEOUT: do not install `timeout`: the
 *   element gives the name another meaning and sets
 *   #GstSensorNetProps.timeout through a property of its own
 * @GST_SENSOR_NET_PROPS_FLAG_NO_KEEPALIVE: do not install
 *   `keepalive-interval` and `pong-timeout`: the protocol has keepalives of
 *   its own (RAMEN heartbeats)
 * @GST_SENSOR_NET_PROPS_FLAG_NO_TLS_STRICT: do not install `tls-strict`:
 *   the transport always verifies
 *
 * Properties an element leaves out.
 */
typedef enum {
  GST_SENSOR_NET_PROPS_FLAG_NONE = 0,
  GST_SENSOR_NET_PROPS_FLAG_NO_TIMEOUT = 1 << 0,
  GST_SENSOR_NET_PROPS_FLAG_NO_KEEPALIVE = 1 << 1,
  GST_SENSOR_NET_PROPS_FLAG_NO_TLS_STRICT = 1 << 2,
} GstSensorNetPropsFlags;

/**
 * GstSensorNetPropsDefaults:
 * @flags: properties left out
 * @timeout: default of `timeout` (common: 10)
 * @timeout_min: lower bound of `timeout` (common: 0)
 * @timeout_blurb: (nullable): blurb of `timeout`; %NULL = the common one
 * @max_message_size: default of `max-message-size`; 0 = the common 1 MiB
 * @backoff_max: default of `retry-backoff-max`, seconds; 0 = the common 30
 * @max_message_size_blurb: (nullable): %NULL = the common (WebSocket) blurb
 * @ca_file_blurb: (nullable): %NULL = the common (WebSocket) blurb
 *
 * What an element may change; %NULL stands for the common defaults.
 */
typedef struct
{
  GstSensorNetPropsFlags flags;
  guint timeout;
  guint timeout_min;
  const gchar *timeout_blurb;
  guint max_message_size;
  gdouble backoff_max;
  const gchar *max_message_size_blurb;
  const gchar *ca_file_blurb;
} GstSensorNetPropsDefaults;

/**
 * GST_SENSOR_NET_PROPS_DEFAULT_TIMEOUT:
 *
 * Default of `timeout`, seconds.
 */
#define GST_SENSOR_NET_PROPS_DEFAULT_TIMEOUT 10
/**
 * GST_SENSOR_NET_PROPS_DEFAULT_RETRIES:
 *
 * Default of `retries`: forever.
 */
#define GST_SENSOR_NET_PROPS_DEFAULT_RETRIES -1
/**
 * GST_SENSOR_NET_PROPS_DEFAULT_BACKOFF_FACTOR:
 *
 * Default of `retry-backoff-factor`.
 */
#define GST_SENSOR_NET_PROPS_DEFAULT_BACKOFF_FACTOR 2.0
/**
 * GST_SENSOR_NET_PROPS_DEFAULT_BACKOFF_MAX:
 *
 * Default of `retry-backoff-max`, seconds.
 */
#define GST_SENSOR_NET_PROPS_DEFAULT_BACKOFF_MAX 30.0
/**
 * GST_SENSOR_NET_PROPS_DEFAULT_KEEPALIVE_INTERVAL:
 *
 * Default of `keepalive-interval`, seconds.
 */
#define GST_SENSOR_NET_PROPS_DEFAULT_KEEPALIVE_INTERVAL 15
/**
 * GST_SENSOR_NET_PROPS_DEFAULT_PONG_TIMEOUT:
 *
 * Default of `pong-timeout`, seconds.
 */
#define GST_SENSOR_NET_PROPS_DEFAULT_PONG_TIMEOUT 10
/**
 * GST_SENSOR_NET_PROPS_DEFAULT_TLS_STRICT:
 *
 * Default of `tls-strict`.
 */
#define GST_SENSOR_NET_PROPS_DEFAULT_TLS_STRICT TRUE
/**
 * GST_SENSOR_NET_PROPS_DEFAULT_MAX_MESSAGE_SIZE:
 *
 * Default of `max-message-size`: 1 MiB.
 */
#define GST_SENSOR_NET_PROPS_DEFAULT_MAX_MESSAGE_SIZE (1024 * 1024)
/**
 * GST_SENSOR_NET_PROPS_MAX_MESSAGE_SIZE_MAX:
 *
 * Largest `max-message-size`: 1 GiB.
 */
#define GST_SENSOR_NET_PROPS_MAX_MESSAGE_SIZE_MAX (1024 * 1024 * 1024)

void gst_sensor_net_props_install (GObjectClass *klass, guint first_prop_id,
    const GstSensorNetPropsDefaults *defaults);

void gst_sensor_net_props_init (
    GstSensorNetProps *props, const GstSensorNetPropsDefaults *defaults);
void gst_sensor_net_props_clear (GstSensorNetProps *props);
void gst_sensor_net_props_copy (
    GstSensorNetProps *dest, const GstSensorNetProps *src);

gboolean gst_sensor_net_props_set_property (GstSensorNetProps *props,
    guint first_prop_id, guint prop_id, const GValue *value);
gboolean gst_sensor_net_props_get_property (const GstSensorNetProps *props,
    guint first_prop_id, guint prop_id, GValue *value);

void gst_sensor_net_props_apply (
    const GstSensorNetProps *props, GstSensorNetWsConfig *config);

G_END_DECLS
