/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

GST_ELEMENT_REGISTER_DECLARE (plexusvideosrc);
GST_ELEMENT_REGISTER_DECLARE (plexusmetricssrc);
GST_ELEMENT_REGISTER_DECLARE (plexuslogsrc);

G_END_DECLS
