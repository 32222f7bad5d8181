/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * sensorresample: rate and format conversion with exact sample-counter
 * timestamps, irregular input, discontinuities, bad input and accuracy.
 */
#include <math.h>
#include <string.h>
#include <gst/check/gstcheck.h>
#include "../sensor-test-stats.h"
#include <gst/check/gstharness.h>
#include <gst/audio/audio.h>
#include <gst/sensor/sensor.h>

#include "../sensor-test-pipeline.h"

#define MS (GST_MSECOND)

typedef struct
{
  GstClockTime pts;
  GstClockTime duration;
  guint64 offset;
  guint64 offset_end;
  gsize size;
} Row;

static GstHarness *
harness_new (const gchar *in_caps, const gchar *out_caps)
{
  GstHarness *h = gst_harness_new ("sensorresample");

  gst_harness_set_caps_str (h, in_caps, out_caps);
  return h;
}

/* A buffer of @frames frames of @format x @channels; value of frame i,
 * channel c is @base + i * 10 + c. */
static GstBuffer *
make_buffer (GstSensorFormat format, gint channels, guint frames,
    GstClockTime pts, gint base)
{
  guint w = gst_sensor_format_get_width (format);
  GstBuffer *buf = gst_buffer_new_allocate (NULL, frames * channels * w, NULL);
  GstMapInfo map;
  guint i;
  gint c;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i < frames; i++)
    for (c = 0; c < channels; c++)
      gst_sensor_sample_write (
          format, map.data + (i * channels + c) * w, base + (gint) i * 10 + c);
  gst_buffer_unmap (buf, &map);
  GST_BUFFER_PTS (buf) = pts;
  return buf;
}

static GstBuffer *
make_sample (GstSensorFormat format, GstClockTime pts, gdouble value)
{
  guint w = gst_sensor_format_get_width (format);
  GstBuffer *buf = gst_buffer_new_allocate (NULL, w, NULL);
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  gst_sensor_sample_write (format, map.data, value);
  gst_buffer_unmap (buf, &map);
  GST_BUFFER_PTS (buf) = pts;
  return buf;
}

/* Pulls every queued buffer. */
static GPtrArray *
pull_all (GstHarness *h)
{
  GPtrArray *out =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);
  GstBuffer *buf;

  while ((buf = gst_harness_try_pull (h)) != NULL)
    g_ptr_array_add (out, buf);
  return out;
}

static void
check_table (GPtrArray *bufs, const Row *rows, guint n_rows)
{
  guint i;

  if (g_getenv ("SENSORRESAMPLE_DUMP")) {
    for (i = 0; i < bufs->len; i++) {
      GstBuffer *b = g_ptr_array_index (bufs, i);

      g_print ("    {%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
               ", %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
               ", %" G_GSIZE_FORMAT "},\n",
          GST_BUFFER_PTS (b), GST_BUFFER_DURATION (b), GST_BUFFER_OFFSET (b),
          GST_BUFFER_OFFSET_END (b), gst_buffer_get_size (b));
    }
  }
  fail_unless_equals_int (bufs->len, n_rows);
  for (i = 0; i < n_rows; i++) {
    GstBuffer *b = g_ptr_array_index (bufs, i);

    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), rows[i].pts);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (b), rows[i].duration);
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (b), rows[i].offset);
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET_END (b), rows[i].offset_end);
    fail_unless_equals_uint64 (gst_buffer_get_size (b), rows[i].size);
    /* the first buffer of a timeline says so */
    fail_unless_equals_int (GST_BUFFER_IS_DISCONT (b), rows[i].offset == 0);
  }
}

/* Every buffer continues the previous one: PTS = t0 + offset / rate,
 * duration = next PTS - PTS. */
static void
check_counter_timestamps_from (GPtrArray *bufs, GstClockTime t0, gint rate_n,
    gint rate_d, guint64 expect_offset)
{
  guint i;

  for (i = 0; i < bufs->len; i++) {
    GstBuffer *b = g_ptr_array_index (bufs, i);
    guint64 off = GST_BUFFER_OFFSET (b), end = GST_BUFFER_OFFSET_END (b);
    GstClockTime pts =
        t0 + gst_util_uint64_scale (off, GST_SECOND * rate_d, rate_n);
    GstClockTime next =
        t0 + gst_util_uint64_scale (end, GST_SECOND * rate_d, rate_n);

    fail_unless_equals_uint64 (off, expect_offset);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), pts);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (b), next - pts);
    expect_offset = end;
  }
}

static void
check_counter_timestamps (
    GPtrArray *bufs, GstClockTime t0, gint rate_n, gint rate_d)
{
  check_counter_timestamps_from (bufs, t0, rate_n, rate_d, 0);
}

static guint64
total_frames (GPtrArray *bufs, gint bpf)
{
  guint64 n = 0;
  guint i;

  for (i = 0; i < bufs->len; i++)
    n += gst_buffer_get_size (g_ptr_array_index (bufs, i)) / bpf;
  return n;
}

static gdouble
sample_at (GstBuffer *b, GstSensorFormat format, guint index)
{
  GstMapInfo map;
  gdouble v;

  gst_buffer_map (b, &map, GST_MAP_READ);
  v = gst_sensor_sample_read (
      format, map.data + index * gst_sensor_format_get_width (format));
  gst_buffer_unmap (b, &map);
  return v;
}

/* -------------------------------------------------------------- rates */

