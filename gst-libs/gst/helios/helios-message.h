/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/helios/helios-channel.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What a text message of a channel means to a source. */
typedef enum {
  GST_HELIOS_MESSAGE_DATA,      /* a record: push it downstream */
  GST_HELIOS_MESSAGE_READY,     /* the session is set up (echoes params) */
  GST_HELIOS_MESSAGE_HEARTBEAT, /* keepalive, nothing to push */
  GST_HELIOS_MESSAGE_ERROR,     /* the device reports a problem */
  GST_HELIOS_MESSAGE_EOF,       /* logs: no more lines will come */
  GST_HELIOS_MESSAGE_FORMAT,    /* frames: format of the following frames */
  GST_HELIOS_MESSAGE_UNKNOWN, /* valid JSON, a type this channel never sends */
} GstHeliosMessageKind;

typedef struct
{
  GstHeliosMessageKind kind;
  gchar *type;          /* the "type" tag, or NULL when untagged */
  gchar *error_message; /* ERROR: what the device said */
  gchar *error_code;    /* ERROR: code or status, or NULL */
  gint64 timestamp_ms;  /* "timestamp_ms" when present, else -1 */
  gint64 seq;           /* updates.stream change: event.seq, else -1 */
  gchar *fourcc;        /* FORMAT */
  guint width;          /* FORMAT */
  guint height;         /* FORMAT */
  JsonNode *root;       /* the parsed message (an object) */
} GstHeliosMessage;

const gchar *gst_helios_message_kind_name (GstHeliosMessageKind kind);

/* Parses one text message of @channel. FALSE with GST_HELIOS_ERROR_PARSE
 * when it is not a JSON object (or a known type lacks its required
 * fields); @msg is then cleared. A FORMAT message is only checked for shape
 * here: map the fourcc with gst_helios_format_to_caps(). */
gboolean gst_helios_message_parse (GstHeliosChannelId channel,
    const gchar *text, gssize len, GstHeliosMessage *msg, GError **error);

void gst_helios_message_clear (GstHeliosMessage *msg);

/* The message as one line: compact JSON with a trailing newline. Returns
 * @text itself plus "\n" when it is already on one line, so bytes from the
 * device stay exact. */
GBytes *gst_helios_message_to_line (
    const GstHeliosMessage *msg, const gchar *text, gsize len);

G_END_DECLS
