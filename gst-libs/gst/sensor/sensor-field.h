/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sensor/sensor-prelude.h>

G_BEGIN_DECLS

GST_SENSOR_API
gboolean gst_sensor_field_set_value (gpointer field, const GValue *value);

GST_SENSOR_API
gboolean gst_sensor_field_get_value (gconstpointer field, GValue *value);

G_END_DECLS
