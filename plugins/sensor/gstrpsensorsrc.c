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

#include "gstrpsensorsrc.h"
#include "gstsensorelements.h"

#include <string.h>
#include <gst/sensor/sensor.h>
#include <gst/sensorstream/sensorstream-clock.h>
#include <gst/sensorstream/sensorstream-pool.h>
#include <gst/sensorstream/sensorstream-server-props.h>

GST_DEBUG_CATEGORY_STATIC (gst_rp_sensor_src_debug);
#define GST_CAT_DEFAULT gst_rp_sensor_src_debug

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
  PROP_STATS,
};

/* One pad per device and group of fields. */
typedef struct
{
  const gchar *name;
  const gchar *modality;
  const gchar *unit;
  gint channels;
  guint flag; /* 0: every reading carries it */
} Group;

static const Group groups[] = {
  { "accel", "acc_3axis", "m/s^2", 3, 0 },
  { "gyro", "gyro_3axis", "deg/s", 3, 0 },
  { "pressure", "pressure", "hPa", 1, GST_SENSOR_STREAM_HAS_PRESSURE },
  { "fsr", "fsr", "1", 1, GST_SENSOR_STREAM_HAS_FSR },
  { "heart_rate", "heart_rate", "bpm", 1, GST_SENSOR_STREAM_HAS_HEART_RATE },
  { "spo2", "spo2", "%", 1, GST_SENSOR_STREAM_HAS_SPO2 },
  { "battery_level", "battery_level", "%", 1,
      GST_SENSOR_STREAM_HAS_BATTERY_LEVEL },
};

#define N_GROUPS G_N_ELEMENTS (groups)

/* Each counter is updated and read atomically (all guint64). */
typedef struct
{
  guint64 accepted; /* readings */
  guint64 filtered; /* readings of other devices */
  guint64 pushed;
  guint64 not_linked;
  guint64 clamped; /* PTS held back to stay monotonic */
  guint64 falls;
  guint64 devices_expired;
} Stats;

/* One device: its pads. */
typedef struct
{
  GstPad *pads[G_N_ELEMENTS (groups)];
  gint64 last_seen;   /* monotonic us, server thread */
  guint live;         /* pads not yet removed, @lock */
  gboolean retiring;  /* idle: EOS queued on its pads, @lock */
  gboolean announced; /* server thread */
} DeviceEntry;

/* State of one source pad, owned by the pad. Its buffers wait in its own
 * lane of the element's pool: bounded, drained in order by one worker at a
 * time. */
typedef struct
{
  GstRpSensorSrc *src;
  guint group;
  gchar *device; /* NULL for the filtered pads */
  GstSensorStreamLane *lane;
  gboolean retire; /* remove the pad after the EOS it is sent */
  /* server thread only */
  GstClockTime last_pts;
  gboolean discont;
  /* the draining worker only */
  gboolean failed;
} PadData;

struct _GstRpSensorSrc
{
  GstElement parent;

  /* properties, object lock */
  GstSensorStreamServerConfig config;
  gchar *device_id;
  guint queue_size;
  guint max_devices;
  guint streaming_threads;
  guint device_idle_timeout;
  gboolean draining;
  gboolean hold_new_devices; /* new devices start held, @lock */
  gint bound_port;

  /* copied at start */
  gchar run_device[GST_SENSOR_STREAM_MAC_LEN];
  gboolean filtered;
  guint run_queue_size;
  guint run_max_devices;
  guint run_device_idle_timeout;
  guint group_id;

  GstSensorStreamPool *pool; /* drains the pads' lanes */
  GSource *expiry;           /* idle devices, on the server's context */

  /* shared with workers and the application, @lock */
  GMutex lock;
  GstSensorStreamServer *server;
  GstSensorStreamServerStats last_server_stats; /* after stop */
  gboolean streaming;
  gboolean eos;
  GHashTable *pads;        /* name -> GstPad (ref) */
  GHashTable *devices;     /* device id -> DeviceEntry */
  GHashTable *unavailable; /* device ids answered 503, @lock */
  GHashTable *held;        /* device ids whose lanes are paused, @lock */
  guint n_devices;
  guint64 retired_dropped, retired_dropped_bytes; /* of removed pads */
  Stats stats; /* atomic counters, reset at start with @lock held */
};

