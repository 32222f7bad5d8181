/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * GST_SENSOR_STREAM_MAC_LEN:
 *
 * "AA:BB:CC:DD:EE:FF" plus the terminating NUL
 */
#define GST_SENSOR_STREAM_MAC_LEN 18

gboolean gst_sensor_stream_normalize_mac (
    const gchar *device_id, gchar out[GST_SENSOR_STREAM_MAC_LEN]);

G_END_DECLS
