/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:gstsensorcounters
 * @title: Counters
 * @short_description: an element's named stats counters
 *
 * Every element of the project reports what it did in a `stats` property:
 * a #GstStructure named `application/x-<element>-stats` whose counters are
 * #guint64 fields with the same name for the same thing everywhere
 * (`frames-sent`, `dropped`, `reconnects`, ...). An element declares its
 * counters once, in a static table of #GstSensorCounterInfo indexed by its
 * own enum, adds to them from any thread (network and streaming threads
 * alike, without a lock) and builds the structure with
 * gst_sensor_counters_new_stats(), then sets its fields that are no
 * counters (`connected`, `queued`, ...).
 *
 * |[<!-- language="C" -->
 * enum { COUNTER_FRAMES_SENT, COUNTER_BYTES_SENT, N_COUNTERS };
 * static const GstSensorCounterInfo counter_info[N_COUNTERS] = {
 *   { "frames-sent", "frames sent" },
 *   { "bytes-sent", "bytes of those frames" },
 * };
 *
 * self->counters = gst_sensor_counters_new (counter_info, N_COUNTERS);
 * gst_sensor_counters_add (self->counters, COUNTER_FRAMES_SENT, 1);
 * s = gst_sensor_counters_new_stats (self->counters, "raehsink");
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdatomic.h>

#include "sensor-counters.h"

struct _GstSensorCounters
{
  const GstSensorCounterInfo *info;
  guint n;
  /* 64-bit atomics: GLib's g_atomic_int_* are 32-bit only */
  atomic_uint_fast64_t values[];
};

G_DEFINE_BOXED_TYPE (GstSensorCounters, gst_sensor_counters,
    gst_sensor_counters_copy, gst_sensor_counters_free);

/**
 * gst_sensor_counters_new:
 * @info: (array length=n_counters): the counters; the table is not copied
 *   and must outlive the result (a static table)
 * @n_counters: its length
 *
 * Makes the counters of @info, all 0.
 *
 * Returns: (transfer full): new counters, for gst_sensor_counters_free()
 */
GstSensorCounters *
gst_sensor_counters_new (const GstSensorCounterInfo *info, guint n_counters)
{
  GstSensorCounters *c;
  guint i;

  g_return_val_if_fail (info != NULL || n_counters == 0, NULL);

  c = g_malloc0 (
      sizeof (GstSensorCounters) + n_counters * sizeof (atomic_uint_fast64_t));
  c->info = info;
  c->n = n_counters;
  for (i = 0; i < n_counters; i++)
    atomic_init (&c->values[i], 0);
  return c;
}

/**
 * gst_sensor_counters_copy:
 * @counters: counters
 *
 * A snapshot: new counters of the same table with the values of now.
 *
 * Returns: (transfer full): new counters, for gst_sensor_counters_free()
 */
GstSensorCounters *
gst_sensor_counters_copy (GstSensorCounters *counters)
{
  GstSensorCounters *copy;
  guint i;

  g_return_val_if_fail (counters != NULL, NULL);

  copy = gst_sensor_counters_new (counters->info, counters->n);
  for (i = 0; i < counters->n; i++)
    atomic_store_explicit (&copy->values[i],
        gst_sensor_counters_get (counters, i), memory_order_relaxed);
  return copy;
}

/**
 * gst_sensor_counters_free:
 * @counters: (nullable) (transfer full): counters
 *
 * Frees @counters.
 */
void
gst_sensor_counters_free (GstSensorCounters *counters)
{
  g_free (counters);
}

/**
 * gst_sensor_counters_add:
 * @counters: counters
 * @id: the counter's index in the table
 * @n: how much to add
 *
 * Adds @n to counter @id, atomically: from any thread, without a lock.
 */
void
gst_sensor_counters_add (GstSensorCounters *counters, guint id, guint64 n)
{
  g_return_if_fail (counters != NULL && id < counters->n);

  atomic_fetch_add_explicit (&counters->values[id], n, memory_order_relaxed);
}

/**
 * gst_sensor_counters_sub:
 * @counters: counters
 * @id: the counter's index in the table
 * @n: how much to take back
 *
 * Takes back @n counted too early (e.g. frames counted as sent that did not
 * leave after all), atomically.
 */
void
gst_sensor_counters_sub (GstSensorCounters *counters, guint id, guint64 n)
{
  g_return_if_fail (counters != NULL && id < counters->n);

  atomic_fetch_sub_explicit (&counters->values[id], n, memory_order_relaxed);
}

/**
 * gst_sensor_counters_get:
 * @counters: counters
 * @id: the counter's index in the table
 *
 * Returns: the value of counter @id now
 */
guint64
gst_sensor_counters_get (GstSensorCounters *counters, guint id)
{
  g_return_val_if_fail (counters != NULL && id < counters->n, 0);

  return atomic_load_explicit (&counters->values[id], memory_order_relaxed);
}

/**
 * gst_sensor_counters_reset:
 * @counters: counters
 *
 * Sets every counter to 0 (an element does this when it starts again).
 */
void
gst_sensor_counters_reset (GstSensorCounters *counters)
{
  guint i;

  g_return_if_fail (counters != NULL);

  for (i = 0; i < counters->n; i++)
    atomic_store_explicit (&counters->values[i], 0, memory_order_relaxed);
}

/**
 * gst_sensor_counters_fill:
 * @counters: counters
 * @structure: a writable structure
 *
 * Sets every counter in @structure as a #guint64 field named as in the
 * table, replacing a field of that name.
 */
void
gst_sensor_counters_fill (GstSensorCounters *counters, GstStructure *structure)
{
  GValue v = G_VALUE_INIT;
  guint i;

  g_return_if_fail (counters != NULL && structure != NULL);

  g_value_init (&v, G_TYPE_UINT64);
  for (i = 0; i < counters->n; i++) {
    g_value_set_uint64 (&v, gst_sensor_counters_get (counters, i));
    gst_structure_set_value (structure, counters->info[i].name, &v);
  }
  g_value_unset (&v);
}

/**
 * gst_sensor_counters_new_stats:
 * @counters: counters
 * @element: the element's factory name, e.g. "raehsink"
 *
 * The stats structure of @element: named
 * `application/x-<element>-stats`, with every counter set (see
 * gst_sensor_counters_fill()). The element adds the fields that are no
 * counters.
 *
 * Returns: (transfer full): a new structure
 */
GstStructure *
gst_sensor_counters_new_stats (
    GstSensorCounters *counters, const gchar *element)
{
  g_autofree gchar *name = NULL;
  GstStructure *s;

  g_return_val_if_fail (counters != NULL && element != NULL, NULL);

  name = g_strdup_printf ("application/x-%s-stats", element);
  s = gst_structure_new_empty (name);
  gst_sensor_counters_fill (counters, s);
  return s;
}

/**
 * gst_sensor_counters_describe:
 * @counters: counters
 *
 * The counters and their blurbs as one line, `name (blurb), ...`, for
 * the description of an element's stats property.
 *
 * Returns: (transfer full): a new string
 */
gchar *
gst_sensor_counters_describe (GstSensorCounters *counters)
{
  GString *str;
  guint i;

  g_return_val_if_fail (counters != NULL, NULL);

  str = g_string_new (NULL);
  for (i = 0; i < counters->n; i++)
    g_string_append_printf (str, "%s%s (%s)", i ? ", " : "",
        counters->info[i].name, counters->info[i].blurb);
  return g_string_free (str, FALSE);
}
