/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * GstPlexusJpegSubsampling:
 * @GST_PLEXUS_JPEG_SUBSAMPLING_UNKNOWN: a layout not listed here
 * @GST_PLEXUS_JPEG_SUBSAMPLING_GRAY: one component
 * @GST_PLEXUS_JPEG_SUBSAMPLING_444: 4:4:4
 * @GST_PLEXUS_JPEG_SUBSAMPLING_422: 4:2:2
 * @GST_PLEXUS_JPEG_SUBSAMPLING_420: 4:2:0
 * @GST_PLEXUS_JPEG_SUBSAMPLING_440: 4:4:0
 * @GST_PLEXUS_JPEG_SUBSAMPLING_411: 4:1:1
 *
 * Chroma subsampling of a JPEG, from its frame header.
 */
typedef enum {
  GST_PLEXUS_JPEG_SUBSAMPLING_UNKNOWN = 0,
  GST_PLEXUS_JPEG_SUBSAMPLING_GRAY,
  GST_PLEXUS_JPEG_SUBSAMPLING_444,
  GST_PLEXUS_JPEG_SUBSAMPLING_422,
  GST_PLEXUS_JPEG_SUBSAMPLING_420,
  GST_PLEXUS_JPEG_SUBSAMPLING_440,
  GST_PLEXUS_JPEG_SUBSAMPLING_411,
} GstPlexusJpegSubsampling;

/**
 * GstPlexusJpegInfo:
 * @width: picture width in pixels
 * @height: picture height in pixels
 * @components: colour components (1 or 3)
 * @precision: bits per sample
 * @progressive: a progressive (SOF2) JPEG
 * @subsampling: chroma subsampling
 *
 * What the frame header (SOFn) of a JPEG says.
 */
typedef struct
{
  guint width;
  guint height;
  guint components;
  guint precision;
  gboolean progressive;
  GstPlexusJpegSubsampling subsampling;
} GstPlexusJpegInfo;

gboolean gst_plexus_jpeg_parse_header (
    const guint8 *data, gsize len, GstPlexusJpegInfo *info, GError **error);

const gchar *gst_plexus_jpeg_subsampling_name (GstPlexusJpegSubsampling s);

G_END_DECLS
