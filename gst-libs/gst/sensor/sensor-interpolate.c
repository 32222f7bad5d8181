/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:gstsensorinterpolate
 * @title: GstSensorInterpolator
 * @short_description: irregular sensor samples to a regular rate
 *
 * Irregular streams (rate 0/1) carry one frame per buffer, at the buffer's
 * time. A #GstSensorInterpolator turns them into frames at t0 + k / rate
 * (k from 0, times rounded down to the ns): output sample k is released by
 * the first input at or after its time, interpolated linearly between the
 * two inputs around it or held from the earlier one; a drain releases the
 * samples up to the last input time inclusive, held. Values are converted
 * between formats on the way with a full scale, as
 * gst_sensor_convert_samples() does.
 *
 * C only (not in the introspection data): the samples are raw buffers
 * of the element that owns the state.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensor-convert.h"
#include "sensor-interpolate.h"

struct _GstSensorInterpolator
{
  GstSensorFormat in_format, out_format;
  guint in_width, out_width, out_bpf;
  gint channels;
  gint rate_n, rate_d; /* output */
  GstSensorInterpolateMethod method;
  gdouble scale; /* input value -> output value */
  GstClockTime t0;
  guint64 next_out;       /* index of the next output sample */
  GstClockTime last_time; /* of the previous input, NONE before the first */
  gdouble *last, *cur;
};

/* The scale gst_sensor_convert_samples() applies with @full_scale. */
static gdouble
value_scale (GstSensorFormat in, GstSensorFormat out, gdouble full_scale)
{
  gboolean in_float = gst_sensor_format_is_float (in);
  gboolean out_float = gst_sensor_format_is_float (out);
  gint64 max = 0;

  if (full_scale <= 0 || in_float == out_float)
    return 1.0;
  gst_sensor_format_get_int_range (in_float ? out : in, NULL, &max);
  return in_float ? (gdouble) max / full_scale : full_scale / (gdouble) max;
}

/**
 * gst_sensor_interpolator_new: (skip)
 * @in: the input: its format and channels (its rate is not used)
 * @out: the output: its format and a regular rate, the same channels
 * @method: linear or hold
 * @full_scale: the value of the largest integer code for integer <-> float
 *   conversions, 0 to keep values as they are
 *
 * Returns: (transfer full) (nullable): an interpolator starting at t0 = 0,
 *   or %NULL when @out is irregular or the channel counts differ
 */
GstSensorInterpolator *
gst_sensor_interpolator_new (const GstSensorInfo *in, const GstSensorInfo *out,
    GstSensorInterpolateMethod method, gdouble full_scale)
{
  GstSensorInterpolator *interp;

  g_return_val_if_fail (in != NULL && out != NULL, NULL);
  if (out->rate_n <= 0 || out->rate_d <= 0 || in->channels != out->channels ||
      in->channels <= 0)
    return NULL;

  interp = g_new0 (GstSensorInterpolator, 1);
  interp->in_format = in->format;
  interp->out_format = out->format;
  interp->in_width = gst_sensor_format_get_width (in->format);
  interp->out_width = gst_sensor_format_get_width (out->format);
  interp->out_bpf = interp->out_width * out->channels;
  interp->channels = in->channels;
  interp->rate_n = out->rate_n;
  interp->rate_d = out->rate_d;
  interp->method = method;
  interp->scale = value_scale (in->format, out->format, full_scale);
  interp->last = g_new0 (gdouble, in->channels);
  interp->cur = g_new0 (gdouble, in->channels);
  gst_sensor_interpolator_reset (interp, 0);
  return interp;
}

/**
 * gst_sensor_interpolator_free: (skip)
 * @interp: (transfer full) (nullable): an interpolator
 *
 * Frees @interp.
 */
void
gst_sensor_interpolator_free (GstSensorInterpolator *interp)
{
  if (interp == NULL)
    return;
  g_free (interp->last);
  g_free (interp->cur);
  g_free (interp);
}

/**
 * gst_sensor_interpolator_reset: (skip)
 * @interp: an interpolator
 * @t0: time of output sample 0
 *
 * Starts a new grid at @t0 and forgets the previous input.
 */
void
gst_sensor_interpolator_reset (GstSensorInterpolator *interp, GstClockTime t0)
{
  g_return_if_fail (interp != NULL);

  interp->t0 = GST_CLOCK_TIME_IS_VALID (t0) ? t0 : 0;
  interp->next_out = 0;
  interp->last_time = GST_CLOCK_TIME_NONE;
}

/**
 * gst_sensor_interpolator_get_last_time: (skip)
 * @interp: an interpolator
 *
 * Returns: the time of the previous input, %GST_CLOCK_TIME_NONE before the
 *   first since the last reset
 */
GstClockTime
gst_sensor_interpolator_get_last_time (const GstSensorInterpolator *interp)
{
  g_return_val_if_fail (interp != NULL, GST_CLOCK_TIME_NONE);

  return interp->last_time;
}

/* Output sample k lies at t0 + k * rate_d / rate_n s, rounded down. */
static GstClockTime
out_time (const GstSensorInterpolator *interp, guint64 k)
{
  return interp->t0 +
      gst_util_uint64_scale (
          k, (guint64) GST_SECOND * interp->rate_d, interp->rate_n);
}

