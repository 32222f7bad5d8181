/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-sensortestsrc
 * @title: sensortestsrc
 *
 * Produces synthetic sensor samples (`sensor/x-raw`) for demos and tests: a
 * PPG pulse wave at a set heart rate with a dicrotic notch, an accelerometer
 * with gravity on z plus periodic motion, a gyroscope, and plain sine,
 * square, seeded noise, constant and counter signals. The modality picks the
 * default rate, channels, format and waveform; downstream caps can override
 * them. Integer formats carry codes at the modality table's full scale
 * (gst_sensor_modality_get_full_scale()), the scale sensorresample converts
 * them back with. A modality not in the table still works (100 Hz, one
 * channel, S16LE, no unit, no full scale) and posts one warning per run
 * naming the known ones.
 *
 * An EOS event sent to the pipeline ends the stream promptly: a live source
 * leaves its clock wait at once. A non-live source behind a syncing sink
 * ends after the buffer the sink is waiting for, up to one buffer duration
 * (a minute at battery_level's one sample a minute).
 *
 * Timestamps come from a sample counter: the PTS of a buffer is
 * timestamp-offset + n / rate where n is the index of its first sample, and
 * its OFFSET is n. Every buffer carries the Unix epoch time of its first
 * sample as a #GstReferenceTimestampMeta (`timestamp/x-unix`), mapped from
 * running time through one anchor per pipeline, so several sensortestsrc in
 * one pipeline agree on the epoch of a running time.
 *
 * Buffers come from the pool downstream offers in the allocation query, or
 * else from sensortestsrc's own pool, which keeps a few spare buffers with
 * their epoch meta (updated in place on reuse), so a buffer freed downstream
 * is recycled instead of allocated again.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 sensortestsrc modality=ppg_green heart-rate=72 num-buffers=50
 * ! fakesink dump=true gst-launch-1.0 sensortestsrc modality=acc_3axis !
 * sensor/x-raw,rate=100/1,format=F32LE ! fakesink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include <gst/sensor/sensor-field.h>
#include <gst/sensor/sensor-waveform.h>

#include "gstsensorelements.h"
#include "gstsensortestsrc-private.h"

GST_DEBUG_CATEGORY_STATIC (sensor_test_src_debug);
#define GST_CAT_DEFAULT sensor_test_src_debug

#define DEFAULT_MODALITY "ppg_green"
#define DEFAULT_WAVEFORM GST_SENSOR_TEST_SRC_WAVE_AUTO
#define DEFAULT_RATE 0
#define DEFAULT_SAMPLES_PER_BUFFER 0
#define DEFAULT_TIMESTAMP_OFFSET 0
#define DEFAULT_IS_LIVE TRUE
#define DEFAULT_HEART_RATE 72.0
#define DEFAULT_PPG_AMPLITUDE 500.0
#define DEFAULT_PPG_BASELINE 2048.0
#define DEFAULT_MOTION 2.0
#define DEFAULT_MOTION_FREQUENCY 1.8
#define DEFAULT_GYRO_AMPLITUDE 30.0
#define DEFAULT_FREQUENCY 1.0
#define DEFAULT_AMPLITUDE 1.0
#define DEFAULT_OFFSET 0.0
#define DEFAULT_NOISE_LEVEL 0.0
#define DEFAULT_SEED 0
#define DEFAULT_FULL_SCALE -1.0

enum {
  PROP_0,
  PROP_MODALITY,
  PROP_WAVEFORM,
  PROP_RATE,
  PROP_SAMPLES_PER_BUFFER,
  PROP_TIMESTAMP_OFFSET,
  PROP_IS_LIVE,
  PROP_HEART_RATE,
  PROP_PPG_AMPLITUDE,
  PROP_PPG_BASELINE,
  PROP_MOTION,
  PROP_MOTION_FREQUENCY,
  PROP_GYRO_AMPLITUDE,
  PROP_FREQUENCY,
  PROP_AMPLITUDE,
  PROP_OFFSET,
  PROP_NOISE_LEVEL,
  PROP_SEED,
  PROP_FULL_SCALE,
};

static GstStaticPadTemplate src_template =
    GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_SENSOR_CAPS_MAKE (GST_SENSOR_FORMATS_ALL)));

