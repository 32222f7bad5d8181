/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:sensorstream-pool
 * @title: GstSensorStreamPool
 * @short_description: a fixed number of threads serving any number of
 *   ordered, bounded lanes
 *
 * rpsensorsrc hands the readings of each of its pads to a
 * #GstSensorStreamLane, so that thousands of pads cost a few threads and a
 * pad blocked downstream holds one worker, not the server thread. A lane
 * is a #GstSensorHandoffQueue (drop-oldest, counted) and the function that
 * takes its items; see #GstSensorStreamPool for how the workers share the
 * lanes.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensorstream-pool.h"

/* Items a worker takes from one lane before the other lanes get a turn. */
#define LANE_BATCH 64

struct _GstSensorStreamPool
{
  GThreadPool *threads;
};

struct _GstSensorStreamLane
{
  gint refcount;
  GstSensorStreamPool *pool;
  GstSensorHandoffQueue *queue;
  GstSensorStreamLaneFunc func;
  gpointer user_data;
  GMutex lock;
  gboolean scheduled; /* with the pool: at most one worker drains it */
  gboolean paused;    /* items wait (the queue's bounds apply), @lock */
};

static GstSensorStreamLane *
lane_ref (GstSensorStreamLane *lane)
{
  g_atomic_int_inc (&lane->refcount);
  return lane;
}

/**
 * gst_sensor_stream_lane_unref:
 * @lane: (transfer full): a lane
 *
 * Drops a reference; the last one frees the lane and what it holds.
 */
void
gst_sensor_stream_lane_unref (GstSensorStreamLane *lane)
{
  if (!g_atomic_int_dec_and_test (&lane->refcount))
    return;
  gst_sensor_handoff_queue_free (lane->queue);
  g_mutex_clear (&lane->lock);
  g_free (lane);
}

static void
drain (gpointer data, gpointer pool_data)
{
  GstSensorStreamLane *lane = data;
  guint n;

  for (n = 0;; n++) {
    GstMiniObject *obj = NULL;

    g_mutex_lock (&lane->lock);
    if (n < LANE_BATCH && !lane->paused)
      obj = gst_sensor_handoff_queue_try_pop (lane->queue);
    if (obj == NULL) {
      /* cleared under the lock a pusher takes after its push: no item is
       * left behind; a paused lane is scheduled again when resumed */
      if (n < LANE_BATCH || lane->paused ||
          gst_sensor_handoff_queue_is_empty (lane->queue))
        lane->scheduled = FALSE;
      else /* to the back of the pool's queue, still scheduled */
        g_thread_pool_push (lane->pool->threads, lane_ref (lane), NULL);
      g_mutex_unlock (&lane->lock);
      break;
    }
    g_mutex_unlock (&lane->lock);
    lane->func (obj, lane->user_data);
  }
  gst_sensor_stream_lane_unref (lane);
}

/**
 * gst_sensor_stream_pool_new:
 * @n_threads: workers, started now
 *
 * Returns: (transfer full): a pool
 */
GstSensorStreamPool *
gst_sensor_stream_pool_new (guint n_threads)
{
  GstSensorStreamPool *pool = g_new0 (GstSensorStreamPool, 1);

  pool->threads = g_thread_pool_new_full (drain, pool,
      (GDestroyNotify) gst_sensor_stream_lane_unref, (gint) MAX (n_threads, 1),
      TRUE, NULL);
  return pool;
}

/**
 * gst_sensor_stream_pool_free:
 * @pool: (transfer full): a pool
 *
 * Waits for the workers to finish the item each is in (set its lane
 * flushing, and make a blocked function return, first), drops the lanes
 * still waiting for a worker, and frees @pool. Lanes still referenced must
 * not be pushed to afterwards.
 */
void
gst_sensor_stream_pool_free (GstSensorStreamPool *pool)
{
  g_thread_pool_free (pool->threads, TRUE, TRUE);
  g_free (pool);
}

