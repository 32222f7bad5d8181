/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * HTTP servers in one process for bench/rpsensorsrc-bench.sh and
 * bench/gateway.sh: a minimal libsoup handler answering a fixed 200 (the
 * limit) on its own thread and GMainContext, like rpsensorsrc's; the same
 * handler on a paced context (gst_sensor_net_context_set_paced(), as
 * rpsensorsrc's server thread is), the floor of the library with the
 * polling we use; and a pipeline with rpsensorsrc whose pads all go to
 * fakesinks. Prints "<baseline port> <element port> <paced baseline port>",
 * then serves until stdin closes.
 *
 * usage: rpsensorsrc-bench-server [rate-limit]   (default 0 = no limit)
 */
#include <gst/gst.h>
#include <libsoup/soup.h>
#include <gst/sensornet/sensornet-paced-poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  GMainContext *context;
  gboolean paced;
  gint port;
  GThread *thread;
} Baseline;

static gint baseline_stop;
static GMutex lock;
static GCond cond;

static void
fixed_200 (SoupServer *server, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer user_data)
{
  static const gchar body[] = "{\"success\":true}";

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (
      msg, "application/json", SOUP_MEMORY_STATIC, body, sizeof (body) - 1);
}

static gpointer
baseline_thread (gpointer data)
{
  Baseline *b = data;
  SoupServer *server;
  GSList *uris;

  g_main_context_push_thread_default (b->context);
  if (b->paced)
    gst_sensor_net_context_set_paced (b->context);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, fixed_200, NULL, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL))
    g_error ("baseline: cannot listen");
  uris = soup_server_get_uris (server);
  g_mutex_lock (&lock);
  b->port = g_uri_get_port (uris->data);
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  while (!g_atomic_int_get (&baseline_stop))
    g_main_context_iteration (b->context, TRUE);
  soup_server_disconnect (server);
  g_object_unref (server);
  g_main_context_pop_thread_default (b->context);
  return NULL;
}

static void
baseline_start (Baseline *b, gboolean paced)
{
  b->context = g_main_context_new ();
  b->paced = paced;
  b->thread = g_thread_new ("baseline", baseline_thread, b);
  g_mutex_lock (&lock);
  while (b->port == 0)
    g_cond_wait (&cond, &lock);
  g_mutex_unlock (&lock);
}

static void
baseline_stop_all (Baseline *b, guint n)
{
  guint i;

  g_atomic_int_set (&baseline_stop, 1);
  for (i = 0; i < n; i++) {
    g_main_context_wakeup (b[i].context);
    g_thread_join (b[i].thread);
    g_main_context_unref (b[i].context);
  }
}

static void
on_pad_added (GstElement *src, GstPad *pad, GstElement *pipeline)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  GstPad *sinkpad;

  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (pipeline), sink);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  gst_pad_link (pad, sinkpad);
  gst_object_unref (sinkpad);
  gst_element_sync_state_with_parent (sink);
}

int
main (int argc, char **argv)
{
  GstElement *pipeline, *src;
  Baseline baselines[2] = { 0 };
  GstStructure *stats;
  gint port;
  gchar buf[64];
  gchar *s;

  gst_init (&argc, &argv);
  baseline_start (&baselines[0], FALSE);
  baseline_start (&baselines[1], TRUE);

  pipeline = gst_pipeline_new (NULL);
  src = gst_element_factory_make ("rpsensorsrc", NULL);
  if (src == NULL)
    g_error ("rpsensorsrc not found (GST_PLUGIN_PATH_1_0?)");
  g_object_set (src, "port", 0, "rate-limit",
      argc > 1 ? g_ascii_strtod (argv[1], NULL) : 0.0, NULL);
  gst_bin_add (GST_BIN (pipeline), src);
  g_signal_connect (src, "pad-added", G_CALLBACK (on_pad_added), pipeline);
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE)
    g_error ("cannot start the pipeline");
  gst_element_get_state (pipeline, NULL, NULL, GST_CLOCK_TIME_NONE);
  g_object_get (src, "port", &port, NULL);

  printf ("%d %d %d\n", baselines[0].port, port, baselines[1].port);
  fflush (stdout);
  while (fgets (buf, sizeof (buf), stdin) != NULL)
    ;

  g_object_get (src, "stats", &stats, NULL);
  s = gst_structure_to_string (stats);
  fprintf (stderr, "%s\n", s);
  g_free (s);
  gst_structure_free (stats);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  baseline_stop_all (baselines, G_N_ELEMENTS (baselines));
  return 0;
}
