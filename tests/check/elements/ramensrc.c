/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * ramensrc against the sensor-cloud RAMEN part (a gRPC C-core server run
 * as a subprocess) and against a Python grpcio server built from the same
 * .proto.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include "../sensor-test-stats.h"
#include <gst/check/gstharness.h>
#include <json-glib/json-glib.h>

#include "../sensor-test-pipeline.h"
#include "../sensor-test-process.h"
#include <signal.h>
#ifdef __linux__
#endif

typedef SensorTestProcess Peer;

static Peer *
cloud_start (const gchar *first_arg, ...)
{
  GPtrArray *args = g_ptr_array_new ();
  Peer *peer = g_new0 (Peer, 1);
  const gchar *a;
  va_list ap;

  va_start (ap, first_arg);
  for (a = first_arg; a; a = va_arg (ap, const gchar *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  sensor_test_cloud_start (
      peer, "ramen", "ramen", (const gchar *const *) args->pdata);
  g_ptr_array_unref (args);
  return peer;
}

static Peer *
peer_start (const gchar *part, const gchar *const *argv)
{
  Peer *peer = g_new0 (Peer, 1);

  sensor_test_process_start (peer, argv, part);
  return peer;
}

/* The Python grpcio server (tests/peers/ramen_server.py, no code of ours)
 * with the RAMEN proto and the NULL-terminated options after @first_arg. */
static Peer *
python_peer_start (const gchar *first_arg, ...)
{
  const gchar *python = g_getenv ("PYTHON");
  const gchar *src = g_getenv ("SENSOR_SOURCE_ROOT");
  g_autofree gchar *script = g_build_filename (
      src ? src : ".", "tests", "peers", "ramen_server.py", NULL);
  g_autofree gchar *proto = g_build_filename (
      src ? src : ".", "gst-libs", "gst", "ramen", "ramen.proto", NULL);
  GPtrArray *args = g_ptr_array_new ();
  const gchar *a;
  Peer *peer;
  va_list ap;

  g_ptr_array_add (args, (gpointer) (python ? python : "/usr/bin/python3"));
  g_ptr_array_add (args, script);
  g_ptr_array_add (args, (gpointer) "--proto");
  g_ptr_array_add (args, proto);
  va_start (ap, first_arg);
  for (a = first_arg; a; a = va_arg (ap, const gchar *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  peer = peer_start ("ramen", (const gchar *const *) args->pdata);
  g_ptr_array_unref (args);
  return peer;
}

static void
peer_stop (Peer *peer)
{
  sensor_test_process_stop (peer);
  g_free (peer);
}

static GstHarness *
harness_for (Peer *peer, const gchar *subject)
{
  GstHarness *h = gst_harness_new ("ramensrc");
  g_autofree gchar *loc = g_strdup_printf ("http://127.0.0.1:%u", peer->port);

  g_object_set (h->element, "location", loc, "subject-id", subject, "app-id",
      "test-app", "retry-backoff-initial", 0.001, "retry-backoff-max", 0.01,
      NULL);
  return h;
}

static JsonObject *
buffer_json (GstBuffer *buf, JsonNode **node)
{
  GstMapInfo map;
  g_autoptr (GError) err = NULL;

  fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
  fail_unless (map.size > 0 && map.data[map.size - 1] == '\n');
  *node = json_from_string ((const gchar *) map.data, &err);
  gst_buffer_unmap (buf, &map);
  fail_unless (*node != NULL, "not JSON: %s", err ? err->message : "");
  return json_node_get_object (*node);
}

/* gst_harness_pull() with a deadline that fails the test clearly */
static GstBuffer *
pull_within (GstHarness *h)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  GstBuffer *buf;

  while (
      (buf = gst_harness_try_pull (h)) == NULL && g_get_monotonic_time () < end)
    g_usleep (1000);
  fail_unless (buf != NULL, "no buffer within 20 s");
  return buf;
}

/* Pulls @n buffers and checks they are exactly seq first..first+n-1. */
static void
pull_expect_seqs (GstHarness *h, gint64 first_seq, guint n)
{
  guint i;

  for (i = 0; i < n; i++) {
    GstBuffer *buf = pull_within (h);
    JsonNode *node;
    JsonObject *o;

    fail_unless (
        buf != NULL, "no buffer for seq %" G_GINT64_FORMAT, first_seq + i);
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (buf), first_seq + i);
    o = buffer_json (buf, &node);
    fail_unless_equals_int64 (
        json_object_get_int_member (o, "seq"), first_seq + i);
    json_node_unref (node);
    gst_buffer_unref (buf);
  }
}

/* Gives @h a bus the test reads (errors, warnings, element messages). */
static GstBus *
watch_bus (GstHarness *h)
{
  GstBus *bus = gst_bus_new ();

  gst_element_set_bus (h->element, bus);
  return bus;
}

/* Pops element messages until a sensor-connection-state one in @state. */
static GstMessage *
pop_connection_state (GstBus *bus, const gchar *state)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end) {
    GstMessage *msg = gst_bus_timed_pop_filtered (
        bus, 100 * GST_MSECOND, GST_MESSAGE_ELEMENT);
    const GstStructure *st;

    if (msg == NULL)
      continue;
    st = gst_message_get_structure (msg);
    if (gst_structure_has_name (st, "sensor-connection-state") &&
        g_str_equal (gst_structure_get_string (st, "state"), state))
      return msg;
    gst_message_unref (msg);
  }
  fail ("no sensor-connection-state %s within 20 s", state);
  return NULL;
}

