/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sensor/sensor-format.h>

G_BEGIN_DECLS

GST_SENSOR_API
gdouble gst_sensor_sample_read (GstSensorFormat format, const guint8 *data);

GST_SENSOR_API
gboolean gst_sensor_sample_write (
    GstSensorFormat format, guint8 *data, gdouble value);

GST_SENSOR_API
guint64 gst_sensor_convert_samples (GstSensorFormat in_format, const guint8 *in,
    GstSensorFormat out_format, guint8 *out, gsize n_values,
    gdouble full_scale);

G_END_DECLS
