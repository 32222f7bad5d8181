/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sensor/sensor-prelude.h>

G_BEGIN_DECLS

/**
 * GstSensorHandoffQueue:
 *
 * The bounded hand-off from a network thread to a streaming thread, the
 * one every source of the project uses between the two.
 *
 * - Bounded by buffers AND bytes: pushing a buffer that would go over
 *   either limit drops the oldest queued buffers until it fits (live data:
 *   the newest matters most). A buffer larger than the byte limit on its
 *   own is dropped itself. Every drop is counted (buffers and bytes).
 * - Buffers and buffer lists are the only droppable items. Anything else
 *   (serialized events such as caps, segment or EOS, or an element's own
 *   markers) is kept, in order, and never counts against the limits.
 * - The first buffer that leaves after a gap carries
 *   %GST_BUFFER_FLAG_DISCONT.
 * - push() never blocks (it runs on the network thread); pop() blocks
 *   until an item comes or set_flushing() interrupts it.
 *
 * Why not #GstDataQueue: it can drop the oldest buffer while keeping
 * events (gst_data_queue_drop_head() with %GST_TYPE_BUFFER), but the
 * fullness check, the drop and the push are three separate locked calls and
 * drop_head() does not say what it dropped, so the dropped bytes cannot be
 * counted exactly while the streaming thread pops concurrently; its byte
 * level is a guint (wraps at 4 GiB); and it cannot mark the buffer after a
 * gap. This queue does all of it under one lock, over a #GstQueueArray.
 */
typedef struct _GstSensorHandoffQueue GstSensorHandoffQueue;

/**
 * GstSensorHandoffQueueStats:
 * @buffers: buffers queued now (a buffer list counts as its length)
 * @bytes: their bytes
 * @items: everything queued now, events included
 * @dropped: buffers dropped (a list's buffers count each) to keep within the
 * limits since the last gst_sensor_handoff_queue_reset_stats()
 * @dropped_bytes: their bytes
 *
 * A snapshot of a #GstSensorHandoffQueue.
 */
typedef struct
{
  guint buffers;
  guint64 bytes;
  guint items;
  guint64 dropped;
  guint64 dropped_bytes;
} GstSensorHandoffQueueStats;

GST_SENSOR_API
GstSensorHandoffQueue *gst_sensor_handoff_queue_new (
    guint max_buffers, guint64 max_bytes);

GST_SENSOR_API
void gst_sensor_handoff_queue_free (GstSensorHandoffQueue *queue);

GST_SENSOR_API
void gst_sensor_handoff_queue_set_limits (
    GstSensorHandoffQueue *queue, guint max_buffers, guint64 max_bytes);

GST_SENSOR_API
gboolean gst_sensor_handoff_queue_push (
    GstSensorHandoffQueue *queue, GstMiniObject *object);
GST_SENSOR_API
gboolean gst_sensor_handoff_queue_push_eos (
    GstSensorHandoffQueue *queue, GstEvent *event);

GST_SENSOR_API
GstMiniObject *gst_sensor_handoff_queue_pop (GstSensorHandoffQueue *queue);

GST_SENSOR_API
GstMiniObject *gst_sensor_handoff_queue_try_pop (GstSensorHandoffQueue *queue);

GST_SENSOR_API
void gst_sensor_handoff_queue_set_flushing (
    GstSensorHandoffQueue *queue, gboolean flushing);

GST_SENSOR_API
void gst_sensor_handoff_queue_flush (GstSensorHandoffQueue *queue);

GST_SENSOR_API
gboolean gst_sensor_handoff_queue_is_empty (GstSensorHandoffQueue *queue);

GST_SENSOR_API
void gst_sensor_handoff_queue_get_stats (
    GstSensorHandoffQueue *queue, GstSensorHandoffQueueStats *stats);

GST_SENSOR_API
void gst_sensor_handoff_queue_reset_stats (GstSensorHandoffQueue *queue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (
    GstSensorHandoffQueue, gst_sensor_handoff_queue_free)

G_END_DECLS
