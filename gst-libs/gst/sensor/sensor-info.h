/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sensor/sensor-format.h>

G_BEGIN_DECLS

/**
 * GstSensorInfo:
 * @format: the sample format
 * @rate_n: rate numerator in Hz
 * @rate_d: rate denominator; a rate of 0/1 means irregular: one sample per
 *   buffer, each buffer's PTS is that sample's time
 * @channels: interleaved channels, 1..64
 * @bpf: bytes per frame (one sample of every channel)
 * @modality: (nullable): modality name, e.g. "ppg_green"
 * @unit: (nullable): physical unit of the values, e.g. "m/s^2"
 *
 * The `sensor/x-raw` caps fields, the way #GstAudioInfo describes audio.
 */
typedef struct
{
  GstSensorFormat format;
  gint rate_n;
  gint rate_d;
  gint channels;
  gint bpf;
  gchar *modality;
  gchar *unit;

  /*< private >*/
  gpointer _gst_reserved[GST_PADDING];
} GstSensorInfo;

/**
 * GST_SENSOR_INFO_IS_IRREGULAR:
 * @info: a #GstSensorInfo
 *
 * Whether @info describes an irregular stream (rate 0/1).
 */
#define GST_SENSOR_INFO_IS_IRREGULAR(info) ((info)->rate_n == 0)

/**
 * GST_TYPE_SENSOR_INFO:
 *
 * The boxed #GType of #GstSensorInfo.
 */
#define GST_TYPE_SENSOR_INFO (gst_sensor_info_get_type ())

GST_SENSOR_API
GType gst_sensor_info_get_type (void);

GST_SENSOR_API
GstSensorInfo *gst_sensor_info_new (void);

GST_SENSOR_API
GstSensorInfo *gst_sensor_info_new_from_caps (const GstCaps *caps);

GST_SENSOR_API
GstSensorInfo *gst_sensor_info_copy (const GstSensorInfo *info);

GST_SENSOR_API
void gst_sensor_info_free (GstSensorInfo *info);

GST_SENSOR_API
void gst_sensor_info_init (GstSensorInfo *info);

GST_SENSOR_API
void gst_sensor_info_clear (GstSensorInfo *info);

GST_SENSOR_API
void gst_sensor_info_copy_into (GstSensorInfo *dest, const GstSensorInfo *src);

GST_SENSOR_API
void gst_sensor_info_set_format (GstSensorInfo *info, GstSensorFormat format,
    gint rate_n, gint rate_d, gint channels, const gchar *modality,
    const gchar *unit);

GST_SENSOR_API
gboolean gst_sensor_info_from_caps (GstSensorInfo *info, const GstCaps *caps);

GST_SENSOR_API
GstCaps *gst_sensor_info_to_caps (const GstSensorInfo *info);

GST_SENSOR_API
gboolean gst_sensor_info_is_equal (
    const GstSensorInfo *a, const GstSensorInfo *b);

GST_SENSOR_API
gdouble gst_sensor_info_get_rate (const GstSensorInfo *info);

GST_SENSOR_API
GstClockTime gst_sensor_info_samples_to_time (
    const GstSensorInfo *info, guint64 samples);

GST_SENSOR_API
guint64 gst_sensor_info_time_to_samples (
    const GstSensorInfo *info, GstClockTime time);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstSensorInfo, gst_sensor_info_free)

G_END_DECLS
