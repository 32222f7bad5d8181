/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:sensorstream-groups
 * @title: Reading groups
 * @short_description: a reading's fields as streams: accel, gyro,
 *   pressure, fsr, heart_rate, spo2, battery_level
 *
 * A sensor-stream reading carries several quantities at once. Each group
 * of fields is one irregular `sensor/x-raw` F32LE stream of its device;
 * the optional groups exist only in the readings that carry them.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensorstream-groups.h"

#include <gst/sensor/sensor.h>

static const GstSensorStreamGroup groups[GST_SENSOR_STREAM_N_GROUPS] = {
  { "accel", "acc_3axis", "m/s^2", 3, 0 },
  { "gyro", "gyro_3axis", "deg/s", 3, 0 },
  { "pressure", "pressure", "hPa", 1, GST_SENSOR_STREAM_HAS_PRESSURE },
  { "fsr", "fsr", "1", 1, GST_SENSOR_STREAM_HAS_FSR },
  { "heart_rate", "heart_rate", "bpm", 1, GST_SENSOR_STREAM_HAS_HEART_RATE },
  { "spo2", "spo2", "%", 1, GST_SENSOR_STREAM_HAS_SPO2 },
  { "battery_level", "battery_level", "%", 1,
      GST_SENSOR_STREAM_HAS_BATTERY_LEVEL },
};

/**
 * gst_sensor_stream_group_get:
 * @group: a group index, below %GST_SENSOR_STREAM_N_GROUPS
 *
 * Returns: (transfer none): the description of @group
 */
const GstSensorStreamGroup *
gst_sensor_stream_group_get (guint group)
{
  g_return_val_if_fail (group < GST_SENSOR_STREAM_N_GROUPS, NULL);
  return &groups[group];
}

/**
 * gst_sensor_stream_group_caps:
 * @group: a group index, below %GST_SENSOR_STREAM_N_GROUPS
 *
 * Returns: (transfer full): the fixed caps of @group's stream:
 *   irregular `sensor/x-raw`, F32LE, its channels, modality and unit
 */
GstCaps *
gst_sensor_stream_group_caps (guint group)
{
  GstSensorInfo info;
  GstCaps *caps;

  g_return_val_if_fail (group < GST_SENSOR_STREAM_N_GROUPS, NULL);
  gst_sensor_info_init (&info);
  gst_sensor_info_set_format (&info, GST_SENSOR_FORMAT_F32LE, 0, 1,
      groups[group].channels, groups[group].modality, groups[group].unit);
  caps = gst_sensor_info_to_caps (&info);
  gst_sensor_info_clear (&info);
  return caps;
}

/**
 * gst_sensor_stream_reading_has_group:
 * @reading: a validated reading
 * @group: a group index, below %GST_SENSOR_STREAM_N_GROUPS
 *
 * Returns: whether @reading carries the fields of @group
 */
gboolean
gst_sensor_stream_reading_has_group (
    const GstSensorStreamReading *reading, guint group)
{
  g_return_val_if_fail (group < GST_SENSOR_STREAM_N_GROUPS, FALSE);
  return groups[group].flag == 0 || (reading->present & groups[group].flag);
}

/**
 * gst_sensor_stream_reading_group_samples:
 * @reading: a validated reading
 * @group: a group index, below %GST_SENSOR_STREAM_N_GROUPS
 * @samples: (out caller-allocates) (array fixed-size=3): @group's values
 *   of @reading, in host byte order
 *
 * Returns: how many of @samples were set (the group's channels)
 */
guint
gst_sensor_stream_reading_group_samples (const GstSensorStreamReading *reading,
    guint group, gfloat samples[GST_SENSOR_STREAM_GROUP_MAX_CHANNELS])
{
  /* in the table's order, after accel and gyro; the integers are exact
   * as doubles, so they round to the same floats */
  const gdouble single[] = { reading->pressure, reading->fsr,
    reading->heart_rate, reading->spo2, reading->battery_level };
  guint i;

  g_return_val_if_fail (group < GST_SENSOR_STREAM_N_GROUPS, 0);
  if (group < 2) {
    const gdouble *xyz = group == 0 ? reading->accel : reading->gyro;

    for (i = 0; i < 3; i++)
      samples[i] = (gfloat) xyz[i];
  } else {
    samples[0] = (gfloat) single[group - 2];
  }
  return groups[group].channels;
}
