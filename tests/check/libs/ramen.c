/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The pure parts of the RAMEN library: seq policy, cursor store, event ->
 * JSON, backoff.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <glib/gstdio.h>
#include <unistd.h>
#include <gst/check/gstcheck.h>
#include <gst/ramen/ramen-cursor.h>
#include <gst/ramen/ramen-event.h>
#include <gst/ramen/ramen-heartbeat.h>
#include <gst/ramen/ramen-proto.h>
#include <gst/ramen/ramen-seq.h>
#include <json-glib/json-glib.h>

GST_START_TEST (test_seq_policy)
{
  fail_unless_equals_int (
      gst_ramen_seq_decide (0, 1, FALSE), GST_RAMEN_SEQ_DELIVER);
  fail_unless_equals_int (
      gst_ramen_seq_decide (5, 6, TRUE), GST_RAMEN_SEQ_DELIVER);
  fail_unless_equals_int (
      gst_ramen_seq_decide (5, 5, FALSE), GST_RAMEN_SEQ_DUPLICATE);
  fail_unless_equals_int (
      gst_ramen_seq_decide (5, 2, TRUE), GST_RAMEN_SEQ_DUPLICATE);
  fail_unless_equals_int (
      gst_ramen_seq_decide (5, -1, FALSE), GST_RAMEN_SEQ_DUPLICATE);
  fail_unless_equals_int (
      gst_ramen_seq_decide (5, 7, FALSE), GST_RAMEN_SEQ_GAP);
  fail_unless_equals_int (
      gst_ramen_seq_decide (5, 7, TRUE), GST_RAMEN_SEQ_DELIVER_GAP);
}

GST_END_TEST;

GST_START_TEST (test_cursor_store)
{
  g_autofree gchar *dir = g_dir_make_tmp ("ramen-cursor-XXXXXX", NULL);
  g_autofree gchar *path = g_build_filename (dir, "cursor", NULL);
  g_autofree gchar *contents = NULL;
  GError *err = NULL;

  /* no file: a fresh stream */
  fail_unless_equals_int64 (gst_ramen_cursor_load (path, "a", "u", &err), 0);
  fail_unless (err == NULL);
  fail_unless (gst_ramen_cursor_save (path, "a", "u", 42, &err));
  fail_unless (g_file_get_contents (path, &contents, NULL, NULL));
  fail_unless_equals_string (
      contents, "[ramen]\napp_id=a\nuser_id=u\nlast_acknowledged_seq=42\n");
  fail_unless_equals_int64 (gst_ramen_cursor_load (path, "a", "u", &err), 42);
  fail_unless (gst_ramen_cursor_save (path, "a", "u", 43, &err));
  fail_unless_equals_int64 (gst_ramen_cursor_load (path, "a", "u", &err), 43);
  /* another user's cursor is not ours */
  fail_unless_equals_int64 (gst_ramen_cursor_load (path, "a", "v", &err), 0);
  fail_unless_equals_int64 (gst_ramen_cursor_load (path, "b", "u", &err), 0);
  /* no temporary files left behind */
  {
    GDir *d = g_dir_open (dir, 0, NULL);
    guint n = 0;

    while (g_dir_read_name (d))
      n++;
    g_dir_close (d);
    fail_unless_equals_int (n, 1);
  }
  /* malformed */
  fail_unless (g_file_set_contents (path,
      "[ramen]\napp_id=a\nuser_id=u\n"
      "last_acknowledged_seq=x\n",
      -1, NULL));
  fail_unless_equals_int64 (gst_ramen_cursor_load (path, "a", "u", &err), -1);
  fail_unless (err != NULL);
  g_clear_error (&err);
  fail_unless (g_file_set_contents (path, "\xff\xfe garbage", -1, NULL));
  fail_unless_equals_int64 (gst_ramen_cursor_load (path, "a", "u", &err), -1);
  g_clear_error (&err);
  g_unlink (path);
  g_rmdir (dir);
}

GST_END_TEST;

