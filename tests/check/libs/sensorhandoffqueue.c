/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The network -> streaming thread hand-off queue: drop-oldest in buffers
 * and bytes, events kept in order, DISCONT after a gap, flushing wakes a
 * blocked pop.
 */
#include <gst/check/gstcheck.h>
#include <gst/sensor/sensor.h>

/* A buffer of @size bytes whose offset is @id. */
static GstMiniObject *
buf (guint64 id, gsize size)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, size, NULL);

  GST_BUFFER_OFFSET (b) = id;
  return GST_MINI_OBJECT (b);
}

/* Pops a buffer and checks its id and DISCONT flag. */
static void
expect_buffer (GstSensorHandoffQueue *q, guint64 id, gboolean discont)
{
  GstMiniObject *o = gst_sensor_handoff_queue_try_pop (q);

  fail_unless (o != NULL && GST_IS_BUFFER (o));
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET (o), id);
  fail_unless_equals_int (
      GST_BUFFER_FLAG_IS_SET (o, GST_BUFFER_FLAG_DISCONT), discont);
  gst_mini_object_unref (o);
}

static void
expect_event (GstSensorHandoffQueue *q, GstEventType type)
{
  GstMiniObject *o = gst_sensor_handoff_queue_try_pop (q);

  fail_unless (o != NULL && GST_IS_EVENT (o));
  fail_unless_equals_int (GST_EVENT_TYPE (o), type);
  gst_mini_object_unref (o);
}

GST_START_TEST (test_drop_oldest_in_order)
{
  GstSensorHandoffQueue *q = gst_sensor_handoff_queue_new (3, 0);
  GstSensorHandoffQueueStats st;
  guint i;

  for (i = 1; i <= 5; i++)
    fail_unless (gst_sensor_handoff_queue_push (q, buf (i, 10)));
  gst_sensor_handoff_queue_get_stats (q, &st);
  fail_unless_equals_int (st.buffers, 3);
  fail_unless_equals_uint64 (st.bytes, 30);
  fail_unless_equals_uint64 (st.dropped, 2);
  fail_unless_equals_uint64 (st.dropped_bytes, 20);
  /* 1 and 2 went; 3 is the first after the gap */
  expect_buffer (q, 3, TRUE);
  expect_buffer (q, 4, FALSE);
  expect_buffer (q, 5, FALSE);
  fail_unless (gst_sensor_handoff_queue_try_pop (q) == NULL);
  fail_unless (gst_sensor_handoff_queue_is_empty (q));
  gst_sensor_handoff_queue_free (q);
}

GST_END_TEST;

GST_START_TEST (test_events_kept_in_order)
{
  GstSensorHandoffQueue *q = gst_sensor_handoff_queue_new (2, 0);
  GstSensorHandoffQueueStats st;
  GstSegment seg;

  gst_segment_init (&seg, GST_FORMAT_TIME);
  gst_sensor_handoff_queue_push (
      q, GST_MINI_OBJECT (gst_event_new_stream_start ("s")));
  gst_sensor_handoff_queue_push (q, buf (1, 1));
  gst_sensor_handoff_queue_push (
      q, GST_MINI_OBJECT (gst_event_new_segment (&seg)));
  gst_sensor_handoff_queue_push (q, buf (2, 1));
  /* full: 1 goes, the events around it stay where they were */
  gst_sensor_handoff_queue_push (q, buf (3, 1));
  gst_sensor_handoff_queue_push (q, GST_MINI_OBJECT (gst_event_new_eos ()));
  gst_sensor_handoff_queue_get_stats (q, &st);
  fail_unless_equals_int (st.items, 5);
  fail_unless_equals_int (st.buffers, 2);
  fail_unless_equals_uint64 (st.dropped, 1);

  expect_event (q, GST_EVENT_STREAM_START);
  expect_event (q, GST_EVENT_SEGMENT);
  expect_buffer (q, 2, TRUE);
  expect_buffer (q, 3, FALSE);
  expect_event (q, GST_EVENT_EOS);
  gst_sensor_handoff_queue_free (q);
}

GST_END_TEST;

/* An application's EOS (push_eos) while the queue is full: data that keeps
 * coming after it is refused, never counted, and does not push out the
 * data before the EOS; a flush (the next start) takes data again. */
