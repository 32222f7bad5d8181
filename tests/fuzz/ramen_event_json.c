/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * RAMEN EventEnvelope bytes -> JSON line. Whatever the input, the
 * converter either refuses it or writes exactly one line of valid JSON.
 * The input is tried both as a serialized EventEnvelope and as the raw
 * payload of an event, so that the payload classification is fuzzed too.
 */
#include <gst/ramen/ramen-event.h>
#include <json-glib/json-glib.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check (const Ramen__V1__EventEnvelope *ev)
{
  GString *out = g_string_new (NULL);
  GstRamenPayloadKind kind;

  if (gst_ramen_event_to_json (ev, out, &kind, NULL)) {
    JsonParser *parser = json_parser_new ();
    JsonNode *root;

    g_assert (out->len > 0 && out->str[out->len - 1] == '\n');
    g_assert (memchr (out->str, '\n', out->len) == out->str + out->len - 1);
    g_assert (g_utf8_validate (out->str, out->len, NULL));
    if (!json_parser_load_from_data (parser, out->str, out->len, NULL))
      g_error ("invalid JSON: %s", out->str);
    root = json_parser_get_root (parser);
    g_assert (JSON_NODE_HOLDS_OBJECT (root));
    g_assert (json_object_get_int_member (json_node_get_object (root), "seq") ==
        ev->seq);
    g_assert (
        kind == gst_ramen_payload_kind (ev->payload.data, ev->payload.len));
    g_object_unref (parser);
  } else {
    g_assert (out->len == 0);
  }
  g_string_free (out, TRUE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  Ramen__V1__EventEnvelope *ev;
  Ramen__V1__EventEnvelope raw;

  ev = ramen__v1__event_envelope__unpack (NULL, size, data);
  if (ev) {
    check (ev);
    ramen__v1__event_envelope__free_unpacked (ev, NULL);
  }

  ramen__v1__event_envelope__init (&raw);
  raw.event_id = (char *) "fuzz";
  raw.seq = 1;
  raw.payload.data = (uint8_t *) data;
  raw.payload.len = size;
  check (&raw);
  return 0;
}
