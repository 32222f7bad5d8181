/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * sensortestsrc: sample-counter timestamps, caps defaults and overrides,
 * live pacing on the test clock, epoch meta shared across sources,
 * waveforms, buffers recycled from a pool with their epoch meta.
 */
#include <math.h>
#include <string.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/sensor/sensor.h>

#include "../sensor-test-pipeline.h"

static GstHarness *
make_harness (const gchar *props, const gchar *sink_caps)
{
  gchar *desc = g_strdup_printf ("sensortestsrc %s", props);
  GstHarness *h = gst_harness_new_parse (desc);

  g_free (desc);
  if (sink_caps)
    gst_harness_set_sink_caps_str (h, sink_caps);
  return h;
}

GST_START_TEST (test_counter_timestamp_table)
{
  GstHarness *h = make_harness ("is-live=false waveform=counter "
                                "samples-per-buffer=10",
      "sensor/x-raw, format=S16LE, rate=128/1, "
      "channels=1");
  guint i, k;

  gst_harness_play (h);
  for (i = 0; i < 200; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    GstMapInfo map;
    guint64 start_sample = i * 10;

    /* PTS from the sample counter, never from summed durations */
    fail_unless_equals_uint64 (GST_BUFFER_PTS (buf),
        gst_util_uint64_scale (start_sample, GST_SECOND, 128));
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (buf),
        gst_util_uint64_scale (start_sample + 10, GST_SECOND, 128) -
            gst_util_uint64_scale (start_sample, GST_SECOND, 128));
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (buf), start_sample);
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET_END (buf), start_sample + 10);
    fail_unless_equals_int (
        GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DISCONT), i == 0);
    fail_unless (gst_buffer_get_sensor_epoch (buf, NULL));
    fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
    fail_unless_equals_int (map.size, 20);
    for (k = 0; k < 10; k++)
      fail_unless_equals_int (
          ((gint16 *) map.data)[k], (gint16) (start_sample + k));
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_counter_wraps_like_hardware)
{
  GstHarness *h = make_harness ("is-live=false waveform=counter "
                                "samples-per-buffer=200",
      "sensor/x-raw, format=S8, rate=100/1, "
      "channels=2");
  GstBuffer *buf;
  GstMapInfo map;

  gst_harness_play (h);
  buf = gst_harness_pull (h);
  gst_buffer_map (buf, &map, GST_MAP_READ);
  fail_unless_equals_int (map.size, 400);
  fail_unless_equals_int (((gint8 *) map.data)[2 * 127], 127);
  fail_unless_equals_int (((gint8 *) map.data)[2 * 127 + 1], 127);
  fail_unless_equals_int (((gint8 *) map.data)[2 * 128], -128);
  fail_unless_equals_int (((gint8 *) map.data)[2 * 199], 199 - 256);
  gst_buffer_unmap (buf, &map);
  gst_buffer_unref (buf);
  gst_harness_teardown (h);
}

GST_END_TEST;

static GstCaps *
negotiated_caps (const gchar *props, const gchar *sink_caps)
{
  GstHarness *h = make_harness (props, sink_caps);
  GstBuffer *buf;
  GstCaps *caps;

  gst_harness_play (h);
  buf = gst_harness_pull (h);
  gst_buffer_unref (buf);
  caps = gst_pad_get_current_caps (h->sinkpad);
  gst_harness_teardown (h);
  return caps;
}

GST_START_TEST (test_modality_defaults_and_overrides)
{
  GstCaps *caps, *expected;

  caps = negotiated_caps ("is-live=false modality=acc_3axis", NULL);
  expected =
      gst_caps_from_string ("sensor/x-raw, format=S16LE, rate=50/1, "
                            "channels=3, modality=acc_3axis, unit=\"m/s^2\"");
  fail_unless (gst_caps_is_equal (caps, expected), "%" GST_PTR_FORMAT, caps);
  gst_caps_unref (caps);
  gst_caps_unref (expected);

  caps = negotiated_caps ("is-live=false modality=ppg_green rate=128", NULL);
  expected = gst_caps_from_string ("sensor/x-raw, format=S16LE, rate=128/1, "
                                   "channels=1, modality=ppg_green, unit=adc");
  fail_unless (gst_caps_is_equal (caps, expected), "%" GST_PTR_FORMAT, caps);
  gst_caps_unref (caps);
  gst_caps_unref (expected);

  /* an explicit rate wins over a downstream that lists another rate first
   * but takes it too */
  caps = negotiated_caps ("is-live=false modality=ppg_green rate=128",
      "sensor/x-raw, rate=100/1; sensor/x-raw, rate=[1/1, 1000/1]");
  expected = gst_caps_from_string ("sensor/x-raw, format=S16LE, rate=128/1, "
                                   "channels=1, modality=ppg_green, unit=adc");
  fail_unless (gst_caps_is_equal (caps, expected), "%" GST_PTR_FORMAT, caps);
  gst_caps_unref (caps);
  gst_caps_unref (expected);

  /* downstream caps win over the modality's and the property's defaults */
  caps = negotiated_caps ("is-live=false modality=ppg_green rate=128",
      "sensor/x-raw, format=F32LE, rate=25/1, channels=2");
  expected = gst_caps_from_string ("sensor/x-raw, format=F32LE, rate=25/1, "
                                   "channels=2, modality=ppg_green, unit=adc");
  fail_unless (gst_caps_is_equal (caps, expected), "%" GST_PTR_FORMAT, caps);
  gst_caps_unref (caps);
  gst_caps_unref (expected);
}

