/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:helios-message
 * @title: HeliOS messages
 * @short_description: what each JSON text message of a HeliOS channel means
 *
 * Classifies the JSON text messages of each HeliOS channel: records to
 * push, session notices (ready, heartbeat), device errors, the logs `eof`
 * and the frames `format`. Each channel sends its own set of "type" tags;
 * some channels (telemetry, sensors, imu, metrics) send untagged objects.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "helios-message.h"

#include <gst/sensor/sensor-json.h>
#include <string.h>

/* Largest frame side we accept in a format message. */
#define MAX_DIMENSION 16384

/* Messages are bounded by the WebSocket client (at most 64 MiB) before they
 * get here; HeliOS messages are a few levels deep, the default leaves room. */
static const GstSensorJsonLimits message_limits = {
  GST_SENSOR_JSON_DEFAULT_MAX_DEPTH,
  64 * 1024 * 1024,
};

/**
 * gst_helios_message_kind_name:
 * @kind: a message kind
 *
 * Returns: its name for logs
 */
const gchar *
gst_helios_message_kind_name (GstHeliosMessageKind kind)
{
  switch (kind) {
    case GST_HELIOS_MESSAGE_DATA:
      return "data";
    case GST_HELIOS_MESSAGE_READY:
      return "ready";
    case GST_HELIOS_MESSAGE_HEARTBEAT:
      return "heartbeat";
    case GST_HELIOS_MESSAGE_ERROR:
      return "error";
    case GST_HELIOS_MESSAGE_EOF:
      return "eof";
    case GST_HELIOS_MESSAGE_FORMAT:
      return "format";
    case GST_HELIOS_MESSAGE_UNKNOWN:
      return "unknown";
  }
  return "invalid";
}

/**
 * gst_helios_message_clear:
 * @msg: a parsed message
 *
 * Frees what @msg holds.
 */
void
gst_helios_message_clear (GstHeliosMessage *msg)
{
  g_clear_pointer (&msg->type, g_free);
  g_clear_pointer (&msg->error_message, g_free);
  g_clear_pointer (&msg->error_code, g_free);
  g_clear_pointer (&msg->fourcc, g_free);
  g_clear_pointer (&msg->root, json_node_unref);
  msg->kind = GST_HELIOS_MESSAGE_UNKNOWN;
  msg->timestamp_ms = -1;
  msg->seq = -1;
  msg->width = msg->height = 0;
}

/* A member as a string, or NULL when absent or not a string. */
static const gchar *
get_string (JsonObject *obj, const gchar *name)
{
  JsonNode *n = json_object_get_member (obj, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) ||
      json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

/* A member as an integer (integral doubles accepted). */
static gboolean
get_int (JsonObject *obj, const gchar *name, gint64 *out)
{
  JsonNode *n = json_object_get_member (obj, name);
  GType t;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  t = json_node_get_value_type (n);
  if (t == G_TYPE_INT64) {
    *out = json_node_get_int (n);
    return TRUE;
  }
  if (t == G_TYPE_DOUBLE) {
    gdouble d = json_node_get_double (n);

    if (d >= -9.2e18 && d <= 9.2e18 && d == (gdouble) (gint64) d) {
      *out = (gint64) d;
      return TRUE;
    }
  }
  return FALSE;
}

/* Members as text for an error message: strings verbatim, other values as
 * compact JSON. */
static gchar *
member_text (JsonObject *obj, const gchar *name)
{
  JsonNode *n = json_object_get_member (obj, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (n) &&
      json_node_get_value_type (n) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (n));
  return json_to_string (n, FALSE);
}

static void
set_error_fields (GstHeliosMessage *msg, JsonObject *obj,
    const gchar *text_member, const gchar *code_member)
{
  msg->kind = GST_HELIOS_MESSAGE_ERROR;
  msg->error_message = member_text (obj, text_member);
  if (msg->error_message == NULL)
    msg->error_message = g_strdup ("(no message)");
  if (code_member)
    msg->error_code = member_text (obj, code_member);
}

static gboolean
parse_format (GstHeliosMessage *msg, JsonObject *obj, GError **error)
{
  const gchar *fourcc = get_string (obj, "fourcc");
  gint64 w, h;

  if (fourcc == NULL || !get_int (obj, "width", &w) ||
      !get_int (obj, "height", &h)) {
    g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_PARSE,
        "format message needs string fourcc and integer width and height");
    return FALSE;
  }
  if (w <= 0 || h <= 0 || w > MAX_DIMENSION || h > MAX_DIMENSION) {
    g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_BAD_FORMAT,
        "format message with size %" G_GINT64_FORMAT "x%" G_GINT64_FORMAT
        " (must be 1..%d)",
        w, h, MAX_DIMENSION);
    return FALSE;
  }
  msg->kind = GST_HELIOS_MESSAGE_FORMAT;
  msg->fourcc = g_strdup (fourcc);
  msg->width = (guint) w;
  msg->height = (guint) h;
  return TRUE;
}

