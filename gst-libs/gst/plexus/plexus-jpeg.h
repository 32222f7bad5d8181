/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

typedef enum {
  GST_PLEXUS_JPEG_SUBSAMPLING_UNKNOWN = 0,
  GST_PLEXUS_JPEG_SUBSAMPLING_GRAY,
  GST_PLEXUS_JPEG_SUBSAMPLING_444,
  GST_PLEXUS_JPEG_SUBSAMPLING_422,
  GST_PLEXUS_JPEG_SUBSAMPLING_420,
  GST_PLEXUS_JPEG_SUBSAMPLING_440,
  GST_PLEXUS_JPEG_SUBSAMPLING_411,
} GstPlexusJpegSubsampling;

/* What the frame header (SOFn) of a JPEG says. */
typedef struct
{
  guint width;
  guint height;
  guint components;
  guint precision;
  gboolean progressive;
  GstPlexusJpegSubsampling subsampling;
} GstPlexusJpegInfo;

/* Walks the markers from SOI to the first SOFn without decoding anything.
 * FALSE with a GST_PLEXUS_ERROR_BAD_JPEG error when the data is not a
 * JPEG or the header is truncated. */
gboolean gst_plexus_jpeg_parse_header (
    const guint8 *data, gsize len, GstPlexusJpegInfo *info, GError **error);

const gchar *gst_plexus_jpeg_subsampling_name (GstPlexusJpegSubsampling s);

G_END_DECLS
