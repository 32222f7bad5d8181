/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * sensor-cloud, HeliOS part: a HeliOS device on its own port (default
 * 5800). Like the real server, every channel is its own WebSocket path
 * under /v1/ws with the same query parameters and clamps (from libgsthelios'
 * channel table), and /v1/asyncapi.json lists the channels. The data is
 * synthetic: telemetry samples, sensors/IMU snapshots, log lines, process
 * snapshots, OTA progress, change events with seq, device updates, stream
 * metrics, and MJPG test-pattern frames whose size changes every
 * --helios-resize-after frames (announced by a `format` message).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>
#include <turbojpeg.h>
#include <gst/helios/helios.h>
#include <gst/sensornet/sensornet-ws-limit-stream.h>
#include <gst/sensor/sensor-json.h>

#include "sensor-cloud.h"

/* -1: the device's port 5800, or an ephemeral one when 5800 is taken */
static gint opt_port = -1;
static gint opt_frame_interval_ms = 33;
static gint opt_resize_after = 30;
static gint opt_imu_interval_ms = 100;

static const GOptionEntry helios_entries[] = {
  { "helios-port", 0, 0, G_OPTION_ARG_INT, &opt_port,
      "HeliOS port (default 5800, or ephemeral when it is taken; 0 = "
      "ephemeral; always announced)",
      "PORT" },
  { "helios-frame-interval-ms", 0, 0, G_OPTION_ARG_INT, &opt_frame_interval_ms,
      "Frames channel: ms between frames "
      "(default 33)",
      "MS" },
  { "helios-resize-after", 0, 0, G_OPTION_ARG_INT, &opt_resize_after,
      "Frames channel: switch between 320x240 and 640x480 every N frames "
      "(default 30; 0 = never)",
      "N" },
  { "helios-imu-interval-ms", 0, 0, G_OPTION_ARG_INT, &opt_imu_interval_ms,
      "imu.stream: ms between IMU status messages (default 100)", "MS" },
  { NULL }
};

typedef struct
{
  SensorCloud *cloud;
  SoupServer *server;
  GList *sessions;
  GHashTable *connections;    /* channel name -> count */
  GPtrArray *client_messages; /* "channel: text" */
  tjhandle jpeg;
} HeliosCloud;

static HeliosCloud hc;
/* accepts for hc.server; freed before it */
static GstSensorNetHttpListener *helios_listener;

typedef struct
{
  SoupWebsocketConnection *conn;
  const GstHeliosChannel *channel;
  gchar *stream_id;
  GHashTable *params;
  GSource *timer;
  GSource *heartbeat;
  gint interval_ms;
  guint64 n;           /* messages sent by the timer */
  guint64 seq;         /* updates.stream */
  gboolean kinds[4];   /* sensors: imu, power, firmware, lighting */
  guint width, height; /* frames: current size */
  gboolean format_sent;
} Session;

static const gchar *const sensor_kinds[] = { "imu", "power", "firmware",
  "lighting" };

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

