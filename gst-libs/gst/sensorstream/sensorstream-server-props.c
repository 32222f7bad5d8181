/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:sensorstream-server-props
 * @title: Sensor-stream server properties
 * @short_description: the properties of a sensorstream server as an element
 *   exposes them
 *
 * The properties of a GstSensorStreamServer as an element exposes them:
 * one set of names, blurbs, ranges and defaults.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensorstream-server-props.h"
#include "sensorstream-clock.h"
#include "sensorstream-ratelimit.h"

#include <gst/sensor/sensor-field.h>
#include <gst/sensor/sensor-secret.h>
#include <string.h>

#define DEFAULT_ADDRESS "127.0.0.1"
#define DEFAULT_PORT 3000
#define DEFAULT_SENSITIVITY GST_SENSOR_STREAM_SENSITIVITY_BALANCED
#define DEFAULT_MAX_BODY_SIZE (256 * 1024)
#define DEFAULT_TIMEOUT 10
#define DEFAULT_RATE_LIMIT GST_SENSOR_STREAM_RATE_PER_SECOND
#define DEFAULT_RATE_BURST GST_SENSOR_STREAM_RATE_BURST
#define DEFAULT_MAX_CONNECTIONS 0
#define DEFAULT_IDLE_TIMEOUT 60
#define DEFAULT_MAX_CLOCK_SKEW GST_SENSOR_STREAM_DEFAULT_MAX_CLOCK_SKEW_S
#define DEFAULT_MAX_READING_AGE GST_SENSOR_STREAM_DEFAULT_MAX_READING_AGE_S

/**
 * gst_sensor_stream_server_install_properties:
 * @klass: an element class
 * @first_prop_id: the id of the first of %GST_SENSOR_STREAM_SERVER_PROPS_N
 *   consecutive property ids
 *
 * Installs `address`, `port`, `auth-token` (write-only), `sensitivity`,
 * `max-body-size`, `timeout`, `rate-limit`, `rate-burst`,
 * `max-connections`, `idle-timeout`, `max-clock-skew` and
 * `max-reading-age`, all changeable in READY.
 */
