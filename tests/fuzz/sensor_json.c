/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The strict JSON pre-check against json-glib: what the check accepts,
 * json-glib must parse (to a root, through gst_sensor_json_parse, under a
 * small depth limit so json-glib never recurses deep). What the check
 * refuses as SYNTAX json-glib may still take (072, comments, single
 * quotes): that is the point of the check, so nothing is asserted there.
 * TOO_DEEP and TOO_LARGE must agree with the limits.
 */
#include <gst/sensor/sensor-json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const GstSensorJsonLimits limits = { 16, 1 << 20 };
  const gchar *text = (const gchar *) data;
  GError *error = NULL;
  gsize offset = 0;
  JsonNode *root;

  if (gst_sensor_json_validate (text, size, &limits, &offset, &error)) {
    root = gst_sensor_json_parse (text, size, &limits, &error);
    /* accepted by the check: json-glib must agree */
    if (root == NULL)
      abort ();
    json_node_unref (root);
    return 0;
  }
  if (error == NULL || error->domain != GST_SENSOR_JSON_ERROR)
    abort ();
  /* too large exactly when over the limit, reported at the limit; anything
   * else somewhere inside the text (its end for a truncated one) */
  if ((error->code == GST_SENSOR_JSON_ERROR_TOO_LARGE) !=
      (size > limits.max_size))
    abort ();
  if (error->code == GST_SENSOR_JSON_ERROR_TOO_LARGE ?
          offset != limits.max_size :
          offset > size)
    abort ();
  g_clear_error (&error);
  /* the parse refuses whatever the check refuses */
  root = gst_sensor_json_parse (text, size, &limits, &error);
  if (root != NULL || error == NULL)
    abort ();
  g_clear_error (&error);
  return 0;
}
