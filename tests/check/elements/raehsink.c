/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * raehsink against an in-process /stream/ingest server (libsoup, its own
 * thread): handshake and caps, slot ids from a manifest that is not 0-based,
 * fatal 4001/4004 with the verbatim reason, bad handshakes, a server-side
 * drop with every frame delivered once and in order, bounded buffering and
 * clock sync.
 */
#include <stdlib.h>
#include <string.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/sensor/sensor.h>
#include <gst/raeh/raeh.h>
#include <libsoup/soup.h>

#include "../sensor-test-pipeline.h"
#include "../sensor-test-stats.h"
#include "../sensor-test-tls.h"

#define MODEL "573fdc48-b7a8-40bb-81b7-e96df24fab6d"

/* slots 7 and 3: not 0-based, not in order */
static const gchar *manifest_a =
    "{\"session_id\":\"sess-a\",\"slots\":["
    "{\"slot_id\":7,\"modality_channel_id\":\"c1\",\"modality\":\"ppg_green\","
    "\"sample_rate_hz\":100,\"bit_depth\":16,\"num_channels\":1},"
    "{\"slot_id\":3,\"modality\":\"acc_3axis\",\"sample_rate_hz\":50,"
    "\"bit_depth\":16,\"num_channels\":3}]}";
static const gchar *manifest_b =
    "{\"session_id\":\"sess-b\",\"slots\":["
    "{\"slot_id\":12,\"modality\":\"ppg_green\",\"sample_rate_hz\":100,"
    "\"bit_depth\":16,\"num_channels\":1},"
    "{\"slot_id\":0,\"modality\":\"acc_3axis\",\"sample_rate_hz\":50,"
    "\"bit_depth\":16,\"num_channels\":3}]}";

/* ---- the scriptable server ---- */

typedef struct
{
  GMainContext *ctx;
  GMainLoop *loop;
  GThread *thread;
  SoupServer *server;
  guint port;
  GTlsCertificate *cert; /* wss:// when set */
  guint want_port;       /* 0: any free port */
  GMutex lock;
  GCond cond;

  /* behaviour */
  const gchar *handshakes[4]; /* per connection; the last one repeats */
  gboolean binary_first;
  gboolean no_handshake;
  gint hold_connection; /* its handshake waits for release */
  gint close_connection;
  gint close_after; /* frames of close_connection; -1 never */
  gushort close_code;
  const gchar *close_reason;
  gushort reject_code;
  const gchar *reject_reason;

  /* observed */
  guint connections;
  GPtrArray *frames;
  GArray *frame_conn;
  guint conn_frames[8];
  gchar *last_query;
  gchar *last_auth;
  GPtrArray *conns;
  SoupWebsocketConnection *held;
  gint held_index;
  guint closes;            /* connections closed */
  gushort last_close_code; /* the code the sink sent last */
} TestServer;

typedef struct
{
  TestServer *srv;
  guint index;
} ConnData;

static const gchar *
handshake_for (TestServer *s, guint index)
{
  guint i = MIN (index, 3);

  while (i > 0 && s->handshakes[i] == NULL)
    i--;
  return s->handshakes[i];
}

static void
send_handshake (TestServer *s, SoupWebsocketConnection *conn, guint index)
{
  if (s->binary_first) {
    static const guint8 junk[12] = {
      0,
    };
    GBytes *b = g_bytes_new_static (junk, sizeof (junk));

    soup_websocket_connection_send_message (
        conn, SOUP_WEBSOCKET_DATA_BINARY, b);
    g_bytes_unref (b);
  } else if (!s->no_handshake) {
    soup_websocket_connection_send_text (conn, handshake_for (s, index));
  }
}

static void
on_server_message (SoupWebsocketConnection *conn, gint type, GBytes *message,
    gpointer user_data)
{
  ConnData *cd = user_data;
  TestServer *s = cd->srv;
  gboolean close_now = FALSE;

  if (type != SOUP_WEBSOCKET_DATA_BINARY)
    return;
  g_mutex_lock (&s->lock);
  g_ptr_array_add (s->frames, g_bytes_ref (message));
  g_array_append_val (s->frame_conn, cd->index);
  s->conn_frames[MIN (cd->index, 7)]++;
  if ((gint) cd->index == s->close_connection && s->close_after >= 0 &&
      s->conn_frames[cd->index] == (guint) s->close_after)
    close_now = TRUE;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
  if (close_now)
    soup_websocket_connection_close (conn, s->close_code, s->close_reason);
}

static void
on_server_closed (SoupWebsocketConnection *conn, gpointer user_data)
{
  TestServer *s = user_data;

  g_mutex_lock (&s->lock);
  s->last_close_code = soup_websocket_connection_get_close_code (conn);
  s->closes++;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

static void
on_ingest (SoupServer *server, SoupServerMessage *msg, const char *path,
    SoupWebsocketConnection *conn, gpointer user_data)
{
  TestServer *s = user_data;
  const gchar *auth = soup_message_headers_get_one (
      soup_server_message_get_request_headers (msg), "Authorization");
  ConnData *cd = g_new0 (ConnData, 1);
  gboolean hold;

  g_mutex_lock (&s->lock);
  cd->srv = s;
  cd->index = s->connections++;
  g_free (s->last_query);
  s->last_query =
      g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  g_free (s->last_auth);
  s->last_auth = g_strdup (auth);
  g_ptr_array_add (s->conns, g_object_ref (conn));
  hold = (gint) cd->index == s->hold_connection;
  if (hold) {
    s->held = conn;
    s->held_index = cd->index;
  }
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);

  g_signal_connect_data (conn, "message", G_CALLBACK (on_server_message), cd,
      (GClosureNotify) g_free, 0);
  g_signal_connect (conn, "closed", G_CALLBACK (on_server_closed), s);
  if (s->reject_code) {
    soup_websocket_connection_close (conn, s->reject_code, s->reject_reason);
    return;
  }
  if (!hold)
    send_handshake (s, conn, cd->index);
}

static gpointer
server_thread (gpointer data)
{
  TestServer *s = data;
  GSList *uris;

  g_main_context_push_thread_default (s->ctx);
  s->server = s->cert ? soup_server_new ("tls-certificate", s->cert, NULL) :
                        soup_server_new (NULL, NULL);
  soup_server_add_websocket_handler (
      s->server, "/stream/ingest", NULL, NULL, on_ingest, s, NULL);
  fail_unless (soup_server_listen_local (s->server, s->want_port,
      SOUP_SERVER_LISTEN_IPV4_ONLY | (s->cert ? SOUP_SERVER_LISTEN_HTTPS : 0),
      NULL));
  uris = soup_server_get_uris (s->server);
  g_mutex_lock (&s->lock);
  s->port = g_uri_get_port (uris->data);
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (s->loop);

  g_ptr_array_unref (s->conns);
  s->conns = NULL;
  soup_server_disconnect (s->server);
  g_object_unref (s->server);
  /* let pending closes run */
  while (g_main_context_iteration (s->ctx, FALSE))
    ;
  g_main_context_pop_thread_default (s->ctx);
  return NULL;
}

static TestServer *
test_server_new (void)
{
  TestServer *s = g_new0 (TestServer, 1);

  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->handshakes[0] = manifest_a;
  s->hold_connection = -1;
  s->close_connection = -1;
  s->close_after = -1;
  s->frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  s->frame_conn = g_array_new (FALSE, FALSE, sizeof (guint));
  s->conns = g_ptr_array_new_with_free_func (g_object_unref);
  s->ctx = g_main_context_new ();
  s->loop = g_main_loop_new (s->ctx, FALSE);
  return s;
}