GST_START_TEST (test_52_to_50_s16_3ch)
{
  GstHarness *h = harness_new (
      "sensor/x-raw,format=S16LE,rate=52/1,channels=3,modality=acc_3axis",
      "sensor/x-raw,format=S16LE,rate=50/1,channels=3,modality=acc_3axis");
  /* 20 ms per output sample, 6 bytes per frame; the first buffer is short
   * by the filter's look-ahead, the drain at EOS gives it back. */
  static const Row rows[] = {
    { 0, 380000000, 0, 19, 114 },
    { 380000000, 1000000000, 19, 69, 300 },
    { 1380000000, 1000000000, 69, 119, 300 },
    { 2380000000, 1000000000, 119, 169, 300 },
    { 3380000000, 620000000, 169, 200, 186 },
  };
  GPtrArray *bufs;
  guint i;

  for (i = 0; i < 4; i++)
    fail_unless_equals_int (
        gst_harness_push (
            h, make_buffer (GST_SENSOR_FORMAT_S16LE, 3, 52, i * GST_SECOND, 0)),
        GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  bufs = pull_all (h);
  check_table (bufs, rows, G_N_ELEMENTS (rows));
  check_counter_timestamps (bufs, 0, 50, 1);
  /* 4 s of input -> exactly 4 s of output */
  fail_unless_equals_uint64 (total_frames (bufs, 6), 200);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "in-samples"), 208);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "out-samples"), 200);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "discont"), 0);
  g_ptr_array_unref (bufs);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_128_to_100)
{
  GstHarness *h = harness_new (
      "sensor/x-raw,format=F32LE,rate=128/1,channels=1,modality=ppg_green",
      "sensor/x-raw,format=F32LE,rate=100/1,channels=1,modality=ppg_green");
  /* 10 ms per output sample, 4 bytes per frame */
  static const Row rows[] = {
    { 1000000000, 680000000, 0, 68, 272 },
    { 1680000000, 1000000000, 68, 168, 400 },
    { 2680000000, 1000000000, 168, 268, 400 },
    { 3680000000, 320000000, 268, 300, 128 },
  };
  GPtrArray *bufs;
  guint i;

  for (i = 0; i < 3; i++)
    fail_unless_equals_int (gst_harness_push (h,
                                make_buffer (GST_SENSOR_FORMAT_F32LE, 1, 128,
                                    GST_SECOND + i * GST_SECOND, 0)),
        GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  bufs = pull_all (h);
  check_table (bufs, rows, G_N_ELEMENTS (rows));
  check_counter_timestamps (bufs, GST_SECOND, 100, 1);
  fail_unless_equals_uint64 (total_frames (bufs, 4), 300);
  g_ptr_array_unref (bufs);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_25_to_100)
{
  GstHarness *h = harness_new ("sensor/x-raw,format=S16LE,rate=25/1,channels=1",
      "sensor/x-raw,format=S16LE,rate=100/1,channels=1");
  static const Row rows[] = {
    { 0, 690000000, 0, 69, 138 },
    { 690000000, 1310000000, 69, 200, 262 },
  };
  GPtrArray *bufs;
  guint i;

  for (i = 0; i < 2; i++)
    fail_unless_equals_int (
        gst_harness_push (
            h, make_buffer (GST_SENSOR_FORMAT_S16LE, 1, 25, i * GST_SECOND, 0)),
        GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  bufs = pull_all (h);
  check_table (bufs, rows, G_N_ELEMENTS (rows));
  check_counter_timestamps (bufs, 0, 100, 1);
  fail_unless_equals_uint64 (total_frames (bufs, 2), 200);
  g_ptr_array_unref (bufs);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A fractional rate: 1/3 Hz -> 1/2 Hz, output PTS rounded down to the ns
 * from the counter, never accumulated. */
GST_START_TEST (test_fractional_rate)
{
  GstHarness *h = harness_new ("sensor/x-raw,format=F64LE,rate=1/3,channels=1",
      "sensor/x-raw,format=F64LE,rate=1/2,channels=1");
  GPtrArray *bufs;

  fail_unless_equals_int (
      gst_harness_push (h, make_buffer (GST_SENSOR_FORMAT_F64LE, 1, 64, 7, 0)),
      GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  bufs = pull_all (h);
  check_counter_timestamps (bufs, 7, 1, 2);
  /* 64 samples of 3 s = 192 s = 96 samples of 2 s */
  fail_unless_equals_uint64 (total_frames (bufs, 8), 96);
  g_ptr_array_unref (bufs);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_passthrough)
{
  GstHarness *h = harness_new (
      "sensor/x-raw,format=S16LE,rate=100/1,channels=1,modality=ppg_green",
      "sensor/x-raw,format=S16LE,rate=100/1,channels=1,modality=ppg_green");
  GstBuffer *in = make_buffer (GST_SENSOR_FORMAT_S16LE, 1, 10, 3 * MS, 0);
  GstBuffer *out;

  GST_BUFFER_DURATION (in) = 100 * MS;
  gst_buffer_ref (in);
  fail_unless_equals_int (gst_harness_push (h, in), GST_FLOW_OK);
  fail_unless (
      gst_base_transform_is_passthrough (GST_BASE_TRANSFORM (h->element)));
  out = gst_harness_pull (h);
  /* the very same buffer, timestamps untouched */
  fail_unless (out == in);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), 3 * MS);
  gst_buffer_unref (out);
  gst_buffer_unref (in);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "in-samples"), 10);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "out-samples"), 10);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* -------------------------------------------------------- irregular */

