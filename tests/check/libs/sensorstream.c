/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The sensorstream library against the documented contract: the
 * validation table row by row, MAC normalisation, the token bucket on an
 * injected clock, batches, the health score and the rule-based fall score.
 */
#include <gst/check/gstcheck.h>
#include <gst/sensorstream/sensorstream.h>
#include <gst/sensorstream/sensorstream-pool.h>
#include <math.h>
#include <string.h>

/* ---- validation table ---- */

static const gchar *valid_reading =
    "{\"device_id\":\"AA:BB:CC:DD:EE:FF\",\"accel_x\":0.5,\"accel_y\":0.3,"
    "\"accel_z\":9.8,\"gyro_x\":0.1,\"gyro_y\":0.2,\"gyro_z\":-0.05,"
    "\"uptime_ms\":3600000,\"pressure\":101.3,\"fsr\":0.45,\"heart_rate\":72,"
    "\"spo2\":98,\"battery_level\":85.0,\"wifi_connected\":true,"
    "\"bluetooth_connected\":false,\"sensors_initialized\":true,"
    "\"client_timestamp\":\"2026-03-18T10:30:00Z\"}";

/* The valid reading with @field replaced by the JSON text @value, or
 * removed when @value is NULL. */
static gchar *
reading_with (const gchar *field, const gchar *value)
{
  JsonParser *parser = json_parser_new ();
  JsonObject *obj;
  JsonGenerator *gen;
  gchar *out;

  fail_unless (json_parser_load_from_data (parser, valid_reading, -1, NULL));
  obj = json_node_get_object (json_parser_get_root (parser));
  json_object_remove_member (obj, field);
  gen = json_generator_new ();
  json_generator_set_root (gen, json_parser_get_root (parser));
  out = json_generator_to_data (gen, NULL);
  g_object_unref (gen);
  g_object_unref (parser);

  if (value != NULL) {
    /* splice the raw text in, so that values json-glib would not write
     * (1e999) can be tested too */
    gchar *spliced = g_strdup_printf ("{\"%s\":%s,%s", field, value, out + 1);
    g_free (out);
    out = spliced;
  }
  return out;
}

typedef struct
{
  const gchar *field;
  const gchar *value;   /* NULL: field missing */
  const gchar *message; /* NULL: valid */
} ValidationRow;

#define NUM "Must be a number"
#define INT "Must be an integer"
#define BOOL "Must be a boolean"
#define REQ "Required"
#define MAC "Must be a valid MAC address"
#define ACC "Must be between -50 and 50"
#define GYR "Must be between -1000 and 1000"

static const ValidationRow validation_table[] = {
  { "device_id", NULL, REQ },
  { "device_id", "null", REQ },
  { "device_id", "123", MAC },
  { "device_id", "\"not a mac\"", MAC },
  { "device_id", "\"aabbccddeeff\"", NULL },
  { "device_id", "\"SF-AABBCCDDEEFF\"", NULL },

  { "accel_x", NULL, REQ },
  { "accel_x", "\"0.5\"", NUM },
  { "accel_x", "true", NUM },
  { "accel_x", "[1]", NUM },
  { "accel_x", "-50", NULL },
  { "accel_x", "50", NULL },
  { "accel_x", "-50.001", ACC },
  { "accel_x", "50.001", ACC },
  { "accel_y", NULL, REQ },
  { "accel_y", "\"0.3\"", NUM },
  { "accel_y", "-50", NULL },
  { "accel_y", "50", NULL },
  { "accel_y", "-50.5", ACC },
  { "accel_y", "50.5", ACC },
  { "accel_z", NULL, REQ },
  { "accel_z", "{}", NUM },
  { "accel_z", "-50", NULL },
  { "accel_z", "50", NULL },
  { "accel_z", "-51", ACC },
  { "accel_z", "51", ACC },

  { "gyro_x", NULL, REQ },
  { "gyro_x", "\"1\"", NUM },
  { "gyro_x", "-1000", NULL },
  { "gyro_x", "1000", NULL },
  { "gyro_x", "-1000.5", GYR },
  { "gyro_x", "1000.5", GYR },
  { "gyro_y", NULL, REQ },
  { "gyro_y", "false", NUM },
  { "gyro_y", "-1000", NULL },
  { "gyro_y", "1000", NULL },
  { "gyro_y", "-1001", GYR },
  { "gyro_y", "1001", GYR },
  { "gyro_z", NULL, REQ },
  { "gyro_z", "\"x\"", NUM },
  { "gyro_z", "-1000", NULL },
  { "gyro_z", "1000", NULL },
  { "gyro_z", "-1000.01", GYR },
  { "gyro_z", "1000.01", GYR },

  { "uptime_ms", NULL, REQ },
  { "uptime_ms", "\"3600000\"", INT },
  { "uptime_ms", "1.5", INT },
  { "uptime_ms", "0", NULL },
  { "uptime_ms", "4294967295", NULL },
  { "uptime_ms", "3600000.0", NULL },
  { "uptime_ms", "-1", "Must be between 0 and 4294967295" },
  { "uptime_ms", "4294967296", "Must be between 0 and 4294967295" },

  { "pressure", NULL, NULL },
  { "pressure", "null", NULL },
  { "pressure", "\"101.3\"", NUM },
  { "pressure", "1013.25", NULL },

  { "fsr", NULL, NULL },
  { "fsr", "\"0.4\"", NUM },
  { "fsr", "0", NULL },
  { "fsr", "1", NULL },
  { "fsr", "-0.01", "Must be between 0 and 1" },
  { "fsr", "1.01", "Must be between 0 and 1" },

  { "heart_rate", NULL, NULL },
  { "heart_rate", "\"72\"", INT },
  { "heart_rate", "72.5", INT },
  { "heart_rate", "40", NULL },
  { "heart_rate", "200", NULL },
  { "heart_rate", "39", "Must be between 40 and 200" },
  { "heart_rate", "201", "Must be between 40 and 200" },

  { "spo2", NULL, NULL },
  { "spo2", "\"98\"", INT },
  { "spo2", "98.5", INT },
  { "spo2", "70", NULL },
  { "spo2", "100", NULL },
  { "spo2", "69", "Must be between 70 and 100" },
  { "spo2", "101", "Must be between 70 and 100" },

  { "battery_level", NULL, NULL },
  { "battery_level", "\"85\"", NUM },
  { "battery_level", "0", NULL },
  { "battery_level", "100", NULL },
  { "battery_level", "-0.1", "Must be between 0 and 100" },
  { "battery_level", "100.1", "Must be between 0 and 100" },

  { "wifi_connected", NULL, NULL },
  { "wifi_connected", "1", BOOL },
  { "wifi_connected", "\"true\"", BOOL },
  { "bluetooth_connected", NULL, NULL },
  { "bluetooth_connected", "0", BOOL },
  { "sensors_initialized", NULL, NULL },
  { "sensors_initialized", "\"yes\"", BOOL },

  { "client_timestamp", NULL, NULL },
  { "client_timestamp", "\"2026-03-18T10:30:00.123Z\"", NULL },
  { "client_timestamp", "\"2026-03-18T10:30:00\"", NULL },
  { "client_timestamp", "\"yesterday\"", "Must be an ISO 8601 timestamp" },
  { "client_timestamp", "1773829800", "Must be an ISO 8601 timestamp" },
};

GST_START_TEST (test_validation_table)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (validation_table); i++) {
    const ValidationRow *row = &validation_table[i];
    gchar *body = reading_with (row->field, row->value);
    GstSensorStreamDetails details;
    GstSensorStreamReading r;
    GstSensorStreamParseResult res;

    gst_sensor_stream_details_init (&details);
    res = gst_sensor_stream_parse_reading (body, strlen (body), &r, &details);
    if (row->message == NULL) {
      fail_unless_equals_int_hex (res, GST_SENSOR_STREAM_PARSE_OK);
      fail_unless_equals_int (gst_sensor_stream_details_count (&details), 0);
    } else {
      fail_unless (res == GST_SENSOR_STREAM_PARSE_INVALID,
          "row %u (%s=%s) accepted", i, row->field, row->value);
      fail_unless_equals_int (gst_sensor_stream_details_count (&details), 1);
      fail_unless_equals_string (
          gst_sensor_stream_details_lookup (&details, row->field),
          row->message);
    }
    gst_sensor_stream_details_clear (&details);
    g_free (body);
  }
}

GST_END_TEST;

GST_START_TEST (test_valid_reading_values)
{
  GstSensorStreamReading r;
  GstSensorStreamDetails details;

  gst_sensor_stream_details_init (&details);
  fail_unless_equals_int (gst_sensor_stream_parse_reading (valid_reading,
                              strlen (valid_reading), &r, &details),
      GST_SENSOR_STREAM_PARSE_OK);
  fail_unless_equals_string (r.device_id, "AA:BB:CC:DD:EE:FF");
  fail_unless_equals_float (r.accel[2], 9.8);
  fail_unless_equals_float (r.gyro[2], -0.05);
  fail_unless_equals_int (r.uptime_ms, 3600000);
  fail_unless_equals_int (r.heart_rate, 72);
  fail_unless_equals_int (r.spo2, 98);
  fail_unless_equals_float (r.battery_level, 85.0);
  fail_unless (r.wifi_connected && !r.bluetooth_connected);
  fail_unless_equals_int64 (
      r.client_timestamp_us, G_GINT64_CONSTANT (1773829800) * G_USEC_PER_SEC);
  fail_unless_equals_int (r.present, 0x1ff);
  gst_sensor_stream_details_clear (&details);
}

