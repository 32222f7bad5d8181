/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Plexus video decoding throughput, three ways over the same camera-like
 * JPEGs, in one run:
 *   1. a bare TurboJPEG loop (tjDecompressToYUVPlanes to I420, one thread):
 *      the limit;
 *   2. sensor-cloud sending them at full speed into
 *      plexusvideosrc ! video/x-raw,format=I420 ! fakesink;
 *   3. the same stream read by a Python websockets + base64 + PIL client.
 * Prints fps and CPU per frame for each and the ratios.
 *
 *   plexus-bench SENSOR_CLOUD JPEG_DIR FRAMES PYTHON PYCLIENT [ROUNDS]
 *
 * With several rounds, each pairs the bare loop with the element (under the
 * same machine load) and the spread of the per-round ratios is printed.
 *
 * PLEXUS_BENCH_SRC_PROPS (e.g. "decode-threads=1") adds properties to
 * plexusvideosrc; the baseline stays the single-threaded bare loop.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <turbojpeg.h>
#include <gio/gio.h>
#include <gst/gst.h>

#define KEY "plx_0123456789abcdef0123456789abcdef"

static gdouble
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
      (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static GPtrArray *
load_jpegs (const gchar *dir_path)
{
  GDir *dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *files =
      g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  const gchar *name;

  while (dir && (name = g_dir_read_name (dir))) {
    gchar *path, *data;
    gsize len;

    if (!g_str_has_suffix (name, ".jpg"))
      continue;
    path = g_build_filename (dir_path, name, NULL);
    if (g_file_get_contents (path, &data, &len, NULL))
      g_ptr_array_add (files, g_bytes_new_take (data, len));
    g_free (path);
  }
  if (dir)
    g_dir_close (dir);
  return files;
}

static void
baseline (GPtrArray *jpegs, guint frames, gdouble *fps, gdouble *cpu_ms)
{
  tjhandle tj = tjInitDecompress ();
  gint w = 0, h = 0, ss = 0, cs = 0;
  guint8 *planes[3];
  int strides[3];
  gsize len;
  const guint8 *d = g_bytes_get_data (g_ptr_array_index (jpegs, 0), &len);
  gint64 t0;
  gdouble c0;
  guint i;

  tjDecompressHeader3 (tj, d, len, &w, &h, &ss, &cs);
  strides[0] = w;
  strides[1] = strides[2] = (w + 1) / 2;
  planes[0] = g_malloc (w * h);
  planes[1] = g_malloc (strides[1] * ((h + 1) / 2));
  planes[2] = g_malloc (strides[2] * ((h + 1) / 2));
  t0 = g_get_monotonic_time ();
  c0 = cpu_seconds ();
  for (i = 0; i < frames; i++) {
    d = g_bytes_get_data (g_ptr_array_index (jpegs, i % jpegs->len), &len);
    if (tjDecompressToYUVPlanes (
            tj, d, len, planes, w, strides, h, TJFLAG_FASTDCT) != 0)
      g_error ("%s", tjGetErrorStr2 (tj));
  }
  *fps = frames / ((g_get_monotonic_time () - t0) / 1e6);
  *cpu_ms = (cpu_seconds () - c0) * 1000 / frames;
  for (i = 0; i < 3; i++)
    g_free (planes[i]);
  tjDestroy (tj);
}

typedef struct
{
  guint n, want;
  gint64 t_first, t_last;
  gdouble c_first, c_last;
  GMainLoop *loop;
} Count;

static GstPadProbeReturn
on_buffer (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Count *c = user_data;

  c->n++;
  if (c->n == 1) {
    c->t_first = g_get_monotonic_time ();
    c->c_first = cpu_seconds ();
  }
  if (c->n == c->want) {
    c->t_last = g_get_monotonic_time ();
    c->c_last = cpu_seconds ();
    g_main_loop_quit (c->loop);
  }
  return GST_PAD_PROBE_OK;
}

static gboolean
on_timeout (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static gboolean
element (
    guint port, guint frames, gdouble *fps, gdouble *cpu_ms, guint64 *dropped)
{
  const gchar *props = g_getenv ("PLEXUS_BENCH_SRC_PROPS");
  gchar *desc = g_strdup_printf (
      "plexusvideosrc name=src "
      "location=ws://127.0.0.1:%u source-id=bench api-key=" KEY
      " max-queue=1000 %s ! video/x-raw,format=I420 ! fakesink name=sink "
      "sync=false",
      port, props ? props : "");
  GError *error = NULL;
  GstElement *pipe = gst_parse_launch (desc, &error);
  GstElement *sink, *src;
  GstPad *pad;
  Count c = { 0, frames };
  GstStructure *stats = NULL;

  if (!pipe)
    g_error ("%s", error->message);
  c.loop = g_main_loop_new (NULL, FALSE);
  sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_buffer, &c, NULL);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  g_timeout_add_seconds (120, on_timeout, c.loop);
  g_main_loop_run (c.loop);
  g_object_get (src, "stats", &stats, NULL);
  gst_structure_get_uint64 (stats, "dropped", dropped);
  gst_structure_free (stats);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (pad);
  gst_object_unref (sink);
  gst_object_unref (src);
  gst_object_unref (pipe);
  g_main_loop_unref (c.loop);
  g_free (desc);
  if (c.n < frames)
    return FALSE;
  *fps = (c.n - 1) / ((c.t_last - c.t_first) / 1e6);
  *cpu_ms = (c.c_last - c.c_first) * 1000 / (c.n - 1);
  return TRUE;
}

static gboolean
python_client (const gchar *python, const gchar *script, guint port,
    guint frames, gdouble *fps, gdouble *cpu_ms)
{
  gchar *uri = g_strdup_printf ("ws://127.0.0.1:%u/v1/sources/bench/video/"
                                "stream",
      port);
  gchar *n = g_strdup_printf ("%u", frames);
  gchar *out = NULL;
  GError *error = NULL;
  GSubprocess *p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
      python, script, uri, KEY, n, NULL);
  gboolean ok = FALSE;

  if (p && g_subprocess_communicate_utf8 (p, NULL, NULL, &out, NULL, NULL) &&
      out) {
    gchar *f = strstr (out, "\"fps\": "), *c = strstr (out, "\"cpu_ms\": ");

    if (f && c) {
      *fps = g_ascii_strtod (f + 7, NULL);
      *cpu_ms = g_ascii_strtod (c + 10, NULL);
      ok = TRUE;
    }
  }
  g_clear_object (&p);
  g_free (out);
  g_free (uri);
  g_free (n);
  return ok;
}