#define gst_sensor_test_src_parent_class parent_class
G_DEFINE_TYPE (GstSensorTestSrc, gst_sensor_test_src, GST_TYPE_BASE_SRC);
GST_ELEMENT_REGISTER_DEFINE (
    sensortestsrc, "sensortestsrc", GST_RANK_NONE, GST_TYPE_SENSOR_TEST_SRC);

#define GST_TYPE_SENSOR_TEST_SRC_WAVEFORM                                      \
  (gst_sensor_test_src_waveform_get_type ())

static GType
gst_sensor_test_src_waveform_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = { { GST_SENSOR_TEST_SRC_WAVE_AUTO,
                                           "Chosen from the modality", "auto" },
    { GST_SENSOR_TEST_SRC_WAVE_PPG,
        "PPG pulse wave at heart-rate, with dicrotic notch", "ppg" },
    { GST_SENSOR_TEST_SRC_WAVE_ACCEL,
        "Accelerometer: gravity on z plus periodic motion (m/s^2)", "accel" },
    { GST_SENSOR_TEST_SRC_WAVE_GYRO, "Gyroscope: periodic rotation (deg/s)",
        "gyro" },
    { GST_SENSOR_TEST_SRC_WAVE_SINE, "Sine at frequency", "sine" },
    { GST_SENSOR_TEST_SRC_WAVE_SQUARE, "Square at frequency", "square" },
    { GST_SENSOR_TEST_SRC_WAVE_NOISE, "Gaussian noise (seeded)", "noise" },
    { GST_SENSOR_TEST_SRC_WAVE_CONSTANT, "Constant offset", "constant" },
    { GST_SENSOR_TEST_SRC_WAVE_COUNTER, "Sample index (wraps in integers)",
        "counter" },
    { 0, NULL, NULL } };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSensorTestSrcWaveform", values);

    g_once_init_leave (&type, t);
  }
  return type;
}

/* The level of a modality whose auto waveform is a constant; heart_rate
 * follows the heart-rate property. Object lock. */
static gdouble
modality_typical_value (GstSensorTestSrc *self)
{
  if (g_strcmp0 (self->modality, "heart_rate") == 0)
    return self->wave.heart_rate;
  return gst_sensor_waveform_typical_value (self->modality);
}

/* Integer full scale of a modality in its physical unit: the modality
 * table's, so that sensorresample converts the codes back to the same
 * values. A name not in the table has none, in sensorresample too. */
static gdouble
auto_full_scale (const gchar *modality)
{
  gdouble full_scale = 0;

  gst_sensor_modality_get_full_scale (modality, NULL, &full_scale);
  return full_scale;
}

/* The element's waveform enum is the library's plus AUTO = 0. */
G_STATIC_ASSERT (
    (gint) GST_SENSOR_TEST_SRC_WAVE_PPG == (gint) GST_SENSOR_WAVEFORM_PPG);
G_STATIC_ASSERT ((gint) GST_SENSOR_TEST_SRC_WAVE_COUNTER ==
    (gint) GST_SENSOR_WAVEFORM_COUNTER);

/* The synthesis parameters as the properties say now, object lock held. */
static void
waveform_params (GstSensorTestSrc *self, GstSensorWaveformParams *p)
{
  *p = self->wave;
  p->kind = (GstSensorWaveformKind) self->active_waveform;
  /* the auto waveform of a constant modality sits at its typical value */
  if (self->waveform == GST_SENSOR_TEST_SRC_WAVE_AUTO)
    p->offset += modality_typical_value (self);
  p->full_scale = self->active_full_scale;
}

static GstCaps *
gst_sensor_test_src_get_caps (GstBaseSrc *src, GstCaps *filter)
{
  GstSensorTestSrc *self = GST_SENSOR_TEST_SRC (src);
  const GstSensorModality *m;
  GstCaps *caps;

  caps = gst_pad_get_pad_template_caps (GST_BASE_SRC_PAD (src));
  caps = gst_caps_make_writable (caps);
  GST_OBJECT_LOCK (self);
  gst_caps_set_simple (caps, "modality", G_TYPE_STRING, self->modality, NULL);
  m = gst_sensor_modality_lookup (self->modality);
  if (m && m->unit)
    gst_caps_set_simple (caps, "unit", G_TYPE_STRING, m->unit, NULL);
  GST_OBJECT_UNLOCK (self);
  /* the waveforms are defined at a regular rate */
  gst_caps_set_simple (
      caps, "rate", GST_TYPE_FRACTION_RANGE, 1, G_MAXINT, G_MAXINT, 1, NULL);

  caps = gst_sensor_caps_filter (caps, filter);
  return caps;
}

