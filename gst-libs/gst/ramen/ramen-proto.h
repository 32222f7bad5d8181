/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "ramen.pb-c.h"

G_BEGIN_DECLS

#define GST_RAMEN_METHOD_SUBSCRIBE "/ramen.v1.RAMENService/Subscribe"
#define GST_RAMEN_METHOD_REPLAY "/ramen.v1.RAMENService/Replay"
/* The published maximum page size of Replay. */
#define GST_RAMEN_REPLAY_MAX_LIMIT 1000

/* Serializes any generated message. */
GBytes *gst_ramen_pack (const ProtobufCMessage *message);

/* Time helpers for google.protobuf.Timestamp (nanoseconds since the epoch). */
void gst_ramen_timestamp_set (Google__Protobuf__Timestamp *ts, gint64 unix_ns);
gint64 gst_ramen_timestamp_get (const Google__Protobuf__Timestamp *ts);

G_END_DECLS
