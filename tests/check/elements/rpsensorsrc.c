/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rpsensorsrc through real HTTP on loopback: answers and their exact
 * bodies, pads, caps, timestamps and epoch meta, rate limiting on the
 * pipeline's test clock, auth, bad input, slow clients, EOS, state cycles,
 * and one peer that shares none of our code (curl).
 */
#include <gst/check/gstcheck.h>
#include "../sensor-test-stats.h"
#include <gst/check/gsttestclock.h>
#include <gst/app/gstappsink.h>
#include <gst/sensor/sensor.h>
#include <gst/sensorstream/sensorstream.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <poll.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "../sensor-test-pipeline.h"

#define DEV "AA:BB:CC:DD:EE:FF"
#define STREAM "/api/device/sensor-stream"
#define BATCH "/api/device/sensor-stream/batch"

typedef struct
{
  GstElement *pipeline;
  GstElement *src;
  GstClock *clock; /* a GstTestClock */
  GMutex lock;
  GHashTable *sinks; /* pad name -> appsink */
  SoupSession *session;
  gint port;
} Fixture;

static void
on_pad_added (GstElement *src, GstPad *pad, Fixture *f)
{
  GstElement *sink = gst_element_factory_make ("appsink", NULL);
  GstPad *sinkpad;

  g_object_set (
      sink, "sync", FALSE, "async", FALSE, "wait-on-eos", FALSE, NULL);
  gst_bin_add (GST_BIN (f->pipeline), sink);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  fail_unless_equals_int (gst_pad_link (pad, sinkpad), GST_PAD_LINK_OK);
  gst_object_unref (sinkpad);
  gst_element_sync_state_with_parent (sink);
  g_mutex_lock (&f->lock);
  g_hash_table_insert (f->sinks, gst_pad_get_name (pad), sink);
  g_mutex_unlock (&f->lock);
}

static void
apply_props (GstElement *e, const gchar *props)
{
  gchar **kv = g_strsplit (props ? props : "", " ", -1);
  guint i;

  for (i = 0; kv[i]; i++) {
    gchar **pair;

    if (*kv[i] == '\0')
      continue;
    pair = g_strsplit (kv[i], "=", 2);
    fail_unless (pair[1] != NULL);
    gst_util_set_object_arg (G_OBJECT (e), pair[0], pair[1]);
    g_strfreev (pair);
  }
  g_strfreev (kv);
}

static Fixture *
fixture_new (const gchar *props)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->pipeline = gst_pipeline_new (NULL);
  f->src = gst_element_factory_make ("rpsensorsrc", "src");
  fail_unless (f->src != NULL);
  g_object_set (f->src, "port", 0, NULL);
  apply_props (f->src, props);
  gst_bin_add (GST_BIN (f->pipeline), gst_object_ref (f->src));
  f->clock = gst_test_clock_new_with_start_time (10 * GST_SECOND);
  gst_pipeline_use_clock (GST_PIPELINE (f->pipeline), f->clock);
  g_mutex_init (&f->lock);
  f->sinks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (f->src, "pad-added", G_CALLBACK (on_pad_added), f);
  f->session = soup_session_new ();
  return f;
}

static void
fixture_play (Fixture *f)
{
  fail_unless (gst_element_set_state (f->pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (
      gst_element_get_state (f->pipeline, NULL, NULL, GST_CLOCK_TIME_NONE),
      GST_STATE_CHANGE_SUCCESS);
  g_object_get (f->src, "port", &f->port, NULL);
  fail_unless (f->port > 0);
}

static void
fixture_free (Fixture *f)
{
  GstBus *bus;

  gst_element_set_state (f->pipeline, GST_STATE_NULL);
  bus = gst_element_get_bus (f->pipeline);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  gst_object_unref (f->src);
  gst_object_unref (f->pipeline);
  gst_object_unref (f->clock);
  g_hash_table_unref (f->sinks);
  g_mutex_clear (&f->lock);
  g_object_unref (f->session);
  g_free (f);
}

static GstElement *
fixture_sink (Fixture *f, const gchar *pad_name)
{
  GstElement *sink;

  g_mutex_lock (&f->lock);
  sink = g_hash_table_lookup (f->sinks, pad_name);
  g_mutex_unlock (&f->lock);
  fail_unless (sink != NULL, "no pad %s", pad_name);
  return sink;
}

typedef struct
{
  guint status;
  gchar *body;
  SoupMessageHeaders *headers;
} Response;

static void
response_clear (Response *r)
{
  g_free (r->body);
  if (r->headers)
    soup_message_headers_unref (r->headers);
  memset (r, 0, sizeof (*r));
}

static Response
request (Fixture *f, const gchar *method, const gchar *path,
    const gchar *content_type, const gchar *auth, const gchar *body)
{
  gchar *uri = g_strdup_printf ("http://127.0.0.1:%d%s", f->port, path);
  SoupMessage *msg = soup_message_new (method, uri);
  GError *error = NULL;
  GBytes *answer;
  Response r = {
    0,
  };

  if (body) {
    GBytes *b = g_bytes_new (body, strlen (body));

    soup_message_set_request_body_from_bytes (msg, content_type, b);
    g_bytes_unref (b);
  }
  if (auth)
    soup_message_headers_replace (
        soup_message_get_request_headers (msg), "Authorization", auth);
  answer = soup_session_send_and_read (f->session, msg, NULL, &error);
  fail_unless (answer != NULL, "%s", error ? error->message : "");
  r.status = soup_message_get_status (msg);
  r.body =
      g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  r.headers =
      soup_message_headers_ref (soup_message_get_response_headers (msg));
  g_bytes_unref (answer);
  g_object_unref (msg);
  g_free (uri);
  return r;
}

static Response
post (Fixture *f, const gchar *path, const gchar *body)
{
  return request (f, "POST", path, "application/json", NULL, body);
}

static gchar *
reading_json (const gchar *device, gdouble az, const gchar *extra)
{
  return g_strdup_printf (
      "{\"device_id\":\"%s\",\"accel_x\":0.5,"
      "\"accel_y\":0.3,\"accel_z\":%g,\"gyro_x\":0.1,\"gyro_y\":0.2,"
      "\"gyro_z\":-0.05,\"uptime_ms\":3600000%s%s}",
      device, az, extra ? "," : "", extra ? extra : "");
}

static guint
post_reading (Fixture *f, const gchar *device, const gchar *extra)
{
  gchar *body = reading_json (device, 9.8, extra);
  Response r = post (f, STREAM, body);
  guint status = r.status;

  g_free (body);
  response_clear (&r);
  return status;
}

static GstBuffer *
pull (GstElement *sink)
{
  GstSample *sample =
      gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 10 * GST_SECOND);
  GstBuffer *buf;

  fail_unless (sample != NULL);
  buf = gst_buffer_ref (gst_sample_get_buffer (sample));
  gst_sample_unref (sample);
  return buf;
}

static void
assert_floats (GstBuffer *buf, const gfloat *expect, guint n)
{
  GstMapInfo map;
  guint i;

  fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
  fail_unless_equals_int (map.size, n * sizeof (gfloat));
  for (i = 0; i < n; i++) {
    gfloat v;

    memcpy (&v, map.data + i * 4, 4);
    v = GFLOAT_FROM_LE (v);
    fail_unless (v == expect[i], "value %u: %f != %f", i, v, expect[i]);
  }
  gst_buffer_unmap (buf, &map);
}

static gboolean
no_buffer_waiting (GstElement *sink)
{
  GstSample *s =
      gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 100 * GST_MSECOND);

  if (s)
    gst_sample_unref (s);
  return s == NULL;
}

/* ---- properties and lifecycle ---- */

