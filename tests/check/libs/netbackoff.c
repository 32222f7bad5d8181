/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The reconnect backoff policy shared by every network element.
 */
#include <gst/check/gstcheck.h>
#include <gst/sensornet/sensornet-backoff.h>

GST_START_TEST (test_delay_table)
{
  struct
  {
    gdouble initial, factor, max;
    gint retries;
    GstClockTime expect[8]; /* NONE-terminated */
  } rows[] = {
    { 1.0, 2.0, 30.0, 7,
        { 1 * GST_SECOND, 2 * GST_SECOND, 4 * GST_SECOND, 8 * GST_SECOND,
            16 * GST_SECOND, 30 * GST_SECOND, 30 * GST_SECOND,
            GST_CLOCK_TIME_NONE } },
    { 0.05, 2.0, 0.15, 4,
        { 50 * GST_MSECOND, 100 * GST_MSECOND, 150 * GST_MSECOND,
            150 * GST_MSECOND, GST_CLOCK_TIME_NONE } },
    { 0.5, 1.0, 10.0, 3,
        { 500 * GST_MSECOND, 500 * GST_MSECOND, 500 * GST_MSECOND,
            GST_CLOCK_TIME_NONE } },
    { 0.1, 3.0, 100.0, 3,
        { 100 * GST_MSECOND, 300 * GST_MSECOND, 900 * GST_MSECOND,
            GST_CLOCK_TIME_NONE } },
    /* retries 0: never reconnect */
    { 1.0, 2.0, 30.0, 0, { GST_CLOCK_TIME_NONE } },
    /* initial 0: immediate retries */
    { 0.0, 2.0, 30.0, 2, { 0, 0, GST_CLOCK_TIME_NONE } },
  };
  guint r, i;

  for (r = 0; r < G_N_ELEMENTS (rows); r++) {
    GstSensorNetBackoff b;

    gst_sensor_net_backoff_init (&b, rows[r].initial, rows[r].factor,
        rows[r].max, 0.0, rows[r].retries, 1);
    for (i = 0;; i++) {
      GstClockTime d = gst_sensor_net_backoff_next (&b);

      fail_unless_equals_uint64 (d, rows[r].expect[i]);
      if (d == GST_CLOCK_TIME_NONE)
        break;
      fail_unless_equals_int (b.attempt, i + 1);
    }
    /* stays exhausted */
    fail_unless_equals_uint64 (
        gst_sensor_net_backoff_next (&b), GST_CLOCK_TIME_NONE);
    /* a success starts over */
    gst_sensor_net_backoff_reset (&b);
    fail_unless_equals_int (b.attempt, 0);
    fail_unless_equals_uint64 (
        gst_sensor_net_backoff_next (&b), rows[r].expect[0]);
    gst_sensor_net_backoff_clear (&b);
  }
}

GST_END_TEST;

GST_START_TEST (test_forever)
{
  GstSensorNetBackoff b;
  guint i;

  gst_sensor_net_backoff_init (&b, 1.0, 2.0, 30.0, 0.0, -1, 1);
  for (i = 0; i < 10000; i++) {
    GstClockTime d = gst_sensor_net_backoff_next (&b);

    fail_unless (d != GST_CLOCK_TIME_NONE);
    fail_unless (d <= 30 * GST_SECOND);
  }
  /* factor^(n-1) overflowed long ago; still capped */
  fail_unless_equals_uint64 (gst_sensor_net_backoff_next (&b), 30 * GST_SECOND);
  gst_sensor_net_backoff_clear (&b);
}

GST_END_TEST;

GST_START_TEST (test_jitter_bounds)
{
  GstSensorNetBackoff b;
  GstClockTime lo = GST_CLOCK_TIME_NONE, hi = 0;
  guint i;

  /* cap 1 s, jitter 25 %: every delay from the 2nd on is in [0.75, 1.25] s */
  gst_sensor_net_backoff_init (&b, 1.0, 1.0, 1.0, 0.25, -1, 42);
  for (i = 0; i < 2000; i++) {
    GstClockTime d = gst_sensor_net_backoff_next (&b);

    fail_unless (d >= 750 * GST_MSECOND && d <= 1250 * GST_MSECOND,
        "delay %" GST_TIME_FORMAT " out of bounds", GST_TIME_ARGS (d));
    lo = MIN (lo, d);
    hi = MAX (hi, d);
  }
  /* the jitter really spreads the delays */
  fail_unless (lo < 800 * GST_MSECOND);
  fail_unless (hi > 1200 * GST_MSECOND);
  gst_sensor_net_backoff_clear (&b);
}

GST_END_TEST;

GST_START_TEST (test_seeded_reproducible)
{
  GstSensorNetBackoff a, b;
  guint i;

  gst_sensor_net_backoff_init (&a, 0.1, 2.0, 5.0, 0.5, -1, 7);
  gst_sensor_net_backoff_init (&b, 0.1, 2.0, 5.0, 0.5, -1, 7);
  for (i = 0; i < 50; i++)
    fail_unless_equals_uint64 (
        gst_sensor_net_backoff_next (&a), gst_sensor_net_backoff_next (&b));
  gst_sensor_net_backoff_clear (&a);
  gst_sensor_net_backoff_clear (&b);
}

GST_END_TEST;

GST_START_TEST (test_bad_parameters_clamped)
{
  GstSensorNetBackoff b;

  /* factor < 1 would shrink, max < initial would invert, jitter > 1 could go
   * negative: all clamped */
  gst_sensor_net_backoff_init (&b, 2.0, 0.5, 1.0, 3.0, 3, 5);
  fail_unless_equals_int (b.factor, 1);
  fail_unless (b.max_s >= b.initial_s);
  fail_unless (b.jitter <= 1.0);
  fail_unless (gst_sensor_net_backoff_next (&b) <= 4 * GST_SECOND);
  gst_sensor_net_backoff_clear (&b);
}

GST_END_TEST;

static Suite *
netbackoff_suite (void)
{
  Suite *s = suite_create ("netbackoff");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_delay_table);
  tcase_add_test (tc, test_forever);
  tcase_add_test (tc, test_jitter_bounds);
  tcase_add_test (tc, test_seeded_reproducible);
  tcase_add_test (tc, test_bad_parameters_clamped);
  return s;
}

GST_CHECK_MAIN (netbackoff);
