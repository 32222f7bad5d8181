/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Input samples per second through sensorresample, as a ratio against a bare
 * GstAudioResampler loop over the same data in the same run:
 *
 *   regular:   S16LE 3 ch 52 -> 50 Hz, 520-frame buffers; the baseline runs
 *              the same Kaiser filter (quality 4) over the same chunks.
 *   irregular: F32LE 1 ch, one sample per buffer with jittered times
 *              (mean 20 ms) -> 100 Hz linear; the baseline feeds the same
 *              values one per call to a 50 -> 100 Hz F32 resampler, the
 *              nearest thing GstAudioResampler has to irregular input.
 *              Two more lines push the same buffers through bare
 *              GstBaseTransform subclasses defined here: one in place that
 *              does nothing, one that copies each buffer into a new output
 *              buffer (as any resampler must). They are the framework's own
 *              per-buffer cost, which bounds what one-sample buffers can
 *              reach.
 *
 * The element is driven through its pads directly (a source pad in front, a
 * counting sink pad behind), so the ratio is the element's own overhead.
 * Each measurement is the best of several runs.
 */
#include <string.h>
#include <gst/gst.h>
#include <gst/audio/audio.h>
#include <gst/base/gstbasetransform.h>
#include <gst/sensor/sensor.h>

#define RUNS 7

static guint64 sink_frames;
static gint sink_bpf;

static GstFlowReturn
count_chain (GstPad *pad, GstObject *parent, GstBuffer *buf)
{
  sink_frames += gst_buffer_get_size (buf) / sink_bpf;
  gst_buffer_unref (buf);
  return GST_FLOW_OK;
}

static GstCaps *sink_caps;

/* The counting pad accepts only the wanted output format. */
static gboolean
count_query (GstPad *pad, GstObject *parent, GstQuery *query)
{
  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_CAPS: {
      GstCaps *filter, *res;

      gst_query_parse_caps (query, &filter);
      res = filter ? gst_caps_intersect (filter, sink_caps) :
                     gst_caps_ref (sink_caps);
      gst_query_set_caps_result (query, res);
      gst_caps_unref (res);
      return TRUE;
    }
    case GST_QUERY_ACCEPT_CAPS: {
      GstCaps *caps;

      gst_query_parse_accept_caps (query, &caps);
      gst_query_set_accept_caps_result (
          query, gst_caps_can_intersect (caps, sink_caps));
      return TRUE;
    }
    default:
      return gst_pad_query_default (pad, parent, query);
  }
}

/* Bare GstBaseTransform subclasses: the framework floor. */
typedef GstBaseTransform BenchBare;
typedef GstBaseTransformClass BenchBareClass;
typedef GstBaseTransform BenchBareCopy;
typedef GstBaseTransformClass BenchBareCopyClass;
static GType bench_bare_get_type (void);
static GType bench_bare_copy_get_type (void);
G_DEFINE_TYPE (BenchBare, bench_bare, GST_TYPE_BASE_TRANSFORM);
G_DEFINE_TYPE (BenchBareCopy, bench_bare_copy, GST_TYPE_BASE_TRANSFORM);

