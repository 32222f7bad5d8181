/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sensor/sensor-prelude.h>

G_BEGIN_DECLS

/**
 * GstSensorCounterInfo:
 * @name: the field name in the stats structure, lower-case-dashed
 *   (`frames-sent`, `dropped-bytes`, ...)
 * @blurb: what the counter counts, for the stats property's description
 *
 * One counter of an element, declared once in a static table whose index
 * is the counter's id.
 */
typedef struct
{
  const gchar *name;
  const gchar *blurb;
} GstSensorCounterInfo;

/**
 * GstSensorCounters:
 *
 * A fixed set of #guint64 counters, named by a #GstSensorCounterInfo
 * table, that any thread may add to without a lock and that build the
 * element's `application/x-<element>-stats` structure.
 */
typedef struct _GstSensorCounters GstSensorCounters;

#define GST_TYPE_SENSOR_COUNTERS (gst_sensor_counters_get_type ())
GST_SENSOR_API
GType gst_sensor_counters_get_type (void);

GST_SENSOR_API
GstSensorCounters *gst_sensor_counters_new (
    const GstSensorCounterInfo *info, guint n_counters);

GST_SENSOR_API
GstSensorCounters *gst_sensor_counters_copy (GstSensorCounters *counters);

GST_SENSOR_API
void gst_sensor_counters_free (GstSensorCounters *counters);

GST_SENSOR_API
void gst_sensor_counters_add (GstSensorCounters *counters, guint id, guint64 n);

GST_SENSOR_API
void gst_sensor_counters_sub (GstSensorCounters *counters, guint id, guint64 n);

GST_SENSOR_API
guint64 gst_sensor_counters_get (GstSensorCounters *counters, guint id);

GST_SENSOR_API
void gst_sensor_counters_reset (GstSensorCounters *counters);

GST_SENSOR_API
void gst_sensor_counters_fill (
    GstSensorCounters *counters, GstStructure *structure);

GST_SENSOR_API
GstStructure *gst_sensor_counters_new_stats (
    GstSensorCounters *counters, const gchar *element);

GST_SENSOR_API
gchar *gst_sensor_counters_describe (GstSensorCounters *counters);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstSensorCounters, gst_sensor_counters_free)

G_END_DECLS
