/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:sensornet-props
 * @title: Network properties
 * @short_description: the WebSocket-client properties shared by every
 *   network element
 *
 * The WebSocket-client properties shared by every network element, so that
 * names, ranges, blurbs and defaults are the same everywhere.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensornet-props.h"

#include <gst/sensor/sensor-field.h>

#define DEFAULT_TIMEOUT_BLURB                                                  \
  "Seconds allowed for connecting and the WebSocket upgrade (0 = none)"

static const GstSensorNetPropsDefaults common_defaults = {
  GST_SENSOR_NET_PROPS_FLAG_NONE,
  GST_SENSOR_NET_PROPS_DEFAULT_TIMEOUT,
  0,
  NULL,
  GST_SENSOR_NET_PROPS_DEFAULT_MAX_MESSAGE_SIZE,
};

static gdouble
default_backoff_max (const GstSensorNetPropsDefaults *defaults)
{
  return defaults->backoff_max > 0 ? defaults->backoff_max :
                                     GST_SENSOR_NET_PROPS_DEFAULT_BACKOFF_MAX;
}

static guint
default_max_message_size (const GstSensorNetPropsDefaults *defaults)
{
  return defaults->max_message_size ?
      defaults->max_message_size :
      GST_SENSOR_NET_PROPS_DEFAULT_MAX_MESSAGE_SIZE;
}

/**
 * gst_sensor_net_props_install:
 * @klass: the element class
 * @first_prop_id: the id of the first property
 * @defaults: (nullable): what the element changes; %NULL for the common
 *   defaults
 *
 * Installs the properties at ids @first_prop_id + GST_SENSOR_NET_PROP_*,
 * readable, writable and GST_PARAM_MUTABLE_READY.
 */
void
gst_sensor_net_props_install (GObjectClass *klass, guint first_prop_id,
    const GstSensorNetPropsDefaults *defaults)
{
  const GParamFlags rw =
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY;

  if (defaults == NULL)
    defaults = &common_defaults;

  if (!(defaults->flags & GST_SENSOR_NET_PROPS_FLAG_NO_TIMEOUT))
    g_object_class_install_property (klass,
        first_prop_id + GST_SENSOR_NET_PROP_TIMEOUT,
        g_param_spec_uint ("timeout", "Timeout",
            defaults->timeout_blurb ? defaults->timeout_blurb :
                                      DEFAULT_TIMEOUT_BLURB,
            defaults->timeout_min, 3600, defaults->timeout, rw));
  g_object_class_install_property (klass,
      first_prop_id + GST_SENSOR_NET_PROP_RETRIES,
      g_param_spec_int ("retries", "Retries",
          "Reconnect attempts after the connection is lost or fails "
          "(-1 = forever, 0 = never)",
          -1, G_MAXINT, GST_SENSOR_NET_PROPS_DEFAULT_RETRIES, rw));
  g_object_class_install_property (klass,
      first_prop_id + GST_SENSOR_NET_PROP_RETRY_BACKOFF_FACTOR,
      g_param_spec_double ("retry-backoff-factor", "Retry backoff factor",
          "Growth of the reconnect delay per attempt (first delay 1 s, "
          "with jitter)",
          1.0, 10.0, GST_SENSOR_NET_PROPS_DEFAULT_BACKOFF_FACTOR, rw));
  g_object_class_install_property (klass,
      first_prop_id + GST_SENSOR_NET_PROP_RETRY_BACKOFF_MAX,
      g_param_spec_double ("retry-backoff-max", "Retry backoff max",
          "Longest delay between reconnect attempts, seconds", 0.0, 3600.0,
          default_backoff_max (defaults), rw));
  if (!(defaults->flags & GST_SENSOR_NET_PROPS_FLAG_NO_KEEPALIVE)) {
    g_object_class_install_property (klass,
        first_prop_id + GST_SENSOR_NET_PROP_KEEPALIVE_INTERVAL,
        g_param_spec_uint ("keepalive-interval", "Keepalive interval",
            "Seconds between WebSocket pings (0 = off)", 0, 3600,
            GST_SENSOR_NET_PROPS_DEFAULT_KEEPALIVE_INTERVAL, rw));
    g_object_class_install_property (klass,
        first_prop_id + GST_SENSOR_NET_PROP_PONG_TIMEOUT,
        g_param_spec_uint ("pong-timeout", "Pong timeout",
            "Seconds without a pong before the connection is dropped and "
            "re-established (0 = off)",
            0, 3600, GST_SENSOR_NET_PROPS_DEFAULT_PONG_TIMEOUT, rw));
  }
  if (!(defaults->flags & GST_SENSOR_NET_PROPS_FLAG_NO_TLS_STRICT))
    g_object_class_install_property (klass,
        first_prop_id + GST_SENSOR_NET_PROP_TLS_STRICT,
        g_param_spec_boolean ("tls-strict", "TLS strict",
            "Verify the server's TLS certificate (wss://)",
            GST_SENSOR_NET_PROPS_DEFAULT_TLS_STRICT, rw));
  g_object_class_install_property (klass,
      first_prop_id + GST_SENSOR_NET_PROP_CA_FILE,
      g_param_spec_string ("ca-file", "CA file",
          defaults->ca_file_blurb ?
              defaults->ca_file_blurb :
              "PEM file of extra CA certificates to trust (wss://)",
          NULL, rw));
  g_object_class_install_property (klass,
      first_prop_id + GST_SENSOR_NET_PROP_MAX_MESSAGE_SIZE,
      g_param_spec_uint ("max-message-size", "Max message size",
          defaults->max_message_size_blurb ?
              defaults->max_message_size_blurb :
              "Largest message accepted from the server in bytes, however "
              "many WebSocket frames it comes in; a bigger one closes the "
              "connection with 1009 (counted as oversized-messages in "
              "stats) and reconnects",
          1024, GST_SENSOR_NET_PROPS_MAX_MESSAGE_SIZE_MAX,
          default_max_message_size (defaults), rw));
}

