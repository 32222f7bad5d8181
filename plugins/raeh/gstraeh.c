/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Raeh ingest: raehframepack packs sensor samples into Raeh frames and
 * raehsink streams them to /stream/ingest.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstraehelements.h"

static gboolean
plugin_init (GstPlugin *plugin)
{
  gboolean ret = FALSE;

  ret |= GST_ELEMENT_REGISTER (raehframepack, plugin);
#ifdef HAVE_RAEH_SINK
  ret |= GST_ELEMENT_REGISTER (raehsink, plugin);
#endif
  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, raeh,
    "Raeh biosignal ingest: frame packer and WebSocket sink", plugin_init,
    VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
