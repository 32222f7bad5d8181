/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* sensorresample, regular input (rate > 0): rate conversion through the
 * GstAudioResampler windowed-sinc filter in a work format it supports, with
 * the integer <-> float conversions on either side. Kept in the element
 * (not libgstsensor) because it needs libgstaudio. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstsensorresample-private.h"

static GstAudioFormat
audio_format_for (GstSensorFormat f)
{
  switch (f) {
    case GST_SENSOR_FORMAT_S16LE:
      return GST_AUDIO_FORMAT_S16LE;
    case GST_SENSOR_FORMAT_S32LE:
      return GST_AUDIO_FORMAT_S32LE;
    case GST_SENSOR_FORMAT_F32LE:
      return GST_AUDIO_FORMAT_F32LE;
    case GST_SENSOR_FORMAT_F64LE:
      return GST_AUDIO_FORMAT_F64LE;
    default:
      return GST_AUDIO_FORMAT_UNKNOWN;
  }
}

/* The resampler runs in S16, S32, F32 or F64. Float input stays float;
 * integer input goes float when the output is float (no rounding in
 * between), else stays in its own format when the resampler has it. */
static GstSensorFormat
choose_work_format (GstSensorFormat in, GstSensorFormat out)
{
  if (gst_sensor_format_is_float (in))
    return in;
  if (gst_sensor_format_is_float (out))
    return out;
  switch (in) {
    case GST_SENSOR_FORMAT_S16LE:
    case GST_SENSOR_FORMAT_S32LE:
      return in;
    case GST_SENSOR_FORMAT_S24LE:
      return GST_SENSOR_FORMAT_F64LE;
    default:
      return GST_SENSOR_FORMAT_F32LE;
  }
}

static gint64
gcd64 (gint64 a, gint64 b)
{
  while (b != 0) {
    gint64 t = a % b;

    a = b;
    b = t;
  }
  return a;
}

gboolean
gst_sensor_resample_configure_regular (GstSensorResample *self, gint quality)
{
  GstSensorInfo *in = &self->in_info, *out = &self->out_info;
  gint64 a = (gint64) in->rate_n * out->rate_d;
  gint64 b = (gint64) out->rate_n * in->rate_d;
  gint64 g = gcd64 (a, b);
  GstStructure *options;
  GstClockTime latency;

  a /= g;
  b /= g;
  if (a == b)
    return TRUE; /* same rate: format conversion only */

  if (a > G_MAXINT || b > G_MAXINT) {
    GST_WARNING_OBJECT (self,
        "rate ratio %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " is too large", a,
        b);
    return FALSE;
  }
  if (G_BYTE_ORDER != G_LITTLE_ENDIAN) {
    GST_WARNING_OBJECT (self, "rate conversion needs a little-endian host");
    return FALSE;
  }
  self->rs_in_rate = a;
  self->rs_out_rate = b;
  self->work_format = choose_work_format (in->format, out->format);
  self->pre_full_scale =
      gst_sensor_format_is_float (out->format) ? self->cur_full_scale : 0;
  self->post_full_scale = gst_sensor_format_is_float (in->format) !=
          gst_sensor_format_is_float (out->format) ?
      self->cur_full_scale :
      0;

  options = gst_structure_new_empty ("options");
  gst_audio_resampler_options_set_quality (
      GST_AUDIO_RESAMPLER_METHOD_KAISER, quality, a, b, options);
  /* The default cubic interpolation of the filter table delays the output
   * by about 1/8 input sample in GStreamer 1.22 (2% phase error for a 1 Hz
   * wave at 50 Hz); linear interpolation keeps sample k at t0 + k/rate. */
  gst_structure_set (options, GST_AUDIO_RESAMPLER_OPT_FILTER_INTERPOLATION,
      GST_TYPE_AUDIO_RESAMPLER_FILTER_INTERPOLATION,
      GST_AUDIO_RESAMPLER_FILTER_INTERPOLATION_LINEAR, NULL);
  self->resampler = gst_audio_resampler_new (GST_AUDIO_RESAMPLER_METHOD_KAISER,
      GST_AUDIO_RESAMPLER_FLAG_NONE, audio_format_for (self->work_format),
      in->channels, a, b, options);
  gst_structure_free (options);
  if (self->resampler == NULL) {
    GST_WARNING_OBJECT (self, "no resampler for %d -> %d", (gint) a, (gint) b);
    return FALSE;
  }
  latency = gst_util_uint64_scale (
      gst_audio_resampler_get_max_latency (self->resampler),
      (guint64) GST_SECOND * in->rate_d, in->rate_n);
  GST_OBJECT_LOCK (self);
  self->latency = latency;
  GST_OBJECT_UNLOCK (self);
  GST_INFO_OBJECT (self,
      "resampling %d/%d -> %d/%d Hz in %s, quality %d, "
      "latency %" GST_TIME_FORMAT,
      in->rate_n, in->rate_d, out->rate_n, out->rate_d,
      gst_sensor_format_to_string (self->work_format), quality,
      GST_TIME_ARGS (latency));
  return TRUE;
}

