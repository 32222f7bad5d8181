/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libgsthelios: channel table and paths, message classification per
 * channel, format -> caps, AsyncAPI channel lists.
 */
#include <gst/check/gstcheck.h>
#include <gst/helios/helios.h>

#define UUID "0b6f9a52-6d1e-4c3e-9a53-2a3c1b7f0d11"

GST_START_TEST (test_channel_lookup)
{
  struct
  {
    const gchar *name;
    GstHeliosChannelId id;
    const gchar *path;
    GstHeliosPayload payload;
  } rows[] = {
    { "device.telemetry", GST_HELIOS_CHANNEL_DEVICE_TELEMETRY,
        "/v1/ws/telemetry", GST_HELIOS_PAYLOAD_JSON },
    { "devices.updates", GST_HELIOS_CHANNEL_DEVICES_UPDATES, "/v1/ws/devices",
        GST_HELIOS_PAYLOAD_JSON },
    { "sensors.stream", GST_HELIOS_CHANNEL_SENSORS_STREAM, "/v1/ws/sensors",
        GST_HELIOS_PAYLOAD_JSON },
    { "imu.stream", GST_HELIOS_CHANNEL_IMU_STREAM, "/v1/ws/imu",
        GST_HELIOS_PAYLOAD_JSON },
    { "logs.stream", GST_HELIOS_CHANNEL_LOGS_STREAM, "/v1/ws/logs",
        GST_HELIOS_PAYLOAD_JSON },
    { "processes.stream", GST_HELIOS_CHANNEL_PROCESSES_STREAM,
        "/v1/ws/processes", GST_HELIOS_PAYLOAD_JSON },
    { "ota.stream", GST_HELIOS_CHANNEL_OTA_STREAM, "/v1/ws/ota",
        GST_HELIOS_PAYLOAD_JSON },
    { "updates.stream", GST_HELIOS_CHANNEL_UPDATES_STREAM, "/v1/ws/updates",
        GST_HELIOS_PAYLOAD_JSON },
    { "console.session", GST_HELIOS_CHANNEL_CONSOLE_SESSION, "/v1/ws/console",
        GST_HELIOS_PAYLOAD_INTERACTIVE },
    { "streams." UUID ".metrics", GST_HELIOS_CHANNEL_STREAM_METRICS,
        "/v1/ws/streams/" UUID "/metrics", GST_HELIOS_PAYLOAD_JSON },
    { "streams." UUID ".frames", GST_HELIOS_CHANNEL_STREAM_FRAMES,
        "/v1/ws/streams/" UUID "/frames", GST_HELIOS_PAYLOAD_FRAMES },
  };
  guint i, n;

  gst_helios_channels (&n);
  fail_unless_equals_int (n, 11);
  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    GError *err = NULL;
    gchar *id = NULL, *path;
    const GstHeliosChannel *c =
        gst_helios_channel_lookup (rows[i].name, &id, &err);

    fail_unless (c != NULL, "%s: %s", rows[i].name, err ? err->message : "");
    fail_unless_equals_int (c->id, rows[i].id);
    fail_unless_equals_int (c->payload, rows[i].payload);
    path = gst_helios_channel_build_path (c, id, NULL, NULL, NULL);
    fail_unless_equals_string (path, rows[i].path);
    g_free (path);
    g_free (id);
  }
}

GST_END_TEST;