#define gst_rp_sensor_src_parent_class parent_class
G_DEFINE_TYPE (GstRpSensorSrc, gst_rp_sensor_src, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (
    rpsensorsrc, "rpsensorsrc", GST_RANK_NONE, GST_TYPE_RP_SENSOR_SRC);

static GQuark pad_data_quark;
static void device_entry_free (DeviceEntry *entry);
static PadData *pad_get_data (GstPad *pad);

static void gst_rp_sensor_src_finalize (GObject *object);
static void gst_rp_sensor_src_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec);
static void gst_rp_sensor_src_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec);
static GstStateChangeReturn gst_rp_sensor_src_change_state (
    GstElement *element, GstStateChange transition);
static gboolean gst_rp_sensor_src_send_event (
    GstElement *element, GstEvent *event);

static GstCaps *
group_caps (guint group)
{
  GstSensorInfo info;
  GstCaps *caps;

  gst_sensor_info_init (&info);
  gst_sensor_info_set_format (&info, GST_SENSOR_FORMAT_F32LE, 0, 1,
      groups[group].channels, groups[group].modality, groups[group].unit);
  caps = gst_sensor_info_to_caps (&info);
  gst_sensor_info_clear (&info);
  return caps;
}

static void
set_device_available (
    GstRpSensorSrc *self, const gchar *device, gboolean available)
{
  gchar id[GST_SENSOR_STREAM_MAC_LEN];

  /* any documented spelling: the table is keyed by the normalised id */
  if (device == NULL || !gst_sensor_stream_normalize_mac (device, id)) {
    GST_WARNING_OBJECT (self, "set-device-available: \"%s\" is no device id",
        GST_STR_NULL (device));
    return;
  }
  g_mutex_lock (&self->lock);
  if (available)
    g_hash_table_remove (self->unavailable, id);
  else
    g_hash_table_add (self->unavailable, g_strdup (id));
  g_mutex_unlock (&self->lock);
  GST_INFO_OBJECT (self, "device %s %s", id,
      available ? "available again" : "unavailable: its posts get 503");
}

static gchar *pad_name_for (
    GstRpSensorSrc *self, const gchar *device, guint group);

static void
set_device_held (GstRpSensorSrc *self, const gchar *device, gboolean held)
{
  gchar id[GST_SENSOR_STREAM_MAC_LEN];
  guint i;

  if (device == NULL || !gst_sensor_stream_normalize_mac (device, id)) {
    GST_WARNING_OBJECT (
        self, "set-device-held: \"%s\" is no device id", GST_STR_NULL (device));
    return;
  }
  g_mutex_lock (&self->lock);
  if (held)
    g_hash_table_add (self->held, g_strdup (id));
  else
    g_hash_table_remove (self->held, id);
  for (i = 0; i < N_GROUPS; i++) {
    gchar *name = pad_name_for (self, id, i);
    GstPad *pad = g_hash_table_lookup (self->pads, name);

    if (pad)
      gst_sensor_stream_lane_set_paused (pad_get_data (pad)->lane, held);
    g_free (name);
  }
  g_mutex_unlock (&self->lock);
}

