/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ramen-heartbeat.h"

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
