/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* The state sensortestsrc's files share: the element (gstsensortestsrc.c)
 * and its output buffers (gstsensortestsrc-output.c). */
#pragma once

#include <gst/sensor/sensor-caps.h>
#include <gst/sensor/sensor-waveform.h>

#include "gstsensortestsrc.h"

G_BEGIN_DECLS

struct _GstSensorTestSrc
{
  GstBaseSrc parent;

  /* properties, under the object lock */
  gchar *modality;
  GstSensorTestSrcWaveform waveform;
  gint rate;
  guint samples_per_buffer;
  GstClockTimeDiff timestamp_offset;
  /* heart-rate to noise-level, stored where the synthesis reads them;
   * its kind and full_scale are chosen at start (active_*) */
  GstSensorWaveformParams wave;
  guint seed;
  gdouble full_scale;

  /* streaming state */
  GstSensorInfo info;
  GstSensorTestSrcWaveform active_waveform;
  gdouble active_full_scale;
  guint spb;
  guint64 next_sample;
  GstSensorWaveform *synth; /* from start to stop */
  gboolean discont;
  gboolean live; /* is-live, fixed from start to stop */
  /* the pipeline's epoch anchor as last read: epoch of running time 0,
   * valid while the base time stays (anchors only move when it changes) */
  gboolean have_epoch_zero;
  GstClockTime epoch_zero;
  GstClockTime epoch_base_time;
  /* the pool made here when downstream offered none (its buffers keep their
   * epoch meta between uses) */
  GstBufferPool *own_pool;
};

/* gstsensortestsrc-output.c */
GstClockTime gst_sensor_test_src_epoch_for_running_time (
    GstSensorTestSrc *self, GstClockTime running_time);
void gst_sensor_test_src_choose_pool (GstSensorTestSrc *self, GstQuery *query);
void gst_sensor_test_src_set_buffer_epoch (
    GstSensorTestSrc *self, GstBuffer *buf, GstClockTime epoch);

G_END_DECLS
