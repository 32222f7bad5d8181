/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:gstsensorepoch
 * @title: Epoch anchor
 * @short_description: one UTC time base for every source of a pipeline
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensor-epoch.h"

/* One epoch anchor per pipeline: the UTC time of running time 0. Every
 * source of a pipeline maps its running time through the same anchor, so all
 * modalities of a device share one time base (a sample at running time T has
 * the same epoch whichever source produced it). */
typedef struct
{
  gboolean live;
  GstClockTime base_time;   /* live anchors follow the base time */
  GstClockTime utc_at_zero; /* epoch ns of running time 0 */
} EpochAnchor;

static GMutex anchor_lock;

static GQuark
anchor_quark (void)
{
  static GQuark q = 0;

  if (G_UNLIKELY (q == 0))
    q = g_quark_from_static_string ("gst-sensor-epoch-anchor");
  return q;
}

/**
 * gst_sensor_epoch_get_caps:
 *
 * Returns: (transfer none): the `timestamp/x-unix` caps, valid for the life
 *   of the process
 */
GstCaps *
gst_sensor_epoch_get_caps (void)
{
  static GstCaps *caps = NULL;

  if (g_once_init_enter (&caps)) {
    GstCaps *c = gst_caps_from_string (GST_SENSOR_EPOCH_CAPS_STRING);

    GST_MINI_OBJECT_FLAG_SET (c, GST_MINI_OBJECT_FLAG_MAY_BE_LEAKED);
    g_once_init_leave (&caps, c);
  }
  return caps;
}

/* gst_buffer_get_reference_timestamp_meta() compares caps with
 * gst_caps_is_subset() at every meta, which costs more than the rest of a
 * small buffer's trip. Epoch metas made here, and their copies, share the one
 * caps instance, so a pointer match settles the usual case; other metas get
 * the same subset test as there. */
static GstReferenceTimestampMeta *
find_epoch_meta (GstBuffer *buffer)
{
  GstCaps *epoch = gst_sensor_epoch_get_caps ();
  gpointer state = NULL;
  GstMeta *meta;

  while ((meta = gst_buffer_iterate_meta_filtered (
              buffer, &state, GST_REFERENCE_TIMESTAMP_META_API_TYPE))) {
    GstReferenceTimestampMeta *ts = (GstReferenceTimestampMeta *) meta;

    if (ts->reference == epoch || gst_caps_is_subset (ts->reference, epoch))
      return ts;
  }
  return NULL;
}

/**
 * gst_buffer_add_sensor_epoch:
 * @buffer: a writable buffer
 * @epoch_ns: Unix epoch time of the buffer's first sample, in ns
 *
 * Attaches the epoch time as a #GstReferenceTimestampMeta.
 */
void
gst_buffer_add_sensor_epoch (GstBuffer *buffer, GstClockTime epoch_ns)
{
  g_return_if_fail (GST_IS_BUFFER (buffer));
  g_return_if_fail (GST_CLOCK_TIME_IS_VALID (epoch_ns));
  gst_buffer_add_reference_timestamp_meta (
      buffer, gst_sensor_epoch_get_caps (), epoch_ns, GST_CLOCK_TIME_NONE);
}

/**
 * gst_buffer_set_sensor_epoch:
 * @buffer: a writable buffer
 * @epoch_ns: Unix epoch time of the buffer's first sample, in ns
 *
 * Like gst_buffer_add_sensor_epoch(), but when @buffer already carries an
 * epoch meta (a buffer pool keeps metas flagged %GST_META_FLAG_POOLED) that
 * meta is updated in place instead of a second one being added.
 *
 * Returns: (transfer none): the buffer's epoch meta
 */
GstReferenceTimestampMeta *
gst_buffer_set_sensor_epoch (GstBuffer *buffer, GstClockTime epoch_ns)
{
  GstReferenceTimestampMeta *meta;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);
  g_return_val_if_fail (gst_buffer_is_writable (buffer), NULL);
  g_return_val_if_fail (GST_CLOCK_TIME_IS_VALID (epoch_ns), NULL);
  meta = find_epoch_meta (buffer);
  if (meta == NULL)
    return gst_buffer_add_reference_timestamp_meta (
        buffer, gst_sensor_epoch_get_caps (), epoch_ns, GST_CLOCK_TIME_NONE);
  meta->timestamp = epoch_ns;
  meta->duration = GST_CLOCK_TIME_NONE;
  return meta;
}

/**
 * gst_buffer_remove_sensor_epoch:
 * @buffer: a writable buffer
 *
 * Removes the epoch meta of @buffer, if it has one.
 *
 * Returns: %TRUE when a meta was removed
 */
