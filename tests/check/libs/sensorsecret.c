/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libgstsensor: the secret slot helpers (wipe before free).
 */
#include <gst/check/gstcheck.h>
#include <gst/sensor/sensor.h>

GST_START_TEST (test_wipe_zeroes_every_byte)
{
  gchar *s = g_strdup ("Key-0f-Test");
  gsize i, len = strlen (s);

  gst_sensor_secret_wipe (s);
  for (i = 0; i < len; i++)
    fail_unless_equals_int (s[i], 0);
  g_free (s);
  /* NULL and "" are no-ops */
  gst_sensor_secret_wipe (NULL);
  s = g_strdup ("");
  gst_sensor_secret_wipe (s);
  fail_unless_equals_int (s[0], 0);
  g_free (s);
}

GST_END_TEST;

GST_START_TEST (test_replace_and_clear)
{
  gchar *slot = NULL;
  gchar value[] = "T0ken-0f-Test";

  gst_sensor_secret_replace (&slot, value);
  fail_unless_equals_string (slot, "T0ken-0f-Test");
  /* a copy: the caller's string is left alone */
  fail_unless (slot != value);
  gst_sensor_secret_replace (&slot, "other");
  fail_unless_equals_string (slot, "other");
  fail_unless_equals_string (value, "T0ken-0f-Test");
  gst_sensor_secret_replace (&slot, "");
  fail_unless_equals_string (slot, "");
  gst_sensor_secret_replace (&slot, NULL);
  fail_unless (slot == NULL);
  gst_sensor_secret_replace (&slot, "again");
  gst_sensor_secret_clear (&slot);
  fail_unless (slot == NULL);
  /* clearing an empty slot is fine */
  gst_sensor_secret_clear (&slot);
  fail_unless (slot == NULL);
}

GST_END_TEST;

static Suite *
sensorsecret_suite (void)
{
  Suite *s = suite_create ("sensorsecret");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_wipe_zeroes_every_byte);
  tcase_add_test (tc, test_replace_and_clear);
  return s;
}

GST_CHECK_MAIN (sensorsecret);
