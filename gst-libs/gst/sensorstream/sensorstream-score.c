/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:sensorstream-score
 * @title: Fall and health scores
 * @short_description: the documented rule scores of a sensorstream reading
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensorstream-score.h"

#include <math.h>

/* The documented rule score: three components (0.3 free fall, 0.3
 * tumbling, 0.2 vertical), summed and capped at 1. The components add up to
 * 0.8, so CONFIRMED cannot be reached by the rules alone; it is kept in the
 * level table as documented. */
#define FREE_FALL_POINTS 0.3
#define TUMBLING_POINTS 0.3
#define VERTICAL_POINTS 0.2
#define VERTICAL_DEVIATION 3.0
#define VERTICAL_REFERENCE 9.8

typedef struct
{
  gdouble magnitudes[GST_SENSOR_STREAM_FALL_WINDOW];
  guint count; /* valid entries, up to the window */
  guint next;  /* ring write position */
} DeviceState;

struct _GstSensorStreamFallDetector
{
  GstSensorStreamSensitivity sensitivity;
  GHashTable *devices; /* device id -> DeviceState */
};

/**
 * gst_sensor_stream_sensitivity_get_type:
 *
 * Returns: the #GType of #GstSensorStreamSensitivity
 */
GType
gst_sensor_stream_sensitivity_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { GST_SENSOR_STREAM_SENSITIVITY_CONSERVATIVE,
        "Conservative: free fall below -3.0 m/s^2, tumbling above 300 deg/s",
        "conservative" },
    { GST_SENSOR_STREAM_SENSITIVITY_BALANCED,
        "Balanced: free fall below -5.0 m/s^2, tumbling above 500 deg/s",
        "balanced" },
    { GST_SENSOR_STREAM_SENSITIVITY_SENSITIVE,
        "Sensitive: free fall below -7.0 m/s^2, tumbling above 700 deg/s",
        "sensitive" },
    { 0, NULL, NULL }
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSensorStreamSensitivity", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

/**
 * gst_sensor_stream_fall_level_to_string:
 * @level: a band
 *
 * Returns: its documented name ("NO_FALL", "SUSPICIOUS", ...)
 */
const gchar *
gst_sensor_stream_fall_level_to_string (GstSensorStreamFallLevel level)
{
  switch (level) {
    case GST_SENSOR_STREAM_FALL_NO_FALL:
      return "NO_FALL";
    case GST_SENSOR_STREAM_FALL_SUSPICIOUS:
      return "SUSPICIOUS";
    case GST_SENSOR_STREAM_FALL_POTENTIAL:
      return "POTENTIAL";
    case GST_SENSOR_STREAM_FALL_HIGH:
      return "HIGH";
    case GST_SENSOR_STREAM_FALL_CONFIRMED:
      return "CONFIRMED";
  }
  return "NO_FALL";
}

/**
 * gst_sensor_stream_fall_level_for_confidence:
 * @confidence: a fall confidence, 0..1
 *
 * The documented bands (NO_FALL 0.00-0.30, SUSPICIOUS 0.31-0.50, POTENTIAL
 * 0.51-0.70, HIGH 0.71-0.89, CONFIRMED 0.90-1.00), compared in hundredths so
 * that 0.3 + 0.2 is 0.50 and not a rounding error above it.
 *
 * Returns: its band
 */
GstSensorStreamFallLevel
gst_sensor_stream_fall_level_for_confidence (gdouble confidence)
{
  gint hundredths = (gint) lround (CLAMP (confidence, 0.0, 1.0) * 100.0);

  if (hundredths >= 90)
    return GST_SENSOR_STREAM_FALL_CONFIRMED;
  if (hundredths >= 71)
    return GST_SENSOR_STREAM_FALL_HIGH;
  if (hundredths >= 51)
    return GST_SENSOR_STREAM_FALL_POTENTIAL;
  if (hundredths >= 31)
    return GST_SENSOR_STREAM_FALL_SUSPICIOUS;
  return GST_SENSOR_STREAM_FALL_NO_FALL;
}

/**
 * gst_sensor_stream_sensitivity_thresholds:
 * @sensitivity: a preset
 * @accel_threshold: (out): the free-fall threshold
 * @gyro_threshold: (out): the tumbling threshold
 *
 * The documented presets, as given: the free-fall threshold is the drop of
 * |a| below the previous average (m/s^2), the gyro threshold the |w| above
 * which the device is tumbling (deg/s).
 */
void
gst_sensor_stream_sensitivity_thresholds (
    GstSensorStreamSensitivity sensitivity, gdouble *accel_threshold,
    gdouble *gyro_threshold)
{
  switch (sensitivity) {
    case GST_SENSOR_STREAM_SENSITIVITY_CONSERVATIVE:
      *accel_threshold = -3.0;
      *gyro_threshold = 300.0;
      break;
    case GST_SENSOR_STREAM_SENSITIVITY_SENSITIVE:
      *accel_threshold = -7.0;
      *gyro_threshold = 700.0;
      break;
    case GST_SENSOR_STREAM_SENSITIVITY_BALANCED:
    default:
      *accel_threshold = -5.0;
      *gyro_threshold = 500.0;
      break;
  }
}

/**
 * gst_sensor_stream_fall_detector_new:
 * @sensitivity: the preset
 *
 * Per-device fall scoring state. Not thread-safe: one thread feeds it.
 *
 * Returns: (transfer full): a detector with no history
 */