static void
send_text (Session *s, gchar *text)
{
  if (soup_websocket_connection_get_state (s->conn) ==
      SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (s->conn, text);
  g_free (text);
}

static gboolean
close_idle (gpointer data)
{
  SoupWebsocketConnection *conn = data;

  if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (
        conn, SOUP_WEBSOCKET_CLOSE_NO_STATUS, NULL);
  return G_SOURCE_REMOVE;
}

/* HeliOS closes without a status code (an empty close frame). From an
 * idle callback, so the messages queued before go out first. */
static void
close_session (Session *s)
{
  GSource *idle = g_idle_source_new ();

  g_source_set_callback (
      idle, close_idle, g_object_ref (s->conn), g_object_unref);
  g_source_attach (idle, hc.cloud->context);
  g_source_unref (idle);
}

static gint
int_param (Session *s, const gchar *name)
{
  const GstHeliosParam *p = gst_helios_channel_find_param (s->channel, name);
  const gchar *v = s->params ? g_hash_table_lookup (s->params, name) : NULL;
  gint value = p->default_int, clamped;
  gint64 parsed;

  if (v && g_ascii_string_to_signed (v, 10, G_MININT, G_MAXINT, &parsed, NULL))
    value = (gint) parsed;
  gst_helios_param_clamp (p, value, &clamped);
  return clamped;
}

static gboolean
bool_param (Session *s, const gchar *name, gboolean def)
{
  const gchar *v = s->params ? g_hash_table_lookup (s->params, name) : NULL;

  if (v == NULL)
    return def;
  return g_ascii_strcasecmp (v, "false") != 0 && !g_str_equal (v, "0");
}

static void
stop_timer (Session *s)
{
  if (s->timer) {
    g_source_destroy (s->timer);
    g_source_unref (s->timer);
    s->timer = NULL;
  }
}

static void
set_timer (Session *s, gint interval_ms, GSourceFunc func)
{
  stop_timer (s);
  s->interval_ms = interval_ms;
  s->timer = g_timeout_source_new (interval_ms);
  g_source_set_callback (s->timer, func, s, NULL);
  g_source_attach (s->timer, hc.cloud->context);
}

/* ---- payloads ---- */

static gchar *
telemetry_sample (Session *s)
{
  gdouble t = s->n * 0.1;
  guint64 used = 1600000000 + (guint64) (200000000 * (1 + sin (t)));

  return g_strdup_printf (
      "{\"timestamp_ms\":%" G_GINT64_FORMAT ","
      "\"engine\":{\"connected\":true},"
      "\"cpu\":{\"usage_percent\":%.1f,\"temperature_c\":%.1f,"
      "\"cores\":[{\"id\":0,\"usage_percent\":%.1f,\"frequency_mhz\":2400},"
      "{\"id\":1,\"usage_percent\":%.1f,\"frequency_mhz\":2400}]},"
      "\"memory\":{\"total_bytes\":8589934592,\"used_bytes\":%" G_GUINT64_FORMAT
      ",\"free_bytes\":%" G_GUINT64_FORMAT "},"
      "\"disk\":{\"total_bytes\":64000000000,\"used_bytes\":12000000000,"
      "\"free_bytes\":52000000000},"
      "\"power\":{\"watts\":%.2f,\"volts\":5.1,\"amps\":%.3f}}",
      now_ms (), 25 + 10 * sin (t), 48 + 5 * sin (t * 1.3), 20 + 10 * sin (t),
      30 + 10 * cos (t), used, G_GUINT64_CONSTANT (8589934592) - used,
      6 + sin (t), (6 + sin (t)) / 5.1);
}

static gchar *
imu_status (Session *s)
{
  gdouble t = s->n * opt_imu_interval_ms / 1000.0;

  return g_strdup_printf ("{\"timestamp_ms\":%" G_GINT64_FORMAT ","
                          "\"connected\":true,\"sample_rate_hz\":200,"
                          "\"accel\":{\"x\":%.4f,\"y\":%.4f,\"z\":%.4f},"
                          "\"gyro\":{\"x\":%.4f,\"y\":%.4f,\"z\":%.4f},"
                          "\"temperature_c\":36.5,\"seq\":%" G_GUINT64_FORMAT
                          "}",
      now_ms (), 0.1 * sin (t), 0.1 * cos (t), 9.81, 0.02 * sin (2 * t), 0.01,
      0.0, s->n);
}

static gboolean
telemetry_tick (gpointer data)
{
  Session *s = data;

  send_text (s, telemetry_sample (s));
  s->n++;
  return G_SOURCE_CONTINUE;
}

static gboolean
imu_tick (gpointer data)
{
  Session *s = data;

  send_text (s, imu_status (s));
  s->n++;
  return G_SOURCE_CONTINUE;
}

static gboolean
devices_tick (gpointer data)
{
  Session *s = data;
  static const gchar *reasons[] = { "[\"usb\"]", "[\"streams\",\"media\"]",
    "[\"device\"]" };

  send_text (s,
      g_strdup_printf ("{\"type\":\"update\",\"timestamp_ms\":%" G_GINT64_FORMAT
                       ",\"reasons\":%s}",
          now_ms (), reasons[s->n % G_N_ELEMENTS (reasons)]));
  s->n++;
  return G_SOURCE_CONTINUE;
}

static gboolean
sensors_tick (gpointer data)
{
  Session *s = data;
  GString *o = g_string_new ("{");
  gdouble t = s->n * s->interval_ms / 1000.0;

  if (s->kinds[0])
    g_string_append_printf (o,
        "\"imu\":{\"timestamp_ms\":%" G_GINT64_FORMAT
        ",\"accel\":[%.4f,%.4f,9.81],\"gyro\":[%.4f,0,0]},",
        now_ms (), 0.1 * sin (t), 0.1 * cos (t), 0.02 * sin (t));
  if (s->kinds[1])
    g_string_append_printf (o,
        "\"power\":{\"volts\":12.%02u,\"amps\":1.5,"
        "\"watts\":18.2},",
        (guint) (s->n % 100));
  if (s->kinds[3])
    g_string_append_printf (o, "\"lighting\":{\"mode\":\"on\",\"level\":%u},",
        (guint) (s->n % 256));
  if (o->len > 1)
    g_string_truncate (o, o->len - 1);
  g_string_append_c (o, '}');
  if (o->len > 2)
    send_text (s, g_string_free (o, FALSE));
  else
    g_string_free (o, TRUE);
  s->n++;
  return G_SOURCE_CONTINUE;
}

static gboolean
logs_tick (gpointer data)
{
  Session *s = data;

  send_text (s,
      g_strdup_printf (
          "{\"type\":\"line\",\"timestamp_ms\":%" G_GINT64_FORMAT
          ",\"line\":\"helios-api[412]: follow line %" G_GUINT64_FORMAT "\"}",
          now_ms (), s->n));
  s->n++;
  return G_SOURCE_CONTINUE;
}

static gboolean
processes_tick (gpointer data)
{
  Session *s = data;
  gint limit = int_param (s, "limit"), i;
  static const gchar *names[] = { "helios-api", "daedalus", "systemd",
    "journald", "nt4-bridge" };
  GString *o = g_string_new (NULL);

  g_string_append_printf (o,
      "{\"type\":\"snapshot\",\"snapshot\":{"
      "\"timestamp_ms\":%" G_GINT64_FORMAT ",\"total_memory_bytes\":8589934592,"
      "\"used_memory_bytes\":2147483648,\"processes\":[",
      now_ms ());
  for (i = 0; i < MIN (limit, (gint) G_N_ELEMENTS (names)); i++)
    g_string_append_printf (o,
        "%s{\"pid\":%d,\"name\":\"%s\","
        "\"cpu_percent\":%.1f,\"memory_bytes\":%d,"
        "\"virtual_memory_bytes\":%d,\"status\":\"running\"}",
        i ? "," : "", 100 + i, names[i], (gdouble) ((s->n + i) % 50),
        1048576 * (i + 1), 4194304 * (i + 1));
  g_string_append (o, "]}}");
  send_text (s, g_string_free (o, FALSE));
  s->n++;
  return G_SOURCE_CONTINUE;
}

static gboolean
ota_tick (gpointer data)
{
  Session *s = data;
  const gchar *id = "0b6f9a52-6d1e-4c3e-9a53-2a3c1b7f0d11";

  if (s->n < 4)
    send_text (s,
        g_strdup_printf (
            "{\"type\":\"stage_progress\","
            "\"update_id\":\"%s\",\"percent\":%u,\"detail\":\"download\"}",
            id, (guint) (s->n + 1) * 25));
  else if (s->n == 4)
    send_text (s,
        g_strdup_printf ("{\"type\":\"stage_complete\","
                         "\"update_id\":\"%s\"}",
            id));
  else if (s->n == 5)
    send_text (s,
        g_strdup_printf (
            "{\"type\":\"apply_scheduled\","
            "\"update_id\":\"%s\",\"eta\":\"2026-01-01T00:00:00Z\"}",
            id));
  else if (s->n == 6)
    send_text (s,
        g_strdup_printf ("{\"type\":\"apply_complete\","
                         "\"update_id\":\"%s\",\"reboot_required\":false}",
            id));
  else
    send_text (s,
        g_strdup_printf ("{\"type\":\"snapshot\",\"state\":null,"
                         "\"cache_usage_bytes\":%" G_GUINT64_FORMAT "}",
            s->n * 1024));
  s->n++;
  return G_SOURCE_CONTINUE;
}

static gboolean
updates_tick (gpointer data)
{
  Session *s = data;
  static const gchar *domains[] = { "streams", "pipelines", "settings" };

  s->seq++;
  send_text (s,
      g_strdup_printf (
          "{\"type\":\"change\",\"event\":{\"seq\":%" G_GUINT64_FORMAT
          ",\"timestamp_ms\":%" G_GINT64_FORMAT ","
          "\"origin\":\"http\",\"domain\":\"%s\",\"kind\":\"%s\","
          "\"operation\":\"update\",\"entity\":\"%s\",\"revision\":"
          "%" G_GUINT64_FORMAT ",\"path\":\"/v1/%s\",\"method\":\"PATCH\"}}",
          s->seq, now_ms (), domains[s->seq % 3], domains[s->seq % 3],
          domains[s->seq % 3], s->seq, domains[s->seq % 3]));
  return G_SOURCE_CONTINUE;
}

static gboolean
updates_heartbeat (gpointer data)
{
  Session *s = data;

  send_text (s,
      g_strdup_printf (
          "{\"type\":\"heartbeat\",\"timestamp_ms\":%" G_GINT64_FORMAT "}",
          now_ms ()));
  return G_SOURCE_CONTINUE;
}

static gboolean
metrics_tick (gpointer data)
{
  Session *s = data;

  send_text (s,
      g_strdup_printf (
          "{\"stream_id\":\"%s\",\"metrics\":{"
          "\"fps\":%.1f,\"latency_ms\":%.1f,\"frames\":%" G_GUINT64_FORMAT
          ",\"dropped\":0},\"timestamp_ms\":%" G_GINT64_FORMAT "}",
          s->stream_id, 29.5 + (s->n % 10) / 10.0, 12.0 + (s->n % 7), s->n * 30,
          now_ms ()));
  s->n++;
  return G_SOURCE_CONTINUE;
}

/* Color bars with a moving white column, so frames differ. */
static guint8 *
test_pattern (guint width, guint height, guint64 n)
{
  static const guint8 bars[8][3] = { { 235, 235, 235 }, { 235, 235, 16 },
    { 16, 235, 235 }, { 16, 235, 16 }, { 235, 16, 235 }, { 235, 16, 16 },
    { 16, 16, 235 }, { 16, 16, 16 } };
  guint8 *rgb = g_malloc (width * height * 3);
  guint x, y, col = (guint) ((n * 8) % width);

  for (y = 0; y < height; y++) {
    for (x = 0; x < width; x++) {
      guint8 *p = rgb + (y * width + x) * 3;
      const guint8 *c = bars[x * 8 / width];

      if (x >= col && x < col + 4) {
        p[0] = p[1] = p[2] = 255;
      } else {
        p[0] = c[0];
        p[1] = c[1];
        p[2] = c[2];
      }
    }
  }
  return rgb;
}

static gboolean
frames_tick (gpointer data)
{
  Session *s = data;
  guint w = 320, h = 240;
  guint8 *rgb;
  unsigned char *jpeg = NULL;
  unsigned long jpeg_size = 0;

  if (opt_resize_after > 0 && (s->n / opt_resize_after) % 2 == 1) {
    w = 640;
    h = 480;
  }
  if (!s->format_sent || w != s->width || h != s->height) {
    s->width = w;
    s->height = h;
    s->format_sent = TRUE;
    send_text (s,
        g_strdup_printf ("{\"type\":\"format\",\"fourcc\":\"MJPG\","
                         "\"width\":%u,\"height\":%u}",
            w, h));
  }
  rgb = test_pattern (w, h, s->n);
  if (tjCompress2 (hc.jpeg, rgb, w, 0, h, TJPF_RGB, &jpeg, &jpeg_size,
          TJSAMP_420, 80, TJFLAG_FASTDCT) == 0) {
    if (soup_websocket_connection_get_state (s->conn) ==
        SOUP_WEBSOCKET_STATE_OPEN)
      soup_websocket_connection_send_binary (s->conn, jpeg, jpeg_size);
  } else {
    g_printerr ("sensor-cloud: helios: JPEG encoding failed: %s\n",
        tjGetErrorStr2 (hc.jpeg));
  }
  tjFree (jpeg);
  g_free (rgb);
  s->n++;
  return G_SOURCE_CONTINUE;
}

/* ---- client messages ---- */

static void
record_client_message (Session *s, const gchar *text)
{
  g_ptr_array_add (
      hc.client_messages, g_strdup_printf ("%s: %s", s->channel->name, text));
}

static void
sensors_error (Session *s, const gchar *reason)
{
  send_text (s,
      g_strdup_printf ("{\"status\":\"sensors_stream_unavailable\","
                       "\"reason\":\"%s\",\"timestamp_ms\":%" G_GINT64_FORMAT
                       ","
                       "\"source\":\"sensors\",\"operation\":\"subscribe\","
                       "\"request_id\":\"local\",\"trace_id\":\"local\","
                       "\"retryable\":false,\"reported_by\":\"helios-api\"}",
          reason, now_ms ()));
}

/* Client requests are small flat objects. */
static const GstSensorJsonLimits client_limits = { 8, 64 * 1024 };

static void
sensors_message (Session *s, const gchar *text)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *obj;
  JsonArray *kinds;
  const gchar *op;
  gint interval = 100;
  guint i, j;

  if (g_str_equal (text, "unsubscribe")) {
    stop_timer (s);
    return;
  }
  /* strict and bounded: json-glib would recurse into any nesting */
  root = gst_sensor_json_parse (text, strlen (text), &client_limits, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    sensors_error (s, "invalid request: not a JSON object");
    return;
  }
  obj = json_node_get_object (root);
  op = json_object_get_string_member_with_default (obj, "op", "");
  if (g_str_equal (op, "unsubscribe")) {
    memset (s->kinds, 0, sizeof (s->kinds));
    return;
  }
  if (!g_str_equal (op, "subscribe") ||
      !json_object_has_member (obj, "kinds") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "kinds"))) {
    sensors_error (s, "invalid request: expected op subscribe with kinds");
    return;
  }
  kinds = json_object_get_array_member (obj, "kinds");
  for (i = 0; i < json_array_get_length (kinds); i++) {
    const gchar *k = json_node_get_string (json_array_get_element (kinds, i));

    for (j = 0; k && j < G_N_ELEMENTS (sensor_kinds); j++) {
      if (g_str_equal (k, sensor_kinds[j]))
        s->kinds[j] = TRUE;
    }
  }
  interval = CLAMP (
      json_object_get_int_member_with_default (obj, "interval_ms", 100),
      GST_HELIOS_SENSORS_MIN_INTERVAL_MS, GST_HELIOS_SENSORS_MAX_INTERVAL_MS);
  if (s->kinds[2])
    send_text (s,
        g_strdup ("{\"firmware\":{\"version\":\"1.4.2\","
                  "\"board\":\"raze-io\",\"build\":\"local\"}}"));
  set_timer (s, interval, sensors_tick);
  sensors_tick (s);
}

