/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* What the two source files of sensorresample share: the instance, the
 * timeline and counters (gstsensorresample.c) and the regular-input path
 * through GstAudioResampler (gstsensorresample-regular.c). */
#pragma once

#include <gst/audio/audio.h>
#include <gst/sensor/sensor.h>
#include <gst/sensor/sensor-interpolate.h>

#include "gstsensorresample.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (sensor_resample_debug);
#define GST_CAT_DEFAULT sensor_resample_debug

/* the stats counters, since start */
enum {
  GST_SENSOR_RESAMPLE_COUNTER_IN,
  GST_SENSOR_RESAMPLE_COUNTER_OUT,
  GST_SENSOR_RESAMPLE_COUNTER_CLIPPED,
  GST_SENSOR_RESAMPLE_COUNTER_NON_MONOTONIC,
  GST_SENSOR_RESAMPLE_COUNTER_BAD_SIZE,
  GST_SENSOR_RESAMPLE_COUNTER_DISCONT,
  GST_SENSOR_RESAMPLE_COUNTER_GAPS,
  GST_SENSOR_RESAMPLE_N_COUNTERS,
};

struct _GstSensorResample
{
  GstBaseTransform parent;

  /* properties, object lock */
  GstSensorResampleMethod method;
  gint quality;
  gdouble full_scale;

  /* negotiated configuration, streaming thread */
  GstSensorInfo in_info;
  GstSensorInfo out_info;
  gboolean configured;
  GstSensorResampleMethod cur_method;
  gdouble cur_full_scale;

  /* regular -> regular */
  GstAudioResampler *resampler; /* NULL when the rates are equal */
  GstSensorFormat work_format;  /* format the resampler runs in */
  gint rs_in_rate, rs_out_rate; /* reduced integer rate ratio */
  gdouble pre_full_scale;       /* input -> work conversion */
  gdouble post_full_scale;      /* work -> output conversion */
  guint8 *pre_buf, *post_buf;
  gsize pre_size, post_size;

  /* irregular -> regular */
  GstSensorInterpolator *interp;

  /* the current timeline, since the last (re)start */
  gboolean started;
  gboolean out_discont;
  GstClockTime t0;
  GstClockTime epoch0; /* epoch of t0, NONE while unknown */
  guint64 in_count;
  guint64 out_count;

  gboolean warned_non_monotonic;
  gboolean warned_bad_size;
  gboolean warned_full_scale;
  guint64 pend_in, pend_out, pend_clipped; /* not yet in the stats */

  /* object lock */
  GstClockTime latency;
  GstSensorCounters *counters; /* GST_SENSOR_RESAMPLE_COUNTER_* */
};

/* gstsensorresample.c */
void gst_sensor_resample_restart (GstSensorResample *self, GstBuffer *inbuf);
void gst_sensor_resample_learn_epoch (
    GstSensorResample *self, GstBuffer *inbuf);
void gst_sensor_resample_stamp_output (
    GstSensorResample *self, GstBuffer *outbuf, guint64 n);
void gst_sensor_resample_count_clipped (
    GstSensorResample *self, guint64 clipped);
void gst_sensor_resample_count_input (GstSensorResample *self, guint64 n);
GstFlowReturn gst_sensor_resample_end_timeline (
    GstSensorResample *self, GstFlowReturn drained);
void gst_sensor_resample_skip_bad_size (
    GstSensorResample *self, GstBuffer *inbuf, gsize size);
GstFlowReturn gst_sensor_resample_push_downstream (
    GstSensorResample *self, GstBuffer *buf);

/* gstsensorresample-regular.c */
gboolean gst_sensor_resample_configure_regular (
    GstSensorResample *self, gint quality);
GstFlowReturn gst_sensor_resample_drain_regular (GstSensorResample *self);
GstFlowReturn gst_sensor_resample_process_regular (
    GstSensorResample *self, GstBuffer *inbuf, GstBuffer **outbuf);

G_END_DECLS
