/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * GST_PLEXUS_ERROR:
 *
 * The error domain of the Plexus library, codes from #GstPlexusError.
 */
#define GST_PLEXUS_ERROR (gst_plexus_error_quark ())
GQuark gst_plexus_error_quark (void);

/**
 * GstPlexusError:
 * @GST_PLEXUS_ERROR_TOO_LARGE: message over the size limit
 * @GST_PLEXUS_ERROR_MALFORMED: not a JSON object, or broken JSON
 * @GST_PLEXUS_ERROR_MISSING_FIELD: a required member is absent or has the
 *   wrong type
 * @GST_PLEXUS_ERROR_BAD_BASE64: `frame` is not base64
 * @GST_PLEXUS_ERROR_BAD_JPEG: the decoded frame is not a JPEG
 * @GST_PLEXUS_ERROR_SIZE_MISMATCH: JPEG size disagrees with width/height
 *
 * Why a Plexus message or frame was refused.
 */
typedef enum {
  GST_PLEXUS_ERROR_TOO_LARGE,
  GST_PLEXUS_ERROR_MALFORMED,
  GST_PLEXUS_ERROR_MISSING_FIELD,
  GST_PLEXUS_ERROR_BAD_BASE64,
  GST_PLEXUS_ERROR_BAD_JPEG,
  GST_PLEXUS_ERROR_SIZE_MISMATCH,
} GstPlexusError;

gssize gst_plexus_base64_validate (const gchar *text, gsize len);

GstBuffer *gst_plexus_base64_decode_to_buffer (
    const gchar *text, gsize len, GError **error);

void gst_plexus_base64_append (GString *out, const guint8 *data, gsize len);

G_END_DECLS
