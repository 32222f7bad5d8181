/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/base/gstbasetransform.h>

G_BEGIN_DECLS

/**
 * GstSensorResampleMethod:
 * @GST_SENSOR_RESAMPLE_METHOD_LINEAR: straight line between the two
 *   neighbouring input samples
 * @GST_SENSOR_RESAMPLE_METHOD_HOLD: the most recent input sample (zero-order
 *   hold)
 *
 * How irregular (rate 0/1) input becomes regular samples.
 */
typedef enum {
  GST_SENSOR_RESAMPLE_METHOD_LINEAR,
  GST_SENSOR_RESAMPLE_METHOD_HOLD,
} GstSensorResampleMethod;

#define GST_TYPE_SENSOR_RESAMPLE_METHOD (gst_sensor_resample_method_get_type ())
GType gst_sensor_resample_method_get_type (void);

#define GST_TYPE_SENSOR_RESAMPLE (gst_sensor_resample_get_type ())
G_DECLARE_FINAL_TYPE (GstSensorResample, gst_sensor_resample, GST,
    SENSOR_RESAMPLE, GstBaseTransform)

G_END_DECLS