static GstCaps *
gst_sensor_test_src_fixate (GstBaseSrc *src, GstCaps *caps)
{
  GstSensorTestSrc *self = GST_SENSOR_TEST_SRC (src);
  const GstSensorModality *m;
  GstStructure *s;
  gint rate_n = 100, rate_d = 1, channels = 1;
  GstSensorFormat format = GST_SENSOR_FORMAT_S16LE;

  GST_OBJECT_LOCK (self);
  if (self->rate > 0) {
    /* an explicit rate wins over downstream's first preference whenever
     * downstream can take it (e.g. a resampler offering its output rate
     * first) */
    GstCaps *want = gst_caps_new_simple (
        GST_SENSOR_MEDIA_TYPE, "rate", GST_TYPE_FRACTION, self->rate, 1, NULL);
    GstCaps *tmp =
        gst_caps_intersect_full (caps, want, GST_CAPS_INTERSECT_FIRST);

    gst_caps_unref (want);
    if (!gst_caps_is_empty (tmp)) {
      gst_caps_unref (caps);
      caps = tmp;
    } else {
      gst_caps_unref (tmp);
    }
  }
  GST_OBJECT_UNLOCK (self);

  caps = gst_caps_make_writable (caps);
  caps = gst_caps_truncate (caps);
  s = gst_caps_get_structure (caps, 0);

  GST_OBJECT_LOCK (self);
  m = gst_sensor_modality_lookup (self->modality);
  if (m) {
    rate_n = m->rate_n ? m->rate_n : 1;
    rate_d = m->rate_n ? m->rate_d : 1;
    channels = m->channels;
    format = m->format;
  }
  if (self->rate > 0) {
    rate_n = self->rate;
    rate_d = 1;
  }
  GST_OBJECT_UNLOCK (self);

  gst_structure_fixate_field_nearest_fraction (s, "rate", rate_n, rate_d);
  gst_structure_fixate_field_nearest_int (s, "channels", channels);
  gst_structure_fixate_field_string (
      s, "format", gst_sensor_format_to_string (format));
  return GST_BASE_SRC_CLASS (parent_class)->fixate (src, caps);
}

static gboolean
gst_sensor_test_src_set_caps (GstBaseSrc *src, GstCaps *caps)
{
  GstSensorTestSrc *self = GST_SENSOR_TEST_SRC (src);
  GstSensorInfo info;
  GstClockTime buffer_time;

  gst_sensor_info_init (&info);
  if (!gst_sensor_info_from_caps (&info, caps) ||
      GST_SENSOR_INFO_IS_IRREGULAR (&info)) {
    GST_ERROR_OBJECT (self,
        "cannot produce %" GST_PTR_FORMAT
        " (needs a known format, 1..64 channels and a regular rate)",
        caps);
    gst_sensor_info_clear (&info);
    return FALSE;
  }

  GST_OBJECT_LOCK (self);
  gst_sensor_info_copy_into (&self->info, &info);
  self->spb = self->samples_per_buffer;
  if (self->spb == 0) /* 100 ms of samples, at least one */
    self->spb =
        MAX (1, gst_sensor_info_time_to_samples (&info, 100 * GST_MSECOND));
  self->active_waveform = self->waveform == GST_SENSOR_TEST_SRC_WAVE_AUTO ?
      (GstSensorTestSrcWaveform) gst_sensor_waveform_kind_for_modality (
          self->modality) :
      self->waveform;
  self->active_full_scale = self->full_scale < 0 ?
      auto_full_scale (self->modality) :
      self->full_scale;
  buffer_time = gst_sensor_info_samples_to_time (&info, self->spb);
  GST_OBJECT_UNLOCK (self);

  GST_INFO_OBJECT (self,
      "%" GST_PTR_FORMAT ", %u samples (%" GST_TIME_FORMAT ") per buffer", caps,
      self->spb, GST_TIME_ARGS (buffer_time));
  gst_sensor_info_clear (&info);
  gst_element_post_message (
      GST_ELEMENT (self), gst_message_new_latency (GST_OBJECT (self)));
  return TRUE;
}

