/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:helios-channel
 * @title: HeliOS channels
 * @short_description: the channel table of HeliOS and the paths and
 *   parameters of each
 *
 * The HeliOS channel table: each AsyncAPI channel is its own WebSocket path
 * under /v1/ws, with its query parameters, defaults and clamps as the
 * server applies them.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "helios-channel.h"

#include <gst/sensor/sensor-json.h>
#include <json-glib/json-glib.h>

/**
 * gst_helios_error_quark:
 *
 * Returns: the #GQuark of %GST_HELIOS_ERROR
 */
GQuark
gst_helios_error_quark (void)
{
  return g_quark_from_static_string ("gst-helios-error-quark");
}

#define INT_PARAM(n, d, lo, hi)                                                \
  {                                                                            \
    n, GST_HELIOS_PARAM_INT, d, lo, hi, NULL                                   \
  }
#define BOOL_PARAM(n, d)                                                       \
  {                                                                            \
    n, GST_HELIOS_PARAM_BOOLEAN, d, 0, 1, NULL                                 \
  }
#define STRING_PARAM(n, d)                                                     \
  {                                                                            \
    n, GST_HELIOS_PARAM_STRING, 0, 0, 0, d                                     \
  }

static const GstHeliosParam telemetry_params[] = {
  INT_PARAM ("interval_ms", 1000, 250, 10000),
};

static const GstHeliosParam devices_params[] = {
  INT_PARAM ("interval_ms", 2000, 250, 10000),
};

static const GstHeliosParam logs_params[] = {
  STRING_PARAM ("source", "journal"),
  INT_PARAM ("lines", 200, 0, 2000),
  BOOL_PARAM ("follow", TRUE),
};

static const GstHeliosParam processes_params[] = {
  INT_PARAM ("interval_ms", 1000, 250, 10000),
  INT_PARAM ("limit", 200, 10, 2000),
};

static const GstHeliosParam console_params[] = {
  INT_PARAM ("cols", 80, 1, 1000),
  INT_PARAM ("rows", 24, 1, 1000),
  STRING_PARAM ("sessionId", NULL),
};

static const GstHeliosParam updates_params[] = {
  INT_PARAM ("heartbeat_ms", 15000, 1000, 60000),
};

static const GstHeliosParam metrics_params[] = {
  INT_PARAM ("interval_ms", 1000, 250, 10000),
};

static const GstHeliosParam frames_params[] = {
  STRING_PARAM ("output", NULL),
  BOOL_PARAM ("restore", TRUE),
  INT_PARAM ("poll_ms", 10, 5, 100),
};

#define PARAMS(p) G_N_ELEMENTS (p), p
#define NO_PARAMS 0, NULL

