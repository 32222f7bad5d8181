/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ramen-proto.h"

GBytes *
gst_ramen_pack (const ProtobufCMessage *message)
{
  gsize size = protobuf_c_message_get_packed_size (message);
  guint8 *data = g_malloc (MAX (size, 1));

  protobuf_c_message_pack (message, data);
  return g_bytes_new_take (data, size);
}

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

gint64
gst_ramen_timestamp_get (const Google__Protobuf__Timestamp *ts)
{
  return ts->seconds * 1000000000 + ts->nanos;
}
