/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The Plexus part of sensor-cloud: the Data API live streams
 * /v1/sources/{id}/{metrics,logs,video}/stream with the auth frame, the
 * per-stream close codes, `init`, synthetic telemetry and events, and JPEG
 * video made with TurboJPEG from a moving test pattern (or read from a
 * directory of .jpg files). Options inject gateway_reconnecting, corrupt
 * and dropped frames, and closes.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>
#include <turbojpeg.h>
#include <gst/plexus/plexus.h>
#include <gst/sensornet/sensornet-ws-limit-stream.h>
#include <gst/sensor/sensor-json.h>

#include "sensor-cloud-plexus.h"

#define DEFAULT_OPTIONS                                                        \
  {                                                                            \
    .auth_timeout_ms = GST_PLEXUS_AUTH_TIMEOUT_MS, .fps = 10, .width = 320,    \
    .height = 240, .quality = 85, .metrics_interval_ms = 100,                  \
    .events_interval_ms = 500, .default_timeout_s = 600, .close_code = 1011,   \
  }

static SensorCloudPlexusOptions opts = DEFAULT_OPTIONS;

#define DEFAULT_KEY SENSOR_CLOUD_PLEXUS_KEY
#define DEFAULT_DISABLED_KEY SENSOR_CLOUD_PLEXUS_DISABLED_KEY
#define DEFAULT_CAMERAS "default,front,rear"

static const GOptionEntry entries[] = {
  { "plexus-key", 0, 0, G_OPTION_ARG_STRING, &opts.key,
      "Accepted API key (default " SENSOR_CLOUD_PLEXUS_KEY ")", "KEY" },
  { "plexus-disabled-key", 0, 0, G_OPTION_ARG_STRING, &opts.disabled_key,
      "A valid key without API access: payment required "
      "(default " DEFAULT_DISABLED_KEY ")",
      "KEY" },
  { "plexus-auth-timeout-ms", 0, 0, G_OPTION_ARG_INT, &opts.auth_timeout_ms,
      "Wait this long for the auth frame (default 10000)", "MS" },
  { "plexus-cameras", 0, 0, G_OPTION_ARG_STRING, &opts.cameras,
      "Online cameras, comma-separated (default " DEFAULT_CAMERAS ")", "IDS" },
  { "plexus-fps", 0, 0, G_OPTION_ARG_INT, &opts.fps,
      "Video frames per second per camera (default 10; 0 = as fast as the "
      "socket takes them, use with --plexus-max-frames)",
      "N" },
  { "plexus-width", 0, 0, G_OPTION_ARG_INT, &opts.width,
      "Test pattern width (default 320)", "W" },
  { "plexus-height", 0, 0, G_OPTION_ARG_INT, &opts.height,
      "Test pattern height (default 240)", "H" },
  { "plexus-quality", 0, 0, G_OPTION_ARG_INT, &opts.quality,
      "JPEG quality (default 85)", "Q" },
  { "plexus-subsampling", 0, 0, G_OPTION_ARG_STRING, &opts.subsampling,
      "JPEG chroma subsampling: 420, 422, 444 or gray, or a list (default 420)",
      "S" },
  { "plexus-jpeg-dir", 0, 0, G_OPTION_ARG_FILENAME, &opts.jpeg_dir,
      "Send the .jpg files of DIR in a loop instead of the pattern", "DIR" },
  { "plexus-max-frames", 0, 0, G_OPTION_ARG_INT, &opts.max_frames,
      "Video frames per connection and camera (default 0 = no limit)", "N" },
  { "plexus-metrics-interval-ms", 0, 0, G_OPTION_ARG_INT,
      &opts.metrics_interval_ms, "Telemetry frame interval (default 100)",
      "MS" },
  { "plexus-events-interval-ms", 0, 0, G_OPTION_ARG_INT,
      &opts.events_interval_ms, "Event interval (default 500)", "MS" },
  { "plexus-event-bytes", 0, 0, G_OPTION_ARG_INT, &opts.event_bytes,
      "Pad every event with a tag of about N bytes (default 0)", "N" },
  { "plexus-default-timeout", 0, 0, G_OPTION_ARG_INT, &opts.default_timeout_s,
      "Video stream timeout without ?timeout= (default 600)", "S" },
  { "plexus-reconnecting-every", 0, 0, G_OPTION_ARG_INT,
      &opts.reconnecting_every,
      "Send gateway_reconnecting every N data messages", "N" },
  { "plexus-corrupt-every", 0, 0, G_OPTION_ARG_INT, &opts.corrupt_every,
      "Corrupt every N-th video frame", "N" },
  { "plexus-corrupt-kind", 0, 0, G_OPTION_ARG_STRING, &opts.corrupt_kind,
      "base64, jpeg, size, truncated or cycle (default cycle)", "KIND" },
  { "plexus-drop-every", 0, 0, G_OPTION_ARG_INT, &opts.drop_every,
      "Silently skip every N-th video frame", "N" },
  { "plexus-resize-every", 0, 0, G_OPTION_ARG_INT, &opts.resize_every,
      "Switch between full and half size every N frames", "N" },
  { "plexus-nan-every", 0, 0, G_OPTION_ARG_INT, &opts.nan_every,
      "Write a NaN literal into every N-th telemetry frame", "N" },
  { "plexus-close-after", 0, 0, G_OPTION_ARG_INT, &opts.close_after,
      "Close each stream after N data messages", "N" },
  { "plexus-close-code", 0, 0, G_OPTION_ARG_INT, &opts.close_code,
      "Close code for --plexus-close-after; 0 drops the TCP link (1011)",
      "CODE" },
  { "plexus-binary-every", 0, 0, G_OPTION_ARG_INT, &opts.binary_every,
      "Send a binary message every N data messages", "N" },
  { "plexus-oversize-every", 0, 0, G_OPTION_ARG_INT, &opts.oversize_every,
      "Send a 9 MiB text message every N data messages", "N" },
  { "plexus-thermal-cameras", 0, 0, G_OPTION_ARG_STRING, &opts.thermal_cameras,
      "These cameras are thermal: frames carry a 32x24 temperature grid",
      "IDS" },
  { "plexus-subsampling-every", 0, 0, G_OPTION_ARG_INT, &opts.subsampling_every,
      "Switch to the next --plexus-subsampling entry every N frames", "N" },
  { "plexus-silent", 0, 0, G_OPTION_ARG_NONE, &opts.silent,
      "Accept the auth frame, then never send anything", NULL },
  { NULL }
};

