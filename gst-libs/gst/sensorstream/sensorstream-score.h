/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>
#include <gst/sensorstream/sensorstream-reading.h>

G_BEGIN_DECLS

/**
 * GST_SENSOR_STREAM_FALL_WINDOW:
 *
 * Readings whose |a| make up a device's "previous average"
 */
#define GST_SENSOR_STREAM_FALL_WINDOW 10

/**
 * GST_SENSOR_STREAM_FALL_MAX_DEVICES:
 *
 * Devices whose history is kept at once
 */
#define GST_SENSOR_STREAM_FALL_MAX_DEVICES 4096

/**
 * GST_SENSOR_STREAM_GRAVITY:
 *
 * Standard gravity, the previous average of a device not seen before
 */
#define GST_SENSOR_STREAM_GRAVITY 9.80665

/**
 * GstSensorStreamSensitivity:
 * @GST_SENSOR_STREAM_SENSITIVITY_CONSERVATIVE: free fall below -3.0 m/s^2,
 *   tumbling above 300 deg/s
 * @GST_SENSOR_STREAM_SENSITIVITY_BALANCED: free fall below -5.0 m/s^2,
 *   tumbling above 500 deg/s
 * @GST_SENSOR_STREAM_SENSITIVITY_SENSITIVE: free fall below -7.0 m/s^2,
 *   tumbling above 700 deg/s
 *
 * The documented fall detection presets (see
 * gst_sensor_stream_sensitivity_thresholds()).
 */
typedef enum {
  GST_SENSOR_STREAM_SENSITIVITY_CONSERVATIVE,
  GST_SENSOR_STREAM_SENSITIVITY_BALANCED,
  GST_SENSOR_STREAM_SENSITIVITY_SENSITIVE,
} GstSensorStreamSensitivity;

GType gst_sensor_stream_sensitivity_get_type (void);
/**
 * GST_TYPE_SENSOR_STREAM_SENSITIVITY:
 *
 * The #GType of #GstSensorStreamSensitivity.
 */
#define GST_TYPE_SENSOR_STREAM_SENSITIVITY                                     \
  (gst_sensor_stream_sensitivity_get_type ())

/**
 * GstSensorStreamFallLevel:
 * @GST_SENSOR_STREAM_FALL_NO_FALL: 0.00-0.30
 * @GST_SENSOR_STREAM_FALL_SUSPICIOUS: 0.31-0.50
 * @GST_SENSOR_STREAM_FALL_POTENTIAL: 0.51-0.70
 * @GST_SENSOR_STREAM_FALL_HIGH: 0.71-0.89
 * @GST_SENSOR_STREAM_FALL_CONFIRMED: 0.90-1.00
 *
 * The documented confidence bands (see
 * gst_sensor_stream_fall_level_for_confidence()).
 */
typedef enum {
  GST_SENSOR_STREAM_FALL_NO_FALL,
  GST_SENSOR_STREAM_FALL_SUSPICIOUS,
  GST_SENSOR_STREAM_FALL_POTENTIAL,
  GST_SENSOR_STREAM_FALL_HIGH,
  GST_SENSOR_STREAM_FALL_CONFIRMED,
} GstSensorStreamFallLevel;

/**
 * GstSensorStreamFallResult:
 * @confidence: 0..1
 * @level: the band of @confidence
 * @detected: level >= POTENTIAL
 * @free_fall: |a| dropped below the previous average by the threshold
 * @tumbling: |w| is above the threshold
 * @vertical: |a| deviates from gravity
 *
 * The fall score of one reading.
 */
typedef struct
{
  gdouble confidence;
  GstSensorStreamFallLevel level;
  gboolean detected;
  gboolean free_fall;
  gboolean tumbling;
  gboolean vertical;
} GstSensorStreamFallResult;

/**
 * GstSensorStreamFallDetector:
 *
 * Per-device fall scoring state: the recent |a| of each device; opaque.
 */
typedef struct _GstSensorStreamFallDetector GstSensorStreamFallDetector;

const gchar *gst_sensor_stream_fall_level_to_string (
    GstSensorStreamFallLevel level);

GstSensorStreamFallLevel gst_sensor_stream_fall_level_for_confidence (
    gdouble confidence);

void gst_sensor_stream_sensitivity_thresholds (
    GstSensorStreamSensitivity sensitivity, gdouble *accel_threshold,
    gdouble *gyro_threshold);

GstSensorStreamFallDetector *gst_sensor_stream_fall_detector_new (
    GstSensorStreamSensitivity sensitivity);

void gst_sensor_stream_fall_detector_free (GstSensorStreamFallDetector *fd);

void gst_sensor_stream_fall_detector_set_sensitivity (
    GstSensorStreamFallDetector *fd, GstSensorStreamSensitivity sensitivity);

void gst_sensor_stream_fall_detector_process (GstSensorStreamFallDetector *fd,
    const GstSensorStreamReading *reading, GstSensorStreamFallResult *result);

void gst_sensor_stream_fall_detector_reset (GstSensorStreamFallDetector *fd);

gint gst_sensor_stream_health_score (const GstSensorStreamReading *reading);

G_END_DECLS
