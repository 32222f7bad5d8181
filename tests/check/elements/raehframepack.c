/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * raehframepack: epoch-aligned windows, exact t0, partial first/last
 * frames, gaps kept, caps from downstream.
 */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/sensor/sensor.h>
#include <gst/raeh/raeh.h>

#define EPOCH_MS(ms) ((GstClockTime) (ms) *GST_MSECOND)

typedef struct
{
  guint64 first; /* index of the first sample in the stream */
  guint count;
  gint64 t0_ms;
  GstClockTime pts;
  GstClockTime duration;
  gboolean discont;
} ExpectedFrame;

static GstHarness *
make_harness (const gchar *in_caps, const gchar *out_caps)
{
  GstHarness *h = gst_harness_new ("raehframepack");

  gst_harness_set_sink_caps_str (h, out_caps);
  gst_harness_set_src_caps_str (h, in_caps);
  return h;
}

/* When set, push_s16() puts a foreign reference timestamp first and the
 * epoch in caps of its own (equal, not the shared object). */
static gboolean foreign_epoch_caps = FALSE;

/* Pushes @n samples of S16 mono whose value is their stream index, in
 * buffers of @chunk, starting at sample @first with epoch @epoch0 of sample
 * 0 of the run. */
static void
push_s16 (GstHarness *h, guint64 first_index, guint n, guint chunk, gint rate,
    GstClockTime epoch0, GstClockTime pts0)
{
  guint done = 0;

  while (done < n) {
    guint take = MIN (chunk, n - done), i;
    GstBuffer *buf = gst_buffer_new_allocate (NULL, take * 2, NULL);
    GstMapInfo map;
    GstClockTime off = gst_util_uint64_scale (done, GST_SECOND, rate);

    gst_buffer_map (buf, &map, GST_MAP_WRITE);
    for (i = 0; i < take; i++)
      GST_WRITE_UINT16_LE (
          map.data + 2 * i, (guint16) (first_index + done + i));
    gst_buffer_unmap (buf, &map);
    GST_BUFFER_PTS (buf) = pts0 + off;
    if (foreign_epoch_caps) {
      GstCaps *ntp = gst_caps_new_empty_simple ("timestamp/x-ntp");
      GstCaps *unix_caps = gst_caps_new_empty_simple ("timestamp/x-unix");

      gst_buffer_add_reference_timestamp_meta (
          buf, ntp, 42 * GST_SECOND, GST_CLOCK_TIME_NONE);
      gst_buffer_add_reference_timestamp_meta (
          buf, unix_caps, epoch0 + off, GST_CLOCK_TIME_NONE);
      gst_caps_unref (ntp);
      gst_caps_unref (unix_caps);
    } else {
      gst_buffer_add_sensor_epoch (buf, epoch0 + off);
    }
    fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
    done += take;
  }
}

static void
check_frames (GstHarness *h, const ExpectedFrame *want, guint n_want)
{
  guint i, j;

  fail_unless_equals_int (gst_harness_buffers_in_queue (h), n_want);
  for (i = 0; i < n_want; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    GstRaehFrameHeader hdr;
    GstClockTime epoch;
    GstMapInfo map;

    gst_buffer_map (buf, &map, GST_MAP_READ);
    fail_unless_equals_int (map.size, 12 + want[i].count * 2);
    fail_unless (gst_raeh_frame_header_read (map.data, map.size, &hdr, NULL));
    fail_unless_equals_int (hdr.slot_id, 0);
    fail_unless_equals_int (hdr.flags, 0);
    fail_unless_equals_int64 (hdr.t0_epoch_ms, want[i].t0_ms);
    fail_unless_equals_int (hdr.sample_count, want[i].count);
    for (j = 0; j < want[i].count; j++)
      fail_unless_equals_int (GST_READ_UINT16_LE (map.data + 12 + 2 * j),
          (guint16) (want[i].first + j));
    gst_buffer_unmap (buf, &map);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), want[i].pts);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (buf), want[i].duration);
    fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch));
    fail_unless_equals_int64 (
        (epoch + GST_MSECOND / 2) / GST_MSECOND, want[i].t0_ms);
    fail_unless_equals_int (
        GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DISCONT), want[i].discont);
    gst_buffer_unref (buf);
  }
}