GST_START_TEST (test_channel_errors)
{
  GError *err = NULL;
  gchar *id = (gchar *) "x";

  fail_unless (gst_helios_channel_lookup ("cpu.stream", &id, &err) == NULL);
  fail_unless (id == NULL);
  fail_unless (g_error_matches (
      err, GST_HELIOS_ERROR, GST_HELIOS_ERROR_UNKNOWN_CHANNEL));
  /* the message names the channel and lists the real ones */
  fail_unless (strstr (err->message, "'cpu.stream'") != NULL);
  fail_unless (strstr (err->message, "device.telemetry") != NULL);
  fail_unless (strstr (err->message, "streams.{stream_id}.frames") != NULL);
  g_clear_error (&err);

  fail_unless (
      gst_helios_channel_lookup ("streams.abc.frames", NULL, &err) == NULL);
  fail_unless (
      g_error_matches (err, GST_HELIOS_ERROR, GST_HELIOS_ERROR_BAD_STREAM_ID));
  fail_unless (strstr (err->message, "'abc'") != NULL);
  g_clear_error (&err);

  fail_unless (gst_helios_channel_lookup (
                   "streams.{stream_id}.metrics", NULL, &err) == NULL);
  fail_unless (
      g_error_matches (err, GST_HELIOS_ERROR, GST_HELIOS_ERROR_BAD_STREAM_ID));
  g_clear_error (&err);

  fail_unless (gst_helios_channel_lookup (
                   "streams." UUID ".outputs", NULL, &err) == NULL);
  fail_unless (g_error_matches (
      err, GST_HELIOS_ERROR, GST_HELIOS_ERROR_UNKNOWN_CHANNEL));
  g_clear_error (&err);

  fail_unless (gst_helios_channel_lookup ("", NULL, &err) == NULL);
  g_clear_error (&err);
  fail_unless (gst_helios_channel_lookup (NULL, NULL, &err) == NULL);
  g_clear_error (&err);
}

GST_END_TEST;

GST_START_TEST (test_paths_and_clamps)
{
  const GstHeliosChannel *c;
  GstStructure *v;
  GPtrArray *ignored = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *clamped = g_ptr_array_new_with_free_func (g_free);
  gchar *path;
  gint out;

  c = gst_helios_channel_get (GST_HELIOS_CHANNEL_DEVICE_TELEMETRY);
  v = gst_structure_new (
      "q", "interval_ms", G_TYPE_INT, 100, "lines", G_TYPE_INT, 5, NULL);
  path = gst_helios_channel_build_path (c, NULL, v, ignored, clamped);
  fail_unless_equals_string (path, "/v1/ws/telemetry?interval_ms=250");
  fail_unless_equals_int (clamped->len, 1);
  fail_unless_equals_string (
      g_ptr_array_index (clamped, 0), "interval_ms=100->250");
  fail_unless_equals_int (ignored->len, 1);
  fail_unless_equals_string (g_ptr_array_index (ignored, 0), "lines");
  g_free (path);
  gst_structure_free (v);
  g_ptr_array_set_size (ignored, 0);
  g_ptr_array_set_size (clamped, 0);

  c = gst_helios_channel_get (GST_HELIOS_CHANNEL_LOGS_STREAM);
  v = gst_structure_new ("q", "source", G_TYPE_STRING, "kernel log&x", "lines",
      G_TYPE_INT, 5000, "follow", G_TYPE_BOOLEAN, FALSE, NULL);
  path = gst_helios_channel_build_path (c, NULL, v, ignored, clamped);
  fail_unless_equals_string (
      path, "/v1/ws/logs?source=kernel%20log%26x&lines=2000&follow=false");
  fail_unless_equals_int (ignored->len, 0);
  fail_unless_equals_int (clamped->len, 1);
  g_free (path);
  gst_structure_free (v);
  g_ptr_array_set_size (clamped, 0);

  c = gst_helios_channel_get (GST_HELIOS_CHANNEL_STREAM_FRAMES);
  v = gst_structure_new ("q", "output", G_TYPE_STRING, "annotated", "restore",
      G_TYPE_BOOLEAN, TRUE, "poll_ms", G_TYPE_INT, 1, NULL);
  path = gst_helios_channel_build_path (c, UUID, v, ignored, clamped);
  fail_unless_equals_string (path,
      "/v1/ws/streams/" UUID "/frames?output=annotated&restore=true&poll_ms=5");
  g_free (path);
  gst_structure_free (v);

  /* defaults and ranges as the server applies them */
  c = gst_helios_channel_get (GST_HELIOS_CHANNEL_DEVICES_UPDATES);
  fail_unless_equals_int (
      gst_helios_channel_find_param (c, "interval_ms")->default_int, 2000);
  c = gst_helios_channel_get (GST_HELIOS_CHANNEL_PROCESSES_STREAM);
  fail_if (gst_helios_param_clamp (
      gst_helios_channel_find_param (c, "limit"), 5, &out));
  fail_unless_equals_int (out, 10);
  c = gst_helios_channel_get (GST_HELIOS_CHANNEL_UPDATES_STREAM);
  fail_if (gst_helios_param_clamp (
      gst_helios_channel_find_param (c, "heartbeat_ms"), 90000, &out));
  fail_unless_equals_int (out, 60000);
  fail_unless (gst_helios_param_clamp (
      gst_helios_channel_find_param (c, "heartbeat_ms"), 15000, &out));
  c = gst_helios_channel_get (GST_HELIOS_CHANNEL_SENSORS_STREAM);
  fail_unless_equals_int (c->n_params, 0);

  g_ptr_array_unref (ignored);
  g_ptr_array_unref (clamped);
}

