/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * heliossrc against sensor-cloud's HeliOS part (a subprocess), against a
 * scripted in-process libsoup server for exact bad-input cases, and against
 * a python3-websockets device (tests/peers/helios_server.py).
 */
#include <gst/check/gstcheck.h>
#include "../sensor-test-stats.h"
#include <gst/sensor/sensor.h>
#include <gst/video/video.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "../sensor-test-process.h"
#include "../sensor-test-tls.h"
#include "../sensor-test-pipeline.h"

#define UUID "0b6f9a52-6d1e-4c3e-9a53-2a3c1b7f0d11"

/* ---- collecting pipeline ---- */

typedef struct
{
  GstElement *pipeline;
  GstElement *src;
  GMutex lock;
  GPtrArray *buffers; /* GstBuffer */
  GPtrArray *caps;    /* GstCaps per buffer */
  GPtrArray *states;  /* gchar*: connection states seen */
  GstMessage *error;
  GPtrArray *warnings; /* GstMessage */
  gboolean eos;
  /* handoff of the first buffer blocks until this many messages came */
  guint64 block_first_until;
} Run;

static void
on_handoff (GstElement *sink, GstBuffer *buf, GstPad *pad, Run *run)
{
  GstCaps *caps = gst_pad_get_current_caps (pad);

  if (run->block_first_until) {
    guint64 got = 0;
    gint i;

    for (i = 0; i < 500 && got < run->block_first_until; i++) {
      got = sensor_test_stat (run->src, "messages-received");
      g_usleep (10000);
    }
    run->block_first_until = 0;
  }
  g_mutex_lock (&run->lock);
  g_ptr_array_add (run->buffers, gst_buffer_ref (buf));
  g_ptr_array_add (run->caps, caps);
  g_mutex_unlock (&run->lock);
}

static Run *
run_new (const gchar *src_desc)
{
  Run *run = g_new0 (Run, 1);
  gchar *desc = g_strdup_printf ("%s name=src ! fakesink name=sink "
                                 "signal-handoffs=true sync=false async=false",
      src_desc);
  GError *err = NULL;
  GstElement *sink;

  run->pipeline = gst_parse_launch (desc, &err);
  fail_unless (run->pipeline != NULL, "%s: %s", desc, err ? err->message : "");
  g_free (desc);
  run->src = gst_bin_get_by_name (GST_BIN (run->pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (run->pipeline), "sink");
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), run);
  gst_object_unref (sink);
  g_mutex_init (&run->lock);
  run->buffers =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);
  run->caps = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_caps_unref);
  run->states = g_ptr_array_new_with_free_func (g_free);
  run->warnings =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gst_message_unref);
  return run;
}

static guint
run_n_buffers (Run *run)
{
  guint n;

  g_mutex_lock (&run->lock);
  n = run->buffers->len;
  g_mutex_unlock (&run->lock);
  return n;
}