static void
on_message (SoupWebsocketConnection *conn, gint type, GBytes *message,
    gpointer user_data)
{
  Session *s = user_data;
  gsize len;
  const gchar *data = g_bytes_get_data (message, &len);
  g_autofree gchar *text = NULL;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  text = g_strndup (data, len);
  record_client_message (s, text);

  switch (s->channel->id) {
    case GST_HELIOS_CHANNEL_SENSORS_STREAM:
      sensors_message (s, text);
      break;
    case GST_HELIOS_CHANNEL_IMU_STREAM:
      if (g_str_equal (text, "unsubscribe"))
        close_session (s);
      break;
    case GST_HELIOS_CHANNEL_STREAM_METRICS: {
      g_autoptr (JsonNode) root =
          gst_sensor_json_parse (text, strlen (text), &client_limits, NULL);

      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root)) {
        JsonObject *o = json_node_get_object (root);
        gint64 ms =
            json_object_get_int_member_with_default (o, "interval_ms", 0);

        if (ms > 0)
          set_timer (s, CLAMP (ms, 250, 10000), metrics_tick);
      }
      break;
    }
    default:
      break; /* other channels ignore client text */
  }
}

/* ---- sessions ---- */

static void
session_free (Session *s)
{
  stop_timer (s);
  if (s->heartbeat) {
    g_source_destroy (s->heartbeat);
    g_source_unref (s->heartbeat);
  }
  g_signal_handlers_disconnect_by_data (s->conn, s);
  g_object_unref (s->conn);
  g_free (s->stream_id);
  g_clear_pointer (&s->params, g_hash_table_unref);
  g_free (s);
}

