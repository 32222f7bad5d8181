/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

/* Symbols of libgstsensor are the only ones exported (the build uses
 * -fvisibility=hidden). */
#ifdef BUILDING_GST_SENSOR
#define GST_SENSOR_API __attribute__ ((visibility ("default"))) extern
#else
#define GST_SENSOR_API extern
#endif
