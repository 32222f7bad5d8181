/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:gstsensorwaveform
 * @title: GstSensorWaveform
 * @short_description: synthetic sensor signals
 *
 * The signals of sensortestsrc, deterministic for a seed: a PPG pulse wave,
 * an accelerometer with gravity and motion, a gyroscope, sine, square,
 * noise, constant and counter, written straight into a buffer in any
 * #GstSensorFormat.
 *
 * C only (not in the introspection data): the samples are raw buffers
 * of the element that owns the state.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "sensor-convert.h"
#include "sensor-waveform.h"

#define STANDARD_GRAVITY 9.80665

/* Where the incremental ppg synthesis left off (see fill_ppg_int()). */
typedef struct
{
  gdouble step, qa, qb;
  gdouble phase; /* the run goes on only from this phase */
  guint left;    /* samples before the run restarts from exp() */
  gdouble ga, ra, gb, rb;
} PpgRun;

struct _GstSensorWaveform
{
  gdouble ppg_phase;
  PpgRun ppg_run;
  GRand *rand;
};

/**
 * gst_sensor_waveform_kind_for_modality:
 * @modality: a modality name
 *
 * The signal that looks like @modality: the pulse wave for `ppg*`, the
 * accelerometer for `acc*`, the gyroscope for `gyro*`, else a constant
 * (at gst_sensor_waveform_typical_value()).
 *
 * Returns: the waveform of @modality
 */
GstSensorWaveformKind
gst_sensor_waveform_kind_for_modality (const gchar *modality)
{
  g_return_val_if_fail (modality != NULL, GST_SENSOR_WAVEFORM_CONSTANT);

  if (g_str_has_prefix (modality, "ppg"))
    return GST_SENSOR_WAVEFORM_PPG;
  if (g_str_has_prefix (modality, "acc"))
    return GST_SENSOR_WAVEFORM_ACCEL;
  if (g_str_has_prefix (modality, "gyro"))
    return GST_SENSOR_WAVEFORM_GYRO;
  return GST_SENSOR_WAVEFORM_CONSTANT;
}

/**
 * gst_sensor_waveform_typical_value:
 * @modality: (nullable): a modality name
 *
 * A plausible resting value of a modality whose signal is a constant:
 * 97 % for spo2, 85 % for battery_level, 1013.25 hPa for pressure, 33 °C
 * for temperature (skin), 72 bpm for heart_rate.
 *
 * Returns: the value, 0 for other modalities
 */