static gboolean
gst_sensor_test_src_query (GstBaseSrc *src, GstQuery *query)
{
  GstSensorTestSrc *self = GST_SENSOR_TEST_SRC (src);

  if (GST_QUERY_TYPE (query) == GST_QUERY_LATENCY) {
    GstClockTime latency;

    if (self->info.format == GST_SENSOR_FORMAT_UNKNOWN)
      return FALSE;
    /* a buffer leaves once its last sample is "captured" */
    latency = gst_sensor_info_samples_to_time (&self->info, self->spb);
    gst_query_set_latency (query, gst_base_src_is_live (src), latency, latency);
    return TRUE;
  }
  return GST_BASE_SRC_CLASS (parent_class)->query (src, query);
}

static void
gst_sensor_test_src_get_times (
    GstBaseSrc *src, GstBuffer *buffer, GstClockTime *start, GstClockTime *end)
{
  /* live: wait until the last sample of the buffer exists */
  if (GST_SENSOR_TEST_SRC (src)->live && GST_BUFFER_PTS_IS_VALID (buffer) &&
      GST_BUFFER_DURATION_IS_VALID (buffer)) {
    *start = GST_BUFFER_PTS (buffer) + GST_BUFFER_DURATION (buffer);
    *end = GST_CLOCK_TIME_NONE;
  } else {
    *start = GST_CLOCK_TIME_NONE;
    *end = GST_CLOCK_TIME_NONE;
  }
}

static gboolean
gst_sensor_test_src_is_seekable (GstBaseSrc *src)
{
  return !gst_base_src_is_live (src);
}

static gboolean
gst_sensor_test_src_do_seek (GstBaseSrc *src, GstSegment *segment)
{
  GstSensorTestSrc *self = GST_SENSOR_TEST_SRC (src);
  GstClockTime pos = segment->position;

  if (self->info.rate_n > 0) {
    GstClockTime offset = MAX (self->timestamp_offset, 0);

    self->next_sample = gst_sensor_info_time_to_samples (
        &self->info, pos > offset ? pos - offset : 0);
    GstSensorWaveformParams params;

    /* restart the pulse phase where the counter says it is */
    waveform_params (self, &params);
    gst_sensor_waveform_seek (
        self->synth, &params, &self->info, self->next_sample);
  }
  segment->time = segment->start;
  self->discont = TRUE;
  return TRUE;
}

static gboolean
gst_sensor_test_src_decide_allocation (GstBaseSrc *src, GstQuery *query)
{
  gst_sensor_test_src_choose_pool (GST_SENSOR_TEST_SRC (src), query);
  return GST_BASE_SRC_CLASS (parent_class)->decide_allocation (src, query);
}