GST_END_TEST;

GST_START_TEST (test_every_bad_field_reported)
{
  const gchar *body =
      "{\"device_id\":\"zz\",\"accel_x\":\"0.5\","
      "\"accel_y\":0.3,\"accel_z\":99,\"gyro_x\":0.1,\"gyro_y\":0.2,"
      "\"gyro_z\":-0.05,\"heart_rate\":250}";
  GstSensorStreamReading r;
  GstSensorStreamDetails details;
  gchar *answer;

  gst_sensor_stream_details_init (&details);
  fail_unless_equals_int (
      gst_sensor_stream_parse_reading (body, strlen (body), &r, &details),
      GST_SENSOR_STREAM_PARSE_INVALID);
  answer = gst_sensor_stream_validation_body (&details);
  fail_unless_equals_string (answer,
      "{\"success\":false,\"error\":\"Validation failed\",\"details\":{"
      "\"device_id\":\"Must be a valid MAC address\","
      "\"accel_x\":\"Must be a number\","
      "\"accel_z\":\"Must be between -50 and 50\","
      "\"uptime_ms\":\"Required\","
      "\"heart_rate\":\"Must be between 40 and 200\"}}");
  g_free (answer);
  gst_sensor_stream_details_clear (&details);
}

GST_END_TEST;

