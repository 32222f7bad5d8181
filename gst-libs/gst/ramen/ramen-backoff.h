/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Reconnect policy (the same contract as the shared sensor-backoff.h, kept
 * here until that lands): the n-th retry waits min(initial * factor^(n-1),
 * max) +- jitter, and gives up after @retries attempts (-1 = forever). */
typedef struct
{
  gdouble initial_s;
  gdouble factor;
  gdouble max_s;
  gdouble jitter;
  gint retries;
  guint attempt;
  GRand *rand;
} GstRamenBackoff;

void gst_ramen_backoff_init (GstRamenBackoff *backoff, gdouble initial_s,
    gdouble factor, gdouble max_s, gdouble jitter, gint retries, guint32 seed);
void gst_ramen_backoff_clear (GstRamenBackoff *backoff);
/* Delay in microseconds before the next attempt, or -1 when the retries
 * are exhausted. Advances the attempt counter. */
gint64 gst_ramen_backoff_next (GstRamenBackoff *backoff);
void gst_ramen_backoff_reset (GstRamenBackoff *backoff);

G_END_DECLS
