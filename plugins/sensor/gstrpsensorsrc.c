/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-rpsensorsrc
 * @title: rpsensorsrc
 *
 * A REST-push sensor source: an embedded HTTP server implementing the
 * documented sensor-stream (SmartFall) API, `POST /api/device/sensor-stream`
 * and `/api/device/sensor-stream/batch`. Every accepted reading becomes one
 * buffer on each of its device's group pads (accel, gyro, pressure, fsr,
 * heart_rate, spo2, battery_level), as irregular `sensor/x-raw` F32LE.
 *
 * With #GstRpSensorSrc:device-id set the element serves that one device and
 * its pads are named by group alone, created when the element starts:
 * |[
 * gst-launch-1.0 rpsensorsrc device-id=AA:BB:CC:DD:EE:FF name=s \
 *     s.accel ! fakesink sync=false
 * ]|
 * Without it, pads named `AA_BB_CC_DD_EE_FF_accel` etc. appear (pad-added)
 * as devices post. See docs/rpsensorsrc.md for the whole contract.
 *
 * The HTTP server (#GstSensorStreamServer) runs on its own thread. Every
 * source pad has its own bounded queue (#GstRpSensorSrc:queue-size
 * buffers), pushed by a fixed pool of #GstRpSensorSrc:streaming-threads
 * workers, one worker per pad at a time so each pad keeps its order. When a
 * queue is full its oldest buffer is dropped and counted in `stats`
 * (`dropped`), so a stalled branch never holds up the server; it holds the
 * one worker blocked in its push, and loses only its own oldest data.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrpsensorsrc-private.h"
#include "gstsensorelements.h"

#include <string.h>
#include <gst/sensor/sensor.h>
#include <gst/sensorstream/sensorstream-server-props.h>

GST_DEBUG_CATEGORY (gst_rp_sensor_src_debug);

#define DEFAULT_QUEUE_SIZE 1024
#define DEFAULT_MAX_DEVICES 10000
#define DEFAULT_STREAMING_THREADS 4
#define DEFAULT_DEVICE_IDLE_TIMEOUT 0

enum {
  PROP_0,
  PROP_SERVER_FIRST, /* GST_SENSOR_STREAM_SERVER_PROPS_N of them */
  PROP_DEVICE_ID = PROP_SERVER_FIRST + GST_SENSOR_STREAM_SERVER_PROPS_N,
  PROP_QUEUE_SIZE,
  PROP_MAX_DEVICES,
  PROP_STREAMING_THREADS,
  PROP_DEVICE_IDLE_TIMEOUT,
  PROP_DRAINING,
  PROP_HOLD_NEW_DEVICES,
  PROP_GROUPS,
  PROP_STATS,
};

#define gst_rp_sensor_src_parent_class parent_class
G_DEFINE_TYPE (GstRpSensorSrc, gst_rp_sensor_src, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (
    rpsensorsrc, "rpsensorsrc", GST_RANK_NONE, GST_TYPE_RP_SENSOR_SRC);

static void gst_rp_sensor_src_finalize (GObject *object);
static void gst_rp_sensor_src_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec);
static void gst_rp_sensor_src_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec);
static GstStateChangeReturn gst_rp_sensor_src_change_state (
    GstElement *element, GstStateChange transition);
static gboolean gst_rp_sensor_src_send_event (
    GstElement *element, GstEvent *event);