static void
test_server_start (TestServer *s)
{
  s->thread = g_thread_new ("test-server", server_thread, s);
  g_mutex_lock (&s->lock);
  while (s->port == 0)
    g_cond_wait (&s->cond, &s->lock);
  g_mutex_unlock (&s->lock);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
test_server_free (TestServer *s)
{
  g_main_context_invoke (s->ctx, quit_cb, s->loop);
  g_thread_join (s->thread);
  g_main_loop_unref (s->loop);
  g_main_context_unref (s->ctx);
  g_ptr_array_unref (s->frames);
  g_array_unref (s->frame_conn);
  g_free (s->last_query);
  g_free (s->last_auth);
  g_clear_object (&s->cert);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
  g_free (s);
}

static gboolean
release_cb (gpointer data)
{
  TestServer *s = data;

  if (s->held)
    send_handshake (s, s->held, s->held_index);
  s->held = NULL;
  return G_SOURCE_REMOVE;
}

static void
test_server_release (TestServer *s)
{
  g_main_context_invoke (s->ctx, release_cb, s);
}

static gboolean
test_server_wait (TestServer *s, guint *counter, guint n, guint timeout_s)
{
  gint64 end = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;
  gboolean ok = TRUE;

  g_mutex_lock (&s->lock);
  while (*counter < n && ok)
    ok = g_cond_wait_until (&s->cond, &s->lock, end);
  ok = *counter >= n;
  g_mutex_unlock (&s->lock);
  return ok;
}

static gboolean
test_server_wait_frames (TestServer *s, guint n, guint timeout_s)
{
  return test_server_wait (s, &s->frames->len, n, timeout_s);
}

static gchar *
test_server_uri (TestServer *s)
{
  return g_strdup_printf (
      "%s://127.0.0.1:%u/stream/ingest", s->cert ? "wss" : "ws", s->port);
}

/* ---- helpers ---- */

static GstFlowReturn
appsrc_push (GstElement *src, GstBuffer *buf)
{
  GstFlowReturn ret = GST_FLOW_ERROR;

  g_signal_emit_by_name (src, "push-buffer", buf, &ret);
  gst_buffer_unref (buf);
  return ret;
}

static GstElement *
make_sink (TestServer *srv, GstBus **bus)
{
  GstElement *sink = gst_element_factory_make ("raehsink", NULL);
  gchar *uri = test_server_uri (srv);

  g_object_set (sink, "location", uri, "api-key", "raeh_test", "device-id",
      "dev 1", "device-model-id", MODEL, "sync", FALSE, "timeout", 5,
      "retry-backoff-max", 1.0, NULL);
  g_free (uri);
  if (bus) {
    *bus = gst_bus_new ();
    gst_element_set_bus (sink, *bus);
  }
  return sink;
}

static GstBuffer *
make_frame (gint64 t0_ms, guint count, guint channels, guint16 first_value)
{
  GstRaehFrameHeader h = { 0, t0_ms, count, 0 };
  GstBuffer *buf =
      gst_buffer_new_allocate (NULL, 12 + count * channels * 2, NULL);
  GstMapInfo map;
  guint i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  gst_raeh_frame_header_write (&h, map.data);
  for (i = 0; i < count * channels; i++)
    GST_WRITE_UINT16_LE (map.data + 12 + 2 * i, first_value + i);
  gst_buffer_unmap (buf, &map);
  GST_BUFFER_PTS (buf) = (t0_ms - 1700000000000) * GST_MSECOND;
  GST_BUFFER_DURATION (buf) = GST_SECOND;
  return buf;
}

#define PPG_CAPS                                                               \
  "application/x-raeh-frame, modality=ppg_green, "                             \
  "rate=100/1, channels=1, bit-depth=16"
#define ACC_CAPS                                                               \
  "application/x-raeh-frame, modality=acc_3axis, "                             \
  "rate=50/1, channels=3, bit-depth=16"

/* The frame the server must see: the pushed bytes with the slot id. */
static void
check_frame (TestServer *srv, guint index, guint8 slot, gint64 t0_ms,
    guint count, guint channels, guint16 first_value)
{
  GstBuffer *want = make_frame (t0_ms, count, channels, first_value);
  GBytes *got = g_ptr_array_index (srv->frames, index);
  GstMapInfo map;
  gsize size;
  const guint8 *data = g_bytes_get_data (got, &size);

  gst_buffer_map (want, &map, GST_MAP_READ);
  fail_unless_equals_int (size, map.size);
  fail_unless_equals_int (data[0], slot);
  fail_unless (memcmp (data + 1, map.data + 1, size - 1) == 0,
      "frame %u differs", index);
  gst_buffer_unmap (want, &map);
  gst_buffer_unref (want);
}

static GstMessage *
wait_message (GstBus *bus, const gchar *name, guint timeout_s)
{
  gint64 end = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;

  while (g_get_monotonic_time () < end) {
    GstMessage *m = gst_bus_timed_pop_filtered (bus, 100 * GST_MSECOND,
        GST_MESSAGE_ELEMENT | GST_MESSAGE_ERROR | GST_MESSAGE_EOS);

    if (m == NULL)
      continue;
    if ((GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR &&
            g_str_equal (name, "error")) ||
        (GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS &&
            g_str_equal (name, "eos")) ||
        (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ELEMENT &&
            gst_message_has_name (m, name)))
      return m;
    gst_message_unref (m);
  }
  return NULL;
}

static GstEvent *
caps_event (const gchar *str)
{
  GstCaps *caps = gst_caps_from_string (str);
  GstEvent *ev = gst_event_new_caps (caps);

  gst_caps_unref (caps);
  return ev;
}

static void
push_start (GstHarness *h, const gchar *caps)
{
  GstSegment seg;

  gst_segment_init (&seg, GST_FORMAT_TIME);
  fail_unless (gst_harness_push_event (h, gst_event_new_stream_start ("s")));
  fail_unless (gst_harness_push_event (h, caps_event (caps)) || caps == NULL);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
}

static void
teardown_sink (GstElement *sink, GstBus *bus, GstHarness *h1, GstHarness *h2)
{
  if (h2)
    gst_harness_teardown (h2);
  if (h1)
    gst_harness_teardown (h1);
  else
    gst_element_set_state (sink, GST_STATE_NULL);
  if (bus) {
    gst_bus_set_flushing (bus, TRUE);
    gst_object_unref (bus);
  }
  gst_object_unref (sink);
}

/* The next message of @type (WARNING or ERROR), or a
 * GST_SENSOR_NET_CONNECTION_STATE message in @state when @state is set. */
static GstMessage *
wait_bus (
    GstBus *bus, GstMessageType type, const gchar *state, GstClockTime timeout)
{
  gint64 end = g_get_monotonic_time () + timeout / GST_USECOND;

  while (g_get_monotonic_time () < end) {
    GstMessage *m = gst_bus_timed_pop (bus, 20 * GST_MSECOND);
    const GstStructure *s;

    if (m == NULL)
      continue;
    s = gst_message_get_structure (m);
    if (state && GST_MESSAGE_TYPE (m) == GST_MESSAGE_ELEMENT &&
        gst_structure_has_name (s, "sensor-connection-state") &&
        g_str_equal (gst_structure_get_string (s, "state"), state))
      return m;
    if (!state && GST_MESSAGE_TYPE (m) == type)
      return m;
    /* an error nobody waits for is a failure */
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
      GError *err = NULL;

      gst_message_parse_error (m, &err, NULL);
      fail ("unexpected error: %s", err->message);
    }
    gst_message_unref (m);
  }
  return NULL;
}

