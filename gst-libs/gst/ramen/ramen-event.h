/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "ramen.pb-c.h"

G_BEGIN_DECLS

typedef enum {
  GST_RAMEN_PAYLOAD_NONE,   /* empty payload: "payload": null */
  GST_RAMEN_PAYLOAD_JSON,   /* UTF-8 JSON, embedded as a value */
  GST_RAMEN_PAYLOAD_BASE64, /* anything else, as a base64 string */
} GstRamenPayloadKind;

/* Deepest nesting a payload may have to be embedded as JSON; deeper
 * documents are passed as base64 rather than parsed recursively. */
#define GST_RAMEN_PAYLOAD_MAX_DEPTH 64

#define GST_RAMEN_EVENT_ERROR (gst_ramen_event_error_quark ())
GQuark gst_ramen_event_error_quark (void);

typedef enum {
  GST_RAMEN_EVENT_ERROR_INVALID_UTF8,
} GstRamenEventError;

/* Appends one event as a single-line JSON object plus "\n" to @out:
 * event_id, seq, provider, event_type, raw_id, payload, payload_encoding,
 * created_at, attempt, first_sent_at, is_replay (timestamps in RFC 3339
 * UTC, null when absent). Fails, leaving @out untouched, when a string
 * field is not valid UTF-8. */
gboolean gst_ramen_event_to_json (const Ramen__V1__EventEnvelope *event,
    GString *out, GstRamenPayloadKind *kind, GError **error);

/* Classifies @data as the converter would. */
GstRamenPayloadKind gst_ramen_payload_kind (const guint8 *data, gsize len);

G_END_DECLS