GST_START_TEST (test_no_data_after_eos)
{
  GstSensorHandoffQueue *q = gst_sensor_handoff_queue_new (2, 0);
  GstSensorHandoffQueueStats st;
  GstEvent *eos = gst_event_new_eos ();

  fail_unless (gst_sensor_handoff_queue_push (q, buf (1, 1)));
  fail_unless (gst_sensor_handoff_queue_push (q, buf (2, 1)));
  fail_unless (gst_sensor_handoff_queue_push_eos (q, eos));
  /* the queue took a reference of its own */
  fail_unless_equals_int (GST_MINI_OBJECT_REFCOUNT_VALUE (eos), 2);
  gst_event_unref (eos);
  fail_if (gst_sensor_handoff_queue_push (q, buf (3, 1)));
  fail_if (gst_sensor_handoff_queue_push (q, buf (4, 1)));
  gst_sensor_handoff_queue_get_stats (q, &st);
  fail_unless_equals_int (st.buffers, 2);
  fail_unless_equals_uint64 (st.dropped, 0);
  expect_buffer (q, 1, FALSE);
  expect_buffer (q, 2, FALSE);
  expect_event (q, GST_EVENT_EOS);
  /* still ended once the EOS is out */
  fail_if (gst_sensor_handoff_queue_push (q, buf (5, 1)));
  fail_unless (gst_sensor_handoff_queue_try_pop (q) == NULL);

  gst_sensor_handoff_queue_flush (q);
  fail_unless (gst_sensor_handoff_queue_push (q, buf (6, 1)));
  expect_buffer (q, 6, FALSE);

  /* flushing: nothing is queued, the caller keeps its event */
  gst_sensor_handoff_queue_set_flushing (q, TRUE);
  eos = gst_event_new_eos ();
  fail_if (gst_sensor_handoff_queue_push_eos (q, eos));
  fail_unless_equals_int (GST_MINI_OBJECT_REFCOUNT_VALUE (eos), 1);
  gst_event_unref (eos);
  gst_sensor_handoff_queue_free (q);
}

GST_END_TEST;

/* A gap where the dropped buffer was the last one queued: the one being
 * pushed is the first after it. */
GST_START_TEST (test_discont_on_pushed_buffer)
{
  GstSensorHandoffQueue *q = gst_sensor_handoff_queue_new (1, 0);

  gst_sensor_handoff_queue_push (q, buf (1, 4));
  gst_sensor_handoff_queue_push (q, buf (2, 4));
  gst_sensor_handoff_queue_push (q, buf (3, 4));
  expect_buffer (q, 3, TRUE);
  gst_sensor_handoff_queue_push (q, buf (4, 4));
  expect_buffer (q, 4, FALSE);
  gst_sensor_handoff_queue_free (q);
}

GST_END_TEST;

GST_START_TEST (test_byte_bound)
{
  GstSensorHandoffQueue *q = gst_sensor_handoff_queue_new (1000, 100);
  GstSensorHandoffQueueStats st;

  gst_sensor_handoff_queue_push (q, buf (1, 40));
  gst_sensor_handoff_queue_push (q, buf (2, 40));
  gst_sensor_handoff_queue_get_stats (q, &st);
  fail_unless_equals_uint64 (st.bytes, 80);
  fail_unless_equals_uint64 (st.dropped, 0);
  /* 80 + 30 > 100: the oldest (40) goes */
  gst_sensor_handoff_queue_push (q, buf (3, 30));
  gst_sensor_handoff_queue_get_stats (q, &st);
  fail_unless_equals_uint64 (st.bytes, 70);
  fail_unless_equals_uint64 (st.dropped, 1);
  fail_unless_equals_uint64 (st.dropped_bytes, 40);
  /* exactly at the bound fits */
  gst_sensor_handoff_queue_push (q, buf (4, 30));
  gst_sensor_handoff_queue_get_stats (q, &st);
  fail_unless_equals_uint64 (st.bytes, 100);
  fail_unless_equals_int (st.buffers, 3);
  fail_unless_equals_uint64 (st.dropped, 1);
  /* larger than the whole bound: it is dropped itself, the rest stays */
  fail_if (gst_sensor_handoff_queue_push (q, buf (5, 101)));
  gst_sensor_handoff_queue_get_stats (q, &st);
  fail_unless_equals_uint64 (st.bytes, 100);
  fail_unless_equals_uint64 (st.dropped, 2);
  fail_unless_equals_uint64 (st.dropped_bytes, 141);
  expect_buffer (q, 2, TRUE);
  expect_buffer (q, 3, FALSE);
  expect_buffer (q, 4, FALSE);
  /* the buffer after the oversized one follows a gap */
  gst_sensor_handoff_queue_push (q, buf (6, 1));
  expect_buffer (q, 6, TRUE);

  gst_sensor_handoff_queue_reset_stats (q);
  gst_sensor_handoff_queue_get_stats (q, &st);
  fail_unless_equals_uint64 (st.dropped, 0);
  fail_unless_equals_uint64 (st.dropped_bytes, 0);
  gst_sensor_handoff_queue_free (q);
}