static void
push_irregular_series (GstHarness *h)
{
  static const struct
  {
    GstClockTime t;
    gdouble v;
  } in[] = {
    { 0, 0 },
    { 20 * MS, 8 },
    { 60 * MS, 4 },
    { 100 * MS, 12 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (in); i++)
    fail_unless_equals_int (gst_harness_push (h,
                                make_sample (GST_SENSOR_FORMAT_F32LE,
                                    1000 * MS + in[i].t, in[i].v)),
        GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
}

static void
check_irregular_output (
    GstHarness *h, const gdouble *expect, guint n, guint64 first_offset)
{
  GPtrArray *bufs = pull_all (h);
  guint i, j, k = 0;

  check_counter_timestamps_from (bufs, 1000 * MS, 100, 1, first_offset);
  for (i = 0; i < bufs->len; i++) {
    GstBuffer *b = g_ptr_array_index (bufs, i);
    guint frames = gst_buffer_get_size (b) / 4;

    for (j = 0; j < frames; j++, k++) {
      fail_unless (k < n);
      fail_unless_equals_float (
          sample_at (b, GST_SENSOR_FORMAT_F32LE, j), expect[k]);
    }
  }
  /* every 10 ms from 1.000 s to 1.100 s inclusive */
  fail_unless_equals_int (k, n);
  g_ptr_array_unref (bufs);
}

GST_START_TEST (test_irregular_linear)
{
  GstHarness *h = harness_new ("sensor/x-raw,format=F32LE,rate=0/1,channels=1",
      "sensor/x-raw,format=F32LE,rate=100/1,channels=1");
  static const gdouble expect[] = { 0, 4, 8, 7, 6, 5, 4, 6, 8, 10, 12 };
  GstBuffer *head;

  push_irregular_series (h);
  /* the sample at 20 ms releases the outputs at 0 and 10 ms */
  head = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (head), 1000 * MS);
  fail_unless_equals_uint64 (GST_BUFFER_DURATION (head), 20 * MS);
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET (head), 0);
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET_END (head), 2);
  fail_unless (GST_BUFFER_IS_DISCONT (head));
  fail_unless_equals_float (sample_at (head, GST_SENSOR_FORMAT_F32LE, 1), 4);
  gst_buffer_unref (head);
  check_irregular_output (h, expect + 2, G_N_ELEMENTS (expect) - 2, 2);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "in-samples"), 4);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "out-samples"), 11);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_irregular_hold)
{
  GstHarness *h = gst_harness_new ("sensorresample");
  static const gdouble expect[] = { 0, 0, 8, 8, 8, 8, 4, 4, 4, 4, 12 };

  g_object_set (h->element, "method", 1, NULL);
  gst_harness_set_caps_str (h, "sensor/x-raw,format=F32LE,rate=0/1,channels=1",
      "sensor/x-raw,format=F32LE,rate=100/1,channels=1");
  push_irregular_series (h);
  check_irregular_output (h, expect, G_N_ELEMENTS (expect), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Irregular S16 with an epoch meta -> 100 Hz F32 with full scale: the
 * epoch follows the output counter. */
GST_START_TEST (test_irregular_epoch_and_scale)
{
  GstHarness *h = gst_harness_new ("sensorresample");
  const GstClockTime epoch = 1700000000 * GST_SECOND;
  GstBuffer *b;
  GPtrArray *bufs;
  GstClockTime e;

  g_object_set (h->element, "full-scale", 2.0, NULL);
  gst_harness_set_caps_str (h, "sensor/x-raw,format=S16LE,rate=0/1,channels=1",
      "sensor/x-raw,format=F32LE,rate=100/1,channels=1");
  b = make_sample (GST_SENSOR_FORMAT_S16LE, 5 * MS, 0);
  gst_buffer_add_sensor_epoch (b, epoch);
  gst_harness_push (h, b);
  b = make_sample (GST_SENSOR_FORMAT_S16LE, 45 * MS, 32767);
  gst_buffer_add_sensor_epoch (b, epoch + 40 * MS);
  gst_harness_push (h, b);
  bufs = pull_all (h);
  fail_unless_equals_int (bufs->len, 1);
  b = g_ptr_array_index (bufs, 0);
  /* outputs at 5, 15, 25, 35 ms: 0, 0.5, 1.0, 1.5 (32767 counts = 2.0) */
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET_END (b), 4);
  fail_unless_equals_float (sample_at (b, GST_SENSOR_FORMAT_F32LE, 1), 0.5);
  fail_unless_equals_float (sample_at (b, GST_SENSOR_FORMAT_F32LE, 3), 1.5);
  fail_unless (gst_buffer_get_sensor_epoch (b, &e));
  fail_unless_equals_uint64 (e, epoch);
  g_ptr_array_unref (bufs);

  b = make_sample (GST_SENSOR_FORMAT_S16LE, 70 * MS, 0);
  gst_buffer_add_sensor_epoch (b, epoch + 65 * MS);
  gst_harness_push (h, b);
  b = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (b), 45 * MS);
  fail_unless (gst_buffer_get_sensor_epoch (b, &e));
  fail_unless_equals_uint64 (e, epoch + 40 * MS);
  gst_buffer_unref (b);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_irregular_non_monotonic)
{
  GstHarness *h = harness_new ("sensor/x-raw,format=F32LE,rate=0/1,channels=1",
      "sensor/x-raw,format=F32LE,rate=100/1,channels=1");
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GPtrArray *bufs;
  GstClockTime last_end = 0;
  guint i;
  static const GstClockTime times[] = {
    0,
    20 * MS,
    10 * MS,
    20 * MS,
    40 * MS,
    35 * MS,
    50 * MS,
  };

  gst_element_set_bus (h->element, bus);
  for (i = 0; i < G_N_ELEMENTS (times); i++)
    fail_unless_equals_int (
        gst_harness_push (
            h, make_sample (GST_SENSOR_FORMAT_F32LE, times[i], i)),
        GST_FLOW_OK);
  /* a sample without a time cannot be placed either */
  fail_unless_equals_int (
      gst_harness_push (
          h, make_sample (GST_SENSOR_FORMAT_F32LE, GST_CLOCK_TIME_NONE, 1)),
      GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));

  fail_unless_equals_uint64 (
      sensor_test_stat (h->element, "dropped-non-monotonic"), 4);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "in-samples"), 4);

  /* one warning, not one per sample */
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL);

  /* output time never goes back: 0, 10, ..., 50 ms */
  bufs = pull_all (h);
  check_counter_timestamps (bufs, 0, 100, 1);
  for (i = 0; i < bufs->len; i++) {
    GstBuffer *b = g_ptr_array_index (bufs, i);

    fail_unless (GST_BUFFER_PTS (b) >= last_end);
    last_end = GST_BUFFER_PTS (b) + GST_BUFFER_DURATION (b);
  }
  fail_unless_equals_uint64 (total_frames (bufs, 4), 6);
  g_ptr_array_unref (bufs);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A sample absurdly far after the previous one starts a new timeline
 * instead of filling the silence. */