static void
teardown_watched (GstHarness *h, GstBus *bus)
{
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

static gint
error_grpc_status (GstMessage *msg)
{
  const GstStructure *details = NULL;
  gint status = -1;

  gst_message_parse_error_details (msg, &details);
  fail_unless (details != NULL);
  gst_structure_get_int (details, "grpc-status", &status);
  return status;
}

/* Waits for the element error: @code of @domain (0: any) with gRPC status
 * @grpc_status in its details (-1: the server refused without one). */
static void
expect_error (GstBus *bus, GQuark domain, gint code, gint grpc_status)
{
  GstMessage *msg =
      gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND, GST_MESSAGE_ERROR);
  GError *err = NULL;

  fail_unless (msg != NULL, "no error within 20 s");
  gst_message_parse_error (msg, &err, NULL);
  if (domain)
    fail_unless (g_error_matches (err, domain, code), "%s", err->message);
  fail_unless_equals_int (error_grpc_status (msg), grpc_status);
  g_error_free (err);
  gst_message_unref (msg);
}

GST_START_TEST (test_ordered_delivery)
{
  Peer *peer = cloud_start (
      "--ramen-events", "5", "--ramen-live-interval-ms", "5", NULL);
  GstHarness *h = harness_for (peer, "u1");
  const gchar *expected_first =
      "{\"event_id\":\"evt-u1-1\",\"seq\":1,\"provider\":\"synheart\","
      "\"event_type\":\"hsi.snapshot\",\"raw_id\":\"raw-1\",\"payload\":"
      "{\"hsi_version\":\"1.3\",\"observed_at_utc\":\"2026-01-01T00:00:01Z\","
      "\"computed_at_utc\":\"2026-01-01T00:00:01Z\","
      "\"producer\":{\"name\":\"sensor-cloud\",\"version\":\"0.1.0\"},"
      "\"windows\":{\"w1\":{\"start_utc\":\"2025-12-31T23:59:01Z\","
      "\"end_utc\":\"2026-01-01T00:00:01Z\"}},"
      "\"privacy\":{\"contains_pii\":false,\"raw_biosignals_allowed\":false,"
      "\"derived_metrics_allowed\":true},"
      "\"meta\":{\"ids\":{\"hsi_id\":"
      "\"00000000-0000-4000-8000-000000000001\"}},"
      "\"axes\":{\"physiological\":[{\"name\":\"stress\",\"score\":0.01,"
      "\"confidence\":0.8,\"direction\":\"higher_is_more\","
      "\"window_ids\":[\"w1\"],\"evidence_source_ids\":[\"s1\"],"
      "\"inference_mode\":\"deterministic_rule\","
      "\"model_id\":\"sensor-cloud://ramen/v1\"}]}},"
      "\"payload_encoding\":\"json\",\"created_at\":\"2026-01-01T00:00:01Z\","
      "\"attempt\":2,\"first_sent_at\":\"2026-01-01T00:00:01.500Z\","
      "\"is_replay\":true}\n";
  GstBuffer *buf;
  GstMapInfo map;
  guint i;

  gst_harness_play (h);
  gst_harness_set_sink_caps_str (h, "application/x-json");
  /* the first event, exact bytes (from Replay) */
  buf = pull_within (h);
  fail_unless (buf != NULL);
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET (buf), 1);
  fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
  fail_unless_equals_int (map.size, strlen (expected_first));
  fail_unless (memcmp (map.data, expected_first, map.size) == 0, "got %.*s",
      (int) map.size, map.data);
  gst_buffer_unmap (buf, &map);
  gst_buffer_unref (buf);

  /* then the rest of the log and live events, in order */
  for (i = 2; i <= 40; i++) {
    JsonNode *node;
    JsonObject *o;

    buf = pull_within (h);
    fail_unless (buf != NULL);
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (buf), i);
    o = buffer_json (buf, &node);
    fail_unless_equals_int64 (json_object_get_int_member (o, "seq"), i);
    fail_unless_equals_string (
        json_object_get_string_member (o, "payload_encoding"), "json");
    fail_unless_equals_string (
        json_object_get_string_member (
            json_object_get_object_member (o, "payload"), "hsi_version"),
        "1.3");
    if (i > 10)
      fail_if (json_object_get_boolean_member (o, "is_replay"));
    json_node_unref (node);
    gst_buffer_unref (buf);
  }
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "duplicates"), 0);
  gst_harness_teardown (h);
  peer_stop (peer);
}

GST_END_TEST;

/* Every stream ends after 5 events and every 2nd event comes twice; with
 * Replay answering nothing, all 300 events travel on 60 streams. */
GST_START_TEST (test_disconnects_and_duplicates)
{
  Peer *peer = cloud_start ("--ramen-events", "300", "--ramen-no-replay",
      "--ramen-drop-every", "5", "--ramen-duplicate-every", "2", NULL);
  GstHarness *h = harness_for (peer, "u2");
  guint64 reconnects;

  gst_harness_play (h);
  pull_expect_seqs (h, 1, 300);
  reconnects = sensor_test_stat (h->element, "reconnects");
  fail_unless (
      reconnects >= 59, "only %" G_GUINT64_FORMAT " reconnects", reconnects);
  fail_unless (sensor_test_stat (h->element, "duplicates") >= 100);
  /* nothing beyond the log, nothing twice */
  g_usleep (100000);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  fail_unless_equals_uint64 (
      sensor_test_stat (h->element, "buffers-pushed"), 300);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "replayed"), 0);
  gst_harness_teardown (h);
  peer_stop (peer);
}

GST_END_TEST;

/* The same with live events and a working Replay: each reconnection
 * catches up through Replay, then the stream goes on. */
GST_START_TEST (test_disconnects_live)
{
  Peer *peer = cloud_start ("--ramen-events", "0", "--ramen-live-interval-ms",
      "1", "--ramen-drop-every", "5", "--ramen-duplicate-every", "2", NULL);
  GstHarness *h = harness_for (peer, "u2b");

  gst_harness_play (h);
  pull_expect_seqs (h, 1, 300);
  /* how many streams there were depends on timing: at least one drop */
  fail_unless (sensor_test_stat (h->element, "reconnects") >= 1);
  fail_unless (sensor_test_stat (h->element, "duplicates") > 0);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "buffers-pushed"),
      300 + gst_harness_buffers_in_queue (h));
  gst_harness_teardown (h);
  peer_stop (peer);
}

GST_END_TEST;