GST_START_TEST (test_properties)
{
  GstElement *e = gst_element_factory_make ("rpsensorsrc", NULL);
  GParamSpec *token;
  gchar *address;
  gint port;
  guint max;

  g_object_get (
      e, "address", &address, "port", &port, "max-body-size", &max, NULL);
  fail_unless_equals_string (address, "127.0.0.1");
  fail_unless_equals_int (port, 3000);
  fail_unless_equals_int (max, 256 * 1024);
  g_free (address);
  token = g_object_class_find_property (G_OBJECT_GET_CLASS (e), "auth-token");
  fail_unless (token != NULL);
  fail_if (token->flags & G_PARAM_READABLE);
  gst_util_set_object_arg (G_OBJECT (e), "sensitivity", "sensitive");
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_state_cycles_release_port)
{
  Fixture *f = fixture_new ("device-id=" DEV);
  gint first, i;

  fixture_play (f);
  first = f->port;
  fail_unless_equals_int (post_reading (f, DEV, NULL), 200);
  for (i = 0; i < 3; i++) {
    gint port;

    fail_unless_equals_int (gst_element_set_state (f->pipeline, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);
    g_object_get (f->src, "port", &port, NULL);
    fail_unless_equals_int (port, 0);
    /* the same port again: it was released */
    g_object_set (f->src, "port", first, NULL);
    fixture_play (f);
    fail_unless_equals_int (f->port, first);
    fail_unless_equals_int (post_reading (f, DEV, NULL), 200);
    g_object_set (f->src, "port", 0, NULL);
  }
  fixture_free (f);
}

GST_END_TEST;

GST_START_TEST (test_not_streaming_when_paused)
{
  Fixture *f = fixture_new (NULL);
  Response r;

  fail_unless_equals_int (gst_element_set_state (f->pipeline, GST_STATE_PAUSED),
      GST_STATE_CHANGE_NO_PREROLL);
  g_object_get (f->src, "port", &f->port, NULL);
  fail_unless (f->port > 0);
  {
    gchar *body = reading_json (DEV, 9.8, NULL);

    r = post (f, STREAM, body);
    g_free (body);
  }
  fail_unless_equals_int (r.status, 503);
  fail_unless_equals_string (
      r.body, "{\"success\":false,\"error\":\"Not streaming\"}");
  fail_unless_equals_string (
      soup_message_headers_get_one (r.headers, "Retry-After"), "1");
  response_clear (&r);
  fixture_free (f);
}

GST_END_TEST;

/* ---- pads, caps, timestamps ---- */

GST_START_TEST (test_filtered_pads_and_timestamps)
{
  Fixture *f = fixture_new ("device-id=aa-bb-cc-dd-ee-ff");
  static const gchar *names[] = { "accel", "gyro", "pressure", "fsr",
    "heart_rate", "spo2", "battery_level" };
  GstBuffer *buf;
  GstCaps *caps;
  GstSample *sample;
  GstClockTime epoch, epoch2;
  gint64 client_us;
  gchar *iso, *extra;
  guint i;

  fixture_play (f);
  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    GstPad *pad = gst_element_get_static_pad (f->src, names[i]);

    fail_unless (pad != NULL, "no pad %s", names[i]);
    gst_object_unref (pad);
  }

  /* arrival time: running time of the test clock */
  fail_unless_equals_int (
      post_reading (f, DEV, "\"heart_rate\":72,\"battery_level\":85.5"), 200);
  sample = gst_app_sink_try_pull_sample (
      GST_APP_SINK (fixture_sink (f, "accel")), 10 * GST_SECOND);
  fail_unless (sample != NULL);
  caps = gst_sample_get_caps (sample);
  {
    GstSensorInfo info;

    gst_sensor_info_init (&info);
    fail_unless (gst_sensor_info_from_caps (&info, caps));
    fail_unless_equals_int (info.format, GST_SENSOR_FORMAT_F32LE);
    fail_unless_equals_int (info.rate_n, 0);
    fail_unless_equals_int (info.channels, 3);
    fail_unless_equals_string (info.modality, "acc_3axis");
    fail_unless_equals_string (info.unit, "m/s^2");
    gst_sensor_info_clear (&info);
  }
  buf = gst_sample_get_buffer (sample);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), 0);
  fail_unless (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DISCONT));
  fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch));
  assert_floats (buf, (gfloat[]){ 0.5f, 0.3f, 9.8f }, 3);
  gst_sample_unref (sample);

  buf = pull (fixture_sink (f, "gyro"));
  assert_floats (buf, (gfloat[]){ 0.1f, 0.2f, -0.05f }, 3);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), 0);
  gst_buffer_unref (buf);
  buf = pull (fixture_sink (f, "heart_rate"));
  assert_floats (buf, (gfloat[]){ 72.0f }, 1);
  fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch2));
  fail_unless_equals_uint64 (epoch2, epoch);
  gst_buffer_unref (buf);
  buf = pull (fixture_sink (f, "battery_level"));
  assert_floats (buf, (gfloat[]){ 85.5f }, 1);
  gst_buffer_unref (buf);
  /* groups the reading did not carry got nothing */
  fail_unless (no_buffer_waiting (fixture_sink (f, "spo2")));

  gst_test_clock_advance_time (GST_TEST_CLOCK (f->clock), 250 * GST_MSECOND);
  fail_unless_equals_int (post_reading (f, "aabbccddeeff", NULL), 200);
  buf = pull (fixture_sink (f, "accel"));
  fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), 250 * GST_MSECOND);
  fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch2));
  fail_unless_equals_uint64 (epoch2 - epoch, 250 * GST_MSECOND);
  fail_if (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DISCONT));
  gst_buffer_unref (buf);

  /* client_timestamp: the epoch meta is the device's time, the PTS moves
   * with it */
  client_us = (g_get_real_time () / 1000 + 60000) * 1000;
  iso = gst_sensor_stream_format_iso8601 (client_us);
  extra = g_strdup_printf ("\"client_timestamp\":\"%s\"", iso);
  fail_unless_equals_int (post_reading (f, DEV, extra), 200);
  g_free (extra);
  g_free (iso);
  iso = gst_sensor_stream_format_iso8601 (client_us + 250000);
  extra = g_strdup_printf ("\"client_timestamp\":\"%s\"", iso);
  fail_unless_equals_int (post_reading (f, DEV, extra), 200);
  g_free (extra);
  g_free (iso);
  {
    GstBuffer *a = pull (fixture_sink (f, "accel"));
    GstBuffer *b = pull (fixture_sink (f, "accel"));

    fail_unless (gst_buffer_get_sensor_epoch (a, &epoch));
    fail_unless_equals_uint64 (epoch, (GstClockTime) client_us * 1000);
    fail_unless (gst_buffer_get_sensor_epoch (b, &epoch2));
    fail_unless_equals_uint64 (
        epoch2, (GstClockTime) (client_us + 250000) * 1000);
    fail_unless (GST_BUFFER_PTS (a) > 59 * GST_SECOND);
    fail_unless_equals_uint64 (
        GST_BUFFER_PTS (b) - GST_BUFFER_PTS (a), 250 * GST_MSECOND);
    gst_buffer_unref (a);
    gst_buffer_unref (b);
  }

  /* another device: answered, but not emitted */
  fail_unless_equals_int (post_reading (f, "11:22:33:44:55:66", NULL), 200);
  fail_unless (no_buffer_waiting (fixture_sink (f, "accel")));
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "filtered"), 1);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "accepted"), 4);
  fixture_free (f);
}

GST_END_TEST;

static GstMessage *
wait_element_message (GstElement *pipeline, const gchar *name)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;

  while ((msg = gst_bus_timed_pop_filtered (
              bus, 10 * GST_SECOND, GST_MESSAGE_ELEMENT)) != NULL) {
    if (gst_message_has_name (msg, name))
      break;
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
  fail_unless (msg != NULL, "no %s message", name);
  return msg;
}

GST_START_TEST (test_per_device_pads)
{
  Fixture *f = fixture_new (NULL);
  GstMessage *msg;
  GstPad *pad;
  GstBuffer *buf;

  fixture_play (f);
  fail_unless_equals_int (
      post_reading (f, "SF-AABBCCDDEEFF", "\"spo2\":97"), 200);
  msg = wait_element_message (f->pipeline, "device-added");
  fail_unless_equals_string (
      gst_structure_get_string (gst_message_get_structure (msg), "device"),
      DEV);
  gst_message_unref (msg);

  pad = gst_element_get_static_pad (f->src, "AA_BB_CC_DD_EE_FF_accel");
  fail_unless (pad != NULL);
  gst_object_unref (pad);
  pad = gst_element_get_static_pad (f->src, "AA_BB_CC_DD_EE_FF_pressure");
  fail_unless (pad == NULL);
  buf = pull (fixture_sink (f, "AA_BB_CC_DD_EE_FF_spo2"));
  assert_floats (buf, (gfloat[]){ 97.0f }, 1);
  gst_buffer_unref (buf);

  fail_unless_equals_int (post_reading (f, "11-22-33-44-55-66", NULL), 200);
  msg = wait_element_message (f->pipeline, "device-added");
  fail_unless_equals_string (
      gst_structure_get_string (gst_message_get_structure (msg), "device"),
      "11:22:33:44:55:66");
  gst_message_unref (msg);
  buf = pull (fixture_sink (f, "11_22_33_44_55_66_gyro"));
  gst_buffer_unref (buf);
  fixture_free (f);
}

GST_END_TEST;

GST_START_TEST (test_max_devices)
{
  Fixture *f = fixture_new ("max-devices=2");
  gchar *body = reading_json ("02:00:00:00:00:03", 9.8, NULL);
  Response r;

  fixture_play (f);
  fail_unless_equals_int (post_reading (f, "02:00:00:00:00:01", NULL), 200);
  fail_unless_equals_int (post_reading (f, "02:00:00:00:00:02", NULL), 200);
  r = post (f, STREAM, body);
  fail_unless_equals_int (r.status, 503);
  fail_unless_equals_string (
      r.body, "{\"success\":false,\"error\":\"Too many devices\"}");
  response_clear (&r);
  /* known devices go on */
  fail_unless_equals_int (post_reading (f, "02:00:00:00:00:01", NULL), 200);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "accepted"), 3);
  g_free (body);
  fixture_free (f);
}

GST_END_TEST;

/* ---- rate limit on the pipeline clock ---- */

GST_START_TEST (test_rate_limit)
{
  Fixture *f = fixture_new ("device-id=" DEV);
  gchar *body = reading_json (DEV, 9.8, NULL);
  Response r;
  guint i;

  fixture_play (f);
  for (i = 0; i < 5; i++) {
    r = post (f, STREAM, body);
    fail_unless_equals_int (r.status, 200);
    response_clear (&r);
  }
  r = post (f, STREAM, body);
  fail_unless_equals_int (r.status, 429);
  fail_unless_equals_string (r.body,
      "{\"success\":false,"
      "\"error\":\"Rate limit exceeded\",\"retryAfter\":1000}");
  fail_unless_equals_string (
      soup_message_headers_get_one (r.headers, "Retry-After"), "1");
  response_clear (&r);
  /* other devices are not held up */
  fail_unless_equals_int (post_reading (f, "11:22:33:44:55:66", NULL), 200);

  gst_test_clock_advance_time (GST_TEST_CLOCK (f->clock), GST_SECOND);
  r = post (f, STREAM, body);
  fail_unless_equals_int (r.status, 200);
  response_clear (&r);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "rate-limited"), 1);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "accepted"), 6);
  g_free (body);
  fixture_free (f);
}

GST_END_TEST;

GST_START_TEST (test_rate_limit_configurable)
{
  Fixture *f = fixture_new ("device-id=" DEV " rate-limit=0");
  guint i;

  fixture_play (f);
  for (i = 0; i < 20; i++)
    fail_unless_equals_int (post_reading (f, DEV, NULL), 200);
  fixture_free (f);

  f = fixture_new ("device-id=" DEV " rate-limit=2 rate-burst=1");
  fixture_play (f);
  fail_unless_equals_int (post_reading (f, DEV, NULL), 200);
  fail_unless_equals_int (post_reading (f, DEV, NULL), 429);
  gst_test_clock_advance_time (GST_TEST_CLOCK (f->clock), GST_SECOND / 2);
  fail_unless_equals_int (post_reading (f, DEV, NULL), 200);
  fixture_free (f);
}

GST_END_TEST;

/* ---- answers to bad requests ---- */

GST_START_TEST (test_bad_requests)
{
  Fixture *f = fixture_new ("device-id=" DEV " max-body-size=2048");
  GString *big = g_string_new ("{\"device_id\":\"" DEV "\",\"pad\":\"");
  Response r;
  gchar *body;

  fixture_play (f);

  r = request (f, "POST", "/api/device/other", "application/json", NULL, "{}");
  fail_unless_equals_int (r.status, 404);
  fail_unless_equals_string (
      r.body, "{\"success\":false,\"error\":\"Not found\"}");
  response_clear (&r);

  r = request (f, "GET", STREAM, NULL, NULL, NULL);
  fail_unless_equals_int (r.status, 405);
  fail_unless_equals_string (
      soup_message_headers_get_one (r.headers, "Allow"), "POST");
  fail_unless_equals_string (
      r.body, "{\"success\":false,\"error\":\"Method not allowed\"}");
  response_clear (&r);

  body = reading_json (DEV, 9.8, NULL);
  r = request (f, "POST", STREAM, "text/plain", NULL, body);
  fail_unless_equals_int (r.status, 415);
  fail_unless_equals_string (r.body,
      "{\"success\":false,"
      "\"error\":\"Content-Type must be application/json\"}");
  response_clear (&r);
  r = request (
      f, "POST", STREAM, "application/json; charset=utf-8", NULL, body);
  fail_unless_equals_int (r.status, 200);
  response_clear (&r);
  g_free (body);

  while (big->len < 4096)
    g_string_append (big, "xxxxxxxxxxxxxxxx");
  g_string_append (big, "\"}");
  r = post (f, STREAM, big->str);
  fail_unless_equals_int (r.status, 413);
  fail_unless_equals_string (
      r.body, "{\"success\":false,\"error\":\"Payload too large\"}");
  response_clear (&r);
  g_string_free (big, TRUE);

  r = post (f, STREAM, "this is not json");
  fail_unless_equals_int (r.status, 400);
  fail_unless_equals_string (
      r.body, "{\"success\":false,\"error\":\"Invalid JSON\"}");
  response_clear (&r);

  r = post (f, STREAM, "{\"device_id\":\"" DEV "\",\"accel_x\":NaN}");
  fail_unless_equals_int (r.status, 400);
  fail_unless_equals_string (
      r.body, "{\"success\":false,\"error\":\"Invalid JSON\"}");
  response_clear (&r);

  r = post (f, STREAM, "[1,2,3]");
  fail_unless_equals_int (r.status, 400);
  fail_unless_equals_string (r.body,
      "{\"success\":false,"
      "\"error\":\"Validation failed\","
      "\"details\":{\"body\":\"Must be a JSON object\"}}");
  response_clear (&r);

  r = post (f, STREAM,
      "{\"device_id\":\"" DEV "\",\"accel_x\":\"0.5\","
      "\"accel_y\":0.3,\"accel_z\":9.8,\"gyro_x\":0.1,\"gyro_y\":0.2,"
      "\"gyro_z\":-0.05,\"uptime_ms\":1,\"heart_rate\":201}");
  fail_unless_equals_int (r.status, 400);
  fail_unless_equals_string (r.body,
      "{\"success\":false,"
      "\"error\":\"Validation failed\",\"details\":{"
      "\"accel_x\":\"Must be a number\","
      "\"heart_rate\":\"Must be between 40 and 200\"}}");
  response_clear (&r);

  /* one good reading; nothing of the rejected ones reached the pads */
  fail_unless (no_buffer_waiting (fixture_sink (f, "gyro")) == FALSE);
  fail_unless (no_buffer_waiting (fixture_sink (f, "gyro")));
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "accepted"), 1);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "invalid"), 4);
  fixture_free (f);
}

