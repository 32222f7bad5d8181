/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/base/gstpushsrc.h>

G_BEGIN_DECLS

#define GST_TYPE_HELIOS_SRC (gst_helios_src_get_type ())
G_DECLARE_FINAL_TYPE (GstHeliosSrc, gst_helios_src, GST, HELIOS_SRC, GstPushSrc)

G_END_DECLS
