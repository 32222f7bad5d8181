/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sensorstream/sensorstream-reading.h>

G_BEGIN_DECLS

/**
 * GST_SENSOR_STREAM_ISO8601_LEN:
 *
 * The length of a time gst_sensor_stream_format_iso8601() writes,
 * "YYYY-MM-DDTHH:MM:SS.mmmZ".
 */
#define GST_SENSOR_STREAM_ISO8601_LEN 24

gchar *gst_sensor_stream_format_iso8601 (gint64 epoch_us);

gchar *gst_sensor_stream_success_body (const gchar *device_id,
    gint64 timestamp_us, gboolean fall_detected, gdouble fall_confidence,
    gint health_score, gint64 next_allowed_us, gint readings);

gchar *gst_sensor_stream_validation_body (
    const GstSensorStreamDetails *details);

gchar *gst_sensor_stream_error_body (const gchar *error);

gchar *gst_sensor_stream_rate_limit_body (gint64 retry_after_ms);

G_END_DECLS
