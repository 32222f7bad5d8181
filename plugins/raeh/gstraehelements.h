/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

GST_ELEMENT_REGISTER_DECLARE (raehframepack);
GST_ELEMENT_REGISTER_DECLARE (raehsink);

G_END_DECLS