static guint8 *
scratch (guint8 **buf, gsize *size, gsize need)
{
  if (*size < need) {
    g_free (*buf);
    *buf = g_malloc (need);
    *size = need;
  }
  return *buf;
}

/* Runs @in_frames of work-format samples (NULL = zeros) through the
 * resampler and converts the first @keep of the @out_frames results into
 * @out (room for @out_frames). */
static void
resample_into (GstSensorResample *self, gpointer in, gsize in_frames,
    guint8 *out, gsize out_frames, gsize keep)
{
  gint channels = self->in_info.channels;
  guint work_w = gst_sensor_format_get_width (self->work_format);
  gboolean direct = self->work_format == self->out_info.format;
  guint8 *dst = direct ? out :
                         scratch (&self->post_buf, &self->post_size,
                             MAX (out_frames, 1) * channels * work_w);
  gpointer in_planes[1] = { in }, out_planes[1] = { dst };

  gst_audio_resampler_resample (self->resampler, in ? in_planes : NULL,
      in_frames, out_planes, out_frames);
  if (!direct && keep > 0)
    gst_sensor_resample_count_clipped (self,
        gst_sensor_convert_samples (self->work_format, dst,
            self->out_info.format, out, keep * channels,
            self->post_full_scale));
}

/* Emits what the filter still holds: as many samples as the input covered
 * (ceil (in * out_rate / in_rate) in total), computed with trailing zeros. */
GstFlowReturn
gst_sensor_resample_drain_regular (GstSensorResample *self)
{
  guint64 total, want;
  gsize zeros, avail;
  GstBuffer *outbuf;
  GstMapInfo map;
  guint8 *tmp;
  gint out_bpf = self->out_info.bpf;

  if (!self->started || self->resampler == NULL)
    return GST_FLOW_OK;
  total = gst_util_uint64_scale_ceil (
      self->in_count, self->rs_out_rate, self->rs_in_rate);
  if (total <= self->out_count)
    return GST_FLOW_OK;
  want = total - self->out_count;

  zeros = gst_audio_resampler_get_in_frames (self->resampler, want);
  avail = gst_audio_resampler_get_out_frames (self->resampler, zeros);
  if (avail < want) {
    zeros += gst_audio_resampler_get_max_latency (self->resampler);
    avail = gst_audio_resampler_get_out_frames (self->resampler, zeros);
  }
  want = MIN (want, avail);
  tmp = g_malloc (MAX (avail, 1) * out_bpf);
  resample_into (self, NULL, zeros, tmp, avail, want);
  gst_audio_resampler_reset (self->resampler);
  if (want == 0) {
    g_free (tmp);
    return GST_FLOW_OK;
  }

  outbuf = gst_buffer_new_allocate (NULL, want * out_bpf, NULL);
  gst_buffer_map (outbuf, &map, GST_MAP_WRITE);
  memcpy (map.data, tmp, want * out_bpf);
  gst_buffer_unmap (outbuf, &map);
  g_free (tmp);
  gst_sensor_resample_stamp_output (self, outbuf, want);
  GST_DEBUG_OBJECT (self, "drained %" G_GUINT64_FORMAT " samples", want);
  return gst_sensor_resample_push_downstream (self, outbuf);
}