GST_START_TEST (test_skipped_seq_repaired)
{
  Peer *peer = cloud_start ("--ramen-events", "0", "--ramen-live-interval-ms",
      "5", "--ramen-skip-seq", "7", NULL);
  GstHarness *h = harness_for (peer, "u3");

  gst_harness_play (h);
  pull_expect_seqs (h, 1, 12);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "gaps"), 1);
  fail_unless (sensor_test_stat (h->element, "replayed") >= 1);
  gst_harness_teardown (h);
  peer_stop (peer);
}

GST_END_TEST;

GST_START_TEST (test_restart_resumes)
{
  Peer *peer = cloud_start (
      "--ramen-events", "0", "--ramen-live-interval-ms", "5", NULL);
  g_autofree gchar *dir = g_dir_make_tmp ("ramensrc-XXXXXX", NULL);
  g_autofree gchar *state = g_build_filename (dir, "cursor", NULL);
  g_autofree gchar *contents = NULL;
  GstHarness *h;

  h = harness_for (peer, "u4");
  g_object_set (h->element, "state-location", state, NULL);
  gst_harness_play (h);
  pull_expect_seqs (h, 1, 15);
  /* stop right here: whatever create() produced beyond 15 was not pushed
   * to us, so the cursor is what we consumed or at most what went out */
  gst_element_set_state (h->element, GST_STATE_NULL);
  {
    gint64 consumed = 15 + gst_harness_buffers_in_queue (h);
    g_autofree gchar *expected = g_strdup_printf (
        "last_acknowledged_seq=%" G_GINT64_FORMAT "\n", consumed);

    fail_unless (g_file_get_contents (state, &contents, NULL, NULL));
    fail_unless (strstr (contents, expected) != NULL, "cursor: %s", contents);
    fail_unless (strstr (contents, "user_id=u4\n") != NULL);
    gst_harness_teardown (h);

    h = harness_for (peer, "u4");
    g_object_set (h->element, "state-location", state, NULL);
    gst_harness_play (h);
    pull_expect_seqs (h, consumed + 1, 10);
  }
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "duplicates"), 0);
  gst_harness_teardown (h);
  g_unlink (state);
  g_rmdir (dir);
  peer_stop (peer);
}

GST_END_TEST;

GST_START_TEST (test_heartbeat_timeout_reconnects)
{
  Peer *peer =
      cloud_start ("--ramen-events", "3", "--ramen-ignore-heartbeats", NULL);
  GstHarness *h = harness_for (peer, "u5");
  GstBus *bus = watch_bus (h);
  GstMessage *msg;
  const GstStructure *st;
  gint64 end, current = -1;

  g_object_set (h->element, "heartbeat-interval", 50, NULL);
  gst_harness_play (h);
  pull_expect_seqs (h, 1, 3);
  /* subscribed, then two heartbeats go unanswered: reconnecting */
  msg = pop_connection_state (bus, "connected");
  st = gst_message_get_structure (msg);
  fail_unless_equals_string (
      gst_structure_get_string (st, "connection-id"), "conn-1");
  fail_unless (gst_structure_get_int64 (st, "current-seq", &current));
  fail_unless_equals_int64 (current, 3);
  gst_message_unref (msg);
  msg = pop_connection_state (bus, "reconnecting");
  st = gst_message_get_structure (msg);
  fail_unless_equals_string (gst_structure_get_string (st, "reason"),
      "DEADLINE_EXCEEDED: heartbeats not acknowledged");
  gst_message_unref (msg);
  end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (sensor_test_stat (h->element, "heartbeat-timeouts") < 2 &&
      g_get_monotonic_time () < end)
    g_usleep (20000);
  fail_unless (sensor_test_stat (h->element, "heartbeat-timeouts") >= 2);
  fail_unless (sensor_test_stat (h->element, "reconnects") >= 2);
  /* reconnecting delivered nothing twice */
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  teardown_watched (h, bus);
  peer_stop (peer);
}

GST_END_TEST;

GST_START_TEST (test_auth_failure_fatal)
{
  Peer *peer = cloud_start ("--ramen-reject-token", "revoked", NULL);
  GstHarness *h = harness_for (peer, "u6");
  GstBus *bus = watch_bus (h);

  g_object_set (h->element, "token", "revoked", NULL);
  gst_harness_play (h);
  expect_error (bus, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED, -1);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "reconnects"), 0);
  teardown_watched (h, bus);
  peer_stop (peer);
}

GST_END_TEST;

GST_START_TEST (test_wrong_api_key_unauthenticated)
{
  Peer *peer = cloud_start ("--ramen-api-key", "right", NULL);
  GstHarness *h = harness_for (peer, "u7");
  GstBus *bus = watch_bus (h);

  g_object_set (h->element, "api-key", "wrong", NULL);
  gst_harness_play (h);
  expect_error (bus, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED, 16);
  teardown_watched (h, bus);
  peer_stop (peer);
}

GST_END_TEST;

GST_START_TEST (test_binary_payload_base64)
{
  Peer *peer = cloud_start ("--ramen-events", "3", "--ramen-bad-seq", "2",
      "--ramen-bad-kind", "binary", NULL);
  GstHarness *h = harness_for (peer, "u8");
  GstBuffer *buf;
  JsonNode *node;
  JsonObject *o;
  guchar *decoded;
  gsize len, i;

  gst_harness_play (h);
  pull_expect_seqs (h, 1, 1);
  buf = pull_within (h);
  o = buffer_json (buf, &node);
  fail_unless_equals_int64 (json_object_get_int_member (o, "seq"), 2);
  fail_unless_equals_string (
      json_object_get_string_member (o, "payload_encoding"), "base64");
  decoded =
      g_base64_decode (json_object_get_string_member (o, "payload"), &len);
  fail_unless_equals_int (len, 8192);
  for (i = 0; i < len; i++)
    fail_unless_equals_int (decoded[i], (guint8) (i * 7 + 3));
  g_free (decoded);
  json_node_unref (node);
  gst_buffer_unref (buf);
  pull_expect_seqs (h, 3, 1);
  gst_harness_teardown (h);
  peer_stop (peer);
}