static void
gst_rp_sensor_src_class_init (GstRpSensorSrcClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  guint i;

  GST_DEBUG_CATEGORY_INIT (gst_rp_sensor_src_debug, "rpsensorsrc", 0,
      "sensor-stream HTTP API source");
  pad_data_quark = g_quark_from_static_string ("rpsensorsrc-pad-data");

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
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION, G_CALLBACK (set_device_available),
      NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
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
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION, G_CALLBACK (set_device_held), NULL,
      NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Request and reading counters: requests, accepted, invalid, "
          "unauthorized, rate-limited, refused, timeouts, filtered, pushed, "
          "dropped, dropped-bytes, queued, queued-bytes, not-linked, clamped, "
          "falls, devices, devices-expired, connections, "
          "connections-accepted, connections-refused, accept-errors",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  for (i = 0; i < N_GROUPS; i++) {
    GstCaps *caps = group_caps (i);
    gchar *per_device = g_strdup_printf ("%%s_%s", groups[i].name);

    gst_element_class_add_pad_template (element_class,
        gst_pad_template_new (
            groups[i].name, GST_PAD_SRC, GST_PAD_SOMETIMES, caps));
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

static void
gst_rp_sensor_src_init (GstRpSensorSrc *self)
{
  gst_sensor_stream_server_config_init (&self->config);
  self->queue_size = DEFAULT_QUEUE_SIZE;
  self->max_devices = DEFAULT_MAX_DEVICES;
  self->streaming_threads = DEFAULT_STREAMING_THREADS;
  self->device_idle_timeout = DEFAULT_DEVICE_IDLE_TIMEOUT;
  g_mutex_init (&self->lock);
  self->pads =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, gst_object_unref);
  self->devices = g_hash_table_new_full (
      g_str_hash, g_str_equal, g_free, (GDestroyNotify) device_entry_free);
  self->unavailable =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
}

static void
gst_rp_sensor_src_finalize (GObject *object)
{
  GstRpSensorSrc *self = GST_RP_SENSOR_SRC (object);

  gst_sensor_stream_server_config_clear (&self->config);
  g_free (self->device_id);
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
  Stats s;
  GstSensorStreamServerStats ss;
  guint64 dropped, dropped_bytes, queued_bytes = 0;
  guint devices, queued = 0, i;
  GHashTableIter iter;
  gpointer value;

  for (i = 0; i < sizeof (s) / sizeof (guint64); i++)
    ((guint64 *) &s)[i] =
        __atomic_load_n (&((guint64 *) &self->stats)[i], __ATOMIC_RELAXED);
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

    gst_sensor_stream_lane_get_stats (pad_get_data (value)->lane, &qs);
    dropped += qs.dropped;
    dropped_bytes += qs.dropped_bytes;
    queued += qs.buffers;
    queued_bytes += qs.bytes;
  }
  g_mutex_unlock (&self->lock);

  return gst_structure_new ("application/x-rpsensorsrc-stats", "requests",
      G_TYPE_UINT64, ss.requests, "accepted", G_TYPE_UINT64, s.accepted,
      "invalid", G_TYPE_UINT64, ss.invalid, "unauthorized", G_TYPE_UINT64,
      ss.unauthorized, "rate-limited", G_TYPE_UINT64, ss.rate_limited,
      "refused", G_TYPE_UINT64, ss.refused, "timeouts", G_TYPE_UINT64,
      ss.timeouts, "filtered", G_TYPE_UINT64, s.filtered, "pushed",
      G_TYPE_UINT64, s.pushed, "dropped", G_TYPE_UINT64, dropped,
      "dropped-bytes", G_TYPE_UINT64, dropped_bytes, "queued", G_TYPE_UINT,
      queued, "queued-bytes", G_TYPE_UINT,
      (guint) MIN (queued_bytes, G_MAXUINT), "not-linked", G_TYPE_UINT64,
      s.not_linked, "clamped", G_TYPE_UINT64, s.clamped, "falls", G_TYPE_UINT64,
      s.falls, "devices", G_TYPE_UINT, devices, "devices-expired",
      G_TYPE_UINT64, s.devices_expired, "connections", G_TYPE_UINT64,
      ss.listener.open, "connections-accepted", G_TYPE_UINT64,
      ss.listener.accepted, "connections-refused", G_TYPE_UINT64,
      ss.listener.refused, "accept-errors", G_TYPE_UINT64,
      ss.listener.accept_errors, NULL);
}

static gboolean
is_server_prop (guint prop_id)
{
  return prop_id >= PROP_SERVER_FIRST && prop_id < PROP_DEVICE_ID;
}

