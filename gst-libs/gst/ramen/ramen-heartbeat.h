/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GST_RAMEN_HEARTBEAT_DEFAULT_S 30
#define GST_RAMEN_HEARTBEAT_MIN_S 5
#define GST_RAMEN_HEARTBEAT_MAX_S 300
/* Unanswered heartbeats after which the stream is given up. */
#define GST_RAMEN_HEARTBEAT_MISSES 2

/* Heartbeat period in microseconds: @override_ms when non-zero (tests),
 * else the server's heartbeat_interval_seconds clamped to 5..300 s, or 30 s
 * when the server gives none (<= 0), as the reference clients do. */
gint64 gst_ramen_heartbeat_interval_us (
    gint32 server_seconds, guint override_ms);

G_END_DECLS
