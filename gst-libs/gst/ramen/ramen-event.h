/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "ramen.pb-c.h"

G_BEGIN_DECLS

/**
 * GstRamenPayloadKind:
 * @GST_RAMEN_PAYLOAD_NONE: empty payload: "payload": null
 * @GST_RAMEN_PAYLOAD_JSON: UTF-8 JSON, embedded as a value
 * @GST_RAMEN_PAYLOAD_BASE64: anything else, as a base64 string
 *
 * How an event payload is written into its JSON line.
 */
typedef enum {
  GST_RAMEN_PAYLOAD_NONE,
  GST_RAMEN_PAYLOAD_JSON,
  GST_RAMEN_PAYLOAD_BASE64,
} GstRamenPayloadKind;

/**
 * GST_RAMEN_PAYLOAD_MAX_DEPTH:
 *
 * Deepest nesting a payload may have to be embedded as JSON; deeper documents
 * are passed as base64 rather than parsed recursively.
 */
#define GST_RAMEN_PAYLOAD_MAX_DEPTH 64

/**
 * GST_RAMEN_EVENT_ERROR:
 *
 * The error domain of event conversion, codes from #GstRamenEventError.
 */
#define GST_RAMEN_EVENT_ERROR (gst_ramen_event_error_quark ())
GQuark gst_ramen_event_error_quark (void);

/**
 * GstRamenEventError:
 * @GST_RAMEN_EVENT_ERROR_INVALID_UTF8: a string field is not valid UTF-8
 *
 * Why an event could not be converted.
 */
typedef enum {
  GST_RAMEN_EVENT_ERROR_INVALID_UTF8,
} GstRamenEventError;

gboolean gst_ramen_event_to_json (const Ramen__V1__EventEnvelope *event,
    GString *out, GstRamenPayloadKind *kind, GError **error);

GstRamenPayloadKind gst_ramen_payload_kind (const guint8 *data, gsize len);

G_END_DECLS
