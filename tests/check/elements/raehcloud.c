/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * End to end against the local cloud: sensortestsrc (128 Hz) !
 * sensorresample ! raehframepack ! raehsink negotiates the device model's
 * 100 Hz S16 from the handshake alone, and tools/sensor-cloud records every
 * frame per slot with continuous t0. Also: a bad key is refused with 4001.
 */
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <gst/check/gstcheck.h>
#include <gst/raeh/raeh.h>
#include <libsoup/soup.h>

#include "../sensor-test-pipeline.h"
#include "../sensor-test-process.h"

#define MODEL "573fdc48-b7a8-40bb-81b7-e96df24fab6d"

typedef struct
{
  SensorTestProcess proc;
  gchar *record;
  guint port;
} Cloud;

static void
cloud_start_with (Cloud *c, const gchar *const *extra)
{
  GError *err = NULL;
  gchar *dir = g_dir_make_tmp ("raehcloud-XXXXXX", &err);
  GPtrArray *args = g_ptr_array_new ();

  fail_unless (dir != NULL, "%s", err ? err->message : "");
  c->record = g_build_filename (dir, "record.json", NULL);
  g_free (dir);
  g_ptr_array_add (args, (gpointer) "--record");
  g_ptr_array_add (args, c->record);
  g_ptr_array_add (args, (gpointer) "--raeh-record-frames");
  while (extra && *extra)
    g_ptr_array_add (args, (gpointer) *extra++);
  g_ptr_array_add (args, NULL);
  sensor_test_cloud_start (
      &c->proc, "raeh", "http", (const gchar *const *) args->pdata);
  g_ptr_array_unref (args);
  c->port = c->proc.port;
}

static void
cloud_start (Cloud *c)
{
  cloud_start_with (c, NULL);
}

/* Stops the cloud and returns its "raeh" record. */
static JsonObject *
cloud_stop (Cloud *c, JsonParser *parser)
{
  GError *err = NULL;
  JsonObject *root;
  gchar *dir;

  fail_unless (sensor_test_process_stop (&c->proc));
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
  JsonObject *raeh, *session;
  JsonArray *slots;
  guint i;

  cloud_start (&cloud);
  pipeline = launch (&cloud, "raeh_test",
      "sensortestsrc modality=ppg_green rate=128 num-buffers=35 ! "
      "sensorresample ! raehframepack name=pack ! sink. "
      "sensortestsrc modality=acc_3axis num-buffers=35 ! sensorresample ! "
      "raehframepack ! sink.");
  sensor_test_play_to_eos (pipeline, 30 * GST_SECOND);

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
  gst_object_unref (pipeline);

  /* one hr tick (every 2 s) after the data */
  g_usleep (2500 * 1000);
  raeh = cloud_stop (&cloud, parser);
  fail_unless_equals_int (
      json_array_get_length (json_object_get_array_member (raeh, "sessions")),
      1);
  {
    JsonArray *insights = json_object_get_array_member (raeh, "insights");
    gboolean found = FALSE;

    for (i = 0; i < json_array_get_length (insights); i++) {
      JsonObject *o = json_array_get_object_element (insights, i);

      if (g_strcmp0 (json_object_get_string_member (o, "type"), "hr"))
        continue;
      /* sensortestsrc's default heart-rate is 72 bpm */
      fail_unless (ABS (json_object_get_double_member (o, "value") - 72) < 3,
          "hr %f", json_object_get_double_member (o, "value"));
      fail_unless_equals_string (
          json_object_get_string_member (o, "unit"), "bpm");
      fail_unless_equals_string (
          json_object_get_string_member (o, "device_id"), "dev-1");
      fail_unless (json_object_has_member (o, "sqi_class"));
      found = TRUE;
    }
    fail_unless (found, "no hr insight");
  }
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
  /* the session is refused after the state change: an error, no retry */
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  bus = gst_element_get_bus (pipeline);
  m = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_ERROR);
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

/* A path the cloud does not serve: HTTP 404 to the upgrade is fatal at once
 * (no retry, no wait for a handshake), named, with the status in the
 * details. */