SensorCloudPlexusOptions *
sensor_cloud_plexus_options (void)
{
  return &opts;
}

void
sensor_cloud_plexus_options_reset (void)
{
  static const SensorCloudPlexusOptions defaults = DEFAULT_OPTIONS;

  g_free (opts.key);
  g_free (opts.disabled_key);
  g_free (opts.cameras);
  g_free (opts.subsampling);
  g_free (opts.jpeg_dir);
  g_free (opts.corrupt_kind);
  g_free (opts.thermal_cameras);
  opts = defaults;
}

/* ---- what the part saw ---- */

static GMutex stats_lock;
static SensorCloudPlexusStats stats;

#define STATS_INC(field)                                                       \
  G_STMT_START                                                                 \
  {                                                                            \
    g_mutex_lock (&stats_lock);                                                \
    stats.field++;                                                             \
    g_mutex_unlock (&stats_lock);                                              \
  }                                                                            \
  G_STMT_END

void
sensor_cloud_plexus_get_stats (SensorCloudPlexusStats *out)
{
  g_mutex_lock (&stats_lock);
  *out = stats;
  out->last_query = g_strdup (stats.last_query);
  g_mutex_unlock (&stats_lock);
}

void
sensor_cloud_plexus_stats_clear (SensorCloudPlexusStats *s)
{
  g_clear_pointer (&s->last_query, g_free);
}

/* ---- test pattern ---- */

/* triangle wave 0..255 with period 2*255 */
static inline guint8
tri (gint64 v)
{
  gint64 m = v % 510;

  if (m < 0)
    m += 510;
  return m < 256 ? m : 510 - m;
}

void
sensor_cloud_plexus_pattern (
    guint8 *rgb, gint stride, gint width, gint height, guint64 n, guint camera)
{
  gint x, y;

  for (y = 0; y < height; y++) {
    guint8 *row = rgb + (gsize) y * stride;

    for (x = 0; x < width; x++) {
      row[3 * x + 0] = tri ((gint64) x * 2 + (gint64) n * 8);
      row[3 * x + 1] = tri ((gint64) y * 2 + (gint64) n * 4 + camera * 90);
      row[3 * x + 2] = tri ((gint64) (x + y) + camera * 170);
    }
  }
}

/* ---- connections ---- */

typedef struct
{
  SoupWebsocketConnection *conn;
  GstPlexusStream stream;
  gchar *source_id;
  gchar *query;
  GPtrArray *cameras; /* requested and online */
  GPtrArray *metrics; /* filter, empty = all */
  guint timeout_s;
  gboolean authed;
  gboolean closing;
  gint64 accept_us;
  GSource *auth_timer;
  GSource *data_timer;
  GSource *events_timer;
  GSource *timeout_timer;
  guint64 data_messages;
  guint64 frame_no;
  guint64 frames_sent;
  tjhandle tj;
  guint8 *rgb;
  gsize rgb_size;
  GString *scratch; /* video_frame text, reused: libsoup copies it */
} PlexusConn;

static GMainContext *part_context;
static GList *conns;
static GPtrArray *jpeg_files; /* of GBytes */
static GPtrArray *jpeg_b64;   /* their base64, encoded once */

static void
destroy_source (GSource **s)
{
  if (*s) {
    g_source_destroy (*s);
    g_source_unref (*s);
    *s = NULL;
  }
}

