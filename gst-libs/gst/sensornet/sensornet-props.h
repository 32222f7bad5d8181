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
  guint timeout;          /* seconds to connect + upgrade; 0 = none */
  gint retries;           /* -1 = forever, 0 = never */
  gdouble backoff_factor; /* growth of the reconnect delay */
  gdouble backoff_max;    /* longest reconnect delay, seconds */
  guint keepalive_interval;
  guint pong_timeout;
  gboolean tls_strict;
  gchar *ca_file;
  guint max_message_size; /* bytes, whole messages from the server */
} GstSensorNetProps;

/* Offsets from the first property id passed to install(); the properties
 * take GST_SENSOR_NET_PROPS_N consecutive ids. */
enum {
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
};

typedef enum {
  GST_SENSOR_NET_PROPS_FLAG_NONE = 0,
  /* Do not install `timeout`: the element gives the name another meaning
   * and sets GstSensorNetProps.timeout through a property of its own. */
  GST_SENSOR_NET_PROPS_FLAG_NO_TIMEOUT = 1 << 0,
  /* Do not install `keepalive-interval` and `pong-timeout`: the protocol
   * has keepalives of its own (RAMEN heartbeats). */
  GST_SENSOR_NET_PROPS_FLAG_NO_KEEPALIVE = 1 << 1,
  /* Do not install `tls-strict`: the transport always verifies. */
  GST_SENSOR_NET_PROPS_FLAG_NO_TLS_STRICT = 1 << 2,
} GstSensorNetPropsFlags;

/* What an element may change; NULL means the common defaults. */
typedef struct
{
  GstSensorNetPropsFlags flags;
  guint timeout;              /* default of `timeout` (common: 10) */
  guint timeout_min;          /* lower bound of `timeout` (common: 0) */
  const gchar *timeout_blurb; /* NULL = the common blurb */
  /* default of `max-message-size`; 0 = the common 1 MiB */
  guint max_message_size;
  /* default of `retry-backoff-max`, seconds; 0 = the common 30 */
  gdouble backoff_max;
  /* NULL = the common (WebSocket) blurbs */
  const gchar *max_message_size_blurb;
  const gchar *ca_file_blurb;
} GstSensorNetPropsDefaults;

#define GST_SENSOR_NET_PROPS_DEFAULT_TIMEOUT 10
#define GST_SENSOR_NET_PROPS_DEFAULT_RETRIES -1
#define GST_SENSOR_NET_PROPS_DEFAULT_BACKOFF_FACTOR 2.0
#define GST_SENSOR_NET_PROPS_DEFAULT_BACKOFF_MAX 30.0
#define GST_SENSOR_NET_PROPS_DEFAULT_KEEPALIVE_INTERVAL 15
#define GST_SENSOR_NET_PROPS_DEFAULT_PONG_TIMEOUT 10
#define GST_SENSOR_NET_PROPS_DEFAULT_TLS_STRICT TRUE
#define GST_SENSOR_NET_PROPS_DEFAULT_MAX_MESSAGE_SIZE (1024 * 1024)
#define GST_SENSOR_NET_PROPS_MAX_MESSAGE_SIZE_MAX (1024 * 1024 * 1024)

/* Installs the properties at ids @first_prop_id + GST_SENSOR_NET_PROP_*,
 * readable, writable and GST_PARAM_MUTABLE_READY. */
void gst_sensor_net_props_install (GObjectClass *klass, guint first_prop_id,
    const GstSensorNetPropsDefaults *defaults);

/* Sets every field to its default (the same @defaults as install()). */
void gst_sensor_net_props_init (
    GstSensorNetProps *props, const GstSensorNetPropsDefaults *defaults);
void gst_sensor_net_props_clear (GstSensorNetProps *props);
void gst_sensor_net_props_copy (
    GstSensorNetProps *dest, const GstSensorNetProps *src);

/* TRUE when @prop_id was one of ours. Call with the object lock held. */
gboolean gst_sensor_net_props_set_property (GstSensorNetProps *props,
    guint first_prop_id, guint prop_id, const GValue *value);
gboolean gst_sensor_net_props_get_property (const GstSensorNetProps *props,
    guint first_prop_id, guint prop_id, GValue *value);

/* Copies the settings into @config (replacing its ca_file). */
void gst_sensor_net_props_apply (
    const GstSensorNetProps *props, GstSensorNetWsConfig *config);

G_END_DECLS