static void
assert_text (GstMessage *m, GQuark domain, gint code, const gchar *needle)
{
  GError *err = NULL;
  gchar *dbg = NULL;

  if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR)
    gst_message_parse_error (m, &err, &dbg);
  else
    gst_message_parse_warning (m, &err, &dbg);
  fail_unless (err->domain == domain && err->code == code, "%s: %s (%s)",
      g_quark_to_string (err->domain), err->message, dbg);
  fail_unless (strstr (err->message, needle) != NULL, "no \"%s\" in \"%s\"",
      needle, err->message);
  g_error_free (err);
  g_free (dbg);
}

/* ---- tests ---- */

/* The handshake drives the caps; frames carry the manifest's slot ids (7
 * and 3), every other byte as pushed; the URL carries the device. */
GST_START_TEST (test_handshake_slots_and_caps)
{
  TestServer *srv = test_server_new ();
  GstElement *sink;
  GstHarness *hp, *ha;
  GstBus *bus;
  GstCaps *caps, *filter, *want;
  GstMessage *m;
  const GstStructure *st;
  GstStructure *stats;
  guint64 sent;
  g_autofree gchar *uri = NULL;

  test_server_start (srv);
  sink = make_sink (srv, &bus);
  hp = gst_harness_new_with_element (sink, "sink_%u", NULL);
  ha = gst_harness_new_with_element (sink, "sink_%u", NULL);

  /* connection state: the one shared message, never a key in the uri */
  m = wait_bus (bus, 0, "connecting", 5 * GST_SECOND);
  fail_unless (m != NULL);
  uri = test_server_uri (srv);
  fail_unless_equals_string (
      gst_structure_get_string (gst_message_get_structure (m), "uri"), uri);
  gst_message_unref (m);
  m = wait_bus (bus, 0, "connected", 5 * GST_SECOND);
  fail_unless (m != NULL);
  gst_message_unref (m);
  m = wait_message (bus, "raeh-session-start", 5);
  fail_unless (m != NULL);
  st = gst_message_get_structure (m);
  fail_unless_equals_string (
      gst_structure_get_string (st, "session-id"), "sess-a");
  fail_unless_equals_int (
      gst_value_list_get_size (gst_structure_get_value (st, "slots")), 2);
  gst_message_unref (m);
  fail_unless (strstr (srv->last_query, "api_key=raeh_test") != NULL);
  fail_unless (strstr (srv->last_query, "device_id=dev%201") != NULL);
  fail_unless (strstr (srv->last_query, "device_model_id=" MODEL) != NULL);

  /* caps from the manifest, narrowed by the upstream modality */
  filter = gst_caps_from_string ("application/x-raeh-frame, "
                                 "modality=ppg_green");
  caps = gst_pad_peer_query_caps (hp->srcpad, filter);
  want = gst_caps_from_string (PPG_CAPS);
  fail_unless (gst_caps_is_equal (caps, want), "%" GST_PTR_FORMAT, caps);
  gst_caps_unref (caps);
  gst_caps_unref (want);
  gst_caps_unref (filter);
  caps = gst_pad_peer_query_caps (ha->srcpad, NULL);
  fail_unless_equals_int (gst_caps_get_size (caps), 2);
  gst_caps_unref (caps);

  push_start (hp, PPG_CAPS);
  push_start (ha, ACC_CAPS);
  fail_unless_equals_int (
      gst_harness_push (hp, make_frame (1700000000000, 100, 1, 0)),
      GST_FLOW_OK);
  fail_unless_equals_int (
      gst_harness_push (ha, make_frame (1700000000000, 50, 3, 1000)),
      GST_FLOW_OK);
  fail_unless_equals_int (
      gst_harness_push (hp, make_frame (1700000001000, 100, 1, 100)),
      GST_FLOW_OK);
  fail_unless (test_server_wait_frames (srv, 3, 5));
  check_frame (srv, 0, 7, 1700000000000, 100, 1, 0);
  check_frame (srv, 1, 3, 1700000000000, 50, 3, 1000);
  check_frame (srv, 2, 7, 1700000001000, 100, 1, 100);

  g_object_get (sink, "stats", &stats, NULL);
  fail_unless (gst_structure_get_uint64 (stats, "frames-sent", &sent));
  fail_unless_equals_uint64 (sent, 3);
  fail_unless_equals_string (
      gst_structure_get_string (stats, "session-id"), "sess-a");
  gst_structure_free (stats);

  /* the key is write-only */
  fail_if (g_object_class_find_property (G_OBJECT_GET_CLASS (sink), "api-key")
               ->flags &
      G_PARAM_READABLE);

  teardown_sink (sink, bus, hp, ha);
  test_server_free (srv);
}

GST_END_TEST;

/* EOS on every pad closes the session with 1000 at once (sinks ending
 * together close in parallel), before any state change. */
GST_START_TEST (test_eos_closes_session)
{
  TestServer *srv = test_server_new ();
  GstElement *sink;
  GstHarness *hp, *ha;
  GstBus *bus;
  GstMessage *m;

  test_server_start (srv);
  sink = make_sink (srv, &bus);
  hp = gst_harness_new_with_element (sink, "sink_%u", NULL);
  ha = gst_harness_new_with_element (sink, "sink_%u", NULL);
  m = wait_message (bus, "raeh-session-start", 5);
  fail_unless (m != NULL);
  gst_message_unref (m);
  push_start (hp, PPG_CAPS);
  push_start (ha, ACC_CAPS);
  fail_unless_equals_int (
      gst_harness_push (hp, make_frame (1700000000000, 100, 1, 0)),
      GST_FLOW_OK);
  fail_unless (gst_harness_push_event (hp, gst_event_new_eos ()));
  fail_unless (gst_harness_push_event (ha, gst_event_new_eos ()));
  fail_unless (test_server_wait_frames (srv, 1, 5));
  fail_unless (test_server_wait (srv, &srv->closes, 1, 5),
      "the session was not closed at EOS");
  fail_unless_equals_int (srv->last_close_code, 1000);
  fail_unless_equals_int (srv->connections, 1);

  teardown_sink (sink, bus, hp, ha);
  test_server_free (srv);
}

GST_END_TEST;

GST_START_TEST (test_auth_header)
{
  TestServer *srv = test_server_new ();
  GstElement *sink;
  GstHarness *h;

  test_server_start (srv);
  sink = make_sink (srv, NULL);
  gst_util_set_object_arg (G_OBJECT (sink), "auth", "header");
  h = gst_harness_new_with_element (sink, "sink_%u", NULL);
  /* the state change does not wait for the connection */
  fail_unless (test_server_wait (srv, &srv->connections, 1, 5));
  fail_unless_equals_string (srv->last_auth, "Bearer raeh_test");
  fail_if (strstr (srv->last_query, "api_key") != NULL);
  teardown_sink (sink, NULL, h, NULL);
  test_server_free (srv);
}

GST_END_TEST;

/* raehframepack in front of raehsink is asked for what the manifest says:
 * S16LE at 100 Hz for ppg_green, whatever upstream offers. */
