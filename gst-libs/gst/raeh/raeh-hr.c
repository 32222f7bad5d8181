/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:raeh-hr
 * @title: Raeh heart rate
 * @short_description: heart rate from a PPG window, and its SQI class
 *
 * Heart rate from a PPG window by peak detection, and the SQI pair the Raeh
 * insights carry. Used by the local cloud's /stream/subscribe.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>

#include "raeh-hr.h"

/* Beats closer than this are one beat (200 bpm). */
#define MIN_BEAT_S 0.3

/**
 * gst_raeh_sqi_class:
 * @confidence: 0..1
 *
 * Returns: "excellent" (>= 0.8), "acceptable" (>= 0.5) or "unfit"
 */
const gchar *
gst_raeh_sqi_class (gdouble confidence)
{
  if (confidence >= 0.8)
    return "excellent";
  if (confidence >= 0.5)
    return "acceptable";
  return "unfit";
}

/**
 * gst_raeh_hr_estimate:
 * @samples: (array length=n_samples): the most recent PPG values, oldest
 *   first, evenly spaced
 * @n_samples: number of values
 * @rate_hz: their rate
 * @window_s: the analysis window that was asked for
 * @gap_s: time inside the window not covered by frames
 * @estimate: (out caller-allocates): the result
 *
 * Removes the baseline with a one-second moving average, takes local maxima
 * above 30% of the way from the mean to the largest excursion, at least
 * %MIN_BEAT_S apart, and averages the beat intervals.
 *
 * Returns: %TRUE when at least three beats were found
 */
gboolean
gst_raeh_hr_estimate (const gdouble *samples, guint n_samples, gdouble rate_hz,
    gdouble window_s, gdouble gap_s, GstRaehHrEstimate *estimate)
{
  gdouble *hp, coverage, gap_fraction, mean = 0, max = -INFINITY, thresh;
  gdouble sum = 0;
  guint half, i, n_peaks = 0, first = 0, last = 0, min_dist;
  gint last_peak = -1;

  estimate->bpm = 0;
  estimate->n_peaks = 0;
  coverage = window_s > 0 ? MIN (1.0, n_samples / rate_hz / window_s) : 0;
  gap_fraction = window_s > 0 ? CLAMP (gap_s / window_s, 0.0, 1.0) : 1.0;
  estimate->confidence = CLAMP (coverage * (1.0 - gap_fraction), 0.0, 1.0);
  if (rate_hz <= 0 || n_samples < rate_hz * 2)
    return FALSE;

  /* baseline removal: centred moving average over about one second */
  half = MAX (1, (guint) (rate_hz / 2));
  hp = g_new (gdouble, n_samples);
  {
    gdouble *prefix = g_new (gdouble, n_samples + 1);

    prefix[0] = 0;
    for (i = 0; i < n_samples; i++)
      prefix[i + 1] = prefix[i] + samples[i];
    for (i = 0; i < n_samples; i++) {
      guint lo = i > half ? i - half : 0;
      guint hi = MIN (n_samples, i + half + 1);

      hp[i] = samples[i] - (prefix[hi] - prefix[lo]) / (hi - lo);
    }
    g_free (prefix);
  }
  for (i = 0; i < n_samples; i++)
    sum += hp[i];
  mean = sum / n_samples;
  for (i = 0; i < n_samples; i++)
    max = MAX (max, hp[i]);
  thresh = mean + 0.3 * (max - mean);
  min_dist = MAX (1, (guint) (MIN_BEAT_S * rate_hz));

  for (i = 1; i + 1 < n_samples; i++) {
    if (hp[i] < thresh || hp[i] < hp[i - 1] || hp[i] <= hp[i + 1])
      continue;
    if (last_peak >= 0 && i - (guint) last_peak < min_dist) {
      /* same beat: keep the higher maximum */
      if (hp[i] > hp[last_peak]) {
        last_peak = i;
        last = i;
        if (n_peaks == 1)
          first = i;
      }
      continue;
    }
    if (n_peaks == 0)
      first = i;
    last = i;
    last_peak = i;
    n_peaks++;
  }
  g_free (hp);

  estimate->n_peaks = n_peaks;
  if (n_peaks < 3 || last <= first)
    return FALSE;
  estimate->bpm = 60.0 * (n_peaks - 1) * rate_hz / (last - first);
  return TRUE;
}
