/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <libsoup/soup.h>
#include <gst/sensorstream/sensorstream.h>

G_BEGIN_DECLS

#define GST_TYPE_RP_SENSOR_SRC (gst_rp_sensor_src_get_type ())
G_DECLARE_FINAL_TYPE (
    GstRpSensorSrc, gst_rp_sensor_src, GST, RP_SENSOR_SRC, GstElement)

G_END_DECLS