GST_END_TEST;

GST_START_TEST (test_sensors_subscribe)
{
  const gchar *kinds[] = { "imu", "power", NULL };
  const gchar *bad[] = { "imu", "sonar", NULL };
  GError *err = NULL;
  gchar *op;

  op = gst_helios_sensors_subscribe_op (kinds, 0, NULL);
  fail_unless_equals_string (
      op, "{\"op\":\"subscribe\",\"kinds\":[\"imu\",\"power\"]}");
  g_free (op);
  op = gst_helios_sensors_subscribe_op (kinds, 10, NULL);
  fail_unless_equals_string (op,
      "{\"op\":\"subscribe\",\"kinds\":[\"imu\",\"power\"],\"interval_ms\":"
      "50}");
  g_free (op);
  fail_unless (gst_helios_sensors_subscribe_op (bad, 0, &err) == NULL);
  fail_unless (
      g_error_matches (err, GST_HELIOS_ERROR, GST_HELIOS_ERROR_BAD_PARAM));
  fail_unless (strstr (err->message, "'sonar'") != NULL);
  g_clear_error (&err);
  fail_unless (gst_helios_sensors_subscribe_op (NULL, 0, &err) == NULL);
  g_clear_error (&err);
}

GST_END_TEST;

static GstHeliosMessageKind
kind_of (GstHeliosChannelId channel, const gchar *text)
{
  GstHeliosMessage msg;
  GstHeliosMessageKind kind;
  GError *err = NULL;

  fail_unless (gst_helios_message_parse (channel, text, -1, &msg, &err),
      "%s: %s", text, err ? err->message : "");
  kind = msg.kind;
  gst_helios_message_clear (&msg);
  return kind;
}

