/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A supervised pipeline: any gst-launch description, restarted with
 * backoff when it fails or ends, so a gateway keeps its side jobs (camera
 * recordings, event logs) running 24/7 and says every failure.
 */
#include "gateway-supervisor.h"

#include <gst/sensornet/sensornet-backoff.h>

/* A pipeline that ran this long before failing starts again from the
 * first delay. */
#define STABLE_RUN (30 * GST_SECOND)

struct _GatewaySupervisor
{
  gchar *name;
  gchar *description;
  GPtrArray *settings; /* the config's, which outlives us */
  GstSensorNetBackoff backoff;
  GstElement *pipeline;
  guint bus_watch;
  guint restart_source;
  gint64 started_us;
  guint restarts;
  gboolean draining;
  gint eos_pending; /* atomic */
  gboolean stuck;
  guint drain_timer;
  GCallback drain_done;
  gpointer drain_data;
};

static void schedule_restart (GatewaySupervisor *sup, const gchar *why);

static void
teardown (GatewaySupervisor *sup)
{
  if (sup->bus_watch) {
    g_source_remove (sup->bus_watch);
    sup->bus_watch = 0;
  }
  if (sup->pipeline) {
    gst_element_set_state (sup->pipeline, GST_STATE_NULL);
    gst_clear_object (&sup->pipeline);
  }
}

static void
finish_drain (GatewaySupervisor *sup)
{
  void (*done) (GatewaySupervisor *, gpointer) = (gpointer) sup->drain_done;

  if (sup->drain_timer) {
    g_source_remove (sup->drain_timer);
    sup->drain_timer = 0;
  }
  if (g_atomic_int_get (&sup->eos_pending) > 0) {
    /* its EOS is stuck in a streaming thread that waits (a sink waiting
     * for its network, say): stopping it now would block on its state
     * lock, so it is left to the process exit */
    g_warning ("pipeline %s: stuck, its EOS never got through", sup->name);
    sup->stuck = TRUE;
  } else {
    teardown (sup);
  }
  sup->drain_done = NULL;
  if (done)
    done (sup, sup->drain_data);
}

