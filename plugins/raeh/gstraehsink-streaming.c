/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* raehsink's streaming threads: caps against the manifest, clock sync,
 * frames into the session, flushing and EOS. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstraehsink-private.h"

#define GST_CAT_DEFAULT raeh_sink_debug

/* Why @pad's stream does not fit @m, or NULL. With
 * undeclared-modality=skip a modality @m does not declare fits, and sets
 * *undeclared: its frames are dropped and counted. Object lock. */
gchar *
gst_raeh_sink_pad_check (GstRaehSink *self, GstRaehSinkPad *pad,
    const GstRaehManifest *m, gboolean *undeclared)
{
  g_autofree gchar *where = NULL;

  *undeclared = self->undeclared_modality == GST_RAEH_SINK_UNDECLARED_SKIP &&
      pad->stream.modality != NULL &&
      gst_raeh_manifest_find_modality (m, pad->stream.modality) == NULL;
  if (*undeclared)
    return NULL;
  where = g_strdup_printf ("pad %s", GST_PAD_NAME (pad));
  return gst_raeh_manifest_check_stream (m, &pad->stream, where);
}

/* ---- streaming threads ---- */

/* Ends every pad's clock wait: they check again why they wait. Lock. */
void
gst_raeh_sink_unschedule_clock_waits (GstRaehSink *self)
{
  GList *l;

  GST_OBJECT_LOCK (self);
  for (l = GST_ELEMENT (self)->sinkpads; l; l = l->next) {
    GstRaehSinkPad *pad = l->data;

    if (pad->clock_id)
      gst_clock_id_unschedule (pad->clock_id);
  }
  GST_OBJECT_UNLOCK (self);
}

/* Waits until the end of the frame in running time, like a live device
 * that sends a frame once its samples exist. */
static GstFlowReturn
wait_clock (GstRaehSink *self, GstRaehSinkPad *pad, GstBuffer *buf)
{
  GstClockTime ts, rt, base;
  GstClock *clock;
  GstClockReturn cret;
  GstFlowReturn ret;

  ts = GST_BUFFER_PTS (buf);
  if (!GST_CLOCK_TIME_IS_VALID (ts))
    return GST_FLOW_OK;
  if (GST_BUFFER_DURATION_IS_VALID (buf))
    ts += GST_BUFFER_DURATION (buf);
  rt = gst_segment_to_running_time (&pad->segment, GST_FORMAT_TIME, ts);
  GST_LOG_OBJECT (
      pad, "sync on running time %" GST_TIME_FORMAT, GST_TIME_ARGS (rt));
  if (!GST_CLOCK_TIME_IS_VALID (rt))
    return GST_FLOW_OK;

  g_mutex_lock (&self->lock);
  for (;;) {
    while (!self->playing && !pad->flushing && !self->fatal)
      g_cond_wait (&self->cond, &self->lock);
    if (pad->flushing || self->fatal)
      break;
    clock = gst_element_get_clock (GST_ELEMENT (self));
    if (clock == NULL)
      break;
    base = gst_element_get_base_time (GST_ELEMENT (self));
    pad->clock_id = gst_clock_new_single_shot_id (clock, base + rt);
    GST_LOG_OBJECT (pad,
        "waiting for running time %" GST_TIME_FORMAT " on %" GST_PTR_FORMAT,
        GST_TIME_ARGS (rt), clock);
    gst_object_unref (clock);
    g_mutex_unlock (&self->lock);

    cret = gst_clock_id_wait (pad->clock_id, NULL);

    g_mutex_lock (&self->lock);
    gst_clock_id_unref (pad->clock_id);
    pad->clock_id = NULL;
    /* unscheduled by a flush, an error or a pause: check again */
    if (cret != GST_CLOCK_UNSCHEDULED)
      break;
  }
  if (pad->flushing)
    ret = GST_FLOW_FLUSHING;
  else if (self->fatal)
    ret = GST_FLOW_ERROR;
  else
    ret = GST_FLOW_OK;
  g_mutex_unlock (&self->lock);
  return ret;
}