static void
gst_rp_sensor_src_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstRpSensorSrc *self = GST_RP_SENSOR_SRC (object);

  GST_OBJECT_LOCK (self);
  if (is_server_prop (prop_id))
    gst_sensor_stream_server_config_set_property (
        &self->config, prop_id - PROP_SERVER_FIRST, value);
  switch (prop_id) {
    case PROP_DEVICE_ID:
      g_free (self->device_id);
      self->device_id = g_value_dup_string (value);
      break;
    case PROP_QUEUE_SIZE:
      self->queue_size = g_value_get_uint (value);
      break;
    case PROP_MAX_DEVICES:
      self->max_devices = g_value_get_uint (value);
      break;
    case PROP_STREAMING_THREADS:
      self->streaming_threads = g_value_get_uint (value);
      break;
    case PROP_DEVICE_IDLE_TIMEOUT:
      self->device_idle_timeout = g_value_get_uint (value);
      break;
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
      if (!is_server_prop (prop_id))
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

  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, make_stats (self));
    return;
  }

  GST_OBJECT_LOCK (self);
  if (is_server_prop (prop_id))
    gst_sensor_stream_server_config_get_property (
        &self->config, prop_id - PROP_SERVER_FIRST, value);
  switch (prop_id) {
    case PROP_SERVER_FIRST + GST_SENSOR_STREAM_SERVER_PROP_PORT:
      if (self->bound_port > 0)
        g_value_set_int (value, self->bound_port);
      break;
    case PROP_DEVICE_ID:
      g_value_set_string (value, self->device_id);
      break;
    case PROP_QUEUE_SIZE:
      g_value_set_uint (value, self->queue_size);
      break;
    case PROP_MAX_DEVICES:
      g_value_set_uint (value, self->max_devices);
      break;
    case PROP_STREAMING_THREADS:
      g_value_set_uint (value, self->streaming_threads);
      break;
    case PROP_DEVICE_IDLE_TIMEOUT:
      g_value_set_uint (value, self->device_idle_timeout);
      break;
    case PROP_DRAINING:
      g_value_set_boolean (value, self->draining);
      break;
    case PROP_HOLD_NEW_DEVICES:
      g_value_set_boolean (value, self->hold_new_devices);
      break;
    default:
      if (!is_server_prop (prop_id))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* ---- pads and the streaming pool ---- */

static PadData *
pad_get_data (GstPad *pad)
{
  return g_object_get_qdata (G_OBJECT (pad), pad_data_quark);
}

static void
pad_data_free (PadData *pd)
{
  gst_sensor_stream_lane_unref (pd->lane);
  g_free (pd->device);
  g_free (pd);
}

static void
count (GstRpSensorSrc *self, guint64 *counter)
{
  /* bumped by the server thread and the workers: no lock */
  __atomic_fetch_add (counter, 1, __ATOMIC_RELAXED);
}

/* Queues @obj (taken) for @pad. Never blocks: a full lane drops its
 * oldest buffer (counted by the lane). */
static void
pad_enqueue (GstRpSensorSrc *self, GstPad *pad, GstMiniObject *obj)
{
  gst_sensor_stream_lane_push (pad_get_data (pad)->lane, obj);
}

/* An idle device's pad, its EOS sent: removed, and the device forgotten
 * with its last pad. */
static void
retire_pad (GstRpSensorSrc *self, GstPad *pad, PadData *pd)
{
  GstSensorHandoffQueueStats qs;
  GstPad *owned = NULL, *entry_pad = NULL;
  DeviceEntry *entry;
  gchar *name = gst_pad_get_name (pad);

  gst_sensor_stream_lane_get_stats (pd->lane, &qs);
  g_mutex_lock (&self->lock);
  /* whoever takes it from the table removes it (the state change too) */
  if (g_hash_table_steal_extended (
          self->pads, name, NULL, (gpointer *) &owned)) {
    self->retired_dropped += qs.dropped;
    self->retired_dropped_bytes += qs.dropped_bytes;
  }
  entry = pd->device ? g_hash_table_lookup (self->devices, pd->device) : NULL;
  if (owned && entry && entry->pads[pd->group] == pad) {
    entry_pad = entry->pads[pd->group];
    entry->pads[pd->group] = NULL;
    if (--entry->live == 0) {
      self->n_devices -= entry->announced ? 1 : 0;
      g_hash_table_remove (self->held, pd->device);
      g_hash_table_remove (self->devices, pd->device);
      count (self, &self->stats.devices_expired);
    }
  }
  g_mutex_unlock (&self->lock);
  g_free (name);

  if (owned) {
    GST_DEBUG_OBJECT (pad, "device idle: removing its pad");
    gst_pad_set_active (pad, FALSE);
    gst_element_remove_pad (GST_ELEMENT (self), pad);
    gst_object_unref (owned);
  }
  if (entry_pad)
    gst_object_unref (entry_pad);
}

static void
pad_push_one (
    GstRpSensorSrc *self, GstPad *pad, PadData *pd, GstMiniObject *obj)
{
  GstFlowReturn ret;

  if (GST_IS_EVENT (obj)) {
    gboolean eos = GST_EVENT_TYPE (obj) == GST_EVENT_EOS;

    gst_pad_push_event (pad, GST_EVENT (obj));
    if (eos && pd->retire)
      retire_pad (self, pad, pd);
    return;
  }
  if (pd->failed) {
    gst_mini_object_unref (obj);
    return;
  }

  ret = gst_pad_push (pad, GST_BUFFER (obj));
  if (ret == GST_FLOW_OK)
    count (self, &self->stats.pushed);
  else if (ret == GST_FLOW_NOT_LINKED)
    count (self, &self->stats.not_linked);

  switch (ret) {
    case GST_FLOW_OK:
    case GST_FLOW_NOT_LINKED:
      /* a group nobody links (heart_rate of a gateway that only wants
       * accel) is not an error */
    case GST_FLOW_FLUSHING:
    case GST_FLOW_EOS:
      /* this pad is going down or done; the other pads go on */
      break;
    default:
      GST_ELEMENT_FLOW_ERROR (self, ret);
      pd->failed = TRUE;
      gst_pad_push_event (pad, gst_event_new_eos ());
      break;
  }
}

/* On a worker of the pool. A push that blocks (a stalled branch, a sink
 * in preroll) holds this worker only; the pad's lane keeps dropping its
 * own oldest buffers meanwhile. */
static void
pad_lane_func (GstMiniObject *obj, gpointer user_data)
{
  GstPad *pad = user_data;
  PadData *pd = pad_get_data (pad);

  pad_push_one (pd->src, pad, pd, obj);
}

/* A deactivated pad's queue flushes: a worker draining it stops at its
 * next item (and deactivation already made a push in progress return). */
static gboolean
src_activate_mode (
    GstPad *pad, GstObject *parent, GstPadMode mode, gboolean active)
{
  PadData *pd = pad_get_data (pad);

  if (mode != GST_PAD_MODE_PUSH)
    return FALSE;
  gst_sensor_stream_lane_set_flushing (pd->lane, !active);
  return TRUE;
}

static void
device_entry_free (DeviceEntry *entry)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (entry->pads); i++)
    if (entry->pads[i])
      gst_object_unref (entry->pads[i]);
  g_free (entry);
}

