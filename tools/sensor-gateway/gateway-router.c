/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A route: one device source (rpsensorsrc) and, per device, a branch built
 * from the route's template. Nothing here runs on the HTTP thread but a
 * table update and a pad probe: branches are built and torn down by a
 * fixed pool of two worker threads (a slow Raeh connect delays only that
 * device), while a device's pads stay blocked, its readings waiting in the
 * source's bounded per-pad queue (oldest dropped first). A failing branch
 * is that device's problem: counted, torn down, rebuilt with backoff.
 */
#include "gateway-router.h"
#include "gateway-supervisor.h"

#include <gst/sensornet/sensornet-backoff.h>
#include <string.h>

#define N_WORKERS 2
#define IDLE_CHECK_MS 1000
#define FLUSH_WAIT (2 * G_TIME_SPAN_SECOND)

typedef enum {
  DEVICE_IDLE,     /* no branch; pads blocked, the next reading starts one */
  DEVICE_STARTING, /* a worker builds the branch */
  DEVICE_RUNNING,  /* pads linked and flowing */
  DEVICE_STOPPING, /* a worker tears the branch down */
  DEVICE_BACKOFF,  /* failed; a timer rebuilds it */
} DeviceState;

static const gchar *const state_names[] = { "idle", "starting", "running",
  "stopping", "backoff" };

typedef struct
{
  gint refcount;
  GatewayRouter *router;
  gchar *id;
  DeviceState state;
  GstElement *bin;
  GPtrArray *pads;      /* GstPad*, the source's pads of this device */
  GHashTable *blocks;   /* GstPad* -> probe id, while blocked */
  gint last_activity_s; /* monotonic seconds, atomic */
  GstSensorNetBackoff backoff;
  gboolean retry;     /* rebuild after the current teardown */
  gboolean flush;     /* send EOS through the branch before stopping it */
  gboolean networked; /* the branch has a network element: wait for it */
  gboolean connected; /* ... which said "connected" */
  guint n_sinks, n_eos;
} Device;

typedef enum {
  JOB_BUILD,
  JOB_TEARDOWN,
} JobKind;

typedef struct
{
  JobKind kind;
  Device *device;
} Job;

struct _GatewayRouter
{
  gchar *name;
  gchar *source_description;
  GatewayRoute *template_route; /* name, branch and vars for expansion */
  GPtrArray *settings;          /* set.ELEMENT.PROPERTY of the config */
  guint idle_timeout_s;

  GMainContext *context;
  GstElement *pipeline;
  GstElement *source;
  gboolean source_refuses; /* has "set-device-available" */
  /* has "hold-new-devices"/"set-device-held" and "device-idle-timeout":
   * readings wait in the source (no streaming thread held) and the source
   * ends idle devices itself */
  gboolean source_holds;
  GThreadPool *pool;
  GSource *idle_timer;
  guint bus_watch;

  GMutex lock;
  GCond cond;
  GHashTable *devices; /* id -> Device* */
  GHashTable *bins;    /* GstElement* -> Device* */

  /* counters, under lock */
  guint64 builds, build_failures, device_errors, idle_teardowns, retries;

  gboolean draining;
  gint eos_pending; /* atomic */
  GSource *drain_timer;
  GCallback drain_done;
  gpointer drain_data;
};

static Device *
device_ref (Device *d)
{
  g_atomic_int_inc (&d->refcount);
  return d;
}

static void
device_unref (Device *d)
{
  if (!g_atomic_int_dec_and_test (&d->refcount))
    return;
  g_free (d->id);
  g_ptr_array_unref (d->pads);
  g_hash_table_unref (d->blocks);
  gst_sensor_net_backoff_clear (&d->backoff);
  g_free (d);
}

static void set_device_available (
    GatewayRouter *router, Device *device, gboolean available);
static void set_device_held (
    GatewayRouter *router, Device *device, gboolean held);

static gint
now_s (void)
{
  return (gint) (g_get_monotonic_time () / G_TIME_SPAN_SECOND);
}

static void
push_job (GatewayRouter *router, JobKind kind, Device *device)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->device = device_ref (device);
  g_thread_pool_push (router->pool, job, NULL);
}

/* "AA_BB_CC_DD_EE_FF_accel" -> "AA:BB:CC:DD:EE:FF" and "accel"; a source
 * serving one device (device-id set) names its pads by group only. */
static gboolean
split_pad_name (GatewayRouter *router, const gchar *name, gchar **device,
    const gchar **group)
{
  if (strlen (name) > 18 && name[17] == '_') {
    *device = g_strndup (name, 17);
    g_strdelimit (*device, "_", ':');
    *group = name + 18;
    return TRUE;
  }
  if (g_object_class_find_property (
          G_OBJECT_GET_CLASS (router->source), "device-id")) {
    g_object_get (router->source, "device-id", device, NULL);
    *group = name;
    return *device != NULL;
  }
  return FALSE;
}

