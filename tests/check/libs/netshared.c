/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstsensornet is a static library, so each plugin carries its own copy; they
 * must still share ONE network thread and context per process.
 */
#include <gst/check/gstcheck.h>
#include <gmodule.h>
#include <gst/sensornet/sensornet-ws-client.h>

typedef GMainContext *(*RefFunc) (void);
typedef void (*UnrefFunc) (GMainContext *context);

static GModule *
open_copy (const gchar *name, RefFunc *ref, UnrefFunc *unref)
{
  const gchar *build = g_getenv ("SENSOR_BUILD_ROOT");
  gchar *path;
  GModule *module;

  fail_unless (build != NULL, "SENSOR_BUILD_ROOT not set");
  path = g_strdup_printf ("%s/tests/check/lib%s.so", build, name);
  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  fail_unless (module != NULL, "%s: %s", path, g_module_error ());
  fail_unless (
      g_module_symbol (module, "netcopy_context_ref", (gpointer *) ref));
  fail_unless (
      g_module_symbol (module, "netcopy_context_unref", (gpointer *) unref));
  g_free (path);
  return module;
}

static gboolean
note_thread (gpointer data)
{
  g_atomic_pointer_set ((gpointer *) data, g_thread_self ());
  return G_SOURCE_REMOVE;
}

static GThread *
thread_of (GMainContext *context)
{
  GThread *thread = NULL;
  GSource *s = g_idle_source_new ();

  g_source_set_callback (s, note_thread, &thread, NULL);
  g_source_attach (s, context);
  g_source_unref (s);
  while (!g_atomic_pointer_get (&thread))
    g_usleep (1000);
  return thread;
}

GST_START_TEST (test_copies_share_one_thread)
{
  RefFunc ref_a, ref_b;
  UnrefFunc unref_a, unref_b;
  GModule *a = open_copy ("netcopy_a", &ref_a, &unref_a);
  GModule *b = open_copy ("netcopy_b", &ref_b, &unref_b);
  GMainContext *ca, *cb, *cself;
  GThread *t;

  /* each module has its own copy of gstsensornet (static, hidden symbols) */
  ca = ref_a ();
  cb = ref_b ();
  cself = gst_sensor_net_context_ref ();
  fail_unless (ca == cb);
  fail_unless (ca == cself);
  t = thread_of (ca);
  fail_if (t == g_thread_self ());
  fail_unless (thread_of (cb) == t);

  /* references from any copy count together */
  unref_a (ca);
  gst_sensor_net_context_unref (cself);
  fail_unless (thread_of (cb) == t);
  unref_b (cb);

  /* and the next user starts a fresh one */
  ca = ref_a ();
  fail_unless (thread_of (ca) != g_thread_self ());
  unref_a (ca);

  g_module_close (a);
  g_module_close (b);
}

GST_END_TEST;

static Suite *
netshared_suite (void)
{
  Suite *s = suite_create ("netshared");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_copies_share_one_thread);
  return s;
}

GST_CHECK_MAIN (netshared);
