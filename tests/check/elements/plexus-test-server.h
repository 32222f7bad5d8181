/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The sensor-cloud Plexus part, run in-process on its own thread and main
 * context, for the Plexus element tests. Set the options
 * (sensor_cloud_plexus_options()) before starting it.
 */
#pragma once

#include <gst/check/gstcheck.h>
#include "sensor-cloud-plexus.h"
#include "../sensor-test-pipeline.h"

typedef struct
{
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SensorCloud cloud;
  guint port;
  GMutex lock;
  GCond cond;
  gboolean ready;
  GTlsCertificate *cert; /* wss:// when set */
} PlexusTestServer;

static gpointer
plexus_test_server_thread (gpointer data)
{
  PlexusTestServer *s = data;
  GError *error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (s->context);
  s->cloud.context = s->context;
  s->cloud.loop = s->loop;
  s->cloud.address = "127.0.0.1";
  s->cloud.http = soup_server_new (
      "server-header", "sensor-cloud", "tls-certificate", s->cert, NULL);
  fail_unless (soup_server_listen_local (s->cloud.http, 0,
      SOUP_SERVER_LISTEN_IPV4_ONLY | (s->cert ? SOUP_SERVER_LISTEN_HTTPS : 0),
      &error));
  uris = soup_server_get_uris (s->cloud.http);
  s->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  fail_unless (sensor_cloud_plexus_part.start (&s->cloud, &error));

  g_mutex_lock (&s->lock);
  s->ready = TRUE;
  g_cond_signal (&s->cond);
  g_mutex_unlock (&s->lock);

  g_main_loop_run (s->loop);

  sensor_cloud_plexus_part.stop (&s->cloud);
  soup_server_disconnect (s->cloud.http);
  g_object_unref (s->cloud.http);
  /* let the closed connections finish */
  while (g_main_context_iteration (s->context, FALSE))
    ;
  g_main_context_pop_thread_default (s->context);
  return NULL;
}

/* @cert: serve wss:// with it, or NULL */
static PlexusTestServer *
plexus_test_server_start_full (GTlsCertificate *cert)
{
  PlexusTestServer *s = g_new0 (PlexusTestServer, 1);

  s->cert = cert ? g_object_ref (cert) : NULL;
  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->context = g_main_context_new ();
  s->loop = g_main_loop_new (s->context, FALSE);
  s->thread = g_thread_new ("plexus-server", plexus_test_server_thread, s);
  g_mutex_lock (&s->lock);
  while (!s->ready)
    g_cond_wait (&s->cond, &s->lock);
  g_mutex_unlock (&s->lock);
  return s;
}

static PlexusTestServer *
plexus_test_server_start (void)
{
  return plexus_test_server_start_full (NULL);
}

static gboolean
plexus_test_server_quit (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
plexus_test_server_stop (PlexusTestServer *s)
{
  GSource *src = g_idle_source_new ();

  g_source_set_callback (src, plexus_test_server_quit, s->loop, NULL);
  g_source_attach (src, s->context);
  g_source_unref (src);
  g_thread_join (s->thread);
  g_main_loop_unref (s->loop);
  g_main_context_unref (s->context);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
  g_clear_object (&s->cert);
  g_free (s);
  sensor_cloud_plexus_options_reset ();
}

static inline gchar *
plexus_test_server_location (PlexusTestServer *s)
{
  return g_strdup_printf ("%s://127.0.0.1:%u", s->cert ? "wss" : "ws", s->port);
}

static inline SensorCloudPlexusStats
plexus_test_server_stats (void)
{
  SensorCloudPlexusStats st;

  sensor_cloud_plexus_get_stats (&st);
  g_free (st.last_query);
  st.last_query = NULL;
  return st;
}

/* Pops the first message of @types from @bus within @timeout. */
static inline GstMessage *
plexus_pop_message (GstBus *bus, GstMessageType types, GstClockTime timeout)
{
  return gst_bus_timed_pop_filtered (bus, timeout, types);
}

/* The next element message named @name within @timeout, or NULL. */
static inline GstMessage *
plexus_pop_element_message (
    GstBus *bus, const gchar *name, GstClockTime timeout)
{
  gint64 end = g_get_monotonic_time () + timeout / 1000;

  for (;;) {
    gint64 left = end - g_get_monotonic_time ();
    GstMessage *m;

    if (left <= 0)
      return NULL;
    m = gst_bus_timed_pop_filtered (bus, left * 1000, GST_MESSAGE_ELEMENT);
    if (!m)
      return NULL;
    if (gst_message_has_name (m, name))
      return m;
    gst_message_unref (m);
  }
}

/* Launches "@src_desc location=... source-id=robot-01 api-key=KEY ! @rest",
 * PLAYING. Unref with gst_object_unref() after setting it to NULL. */
static inline GstElement *
plexus_test_pipeline (
    PlexusTestServer *server, const gchar *src_desc, const gchar *rest)
{
  gchar *loc = plexus_test_server_location (server);
  gchar *desc = g_strdup_printf ("%s location=%s source-id=robot-01 "
                                 "api-key=%s ! %s",
      src_desc, loc, SENSOR_CLOUD_PLEXUS_KEY, rest);
  GError *err = NULL;
  GstElement *p = gst_parse_launch (desc, &err);

  fail_unless (p != NULL, "%s: %s", desc, err ? err->message : "");
  fail_if (
      gst_element_set_state (p, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE);
  g_free (desc);
  g_free (loc);
  return p;
}

/* `gst-launch-1.0 -e` and Ctrl-C: once data reaches the sink, an EOS sent
 * to the pipeline "@src_desc ! @filter ! fakesink" (@filter may be NULL)
 * ends it with EOS on the bus within @bound. */
static inline void
plexus_test_eos_on_request (PlexusTestServer *server, const gchar *src_desc,
    const gchar *filter, GstClockTime bound)
{
  gchar *rest = g_strdup_printf (
      "%s%sfakesink name=sink", filter ? filter : "", filter ? " ! " : "");
  GstElement *p = plexus_test_pipeline (server, src_desc, rest);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (p), "sink");
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GstSample *sample = NULL;

  while (!sample && g_get_monotonic_time () < end) {
    g_object_get (sink, "last-sample", &sample, NULL);
    if (!sample)
      g_usleep (10 * 1000);
  }
  fail_unless (sample != NULL, "no data reached the sink");
  gst_sample_unref (sample);
  sensor_test_send_eos (p, 10 * GST_SECOND);
  sensor_test_wait_eos (p, bound);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (p);
  g_free (rest);
}
