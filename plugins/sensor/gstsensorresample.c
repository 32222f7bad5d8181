/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-sensorresample
 * @title: sensorresample
 *
 * Converts the rate and the sample format of `sensor/x-raw` streams.
 *
 * - Regular input (rate > 0) is resampled to any other regular rate with the
 *   GstAudioResampler windowed-sinc (Kaiser) filter; `quality` trades latency
 *   for stop-band attenuation.
 * - Irregular input (rate 0/1, one sample per buffer, PTS = sample time)
 *   becomes regular with `method` linear or hold. Output samples lie at
 *   t0 + k / rate, t0 being the first input time.
 * - Integer <-> float formats are converted with `full-scale`, or without
 *   it with the modality table's full scale (see
 *   gst_sensor_modality_get_full_scale() and gst_sensor_convert_samples());
 *   a stream with neither keeps its values and posts one warning.
 *   Out-of-range values saturate and are counted in `stats`.
 *
 * Downstream caps decide the output rate and format; without a constraint a
 * regular stream keeps its rate (and the element is passthrough) and an
 * irregular one gets its modality's typical rate, or 1 Hz.
 *
 * Timestamps come from sample counters, never from summed durations:
 * output PTS = t0 + k * rate_d / rate_n seconds, OFFSET / OFFSET_END are the
 * output sample counter, and the epoch meta (`timestamp/x-unix`) follows the
 * same arithmetic from the epoch of t0. A DISCONT flag, a new segment, a gap or
 * (regular input) a PTS more than half a sample away from the counter drains
 * the filter and starts a new timeline.
 *
 * Bad input is skipped and counted: buffers whose size is not a whole number
 * of frames (regular) or not exactly one frame (irregular) are dropped
 * (`dropped-bad-size`), irregular samples without a PTS or with a PTS not
 * after the previous one are dropped (`dropped-non-monotonic`); each kind
 * posts one warning message per run.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 sensortestsrc modality=ppg_green rate=128 num-buffers=20 ! \
 *     sensorresample ! sensor/x-raw,rate=100/1,format=S16LE ! fakesink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/sensor/sensor-caps.h>
#include <gst/sensor/sensor-field.h>

#include "gstsensorresample-private.h"
#include "gstsensorelements.h"

GST_DEBUG_CATEGORY (sensor_resample_debug);

#define DEFAULT_METHOD GST_SENSOR_RESAMPLE_METHOD_LINEAR
#define DEFAULT_QUALITY GST_AUDIO_RESAMPLER_QUALITY_DEFAULT
#define DEFAULT_FULL_SCALE 0.0
/* Irregular input: the most output samples one input sample may release
 * (about 2.9 h at 100 Hz); a longer silence starts a new timeline. */
#define MAX_GAP_SAMPLES (1 << 20)

static const GstSensorCounterInfo counter_info[] = {
  { "in-samples", "samples taken in" },
  { "out-samples", "samples sent out" },
  { "clipped", "values clipped to the output format's range" },
  { "dropped-non-monotonic",
      "irregular samples dropped: their time does not increase" },
  { "dropped-bad-size", "buffers dropped: not whole samples" },
  { "discont", "discontinuities (new timelines)" },
  { "gaps", "gap buffers and events" },
};
G_STATIC_ASSERT (G_N_ELEMENTS (counter_info) == GST_SENSOR_RESAMPLE_N_COUNTERS);

enum {
  PROP_0,
  PROP_METHOD,
  PROP_QUALITY,
  PROP_FULL_SCALE,
  PROP_STATS,
};


G_DEFINE_TYPE (GstSensorResample, gst_sensor_resample, GST_TYPE_BASE_TRANSFORM);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (sensorresample, "sensorresample",
    GST_RANK_NONE, GST_TYPE_SENSOR_RESAMPLE,
    GST_DEBUG_CATEGORY_INIT (sensor_resample_debug, "sensorresample", 0,
        "sensor/x-raw rate and format conversion"));