static GstFlowReturn
gst_sensor_test_src_create (
    GstBaseSrc *src, guint64 offset, guint length, GstBuffer **out)
{
  GstSensorTestSrc *self = GST_SENSOR_TEST_SRC (src);
  GstClockTime pts, next, running_time;
  GstFlowReturn ret;
  GstBuffer *buf = NULL;
  GstSensorWaveformParams params;
  GstMapInfo map;
  gsize size;
  guint n;

  if (self->info.format == GST_SENSOR_FORMAT_UNKNOWN)
    return GST_FLOW_NOT_NEGOTIATED;

  /* spb and the format only change in set_caps, on this thread */
  n = self->spb;
  size = (gsize) n * self->info.bpf;
  /* our own pool straight away; anything else through GstBaseSrc, which
   * takes a lock and a reference per buffer to find it */
  if (self->own_pool)
    ret = gst_buffer_pool_acquire_buffer (self->own_pool, &buf, NULL);
  else
    ret = GST_BASE_SRC_CLASS (parent_class)->alloc (src, offset, size, &buf);
  if (ret != GST_FLOW_OK)
    return ret;
  if (gst_buffer_get_size (buf) != size)
    gst_buffer_resize (buf, 0, size);

  GST_OBJECT_LOCK (self);
  pts = self->timestamp_offset +
      gst_sensor_info_samples_to_time (&self->info, self->next_sample);
  next = self->timestamp_offset +
      gst_sensor_info_samples_to_time (&self->info, self->next_sample + n);

  waveform_params (self, &params);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  gst_sensor_waveform_fill (
      self->synth, &params, &self->info, self->next_sample, map.data, n);
  gst_buffer_unmap (buf, &map);

  GST_BUFFER_PTS (buf) = pts;
  GST_BUFFER_DTS (buf) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DURATION (buf) = next - pts;
  GST_BUFFER_OFFSET (buf) = self->next_sample;
  GST_BUFFER_OFFSET_END (buf) = self->next_sample + n;
  if (self->discont) {
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
    self->discont = FALSE;
  }
  self->next_sample += n;
  GST_OBJECT_UNLOCK (self);

  running_time =
      gst_segment_to_running_time (&src->segment, GST_FORMAT_TIME, pts);
  gst_sensor_test_src_set_buffer_epoch (self, buf,
      GST_CLOCK_TIME_IS_VALID (running_time) ?
          gst_sensor_test_src_epoch_for_running_time (self, running_time) :
          GST_CLOCK_TIME_NONE);

  *out = buf;
  return GST_FLOW_OK;
}

static gboolean
gst_sensor_test_src_start (GstBaseSrc *src)
{
  GstSensorTestSrc *self = GST_SENSOR_TEST_SRC (src);
  gboolean live = gst_base_src_is_live (src);
  gchar *unknown = NULL;

  GST_OBJECT_LOCK (self);
  if (gst_sensor_modality_lookup (self->modality) == NULL)
    unknown = g_strdup (self->modality);
  self->live = live;
  self->next_sample = 0;
  self->discont = TRUE;
  self->have_epoch_zero = FALSE;
  g_clear_pointer (&self->synth, gst_sensor_waveform_free);
  self->synth = gst_sensor_waveform_new (self->seed);
  gst_sensor_info_clear (&self->info);
  GST_OBJECT_UNLOCK (self);

  /* Any name works (a new sensor need not wait for the table), but a typo
   * would silently give the defaults: say so once per run, where
   * gst-launch and applications see it. */
  if (unknown != NULL) {
    gchar *known = gst_sensor_modality_list_names ();

    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        ("Unknown modality \"%s\"; the modality table has %s.", unknown, known),
        ("not in the modality table: no unit and no full scale; unless "
         "downstream or the properties decide, 100 Hz, 1 channel, S16LE"));
    g_free (known);
    g_free (unknown);
  }
  return TRUE;
}

static gboolean
gst_sensor_test_src_stop (GstBaseSrc *src)
{
  GstSensorTestSrc *self = GST_SENSOR_TEST_SRC (src);

  GST_OBJECT_LOCK (self);
  g_clear_pointer (&self->synth, gst_sensor_waveform_free);
  gst_sensor_info_clear (&self->info);
  gst_clear_object (&self->own_pool);
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static GstStateChangeReturn
gst_sensor_test_src_change_state (
    GstElement *element, GstStateChange transition)
{
  GstStateChangeReturn ret;

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_READY_TO_NULL)
    gst_sensor_epoch_reset (element);
  return ret;
}

