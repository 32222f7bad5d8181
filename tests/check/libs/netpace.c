/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The network thread's batching: paced polls (an interval that grows with
 * the descriptors polled) and batched calls (every call runs once, in the
 * order made, on the network thread).
 */
#include <string.h>
#include <gst/check/gstcheck.h>
#include <gio/gio.h>
#include <gst/sensornet/sensornet-paced-poll.h>
#include <gst/sensornet/sensornet-ws-client.h>

GST_START_TEST (test_interval_table)
{
  /* few descriptors: no pacing; 10 us each above that, at most 20 ms */
  fail_unless_equals_int64 (gst_sensor_net_paced_interval_us (0), 0);
  fail_unless_equals_int64 (gst_sensor_net_paced_interval_us (63), 0);
  fail_unless_equals_int64 (gst_sensor_net_paced_interval_us (64), 640);
  fail_unless_equals_int64 (gst_sensor_net_paced_interval_us (1000), 10000);
  fail_unless_equals_int64 (gst_sensor_net_paced_interval_us (2000), 20000);
  fail_unless_equals_int64 (gst_sensor_net_paced_interval_us (1000000), 20000);
  /* bulk: 20 us each, at most 100 ms */
  fail_unless_equals_int64 (gst_sensor_net_paced_bulk_interval_us (63), 0);
  fail_unless_equals_int64 (gst_sensor_net_paced_bulk_interval_us (64), 1280);
  fail_unless_equals_int64 (
      gst_sensor_net_paced_bulk_interval_us (1000), 20000);
  fail_unless_equals_int64 (
      gst_sensor_net_paced_bulk_interval_us (5000), 100000);
  fail_unless_equals_int64 (
      gst_sensor_net_paced_bulk_interval_us (1000000), 100000);
}

GST_END_TEST;

static gboolean
count_and_quit (gpointer data)
{
  gint *n = data;

  (*n)++;
  return G_SOURCE_REMOVE;
}

/* A paced context with many descriptors still dispatches a timeout on
 * time (give or take the interval), and gathers what became ready during
 * the interval into one iteration. */
static void
check_paced_context_dispatches (void (*set_paced) (GMainContext *))
{
  GMainContext *ctx = g_main_context_new ();
  GSocket *socks[200];
  GSource *src;
  gint fired = 0, i;
  gint64 start, took;

  set_paced (ctx);
  /* 200 idle descriptors: a 2 ms interval (bulk: 4 ms) */
  for (i = 0; i < 200; i++) {
    socks[i] = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
        G_SOCKET_PROTOCOL_UDP, NULL);
    fail_unless (socks[i] != NULL);
    src = g_socket_create_source (socks[i], G_IO_IN, NULL);
    g_source_set_dummy_callback (src);
    g_source_attach (src, ctx);
    g_source_unref (src);
  }
  src = g_timeout_source_new (30);
  g_source_set_callback (src, count_and_quit, &fired, NULL);
  g_source_attach (src, ctx);
  g_source_unref (src);

  start = g_get_monotonic_time ();
  while (fired == 0)
    g_main_context_iteration (ctx, TRUE);
  took = g_get_monotonic_time () - start;
  fail_unless (took >= 30 * G_TIME_SPAN_MILLISECOND, "%" G_GINT64_FORMAT, took);
  /* generous: the point is that pacing does not hold a timer back */
  fail_unless (took < 2 * G_TIME_SPAN_SECOND, "%" G_GINT64_FORMAT, took);

  for (i = 0; i < 200; i++)
    g_object_unref (socks[i]);
  while (g_main_context_iteration (ctx, FALSE))
    ;
  g_main_context_unref (ctx);
}

static gboolean
count_ready (GSocket *socket, GIOCondition cond, gpointer data)
{
  gint *n = data;

  (*n)++;
  return G_SOURCE_CONTINUE; /* never read: stays ready */
}

/* How often a paced context polls: one descriptor always readable among
 * 200 dispatches at most once per interval (2 ms paced, 4 ms bulk), where
 * an unpaced context would spin. Only the upper bound is checked: a slow
 * machine polls less often, never more. */
