/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:sensorstream-response
 * @title: Sensor-stream answers
 * @short_description: the documented JSON answers of a sensorstream server
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensorstream-response.h"

#include <gst/sensor/sensor-json.h>
#include <math.h>
#include <string.h>

/* Years 1970 to 9999: what the answers carry. Outside that the slower
 * GDateTime path below keeps its output. */
#define FAST_ISO_MAX_US G_GINT64_CONSTANT (253402300800000000)

static gchar *
put_digits (gchar *p, guint value, gint width)
{
  gint i;

  for (i = width - 1; i >= 0; i--) {
    p[i] = '0' + value % 10;
    value /= 10;
  }
  return p + width;
}

/* Days since 1970-01-01 to a proleptic Gregorian date, counted in
 * 400-year eras of 146097 days that start on March 1st (so that the leap
 * day ends a year). */
static void
civil_from_days (gint64 days, guint *year, guint *month, guint *day)
{
  gint64 z = days + 719468;
  gint64 era = z / 146097;
  guint doe = (guint) (z - era * 146097);
  guint yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  guint doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  guint mp = (5 * doy + 2) / 153;

  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = (guint) (yoe + era * 400) + (*month <= 2);
}

/* Writes "YYYY-MM-DDTHH:MM:SS.mmmZ" (24 bytes, no NUL) for 0 <= @epoch_us
 * < FAST_ISO_MAX_US. */
static gchar *
put_iso8601 (gchar *p, gint64 epoch_us)
{
  gint64 secs = epoch_us / G_USEC_PER_SEC;
  guint sod = (guint) (secs % 86400), year, month, day;

  civil_from_days (secs / 86400, &year, &month, &day);
  p = put_digits (p, year, 4);
  *p++ = '-';
  p = put_digits (p, month, 2);
  *p++ = '-';
  p = put_digits (p, day, 2);
  *p++ = 'T';
  p = put_digits (p, sod / 3600, 2);
  *p++ = ':';
  p = put_digits (p, sod / 60 % 60, 2);
  *p++ = ':';
  p = put_digits (p, sod % 60, 2);
  *p++ = '.';
  p = put_digits (p, (guint) (epoch_us % G_USEC_PER_SEC / 1000), 3);
  *p++ = 'Z';
  return p;
}

static gboolean
iso_fast_range (gint64 epoch_us)
{
  return epoch_us >= 0 && epoch_us < FAST_ISO_MAX_US;
}

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

  if (iso_fast_range (epoch_us)) {
    res = g_malloc (GST_SENSOR_STREAM_ISO8601_LEN + 1);
    *put_iso8601 (res, epoch_us) = '\0';
    return res;
  }
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

/* The same text as append_confidence() from the hundredths, when they are
 * a plain 0..100 (not NaN, not -0). */
static gboolean
confidence_hundredths (gdouble confidence, guint *hundredths)
{
  gdouble r = round (CLAMP (confidence, 0.0, 1.0) * 100.0);

  if (!(r >= 0.0 && r <= 100.0) || signbit (r))
    return FALSE;
  *hundredths = (guint) r;
  return TRUE;
}

static gchar *
put_confidence (gchar *p, guint hundredths)
{
  if (hundredths >= 100)
    *p++ = '1';
  else if (hundredths == 0)
    *p++ = '0';
  else {
    *p++ = '0';
    *p++ = '.';
    *p++ = '0' + hundredths / 10;
    if (hundredths % 10 != 0)
      *p++ = '0' + hundredths % 10;
  }
  return p;
}

static gchar *
put_int (gchar *p, gint64 value)
{
  gchar tmp[24];
  guint64 u = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;
  gint n = 0;

  do {
    tmp[n++] = '0' + u % 10;
    u /= 10;
  } while (u != 0);
  if (value < 0)
    *p++ = '-';
  while (n > 0)
    *p++ = tmp[--n];
  return p;
}

static gchar *
put_str (gchar *p, const gchar *str, gsize len)
{
  memcpy (p, str, len);
  return p + len;
}

#define PUT_LITERAL(p, lit) put_str ((p), (lit), sizeof (lit) - 1)

/* Characters that JSON strings carry as they are, in every generator:
 * printable ASCII except the quote and the backslash. */
static gboolean
json_safe (const gchar *str, gsize max_len, gsize *len)
{
  gsize i;

  for (i = 0; str[i] != '\0'; i++) {
    guchar c = (guchar) str[i];

    if (i >= max_len || c < 0x20 || c > 0x7e || c == '"' || c == '\\')
      return FALSE;
  }
  *len = i;
  return TRUE;
}