static void
conn_free (PlexusConn *c)
{
  destroy_source (&c->auth_timer);
  destroy_source (&c->data_timer);
  destroy_source (&c->events_timer);
  destroy_source (&c->timeout_timer);
  g_signal_handlers_disconnect_by_data (c->conn, c);
  g_object_unref (c->conn);
  g_free (c->source_id);
  g_free (c->query);
  g_ptr_array_unref (c->cameras);
  g_ptr_array_unref (c->metrics);
  if (c->tj)
    tjDestroy (c->tj);
  g_free (c->rgb);
  if (c->scratch)
    g_string_free (c->scratch, TRUE);
  g_free (c);
}

static void
conn_close (PlexusConn *c, gushort code, const gchar *reason)
{
  if (c->closing)
    return;
  c->closing = TRUE;
  destroy_source (&c->data_timer);
  destroy_source (&c->events_timer);
  destroy_source (&c->timeout_timer);
  destroy_source (&c->auth_timer);
  g_mutex_lock (&stats_lock);
  stats.last_close_code = code;
  g_mutex_unlock (&stats_lock);
  if (code == 0) {
    /* network loss: no close frame */
    g_io_stream_close (
        soup_websocket_connection_get_io_stream (c->conn), NULL, NULL);
  } else if (soup_websocket_connection_get_state (c->conn) ==
      SOUP_WEBSOCKET_STATE_OPEN) {
    soup_websocket_connection_close (c->conn, code, reason);
  }
}

static GSource *
add_timer (guint ms, GSourceFunc func, gpointer data)
{
  GSource *s = g_timeout_source_new (ms);

  g_source_set_callback (s, func, data, NULL);
  g_source_attach (s, part_context);
  return s;
}

