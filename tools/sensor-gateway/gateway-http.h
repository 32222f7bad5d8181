/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The operations endpoint: GET /metrics (Prometheus text), /healthz (the
 * main loop answers), /readyz (200 when running and not draining). */
typedef struct
{
  void (*metrics) (GString *out, gpointer user_data);
  /* FALSE (with a reason in @why) -> 503 */
  gboolean (*ready) (GString *why, gpointer user_data);
} GatewayHttpHandlers;

typedef struct _GatewayHttp GatewayHttp;

GatewayHttp *gateway_http_new (const gchar *address, guint port,
    const GatewayHttpHandlers *handlers, gpointer user_data, GError **error);

guint gateway_http_get_port (GatewayHttp *http);

void gateway_http_free (GatewayHttp *http);

G_END_DECLS
