/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * plexuslogsrc against the sensor-cloud Plexus part run in-process: one
 * JSON object per event with values of any type, 4401, reconnects.
 */
#include <string.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/sensor/sensor.h>
#include <json-glib/json-glib.h>

#include "plexus-test-server.h"

#define KEY SENSOR_CLOUD_PLEXUS_KEY

static GstHarness *
make_harness (PlexusTestServer *server, const gchar *key, GstBus **bus)
{
  GstElement *e = gst_element_factory_make ("plexuslogsrc", NULL);
  gchar *loc = plexus_test_server_location (server);
  GstHarness *h;

  fail_unless (e != NULL);
  g_object_set (e, "location", loc, "source-id", "robot-01", "api-key", key,
      "retry-backoff-max", 0.2, NULL);
  g_free (loc);
  *bus = gst_bus_new ();
  gst_element_set_bus (e, *bus);
  h = gst_harness_new_with_element (e, NULL, "src");
  gst_object_unref (e);
  gst_harness_use_systemclock (h);
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

GST_START_TEST (test_events_as_json)
{
  PlexusTestServer *server;
  GstBus *bus;
  GstHarness *h;
  JsonParser *parser = json_parser_new ();
  GstClockTime last = 0;
  guint i, types = 0;

  sensor_cloud_plexus_options ()->events_interval_ms = 20;
  server = plexus_test_server_start ();
  h = make_harness (server, KEY, &bus);
  for (i = 0; i < 8; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    GstMapInfo map;
    JsonObject *o;
    JsonNode *value;
    GstClockTime epoch;

    gst_buffer_map (buf, &map, GST_MAP_READ);
    fail_unless (map.data[map.size - 1] == '\n');
    fail_unless (json_parser_load_from_data (
        parser, (const gchar *) map.data, map.size, NULL));
    gst_buffer_unmap (buf, &map);
    o = json_node_get_object (json_parser_get_root (parser));
    fail_unless_equals_string (
        json_object_get_string_member (o, "type"), "event");
    fail_unless_equals_string (
        json_object_get_string_member (o, "class"), "event");
    fail_unless_equals_string (
        json_object_get_string_member (o, "source_id"), "robot-01");
    value = json_object_get_member (o, "value");
    /* strings, bools, numbers and objects all come through */
    if (JSON_NODE_HOLDS_OBJECT (value))
      types |= 1;
    else if (json_node_get_value_type (value) == G_TYPE_STRING)
      types |= 2;
    else if (json_node_get_value_type (value) == G_TYPE_BOOLEAN)
      types |= 4;
    else
      types |= 8;
    fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch));
    fail_unless_equals_uint64 (epoch,
        (guint64) json_object_get_int_member (o, "timestamp") * GST_MSECOND);
    fail_unless (GST_BUFFER_PTS (buf) >= last);
    last = GST_BUFFER_PTS (buf);
    gst_buffer_unref (buf);
  }
  fail_unless_equals_int (types, 15);
  g_object_unref (parser);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

static void
check_auth_error (const gchar *key, guint want_code)
{
  PlexusTestServer *server = plexus_test_server_start ();
  GstBus *bus;
  GstHarness *h = make_harness (server, key, &bus);
  GstMessage *m =
      gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_ERROR);
  const GstStructure *details = NULL;
  guint code = 0;

  fail_unless (m != NULL);
  gst_message_parse_error_details (m, &details);
  fail_unless (gst_structure_get_uint (details, "close-code", &code));
  fail_unless_equals_int (code, want_code);
  gst_message_unref (m);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_START_TEST (test_unauthorized_4401)
{
  check_auth_error ("not-a-key", 4401);
}

GST_END_TEST;

GST_START_TEST (test_payment_required_4402)
{
  check_auth_error (SENSOR_CLOUD_PLEXUS_DISABLED_KEY, 4402);
}

GST_END_TEST;

GST_START_TEST (test_network_loss_reconnects)
{
  PlexusTestServer *server;
  GstBus *bus;
  GstHarness *h;
  guint i;

  sensor_cloud_plexus_options ()->events_interval_ms = 20;
  sensor_cloud_plexus_options ()->close_after = 4;
  sensor_cloud_plexus_options ()->close_code = 0;
  server = plexus_test_server_start ();
  h = make_harness (server, KEY, &bus);
  for (i = 0; i < 10; i++)
    gst_buffer_unref (gst_harness_pull (h));
  fail_unless (plexus_test_server_stats ().connections >= 2);
  fail_unless (gst_bus_timed_pop_filtered (bus, 0, GST_MESSAGE_ERROR) == NULL);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

/* An EOS sent to the pipeline (gst-launch-1.0 -e, Ctrl-C) ends it. */
GST_START_TEST (test_eos_on_request)
{
  PlexusTestServer *server;

  sensor_cloud_plexus_options ()->events_interval_ms = 20;
  server = plexus_test_server_start ();
  plexus_test_eos_on_request (server, "plexuslogsrc", NULL, 5 * GST_SECOND);
  plexus_test_server_stop (server);
}

GST_END_TEST;

static Suite *
plexuslogsrc_suite (void)
{
  Suite *s = suite_create ("plexuslogsrc");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_eos_on_request);
  tcase_add_test (tc, test_events_as_json);
  tcase_add_test (tc, test_unauthorized_4401);
  tcase_add_test (tc, test_payment_required_4402);
  tcase_add_test (tc, test_network_loss_reconnects);
  return s;
}

GST_CHECK_MAIN (plexuslogsrc);
