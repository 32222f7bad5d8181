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

/* ---- GstHeliosSession: message sequences in, callbacks out ---- */

/* What a session reported, one line per callback. */
typedef struct
{
  GString *log;
  GPtrArray *states;  /* GstStructure */
  GPtrArray *details; /* GstStructure of warnings and ends */
  GPtrArray *caps;    /* GstCaps of format callbacks */
} Record;

static void rec_line (Record *r, const gchar *format, ...) G_GNUC_PRINTF (2, 3);

static void
rec_line (Record *r, const gchar *format, ...)
{
  va_list args;

  va_start (args, format);
  g_string_append_vprintf (r->log, format, args);
  va_end (args);
  g_string_append_c (r->log, '\n');
}

static void
rec_state (GstHeliosSession *session, GstStructure *state, gpointer user_data)
{
  Record *r = user_data;

  fail_unless (gst_structure_has_name (state, "sensor-connection-state"));
  rec_line (r, "state %s (%s)", gst_structure_get_string (state, "state"),
      gst_structure_get_string (state, "reason"));
  g_ptr_array_add (r->states, state);
}

static void
rec_data (GstHeliosSession *session, GBytes *payload, gboolean discont,
    gpointer user_data)
{
  gsize len;
  const gchar *data = g_bytes_get_data (payload, &len);
  g_autofree gchar *text = g_strndup (data, len);

  rec_line (
      user_data, "data%s %s", discont ? " discont" : "", g_strchomp (text));
  g_bytes_unref (payload);
}

static void
rec_format (GstHeliosSession *session, const gchar *fourcc, guint width,
    guint height, GstCaps *caps, gpointer user_data)
{
  Record *r = user_data;

  rec_line (r, "format %s %ux%u", fourcc, width, height);
  g_ptr_array_add (r->caps, gst_caps_ref (caps));
}

static void
rec_warning (GstHeliosSession *session, const GError *error, const gchar *debug,
    GstStructure *details, gpointer user_data)
{
  Record *r = user_data;

  rec_line (r, "warning %s %d: %s [%s]", g_quark_to_string (error->domain),
      error->code, error->message, debug);
  g_ptr_array_add (r->details, details);
}

static void
rec_failure (GstHeliosSession *session, GstSensorNetFailureKind kind,
    const GstSensorNetWsCloseInfo *info, guint failures, gpointer user_data)
{
  rec_line (user_data, "failure %s %u",
      kind == GST_SENSOR_NET_FAILURE_FATAL ? "fatal" : "transient", failures);
}

static void
rec_end (GstHeliosSession *session, GstHeliosSessionEnd how,
    const GError *error, const gchar *debug, GstStructure *details,
    gpointer user_data)
{
  Record *r = user_data;
  static const gchar *names[] = { "eos", "stream-error", "lost", "fatal" };

  if (error)
    rec_line (r, "end %s %s %d: %s [%s]", names[how],
        g_quark_to_string (error->domain), error->code, error->message, debug);
  else
    rec_line (r, "end %s", names[how]);
  if (details)
    g_ptr_array_add (r->details, details);
}

static const GstHeliosSessionCallbacks rec_callbacks = {
  .state = rec_state,
  .data = rec_data,
  .format = rec_format,
  .warning = rec_warning,
  .failure = rec_failure,
  .end = rec_end,
};

static Record *
record_new (void)
{
  Record *r = g_new0 (Record, 1);

  r->log = g_string_new (NULL);
  r->states =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gst_structure_free);
  r->details =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gst_structure_free);
  r->caps = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_caps_unref);
  return r;
}

static void
record_free (Record *r)
{
  g_string_free (r->log, TRUE);
  g_ptr_array_unref (r->states);
  g_ptr_array_unref (r->details);
  g_ptr_array_unref (r->caps);
  g_free (r);
}

/* A session of @channel reporting into a new Record (freed with it). */
static GstHeliosSession *
session_for (const gchar *channel, Record **r)
{
  GstHeliosSessionParams p;
  GError *err = NULL;
  GstHeliosSession *session;

  gst_helios_session_params_init (&p);
  p.channel = channel;
  *r = record_new ();
  session = gst_helios_session_new (
      &p, &rec_callbacks, *r, (GDestroyNotify) record_free, &err);
  fail_unless (session != NULL, "%s", err ? err->message : "");
  return session;
}

