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

G_END_DECLS
