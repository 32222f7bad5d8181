/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:sensorstream-mac
 * @title: Device ids
 * @short_description: a device id as a normalised MAC address
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensorstream-mac.h"

#include <string.h>

static gboolean
parse_hex_pairs (const gchar *s, gchar sep, guint8 mac[6])
{
  guint i;

  for (i = 0; i < 6; i++) {
    gint hi = g_ascii_xdigit_value (s[0]);
    gint lo = hi < 0 ? -1 : g_ascii_xdigit_value (s[1]);

    if (lo < 0)
      return FALSE;
    mac[i] = (guint8) (hi << 4 | lo);
    s += 2;
    if (sep != '\0' && i < 5) {
      if (*s != sep)
        return FALSE;
      s++;
    }
  }
  return *s == '\0';
}

/**
 * gst_sensor_stream_normalize_mac:
 * @device_id: a device id as sent by a device
 * @out: (out): the normalised id, "AA:BB:CC:DD:EE:FF"
 *
 * Accepts the documented spellings of a MAC address: colon or dash
 * separated pairs or twelve bare hex digits, in either case, optionally
 * behind the "SF-" prefix that newer SmartFall firmware sends. Anything
 * else (mixed separators, spaces, other lengths) is rejected.
 *
 * Returns: %TRUE when @device_id is a MAC address
 */
gboolean
gst_sensor_stream_normalize_mac (
    const gchar *device_id, gchar out[GST_SENSOR_STREAM_MAC_LEN])
{
  guint8 mac[6];
  gsize len;
  gboolean ok;

  g_return_val_if_fail (out != NULL, FALSE);
  out[0] = '\0';
  if (device_id == NULL)
    return FALSE;
  if (g_ascii_strncasecmp (device_id, "SF-", 3) == 0)
    device_id += 3;

  len = strlen (device_id);
  if (len == 17 && device_id[2] == ':')
    ok = parse_hex_pairs (device_id, ':', mac);
  else if (len == 17 && device_id[2] == '-')
    ok = parse_hex_pairs (device_id, '-', mac);
  else if (len == 12)
    ok = parse_hex_pairs (device_id, '\0', mac);
  else
    ok = FALSE;
  if (!ok)
    return FALSE;

  g_snprintf (out, GST_SENSOR_STREAM_MAC_LEN, "%02X:%02X:%02X:%02X:%02X:%02X",
      mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
  return TRUE;
}
