/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <gst/sensorstream/sensorstream-mac.h>

G_BEGIN_DECLS

/**
 * GST_SENSOR_STREAM_BATCH_MAX:
 *
 * Documented limit of POST /api/device/sensor-stream/batch
 */
#define GST_SENSOR_STREAM_BATCH_MAX 100

/**
 * GST_SENSOR_STREAM_MAX_DEPTH:
 *
 * JSON nesting deeper than this is refused before parsing: a reading is flat,
 * a batch is two levels deep.
 */
#define GST_SENSOR_STREAM_MAX_DEPTH 16

/**
 * GST_SENSOR_STREAM_MAX_DETAILS:
 *
 * Per-field details kept in one error body; more are left out so that a batch
 * of bad readings cannot produce an unbounded answer.
 */
#define GST_SENSOR_STREAM_MAX_DETAILS 100

/**
 * GstSensorStreamFields:
 * @GST_SENSOR_STREAM_HAS_PRESSURE: `pressure`
 * @GST_SENSOR_STREAM_HAS_FSR: `fsr`
 * @GST_SENSOR_STREAM_HAS_HEART_RATE: `heart_rate`
 * @GST_SENSOR_STREAM_HAS_SPO2: `spo2`
 * @GST_SENSOR_STREAM_HAS_BATTERY_LEVEL: `battery_level`
 * @GST_SENSOR_STREAM_HAS_WIFI_CONNECTED: `wifi_connected`
 * @GST_SENSOR_STREAM_HAS_BLUETOOTH_CONNECTED: `bluetooth_connected`
 * @GST_SENSOR_STREAM_HAS_SENSORS_INITIALIZED: `sensors_initialized`
 * @GST_SENSOR_STREAM_HAS_CLIENT_TIMESTAMP: `client_timestamp`
 *
 * Which optional fields a reading carries.
 */
typedef enum {
  GST_SENSOR_STREAM_HAS_PRESSURE = 1 << 0,
  GST_SENSOR_STREAM_HAS_FSR = 1 << 1,
  GST_SENSOR_STREAM_HAS_HEART_RATE = 1 << 2,
  GST_SENSOR_STREAM_HAS_SPO2 = 1 << 3,
  GST_SENSOR_STREAM_HAS_BATTERY_LEVEL = 1 << 4,
  GST_SENSOR_STREAM_HAS_WIFI_CONNECTED = 1 << 5,
  GST_SENSOR_STREAM_HAS_BLUETOOTH_CONNECTED = 1 << 6,
  GST_SENSOR_STREAM_HAS_SENSORS_INITIALIZED = 1 << 7,
  GST_SENSOR_STREAM_HAS_CLIENT_TIMESTAMP = 1 << 8,
} GstSensorStreamFields;

/**
 * GstSensorStreamReading:
 * @device_id: normalised MAC address, "AA:BB:CC:DD:EE:FF"
 * @accel: m/s^2, x y z
 * @gyro: deg/s, x y z
 * @uptime_ms: device uptime
 * @present: #GstSensorStreamFields of the optional fields below
 * @pressure: `pressure`, when @present says so
 * @fsr: `fsr` (force sensitive resistor), when @present says so
 * @heart_rate: `heart_rate`, beats per minute, when @present says so
 * @spo2: `spo2`, percent, when @present says so
 * @battery_level: `battery_level`, percent, when @present says so
 * @wifi_connected: `wifi_connected`, when @present says so
 * @bluetooth_connected: `bluetooth_connected`, when @present says so
 * @sensors_initialized: `sensors_initialized`, when @present says so
 * @client_timestamp_us: Unix epoch microseconds of `client_timestamp`
 *
 * One validated reading.
 */
typedef struct
{
  gchar device_id[GST_SENSOR_STREAM_MAC_LEN];
  gdouble accel[3];
  gdouble gyro[3];
  guint32 uptime_ms;
  guint present;
  gdouble pressure;
  gdouble fsr;
  gint heart_rate;
  gint spo2;
  gdouble battery_level;
  gboolean wifi_connected;
  gboolean bluetooth_connected;
  gboolean sensors_initialized;
  gint64 client_timestamp_us;
} GstSensorStreamReading;

/**
 * GstSensorStreamDetails:
 * @fields: (element-type utf8): the field names
 * @messages: (element-type utf8): the message of each field
 *
 * The per-field messages of a "Validation failed" answer, in the order
 * the fields were checked.
 */
typedef struct
{
  GPtrArray *fields;
  GPtrArray *messages;
} GstSensorStreamDetails;

/**
 * GstSensorStreamParseResult:
 * @GST_SENSOR_STREAM_PARSE_OK: valid: the reading(s) are filled in
 * @GST_SENSOR_STREAM_PARSE_INVALID_JSON: not JSON (or too deep, too large)
 * @GST_SENSOR_STREAM_PARSE_INVALID: JSON, but a field is missing or wrong:
 *   see the details
 *
 * The outcome of parsing a request body.
 */
typedef enum {
  GST_SENSOR_STREAM_PARSE_OK,
  GST_SENSOR_STREAM_PARSE_INVALID_JSON,
  GST_SENSOR_STREAM_PARSE_INVALID,
} GstSensorStreamParseResult;

void gst_sensor_stream_details_init (GstSensorStreamDetails *details);
void gst_sensor_stream_details_clear (GstSensorStreamDetails *details);
void gst_sensor_stream_details_add (
    GstSensorStreamDetails *details, const gchar *field, const gchar *message);
guint gst_sensor_stream_details_count (const GstSensorStreamDetails *details);
const gchar *gst_sensor_stream_details_lookup (
    const GstSensorStreamDetails *details, const gchar *field);

gboolean gst_sensor_stream_parse_client_timestamp (
    const gchar *iso, gint64 *epoch_us);

gboolean gst_sensor_stream_reading_from_object (JsonObject *object,
    const gchar *prefix, const gchar *batch_device_id,
    GstSensorStreamReading *reading, GstSensorStreamDetails *details);

GstSensorStreamParseResult gst_sensor_stream_parse_reading (const gchar *data,
    gsize size, GstSensorStreamReading *reading,
    GstSensorStreamDetails *details);

GstSensorStreamParseResult gst_sensor_stream_parse_reading_json_glib (
    const gchar *data, gsize size, GstSensorStreamReading *reading,
    GstSensorStreamDetails *details);

GstSensorStreamParseResult gst_sensor_stream_parse_batch_json_glib (
    const gchar *data, gsize size, GArray **readings,
    GstSensorStreamDetails *details);

GstSensorStreamParseResult gst_sensor_stream_parse_batch (const gchar *data,
    gsize size, GArray **readings, GstSensorStreamDetails *details);

G_END_DECLS