GST_END_TEST;

GST_START_TEST (test_invalid_utf8_skipped)
{
  Peer *peer = cloud_start ("--ramen-events", "3", "--ramen-bad-seq", "2",
      "--ramen-bad-kind", "utf8", NULL);
  GstHarness *h = harness_for (peer, "u9");

  gst_harness_play (h);
  pull_expect_seqs (h, 1, 1);
  pull_expect_seqs (h, 3, 1);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "invalid"), 1);
  gst_harness_teardown (h);
  peer_stop (peer);
}

GST_END_TEST;

GST_START_TEST (test_oversized_message_error)
{
  Peer *peer = cloud_start ("--ramen-events", "3", "--ramen-bad-seq", "2",
      "--ramen-bad-kind", "oversized", NULL);
  GstHarness *h = harness_for (peer, "u10");
  GstBus *bus = watch_bus (h);

  gst_harness_play (h);
  expect_error (bus, 0, 0, 8);
  teardown_watched (h, bus);
  peer_stop (peer);
}

GST_END_TEST;

/* 3 KiB events in 100 KB messages: Replay pages shrink until they fit */
GST_START_TEST (test_replay_pages_shrink)
{
  Peer *peer = cloud_start (
      "--ramen-events", "200", "--ramen-payload-size", "3000", NULL);
  GstHarness *h = harness_for (peer, "u16");

  g_object_set (h->element, "max-message-size", 100000, NULL);
  gst_harness_play (h);
  pull_expect_seqs (h, 1, 200);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "replayed"), 200);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "reconnects"), 0);
  gst_harness_teardown (h);
  peer_stop (peer);
}

GST_END_TEST;

GST_START_TEST (test_silent_server_times_out)
{
  Peer *peer = cloud_start ("--ramen-silent", NULL);
  GstHarness *h = harness_for (peer, "u11");
  GstBus *bus = watch_bus (h);

  g_object_set (h->element, "timeout", 1, "retries", 1, NULL);
  gst_harness_play (h);
  expect_error (bus, 0, 0, 4);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "reconnects"), 2);
  teardown_watched (h, bus);
  peer_stop (peer);
}

GST_END_TEST;

GST_START_TEST (test_silent_subscribe_times_out)
{
  Peer *peer =
      cloud_start ("--ramen-events", "2", "--ramen-silent-subscribe", NULL);
  GstHarness *h = harness_for (peer, "u14");
  GstBus *bus = watch_bus (h);

  g_object_set (h->element, "timeout", 1, "retries", 1, NULL);
  gst_harness_play (h);
  pull_expect_seqs (h, 1, 2);
  expect_error (bus, 0, 0, 4);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "reconnects"), 2);
  teardown_watched (h, bus);
  peer_stop (peer);
}

GST_END_TEST;

GST_START_TEST (test_tls_to_plaintext_server_fails)
{
  Peer *peer = cloud_start ("--ramen-events", "2", NULL);
  GstHarness *h = gst_harness_new ("ramensrc");
  g_autofree gchar *loc = g_strdup_printf ("127.0.0.1:%u", peer->port);
  GstBus *bus = watch_bus (h);

  /* no scheme: TLS by default, and this server speaks plaintext */
  g_object_set (h->element, "location", loc, "retries", 0, NULL);
  gst_harness_play (h);
  expect_error (bus, 0, 0, 14);
  fail_unless_equals_uint64 (
      sensor_test_stat (h->element, "buffers-pushed"), 0);
  teardown_watched (h, bus);
  peer_stop (peer);
}

GST_END_TEST;

/* A TLS server with a certificate for 127.0.0.1: trusted through
 * tls-ca-file it works; with the system roots it is refused. */
GST_START_TEST (test_tls_with_ca_file)
{
  g_autofree gchar *openssl_bin = g_find_program_in_path ("openssl");
  g_autofree gchar *dir = g_dir_make_tmp ("ramensrc-tls-XXXXXX", NULL);
  g_autofree gchar *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree gchar *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree gchar *loc = NULL;
  const gchar *openssl[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048",
    "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj",
    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", NULL };
  GSubprocess *gen;
  Peer *peer;
  GstHarness *h;
  GstBus *bus;

  if (openssl_bin == NULL) {
    g_printerr ("test_tls_with_ca_file: no openssl to make a certificate, "
                "not run\n");
    g_rmdir (dir);
    return;
  }
  gen = g_subprocess_newv (openssl,
      G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
      NULL);
  fail_unless (gen != NULL && g_subprocess_wait_check (gen, NULL, NULL));
  g_object_unref (gen);
  peer = cloud_start ("--ramen-events", "3", "--ramen-tls-cert", cert,
      "--ramen-tls-key", key, NULL);
  loc = g_strdup_printf ("127.0.0.1:%u", peer->port);

  h = gst_harness_new ("ramensrc");
  g_object_set (h->element, "location", loc, "tls-ca-file", cert, "subject-id",
      "u18", NULL);
  gst_harness_play (h);
  pull_expect_seqs (h, 1, 3);
  gst_harness_teardown (h);
  /* ca-file, the shared name, does the same */
  h = gst_harness_new ("ramensrc");
  g_object_set (
      h->element, "location", loc, "ca-file", cert, "subject-id", "u18", NULL);
  gst_harness_play (h);
  pull_expect_seqs (h, 1, 3);
  gst_harness_teardown (h);

  /* the same server is not trusted by the system roots */
  h = gst_harness_new ("ramensrc");
  bus = watch_bus (h);
  g_object_set (
      h->element, "location", loc, "retries", 0, "subject-id", "u18", NULL);
  gst_harness_play (h);
  expect_error (bus, 0, 0, 14);
  teardown_watched (h, bus);

  peer_stop (peer);
  g_unlink (cert);
  g_unlink (key);
  g_rmdir (dir);
}

GST_END_TEST;

GST_START_TEST (test_close_before_subscribe_response)
{
  Peer *peer = cloud_start (
      "--ramen-events", "2", "--ramen-close-before-response", NULL);
  GstHarness *h = harness_for (peer, "u12");
  GstBus *bus = watch_bus (h);

  g_object_set (h->element, "retries", 3, NULL);
  gst_harness_play (h);
  /* Replay works, so the log arrives; the subscription never does */
  pull_expect_seqs (h, 1, 2);
  expect_error (bus, 0, 0, 14);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "reconnects"), 4);
  teardown_watched (h, bus);
  peer_stop (peer);
}

