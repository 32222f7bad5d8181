/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:gstsensorfield
 * @title: Property fields
 * @short_description: a property value into and out of a struct field
 *
 * Elements keep settings that several of them share in one struct (the
 * network settings, the server settings) and install them as properties.
 * These two calls move a #GValue into and out of the struct field it is
 * stored in, chosen by the value's fundamental type, so that a table of
 * field offsets replaces a switch per struct.
 *
 * | fundamental type | field |
 * | --- | --- |
 * | #G_TYPE_INT | #gint |
 * | #G_TYPE_UINT | #guint |
 * | #G_TYPE_DOUBLE | #gdouble |
 * | #G_TYPE_BOOLEAN | #gboolean |
 * | #G_TYPE_ENUM | the enum (stored as a #gint) |
 * | #G_TYPE_STRING | #gchar *, owned: copied in, the old one freed |
 *
 * A secret is not a plain string field: store it with
 * gst_sensor_secret_replace().
 *
 * C only (not in the introspection data): a field is a raw pointer.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensor-field.h"

/* One switch for both directions: @store moves @value into @field, else
 * @field into @value. */
static gboolean
move_value (gpointer field, GValue *value, gboolean store)
{
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value))) {
    case G_TYPE_INT:
      if (store)
        *(gint *) field = g_value_get_int (value);
      else
        g_value_set_int (value, *(gint *) field);
      return TRUE;
    case G_TYPE_UINT:
      if (store)
        *(guint *) field = g_value_get_uint (value);
      else
        g_value_set_uint (value, *(guint *) field);
      return TRUE;
    case G_TYPE_DOUBLE:
      if (store)
        *(gdouble *) field = g_value_get_double (value);
      else
        g_value_set_double (value, *(gdouble *) field);
      return TRUE;
    case G_TYPE_BOOLEAN:
      if (store)
        *(gboolean *) field = g_value_get_boolean (value);
      else
        g_value_set_boolean (value, *(gboolean *) field);
      return TRUE;
    case G_TYPE_ENUM:
      if (store)
        *(gint *) field = g_value_get_enum (value);
      else
        g_value_set_enum (value, *(gint *) field);
      return TRUE;
    case G_TYPE_STRING:
      if (store) {
        g_free (*(gchar **) field);
        *(gchar **) field = g_value_dup_string (value);
      } else {
        g_value_set_string (value, *(gchar **) field);
      }
      return TRUE;
    default:
      return FALSE;
  }
}

/**
 * gst_sensor_field_set_value: (skip)
 * @field: the struct field that stores @value's type
 * @value: the new value
 *
 * Stores @value in @field; a string is copied and the one it replaces
 * freed.
 *
 * Returns: %FALSE when @value's type is none of the table (@field is then
 *   left alone)
 */
gboolean
gst_sensor_field_set_value (gpointer field, const GValue *value)
{
  /* only read when storing */
  return move_value (field, (GValue *) value, TRUE);
}

/**
 * gst_sensor_field_get_value: (skip)
 * @field: the struct field that stores @value's type
 * @value: (out caller-allocates): initialised to the property's type; set
 *   to the field's value (a string is copied)
 *
 * Returns: %FALSE when @value's type is none of the table (@value is then
 *   left alone)
 */
gboolean
gst_sensor_field_get_value (gconstpointer field, GValue *value)
{
  /* only read when loading */
  return move_value ((gpointer) field, value, FALSE);
}
