/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * sensor-manifest: writes every element of this project's plugins (pads,
 * caps, properties with type, default, range and flags) as JSON, the source
 * of docs/plugins.json. A test regenerates it and compares.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <json-glib/json-glib.h>

static const gchar *const our_plugins[] = { "sensor", "raeh", "plexus", "ramen",
  "helios", NULL };

static void
add_flags (JsonBuilder *b, GParamFlags flags)
{
  static const struct
  {
    GParamFlags flag;
    const gchar *name;
  } names[] = {
    { G_PARAM_READABLE, "readable" },
    { G_PARAM_WRITABLE, "writable" },
    { G_PARAM_CONSTRUCT_ONLY, "construct-only" },
    { GST_PARAM_CONTROLLABLE, "controllable" },
    { GST_PARAM_MUTABLE_READY, "changeable-in-ready" },
    { GST_PARAM_MUTABLE_PAUSED, "changeable-in-paused" },
    { GST_PARAM_MUTABLE_PLAYING, "changeable-in-playing" },
    { GST_PARAM_DOC_SHOW_DEFAULT, "doc-show-default" },
  };
  guint i;

  json_builder_begin_array (b);
  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    if ((flags & names[i].flag) == names[i].flag)
      json_builder_add_string_value (b, names[i].name);
  }
  json_builder_end_array (b);
}

static void
add_range (JsonBuilder *b, GParamSpec *p)
{
  gchar *min = NULL, *max = NULL;

#define RANGE(TYPE, fmt)                                                       \
  if (G_IS_PARAM_SPEC_##TYPE (p)) {                                            \
    min = g_strdup_printf (fmt, G_PARAM_SPEC_##TYPE (p)->minimum);             \
    max = g_strdup_printf (fmt, G_PARAM_SPEC_##TYPE (p)->maximum);             \
  }
  RANGE (INT, "%d");
  RANGE (UINT, "%u");
  RANGE (INT64, "%" G_GINT64_FORMAT);
  RANGE (UINT64, "%" G_GUINT64_FORMAT);
  RANGE (LONG, "%ld");
  RANGE (ULONG, "%lu");
  RANGE (DOUBLE, "%.17g");
  RANGE (FLOAT, "%.9g");
#undef RANGE
  if (min) {
    json_builder_set_member_name (b, "min");
    json_builder_add_string_value (b, min);
    json_builder_set_member_name (b, "max");
    json_builder_add_string_value (b, max);
  }
  g_free (min);
  g_free (max);

  if (G_IS_PARAM_SPEC_ENUM (p)) {
    GEnumClass *ec = G_PARAM_SPEC_ENUM (p)->enum_class;
    guint i;

    json_builder_set_member_name (b, "values");
    json_builder_begin_array (b);
    for (i = 0; i < ec->n_values; i++)
      json_builder_add_string_value (b, ec->values[i].value_nick);
    json_builder_end_array (b);
  }
}

static gint
compare_pspec (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 ((*(GParamSpec **) a)->name, (*(GParamSpec **) b)->name);
}

static void
add_properties (JsonBuilder *b, GstElement *element)
{
  GObjectClass *klass = G_OBJECT_GET_CLASS (element);
  GParamSpec **specs;
  guint n, i;

  specs = g_object_class_list_properties (klass, &n);
  qsort (specs, n, sizeof (GParamSpec *),
      (int (*) (const void *, const void *)) compare_pspec);
  json_builder_begin_object (b);
  for (i = 0; i < n; i++) {
    GParamSpec *p = specs[i];
    gchar *dflt;

    /* GstObject's and GstElement's own properties say nothing new */
    if (p->owner_type == GST_TYPE_OBJECT || p->owner_type == G_TYPE_OBJECT)
      continue;
    json_builder_set_member_name (b, p->name);
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "type");
    json_builder_add_string_value (b, g_type_name (p->value_type));
    json_builder_set_member_name (b, "blurb");
    json_builder_add_string_value (b, g_param_spec_get_blurb (p));
    /* a NULL boxed default (the read-only stats structures) has no
     * contents to serialise */
    if (G_TYPE_IS_BOXED (p->value_type) &&
        g_value_get_boxed (g_param_spec_get_default_value (p)) == NULL)
      dflt = g_strdup ("NULL");
    else
      dflt = g_strdup_value_contents (g_param_spec_get_default_value (p));
    json_builder_set_member_name (b, "default");
    json_builder_add_string_value (b, dflt);
    g_free (dflt);
    add_range (b, p);
    json_builder_set_member_name (b, "flags");
    add_flags (b, p->flags);
    json_builder_end_object (b);
  }
  json_builder_end_object (b);
  g_free (specs);
}

static gint
compare_template (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (((const GstStaticPadTemplate *) a)->name_template,
      ((const GstStaticPadTemplate *) b)->name_template);
}

static void
add_pads (JsonBuilder *b, GstElementFactory *factory)
{
  static const gchar *dirs[] = { "unknown", "src", "sink" };
  static const gchar *presence[] = { "always", "sometimes", "request" };
  GList *templates, *l;

  /* sorted: the registry's order depends on how it was loaded */
  templates = g_list_copy (
      (GList *) gst_element_factory_get_static_pad_templates (factory));
  templates = g_list_sort (templates, compare_template);
  json_builder_begin_object (b);
  for (l = templates; l; l = l->next) {
    GstStaticPadTemplate *t = l->data;

    json_builder_set_member_name (b, t->name_template);
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "direction");
    json_builder_add_string_value (b, dirs[t->direction]);
    json_builder_set_member_name (b, "presence");
    json_builder_add_string_value (b, presence[t->presence]);
    json_builder_set_member_name (b, "caps");
    json_builder_add_string_value (b, t->static_caps.string);
    json_builder_end_object (b);
  }
  json_builder_end_object (b);
  g_list_free (templates);
}