static void
gst_rp_sensor_src_class_init (GstRpSensorSrcClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  guint i;

  GST_DEBUG_CATEGORY_INIT (gst_rp_sensor_src_debug, "rpsensorsrc", 0,
      "sensor-stream HTTP API source");

  gobject_class->finalize = gst_rp_sensor_src_finalize;
  gobject_class->set_property = gst_rp_sensor_src_set_property;
  gobject_class->get_property = gst_rp_sensor_src_get_property;

  gst_sensor_stream_server_install_properties (
      gobject_class, PROP_SERVER_FIRST);

  g_object_class_install_property (gobject_class, PROP_DEVICE_ID,
      g_param_spec_string ("device-id", "Device id",
          "Serve only this device (any documented MAC spelling); its pads "
          "are then named by group alone (accel, gyro, ...) and exist from "
          "the start",
          NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_QUEUE_SIZE,
      g_param_spec_uint ("queue-size", "Queue size",
          "Buffers queued per pad before the oldest is dropped", 1, G_MAXINT,
          DEFAULT_QUEUE_SIZE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MAX_DEVICES,
      g_param_spec_uint ("max-devices", "Maximum devices",
          "Devices served at once without device-id (each has its pads and "
          "their queues); posts of further devices get 503 (0 = no limit)",
          0, G_MAXINT, DEFAULT_MAX_DEVICES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_STREAMING_THREADS,
      g_param_spec_uint ("streaming-threads", "Streaming threads",
          "Threads pushing the buffers of every pad, however many devices; a "
          "pad is pushed by one of them at a time, and a push that blocks "
          "holds only that one",
          1, 1024, DEFAULT_STREAMING_THREADS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_DEVICE_IDLE_TIMEOUT,
      g_param_spec_uint ("device-idle-timeout", "Device idle timeout",
          "Seconds without a reading after which a device's pads get EOS and "
          "are removed and the device is forgotten; its next post creates "
          "them again (0 = never; not with device-id)",
          0, 86400 * 365, DEFAULT_DEVICE_IDLE_TIMEOUT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_HOLD_NEW_DEVICES,
      g_param_spec_boolean ("hold-new-devices", "Hold new devices",
          "A device that first posts starts held (see the set-device-held "
          "action signal): its readings wait until the application releases "
          "it, e.g. once its branch is connected",
          FALSE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_GROUPS,
      g_param_spec_string ("groups", "Groups",
          "Comma-separated groups that get pads (accel, gyro, pressure, fsr, "
          "heart_rate, spo2, battery_level); the other groups' values are "
          "counted (groups-skipped) and dropped at once. NULL: every group",
          NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_DRAINING,
      g_param_spec_boolean ("draining", "Draining",
          "Answer every new request 503 \"Service draining\" with "
          "Retry-After and Connection: close, so that a balancer moves "
          "devices elsewhere; readings already accepted still flow",
          FALSE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstRpSensorSrc::set-device-available:
   * @src: the element
   * @device: a device id (any documented spelling)
   * @available: FALSE: answer the device's posts 503 "Device unavailable"
   *   with Retry-After 1 until it is set available again
   *
   * For an application whose branch for a device cannot take readings
   * (its upstream session failed, it is being rebuilt): the device is told
   * to retry instead of having readings accepted and then lost.
   */
  g_signal_new_class_handler ("set-device-available", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rp_sensor_src_set_device_available), NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  /**
   * GstRpSensorSrc::set-device-held:
   * @src: the element
   * @device: a device id (any documented spelling)
   * @held: TRUE: the device's readings wait in its pads' queues
   *   (`queue-size`, oldest dropped first and counted) and no streaming
   *   thread pushes them; FALSE: they flow again, in order
   *
   * For an application whose branch for a device is not ready yet (its
   * upstream session connecting): the readings wait without holding one
   * of the shared streaming threads. Also applies to pads created later.
   */
  g_signal_new_class_handler ("set-device-held", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rp_sensor_src_set_device_held), NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Request and reading counters: requests, accepted, invalid, "
          "unauthorized, rate-limited, refused, timeouts, filtered, pushed, "
          "dropped, dropped-bytes, queued, queued-bytes, not-linked, clamped, "
          "falls, groups-skipped, devices, devices-expired, connections, "
          "connections-accepted, connections-refused, accept-errors",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  for (i = 0; i < GST_SENSOR_STREAM_N_GROUPS; i++) {
    GstCaps *caps = gst_sensor_stream_group_caps (i);
    gchar *per_device =
        g_strdup_printf ("%%s_%s", gst_sensor_stream_group_get (i)->name);

    gst_element_class_add_pad_template (element_class,
        gst_pad_template_new (gst_sensor_stream_group_get (i)->name,
            GST_PAD_SRC, GST_PAD_SOMETIMES, caps));
    gst_element_class_add_pad_template (element_class,
        gst_pad_template_new (
            per_device, GST_PAD_SRC, GST_PAD_SOMETIMES, caps));
    g_free (per_device);
    gst_caps_unref (caps);
  }

  gst_element_class_set_static_metadata (element_class,
      "Sensor-stream HTTP API source", "Source/Sensor/Network",
      "Serves the sensor-stream (SmartFall) HTTP JSON API and emits each "
      "device's readings as irregular sensor/x-raw streams, with fall "
      "detection and health score",
      "gst-plugins-sensor <https://example.invalid/gst-plugins-sensor>");

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_rp_sensor_src_change_state);
  element_class->send_event = GST_DEBUG_FUNCPTR (gst_rp_sensor_src_send_event);

  gst_type_mark_as_plugin_api (GST_TYPE_SENSOR_STREAM_SENSITIVITY, 0);
}

static const GstSensorCounterInfo counter_info[RP_N_COUNTERS] = {
  { "accepted", "readings accepted" },
  { "filtered", "readings of other devices (device-id set)" },
  { "pushed", "buffers pushed" },
  { "not-linked", "buffers pushed into an unlinked pad" },
  { "clamped", "PTS held back to stay monotonic" },
  { "falls", "falls detected" },
  { "devices-expired", "devices ended for idleness" },
  { "groups-skipped", "values of groups left out by groups" },
};

static void
gst_rp_sensor_src_init (GstRpSensorSrc *self)
{
  gst_sensor_stream_server_config_init (&self->config);
  self->counters = gst_sensor_counters_new (counter_info, RP_N_COUNTERS);
  self->queue_size = DEFAULT_QUEUE_SIZE;
  self->max_devices = DEFAULT_MAX_DEVICES;
  self->streaming_threads = DEFAULT_STREAMING_THREADS;
  self->device_idle_timeout = DEFAULT_DEVICE_IDLE_TIMEOUT;
  g_mutex_init (&self->lock);
  self->pads =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, gst_object_unref);
  self->devices = gst_rp_sensor_src_device_table_new ();
  self->unavailable =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending_pads = g_ptr_array_new_with_free_func (gst_object_unref);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
}

static void
gst_rp_sensor_src_finalize (GObject *object)
{
  GstRpSensorSrc *self = GST_RP_SENSOR_SRC (object);

  gst_sensor_stream_server_config_clear (&self->config);
  g_free (self->device_id);
  g_free (self->groups);
  g_ptr_array_unref (self->pending_pads);
  gst_sensor_counters_free (self->counters);
  g_hash_table_unref (self->pads);
  g_hash_table_unref (self->devices);
  g_hash_table_unref (self->unavailable);
  g_hash_table_unref (self->held);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}


static GstStructure *
make_stats (GstRpSensorSrc *self)
{
  GstSensorStreamServerStats ss;
  GstStructure *s;
  guint64 dropped, dropped_bytes, queued_bytes = 0;
  guint devices, queued = 0;
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&self->lock);
  devices = self->n_devices;
  if (self->server)
    gst_sensor_stream_server_get_stats (self->server, &ss);
  else
    ss = self->last_server_stats;
  dropped = self->retired_dropped;
  dropped_bytes = self->retired_dropped_bytes;
  g_hash_table_iter_init (&iter, self->pads);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    GstSensorHandoffQueueStats qs;

    gst_sensor_stream_lane_get_stats (
        gst_rp_sensor_src_pad_get_data (value)->lane, &qs);
    dropped += qs.dropped;
    dropped_bytes += qs.dropped_bytes;
    queued += qs.buffers;
    queued_bytes += qs.bytes;
  }
  g_mutex_unlock (&self->lock);

  s = gst_sensor_counters_new_stats (self->counters, "rpsensorsrc");
  gst_structure_set (s, "requests", G_TYPE_UINT64, ss.requests, "invalid",
      G_TYPE_UINT64, ss.invalid, "unauthorized", G_TYPE_UINT64, ss.unauthorized,
      "rate-limited", G_TYPE_UINT64, ss.rate_limited, "refused", G_TYPE_UINT64,
      ss.refused, "timeouts", G_TYPE_UINT64, ss.timeouts, "dropped",
      G_TYPE_UINT64, dropped, "dropped-bytes", G_TYPE_UINT64, dropped_bytes,
      "queued", G_TYPE_UINT, queued, "queued-bytes", G_TYPE_UINT,
      (guint) MIN (queued_bytes, G_MAXUINT), "devices", G_TYPE_UINT, devices,
      "connections", G_TYPE_UINT64, ss.listener.open, "connections-accepted",
      G_TYPE_UINT64, ss.listener.accepted, "connections-refused", G_TYPE_UINT64,
      ss.listener.refused, "accept-errors", G_TYPE_UINT64,
      ss.listener.accept_errors, NULL);
  return s;
}

static gboolean
is_server_prop (guint prop_id)
{
  return prop_id >= PROP_SERVER_FIRST && prop_id < PROP_DEVICE_ID;
}

/* The plain properties: stored under the object lock, no side effect. */
static const GstSensorFieldProp plain_props[] = {
  GST_SENSOR_FIELD_PROP (PROP_DEVICE_ID, GstRpSensorSrc, device_id),
  GST_SENSOR_FIELD_PROP (PROP_QUEUE_SIZE, GstRpSensorSrc, queue_size),
  GST_SENSOR_FIELD_PROP (PROP_MAX_DEVICES, GstRpSensorSrc, max_devices),
  GST_SENSOR_FIELD_PROP (
      PROP_STREAMING_THREADS, GstRpSensorSrc, streaming_threads),
  GST_SENSOR_FIELD_PROP (
      PROP_DEVICE_IDLE_TIMEOUT, GstRpSensorSrc, device_idle_timeout),
  GST_SENSOR_FIELD_PROP (PROP_GROUPS, GstRpSensorSrc, groups),
};

static void
gst_rp_sensor_src_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstRpSensorSrc *self = GST_RP_SENSOR_SRC (object);

  if (GST_SENSOR_FIELD_SET (object, plain_props, prop_id, value))
    return;
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_HOLD_NEW_DEVICES:
      g_mutex_lock (&self->lock);
      self->hold_new_devices = g_value_get_boolean (value);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_DRAINING:
      self->draining = g_value_get_boolean (value);
      /* the object lock is not taken under @lock anywhere */
      g_mutex_lock (&self->lock);
      if (self->server)
        gst_sensor_stream_server_set_draining (self->server, self->draining);
      g_mutex_unlock (&self->lock);
      break;
    default:
      if (is_server_prop (prop_id))
        gst_sensor_stream_server_config_set_property (
            &self->config, prop_id - PROP_SERVER_FIRST, value);
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_rp_sensor_src_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstRpSensorSrc *self = GST_RP_SENSOR_SRC (object);

  if (GST_SENSOR_FIELD_GET (object, plain_props, prop_id, value))
    return;
  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, make_stats (self));
    return;
  }

  GST_OBJECT_LOCK (self);
  if (prop_id == PROP_DRAINING)
    g_value_set_boolean (value, self->draining);
  else if (prop_id == PROP_HOLD_NEW_DEVICES)
    g_value_set_boolean (value, self->hold_new_devices);
  else if (!is_server_prop (prop_id))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else if (prop_id == PROP_SERVER_FIRST + GST_SENSOR_STREAM_SERVER_PROP_PORT &&
      self->bound_port > 0)
    g_value_set_int (value, self->bound_port);
  else
    gst_sensor_stream_server_config_get_property (
        &self->config, prop_id - PROP_SERVER_FIRST, value);
  GST_OBJECT_UNLOCK (self);
}

/* ---- start and stop ---- */

static void
stop_server (GstRpSensorSrc *self)
{
  GstSensorStreamServer *server;

  g_mutex_lock (&self->lock);
  server = self->server;
  g_mutex_unlock (&self->lock);
  if (server == NULL)
    return;
  /* joins the server thread: no request is counted after this */
  gst_sensor_stream_server_stop (server);
  g_mutex_lock (&self->lock);
  gst_sensor_stream_server_get_stats (server, &self->last_server_stats);
  self->server = NULL;
  g_mutex_unlock (&self->lock);
  gst_sensor_stream_server_free (server);
  g_clear_pointer (&self->expiry, g_source_unref);
  GST_OBJECT_LOCK (self);
  self->bound_port = 0;
  GST_OBJECT_UNLOCK (self);
}

/* The groups named in @groups as a bit mask (every group for NULL or
 * empty); names it does not know are appended to @unknown. */
static guint
parse_groups (const gchar *groups, GString *unknown)
{
  gchar **names;
  guint mask = 0, i, g;

  if (groups == NULL || *groups == '\0')
    return (1u << GST_SENSOR_STREAM_N_GROUPS) - 1;
  names = g_strsplit (groups, ",", -1);
  for (i = 0; names[i]; i++) {
    const gchar *name = g_strstrip (names[i]);

    for (g = 0; g < GST_SENSOR_STREAM_N_GROUPS; g++)
      if (strcmp (name, gst_sensor_stream_group_get (g)->name) == 0)
        break;
    if (g < GST_SENSOR_STREAM_N_GROUPS)
      mask |= 1u << g;
    else if (*name != '\0')
      g_string_append_printf (
          unknown, "%s\"%s\"", unknown->len ? ", " : "", name);
  }
  g_strfreev (names);
  return mask;
}

static gboolean
start_server (GstRpSensorSrc *self)
{
  GString *unknown = g_string_new (NULL);
  GstSensorStreamServerConfig config;
  GstSensorStreamServer *server;
  GError *error = NULL;
  gchar *device;
  gboolean bad_device, draining, ok = FALSE;
  guint threads;

  GST_OBJECT_LOCK (self);
  gst_sensor_stream_server_config_copy (&config, &self->config);
  device = g_strdup (self->device_id);
  self->run_queue_size = self->queue_size;
  self->run_max_devices = self->max_devices;
  self->run_device_idle_timeout = self->device_idle_timeout;
  self->run_group_mask = parse_groups (self->groups, unknown);
  threads = self->streaming_threads;
  draining = self->draining;
  GST_OBJECT_UNLOCK (self);
  if (config.address == NULL)
    config.address = g_strdup ("127.0.0.1");

  self->filtered = device != NULL && *device != '\0';
  bad_device = self->filtered &&
      !gst_sensor_stream_normalize_mac (device, self->run_device);
  g_free (device);
  if (unknown->len > 0) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("groups: no such group %s", unknown->str),
        ("the groups are accel, gyro, pressure, fsr, heart_rate, spo2 and "
         "battery_level"));
    g_string_free (unknown, TRUE);
    goto done;
  }
  g_string_free (unknown, TRUE);
  if (bad_device) {
    GST_ELEMENT_ERROR (
        self, RESOURCE, SETTINGS, ("device-id is not a MAC address"), (NULL));
    goto done;
  }

  self->group_id = gst_util_group_id_next ();
  self->pool = gst_sensor_stream_pool_new (threads);
  server = gst_sensor_stream_server_new (
      &config, &gst_rp_sensor_src_server_callbacks, self, &error);
  if (server == NULL) {
    if (g_error_matches (error, GST_SENSOR_STREAM_SERVER_ERROR,
            GST_SENSOR_STREAM_SERVER_ERROR_SETTINGS))
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s", error->message),
          ("only loopback addresses may serve without authentication"));
    else
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
          ("Could not listen on %s", config.address), ("%s", error->message));
    g_clear_error (&error);
    g_clear_pointer (&self->pool, gst_sensor_stream_pool_free);
    goto done;
  }
  gst_sensor_stream_server_set_draining (server, draining);
  if (!self->filtered && self->run_device_idle_timeout > 0) {
    self->expiry =
        g_timeout_source_new (MIN (1000, self->run_device_idle_timeout * 250));
    g_source_set_callback (
        self->expiry, gst_rp_sensor_src_expire_devices, self, NULL);
    g_source_attach (
        self->expiry, gst_sensor_stream_server_get_context (server));
  }
  g_mutex_lock (&self->lock);
  self->server = server;
  g_mutex_unlock (&self->lock);
  GST_OBJECT_LOCK (self);
  self->bound_port = gst_sensor_stream_server_get_port (server);
  GST_OBJECT_UNLOCK (self);
  GST_INFO_OBJECT (
      self, "listening on %s port %d", config.address, self->bound_port);
  ok = TRUE;

