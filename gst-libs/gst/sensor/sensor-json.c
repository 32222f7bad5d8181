/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A single-pass, non-recursive RFC 8259 check in front of json-glib. See
 * sensor-json.h for the rule.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensor-json.h"

#include <math.h>
#include <string.h>

/**
 * gst_sensor_json_error_quark:
 *
 * Returns: the #GQuark of %GST_SENSOR_JSON_ERROR
 */
G_DEFINE_QUARK (gst - sensor - json - error - quark, gst_sensor_json_error)

typedef enum {
  STATE_VALUE,       /* a value must come */
  STATE_FIRST_VALUE, /* after '[': a value or ']' */
  STATE_FIRST_KEY,   /* after '{': a member name or '}' */
  STATE_KEY,         /* after ',' in an object */
  STATE_COLON,       /* after a member name */
  STATE_NEXT,        /* after a value in a container: ',' or the close */
  STATE_END,         /* after the top-level value: nothing but whitespace */
} State;

typedef struct
{
  const guchar *data;
  gsize len;
  gsize p;
  /* set when a \u0000 escape was seen and a rewrite was asked for */
  gchar **rewrite;
  gsize *error_offset;
  GError **error;
} Checker;

static gboolean G_GNUC_PRINTF (4, 5) fail (
    Checker *c, GstSensorJsonError code, gsize offset, const gchar *format, ...)
{
  va_list args;
  gchar *what;

  if (c->error_offset)
    *c->error_offset = offset;
  if (c->error == NULL)
    return FALSE;
  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (c->error, GST_SENSOR_JSON_ERROR, code,
      "%s at byte %" G_GSIZE_FORMAT, what, offset);
  g_free (what);
  return FALSE;
}

/* One byte for a message: printable ASCII as itself, anything else as hex. */
static const gchar *
describe_byte (guchar b, gchar buf[8])
{
  if (b >= 0x20 && b < 0x7f)
    g_snprintf (buf, 8, "'%c'", b);
  else
    g_snprintf (buf, 8, "0x%02x", b);
  return buf;
}

static gboolean
unexpected (Checker *c, const gchar *expected)
{
  gchar buf[8];
  guchar b = c->data[c->p];

  if (b == '/' && c->p + 1 < c->len &&
      (c->data[c->p + 1] == '*' || c->data[c->p + 1] == '/'))
    return fail (
        c, GST_SENSOR_JSON_ERROR_SYNTAX, c->p, "comments are not JSON");
  if (b == '\'')
    return fail (c, GST_SENSOR_JSON_ERROR_SYNTAX, c->p,
        "single-quoted strings are not JSON");
  return fail (c, GST_SENSOR_JSON_ERROR_SYNTAX, c->p,
      "unexpected %s, expected %s", describe_byte (b, buf), expected);
}

static inline gboolean
is_ws (guchar b)
{
  return b == ' ' || b == '\t' || b == '\n' || b == '\r';
}

static inline gboolean
is_digit (guchar b)
{
  return b >= '0' && b <= '9';
}

static gint
hex_value (guchar b)
{
  if (b >= '0' && b <= '9')
    return b - '0';
  if (b >= 'a' && b <= 'f')
    return b - 'a' + 10;
  if (b >= 'A' && b <= 'F')
    return b - 'A' + 10;
  return -1;
}

/* \uXXXX at c->p (the backslash); the code unit, or -1 */
static gint
read_u_escape (Checker *c, gsize at)
{
  gint v = 0, i;

  if (at + 6 > c->len || c->data[at] != '\\' || c->data[at + 1] != 'u')
    return -1;
  for (i = 2; i < 6; i++) {
    gint h = hex_value (c->data[at + i]);

    if (h < 0)
      return -1;
    v = (v << 4) | h;
  }
  return v;
}

