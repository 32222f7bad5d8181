/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:gstsensorformat
 * @title: Sample formats
 * @short_description: the sample formats of sensor/x-raw: names, widths and
 *   ranges
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensor-format.h"

typedef struct
{
  const gchar *name;
  guint width; /* bytes per sample */
  gboolean is_float;
  gboolean is_signed;
  gint64 min, max;
} SensorFormatDesc;

static const SensorFormatDesc formats[GST_SENSOR_FORMAT_LAST] = {
  [GST_SENSOR_FORMAT_UNKNOWN] = { NULL, 0, FALSE, FALSE, 0, 0 },
  [GST_SENSOR_FORMAT_S8] = { "S8", 1, FALSE, TRUE, G_MININT8, G_MAXINT8 },
  [GST_SENSOR_FORMAT_U8] = { "U8", 1, FALSE, FALSE, 0, G_MAXUINT8 },
  [GST_SENSOR_FORMAT_S16LE] = { "S16LE", 2, FALSE, TRUE, G_MININT16,
      G_MAXINT16 },
  [GST_SENSOR_FORMAT_U16LE] = { "U16LE", 2, FALSE, FALSE, 0, G_MAXUINT16 },
  [GST_SENSOR_FORMAT_S24LE] = { "S24LE", 3, FALSE, TRUE, -8388608, 8388607 },
  [GST_SENSOR_FORMAT_S32LE] = { "S32LE", 4, FALSE, TRUE, G_MININT32,
      G_MAXINT32 },
  [GST_SENSOR_FORMAT_F32LE] = { "F32LE", 4, TRUE, TRUE, 0, 0 },
  [GST_SENSOR_FORMAT_F64LE] = { "F64LE", 8, TRUE, TRUE, 0, 0 },
};

/* The row of @format; the all-empty UNKNOWN row for any value out of the
 * table, so that every getter answers NULL, 0 or FALSE for it. */
static const SensorFormatDesc *
format_desc (GstSensorFormat format)
{
  if (format <= GST_SENSOR_FORMAT_UNKNOWN || format >= GST_SENSOR_FORMAT_LAST)
    return &formats[GST_SENSOR_FORMAT_UNKNOWN];
  return &formats[format];
}

/**
 * gst_sensor_format_from_string:
 * @format: a format name such as "S16LE"
 *
 * Returns: the format, or %GST_SENSOR_FORMAT_UNKNOWN
 */
GstSensorFormat
gst_sensor_format_from_string (const gchar *format)
{
  guint i;

  if (format == NULL)
    return GST_SENSOR_FORMAT_UNKNOWN;
  for (i = 1; i < GST_SENSOR_FORMAT_LAST; i++) {
    if (g_str_equal (format, formats[i].name))
      return (GstSensorFormat) i;
  }
  return GST_SENSOR_FORMAT_UNKNOWN;
}

/**
 * gst_sensor_format_to_string:
 * @format: a #GstSensorFormat
 *
 * Returns: (nullable): the caps name of @format, %NULL when unknown
 */
const gchar *
gst_sensor_format_to_string (GstSensorFormat format)
{
  return format_desc (format)->name;
}

/**
 * gst_sensor_format_get_width:
 * @format: a #GstSensorFormat
 *
 * Returns: bytes per sample of one channel, 0 when unknown
 */
guint
gst_sensor_format_get_width (GstSensorFormat format)
{
  return format_desc (format)->width;
}

/**
 * gst_sensor_format_is_float:
 * @format: a #GstSensorFormat
 *
 * Returns: whether samples are IEEE floats
 */
gboolean
gst_sensor_format_is_float (GstSensorFormat format)
{
  return format_desc (format)->is_float;
}

/**
 * gst_sensor_format_is_signed:
 * @format: a #GstSensorFormat
 *
 * Returns: whether samples are signed (floats are)
 */
gboolean
gst_sensor_format_is_signed (GstSensorFormat format)
{
  return format_desc (format)->is_signed;
}

/**
 * gst_sensor_format_get_int_range:
 * @format: an integer #GstSensorFormat
 * @min: (out) (optional): smallest value
 * @max: (out) (optional): largest value
 *
 * Returns: %FALSE for float or unknown formats
 */
gboolean
gst_sensor_format_get_int_range (
    GstSensorFormat format, gint64 *min, gint64 *max)
{
  const SensorFormatDesc *desc = format_desc (format);

  if (desc->width == 0 || desc->is_float)
    return FALSE;
  if (min)
    *min = desc->min;
  if (max)
    *max = desc->max;
  return TRUE;
}

/**
 * gst_sensor_format_for_bit_depth:
 * @bit_depth: significant bits of a signed integer sample (1..32)
 *
 * The signed little-endian format that carries @bit_depth bits in
 * ceil(bit_depth / 8) bytes, as Raeh frames do.
 *
 * Returns: S8, S16LE, S24LE or S32LE; UNKNOWN outside 1..32
 */
GstSensorFormat
gst_sensor_format_for_bit_depth (guint bit_depth)
{
  switch ((bit_depth + 7) / 8) {
    case 1:
      return bit_depth ? GST_SENSOR_FORMAT_S8 : GST_SENSOR_FORMAT_UNKNOWN;
    case 2:
      return GST_SENSOR_FORMAT_S16LE;
    case 3:
      return GST_SENSOR_FORMAT_S24LE;
    case 4:
      return GST_SENSOR_FORMAT_S32LE;
    default:
      return GST_SENSOR_FORMAT_UNKNOWN;
  }
}