GST_END_TEST;

GST_START_TEST (test_unlock_interrupts_wait)
{
  Peer *peer = cloud_start ("--ramen-silent", NULL);
  GstHarness *h = harness_for (peer, "u13");

  /* a long timeout: only unlock() can end the Replay wait */
  g_object_set (h->element, "timeout", 600, NULL);
  gst_harness_play (h);
  g_usleep (200000);
  fail_unless_equals_int (gst_element_set_state (h->element, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_harness_teardown (h);
  peer_stop (peer);
}

GST_END_TEST;

static void
find_secret_log (GstDebugCategory *category, GstDebugLevel level,
    const gchar *file, const gchar *function, gint line, GObject *object,
    GstDebugMessage *message, gpointer user_data)
{
  const gchar *text = gst_debug_message_get (message);
  guint *counts = user_data;

  if (g_str_equal (gst_debug_category_get_name (category), "ramensrc"))
    g_atomic_int_inc (&counts[1]);
  if (text && (strstr (text, "Key-0f-Test") || strstr (text, "T0ken-0f-Test")))
    g_atomic_int_inc (&counts[0]);
}

/* The API key and the token reach the server and no log line, at any
 * level. */
GST_START_TEST (test_secrets_not_logged)
{
  Peer *peer = cloud_start (
      "--ramen-events", "3", "--ramen-api-key", "Key-0f-Test", NULL);
  GstHarness *h = harness_for (peer, "u15");
  GstDebugLevel old = gst_debug_get_default_threshold ();
  guint counts[2] = { 0, 0 }; /* secrets seen, ramensrc lines seen */
  const gchar *secrets[] = { "api-key", "token" };
  guint i;

  /* write-only: nothing reads a secret back */
  for (i = 0; i < G_N_ELEMENTS (secrets); i++) {
    GParamSpec *pspec = g_object_class_find_property (
        G_OBJECT_GET_CLASS (h->element), secrets[i]);

    fail_unless (pspec != NULL);
    fail_if (pspec->flags & G_PARAM_READABLE, "%s is readable", secrets[i]);
    fail_unless (pspec->flags & G_PARAM_WRITABLE);
  }
  gst_debug_remove_log_function (gst_debug_log_default);
  gst_debug_add_log_function (find_secret_log, counts, NULL);
  gst_debug_set_threshold_from_string ("*:9", TRUE);
  g_object_set (
      h->element, "api-key", "Key-0f-Test", "token", "T0ken-0f-Test", NULL);
  gst_harness_play (h);
  pull_expect_seqs (h, 1, 3);
  gst_harness_teardown (h);
  gst_debug_set_threshold_from_string (
      g_getenv ("GST_DEBUG") ? g_getenv ("GST_DEBUG") : "", TRUE);
  gst_debug_set_default_threshold (old);
  gst_debug_remove_log_function (find_secret_log);
  gst_debug_add_log_function (gst_debug_log_default, NULL, NULL);
  fail_unless_equals_int (counts[0], 0);
  fail_unless (counts[1] > 0);
  peer_stop (peer);
}

GST_END_TEST;

GST_START_TEST (test_python_grpcio_server)
{
  Peer *peer = python_peer_start ("--events", "5", "--live", "5", "--app-id",
      "test-app", "--api-key", "k3y", NULL);
  GstHarness *h = harness_for (peer, "py-user");
  g_autoptr (GError) err = NULL;
  gboolean acked = FALSE, subscribed = FALSE;
  gchar *line;

  g_object_set (h->element, "api-key", "k3y", "device-id", "dev-1", "token",
      "tok", "providers", "whoop, garmin", "event-types", "recovery.updated",
      NULL);
  gst_harness_play (h);
  pull_expect_seqs (h, 1, 10);
  /* the peer reports each Ack it got; the last event is acked once it has
   * gone downstream */
  while ((line = g_data_input_stream_read_line (peer->out, NULL, NULL, &err)) !=
      NULL) {
    gboolean done = g_str_equal (line, "ack 10 ACK_STATUS_SUCCESS");

    /* Replay brought 1..5, so the subscription starts after 5 */
    if (g_str_has_prefix (line, "subscribe ")) {
      fail_unless_equals_string (line,
          "subscribe app=test-app user=py-user device=dev-1 token=tok "
          "last_seq=5 providers=whoop,garmin event_types=recovery.updated");
      subscribed = TRUE;
    }
    g_free (line);
    if (done) {
      acked = TRUE;
      break;
    }
  }
  fail_unless (acked);
  fail_unless (subscribed);
  gst_harness_teardown (h);
  peer_stop (peer);
}

GST_END_TEST;

/* A Replay that claims more but gives nothing does not loop forever */
GST_START_TEST (test_replay_stuck_server)
{
  Peer *peer = python_peer_start ("--events", "0", "--live", "3",
      "--replay-stuck", "--app-id", "test-app", NULL);
  GstHarness *h = harness_for (peer, "py-user");

  gst_harness_play (h);
  pull_expect_seqs (h, 1, 3);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "replayed"), 0);
  gst_harness_teardown (h);
  peer_stop (peer);
}

GST_END_TEST;

