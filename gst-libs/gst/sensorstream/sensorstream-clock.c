/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:sensorstream-clock
 * @title: Device clocks
 * @short_description: a window around now for `client_timestamp`, and
 *   overflow-safe device times
 *
 * A device's `client_timestamp` becomes the PTS of its buffers. One in the
 * far future holds a syncing sink (and, as PTS never go back on a pad, every
 * later reading of that pad) until then; one past 2554 overflows a
 * nanosecond count. Readings outside [now - max age, now + max skew] are
 * refused with a per-field detail, and every conversion saturates.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensorstream-clock.h"

static void
check_one (const GstSensorStreamReading *r, const gchar *field, gint64 now_us,
    guint max_skew_s, guint max_age_s, GstSensorStreamDetails *details,
    gboolean *ok)
{
  gchar msg[96];

  if (!(r->present & GST_SENSOR_STREAM_HAS_CLIENT_TIMESTAMP))
    return;
  /* differences in gint64 microseconds cannot overflow: both times are
   * within years 1970..9999 (about 2.5e17 us) */
  if (max_skew_s > 0 &&
      r->client_timestamp_us - now_us > (gint64) max_skew_s * G_USEC_PER_SEC) {
    g_snprintf (msg, sizeof (msg),
        "Must not be more than %u s ahead of the server clock", max_skew_s);
    gst_sensor_stream_details_add (details, field, msg);
    *ok = FALSE;
  } else if (max_age_s > 0 &&
      now_us - r->client_timestamp_us > (gint64) max_age_s * G_USEC_PER_SEC) {
    g_snprintf (msg, sizeof (msg),
        "Must not be more than %u s behind the server clock", max_age_s);
    gst_sensor_stream_details_add (details, field, msg);
    *ok = FALSE;
  }
}

/**
 * gst_sensor_stream_check_clock:
 * @readings: (element-type GstSensorStreamReading): validated readings
 * @batch: whether they came as a batch (details name
 *   `readings[i].client_timestamp` rather than `client_timestamp`)
 * @now_us: the server's Unix epoch time, microseconds
 * @max_skew_s: how many seconds a `client_timestamp` may be ahead of
 *   @now_us (0: any)
 * @max_age_s: how many seconds it may be behind @now_us (0: any)
 * @details: where a detail is added per reading out of the window
 *
 * Checks every reading's `client_timestamp` against a window around now.
 *
 * Returns: %TRUE if all readings are within it
 */
gboolean
gst_sensor_stream_check_clock (const GArray *readings, gboolean batch,
    gint64 now_us, guint max_skew_s, guint max_age_s,
    GstSensorStreamDetails *details)
{
  gboolean ok = TRUE;
  guint i;

  for (i = 0; i < readings->len; i++) {
    const GstSensorStreamReading *r =
        &g_array_index (readings, GstSensorStreamReading, i);
    gchar field[48];

    if (batch)
      g_snprintf (field, sizeof (field), "readings[%u].client_timestamp", i);
    else
      g_strlcpy (field, "client_timestamp", sizeof (field));
    check_one (r, field, now_us, max_skew_s, max_age_s, details, &ok);
  }
  return ok;
}

/**
 * gst_sensor_stream_epoch_us_to_ns:
 * @epoch_us: Unix epoch microseconds
 *
 * Converts a device time to nanoseconds without overflow: negative times
 * become 0 and times past %G_MAXINT64 ns (year 2262) saturate there, so the
 * result is a valid GstClockTime and also fits a GstClockTimeDiff.
 *
 * Returns: nanoseconds since the Unix epoch
 */
guint64
gst_sensor_stream_epoch_us_to_ns (gint64 epoch_us)
{
  if (epoch_us <= 0)
    return 0;
  if (epoch_us > G_MAXINT64 / 1000)
    return G_MAXINT64;
  return (guint64) epoch_us * 1000;
}
