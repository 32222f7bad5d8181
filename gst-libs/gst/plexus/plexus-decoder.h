/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/video/video.h>
#include <gst/plexus/plexus-jpeg.h>

G_BEGIN_DECLS

/**
 * GstPlexusDecoder:
 *
 * Decodes JPEG frames with TurboJPEG into raw video buffers, on the
 * caller's thread or on a pool of worker threads that hand the results back
 * in submission order. Opaque; one per camera.
 */
typedef struct _GstPlexusDecoder GstPlexusDecoder;

/**
 * GstPlexusDecoderInputFunc:
 * @user_data: the data given to gst_plexus_decoder_wait()
 *
 * Says whether the caller has another frame to submit. Called with the
 * decoder's lock held: it must not call the decoder.
 *
 * Returns: %TRUE when another frame is waiting
 */
typedef gboolean (*GstPlexusDecoderInputFunc) (gpointer user_data);

GstPlexusDecoder *gst_plexus_decoder_new (void);
void gst_plexus_decoder_free (GstPlexusDecoder *dec);

void gst_plexus_decoder_set_threads (GstPlexusDecoder *dec, guint n_threads);
guint gst_plexus_decoder_get_threads (GstPlexusDecoder *dec);

gboolean gst_plexus_decoder_set_format (GstPlexusDecoder *dec,
    const GstVideoInfo *info, const GstPlexusJpegInfo *jpeg);
void gst_plexus_decoder_clear_format (GstPlexusDecoder *dec);

gboolean gst_plexus_decoder_decode (
    GstPlexusDecoder *dec, GstBuffer *jpeg, GstBuffer *out, gchar **error);

gboolean gst_plexus_decoder_is_parallel (GstPlexusDecoder *dec);
void gst_plexus_decoder_submit (
    GstPlexusDecoder *dec, GstBuffer *jpeg, GstBuffer *out);
guint gst_plexus_decoder_get_in_flight (GstPlexusDecoder *dec);
gboolean gst_plexus_decoder_is_busy (GstPlexusDecoder *dec);
gboolean gst_plexus_decoder_head_done (GstPlexusDecoder *dec);
gboolean gst_plexus_decoder_pop (
    GstPlexusDecoder *dec, GstBuffer **out, gchar **error);
void gst_plexus_decoder_wait (GstPlexusDecoder *dec,
    GstPlexusDecoderInputFunc has_input, gpointer user_data);
void gst_plexus_decoder_wake (GstPlexusDecoder *dec);
guint gst_plexus_decoder_discard (GstPlexusDecoder *dec);
void gst_plexus_decoder_stop (GstPlexusDecoder *dec);

GstCaps *gst_plexus_decoder_caps_for (const GstPlexusJpegInfo *jpeg);
GstBufferPool *gst_plexus_decoder_pool_new (
    GstQuery *allocation, GstCaps *caps, gsize size);

G_END_DECLS