/* The length of the UTF-8 sequence at @at (RFC 3629), or 0 when invalid. */
static gsize
utf8_sequence (const guchar *s, gsize avail)
{
  guchar b = s[0], lo = 0x80, hi = 0xbf;
  gsize n, i;

  if (b >= 0xc2 && b <= 0xdf)
    n = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    n = 3;
    if (b == 0xe0)
      lo = 0xa0; /* overlong */
    else if (b == 0xed)
      hi = 0x9f; /* surrogates */
  } else if (b >= 0xf0 && b <= 0xf4) {
    n = 4;
    if (b == 0xf0)
      lo = 0x90; /* overlong */
    else if (b == 0xf4)
      hi = 0x8f; /* past U+10FFFF */
  } else
    return 0;
  if (avail < n)
    return 0;
  if (s[1] < lo || s[1] > hi)
    return 0;
  for (i = 2; i < n; i++)
    if (s[i] < 0x80 || s[i] > 0xbf)
      return 0;
  return n;
}

/* At the opening quote; leaves c->p after the closing one. */
static gboolean
check_string (Checker *c)
{
  gsize start = c->p;

  c->p++;
  while (c->p < c->len) {
    guchar b = c->data[c->p];

    if (b == '"') {
      c->p++;
      return TRUE;
    }
    if (b < 0x20) {
      return fail (c, GST_SENSOR_JSON_ERROR_SYNTAX, c->p,
          "control character 0x%02x in a string", b);
    }
    if (b >= 0x80) {
      gsize n = utf8_sequence (c->data + c->p, c->len - c->p);

      if (n == 0)
        return fail (c, GST_SENSOR_JSON_ERROR_SYNTAX, c->p, "invalid UTF-8");
      c->p += n;
      continue;
    }
    if (b != '\\') {
      c->p++;
      continue;
    }
    if (c->p + 1 >= c->len)
      break;
    switch (c->data[c->p + 1]) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        c->p += 2;
        break;
      case 'u': {
        gint u = read_u_escape (c, c->p);

        if (u < 0)
          return fail (c, GST_SENSOR_JSON_ERROR_SYNTAX, c->p,
              "\\u needs four hex digits");
        if (u >= 0xdc00 && u <= 0xdfff)
          return fail (c, GST_SENSOR_JSON_ERROR_SYNTAX, c->p,
              "lone low surrogate \\u%04x", (guint) u);
        if (u >= 0xd800 && u <= 0xdbff) {
          gint lo = read_u_escape (c, c->p + 6);

          if (lo < 0xdc00 || lo > 0xdfff)
            return fail (c, GST_SENSOR_JSON_ERROR_SYNTAX, c->p,
                "lone high surrogate \\u%04x", (guint) u);
          c->p += 12;
          break;
        }
        if (u == 0 && c->rewrite) {
          if (*c->rewrite == NULL)
            *c->rewrite = g_memdup2 (c->data, c->len);
          memcpy (*c->rewrite + c->p, "\\ufffd", 6);
        }
        c->p += 6;
        break;
      }
      default: {
        gchar buf[8];

        return fail (c, GST_SENSOR_JSON_ERROR_SYNTAX, c->p,
            "invalid escape \\%s in a string",
            describe_byte (c->data[c->p + 1], buf));
      }
    }
  }
  return fail (c, GST_SENSOR_JSON_ERROR_SYNTAX, start, "unterminated string");
}

