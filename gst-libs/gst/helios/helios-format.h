/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/helios/helios-channel.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

GstCaps *gst_helios_format_to_caps (
    const gchar *fourcc, guint width, guint height, GError **error);

/**
 * GstHeliosFrameLayout:
 * @n_planes: the number of planes
 * @offset: where each plane starts in the frame, in bytes
 * @stride: bytes per row of each plane
 * @size: bytes of the whole frame
 *
 * Planes of one raw frame as the device sends it: tightly packed, rows without
 * padding (NV12 chroma rows rounded up to whole samples).
 */
typedef struct
{
  guint n_planes;
  gsize offset[GST_VIDEO_MAX_PLANES];
  gint stride[GST_VIDEO_MAX_PLANES];
  gsize size;
} GstHeliosFrameLayout;

gboolean gst_helios_format_frame_layout (const gchar *fourcc, guint width,
    guint height, GstHeliosFrameLayout *layout);

gsize gst_helios_format_frame_size (
    const gchar *fourcc, guint width, guint height);

/**
 * GST_HELIOS_FRAME_CAPS:
 *
 * The caps every format maps into, for pad templates.
 */
#define GST_HELIOS_FRAME_CAPS                                                  \
  "image/jpeg, width = (int) [ 1, 16384 ], height = (int) [ 1, 16384 ]; "      \
  "video/x-h264, stream-format = (string) byte-stream, "                       \
  "alignment = (string) au; "                                                  \
  "video/x-raw, format = (string) { YUY2, NV12, GRAY8, RGB }, "                \
  "width = (int) [ 1, 16384 ], height = (int) [ 1, 16384 ]"

G_END_DECLS
