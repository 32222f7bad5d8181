/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The gRPC wrapper on its own: a server and a client in one process,
 * unary and bidirectional calls, statuses, metadata, deadlines and
 * interrupts.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/ramen/ramen-grpc.h>

typedef struct
{
  gchar *method;
  gchar *key;
  gint silent;
} CallInfo;

static gpointer
started (GstRamenGrpcServerCall *call, const gchar *method,
    const gchar *const *md, gpointer user_data)
{
  CallInfo *ci = g_new0 (CallInfo, 1);

  ci->method = g_strdup (method);
  for (; md && md[0]; md += 2)
    if (g_str_equal (md[0], "x-api-key"))
      ci->key = g_strdup (md[1]);
  if (g_str_equal (method, "/t/Denied"))
    gst_ramen_grpc_server_call_finish (
        call, GST_RAMEN_GRPC_UNAUTHENTICATED, "no");
  return ci;
}

static void
message (GstRamenGrpcServerCall *call, GBytes *msg, gpointer call_data,
    gpointer user_data)
{
  CallInfo *ci = call_data;

  if (msg == NULL || g_str_equal (ci->method, "/t/Silent"))
    return;
  if (g_str_equal (ci->method, "/t/Echo")) {
    g_autofree gchar *reply = g_strdup_printf ("%.*s/%s",
        (int) g_bytes_get_size (msg),
        (const gchar *) g_bytes_get_data (msg, NULL), ci->key ? ci->key : "-");
    g_autoptr (GBytes) b = g_bytes_new (reply, strlen (reply));

    gst_ramen_grpc_server_call_send (call, b);
    gst_ramen_grpc_server_call_finish (call, GST_RAMEN_GRPC_OK, NULL);
  } else if (g_str_equal (ci->method, "/t/Stream")) {
    /* echo each message twice, end on "bye" */
    gst_ramen_grpc_server_call_send (call, msg);
    gst_ramen_grpc_server_call_send (call, msg);
    if (g_bytes_get_size (msg) == 3 &&
        memcmp (g_bytes_get_data (msg, NULL), "bye", 3) == 0)
      gst_ramen_grpc_server_call_finish (
          call, GST_RAMEN_GRPC_ABORTED, "bye now");
  }
}

static void
done (GstRamenGrpcServerCall *call, gpointer call_data, gpointer user_data)
{
  CallInfo *ci = call_data;

  g_free (ci->method);
  g_free (ci->key);
  g_free (ci);
}

static const GstRamenGrpcServerFuncs funcs = {
  started,
  message,
  NULL,
  done,
  NULL,
};

static GstRamenGrpcServer *
start_server (guint *port)
{
  GError *err = NULL;
  GstRamenGrpcServer *s = gst_ramen_grpc_server_new (
      "127.0.0.1:0", NULL, NULL, &funcs, NULL, 10, port, &err);

  fail_unless (s != NULL);
  return s;
}

GST_START_TEST (test_unary)
{
  guint port;
  GstRamenGrpcServer *server = start_server (&port);
  g_autofree gchar *target = g_strdup_printf ("127.0.0.1:%u", port);
  GstRamenGrpcChannel *ch =
      gst_ramen_grpc_channel_new (target, FALSE, NULL, 1 << 20);
  const gchar *md[] = { "x-api-key", "secret", NULL };
  g_autoptr (GBytes) req = g_bytes_new_static ("hi", 2);
  GBytes *resp = NULL;
  GstRamenGrpcStatus status;
  gchar *details = NULL;
  gint flag = 0;

  fail_unless_equals_int (
      gst_ramen_grpc_unary (ch, "/t/Echo", md, req, 5 * G_USEC_PER_SEC, &flag,
          &resp, &status, &details),
      GST_RAMEN_GRPC_WAIT_MESSAGE);
  fail_unless_equals_int (g_bytes_get_size (resp), 9);
  fail_unless (memcmp (g_bytes_get_data (resp, NULL), "hi/secret", 9) == 0);
  g_bytes_unref (resp);

  fail_unless_equals_int (
      gst_ramen_grpc_unary (ch, "/t/Denied", NULL, req, 5 * G_USEC_PER_SEC,
          &flag, &resp, &status, &details),
      GST_RAMEN_GRPC_WAIT_CLOSED);
  fail_unless_equals_int (status, GST_RAMEN_GRPC_UNAUTHENTICATED);
  fail_unless_equals_string (details, "no");
  g_free (details);

  /* the deadline ends a call nobody answers */
  fail_unless_equals_int (gst_ramen_grpc_unary (ch, "/t/Silent", NULL, req,
                              200000, &flag, &resp, &status, &details),
      GST_RAMEN_GRPC_WAIT_CLOSED);
  fail_unless_equals_int (status, GST_RAMEN_GRPC_DEADLINE_EXCEEDED);
  g_free (details);

  /* and so does the interrupt flag */
  flag = 1;
  fail_unless_equals_int (
      gst_ramen_grpc_unary (ch, "/t/Silent", NULL, req, 600 * G_USEC_PER_SEC,
          &flag, &resp, &status, &details),
      GST_RAMEN_GRPC_WAIT_INTERRUPTED);

  gst_ramen_grpc_channel_free (ch);
  gst_ramen_grpc_server_free (server);
}

