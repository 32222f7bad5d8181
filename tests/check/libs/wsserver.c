/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The whole-message limit on sensor-cloud's WebSocket endpoints: a hostile
 * client (tests/peers/ws_hostile_client.py, raw sockets) that streams
 * continuation frames without end is closed with 1009 at the endpoint's
 * limit, and the cloud's memory stays flat however much it is offered.
 */
#include <gst/check/gstcheck.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "../sensor-test-process.h"

#define MIB (1024 * 1024)
#define MODEL "573fdc48-b7a8-40bb-81b7-e96df24fab6d"

static guint64
rss_of (const gchar *pid)
{
  gchar *path = g_strdup_printf ("/proc/%s/status", pid);
  gchar *status = NULL, *line;
  guint64 kb = 0;

  if (g_file_get_contents (path, &status, NULL, NULL) &&
      (line = strstr (status, "VmRSS:")))
    kb = g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
  g_free (status);
  g_free (path);
  return kb * 1024;
}

typedef struct
{
  gint64 close;
  gchar *reason;
  guint64 offered;
  guint64 rss_growth;
} Flood;

static void
on_line (GObject *source, GAsyncResult *res, gpointer data)
{
  gchar **line = data;

  *line = g_data_input_stream_read_line_finish (
      G_DATA_INPUT_STREAM (source), res, NULL, NULL);
  if (*line == NULL)
    *line = g_strdup ("");
}

/* Runs the hostile client against @path on the cloud's port while watching
 * the cloud's RSS. */
static void
flood (SensorTestProcess *cloud, const gchar *path, Flood *f)
{
  const gchar *python = g_getenv ("PYTHON");
  const gchar *root = g_getenv ("SENSOR_SOURCE_ROOT");
  const gchar *pid = g_subprocess_get_identifier (cloud->proc);
  gchar *script, *port, *line = NULL;
  GError *error = NULL;
  GSubprocess *proc;
  GDataInputStream *out;
  JsonParser *parser;
  JsonObject *o;
  guint64 rss0 = rss_of (pid), peak = rss0;
  gint64 end = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;

  fail_unless (root != NULL, "SENSOR_SOURCE_ROOT not set");
  script =
      g_build_filename (root, "tests", "peers", "ws_hostile_client.py", NULL);
  port = g_strdup_printf ("%u", cloud->port);
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
      python ? python : "/usr/bin/python3", script, port, path, "320", NULL);
  fail_unless (proc != NULL, "spawn: %s", error ? error->message : "");
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  g_data_input_stream_read_line_async (
      out, G_PRIORITY_DEFAULT, NULL, on_line, &line);
  while (line == NULL && g_get_monotonic_time () < end) {
    peak = MAX (peak, rss_of (pid));
    g_main_context_iteration (NULL, FALSE);
    g_usleep (10 * 1000);
  }
  fail_unless (line != NULL, "the hostile client did not finish");
  fail_unless (g_subprocess_wait_check (proc, NULL, &error), "%s",
      error ? error->message : "");

  parser = json_parser_new ();
  fail_unless (json_parser_load_from_data (parser, line, -1, &error),
      "hostile client printed \"%s\"", line);
  o = json_node_get_object (json_parser_get_root (parser));
  f->close = json_object_get_null_member (o, "close") ?
      -1 :
      json_object_get_int_member (o, "close");
  f->reason = g_strdup (json_object_get_string_member (o, "reason"));
  f->offered = json_object_get_int_member (o, "offered");
  f->rss_growth = peak > rss0 ? peak - rss0 : 0;
  GST_INFO ("%s: offered %" G_GUINT64_FORMAT
            " MiB, cloud RSS growth %" G_GUINT64_FORMAT " KiB",
      path, f->offered / MIB, f->rss_growth / 1024);

  g_object_unref (parser);
  g_object_unref (out);
  g_object_unref (proc);
  g_free (line);
  g_free (port);
  g_free (script);
}

GST_START_TEST (test_raeh_ingest_endless_message)
{
  SensorTestProcess cloud;
  Flood f = { 0 };
  gchar *reason;

  sensor_test_cloud_start (&cloud, "raeh", "http", NULL);
  flood (&cloud,
      "/stream/ingest?api_key=raeh_test&device_id=hostile-1"
      "&device_model_id=" MODEL,
      &f);
  fail_unless_equals_int (f.close, 1009);
  /* the largest Raeh frame: 12-byte header + 65535 samples x 4 bytes x 64 ch */
  reason =
      g_strdup_printf ("Message larger than %u bytes", 12 + 65535 * 4 * 64);
  fail_unless_equals_string (f.reason, reason);
  fail_unless (f.rss_growth < 100 * MIB,
      "cloud RSS grew by %" G_GUINT64_FORMAT " MiB after %" G_GUINT64_FORMAT
      " MiB offered",
      f.rss_growth / MIB, f.offered / MIB);
  fail_unless (sensor_test_process_stop (&cloud));
  g_free (reason);
  g_free (f.reason);
}

GST_END_TEST;

/* An endpoint for small client messages: closed at 128 KiB. */
GST_START_TEST (test_plexus_endless_message)
{
  SensorTestProcess cloud;
  Flood f = { 0 };

  sensor_test_cloud_start (&cloud, "plexus", "http", NULL);
  flood (&cloud, "/v1/sources/src-1/metrics/stream", &f);
  fail_unless_equals_int (f.close, 1009);
  fail_unless_equals_string (f.reason, "Message larger than 131072 bytes");
  fail_unless (f.rss_growth < 100 * MIB,
      "cloud RSS grew by %" G_GUINT64_FORMAT " MiB after %" G_GUINT64_FORMAT
      " MiB offered",
      f.rss_growth / MIB, f.offered / MIB);
  fail_unless (sensor_test_process_stop (&cloud));
  g_free (f.reason);
}

GST_END_TEST;

static Suite *
wsserver_suite (void)
{
  Suite *s = suite_create ("wsserver");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_raeh_ingest_endless_message);
  tcase_add_test (tc, test_plexus_endless_message);
  return s;
}

GST_CHECK_MAIN (wsserver);