static void
feed_text (GstHeliosSession *session, const gchar *text)
{
  GBytes *b = g_bytes_new (text, strlen (text));

  gst_helios_session_handle_message (session, SOUP_WEBSOCKET_DATA_TEXT, b);
  g_bytes_unref (b);
}

static void
feed_binary (GstHeliosSession *session, gsize len)
{
  GBytes *b = g_bytes_new_take (g_malloc0 (len ? len : 1), len);

  gst_helios_session_handle_message (session, SOUP_WEBSOCKET_DATA_BINARY, b);
  g_bytes_unref (b);
}

#define assert_log(r, want)                                                    \
  G_STMT_START                                                                 \
  {                                                                            \
    fail_unless_equals_string ((r)->log->str, want);                           \
    g_string_truncate ((r)->log, 0);                                           \
  }                                                                            \
  G_STMT_END

GST_START_TEST (test_session_new)
{
  struct
  {
    const gchar *location, *channel, *kinds;
    gint code;
    const gchar *message;
  } bad[] = {
    { "ws://d:5800", "cpu.stream", NULL, GST_HELIOS_ERROR_UNKNOWN_CHANNEL,
        NULL },
    { "ws://d:5800", "streams.x.frames", NULL, GST_HELIOS_ERROR_BAD_STREAM_ID,
        NULL },
    { "ws://d:5800", "console.session", NULL, GST_HELIOS_ERROR_INTERACTIVE,
        "HeliOS channel console.session is an interactive shell (it needs "
        "input), not a data stream; heliossrc does not open it" },
    { "http://d:5800", "device.telemetry", NULL, GST_HELIOS_ERROR_BAD_PARAM,
        "location must be ws://host[:port] or wss://host[:port], not "
        "'http://d:5800'" },
    { "ws:x", "device.telemetry", NULL, GST_HELIOS_ERROR_BAD_PARAM, NULL },
    { "ws://d:5800", "sensors.stream", "imu,gps", GST_HELIOS_ERROR_BAD_PARAM,
        NULL },
  };
  GstHeliosSessionParams p;
  GstHeliosSession *session;
  GError *err = NULL;
  gchar *op;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    gst_helios_session_params_init (&p);
    p.location = bad[i].location;
    p.channel = bad[i].channel;
    if (bad[i].kinds)
      p.kinds = bad[i].kinds;
    fail_unless (
        gst_helios_session_new (&p, NULL, NULL, NULL, &err) == NULL, "%u", i);
    fail_unless (g_error_matches (err, GST_HELIOS_ERROR, bad[i].code), "%u: %s",
        i, err ? err->message : "no error");
    if (bad[i].message)
      fail_unless_equals_string (err->message, bad[i].message);
    g_clear_error (&err);
  }

  /* parameters the channel takes go into the query, clamped */
  gst_helios_session_params_init (&p);
  p.location = "wss://raze.local:5900";
  p.channel = "processes.stream";
  p.interval_ms = 100;
  p.limit = 50;
  p.poll_ms = 20; /* frames only: ignored */
  session = gst_helios_session_new (&p, NULL, NULL, NULL, &err);
  fail_unless (session != NULL);
  fail_unless_equals_string (gst_helios_session_get_uri (session),
      "wss://raze.local:5900/v1/ws/processes?interval_ms=250&limit=50");
  fail_unless_equals_int (gst_helios_session_get_channel (session)->id,
      GST_HELIOS_CHANNEL_PROCESSES_STREAM);
  fail_unless (gst_helios_session_dup_open_op (session) == NULL);
  gst_helios_session_free (session);

  /* sensors.stream: the interval goes into the subscribe op */
  p.channel = "sensors.stream";
  p.kinds = "imu, power";
  p.interval_ms = 20;
  p.limit = 0;
  p.poll_ms = 0;
  session = gst_helios_session_new (&p, NULL, NULL, NULL, &err);
  fail_unless_equals_string (gst_helios_session_get_uri (session),
      "wss://raze.local:5900/v1/ws/sensors");
  op = gst_helios_session_dup_open_op (session);
  fail_unless_equals_string (op,
      "{\"op\":\"subscribe\",\"kinds\":[\"imu\",\"power\"],\"interval_ms\":"
      "50}");
  g_free (op);
  gst_helios_session_free (session);
}