done:
  gst_sensor_stream_server_config_clear (&config);
  return ok;
}

typedef struct
{
  GstRpSensorSrc *self;
  GstEvent *event;
} EosJob;

static void
eos_job_free (EosJob *job)
{
  gst_event_unref (job->event);
  gst_object_unref (job->self);
  g_free (job);
}

/* On the server thread, the only one that makes pads and queues readings,
 * so no pad can appear after the EOS went to the others. */
static gboolean
eos_on_server_thread (gpointer data)
{
  EosJob *job = data;
  GstRpSensorSrc *self = job->self;
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->devices);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    /* the end reaches held pads too (what they held goes with it) */
    n += gst_rp_sensor_src_device_end (value, job->event, FALSE);
  }
  g_hash_table_remove_all (self->held);
  g_mutex_unlock (&self->lock);

  if (n == 0) {
    GstMessage *msg = gst_message_new_eos (GST_OBJECT (self));

    /* No pad to carry it (a gateway before its first device): the element
     * stands in for the sinks it would have fed. A bin posts EOS once every
     * sink did, and knows sinks by this flag; it is cleared when the
     * element stops. */
    GST_INFO_OBJECT (self, "EOS without pads: posting it");
    GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SINK);
    gst_message_set_seqnum (msg, gst_event_get_seqnum (job->event));
    gst_element_post_message (GST_ELEMENT (self), msg);
  }
  return G_SOURCE_REMOVE;
}

