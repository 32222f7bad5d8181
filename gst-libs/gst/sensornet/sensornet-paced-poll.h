/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void gst_sensor_net_context_set_paced (GMainContext *context);

gint64 gst_sensor_net_paced_interval_us (guint n_fds);

G_END_DECLS
