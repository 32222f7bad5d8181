/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "gstplexusjsonsrc.h"

G_BEGIN_DECLS

#define GST_TYPE_PLEXUS_METRICS_SRC (gst_plexus_metrics_src_get_type ())
G_DECLARE_FINAL_TYPE (GstPlexusMetricsSrc, gst_plexus_metrics_src, GST,
    PLEXUS_METRICS_SRC, GstPlexusJsonSrc)

G_END_DECLS