GST_END_TEST;

GST_START_TEST (test_stream)
{
  guint port;
  GstRamenGrpcServer *server = start_server (&port);
  g_autofree gchar *target = g_strdup_printf ("127.0.0.1:%u", port);
  GstRamenGrpcChannel *ch =
      gst_ramen_grpc_channel_new (target, FALSE, NULL, 1 << 20);
  GstRamenGrpcStream *st = gst_ramen_grpc_stream_open (ch, "/t/Stream", NULL);
  g_autoptr (GBytes) a = g_bytes_new_static ("a", 1);
  g_autoptr (GBytes) bye = g_bytes_new_static ("bye", 3);
  GBytes *msg;
  const gchar *details;
  gint flag = 0;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint i;

  fail_unless (gst_ramen_grpc_stream_send (st, a, 4));
  for (i = 0; i < 2; i++) {
    fail_unless_equals_int (
        gst_ramen_grpc_stream_recv (st, deadline, &flag, &msg),
        GST_RAMEN_GRPC_WAIT_MESSAGE);
    fail_unless_equals_int (g_bytes_get_size (msg), 1);
    g_bytes_unref (msg);
  }
  /* nothing more until we send: a timeout, then an interrupt */
  fail_unless_equals_int (gst_ramen_grpc_stream_recv (
                              st, g_get_monotonic_time () + 50000, &flag, &msg),
      GST_RAMEN_GRPC_WAIT_TIMEOUT);
  flag = 1;
  fail_unless_equals_int (gst_ramen_grpc_stream_recv (st, -1, &flag, &msg),
      GST_RAMEN_GRPC_WAIT_INTERRUPTED);
  flag = 0;
  /* the send queue is bounded */
  fail_unless (gst_ramen_grpc_stream_send (st, bye, 4));
  for (i = 0; i < 2; i++) {
    fail_unless_equals_int (
        gst_ramen_grpc_stream_recv (st, deadline, &flag, &msg),
        GST_RAMEN_GRPC_WAIT_MESSAGE);
    g_bytes_unref (msg);
  }
  fail_unless_equals_int (
      gst_ramen_grpc_stream_recv (st, deadline, &flag, &msg),
      GST_RAMEN_GRPC_WAIT_CLOSED);
  fail_unless_equals_int (
      gst_ramen_grpc_stream_get_status (st, &details), GST_RAMEN_GRPC_ABORTED);
  fail_unless_equals_string (details, "bye now");
  gst_ramen_grpc_stream_close (st);

  /* an unknown server: the call fails, it does not hang */
  gst_ramen_grpc_server_free (server);
  st = gst_ramen_grpc_stream_open (ch, "/t/Stream", NULL);
  fail_unless_equals_int (
      gst_ramen_grpc_stream_recv (
          st, g_get_monotonic_time () + 10 * G_USEC_PER_SEC, &flag, &msg),
      GST_RAMEN_GRPC_WAIT_CLOSED);
  fail_unless_equals_int (
      gst_ramen_grpc_stream_get_status (st, NULL), GST_RAMEN_GRPC_UNAVAILABLE);
  gst_ramen_grpc_stream_close (st);
  gst_ramen_grpc_channel_free (ch);
}

GST_END_TEST;

static Suite *
ramen_grpc_suite (void)
{
  Suite *s = suite_create ("ramen_grpc");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_unary);
  tcase_add_test (tc, test_stream);
  return s;
}

GST_CHECK_MAIN (ramen_grpc);
