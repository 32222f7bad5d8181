/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The sensor-stream request parser: any bytes as a single reading and as
 * a batch, and the answers built from the result. A single reading and a
 * batch must come out the same from the flat readers and from json-glib.
 */
#include <gst/sensorstream/sensorstream.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

static void
same_as_json_glib (const uint8_t *data, size_t size,
    GstSensorStreamParseResult res, const GstSensorStreamReading *reading,
    const GstSensorStreamDetails *details)
{
  GstSensorStreamDetails ref_details;
  GstSensorStreamReading ref;
  GstSensorStreamParseResult ref_res;
  guint i, n;

  memset (&ref, 0, sizeof (ref));
  gst_sensor_stream_details_init (&ref_details);
  ref_res = gst_sensor_stream_parse_reading_json_glib (
      (const gchar *) data, size, &ref, &ref_details);
  n = gst_sensor_stream_details_count (details);
  if (ref_res != res || gst_sensor_stream_details_count (&ref_details) != n ||
      (res == GST_SENSOR_STREAM_PARSE_OK &&
          memcmp (&ref, reading, sizeof (ref)) != 0))
    abort ();
  for (i = 0; i < n; i++)
    if (!g_str_equal (g_ptr_array_index (details->fields, i),
            g_ptr_array_index (ref_details.fields, i)) ||
        !g_str_equal (g_ptr_array_index (details->messages, i),
            g_ptr_array_index (ref_details.messages, i)))
      abort ();
  gst_sensor_stream_details_clear (&ref_details);
}

static void
same_details (const GstSensorStreamDetails *a, const GstSensorStreamDetails *b)
{
  guint i, n = gst_sensor_stream_details_count (a);

  if (gst_sensor_stream_details_count (b) != n)
    abort ();
  for (i = 0; i < n; i++)
    if (!g_str_equal (g_ptr_array_index (a->fields, i),
            g_ptr_array_index (b->fields, i)) ||
        !g_str_equal (g_ptr_array_index (a->messages, i),
            g_ptr_array_index (b->messages, i)))
      abort ();
}

static void
same_batch_as_json_glib (const uint8_t *data, size_t size,
    GstSensorStreamParseResult res, const GArray *readings,
    const GstSensorStreamDetails *details)
{
  GstSensorStreamDetails ref_details;
  GstSensorStreamParseResult ref_res;
  GArray *ref = NULL;

  gst_sensor_stream_details_init (&ref_details);
  ref_res = gst_sensor_stream_parse_batch_json_glib (
      (const gchar *) data, size, &ref, &ref_details);
  if (ref_res != res || (ref == NULL) != (readings == NULL))
    abort ();
  if (ref &&
      (ref->len != readings->len ||
          memcmp (ref->data, readings->data,
              ref->len * sizeof (GstSensorStreamReading)) != 0))
    abort ();
  same_details (details, &ref_details);
  if (ref)
    g_array_unref (ref);
  gst_sensor_stream_details_clear (&ref_details);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GstSensorStreamDetails details;
  GstSensorStreamReading reading;
  GstSensorStreamParseResult res;
  GArray *readings = NULL;

  memset (&reading, 0, sizeof (reading));
  gst_sensor_stream_details_init (&details);
  res = gst_sensor_stream_parse_reading (
      (const gchar *) data, size, &reading, &details);
  same_as_json_glib (data, size, res, &reading, &details);
  answer (res, &details, &reading, 1);
  gst_sensor_stream_details_clear (&details);

  gst_sensor_stream_details_init (&details);
  res = gst_sensor_stream_parse_batch (
      (const gchar *) data, size, &readings, &details);
  same_batch_as_json_glib (data, size, res, readings, &details);
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
