/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The named stats counters of libgstsensor: the structure an element's
 * `stats` property returns, and exact sums under concurrent adds.
 */
#include <gst/check/gstcheck.h>
#include <gst/sensor/sensor.h>

enum { C_FRAMES_SENT, C_BYTES_SENT, C_DROPPED, N_COUNTERS };

static const GstSensorCounterInfo info[N_COUNTERS] = {
  { "frames-sent", "frames sent" },
  { "bytes-sent", "their bytes" },
  { "dropped", "frames dropped" },
};

GST_START_TEST (test_structure)
{
  GstSensorCounters *c = gst_sensor_counters_new (info, N_COUNTERS);
  GstStructure *s;
  guint64 v;
  gchar *text;

  gst_sensor_counters_add (c, C_FRAMES_SENT, 3);
  gst_sensor_counters_add (c, C_BYTES_SENT, 1500);
  gst_sensor_counters_add (c, C_FRAMES_SENT, 1);
  gst_sensor_counters_sub (c, C_BYTES_SENT, 500);
  fail_unless_equals_uint64 (gst_sensor_counters_get (c, C_FRAMES_SENT), 4);

  s = gst_sensor_counters_new_stats (c, "raehsink");
  fail_unless_equals_string (
      gst_structure_get_name (s), "application/x-raehsink-stats");
  fail_unless_equals_int (gst_structure_n_fields (s), 3);
  fail_unless_equals_string (
      gst_structure_nth_field_name (s, 0), "frames-sent");
  fail_unless_equals_string (gst_structure_nth_field_name (s, 1), "bytes-sent");
  fail_unless_equals_string (gst_structure_nth_field_name (s, 2), "dropped");
  fail_unless (gst_structure_get_uint64 (s, "frames-sent", &v));
  fail_unless_equals_uint64 (v, 4);
  fail_unless (gst_structure_get_uint64 (s, "bytes-sent", &v));
  fail_unless_equals_uint64 (v, 1000);
  fail_unless (gst_structure_get_uint64 (s, "dropped", &v));
  fail_unless_equals_uint64 (v, 0);
  gst_structure_free (s);

  /* fill replaces a field of the same name and keeps the others */
  s = gst_structure_new (
      "x", "dropped", G_TYPE_UINT, 7, "connected", G_TYPE_BOOLEAN, TRUE, NULL);
  gst_sensor_counters_fill (c, s);
  fail_unless_equals_int (gst_structure_n_fields (s), 4);
  fail_unless (gst_structure_get_uint64 (s, "dropped", &v));
  fail_unless_equals_uint64 (v, 0);
  fail_unless (gst_structure_has_field_typed (s, "connected", G_TYPE_BOOLEAN));
  gst_structure_free (s);

  text = gst_sensor_counters_describe (c);
  fail_unless_equals_string (text,
      "frames-sent (frames sent), bytes-sent (their bytes), "
      "dropped (frames dropped)");
  g_free (text);

  /* a copy is a snapshot */
  {
    GstSensorCounters *snap = gst_sensor_counters_copy (c);

    gst_sensor_counters_add (c, C_DROPPED, 5);
    fail_unless_equals_uint64 (
        gst_sensor_counters_get (snap, C_FRAMES_SENT), 4);
    fail_unless_equals_uint64 (gst_sensor_counters_get (snap, C_DROPPED), 0);
    fail_unless (G_TYPE_IS_BOXED (GST_TYPE_SENSOR_COUNTERS));
    gst_sensor_counters_free (snap);
  }

  gst_sensor_counters_reset (c);
  fail_unless_equals_uint64 (gst_sensor_counters_get (c, C_FRAMES_SENT), 0);
  fail_unless_equals_uint64 (gst_sensor_counters_get (c, C_BYTES_SENT), 0);
  gst_sensor_counters_free (c);
}

GST_END_TEST;

#define N_THREADS 4
#define N_ADDS 100000

static gpointer
adder (gpointer data)
{
  GstSensorCounters *c = data;
  guint i;

  for (i = 0; i < N_ADDS; i++) {
    gst_sensor_counters_add (c, C_FRAMES_SENT, 1);
    gst_sensor_counters_add (c, C_BYTES_SENT, 3);
  }
  return NULL;
}

GST_START_TEST (test_concurrent_adds_sum_exactly)
{
  GstSensorCounters *c = gst_sensor_counters_new (info, N_COUNTERS);
  GThread *threads[N_THREADS];
  guint i;

  /* beyond 32 bits: the counters are 64-bit all through */
  gst_sensor_counters_add (c, C_BYTES_SENT, G_MAXUINT32);
  for (i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("adder", adder, c);
  for (i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);
  fail_unless_equals_uint64 (
      gst_sensor_counters_get (c, C_FRAMES_SENT), N_THREADS * N_ADDS);
  fail_unless_equals_uint64 (gst_sensor_counters_get (c, C_BYTES_SENT),
      (guint64) G_MAXUINT32 + 3 * N_THREADS * N_ADDS);
  fail_unless_equals_uint64 (gst_sensor_counters_get (c, C_DROPPED), 0);
  gst_sensor_counters_free (c);
}

GST_END_TEST;

static Suite *
sensorcounters_suite (void)
{
  Suite *s = suite_create ("sensorcounters");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_structure);
  tcase_add_test (tc, test_concurrent_adds_sum_exactly);
  return s;
}

GST_CHECK_MAIN (sensorcounters);
