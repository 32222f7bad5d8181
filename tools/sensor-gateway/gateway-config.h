/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GATEWAY_CONFIG_ERROR (gateway_config_error_quark ())
GQuark gateway_config_error_quark (void);

typedef enum {
  GATEWAY_CONFIG_ERROR_SYNTAX,   /* a line that is no group, key or comment */
  GATEWAY_CONFIG_ERROR_UNSET,    /* ${VAR} not in the environment */
  GATEWAY_CONFIG_ERROR_KEY,      /* unknown, duplicate or missing key */
  GATEWAY_CONFIG_ERROR_VALUE,    /* a value of the wrong kind */
  GATEWAY_CONFIG_ERROR_TEMPLATE, /* a description that does not parse */
  GATEWAY_CONFIG_ERROR_FILE,     /* the file or a *-file cannot be read */
} GatewayConfigError;

/* set.ELEMENT.PROPERTY = VALUE: a property set on a named element after
 * its description is parsed, so secrets never appear in a description
 * (GStreamer logs descriptions at debug level). */
typedef struct
{
  gchar *element;
  gchar *property;
  gchar *value;
} GatewaySetting;

/* A device source and what each device's data goes through. */
typedef struct
{
  gchar *name;
  gchar *source;       /* gst-launch description of the device source */
  gchar *branch;       /* per-device description; {device} and {NAME} vars */
  GHashTable *vars;    /* NAME -> value, from var.NAME / var.NAME-file */
  GPtrArray *settings; /* GatewaySetting*, for the source and each branch */
  guint device_idle_timeout_s;
} GatewayRoute;

/* Any gst-launch description, restarted with backoff after an error. */
typedef struct
{
  gchar *name;
  gchar *description;
  gdouble restart_delay_s;     /* first delay */
  gdouble restart_delay_max_s; /* doubling up to this */
  GPtrArray *settings;         /* GatewaySetting* */
} GatewayPipeline;

typedef struct
{
  gchar *path;
  gchar *metrics_address;
  gint metrics_port; /* -1 = no metrics endpoint, 0 = any free port */
  guint drain_timeout_s;
  gchar *log_file;      /* NULL = stderr */
  GPtrArray *routes;    /* GatewayRoute* */
  GPtrArray *pipelines; /* GatewayPipeline* */
} GatewayConfig;

GatewayConfig *gateway_config_load (
    const gchar *path, const gchar *const *envp, GError **error);

GatewayConfig *gateway_config_load_data (const gchar *path, const gchar *data,
    const gchar *const *envp, GError **error);

gchar *gateway_route_expand (const GatewayRoute *route, const gchar *device);

/* Sets every setting whose element is in @bin (by name, recursively). */
void gateway_settings_apply (GPtrArray *settings, GstBin *bin);

void gateway_config_free (GatewayConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GatewayConfig, gateway_config_free)

G_END_DECLS