/* Plays until @n buffers, EOS or an error (or 20 s). */
static void
run_until (Run *run, guint n)
{
  GstBus *bus = gst_element_get_bus (run->pipeline);
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  gst_element_set_state (run->pipeline, GST_STATE_PLAYING);
  while (!run->eos && run->error == NULL && run_n_buffers (run) < n &&
      g_get_monotonic_time () < deadline) {
    GstMessage *msg = gst_bus_timed_pop (bus, 20 * GST_MSECOND);

    if (msg == NULL)
      continue;
    switch (GST_MESSAGE_TYPE (msg)) {
      case GST_MESSAGE_ERROR:
        run->error = gst_message_ref (msg);
        break;
      case GST_MESSAGE_WARNING:
        g_ptr_array_add (run->warnings, gst_message_ref (msg));
        break;
      case GST_MESSAGE_EOS:
        run->eos = TRUE;
        break;
      case GST_MESSAGE_ELEMENT: {
        const GstStructure *s = gst_message_get_structure (msg);

        if (gst_structure_has_name (s, "sensor-connection-state"))
          g_ptr_array_add (
              run->states, g_strdup (gst_structure_get_string (s, "state")));
        break;
      }
      default:
        break;
    }
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
}

static gboolean
run_saw_state (Run *run, const gchar *state)
{
  guint i;

  for (i = 0; i < run->states->len; i++) {
    if (g_str_equal (g_ptr_array_index (run->states, i), state))
      return TRUE;
  }
  return FALSE;
}

static void
run_free (Run *run)
{
  gst_element_set_state (run->pipeline, GST_STATE_NULL);
  gst_object_unref (run->src);
  gst_object_unref (run->pipeline);
  g_ptr_array_unref (run->buffers);
  g_ptr_array_unref (run->caps);
  g_ptr_array_unref (run->states);
  g_ptr_array_unref (run->warnings);
  if (run->error)
    gst_message_unref (run->error);
  g_mutex_clear (&run->lock);
  g_free (run);
}

static gchar *
buffer_text (GstBuffer *buf)
{
  GstMapInfo map;
  gchar *s;

  fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
  s = g_strndup ((const gchar *) map.data, map.size);
  gst_buffer_unmap (buf, &map);
  return s;
}

/* Parses a JSON-channel buffer: one object, one line, newline-terminated. */
static JsonObject *
buffer_json (GstBuffer *buf, JsonParser *parser)
{
  gchar *s = buffer_text (buf);
  gsize len = strlen (s);

  fail_unless (len > 1 && s[len - 1] == '\n', "not newline-terminated: %s", s);
  fail_unless (memchr (s, '\n', len - 1) == NULL, "more than a line: %s", s);
  fail_unless (json_parser_load_from_data (parser, s, len, NULL), "%s", s);
  fail_unless (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  g_free (s);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
check_live_timestamps (Run *run)
{
  GstClockTime last = 0;
  guint i;

  for (i = 0; i < run->buffers->len; i++) {
    GstBuffer *buf = g_ptr_array_index (run->buffers, i);
    GstClockTime epoch;

    fail_unless (GST_BUFFER_PTS_IS_VALID (buf));
    fail_unless (GST_BUFFER_PTS (buf) >= last);
    last = GST_BUFFER_PTS (buf);
    fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch));
    /* after 2020-01-01 */
    fail_unless (epoch > G_GUINT64_CONSTANT (1577836800) * GST_SECOND);
  }
}

static const gchar *
error_text (Run *run, GError **err)
{
  gchar *debug = NULL;

  fail_unless (run->error != NULL, "expected an error");
  gst_message_parse_error (run->error, err, &debug);
  g_free (debug);
  return (*err)->message;
}

/* ---- sensor-cloud as a subprocess ---- */

typedef SensorTestProcess Peer;

static void
cloud_start (Peer *peer)
{
  const gchar *const extra[] = { "--helios-port", "0", "--helios-resize-after",
    "5", "--helios-frame-interval-ms", "20", "--helios-imu-interval-ms", "50",
    NULL };

  sensor_test_cloud_start (peer, "helios", "helios", extra);
}

static gchar *
cloud_src (Peer *peer, const gchar *props)
{
  return g_strdup_printf (
      "heliossrc location=ws://127.0.0.1:%u %s", peer->port, props);
}

/* ---- scripted in-process device ---- */

typedef enum {
  STEP_TEXT,
  STEP_BINARY,
  STEP_CLOSE_NO_CODE,
  STEP_WAIT,
} StepKind;

typedef struct
{
  StepKind kind;
  const gchar *data;
  gsize len; /* BINARY */
} Step;

#define TEXT(s)                                                                \
  {                                                                            \
    STEP_TEXT, s, 0                                                            \
  }
#define BINARY(s, n)                                                           \
  {                                                                            \
    STEP_BINARY, s, n                                                          \
  }
#define CLOSE_NO_CODE                                                          \
  {                                                                            \
    STEP_CLOSE_NO_CODE, NULL, 0                                                \
  }
#define WAIT                                                                   \
  {                                                                            \
    STEP_WAIT, NULL, 0                                                         \
  }
#define END                                                                    \
  {                                                                            \
    STEP_WAIT, NULL, 1                                                         \
  }

typedef struct
{
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  guint port;
  const gchar *ws_path;   /* the one WebSocket path served */
  const Step *scripts[4]; /* per connection; the last one repeats */
  const gchar *asyncapi;  /* NULL: 404 */
  gboolean hang_asyncapi; /* never answer /v1/asyncapi.json */
  guint connections;
  GMutex lock;
  GCond cond;
  GList *conns;
  GPtrArray *received;   /* client text messages */
  gchar *last_query;     /* query string of the last upgrade request */
  GTlsCertificate *cert; /* wss:// and https:// when set */
} Device;

typedef struct
{
  Device *dev;
  SoupWebsocketConnection *conn;
  const Step *step;
} Play;

static gboolean
play_step (gpointer data)
{
  Play *p = data;

  if (soup_websocket_connection_get_state (p->conn) !=
      SOUP_WEBSOCKET_STATE_OPEN)
    return G_SOURCE_REMOVE;
  switch (p->step->kind) {
    case STEP_TEXT:
      soup_websocket_connection_send_text (p->conn, p->step->data);
      break;
    case STEP_BINARY:
      soup_websocket_connection_send_binary (
          p->conn, p->step->data, p->step->len);
      break;
    case STEP_CLOSE_NO_CODE:
      soup_websocket_connection_close (
          p->conn, SOUP_WEBSOCKET_CLOSE_NO_STATUS, NULL);
      return G_SOURCE_REMOVE;
    case STEP_WAIT:
      return G_SOURCE_REMOVE; /* stays open, silent */
  }
  p->step++;
  return G_SOURCE_CONTINUE;
}

static void
play_free (gpointer data)
{
  Play *p = data;

  g_object_unref (p->conn);
  g_free (p);
}

static void
device_message (SoupWebsocketConnection *conn, gint type, GBytes *message,
    gpointer user_data)
{
  Device *dev = user_data;

  g_mutex_lock (&dev->lock);
  g_ptr_array_add (dev->received,
      g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
  g_cond_broadcast (&dev->cond);
  g_mutex_unlock (&dev->lock);
}

/* The @n-th client message (from 0), waiting up to 10 s for it. */
static gchar *
device_wait_received (Device *dev, guint n)
{
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  gchar *s = NULL;

  g_mutex_lock (&dev->lock);
  while (dev->received->len <= n &&
      g_cond_wait_until (&dev->cond, &dev->lock, end))
    ;
  if (dev->received->len > n)
    s = g_strdup (g_ptr_array_index (dev->received, n));
  g_mutex_unlock (&dev->lock);
  fail_unless (s != NULL, "client message %u never came", n);
  return s;
}

static void
device_ws (SoupServer *server, SoupServerMessage *msg, const char *path,
    SoupWebsocketConnection *conn, gpointer user_data)
{
  Device *dev = user_data;
  Play *p;
  GSource *src;
  guint i;

  if (!g_str_equal (path, dev->ws_path)) {
    soup_websocket_connection_close (
        conn, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "not here");
    return;
  }
  p = g_new0 (Play, 1);
  g_signal_connect (conn, "message", G_CALLBACK (device_message), dev);

  g_mutex_lock (&dev->lock);
  i = MIN (dev->connections, 3);
  while (i > 0 && dev->scripts[i] == NULL)
    i--;
  dev->connections++;
  g_free (dev->last_query);
  dev->last_query =
      g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  dev->conns = g_list_prepend (dev->conns, g_object_ref (conn));
  g_cond_broadcast (&dev->cond);
  g_mutex_unlock (&dev->lock);

  p->dev = dev;
  p->conn = g_object_ref (conn);
  p->step = dev->scripts[i];
  /* a few ms apart, from the loop: messages keep their order */
  src = g_timeout_source_new (5);
  g_source_set_callback (src, play_step, p, play_free);
  g_source_attach (src, dev->context);
  g_source_unref (src);
}

static void
device_early (SoupServer *server, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer user_data)
{
  Device *dev = user_data;

  if (g_str_has_prefix (path, "/v1/ws") && !g_str_equal (path, dev->ws_path))
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
device_http (SoupServer *server, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer user_data)
{
  Device *dev = user_data;

  if (dev->hang_asyncapi) {
    soup_server_message_pause (msg);
    return;
  }
  if (dev->asyncapi && g_str_equal (path, "/v1/asyncapi.json")) {
    soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    soup_server_message_set_response (msg, "application/json",
        SOUP_MEMORY_STATIC, dev->asyncapi, strlen (dev->asyncapi));
  } else {
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  }
}

static gpointer
device_thread (gpointer data)
{
  Device *dev = data;
  GSList *uris;

  g_main_context_push_thread_default (dev->context);
  dev->server = dev->cert ?
      soup_server_new ("tls-certificate", dev->cert, NULL) :
      soup_server_new (NULL, NULL);
  soup_server_add_early_handler (
      dev->server, "/v1/ws", device_early, dev, NULL);
  soup_server_add_handler (
      dev->server, "/v1/asyncapi.json", device_http, dev, NULL);
  soup_server_add_websocket_handler (
      dev->server, "/v1/ws", NULL, NULL, device_ws, dev, NULL);
  fail_unless (soup_server_listen_local (dev->server, 0,
      SOUP_SERVER_LISTEN_IPV4_ONLY | (dev->cert ? SOUP_SERVER_LISTEN_HTTPS : 0),
      NULL));
  uris = soup_server_get_uris (dev->server);
  g_mutex_lock (&dev->lock);
  dev->port = g_uri_get_port (uris->data);
  g_cond_broadcast (&dev->cond);
  g_mutex_unlock (&dev->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (dev->loop);

  g_list_free_full (dev->conns, g_object_unref);
  soup_server_disconnect (dev->server);
  g_object_unref (dev->server);
  /* let closing connections finish on this context */
  while (g_main_context_iteration (dev->context, FALSE))
    ;
  g_main_context_pop_thread_default (dev->context);
  return NULL;
}

static Device *
device_start_full (const gchar *ws_path, const Step *first, const Step *second,
    const gchar *asyncapi, GTlsCertificate *cert)
{
  Device *dev = g_new0 (Device, 1);

  dev->cert = cert ? g_object_ref (cert) : NULL;

  dev->ws_path = ws_path;
  dev->scripts[0] = first;
  dev->scripts[1] = second;
  dev->asyncapi = asyncapi;
  dev->received = g_ptr_array_new_with_free_func (g_free);
  dev->context = g_main_context_new ();
  dev->loop = g_main_loop_new (dev->context, FALSE);
  g_mutex_init (&dev->lock);
  g_cond_init (&dev->cond);
  dev->thread = g_thread_new ("device", device_thread, dev);
  g_mutex_lock (&dev->lock);
  while (dev->port == 0)
    g_cond_wait (&dev->cond, &dev->lock);
  g_mutex_unlock (&dev->lock);
  return dev;
}

static Device *
device_start (const gchar *ws_path, const Step *first, const Step *second,
    const gchar *asyncapi)
{
  return device_start_full (ws_path, first, second, asyncapi, NULL);
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
device_stop (Device *dev)
{
  g_main_context_invoke (dev->context, quit_loop, dev->loop);
  g_thread_join (dev->thread);
  g_main_loop_unref (dev->loop);
  g_main_context_unref (dev->context);
  g_mutex_clear (&dev->lock);
  g_cond_clear (&dev->cond);
  g_ptr_array_unref (dev->received);
  g_free (dev->last_query);
  g_clear_object (&dev->cert);
  g_free (dev);
}

static gchar *
device_src (Device *dev, const gchar *props)
{
  return g_strdup_printf ("heliossrc location=ws://127.0.0.1:%u retries=0 "
                          "%s",
      dev->port, props);
}

/* ---- tests against sensor-cloud ---- */

GST_START_TEST (test_telemetry)
{
  Peer cloud = {
    0,
  };
  gchar *desc;
  Run *run;
  JsonParser *parser = json_parser_new ();
  guint i;

  cloud_start (&cloud);
  desc = cloud_src (&cloud, "channel=device.telemetry interval-ms=250");
  run = run_new (desc);
  run_until (run, 3);
  fail_unless (run->error == NULL);
  fail_unless (run->buffers->len >= 3);
  for (i = 0; i < 3; i++) {
    JsonObject *o = buffer_json (g_ptr_array_index (run->buffers, i), parser);
    GstStructure *s =
        gst_caps_get_structure (g_ptr_array_index (run->caps, i), 0);

    fail_unless (gst_structure_has_name (s, "application/x-json"));
    fail_unless (json_object_has_member (o, "timestamp_ms"));
    fail_unless (json_object_has_member (o, "cpu"));
    fail_unless (json_object_has_member (o, "memory"));
  }
  check_live_timestamps (run);
  fail_unless (GST_BUFFER_FLAG_IS_SET (
      g_ptr_array_index (run->buffers, 0), GST_BUFFER_FLAG_DISCONT));
  fail_unless (run_saw_state (run, "connecting"));
  fail_unless (run_saw_state (run, "connected"));
  fail_unless (sensor_test_stat (run->src, "buffers-pushed") >= 3);
  fail_unless_equals_int (sensor_test_stat (run->src, "skipped-unknown"), 0);
  fail_unless_equals_int (sensor_test_stat (run->src, "skipped-invalid"), 0);
  run_free (run);
  g_free (desc);
  g_object_unref (parser);
  sensor_test_process_stop (&cloud);
}

GST_END_TEST;

/* Each JSON channel: @n buffers whose objects satisfy @check. */
typedef void (*CheckFunc) (JsonObject *o, guint i);

static void
check_devices (JsonObject *o, guint i)
{
  fail_unless_equals_string (
      json_object_get_string_member (o, "type"), "update");
  fail_unless (json_object_has_member (o, "reasons"));
}

static void
check_sensors (JsonObject *o, guint i)
{
  /* firmware once right after the subscribe op, then IMU snapshots only */
  if (i == 0) {
    fail_unless (json_object_has_member (o, "firmware"));
  } else {
    fail_unless (json_object_has_member (o, "imu"));
    fail_if (json_object_has_member (o, "power"));
  }
}

static void
check_imu (JsonObject *o, guint i)
{
  fail_unless (json_object_has_member (o, "accel"));
  fail_unless (json_object_has_member (o, "gyro"));
}

static void
check_processes (JsonObject *o, guint i)
{
  JsonObject *snap;

  fail_unless_equals_string (
      json_object_get_string_member (o, "type"), "snapshot");
  snap = json_object_get_object_member (o, "snapshot");
  fail_unless (json_array_get_length (
                   json_object_get_array_member (snap, "processes")) > 0);
}

static void
check_ota (JsonObject *o, guint i)
{
  const gchar *want[] = { "snapshot", "stage_progress", "stage_progress" };

  fail_unless_equals_string (
      json_object_get_string_member (o, "type"), want[i]);
}

static void
check_updates (JsonObject *o, guint i)
{
  JsonObject *ev;

  fail_unless_equals_string (
      json_object_get_string_member (o, "type"), "change");
  ev = json_object_get_object_member (o, "event");
  /* seq counts from 1 without gaps */
  fail_unless_equals_int (json_object_get_int_member (ev, "seq"), i + 1);
}

static void
check_metrics (JsonObject *o, guint i)
{
  fail_unless_equals_string (
      json_object_get_string_member (o, "stream_id"), UUID);
  fail_unless (json_object_has_member (o, "metrics"));
}

GST_START_TEST (test_json_channels)
{
  struct
  {
    const gchar *props;
    guint n;
    CheckFunc check;
    gboolean ready; /* the channel starts with a ready notice */
  } rows[] = {
    { "channel=devices.updates interval-ms=250", 2, check_devices, TRUE },
    { "channel=sensors.stream kinds=imu,firmware interval-ms=50", 3,
        check_sensors, FALSE },
    { "channel=imu.stream", 3, check_imu, FALSE },
    { "channel=processes.stream interval-ms=250 limit=10", 2, check_processes,
        TRUE },
    { "channel=ota.stream", 3, check_ota, FALSE },
    { "channel=updates.stream", 3, check_updates, TRUE },
    { "channel=streams." UUID ".metrics interval-ms=250", 2, check_metrics,
        FALSE },
  };
  Peer cloud = {
    0,
  };
  JsonParser *parser = json_parser_new ();
  guint r, i;

  cloud_start (&cloud);
  for (r = 0; r < G_N_ELEMENTS (rows); r++) {
    gchar *desc = cloud_src (&cloud, rows[r].props);
    Run *run = run_new (desc);

    GST_INFO ("%s", desc);
    run_until (run, rows[r].n);
    fail_unless (run->error == NULL, "%s", desc);
    fail_unless (run->buffers->len >= rows[r].n, "%s: %u buffers", desc,
        run->buffers->len);
    for (i = 0; i < rows[r].n; i++)
      rows[r].check (
          buffer_json (g_ptr_array_index (run->buffers, i), parser), i);
    check_live_timestamps (run);
    if (rows[r].ready) {
      fail_unless (run_saw_state (run, "ready"), "%s", desc);
      fail_unless (sensor_test_stat (run->src, "notices") >= 1);
    }
    fail_unless_equals_int (sensor_test_stat (run->src, "skipped-unknown"), 0);
    run_free (run);
    g_free (desc);
  }
  g_object_unref (parser);
  sensor_test_process_stop (&cloud);
}

GST_END_TEST;

GST_START_TEST (test_logs_eof)
{
  Peer cloud = {
    0,
  };
  JsonParser *parser = json_parser_new ();
  gchar *desc;
  Run *run;
  guint i;

  cloud_start (&cloud);
  desc = cloud_src (&cloud, "channel=logs.stream lines=4 follow=false");
  run = run_new (desc);
  run_until (run, 100);
  fail_unless (run->error == NULL);
  fail_unless (run->eos, "eof must end the stream");
  fail_unless_equals_int (run->buffers->len, 4);
  for (i = 0; i < 4; i++) {
    JsonObject *o = buffer_json (g_ptr_array_index (run->buffers, i), parser);
    gchar *want = g_strdup_printf ("helios-api[412]: backlog line %u", i);

    fail_unless_equals_string (
        json_object_get_string_member (o, "type"), "line");
    fail_unless_equals_string (json_object_get_string_member (o, "line"), want);
    g_free (want);
  }
  run_free (run);
  g_free (desc);
  g_object_unref (parser);
  sensor_test_process_stop (&cloud);
}

GST_END_TEST;

/* Width and height from a JPEG's SOF marker. */
static gboolean
jpeg_size (GstBuffer *buf, guint *width, guint *height)
{
  GstMapInfo map;
  gsize i = 2;
  gboolean found = FALSE;

  gst_buffer_map (buf, &map, GST_MAP_READ);
  if (map.size < 4 || map.data[0] != 0xff || map.data[1] != 0xd8 ||
      map.data[map.size - 2] != 0xff || map.data[map.size - 1] != 0xd9)
    goto done;
  while (i + 9 < map.size && map.data[i] == 0xff) {
    guint8 m = map.data[i + 1];
    guint len = (map.data[i + 2] << 8) | map.data[i + 3];

    if (m >= 0xc0 && m <= 0xc3) {
      *height = (map.data[i + 5] << 8) | map.data[i + 6];
      *width = (map.data[i + 7] << 8) | map.data[i + 8];
      found = TRUE;
      break;
    }
    i += 2 + len;
  }
done:
  gst_buffer_unmap (buf, &map);
  return found;
}

GST_START_TEST (test_frames_format_change)
{
  Peer cloud = {
    0,
  };
  gchar *desc;
  Run *run;
  guint i, changes = 0;
  gint last_w = 0;

  cloud_start (&cloud);
  desc = cloud_src (&cloud, "channel=streams." UUID ".frames poll-ms=5");
  run = run_new (desc);
  run_until (run, 12);
  fail_unless (run->error == NULL);
  fail_unless (run->buffers->len >= 12);
  for (i = 0; i < run->buffers->len; i++) {
    GstStructure *s =
        gst_caps_get_structure (g_ptr_array_index (run->caps, i), 0);
    gint w, h;
    guint jw = 0, jh = 0;

    fail_unless (gst_structure_has_name (s, "image/jpeg"));
    fail_unless (gst_structure_get_int (s, "width", &w));
    fail_unless (gst_structure_get_int (s, "height", &h));
    /* the caps follow the latest format message: they match the JPEG */
    fail_unless (jpeg_size (g_ptr_array_index (run->buffers, i), &jw, &jh));
    fail_unless_equals_int (jw, w);
    fail_unless_equals_int (jh, h);
    fail_unless ((w == 320 && h == 240) || (w == 640 && h == 480));
    if (i == 0)
      fail_unless_equals_int (w, 320);
    if (last_w && w != last_w)
      changes++;
    last_w = w;
  }
  fail_unless (changes >= 1, "no size change seen");
  fail_unless (sensor_test_stat (run->src, "format-changes") >= 2);
  check_live_timestamps (run);
  run_free (run);
  g_free (desc);
  sensor_test_process_stop (&cloud);
}

GST_END_TEST;

GST_START_TEST (test_console_refused)
{
  Run *run = run_new ("heliossrc location=ws://127.0.0.1:9 "
                      "channel=console.session");
  GError *err = NULL;

  run_until (run, 1);
  error_text (run, &err);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS));
  fail_unless (strstr (err->message, "console.session") != NULL);
  fail_unless (
      strstr (err->message, "interactive") != NULL, "%s", err->message);
  g_error_free (err);
  run_free (run);
}

GST_END_TEST;

GST_START_TEST (test_channel_not_in_table)
{
  Run *run = run_new ("heliossrc location=ws://127.0.0.1:9 "
                      "channel=streams." UUID ".outputs");
  GError *err = NULL;

  run_until (run, 1);
  error_text (run, &err);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS));
  fail_unless (strstr (err->message, "streams." UUID ".outputs") != NULL);
  fail_unless (strstr (err->message, "device.telemetry") != NULL);
  g_error_free (err);
  run_free (run);
}

GST_END_TEST;

/* ---- tests against the scripted device ---- */

static const gchar *two_channels =
    "{\"asyncapi\":\"2.6.0\",\"channels\":{\"device.telemetry\":{},"
    "\"logs.stream\":{}}}";

GST_START_TEST (test_unknown_channel_asyncapi)
{
  static const Step script[] = { WAIT };
  Device *dev = device_start ("/v1/ws/imu", script, NULL, two_channels);
  gchar *desc = device_src (dev, "channel=imu.stream");
  Run *run = run_new (desc);
  GError *err = NULL;
  const GstStructure *details;

  run_until (run, 1);
  error_text (run, &err);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND));
  /* names the channel and lists the device's real ones */
  fail_unless (
      strstr (err->message, "'imu.stream'") != NULL, "%s", err->message);
  fail_unless (strstr (err->message, "device.telemetry, logs.stream") != NULL,
      "%s", err->message);
  gst_message_parse_error_details (run->error, &details);
  fail_unless (details != NULL);
  fail_unless (gst_structure_has_field (details, "channels"));
  /* it never tried the socket */
  fail_unless_equals_int (dev->connections, 0);
  g_error_free (err);
  run_free (run);
  g_free (desc);
  device_stop (dev);
}

