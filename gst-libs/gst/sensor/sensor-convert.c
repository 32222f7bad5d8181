/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:gstsensorconvert
 * @title: Sample conversion
 * @short_description: reading, writing and converting samples between
 *   sensor formats
 *
 * Samples of any #GstSensorFormat read as and written from doubles, and
 * whole runs of interleaved samples converted between formats with a full
 * scale. C only (not in the introspection data): the samples are raw
 * buffers.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "sensor-convert.h"

/**
 * gst_sensor_sample_read: (skip)
 * @format: sample format of @data
 * @data: one little-endian sample
 *
 * Not in the introspection data: it reads raw memory whose size depends on
 * @format; bindings convert whole buffers with their own array tools.
 *
 * Returns: the numeric value of the sample (integers as counts)
 */
gdouble
gst_sensor_sample_read (GstSensorFormat format, const guint8 *data)
{
  switch (format) {
    case GST_SENSOR_FORMAT_S8:
      return (gint8) data[0];
    case GST_SENSOR_FORMAT_U8:
      return data[0];
    case GST_SENSOR_FORMAT_S16LE:
      return (gint16) GST_READ_UINT16_LE (data);
    case GST_SENSOR_FORMAT_U16LE:
      return GST_READ_UINT16_LE (data);
    case GST_SENSOR_FORMAT_S24LE: {
      guint32 v = GST_READ_UINT24_LE (data);

      /* sign-extend bit 23 */
      return (gint32) ((v ^ 0x800000u) - 0x800000u);
    }
    case GST_SENSOR_FORMAT_S32LE:
      return (gint32) GST_READ_UINT32_LE (data);
    case GST_SENSOR_FORMAT_F32LE:
      return GST_READ_FLOAT_LE (data);
    case GST_SENSOR_FORMAT_F64LE:
      return GST_READ_DOUBLE_LE (data);
    default:
      g_return_val_if_reached (0);
  }
}

/**
 * gst_sensor_sample_write: (skip)
 * @format: sample format of @data
 * @data: where to write one little-endian sample
 * @value: the value; rounded to nearest for integer formats
 *
 * Integer formats saturate at their range; NaN becomes 0.
 *
 * Returns: %TRUE when @value did not fit and was clipped
 */
gboolean
gst_sensor_sample_write (GstSensorFormat format, guint8 *data, gdouble value)
{
  gint64 min, max, iv;
  gboolean clipped = FALSE;

  if (gst_sensor_format_is_float (format)) {
    if (format == GST_SENSOR_FORMAT_F32LE) {
      if (isfinite (value) && fabs (value) > G_MAXFLOAT) {
        value = value > 0 ? G_MAXFLOAT : -G_MAXFLOAT;
        clipped = TRUE;
      }
      GST_WRITE_FLOAT_LE (data, (gfloat) value);
    } else {
      GST_WRITE_DOUBLE_LE (data, value);
    }
    return clipped;
  }

  if (!gst_sensor_format_get_int_range (format, &min, &max))
    g_return_val_if_reached (FALSE);

  if (isnan (value)) {
    iv = 0;
    clipped = TRUE;
  } else {
    value = round (value);
    if (value < (gdouble) min) {
      iv = min;
      clipped = TRUE;
    } else if (value > (gdouble) max) {
      iv = max;
      clipped = TRUE;
    } else {
      iv = (gint64) value;
    }
  }

  switch (format) {
    case GST_SENSOR_FORMAT_S8:
    case GST_SENSOR_FORMAT_U8:
      data[0] = (guint8) iv;
      break;
    case GST_SENSOR_FORMAT_S16LE:
    case GST_SENSOR_FORMAT_U16LE:
      GST_WRITE_UINT16_LE (data, (guint16) iv);
      break;
    case GST_SENSOR_FORMAT_S24LE:
      GST_WRITE_UINT24_LE (data, (guint32) iv & 0xffffff);
      break;
    case GST_SENSOR_FORMAT_S32LE:
      GST_WRITE_UINT32_LE (data, (guint32) iv);
      break;
    default:
      g_return_val_if_reached (FALSE);
  }
  return clipped;
}

static gdouble
int_full_scale_count (GstSensorFormat format)
{
  gint64 max = 0;

  gst_sensor_format_get_int_range (format, NULL, &max);
  return (gdouble) max;
}

/**
 * gst_sensor_convert_samples: (skip)
 * @in_format: format of @in
 * @in: @n_values little-endian samples
 * @out_format: format of @out
 * @out: room for @n_values samples of @out_format
 * @n_values: number of values (frames x channels)
 * @full_scale: the physical value of the largest integer code, or 0
 *
 * Converts sample values between formats. With @full_scale > 0, the largest
 * code of an integer format stands for @full_scale (an accelerometer of
 * +-16 g has full scale 156.9 m/s^2), so integer <-> float conversions scale
 * by it. With @full_scale <= 0, values are kept as they are: an integer code
 * becomes the same number in float and a float is rounded to the nearest
 * integer code. Integer <-> integer conversions always keep the value. Out of
 * range values saturate.
 *
 * Returns: the number of values that were clipped
 */
guint64
gst_sensor_convert_samples (GstSensorFormat in_format, const guint8 *in,
    GstSensorFormat out_format, guint8 *out, gsize n_values, gdouble full_scale)
{
  guint in_w = gst_sensor_format_get_width (in_format);
  guint out_w = gst_sensor_format_get_width (out_format);
  gboolean in_float = gst_sensor_format_is_float (in_format);
  gboolean out_float = gst_sensor_format_is_float (out_format);
  gdouble scale = 1.0;
  guint64 clipped = 0;
  gsize i;

  g_return_val_if_fail (in_w > 0 && out_w > 0, 0);

  if (in_format == out_format) {
    memmove (out, in, n_values * in_w);
    return 0;
  }
  if (full_scale > 0 && in_float != out_float) {
    if (in_float)
      scale = int_full_scale_count (out_format) / full_scale;
    else
      scale = full_scale / int_full_scale_count (in_format);
  }
  for (i = 0; i < n_values; i++) {
    gdouble v = gst_sensor_sample_read (in_format, in + i * in_w);

    if (gst_sensor_sample_write (out_format, out + i * out_w, v * scale))
      clipped++;
  }
  return clipped;
}