GST_START_TEST (test_cloud_404_path)
{
  Cloud cloud = {
    0,
  };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree gchar *loc = NULL;
  GstElement *pipeline, *sink;
  GstBus *bus;
  GstMessage *m;
  GError *err = NULL;
  const GstStructure *details;
  guint status = 0;
  gint64 start;

  cloud_start (&cloud);
  pipeline = launch (&cloud, "raeh_test",
      "sensortestsrc modality=ppg_green num-buffers=5 ! sensorresample ! "
      "raehframepack ! sink.");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  loc = g_strdup_printf ("ws://127.0.0.1:%u/stream/nope", cloud.port);
  g_object_set (sink, "location", loc, NULL);
  start = g_get_monotonic_time ();
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  bus = gst_element_get_bus (pipeline);
  m = gst_bus_timed_pop_filtered (bus, 2 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (m != NULL, "no error within 2 s");
  fail_unless (g_get_monotonic_time () - start < 2 * G_TIME_SPAN_SECOND);
  gst_message_parse_error (m, &err, NULL);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND),
      "%s", err->message);
  fail_unless (strstr (err->message, "HTTP 404") != NULL, "%s", err->message);
  fail_unless (strstr (err->message, loc) != NULL, "%s", err->message);
  gst_message_parse_error_details (m, &details);
  fail_unless (details != NULL);
  fail_unless (gst_structure_get_uint (details, "http-status", &status));
  fail_unless_equals_int (status, 404);
  g_error_free (err);
  gst_message_unref (m);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  cloud_stop (&cloud, parser);
}

GST_END_TEST;

/* Negotiation failures against the cloud's device model say both sides
 * and the fix, and that error comes first on the bus. */
GST_START_TEST (test_cloud_negotiation_errors)
{
  struct
  {
    const gchar *branch;
    const gchar *element;
    const gchar *text;
  } rows[] = {
    { "sensortestsrc modality=acc_3axis num-buffers=5 ! "
      "sensor/x-raw,format=S16LE,rate=52/1 ! raehframepack ! sink.",
        "sink",
        "The Raeh manifest declares acc_3axis at 50 Hz, 3 channels, 16 bit "
        "(slot 1); upstream offers 52 Hz on pad sink_0: add sensorresample "
        "before raehframepack" },
    { "sensortestsrc modality=gyro_3axis num-buffers=5 ! sensorresample ! "
      "raehframepack ! sink.",
        "sink",
        "The Raeh manifest declares no gyro_3axis stream (slots 0: ppg_green "
        "100 Hz 16-bit x1, 1: acc_3axis 50 Hz 16-bit x3); upstream offers "
        "gyro_3axis on pad sink_0: stream only the modalities of the device "
        "model, or register gyro_3axis with it" },
    { "sensortestsrc modality=acc_3axis num-buffers=5 ! "
      "sensor/x-raw,format=F32LE ! raehframepack name=pack ! sink.",
        "pack",
        "raehframepack takes integer samples; upstream offers F32LE: add "
        "sensorresample (it converts float to integer with a full scale)" },
  };
  Cloud cloud = {
    0,
  };
  g_autoptr (JsonParser) parser = json_parser_new ();
  guint i;

  cloud_start (&cloud);
  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    GstElement *pipeline = launch (&cloud, "raeh_test", rows[i].branch);
    GstBus *bus = gst_element_get_bus (pipeline);
    GstMessage *m;
    GError *err = NULL;

    fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
        GST_STATE_CHANGE_FAILURE);
    m = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_ERROR);
    fail_unless (m != NULL, "row %u: no error", i);
    gst_message_parse_error (m, &err, NULL);
    fail_unless (
        g_error_matches (err, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION),
        "row %u: %s", i, err->message);
    fail_unless_equals_string (err->message, rows[i].text);
    fail_unless_equals_string (
        GST_OBJECT_NAME (GST_MESSAGE_SRC (m)), rows[i].element);
    g_error_free (err);
    gst_message_unref (m);
    gst_element_set_state (pipeline, GST_STATE_NULL);
    gst_object_unref (bus);
    gst_object_unref (pipeline);
  }
  cloud_stop (&cloud, parser);
}