static gboolean
on_bus (GstBus *bus, GstMessage *msg, gpointer user_data)
{
  GatewaySupervisor *sup = user_data;
  GError *err = NULL;
  gchar *debug = NULL, *why;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (msg, &err, &debug);
      why = g_strdup_printf (
          "error from %s: %s", GST_OBJECT_NAME (msg->src), err->message);
      g_warning ("pipeline %s: %s (%s)", sup->name, why, GST_STR_NULL (debug));
      g_error_free (err);
      g_free (debug);
      if (sup->draining) {
        g_free (why);
        finish_drain (sup);
        return G_SOURCE_REMOVE;
      }
      sup->bus_watch = 0;
      schedule_restart (sup, why);
      g_free (why);
      return G_SOURCE_REMOVE;
    case GST_MESSAGE_EOS:
      if (sup->draining) {
        g_message ("pipeline %s: drained", sup->name);
        sup->bus_watch = 0;
        finish_drain (sup);
        return G_SOURCE_REMOVE;
      }
      g_warning ("pipeline %s: ended (EOS)", sup->name);
      sup->bus_watch = 0;
      schedule_restart (sup, "end of stream");
      return G_SOURCE_REMOVE;
    case GST_MESSAGE_WARNING:
      gst_message_parse_warning (msg, &err, &debug);
      g_warning ("pipeline %s: warning from %s: %s", sup->name,
          GST_OBJECT_NAME (msg->src), err->message);
      g_error_free (err);
      g_free (debug);
      break;
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
start_now (gpointer user_data)
{
  GatewaySupervisor *sup = user_data;
  GError *err = NULL;
  GstBus *bus;

  sup->restart_source = 0;
  sup->pipeline = gst_parse_launch (sup->description, &err);
  if (sup->pipeline == NULL || err != NULL) {
    gchar *why = g_strdup_printf (
        "cannot build: %s", err ? err->message : "unknown error");

    g_clear_error (&err);
    gst_clear_object (&sup->pipeline);
    schedule_restart (sup, why);
    g_free (why);
    return G_SOURCE_REMOVE;
  }
  gst_object_ref_sink (sup->pipeline);
  if (GST_IS_BIN (sup->pipeline))
    gateway_settings_apply (sup->settings, GST_BIN (sup->pipeline));
  bus = gst_element_get_bus (sup->pipeline);
  sup->bus_watch = gst_bus_add_watch (bus, on_bus, sup);
  gst_object_unref (bus);
  sup->started_us = g_get_monotonic_time ();
  if (gst_element_set_state (sup->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE)
    g_warning (
        "pipeline %s: cannot go to PLAYING (an error follows)", sup->name);
  else
    g_message ("pipeline %s: started", sup->name);
  return G_SOURCE_REMOVE;
}

static void
schedule_restart (GatewaySupervisor *sup, const gchar *why)
{
  GstClockTime delay;

  teardown (sup);
  if ((g_get_monotonic_time () - sup->started_us) * GST_USECOND >= STABLE_RUN)
    gst_sensor_net_backoff_reset (&sup->backoff);
  delay = gst_sensor_net_backoff_next (&sup->backoff);
  sup->restarts++;
  g_warning ("pipeline %s: %s; restart %u in %.1f s", sup->name, why,
      sup->restarts, (gdouble) delay / GST_SECOND);
  sup->restart_source = g_timeout_add_full (
      G_PRIORITY_DEFAULT, (guint) (delay / GST_MSECOND), start_now, sup, NULL);
}

typedef struct
{
  GstElement *element;
  gint *pending;
} EosSend;

static gpointer
send_eos_thread (gpointer data)
{
  EosSend *send = data;

  gst_element_send_event (send->element, gst_event_new_eos ());
  g_atomic_int_dec_and_test (send->pending);
  gst_object_unref (send->element);
  g_free (send);
  return NULL;
}

void
gateway_send_eos_async (GstElement *element, gint *pending)
{
  EosSend *send = g_new0 (EosSend, 1);

  send->element = gst_object_ref (element);
  send->pending = pending;
  g_atomic_int_inc (pending);
  g_thread_unref (g_thread_new ("gateway-eos", send_eos_thread, send));
}

GatewaySupervisor *
gateway_supervisor_new (const GatewayPipeline *config)
{
  GatewaySupervisor *sup = g_new0 (GatewaySupervisor, 1);

  sup->name = g_strdup (config->name);
  sup->description = g_strdup (config->description);
  sup->settings = g_ptr_array_ref (config->settings);
  gst_sensor_net_backoff_init (&sup->backoff, config->restart_delay_s, 2.0,
      MAX (config->restart_delay_max_s, config->restart_delay_s), 0.1, -1,
      g_random_int ());
  return sup;
}

void
gateway_supervisor_start (GatewaySupervisor *sup)
{
  start_now (sup);
}

static gboolean
on_drain_timeout (gpointer user_data)
{
  GatewaySupervisor *sup = user_data;

  sup->drain_timer = 0;
  g_warning ("pipeline %s: not drained in time, stopping it", sup->name);
  finish_drain (sup);
  return G_SOURCE_REMOVE;
}

void
gateway_supervisor_drain (GatewaySupervisor *sup, GstClockTime timeout,
    GCallback done, gpointer user_data)
{
  sup->draining = TRUE;
  sup->drain_done = done;
  sup->drain_data = user_data;
  if (sup->restart_source) {
    g_source_remove (sup->restart_source);
    sup->restart_source = 0;
  }
  /* a pipeline that never reached PLAYING (e.g. a sink still waiting for
   * its network) has nothing to flush: stopping it is the drain */
  if (sup->pipeline == NULL || !gateway_supervisor_is_running (sup)) {
    finish_drain (sup);
    return;
  }
  sup->drain_timer =
      g_timeout_add ((guint) (timeout / GST_MSECOND), on_drain_timeout, sup);
  gateway_send_eos_async (sup->pipeline, &sup->eos_pending);
}

gboolean
gateway_supervisor_is_stuck (GatewaySupervisor *sup)
{
  return sup->stuck;
}

gboolean
gateway_supervisor_is_running (GatewaySupervisor *sup)
{
  GstState state = GST_STATE_NULL;

  if (sup->pipeline == NULL)
    return FALSE;
  gst_element_get_state (sup->pipeline, &state, NULL, 0);
  return state == GST_STATE_PLAYING;
}

const gchar *
gateway_supervisor_get_name (GatewaySupervisor *sup)
{
  return sup->name;
}

guint
gateway_supervisor_get_restarts (GatewaySupervisor *sup)
{
  return sup->restarts;
}

GstElement *
gateway_supervisor_ref_pipeline (GatewaySupervisor *sup)
{
  return sup->pipeline ? gst_object_ref (sup->pipeline) : NULL;
}

void
gateway_supervisor_free (GatewaySupervisor *sup)
{
  if (sup->restart_source)
    g_source_remove (sup->restart_source);
  if (sup->drain_timer)
    g_source_remove (sup->drain_timer);
  teardown (sup);
  gst_sensor_net_backoff_clear (&sup->backoff);
  g_free (sup->name);
  g_free (sup->description);
  g_ptr_array_unref (sup->settings);
  g_free (sup);
}
