/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sys/prctl.h>

#include "sensor-test-process.h"

static void
die_with_parent (gpointer user_data)
{
  /* a failed test must not leave its server running */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static guint
announced_port (const gchar *line, const gchar *part)
{
  g_autoptr (JsonNode) node = json_from_string (line, NULL);
  JsonObject *o;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return 0;
  o = json_node_get_object (node);
  if (part &&
      g_strcmp0 (json_object_get_string_member_with_default (o, "part", ""),
          part) != 0)
    return 0;
  return (guint) json_object_get_int_member_with_default (o, "port", 0);
}

void
sensor_test_process_start (
    SensorTestProcess *p, const gchar *const *argv, const gchar *part)
{
  GSubprocessLauncher *launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  GError *err = NULL;
  gchar *line;

  memset (p, 0, sizeof (*p));
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  p->proc = g_subprocess_launcher_spawnv (launcher, argv, &err);
  g_object_unref (launcher);
  fail_unless (
      p->proc != NULL, "cannot start %s: %s", argv[0], err ? err->message : "");
  p->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p->proc));
  while (p->port == 0 &&
      (line = g_data_input_stream_read_line (p->out, NULL, NULL, NULL))) {
    p->port = announced_port (line, part);
    g_free (line);
  }
  fail_unless (p->port > 0, "%s announced no port for %s", argv[0],
      part ? part : "any part");
}

void
sensor_test_cloud_start (SensorTestProcess *p, const gchar *only,
    const gchar *part, const gchar *const *extra)
{
  const gchar *root = g_getenv ("SENSOR_BUILD_ROOT");
  gchar *exe = g_build_filename (
      root ? root : ".", "tools", "sensor-cloud", "sensor-cloud", NULL);
  GPtrArray *args = g_ptr_array_new ();

  g_ptr_array_add (args, exe);
  g_ptr_array_add (args, (gpointer) "--only");
  g_ptr_array_add (args, (gpointer) only);
  g_ptr_array_add (args, (gpointer) "--port");
  g_ptr_array_add (args, (gpointer) "0");
  while (extra && *extra)
    g_ptr_array_add (args, (gpointer) *extra++);
  g_ptr_array_add (args, NULL);
  sensor_test_process_start (p, (const gchar *const *) args->pdata, part);
  g_ptr_array_unref (args);
  g_free (exe);
}

gboolean
sensor_test_process_stop (SensorTestProcess *p)
{
  gboolean ok;

  g_subprocess_send_signal (p->proc, SIGTERM);
  ok = g_subprocess_wait (p->proc, NULL, NULL) &&
      g_subprocess_get_if_exited (p->proc) &&
      g_subprocess_get_exit_status (p->proc) == 0;
  g_clear_object (&p->out);
  g_clear_object (&p->proc);
  return ok;
}