static gint
compare_doubles (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  GPtrArray *jpegs;
  GSubprocess *cloud;
  GDataInputStream *out;
  gchar *line, *max;
  guint port = 0, frames, rounds, r, done = 0;
  gdouble p_fps = 0, p_cpu = 0;
  gdouble sum_b_fps = 0, sum_b_cpu = 0, sum_e_fps = 0, sum_e_cpu = 0;
  gdouble *ratios;
  GError *error = NULL;
  gboolean have_py;
  gsize total = 0;
  guint i;

  gst_init (&argc, &argv);
  if (argc != 6 && argc != 7) {
    g_printerr ("usage: %s SENSOR_CLOUD JPEG_DIR FRAMES PYTHON PYCLIENT "
                "[ROUNDS]\n",
        argv[0]);
    return 2;
  }
  frames = atoi (argv[3]);
  rounds = argc == 7 ? MAX (atoi (argv[6]), 1) : 1;
  ratios = g_new0 (gdouble, rounds);
  jpegs = load_jpegs (argv[2]);
  if (jpegs->len == 0)
    g_error ("no .jpg in %s", argv[2]);
  for (i = 0; i < jpegs->len; i++)
    total += g_bytes_get_size (g_ptr_array_index (jpegs, i));
  g_print ("%u camera-like JPEGs, %.0f KB on average, %u frames per run, "
           "%u round(s)\n",
      jpegs->len, total / 1024.0 / jpegs->len, frames, rounds);
  if (g_getenv ("PLEXUS_BENCH_SRC_PROPS"))
    g_print ("plexusvideosrc %s\n", g_getenv ("PLEXUS_BENCH_SRC_PROPS"));

  max = g_strdup_printf ("%u", frames);
  cloud = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, argv[1],
      "--port", "0", "--only", "plexus", "--plexus-jpeg-dir", argv[2],
      "--plexus-fps", "0", "--plexus-max-frames", max, NULL);
  if (!cloud)
    g_error ("%s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (cloud));
  while ((line = g_data_input_stream_read_line (out, NULL, NULL, NULL))) {
    gchar *p = strstr (line, "\"port\": ");

    if (strstr (line, "\"http\"") && p)
      port = atoi (p + 8);
    g_free (line);
    if (port)
      break;
  }
  if (!port)
    g_error ("sensor-cloud did not announce its port");

  /* each round: the bare loop before and after the element, each
   * connection getting FRAMES frames from the same server; the machine is
   * shared, so a ratio only compares runs of one round, and the better
   * baseline of the two keeps it on the strict side */
  for (r = 0; r < rounds; r++) {
    gdouble b_fps, b_cpu, fps2, cpu2, e_fps = 0, e_cpu = 0;
    guint64 dropped = 0;

    baseline (jpegs, frames, &b_fps, &b_cpu);
    if (!element (port, frames, &e_fps, &e_cpu, &dropped)) {
      g_printerr ("plexusvideosrc did not get %u frames\n", frames);
      continue;
    }
    baseline (jpegs, frames, &fps2, &cpu2);
    if (fps2 > b_fps) {
      b_fps = fps2;
      b_cpu = cpu2;
    }
    ratios[done++] = e_fps / b_fps;
    sum_b_fps += b_fps;
    sum_b_cpu += b_cpu;
    sum_e_fps += e_fps;
    sum_e_cpu += e_cpu;
    g_print ("round %u: tjDecompress %7.1f fps %5.2f ms CPU/frame, "
             "plexusvideosrc %7.1f fps %5.2f ms CPU/frame (%" G_GUINT64_FORMAT
             " dropped), ratio %.2f\n",
        r + 1, b_fps, b_cpu, e_fps, e_cpu, dropped, e_fps / b_fps);
  }
  have_py = python_client (argv[4], argv[5], port, frames, &p_fps, &p_cpu);
  g_subprocess_send_signal (cloud, SIGTERM);
  g_subprocess_wait (cloud, NULL, NULL);
  g_object_unref (out);
  g_object_unref (cloud);
  if (done == 0)
    g_error ("no round completed");

  g_print ("tjDecompress loop (1 thread, best of 2): %7.1f fps  %6.2f ms "
           "CPU/frame\n",
      sum_b_fps / done, sum_b_cpu / done);
  g_print ("plexusvideosrc ! I420 ! fakesink:        %7.1f fps  %6.2f ms "
           "CPU/frame\n",
      sum_e_fps / done, sum_e_cpu / done);
  if (have_py)
    g_print ("python websockets + base64 + PIL:        %7.1f fps  %6.2f ms "
             "CPU/frame\n",
        p_fps, p_cpu);
  if (done > 1) {
    gdouble sum = 0;

    for (i = 0; i < done; i++)
      sum += ratios[i];
    qsort (ratios, done, sizeof (gdouble), compare_doubles);
    g_print ("ratio plexusvideosrc / tjDecompress: %.2f (target >= 0.85; "
             "mean of %u rounds, median %.2f, range %.2f-%.2f)\n",
        sum / done, done, ratios[done / 2], ratios[0], ratios[done - 1]);
  } else {
    g_print ("ratio plexusvideosrc / tjDecompress: %.2f (target >= 0.85)\n",
        ratios[0]);
  }
  if (have_py)
    g_print ("ratio plexusvideosrc / python:       %.2f (target >= 1.5)\n",
        sum_e_fps / done / p_fps);
  g_print ("(averages over the rounds; CPU/frame counts every thread of the "
           "process; wall-clock fps on a shared machine varies from run to "
           "run)\n");
  g_ptr_array_unref (jpegs);
  g_free (ratios);
  g_free (max);
  return 0;
}
