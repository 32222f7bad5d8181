/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* plexusvideosrc, one src pad per camera: its streaming task takes the
 * JPEG frames the network thread queued, negotiates image/jpeg or a raw
 * format, decodes through GstPlexusDecoder (frame-parallel, in order) and
 * pushes. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstplexusvideosrc-private.h"

/* Live video: when downstream is slower, the oldest frame goes (counted by
 * the queue); events always stay. */
void
gst_plexus_video_output_queue (Output *o, GstMiniObject *obj)
{
  gst_sensor_handoff_queue_push (o->queue, obj);
  /* the streaming thread may be waiting for a decode or for more input */
  gst_plexus_decoder_wake (o->dec);
}

/* ---- streaming threads: negotiate, decode, push ---- */

/* o->pool changes on the streaming thread, under the pad's object lock:
 * stopping reads it from another thread (set_pool_flushing()). */
static void
release_pool (Output *o)
{
  GstBufferPool *pool;

  GST_OBJECT_LOCK (o->pad);
  pool = g_steal_pointer (&o->pool);
  GST_OBJECT_UNLOCK (o->pad);
  if (pool) {
    gst_buffer_pool_set_active (pool, FALSE);
    gst_object_unref (pool);
  }
}

/* Stopping: a streaming thread waiting in gst_buffer_pool_acquire_buffer()
 * for a buffer downstream keeps (a pool at its maximum) gets
 * GST_FLOW_FLUSHING instead of waiting for ever. */
static void
set_pool_flushing (Output *o)
{
  GstBufferPool *pool = NULL;

  GST_OBJECT_LOCK (o->pad);
  if (o->pool)
    pool = gst_object_ref (o->pool);
  GST_OBJECT_UNLOCK (o->pad);
  /* outside the lock: it may be downstream's pool, running its own code */
  if (pool) {
    gst_buffer_pool_set_flushing (pool, TRUE);
    gst_object_unref (pool);
  }
}

static gboolean
setup_pool (Output *o, GstCaps *caps, gsize size)
{
  GstQuery *query = gst_query_new_allocation (caps, TRUE);
  gboolean answered = gst_pad_peer_query (o->pad, query);
  GstBufferPool *pool;

  release_pool (o);
  pool = gst_plexus_decoder_pool_new (answered ? query : NULL, caps, size);
  gst_query_unref (query);
  GST_OBJECT_LOCK (o->pad);
  o->pool = pool;
  GST_OBJECT_UNLOCK (o->pad);
  return pool != NULL;
}

static gboolean
negotiate (Output *o, const GstPlexusJpegInfo *ji)
{
  GstCaps *ours = gst_plexus_decoder_caps_for (ji);
  GstCaps *peer = gst_pad_peer_query_caps (o->pad, NULL);
  GstCaps *caps =
      gst_caps_intersect_full (ours, peer, GST_CAPS_INTERSECT_FIRST);
  GstVideoInfo info;
  gboolean ok = TRUE;

  gst_caps_unref (ours);
  gst_caps_unref (peer);
  if (gst_caps_is_empty (caps)) {
    gst_caps_unref (caps);
    return FALSE;
  }
  caps = gst_caps_fixate (caps);
  o->raw =
      gst_structure_has_name (gst_caps_get_structure (caps, 0), "video/x-raw");
  if (o->raw)
    ok = gst_video_info_from_caps (&info, caps) &&
        gst_plexus_decoder_set_format (o->dec, &info, ji);
  else
    release_pool (o);
  GST_DEBUG_OBJECT (o->pad, "negotiated %" GST_PTR_FORMAT, caps);
  ok = ok && gst_pad_set_caps (o->pad, caps);
  if (ok && o->raw)
    ok = setup_pool (o, caps, info.size);
  gst_caps_unref (caps);
  if (ok) {
    o->jpeg = *ji;
    o->have_caps = TRUE;
    gst_plexus_video_stats_inc (&o->src->stats, GST_PLEXUS_VIDEO_NEGOTIATIONS);
  }
  return ok;
}