static gboolean
check_number (Checker *c)
{
  const guchar *d = c->data;
  gsize start = c->p, int_start, int_end, frac_start = 0, frac_end = 0;
  gboolean negative = FALSE, integer = TRUE;
  gint64 exponent = 0;
  gint64 decimal_exponent;

  if (d[c->p] == '-') {
    negative = TRUE;
    c->p++;
  }
  if (c->p >= c->len || !is_digit (d[c->p])) {
    if (c->p >= c->len)
      return fail (c, GST_SENSOR_JSON_ERROR_SYNTAX, c->p,
          "unexpected end of input, expected a digit");
    return unexpected (c, "a digit");
  }
  int_start = c->p;
  if (d[c->p] == '0') {
    c->p++;
    if (c->p < c->len && is_digit (d[c->p]))
      return fail (
          c, GST_SENSOR_JSON_ERROR_SYNTAX, start, "number with a leading zero");
  } else {
    while (c->p < c->len && is_digit (d[c->p]))
      c->p++;
  }
  int_end = c->p;
  if (c->p < c->len && d[c->p] == '.') {
    integer = FALSE;
    c->p++;
    frac_start = c->p;
    if (c->p >= c->len || !is_digit (d[c->p]))
      return fail (
          c, GST_SENSOR_JSON_ERROR_SYNTAX, c->p, "expected a digit after '.'");
    while (c->p < c->len && is_digit (d[c->p]))
      c->p++;
    frac_end = c->p;
  }
  if (c->p < c->len && (d[c->p] == 'e' || d[c->p] == 'E')) {
    gboolean exp_negative = FALSE;

    integer = FALSE;
    c->p++;
    if (c->p < c->len && (d[c->p] == '+' || d[c->p] == '-')) {
      exp_negative = d[c->p] == '-';
      c->p++;
    }
    if (c->p >= c->len || !is_digit (d[c->p]))
      return fail (c, GST_SENSOR_JSON_ERROR_SYNTAX, c->p,
          "expected a digit in the exponent");
    while (c->p < c->len && is_digit (d[c->p])) {
      /* saturate well past any text length, well inside gint64 */
      if (exponent < G_GINT64_CONSTANT (1000000000000000))
        exponent = exponent * 10 + (d[c->p] - '0');
      c->p++;
    }
    if (exp_negative)
      exponent = -exponent;
  }
  /* `0x48`, `1a`, `1.2.3`: one token that is not a number */
  if (c->p < c->len &&
      (g_ascii_isalnum (d[c->p]) || d[c->p] == '.' || d[c->p] == '+' ||
          d[c->p] == '-' || d[c->p] == '_')) {
    gchar buf[8];

    return fail (c, GST_SENSOR_JSON_ERROR_SYNTAX, c->p,
        "unexpected %s in a number", describe_byte (d[c->p], buf));
  }

  if (integer) {
    /* json-glib wraps integers past 64 bits without a word */
    const gchar *limit =
        negative ? "9223372036854775808" : "9223372036854775807";
    gsize n = int_end - int_start;

    if (n > 19 || (n == 19 && memcmp (d + int_start, limit, 19) > 0))
      return fail (c, GST_SENSOR_JSON_ERROR_SYNTAX, start,
          "integer out of the 64-bit range");
    return TRUE;
  }

  /* the power of ten of the first significant digit */
  if (!(int_end - int_start == 1 && d[int_start] == '0')) {
    decimal_exponent = (gint64) (int_end - int_start) - 1 + exponent;
  } else {
    gsize i = frac_start;

    while (i < frac_end && d[i] == '0')
      i++;
    if (i == frac_end)
      return TRUE; /* zero */
    decimal_exponent = -(gint64) (i - frac_start) - 1 + exponent;
  }
  if (decimal_exponent < 308)
    return TRUE;
  if (decimal_exponent == 308) {
    gchar *text = g_strndup ((const gchar *) d + start, c->p - start);
    gdouble v = g_ascii_strtod (text, NULL);

    g_free (text);
    if (isfinite (v))
      return TRUE;
  }
  return fail (
      c, GST_SENSOR_JSON_ERROR_SYNTAX, start, "number out of the double range");
}

static gboolean
check_literal (Checker *c)
{
  static const gchar *const words[] = { "true", "false", "null" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (words); i++) {
    gsize n = strlen (words[i]);

    if (words[i][0] != c->data[c->p])
      continue;
    if (c->len - c->p >= n && memcmp (c->data + c->p, words[i], n) == 0 &&
        (c->p + n == c->len || !g_ascii_isalnum (c->data[c->p + n]))) {
      c->p += n;
      return TRUE;
    }
    break;
  }
  return fail (c, GST_SENSOR_JSON_ERROR_SYNTAX, c->p,
      "invalid literal, expected true, false or null");
}