GST_END_TEST;

/* A device that never answers the AsyncAPI request: start gives up after
 * `timeout` and opens the channel anyway. */
GST_START_TEST (test_asyncapi_timeout)
{
  static const Step script[] = {
    TEXT ("{\"timestamp_ms\":1,\"cpu\":{\"usage_percent\":1}}"), WAIT
  };
  Device *dev = device_start ("/v1/ws/telemetry", script, NULL, two_channels);
  gchar *desc = device_src (dev, "channel=device.telemetry timeout=1");
  Run *run;

  dev->hang_asyncapi = TRUE;
  run = run_new (desc);
  run_until (run, 1);
  fail_unless (run->error == NULL);
  fail_unless_equals_int (run->buffers->len, 1);
  fail_unless_equals_int (dev->connections, 1);
  run_free (run);
  g_free (desc);
  device_stop (dev);
}

GST_END_TEST;

#define ASSERT_RECEIVED(dev, n, want)                                          \
  G_STMT_START                                                                 \
  {                                                                            \
    gchar *got_ = device_wait_received (dev, n);                               \
    fail_unless_equals_string (got_, want);                                    \
    g_free (got_);                                                             \
  }                                                                            \
  G_STMT_END

/* sensors.stream: subscribe on open, resubscribe when kinds/interval change
 * while playing; an invalid kinds list keeps the old subscription. */
