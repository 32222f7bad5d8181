/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "gateway-config.h"
#include "gateway-stats.h"

G_BEGIN_DECLS

/* One [route NAME]: a device source whose per-device pads each get the
 * route's branch, built off the HTTP thread when a device first posts,
 * retried with backoff when it fails, torn down when the device is idle. */
typedef struct _GatewayRouter GatewayRouter;

GatewayRouter *gateway_router_new (const GatewayRoute *config);

/* Builds and starts the route's pipeline; FALSE with the source's error
 * (e.g. the port is in use). */
gboolean gateway_router_start (GatewayRouter *router, GError **error);

/* Stops taking new requests where the source can (its `draining`
 * property), sends EOS so every branch flushes and closes its session, and
 * calls @done once the pipeline has ended or @timeout has passed. */
void gateway_router_drain (GatewayRouter *router, GstClockTime timeout,
    GCallback done, gpointer user_data);

gboolean gateway_router_is_running (GatewayRouter *router);

/* The port the device source listens on (its `port` property), or 0. */
guint gateway_router_get_port (GatewayRouter *router);

const gchar *gateway_router_get_name (GatewayRouter *router);

void gateway_router_collect (GatewayRouter *router, GatewayStats *stats);

/* Devices with a branch running, being built, or waiting to be retried. */
void gateway_router_count_devices (
    GatewayRouter *router, guint *running, guint *starting, guint *failed);

void gateway_router_free (GatewayRouter *router);

G_END_DECLS
