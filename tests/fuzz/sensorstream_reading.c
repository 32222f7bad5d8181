/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The sensor-stream request parser: any bytes as a single reading and as
 * a batch, and the answers built from the result.
 */
#include <gst/sensorstream/sensorstream.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
answer (GstSensorStreamParseResult res, GstSensorStreamDetails *details,
    const GstSensorStreamReading *r, guint n)
{
  gchar *body = NULL;

  if (res == GST_SENSOR_STREAM_PARSE_INVALID)
    body = gst_sensor_stream_validation_body (details);
  else if (res == GST_SENSOR_STREAM_PARSE_OK) {
    GstSensorStreamFallDetector *fd = gst_sensor_stream_fall_detector_new (
        GST_SENSOR_STREAM_SENSITIVITY_BALANCED);
    GstSensorStreamFallResult fall = {
      0,
    };
    guint i;

    for (i = 0; i < n; i++)
      gst_sensor_stream_fall_detector_process (fd, &r[i], &fall);
    body = gst_sensor_stream_success_body (r[0].device_id,
        r[0].client_timestamp_us, fall.detected, fall.confidence,
        gst_sensor_stream_health_score (&r[0]), 0, n);
    gst_sensor_stream_fall_detector_free (fd);
  }
  g_free (body);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GstSensorStreamDetails details;
  GstSensorStreamReading reading;
  GstSensorStreamParseResult res;
  GArray *readings = NULL;

  gst_sensor_stream_details_init (&details);
  res = gst_sensor_stream_parse_reading (
      (const gchar *) data, size, &reading, &details);
  answer (res, &details, &reading, 1);
  gst_sensor_stream_details_clear (&details);

  gst_sensor_stream_details_init (&details);
  res = gst_sensor_stream_parse_batch (
      (const gchar *) data, size, &readings, &details);
  if (readings) {
    answer (res, &details, (GstSensorStreamReading *) readings->data,
        readings->len);
    g_array_unref (readings);
  } else {
    answer (res, &details, NULL, 0);
  }
  gst_sensor_stream_details_clear (&details);
  return 0;
}