/* Tagged channels: "type" -> kind. */
typedef struct
{
  const gchar *type;
  GstHeliosMessageKind kind;
} TypeRow;

static const TypeRow devices_types[] = { { "ready", GST_HELIOS_MESSAGE_READY },
  { "update", GST_HELIOS_MESSAGE_DATA }, { NULL } };

static const TypeRow logs_types[] = { { "ready", GST_HELIOS_MESSAGE_READY },
  { "line", GST_HELIOS_MESSAGE_DATA }, { "eof", GST_HELIOS_MESSAGE_EOF },
  { NULL } };

static const TypeRow processes_types[] = { { "ready",
                                               GST_HELIOS_MESSAGE_READY },
  { "snapshot", GST_HELIOS_MESSAGE_DATA }, { NULL } };

static const TypeRow ota_types[] = { { "snapshot", GST_HELIOS_MESSAGE_DATA },
  { "stage_progress", GST_HELIOS_MESSAGE_DATA },
  { "stage_complete", GST_HELIOS_MESSAGE_DATA },
  { "apply_scheduled", GST_HELIOS_MESSAGE_DATA },
  { "apply_complete", GST_HELIOS_MESSAGE_DATA },
  { "rollback_triggered", GST_HELIOS_MESSAGE_DATA }, { NULL } };

static const TypeRow updates_types[] = { { "ready", GST_HELIOS_MESSAGE_READY },
  { "change", GST_HELIOS_MESSAGE_DATA },
  { "heartbeat", GST_HELIOS_MESSAGE_HEARTBEAT }, { NULL } };

static const TypeRow console_types[] = { { "ready", GST_HELIOS_MESSAGE_READY },
  { "output", GST_HELIOS_MESSAGE_DATA }, { "exit", GST_HELIOS_MESSAGE_EOF },
  { NULL } };

static GstHeliosMessageKind
lookup_type (const TypeRow *rows, const gchar *type)
{
  for (; rows->type; rows++) {
    if (g_str_equal (rows->type, type))
      return rows->kind;
  }
  return GST_HELIOS_MESSAGE_UNKNOWN;
}

static gboolean
classify_tagged (const TypeRow *rows, GstHeliosMessage *msg, JsonObject *obj)
{
  if (msg->type == NULL) {
    msg->kind = GST_HELIOS_MESSAGE_UNKNOWN;
    return TRUE;
  }
  if (g_str_equal (msg->type, "error")) {
    set_error_fields (msg, obj, "message", "code");
    return TRUE;
  }
  msg->kind = lookup_type (rows, msg->type);
  return TRUE;
}

/* sensors/imu: untagged snapshots; errors carry a status "*_unavailable". */
static gboolean
classify_status_stream (
    const gchar *unavailable, GstHeliosMessage *msg, JsonObject *obj)
{
  const gchar *status = get_string (obj, "status");

  if (status && g_str_equal (status, unavailable)) {
    set_error_fields (msg, obj, "reason", "code");
    if (msg->error_code == NULL)
      msg->error_code = g_strdup (status);
    return TRUE;
  }
  if (msg->type && g_str_equal (msg->type, "error")) {
    set_error_fields (msg, obj, "message", "code");
    return TRUE;
  }
  msg->kind = msg->type ? GST_HELIOS_MESSAGE_UNKNOWN : GST_HELIOS_MESSAGE_DATA;
  return TRUE;
}

/**
 * gst_helios_message_parse:
 * @channel: the channel the message came on
 * @text: (array length=len): the message
 * @len: its size in bytes, -1 when @text is NUL-terminated
 * @msg: (out caller-allocates): the message
 * @error: a #GError in %GST_HELIOS_ERROR
 *
 * Parses one text message of @channel. FALSE with GST_HELIOS_ERROR_PARSE
 * when it is not a JSON object (or a known type lacks its required
 * fields); @msg is then cleared. A FORMAT message is only checked for shape
 * here: map the fourcc with gst_helios_format_to_caps().
 *
 * Returns: %FALSE with @error set
 */
