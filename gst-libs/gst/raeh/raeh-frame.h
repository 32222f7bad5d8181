/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <gst/raeh/raeh-manifest.h>

G_BEGIN_DECLS

/**
 * GST_RAEH_FRAME_HEADER_SIZE:
 *
 * Size of the fixed frame header: slot u8, t0_epoch_ms i64 BE,
 * sample_count u16 BE, flags u8.
 */
#define GST_RAEH_FRAME_HEADER_SIZE 12

/**
 * GST_RAEH_FRAME_MAX_SAMPLES:
 *
 * Largest sample_count a frame can carry.
 */
#define GST_RAEH_FRAME_MAX_SAMPLES G_MAXUINT16

/**
 * GstRaehFrameHeader:
 * @slot_id: the manifest slot the frame belongs to
 * @t0_epoch_ms: epoch time of the first sample, in milliseconds
 * @sample_count: samples per channel in the payload
 * @flags: reserved; sent as 0
 *
 * The fixed header of a Raeh binary frame, %GST_RAEH_FRAME_HEADER_SIZE
 * bytes on the wire.
 */
typedef struct
{
  guint8 slot_id;
  gint64 t0_epoch_ms;
  guint16 sample_count;
  guint8 flags;
} GstRaehFrameHeader;

guint gst_raeh_bytes_per_sample (guint bit_depth);

gsize gst_raeh_frame_payload_size (
    guint sample_count, guint bit_depth, guint num_channels);

void gst_raeh_frame_header_write (
    const GstRaehFrameHeader *header, guint8 *out);

gboolean gst_raeh_frame_header_read (
    const guint8 *data, gsize size, GstRaehFrameHeader *header, GError **error);

GBytes *gst_raeh_frame_build (const GstRaehFrameHeader *header,
    const guint8 *payload, gsize payload_size);

gboolean gst_raeh_frame_parse (const guint8 *data, gsize size,
    const GstRaehManifest *manifest, GstRaehFrameHeader *header,
    const GstRaehSlot **slot, const guint8 **payload, GError **error);

gint32 gst_raeh_frame_get_sample (
    const guint8 *payload, guint bit_depth, guint index);

G_END_DECLS