GST_END_TEST;

/* ---- batches ---- */

static gchar *
batch_json (guint n, gint bad, gint64 client_us)
{
  GString *s = g_string_new ("{\"device_id\":\"" DEV "\",\"readings\":[");
  guint i;

  for (i = 0; i < n; i++) {
    gchar *iso = gst_sensor_stream_format_iso8601 (client_us + i * 10000);

    g_string_append_printf (s,
        "%s{\"accel_x\":%s,\"accel_y\":0,"
        "\"accel_z\":9.8,\"gyro_x\":0,\"gyro_y\":0,\"gyro_z\":0,"
        "\"uptime_ms\":%u,\"client_timestamp\":\"%s\"}",
        i ? "," : "", (gint) i == bad ? "\"x\"" : "1", 5000 + i * 10, iso);
    g_free (iso);
  }
  g_string_append (s, "]}");
  return g_string_free (s, FALSE);
}

GST_START_TEST (test_batch)
{
  Fixture *f = fixture_new ("device-id=" DEV);
  gint64 t0 = (g_get_real_time () / 1000 + 30000) * 1000;
  Response r;
  gchar *body;
  guint i;

  fixture_play (f);
  body = batch_json (3, -1, t0);
  r = post (f, BATCH, body);
  g_free (body);
  fail_unless_equals_int (r.status, 200);
  fail_unless (strstr (r.body, "\"readings\":3}}") != NULL, "%s", r.body);
  response_clear (&r);
  for (i = 0; i < 3; i++) {
    GstBuffer *buf = pull (fixture_sink (f, "accel"));
    GstClockTime epoch;

    fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch));
    fail_unless_equals_uint64 (epoch, (GstClockTime) (t0 + i * 10000) * 1000);
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (buf), 5000 + i * 10);
    gst_buffer_unref (buf);
  }

  /* one bad reading refuses the whole batch */
  body = batch_json (4, 1, t0 + 100000);
  r = post (f, BATCH, body);
  g_free (body);
  fail_unless_equals_int (r.status, 400);
  fail_unless_equals_string (r.body,
      "{\"success\":false,"
      "\"error\":\"Validation failed\","
      "\"details\":{\"readings[1].accel_x\":\"Must be a number\"}}");
  response_clear (&r);
  fail_unless (no_buffer_waiting (fixture_sink (f, "accel")));

  body = batch_json (101, -1, t0);
  r = post (f, BATCH, body);
  g_free (body);
  fail_unless_equals_int (r.status, 400);
  fail_unless (strstr (r.body,
                   "\"readings\":\"Must contain between 1 and "
                   "100 readings\"") != NULL);
  response_clear (&r);

  /* one token per batch: four more batches, then the sixth is refused */
  body = batch_json (100, -1, t0 + G_USEC_PER_SEC);
  for (i = 0; i < 4; i++) {
    r = post (f, BATCH, body);
    fail_unless_equals_int (r.status, 200);
    response_clear (&r);
  }
  r = post (f, BATCH, body);
  fail_unless_equals_int (r.status, 429);
  response_clear (&r);
  g_free (body);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "accepted"), 403);
  fixture_free (f);
}

GST_END_TEST;

/* ---- auth ---- */

GST_START_TEST (test_auth)
{
  Fixture *f = fixture_new ("device-id=" DEV " auth-token=s3cret");
  gchar *body = reading_json (DEV, 9.8, NULL);
  static const struct
  {
    const gchar *header;
    guint status;
  } cases[] = {
    { NULL, 401 },
    { "Bearer wrong", 401 },
    { "Bearer s3cre", 401 },
    { "Bearer s3cret0", 401 },
    { "Basic czNjcmV0", 401 },
    { "s3cret", 401 },
    { "Bearer s3cret", 200 },
    { "bearer s3cret", 200 },
  };
  guint i;

  fixture_play (f);
  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    Response r =
        request (f, "POST", STREAM, "application/json", cases[i].header, body);

    fail_unless_equals_int (r.status, cases[i].status);
    if (r.status == 401) {
      fail_unless_equals_string (
          r.body, "{\"success\":false,\"error\":\"Unauthorized\"}");
      fail_unless_equals_string (
          soup_message_headers_get_one (r.headers, "WWW-Authenticate"),
          "Bearer");
    }
    response_clear (&r);
  }
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "unauthorized"), 6);
  g_free (body);
  fixture_free (f);
}

GST_END_TEST;

/* Sets @p PLAYING, which must fail with a RESOURCE/SETTINGS error on its
 * bus; returns that error and leaves @p in NULL. */
static GError *
expect_settings_error (GstElement *p)
{
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *msg;
  GError *err = NULL;

  fail_unless_equals_int (
      gst_element_set_state (p, GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_timed_pop_filtered (bus, 0, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS));
  gst_message_unref (msg);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  return err;
}

GST_START_TEST (test_non_loopback_needs_token)
{
  GstElement *p = gst_pipeline_new (NULL);
  GstElement *src = gst_element_factory_make ("rpsensorsrc", NULL);

  g_object_set (src, "port", 0, "address", "0.0.0.0", NULL);
  gst_bin_add (GST_BIN (p), gst_object_ref (src));
  g_error_free (expect_settings_error (p));

  /* with a token it starts */
  g_object_set (src, "auth-token", "t", NULL);
  fail_unless (
      gst_element_set_state (p, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (p);
}

GST_END_TEST;

/* ---- fall detection ---- */

GST_START_TEST (test_fall_detected_message)
{
  Fixture *f = fixture_new ("device-id=" DEV);
  const gchar *fall =
      "{\"device_id\":\"" DEV "\",\"readings\":["
      "{\"accel_x\":0.1,\"accel_y\":0.2,\"accel_z\":9.8,\"gyro_x\":1,"
      "\"gyro_y\":1,\"gyro_z\":1,\"uptime_ms\":1},"
      "{\"accel_x\":0.5,\"accel_y\":0.4,\"accel_z\":1.0,\"gyro_x\":450,"
      "\"gyro_y\":300,\"gyro_z\":150,\"uptime_ms\":2}]}";
  GstMessage *msg;
  const GstStructure *s;
  gdouble confidence;
  Response r;

  fixture_play (f);
  r = post (f, BATCH, fall);
  fail_unless_equals_int (r.status, 200);
  fail_unless (strstr (r.body,
                   "\"fallDetected\":true,\"fallConfidence\":0.8,"
                   "\"healthScore\":100,") != NULL,
      "%s", r.body);
  response_clear (&r);
  msg = wait_element_message (f->pipeline, "fall-detected");
  s = gst_message_get_structure (msg);
  fail_unless_equals_string (gst_structure_get_string (s, "device"), DEV);
  fail_unless_equals_string (gst_structure_get_string (s, "level"), "HIGH");
  fail_unless (gst_structure_get_double (s, "confidence", &confidence));
  fail_unless (confidence > 0.79 && confidence < 0.81);
  gst_message_unref (msg);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "falls"), 1);

  /* standing still: no fall; health from the vitals */
  {
    gchar *body = reading_json (DEV, 9.8, "\"heart_rate\":55,\"spo2\":90");

    r = post (f, STREAM, body);
    g_free (body);
  }
  fail_unless (strstr (r.body,
                   "\"fallDetected\":false,\"fallConfidence\":0,"
                   "\"healthScore\":80,") != NULL,
      "%s", r.body);
  response_clear (&r);
  fixture_free (f);
}

GST_END_TEST;

/* ---- slow clients and stalls ---- */

GST_START_TEST (test_slow_client_closed_others_served)
{
  Fixture *f = fixture_new ("timeout=1");
  GSocketClient *client = g_socket_client_new ();
  GSocketConnection *conn;
  GInputStream *in;
  gchar *head;
  gchar buf[512];
  gssize n;
  gint64 start;

  fixture_play (f);
  conn = g_socket_client_connect_to_host (
      client, "127.0.0.1", f->port, NULL, NULL);
  fail_unless (conn != NULL);
  head = g_strdup_printf (
      "POST " STREAM " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/json\r\nContent-Length: 400\r\n\r\n"
      "{\"device_id\":");
  fail_unless (g_output_stream_write_all (
      g_io_stream_get_output_stream (G_IO_STREAM (conn)), head, strlen (head),
      NULL, NULL, NULL));
  g_free (head);

  /* served while the other connection hangs */
  fail_unless_equals_int (post_reading (f, DEV, NULL), 200);

  /* the stalled one is closed after the timeout (1 s, read with a 20 s
   * guard) */
  start = g_get_monotonic_time ();
  g_socket_set_timeout (g_socket_connection_get_socket (conn), 20);
  in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  do {
    n = g_input_stream_read (in, buf, sizeof (buf), NULL, NULL);
  } while (n > 0);
  fail_unless (g_get_monotonic_time () - start < 20 * G_USEC_PER_SEC);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "timeouts"), 1);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "accepted"), 1);
  g_object_unref (conn);
  g_object_unref (client);
  fixture_free (f);
}

GST_END_TEST;

/* Posts a batch of 50 accel readings to a pad queue of 2 whose branch does
 * not take data (appsink holds one buffer, then blocks its streaming
 * thread); returns that appsink. */
static GstElement *
post_to_stalled_branch (Fixture *f)
{
  GstElement *sink;
  Response r;
  gchar *body;

  fixture_play (f);
  sink = fixture_sink (f, "accel");
  g_object_set (sink, "max-buffers", 1, "drop", FALSE, NULL);
  body = batch_json (50, -1, (g_get_real_time () / 1000 + 5000) * 1000);
  r = post (f, BATCH, body);
  g_free (body);
  fail_unless_equals_int (r.status, 200);
  response_clear (&r);
  return sink;
}

