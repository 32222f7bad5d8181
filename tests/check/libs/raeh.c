/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Raeh codec: frame golden bytes, validation reasons, manifest parse and
 * serialise, and the heart-rate estimate.
 */
#include <math.h>
#include <string.h>
#include <gst/check/gstcheck.h>
#include <gst/raeh/raeh.h>

static const gchar *full_handshake =
    "{\"session_id\": \"ad225407-36de-48b1-bcf2-14d5c057aeca\", \"slots\": ["
    "{\"slot_id\": 3, \"modality_channel_id\": \"9f3a\", \"modality\": "
    "\"ppg_green\", \"sample_rate_hz\": 100, \"bit_depth\": 16, "
    "\"num_channels\": 1},"
    "{\"slot_id\": 9, \"modality\": \"acc_3axis\", \"sample_rate_hz\": 50, "
    "\"bit_depth\": 16, \"num_channels\": 3}]}";

static GBytes *
bytes_from_hex (const gchar *hex)
{
  gsize n = strlen (hex) / 2, i;
  guint8 *data = g_malloc (n);

  for (i = 0; i < n; i++)
    data[i] = (g_ascii_xdigit_value (hex[2 * i]) << 4) |
        g_ascii_xdigit_value (hex[2 * i + 1]);
  return g_bytes_new_take (data, n);
}

static void
assert_bytes_equal (GBytes *got, GBytes *want)
{
  if (!g_bytes_equal (got, want)) {
    gchar *a = g_compute_checksum_for_bytes (G_CHECKSUM_MD5, got);

    fail ("frame bytes differ (%s, %" G_GSIZE_FORMAT " vs %" G_GSIZE_FORMAT
          " bytes)",
        a, g_bytes_get_size (got), g_bytes_get_size (want));
    g_free (a);
  }
}

/* The bytes Python's struct.pack(">BqHB", ...) + "<h" samples produce. */
GST_START_TEST (test_frame_golden_s16)
{
  GstRaehFrameHeader h = { 0, 1700000000000, 3, 0 }, back;
  gint16 samples[] = { 2048, -1, 300 };
  guint8 payload[6];
  GBytes *frame, *want;
  guint i;

  for (i = 0; i < 3; i++) {
    payload[2 * i] = samples[i] & 0xff;
    payload[2 * i + 1] = ((guint16) samples[i]) >> 8;
  }
  frame = gst_raeh_frame_build (&h, payload, sizeof (payload));
  want = bytes_from_hex ("000000018bcfe568000003000008ffff2c01");
  assert_bytes_equal (frame, want);

  fail_unless (gst_raeh_frame_header_read (
      g_bytes_get_data (frame, NULL), g_bytes_get_size (frame), &back, NULL));
  fail_unless_equals_int (back.slot_id, 0);
  fail_unless_equals_int64 (back.t0_epoch_ms, 1700000000000);
  fail_unless_equals_int (back.sample_count, 3);
  fail_unless_equals_int (back.flags, 0);
  {
    const guint8 *p = (const guint8 *) g_bytes_get_data (frame, NULL) + 12;

    fail_unless_equals_int (gst_raeh_frame_get_sample (p, 16, 1), -1);
    fail_unless_equals_int (gst_raeh_frame_get_sample (p, 12, 2), 300);
  }
  g_bytes_unref (frame);
  g_bytes_unref (want);
}

GST_END_TEST;