static const gchar *
pad_group (GstPad *pad)
{
  const gchar *name = GST_PAD_NAME (pad);

  return strlen (name) > 18 && name[17] == '_' ? name + 18 : name;
}

/* Streaming thread of a blocked pad: a reading arrived. */
static GstPadProbeReturn
on_blocked (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Device *device = user_data;
  GatewayRouter *router = device->router;

  g_mutex_lock (&router->lock);
  if (device->state == DEVICE_IDLE && !router->draining) {
    device->state = DEVICE_STARTING;
    push_job (router, JOB_BUILD, device);
  }
  g_mutex_unlock (&router->lock);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_activity (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Device *device = user_data;

  g_atomic_int_set (&device->last_activity_s, now_s ());
  return GST_PAD_PROBE_OK;
}

static void
block_pad_locked (GatewayRouter *router, Device *device, GstPad *pad)
{
  gulong id;

  if (router->source_holds || g_hash_table_contains (device->blocks, pad))
    return;
  /* buffers only: events such as EOS still pass */
  id = gst_pad_add_probe (pad,
      GST_PAD_PROBE_TYPE_BLOCK | GST_PAD_PROBE_TYPE_BUFFER |
          GST_PAD_PROBE_TYPE_BUFFER_LIST,
      on_blocked, device_ref (device), (GDestroyNotify) device_unref);
  g_hash_table_insert (device->blocks, pad, GSIZE_TO_POINTER (id));
}

static void
unblock_pads_locked (Device *device)
{
  GHashTableIter it;
  gpointer pad, id;

  g_hash_table_iter_init (&it, device->blocks);
  while (g_hash_table_iter_next (&it, &pad, &id))
    gst_pad_remove_probe (pad, GPOINTER_TO_SIZE (id));
  g_hash_table_remove_all (device->blocks);
}

static void
link_pad_locked (Device *device, GstPad *pad)
{
  GstPad *ghost;
  GstPadLinkReturn ret;

  if (device->bin == NULL || gst_pad_is_linked (pad))
    return;
  ghost = gst_element_get_static_pad (device->bin, pad_group (pad));
  if (ghost == NULL)
    return; /* the template takes no such group: the source counts it */
  ret = gst_pad_link (pad, ghost);
  if (GST_PAD_LINK_FAILED (ret))
    g_warning ("route: device %s: cannot link %s: %s", device->id,
        GST_PAD_NAME (pad), gst_pad_link_get_name (ret));
  gst_object_unref (ghost);
}

static void
on_pad_added (GstElement *source, GstPad *pad, gpointer user_data)
{
  GatewayRouter *router = user_data;
  gchar *id = NULL;
  const gchar *group;
  Device *device;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC ||
      !split_pad_name (router, GST_PAD_NAME (pad), &id, &group))
    return;
  g_mutex_lock (&router->lock);
  device = g_hash_table_lookup (router->devices, id);
  if (device == NULL) {
    device = g_new0 (Device, 1);
    device->refcount = 1;
    device->router = router;
    device->id = g_strdup (id);
    device->pads = g_ptr_array_new_with_free_func (gst_object_unref);
    device->blocks = g_hash_table_new (NULL, NULL);
    gst_sensor_net_backoff_init (
        &device->backoff, 1.0, 2.0, 60.0, 0.2, -1, g_str_hash (id));
    g_hash_table_insert (router->devices, g_strdup (id), device);
  }
  g_ptr_array_add (device->pads, gst_object_ref (pad));
  g_atomic_int_set (&device->last_activity_s, now_s ());
  gst_pad_add_probe (pad,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, on_activity,
      device_ref (device), (GDestroyNotify) device_unref);
  if (device->state == DEVICE_RUNNING) {
    link_pad_locked (device, pad);
  } else {
    block_pad_locked (router, device, pad);
    if (device->state == DEVICE_IDLE && !router->draining) {
      device->state = DEVICE_STARTING;
      push_job (router, JOB_BUILD, device);
    }
  }
  g_mutex_unlock (&router->lock);
  g_free (id);
}