GST_START_TEST (test_negotiation_through_packer)
{
  TestServer *srv = test_server_new ();
  GstElement *pipeline, *src, *pack, *sink;
  GstCaps *caps, *want, *filter;
  GstPad *pad;
  GstBuffer *buf;
  guint i;
  gchar *uri;

  test_server_start (srv);
  uri = test_server_uri (srv);
  pipeline = gst_parse_launch (
      "appsrc name=src format=time ! raehframepack "
      "name=pack ! raehsink name=sink sync=false api-key=raeh_test "
      "device-id=d device-model-id=" MODEL,
      NULL);
  fail_unless (pipeline != NULL);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  pack = gst_bin_get_by_name (GST_BIN (pipeline), "pack");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (sink, "location", uri, NULL);
  g_free (uri);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PAUSED),
      GST_STATE_CHANGE_SUCCESS);

  pad = gst_element_get_static_pad (pack, "sink");
  filter = gst_caps_from_string ("sensor/x-raw");
  caps = gst_pad_query_caps (pad, filter);
  gst_caps_unref (filter);
  want = gst_caps_from_string (
      "sensor/x-raw, format=S16LE, rate=100/1, "
      "channels=1, modality=ppg_green; sensor/x-raw, format=S16LE, "
      "rate=50/1, channels=3, modality=acc_3axis");
  fail_unless (gst_caps_is_equal (caps, want), "%" GST_PTR_FORMAT, caps);
  gst_caps_unref (caps);
  gst_caps_unref (want);
  gst_object_unref (pad);

  caps = gst_caps_from_string ("sensor/x-raw, format=S16LE, rate=100/1, "
                               "channels=1, modality=ppg_green");
  g_object_set (src, "caps", caps, NULL);
  gst_caps_unref (caps);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  for (i = 0; i < 3; i++) {
    GstMapInfo map;
    guint j;

    buf = gst_buffer_new_allocate (NULL, 200, NULL);
    gst_buffer_map (buf, &map, GST_MAP_WRITE);
    for (j = 0; j < 100; j++)
      GST_WRITE_UINT16_LE (map.data + 2 * j, i * 100 + j);
    gst_buffer_unmap (buf, &map);
    GST_BUFFER_PTS (buf) = i * GST_SECOND;
    gst_buffer_add_sensor_epoch (buf, (1700000000000 + i * 1000) * GST_MSECOND);
    fail_unless_equals_int (appsrc_push (src, buf), GST_FLOW_OK);
  }
  {
    GstFlowReturn r;

    g_signal_emit_by_name (src, "end-of-stream", &r);
  }
  sensor_test_wait_eos (pipeline, 10 * GST_SECOND);
  fail_unless (test_server_wait_frames (srv, 3, 5));
  for (i = 0; i < 3; i++)
    check_frame (srv, i, 7, 1700000000000 + i * 1000, 100, 1, i * 100);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (pack);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  test_server_free (srv);
}

GST_END_TEST;

/* A stream the manifest does not have (undeclared-modality=error, the
 * default), or at the wrong rate, channel count or bit depth, fails before
 * the first frame with one error naming both sides and the fix. */
GST_START_TEST (test_pad_mismatch)
{
  struct
  {
    const gchar *caps;
    const gchar *text;
  } rows[] = {
    { "application/x-raeh-frame, modality=ppg_red, rate=100/1, channels=1, "
      "bit-depth=16",
        "The Raeh manifest declares no ppg_red stream (slots 7: ppg_green "
        "100 Hz 16-bit x1, 3: acc_3axis 50 Hz 16-bit x3); upstream offers "
        "ppg_red on pad sink_0: stream only the modalities of the device "
        "model, or register ppg_red with it" },
    { "application/x-raeh-frame, modality=acc_3axis, rate=52/1, "
      "channels=3, bit-depth=16",
        "The Raeh manifest declares acc_3axis at 50 Hz, 3 channels, 16 bit "
        "(slot 3); upstream offers 52 Hz on pad sink_0: add sensorresample "
        "before raehframepack" },
    { "application/x-raeh-frame, modality=acc_3axis, rate=50/1, "
      "channels=1, bit-depth=16",
        "The Raeh manifest declares acc_3axis at 50 Hz, 3 channels, 16 bit "
        "(slot 3); upstream offers 1 channel on pad sink_0: send the 3 "
        "channels the device model declares (sensorresample keeps the "
        "channel count)" },
    { "application/x-raeh-frame, modality=ppg_green, rate=128/1, "
      "channels=1, bit-depth=24",
        "The Raeh manifest declares ppg_green at 100 Hz, 1 channel, 16 bit "
        "(slot 7); upstream offers 128 Hz, 24 bit on pad sink_0: add "
        "sensorresample before raehframepack (it converts to S16LE)" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    TestServer *srv = test_server_new ();
    GstElement *sink;
    GstHarness *h;
    GstBus *bus;
    GstMessage *m;
    GError *err = NULL;
    gchar *dbg = NULL;
    GstSegment seg;

    test_server_start (srv);
    sink = make_sink (srv, &bus);
    h = gst_harness_new_with_element (sink, "sink_%u", NULL);
    fail_unless (gst_harness_push_event (h, gst_event_new_stream_start ("s")));
    /* a sticky event: the push may still report success */
    gst_harness_push_event (h, caps_event (rows[i].caps));
    gst_segment_init (&seg, GST_FORMAT_TIME);
    gst_harness_push_event (h, gst_event_new_segment (&seg));
    m = wait_message (bus, "error", 5);
    fail_unless (m != NULL);
    gst_message_parse_error (m, &err, &dbg);
    fail_unless (
        g_error_matches (err, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION));
    fail_unless_equals_string (err->message, rows[i].text);
    /* said once, although the sticky caps went twice */
    gst_message_unref (m);
    m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    fail_unless (m == NULL, "a second error");
    g_error_free (err);
    g_free (dbg);
    fail_unless_equals_int (srv->frames->len, 0);
    /* undeclared-modality=error, the default: nothing skipped */
    fail_unless_equals_uint64 (
        sensor_test_stat (sink, "undeclared-dropped"), 0);
    teardown_sink (sink, bus, h, NULL);
    test_server_free (srv);
  }
}

GST_END_TEST;

#define PPG_RED_CAPS                                                           \
  "application/x-raeh-frame, modality=ppg_red, "                               \
  "rate=100/1, channels=1, bit-depth=16"

/* undeclared-modality=skip: a modality the manifest lacks negotiates, one
 * warning names it and the device model, its frames are dropped and
 * counted, and the declared modality streams as before. */
GST_START_TEST (test_undeclared_modality_skip)
{
  TestServer *srv = test_server_new ();
  GstElement *sink;
  GstHarness *hp, *hr;
  GstBus *bus;
  GstMessage *m;
  GstStructure *stats;
  GError *err = NULL;
  gchar *dbg = NULL;
  const GstStructure *details = NULL;
  guint64 dropped, sent;
  gint mode;
  guint i;

  test_server_start (srv);
  sink = make_sink (srv, &bus);
  g_object_get (sink, "undeclared-modality", &mode, NULL);
  fail_unless_equals_int (mode, 0); /* error: the default */
  gst_util_set_object_arg (G_OBJECT (sink), "undeclared-modality", "skip");
  hp = gst_harness_new_with_element (sink, "sink_%u", NULL);
  hr = gst_harness_new_with_element (sink, "sink_%u", NULL);
  m = wait_message (bus, "raeh-session-start", 5);
  fail_unless (m != NULL);
  gst_message_unref (m);
  push_start (hp, PPG_CAPS);
  push_start (hr, PPG_RED_CAPS);

  m = wait_bus (bus, GST_MESSAGE_WARNING, NULL, 5 * GST_SECOND);
  fail_unless (m != NULL);
  gst_message_parse_warning (m, &err, &dbg);
  fail_unless (
      g_error_matches (err, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT));
  fail_unless_equals_string (err->message,
      "The Raeh manifest of device model " MODEL " declares no ppg_red "
      "stream (slots 7: ppg_green 100 Hz 16-bit x1, 3: acc_3axis 50 Hz "
      "16-bit x3): dropping its frames on pad sink_1 (counted in "
      "undeclared-dropped)");
  gst_message_parse_warning_details (m, &details);
  fail_unless (details != NULL);
  fail_unless_equals_string (
      gst_structure_get_string (details, "modality"), "ppg_red");
  fail_unless_equals_string (
      gst_structure_get_string (details, "device-model-id"), MODEL);
  g_clear_error (&err);
  g_free (dbg);
  gst_message_unref (m);

  for (i = 0; i < 3; i++)
    fail_unless_equals_int (
        gst_harness_push (hr, make_frame (1700000000000 + i * 1000, 100, 1, 0)),
        GST_FLOW_OK);
  for (i = 0; i < 2; i++)
    fail_unless_equals_int (
        gst_harness_push (
            hp, make_frame (1700000000000 + i * 1000, 100, 1, i * 100)),
        GST_FLOW_OK);
  /* sticky caps again: still one warning */
  gst_harness_push_event (hr, caps_event (PPG_RED_CAPS));
  fail_unless (test_server_wait_frames (srv, 2, 5));
  fail_unless_equals_int (srv->frames->len, 2);
  check_frame (srv, 0, 7, 1700000000000, 100, 1, 0);
  check_frame (srv, 1, 7, 1700000001000, 100, 1, 100);

  g_object_get (sink, "stats", &stats, NULL);
  fail_unless (
      gst_structure_get_uint64 (stats, "undeclared-dropped", &dropped));
  fail_unless_equals_uint64 (dropped, 3);
  fail_unless (gst_structure_get_uint64 (stats, "frames-sent", &sent));
  fail_unless_equals_uint64 (sent, 2);
  gst_structure_free (stats);
  m = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING | GST_MESSAGE_ERROR);
  fail_unless (m == NULL, "a second warning or an error");

  teardown_sink (sink, bus, hp, hr);
  test_server_free (srv);
}

