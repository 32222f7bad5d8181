/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Element stats as Prometheus metrics: every element of ours has a
 * read-only `stats` GstStructure; its numeric fields become
 * sensor_gateway_<field>{scope="...",name="...",element="..."}.
 */
#include "gateway-stats.h"

#include <string.h>

struct _GatewayStats
{
  /* metric name -> (labels -> gdouble*) */
  GHashTable *metrics;
};

GatewayStats *
gateway_stats_new (void)
{
  GatewayStats *stats = g_new0 (GatewayStats, 1);

  stats->metrics = g_hash_table_new_full (
      g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);
  return stats;
}

void
gateway_stats_add (GatewayStats *stats, const gchar *metric,
    const gchar *labels, gdouble value)
{
  GHashTable *series = g_hash_table_lookup (stats->metrics, metric);
  gdouble *sum;

  if (series == NULL) {
    series = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    g_hash_table_insert (stats->metrics, g_strdup (metric), series);
  }
  sum = g_hash_table_lookup (series, labels);
  if (sum == NULL) {
    sum = g_new0 (gdouble, 1);
    g_hash_table_insert (series, g_strdup (labels), sum);
  }
  *sum += value;
}

/* Prometheus names: [a-zA-Z_:][a-zA-Z0-9_:]*; sensor_<factory>_<field> */
static gchar *
metric_name (const gchar *factory, const gchar *field)
{
  gchar *name = g_strconcat ("sensor_", factory, "_", field, NULL);
  gchar *c;

  for (c = name; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '_')
      *c = '_';
  return name;
}

/* Label values escape \, " and newline. */
void
gateway_stats_append_label (GString *s, const gchar *key, const gchar *value)
{
  const gchar *c;

  if (s->len > 0)
    g_string_append_c (s, ',');
  g_string_append_printf (s, "%s=\"", key);
  for (c = value; *c; c++) {
    if (*c == '\\' || *c == '"')
      g_string_append_c (s, '\\');
    if (*c == '\n')
      g_string_append (s, "\\n");
    else
      g_string_append_c (s, *c);
  }
  g_string_append_c (s, '"');
}

typedef struct
{
  GatewayStats *stats;
  const gchar *factory;
  const gchar *labels;
} FieldCtx;

/* Only our elements: their stats are documented counters. */
static const gchar *const our_plugins[] = { "sensor", "raeh", "plexus", "ramen",
  "helios", NULL };

static gboolean
add_field (GQuark field, const GValue *value, gpointer user_data)
{
  FieldCtx *ctx = user_data;
  gdouble v;
  gchar *name;

  switch (G_VALUE_TYPE (value)) {
    case G_TYPE_UINT64:
      v = (gdouble) g_value_get_uint64 (value);
      break;
    case G_TYPE_INT64:
      v = (gdouble) g_value_get_int64 (value);
      break;
    case G_TYPE_UINT:
      v = g_value_get_uint (value);
      break;
    case G_TYPE_INT:
      v = g_value_get_int (value);
      break;
    case G_TYPE_DOUBLE:
      v = g_value_get_double (value);
      break;
    case G_TYPE_BOOLEAN:
      v = g_value_get_boolean (value) ? 1 : 0;
      break;
    default:
      return TRUE; /* strings and lists are not metrics */
  }
  name = metric_name (ctx->factory, g_quark_to_string (field));
  gateway_stats_add (ctx->stats, name, ctx->labels, v);
  g_free (name);
  return TRUE;
}

void
gateway_stats_add_bin (GatewayStats *stats, GstBin *bin, const gchar *scope,
    const gchar *scope_name, gboolean by_factory)
{
  GstIterator *it = gst_bin_iterate_recurse (bin);
  GValue item = G_VALUE_INIT;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&item);
    GParamSpec *pspec =
        g_object_class_find_property (G_OBJECT_GET_CLASS (e), "stats");
    GstStructure *s = NULL;
    GstElementFactory *f = gst_element_get_factory (e);
    const gchar *plugin =
        f ? gst_plugin_feature_get_plugin_name (GST_PLUGIN_FEATURE (f)) : NULL;

    if (pspec != NULL && pspec->value_type == GST_TYPE_STRUCTURE &&
        (pspec->flags & G_PARAM_READABLE) && plugin != NULL &&
        g_strv_contains (our_plugins, plugin)) {
      GString *labels = g_string_new (NULL);
      FieldCtx ctx;

      g_object_get (e, "stats", &s, NULL);
      gateway_stats_append_label (labels, scope, scope_name);
      if (!by_factory)
        gateway_stats_append_label (labels, "element", GST_OBJECT_NAME (e));
      ctx.stats = stats;
      ctx.factory = GST_OBJECT_NAME (f);
      ctx.labels = labels->str;
      if (s != NULL)
        gst_structure_foreach (s, add_field, &ctx);
      g_clear_pointer (&s, gst_structure_free);
      g_string_free (labels, TRUE);
    }
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
}

static GList *
sorted_keys (GHashTable *table)
{
  return g_list_sort (g_hash_table_get_keys (table), (GCompareFunc) strcmp);
}

void
gateway_stats_write (GatewayStats *stats, GString *out)
{
  GList *names = sorted_keys (stats->metrics), *n, *l;

  for (n = names; n; n = n->next) {
    const gchar *name = n->data;
    GHashTable *series = g_hash_table_lookup (stats->metrics, name);
    GList *labels = sorted_keys (series);

    g_string_append_printf (out, "# TYPE %s untyped\n", name);
    for (l = labels; l; l = l->next) {
      const gchar *label = l->data;
      gdouble *v = g_hash_table_lookup (series, label);
      gchar num[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (num, sizeof num, *v);
      if (*label)
        g_string_append_printf (out, "%s{%s} %s\n", name, label, num);
      else
        g_string_append_printf (out, "%s %s\n", name, num);
    }
    g_list_free (labels);
  }
  g_list_free (names);
}

void
gateway_stats_free (GatewayStats *stats)
{
  g_hash_table_unref (stats->metrics);
  g_free (stats);
}