GST_START_TEST (test_live_sensors_subscribe)
{
  static const Step script[] = { TEXT ("{\"imu\":{\"seq\":1}}"), WAIT };
  Device *dev = device_start ("/v1/ws/sensors", script, NULL, NULL);
  gchar *desc = device_src (dev, "channel=sensors.stream kinds=imu");
  Run *run = run_new (desc);

  run_until (run, 1);
  fail_unless_equals_int (run->buffers->len, 1);
  ASSERT_RECEIVED (dev, 0, "{\"op\":\"subscribe\",\"kinds\":[\"imu\"]}");
  g_object_set (run->src, "kinds", "power, lighting", NULL);
  ASSERT_RECEIVED (
      dev, 1, "{\"op\":\"subscribe\",\"kinds\":[\"power\",\"lighting\"]}");
  g_object_set (run->src, "interval-ms", 20, NULL);
  ASSERT_RECEIVED (dev, 2,
      "{\"op\":\"subscribe\",\"kinds\":[\"power\",\"lighting\"],"
      "\"interval_ms\":50}");
  g_object_set (run->src, "kinds", "sonar", NULL);
  g_object_set (run->src, "kinds", "imu", NULL);
  ASSERT_RECEIVED (
      dev, 3, "{\"op\":\"subscribe\",\"kinds\":[\"imu\"],\"interval_ms\":50}");
  run_free (run);
  g_free (desc);
  device_stop (dev);
}