static gint
count_ready_dispatches (void (*set_paced) (GMainContext *), gint64 window_us)
{
  GMainContext *ctx = g_main_context_new ();
  GSocket *socks[200];
  GSource *srcs[200];
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *addr = g_inet_socket_address_new (lo, 0);
  GSocketAddress *bound;
  gint n = 0, i;
  gint64 end;

  set_paced (ctx);
  for (i = 0; i < 200; i++) {
    socks[i] = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
        G_SOCKET_PROTOCOL_UDP, NULL);
    fail_unless (socks[i] != NULL);
  }
  fail_unless (g_socket_bind (socks[0], addr, FALSE, NULL));
  bound = g_socket_get_local_address (socks[0], NULL);
  fail_unless (g_socket_send_to (socks[1], bound, "x", 1, NULL, NULL) == 1);
  for (i = 0; i < 200; i++) {
    srcs[i] = g_socket_create_source (socks[i], G_IO_IN, NULL);
    g_source_set_callback (srcs[i], (GSourceFunc) count_ready, &n, NULL);
    g_source_attach (srcs[i], ctx);
  }
  /* blocking iterations, as a thread's main loop runs them (one that may
   * not block polls at once); one descriptor is always ready */
  end = g_get_monotonic_time () + window_us;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (ctx, TRUE);

  for (i = 0; i < 200; i++) {
    g_source_destroy (srcs[i]);
    g_source_unref (srcs[i]);
    g_object_unref (socks[i]);
  }
  g_main_context_unref (ctx);
  g_object_unref (bound);
  g_object_unref (addr);
  g_object_unref (lo);
  return n;
}

GST_START_TEST (test_paced_context_rate)
{
  gint paced = count_ready_dispatches (
      gst_sensor_net_context_set_paced, 200 * G_TIME_SPAN_MILLISECOND);
  gint bulk = count_ready_dispatches (
      gst_sensor_net_context_set_paced_bulk, 200 * G_TIME_SPAN_MILLISECOND);

  /* 200 ms / 2 ms and / 4 ms, plus the first poll and one of slack */
  fail_unless (paced >= 1 && paced <= 102, "%d", paced);
  fail_unless (bulk >= 1 && bulk <= 52, "%d", bulk);
}

GST_END_TEST;

GST_START_TEST (test_paced_context_dispatches)
{
  check_paced_context_dispatches (gst_sensor_net_context_set_paced);
}

GST_END_TEST;

GST_START_TEST (test_bulk_paced_context_dispatches)
{
  check_paced_context_dispatches (gst_sensor_net_context_set_paced_bulk);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GCond cond;
  GThread *net_thread;
  gboolean wrong_thread;
  guint ran, freed;
  GArray *order; /* of guint: caller * 1000 + call */
} Calls;

typedef struct
{
  Calls *calls;
  guint id;
} Call;

static gboolean
batched_call (gpointer data)
{
  Call *c = data;

  g_mutex_lock (&c->calls->lock);
  if (c->calls->net_thread == NULL)
    c->calls->net_thread = g_thread_self ();
  else if (c->calls->net_thread != g_thread_self ())
    c->calls->wrong_thread = TRUE;
  c->calls->ran++;
  g_array_append_val (c->calls->order, c->id);
  g_mutex_unlock (&c->calls->lock);
  return G_SOURCE_CONTINUE; /* ignored: a batched call runs once */
}

static void
call_free (gpointer data)
{
  Call *c = data;

  g_mutex_lock (&c->calls->lock);
  c->calls->freed++;
  g_cond_broadcast (&c->calls->cond);
  g_mutex_unlock (&c->calls->lock);
  g_free (c);
}

typedef struct
{
  Calls *calls;
  GMainContext *ctx;
  guint caller;
} Caller;

static gpointer
caller_thread (gpointer data)
{
  Caller *who = data;
  guint i;

  for (i = 0; i < 500; i++) {
    Call *c = g_new (Call, 1);

    c->calls = who->calls;
    c->id = who->caller * 1000 + i;
    gst_sensor_net_context_invoke_batched (
        who->ctx, batched_call, c, call_free);
    if (i % 50 == 0)
      g_usleep (1000);
  }
  return NULL;
}

/* Calls from four threads at once: each runs exactly once, on the network
 * thread, each caller's in the order it made them, and each is freed. */