static const GstHeliosChannel channels[] = {
  { GST_HELIOS_CHANNEL_CONSOLE_SESSION, "console.session", "/v1/ws/console",
      GST_HELIOS_PAYLOAD_INTERACTIVE, "Interactive console",
      PARAMS (console_params) },
  { GST_HELIOS_CHANNEL_DEVICE_TELEMETRY, "device.telemetry", "/v1/ws/telemetry",
      GST_HELIOS_PAYLOAD_JSON, "Device telemetry", PARAMS (telemetry_params) },
  { GST_HELIOS_CHANNEL_DEVICES_UPDATES, "devices.updates", "/v1/ws/devices",
      GST_HELIOS_PAYLOAD_JSON, "Peripheral + stream inventory changes",
      PARAMS (devices_params) },
  { GST_HELIOS_CHANNEL_IMU_STREAM, "imu.stream", "/v1/ws/imu",
      GST_HELIOS_PAYLOAD_JSON, "IMU status stream", NO_PARAMS },
  { GST_HELIOS_CHANNEL_LOGS_STREAM, "logs.stream", "/v1/ws/logs",
      GST_HELIOS_PAYLOAD_JSON, "Device logs", PARAMS (logs_params) },
  { GST_HELIOS_CHANNEL_OTA_STREAM, "ota.stream", "/v1/ws/ota",
      GST_HELIOS_PAYLOAD_JSON, "OTA update status stream", NO_PARAMS },
  { GST_HELIOS_CHANNEL_PROCESSES_STREAM, "processes.stream", "/v1/ws/processes",
      GST_HELIOS_PAYLOAD_JSON, "Per-process resource usage",
      PARAMS (processes_params) },
  { GST_HELIOS_CHANNEL_SENSORS_STREAM, "sensors.stream", "/v1/ws/sensors",
      GST_HELIOS_PAYLOAD_JSON, "Peripheral sensor stream", NO_PARAMS },
  { GST_HELIOS_CHANNEL_STREAM_FRAMES, "streams.{stream_id}.frames",
      "/v1/ws/streams/{stream_id}/frames", GST_HELIOS_PAYLOAD_FRAMES,
      "Stream frames", PARAMS (frames_params) },
  { GST_HELIOS_CHANNEL_STREAM_METRICS, "streams.{stream_id}.metrics",
      "/v1/ws/streams/{stream_id}/metrics", GST_HELIOS_PAYLOAD_JSON,
      "Stream metrics", PARAMS (metrics_params) },
  { GST_HELIOS_CHANNEL_UPDATES_STREAM, "updates.stream", "/v1/ws/updates",
      GST_HELIOS_PAYLOAD_JSON, "Global realtime change stream",
      PARAMS (updates_params) },
};

/**
 * gst_helios_channels:
 * @n_channels: (out) (optional): its length
 *
 * The channel table, in AsyncAPI order.
 *
 * Returns: (transfer none) (array length=n_channels): the table
 */
const GstHeliosChannel *
gst_helios_channels (guint *n_channels)
{
  if (n_channels)
    *n_channels = G_N_ELEMENTS (channels);
  return channels;
}

/**
 * gst_helios_channel_get:
 * @id: a channel id
 *
 * Returns: (transfer none) (nullable): its row, %NULL for an id outside the
 *   table
 */
const GstHeliosChannel *
gst_helios_channel_get (GstHeliosChannelId id)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (channels); i++) {
    if (channels[i].id == id)
      return &channels[i];
  }
  return NULL;
}

static gchar *
known_channel_list (void)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (channels); i++) {
    if (channels[i].payload == GST_HELIOS_PAYLOAD_INTERACTIVE)
      continue;
    if (s->len)
      g_string_append (s, ", ");
    g_string_append (s, channels[i].name);
  }
  return g_string_free (s, FALSE);
}

/**
 * gst_helios_channel_lookup:
 * @name: a channel name as a user writes it
 * @stream_id: (out) (optional) (nullable) (transfer full): the UUID of a
 *   streams.* channel, else %NULL
 * @error: a #GError in %GST_HELIOS_ERROR
 *
 * Resolves a user channel name ("device.telemetry",
 * "streams.<uuid>.frames") to its table row; @stream_id (if not NULL) gets
 * the UUID of streams.* channels (else NULL). The console is returned too:
 * callers that only read check the payload.
 *
 * Returns: (transfer none) (nullable): the row, or %NULL with @error set
 */
