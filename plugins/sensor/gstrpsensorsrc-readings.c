/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* rpsensorsrc's side of the server: its callbacks, on the server thread,
 * admit devices and turn each accepted reading into timestamped buffers on
 * its device's pads, and post the device-added and fall-detected
 * messages. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrpsensorsrc-private.h"

#include <string.h>
#include <gst/sensor/sensor.h>
#include <gst/sensorstream/sensorstream-clock.h>

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

/* One F32LE buffer of @group's samples of @r. */
static GstBuffer *
make_buffer (const GstSensorStreamReading *r, guint group)
{
  gfloat v[GST_SENSOR_STREAM_GROUP_MAX_CHANNELS];
  guint n = gst_sensor_stream_reading_group_samples (r, group, v), i;

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
  GstRpSensorSrcDevice *entry;

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
  GstRpSensorSrcDevice *entry;
  gboolean is_new;
  guint g;

  if (self->filtered && strcmp (self->run_device, r->device_id) != 0) {
    gst_rp_sensor_src_count (self, RP_COUNTER_FILTERED);
    return;
  }

  running_and_epoch (self, r, &running, &epoch);
  entry = gst_rp_sensor_src_get_device (self, r->device_id);
  entry->last_seen = g_get_monotonic_time ();
  /* announced: server thread only */
  is_new = !entry->announced;
  if (is_new) {
    entry->announced = TRUE;
    g_mutex_lock (&self->lock);
    self->n_devices++;
    g_mutex_unlock (&self->lock);
  }
  gst_rp_sensor_src_count (self, RP_COUNTER_ACCEPTED);
  if (fall->detected)
    gst_rp_sensor_src_count (self, RP_COUNTER_FALLS);

  for (g = 0; g < GST_SENSOR_STREAM_N_GROUPS; g++) {
    GstPad *pad;
    GstRpSensorSrcPadData *pd;
    GstBuffer *buf;
    GstClockTime pts = running;

    if (!gst_sensor_stream_reading_has_group (r, g))
      continue;
    if (!(self->run_group_mask & (1u << g))) {
      gst_rp_sensor_src_count (self, RP_COUNTER_GROUPS_SKIPPED);
      continue;
    }
    pad = gst_rp_sensor_src_get_pad (self, entry, r->device_id, g);
    if (pad == NULL)
      continue;
    pd = gst_rp_sensor_src_pad_get_data (pad);
    buf = make_buffer (r, g);
    /* irregular streams still need monotonic PTS: a reading stamped
     * before the previous one is held at the previous time (its epoch meta
     * keeps the device's own time) */
    if (pts < pd->last_pts) {
      pts = pd->last_pts;
      gst_rp_sensor_src_count (self, RP_COUNTER_CLAMPED);
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
    /* held until the request's last reading (readings_done): one lane
     * item, one worker wake-up and one push per request, not per reading */
    if (pd->pending == NULL) {
      pd->pending = gst_buffer_list_new ();
      g_ptr_array_add (self->pending_pads, gst_object_ref (pad));
    }
    gst_buffer_list_add (pd->pending, buf);
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

/* The request's readings are all in: each pad's share goes to its lane
 * (a single buffer as itself). */
static void
on_readings_done (const gchar *device, gpointer user_data)
{
  GstRpSensorSrc *self = user_data;
  guint i;

  for (i = 0; i < self->pending_pads->len; i++) {
    GstPad *pad = g_ptr_array_index (self->pending_pads, i);
    GstRpSensorSrcPadData *pd = gst_rp_sensor_src_pad_get_data (pad);
    GstBufferList *list = g_steal_pointer (&pd->pending);

    if (gst_buffer_list_length (list) == 1) {
      GstBuffer *buf = gst_buffer_ref (gst_buffer_list_get (list, 0));

      gst_buffer_list_unref (list);
      gst_rp_sensor_src_pad_enqueue (pad, GST_MINI_OBJECT (buf));
    } else {
      gst_rp_sensor_src_pad_enqueue (pad, GST_MINI_OBJECT (list));
    }
  }
  g_ptr_array_set_size (self->pending_pads, 0);
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

const GstSensorStreamServerCallbacks gst_rp_sensor_src_server_callbacks = {
  on_admit,
  on_reading,
  on_listener_state,
  limiter_clock,
  on_readings_done,
};