GstSensorStreamFallDetector *
gst_sensor_stream_fall_detector_new (GstSensorStreamSensitivity sensitivity)
{
  GstSensorStreamFallDetector *fd = g_new0 (GstSensorStreamFallDetector, 1);

  fd->sensitivity = sensitivity;
  fd->devices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return fd;
}

/**
 * gst_sensor_stream_fall_detector_free:
 * @fd: (transfer full) (nullable): a detector
 *
 * Frees @fd.
 */
void
gst_sensor_stream_fall_detector_free (GstSensorStreamFallDetector *fd)
{
  if (fd == NULL)
    return;
  g_hash_table_unref (fd->devices);
  g_free (fd);
}

/**
 * gst_sensor_stream_fall_detector_set_sensitivity:
 * @fd: a detector
 * @sensitivity: the preset for the next readings
 *
 * Changes the preset; the history of every device is kept.
 */
void
gst_sensor_stream_fall_detector_set_sensitivity (
    GstSensorStreamFallDetector *fd, GstSensorStreamSensitivity sensitivity)
{
  fd->sensitivity = sensitivity;
}

/**
 * gst_sensor_stream_fall_detector_reset:
 * @fd: a detector
 *
 * Forgets the history of every device.
 */
void
gst_sensor_stream_fall_detector_reset (GstSensorStreamFallDetector *fd)
{
  g_hash_table_remove_all (fd->devices);
}

/**
 * gst_sensor_stream_fall_detector_process:
 * @fd: a detector
 * @reading: a validated reading
 * @result: (out): score of this reading
 *
 * Scores @reading against the device's previous average |a| (the mean of
 * its last %GST_SENSOR_STREAM_FALL_WINDOW readings, gravity before the
 * first), then adds it to that history.
 */
void
gst_sensor_stream_fall_detector_process (GstSensorStreamFallDetector *fd,
    const GstSensorStreamReading *reading, GstSensorStreamFallResult *result)
{
  DeviceState *st = g_hash_table_lookup (fd->devices, reading->device_id);
  gdouble accel_threshold, gyro_threshold, total_accel, total_gyro, prev_avg;
  gdouble score = 0.0;
  guint i;

  if (st == NULL) {
    /* bounded: past this many devices the histories start over rather
     * than grow with every made-up device id */
    if (g_hash_table_size (fd->devices) >= GST_SENSOR_STREAM_FALL_MAX_DEVICES)
      g_hash_table_remove_all (fd->devices);
    st = g_new0 (DeviceState, 1);
    g_hash_table_insert (fd->devices, g_strdup (reading->device_id), st);
  }
  gst_sensor_stream_sensitivity_thresholds (
      fd->sensitivity, &accel_threshold, &gyro_threshold);

  total_accel = sqrt (reading->accel[0] * reading->accel[0] +
      reading->accel[1] * reading->accel[1] +
      reading->accel[2] * reading->accel[2]);
  total_gyro = sqrt (reading->gyro[0] * reading->gyro[0] +
      reading->gyro[1] * reading->gyro[1] +
      reading->gyro[2] * reading->gyro[2]);

  if (st->count == 0) {
    prev_avg = GST_SENSOR_STREAM_GRAVITY;
  } else {
    prev_avg = 0.0;
    for (i = 0; i < st->count; i++)
      prev_avg += st->magnitudes[i];
    prev_avg /= st->count;
  }

  result->free_fall = total_accel - prev_avg < accel_threshold;
  result->tumbling = total_gyro > gyro_threshold;
  result->vertical =
      fabs (reading->accel[2] - VERTICAL_REFERENCE) > VERTICAL_DEVIATION;
  if (result->free_fall)
    score += FREE_FALL_POINTS;
  if (result->tumbling)
    score += TUMBLING_POINTS;
  if (result->vertical)
    score += VERTICAL_POINTS;

  result->confidence = MIN (score, 1.0);
  result->level =
      gst_sensor_stream_fall_level_for_confidence (result->confidence);
  result->detected = result->level >= GST_SENSOR_STREAM_FALL_POTENTIAL;

  st->magnitudes[st->next] = total_accel;
  st->next = (st->next + 1) % GST_SENSOR_STREAM_FALL_WINDOW;
  if (st->count < GST_SENSOR_STREAM_FALL_WINDOW)
    st->count++;
}

/**
 * gst_sensor_stream_health_score:
 * @reading: a validated reading
 *
 * The documented health score of one reading: 100, minus 10 when the heart
 * rate is below 60 or above 100, minus ceil((95 - SpO2) x 2) when SpO2 is
 * below 95, minus 15 when the battery is below 20 %, never below 0. A field
 * the reading does not carry costs nothing.
 *
 * Returns: the score, 0..100
 */
gint
gst_sensor_stream_health_score (const GstSensorStreamReading *reading)
{
  gint score = 100;

  if ((reading->present & GST_SENSOR_STREAM_HAS_HEART_RATE) &&
      (reading->heart_rate < 60 || reading->heart_rate > 100))
    score -= 10;
  if ((reading->present & GST_SENSOR_STREAM_HAS_SPO2) && reading->spo2 < 95)
    score -= (gint) ceil ((95 - reading->spo2) * 2.0);
  if ((reading->present & GST_SENSOR_STREAM_HAS_BATTERY_LEVEL) &&
      reading->battery_level < 20.0)
    score -= 15;
  return MAX (score, 0);
}
