/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* sensortestsrc's output buffers: the pool they come from and the epoch
 * meta they carry. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsensortestsrc-private.h"

/* gst_sensor_epoch_for_running_time() finds the pipeline and its clock and
 * takes a lock; its anchor (epoch of running time 0) only changes with the
 * base time, so it is read again only then: the same epoch per buffer. */
GstClockTime
gst_sensor_test_src_epoch_for_running_time (
    GstSensorTestSrc *self, GstClockTime running_time)
{
  GstClockTime base_time = gst_element_get_base_time (GST_ELEMENT (self));
  GstClockTime epoch;

  if (self->have_epoch_zero && base_time == self->epoch_base_time)
    return self->epoch_zero + running_time;
  epoch = gst_sensor_epoch_for_running_time (
      GST_ELEMENT (self), running_time, self->live);
  self->have_epoch_zero = epoch >= running_time;
  self->epoch_zero = epoch - running_time;
  self->epoch_base_time = base_time;
  return epoch;
}

/* Spare buffers our own pool keeps: a buffer is usually freed downstream
 * before the next is made, and with spares on hand the pool recycles it
 * without a wake-up (otherwise every buffer is a fresh allocation). */
#define OWN_POOL_MIN_BUFFERS 4

/* Takes downstream's pool, or makes our own, sized for a buffer. */
void
gst_sensor_test_src_choose_pool (GstSensorTestSrc *self, GstQuery *query)
{
  GstBufferPool *pool = NULL, *own = NULL;
  guint need = self->spb * self->info.bpf;
  guint size = 0, min = 0, max = 0;
  gboolean offered = gst_query_get_n_allocation_pools (query) > 0;

  if (offered)
    gst_query_parse_nth_allocation_pool (query, 0, &pool, &size, &min, &max);
  if (pool == NULL) {
    pool = own = gst_buffer_pool_new ();
    min = MAX (min, OWN_POOL_MIN_BUFFERS);
    if (max != 0 && max < min)
      max = min;
  }
  size = MAX (size, need);
  if (offered)
    gst_query_set_nth_allocation_pool (query, 0, pool, size, min, max);
  else
    gst_query_add_allocation_pool (query, pool, size, min, max);
  gst_object_unref (pool);

  GST_OBJECT_LOCK (self);
  gst_object_replace ((GstObject **) &self->own_pool, GST_OBJECT (own));
  GST_OBJECT_UNLOCK (self);
}

/* Sets (or clears) the epoch meta of @buf; on buffers of our own pool the
 * meta stays across uses and is only updated. */
void
gst_sensor_test_src_set_buffer_epoch (
    GstSensorTestSrc *self, GstBuffer *buf, GstClockTime epoch)
{
  if (GST_CLOCK_TIME_IS_VALID (epoch)) {
    GstReferenceTimestampMeta *meta = gst_buffer_set_sensor_epoch (buf, epoch);
    if (buf->pool != NULL && buf->pool == self->own_pool)
      GST_META_FLAG_SET (meta, GST_META_FLAG_POOLED);
    return;
  }
  /* a recycled buffer may still carry the epoch of its last use */
  gst_buffer_remove_sensor_epoch (buf);
}
