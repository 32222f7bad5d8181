/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sensor/sensor-prelude.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * SECTION:sensor-json
 * @title: Strict JSON from peers
 * @short_description: one bounded RFC 8259 check in front of json-glib
 *
 * json-glib 1.6 recurses once per nesting level, so a message of nothing
 * but `[` exhausts the stack of whatever thread parses it; it also accepts
 * far more than JSON (`072` read as octal, `0x48`, `.5e2`, single-quoted
 * strings, comments, a byte order mark, `{}{}`), wraps integers past
 * 64 bits and cuts strings at an escaped U+0000. Every text that comes from
 * a peer therefore goes through gst_sensor_json_parse() (or
 * gst_sensor_json_validate() when json-glib is not needed), never straight
 * to json-glib.
 *
 * The check is one pass over the bytes with an explicit depth counter, no
 * recursion, and accepts exactly RFC 8259 text with these limits:
 *
 * - at most #GstSensorJsonLimits.max_depth nested arrays and objects
 *   (a scalar is depth 0, `[]` is depth 1), and at most
 *   #GstSensorJsonLimits.max_size bytes;
 * - exactly one value, with only space, tab, CR and LF around it (no byte
 *   order mark, no comments, no second value);
 * - strings in double quotes only, valid UTF-8 (no overlong forms, no
 *   encoded surrogates, nothing past U+10FFFF), no raw control characters,
 *   escapes `\" \\ \/ \b \f \n \r \t \uXXXX` only; a `\u` surrogate must be
 *   a high one followed by a low one: a lone `\ud800` or `\udc00` is a
 *   %GST_SENSOR_JSON_ERROR_SYNTAX error (json-glib refuses it too, with a
 *   misleading message);
 * - numbers per the RFC grammar (`-? (0 | [1-9][0-9]*) (. [0-9]+)?
 *   ([eE] [+-]? [0-9]+)?`), and in range: an integer (no fraction, no
 *   exponent) must fit a #gint64, any other number must be finite as a
 *   #gdouble (json-glib would wrap the one silently and make the other
 *   infinite);
 * - the literals `true`, `false` and `null` only.
 *
 * gst_sensor_json_parse() also replaces each `\u0000` escape by `\ufffd`
 * before json-glib sees the text: json-glib keeps strings NUL-terminated and
 * would cut `"aabbccddeeff\u0000zz"` down to `"aabbccddeeff"`, while a
 * string holding U+FFFD keeps its length and fails any format check of the
 * caller (member names alike).
 */

/**
 * GST_SENSOR_JSON_ERROR:
 *
 * The #GQuark of #GstSensorJsonError.
 */
#define GST_SENSOR_JSON_ERROR (gst_sensor_json_error_quark ())

/**
 * GstSensorJsonError:
 * @GST_SENSOR_JSON_ERROR_SYNTAX: not RFC 8259 JSON, or a number out of range
 * @GST_SENSOR_JSON_ERROR_TOO_DEEP: arrays and objects nested deeper than the
 *   limit
 * @GST_SENSOR_JSON_ERROR_TOO_LARGE: more bytes than the limit
 *
 * Each message ends in "at byte N", N being the offset of the offending
 * byte (for %GST_SENSOR_JSON_ERROR_TOO_LARGE the limit itself).
 */
typedef enum {
  GST_SENSOR_JSON_ERROR_SYNTAX,
  GST_SENSOR_JSON_ERROR_TOO_DEEP,
  GST_SENSOR_JSON_ERROR_TOO_LARGE,
} GstSensorJsonError;

/**
 * GST_SENSOR_JSON_DEFAULT_MAX_DEPTH:
 *
 * Nesting allowed when #GstSensorJsonLimits.max_depth is 0. Every protocol
 * of this project needs fewer than 10 levels.
 */
#define GST_SENSOR_JSON_DEFAULT_MAX_DEPTH 64

/**
 * GST_SENSOR_JSON_DEFAULT_MAX_SIZE:
 *
 * Bytes allowed when #GstSensorJsonLimits.max_size is 0 (1 MiB).
 */
#define GST_SENSOR_JSON_DEFAULT_MAX_SIZE (1024 * 1024)

/**
 * GstSensorJsonLimits:
 * @max_depth: nested arrays and objects allowed; 0 for
 *   %GST_SENSOR_JSON_DEFAULT_MAX_DEPTH. json-glib needs stack for each
 *   level, so keep it in the tens.
 * @max_size: bytes allowed; 0 for %GST_SENSOR_JSON_DEFAULT_MAX_SIZE
 *
 * Bounds of one check. %NULL stands for the defaults.
 */
typedef struct
{
  guint max_depth;
  gsize max_size;
} GstSensorJsonLimits;

GST_SENSOR_API
GQuark gst_sensor_json_error_quark (void);

GST_SENSOR_API
gboolean gst_sensor_json_validate (const gchar *data, gsize len,
    const GstSensorJsonLimits *limits, gsize *error_offset, GError **error);

GST_SENSOR_API
JsonNode *gst_sensor_json_parse (const gchar *data, gsize len,
    const GstSensorJsonLimits *limits, GError **error);

GST_SENSOR_API
gchar *gst_sensor_json_builder_to_string (JsonBuilder *builder);

G_END_DECLS