/* An unwritable cursor: events still flow, one warning */
GST_START_TEST (test_cursor_unwritable)
{
  Peer *peer = cloud_start ("--ramen-events", "5", NULL);
  GstHarness *h = harness_for (peer, "u19");
  GstBus *bus = watch_bus (h);
  GstMessage *msg;

  g_object_set (
      h->element, "state-location", "/nonexistent-dir/ramen.cursor", NULL);
  gst_harness_play (h);
  pull_expect_seqs (h, 1, 5);
  gst_harness_teardown (h);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL);
  gst_object_unref (bus);
  peer_stop (peer);
}

GST_END_TEST;

/* A cursor no real stream reaches (INT64_MAX) would drop every event as
 * already seen: it is corrupt, said in a warning naming the file and the
 * value, set aside, and the stream starts as with no cursor. */
GST_START_TEST (test_cursor_out_of_range)
{
  Peer *peer = cloud_start ("--ramen-events", "3", NULL);
  g_autofree gchar *dir = g_dir_make_tmp ("ramensrc-XXXXXX", NULL);
  g_autofree gchar *state = g_build_filename (dir, "cursor", NULL);
  g_autofree gchar *aside = g_strconcat (state, ".corrupt", NULL);
  g_autofree gchar *expected = NULL;
  g_autofree gchar *contents = NULL;
  const gchar *corrupt = "[ramen]\napp_id=test-app\nuser_id=u20\n"
                         "last_acknowledged_seq=9223372036854775807\n";
  GstHarness *h = harness_for (peer, "u20");
  GstBus *bus = watch_bus (h);
  GstMessage *msg;
  GError *err = NULL;
  gchar *debug = NULL;

  fail_unless (g_file_set_contents (state, corrupt, -1, NULL));
  g_object_set (h->element, "state-location", state, NULL);
  gst_harness_play (h);
  pull_expect_seqs (h, 1, 3);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL, "no warning");
  gst_message_parse_warning (msg, &err, &debug);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ));
  expected = g_strdup_printf ("Ignoring the corrupt RAMEN cursor %s: "
                              "last_acknowledged_seq 9223372036854775807 is "
                              "out of range (0..9007199254740991)",
      state);
  fail_unless_equals_string (err->message, expected);
  g_free (expected);
  expected = g_strdup_printf ("kept as %s; starting with no cursor", aside);
  /* the debug text starts with the source location */
  fail_unless (g_str_has_suffix (debug, expected), "%s", debug);
  g_clear_error (&err);
  g_free (debug);
  gst_message_unref (msg);
  teardown_watched (h, bus);
  /* the corrupt file is kept aside, the cursor is a real one again */
  fail_unless (g_file_get_contents (aside, &contents, NULL, NULL));
  fail_unless_equals_string (contents, corrupt);
  g_free (contents);
  fail_unless (g_file_get_contents (state, &contents, NULL, NULL));
  fail_unless (
      strstr (contents, "last_acknowledged_seq=3\n") != NULL, "%s", contents);
  g_unlink (state);
  g_unlink (aside);
  g_rmdir (dir);
  peer_stop (peer);
}

GST_END_TEST;

/* A real-looking cursor beyond what the server has: said once */
GST_START_TEST (test_cursor_ahead_of_server)
{
  Peer *peer = cloud_start ("--ramen-events", "3", NULL);
  g_autofree gchar *dir = g_dir_make_tmp ("ramensrc-XXXXXX", NULL);
  g_autofree gchar *state = g_build_filename (dir, "cursor", NULL);
  GstHarness *h = harness_for (peer, "u21");
  GstBus *bus = watch_bus (h);
  GstMessage *msg;
  GError *err = NULL;

  fail_unless (g_file_set_contents (state,
      "[ramen]\napp_id=test-app\nuser_id=u21\nlast_acknowledged_seq=50\n", -1,
      NULL));
  g_object_set (h->element, "state-location", state, NULL);
  gst_harness_play (h);
  msg = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL, "no warning");
  gst_message_parse_warning (msg, &err, NULL);
  fail_unless_equals_string (err->message,
      "RAMEN's highest seq is 3, behind the cursor 50: events up to 50 will "
      "be dropped as already seen");
  g_clear_error (&err);
  gst_message_unref (msg);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  teardown_watched (h, bus);
  g_unlink (state);
  g_rmdir (dir);
  peer_stop (peer);
}

GST_END_TEST;

static void
count_handoff (GstElement *sink, GstBuffer *buf, GstPad *pad, gpointer data)
{
  g_atomic_int_inc ((gint *) data);
}

/* EOS sent to the pipeline reaches the sink within 1 s, both while
 * ramensrc waits on a quiet stream and while events flow. */
GST_START_TEST (test_eos_while_playing)
{
  const gchar *live[] = { "0", "5" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (live); i++) {
    Peer *peer = cloud_start (
        "--ramen-events", "2", "--ramen-live-interval-ms", live[i], NULL);
    g_autofree gchar *desc = g_strdup_printf (
        "ramensrc location=http://127.0.0.1:%u app-id=test-app "
        "subject-id=u22 ! fakesink name=sink signal-handoffs=true",
        peer->port);
    GstElement *pipeline = gst_parse_launch (desc, NULL);
    GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
    gint n = 0;
    gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    g_signal_connect (sink, "handoff", G_CALLBACK (count_handoff), &n);
    fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
        GST_STATE_CHANGE_FAILURE);
    while (g_atomic_int_get (&n) < 2 && g_get_monotonic_time () < end)
      g_usleep (10000);
    fail_unless (g_atomic_int_get (&n) >= 2);
    /* quiet: let it settle into the wait on the stream */
    if (i == 0)
      g_usleep (200000);
    sensor_test_send_eos (pipeline, 10 * GST_SECOND);
    sensor_test_wait_eos (pipeline, GST_SECOND);
    fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);
    gst_object_unref (sink);
    gst_object_unref (pipeline);
    peer_stop (peer);
  }
}

GST_END_TEST;

