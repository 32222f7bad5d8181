/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * plexusmetricssrc against the sensor-cloud Plexus part run in-process:
 * JSON points with the filter, irregular F64 samples, NaN and strings
 * where numbers belong, 4401/4402, gateway_reconnecting, 1011 reconnects.
 */
#include <math.h>
#include <string.h>
#include <gst/check/gstcheck.h>
#include "../sensor-test-stats.h"
#include <gst/check/gstharness.h>
#include <gst/sensor/sensor.h>
#include <json-glib/json-glib.h>

#include "plexus-test-server.h"

#define KEY SENSOR_CLOUD_PLEXUS_KEY

static GstHarness *
make_harness (PlexusTestServer *server, const gchar *metrics, const gchar *key,
    const gchar *sink_caps, GstBus **bus)
{
  GstElement *e = gst_element_factory_make ("plexusmetricssrc", NULL);
  gchar *loc = plexus_test_server_location (server);
  GstHarness *h;

  fail_unless (e != NULL);
  g_object_set (e, "location", loc, "source-id", "robot-01", "api-key", key,
      "retry-backoff-max", 0.2, NULL);
  if (metrics)
    g_object_set (e, "metrics", metrics, NULL);
  g_free (loc);
  *bus = gst_bus_new ();
  gst_element_set_bus (e, *bus);
  h = gst_harness_new_with_element (e, NULL, "src");
  gst_object_unref (e);
  gst_harness_use_systemclock (h);
  if (sink_caps)
    gst_harness_set_sink_caps_str (h, sink_caps);
  gst_harness_play (h);
  return h;
}

static void
teardown (GstHarness *h, GstBus *bus)
{
  gst_harness_teardown (h);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
}

static JsonObject *
buffer_json (GstBuffer *buf, JsonParser *parser)
{
  GstMapInfo map;
  JsonNode *root;

  gst_buffer_map (buf, &map, GST_MAP_READ);
  fail_unless (map.size > 2 && map.data[map.size - 1] == '\n');
  fail_unless (json_parser_load_from_data (
      parser, (const gchar *) map.data, map.size, NULL));
  gst_buffer_unmap (buf, &map);
  root = json_parser_get_root (parser);
  fail_unless (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_get_object (root);
}

GST_START_TEST (test_json_points_filtered)
{
  PlexusTestServer *server = plexus_test_server_start ();
  GstBus *bus;
  GstHarness *h =
      make_harness (server, "battery.percent,nav.state", KEY, NULL, &bus);
  JsonParser *parser = json_parser_new ();
  gboolean seen_battery = FALSE, seen_state = FALSE;
  GstClockTime last = 0;
  GstCaps *caps;
  guint i;

  for (i = 0; i < 8; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    JsonObject *o = buffer_json (buf, parser);
    const gchar *metric = json_object_get_string_member (o, "metric");
    GstClockTime epoch;

    if (strcmp (metric, "battery.percent") == 0) {
      seen_battery = TRUE;
      fail_unless (json_object_get_double_member (o, "value") > 0);
    } else if (strcmp (metric, "nav.state") == 0) {
      seen_state = TRUE;
      fail_unless_equals_string (
          json_object_get_string_member (o, "value"), "cruising");
    } else {
      fail ("metric %s passed the filter", metric);
    }
    fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch));
    fail_unless_equals_uint64 (epoch,
        (guint64) json_object_get_int_member (o, "timestamp") * GST_MSECOND);
    fail_unless (GST_BUFFER_PTS (buf) >= last);
    last = GST_BUFFER_PTS (buf);
    gst_buffer_unref (buf);
  }
  fail_unless (seen_battery && seen_state);
  caps = gst_pad_get_current_caps (h->sinkpad);
  fail_unless (gst_structure_has_name (
      gst_caps_get_structure (caps, 0), "application/x-json"));
  gst_caps_unref (caps);
  {
    SensorCloudPlexusStats q;

    sensor_cloud_plexus_get_stats (&q);
    fail_unless_equals_string (
        q.last_query, "metrics=battery.percent%2Cnav.state");
    sensor_cloud_plexus_stats_clear (&q);
  }
  g_object_unref (parser);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

