/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Raeh frame reader: any bytes are either a valid frame for the manifest or
 * a clear error, and a valid frame's samples can all be read.
 */
#include <stdint.h>
#include <gst/raeh/raeh.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static GstRaehManifest *manifest;
  GstRaehFrameHeader h;
  const GstRaehSlot *slot;
  const guint8 *payload;
  GError *err = NULL;
  guint i, n;
  gint64 sum = 0;

  if (manifest == NULL) {
    manifest = gst_raeh_manifest_new ("fuzz");
    gst_raeh_manifest_add_slot (manifest, 0, NULL, "ppg_green", 100, 16, 1);
    gst_raeh_manifest_add_slot (manifest, 1, NULL, "acc_3axis", 50, 12, 3);
    gst_raeh_manifest_add_slot (manifest, 7, NULL, "x24", 25, 24, 2);
    gst_raeh_manifest_add_slot (manifest, 200, NULL, "x8", 10, 5, 64);
  }
  if (gst_raeh_frame_parse (data, size, manifest, &h, &slot, &payload, &err)) {
    n = h.sample_count * slot->num_channels;
    for (i = 0; i < n; i++)
      sum += gst_raeh_frame_get_sample (payload, slot->bit_depth, i);
    g_assert (payload +
            gst_raeh_frame_payload_size (
                h.sample_count, slot->bit_depth, slot->num_channels) ==
        data + size);
  } else {
    g_assert (err != NULL && err->message != NULL);
    g_error_free (err);
  }
  (void) sum;
  return 0;
}
