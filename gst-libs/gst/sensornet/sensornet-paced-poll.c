/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:sensornet-paced-poll
 * @short_description: one poll() for many events on a thread with
 *   thousands of sockets
 *
 * GLib's main loop polls every descriptor of its context on each
 * iteration, and looks at every source: with thousands of keep-alive
 * connections that costs about a microsecond per descriptor, per event.
 * A thread that serves thousands of devices, one event each per second,
 * then spends nearly all its time polling. Pacing fixes the rate instead:
 * an iteration starts no sooner than an interval after the previous one
 * (the interval grows with the descriptors polled, up to a cap), and
 * dispatches everything that became ready meanwhile. Latency grows by at
 * most that interval; with few descriptors there is no pacing at all.
 *
 * Two paces: gst_sensor_net_context_set_paced() for a server whose answers
 * wait on it (at most 20 ms), gst_sensor_net_context_set_paced_bulk() for
 * a thread that mostly sends what is already batched (the clients' network
 * thread: at most 100 ms, the longest its flush batches wait). A client
 * connection carries several sources (socket, keep-alive, pong check), each
 * looked at on every iteration, so such a thread's iteration costs several
 * times a server's per descriptor.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensornet-paced-poll.h"

/* Pacing starts above this many descriptors. */
#define PACED_MIN_FDS 64
/* per descriptor polled, and the cap: 1,000 connections -> 10 ms */
#define PACED_US_PER_FD 10
#define PACED_MAX_US (20 * G_TIME_SPAN_MILLISECOND)
/* bulk: 1,000 connections -> 20 ms, from 5,000 on 100 ms */
#define PACED_BULK_US_PER_FD 20
#define PACED_BULK_MAX_US (100 * G_TIME_SPAN_MILLISECOND)

/**
 * gst_sensor_net_paced_interval_us:
 * @n_fds: descriptors polled per iteration
 *
 * Returns: the least time between two polls for @n_fds descriptors, in
 *   microseconds (0 for few)
 */
gint64
gst_sensor_net_paced_interval_us (guint n_fds)
{
  if (n_fds < PACED_MIN_FDS)
    return 0;
  return MIN ((gint64) n_fds * PACED_US_PER_FD, PACED_MAX_US);
}

/**
 * gst_sensor_net_paced_bulk_interval_us:
 * @n_fds: descriptors polled per iteration
 *
 * Returns: the least time between two polls for @n_fds descriptors on a
 *   bulk-paced context, in microseconds (0 for few)
 */
gint64
gst_sensor_net_paced_bulk_interval_us (guint n_fds)
{
  if (n_fds < PACED_MIN_FDS)
    return 0;
  return MIN ((gint64) n_fds * PACED_BULK_US_PER_FD, PACED_BULK_MAX_US);
}

/* the thread's last poll; a context is iterated by one thread at a time */
static GPrivate last_poll_us = G_PRIVATE_INIT (g_free);

static gint
poll_after (GPollFD *fds, guint nfds, gint timeout_ms, gint64 interval)
{
  gint64 *last = g_private_get (&last_poll_us);
  gint64 wait_us;

  if (last == NULL) {
    last = g_new0 (gint64, 1);
    g_private_set (&last_poll_us, last);
  }
  wait_us = *last + interval - g_get_monotonic_time ();
  /* nothing is ready yet (timeout 0 means a source is): gather first */
  if (wait_us > 0 && timeout_ms != 0) {
    if (timeout_ms > 0)
      wait_us = MIN (wait_us, (gint64) timeout_ms * 1000);
    g_usleep ((gulong) wait_us);
    if (timeout_ms > 0)
      timeout_ms = MAX (timeout_ms - (gint) ((wait_us + 999) / 1000), 0);
  }
  *last = g_get_monotonic_time ();
  return g_poll (fds, nfds, timeout_ms);
}

static gint
paced_poll (GPollFD *fds, guint nfds, gint timeout_ms)
{
  return poll_after (
      fds, nfds, timeout_ms, gst_sensor_net_paced_interval_us (nfds));
}

static gint
paced_bulk_poll (GPollFD *fds, guint nfds, gint timeout_ms)
{
  return poll_after (
      fds, nfds, timeout_ms, gst_sensor_net_paced_bulk_interval_us (nfds));
}

/**
 * gst_sensor_net_context_set_paced:
 * @context: a context that one thread iterates
 *
 * Makes @context poll at a pace that grows with its descriptors (see the
 * section). For the threads of servers and clients of many connections.
 */
void
gst_sensor_net_context_set_paced (GMainContext *context)
{
  g_return_if_fail (context != NULL);
  g_main_context_set_poll_func (context, paced_poll);
}

/**
 * gst_sensor_net_context_set_paced_bulk:
 * @context: a context that one thread iterates
 *
 * Makes @context poll at the bulk pace (see the section): for a thread of
 * many client connections that mostly sends batched data.
 */
void
gst_sensor_net_context_set_paced_bulk (GMainContext *context)
{
  g_return_if_fail (context != NULL);
  g_main_context_set_poll_func (context, paced_bulk_poll);
}
