/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * GstRaehHrEstimate:
 * @bpm: heart rate, beats per minute (0 when no rhythm was found)
 * @confidence: coverage x (1 - gap fraction) of the analysis window, 0..1
 * @n_peaks: peaks found in the window
 *
 * Result of a peak-detection heart-rate estimate over a PPG window.
 */
typedef struct
{
  gdouble bpm;
  gdouble confidence;
  guint n_peaks;
} GstRaehHrEstimate;

gboolean gst_raeh_hr_estimate (const gdouble *samples, guint n_samples,
    gdouble rate_hz, gdouble window_s, gdouble gap_s,
    GstRaehHrEstimate *estimate);

const gchar *gst_raeh_sqi_class (gdouble confidence);

G_END_DECLS
