/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:sensornet-backoff
 * @title: Reconnect backoff
 * @short_description: exponential reconnect delays with jitter and a retry
 *   budget
 *
 * Exponential reconnect backoff with jitter and a retry budget.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>

#include "sensornet-backoff.h"

/**
 * gst_sensor_net_backoff_init:
 * @backoff: (out caller-allocates): the policy
 * @initial_s: first delay, seconds
 * @factor: growth per attempt, >= 1
 * @max_s: largest delay, seconds
 * @jitter: 0..1, fraction of the delay
 * @retries: attempts before giving up, -1 = forever
 * @seed: seed of the jitter's random source (tests pass a fixed one)
 *
 * Sets up @backoff at its first attempt. Free it with
 * gst_sensor_net_backoff_clear().
 */
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

/**
 * gst_sensor_net_backoff_clear:
 * @backoff: a policy
 *
 * Frees what @backoff holds.
 */
void
gst_sensor_net_backoff_clear (GstSensorNetBackoff *backoff)
{
  g_return_if_fail (backoff != NULL);

  g_clear_pointer (&backoff->rand, g_rand_free);
  backoff->attempt = 0;
}

/**
 * gst_sensor_net_backoff_next:
 * @backoff: a policy
 *
 * The delay before the next attempt. Advances the attempt counter.
 *
 * Returns: the delay, or %GST_CLOCK_TIME_NONE when retries are exhausted
 */
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

/**
 * gst_sensor_net_backoff_reset:
 * @backoff: a policy
 *
 * A connection succeeded: start from the first delay again.
 */
void
gst_sensor_net_backoff_reset (GstSensorNetBackoff *backoff)
{
  g_return_if_fail (backoff != NULL);

  backoff->attempt = 0;
}
