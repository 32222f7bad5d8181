/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:ramen-heartbeat
 * @title: RAMEN heartbeats
 * @short_description: the heartbeat period of a RAMEN stream
 *
 * How often a RAMEN client expects a heartbeat, and how many it may miss.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ramen-heartbeat.h"

/**
 * gst_ramen_heartbeat_interval_us:
 * @server_seconds: the server's heartbeat_interval_seconds
 * @override_ms: a period for tests, 0 for none
 *
 * Returns: the heartbeat period in microseconds: @override_ms when
 *   non-zero (tests), else the server's heartbeat_interval_seconds clamped
 *   to 5..300 s, or 30 s when the server gives none (<= 0), as the
 *   reference clients do
 */
gint64
gst_ramen_heartbeat_interval_us (gint32 server_seconds, guint override_ms)
{
  gint64 s;

  if (override_ms > 0)
    return (gint64) override_ms * 1000;
  if (server_seconds <= 0)
    s = GST_RAMEN_HEARTBEAT_DEFAULT_S;
  else
    s = CLAMP (
        server_seconds, GST_RAMEN_HEARTBEAT_MIN_S, GST_RAMEN_HEARTBEAT_MAX_S);
  return s * G_USEC_PER_SEC;
}
