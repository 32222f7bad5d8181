/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:ramen-event
 * @title: RAMEN events
 * @short_description: a RAMEN EventEnvelope as one application/x-json line
 *
 * Each event a RAMEN stream delivers becomes one line of JSON: its fields,
 * timestamps in RFC 3339 UTC, and its payload embedded as JSON when it is
 * UTF-8 JSON of bounded depth, as base64 otherwise.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "ramen-event.h"
#include "ramen-proto.h"

/**
 * gst_ramen_event_error_quark:
 *
 * Returns: the #GQuark of %GST_RAMEN_EVENT_ERROR
 */
G_DEFINE_QUARK (gst - ramen - event - error - quark, gst_ramen_event_error);

static void
append_json_string (GString *out, const gchar *s)
{
  const gchar *p;

  g_string_append_c (out, '"');
  for (p = s; *p; p++) {
    guchar c = *p;

    switch (c) {
      case '"':
        g_string_append (out, "\\\"");
        break;
      case '\\':
        g_string_append (out, "\\\\");
        break;
      case '\n':
        g_string_append (out, "\\n");
        break;
      case '\r':
        g_string_append (out, "\\r");
        break;
      case '\t':
        g_string_append (out, "\\t");
        break;
      default:
        if (c < 0x20)
          g_string_append_printf (out, "\\u%04x", c);
        else
          g_string_append_c (out, c);
    }
  }
  g_string_append_c (out, '"');
}

/* Integer formatting without printf: this runs once per event. */
static void
append_uint (GString *out, guint64 v, gint width)
{
  gchar buf[24];
  gint n = 0;

  do {
    buf[n++] = '0' + v % 10;
    v /= 10;
  } while (v);
  while (n < width)
    buf[n++] = '0';
  while (n > 0)
    g_string_append_c (out, buf[--n]);
}

static void
append_int (GString *out, gint64 v)
{
  if (v < 0) {
    g_string_append_c (out, '-');
    append_uint (out, -(guint64) v, 0);
  } else {
    append_uint (out, v, 0);
  }
}

/* Proleptic Gregorian date of a day count since 1970-01-01 (days from
 * civil, inverted); cheaper than a GDateTime per event. */
