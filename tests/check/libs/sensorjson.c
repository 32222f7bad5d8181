/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The strict JSON pre-check (gst_sensor_json_validate) and the parse that
 * goes through it (gst_sensor_json_parse).
 */
#include <gst/check/gstcheck.h>
#include <gst/sensor/sensor-json.h>

#include <string.h>

#define OK -1
#define SYNTAX GST_SENSOR_JSON_ERROR_SYNTAX
#define DEEP GST_SENSOR_JSON_ERROR_TOO_DEEP
#define LARGE GST_SENSOR_JSON_ERROR_TOO_LARGE

typedef struct
{
  const gchar *text;
  gint code; /* OK or a GstSensorJsonError */
  gsize offset;
  const gchar *message; /* NULL: not checked */
} Case;

static const Case cases[] = {
  /* RFC 8259 texts */
  { "{}", OK },
  { "[]", OK },
  { "0", OK },
  { "-0", OK },
  { "1.5e3", OK },
  { "1E+2", OK },
  { "-0.0e-0", OK },
  { "\"s\"", OK },
  { "null", OK },
  { "true", OK },
  { "false", OK },
  { " \t\r\n[1 , 2]\n", OK },
  { "{\"a\":[1,{\"b\":null}],\"c\":\"\\u00e9\\ud834\\udd1e\"}", OK },
  { "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", OK },
  { "\"\\u0000\"", OK },
  { "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"", OK },
  { "9223372036854775807", OK },
  { "-9223372036854775808", OK },
  { "1e308", OK },
  { "1.7976931348623157e308", OK },
  { "1e-400", OK },
  { "0.0000e999999", OK },
  { "{\"\":1}", OK },
  { "{\"a\":1,\"a\":2}", OK },
  { "\"/* [[[[ */\"", OK },
  /* what json-glib takes and JSON is not */
  { "072", SYNTAX, 0, "number with a leading zero at byte 0" },
  { "[1,072]", SYNTAX, 3, "number with a leading zero at byte 3" },
  { "0x48", SYNTAX, 1, "unexpected 'x' in a number at byte 1" },
  { ".5e2", SYNTAX, 0, "unexpected '.', expected a value at byte 0" },
  { "+1", SYNTAX, 0, "unexpected '+', expected a value at byte 0" },
  { "NaN", SYNTAX, 0, NULL },
  { "-Infinity", SYNTAX, 1, "unexpected 'I', expected a digit at byte 1" },
  { "'x'", SYNTAX, 0, "single-quoted strings are not JSON at byte 0" },
  { "{\"a\":'x'}", SYNTAX, 5, "single-quoted strings are not JSON at byte 5" },
  { "[1]/*c*/", SYNTAX, 3, "comments are not JSON at byte 3" },
  { "/* x */ 1", SYNTAX, 0, "comments are not JSON at byte 0" },
  { "// x\n1", SYNTAX, 0, "comments are not JSON at byte 0" },
  { "\xef\xbb\xbf[1]", SYNTAX, 0,
      "byte order mark before the value at byte 0" },
  { "{}{}", SYNTAX, 2,
      "unexpected '{', expected the end after the value at byte 2" },
  { "[1] 2", SYNTAX, 4, NULL },
  { "", SYNTAX, 0, "no JSON value at byte 0" },
  { "   ", SYNTAX, 3, "no JSON value at byte 3" },
  { "[1,]", SYNTAX, 3, "unexpected ']', expected a value at byte 3" },
  { "{\"a\":1,}", SYNTAX, 7,
      "unexpected '}', expected a member name at byte 7" },
  { "{\"a\" 1}", SYNTAX, 5, "unexpected '1', expected ':' at byte 5" },
  { "{a:1}", SYNTAX, 1, NULL },
  { "[1}", SYNTAX, 2, "unexpected '}', expected ',' or ']' at byte 2" },
  { "{\"a\":1]", SYNTAX, 6, "unexpected ']', expected ',' or '}' at byte 6" },
  { "[1]]", SYNTAX, 3, NULL },
  { "[1", SYNTAX, 2, "unexpected end of input at byte 2" },
  { "\"abc", SYNTAX, 0, "unterminated string at byte 0" },
  { "\"a\tb\"", SYNTAX, 2, "control character 0x09 in a string at byte 2" },
  { "\"\\x41\"", SYNTAX, 1, "invalid escape \\'x' in a string at byte 1" },
  { "\"\\u12\"", SYNTAX, 1, "\\u needs four hex digits at byte 1" },
  { "\"\\ud800\"", SYNTAX, 1, "lone high surrogate \\ud800 at byte 1" },
  { "\"\\ud800\\u0041\"", SYNTAX, 1, NULL },
  { "\"\\udc00\"", SYNTAX, 1, "lone low surrogate \\udc00 at byte 1" },
  { "\"a\xc0\x80\"", SYNTAX, 2, "invalid UTF-8 at byte 2" },
  { "\"\xed\xa0\x80\"", SYNTAX, 1, "invalid UTF-8 at byte 1" },
  { "\"\xf4\x90\x80\x80\"", SYNTAX, 1, "invalid UTF-8 at byte 1" },
  { "\"\xff\"", SYNTAX, 1, "invalid UTF-8 at byte 1" },
  { "\"\xe2\x82\"", SYNTAX, 1, "invalid UTF-8 at byte 1" },
  { "tru", SYNTAX, 0,
      "invalid literal, expected true, false or null at byte 0" },
  { "True", SYNTAX, 0, NULL },
  { "nulll", SYNTAX, 0, NULL },
  { "12345678901234567890", SYNTAX, 0,
      "integer out of the 64-bit range at byte 0" },
  { "18446744073709551688", SYNTAX, 0, NULL },
  { "9223372036854775808", SYNTAX, 0, NULL },
  { "[-9223372036854775809]", SYNTAX, 1, NULL },
  { "1e309", SYNTAX, 0, "number out of the double range at byte 0" },
  { "1.8e308", SYNTAX, 0, NULL },
  { "1.", SYNTAX, 2, "expected a digit after '.' at byte 2" },
  { "1e", SYNTAX, 2, "expected a digit in the exponent at byte 2" },
  { "1e+", SYNTAX, 3, NULL },
  { "-", SYNTAX, 1, "unexpected end of input, expected a digit at byte 1" },
  { "--1", SYNTAX, 1, NULL },
};

static void
check_case (const gchar *text, gsize len, const GstSensorJsonLimits *limits,
    gint code, gsize offset, const gchar *message)
{
  GError *error = NULL;
  gsize at = G_MAXSIZE;
  gboolean ok = gst_sensor_json_validate (text, len, limits, &at, &error);

  if (code == OK) {
    fail_unless (ok, "%.60s: %s", text, error ? error->message : "");
    fail_unless (error == NULL);
    return;
  }
  fail_if (ok, "%.60s was accepted", text);
  fail_unless (error != NULL);
  fail_unless (g_error_matches (error, GST_SENSOR_JSON_ERROR, code),
      "%.60s: %s (code %d)", text, error->message, error->code);
  fail_unless_equals_uint64 (at, offset);
  if (message) {
    fail_unless_equals_string (error->message, message);
  } else {
    gchar suffix[40];

    g_snprintf (suffix, sizeof (suffix), " at byte %" G_GSIZE_FORMAT, offset);
    fail_unless (
        g_str_has_suffix (error->message, suffix), "%s", error->message);
  }
  g_error_free (error);
}

GST_START_TEST (test_validate_table)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    check_case (cases[i].text, strlen (cases[i].text), NULL, cases[i].code,
        cases[i].offset, cases[i].message);
  /* a NUL byte is no whitespace */
  check_case ("[1]\0", 4, NULL, SYNTAX, 3,
      "unexpected 0x00, expected the "
      "end after the value at byte 3");
  check_case ("[\"a\0\"]", 5, NULL, SYNTAX, 3, NULL);
  /* NULL is no text; nothing is nothing */
  check_case (NULL, 0, NULL, SYNTAX, 0, "no JSON value at byte 0");
}