GST_END_TEST;

GST_START_TEST (test_session_json)
{
  Record *r;
  GstHeliosSession *session = session_for ("logs.stream", &r);
  GstHeliosSessionStats st;
  const GstStructure *s, *d;

  gst_helios_session_handle_opened (session);
  feed_text (session, "{\"type\":\"ready\",\"lines\":2}");
  feed_text (session, "{\"type\":\"line\",\"line\":\"a\"}");
  feed_text (session, "{ \"type\": \"line\",\n  \"line\": \"b\" }");
  feed_text (session, "{\"type\":\"stats\"}");
  feed_text (session, "{\"type\":\"line\"");
  feed_text (session, "[1]");
  feed_binary (session, 4);
  feed_text (session,
      "{\"type\":\"error\",\"message\":\"journal rotated\",\"code\":7}");
  feed_text (session, "{\"type\":\"eof\"}");
  /* the session is over: counted, nothing reported */
  feed_text (session, "{\"type\":\"line\",\"line\":\"c\"}");
  assert_log (r,
      "state connected ()\n"
      "state ready ()\n"
      "data discont {\"type\":\"line\",\"line\":\"a\"}\n"
      "data {\"type\":\"line\",\"line\":\"b\"}\n"
      "warning gst-resource-error-quark 9: HeliOS device reported an error "
      "on logs.stream: journal rotated [message: "
      "{\\\"type\\\":\\\"error\\\",\\\"message\\\":\\\"journal rotated\\\","
      "\\\"code\\\":7}]\n"
      "end eos\n");

  s = g_ptr_array_index (r->states, 0);
  fail_unless_equals_string (
      gst_structure_get_string (s, "channel"), "logs.stream");
  fail_unless_equals_string (
      gst_structure_get_string (s, "uri"), "ws://localhost:5800/v1/ws/logs");
  s = g_ptr_array_index (r->states, 1);
  fail_unless_equals_string (gst_structure_get_string (s, "message"),
      "{\"type\":\"ready\",\"lines\":2}");
  d = g_ptr_array_index (r->details, 0);
  fail_unless_equals_string (
      gst_structure_get_string (d, "device-message"), "journal rotated");
  fail_unless_equals_string (gst_structure_get_string (d, "device-code"), "7");

  gst_helios_session_get_stats (session, &st);
  fail_unless (st.connected);
  fail_unless_equals_int (st.messages_received, 10);
  fail_unless_equals_int (st.skipped_unknown, 1);
  fail_unless_equals_int (st.skipped_invalid, 2);
  fail_unless_equals_int (st.skipped_wrong_type, 1);
  fail_unless_equals_int (st.device_errors, 1);
  fail_unless_equals_int (st.notices, 1);
  gst_helios_session_free (session);
}

GST_END_TEST;

#define FRAMES "streams." UUID ".frames"