/* Pulls until nothing comes within @timeout; the offset of the last. */
static guint64
drain_last_offset (GstElement *sink, GstClockTime timeout)
{
  guint64 offset = 0;
  GstSample *s;

  while ((s = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), timeout))) {
    offset = GST_BUFFER_OFFSET (gst_sample_get_buffer (s));
    gst_sample_unref (s);
  }
  return offset;
}

GST_START_TEST (test_full_queue_drops_oldest)
{
  Fixture *f = fixture_new ("device-id=" DEV " queue-size=2");
  GstElement *sink = post_to_stalled_branch (f);

  fail_unless (sensor_test_stat (f->src, "dropped") > 0);
  /* what is left ends with the newest reading */
  fail_unless_equals_uint64 (
      drain_last_offset (sink, 500 * GST_MSECOND), 5000 + 49 * 10);
  fixture_free (f);
}

GST_END_TEST;

/* A full queue drops buffers, never the EOS behind them. */
GST_START_TEST (test_full_queue_keeps_eos)
{
  Fixture *f = fixture_new ("device-id=" DEV " queue-size=2");
  GstElement *sink = post_to_stalled_branch (f);

  fail_unless (gst_element_send_event (f->src, gst_event_new_eos ()));
  fail_unless_equals_uint64 (
      drain_last_offset (sink, 5 * GST_SECOND), 5000 + 49 * 10);
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (sink)));
  fail_unless (sensor_test_stat (f->src, "dropped") > 0);
  fixture_free (f);
}

GST_END_TEST;

/* ---- one streaming thread per pad ---- */

typedef struct
{
  GMutex lock;
  GCond cond;
  guint accel;
  guint heart_rate;
} Handoffs;

static void
on_handoff (GstElement *sink, GstBuffer *buf, GstPad *pad, Handoffs *h)
{
  g_mutex_lock (&h->lock);
  if (strcmp (GST_OBJECT_NAME (sink), "a") == 0)
    h->accel++;
  else
    h->heart_rate++;
  g_cond_broadcast (&h->cond);
  g_mutex_unlock (&h->lock);
}

static void
assert_live_latency (GstPad *pad, gboolean peer)
{
  GstQuery *q = gst_query_new_latency ();
  gboolean live = FALSE;
  GstClockTime min = GST_CLOCK_TIME_NONE;

  fail_unless (peer ? gst_pad_peer_query (pad, q) : gst_pad_query (pad, q));
  gst_query_parse_latency (q, &live, &min, NULL);
  fail_unless (live, "%s:%s not live", GST_DEBUG_PAD_NAME (pad));
  fail_unless_equals_uint64 (min, 0);
  gst_query_unref (q);
}

/* In a live pipeline every sink waits in preroll on its first buffer until
 * the whole pipeline is PLAYING: the accel branch holds data back in
 * sensorresample while the heart_rate sink prerolls. Pads sharing one
 * thread deadlocked here. */
GST_START_TEST (test_live_sync_sinks_no_deadlock)
{
  GstElement *pipeline, *src, *a, *h;
  GstPad *pad, *sinkpad;
  Handoffs counts = {
    0,
  };
  GError *error = NULL;
  Fixture http = {
    0,
  };
  GstState state;
  gint64 deadline;
  guint i;

  pipeline = gst_parse_launch (
      "rpsensorsrc device-id=" DEV " port=0 name=s "
      "s.accel ! sensorresample ! sensor/x-raw,rate=50/1 ! "
      "fakesink name=a sync=true signal-handoffs=true "
      "s.heart_rate ! fakesink name=h sync=true signal-handoffs=true",
      &error);
  fail_unless (pipeline != NULL, "%s", error ? error->message : "");
  g_mutex_init (&counts.lock);
  g_cond_init (&counts.cond);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "s");
  a = gst_bin_get_by_name (GST_BIN (pipeline), "a");
  h = gst_bin_get_by_name (GST_BIN (pipeline), "h");
  g_signal_connect (a, "handoff", G_CALLBACK (on_handoff), &counts);
  g_signal_connect (h, "handoff", G_CALLBACK (on_handoff), &counts);

  /* live from the start: no preroll, latency live */
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PAUSED),
      GST_STATE_CHANGE_NO_PREROLL);
  pad = gst_element_get_static_pad (src, "accel");
  fail_unless (pad != NULL);
  assert_live_latency (pad, FALSE);
  gst_object_unref (pad);
  sinkpad = gst_element_get_static_pad (h, "sink");
  assert_live_latency (sinkpad, TRUE);
  gst_object_unref (sinkpad);

  /* the sinks only reach PLAYING with a buffer, the source before them */
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  do {
    g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    gst_element_get_state (src, &state, NULL, 0);
  } while (state != GST_STATE_PLAYING && g_get_monotonic_time () < deadline);
  fail_unless_equals_int (state, GST_STATE_PLAYING);

  g_object_get (src, "port", &http.port, NULL);
  fail_unless (http.port > 0);
  http.session = soup_session_new ();
  for (i = 0; i < 3; i++) {
    Response r = post (&http, STREAM,
        "{\"device_id\":\"aabbccddeeff\",\"accel_x\":0.1,\"accel_y\":0.2,"
        "\"accel_z\":9.8,\"gyro_x\":1,\"gyro_y\":2,\"gyro_z\":3,"
        "\"uptime_ms\":1000,\"heart_rate\":72}");

    fail_unless_equals_int (r.status, 200);
    response_clear (&r);
    g_usleep (300 * G_TIME_SPAN_MILLISECOND);
  }

  /* a generous bound, only to fail rather than hang */
  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  g_mutex_lock (&counts.lock);
  while (counts.accel == 0 || counts.heart_rate < 3)
    if (!g_cond_wait_until (&counts.cond, &counts.lock, deadline))
      break;
  fail_unless (counts.accel > 0 && counts.heart_rate == 3,
      "accel %u heart_rate %u", counts.accel, counts.heart_rate);
  g_mutex_unlock (&counts.lock);

  fail_unless (gst_element_get_state (pipeline, &state, NULL,
                   10 * GST_SECOND) != GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (state, GST_STATE_PLAYING);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PAUSED),
      GST_STATE_CHANGE_NO_PREROLL);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_object_unref (http.session);
  gst_object_unref (a);
  gst_object_unref (h);
  gst_object_unref (src);
  gst_object_unref (pipeline);
  g_mutex_clear (&counts.lock);
  g_cond_clear (&counts.cond);
}

GST_END_TEST;

static GstPadProbeReturn
keep_blocked (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  return GST_PAD_PROBE_OK;
}

/* A pad whose branch takes no data holds up neither the other pads of its
 * device nor other devices' pads; its own buffers wait in its queue. */
static void
check_blocked_pad_isolated (const gchar *props, const gchar *blocked_name,
    const gchar *other_name, const gchar *other_device_name)
{
  Fixture *f = fixture_new (props);
  GstPad *blocked;
  gulong probe;
  guint i;

  fixture_play (f);
  if (other_device_name)
    fail_unless_equals_int (post_reading (f, "11:22:33:44:55:66", NULL), 200);
  fail_unless_equals_int (post_reading (f, DEV, "\"heart_rate\":70"), 200);
  blocked = gst_element_get_static_pad (f->src, blocked_name);
  fail_unless (blocked != NULL);
  gst_buffer_unref (pull (fixture_sink (f, blocked_name)));
  assert_live_latency (blocked, FALSE);
  probe = gst_pad_add_probe (blocked,
      GST_PAD_PROBE_TYPE_BLOCK | GST_PAD_PROBE_TYPE_BUFFER, keep_blocked, NULL,
      NULL);
  gst_buffer_unref (pull (fixture_sink (f, other_name)));
  if (other_device_name)
    gst_buffer_unref (pull (fixture_sink (f, other_device_name)));

  /* the blocked pad's task now waits in the probe with one buffer */
  for (i = 0; i < 4; i++) {
    gchar extra[32];
    GstBuffer *buf;
    gfloat hr = 71 + i;

    g_snprintf (extra, sizeof (extra), "\"heart_rate\":%u", 71 + i);
    fail_unless_equals_int (post_reading (f, DEV, extra), 200);
    buf = pull (fixture_sink (f, other_name));
    if (strstr (other_name, "heart_rate"))
      assert_floats (buf, &hr, 1);
    gst_buffer_unref (buf);
  }
  if (other_device_name) {
    fail_unless_equals_int (post_reading (f, "11:22:33:44:55:66", NULL), 200);
    gst_buffer_unref (pull (fixture_sink (f, other_device_name)));
  }
  fail_unless (no_buffer_waiting (fixture_sink (f, blocked_name)));

  /* unblocked, it catches up with nothing lost */
  gst_pad_remove_probe (blocked, probe);
  for (i = 0; i < 4; i++)
    gst_buffer_unref (pull (fixture_sink (f, blocked_name)));
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "dropped"), 0);
  gst_object_unref (blocked);
  fixture_free (f);
}

GST_START_TEST (test_blocked_pad_does_not_stop_others)
{
  /* the same device */
  check_blocked_pad_isolated ("device-id=" DEV, "accel", "heart_rate", NULL);
  check_blocked_pad_isolated ("device-id=" DEV, "heart_rate", "accel", NULL);
  /* dynamic pads, with another device */
  check_blocked_pad_isolated (NULL, "AA_BB_CC_DD_EE_FF_accel",
      "AA_BB_CC_DD_EE_FF_heart_rate", "11_22_33_44_55_66_gyro");
}

GST_END_TEST;

/* Stopping while a pad's task is held in a blocking probe and another
 * pad's queue still holds buffers returns promptly. */
GST_START_TEST (test_stop_while_blocked)
{
  Fixture *f = fixture_new ("device-id=" DEV);
  GstPad *pad;

  fixture_play (f);
  pad = gst_element_get_static_pad (f->src, "accel");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BLOCK | GST_PAD_PROBE_TYPE_BUFFER,
      keep_blocked, NULL, NULL);
  fail_unless_equals_int (post_reading (f, DEV, NULL), 200);
  fail_unless_equals_int (post_reading (f, DEV, NULL), 200);
  gst_buffer_unref (pull (fixture_sink (f, "gyro")));
  fail_unless_equals_int (gst_element_set_state (f->pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (pad);
  fixture_free (f);
}

GST_END_TEST;

/* ---- EOS ---- */

GST_START_TEST (test_eos)
{
  Fixture *f = fixture_new ("device-id=" DEV);

  fixture_play (f);
  fail_unless_equals_int (post_reading (f, DEV, NULL), 200);
  gst_buffer_unref (pull (fixture_sink (f, "accel")));
  /* only the linked pads matter for the EOS message; link the rest too */
  fail_unless (gst_element_send_event (f->pipeline, gst_event_new_eos ()));
  sensor_test_wait_eos (f->pipeline, 10 * GST_SECOND);
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (fixture_sink (f, "accel"))));
  fail_unless_equals_int (post_reading (f, DEV, NULL), 503);
  fixture_free (f);
}

GST_END_TEST;

