/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Memory stays bounded in bytes: plexuslogsrc fed 7.5 MB events by the
 * sensor-cloud process (so that only our side counts in this process's
 * RSS) every 20 ms, into a sink that takes one buffer per 500 ms. Before the
 * byte budget the queue held up to 1,000 such events (2.86 GB seen); now
 * max-queue-bytes bounds it and the oldest are dropped and counted.
 */
#include <stdio.h>
#include <string.h>
#include <gst/check/gstcheck.h>

#include "../sensor-test-process.h"

#define KEY "plx_0123456789abcdef0123456789abcdef"

#define EVENT_BYTES (7500 * 1000)
/* 64 MiB queue, libsoup's buffers and one message in flight, generously
 * (not run under sanitizers: their shadow memory and quarantine count in
 * RSS) */
#define RSS_BOUND (300ull * 1000 * 1000)
#define OFFERED (1000ull * 1000 * 1000) /* 1 GB */

static guint64
rss_bytes (void)
{
  FILE *f = fopen ("/proc/self/status", "r");
  gchar line[256];
  guint64 kb = 0;

  fail_unless (f != NULL);
  while (fgets (line, sizeof line, f))
    if (sscanf (line, "VmRSS: %" G_GUINT64_FORMAT " kB", &kb) == 1)
      break;
  fclose (f);
  return kb * 1024;
}

static GstPadProbeReturn
slow_sink (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  g_usleep (500 * 1000);
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_big_events_slow_sink_bounded)
{
  SensorTestProcess cloud = { 0 };
  const gchar *extra[] = { "--plexus-event-bytes", "7500000",
    "--plexus-events-interval-ms", "20", NULL };
  GstElement *pipeline, *src, *sink;
  GstPad *pad;
  GstStructure *stats;
  guint64 before, peak = 0, dropped_bytes = 0, dropped = 0, received = 0;
  gint64 end;
  gchar *loc;

  sensor_test_cloud_start (&cloud, "plexus", "http", extra);
  loc = g_strdup_printf ("ws://127.0.0.1:%u", cloud.port);
  pipeline = gst_parse_launch ("plexuslogsrc name=src ! fakesink name=sink "
                               "sync=false",
      NULL);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (
      src, "location", loc, "source-id", "robot-01", "api-key", KEY, NULL);
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, slow_sink, NULL, NULL);
  gst_object_unref (pad);

  before = rss_bytes ();
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  end = g_get_monotonic_time () + 90 * G_TIME_SPAN_SECOND;
  while (g_get_monotonic_time () < end) {
    peak = MAX (peak, rss_bytes ());
    g_object_get (src, "stats", &stats, NULL);
    fail_unless (
        gst_structure_get_uint64 (stats, "messages-received", &received));
    gst_structure_free (stats);
    if (received * EVENT_BYTES >= OFFERED)
      break;
    g_usleep (50 * 1000);
  }
  fail_unless (received * EVENT_BYTES >= OFFERED,
      "only %" G_GUINT64_FORMAT " events arrived", received);

  g_object_get (src, "stats", &stats, NULL);
  fail_unless (
      gst_structure_get_uint64 (stats, "dropped-bytes", &dropped_bytes));
  fail_unless (gst_structure_get_uint64 (stats, "dropped", &dropped));
  gst_structure_free (stats);
  GST_INFO ("RSS %" G_GUINT64_FORMAT " -> peak %" G_GUINT64_FORMAT
            ", dropped %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " bytes)",
      before, peak, dropped, dropped_bytes);
  fail_unless (peak < before + RSS_BOUND,
      "RSS grew by %" G_GUINT64_FORMAT " MB after 1 GB offered",
      (peak - before) / 1000000);
  fail_unless (dropped > 0 && dropped_bytes >= dropped * EVENT_BYTES,
      "the oldest events were not dropped and counted");

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_free (loc);
  fail_unless (sensor_test_process_stop (&cloud));
}

GST_END_TEST;

static Suite *
plexusmemory_suite (void)
{
  Suite *s = suite_create ("plexusmemory");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 150);
  tcase_add_test (tc, test_big_events_slow_sink_bounded);
  return s;
}

GST_CHECK_MAIN (plexusmemory);
