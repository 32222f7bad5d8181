/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:raeh-manifest
 * @title: GstRaehManifest
 * @short_description: the Raeh handshake manifest: parse, build, serialise
 *
 * The handshake the server sends first on /stream/ingest: session_id and
 * slots[] with slot_id, modality_channel_id, modality, sample_rate_hz,
 * bit_depth and num_channels. The abbreviated form (slot_id and modality
 * only) gets the dashboard defaults from the modality table.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include <gst/sensor/sensor.h>
#include <gst/sensor/sensor-json.h>

#include "raeh-error.h"
#include "raeh-manifest.h"

#define MAX_SLOTS 256

/* A manifest is three levels deep and a few KB; room for extensions. */
static const GstSensorJsonLimits manifest_limits = { 32, 1024 * 1024 };

static void
slot_clear (gpointer data)
{
  GstRaehSlot *slot = data;

  g_clear_pointer (&slot->modality_channel_id, g_free);
  g_clear_pointer (&slot->modality, g_free);
}

/**
 * gst_raeh_manifest_new:
 * @session_id: (nullable): the session handle, copied
 *
 * Returns: (transfer full): a manifest without slots, for
 *   gst_raeh_manifest_free()
 */
GstRaehManifest *
gst_raeh_manifest_new (const gchar *session_id)
{
  GstRaehManifest *m = g_new0 (GstRaehManifest, 1);

  m->session_id = g_strdup (session_id);
  m->slots = g_array_new (FALSE, TRUE, sizeof (GstRaehSlot));
  g_array_set_clear_func (m->slots, slot_clear);
  return m;
}

/**
 * gst_raeh_manifest_free:
 * @manifest: (transfer full) (nullable): a manifest
 *
 * Frees @manifest and its slots.
 */
void
gst_raeh_manifest_free (GstRaehManifest *manifest)
{
  if (manifest == NULL)
    return;
  g_free (manifest->session_id);
  g_array_unref (manifest->slots);
  g_free (manifest);
}

/**
 * gst_raeh_manifest_add_slot:
 * @manifest: a manifest
 * @slot_id: id to put in frame headers, 0..255
 * @modality_channel_id: (nullable): server-side channel id, copied
 * @modality: wire modality, e.g. "ppg_green", copied
 * @sample_rate_hz: samples per second per channel
 * @bit_depth: significant bits per sample, 1..32
 * @num_channels: interleaved channels, 1..64
 *
 * Appends a slot as given; nothing is checked (gst_raeh_manifest_parse()
 * checks what a server sends).
 */
void
gst_raeh_manifest_add_slot (GstRaehManifest *manifest, guint slot_id,
    const gchar *modality_channel_id, const gchar *modality,
    gdouble sample_rate_hz, guint bit_depth, guint num_channels)
{
  GstRaehSlot slot = {
    0,
  };

  slot.slot_id = slot_id;
  slot.modality_channel_id = g_strdup (modality_channel_id);
  slot.modality = g_strdup (modality);
  slot.sample_rate_hz = sample_rate_hz;
  slot.bit_depth = bit_depth;
  slot.num_channels = num_channels;
  g_array_append_val (manifest->slots, slot);
}

/**
 * gst_raeh_manifest_copy:
 * @manifest: a manifest
 *
 * Returns: (transfer full): a deep copy of @manifest
 */
GstRaehManifest *
gst_raeh_manifest_copy (const GstRaehManifest *manifest)
{
  GstRaehManifest *copy = gst_raeh_manifest_new (manifest->session_id);
  guint i;

  for (i = 0; i < manifest->slots->len; i++) {
    const GstRaehSlot *s = &g_array_index (manifest->slots, GstRaehSlot, i);

    gst_raeh_manifest_add_slot (copy, s->slot_id, s->modality_channel_id,
        s->modality, s->sample_rate_hz, s->bit_depth, s->num_channels);
  }
  return copy;
}

/**
 * gst_raeh_manifest_get_n_slots:
 * @manifest: a manifest
 *
 * Returns: the number of slots
 */
