/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:plexus-stream
 * @title: Plexus streams
 * @short_description: stream URIs, the auth frame and close codes of the
 *   Plexus Data API
 *
 * The three live streams of a source (metrics, logs, video): where each is,
 * how a client authenticates (the first frame it sends) and what each close
 * code of the servers means: reconnect, fail, or end the stream.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <json-glib/json-glib.h>

#include "plexus-stream.h"
#include "plexus-base64.h"

/**
 * gst_plexus_stream_name:
 * @stream: a stream
 *
 * Returns: "metrics", "logs" or "video" ("unknown" for any other value)
 */
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

/**
 * gst_plexus_stream_uri:
 * @location: the API base: http(s):// and ws(s):// are both accepted, a
 *   trailing path is kept
 * @source_id: the source
 * @stream: which stream
 * @metrics: (nullable) (array zero-terminated=1): metrics stream: the
 *   metrics filter, joined with commas
 * @cameras: (nullable) (array zero-terminated=1): video stream: camera_id
 *   values, one parameter each
 * @timeout_s: video stream: the `timeout` parameter, 0 = the server's
 *   default
 * @error: a #GError in %GST_PLEXUS_ERROR
 *
 * Returns: (transfer full) (nullable):
 *   ws(s)://host[:port]/v1/sources/{id}/{metrics|logs|video}/stream with the
 *   query parameters of @stream, or %NULL with @error set when @location is
 *   not a URI
 */
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

/**
 * gst_plexus_auth_frame_new:
 * @api_key: the key
 *
 * Returns: (transfer full): the first frame a client sends,
 *   `{"type":"auth","api_key":"..."}`
 */
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

/**
 * gst_plexus_api_key_is_well_formed:
 * @api_key: (nullable): a key
 *
 * The servers' format check, made before connecting.
 *
 * Returns: whether @api_key starts with "plx_" and is
 *   %GST_PLEXUS_API_KEY_LENGTH characters long
 */
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

/**
 * gst_plexus_close_codes:
 *
 * Returns: (transfer none) (array zero-terminated=1): the documented close
 *   codes, terminated by a zero code
 */
const GstPlexusCloseCode *
gst_plexus_close_codes (void)
{
  return close_codes;
}

/**
 * gst_plexus_close_classify:
 * @stream: the stream the client reads
 * @code: the close code received
 *
 * Codes documented for another stream are honoured too: an unauthorised
 * close is fatal whoever sends it.
 *
 * Returns: what the close means; %GST_PLEXUS_CLOSE_RECONNECT for a code not
 *   in the table
 */
GstPlexusCloseAction
gst_plexus_close_classify (GstPlexusStream stream, gushort code)
{
  const GstPlexusCloseCode *c;

  for (c = close_codes; c->code; c++)
    if (c->code == code)
      return c->action;
  return GST_PLEXUS_CLOSE_RECONNECT;
}

/**
 * gst_plexus_close_code_unauthorized:
 * @stream: a stream
 *
 * Returns: the close code the server uses for a refused key on @stream
 *   (4001 for video, 4401 otherwise)
 */
gushort
gst_plexus_close_code_unauthorized (GstPlexusStream stream)
{
  return stream == GST_PLEXUS_STREAM_VIDEO ? 4001 : 4401;
}

/**
 * gst_plexus_close_code_payment_required:
 * @stream: a stream
 *
 * Returns: the close code the server uses for an account without credit on
 *   @stream (4002 for video, 4402 otherwise)
 */
gushort
gst_plexus_close_code_payment_required (GstPlexusStream stream)
{
  return stream == GST_PLEXUS_STREAM_VIDEO ? 4002 : 4402;
}

/**
 * gst_plexus_close_action_name:
 * @action: a close action
 *
 * Returns: the action's name for logs and messages
 */
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
