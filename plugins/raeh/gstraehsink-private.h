/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* The state raehsink's files share: the element (gstraehsink.c), its
 * streaming threads (gstraehsink-streaming.c) and the glue that turns the
 * session's callbacks into bus messages (gstraehsink-session-glue.c). */
#pragma once

#include <gst/gst.h>
#include <gst/raeh/raeh.h>
#include <gst/raeh/raeh-session.h>
#include <gst/sensor/sensor-counters.h>
#include <gst/sensornet/sensornet-props.h>

#include "gstraehsink.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (raeh_sink_debug);

/* the element's own counters (the session keeps the connection's) */
enum {
  GST_RAEH_SINK_COUNTER_MALFORMED,
  GST_RAEH_SINK_COUNTER_UNDECLARED,
  GST_RAEH_SINK_N_COUNTERS,
};

struct _GstRaehSinkPad
{
  GstPad parent;

  /* stream lock */
  GstSegment segment;
  /* negotiated, object lock */
  GstRaehStream stream;
  gboolean have_caps;
  gboolean mismatch_posted; /* one negotiation error per pad */
  /* undeclared-modality=skip and the manifest lacks the modality: frames
   * are dropped and counted; one warning per pad */
  gboolean undeclared;
  gboolean undeclared_warned;
  /* lock */
  gboolean flushing;
  gboolean eos;
  GstClockID clock_id;
  /* cancelled while flushing: ends this pad's waits in the session */
  GCancellable *cancellable;
};

struct _GstRaehSink
{
  GstElement parent;

  /* properties, object lock */
  gchar *location;
  gchar *api_key;
  gchar *device_id;
  gchar *device_model_id;
  GstRaehSinkAuth auth;
  GstSensorNetProps net;
  GstClockTime max_buffer_time;
  gboolean sync;
  GstRaehSinkUndeclaredModality undeclared_modality;
  gchar *log_uri; /* location without secrets, for messages */
  guint pad_count;

  /* the session policy; its callbacks become bus messages */
  GstRaehSession *session;

  /* lock: the clock waits of the streaming threads */
  GMutex lock;
  GCond cond;
  gboolean playing;
  gboolean fatal; /* an error was posted: streaming threads stop */

  GstSensorCounters *counters; /* GST_RAEH_SINK_COUNTER_*, since start */
};

/* gstraehsink-session-glue.c */
extern const GstRaehSessionCallbacks gst_raeh_sink_session_callbacks;
gboolean gst_raeh_sink_start_session (GstRaehSink *self);

/* gstraehsink-streaming.c */
gchar *gst_raeh_sink_pad_check (GstRaehSink *self, GstRaehSinkPad *pad,
    const GstRaehManifest *m, gboolean *undeclared);
void gst_raeh_sink_unschedule_clock_waits (GstRaehSink *self);
void gst_raeh_sink_set_pad_flushing (
    GstRaehSink *self, GstRaehSinkPad *pad, gboolean flushing);
GstFlowReturn gst_raeh_sink_chain (
    GstPad *gpad, GstObject *parent, GstBuffer *buf);
gboolean gst_raeh_sink_event (GstPad *gpad, GstObject *parent, GstEvent *event);
gboolean gst_raeh_sink_query (GstPad *gpad, GstObject *parent, GstQuery *query);

G_END_DECLS
