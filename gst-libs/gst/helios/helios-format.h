/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/helios/helios-channel.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

/* The frames channel's `format` message -> caps. MJPG -> image/jpeg, H264 ->
 * video/x-h264 (byte-stream, one access unit per message), YUYV, NV12, GREY
 * and RGB3 (and their common aliases) -> video/x-raw. Frame rate is 0/1: the
 * server sends the latest frame whenever it changes. NULL with
 * GST_HELIOS_ERROR_UNKNOWN_FOURCC naming the fourcc otherwise. */
GstCaps *gst_helios_format_to_caps (
    const gchar *fourcc, guint width, guint height, GError **error);

/* Planes of one raw frame as the device sends it: tightly packed, rows
 * without padding (NV12 chroma rows rounded up to whole samples). */
typedef struct
{
  guint n_planes;
  gsize offset[GST_VIDEO_MAX_PLANES];
  gint stride[GST_VIDEO_MAX_PLANES];
  gsize size; /* bytes of the whole frame */
} GstHeliosFrameLayout;

/* Fills @layout for raw formats; FALSE for compressed formats (any size)
 * and unknown fourccs. */
gboolean gst_helios_format_frame_layout (const gchar *fourcc, guint width,
    guint height, GstHeliosFrameLayout *layout);

/* Bytes of one raw frame of this format (see above), or 0 for compressed
 * formats and unknown fourccs. */
gsize gst_helios_format_frame_size (
    const gchar *fourcc, guint width, guint height);

/* The caps every format maps into, for pad templates. */
#define GST_HELIOS_FRAME_CAPS                                                  \
  "image/jpeg, width = (int) [ 1, 16384 ], height = (int) [ 1, 16384 ]; "      \
  "video/x-h264, stream-format = (string) byte-stream, "                       \
  "alignment = (string) au; "                                                  \
  "video/x-raw, format = (string) { YUY2, NV12, GRAY8, RGB }, "                \
  "width = (int) [ 1, 16384 ], height = (int) [ 1, 16384 ]"

G_END_DECLS