static GstStaticPadTemplate any_sink = GST_STATIC_PAD_TEMPLATE (
    "sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate any_src = GST_STATIC_PAD_TEMPLATE (
    "src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

static GstFlowReturn
bare_transform_ip (GstBaseTransform *trans, GstBuffer *buf)
{
  return GST_FLOW_OK;
}

static GstFlowReturn
bare_transform (GstBaseTransform *trans, GstBuffer *inbuf, GstBuffer *outbuf)
{
  GstMapInfo in, out;

  gst_buffer_map (inbuf, &in, GST_MAP_READ);
  gst_buffer_map (outbuf, &out, GST_MAP_WRITE);
  memcpy (out.data, in.data, MIN (in.size, out.size));
  gst_buffer_unmap (outbuf, &out);
  gst_buffer_unmap (inbuf, &in);
  return GST_FLOW_OK;
}

static void
bare_class_init_common (GstElementClass *eclass)
{
  gst_element_class_add_static_pad_template (eclass, &any_sink);
  gst_element_class_add_static_pad_template (eclass, &any_src);
  gst_element_class_set_static_metadata (eclass, "Bench floor", "Filter",
      "Does nothing, for the benchmark floor", "gst-plugins-sensor");
}

static void
bench_bare_class_init (BenchBareClass *klass)
{
  bare_class_init_common (GST_ELEMENT_CLASS (klass));
  klass->transform_ip = bare_transform_ip;
}

static void
bench_bare_init (BenchBare *self)
{
  gst_base_transform_set_in_place (self, TRUE);
}

static void
bench_bare_copy_class_init (BenchBareCopyClass *klass)
{
  bare_class_init_common (GST_ELEMENT_CLASS (klass));
  klass->transform = bare_transform;
}

static void
bench_bare_copy_init (BenchBareCopy *self)
{}

typedef struct
{
  GstElement *element;
  GstPad *src, *sink;
} Rig;

static void
rig_setup (Rig *rig, const gchar *factory, const gchar *in_caps,
    const gchar *out_caps, gint out_bpf)
{
  GstCaps *caps;
  GstSegment seg;
  GstPad *pad;

  rig->element = gst_element_factory_make (factory, NULL);
  g_assert (rig->element != NULL);
  rig->src = gst_pad_new ("src", GST_PAD_SRC);
  rig->sink = gst_pad_new ("sink", GST_PAD_SINK);
  gst_pad_set_chain_function (rig->sink, count_chain);
  gst_pad_set_query_function (rig->sink, count_query);
  if (sink_caps)
    gst_caps_unref (sink_caps);
  sink_caps = gst_caps_from_string (out_caps);
  gst_pad_set_active (rig->sink, TRUE);
  pad = gst_element_get_static_pad (rig->element, "sink");
  g_assert (gst_pad_link (rig->src, pad) == GST_PAD_LINK_OK);
  gst_object_unref (pad);
  pad = gst_element_get_static_pad (rig->element, "src");
  g_assert (gst_pad_link (pad, rig->sink) == GST_PAD_LINK_OK);
  gst_object_unref (pad);
  gst_pad_set_active (rig->src, TRUE);
  gst_element_set_state (rig->element, GST_STATE_PLAYING);
  gst_pad_push_event (rig->src, gst_event_new_stream_start ("bench"));
  caps = gst_caps_from_string (in_caps);
  g_assert (gst_pad_push_event (rig->src, gst_event_new_caps (caps)));
  gst_caps_unref (caps);
  gst_segment_init (&seg, GST_FORMAT_TIME);
  gst_pad_push_event (rig->src, gst_event_new_segment (&seg));
  sink_bpf = out_bpf;
}

static void
rig_teardown (Rig *rig)
{
  gst_element_set_state (rig->element, GST_STATE_NULL);
  gst_pad_set_active (rig->src, FALSE);
  gst_pad_set_active (rig->sink, FALSE);
  gst_object_unref (rig->src);
  gst_object_unref (rig->sink);
  gst_object_unref (rig->element);
}

/* Seconds to push @bufs (and an EOS drain) through the element. */
static gdouble
time_element (const gchar *factory, const gchar *in_caps, const gchar *out_caps,
    gint out_bpf, GstBuffer **bufs, guint n_bufs, guint64 *out_frames)
{
  Rig rig;
  gint64 start, end;
  guint i;

  rig_setup (&rig, factory, in_caps, out_caps, out_bpf);
  sink_frames = 0;
  start = g_get_monotonic_time ();
  for (i = 0; i < n_bufs; i++)
    gst_pad_push (rig.src, gst_buffer_ref (bufs[i]));
  gst_pad_push_event (rig.src, gst_event_new_eos ());
  end = g_get_monotonic_time ();
  *out_frames = sink_frames;
  rig_teardown (&rig);
  return (end - start) / 1e6;
}

static GstAudioResampler *
make_resampler (GstAudioFormat format, gint channels, gint in, gint out)
{
  GstStructure *opts = gst_structure_new_empty ("o");
  GstAudioResampler *rs;

  gst_audio_resampler_options_set_quality (GST_AUDIO_RESAMPLER_METHOD_KAISER,
      GST_AUDIO_RESAMPLER_QUALITY_DEFAULT, in, out, opts);
  gst_structure_set (opts, GST_AUDIO_RESAMPLER_OPT_FILTER_INTERPOLATION,
      GST_TYPE_AUDIO_RESAMPLER_FILTER_INTERPOLATION,
      GST_AUDIO_RESAMPLER_FILTER_INTERPOLATION_LINEAR, NULL);
  rs = gst_audio_resampler_new (
      GST_AUDIO_RESAMPLER_METHOD_KAISER, 0, format, channels, in, out, opts);
  gst_structure_free (opts);
  return rs;
}

/* Seconds for the bare resampler over the same chunks, including an output
 * allocation per chunk as any real consumer needs. */
static gdouble
time_baseline (GstAudioFormat format, gint channels, gint in, gint out,
    gint bpf, GstBuffer **bufs, guint n_bufs)
{
  GstAudioResampler *rs = make_resampler (format, channels, in, out);
  gint64 start, end;
  guint i;

  start = g_get_monotonic_time ();
  for (i = 0; i < n_bufs; i++) {
    GstMapInfo map;
    gsize n, o;
    gpointer ip[1], op[1];
    guint8 *dst;

    gst_buffer_map (bufs[i], &map, GST_MAP_READ);
    n = map.size / bpf;
    o = gst_audio_resampler_get_out_frames (rs, n);
    dst = g_malloc (MAX (o, 1) * bpf);
    ip[0] = map.data;
    op[0] = dst;
    gst_audio_resampler_resample (rs, ip, n, op, o);
    gst_buffer_unmap (bufs[i], &map);
    g_free (dst);
  }
  end = g_get_monotonic_time ();
  gst_audio_resampler_free (rs);
  return (end - start) / 1e6;
}

static void
report (const gchar *name, guint64 in_frames, guint64 out_frames,
    gdouble t_elem, gdouble t_base)
{
  gdouble elem = in_frames / t_elem, base = in_frames / t_base;

  g_print ("%-38s element %12.0f samples/s  baseline %12.0f samples/s  "
           "ratio %.2f  (%" G_GUINT64_FORMAT " in, %" G_GUINT64_FORMAT
           " out)\n",
      name, elem, base, elem / base, in_frames, out_frames);
}

static void
bench_regular (void)
{
  const guint n_bufs = 4000, frames = 520;
  GstBuffer **bufs = g_new (GstBuffer *, n_bufs);
  gdouble best_e = G_MAXDOUBLE, best_b = G_MAXDOUBLE;
  guint64 out = 0;
  guint i, j, r;

  for (i = 0; i < n_bufs; i++) {
    GstMapInfo map;

    bufs[i] = gst_buffer_new_allocate (NULL, frames * 6, NULL);
    gst_buffer_map (bufs[i], &map, GST_MAP_WRITE);
    for (j = 0; j < frames * 3; j++)
      GST_WRITE_UINT16_LE (
          map.data + 2 * j, (guint16) (g_random_int_range (-20000, 20000)));
    gst_buffer_unmap (bufs[i], &map);
    GST_BUFFER_PTS (bufs[i]) =
        gst_util_uint64_scale (i * frames, GST_SECOND, 52);
  }
  /* run 0 warms caches and the allocator up and is not counted */
  for (r = 0; r <= RUNS; r++) {
    gdouble te = time_element ("sensorresample",
        "sensor/x-raw,format=S16LE,rate=52/1,channels=3",
        "sensor/x-raw,format=S16LE,rate=50/1,channels=3", 6, bufs, n_bufs,
        &out);
    gdouble tb =
        time_baseline (GST_AUDIO_FORMAT_S16LE, 3, 26, 25, 6, bufs, n_bufs);

    if (r > 0) {
      best_e = MIN (best_e, te);
      best_b = MIN (best_b, tb);
    }
  }
  report (
      "S16LE 3ch 52->50 Hz", (guint64) n_bufs * frames, out, best_e, best_b);
  for (i = 0; i < n_bufs; i++)
    gst_buffer_unref (bufs[i]);
  g_free (bufs);
}

static void
bench_irregular (void)
{
  const guint n = 200000;
  GstBuffer **bufs = g_new (GstBuffer *, n);
  gdouble best_e = G_MAXDOUBLE, best_b = G_MAXDOUBLE, best_n = G_MAXDOUBLE,
          best_c = G_MAXDOUBLE;
  GstClockTime t = 0;
  guint64 out = 0, ign = 0;
  guint i, r;
  const gchar *irregular = "sensor/x-raw,format=F32LE,rate=0/1,channels=1";

  for (i = 0; i < n; i++) {
    GstMapInfo map;

    bufs[i] = gst_buffer_new_allocate (NULL, 4, NULL);
    gst_buffer_map (bufs[i], &map, GST_MAP_WRITE);
    GST_WRITE_FLOAT_LE (map.data, (gfloat) g_random_double_range (-1, 1));
    gst_buffer_unmap (bufs[i], &map);
    GST_BUFFER_PTS (bufs[i]) = t;
    t += g_random_int_range (10, 31) * GST_MSECOND;
  }
  for (r = 0; r <= RUNS; r++) {
    gdouble te = time_element ("sensorresample", irregular,
        "sensor/x-raw,format=F32LE,rate=100/1,channels=1", 4, bufs, n, &out);
    gdouble tb = time_baseline (GST_AUDIO_FORMAT_F32LE, 1, 1, 2, 4, bufs, n);
    gdouble tn =
        time_element ("benchbare", irregular, irregular, 4, bufs, n, &ign);
    gdouble tc =
        time_element ("benchbarecopy", irregular, irregular, 4, bufs, n, &ign);

    if (r > 0) {
      best_e = MIN (best_e, te);
      best_b = MIN (best_b, tb);
      best_n = MIN (best_n, tn);
      best_c = MIN (best_c, tc);
    }
  }
  report ("F32LE 1ch irregular->100 Hz linear", n, out, best_e, best_b);
  report ("  floor: bare GstBaseTransform", n, ign, best_n, best_b);
  report ("  floor: same, new buffer per input", n, ign, best_c, best_b);
  for (i = 0; i < n; i++)
    gst_buffer_unref (bufs[i]);
  g_free (bufs);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  gst_element_register (
      NULL, "benchbare", GST_RANK_NONE, bench_bare_get_type ());
  gst_element_register (
      NULL, "benchbarecopy", GST_RANK_NONE, bench_bare_copy_get_type ());
  g_random_set_seed (1);
  g_print ("sensorresample throughput vs bare GstAudioResampler "
           "(best of %d runs; target ratio >= 0.8)\n",
      RUNS);
  if (argc < 2 || g_str_equal (argv[1], "regular"))
    bench_regular ();
  if (argc < 2 || g_str_equal (argv[1], "irregular"))
    bench_irregular ();
  gst_caps_unref (sink_caps);
  gst_deinit ();
  return 0;
}