GType
gst_sensor_resample_method_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { GST_SENSOR_RESAMPLE_METHOD_LINEAR,
        "Linear interpolation between neighbouring samples", "linear" },
    { GST_SENSOR_RESAMPLE_METHOD_HOLD, "Hold the most recent sample", "hold" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSensorResampleMethod", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

/* ---------------------------------------------------------------- caps */

static GstCaps *
gst_sensor_resample_transform_caps (GstBaseTransform *trans,
    GstPadDirection direction, GstCaps *caps, GstCaps *filter)
{
  GstCaps *res;
  guint i, n;

  if (gst_caps_is_any (caps))
    return filter ? gst_caps_ref (filter) : gst_caps_new_any ();

  res = gst_caps_new_empty ();
  n = gst_caps_get_size (caps);
  for (i = 0; i < n; i++) {
    GstStructure *s = gst_structure_copy (gst_caps_get_structure (caps, i));
    GstCapsFeatures *f = gst_caps_get_features (caps, i);

    /* Format and rate convert; channels, modality and unit pass through. The
     * output is always regular, the input may be irregular. */
    gst_sensor_caps_set_all_formats (s);
    if (direction == GST_PAD_SINK)
      gst_structure_set (
          s, "rate", GST_TYPE_FRACTION_RANGE, 1, G_MAXINT, G_MAXINT, 1, NULL);
    else
      gst_structure_set (
          s, "rate", GST_TYPE_FRACTION_RANGE, 0, 1, G_MAXINT, 1, NULL);
    res = gst_caps_merge_structure_full (
        res, s, f ? gst_caps_features_copy (f) : NULL);
  }
  res = gst_sensor_caps_filter (res, filter);
  GST_LOG_OBJECT (trans, "%s %" GST_PTR_FORMAT " -> %" GST_PTR_FORMAT,
      direction == GST_PAD_SINK ? "sink" : "src", caps, res);
  return res;
}

static GstCaps *
gst_sensor_resample_fixate_caps (GstBaseTransform *trans,
    GstPadDirection direction, GstCaps *caps, GstCaps *othercaps)
{
  const GstStructure *in;
  GstStructure *out;
  const gchar *str;
  gint rate_n, rate_d, channels;

  othercaps = gst_caps_truncate (othercaps);
  othercaps = gst_caps_make_writable (othercaps);
  if (gst_caps_is_empty (othercaps) || gst_caps_is_empty (caps))
    return othercaps;
  in = gst_caps_get_structure (caps, 0);
  out = gst_caps_get_structure (othercaps, 0);

  /* Keep what downstream leaves open as it was: same format, same rate
   * (for irregular input the modality's typical rate), same channels. */
  if ((str = gst_structure_get_string (in, "format")) != NULL)
    gst_structure_fixate_field_string (out, "format", str);
  if (gst_structure_get_fraction (in, "rate", &rate_n, &rate_d)) {
    if (rate_n == 0 && direction == GST_PAD_SINK)
      gst_sensor_caps_default_rate (
          gst_structure_get_string (in, "modality"), &rate_n, &rate_d);
    gst_structure_fixate_field_nearest_fraction (out, "rate", rate_n, rate_d);
  }
  if (gst_structure_get_int (in, "channels", &channels))
    gst_structure_fixate_field_nearest_int (out, "channels", channels);
  if ((str = gst_structure_get_string (in, "modality")) != NULL)
    gst_structure_fixate_field_string (out, "modality", str);
  if ((str = gst_structure_get_string (in, "unit")) != NULL)
    gst_structure_fixate_field_string (out, "unit", str);

  othercaps = gst_caps_fixate (othercaps);
  GST_DEBUG_OBJECT (trans, "fixated to %" GST_PTR_FORMAT, othercaps);
  return othercaps;
}

static gboolean
gst_sensor_resample_accept_caps (
    GstBaseTransform *trans, GstPadDirection direction, GstCaps *caps)
{
  gboolean ret = GST_BASE_TRANSFORM_CLASS (gst_sensor_resample_parent_class)
                     ->accept_caps (trans, direction, caps);

  if (!ret) {
    const gchar *why = gst_sensor_caps_get_problem (caps);

    GST_WARNING_OBJECT (trans, "rejecting %s caps %" GST_PTR_FORMAT ": %s",
        direction == GST_PAD_SINK ? "input" : "output", caps,
        why ? why : "no conversion to what the peer accepts");
  }
  return ret;
}

/* --------------------------------------------------------- configuration */

/* The full scale of a float <-> integer conversion: the property when set,
 * else the modality table's (0 for counts such as PPG, kept as they are).
 * Without either, values are kept as they are too, but that loses the
 * fraction of every float silently, so say it once. */
static gdouble
choose_full_scale (GstSensorResample *self, gdouble explicit_full_scale)
{
  const GstSensorInfo *in = &self->in_info;
  gdouble full_scale = 0;
  gchar *what;

  if (explicit_full_scale > 0 ||
      gst_sensor_format_is_float (in->format) ==
          gst_sensor_format_is_float (self->out_info.format))
    return explicit_full_scale;
  if (gst_sensor_modality_get_full_scale (in->modality, in->unit, &full_scale))
    return full_scale;
  if (self->warned_full_scale)
    return 0;
  self->warned_full_scale = TRUE;
  if (in->modality == NULL)
    what = g_strdup ("a stream without modality");
  else if (gst_sensor_modality_lookup (in->modality) == NULL)
    what = g_strdup_printf ("modality \"%s\"", in->modality);
  else
    what = g_strdup_printf (
        "modality \"%s\" in unit \"%s\"", in->modality, in->unit);
  GST_ELEMENT_WARNING (self, STREAM, FORMAT,
      ("No full scale for %s: %s -> %s keeps the values as they are.", what,
          gst_sensor_format_to_string (in->format),
          gst_sensor_format_to_string (self->out_info.format)),
      ("set the full-scale property (the value of the largest integer code) "
       "to scale them; the modality table has full scales for its modalities "
       "in their own units"));
  g_free (what);
  return 0;
}

static void
free_resampler (GstSensorResample *self)
{
  g_clear_pointer (&self->resampler, gst_audio_resampler_free);
  g_clear_pointer (&self->pre_buf, g_free);
  g_clear_pointer (&self->post_buf, g_free);
  g_clear_pointer (&self->interp, gst_sensor_interpolator_free);
  self->pre_size = self->post_size = 0;
}

static void
reset_timeline (GstSensorResample *self)
{
  self->started = FALSE;
  if (self->resampler)
    gst_audio_resampler_reset (self->resampler);
}

static gboolean
gst_sensor_resample_set_caps (
    GstBaseTransform *trans, GstCaps *incaps, GstCaps *outcaps)
{
  GstSensorResample *self = GST_SENSOR_RESAMPLE (trans);
  gboolean passthrough;
  gdouble full_scale;
  gint quality;

  free_resampler (self);
  self->configured = FALSE;
  GST_OBJECT_LOCK (self);
  quality = self->quality;
  self->cur_method = self->method;
  full_scale = self->full_scale;
  self->latency = 0;
  GST_OBJECT_UNLOCK (self);

  if (!gst_sensor_info_from_caps (&self->in_info, incaps)) {
    GST_WARNING_OBJECT (self, "invalid input caps %" GST_PTR_FORMAT " (%s)",
        incaps, GST_STR_NULL (gst_sensor_caps_get_problem (incaps)));
    return FALSE;
  }
  if (!gst_sensor_info_from_caps (&self->out_info, outcaps)) {
    GST_WARNING_OBJECT (self, "invalid output caps %" GST_PTR_FORMAT " (%s)",
        outcaps, GST_STR_NULL (gst_sensor_caps_get_problem (outcaps)));
    return FALSE;
  }
  if (self->in_info.channels != self->out_info.channels) {
    GST_WARNING_OBJECT (self, "channel count must not change (%d -> %d)",
        self->in_info.channels, self->out_info.channels);
    return FALSE;
  }
  if (GST_SENSOR_INFO_IS_IRREGULAR (&self->out_info)) {
    GST_WARNING_OBJECT (self, "output must have a regular rate");
    return FALSE;
  }
  self->cur_full_scale = choose_full_scale (self, full_scale);

  if (GST_SENSOR_INFO_IS_IRREGULAR (&self->in_info)) {
    self->interp = gst_sensor_interpolator_new (&self->in_info, &self->out_info,
        self->cur_method == GST_SENSOR_RESAMPLE_METHOD_HOLD ?
            GST_SENSOR_INTERPOLATE_HOLD :
            GST_SENSOR_INTERPOLATE_LINEAR,
        self->cur_full_scale);
    if (self->interp == NULL)
      return FALSE;
    passthrough = FALSE;
  } else {
    if (!gst_sensor_resample_configure_regular (self, quality))
      return FALSE;
    passthrough = gst_sensor_info_is_equal (&self->in_info, &self->out_info);
  }
  GST_DEBUG_OBJECT (self, "%" GST_PTR_FORMAT " -> %" GST_PTR_FORMAT "%s",
      incaps, outcaps, passthrough ? " (passthrough)" : "");
  gst_base_transform_set_passthrough (trans, passthrough);
  reset_timeline (self);
  self->configured = TRUE;
  return TRUE;
}

/* ------------------------------------------------------------ timeline */

static GstClockTime
out_time (GstSensorResample *self, guint64 k)
{
  return self->t0 +
      gst_util_uint64_scale (k, (guint64) GST_SECOND * self->out_info.rate_d,
          self->out_info.rate_n);
}

void
gst_sensor_resample_restart (GstSensorResample *self, GstBuffer *inbuf)
{
  GstClockTime pts = GST_BUFFER_PTS (inbuf);

  self->t0 = GST_CLOCK_TIME_IS_VALID (pts) ? pts : 0;
  self->epoch0 = GST_CLOCK_TIME_NONE;
  self->in_count = 0;
  self->out_count = 0;
  if (self->interp)
    gst_sensor_interpolator_reset (self->interp, self->t0);
  self->out_discont = TRUE;
  self->started = TRUE;
  if (self->resampler)
    gst_audio_resampler_reset (self->resampler);
  GST_DEBUG_OBJECT (
      self, "timeline starts at %" GST_TIME_FORMAT, GST_TIME_ARGS (self->t0));
}

/* The epoch of t0: from the first buffer that has one, moved back by its
 * distance to t0. */
void
gst_sensor_resample_learn_epoch (GstSensorResample *self, GstBuffer *inbuf)
{
  GstClockTime epoch, pts = GST_BUFFER_PTS (inbuf);

  if (GST_CLOCK_TIME_IS_VALID (self->epoch0) ||
      !gst_buffer_get_sensor_epoch (inbuf, &epoch))
    return;
  if (!GST_CLOCK_TIME_IS_VALID (pts))
    pts = self->t0;
  if (pts >= self->t0 && epoch >= pts - self->t0)
    self->epoch0 = epoch - (pts - self->t0);
}

/* Stamps @outbuf as the next @n output samples. */
void
gst_sensor_resample_stamp_output (
    GstSensorResample *self, GstBuffer *outbuf, guint64 n)
{
  GstClockTime start = out_time (self, self->out_count);
  GstClockTime end = out_time (self, self->out_count + n);

  GST_BUFFER_PTS (outbuf) = start;
  GST_BUFFER_DTS (outbuf) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DURATION (outbuf) = end - start;
  GST_BUFFER_OFFSET (outbuf) = self->out_count;
  GST_BUFFER_OFFSET_END (outbuf) = self->out_count + n;
  if (GST_CLOCK_TIME_IS_VALID (self->epoch0))
    gst_buffer_add_sensor_epoch (outbuf, self->epoch0 + (start - self->t0));
  if (self->out_discont) {
    GST_BUFFER_FLAG_SET (outbuf, GST_BUFFER_FLAG_DISCONT);
    self->out_discont = FALSE;
  }
  self->out_count += n;
  self->pend_out += n;
}

void
gst_sensor_resample_count_clipped (GstSensorResample *self, guint64 clipped)
{
  if (clipped == 0)
    return;
  GST_LOG_OBJECT (self, "%" G_GUINT64_FORMAT " values clipped", clipped);
  self->pend_clipped += clipped;
}

/* Counters move to the stats once per buffer, not per sample. */
static void
flush_stats (GstSensorResample *self)
{
  gst_sensor_counters_add (
      self->counters, GST_SENSOR_RESAMPLE_COUNTER_IN, self->pend_in);
  gst_sensor_counters_add (
      self->counters, GST_SENSOR_RESAMPLE_COUNTER_OUT, self->pend_out);
  gst_sensor_counters_add (
      self->counters, GST_SENSOR_RESAMPLE_COUNTER_CLIPPED, self->pend_clipped);
  self->pend_in = self->pend_out = self->pend_clipped = 0;
}

GstFlowReturn
gst_sensor_resample_push_downstream (GstSensorResample *self, GstBuffer *buf)
{
  return gst_pad_push (GST_BASE_TRANSFORM_SRC_PAD (self), buf);
}

/* Irregular input: emits the samples up to and including the last input
 * time, holding the last value. */
static GstFlowReturn
drain_irregular (GstSensorResample *self)
{
  GstBuffer *outbuf;
  GstMapInfo map;
  guint64 n;

  if (!self->started || self->interp == NULL ||
      (n = gst_sensor_interpolator_n_drain (self->interp)) == 0)
    return GST_FLOW_OK;
  outbuf = gst_buffer_new_allocate (NULL, n * self->out_info.bpf, NULL);
  gst_buffer_map (outbuf, &map, GST_MAP_WRITE);
  gst_sensor_resample_count_clipped (
      self, gst_sensor_interpolator_drain (self->interp, map.data));
  gst_buffer_unmap (outbuf, &map);
  gst_sensor_resample_stamp_output (self, outbuf, n);
  return gst_sensor_resample_push_downstream (self, outbuf);
}

static GstFlowReturn
drain (GstSensorResample *self)
{
  if (!self->configured)
    return GST_FLOW_OK;
  if (GST_SENSOR_INFO_IS_IRREGULAR (&self->in_info))
    return drain_irregular (self);
  return gst_sensor_resample_drain_regular (self);
}

/* ------------------------------------------------------------ streaming */

void
gst_sensor_resample_skip_bad_size (
    GstSensorResample *self, GstBuffer *inbuf, gsize size)
{
  gboolean warn = !self->warned_bad_size;

  gst_sensor_counters_add (
      self->counters, GST_SENSOR_RESAMPLE_COUNTER_BAD_SIZE, 1);
  GST_DEBUG_OBJECT (self,
      "dropping buffer of %" G_GSIZE_FORMAT " bytes "
      "(frame size %d)",
      size, self->in_info.bpf);
  if (warn) {
    self->warned_bad_size = TRUE;
    GST_ELEMENT_WARNING (self, STREAM, FORMAT,
        ("Dropping buffers that do not hold whole samples."),
        ("buffer of %" G_GSIZE_FORMAT " bytes, frame size %d bytes%s; "
         "counted in stats dropped-bad-size",
            size, self->in_info.bpf,
            GST_SENSOR_INFO_IS_IRREGULAR (&self->in_info) ?
                ", irregular streams need exactly one frame per buffer" :
                ""));
  }
}

static void
skip_non_monotonic (GstSensorResample *self, GstClockTime pts)
{
  GstClockTime prev = gst_sensor_interpolator_get_last_time (self->interp);

  gst_sensor_counters_add (
      self->counters, GST_SENSOR_RESAMPLE_COUNTER_NON_MONOTONIC, 1);
  GST_DEBUG_OBJECT (self,
      "dropping sample at %" GST_TIME_FORMAT ", previous at %" GST_TIME_FORMAT,
      GST_TIME_ARGS (pts), GST_TIME_ARGS (prev));
  if (!self->warned_non_monotonic) {
    self->warned_non_monotonic = TRUE;
    GST_ELEMENT_WARNING (self, STREAM, FORMAT,
        ("Dropping irregular samples whose time does not increase."),
        ("sample at %" GST_TIME_FORMAT " after %" GST_TIME_FORMAT "; "
         "counted in stats dropped-non-monotonic",
            GST_TIME_ARGS (pts), GST_TIME_ARGS (prev)));
  }
}

void
gst_sensor_resample_count_input (GstSensorResample *self, guint64 n)
{
  self->in_count += n;
  self->pend_in += n;
}

/* A discontinuity: the timeline ends after what the filter held went out
 * (@drained says how that went); the next sample starts a new one. */
GstFlowReturn
gst_sensor_resample_end_timeline (
    GstSensorResample *self, GstFlowReturn drained)
{
  gst_sensor_counters_add (
      self->counters, GST_SENSOR_RESAMPLE_COUNTER_DISCONT, 1);
  self->started = FALSE;
  return drained;
}

static GstFlowReturn
process_irregular (
    GstSensorResample *self, GstBuffer *inbuf, GstBuffer **outbuf)
{
  GstClockTime pts = GST_BUFFER_PTS (inbuf), prev;
  GstFlowReturn ret = GST_FLOW_OK;
  GstMapInfo imap, omap;
  guint64 n, clipped;

  if (gst_buffer_get_size (inbuf) != (gsize) self->in_info.bpf) {
    gst_sensor_resample_skip_bad_size (
        self, inbuf, gst_buffer_get_size (inbuf));
    return GST_FLOW_OK;
  }
  if (self->started && GST_BUFFER_IS_DISCONT (inbuf)) {
    ret = gst_sensor_resample_end_timeline (self, drain_irregular (self));
    if (ret != GST_FLOW_OK)
      return ret;
  }
  prev = self->started ? gst_sensor_interpolator_get_last_time (self->interp) :
                         GST_CLOCK_TIME_NONE;
  if (!GST_CLOCK_TIME_IS_VALID (pts) ||
      (GST_CLOCK_TIME_IS_VALID (prev) && pts <= prev)) {
    skip_non_monotonic (self, pts);
    return GST_FLOW_OK;
  }
  if (self->started &&
      gst_sensor_interpolator_n_before (self->interp, pts) > MAX_GAP_SAMPLES) {
    /* interpolating across this would need an absurd buffer: a new
     * timeline starts at this sample instead */
    GST_DEBUG_OBJECT (self,
        "%" GST_TIME_FORMAT " after the previous sample "
        "is too long to fill",
        GST_TIME_ARGS (pts - prev));
    ret = gst_sensor_resample_end_timeline (self, drain_irregular (self));
    if (ret != GST_FLOW_OK)
      return ret;
  }
  if (!self->started)
    gst_sensor_resample_restart (self, inbuf);
  gst_sensor_resample_learn_epoch (self, inbuf);
  gst_sensor_resample_count_input (self, 1);

  /* output sample k lies at t0 + k/rate; emit those before this sample */
  n = gst_sensor_interpolator_n_before (self->interp, pts);
  gst_buffer_map (inbuf, &imap, GST_MAP_READ);
  if (n > 0) {
    *outbuf = gst_buffer_new_allocate (NULL, n * self->out_info.bpf, NULL);
    gst_buffer_map (*outbuf, &omap, GST_MAP_WRITE);
    clipped =
        gst_sensor_interpolator_push (self->interp, pts, imap.data, omap.data);
    gst_buffer_unmap (*outbuf, &omap);
    gst_sensor_resample_count_clipped (self, clipped);
    gst_sensor_resample_stamp_output (self, *outbuf, n);
  } else {
    gst_sensor_interpolator_push (self->interp, pts, imap.data, NULL);
  }
  gst_buffer_unmap (inbuf, &imap);
  return GST_FLOW_OK;
}

/* A gap buffer ends the current timeline and travels on as a GAP event. */
static GstFlowReturn
process_gap_buffer (GstSensorResample *self, GstBuffer *inbuf)
{
  GstFlowReturn ret = drain (self);
  GstClockTime pts = GST_BUFFER_PTS (inbuf);

  self->started = FALSE;
  gst_sensor_counters_add (self->counters, GST_SENSOR_RESAMPLE_COUNTER_GAPS, 1);
  if (GST_CLOCK_TIME_IS_VALID (pts))
    gst_pad_push_event (GST_BASE_TRANSFORM_SRC_PAD (self),
        gst_event_new_gap (pts, GST_BUFFER_DURATION (inbuf)));
  return ret;
}

static GstFlowReturn
gst_sensor_resample_generate_output (
    GstBaseTransform *trans, GstBuffer **outbuf)
{
  GstSensorResample *self = GST_SENSOR_RESAMPLE (trans);
  GstBuffer *inbuf;
  GstFlowReturn ret;

  *outbuf = NULL;
  if (gst_base_transform_is_passthrough (trans)) {
    if (trans->queued_buf && self->configured) {
      guint64 n = gst_buffer_get_size (trans->queued_buf) / self->in_info.bpf;

      gst_sensor_counters_add (
          self->counters, GST_SENSOR_RESAMPLE_COUNTER_IN, n);
      gst_sensor_counters_add (
          self->counters, GST_SENSOR_RESAMPLE_COUNTER_OUT, n);
    }
    return GST_BASE_TRANSFORM_CLASS (gst_sensor_resample_parent_class)
        ->generate_output (trans, outbuf);
  }

  inbuf = trans->queued_buf;
  trans->queued_buf = NULL;
  if (inbuf == NULL)
    return GST_FLOW_OK;
  if (!self->configured) {
    gst_buffer_unref (inbuf);
    return GST_FLOW_NOT_NEGOTIATED;
  }

  if (GST_BUFFER_FLAG_IS_SET (inbuf, GST_BUFFER_FLAG_GAP))
    ret = process_gap_buffer (self, inbuf);
  else if (GST_SENSOR_INFO_IS_IRREGULAR (&self->in_info))
    ret = process_irregular (self, inbuf, outbuf);
  else
    ret = gst_sensor_resample_process_regular (self, inbuf, outbuf);
  gst_buffer_unref (inbuf);
  flush_stats (self);
  if (ret != GST_FLOW_OK)
    gst_clear_buffer (outbuf);
  return ret;
}

static gboolean
gst_sensor_resample_sink_event (GstBaseTransform *trans, GstEvent *event)
{
  GstSensorResample *self = GST_SENSOR_RESAMPLE (trans);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_FLUSH_STOP:
      reset_timeline (self);
      break;
    case GST_EVENT_GAP:
      drain (self);
      flush_stats (self);
      self->started = FALSE;
      gst_sensor_counters_add (
          self->counters, GST_SENSOR_RESAMPLE_COUNTER_GAPS, 1);
      break;
    case GST_EVENT_EOS:
    case GST_EVENT_SEGMENT:
    case GST_EVENT_CAPS:
      /* what the filter holds belongs to the old stream */
      drain (self);
      flush_stats (self);
      reset_timeline (self);
      break;
    default:
      break;
  }
  return GST_BASE_TRANSFORM_CLASS (gst_sensor_resample_parent_class)
      ->sink_event (trans, event);
}