GST_START_TEST (test_bad_bodies)
{
  static const gchar *not_json[] = {
    "",
    "not json",
    "{\"accel_x\": NaN}",
    "{\"accel_x\": Infinity}",
    "{\"accel_x\": -Infinity}",
    "{\"device_id\":",
    "\xff\xfe{}",
  };
  static const gchar *not_object[] = { "[1,2,3]", "42", "\"str\"", "null" };
  GstSensorStreamReading r;
  GstSensorStreamDetails details;
  GString *deep = g_string_new (NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (not_json); i++) {
    gst_sensor_stream_details_init (&details);
    fail_unless_equals_int (gst_sensor_stream_parse_reading (not_json[i],
                                strlen (not_json[i]), &r, &details),
        GST_SENSOR_STREAM_PARSE_INVALID_JSON);
    gst_sensor_stream_details_clear (&details);
  }
  for (i = 0; i < G_N_ELEMENTS (not_object); i++) {
    gst_sensor_stream_details_init (&details);
    fail_unless_equals_int (gst_sensor_stream_parse_reading (not_object[i],
                                strlen (not_object[i]), &r, &details),
        GST_SENSOR_STREAM_PARSE_INVALID);
    fail_unless_equals_string (
        gst_sensor_stream_details_lookup (&details, "body"),
        "Must be a JSON object");
    gst_sensor_stream_details_clear (&details);
  }

  /* a stack of brackets is refused before json-glib recurses into it */
  for (i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  gst_sensor_stream_details_init (&details);
  fail_unless_equals_int (
      gst_sensor_stream_parse_reading (deep->str, deep->len, &r, &details),
      GST_SENSOR_STREAM_PARSE_INVALID_JSON);
  gst_sensor_stream_details_clear (&details);
  g_string_free (deep, TRUE);
}

GST_END_TEST;

/* ---- strict JSON (RFC 8259 only) ---- */

#define INVALID_JSON_BODY "{\"success\":false,\"error\":\"Invalid JSON\"}"

/* What rpsensorsrc answers a body with: "OK", or the 400 body. */
static gchar *
answer (const gchar *body, gsize len, gboolean batch)
{
  GstSensorStreamDetails details;
  GstSensorStreamParseResult res;
  GstSensorStreamReading r;
  GArray *readings = NULL;
  gchar *out;

  gst_sensor_stream_details_init (&details);
  if (batch)
    res = gst_sensor_stream_parse_batch (body, len, &readings, &details);
  else
    res = gst_sensor_stream_parse_reading (body, len, &r, &details);
  if (res == GST_SENSOR_STREAM_PARSE_OK)
    out = g_strdup ("OK");
  else if (res == GST_SENSOR_STREAM_PARSE_INVALID_JSON)
    out = gst_sensor_stream_error_body ("Invalid JSON");
  else
    out = gst_sensor_stream_validation_body (&details);
  if (readings)
    g_array_unref (readings);
  gst_sensor_stream_details_clear (&details);
  return out;
}

/* @reading (a JSON object) as the single body and as the one reading of a
 * batch */
static void
check_answers (
    const gchar *reading, const gchar *single_answer, const gchar *batch_answer)
{
  gchar *batch = g_strdup_printf (
      "{\"device_id\":\"AA:BB:CC:DD:EE:FF\",\"readings\":[%s]}", reading);
  gchar *a;

  a = answer (reading, strlen (reading), FALSE);
  fail_unless_equals_string (a, single_answer);
  g_free (a);
  a = answer (batch, strlen (batch), TRUE);
  fail_unless_equals_string (a, batch_answer);
  g_free (a);
  g_free (batch);
}

GST_START_TEST (test_strict_json_bodies)
{
  /* values json-glib reads as something (0110 is octal 72, 0x48 is 72, the
   * 20-digit number wraps to 72) */
  static const gchar *values[][2] = {
    { "heart_rate", "0110" },
    { "heart_rate", "0x48" },
    { "heart_rate", "18446744073709551688" },
    { "battery_level", ".5e2" },
    { "battery_level", "+50" },
    { "battery_level", "NaN" },
    { "accel_x", "1e999" }, /* infinite as a double */
    { "device_id", "'AA:BB:CC:DD:EE:FF'" },
    { "accel_x", "0.5 /* c */" },
    { "accel_x", "0.5 // c\n" },
    { "client_timestamp", "\"2026-03-18T10:30:00Z\t\"" },
    { "client_timestamp", "\"\\ud800\"" },
  };
  gchar *body, *twice;
  GString *deep;
  guint i;

  check_answers (valid_reading, "OK", "OK");
  for (i = 0; i < G_N_ELEMENTS (values); i++) {
    body = reading_with (values[i][0], values[i][1]);
    check_answers (body, INVALID_JSON_BODY, INVALID_JSON_BODY);
    g_free (body);
  }

  body = g_strconcat ("\xef\xbb\xbf", valid_reading, NULL);
  check_answers (body, INVALID_JSON_BODY, INVALID_JSON_BODY);
  g_free (body);
  body = g_strconcat ("/* c */", valid_reading, NULL);
  check_answers (body, INVALID_JSON_BODY, INVALID_JSON_BODY);
  g_free (body);
  twice = g_strconcat (valid_reading, valid_reading, NULL);
  check_answers (twice, INVALID_JSON_BODY, INVALID_JSON_BODY);
  g_free (twice);

  /* the batch's own framing */
  {
    static const gchar *batches[] = {
      "{\"device_id\":'AA:BB:CC:DD:EE:FF',\"readings\":[{}]}",
      "{\"device_id\":\"AA:BB:CC:DD:EE:FF\",/* c */\"readings\":[]}",
      "{\"device_id\":\"AA:BB:CC:DD:EE:FF\",\"readings\":[]}{}",
      "\xef\xbb\xbf{\"device_id\":\"AA:BB:CC:DD:EE:FF\",\"readings\":[]}",
    };

    for (i = 0; i < G_N_ELEMENTS (batches); i++) {
      gchar *a = answer (batches[i], strlen (batches[i]), TRUE);

      fail_unless_equals_string (a, INVALID_JSON_BODY);
      g_free (a);
    }
  }

  /* 100 KB of brackets behind a quote a bracket counter takes for a
   * string: refused before json-glib recurses into it */
  deep = g_string_new ("{\"accel_x\":/*\"*/");
  for (i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  check_answers (deep->str, INVALID_JSON_BODY, INVALID_JSON_BODY);
  g_string_assign (deep, "'\"'");
  for (i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  check_answers (deep->str, INVALID_JSON_BODY, INVALID_JSON_BODY);
  g_string_free (deep, TRUE);

  /* a string with U+0000 is no valid value of any string field, instead of
   * being cut down to a valid one */
  body = reading_with ("device_id", "\"aabbccddeeff\\u0000zz\"");
  check_answers (body,
      "{\"success\":false,\"error\":\"Validation failed\","
      "\"details\":{\"device_id\":\"Must be a valid MAC address\"}}",
      "{\"success\":false,\"error\":\"Validation failed\","
      "\"details\":{\"readings[0].device_id\":"
      "\"Must be a valid MAC address\"}}");
  g_free (body);
  body = reading_with ("client_timestamp", "\"2026-03-18T10:30:00Z\\u0000x\"");
  check_answers (body,
      "{\"success\":false,\"error\":\"Validation failed\","
      "\"details\":{\"client_timestamp\":\"Must be an ISO 8601 timestamp\"}}",
      "{\"success\":false,\"error\":\"Validation failed\","
      "\"details\":{\"readings[0].client_timestamp\":"
      "\"Must be an ISO 8601 timestamp\"}}");
  g_free (body);
  {
    static const gchar *batch =
        "{\"device_id\":\"aabbccddeeff\\u0000zz\",\"readings\":[{"
        "\"accel_x\":0.5,\"accel_y\":0.3,\"accel_z\":9.8,\"gyro_x\":0.1,"
        "\"gyro_y\":0.2,\"gyro_z\":-0.05,\"uptime_ms\":1}]}";
    gchar *a = answer (batch, strlen (batch), TRUE);

    fail_unless_equals_string (a,
        "{\"success\":false,\"error\":\"Validation failed\","
        "\"details\":{\"device_id\":\"Must be a valid MAC address\"}}");
    g_free (a);
  }
}

GST_END_TEST;

/* ---- MAC normalisation ---- */

GST_START_TEST (test_mac_normalisation)
{
  static const struct
  {
    const gchar *in;
    const gchar *out; /* NULL: refused */
  } table[] = {
    { "AA:BB:CC:DD:EE:FF", "AA:BB:CC:DD:EE:FF" },
    { "aa:bb:cc:dd:ee:ff", "AA:BB:CC:DD:EE:FF" },
    { "aabbccddeeff", "AA:BB:CC:DD:EE:FF" },
    { "AABBCCDDEEFF", "AA:BB:CC:DD:EE:FF" },
    { "AA-BB-CC-DD-EE-FF", "AA:BB:CC:DD:EE:FF" },
    { "aa-bb-cc-dd-ee-ff", "AA:BB:CC:DD:EE:FF" },
    { "Aa:bB:0c:D1:e2:F3", "AA:BB:0C:D1:E2:F3" },
    { "SF-AABBCCDDEEFF", "AA:BB:CC:DD:EE:FF" },
    { "SF-aabbccddeeff", "AA:BB:CC:DD:EE:FF" },
    { "sf-AABBCCDDEEFF", "AA:BB:CC:DD:EE:FF" },
    { "SF-AA:BB:CC:DD:EE:FF", "AA:BB:CC:DD:EE:FF" },
    { "00:00:00:00:00:00", "00:00:00:00:00:00" },
    { "", NULL },
    { "AA:BB:CC:DD:EE", NULL },
    { "AA:BB:CC:DD:EE:FF:00", NULL },
    { "AA:BB-CC:DD-EE:FF", NULL },
    { "AA.BB.CC.DD.EE.FF", NULL },
    { "AABB.CCDD.EEFF", NULL },
    { "GG:BB:CC:DD:EE:FF", NULL },
    { " AA:BB:CC:DD:EE:FF", NULL },
    { "AA:BB:CC:DD:EE:FF ", NULL },
    { "aabbccddeef", NULL },
    { "aabbccddeeff0", NULL },
    { "SF-", NULL },
    { "SF-SF-AABBCCDDEEFF", NULL },
    { "XX-AABBCCDDEEFF", NULL },
    { "A:BB:CC:DD:EE:FFF", NULL },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (table); i++) {
    gchar out[GST_SENSOR_STREAM_MAC_LEN];
    gboolean ok = gst_sensor_stream_normalize_mac (table[i].in, out);

    fail_unless (ok == (table[i].out != NULL), "'%s'", table[i].in);
    if (ok)
      fail_unless_equals_string (out, table[i].out);
  }
  fail_if (gst_sensor_stream_normalize_mac (NULL, (gchar[18]){ 0 }));
}

GST_END_TEST;

/* ---- rate limit on an injected clock ---- */

static gint64 fake_now_us;

static gint64
fake_clock (gpointer user_data)
{
  return fake_now_us;
}

GST_START_TEST (test_rate_limit_sequence)
{
  GstSensorStreamRateLimiter *rl =
      gst_sensor_stream_rate_limiter_new (1.0, 5, fake_clock, NULL);
  gint64 retry = -1, next = -1;
  guint i;

  fake_now_us = 1000 * G_USEC_PER_SEC;
  /* the burst: five accepted at once; the first four leave tokens */
  for (i = 0; i < 5; i++) {
    fail_unless (
        gst_sensor_stream_rate_limiter_acquire (rl, "A", &retry, &next));
    fail_unless_equals_int64 (next, i < 4 ? 0 : G_USEC_PER_SEC);
  }
  /* the sixth waits one second */
  fail_if (gst_sensor_stream_rate_limiter_acquire (rl, "A", &retry, &next));
  fail_unless_equals_int64 (retry, G_USEC_PER_SEC);
  /* another device has its own bucket */
  fail_unless (gst_sensor_stream_rate_limiter_acquire (rl, "B", NULL, NULL));

  fake_now_us += G_USEC_PER_SEC - 1;
  fail_if (gst_sensor_stream_rate_limiter_acquire (rl, "A", &retry, NULL));
  fail_unless_equals_int64 (retry, 1);

  fake_now_us += 1;
  fail_unless (gst_sensor_stream_rate_limiter_acquire (rl, "A", NULL, &next));
  fail_unless_equals_int64 (next, G_USEC_PER_SEC);
  fail_if (gst_sensor_stream_rate_limiter_acquire (rl, "A", &retry, NULL));
  fail_unless_equals_int64 (retry, G_USEC_PER_SEC);

  /* 1/s steady state is always accepted */
  for (i = 0; i < 10; i++) {
    fake_now_us += G_USEC_PER_SEC;
    fail_unless (gst_sensor_stream_rate_limiter_acquire (rl, "A", NULL, NULL));
  }
  /* a long pause refills up to the burst, not beyond */
  fake_now_us += 60 * G_USEC_PER_SEC;
  for (i = 0; i < 5; i++)
    fail_unless (gst_sensor_stream_rate_limiter_acquire (rl, "A", NULL, NULL));
  fail_if (gst_sensor_stream_rate_limiter_acquire (rl, "A", NULL, NULL));

  fail_unless_equals_int (gst_sensor_stream_rate_limiter_size (rl), 2);
  gst_sensor_stream_rate_limiter_free (rl);
}

GST_END_TEST;

GST_START_TEST (test_rate_limit_prunes_idle_devices)
{
  GstSensorStreamRateLimiter *rl =
      gst_sensor_stream_rate_limiter_new (1.0, 5, fake_clock, NULL);
  guint i;

  fake_now_us = 0;
  for (i = 0; i < 5000; i++) {
    gchar key[16];

    g_snprintf (key, sizeof (key), "%u", i);
    fail_unless (gst_sensor_stream_rate_limiter_acquire (rl, key, NULL, NULL));
    fake_now_us += 10 * G_USEC_PER_SEC / 4096;
  }
  fail_unless (gst_sensor_stream_rate_limiter_size (rl) < 5000);
  gst_sensor_stream_rate_limiter_free (rl);
}

GST_END_TEST;

/* ---- batches ---- */

static gchar *
batch_body (guint n, gint bad_index)
{
  GString *s = g_string_new ("{\"device_id\":\"SF-AABBCCDDEEFF\","
                             "\"readings\":[");
  guint i;

  for (i = 0; i < n; i++) {
    g_string_append_printf (s,
        "%s{\"accel_x\":0.%u,\"accel_y\":0.3,"
        "\"accel_z\":9.8,\"gyro_x\":0.1,\"gyro_y\":0.2,\"gyro_z\":-0.05,"
        "\"uptime_ms\":%u,\"heart_rate\":%d}",
        i ? "," : "", i % 10, 1000 + i, (gint) i == bad_index ? 300 : 72);
  }
  g_string_append (s, "]}");
  return g_string_free (s, FALSE);
}

static GstSensorStreamParseResult
parse_batch (
    const gchar *body, GArray **readings, GstSensorStreamDetails *details)
{
  return gst_sensor_stream_parse_batch (body, strlen (body), readings, details);
}

GST_START_TEST (test_batch)
{
  GstSensorStreamDetails details;
  GArray *readings;
  gchar *body;

  body = batch_body (3, -1);
  gst_sensor_stream_details_init (&details);
  fail_unless_equals_int (
      parse_batch (body, &readings, &details), GST_SENSOR_STREAM_PARSE_OK);
  fail_unless_equals_int (readings->len, 3);
  fail_unless_equals_string (
      g_array_index (readings, GstSensorStreamReading, 2).device_id,
      "AA:BB:CC:DD:EE:FF");
  fail_unless_equals_int (
      g_array_index (readings, GstSensorStreamReading, 2).uptime_ms, 1002);
  g_array_unref (readings);
  gst_sensor_stream_details_clear (&details);
  g_free (body);

  /* one bad reading refuses the batch and is named by index */
  body = batch_body (5, 3);
  gst_sensor_stream_details_init (&details);
  fail_unless_equals_int (
      parse_batch (body, &readings, &details), GST_SENSOR_STREAM_PARSE_INVALID);
  fail_unless (readings == NULL);
  fail_unless_equals_int (gst_sensor_stream_details_count (&details), 1);
  fail_unless_equals_string (
      gst_sensor_stream_details_lookup (&details, "readings[3].heart_rate"),
      "Must be between 40 and 200");
  gst_sensor_stream_details_clear (&details);
  g_free (body);

  /* 100 is the documented maximum */
  body = batch_body (100, -1);
  gst_sensor_stream_details_init (&details);
  fail_unless_equals_int (
      parse_batch (body, &readings, &details), GST_SENSOR_STREAM_PARSE_OK);
  fail_unless_equals_int (readings->len, 100);
  g_array_unref (readings);
  gst_sensor_stream_details_clear (&details);
  g_free (body);

  body = batch_body (101, -1);
  gst_sensor_stream_details_init (&details);
  fail_unless_equals_int (
      parse_batch (body, &readings, &details), GST_SENSOR_STREAM_PARSE_INVALID);
  fail_unless_equals_string (
      gst_sensor_stream_details_lookup (&details, "readings"),
      "Must contain between 1 and 100 readings");
  gst_sensor_stream_details_clear (&details);
  g_free (body);
}

GST_END_TEST;

GST_START_TEST (test_batch_shape_errors)
{
  static const struct
  {
    const gchar *body;
    const gchar *field;
    const gchar *message;
  } table[] = {
    { "{\"readings\":[]}", "device_id", "Required" },
    { "{\"device_id\":\"x\",\"readings\":[]}", "device_id", MAC },
    { "{\"device_id\":\"aabbccddeeff\"}", "readings", "Required" },
    { "{\"device_id\":\"aabbccddeeff\",\"readings\":{}}", "readings",
        "Must be an array" },
    { "{\"device_id\":\"aabbccddeeff\",\"readings\":[]}", "readings",
        "Must contain between 1 and 100 readings" },
    { "{\"device_id\":\"aabbccddeeff\",\"readings\":[1]}", "readings[0]",
        "Must be an object" },
    { "{\"device_id\":\"aabbccddeeff\",\"readings\":[{\"device_id\":"
      "\"11:22:33:44:55:66\",\"accel_x\":0,\"accel_y\":0,\"accel_z\":9.8,"
      "\"gyro_x\":0,\"gyro_y\":0,\"gyro_z\":0,\"uptime_ms\":1}]}",
        "readings[0].device_id", "Must match the batch device_id" },
    { "{\"device_id\":\"aabbccddeeff\",\"readings\":[{\"accel_y\":0,"
      "\"accel_z\":9.8,\"gyro_x\":0,\"gyro_y\":0,\"gyro_z\":0,"
      "\"uptime_ms\":1}]}",
        "readings[0].accel_x", "Required" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (table); i++) {
    GstSensorStreamDetails details;
    GArray *readings = NULL;

    gst_sensor_stream_details_init (&details);
    fail_unless_equals_int (parse_batch (table[i].body, &readings, &details),
        GST_SENSOR_STREAM_PARSE_INVALID);
    fail_unless_equals_string (
        gst_sensor_stream_details_lookup (&details, table[i].field),
        table[i].message);
    gst_sensor_stream_details_clear (&details);
  }
}

GST_END_TEST;

/* ---- the flat-object reader against json-glib ---- */

static gchar *
describe_parse (const gchar *body, gsize len, gboolean fast)
{
  GstSensorStreamDetails details;
  GstSensorStreamReading r;
  GstSensorStreamParseResult res;
  GString *s = g_string_new (NULL);
  guint i;

  memset (&r, 0x5a, sizeof (r));
  gst_sensor_stream_details_init (&details);
  res = fast ?
      gst_sensor_stream_parse_reading (body, len, &r, &details) :
      gst_sensor_stream_parse_reading_json_glib (body, len, &r, &details);
  g_string_append_printf (s, "res=%d", res);
  for (i = 0; i < gst_sensor_stream_details_count (&details); i++)
    g_string_append_printf (s, " [%s: %s]",
        (gchar *) g_ptr_array_index (details.fields, i),
        (gchar *) g_ptr_array_index (details.messages, i));
  if (res == GST_SENSOR_STREAM_PARSE_OK)
    g_string_append_printf (s,
        " id=%s a=%a,%a,%a g=%a,%a,%a up=%u present=%x p=%a fsr=%a hr=%d "
        "spo2=%d bat=%a wifi=%d bt=%d init=%d ts=%" G_GINT64_FORMAT,
        r.device_id, r.accel[0], r.accel[1], r.accel[2], r.gyro[0], r.gyro[1],
        r.gyro[2], r.uptime_ms, r.present, r.pressure, r.fsr, r.heart_rate,
        r.spo2, r.battery_level, r.wifi_connected, r.bluetooth_connected,
        r.sensors_initialized, r.client_timestamp_us);
  gst_sensor_stream_details_clear (&details);
  return g_string_free (s, FALSE);
}

static void
check_same_parse (const gchar *body)
{
  gchar *fast = describe_parse (body, strlen (body), TRUE);
  gchar *ref = describe_parse (body, strlen (body), FALSE);

  fail_unless (
      g_str_equal (fast, ref), "body %s:\n fast %s\n json %s", body, fast, ref);
  g_free (fast);
  g_free (ref);
}

GST_START_TEST (test_flat_reader_matches_json_glib)
{
  static const gchar *fields[] = { "device_id", "accel_x", "gyro_z",
    "uptime_ms", "pressure", "fsr", "heart_rate", "spo2", "battery_level",
    "wifi_connected", "client_timestamp", "unknown" };
  static const gchar *values[] = { "0", "-0", "-0.0", "0.0", "1", "-1", "1.5",
    "1e2", "1E2", "1e+2", "1e-2", "-1e-2", "2.5E1", "40", "200", "201", "39",
    "70", "100", "100.0", "99.5", "1.0000000000000002", "0.999999999999999999",
    "4294967295", "4294967296", "-50", "50", "50.000001", "-1000", "1000.5",
    "1.5e400", "-1.5e400", "1e-400", "123456789012345678",
    "1234567890123456789", "99999999999999999999", "00", "01", "1.", ".5", "+1",
    "- 1", "-", "1e", "1e+", "0x10", "NaN", "Infinity", "-Infinity", "true",
    "false", "null", "nul", "True", "\"1\"", "\"\"", "[]", "[1]", "{}",
    "{\"a\":1}", "\"AA:BB:CC:DD:EE:FF\"", "\"aabbccddeeff\"",
    "\"SF-AABBCCDDEEFF\"", "\"AA-BB-CC-DD-EE-FF\"", "\"AA:BB:CC:DD:EE\"",
    "\"A\\u0041:BB:CC:DD:EE:FF\"", "\"AA:BB:CC:DD:EE:FF\\u0000\"",
    "\"2026-03-18T10:30:00Z\"", "\"2026-03-18T10:30:00.5+02:00\"",
    "\"2026-03-18\"", "\"1969-12-31T23:59:59Z\"", "\"\\u00e9\"", "\"\xc3\xa9\"",
    "\"tab\there\"", "'x'", "1 2", "1,", "\"a\" \"b\"" };
  /* text around the members: before, after */
  static const gchar *frames[][2] = { { "{", "}" }, { " {", "} " },
    { "\t{\n", "\r\n}\n" }, { "{", ",}" }, { "{", "}}" }, { "{", "} x" },
    { "[{", "}]" }, { "{", ",\"accel_x\":1}" }, { "{\"accel_x\":1,", "}" },
    { "{", " /* c */}" }, { "{", "}\f" } };
  static const gchar *base =
      "\"device_id\":\"AA:BB:CC:DD:EE:FF\",\"accel_x\":0.5,\"accel_y\":0.3,"
      "\"accel_z\":9.8,\"gyro_x\":0.1,\"gyro_y\":0.2,\"gyro_z\":-0.05,"
      "\"uptime_ms\":3600000";
  guint f, v, k;

  check_same_parse (valid_reading);
  check_same_parse ("{}");
  check_same_parse ("{ }");
  check_same_parse ("");
  check_same_parse (" ");
  check_same_parse ("[]");
  check_same_parse ("null");
  check_same_parse ("{\"\":1}");
  check_same_parse ("{\"accel_x\" : 1 , \"accel_x\":2}");
  check_same_parse ("{\"a\\\"b\":1}");
  check_same_parse ("{\"accel_x\":1 \"accel_y\":2}");
  check_same_parse ("{\"accel_x\"1}");
  check_same_parse ("{accel_x:1}");
  check_same_parse ("{\"accel_x\":1");
  check_same_parse ("{\"accel_x\":");
  check_same_parse ("{\"accel_x");

  for (f = 0; f < G_N_ELEMENTS (fields); f++)
    for (v = 0; v < G_N_ELEMENTS (values); v++) {
      gchar *member = g_strdup_printf ("\"%s\":%s", fields[f], values[v]);
      gchar *alone = g_strdup_printf ("{%s}", member);
      gchar *with = g_strdup_printf ("{%s,%s}", base, member);
      gchar *first = g_strdup_printf ("{%s,%s}", member, base);

      check_same_parse (alone);
      check_same_parse (with);
      check_same_parse (first);
      g_free (alone);
      g_free (with);
      g_free (first);
      for (k = 0; k < G_N_ELEMENTS (frames); k++) {
        gchar *inner = g_strdup_printf ("%s,%s", base, member);
        gchar *body = g_strconcat (frames[k][0], inner, frames[k][1], NULL);

        check_same_parse (body);
        g_free (body);
        g_free (inner);
      }
      g_free (member);
    }

  /* random decimals: both readers must convert them to the same double */
  {
    GRand *rand = g_rand_new_with_seed (7);

    for (k = 0; k < 20000; k++) {
      GString *num = g_string_new (g_rand_boolean (rand) ? "-" : "");
      gint digits = g_rand_int_range (rand, 1, 22), d;
      gchar *body;

      for (d = 0; d < digits; d++) {
        if (d == 1 && g_rand_int_range (rand, 0, 3) == 0)
          g_string_append_c (num, '.');
        g_string_append_c (num, '0' + g_rand_int_range (rand, d ? 0 : 1, 10));
      }
      if (g_rand_int_range (rand, 0, 3) == 0)
        g_string_append_printf (num, "e%d", g_rand_int_range (rand, -30, 30));
      body = g_strdup_printf ("{%s,\"pressure\":%s}", base, num->str);
      check_same_parse (body);
      g_free (body);
      g_string_free (num, TRUE);
    }
    g_rand_free (rand);
  }

  /* many members: more than the flat reader keeps */
  {
    GString *big = g_string_new ("{");

    g_string_append (big, base);
    for (k = 0; k < 40; k++) {
      g_string_append_printf (big, ",\"extra%u\":%u", k, k);
      g_string_append (big, "}");
      check_same_parse (big->str);
      g_string_truncate (big, big->len - 1);
    }
    g_string_free (big, TRUE);
  }
}

GST_END_TEST;

static gchar *
describe_batch (const gchar *body, gboolean fast)
{
  GstSensorStreamDetails details;
  GstSensorStreamParseResult res;
  GArray *readings = NULL;
  GString *s = g_string_new (NULL);
  guint i;

  gst_sensor_stream_details_init (&details);
  res = fast ?
      gst_sensor_stream_parse_batch (body, strlen (body), &readings, &details) :
      gst_sensor_stream_parse_batch_json_glib (
          body, strlen (body), &readings, &details);
  g_string_append_printf (s, "res=%d", res);
  for (i = 0; i < gst_sensor_stream_details_count (&details); i++)
    g_string_append_printf (s, " [%s: %s]",
        (gchar *) g_ptr_array_index (details.fields, i),
        (gchar *) g_ptr_array_index (details.messages, i));
  for (i = 0; readings && i < readings->len; i++) {
    const GstSensorStreamReading *r =
        &g_array_index (readings, GstSensorStreamReading, i);

    g_string_append_printf (s,
        " {id=%s a=%a,%a,%a g=%a,%a,%a up=%u present=%x hr=%d "
        "ts=%" G_GINT64_FORMAT "}",
        r->device_id, r->accel[0], r->accel[1], r->accel[2], r->gyro[0],
        r->gyro[1], r->gyro[2], r->uptime_ms, r->present, r->heart_rate,
        r->client_timestamp_us);
  }
  if (readings)
    g_array_unref (readings);
  gst_sensor_stream_details_clear (&details);
  return g_string_free (s, FALSE);
}

/* Batches: the flat reader (taken for the shape devices send) gives what
 * json-glib gives, readings and error details alike, for shapes it takes
 * and for the ones it hands over. */
GST_START_TEST (test_flat_batch_matches_json_glib)
{
#define BATCH_ITEM                                                             \
  "{\"accel_x\":0.5,\"accel_y\":0.3,\"accel_z\":9.8,\"gyro_x\":1,"             \
  "\"gyro_y\":-2.5e0,\"gyro_z\":0,\"uptime_ms\":%u,"                           \
  "\"client_timestamp\":\"2026-03-18T10:30:0%u.5Z\"}"
  static const gchar *bad_items[] = { "{\"accel_x\":\"1\"}", "{}",
    "{\"accel_x\":1,\"accel_x\":2}", "{\"a\":{\"b\":1}}", "[]", "1",
    "{\"device_id\":\"11:22:33:44:55:66\",\"accel_x\":0,\"accel_y\":0,"
    "\"accel_z\":0,\"gyro_x\":0,\"gyro_y\":0,\"gyro_z\":0,"
    "\"uptime_ms\":1}",
    "{\"uptime_ms\":-1,\"heart_rate\":300}", "{\"k\":\"\\u0041\"}" };
  static const gchar *devices[] = { "\"AA:BB:CC:DD:EE:FF\"", "\"aabbccddeeff\"",
    "\"SF-AABBCCDDEEFF\"", "\"AA:BB:CC:DD:EE\"", "1", "null",
    "\"A\\u0041:BB:CC:DD:EE:FF\"", "[]" };
  GString *body = g_string_new (NULL);
  guint d, n, b, k;

  for (d = 0; d < G_N_ELEMENTS (devices); d++) {
    for (n = 0; n <= 101; n += (n < 3 ? 1 : 49)) {
      for (b = 0; b <= G_N_ELEMENTS (bad_items); b++) {
        gchar *fast, *ref;

        g_string_printf (body, "{\"device_id\":%s,\"readings\":[", devices[d]);
        for (k = 0; k < n; k++) {
          if (k)
            g_string_append_c (body, ',');
          if (b < G_N_ELEMENTS (bad_items) && k == n / 2)
            g_string_append (body, bad_items[b]);
          else
            g_string_append_printf (body, BATCH_ITEM, 1000 + k, k % 10);
        }
        g_string_append (body, "]}");
        fast = describe_batch (body->str, TRUE);
        ref = describe_batch (body->str, FALSE);
        fail_unless (g_str_equal (fast, ref), "body %s:\n fast %s\n json %s",
            body->str, fast, ref);
        g_free (fast);
        g_free (ref);
      }
    }
  }
  /* members in another order, extra or missing members, other wrappers */
  {
    static const gchar *bodies[] = {
      "{\"readings\":[{\"accel_x\":1,\"accel_y\":1,\"accel_z\":1,"
      "\"gyro_x\":1,\"gyro_y\":1,\"gyro_z\":1,\"uptime_ms\":1}],"
      "\"device_id\":\"AA:BB:CC:DD:EE:FF\"}",
      "{\"device_id\":\"AA:BB:CC:DD:EE:FF\"}",
      "{\"readings\":[{}]}",
      "{\"device_id\":\"AA:BB:CC:DD:EE:FF\",\"readings\":[],\"x\":1}",
      "{\"device_id\":\"AA:BB:CC:DD:EE:FF\",\"readings\":{}}",
      "{\"device_id\":\"AA:BB:CC:DD:EE:FF\",\"device_id\":\"x\","
      "\"readings\":[{}]}",
      " { \"device_id\" : \"AA:BB:CC:DD:EE:FF\" , \"readings\" : [ { } ] } ",
      "[{\"device_id\":\"AA:BB:CC:DD:EE:FF\",\"readings\":[{}]}]",
      "{\"device_id\":\"AA:BB:CC:DD:EE:FF\",\"readings\":[{}]} x",
    };

    for (k = 0; k < G_N_ELEMENTS (bodies); k++) {
      gchar *fast = describe_batch (bodies[k], TRUE);
      gchar *ref = describe_batch (bodies[k], FALSE);

      fail_unless (g_str_equal (fast, ref), "body %s:\n fast %s\n json %s",
          bodies[k], fast, ref);
      g_free (fast);
      g_free (ref);
    }
  }
  g_string_free (body, TRUE);
}

GST_END_TEST;

/* ---- answers ---- */

GST_START_TEST (test_response_bodies)
{
  gchar *s;
  gint64 t = G_GINT64_CONSTANT (1773829800123456);

  s = gst_sensor_stream_format_iso8601 (t);
  fail_unless_equals_string (s, "2026-03-18T10:30:00.123Z");
  g_free (s);

  s = gst_sensor_stream_success_body (
      "AA:BB:CC:DD:EE:FF", t, FALSE, 0.12, 95, t + G_USEC_PER_SEC, 0);
  fail_unless_equals_string (s,
      "{\"success\":true,\"data\":{"
      "\"deviceId\":\"AA:BB:CC:DD:EE:FF\","
      "\"timestamp\":\"2026-03-18T10:30:00.123Z\",\"fallDetected\":false,"
      "\"fallConfidence\":0.12,\"healthScore\":95,"
      "\"nextAllowedRequest\":\"2026-03-18T10:30:01.123Z\"}}");
  g_free (s);

  s = gst_sensor_stream_success_body (
      "AA:BB:CC:DD:EE:FF", t, TRUE, 0.8, 100, t, 3);
  fail_unless (
      strstr (s, "\"fallDetected\":true,\"fallConfidence\":0.8,") != NULL, "%s",
      s);
  fail_unless (strstr (s, "\"readings\":3}}") != NULL, "%s", s);
  g_free (s);

  s = gst_sensor_stream_rate_limit_body (1000);
  fail_unless_equals_string (s,
      "{\"success\":false,"
      "\"error\":\"Rate limit exceeded\",\"retryAfter\":1000}");
  g_free (s);

  s = gst_sensor_stream_error_body ("Invalid JSON");
  fail_unless_equals_string (
      s, "{\"success\":false,\"error\":\"Invalid JSON\"}");
  g_free (s);
}

GST_END_TEST;

/* The answers as they were built before the direct writers: GDateTime for
 * the time, printf for the success body, json-glib for the others. The
 * writers must give the same bytes. */
static gchar *
reference_iso8601 (gint64 epoch_us)
{
  GDateTime *dt = g_date_time_new_from_unix_utc (epoch_us / G_USEC_PER_SEC);
  gchar *base, *res;

  fail_unless (dt != NULL);
  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  res = g_strdup_printf (
      "%s.%03dZ", base, (gint) ((epoch_us % G_USEC_PER_SEC) / 1000));
  g_free (base);
  g_date_time_unref (dt);
  return res;
}

static gchar *
reference_confidence (gdouble confidence)
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
  return g_strdup (buf);
}

static gchar *
reference_success_body (const gchar *device_id, gint64 timestamp_us,
    gboolean fall_detected, gdouble fall_confidence, gint health_score,
    gint64 next_allowed_us, gint readings)
{
  gchar *ts = reference_iso8601 (timestamp_us);
  gchar *next = reference_iso8601 (next_allowed_us);
  gchar *id = g_strescape (device_id, NULL);
  gchar *conf = reference_confidence (fall_confidence);
  gchar *n = readings > 0 ? g_strdup_printf (",\"readings\":%d", readings) :
                            g_strdup ("");
  gchar *s = g_strdup_printf ("{\"success\":true,\"data\":{"
                              "\"deviceId\":\"%s\",\"timestamp\":\"%s\","
                              "\"fallDetected\":%s,\"fallConfidence\":%s,"
                              "\"healthScore\":%d,"
                              "\"nextAllowedRequest\":\"%s\"%s}}",
      id, ts, fall_detected ? "true" : "false", conf, health_score, next, n);

  g_free (ts);
  g_free (next);
  g_free (id);
  g_free (conf);
  g_free (n);
  return s;
}

static gchar *
json_of (JsonBuilder *b)
{
  JsonGenerator *gen = json_generator_new ();
  JsonNode *root = json_builder_get_root (b);
  gchar *s;

  json_generator_set_root (gen, root);
  s = json_generator_to_data (gen, NULL);
  json_node_unref (root);
  g_object_unref (gen);
  g_object_unref (b);
  return s;
}

static gchar *
reference_error_body (const gchar *error, gboolean with_retry, gint64 retry)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "success");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, error);
  if (with_retry) {
    json_builder_set_member_name (b, "retryAfter");
    json_builder_add_int_value (b, retry);
  }
  json_builder_end_object (b);
  return json_of (b);
}