/* ---- the listener: descriptors, idle and surplus connections, framing ---- */

/* A client that shares none of our code: libc sockets. */
static gint
raw_connect (gint port)
{
  struct sockaddr_in sa;
  gint fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (fd < 0)
    return -1;
  memset (&sa, 0, sizeof (sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons (port);
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (connect (fd, (struct sockaddr *) &sa, sizeof (sa)) != 0) {
    close (fd);
    return -1;
  }
  return fd;
}

static void
raw_send (gint fd, const gchar *data, gsize len)
{
  while (len > 0) {
    gssize n = send (fd, data, len, MSG_NOSIGNAL);

    fail_unless (n > 0, "send: %s", g_strerror (errno));
    data += n;
    len -= n;
  }
}

/* Reads until the peer closes or @until (if not NULL) has arrived, for at
 * most @timeout_ms; *closed tells whether the peer closed. */
static gchar *
raw_read (gint fd, const gchar *until, gint timeout_ms, gboolean *closed)
{
  GString *s = g_string_new (NULL);
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  *closed = FALSE;
  while (until == NULL || strstr (s->str, until) == NULL) {
    struct pollfd p = { fd, POLLIN, 0 };
    gint left = (gint) ((end - g_get_monotonic_time ()) / 1000);
    gchar buf[4096];
    gssize n;

    if (left <= 0 || poll (&p, 1, left) <= 0)
      break;
    n = recv (fd, buf, sizeof (buf), 0);
    if (n <= 0) {
      *closed = TRUE;
      break;
    }
    g_string_append_len (s, buf, n);
  }
  return g_string_free (s, FALSE);
}

static gchar *
raw_post_head (const gchar *extra_headers)
{
  return g_strdup_printf ("POST " STREAM " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Content-Type: application/json\r\n%s\r\n",
      extra_headers);
}

static guint
count_open_fds (void)
{
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  fail_unless (dir != NULL);
  while (g_dir_read_name (dir))
    n++;
  g_dir_close (dir);
  return n;
}

/* Pops the next warning (10 s guard) and checks its domain and text. */
static void
expect_warning (Fixture *f, const gchar *text)
{
  GstBus *bus = gst_element_get_bus (f->pipeline);
  GstMessage *msg =
      gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_WARNING);
  GError *err = NULL;
  gchar *debug = NULL;

  fail_unless (msg != NULL, "no warning (%s)", text);
  gst_message_parse_warning (msg, &err, &debug);
  fail_unless (err->domain == GST_RESOURCE_ERROR);
  fail_unless (strstr (err->message, text) != NULL, "'%s' lacks '%s'",
      err->message, text);
  g_error_free (err);
  g_free (debug);
  gst_message_unref (msg);
  gst_object_unref (bus);
}

GST_START_TEST (test_fd_exhaustion_recovers)
{
  Fixture *f = fixture_new ("device-id=" DEV " max-connections=100000 "
                            "idle-timeout=600");
  struct rlimit old, low;
  GArray *fds = g_array_new (FALSE, FALSE, sizeof (gint));
  GstBus *bus;
  GstMessage *msg;
  guint i;

  fixture_play (f);
  g_object_set (f->session, "timeout", 20, NULL);

  /* a limit just above what is open now, exhausted by idle connections
   * (a client end and a server end each) */
  fail_unless (getrlimit (RLIMIT_NOFILE, &old) == 0);
  low = old;
  low.rlim_cur = count_open_fds () + 40;
  fail_unless (setrlimit (RLIMIT_NOFILE, &low) == 0);
  for (;;) {
    gint fd = raw_connect (f->port);

    if (fd < 0)
      break;
    g_array_append_val (fds, fd);
  }
  fail_unless (fds->len > 5);
  /* until the server meets EMFILE: one client end freed and reused for a
   * connection it cannot accept */
  bus = gst_element_get_bus (f->pipeline);
  for (i = 0; i < 100; i++) {
    gint fd;

    msg = gst_bus_timed_pop_filtered (
        bus, 100 * GST_MSECOND, GST_MESSAGE_WARNING);
    if (msg)
      break;
    close (g_array_index (fds, gint, fds->len - 1));
    fd = raw_connect (f->port);
    fail_unless (fd >= 0);
    g_array_index (fds, gint, fds->len - 1) = fd;
  }
  fail_unless (msg != NULL, "no warning at EMFILE");
  {
    GError *err = NULL;

    gst_message_parse_warning (msg, &err, NULL);
    fail_unless (g_error_matches (
        err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ));
    fail_unless (strstr (err->message, "Not accepting connections") != NULL,
        "%s", err->message);
    fail_unless (
        strstr (err->message, g_strerror (EMFILE)) != NULL, "%s", err->message);
    g_error_free (err);
  }
  gst_message_unref (msg);
  gst_object_unref (bus);
  fail_unless (sensor_test_stat (f->src, "accept-errors") >= 1);

  /* descriptors free again: served again */
  for (i = 0; i < fds->len; i++)
    close (g_array_index (fds, gint, i));
  g_array_unref (fds);
  fail_unless (setrlimit (RLIMIT_NOFILE, &old) == 0);
  fail_unless_equals_int (post_reading (f, DEV, NULL), 200);
  expect_warning (f, "Accepting connections again");
  gst_buffer_unref (pull (fixture_sink (f, "accel")));
  fixture_free (f);
}

GST_END_TEST;

GST_START_TEST (test_idle_keepalive_closed)
{
  Fixture *f = fixture_new ("device-id=" DEV " idle-timeout=1");
  gchar *body = reading_json (DEV, 9.8, NULL);
  gchar *extra =
      g_strdup_printf ("Content-Length: %u\r\n", (guint) strlen (body));
  gchar *head = raw_post_head (extra);
  gchar *answer;
  gboolean closed;
  gint64 start;
  gint fd;

  fixture_play (f);
  fd = raw_connect (f->port);
  fail_unless (fd >= 0);
  raw_send (fd, head, strlen (head));
  raw_send (fd, body, strlen (body));
  /* the answer keeps the connection open (HTTP/1.1) */
  answer = raw_read (fd, "\"nextAllowedRequest\"", 10000, &closed);
  fail_unless (g_str_has_prefix (answer, "HTTP/1.1 200"), "%s", answer);
  fail_if (closed);
  g_free (answer);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "connections"), 1);

  /* idle: closed after about a second, well before the 20 s guard */
  start = g_get_monotonic_time ();
  answer = raw_read (fd, NULL, 20000, &closed);
  fail_unless (closed);
  fail_unless_equals_string (answer, "");
  fail_unless (g_get_monotonic_time () - start >= 900 * 1000);
  fail_unless (g_get_monotonic_time () - start < 20 * G_USEC_PER_SEC);
  g_free (answer);
  close (fd);
  fail_unless_equals_uint64 (
      sensor_test_stat (f->src, "connections-accepted"), 1);

  g_free (head);
  g_free (extra);
  g_free (body);
  fixture_free (f);
}

GST_END_TEST;

GST_START_TEST (test_max_connections)
{
  Fixture *f = fixture_new ("device-id=" DEV " max-connections=2");
  gint a, b, c;
  gchar *answer;
  gboolean closed;
  gint64 end;

  fixture_play (f);
  a = raw_connect (f->port);
  b = raw_connect (f->port);
  fail_unless (a >= 0 && b >= 0);
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (sensor_test_stat (f->src, "connections") < 2 &&
      g_get_monotonic_time () < end)
    g_usleep (10000);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "connections"), 2);

  /* a third is answered 503 and closed at once */
  c = raw_connect (f->port);
  fail_unless (c >= 0);
  answer = raw_read (c, NULL, 10000, &closed);
  fail_unless (closed);
  fail_unless_equals_string (answer,
      "HTTP/1.1 503 Service Unavailable\r\n"
      "Content-Type: application/json\r\nContent-Length: 48\r\n"
      "Retry-After: 1\r\nConnection: close\r\n\r\n"
      "{\"success\":false,\"error\":\"Too many connections\"}");
  g_free (answer);
  close (c);
  fail_unless_equals_uint64 (
      sensor_test_stat (f->src, "connections-refused"), 1);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "connections"), 2);

  /* one closes: the next is served */
  close (a);
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (sensor_test_stat (f->src, "connections") > 1 &&
      g_get_monotonic_time () < end)
    g_usleep (10000);
  fail_unless_equals_int (post_reading (f, DEV, NULL), 200);
  close (b);
  fixture_free (f);
}

GST_END_TEST;

/* The 413 comes while the client is still sending, not after the body. */
GST_START_TEST (test_chunked_too_large_answered_early)
{
  Fixture *f = fixture_new ("device-id=" DEV " max-body-size=1024");
  gchar *head = raw_post_head ("Transfer-Encoding: chunked\r\n");
  gchar chunk[600];
  gchar *answer;
  gboolean closed;
  gint fd, i;

  fixture_play (f);
  fd = raw_connect (f->port);
  fail_unless (fd >= 0);
  raw_send (fd, head, strlen (head));
  memset (chunk, ' ', sizeof (chunk));
  memcpy (chunk, "200\r\n", 5);
  memcpy (chunk + 5 + 0x200, "\r\n", 2);
  /* 3 x 512 bytes, more than 1024, and no last chunk */
  for (i = 0; i < 3; i++)
    raw_send (fd, chunk, 5 + 0x200 + 2);
  answer = raw_read (fd, "}", 10000, &closed);
  fail_unless (g_str_has_prefix (answer, "HTTP/1.1 413 "), "%s", answer);
  fail_unless (g_str_has_suffix (answer,
                   "\r\n\r\n{\"success\":false,\"error\":\"Payload too "
                   "large\"}"),
      "%s", answer);
  fail_unless (strstr (answer, "Connection: close\r\n") != NULL);
  g_free (answer);
  close (fd);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "refused"), 1);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "accepted"), 0);
  g_free (head);
  fixture_free (f);
}

GST_END_TEST;

/* A Content-Length that is not one number gets 400 and the connection is
 * closed: libsoup answers the ones it cannot parse (no body), the element
 * those libsoup would misread ("-5" as a huge length, two different
 * values as the last one). */
