/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Documented: 1 request/s per device, burst 5 */
#define GST_SENSOR_STREAM_RATE_PER_SECOND 1.0
#define GST_SENSOR_STREAM_RATE_BURST 5

/* Returns the current time in monotonic microseconds. */
typedef gint64 (*GstSensorStreamClockFunc) (gpointer user_data);

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
