/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * GST_SENSOR_STREAM_RATE_PER_SECOND:
 *
 * The documented rate: 1 request a second per device.
 */
#define GST_SENSOR_STREAM_RATE_PER_SECOND 1.0

/**
 * GST_SENSOR_STREAM_RATE_BURST:
 *
 * The documented burst: 5 requests.
 */
#define GST_SENSOR_STREAM_RATE_BURST 5

/**
 * GstSensorStreamClockFunc:
 * @user_data: the data given with the function
 *
 * A time source.
 *
 * Returns: the current time in monotonic microseconds
 */
typedef gint64 (*GstSensorStreamClockFunc) (gpointer user_data);

/**
 * GstSensorStreamRateLimiter:
 *
 * A token bucket per key (device id); thread-safe, opaque.
 */
typedef struct _GstSensorStreamRateLimiter GstSensorStreamRateLimiter;

GstSensorStreamRateLimiter *gst_sensor_stream_rate_limiter_new (
    gdouble rate_per_second, guint burst, GstSensorStreamClockFunc clock,
    gpointer user_data);

void gst_sensor_stream_rate_limiter_free (GstSensorStreamRateLimiter *rl);

gboolean gst_sensor_stream_rate_limiter_acquire (GstSensorStreamRateLimiter *rl,
    const gchar *key, gint64 *retry_after_us, gint64 *next_allowed_us);

void gst_sensor_stream_rate_limiter_reset (GstSensorStreamRateLimiter *rl);

guint gst_sensor_stream_rate_limiter_size (GstSensorStreamRateLimiter *rl);

G_END_DECLS