static void
check_iso8601 (gint64 epoch_us)
{
  gchar *a = gst_sensor_stream_format_iso8601 (epoch_us);
  gchar *b = reference_iso8601 (epoch_us);

  fail_unless_equals_string (a, b);
  g_free (a);
  g_free (b);
}

GST_START_TEST (test_iso8601_matches_gdatetime)
{
  /* Unix seconds of days around leap days and century years, then
   * pseudo-random instants over the whole range */
  static const gint64 days[][3] = {
    { 1970, 1, 1 },
    { 1972, 2, 28 },
    { 1972, 2, 29 },
    { 1972, 3, 1 },
    { 1972, 12, 31 },
    { 1973, 1, 1 },
    { 1999, 12, 31 },
    { 2000, 2, 28 },
    { 2000, 2, 29 },
    { 2000, 3, 1 },
    { 2000, 12, 31 },
    { 2001, 1, 1 },
    { 2024, 2, 29 },
    { 2026, 3, 18 },
    { 2038, 1, 19 },
    { 2100, 2, 28 },
    { 2100, 3, 1 },
    { 2100, 12, 31 },
    { 2400, 2, 29 },
    { 2400, 12, 31 },
    { 9999, 12, 31 },
  };
  GRand *rand = g_rand_new_with_seed (4);
  guint i;
  gint j;

  for (i = 0; i < G_N_ELEMENTS (days); i++) {
    GDateTime *dt =
        g_date_time_new_utc (days[i][0], days[i][1], days[i][2], 0, 0, 0);
    gint64 day_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC;

    g_date_time_unref (dt);
    for (j = -1; j <= 1; j++) {
      check_iso8601 (MAX (day_us + j * G_USEC_PER_SEC, 0));
      check_iso8601 (MAX (day_us + j * 999, 0));
    }
    check_iso8601 (day_us + G_GINT64_CONSTANT (86399999999));
  }
  for (i = 0; i < 200000; i++) {
    gint64 t = (gint64) (g_rand_double (rand) * 253402300799999999.0);

    check_iso8601 (t);
    /* and near now, where real answers are */
    check_iso8601 (G_GINT64_CONSTANT (1773829800123456) +
        g_rand_int_range (rand, 0, G_MAXINT32) * G_GINT64_CONSTANT (1000));
  }
  g_rand_free (rand);
}