/* 24-bit, 3 channels, sample-interleaved, sign-extended on read. */
GST_START_TEST (test_frame_golden_s24_interleaved)
{
  GstRaehFrameHeader h = { 7, 1760000000123, 2, 0 };
  const guint8 payload[] = { 0x01, 0x00, 0x80, 0xff, 0xff, 0x7f, 0x10, 0x20,
    0x30, 0x00, 0x00, 0x00, 0, 0, 0, 0xfe, 0xff, 0xff };
  GBytes *frame, *want;
  const guint8 *p;

  fail_unless_equals_int (gst_raeh_frame_payload_size (2, 24, 3), 18);
  fail_unless_equals_int (gst_raeh_frame_payload_size (2, 18, 3), 18);
  fail_unless_equals_int (gst_raeh_frame_payload_size (2, 12, 3), 12);
  frame = gst_raeh_frame_build (&h, payload, sizeof (payload));
  want = bytes_from_hex ("0700000199c82cc07b000200010080ffff7f10203000000000"
                         "0000feffff");
  assert_bytes_equal (frame, want);
  p = (const guint8 *) g_bytes_get_data (frame, NULL) + 12;
  fail_unless_equals_int (gst_raeh_frame_get_sample (p, 24, 0), -8388607);
  fail_unless_equals_int (gst_raeh_frame_get_sample (p, 24, 1), 8388607);
  fail_unless_equals_int (gst_raeh_frame_get_sample (p, 24, 2), 0x302010);
  fail_unless_equals_int (gst_raeh_frame_get_sample (p, 24, 5), -2);
  g_bytes_unref (frame);
  g_bytes_unref (want);
}

GST_END_TEST;

GST_START_TEST (test_frame_negative_t0)
{
  GstRaehFrameHeader h = { 1, -5, 0, 0 }, back;
  guint8 out[12];

  gst_raeh_frame_header_write (&h, out);
  fail_unless_equals_int (out[1], 0xff);
  fail_unless_equals_int (out[8], 0xfb);
  fail_unless (gst_raeh_frame_header_read (out, 12, &back, NULL));
  fail_unless_equals_int64 (back.t0_epoch_ms, -5);
}

GST_END_TEST;

GST_START_TEST (test_frame_validation_reasons)
{
  g_autoptr (GstRaehManifest) m = NULL;
  GstRaehFrameHeader h = { 3, 1700000000000, 100, 0 }, back;
  const GstRaehSlot *slot = NULL;
  const guint8 *payload = NULL;
  guint8 buf[12 + 200] = {
    0,
  };
  GError *err = NULL;

  m = gst_raeh_manifest_parse (full_handshake, -1, &err);
  fail_unless (m != NULL);

  /* a good frame for slot 3 */
  gst_raeh_frame_header_write (&h, buf);
  fail_unless (gst_raeh_frame_parse (
      buf, sizeof (buf), m, &back, &slot, &payload, &err));
  fail_unless_equals_string (slot->modality, "ppg_green");
  fail_unless (payload == buf + 12);

  /* the spec's example reason, word for word */
  fail_if (gst_raeh_frame_parse (buf, 12 + 180, m, &back, NULL, NULL, &err));
  fail_unless (
      g_error_matches (err, GST_RAEH_ERROR, GST_RAEH_ERROR_PAYLOAD_SIZE));
  fail_unless_equals_string (err->message,
      "payload size mismatch for slot 3 (ppg_green): got 180 bytes, "
      "expected 200");
  g_clear_error (&err);

  fail_if (gst_raeh_frame_parse (buf, 5, m, &back, NULL, NULL, &err));
  fail_unless (
      g_error_matches (err, GST_RAEH_ERROR, GST_RAEH_ERROR_HEADER_TOO_SHORT));
  fail_unless_equals_string (
      err->message, "header too short: got 5 bytes, expected 12");
  g_clear_error (&err);

  buf[0] = 0;
  fail_if (
      gst_raeh_frame_parse (buf, sizeof (buf), m, &back, NULL, NULL, &err));
  fail_unless (
      g_error_matches (err, GST_RAEH_ERROR, GST_RAEH_ERROR_UNKNOWN_SLOT));
  fail_unless_equals_string (err->message, "slot_id 0 not in manifest");
  g_clear_error (&err);
}

GST_END_TEST;