static gboolean
gst_rp_sensor_src_send_event (GstElement *element, GstEvent *event)
{
  GstRpSensorSrc *self = GST_RP_SENSOR_SRC (element);
  GMainContext *context;
  EosJob *job;

  if (GST_EVENT_TYPE (event) != GST_EVENT_EOS)
    return GST_ELEMENT_CLASS (parent_class)->send_event (element, event);

  /* EOS after the readings already accepted, on every pad; later posts get
   * 503 */
  g_mutex_lock (&self->lock);
  if (self->server == NULL || self->eos) {
    gboolean ok = self->eos;

    g_mutex_unlock (&self->lock);
    GST_DEBUG_OBJECT (self, "EOS while %s", ok ? "at EOS" : "stopped");
    gst_event_unref (event);
    return ok;
  }
  self->eos = TRUE;
  context =
      g_main_context_ref (gst_sensor_stream_server_get_context (self->server));
  g_mutex_unlock (&self->lock);

  job = g_new0 (EosJob, 1);
  job->self = gst_object_ref (self);
  job->event = event;
  /* runs at once when called from the server thread itself (e.g. from a
   * pad-added handler), hence outside the lock */
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, eos_on_server_thread,
      job, (GDestroyNotify) eos_job_free);
  g_main_context_unref (context);
  return TRUE;
}