GST_END_TEST;

GST_START_TEST (test_bad_caps_not_negotiated)
{
  const gchar *bad[] = {
    "sensor/x-raw, format=S16BE, rate=100/1, channels=1",
    "sensor/x-raw, format=S16LE, rate=0/1, channels=1",
    "sensor/x-raw, format=S16LE, rate=100/1, channels=0",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    GstHarness *h = make_harness ("is-live=false", bad[i]);
    GstElement *src = gst_harness_find_element (h, "sensortestsrc");
    GstMessage *msg;
    GstBus *bus = gst_bus_new ();

    gst_element_set_bus (src, bus);
    gst_harness_play (h);
    msg = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_ERROR);
    fail_unless (msg != NULL, "no error for %s", bad[i]);
    {
      GError *err = NULL;
      const GstStructure *details = NULL;
      gint flow = 0;

      gst_message_parse_error (msg, &err, NULL);
      gst_message_parse_error_details (msg, &details);
      fail_unless (err->domain == GST_STREAM_ERROR, "%s", err->message);
      fail_unless (details != NULL);
      fail_unless (gst_structure_get_int (details, "flow-return", &flow));
      fail_unless_equals_int (flow, GST_FLOW_NOT_NEGOTIATED);
      g_error_free (err);
    }
    gst_message_unref (msg);
    gst_element_set_bus (src, NULL);
    gst_object_unref (bus);
    gst_object_unref (src);
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

GST_START_TEST (test_live_paced_by_test_clock)
{
  GstHarness *h = make_harness ("is-live=true waveform=counter "
                                "samples-per-buffer=10",
      "sensor/x-raw, format=S16LE, rate=100/1, "
      "channels=1");
  GstTestClock *clock;
  GstQuery *q;
  gboolean live;
  GstClockTime min, max;
  guint i;

  gst_harness_use_testclock (h);
  clock = gst_harness_get_testclock (h);
  gst_harness_play (h);

  for (i = 0; i < 5; i++) {
    GstClockID id;
    GstBuffer *buf;

    /* the source waits for the end of its buffer: 100 ms per buffer */
    gst_test_clock_wait_for_next_pending_id (clock, &id);
    fail_unless_equals_uint64 (
        gst_clock_id_get_time (id), (i + 1) * 100 * GST_MSECOND);
    gst_clock_id_unref (id);
    fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
    fail_unless (gst_harness_crank_single_clock_wait (h));
    buf = gst_harness_pull (h);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), i * 100 * GST_MSECOND);
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (buf), i * 10);
    gst_buffer_unref (buf);
  }

  q = gst_query_new_latency ();
  fail_unless (gst_pad_peer_query (h->sinkpad, q));
  gst_query_parse_latency (q, &live, &min, &max);
  fail_unless (live);
  fail_unless_equals_uint64 (min, 100 * GST_MSECOND);
  fail_unless_equals_uint64 (max, 100 * GST_MSECOND);
  gst_query_unref (q);

  gst_object_unref (clock);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Every buffer's epoch is the pipeline anchor's epoch of its running time,
 * also after a new base time (as after a pause) moves a live anchor: the
 * source reads the anchor once and again only when the base time changes. */