GST_START_TEST (test_manifest_parse_full)
{
  g_autoptr (GstRaehManifest) m = NULL;
  const GstRaehSlot *s;
  g_autofree gchar *desc = NULL;

  m = gst_raeh_manifest_parse (full_handshake, -1, NULL);
  fail_unless (m != NULL);
  fail_unless_equals_string (
      m->session_id, "ad225407-36de-48b1-bcf2-14d5c057aeca");
  fail_unless_equals_int (gst_raeh_manifest_get_n_slots (m), 2);
  s = gst_raeh_manifest_find_modality (m, "acc_3axis");
  fail_unless (s != NULL);
  fail_unless_equals_int (s->slot_id, 9);
  fail_unless_equals_float (s->sample_rate_hz, 50.0);
  fail_unless_equals_int (s->bit_depth, 16);
  fail_unless_equals_int (s->num_channels, 3);
  fail_unless (s->modality_channel_id == NULL);
  s = gst_raeh_manifest_find_slot (m, 3);
  fail_unless_equals_string (s->modality_channel_id, "9f3a");
  fail_unless (gst_raeh_manifest_find_modality (m, "ppg_red") == NULL);
  desc = gst_raeh_manifest_describe_slots (m);
  fail_unless_equals_string (
      desc, "3: ppg_green 100 Hz 16-bit x1, 9: acc_3axis 50 Hz 16-bit x3");
}

GST_END_TEST;

/* The register-device guide's abbreviated form: defaults fill the rest. */
GST_START_TEST (test_manifest_parse_abbreviated)
{
  g_autoptr (GstRaehManifest) m = NULL;
  const GstRaehSlot *s;

  m = gst_raeh_manifest_parse ("{\"session_id\":\"s\",\"slots\":["
                               "{\"slot_id\":0,\"modality\":\"ppg_green\"},"
                               "{\"slot_id\":1,\"modality\":\"acc_3axis\"}]}",
      -1, NULL);
  fail_unless (m != NULL);
  s = gst_raeh_manifest_get_slot (m, 1);
  fail_unless_equals_string (s->modality, "acc_3axis");
  fail_unless_equals_float (s->sample_rate_hz, 50.0);
  fail_unless_equals_int (s->bit_depth, 16);
  fail_unless_equals_int (s->num_channels, 3);
}

GST_END_TEST;

