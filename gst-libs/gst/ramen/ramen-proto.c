/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:ramen-proto
 * @title: RAMEN messages
 * @short_description: serializing the generated RAMEN protobuf messages
 *
 * The RAMEN service's method names and limits, and the few helpers the
 * generated protobuf-c code lacks: serializing into #GBytes and
 * google.protobuf.Timestamp in nanoseconds since the epoch.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ramen-proto.h"

/**
 * gst_ramen_pack:
 * @message: any generated message
 *
 * Serializes any generated message.
 *
 * Returns: (transfer full): its wire bytes
 */
GBytes *
gst_ramen_pack (const ProtobufCMessage *message)
{
  gsize size = protobuf_c_message_get_packed_size (message);
  guint8 *data = g_malloc (MAX (size, 1));

  protobuf_c_message_pack (message, data);
  return g_bytes_new_take (data, size);
}

/**
 * gst_ramen_timestamp_set:
 * @ts: the timestamp to set
 * @unix_ns: nanoseconds since the epoch
 *
 * Sets @ts to @unix_ns.
 */
void
gst_ramen_timestamp_set (Google__Protobuf__Timestamp *ts, gint64 unix_ns)
{
  google__protobuf__timestamp__init (ts);
  ts->seconds = unix_ns / 1000000000;
  ts->nanos = unix_ns % 1000000000;
  if (ts->nanos < 0) {
    ts->nanos += 1000000000;
    ts->seconds--;
  }
}

/**
 * gst_ramen_timestamp_get:
 * @ts: (nullable): a timestamp
 *
 * Returns: nanoseconds since the epoch (0 for %NULL)
 */
gint64
gst_ramen_timestamp_get (const Google__Protobuf__Timestamp *ts)
{
  return ts->seconds * 1000000000 + ts->nanos;
}