GstFlowReturn
gst_sensor_resample_process_regular (
    GstSensorResample *self, GstBuffer *inbuf, GstBuffer **outbuf)
{
  GstSensorInfo *in = &self->in_info;
  GstFlowReturn ret = GST_FLOW_OK;
  GstClockTime pts = GST_BUFFER_PTS (inbuf);
  GstMapInfo imap, omap;
  gsize n, out_frames;
  gpointer work_in = NULL;

  if (gst_buffer_get_size (inbuf) % in->bpf != 0) {
    gst_sensor_resample_skip_bad_size (
        self, inbuf, gst_buffer_get_size (inbuf));
    return GST_FLOW_OK;
  }

  if (self->started) {
    GstClockTime expected = self->t0 +
        gst_util_uint64_scale (
            self->in_count, (guint64) GST_SECOND * in->rate_d, in->rate_n);
    GstClockTime half = gst_util_uint64_scale (
        GST_SECOND, in->rate_d, 2 * (guint64) in->rate_n);
    gboolean jump = GST_CLOCK_TIME_IS_VALID (pts) &&
        GST_CLOCK_DIFF (expected, pts) > (GstClockTimeDiff) half;
    gboolean back = GST_CLOCK_TIME_IS_VALID (pts) &&
        GST_CLOCK_DIFF (pts, expected) > (GstClockTimeDiff) half;

    if (GST_BUFFER_IS_DISCONT (inbuf) || jump || back) {
      GST_DEBUG_OBJECT (self,
          "discontinuity: PTS %" GST_TIME_FORMAT ", expected %" GST_TIME_FORMAT,
          GST_TIME_ARGS (pts), GST_TIME_ARGS (expected));
      ret = gst_sensor_resample_end_timeline (
          self, gst_sensor_resample_drain_regular (self));
      if (ret != GST_FLOW_OK)
        return ret;
    }
  }
  if (!self->started)
    gst_sensor_resample_restart (self, inbuf);
  gst_sensor_resample_learn_epoch (self, inbuf);

  gst_buffer_map (inbuf, &imap, GST_MAP_READ);
  n = imap.size / in->bpf;

  if (self->resampler == NULL) {
    out_frames = n;
  } else {
    if (self->work_format == in->format) {
      work_in = imap.data;
    } else {
      work_in = scratch (&self->pre_buf, &self->pre_size,
          MAX (n, 1) * in->channels *
              gst_sensor_format_get_width (self->work_format));
      gst_sensor_convert_samples (in->format, imap.data, self->work_format,
          work_in, n * in->channels, self->pre_full_scale);
    }
    out_frames = gst_audio_resampler_get_out_frames (self->resampler, n);
  }

  if (out_frames > 0) {
    *outbuf =
        gst_buffer_new_allocate (NULL, out_frames * self->out_info.bpf, NULL);
    gst_buffer_map (*outbuf, &omap, GST_MAP_WRITE);
  } else {
    omap.data = NULL;
  }
  if (self->resampler == NULL)
    gst_sensor_resample_count_clipped (self,
        gst_sensor_convert_samples (in->format, imap.data,
            self->out_info.format, omap.data, n * in->channels,
            self->cur_full_scale));
  else
    resample_into (self, work_in, n, omap.data, out_frames, out_frames);
  gst_buffer_unmap (inbuf, &imap);
  gst_sensor_resample_count_input (self, n);

  if (*outbuf) {
    gst_buffer_unmap (*outbuf, &omap);
    gst_sensor_resample_stamp_output (self, *outbuf, out_frames);
  }
  return GST_FLOW_OK;
}