const GstHeliosChannel *
gst_helios_channel_lookup (const gchar *name, gchar **stream_id, GError **error)
{
  g_autofree gchar *known = NULL;
  guint i;

  if (stream_id)
    *stream_id = NULL;
  if (name == NULL || *name == '\0') {
    known = known_channel_list ();
    g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_UNKNOWN_CHANNEL,
        "No channel given; HeliOS channels are: %s", known);
    return NULL;
  }

  for (i = 0; i < G_N_ELEMENTS (channels); i++) {
    if (g_str_equal (channels[i].name, name))
      break;
  }
  if (i < G_N_ELEMENTS (channels)) {
    if (strchr (name, '{')) {
      g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_BAD_STREAM_ID,
          "Channel '%s' needs a stream UUID in place of {stream_id}", name);
      return NULL;
    }
    return &channels[i];
  }

  /* streams.<uuid>.frames / streams.<uuid>.metrics */
  if (g_str_has_prefix (name, "streams.")) {
    const gchar *id = name + strlen ("streams.");
    const gchar *dot = strrchr (id, '.');

    if (dot &&
        (g_str_equal (dot, ".frames") || g_str_equal (dot, ".metrics"))) {
      g_autofree gchar *uuid = g_strndup (id, dot - id);

      if (!g_uuid_string_is_valid (uuid)) {
        g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_BAD_STREAM_ID,
            "Channel '%s': stream id '%s' is not a UUID", name, uuid);
        return NULL;
      }
      if (stream_id)
        *stream_id = g_steal_pointer (&uuid);
      return gst_helios_channel_get (g_str_equal (dot, ".frames") ?
              GST_HELIOS_CHANNEL_STREAM_FRAMES :
              GST_HELIOS_CHANNEL_STREAM_METRICS);
    }
  }

  known = known_channel_list ();
  g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_UNKNOWN_CHANNEL,
      "Unknown HeliOS channel '%s'; HeliOS channels are: %s", name, known);
  return NULL;
}

/**
 * gst_helios_channel_find_param:
 * @channel: a channel
 * @name: a query name
 *
 * Returns: (transfer none) (nullable): the parameter, %NULL when @channel does
 *   not take @name
 */
const GstHeliosParam *
gst_helios_channel_find_param (
    const GstHeliosChannel *channel, const gchar *name)
{
  guint i;

  for (i = 0; i < channel->n_params; i++) {
    if (g_str_equal (channel->params[i].name, name))
      return &channel->params[i];
  }
  return NULL;
}

/**
 * gst_helios_param_clamp:
 * @param: an INT parameter
 * @value: a value
 * @clamped: (out): @value within the range
 *
 * Clamps @value to the parameter's range.
 *
 * Returns: whether @value was already in the range
 */
gboolean
gst_helios_param_clamp (const GstHeliosParam *param, gint value, gint *clamped)
{
  gint v = CLAMP (value, param->min, param->max);

  if (clamped)
    *clamped = v;
  return v == value;
}

typedef struct
{
  const GstHeliosChannel *channel;
  GString *path;
  gboolean first;
  GPtrArray *ignored;
  GPtrArray *clamped;
} BuildData;

static void
append_query (BuildData *d, const gchar *name, const gchar *value)
{
  g_autofree gchar *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (d->path, d->first ? '?' : '&');
  g_string_append_printf (d->path, "%s=%s", name, escaped);
  d->first = FALSE;
}

/**
 * gst_helios_channel_build_path:
 * @channel: a channel
 * @stream_id: (nullable): the UUID of a streams.* channel
 * @values: (nullable): query values by query name
 * @ignored: (nullable) (element-type utf8): receives the names the channel
 *   does not take
 * @clamped: (nullable) (element-type utf8): receives
 *   "name=value->clamped" notes
 *
 * Builds "/v1/ws/...?a=b&c=d". @values holds query values by query name
 * (gint, gboolean or string fields); fields the channel does not take are
 * ignored and their names added to @ignored (if not NULL); integers out of
 * range are clamped and "name=value->clamped" notes added to @clamped (if not
 * NULL). A NULL @values builds the bare path.
 *
 * Returns: (transfer full): the path and query
 */
