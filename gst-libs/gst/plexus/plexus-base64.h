/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Error domain of the Plexus library. */
#define GST_PLEXUS_ERROR (gst_plexus_error_quark ())
GQuark gst_plexus_error_quark (void);

typedef enum {
  GST_PLEXUS_ERROR_TOO_LARGE,     /* message over the size limit */
  GST_PLEXUS_ERROR_MALFORMED,     /* not a JSON object, or broken JSON */
  GST_PLEXUS_ERROR_MISSING_FIELD, /* a required member is absent or has the
                                     wrong type */
  GST_PLEXUS_ERROR_BAD_BASE64,    /* `frame` is not base64 */
  GST_PLEXUS_ERROR_BAD_JPEG,      /* the decoded frame is not a JPEG */
  GST_PLEXUS_ERROR_SIZE_MISMATCH, /* JPEG size disagrees with width/height */
} GstPlexusError;

/* Checks that @len bytes of JSON string content are base64 (standard
 * alphabet, optional '=' padding at the end only, `\/` escapes allowed) and
 * returns the number of base64 symbols, or -1 when it is not base64. */
gssize gst_plexus_base64_validate (const gchar *text, gsize len);

/* Decodes validated base64 text straight into the memory of a new buffer
 * (no intermediate copy). @text may contain `\/` escapes. */
GstBuffer *gst_plexus_base64_decode_to_buffer (
    const gchar *text, gsize len, GError **error);

/* Appends the base64 encoding of @data to @out. */
void gst_plexus_base64_append (GString *out, const guint8 *data, gsize len);

G_END_DECLS
