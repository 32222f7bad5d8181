/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sensor/sensor-info.h>

G_BEGIN_DECLS

/**
 * GstSensorWaveformKind:
 * @GST_SENSOR_WAVEFORM_PPG: pulse wave at heart_rate with dicrotic notch
 * @GST_SENSOR_WAVEFORM_ACCEL: gravity on z plus periodic motion (m/s^2)
 * @GST_SENSOR_WAVEFORM_GYRO: periodic rotation rates (deg/s)
 * @GST_SENSOR_WAVEFORM_SINE: sine at frequency
 * @GST_SENSOR_WAVEFORM_SQUARE: square at frequency
 * @GST_SENSOR_WAVEFORM_NOISE: seeded uniform noise
 * @GST_SENSOR_WAVEFORM_CONSTANT: the offset value
 * @GST_SENSOR_WAVEFORM_COUNTER: the sample index (wraps like a hardware
 *   counter in integer formats)
 *
 * The signals gst_sensor_waveform_fill() synthesises. The values start at 1
 * so that 0 can stand for "chosen from the modality" in element enums.
 */
typedef enum {
  GST_SENSOR_WAVEFORM_PPG = 1,
  GST_SENSOR_WAVEFORM_ACCEL,
  GST_SENSOR_WAVEFORM_GYRO,
  GST_SENSOR_WAVEFORM_SINE,
  GST_SENSOR_WAVEFORM_SQUARE,
  GST_SENSOR_WAVEFORM_NOISE,
  GST_SENSOR_WAVEFORM_CONSTANT,
  GST_SENSOR_WAVEFORM_COUNTER,
} GstSensorWaveformKind;

/**
 * GstSensorWaveformParams:
 * @kind: the signal
 * @heart_rate: beats per minute of the PPG wave
 * @ppg_amplitude: height of the PPG systolic peak above @ppg_baseline
 * @ppg_baseline: PPG value between beats
 * @motion: peak acceleration of the motion (m/s^2), on x; y and z get a
 *   part of it
 * @motion_frequency: frequency of accelerometer and gyroscope motion (Hz)
 * @gyro_amplitude: peak rotation rate on x (deg/s)
 * @frequency: frequency of sine and square (Hz)
 * @amplitude: peak of sine, square and noise
 * @offset: value added to sine, square and noise; the constant's value
 * @noise_level: peak of uniform noise added to every waveform but the
 *   counter
 * @full_scale: value of the largest code when the output is an integer
 *   format, as gst_sensor_convert_samples() takes it; 0 writes values as
 *   they are. The counter is never scaled.
 *
 * What to synthesise. The parameters may change between calls of
 * gst_sensor_waveform_fill(); the PPG phase goes on from where it was.
 */
typedef struct
{
  GstSensorWaveformKind kind;
  gdouble heart_rate;
  gdouble ppg_amplitude;
  gdouble ppg_baseline;
  gdouble motion;
  gdouble motion_frequency;
  gdouble gyro_amplitude;
  gdouble frequency;
  gdouble amplitude;
  gdouble offset;
  gdouble noise_level;
  gdouble full_scale;
} GstSensorWaveformParams;

/**
 * GstSensorWaveform:
 *
 * The state of a synthesis (PPG phase, noise generator); opaque.
 */
typedef struct _GstSensorWaveform GstSensorWaveform;

GST_SENSOR_API
GstSensorWaveformKind gst_sensor_waveform_kind_for_modality (
    const gchar *modality);

GST_SENSOR_API
gdouble gst_sensor_waveform_typical_value (const gchar *modality);

GST_SENSOR_API
GstSensorWaveform *gst_sensor_waveform_new (guint32 seed);

GST_SENSOR_API
void gst_sensor_waveform_free (GstSensorWaveform *waveform);

GST_SENSOR_API
void gst_sensor_waveform_seek (GstSensorWaveform *waveform,
    const GstSensorWaveformParams *params, const GstSensorInfo *info,
    guint64 sample);

GST_SENSOR_API
void gst_sensor_waveform_fill (GstSensorWaveform *waveform,
    const GstSensorWaveformParams *params, const GstSensorInfo *info,
    guint64 first_sample, guint8 *data, guint n_samples);

G_END_DECLS