GST_END_TEST;

/* streams.<id>.metrics: interval-ms while playing -> {"interval_ms":N}. */
GST_START_TEST (test_live_metrics_interval)
{
  static const Step script[] = { TEXT ("{\"stream_id\":\"" UUID
                                       "\",\"metrics\":{},\"timestamp_ms\":1}"),
    WAIT };
  Device *dev =
      device_start ("/v1/ws/streams/" UUID "/metrics", script, NULL, NULL);
  gchar *desc = device_src (dev, "channel=streams." UUID ".metrics");
  Run *run = run_new (desc);

  run_until (run, 1);
  fail_unless_equals_int (run->buffers->len, 1);
  g_object_set (run->src, "interval-ms", 100, NULL);
  ASSERT_RECEIVED (dev, 0, "{\"interval_ms\":250}");
  g_object_set (run->src, "interval-ms", 5000, NULL);
  ASSERT_RECEIVED (dev, 1, "{\"interval_ms\":5000}");
  run_free (run);
  g_free (desc);
  device_stop (dev);
}

GST_END_TEST;

/* Channel properties become the path's query, clamped to the device's
 * ranges; properties of other channels are left out. */
GST_START_TEST (test_query_params)
{
  static const Step script[] = { WAIT };
  struct
  {
    const gchar *path;
    const gchar *props;
    const gchar *query;
  } rows[] = {
    { "/v1/ws/logs",
        "channel=logs.stream source=kernel lines=0 follow=false "
        "interval-ms=300",
        "source=kernel&lines=0&follow=false" },
    { "/v1/ws/streams/" UUID "/frames",
        "channel=streams." UUID ".frames output=annotated restore=false "
        "poll-ms=1 lines=3",
        "output=annotated&restore=false&poll_ms=5" },
    { "/v1/ws/processes", "channel=processes.stream interval-ms=100 limit=5",
        "interval_ms=250&limit=10" },
    { "/v1/ws/updates", "channel=updates.stream heartbeat-ms=60000",
        "heartbeat_ms=60000" },
    { "/v1/ws/telemetry", "channel=device.telemetry", NULL },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    Device *dev = device_start (rows[i].path, script, NULL, NULL);
    gchar *desc = device_src (dev, rows[i].props);
    Run *run = run_new (desc);

    gst_element_set_state (run->pipeline, GST_STATE_PLAYING);
    g_mutex_lock (&dev->lock);
    while (dev->connections == 0)
      g_cond_wait (&dev->cond, &dev->lock);
    fail_unless_equals_string (dev->last_query, rows[i].query);
    g_mutex_unlock (&dev->lock);
    run_free (run);
    g_free (desc);
    device_stop (dev);
  }
}

GST_END_TEST;

GST_START_TEST (test_bad_input_json)
{
  static const gchar bin[] = { 1, 2, 3 };
  static const Step script[] = {
    TEXT ("{\"type\":\"ready\",\"source\":{\"kind\":\"journal\"}}"),
    TEXT ("{\"type\":\"gossip\",\"line\":\"?\"}"),
    TEXT ("{\"type\":\"line\",\"line\":"), TEXT ("[1,2,3]"),
    BINARY (bin, sizeof (bin)),
    TEXT ("{\"type\":\"line\",\"timestamp_ms\":7,\"line\":\"kept\"}"),
    TEXT ("{\"type\":\"error\",\"message\":\"journal rotated\"}"),
    TEXT ("{\"type\":\"line\",\"timestamp_ms\":8,\"line\":\"also kept\"}"),
    TEXT ("{\"type\":\"eof\"}"),
    TEXT ("{\"type\":\"line\",\"timestamp_ms\":9,\"line\":\"after eof\"}"), WAIT
  };
  Device *dev = device_start ("/v1/ws/logs", script, NULL, NULL);
  gchar *desc = device_src (dev, "channel=logs.stream");
  Run *run = run_new (desc);
  gchar *s;
  GError *err = NULL;
  gchar *debug = NULL;

  run_until (run, 100);
  fail_unless (run->error == NULL);
  fail_unless (run->eos);
  fail_unless_equals_int (run->buffers->len, 2);
  /* exact device bytes plus the newline */
  s = buffer_text (g_ptr_array_index (run->buffers, 0));
  fail_unless_equals_string (
      s, "{\"type\":\"line\",\"timestamp_ms\":7,\"line\":\"kept\"}\n");
  g_free (s);
  s = buffer_text (g_ptr_array_index (run->buffers, 1));
  fail_unless_equals_string (
      s, "{\"type\":\"line\",\"timestamp_ms\":8,\"line\":\"also kept\"}\n");
  g_free (s);
  /* the device error is a warning that quotes it */
  fail_unless_equals_int (run->warnings->len, 1);
  gst_message_parse_warning (
      g_ptr_array_index (run->warnings, 0), &err, &debug);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ));
  fail_unless (strstr (err->message, "journal rotated") != NULL);
  g_error_free (err);
  g_free (debug);
  fail_unless_equals_int (sensor_test_stat (run->src, "skipped-unknown"), 1);
  fail_unless_equals_int (sensor_test_stat (run->src, "skipped-invalid"), 2);
  fail_unless_equals_int (sensor_test_stat (run->src, "skipped-wrong-type"), 1);
  fail_unless_equals_int (sensor_test_stat (run->src, "device-errors"), 1);
  fail_unless_equals_int (sensor_test_stat (run->src, "notices"), 1);
  run_free (run);
  g_free (desc);
  device_stop (dev);
}

GST_END_TEST;