/**
 * gst_sensor_net_props_init:
 * @props: (out caller-allocates): the settings
 * @defaults: (nullable): the same as given to
 *   gst_sensor_net_props_install()
 *
 * Sets every field to its default (the same @defaults as install()).
 */
void
gst_sensor_net_props_init (
    GstSensorNetProps *props, const GstSensorNetPropsDefaults *defaults)
{
  if (defaults == NULL)
    defaults = &common_defaults;

  props->timeout = defaults->timeout;
  props->retries = GST_SENSOR_NET_PROPS_DEFAULT_RETRIES;
  props->backoff_factor = GST_SENSOR_NET_PROPS_DEFAULT_BACKOFF_FACTOR;
  props->backoff_max = default_backoff_max (defaults);
  props->keepalive_interval = GST_SENSOR_NET_PROPS_DEFAULT_KEEPALIVE_INTERVAL;
  props->pong_timeout = GST_SENSOR_NET_PROPS_DEFAULT_PONG_TIMEOUT;
  props->tls_strict = GST_SENSOR_NET_PROPS_DEFAULT_TLS_STRICT;
  props->ca_file = NULL;
  props->max_message_size = default_max_message_size (defaults);
}

/**
 * gst_sensor_net_props_clear:
 * @props: settings
 *
 * Frees what @props holds.
 */
void
gst_sensor_net_props_clear (GstSensorNetProps *props)
{
  g_clear_pointer (&props->ca_file, g_free);
}

/**
 * gst_sensor_net_props_copy:
 * @dest: (out caller-allocates): the copy; clear it with
 *   gst_sensor_net_props_clear()
 * @src: settings
 *
 * Copies @src into @dest.
 */
void
gst_sensor_net_props_copy (
    GstSensorNetProps *dest, const GstSensorNetProps *src)
{
  *dest = *src;
  dest->ca_file = g_strdup (src->ca_file);
}