GstFlowReturn
gst_raeh_sink_chain (GstPad *gpad, GstObject *parent, GstBuffer *buf)
{
  GstRaehSink *self = GST_RAEH_SINK (parent);
  GstRaehSinkPad *pad = GST_RAEH_SINK_PAD (gpad);
  GstMapInfo map;
  GstFlowReturn ret;
  GstRaehSessionResult res;
  gboolean sync, undeclared;
  gint64 t0_ms, end_ms;
  g_autoptr (GError) err = NULL;

  GST_LOG_OBJECT (pad, "frame %" GST_PTR_FORMAT, buf);
  if (gst_raeh_session_is_fatal (self->session)) {
    gst_buffer_unref (buf);
    return GST_FLOW_ERROR;
  }

  if (!pad->have_caps) {
    gst_buffer_unref (buf);
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("pad %s got data before caps", GST_PAD_NAME (pad)));
    return GST_FLOW_NOT_NEGOTIATED;
  }

  GST_OBJECT_LOCK (self);
  sync = self->sync;
  undeclared = pad->undeclared;
  GST_OBJECT_UNLOCK (self);
  if (undeclared) {
    gst_sensor_counters_add (
        self->counters, GST_RAEH_SINK_COUNTER_UNDECLARED, 1);
    gst_buffer_unref (buf);
    return GST_FLOW_OK;
  }
  if (sync) {
    ret = wait_clock (self, pad, buf);
    if (ret != GST_FLOW_OK) {
      gst_buffer_unref (buf);
      return ret;
    }
  }

  gst_buffer_map (buf, &map, GST_MAP_READ);
  if (!gst_raeh_stream_check_frame (
          &pad->stream, map.data, map.size, &t0_ms, &end_ms, &err)) {
    GST_ELEMENT_WARNING (self, STREAM, FORMAT, (NULL),
        ("pad %s: dropping a malformed frame of %" G_GSIZE_FORMAT " bytes: %s",
            GST_PAD_NAME (pad), map.size, err->message));
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
    gst_sensor_counters_add (
        self->counters, GST_RAEH_SINK_COUNTER_MALFORMED, 1);
    return GST_FLOW_OK;
  }
  res = gst_raeh_session_push (self->session, pad->stream.modality, map.data,
      map.size, t0_ms, end_ms, pad->cancellable);
  gst_buffer_unmap (buf, &map);
  gst_buffer_unref (buf);
  return res == GST_RAEH_SESSION_OK ? GST_FLOW_OK : GST_FLOW_FLUSHING;
}

static gboolean
all_pads_eos (GstRaehSink *self)
{
  GList *l;
  gboolean all = TRUE;

  GST_OBJECT_LOCK (self);
  for (l = GST_ELEMENT (self)->sinkpads; l; l = l->next)
    all &= GST_RAEH_SINK_PAD (l->data)->eos;
  GST_OBJECT_UNLOCK (self);
  return all;
}


typedef struct
{
  GstRaehSink *self;
  GstRaehSinkPad *pad;
  GstRaehStream stream;
  gchar *mismatch;
  gboolean post;
  gchar *undeclared; /* the warning to post, or NULL */
  gchar *model;
} PadCaps;

/* Under the session's lock: no handshake is taken meanwhile. */
static void
apply_pad_caps (const GstRaehManifest *m, gpointer user_data)
{
  PadCaps *c = user_data;
  GstRaehSinkPad *pad = c->pad;

  GST_OBJECT_LOCK (c->self);
  pad->stream = c->stream;
  pad->undeclared = FALSE;
  if (m)
    c->mismatch = gst_raeh_sink_pad_check (c->self, pad, m, &pad->undeclared);
  if (pad->undeclared && !pad->undeclared_warned) {
    g_autofree gchar *slots = gst_raeh_manifest_describe_slots (m);

    pad->undeclared_warned = TRUE;
    c->model = g_strdup (c->self->device_model_id);
    c->undeclared = g_strdup_printf ("The Raeh manifest of device model %s "
                                     "declares no %s stream (slots %s): "
                                     "dropping its frames on pad %s (counted "
                                     "in undeclared-dropped)",
        c->self->device_model_id, pad->stream.modality, slots,
        GST_PAD_NAME (pad));
  }
  pad->have_caps = c->mismatch == NULL;
  c->post = c->mismatch && !pad->mismatch_posted;
  if (c->mismatch)
    pad->mismatch_posted = TRUE;
  GST_OBJECT_UNLOCK (c->self);
}

static gboolean
set_pad_caps (GstRaehSink *self, GstRaehSinkPad *pad, GstCaps *caps)
{
  PadCaps c = { self, pad };

  if (!gst_raeh_stream_from_caps (&c.stream, caps)) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("pad %s: incomplete caps %" GST_PTR_FORMAT, GST_PAD_NAME (pad), caps));
    return FALSE;
  }
  /* flushing, or the error is posted already */
  if (gst_raeh_session_wait_manifest (self->session, pad->cancellable,
          apply_pad_caps, &c) != GST_RAEH_SESSION_OK)
    return FALSE;

  if (c.undeclared) {
    GST_ELEMENT_WARNING_WITH_DETAILS (self, STREAM, FORMAT,
        ("%s", c.undeclared),
        ("pad %s: %" GST_PTR_FORMAT, GST_PAD_NAME (pad), caps),
        ("modality", G_TYPE_STRING, c.stream.modality, "device-model-id",
            G_TYPE_STRING, c.model, NULL));
    g_free (c.undeclared);
    g_free (c.model);
  }
  if (c.post)
    GST_ELEMENT_ERROR_WITH_DETAILS (self, CORE, NEGOTIATION, ("%s", c.mismatch),
        ("pad %s: %" GST_PTR_FORMAT, GST_PAD_NAME (pad), caps),
        ("reason", G_TYPE_STRING, c.mismatch, NULL));
  if (c.mismatch) {
    g_free (c.mismatch);
    return FALSE;
  }
  GST_INFO_OBJECT (pad, "streaming %" GST_PTR_FORMAT, caps);
  return TRUE;
}

