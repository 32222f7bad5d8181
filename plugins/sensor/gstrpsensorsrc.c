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
 * The server runs on its own thread and #GMainContext; every source pad has
 * its own streaming task, fed through its own bounded queue
 * (#GstRpSensorSrc:queue-size buffers). When a queue is full its oldest
 * buffer is dropped and counted in `stats` (`dropped`), so a stalled branch
 * (or a sink waiting in preroll) never holds up the server or any other
 * pad, of its own device or another.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrpsensorsrc.h"
#include "gstsensorelements.h"

#include <string.h>
#include <gst/base/gstqueuearray.h>
#include <gst/sensor/sensor.h>
#include <gst/net/sensor-http-listener.h>
#include <gst/sensorstream/sensorstream-clock.h>

GST_DEBUG_CATEGORY_STATIC (gst_rp_sensor_src_debug);
#define GST_CAT_DEFAULT gst_rp_sensor_src_debug

#define STREAM_PATH "/api/device/sensor-stream"
#define BATCH_PATH "/api/device/sensor-stream/batch"

#define DEFAULT_ADDRESS "127.0.0.1"
#define DEFAULT_PORT 3000
#define DEFAULT_SENSITIVITY GST_SENSOR_STREAM_SENSITIVITY_BALANCED
#define DEFAULT_MAX_BODY_SIZE (256 * 1024)
#define DEFAULT_TIMEOUT 10
#define DEFAULT_QUEUE_SIZE 1024
#define DEFAULT_MAX_DEVICES 256
#define DEFAULT_RATE_LIMIT GST_SENSOR_STREAM_RATE_PER_SECOND
#define DEFAULT_RATE_BURST GST_SENSOR_STREAM_RATE_BURST
#define DEFAULT_MAX_CONNECTIONS 0
#define DEFAULT_IDLE_TIMEOUT 60
#define DEFAULT_MAX_CLOCK_SKEW GST_SENSOR_STREAM_DEFAULT_MAX_CLOCK_SKEW_S
#define DEFAULT_MAX_READING_AGE GST_SENSOR_STREAM_DEFAULT_MAX_READING_AGE_S

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_PORT,
  PROP_AUTH_TOKEN,
  PROP_DEVICE_ID,
  PROP_SENSITIVITY,
  PROP_MAX_BODY_SIZE,
  PROP_TIMEOUT,
  PROP_QUEUE_SIZE,
  PROP_RATE_LIMIT,
  PROP_RATE_BURST,
  PROP_MAX_DEVICES,
  PROP_MAX_CONNECTIONS,
  PROP_IDLE_TIMEOUT,
  PROP_MAX_CLOCK_SKEW,
  PROP_MAX_READING_AGE,
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

/* Each counter is updated and read atomically (all guint64, in order). */
typedef struct
{
  guint64 requests;
  guint64 accepted;     /* readings */
  guint64 invalid;      /* 400 */
  guint64 unauthorized; /* 401 */
  guint64 rate_limited; /* 429 */
  guint64 refused;      /* 404 405 413 415 503 */
  guint64 timeouts;     /* connections closed for a stalled body */
  guint64 filtered;     /* readings of other devices */
  guint64 pushed;
  guint64 dropped;
  guint64 not_linked;
  guint64 clamped; /* PTS held back to stay monotonic */
  guint64 falls;
} Stats;

/* One device: its pads. */
typedef struct
{
  GstPad *pads[G_N_ELEMENTS (groups)];
  gboolean announced;
} DeviceEntry;

/* State of one source pad, owned by the pad. Each pad pushes from its own
 * task, fed by its own bounded queue: in a live pipeline every sink waits
 * in preroll on its first buffer until the whole pipeline is PLAYING, so
 * pads sharing a thread would wait for each other. */
typedef struct
{
  GMutex lock;
  GCond cond;
  GstQueueArray *items; /* GstMiniObject, oldest first */
  gboolean flushing;
  gboolean waiting; /* the pad's task waits on cond */
} PadQueue;

typedef struct
{
  GstRpSensorSrc *src;
  guint group;
  PadQueue queue;
  /* server thread only */
  GstClockTime last_pts;
  gboolean discont;
  /* the pad's task only */
  gboolean failed;
} PadData;

struct _GstRpSensorSrc
{
  GstElement parent;

  /* properties, object lock */
  gchar *address;
  gint port;
  gchar *auth_token;
  gchar *device_id;
  GstSensorStreamSensitivity sensitivity;
  guint max_body_size;
  guint timeout;
  guint queue_size;
  gdouble rate_limit;
  guint rate_burst;
  guint max_devices;
  guint max_connections;
  guint idle_timeout;
  guint max_clock_skew;
  guint max_reading_age;
  gint bound_port;

  /* copied at start, read by the server thread only */
  gchar *run_token;
  gchar run_device[GST_SENSOR_STREAM_MAC_LEN];
  gboolean filtered;
  guint run_max_body;
  guint run_timeout;
  guint run_queue_size;
  guint run_max_devices;
  guint run_max_connections;
  guint run_idle_timeout;
  guint run_max_clock_skew;
  guint run_max_reading_age;
  GstSensorStreamRateLimiter *limiter;
  GstSensorStreamFallDetector *falls;
  GHashTable *devices; /* device id -> DeviceEntry, server thread */
  guint n_devices;     /* announced, @lock */
  guint group_id;

  /* the server thread */
  GThread *thread;
  /* created and freed by the server thread; the pointer @lock for stats */
  GstSensorHttpListener *listener;
  GstSensorHttpListenerStats last_listener_stats; /* @lock, after stop */
  GQueue in_flight;                               /* InFlight, oldest first */
  GSource *sweep; /* wakes at the oldest deadline of in_flight */
  GMainContext *context;
  gint stopping; /* atomic; ends the server thread */
  GMutex start_lock;
  GCond start_cond;
  gboolean start_done;
  GError *start_error;

  /* shared with streaming threads and the application, @lock */
  GMutex lock;
  gboolean streaming;
  gboolean eos;
  GHashTable *pads; /* name -> GstPad (ref) */
  Stats stats;      /* atomic counters, reset at start with @lock held */
};

#define gst_rp_sensor_src_parent_class parent_class
G_DEFINE_TYPE (GstRpSensorSrc, gst_rp_sensor_src, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (
    rpsensorsrc, "rpsensorsrc", GST_RANK_NONE, GST_TYPE_RP_SENSOR_SRC);

static GQuark pad_data_quark;
static void device_entry_free (DeviceEntry *entry);
static GQuark timeout_quark;

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
gst_rp_sensor_src_class_init (GstRpSensorSrcClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  guint i;

  GST_DEBUG_CATEGORY_INIT (gst_rp_sensor_src_debug, "rpsensorsrc", 0,
      "sensor-stream HTTP API source");
  pad_data_quark = g_quark_from_static_string ("rpsensorsrc-pad-data");
  timeout_quark = g_quark_from_static_string ("rpsensorsrc-timeout");

  gobject_class->finalize = gst_rp_sensor_src_finalize;
  gobject_class->set_property = gst_rp_sensor_src_set_property;
  gobject_class->get_property = gst_rp_sensor_src_get_property;

  g_object_class_install_property (gobject_class, PROP_ADDRESS,
      g_param_spec_string ("address", "Address",
          "IP address to listen on; any address other than loopback needs "
          "an auth-token",
          DEFAULT_ADDRESS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_PORT,
      g_param_spec_int ("port", "Port",
          "TCP port to listen on (0 = pick a free one; reads back the bound "
          "port once started)",
          0, 65535, DEFAULT_PORT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_AUTH_TOKEN,
      g_param_spec_string ("auth-token", "Auth token",
          "Bearer token every request must carry (write-only; empty = no "
          "authentication, allowed on loopback only)",
          NULL,
          G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_DEVICE_ID,
      g_param_spec_string ("device-id", "Device id",
          "Serve only this device (any documented MAC spelling); its pads "
          "are then named by group alone (accel, gyro, ...) and exist from "
          "the start",
          NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_SENSITIVITY,
      g_param_spec_enum ("sensitivity", "Sensitivity",
          "Fall detection threshold preset", GST_TYPE_SENSOR_STREAM_SENSITIVITY,
          DEFAULT_SENSITIVITY,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MAX_BODY_SIZE,
      g_param_spec_uint ("max-body-size", "Maximum body size",
          "Largest request body accepted, in bytes (larger ones get 413)", 1024,
          64 * 1024 * 1024, DEFAULT_MAX_BODY_SIZE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_TIMEOUT,
      g_param_spec_uint ("timeout", "Timeout",
          "Seconds a client may take to send one request; a connection "
          "still sending after that is closed",
          1, 3600, DEFAULT_TIMEOUT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_QUEUE_SIZE,
      g_param_spec_uint ("queue-size", "Queue size",
          "Buffers queued per pad before the oldest is dropped", 1, G_MAXINT,
          DEFAULT_QUEUE_SIZE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_RATE_LIMIT,
      g_param_spec_double ("rate-limit", "Rate limit",
          "Requests per second per device (documented: 1; 0 = no limit)", 0,
          1000000, DEFAULT_RATE_LIMIT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_RATE_BURST,
      g_param_spec_uint ("rate-burst", "Rate burst",
          "Requests a device may send at once before the rate limit applies "
          "(documented: 5)",
          1, 1000000, DEFAULT_RATE_BURST,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MAX_DEVICES,
      g_param_spec_uint ("max-devices", "Maximum devices",
          "Devices served at once without device-id (each has its pads, each "
          "pad a streaming thread); posts of further devices get 503 (0 = no "
          "limit)",
          0, G_MAXINT, DEFAULT_MAX_DEVICES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MAX_CONNECTIONS,
      g_param_spec_uint ("max-connections", "Maximum connections",
          "Connections open at once; one more is answered 503 and closed "
          "(0 = three quarters of the process's descriptor limit)",
          0, G_MAXINT, DEFAULT_MAX_CONNECTIONS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_IDLE_TIMEOUT,
      g_param_spec_uint ("idle-timeout", "Idle timeout",
          "Seconds a keep-alive connection may wait for its next request "
          "before it is closed (0 = never)",
          0, 86400, DEFAULT_IDLE_TIMEOUT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MAX_CLOCK_SKEW,
      g_param_spec_uint ("max-clock-skew", "Maximum clock skew",
          "Seconds a client_timestamp may be ahead of this host's clock; "
          "readings further ahead get 400 (0 = no limit)",
          0, G_MAXINT, DEFAULT_MAX_CLOCK_SKEW,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MAX_READING_AGE,
      g_param_spec_uint ("max-reading-age", "Maximum reading age",
          "Seconds a client_timestamp may be behind this host's clock; "
          "older readings get 400 (0 = no limit)",
          0, G_MAXINT, DEFAULT_MAX_READING_AGE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Request and reading counters: requests, accepted, invalid, "
          "unauthorized, rate-limited, refused, timeouts, filtered, pushed, "
          "dropped, not-linked, clamped, falls, devices, connections, "
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
  self->address = g_strdup (DEFAULT_ADDRESS);
  self->port = DEFAULT_PORT;
  self->sensitivity = DEFAULT_SENSITIVITY;
  self->max_body_size = DEFAULT_MAX_BODY_SIZE;
  self->timeout = DEFAULT_TIMEOUT;
  self->queue_size = DEFAULT_QUEUE_SIZE;
  self->rate_limit = DEFAULT_RATE_LIMIT;
  self->rate_burst = DEFAULT_RATE_BURST;
  self->max_devices = DEFAULT_MAX_DEVICES;
  self->max_connections = DEFAULT_MAX_CONNECTIONS;
  self->idle_timeout = DEFAULT_IDLE_TIMEOUT;
  self->max_clock_skew = DEFAULT_MAX_CLOCK_SKEW;
  self->max_reading_age = DEFAULT_MAX_READING_AGE;
  g_mutex_init (&self->lock);
  g_mutex_init (&self->start_lock);
  g_cond_init (&self->start_cond);
  self->pads =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, gst_object_unref);
  self->devices = g_hash_table_new_full (
      g_str_hash, g_str_equal, g_free, (GDestroyNotify) device_entry_free);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
}

static void
gst_rp_sensor_src_finalize (GObject *object)
{
  GstRpSensorSrc *self = GST_RP_SENSOR_SRC (object);

  g_free (self->address);
  if (self->auth_token)
    memset (self->auth_token, 0, strlen (self->auth_token));
  g_free (self->auth_token);
  g_free (self->device_id);
  g_hash_table_unref (self->pads);
  g_hash_table_unref (self->devices);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->start_lock);
  g_cond_clear (&self->start_cond);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void count (GstRpSensorSrc *self, guint64 *counter);

static GstStructure *
make_stats (GstRpSensorSrc *self)
{
  Stats s;
  GstSensorHttpListenerStats ls;
  guint devices, i;

  for (i = 0; i < sizeof (s) / sizeof (guint64); i++)
    ((guint64 *) &s)[i] =
        __atomic_load_n (&((guint64 *) &self->stats)[i], __ATOMIC_RELAXED);
  g_mutex_lock (&self->lock);
  devices = self->n_devices;
  if (self->listener)
    gst_sensor_http_listener_get_stats (self->listener, &ls);
  else
    ls = self->last_listener_stats;
  g_mutex_unlock (&self->lock);

  return gst_structure_new ("rpsensorsrc-stats", "requests", G_TYPE_UINT64,
      s.requests, "accepted", G_TYPE_UINT64, s.accepted, "invalid",
      G_TYPE_UINT64, s.invalid, "unauthorized", G_TYPE_UINT64, s.unauthorized,
      "rate-limited", G_TYPE_UINT64, s.rate_limited, "refused", G_TYPE_UINT64,
      s.refused, "timeouts", G_TYPE_UINT64, s.timeouts, "filtered",
      G_TYPE_UINT64, s.filtered, "pushed", G_TYPE_UINT64, s.pushed, "dropped",
      G_TYPE_UINT64, s.dropped, "not-linked", G_TYPE_UINT64, s.not_linked,
      "clamped", G_TYPE_UINT64, s.clamped, "falls", G_TYPE_UINT64, s.falls,
      "devices", G_TYPE_UINT, devices, "connections", G_TYPE_UINT64, ls.open,
      "connections-accepted", G_TYPE_UINT64, ls.accepted, "connections-refused",
      G_TYPE_UINT64, ls.refused, "accept-errors", G_TYPE_UINT64,
      ls.accept_errors, NULL);
}

static void
gst_rp_sensor_src_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstRpSensorSrc *self = GST_RP_SENSOR_SRC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_ADDRESS:
      g_free (self->address);
      self->address = g_value_dup_string (value);
      break;
    case PROP_PORT:
      self->port = g_value_get_int (value);
      break;
    case PROP_AUTH_TOKEN:
      /* never logged */
      if (self->auth_token)
        memset (self->auth_token, 0, strlen (self->auth_token));
      g_free (self->auth_token);
      self->auth_token = g_value_dup_string (value);
      break;
    case PROP_DEVICE_ID:
      g_free (self->device_id);
      self->device_id = g_value_dup_string (value);
      break;
    case PROP_SENSITIVITY:
      self->sensitivity = g_value_get_enum (value);
      break;
    case PROP_MAX_BODY_SIZE:
      self->max_body_size = g_value_get_uint (value);
      break;
    case PROP_TIMEOUT:
      self->timeout = g_value_get_uint (value);
      break;
    case PROP_QUEUE_SIZE:
      self->queue_size = g_value_get_uint (value);
      break;
    case PROP_RATE_LIMIT:
      self->rate_limit = g_value_get_double (value);
      break;
    case PROP_RATE_BURST:
      self->rate_burst = g_value_get_uint (value);
      break;
    case PROP_MAX_DEVICES:
      self->max_devices = g_value_get_uint (value);
      break;
    case PROP_MAX_CONNECTIONS:
      self->max_connections = g_value_get_uint (value);
      break;
    case PROP_IDLE_TIMEOUT:
      self->idle_timeout = g_value_get_uint (value);
      break;
    case PROP_MAX_CLOCK_SKEW:
      self->max_clock_skew = g_value_get_uint (value);
      break;
    case PROP_MAX_READING_AGE:
      self->max_reading_age = g_value_get_uint (value);
      break;
    default:
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
  switch (prop_id) {
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_PORT:
      g_value_set_int (
          value, self->bound_port > 0 ? self->bound_port : self->port);
      break;
    case PROP_DEVICE_ID:
      g_value_set_string (value, self->device_id);
      break;
    case PROP_SENSITIVITY:
      g_value_set_enum (value, self->sensitivity);
      break;
    case PROP_MAX_BODY_SIZE:
      g_value_set_uint (value, self->max_body_size);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_QUEUE_SIZE:
      g_value_set_uint (value, self->queue_size);
      break;
    case PROP_RATE_LIMIT:
      g_value_set_double (value, self->rate_limit);
      break;
    case PROP_RATE_BURST:
      g_value_set_uint (value, self->rate_burst);
      break;
    case PROP_MAX_DEVICES:
      g_value_set_uint (value, self->max_devices);
      break;
    case PROP_MAX_CONNECTIONS:
      g_value_set_uint (value, self->max_connections);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;
    case PROP_MAX_CLOCK_SKEW:
      g_value_set_uint (value, self->max_clock_skew);
      break;
    case PROP_MAX_READING_AGE:
      g_value_set_uint (value, self->max_reading_age);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* ---- pads and their streaming threads ---- */

/* Each pad's queue. Not a GstDataQueue: that signals its reader while
 * still holding its lock, so the woken task at once blocks on that lock
 * and is woken a second time, and it allocates an item per buffer. Here
 * the reader is signalled after the lock is released, only when it
 * waits. */
static void
pad_queue_init (PadQueue *q)
{
  g_mutex_init (&q->lock);
  g_cond_init (&q->cond);
  q->items = gst_queue_array_new (16);
  q->flushing = TRUE;
  q->waiting = FALSE;
}

static void
pad_queue_flush_unlocked (PadQueue *q)
{
  GstMiniObject *obj;

  while ((obj = gst_queue_array_pop_head (q->items)) != NULL)
    gst_mini_object_unref (obj);
}

static void
pad_queue_clear (PadQueue *q)
{
  pad_queue_flush_unlocked (q);
  gst_queue_array_free (q->items);
  g_mutex_clear (&q->lock);
  g_cond_clear (&q->cond);
}

/* Flushing drops everything queued and wakes the reader. */
static void
pad_queue_set_flushing (PadQueue *q, gboolean flushing)
{
  g_mutex_lock (&q->lock);
  q->flushing = flushing;
  if (flushing)
    pad_queue_flush_unlocked (q);
  g_cond_signal (&q->cond);
  g_mutex_unlock (&q->lock);
}

/* Takes @obj. With @max items queued, the oldest buffer is dropped first
 * (events are never dropped). Returns whether a buffer was dropped. */
static gboolean
pad_queue_push (PadQueue *q, GstMiniObject *obj, guint max)
{
  gboolean dropped = FALSE, wake;

  g_mutex_lock (&q->lock);
  if (q->flushing) {
    g_mutex_unlock (&q->lock);
    gst_mini_object_unref (obj);
    return FALSE;
  }
  if (GST_IS_BUFFER (obj) && gst_queue_array_get_length (q->items) >= max) {
    guint i, n = gst_queue_array_get_length (q->items);

    for (i = 0; i < n; i++) {
      GstMiniObject *old = gst_queue_array_peek_nth (q->items, i);

      if (GST_IS_BUFFER (old)) {
        gst_queue_array_drop_element (q->items, i);
        gst_mini_object_unref (old);
        dropped = TRUE;
        break;
      }
    }
  }
  gst_queue_array_push_tail (q->items, obj);
  wake = q->waiting;
  g_mutex_unlock (&q->lock);
  /* no lost wakeup: the reader samples the condition before it releases
   * the lock, and this signal comes after the push took the lock */
  if (wake)
    g_cond_signal (&q->cond);
  return dropped;
}

/* Blocks until an object is queued (returned, transfer full) or the queue
 * is flushing (NULL). */
static GstMiniObject *
pad_queue_pop (PadQueue *q)
{
  GstMiniObject *obj = NULL;

  g_mutex_lock (&q->lock);
  while (!q->flushing && gst_queue_array_is_empty (q->items)) {
    q->waiting = TRUE;
    g_cond_wait (&q->cond, &q->lock);
    q->waiting = FALSE;
  }
  if (!q->flushing)
    obj = gst_queue_array_pop_head (q->items);
  g_mutex_unlock (&q->lock);
  return obj;
}

static PadData *
pad_get_data (GstPad *pad)
{
  return g_object_get_qdata (G_OBJECT (pad), pad_data_quark);
}

static void
pad_data_free (PadData *pd)
{
  pad_queue_clear (&pd->queue);
  g_free (pd);
}

/* Queues @obj (taken) for @pad's task. Never blocks. */
static void
pad_enqueue (GstRpSensorSrc *self, GstPad *pad, GstMiniObject *obj)
{
  PadData *pd = pad_get_data (pad);

  if (pad_queue_push (&pd->queue, obj, self->run_queue_size)) {
    count (self, &self->stats.dropped);
    GST_LOG_OBJECT (pad, "queue full: dropped the oldest buffer");
  }
}

static void
pad_loop (gpointer user_data)
{
  GstPad *pad = user_data;
  PadData *pd = pad_get_data (pad);
  GstRpSensorSrc *self = pd->src;
  GstMiniObject *obj;
  GstFlowReturn ret;

  obj = pad_queue_pop (&pd->queue);
  if (obj == NULL) {
    GST_DEBUG_OBJECT (pad, "queue flushing, pausing");
    /* a no-op once the task was stopped, so it cannot undo that stop */
    gst_pad_pause_task (pad);
    return;
  }

  if (GST_IS_EVENT (obj)) {
    gst_pad_push_event (pad, GST_EVENT (obj));
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

/* The pad's task runs exactly while the pad is active. Deactivation has
 * already set the pad flushing (a push in progress returns), and the
 * flushing queue wakes a task waiting for data, so the stop is prompt. */
static gboolean
src_activate_mode (
    GstPad *pad, GstObject *parent, GstPadMode mode, gboolean active)
{
  PadData *pd = pad_get_data (pad);

  if (mode != GST_PAD_MODE_PUSH)
    return FALSE;
  if (active) {
    pad_queue_set_flushing (&pd->queue, FALSE);
    return gst_pad_start_task (pad, pad_loop, pad, NULL);
  }
  pad_queue_set_flushing (&pd->queue, TRUE);
  return gst_pad_stop_task (pad);
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

/* Creates, activates (starting its task) and announces one pad. Called by
 * the server thread (per-device pads) or the state change (filtered
 * pads). */
static GstPad *
create_pad (
    GstRpSensorSrc *self, const gchar *name, guint group, gboolean per_device)
{
  GstElementClass *klass = GST_ELEMENT_GET_CLASS (self);
  gchar *templ_name = per_device ?
      g_strdup_printf ("%%s_%s", groups[group].name) :
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
  pad_queue_init (&pd->queue);
  pd->last_pts = 0;
  pd->discont = TRUE;
  g_object_set_qdata_full (
      G_OBJECT (pad), pad_data_quark, pd, (GDestroyNotify) pad_data_free);
  gst_pad_set_query_function (pad, src_query);
  gst_pad_set_activatemode_function (pad, src_activate_mode);
  gst_pad_use_fixed_caps (pad);

  /* starts the pad's task; its queue stays empty until the sticky events
   * below are stored, so they precede every buffer */
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
    GstPad *pad = gst_object_ref (create_pad (self, name, group, TRUE));

    g_mutex_lock (&self->lock);
    entry->pads[group] = pad;
    g_mutex_unlock (&self->lock);
    g_free (name);
  }
  return entry->pads[group];
}

/* After the pads were deactivated (which stopped their tasks): removes
 * them. */
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

static void
deliver (GstRpSensorSrc *self, const GstSensorStreamReading *r,
    const GstSensorStreamFallResult *fall)
{
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

/* ---- HTTP ---- */

static void
respond (SoupServerMessage *msg, guint status, gchar *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (
      msg, "application/json", SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
count (GstRpSensorSrc *self, guint64 *counter)
{
  /* bumped by the server thread and every pad's task: no lock */
  __atomic_fetch_add (counter, 1, __ATOMIC_RELAXED);
}

static void
digest (const gchar *s, gsize len, guint8 out[32])
{
  GChecksum *c = g_checksum_new (G_CHECKSUM_SHA256);
  gsize n = 32;

  g_checksum_update (c, (const guchar *) s, len);
  g_checksum_get_digest (c, out, &n);
  g_checksum_free (c);
}

/* Compares digests rather than the strings so that neither the token's
 * content nor its length shows in the time taken. */
static gboolean
token_matches (const gchar *header, const gchar *token)
{
  guint8 a[32], b[32];
  guint8 diff = 0;
  guint i;

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return FALSE;
  header += 7;
  while (*header == ' ')
    header++;
  digest (header, strlen (header), a);
  digest (token, strlen (token), b);
  for (i = 0; i < 32; i++)
    diff |= a[i] ^ b[i];
  return diff == 0;
}

static void
refuse (GstRpSensorSrc *self, SoupServerMessage *msg, guint status,
    const gchar *error)
{
  count (self,
      status == SOUP_STATUS_UNAUTHORIZED ? &self->stats.unauthorized :
                                           &self->stats.refused);
  respond (msg, status, gst_sensor_stream_error_body (error));
  /* the body, if any, is read and thrown away */
  soup_message_body_set_accumulate (
      soup_server_message_get_request_body (msg), FALSE);
  soup_message_body_truncate (soup_server_message_get_request_body (msg));
}

static void on_got_chunk (
    SoupServerMessage *msg, GBytes *chunk, gpointer user_data);

/* A whole response that closes its connection, written past libsoup. */
static GBytes *
raw_response (guint status, const gchar *error, const gchar *extra_headers)
{
  gchar *body = gst_sensor_stream_error_body (error);
  gchar *text = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                                 "Content-Type: application/json\r\n"
                                 "Content-Length: %u\r\n%s"
                                 "Connection: close\r\n\r\n%s",
      status, soup_status_get_phrase (status), (guint) strlen (body),
      extra_headers ? extra_headers : "", body);

  g_free (body);
  return g_bytes_new_take (text, strlen (text));
}

/* Answers @msg at once and closes its connection, without reading the rest
 * of its body (libsoup answers only after the body). */
static void
refuse_now (GstRpSensorSrc *self, SoupServerMessage *msg, guint status,
    const gchar *error)
{
  GBytes *bytes = raw_response (status, error, NULL);
  gboolean taken =
      gst_sensor_http_listener_reply_and_close (self->listener, msg, bytes);

  g_bytes_unref (bytes);
  if (taken) {
    /* libsoup dropped the message: its deadline no longer applies */
    g_object_set_qdata (G_OBJECT (msg), timeout_quark, NULL);
    count (self,
        status == SOUP_STATUS_BAD_REQUEST ? &self->stats.invalid :
                                            &self->stats.refused);
    return;
  }
  /* not our connection: libsoup answers after the body */
  soup_message_headers_replace (
      soup_server_message_get_response_headers (msg), "Connection", "close");
  if (status == SOUP_STATUS_BAD_REQUEST) {
    count (self, &self->stats.invalid);
    respond (msg, status, gst_sensor_stream_error_body (error));
  } else {
    refuse (self, msg, status, error);
  }
}

/* Content-Length must be one decimal number, however many times it is
 * sent; libsoup would read "abc" as 0 and "-5" as a huge length and wait
 * for that body. */
static gboolean
content_length_valid (SoupMessageHeaders *headers)
{
  const gchar *list = soup_message_headers_get_list (headers, "Content-Length");
  gchar **values;
  guint64 first = 0, v;
  gboolean ok = TRUE;
  guint i;

  if (list == NULL)
    return TRUE;
  values = g_strsplit (list, ",", -1);
  for (i = 0; ok && values[i]; i++) {
    gchar *t = g_strstrip (values[i]);

    ok = *t != '\0' && strspn (t, "0123456789") == strlen (t) &&
        g_ascii_string_to_unsigned (t, 10, 0, G_MAXINT64, &v, NULL) &&
        (i == 0 || v == first);
    if (i == 0)
      first = v;
  }
  ok &= i > 0;
  g_strfreev (values);
  return ok;
}

/* Everything that can be decided from the headers, before the body is read
 * (and, with Expect: 100-continue, before it is even sent). */
static void
early_handler (SoupServer *server, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer user_data)
{
  GstRpSensorSrc *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const gchar *content_type;
  goffset length;

  count (self, &self->stats.requests);
  if (strcmp (path, STREAM_PATH) != 0 && strcmp (path, BATCH_PATH) != 0) {
    refuse (self, msg, SOUP_STATUS_NOT_FOUND, "Not found");
    return;
  }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST) {
    soup_message_headers_replace (
        soup_server_message_get_response_headers (msg), "Allow", "POST");
    refuse (self, msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed");
    return;
  }
  if (self->run_token &&
      !token_matches (soup_message_headers_get_one (headers, "Authorization"),
          self->run_token)) {
    soup_message_headers_replace (
        soup_server_message_get_response_headers (msg), "WWW-Authenticate",
        "Bearer");
    refuse (self, msg, SOUP_STATUS_UNAUTHORIZED, "Unauthorized");
    return;
  }
  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (content_type == NULL ||
      g_ascii_strcasecmp (content_type, "application/json") != 0) {
    refuse (self, msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
        "Content-Type must be application/json");
    return;
  }
  if (!content_length_valid (headers)) {
    refuse_now (self, msg, SOUP_STATUS_BAD_REQUEST, "Invalid Content-Length");
    return;
  }
  if (soup_message_headers_get_encoding (headers) !=
      SOUP_ENCODING_CONTENT_LENGTH)
    g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), self);
  length = soup_message_headers_get_content_length (headers);
  if (soup_message_headers_get_encoding (headers) ==
          SOUP_ENCODING_CONTENT_LENGTH &&
      length > (goffset) self->run_max_body) {
    refuse (
        self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Payload too large");
    return;
  }
}

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer user_data)
{
  GstRpSensorSrc *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  GstSensorStreamDetails details;
  GstSensorStreamParseResult res;
  GArray *readings = NULL;
  GBytes *bytes;
  const gchar *data;
  gsize size;
  gboolean batch = strcmp (path, BATCH_PATH) == 0, streaming, fall_any = FALSE;
  gdouble confidence = 0.0;
  gint health = 100;
  gint64 retry_us = 0, next_us = 0, now_us;
  const gchar *device;
  guint i;

  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &size);
  if (size > self->run_max_body) {
    g_bytes_unref (bytes);
    refuse (
        self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Payload too large");
    return;
  }

  gst_sensor_stream_details_init (&details);
  if (batch) {
    res = gst_sensor_stream_parse_batch (data, size, &readings, &details);
  } else {
    GstSensorStreamReading r;

    res = gst_sensor_stream_parse_reading (data, size, &r, &details);
    if (res == GST_SENSOR_STREAM_PARSE_OK) {
      readings = g_array_new (FALSE, FALSE, sizeof (r));
      g_array_append_val (readings, r);
    }
  }
  g_bytes_unref (bytes);

  /* a device clock far off would hold a syncing branch (or overflow) */
  if (res == GST_SENSOR_STREAM_PARSE_OK &&
      !gst_sensor_stream_check_clock (readings, batch, g_get_real_time (),
          self->run_max_clock_skew, self->run_max_reading_age, &details)) {
    res = GST_SENSOR_STREAM_PARSE_INVALID;
    g_clear_pointer (&readings, g_array_unref);
  }

  if (res != GST_SENSOR_STREAM_PARSE_OK) {
    count (self, &self->stats.invalid);
    respond (msg, SOUP_STATUS_BAD_REQUEST,
        res == GST_SENSOR_STREAM_PARSE_INVALID_JSON ?
            gst_sensor_stream_error_body ("Invalid JSON") :
            gst_sensor_stream_validation_body (&details));
    gst_sensor_stream_details_clear (&details);
    return;
  }
  gst_sensor_stream_details_clear (&details);

  g_mutex_lock (&self->lock);
  streaming = self->streaming && !self->eos;
  g_mutex_unlock (&self->lock);
  if (!streaming) {
    soup_message_headers_replace (
        soup_server_message_get_response_headers (msg), "Retry-After", "1");
    refuse (self, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "Not streaming");
    g_array_unref (readings);
    return;
  }

  /* every new device costs pads and a thread: bounded */
  if (!self->filtered && self->run_max_devices > 0) {
    const gchar *id =
        g_array_index (readings, GstSensorStreamReading, 0).device_id;
    gboolean full;

    g_mutex_lock (&self->lock);
    full = !g_hash_table_contains (self->devices, id) &&
        g_hash_table_size (self->devices) >= self->run_max_devices;
    g_mutex_unlock (&self->lock);
    if (full) {
      refuse (self, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "Too many devices");
      g_array_unref (readings);
      return;
    }
  }

  /* one token per request, a batch included */
  device = g_array_index (readings, GstSensorStreamReading, 0).device_id;
  if (self->limiter &&
      !gst_sensor_stream_rate_limiter_acquire (
          self->limiter, device, &retry_us, &next_us)) {
    gint64 retry_ms = (retry_us + 999) / 1000;
    gchar secs[24];

    g_snprintf (secs, sizeof (secs), "%" G_GINT64_FORMAT,
        MAX ((retry_ms + 999) / 1000, 1));
    soup_message_headers_replace (
        soup_server_message_get_response_headers (msg), "Retry-After", secs);
    count (self, &self->stats.rate_limited);
    respond (msg, 429 /* Too Many Requests */,
        gst_sensor_stream_rate_limit_body (retry_ms));
    g_array_unref (readings);
    return;
  }

  now_us = g_get_real_time ();
  for (i = 0; i < readings->len; i++) {
    GstSensorStreamReading *r =
        &g_array_index (readings, GstSensorStreamReading, i);
    GstSensorStreamFallResult fall;

    gst_sensor_stream_fall_detector_process (self->falls, r, &fall);
    fall_any |= fall.detected;
    confidence = MAX (confidence, fall.confidence);
    health = gst_sensor_stream_health_score (r);
    deliver (self, r, &fall);
  }

  respond (msg, SOUP_STATUS_OK,
      gst_sensor_stream_success_body (device, now_us, fall_any, confidence,
          health, now_us + next_us, batch ? (gint) readings->len : 0));
  g_array_unref (readings);
}

/* A chunked body has no length up front: stop keeping it once it passes the
 * limit. */
static void
on_got_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
  GstRpSensorSrc *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (soup_server_message_get_status (msg) == 0 &&
      body->length > (goffset) self->run_max_body)
    refuse_now (
        self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Payload too large");
}

/* Slow clients: a request must be complete within `timeout` seconds, else
 * its connection is closed. Other connections are served meanwhile (all I/O
 * is asynchronous on the server thread). Every request in flight has an
 * entry in one queue, oldest first (all share one timeout, so that is also
 * deadline order), and one source wakes at the oldest deadline: a timer
 * source per request would cost an allocation, two context locks and a
 * check in every main-loop iteration. */
typedef struct
{
  GList link; /* in self->in_flight while queued */
  GstRpSensorSrc *self;
  SoupServerMessage *msg;
  gint64 deadline;
  gboolean queued;
} InFlight;

/* the message's qdata is dropped (request read or done) or it is freed */
static void
in_flight_free (InFlight *entry)
{
  if (entry->queued)
    g_queue_unlink (&entry->self->in_flight, &entry->link);
  g_slice_free (InFlight, entry);
}

static void
cancel_timeout (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  g_object_set_qdata (G_OBJECT (msg), timeout_quark, NULL);
}

static gboolean
sweep_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  GstRpSensorSrc *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GList *head;

  while ((head = self->in_flight.head) != NULL) {
    InFlight *entry = head->data;
    GSocket *sock;

    if (entry->deadline > now)
      break;
    g_queue_unlink (&self->in_flight, head);
    entry->queued = FALSE;
    GST_DEBUG_OBJECT (
        self, "request not complete after %u s: closing", self->run_timeout);
    count (self, &self->stats.timeouts);
    sock = soup_server_message_get_socket (entry->msg);
    if (sock)
      g_socket_shutdown (sock, TRUE, TRUE, NULL);
    else if (self->listener)
      gst_sensor_http_listener_close_connection (self->listener, entry->msg);
  }
  head = self->in_flight.head;
  g_source_set_ready_time (
      source, head ? ((InFlight *) head->data)->deadline : -1);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs sweep_funcs = {
  NULL,
  NULL,
  sweep_dispatch,
  NULL,
  NULL,
  NULL,
};

static void
on_request_started (
    SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  GstRpSensorSrc *self = user_data;
  InFlight *entry = g_slice_new (InFlight);

  entry->self = self;
  entry->msg = msg;
  entry->deadline =
      g_get_monotonic_time () + (gint64) self->run_timeout * G_USEC_PER_SEC;
  entry->queued = TRUE;
  entry->link.data = entry;
  entry->link.prev = entry->link.next = NULL;
  g_queue_push_tail_link (&self->in_flight, &entry->link);
  if (g_source_get_ready_time (self->sweep) == -1)
    g_source_set_ready_time (self->sweep, entry->deadline);
  g_object_set_qdata_full (
      G_OBJECT (msg), timeout_quark, entry, (GDestroyNotify) in_flight_free);
}

/* Accepting stopped (descriptors exhausted) or resumed: the application
 * hears of both, as nothing else would show why devices get no answer. */
static void
on_listener_state (GstSensorHttpListener *listener, gboolean accepting,
    const GError *error, gpointer user_data)
{
  GstRpSensorSrc *self = user_data;
  GstSensorHttpListenerStats stats;

  gst_sensor_http_listener_get_stats (listener, &stats);
  if (!accepting)
    GST_ELEMENT_WARNING (self, RESOURCE, OPEN_READ,
        ("Not accepting connections: %s", error->message),
        ("retrying; %" G_GUINT64_FORMAT " connections open", stats.open));
  else
    GST_ELEMENT_WARNING (
        self, RESOURCE, OPEN_READ, ("Accepting connections again"), (NULL));
}

static gpointer
server_thread (gpointer user_data)
{
  GstRpSensorSrc *self = user_data;
  SoupServer *server;
  GSocketAddress *addr;
  GError *error = NULL;
  gchar *address;
  gint port, bound = 0;
  gboolean ok;

  g_main_context_push_thread_default (self->context);
  g_queue_init (&self->in_flight);
  self->sweep = g_source_new (&sweep_funcs, sizeof (GSource));
  g_source_set_callback (self->sweep, NULL, self, NULL);
  g_source_attach (self->sweep, self->context);

  GST_OBJECT_LOCK (self);
  address = g_strdup (self->address);
  port = self->port;
  GST_OBJECT_UNLOCK (self);
  if (g_ascii_strcasecmp (address, "localhost") == 0) {
    g_free (address);
    address = g_strdup ("127.0.0.1");
  }

  server = soup_server_new ("server-header", "rpsensorsrc ", NULL);
  soup_server_add_early_handler (server, NULL, early_handler, self, NULL);
  soup_server_add_handler (server, NULL, handler, self, NULL);
  g_signal_connect (
      server, "request-started", G_CALLBACK (on_request_started), self);
  /* server-wide rather than per message: cheaper per request */
  g_signal_connect (server, "request-read", G_CALLBACK (cancel_timeout), NULL);
  g_signal_connect (
      server, "request-finished", G_CALLBACK (cancel_timeout), NULL);
  g_signal_connect (
      server, "request-aborted", G_CALLBACK (cancel_timeout), NULL);

  addr = g_inet_socket_address_new_from_string (address, port);
  if (addr == NULL) {
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "Invalid address '%s'", address);
  } else {
    GstSensorHttpListener *listener = gst_sensor_http_listener_new (server,
        addr, self->run_max_connections, self->run_idle_timeout, &error);

    if (listener) {
      GBytes *refusal = raw_response (SOUP_STATUS_SERVICE_UNAVAILABLE,
          "Too many connections", "Retry-After: 1\r\n");

      gst_sensor_http_listener_set_refusal (listener, refusal);
      g_bytes_unref (refusal);
      gst_sensor_http_listener_set_state_func (
          listener, on_listener_state, self);
      bound = gst_sensor_http_listener_get_port (listener);
      g_mutex_lock (&self->lock);
      self->listener = listener;
      g_mutex_unlock (&self->lock);
    }
  }
  ok = self->listener != NULL;
  g_clear_object (&addr);
  g_free (address);

  g_mutex_lock (&self->start_lock);
  self->start_error = error;
  GST_OBJECT_LOCK (self);
  self->bound_port = bound;
  GST_OBJECT_UNLOCK (self);
  self->start_done = TRUE;
  g_cond_signal (&self->start_cond);
  g_mutex_unlock (&self->start_lock);

  /* a flag rather than a GMainLoop: a quit that comes before the loop
   * runs would be lost */
  while (ok && !g_atomic_int_get (&self->stopping))
    g_main_context_iteration (self->context, TRUE);

  if (self->listener) {
    GstSensorHttpListener *listener = self->listener;

    g_mutex_lock (&self->lock);
    gst_sensor_http_listener_get_stats (listener, &self->last_listener_stats);
    /* soup_server_disconnect() closes them */
    self->last_listener_stats.open = 0;
    self->listener = NULL;
    g_mutex_unlock (&self->lock);
    gst_sensor_http_listener_free (listener);
  }
  soup_server_disconnect (server);
  g_object_unref (server);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_source_destroy (self->sweep);
  g_clear_pointer (&self->sweep, g_source_unref);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static void
stop_server (GstRpSensorSrc *self)
{
  GMainContext *context;

  if (self->thread) {
    g_atomic_int_set (&self->stopping, 1);
    g_main_context_wakeup (self->context);
    g_thread_join (self->thread);
    self->thread = NULL;
  }
  g_mutex_lock (&self->lock);
  context = self->context;
  self->context = NULL;
  g_mutex_unlock (&self->lock);
  /* destroys an EOS job the thread did not run */
  if (context)
    g_main_context_unref (context);
  g_clear_error (&self->start_error);
  g_clear_pointer (&self->limiter, gst_sensor_stream_rate_limiter_free);
  g_clear_pointer (&self->falls, gst_sensor_stream_fall_detector_free);
  if (self->run_token)
    memset (self->run_token, 0, strlen (self->run_token));
  g_clear_pointer (&self->run_token, g_free);
  GST_OBJECT_LOCK (self);
  self->bound_port = 0;
  GST_OBJECT_UNLOCK (self);
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

static gboolean
is_loopback (const gchar *address)
{
  GInetAddress *a;
  gboolean loopback;

  if (g_ascii_strcasecmp (address, "localhost") == 0)
    return TRUE;
  a = g_inet_address_new_from_string (address);
  if (a == NULL)
    return FALSE;
  loopback = g_inet_address_get_is_loopback (a);
  g_object_unref (a);
  return loopback;
}

static gboolean
start_server (GstRpSensorSrc *self)
{
  gchar *address, *device;
  gboolean have_token, bad_device;
  GstSensorStreamSensitivity sensitivity;
  gdouble rate;
  guint burst;

  GST_OBJECT_LOCK (self);
  address = g_strdup (self->address ? self->address : DEFAULT_ADDRESS);
  have_token = self->auth_token && *self->auth_token;
  self->run_token = have_token ? g_strdup (self->auth_token) : NULL;
  device = g_strdup (self->device_id);
  self->run_max_body = self->max_body_size;
  self->run_timeout = self->timeout;
  self->run_queue_size = self->queue_size;
  self->run_max_devices = self->max_devices;
  self->run_max_connections = self->max_connections;
  self->run_idle_timeout = self->idle_timeout;
  self->run_max_clock_skew = self->max_clock_skew;
  self->run_max_reading_age = self->max_reading_age;
  sensitivity = self->sensitivity;
  rate = self->rate_limit;
  burst = self->rate_burst;
  GST_OBJECT_UNLOCK (self);

  self->filtered = device != NULL && *device != '\0';
  bad_device = self->filtered &&
      !gst_sensor_stream_normalize_mac (device, self->run_device);
  g_free (device);
  if (bad_device) {
    GST_ELEMENT_ERROR (
        self, RESOURCE, SETTINGS, ("device-id is not a MAC address"), (NULL));
    g_free (address);
    return FALSE;
  }
  if (!have_token && !is_loopback (address)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Refusing to listen on %s without an auth-token", address),
        ("only loopback addresses may serve without authentication"));
    g_free (address);
    return FALSE;
  }

  self->limiter = rate > 0 ?
      gst_sensor_stream_rate_limiter_new (rate, burst, limiter_clock, self) :
      NULL;
  self->falls = gst_sensor_stream_fall_detector_new (sensitivity);
  self->group_id = gst_util_group_id_next ();
  g_mutex_lock (&self->lock);
  self->context = g_main_context_new ();
  g_mutex_unlock (&self->lock);
  g_atomic_int_set (&self->stopping, 0);
  self->start_done = FALSE;
  self->thread = g_thread_new ("rpsensorsrc", server_thread, self);

  g_mutex_lock (&self->start_lock);
  while (!self->start_done)
    g_cond_wait (&self->start_cond, &self->start_lock);
  g_mutex_unlock (&self->start_lock);

  if (self->start_error) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
        ("Could not listen on %s", address),
        ("%s", self->start_error->message));
    g_free (address);
    stop_server (self);
    return FALSE;
  }
  GST_INFO_OBJECT (self, "listening on %s port %d", address, self->bound_port);
  g_free (address);
  return TRUE;
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
        pad_enqueue (self, entry->pads[g],
            GST_MINI_OBJECT (gst_event_copy (job->event)));
        n++;
      }
  }
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
  if (self->context == NULL || self->eos) {
    gboolean ok = self->eos;

    g_mutex_unlock (&self->lock);
    GST_DEBUG_OBJECT (self, "EOS while %s", ok ? "at EOS" : "stopped");
    gst_event_unref (event);
    return ok;
  }
  self->eos = TRUE;
  context = g_main_context_ref (self->context);
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
      memset (
          &self->last_listener_stats, 0, sizeof (self->last_listener_stats));
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
    if (transition == GST_STATE_CHANGE_READY_TO_PAUSED)
      stop_server (self);
    return ret;
  }

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      if (self->filtered) {
        DeviceEntry *entry = get_device (self, self->run_device);

        for (g = 0; g < N_GROUPS; g++)
          entry->pads[g] =
              gst_object_ref (create_pad (self, groups[g].name, g, FALSE));
        gst_element_no_more_pads (element);
      }
      ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
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
