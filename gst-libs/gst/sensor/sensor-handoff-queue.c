/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:sensor-handoff-queue
 * @title: Hand-off queue
 * @short_description: the bounded hand-off from a network thread to a
 *   streaming thread
 *
 * Every source of the project queues what its network thread receives in
 * a #GstSensorHandoffQueue, bounded in buffers and bytes, drop-oldest and
 * counted, and its streaming thread pops it (see #GstSensorHandoffQueue
 * for the policy and why it is not a #GstDataQueue).
 *
 * The queue is C plumbing between two threads of one element, with no
 * #GType and no copy: its functions are marked (skip), so bindings do not
 * offer them.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensor-handoff-queue.h"

#include <gst/base/gstqueuearray.h>

typedef struct
{
  GstMiniObject *object;
  guint64 size;     /* droppable items only, else 0 */
  guint count;      /* buffers in it (a list's length), else 0 */
  gboolean data;    /* a buffer or buffer list: droppable */
  gboolean discont; /* the first buffer after a gap */
} Item;

struct _GstSensorHandoffQueue
{
  GMutex lock;
  GCond cond;
  GstQueueArray *items; /* of Item */
  guint max_buffers;
  guint64 max_bytes;
  gboolean flushing;
  gboolean discont_next; /* the next pushed buffer follows a gap */
  gboolean ended;        /* an EOS is queued: data after it never goes out */
  guint buffers;
  guint64 bytes;
  guint64 dropped;
  guint64 dropped_bytes;
};

static gboolean
is_data (GstMiniObject *object)
{
  return GST_IS_BUFFER (object) || GST_IS_BUFFER_LIST (object);
}

/* A list counts as the buffers in it, so a bound in buffers means the
 * same whether a producer batches or not. */
static guint
data_count (GstMiniObject *object)
{
  if (GST_IS_BUFFER (object))
    return 1;
  return gst_buffer_list_length (GST_BUFFER_LIST_CAST (object));
}

static guint64
data_size (GstMiniObject *object)
{
  if (GST_IS_BUFFER (object))
    return gst_buffer_get_size (GST_BUFFER_CAST (object));
  return gst_buffer_list_calculate_size (GST_BUFFER_LIST_CAST (object));
}

/**
 * gst_sensor_handoff_queue_new: (skip)
 * @max_buffers: most buffers queued at once (0 = no limit)
 * @max_bytes: most bytes of buffers queued at once (0 = no limit)
 *
 * Creates an empty queue that is not flushing.
 *
 * Returns: (transfer full): a new queue; free with
 * gst_sensor_handoff_queue_free().
 */
GstSensorHandoffQueue *
gst_sensor_handoff_queue_new (guint max_buffers, guint64 max_bytes)
{
  GstSensorHandoffQueue *q = g_new0 (GstSensorHandoffQueue, 1);

  g_mutex_init (&q->lock);
  g_cond_init (&q->cond);
  q->items = gst_queue_array_new_for_struct (sizeof (Item), 16);
  q->max_buffers = max_buffers;
  q->max_bytes = max_bytes;
  return q;
}

static void
clear_locked (GstSensorHandoffQueue *q)
{
  Item *item;

  while ((item = gst_queue_array_pop_head_struct (q->items)))
    gst_mini_object_unref (item->object);
  q->buffers = 0;
  q->bytes = 0;
  q->discont_next = FALSE;
  q->ended = FALSE;
}

/**
 * gst_sensor_handoff_queue_free: (skip)
 * @queue: (transfer full) (nullable): a queue nobody waits on any more
 *
 * Drops what is queued and frees @queue.
 */
void
gst_sensor_handoff_queue_free (GstSensorHandoffQueue *queue)
{
  if (queue == NULL)
    return;
  clear_locked (queue);
  gst_queue_array_free (queue->items);
  g_mutex_clear (&queue->lock);
  g_cond_clear (&queue->cond);
  g_free (queue);
}

/**
 * gst_sensor_handoff_queue_set_limits: (skip)
 * @queue: a queue
 * @max_buffers: most buffers queued at once (0 = no limit)
 * @max_bytes: most bytes of buffers queued at once (0 = no limit)
 *
 * Changes the limits; they apply from the next push on.
 */
void
gst_sensor_handoff_queue_set_limits (
    GstSensorHandoffQueue *queue, guint max_buffers, guint64 max_bytes)
{
  g_return_if_fail (queue != NULL);

  g_mutex_lock (&queue->lock);
  queue->max_buffers = max_buffers;
  queue->max_bytes = max_bytes;
  g_mutex_unlock (&queue->lock);
}

static gboolean
over_limits (GstSensorHandoffQueue *q, guint count, guint64 size)
{
  return (q->max_buffers > 0 && q->buffers + count > q->max_buffers) ||
      (q->max_bytes > 0 && q->bytes + size > q->max_bytes);
}

/* A list of more than one buffer loses its first buffer, so that drops
 * stay per buffer whether a producer batches or not; @size is set to the
 * bytes dropped. FALSE when @item is no such list. */
static gboolean
trim_list_head (Item *item, gsize *size)
{
  GstBufferList *list;

  if (!GST_IS_BUFFER_LIST (item->object) || item->count < 2)
    return FALSE;
  list = gst_buffer_list_make_writable (GST_BUFFER_LIST_CAST (item->object));
  item->object = GST_MINI_OBJECT_CAST (list);
  *size = gst_buffer_get_size (gst_buffer_list_get (list, 0));
  gst_buffer_list_remove (list, 0, 1);
  item->count--;
  item->size -= *size;
  return TRUE;
}

static void
count_trimmed (GstSensorHandoffQueue *q, gsize size)
{
  q->dropped++;
  q->dropped_bytes += size;
}

/* Drops the oldest buffer (or list) and marks the buffer after it (queued, or
 * the one being pushed) as following a gap. FALSE when no buffer is queued. */
static gboolean
drop_oldest_locked (GstSensorHandoffQueue *q)
{
  guint i, n = gst_queue_array_get_length (q->items);
  Item dropped, *oldest;
  gsize size;

  for (i = 0; i < n; i++) {
    Item *item = gst_queue_array_peek_nth_struct (q->items, i);

    if (item->data)
      break;
  }
  if (i == n)
    return FALSE;
  oldest = gst_queue_array_peek_nth_struct (q->items, i);
  if (trim_list_head (oldest, &size)) {
    count_trimmed (q, size);
    q->buffers--;
    q->bytes -= size;
    /* its first buffer went: the one now first follows a gap */
    oldest->discont = TRUE;
    return TRUE;
  }
  gst_queue_array_drop_struct (q->items, i, &dropped);
  q->buffers -= dropped.count;
  q->bytes -= dropped.size;
  q->dropped += dropped.count;
  q->dropped_bytes += dropped.size;
  gst_mini_object_unref (dropped.object);

  n--;
  for (; i < n; i++) {
    Item *item = gst_queue_array_peek_nth_struct (q->items, i);

    if (item->data) {
      item->discont = TRUE;
      return TRUE;
    }
  }
  q->discont_next = TRUE;
  return TRUE;
}

/**
 * gst_sensor_handoff_queue_push: (skip)
 * @queue: a queue
 * @object: (transfer full): a #GstBuffer, #GstBufferList, #GstEvent or any
 *   other mini object
 *
 * Queues @object without blocking. A buffer (or list) that would go over
 * the limits first drops the oldest queued buffers (counted); one larger
 * than the byte limit on its own is dropped itself (counted). Other objects
 * are always queued. While flushing, @object is dropped (not counted); so
 * is data pushed after an EOS until the next flush (it would never go out,
 * and would push out the data before the EOS).
 *
 * Returns: TRUE when @object was queued.
 */
gboolean
gst_sensor_handoff_queue_push (
    GstSensorHandoffQueue *queue, GstMiniObject *object)
{
  gsize trimmed;
  Item item = {
    object,
    0,
    0,
    FALSE,
    FALSE,
  };

  g_return_val_if_fail (queue != NULL, FALSE);
  g_return_val_if_fail (object != NULL, FALSE);

  g_mutex_lock (&queue->lock);
  if (queue->flushing) {
    g_mutex_unlock (&queue->lock);
    gst_mini_object_unref (object);
    return FALSE;
  }
  item.data = is_data (object);
  /* after an EOS, data would only push out the data before it */
  if (item.data && queue->ended) {
    g_mutex_unlock (&queue->lock);
    gst_mini_object_unref (object);
    return FALSE;
  }
  if (GST_IS_EVENT (object) && GST_EVENT_TYPE (object) == GST_EVENT_EOS)
    queue->ended = TRUE;
  if (item.data) {
    item.size = data_size (object);
    item.count = data_count (object);
    if (queue->max_bytes > 0 && item.size > queue->max_bytes) {
      queue->dropped += item.count;
      queue->dropped_bytes += item.size;
      queue->discont_next = TRUE;
      g_mutex_unlock (&queue->lock);
      gst_mini_object_unref (object);
      return FALSE;
    }
    while (over_limits (queue, item.count, item.size) &&
        drop_oldest_locked (queue))
      ;
    /* nothing older left: a list over the limits on its own keeps its
     * newest buffers */
    while (over_limits (queue, item.count, item.size) &&
        trim_list_head (&item, &trimmed)) {
      count_trimmed (queue, trimmed);
      queue->discont_next = TRUE;
    }
    item.discont = queue->discont_next;
    queue->discont_next = FALSE;
    queue->buffers += item.count;
    queue->bytes += item.size;
  }
  gst_queue_array_push_tail_struct (queue->items, &item);
  g_cond_signal (&queue->cond);
  g_mutex_unlock (&queue->lock);
  return TRUE;
}

/**
 * gst_sensor_handoff_queue_push_eos: (skip)
 * @queue: a source's queue
 * @event: (transfer none): the EOS an application sent to the source
 *
 * For a source's #GstElementClass.send_event: queues @event behind what
 * the network thread already queued, so that the stream ends after that
 * data, and returns without waiting for the streaming thread. (GstBaseSrc's
 * own EOS handling waits for the stream lock; called from
 * gst_element_send_event() on a pipeline whose sink still prerolls, that
 * deadlocks: the caller holds the state lock that the move to PLAYING
 * needs.) The source's create() ends with %GST_FLOW_EOS when it pops it.
 *
 * Returns: %TRUE when @event was queued (the queue took a reference of
 *   its own); %FALSE while @queue is flushing, when the source is not
 *   running: handle @event as before
 */
gboolean
gst_sensor_handoff_queue_push_eos (
    GstSensorHandoffQueue *queue, GstEvent *event)
{
  g_return_val_if_fail (queue != NULL, FALSE);
  g_return_val_if_fail (GST_EVENT_TYPE (event) == GST_EVENT_EOS, FALSE);

  return gst_sensor_handoff_queue_push (
      queue, GST_MINI_OBJECT (gst_event_ref (event)));
}

static GstMiniObject *
pop_locked (GstSensorHandoffQueue *q)
{
  Item *item = gst_queue_array_pop_head_struct (q->items);
  GstMiniObject *object;

  if (item == NULL)
    return NULL;
  object = item->object;
  if (item->data) {
    q->buffers -= item->count;
    q->bytes -= item->size;
  }
  if (item->discont) {
    if (GST_IS_BUFFER (object)) {
      object = GST_MINI_OBJECT_CAST (
          gst_buffer_make_writable (GST_BUFFER_CAST (object)));
      GST_BUFFER_FLAG_SET (object, GST_BUFFER_FLAG_DISCONT);
    } else if (gst_buffer_list_length (GST_BUFFER_LIST_CAST (object)) > 0) {
      GstBufferList *list =
          gst_buffer_list_make_writable (GST_BUFFER_LIST_CAST (object));

      GST_BUFFER_FLAG_SET (
          gst_buffer_list_get_writable (list, 0), GST_BUFFER_FLAG_DISCONT);
      object = GST_MINI_OBJECT_CAST (list);
    }
  }
  return object;
}

static GstMiniObject *
pop (GstSensorHandoffQueue *queue, gboolean wait)
{
  GstMiniObject *object;

  g_return_val_if_fail (queue != NULL, NULL);

  g_mutex_lock (&queue->lock);
  while (wait && !queue->flushing && gst_queue_array_is_empty (queue->items))
    g_cond_wait (&queue->cond, &queue->lock);
  object = queue->flushing ? NULL : pop_locked (queue);
  g_mutex_unlock (&queue->lock);
  return object;
}

/**
 * gst_sensor_handoff_queue_pop: (skip)
 * @queue: a queue
 *
 * Waits for the oldest item and takes it. The first buffer after a drop
 * comes out with %GST_BUFFER_FLAG_DISCONT set (made writable first).
 *
 * Returns: (transfer full) (nullable): the oldest item, or NULL once the
 * queue is flushing (set_flushing() wakes a waiting pop at once).
 */
GstMiniObject *
gst_sensor_handoff_queue_pop (GstSensorHandoffQueue *queue)
{
  return pop (queue, TRUE);
}

/**
 * gst_sensor_handoff_queue_try_pop: (skip)
 * @queue: a queue
 *
 * Like gst_sensor_handoff_queue_pop() without waiting.
 *
 * Returns: (transfer full) (nullable): the oldest item, or NULL when the
 * queue is empty or flushing.
 */
GstMiniObject *
gst_sensor_handoff_queue_try_pop (GstSensorHandoffQueue *queue)
{
  return pop (queue, FALSE);
}

/**
 * gst_sensor_handoff_queue_set_flushing: (skip)
 * @queue: a queue
 * @flushing: whether pops return NULL and pushes are refused
 *
 * TRUE wakes every waiting pop (for unlock() and state changes); what is
 * queued stays until gst_sensor_handoff_queue_flush(). FALSE lets the queue
 * work again.
 */
void
gst_sensor_handoff_queue_set_flushing (
    GstSensorHandoffQueue *queue, gboolean flushing)
{
  g_return_if_fail (queue != NULL);

  g_mutex_lock (&queue->lock);
  queue->flushing = flushing;
  g_cond_broadcast (&queue->cond);
  g_mutex_unlock (&queue->lock);
}

/**
 * gst_sensor_handoff_queue_flush: (skip)
 * @queue: a queue
 *
 * Drops everything queued (not counted as dropped).
 */
void
gst_sensor_handoff_queue_flush (GstSensorHandoffQueue *queue)
{
  g_return_if_fail (queue != NULL);

  g_mutex_lock (&queue->lock);
  clear_locked (queue);
  g_mutex_unlock (&queue->lock);
}

/**
 * gst_sensor_handoff_queue_is_empty: (skip)
 * @queue: a queue
 *
 * Returns: TRUE when nothing is queued.
 */
gboolean
gst_sensor_handoff_queue_is_empty (GstSensorHandoffQueue *queue)
{
  gboolean empty;

  g_return_val_if_fail (queue != NULL, TRUE);

  g_mutex_lock (&queue->lock);
  empty = gst_queue_array_is_empty (queue->items);
  g_mutex_unlock (&queue->lock);
  return empty;
}

/**
 * gst_sensor_handoff_queue_get_stats: (skip)
 * @queue: a queue
 * @stats: (out caller-allocates): the levels and drop counters now
 */
void
gst_sensor_handoff_queue_get_stats (
    GstSensorHandoffQueue *queue, GstSensorHandoffQueueStats *stats)
{
  g_return_if_fail (queue != NULL);
  g_return_if_fail (stats != NULL);

  g_mutex_lock (&queue->lock);
  stats->buffers = queue->buffers;
  stats->bytes = queue->bytes;
  stats->items = gst_queue_array_get_length (queue->items);
  stats->dropped = queue->dropped;
  stats->dropped_bytes = queue->dropped_bytes;
  g_mutex_unlock (&queue->lock);
}

/**
 * gst_sensor_handoff_queue_reset_stats: (skip)
 * @queue: a queue
 *
 * Zeroes the drop counters (for a new session).
 */
void
gst_sensor_handoff_queue_reset_stats (GstSensorHandoffQueue *queue)
{
  g_return_if_fail (queue != NULL);

  g_mutex_lock (&queue->lock);
  queue->dropped = 0;
  queue->dropped_bytes = 0;
  g_mutex_unlock (&queue->lock);
}
