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

GST_START_TEST (test_parse_location)
{
  struct
  {
    const gchar *location;
    gboolean default_tls;
    const gchar *target; /* NULL: rejected */
    gboolean tls;
  } rows[] = {
    { "127.0.0.1:50051", TRUE, "127.0.0.1:50051", TRUE },
    { "http://127.0.0.1:50051", TRUE, "127.0.0.1:50051", FALSE },
    { "grpc://h:1/ignored/path", TRUE, "h:1", FALSE },
    { "https://ramen.example.com", FALSE, "ramen.example.com", TRUE },
    { "grpcs://[::1]:443", FALSE, "[::1]:443", TRUE },
    { "[::1]", FALSE, "[::1]", FALSE },
    { "http://", TRUE, NULL, FALSE },
    { "h:0", TRUE, NULL, FALSE },
    { "h:65536", TRUE, NULL, FALSE },
    { "h:port", TRUE, NULL, FALSE },
    { "h:", TRUE, NULL, FALSE },
    { ":50051", TRUE, NULL, FALSE },
    { "a:b:1", TRUE, NULL, FALSE },
    { "[]:1", TRUE, NULL, FALSE },
    { "[::1]x", TRUE, NULL, FALSE },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    gchar *target = NULL;
    gboolean tls = !rows[i].tls;
    GError *err = NULL;
    gboolean ok = gst_ramen_grpc_parse_location (
        rows[i].location, rows[i].default_tls, &target, &tls, &err);

    if (rows[i].target) {
      fail_unless (ok, "%s: %s", rows[i].location, err ? err->message : "");
      fail_unless_equals_string (target, rows[i].target);
      fail_unless_equals_int (tls, rows[i].tls);
      g_free (target);
    } else {
      g_autofree gchar *msg = g_strdup_printf (
          "\"%s\" is not host:port (port 1..65535)", rows[i].location);

      fail_if (ok, "%s accepted", rows[i].location);
      fail_unless (target == NULL);
      fail_unless (
          g_error_matches (err, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT));
      fail_unless_equals_string (err->message, msg);
      g_clear_error (&err);
    }
  }
}

GST_END_TEST;

GST_START_TEST (test_status_rule)
{
  gchar *d;

  fail_unless (
      gst_ramen_grpc_status_is_fatal (GST_RAMEN_GRPC_UNAUTHENTICATED, NULL));
  fail_unless (
      gst_ramen_grpc_status_is_fatal (GST_RAMEN_GRPC_UNIMPLEMENTED, ""));
  fail_unless (
      gst_ramen_grpc_status_is_fatal (GST_RAMEN_GRPC_RESOURCE_EXHAUSTED,
          "Received message larger than max (5 vs. 4)"));
  fail_if (gst_ramen_grpc_status_is_fatal (
      GST_RAMEN_GRPC_RESOURCE_EXHAUSTED, "rate limited"));
  fail_if (gst_ramen_grpc_status_is_fatal (GST_RAMEN_GRPC_UNAVAILABLE, "x"));
  fail_if (
      gst_ramen_grpc_status_is_fatal (GST_RAMEN_GRPC_DEADLINE_EXCEEDED, NULL));
  fail_if (
      gst_ramen_grpc_status_is_fatal (GST_RAMEN_GRPC_PERMISSION_DENIED, NULL));
  d = gst_ramen_grpc_status_describe (
      GST_RAMEN_GRPC_UNAVAILABLE, "failed to connect");
  fail_unless_equals_string (d, "UNAVAILABLE: failed to connect");
  g_free (d);
  d = gst_ramen_grpc_status_describe (GST_RAMEN_GRPC_DEADLINE_EXCEEDED, "");
  fail_unless_equals_string (d, "DEADLINE_EXCEEDED");
  g_free (d);
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
  tcase_add_test (tc, test_parse_location);
  tcase_add_test (tc, test_status_rule);
  return s;
}

GST_CHECK_MAIN (ramen_grpc);
