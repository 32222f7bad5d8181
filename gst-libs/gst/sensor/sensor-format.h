/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sensor/sensor-prelude.h>

G_BEGIN_DECLS

/**
 * GstSensorFormat:
 * @GST_SENSOR_FORMAT_UNKNOWN: not a sensor format
 * @GST_SENSOR_FORMAT_S8: signed 8-bit
 * @GST_SENSOR_FORMAT_U8: unsigned 8-bit
 * @GST_SENSOR_FORMAT_S16LE: signed 16-bit little-endian
 * @GST_SENSOR_FORMAT_U16LE: unsigned 16-bit little-endian
 * @GST_SENSOR_FORMAT_S24LE: signed 24-bit little-endian, packed in 3 bytes
 * @GST_SENSOR_FORMAT_S32LE: signed 32-bit little-endian
 * @GST_SENSOR_FORMAT_F32LE: 32-bit float little-endian
 * @GST_SENSOR_FORMAT_F64LE: 64-bit float little-endian
 *
 * Sample formats of `sensor/x-raw`.
 */
typedef enum {
  GST_SENSOR_FORMAT_UNKNOWN = 0,
  GST_SENSOR_FORMAT_S8,
  GST_SENSOR_FORMAT_U8,
  GST_SENSOR_FORMAT_S16LE,
  GST_SENSOR_FORMAT_U16LE,
  GST_SENSOR_FORMAT_S24LE,
  GST_SENSOR_FORMAT_S32LE,
  GST_SENSOR_FORMAT_F32LE,
  GST_SENSOR_FORMAT_F64LE,
} GstSensorFormat;

/**
 * GST_SENSOR_FORMAT_LAST:
 *
 * One more than the largest #GstSensorFormat, for tables indexed by format.
 */
#define GST_SENSOR_FORMAT_LAST (GST_SENSOR_FORMAT_F64LE + 1)

/**
 * GST_SENSOR_FORMATS_ALL:
 *
 * The `format` list of `sensor/x-raw`, for caps strings.
 */
#define GST_SENSOR_FORMATS_ALL                                                 \
  "{ S8, U8, S16LE, U16LE, S24LE, S32LE, F32LE, F64LE }"

/**
 * GST_SENSOR_MEDIA_TYPE:
 *
 * The media type of numeric sensor samples.
 */
#define GST_SENSOR_MEDIA_TYPE "sensor/x-raw"

/**
 * GST_SENSOR_MAX_CHANNELS:
 *
 * Maximum channel count of `sensor/x-raw`.
 */
#define GST_SENSOR_MAX_CHANNELS 64

/**
 * GST_SENSOR_CAPS_MAKE:
 * @formats: a format or a format list string
 *
 * Template caps for `sensor/x-raw` with any rate (including irregular 0/1)
 * and channel count. `modality` and `unit` are left out: absent fields
 * match any value.
 */
#define GST_SENSOR_CAPS_MAKE(formats)                                          \
  GST_SENSOR_MEDIA_TYPE                                                        \
  ", format = (string) " formats ", "                                          \
  "rate = (fraction) [ 0/1, 2147483647/1 ], channels = (int) [ 1, 64 ]"

GST_SENSOR_API
GstSensorFormat gst_sensor_format_from_string (const gchar *format);

GST_SENSOR_API
const gchar *gst_sensor_format_to_string (GstSensorFormat format);

GST_SENSOR_API
guint gst_sensor_format_get_width (GstSensorFormat format);

GST_SENSOR_API
gboolean gst_sensor_format_is_float (GstSensorFormat format);

GST_SENSOR_API
gboolean gst_sensor_format_is_signed (GstSensorFormat format);

GST_SENSOR_API
gboolean gst_sensor_format_get_int_range (
    GstSensorFormat format, gint64 *min, gint64 *max);

GST_SENSOR_API
GstSensorFormat gst_sensor_format_for_bit_depth (guint bit_depth);

G_END_DECLS
