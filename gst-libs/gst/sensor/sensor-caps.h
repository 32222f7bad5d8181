/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sensor/sensor-prelude.h>

G_BEGIN_DECLS

GST_SENSOR_API
void gst_sensor_caps_set_all_formats (GstStructure *structure);

GST_SENSOR_API
GstCaps *gst_sensor_caps_new_template (gboolean allow_irregular);

GST_SENSOR_API
const gchar *gst_sensor_caps_get_problem (const GstCaps *caps);

GST_SENSOR_API
GstCaps *gst_sensor_caps_filter (GstCaps *caps, GstCaps *filter);

GST_SENSOR_API
void gst_sensor_caps_default_rate (
    const gchar *modality, gint *rate_n, gint *rate_d);

G_END_DECLS