GST_END_TEST;

GST_START_TEST (test_answers_match_reference)
{
  static const gchar *ids[] = { "AA:BB:CC:DD:EE:FF", "02:00:00:00:00:0A",
    "not \"safe\"\n", "\xc3\xa9t\xc3\xa9", "" };
  static const gdouble confidences[] = { 0, 1, 0.3, 0.6, 0.8, 0.12, 0.125,
    0.004, 0.005, 0.0049999, 0.015, 0.105, 0.5, 0.995, 0.999, 1.5, 7, -0.2,
    -1e-9, 1e-300, 0.1 + 0.2, -0.0, NAN, INFINITY, -INFINITY };
  static const gint healths[] = { 100, 0, 55, 90, -5, G_MAXINT, G_MININT };
  static const gint counts[] = { 0, 1, 3, 100, -1 };
  static const gint64 times[] = { G_GINT64_CONSTANT (1773829800123456), 0,
    G_GINT64_CONSTANT (951782400000999), G_GINT64_CONSTANT (253402300799999999),
    -1, G_GINT64_CONSTANT (-1500000) };
  static const gint64 retries[] = { 0, 1, 999, 1000, 4999, 123456789,
    G_MAXINT64, -1, G_MININT64 };
  static const gchar *errors[] = { "Invalid JSON", "Not found",
    "Content-Type must be application/json", "quote \" and \\ backslash",
    "tab\there", "/slash", "\xc3\xa9", "" };
  guint a, b, c, d, e;

  for (a = 0; a < G_N_ELEMENTS (ids); a++)
    for (b = 0; b < G_N_ELEMENTS (confidences); b++)
      for (c = 0; c < G_N_ELEMENTS (healths); c++)
        for (d = 0; d < G_N_ELEMENTS (counts); d++)
          for (e = 0; e < G_N_ELEMENTS (times); e++) {
            gint64 t = times[e], next = t + (b % 3) * G_USEC_PER_SEC;
            gchar *fast, *ref;

            /* the reference handles what GDateTime does */
            if (t < 0 || next >= G_GINT64_CONSTANT (253402300800000000))
              continue;
            fast = gst_sensor_stream_success_body (ids[a], t, (b + c) % 2,
                confidences[b], healths[c], next, counts[d]);
            ref = reference_success_body (ids[a], t, (b + c) % 2,
                confidences[b], healths[c], next, counts[d]);
            fail_unless_equals_string (fast, ref);
            g_free (fast);
            g_free (ref);
          }

  for (a = 0; a < G_N_ELEMENTS (retries); a++) {
    gchar *fast = gst_sensor_stream_rate_limit_body (retries[a]);
    gchar *ref = reference_error_body ("Rate limit exceeded", TRUE, retries[a]);

    fail_unless_equals_string (fast, ref);
    g_free (fast);
    g_free (ref);
  }
  for (a = 0; a < G_N_ELEMENTS (errors); a++) {
    gchar *fast = gst_sensor_stream_error_body (errors[a]);
    gchar *ref = reference_error_body (errors[a], FALSE, 0);

    fail_unless_equals_string (fast, ref);
    g_free (fast);
    g_free (ref);
  }
}