static GstStateChangeReturn
gst_rp_sensor_src_change_state (GstElement *element, GstStateChange transition)
{
  GstRpSensorSrc *self = GST_RP_SENSOR_SRC (element);
  GstStateChangeReturn ret;
  guint g;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      g_mutex_lock (&self->lock);
      self->eos = FALSE;
      gst_sensor_counters_reset (self->counters);
      memset (&self->last_server_stats, 0, sizeof (self->last_server_stats));
      self->retired_dropped = self->retired_dropped_bytes = 0;
      g_mutex_unlock (&self->lock);
      if (!start_server (self))
        return GST_STATE_CHANGE_FAILURE;
      break;
    case GST_STATE_CHANGE_PAUSED_TO_PLAYING:
      g_mutex_lock (&self->lock);
      self->streaming = TRUE;
      g_mutex_unlock (&self->lock);
      break;
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      g_mutex_lock (&self->lock);
      self->streaming = FALSE;
      g_mutex_unlock (&self->lock);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      /* no request in flight once the server thread is gone, so no pad
       * is being made while they are removed */
      stop_server (self);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE) {
    if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
      stop_server (self);
      g_clear_pointer (&self->pool, gst_sensor_stream_pool_free);
    }
    return ret;
  }

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      if (self->filtered) {
        GstRpSensorSrcDevice *entry =
            gst_rp_sensor_src_get_device (self, self->run_device);

        for (g = 0; g < GST_SENSOR_STREAM_N_GROUPS; g++) {
          if (!(self->run_group_mask & (1u << g)))
            continue;
          entry->pads[g] = gst_object_ref (gst_rp_sensor_src_create_pad (
              self, gst_sensor_stream_group_get (g)->name, g, NULL));
          entry->live++;
        }
        gst_element_no_more_pads (element);
      }
      ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      /* waits for the workers (a push in progress returned when its pad
       * was deactivated), so none uses a pad being removed */
      g_clear_pointer (&self->pool, gst_sensor_stream_pool_free);
      gst_rp_sensor_src_remove_pads (self);
      GST_OBJECT_FLAG_UNSET (self, GST_ELEMENT_FLAG_SINK);
      break;
    case GST_STATE_CHANGE_READY_TO_NULL:
      gst_sensor_epoch_reset (element);
      break;
    default:
      break;
  }
  return ret;
}
