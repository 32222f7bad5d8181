/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/helios/helios-channel.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * GstHeliosMessageKind:
 * @GST_HELIOS_MESSAGE_DATA: a record: push it downstream
 * @GST_HELIOS_MESSAGE_READY: the session is set up (echoes params)
 * @GST_HELIOS_MESSAGE_HEARTBEAT: keepalive, nothing to push
 * @GST_HELIOS_MESSAGE_ERROR: the device reports a problem
 * @GST_HELIOS_MESSAGE_EOF: logs: no more lines will come
 * @GST_HELIOS_MESSAGE_FORMAT: frames: format of the following frames
 * @GST_HELIOS_MESSAGE_UNKNOWN: valid JSON, a type this channel never sends
 *
 * What a text message of a channel means to a source.
 */
typedef enum {
  GST_HELIOS_MESSAGE_DATA,
  GST_HELIOS_MESSAGE_READY,
  GST_HELIOS_MESSAGE_HEARTBEAT,
  GST_HELIOS_MESSAGE_ERROR,
  GST_HELIOS_MESSAGE_EOF,
  GST_HELIOS_MESSAGE_FORMAT,
  GST_HELIOS_MESSAGE_UNKNOWN,
} GstHeliosMessageKind;

/**
 * GstHeliosMessage:
 * @kind: what it means
 * @type: (nullable): the "type" tag, or %NULL when untagged
 * @error_message: (nullable): ERROR: what the device said
 * @error_code: (nullable): ERROR: code or status
 * @timestamp_ms: "timestamp_ms" when present, else -1
 * @seq: updates.stream change: event.seq, else -1
 * @fourcc: (nullable): FORMAT: the fourcc
 * @width: FORMAT: frame width
 * @height: FORMAT: frame height
 * @root: the parsed message (an object)
 *
 * One classified text message; clear it with gst_helios_message_clear().
 */
typedef struct
{
  GstHeliosMessageKind kind;
  gchar *type;
  gchar *error_message;
  gchar *error_code;
  gint64 timestamp_ms;
  gint64 seq;
  gchar *fourcc;
  guint width;
  guint height;
  JsonNode *root;
} GstHeliosMessage;

const gchar *gst_helios_message_kind_name (GstHeliosMessageKind kind);

gboolean gst_helios_message_parse (GstHeliosChannelId channel,
    const gchar *text, gssize len, GstHeliosMessage *msg, GError **error);

void gst_helios_message_clear (GstHeliosMessage *msg);

GBytes *gst_helios_message_to_line (
    const GstHeliosMessage *msg, const gchar *text, gsize len);

G_END_DECLS