/* Stop or flush: the workers finish what they have, nothing is pushed. */
static void
discard_jobs (Output *o)
{
  guint n = gst_plexus_decoder_discard (o->dec);

  if (n > 0)
    GST_DEBUG_OBJECT (o->pad, "dropped %u frame(s) in flight", n);
  gst_clear_buffer (&o->pending);
}

/* Pushes a decoded frame; one that did not decode (@out NULL) is dropped. */
static GstFlowReturn
push_decoded (Output *o, GstBuffer *out, gchar *error)
{
  GstPlexusVideoSrc *self = o->src;

  if (!out) {
    if (gst_plexus_video_stats_drop (
            &self->stats, GST_PLEXUS_VIDEO_DROPPED_DECODE))
      GST_ELEMENT_WARNING (self, STREAM, DECODE,
          ("Dropped a JPEG of camera \"%s\" that does not decode",
              o->camera_id),
          ("%s", GST_STR_NULL (error)));
    g_free (error);
    return GST_FLOW_OK;
  }
  gst_plexus_video_stats_inc (&self->stats, GST_PLEXUS_VIDEO_BUFFERS_PUSHED);
  return gst_pad_push (o->pad, out);
}

static GstFlowReturn
push_oldest (Output *o)
{
  GstBuffer *out;
  gchar *error;

  gst_plexus_decoder_pop (o->dec, &out, &error);
  return push_decoded (o, out, error);
}

/* A flow that ends this pad's stream, as opposed to a frame dropped because
 * one of several cameras is not linked. */
static gboolean
flow_stops (Output *o, GstFlowReturn ret)
{
  if (ret == GST_FLOW_OK)
    return FALSE;
  return !(ret == GST_FLOW_NOT_LINKED && o->src->outputs->len > 1);
}

/* Pushes every frame in flight, in order, before caps or an event. */
static GstFlowReturn
drain_jobs (Output *o)
{
  while (gst_plexus_decoder_get_in_flight (o->dec) > 0) {
    GstFlowReturn ret = push_oldest (o);

    if (flow_stops (o, ret))
      return ret;
  }
  return GST_FLOW_OK;
}

static void
send_stream_start (Output *o)
{
  gchar *id = gst_pad_create_stream_id_printf (
      o->pad, GST_ELEMENT (o->src), "camera/%s", o->camera_id);
  GstEvent *ev = gst_event_new_stream_start (id);

  gst_event_set_group_id (ev, gst_util_group_id_next ());
  gst_pad_push_event (o->pad, ev);
  g_free (id);
  o->started = TRUE;
}

/* Negotiates for @jpeg when needed, then pushes it (image/jpeg), decodes
 * and pushes it here, or hands it to a decode worker. */
static GstFlowReturn
handle_frame (Output *o, GstBuffer *jpeg)
{
  GstPlexusVideoSrc *self = o->src;
  GstPlexusJpegInfo ji;
  gboolean new_segment = !o->have_caps;
  gboolean in_flight;
  GstBufferPoolAcquireParams dontwait = {
    .flags = GST_BUFFER_POOL_ACQUIRE_FLAG_DONTWAIT,
  };
  GstFlowReturn ret;
  GstBuffer *out;
  gchar *error = NULL;

  gst_plexus_frame_meta_get_jpeg_info (jpeg, &ji);
  if (!o->have_caps || ji.width != o->jpeg.width ||
      ji.height != o->jpeg.height || ji.subsampling != o->jpeg.subsampling ||
      gst_pad_check_reconfigure (o->pad)) {
    /* the frames before this one still go out with the caps they had */
    ret = drain_jobs (o);
    if (ret != GST_FLOW_OK) {
      gst_buffer_unref (jpeg);
      return ret;
    }
    gst_plexus_decoder_clear_format (o->dec);
    if (!negotiate (o, &ji)) {
      gst_buffer_unref (jpeg);
      GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
          ("downstream accepts neither image/jpeg nor a raw format for a "
           "%ux%u %s JPEG",
              ji.width, ji.height,
              gst_plexus_jpeg_subsampling_name (ji.subsampling)));
      return GST_FLOW_NOT_NEGOTIATED;
    }
  }
  if (new_segment) {
    GstSegment seg;

    gst_segment_init (&seg, GST_FORMAT_TIME);
    gst_pad_push_event (o->pad, gst_event_new_segment (&seg));
  }

  if (!o->raw) {
    gst_plexus_video_stats_inc (&self->stats, GST_PLEXUS_VIDEO_BUFFERS_PUSHED);
    return gst_pad_push (o->pad, jpeg);
  }

  /* while frames are in flight, a pool at its maximum must not block here:
   * the buffers it waits for may be the ones being decoded */
  in_flight = gst_plexus_decoder_get_in_flight (o->dec) > 0;
  ret = gst_buffer_pool_acquire_buffer (
      o->pool, &out, in_flight ? &dontwait : NULL);
  if (ret == GST_FLOW_EOS && in_flight) {
    o->pending = jpeg;
    return GST_FLOW_OK;
  }
  if (ret != GST_FLOW_OK) {
    gst_buffer_unref (jpeg);
    return ret;
  }
  if (gst_plexus_decoder_is_parallel (o->dec)) {
    gst_plexus_decoder_submit (o->dec, jpeg, out);
    return GST_FLOW_OK;
  }
  if (!gst_plexus_decoder_decode (o->dec, jpeg, out, &error))
    gst_clear_buffer (&out);
  gst_buffer_unref (jpeg);
  return push_decoded (o, out, error);
}

