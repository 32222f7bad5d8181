/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "ramen.pb-c.h"

G_BEGIN_DECLS

/**
 * GST_RAMEN_METHOD_SUBSCRIBE:
 *
 * The full gRPC method name of the live stream.
 */
#define GST_RAMEN_METHOD_SUBSCRIBE "/ramen.v1.RAMENService/Subscribe"

/**
 * GST_RAMEN_METHOD_REPLAY:
 *
 * The full gRPC method name of the paged history.
 */
#define GST_RAMEN_METHOD_REPLAY "/ramen.v1.RAMENService/Replay"

/**
 * GST_RAMEN_REPLAY_MAX_LIMIT:
 *
 * The published maximum page size of Replay.
 */
#define GST_RAMEN_REPLAY_MAX_LIMIT 1000

GBytes *gst_ramen_pack (const ProtobufCMessage *message);

void gst_ramen_timestamp_set (Google__Protobuf__Timestamp *ts, gint64 unix_ns);
gint64 gst_ramen_timestamp_get (const Google__Protobuf__Timestamp *ts);

G_END_DECLS