GST_START_TEST (test_message_kinds)
{
  struct
  {
    GstHeliosChannelId channel;
    const gchar *text;
    GstHeliosMessageKind kind;
  } rows[] = {
    { GST_HELIOS_CHANNEL_DEVICE_TELEMETRY,
        "{\"timestamp_ms\":1,\"cpu\":{\"usage_percent\":3}}",
        GST_HELIOS_MESSAGE_DATA },
    { GST_HELIOS_CHANNEL_DEVICE_TELEMETRY, "{\"type\":\"bogus\"}",
        GST_HELIOS_MESSAGE_UNKNOWN },
    { GST_HELIOS_CHANNEL_DEVICES_UPDATES,
        "{\"type\":\"ready\",\"interval_ms\":2000}", GST_HELIOS_MESSAGE_READY },
    { GST_HELIOS_CHANNEL_DEVICES_UPDATES,
        "{\"type\":\"update\",\"timestamp_ms\":5,\"reasons\":[\"usb\"]}",
        GST_HELIOS_MESSAGE_DATA },
    { GST_HELIOS_CHANNEL_DEVICES_UPDATES,
        "{\"type\":\"error\",\"message\":\"x\"}", GST_HELIOS_MESSAGE_ERROR },
    { GST_HELIOS_CHANNEL_DEVICES_UPDATES, "{\"reasons\":[]}",
        GST_HELIOS_MESSAGE_UNKNOWN },
    { GST_HELIOS_CHANNEL_SENSORS_STREAM, "{\"imu\":{},\"power\":{}}",
        GST_HELIOS_MESSAGE_DATA },
    { GST_HELIOS_CHANNEL_SENSORS_STREAM, "{\"firmware\":{\"version\":\"1\"}}",
        GST_HELIOS_MESSAGE_DATA },
    { GST_HELIOS_CHANNEL_SENSORS_STREAM,
        "{\"status\":\"sensors_stream_unavailable\",\"reason\":\"no io\"}",
        GST_HELIOS_MESSAGE_ERROR },
    { GST_HELIOS_CHANNEL_IMU_STREAM, "{\"accel\":{}}",
        GST_HELIOS_MESSAGE_DATA },
    { GST_HELIOS_CHANNEL_IMU_STREAM,
        "{\"status\":\"imu_stream_unavailable\",\"reason\":\"off\"}",
        GST_HELIOS_MESSAGE_ERROR },
    { GST_HELIOS_CHANNEL_LOGS_STREAM, "{\"type\":\"ready\",\"source\":{}}",
        GST_HELIOS_MESSAGE_READY },
    { GST_HELIOS_CHANNEL_LOGS_STREAM,
        "{\"type\":\"line\",\"timestamp_ms\":1,\"line\":\"a\"}",
        GST_HELIOS_MESSAGE_DATA },
    { GST_HELIOS_CHANNEL_LOGS_STREAM, "{\"type\":\"eof\"}",
        GST_HELIOS_MESSAGE_EOF },
    { GST_HELIOS_CHANNEL_LOGS_STREAM, "{\"type\":\"lines\"}",
        GST_HELIOS_MESSAGE_UNKNOWN },
    { GST_HELIOS_CHANNEL_PROCESSES_STREAM,
        "{\"type\":\"snapshot\",\"snapshot\":{}}", GST_HELIOS_MESSAGE_DATA },
    { GST_HELIOS_CHANNEL_OTA_STREAM,
        "{\"type\":\"rollback_triggered\",\"update_id\":\"u\",\"reason\":"
        "\"r\"}",
        GST_HELIOS_MESSAGE_DATA },
    { GST_HELIOS_CHANNEL_OTA_STREAM, "{\"type\":\"error\",\"message\":\"m\"}",
        GST_HELIOS_MESSAGE_ERROR },
    { GST_HELIOS_CHANNEL_UPDATES_STREAM,
        "{\"type\":\"heartbeat\",\"timestamp_ms\":1}",
        GST_HELIOS_MESSAGE_HEARTBEAT },
    { GST_HELIOS_CHANNEL_STREAM_METRICS,
        "{\"stream_id\":\"" UUID "\",\"metrics\":{},\"timestamp_ms\":3}",
        GST_HELIOS_MESSAGE_DATA },
    { GST_HELIOS_CHANNEL_STREAM_METRICS,
        "{\"error\":\"stream not running\",\"code\":\"not_found\"}",
        GST_HELIOS_MESSAGE_ERROR },
    { GST_HELIOS_CHANNEL_STREAM_FRAMES,
        "{\"type\":\"format\",\"fourcc\":\"MJPG\",\"width\":2,\"height\":2}",
        GST_HELIOS_MESSAGE_FORMAT },
    { GST_HELIOS_CHANNEL_STREAM_FRAMES,
        "{\"type\":\"error\",\"error\":\"gone\"}", GST_HELIOS_MESSAGE_ERROR },
    { GST_HELIOS_CHANNEL_STREAM_FRAMES, "{\"type\":\"frame\"}",
        GST_HELIOS_MESSAGE_UNKNOWN },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    fail_unless_equals_int_hex (
        kind_of (rows[i].channel, rows[i].text), rows[i].kind);
  }
}