/* A loopback port nobody listens on. */
static guint
refused_port (void)
{
  GSocket *sock = g_socket_new (
      G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *addr = g_inet_socket_address_new (lo, 0);
  GSocketAddress *bound;
  guint port;

  fail_unless (g_socket_bind (sock, addr, FALSE, NULL));
  bound = g_socket_get_local_address (sock, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_object_unref (bound);
  g_object_unref (addr);
  g_object_unref (lo);
  g_socket_close (sock, NULL);
  g_object_unref (sock);
  return port;
}

/* Checks a failure warning: text, gRPC status and failure count. */
static void
expect_failure_warning (
    GstBus *bus, const gchar *loc, guint failures, GstClockTime within)
{
  GstMessage *msg;
  GError *err = NULL;
  const GstStructure *details = NULL;
  g_autofree gchar *prefix =
      g_strdup_printf ("Connection to %s failed: UNAVAILABLE: ", loc);
  guint n = 0;
  gint status = -1;

  /* earlier warnings (other counts) are skipped */
  for (;;) {
    msg = gst_bus_timed_pop_filtered (bus, within, GST_MESSAGE_WARNING);
    fail_unless (msg != NULL, "no warning for failure %u", failures);
    gst_message_parse_warning_details (msg, &details);
    fail_unless (details != NULL);
    fail_unless (gst_structure_get_uint (details, "failures", &n));
    if (n == failures)
      break;
    gst_message_unref (msg);
  }
  gst_message_parse_warning (msg, &err, NULL);
  fail_unless (g_error_matches (
      err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE));
  fail_unless (g_str_has_prefix (err->message, prefix), "%s", err->message);
  fail_unless (
      g_str_has_suffix (err->message, "; retrying"), "%s", err->message);
  /* the real cause, from the gRPC core */
  fail_unless (strstr (err->message, "onnect") != NULL, "%s", err->message);
  fail_unless (gst_structure_get_int (details, "grpc-status", &status));
  fail_unless_equals_int (status, 14);
  fail_unless (gst_structure_get_string (details, "grpc-message") != NULL);
  g_clear_error (&err);
  gst_message_unref (msg);
}

/* A refused port: a warning naming the cause at once (and at the 10th
 * failure in a row), connection-state messages, and retrying goes on. */
GST_START_TEST (test_refused_port_warns_and_retries)
{
  GstHarness *h = gst_harness_new ("ramensrc");
  g_autofree gchar *loc =
      g_strdup_printf ("http://127.0.0.1:%u", refused_port ());
  GstBus *bus = watch_bus (h);
  GstMessage *msg;
  const GstStructure *st;
  guint attempt = 0;
  gint status = -1;

  g_object_set (h->element, "location", loc, "subject-id", "u23",
      "retry-backoff-initial", 0.001, "retry-backoff-max", 0.01, NULL);
  gst_harness_play (h);
  expect_failure_warning (bus, loc, 1, 2 * GST_SECOND);
  msg = pop_connection_state (bus, "reconnecting");
  st = gst_message_get_structure (msg);
  fail_unless_equals_string (gst_structure_get_string (st, "uri"), loc);
  fail_unless (gst_structure_get_uint (st, "attempt", &attempt));
  fail_unless (attempt >= 1);
  fail_unless (g_str_has_prefix (
      gst_structure_get_string (st, "reason"), "UNAVAILABLE: "));
  fail_unless (gst_structure_get_int (st, "grpc-status", &status));
  fail_unless_equals_int (status, 14);
  gst_message_unref (msg);
  /* still retrying: the 10th failure in a row is said again */
  expect_failure_warning (bus, loc, 10, 20 * GST_SECOND);
  fail_if (gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR) != NULL);
  teardown_watched (h, bus);
}

GST_END_TEST;

/* retries=1: one retry, then an error naming the cause */
GST_START_TEST (test_refused_port_retries_exhausted)
{
  GstHarness *h = gst_harness_new ("ramensrc");
  g_autofree gchar *loc =
      g_strdup_printf ("http://127.0.0.1:%u", refused_port ());
  g_autofree gchar *prefix =
      g_strdup_printf ("Could not reach RAMEN at %s: UNAVAILABLE: ", loc);
  GstBus *bus = watch_bus (h);
  GstMessage *msg;
  GError *err = NULL;

  g_object_set (h->element, "location", loc, "subject-id", "u24", "retries", 1,
      "retry-backoff-initial", 0.001, NULL);
  gst_harness_play (h);
  /* the first failure is said, then the error (popping one type drops
   * the others) */
  expect_failure_warning (bus, loc, 1, 20 * GST_SECOND);
  msg = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  fail_unless_equals_int (error_grpc_status (msg), 14);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ));
  fail_unless (g_str_has_prefix (err->message, prefix), "%s", err->message);
  g_clear_error (&err);
  gst_message_unref (msg);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "reconnects"), 2);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "failures"), 2);
  teardown_watched (h, bus);
}

GST_END_TEST;

/* A location that cannot be a gRPC target is final at start */
GST_START_TEST (test_bad_location_fatal)
{
  const gchar *bad[] = { "http://", "127.0.0.1:99999", "127.0.0.1:port",
    "grpc://:50051" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    GstElement *src = gst_element_factory_make ("ramensrc", NULL);
    GstBus *bus = gst_bus_new ();
    GstMessage *msg;
    GError *err = NULL;

    gst_element_set_bus (src, bus);
    g_object_set (src, "location", bad[i], NULL);
    fail_unless_equals_int (gst_element_set_state (src, GST_STATE_PAUSED),
        GST_STATE_CHANGE_FAILURE);
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    fail_unless (msg != NULL, "%s", bad[i]);
    gst_message_parse_error (msg, &err, NULL);
    fail_unless (
        g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS),
        "%s: %s", bad[i], err->message);
    g_clear_error (&err);
    gst_message_unref (msg);
    gst_element_set_state (src, GST_STATE_NULL);
    gst_element_set_bus (src, NULL);
    gst_object_unref (bus);
    gst_object_unref (src);
  }
}

GST_END_TEST;