static gboolean
src_query (GstPad *pad, GstObject *parent, GstQuery *query)
{
  if (GST_QUERY_TYPE (query) == GST_QUERY_LATENCY) {
    /* readings are timestamped when they arrive (or earlier, by their
     * client_timestamp): a live source without added latency */
    gst_query_set_latency (query, TRUE, 0, GST_CLOCK_TIME_NONE);
    return TRUE;
  }
  return gst_pad_query_default (pad, parent, query);
}

/* Creates, activates and announces one pad. Called by the server thread
 * (per-device pads) or the state change (filtered pads). */
static GstPad *
create_pad (
    GstRpSensorSrc *self, const gchar *name, guint group, const gchar *device)
{
  GstElementClass *klass = GST_ELEMENT_GET_CLASS (self);
  gchar *templ_name = device ? g_strdup_printf ("%%s_%s", groups[group].name) :
                               g_strdup (groups[group].name);
  GstPadTemplate *templ =
      gst_element_class_get_pad_template (klass, templ_name);
  GstPad *pad;
  PadData *pd;
  GstCaps *caps;
  GstSegment segment;
  GstEvent *ev;
  gchar *stream_id;

  g_free (templ_name);
  pad = gst_pad_new_from_template (templ, name);
  pd = g_new0 (PadData, 1);
  pd->src = self;
  pd->group = group;
  pd->device = g_strdup (device);
  pd->discont = TRUE;
  /* the pad outlives every run of its lane: the pool is freed before
   * the pads are removed, and retire_pad() runs in the lane itself */
  pd->lane = gst_sensor_stream_lane_new (
      self->pool, self->run_queue_size, pad_lane_func, pad);
  g_object_set_qdata_full (
      G_OBJECT (pad), pad_data_quark, pd, (GDestroyNotify) pad_data_free);
  gst_pad_set_query_function (pad, src_query);
  gst_pad_set_activatemode_function (pad, src_activate_mode);
  gst_pad_use_fixed_caps (pad);
  gst_pad_set_active (pad, TRUE);

  /* sticky events, stored now and sent ahead of the first buffer */
  stream_id = gst_pad_create_stream_id (pad, GST_ELEMENT (self), name);
  ev = gst_event_new_stream_start (stream_id);
  gst_event_set_group_id (ev, self->group_id);
  gst_event_set_stream_flags (ev, GST_STREAM_FLAG_SPARSE);
  gst_pad_push_event (pad, ev);
  g_free (stream_id);
  caps = group_caps (group);
  gst_pad_push_event (pad, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (pad, gst_event_new_segment (&segment));

  g_mutex_lock (&self->lock);
  /* with the lock set_device_held() takes: a hold never misses a new pad */
  if (device && g_hash_table_contains (self->held, device))
    gst_sensor_stream_lane_set_paused (pd->lane, TRUE);
  g_hash_table_insert (self->pads, g_strdup (name), gst_object_ref (pad));
  g_mutex_unlock (&self->lock);

  gst_element_add_pad (GST_ELEMENT (self), pad);
  return pad;
}

static gchar *
pad_name_for (GstRpSensorSrc *self, const gchar *device, guint group)
{
  gchar *dev, *name;

  if (self->filtered)
    return g_strdup (groups[group].name);
  dev = g_strdup (device);
  g_strdelimit (dev, ":", '_');
  name = g_strdup_printf ("%s_%s", dev, groups[group].name);
  g_free (dev);
  return name;
}

static DeviceEntry *
get_device (GstRpSensorSrc *self, const gchar *device)
{
  DeviceEntry *entry;

  g_mutex_lock (&self->lock);
  entry = g_hash_table_lookup (self->devices, device);
  if (entry == NULL) {
    entry = g_new0 (DeviceEntry, 1);
    g_hash_table_insert (self->devices, g_strdup (device), entry);
    /* before its pads exist, so no reading slips through */
    if (self->hold_new_devices)
      g_hash_table_add (self->held, g_strdup (device));
  }
  g_mutex_unlock (&self->lock);
  return entry;
}

/* The pad of @entry's @group (borrowed), created on first use when pads
 * are per device. */
static GstPad *
get_pad (
    GstRpSensorSrc *self, DeviceEntry *entry, const gchar *device, guint group)
{
  if (entry->pads[group] == NULL && !self->filtered) {
    gchar *name = pad_name_for (self, device, group);
    GstPad *pad = gst_object_ref (create_pad (self, name, group, device));

    g_mutex_lock (&self->lock);
    entry->pads[group] = pad;
    entry->live++;
    g_mutex_unlock (&self->lock);
    g_free (name);
  }
  return entry->pads[group];
}

/* After the pads were deactivated: removes them. */
static void
remove_pads (GstRpSensorSrc *self)
{
  GList *pads, *l;
  GHashTable *devices;

  g_mutex_lock (&self->lock);
  pads = g_hash_table_get_values (self->pads);
  g_list_foreach (pads, (GFunc) gst_object_ref, NULL);
  g_hash_table_remove_all (self->pads);
  self->n_devices = 0;
  devices = self->devices;
  self->devices = g_hash_table_new_full (
      g_str_hash, g_str_equal, g_free, (GDestroyNotify) device_entry_free);
  g_mutex_unlock (&self->lock);
  g_hash_table_unref (devices);

  for (l = pads; l; l = l->next) {
    gst_pad_set_active (l->data, FALSE);
    gst_element_remove_pad (GST_ELEMENT (self), l->data);
  }
  g_list_free_full (pads, gst_object_unref);
}

/* On the server thread, every second or so: the pads of devices silent for
 * device-idle-timeout get EOS, then are removed (retire_pad()). */
static gboolean
expire_devices (gpointer user_data)
{
  GstRpSensorSrc *self = user_data;
  gint64 limit = g_get_monotonic_time () -
      (gint64) self->run_device_idle_timeout * G_USEC_PER_SEC;
  GHashTableIter iter;
  gpointer key, value;
  GSList *gone = NULL;

  g_mutex_lock (&self->lock);
  if (self->eos) {
    g_mutex_unlock (&self->lock);
    return G_SOURCE_CONTINUE;
  }
  g_hash_table_iter_init (&iter, self->devices);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    DeviceEntry *entry = value;
    guint g;

    if (entry->retiring || entry->last_seen > limit)
      continue;
    if (entry->live == 0) {
      gone = g_slist_prepend (gone, g_strdup (key));
      continue;
    }
    GST_INFO_OBJECT (
        self, "device %s idle: ending its streams", (const gchar *) key);
    entry->retiring = TRUE;
    /* a held device is let go: its EOS must get through */
    g_hash_table_remove (self->held, key);
    for (g = 0; g < N_GROUPS; g++)
      if (entry->pads[g]) {
        pad_get_data (entry->pads[g])->retire = TRUE;
        gst_sensor_stream_lane_set_paused (
            pad_get_data (entry->pads[g])->lane, FALSE);
        pad_enqueue (
            self, entry->pads[g], GST_MINI_OBJECT (gst_event_new_eos ()));
      }
  }
  while (gone) {
    DeviceEntry *entry = g_hash_table_lookup (self->devices, gone->data);

    self->n_devices -= entry->announced ? 1 : 0;
    g_hash_table_remove (self->held, gone->data);
    g_hash_table_remove (self->devices, gone->data);
    count (self, &self->stats.devices_expired);
    g_free (gone->data);
    gone = g_slist_delete_link (gone, gone);
  }
  g_mutex_unlock (&self->lock);
  return G_SOURCE_CONTINUE;
}