GST_START_TEST (test_epoch_follows_live_anchor)
{
  GstHarness *h = make_harness ("name=src is-live=true waveform=counter "
                                "samples-per-buffer=10",
      "sensor/x-raw, format=S16LE, rate=100/1, "
      "channels=1");
  GstElement *src = gst_bin_get_by_name (GST_BIN (h->element), "src");
  GstTestClock *clock;
  GstClockTime zero = GST_CLOCK_TIME_NONE, new_zero;
  guint i;

  gst_harness_use_testclock (h);
  clock = gst_harness_get_testclock (h);
  gst_harness_play (h);

  for (i = 0; i < 8; i++) {
    GstClockID id;
    GstBuffer *buf;
    GstClockTime epoch, pts;

    gst_test_clock_wait_for_next_pending_id (clock, &id);
    gst_clock_id_unref (id);
    if (i == 4) {
      /* buffer 4 is made; buffer 5 is made after this, 2.4 s of running
       * time later than the clock says, so the anchor moves back 2.4 s */
      gst_test_clock_set_time (clock, 3400 * GST_MSECOND);
      gst_element_set_base_time (src, GST_SECOND);
    }
    fail_unless (gst_harness_crank_single_clock_wait (h));
    buf = gst_harness_pull (h);
    pts = GST_BUFFER_PTS (buf);
    fail_unless_equals_uint64 (pts, i * 100 * GST_MSECOND);
    fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch));
    gst_buffer_unref (buf);
    if (i == 0)
      zero = epoch - pts;
    if (i <= 4) {
      fail_unless_equals_uint64 (epoch - pts, zero);
    } else {
      new_zero = gst_sensor_epoch_for_running_time (src, pts, TRUE) - pts;
      fail_unless_equals_uint64 (epoch - pts, new_zero);
      fail_unless (zero - new_zero > 2300 * GST_MSECOND &&
              zero - new_zero < 2500 * GST_MSECOND,
          "anchor moved by %" GST_STIME_FORMAT,
          GST_STIME_ARGS ((GstClockTimeDiff) (new_zero - zero)));
    }
  }

  gst_object_unref (clock);
  gst_object_unref (src);
  gst_harness_teardown (h);
}

GST_END_TEST;

static GstClockTime
epoch_at_running_time (GstElement *appsink, GstClockTime rt)
{
  for (;;) {
    GstSample *s = NULL;
    GstBuffer *buf;
    GstClockTime epoch = GST_CLOCK_TIME_NONE;

    g_signal_emit_by_name (appsink, "pull-sample", &s);
    fail_unless (s != NULL);
    buf = gst_sample_get_buffer (s);
    if (GST_BUFFER_PTS (buf) == rt) {
      fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch));
      gst_sample_unref (s);
      return epoch;
    }
    fail_unless (GST_BUFFER_PTS (buf) < rt);
    gst_sample_unref (s);
  }
}

GST_START_TEST (test_sources_share_epoch)
{
  GstElement *pipeline;
  GstElement *ppg_sink, *acc_sink;
  GstClockTime ppg_epoch, acc_epoch;
  GError *err = NULL;

  pipeline = gst_parse_launch (
      "sensortestsrc is-live=false modality=ppg_green "
      "num-buffers=30 ! appsink name=ppg sync=false "
      "sensortestsrc is-live=false modality=acc_3axis num-buffers=30 ! "
      "appsink name=acc sync=false",
      &err);
  fail_unless (pipeline != NULL, "%s", err ? err->message : "");
  ppg_sink = gst_bin_get_by_name (GST_BIN (pipeline), "ppg");
  acc_sink = gst_bin_get_by_name (GST_BIN (pipeline), "acc");
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PLAYING),
      GST_STATE_CHANGE_ASYNC);

  /* both produce a buffer starting at running time 1 s */
  ppg_epoch = epoch_at_running_time (ppg_sink, GST_SECOND);
  acc_epoch = epoch_at_running_time (acc_sink, GST_SECOND);
  fail_unless_equals_uint64 (ppg_epoch, acc_epoch);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (ppg_sink);
  gst_object_unref (acc_sink);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static GBytes *
pull_all (const gchar *props, const gchar *caps, guint n_buffers)
{
  GstHarness *h = make_harness (props, caps);
  GByteArray *all = g_byte_array_new ();
  guint i;

  gst_harness_play (h);
  for (i = 0; i < n_buffers; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    GstMapInfo map;

    gst_buffer_map (buf, &map, GST_MAP_READ);
    g_byte_array_append (all, map.data, map.size);
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
  }
  gst_harness_teardown (h);
  return g_byte_array_free_to_bytes (all);
}