static void
on_closed (SoupWebsocketConnection *conn, gpointer user_data)
{
  Session *s = user_data;

  hc.sessions = g_list_remove (hc.sessions, s);
  session_free (s);
}

/* Matches a request path against the table; @stream_id gets the UUID. */
static const GstHeliosChannel *
channel_for_path (const gchar *path, gchar **stream_id)
{
  const GstHeliosChannel *table;
  guint n, i;

  *stream_id = NULL;
  table = gst_helios_channels (&n);
  for (i = 0; i < n; i++) {
    const gchar *brace = strstr (table[i].path, "{stream_id}");

    if (brace == NULL) {
      if (g_str_equal (table[i].path, path))
        return &table[i];
    } else {
      gsize prefix = brace - table[i].path;
      const gchar *suffix = brace + strlen ("{stream_id}");
      gsize plen = strlen (path), slen = strlen (suffix);
      g_autofree gchar *id = NULL;

      if (plen <= prefix + slen || strncmp (path, table[i].path, prefix) ||
          !g_str_has_suffix (path, suffix))
        continue;
      id = g_strndup (path + prefix, plen - prefix - slen);
      if (!g_uuid_string_is_valid (id))
        continue;
      *stream_id = g_steal_pointer (&id);
      return &table[i];
    }
  }
  return NULL;
}

