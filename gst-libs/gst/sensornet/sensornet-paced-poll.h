/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void gst_sensor_net_context_set_paced (GMainContext *context);
void gst_sensor_net_context_set_paced_bulk (GMainContext *context);

gint64 gst_sensor_net_paced_interval_us (guint n_fds);
gint64 gst_sensor_net_paced_bulk_interval_us (guint n_fds);

G_END_DECLS
