/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <json-glib/json-glib.h>

#include "plexus-stream.h"
#include "plexus-base64.h"

const gchar *
gst_plexus_stream_name (GstPlexusStream stream)
{
  switch (stream) {
    case GST_PLEXUS_STREAM_METRICS:
      return "metrics";
    case GST_PLEXUS_STREAM_LOGS:
      return "logs";
    case GST_PLEXUS_STREAM_VIDEO:
      return "video";
  }
  return "unknown";
}

static void
append_param (GString *query, const gchar *name, const gchar *value)
{
  g_autofree gchar *esc = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (query, query->len ? '&' : '?');
  g_string_append_printf (query, "%s=%s", name, esc);
}

gchar *
gst_plexus_stream_uri (const gchar *location, const gchar *source_id,
    GstPlexusStream stream, const gchar *const *metrics,
    const gchar *const *cameras, guint timeout_s, GError **error)
{
  g_autoptr (GUri) base = NULL;
  g_autoptr (GString) path = NULL;
  g_autoptr (GString) query = g_string_new (NULL);
  g_autofree gchar *src_esc = NULL;
  const gchar *scheme;
  const gchar *base_path;
  GUri *uri;
  gchar *str;

  base = g_uri_parse (location ? location : GST_PLEXUS_DEFAULT_LOCATION,
      G_URI_FLAGS_NONE, error);
  if (!base)
    return NULL;
  scheme = g_uri_get_scheme (base);
  if (g_ascii_strcasecmp (scheme, "https") == 0 ||
      g_ascii_strcasecmp (scheme, "wss") == 0)
    scheme = "wss";
  else if (g_ascii_strcasecmp (scheme, "http") == 0 ||
      g_ascii_strcasecmp (scheme, "ws") == 0)
    scheme = "ws";
  else {
    g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_SCHEME,
        "location must be ws://, wss://, http:// or https://, not %s://",
        scheme);
    return NULL;
  }

  base_path = g_uri_get_path (base);
  path = g_string_new (base_path);
  while (path->len > 0 && path->str[path->len - 1] == '/')
    g_string_truncate (path, path->len - 1);
  src_esc = g_uri_escape_string (source_id ? source_id : "", NULL, FALSE);
  g_string_append_printf (path, "/v1/sources/%s/%s/stream", src_esc,
      gst_plexus_stream_name (stream));

  if (stream == GST_PLEXUS_STREAM_METRICS && metrics && metrics[0]) {
    g_autofree gchar *joined = g_strjoinv (",", (gchar **) metrics);

    append_param (query, "metrics", joined);
  }
  if (stream == GST_PLEXUS_STREAM_VIDEO) {
    for (; cameras && *cameras; cameras++)
      append_param (query, "camera_id", *cameras);
    if (timeout_s > 0) {
      g_autofree gchar *t = g_strdup_printf ("%u", timeout_s);

      append_param (query, "timeout", t);
    }
  }

  /* path and query are already escaped */
  uri = g_uri_build (G_URI_FLAGS_ENCODED, scheme, NULL, g_uri_get_host (base),
      g_uri_get_port (base), path->str, query->len ? query->str + 1 : NULL,
      NULL);
  str = g_uri_to_string (uri);
  g_uri_unref (uri);
  return str;
}

GBytes *
gst_plexus_auth_frame_new (const gchar *api_key)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  gchar *text;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "auth");
  json_builder_set_member_name (b, "api_key");
  json_builder_add_string_value (b, api_key ? api_key : "");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

gboolean
gst_plexus_api_key_is_well_formed (const gchar *api_key)
{
  return api_key && g_str_has_prefix (api_key, "plx_") &&
      strlen (api_key) == GST_PLEXUS_API_KEY_LENGTH;
}

static const GstPlexusCloseCode close_codes[] = {
  { 4401, GST_PLEXUS_STREAM_METRICS, GST_PLEXUS_CLOSE_UNAUTHORIZED,
      "unauthorized" },
  { 4402, GST_PLEXUS_STREAM_METRICS, GST_PLEXUS_CLOSE_PAYMENT_REQUIRED,
      "payment required" },
  { 4001, GST_PLEXUS_STREAM_VIDEO, GST_PLEXUS_CLOSE_UNAUTHORIZED,
      "unauthorized" },
  { 4002, GST_PLEXUS_STREAM_VIDEO, GST_PLEXUS_CLOSE_PAYMENT_REQUIRED,
      "payment required" },
  { 4008, GST_PLEXUS_STREAM_VIDEO, GST_PLEXUS_CLOSE_STREAM_TIMEOUT,
      "stream timeout" },
  /* the direct gateway closes a failed auth with policy violation */
  { 1008, GST_PLEXUS_STREAM_METRICS, GST_PLEXUS_CLOSE_UNAUTHORIZED,
      "auth failed" },
  { 1011, GST_PLEXUS_STREAM_METRICS, GST_PLEXUS_CLOSE_RECONNECT,
      "gateway error" },
  {
      0,
  }
};

const GstPlexusCloseCode *
gst_plexus_close_codes (void)
{
  return close_codes;
}

GstPlexusCloseAction
gst_plexus_close_classify (GstPlexusStream stream, gushort code)
{
  const GstPlexusCloseCode *c;

  for (c = close_codes; c->code; c++)
    if (c->code == code)
      return c->action;
  return GST_PLEXUS_CLOSE_RECONNECT;
}

gushort
gst_plexus_close_code_unauthorized (GstPlexusStream stream)
{
  return stream == GST_PLEXUS_STREAM_VIDEO ? 4001 : 4401;
}

gushort
gst_plexus_close_code_payment_required (GstPlexusStream stream)
{
  return stream == GST_PLEXUS_STREAM_VIDEO ? 4002 : 4402;
}

const gchar *
gst_plexus_close_action_name (GstPlexusCloseAction action)
{
  switch (action) {
    case GST_PLEXUS_CLOSE_RECONNECT:
      return "reconnect";
    case GST_PLEXUS_CLOSE_UNAUTHORIZED:
      return "unauthorized";
    case GST_PLEXUS_CLOSE_PAYMENT_REQUIRED:
      return "payment-required";
    case GST_PLEXUS_CLOSE_STREAM_TIMEOUT:
      return "stream-timeout";
  }
  return "unknown";
}