GST_START_TEST (test_session_frames)
{
  Record *r;
  GstHeliosSession *session = session_for (FRAMES, &r);
  GstHeliosSessionStats st;
  GstCaps *want;
  const GstStructure *d;

  gst_helios_session_handle_opened (session);
  feed_binary (session, 24); /* before any format */
  feed_text (session,
      "{\"type\":\"format\",\"fourcc\":\"GREY\",\"width\":4,\"height\":6}");
  feed_binary (session, 24);
  feed_binary (session, 23); /* wrong raw size */
  feed_binary (session, 0);
  /* the same format again: nothing to renegotiate */
  feed_text (session,
      "{\"type\":\"format\",\"fourcc\":\"GREY\",\"width\":4,\"height\":6}");
  feed_text (session,
      "{\"type\":\"format\",\"fourcc\":\"MJPG\",\"width\":2,\"height\":2}");
  feed_binary (session, 5); /* compressed: any size */
  feed_text (session,
      "{\"type\":\"format\",\"fourcc\":\"VP80\",\"width\":2,"
      "\"height\":2}");
  feed_binary (session, 5);
  assert_log (r,
      "state connected ()\n"
      "format GREY 4x6\n"
      "data discont \n"
      "format MJPG 2x2\n"
      "data \n"
      "end stream-error gst-stream-error-quark 11: HeliOS frames channel sent "
      "a format heliossrc cannot handle: Unknown frame format fourcc 'VP80' "
      "(known: "
      "MJPG, "
      "H264, YUYV, NV12, GREY, RGB3) [format message: fourcc 'VP80', 2x2]\n");
  want = gst_caps_from_string (
      "video/x-raw, format=GRAY8, width=4, height=6, framerate=0/1");
  fail_unless (gst_caps_is_subset (g_ptr_array_index (r->caps, 0), want));
  gst_caps_unref (want);
  d = g_ptr_array_index (r->details, 0);
  fail_unless_equals_string (gst_structure_get_string (d, "fourcc"), "VP80");

  gst_helios_session_get_stats (session, &st);
  fail_unless_equals_int (st.skipped_frames, 3);
  fail_unless_equals_int (st.format_changes, 2);
  gst_helios_session_free (session);

  /* a size out of range ends the stream as well */
  session = session_for (FRAMES, &r);
  feed_text (session,
      "{\"type\":\"format\",\"fourcc\":\"MJPG\",\"width\":0,"
      "\"height\":2}");
  assert_log (r,
      "end stream-error gst-stream-error-quark 11: HeliOS frames channel sent "
      "an invalid format: format message with size 0x2 (must be 1..16384) "
      "[message: {\\\"type\\\":\\\"format\\\",\\\"fourcc\\\":\\\"MJPG\\\","
      "\\\"width\\\":0,\\\"height\\\":2}]\n");
  gst_helios_session_free (session);
}

GST_END_TEST;

GST_START_TEST (test_session_close_policy)
{
  Record *r;
  GstHeliosSession *session = session_for ("ota.stream", &r);
  GstSensorNetWsCloseInfo lost = { 1006, "", 0, NULL };
  GstSensorNetWsCloseInfo not_found = { 0, NULL, 404, NULL };
  GError *big = g_error_new (SOUP_WEBSOCKET_ERROR, 1009, "too big");
  GstSensorNetWsCloseInfo oversized = { 1009, "", 0, big };
  GstHeliosSessionStats st;
  const GstStructure *s, *d;
  guint attempt = 0;
  guint64 delay = 0;

  gst_helios_session_handle_opened (session);
  fail_unless_equals_int (gst_helios_session_handle_closed (session, &lost),
      GST_SENSOR_NET_WS_CLOSE_RECONNECT);
  gst_helios_session_handle_reconnecting (session, 1, GST_SECOND);
  fail_unless_equals_int (
      gst_helios_session_handle_closed (session, &oversized),
      GST_SENSOR_NET_WS_CLOSE_RECONNECT);
  gst_helios_session_handle_reconnecting (session, 2, 2 * GST_SECOND);
  /* an open socket restarts the count in a row, not the total */
  gst_helios_session_handle_opened (session);
  fail_unless_equals_int (gst_helios_session_handle_closed (session, &lost),
      GST_SENSOR_NET_WS_CLOSE_RECONNECT);
  gst_helios_session_handle_gave_up (session);
  assert_log (r,
      "state connected ()\n"
      "state disconnected (closed with code 1006 \"\")\n"
      "failure transient 1\n"
      "state reconnecting (closed with code 1006 \"\")\n"
      "state disconnected (too big)\n"
      "failure transient 2\n"
      "state reconnecting (too big)\n"
      "state connected ()\n"
      "state disconnected (closed with code 1006 \"\")\n"
      "failure transient 1\n"
      "state closed (closed with code 1006 \"\")\n"
      "end lost gst-resource-error-quark 9: Lost the HeliOS channel "
      "ota.stream and gave up reconnecting after 1 failure(s): closed "
      "with code 1006 \"\" [ws://localhost:5800/v1/ws/ota: last close "
      "code 1006, HTTP status 0]\n");
  s = g_ptr_array_index (r->states, 1);
  fail_unless (gst_structure_get_uint (s, "close-code", &attempt));
  fail_unless_equals_int (attempt, 1006);
  s = g_ptr_array_index (r->states, 2);
  fail_unless (gst_structure_get (s, "attempt", G_TYPE_UINT, &attempt, "delay",
      G_TYPE_UINT64, &delay, NULL));
  fail_unless_equals_int (attempt, 1);
  fail_unless_equals_uint64 (delay, GST_SECOND);
  s = g_ptr_array_index (r->states, 3);
  fail_unless_equals_string (gst_structure_get_string (s, "error"), "too big");
  d = g_ptr_array_index (r->details, 0);
  fail_unless_equals_string (
      gst_structure_get_string (d, "uri"), "ws://localhost:5800/v1/ws/ota");
  fail_unless (gst_structure_get_uint (d, "failures", &attempt));
  fail_unless_equals_int (attempt, 1);

  gst_helios_session_get_stats (session, &st);
  fail_if (st.connected);
  fail_unless_equals_int (st.failures, 3);
  fail_unless_equals_int (st.reconnects, 2);
  fail_unless_equals_int (st.oversized_messages, 1);
  /* over: a late close is not retried, nothing more is reported */
  fail_unless_equals_int (gst_helios_session_handle_closed (session, &lost),
      GST_SENSOR_NET_WS_CLOSE_STOP);
  gst_helios_session_handle_gave_up (session);
  assert_log (r, "state disconnected (closed with code 1006 \"\")\n");
  gst_helios_session_free (session);
  g_error_free (big);

  /* a channel the device does not serve: fatal at once */
  session = session_for ("ota.stream", &r);
  fail_unless_equals_int (
      gst_helios_session_handle_closed (session, &not_found),
      GST_SENSOR_NET_WS_CLOSE_STOP);
  feed_text (session, "{\"type\":\"snapshot\"}");
  assert_log (r,
      "state disconnected (HTTP 404 Not Found)\n"
      "failure fatal 1\n"
      "state closed (HTTP 404 Not Found)\n"
      "end fatal\n");
  gst_helios_session_get_stats (session, &st);
  fail_unless_equals_int (st.failures, 0);
  gst_helios_session_free (session);
}