GST_START_TEST (test_irregular_huge_gap)
{
  GstHarness *h = harness_new ("sensor/x-raw,format=F32LE,rate=0/1,channels=1",
      "sensor/x-raw,format=F32LE,rate=100/1,channels=1");
  const GstClockTime far = G_GUINT64_CONSTANT (1) << 62;
  GPtrArray *bufs;
  GstBuffer *b;

  gst_harness_push (h, make_sample (GST_SENSOR_FORMAT_F32LE, 0, 1));
  gst_harness_push (h, make_sample (GST_SENSOR_FORMAT_F32LE, 15 * MS, 2));
  gst_harness_push (h, make_sample (GST_SENSOR_FORMAT_F32LE, far, 3));
  gst_harness_push (h, make_sample (GST_SENSOR_FORMAT_F32LE, far + 10 * MS, 4));
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "discont"), 1);
  bufs = pull_all (h);
  /* 0 and 10 ms, then the old timeline's end (nothing more: 15 ms is not
   * on the grid), then far and far + 10 ms on the new one */
  fail_unless_equals_int (bufs->len, 3);
  b = g_ptr_array_index (bufs, 0);
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET_END (b), 2);
  b = g_ptr_array_index (bufs, 1);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (b), far);
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET (b), 0);
  fail_unless (GST_BUFFER_IS_DISCONT (b));
  b = g_ptr_array_index (bufs, 2);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (b), far + 10 * MS);
  fail_unless_equals_float (sample_at (b, GST_SENSOR_FORMAT_F32LE, 0), 4);
  g_ptr_array_unref (bufs);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_irregular_default_rate)
{
  GstHarness *h = gst_harness_new ("sensorresample");
  GstCaps *caps;
  GstStructure *s;
  gint n, d;

  gst_harness_set_caps_str (h,
      "sensor/x-raw,format=S16LE,rate=0/1,channels=3,modality=acc_3axis",
      "sensor/x-raw");
  caps = gst_pad_get_current_caps (h->sinkpad);
  fail_unless (caps != NULL);
  s = gst_caps_get_structure (caps, 0);
  /* acc_3axis is typically 50 Hz */
  fail_unless (gst_structure_get_fraction (s, "rate", &n, &d));
  fail_unless_equals_int (n, 50);
  fail_unless_equals_int (d, 1);
  fail_unless_equals_string (gst_structure_get_string (s, "format"), "S16LE");
  fail_unless_equals_string (
      gst_structure_get_string (s, "modality"), "acc_3axis");
  gst_caps_unref (caps);
  gst_harness_teardown (h);

  h = gst_harness_new ("sensorresample");
  gst_harness_set_caps_str (h,
      "sensor/x-raw,format=F32LE,rate=0/1,channels=1,modality=unheard_of",
      "sensor/x-raw");
  caps = gst_pad_get_current_caps (h->sinkpad);
  s = gst_caps_get_structure (caps, 0);
  fail_unless (gst_structure_get_fraction (s, "rate", &n, &d));
  fail_unless_equals_int (n, 1);
  fail_unless_equals_int (d, 1);
  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ------------------------------------------------ negotiation + bad caps */

GST_START_TEST (test_downstream_decides)
{
  GstHarness *h = gst_harness_new ("sensorresample");
  GstCaps *caps, *expect;

  gst_harness_set_caps_str (h,
      "sensor/x-raw,format=S16LE,rate=128/1,channels=1,modality=ppg_green",
      "sensor/x-raw,rate=100/1,format=F32LE");
  caps = gst_pad_get_current_caps (h->sinkpad);
  expect = gst_caps_from_string (
      "sensor/x-raw,format=F32LE,rate=100/1,channels=1,modality=ppg_green");
  fail_unless (gst_caps_is_equal (caps, expect), "got %" GST_PTR_FORMAT, caps);
  gst_caps_unref (caps);
  gst_caps_unref (expect);
  gst_harness_teardown (h);

  /* unconstrained: the stream keeps its rate and format, passthrough */
  h = gst_harness_new ("sensorresample");
  gst_harness_set_caps_str (h,
      "sensor/x-raw,format=S16LE,rate=52/1,channels=3,modality=acc_3axis",
      "sensor/x-raw");
  caps = gst_pad_get_current_caps (h->sinkpad);
  expect = gst_caps_from_string (
      "sensor/x-raw,format=S16LE,rate=52/1,channels=3,modality=acc_3axis");
  fail_unless (gst_caps_is_equal (caps, expect), "got %" GST_PTR_FORMAT, caps);
  gst_caps_unref (caps);
  gst_caps_unref (expect);
  fail_unless (
      gst_base_transform_is_passthrough (GST_BASE_TRANSFORM (h->element)));
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Runs @desc to EOS; returns the caps the sink named "sink" got. */
static GstCaps *
run_pipeline (const gchar *desc)
{
  GstElement *pipeline, *sink;
  GError *err = NULL;
  GstPad *pad;
  GstCaps *caps;

  pipeline = gst_parse_launch (desc, &err);
  fail_unless (pipeline != NULL, "%s", err ? err->message : "");
  sensor_test_play_to_eos (pipeline, 10 * GST_SECOND);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  caps = gst_pad_get_current_caps (pad);
  gst_object_unref (pad);
  gst_object_unref (sink);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return caps;
}

GST_START_TEST (test_pipeline_launch)
{
  GstCaps *caps, *expect;
  GstElementFactory *testsrc;

  /* a fixed-caps source: the downstream rate and format are honoured end to
   * end, modality passes through */
  caps = run_pipeline (
      "fakesrc num-buffers=5 sizetype=fixed "
      "sizemax=256 filltype=zero format=time ! "
      "sensor/x-raw,format=S16LE,rate=128/1,channels=1,modality=ppg_green ! "
      "sensorresample ! sensor/x-raw,rate=100/1,format=S16LE ! "
      "fakesink name=sink");
  expect = gst_caps_from_string (
      "sensor/x-raw,format=S16LE,rate=100/1,channels=1,modality=ppg_green");
  fail_unless (gst_caps_is_equal (caps, expect), "got %" GST_PTR_FORMAT, caps);
  gst_caps_unref (caps);
  gst_caps_unref (expect);

  /* the same with the synthetic source, when the plugin has it */
  testsrc = gst_element_factory_find ("sensortestsrc");
  if (testsrc != NULL) {
    caps = run_pipeline (
        "sensortestsrc modality=ppg_green rate=128 "
        "num-buffers=5 ! sensorresample ! "
        "sensor/x-raw,rate=100/1,format=S16LE ! fakesink name=sink");
    fail_unless (caps != NULL);
    {
      GstStructure *st = gst_caps_get_structure (caps, 0);
      gint n = 0, d = 0;

      fail_unless (gst_structure_get_fraction (st, "rate", &n, &d));
      fail_unless_equals_int (n, 100);
      fail_unless_equals_int (d, 1);
      fail_unless_equals_string (
          gst_structure_get_string (st, "format"), "S16LE");
      fail_unless_equals_string (
          gst_structure_get_string (st, "modality"), "ppg_green");
    }
    gst_caps_unref (caps);
    gst_object_unref (testsrc);
  }
}

GST_END_TEST;

GST_START_TEST (test_bad_caps)
{
  static const gchar *bad[] = {
    "sensor/x-raw,format=S16BE,rate=100/1,channels=1",
    "sensor/x-raw,format=S16LE,rate=100/1,channels=0",
    "sensor/x-raw,format=S16LE,rate=100/1,channels=65",
    "audio/x-raw,format=S16LE,rate=100,channels=1",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    GstHarness *h = gst_harness_new ("sensorresample");
    GstSegment seg;
    GstCaps *caps;

    gst_harness_set_sink_caps_str (h, "sensor/x-raw");
    fail_unless (
        gst_harness_push_event (h, gst_event_new_stream_start ("bad")));
    /* a sticky event counts as handled once stored on the harness pad, so
     * what tells is that the element took no caps and refuses data */
    caps = gst_caps_from_string (bad[i]);
    gst_harness_push_event (h, gst_event_new_caps (caps));
    gst_caps_unref (caps);
    fail_unless (gst_pad_get_current_caps (
                     GST_BASE_TRANSFORM_SINK_PAD (h->element)) == NULL,
        "%s", bad[i]);
    gst_segment_init (&seg, GST_FORMAT_TIME);
    gst_harness_push_event (h, gst_event_new_segment (&seg));
    fail_unless_equals_int (
        gst_harness_push (h, make_buffer (GST_SENSOR_FORMAT_S16LE, 1, 4, 0, 0)),
        GST_FLOW_NOT_NEGOTIATED);
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

/* Regular buffers that are not whole frames are dropped and counted; the
 * timeline then restarts at the next good buffer. */
GST_START_TEST (test_bad_size)
{
  GstHarness *h =
      harness_new ("sensor/x-raw,format=S16LE,rate=100/1,channels=3",
          "sensor/x-raw,format=F32LE,rate=100/1,channels=3");
  GstBus *bus = gst_bus_new ();
  GstBuffer *b = gst_buffer_new_allocate (NULL, 7, NULL);
  GstMessage *msg;

  gst_element_set_bus (h->element, bus);
  gst_buffer_memset (b, 0, 0, 7);
  GST_BUFFER_PTS (b) = 0;
  fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  fail_unless_equals_uint64 (
      sensor_test_stat (h->element, "dropped-bad-size"), 1);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL);
  gst_message_unref (msg);

  /* an empty buffer is zero whole frames: nothing comes out */
  b = gst_buffer_new ();
  GST_BUFFER_PTS (b) = 70 * MS;
  fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);

  fail_unless_equals_int (
      gst_harness_push (
          h, make_buffer (GST_SENSOR_FORMAT_S16LE, 3, 10, 70 * MS, 0)),
      GST_FLOW_OK);
  b = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (b), 70 * MS);
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET (b), 0);
  fail_unless_equals_uint64 (gst_buffer_get_size (b), 10 * 3 * 4);
  gst_buffer_unref (b);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---------------------------------------------- discont, flush, gap, EOS */

GST_START_TEST (test_discont)
{
  GstHarness *h = harness_new ("sensor/x-raw,format=S16LE,rate=52/1,channels=3",
      "sensor/x-raw,format=S16LE,rate=50/1,channels=3");
  GPtrArray *bufs;
  GstBuffer *b;
  guint i, first_of_second = 0;

  gst_harness_push (h, make_buffer (GST_SENSOR_FORMAT_S16LE, 3, 52, 0, 0));
  /* flagged discontinuity at 5 s */
  b = make_buffer (GST_SENSOR_FORMAT_S16LE, 3, 52, 5 * GST_SECOND, 0);
  GST_BUFFER_FLAG_SET (b, GST_BUFFER_FLAG_DISCONT);
  gst_harness_push (h, b);
  /* unflagged jump of one sample period (more than half) at 6 s + 1/52 */
  gst_harness_push (h,
      make_buffer (
          GST_SENSOR_FORMAT_S16LE, 3, 52, 6 * GST_SECOND + GST_SECOND / 52, 0));
  /* a jitter of a quarter period is not a discontinuity */
  gst_harness_push (h,
      make_buffer (GST_SENSOR_FORMAT_S16LE, 3, 52,
          7 * GST_SECOND + GST_SECOND / 52 + GST_SECOND / 208, 0));
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "discont"), 2);

  bufs = pull_all (h);
  /* three timelines, each drained to ceil (frames * 50 / 52) samples */
  {
    guint64 per_timeline[3] = { 0, 0, 0 };
    GstClockTime t0s[3] = { 0, 5 * GST_SECOND,
      6 * GST_SECOND + GST_SECOND / 52 };
    gint tl = -1;

    for (i = 0; i < bufs->len; i++) {
      GstBuffer *ob = g_ptr_array_index (bufs, i);

      if (GST_BUFFER_OFFSET (ob) == 0) {
        tl++;
        fail_unless (GST_BUFFER_IS_DISCONT (ob));
        fail_unless_equals_uint64 (GST_BUFFER_PTS (ob), t0s[tl]);
        if (tl == 1)
          first_of_second = i;
      } else {
        fail_if (GST_BUFFER_IS_DISCONT (ob));
      }
      fail_unless (tl >= 0 && tl < 3);
      fail_unless_equals_uint64 (GST_BUFFER_PTS (ob),
          t0s[tl] +
              gst_util_uint64_scale (GST_BUFFER_OFFSET (ob), GST_SECOND, 50));
      per_timeline[tl] += gst_buffer_get_size (ob) / 6;
    }
    fail_unless_equals_int (tl, 2);
    fail_unless_equals_uint64 (per_timeline[0], 50);
    fail_unless_equals_uint64 (per_timeline[1], 50);
    fail_unless_equals_uint64 (per_timeline[2], 100);
  }
  fail_unless (first_of_second > 0);
  g_ptr_array_unref (bufs);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_flush)
{
  GstHarness *h =
      harness_new ("sensor/x-raw,format=F32LE,rate=128/1,channels=1",
          "sensor/x-raw,format=F32LE,rate=100/1,channels=1");
  GPtrArray *bufs;
  GstSegment seg;

  gst_harness_push (h, make_buffer (GST_SENSOR_FORMAT_F32LE, 1, 128, 0, 0));
  g_ptr_array_unref (pull_all (h));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  gst_segment_init (&seg, GST_FORMAT_TIME);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
  /* nothing of the old data is drained after a flush */
  bufs = pull_all (h);
  fail_unless_equals_int (bufs->len, 0);
  g_ptr_array_unref (bufs);

  gst_harness_push (
      h, make_buffer (GST_SENSOR_FORMAT_F32LE, 1, 128, 10 * GST_SECOND, 0));
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  bufs = pull_all (h);
  check_counter_timestamps (bufs, 10 * GST_SECOND, 100, 1);
  fail_unless_equals_uint64 (total_frames (bufs, 4), 100);
  g_ptr_array_unref (bufs);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_gap)
{
  GstHarness *h =
      harness_new ("sensor/x-raw,format=F32LE,rate=128/1,channels=1",
          "sensor/x-raw,format=F32LE,rate=100/1,channels=1");
  GPtrArray *bufs;
  GstBuffer *b;
  GstEvent *ev;
  GstClockTime ts, dur;
  gboolean saw_gap = FALSE;

  gst_harness_push (h, make_buffer (GST_SENSOR_FORMAT_F32LE, 1, 128, 0, 0));
  fail_unless (
      gst_harness_push_event (h, gst_event_new_gap (GST_SECOND, GST_SECOND)));
  /* everything before the gap came out */
  bufs = pull_all (h);
  fail_unless_equals_uint64 (total_frames (bufs, 4), 100);
  g_ptr_array_unref (bufs);

  /* a gap buffer travels on as a gap event */
  b = make_buffer (GST_SENSOR_FORMAT_F32LE, 1, 128, 2 * GST_SECOND, 0);
  GST_BUFFER_FLAG_SET (b, GST_BUFFER_FLAG_GAP);
  GST_BUFFER_DURATION (b) = GST_SECOND;
  gst_harness_push (h, b);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  while ((ev = gst_harness_try_pull_event (h)) != NULL) {
    if (GST_EVENT_TYPE (ev) == GST_EVENT_GAP) {
      gst_event_parse_gap (ev, &ts, &dur);
      if (ts == 2 * GST_SECOND && dur == GST_SECOND)
        saw_gap = TRUE;
    }
    gst_event_unref (ev);
  }
  fail_unless (saw_gap);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "gaps"), 2);

  /* and the stream goes on with a new timeline */
  gst_harness_push (
      h, make_buffer (GST_SENSOR_FORMAT_F32LE, 1, 128, 3 * GST_SECOND, 0));
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  bufs = pull_all (h);
  check_counter_timestamps (bufs, 3 * GST_SECOND, 100, 1);
  fail_unless_equals_uint64 (total_frames (bufs, 4), 100);
  g_ptr_array_unref (bufs);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_eos_drain_counts)
{
  /* total output == ceil (input frames * out rate / in rate) for odd sizes */
  static const struct
  {
    gint in_rate, out_rate;
    guint frames;
  } cases[] = {
    { 52, 50, 1 },
    { 52, 50, 53 },
    { 128, 100, 7 },
    { 128, 100, 1000 },
    { 25, 100, 3 },
    { 100, 25, 9 },
    { 50, 52, 77 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gchar *in = g_strdup_printf (
        "sensor/x-raw,format=S32LE,rate=%d/1,channels=2", cases[i].in_rate);
    gchar *out = g_strdup_printf (
        "sensor/x-raw,format=S32LE,rate=%d/1,channels=2", cases[i].out_rate);
    GstHarness *h = harness_new (in, out);
    GPtrArray *bufs;
    guint pushed = 0;

    while (pushed < cases[i].frames) {
      guint n = MIN (cases[i].frames - pushed, 10);

      gst_harness_push (h,
          make_buffer (GST_SENSOR_FORMAT_S32LE, 2, n,
              gst_util_uint64_scale (pushed, GST_SECOND, cases[i].in_rate), 0));
      pushed += n;
    }
    fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
    bufs = pull_all (h);
    check_counter_timestamps (bufs, 0, cases[i].out_rate, 1);
    fail_unless_equals_uint64 (total_frames (bufs, 8),
        gst_util_uint64_scale_ceil (
            cases[i].frames, cases[i].out_rate, cases[i].in_rate));
    g_ptr_array_unref (bufs);
    gst_harness_teardown (h);
    g_free (in);
    g_free (out);
  }
}

GST_END_TEST;

/* ------------------------------------------------------ format + clips */

GST_START_TEST (test_clipping)
{
  GstHarness *h = gst_harness_new ("sensorresample");
  static const gdouble in[] = { 0.5, 1.0, 2.0, -3.0, -1.0 };
  static const gint16 expect[] = { 16384, 32767, 32767, -32768, -32767 };
  GstBuffer *b;
  GstMapInfo map;
  guint i;

  g_object_set (h->element, "full-scale", 1.0, NULL);
  gst_harness_set_caps_str (h,
      "sensor/x-raw,format=F32LE,rate=100/1,channels=1",
      "sensor/x-raw,format=S16LE,rate=100/1,channels=1");
  b = gst_buffer_new_allocate (NULL, sizeof (in) / 2, NULL);
  gst_buffer_map (b, &map, GST_MAP_WRITE);
  for (i = 0; i < G_N_ELEMENTS (in); i++)
    GST_WRITE_FLOAT_LE (map.data + 4 * i, in[i]);
  gst_buffer_unmap (b, &map);
  GST_BUFFER_PTS (b) = 0;
  gst_harness_push (h, b);
  b = gst_harness_pull (h);
  gst_buffer_map (b, &map, GST_MAP_READ);
  for (i = 0; i < G_N_ELEMENTS (expect); i++)
    fail_unless_equals_int (
        (gint16) GST_READ_UINT16_LE (map.data + 2 * i), expect[i]);
  gst_buffer_unmap (b, &map);
  gst_buffer_unref (b);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "clipped"), 2);
  gst_harness_teardown (h);

  /* same, through the resampler (F32 100 Hz -> S16 50 Hz) */
  h = gst_harness_new ("sensorresample");
  g_object_set (h->element, "full-scale", 1.0, NULL);
  gst_harness_set_caps_str (h,
      "sensor/x-raw,format=F32LE,rate=100/1,channels=1",
      "sensor/x-raw,format=S16LE,rate=50/1,channels=1");
  b = gst_buffer_new_allocate (NULL, 100 * 4, NULL);
  gst_buffer_map (b, &map, GST_MAP_WRITE);
  for (i = 0; i < 100; i++)
    GST_WRITE_FLOAT_LE (map.data + 4 * i, 4.0);
  gst_buffer_unmap (b, &map);
  GST_BUFFER_PTS (b) = 0;
  gst_harness_push (h, b);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  g_ptr_array_unref (pull_all (h));
  /* every output sample of a constant 4x full scale clips */
  fail_unless (sensor_test_stat (h->element, "clipped") > 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A harness with a bus of its own attached before negotiation, so that
 * warnings posted at set_caps are seen. @full_scale < 0 leaves the
 * property at its default. */
static GstHarness *
harness_with_bus (const gchar *in_caps, const gchar *out_caps,
    gdouble full_scale, GstBus **bus)
{
  GstHarness *h = gst_harness_new ("sensorresample");

  *bus = gst_bus_new ();
  gst_element_set_bus (h->element, *bus);
  if (full_scale >= 0)
    g_object_set (h->element, "full-scale", full_scale, NULL);
  gst_harness_set_caps_str (h, in_caps, out_caps);
  return h;
}

static void
harness_with_bus_free (GstHarness *h, GstBus *bus)
{
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

/* Pushes one buffer of @n samples of @value at PTS 0, returns sample 0 of
 * the output. */
static gdouble
convert_value (GstHarness *h, GstSensorFormat in_format,
    GstSensorFormat out_format, gdouble value)
{
  GstBuffer *b = make_sample (in_format, 0, value);
  gdouble v;

  fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_OK);
  b = gst_harness_pull (h);
  fail_unless (b != NULL);
  v = sample_at (b, out_format, 0);
  gst_buffer_unref (b);
  return v;
}

/* Without full-scale, float <-> integer uses the modality's full scale:
 * acc_3axis +-16 g = 156.9064 m/s^2, so 9.81 m/s^2 is not rounded to 10. */
GST_START_TEST (test_modality_full_scale)
{
  const gdouble lsb = 156.9064 / 32767;
  GstHarness *h;
  GstBus *bus;
  GPtrArray *bufs;
  gdouble v;
  guint i, n;

  /* round (9.81 / 156.9064 * 32767) = round (2048.63) */
  h = harness_with_bus (
      "sensor/x-raw,format=F32LE,rate=50/1,channels=1,modality=acc_3axis",
      "sensor/x-raw,format=S16LE,rate=50/1,channels=1", -1, &bus);
  fail_unless_equals_int ((gint) convert_value (h, GST_SENSOR_FORMAT_F32LE,
                              GST_SENSOR_FORMAT_S16LE, 9.81),
      2049);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "clipped"), 0);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL);
  harness_with_bus_free (h, bus);

  /* and back, within one LSB; the unit of the table may be spelled out */
  h = harness_with_bus ("sensor/x-raw,format=S16LE,rate=50/1,channels=1,"
                        "modality=acc_3axis,unit=\"m/s^2\"",
      "sensor/x-raw,format=F32LE,rate=50/1,channels=1", -1, &bus);
  v = convert_value (h, GST_SENSOR_FORMAT_S16LE, GST_SENSOR_FORMAT_F32LE, 2049);
  fail_unless (fabs (v - 9.81) <= lsb, "got %f", v);
  fail_unless (fabs (v - 2049 * lsb) < 1e-5, "got %f", v);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL);
  harness_with_bus_free (h, bus);

  /* +-2000 deg/s: 1000 deg/s is half of 32767, rounded away from 0 */
  h = harness_with_bus (
      "sensor/x-raw,format=F32LE,rate=50/1,channels=1,modality=gyro_3axis",
      "sensor/x-raw,format=S16LE,rate=50/1,channels=1", -1, &bus);
  fail_unless_equals_int ((gint) convert_value (h, GST_SENSOR_FORMAT_F32LE,
                              GST_SENSOR_FORMAT_S16LE, 1000),
      16384);
  harness_with_bus_free (h, bus);

  /* irregular input: the same scale */
  h = harness_with_bus (
      "sensor/x-raw,format=F32LE,rate=0/1,channels=1,modality=acc_3axis",
      "sensor/x-raw,format=S16LE,rate=100/1,channels=1", -1, &bus);
  gst_harness_push (h, make_sample (GST_SENSOR_FORMAT_F32LE, 0, 9.81));
  gst_harness_push (h, make_sample (GST_SENSOR_FORMAT_F32LE, 20 * MS, 9.81));
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  bufs = pull_all (h);
  fail_unless_equals_int (total_frames (bufs, 2), 3);
  for (i = 0; i < bufs->len; i++) {
    GstBuffer *b = g_ptr_array_index (bufs, i);

    for (n = 0; n < gst_buffer_get_size (b) / 2; n++)
      fail_unless_equals_int (
          (gint) sample_at (b, GST_SENSOR_FORMAT_S16LE, n), 2049);
  }
  g_ptr_array_unref (bufs);
  harness_with_bus_free (h, bus);

  /* through the resampler (100 -> 50 Hz): a constant stays 2049 +- 1 away
   * from the ends */
  h = harness_with_bus (
      "sensor/x-raw,format=F32LE,rate=100/1,channels=1,modality=acc_3axis",
      "sensor/x-raw,format=S16LE,rate=50/1,channels=1", -1, &bus);
  {
    GstBuffer *b = gst_buffer_new_allocate (NULL, 200 * 4, NULL);
    GstMapInfo map;
    guint k = 0;

    gst_buffer_map (b, &map, GST_MAP_WRITE);
    for (i = 0; i < 200; i++)
      GST_WRITE_FLOAT_LE (map.data + 4 * i, 9.81f);
    gst_buffer_unmap (b, &map);
    GST_BUFFER_PTS (b) = 0;
    gst_harness_push (h, b);
    fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
    bufs = pull_all (h);
    n = total_frames (bufs, 2);
    fail_unless_equals_int (n, 100);
    for (i = 0; i < bufs->len; i++) {
      GstBuffer *ob = g_ptr_array_index (bufs, i);
      guint j;

      for (j = 0; j < gst_buffer_get_size (ob) / 2; j++, k++) {
        if (k >= 30 && k < n - 30)
          fail_unless (abs ((gint) sample_at (ob, GST_SENSOR_FORMAT_S16LE, j) -
                           2049) <= 1,
              "sample %u: %d", k,
              (gint) sample_at (ob, GST_SENSOR_FORMAT_S16LE, j));
      }
    }
    g_ptr_array_unref (bufs);
  }
  harness_with_bus_free (h, bus);
}