GST_END_TEST;

/* ---- health score ---- */

GST_START_TEST (test_health_score)
{
  static const struct
  {
    gint hr, spo2;
    gdouble battery;
    guint present;
    gint score;
  } table[] = {
    { 72, 98, 85, 0x1c, 100 },
    { 0, 0, 0, 0, 100 },       /* nothing known, nothing subtracted */
    { 60, 95, 20, 0x1c, 100 }, /* every edge still healthy */
    { 59, 98, 85, 0x1c, 90 }, { 101, 98, 85, 0x1c, 90 },
    { 72, 94, 85, 0x1c, 98 }, { 72, 90, 85, 0x1c, 90 },
    { 72, 70, 85, 0x1c, 50 }, { 72, 98, 19.9, 0x1c, 85 },
    { 120, 70, 5, 0x1c, 25 },
    { 120, 0, 5, 0x1c, 0 }, /* clamped (not a valid reading) */
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (table); i++) {
    GstSensorStreamReading r = {
      0,
    };

    r.heart_rate = table[i].hr;
    r.spo2 = table[i].spo2;
    r.battery_level = table[i].battery;
    r.present = table[i].present;
    fail_unless_equals_int (
        gst_sensor_stream_health_score (&r), table[i].score);
  }
}

GST_END_TEST;

