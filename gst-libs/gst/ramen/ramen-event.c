/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * RAMEN EventEnvelope -> application/x-json line.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <json-glib/json-glib.h>
#include <string.h>

#include "ramen-event.h"
#include "ramen-proto.h"

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

static void
append_timestamp (GString *out, const Google__Protobuf__Timestamp *ts)
{
  g_autoptr (GDateTime) dt = NULL;
  g_autofree gchar *base = NULL;

  if (ts == NULL ||
      (dt = g_date_time_new_from_unix_utc (ts->seconds)) == NULL ||
      ts->nanos < 0 || ts->nanos > 999999999) {
    g_string_append (out, "null");
    return;
  }
  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  g_string_append_c (out, '"');
  g_string_append (out, base);
  if (ts->nanos % 1000000 == 0 && ts->nanos != 0)
    g_string_append_printf (out, ".%03d", ts->nanos / 1000000);
  else if (ts->nanos != 0)
    g_string_append_printf (out, ".%09d", ts->nanos);
  g_string_append (out, "Z\"");
}

/* A cheap structural pre-check before the recursive parser: bounded
 * nesting, no comments and no raw control characters inside strings (which
 * a lenient parser might let through). Such a text can be embedded
 * verbatim once its newlines, which can then only be whitespace, are
 * blanked. */
static gboolean
plain_json_text (const guint8 *data, gsize len)
{
  gint depth = 0;
  gboolean in_string = FALSE, escaped = FALSE;
  gsize i;

  for (i = 0; i < len; i++) {
    guint8 c = data[i];

    if (in_string) {
      if (c < 0x20)
        return FALSE;
      if (escaped)
        escaped = FALSE;
      else if (c == '\\')
        escaped = TRUE;
      else if (c == '"')
        in_string = FALSE;
    } else if (c == '"') {
      in_string = TRUE;
    } else if (c == '/' || c == '#' || c == '\'') {
      return FALSE;
    } else if (c == '[' || c == '{') {
      if (++depth > GST_RAMEN_PAYLOAD_MAX_DEPTH)
        return FALSE;
    } else if (c == ']' || c == '}') {
      depth--;
    }
  }
  return TRUE;
}

static JsonNode *
parse_payload (const guint8 *data, gsize len)
{
  g_autoptr (JsonParser) parser = NULL;
  JsonNode *root;

  if (len == 0 || !g_utf8_validate ((const gchar *) data, len, NULL) ||
      !plain_json_text (data, len))
    return NULL;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, (const gchar *) data, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root ? json_node_ref (root) : NULL;
}

GstRamenPayloadKind
gst_ramen_payload_kind (const guint8 *data, gsize len)
{
  JsonNode *node;

  if (len == 0)
    return GST_RAMEN_PAYLOAD_NONE;
  node = parse_payload (data, len);
  if (node == NULL)
    return GST_RAMEN_PAYLOAD_BASE64;
  json_node_unref (node);
  return GST_RAMEN_PAYLOAD_JSON;
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

gboolean
gst_ramen_event_to_json (const Ramen__V1__EventEnvelope *event, GString *out,
    GstRamenPayloadKind *kind, GError **error)
{
  const ProtobufCBinaryData *payload = &event->payload;
  GstRamenPayloadKind k = GST_RAMEN_PAYLOAD_NONE;
  JsonNode *node = NULL;

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
  g_string_append_printf (
      out, ",\"seq\":%" G_GINT64_FORMAT ",\"provider\":", (gint64) event->seq);
  append_json_string (out, str_or_empty (event->provider));
  g_string_append (out, ",\"event_type\":");
  append_json_string (out, str_or_empty (event->event_type));
  g_string_append (out, ",\"raw_id\":");
  append_json_string (out, str_or_empty (event->raw_id));
  g_string_append (out, ",\"payload\":");
  if (payload->len > 0 && payload->data) {
    node = parse_payload (payload->data, payload->len);
    if (node) {
      gsize start = out->len, i;

      /* verbatim, so numbers keep their text; one line */
      g_string_append_len (out, (const gchar *) payload->data, payload->len);
      for (i = start; i < out->len; i++)
        if (out->str[i] == '\n' || out->str[i] == '\r')
          out->str[i] = ' ';
      json_node_unref (node);
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
  g_string_append_printf (out, ",\"attempt\":%d,\"first_sent_at\":",
      event->delivery ? event->delivery->attempt : 0);
  append_timestamp (
      out, event->delivery ? event->delivery->first_sent_at : NULL);
  g_string_append_printf (out, ",\"is_replay\":%s}\n",
      event->delivery && event->delivery->is_replay ? "true" : "false");
  if (kind)
    *kind = k;
  return TRUE;
}
