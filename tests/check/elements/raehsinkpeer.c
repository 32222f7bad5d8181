/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * raehframepack ! raehsink against tests/peers/raeh_ingest_server.py, a
 * python3-websockets server that shares no code with this project and
 * checks every frame byte by byte.
 */
#include <stdio.h>
#include <string.h>
#include <gio/gio.h>
#include <gst/check/gstcheck.h>
#include <gst/sensor/sensor.h>

#include "../sensor-test-pipeline.h"

#define T0_MS G_GINT64_CONSTANT (1700000000000)

static GstFlowReturn
appsrc_push (GstElement *src, GstBuffer *buf)
{
  GstFlowReturn ret = GST_FLOW_ERROR;

  g_signal_emit_by_name (src, "push-buffer", buf, &ret);
  gst_buffer_unref (buf);
  return ret;
}

/* @n samples from index @first of a stream whose sample k of channel c is
 * k * channels + c, in buffers of 25. */
static void
push_samples (GstElement *src, guint rate, guint channels, guint n)
{
  guint k = 0;

  while (k < n) {
    guint take = MIN (25, n - k), i;
    GstBuffer *buf = gst_buffer_new_allocate (NULL, take * channels * 2, NULL);
    GstMapInfo map;
    GstClockTime off = gst_util_uint64_scale (k, GST_SECOND, rate);

    gst_buffer_map (buf, &map, GST_MAP_WRITE);
    for (i = 0; i < take * channels; i++)
      GST_WRITE_UINT16_LE (map.data + 2 * i, (guint16) (k * channels + i));
    gst_buffer_unmap (buf, &map);
    GST_BUFFER_PTS (buf) = off;
    gst_buffer_add_sensor_epoch (buf, T0_MS * GST_MSECOND + off);
    fail_unless_equals_int (appsrc_push (src, buf), GST_FLOW_OK);
    k += take;
  }
  {
    GstFlowReturn r;

    g_signal_emit_by_name (src, "end-of-stream", &r);
  }
}

GST_START_TEST (test_python_peer_checks_every_frame)
{
  const gchar *python = g_getenv ("PYTHON");
  const gchar *root = g_getenv ("SENSOR_SOURCE_ROOT");
  g_autofree gchar *script = NULL, *line = NULL, *summary = NULL, *uri = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GError) err = NULL;
  GstElement *pipeline, *ppg, *acc, *sink;
  guint port = 0;

  if (python == NULL)
    python = "/usr/bin/python3";
  fail_unless (root != NULL);
  script =
      g_build_filename (root, "tests", "peers", "raeh_ingest_server.py", NULL);
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &err, python, script,
      "--ppg-samples", "350", "--acc-samples", "175", "--timeout", "30", NULL);
  fail_unless (proc != NULL, "%s", err ? err->message : "");
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line (out, NULL, NULL, &err);
  fail_unless (line != NULL, "peer did not start");
  fail_unless (sscanf (line, "{\"port\": %u}", &port) == 1, "%s", line);
  uri = g_strdup_printf ("ws://127.0.0.1:%u/stream/ingest", port);

  pipeline = gst_parse_launch (
      "raehsink name=sink sync=false "
      "api-key=raeh_peer device-id=peer-device "
      "device-model-id=573fdc48-b7a8-40bb-81b7-e96df24fab6d "
      "appsrc name=ppg format=time caps=\"sensor/x-raw,format=S16LE,"
      "rate=100/1,channels=1,modality=ppg_green\" ! raehframepack ! sink. "
      "appsrc name=acc format=time caps=\"sensor/x-raw,format=S16LE,"
      "rate=50/1,channels=3,modality=acc_3axis\" ! raehframepack ! sink.",
      &err);
  fail_unless (pipeline != NULL, "%s", err ? err->message : "");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  ppg = gst_bin_get_by_name (GST_BIN (pipeline), "ppg");
  acc = gst_bin_get_by_name (GST_BIN (pipeline), "acc");
  g_object_set (sink, "location", uri, NULL);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  push_samples (ppg, 100, 1, 350);
  push_samples (acc, 50, 3, 175);

  sensor_test_wait_eos (pipeline, 20 * GST_SECOND);

  summary = g_data_input_stream_read_line (out, NULL, NULL, &err);
  fail_unless (summary != NULL);
  fail_unless (g_subprocess_wait (proc, NULL, &err));
  fail_unless (strstr (summary, "\"ok\": true") != NULL, "%s", summary);
  fail_unless (strstr (summary, "\"ppg_green\": 4") != NULL, "%s", summary);
  fail_unless (strstr (summary, "\"acc_3axis\": 4") != NULL, "%s", summary);
  fail_unless (strstr (summary, "\"device_id\": \"peer-device\"") != NULL, "%s",
      summary);
  fail_unless_equals_int (g_subprocess_get_exit_status (proc), 0);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (ppg);
  gst_object_unref (acc);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
raehsinkpeer_suite (void)
{
  Suite *s = suite_create ("raehsinkpeer");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_python_peer_checks_every_frame);
  return s;
}

GST_CHECK_MAIN (raehsinkpeer);