static const gchar frame_a[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
static const gchar frame_short[] = { 9, 9, 9, 9, 9 };

GST_START_TEST (test_bad_input_frames)
{
  static const Step script[] = { BINARY (frame_a,
                                     8), /* before any format: skipped */
    TEXT ("hello"),                      /* not JSON: skipped */
    TEXT ("{\"type\":\"format\",\"fourcc\":\"GREY\",\"width\":4,"
          "\"height\":2}"),
    BINARY (frame_a, 8),
    BINARY (frame_short, 5),       /* wrong size for GREY 4x2: skipped */
    TEXT ("{\"type\":\"stats\"}"), /* unknown type: skipped */
    TEXT ("{\"type\":\"format\",\"fourcc\":\"VP80\",\"width\":4,"
          "\"height\":2}"),
    BINARY (frame_a, 8), WAIT };
  Device *dev =
      device_start ("/v1/ws/streams/" UUID "/frames", script, NULL, NULL);
  gchar *desc = device_src (dev, "channel=streams." UUID ".frames");
  Run *run = run_new (desc);
  GError *err = NULL;
  GstBuffer *buf;
  GstCaps *want;
  const GstStructure *details;

  run_until (run, 100);
  error_text (run, &err);
  fail_unless (
      g_error_matches (err, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT));
  fail_unless (strstr (err->message, "'VP80'") != NULL, "%s", err->message);
  gst_message_parse_error_details (run->error, &details);
  fail_unless_equals_string (
      gst_structure_get_string (details, "fourcc"), "VP80");
  g_error_free (err);

  fail_unless_equals_int (run->buffers->len, 1);
  buf = g_ptr_array_index (run->buffers, 0);
  fail_unless_equals_int (gst_buffer_get_size (buf), 8);
  fail_unless (gst_buffer_memcmp (buf, 0, frame_a, 8) == 0);
  want = gst_caps_from_string ("video/x-raw, format=GRAY8, width=4, "
                               "height=2");
  fail_unless (gst_caps_is_subset (g_ptr_array_index (run->caps, 0), want));
  gst_caps_unref (want);
  fail_unless_equals_int (sensor_test_stat (run->src, "skipped-frames"), 2);
  fail_unless_equals_int (sensor_test_stat (run->src, "skipped-invalid"), 1);
  fail_unless_equals_int (sensor_test_stat (run->src, "skipped-unknown"), 1);
  run_free (run);
  g_free (desc);
  device_stop (dev);
}

GST_END_TEST;

static const gchar nv12_3x2[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
static const gchar yuyv_3x1[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const gchar rgb_2x1[6] = { 1, 2, 3, 4, 5, 6 };
static const gchar h264_au[7] = { 0, 0, 0, 1, 0x65, 0x88, 0x84 };

/* Each fourcc maps to its caps; raw frames come tightly packed and carry a
 * video meta that says so. */
GST_START_TEST (test_frame_formats)
{
  static const Step script[] = {
    TEXT ("{\"type\":\"format\",\"fourcc\":\"NV12\",\"width\":3,"
          "\"height\":2}"),
    BINARY (nv12_3x2, 10),
    TEXT ("{\"type\":\"format\",\"fourcc\":\"YUYV\",\"width\":3,"
          "\"height\":1}"),
    BINARY (yuyv_3x1, 8),
    TEXT ("{\"type\":\"format\",\"fourcc\":\"RGB3\",\"width\":2,"
          "\"height\":1}"),
    BINARY (rgb_2x1, 6),
    TEXT ("{\"type\":\"format\",\"fourcc\":\"H264\",\"width\":64,"
          "\"height\":48}"),
    BINARY (h264_au, 7), WAIT
  };
  struct
  {
    const gchar *caps;
    guint n_planes;
    gint stride0, stride1;
    gsize offset1;
  } want[] = {
    { "video/x-raw, format=NV12, width=3, height=2", 2, 3, 4, 6 },
    { "video/x-raw, format=YUY2, width=3, height=1", 1, 8, 0, 0 },
    { "video/x-raw, format=RGB, width=2, height=1", 1, 6, 0, 0 },
    { "video/x-h264, stream-format=byte-stream, alignment=au, width=64, "
      "height=48",
        0, 0, 0, 0 },
  };
  Device *dev =
      device_start ("/v1/ws/streams/" UUID "/frames", script, NULL, NULL);
  gchar *desc = device_src (dev, "channel=streams." UUID ".frames");
  Run *run = run_new (desc);
  guint i;

  run_until (run, 4);
  fail_unless (run->error == NULL);
  fail_unless_equals_int (run->buffers->len, 4);
  for (i = 0; i < 4; i++) {
    GstBuffer *buf = g_ptr_array_index (run->buffers, i);
    GstCaps *caps = gst_caps_from_string (want[i].caps);
    GstVideoMeta *meta = gst_buffer_get_video_meta (buf);

    fail_unless (gst_caps_is_subset (g_ptr_array_index (run->caps, i), caps),
        "%u: %" GST_PTR_FORMAT, i, g_ptr_array_index (run->caps, i));
    gst_caps_unref (caps);
    if (want[i].n_planes == 0) {
      fail_unless (meta == NULL);
      continue;
    }
    fail_unless (meta != NULL);
    fail_unless_equals_int (meta->n_planes, want[i].n_planes);
    fail_unless_equals_int (meta->stride[0], want[i].stride0);
    fail_unless_equals_int (meta->stride[1], want[i].stride1);
    fail_unless_equals_int (meta->offset[1], want[i].offset1);
  }
  fail_unless (gst_buffer_memcmp (
                   g_ptr_array_index (run->buffers, 3), 0, h264_au, 7) == 0);
  fail_unless_equals_int (sensor_test_stat (run->src, "format-changes"), 4);
  run_free (run);
  g_free (desc);
  device_stop (dev);
}

GST_END_TEST;

GST_START_TEST (test_close_without_code)
{
  static const Step first[] = {
    TEXT ("{\"timestamp_ms\":1,\"cpu\":{\"usage_percent\":1}}"), CLOSE_NO_CODE
  };
  static const Step second[] = {
    TEXT ("{\"timestamp_ms\":2,\"cpu\":{\"usage_percent\":2}}"), WAIT
  };
  Device *dev = device_start ("/v1/ws/telemetry", first, second, NULL);
  gchar *desc = g_strdup_printf (
      "heliossrc location=ws://127.0.0.1:%u "
      "channel=device.telemetry retries=3 retry-backoff-max=0.2",
      dev->port);
  Run *run = run_new (desc);
  gchar *s;

  run_until (run, 2);
  fail_unless (run->error == NULL);
  fail_unless_equals_int (run->buffers->len, 2);
  s = buffer_text (g_ptr_array_index (run->buffers, 1));
  fail_unless_equals_string (
      s, "{\"timestamp_ms\":2,\"cpu\":{\"usage_percent\":2}}\n");
  g_free (s);
  /* the reconnect is visible: discont buffer, state messages, counter */
  fail_unless (GST_BUFFER_FLAG_IS_SET (
      g_ptr_array_index (run->buffers, 1), GST_BUFFER_FLAG_DISCONT));
  fail_unless (run_saw_state (run, "disconnected"));
  fail_unless (run_saw_state (run, "reconnecting"));
  fail_unless_equals_int (sensor_test_stat (run->src, "reconnects"), 1);
  fail_unless_equals_int (dev->connections, 2);
  run_free (run);
  g_free (desc);
  device_stop (dev);
}

GST_END_TEST;

/* wss:// with a self-signed certificate: a TLS failure is an error at once
 * (no retries: the same certificate would come back); with the certificate
 * as ca-file, or tls-strict=false, the channel streams. */
GST_START_TEST (test_tls)
{
  static const Step script[] = {
    TEXT ("{\"timestamp_ms\":5,\"cpu\":{\"usage_percent\":7}}"), WAIT
  };
  gchar *cert_file = sensor_test_tls_certificate_file ();
  GTlsCertificate *cert = sensor_test_tls_certificate ();
  GError *err = NULL;
  Device *dev;
  const GstStructure *details;
  gchar *desc, *dbg = NULL, *s;
  Run *run;

  dev = device_start_full ("/v1/ws/telemetry", script, NULL, NULL, cert);

  desc = g_strdup_printf ("heliossrc location=wss://127.0.0.1:%u "
                          "channel=device.telemetry retries=3",
      dev->port);
  run = run_new (desc);
  run_until (run, 1);
  fail_unless (run->error != NULL);
  gst_message_parse_error (run->error, &err, &dbg);
  fail_unless (g_error_matches (
      err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE));
  fail_unless (strstr (err->message, "TLS") != NULL, "%s", err->message);
  gst_message_parse_error_details (run->error, &details);
  fail_unless (details != NULL);
  fail_unless_equals_string (gst_structure_get_string (details, "error-domain"),
      g_quark_to_string (G_TLS_ERROR));
  g_clear_error (&err);
  g_free (dbg);
  fail_unless_equals_int (sensor_test_stat (run->src, "reconnects"), 0);
  fail_unless_equals_int (run->buffers->len, 0);
  run_free (run);
  g_free (desc);

  desc = g_strdup_printf ("heliossrc location=wss://127.0.0.1:%u "
                          "channel=device.telemetry retries=0 ca-file=%s",
      dev->port, cert_file);
  run = run_new (desc);
  run_until (run, 1);
  fail_unless (run->error == NULL);
  fail_unless_equals_int (run->buffers->len, 1);
  s = buffer_text (g_ptr_array_index (run->buffers, 0));
  fail_unless_equals_string (
      s, "{\"timestamp_ms\":5,\"cpu\":{\"usage_percent\":7}}\n");
  g_free (s);
  run_free (run);
  g_free (desc);

  desc = g_strdup_printf ("heliossrc location=wss://127.0.0.1:%u "
                          "channel=device.telemetry retries=0 tls-strict=false",
      dev->port);
  run = run_new (desc);
  run_until (run, 1);
  fail_unless (run->error == NULL);
  fail_unless_equals_int (run->buffers->len, 1);
  run_free (run);
  g_free (desc);

  device_stop (dev);
  g_object_unref (cert);
  g_free (cert_file);
}

GST_END_TEST;

GST_START_TEST (test_http_404)
{
  static const Step script[] = { WAIT };
  Device *dev = device_start ("/v1/ws/telemetry", script, NULL, NULL);
  gchar *desc = device_src (dev, "channel=ota.stream retries=-1");
  Run *run = run_new (desc);
  GError *err = NULL;
  const GstStructure *details;
  guint status = 0;

  run_until (run, 1);
  error_text (run, &err);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND));
  /* the shared rule names the location and the cause, at once */
  {
    gchar *want = g_strdup_printf (
        "Could not connect to ws://127.0.0.1:%u/v1/ws/ota: HTTP 404 Not Found",
        dev->port);

    fail_unless_equals_string (err->message, want);
    g_free (want);
  }
  fail_unless_equals_int (sensor_test_stat (run->src, "reconnects"), 0);
  gst_message_parse_error_details (run->error, &details);
  fail_unless (gst_structure_get_uint (details, "http-status", &status));
  fail_unless_equals_int (status, 404);
  g_error_free (err);
  run_free (run);
  g_free (desc);
  device_stop (dev);
}

GST_END_TEST;

/* An EOS sent to the pipeline (gst-launch-1.0 -e, Ctrl-C) ends it. */
GST_START_TEST (test_eos_on_request)
{
  Peer cloud = {
    0,
  };
  gchar *desc;
  Run *run;

  cloud_start (&cloud);
  desc = cloud_src (&cloud, "channel=device.telemetry interval-ms=250");
  run = run_new (desc);
  run_until (run, 1);
  fail_unless (run->error == NULL);
  fail_unless (run->buffers->len >= 1);
  sensor_test_send_eos (run->pipeline, 10 * GST_SECOND);
  sensor_test_wait_eos (run->pipeline, 5 * GST_SECOND);
  run_free (run);
  g_free (desc);
  sensor_test_process_stop (&cloud);
}

GST_END_TEST;

/* Nothing listens: each refusal is transient, the first one is said as a
 * warning naming the cause, and after retries=2 the element gives up with
 * an error that names it too. */
GST_START_TEST (test_refused_warns_then_gives_up)
{
  Run *run = run_new ("heliossrc location=ws://127.0.0.1:1 "
                      "channel=device.telemetry retries=2 "
                      "retry-backoff-max=0.1 timeout=2");
  GError *err = NULL;

  run_until (run, 1);
  fail_unless (run->warnings->len >= 1);
  gst_message_parse_warning (g_ptr_array_index (run->warnings, 0), &err, NULL);
  fail_unless (g_error_matches (
      err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE));
  fail_unless_equals_string (err->message,
      "Connection to ws://127.0.0.1:1/v1/ws/telemetry failed: Could not "
      "connect to 127.0.0.1: Connection refused; retrying");
  g_clear_error (&err);
  error_text (run, &err);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ));
  fail_unless_equals_string (err->message,
      "Lost the HeliOS channel device.telemetry and gave up reconnecting "
      "after 3 failure(s): Could not connect to 127.0.0.1: Connection "
      "refused");
  g_clear_error (&err);
  fail_unless_equals_int (sensor_test_stat (run->src, "reconnects"), 2);
  fail_unless_equals_int (sensor_test_stat (run->src, "failures"), 3);
  fail_unless (run_saw_state (run, "reconnecting"));
  fail_unless (run_saw_state (run, "closed"));
  run_free (run);
}

