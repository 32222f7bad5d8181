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
 * | #G_TYPE_UINT64 | #guint64 |
 * | #G_TYPE_DOUBLE | #gdouble |
 * | #G_TYPE_BOOLEAN | #gboolean |
 * | #G_TYPE_ENUM | the enum (stored as a #gint) |
 * | #G_TYPE_STRING | #gchar *, owned: copied in, the old one freed |
 *
 * A secret is not a plain string field: store it with
 * gst_sensor_secret_replace().
 *
 * gst_sensor_field_set_property() and gst_sensor_field_get_property() do
 * the rest of an element's set_property()/get_property() for its plain
 * properties: look the id up in a table of #GstSensorFieldProp rows and
 * move the value under the object lock. gst_sensor_field_set_in() and
 * gst_sensor_field_get_in() do the same for a struct the caller guards.
 *
 * C only (not in the introspection data): a field is a raw pointer.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensor-field.h"

/* One line per type, for both directions: @store moves @value into
 * @field, else @field into @value. */
#define MOVE(ctype, getter, setter)                                            \
  G_STMT_START                                                                 \
  {                                                                            \
    if (store)                                                                 \
      *(ctype *) field = getter (value);                                       \
    else                                                                       \
      setter (value, *(ctype *) field);                                        \
  }                                                                            \
  G_STMT_END

static gboolean
move_value (gpointer field, GValue *value, gboolean store)
{
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value))) {
    case G_TYPE_INT:
      MOVE (gint, g_value_get_int, g_value_set_int);
      return TRUE;
    case G_TYPE_UINT:
      MOVE (guint, g_value_get_uint, g_value_set_uint);
      return TRUE;
    case G_TYPE_UINT64:
      MOVE (guint64, g_value_get_uint64, g_value_set_uint64);
      return TRUE;
    case G_TYPE_DOUBLE:
      MOVE (gdouble, g_value_get_double, g_value_set_double);
      return TRUE;
    case G_TYPE_BOOLEAN:
      MOVE (gboolean, g_value_get_boolean, g_value_set_boolean);
      return TRUE;
    case G_TYPE_ENUM:
      MOVE (gint, g_value_get_enum, g_value_set_enum);
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

#undef MOVE

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

/* The entry of @prop_id in @props, or NULL. */
static const GstSensorFieldProp *
find_prop (const GstSensorFieldProp *props, guint n_props, guint prop_id)
{
  for (guint i = 0; i < n_props; i++)
    if (props[i].prop_id == prop_id)
      return &props[i];
  return NULL;
}

/* Both directions of the property calls: under @object's lock, @value
 * into (@store) or out of the field @prop_id is stored in. */
static gboolean
move_property (GstObject *object, const GstSensorFieldProp *props,
    guint n_props, guint prop_id, GValue *value, gboolean store)
{
  const GstSensorFieldProp *prop = find_prop (props, n_props, prop_id);
  gboolean moved;

  if (prop == NULL)
    return FALSE;
  GST_OBJECT_LOCK (object);
  moved = move_value (G_STRUCT_MEMBER_P (object, prop->offset), value, store);
  GST_OBJECT_UNLOCK (object);
  return moved;
}

/**
 * gst_sensor_field_set_in: (skip)
 * @base: the struct the offsets of @props are from (a settings struct the
 *   caller already guards)
 * @props: (array length=n_props): the table of plain properties
 * @n_props: the number of rows in @props
 * @prop_id: the id set_property() was called with
 * @value: the new value
 *
 * gst_sensor_field_set_property() for fields of a struct other than the
 * instance, without taking a lock.
 *
 * Returns: %TRUE when the property was stored
 */
gboolean
gst_sensor_field_set_in (gpointer base, const GstSensorFieldProp *props,
    guint n_props, guint prop_id, const GValue *value)
{
  const GstSensorFieldProp *prop = find_prop (props, n_props, prop_id);

  /* only read when storing */
  return prop &&
      move_value (
          G_STRUCT_MEMBER_P (base, prop->offset), (GValue *) value, TRUE);
}

/**
 * gst_sensor_field_get_in: (skip)
 * @base: the struct the offsets of @props are from
 * @props: (array length=n_props): the table of plain properties
 * @n_props: the number of rows in @props
 * @prop_id: the id get_property() was called with
 * @value: (out caller-allocates): the property's value
 *
 * gst_sensor_field_get_property() for fields of a struct other than the
 * instance, without taking a lock.
 *
 * Returns: %TRUE when @value was set
 */
gboolean
gst_sensor_field_get_in (gconstpointer base, const GstSensorFieldProp *props,
    guint n_props, guint prop_id, GValue *value)
{
  const GstSensorFieldProp *prop = find_prop (props, n_props, prop_id);

  return prop &&
      move_value (G_STRUCT_MEMBER_P (base, prop->offset), value, FALSE);
}

/**
 * GstSensorFieldProp: (skip)
 * @prop_id: the property id
 * @offset: where the property is stored in the instance struct, from
 *   G_STRUCT_OFFSET()
 *
 * One row of an element's table of plain properties: those stored in an
 * instance field under the object lock with no side effect.
 */

/**
 * gst_sensor_field_set_property: (skip)
 * @object: the instance the fields belong to
 * @props: (array length=n_props): the table of plain properties
 * @n_props: the number of rows in @props
 * @prop_id: the id set_property() was called with
 * @value: the new value
 *
 * For a set_property() implementation: when @prop_id is in @props, stores
 * @value in its field under @object's lock (as
 * gst_sensor_field_set_value()).
 *
 * Returns: %TRUE when the property was stored; %FALSE when @prop_id is not
 *   in @props (or its type is none gst_sensor_field_set_value() knows), so
 *   the caller handles it
 */
gboolean
gst_sensor_field_set_property (GstObject *object,
    const GstSensorFieldProp *props, guint n_props, guint prop_id,
    const GValue *value)
{
  /* only read when storing */
  return move_property (
      object, props, n_props, prop_id, (GValue *) value, TRUE);
}

/**
 * gst_sensor_field_get_property: (skip)
 * @object: the instance the fields belong to
 * @props: (array length=n_props): the table of plain properties
 * @n_props: the number of rows in @props
 * @prop_id: the id get_property() was called with
 * @value: (out caller-allocates): the property's value
 *
 * For a get_property() implementation: when @prop_id is in @props, sets
 * @value from its field under @object's lock (as
 * gst_sensor_field_get_value()).
 *
 * Returns: %TRUE when @value was set; %FALSE when @prop_id is not in
 *   @props (or its type is none gst_sensor_field_get_value() knows), so
 *   the caller handles it
 */
gboolean
gst_sensor_field_get_property (GstObject *object,
    const GstSensorFieldProp *props, guint n_props, guint prop_id,
    GValue *value)
{
  return move_property (object, props, n_props, prop_id, value, FALSE);
}