/* ---- readings to buffers ---- */

static void
running_and_epoch (GstRpSensorSrc *self, const GstSensorStreamReading *r,
    GstClockTime *running, GstClockTime *epoch)
{
  GstElement *element = GST_ELEMENT (self);
  GstClock *clock = gst_element_get_clock (element);
  GstClockTime base = gst_element_get_base_time (element), now = 0, anchor;

  if (clock) {
    now = gst_clock_get_time (clock);
    gst_object_unref (clock);
  }
  anchor = gst_sensor_epoch_for_running_time (element, 0, TRUE);

  if (r->present & GST_SENSOR_STREAM_HAS_CLIENT_TIMESTAMP) {
    /* the device's own time is ground truth; map it through the
     * pipeline's anchor */
    *epoch = gst_sensor_stream_epoch_us_to_ns (r->client_timestamp_us);
    *running = *epoch > anchor ? *epoch - anchor : 0;
  } else {
    *running = now > base ? now - base : 0;
    *epoch = anchor + *running;
  }
}

static GstBuffer *
make_buffer (const GstSensorStreamReading *r, guint group)
{
  gfloat v[3];
  gint n = groups[group].channels, i;

  switch (group) {
    case 0:
      for (i = 0; i < 3; i++)
        v[i] = (gfloat) r->accel[i];
      break;
    case 1:
      for (i = 0; i < 3; i++)
        v[i] = (gfloat) r->gyro[i];
      break;
    case 2:
      v[0] = (gfloat) r->pressure;
      break;
    case 3:
      v[0] = (gfloat) r->fsr;
      break;
    case 4:
      v[0] = (gfloat) r->heart_rate;
      break;
    case 5:
      v[0] = (gfloat) r->spo2;
      break;
    default:
      v[0] = (gfloat) r->battery_level;
      break;
  }
  for (i = 0; i < n; i++)
    v[i] = GFLOAT_TO_LE (v[i]);
  return gst_buffer_new_memdup (v, n * sizeof (gfloat));
}