GST_START_TEST (test_noise_is_reproducible)
{
  const gchar *caps = "sensor/x-raw, format=F32LE, rate=100/1, channels=3";
  GBytes *a = pull_all ("is-live=false waveform=noise seed=7", caps, 5);
  GBytes *b = pull_all ("is-live=false waveform=noise seed=7", caps, 5);
  GBytes *c = pull_all ("is-live=false waveform=noise seed=8", caps, 5);
  const gfloat *f;
  gsize size, i;

  fail_unless (g_bytes_equal (a, b));
  fail_if (g_bytes_equal (a, c));
  f = g_bytes_get_data (a, &size);
  for (i = 0; i < size / 4; i++)
    fail_unless (f[i] >= -1.0f && f[i] <= 1.0f);
  g_bytes_unref (a);
  g_bytes_unref (b);
  g_bytes_unref (c);
}

GST_END_TEST;

GST_START_TEST (test_ppg_pulse_rate)
{
  /* 90 bpm for 20 s at 100 Hz: 30 systolic peaks, each with a dicrotic
   * notch (a local minimum) before the diastolic wave */
  GBytes *data = pull_all ("is-live=false modality=ppg_green heart-rate=90 "
                           "samples-per-buffer=100",
      "sensor/x-raw, format=F32LE, rate=100/1, "
      "channels=1",
      20);
  const gfloat *f;
  gsize size, n, i;
  guint peaks = 0, notches = 0;
  gfloat max = -G_MAXFLOAT, min = G_MAXFLOAT;

  f = g_bytes_get_data (data, &size);
  n = size / 4;
  for (i = 0; i < n; i++) {
    max = MAX (max, f[i]);
    min = MIN (min, f[i]);
  }
  fail_unless (max > 2048 + 450 && max <= 2048 + 520, "max %f", max);
  fail_unless (min >= 2048 && min < 2048 + 20, "min %f", min);
  for (i = 1; i + 1 < n; i++) {
    if (f[i] > f[i - 1] && f[i] >= f[i + 1]) {
      if (f[i] > 2048 + 400)
        peaks++;
    }
    if (f[i] < f[i - 1] && f[i] <= f[i + 1] && f[i] > 2048 + 20)
      notches++;
  }
  fail_unless_equals_int (peaks, 30);
  fail_unless (notches >= 29, "%u notches", notches);
  g_bytes_unref (data);
}

GST_END_TEST;

GST_START_TEST (test_accel_gravity_and_full_scale)
{
  GBytes *data =
      pull_all ("is-live=false modality=acc_3axis motion=0", NULL, 1);
  const gint16 *s;
  gsize size;

  /* 16 g full scale: 1 g is 32767 / 16 = 2048 codes */
  s = g_bytes_get_data (data, &size);
  fail_unless_equals_int (size, 5 * 3 * 2);
  fail_unless_equals_int (s[0], 0);
  fail_unless_equals_int (s[1], 0);
  fail_unless_equals_int (s[2], 2048);
  g_bytes_unref (data);

  data = pull_all ("is-live=false modality=acc_3axis motion=0",
      "sensor/x-raw, format=F32LE", 1);
  {
    const gfloat *f = g_bytes_get_data (data, &size);

    fail_unless (fabs (f[2] - 9.80665) < 1e-5);
  }
  g_bytes_unref (data);
}

GST_END_TEST;

/* Integer codes use the modality table's full scale, the one sensorresample
 * converts back with: 72.4 bpm survives S16LE (300 bpm full scale). */
GST_START_TEST (test_full_scale_from_table)
{
  GBytes *data = pull_all (
      "is-live=false modality=heart_rate waveform=constant offset=72.4",
      "sensor/x-raw, format=S16LE", 1);
  const gint16 *s;
  GstElement *pipeline, *sink;
  GstSample *sample;
  GstMapInfo map;
  gsize size;

  /* round (72.4 / 300 * 32767) */
  s = g_bytes_get_data (data, &size);
  fail_unless_equals_int (s[0], 7908);
  g_bytes_unref (data);

  pipeline = gst_parse_launch (
      "sensortestsrc is-live=false modality=heart_rate waveform=constant "
      "offset=72.4 "
      "num-buffers=1 ! sensor/x-raw,format=S16LE ! sensorresample ! "
      "sensor/x-raw,format=F32LE ! appsink name=sink sync=false",
      NULL);
  fail_unless (pipeline != NULL);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  g_signal_emit_by_name (sink, "pull-sample", &sample);
  fail_unless (sample != NULL);
  gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ);
  fail_unless (fabs (GST_READ_FLOAT_LE (map.data) - 72.4) <= 300.0 / 32767,
      "got %f", GST_READ_FLOAT_LE (map.data));
  gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
  gst_sample_unref (sample);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Returns the warnings @pipeline posted until its EOS, in order. */
