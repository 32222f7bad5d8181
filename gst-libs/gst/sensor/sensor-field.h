/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sensor/sensor-prelude.h>

G_BEGIN_DECLS

typedef struct
{
  guint prop_id;
  gsize offset;
} GstSensorFieldProp;

/**
 * GST_SENSOR_FIELD_PROP: (skip)
 * @id: the property id
 * @Type: the instance struct type
 * @member: the field of @Type the property is stored in
 *
 * A #GstSensorFieldProp row.
 */
#define GST_SENSOR_FIELD_PROP(id, Type, member)                                \
  {                                                                            \
    (id), G_STRUCT_OFFSET (Type, member)                                       \
  }

GST_SENSOR_API
gboolean gst_sensor_field_set_value (gpointer field, const GValue *value);

GST_SENSOR_API
gboolean gst_sensor_field_get_value (gconstpointer field, GValue *value);

GST_SENSOR_API
gboolean gst_sensor_field_set_property (GstObject *object,
    const GstSensorFieldProp *props, guint n_props, guint prop_id,
    const GValue *value);

GST_SENSOR_API
gboolean gst_sensor_field_get_property (GstObject *object,
    const GstSensorFieldProp *props, guint n_props, guint prop_id,
    GValue *value);

GST_SENSOR_API
gboolean gst_sensor_field_set_in (gpointer base,
    const GstSensorFieldProp *props, guint n_props, guint prop_id,
    const GValue *value);

GST_SENSOR_API
gboolean gst_sensor_field_get_in (gconstpointer base,
    const GstSensorFieldProp *props, guint n_props, guint prop_id,
    GValue *value);

/**
 * GST_SENSOR_FIELD_SET: (skip)
 * @object: the instance (any #GstObject)
 * @props: a static array of #GstSensorFieldProp
 * @prop_id: the property id
 * @value: the new value
 *
 * gst_sensor_field_set_property() with the length of @props.
 */
#define GST_SENSOR_FIELD_SET(object, props, prop_id, value)                    \
  gst_sensor_field_set_property (                                              \
      GST_OBJECT (object), (props), G_N_ELEMENTS (props), (prop_id), (value))

/**
 * GST_SENSOR_FIELD_GET: (skip)
 * @object: the instance (any #GstObject)
 * @props: a static array of #GstSensorFieldProp
 * @prop_id: the property id
 * @value: the value to set
 *
 * gst_sensor_field_get_property() with the length of @props.
 */
#define GST_SENSOR_FIELD_GET(object, props, prop_id, value)                    \
  gst_sensor_field_get_property (                                              \
      GST_OBJECT (object), (props), G_N_ELEMENTS (props), (prop_id), (value))

G_END_DECLS