GST_START_TEST (test_batched_calls)
{
  GMainContext *ctx = gst_sensor_net_context_ref ();
  Calls calls = {
    0,
  };
  Caller who[4];
  GThread *threads[4];
  guint i, k, last[4];

  g_mutex_init (&calls.lock);
  g_cond_init (&calls.cond);
  calls.order = g_array_new (FALSE, FALSE, sizeof (guint));
  for (i = 0; i < 4; i++) {
    who[i].calls = &calls;
    who[i].ctx = ctx;
    who[i].caller = i;
    threads[i] = g_thread_new ("caller", caller_thread, &who[i]);
  }
  for (i = 0; i < 4; i++)
    g_thread_join (threads[i]);

  g_mutex_lock (&calls.lock);
  while (calls.freed < 2000)
    fail_unless (g_cond_wait_until (&calls.cond, &calls.lock,
        g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND));
  fail_unless_equals_int (calls.ran, 2000);
  fail_if (calls.wrong_thread);
  fail_unless (calls.net_thread != NULL);
  for (i = 0; i < 4; i++)
    last[i] = G_MAXUINT;
  for (k = 0; k < calls.order->len; k++) {
    guint id = g_array_index (calls.order, guint, k);
    guint caller = id / 1000, n = id % 1000;

    fail_unless (last[caller] == G_MAXUINT ? n == 0 : n == last[caller] + 1,
        "caller %u: call %u after %u", caller, n, last[caller]);
    last[caller] = n;
  }
  g_mutex_unlock (&calls.lock);

  g_array_unref (calls.order);
  g_mutex_clear (&calls.lock);
  g_cond_clear (&calls.cond);
  gst_sensor_net_context_unref (ctx);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean ran, freed;
} One;

static gboolean
one_run (gpointer data)
{
  One *o = data;

  g_mutex_lock (&o->lock);
  o->ran = TRUE;
  g_cond_broadcast (&o->cond);
  g_mutex_unlock (&o->lock);
  return G_SOURCE_REMOVE;
}

static void
one_free (gpointer data)
{
  One *o = data;

  g_mutex_lock (&o->lock);
  o->freed = TRUE;
  g_cond_broadcast (&o->cond);
  g_mutex_unlock (&o->lock);
}

static gboolean
one_wait (One *o, gboolean *flag)
{
  gint64 end = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  gboolean ok = TRUE;

  g_mutex_lock (&o->lock);
  while (!*flag && ok)
    ok = g_cond_wait_until (&o->cond, &o->lock, end);
  g_mutex_unlock (&o->lock);
  return *flag;
}

/* The network thread goes (its last reference dropped) while a batched
 * call waits for the batch interval: that call is run or dropped, freed
 * either way, and a call on the next network thread runs. Before, the dead
 * batch source stayed in place and every later call waited for it. */
GST_START_TEST (test_batched_call_survives_thread_restart)
{
  One first = { 0, }, pending = { 0, }, next = { 0, };
  GMainContext *ctx;
  guint round;

  for (round = 0; round < 5; round++) {
    memset (&first, 0, sizeof (first));
    memset (&pending, 0, sizeof (pending));
    memset (&next, 0, sizeof (next));
    ctx = gst_sensor_net_context_ref ();
    gst_sensor_net_context_invoke_batched (ctx, one_run, &first, one_free);
    fail_unless (one_wait (&first, &first.ran));
    /* a batch just ran: this one waits for the interval, and the thread
     * is let go before it ends */
    gst_sensor_net_context_invoke_batched (ctx, one_run, &pending, one_free);
    gst_sensor_net_context_unref (ctx);
    fail_unless (one_wait (&pending, &pending.freed));

    ctx = gst_sensor_net_context_ref ();
    gst_sensor_net_context_invoke_batched (ctx, one_run, &next, one_free);
    fail_unless (one_wait (&next, &next.ran),
        "round %u: a call on the next "
        "network thread never ran",
        round);
    fail_unless (one_wait (&next, &next.freed));
    gst_sensor_net_context_unref (ctx);
  }
}

GST_END_TEST;

static Suite *
netpace_suite (void)
{
  Suite *s = suite_create ("netpace");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_interval_table);
  tcase_add_test (tc, test_paced_context_dispatches);
  tcase_add_test (tc, test_bulk_paced_context_dispatches);
  tcase_add_test (tc, test_paced_context_rate);
  tcase_add_test (tc, test_batched_calls);
  tcase_add_test (tc, test_batched_call_survives_thread_restart);
  return s;
}

GST_CHECK_MAIN (netpace);