static GList *
run_collecting_warnings (GstElement *pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GList *warnings = NULL;
  GstMessage *msg;

  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  while ((msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND,
              GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING))) {
    GstMessageType type = GST_MESSAGE_TYPE (msg);

    fail_if (type == GST_MESSAGE_ERROR);
    if (type == GST_MESSAGE_WARNING) {
      warnings = g_list_append (warnings, msg);
      continue;
    }
    gst_message_unref (msg);
    break;
  }
  fail_unless (msg != NULL, "no EOS");
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return warnings;
}

/* A modality not in the table works (100 Hz, one channel, S16LE, no unit)
 * but says so once, naming the ones that are; known names are quiet, and
 * gst-inspect lists them in the property blurb. */
GST_START_TEST (test_unknown_modality_warns)
{
  GstElement *pipeline;
  GList *warnings;
  GError *err = NULL;
  gchar *debug = NULL;
  const GstSensorModality *all;
  GParamSpec *pspec;
  GstElement *src;
  guint i, n;

  pipeline =
      gst_parse_launch ("sensortestsrc is-live=false modality=ecg_lead_ii "
                        "num-buffers=3 ! fakesink sync=false",
          NULL);
  fail_unless (pipeline != NULL);
  warnings = run_collecting_warnings (pipeline);
  fail_unless_equals_int (g_list_length (warnings), 1);
  gst_message_parse_warning (warnings->data, &err, &debug);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS),
      "%s", err->message);
  fail_unless_equals_string (err->message,
      "Unknown modality \"ecg_lead_ii\"; the modality table has ppg_green, "
      "ppg_red, ppg_ir, acc_3axis, gyro_3axis, pressure, fsr, heart_rate, "
      "spo2, battery_level, temperature.");
  fail_unless (debug != NULL && strstr (debug, "100 Hz") != NULL, "%s",
      GST_STR_NULL (debug));
  g_error_free (err);
  g_free (debug);
  g_list_free_full (warnings, (GDestroyNotify) gst_message_unref);
  /* once per run, again on the next */
  warnings = run_collecting_warnings (pipeline);
  fail_unless_equals_int (g_list_length (warnings), 1);
  g_list_free_full (warnings, (GDestroyNotify) gst_message_unref);
  gst_object_unref (pipeline);

  pipeline = gst_parse_launch ("sensortestsrc is-live=false modality=spo2 "
                               "num-buffers=3 ! fakesink sync=false",
      NULL);
  warnings = run_collecting_warnings (pipeline);
  fail_unless (warnings == NULL);
  gst_object_unref (pipeline);

  src = gst_element_factory_make ("sensortestsrc", NULL);
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (src), "modality");
  all = gst_sensor_modality_get_all (&n);
  for (i = 0; i < n; i++)
    fail_unless (strstr (g_param_spec_get_blurb (pspec), all[i].name) != NULL,
        "%s not in \"%s\"", all[i].name, g_param_spec_get_blurb (pspec));
  gst_object_unref (src);
}

GST_END_TEST;

/* An EOS event sent to the pipeline ends a live and a non-live source
 * promptly. */