static void
add_element (JsonBuilder *b, GstElementFactory *factory)
{
  GstElement *element = gst_element_factory_create (factory, NULL);
  const gchar *keys[] = { GST_ELEMENT_METADATA_LONGNAME,
    GST_ELEMENT_METADATA_KLASS, GST_ELEMENT_METADATA_DESCRIPTION, NULL };
  guint i;

  json_builder_set_member_name (
      b, gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (factory)));
  json_builder_begin_object (b);
  for (i = 0; keys[i]; i++) {
    json_builder_set_member_name (b, keys[i]);
    json_builder_add_string_value (
        b, gst_element_factory_get_metadata (factory, keys[i]));
  }
  json_builder_set_member_name (b, "rank");
  json_builder_add_int_value (
      b, gst_plugin_feature_get_rank (GST_PLUGIN_FEATURE (factory)));
  json_builder_set_member_name (b, "pads");
  add_pads (b, factory);
  if (element) {
    json_builder_set_member_name (b, "properties");
    add_properties (b, element);
    gst_object_unref (element);
  }
  json_builder_end_object (b);
}

static gint
compare_feature (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (
      gst_plugin_feature_get_name (a), gst_plugin_feature_get_name (b));
}

int
main (int argc, char **argv)
{
  g_autoptr (JsonBuilder) b = NULL;
  g_autoptr (JsonGenerator) gen = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  guint i;

  gst_init (&argc, &argv);
  if (argc != 2) {
    g_printerr ("usage: %s OUTPUT.json\n", argv[0]);
    return 2;
  }

  b = json_builder_new ();
  json_builder_begin_object (b);
  for (i = 0; our_plugins[i]; i++) {
    GstPlugin *plugin =
        gst_registry_find_plugin (gst_registry_get (), our_plugins[i]);
    GList *features, *l;

    if (plugin == NULL)
      continue; /* disabled in this build */
    json_builder_set_member_name (b, our_plugins[i]);
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "description");
    json_builder_add_string_value (b, gst_plugin_get_description (plugin));
    json_builder_set_member_name (b, "elements");
    json_builder_begin_object (b);
    features = gst_registry_get_feature_list_by_plugin (
        gst_registry_get (), our_plugins[i]);
    features = g_list_sort (features, compare_feature);
    for (l = features; l; l = l->next) {
      if (GST_IS_ELEMENT_FACTORY (l->data))
        add_element (b, GST_ELEMENT_FACTORY (l->data));
    }
    gst_plugin_feature_list_free (features);
    json_builder_end_object (b);
    json_builder_end_object (b);
    gst_object_unref (plugin);
  }
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  gen = json_generator_new ();
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, root);
  if (!json_generator_to_file (gen, argv[1], &error)) {
    g_printerr ("cannot write %s: %s\n", argv[1], error->message);
    return 1;
  }
  return 0;
}
