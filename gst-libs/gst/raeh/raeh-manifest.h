/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * GstRaehSlot:
 * @slot_id: id to put in frame headers, 0..255
 * @modality_channel_id: (nullable): server-side channel id
 * @modality: wire modality, e.g. "ppg_green"
 * @sample_rate_hz: samples per second per channel
 * @bit_depth: significant bits per sample, 1..32
 * @num_channels: interleaved channels, 1..64
 *
 * One slot of the handshake manifest.
 */
typedef struct
{
  guint slot_id;
  gchar *modality_channel_id;
  gchar *modality;
  gdouble sample_rate_hz;
  guint bit_depth;
  guint num_channels;
} GstRaehSlot;

/**
 * GstRaehManifest:
 * @session_id: the session handle
 * @slots: (element-type GstRaehSlot): slots in handshake order
 *
 * The handshake the server sends first on /stream/ingest.
 */
typedef struct
{
  gchar *session_id;
  GArray *slots;
} GstRaehManifest;

GstRaehManifest *gst_raeh_manifest_new (const gchar *session_id);

GstRaehManifest *gst_raeh_manifest_copy (const GstRaehManifest *manifest);

void gst_raeh_manifest_free (GstRaehManifest *manifest);

void gst_raeh_manifest_add_slot (GstRaehManifest *manifest, guint slot_id,
    const gchar *modality_channel_id, const gchar *modality,
    gdouble sample_rate_hz, guint bit_depth, guint num_channels);

guint gst_raeh_manifest_get_n_slots (const GstRaehManifest *manifest);

const GstRaehSlot *gst_raeh_manifest_get_slot (
    const GstRaehManifest *manifest, guint index);

const GstRaehSlot *gst_raeh_manifest_find_slot (
    const GstRaehManifest *manifest, guint slot_id);

const GstRaehSlot *gst_raeh_manifest_find_modality (
    const GstRaehManifest *manifest, const gchar *modality);

gchar *gst_raeh_manifest_describe_slots (const GstRaehManifest *manifest);

GstRaehManifest *gst_raeh_manifest_parse (
    const gchar *data, gssize size, GError **error);

gchar *gst_raeh_manifest_serialise (const GstRaehManifest *manifest);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstRaehManifest, gst_raeh_manifest_free)

G_END_DECLS
