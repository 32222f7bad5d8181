/* Reading an element's "stats" structure in a test.
 *
 * One reader for every test: a field of any numeric type (guint64, guint,
 * gint, gint64, gulong, glong, gboolean, gdouble) comes back as a number,
 * and a field that is not there FAILS the test at the caller's line. A
 * reader that returned 0 for a missing field let a misspelled counter name
 * pass every "nothing was dropped" assertion.
 *
 * Header-only: include it after <gst/check/gstcheck.h>.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SENSOR_TEST_STATS_H
#define SENSOR_TEST_STATS_H

#include <gst/check/gstcheck.h>

G_BEGIN_DECLS

/* The numeric value of @field of @s as a double; fails the test (reported
 * at @file:@line) when @s is NULL, has no @field or @field is not numeric. */
static inline gdouble
sensor_test_structure_number_at (
    const GstStructure *s, const gchar *field, const gchar *file, gint line)
{
  const GValue *v;

  if (s == NULL)
    _ck_assert_failed (
        file, line, "no stats structure", "reading field '%s'", field, NULL);
  v = gst_structure_get_value (s, field);
  /* _ck_assert_failed does not return: the string is not freed */
  if (v == NULL)
    _ck_assert_failed (file, line, "stats field missing", "no field '%s' in %s",
        field, gst_structure_to_string (s), NULL);
  switch (G_VALUE_TYPE (v)) {
    case G_TYPE_UINT64:
      return (gdouble) g_value_get_uint64 (v);
    case G_TYPE_UINT:
      return g_value_get_uint (v);
    case G_TYPE_ULONG:
      return g_value_get_ulong (v);
    case G_TYPE_INT64:
      return (gdouble) g_value_get_int64 (v);
    case G_TYPE_INT:
      return g_value_get_int (v);
    case G_TYPE_LONG:
      return g_value_get_long (v);
    case G_TYPE_BOOLEAN:
      return g_value_get_boolean (v) ? 1 : 0;
    case G_TYPE_DOUBLE:
      return g_value_get_double (v);
    case G_TYPE_FLOAT:
      return g_value_get_float (v);
    default:
      _ck_assert_failed (file, line, "stats field not numeric",
          "field '%s' is a %s", field, G_VALUE_TYPE_NAME (v), NULL);
  }
}

/* The integer value of @field of @s; fails the test when it is missing,
 * not an integer type (or boolean) or negative. */
static inline guint64
sensor_test_structure_uint64_at (
    const GstStructure *s, const gchar *field, const gchar *file, gint line)
{
  const GValue *v = s ? gst_structure_get_value (s, field) : NULL;
  gdouble d;

  /* exact for the unsigned 64-bit types, which a double would round */
  if (v && G_VALUE_HOLDS_UINT64 (v))
    return g_value_get_uint64 (v);
  if (v && G_VALUE_HOLDS_INT64 (v)) {
    if (g_value_get_int64 (v) < 0)
      _ck_assert_failed (file, line, "stats field negative",
          "field '%s' is %" G_GINT64_FORMAT, field, g_value_get_int64 (v),
          NULL);
    return (guint64) g_value_get_int64 (v);
  }
  if (v && (G_VALUE_HOLDS_DOUBLE (v) || G_VALUE_HOLDS_FLOAT (v)))
    _ck_assert_failed (file, line, "stats field not an integer",
        "field '%s' is a %s", field, G_VALUE_TYPE_NAME (v), NULL);
  d = sensor_test_structure_number_at (s, field, file, line);
  if (d < 0)
    _ck_assert_failed (
        file, line, "stats field negative", "field '%s' is %f", field, d, NULL);
  return (guint64) d;
}

/* Takes a snapshot of @obj's "stats" property and reads @field of it. */
static inline GstStructure *
sensor_test_stats_snapshot_at (gpointer obj, const gchar *file, gint line)
{
  GstStructure *s = NULL;

  if (!G_IS_OBJECT (obj) ||
      !g_object_class_find_property (G_OBJECT_GET_CLASS (obj), "stats"))
    _ck_assert_failed (file, line, "no stats property", NULL);
  g_object_get (obj, "stats", &s, NULL);
  if (s == NULL)
    _ck_assert_failed (file, line, "stats property is NULL", NULL);
  return s;
}

static inline guint64
sensor_test_stats_uint64_at (
    gpointer obj, const gchar *field, const gchar *file, gint line)
{
  GstStructure *s = sensor_test_stats_snapshot_at (obj, file, line);
  guint64 v = sensor_test_structure_uint64_at (s, field, file, line);

  gst_structure_free (s);
  return v;
}

static inline gdouble
sensor_test_stats_double_at (
    gpointer obj, const gchar *field, const gchar *file, gint line)
{
  GstStructure *s = sensor_test_stats_snapshot_at (obj, file, line);
  gdouble v = sensor_test_structure_number_at (s, field, file, line);

  gst_structure_free (s);
  return v;
}

/**
 * sensor_test_stat:
 * @obj: an element (any GObject) with a "stats" property
 * @field: the counter's name, e.g. "dropped"
 *
 * Returns: the integer (or boolean, as 0/1) counter @field of @obj's stats
 * as a guint64; the test fails at the caller's line when it is missing.
 */
#define sensor_test_stat(obj, field)                                           \
  sensor_test_stats_uint64_at ((obj), (field), __FILE__, __LINE__)

/**
 * sensor_test_stat_double:
 * @obj: an element (any GObject) with a "stats" property
 * @field: the field's name
 *
 * Returns: the numeric field @field of @obj's stats as a double; the test
 * fails at the caller's line when it is missing.
 */
#define sensor_test_stat_double(obj, field)                                    \
  sensor_test_stats_double_at ((obj), (field), __FILE__, __LINE__)

/**
 * sensor_test_structure_uint64:
 * @s: a stats structure (or any structure, e.g. error details)
 * @field: the field's name
 *
 * Returns: the integer field @field of @s as a guint64; the test fails at
 * the caller's line when it is missing.
 */
#define sensor_test_structure_uint64(s, field)                                 \
  sensor_test_structure_uint64_at ((s), (field), __FILE__, __LINE__)

G_END_DECLS

#endif /* SENSOR_TEST_STATS_H */