GST_END_TEST;

static gchar *
repeat (const gchar *prefix, gchar c, gsize n, const gchar *suffix)
{
  GString *s = g_string_new (prefix);

  for (gsize i = 0; i < n; i++)
    g_string_append_c (s, c);
  g_string_append (s, suffix);
  return g_string_free (s, FALSE);
}

GST_START_TEST (test_validate_depth)
{
  GstSensorJsonLimits two = { 2, 0 };
  GstSensorJsonLimits huge = { 1u << 21, 4 * 1024 * 1024 };
  gchar *s;
  GString *nest;
  guint i;

  /* 64 levels pass, the 65th bracket is refused where it stands */
  nest = g_string_new (NULL);
  for (i = 0; i < 64; i++)
    g_string_append (nest, i % 2 ? "{\"k\":" : "[");
  g_string_append_c (nest, '0');
  for (i = 64; i-- > 0;)
    g_string_append (nest, i % 2 ? "}" : "]");
  check_case (nest->str, nest->len, NULL, OK, 0, NULL);
  g_string_insert_c (nest, 0, '[');
  g_string_append_c (nest, ']');
  check_case (nest->str, nest->len, NULL, DEEP, 188,
      "nesting deeper than 64 at byte 188");
  g_string_free (nest, TRUE);

  check_case ("[[1]]", 5, &two, OK, 0, NULL);
  check_case (
      "[{\"a\":[1]}]", 11, &two, DEEP, 6, "nesting deeper than 2 at byte 6");

  /* the body that overflows json-glib's stack */
  s = repeat ("", '[', 100000, "");
  check_case (s, strlen (s), NULL, DEEP, 64, NULL);
  g_free (s);
  /* the same brackets hidden from a bracket counter */
  s = repeat ("/*", '[', 100000, "*/");
  check_case (
      s, strlen (s), NULL, SYNTAX, 0, "comments are not JSON at byte 0");
  g_free (s);
  s = repeat ("/* \" */", '[', 100000, "");
  check_case (s, strlen (s), NULL, SYNTAX, 0, NULL);
  g_free (s);
  s = repeat ("'", '[', 100000, "'");
  check_case (s, strlen (s), NULL, SYNTAX, 0, NULL);
  g_free (s);
  s = repeat ("['", '[', 100000, "']");
  check_case (s, strlen (s), NULL, SYNTAX, 1, NULL);
  g_free (s);
  /* inside a real string the brackets are text */
  s = repeat ("[\"", '[', 100000, "\"]");
  check_case (s, strlen (s), NULL, OK, 0, NULL);
  g_free (s);

  /* 2^20 levels: the check itself does not recurse */
  nest = g_string_sized_new (2u << 20);
  for (i = 0; i < (1u << 20); i++)
    g_string_append_c (nest, '[');
  for (i = 0; i < (1u << 20); i++)
    g_string_append_c (nest, ']');
  check_case (nest->str, nest->len, &huge, OK, 0, NULL);
  check_case (nest->str, nest->len, NULL, LARGE, 1024 * 1024,
      "JSON text of 2097152 bytes is over the limit of 1048576 bytes at byte "
      "1048576");
  nest->str[nest->len - 1] = '}';
  check_case (nest->str, nest->len, &huge, SYNTAX, nest->len - 1, NULL);
  g_string_free (nest, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_validate_size)
{
  GstSensorJsonLimits ten = { 0, 10 };
  gchar *s;

  check_case ("[1,2,3,45]", 10, &ten, OK, 0, NULL);
  check_case ("[1,2,3,456]", 11, &ten, LARGE, 10,
      "JSON text of 11 bytes is over the limit of 10 bytes at byte 10");

  /* a string of a million bytes is fine under the default limit */
  s = repeat ("\"", 'a', 1000000, "\"");
  check_case (s, strlen (s), NULL, OK, 0, NULL);
  g_free (s);
  s = repeat ("\"", 'a', 1024 * 1024, "\"");
  check_case (s, strlen (s), NULL, LARGE, 1024 * 1024, NULL);
  g_free (s);
  /* an unterminated one is reported where it starts */
  s = repeat ("[1,\"", 'a', 500000, "");
  check_case (s, strlen (s), NULL, SYNTAX, 3, "unterminated string at byte 3");
  g_free (s);
  /* invalid UTF-8 at the end of a long string */
  s = repeat ("\"", 'a', 500000, "\xc3\"");
  check_case (s, strlen (s), NULL, SYNTAX, 500001, NULL);
  g_free (s);
}

GST_END_TEST;

GST_START_TEST (test_parse)
{
  GError *error = NULL;
  JsonNode *root;
  JsonObject *o;
  gchar *s;

  root = gst_sensor_json_parse (
      "{\"a\":[1,2.5,\"x\",true,null]}", 27, NULL, &error);
  fail_unless (
      root != NULL && error == NULL, "%s", error ? error->message : "");
  fail_unless (JSON_NODE_HOLDS_OBJECT (root));
  fail_unless_equals_int (json_array_get_length (json_object_get_array_member (
                              json_node_get_object (root), "a")),
      5);
  json_node_unref (root);

  /* no longer what json-glib would have made of it */
  root = gst_sensor_json_parse ("072", 3, NULL, &error);
  fail_unless (root == NULL);
  fail_unless (g_error_matches (
      error, GST_SENSOR_JSON_ERROR, GST_SENSOR_JSON_ERROR_SYNTAX));
  fail_unless_equals_string (
      error->message, "number with a leading zero at byte 0");
  g_clear_error (&error);

  root = gst_sensor_json_parse ("18446744073709551688", 20, NULL, &error);
  fail_unless (root == NULL);
  g_clear_error (&error);

  s = repeat ("", '[', 100000, "");
  root = gst_sensor_json_parse (s, strlen (s), NULL, &error);
  fail_unless (root == NULL);
  fail_unless (g_error_matches (
      error, GST_SENSOR_JSON_ERROR, GST_SENSOR_JSON_ERROR_TOO_DEEP));
  g_clear_error (&error);
  g_free (s);

  /* \u0000 becomes U+FFFD: nothing is cut short, keys included */
  s = g_strdup ("{\"id\":\"aabbccddeeff\\u0000zz\",\"k\\u0000ey\":1,"
                "\"e\":\"\\\\u0000\"}");
  root = gst_sensor_json_parse (s, strlen (s), NULL, &error);
  fail_unless (root != NULL, "%s", error ? error->message : "");
  o = json_node_get_object (root);
  fail_unless_equals_string (
      json_object_get_string_member (o, "id"), "aabbccddeeff\xef\xbf\xbdzz");
  fail_unless (json_object_has_member (o,
      "k\xef\xbf\xbd"
      "ey"));
  fail_if (json_object_has_member (o, "k"));
  /* an escaped backslash before u0000 is text, not an escape */
  fail_unless_equals_string (json_object_get_string_member (o, "e"), "\\u0000");
  /* the caller's text is left as it was */
  fail_unless (strstr (s, "\\u0000zz") != NULL);
  json_node_unref (root);
  g_free (s);

  /* the data needs no NUL terminator */
  root = gst_sensor_json_parse ("[1]]]]", 3, NULL, &error);
  fail_unless (root != NULL);
  json_node_unref (root);

  root = gst_sensor_json_parse (" ", 1, NULL, &error);
  fail_unless (root == NULL);
  fail_unless_equals_string (error->message, "no JSON value at byte 1");
  g_clear_error (&error);
}

GST_END_TEST;

/* Compact text of a builder's root, the bytes json_to_string() writes;
 * NULL while the builder holds no complete value. */
GST_START_TEST (test_builder_to_string)
{
  JsonBuilder *b = json_builder_new ();
  gchar *text;

  fail_unless (gst_sensor_json_builder_to_string (b) == NULL);
  json_builder_begin_object (b);
  fail_unless (gst_sensor_json_builder_to_string (b) == NULL);
  json_builder_set_member_name (b, "op");
  json_builder_add_string_value (b, "sub\"scribe");
  json_builder_set_member_name (b, "kinds");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, 7);
  json_builder_add_double_value (b, 0.5);
  json_builder_add_boolean_value (b, TRUE);
  json_builder_add_null_value (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  text = gst_sensor_json_builder_to_string (b);
  fail_unless_equals_string (
      text, "{\"op\":\"sub\\\"scribe\",\"kinds\":[7,0.5,true,null]}");
  g_free (text);
  /* the builder keeps its root: a second call gives the same bytes */
  text = gst_sensor_json_builder_to_string (b);
  fail_unless_equals_string (
      text, "{\"op\":\"sub\\\"scribe\",\"kinds\":[7,0.5,true,null]}");
  g_free (text);
  g_object_unref (b);
}

GST_END_TEST;

static Suite *
sensorjson_suite (void)
{
  Suite *s = suite_create ("sensorjson");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_validate_table);
  tcase_add_test (tc, test_validate_depth);
  tcase_add_test (tc, test_validate_size);
  tcase_add_test (tc, test_parse);
  tcase_add_test (tc, test_builder_to_string);
  return s;
}

GST_CHECK_MAIN (sensorjson);