static void
start_session (Session *s)
{
  switch (s->channel->id) {
    case GST_HELIOS_CHANNEL_DEVICE_TELEMETRY:
      telemetry_tick (s); /* the first sample at once */
      set_timer (s, int_param (s, "interval_ms"), telemetry_tick);
      break;
    case GST_HELIOS_CHANNEL_DEVICES_UPDATES:
      send_text (s,
          g_strdup_printf ("{\"type\":\"ready\",\"interval_ms\":%d}",
              int_param (s, "interval_ms")));
      set_timer (s, int_param (s, "interval_ms"), devices_tick);
      break;
    case GST_HELIOS_CHANNEL_SENSORS_STREAM:
      break; /* waits for a subscribe op */
    case GST_HELIOS_CHANNEL_IMU_STREAM:
      imu_tick (s);
      set_timer (s, MAX (opt_imu_interval_ms, 1), imu_tick);
      break;
    case GST_HELIOS_CHANNEL_LOGS_STREAM: {
      const gchar *source =
          s->params ? g_hash_table_lookup (s->params, "source") : NULL;
      gint lines = int_param (s, "lines"), i;

      if (source == NULL)
        source = "journal";
      if (!g_str_equal (source, "journal") && !g_str_equal (source, "kernel")) {
        g_autoptr (JsonNode) m =
            json_node_init_string (json_node_alloc (), source);
        g_autofree gchar *quoted = json_to_string (m, FALSE);

        send_text (s,
            g_strdup_printf ("{\"type\":\"error\",\"message\":"
                             "\"unknown log source\",\"source\":%s}",
                quoted));
        close_session (s);
        break;
      }
      send_text (s,
          g_strdup_printf ("{\"type\":\"ready\",\"source\":"
                           "{\"kind\":\"%s\"}}",
              source));
      for (i = 0; i < lines; i++)
        send_text (s,
            g_strdup_printf (
                "{\"type\":\"line\",\"timestamp_ms\":%" G_GINT64_FORMAT
                ",\"line\":\"helios-api[412]: backlog line "
                "%d\"}",
                now_ms (), i));
      if (bool_param (s, "follow", TRUE)) {
        set_timer (s, 200, logs_tick);
      } else {
        send_text (s, g_strdup ("{\"type\":\"eof\"}"));
        close_session (s);
      }
      break;
    }
    case GST_HELIOS_CHANNEL_PROCESSES_STREAM:
      send_text (s,
          g_strdup_printf ("{\"type\":\"ready\",\"interval_ms\":%d}",
              int_param (s, "interval_ms")));
      processes_tick (s);
      set_timer (s, int_param (s, "interval_ms"), processes_tick);
      break;
    case GST_HELIOS_CHANNEL_OTA_STREAM:
      send_text (s,
          g_strdup ("{\"type\":\"snapshot\",\"state\":null,"
                    "\"cache_usage_bytes\":0}"));
      set_timer (s, 300, ota_tick);
      break;
    case GST_HELIOS_CHANNEL_UPDATES_STREAM:
      send_text (s,
          g_strdup_printf ("{\"type\":\"ready\",\"heartbeat_ms\":%d}",
              int_param (s, "heartbeat_ms")));
      set_timer (s, 250, updates_tick);
      s->heartbeat = g_timeout_source_new (int_param (s, "heartbeat_ms"));
      g_source_set_callback (s->heartbeat, updates_heartbeat, s, NULL);
      g_source_attach (s->heartbeat, hc.cloud->context);
      break;
    case GST_HELIOS_CHANNEL_STREAM_METRICS:
      metrics_tick (s); /* the latest snapshot first */
      set_timer (s, int_param (s, "interval_ms"), metrics_tick);
      break;
    case GST_HELIOS_CHANNEL_STREAM_FRAMES:
      frames_tick (s);
      set_timer (s, MAX (opt_frame_interval_ms, 1), frames_tick);
      break;
    case GST_HELIOS_CHANNEL_CONSOLE_SESSION:
      send_text (s,
          g_strdup ("{\"type\":\"error\",\"message\":\"no console "
                    "on the local stand-in\"}"));
      close_session (s);
      break;
    default:
      close_session (s);
      break;
  }
}

