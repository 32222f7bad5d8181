/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Baseline for bench/raeh-frames.py: the least a Raeh device can do. One
 * libsoup WebSocket to /stream/ingest, wait for the handshake, send N
 * pre-built 1-second frames (100 samples of S16, slot 0) as fast as the
 * socket takes them, close, and print the CPU seconds this took.
 *
 * Usage: raeh-baseline URI N
 */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <libsoup/soup.h>
#include <gst/raeh/raeh.h>

typedef struct
{
  GMainLoop *loop;
  SoupWebsocketConnection *conn;
  guint n;
  gboolean handshake;
} Baseline;

static gdouble
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
      ru.ru_stime.tv_usec / 1e6;
}

static void
on_closed (SoupWebsocketConnection *conn, gpointer data)
{
  g_main_loop_quit (((Baseline *) data)->loop);
}

static void
send_all (Baseline *b)
{
  GstRaehFrameHeader h = { 0, 1700000000000, 100, 0 };
  guint8 payload[200];
  guint i;

  for (i = 0; i < sizeof (payload); i++)
    payload[i] = i;
  for (i = 0; i < b->n; i++) {
    GBytes *frame;

    h.t0_epoch_ms = 1700000000000 + (gint64) i * 1000;
    frame = gst_raeh_frame_build (&h, payload, sizeof (payload));
    soup_websocket_connection_send_message (
        b->conn, SOUP_WEBSOCKET_DATA_BINARY, frame);
    g_bytes_unref (frame);
    /* let the socket take what it can, like a device's send loop */
    while (g_main_context_iteration (NULL, FALSE))
      ;
  }
  soup_websocket_connection_close (b->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
}

static void
on_message (
    SoupWebsocketConnection *conn, gint type, GBytes *msg, gpointer data)
{
  Baseline *b = data;

  if (b->handshake)
    return;
  b->handshake = TRUE;
  send_all (b);
}

static void
on_connected (GObject *source, GAsyncResult *res, gpointer data)
{
  Baseline *b = data;
  GError *err = NULL;

  b->conn =
      soup_session_websocket_connect_finish (SOUP_SESSION (source), res, &err);
  if (b->conn == NULL) {
    g_printerr ("connect: %s\n", err->message);
    exit (1);
  }
  g_signal_connect (b->conn, "message", G_CALLBACK (on_message), b);
  g_signal_connect (b->conn, "closed", G_CALLBACK (on_closed), b);
}

int
main (int argc, char **argv)
{
  Baseline b = {
    0,
  };
  SoupSession *session;
  SoupMessage *msg;
  gdouble start;

  if (argc < 3) {
    g_printerr ("usage: %s URI N\n", argv[0]);
    return 2;
  }
  start = cpu_seconds ();
  b.n = atoi (argv[2]);
  b.loop = g_main_loop_new (NULL, FALSE);
  session = soup_session_new ();
  msg = soup_message_new ("GET", argv[1]);
  soup_session_websocket_connect_async (
      session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, on_connected, &b);
  g_main_loop_run (b.loop);
  g_print ("%.6f\n", cpu_seconds () - start);
  g_object_unref (b.conn);
  g_object_unref (msg);
  g_object_unref (session);
  g_main_loop_unref (b.loop);
  return 0;
}
