/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsensorelements.h"

static gboolean
plugin_init (GstPlugin *plugin)
{
  gboolean ret = FALSE;

  ret |= GST_ELEMENT_REGISTER (sensortestsrc, plugin);
  ret |= GST_ELEMENT_REGISTER (sensorresample, plugin);
#ifdef HAVE_RPSENSORSRC
  ret |= GST_ELEMENT_REGISTER (rpsensorsrc, plugin);
#endif
  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, sensor,
    "Sensor sample sources and transforms", plugin_init, VERSION, GST_LICENSE,
    GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
