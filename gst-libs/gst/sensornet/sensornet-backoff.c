/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Exponential reconnect backoff with jitter and a retry budget.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>

#include "sensornet-backoff.h"

/* seed 0 asks for a non-reproducible sequence; any other value makes the
 * jitter reproducible (tests). */
void
gst_sensor_net_backoff_init (GstSensorNetBackoff *backoff, gdouble initial_s,
    gdouble factor, gdouble max_s, gdouble jitter, gint retries, guint32 seed)
{
  g_return_if_fail (backoff != NULL);

  backoff->initial_s = MAX (initial_s, 0.0);
  backoff->factor = MAX (factor, 1.0);
  backoff->max_s = MAX (max_s, backoff->initial_s);
  backoff->jitter = CLAMP (jitter, 0.0, 1.0);
  backoff->retries = retries < 0 ? -1 : retries;
  backoff->attempt = 0;
  backoff->rand = seed ? g_rand_new_with_seed (seed) : g_rand_new ();
}

void
gst_sensor_net_backoff_clear (GstSensorNetBackoff *backoff)
{
  g_return_if_fail (backoff != NULL);

  g_clear_pointer (&backoff->rand, g_rand_free);
  backoff->attempt = 0;
}

GstClockTime
gst_sensor_net_backoff_next (GstSensorNetBackoff *backoff)
{
  gdouble delay;

  g_return_val_if_fail (backoff != NULL, GST_CLOCK_TIME_NONE);

  if (backoff->retries >= 0 && backoff->attempt >= (guint) backoff->retries)
    return GST_CLOCK_TIME_NONE;
  backoff->attempt++;

  /* factor^(n-1) overflows to inf for large n, which MIN() then caps. */
  delay = backoff->initial_s * pow (backoff->factor, backoff->attempt - 1);
  delay = MIN (delay, backoff->max_s);
  if (backoff->jitter > 0.0 && delay > 0.0) {
    gdouble r = backoff->rand ? g_rand_double_range (backoff->rand, -1.0, 1.0) :
                                g_random_double_range (-1.0, 1.0);
    delay += delay * backoff->jitter * r;
  }
  delay = MAX (delay, 0.0);

  return (GstClockTime) (delay * GST_SECOND + 0.5);
}

void
gst_sensor_net_backoff_reset (GstSensorNetBackoff *backoff)
{
  g_return_if_fail (backoff != NULL);

  backoff->attempt = 0;
}