static gboolean
check (const gchar *data, gsize len, const GstSensorJsonLimits *limits,
    gchar **rewrite, gsize *error_offset, GError **error)
{
  Checker c = { (const guchar *) data, len, 0, rewrite, error_offset, error };
  guint max_depth = GST_SENSOR_JSON_DEFAULT_MAX_DEPTH, depth = 0;
  gsize max_size = GST_SENSOR_JSON_DEFAULT_MAX_SIZE;
  /* one bit per open container: 1 = object */
  guint8 local_stack[16], *stack = local_stack;
  State state = STATE_VALUE;
  gboolean ok = FALSE;

  if (limits && limits->max_depth > 0)
    max_depth = limits->max_depth;
  if (limits && limits->max_size > 0)
    max_size = limits->max_size;
  max_size = MIN (max_size, (gsize) G_MAXSSIZE);

  if (data == NULL && len > 0)
    return fail (&c, GST_SENSOR_JSON_ERROR_SYNTAX, 0, "no data");
  if (len > max_size)
    return fail (&c, GST_SENSOR_JSON_ERROR_TOO_LARGE, max_size,
        "JSON text of %" G_GSIZE_FORMAT
        " bytes is over the limit of %" G_GSIZE_FORMAT " bytes",
        len, max_size);
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    return fail (&c, GST_SENSOR_JSON_ERROR_SYNTAX, 0,
        "byte order mark before the value");
  if ((max_depth + 7) / 8 > sizeof (local_stack))
    stack = g_malloc ((max_depth + 7) / 8);

  for (;;) {
    guchar b;

    while (c.p < len && is_ws (c.data[c.p]))
      c.p++;
    if (c.p >= len) {
      if (state == STATE_END)
        ok = TRUE;
      else
        fail (&c, GST_SENSOR_JSON_ERROR_SYNTAX, len,
            depth == 0 && state == STATE_VALUE ? "no JSON value" :
                                                 "unexpected end of input");
      break;
    }
    b = c.data[c.p];

    switch (state) {
      case STATE_FIRST_VALUE:
        if (b == ']') {
          c.p++;
          depth--;
          state = depth == 0 ? STATE_END : STATE_NEXT;
          continue;
        }
        /* fall through */
      case STATE_VALUE:
        if (b == '[' || b == '{') {
          if (depth >= max_depth) {
            fail (&c, GST_SENSOR_JSON_ERROR_TOO_DEEP, c.p,
                "nesting deeper than %u", max_depth);
            goto done;
          }
          if (b == '{')
            stack[depth / 8] |= 1 << (depth % 8);
          else
            stack[depth / 8] &= ~(1 << (depth % 8));
          depth++;
          c.p++;
          state = b == '{' ? STATE_FIRST_KEY : STATE_FIRST_VALUE;
          continue;
        }
        if (b == '"') {
          if (!check_string (&c))
            goto done;
        } else if (b == '-' || is_digit (b)) {
          if (!check_number (&c))
            goto done;
        } else if (b == 't' || b == 'f' || b == 'n') {
          if (!check_literal (&c))
            goto done;
        } else {
          unexpected (&c, "a value");
          goto done;
        }
        state = depth == 0 ? STATE_END : STATE_NEXT;
        continue;
      case STATE_FIRST_KEY:
        if (b == '}') {
          c.p++;
          depth--;
          state = depth == 0 ? STATE_END : STATE_NEXT;
          continue;
        }
        /* fall through */
      case STATE_KEY:
        if (b != '"') {
          unexpected (&c, "a member name");
          goto done;
        }
        if (!check_string (&c))
          goto done;
        state = STATE_COLON;
        continue;
      case STATE_COLON:
        if (b != ':') {
          unexpected (&c, "':'");
          goto done;
        }
        c.p++;
        state = STATE_VALUE;
        continue;
      case STATE_NEXT: {
        gboolean object = (stack[(depth - 1) / 8] >> ((depth - 1) % 8)) & 1;

        if (b == ',') {
          c.p++;
          state = object ? STATE_KEY : STATE_VALUE;
          continue;
        }
        if (b == (object ? '}' : ']')) {
          c.p++;
          depth--;
          state = depth == 0 ? STATE_END : STATE_NEXT;
          continue;
        }
        unexpected (&c, object ? "',' or '}'" : "',' or ']'");
        goto done;
      }
      case STATE_END:
        unexpected (&c, "the end after the value");
        goto done;
    }
  }

done:
  if (stack != local_stack)
    g_free (stack);
  if (!ok && rewrite)
    g_clear_pointer (rewrite, g_free);
  return ok;
}

