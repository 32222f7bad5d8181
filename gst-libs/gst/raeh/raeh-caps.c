/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:raeh-caps
 * @title: Raeh caps
 * @short_description: caps of Raeh frame streams and of a manifest
 *
 * Caps of Raeh frame streams (%GST_RAEH_FRAME_MEDIA_TYPE) and of the
 * handshake manifest: what a session offers upstream, and why a negotiated
 * stream does not fit a manifest.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/sensor/sensor.h>

#include "raeh-caps.h"
#include "raeh-error.h"
#include "raeh-frame.h"

static GstStructure *
slot_structure (const GstRaehSlot *slot)
{
  gint n, d;

  gst_util_double_to_fraction (slot->sample_rate_hz, &n, &d);
  return gst_structure_new (GST_RAEH_FRAME_MEDIA_TYPE, "modality",
      G_TYPE_STRING, slot->modality, "rate", GST_TYPE_FRACTION, n, d,
      "channels", G_TYPE_INT, (gint) slot->num_channels, "bit-depth",
      G_TYPE_INT, (gint) slot->bit_depth, NULL);
}

/**
 * gst_raeh_stream_from_caps:
 * @stream: (out caller-allocates): filled in
 * @caps: fixed #GST_RAEH_FRAME_MEDIA_TYPE caps
 *
 * Reads a negotiated stream; the modality may be missing (then %NULL).
 *
 * Returns: %FALSE when rate, channels or bit-depth is missing or the rate
 *   is not positive
 */
gboolean
gst_raeh_stream_from_caps (GstRaehStream *stream, const GstCaps *caps)
{
  const GstStructure *s = gst_caps_get_structure (caps, 0);

  stream->modality = g_intern_string (gst_structure_get_string (s, "modality"));
  stream->rate_n = 0;
  stream->rate_d = 1;
  return gst_structure_get_fraction (
             s, "rate", &stream->rate_n, &stream->rate_d) &&
      gst_structure_get_int (s, "channels", &stream->channels) &&
      gst_structure_get_int (s, "bit-depth", &stream->bit_depth) &&
      stream->rate_n > 0;
}

/**
 * gst_raeh_manifest_to_caps:
 * @manifest: a manifest
 *
 * Returns: (transfer full): one structure per slot: modality, rate,
 *   channels and bit-depth as the device model declares them
 */
GstCaps *
gst_raeh_manifest_to_caps (const GstRaehManifest *manifest)
{
  GstCaps *caps = gst_caps_new_empty ();
  guint i;

  for (i = 0; i < gst_raeh_manifest_get_n_slots (manifest); i++)
    caps = gst_caps_merge_structure (
        caps, slot_structure (gst_raeh_manifest_get_slot (manifest, i)));
  return caps;
}

static gboolean
slot_matches (const GstRaehSlot *slot, const GstRaehStream *stream)
{
  gint n, d;

  gst_util_double_to_fraction (slot->sample_rate_hz, &n, &d);
  return gst_util_fraction_compare (n, d, stream->rate_n, stream->rate_d) ==
      0 &&
      (gint) slot->num_channels == stream->channels &&
      (gint) slot->bit_depth == stream->bit_depth;
}

static gchar *
describe_slot (const GstRaehSlot *slot)
{
  return g_strdup_printf ("%s at %g Hz, %u channel%s, %u bit", slot->modality,
      slot->sample_rate_hz, slot->num_channels,
      slot->num_channels == 1 ? "" : "s", slot->bit_depth);
}

/**
 * gst_raeh_manifest_check_stream:
 * @manifest: a manifest
 * @stream: a negotiated stream
 * @where: where the stream comes in, e.g. "pad sink_0"
 *
 * Checks a stream against a manifest. If it does not fit: one sentence
 * naming what the manifest declares, what upstream offers and the fix,
 * e.g. "The Raeh manifest declares acc_3axis at 50 Hz, 3 channels, 16 bit
 * (slot 3); upstream offers 52 Hz on pad sink_1: add sensorresample before
 * raehframepack".
 *
 * Returns: (transfer full) (nullable): %NULL when @stream fits, else why
 *   not
 */
