/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:gstsensorcaps
 * @title: Caps helpers
 * @short_description: template caps, format lists and caps diagnostics for
 *   sensor/x-raw converters
 *
 * What an element converting `sensor/x-raw` needs when it builds its pad
 * templates, transforms caps and explains a refused negotiation.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensor-caps.h"
#include "sensor-format.h"
#include "sensor-info.h"
#include "sensor-modality.h"

/**
 * gst_sensor_caps_set_all_formats:
 * @structure: a writable `sensor/x-raw` structure
 *
 * Sets the `format` field of @structure to the list of every sample format.
 */
void
gst_sensor_caps_set_all_formats (GstStructure *structure)
{
  GValue list = G_VALUE_INIT, v = G_VALUE_INIT;
  gint f;

  g_return_if_fail (structure != NULL);

  gst_value_list_init (&list, GST_SENSOR_FORMAT_LAST - 1);
  g_value_init (&v, G_TYPE_STRING);
  for (f = GST_SENSOR_FORMAT_UNKNOWN + 1; f < GST_SENSOR_FORMAT_LAST; f++) {
    g_value_set_static_string (&v, gst_sensor_format_to_string (f));
    gst_value_list_append_value (&list, &v);
  }
  g_value_unset (&v);
  gst_structure_take_value (structure, "format", &list);
}

/**
 * gst_sensor_caps_new_template:
 * @allow_irregular: whether rate 0/1 (irregular) is included
 *
 * Caps for a pad template that takes every sample format, channel count and
 * modality: rates from 0/1 (or 1/1 without @allow_irregular) up.
 *
 * Returns: (transfer full): the caps
 */
GstCaps *
gst_sensor_caps_new_template (gboolean allow_irregular)
{
  GstCaps *caps =
      gst_caps_from_string (GST_SENSOR_CAPS_MAKE (GST_SENSOR_FORMATS_ALL));
  GstStructure *s = gst_caps_get_structure (caps, 0);
  const gchar *modality = gst_structure_get_string (s, "modality");

  /* A literal "ANY" string would only match a modality named "ANY"; the
   * template accepts every modality, so leave the field out. */
  if (modality != NULL && g_str_equal (modality, "ANY"))
    gst_structure_remove_field (s, "modality");
  if (!allow_irregular)
    gst_structure_set (
        s, "rate", GST_TYPE_FRACTION_RANGE, 1, G_MAXINT, G_MAXINT, 1, NULL);
  return caps;
}

/**
 * gst_sensor_caps_get_problem:
 * @caps: caps offered to a `sensor/x-raw` pad
 *
 * Says why @caps cannot be `sensor/x-raw` (first structure): for the
 * warning of an element that refuses them.
 *
 * Returns: (nullable): a static description, or %NULL when @caps are fine
 *   as far as they are fixed (also for empty and ANY caps)
 */
const gchar *
gst_sensor_caps_get_problem (const GstCaps *caps)
{
  const GstStructure *s;
  const GValue *v;
  gint channels;

  g_return_val_if_fail (GST_IS_CAPS (caps), NULL);

  if (gst_caps_is_empty (caps) || gst_caps_is_any (caps))
    return NULL;
  s = gst_caps_get_structure (caps, 0);
  if (!gst_structure_has_name (s, GST_SENSOR_MEDIA_TYPE))
    return "not " GST_SENSOR_MEDIA_TYPE;
  v = gst_structure_get_value (s, "format");
  if (v == NULL)
    return "no format field";
  if (G_VALUE_HOLDS_STRING (v) &&
      gst_sensor_format_from_string (g_value_get_string (v)) ==
          GST_SENSOR_FORMAT_UNKNOWN)
    return "unknown sample format";
  if (gst_structure_get_int (s, "channels", &channels) &&
      (channels < 1 || channels > GST_SENSOR_MAX_CHANNELS))
    return "channels must be 1..64";
  return NULL;
}

/**
 * gst_sensor_caps_default_rate:
 * @modality: (nullable): a modality name
 * @rate_n: (out): numerator of the rate
 * @rate_d: (out): denominator of the rate
 *
 * The rate an irregular stream of @modality becomes when nothing else asks
 * for one: the modality table's typical rate, or 1/1 for a modality without
 * one.
 */
void
gst_sensor_caps_default_rate (const gchar *modality, gint *rate_n, gint *rate_d)
{
  const GstSensorModality *m =
      modality ? gst_sensor_modality_lookup (modality) : NULL;

  g_return_if_fail (rate_n != NULL && rate_d != NULL);

  if (m != NULL && m->rate_n > 0 && m->rate_d > 0) {
    *rate_n = m->rate_n;
    *rate_d = m->rate_d;
  } else {
    *rate_n = 1;
    *rate_d = 1;
  }
}

/**
 * gst_sensor_caps_filter:
 * @caps: (transfer full): the caps an element can do
 * @filter: (nullable): the filter of a caps query, or %NULL
 *
 * The answer to a caps query: @caps intersected with @filter in the
 * filter's order of preference, or @caps when there is no filter.
 *
 * Returns: (transfer full): the caps
 */
GstCaps *
gst_sensor_caps_filter (GstCaps *caps, GstCaps *filter)
{
  GstCaps *result;

  g_return_val_if_fail (GST_IS_CAPS (caps), NULL);

  if (filter == NULL)
    return caps;
  result = gst_caps_intersect_full (filter, caps, GST_CAPS_INTERSECT_FIRST);
  gst_caps_unref (caps);
  return result;
}
