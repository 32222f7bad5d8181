/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Raeh benchmark (b): N device sessions in one process at real-time rates.
 * Each device is raehframepack x2 (ppg_green 100 Hz, acc_3axis 50 Hz, S16)
 * into one raehsink (its own WebSocket session); one driver thread pushes
 * 100 ms of samples per modality per device every 100 ms of wall time, so
 * the elements see what live sources would give them. After a warm-up it
 * prints CPU % of one core, RSS and thread count over the measured window,
 * as one JSON line.
 *
 * Usage: raeh-sessions URI N SECONDS
 */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <gst/gst.h>
#include <gst/sensor/sensor.h>

#define MODEL "573fdc48-b7a8-40bb-81b7-e96df24fab6d"
#define TICK_MS 100

typedef struct
{
  GstElement *pack_ppg, *pack_acc;
  GstPad *ppg, *acc; /* our source pads, linked to the packers */
} Device;

static gdouble
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
      ru.ru_stime.tv_usec / 1e6;
}

static glong
proc_status (const gchar *key)
{
  gchar *text = NULL, *p;
  glong v = -1;

  if (g_file_get_contents ("/proc/self/status", &text, NULL, NULL) &&
      (p = strstr (text, key)))
    v = strtol (p + strlen (key), NULL, 10);
  g_free (text);
  return v;
}

static GstPad *
feed_pad (GstElement *pack, const gchar *caps_str, const gchar *name)
{
  GstPad *src = gst_pad_new (name, GST_PAD_SRC);
  GstPad *sink = gst_element_get_static_pad (pack, "sink");
  GstCaps *caps = gst_caps_from_string (caps_str);
  GstSegment seg;

  gst_pad_set_active (src, TRUE);
  g_assert (gst_pad_link (src, sink) == GST_PAD_LINK_OK);
  gst_object_unref (sink);
  gst_pad_push_event (src, gst_event_new_stream_start (name));
  gst_pad_push_event (src, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_segment_init (&seg, GST_FORMAT_TIME);
  gst_pad_push_event (src, gst_event_new_segment (&seg));
  return src;
}

static void
push (GstPad *pad, guint samples, guint channels, GstClockTime pts,
    GstClockTime epoch)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, samples * channels * 2, NULL);

  gst_buffer_memset (buf, 0, 0x11, samples * channels * 2);
  GST_BUFFER_PTS (buf) = pts;
  GST_BUFFER_DURATION (buf) = TICK_MS * GST_MSECOND;
  gst_buffer_add_sensor_epoch (buf, epoch);
  gst_pad_push (pad, buf);
}

int
main (int argc, char **argv)
{
  GstElement *pipeline;
  Device *devs;
  guint n, seconds, i, tick = 0, ticks, warmup_ticks;
  gint64 start, t_measure = 0;
  gdouble cpu_measure = 0, cpu_end;
  GstClockTime epoch0;

  gst_init (&argc, &argv);
  if (argc < 4) {
    g_printerr ("usage: %s URI N SECONDS\n", argv[0]);
    return 2;
  }
  n = atoi (argv[2]);
  seconds = atoi (argv[3]);
  devs = g_new0 (Device, n);
  pipeline = gst_pipeline_new (NULL);
  for (i = 0; i < n; i++) {
    GstElement *sink = gst_element_factory_make ("raehsink", NULL);
    GstElement *p1 = gst_element_factory_make ("raehframepack", NULL);
    GstElement *p2 = gst_element_factory_make ("raehframepack", NULL);
    gchar *dev = g_strdup_printf ("bench-%05u", i);

    g_object_set (sink, "location", argv[1], "api-key", "raeh_bench",
        "device-id", dev, "device-model-id", MODEL, "sync", FALSE, "timeout",
        30, NULL);
    g_free (dev);
    gst_bin_add_many (GST_BIN (pipeline), sink, p1, p2, NULL);
    g_assert (gst_element_link_pads (p1, "src", sink, "sink_%u"));
    g_assert (gst_element_link_pads (p2, "src", sink, "sink_%u"));
    devs[i].pack_ppg = p1;
    devs[i].pack_acc = p2;
  }
  start = g_get_monotonic_time ();
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    g_printerr ("pipeline failed to start\n");
    return 1;
  }
  g_printerr (
      "%u sessions up in %.1f s\n", n, (g_get_monotonic_time () - start) / 1e6);

  /* feed pads after PLAYING so the packers' caps queries see the manifest */
  for (i = 0; i < n; i++) {
    devs[i].ppg = feed_pad (devs[i].pack_ppg,
        "sensor/x-raw, format=S16LE, "
        "rate=100/1, channels=1, modality=ppg_green",
        "ppg");
    devs[i].acc = feed_pad (devs[i].pack_acc,
        "sensor/x-raw, format=S16LE, "
        "rate=50/1, channels=3, modality=acc_3axis",
        "acc");
  }

  epoch0 = (GstClockTime) (g_get_real_time () / 1000) * GST_MSECOND;
  ticks = seconds * 1000 / TICK_MS;
  warmup_ticks = 3000 / TICK_MS;
  start = g_get_monotonic_time ();
  for (tick = 0; tick < warmup_ticks + ticks; tick++) {
    GstClockTime pts = (GstClockTime) tick * TICK_MS * GST_MSECOND;
    gint64 due = start + (gint64) (tick + 1) * TICK_MS * 1000;

    if (tick == warmup_ticks) {
      t_measure = g_get_monotonic_time ();
      cpu_measure = cpu_seconds ();
    }
    for (i = 0; i < n; i++) {
      push (devs[i].ppg, 10, 1, pts, epoch0 + pts);
      push (devs[i].acc, 5, 3, pts, epoch0 + pts);
    }
    while (g_get_monotonic_time () < due)
      g_usleep (MIN (5000, due - g_get_monotonic_time ()));
  }
  cpu_end = cpu_seconds ();
  g_print ("{\"sessions\": %u, \"seconds\": %.1f, \"cpu_percent\": %.1f, "
           "\"rss_mb\": %.1f, \"threads\": %ld}\n",
      n, (g_get_monotonic_time () - t_measure) / 1e6,
      100.0 * (cpu_end - cpu_measure) /
          ((g_get_monotonic_time () - t_measure) / 1e6),
      proc_status ("VmRSS:") / 1024.0, proc_status ("Threads:"));

  for (i = 0; i < n; i++) {
    gst_pad_push_event (devs[i].ppg, gst_event_new_eos ());
    gst_pad_push_event (devs[i].acc, gst_event_new_eos ());
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  for (i = 0; i < n; i++) {
    gst_object_unref (devs[i].ppg);
    gst_object_unref (devs[i].acc);
  }
  g_free (devs);
  gst_object_unref (pipeline);
  return 0;
}
