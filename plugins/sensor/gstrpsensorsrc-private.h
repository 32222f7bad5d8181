/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rpsensorsrc's state, shared by its files: the element
 * (gstrpsensorsrc.c), its devices and pads (gstrpsensorsrc-devices.c) and
 * the server's callbacks that turn readings into buffers
 * (gstrpsensorsrc-readings.c).
 */
#pragma once

#include "gstrpsensorsrc.h"

#include <gst/sensor/sensor-counters.h>
#include <gst/sensorstream/sensorstream-groups.h>
#include <gst/sensorstream/sensorstream-pool.h>
#include <gst/sensorstream/sensorstream-server.h>

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (gst_rp_sensor_src_debug);
#define GST_CAT_DEFAULT gst_rp_sensor_src_debug

/* The element's counters (GstSensorCounters: atomic, no lock), in the
 * order of the table in gstrpsensorsrc.c. */
typedef enum {
  RP_COUNTER_ACCEPTED, /* readings */
  RP_COUNTER_FILTERED, /* readings of other devices */
  RP_COUNTER_PUSHED,
  RP_COUNTER_NOT_LINKED,
  RP_COUNTER_CLAMPED, /* PTS held back to stay monotonic */
  RP_COUNTER_FALLS,
  RP_COUNTER_DEVICES_EXPIRED,
  RP_COUNTER_GROUPS_SKIPPED, /* values of groups left out by `groups` */
  RP_N_COUNTERS
} GstRpSensorSrcCounter;

/* One device: its pads, one per group of fields. */
typedef struct
{
  GstPad *pads[GST_SENSOR_STREAM_N_GROUPS];
  gint64 last_seen;   /* monotonic us, server thread */
  guint live;         /* pads not yet removed, @lock */
  gboolean retiring;  /* idle: EOS queued on its pads, @lock */
  gboolean announced; /* server thread */
} GstRpSensorSrcDevice;

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
  GstBufferList *pending; /* this request's buffers, pushed as one item */
  /* the draining worker only */
  gboolean failed;
} GstRpSensorSrcPadData;

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
  gchar *groups; /* comma-separated group names, NULL for all */
  gboolean draining;
  gboolean hold_new_devices; /* new devices start held, @lock */
  gint bound_port;

  /* copied at start */
  gchar run_device[GST_SENSOR_STREAM_MAC_LEN];
  gboolean filtered;
  guint run_queue_size;
  guint run_max_devices;
  guint run_device_idle_timeout;
  guint run_group_mask; /* bit per group that gets pads */
  guint group_id;
  GPtrArray *pending_pads; /* server thread: pads with pending buffers */

  GstSensorStreamPool *pool; /* drains the pads' lanes */
  GSource *expiry;           /* idle devices, on the server's context */

  /* shared with workers and the application, @lock */
  GMutex lock;
  GstSensorStreamServer *server;
  GstSensorStreamServerStats last_server_stats; /* after stop */
  gboolean streaming;
  gboolean eos;
  GHashTable *pads;        /* name -> GstPad (ref) */
  GHashTable *devices;     /* device id -> GstRpSensorSrcDevice */
  GHashTable *unavailable; /* device ids answered 503, @lock */
  GHashTable *held;        /* device ids whose lanes are paused, @lock */
  guint n_devices;
  guint64 retired_dropped, retired_dropped_bytes; /* of removed pads */
  GstSensorCounters *counters; /* reset at start with @lock held */
};

static inline void
gst_rp_sensor_src_count (GstRpSensorSrc *self, GstRpSensorSrcCounter id)
{
  /* bumped by the server thread and the workers: no lock */
  gst_sensor_counters_add (self->counters, id, 1);
}

/* gstrpsensorsrc-devices.c: the device table and the pads' lifecycle */
G_GNUC_INTERNAL
GHashTable *gst_rp_sensor_src_device_table_new (void);
G_GNUC_INTERNAL
void gst_rp_sensor_src_set_device_available (
    GstRpSensorSrc *self, const gchar *device, gboolean available);
G_GNUC_INTERNAL
void gst_rp_sensor_src_set_device_held (
    GstRpSensorSrc *self, const gchar *device, gboolean held);
G_GNUC_INTERNAL
GstRpSensorSrcPadData *gst_rp_sensor_src_pad_get_data (GstPad *pad);
G_GNUC_INTERNAL
void gst_rp_sensor_src_pad_enqueue (GstPad *pad, GstMiniObject *obj);
G_GNUC_INTERNAL
GstPad *gst_rp_sensor_src_create_pad (
    GstRpSensorSrc *self, const gchar *name, guint group, const gchar *device);
G_GNUC_INTERNAL
GstRpSensorSrcDevice *gst_rp_sensor_src_get_device (
    GstRpSensorSrc *self, const gchar *device);
G_GNUC_INTERNAL
GstPad *gst_rp_sensor_src_get_pad (GstRpSensorSrc *self,
    GstRpSensorSrcDevice *entry, const gchar *device, guint group);
G_GNUC_INTERNAL
void gst_rp_sensor_src_remove_pads (GstRpSensorSrc *self);
G_GNUC_INTERNAL
guint gst_rp_sensor_src_device_end (
    GstRpSensorSrcDevice *entry, GstEvent *eos, gboolean retire);
G_GNUC_INTERNAL
gboolean gst_rp_sensor_src_expire_devices (gpointer user_data);


/* gstrpsensorsrc-readings.c: the server's callbacks, on its thread */
G_GNUC_INTERNAL
extern const GstSensorStreamServerCallbacks gst_rp_sensor_src_server_callbacks;

G_END_DECLS