static void
on_pad_removed (GstElement *source, GstPad *pad, gpointer user_data)
{
  GatewayRouter *router = user_data;
  gchar *id = NULL;
  const gchar *group;
  Device *device;

  if (!split_pad_name (router, GST_PAD_NAME (pad), &id, &group))
    return;
  g_mutex_lock (&router->lock);
  device = g_hash_table_lookup (router->devices, id);
  if (device != NULL) {
    gpointer probe;

    if (g_hash_table_lookup_extended (device->blocks, pad, NULL, &probe)) {
      gst_pad_remove_probe (pad, GPOINTER_TO_SIZE (probe));
      g_hash_table_remove (device->blocks, pad);
    }
    g_ptr_array_remove (device->pads, pad);
    /* a device whose pads are all gone and that has no branch is forgotten,
     * so memory stays bounded under device churn */
    if (device->pads->len == 0 && device->state == DEVICE_IDLE)
      g_hash_table_remove (router->devices, id);
    else if (device->pads->len == 0 && device->state == DEVICE_RUNNING) {
      /* the source ended an idle device: its EOS went through the
       * branch already (flushed, session closed), now the branch goes */
      router->idle_teardowns++;
      device->state = DEVICE_STOPPING;
      device->flush = FALSE;
      push_job (router, JOB_TEARDOWN, device);
    }
  }
  g_mutex_unlock (&router->lock);
  g_free (id);
}

/* Ghosts the sink pad of every element of @bin named after a source pad
 * group ("accel", "gyro", ...): the template's entry points. */
static void
ghost_entry_points (GstBin *bin)
{
  GstIterator *it = gst_bin_iterate_elements (bin);
  GValue item = G_VALUE_INIT;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&item);
    GstPad *sink = gst_element_get_static_pad (e, "sink");

    if (sink != NULL && !gst_pad_is_linked (sink)) {
      GstPad *ghost = gst_ghost_pad_new (GST_OBJECT_NAME (e), sink);

      gst_pad_set_active (ghost, TRUE);
      gst_element_add_pad (GST_ELEMENT (bin), ghost);
    }
    g_clear_object (&sink);
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
}

/* The names of the template's entry points ("accel", ...), comma-separated,
 * from a branch built once for no device: the source then makes pads for
 * these groups only, so readings nobody forwards cost nothing past the
 * count. NULL when the template does not build (each device says why). */
static gchar *
template_entry_points (GatewayRouter *router)
{
  gchar *description =
      gateway_route_expand (router->template_route, "00:00:00:00:00:00");
  GstElement *bin =
      (GstElement *) gst_parse_bin_from_description (description, FALSE, NULL);
  GString *names = g_string_new (NULL);
  GstIterator *it;
  GValue item = G_VALUE_INIT;

  g_free (description);
  if (bin == NULL) {
    g_string_free (names, TRUE);
    return NULL;
  }
  gst_object_ref_sink (bin);
  ghost_entry_points (GST_BIN (bin));
  it = gst_element_iterate_sink_pads (bin);
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstPad *pad = g_value_get_object (&item);

    g_string_append_printf (
        names, "%s%s", names->len ? "," : "", GST_PAD_NAME (pad));
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  gst_object_unref (bin);
  return g_string_free (names, FALSE);
}

static guint
count_sinks (GstBin *bin)
{
  GstIterator *it = gst_bin_iterate_sinks (bin);
  GValue item = G_VALUE_INIT;
  guint n = 0;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    n++;
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  return n;
}

static gboolean
retry_build (gpointer user_data)
{
  Device *device = user_data;
  GatewayRouter *router = device->router;

  g_mutex_lock (&router->lock);
  if (device->state == DEVICE_BACKOFF && !router->draining) {
    device->state = DEVICE_STARTING;
    router->retries++;
    push_job (router, JOB_BUILD, device);
  }
  g_mutex_unlock (&router->lock);
  return G_SOURCE_REMOVE;
}

/* Called with the lock: the branch failed (or could not be built). */
static void
fail_device_locked (GatewayRouter *router, Device *device, const gchar *why)
{
  router->device_errors++;
  g_warning ("route %s: device %s: %s", router->name, device->id, why);
  if (device->state == DEVICE_STOPPING || device->state == DEVICE_BACKOFF)
    return;
  device->retry = TRUE;
  device->flush = FALSE;
  device->state = DEVICE_STOPPING;
  push_job (router, JOB_TEARDOWN, device);
}

