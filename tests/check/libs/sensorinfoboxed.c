/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * GstSensorInfo as a boxed type: what bindings (GstSensor-1.0.typelib) and
 * g_value/g_boxed users rely on.
 */
#include <gst/check/gstcheck.h>
#include <gst/sensor/sensor.h>

GST_START_TEST (test_new_from_caps)
{
  GstCaps *caps = gst_caps_from_string ("sensor/x-raw, format=S24LE, "
                                        "rate=(fraction)128/1, channels=3, "
                                        "modality=acc_3axis, unit=\"m/s^2\"");
  GstSensorInfo *info = gst_sensor_info_new_from_caps (caps);

  fail_unless (info != NULL);
  fail_unless_equals_int (info->format, GST_SENSOR_FORMAT_S24LE);
  fail_unless_equals_int (info->rate_n, 128);
  fail_unless_equals_int (info->rate_d, 1);
  fail_unless_equals_int (info->channels, 3);
  fail_unless_equals_int (info->bpf, 9);
  fail_unless_equals_string (info->modality, "acc_3axis");
  fail_unless_equals_string (info->unit, "m/s^2");
  gst_sensor_info_free (info);
  gst_caps_unref (caps);

  /* not sensor/x-raw, unfixed, bad channel count: NULL, nothing leaked */
  caps = gst_caps_from_string ("audio/x-raw, format=S16LE, rate=8000, "
                               "channels=1");
  fail_unless (gst_sensor_info_new_from_caps (caps) == NULL);
  gst_caps_unref (caps);
  caps = gst_caps_from_string ("sensor/x-raw, format={S8,U8}, "
                               "rate=(fraction)1/1, channels=1");
  fail_unless (gst_sensor_info_new_from_caps (caps) == NULL);
  gst_caps_unref (caps);
  caps = gst_caps_from_string ("sensor/x-raw, format=F32LE, "
                               "rate=(fraction)0/1, channels=65");
  fail_unless (gst_sensor_info_new_from_caps (caps) == NULL);
  gst_caps_unref (caps);
}

GST_END_TEST;

GST_START_TEST (test_new_copy_free)
{
  GstSensorInfo *info = gst_sensor_info_new (), *copy;

  /* a new info is the unknown format, as after gst_sensor_info_init() */
  fail_unless_equals_int (info->format, GST_SENSOR_FORMAT_UNKNOWN);
  fail_unless_equals_int (info->rate_d, 1);
  fail_unless (info->modality == NULL && info->unit == NULL);

  gst_sensor_info_set_format (
      info, GST_SENSOR_FORMAT_F32LE, 0, 1, 1, "heart_rate", "bpm");
  copy = gst_sensor_info_copy (info);
  fail_unless (copy != info);
  fail_unless (gst_sensor_info_is_equal (info, copy));
  /* deep: the strings are the copy's own */
  fail_unless (copy->modality != info->modality);
  fail_unless (copy->unit != info->unit);
  gst_sensor_info_free (info);
  fail_unless_equals_string (copy->modality, "heart_rate");
  fail_unless_equals_string (copy->unit, "bpm");
  fail_unless (GST_SENSOR_INFO_IS_IRREGULAR (copy));
  gst_sensor_info_free (copy);
  gst_sensor_info_free (NULL);
}

GST_END_TEST;

GST_START_TEST (test_boxed_type)
{
  GstSensorInfo *info, *copy;
  GValue v = G_VALUE_INIT;
  GType type = GST_TYPE_SENSOR_INFO;

  fail_unless (G_TYPE_IS_BOXED (type));
  fail_unless_equals_string (g_type_name (type), "GstSensorInfo");
  fail_unless (gst_sensor_info_get_type () == type);

  info = gst_sensor_info_new ();
  gst_sensor_info_set_format (
      info, GST_SENSOR_FORMAT_S16LE, 100, 1, 2, "ppg", NULL);
  copy = g_boxed_copy (type, info);
  fail_unless (gst_sensor_info_is_equal (info, copy));
  g_boxed_free (type, copy);

  g_value_init (&v, type);
  g_value_take_boxed (&v, info);
  copy = g_value_dup_boxed (&v);
  fail_unless_equals_string (copy->modality, "ppg");
  fail_unless (copy->unit == NULL);
  fail_unless_equals_int (copy->bpf, 4);
  gst_sensor_info_free (copy);
  g_value_unset (&v);
}

GST_END_TEST;

GST_START_TEST (test_autoptr)
{
  g_autoptr (GstSensorInfo) info = gst_sensor_info_new ();

  gst_sensor_info_set_format (
      info, GST_SENSOR_FORMAT_U8, 1, 60, 1, "battery_level", "%");
  fail_unless_equals_int (info->rate_d, 60);
}

GST_END_TEST;

static Suite *
sensorinfoboxed_suite (void)
{
  Suite *s = suite_create ("sensorinfoboxed");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_new_from_caps);
  tcase_add_test (tc, test_new_copy_free);
  tcase_add_test (tc, test_boxed_type);
  tcase_add_test (tc, test_autoptr);
  return s;
}

GST_CHECK_MAIN (sensorinfoboxed);