static void
post_device_added (GstRpSensorSrc *self, const gchar *device)
{
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self),
          gst_structure_new (
              "device-added", "device", G_TYPE_STRING, device, NULL)));
}

/* ---- the server's callbacks, on its thread ---- */

static GstSensorStreamAdmit
on_admit (const gchar *device, gpointer user_data)
{
  GstRpSensorSrc *self = user_data;
  GstSensorStreamAdmit verdict = GST_SENSOR_STREAM_ADMIT_OK;
  DeviceEntry *entry;

  g_mutex_lock (&self->lock);
  entry = g_hash_table_lookup (self->devices, device);
  if (!self->streaming || self->eos)
    verdict = GST_SENSOR_STREAM_ADMIT_NOT_STREAMING;
  else if (entry && entry->retiring)
    verdict = GST_SENSOR_STREAM_ADMIT_DEVICE_RESTARTING;
  else if (g_hash_table_contains (self->unavailable, device))
    verdict = GST_SENSOR_STREAM_ADMIT_DEVICE_UNAVAILABLE;
  else if (entry == NULL && !self->filtered && self->run_max_devices > 0 &&
      g_hash_table_size (self->devices) >= self->run_max_devices)
    /* every device costs pads and their queues: bounded */
    verdict = GST_SENSOR_STREAM_ADMIT_TOO_MANY_DEVICES;
  g_mutex_unlock (&self->lock);
  return verdict;
}

static void
on_reading (const GstSensorStreamReading *r,
    const GstSensorStreamFallResult *fall, gpointer user_data)
{
  GstRpSensorSrc *self = user_data;
  GstClockTime running, epoch;
  DeviceEntry *entry;
  gboolean is_new;
  guint g;

  if (self->filtered && strcmp (self->run_device, r->device_id) != 0) {
    count (self, &self->stats.filtered);
    return;
  }

  running_and_epoch (self, r, &running, &epoch);
  entry = get_device (self, r->device_id);
  entry->last_seen = g_get_monotonic_time ();
  /* announced: server thread only */
  is_new = !entry->announced;
  if (is_new) {
    entry->announced = TRUE;
    g_mutex_lock (&self->lock);
    self->n_devices++;
    g_mutex_unlock (&self->lock);
  }
  count (self, &self->stats.accepted);
  if (fall->detected)
    count (self, &self->stats.falls);

  for (g = 0; g < N_GROUPS; g++) {
    GstPad *pad;
    PadData *pd;
    GstBuffer *buf;
    GstClockTime pts = running;

    if (groups[g].flag != 0 && !(r->present & groups[g].flag))
      continue;
    pad = get_pad (self, entry, r->device_id, g);
    if (pad == NULL)
      continue;
    pd = pad_get_data (pad);
    buf = make_buffer (r, g);
    /* irregular streams still need monotonic PTS: a reading stamped
     * before the previous one is held at the previous time (its epoch meta
     * keeps the device's own time) */
    if (pts < pd->last_pts) {
      pts = pd->last_pts;
      count (self, &self->stats.clamped);
    }
    pd->last_pts = pts;
    GST_BUFFER_PTS (buf) = pts;
    GST_BUFFER_DTS (buf) = pts;
    GST_BUFFER_DURATION (buf) = GST_CLOCK_TIME_NONE;
    GST_BUFFER_OFFSET (buf) = r->uptime_ms;
    if (pd->discont) {
      GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
      pd->discont = FALSE;
    }
    gst_buffer_add_sensor_epoch (buf, epoch);
    pad_enqueue (self, pad, GST_MINI_OBJECT (buf));
  }

  if (is_new)
    post_device_added (self, r->device_id);
  if (fall->detected) {
    GST_INFO_OBJECT (self, "fall detected for %s: %.2f %s", r->device_id,
        fall->confidence, gst_sensor_stream_fall_level_to_string (fall->level));
    gst_element_post_message (GST_ELEMENT (self),
        gst_message_new_element (GST_OBJECT (self),
            gst_structure_new ("fall-detected", "device", G_TYPE_STRING,
                r->device_id, "confidence", G_TYPE_DOUBLE, fall->confidence,
                "level", G_TYPE_STRING,
                gst_sensor_stream_fall_level_to_string (fall->level),
                "running-time", G_TYPE_UINT64, running, "epoch", G_TYPE_UINT64,
                epoch, NULL)));
  }
}

