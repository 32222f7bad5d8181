/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/base/gstpushsrc.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_RAMEN_SRC (gst_ramen_src_get_type ())
G_DECLARE_FINAL_TYPE (GstRamenSrc, gst_ramen_src, GST, RAMEN_SRC, GstPushSrc);

G_END_DECLS