GST_END_TEST;

/* Drives a bare raehsink to PAUSED and returns the error it posted: the
 * state change succeeds (it does not wait for the server), the error comes
 * when the server answers. */
static GstMessage *
pause_expecting_error (TestServer *srv, GstStateChangeReturn *ret,
    GstElement **out_sink, GstBus **out_bus)
{
  GstElement *sink;
  GstBus *bus;
  GstPad *pad;

  sink = make_sink (srv, &bus);
  g_object_set (sink, "timeout", 2, NULL);
  pad = gst_element_request_pad_simple (sink, "sink_%u");
  *ret = gst_element_set_state (sink, GST_STATE_PAUSED);
  gst_object_unref (pad);
  *out_sink = sink;
  *out_bus = bus;
  return wait_message (bus, "error", 5);
}

static void
assert_error_details (GstMessage *m, GQuark domain, gint code, guint close_code,
    const gchar *reason)
{
  GError *err = NULL;
  gchar *dbg = NULL;
  const GstStructure *details = NULL;
  guint got_code = 0;

  gst_message_parse_error (m, &err, &dbg);
  fail_unless (
      err->domain == domain && err->code == code, "%s (%s)", err->message, dbg);
  gst_message_parse_error_details (m, &details);
  fail_unless (details != NULL);
  fail_unless (gst_structure_get_uint (details, "close-code", &got_code));
  fail_unless_equals_int (got_code, close_code);
  fail_unless_equals_string (
      gst_structure_get_string (details, "close-reason"), reason);
  fail_unless (strstr (dbg, reason) != NULL, "%s", dbg);
  g_error_free (err);
  g_free (dbg);
}

