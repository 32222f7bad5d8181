/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * GstSensorNetBackoff:
 * @initial_s: first delay, seconds
 * @factor: growth per attempt, >= 1
 * @max_s: largest delay, seconds
 * @jitter: 0..1, fraction of the delay
 * @retries: attempts before giving up, -1 = forever
 *
 * Reconnect policy shared by every network element (WebSocket and gRPC):
 * the n-th retry waits min(initial * factor^(n-1), max), with a random
 * jitter of +-jitter of that delay, and gives up after @retries attempts
 * (-1 = forever). Pure logic; the random source is injectable for tests.
 */
typedef struct
{
  gdouble initial_s;
  gdouble factor;
  gdouble max_s;
  gdouble jitter;
  gint retries;

  /*< private >*/
  guint attempt;
  GRand *rand;
} GstSensorNetBackoff;

void gst_sensor_net_backoff_init (GstSensorNetBackoff *backoff,
    gdouble initial_s, gdouble factor, gdouble max_s, gdouble jitter,
    gint retries, guint32 seed);

void gst_sensor_net_backoff_clear (GstSensorNetBackoff *backoff);

GstClockTime gst_sensor_net_backoff_next (GstSensorNetBackoff *backoff);

void gst_sensor_net_backoff_reset (GstSensorNetBackoff *backoff);

G_END_DECLS