guint
gst_raeh_manifest_get_n_slots (const GstRaehManifest *manifest)
{
  return manifest->slots->len;
}

/**
 * gst_raeh_manifest_get_slot:
 * @manifest: a manifest
 * @index: position in handshake order, from 0
 *
 * Returns: (transfer none) (nullable): the slot at @index, or %NULL past
 *   the last one
 */
const GstRaehSlot *
gst_raeh_manifest_get_slot (const GstRaehManifest *manifest, guint index)
{
  if (index >= manifest->slots->len)
    return NULL;
  return &g_array_index (manifest->slots, GstRaehSlot, index);
}

/**
 * gst_raeh_manifest_find_slot:
 * @manifest: (nullable): a manifest
 * @slot_id: a frame's slot_id
 *
 * Returns: (transfer none) (nullable): the slot with @slot_id, or %NULL
 *   when the manifest has none (or is %NULL)
 */
const GstRaehSlot *
gst_raeh_manifest_find_slot (const GstRaehManifest *manifest, guint slot_id)
{
  guint i;

  for (i = 0; manifest && i < manifest->slots->len; i++) {
    const GstRaehSlot *s = &g_array_index (manifest->slots, GstRaehSlot, i);

    if (s->slot_id == slot_id)
      return s;
  }
  return NULL;
}

/**
 * gst_raeh_manifest_find_modality:
 * @manifest: (nullable): a manifest
 * @modality: (nullable): a wire modality, e.g. "ppg_green"
 *
 * A manifest names each modality once: this is its first slot.
 *
 * Returns: (transfer none) (nullable): the first slot of @modality, or
 *   %NULL when there is none (or either argument is %NULL)
 */
const GstRaehSlot *
gst_raeh_manifest_find_modality (
    const GstRaehManifest *manifest, const gchar *modality)
{
  guint i;

  for (i = 0; manifest && modality && i < manifest->slots->len; i++) {
    const GstRaehSlot *s = &g_array_index (manifest->slots, GstRaehSlot, i);

    if (g_strcmp0 (s->modality, modality) == 0)
      return s;
  }
  return NULL;
}

/**
 * gst_raeh_manifest_describe_slots:
 * @manifest: a manifest
 *
 * Returns: (transfer full): e.g. "3: ppg_green 100 Hz 16-bit x1, 4:
 *   acc_3axis 50 Hz 16-bit x3", for messages
 */
gchar *
gst_raeh_manifest_describe_slots (const GstRaehManifest *manifest)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < manifest->slots->len; i++) {
    const GstRaehSlot *slot = &g_array_index (manifest->slots, GstRaehSlot, i);

    g_string_append_printf (s, "%s%u: %s %g Hz %u-bit x%u", i ? ", " : "",
        slot->slot_id, slot->modality, slot->sample_rate_hz, slot->bit_depth,
        slot->num_channels);
  }
  if (s->len == 0)
    g_string_append (s, "(no slots)");
  return g_string_free (s, FALSE);
}

static const gchar *
node_type_name (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";
  switch (json_node_get_value_type (node)) {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    case G_TYPE_INT64:
      return "an integer";
    default:
      return "a number";
  }
}

static gboolean
node_is_number (JsonNode *node)
{
  GType t;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  t = json_node_get_value_type (node);
  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
}