static gboolean
gst_sensor_resample_query (
    GstBaseTransform *trans, GstPadDirection direction, GstQuery *query)
{
  GstSensorResample *self = GST_SENSOR_RESAMPLE (trans);

  if (direction == GST_PAD_SRC && GST_QUERY_TYPE (query) == GST_QUERY_LATENCY) {
    GstClockTime min, max, latency;
    gboolean live;

    if (!gst_pad_peer_query (GST_BASE_TRANSFORM_SINK_PAD (trans), query))
      return FALSE;
    gst_query_parse_latency (query, &live, &min, &max);
    GST_OBJECT_LOCK (self);
    latency = self->latency;
    GST_OBJECT_UNLOCK (self);
    min += latency;
    if (GST_CLOCK_TIME_IS_VALID (max))
      max += latency;
    GST_DEBUG_OBJECT (self,
        "latency %" GST_TIME_FORMAT ", total min %" GST_TIME_FORMAT,
        GST_TIME_ARGS (latency), GST_TIME_ARGS (min));
    gst_query_set_latency (query, live, min, max);
    return TRUE;
  }
  return GST_BASE_TRANSFORM_CLASS (gst_sensor_resample_parent_class)
      ->query (trans, direction, query);
}

static gboolean
gst_sensor_resample_start (GstBaseTransform *trans)
{
  GstSensorResample *self = GST_SENSOR_RESAMPLE (trans);

  self->started = FALSE;
  self->warned_bad_size = FALSE;
  self->warned_non_monotonic = FALSE;
  self->warned_full_scale = FALSE;
  gst_sensor_counters_reset (self->counters);
  self->pend_in = self->pend_out = self->pend_clipped = 0;
  return TRUE;
}

