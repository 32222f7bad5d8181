/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensor-modality.h"

/* Rates and depths of ppg_green and acc_3axis follow the Raeh device-model
 * defaults; the others follow typical wearable parts (SmartFall's MAX30102,
 * BMP280, MPU6050). */
static const GstSensorModality modalities[] = {
  { "ppg_green", "Green photoplethysmogram", GST_SENSOR_FORMAT_S16LE, 100, 1, 1,
      "adc" },
  { "ppg_red", "Red photoplethysmogram", GST_SENSOR_FORMAT_S16LE, 100, 1, 1,
      "adc" },
  { "ppg_ir", "Infrared photoplethysmogram", GST_SENSOR_FORMAT_S16LE, 100, 1, 1,
      "adc" },
  { "acc_3axis", "3-axis accelerometer", GST_SENSOR_FORMAT_S16LE, 50, 1, 3,
      "m/s^2" },
  { "gyro_3axis", "3-axis gyroscope", GST_SENSOR_FORMAT_S16LE, 50, 1, 3,
      "deg/s" },
  { "pressure", "Barometric pressure", GST_SENSOR_FORMAT_F32LE, 10, 1, 1,
      "hPa" },
  { "fsr", "Force-sensitive resistor, normalised", GST_SENSOR_FORMAT_F32LE, 10,
      1, 1, "1" },
  { "heart_rate", "Heart rate", GST_SENSOR_FORMAT_F32LE, 1, 1, 1, "bpm" },
  { "spo2", "Blood oxygen saturation", GST_SENSOR_FORMAT_F32LE, 1, 1, 1, "%" },
  { "battery_level", "Battery charge", GST_SENSOR_FORMAT_F32LE, 1, 60, 1, "%" },
  { "temperature", "Skin temperature", GST_SENSOR_FORMAT_F32LE, 1, 1, 1,
      "degC" },
};

/**
 * gst_sensor_modality_lookup:
 * @name: a modality name
 *
 * Returns: (transfer none) (nullable): the table row for @name, valid for
 *   the life of the process; %NULL when not known
 */
const GstSensorModality *
gst_sensor_modality_lookup (const gchar *name)
{
  guint i;

  if (name == NULL)
    return NULL;
  for (i = 0; i < G_N_ELEMENTS (modalities); i++) {
    if (g_str_equal (modalities[i].name, name))
      return &modalities[i];
  }
  return NULL;
}

/**
 * gst_sensor_modality_get_all:
 * @n_modalities: (out): number of rows
 *
 * The table of known modalities.
 *
 * Returns: (transfer none) (array length=n_modalities): the whole modality
 *   table, valid for the life of the process
 */
const GstSensorModality *
gst_sensor_modality_get_all (guint *n_modalities)
{
  g_return_val_if_fail (n_modalities != NULL, NULL);
  *n_modalities = G_N_ELEMENTS (modalities);
  return modalities;
}
