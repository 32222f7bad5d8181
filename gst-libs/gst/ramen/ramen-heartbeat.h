/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * GST_RAMEN_HEARTBEAT_DEFAULT_S:
 *
 * The heartbeat period, in seconds, when the server gives none.
 */
#define GST_RAMEN_HEARTBEAT_DEFAULT_S 30

/**
 * GST_RAMEN_HEARTBEAT_MIN_S:
 *
 * The shortest heartbeat period taken from a server, in seconds.
 */
#define GST_RAMEN_HEARTBEAT_MIN_S 5

/**
 * GST_RAMEN_HEARTBEAT_MAX_S:
 *
 * The longest heartbeat period taken from a server, in seconds.
 */
#define GST_RAMEN_HEARTBEAT_MAX_S 300

/**
 * GST_RAMEN_HEARTBEAT_MISSES:
 *
 * Unanswered heartbeats after which the stream is given up.
 */
#define GST_RAMEN_HEARTBEAT_MISSES 2

gint64 gst_ramen_heartbeat_interval_us (
    gint32 server_seconds, guint override_ms);

G_END_DECLS