/* The plain properties: stored under the object lock, no side effect. */
static const GstSensorFieldProp plain_props[] = {
  GST_SENSOR_FIELD_PROP (PROP_WAVEFORM, GstSensorTestSrc, waveform),
  GST_SENSOR_FIELD_PROP (PROP_RATE, GstSensorTestSrc, rate),
  GST_SENSOR_FIELD_PROP (
      PROP_SAMPLES_PER_BUFFER, GstSensorTestSrc, samples_per_buffer),
  GST_SENSOR_FIELD_PROP (PROP_HEART_RATE, GstSensorTestSrc, wave.heart_rate),
  GST_SENSOR_FIELD_PROP (
      PROP_PPG_AMPLITUDE, GstSensorTestSrc, wave.ppg_amplitude),
  GST_SENSOR_FIELD_PROP (
      PROP_PPG_BASELINE, GstSensorTestSrc, wave.ppg_baseline),
  GST_SENSOR_FIELD_PROP (PROP_MOTION, GstSensorTestSrc, wave.motion),
  GST_SENSOR_FIELD_PROP (
      PROP_MOTION_FREQUENCY, GstSensorTestSrc, wave.motion_frequency),
  GST_SENSOR_FIELD_PROP (
      PROP_GYRO_AMPLITUDE, GstSensorTestSrc, wave.gyro_amplitude),
  GST_SENSOR_FIELD_PROP (PROP_FREQUENCY, GstSensorTestSrc, wave.frequency),
  GST_SENSOR_FIELD_PROP (PROP_AMPLITUDE, GstSensorTestSrc, wave.amplitude),
  GST_SENSOR_FIELD_PROP (PROP_OFFSET, GstSensorTestSrc, wave.offset),
  GST_SENSOR_FIELD_PROP (PROP_NOISE_LEVEL, GstSensorTestSrc, wave.noise_level),
  GST_SENSOR_FIELD_PROP (PROP_SEED, GstSensorTestSrc, seed),
  GST_SENSOR_FIELD_PROP (PROP_FULL_SCALE, GstSensorTestSrc, full_scale),
};