GST_END_TEST;

GST_START_TEST (test_message_fields)
{
  GstHeliosMessage msg;
  GError *err = NULL;

  fail_unless (gst_helios_message_parse (GST_HELIOS_CHANNEL_UPDATES_STREAM,
      "{\"type\":\"change\",\"event\":{\"seq\":42,\"timestamp_ms\":77,"
      "\"domain\":\"streams\"}}",
      -1, &msg, NULL));
  fail_unless_equals_int (msg.kind, GST_HELIOS_MESSAGE_DATA);
  fail_unless_equals_int64 (msg.seq, 42);
  fail_unless_equals_int64 (msg.timestamp_ms, 77);
  fail_unless_equals_string (msg.type, "change");
  gst_helios_message_clear (&msg);

  fail_unless (gst_helios_message_parse (GST_HELIOS_CHANNEL_SENSORS_STREAM,
      "{\"status\":\"sensors_stream_unavailable\",\"reason\":\"no io\","
      "\"code\":503}",
      -1, &msg, NULL));
  fail_unless_equals_string (msg.error_message, "no io");
  fail_unless_equals_string (msg.error_code, "503");
  gst_helios_message_clear (&msg);

  fail_unless (gst_helios_message_parse (GST_HELIOS_CHANNEL_STREAM_FRAMES,
      "{\"type\":\"format\",\"fourcc\":\"NV12\",\"width\":640,"
      "\"height\":480.0}",
      -1, &msg, NULL));
  fail_unless_equals_string (msg.fourcc, "NV12");
  fail_unless_equals_int (msg.width, 640);
  fail_unless_equals_int (msg.height, 480);
  gst_helios_message_clear (&msg);

  /* bad input: clear errors, msg left cleared */
  fail_if (gst_helios_message_parse (GST_HELIOS_CHANNEL_STREAM_FRAMES,
      "{\"type\":\"format\",\"fourcc\":\"MJPG\",\"width\":0,"
      "\"height\":2}",
      -1, &msg, &err));
  fail_unless (
      g_error_matches (err, GST_HELIOS_ERROR, GST_HELIOS_ERROR_BAD_FORMAT));
  fail_unless (msg.root == NULL && msg.fourcc == NULL);
  g_clear_error (&err);
  fail_if (gst_helios_message_parse (GST_HELIOS_CHANNEL_STREAM_FRAMES,
      "{\"type\":\"format\",\"fourcc\":7,\"width\":1,\"height\":2}", -1, &msg,
      &err));
  fail_unless (g_error_matches (err, GST_HELIOS_ERROR, GST_HELIOS_ERROR_PARSE));
  g_clear_error (&err);
  fail_if (gst_helios_message_parse (
      GST_HELIOS_CHANNEL_LOGS_STREAM, "[1,2]", -1, &msg, &err));
  fail_unless (g_error_matches (err, GST_HELIOS_ERROR, GST_HELIOS_ERROR_PARSE));
  g_clear_error (&err);
  fail_if (gst_helios_message_parse (
      GST_HELIOS_CHANNEL_LOGS_STREAM, "{\"type\":", -1, &msg, &err));
  g_clear_error (&err);
  fail_if (gst_helios_message_parse (
      GST_HELIOS_CHANNEL_LOGS_STREAM, "{}\0{}", 5, &msg, &err));
  g_clear_error (&err);
  fail_if (gst_helios_message_parse (
      GST_HELIOS_CHANNEL_LOGS_STREAM, "", 0, &msg, &err));
  g_clear_error (&err);
}

GST_END_TEST;

