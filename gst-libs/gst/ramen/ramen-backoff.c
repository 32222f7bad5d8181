/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>

#include "ramen-backoff.h"

void
gst_ramen_backoff_init (GstRamenBackoff *backoff, gdouble initial_s,
    gdouble factor, gdouble max_s, gdouble jitter, gint retries, guint32 seed)
{
  backoff->initial_s = MAX (initial_s, 0.0);
  backoff->factor = MAX (factor, 1.0);
  backoff->max_s = MAX (max_s, backoff->initial_s);
  backoff->jitter = CLAMP (jitter, 0.0, 1.0);
  backoff->retries = retries;
  backoff->attempt = 0;
  backoff->rand = g_rand_new_with_seed (seed);
}

void
gst_ramen_backoff_clear (GstRamenBackoff *backoff)
{
  g_clear_pointer (&backoff->rand, g_rand_free);
}

gint64
gst_ramen_backoff_next (GstRamenBackoff *backoff)
{
  gdouble delay;

  if (backoff->retries >= 0 && backoff->attempt >= (guint) backoff->retries)
    return -1;
  delay =
      backoff->initial_s * pow (backoff->factor, MIN (backoff->attempt, 64));
  delay = MIN (delay, backoff->max_s);
  if (backoff->jitter > 0 && backoff->rand)
    delay += delay * backoff->jitter *
        g_rand_double_range (backoff->rand, -1.0, 1.0);
  backoff->attempt++;
  return (gint64) (MAX (delay, 0.0) * G_USEC_PER_SEC);
}

void
gst_ramen_backoff_reset (GstRamenBackoff *backoff)
{
  backoff->attempt = 0;
}