/* A gRPC server without the RAMEN service: UNIMPLEMENTED is final */
GST_START_TEST (test_unimplemented_fatal)
{
  Peer *peer = python_peer_start ("--no-service", NULL);
  GstHarness *h = harness_for (peer, "u17");
  GstBus *bus = watch_bus (h);

  gst_harness_play (h);
  expect_error (bus, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ, 12);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "reconnects"), 0);
  teardown_watched (h, bus);
  peer_stop (peer);
}

GST_END_TEST;

/* The shared network properties, with RAMEN's own defaults where they
 * differ; tls-ca-file is the old name of ca-file. */
GST_START_TEST (test_shared_net_props)
{
  GstElement *e = gst_element_factory_make ("ramensrc", NULL);
  GObjectClass *klass = G_OBJECT_GET_CLASS (e);
  GParamSpec *ps;
  gchar *ca = NULL;
  gdouble factor, max;
  guint timeout, size;
  gint retries;

  g_object_get (e, "timeout", &timeout, "retries", &retries,
      "retry-backoff-factor", &factor, "retry-backoff-max", &max,
      "max-message-size", &size, NULL);
  fail_unless_equals_int (timeout, 10);
  fail_unless_equals_int (retries, -1);
  fail_unless_equals_float (factor, 2.0);
  fail_unless_equals_float (max, 32.0);
  fail_unless_equals_int (size, 4 * 1024 * 1024);
  ps = g_object_class_find_property (klass, "timeout");
  fail_unless_equals_int (G_PARAM_SPEC_UINT (ps)->minimum, 1);
  /* gRPC: the heartbeat is the keepalive, TLS is always verified */
  fail_unless (
      g_object_class_find_property (klass, "keepalive-interval") == NULL);
  fail_unless (g_object_class_find_property (klass, "pong-timeout") == NULL);
  fail_unless (g_object_class_find_property (klass, "tls-strict") == NULL);

  ps = g_object_class_find_property (klass, "tls-ca-file");
  fail_unless (ps->flags & G_PARAM_DEPRECATED);
  g_object_set (e, "tls-ca-file", "/a.pem", NULL);
  g_object_get (e, "ca-file", &ca, NULL);
  fail_unless_equals_string (ca, "/a.pem");
  g_free (ca);
  g_object_set (e, "ca-file", "/b.pem", NULL);
  g_object_get (e, "tls-ca-file", &ca, NULL);
  fail_unless_equals_string (ca, "/b.pem");
  g_free (ca);
  gst_object_unref (e);
}

GST_END_TEST;

/* The stats vocabulary shared by the network elements. */
GST_START_TEST (test_stats_vocabulary)
{
  Peer *peer = cloud_start ("--ramen-events", "5", NULL);
  GstHarness *h = harness_for (peer, "u30");
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  gboolean connected = FALSE;
  GstStructure *s = NULL;
  guint64 v;

  g_object_get (h->element, "stats", &s, NULL);
  fail_unless (gst_structure_has_name (s, "application/x-ramensrc-stats"));
  fail_unless (gst_structure_get_boolean (s, "connected", &connected));
  fail_if (connected);
  gst_structure_free (s);

  gst_harness_play (h);
  pull_expect_seqs (h, 1, 5);
  /* the SubscribeResponse comes after the replayed events went out */
  while (!connected && g_get_monotonic_time () < end) {
    g_object_get (h->element, "stats", &s, NULL);
    fail_unless (gst_structure_get_boolean (s, "connected", &connected));
    gst_structure_free (s);
    if (!connected)
      g_usleep (10000);
  }
  fail_unless (connected);
  fail_unless_equals_uint64 (
      sensor_test_stat (h->element, "buffers-pushed"), 5);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "failures"), 0);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "reconnects"), 0);
  /* one Replay page and the SubscribeResponse at least */
  fail_unless (sensor_test_stat (h->element, "messages-received") >= 2);
  v = sensor_test_stat (h->element, "bytes-received");
  fail_unless (v > 5 * 100, "%" G_GUINT64_FORMAT " bytes", v);
  gst_harness_teardown (h);
  peer_stop (peer);
}

GST_END_TEST;

static Suite *
ramensrc_suite (void)
{
  Suite *s = suite_create ("ramensrc");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_ordered_delivery);
  tcase_add_test (tc, test_shared_net_props);
  tcase_add_test (tc, test_stats_vocabulary);
  tcase_add_test (tc, test_disconnects_and_duplicates);
  tcase_add_test (tc, test_disconnects_live);
  tcase_add_test (tc, test_skipped_seq_repaired);
  tcase_add_test (tc, test_restart_resumes);
  tcase_add_test (tc, test_heartbeat_timeout_reconnects);
  tcase_add_test (tc, test_auth_failure_fatal);
  tcase_add_test (tc, test_wrong_api_key_unauthenticated);
  tcase_add_test (tc, test_binary_payload_base64);
  tcase_add_test (tc, test_invalid_utf8_skipped);
  tcase_add_test (tc, test_oversized_message_error);
  tcase_add_test (tc, test_replay_pages_shrink);
  tcase_add_test (tc, test_silent_server_times_out);
  tcase_add_test (tc, test_silent_subscribe_times_out);
  tcase_add_test (tc, test_tls_to_plaintext_server_fails);
  tcase_add_test (tc, test_tls_with_ca_file);
  tcase_add_test (tc, test_close_before_subscribe_response);
  tcase_add_test (tc, test_unlock_interrupts_wait);
  tcase_add_test (tc, test_secrets_not_logged);
  tcase_add_test (tc, test_python_grpcio_server);
  tcase_add_test (tc, test_unimplemented_fatal);
  tcase_add_test (tc, test_replay_stuck_server);
  tcase_add_test (tc, test_cursor_unwritable);
  tcase_add_test (tc, test_cursor_out_of_range);
  tcase_add_test (tc, test_cursor_ahead_of_server);
  tcase_add_test (tc, test_eos_while_playing);
  tcase_add_test (tc, test_refused_port_warns_and_retries);
  tcase_add_test (tc, test_refused_port_retries_exhausted);
  tcase_add_test (tc, test_bad_location_fatal);
  return s;
}

GST_CHECK_MAIN (ramensrc);