GST_START_TEST (test_message_line)
{
  GstHeliosMessage msg;
  const gchar *one = "{\"type\":\"line\",\"line\":\"a b\"}";
  const gchar *pretty = "{\n  \"type\": \"line\",\n  \"line\": \"x\"\n}\n";
  GBytes *b;

  fail_unless (gst_helios_message_parse (
      GST_HELIOS_CHANNEL_LOGS_STREAM, one, -1, &msg, NULL));
  b = gst_helios_message_to_line (&msg, one, strlen (one));
  fail_unless_equals_int (g_bytes_get_size (b), strlen (one) + 1);
  fail_unless (memcmp (g_bytes_get_data (b, NULL), one, strlen (one)) == 0);
  fail_unless_equals_int (
      ((const gchar *) g_bytes_get_data (b, NULL))[strlen (one)], '\n');
  g_bytes_unref (b);
  gst_helios_message_clear (&msg);

  fail_unless (gst_helios_message_parse (
      GST_HELIOS_CHANNEL_LOGS_STREAM, pretty, -1, &msg, NULL));
  b = gst_helios_message_to_line (&msg, pretty, strlen (pretty));
  fail_unless_equals_int (g_bytes_get_size (b), 27);
  fail_unless (memcmp (g_bytes_get_data (b, NULL),
                   "{\"type\":\"line\",\"line\":\"x\"}\n", 27) == 0);
  g_bytes_unref (b);
  gst_helios_message_clear (&msg);
}

GST_END_TEST;

GST_START_TEST (test_format_caps)
{
  struct
  {
    const gchar *fourcc;
    const gchar *caps;
    gsize size;
  } rows[] = {
    { "MJPG",
        "image/jpeg, width=(int)64, height=(int)48, "
        "framerate=(fraction)0/1",
        0 },
    { "H264",
        "video/x-h264, stream-format=(string)byte-stream, "
        "alignment=(string)au, width=(int)64, height=(int)48, "
        "framerate=(fraction)0/1",
        0 },
    { "YUYV",
        "video/x-raw, format=(string)YUY2, width=(int)64, "
        "height=(int)48, framerate=(fraction)0/1",
        64 * 48 * 2 },
    { "NV12",
        "video/x-raw, format=(string)NV12, width=(int)64, "
        "height=(int)48, framerate=(fraction)0/1",
        64 * 48 * 3 / 2 },
    { "GREY",
        "video/x-raw, format=(string)GRAY8, width=(int)64, "
        "height=(int)48, framerate=(fraction)0/1",
        64 * 48 },
    { "RGB3",
        "video/x-raw, format=(string)RGB, width=(int)64, "
        "height=(int)48, framerate=(fraction)0/1",
        64 * 48 * 3 },
  };
  GstCaps *tmpl = gst_caps_from_string (GST_HELIOS_FRAME_CAPS);
  GError *err = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    GstCaps *caps = gst_helios_format_to_caps (rows[i].fourcc, 64, 48, NULL);
    GstCaps *want = gst_caps_from_string (rows[i].caps);

    fail_unless (caps != NULL, "%s", rows[i].fourcc);
    fail_unless (gst_caps_is_fixed (caps));
    fail_unless (gst_caps_is_subset (caps, want), "%s: %" GST_PTR_FORMAT,
        rows[i].fourcc, caps);
    fail_unless (gst_caps_is_subset (caps, tmpl), "%" GST_PTR_FORMAT, caps);
    fail_unless_equals_int (
        gst_helios_format_frame_size (rows[i].fourcc, 64, 48), rows[i].size);
    gst_caps_unref (caps);
    gst_caps_unref (want);
  }
  /* the device packs rows tightly, whatever the width */
  {
    GstHeliosFrameLayout l;

    fail_unless (gst_helios_format_frame_layout ("GREY", 2, 2, &l));
    fail_unless_equals_int (l.size, 4);
    fail_unless_equals_int (l.stride[0], 2);
    fail_unless (gst_helios_format_frame_layout ("NV12", 3, 3, &l));
    fail_unless_equals_int (l.n_planes, 2);
    fail_unless_equals_int (l.offset[1], 9);
    fail_unless_equals_int (l.stride[1], 4);
    fail_unless_equals_int (l.size, 9 + 4 * 2);
    fail_unless (gst_helios_format_frame_layout ("YUYV", 3, 1, &l));
    fail_unless_equals_int (l.size, 8);
    fail_unless (gst_helios_format_frame_layout ("RGB3", 5, 1, &l));
    fail_unless_equals_int (l.size, 15);
    fail_if (gst_helios_format_frame_layout ("MJPG", 5, 1, &l));
    fail_if (gst_helios_format_frame_layout ("XXXX", 5, 1, &l));
  }
  fail_unless (gst_helios_format_to_caps ("VP80", 64, 48, &err) == NULL);
  fail_unless (
      g_error_matches (err, GST_HELIOS_ERROR, GST_HELIOS_ERROR_UNKNOWN_FOURCC));
  fail_unless (strstr (err->message, "'VP80'") != NULL, "%s", err->message);
  g_clear_error (&err);
  fail_unless (gst_helios_format_to_caps ("\x01\xff\"", 64, 48, &err) == NULL);
  g_clear_error (&err);
  fail_unless (gst_helios_format_to_caps ("MJPG", 0, 48, &err) == NULL);
  fail_unless (
      g_error_matches (err, GST_HELIOS_ERROR, GST_HELIOS_ERROR_BAD_FORMAT));
  g_clear_error (&err);
  gst_caps_unref (tmpl);
}

