/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>
#include <gst/sensorstream/sensorstream-reading.h>

G_BEGIN_DECLS

/* Readings whose |a| make up a device's "previous average" */
#define GST_SENSOR_STREAM_FALL_WINDOW 10

/* Devices whose history is kept at once */
#define GST_SENSOR_STREAM_FALL_MAX_DEVICES 4096

/* Standard gravity, the previous average of a device not seen before */
#define GST_SENSOR_STREAM_GRAVITY 9.80665

typedef enum {
  GST_SENSOR_STREAM_SENSITIVITY_CONSERVATIVE,
  GST_SENSOR_STREAM_SENSITIVITY_BALANCED,
  GST_SENSOR_STREAM_SENSITIVITY_SENSITIVE,
} GstSensorStreamSensitivity;

GType gst_sensor_stream_sensitivity_get_type (void);
#define GST_TYPE_SENSOR_STREAM_SENSITIVITY                                     \
  (gst_sensor_stream_sensitivity_get_type ())

typedef enum {
  GST_SENSOR_STREAM_FALL_NO_FALL,
  GST_SENSOR_STREAM_FALL_SUSPICIOUS,
  GST_SENSOR_STREAM_FALL_POTENTIAL,
  GST_SENSOR_STREAM_FALL_HIGH,
  GST_SENSOR_STREAM_FALL_CONFIRMED,
} GstSensorStreamFallLevel;

typedef struct
{
  gdouble confidence; /* [0, 1] */
  GstSensorStreamFallLevel level;
  gboolean detected; /* level >= POTENTIAL */
  gboolean free_fall;
  gboolean tumbling;
  gboolean vertical;
} GstSensorStreamFallResult;

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