static void
check_eos_when_asked (const gchar *desc)
{
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstBus *bus;
  GstMessage *msg;

  fail_unless (pipeline != NULL);
  bus = gst_element_get_bus (pipeline);
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  /* let it run a moment; a live sink may still wait for its first buffer
   * (a minute at one sample a minute), the source runs */
  fail_if (gst_element_get_state (pipeline, NULL, NULL, 200 * GST_MSECOND) ==
      GST_STATE_CHANGE_FAILURE);
  fail_unless (gst_element_send_event (pipeline, gst_event_new_eos ()));
  msg = gst_bus_timed_pop_filtered (
      bus, GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no EOS within 1 s: %s", desc);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_EOS);
  gst_message_unref (msg);
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

GST_START_TEST (test_eos_when_asked)
{
  check_eos_when_asked ("sensortestsrc is-live=true ! fakesink");
  /* one sample a minute: the source's own clock wait is interrupted */
  check_eos_when_asked (
      "sensortestsrc is-live=true modality=battery_level ! fakesink");
  check_eos_when_asked ("sensortestsrc is-live=false ! fakesink sync=false");
  check_eos_when_asked ("sensortestsrc is-live=false ! fakesink sync=true");
}

GST_END_TEST;

/* Integer ppg output is made incrementally; it must match the exact
 * per-sample formula (taken in F64) rounded and saturated like
 * gst_sensor_sample_write(), sample for sample. A difference of one code
 * is only allowed where the exact value sits on a rounding tie. */
static void
check_ppg_int_matches_exact (const gchar *props, const gchar *int_format,
    guint width, gint64 min, gint64 max, guint channels, guint n_buffers)
{
  gchar *int_caps = g_strdup_printf (
      "sensor/x-raw, format=%s, rate=100/1, channels=%u", int_format, channels);
  gchar *f64_caps = g_strdup_printf (
      "sensor/x-raw, format=F64LE, rate=100/1, channels=%u", channels);
  GBytes *ints = pull_all (props, int_caps, n_buffers);
  GBytes *exact = pull_all (props, f64_caps, n_buffers);
  const guint8 *p;
  const gdouble *d;
  gsize isize, dsize, i;

  p = g_bytes_get_data (ints, &isize);
  d = g_bytes_get_data (exact, &dsize);
  fail_unless_equals_int (isize / width, dsize / 8);
  fail_unless (dsize / 8 >= 1000);
  for (i = 0; i < dsize / 8; i++) {
    gdouble want = CLAMP (round (d[i]), (gdouble) min, (gdouble) max);
    gint64 got;

    switch (width) {
      case 1:
        got = min < 0 ? (gint8) p[i] : p[i];
        break;
      case 2:
        got = min < 0 ? (gint16) GST_READ_UINT16_LE (p + 2 * i) :
                        GST_READ_UINT16_LE (p + 2 * i);
        break;
      default:
        got = (gint32) GST_READ_UINT32_LE (p + 4 * i);
        break;
    }
    if (got != (gint64) want)
      fail_unless (fabs (got - want) == 1 &&
              fabs (fabs (d[i] - floor (d[i])) - 0.5) < 1e-6,
          "%s %s sample %" G_GSIZE_FORMAT ": got %" G_GINT64_FORMAT
          ", exact %.9f",
          props, int_format, i, got, d[i]);
  }
  g_bytes_unref (ints);
  g_bytes_unref (exact);
  g_free (int_caps);
  g_free (f64_caps);
}

GST_START_TEST (test_ppg_int_matches_exact)
{
  /* defaults, 1 s and 100 ms buffers; 10 min of 72 bpm */
  check_ppg_int_matches_exact ("is-live=false modality=ppg_green "
                               "samples-per-buffer=100",
      "S16LE", 2, G_MININT16, G_MAXINT16, 1, 600);
  check_ppg_int_matches_exact ("is-live=false modality=ppg_green", "S16LE", 2,
      G_MININT16, G_MAXINT16, 1, 300);
  /* an odd rate of beats, two channels, seeded noise */
  check_ppg_int_matches_exact ("is-live=false modality=ppg_green "
                               "heart-rate=97.3 noise-level=30 seed=5 "
                               "samples-per-buffer=37",
      "S16LE", 2, G_MININT16, G_MAXINT16, 2, 100);
  /* long beats (300 samples), 32 bits */
  check_ppg_int_matches_exact ("is-live=false modality=ppg_green "
                               "heart-rate=20 ppg-amplitude=9e5 "
                               "ppg-baseline=-3e5",
      "S32LE", 4, G_MININT32, G_MAXINT32, 1, 100);
  /* large amplitude in 32 bits (the per-sample formula); saturation in 8
   * bits (unsigned and signed) */
  check_ppg_int_matches_exact ("is-live=false modality=ppg_green "
                               "heart-rate=180 ppg-amplitude=1e8 "
                               "ppg-baseline=-5e7",
      "S32LE", 4, G_MININT32, G_MAXINT32, 1, 100);
  check_ppg_int_matches_exact ("is-live=false modality=ppg_green "
                               "ppg-amplitude=300 ppg-baseline=-20",
      "U8", 1, 0, G_MAXUINT8, 1, 100);
  check_ppg_int_matches_exact ("is-live=false modality=ppg_green "
                               "ppg-amplitude=300 ppg-baseline=-20 "
                               "heart-rate=250",
      "S8", 1, G_MININT8, G_MAXINT8, 1, 100);

  /* the same samples whatever the buffer size */
  {
    const gchar *caps = "sensor/x-raw, format=S16LE, rate=100/1, channels=1";
    GBytes *a = pull_all ("is-live=false samples-per-buffer=10", caps, 300);
    GBytes *b = pull_all ("is-live=false samples-per-buffer=100", caps, 30);
    GBytes *c = pull_all ("is-live=false samples-per-buffer=37", caps, 82);
    GBytes *c3000 = g_bytes_new_from_bytes (c, 0, 3000 * 2);

    fail_unless (g_bytes_equal (a, b));
    fail_unless (g_bytes_equal (a, c3000));
    g_bytes_unref (a);
    g_bytes_unref (b);
    g_bytes_unref (c);
    g_bytes_unref (c3000);
  }
}

GST_END_TEST;

/* What a synchronous sink saw of each buffer, in order. Checked on the
 * main thread: a failed check in a streaming thread would hang the test. */
typedef struct
{
  guint n;
  GstClockTime first_epoch;
  GHashTable *seen; /* distinct GstBuffer addresses */
  GstBufferPool *offered;
  guint from_own_pool;
  gchar *first_error;
} HandoffLog;

static guint
count_epoch_metas (GstBuffer *buf)
{
  gpointer state = NULL;
  GstMeta *meta;
  guint n = 0;

  while ((meta = gst_buffer_iterate_meta_filtered (
              buf, &state, GST_REFERENCE_TIMESTAMP_META_API_TYPE)))
    n++;
  return n;
}

static const gchar *
check_buffer (HandoffLog *log, GstBuffer *buf)
{
  gpointer state = NULL;
  GstReferenceTimestampMeta *meta;
  GstClockTime epoch = GST_CLOCK_TIME_NONE;

  /* one epoch meta, whatever the buffer carried in an earlier use */
  if (count_epoch_metas (buf) != 1 ||
      !gst_buffer_get_sensor_epoch (buf, &epoch))
    return "not exactly one epoch meta";
  if (log->n == 0)
    log->first_epoch = epoch;
  /* non-live: the epoch advances exactly with the PTS */
  if (epoch - log->first_epoch != GST_BUFFER_PTS (buf))
    return "epoch does not follow the PTS";
  if (GST_BUFFER_PTS (buf) !=
      gst_util_uint64_scale (log->n * 10, GST_SECOND, 100))
    return "wrong PTS";
  if (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DISCONT) != (log->n == 0))
    return "DISCONT not on the first buffer only";
  if (gst_buffer_get_size (buf) != 20)
    return "wrong size";
  if (buf->pool == NULL)
    return "not from a pool";
  meta = (GstReferenceTimestampMeta *) gst_buffer_iterate_meta_filtered (
      buf, &state, GST_REFERENCE_TIMESTAMP_META_API_TYPE);
  if (log->offered) {
    /* a pool that is not ours must not keep our meta between uses */
    if (buf->pool != log->offered)
      return "not from the offered pool";
    if (GST_META_FLAG_IS_SET (meta, GST_META_FLAG_POOLED))
      return "epoch meta pooled in a pool that is not ours";
  } else if (GST_META_FLAG_IS_SET (meta, GST_META_FLAG_POOLED)) {
    log->from_own_pool++;
  }
  return NULL;
}

static void
on_handoff (GstElement *sink, GstBuffer *buf, GstPad *pad, HandoffLog *log)
{
  const gchar *error = check_buffer (log, buf);

  if (error && !log->first_error)
    log->first_error = g_strdup_printf ("buffer %u: %s", log->n, error);
  g_hash_table_add (log->seen, buf);
  log->n++;
}

static GstPadProbeReturn
offer_pool (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GstQuery *query = GST_PAD_PROBE_INFO_QUERY (info);

  if (GST_QUERY_TYPE (query) != GST_QUERY_ALLOCATION)
    return GST_PAD_PROBE_OK;
  /* larger buffers than the source needs, and few of them */
  gst_query_add_allocation_pool (query, user_data, 4096, 2, 0);
  return GST_PAD_PROBE_HANDLED;
}

static void
run_handoff_pipeline (HandoffLog *log)
{
  GstElement *pipeline, *sink;
  GError *err = NULL;

  pipeline = gst_parse_launch (
      "sensortestsrc is-live=false waveform=counter samples-per-buffer=10 "
      "num-buffers=200 ! sensor/x-raw, format=S16LE, rate=100/1, "
      "channels=1 ! fakesink name=sink sync=false signal-handoffs=true",
      &err);
  fail_unless (pipeline != NULL, "%s", err ? err->message : "");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), log);
  if (log->offered) {
    GstPad *pad = gst_element_get_static_pad (sink, "sink");

    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM, offer_pool,
        log->offered, NULL);
    gst_object_unref (pad);
  }
  sensor_test_play_to_eos (pipeline, 10 * GST_SECOND);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  fail_unless (log->first_error == NULL, "%s", log->first_error);
  fail_unless_equals_int (log->n, 200);
}