GST_END_TEST;

GST_START_TEST (test_session_update_live)
{
  Record *r;
  GstHeliosSession *session = session_for ("sensors.stream", &r);
  GError *err = NULL;
  gchar *op;

  fail_unless (gst_helios_session_update_live (session, "power", 0, NULL));
  op = gst_helios_session_dup_open_op (session);
  fail_unless_equals_string (
      op, "{\"op\":\"subscribe\",\"kinds\":[\"power\"]}");
  g_free (op);
  /* an invalid list keeps the subscription */
  fail_if (gst_helios_session_update_live (session, "power,gps", 0, &err));
  fail_unless (
      g_error_matches (err, GST_HELIOS_ERROR, GST_HELIOS_ERROR_BAD_PARAM));
  g_clear_error (&err);
  op = gst_helios_session_dup_open_op (session);
  fail_unless_equals_string (
      op, "{\"op\":\"subscribe\",\"kinds\":[\"power\"]}");
  g_free (op);
  gst_helios_session_free (session);

  session = session_for ("streams." UUID ".metrics", &r);
  fail_unless (gst_helios_session_update_live (session, NULL, 20000, NULL));
  op = gst_helios_session_dup_open_op (session);
  fail_unless_equals_string (op, "{\"interval_ms\":10000}");
  g_free (op);
  gst_helios_session_free (session);

  /* other channels take parameters only when they open */
  session = session_for ("device.telemetry", &r);
  fail_unless (gst_helios_session_update_live (session, NULL, 500, NULL));
  fail_unless (gst_helios_session_dup_open_op (session) == NULL);
  fail_unless_equals_string (r->log->str, "");
  gst_helios_session_free (session);
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
  tcase_add_test (tc, test_session_new);
  tcase_add_test (tc, test_session_json);
  tcase_add_test (tc, test_session_frames);
  tcase_add_test (tc, test_session_close_policy);
  tcase_add_test (tc, test_session_update_live);
  return s;
}

GST_CHECK_MAIN (helios);