GST_END_TEST;

/* A bare libsoup WebSocket client, driven synchronously on its own
 * context, standing in for a device. */
typedef struct
{
  GMainContext *ctx;
  SoupSession *session;
  SoupWebsocketConnection *conn;
  gchar *first_text;
  gboolean have_text;
  gboolean closed;
  gboolean done;
} Device;

static void
on_dev_message (
    SoupWebsocketConnection *c, gint type, GBytes *msg, gpointer data)
{
  Device *d = data;

  if (d->first_text == NULL && type == SOUP_WEBSOCKET_DATA_TEXT)
    d->first_text =
        g_strndup (g_bytes_get_data (msg, NULL), g_bytes_get_size (msg));
  d->have_text = d->first_text != NULL;
}

static void
on_dev_closed (SoupWebsocketConnection *c, gpointer data)
{
  ((Device *) data)->closed = TRUE;
}

static void
on_dev_connected (GObject *src, GAsyncResult *res, gpointer data)
{
  Device *d = data;

  d->conn =
      soup_session_websocket_connect_finish (SOUP_SESSION (src), res, NULL);
  d->done = TRUE;
  if (d->conn) {
    g_signal_connect (d->conn, "message", G_CALLBACK (on_dev_message), d);
    g_signal_connect (d->conn, "closed", G_CALLBACK (on_dev_closed), d);
  }
}

#define dev_iterate_until(d, flag) dev_iterate_until_ (d, flag, #flag)

static void
dev_iterate_until_ (Device *d, gboolean *flag, const gchar *what)
{
  gint64 end = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;

  /* libsoup continues on the thread-default context of each step */
  g_main_context_push_thread_default (d->ctx);
  while (!*flag && g_get_monotonic_time () < end)
    g_main_context_iteration (d->ctx, FALSE) || (g_usleep (1000), TRUE);
  g_main_context_pop_thread_default (d->ctx);
  fail_unless (*flag, "timed out waiting for %s", what);
}

static Device *
dev_connect (
    Cloud *c, const gchar *key, const gchar *model, const gchar *device)
{
  Device *d = g_new0 (Device, 1);
  gchar *uri = g_strdup_printf ("ws://127.0.0.1:%u/stream/ingest?api_key=%s"
                                "&device_id=%s&device_model_id=%s",
      c->port, key, device, model);
  SoupMessage *msg;

  d->ctx = g_main_context_new ();
  g_main_context_push_thread_default (d->ctx);
  d->session = soup_session_new ();
  msg = soup_message_new ("GET", uri);
  soup_session_websocket_connect_async (d->session, msg, NULL, NULL,
      G_PRIORITY_DEFAULT, NULL, on_dev_connected, d);
  g_main_context_pop_thread_default (d->ctx);
  dev_iterate_until (d, &d->done);
  fail_unless (d->conn != NULL);
  g_object_unref (msg);
  g_free (uri);
  return d;
}

static void
dev_wait_closed (Device *d, gushort code, const gchar *reason)
{
  dev_iterate_until (d, &d->closed);
  fail_unless_equals_int (
      soup_websocket_connection_get_close_code (d->conn), code);
  fail_unless_equals_string (
      soup_websocket_connection_get_close_data (d->conn), reason);
}

static void
dev_free (Device *d)
{
  if (d->conn)
    g_signal_handlers_disconnect_by_data (d->conn, d);
  g_clear_object (&d->conn);
  g_object_unref (d->session);
  g_main_context_push_thread_default (d->ctx);
  while (g_main_context_iteration (d->ctx, FALSE))
    ;
  g_main_context_pop_thread_default (d->ctx);
  g_main_context_unref (d->ctx);
  g_free (d->first_text);
  g_free (d);
}