gchar *
gst_raeh_manifest_check_stream (const GstRaehManifest *manifest,
    const GstRaehStream *stream, const gchar *where)
{
  const GstRaehSlot *slot =
      gst_raeh_manifest_find_modality (manifest, stream->modality);
  g_autofree gchar *declared = NULL, *slots = NULL, *offered = NULL;
  g_autofree gchar *fixes = NULL;
  GString *offer, *fix;
  gint n, d;

  if (slot == NULL) {
    slots = gst_raeh_manifest_describe_slots (manifest);
    if (stream->modality == NULL)
      return g_strdup_printf ("Upstream offers Raeh frames without a modality "
                              "on %s; the Raeh manifest declares slots %s: "
                              "set modality in the caps (sensortestsrc and "
                              "rpsensorsrc do)",
          where, slots);
    return g_strdup_printf (
        "The Raeh manifest declares no %s stream (slots %s); upstream offers "
        "%s on %s: stream only the modalities of the device model, or "
        "register %s with it",
        stream->modality, slots, stream->modality, where, stream->modality);
  }
  if (slot_matches (slot, stream))
    return NULL;

  declared = describe_slot (slot);
  offer = g_string_new (NULL);
  fix = g_string_new (NULL);
  gst_util_double_to_fraction (slot->sample_rate_hz, &n, &d);
  if (gst_util_fraction_compare (n, d, stream->rate_n, stream->rate_d) != 0)
    g_string_append_printf (
        offer, "%g Hz", (gdouble) stream->rate_n / stream->rate_d);
  if ((gint) slot->bit_depth != stream->bit_depth)
    g_string_append_printf (
        offer, "%s%d bit", offer->len ? ", " : "", stream->bit_depth);
  if (offer->len) {
    guint width = (slot->bit_depth + 7) / 8 * 8;

    g_string_append (fix, "add sensorresample before raehframepack");
    if ((gint) slot->bit_depth != stream->bit_depth)
      g_string_append_printf (fix, " (it converts to %s)",
          gst_sensor_format_to_string (
              gst_sensor_format_for_bit_depth (width)));
  }
  if ((gint) slot->num_channels != stream->channels) {
    g_string_append_printf (offer, "%s%d channel%s", offer->len ? ", " : "",
        stream->channels, stream->channels == 1 ? "" : "s");
    g_string_append_printf (fix,
        "%ssend the %u channel%s the device model declares (sensorresample "
        "keeps the channel count)",
        fix->len ? "; " : "", slot->num_channels,
        slot->num_channels == 1 ? "" : "s");
  }
  offered = g_string_free (offer, FALSE);
  fixes = g_string_free (fix, FALSE);
  return g_strdup_printf ("The Raeh manifest declares %s (slot %u); upstream "
                          "offers %s on %s: %s",
      declared, slot->slot_id, offered, where, fixes);
}

/**
 * gst_raeh_stream_check_frame:
 * @stream: the negotiated stream
 * @data: (array length=size): one wire frame
 * @size: its size
 * @t0_ms: (out): epoch time of its first sample
 * @end_ms: (out): epoch time just after its last sample, rounded up
 * @error: (nullable): why the frame is malformed
 *
 * Checks that @data is one whole frame of @stream: a header and exactly
 * the payload its sample count needs at the stream's channels and bit
 * depth.
 *
 * Returns: %TRUE when the frame is whole
 */
gboolean
gst_raeh_stream_check_frame (const GstRaehStream *stream, const guint8 *data,
    gsize size, gint64 *t0_ms, gint64 *end_ms, GError **error)
{
  GstRaehFrameHeader h;
  gsize expected;

  if (!gst_raeh_frame_header_read (data, size, &h, error))
    return FALSE;
  expected = GST_RAEH_FRAME_HEADER_SIZE +
      gst_raeh_frame_payload_size (
          h.sample_count, stream->bit_depth, stream->channels);
  if (size != expected) {
    g_set_error (error, GST_RAEH_ERROR, GST_RAEH_ERROR_PAYLOAD_SIZE,
        "%u samples of %d channels at %d bit need %" G_GSIZE_FORMAT
        " bytes with the header, got %" G_GSIZE_FORMAT,
        h.sample_count, stream->channels, stream->bit_depth, expected, size);
    return FALSE;
  }
  *t0_ms = h.t0_epoch_ms;
  *end_ms = h.t0_epoch_ms +
      (gint64) gst_util_uint64_scale_int_ceil (
          h.sample_count, 1000 * stream->rate_d, stream->rate_n);
  return TRUE;
}

/**
 * gst_raeh_manifest_to_structure:
 * @manifest: a manifest
 * @name: the structure's name
 *
 * The manifest for a message: `session-id` and `slots`, a list of `slot`
 * structures with slot-id, modality, sample-rate, bit-depth and channels.
 *
 * Returns: (transfer full): a new structure
 */
GstStructure *
gst_raeh_manifest_to_structure (
    const GstRaehManifest *manifest, const gchar *name)
{
  GValue slots = G_VALUE_INIT;
  GstStructure *s;
  guint i;

  g_value_init (&slots, GST_TYPE_LIST);
  for (i = 0; i < gst_raeh_manifest_get_n_slots (manifest); i++) {
    const GstRaehSlot *slot = gst_raeh_manifest_get_slot (manifest, i);
    GValue v = G_VALUE_INIT;

    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v,
        gst_structure_new ("slot", "slot-id", G_TYPE_UINT, slot->slot_id,
            "modality", G_TYPE_STRING, slot->modality, "sample-rate",
            G_TYPE_DOUBLE, slot->sample_rate_hz, "bit-depth", G_TYPE_UINT,
            slot->bit_depth, "channels", G_TYPE_UINT, slot->num_channels,
            NULL));
    gst_value_list_append_and_take_value (&slots, &v);
  }
  s = gst_structure_new (
      name, "session-id", G_TYPE_STRING, manifest->session_id, NULL);
  gst_structure_take_value (s, "slots", &slots);
  return s;
}