static void
send_text (PlexusConn *c, const gchar *text)
{
  if (soup_websocket_connection_get_state (c->conn) ==
      SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (c->conn, text);
}

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

/* Counts one data message; injects gateway_reconnecting and the planned
 * close. FALSE when the connection was closed. */
static gboolean
count_data_message (PlexusConn *c)
{
  c->data_messages++;
  if (opts.reconnecting_every > 0 &&
      c->data_messages % opts.reconnecting_every == 0) {
    g_autofree gchar *msg = NULL;

    if (c->stream == GST_PLEXUS_STREAM_VIDEO)
      msg = g_strdup_printf ("{\"type\":\"gateway_reconnecting\",\"attempt\":"
                             "%u,\"max_attempts\":5,\"delay_s\":2}",
          (guint) (c->data_messages / opts.reconnecting_every - 1) % 5 + 1);
    else
      msg = g_strdup_printf ("{\"type\":\"gateway_reconnecting\",\"attempt\":"
                             "%u,\"delay_s\":2}",
          (guint) (c->data_messages / opts.reconnecting_every - 1) % 5 + 1);
    send_text (c, msg);
  }
  if (opts.binary_every > 0 && c->data_messages % opts.binary_every == 0) {
    static const guint8 junk[] = { 0x01, 0x02, 0xff, 0x00, 0x7b };
    GBytes *b = g_bytes_new_static (junk, sizeof junk);

    soup_websocket_connection_send_message (
        c->conn, SOUP_WEBSOCKET_DATA_BINARY, b);
    g_bytes_unref (b);
  }
  if (opts.oversize_every > 0 && c->data_messages % opts.oversize_every == 0) {
    /* valid JSON, just over the clients' 8 MiB limit */
    static const gchar head[] = "{\"type\":\"telemetry\",\"points\":[]}";
    gsize len = 9 * 1024 * 1024;
    gchar *big = g_malloc (len);
    GBytes *b;

    memset (big, ' ', len);
    memcpy (big, head, sizeof head - 1);
    b = g_bytes_new_take (big, len);
    soup_websocket_connection_send_message (
        c->conn, SOUP_WEBSOCKET_DATA_TEXT, b);
    g_bytes_unref (b);
  }
  if (opts.close_after > 0 && c->data_messages >= (guint64) opts.close_after) {
    conn_close (c, opts.close_code,
        opts.close_code == 1011 ? "gateway error" : "closed by sensor-cloud");
    return FALSE;
  }
  return TRUE;
}

static gboolean
metric_wanted (PlexusConn *c, const gchar *name)
{
  guint i;

  if (c->metrics->len == 0)
    return TRUE;
  for (i = 0; i < c->metrics->len; i++)
    if (strcmp (g_ptr_array_index (c->metrics, i), name) == 0)
      return TRUE;
  return FALSE;
}

static void
add_point (PlexusConn *c, GString *s, gboolean *first, const gchar *metric,
    const gchar *value, const gchar *timestamp)
{
  if (!metric_wanted (c, metric))
    return;
  if (!*first)
    g_string_append_c (s, ',');
  *first = FALSE;
  g_string_append_printf (s,
      "{\"v\":1,\"org_id\":\"org-local\",\"source_id\":"
      "\"%s\",\"class\":\"metric\",\"metric\":\"%s\",\"value\":%s,"
      "\"timestamp\":%s,\"tags\":{\"site\":\"local\"}}",
      c->source_id, metric, value, timestamp);
}

static gboolean
on_telemetry (gpointer data)
{
  PlexusConn *c = data;
  g_autoptr (GString) s = g_string_new ("{\"type\":\"telemetry\",\"points\":[");
  gint64 t = now_ms ();
  guint64 k = c->data_messages + 1;
  gboolean first = TRUE;
  gchar v[64], ts[64];

  /* battery drains, cpu is an int, motor.temp has a float timestamp, and a
   * string-valued metric shows that values can be any JSON type */
  g_snprintf (ts, sizeof ts, "%" G_GINT64_FORMAT, t);
  if (opts.nan_every > 0 && k % opts.nan_every == 0)
    g_strlcpy (v, "NaN", sizeof v);
  else
    g_ascii_formatd (v, sizeof v, "%.2f", 100.0 - fmod (k * 0.01, 100.0));
  add_point (c, s, &first, "battery.percent", v, ts);
  g_snprintf (v, sizeof v, "%d", (gint) (50 + 40 * sin (k * 0.1)));
  add_point (c, s, &first, "cpu.percent", v, ts);
  g_ascii_formatd (v, sizeof v, "%.3f", 40.0 + 5 * sin (k * 0.05));
  g_ascii_formatd (ts, sizeof ts, "%.1f", t + 0.5);
  add_point (c, s, &first, "motor.temp", v, ts);
  g_snprintf (ts, sizeof ts, "%" G_GINT64_FORMAT, t);
  add_point (c, s, &first, "nav.state", "\"cruising\"", ts);
  g_string_append (s, "]}");
  if (first) /* the filter left nothing */
    return G_SOURCE_CONTINUE;
  send_text (c, s->str);
  STATS_INC (telemetry_sent);
  return count_data_message (c) ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
on_event (gpointer data)
{
  PlexusConn *c = data;
  static const gchar *const values[] = { "\"waypoint-3\"", "true", "42",
    "{\"goal\":\"dock\",\"eta_s\":12}" };
  static const gchar *const names[] = { "nav.goal_reached", "dock.contact",
    "mission.step", "planner.update" };
  guint i = c->data_messages % G_N_ELEMENTS (values);
  g_autofree gchar *pad = NULL;
  g_autofree gchar *msg = NULL;

  /* large events, for memory bounds: a tag of opts.event_bytes 'x' */
  if (opts.event_bytes > 0) {
    pad = g_malloc (opts.event_bytes + 1);
    memset (pad, 'x', opts.event_bytes);
    pad[opts.event_bytes] = '\0';
  }
  msg = g_strdup_printf ("{\"type\":\"event\",\"v\":1,"
                         "\"org_id\":\"org-local\",\"source_id\":\"%s\","
                         "\"class\":\"event\",\"metric\":\"%s\",\"value\":%s,"
                         "\"timestamp\":%" G_GINT64_FORMAT
                         ",\"trace_id\":\"t-%" G_GUINT64_FORMAT
                         "\",\"tags\":{\"level\":\"info\"%s%s%s}}",
      c->source_id, names[i], values[i], now_ms (), c->data_messages,
      pad ? ",\"note\":\"" : "", pad ? pad : "", pad ? "\"" : "");

  send_text (c, msg);
  STATS_INC (events_sent);
  return count_data_message (c) ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* --plexus-subsampling may list several, used in turn every
 * --plexus-subsampling-every frames */
static int
tj_subsampling (guint64 frame_no)
{
  g_auto (GStrv) names =
      g_strsplit (opts.subsampling ? opts.subsampling : "420", ",", -1);
  guint n = g_strv_length (names);
  const gchar *name = names[0];

  if (n > 1 && opts.subsampling_every > 0)
    name = names[(frame_no / opts.subsampling_every) % n];
  if (g_strcmp0 (name, "444") == 0)
    return TJSAMP_444;
  if (g_strcmp0 (name, "422") == 0)
    return TJSAMP_422;
  if (g_strcmp0 (name, "gray") == 0)
    return TJSAMP_GRAY;
  return TJSAMP_420;
}

/* One JPEG of the pattern, or the next file; sets width/height. */
static GBytes *
next_jpeg (PlexusConn *c, guint camera, gint *width, gint *height)
{
  guint8 *jpeg = NULL;
  unsigned long jpeg_size = 0;
  gint w = opts.width, h = opts.height;
  GBytes *out;

  if (jpeg_files && jpeg_files->len > 0) {
    GBytes *b = g_ptr_array_index (
        jpeg_files, (c->frame_no + camera) % jpeg_files->len);
    GstPlexusJpegInfo info;
    gsize len;
    const guint8 *d = g_bytes_get_data (b, &len);

    if (gst_plexus_jpeg_parse_header (d, len, &info, NULL)) {
      *width = info.width;
      *height = info.height;
    } else {
      *width = *height = 0;
    }
    return g_bytes_ref (b);
  }

  if (opts.resize_every > 0 && (c->frame_no / opts.resize_every) % 2 == 1) {
    w = MAX (16, (w / 2) & ~1);
    h = MAX (16, (h / 2) & ~1);
  }
  if (!c->tj)
    c->tj = tjInitCompress ();
  if (c->rgb_size < (gsize) w * h * 3) {
    g_free (c->rgb);
    c->rgb_size = (gsize) w * h * 3;
    c->rgb = g_malloc (c->rgb_size);
  }
  sensor_cloud_plexus_pattern (c->rgb, w * 3, w, h, c->frame_no, camera);
  if (tjCompress2 (c->tj, c->rgb, w, w * 3, h, TJPF_RGB, &jpeg, &jpeg_size,
          tj_subsampling (c->frame_no), opts.quality, TJFLAG_FASTDCT) != 0) {
    g_printerr ("sensor-cloud: plexus: %s\n", tjGetErrorStr2 (c->tj));
    return NULL;
  }
  out = g_bytes_new (jpeg, jpeg_size);
  tjFree (jpeg);
  *width = w;
  *height = h;
  return out;
}

static void
send_corrupt (
    PlexusConn *c, const gchar *camera, GBytes *jpeg, gint w, gint h, guint64 n)
{
  const gchar *kind = opts.corrupt_kind ? opts.corrupt_kind : "cycle";
  static const gchar *const cycle[] = { "base64", "jpeg", "size", "truncated" };
  gsize len;
  const guint8 *d = g_bytes_get_data (jpeg, &len);
  GBytes *msg;

  if (strcmp (kind, "cycle") == 0)
    kind = cycle[n % G_N_ELEMENTS (cycle)];
  if (strcmp (kind, "base64") == 0) {
    g_autofree gchar *text = g_strdup_printf (
        "{\"type\":\"video_frame\","
        "\"source_id\":\"%s\",\"camera_id\":\"%s\",\"frame\":\"/9j/4AAQ!!*not"
        "-base64*\",\"width\":%d,\"height\":%d,\"timestamp\":%" G_GINT64_FORMAT
        "}",
        c->source_id, camera, w, h, now_ms ());

    send_text (c, text);
    return;
  } else if (strcmp (kind, "jpeg") == 0) {
    /* valid base64 of a truncated JPEG whose header is gone */
    guint8 junk[64];

    memcpy (junk, "\xff\xd8\xff\xe0", 4);
    memset (junk + 4, 0x5a, sizeof junk - 4);
    msg = gst_plexus_video_frame_build (
        c->source_id, camera, w, h, now_ms (), junk, sizeof junk);
  } else if (strcmp (kind, "truncated") == 0) {
    /* headers intact, the scan cut short: only decoding can tell */
    msg = gst_plexus_video_frame_build (
        c->source_id, camera, w, h, now_ms (), d, len / 3);
  } else {
    msg = gst_plexus_video_frame_build (
        c->source_id, camera, w + 16, h, now_ms (), d, len);
  }
  soup_websocket_connection_send_message (
      c->conn, SOUP_WEBSOCKET_DATA_TEXT, msg);
  g_bytes_unref (msg);
}

static gboolean
is_thermal (const gchar *camera)
{
  g_auto (GStrv) ids = NULL;

  if (!opts.thermal_cameras)
    return FALSE;
  ids = g_strsplit (opts.thermal_cameras, ",", -1);
  return g_strv_contains ((const gchar *const *) ids, camera);
}

/* The thermal members of a 32x24 sensor: a warm spot that moves. */
static GBytes *
add_thermal (GBytes *msg, guint64 n)
{
  gsize len;
  const gchar *text = g_bytes_get_data (msg, &len);
  GString *t = g_string_sized_new (len + 8192);
  gint x, y;

  g_string_append_len (t, text, len - 1); /* without the closing brace */
  g_string_append (t,
      ",\"video_type\":\"thermal\",\"sensor_width\":32,"
      "\"sensor_height\":24,\"temp_min\":20.0,"
      "\"temp_max\":36.5,\"temps\":[");
  for (y = 0; y < 24; y++) {
    for (x = 0; x < 32; x++) {
      gint dx = x - (gint) (n % 32), dy = y - 12;
      gchar v[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (
          v, sizeof v, "%.2f", 20.0 + 16.5 * exp (-(dx * dx + dy * dy) / 40.0));
      g_string_append (t, v);
      if (x != 31 || y != 23)
        g_string_append_c (t, ',');
    }
  }
  g_string_append (t, "]}");
  g_bytes_unref (msg);
  return g_string_free_to_bytes (t);
}

static gboolean on_video (gpointer data);

static gboolean
on_writable (GObject *stream, gpointer data)
{
  PlexusConn *c = data;

  g_source_unref (c->data_timer); /* this source, destroyed on return */
  c->data_timer = add_timer (0, on_video, c);
  return G_SOURCE_REMOVE;
}

/* At full speed, the next frame waits until the socket takes more: then
 * libsoup's queue holds about one frame instead of all of them, and the
 * server's memory stays warm instead of growing by one frame each time. */
static gboolean
wait_writable (PlexusConn *c)
{
  GPollableOutputStream *out =
      G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (
          soup_websocket_connection_get_io_stream (c->conn)));
  GSource *s;

  if (opts.fps > 0 || g_pollable_output_stream_is_writable (out))
    return FALSE;
  destroy_source (&c->data_timer);
  s = g_pollable_output_stream_create_source (out, NULL);
  g_source_set_callback (s, (GSourceFunc) on_writable, c, NULL);
  g_source_attach (s, part_context);
  c->data_timer = s;
  return TRUE;
}

static gboolean
on_video (gpointer data)
{
  PlexusConn *c = data;
  guint i;

  if (opts.max_frames > 0 && c->frame_no >= (guint64) opts.max_frames) {
    destroy_source (&c->data_timer);
    return G_SOURCE_REMOVE;
  }
  for (i = 0; i < c->cameras->len; i++) {
    const gchar *cam = g_ptr_array_index (c->cameras, i);
    g_autoptr (GBytes) jpeg = NULL;
    guint64 n = c->frame_no + 1;
    gint w, h;

    if (opts.drop_every > 0 && n % opts.drop_every == 0)
      continue;
    jpeg = next_jpeg (c, i, &w, &h);
    if (!jpeg)
      continue;
    if (soup_websocket_connection_get_state (c->conn) !=
        SOUP_WEBSOCKET_STATE_OPEN)
      return G_SOURCE_REMOVE;
    if (opts.corrupt_every > 0 && n % opts.corrupt_every == 0) {
      send_corrupt (c, cam, jpeg, w, h, n / opts.corrupt_every - 1);
      STATS_INC (corrupt_frames_sent);
    } else {
      gsize len;
      const guint8 *d = g_bytes_get_data (jpeg, &len);
      GBytes *msg;

      if (jpeg_b64 && jpeg_b64->len > 0) {
        /* files: their base64 is ready and the text is built in a buffer
         * the connection keeps, so full speed costs little here beyond the
         * socket writes */
        GBytes *b64 =
            g_ptr_array_index (jpeg_b64, (c->frame_no + i) % jpeg_b64->len);
        gsize b64_len;
        const gchar *b64_text = g_bytes_get_data (b64, &b64_len);

        if (!c->scratch)
          c->scratch = g_string_sized_new (b64_len + 256);
        g_string_printf (c->scratch,
            "{\"type\":\"video_frame\",\"source_id\":\"%s\","
            "\"camera_id\":\"%s\",\"frame\":\"",
            c->source_id, cam);
        g_string_append_len (c->scratch, b64_text, b64_len);
        g_string_append_printf (c->scratch,
            "\",\"width\":%d,\"height\":%d,\"timestamp\":%" G_GINT64_FORMAT "}",
            w, h, now_ms ());
        msg = g_bytes_new_static (c->scratch->str, c->scratch->len);
      } else {
        msg = gst_plexus_video_frame_build (
            c->source_id, cam, w, h, now_ms (), d, len);
      }

      if (is_thermal (cam))
        msg = add_thermal (msg, c->frame_no);
      soup_websocket_connection_send_message (
          c->conn, SOUP_WEBSOCKET_DATA_TEXT, msg);
      g_bytes_unref (msg);
      STATS_INC (video_frames_sent);
    }
    c->frames_sent++;
    if (!count_data_message (c))
      return G_SOURCE_REMOVE;
  }
  c->frame_no++;
  return wait_writable (c) ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static gboolean
on_stream_timeout (gpointer data)
{
  PlexusConn *c = data;

  destroy_source (&c->timeout_timer);
  conn_close (c, 4008, "stream timeout");
  return G_SOURCE_REMOVE;
}

static void
send_init (PlexusConn *c)
{
  g_autoptr (GString) s = g_string_new ("{\"type\":\"init\",\"online_sources\":"
                                        "[{\"source_id\":\"");
  g_auto (GStrv) online =
      g_strsplit (opts.cameras ? opts.cameras : DEFAULT_CAMERAS, ",", -1);
  guint i;

  g_string_append_printf (s,
      "%s\",\"platform\":\"linux-x86_64\","
      "\"sensors\":[\"battery\"],\"cameras\":[",
      c->source_id);
  for (i = 0; online[i]; i++)
    g_string_append_printf (s,
        "%s{\"camera_id\":\"%s\",\"video_type\":"
        "\"%s\"}",
        i ? "," : "", online[i], is_thermal (online[i]) ? "thermal" : "rgb");
  g_string_append (s, "]}]}");
  send_text (c, s->str);
}

static void
start_streaming (PlexusConn *c)
{
  if (opts.silent)
    return;
  switch (c->stream) {
    case GST_PLEXUS_STREAM_METRICS:
      c->data_timer =
          add_timer (MAX (opts.metrics_interval_ms, 1), on_telemetry, c);
      break;
    case GST_PLEXUS_STREAM_LOGS:
      c->events_timer =
          add_timer (MAX (opts.events_interval_ms, 1), on_event, c);
      break;
    case GST_PLEXUS_STREAM_VIDEO:
      send_init (c);
      c->data_timer =
          add_timer (opts.fps > 0 ? 1000 / opts.fps : 0, on_video, c);
      break;
  }
}

static void
on_message (
    SoupWebsocketConnection *conn, gint type, GBytes *message, gpointer data)
{
  /* an auth frame is one flat object */
  static const GstSensorJsonLimits auth_limits = { 8, 64 * 1024 };
  PlexusConn *c = data;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o;
  const gchar *api_key = NULL;
  gsize len;
  const gchar *text;

  if (c->authed || c->closing)
    return; /* the streams ignore later client frames */

  destroy_source (&c->auth_timer);
  text = g_bytes_get_data (message, &len);
  /* strict and bounded before json-glib, which recurses per level: this
   * frame comes before any authentication */
  if (type == SOUP_WEBSOCKET_DATA_TEXT &&
      (root = gst_sensor_json_parse (text, len, &auth_limits, NULL)) &&
      JSON_NODE_HOLDS_OBJECT (root) && (o = json_node_get_object (root)) &&
      g_strcmp0 (json_object_get_string_member_with_default (o, "type", NULL),
          "auth") == 0)
    api_key = json_object_get_string_member_with_default (o, "api_key", NULL);

  g_mutex_lock (&stats_lock);
  stats.last_auth_delay_us = g_get_monotonic_time () - c->accept_us;
  g_mutex_unlock (&stats_lock);

  if (api_key && gst_plexus_api_key_is_well_formed (api_key) &&
      g_strcmp0 (api_key,
          opts.disabled_key ? opts.disabled_key : DEFAULT_DISABLED_KEY) == 0) {
    STATS_INC (auth_rejected);
    conn_close (c, gst_plexus_close_code_payment_required (c->stream),
        "payment required");
  } else if (api_key && gst_plexus_api_key_is_well_formed (api_key) &&
      g_strcmp0 (api_key, opts.key ? opts.key : DEFAULT_KEY) == 0) {
    STATS_INC (auth_ok);
    c->authed = TRUE;
    if (c->stream == GST_PLEXUS_STREAM_VIDEO && c->timeout_s > 0)
      c->timeout_timer = add_timer (c->timeout_s * 1000, on_stream_timeout, c);
    start_streaming (c);
  } else {
    STATS_INC (auth_rejected);
    conn_close (
        c, gst_plexus_close_code_unauthorized (c->stream), "unauthorized");
  }
}

static gboolean
on_auth_timeout (gpointer data)
{
  PlexusConn *c = data;

  destroy_source (&c->auth_timer);
  STATS_INC (auth_rejected);
  conn_close (
      c, gst_plexus_close_code_unauthorized (c->stream), "unauthorized");
  return G_SOURCE_REMOVE;
}

static void
on_closed (SoupWebsocketConnection *conn, gpointer data)
{
  PlexusConn *c = data;

  conns = g_list_remove (conns, c);
  conn_free (c);
}

/* camera_id may repeat, so the query is split by hand */
static void
parse_query (PlexusConn *c, const gchar *query)
{
  g_auto (GStrv) pairs = g_strsplit (query ? query : "", "&", -1);
  g_auto (GStrv) online =
      g_strsplit (opts.cameras ? opts.cameras : DEFAULT_CAMERAS, ",", -1);
  guint i;

  c->timeout_s = opts.default_timeout_s;
  for (i = 0; pairs[i]; i++) {
    gchar *eq = strchr (pairs[i], '=');
    g_autofree gchar *value = NULL;

    if (!eq)
      continue;
    *eq = '\0';
    value = g_uri_unescape_string (eq + 1, NULL);
    if (!value)
      continue;
    if (strcmp (pairs[i], "camera_id") == 0) {
      /* only online cameras produce frames */
      if (g_strv_contains ((const gchar *const *) online, value))
        g_ptr_array_add (c->cameras, g_strdup (value));
    } else if (strcmp (pairs[i], "timeout") == 0) {
      c->timeout_s = (guint) g_ascii_strtoull (value, NULL, 10);
    } else if (strcmp (pairs[i], "metrics") == 0) {
      g_auto (GStrv) names = g_strsplit (value, ",", -1);
      guint j;

      for (j = 0; names[j]; j++)
        if (*names[j])
          g_ptr_array_add (c->metrics, g_strdup (names[j]));
    }
  }
  if (c->stream == GST_PLEXUS_STREAM_VIDEO &&
      !strstr (query ? query : "", "camera_id=") &&
      g_strv_contains ((const gchar *const *) online, "default"))
    g_ptr_array_add (c->cameras, g_strdup ("default"));
}

static void
on_websocket (SoupServer *server, SoupServerMessage *msg, const char *path,
    SoupWebsocketConnection *conn, gpointer user_data)
{
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  PlexusConn *c;
  GUri *uri = soup_server_message_get_uri (msg);

  /* "", "v1", "sources", id, stream, "stream" */
  c = g_new0 (PlexusConn, 1);
  c->conn = g_object_ref (conn);
  c->accept_us = g_get_monotonic_time ();
  c->cameras = g_ptr_array_new_with_free_func (g_free);
  c->metrics = g_ptr_array_new_with_free_func (g_free);
  conns = g_list_prepend (conns, c);
  g_signal_connect (conn, "closed", G_CALLBACK (on_closed), c);
  STATS_INC (connections);

  if (g_strv_length (parts) != 6 || strcmp (parts[5], "stream") != 0 ||
      *parts[3] == '\0') {
    conn_close (c, 1008, "unknown stream");
    return;
  }
  if (strcmp (parts[4], "metrics") == 0)
    c->stream = GST_PLEXUS_STREAM_METRICS;
  else if (strcmp (parts[4], "logs") == 0)
    c->stream = GST_PLEXUS_STREAM_LOGS;
  else if (strcmp (parts[4], "video") == 0)
    c->stream = GST_PLEXUS_STREAM_VIDEO;
  else {
    conn_close (c, 1008, "unknown stream");
    return;
  }
  c->source_id = g_uri_unescape_string (parts[3], NULL);
  c->query = g_strdup (g_uri_get_query (uri));
  parse_query (c, c->query);
  g_mutex_lock (&stats_lock);
  g_free (stats.last_query);
  stats.last_query = g_strdup (c->query);
  g_mutex_unlock (&stats_lock);

  g_signal_connect (conn, "message", G_CALLBACK (on_message), c);
  c->auth_timer = add_timer (MAX (opts.auth_timeout_ms, 1), on_auth_timeout, c);
}

/* g_ptr_array_sort() passes pointers to the elements */
static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar *const *) a, *(const gchar *const *) b);
}

static void
load_jpeg_dir (const gchar *dir_path)
{
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const gchar *name;
  guint i;

  jpeg_files = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  jpeg_b64 = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  while (dir && (name = g_dir_read_name (dir)))
    if (g_str_has_suffix (name, ".jpg") || g_str_has_suffix (name, ".jpeg"))
      g_ptr_array_add (names, g_build_filename (dir_path, name, NULL));
  g_ptr_array_sort (names, compare_names);
  for (i = 0; i < names->len; i++) {
    gchar *data;
    gsize len;

    if (g_file_get_contents (g_ptr_array_index (names, i), &data, &len, NULL)) {
      gchar *b64 = g_base64_encode ((const guchar *) data, len);

      g_ptr_array_add (jpeg_b64, g_bytes_new_take (b64, strlen (b64)));
      g_ptr_array_add (jpeg_files, g_bytes_new_take (data, len));
    }
  }
}

static gboolean
plexus_start (SensorCloud *cloud, GError **error)
{
  part_context = cloud->context;
  if (opts.jpeg_dir) {
    load_jpeg_dir (opts.jpeg_dir);
    if (jpeg_files->len == 0) {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
          "no .jpg files in %s", opts.jpeg_dir);
      return FALSE;
    }
  }
  gst_sensor_net_ws_server_add_handler (cloud->http, "/v1/sources", NULL, NULL,
      SENSOR_CLOUD_WS_MAX_MESSAGE, on_websocket, NULL, NULL);
  return TRUE;
}