GST_START_TEST (test_bad_content_length)
{
  Fixture *f = fixture_new ("device-id=" DEV);
  const struct
  {
    const gchar *headers;
    gboolean ours;
  } bad[] = {
    { "Content-Length: abc\r\n", FALSE },
    { "Content-Length: -5\r\n", TRUE },
    { "Content-Length: 10\r\nContent-Length: 12\r\n", TRUE },
    { "Content-Length: 10, 12\r\n", FALSE },
    { "Content-Length: 1x\r\n", FALSE },
  };
  guint i;

  fixture_play (f);
  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    gchar *head = raw_post_head (bad[i].headers);
    gchar *answer;
    gboolean closed;
    gint fd = raw_connect (f->port);

    fail_unless (fd >= 0);
    raw_send (fd, head, strlen (head));
    raw_send (fd, "{}", 2);
    answer = raw_read (fd, NULL, 10000, &closed);
    fail_unless (closed, "%s", bad[i].headers);
    if (bad[i].ours) {
      fail_unless_equals_string (answer,
          "HTTP/1.1 400 Bad Request\r\n"
          "Content-Type: application/json\r\nContent-Length: 50\r\n"
          "Connection: close\r\n\r\n"
          "{\"success\":false,\"error\":\"Invalid Content-Length\"}");
    } else {
      fail_unless (g_str_has_prefix (answer, "HTTP/1.1 400 Bad Request\r\n") &&
              g_str_has_suffix (answer, "Content-Length: 0\r\n\r\n"),
          "%s: %s", bad[i].headers, answer);
    }
    g_free (answer);
    close (fd);
    g_free (head);
  }
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "invalid"), 2);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "accepted"), 0);
  /* the same value twice is one value */
  {
    gchar *body = reading_json (DEV, 9.8, NULL);
    gchar *extra = g_strdup_printf ("Content-Length: %u\r\n"
                                    "Content-Length: %u\r\n",
        (guint) strlen (body), (guint) strlen (body));
    gchar *head = raw_post_head (extra);
    gchar *answer;
    gboolean closed;
    gint fd = raw_connect (f->port);

    raw_send (fd, head, strlen (head));
    raw_send (fd, body, strlen (body));
    answer = raw_read (fd, "\"nextAllowedRequest\"", 10000, &closed);
    fail_unless (g_str_has_prefix (answer, "HTTP/1.1 200"), "%s", answer);
    g_free (answer);
    close (fd);
    g_free (head);
    g_free (extra);
    g_free (body);
  }
  fixture_free (f);
}

GST_END_TEST;

/* ---- device clocks ---- */

static Response
post_at (Fixture *f, const gchar *iso)
{
  gchar *extra = g_strdup_printf ("\"client_timestamp\":\"%s\"", iso);
  gchar *body = reading_json (DEV, 9.8, extra);
  Response r = post (f, STREAM, body);

  g_free (body);
  g_free (extra);
  return r;
}

GST_START_TEST (test_client_timestamp_window)
{
  Fixture *f = fixture_new ("device-id=" DEV " rate-limit=0");
  const gchar *far[] = { "2100-01-01T00:00:00.000Z",
    "9999-12-31T23:59:59.999Z" };
  GstElement *sink;
  Response r;
  gchar *body;
  guint i;

  fixture_play (f);
  sink = fixture_sink (f, "accel");
  for (i = 0; i < G_N_ELEMENTS (far); i++) {
    r = post_at (f, far[i]);
    fail_unless_equals_int (r.status, 400);
    fail_unless_equals_string (r.body,
        "{\"success\":false,\"error\":\"Validation failed\",\"details\":"
        "{\"client_timestamp\":\"Must not be more than 300 s ahead of the "
        "server clock\"}}");
    response_clear (&r);
  }
  r = post_at (f, "2001-01-01T00:00:00.000Z");
  fail_unless_equals_int (r.status, 400);
  fail_unless_equals_string (r.body,
      "{\"success\":false,\"error\":\"Validation failed\",\"details\":"
      "{\"client_timestamp\":\"Must not be more than 86400 s behind the "
      "server clock\"}}");
  response_clear (&r);
  /* in a batch, the reading is named */
  body = batch_json (2, -1, 253402300799000000 - 10000);
  r = post (f, BATCH, body);
  g_free (body);
  fail_unless_equals_int (r.status, 400);
  fail_unless (strstr (r.body,
                   "\"readings[0].client_timestamp\":\"Must not be more "
                   "than 300 s ahead") != NULL,
      "%s", r.body);
  response_clear (&r);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "invalid"), 4);
  fail_unless (no_buffer_waiting (sink));

  /* every later reading of the device arrives, in step with its clock */
  for (i = 0; i < 21; i++) {
    gint64 t = (g_get_real_time () / 1000 + 1000 + i * 100) * 1000;
    gchar *iso = gst_sensor_stream_format_iso8601 (t);

    r = post_at (f, iso);
    fail_unless_equals_int (r.status, 200);
    response_clear (&r);
    g_free (iso);
  }
  for (i = 0; i < 21; i++) {
    GstBuffer *buf = pull (sink);

    fail_unless (GST_BUFFER_PTS (buf) < 400 * GST_SECOND);
    gst_buffer_unref (buf);
  }
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "clamped"), 0);
  fixture_free (f);
}

GST_END_TEST;

/* With the window off, year 9999 saturates instead of overflowing. */
GST_START_TEST (test_client_timestamp_no_overflow)
{
  Fixture *f =
      fixture_new ("device-id=" DEV " max-clock-skew=0 max-reading-age=0");
  GstBuffer *buf;
  GstClockTime epoch;
  Response r;

  fixture_play (f);
  r = post_at (f, "9999-12-31T23:59:59.999Z");
  fail_unless_equals_int (r.status, 200);
  response_clear (&r);
  buf = pull (fixture_sink (f, "accel"));
  fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch));
  fail_unless_equals_uint64 (epoch, G_MAXINT64);
  fail_unless (GST_CLOCK_TIME_IS_VALID (GST_BUFFER_PTS (buf)));
  fail_unless (GST_BUFFER_PTS (buf) <= G_MAXINT64);
  gst_buffer_unref (buf);
  fixture_free (f);
}

GST_END_TEST;

/* ---- EOS while devices post, and with no pad yet ---- */

typedef struct
{
  gint port;
  gint stop;
  guint posted;
} Poster;

static gpointer
poster_thread (gpointer data)
{
  Poster *p = data;
  SoupSession *session = soup_session_new ();
  guint i = 0;

  while (!g_atomic_int_get (&p->stop)) {
    gchar *uri = g_strdup_printf ("http://127.0.0.1:%d" STREAM, p->port);
    gchar *dev = g_strdup_printf ("AA:BB:CC:00:00:%02X", i++ % 16);
    gchar *body = reading_json (dev, 9.8, NULL);
    SoupMessage *msg = soup_message_new ("POST", uri);
    GBytes *b = g_bytes_new_take (body, strlen (body));
    GBytes *answer;

    soup_message_set_request_body_from_bytes (msg, "application/json", b);
    answer = soup_session_send_and_read (session, msg, NULL, NULL);
    if (answer && soup_message_get_status (msg) == 200)
      g_atomic_int_inc (&p->posted);
    if (answer)
      g_bytes_unref (answer);
    g_bytes_unref (b);
    g_object_unref (msg);
    g_free (dev);
    g_free (uri);
  }
  g_object_unref (session);
  return NULL;
}

GST_START_TEST (test_eos_while_posting)
{
  Fixture *f = fixture_new ("rate-limit=0");
  Poster p = { 0, 0, 0 };
  GThread *threads[2];
  gint64 end;
  GHashTableIter iter;
  gpointer value;
  guint i;

  fixture_play (f);
  p.port = f->port;
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("poster", poster_thread, &p);
  end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (g_atomic_int_get (&p.posted) < 20 && g_get_monotonic_time () < end)
    g_usleep (1000);
  fail_unless (g_atomic_int_get (&p.posted) >= 20);
  fail_unless (gst_element_send_event (f->pipeline, gst_event_new_eos ()));
  sensor_test_wait_eos (f->pipeline, 10 * GST_SECOND);
  g_atomic_int_set (&p.stop, 1);
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  /* every pad's sink got its EOS */
  g_mutex_lock (&f->lock);
  fail_unless (g_hash_table_size (f->sinks) > 2);
  g_hash_table_iter_init (&iter, f->sinks);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    GstSample *s;

    while ((s = gst_app_sink_try_pull_sample (GST_APP_SINK (value), 0)))
      gst_sample_unref (s);
    fail_unless (gst_app_sink_is_eos (GST_APP_SINK (value)));
  }
  g_mutex_unlock (&f->lock);
  fixture_free (f);
}

GST_END_TEST;

/* A gateway pipeline, pads linked as they come: EOS before any device
 * posted ends it too. */
GST_START_TEST (test_eos_without_pads)
{
  Fixture *f = fixture_new (NULL);

  fixture_play (f);
  fail_unless (gst_element_send_event (f->pipeline, gst_event_new_eos ()));
  sensor_test_wait_eos (f->pipeline, 10 * GST_SECOND);
  fail_unless_equals_int (post_reading (f, DEV, NULL), 503);
  /* and the element plays again after a restart */
  fail_unless (gst_element_set_state (f->pipeline, GST_STATE_READY) ==
      GST_STATE_CHANGE_SUCCESS);
  fixture_play (f);
  fail_unless_equals_int (post_reading (f, DEV, NULL), 200);
  fixture_free (f);
}

GST_END_TEST;

/* ---- a peer that shares none of our code ---- */

static gchar *
run_curl (gint port, const gchar *path, const gchar *extra_header,
    const gchar *data_file, const gchar *body, gint *http_code)
{
  gchar *url = g_strdup_printf ("http://127.0.0.1:%d%s", port, path);
  gchar *out = NULL, *err = NULL;
  gint status = 0;
  GPtrArray *argv = g_ptr_array_new ();
  gchar *nl;

  g_ptr_array_add (argv, (gchar *) "curl");
  g_ptr_array_add (argv, (gchar *) "-sS");
  g_ptr_array_add (argv, (gchar *) "-X");
  g_ptr_array_add (argv, (gchar *) "POST");
  g_ptr_array_add (argv, url);
  g_ptr_array_add (argv, (gchar *) "-H");
  g_ptr_array_add (argv, (gchar *) "Content-Type: application/json");
  g_ptr_array_add (argv, (gchar *) "-H");
  g_ptr_array_add (argv, (gchar *) "Authorization: Bearer TOKEN");
  if (extra_header) {
    g_ptr_array_add (argv, (gchar *) "-H");
    g_ptr_array_add (argv, (gchar *) extra_header);
  }
  g_ptr_array_add (argv, (gchar *) "--data-binary");
  g_ptr_array_add (argv, (gchar *) (data_file ? data_file : body));
  g_ptr_array_add (argv, (gchar *) "-w");
  g_ptr_array_add (argv, (gchar *) "\n%{http_code}");
  g_ptr_array_add (argv, NULL);
  fail_unless (g_spawn_sync (NULL, (gchar **) argv->pdata, NULL,
      G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, NULL));
  fail_unless (g_spawn_check_wait_status (status, NULL), "curl: %s", err);
  nl = strrchr (out, '\n');
  fail_unless (nl != NULL);
  *nl = '\0';
  *http_code = atoi (nl + 1);
  g_ptr_array_unref (argv);
  g_free (url);
  g_free (err);
  return out;
}

