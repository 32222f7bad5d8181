/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sensorstream/sensorstream-reading.h>

G_BEGIN_DECLS

/**
 * GST_SENSOR_STREAM_DEFAULT_MAX_CLOCK_SKEW_S:
 *
 * How far a client_timestamp may be ahead of the server's clock: a sink that
 * syncs waits until then, holding every later reading of its pad.
 */
#define GST_SENSOR_STREAM_DEFAULT_MAX_CLOCK_SKEW_S 300
/**
 * GST_SENSOR_STREAM_DEFAULT_MAX_READING_AGE_S:
 *
 * How old a client_timestamp may be: readings a device kept while offline are
 * welcome, for a day.
 */
#define GST_SENSOR_STREAM_DEFAULT_MAX_READING_AGE_S 86400

gboolean gst_sensor_stream_check_clock (const GArray *readings, gboolean batch,
    gint64 now_us, guint max_skew_s, guint max_age_s,
    GstSensorStreamDetails *details);

guint64 gst_sensor_stream_epoch_us_to_ns (gint64 epoch_us);

G_END_DECLS
