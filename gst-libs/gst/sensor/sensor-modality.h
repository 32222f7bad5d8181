/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sensor/sensor-format.h>

G_BEGIN_DECLS

/**
 * GstSensorModality:
 * @name: wire name, e.g. "ppg_green"
 * @description: human readable description
 * @format: typical sample format
 * @rate_n: typical rate numerator (0 = irregular)
 * @rate_d: typical rate denominator
 * @channels: channel count
 * @unit: physical unit of the values
 * @full_scale: the value, in @unit, of the largest code of an integer format
 *   when floats in @unit are stored as integers (an accelerometer of +-16 g:
 *   156.9064 m/s^2); 0 when the values are integer counts already (PPG ADC
 *   codes) and are kept as they are
 *
 * One row of the modality table: what a modality usually looks like.
 */
typedef struct
{
  const gchar *name;
  const gchar *description;
  GstSensorFormat format;
  gint rate_n;
  gint rate_d;
  gint channels;
  const gchar *unit;
  gdouble full_scale;
} GstSensorModality;

GST_SENSOR_API
const GstSensorModality *gst_sensor_modality_lookup (const gchar *name);

GST_SENSOR_API
const GstSensorModality *gst_sensor_modality_get_all (guint *n_modalities);

GST_SENSOR_API
gchar *gst_sensor_modality_list_names (void);

GST_SENSOR_API
gboolean gst_sensor_modality_get_full_scale (
    const gchar *name, const gchar *unit, gdouble *full_scale);

G_END_DECLS
