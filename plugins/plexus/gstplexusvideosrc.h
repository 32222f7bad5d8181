/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_PLEXUS_VIDEO_SRC (gst_plexus_video_src_get_type ())
G_DECLARE_FINAL_TYPE (
    GstPlexusVideoSrc, gst_plexus_video_src, GST, PLEXUS_VIDEO_SRC, GstElement)

/* Name of the custom meta on every output buffer: camera-id, width,
 * height, subsampling and, for thermal cameras, video-type, sensor-width,
 * sensor-height, temp-min, temp-max and temps (GBytes of float32). */
#define GST_PLEXUS_FRAME_META_NAME "GstPlexusFrameMeta"

G_END_DECLS