static gboolean
node_is_integer (JsonNode *node)
{
  gdouble d;

  if (!node_is_number (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return TRUE;
  d = json_node_get_double (node);
  return isfinite (d) && d == floor (d);
}

static gint64
node_get_integer (JsonNode *node)
{
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  return (gint64) json_node_get_double (node);
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean handshake_error (GError **error, const gchar *format, ...)
    G_GNUC_PRINTF (2, 3);

static gboolean
handshake_error (GError **error, const gchar *format, ...)
{
  va_list args;
  gchar *msg;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, GST_RAEH_ERROR, GST_RAEH_ERROR_HANDSHAKE, msg);
  g_free (msg);
  return FALSE;
}

/* An optional integer member in [min, max]; *out keeps its default when
 * the member is absent. */
static gboolean
get_int_member (JsonObject *obj, const gchar *name, guint index, gint64 min,
    gint64 max, gboolean required, gint64 *out, GError **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  gint64 v;

  if (node == NULL) {
    if (required)
      return handshake_error (error, "slots[%u] has no \"%s\"", index, name);
    return TRUE;
  }
  if (!node_is_integer (node))
    return handshake_error (error, "slots[%u].%s: expected an integer, got %s",
        index, name, node_type_name (node));
  v = node_get_integer (node);
  if (v < min || v > max)
    return handshake_error (error,
        "slots[%u].%s: %" G_GINT64_FORMAT " is out of range %" G_GINT64_FORMAT
        "..%" G_GINT64_FORMAT,
        index, name, v, min, max);
  *out = v;
  return TRUE;
}

static gboolean
parse_slot (GstRaehManifest *m, JsonNode *node, guint index, GError **error)
{
  JsonObject *obj;
  JsonNode *member;
  const gchar *modality, *channel_id = NULL;
  const GstSensorModality *defaults;
  gint64 slot_id = 0, bit_depth = 16, channels = 1;
  gdouble rate = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return handshake_error (error, "slots[%u]: expected an object, got %s",
        index, node_type_name (node));
  obj = json_node_get_object (node);

  if (!get_int_member (obj, "slot_id", index, 0, 255, TRUE, &slot_id, error))
    return FALSE;
  member = json_object_get_member (obj, "modality");
  if (member == NULL)
    return handshake_error (error, "slots[%u] has no \"modality\"", index);
  if (!node_is_string (member) || *json_node_get_string (member) == '\0')
    return handshake_error (error,
        "slots[%u].modality: expected a non-empty string, got %s", index,
        node_is_string (member) ? "\"\"" : node_type_name (member));
  modality = json_node_get_string (member);

  member = json_object_get_member (obj, "modality_channel_id");
  if (member && !JSON_NODE_HOLDS_NULL (member)) {
    if (!node_is_string (member))
      return handshake_error (error,
          "slots[%u].modality_channel_id: expected a string, got %s", index,
          node_type_name (member));
    channel_id = json_node_get_string (member);
  }

  /* bit depth and channel count default like the dashboard does */
  defaults = gst_sensor_modality_lookup (modality);
  if (defaults) {
    channels = defaults->channels;
    if (defaults->rate_n > 0 && defaults->rate_d > 0)
      rate = (gdouble) defaults->rate_n / defaults->rate_d;
  }
  member = json_object_get_member (obj, "sample_rate_hz");
  if (member) {
    if (!node_is_number (member))
      return handshake_error (error,
          "slots[%u].sample_rate_hz: expected a number, got %s", index,
          node_type_name (member));
    rate = json_node_get_double (member);
    if (!isfinite (rate) || rate <= 0 || rate > 1e6)
      return handshake_error (error,
          "slots[%u].sample_rate_hz: %g is not a positive rate", index, rate);
  } else if (rate <= 0) {
    return handshake_error (error,
        "slots[%u] has no \"sample_rate_hz\" and modality \"%s\" has no "
        "default rate",
        index, modality);
  }
  if (!get_int_member (
          obj, "bit_depth", index, 1, 32, FALSE, &bit_depth, error))
    return FALSE;
  if (!get_int_member (
          obj, "num_channels", index, 1, 64, FALSE, &channels, error))
    return FALSE;
  if (gst_raeh_manifest_find_slot (m, (guint) slot_id))
    return handshake_error (
        error, "slots[%u].slot_id: %u is used twice", index, (guint) slot_id);

  gst_raeh_manifest_add_slot (m, (guint) slot_id, channel_id, modality, rate,
      (guint) bit_depth, (guint) channels);
  return TRUE;
}

/**
 * gst_raeh_manifest_parse:
 * @data: the handshake text
 * @size: its size, or -1 when NUL-terminated
 * @error: (nullable): what is wrong, %GST_RAEH_ERROR_HANDSHAKE
 *
 * Returns: (transfer full) (nullable): the manifest, or %NULL with
 *   %GST_RAEH_ERROR_HANDSHAKE naming what is wrong
 */
GstRaehManifest *
gst_raeh_manifest_parse (const gchar *data, gssize size, GError **error)
{
  g_autoptr (GError) json_error = NULL;
  g_autoptr (GstRaehManifest) m = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonNode *member;
  JsonObject *obj;
  JsonArray *slots;
  guint i;

  if (size < 0)
    size = data ? strlen (data) : 0;
  if (data == NULL || size == 0) {
    handshake_error (error, "handshake is empty");
    return NULL;
  }
  /* strict, bounded JSON only: the handshake comes from the peer */
  root = gst_sensor_json_parse (data, size, &manifest_limits, &json_error);
  if (root == NULL) {
    handshake_error (error, "handshake is not JSON: %s", json_error->message);
    return NULL;
  }
  if (!JSON_NODE_HOLDS_OBJECT (root)) {
    handshake_error (error, "handshake is not a JSON object");
    return NULL;
  }
  obj = json_node_get_object (root);

  member = json_object_get_member (obj, "session_id");
  if (member == NULL) {
    handshake_error (error, "handshake has no \"session_id\"");
    return NULL;
  }
  if (!node_is_string (member)) {
    handshake_error (error, "session_id: expected a string, got %s",
        node_type_name (member));
    return NULL;
  }
  m = gst_raeh_manifest_new (json_node_get_string (member));

  member = json_object_get_member (obj, "slots");
  if (member == NULL) {
    handshake_error (error, "handshake has no \"slots\"");
    return NULL;
  }
  if (!JSON_NODE_HOLDS_ARRAY (member)) {
    handshake_error (
        error, "slots: expected an array, got %s", node_type_name (member));
    return NULL;
  }
  slots = json_node_get_array (member);
  if (json_array_get_length (slots) == 0) {
    handshake_error (error, "handshake has no slots");
    return NULL;
  }
  if (json_array_get_length (slots) > MAX_SLOTS) {
    handshake_error (error,
        "handshake has %u slots, at most %u fit a "
        "slot_id",
        json_array_get_length (slots), MAX_SLOTS);
    return NULL;
  }
  for (i = 0; i < json_array_get_length (slots); i++) {
    if (!parse_slot (m, json_array_get_element (slots, i), i, error))
      return NULL;
  }
  return g_steal_pointer (&m);
}

/**
 * gst_raeh_manifest_serialise:
 * @manifest: a manifest
 *
 * Writes the handshake in its full form (every slot field;
 * modality_channel_id only when set), compact as every document of the
 * project (gst_sensor_json_builder_to_string()).
 *
 * Returns: (transfer full): the handshake JSON text
 */
gchar *
gst_raeh_manifest_serialise (const GstRaehManifest *manifest)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  guint i;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "session_id");
  json_builder_add_string_value (b, manifest->session_id);
  json_builder_set_member_name (b, "slots");
  json_builder_begin_array (b);
  for (i = 0; i < manifest->slots->len; i++) {
    const GstRaehSlot *s = &g_array_index (manifest->slots, GstRaehSlot, i);

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "slot_id");
    json_builder_add_int_value (b, s->slot_id);
    if (s->modality_channel_id) {
      json_builder_set_member_name (b, "modality_channel_id");
      json_builder_add_string_value (b, s->modality_channel_id);
    }
    json_builder_set_member_name (b, "modality");
    json_builder_add_string_value (b, s->modality);
    json_builder_set_member_name (b, "sample_rate_hz");
    if (s->sample_rate_hz == floor (s->sample_rate_hz))
      json_builder_add_int_value (b, (gint64) s->sample_rate_hz);
    else
      json_builder_add_double_value (b, s->sample_rate_hz);
    json_builder_set_member_name (b, "bit_depth");
    json_builder_add_int_value (b, s->bit_depth);
    json_builder_set_member_name (b, "num_channels");
    json_builder_add_int_value (b, s->num_channels);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return gst_sensor_json_builder_to_string (b);
}