gboolean
gst_buffer_remove_sensor_epoch (GstBuffer *buffer)
{
  GstReferenceTimestampMeta *meta;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), FALSE);
  g_return_val_if_fail (gst_buffer_is_writable (buffer), FALSE);
  meta = find_epoch_meta (buffer);
  return meta != NULL && gst_buffer_remove_meta (buffer, (GstMeta *) meta);
}

/**
 * gst_buffer_get_sensor_epoch:
 * @buffer: a buffer
 * @epoch_ns: (out): Unix epoch time of the first sample, in ns
 *
 * Returns: %TRUE when @buffer carries an epoch meta
 */
gboolean
gst_buffer_get_sensor_epoch (GstBuffer *buffer, GstClockTime *epoch_ns)
{
  GstReferenceTimestampMeta *meta;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), FALSE);
  meta = find_epoch_meta (buffer);
  if (meta == NULL)
    return FALSE;
  if (epoch_ns)
    *epoch_ns = meta->timestamp;
  return TRUE;
}

static GstObject *
find_top_level (GstElement *element)
{
  GstObject *top = gst_object_ref (GST_OBJECT (element)), *parent;

  while ((parent = gst_object_get_parent (top)) != NULL) {
    gst_object_unref (top);
    top = parent;
  }
  return top;
}

static GstClockTime
utc_now (void)
{
  return (GstClockTime) g_get_real_time () * GST_USECOND;
}

/**
 * gst_sensor_epoch_for_running_time:
 * @element: an element inside the pipeline
 * @running_time: a running time of that pipeline
 * @live: whether @element produces data in real time
 *
 * Maps @running_time to Unix epoch ns through the pipeline's one anchor,
 * creating the anchor on first use. A live anchor is the UTC time of running
 * time 0 read through the pipeline clock, and is taken again when the base
 * time changes (after a pause); a non-live anchor is the UTC time at which
 * the first sample was made and then stays, so non-live data is laid out
 * from that moment on.
 *
 * Returns: the epoch time in ns
 */
GstClockTime
gst_sensor_epoch_for_running_time (
    GstElement *element, GstClockTime running_time, gboolean live)
{
  GstObject *top;
  GstClock *clock;
  EpochAnchor *anchor;
  GstClockTime base_time, result;

  g_return_val_if_fail (GST_IS_ELEMENT (element), GST_CLOCK_TIME_NONE);
  g_return_val_if_fail (
      GST_CLOCK_TIME_IS_VALID (running_time), GST_CLOCK_TIME_NONE);

  top = find_top_level (element);
  clock = gst_element_get_clock (element);
  base_time = gst_element_get_base_time (element);

  g_mutex_lock (&anchor_lock);
  anchor = g_object_get_qdata (G_OBJECT (top), anchor_quark ());
  if (anchor == NULL) {
    anchor = g_new0 (EpochAnchor, 1);
    anchor->utc_at_zero = GST_CLOCK_TIME_NONE;
    g_object_set_qdata_full (G_OBJECT (top), anchor_quark (), anchor, g_free);
  }
  if (!GST_CLOCK_TIME_IS_VALID (anchor->utc_at_zero) ||
      (anchor->live && clock != NULL && anchor->base_time != base_time)) {
    GstClockTime now = utc_now (), elapsed = running_time;

    if (live && clock != NULL) {
      GstClockTime clock_now = gst_clock_get_time (clock);

      elapsed = clock_now > base_time ? clock_now - base_time : 0;
    }
    anchor->live = live && clock != NULL;
    anchor->base_time = base_time;
    anchor->utc_at_zero = now > elapsed ? now - elapsed : 0;
    GST_DEBUG_OBJECT (element, "epoch anchor %" GST_TIME_FORMAT " (%s)",
        GST_TIME_ARGS (anchor->utc_at_zero),
        anchor->live ? "live" : "non-live");
  }
  result = anchor->utc_at_zero + running_time;
  g_mutex_unlock (&anchor_lock);

  if (clock)
    gst_object_unref (clock);
  gst_object_unref (top);
  return result;
}

/**
 * gst_sensor_epoch_reset:
 * @element: an element inside the pipeline
 *
 * Forgets the pipeline's anchor so that the next run takes a new one. Sources
 * call it when they go to NULL.
 */
void
gst_sensor_epoch_reset (GstElement *element)
{
  GstObject *top;

  g_return_if_fail (GST_IS_ELEMENT (element));
  top = find_top_level (element);
  g_mutex_lock (&anchor_lock);
  g_object_set_qdata (G_OBJECT (top), anchor_quark (), NULL);
  g_mutex_unlock (&anchor_lock);
  gst_object_unref (top);
}