/**
 * gst_sensor_json_validate:
 * @data: (array length=len) (nullable): the text
 * @len: its size in bytes
 * @limits: (nullable): bounds, %NULL for the defaults
 * @error_offset: (out) (optional): where the text stopped being valid
 * @error: a #GError in %GST_SENSOR_JSON_ERROR
 *
 * Checks that @data is one RFC 8259 JSON text within @limits (see the
 * section description for the exact rule), in one pass without recursion,
 * so any input is safe to give it.
 *
 * Returns: %TRUE when json-glib may be given @data
 */
gboolean
gst_sensor_json_validate (const gchar *data, gsize len,
    const GstSensorJsonLimits *limits, gsize *error_offset, GError **error)
{
  return check (data, len, limits, NULL, error_offset, error);
}

/**
 * gst_sensor_json_parse:
 * @data: (array length=len) (nullable): the text, from a peer
 * @len: its size in bytes
 * @limits: (nullable): bounds, %NULL for the defaults
 * @error: a #GError in %GST_SENSOR_JSON_ERROR
 *
 * gst_sensor_json_validate(), then json-glib on what passed, with each
 * `\u0000` escape read as U+FFFD. The tree is mutable; seal it with
 * json_node_seal() to share it.
 *
 * Returns: (transfer full) (nullable): the root node, or %NULL with @error
 *   set
 */
JsonNode *
gst_sensor_json_parse (const gchar *data, gsize len,
    const GstSensorJsonLimits *limits, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) json_error = NULL;
  g_autofree gchar *rewritten = NULL;
  JsonNode *root;

  if (!check (data, len, limits, &rewritten, NULL, error))
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (
          parser, rewritten ? rewritten : data, (gssize) len, &json_error)) {
    /* the check should have caught it: a json-glib limit we do not know */
    g_set_error (error, GST_SENSOR_JSON_ERROR, GST_SENSOR_JSON_ERROR_SYNTAX,
        "json-glib refused it: %s at byte 0", json_error->message);
    return NULL;
  }
  root = json_parser_steal_root (parser);
  if (root == NULL)
    g_set_error (error, GST_SENSOR_JSON_ERROR, GST_SENSOR_JSON_ERROR_SYNTAX,
        "no JSON value at byte 0");
  return root;
}

/**
 * gst_sensor_json_builder_to_string:
 * @builder: (transfer none): a builder that has closed its outermost value
 *
 * The text every document this project writes goes out as: no spaces, no
 * newlines, as json_to_string() writes it. The builder keeps its root.
 *
 * Returns: (transfer full) (nullable): the builder's root as compact JSON,
 *   %NULL while @builder holds no complete value
 */
gchar *
gst_sensor_json_builder_to_string (JsonBuilder *builder)
{
  JsonNode *root;
  gchar *text;

  g_return_val_if_fail (JSON_IS_BUILDER (builder), NULL);
  root = json_builder_get_root (builder);
  if (root == NULL)
    return NULL;
  text = json_to_string (root, FALSE);
  json_node_unref (root);
  return text;
}