/* Where each property is stored, by offset from the first id. */
static const gsize fields[GST_SENSOR_NET_PROPS_N] = {
  [GST_SENSOR_NET_PROP_TIMEOUT] = G_STRUCT_OFFSET (GstSensorNetProps, timeout),
  [GST_SENSOR_NET_PROP_RETRIES] = G_STRUCT_OFFSET (GstSensorNetProps, retries),
  [GST_SENSOR_NET_PROP_RETRY_BACKOFF_FACTOR] =
      G_STRUCT_OFFSET (GstSensorNetProps, backoff_factor),
  [GST_SENSOR_NET_PROP_RETRY_BACKOFF_MAX] =
      G_STRUCT_OFFSET (GstSensorNetProps, backoff_max),
  [GST_SENSOR_NET_PROP_KEEPALIVE_INTERVAL] =
      G_STRUCT_OFFSET (GstSensorNetProps, keepalive_interval),
  [GST_SENSOR_NET_PROP_PONG_TIMEOUT] =
      G_STRUCT_OFFSET (GstSensorNetProps, pong_timeout),
  [GST_SENSOR_NET_PROP_TLS_STRICT] =
      G_STRUCT_OFFSET (GstSensorNetProps, tls_strict),
  [GST_SENSOR_NET_PROP_CA_FILE] = G_STRUCT_OFFSET (GstSensorNetProps, ca_file),
  [GST_SENSOR_NET_PROP_MAX_MESSAGE_SIZE] =
      G_STRUCT_OFFSET (GstSensorNetProps, max_message_size),
};

/* The field of @prop_id, or NULL when the id is not one of ours. */
static gpointer
field_of (const GstSensorNetProps *props, guint first_prop_id, guint prop_id)
{
  if (prop_id < first_prop_id ||
      prop_id - first_prop_id >= G_N_ELEMENTS (fields))
    return NULL;
  return G_STRUCT_MEMBER_P (props, fields[prop_id - first_prop_id]);
}

/**
 * gst_sensor_net_props_set_property:
 * @props: the element's settings
 * @first_prop_id: the id given to gst_sensor_net_props_install()
 * @prop_id: the property id of the set_property call
 * @value: the new value
 *
 * Call with the object lock held.
 *
 * Returns: whether @prop_id was one of ours
 */
gboolean
gst_sensor_net_props_set_property (GstSensorNetProps *props,
    guint first_prop_id, guint prop_id, const GValue *value)
{
  gpointer field = field_of (props, first_prop_id, prop_id);

  return field && gst_sensor_field_set_value (field, value);
}

/**
 * gst_sensor_net_props_get_property:
 * @props: the element's settings
 * @first_prop_id: the id given to gst_sensor_net_props_install()
 * @prop_id: the property id of the get_property call
 * @value: (out caller-allocates): set to the value
 *
 * Call with the object lock held.
 *
 * Returns: whether @prop_id was one of ours
 */
gboolean
gst_sensor_net_props_get_property (const GstSensorNetProps *props,
    guint first_prop_id, guint prop_id, GValue *value)
{
  gpointer field = field_of (props, first_prop_id, prop_id);

  return field && gst_sensor_field_get_value (field, value);
}

/**
 * gst_sensor_net_props_apply:
 * @props: the element's settings
 * @config: the client configuration to fill
 *
 * Copies the settings into @config (replacing its ca_file).
 */
void
gst_sensor_net_props_apply (
    const GstSensorNetProps *props, GstSensorNetWsConfig *config)
{
  config->timeout_s = props->timeout;
  config->retries = props->retries;
  config->backoff_factor = props->backoff_factor;
  config->backoff_max_s = props->backoff_max;
  config->keepalive_interval_s = props->keepalive_interval;
  config->pong_timeout_s = props->pong_timeout;
  config->tls_strict = props->tls_strict;
  g_free (config->ca_file);
  config->ca_file = g_strdup (props->ca_file);
  config->max_message_size = props->max_message_size;
}
