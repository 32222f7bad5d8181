/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/helios/helios-channel.h>

G_BEGIN_DECLS

gchar **gst_helios_asyncapi_parse_channels (
    const gchar *data, gsize len, GError **error);

gboolean gst_helios_asyncapi_lists (
    const gchar *const *channels, const gchar *requested);

gboolean gst_helios_asyncapi_is_helios (const gchar *const *channels);

gchar *gst_helios_asyncapi_build (const gchar *host_port);

G_END_DECLS