GST_START_TEST (test_float_timestamps)
{
  PlexusTestServer *server = plexus_test_server_start ();
  GstBus *bus;
  GstHarness *h = make_harness (server, "motor.temp", KEY, NULL, &bus);
  GstBuffer *buf = gst_harness_pull (h);
  JsonParser *parser = json_parser_new ();
  JsonObject *o = buffer_json (buf, parser);
  GstClockTime epoch;
  gdouble ms = json_object_get_double_member (o, "timestamp");

  /* float ms survive to the nanosecond */
  fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch));
  fail_unless_equals_uint64 (
      epoch, (guint64) floor (ms) * GST_MSECOND + 500 * GST_USECOND);
  gst_buffer_unref (buf);
  g_object_unref (parser);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

GST_START_TEST (test_points_of_one_frame_spread_by_timestamp)
{
  PlexusTestServer *server = plexus_test_server_start ();
  GstBus *bus;
  GstHarness *h = make_harness (server, NULL, KEY, NULL, &bus);
  JsonParser *parser = json_parser_new ();
  GstClockTime pts[4];
  const gchar *want[] = { "battery.percent", "cpu.percent", "motor.temp",
    "nav.state" };
  guint i;

  /* one telemetry frame: battery, cpu and nav.state at t ms, motor.temp at
   * t + 0.5 ms. The newest point gets the arrival time, the others their
   * difference earlier, and PTS never goes back */
  for (i = 0; i < 4; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    JsonObject *o = buffer_json (buf, parser);

    fail_unless_equals_string (
        json_object_get_string_member (o, "metric"), want[i]);
    pts[i] = GST_BUFFER_PTS (buf);
    gst_buffer_unref (buf);
  }
  fail_unless_equals_uint64 (pts[1], pts[0]);
  fail_unless_equals_uint64 (pts[2] - pts[0], 500 * GST_USECOND);
  fail_unless_equals_uint64 (pts[3], pts[2]);
  g_object_unref (parser);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

GST_START_TEST (test_f64_samples)
{
  PlexusTestServer *server = plexus_test_server_start ();
  GstBus *bus;
  GstHarness *h = make_harness (server, "battery.percent", KEY,
      "sensor/x-raw, format=F64LE, rate=0/1, channels=1", &bus);
  GstSensorInfo info;
  GstCaps *caps;
  GstClockTime last = 0;
  gdouble prev = 101;
  guint i;

  for (i = 0; i < 5; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    gdouble v;
    GstClockTime epoch;

    fail_unless_equals_int (gst_buffer_get_size (buf), 8);
    gst_buffer_extract (buf, 0, &v, 8);
    v = GDOUBLE_FROM_LE (v);
    /* the synthetic battery drains */
    fail_unless (v <= prev && v > 90, "%f after %f", v, prev);
    prev = v;
    fail_unless (GST_BUFFER_PTS (buf) > last);
    last = GST_BUFFER_PTS (buf);
    fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch));
    gst_buffer_unref (buf);
  }
  caps = gst_pad_get_current_caps (h->sinkpad);
  gst_sensor_info_init (&info);
  fail_unless (gst_sensor_info_from_caps (&info, caps));
  fail_unless (GST_SENSOR_INFO_IS_IRREGULAR (&info));
  fail_unless_equals_int (info.format, GST_SENSOR_FORMAT_F64LE);
  fail_unless_equals_string (info.modality, "battery.percent");
  gst_sensor_info_clear (&info);
  gst_caps_unref (caps);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

