/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Fuzzes the HeliOS message parsers: the first byte picks the channel (or,
 * past the table, the AsyncAPI channel list), the rest is the text message.
 * Format messages go on through the fourcc -> caps mapping, data messages
 * through the line writer.
 */
#include <gst/gst.h>
#include <gst/helios/helios.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static gboolean initialized = FALSE;
  const gchar *text = (const gchar *) data + 1;
  gsize len = size ? size - 1 : 0;
  GstHeliosMessage msg;

  if (!initialized) {
    /* caps need the core types only: no plugin scan (and its allocations) */
    g_setenv ("GST_REGISTRY_DISABLE", "yes", TRUE);
    gst_init (NULL, NULL);
    initialized = TRUE;
  }
  if (size == 0)
    return 0;

  if (data[0] >= GST_HELIOS_N_CHANNELS) {
    gchar **names = gst_helios_asyncapi_parse_channels (text, len, NULL);

    if (names) {
      gst_helios_asyncapi_is_helios ((const gchar *const *) names);
      gst_helios_asyncapi_lists ((const gchar *const *) names,
          "streams.0b6f9a52-6d1e-4c3e-9a53-2a3c1b7f0d11.frames");
      g_strfreev (names);
    }
    return 0;
  }

  if (gst_helios_message_parse (
          (GstHeliosChannelId) data[0], text, len, &msg, NULL)) {
    if (msg.kind == GST_HELIOS_MESSAGE_FORMAT) {
      GstCaps *caps =
          gst_helios_format_to_caps (msg.fourcc, msg.width, msg.height, NULL);

      gst_helios_format_frame_size (msg.fourcc, msg.width, msg.height);
      if (caps)
        gst_caps_unref (caps);
    } else {
      g_bytes_unref (gst_helios_message_to_line (&msg, text, len));
    }
    gst_helios_message_clear (&msg);
  }
  return 0;
}
