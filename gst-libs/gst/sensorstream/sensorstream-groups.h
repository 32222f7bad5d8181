/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/sensorstream/sensorstream-reading.h>

G_BEGIN_DECLS

/**
 * GST_SENSOR_STREAM_N_GROUPS:
 *
 * How many groups of fields a reading is split into (see
 * gst_sensor_stream_group_get()).
 */
#define GST_SENSOR_STREAM_N_GROUPS 7

/**
 * GST_SENSOR_STREAM_GROUP_MAX_CHANNELS:
 *
 * The most samples one group of a reading has (accel and gyro: x y z).
 */
#define GST_SENSOR_STREAM_GROUP_MAX_CHANNELS 3

/**
 * GstSensorStreamGroup:
 * @name: the group's name, as in pad names ("accel", "gyro", ...)
 * @modality: its sensor modality in caps
 * @unit: its unit in caps
 * @channels: samples per reading
 * @flag: the #GstSensorStreamFields bit a reading carries it with, 0 when
 *   every reading carries it
 *
 * One group of a reading's fields: one stream of its device.
 */
typedef struct
{
  const gchar *name;
  const gchar *modality;
  const gchar *unit;
  gint channels;
  guint flag;
} GstSensorStreamGroup;

const GstSensorStreamGroup *gst_sensor_stream_group_get (guint group);

GstCaps *gst_sensor_stream_group_caps (guint group);

gboolean gst_sensor_stream_reading_has_group (
    const GstSensorStreamReading *reading, guint group);

guint gst_sensor_stream_reading_group_samples (
    const GstSensorStreamReading *reading, guint group,
    gfloat samples[GST_SENSOR_STREAM_GROUP_MAX_CHANNELS]);

G_END_DECLS