gdouble
gst_sensor_waveform_typical_value (const gchar *modality)
{
  static const struct
  {
    const gchar *modality;
    gdouble value;
  } values[] = {
    { "heart_rate", 72.0 },
    { "spo2", 97.0 },
    { "battery_level", 85.0 },
    { "pressure", 1013.25 },
    { "temperature", 33.0 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (values); i++)
    if (g_strcmp0 (modality, values[i].modality) == 0)
      return values[i].value;
  return 0.0;
}

/**
 * gst_sensor_waveform_new: (skip)
 * @seed: seed of the noise generator: the same seed gives the same samples
 *
 * Returns: (transfer full): a synthesis at sample 0, PPG phase 0
 */
GstSensorWaveform *
gst_sensor_waveform_new (guint32 seed)
{
  GstSensorWaveform *wf = g_new0 (GstSensorWaveform, 1);

  wf->rand = g_rand_new_with_seed (seed);
  return wf;
}

/**
 * gst_sensor_waveform_free: (skip)
 * @waveform: (transfer full) (nullable): a synthesis
 *
 * Frees @waveform.
 */
void
gst_sensor_waveform_free (GstSensorWaveform *waveform)
{
  if (waveform == NULL)
    return;
  g_rand_free (waveform->rand);
  g_free (waveform);
}

/**
 * gst_sensor_waveform_seek: (skip)
 * @waveform: the synthesis state
 * @params: what is synthesised
 * @info: the output format and rate (a regular rate)
 * @sample: the index of the next sample to be written
 *
 * Moves the PPG phase to where @sample lies at @params's heart rate, so
 * that a stream restarted there continues the wave. The noise generator
 * goes on.
 */
void
gst_sensor_waveform_seek (GstSensorWaveform *waveform,
    const GstSensorWaveformParams *params, const GstSensorInfo *info,
    guint64 sample)
{
  g_return_if_fail (waveform != NULL && params != NULL && info != NULL);
  g_return_if_fail (info->rate_n > 0);

  waveform->ppg_phase = fmod ((gdouble) sample * params->heart_rate /
          (60.0 * gst_sensor_info_get_rate (info)),
      1.0);
}

static gdouble
ppg_shape (gdouble phase)
{
  /* systolic peak, then the diastolic wave; the dip between them is the
   * dicrotic notch */
  gdouble a = (phase - 0.15) / 0.05, b = (phase - 0.42) / 0.08;

  return exp (-0.5 * a * a) + 0.4 * exp (-0.5 * b * b);
}

static gdouble
counter_value (GstSensorFormat format, guint64 n)
{
  gint64 min, max, span, v;

  if (!gst_sensor_format_get_int_range (format, &min, &max))
    return (gdouble) n;
  span = max - min + 1;
  v = (gint64) (n % (guint64) span);
  if (v > max)
    v -= span;
  return (gdouble) v;
}

static void
generate_frame (GstSensorWaveform *wf, const GstSensorWaveformParams *p,
    const GstSensorInfo *info, guint64 n, gdouble *values, gint channels)
{
  gdouble rate = gst_sensor_info_get_rate (info);
  gdouble t = (gdouble) n / rate;
  gdouble w = 2 * G_PI * p->motion_frequency * t;
  gdouble noise = 0, v = 0;
  gint c;

  for (c = 0; c < channels; c++)
    values[c] = 0;

  switch (p->kind) {
    case GST_SENSOR_WAVEFORM_PPG:
      v = p->ppg_baseline + p->ppg_amplitude * ppg_shape (wf->ppg_phase);
      wf->ppg_phase = fmod (wf->ppg_phase + p->heart_rate / (60.0 * rate), 1.0);
      for (c = 0; c < channels; c++)
        values[c] = v;
      break;
    case GST_SENSOR_WAVEFORM_ACCEL:
      values[0] = p->motion * sin (w);
      if (channels > 1)
        values[1] = 0.5 * p->motion * sin (w + G_PI / 3);
      if (channels > 2)
        values[2] = STANDARD_GRAVITY + 0.3 * p->motion * sin (2 * w);
      break;
    case GST_SENSOR_WAVEFORM_GYRO:
      values[0] = p->gyro_amplitude * sin (w);
      if (channels > 1)
        values[1] = 0.6 * p->gyro_amplitude * cos (w);
      if (channels > 2)
        values[2] = 0.3 * p->gyro_amplitude * sin (2 * w);
      break;
    case GST_SENSOR_WAVEFORM_SINE:
      v = p->offset + p->amplitude * sin (2 * G_PI * p->frequency * t);
      for (c = 0; c < channels; c++)
        values[c] = v;
      break;
    case GST_SENSOR_WAVEFORM_SQUARE:
      v = sin (2 * G_PI * p->frequency * t) >= 0 ? 1 : -1;
      for (c = 0; c < channels; c++)
        values[c] = p->offset + p->amplitude * v;
      break;
    case GST_SENSOR_WAVEFORM_NOISE:
      for (c = 0; c < channels; c++)
        values[c] =
            p->offset + p->amplitude * g_rand_double_range (wf->rand, -1, 1);
      break;
    case GST_SENSOR_WAVEFORM_CONSTANT:
      v = p->offset;
      for (c = 0; c < channels; c++)
        values[c] = v;
      break;
    case GST_SENSOR_WAVEFORM_COUNTER:
      v = counter_value (info->format, n);
      for (c = 0; c < channels; c++)
        values[c] = v;
      return; /* exact: no noise, no scaling */
    default:
      g_assert_not_reached ();
  }

  if (p->noise_level > 0) {
    for (c = 0; c < channels; c++) {
      noise = p->noise_level * g_rand_double_range (wf->rand, -1, 1);
      values[c] += noise;
    }
  }
}

/* Integer output without a call per value; the same rounding, saturation
 * and NaN rule as gst_sensor_sample_write(). */
typedef struct
{
  guint width;
  gint64 min, max;
  gdouble dmin, dmax;
} IntWriter;

static void
int_writer_init (IntWriter *w, GstSensorFormat format)
{
  w->width = gst_sensor_format_get_width (format);
  gst_sensor_format_get_int_range (format, &w->min, &w->max);
  w->dmin = (gdouble) w->min;
  w->dmax = (gdouble) w->max;
}

static inline gint64
int_writer_round (const IntWriter *w, gdouble value)
{
  gint64 iv;
  gdouble rest;

  /* min and max are integers, so saturating before rounding gives what
   * round() then saturating gives; in range, the conversion truncates
   * exactly and the remainder is exact, so half-way cases round away from
   * zero as round() does, without a libm call */
  if (G_UNLIKELY (isnan (value)))
    return 0;
  if (G_UNLIKELY (value <= w->dmin))
    return w->min;
  if (G_UNLIKELY (value >= w->dmax))
    return w->max;
  iv = (gint64) value;
  rest = value - (gdouble) iv;
  /* without branches: the remainder of a signal is unpredictable */
  return iv + (rest >= 0.5) - (rest <= -0.5);
}

static inline void
int_writer_store (const IntWriter *w, guint8 *data, gint64 iv)
{
  switch (w->width) {
    case 1:
      data[0] = (guint8) iv;
      break;
    case 2:
      GST_WRITE_UINT16_LE (data, (guint16) iv);
      break;
    case 3:
      GST_WRITE_UINT24_LE (data, (guint32) iv & 0xffffff);
      break;
    default:
      GST_WRITE_UINT32_LE (data, (guint32) iv);
      break;
  }
}

/* Writes @n values, each to all @channels, with @scale (and per-channel
 * noise, drawn in the generic path's order); returns the end of output. */
static guint8 *
int_writer_write_run (const IntWriter *w, GstSensorWaveform *wf,
    gdouble noise_level, guint8 *data, const gdouble *values, guint n,
    gint channels, gdouble scale)
{
  guint k;
  gint c;

  if (noise_level > 0) {
    for (k = 0; k < n; k++) {
      for (c = 0; c < channels; c++) {
        gdouble noise = noise_level * g_rand_double_range (wf->rand, -1, 1);

        int_writer_store (
            w, data, int_writer_round (w, (values[k] + noise) * scale));
        data += w->width;
      }
    }
  } else if (channels == 1 && w->width == 2) {
    /* the common case, for the compiler to keep in registers */
    for (k = 0; k < n; k++)
      GST_WRITE_UINT16_LE (
          data + 2 * k, (guint16) int_writer_round (w, values[k] * scale));
    data += 2 * n;
  } else {
    for (k = 0; k < n; k++) {
      gint64 iv = int_writer_round (w, values[k] * scale);

      for (c = 0; c < channels; c++) {
        int_writer_store (w, data, iv);
        data += w->width;
      }
    }
  }
  return data;
}

/* Runs of the pulse shape are restarted from exp() at every beat and at
 * least this often; over 256 steps the recurrence stays within ~5e-13 of
 * the exact shape (peak 1), at any step. */
#define PPG_RUN_MAX 256

/* Whether the incremental PPG synthesis is used: integer output (it
 * rounds away the recurrence's ~5e-13 error, which floats would keep), a
 * phase step below one beat, and an amplitude at which that error stays
 * under 1e-6 of a code, so only values that lie on a rounding tie (to
 * 1e-6) could come out one code apart. */
static gboolean
fast_ppg_ok (const GstSensorWaveformParams *p, const GstSensorInfo *info,
    gdouble step, gdouble scale)
{
  return !gst_sensor_format_is_float (info->format) && step > 0 && step < 1.0 &&
      fabs (p->ppg_amplitude * scale) < 1e6;
}

/* The ppg waveform into an integer format. The phase advances exactly as
 * in generate_frame(); each Gaussian exp(-x^2 / 2) of ppg_shape() follows
 * x_k = x_0 + k dx by the exact recurrence g(k+1) = g(k) r(k),
 * r(k+1) = r(k) q with r(k) = exp(-dx (x_0 + (k + 1/2) dx)), q = exp(-dx^2):
 * four exp() per run instead of two per sample. A run goes on across
 * buffers when the phase and step are where it left them, so the output
 * does not depend on the buffer size. */
static void
fill_ppg_int (GstSensorWaveform *wf, const GstSensorWaveformParams *p,
    const GstSensorInfo *info, guint8 *data, guint n_samples, gdouble step,
    gdouble scale)
{
  const gint channels = info->channels;
  const gdouble baseline = p->ppg_baseline, amplitude = p->ppg_amplitude;
  const gdouble da = step / 0.05, db = step / 0.08;
  PpgRun *run = &wf->ppg_run;
  gdouble values[PPG_RUN_MAX];
  gdouble phase = wf->ppg_phase;
  IntWriter w;
  guint i = 0;

  int_writer_init (&w, info->format);
  if (run->step != step) {
    run->step = step;
    run->qa = exp (-da * da);
    run->qb = exp (-db * db);
    run->left = 0;
  }
  if (run->phase != phase)
    run->left = 0;

  while (i < n_samples) {
    gdouble ga, ra, gb, rb;
    guint len, k = 0;

    if (run->left == 0) {
      gdouble xa = (phase - 0.15) / 0.05, xb = (phase - 0.42) / 0.08;

      run->ga = exp (-0.5 * xa * xa);
      run->ra = exp (-da * (xa + 0.5 * da));
      run->gb = exp (-0.5 * xb * xb);
      run->rb = exp (-db * (xb + 0.5 * db));
      run->left = PPG_RUN_MAX;
    }
    ga = run->ga, ra = run->ra, gb = run->gb, rb = run->rb;
    len = MIN (n_samples - i, run->left);
    while (k < len) {
      values[k++] = baseline + amplitude * (ga + 0.4 * gb);
      ga *= ra;
      ra *= run->qa;
      gb *= rb;
      rb *= run->qb;
      /* fmod (phase + step, 1.0) for 0 <= phase < 1 and 0 < step < 1 */
      phase += step;
      if (phase >= 1.0) {
        phase -= 1.0;
        run->left = k; /* a new beat starts a new run */
        break;
      }
    }
    run->left -= k;
    run->ga = ga, run->ra = ra, run->gb = gb, run->rb = rb;
    data = int_writer_write_run (
        &w, wf, p->noise_level, data, values, k, channels, scale);
    i += k;
  }
  wf->ppg_phase = run->phase = phase;
}

/* The counter waveform into an integer format: exact integers, no noise,
 * no scaling, as counter_value(). */
static void
fill_counter_int (const GstSensorInfo *info, guint64 first_sample, guint8 *data,
    guint n_samples)
{
  const gint channels = info->channels;
  IntWriter w;
  gint64 v;
  guint i;
  gint c;

  int_writer_init (&w, info->format);
  v = (gint64) (first_sample % (guint64) (w.max - w.min + 1));
  if (v > w.max)
    v -= w.max - w.min + 1;
  if (channels == 1 && w.width == 2) {
    /* the common case, for the compiler to keep in registers */
    for (i = 0; i < n_samples; i++) {
      GST_WRITE_UINT16_LE (data + 2 * i, (guint16) v);
      v = v == w.max ? w.min : v + 1;
    }
    return;
  }
  for (i = 0; i < n_samples; i++) {
    for (c = 0; c < channels; c++) {
      int_writer_store (&w, data, v);
      data += w.width;
    }
    v = v == w.max ? w.min : v + 1;
  }
}

static void
fill_frames (GstSensorWaveform *wf, const GstSensorWaveformParams *p,
    const GstSensorInfo *info, guint64 first_sample, guint8 *data,
    guint n_samples)
{
  GstSensorFormat format = info->format;
  gint channels = info->channels;
  guint width = gst_sensor_format_get_width (format);
  gdouble values[GST_SENSOR_MAX_CHANNELS];
  gdouble scale = 1.0;
  gint64 max = 0;
  guint i;
  gint c;

  if (p->full_scale > 0 &&
      gst_sensor_format_get_int_range (format, NULL, &max) &&
      p->kind != GST_SENSOR_WAVEFORM_COUNTER)
    scale = (gdouble) max / p->full_scale;

  if (!gst_sensor_format_is_float (format)) {
    if (p->kind == GST_SENSOR_WAVEFORM_COUNTER) {
      fill_counter_int (info, first_sample, data, n_samples);
      return;
    }
    if (p->kind == GST_SENSOR_WAVEFORM_PPG) {
      /* the same step as generate_frame() */
      gdouble step = p->heart_rate / (60.0 * gst_sensor_info_get_rate (info));

      if (fast_ppg_ok (p, info, step, scale)) {
        fill_ppg_int (wf, p, info, data, n_samples, step, scale);
        return;
      }
    }
  }

  for (i = 0; i < n_samples; i++) {
    generate_frame (wf, p, info, first_sample + i, values, channels);
    for (c = 0; c < channels; c++) {
      gst_sensor_sample_write (format, data, values[c] * scale);
      data += width;
    }
  }
}

/**
 * gst_sensor_waveform_fill: (skip)
 * @waveform: the synthesis state
 * @params: what to synthesise
 * @info: the output format, rate and channels (a regular rate)
 * @first_sample: index of the first sample, from the start of the stream
 * @data: (out caller-allocates) (array) (element-type guint8): room for
 *   @n_samples frames of @info
 * @n_samples: number of frames to write
 *
 * Writes @n_samples interleaved frames of @params's waveform, sample k at
 * time (@first_sample + k) / rate. Integer formats get values scaled by
 * @params's full scale, rounded to nearest and saturated as
 * gst_sensor_sample_write() does (the counter is never scaled). The PPG
 * wave and the noise go on from the previous call, so the output does not
 * depend on how the stream is cut into calls.
 */
void
gst_sensor_waveform_fill (GstSensorWaveform *waveform,
    const GstSensorWaveformParams *params, const GstSensorInfo *info,
    guint64 first_sample, guint8 *data, guint n_samples)
{
  g_return_if_fail (waveform != NULL && params != NULL && info != NULL);
  g_return_if_fail (info->rate_n > 0 && info->channels > 0 &&
      info->channels <= GST_SENSOR_MAX_CHANNELS);
  g_return_if_fail (data != NULL || n_samples == 0);

  fill_frames (waveform, params, info, first_sample, data, n_samples);
}