GST_END_TEST;

GST_START_TEST (test_queue_drops_oldest)
{
  static const Step script[] = { TEXT ("{\"type\":\"line\",\"line\":\"0\"}"),
    TEXT ("{\"type\":\"line\",\"line\":\"1\"}"),
    TEXT ("{\"type\":\"line\",\"line\":\"2\"}"),
    TEXT ("{\"type\":\"line\",\"line\":\"3\"}"),
    TEXT ("{\"type\":\"line\",\"line\":\"4\"}"),
    TEXT ("{\"type\":\"line\",\"line\":\"5\"}"),
    TEXT ("{\"type\":\"line\",\"line\":\"6\"}"),
    TEXT ("{\"type\":\"line\",\"line\":\"7\"}"),
    TEXT ("{\"type\":\"line\",\"line\":\"8\"}"),
    TEXT ("{\"type\":\"line\",\"line\":\"9\"}"), TEXT ("{\"type\":\"eof\"}"),
    WAIT };
  Device *dev = device_start ("/v1/ws/logs", script, NULL, NULL);
  gchar *desc = device_src (dev, "channel=logs.stream max-queue=2");
  Run *run = run_new (desc);
  guint64 pushed, dropped;
  gchar *s;

  /* downstream stalls on the first buffer until all eleven arrived */
  run->block_first_until = 11;
  run_until (run, 100);
  fail_unless (run->eos, "eof is never dropped");
  /* the queue held at most two: everything else was dropped, oldest first */
  pushed = sensor_test_stat (run->src, "buffers-pushed");
  dropped = sensor_test_stat (run->src, "dropped");
  fail_unless_equals_int (pushed + dropped, 10);
  fail_unless (dropped >= 7, "dropped %" G_GUINT64_FORMAT, dropped);
  fail_unless_equals_int (run->buffers->len, pushed);
  /* what came after the gap (line 8, the older of the two kept) is marked */
  s = buffer_text (g_ptr_array_index (run->buffers, run->buffers->len - 2));
  fail_unless_equals_string (s, "{\"type\":\"line\",\"line\":\"8\"}\n");
  g_free (s);
  fail_unless (GST_BUFFER_FLAG_IS_SET (
      g_ptr_array_index (run->buffers, run->buffers->len - 2),
      GST_BUFFER_FLAG_DISCONT));
  s = buffer_text (g_ptr_array_index (run->buffers, run->buffers->len - 1));
  fail_unless_equals_string (s, "{\"type\":\"line\",\"line\":\"9\"}\n");
  g_free (s);
  run_free (run);
  g_free (desc);
  device_stop (dev);
}

