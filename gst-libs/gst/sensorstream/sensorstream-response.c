/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensorstream-response.h"

#include <math.h>
#include <string.h>

/**
 * gst_sensor_stream_format_iso8601:
 * @epoch_us: Unix epoch microseconds
 *
 * Returns: (transfer full): UTC time with milliseconds,
 *   "2026-03-18T10:30:00.123Z"
 */
gchar *
gst_sensor_stream_format_iso8601 (gint64 epoch_us)
{
  GDateTime *dt;
  gchar *base, *res;
  gint64 secs = epoch_us / G_USEC_PER_SEC;

  dt = g_date_time_new_from_unix_utc (secs);
  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");
  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  res = g_strdup_printf (
      "%s.%03dZ", base, (gint) ((epoch_us % G_USEC_PER_SEC) / 1000));
  g_free (base);
  g_date_time_unref (dt);
  return res;
}

static gchar *
builder_to_string (JsonBuilder *builder)
{
  JsonGenerator *gen = json_generator_new ();
  JsonNode *root = json_builder_get_root (builder);
  gchar *str;

  json_generator_set_root (gen, root);
  str = json_generator_to_data (gen, NULL);
  json_node_unref (root);
  g_object_unref (gen);
  g_object_unref (builder);
  return str;
}

/* Two decimals, trailing zeros dropped: "0.12", "0.8", "0". json-glib
 * would write doubles with 17 significant digits (0.80000000000000004). */
static void
append_confidence (GString *s, gdouble confidence)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
  gsize len;

  g_ascii_formatd (buf, sizeof (buf), "%.2f",
      round (CLAMP (confidence, 0.0, 1.0) * 100.0) / 100.0);
  len = strlen (buf);
  while (len > 1 && buf[len - 1] == '0')
    buf[--len] = '\0';
  if (len > 0 && buf[len - 1] == '.')
    buf[--len] = '\0';
  g_string_append (s, buf);
}

/**
 * gst_sensor_stream_success_body:
 * @device_id: normalised device id (only hex digits and colons)
 * @readings: readings accepted; 0 leaves the field out (single post)
 *
 * Returns: (transfer full): the documented success answer
 */
gchar *
gst_sensor_stream_success_body (const gchar *device_id, gint64 timestamp_us,
    gboolean fall_detected, gdouble fall_confidence, gint health_score,
    gint64 next_allowed_us, gint readings)
{
  GString *s = g_string_sized_new (256);
  gchar *ts = gst_sensor_stream_format_iso8601 (timestamp_us);
  gchar *next = gst_sensor_stream_format_iso8601 (next_allowed_us);
  gchar *id = g_strescape (device_id, NULL);

  g_string_append_printf (s,
      "{\"success\":true,\"data\":{"
      "\"deviceId\":\"%s\",\"timestamp\":\"%s\",\"fallDetected\":%s,"
      "\"fallConfidence\":",
      id, ts, fall_detected ? "true" : "false");
  append_confidence (s, fall_confidence);
  g_string_append_printf (s,
      ",\"healthScore\":%d,"
      "\"nextAllowedRequest\":\"%s\"",
      health_score, next);
  if (readings > 0)
    g_string_append_printf (s, ",\"readings\":%d", readings);
  g_string_append (s, "}}");
  g_free (id);
  g_free (ts);
  g_free (next);
  return g_string_free (s, FALSE);
}

/**
 * gst_sensor_stream_validation_body:
 *
 * Returns: (transfer full): `{"success":false,"error":"Validation failed",
 *   "details":{field: message}}`
 */
gchar *
gst_sensor_stream_validation_body (const GstSensorStreamDetails *details)
{
  JsonBuilder *b = json_builder_new_immutable ();
  guint i;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "success");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, "Validation failed");
  json_builder_set_member_name (b, "details");
  json_builder_begin_object (b);
  for (i = 0; i < gst_sensor_stream_details_count (details); i++) {
    json_builder_set_member_name (b, g_ptr_array_index (details->fields, i));
    json_builder_add_string_value (b, g_ptr_array_index (details->messages, i));
  }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return builder_to_string (b);
}

/**
 * gst_sensor_stream_error_body:
 *
 * Returns: (transfer full): `{"success":false,"error":@error}`
 */
gchar *
gst_sensor_stream_error_body (const gchar *error)
{
  JsonBuilder *b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "success");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, error);
  json_builder_end_object (b);
  return builder_to_string (b);
}

/**
 * gst_sensor_stream_rate_limit_body:
 *
 * Returns: (transfer full): `{"success":false,"error":"Rate limit exceeded",
 *   "retryAfter":<ms>}`
 */
gchar *
gst_sensor_stream_rate_limit_body (gint64 retry_after_ms)
{
  JsonBuilder *b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "success");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, "Rate limit exceeded");
  json_builder_set_member_name (b, "retryAfter");
  json_builder_add_int_value (b, retry_after_ms);
  json_builder_end_object (b);
  return builder_to_string (b);
}