static gchar *
to_json (Ramen__V1__EventEnvelope *ev, GstRamenPayloadKind *kind, GError **err)
{
  GString *s = g_string_new ("prefix:");

  if (!gst_ramen_event_to_json (ev, s, kind, err)) {
    fail_unless_equals_string (s->str, "prefix:");
    g_string_free (s, TRUE);
    return NULL;
  }
  return g_string_free (s, FALSE);
}

GST_START_TEST (test_event_json)
{
  Ramen__V1__EventEnvelope ev;
  Ramen__V1__DeliveryMeta d;
  Google__Protobuf__Timestamp created, first_sent;
  const gchar *payload = "{\"a\": [1, 2.50],\n \"b\": \"x\\ny\"}";
  guint8 bin[] = { 0x00, 0xff, 0x10 };
  GstRamenPayloadKind kind;
  GError *err = NULL;
  gchar *json;

  ramen__v1__event_envelope__init (&ev);
  ramen__v1__delivery_meta__init (&d);
  gst_ramen_timestamp_set (
      &created, G_GINT64_CONSTANT (1767225600) * 1000000000 + 5);
  gst_ramen_timestamp_set (
      &first_sent, G_GINT64_CONSTANT (1767225601) * 1000000000 + 250000000);
  ev.event_id = (char *) "e\"1\\\x01";
  ev.seq = 7;
  ev.provider = (char *) "whoop";
  ev.event_type = (char *) "sleep.updated";
  ev.raw_id = (char *) "r";
  ev.payload.data = (guint8 *) payload;
  ev.payload.len = strlen (payload);
  ev.created_at = &created;
  d.attempt = 3;
  d.first_sent_at = &first_sent;
  d.is_replay = TRUE;
  ev.delivery = &d;

  json = to_json (&ev, &kind, &err);
  fail_unless_equals_int (kind, GST_RAMEN_PAYLOAD_JSON);
  fail_unless_equals_string (json,
      "prefix:"
      "{\"event_id\":\"e\\\"1\\\\\\u0001\",\"seq\":7,\"provider\":\"whoop\","
      "\"event_type\":\"sleep.updated\",\"raw_id\":\"r\","
      "\"payload\":{\"a\": [1, 2.50],  \"b\": \"x\\ny\"},"
      "\"payload_encoding\":\"json\","
      "\"created_at\":\"2026-01-01T00:00:00.000000005Z\",\"attempt\":3,"
      "\"first_sent_at\":\"2026-01-01T00:00:01.250Z\",\"is_replay\":true}\n");
  g_free (json);

  /* not JSON: base64; no payload, no timestamps, no delivery: nulls */
  ev.payload.data = bin;
  ev.payload.len = sizeof (bin);
  json = to_json (&ev, &kind, &err);
  fail_unless_equals_int (kind, GST_RAMEN_PAYLOAD_BASE64);
  fail_unless (strstr (json,
                   "\"payload\":\"AP8Q\",\"payload_encoding\":"
                   "\"base64\"") != NULL);
  g_free (json);
  ev.payload.len = 0;
  ev.created_at = NULL;
  ev.delivery = NULL;
  ev.event_id = NULL;
  json = to_json (&ev, &kind, &err);
  fail_unless_equals_int (kind, GST_RAMEN_PAYLOAD_NONE);
  fail_unless_equals_string (json,
      "prefix:{\"event_id\":\"\",\"seq\":7,"
      "\"provider\":\"whoop\",\"event_type\":\"sleep.updated\","
      "\"raw_id\":\"r\",\"payload\":null,\"payload_encoding\":null,"
      "\"created_at\":null,\"attempt\":0,\"first_sent_at\":null,"
      "\"is_replay\":false}\n");
  g_free (json);

  /* invalid UTF-8 in a string field: an error, nothing written */
  ev.provider = (char *) "wh\xc3\x28";
  fail_unless (to_json (&ev, &kind, &err) == NULL);
  fail_unless (g_error_matches (
      err, GST_RAMEN_EVENT_ERROR, GST_RAMEN_EVENT_ERROR_INVALID_UTF8));
  g_clear_error (&err);
}

GST_END_TEST;