/* The ingest rules: models from a file (slot ids not 0-based), 4001 for a
 * key not listed, 4004 for an unknown model and for a bad frame with the
 * validation reason, and a newer session of a device replacing the older. */
GST_START_TEST (test_cloud_ingest_rules)
{
  Cloud cloud = {
    0,
  };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree gchar *models = NULL;
  g_autoptr (GstRaehManifest) m = NULL;
  const gchar *extra[] = { "--raeh-api-key", "raeh_k1", "--raeh-device-models",
    NULL, NULL };
  GstRaehFrameHeader hdr = { 4, 1700000000000, 100, 0 };
  guint8 frame[12 + 200] = {
    0,
  };
  GBytes *b;
  Device *d, *d2;
  JsonObject *raeh;

  models = g_build_filename (g_get_tmp_dir (), "raehcloud-models.json", NULL);
  fail_unless (g_file_set_contents (models,
      "{\"device_models\": [{\"id\": \"m-1\", \"modality_channels\": ["
      "{\"slot_id\": 4, \"modality\": \"ppg_green\", \"sample_rate_hz\": 100,"
      " \"bit_depth\": 16, \"num_channels\": 1},"
      "{\"modality\": \"acc_3axis\", \"sample_rate_hz\": 50, \"bit_depth\": 16,"
      " \"num_channels\": 3}]}]}",
      -1, NULL));
  extra[3] = models;
  cloud_start_with (&cloud, extra);

  d = dev_connect (&cloud, "raeh_other", "m-1", "d1");
  dev_wait_closed (d, 4001, "Authentication failed: invalid api_key");
  dev_free (d);

  d = dev_connect (&cloud, "raeh_k1", "nope", "d1");
  dev_wait_closed (d, 4004, "device_model_id nope not found");
  dev_free (d);

  d = dev_connect (&cloud, "raeh_k1", "m-1", "d1");
  dev_iterate_until (d, &d->have_text);
  m = gst_raeh_manifest_parse (d->first_text, -1, NULL);
  fail_unless (m != NULL, "%s", d->first_text);
  fail_unless_equals_int (
      gst_raeh_manifest_find_modality (m, "ppg_green")->slot_id, 4);
  fail_unless_equals_int (
      gst_raeh_manifest_find_modality (m, "acc_3axis")->slot_id, 1);
  gst_raeh_frame_header_write (&hdr, frame);
  b = g_bytes_new (frame, sizeof (frame));
  soup_websocket_connection_send_message (
      d->conn, SOUP_WEBSOCKET_DATA_BINARY, b);
  g_bytes_unref (b);
  hdr.t0_epoch_ms += 1000;
  gst_raeh_frame_header_write (&hdr, frame);
  b = g_bytes_new (frame, 12 + 180);
  soup_websocket_connection_send_message (
      d->conn, SOUP_WEBSOCKET_DATA_BINARY, b);
  g_bytes_unref (b);
  dev_wait_closed (d, 4004,
      "payload size mismatch for slot 4 (ppg_green): got 180 bytes, "
      "expected 200");
  dev_free (d);

  /* one session per (model, device): the newer one closes the older */
  d = dev_connect (&cloud, "raeh_k1", "m-1", "d2");
  dev_iterate_until (d, &d->have_text);
  d2 = dev_connect (&cloud, "raeh_k1", "m-1", "d2");
  dev_wait_closed (d, 1000, "replaced by a newer session of the same device");
  fail_if (d2->closed);
  dev_free (d2);
  dev_free (d);

  raeh = cloud_stop (&cloud, parser);
  fail_unless_equals_int (
      json_array_get_length (json_object_get_array_member (raeh, "rejected")),
      2);
  fail_unless_equals_int (
      json_array_get_length (json_object_get_array_member (raeh, "sessions")),
      3);
  g_unlink (models);
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
  tcase_add_test (tc, test_cloud_404_path);
  tcase_add_test (tc, test_cloud_negotiation_errors);
  tcase_add_test (tc, test_cloud_ingest_rules);
  return s;
}

GST_CHECK_MAIN (raehcloud);