static gboolean
gst_sensor_resample_stop (GstBaseTransform *trans)
{
  GstSensorResample *self = GST_SENSOR_RESAMPLE (trans);

  free_resampler (self);
  self->configured = FALSE;
  self->started = FALSE;
  gst_sensor_info_clear (&self->in_info);
  gst_sensor_info_clear (&self->out_info);
  GST_OBJECT_LOCK (self);
  self->latency = 0;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

/* ----------------------------------------------------------- properties */

/* The plain properties: stored under the object lock, no side effect. */
static const GstSensorFieldProp plain_props[] = {
  GST_SENSOR_FIELD_PROP (PROP_METHOD, GstSensorResample, method),
  GST_SENSOR_FIELD_PROP (PROP_QUALITY, GstSensorResample, quality),
  GST_SENSOR_FIELD_PROP (PROP_FULL_SCALE, GstSensorResample, full_scale),
};

static void
gst_sensor_resample_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  if (!GST_SENSOR_FIELD_SET (object, plain_props, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
gst_sensor_resample_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstSensorResample *self = GST_SENSOR_RESAMPLE (object);

  if (GST_SENSOR_FIELD_GET (object, plain_props, prop_id, value))
    return;
  if (prop_id == PROP_STATS)
    g_value_take_boxed (value,
        gst_sensor_counters_new_stats (self->counters, "sensorresample"));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
gst_sensor_resample_finalize (GObject *object)
{
  GstSensorResample *self = GST_SENSOR_RESAMPLE (object);

  free_resampler (self);
  gst_sensor_info_clear (&self->in_info);
  gst_sensor_info_clear (&self->out_info);
  gst_sensor_counters_free (self->counters);
  G_OBJECT_CLASS (gst_sensor_resample_parent_class)->finalize (object);
}

static void
gst_sensor_resample_class_init (GstSensorResampleClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstCaps *caps;

  gobject_class->set_property = gst_sensor_resample_set_property;
  gobject_class->get_property = gst_sensor_resample_get_property;
  gobject_class->finalize = gst_sensor_resample_finalize;

  g_object_class_install_property (gobject_class, PROP_METHOD,
      g_param_spec_enum ("method", "Method",
          "How irregular (rate 0/1) input becomes regular samples: linear "
          "interpolation between neighbouring samples or hold of the most "
          "recent one. Regular input always uses the windowed-sinc filter",
          GST_TYPE_SENSOR_RESAMPLE_METHOD, DEFAULT_METHOD,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_QUALITY,
      g_param_spec_int ("quality", "Quality",
          "Windowed-sinc filter quality for regular input (0 = shortest "
          "filter, least latency; 10 = longest, best stop-band attenuation)",
          GST_AUDIO_RESAMPLER_QUALITY_MIN, GST_AUDIO_RESAMPLER_QUALITY_MAX,
          DEFAULT_QUALITY,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_FULL_SCALE,
      g_param_spec_double ("full-scale", "Full scale",
          "Physical value of the largest integer code, used when converting "
          "between integer and float formats (e.g. 156.9 for a +-16 g "
          "accelerometer in m/s^2); 0 = the modality table's (acc_3axis "
          "156.9064, gyro_3axis 2000, PPG counts kept as they are, ...), or "
          "values kept as they are with a warning when it has none. Values "
          "out of the output range saturate and are counted in stats",
          0, G_MAXDOUBLE, DEFAULT_FULL_SCALE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Counters since start: in-samples, out-samples, clipped, "
          "dropped-non-monotonic, dropped-bad-size, discont, gaps",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  caps = gst_sensor_caps_new_template (TRUE);
  gst_element_class_add_pad_template (element_class,
      gst_pad_template_new ("sink", GST_PAD_SINK, GST_PAD_ALWAYS, caps));
  gst_caps_unref (caps);
  caps = gst_sensor_caps_new_template (FALSE);
  gst_element_class_add_pad_template (element_class,
      gst_pad_template_new ("src", GST_PAD_SRC, GST_PAD_ALWAYS, caps));
  gst_caps_unref (caps);

  gst_element_class_set_static_metadata (element_class,
      "Sensor sample resampler", "Filter/Converter/Sensor",
      "Converts sensor/x-raw sample rates (regular or irregular input) and "
      "sample formats, with exact sample-counter timestamps",
      "gst-plugins-sensor");

  trans_class->transform_caps =
      GST_DEBUG_FUNCPTR (gst_sensor_resample_transform_caps);
  trans_class->fixate_caps =
      GST_DEBUG_FUNCPTR (gst_sensor_resample_fixate_caps);
  trans_class->accept_caps =
      GST_DEBUG_FUNCPTR (gst_sensor_resample_accept_caps);
  trans_class->set_caps = GST_DEBUG_FUNCPTR (gst_sensor_resample_set_caps);
  trans_class->generate_output =
      GST_DEBUG_FUNCPTR (gst_sensor_resample_generate_output);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_sensor_resample_sink_event);
  trans_class->query = GST_DEBUG_FUNCPTR (gst_sensor_resample_query);
  trans_class->start = GST_DEBUG_FUNCPTR (gst_sensor_resample_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_sensor_resample_stop);
  trans_class->passthrough_on_same_caps = FALSE;

  gst_type_mark_as_plugin_api (GST_TYPE_SENSOR_RESAMPLE_METHOD, 0);
}

static void
gst_sensor_resample_init (GstSensorResample *self)
{
  self->method = DEFAULT_METHOD;
  self->quality = DEFAULT_QUALITY;
  self->full_scale = DEFAULT_FULL_SCALE;
  self->t0 = GST_CLOCK_TIME_NONE;
  self->epoch0 = GST_CLOCK_TIME_NONE;
  gst_sensor_info_init (&self->in_info);
  gst_sensor_info_init (&self->out_info);
  self->counters =
      gst_sensor_counters_new (counter_info, GST_SENSOR_RESAMPLE_N_COUNTERS);
}
