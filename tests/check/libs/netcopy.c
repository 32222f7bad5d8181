/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A stand-in for a plugin: a shared module with its own copy of the static
 * gstsensornet library, used by libs/netshared to check that every copy finds
 * the same network thread.
 */
#include <gmodule.h>
#include <gst/sensornet/sensornet-ws-client.h>

G_MODULE_EXPORT GMainContext *netcopy_context_ref (void);
G_MODULE_EXPORT void netcopy_context_unref (GMainContext *context);

G_MODULE_EXPORT GMainContext *
netcopy_context_ref (void)
{
  return gst_sensor_net_context_ref ();
}

G_MODULE_EXPORT void
netcopy_context_unref (GMainContext *context)
{
  gst_sensor_net_context_unref (context);
}