GST_START_TEST (test_own_pool_recycles_buffers)
{
  HandoffLog log = { 0 };

  log.seen = g_hash_table_new (NULL, NULL);
  run_handoff_pipeline (&log);
  /* each buffer came back to the pool before the next was made */
  fail_unless (g_hash_table_size (log.seen) <= 4, "%u distinct buffers",
      g_hash_table_size (log.seen));
  /* and its epoch meta stayed on it, updated in place */
  fail_unless_equals_int (log.from_own_pool, 200);
  g_hash_table_unref (log.seen);
}

GST_END_TEST;

GST_START_TEST (test_downstream_pool_used)
{
  HandoffLog log = { 0 };

  log.seen = g_hash_table_new (NULL, NULL);
  log.offered = gst_buffer_pool_new ();
  run_handoff_pipeline (&log);
  fail_unless (g_hash_table_size (log.seen) <= 4);
  g_hash_table_unref (log.seen);
  gst_object_unref (log.offered);
}

GST_END_TEST;

/* A flushing seek sets the pool flushing and back; the first buffer after
 * it starts at the seek position from the sample counter, marked DISCONT,
 * with one epoch meta. */
GST_START_TEST (test_flushing_seek)
{
  GstElement *pipeline, *sink;
  GstSample *sample;
  GstBuffer *buf;
  GError *err = NULL;
  guint i;

  pipeline = gst_parse_launch (
      "sensortestsrc is-live=false waveform=counter samples-per-buffer=10 ! "
      "sensor/x-raw, format=S16LE, rate=100/1, channels=1 ! "
      "appsink name=sink sync=false max-buffers=4",
      &err);
  fail_unless (pipeline != NULL, "%s", err ? err->message : "");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PLAYING),
      GST_STATE_CHANGE_ASYNC);
  for (i = 0; i < 20; i++) {
    g_signal_emit_by_name (sink, "pull-sample", &sample);
    fail_unless (sample != NULL);
    gst_sample_unref (sample);
  }

  fail_unless (gst_element_seek_simple (pipeline, GST_FORMAT_TIME,
      GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, 5 * GST_SECOND));
  for (i = 0; i < 20; i++) {
    guint64 start = 500 + 10 * i;

    g_signal_emit_by_name (sink, "pull-sample", &sample);
    fail_unless (sample != NULL);
    buf = gst_sample_get_buffer (sample);
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (buf), start);
    fail_unless_equals_uint64 (
        GST_BUFFER_PTS (buf), gst_util_uint64_scale (start, GST_SECOND, 100));
    fail_unless_equals_int (
        GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DISCONT), i == 0);
    fail_unless_equals_int (count_epoch_metas (buf), 1);
    {
      GstMapInfo map;

      fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
      fail_unless_equals_int (GST_READ_UINT16_LE (map.data), (guint16) start);
      gst_buffer_unmap (buf, &map);
    }
    gst_sample_unref (sample);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
sensortestsrc_suite (void)
{
  Suite *s = suite_create ("sensortestsrc");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_counter_timestamp_table);
  tcase_add_test (tc, test_counter_wraps_like_hardware);
  tcase_add_test (tc, test_modality_defaults_and_overrides);
  tcase_add_test (tc, test_bad_caps_not_negotiated);
  tcase_add_test (tc, test_live_paced_by_test_clock);
  tcase_add_test (tc, test_sources_share_epoch);
  tcase_add_test (tc, test_epoch_follows_live_anchor);
  tcase_add_test (tc, test_noise_is_reproducible);
  tcase_add_test (tc, test_ppg_pulse_rate);
  tcase_add_test (tc, test_ppg_int_matches_exact);
  tcase_add_test (tc, test_accel_gravity_and_full_scale);
  tcase_add_test (tc, test_full_scale_from_table);
  tcase_add_test (tc, test_unknown_modality_warns);
  tcase_add_test (tc, test_eos_when_asked);
  tcase_add_test (tc, test_own_pool_recycles_buffers);
  tcase_add_test (tc, test_downstream_pool_used);
  tcase_add_test (tc, test_flushing_seek);
  return s;
}

GST_CHECK_MAIN (sensortestsrc);