GST_END_TEST;

GST_START_TEST (test_unlock_silent_device)
{
  static const Step script[] = { WAIT };
  Device *dev = device_start ("/v1/ws/imu", script, NULL, NULL);
  gchar *desc = device_src (dev, "channel=imu.stream");
  Run *run = run_new (desc);
  GstStateChangeReturn ret;

  gst_element_set_state (run->pipeline, GST_STATE_PLAYING);
  g_mutex_lock (&dev->lock);
  while (dev->connections == 0)
    g_cond_wait (&dev->cond, &dev->lock);
  g_mutex_unlock (&dev->lock);
  /* create() waits on an empty queue; stopping must interrupt it */
  ret = gst_element_set_state (run->pipeline, GST_STATE_NULL);
  fail_unless_equals_int (ret, GST_STATE_CHANGE_SUCCESS);
  fail_unless_equals_int (run->buffers->len, 0);
  run_free (run);
  g_free (desc);
  device_stop (dev);
}

GST_END_TEST;

/* ---- against python3-websockets ---- */

GST_START_TEST (test_python_peer)
{
  gchar *script = g_build_filename (g_getenv ("SENSOR_SOURCE_ROOT"), "tests",
      "peers", "helios_server.py", NULL);
  const gchar *python =
      g_getenv ("PYTHON") ? g_getenv ("PYTHON") : "/usr/bin/python3";
  const gchar *argv[] = { python, script, NULL };
  Peer peer = {
    0,
  };
  gchar *desc;
  Run *run;
  GError *err = NULL;
  guint i;
  static const guint8 f0[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
  static const guint8 f2[] = { 200, 201, 202, 203 };
  GstCaps *want;

  sensor_test_process_start (&peer, argv, NULL);

  /* logs: backlog then eof -> EOS, exact bytes */
  desc = g_strdup_printf ("heliossrc location=ws://127.0.0.1:%u "
                          "channel=logs.stream lines=3 follow=false",
      peer.port);
  run = run_new (desc);
  run_until (run, 100);
  fail_unless (run->error == NULL);
  fail_unless (run->eos);
  fail_unless_equals_int (run->buffers->len, 3);
  for (i = 0; i < 3; i++) {
    gchar *s = buffer_text (g_ptr_array_index (run->buffers, i));
    gchar *want_s = g_strdup_printf (
        "{\"type\":\"line\",\"timestamp_ms\":%" G_GUINT64_FORMAT
        ",\"line\":\"line %u\"}\n",
        G_GUINT64_CONSTANT (1700000000000) + i, i);

    fail_unless_equals_string (s, want_s);
    g_free (s);
    g_free (want_s);
  }
  run_free (run);
  g_free (desc);

  /* frames: raw GREY, a size change */
  desc = g_strdup_printf ("heliossrc location=ws://127.0.0.1:%u "
                          "channel=streams." UUID ".frames",
      peer.port);
  run = run_new (desc);
  run_until (run, 3);
  fail_unless (run->error == NULL);
  fail_unless_equals_int (run->buffers->len, 3);
  fail_unless (
      gst_buffer_memcmp (g_ptr_array_index (run->buffers, 0), 0, f0, 8) == 0);
  fail_unless (
      gst_buffer_memcmp (g_ptr_array_index (run->buffers, 2), 0, f2, 4) == 0);
  want = gst_caps_from_string ("video/x-raw, format=GRAY8, width=4, "
                               "height=2");
  fail_unless (gst_caps_is_subset (g_ptr_array_index (run->caps, 1), want));
  gst_caps_unref (want);
  /* 2 bytes per row, not GStreamer's default 4 */
  fail_unless_equals_int (
      gst_buffer_get_video_meta (g_ptr_array_index (run->buffers, 2))
          ->stride[0],
      2);
  want = gst_caps_from_string ("video/x-raw, format=GRAY8, width=2, "
                               "height=2");
  fail_unless (gst_caps_is_subset (g_ptr_array_index (run->caps, 2), want));
  gst_caps_unref (want);
  run_free (run);
  g_free (desc);

  /* the peer's AsyncAPI lists two channels: others are refused */
  desc = g_strdup_printf ("heliossrc location=ws://127.0.0.1:%u "
                          "channel=device.telemetry",
      peer.port);
  run = run_new (desc);
  run_until (run, 1);
  error_text (run, &err);
  fail_unless (
      strstr (err->message, "logs.stream, streams.{stream_id}.frames") != NULL,
      "%s", err->message);
  g_error_free (err);
  run_free (run);
  g_free (desc);

  sensor_test_process_stop (&peer);
  g_free (script);
}

GST_END_TEST;

static Suite *
heliossrc_suite (void)
{
  Suite *s = suite_create ("heliossrc");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_telemetry);
  tcase_add_test (tc, test_json_channels);
  tcase_add_test (tc, test_logs_eof);
  tcase_add_test (tc, test_frames_format_change);
  tcase_add_test (tc, test_console_refused);
  tcase_add_test (tc, test_channel_not_in_table);
  tcase_add_test (tc, test_unknown_channel_asyncapi);
  tcase_add_test (tc, test_asyncapi_timeout);
  tcase_add_test (tc, test_query_params);
  tcase_add_test (tc, test_live_sensors_subscribe);
  tcase_add_test (tc, test_live_metrics_interval);
  tcase_add_test (tc, test_bad_input_json);
  tcase_add_test (tc, test_bad_input_frames);
  tcase_add_test (tc, test_frame_formats);
  tcase_add_test (tc, test_close_without_code);
  tcase_add_test (tc, test_http_404);
  tcase_add_test (tc, test_refused_warns_then_gives_up);
  tcase_add_test (tc, test_eos_on_request);
  tcase_add_test (tc, test_tls);
  tcase_add_test (tc, test_queue_drops_oldest);
  tcase_add_test (tc, test_unlock_silent_device);
  tcase_add_test (tc, test_python_peer);
  return s;
}

GST_CHECK_MAIN (heliossrc);
