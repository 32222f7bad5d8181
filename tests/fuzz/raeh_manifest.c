/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Raeh handshake parser: any text is a manifest or a clear error, and a
 * parsed manifest serialises to text that parses to the same manifest.
 */
#include <stdint.h>
#include <gst/raeh/raeh.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *err = NULL;
  GstRaehManifest *m, *back;
  gchar *json, *json2;
  guint i;

  m = gst_raeh_manifest_parse ((const gchar *) data, size, &err);
  if (m == NULL) {
    g_assert (err != NULL && err->message != NULL);
    g_error_free (err);
    return 0;
  }
  g_assert (gst_raeh_manifest_get_n_slots (m) > 0);
  for (i = 0; i < gst_raeh_manifest_get_n_slots (m); i++) {
    const GstRaehSlot *s = gst_raeh_manifest_get_slot (m, i);

    g_assert (s->slot_id <= 255);
    g_assert (s->bit_depth >= 1 && s->bit_depth <= 32);
    g_assert (s->num_channels >= 1 && s->num_channels <= 64);
    g_assert (s->sample_rate_hz > 0);
    g_assert (gst_raeh_manifest_find_slot (m, s->slot_id) == s);
  }
  json = gst_raeh_manifest_serialise (m);
  back = gst_raeh_manifest_parse (json, -1, NULL);
  g_assert (back != NULL);
  json2 = gst_raeh_manifest_serialise (back);
  g_assert_cmpstr (json, ==, json2);
  g_free (json);
  g_free (json2);
  gst_raeh_manifest_free (back);
  gst_raeh_manifest_free (m);
  return 0;
}