GST_END_TEST;

/* An explicit full-scale wins over the modality's. */
GST_START_TEST (test_full_scale_explicit_overrides)
{
  GstHarness *h;
  GstBus *bus;

  h = harness_with_bus (
      "sensor/x-raw,format=F32LE,rate=50/1,channels=1,modality=acc_3axis",
      "sensor/x-raw,format=S16LE,rate=50/1,channels=1", 1.0, &bus);
  fail_unless_equals_int ((gint) convert_value (h, GST_SENSOR_FORMAT_F32LE,
                              GST_SENSOR_FORMAT_S16LE, 0.5),
      16384);
  fail_unless_equals_int ((gint) convert_value (h, GST_SENSOR_FORMAT_F32LE,
                              GST_SENSOR_FORMAT_S16LE, 9.81),
      32767);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "clipped"), 1);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL);
  harness_with_bus_free (h, bus);

  h = harness_with_bus (
      "sensor/x-raw,format=S16LE,rate=50/1,channels=1,modality=acc_3axis",
      "sensor/x-raw,format=F32LE,rate=50/1,channels=1", 2.0, &bus);
  fail_unless_equals_float (convert_value (h, GST_SENSOR_FORMAT_S16LE,
                                GST_SENSOR_FORMAT_F32LE, 32767),
      2.0);
  harness_with_bus_free (h, bus);
}