/* Element classes that talk to the network say so in their klass. */
static gboolean
has_network_element (GstBin *bin)
{
  GstIterator *it = gst_bin_iterate_recurse (bin);
  GValue item = G_VALUE_INIT;
  gboolean found = FALSE;

  while (!found && gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElementFactory *f = gst_element_get_factory (g_value_get_object (&item));
    const gchar *klass = f ?
        gst_element_factory_get_metadata (f, GST_ELEMENT_METADATA_KLASS) :
        NULL;

    found = klass && strstr (klass, "Network") != NULL;
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  return found;
}

/* Called with the lock: the branch can take readings. */
static void
start_flow_locked (Device *device)
{
  device->state = DEVICE_RUNNING;
  g_atomic_int_set (&device->last_activity_s, now_s ());
  gst_sensor_net_backoff_reset (&device->backoff);
  unblock_pads_locked (device);
}

static void
build_branch (GatewayRouter *router, Device *device)
{
  gboolean running;
  gchar *description =
      gateway_route_expand (router->template_route, device->id);
  GError *err = NULL;
  GstElement *bin;
  guint i;

  bin =
      (GstElement *) gst_parse_bin_from_description (description, FALSE, &err);
  g_free (description);
  if (bin == NULL || err != NULL) {
    gchar *why = g_strdup_printf (
        "cannot build its branch: %s", err ? err->message : "unknown error");

    g_clear_error (&err);
    if (bin)
      gst_object_unref (gst_object_ref_sink (bin));
    g_mutex_lock (&router->lock);
    router->build_failures++;
    fail_device_locked (router, device, why);
    g_mutex_unlock (&router->lock);
    g_free (why);
    return;
  }
  gst_object_set_name (GST_OBJECT (bin), device->id);
  gateway_settings_apply (router->settings, GST_BIN (bin));
  ghost_entry_points (GST_BIN (bin));
  /* the sinks' EOS reaches the bus, so a flush can be waited for */
  g_object_set (bin, "message-forward", TRUE, NULL);

  g_mutex_lock (&router->lock);
  if (device->state != DEVICE_STARTING || router->draining) {
    device->state = DEVICE_IDLE;
    g_mutex_unlock (&router->lock);
    gst_object_unref (gst_object_ref_sink (bin));
    return;
  }
  device->bin = gst_object_ref (bin);
  device->networked = has_network_element (GST_BIN (bin));
  device->connected = FALSE;
  device->n_sinks = count_sinks (GST_BIN (bin));
  device->n_eos = 0;
  g_hash_table_insert (router->bins, bin, device);
  router->builds++;
  g_mutex_unlock (&router->lock);

  gst_bin_add (GST_BIN (router->pipeline), bin);
  g_mutex_lock (&router->lock);
  for (i = 0; i < device->pads->len; i++)
    link_pad_locked (device, g_ptr_array_index (device->pads, i));
  g_mutex_unlock (&router->lock);

  /* a slow upstream connect blocks this worker, never the HTTP thread */
  if (!gst_element_sync_state_with_parent (bin)) {
    g_mutex_lock (&router->lock);
    router->build_failures++;
    fail_device_locked (router, device, "its branch cannot start");
    g_mutex_unlock (&router->lock);
    return;
  }
  g_mutex_lock (&router->lock);
  /* With a network element, readings wait (in the source's bounded queue)
   * until it says "connected": a sink that negotiates against its upstream
   * session would otherwise hold one of the source's shared streaming
   * threads while it connects. */
  if (device->state == DEVICE_STARTING &&
      (!device->networked || device->connected))
    start_flow_locked (device);
  running = device->state == DEVICE_RUNNING;
  g_mutex_unlock (&router->lock);
  if (running) {
    set_device_held (router, device, FALSE);
    set_device_available (router, device, TRUE);
  }
}

static void
teardown_branch (GatewayRouter *router, Device *device)
{
  GstElement *bin;
  gboolean failed;
  guint i;

  /* new readings wait in the source's queue from here on */
  set_device_held (router, device, TRUE);
  g_mutex_lock (&router->lock);
  bin = device->bin;
  failed = device->retry;
  /* new readings wait in the source's queue from here on */
  for (i = 0; i < device->pads->len; i++)
    block_pad_locked (router, device, g_ptr_array_index (device->pads, i));
  g_mutex_unlock (&router->lock);

  if (bin != NULL) {
    for (i = 0; i < device->pads->len; i++) {
      GstPad *pad = g_ptr_array_index (device->pads, i);
      GstPad *peer = gst_pad_get_peer (pad);

      if (peer) {
        gst_pad_unlink (pad, peer);
        if (device->flush)
          gst_pad_send_event (peer, gst_event_new_eos ());
        gst_object_unref (peer);
      }
    }
    if (device->flush) {
      gint64 end = g_get_monotonic_time () + FLUSH_WAIT;

      g_mutex_lock (&router->lock);
      while (device->n_eos < device->n_sinks &&
          g_cond_wait_until (&router->cond, &router->lock, end))
        ;
      g_mutex_unlock (&router->lock);
    }
    /* sinks close their sessions here (raehsink: 1000) */
    gst_element_set_state (bin, GST_STATE_NULL);
    gst_bin_remove (GST_BIN (router->pipeline), bin);
  }

  g_mutex_lock (&router->lock);
  if (bin != NULL) {
    g_hash_table_remove (router->bins, bin);
    device->bin = NULL;
  }
  if (device->retry && !router->draining) {
    GstClockTime delay = gst_sensor_net_backoff_next (&device->backoff);
    GSource *timer = g_timeout_source_new ((guint) (delay / GST_MSECOND));

    device->state = DEVICE_BACKOFF;
    g_source_set_callback (
        timer, retry_build, device_ref (device), (GDestroyNotify) device_unref);
    g_source_attach (timer, router->context);
    g_source_unref (timer);
  } else {
    device->state = DEVICE_IDLE;
  }
  device->retry = FALSE;
  device->flush = FALSE;
  /* the source removed the device's pads meanwhile: forget it */
  if (device->state == DEVICE_IDLE && device->pads->len == 0)
    g_hash_table_remove (router->devices, device->id);
  g_mutex_unlock (&router->lock);
  if (failed)
    set_device_available (router, device, FALSE);
  if (bin)
    gst_object_unref (bin);
}

/* Tells the source whether a device's posts can be taken (its branch
 * failed: 503 "Device unavailable" until it is rebuilt). Never called with
 * the router's lock held: the source takes its own. */
static void
set_device_available (GatewayRouter *router, Device *device, gboolean available)
{
  if (router->source_refuses)
    g_signal_emit_by_name (
        router->source, "set-device-available", device->id, available);
}

static void
set_device_held (GatewayRouter *router, Device *device, gboolean held)
{
  if (router->source_holds)
    g_signal_emit_by_name (router->source, "set-device-held", device->id, held);
}

static void
run_job (gpointer data, gpointer user_data)
{
  Job *job = data;
  GatewayRouter *router = user_data;

  if (job->kind == JOB_BUILD)
    build_branch (router, job->device);
  else
    teardown_branch (router, job->device);
  device_unref (job->device);
  g_free (job);
}

/* The device whose branch holds @obj, or NULL. Called with the lock. */
static Device *
device_of_locked (GatewayRouter *router, GstObject *obj)
{
  GstObject *o = gst_object_ref (obj);

  while (o != NULL) {
    GstObject *parent;
    Device *d = g_hash_table_lookup (router->bins, o);

    if (d != NULL) {
      gst_object_unref (o);
      return d;
    }
    parent = gst_object_get_parent (o);
    gst_object_unref (o);
    o = parent;
  }
  return NULL;
}

static void finish_drain (GatewayRouter *router);

static gboolean
on_bus (GstBus *bus, GstMessage *msg, gpointer user_data)
{
  GatewayRouter *router = user_data;
  GError *err = NULL;
  gchar *debug = NULL, *why;
  Device *device;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (msg, &err, &debug);
      g_mutex_lock (&router->lock);
      device = device_of_locked (router, GST_MESSAGE_SRC (msg));
      if (device != NULL) {
        why = g_strdup_printf ("error from %s: %s",
            GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), err->message);
        fail_device_locked (router, device, why);
        g_free (why);
        g_mutex_unlock (&router->lock);
      } else {
        g_mutex_unlock (&router->lock);
        g_critical ("route %s: error from %s: %s (%s)", router->name,
            GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), err->message,
            GST_STR_NULL (debug));
        if (router->draining)
          finish_drain (router);
      }
      g_error_free (err);
      g_free (debug);
      break;
    case GST_MESSAGE_WARNING:
      gst_message_parse_warning (msg, &err, &debug);
      g_warning ("route %s: warning from %s: %s", router->name,
          GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), err->message);
      g_error_free (err);
      g_free (debug);
      break;
    case GST_MESSAGE_EOS:
      if (router->draining)
        finish_drain (router);
      break;
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

