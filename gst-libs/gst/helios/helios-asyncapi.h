/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/helios/helios-channel.h>

G_BEGIN_DECLS

/* The channel names of a served /v1/asyncapi.json (AsyncAPI 2.x `channels`
 * keys, or 3.x `address`es), sorted. NULL with GST_HELIOS_ERROR_PARSE when
 * it is not such a document. */
gchar **gst_helios_asyncapi_parse_channels (
    const gchar *data, gsize len, GError **error);

/* TRUE when @requested ("streams.<uuid>.frames") is one of @channels, where
 * a "{...}" segment of a listed name matches any one segment. */
gboolean gst_helios_asyncapi_lists (
    const gchar *const *channels, const gchar *requested);

/* TRUE when @channels names at least one channel of the table the way
 * HeliOS does ("device.telemetry", "streams.{stream_id}.frames"): only then
 * is a missing channel a reason to refuse it. */
gboolean gst_helios_asyncapi_is_helios (const gchar *const *channels);

/* An AsyncAPI document for the channel table, as HeliOS serves it: for the
 * local stand-in server. */
gchar *gst_helios_asyncapi_build (const gchar *host_port);

G_END_DECLS