void
gst_sensor_stream_server_install_properties (
    GObjectClass *klass, guint first_prop_id)
{
  guint first = first_prop_id;

  g_object_class_install_property (klass,
      first + GST_SENSOR_STREAM_SERVER_PROP_ADDRESS,
      g_param_spec_string ("address", "Address",
          "IP address to listen on; any address other than loopback needs "
          "an auth-token",
          DEFAULT_ADDRESS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass,
      first + GST_SENSOR_STREAM_SERVER_PROP_PORT,
      g_param_spec_int ("port", "Port",
          "TCP port to listen on (0 = pick a free one; reads back the bound "
          "port once started)",
          0, 65535, DEFAULT_PORT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass,
      first + GST_SENSOR_STREAM_SERVER_PROP_AUTH_TOKEN,
      g_param_spec_string ("auth-token", "Auth token",
          "Bearer token every request must carry (write-only; empty = no "
          "authentication, allowed on loopback only)",
          NULL,
          G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass,
      first + GST_SENSOR_STREAM_SERVER_PROP_SENSITIVITY,
      g_param_spec_enum ("sensitivity", "Sensitivity",
          "Fall detection threshold preset", GST_TYPE_SENSOR_STREAM_SENSITIVITY,
          DEFAULT_SENSITIVITY,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass,
      first + GST_SENSOR_STREAM_SERVER_PROP_MAX_BODY_SIZE,
      g_param_spec_uint ("max-body-size", "Maximum body size",
          "Largest request body accepted, in bytes (larger ones get 413)", 1024,
          64 * 1024 * 1024, DEFAULT_MAX_BODY_SIZE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass,
      first + GST_SENSOR_STREAM_SERVER_PROP_TIMEOUT,
      g_param_spec_uint ("timeout", "Timeout",
          "Seconds a client may take to send one request; a connection "
          "still sending after that is closed",
          1, 3600, DEFAULT_TIMEOUT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass,
      first + GST_SENSOR_STREAM_SERVER_PROP_RATE_LIMIT,
      g_param_spec_double ("rate-limit", "Rate limit",
          "Requests per second per device (documented: 1; 0 = no limit)", 0,
          1000000, DEFAULT_RATE_LIMIT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass,
      first + GST_SENSOR_STREAM_SERVER_PROP_RATE_BURST,
      g_param_spec_uint ("rate-burst", "Rate burst",
          "Requests a device may send at once before the rate limit applies "
          "(documented: 5)",
          1, 1000000, DEFAULT_RATE_BURST,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass,
      first + GST_SENSOR_STREAM_SERVER_PROP_MAX_CONNECTIONS,
      g_param_spec_uint ("max-connections", "Maximum connections",
          "Connections open at once; one more is answered 503 and closed "
          "(0 = three quarters of the process's descriptor limit)",
          0, G_MAXINT, DEFAULT_MAX_CONNECTIONS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass,
      first + GST_SENSOR_STREAM_SERVER_PROP_IDLE_TIMEOUT,
      g_param_spec_uint ("idle-timeout", "Idle timeout",
          "Seconds a keep-alive connection may wait for its next request "
          "before it is closed (0 = never)",
          0, 86400, DEFAULT_IDLE_TIMEOUT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass,
      first + GST_SENSOR_STREAM_SERVER_PROP_MAX_CLOCK_SKEW,
      g_param_spec_uint ("max-clock-skew", "Maximum clock skew",
          "Seconds a client_timestamp may be ahead of this host's clock; "
          "readings further ahead get 400 (0 = no limit)",
          0, G_MAXINT, DEFAULT_MAX_CLOCK_SKEW,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass,
      first + GST_SENSOR_STREAM_SERVER_PROP_MAX_READING_AGE,
      g_param_spec_uint ("max-reading-age", "Maximum reading age",
          "Seconds a client_timestamp may be behind this host's clock; "
          "older readings get 400 (0 = no limit)",
          0, G_MAXINT, DEFAULT_MAX_READING_AGE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
}

/**
 * gst_sensor_stream_server_config_init:
 * @config: (out caller-allocates): filled with the defaults
 */
void
gst_sensor_stream_server_config_init (GstSensorStreamServerConfig *config)
{
  memset (config, 0, sizeof (*config));
  config->address = g_strdup (DEFAULT_ADDRESS);
  config->port = DEFAULT_PORT;
  config->sensitivity = DEFAULT_SENSITIVITY;
  config->max_body_size = DEFAULT_MAX_BODY_SIZE;
  config->timeout = DEFAULT_TIMEOUT;
  config->rate_limit = DEFAULT_RATE_LIMIT;
  config->rate_burst = DEFAULT_RATE_BURST;
  config->max_connections = DEFAULT_MAX_CONNECTIONS;
  config->idle_timeout = DEFAULT_IDLE_TIMEOUT;
  config->max_clock_skew = DEFAULT_MAX_CLOCK_SKEW;
  config->max_reading_age = DEFAULT_MAX_READING_AGE;
}

/**
 * gst_sensor_stream_server_config_clear:
 * @config: a config
 *
 * Frees its strings, wiping the token.
 */
void
gst_sensor_stream_server_config_clear (GstSensorStreamServerConfig *config)
{
  g_clear_pointer (&config->address, g_free);
  gst_sensor_secret_clear (&config->auth_token);
}

/**
 * gst_sensor_stream_server_config_copy:
 * @dest: (out caller-allocates): the copy, cleared with
 *   gst_sensor_stream_server_config_clear()
 * @src: a config
 */
void
gst_sensor_stream_server_config_copy (
    GstSensorStreamServerConfig *dest, const GstSensorStreamServerConfig *src)
{
  *dest = *src;
  dest->address = g_strdup (src->address);
  dest->auth_token = NULL;
  gst_sensor_secret_replace (&dest->auth_token, src->auth_token);
}

/* Where each property is stored, by offset from the first id; the token is
 * a secret and has no plain field. */
#define CONFIG_FIELD(f) G_STRUCT_OFFSET (GstSensorStreamServerConfig, f)
static const gsize fields[GST_SENSOR_STREAM_SERVER_PROPS_N] = {
  [GST_SENSOR_STREAM_SERVER_PROP_ADDRESS] = CONFIG_FIELD (address),
  [GST_SENSOR_STREAM_SERVER_PROP_PORT] = CONFIG_FIELD (port),
  [GST_SENSOR_STREAM_SERVER_PROP_SENSITIVITY] = CONFIG_FIELD (sensitivity),
  [GST_SENSOR_STREAM_SERVER_PROP_MAX_BODY_SIZE] = CONFIG_FIELD (max_body_size),
  [GST_SENSOR_STREAM_SERVER_PROP_TIMEOUT] = CONFIG_FIELD (timeout),
  [GST_SENSOR_STREAM_SERVER_PROP_RATE_LIMIT] = CONFIG_FIELD (rate_limit),
  [GST_SENSOR_STREAM_SERVER_PROP_RATE_BURST] = CONFIG_FIELD (rate_burst),
  [GST_SENSOR_STREAM_SERVER_PROP_MAX_CONNECTIONS] =
      CONFIG_FIELD (max_connections),
  [GST_SENSOR_STREAM_SERVER_PROP_IDLE_TIMEOUT] = CONFIG_FIELD (idle_timeout),
  [GST_SENSOR_STREAM_SERVER_PROP_MAX_CLOCK_SKEW] =
      CONFIG_FIELD (max_clock_skew),
  [GST_SENSOR_STREAM_SERVER_PROP_MAX_READING_AGE] =
      CONFIG_FIELD (max_reading_age),
};

/**
 * gst_sensor_stream_server_config_set_property:
 * @config: the element's config (under its object lock)
 * @offset: property id minus the first id given at install
 * @value: the new value
 */
void
gst_sensor_stream_server_config_set_property (
    GstSensorStreamServerConfig *config, guint offset, const GValue *value)
{
  g_return_if_fail (offset < G_N_ELEMENTS (fields));
  if (offset == GST_SENSOR_STREAM_SERVER_PROP_AUTH_TOKEN) {
    /* never logged */
    gst_sensor_secret_replace (&config->auth_token, g_value_get_string (value));
    return;
  }
  if (!gst_sensor_field_set_value (
          G_STRUCT_MEMBER_P (config, fields[offset]), value))
    g_return_if_reached ();
}

/**
 * gst_sensor_stream_server_config_get_property:
 * @config: the element's config (under its object lock)
 * @offset: property id minus the first id given at install
 * @value: (out caller-allocates): set to the value (`auth-token` is
 *   write-only)
 */
void
gst_sensor_stream_server_config_get_property (
    const GstSensorStreamServerConfig *config, guint offset, GValue *value)
{
  g_return_if_fail (offset < G_N_ELEMENTS (fields));
  /* the token is write-only */
  g_return_if_fail (offset != GST_SENSOR_STREAM_SERVER_PROP_AUTH_TOKEN);
  if (!gst_sensor_field_get_value (
          G_STRUCT_MEMBER_P (config, fields[offset]), value))
    g_return_if_reached ();
}