/* Any thread: counts a branch's sinks reaching EOS for a flush. */
static GstBusSyncReply
on_bus_sync (GstBus *bus, GstMessage *msg, gpointer user_data)
{
  GatewayRouter *router = user_data;
  const GstStructure *s = gst_message_get_structure (msg);
  GstMessage *inner = NULL;
  Device *device;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT &&
      gst_structure_has_name (s, "sensor-connection-state") &&
      g_strcmp0 (gst_structure_get_string (s, "state"), "connected") == 0) {
    gboolean started = FALSE;

    g_mutex_lock (&router->lock);
    device = device_of_locked (router, GST_MESSAGE_SRC (msg));
    if (device != NULL) {
      device->connected = TRUE;
      if (device->state == DEVICE_STARTING && device->bin != NULL) {
        start_flow_locked (device);
        started = TRUE;
        device_ref (device);
      }
    }
    g_mutex_unlock (&router->lock);
    if (started) {
      set_device_held (router, device, FALSE);
      set_device_available (router, device, TRUE);
      device_unref (device);
    }
    return GST_BUS_PASS;
  }
  if (GST_MESSAGE_TYPE (msg) != GST_MESSAGE_ELEMENT ||
      !gst_structure_has_name (s, "GstBinForwarded"))
    return GST_BUS_PASS;
  gst_structure_get (s, "message", GST_TYPE_MESSAGE, &inner, NULL);
  if (inner != NULL && GST_MESSAGE_TYPE (inner) == GST_MESSAGE_EOS) {
    g_mutex_lock (&router->lock);
    device = device_of_locked (router, GST_MESSAGE_SRC (msg));
    if (device != NULL) {
      device->n_eos++;
      g_cond_broadcast (&router->cond);
    }
    g_mutex_unlock (&router->lock);
  }
  gst_clear_message (&inner);
  return GST_BUS_DROP;
}

