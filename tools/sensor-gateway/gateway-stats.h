/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Sums of the numeric fields of the elements' `stats` structures, keyed by
 * where they come from, written out in the Prometheus text format. */
typedef struct _GatewayStats GatewayStats;

GatewayStats *gateway_stats_new (void);

/* Adds every numeric `stats` field of every element of ours in @bin
 * (recursively) as sensor_<factory>_<field>, labelled @scope="@scope_name"
 * (e.g. pipeline="cameras"); with @by_factory the values of all elements
 * of a factory are summed (routes: over devices), else each element gets
 * an element="NAME" label. */
void gateway_stats_add_bin (GatewayStats *stats, GstBin *bin,
    const gchar *scope, const gchar *scope_name, gboolean by_factory);

/* Appends key="value" (escaped) to a label list, with a comma when not
 * the first. */
void gateway_stats_append_label (
    GString *labels, const gchar *key, const gchar *value);

/* Adds one value. */
void gateway_stats_add (GatewayStats *stats, const gchar *metric,
    const gchar *labels, gdouble value);

/* Appends the Prometheus text, one # TYPE line per metric, sorted. */
void gateway_stats_write (GatewayStats *stats, GString *out);

void gateway_stats_free (GatewayStats *stats);

G_END_DECLS
