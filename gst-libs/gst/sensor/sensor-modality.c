/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:gstsensormodality
 * @title: Modalities
 * @short_description: the table of sensor modalities: channels, units,
 *   rates and full scales
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensor-modality.h"

#define STANDARD_GRAVITY 9.80665

/* Rates and depths of ppg_green and acc_3axis follow the Raeh device-model
 * defaults; the others follow typical wearable parts (SmartFall's MAX30102,
 * BMP280, MPU6050). Full scales are the ranges those parts are set up for
 * (+-16 g, +-2000 deg/s, BMP280's 1100 hPa ceiling), the natural end of a
 * bounded unit (fsr 1, spo2 and battery 100 %), 300 bpm above any heart
 * rate a wearable reports, and +-128 degC, the range of two's complement
 * temperature registers; PPG values are ADC counts and stay as they are. */
static const GstSensorModality modalities[] = {
  { "ppg_green", "Green photoplethysmogram", GST_SENSOR_FORMAT_S16LE, 100, 1, 1,
      "adc", 0 },
  { "ppg_red", "Red photoplethysmogram", GST_SENSOR_FORMAT_S16LE, 100, 1, 1,
      "adc", 0 },
  { "ppg_ir", "Infrared photoplethysmogram", GST_SENSOR_FORMAT_S16LE, 100, 1, 1,
      "adc", 0 },
  { "acc_3axis", "3-axis accelerometer", GST_SENSOR_FORMAT_S16LE, 50, 1, 3,
      "m/s^2", 16 * STANDARD_GRAVITY },
  { "gyro_3axis", "3-axis gyroscope", GST_SENSOR_FORMAT_S16LE, 50, 1, 3,
      "deg/s", 2000 },
  { "pressure", "Barometric pressure", GST_SENSOR_FORMAT_F32LE, 10, 1, 1, "hPa",
      1100 },
  { "fsr", "Force-sensitive resistor, normalised", GST_SENSOR_FORMAT_F32LE, 10,
      1, 1, "1", 1 },
  { "heart_rate", "Heart rate", GST_SENSOR_FORMAT_F32LE, 1, 1, 1, "bpm", 300 },
  { "spo2", "Blood oxygen saturation", GST_SENSOR_FORMAT_F32LE, 1, 1, 1, "%",
      100 },
  { "battery_level", "Battery charge", GST_SENSOR_FORMAT_F32LE, 1, 60, 1, "%",
      100 },
  { "temperature", "Skin temperature", GST_SENSOR_FORMAT_F32LE, 1, 1, 1, "degC",
      128 },
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

/**
 * gst_sensor_modality_list_names:
 *
 * The names of the modality table, in its order, for messages and property
 * descriptions: "ppg_green, ppg_red, ..., temperature".
 *
 * Returns: (transfer full): a new string
 */
gchar *
gst_sensor_modality_list_names (void)
{
  GString *names = g_string_new (NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (modalities); i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "", modalities[i].name);
  return g_string_free (names, FALSE);
}

/**
 * gst_sensor_modality_get_full_scale:
 * @name: (nullable): a modality name
 * @unit: (nullable): the unit the values are in, %NULL for the table's
 * @full_scale: (out) (optional): the value of the largest integer code, or 0
 *   when the modality's values are integer counts to keep as they are
 *
 * The full scale to convert @name's values between float and integer
 * formats with, as gst_sensor_convert_samples() takes it. The table's scale
 * holds only for the table's unit: values in another @unit have none.
 *
 * Returns: %TRUE when the table decides the scale, %FALSE (and @full_scale
 *   untouched) for a modality not in the table or another unit
 */
gboolean
gst_sensor_modality_get_full_scale (
    const gchar *name, const gchar *unit, gdouble *full_scale)
{
  const GstSensorModality *m = gst_sensor_modality_lookup (name);

  if (m == NULL || (unit != NULL && g_strcmp0 (unit, m->unit) != 0))
    return FALSE;
  if (full_scale)
    *full_scale = m->full_scale;
  return TRUE;
}
