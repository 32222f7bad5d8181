/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sensor/sensor-prelude.h>

G_BEGIN_DECLS

GST_SENSOR_API
void gst_sensor_secret_wipe (gchar *secret);

GST_SENSOR_API
void gst_sensor_secret_replace (gchar **slot, const gchar *value);

GST_SENSOR_API
void gst_sensor_secret_clear (gchar **slot);

G_END_DECLS
