/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sensor/sensor-info.h>

G_BEGIN_DECLS

/**
 * GstSensorInterpolateMethod:
 * @GST_SENSOR_INTERPOLATE_LINEAR: straight line between the two input
 *   samples around an output time
 * @GST_SENSOR_INTERPOLATE_HOLD: the most recent input sample (zero-order
 *   hold)
 *
 * How irregular samples become a regular grid.
 */
typedef enum {
  GST_SENSOR_INTERPOLATE_LINEAR,
  GST_SENSOR_INTERPOLATE_HOLD,
} GstSensorInterpolateMethod;

/**
 * GstSensorInterpolator:
 *
 * Irregular samples (one frame each, with its time) to a regular grid
 * t0 + k / rate; opaque.
 */
typedef struct _GstSensorInterpolator GstSensorInterpolator;

GST_SENSOR_API
GstSensorInterpolator *gst_sensor_interpolator_new (const GstSensorInfo *in,
    const GstSensorInfo *out, GstSensorInterpolateMethod method,
    gdouble full_scale);

GST_SENSOR_API
void gst_sensor_interpolator_free (GstSensorInterpolator *interp);

GST_SENSOR_API
void gst_sensor_interpolator_reset (
    GstSensorInterpolator *interp, GstClockTime t0);

GST_SENSOR_API
GstClockTime gst_sensor_interpolator_get_last_time (
    const GstSensorInterpolator *interp);

GST_SENSOR_API
guint64 gst_sensor_interpolator_n_before (
    const GstSensorInterpolator *interp, GstClockTime time);

GST_SENSOR_API
guint64 gst_sensor_interpolator_push (GstSensorInterpolator *interp,
    GstClockTime time, const guint8 *frame, guint8 *out);

GST_SENSOR_API
guint64 gst_sensor_interpolator_n_drain (const GstSensorInterpolator *interp);

GST_SENSOR_API
guint64 gst_sensor_interpolator_drain (
    GstSensorInterpolator *interp, guint8 *out);

G_END_DECLS