static void
websocket_cb (SoupServer *server, SoupServerMessage *msg, const char *path,
    SoupWebsocketConnection *conn, gpointer user_data)
{
  Session *s = g_new0 (Session, 1);
  GUri *uri = soup_server_message_get_uri (msg);
  const gchar *query = g_uri_get_query (uri);
  guint count;

  s->conn = g_object_ref (conn);
  s->channel = channel_for_path (path, &s->stream_id);
  if (query)
    s->params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  hc.sessions = g_list_prepend (hc.sessions, s);
  g_signal_connect (conn, "message", G_CALLBACK (on_message), s);
  g_signal_connect (conn, "closed", G_CALLBACK (on_closed), s);
  if (s->channel == NULL) {
    close_session (s); /* the early handler refused it already */
    return;
  }
  count =
      GPOINTER_TO_UINT (g_hash_table_lookup (hc.connections, s->channel->name));
  g_hash_table_insert (hc.connections, (gpointer) s->channel->name,
      GUINT_TO_POINTER (count + 1));
  start_session (s);
}

/* Unknown /v1/ws paths get 404 before the upgrade, like the device. */
static void
early_cb (SoupServer *server, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer user_data)
{
  g_autofree gchar *stream_id = NULL;

  if (channel_for_path (path, &stream_id) == NULL)
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
asyncapi_cb (SoupServer *server, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer user_data)
{
  GSocketAddress *local = soup_server_message_get_local_address (msg);
  g_autofree gchar *host = NULL;
  gchar *doc;

  if (!g_str_equal (path, "/v1/asyncapi.json") &&
      !g_str_equal (path, "/asyncapi.json")) {
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
    return;
  }
  if (G_IS_INET_SOCKET_ADDRESS (local))
    host = g_strdup_printf ("localhost:%u",
        g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
  doc = gst_helios_asyncapi_build (host ? host : "localhost:5800");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (
      msg, "application/json", SOUP_MEMORY_TAKE, doc, strlen (doc));
}

static gboolean
helios_start (SensorCloud *cloud, GError **error)
{
  g_autoptr (GInetAddress) inet =
      g_inet_address_new_from_string (cloud->address);
  g_autoptr (GSocketAddress) sa = NULL;

  hc.cloud = cloud;
  hc.connections = g_hash_table_new (g_str_hash, g_str_equal);
  hc.client_messages = g_ptr_array_new_with_free_func (g_free);
  hc.jpeg = tjInitCompress ();
  if (hc.jpeg == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "cannot initialise TurboJPEG: %s", tjGetErrorStr2 (NULL));
    return FALSE;
  }
  hc.server = soup_server_new ("server-header", "sensor-cloud-helios", NULL);
  soup_server_add_early_handler (hc.server, "/v1/ws", early_cb, NULL, NULL);
  gst_sensor_net_ws_server_add_handler (hc.server, "/v1/ws", NULL, NULL,
      SENSOR_CLOUD_WS_MAX_MESSAGE, websocket_cb, NULL, NULL);
  soup_server_add_handler (
      hc.server, "/v1/asyncapi.json", asyncapi_cb, NULL, NULL);
  soup_server_add_handler (
      hc.server, "/asyncapi.json", asyncapi_cb, NULL, NULL);

  sa = g_inet_socket_address_new (
      inet, opt_port < 0 ? GST_HELIOS_DEFAULT_PORT : opt_port);
  helios_listener = sensor_cloud_listen (hc.server, sa, "helios", error);
  if (helios_listener == NULL) {
    if (opt_port >= 0)
      return FALSE;
    g_printerr ("sensor-cloud: helios: port %d: %s; using an ephemeral "
                "port\n",
        GST_HELIOS_DEFAULT_PORT, (*error)->message);
    g_clear_error (error);
    g_clear_object (&sa);
    sa = g_inet_socket_address_new (inet, 0);
    helios_listener = sensor_cloud_listen (hc.server, sa, "helios", error);
    if (helios_listener == NULL)
      return FALSE;
  }
  sensor_cloud_announce (
      cloud, "helios", gst_sensor_net_http_listener_get_port (helios_listener));
  return TRUE;
}

static void
helios_record (SensorCloud *cloud, JsonBuilder *b)
{
  GHashTableIter it;
  gpointer k, v;
  guint i;

  if (hc.connections == NULL)
    return;
  json_builder_set_member_name (b, "connections");
  json_builder_begin_object (b);
  g_hash_table_iter_init (&it, hc.connections);
  while (g_hash_table_iter_next (&it, &k, &v)) {
    json_builder_set_member_name (b, k);
    json_builder_add_int_value (b, GPOINTER_TO_UINT (v));
  }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "client_messages");
  json_builder_begin_array (b);
  for (i = 0; i < hc.client_messages->len; i++)
    json_builder_add_string_value (
        b, g_ptr_array_index (hc.client_messages, i));
  json_builder_end_array (b);
}

static void
helios_stop (SensorCloud *cloud)
{
  while (hc.sessions) {
    Session *s = hc.sessions->data;

    hc.sessions = g_list_delete_link (hc.sessions, hc.sessions);
    session_free (s);
  }
  g_clear_pointer (&helios_listener, gst_sensor_net_http_listener_free);
  if (hc.server) {
    soup_server_disconnect (hc.server);
    g_clear_object (&hc.server);
  }
  g_clear_pointer (&hc.connections, g_hash_table_unref);
  g_clear_pointer (&hc.client_messages, g_ptr_array_unref);
  if (hc.jpeg) {
    tjDestroy (hc.jpeg);
    hc.jpeg = NULL;
  }
}

const SensorCloudPart sensor_cloud_helios_part = {
  .name = "helios",
  .description = "HeliOS device WebSockets (/v1/ws/..., own port)",
  .entries = helios_entries,
  .start = helios_start,
  .record = helios_record,
  .stop = helios_stop,
};