static gchar *
created_at_of (gint64 seconds, gint32 nanos)
{
  Ramen__V1__EventEnvelope ev;
  Google__Protobuf__Timestamp ts;
  GString *s = g_string_new (NULL);
  gchar *start, *end, *ret;

  ramen__v1__event_envelope__init (&ev);
  google__protobuf__timestamp__init (&ts);
  ts.seconds = seconds;
  ts.nanos = nanos;
  ev.created_at = &ts;
  fail_unless (gst_ramen_event_to_json (&ev, s, NULL, NULL));
  start = strstr (s->str, "\"created_at\":") + strlen ("\"created_at\":");
  end = strstr (start, ",\"attempt\"");
  ret = g_strndup (start, end - start);
  g_string_free (s, TRUE);
  return ret;
}

GST_START_TEST (test_timestamps)
{
  const gint64 samples[] = { 0, -1, 1767225600, 951782400 /* 2000-02-29 */,
    1709164800 /* 2024-02-29 */, 4102444800 /* 2100-01-01 */,
    G_GINT64_CONSTANT (253402300799), -2208988800 /* 1900-01-01 */, 86399,
    86400 };
  gchar *got;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (samples); i++) {
    GDateTime *dt = g_date_time_new_from_unix_utc (samples[i]);
    gchar *want = g_date_time_format (dt, "\"%Y-%m-%dT%H:%M:%SZ\"");

    got = created_at_of (samples[i], 0);
    fail_unless_equals_string (got, want);
    g_free (got);
    g_free (want);
    g_date_time_unref (dt);
  }
  /* every day over four centuries of leap rules */
  for (i = 0; i < 146097; i += 7) {
    gint64 t = G_GINT64_CONSTANT (-12219292800) + (gint64) i * 86400 + 3723;
    GDateTime *dt = g_date_time_new_from_unix_utc (t);
    gchar *want = g_date_time_format (dt, "\"%Y-%m-%dT%H:%M:%SZ\"");

    got = created_at_of (t, 0);
    fail_unless_equals_string (got, want);
    g_free (got);
    g_free (want);
    g_date_time_unref (dt);
  }
  /* RFC 3339 wants four digits */
  got = created_at_of (G_GINT64_CONSTANT (-62135596800), 0);
  fail_unless_equals_string (got, "\"0001-01-01T00:00:00Z\"");
  g_free (got);
  got = created_at_of (0, 120000000);
  fail_unless_equals_string (got, "\"1970-01-01T00:00:00.120Z\"");
  g_free (got);
  got = created_at_of (0, 1);
  fail_unless_equals_string (got, "\"1970-01-01T00:00:00.000000001Z\"");
  g_free (got);
  /* outside the Timestamp range or invalid nanos: null */
  got = created_at_of (G_GINT64_CONSTANT (-62135596801), 0);
  fail_unless_equals_string (got, "null");
  g_free (got);
  got = created_at_of (G_GINT64_CONSTANT (253402300800), 0);
  fail_unless_equals_string (got, "null");
  g_free (got);
  got = created_at_of (G_MININT64, 0);
  fail_unless_equals_string (got, "null");
  g_free (got);
  got = created_at_of (0, -1);
  fail_unless_equals_string (got, "null");
  g_free (got);
  got = created_at_of (0, 1000000000);
  fail_unless_equals_string (got, "null");
  g_free (got);
}

GST_END_TEST;