static gchar *
success_body_slow (const gchar *device_id, gint64 timestamp_us,
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
 * gst_sensor_stream_success_body:
 * @device_id: normalised device id (only hex digits and colons)
 * @timestamp_us: the server's time of the answer, Unix epoch microseconds
 * @fall_detected: the reading's fall result
 * @fall_confidence: its confidence, 0..1
 * @health_score: the reading's health score
 * @next_allowed_us: microseconds until the device may post again
 * @readings: readings accepted; 0 leaves the field out (single post)
 *
 * Returns: (transfer full): the documented success answer
 */
gchar *
gst_sensor_stream_success_body (const gchar *device_id, gint64 timestamp_us,
    gboolean fall_detected, gdouble fall_confidence, gint health_score,
    gint64 next_allowed_us, gint readings)
{
  /* answered for every accepted post: written straight into one buffer
   * when every part is known to need no escaping */
  gchar *body, *p;
  gsize id_len;
  guint hundredths;

  if (!json_safe (device_id, 32, &id_len) ||
      !confidence_hundredths (fall_confidence, &hundredths) ||
      !iso_fast_range (timestamp_us) || !iso_fast_range (next_allowed_us))
    return success_body_slow (device_id, timestamp_us, fall_detected,
        fall_confidence, health_score, next_allowed_us, readings);

  body = p = g_malloc (288);
  p = PUT_LITERAL (p, "{\"success\":true,\"data\":{\"deviceId\":\"");
  p = put_str (p, device_id, id_len);
  p = PUT_LITERAL (p, "\",\"timestamp\":\"");
  p = put_iso8601 (p, timestamp_us);
  p = fall_detected ? PUT_LITERAL (p, "\",\"fallDetected\":true") :
                      PUT_LITERAL (p, "\",\"fallDetected\":false");
  p = PUT_LITERAL (p, ",\"fallConfidence\":");
  p = put_confidence (p, hundredths);
  p = PUT_LITERAL (p, ",\"healthScore\":");
  p = put_int (p, health_score);
  p = PUT_LITERAL (p, ",\"nextAllowedRequest\":\"");
  p = put_iso8601 (p, next_allowed_us);
  *p++ = '"';
  if (readings > 0) {
    p = PUT_LITERAL (p, ",\"readings\":");
    p = put_int (p, readings);
  }
  p = PUT_LITERAL (p, "}}");
  *p = '\0';
  return body;
}

/**
 * gst_sensor_stream_validation_body:
 * @details: the per-field messages
 *
 * Returns: (transfer full): `{"success":false,"error":"Validation failed",
 *   "details":{field: message}}`
 */
gchar *
gst_sensor_stream_validation_body (const GstSensorStreamDetails *details)
{
  g_autoptr (JsonBuilder) b = json_builder_new_immutable ();
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
  return gst_sensor_json_builder_to_string (b);
}

/**
 * gst_sensor_stream_error_body:
 * @error: the error text
 *
 * Returns: (transfer full): `{"success":false,"error":@error}`
 */
gchar *
gst_sensor_stream_error_body (const gchar *error)
{
  g_autoptr (JsonBuilder) b = NULL;
  gsize len;

  if (json_safe (error, 1024, &len)) {
    gchar *body = g_malloc (len + 32), *p = body;

    p = PUT_LITERAL (p, "{\"success\":false,\"error\":\"");
    p = put_str (p, error, len);
    p = PUT_LITERAL (p, "\"}");
    *p = '\0';
    return body;
  }

  b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "success");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, error);
  json_builder_end_object (b);
  return gst_sensor_json_builder_to_string (b);
}

/**
 * gst_sensor_stream_rate_limit_body:
 * @retry_after_ms: milliseconds until a request is allowed
 *
 * Returns: (transfer full): `{"success":false,"error":"Rate limit exceeded",
 *   "retryAfter":<ms>}`
 */
gchar *
gst_sensor_stream_rate_limit_body (gint64 retry_after_ms)
{
  static const gchar head[] =
      "{\"success\":false,\"error\":\"Rate limit exceeded\",\"retryAfter\":";
  gchar *body = g_malloc (sizeof (head) + 24), *p = body;

  /* every 429 carries it: no builder */
  p = put_str (p, head, sizeof (head) - 1);
  p = put_int (p, retry_after_ms);
  *p++ = '}';
  *p = '\0';
  return body;
}