GST_START_TEST (test_manifest_bad)
{
  struct
  {
    const gchar *json;
    const gchar *message;
  } rows[] = {
    { "", "handshake is empty" },
    { "hello", NULL },
    { "[1,2]", "handshake is not a JSON object" },
    { "{\"session_id\":\"s\"}", "handshake has no \"slots\"" },
    { "{\"slots\":[]}", "handshake has no \"session_id\"" },
    { "{\"session_id\":5,\"slots\":[]}",
        "session_id: expected a string, got an integer" },
    { "{\"session_id\":\"s\",\"slots\":{}}",
        "slots: expected an array, got an object" },
    { "{\"session_id\":\"s\",\"slots\":[]}", "handshake has no slots" },
    { "{\"session_id\":\"s\",\"slots\":[1]}",
        "slots[0]: expected an object, got an integer" },
    { "{\"session_id\":\"s\",\"slots\":[{\"modality\":\"ppg_green\"}]}",
        "slots[0] has no \"slot_id\"" },
    { "{\"session_id\":\"s\",\"slots\":[{\"slot_id\":\"0\","
      "\"modality\":\"ppg_green\"}]}",
        "slots[0].slot_id: expected an integer, got a string" },
    { "{\"session_id\":\"s\",\"slots\":[{\"slot_id\":256,"
      "\"modality\":\"ppg_green\"}]}",
        "slots[0].slot_id: 256 is out of range 0..255" },
    { "{\"session_id\":\"s\",\"slots\":[{\"slot_id\":0,\"modality\":7}]}",
        "slots[0].modality: expected a non-empty string, got an integer" },
    { "{\"session_id\":\"s\",\"slots\":[{\"slot_id\":0,\"modality\":\"x\","
      "\"sample_rate_hz\":\"100\"}]}",
        "slots[0].sample_rate_hz: expected a number, got a string" },
    { "{\"session_id\":\"s\",\"slots\":[{\"slot_id\":0,\"modality\":\"x\"}]}",
        "slots[0] has no \"sample_rate_hz\" and modality \"x\" has no default "
        "rate" },
    { "{\"session_id\":\"s\",\"slots\":[{\"slot_id\":0,\"modality\":"
      "\"ppg_green\",\"bit_depth\":40}]}",
        "slots[0].bit_depth: 40 is out of range 1..32" },
    { "{\"session_id\":\"s\",\"slots\":[{\"slot_id\":0,\"modality\":"
      "\"ppg_green\",\"num_channels\":1.5}]}",
        "slots[0].num_channels: expected an integer, got a number" },
    { "{\"session_id\":\"s\",\"slots\":[{\"slot_id\":1,\"modality\":"
      "\"ppg_green\"},{\"slot_id\":1,\"modality\":\"acc_3axis\"}]}",
        "slots[1].slot_id: 1 is used twice" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    GError *err = NULL;
    GstRaehManifest *m = gst_raeh_manifest_parse (rows[i].json, -1, &err);

    fail_unless (m == NULL, "row %u parsed", i);
    fail_unless (
        g_error_matches (err, GST_RAEH_ERROR, GST_RAEH_ERROR_HANDSHAKE));
    if (rows[i].message) {
      fail_unless_equals_string (err->message, rows[i].message);
    } else {
      fail_unless (g_str_has_prefix (err->message, "handshake is not JSON: "),
          "%s", err->message);
    }
    g_error_free (err);
  }
}

GST_END_TEST;

static gchar *
brackets_after (const gchar *prefix, guint n)
{
  GString *s = g_string_new (prefix);

  while (n-- > 0)
    g_string_append_c (s, '[');
  return g_string_free (s, FALSE);
}

/* json-glib recursed into any depth and took non-JSON (072 as octal 58);
 * the handshake now passes the strict, bounded check first */
GST_START_TEST (test_manifest_strict_json)
{
  static const gchar *slot = "{\"session_id\":\"s\",\"slots\":[{\"slot_id\":0,"
                             "\"modality\":\"ppg_green\",\"x\":";
  struct
  {
    gchar *json;
    const gchar *message;
  } rows[] = {
    { brackets_after ("", 100000),
        "handshake is not JSON: nesting deeper than 32 at byte 32" },
    { brackets_after (slot, 100000),
        "handshake is not JSON: nesting deeper than 32 at byte 96" },
    { brackets_after ("{\"session_id\":\"s\",/*\"*/\"slots\":", 100000),
        "handshake is not JSON: comments are not JSON at byte 18" },
    { brackets_after ("{\"session_id\":'\"',\"slots\":", 100000),
        "handshake is not JSON: single-quoted strings are not JSON at byte "
        "14" },
    { g_strdup ("{\"session_id\":\"s\",\"slots\":[{\"slot_id\":072,"
                "\"modality\":\"ppg_green\"}]}"),
        "handshake is not JSON: number with a leading zero at byte 38" },
    { g_strdup ("{\"session_id\":\"s\",\"slots\":[{\"slot_id\":"
                "18446744073709551617,\"modality\":\"ppg_green\"}]}"),
        "handshake is not JSON: integer out of the 64-bit range at byte 38" },
    { g_strdup ("\xef\xbb\xbf{\"session_id\":\"s\",\"slots\":[{\"slot_id\":0,"
                "\"modality\":\"ppg_green\"}]}"),
        "handshake is not JSON: byte order mark before the value at byte 0" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    GError *err = NULL;
    GstRaehManifest *m = gst_raeh_manifest_parse (rows[i].json, -1, &err);

    fail_unless (m == NULL, "row %u parsed", i);
    fail_unless (
        g_error_matches (err, GST_RAEH_ERROR, GST_RAEH_ERROR_HANDSHAKE));
    fail_unless_equals_string (err->message, rows[i].message);
    g_error_free (err);
    g_free (rows[i].json);
  }
}

GST_END_TEST;

GST_START_TEST (test_manifest_roundtrip)
{
  g_autoptr (GstRaehManifest) m = NULL, back = NULL, copy = NULL;
  g_autofree gchar *json = NULL, *json2 = NULL;

  m = gst_raeh_manifest_new ("abc");
  gst_raeh_manifest_add_slot (m, 5, "ch-1", "ppg_green", 100, 16, 1);
  gst_raeh_manifest_add_slot (m, 6, NULL, "acc_3axis", 52.5, 12, 3);
  json = gst_raeh_manifest_serialise (m);
  fail_unless_equals_string (json,
      "{\"session_id\":\"abc\",\"slots\":[{\"slot_id\":5,"
      "\"modality_channel_id\":\"ch-1\",\"modality\":\"ppg_green\","
      "\"sample_rate_hz\":100,\"bit_depth\":16,\"num_channels\":1},"
      "{\"slot_id\":6,\"modality\":\"acc_3axis\",\"sample_rate_hz\":52.5,"
      "\"bit_depth\":12,\"num_channels\":3}]}");
  back = gst_raeh_manifest_parse (json, -1, NULL);
  fail_unless (back != NULL);
  copy = gst_raeh_manifest_copy (back);
  json2 = gst_raeh_manifest_serialise (copy);
  fail_unless_equals_string (json, json2);
}

GST_END_TEST;

/* A synthetic pulse at 72 bpm gives 72 bpm; a gap lowers the confidence. */
GST_START_TEST (test_hr_estimate)
{
  GstRaehHrEstimate est;
  gdouble samples[800];
  guint i;

  for (i = 0; i < G_N_ELEMENTS (samples); i++) {
    gdouble t = i / 100.0;

    samples[i] = 2048 + 500 * sin (2 * G_PI * 1.2 * t) + 3 * t;
  }
  fail_unless (gst_raeh_hr_estimate (samples, 800, 100, 8, 0, &est));
  fail_unless (fabs (est.bpm - 72.0) < 1.0, "bpm %f", est.bpm);
  fail_unless_equals_float (est.confidence, 1.0);
  fail_unless_equals_string (gst_raeh_sqi_class (est.confidence), "excellent");

  fail_unless (gst_raeh_hr_estimate (samples, 600, 100, 8, 1, &est));
  fail_unless (fabs (est.confidence - 0.75 * 0.875) < 1e-9);
  fail_unless_equals_string (gst_raeh_sqi_class (est.confidence), "acceptable");
  fail_unless_equals_string (gst_raeh_sqi_class (0.2), "unfit");

  /* too short or flat: no estimate, never a crash */
  fail_if (gst_raeh_hr_estimate (samples, 10, 100, 8, 0, &est));
  for (i = 0; i < G_N_ELEMENTS (samples); i++)
    samples[i] = 5;
  fail_if (gst_raeh_hr_estimate (samples, 800, 100, 8, 0, &est));
}

GST_END_TEST;

static Suite *
raeh_suite (void)
{
  Suite *s = suite_create ("raeh");
  TCase *tc = tcase_create ("codec");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_frame_golden_s16);
  tcase_add_test (tc, test_frame_golden_s24_interleaved);
  tcase_add_test (tc, test_frame_negative_t0);
  tcase_add_test (tc, test_frame_validation_reasons);
  tcase_add_test (tc, test_manifest_parse_full);
  tcase_add_test (tc, test_manifest_parse_abbreviated);
  tcase_add_test (tc, test_manifest_bad);
  tcase_add_test (tc, test_manifest_strict_json);
  tcase_add_test (tc, test_manifest_roundtrip);
  tcase_add_test (tc, test_hr_estimate);
  return s;
}

GST_CHECK_MAIN (raeh);