static gboolean
on_idle_check (gpointer user_data)
{
  GatewayRouter *router = user_data;
  GHashTableIter it;
  gpointer value;
  gint now = now_s ();

  g_mutex_lock (&router->lock);
  g_hash_table_iter_init (&it, router->devices);
  while (g_hash_table_iter_next (&it, NULL, &value)) {
    Device *d = value;

    if (d->state == DEVICE_RUNNING &&
        now - g_atomic_int_get (&d->last_activity_s) >=
            (gint) router->idle_timeout_s) {
      g_message ("route %s: device %s idle for %u s: closing its branch",
          router->name, d->id, router->idle_timeout_s);
      router->idle_teardowns++;
      d->state = DEVICE_STOPPING;
      d->flush = TRUE;
      push_job (router, JOB_TEARDOWN, d);
    }
  }
  g_mutex_unlock (&router->lock);
  return G_SOURCE_CONTINUE;
}

static GstElement *
find_device_source (GstElement *pipeline)
{
  GstIterator *it;
  GValue item = G_VALUE_INIT;
  GstElement *found = NULL;

  if (!GST_IS_BIN (pipeline))
    return gst_object_ref (pipeline);
  it = gst_bin_iterate_recurse (GST_BIN (pipeline));
  while (found == NULL && gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&item);
    GstElementFactory *f = gst_element_get_factory (e);
    const GList *t;

    for (t = f ? gst_element_factory_get_static_pad_templates (f) : NULL; t;
         t = t->next) {
      const GstStaticPadTemplate *tmpl = t->data;

      if (tmpl->direction == GST_PAD_SRC &&
          tmpl->presence == GST_PAD_SOMETIMES) {
        found = gst_object_ref (e);
        break;
      }
    }
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  return found;
}

GatewayRouter *
gateway_router_new (const GatewayRoute *config)
{
  GatewayRouter *router = g_new0 (GatewayRouter, 1);
  GatewayRoute *t = g_new0 (GatewayRoute, 1);
  GHashTableIter it;
  gpointer k, v;

  router->name = g_strdup (config->name);
  router->source_description = g_strdup (config->source);
  router->idle_timeout_s = config->device_idle_timeout_s;
  t->name = g_strdup (config->name);
  t->branch = g_strdup (config->branch);
  t->vars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&it, config->vars);
  while (g_hash_table_iter_next (&it, &k, &v))
    g_hash_table_insert (t->vars, g_strdup (k), g_strdup (v));
  router->template_route = t;
  router->settings = g_ptr_array_ref (config->settings);
  router->context = g_main_context_ref_thread_default ();
  g_mutex_init (&router->lock);
  g_cond_init (&router->cond);
  router->devices = g_hash_table_new_full (
      g_str_hash, g_str_equal, g_free, (GDestroyNotify) device_unref);
  router->bins = g_hash_table_new (NULL, NULL);
  router->pool = g_thread_pool_new (run_job, router, N_WORKERS, FALSE, NULL);
  return router;
}