GST_START_TEST (test_payload_kind)
{
  GString *deep = g_string_new (NULL);
  guint i;

  fail_unless_equals_int (
      gst_ramen_payload_kind ((guint8 *) "", 0), GST_RAMEN_PAYLOAD_NONE);
  fail_unless_equals_int (
      gst_ramen_payload_kind ((guint8 *) "[1]", 3), GST_RAMEN_PAYLOAD_JSON);
  fail_unless_equals_int (
      gst_ramen_payload_kind ((guint8 *) "\"s\"", 3), GST_RAMEN_PAYLOAD_JSON);
  fail_unless_equals_int (gst_ramen_payload_kind ((guint8 *) "{\"a\":", 5),
      GST_RAMEN_PAYLOAD_BASE64);
  /* a comment, an embedded NUL, a raw control in a string, invalid UTF-8 */
  fail_unless_equals_int (gst_ramen_payload_kind ((guint8 *) "/*x*/1", 6),
      GST_RAMEN_PAYLOAD_BASE64);
  fail_unless_equals_int (
      gst_ramen_payload_kind ((guint8 *) "[1]\0", 4), GST_RAMEN_PAYLOAD_BASE64);
  fail_unless_equals_int (gst_ramen_payload_kind ((guint8 *) "\"a\nb\"", 5),
      GST_RAMEN_PAYLOAD_BASE64);
  fail_unless_equals_int (gst_ramen_payload_kind ((guint8 *) "\"\xff\"", 3),
      GST_RAMEN_PAYLOAD_BASE64);
  /* too deep to parse recursively */
  for (i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  fail_unless_equals_int (
      gst_ramen_payload_kind ((guint8 *) deep->str, deep->len),
      GST_RAMEN_PAYLOAD_BASE64);
  g_string_free (deep, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_heartbeat_interval)
{
  const gint64 S = G_USEC_PER_SEC;

  fail_unless_equals_int64 (gst_ramen_heartbeat_interval_us (0, 0), 30 * S);
  fail_unless_equals_int64 (gst_ramen_heartbeat_interval_us (-4, 0), 30 * S);
  fail_unless_equals_int64 (gst_ramen_heartbeat_interval_us (1, 0), 5 * S);
  fail_unless_equals_int64 (gst_ramen_heartbeat_interval_us (5, 0), 5 * S);
  fail_unless_equals_int64 (gst_ramen_heartbeat_interval_us (42, 0), 42 * S);
  fail_unless_equals_int64 (gst_ramen_heartbeat_interval_us (300, 0), 300 * S);
  fail_unless_equals_int64 (
      gst_ramen_heartbeat_interval_us (G_MAXINT32, 0), 300 * S);
  /* the test override wins */
  fail_unless_equals_int64 (gst_ramen_heartbeat_interval_us (42, 50), 50000);
}

GST_END_TEST;

GST_START_TEST (test_proto_field_numbers)
{
  /* SubscribeRequest{user_id(4)="u", last_seq(5)=300} inside
   * ClientMessage.subscribe(1): the published field numbers on the wire */
  Ramen__V1__ClientMessage msg;
  Ramen__V1__SubscribeRequest req;
  const guint8 expected[] = { 0x0a, 0x06, 0x22, 0x01, 'u', 0x28, 0xac, 0x02 };
  GBytes *b;
  gsize len;
  const guint8 *data;

  ramen__v1__client_message__init (&msg);
  ramen__v1__subscribe_request__init (&req);
  req.user_id = (char *) "u";
  req.last_seq = 300;
  msg.message_case = RAMEN__V1__CLIENT_MESSAGE__MESSAGE_SUBSCRIBE;
  msg.subscribe = &req;
  b = gst_ramen_pack (&msg.base);
  data = g_bytes_get_data (b, &len);
  fail_unless_equals_int (len, sizeof (expected));
  fail_unless (memcmp (data, expected, len) == 0);
  g_bytes_unref (b);
}

GST_END_TEST;

/* Values no real stream reaches are corrupt, named in the error, and the
 * file can be set aside for inspection. */
GST_START_TEST (test_cursor_bounds)
{
  g_autofree gchar *dir = g_dir_make_tmp ("ramen-cursor-XXXXXX", NULL);
  g_autofree gchar *path = g_build_filename (dir, "cursor", NULL);
  g_autofree gchar *aside = g_strconcat (path, ".corrupt", NULL);
  struct
  {
    const gchar *file;
    gint64 seq;         /* -1: corrupt */
    const gchar *error; /* message, for corrupt ones */
  } rows[] = {
    { "last_acknowledged_seq=9007199254740991\n",
        G_GINT64_CONSTANT (9007199254740991), NULL },
    { "last_acknowledged_seq=0\n", 0, NULL },
    { "last_acknowledged_seq=9223372036854775807\n", -1,
        "last_acknowledged_seq 9223372036854775807 is out of range "
        "(0..9007199254740991)" },
    { "last_acknowledged_seq=9007199254740992\n", -1,
        "last_acknowledged_seq 9007199254740992 is out of range "
        "(0..9007199254740991)" },
    { "last_acknowledged_seq=-1\n", -1,
        "last_acknowledged_seq -1 is out of range (0..9007199254740991)" },
    { "last_acknowledged_seq=99999999999999999999999\n", -1,
        "last_acknowledged_seq \"99999999999999999999999\" is not a number" },
    { "last_acknowledged_seq=12abc\n", -1,
        "last_acknowledged_seq \"12abc\" is not a number" },
    { "", -1, "no last_acknowledged_seq" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    g_autofree gchar *contents =
        g_strconcat ("[ramen]\napp_id=a\nuser_id=u\n", rows[i].file, NULL);
    GError *err = NULL;

    fail_unless (g_file_set_contents (path, contents, -1, NULL));
    fail_unless_equals_int64 (
        gst_ramen_cursor_load (path, "a", "u", &err), rows[i].seq);
    if (rows[i].error) {
      fail_unless (err != NULL, "row %u", i);
      fail_unless (g_error_matches (err, GST_RAMEN_CURSOR_ERROR,
                       GST_RAMEN_CURSOR_ERROR_CORRUPT),
          "row %u: %s", i, err->message);
      fail_unless_equals_string (err->message, rows[i].error);
      g_clear_error (&err);
    } else {
      fail_unless (err == NULL, "row %u: %s", i, err->message);
    }
  }
  /* not a key file at all: corrupt too */
  {
    GError *err = NULL;
    g_autofree gchar *kept = NULL;
    g_autofree gchar *contents = NULL;

    fail_unless (g_file_set_contents (path, "\xff\xfe garbage", -1, NULL));
    fail_unless_equals_int64 (gst_ramen_cursor_load (path, "a", "u", &err), -1);
    fail_unless (g_error_matches (
        err, GST_RAMEN_CURSOR_ERROR, GST_RAMEN_CURSOR_ERROR_CORRUPT));
    g_clear_error (&err);
    /* set aside: renamed to PATH.corrupt, the old copy replaced */
    fail_unless (g_file_set_contents (aside, "older", -1, NULL));
    kept = gst_ramen_cursor_set_aside (path, &err);
    fail_unless (err == NULL);
    fail_unless_equals_string (kept, aside);
    fail_if (g_file_test (path, G_FILE_TEST_EXISTS));
    fail_unless (g_file_get_contents (aside, &contents, NULL, NULL));
    fail_unless_equals_string (contents, "\xff\xfe garbage");
    /* then it loads as no cursor */
    fail_unless_equals_int64 (gst_ramen_cursor_load (path, "a", "u", &err), 0);
  }
  /* unreadable is not corrupt: the caller must not set it aside */
  if (getuid () != 0) {
    GError *err = NULL;

    fail_unless (g_file_set_contents (path, "[ramen]\n", -1, NULL));
    g_chmod (path, 0);
    fail_unless_equals_int64 (gst_ramen_cursor_load (path, "a", "u", &err), -1);
    fail_unless (g_error_matches (err, G_FILE_ERROR, G_FILE_ERROR_ACCES));
    g_clear_error (&err);
  }
  g_unlink (path);
  g_unlink (aside);
  g_rmdir (dir);
}

GST_END_TEST;

static Suite *
ramen_suite (void)
{
  Suite *s = suite_create ("ramen");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_seq_policy);
  tcase_add_test (tc, test_cursor_store);
  tcase_add_test (tc, test_cursor_bounds);
  tcase_add_test (tc, test_event_json);
  tcase_add_test (tc, test_timestamps);
  tcase_add_test (tc, test_payload_kind);
  tcase_add_test (tc, test_heartbeat_interval);
  tcase_add_test (tc, test_proto_field_numbers);
  return s;
}

GST_CHECK_MAIN (ramen);
