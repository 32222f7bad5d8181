/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * End to end against the local cloud: sensortestsrc (128 Hz) !
 * sensorresample ! raehframepack ! raehsink negotiates the device model's
 * 100 Hz S16 from the handshake alone, and tools/sensor-cloud records every
 * frame per slot with continuous t0. Also: a bad key is refused with 4001.
 */
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <gst/check/gstcheck.h>

#define MODEL "573fdc48-b7a8-40bb-81b7-e96df24fab6d"

typedef struct
{
  GSubprocess *proc;
  gchar *record;
  guint port;
} Cloud;

static void
cloud_start (Cloud *c)
{
  const gchar *build = g_getenv ("SENSOR_BUILD_ROOT");
  g_autofree gchar *exe = NULL, *line = NULL, *dir = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  GError *err = NULL;

  fail_unless (build != NULL);
  exe = g_build_filename (build, "tools", "sensor-cloud", "sensor-cloud", NULL);
  dir = g_dir_make_tmp ("raehcloud-XXXXXX", &err);
  fail_unless (dir != NULL);
  c->record = g_build_filename (dir, "record.json", NULL);
  c->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &err, exe,
      "--only", "raeh", "--record", c->record, "--raeh-record-frames", NULL);
  fail_unless (c->proc != NULL, "%s", err ? err->message : "");
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (c->proc));
  line = g_data_input_stream_read_line (out, NULL, NULL, &err);
  fail_unless (line != NULL);
  fail_unless (strstr (line, "\"http\"") != NULL, "%s", line);
  fail_unless (
      sscanf (strstr (line, "\"port\": "), "\"port\": %u", &c->port) == 1, "%s",
      line);
}

/* Stops the cloud and returns its "raeh" record. */
static JsonObject *
cloud_stop (Cloud *c, JsonParser *parser)
{
  GError *err = NULL;
  JsonObject *root;
  gchar *dir;

  g_subprocess_send_signal (c->proc, SIGTERM);
  fail_unless (g_subprocess_wait (c->proc, NULL, &err));
  g_object_unref (c->proc);
  fail_unless (json_parser_load_from_file (parser, c->record, &err), "%s",
      err ? err->message : "");
  root = json_node_get_object (json_parser_get_root (parser));
  g_unlink (c->record);
  dir = g_path_get_dirname (c->record);
  g_rmdir (dir);
  g_free (dir);
  g_free (c->record);
  return json_object_get_object_member (root, "raeh");
}

static GstElement *
launch (Cloud *c, const gchar *key, const gchar *extra)
{
  g_autofree gchar *desc = g_strdup_printf (
      "raehsink name=sink sync=false "
      "location=ws://127.0.0.1:%u/stream/ingest api-key=%s device-id=dev-1 "
      "device-model-id=" MODEL " %s",
      c->port, key, extra);
  GError *err = NULL;
  GstElement *p = gst_parse_launch (desc, &err);

  fail_unless (p != NULL, "%s", err ? err->message : "");
  return p;
}