gboolean
gateway_router_start (GatewayRouter *router, GError **error)
{
  GError *err = NULL;
  GstBus *bus;
  GstMessage *msg;

  router->pipeline = gst_parse_launch (router->source_description, &err);
  if (router->pipeline == NULL || err != NULL) {
    g_propagate_prefixed_error (error, err, "route %s: ", router->name);
    gst_clear_object (&router->pipeline);
    return FALSE;
  }
  gst_object_ref_sink (router->pipeline);
  if (!GST_IS_PIPELINE (router->pipeline)) {
    GstElement *p = gst_pipeline_new (router->name);

    gst_bin_add (GST_BIN (p), router->pipeline);
    router->pipeline = gst_object_ref_sink (p);
  }
  gateway_settings_apply (router->settings, GST_BIN (router->pipeline));
  router->source = find_device_source (router->pipeline);
  router->source_refuses = router->source &&
      g_signal_lookup (
          "set-device-available", G_OBJECT_TYPE (router->source)) != 0;
  if (router->source == NULL) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED,
        "route %s: the source has no element with per-device pads (such as "
        "rpsensorsrc)",
        router->name);
    return FALSE;
  }
  router->source_holds =
      g_object_class_find_property (
          G_OBJECT_GET_CLASS (router->source), "hold-new-devices") &&
      g_object_class_find_property (
          G_OBJECT_GET_CLASS (router->source), "device-idle-timeout") &&
      g_signal_lookup ("set-device-held", G_OBJECT_TYPE (router->source));
  if (router->source_holds)
    g_object_set (router->source, "hold-new-devices", TRUE,
        "device-idle-timeout", router->idle_timeout_s, NULL);
  if (g_object_class_find_property (
          G_OBJECT_GET_CLASS (router->source), "groups")) {
    gchar *groups = template_entry_points (router);

    if (groups != NULL && groups[0] != '\0')
      g_object_set (router->source, "groups", groups, NULL);
    g_free (groups);
  }
  g_signal_connect (
      router->source, "pad-added", G_CALLBACK (on_pad_added), router);
  g_signal_connect (
      router->source, "pad-removed", G_CALLBACK (on_pad_removed), router);

  bus = gst_element_get_bus (router->pipeline);
  gst_bus_set_sync_handler (bus, on_bus_sync, router, NULL);
  if (gst_element_set_state (router->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    if (msg != NULL) {
      gst_message_parse_error (msg, &err, NULL);
      g_set_error (error, err->domain, err->code, "route %s: %s", router->name,
          err->message);
      g_error_free (err);
      gst_message_unref (msg);
    } else {
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_STATE_CHANGE,
          "route %s: cannot start", router->name);
    }
    gst_object_unref (bus);
    gst_element_set_state (router->pipeline, GST_STATE_NULL);
    return FALSE;
  }
  router->bus_watch = gst_bus_add_watch (bus, on_bus, router);
  gst_object_unref (bus);

  if (!router->source_holds) {
    router->idle_timer = g_timeout_source_new (IDLE_CHECK_MS);
    g_source_set_callback (router->idle_timer, on_idle_check, router, NULL);
    g_source_attach (router->idle_timer, router->context);
  }
  return TRUE;
}

static void
finish_drain (GatewayRouter *router)
{
  void (*done) (GatewayRouter *, gpointer) = (gpointer) router->drain_done;

  if (router->drain_timer) {
    g_source_destroy (router->drain_timer);
    g_clear_pointer (&router->drain_timer, g_source_unref);
  }
  router->drain_done = NULL;
  if (router->pipeline)
    gst_element_set_state (router->pipeline, GST_STATE_NULL);
  if (done)
    done (router, router->drain_data);
}

static gboolean
on_drain_timeout (gpointer user_data)
{
  GatewayRouter *router = user_data;

  g_warning ("route %s: not drained in time, stopping it", router->name);
  finish_drain (router);
  return G_SOURCE_REMOVE;
}

void
gateway_router_drain (GatewayRouter *router, GstClockTime timeout,
    GCallback done, gpointer user_data)
{
  g_mutex_lock (&router->lock);
  router->draining = TRUE;
  g_mutex_unlock (&router->lock);
  router->drain_done = done;
  router->drain_data = user_data;
  if (router->pipeline == NULL) {
    finish_drain (router);
    return;
  }
  /* new requests get 503 where the source supports it */
  if (router->source &&
      g_object_class_find_property (
          G_OBJECT_GET_CLASS (router->source), "draining"))
    g_object_set (router->source, "draining", TRUE, NULL);
  router->drain_timer = g_timeout_source_new ((guint) (timeout / GST_MSECOND));
  g_source_set_callback (router->drain_timer, on_drain_timeout, router, NULL);
  g_source_attach (router->drain_timer, router->context);
  gateway_send_eos_async (router->pipeline, &router->eos_pending);
}

gboolean
gateway_router_is_running (GatewayRouter *router)
{
  GstState state = GST_STATE_NULL;

  if (router->pipeline == NULL || router->draining)
    return FALSE;
  gst_element_get_state (router->pipeline, &state, NULL, 0);
  return state == GST_STATE_PLAYING;
}