GST_START_TEST (test_curl_peer)
{
  Fixture *f = fixture_new ("device-id=" DEV " auth-token=TOKEN "
                            "max-body-size=4096");
  const gchar *doc_example =
      "{\"device_id\": \"AA:BB:CC:DD:EE:FF\","
      "\"accel_x\": 0.5, \"accel_y\": 0.3, \"accel_z\": 9.8,"
      "\"gyro_x\": 0.1, \"gyro_y\": 0.2, \"gyro_z\": -0.05,"
      "\"uptime_ms\": 3600000, \"heart_rate\": 72, \"spo2\": 98,"
      "\"battery_level\": 85.0, \"pressure\": 101.3, \"fsr\": 0.45,"
      "\"wifi_connected\": true, \"bluetooth_connected\": false,"
      "\"sensors_initialized\": true}";
  gchar *out, *path;
  gint code;
  GstBuffer *buf;
  GString *big;

  fixture_play (f);
  /* the documented "Full Request with Vitals" */
  out = run_curl (f->port, STREAM, NULL, NULL, doc_example, &code);
  fail_unless_equals_int (code, 200);
  fail_unless (g_str_has_prefix (out,
                   "{\"success\":true,\"data\":{"
                   "\"deviceId\":\"AA:BB:CC:DD:EE:FF\",\"timestamp\":\""),
      "%s", out);
  fail_unless (strstr (out,
                   "\"fallDetected\":false,\"fallConfidence\":0,"
                   "\"healthScore\":100,\"nextAllowedRequest\":\"") != NULL,
      "%s", out);
  g_free (out);
  buf = pull (fixture_sink (f, "pressure"));
  assert_floats (buf, (gfloat[]){ 101.3f }, 1);
  gst_buffer_unref (buf);
  buf = pull (fixture_sink (f, "fsr"));
  assert_floats (buf, (gfloat[]){ 0.45f }, 1);
  gst_buffer_unref (buf);

  /* a chunked body past max-body-size */
  big = g_string_new ("{\"device_id\":\"" DEV "\",\"pad\":\"");
  while (big->len < 64 * 1024)
    g_string_append (big, "0123456789abcdef");
  g_string_append (big, "\"}");
  {
    gint fd = g_file_open_tmp ("rpsensorsrc-XXXXXX.json", &path, NULL);

    fail_unless (fd >= 0);
    close (fd);
  }
  fail_unless (g_file_set_contents (path, big->str, big->len, NULL));
  g_string_free (big, TRUE);
  {
    gchar *arg = g_strdup_printf ("@%s", path);

    out = run_curl (
        f->port, STREAM, "Transfer-Encoding: chunked", arg, NULL, &code);
    g_free (arg);
  }
  fail_unless_equals_int (code, 413);
  fail_unless_equals_string (
      out, "{\"success\":false,\"error\":\"Payload too large\"}");
  g_free (out);
  g_unlink (path);
  g_free (path);

  /* unauthenticated curl */
  {
    gchar *cmd = g_strdup_printf ("curl -s -o /dev/null -w %%{http_code} "
                                  "-X POST http://127.0.0.1:%d" STREAM
                                  " -H 'Content-Type: "
                                  "application/json' -d '{}'",
        f->port);
    gchar *o = NULL;

    fail_unless (g_spawn_command_line_sync (cmd, &o, NULL, NULL, NULL));
    fail_unless_equals_string (o, "401");
    g_free (o);
    g_free (cmd);
  }
  fixture_free (f);
}

GST_END_TEST;

/* ---- deep and disguised JSON (strict pre-check) ---- */

/* 100 KB of brackets behind a comment: json-glib recursed once per
 * bracket, and a quote inside the comment hid them from the old bracket
 * counter; one unauthenticated POST took the pipeline down. */
static gchar *
deep_body (const gchar *prefix, const gchar *suffix)
{
  GString *s = g_string_new (prefix);
  guint i;

  for (i = 0; i < 100000; i++)
    g_string_append_c (s, '[');
  g_string_append (s, suffix);
  return g_string_free (s, FALSE);
}

static void
check_deep_bodies_refused (const gchar *props, const gchar *auth)
{
  static const gchar *frames[][2] = {
    { "/*", "*/" },
    { "/* \" */", "" },
    { "{\"device_id\":\"" DEV "\",\"readings\":/*\"*/", "" },
    { "'\"'", "" },
  };
  static const gchar *paths[] = { STREAM, BATCH };
  Fixture *f = fixture_new (props);
  gchar *body;
  guint i, j;

  fixture_play (f);
  for (i = 0; i < G_N_ELEMENTS (paths); i++)
    for (j = 0; j < G_N_ELEMENTS (frames); j++) {
      Response r;

      body = deep_body (frames[j][0], frames[j][1]);
      r = request (f, "POST", paths[i], "application/json", auth, body);
      fail_unless_equals_int (r.status, 400);
      fail_unless_equals_string (
          r.body, "{\"success\":false,\"error\":\"Invalid JSON\"}");
      response_clear (&r);
      g_free (body);
    }
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "invalid"), 8);

  /* still serving: a valid reading arrives downstream */
  body = reading_json (DEV, 9.8, NULL);
  {
    Response r = request (f, "POST", STREAM, "application/json", auth, body);
    GstBuffer *buf;

    fail_unless_equals_int (r.status, 200);
    response_clear (&r);
    buf = pull (fixture_sink (f, "accel"));
    gst_buffer_unref (buf);
  }
  g_free (body);
  fixture_free (f);
}

GST_START_TEST (test_deep_json_refused)
{
  check_deep_bodies_refused ("device-id=" DEV, NULL);
}

GST_END_TEST;

GST_START_TEST (test_deep_json_refused_with_token)
{
  check_deep_bodies_refused (
      "device-id=" DEV " auth-token=s3cret", "Bearer s3cret");
}

GST_END_TEST;

/* ---- gateway scale: the streaming pool, idle devices, draining ---- */

static guint
process_threads (void)
{
  gchar *status = NULL, *line;
  guint n = 0;

  fail_unless (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "\nThreads:");
  fail_unless (line != NULL);
  n = (guint) g_ascii_strtoull (line + strlen ("\nThreads:"), NULL, 10);
  g_free (status);
  return n;
}

/* @n readings of @device, uptime_ms @first, @first + 1, ... */
static gchar *
device_batch_json (const gchar *device, guint n, guint first)
{
  GString *s = g_string_new (NULL);
  guint i;

  g_string_append_printf (s, "{\"device_id\":\"%s\",\"readings\":[", device);
  for (i = 0; i < n; i++)
    g_string_append_printf (s,
        "%s{\"accel_x\":1,\"accel_y\":0,\"accel_z\":9.8,\"gyro_x\":0,"
        "\"gyro_y\":0,\"gyro_z\":0,\"uptime_ms\":%u}",
        i ? "," : "", first + i);
  g_string_append (s, "]}");
  return g_string_free (s, FALSE);
}

static guint
post_batch (Fixture *f, const gchar *device, guint n, guint first)
{
  gchar *body = device_batch_json (device, n, first);
  Response r = post (f, BATCH, body);
  guint status = r.status;

  g_free (body);
  response_clear (&r);
  return status;
}

static void
assert_offsets (GstElement *sink, guint n, guint start)
{
  guint i;

  for (i = 0; i < n; i++) {
    GstBuffer *buf = pull (sink);

    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (buf), start + i);
    gst_buffer_unref (buf);
  }
}

static guint
get_uint_stat (Fixture *f, const gchar *name)
{
  GstStructure *s;
  guint v = 0;

  g_object_get (f->src, "stats", &s, NULL);
  fail_unless (gst_structure_get_uint (s, name, &v), "%s", name);
  gst_structure_free (s);
  return v;
}

#define N_SCALE_DEVICES 300

/* 300 devices, 600 pads, two streaming threads: the process's thread count
 * does not grow with the devices (a task per pad made it 600 more), and
 * every pad gets its readings in order. */
GST_START_TEST (test_many_devices_bounded_threads)
{
  Fixture *f = fixture_new ("streaming-threads=2 rate-limit=0");
  guint before, after, d, round;

  before = process_threads ();
  fixture_play (f);
  for (round = 0; round < 3; round++)
    for (d = 0; d < N_SCALE_DEVICES; d++) {
      gchar *dev = g_strdup_printf ("00:00:00:00:%02X:%02X", d >> 8, d & 0xff);

      fail_unless_equals_int (post_batch (f, dev, 2, 1000 + round * 2), 200);
      g_free (dev);
    }
  after = process_threads ();
  /* the server thread, two workers, and what GLib starts on its own */
  fail_unless (after <= before + 6, "%u threads, %u before", after, before);

  for (d = 0; d < N_SCALE_DEVICES; d++) {
    gchar *accel =
        g_strdup_printf ("00_00_00_00_%02X_%02X_accel", d >> 8, d & 0xff);
    gchar *gyro =
        g_strdup_printf ("00_00_00_00_%02X_%02X_gyro", d >> 8, d & 0xff);

    assert_offsets (fixture_sink (f, accel), 6, 1000);
    assert_offsets (fixture_sink (f, gyro), 6, 1000);
    g_free (accel);
    g_free (gyro);
  }
  fail_unless_equals_uint64 (
      sensor_test_stat (f->src, "accepted"), 6 * N_SCALE_DEVICES);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "dropped"), 0);
  fail_unless_equals_int (get_uint_stat (f, "devices"), N_SCALE_DEVICES);
  fixture_free (f);
}

GST_END_TEST;

/* Only the groups named in `groups` get pads; the other groups' values are
 * counted and go no further. */
GST_START_TEST (test_groups_limit_pads)
{
  Fixture *f = fixture_new ("groups=accel rate-limit=0");
  GList *pads;

  fixture_play (f);
  fail_unless_equals_int (post_batch (f, "AA:00:00:00:00:01", 5, 1), 200);
  assert_offsets (fixture_sink (f, "AA_00_00_00_00_01_accel"), 5, 1);
  GST_OBJECT_LOCK (f->src);
  pads = GST_ELEMENT (f->src)->srcpads;
  fail_unless_equals_int (g_list_length (pads), 1);
  fail_unless_equals_string (
      GST_PAD_NAME (pads->data), "AA_00_00_00_00_01_accel");
  GST_OBJECT_UNLOCK (f->src);
  /* gyro of each of the 5 readings */
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "groups-skipped"), 5);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "pushed"), 5);
  fixture_free (f);
}

GST_END_TEST;

GST_START_TEST (test_groups_unknown_name)
{
  GstElement *p = gst_pipeline_new (NULL);
  GstElement *src = gst_element_factory_make ("rpsensorsrc", NULL);
  GError *err;

  g_object_set (src, "port", 0, "groups", "accel, heartrate", NULL);
  gst_bin_add (GST_BIN (p), src);
  err = expect_settings_error (p);
  fail_unless_equals_string (
      err->message, "groups: no such group \"heartrate\"");
  g_error_free (err);
  gst_object_unref (p);
}

GST_END_TEST;

static GstPadProbeReturn
count_items (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  gint *items = user_data;

  if (info->type & (GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST))
    g_atomic_int_inc (items);
  return GST_PAD_PROBE_OK;
}

/* A request's readings go down each pad as one buffer list (one push, one
 * worker wake-up), in order, with their own timestamps. */