GST_END_TEST;

static void
check_full_scale_warning (GstBus *bus, const gchar *text)
{
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  GError *err = NULL;
  gchar *debug = NULL;

  fail_unless (msg != NULL, "no warning");
  gst_message_parse_warning (msg, &err, &debug);
  fail_unless (g_error_matches (err, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT),
      "%s", err->message);
  fail_unless_equals_string (err->message, text);
  fail_unless (debug != NULL && strstr (debug, "full-scale") != NULL, "%s",
      GST_STR_NULL (debug));
  g_error_free (err);
  g_free (debug);
  gst_message_unref (msg);
  /* once */
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL);
}

/* A modality without a full scale (not in the table, no modality, or another
 * unit than the table's) warns once and keeps the values as they are. PPG
 * values are counts: no scale and no warning. */
GST_START_TEST (test_full_scale_missing_warns_once)
{
  GstHarness *h;
  GstBus *bus;

  h = harness_with_bus (
      "sensor/x-raw,format=F32LE,rate=50/1,channels=1,modality=unheard_of",
      "sensor/x-raw,format=S16LE,rate=50/1,channels=1", -1, &bus);
  fail_unless_equals_int ((gint) convert_value (h, GST_SENSOR_FORMAT_F32LE,
                              GST_SENSOR_FORMAT_S16LE, 9.81),
      10);
  check_full_scale_warning (bus,
      "No full scale for modality \"unheard_of\": "
      "F32LE -> S16LE keeps the values as they are.");
  /* new caps, the other way: converted the same way, no second warning */
  gst_harness_set_caps_str (h,
      "sensor/x-raw,format=S16LE,rate=50/1,channels=1,modality=unheard_of",
      "sensor/x-raw,format=F32LE,rate=50/1,channels=1");
  fail_unless_equals_float (
      convert_value (h, GST_SENSOR_FORMAT_S16LE, GST_SENSOR_FORMAT_F32LE, 10),
      10.0);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL);
  harness_with_bus_free (h, bus);

  h = harness_with_bus ("sensor/x-raw,format=S16LE,rate=50/1,channels=1",
      "sensor/x-raw,format=F32LE,rate=50/1,channels=1", -1, &bus);
  fail_unless_equals_float (
      convert_value (h, GST_SENSOR_FORMAT_S16LE, GST_SENSOR_FORMAT_F32LE, 10),
      10.0);
  check_full_scale_warning (bus,
      "No full scale for a stream without modality: "
      "S16LE -> F32LE keeps the values as they are.");
  harness_with_bus_free (h, bus);

  h = harness_with_bus ("sensor/x-raw,format=F32LE,rate=50/"
                        "1,channels=1,modality=acc_3axis,unit=g",
      "sensor/x-raw,format=S16LE,rate=50/1,channels=1", -1, &bus);
  fail_unless_equals_int ((gint) convert_value (h, GST_SENSOR_FORMAT_F32LE,
                              GST_SENSOR_FORMAT_S16LE, 1.4),
      1);
  check_full_scale_warning (bus,
      "No full scale for modality \"acc_3axis\" in unit \"g\": "
      "F32LE -> S16LE keeps the values as they are.");
  harness_with_bus_free (h, bus);

  /* PPG: ADC counts stay counts */
  h = harness_with_bus (
      "sensor/x-raw,format=F32LE,rate=50/1,channels=1,modality=ppg_green",
      "sensor/x-raw,format=S16LE,rate=50/1,channels=1", -1, &bus);
  fail_unless_equals_int ((gint) convert_value (h, GST_SENSOR_FORMAT_F32LE,
                              GST_SENSOR_FORMAT_S16LE, 2047.6),
      2048);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL);
  harness_with_bus_free (h, bus);

  /* no float <-> integer step: nothing to warn about */
  h = harness_with_bus (
      "sensor/x-raw,format=F32LE,rate=50/1,channels=1,modality=unheard_of",
      "sensor/x-raw,format=F64LE,rate=50/1,channels=1", -1, &bus);
  fail_unless_equals_float (
      convert_value (h, GST_SENSOR_FORMAT_F32LE, GST_SENSOR_FORMAT_F64LE, 0.5),
      0.5);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL);
  harness_with_bus_free (h, bus);
}