guint
gateway_router_get_port (GatewayRouter *router)
{
  GParamSpec *pspec;
  GValue v = G_VALUE_INIT;
  guint port = 0;

  if (router->source == NULL)
    return 0;
  pspec = g_object_class_find_property (
      G_OBJECT_GET_CLASS (router->source), "port");
  if (pspec == NULL)
    return 0;
  g_value_init (&v, G_TYPE_UINT);
  if (g_value_type_transformable (pspec->value_type, G_TYPE_UINT)) {
    GValue raw = G_VALUE_INIT;

    g_value_init (&raw, pspec->value_type);
    g_object_get_property (G_OBJECT (router->source), "port", &raw);
    g_value_transform (&raw, &v);
    port = g_value_get_uint (&v);
    g_value_unset (&raw);
  }
  g_value_unset (&v);
  return port;
}

const gchar *
gateway_router_get_name (GatewayRouter *router)
{
  return router->name;
}

void
gateway_router_count_devices (
    GatewayRouter *router, guint *running, guint *starting, guint *failed)
{
  GHashTableIter it;
  gpointer value;

  *running = *starting = *failed = 0;
  g_mutex_lock (&router->lock);
  g_hash_table_iter_init (&it, router->devices);
  while (g_hash_table_iter_next (&it, NULL, &value)) {
    Device *d = value;

    if (d->state == DEVICE_RUNNING)
      (*running)++;
    else if (d->state == DEVICE_STARTING)
      (*starting)++;
    else if (d->state == DEVICE_BACKOFF)
      (*failed)++;
  }
  g_mutex_unlock (&router->lock);
}

void
gateway_router_collect (GatewayRouter *router, GatewayStats *stats)
{
  GString *labels = g_string_new (NULL);
  guint counts[G_N_ELEMENTS (state_names)] = { 0 };
  guint64 c[5];
  GHashTableIter it;
  gpointer value;
  guint i;

  if (router->pipeline)
    gateway_stats_add_bin (
        stats, GST_BIN (router->pipeline), "route", router->name, TRUE);

  g_mutex_lock (&router->lock);
  g_hash_table_iter_init (&it, router->devices);
  while (g_hash_table_iter_next (&it, NULL, &value))
    counts[((Device *) value)->state]++;
  c[0] = router->builds;
  c[1] = router->build_failures;
  c[2] = router->device_errors;
  c[3] = router->idle_teardowns;
  c[4] = router->retries;
  g_mutex_unlock (&router->lock);

  for (i = 0; i < G_N_ELEMENTS (state_names); i++) {
    g_string_truncate (labels, 0);
    gateway_stats_append_label (labels, "route", router->name);
    gateway_stats_append_label (labels, "state", state_names[i]);
    gateway_stats_add (stats, "sensor_gateway_devices", labels->str, counts[i]);
  }
  g_string_truncate (labels, 0);
  gateway_stats_append_label (labels, "route", router->name);
  gateway_stats_add (stats, "sensor_gateway_branches_built_total", labels->str,
      (gdouble) c[0]);
  gateway_stats_add (stats, "sensor_gateway_branch_build_failures_total",
      labels->str, (gdouble) c[1]);
  gateway_stats_add (
      stats, "sensor_gateway_device_errors_total", labels->str, (gdouble) c[2]);
  gateway_stats_add (stats, "sensor_gateway_idle_teardowns_total", labels->str,
      (gdouble) c[3]);
  gateway_stats_add (stats, "sensor_gateway_branch_retries_total", labels->str,
      (gdouble) c[4]);
  gateway_stats_add (stats, "sensor_gateway_route_up", labels->str,
      gateway_router_is_running (router) ? 1 : 0);
  g_string_free (labels, TRUE);
}

void
gateway_router_free (GatewayRouter *router)
{
  GstBus *bus;

  if (router->idle_timer) {
    g_source_destroy (router->idle_timer);
    g_source_unref (router->idle_timer);
  }
  if (router->drain_timer) {
    g_source_destroy (router->drain_timer);
    g_source_unref (router->drain_timer);
  }
  if (router->pipeline) {
    gst_element_set_state (router->pipeline, GST_STATE_NULL);
    /* running jobs finish before the pool goes */
  }
  g_thread_pool_free (router->pool, FALSE, TRUE);
  if (router->bus_watch)
    g_source_remove (router->bus_watch);
  if (router->pipeline) {
    bus = gst_element_get_bus (router->pipeline);
    gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
    gst_object_unref (bus);
  }
  g_hash_table_unref (router->bins);
  g_hash_table_unref (router->devices);
  gst_clear_object (&router->source);
  gst_clear_object (&router->pipeline);
  g_main_context_unref (router->context);
  g_mutex_clear (&router->lock);
  g_cond_clear (&router->cond);
  g_free (router->name);
  g_free (router->source_description);
  g_ptr_array_unref (router->settings);
  g_free (router->template_route->name);
  g_free (router->template_route->branch);
  g_hash_table_unref (router->template_route->vars);
  g_free (router->template_route);
  g_free (router);
}
