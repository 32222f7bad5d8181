/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:gstsensorinfo
 * @title: GstSensorInfo
 * @short_description: sensor/x-raw caps as a structure, and back
 *
 * A #GstSensorInfo holds what the caps of a sensor/x-raw stream say:
 * format, rate (0/1 for irregular streams), channels, modality and unit.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensor-info.h"

GST_DEBUG_CATEGORY_STATIC (sensor_info_debug);
#define GST_CAT_DEFAULT sensor_info_debug

static void
ensure_debug_category (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once)) {
    GST_DEBUG_CATEGORY_INIT (
        sensor_info_debug, "sensorinfo", 0, "sensor/x-raw caps parsing");
    g_once_init_leave (&once, 1);
  }
}

/**
 * gst_sensor_info_get_type:
 *
 * Returns: the boxed #GType of #GstSensorInfo
 */
G_DEFINE_BOXED_TYPE (GstSensorInfo, gst_sensor_info,
    (GBoxedCopyFunc) gst_sensor_info_copy,
    (GBoxedFreeFunc) gst_sensor_info_free)

/**
 * gst_sensor_info_new:
 *
 * Allocates an info set to an unknown format, as gst_sensor_info_init()
 * does. Free with gst_sensor_info_free().
 *
 * Returns: (transfer full): a new #GstSensorInfo
 */
GstSensorInfo *
gst_sensor_info_new (void)
{
  GstSensorInfo *info = g_new (GstSensorInfo, 1);

  gst_sensor_info_init (info);
  return info;
}

/**
 * gst_sensor_info_new_from_caps:
 * @caps: fixed `sensor/x-raw` caps
 *
 * Parses @caps into a newly allocated info, like gst_audio_info_new_from_caps()
 * does for audio.
 *
 * Returns: (transfer full) (nullable): a new #GstSensorInfo, or %NULL when
 *   @caps do not describe a valid sensor stream (see
 *   gst_sensor_info_from_caps())
 */
GstSensorInfo *
gst_sensor_info_new_from_caps (const GstCaps *caps)
{
  GstSensorInfo *info;

  g_return_val_if_fail (GST_IS_CAPS (caps), NULL);
  info = gst_sensor_info_new ();
  if (!gst_sensor_info_from_caps (info, caps)) {
    gst_sensor_info_free (info);
    return NULL;
  }
  return info;
}

/**
 * gst_sensor_info_copy:
 * @info: a #GstSensorInfo
 *
 * Returns: (transfer full): a deep copy of @info
 */
GstSensorInfo *
gst_sensor_info_copy (const GstSensorInfo *info)
{
  GstSensorInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);
  copy = gst_sensor_info_new ();
  gst_sensor_info_copy_into (copy, info);
  return copy;
}

/**
 * gst_sensor_info_free:
 * @info: (nullable) (transfer full): a #GstSensorInfo from
 *   gst_sensor_info_new(), gst_sensor_info_new_from_caps() or
 *   gst_sensor_info_copy()
 *
 * Frees @info and its strings.
 */
void
gst_sensor_info_free (GstSensorInfo *info)
{
  if (info == NULL)
    return;
  gst_sensor_info_clear (info);
  g_free (info);
}

/**
 * gst_sensor_info_init:
 * @info: (out caller-allocates): a #GstSensorInfo
 *
 * Sets @info to an unknown format. Call gst_sensor_info_clear() when done.
 */
void
gst_sensor_info_init (GstSensorInfo *info)
{
  g_return_if_fail (info != NULL);
  memset (info, 0, sizeof (*info));
  info->rate_d = 1;
}

/**
 * gst_sensor_info_clear:
 * @info: an initialised #GstSensorInfo
 *
 * Frees the strings of @info and resets it.
 */
void
gst_sensor_info_clear (GstSensorInfo *info)
{
  g_return_if_fail (info != NULL);
  g_free (info->modality);
  g_free (info->unit);
  gst_sensor_info_init (info);
}

/**
 * gst_sensor_info_copy_into:
 * @dest: an initialised #GstSensorInfo
 * @src: the info to copy
 *
 * Replaces the fields of @dest with a deep copy of those of @src.
 */
void
gst_sensor_info_copy_into (GstSensorInfo *dest, const GstSensorInfo *src)
{
  g_return_if_fail (dest != NULL && src != NULL);
  if (dest == src)
    return;
  gst_sensor_info_set_format (dest, src->format, src->rate_n, src->rate_d,
      src->channels, src->modality, src->unit);
}

/**
 * gst_sensor_info_set_format:
 * @info: an initialised #GstSensorInfo
 * @format: the sample format
 * @rate_n: rate numerator (0 for irregular)
 * @rate_d: rate denominator
 * @channels: channel count
 * @modality: (nullable): modality name
 * @unit: (nullable): unit name
 *
 * Sets every field of @info (the strings are copied) and computes its bpf.
 */
void
gst_sensor_info_set_format (GstSensorInfo *info, GstSensorFormat format,
    gint rate_n, gint rate_d, gint channels, const gchar *modality,
    const gchar *unit)
{
  gchar *m = g_strdup (modality), *u = g_strdup (unit);

  g_return_if_fail (info != NULL);
  gst_sensor_info_clear (info);
  info->format = format;
  info->rate_n = rate_n;
  info->rate_d = rate_n == 0 ? 1 : rate_d;
  info->channels = channels;
  info->bpf = gst_sensor_format_get_width (format) * channels;
  info->modality = m;
  info->unit = u;
}

