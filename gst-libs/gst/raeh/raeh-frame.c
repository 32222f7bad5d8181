/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:raeh-frame
 * @title: Raeh frames
 * @short_description: build, parse and check Raeh binary frames
 *
 * A Raeh binary frame is a 12-byte header (slot u8, t0_epoch_ms i64 BE,
 * sample_count u16 BE, flags u8, see #GstRaehFrameHeader) and a
 * little-endian, sample-interleaved payload of ceil(bit_depth / 8) bytes
 * per value.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "raeh-error.h"
#include "raeh-frame.h"

/**
 * gst_raeh_bytes_per_sample:
 * @bit_depth: significant bits of one value
 *
 * Returns: ceil(@bit_depth / 8)
 */
guint
gst_raeh_bytes_per_sample (guint bit_depth)
{
  return (bit_depth + 7) / 8;
}

/**
 * gst_raeh_frame_payload_size:
 * @sample_count: samples per channel
 * @bit_depth: significant bits of one value
 * @num_channels: interleaved channels
 *
 * Returns: the payload size in bytes: @sample_count x
 *   gst_raeh_bytes_per_sample (@bit_depth) x @num_channels
 */
gsize
gst_raeh_frame_payload_size (
    guint sample_count, guint bit_depth, guint num_channels)
{
  return (gsize) sample_count * gst_raeh_bytes_per_sample (bit_depth) *
      num_channels;
}

/**
 * gst_raeh_frame_header_write:
 * @header: the header fields
 * @out: (out caller-allocates) (array fixed-size=12): room for the
 *   %GST_RAEH_FRAME_HEADER_SIZE bytes of the header
 *
 * Writes @header in wire order (big-endian).
 */
void
gst_raeh_frame_header_write (const GstRaehFrameHeader *header, guint8 *out)
{
  guint64 t0 = (guint64) header->t0_epoch_ms;
  guint i;

  out[0] = header->slot_id;
  for (i = 0; i < 8; i++)
    out[1 + i] = (guint8) (t0 >> (56 - 8 * i));
  out[9] = (guint8) (header->sample_count >> 8);
  out[10] = (guint8) (header->sample_count & 0xff);
  out[11] = header->flags;
}

/**
 * gst_raeh_frame_header_read:
 * @data: (array length=size): frame bytes
 * @size: size of @data
 * @header: (out caller-allocates): the header fields
 * @error: (nullable): why the header cannot be read
 *
 * Reads the fixed header at the start of @data.
 *
 * Returns: %TRUE when read; %FALSE with
 *   %GST_RAEH_ERROR_HEADER_TOO_SHORT when @size < 12
 */
gboolean
gst_raeh_frame_header_read (
    const guint8 *data, gsize size, GstRaehFrameHeader *header, GError **error)
{
  guint64 t0 = 0;
  guint i;

  if (size < GST_RAEH_FRAME_HEADER_SIZE) {
    g_set_error (error, GST_RAEH_ERROR, GST_RAEH_ERROR_HEADER_TOO_SHORT,
        "header too short: got %" G_GSIZE_FORMAT " bytes, expected %u", size,
        GST_RAEH_FRAME_HEADER_SIZE);
    return FALSE;
  }
  header->slot_id = data[0];
  for (i = 0; i < 8; i++)
    t0 = (t0 << 8) | data[1 + i];
  header->t0_epoch_ms = (gint64) t0;
  header->sample_count = (guint16) ((data[9] << 8) | data[10]);
  header->flags = data[11];
  return TRUE;
}

/**
 * gst_raeh_frame_build:
 * @header: the header fields
 * @payload: (nullable) (array length=payload_size): the payload, already in
 *   wire layout, copied
 * @payload_size: size of @payload
 *
 * Writes @header and appends @payload, as is (the header's sample count is
 * not checked against the payload).
 *
 * Returns: (transfer full): one complete wire frame
 */
GBytes *
gst_raeh_frame_build (
    const GstRaehFrameHeader *header, const guint8 *payload, gsize payload_size)
{
  guint8 *data = g_malloc (GST_RAEH_FRAME_HEADER_SIZE + payload_size);

  gst_raeh_frame_header_write (header, data);
  if (payload_size)
    memcpy (data + GST_RAEH_FRAME_HEADER_SIZE, payload, payload_size);
  return g_bytes_new_take (data, GST_RAEH_FRAME_HEADER_SIZE + payload_size);
}

/**
 * gst_raeh_frame_parse:
 * @data: (array length=size): one binary message
 * @size: its size
 * @manifest: (nullable): the session's manifest (%NULL: no slot is known)
 * @header: (out caller-allocates): header fields
 * @slot: (out) (optional) (transfer none): the manifest slot of the frame
 * @payload: (out) (optional) (transfer none): start of the payload inside
 *   @data
 * @error: (nullable): a #GST_RAEH_ERROR naming what is wrong
 *
 * Validates a frame the way the server does: header length, slot_id in the
 * manifest, and exact payload size for the slot's depth and channels.
 *
 * Returns: %TRUE when the frame is valid
 */
gboolean
gst_raeh_frame_parse (const guint8 *data, gsize size,
    const GstRaehManifest *manifest, GstRaehFrameHeader *header,
    const GstRaehSlot **slot, const guint8 **payload, GError **error)
{
  const GstRaehSlot *s;
  gsize got, expected;

  if (!gst_raeh_frame_header_read (data, size, header, error))
    return FALSE;
  s = gst_raeh_manifest_find_slot (manifest, header->slot_id);
  if (s == NULL) {
    g_set_error (error, GST_RAEH_ERROR, GST_RAEH_ERROR_UNKNOWN_SLOT,
        "slot_id %u not in manifest", header->slot_id);
    return FALSE;
  }
  got = size - GST_RAEH_FRAME_HEADER_SIZE;
  expected = gst_raeh_frame_payload_size (
      header->sample_count, s->bit_depth, s->num_channels);
  if (got != expected) {
    g_set_error (error, GST_RAEH_ERROR, GST_RAEH_ERROR_PAYLOAD_SIZE,
        "payload size mismatch for slot %u (%s): got %" G_GSIZE_FORMAT
        " bytes, expected %" G_GSIZE_FORMAT,
        s->slot_id, s->modality, got, expected);
    return FALSE;
  }
  if (slot)
    *slot = s;
  if (payload)
    *payload = data + GST_RAEH_FRAME_HEADER_SIZE;
  return TRUE;
}

/**
 * gst_raeh_frame_get_sample:
 * @payload: a frame payload
 * @bit_depth: the slot's bit depth
 * @index: value index (sample x channels + channel)
 *
 * Reads one little-endian value; @payload must hold it.
 *
 * Returns: the signed, sign-extended value
 */
gint32
gst_raeh_frame_get_sample (const guint8 *payload, guint bit_depth, guint index)
{
  guint width = gst_raeh_bytes_per_sample (bit_depth), i;
  const guint8 *p = payload + (gsize) index * width;
  guint32 v = 0;

  for (i = 0; i < width; i++)
    v |= (guint32) p[i] << (8 * i);
  if (width < 4 && (v & (1u << (8 * width - 1))))
    v |= ~0u << (8 * width);
  return (gint32) v;
}
