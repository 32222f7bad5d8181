/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:gstsensorsecret
 * @title: Secrets
 * @short_description: keep API keys and tokens only as long as needed
 *
 * Elements keep keys and tokens (write-only properties) in a #gchar slot
 * and go through these functions whenever the slot changes or is freed, so
 * that a freed secret does not linger in the heap where a core dump or a
 * later allocation could show it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensor-secret.h"

/**
 * gst_sensor_secret_wipe:
 * @secret: (nullable): a NUL-terminated secret
 *
 * Overwrites the bytes of @secret with zeros (through a volatile pointer,
 * so the compiler cannot drop the stores as dead before a free). The
 * memory stays allocated.
 */
void
gst_sensor_secret_wipe (gchar *secret)
{
  volatile gchar *p = secret;

  if (secret == NULL)
    return;
  while (*p != '\0')
    *p++ = '\0';
}

/**
 * gst_sensor_secret_clear:
 * @slot: (inout) (nullable) (transfer full): where the secret is kept
 *
 * Wipes and frees the secret in @slot and sets it to %NULL. For finalize
 * and for dropping a secret after use.
 */
void
gst_sensor_secret_clear (gchar **slot)
{
  g_return_if_fail (slot != NULL);

  gst_sensor_secret_wipe (*slot);
  g_clear_pointer (slot, g_free);
}

/**
 * gst_sensor_secret_replace:
 * @slot: (inout) (nullable) (transfer full): where the secret is kept
 * @value: (nullable): the new secret, copied
 *
 * Wipes and frees the old secret in @slot and stores a copy of @value (or
 * %NULL). For a write-only property's set_property.
 */
void
gst_sensor_secret_replace (gchar **slot, const gchar *value)
{
  g_return_if_fail (slot != NULL);

  gst_sensor_secret_clear (slot);
  *slot = g_strdup (value);
}