gboolean
gst_helios_message_parse (GstHeliosChannelId channel, const gchar *text,
    gssize len, GstHeliosMessage *msg, GError **error)
{
  g_autoptr (GError) err = NULL;
  JsonNode *root;
  JsonObject *obj;
  gboolean ok = TRUE;
  gint64 v;

  memset (msg, 0, sizeof (*msg));
  msg->kind = GST_HELIOS_MESSAGE_UNKNOWN;
  msg->timestamp_ms = -1;
  msg->seq = -1;

  if (len < 0)
    len = text ? strlen (text) : 0;
  /* json-glib stops at a NUL; a NUL inside a text message is bad input */
  if (text == NULL || len == 0 || memchr (text, '\0', len) != NULL) {
    g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_PARSE,
        "empty message or NUL byte in a text message");
    return FALSE;
  }
  /* strict and bounded before json-glib recurses into it */
  root = gst_sensor_json_parse (text, len, &message_limits, &err);
  if (root == NULL) {
    g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_PARSE,
        "not JSON: %s", err->message);
    return FALSE;
  }
  if (!JSON_NODE_HOLDS_OBJECT (root)) {
    json_node_unref (root);
    g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_PARSE,
        "message is not a JSON object");
    return FALSE;
  }
  /* shared read-only with whoever keeps the message */
  json_node_seal (root);
  msg->root = root;
  obj = json_node_get_object (root);
  msg->type = g_strdup (get_string (obj, "type"));
  if (get_int (obj, "timestamp_ms", &v))
    msg->timestamp_ms = v;

  switch (channel) {
    case GST_HELIOS_CHANNEL_DEVICE_TELEMETRY:
      /* TelemetrySample is untagged */
      if (msg->type && g_str_equal (msg->type, "error"))
        set_error_fields (msg, obj, "message", "code");
      else
        msg->kind =
            msg->type ? GST_HELIOS_MESSAGE_UNKNOWN : GST_HELIOS_MESSAGE_DATA;
      break;
    case GST_HELIOS_CHANNEL_DEVICES_UPDATES:
      ok = classify_tagged (devices_types, msg, obj);
      break;
    case GST_HELIOS_CHANNEL_SENSORS_STREAM:
      ok = classify_status_stream ("sensors_stream_unavailable", msg, obj);
      break;
    case GST_HELIOS_CHANNEL_IMU_STREAM:
      ok = classify_status_stream ("imu_stream_unavailable", msg, obj);
      break;
    case GST_HELIOS_CHANNEL_LOGS_STREAM:
      ok = classify_tagged (logs_types, msg, obj);
      break;
    case GST_HELIOS_CHANNEL_PROCESSES_STREAM:
      ok = classify_tagged (processes_types, msg, obj);
      break;
    case GST_HELIOS_CHANNEL_OTA_STREAM:
      ok = classify_tagged (ota_types, msg, obj);
      break;
    case GST_HELIOS_CHANNEL_CONSOLE_SESSION:
      ok = classify_tagged (console_types, msg, obj);
      break;
    case GST_HELIOS_CHANNEL_UPDATES_STREAM:
      ok = classify_tagged (updates_types, msg, obj);
      if (msg->kind == GST_HELIOS_MESSAGE_DATA) {
        JsonNode *ev = json_object_get_member (obj, "event");

        if (ev && JSON_NODE_HOLDS_OBJECT (ev) &&
            get_int (json_node_get_object (ev), "seq", &v))
          msg->seq = v;
        if (ev && JSON_NODE_HOLDS_OBJECT (ev) && msg->timestamp_ms < 0 &&
            get_int (json_node_get_object (ev), "timestamp_ms", &v))
          msg->timestamp_ms = v;
      }
      break;
    case GST_HELIOS_CHANNEL_STREAM_METRICS:
      /* StreamMetricsEvent {stream_id, metrics, timestamp_ms} or
       * StreamMetricsError {error, code?, detail?, ...}, both untagged */
      if (json_object_has_member (obj, "error"))
        set_error_fields (msg, obj, "error", "code");
      else if (json_object_has_member (obj, "metrics"))
        msg->kind = GST_HELIOS_MESSAGE_DATA;
      else
        msg->kind = GST_HELIOS_MESSAGE_UNKNOWN;
      break;
    case GST_HELIOS_CHANNEL_STREAM_FRAMES:
      if (msg->type && g_str_equal (msg->type, "format"))
        ok = parse_format (msg, obj, error);
      else if (msg->type && g_str_equal (msg->type, "error"))
        set_error_fields (msg, obj, "error", "code");
      else
        msg->kind = GST_HELIOS_MESSAGE_UNKNOWN;
      break;
    default:
      msg->kind = GST_HELIOS_MESSAGE_UNKNOWN;
      break;
  }
  if (!ok)
    gst_helios_message_clear (msg);
  return ok;
}

/**
 * gst_helios_message_to_line:
 * @msg: a parsed message
 * @text: (array length=len): its text as received
 * @len: the text's size in bytes
 *
 * The message as one line: compact JSON with a trailing newline. Returns
 * @text itself plus "\n" when it is already on one line, so bytes from the
 * device stay exact.
 *
 * Returns: (transfer full): the line
 */
GBytes *
gst_helios_message_to_line (
    const GstHeliosMessage *msg, const gchar *text, gsize len)
{
  gchar *line;

  /* drop one trailing newline the device may have sent itself */
  while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
    len--;
  if (memchr (text, '\n', len) == NULL && memchr (text, '\r', len) == NULL) {
    line = g_malloc (len + 1);
    memcpy (line, text, len);
    line[len] = '\n';
    return g_bytes_new_take (line, len + 1);
  } else {
    g_autofree gchar *compact = json_to_string (msg->root, FALSE);

    line = g_strconcat (compact, "\n", NULL);
    return g_bytes_new_take (line, strlen (line));
  }
}