static void
release_sink (GstElement *sink, GstBus *bus)
{
  gst_element_set_state (sink, GST_STATE_NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  gst_object_unref (sink);
}

/* 4001 at connect: an error with the code and the verbatim reason, and no
 * second attempt. */
GST_START_TEST (test_close_4001_fatal)
{
  TestServer *srv = test_server_new ();
  GstStateChangeReturn ret;
  GstElement *sink;
  GstBus *bus;
  GstMessage *m;

  srv->reject_code = 4001;
  srv->reject_reason = "Authentication failed: key revoked (raeh_t…)";
  test_server_start (srv);
  m = pause_expecting_error (srv, &ret, &sink, &bus);
  fail_unless_equals_int (ret, GST_STATE_CHANGE_SUCCESS);
  fail_unless (m != NULL);
  assert_error_details (m, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_NOT_AUTHORIZED, 4001, srv->reject_reason);
  gst_message_unref (m);
  g_usleep (1500 * 1000);
  fail_unless_equals_int (srv->connections, 1);
  release_sink (sink, bus);
  test_server_free (srv);
}

GST_END_TEST;

/* 4004 mid-stream (a frame the server refused): fatal, reason verbatim, the
 * streaming thread gets an error, no reconnect. */
GST_START_TEST (test_close_4004_fatal_mid_stream)
{
  TestServer *srv = test_server_new ();
  GstElement *sink;
  GstHarness *h;
  GstBus *bus;
  GstMessage *m;
  GstFlowReturn fret = GST_FLOW_OK;
  guint i;

  srv->close_connection = 0;
  srv->close_after = 1;
  srv->close_code = 4004;
  srv->close_reason = "slot_id 7 not in manifest";
  test_server_start (srv);
  sink = make_sink (srv, &bus);
  h = gst_harness_new_with_element (sink, "sink_%u", NULL);
  push_start (h, PPG_CAPS);
  fail_unless_equals_int (
      gst_harness_push (h, make_frame (1700000000000, 100, 1, 0)), GST_FLOW_OK);
  m = wait_message (bus, "error", 5);
  fail_unless (m != NULL);
  assert_error_details (m, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND,
      4004, "slot_id 7 not in manifest");
  gst_message_unref (m);
  for (i = 0; i < 3 && fret == GST_FLOW_OK; i++)
    fret =
        gst_harness_push (h, make_frame (1700000001000 + i * 1000, 100, 1, 0));
  fail_unless_equals_int (fret, GST_FLOW_ERROR);
  g_usleep (1500 * 1000);
  fail_unless_equals_int (srv->connections, 1);
  teardown_sink (sink, bus, h, NULL);
  test_server_free (srv);
}

GST_END_TEST;

/* Bad handshakes: a clear error naming what was wrong, never a hang. */
GST_START_TEST (test_bad_handshakes)
{
  struct
  {
    const gchar *text;
    gboolean binary, none;
    const gchar *needle;
  } rows[] = {
    { "hello", FALSE, FALSE, "handshake is not JSON" },
    { "{\"session_id\":\"s\"}", FALSE, FALSE, "handshake has no \"slots\"" },
    { "{\"session_id\":\"s\",\"slots\":[{\"slot_id\":\"0\","
      "\"modality\":\"ppg_green\"}]}",
        FALSE, FALSE, "slots[0].slot_id: expected an integer, got a string" },
    { NULL, TRUE, FALSE,
        "binary message (12 bytes) came before the JSON "
        "handshake" },
    { NULL, FALSE, TRUE, "within 2 s" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    TestServer *srv = test_server_new ();
    GstStateChangeReturn ret;
    GstElement *sink;
    GstBus *bus;
    GstMessage *m;
    GError *err = NULL;
    gchar *dbg = NULL;

    srv->handshakes[0] = rows[i].text;
    srv->binary_first = rows[i].binary;
    srv->no_handshake = rows[i].none;
    test_server_start (srv);
    m = pause_expecting_error (srv, &ret, &sink, &bus);
    fail_unless_equals_int (ret, GST_STATE_CHANGE_SUCCESS);
    fail_unless (m != NULL, "row %u: no error", i);
    gst_message_parse_error (m, &err, &dbg);
    fail_unless (err->domain == GST_RESOURCE_ERROR);
    fail_unless (strstr (dbg, rows[i].needle) != NULL ||
            strstr (err->message, rows[i].needle) != NULL,
        "row %u: %s / %s", i, err->message, dbg);
    g_error_free (err);
    g_free (dbg);
    gst_message_unref (m);
    release_sink (sink, bus);
    test_server_free (srv);
  }
}

GST_END_TEST;

/* A port nothing listens on (bound, read, closed). */
static guint
free_port (void)
{
  GSocket *sock =
      g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *addr = g_inet_socket_address_new (lo, 0), *bound;
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

/* A bare raehsink (one requested pad, no harness) for @location. */
static GstElement *
make_bare_sink (const gchar *location, GstBus **bus)
{
  GstElement *sink = gst_element_factory_make ("raehsink", NULL);
  GstPad *pad = gst_element_request_pad_simple (sink, "sink_%u");

  gst_object_unref (pad);
  *bus = gst_bus_new ();
  gst_element_set_bus (sink, *bus);
  g_object_set (sink, "location", location, "api-key", "raeh_x", "device-id",
      "d", "device-model-id", MODEL, "timeout", 2, "retry-backoff-max", 1.0,
      "sync", FALSE, NULL);
  return sink;
}

/* Nothing listens: a warning naming the refusal at once, and the sink goes
 * on retrying (retries=-1) instead of failing the state change. */
GST_START_TEST (test_connection_refused_warns_and_retries)
{
  gchar *loc =
      g_strdup_printf ("ws://127.0.0.1:%u/stream/ingest", free_port ());
  GstBus *bus;
  GstElement *sink = make_bare_sink (loc, &bus);
  GstMessage *m;
  guint attempt = 0, failures = 0;

  fail_unless (gst_element_set_state (sink, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  m = wait_bus (bus, GST_MESSAGE_WARNING, NULL, 2 * GST_SECOND);
  fail_unless (m != NULL, "no warning within 2 s");
  assert_text (
      m, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE, "refused");
  assert_text (m, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE, loc);
  {
    const GstStructure *details = NULL;

    gst_message_parse_warning_details (m, &details);
    fail_unless (details != NULL);
    fail_unless (gst_structure_get_uint (details, "failures", &failures));
    fail_unless_equals_int (failures, 1);
  }
  gst_message_unref (m);
  /* still trying: a second retry is scheduled, and no error came */
  do {
    m = wait_bus (bus, 0, "reconnecting", 10 * GST_SECOND);
    fail_unless (m != NULL, "no second reconnect");
    fail_unless (gst_structure_get_uint (
        gst_message_get_structure (m), "attempt", &attempt));
    fail_unless (strstr (gst_structure_get_string (
                             gst_message_get_structure (m), "reason"),
                     "refused") != NULL);
    gst_message_unref (m);
  } while (attempt < 2);
  release_sink (sink, bus);
  g_free (loc);
}

GST_END_TEST;

/* retries=1: one retry, then an error naming the cause. */
GST_START_TEST (test_connection_refused_retries_exhausted)
{
  gchar *loc =
      g_strdup_printf ("ws://127.0.0.1:%u/stream/ingest", free_port ());
  GstBus *bus;
  GstElement *sink = make_bare_sink (loc, &bus);
  GstMessage *m;
  guint attempt = 0;

  g_object_set (sink, "retries", 1, NULL);
  fail_unless (gst_element_set_state (sink, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  m = wait_bus (bus, 0, "reconnecting", 5 * GST_SECOND);
  fail_unless (m != NULL);
  fail_unless (gst_structure_get_uint (
      gst_message_get_structure (m), "attempt", &attempt));
  fail_unless_equals_int (attempt, 1);
  gst_message_unref (m);
  m = wait_message (bus, "error", 10);
  fail_unless (m != NULL, "no error after the retry");
  assert_text (
      m, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE, "refused");
  assert_text (m, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
      "gave up after 2 attempts");
  gst_message_unref (m);
  release_sink (sink, bus);
  g_free (loc);
}

GST_END_TEST;

/* A location that is no WebSocket URL is a settings error at once. */
GST_START_TEST (test_invalid_location)
{
  const gchar *rows[] = {
    "http://127.0.0.1:8765/stream/ingest",
    "not a url",
    "ws:///stream/ingest",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    GstBus *bus;
    GstElement *sink = make_bare_sink (rows[i], &bus);
    GstMessage *m;

    fail_unless_equals_int (gst_element_set_state (sink, GST_STATE_PAUSED),
        GST_STATE_CHANGE_FAILURE);
    m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    fail_unless (m != NULL, "row %u: no error", i);
    assert_text (
        m, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS, "ws:// or wss://");
    assert_text (m, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS, rows[i]);
    gst_message_unref (m);
    release_sink (sink, bus);
  }
}

GST_END_TEST;

/* A gateway that boots before its network: the server comes up 2 s after
 * the pipeline went to PLAYING, and the frames pushed meanwhile arrive. */
GST_START_TEST (test_start_before_network)
{
  TestServer *srv = test_server_new ();
  GstElement *pipeline, *src, *sink;
  gchar *uri;
  guint i;

  srv->want_port = free_port ();
  srv->port = srv->want_port;
  uri = test_server_uri (srv);
  srv->port = 0;
  pipeline = gst_parse_launch (
      "appsrc name=src format=time caps=\"" PPG_CAPS "\" ! raehsink name=sink "
      "sync=false api-key=raeh_test device-id=d retry-backoff-max=1.0 "
      "device-model-id=" MODEL,
      NULL);
  fail_unless (pipeline != NULL);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (sink, "location", uri, NULL);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  for (i = 0; i < 3; i++)
    fail_unless_equals_int (
        appsrc_push (src, make_frame (1700000000000 + i * 1000, 100, 1, i)),
        GST_FLOW_OK);
  {
    GstFlowReturn r;

    g_signal_emit_by_name (src, "end-of-stream", &r);
  }
  g_usleep (2 * G_USEC_PER_SEC);
  fail_unless_equals_int (srv->connections, 0);
  test_server_start (srv);
  sensor_test_wait_eos (pipeline, 15 * GST_SECOND);
  /* EOS means handed to the socket, not read by the server */
  fail_unless (test_server_wait_frames (srv, 3, 5));
  g_usleep (100 * 1000);
  fail_unless_equals_int (srv->frames->len, 3);
  for (i = 0; i < 3; i++)
    check_frame (srv, i, 7, 1700000000000 + i * 1000, 100, 1, i);
  {
    GstBus *bus = gst_element_get_bus (pipeline);

    gst_bus_set_flushing (bus, TRUE);
    gst_object_unref (bus);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  test_server_free (srv);
  g_free (uri);
}

GST_END_TEST;

/* The server drops the session after frame 5 (1011). Frames 6..10 are
 * pushed while the new session's handshake is held back, so they wait in
 * the buffer; after it they go out in order with the new slot id (12), and
 * every frame reaches the server exactly once. */
GST_START_TEST (test_reconnect_every_frame_once_in_order)
{
  TestServer *srv = test_server_new ();
  GstElement *sink;
  GstHarness *h;
  GstBus *bus;
  GstMessage *m;
  GstStructure *stats;
  guint i, code = 0;
  guint64 sent, dropped, reconnects;

  srv->handshakes[1] = manifest_b;
  srv->close_connection = 0;
  srv->close_after = 5;
  srv->close_code = 1011;
  srv->close_reason = "server restart";
  srv->hold_connection = 1;
  test_server_start (srv);
  sink = make_sink (srv, &bus);
  h = gst_harness_new_with_element (sink, "sink_%u", NULL);
  m = wait_message (bus, "raeh-session-start", 5);
  fail_unless (m != NULL);
  gst_message_unref (m);
  push_start (h, PPG_CAPS);

  for (i = 0; i < 5; i++)
    fail_unless_equals_int (
        gst_harness_push (
            h, make_frame (1700000000000 + i * 1000, 100, 1, i * 100)),
        GST_FLOW_OK);
  fail_unless (test_server_wait_frames (srv, 5, 5));
  m = wait_message (bus, "raeh-session-end", 5);
  fail_unless (m != NULL);
  fail_unless (gst_structure_get_uint (
      gst_message_get_structure (m), "close-code", &code));
  fail_unless_equals_int (code, 1011);
  fail_unless_equals_string (
      gst_structure_get_string (gst_message_get_structure (m), "close-reason"),
      "server restart");
  gst_message_unref (m);
  m = wait_bus (bus, 0, "disconnected", 5 * GST_SECOND);
  fail_unless (m != NULL);
  fail_unless_equals_string (
      gst_structure_get_string (gst_message_get_structure (m), "reason"),
      "closed with code 1011 \"server restart\"");
  gst_message_unref (m);
  m = wait_bus (bus, 0, "reconnecting", 5 * GST_SECOND);
  fail_unless (m != NULL);
  gst_message_unref (m);

  for (i = 5; i < 10; i++)
    fail_unless_equals_int (
        gst_harness_push (
            h, make_frame (1700000000000 + i * 1000, 100, 1, i * 100)),
        GST_FLOW_OK);
  fail_unless (test_server_wait (srv, &srv->connections, 2, 10));
  g_usleep (200 * 1000);
  fail_unless_equals_int (srv->frames->len, 5);
  test_server_release (srv);
  m = wait_message (bus, "raeh-session-start", 5);
  fail_unless (m != NULL);
  fail_unless_equals_string (
      gst_structure_get_string (gst_message_get_structure (m), "session-id"),
      "sess-b");
  gst_message_unref (m);

  for (i = 10; i < 12; i++)
    fail_unless_equals_int (
        gst_harness_push (
            h, make_frame (1700000000000 + i * 1000, 100, 1, i * 100)),
        GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  fail_unless (test_server_wait_frames (srv, 12, 5));
  g_usleep (100 * 1000);
  fail_unless_equals_int (srv->frames->len, 12);
  for (i = 0; i < 12; i++) {
    check_frame (
        srv, i, i < 5 ? 7 : 12, 1700000000000 + i * 1000, 100, 1, i * 100);
    fail_unless_equals_int (
        g_array_index (srv->frame_conn, guint, i), i < 5 ? 0 : 1);
  }
  g_object_get (sink, "stats", &stats, NULL);
  fail_unless (gst_structure_get_uint64 (stats, "reconnects", &reconnects));
  fail_unless_equals_uint64 (reconnects, 1);
  fail_unless (gst_structure_get_uint64 (stats, "frames-sent", &sent));
  fail_unless_equals_uint64 (sent, 12);
  fail_unless (gst_structure_get_uint64 (stats, "dropped", &dropped));
  fail_unless_equals_uint64 (dropped, 0);
  fail_unless_equals_int (
      g_value_get_int (gst_structure_get_value (stats, "last-close-code")),
      1011);
  gst_structure_free (stats);
  teardown_sink (sink, bus, h, NULL);
  test_server_free (srv);
}

GST_END_TEST;

/* While disconnected only max-buffer-time of frames is kept: the oldest
 * are dropped and counted, the newest arrive. */
GST_START_TEST (test_max_buffer_time_drops_oldest)
{
  TestServer *srv = test_server_new ();
  GstElement *sink;
  GstHarness *h;
  GstBus *bus;
  GstMessage *m;
  GstStructure *stats;
  guint64 dropped;
  guint i;

  srv->close_connection = 0;
  srv->close_after = 1;
  srv->close_code = 1001;
  srv->close_reason = "going away";
  srv->hold_connection = 1;
  test_server_start (srv);
  sink = make_sink (srv, &bus);
  g_object_set (sink, "max-buffer-time", 3 * GST_SECOND, NULL);
  h = gst_harness_new_with_element (sink, "sink_%u", NULL);
  push_start (h, PPG_CAPS);
  fail_unless_equals_int (
      gst_harness_push (h, make_frame (1700000000000, 100, 1, 0)), GST_FLOW_OK);
  m = wait_message (bus, "raeh-session-end", 5);
  fail_unless (m != NULL);
  gst_message_unref (m);
  for (i = 1; i <= 10; i++)
    fail_unless_equals_int (
        gst_harness_push (h, make_frame (1700000000000 + i * 1000, 100, 1, i)),
        GST_FLOW_OK);
  g_object_get (sink, "stats", &stats, NULL);
  fail_unless (gst_structure_get_uint64 (stats, "dropped", &dropped));
  fail_unless_equals_uint64 (dropped, 7);
  gst_structure_free (stats);
  fail_unless (test_server_wait (srv, &srv->connections, 2, 10));
  test_server_release (srv);
  fail_unless (test_server_wait_frames (srv, 4, 5));
  for (i = 0; i < 3; i++)
    check_frame (srv, 1 + i, 7, 1700000008000 + i * 1000, 100, 1, 8 + i);
  teardown_sink (sink, bus, h, NULL);
  test_server_free (srv);
}

GST_END_TEST;

/* Connected, a burst far beyond max-buffer-time is held back, not dropped:
 * every frame arrives, in order. */
GST_START_TEST (test_burst_connected_no_drops)
{
  TestServer *srv = test_server_new ();
  GstElement *sink;
  GstHarness *h;
  GstStructure *stats;
  guint64 dropped;
  guint i;

  test_server_start (srv);
  sink = make_sink (srv, NULL);
  g_object_set (sink, "max-buffer-time", 2 * GST_SECOND, NULL);
  h = gst_harness_new_with_element (sink, "sink_%u", NULL);
  push_start (h, PPG_CAPS);
  for (i = 0; i < 500; i++)
    fail_unless_equals_int (
        gst_harness_push (h, make_frame (1700000000000 + i * 1000, 100, 1, i)),
        GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  fail_unless (test_server_wait_frames (srv, 500, 10));
  for (i = 0; i < 500; i++)
    check_frame (srv, i, 7, 1700000000000 + i * 1000, 100, 1, i);
  g_object_get (sink, "stats", &stats, NULL);
  fail_unless (gst_structure_get_uint64 (stats, "dropped", &dropped));
  fail_unless_equals_uint64 (dropped, 0);
  gst_structure_free (stats);
  teardown_sink (sink, NULL, h, NULL);
  test_server_free (srv);
}

GST_END_TEST;

/* wss:// with a self-signed certificate: refused as a TLS failure (fatal,
 * named), accepted with tls-strict and the certificate as ca-file. */
GST_START_TEST (test_tls)
{
  gchar *cert = sensor_test_tls_certificate_file ();
  TestServer *srv = test_server_new ();
  GstStateChangeReturn ret;
  GstElement *sink;
  GstHarness *h;
  GstBus *bus;
  GstMessage *m;
  GError *err = NULL;
  gchar *dbg = NULL;

  srv->cert = sensor_test_tls_certificate ();
  test_server_start (srv);

  m = pause_expecting_error (srv, &ret, &sink, &bus);
  fail_unless_equals_int (ret, GST_STATE_CHANGE_SUCCESS);
  fail_unless (m != NULL);
  gst_message_parse_error (m, &err, &dbg);
  fail_unless (g_error_matches (
      err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE));
  fail_unless (strstr (err->message, "TLS") != NULL, "%s", err->message);
  g_clear_error (&err);
  g_free (dbg);
  gst_message_unref (m);
  release_sink (sink, bus);
  fail_unless_equals_int (srv->connections, 0);

  sink = make_sink (srv, &bus);
  g_object_set (sink, "ca-file", cert, NULL);
  h = gst_harness_new_with_element (sink, "sink_%u", NULL);
  m = wait_message (bus, "raeh-session-start", 5);
  fail_unless (m != NULL);
  gst_message_unref (m);
  push_start (h, PPG_CAPS);
  fail_unless_equals_int (
      gst_harness_push (h, make_frame (1700000000000, 100, 1, 0)), GST_FLOW_OK);
  fail_unless (test_server_wait_frames (srv, 1, 5));
  check_frame (srv, 0, 7, 1700000000000, 100, 1, 0);
  teardown_sink (sink, bus, h, NULL);
  test_server_free (srv);
  g_free (cert);
}

GST_END_TEST;

/* Request pads are numbered sink_%u and can be released, also while a
 * session runs. */
GST_START_TEST (test_request_release_pads)
{
  TestServer *srv = test_server_new ();
  GstElement *sink;
  GstHarness *h;
  GstPad *p1, *p2;

  test_server_start (srv);
  sink = make_sink (srv, NULL);
  p1 = gst_element_request_pad_simple (sink, "sink_%u");
  p2 = gst_element_request_pad_simple (sink, "sink_%u");
  fail_unless_equals_string (GST_PAD_NAME (p1), "sink_0");
  fail_unless_equals_string (GST_PAD_NAME (p2), "sink_1");
  gst_element_release_request_pad (sink, p1);
  gst_object_unref (p1);
  h = gst_harness_new_with_element (sink, "sink_%u", NULL);
  push_start (h, PPG_CAPS);
  fail_unless_equals_int (
      gst_harness_push (h, make_frame (1700000000000, 100, 1, 0)), GST_FLOW_OK);
  fail_unless (test_server_wait_frames (srv, 1, 5));
  gst_element_release_request_pad (sink, p2);
  gst_object_unref (p2);
  teardown_sink (sink, NULL, h, NULL);
  test_server_free (srv);
}

GST_END_TEST;

static glong
thread_count (void)
{
  gchar *text = NULL, *p;
  glong n = -1;

  if (g_file_get_contents ("/proc/self/status", &text, NULL, NULL) &&
      (p = strstr (text, "Threads:")))
    n = strtol (p + 8, NULL, 10);
  g_free (text);
  return n;
}

/* Sixteen sinks, sixteen sessions, still one network thread: the thread
 * count does not grow with the number of sinks. */
GST_START_TEST (test_sinks_share_one_network_thread)
{
  TestServer *srv = test_server_new ();
  GstElement *sinks[16];
  GstHarness *hs[16];
  glong one = -1, many;
  guint i;

  test_server_start (srv);
  for (i = 0; i < G_N_ELEMENTS (sinks); i++) {
    sinks[i] = make_sink (srv, NULL);
    hs[i] = gst_harness_new_with_element (sinks[i], "sink_%u", NULL);
    push_start (hs[i], PPG_CAPS);
    fail_unless_equals_int (
        gst_harness_push (hs[i], make_frame (1700000000000, 100, 1, i)),
        GST_FLOW_OK);
    if (i == 0) {
      fail_unless (test_server_wait_frames (srv, 1, 5));
      one = thread_count ();
    }
  }
  fail_unless (test_server_wait_frames (srv, G_N_ELEMENTS (sinks), 5));
  many = thread_count ();
  fail_unless_equals_int (srv->connections, G_N_ELEMENTS (sinks));
  /* a streaming thread per harness does not exist: pushes run here */
  fail_unless (many - one <= 1, "threads %ld -> %ld", one, many);
  for (i = 0; i < G_N_ELEMENTS (sinks); i++)
    teardown_sink (sinks[i], NULL, hs[i], NULL);
  test_server_free (srv);
}

GST_END_TEST;

static gpointer
push_thread (gpointer data)
{
  GstHarness *h = data;

  return GINT_TO_POINTER (
      gst_harness_push (h, make_frame (1700000000000, 100, 1, 0)));
}

/* sync=true: a frame goes out when its last sample is due on the clock. */
GST_START_TEST (test_sync_waits_for_clock)
{
  TestServer *srv = test_server_new ();
  GstElement *sink;
  GstHarness *h;
  GThread *t;

  test_server_start (srv);
  sink = make_sink (srv, NULL);
  h = gst_harness_new_with_element (sink, "sink_%u", NULL);
  /* the harness turns sync off on sinks */
  g_object_set (sink, "sync", TRUE, NULL);
  push_start (h, PPG_CAPS);
  t = g_thread_new ("push", push_thread, h);
  fail_unless (gst_harness_wait_for_clock_id_waits (h, 1, 5));
  g_usleep (100 * 1000);
  fail_unless_equals_int (srv->frames->len, 0);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  fail_unless_equals_int (GPOINTER_TO_INT (g_thread_join (t)), GST_FLOW_OK);
  fail_unless (test_server_wait_frames (srv, 1, 5));
  teardown_sink (sink, NULL, h, NULL);
  test_server_free (srv);
}

GST_END_TEST;

static Suite *
raehsink_suite (void)
{
  Suite *s = suite_create ("raehsink");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_handshake_slots_and_caps);
  tcase_add_test (tc, test_auth_header);
  tcase_add_test (tc, test_eos_closes_session);
  tcase_add_test (tc, test_request_release_pads);
  tcase_add_test (tc, test_sinks_share_one_network_thread);
  tcase_add_test (tc, test_negotiation_through_packer);
  tcase_add_test (tc, test_pad_mismatch);
  tcase_add_test (tc, test_undeclared_modality_skip);
  tcase_add_test (tc, test_close_4001_fatal);
  tcase_add_test (tc, test_close_4004_fatal_mid_stream);
  tcase_add_test (tc, test_bad_handshakes);
  tcase_add_test (tc, test_connection_refused_warns_and_retries);
  tcase_add_test (tc, test_connection_refused_retries_exhausted);
  tcase_add_test (tc, test_invalid_location);
  tcase_add_test (tc, test_start_before_network);
  tcase_add_test (tc, test_tls);
  tcase_add_test (tc, test_reconnect_every_frame_once_in_order);
  tcase_add_test (tc, test_max_buffer_time_drops_oldest);
  tcase_add_test (tc, test_burst_connected_no_drops);
  tcase_add_test (tc, test_sync_waits_for_clock);
  return s;
}

GST_CHECK_MAIN (raehsink);