/* Accepting stopped (descriptors exhausted) or resumed: the application
 * hears of both, as nothing else would show why devices get no answer. */
static void
on_listener_state (gboolean accepting, const GError *error, gpointer user_data)
{
  GstRpSensorSrc *self = user_data;
  GstSensorStreamServerStats stats;

  if (!accepting) {
    gst_sensor_stream_server_get_stats (self->server, &stats);
    GST_ELEMENT_WARNING (self, RESOURCE, OPEN_READ,
        ("Not accepting connections: %s", error->message),
        ("retrying; %" G_GUINT64_FORMAT " connections open",
            stats.listener.open));
  } else {
    GST_ELEMENT_WARNING (
        self, RESOURCE, OPEN_READ, ("Accepting connections again"), (NULL));
  }
}

/* The rate limiter runs on the pipeline clock, so that tests driving a
 * GstTestClock decide when tokens come back. */
static gint64
limiter_clock (gpointer user_data)
{
  GstClock *clock = gst_element_get_clock (GST_ELEMENT (user_data));
  gint64 now;

  if (clock == NULL)
    return g_get_monotonic_time ();
  now = (gint64) (gst_clock_get_time (clock) / GST_USECOND);
  gst_object_unref (clock);
  return now;
}

static const GstSensorStreamServerCallbacks server_callbacks = {
  on_admit,
  on_reading,
  on_listener_state,
  limiter_clock,
};

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

static gboolean
start_server (GstRpSensorSrc *self)
{
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
  threads = self->streaming_threads;
  draining = self->draining;
  GST_OBJECT_UNLOCK (self);
  if (config.address == NULL)
    config.address = g_strdup ("127.0.0.1");

  self->filtered = device != NULL && *device != '\0';
  bad_device = self->filtered &&
      !gst_sensor_stream_normalize_mac (device, self->run_device);
  g_free (device);
  if (bad_device) {
    GST_ELEMENT_ERROR (
        self, RESOURCE, SETTINGS, ("device-id is not a MAC address"), (NULL));
    goto done;
  }

  self->group_id = gst_util_group_id_next ();
  self->pool = gst_sensor_stream_pool_new (threads);
  server =
      gst_sensor_stream_server_new (&config, &server_callbacks, self, &error);
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
    g_source_set_callback (self->expiry, expire_devices, self, NULL);
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
    DeviceEntry *entry = value;
    guint g;

    for (g = 0; g < N_GROUPS; g++)
      if (entry->pads[g]) {
        /* the end reaches held pads too (what they held goes with it) */
        gst_sensor_stream_lane_set_paused (
            pad_get_data (entry->pads[g])->lane, FALSE);
        pad_enqueue (self, entry->pads[g],
            GST_MINI_OBJECT (gst_event_copy (job->event)));
        n++;
      }
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
      memset (&self->stats, 0, sizeof (self->stats));
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
        DeviceEntry *entry = get_device (self, self->run_device);

        for (g = 0; g < N_GROUPS; g++)
          entry->pads[g] =
              gst_object_ref (create_pad (self, groups[g].name, g, NULL));
        entry->live = N_GROUPS;
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
      remove_pads (self);
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
