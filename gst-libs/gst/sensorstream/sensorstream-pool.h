/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/sensor/sensor-handoff-queue.h>

G_BEGIN_DECLS

/**
 * GstSensorStreamPool:
 *
 * A fixed number of threads draining any number of lanes: a lane is a
 * bounded #GstSensorHandoffQueue (drop-oldest, counted) plus the function
 * that takes its items, in order. A lane with items is handed to the pool;
 * one worker at a time drains it (a batch, then the lane goes to the back
 * so that busy lanes take turns), so each lane keeps its order while the
 * thread count does not grow with the lanes. A function that blocks holds
 * its one worker; its lane keeps queueing and dropping its own oldest
 * buffers, the other workers serve the other lanes.
 */
typedef struct _GstSensorStreamPool GstSensorStreamPool;

/**
 * GstSensorStreamLane:
 *
 * One ordered, bounded queue of a #GstSensorStreamPool.
 */
typedef struct _GstSensorStreamLane GstSensorStreamLane;

/**
 * GstSensorStreamLaneFunc:
 * @object: (transfer full): the oldest item of the lane
 * @user_data: the lane's data
 *
 * Takes one item, on a worker of the pool.
 */
typedef void (*GstSensorStreamLaneFunc) (
    GstMiniObject *object, gpointer user_data);

GstSensorStreamPool *gst_sensor_stream_pool_new (guint n_threads);

void gst_sensor_stream_pool_free (GstSensorStreamPool *pool);

GstSensorStreamLane *gst_sensor_stream_lane_new (GstSensorStreamPool *pool,
    guint max_buffers, GstSensorStreamLaneFunc func, gpointer user_data);

void gst_sensor_stream_lane_unref (GstSensorStreamLane *lane);

gboolean gst_sensor_stream_lane_push (
    GstSensorStreamLane *lane, GstMiniObject *object);

void gst_sensor_stream_lane_set_paused (
    GstSensorStreamLane *lane, gboolean paused);

void gst_sensor_stream_lane_set_flushing (
    GstSensorStreamLane *lane, gboolean flushing);

void gst_sensor_stream_lane_get_stats (
    GstSensorStreamLane *lane, GstSensorHandoffQueueStats *stats);

G_END_DECLS