GST_END_TEST;

/* S8 has no resampler format: it runs in F32 and comes back rounded. */
GST_START_TEST (test_s8_constant_through_resampler)
{
  GstHarness *h = harness_new ("sensor/x-raw,format=S8,rate=100/1,channels=1",
      "sensor/x-raw,format=S8,rate=60/1,channels=1");
  GstBuffer *b = gst_buffer_new_allocate (NULL, 300, NULL);
  GPtrArray *bufs;
  guint i, j, k = 0, n;

  gst_buffer_memset (b, 0, 42, 300);
  GST_BUFFER_PTS (b) = 0;
  gst_harness_push (h, b);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  bufs = pull_all (h);
  n = total_frames (bufs, 1);
  fail_unless_equals_int (n, 180);
  for (i = 0; i < bufs->len; i++) {
    GstBuffer *ob = g_ptr_array_index (bufs, i);

    for (j = 0; j < gst_buffer_get_size (ob); j++, k++) {
      /* away from both ends, where the filter sees the zero padding */
      if (k >= 20 && k < n - 20)
        fail_unless_equals_int (
            (gint) sample_at (ob, GST_SENSOR_FORMAT_S8, j), 42);
    }
  }
  g_ptr_array_unref (bufs);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ------------------------------------------------- latency + epoch meta */

GST_START_TEST (test_latency_and_epoch)
{
  GstHarness *h = harness_new ("sensor/x-raw,format=S16LE,rate=52/1,channels=3",
      "sensor/x-raw,format=S16LE,rate=50/1,channels=3");
  GstStructure *opts = gst_structure_new_empty ("o");
  GstAudioResampler *rs;
  GstClockTime expect, e;
  const GstClockTime epoch = 1800000000 * GST_SECOND;
  GPtrArray *bufs;
  guint i;

  /* the same filter the element builds: 26 -> 25 at quality 4 */
  gst_audio_resampler_options_set_quality (
      GST_AUDIO_RESAMPLER_METHOD_KAISER, 4, 26, 25, opts);
  rs = gst_audio_resampler_new (GST_AUDIO_RESAMPLER_METHOD_KAISER, 0,
      GST_AUDIO_FORMAT_S16LE, 3, 26, 25, opts);
  expect = gst_util_uint64_scale (
      gst_audio_resampler_get_max_latency (rs), GST_SECOND, 52);
  gst_audio_resampler_free (rs);
  gst_structure_free (opts);
  fail_unless (expect > 0);

  gst_harness_set_upstream_latency (h, 10 * MS);
  for (i = 0; i < 3; i++) {
    GstBuffer *b = make_buffer (
        GST_SENSOR_FORMAT_S16LE, 3, 52, 2 * GST_SECOND + i * GST_SECOND, 0);

    gst_buffer_add_sensor_epoch (b, epoch + i * GST_SECOND);
    gst_harness_push (h, b);
  }
  fail_unless_equals_uint64 (gst_harness_query_latency (h), 10 * MS + expect);

  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  bufs = pull_all (h);
  for (i = 0; i < bufs->len; i++) {
    GstBuffer *b = g_ptr_array_index (bufs, i);

    fail_unless (gst_buffer_get_sensor_epoch (b, &e));
    fail_unless_equals_uint64 (e,
        epoch + gst_util_uint64_scale (GST_BUFFER_OFFSET (b), GST_SECOND, 50));
  }
  g_ptr_array_unref (bufs);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ------------------------------------------------------------ accuracy */

GST_START_TEST (test_sine_accuracy_128_to_100)
{
  GstHarness *h =
      harness_new ("sensor/x-raw,format=F64LE,rate=128/1,channels=1",
          "sensor/x-raw,format=F64LE,rate=100/1,channels=1");
  GPtrArray *bufs;
  gdouble max_err = 0;
  guint i, j, k = 0, n_total;
  const guint seconds = 10;
  /* The filter starts from a history of zeros and is drained with zeros,
   * so the head and last outputs within its reach (40 input samples at
   * quality 4, about 32 output samples) see a step, not the sine. Skip
   * one second at each end explicitly. */
  const guint skip = 100;

  for (i = 0; i < seconds; i++) {
    GstBuffer *b = gst_buffer_new_allocate (NULL, 128 * 8, NULL);
    GstMapInfo map;

    gst_buffer_map (b, &map, GST_MAP_WRITE);
    for (j = 0; j < 128; j++)
      GST_WRITE_DOUBLE_LE (
          map.data + 8 * j, sin (2 * G_PI * (i * 128 + j) / 128.0));
    gst_buffer_unmap (b, &map);
    GST_BUFFER_PTS (b) = i * GST_SECOND;
    gst_harness_push (h, b);
  }
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  bufs = pull_all (h);
  n_total = total_frames (bufs, 8);
  fail_unless_equals_int (n_total, seconds * 100);
  for (i = 0; i < bufs->len; i++) {
    GstBuffer *b = g_ptr_array_index (bufs, i);

    for (j = 0; j < gst_buffer_get_size (b) / 8; j++, k++) {
      /* the ideal value at this output sample's own timestamp */
      gdouble t = (gdouble) (GST_BUFFER_PTS (b) +
                      gst_util_uint64_scale (j, GST_SECOND, 100)) /
          GST_SECOND;
      gdouble err =
          fabs (sample_at (b, GST_SENSOR_FORMAT_F64LE, j) - sin (2 * G_PI * t));

      if (k >= skip && k < n_total - skip)
        max_err = MAX (max_err, err);
    }
  }
  GST_INFO ("max error %g of full scale", max_err);
  fail_unless (max_err < 0.01, "max error %g", max_err);
  g_ptr_array_unref (bufs);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
sensorresample_suite (void)
{
  Suite *s = suite_create ("sensorresample");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_52_to_50_s16_3ch);
  tcase_add_test (tc, test_128_to_100);
  tcase_add_test (tc, test_25_to_100);
  tcase_add_test (tc, test_fractional_rate);
  tcase_add_test (tc, test_passthrough);
  tcase_add_test (tc, test_irregular_linear);
  tcase_add_test (tc, test_irregular_hold);
  tcase_add_test (tc, test_irregular_epoch_and_scale);
  tcase_add_test (tc, test_irregular_non_monotonic);
  tcase_add_test (tc, test_irregular_huge_gap);
  tcase_add_test (tc, test_irregular_default_rate);
  tcase_add_test (tc, test_downstream_decides);
  tcase_add_test (tc, test_pipeline_launch);
  tcase_add_test (tc, test_bad_caps);
  tcase_add_test (tc, test_bad_size);
  tcase_add_test (tc, test_discont);
  tcase_add_test (tc, test_flush);
  tcase_add_test (tc, test_gap);
  tcase_add_test (tc, test_eos_drain_counts);
  tcase_add_test (tc, test_clipping);
  tcase_add_test (tc, test_modality_full_scale);
  tcase_add_test (tc, test_full_scale_explicit_overrides);
  tcase_add_test (tc, test_full_scale_missing_warns_once);
  tcase_add_test (tc, test_s8_constant_through_resampler);
  tcase_add_test (tc, test_latency_and_epoch);
  tcase_add_test (tc, test_sine_accuracy_128_to_100);
  return s;
}

GST_CHECK_MAIN (sensorresample);
