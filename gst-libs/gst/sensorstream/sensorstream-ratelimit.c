/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:sensorstream-ratelimit
 * @title: Rate limiter
 * @short_description: a token bucket per device
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensorstream-ratelimit.h"

#include <math.h>

/* Buckets that are full again carry no state worth keeping; once the table
 * holds this many devices those are dropped, so that posts from many
 * made-up ids cannot grow it without bound. */
#define PRUNE_THRESHOLD 4096

/* Tokens are counted in millionths so that whole-second arithmetic on a
 * 1/s bucket stays exact. */
#define UNIT G_GINT64_CONSTANT (1000000)

typedef struct
{
  gint64 tokens; /* in UNITs */
  gint64 updated_us;
} Bucket;

struct _GstSensorStreamRateLimiter
{
  GMutex lock;
  gdouble rate; /* tokens per second */
  gint64 burst; /* in UNITs */
  GstSensorStreamClockFunc clock;
  gpointer clock_data;
  GHashTable *buckets;
};

static gint64
default_clock (gpointer user_data)
{
  return g_get_monotonic_time ();
}

/**
 * gst_sensor_stream_rate_limiter_new:
 * @rate_per_second: tokens added per second
 * @burst: bucket size; a new device starts with a full bucket
 * @clock: (nullable) (scope forever) (closure user_data): time source,
 *   g_get_monotonic_time() when %NULL (tests inject their own)
 * @user_data: passed to @clock
 *
 * A token bucket per key (device id). Thread-safe.
 *
 * Returns: (transfer full): the limiter
 */
GstSensorStreamRateLimiter *
gst_sensor_stream_rate_limiter_new (gdouble rate_per_second, guint burst,
    GstSensorStreamClockFunc clock, gpointer user_data)
{
  GstSensorStreamRateLimiter *rl = g_new0 (GstSensorStreamRateLimiter, 1);

  g_return_val_if_fail (rate_per_second > 0 && burst > 0, NULL);
  g_mutex_init (&rl->lock);
  rl->rate = rate_per_second;
  rl->burst = burst * UNIT;
  rl->clock = clock ? clock : default_clock;
  rl->clock_data = user_data;
  rl->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return rl;
}

/**
 * gst_sensor_stream_rate_limiter_free:
 * @rl: (transfer full) (nullable): a limiter
 *
 * Frees @rl.
 */
void
gst_sensor_stream_rate_limiter_free (GstSensorStreamRateLimiter *rl)
{
  if (rl == NULL)
    return;
  g_hash_table_unref (rl->buckets);
  g_mutex_clear (&rl->lock);
  g_free (rl);
}

static void
refill (GstSensorStreamRateLimiter *rl, Bucket *b, gint64 now)
{
  if (now > b->updated_us) {
    gdouble add = (gdouble) (now - b->updated_us) * rl->rate;

    b->tokens = add >= (gdouble) rl->burst ?
        rl->burst :
        MIN (rl->burst, b->tokens + (gint64) add);
    b->updated_us = now;
  }
}

static gboolean
bucket_is_full (gpointer key, gpointer value, gpointer user_data)
{
  GstSensorStreamRateLimiter *rl = ((gpointer *) user_data)[0];
  gint64 now = *(gint64 *) ((gpointer *) user_data)[1];
  Bucket *b = value;

  refill (rl, b, now);
  return b->tokens >= rl->burst;
}

/* microseconds until the bucket holds one whole token */
static gint64
time_to_token (GstSensorStreamRateLimiter *rl, Bucket *b)
{
  if (b->tokens >= UNIT)
    return 0;
  return (gint64) ceil ((gdouble) (UNIT - b->tokens) / rl->rate);
}

/**
 * gst_sensor_stream_rate_limiter_acquire:
 * @rl: a limiter
 * @key: device id
 * @retry_after_us: (out) (optional): when refused, the wait until a token is
 *   available
 * @next_allowed_us: (out) (optional): when granted, the wait until the next
 *   request of this device would be granted (0 while burst tokens remain)
 *
 * Takes one token from @key's bucket.
 *
 * Returns: %TRUE when granted
 */
gboolean
gst_sensor_stream_rate_limiter_acquire (GstSensorStreamRateLimiter *rl,
    const gchar *key, gint64 *retry_after_us, gint64 *next_allowed_us)
{
  gint64 now;
  Bucket *b;
  gboolean granted;

  g_mutex_lock (&rl->lock);
  now = rl->clock (rl->clock_data);
  b = g_hash_table_lookup (rl->buckets, key);
  if (b == NULL) {
    if (g_hash_table_size (rl->buckets) >= PRUNE_THRESHOLD) {
      gpointer data[2] = { rl, &now };

      g_hash_table_foreach_remove (rl->buckets, bucket_is_full, data);
    }
    b = g_new0 (Bucket, 1);
    b->tokens = rl->burst;
    b->updated_us = now;
    g_hash_table_insert (rl->buckets, g_strdup (key), b);
  }
  refill (rl, b, now);

  granted = b->tokens >= UNIT;
  if (granted) {
    b->tokens -= UNIT;
    if (next_allowed_us)
      *next_allowed_us = time_to_token (rl, b);
  } else if (retry_after_us) {
    *retry_after_us = time_to_token (rl, b);
  }
  g_mutex_unlock (&rl->lock);
  return granted;
}

/**
 * gst_sensor_stream_rate_limiter_reset:
 * @rl: a limiter
 *
 * Forgets every bucket: each device starts full again.
 */
void
gst_sensor_stream_rate_limiter_reset (GstSensorStreamRateLimiter *rl)
{
  g_mutex_lock (&rl->lock);
  g_hash_table_remove_all (rl->buckets);
  g_mutex_unlock (&rl->lock);
}

/**
 * gst_sensor_stream_rate_limiter_size:
 * @rl: a limiter
 *
 * Returns: the number of devices with a bucket
 */
guint
gst_sensor_stream_rate_limiter_size (GstSensorStreamRateLimiter *rl)
{
  guint n;

  g_mutex_lock (&rl->lock);
  n = g_hash_table_size (rl->buckets);
  g_mutex_unlock (&rl->lock);
  return n;
}