GST_END_TEST;

GST_START_TEST (test_asyncapi)
{
  gchar *doc = gst_helios_asyncapi_build ("localhost:5800");
  const gchar *v3 = "{\"asyncapi\":\"3.0.0\",\"channels\":{\"a\":"
                    "{\"address\":\"device.telemetry\"},\"b\":{\"address\":"
                    "\"streams.{id}.frames\"}}}";
  GError *err = NULL;
  gchar **names;

  names = gst_helios_asyncapi_parse_channels (doc, strlen (doc), &err);
  fail_unless (names != NULL, "%s", err ? err->message : "");
  fail_unless_equals_int (g_strv_length (names), 11);
  fail_unless_equals_string (names[0], "console.session");
  fail_unless (strstr (doc, "\"url\":\"localhost:5800/v1/ws\"") != NULL);
  fail_unless (
      gst_helios_asyncapi_lists ((const gchar *const *) names, "logs.stream"));
  fail_unless (gst_helios_asyncapi_lists (
      (const gchar *const *) names, "streams." UUID ".frames"));
  fail_if (gst_helios_asyncapi_lists (
      (const gchar *const *) names, "streams..frames"));
  fail_if (
      gst_helios_asyncapi_lists ((const gchar *const *) names, "cpu.stream"));
  fail_unless (gst_helios_asyncapi_is_helios ((const gchar *const *) names));
  g_strfreev (names);
  g_free (doc);

  /* AsyncAPI 3: ids and addresses both count */
  names = gst_helios_asyncapi_parse_channels (v3, strlen (v3), NULL);
  fail_unless_equals_int (g_strv_length (names), 4);
  fail_unless (gst_helios_asyncapi_lists ((const gchar *const *) names, "a"));
  fail_unless (gst_helios_asyncapi_lists (
      (const gchar *const *) names, "streams.x.frames"));
  fail_unless (gst_helios_asyncapi_is_helios ((const gchar *const *) names));
  g_strfreev (names);

  /* paths instead of names: not a list to refuse channels by */
  names = gst_helios_asyncapi_parse_channels (
      "{\"channels\":{\"/v1/ws/telemetry\":{}}}", 36, NULL);
  fail_unless (names != NULL);
  fail_if (gst_helios_asyncapi_is_helios ((const gchar *const *) names));
  g_strfreev (names);

  fail_unless (
      gst_helios_asyncapi_parse_channels ("{\"info\":{}}", 11, &err) == NULL);
  fail_unless (g_error_matches (err, GST_HELIOS_ERROR, GST_HELIOS_ERROR_PARSE));
  g_clear_error (&err);
  fail_unless (gst_helios_asyncapi_parse_channels ("<html>", 6, &err) == NULL);
  g_clear_error (&err);
}

