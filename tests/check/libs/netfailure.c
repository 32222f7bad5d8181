/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The one failure rule of every network element.
 */
#include <gst/check/gstcheck.h>
#include <gst/sensornet/sensornet-failure.h>

GST_START_TEST (test_classify_table)
{
  struct
  {
    guint http;
    gushort code;
    GQuark domain;
    gint error_code;
    GstSensorNetFailureKind expect;
    const gchar *describe;
  } rows[] = {
    { 404, 0, 0, 0, GST_SENSOR_NET_FAILURE_FATAL, "HTTP 404 Not Found" },
    { 401, 0, 0, 0, GST_SENSOR_NET_FAILURE_FATAL, "HTTP 401 Unauthorized" },
    { 403, 0, 0, 0, GST_SENSOR_NET_FAILURE_FATAL, "HTTP 403 Forbidden" },
    { 301, 0, 0, 0, GST_SENSOR_NET_FAILURE_FATAL,
        "HTTP 301 Moved Permanently" },
    { 429, 0, 0, 0, GST_SENSOR_NET_FAILURE_TRANSIENT, "HTTP 429" },
    { 408, 0, 0, 0, GST_SENSOR_NET_FAILURE_TRANSIENT,
        "HTTP 408 Request Timeout" },
    { 503, 0, 0, 0, GST_SENSOR_NET_FAILURE_TRANSIENT,
        "HTTP 503 Service Unavailable" },
    { 0, 0, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
        GST_SENSOR_NET_FAILURE_TRANSIENT, "boom" },
    { 0, 0, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, GST_SENSOR_NET_FAILURE_TRANSIENT,
        "boom" },
    { 0, 0, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
        GST_SENSOR_NET_FAILURE_TRANSIENT, "boom" },
    { 0, 0, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        GST_SENSOR_NET_FAILURE_FATAL, "boom" },
    { 0, 0, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
        GST_SENSOR_NET_FAILURE_FATAL, "boom" },
    { 0, 0, G_FILE_ERROR, G_FILE_ERROR_NOENT, GST_SENSOR_NET_FAILURE_FATAL,
        "boom" },
    { 0, 1011, 0, 0, GST_SENSOR_NET_FAILURE_TRANSIENT,
        "closed with code 1011 \"why\"" },
    { 0, 0, 0, 0, GST_SENSOR_NET_FAILURE_TRANSIENT,
        "closed without a close code" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    GError *err = NULL;
    GstSensorNetWsCloseInfo info = { rows[i].code, rows[i].code ? "why" : "",
      rows[i].http, NULL };
    gchar *text;

    if (rows[i].domain != 0)
      err = g_error_new_literal (rows[i].domain, rows[i].error_code, "boom");
    info.error = err;
    fail_unless_equals_int (
        gst_sensor_net_failure_classify (&info), rows[i].expect);
    text = gst_sensor_net_failure_describe (&info);
    fail_unless_equals_string (text, rows[i].describe);
    g_free (text);
    g_clear_error (&err);
  }
}
GST_END_TEST;

GST_START_TEST (test_warn_first_then_every_tenth)
{
  guint n, said = 0;

  fail_if (gst_sensor_net_failure_should_warn (0));
  for (n = 1; n <= 30; n++)
    said += gst_sensor_net_failure_should_warn (n);
  fail_unless (gst_sensor_net_failure_should_warn (1));
  fail_if (gst_sensor_net_failure_should_warn (2));
  fail_unless (gst_sensor_net_failure_should_warn (10));
  fail_unless (gst_sensor_net_failure_should_warn (20));
  fail_unless_equals_int (said, 4);
}
GST_END_TEST;

GST_START_TEST (test_messages)
{
  GstElement *e = gst_element_factory_make ("fakesink", NULL);
  GstBus *bus = gst_bus_new ();
  GstSensorNetWsCloseInfo info = { 0, "", 404, NULL };
  GError *err = NULL, *refused;
  gchar *debug = NULL;
  const GstStructure *details = NULL;
  GstMessage *msg;
  guint status = 0, n;

  gst_element_set_bus (e, bus);

  gst_sensor_net_post_fatal (e, &info, "ws://127.0.0.1:1/x");
  msg = gst_bus_pop (bus);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  gst_message_parse_error (msg, &err, &debug);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND));
  fail_unless_equals_string (err->message,
      "Could not connect to ws://127.0.0.1:1/x: HTTP 404 Not Found");
  gst_message_parse_error_details (msg, &details);
  fail_unless (gst_structure_get_uint (details, "http-status", &status));
  fail_unless_equals_int (status, 404);
  g_clear_error (&err);
  g_free (debug);
  gst_message_unref (msg);

  /* transient: a warning on the 1st and 10th failure only */
  refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
      "Could not connect: Connection refused");
  info.http_status = 0;
  info.error = refused;
  for (n = 1; n <= 10; n++)
    gst_sensor_net_post_transient (e, &info, "ws://127.0.0.1:1/x", n);
  for (n = 0; n < 2; n++) {
    msg = gst_bus_pop (bus);
    fail_unless (msg != NULL);
    fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_WARNING);
    gst_message_parse_warning (msg, &err, NULL);
    fail_unless (strstr (err->message, "Connection refused") != NULL);
    g_clear_error (&err);
    gst_message_unref (msg);
  }
  fail_unless (gst_bus_pop (bus) == NULL);
  g_error_free (refused);

  gst_sensor_net_post_connection_state (e,
      gst_sensor_net_connection_state_new (
          "reconnecting", "ws://h/x", 3, 2 * GST_SECOND, "refused"));
  msg = gst_bus_pop (bus);
  fail_unless (gst_message_has_name (msg, GST_SENSOR_NET_CONNECTION_STATE));
  {
    const GstStructure *s = gst_message_get_structure (msg);
    guint attempt = 0;
    guint64 delay = 0;

    fail_unless_equals_string (
        gst_structure_get_string (s, "state"), "reconnecting");
    fail_unless (gst_structure_get_uint (s, "attempt", &attempt));
    fail_unless (gst_structure_get_uint64 (s, "delay", &delay));
    fail_unless_equals_int (attempt, 3);
    fail_unless_equals_uint64 (delay, 2 * GST_SECOND);
    fail_unless_equals_string (
        gst_structure_get_string (s, "reason"), "refused");
  }
  gst_message_unref (msg);

  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
}
GST_END_TEST;

static Suite *
netfailure_suite (void)
{
  Suite *s = suite_create ("netfailure");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_classify_table);
  tcase_add_test (tc, test_warn_first_then_every_tenth);
  tcase_add_test (tc, test_messages);
  return s;
}

GST_CHECK_MAIN (netfailure);