GST_START_TEST (test_f64_needs_a_metrics_list)
{
  GstElement *e = gst_element_factory_make ("plexusmetricssrc", NULL);
  GstPad *pad = gst_element_get_static_pad (e, "src");
  GstCaps *caps;
  gint ch = 0;

  /* all metrics: JSON only */
  caps = gst_pad_query_caps (pad, NULL);
  fail_unless_equals_int (gst_caps_get_size (caps), 1);
  gst_caps_unref (caps);
  g_object_set (e, "metrics", "a,b", NULL);
  caps = gst_pad_query_caps (pad, NULL);
  fail_unless_equals_int (gst_caps_get_size (caps), 2);
  fail_unless (gst_structure_get_int (
      gst_caps_get_structure (caps, 1), "channels", &ch));
  fail_unless_equals_int (ch, 2);
  fail_unless_equals_string (
      gst_structure_get_string (gst_caps_get_structure (caps, 1), "modality"),
      "a,b");
  gst_caps_unref (caps);
  gst_object_unref (pad);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_f64_two_channels)
{
  PlexusTestServer *server;
  GstBus *bus;
  GstHarness *h;
  guint i;

  sensor_cloud_plexus_options ()->metrics_interval_ms = 20;
  server = plexus_test_server_start ();
  h = make_harness (server, "battery.percent,cpu.percent", KEY,
      "sensor/x-raw, format=F64LE, rate=0/1, channels=2", &bus);
  for (i = 0; i < 6; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    gdouble v[2];

    fail_unless_equals_int (gst_buffer_get_size (buf), 16);
    gst_buffer_extract (buf, 0, v, 16);
    /* channel order is the metrics order */
    fail_unless (GDOUBLE_FROM_LE (v[0]) > 90 && GDOUBLE_FROM_LE (v[0]) <= 100);
    fail_unless (GDOUBLE_FROM_LE (v[1]) >= 10 && GDOUBLE_FROM_LE (v[1]) <= 90);
    fail_unless (GDOUBLE_FROM_LE (v[1]) == (gint) GDOUBLE_FROM_LE (v[1]));
    gst_buffer_unref (buf);
  }
  /* the first point had to wait for the other channel */
  fail_unless (sensor_test_stat (h->element, "waiting-for-channels") >= 1);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

GST_START_TEST (test_nan_and_strings_skipped)
{
  PlexusTestServer *server;
  GstBus *bus;
  GstHarness *h;
  GstMessage *m;
  guint i;

  /* NaN literals in every other frame; nav.state is a string */
  sensor_cloud_plexus_options ()->nan_every = 2;
  sensor_cloud_plexus_options ()->metrics_interval_ms = 20;
  server = plexus_test_server_start ();
  h = make_harness (server, "battery.percent", KEY,
      "sensor/x-raw, format=F64LE, rate=0/1, channels=1", &bus);
  for (i = 0; i < 4; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    gdouble v;

    gst_buffer_extract (buf, 0, &v, 8);
    fail_unless (isfinite (GDOUBLE_FROM_LE (v)));
    gst_buffer_unref (buf);
  }
  fail_unless (sensor_test_stat (h->element, "dropped-not-numeric") >= 2);
  m = gst_bus_timed_pop_filtered (bus, GST_SECOND, GST_MESSAGE_WARNING);
  fail_unless (m != NULL);
  gst_message_unref (m);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

GST_START_TEST (test_string_metric_as_samples)
{
  PlexusTestServer *server;
  GstBus *bus;
  GstHarness *h;
  GstMessage *m;
  GError *err = NULL;
  gint64 end;

  /* nav.state carries strings: as samples nothing comes out, each point is
   * counted, and one warning says why */
  sensor_cloud_plexus_options ()->metrics_interval_ms = 20;
  server = plexus_test_server_start ();
  h = make_harness (server, "nav.state", KEY,
      "sensor/x-raw, format=F64LE, rate=0/1, channels=1", &bus);
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (sensor_test_stat (h->element, "dropped-not-numeric") < 5 &&
      g_get_monotonic_time () < end)
    g_usleep (20 * 1000);
  fail_unless (sensor_test_stat (h->element, "dropped-not-numeric") >= 5);
  fail_unless (gst_harness_try_pull (h) == NULL);
  m = gst_bus_timed_pop_filtered (bus, GST_SECOND, GST_MESSAGE_WARNING);
  fail_unless (m != NULL);
  gst_message_parse_warning (m, &err, NULL);
  fail_unless (
      g_error_matches (err, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT));
  g_error_free (err);
  gst_message_unref (m);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

static void
check_auth_error (const gchar *key, guint want_code)
{
  PlexusTestServer *server = plexus_test_server_start ();
  GstBus *bus;
  GstHarness *h = make_harness (server, NULL, key, NULL, &bus);
  GstMessage *m =
      gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_ERROR);
  const GstStructure *details = NULL;
  GError *err = NULL;
  guint code = 0;

  fail_unless (m != NULL);
  gst_message_parse_error (m, &err, NULL);
  fail_unless (g_error_matches (
      err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED));
  gst_message_parse_error_details (m, &details);
  fail_unless (gst_structure_get_uint (details, "close-code", &code));
  fail_unless_equals_int (code, want_code);
  g_error_free (err);
  gst_message_unref (m);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_START_TEST (test_unauthorized_4401)
{
  check_auth_error ("plx_00000000000000000000000000000000", 4401);
}

GST_END_TEST;

GST_START_TEST (test_payment_required_4402)
{
  check_auth_error (SENSOR_CLOUD_PLEXUS_DISABLED_KEY, 4402);
}

GST_END_TEST;

GST_START_TEST (test_gateway_reconnecting_and_1011)
{
  PlexusTestServer *server;
  GstBus *bus;
  GstHarness *h;
  GstMessage *m;
  guint i;

  sensor_cloud_plexus_options ()->reconnecting_every = 3;
  sensor_cloud_plexus_options ()->close_after = 8;
  sensor_cloud_plexus_options ()->metrics_interval_ms = 20;
  server = plexus_test_server_start ();
  h = make_harness (server, "cpu.percent", KEY, NULL, &bus);
  /* across the 1011 close the stream goes on */
  for (i = 0; i < 20; i++)
    gst_buffer_unref (gst_harness_pull (h));
  m = plexus_pop_element_message (
      bus, "plexus-gateway-reconnecting", GST_SECOND);
  fail_unless (m != NULL);
  gst_message_unref (m);
  fail_unless (sensor_test_stat (h->element, "reconnects") >= 1);
  fail_unless (sensor_test_stat (h->element, "failures") >= 1);
  fail_unless (sensor_test_stat (h->element, "buffers-pushed") >= 20);
  {
    GstStructure *st = NULL;

    g_object_get (h->element, "stats", &st, NULL);
    fail_unless_equals_string (
        gst_structure_get_name (st), "application/x-plexusmetricssrc-stats");
    gst_structure_free (st);
  }
  fail_unless (plexus_test_server_stats ().connections >= 2);
  fail_unless (gst_bus_timed_pop_filtered (bus, 0, GST_MESSAGE_ERROR) == NULL);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

GST_START_TEST (test_resample_pipeline)
{
  PlexusTestServer *server;
  GstElementFactory *f = gst_element_factory_find ("sensorresample");
  gchar *loc, *desc;
  GstElement *pipe, *sink;
  GstBus *bus;
  GstMessage *m;

  if (!f) {
    GST_INFO ("sensorresample not built here");
    return;
  }
  gst_object_unref (f);
  sensor_cloud_plexus_options ()->metrics_interval_ms = 20;
  server = plexus_test_server_start ();
  loc = plexus_test_server_location (server);
  desc = g_strdup_printf (
      "plexusmetricssrc location=%s source-id=robot-01 "
      "api-key=" KEY " metrics=battery.percent ! sensorresample ! "
      "sensor/x-raw,rate=50/1 ! fakesink name=sink signal-handoffs=false",
      loc);
  pipe = gst_parse_launch (desc, NULL);
  fail_unless (pipe != NULL);
  sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipe);
  m = gst_bus_timed_pop_filtered (bus, GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (m == NULL, "error in %s", desc);
  {
    GstSample *last = NULL;

    g_object_get (sink, "last-sample", &last, NULL);
    fail_unless (last != NULL);
    gst_sample_unref (last);
  }
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  g_free (desc);
  g_free (loc);
  plexus_test_server_stop (server);
}

GST_END_TEST;

/* An EOS sent to the pipeline (gst-launch-1.0 -e, Ctrl-C) ends it. */
GST_START_TEST (test_eos_on_request)
{
  PlexusTestServer *server;

  sensor_cloud_plexus_options ()->metrics_interval_ms = 20;
  server = plexus_test_server_start ();
  plexus_test_eos_on_request (server, "plexusmetricssrc", NULL, 5 * GST_SECOND);
  plexus_test_server_stop (server);
}

GST_END_TEST;

static Suite *
plexusmetricssrc_suite (void)
{
  Suite *s = suite_create ("plexusmetricssrc");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_eos_on_request);
  tcase_add_test (tc, test_json_points_filtered);
  tcase_add_test (tc, test_float_timestamps);
  tcase_add_test (tc, test_points_of_one_frame_spread_by_timestamp);
  tcase_add_test (tc, test_f64_samples);
  tcase_add_test (tc, test_f64_needs_a_metrics_list);
  tcase_add_test (tc, test_f64_two_channels);
  tcase_add_test (tc, test_nan_and_strings_skipped);
  tcase_add_test (tc, test_string_metric_as_samples);
  tcase_add_test (tc, test_unauthorized_4401);
  tcase_add_test (tc, test_payment_required_4402);
  tcase_add_test (tc, test_gateway_reconnecting_and_1011);
  tcase_add_test (tc, test_resample_pipeline);
  return s;
}

GST_CHECK_MAIN (plexusmetricssrc);