GST_START_TEST (test_request_is_one_list)
{
  Fixture *f = fixture_new ("groups=accel rate-limit=0");
  GstPad *pad;
  gint items = 0;

  fixture_play (f);
  fail_unless_equals_int (post_batch (f, "AA:00:00:00:00:01", 1, 1), 200);
  assert_offsets (fixture_sink (f, "AA_00_00_00_00_01_accel"), 1, 1);
  pad = gst_element_get_static_pad (f->src, "AA_00_00_00_00_01_accel");
  gst_pad_add_probe (pad,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, count_items,
      &items, NULL);
  fail_unless_equals_int (post_batch (f, "AA:00:00:00:00:01", 50, 2), 200);
  assert_offsets (fixture_sink (f, "AA_00_00_00_00_01_accel"), 50, 2);
  fail_unless_equals_int (g_atomic_int_get (&items), 1);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "pushed"), 51);
  gst_object_unref (pad);
  fixture_free (f);
}

GST_END_TEST;

/* A stalled branch holds one of two workers and loses only its own oldest
 * buffers: every other pad, of its device and another, gets everything. */
GST_START_TEST (test_stalled_pad_drops_only_its_own)
{
  Fixture *f = fixture_new ("streaming-threads=2 queue-size=64 rate-limit=0");
  GstElement *stalled;
  GstSample *s;
  guint64 received = 0, last = 0;
  guint k;

  fixture_play (f);
  fail_unless_equals_int (post_batch (f, "AA:00:00:00:00:01", 1, 1), 200);
  stalled = fixture_sink (f, "AA_00_00_00_00_01_accel");
  gst_buffer_unref (pull (stalled));
  assert_offsets (fixture_sink (f, "AA_00_00_00_00_01_gyro"), 1, 1);
  g_object_set (stalled, "max-buffers", 1, "drop", FALSE, NULL);
  /* 150 readings for a pad that takes one: its queue of 64 overflows */
  for (k = 0; k < 3; k++) {
    fail_unless_equals_int (
        post_batch (f, "AA:00:00:00:00:01", 50, 100 + 50 * k), 200);
    fail_unless_equals_int (
        post_batch (f, "BB:00:00:00:00:02", 50, 100 + 50 * k), 200);
    assert_offsets (
        fixture_sink (f, "AA_00_00_00_00_01_gyro"), 50, 100 + 50 * k);
    assert_offsets (
        fixture_sink (f, "BB_00_00_00_00_02_accel"), 50, 100 + 50 * k);
    assert_offsets (
        fixture_sink (f, "BB_00_00_00_00_02_gyro"), 50, 100 + 50 * k);
  }

  /* the stalled pad: what it got plus what it dropped is all of it, the
   * newest last */
  while ((s = gst_app_sink_try_pull_sample (
              GST_APP_SINK (stalled), 500 * GST_MSECOND))) {
    last = GST_BUFFER_OFFSET (gst_sample_get_buffer (s));
    received++;
    gst_sample_unref (s);
  }
  fail_unless_equals_uint64 (last, 249);
  /* a request's readings go down as one list: the stalled pad holds its
   * queue (64), the request being pushed (50) and the sink's one */
  fail_unless (sensor_test_stat (f->src, "dropped") >= 150 - 64 - 50 - 1);
  fail_unless_equals_uint64 (
      received + sensor_test_stat (f->src, "dropped"), 150);
  fixture_free (f);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GCond cond;
  guint removed;
} Removals;

static void
on_pad_removed (GstElement *src, GstPad *pad, Removals *r)
{
  g_mutex_lock (&r->lock);
  r->removed++;
  g_cond_broadcast (&r->cond);
  g_mutex_unlock (&r->lock);
}

/* An idle device's pads get EOS and are removed; its next post makes them
 * again. */
GST_START_TEST (test_idle_device_pads_removed_and_recreated)
{
  Fixture *f = fixture_new ("device-idle-timeout=1 rate-limit=0");
  Removals rm = {
    0,
  };
  GstElement *old_sink;
  gint64 deadline;
  GstPad *pad;

  g_mutex_init (&rm.lock);
  g_cond_init (&rm.cond);
  g_signal_connect (f->src, "pad-removed", G_CALLBACK (on_pad_removed), &rm);
  fixture_play (f);
  fail_unless_equals_int (post_batch (f, DEV, 1, 7), 200);
  old_sink = fixture_sink (f, "AA_BB_CC_DD_EE_FF_accel");
  assert_offsets (old_sink, 1, 7);
  fail_unless_equals_uint64 (get_uint_stat (f, "devices"), 1);

  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  g_mutex_lock (&rm.lock);
  while (rm.removed < 2)
    fail_unless (g_cond_wait_until (&rm.cond, &rm.lock, deadline));
  g_mutex_unlock (&rm.lock);
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (old_sink)));
  pad = gst_element_get_static_pad (f->src, "AA_BB_CC_DD_EE_FF_accel");
  fail_unless (pad == NULL);
  fail_unless_equals_uint64 (get_uint_stat (f, "devices"), 0);
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "devices-expired"), 1);

  fail_unless_equals_int (post_batch (f, DEV, 1, 8), 200);
  fail_unless (fixture_sink (f, "AA_BB_CC_DD_EE_FF_accel") != old_sink);
  assert_offsets (fixture_sink (f, "AA_BB_CC_DD_EE_FF_accel"), 1, 8);
  fail_unless_equals_uint64 (get_uint_stat (f, "devices"), 1);
  fixture_free (f);
  g_mutex_clear (&rm.lock);
  g_cond_clear (&rm.cond);
}

GST_END_TEST;

/* Draining: new requests get 503 and their connection closed; readings
 * accepted before still arrive; clearing it serves again. */
GST_START_TEST (test_draining)
{
  Fixture *f = fixture_new ("device-id=" DEV " rate-limit=0");
  GstElement *sink;
  GstPad *pad;
  Response r;
  gchar *body = device_batch_json (DEV, 1, 42);

  fixture_play (f);
  sink = fixture_sink (f, "accel");
  /* hold the first reading back until draining is on */
  pad = gst_element_get_static_pad (f->src, "accel");
  fail_unless_equals_int (post_batch (f, DEV, 1, 41), 200);
  g_object_set (f->src, "draining", TRUE, NULL);
  r = post (f, BATCH, body);
  fail_unless_equals_int (r.status, 503);
  fail_unless_equals_string (
      r.body, "{\"success\":false,\"error\":\"Service draining\"}");
  fail_unless_equals_string (
      soup_message_headers_get_one (r.headers, "Retry-After"), "1");
  fail_unless (
      soup_message_headers_header_contains (r.headers, "Connection", "close"));
  response_clear (&r);
  assert_offsets (sink, 1, 41);
  fail_unless (no_buffer_waiting (sink));
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "accepted"), 1);

  g_object_set (f->src, "draining", FALSE, NULL);
  r = post (f, BATCH, body);
  fail_unless_equals_int (r.status, 200);
  response_clear (&r);
  assert_offsets (sink, 1, 42);
  gst_object_unref (pad);
  g_free (body);
  fixture_free (f);
}

GST_END_TEST;

/* set-device-held keeps a device's readings in its pads' queues (no
 * streaming thread pushes them) until released, then they arrive in order;
 * set-device-available FALSE answers its posts 503 "Device unavailable". */
GST_START_TEST (test_device_held_and_unavailable)
{
  Fixture *f = fixture_new ("device-id=" DEV " rate-limit=0");
  GstElement *sink;
  Response r;
  gchar *body = device_batch_json (DEV, 1, 44);

  fixture_play (f);
  sink = fixture_sink (f, "accel");
  g_signal_emit_by_name (f->src, "set-device-held", "aa-bb-cc-dd-ee-ff", TRUE);
  fail_unless_equals_int (post_batch (f, DEV, 1, 41), 200);
  fail_unless_equals_int (post_batch (f, DEV, 1, 42), 200);
  g_usleep (200 * 1000);
  fail_unless (no_buffer_waiting (sink), "a held device's reading flowed");
  fail_unless_equals_uint64 (sensor_test_stat (f->src, "queued"), 4);
  g_signal_emit_by_name (f->src, "set-device-held", DEV, FALSE);
  assert_offsets (sink, 1, 41);
  assert_offsets (sink, 1, 42);

  g_signal_emit_by_name (f->src, "set-device-available", DEV, FALSE);
  r = post (f, BATCH, body);
  fail_unless_equals_int (r.status, 503);
  fail_unless_equals_string (
      r.body, "{\"success\":false,\"error\":\"Device unavailable\"}");
  fail_unless_equals_string (
      soup_message_headers_get_one (r.headers, "Retry-After"), "1");
  response_clear (&r);
  g_signal_emit_by_name (f->src, "set-device-available", DEV, TRUE);
  fail_unless_equals_int (post_batch (f, DEV, 1, 43), 200);
  assert_offsets (sink, 1, 43);
  g_free (body);
  fixture_free (f);
}

GST_END_TEST;

static Suite *
rpsensorsrc_suite (void)
{
  Suite *s = suite_create ("rpsensorsrc");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_properties);
  tcase_add_test (tc, test_device_held_and_unavailable);
  tcase_add_test (tc, test_state_cycles_release_port);
  tcase_add_test (tc, test_not_streaming_when_paused);
  tcase_add_test (tc, test_filtered_pads_and_timestamps);
  tcase_add_test (tc, test_per_device_pads);
  tcase_add_test (tc, test_max_devices);
  tcase_add_test (tc, test_rate_limit);
  tcase_add_test (tc, test_rate_limit_configurable);
  tcase_add_test (tc, test_bad_requests);
  tcase_add_test (tc, test_batch);
  tcase_add_test (tc, test_auth);
  tcase_add_test (tc, test_non_loopback_needs_token);
  tcase_add_test (tc, test_fall_detected_message);
  tcase_add_test (tc, test_slow_client_closed_others_served);
  tcase_add_test (tc, test_full_queue_drops_oldest);
  tcase_add_test (tc, test_full_queue_keeps_eos);
  tcase_add_test (tc, test_live_sync_sinks_no_deadlock);
  tcase_add_test (tc, test_blocked_pad_does_not_stop_others);
  tcase_add_test (tc, test_stop_while_blocked);
  tcase_add_test (tc, test_eos);
  tcase_add_test (tc, test_fd_exhaustion_recovers);
  tcase_add_test (tc, test_idle_keepalive_closed);
  tcase_add_test (tc, test_max_connections);
  tcase_add_test (tc, test_chunked_too_large_answered_early);
  tcase_add_test (tc, test_bad_content_length);
  tcase_add_test (tc, test_client_timestamp_window);
  tcase_add_test (tc, test_client_timestamp_no_overflow);
  tcase_add_test (tc, test_eos_while_posting);
  tcase_add_test (tc, test_eos_without_pads);
  tcase_add_test (tc, test_curl_peer);
  tcase_add_test (tc, test_deep_json_refused);
  tcase_add_test (tc, test_deep_json_refused_with_token);
  tcase_add_test (tc, test_many_devices_bounded_threads);
  tcase_add_test (tc, test_stalled_pad_drops_only_its_own);
  tcase_add_test (tc, test_groups_limit_pads);
  tcase_add_test (tc, test_groups_unknown_name);
  tcase_add_test (tc, test_request_is_one_list);
  tcase_add_test (tc, test_idle_device_pads_removed_and_recreated);
  tcase_add_test (tc, test_draining);
  return s;
}

GST_CHECK_MAIN (rpsensorsrc);