static void
gst_sensor_test_src_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstSensorTestSrc *self = GST_SENSOR_TEST_SRC (object);

  if (GST_SENSOR_FIELD_SET (object, plain_props, prop_id, value))
    return;
  switch (prop_id) {
    case PROP_MODALITY:
      GST_OBJECT_LOCK (self);
      g_free (self->modality);
      self->modality = g_value_dup_string (value);
      if (self->modality == NULL)
        self->modality = g_strdup (DEFAULT_MODALITY);
      if (gst_sensor_modality_lookup (self->modality) == NULL)
        GST_WARNING_OBJECT (
            self, "modality \"%s\" is not in the table", self->modality);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_TIMESTAMP_OFFSET:
      /* a gint64: no plain field type */
      GST_OBJECT_LOCK (self);
      self->timestamp_offset = g_value_get_int64 (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_IS_LIVE:
      gst_base_src_set_live (GST_BASE_SRC (self), g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_sensor_test_src_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstSensorTestSrc *self = GST_SENSOR_TEST_SRC (object);

  if (GST_SENSOR_FIELD_GET (object, plain_props, prop_id, value))
    return;
  switch (prop_id) {
    case PROP_MODALITY:
      GST_OBJECT_LOCK (self);
      g_value_set_string (value, self->modality);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_TIMESTAMP_OFFSET:
      GST_OBJECT_LOCK (self);
      g_value_set_int64 (value, self->timestamp_offset);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_IS_LIVE:
      g_value_set_boolean (value, gst_base_src_is_live (GST_BASE_SRC (self)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_sensor_test_src_finalize (GObject *object)
{
  GstSensorTestSrc *self = GST_SENSOR_TEST_SRC (object);

  g_free (self->modality);
  g_clear_pointer (&self->synth, gst_sensor_waveform_free);
  gst_sensor_info_clear (&self->info);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_sensor_test_src_class_init (GstSensorTestSrcClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *basesrc_class = GST_BASE_SRC_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw_ready = rw | GST_PARAM_MUTABLE_READY;
  const GParamFlags rw_play = rw | GST_PARAM_MUTABLE_PLAYING;
  gchar *known, *blurb;

  GST_DEBUG_CATEGORY_INIT (
      sensor_test_src_debug, "sensortestsrc", 0, "Synthetic sensor samples");

  gobject_class->set_property = gst_sensor_test_src_set_property;
  gobject_class->get_property = gst_sensor_test_src_get_property;
  gobject_class->finalize = gst_sensor_test_src_finalize;

  /* the blurb lists the table, so gst-inspect shows the known names */
  known = gst_sensor_modality_list_names ();
  blurb = g_strdup_printf ("Sensor modality: %s, or another name (warns; no "
                           "unit, no full scale). Picks the default rate, "
                           "channels, format, unit, full scale and waveform",
      known);
  g_object_class_install_property (gobject_class, PROP_MODALITY,
      g_param_spec_string ("modality", "Modality", blurb, DEFAULT_MODALITY,
          G_PARAM_READWRITE | G_PARAM_STATIC_NAME | G_PARAM_STATIC_NICK |
              GST_PARAM_MUTABLE_READY));
  g_free (blurb);
  g_free (known);
  g_object_class_install_property (gobject_class, PROP_WAVEFORM,
      g_param_spec_enum ("waveform", "Waveform", "Signal to produce",
          GST_TYPE_SENSOR_TEST_SRC_WAVEFORM, DEFAULT_WAVEFORM, rw_ready));
  g_object_class_install_property (gobject_class, PROP_RATE,
      g_param_spec_int ("rate", "Rate",
          "Preferred sample rate in Hz (0 = the modality's typical rate); "
          "downstream caps can override it",
          0, G_MAXINT, DEFAULT_RATE, rw_ready));
  g_object_class_install_property (gobject_class, PROP_SAMPLES_PER_BUFFER,
      g_param_spec_uint ("samples-per-buffer", "Samples per buffer",
          "Samples in each buffer (0 = 100 ms worth)", 0, G_MAXUINT16,
          DEFAULT_SAMPLES_PER_BUFFER, rw_ready));
  g_object_class_install_property (gobject_class, PROP_TIMESTAMP_OFFSET,
      g_param_spec_int64 ("timestamp-offset", "Timestamp offset",
          "Offset added to every PTS (ns)", 0, G_MAXINT64,
          DEFAULT_TIMESTAMP_OFFSET, rw_ready));
  g_object_class_install_property (gobject_class, PROP_IS_LIVE,
      g_param_spec_boolean ("is-live", "Is live",
          "Produce samples in real time, paced by the clock", DEFAULT_IS_LIVE,
          rw_ready));
  g_object_class_install_property (gobject_class, PROP_HEART_RATE,
      g_param_spec_double ("heart-rate", "Heart rate",
          "Pulse rate of the ppg waveform and value of heart_rate (bpm)", 20.0,
          250.0, DEFAULT_HEART_RATE, rw_play));
  g_object_class_install_property (gobject_class, PROP_PPG_AMPLITUDE,
      g_param_spec_double ("ppg-amplitude", "PPG amplitude",
          "Peak height of the pulse wave above the baseline (ADC counts)", 0,
          G_MAXDOUBLE, DEFAULT_PPG_AMPLITUDE, rw_play));
  g_object_class_install_property (gobject_class, PROP_PPG_BASELINE,
      g_param_spec_double ("ppg-baseline", "PPG baseline",
          "DC level of the pulse wave (ADC counts)", -G_MAXDOUBLE, G_MAXDOUBLE,
          DEFAULT_PPG_BASELINE, rw_play));
  g_object_class_install_property (gobject_class, PROP_MOTION,
      g_param_spec_double ("motion", "Motion",
          "Amplitude of the accel waveform's periodic motion (m/s^2)", 0,
          G_MAXDOUBLE, DEFAULT_MOTION, rw_play));
  g_object_class_install_property (gobject_class, PROP_MOTION_FREQUENCY,
      g_param_spec_double ("motion-frequency", "Motion frequency",
          "Frequency of the accel and gyro motion (Hz; walking is ~1.8)", 0,
          G_MAXDOUBLE, DEFAULT_MOTION_FREQUENCY, rw_play));
  g_object_class_install_property (gobject_class, PROP_GYRO_AMPLITUDE,
      g_param_spec_double ("gyro-amplitude", "Gyro amplitude",
          "Peak rotation rate of the gyro waveform (deg/s)", 0, G_MAXDOUBLE,
          DEFAULT_GYRO_AMPLITUDE, rw_play));
  g_object_class_install_property (gobject_class, PROP_FREQUENCY,
      g_param_spec_double ("frequency", "Frequency",
          "Frequency of the sine and square waveforms (Hz)", 0, G_MAXDOUBLE,
          DEFAULT_FREQUENCY, rw_play));
  g_object_class_install_property (gobject_class, PROP_AMPLITUDE,
      g_param_spec_double ("amplitude", "Amplitude",
          "Amplitude of the sine, square and noise waveforms", 0, G_MAXDOUBLE,
          DEFAULT_AMPLITUDE, rw_play));
  g_object_class_install_property (gobject_class, PROP_OFFSET,
      g_param_spec_double ("offset", "Offset",
          "DC offset of sine, square, noise and constant", -G_MAXDOUBLE,
          G_MAXDOUBLE, DEFAULT_OFFSET, rw_play));
  g_object_class_install_property (gobject_class, PROP_NOISE_LEVEL,
      g_param_spec_double ("noise-level", "Noise level",
          "Peak of uniform noise added to ppg, accel and gyro (seeded)", 0,
          G_MAXDOUBLE, DEFAULT_NOISE_LEVEL, rw_play));
  g_object_class_install_property (gobject_class, PROP_SEED,
      g_param_spec_uint ("seed", "Seed",
          "Seed of the noise generator: the same seed gives the same samples",
          0, G_MAXUINT, DEFAULT_SEED, rw_ready));
  g_object_class_install_property (gobject_class, PROP_FULL_SCALE,
      g_param_spec_double ("full-scale", "Full scale",
          "Physical value of the largest integer code for integer formats "
          "(-1 = the modality table's: 16 g for acc_3axis, 2000 deg/s for "
          "gyro_3axis, 300 bpm for heart_rate, ...; 0 = values written as "
          "they are, as for PPG counts and names not in the table)",
          -1, G_MAXDOUBLE, DEFAULT_FULL_SCALE, rw_ready));

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Sensor test source",
      "Source/Sensor",
      "Synthetic sensor samples: PPG pulse wave, accelerometer, gyroscope, "
      "sine, square, noise, constant and counter",
      "gst-plugins-sensor developers");
  element_class->change_state = gst_sensor_test_src_change_state;

  basesrc_class->get_caps = gst_sensor_test_src_get_caps;
  basesrc_class->fixate = gst_sensor_test_src_fixate;
  basesrc_class->set_caps = gst_sensor_test_src_set_caps;
  basesrc_class->query = gst_sensor_test_src_query;
  basesrc_class->get_times = gst_sensor_test_src_get_times;
  basesrc_class->is_seekable = gst_sensor_test_src_is_seekable;
  basesrc_class->do_seek = gst_sensor_test_src_do_seek;
  basesrc_class->decide_allocation = gst_sensor_test_src_decide_allocation;
  basesrc_class->create = gst_sensor_test_src_create;
  basesrc_class->start = gst_sensor_test_src_start;
  basesrc_class->stop = gst_sensor_test_src_stop;

  gst_type_mark_as_plugin_api (GST_TYPE_SENSOR_TEST_SRC_WAVEFORM, 0);
}

static void
gst_sensor_test_src_init (GstSensorTestSrc *self)
{
  self->modality = g_strdup (DEFAULT_MODALITY);
  self->waveform = DEFAULT_WAVEFORM;
  self->rate = DEFAULT_RATE;
  self->samples_per_buffer = DEFAULT_SAMPLES_PER_BUFFER;
  self->timestamp_offset = DEFAULT_TIMESTAMP_OFFSET;
  self->wave.heart_rate = DEFAULT_HEART_RATE;
  self->wave.ppg_amplitude = DEFAULT_PPG_AMPLITUDE;
  self->wave.ppg_baseline = DEFAULT_PPG_BASELINE;
  self->wave.motion = DEFAULT_MOTION;
  self->wave.motion_frequency = DEFAULT_MOTION_FREQUENCY;
  self->wave.gyro_amplitude = DEFAULT_GYRO_AMPLITUDE;
  self->wave.frequency = DEFAULT_FREQUENCY;
  self->wave.amplitude = DEFAULT_AMPLITUDE;
  self->wave.offset = DEFAULT_OFFSET;
  self->wave.noise_level = DEFAULT_NOISE_LEVEL;
  self->seed = DEFAULT_SEED;
  self->full_scale = DEFAULT_FULL_SCALE;
  gst_sensor_info_init (&self->info);

  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_TIME);
  gst_base_src_set_live (GST_BASE_SRC (self), DEFAULT_IS_LIVE);
}