gchar *
gst_helios_channel_build_path (const GstHeliosChannel *channel,
    const gchar *stream_id, const GstStructure *values, GPtrArray *ignored,
    GPtrArray *clamped)
{
  BuildData d = { channel, NULL, TRUE, ignored, clamped };
  const gchar *tmpl = channel->path;
  const gchar *brace = strstr (tmpl, "{stream_id}");
  guint i, n;

  g_return_val_if_fail (brace == NULL || stream_id != NULL, NULL);

  d.path = g_string_new (NULL);
  if (brace) {
    g_string_append_len (d.path, tmpl, brace - tmpl);
    g_string_append (d.path, stream_id);
    g_string_append (d.path, brace + strlen ("{stream_id}"));
  } else {
    g_string_append (d.path, tmpl);
  }
  if (values == NULL)
    return g_string_free (d.path, FALSE);

  /* In the channel's parameter order, so paths are stable. */
  for (i = 0; i < channel->n_params; i++) {
    const GstHeliosParam *p = &channel->params[i];
    const GValue *v = gst_structure_get_value (values, p->name);

    if (v == NULL)
      continue;
    switch (p->type) {
      case GST_HELIOS_PARAM_INT: {
        gint in, out;
        gchar buf[16];

        if (!G_VALUE_HOLDS_INT (v))
          continue;
        in = g_value_get_int (v);
        if (!gst_helios_param_clamp (p, in, &out) && clamped)
          g_ptr_array_add (
              clamped, g_strdup_printf ("%s=%d->%d", p->name, in, out));
        g_snprintf (buf, sizeof (buf), "%d", out);
        append_query (&d, p->name, buf);
        break;
      }
      case GST_HELIOS_PARAM_BOOLEAN:
        if (G_VALUE_HOLDS_BOOLEAN (v))
          append_query (
              &d, p->name, g_value_get_boolean (v) ? "true" : "false");
        break;
      case GST_HELIOS_PARAM_STRING:
        if (G_VALUE_HOLDS_STRING (v) && g_value_get_string (v) != NULL)
          append_query (&d, p->name, g_value_get_string (v));
        break;
    }
  }

  n = gst_structure_n_fields (values);
  for (i = 0; ignored && i < n; i++) {
    const gchar *field = gst_structure_nth_field_name (values, i);

    if (gst_helios_channel_find_param (channel, field) == NULL)
      g_ptr_array_add (ignored, g_strdup (field));
  }
  return g_string_free (d.path, FALSE);
}

static const gchar *const sensor_kinds[] = { "imu", "power", "firmware",
  "lighting", NULL };

/**
 * gst_helios_sensors_subscribe_op:
 * @kinds: (array zero-terminated=1): the kinds to subscribe to
 * @interval_ms: the interval
 * @error: a #GError in %GST_HELIOS_ERROR
 *
 * sensors.stream: the subscribe op for @kinds (imu, power, firmware,
 * lighting) at @interval_ms (0 = server default, else clamped to 50..10000).
 * NULL with GST_HELIOS_ERROR_BAD_PARAM naming an unknown or missing kind.
 *
 * Returns: (transfer full) (nullable): the op text, or %NULL with @error set
 */
gchar *
gst_helios_sensors_subscribe_op (
    const gchar *const *kinds, gint interval_ms, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  guint i;

  if (kinds == NULL || kinds[0] == NULL) {
    g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_BAD_PARAM,
        "sensors.stream needs at least one kind (imu, power, firmware, "
        "lighting)");
    return NULL;
  }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "op");
  json_builder_add_string_value (b, "subscribe");
  json_builder_set_member_name (b, "kinds");
  json_builder_begin_array (b);
  for (i = 0; kinds[i]; i++) {
    if (!g_strv_contains (sensor_kinds, kinds[i])) {
      g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_BAD_PARAM,
          "Unknown sensor kind '%s' (known: imu, power, firmware, lighting)",
          kinds[i]);
      return NULL;
    }
    json_builder_add_string_value (b, kinds[i]);
  }
  json_builder_end_array (b);
  if (interval_ms > 0) {
    json_builder_set_member_name (b, "interval_ms");
    json_builder_add_int_value (b,
        CLAMP (interval_ms, GST_HELIOS_SENSORS_MIN_INTERVAL_MS,
            GST_HELIOS_SENSORS_MAX_INTERVAL_MS));
  }
  json_builder_end_object (b);
  return gst_sensor_json_builder_to_string (b);
}
