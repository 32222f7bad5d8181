/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/base/gstbasesrc.h>
#include <gst/sensor/sensor.h>

G_BEGIN_DECLS

#define GST_TYPE_SENSOR_TEST_SRC (gst_sensor_test_src_get_type ())
G_DECLARE_FINAL_TYPE (
    GstSensorTestSrc, gst_sensor_test_src, GST, SENSOR_TEST_SRC, GstBaseSrc)

/**
 * GstSensorTestSrcWaveform:
 * @GST_SENSOR_TEST_SRC_WAVE_AUTO: chosen from the modality
 * @GST_SENSOR_TEST_SRC_WAVE_PPG: pulse wave at heart-rate with dicrotic notch
 * @GST_SENSOR_TEST_SRC_WAVE_ACCEL: gravity on z plus periodic motion
 * @GST_SENSOR_TEST_SRC_WAVE_GYRO: periodic rotation rates
 * @GST_SENSOR_TEST_SRC_WAVE_SINE: sine at frequency
 * @GST_SENSOR_TEST_SRC_WAVE_SQUARE: square at frequency
 * @GST_SENSOR_TEST_SRC_WAVE_NOISE: seeded gaussian noise
 * @GST_SENSOR_TEST_SRC_WAVE_CONSTANT: the offset value
 * @GST_SENSOR_TEST_SRC_WAVE_COUNTER: the sample index (wraps like a
 *   hardware counter in integer formats)
 */
typedef enum {
  GST_SENSOR_TEST_SRC_WAVE_AUTO,
  GST_SENSOR_TEST_SRC_WAVE_PPG,
  GST_SENSOR_TEST_SRC_WAVE_ACCEL,
  GST_SENSOR_TEST_SRC_WAVE_GYRO,
  GST_SENSOR_TEST_SRC_WAVE_SINE,
  GST_SENSOR_TEST_SRC_WAVE_SQUARE,
  GST_SENSOR_TEST_SRC_WAVE_NOISE,
  GST_SENSOR_TEST_SRC_WAVE_CONSTANT,
  GST_SENSOR_TEST_SRC_WAVE_COUNTER,
} GstSensorTestSrcWaveform;

G_END_DECLS
