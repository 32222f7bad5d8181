/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/raeh/raeh-manifest.h>

G_BEGIN_DECLS

/**
 * GST_RAEH_FRAME_MEDIA_TYPE:
 *
 * Caps of encoded frames: one complete wire frame per buffer, with
 * modality, rate, channels and bit-depth.
 */
#define GST_RAEH_FRAME_MEDIA_TYPE "application/x-raeh-frame"

/**
 * GstRaehStream:
 * @modality: (nullable): interned modality, or %NULL when the caps had none
 * @rate_n: rate numerator, > 0
 * @rate_d: rate denominator
 * @channels: interleaved channels
 * @bit_depth: significant bits per sample
 *
 * One stream of Raeh frames as negotiated.
 */
typedef struct
{
  const gchar *modality;
  gint rate_n, rate_d;
  gint channels;
  gint bit_depth;
} GstRaehStream;

gboolean gst_raeh_stream_from_caps (GstRaehStream *stream, const GstCaps *caps);

GstCaps *gst_raeh_manifest_to_caps (const GstRaehManifest *manifest);

gchar *gst_raeh_manifest_check_stream (const GstRaehManifest *manifest,
    const GstRaehStream *stream, const gchar *where);

gboolean gst_raeh_stream_check_frame (const GstRaehStream *stream,
    const guint8 *data, gsize size, gint64 *t0_ms, gint64 *end_ms,
    GError **error);

GstStructure *gst_raeh_manifest_to_structure (
    const GstRaehManifest *manifest, const gchar *name);

G_END_DECLS