/**
 * gst_sensor_info_from_caps:
 * @info: an initialised #GstSensorInfo
 * @caps: fixed `sensor/x-raw` caps
 *
 * Parses @caps. Unknown formats, channel counts outside 1..64 and negative
 * rates are rejected with a debug message saying which field was wrong.
 *
 * Returns: %TRUE when @caps described a valid sensor stream; @info is
 *   left as it was otherwise
 */
gboolean
gst_sensor_info_from_caps (GstSensorInfo *info, const GstCaps *caps)
{
  const GstStructure *s;
  const gchar *fmt_str;
  GstSensorFormat format;
  gint rate_n = 0, rate_d = 1, channels = 0;

  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (GST_IS_CAPS (caps), FALSE);
  ensure_debug_category ();

  if (!gst_caps_is_fixed (caps)) {
    GST_DEBUG ("caps are not fixed: %" GST_PTR_FORMAT, caps);
    return FALSE;
  }
  s = gst_caps_get_structure (caps, 0);
  if (!gst_structure_has_name (s, GST_SENSOR_MEDIA_TYPE)) {
    GST_DEBUG ("not %s: %" GST_PTR_FORMAT, GST_SENSOR_MEDIA_TYPE, caps);
    return FALSE;
  }
  fmt_str = gst_structure_get_string (s, "format");
  format = gst_sensor_format_from_string (fmt_str);
  if (format == GST_SENSOR_FORMAT_UNKNOWN) {
    GST_DEBUG ("unknown sample format '%s'", GST_STR_NULL (fmt_str));
    return FALSE;
  }
  if (!gst_structure_get_fraction (s, "rate", &rate_n, &rate_d) || rate_n < 0 ||
      rate_d <= 0) {
    GST_DEBUG ("missing or invalid rate in %" GST_PTR_FORMAT, caps);
    return FALSE;
  }
  if (!gst_structure_get_int (s, "channels", &channels) || channels < 1 ||
      channels > GST_SENSOR_MAX_CHANNELS) {
    GST_DEBUG (
        "channels must be 1..%d, got %d", GST_SENSOR_MAX_CHANNELS, channels);
    return FALSE;
  }
  gst_sensor_info_set_format (info, format, rate_n, rate_d, channels,
      gst_structure_get_string (s, "modality"),
      gst_structure_get_string (s, "unit"));
  return TRUE;
}

/**
 * gst_sensor_info_to_caps:
 * @info: a #GstSensorInfo with a known format
 *
 * Returns: (transfer full) (nullable): fixed `sensor/x-raw` caps, %NULL when
 *   the format of @info is unknown
 */
GstCaps *
gst_sensor_info_to_caps (const GstSensorInfo *info)
{
  GstCaps *caps;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (info->format != GST_SENSOR_FORMAT_UNKNOWN, NULL);

  caps = gst_caps_new_simple (GST_SENSOR_MEDIA_TYPE, "format", G_TYPE_STRING,
      gst_sensor_format_to_string (info->format), "rate", GST_TYPE_FRACTION,
      info->rate_n, info->rate_d, "channels", G_TYPE_INT, info->channels, NULL);
  if (info->modality)
    gst_caps_set_simple (caps, "modality", G_TYPE_STRING, info->modality, NULL);
  if (info->unit)
    gst_caps_set_simple (caps, "unit", G_TYPE_STRING, info->unit, NULL);
  return caps;
}

/**
 * gst_sensor_info_is_equal:
 * @a: a #GstSensorInfo
 * @b: a #GstSensorInfo
 *
 * Returns: whether both describe the same stream
 */
gboolean
gst_sensor_info_is_equal (const GstSensorInfo *a, const GstSensorInfo *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);
  return a->format == b->format && a->channels == b->channels &&
      (gint64) a->rate_n * b->rate_d == (gint64) b->rate_n * a->rate_d &&
      g_strcmp0 (a->modality, b->modality) == 0 &&
      g_strcmp0 (a->unit, b->unit) == 0;
}

/**
 * gst_sensor_info_get_rate:
 * @info: a #GstSensorInfo
 *
 * Returns: the rate in Hz, 0 for irregular streams
 */
gdouble
gst_sensor_info_get_rate (const GstSensorInfo *info)
{
  g_return_val_if_fail (info != NULL, 0);
  if (info->rate_n == 0 || info->rate_d == 0)
    return 0;
  return (gdouble) info->rate_n / info->rate_d;
}

/**
 * gst_sensor_info_samples_to_time:
 * @info: a regular-rate #GstSensorInfo
 * @samples: a sample count
 *
 * Returns: the duration of @samples, rounded down to the nanosecond, or
 *   %GST_CLOCK_TIME_NONE for irregular streams
 */
GstClockTime
gst_sensor_info_samples_to_time (const GstSensorInfo *info, guint64 samples)
{
  g_return_val_if_fail (info != NULL, GST_CLOCK_TIME_NONE);
  if (info->rate_n <= 0)
    return GST_CLOCK_TIME_NONE;
  return gst_util_uint64_scale (
      samples, (guint64) GST_SECOND * info->rate_d, info->rate_n);
}

/**
 * gst_sensor_info_time_to_samples:
 * @info: a regular-rate #GstSensorInfo
 * @time: a duration
 *
 * Returns: the number of samples in @time, rounded down; 0 for irregular
 */
guint64
gst_sensor_info_time_to_samples (const GstSensorInfo *info, GstClockTime time)
{
  g_return_val_if_fail (info != NULL, 0);
  if (info->rate_n <= 0 || !GST_CLOCK_TIME_IS_VALID (time))
    return 0;
  return gst_util_uint64_scale (
      time, info->rate_n, (guint64) GST_SECOND * info->rate_d);
}