static void
civil_from_days (gint64 z, gint64 *y, guint *m, guint *d)
{
  gint64 era, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  yoe = z - era * 146097;
  yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
  doy = z - era * 146097 - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

/* Years 1..9999 as RFC 3339 UTC (the google.protobuf.Timestamp range);
 * anything else is null. */
static void
append_timestamp (GString *out, const Google__Protobuf__Timestamp *ts)
{
  const gint64 min_s = G_GINT64_CONSTANT (-62135596800);
  const gint64 max_s = G_GINT64_CONSTANT (253402300799);
  gint64 days, secs, year;
  guint month, day;

  if (ts == NULL || ts->seconds < min_s || ts->seconds > max_s ||
      ts->nanos < 0 || ts->nanos > 999999999) {
    g_string_append (out, "null");
    return;
  }
  days = ts->seconds / 86400;
  secs = ts->seconds % 86400;
  if (secs < 0) {
    secs += 86400;
    days--;
  }
  civil_from_days (days, &year, &month, &day);
  g_string_append_c (out, '"');
  append_uint (out, year, 4);
  g_string_append_c (out, '-');
  append_uint (out, month, 2);
  g_string_append_c (out, '-');
  append_uint (out, day, 2);
  g_string_append_c (out, 'T');
  append_uint (out, secs / 3600, 2);
  g_string_append_c (out, ':');
  append_uint (out, secs / 60 % 60, 2);
  g_string_append_c (out, ':');
  append_uint (out, secs % 60, 2);
  if (ts->nanos % 1000000 == 0 && ts->nanos != 0) {
    g_string_append_c (out, '.');
    append_uint (out, ts->nanos / 1000000, 3);
  } else if (ts->nanos != 0) {
    g_string_append_c (out, '.');
    append_uint (out, ts->nanos, 9);
  }
  g_string_append (out, "Z\"");
}

/* A strict RFC 8259 validator (the payload is embedded verbatim, so it
 * must be plain JSON, not what a lenient parser accepts), with bounded
 * nesting. UTF-8 is checked separately. */
typedef struct
{
  const guint8 *p, *end;
} Cursor;

static void
skip_ws (Cursor *c)
{
  while (c->p < c->end &&
      (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    c->p++;
}

static gboolean
accept_literal (Cursor *c, const gchar *lit)
{
  gsize n = strlen (lit);

  if ((gsize) (c->end - c->p) < n || memcmp (c->p, lit, n) != 0)
    return FALSE;
  c->p += n;
  return TRUE;
}

static gboolean
accept_digits (Cursor *c)
{
  const guint8 *start = c->p;

  while (c->p < c->end && g_ascii_isdigit (*c->p))
    c->p++;
  return c->p > start;
}

static gboolean
accept_number (Cursor *c)
{
  if (c->p < c->end && *c->p == '-')
    c->p++;
  if (c->p < c->end && *c->p == '0')
    c->p++;
  else if (!accept_digits (c))
    return FALSE;
  if (c->p < c->end && *c->p == '.') {
    c->p++;
    if (!accept_digits (c))
      return FALSE;
  }
  if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
    c->p++;
    if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
      c->p++;
    if (!accept_digits (c))
      return FALSE;
  }
  return TRUE;
}

static gboolean
accept_string (Cursor *c)
{
  c->p++; /* opening quote */
  while (c->p < c->end) {
    guint8 ch = *c->p++;

    if (ch == '"')
      return TRUE;
    if (ch < 0x20)
      return FALSE;
    if (ch >= 0x80) {
      /* outside strings only ASCII gets through, so checking UTF-8 here
       * checks the whole text */
      const gchar *seq = (const gchar *) c->p - 1;
      gunichar u = g_utf8_get_char_validated (seq, c->end - (c->p - 1));

      if (u == (gunichar) -1 || u == (gunichar) -2)
        return FALSE;
      c->p = (const guint8 *) g_utf8_next_char (seq);
      continue;
    }
    if (ch == '\\') {
      if (c->p >= c->end)
        return FALSE;
      ch = *c->p++;
      if (ch == 'u') {
        gint i;

        for (i = 0; i < 4; i++)
          if (c->p >= c->end || !g_ascii_isxdigit (*c->p++))
            return FALSE;
      } else if (!strchr ("\"\\/bfnrt", ch) || ch == 0) {
        return FALSE;
      }
    }
  }
  return FALSE;
}

static gboolean
accept_value (Cursor *c, guint depth)
{
  skip_ws (c);
  if (c->p >= c->end)
    return FALSE;
  switch (*c->p) {
    case '"':
      return accept_string (c);
    case 't':
      return accept_literal (c, "true");
    case 'f':
      return accept_literal (c, "false");
    case 'n':
      return accept_literal (c, "null");
    case '[':
    case '{': {
      gboolean object = *c->p == '{';
      guint8 close = object ? '}' : ']';

      if (depth >= GST_RAMEN_PAYLOAD_MAX_DEPTH)
        return FALSE;
      c->p++;
      skip_ws (c);
      if (c->p < c->end && *c->p == close) {
        c->p++;
        return TRUE;
      }
      for (;;) {
        if (object) {
          skip_ws (c);
          if (c->p >= c->end || *c->p != '"' || !accept_string (c))
            return FALSE;
          skip_ws (c);
          if (c->p >= c->end || *c->p++ != ':')
            return FALSE;
        }
        if (!accept_value (c, depth + 1))
          return FALSE;
        skip_ws (c);
        if (c->p >= c->end)
          return FALSE;
        if (*c->p == ',') {
          c->p++;
          continue;
        }
        if (*c->p++ == close)
          return TRUE;
        return FALSE;
      }
    }
    default:
      return accept_number (c);
  }
}

static gboolean
is_json (const guint8 *data, gsize len)
{
  Cursor c = { data, data + len };

  if (len == 0 || !accept_value (&c, 0))
    return FALSE;
  skip_ws (&c);
  return c.p == c.end;
}

/**
 * gst_ramen_payload_kind:
 * @data: (array length=len) (nullable): a payload
 * @len: its size in bytes
 *
 * Classifies @data as the converter would.
 *
 * Returns: how gst_ramen_event_to_json() writes it
 */
GstRamenPayloadKind
gst_ramen_payload_kind (const guint8 *data, gsize len)
{
  if (len == 0)
    return GST_RAMEN_PAYLOAD_NONE;
  return is_json (data, len) ? GST_RAMEN_PAYLOAD_JSON :
                               GST_RAMEN_PAYLOAD_BASE64;
}

static gboolean
str_ok (const gchar *s)
{
  return s == NULL || g_utf8_validate (s, -1, NULL);
}

static const gchar *
str_or_empty (const gchar *s)
{
  return s ? s : "";
}

/**
 * gst_ramen_event_to_json:
 * @event: an event
 * @out: the string to append to
 * @kind: (out) (optional): how the payload was written
 * @error: a #GError in %GST_RAMEN_EVENT_ERROR
 *
 * Appends one event as a single-line JSON object plus "\n" to @out:
 * event_id, seq, provider, event_type, raw_id, payload, payload_encoding,
 * created_at, attempt, first_sent_at, is_replay (timestamps in RFC 3339
 * UTC, null when absent). Fails, leaving @out untouched, when a string
 * field is not valid UTF-8.
 *
 * Returns: %FALSE with @error set, @out untouched
 */
gboolean
gst_ramen_event_to_json (const Ramen__V1__EventEnvelope *event, GString *out,
    GstRamenPayloadKind *kind, GError **error)
{
  const ProtobufCBinaryData *payload = &event->payload;
  GstRamenPayloadKind k = GST_RAMEN_PAYLOAD_NONE;

  if (!str_ok (event->event_id) || !str_ok (event->provider) ||
      !str_ok (event->event_type) || !str_ok (event->raw_id)) {
    g_set_error (error, GST_RAMEN_EVENT_ERROR,
        GST_RAMEN_EVENT_ERROR_INVALID_UTF8,
        "event seq %" G_GINT64_FORMAT " has a string field that is not "
        "valid UTF-8",
        (gint64) event->seq);
    return FALSE;
  }

  g_string_append (out, "{\"event_id\":");
  append_json_string (out, str_or_empty (event->event_id));
  g_string_append (out, ",\"seq\":");
  append_int (out, event->seq);
  g_string_append (out, ",\"provider\":");
  append_json_string (out, str_or_empty (event->provider));
  g_string_append (out, ",\"event_type\":");
  append_json_string (out, str_or_empty (event->event_type));
  g_string_append (out, ",\"raw_id\":");
  append_json_string (out, str_or_empty (event->raw_id));
  g_string_append (out, ",\"payload\":");
  if (payload->len > 0 && payload->data) {
    if (is_json (payload->data, payload->len)) {
      gsize start = out->len;
      gchar *p, *end;

      /* verbatim, so numbers keep their text; newlines can only be
       * whitespace here: blank them to keep one line */
      g_string_append_len (out, (const gchar *) payload->data, payload->len);
      end = out->str + out->len;
      for (p = out->str + start; (p = memchr (p, '\n', end - p)); p++)
        *p = ' ';
      for (p = out->str + start; (p = memchr (p, '\r', end - p)); p++)
        *p = ' ';
      k = GST_RAMEN_PAYLOAD_JSON;
    } else {
      gchar *b64 = g_base64_encode (payload->data, payload->len);

      g_string_append_c (out, '"');
      g_string_append (out, b64);
      g_string_append_c (out, '"');
      g_free (b64);
      k = GST_RAMEN_PAYLOAD_BASE64;
    }
  } else {
    g_string_append (out, "null");
  }
  g_string_append (out, ",\"payload_encoding\":");
  g_string_append (out,
      k == GST_RAMEN_PAYLOAD_JSON       ? "\"json\"" :
          k == GST_RAMEN_PAYLOAD_BASE64 ? "\"base64\"" :
                                          "null");
  g_string_append (out, ",\"created_at\":");
  append_timestamp (out, event->created_at);
  g_string_append (out, ",\"attempt\":");
  append_int (out, event->delivery ? event->delivery->attempt : 0);
  g_string_append (out, ",\"first_sent_at\":");
  append_timestamp (
      out, event->delivery ? event->delivery->first_sent_at : NULL);
  g_string_append (out,
      event->delivery && event->delivery->is_replay ?
          ",\"is_replay\":true}\n" :
          ",\"is_replay\":false}\n");
  if (kind)
    *kind = k;
  return TRUE;
}