/* After a push or a drain: go on, or pause the task (with an error for a
 * fatal flow). */
static void
handle_flow (Output *o, GstFlowReturn ret)
{
  if (ret == GST_FLOW_OK)
    return;
  /* with several cameras, one left unlinked does not stop the others */
  if (!flow_stops (o, ret)) {
    GST_LOG_OBJECT (o->pad, "not linked, frame dropped");
    return;
  }
  GST_DEBUG_OBJECT (o->pad, "pausing: %s", gst_flow_get_name (ret));
  gst_pad_pause_task (o->pad);
  discard_jobs (o);
  if (ret == GST_FLOW_FLUSHING)
    return;
  /* downstream is done (pngenc snapshot=true, a sink's num-buffers):
   * tell the rest of the pipeline so that it ends too */
  if (ret == GST_FLOW_EOS) {
    gst_pad_push_event (o->pad, gst_event_new_eos ());
    return;
  }
  if (ret == GST_FLOW_NOT_LINKED || ret < GST_FLOW_EOS) {
    if (ret != GST_FLOW_NOT_NEGOTIATED)
      GST_ELEMENT_FLOW_ERROR (o->src, ret);
    gst_pad_push_event (o->pad, gst_event_new_eos ());
  }
}

static gboolean
has_input (gpointer user_data)
{
  return !gst_sensor_handoff_queue_is_empty (((Output *) user_data)->queue);
}

/* One step: push the oldest frame in flight once it is decoded, dispatch
 * the next frame while a worker is free, otherwise wait for one of the
 * two. */
static void
output_loop (gpointer user_data)
{
  Output *o = user_data;
  GstMiniObject *obj;

  if (gst_plexus_decoder_get_in_flight (o->dec) > 0) {
    if (gst_plexus_decoder_head_done (o->dec)) {
      handle_flow (o, push_oldest (o));
      return;
    }
    if (o->pending || gst_plexus_decoder_is_busy (o->dec) || !has_input (o)) {
      gst_plexus_decoder_wait (o->dec, o->pending ? NULL : has_input, o);
      return;
    }
  }
  if (o->pending) {
    handle_flow (o, handle_frame (o, g_steal_pointer (&o->pending)));
    return;
  }

  obj = gst_sensor_handoff_queue_pop (o->queue);
  if (!obj) {
    gst_pad_pause_task (o->pad);
    discard_jobs (o);
    return;
  }

  if (!o->started)
    send_stream_start (o);
  if (GST_IS_EVENT (obj)) {
    GstEvent *ev = GST_EVENT (obj);
    gboolean eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;
    GstFlowReturn ret = drain_jobs (o);

    if (ret != GST_FLOW_OK) {
      gst_event_unref (ev);
      handle_flow (o, ret);
      return;
    }
    /* an EOS before any frame still follows a segment */
    if (eos && !gst_pad_has_current_caps (o->pad)) {
      GstEvent *seg = gst_pad_get_sticky_event (o->pad, GST_EVENT_SEGMENT, 0);

      if (seg) {
        gst_event_unref (seg);
      } else {
        GstSegment segment;

        gst_segment_init (&segment, GST_FORMAT_TIME);
        gst_pad_push_event (o->pad, gst_event_new_segment (&segment));
      }
    }
    gst_pad_push_event (o->pad, ev);
    if (eos)
      gst_pad_pause_task (o->pad);
    return;
  }

  handle_flow (o, handle_frame (o, GST_BUFFER (obj)));
}