/* Flushing pads leave every wait: on the clock here, in the session. */
void
gst_raeh_sink_set_pad_flushing (
    GstRaehSink *self, GstRaehSinkPad *pad, gboolean flushing)
{
  g_mutex_lock (&self->lock);
  pad->flushing = flushing;
  if (flushing && pad->clock_id)
    gst_clock_id_unschedule (pad->clock_id);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  if (flushing)
    g_cancellable_cancel (pad->cancellable);
  else
    g_cancellable_reset (pad->cancellable);
}

gboolean
gst_raeh_sink_event (GstPad *gpad, GstObject *parent, GstEvent *event)
{
  GstRaehSink *self = GST_RAEH_SINK (parent);
  GstRaehSinkPad *pad = GST_RAEH_SINK_PAD (gpad);
  gboolean ret = TRUE;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS: {
      GstCaps *caps;

      gst_event_parse_caps (event, &caps);
      ret = set_pad_caps (self, pad, caps);
      break;
    }
    case GST_EVENT_SEGMENT:
      gst_event_copy_segment (event, &pad->segment);
      break;
    case GST_EVENT_FLUSH_START:
      gst_raeh_sink_set_pad_flushing (self, pad, TRUE);
      break;
    case GST_EVENT_FLUSH_STOP:
      gst_raeh_sink_set_pad_flushing (self, pad, FALSE);
      GST_OBJECT_LOCK (self);
      pad->eos = FALSE;
      GST_OBJECT_UNLOCK (self);
      /* data after an EOS and a flush goes on a new session */
      if (gst_raeh_session_take_finished (self->session)) {
        gst_raeh_session_stop (self->session);
        gst_raeh_sink_start_session (self);
      }
      gst_segment_init (&pad->segment, GST_FORMAT_TIME);
      break;
    case GST_EVENT_EOS: {
      guint32 seqnum = gst_event_get_seqnum (event);

      GST_OBJECT_LOCK (self);
      pad->eos = TRUE;
      GST_OBJECT_UNLOCK (self);
      if (all_pads_eos (self)) {
        GstMessage *msg;
        guint timeout;

        /* the queued frames still go out, bounded by timeout, then the
         * session closes with 1000 without waiting */
        GST_OBJECT_LOCK (self);
        timeout = self->net.timeout ? self->net.timeout : 10;
        GST_OBJECT_UNLOCK (self);
        gst_raeh_session_finish (self->session, timeout);
        msg = gst_message_new_eos (GST_OBJECT (self));
        gst_message_set_seqnum (msg, seqnum);
        gst_element_post_message (GST_ELEMENT (self), msg);
      }
      break;
    }
    default:
      break;
  }
  gst_event_unref (event);
  return ret;
}

static void
take_manifest_caps (const GstRaehManifest *m, gpointer user_data)
{
  GstCaps **caps = user_data;

  if (m)
    *caps = gst_raeh_manifest_to_caps (m);
}

gboolean
gst_raeh_sink_query (GstPad *gpad, GstObject *parent, GstQuery *query)
{
  GstRaehSink *self = GST_RAEH_SINK (parent);

  if (GST_QUERY_TYPE (query) == GST_QUERY_CAPS) {
    GstCaps *filter, *caps = NULL, *result;

    gst_query_parse_caps (query, &filter);
    gst_raeh_session_wait_manifest (self->session,
        GST_RAEH_SINK_PAD (gpad)->cancellable, take_manifest_caps, &caps);
    if (caps == NULL)
      caps = gst_pad_get_pad_template_caps (gpad);
    if (filter) {
      result = gst_caps_intersect_full (filter, caps, GST_CAPS_INTERSECT_FIRST);
      /* A stream the manifest cannot take is let through so that the caps
       * event fails with a message naming both sides, instead of a bare
       * not-negotiated upstream. */
      if (gst_caps_is_empty (result)) {
        GstCaps *tmpl = gst_pad_get_pad_template_caps (gpad);

        gst_caps_unref (result);
        result =
            gst_caps_intersect_full (filter, tmpl, GST_CAPS_INTERSECT_FIRST);
        gst_caps_unref (tmpl);
      }
      gst_caps_unref (caps);
    } else {
      result = caps;
    }
    gst_query_set_caps_result (query, result);
    gst_caps_unref (result);
    return TRUE;
  }
  return gst_pad_query_default (gpad, parent, query);
}