#define PPG_100                                                                \
  "sensor/x-raw, format=S16LE, rate=100/1, channels=1, "                       \
  "modality=ppg_green"
#define FRAMES_ANY "application/x-raeh-frame"

/* 100 Hz starting on a second: whole frames, the EOS one partial. */
GST_START_TEST (test_pack_100hz_aligned)
{
  GstHarness *h = make_harness (PPG_100, FRAMES_ANY);
  const ExpectedFrame want[] = {
    { 0, 100, 1700000000000, 0, GST_SECOND, TRUE },
    { 100, 100, 1700000001000, GST_SECOND, GST_SECOND, FALSE },
    { 200, 50, 1700000002000, 2 * GST_SECOND, GST_SECOND / 2, FALSE },
  };

  push_s16 (h, 0, 250, 25, 100, EPOCH_MS (1700000000000), 0);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 2);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  check_frames (h, want, G_N_ELEMENTS (want));
  gst_harness_teardown (h);
}

GST_END_TEST;

/* 52 Hz starting 300 ms into a second: windows stay on epoch seconds, t0 is
 * the nearest ms of the exact first-sample time, counts follow the window
 * (37, 52, 52, 15), and no rounding error builds up. */
GST_START_TEST (test_pack_52hz_unaligned)
{
  GstHarness *h = make_harness ("sensor/x-raw, format=S16LE, rate=52/1, "
                                "channels=1, modality=ppg_green",
      FRAMES_ANY);
  const ExpectedFrame want[] = {
    { 0, 37, 1700000000300, 0, 711538461, TRUE },
    { 37, 52, 1700000001012, 711538461, 1000000000, FALSE },
    { 89, 52, 1700000002012, 1711538461, 1000000000, FALSE },
    { 141, 15, 1700000003012, 2711538461, 288461539, FALSE },
  };

  push_s16 (h, 0, 156, 13, 52, EPOCH_MS (1700000000300), 0);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  check_frames (h, want, G_N_ELEMENTS (want));
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A 300 ms hole in the input: the frame before it closes early, the next
 * starts at the first real sample, marked DISCONT; nothing is filled in.
 * With @foreign the epoch rides in caps objects of the input's own, after
 * another reference timestamp: the same frames. */
static void
check_pack_gap (gboolean foreign)
{
  GstHarness *h = make_harness (PPG_100, FRAMES_ANY);
  const ExpectedFrame want[] = {
    { 0, 50, 1700000000000, 0, GST_SECOND / 2, TRUE },
    { 50, 20, 1700000000800, 800 * GST_MSECOND, 200 * GST_MSECOND, TRUE },
    { 70, 100, 1700000001000, GST_SECOND, GST_SECOND, FALSE },
    { 170, 30, 1700000002000, 2 * GST_SECOND, 300 * GST_MSECOND, FALSE },
  };

  foreign_epoch_caps = foreign;
  push_s16 (h, 0, 50, 10, 100, EPOCH_MS (1700000000000), 0);
  push_s16 (h, 50, 150, 10, 100, EPOCH_MS (1700000000800), 800 * GST_MSECOND);
  foreign_epoch_caps = FALSE;
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  check_frames (h, want, G_N_ELEMENTS (want));
  gst_harness_teardown (h);
}

GST_START_TEST (test_pack_gap)
{
  check_pack_gap (FALSE);
}

GST_END_TEST;

GST_START_TEST (test_pack_gap_foreign_epoch_caps)
{
  check_pack_gap (TRUE);
}

GST_END_TEST;

/* Input that jumps back (an overlap) is passed on as it is: the running
 * frame closes and a new run starts at the earlier epoch. */
GST_START_TEST (test_pack_overlap)
{
  GstHarness *h = make_harness (PPG_100, FRAMES_ANY);
  const ExpectedFrame want[] = {
    { 0, 100, 1700000000000, 0, GST_SECOND, TRUE },
    { 100, 30, 1700000000500, GST_SECOND, 300 * GST_MSECOND, TRUE },
  };

  push_s16 (h, 0, 100, 50, 100, EPOCH_MS (1700000000000), 0);
  push_s16 (h, 100, 30, 10, 100, EPOCH_MS (1700000000500), GST_SECOND);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  check_frames (h, want, G_N_ELEMENTS (want));
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Jitter below half a sample period is not a gap. */
GST_START_TEST (test_pack_small_jitter_is_continuous)
{
  GstHarness *h = make_harness (PPG_100, FRAMES_ANY);
  GstBuffer *buf;
  guint i;

  for (i = 0; i < 4; i++) {
    GstClockTime epoch = EPOCH_MS (1700000000000) + i * 250 * GST_MSECOND +
        (i % 2 ? 3 * GST_MSECOND : 0);

    buf = gst_buffer_new_allocate (NULL, 50, NULL);
    gst_buffer_memset (buf, 0, 0, 50);
    GST_BUFFER_PTS (buf) = i * 250 * GST_MSECOND;
    gst_buffer_add_sensor_epoch (buf, epoch);
    fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  }
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 1);
  buf = gst_harness_pull (h);
  fail_unless_equals_int (gst_buffer_get_size (buf), 12 + 200);
  gst_buffer_unref (buf);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* acc_3axis: samples stay interleaved x y z byte for byte. */
GST_START_TEST (test_pack_3axis_interleaved)
{
  GstHarness *h = make_harness ("sensor/x-raw, format=S16LE, rate=50/1, "
                                "channels=3, modality=acc_3axis",
      FRAMES_ANY);
  GstBuffer *in, *out;
  GstMapInfo map;
  guint i;

  in = gst_buffer_new_allocate (NULL, 50 * 6, NULL);
  gst_buffer_map (in, &map, GST_MAP_WRITE);
  for (i = 0; i < 150; i++)
    GST_WRITE_UINT16_LE (map.data + 2 * i, (guint16) (i * 7 - 300));
  gst_buffer_unmap (in, &map);
  GST_BUFFER_PTS (in) = 0;
  gst_buffer_add_sensor_epoch (in, EPOCH_MS (1700000005000));
  fail_unless_equals_int (
      gst_harness_push (h, gst_buffer_ref (in)), GST_FLOW_OK);
  out = gst_harness_pull (h);
  fail_unless_equals_int (gst_buffer_get_size (out), 12 + 300);
  fail_unless (gst_buffer_memcmp (out, 12, map.data, 0) == 0);
  gst_buffer_map (in, &map, GST_MAP_READ);
  fail_unless (gst_buffer_memcmp (out, 12, map.data, 300) == 0);
  gst_buffer_unmap (in, &map);
  gst_buffer_unref (in);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Downstream wants 100 Hz 12-bit ppg_green: upstream is asked for S16LE at
 * 100 Hz, and the frames carry bit-depth 12. */
GST_START_TEST (test_pack_caps_from_downstream)
{
  GstHarness *h = gst_harness_new ("raehframepack");
  GstCaps *caps, *want, *cur, *filter;

  gst_harness_set_sink_caps_str (h,
      "application/x-raeh-frame, "
      "modality=ppg_green, rate=100/1, channels=1, bit-depth=12");
  /* asked as upstream asks, with what it can offer */
  filter = gst_caps_from_string ("sensor/x-raw");
  caps = gst_pad_peer_query_caps (h->srcpad, filter);
  want = gst_caps_from_string ("sensor/x-raw, format=S16LE, rate=100/1, "
                               "channels=1, modality=ppg_green");
  fail_unless (gst_caps_is_equal (caps, want), "%" GST_PTR_FORMAT, caps);
  gst_caps_unref (caps);
  gst_caps_unref (filter);
  /* unfiltered (a link check): that first, then any sensor/x-raw, so that
   * input it cannot pack links and fails with words at negotiation */
  caps = gst_pad_peer_query_caps (h->srcpad, NULL);
  fail_unless_equals_int (gst_caps_get_size (caps), 2);
  fail_unless (gst_structure_is_equal (
      gst_caps_get_structure (caps, 0), gst_caps_get_structure (want, 0)));
  gst_caps_unref (caps);
  gst_caps_unref (want);

  gst_harness_set_src_caps_str (h, PPG_100);
  cur = gst_pad_get_current_caps (h->sinkpad);
  want = gst_caps_from_string (
      "application/x-raeh-frame, "
      "modality=ppg_green, rate=100/1, channels=1, bit-depth=12");
  fail_unless (gst_caps_is_equal (cur, want), "%" GST_PTR_FORMAT, cur);
  gst_caps_unref (cur);
  gst_caps_unref (want);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Input raehframepack cannot pack is let through the caps query and the
 * accept-caps check, so that the caps event fails with one error naming
 * what upstream offers and the fix, instead of a bare not-negotiated. */
GST_START_TEST (test_pack_refuses_float)
{
  struct
  {
    const gchar *caps;
    const gchar *text;
  } rows[] = {
    { "sensor/x-raw, format=F32LE, rate=50/1, channels=3, "
      "modality=acc_3axis",
        "raehframepack takes integer samples; upstream offers F32LE: add "
        "sensorresample (it converts float to integer with a full scale)" },
    { "sensor/x-raw, format=U16LE, rate=50/1, channels=3, "
      "modality=acc_3axis",
        "raehframepack takes signed integer samples; upstream offers U16LE: "
        "add sensorresample (it converts to S16LE)" },
    { "sensor/x-raw, format=S16LE, rate=0/1, channels=1, "
      "modality=heart_rate",
        "raehframepack takes a regular rate; upstream offers an irregular "
        "stream (rate 0/1): add sensorresample and a rate, e.g. "
        "sensorresample ! sensor/x-raw,rate=50/1" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    GstHarness *h = gst_harness_new ("raehframepack");
    GstBus *bus = gst_bus_new ();
    GstCaps *caps = gst_caps_from_string (rows[i].caps), *got;
    GstMessage *m;
    GError *err = NULL;

    gst_element_set_bus (h->element, bus);
    gst_harness_set_sink_caps_str (h, FRAMES_ANY);
    got = gst_pad_peer_query_caps (h->srcpad, caps);
    fail_unless (gst_caps_is_equal (got, caps), "%" GST_PTR_FORMAT, got);
    gst_caps_unref (got);
    fail_unless (gst_pad_peer_query_accept_caps (h->srcpad, caps));
    fail_unless (gst_harness_push_event (h, gst_event_new_stream_start ("s")));
    /* a sticky event: the push may still report success */
    gst_harness_push_event (h, gst_event_new_caps (caps));
    m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    fail_unless (m != NULL, "row %u: no error", i);
    gst_message_parse_error (m, &err, NULL);
    fail_unless (
        g_error_matches (err, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION));
    fail_unless_equals_string (err->message, rows[i].text);
    g_error_free (err);
    gst_message_unref (m);
    fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR) == NULL);
    gst_caps_unref (caps);
    gst_element_set_bus (h->element, NULL);
    gst_object_unref (bus);
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

/* In a pipeline, the first error is raehframepack's, not the source's
 * "not-negotiated". */
GST_START_TEST (test_pack_float_pipeline_error_first)
{
  GstElement *p = gst_parse_launch (
      "sensortestsrc modality=acc_3axis num-buffers=3 ! "
      "sensor/x-raw,format=F32LE ! raehframepack name=pack ! fakesink",
      NULL);
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *m;
  GError *err = NULL;

  fail_unless (p != NULL);
  fail_if (
      gst_element_set_state (p, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE);
  m = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (m != NULL);
  fail_unless_equals_string (GST_OBJECT_NAME (GST_MESSAGE_SRC (m)), "pack");
  gst_message_parse_error (m, &err, NULL);
  fail_unless_equals_string (err->message,
      "raehframepack takes integer samples; upstream offers F32LE: add "
      "sensorresample (it converts float to integer with a full scale)");
  g_error_free (err);
  gst_message_unref (m);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
}

GST_END_TEST;

static Suite *
raehframepack_suite (void)
{
  Suite *s = suite_create ("raehframepack");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_pack_100hz_aligned);
  tcase_add_test (tc, test_pack_52hz_unaligned);
  tcase_add_test (tc, test_pack_gap);
  tcase_add_test (tc, test_pack_gap_foreign_epoch_caps);
  tcase_add_test (tc, test_pack_overlap);
  tcase_add_test (tc, test_pack_small_jitter_is_continuous);
  tcase_add_test (tc, test_pack_3axis_interleaved);
  tcase_add_test (tc, test_pack_caps_from_downstream);
  tcase_add_test (tc, test_pack_refuses_float);
  tcase_add_test (tc, test_pack_float_pipeline_error_first);
  return s;
}

GST_CHECK_MAIN (raehframepack);