GST_START_TEST (test_testsrc_to_cloud)
{
  Cloud cloud = {
    0,
  };
  g_autoptr (JsonParser) parser = json_parser_new ();
  GstElement *pipeline, *pack;
  GstCaps *caps, *want;
  GstPad *pad;
  GstBus *bus;
  GstMessage *m;
  JsonObject *raeh, *session;
  JsonArray *slots;
  guint i;

  cloud_start (&cloud);
  pipeline = launch (&cloud, "raeh_test",
      "sensortestsrc modality=ppg_green rate=128 num-buffers=35 ! "
      "sensorresample ! raehframepack name=pack ! sink. "
      "sensortestsrc modality=acc_3axis num-buffers=35 ! sensorresample ! "
      "raehframepack ! sink.");
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  bus = gst_element_get_bus (pipeline);
  m = gst_bus_timed_pop_filtered (
      bus, 30 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (m != NULL);
  fail_unless_equals_int (GST_MESSAGE_TYPE (m), GST_MESSAGE_EOS);
  gst_message_unref (m);

  /* 128 Hz in, the device model's 100 Hz S16 out, nobody asked for it */
  pack = gst_bin_get_by_name (GST_BIN (pipeline), "pack");
  pad = gst_element_get_static_pad (pack, "src");
  caps = gst_pad_get_current_caps (pad);
  want = gst_caps_from_string ("application/x-raeh-frame, rate=100/1, "
                               "channels=1, bit-depth=16, modality=ppg_green");
  fail_unless (gst_caps_is_equal (caps, want), "%" GST_PTR_FORMAT, caps);
  gst_caps_unref (caps);
  gst_caps_unref (want);
  gst_object_unref (pad);
  gst_object_unref (pack);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);

  raeh = cloud_stop (&cloud, parser);
  fail_unless_equals_int (
      json_array_get_length (json_object_get_array_member (raeh, "sessions")),
      1);
  session = json_array_get_object_element (
      json_object_get_array_member (raeh, "sessions"), 0);
  fail_unless_equals_string (
      json_object_get_string_member (session, "device_id"), "dev-1");
  fail_unless (json_object_get_boolean_member (session, "closed"));
  fail_unless_equals_int (
      json_object_get_int_member (session, "close_code"), 1000);
  fail_if (json_object_has_member (session, "bad_frame"));
  slots = json_object_get_array_member (session, "slots");
  for (i = 0; i < json_array_get_length (slots); i++) {
    JsonObject *slot = json_array_get_object_element (slots, i);
    JsonArray *t0s = json_object_get_array_member (slot, "t0s");
    gint64 first = json_object_get_int_member (slot, "first_t0_ms");
    guint j;

    fail_unless (json_object_get_int_member (slot, "frames") >= 3, "%s",
        json_object_get_string_member (slot, "modality"));
    fail_unless (json_object_get_boolean_member (slot, "continuous"));
    /* frames after the first start on whole seconds: windows are aligned */
    for (j = 1; j < json_array_get_length (t0s); j++)
      fail_unless (json_array_get_int_element (t0s, j) > first);
  }
}

GST_END_TEST;

GST_START_TEST (test_cloud_refuses_bad_key)
{
  Cloud cloud = {
    0,
  };
  g_autoptr (JsonParser) parser = json_parser_new ();
  GstElement *pipeline;
  GstBus *bus;
  GstMessage *m;
  GError *err = NULL;
  const GstStructure *details;
  guint code = 0;
  JsonObject *raeh, *rej;

  cloud_start (&cloud);
  pipeline = launch (&cloud, "not-a-raeh-key",
      "sensortestsrc modality=ppg_green num-buffers=5 ! raehframepack ! "
      "sink.");
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PLAYING),
      GST_STATE_CHANGE_FAILURE);
  bus = gst_element_get_bus (pipeline);
  m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (m != NULL);
  gst_message_parse_error (m, &err, NULL);
  fail_unless (g_error_matches (
      err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED));
  gst_message_parse_error_details (m, &details);
  fail_unless (gst_structure_get_uint (details, "close-code", &code));
  fail_unless_equals_int (code, 4001);
  fail_unless_equals_string (gst_structure_get_string (details, "close-reason"),
      "Authentication failed: invalid api_key");
  g_error_free (err);
  gst_message_unref (m);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);

  raeh = cloud_stop (&cloud, parser);
  fail_unless_equals_int (
      json_array_get_length (json_object_get_array_member (raeh, "rejected")),
      1);
  rej = json_array_get_object_element (
      json_object_get_array_member (raeh, "rejected"), 0);
  fail_unless_equals_int (json_object_get_int_member (rej, "close_code"), 4001);
}

GST_END_TEST;

static Suite *
raehcloud_suite (void)
{
  Suite *s = suite_create ("raehcloud");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_testsrc_to_cloud);
  tcase_add_test (tc, test_cloud_refuses_bad_key);
  return s;
}

GST_CHECK_MAIN (raehcloud);