static guint
decode_threads (GstPlexusVideoSrc *self)
{
  guint n;

  GST_OBJECT_LOCK (self);
  n = self->decode_threads;
  GST_OBJECT_UNLOCK (self);
  if (n == 0)
    n = CLAMP (g_get_num_processors (), 1, AUTO_DECODE_THREADS_CAP);
  return n;
}

static gboolean
output_activate_mode (
    GstPad *pad, GstObject *parent, GstPadMode mode, gboolean active)
{
  Output *o = gst_pad_get_element_private (pad);

  if (mode != GST_PAD_MODE_PUSH)
    return FALSE;
  if (active) {
    o->started = FALSE;
    o->have_caps = FALSE;
    gst_plexus_decoder_set_threads (o->dec, decode_threads (o->src));
    GST_DEBUG_OBJECT (
        pad, "%u decode thread(s)", gst_plexus_decoder_get_threads (o->dec));
    GST_OBJECT_LOCK (o->src);
    gst_sensor_handoff_queue_set_limits (
        o->queue, o->src->max_queue, o->src->max_queue_bytes);
    GST_OBJECT_UNLOCK (o->src);
    gst_sensor_handoff_queue_set_flushing (o->queue, FALSE);
    return gst_pad_start_task (pad, output_loop, o, NULL);
  }
  gst_sensor_handoff_queue_set_flushing (o->queue, TRUE);
  gst_sensor_handoff_queue_flush (o->queue);
  set_pool_flushing (o);
  gst_pad_stop_task (pad);
  discard_jobs (o);
  gst_plexus_decoder_stop (o->dec);
  release_pool (o);
  return TRUE;
}

static gboolean
output_query (GstPad *pad, GstObject *parent, GstQuery *query)
{
  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_LATENCY:
      /* frames are stamped when they arrive; decoding adds little */
      gst_query_set_latency (query, TRUE, 0, GST_CLOCK_TIME_NONE);
      return TRUE;
    case GST_QUERY_SCHEDULING:
      gst_query_set_scheduling (
          query, GST_SCHEDULING_FLAG_SEQUENTIAL, 1, -1, 0);
      gst_query_add_scheduling_mode (query, GST_PAD_MODE_PUSH);
      return TRUE;
    default:
      return gst_pad_query_default (pad, parent, query);
  }
}

void
gst_plexus_video_output_free (Output *o)
{
  gst_sensor_handoff_queue_free (o->queue);
  discard_jobs (o);
  gst_plexus_decoder_free (o->dec);
  release_pool (o);
  g_free (o->camera_id);
  g_free (o);
}

Output *
gst_plexus_video_output_new (
    GstPlexusVideoSrc *src, const gchar *camera_id, GstPad *pad)
{
  Output *o = g_new0 (Output, 1);

  o->src = src;
  o->camera_id = g_strdup (camera_id);
  o->dec = gst_plexus_decoder_new ();
  o->queue = gst_sensor_handoff_queue_new (DEFAULT_MAX_QUEUE, 0);
  gst_sensor_handoff_queue_set_flushing (o->queue, TRUE);
  o->pad = pad;
  gst_pad_set_element_private (pad, o);
  gst_pad_set_activatemode_function (pad, output_activate_mode);
  gst_pad_set_query_function (pad, output_query);
  gst_pad_use_fixed_caps (pad);
  return o;
}