/**
 * gst_sensor_stream_lane_new:
 * @pool: its pool
 * @max_buffers: buffers queued before the oldest is dropped
 * @func: (scope forever): takes each item, in order, on a worker
 * @user_data: (closure): for @func; must stay valid while @func may run (until
 * the lane is flushing and idle, or the pool is freed)
 *
 * The lane starts flushing: see gst_sensor_stream_lane_set_flushing().
 *
 * Returns: (transfer full): a lane
 */
GstSensorStreamLane *
gst_sensor_stream_lane_new (GstSensorStreamPool *pool, guint max_buffers,
    GstSensorStreamLaneFunc func, gpointer user_data)
{
  GstSensorStreamLane *lane = g_new0 (GstSensorStreamLane, 1);

  lane->refcount = 1;
  lane->pool = pool;
  lane->queue = gst_sensor_handoff_queue_new (max_buffers, 0);
  gst_sensor_handoff_queue_set_flushing (lane->queue, TRUE);
  lane->func = func;
  lane->user_data = user_data;
  g_mutex_init (&lane->lock);
  return lane;
}

/**
 * gst_sensor_stream_lane_push:
 * @lane: a lane
 * @object: (transfer full): a buffer or event
 *
 * Queues @object and hands the lane to the pool unless a worker has it.
 * Never blocks: a full lane drops its oldest buffer (counted); events are
 * always kept.
 *
 * Returns: whether @object was queued (not while flushing)
 */
gboolean
gst_sensor_stream_lane_push (GstSensorStreamLane *lane, GstMiniObject *object)
{
  if (!gst_sensor_handoff_queue_push (lane->queue, object))
    return FALSE;
  g_mutex_lock (&lane->lock);
  if (!lane->scheduled && !lane->paused) {
    lane->scheduled = TRUE;
    g_thread_pool_push (lane->pool->threads, lane_ref (lane), NULL);
  }
  g_mutex_unlock (&lane->lock);
  return TRUE;
}

/**
 * gst_sensor_stream_lane_set_paused:
 * @lane: a lane
 * @paused: TRUE: items wait in the lane (its bound and drop-oldest apply)
 *   and no worker takes them; FALSE: they are delivered again, in order
 *
 * Holds a lane without holding a worker, e.g. while what it feeds is not
 * ready yet. Any thread.
 */
void
gst_sensor_stream_lane_set_paused (GstSensorStreamLane *lane, gboolean paused)
{
  g_mutex_lock (&lane->lock);
  lane->paused = paused;
  if (!paused && !lane->scheduled &&
      !gst_sensor_handoff_queue_is_empty (lane->queue)) {
    lane->scheduled = TRUE;
    g_thread_pool_push (lane->pool->threads, lane_ref (lane), NULL);
  }
  g_mutex_unlock (&lane->lock);
}

/**
 * gst_sensor_stream_lane_set_flushing:
 * @lane: a lane
 * @flushing: TRUE drops what is queued and refuses pushes; a worker
 *   draining the lane stops at its next item
 *
 * FALSE lets the lane take items again. Any thread.
 */
void
gst_sensor_stream_lane_set_flushing (
    GstSensorStreamLane *lane, gboolean flushing)
{
  gst_sensor_handoff_queue_set_flushing (lane->queue, flushing);
  if (flushing)
    gst_sensor_handoff_queue_flush (lane->queue);
}

/**
 * gst_sensor_stream_lane_get_stats:
 * @lane: a lane
 * @stats: (out caller-allocates): its queue's level and drops
 *
 * A snapshot of the lane's #GstSensorHandoffQueue. Any thread.
 */
void
gst_sensor_stream_lane_get_stats (
    GstSensorStreamLane *lane, GstSensorHandoffQueueStats *stats)
{
  gst_sensor_handoff_queue_get_stats (lane->queue, stats);
}