/**
 * gst_sensor_interpolator_n_before: (skip)
 * @interp: an interpolator
 * @time: the time of the next input
 *
 * Returns: how many output samples an input at @time releases: those
 *   before @time not released yet; 0 for the first input after a reset
 */
guint64
gst_sensor_interpolator_n_before (
    const GstSensorInterpolator *interp, GstClockTime time)
{
  guint64 end;

  g_return_val_if_fail (interp != NULL, 0);
  if (!GST_CLOCK_TIME_IS_VALID (interp->last_time) ||
      !GST_CLOCK_TIME_IS_VALID (time) || time <= interp->t0)
    return 0;
  end = gst_util_uint64_scale_ceil (
      time - interp->t0, interp->rate_n, (guint64) GST_SECOND * interp->rate_d);
  return end > interp->next_out ? end - interp->next_out : 0;
}

static guint64
write_frame (GstSensorInterpolator *interp, guint8 *data, const gdouble *a,
    const gdouble *b, gdouble frac)
{
  guint64 clipped = 0;
  gint c;

  for (c = 0; c < interp->channels; c++) {
    gdouble v = b ? a[c] + (b[c] - a[c]) * frac : a[c];

    clipped += gst_sensor_sample_write (
        interp->out_format, data + c * interp->out_width, v);
  }
  return clipped;
}

/**
 * gst_sensor_interpolator_push: (skip)
 * @interp: an interpolator
 * @time: the time of @frame, after the previous input's
 * @frame: (array) (element-type guint8): one input frame
 * @out: (out caller-allocates) (array) (element-type guint8) (nullable):
 *   room for gst_sensor_interpolator_n_before() output frames
 *
 * Takes the input @frame at @time and writes the output samples it
 * releases into @out.
 *
 * Returns: the number of output values that were clipped
 */
guint64
gst_sensor_interpolator_push (GstSensorInterpolator *interp, GstClockTime time,
    const guint8 *frame, guint8 *out)
{
  guint64 n, k, clipped = 0;
  gdouble *tmp;
  gint c;

  g_return_val_if_fail (interp != NULL && frame != NULL, 0);
  g_return_val_if_fail (GST_CLOCK_TIME_IS_VALID (time), 0);
  g_return_val_if_fail (
      !GST_CLOCK_TIME_IS_VALID (interp->last_time) || time > interp->last_time,
      0);

  for (c = 0; c < interp->channels; c++)
    interp->cur[c] = gst_sensor_sample_read (
                         interp->in_format, frame + c * interp->in_width) *
        interp->scale;

  n = gst_sensor_interpolator_n_before (interp, time);
  g_return_val_if_fail (out != NULL || n == 0, 0);
  if (n > 0) {
    gdouble span = (gdouble) (time - interp->last_time);
    gboolean hold = interp->method == GST_SENSOR_INTERPOLATE_HOLD;

    for (k = 0; k < n; k++) {
      GstClockTime t = out_time (interp, interp->next_out + k);
      gdouble frac = (gdouble) (t - interp->last_time) / span;

      clipped += write_frame (interp, out + k * interp->out_bpf, interp->last,
          hold ? NULL : interp->cur, frac);
    }
    interp->next_out += n;
  }
  tmp = interp->last;
  interp->last = interp->cur;
  interp->cur = tmp;
  interp->last_time = time;
  return clipped;
}

/**
 * gst_sensor_interpolator_n_drain: (skip)
 * @interp: an interpolator
 *
 * Returns: how many output samples gst_sensor_interpolator_drain() writes:
 *   those up to the last input time inclusive not released yet
 */
guint64
gst_sensor_interpolator_n_drain (const GstSensorInterpolator *interp)
{
  guint64 end;

  g_return_val_if_fail (interp != NULL, 0);
  if (!GST_CLOCK_TIME_IS_VALID (interp->last_time) ||
      interp->last_time < interp->t0)
    return 0;
  end = gst_util_uint64_scale (interp->last_time - interp->t0, interp->rate_n,
            (guint64) GST_SECOND * interp->rate_d) +
      1;
  return end > interp->next_out ? end - interp->next_out : 0;
}

/**
 * gst_sensor_interpolator_drain: (skip)
 * @interp: an interpolator
 * @out: (out caller-allocates) (array) (element-type guint8) (nullable):
 *   room for gst_sensor_interpolator_n_drain() output frames
 *
 * Writes the output samples up to the last input time, holding the last
 * input's values, as at the end of a stream.
 *
 * Returns: the number of output values that were clipped
 */
guint64
gst_sensor_interpolator_drain (GstSensorInterpolator *interp, guint8 *out)
{
  guint64 n, k, clipped = 0;

  g_return_val_if_fail (interp != NULL, 0);
  n = gst_sensor_interpolator_n_drain (interp);
  g_return_val_if_fail (out != NULL || n == 0, 0);
  for (k = 0; k < n; k++)
    clipped +=
        write_frame (interp, out + k * interp->out_bpf, interp->last, NULL, 0);
  interp->next_out += n;
  return clipped;
}
