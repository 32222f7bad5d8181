/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "gstplexusjsonsrc.h"

G_BEGIN_DECLS

#define GST_TYPE_PLEXUS_LOG_SRC (gst_plexus_log_src_get_type ())
G_DECLARE_FINAL_TYPE (
    GstPlexusLogSrc, gst_plexus_log_src, GST, PLEXUS_LOG_SRC, GstPlexusJsonSrc)

G_END_DECLS
