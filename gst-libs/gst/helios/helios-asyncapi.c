/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:helios-asyncapi
 * @title: HeliOS AsyncAPI
 * @short_description: the channels a device really serves, from its
 *   AsyncAPI document
 *
 * The AsyncAPI document HeliOS serves at /v1/asyncapi.json: which channels
 * the device really has, so a source can refuse an unknown one with the
 * real list.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "helios-asyncapi.h"

#include <gst/sensor/sensor-json.h>
#include <json-glib/json-glib.h>
#include <string.h>

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar *const *) a, *(const gchar *const *) b);
}

static void
add_name (GPtrArray *names, const gchar *name)
{
  guint i;

  for (i = 0; i < names->len; i++) {
    if (g_str_equal (g_ptr_array_index (names, i), name))
      return;
  }
  g_ptr_array_add (names, g_strdup (name));
}

/**
 * gst_helios_asyncapi_parse_channels:
 * @data: (array length=len): the document
 * @len: its size in bytes
 * @error: a #GError in %GST_HELIOS_ERROR
 *
 * The channel names of a served /v1/asyncapi.json (AsyncAPI 2.x `channels`
 * keys, or 3.x `address`es), sorted. NULL with GST_HELIOS_ERROR_PARSE when
 * it is not such a document.
 *
 * Returns: (transfer full) (nullable) (array zero-terminated=1): the names, or
 *   %NULL with @error set
 */
gchar **
gst_helios_asyncapi_parse_channels (
    const gchar *data, gsize len, GError **error)
{
  /* AsyncAPI schemas nest a little more than messages do */
  static const GstSensorJsonLimits limits = { 64, 16 * 1024 * 1024 };
  g_autoptr (GError) err = NULL;
  g_autoptr (JsonNode) root = NULL;
  GPtrArray *names;
  JsonNode *chan;
  JsonObject *obj;
  GList *members, *l;

  if (data == NULL || len == 0 || memchr (data, '\0', len) != NULL) {
    g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_PARSE,
        "empty AsyncAPI document");
    return NULL;
  }
  root = gst_sensor_json_parse (data, len, &limits, &err);
  if (root == NULL) {
    g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_PARSE,
        "AsyncAPI document is not JSON: %s", err->message);
    return NULL;
  }
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (chan = json_object_get_member (
           json_node_get_object (root), "channels")) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (chan)) {
    g_set_error (error, GST_HELIOS_ERROR, GST_HELIOS_ERROR_PARSE,
        "AsyncAPI document has no channels object");
    return NULL;
  }
  obj = json_node_get_object (chan);
  names = g_ptr_array_new ();
  members = json_object_get_members (obj);
  for (l = members; l; l = l->next) {
    JsonNode *c = json_object_get_member (obj, l->data);

    add_name (names, l->data);
    /* AsyncAPI 3: the key is an id and the address may be the name */
    if (c && JSON_NODE_HOLDS_OBJECT (c)) {
      JsonNode *addr =
          json_object_get_member (json_node_get_object (c), "address");

      if (addr && JSON_NODE_HOLDS_VALUE (addr) &&
          json_node_get_value_type (addr) == G_TYPE_STRING)
        add_name (names, json_node_get_string (addr));
    }
  }
  g_list_free (members);
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return (gchar **) g_ptr_array_free (names, FALSE);
}

static gboolean
name_matches (const gchar *listed, const gchar *requested)
{
  g_auto (GStrv) a = g_strsplit (listed, ".", -1);
  g_auto (GStrv) b = g_strsplit (requested, ".", -1);
  guint i;

  if (g_strv_length (a) != g_strv_length (b))
    return FALSE;
  for (i = 0; a[i]; i++) {
    gsize n = strlen (a[i]);

    if (n >= 2 && a[i][0] == '{' && a[i][n - 1] == '}') {
      if (b[i][0] == '\0')
        return FALSE;
      continue;
    }
    if (!g_str_equal (a[i], b[i]))
      return FALSE;
  }
  return TRUE;
}

/**
 * gst_helios_asyncapi_lists:
 * @channels: (array zero-terminated=1): listed channel names
 * @requested: a channel name
 *
 * Whether @requested ("streams.<uuid>.frames") is one of @channels, where
 * a "{...}" segment of a listed name matches any one segment.
 *
 * Returns: %TRUE when @channels lists @requested
 */
gboolean
gst_helios_asyncapi_lists (const gchar *const *channels, const gchar *requested)
{
  guint i;

  if (channels == NULL || requested == NULL)
    return FALSE;
  for (i = 0; channels[i]; i++) {
    if (name_matches (channels[i], requested))
      return TRUE;
  }
  return FALSE;
}

/**
 * gst_helios_asyncapi_is_helios:
 * @channels: (array zero-terminated=1): listed channel names
 *
 * Only a document that names its channels the way HeliOS does makes a
 * missing channel a reason to refuse it.
 *
 * Returns: %TRUE when @channels names at least one channel of the table
 *   the way HeliOS does ("device.telemetry", "streams.{stream_id}.frames")
 */
gboolean
gst_helios_asyncapi_is_helios (const gchar *const *channels)
{
  const GstHeliosChannel *table;
  guint n, i, j;

  table = gst_helios_channels (&n);
  for (i = 0; channels && channels[i]; i++) {
    for (j = 0; j < n; j++) {
      if (g_str_equal (channels[i], table[j].name))
        return TRUE;
    }
  }
  return FALSE;
}

static gchar *
message_name (const gchar *channel)
{
  /* "streams.{stream_id}.frames" -> "streams__stream_id__frames" */
  gchar *s = g_strdup (channel), *p;

  for (p = s; *p; p++) {
    if (*p == '.' || *p == '{' || *p == '}')
      *p = '_';
  }
  return s;
}

/**
 * gst_helios_asyncapi_build:
 * @host_port: host:port of the server
 *
 * An AsyncAPI document for the channel table, as HeliOS serves it: for the
 * local stand-in server.
 *
 * Returns: (transfer full): the document
 */
gchar *
gst_helios_asyncapi_build (const gchar *host_port)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree gchar *url = g_strdup_printf ("%s/v1/ws", host_port);
  const GstHeliosChannel *table;
  guint n, i;

  table = gst_helios_channels (&n);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "asyncapi");
  json_builder_add_string_value (b, "2.6.0");
  json_builder_set_member_name (b, "info");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, "Helios WebSocket API");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, "1.0.0");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "servers");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "default");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "url");
  json_builder_add_string_value (b, url);
  json_builder_set_member_name (b, "protocol");
  json_builder_add_string_value (b, "ws");
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "channels");
  json_builder_begin_object (b);
  for (i = 0; i < n; i++) {
    g_autofree gchar *msg = message_name (table[i].name);

    json_builder_set_member_name (b, table[i].name);
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "description");
    json_builder_add_string_value (b, table[i].summary);
    json_builder_set_member_name (b, "subscribe");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "message");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "name");
    json_builder_add_string_value (b, msg);
    json_builder_set_member_name (b, "summary");
    json_builder_add_string_value (b, table[i].summary);
    json_builder_end_object (b);
    json_builder_end_object (b);
    json_builder_end_object (b);
  }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return gst_sensor_json_builder_to_string (b);
}
