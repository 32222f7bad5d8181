/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "raeh-error.h"

G_DEFINE_QUARK (gst - raeh - error - quark, gst_raeh_error);
