/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

/**
 * SECTION:gstsensorprelude
 * @title: Export macro
 * @short_description: what marks a symbol of libgstsensor as exported
 */

/**
 * GST_SENSOR_API:
 *
 * Marks a public symbol of libgstsensor: the only ones exported, as the
 * build uses -fvisibility=hidden.
 */
#ifdef BUILDING_GST_SENSOR
#define GST_SENSOR_API __attribute__ ((visibility ("default"))) extern
#else
#define GST_SENSOR_API extern
#endif
