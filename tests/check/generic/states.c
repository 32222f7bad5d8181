/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every element of this project's plugins survives NULL <-> PLAYING cycles,
 * step by step and in jumps, without leaks, crashes or hangs. Network
 * elements point at a closed loopback port: they may fail to reach PAUSED
 * (nothing listens), but every transition must return promptly and the way
 * down to NULL must always succeed.
 */
#include <gst/check/gstcheck.h>

static const gchar *const our_plugins[] = { "sensor", "raeh", "plexus", "ramen",
  "helios", NULL };

static GList *
our_element_names (void)
{
  GList *names = NULL;
  guint i;

  for (i = 0; our_plugins[i]; i++) {
    GList *features, *l;

    features = gst_registry_get_feature_list_by_plugin (
        gst_registry_get (), our_plugins[i]);
    for (l = features; l; l = l->next) {
      if (GST_IS_ELEMENT_FACTORY (l->data))
        names = g_list_prepend (
            names, g_strdup (gst_plugin_feature_get_name (l->data)));
    }
    gst_plugin_feature_list_free (features);
  }
  return g_list_sort (names, (GCompareFunc) g_strcmp0);
}

static gboolean
set_if_exists (GstElement *e, const gchar *prop, const gchar *value)
{
  if (!g_object_class_find_property (G_OBJECT_GET_CLASS (e), prop))
    return FALSE;
  gst_util_set_object_arg (G_OBJECT (e), prop, value);
  return TRUE;
}

/* Keeps network elements on this machine and away from retry loops. */
static gboolean
make_local (GstElement *e)
{
  GParamSpec *loc =
      g_object_class_find_property (G_OBJECT_GET_CLASS (e), "location");
  gboolean network = FALSE;

  if (loc && (loc->flags & G_PARAM_WRITABLE)) {
    const gchar *dflt =
        g_value_get_string (g_param_spec_get_default_value (loc));

    if (dflt && strstr (dflt, "://"))
      g_object_set (e, "location",
          g_str_has_prefix (dflt, "http") ? "http://127.0.0.1:9" :
                                            "ws://127.0.0.1:9",
          NULL);
    else
      g_object_set (e, "location", "127.0.0.1:9", NULL);
    network = TRUE;
  }
  if (set_if_exists (e, "port", "0"))
    network = TRUE;
  set_if_exists (e, "retries", "0");
  set_if_exists (e, "timeout", "1");
  return network;
}

static void
check_transition (GstElement *e, GstState to, gboolean may_fail)
{
  GstStateChangeReturn ret = gst_element_set_state (e, to);

  if (ret == GST_STATE_CHANGE_ASYNC)
    ret = gst_element_get_state (e, NULL, NULL, 10 * GST_SECOND);
  fail_if (ret == GST_STATE_CHANGE_ASYNC, "%s: stuck going to %s",
      GST_OBJECT_NAME (e), gst_element_state_get_name (to));
  if (!may_fail || to <= GST_STATE_READY)
    fail_if (ret == GST_STATE_CHANGE_FAILURE, "%s: failed going to %s",
        GST_OBJECT_NAME (e), gst_element_state_get_name (to));
}

static void
cycle (const gchar *name, const GstState *states, guint n)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *e = gst_element_factory_make (name, name);
  GstBus *bus;
  gboolean network;
  guint i;

  fail_unless (e != NULL, "cannot make %s", name);
  network = make_local (e);
  gst_bin_add (GST_BIN (pipeline), e);
  for (i = 0; i < n; i++)
    check_transition (pipeline, states[i], network);
  check_transition (pipeline, GST_STATE_NULL, FALSE);
  bus = gst_element_get_bus (pipeline);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_START_TEST (test_state_changes_up_and_down_seq)
{
  static const GstState seq[] = {
    GST_STATE_READY,
    GST_STATE_PAUSED,
    GST_STATE_PLAYING,
    GST_STATE_PAUSED,
    GST_STATE_READY,
    GST_STATE_NULL,
    GST_STATE_READY,
    GST_STATE_PAUSED,
    GST_STATE_PLAYING,
    GST_STATE_PAUSED,
    GST_STATE_READY,
  };
  GList *names = our_element_names (), *l;

  fail_unless (names != NULL, "no elements of ours in the registry");
  for (l = names; l; l = l->next) {
    GST_INFO ("cycling %s", (gchar *) l->data);
    cycle (l->data, seq, G_N_ELEMENTS (seq));
  }
  g_list_free_full (names, g_free);
}

GST_END_TEST;

GST_START_TEST (test_state_changes_jumps)
{
  static const GstState seq[] = {
    GST_STATE_PLAYING,
    GST_STATE_NULL,
    GST_STATE_PAUSED,
    GST_STATE_NULL,
    GST_STATE_PLAYING,
    GST_STATE_READY,
    GST_STATE_PLAYING,
  };
  GList *names = our_element_names (), *l;

  for (l = names; l; l = l->next)
    cycle (l->data, seq, G_N_ELEMENTS (seq));
  g_list_free_full (names, g_free);
}

GST_END_TEST;

static Suite *
states_suite (void)
{
  Suite *s = suite_create ("states");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 300);
  tcase_add_test (tc, test_state_changes_up_and_down_seq);
  tcase_add_test (tc, test_state_changes_jumps);
  return s;
}

GST_CHECK_MAIN (states);