GST_END_TEST;

static gchar *
brackets_after (const gchar *prefix, guint n, const gchar *suffix)
{
  GString *s = g_string_new (prefix);

  while (n-- > 0)
    g_string_append_c (s, '[');
  g_string_append (s, suffix);
  return g_string_free (s, FALSE);
}

/* json-glib recursed into any depth: deep or disguised nesting is refused
 * by the strict check before it parses */
GST_START_TEST (test_strict_json)
{
  struct
  {
    gchar *text;
    const gchar *message;
  } messages[] = {
    { brackets_after ("", 100000, ""),
        "not JSON: nesting deeper than 64 at byte 64" },
    { brackets_after ("{\"type\":\"log\",\"data\":", 100000, ""),
        "not JSON: nesting deeper than 64 at byte 84" },
    { brackets_after ("{\"type\":\"log\",/*\"*/\"data\":", 100000, ""),
        "not JSON: comments are not JSON at byte 14" },
    { g_strdup ("{\"type\":'log'}"),
        "not JSON: single-quoted strings are not JSON at byte 8" },
    { g_strdup ("{\"timestamp_ms\":0x10}"),
        "not JSON: unexpected 'x' in a number at byte 17" },
    { g_strdup ("{}{}"),
        "not JSON: unexpected '{', expected the end after the value at byte "
        "2" },
  };
  gchar *doc;
  GError *err = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (messages); i++) {
    GstHeliosMessage msg;

    fail_if (gst_helios_message_parse (
        GST_HELIOS_CHANNEL_LOGS_STREAM, messages[i].text, -1, &msg, &err));
    fail_unless (
        g_error_matches (err, GST_HELIOS_ERROR, GST_HELIOS_ERROR_PARSE));
    fail_unless_equals_string (err->message, messages[i].message);
    g_clear_error (&err);
    g_free (messages[i].text);
  }

  doc = brackets_after ("{\"channels\":{\"/v1/ws/logs\":{\"x\":", 100000, "");
  fail_unless (
      gst_helios_asyncapi_parse_channels (doc, strlen (doc), &err) == NULL);
  fail_unless (g_error_matches (err, GST_HELIOS_ERROR, GST_HELIOS_ERROR_PARSE));
  fail_unless_equals_string (err->message,
      "AsyncAPI document is not JSON: nesting deeper than 64 at byte 93");
  g_clear_error (&err);
  g_free (doc);
  doc = brackets_after ("{\"channels\":{/*\"*/", 100000, "");
  fail_unless (
      gst_helios_asyncapi_parse_channels (doc, strlen (doc), &err) == NULL);
  fail_unless_equals_string (err->message,
      "AsyncAPI document is not JSON: comments are not JSON at byte 13");
  g_clear_error (&err);
  g_free (doc);
}

GST_END_TEST;

static Suite *
helios_suite (void)
{
  Suite *s = suite_create ("helios");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_channel_lookup);
  tcase_add_test (tc, test_channel_errors);
  tcase_add_test (tc, test_paths_and_clamps);
  tcase_add_test (tc, test_sensors_subscribe);
  tcase_add_test (tc, test_message_kinds);
  tcase_add_test (tc, test_message_fields);
  tcase_add_test (tc, test_message_line);
  tcase_add_test (tc, test_format_caps);
  tcase_add_test (tc, test_asyncapi);
  tcase_add_test (tc, test_strict_json);
  return s;
}

GST_CHECK_MAIN (helios);