/* ---- fall score ---- */

static GstSensorStreamReading
motion (gdouble ax, gdouble ay, gdouble az, gdouble gx, gdouble gy, gdouble gz)
{
  GstSensorStreamReading r = {
    0,
  };

  g_strlcpy (r.device_id, "AA:BB:CC:DD:EE:FF", sizeof (r.device_id));
  r.accel[0] = ax;
  r.accel[1] = ay;
  r.accel[2] = az;
  r.gyro[0] = gx;
  r.gyro[1] = gy;
  r.gyro[2] = gz;
  return r;
}

GST_START_TEST (test_fall_levels)
{
  fail_unless_equals_int (gst_sensor_stream_fall_level_for_confidence (0.0),
      GST_SENSOR_STREAM_FALL_NO_FALL);
  fail_unless_equals_int (gst_sensor_stream_fall_level_for_confidence (0.3),
      GST_SENSOR_STREAM_FALL_NO_FALL);
  fail_unless_equals_int (gst_sensor_stream_fall_level_for_confidence (0.31),
      GST_SENSOR_STREAM_FALL_SUSPICIOUS);
  fail_unless_equals_int (
      gst_sensor_stream_fall_level_for_confidence (0.3 + 0.2),
      GST_SENSOR_STREAM_FALL_SUSPICIOUS);
  fail_unless_equals_int (gst_sensor_stream_fall_level_for_confidence (0.51),
      GST_SENSOR_STREAM_FALL_POTENTIAL);
  fail_unless_equals_int (gst_sensor_stream_fall_level_for_confidence (0.7),
      GST_SENSOR_STREAM_FALL_POTENTIAL);
  fail_unless_equals_int (gst_sensor_stream_fall_level_for_confidence (0.71),
      GST_SENSOR_STREAM_FALL_HIGH);
  fail_unless_equals_int (gst_sensor_stream_fall_level_for_confidence (0.89),
      GST_SENSOR_STREAM_FALL_HIGH);
  fail_unless_equals_int (gst_sensor_stream_fall_level_for_confidence (0.9),
      GST_SENSOR_STREAM_FALL_CONFIRMED);
  fail_unless_equals_int (gst_sensor_stream_fall_level_for_confidence (1.0),
      GST_SENSOR_STREAM_FALL_CONFIRMED);
  fail_unless_equals_string (
      gst_sensor_stream_fall_level_to_string (GST_SENSOR_STREAM_FALL_POTENTIAL),
      "POTENTIAL");
}

GST_END_TEST;

GST_START_TEST (test_fall_free_fall_and_tumble_detected)
{
  GstSensorStreamFallDetector *fd = gst_sensor_stream_fall_detector_new (
      GST_SENSOR_STREAM_SENSITIVITY_BALANCED);
  GstSensorStreamFallResult res;
  GstSensorStreamReading r;
  gboolean detected = FALSE;
  guint i;

  /* standing still */
  for (i = 0; i < 10; i++) {
    r = motion (0.1, 0.2, 9.8, 1, 2, 1);
    gst_sensor_stream_fall_detector_process (fd, &r, &res);
    fail_unless_equals_float (res.confidence, 0.0);
  }
  /* free fall: |a| drops ~9 m/s^2 below the average, z far from 1 g */
  r = motion (0.3, 0.2, 0.8, 40, 30, 20);
  gst_sensor_stream_fall_detector_process (fd, &r, &res);
  fail_unless (res.free_fall && res.vertical && !res.tumbling);
  fail_unless_equals_float (res.confidence, 0.5);
  fail_unless_equals_int (res.level, GST_SENSOR_STREAM_FALL_SUSPICIOUS);
  fail_if (res.detected);
  /* still falling while tumbling */
  r = motion (0.5, 0.4, 1.0, 450, 300, 150);
  gst_sensor_stream_fall_detector_process (fd, &r, &res);
  fail_unless (res.free_fall && res.tumbling && res.vertical);
  fail_unless_equals_float (res.confidence, 0.8);
  fail_unless_equals_int (res.level, GST_SENSOR_STREAM_FALL_HIGH);
  detected |= res.detected;
  /* impact and lying on the side */
  r = motion (25.0, 18.0, 4.0, 300, 200, 100);
  gst_sensor_stream_fall_detector_process (fd, &r, &res);
  detected |= res.detected;
  for (i = 0; i < 5; i++) {
    r = motion (9.7, 0.3, 0.5, 2, 1, 1);
    gst_sensor_stream_fall_detector_process (fd, &r, &res);
  }
  fail_unless (detected);
  gst_sensor_stream_fall_detector_free (fd);
}

GST_END_TEST;

GST_START_TEST (test_fall_walking_not_detected)
{
  GstSensorStreamFallDetector *fd = gst_sensor_stream_fall_detector_new (
      GST_SENSOR_STREAM_SENSITIVITY_BALANCED);
  GstSensorStreamFallResult res;
  guint i;

  /* two steps a second at 10 readings per second: vertical bounce of
   * +-2 m/s^2, sway, arm swing up to ~120 deg/s */
  for (i = 0; i < 200; i++) {
    gdouble phase = i * G_PI / 2.5;
    GstSensorStreamReading r = motion (1.5 * sin (phase / 2), 0.8 * cos (phase),
        9.8 + 2.0 * sin (phase), 80 * sin (phase / 2), 60 * cos (phase / 2),
        30 * sin (phase));

    gst_sensor_stream_fall_detector_process (fd, &r, &res);
    fail_if (res.detected, "walking reading %u detected as a fall", i);
    fail_unless_equals_int (res.level, GST_SENSOR_STREAM_FALL_NO_FALL);
  }
  gst_sensor_stream_fall_detector_free (fd);
}

GST_END_TEST;

GST_START_TEST (test_fall_presets_and_devices)
{
  GstSensorStreamFallDetector *fd = gst_sensor_stream_fall_detector_new (
      GST_SENSOR_STREAM_SENSITIVITY_BALANCED);
  GstSensorStreamFallResult res;
  GstSensorStreamReading r;
  gdouble a, g;

  gst_sensor_stream_sensitivity_thresholds (
      GST_SENSOR_STREAM_SENSITIVITY_CONSERVATIVE, &a, &g);
  fail_unless (a == -3.0 && g == 300.0);
  gst_sensor_stream_sensitivity_thresholds (
      GST_SENSOR_STREAM_SENSITIVITY_BALANCED, &a, &g);
  fail_unless (a == -5.0 && g == 500.0);
  gst_sensor_stream_sensitivity_thresholds (
      GST_SENSOR_STREAM_SENSITIVITY_SENSITIVE, &a, &g);
  fail_unless (a == -7.0 && g == 700.0);

  /* 400 deg/s tumbles under conservative (300) only */
  r = motion (0, 0, 9.8, 400, 0, 0);
  gst_sensor_stream_fall_detector_process (fd, &r, &res);
  fail_if (res.tumbling);
  gst_sensor_stream_fall_detector_set_sensitivity (
      fd, GST_SENSOR_STREAM_SENSITIVITY_CONSERVATIVE);
  gst_sensor_stream_fall_detector_process (fd, &r, &res);
  fail_unless (res.tumbling);

  /* a drop of 6 m/s^2 from rest: free fall for balanced (-5), not for
   * sensitive (-7) */
  gst_sensor_stream_fall_detector_set_sensitivity (
      fd, GST_SENSOR_STREAM_SENSITIVITY_BALANCED);
  gst_sensor_stream_fall_detector_reset (fd);
  r = motion (0, 0, 3.8, 0, 0, 0);
  gst_sensor_stream_fall_detector_process (fd, &r, &res);
  fail_unless (res.free_fall);
  gst_sensor_stream_fall_detector_reset (fd);
  gst_sensor_stream_fall_detector_set_sensitivity (
      fd, GST_SENSOR_STREAM_SENSITIVITY_SENSITIVE);
  gst_sensor_stream_fall_detector_process (fd, &r, &res);
  fail_if (res.free_fall);

  /* the previous average is per device: device B starts from gravity
   * whatever A did */
  gst_sensor_stream_fall_detector_reset (fd);
  gst_sensor_stream_fall_detector_set_sensitivity (
      fd, GST_SENSOR_STREAM_SENSITIVITY_BALANCED);
  r = motion (0, 0, 1.0, 0, 0, 0);
  gst_sensor_stream_fall_detector_process (fd, &r, &res);
  gst_sensor_stream_fall_detector_process (fd, &r, &res);
  r = motion (0, 0, 3.0, 0, 0, 0);
  g_strlcpy (r.device_id, "11:22:33:44:55:66", sizeof (r.device_id));
  gst_sensor_stream_fall_detector_process (fd, &r, &res);
  fail_unless (res.free_fall);
  gst_sensor_stream_fall_detector_free (fd);
}