GST_END_TEST;

/* The 2.86 GB case: 1,000 buffers of 8 MiB allowed by the buffer count
 * alone; the byte bound keeps it at 64 MiB whatever comes. */
GST_START_TEST (test_byte_bound_large)
{
  GstSensorHandoffQueue *q = gst_sensor_handoff_queue_new (1000, 64 << 20);
  GstSensorHandoffQueueStats st;
  guint i;

  for (i = 0; i < 20; i++) {
    gst_sensor_handoff_queue_push (q, buf (i, 8 << 20));
    gst_sensor_handoff_queue_get_stats (q, &st);
    fail_unless (st.bytes <= (64 << 20));
  }
  fail_unless_equals_int (st.buffers, 8);
  fail_unless_equals_uint64 (st.dropped, 12);
  fail_unless_equals_uint64 (st.dropped_bytes, (guint64) 12 * (8 << 20));
  gst_sensor_handoff_queue_free (q);
}

GST_END_TEST;

GST_START_TEST (test_buffer_list)
{
  GstSensorHandoffQueue *q = gst_sensor_handoff_queue_new (1, 0);
  GstBufferList *list = gst_buffer_list_new ();
  GstSensorHandoffQueueStats st;
  GstMiniObject *o;

  gst_buffer_list_add (list, GST_BUFFER (buf (7, 5)));
  gst_buffer_list_add (list, GST_BUFFER (buf (8, 6)));
  gst_sensor_handoff_queue_push (q, buf (1, 1));
  gst_sensor_handoff_queue_push (q, GST_MINI_OBJECT (list));
  gst_sensor_handoff_queue_get_stats (q, &st);
  /* 1 went, then the list, over the bound on its own, kept its newest */
  fail_unless_equals_uint64 (st.bytes, 6);
  fail_unless_equals_uint64 (st.dropped, 2);
  o = gst_sensor_handoff_queue_try_pop (q);
  fail_unless (GST_IS_BUFFER_LIST (o));
  fail_unless_equals_int (gst_buffer_list_length (GST_BUFFER_LIST (o)), 1);
  fail_unless_equals_uint64 (
      GST_BUFFER_OFFSET (gst_buffer_list_get (GST_BUFFER_LIST (o), 0)), 8);
  fail_unless (GST_BUFFER_FLAG_IS_SET (
      gst_buffer_list_get (GST_BUFFER_LIST (o), 0), GST_BUFFER_FLAG_DISCONT));
  gst_mini_object_unref (o);
  gst_sensor_handoff_queue_free (q);
}

GST_END_TEST;

static GstMiniObject *
list_of (guint64 first_id, guint n)
{
  GstBufferList *list = gst_buffer_list_new ();
  guint i;

  for (i = 0; i < n; i++)
    gst_buffer_list_add (list, GST_BUFFER (buf (first_id + i, 10)));
  return GST_MINI_OBJECT (list);
}

/* A list counts as its buffers against the buffer bound, and drops stay
 * per buffer, oldest first: the bound means the same whether a producer
 * batches or not. */
static void
expect_list (
    GstSensorHandoffQueue *q, guint64 first_id, guint n, gboolean discont)
{
  GstMiniObject *o = gst_sensor_handoff_queue_try_pop (q);
  guint i;

  fail_unless (o != NULL && GST_IS_BUFFER_LIST (o));
  fail_unless_equals_int (gst_buffer_list_length (GST_BUFFER_LIST (o)), n);
  for (i = 0; i < n; i++) {
    GstBuffer *b = gst_buffer_list_get (GST_BUFFER_LIST (o), i);

    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (b), first_id + i);
    fail_unless_equals_int (
        GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_DISCONT), i == 0 && discont);
  }
  gst_mini_object_unref (o);
}

