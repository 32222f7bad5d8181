/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/plexus/plexus-video.h> /* GST_PLEXUS_FRAME_META_NAME */

G_BEGIN_DECLS

#define GST_TYPE_PLEXUS_VIDEO_SRC (gst_plexus_video_src_get_type ())
G_DECLARE_FINAL_TYPE (
    GstPlexusVideoSrc, gst_plexus_video_src, GST, PLEXUS_VIDEO_SRC, GstElement)

G_END_DECLS