GST_END_TEST;

/* ---- the streaming pool ---- */

#define N_LANES 50
#define PER_LANE 100

typedef struct
{
  GMutex lock;
  GCond cond;
  guint64 next[N_LANES]; /* offset expected next, per lane */
  guint total;
  gboolean out_of_order;
  gboolean block; /* lane 0 waits while set */
  gboolean blocked;
} LaneLog;

typedef struct
{
  LaneLog *log;
  guint index;
} LaneData;

static void
log_item (GstMiniObject *obj, gpointer user_data)
{
  LaneData *d = user_data;
  LaneLog *log = d->log;
  guint64 offset = GST_BUFFER_OFFSET (GST_BUFFER (obj));

  g_mutex_lock (&log->lock);
  while (d->index == 0 && log->block) {
    log->blocked = TRUE;
    g_cond_broadcast (&log->cond);
    g_cond_wait (&log->cond, &log->lock);
  }
  /* in order: never before the one expected (drops may skip ahead) */
  if (offset < log->next[d->index])
    log->out_of_order = TRUE;
  log->next[d->index] = offset + 1;
  log->total++;
  g_cond_broadcast (&log->cond);
  g_mutex_unlock (&log->lock);
  gst_mini_object_unref (obj);
}

static GstMiniObject *
offset_buffer (guint64 offset)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 4, NULL);

  GST_BUFFER_OFFSET (buf) = offset;
  return GST_MINI_OBJECT (buf);
}

static void
wait_total (LaneLog *log, guint total)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_mutex_lock (&log->lock);
  while (log->total < total)
    fail_unless (g_cond_wait_until (&log->cond, &log->lock, deadline),
        "%u of %u items", log->total, total);
  g_mutex_unlock (&log->lock);
}

/* 50 lanes, two workers: each lane's items come in order, all of them. */
GST_START_TEST (test_pool_order_per_lane)
{
  GstSensorStreamPool *pool = gst_sensor_stream_pool_new (2);
  GstSensorStreamLane *lanes[N_LANES];
  LaneData data[N_LANES];
  LaneLog log;
  guint i, l;

  memset (&log, 0, sizeof (log));
  g_mutex_init (&log.lock);
  g_cond_init (&log.cond);
  for (l = 0; l < N_LANES; l++) {
    data[l].log = &log;
    data[l].index = l;
    lanes[l] = gst_sensor_stream_lane_new (pool, PER_LANE, log_item, &data[l]);
    gst_sensor_stream_lane_set_flushing (lanes[l], FALSE);
  }
  for (i = 0; i < PER_LANE; i++)
    for (l = 0; l < N_LANES; l++)
      fail_unless (gst_sensor_stream_lane_push (lanes[l], offset_buffer (i)));
  wait_total (&log, N_LANES * PER_LANE);
  fail_if (log.out_of_order);
  for (l = 0; l < N_LANES; l++) {
    GstSensorHandoffQueueStats qs;

    fail_unless_equals_uint64 (log.next[l], PER_LANE);
    gst_sensor_stream_lane_get_stats (lanes[l], &qs);
    fail_unless_equals_uint64 (qs.dropped, 0);
  }
  gst_sensor_stream_pool_free (pool);
  for (l = 0; l < N_LANES; l++)
    gst_sensor_stream_lane_unref (lanes[l]);
  g_mutex_clear (&log.lock);
  g_cond_clear (&log.cond);
}

GST_END_TEST;

/* A lane whose function blocks holds one of two workers and drops only its
 * own oldest items; the other lane gets everything meanwhile. */
GST_START_TEST (test_pool_blocked_lane_drops_its_own)
{
  GstSensorStreamPool *pool = gst_sensor_stream_pool_new (2);
  GstSensorStreamLane *a, *b;
  GstSensorHandoffQueueStats qa, qb;
  LaneData da, db;
  LaneLog log;
  guint i;

  memset (&log, 0, sizeof (log));
  g_mutex_init (&log.lock);
  g_cond_init (&log.cond);
  log.block = TRUE;
  da.log = db.log = &log;
  da.index = 0;
  db.index = 1;
  a = gst_sensor_stream_lane_new (pool, 4, log_item, &da);
  b = gst_sensor_stream_lane_new (pool, 4, log_item, &db);
  gst_sensor_stream_lane_set_flushing (a, FALSE);
  gst_sensor_stream_lane_set_flushing (b, FALSE);

  fail_unless (gst_sensor_stream_lane_push (a, offset_buffer (0)));
  g_mutex_lock (&log.lock);
  while (!log.blocked)
    g_cond_wait (&log.cond, &log.lock);
  g_mutex_unlock (&log.lock);
  /* 0 is in the blocked function; 1..99 overflow a lane of 4 */
  for (i = 1; i < 100; i++)
    fail_unless (gst_sensor_stream_lane_push (a, offset_buffer (i)));
  /* b, pushed one at a time so that its own lane never overflows */
  for (i = 0; i < 100; i++) {
    fail_unless (gst_sensor_stream_lane_push (b, offset_buffer (i)));
    wait_total (&log, i + 1);
  }
  gst_sensor_stream_lane_get_stats (a, &qa);
  fail_unless_equals_uint64 (qa.dropped, 99 - 4);
  fail_unless_equals_int (qa.buffers, 4);

  g_mutex_lock (&log.lock);
  log.block = FALSE;
  g_cond_broadcast (&log.cond);
  g_mutex_unlock (&log.lock);
  wait_total (&log, 100 + 1 + 4);
  fail_if (log.out_of_order);
  fail_unless_equals_uint64 (log.next[0], 100);
  fail_unless_equals_uint64 (log.next[1], 100);
  gst_sensor_stream_lane_get_stats (b, &qb);
  fail_unless_equals_uint64 (qb.dropped, 0);

  gst_sensor_stream_pool_free (pool);
  gst_sensor_stream_lane_unref (a);
  gst_sensor_stream_lane_unref (b);
  g_mutex_clear (&log.lock);
  g_cond_clear (&log.cond);
}

GST_END_TEST;

/* A flushing lane refuses pushes and drops what it holds. */
GST_START_TEST (test_pool_lane_flushing)
{
  GstSensorStreamPool *pool = gst_sensor_stream_pool_new (1);
  GstSensorStreamLane *lane;
  GstSensorHandoffQueueStats qs;
  LaneData d;
  LaneLog log;

  memset (&log, 0, sizeof (log));
  g_mutex_init (&log.lock);
  g_cond_init (&log.cond);
  d.log = &log;
  d.index = 0;
  lane = gst_sensor_stream_lane_new (pool, 4, log_item, &d);
  /* a new lane is flushing */
  fail_if (gst_sensor_stream_lane_push (lane, offset_buffer (0)));
  gst_sensor_stream_lane_set_flushing (lane, FALSE);
  fail_unless (gst_sensor_stream_lane_push (lane, offset_buffer (1)));
  wait_total (&log, 1);
  gst_sensor_stream_lane_set_flushing (lane, TRUE);
  fail_if (gst_sensor_stream_lane_push (lane, offset_buffer (2)));
  gst_sensor_stream_lane_get_stats (lane, &qs);
  fail_unless_equals_int (qs.items, 0);
  gst_sensor_stream_pool_free (pool);
  gst_sensor_stream_lane_unref (lane);
  g_mutex_clear (&log.lock);
  g_cond_clear (&log.cond);
}

GST_END_TEST;

static Suite *
sensorstream_suite (void)
{
  Suite *s = suite_create ("sensorstream");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_validation_table);
  tcase_add_test (tc, test_valid_reading_values);
  tcase_add_test (tc, test_every_bad_field_reported);
  tcase_add_test (tc, test_bad_bodies);
  tcase_add_test (tc, test_strict_json_bodies);
  tcase_add_test (tc, test_mac_normalisation);
  tcase_add_test (tc, test_rate_limit_sequence);
  tcase_add_test (tc, test_rate_limit_prunes_idle_devices);
  tcase_add_test (tc, test_batch);
  tcase_add_test (tc, test_batch_shape_errors);
  tcase_add_test (tc, test_flat_reader_matches_json_glib);
  tcase_add_test (tc, test_flat_batch_matches_json_glib);
  tcase_add_test (tc, test_response_bodies);
  tcase_add_test (tc, test_iso8601_matches_gdatetime);
  tcase_add_test (tc, test_answers_match_reference);
  tcase_add_test (tc, test_health_score);
  tcase_add_test (tc, test_fall_levels);
  tcase_add_test (tc, test_fall_free_fall_and_tumble_detected);
  tcase_add_test (tc, test_fall_walking_not_detected);
  tcase_add_test (tc, test_fall_presets_and_devices);
  tcase_add_test (tc, test_pool_order_per_lane);
  tcase_add_test (tc, test_pool_blocked_lane_drops_its_own);
  tcase_add_test (tc, test_pool_lane_flushing);
  return s;
}

GST_CHECK_MAIN (sensorstream);
