/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sensor/sensor-prelude.h>

G_BEGIN_DECLS

/**
 * GST_SENSOR_EPOCH_CAPS_STRING:
 *
 * Caps of the #GstReferenceTimestampMeta that carries the Unix epoch time
 * (nanoseconds) of a buffer's first sample.
 */
#define GST_SENSOR_EPOCH_CAPS_STRING "timestamp/x-unix"

GST_SENSOR_API
GstCaps *gst_sensor_epoch_get_caps (void);

GST_SENSOR_API
void gst_buffer_add_sensor_epoch (GstBuffer *buffer, GstClockTime epoch_ns);

GST_SENSOR_API
GstReferenceTimestampMeta *gst_buffer_set_sensor_epoch (
    GstBuffer *buffer, GstClockTime epoch_ns);

GST_SENSOR_API
gboolean gst_buffer_remove_sensor_epoch (GstBuffer *buffer);

GST_SENSOR_API
gboolean gst_buffer_get_sensor_epoch (
    GstBuffer *buffer, GstClockTime *epoch_ns);

GST_SENSOR_API
GstClockTime gst_sensor_epoch_for_running_time (
    GstElement *element, GstClockTime running_time, gboolean live);

GST_SENSOR_API
void gst_sensor_epoch_reset (GstElement *element);

G_END_DECLS