GST_START_TEST (test_buffer_list_counts_its_buffers)
{
  GstSensorHandoffQueue *q = gst_sensor_handoff_queue_new (5, 0);
  GstSensorHandoffQueueStats st;

  fail_unless (gst_sensor_handoff_queue_push (q, list_of (1, 3)));
  gst_sensor_handoff_queue_get_stats (q, &st);
  fail_unless_equals_int (st.buffers, 3);
  /* 3 + 3 > 5: the oldest buffer goes, not the whole first list */
  fail_unless (gst_sensor_handoff_queue_push (q, list_of (4, 3)));
  gst_sensor_handoff_queue_get_stats (q, &st);
  fail_unless_equals_int (st.buffers, 5);
  fail_unless_equals_uint64 (st.bytes, 50);
  fail_unless_equals_uint64 (st.dropped, 1);
  fail_unless_equals_uint64 (st.dropped_bytes, 10);
  fail_unless (gst_sensor_handoff_queue_push (q, buf (7, 10)));
  fail_unless (gst_sensor_handoff_queue_push (q, buf (8, 10)));
  gst_sensor_handoff_queue_get_stats (q, &st);
  fail_unless_equals_int (st.buffers, 5);
  fail_unless_equals_uint64 (st.dropped, 3);
  /* 1, 2 and 3 went: the next list starts after a gap */
  expect_list (q, 4, 3, TRUE);
  expect_buffer (q, 7, FALSE);
  expect_buffer (q, 8, FALSE);

  /* a list over the bound on its own keeps its newest buffers */
  fail_unless (gst_sensor_handoff_queue_push (q, list_of (10, 8)));
  gst_sensor_handoff_queue_get_stats (q, &st);
  fail_unless_equals_int (st.buffers, 5);
  fail_unless_equals_uint64 (st.dropped, 6);
  expect_list (q, 13, 5, TRUE);
  gst_sensor_handoff_queue_free (q);
}

GST_END_TEST;

static gpointer
pop_thread (gpointer data)
{
  return gst_sensor_handoff_queue_pop (data);
}

GST_START_TEST (test_flushing_wakes_pop)
{
  GstSensorHandoffQueue *q = gst_sensor_handoff_queue_new (4, 0);
  GThread *t = g_thread_new ("pop", pop_thread, q);
  GstMiniObject *o;

  /* whether the thread already waits or not, it must come back NULL */
  g_usleep (50 * G_TIME_SPAN_MILLISECOND);
  gst_sensor_handoff_queue_set_flushing (q, TRUE);
  fail_unless (g_thread_join (t) == NULL);

  /* flushing: pushes are refused, pops return at once */
  fail_if (gst_sensor_handoff_queue_push (q, buf (1, 1)));
  fail_unless (gst_sensor_handoff_queue_pop (q) == NULL);

  /* and it works again afterwards; a blocked pop gets the next push */
  gst_sensor_handoff_queue_set_flushing (q, FALSE);
  t = g_thread_new ("pop", pop_thread, q);
  g_usleep (20 * G_TIME_SPAN_MILLISECOND);
  gst_sensor_handoff_queue_push (q, buf (2, 1));
  o = g_thread_join (t);
  fail_unless (o != NULL && GST_BUFFER_OFFSET (o) == 2);
  gst_mini_object_unref (o);

  /* what was queued stays across flushing until flush() */
  gst_sensor_handoff_queue_push (q, buf (3, 1));
  gst_sensor_handoff_queue_set_flushing (q, TRUE);
  gst_sensor_handoff_queue_set_flushing (q, FALSE);
  expect_buffer (q, 3, FALSE);
  gst_sensor_handoff_queue_push (q, buf (4, 1));
  gst_sensor_handoff_queue_flush (q);
  fail_unless (gst_sensor_handoff_queue_is_empty (q));
  gst_sensor_handoff_queue_free (q);
}

GST_END_TEST;

GST_START_TEST (test_set_limits)
{
  GstSensorHandoffQueue *q = gst_sensor_handoff_queue_new (0, 0);
  GstSensorHandoffQueueStats st;
  guint i;

  for (i = 0; i < 100; i++)
    gst_sensor_handoff_queue_push (q, buf (i, 1));
  gst_sensor_handoff_queue_get_stats (q, &st);
  fail_unless_equals_int (st.buffers, 100);
  gst_sensor_handoff_queue_set_limits (q, 10, 0);
  gst_sensor_handoff_queue_push (q, buf (100, 1));
  gst_sensor_handoff_queue_get_stats (q, &st);
  fail_unless_equals_int (st.buffers, 10);
  fail_unless_equals_uint64 (st.dropped, 91);
  expect_buffer (q, 91, TRUE);
  gst_sensor_handoff_queue_free (q);
}

GST_END_TEST;

static Suite *
sensorhandoffqueue_suite (void)
{
  Suite *s = suite_create ("sensorhandoffqueue");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_drop_oldest_in_order);
  tcase_add_test (tc, test_events_kept_in_order);
  tcase_add_test (tc, test_no_data_after_eos);
  tcase_add_test (tc, test_discont_on_pushed_buffer);
  tcase_add_test (tc, test_byte_bound);
  tcase_add_test (tc, test_byte_bound_large);
  tcase_add_test (tc, test_buffer_list);
  tcase_add_test (tc, test_buffer_list_counts_its_buffers);
  tcase_add_test (tc, test_flushing_wakes_pop);
  tcase_add_test (tc, test_set_limits);
  return s;
}

GST_CHECK_MAIN (sensorhandoffqueue);