static void
plexus_record (SensorCloud *cloud, JsonBuilder *b)
{
  SensorCloudPlexusStats s;

  sensor_cloud_plexus_get_stats (&s);
  json_builder_set_member_name (b, "connections");
  json_builder_add_int_value (b, s.connections);
  json_builder_set_member_name (b, "auth_ok");
  json_builder_add_int_value (b, s.auth_ok);
  json_builder_set_member_name (b, "auth_rejected");
  json_builder_add_int_value (b, s.auth_rejected);
  json_builder_set_member_name (b, "video_frames_sent");
  json_builder_add_int_value (b, s.video_frames_sent);
  json_builder_set_member_name (b, "telemetry_sent");
  json_builder_add_int_value (b, s.telemetry_sent);
  json_builder_set_member_name (b, "events_sent");
  json_builder_add_int_value (b, s.events_sent);
  sensor_cloud_plexus_stats_clear (&s);
}

static void
plexus_stop (SensorCloud *cloud)
{
  while (conns) {
    PlexusConn *c = conns->data;

    conns = g_list_delete_link (conns, conns);
    conn_free (c);
  }
  soup_server_remove_handler (cloud->http, "/v1/sources");
  g_clear_pointer (&jpeg_files, g_ptr_array_unref);
  g_clear_pointer (&jpeg_b64, g_ptr_array_unref);
  g_mutex_lock (&stats_lock);
  g_clear_pointer (&stats.last_query, g_free);
  memset (&stats, 0, sizeof stats);
  g_mutex_unlock (&stats_lock);
}

const SensorCloudPart sensor_cloud_plexus_part = {
  .name = "plexus",
  .description = "Plexus Data API live streams",
  .entries = entries,
  .start = plexus_start,
  .record = plexus_record,
  .stop = plexus_stop,
};
