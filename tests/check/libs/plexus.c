/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Tables for the Plexus protocol library: every server frame, tolerance of
 * unknown members and types, base64 and JPEG checks, URIs, the auth frame
 * and the close-code policy.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>
#include <turbojpeg.h>
#include <gst/check/gstcheck.h>
#include <gst/plexus/plexus.h>
#include <gst/plexus/plexus-decoder.h>
#include <gst/plexus/plexus-video.h>

static GstPlexusFrame *
parse_ok (const gchar *text)
{
  GError *err = NULL;
  GstPlexusFrame *f = gst_plexus_frame_parse (
      text, strlen (text), GST_PLEXUS_MAX_MESSAGE_SIZE, &err);

  if (!f)
    fail ("parse of %s failed: %s", text, err->message);
  return f;
}

static GBytes *
make_jpeg (gint w, gint h, int subsamp)
{
  tjhandle tj = tjInitCompress ();
  guint8 *rgb = g_malloc (w * h * 3);
  guint8 *jpeg = NULL;
  unsigned long size = 0;
  GBytes *b;
  gint i;

  for (i = 0; i < w * h * 3; i++)
    rgb[i] = (i * 7) & 0xff;
  fail_unless (tjCompress2 (tj, rgb, w, w * 3, h, TJPF_RGB, &jpeg, &size,
                   subsamp, 85, 0) == 0);
  b = g_bytes_new (jpeg, size);
  tjFree (jpeg);
  tjDestroy (tj);
  g_free (rgb);
  return b;
}

GST_START_TEST (test_telemetry_value_types)
{
  /* int and float ms timestamps, values of any type, the removed `alert`,
   * unknown members, NaN written by a lax encoder, non-object entries */
  const gchar *text =
      "{\"type\":\"telemetry\",\"extra\":{\"x\":[1,2]},"
      "\"points\":["
      "{\"v\":1,\"org_id\":\"o\",\"source_id\":\"robot-01\","
      "\"class\":\"metric\",\"metric\":\"battery.percent\",\"value\":86.5,"
      "\"timestamp\":1746969660000,\"alert\":0,\"tags\":{\"a\":\"b\"}},"
      "{\"metric\":\"cpu\",\"value\":42,\"timestamp\":1746969660000.5},"
      "{\"metric\":\"state\",\"value\":\"ok\",\"timestamp\":\"yesterday\"},"
      "{\"metric\":\"flag\",\"value\":true},"
      "{\"metric\":\"obj\",\"value\":{\"k\":[1,{\"z\":null}]},\"trace_id\":"
      "\"t1\"},"
      "{\"metric\":\"bad\",\"value\":NaN,\"timestamp\":-Infinity},"
      "{\"metric\":\"neg\",\"value\":-1.5e3,\"timestamp\":-5},"
      "17, \"x\"]}";
  GstPlexusFrame *f = parse_ok (text);
  GstPlexusPoint *p;

  fail_unless_equals_int (f->type, GST_PLEXUS_FRAME_TELEMETRY);
  fail_unless_equals_int (f->points->len, 7);
  fail_unless_equals_int (f->n_bad_points, 2);
  fail_unless_equals_int (f->n_nonfinite, 2);

  p = &g_array_index (f->points, GstPlexusPoint, 0);
  fail_unless_equals_string (p->source_id, "robot-01");
  fail_unless_equals_string (p->metric, "battery.percent");
  fail_unless_equals_string (p->klass, "metric");
  fail_unless (p->value_is_number);
  fail_unless_equals_float (p->number, 86.5);
  fail_unless (p->has_timestamp);
  fail_unless_equals_uint64 (
      p->epoch_ns, G_GUINT64_CONSTANT (1746969660000) * GST_MSECOND);

  p = &g_array_index (f->points, GstPlexusPoint, 1);
  fail_unless (p->value_is_number);
  fail_unless_equals_float (p->number, 42);
  fail_unless_equals_float (p->timestamp_ms, 1746969660000.5);
  fail_unless_equals_uint64 (
      p->epoch_ns, G_GUINT64_CONSTANT (1746969660000500000));

  p = &g_array_index (f->points, GstPlexusPoint, 2);
  fail_if (p->value_is_number);
  fail_unless_equals_string (json_node_get_string (p->value), "ok");
  fail_if (p->has_timestamp);
  fail_unless_equals_uint64 (p->epoch_ns, GST_CLOCK_TIME_NONE);

  p = &g_array_index (f->points, GstPlexusPoint, 3);
  fail_if (p->value_is_number); /* a bool is not a number */

  p = &g_array_index (f->points, GstPlexusPoint, 4);
  fail_unless (JSON_NODE_HOLDS_OBJECT (p->value));
  fail_unless_equals_string (p->trace_id, "t1");

  p = &g_array_index (f->points, GstPlexusPoint, 5);
  fail_if (p->value_is_number);
  fail_unless (JSON_NODE_HOLDS_NULL (p->value));
  fail_if (p->has_timestamp);

  p = &g_array_index (f->points, GstPlexusPoint, 6);
  fail_unless_equals_float (p->number, -1500);
  fail_if (p->has_timestamp);
  gst_plexus_frame_free (f);

  /* points missing or of the wrong type */
  f = parse_ok ("{\"type\":\"telemetry\"}");
  fail_unless_equals_int (f->points->len, 0);
  gst_plexus_frame_free (f);
  f = parse_ok ("{\"type\":\"telemetry\",\"points\":{}}");
  fail_unless_equals_int (f->points->len, 0);
  fail_unless_equals_int (f->n_bad_points, 1);
  gst_plexus_frame_free (f);
}

GST_END_TEST;

GST_START_TEST (test_point_json)
{
  GstPlexusFrame *f =
      parse_ok ("{\"type\":\"telemetry\",\"points\":["
                "{\"metric\":\"m\",\"value\":NaN,\"timestamp\":5}]}");
  gchar *line =
      gst_plexus_point_to_json (&g_array_index (f->points, GstPlexusPoint, 0));

  fail_unless_equals_string (
      line, "{\"metric\":\"m\",\"value\":null,\"timestamp\":5}\n");
  g_free (line);
  gst_plexus_frame_free (f);
}

GST_END_TEST;

GST_START_TEST (test_event)
{
  GstPlexusFrame *f = parse_ok (
      "{\"type\":\"event\",\"v\":1,\"org_id\":\"o\","
      "\"source_id\":\"robot-01\",\"class\":\"event\",\"metric\":"
      "\"nav.goal_reached\",\"value\":\"nav.goal_reached\",\"timestamp\":"
      "1746969660000,\"trace_id\":\"abc\",\"tags\":{\"k\":\"v\"},\"new\":1}");
  GstPlexusPoint *p;

  fail_unless_equals_int (f->type, GST_PLEXUS_FRAME_EVENT);
  fail_unless_equals_int (f->points->len, 1);
  p = &g_array_index (f->points, GstPlexusPoint, 0);
  fail_unless_equals_string (p->metric, "nav.goal_reached");
  fail_unless_equals_string (p->klass, "event");
  fail_unless_equals_string (p->trace_id, "abc");
  fail_unless_equals_uint64 (p->epoch_ns, 1746969660000 * GST_MSECOND);
  gst_plexus_frame_free (f);
}

GST_END_TEST;

GST_START_TEST (test_init)
{
  /* gateway shape (camera objects) and docs shape (names) */
  GstPlexusFrame *f = parse_ok (
      "{\"type\":\"init\",\"online_sources\":["
      "{\"source_id\":\"robot-01\",\"platform\":\"linux-arm64\",\"sensors\":"
      "[\"imu\"],\"cameras\":[{\"camera_id\":\"front\",\"video_type\":\"rgb\"},"
      "{\"camera_id\":\"ir\",\"video_type\":\"thermal\"},{\"nope\":1},7]},"
      "{\"source_id\":\"robot-02\",\"cameras\":[\"front\",\"rear\"]},"
      "\"junk\",{\"source_id\":\"robot-03\"}]}");
  GstPlexusOnlineSource *s;
  GstPlexusCamera *c;

  fail_unless_equals_int (f->type, GST_PLEXUS_FRAME_INIT);
  fail_unless_equals_int (f->online_sources->len, 3);
  s = g_ptr_array_index (f->online_sources, 0);
  fail_unless_equals_string (s->source_id, "robot-01");
  fail_unless_equals_string (s->platform, "linux-arm64");
  fail_unless_equals_int (s->cameras->len, 2);
  c = g_ptr_array_index (s->cameras, 1);
  fail_unless_equals_string (c->camera_id, "ir");
  fail_unless_equals_string (c->video_type, "thermal");
  s = g_ptr_array_index (f->online_sources, 1);
  fail_unless_equals_int (s->cameras->len, 2);
  c = g_ptr_array_index (s->cameras, 1);
  fail_unless_equals_string (c->camera_id, "rear");
  fail_unless (c->video_type == NULL);
  s = g_ptr_array_index (f->online_sources, 2);
  fail_unless_equals_int (s->cameras->len, 0);
  gst_plexus_frame_free (f);

  f = parse_ok ("{\"type\":\"init\"}");
  fail_unless_equals_int (f->online_sources->len, 0);
  gst_plexus_frame_free (f);
}

GST_END_TEST;

GST_START_TEST (test_gateway_reconnecting)
{
  GstPlexusFrame *f =
      parse_ok ("{\"type\":\"gateway_reconnecting\","
                "\"attempt\":3,\"max_attempts\":5,\"delay_s\":2}");

  fail_unless_equals_int (f->type, GST_PLEXUS_FRAME_GATEWAY_RECONNECTING);
  fail_unless_equals_int (f->attempt, 3);
  fail_unless_equals_int (f->max_attempts, 5);
  fail_unless_equals_float (f->delay_s, 2.0);
  gst_plexus_frame_free (f);

  f = parse_ok ("{\"type\":\"gateway_reconnecting\",\"attempt\":\"x\","
                "\"delay_s\":0.5}");
  fail_unless_equals_int (f->attempt, 0);
  fail_unless_equals_int (f->max_attempts, 0);
  fail_unless_equals_float (f->delay_s, 0.5);
  gst_plexus_frame_free (f);
}

GST_END_TEST;

GST_START_TEST (test_unknown_and_error)
{
  GstPlexusFrame *f = parse_ok ("{\"type\":\"source_status\",\"x\":[]}");

  fail_unless_equals_int (f->type, GST_PLEXUS_FRAME_UNKNOWN);
  fail_unless_equals_string (f->type_name, "source_status");
  gst_plexus_frame_free (f);

  f = parse_ok ("  {\"no_type\":true}  ");
  fail_unless_equals_int (f->type, GST_PLEXUS_FRAME_UNKNOWN);
  fail_unless (f->type_name == NULL);
  gst_plexus_frame_free (f);

  f = parse_ok ("{\"type\":42}");
  fail_unless_equals_int (f->type, GST_PLEXUS_FRAME_UNKNOWN);
  gst_plexus_frame_free (f);

  f = parse_ok ("{\"type\":\"error\",\"message\":\"auth failed\"}");
  fail_unless_equals_int (f->type, GST_PLEXUS_FRAME_ERROR);
  fail_unless_equals_string (f->message, "auth failed");
  gst_plexus_frame_free (f);
}

GST_END_TEST;

GST_START_TEST (test_malformed)
{
  static const struct
  {
    const gchar *text;
    gint code;
  } cases[] = {
    { "", GST_PLEXUS_ERROR_MALFORMED },
    { "[1,2]", GST_PLEXUS_ERROR_MALFORMED },
    { "\"type\"", GST_PLEXUS_ERROR_MALFORMED },
    { "{\"type\":\"telemetry\"", GST_PLEXUS_ERROR_MALFORMED },
    { "{\"type\":\"telemetry\"} x", GST_PLEXUS_ERROR_MALFORMED },
    { "{\"type\" \"x\"}", GST_PLEXUS_ERROR_MALFORMED },
    { "{\"a\":\"unterminated}", GST_PLEXUS_ERROR_MALFORMED },
    { "{\"a\":[1,2}", GST_PLEXUS_ERROR_MALFORMED },
    { "{\"a\":tru}", GST_PLEXUS_ERROR_MALFORMED },
    { "{\"a\":}", GST_PLEXUS_ERROR_MALFORMED },
    { "{,}", GST_PLEXUS_ERROR_MALFORMED },
    { "{\"type\":\"video_frame\",\"width\":4}",
        GST_PLEXUS_ERROR_MISSING_FIELD },
    { "{\"type\":\"video_frame\",\"frame\":12}",
        GST_PLEXUS_ERROR_MISSING_FIELD },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    GError *err = NULL;
    GstPlexusFrame *f =
        gst_plexus_frame_parse (cases[i].text, strlen (cases[i].text), 0, &err);

    fail_unless (f == NULL, "case %u parsed", i);
    fail_unless (g_error_matches (err, GST_PLEXUS_ERROR, cases[i].code),
        "case %u: %s", i, err ? err->message : "no error");
    g_error_free (err);
  }
}

GST_END_TEST;

/* The scanner in front of json-glib names what it expected and where. */
GST_START_TEST (test_malformed_messages)
{
  static const struct
  {
    const gchar *text;
    const gchar *message;
  } cases[] = {
    { "{\"type\":\"telemetry\"",
        "malformed JSON at byte 19: unterminated object" },
    { "{\"a\":[1,2", "malformed JSON at byte 9: unterminated array" },
    { "{\"a\":[1,2}", "malformed JSON at byte 9: expected ',' or ']'" },
    { "{\"a\":1]", "malformed JSON at byte 6: expected ',' or '}'" },
    { "{\"type\" \"x\"}", "malformed JSON at byte 8: expected ':'" },
    { "{,}", "malformed JSON at byte 1: expected a member name" },
    { "{\"a\":[],\"b\":{},\"c\":[{}]",
        "malformed JSON at byte 23: unterminated object" },
    { "{\"a\":[ ]  ,\"b\":{ } }x",
        "malformed JSON at byte 20: trailing data after the object" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    GError *err = NULL;
    GstPlexusFrame *f =
        gst_plexus_frame_parse (cases[i].text, strlen (cases[i].text), 0, &err);

    fail_unless (f == NULL, "case %u parsed", i);
    fail_unless (
        g_error_matches (err, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_MALFORMED),
        "case %u: %s", i, err ? err->message : "no error");
    fail_unless_equals_string (err->message, cases[i].message);
    g_error_free (err);
  }
}

GST_END_TEST;

GST_START_TEST (test_limits)
{
  GString *deep = g_string_new ("{\"a\":");
  GError *err = NULL;
  guint i;

  /* nesting is bounded */
  for (i = 0; i < 100; i++)
    g_string_append_c (deep, '[');
  for (i = 0; i < 100; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  fail_if (gst_plexus_frame_parse (deep->str, deep->len, 0, &err));
  fail_unless (
      g_error_matches (err, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_MALFORMED));
  g_clear_error (&err);

  /* over the size limit: refused before looking at it */
  fail_if (gst_plexus_frame_parse (deep->str, deep->len, 100, &err));
  fail_unless (
      g_error_matches (err, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_TOO_LARGE));
  g_clear_error (&err);
  g_string_free (deep, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_base64_validate)
{
  static const struct
  {
    const gchar *text;
    gssize symbols;
  } cases[] = {
    { "QUJD", 4 },
    { "QUI=", 3 },
    { "QQ==", 2 },
    { "QUI", 3 }, /* unpadded */
    { "QQ", 2 },
    { "Q", -1 },
    { "a\\/b+", 4 },
    { "QQ=A", -1 }, /* padding in the middle */
    { "QQ===", -1 },
    { "QU=", -1 },
    { "QU I", -1 },
    { "QU!I", -1 },
    { "QU\\nI", -1 },
    { "QU-_", -1 }, /* url-safe alphabet is not accepted */
    { "", 0 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    fail_unless_equals_int (
        gst_plexus_base64_validate (cases[i].text, strlen (cases[i].text)),
        cases[i].symbols);
}

GST_END_TEST;

GST_START_TEST (test_base64_decode)
{
  GError *err = NULL;
  GstBuffer *buf;
  GString *s = g_string_new (NULL);
  guint8 data[256];
  guint i;

  for (i = 0; i < sizeof data; i++)
    data[i] = i;
  gst_plexus_base64_append (s, data, sizeof data);
  buf = gst_plexus_base64_decode_to_buffer (s->str, s->len, &err);
  fail_unless (buf);
  fail_unless_equals_int (gst_buffer_get_size (buf), sizeof data);
  fail_unless (gst_buffer_memcmp (buf, 0, data, sizeof data) == 0);
  gst_buffer_unref (buf);

  /* escaped solidus as some JSON encoders write it */
  buf = gst_plexus_base64_decode_to_buffer ("\\/\\/\\/\\/", 8, &err);
  fail_unless (buf);
  fail_unless_equals_int (gst_buffer_get_size (buf), 3);
  fail_unless (gst_buffer_memcmp (buf, 0, "\xff\xff\xff", 3) == 0);
  gst_buffer_unref (buf);

  buf = gst_plexus_base64_decode_to_buffer ("QUJDRA", 6, &err);
  fail_unless_equals_int (gst_buffer_get_size (buf), 4);
  fail_unless (gst_buffer_memcmp (buf, 0, "ABCD", 4) == 0);
  gst_buffer_unref (buf);

  fail_if (gst_plexus_base64_decode_to_buffer ("QU!I", 4, &err));
  fail_unless (
      g_error_matches (err, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_BAD_BASE64));
  g_clear_error (&err);
  fail_if (gst_plexus_base64_decode_to_buffer ("", 0, &err));
  fail_unless (
      g_error_matches (err, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_BAD_BASE64));
  g_clear_error (&err);
  g_string_free (s, TRUE);
}

GST_END_TEST;

/* The block decoder (SSSE3 where the CPU has it) against glib's decoder
 * and the validator: every byte value at every position of a block, and
 * random texts with `\/` escapes and padding, of lengths around the block
 * sizes. */
static void
check_decode_like_reference (const gchar *text, gsize len)
{
  GError *err = NULL;
  GstBuffer *buf = gst_plexus_base64_decode_to_buffer (text, len, &err);
  gssize symbols = gst_plexus_base64_validate (text, len);

  if (symbols <= 0) {
    fail_if (buf, "accepted %.*s", (int) len, text);
    fail_unless (
        g_error_matches (err, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_BAD_BASE64));
    g_clear_error (&err);
  } else {
    gchar *plain = g_strndup (text, len);
    gchar *r, *w;
    guchar *want;
    gsize want_len;

    /* unescape, then pad: glib's decoder wants whole quads */
    for (r = w = plain; *r; r++)
      if (!(r[0] == '\\' && r[1] == '/'))
        *w++ = *r;
    *w = '\0';
    fail_unless (buf != NULL, "rejected %.*s", (int) len, text);
    if (symbols % 4 != 0 && !strchr (plain, '=')) {
      gchar *padded = g_strconcat (plain, symbols % 4 == 2 ? "==" : "=", NULL);

      g_free (plain);
      plain = padded;
    }
    want = g_base64_decode (plain, &want_len);
    fail_unless_equals_uint64 (gst_buffer_get_size (buf), want_len);
    fail_unless (gst_buffer_memcmp (buf, 0, want, want_len) == 0);
    g_free (want);
    g_free (plain);
    gst_buffer_unref (buf);
  }
}

GST_START_TEST (test_base64_blocks)
{
  GRand *rand = g_rand_new_with_seed (42);
  guint8 data[300];
  guint pos, c, i, len;

  for (i = 0; i < sizeof data; i++)
    data[i] = g_rand_int (rand);
  {
    gchar *b64 = g_base64_encode (data, 48);

    /* 64 symbols: two blocks and the scalar tail */
    for (pos = 0; pos < 64; pos++) {
      for (c = 0; c < 256; c++) {
        gchar text[64];

        memcpy (text, b64, 64);
        text[pos] = c;
        check_decode_like_reference (text, 64);
      }
    }
    g_free (b64);
  }
  for (i = 0; i < 3000; i++) {
    GString *t = g_string_new (NULL);
    gchar *b64;
    guint k;

    len = g_rand_int_range (rand, 1, 120);
    b64 = g_base64_encode (data + g_rand_int_range (rand, 0, 100), len);
    for (k = 0; b64[k]; k++) {
      if (b64[k] == '/' && g_rand_boolean (rand))
        g_string_append (t, "\\/");
      else
        g_string_append_c (t, b64[k]);
    }
    /* sometimes drop the padding, sometimes break one byte */
    if (g_rand_int_range (rand, 0, 4) == 0)
      while (t->len > 0 && t->str[t->len - 1] == '=')
        g_string_truncate (t, t->len - 1);
    if (g_rand_int_range (rand, 0, 3) == 0)
      t->str[g_rand_int_range (rand, 0, t->len)] =
          g_rand_int_range (rand, 1, 256);
    check_decode_like_reference (t->str, t->len);
    g_string_free (t, TRUE);
    g_free (b64);
  }
  g_rand_free (rand);
}

GST_END_TEST;

GST_START_TEST (test_jpeg_header)
{
  static const struct
  {
    int tj;
    GstPlexusJpegSubsampling s;
    guint comps;
  } cases[] = {
    { TJSAMP_420, GST_PLEXUS_JPEG_SUBSAMPLING_420, 3 },
    { TJSAMP_422, GST_PLEXUS_JPEG_SUBSAMPLING_422, 3 },
    { TJSAMP_444, GST_PLEXUS_JPEG_SUBSAMPLING_444, 3 },
    { TJSAMP_440, GST_PLEXUS_JPEG_SUBSAMPLING_440, 3 },
    { TJSAMP_GRAY, GST_PLEXUS_JPEG_SUBSAMPLING_GRAY, 1 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    GBytes *b = make_jpeg (40, 24, cases[i].tj);
    GstPlexusJpegInfo info;
    gsize len;
    const guint8 *d = g_bytes_get_data (b, &len);

    fail_unless (gst_plexus_jpeg_parse_header (d, len, &info, NULL));
    fail_unless_equals_int (info.width, 40);
    fail_unless_equals_int (info.height, 24);
    fail_unless_equals_int (info.components, cases[i].comps);
    fail_unless_equals_int (info.subsampling, cases[i].s);
    fail_unless_equals_int (info.precision, 8);
    fail_if (info.progressive);
    /* truncated in the middle of the headers */
    fail_if (gst_plexus_jpeg_parse_header (d, 30, &info, NULL));
    g_bytes_unref (b);
  }

  {
    GError *err = NULL;
    GstPlexusJpegInfo info;

    fail_if (gst_plexus_jpeg_parse_header (
        (const guint8 *) "\x89PNG\r\n", 6, &info, &err));
    fail_unless (
        g_error_matches (err, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_BAD_JPEG));
    g_clear_error (&err);
    /* SOI then straight to a scan */
    fail_if (gst_plexus_jpeg_parse_header (
        (const guint8 *) "\xff\xd8\xff\xda\x00\x02\x00\x00", 8, &info, &err));
    g_clear_error (&err);
  }
}

GST_END_TEST;

GST_START_TEST (test_video_frame)
{
  GBytes *jpeg = make_jpeg (64, 48, TJSAMP_420);
  gsize jlen;
  const guint8 *jd = g_bytes_get_data (jpeg, &jlen);
  GBytes *msg = gst_plexus_video_frame_build (
      "robot-01", "front", 64, 48, 1746969660123, jd, jlen);
  GError *err = NULL;
  GstPlexusFrame *f;
  GstPlexusJpegInfo info;
  GstBuffer *buf;
  GString *s;

  f = gst_plexus_frame_parse_bytes (msg, GST_PLEXUS_MAX_MESSAGE_SIZE, &err);
  g_bytes_unref (msg); /* the frame keeps the payload */
  fail_unless (f);
  fail_unless_equals_int (f->type, GST_PLEXUS_FRAME_VIDEO);
  fail_unless_equals_string (f->source_id, "robot-01");
  fail_unless_equals_string (f->camera_id, "front");
  fail_unless_equals_int (f->width, 64);
  fail_unless_equals_int (f->height, 48);
  fail_unless_equals_uint64 (f->epoch_ns, 1746969660123 * GST_MSECOND);
  fail_if (f->thermal);
  /* the skeleton does not carry the base64 text */
  fail_unless_equals_string (
      json_object_get_string_member (json_node_get_object (f->root), "frame"),
      "");
  buf = gst_plexus_frame_decode_jpeg (f, &info, &err);
  fail_unless (buf);
  fail_unless_equals_int (gst_buffer_get_size (buf), jlen);
  fail_unless (gst_buffer_memcmp (buf, 0, jd, jlen) == 0);
  fail_unless_equals_int (info.subsampling, GST_PLEXUS_JPEG_SUBSAMPLING_420);
  gst_buffer_unref (buf);
  gst_plexus_frame_free (f);

  /* size disagreeing with the JPEG */
  s = g_string_new ("{\"type\":\"video_frame\",\"camera_id\":\"c\",\"width\":"
                    "65,\"height\":48,\"frame\":\"");
  gst_plexus_base64_append (s, jd, jlen);
  g_string_append (s, "\"}");
  f = parse_ok (s->str);
  fail_if (gst_plexus_frame_decode_jpeg (f, NULL, &err));
  fail_unless (
      g_error_matches (err, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_SIZE_MISMATCH),
      "%s", err->message);
  g_clear_error (&err);
  gst_plexus_frame_free (f);
  g_string_free (s, TRUE);

  /* a tiny JPEG header claiming 65535 x 65535 pixels */
  {
    static const guint8 huge[] = { 0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0xff, 0xff,
      0xff, 0xff, 1, 1, 0x11, 0, 0xff, 0xd9 };

    s = g_string_new ("{\"type\":\"video_frame\",\"frame\":\"");
    gst_plexus_base64_append (s, huge, sizeof huge);
    g_string_append (s, "\"}");
    f = parse_ok (s->str);
    fail_if (gst_plexus_frame_decode_jpeg (f, NULL, &err));
    fail_unless (
        g_error_matches (err, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_TOO_LARGE),
        "%s", err ? err->message : "");
    g_clear_error (&err);
    gst_plexus_frame_free (f);
    g_string_free (s, TRUE);
  }

  /* not base64, and base64 of something else */
  f = parse_ok ("{\"type\":\"video_frame\",\"frame\":\"/9j/4A!!\"}");
  fail_if (gst_plexus_frame_decode_jpeg (f, NULL, &err));
  fail_unless (
      g_error_matches (err, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_BAD_BASE64));
  g_clear_error (&err);
  gst_plexus_frame_free (f);
  f = parse_ok ("{\"type\":\"video_frame\",\"frame\":\"aGVsbG8gd29ybGQ=\"}");
  fail_if (gst_plexus_frame_decode_jpeg (f, NULL, &err));
  fail_unless (
      g_error_matches (err, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_BAD_JPEG));
  g_clear_error (&err);
  gst_plexus_frame_free (f);
  g_bytes_unref (jpeg);
}

GST_END_TEST;

GST_START_TEST (test_thermal)
{
  GstPlexusFrame *f = parse_ok (
      "{\"type\":\"video_frame\",\"source_id\":\"r\","
      "\"camera_id\":\"ir\",\"frame\":\"QUJD\",\"width\":160,\"height\":120,"
      "\"timestamp\":1.5,\"video_type\":\"thermal\",\"sensor_width\":2,"
      "\"sensor_height\":2,\"temp_min\":20.5,\"temp_max\":36,\"temps\":"
      "[20.5,21,\"x\",36]}");

  fail_unless (f->thermal);
  fail_unless_equals_string (f->video_type, "thermal");
  fail_unless_equals_int (f->sensor_width, 2);
  fail_unless_equals_int (f->sensor_height, 2);
  fail_unless_equals_float (f->temp_min, 20.5);
  fail_unless_equals_float (f->temp_max, 36);
  fail_unless_equals_int (f->temps->len, 4);
  fail_unless_equals_float (g_array_index (f->temps, gfloat, 1), 21);
  fail_unless (isnan (g_array_index (f->temps, gfloat, 2)));
  fail_unless_equals_uint64 (f->epoch_ns, 1500000);
  gst_plexus_frame_free (f);
}

GST_END_TEST;

GST_START_TEST (test_stream_uri)
{
  static const gchar *const metrics[] = { "battery.percent", "cpu", NULL };
  static const gchar *const cams[] = { "front", "rear cam", NULL };
  gchar *uri;
  GError *err = NULL;

  uri = gst_plexus_stream_uri (
      NULL, "robot-01", GST_PLEXUS_STREAM_METRICS, metrics, NULL, 0, NULL);
  fail_unless_equals_string (uri,
      "wss://api.plexus.company/v1/sources/"
      "robot-01/metrics/stream?metrics=battery.percent%2Ccpu");
  g_free (uri);
  uri = gst_plexus_stream_uri ("http://127.0.0.1:8080/", "robot-01",
      GST_PLEXUS_STREAM_LOGS, metrics, cams, 5, NULL);
  fail_unless_equals_string (
      uri, "ws://127.0.0.1:8080/v1/sources/robot-01/logs/stream");
  g_free (uri);
  uri = gst_plexus_stream_uri ("https://example.com/api", "a b",
      GST_PLEXUS_STREAM_VIDEO, NULL, cams, 30, NULL);
  fail_unless_equals_string (uri,
      "wss://example.com/api/v1/sources/a%20b/"
      "video/stream?camera_id=front&camera_id=rear%20cam&timeout=30");
  g_free (uri);
  fail_if (gst_plexus_stream_uri (
      "ftp://x", "r", GST_PLEXUS_STREAM_VIDEO, NULL, NULL, 0, &err));
  g_clear_error (&err);
  fail_if (gst_plexus_stream_uri (
      "::", "r", GST_PLEXUS_STREAM_VIDEO, NULL, NULL, 0, &err));
  g_clear_error (&err);
}

GST_END_TEST;

GST_START_TEST (test_auth_frame)
{
  GBytes *b = gst_plexus_auth_frame_new ("plx_ab\"c");
  gsize len;
  const gchar *d = g_bytes_get_data (b, &len);

  fail_unless_equals_int (len,
      strlen ("{\"type\":\"auth\",\"api_key\":"
              "\"plx_ab\\\"c\"}"));
  fail_unless (
      memcmp (d, "{\"type\":\"auth\",\"api_key\":\"plx_ab\\\"c\"}", len) == 0);
  g_bytes_unref (b);

  fail_unless (gst_plexus_api_key_is_well_formed (
      "plx_0123456789abcdef0123456789abcdef"));
  fail_if (gst_plexus_api_key_is_well_formed (
      "plx_0123456789abcdef0123456789abcde"));
  fail_if (gst_plexus_api_key_is_well_formed (
      "plx_0123456789abcdef0123456789abcdef0"));
  fail_if (gst_plexus_api_key_is_well_formed (
      "xyz_0123456789abcdef0123456789abcdef"));
  fail_if (gst_plexus_api_key_is_well_formed (NULL));
}

GST_END_TEST;

GST_START_TEST (test_close_policy)
{
  static const struct
  {
    GstPlexusStream stream;
    gushort code;
    GstPlexusCloseAction action;
  } cases[] = {
    { GST_PLEXUS_STREAM_METRICS, 4401, GST_PLEXUS_CLOSE_UNAUTHORIZED },
    { GST_PLEXUS_STREAM_LOGS, 4401, GST_PLEXUS_CLOSE_UNAUTHORIZED },
    { GST_PLEXUS_STREAM_METRICS, 4402, GST_PLEXUS_CLOSE_PAYMENT_REQUIRED },
    { GST_PLEXUS_STREAM_LOGS, 4402, GST_PLEXUS_CLOSE_PAYMENT_REQUIRED },
    { GST_PLEXUS_STREAM_VIDEO, 4001, GST_PLEXUS_CLOSE_UNAUTHORIZED },
    { GST_PLEXUS_STREAM_VIDEO, 4002, GST_PLEXUS_CLOSE_PAYMENT_REQUIRED },
    { GST_PLEXUS_STREAM_VIDEO, 4008, GST_PLEXUS_CLOSE_STREAM_TIMEOUT },
    { GST_PLEXUS_STREAM_VIDEO, 1011, GST_PLEXUS_CLOSE_RECONNECT },
    { GST_PLEXUS_STREAM_METRICS, 1011, GST_PLEXUS_CLOSE_RECONNECT },
    { GST_PLEXUS_STREAM_VIDEO, 1008, GST_PLEXUS_CLOSE_UNAUTHORIZED },
    { GST_PLEXUS_STREAM_VIDEO, 4401, GST_PLEXUS_CLOSE_UNAUTHORIZED },
    { GST_PLEXUS_STREAM_VIDEO, 1006, GST_PLEXUS_CLOSE_RECONNECT },
    { GST_PLEXUS_STREAM_VIDEO, 1000, GST_PLEXUS_CLOSE_RECONNECT },
    { GST_PLEXUS_STREAM_VIDEO, 0, GST_PLEXUS_CLOSE_RECONNECT },
  };
  const GstPlexusCloseCode *c;
  guint i, n = 0;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    fail_unless (gst_plexus_close_classify (cases[i].stream, cases[i].code) ==
            cases[i].action,
        "case %u", i);
  for (c = gst_plexus_close_codes (); c->code; c++)
    n++;
  fail_unless_equals_int (n, 7);
  fail_unless_equals_int (
      gst_plexus_close_code_unauthorized (GST_PLEXUS_STREAM_VIDEO), 4001);
  fail_unless_equals_int (
      gst_plexus_close_code_unauthorized (GST_PLEXUS_STREAM_LOGS), 4401);
  fail_unless_equals_int (
      gst_plexus_close_code_payment_required (GST_PLEXUS_STREAM_METRICS), 4402);
}

GST_END_TEST;

static GstBuffer *
gray_jpeg_buffer (gint w, gint h, guint8 value, GstClockTime pts)
{
  tjhandle tj = tjInitCompress ();
  guint8 *gray = g_malloc (w * h);
  guint8 *jpeg = NULL;
  unsigned long size = 0;
  GstBuffer *buf;

  memset (gray, value, w * h);
  fail_unless (tjCompress2 (tj, gray, w, w, h, TJPF_GRAY, &jpeg, &size,
                   TJSAMP_GRAY, 95, 0) == 0);
  buf = gst_buffer_new_memdup (jpeg, size);
  GST_BUFFER_PTS (buf) = pts;
  tjFree (jpeg);
  tjDestroy (tj);
  g_free (gray);
  return buf;
}

static GstBuffer *
raw_buffer (const GstVideoInfo *info)
{
  return gst_buffer_new_allocate (NULL, info->size, NULL);
}

static guint8
first_pixel (GstBuffer *buf)
{
  guint8 v = 0;

  fail_unless_equals_int (gst_buffer_extract (buf, 0, &v, 1), 1);
  return v;
}

/* Frames decoded on four workers come back in submission order with their
 * own pixels and timestamps; one that does not decode keeps its place. */
GST_START_TEST (test_decoder_in_order)
{
  GstPlexusDecoder *dec = gst_plexus_decoder_new ();
  GstPlexusJpegInfo ji = { 32, 16, 1, 8, FALSE,
    GST_PLEXUS_JPEG_SUBSAMPLING_GRAY };
  GstVideoInfo info;
  guint i;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_GRAY8, 32, 16);
  gst_plexus_decoder_set_threads (dec, 4);
  fail_unless_equals_int (gst_plexus_decoder_get_threads (dec), 4);
  fail_unless (gst_plexus_decoder_set_format (dec, &info, &ji));
  fail_unless (gst_plexus_decoder_is_parallel (dec));
  for (i = 0; i < 12; i++) {
    GstBuffer *jpeg = gray_jpeg_buffer (32, 16, 20 * i, i * GST_SECOND);

    if (i == 5) {
      /* cut off after the headers: TurboJPEG refuses it */
      GstBuffer *cut = gst_buffer_copy_region (
          jpeg, GST_BUFFER_COPY_ALL, 0, gst_buffer_get_size (jpeg) / 3);

      gst_buffer_unref (jpeg);
      jpeg = cut;
    }
    gst_plexus_decoder_submit (dec, jpeg, raw_buffer (&info));
  }
  fail_unless_equals_int (gst_plexus_decoder_get_in_flight (dec), 12);
  fail_unless (gst_plexus_decoder_is_busy (dec));
  for (i = 0; i < 12; i++) {
    GstBuffer *out = NULL;
    gchar *error = NULL;

    fail_unless (gst_plexus_decoder_pop (dec, &out, &error));
    if (i == 5) {
      fail_unless (out == NULL);
      fail_unless (error != NULL && *error != '\0');
      g_free (error);
      continue;
    }
    fail_unless (out != NULL);
    fail_unless (error == NULL);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (out), i * GST_SECOND);
    fail_unless (ABS ((gint) first_pixel (out) - (gint) (20 * i)) <= 1);
    gst_buffer_unref (out);
  }
  fail_unless_equals_int (gst_plexus_decoder_get_in_flight (dec), 0);
  {
    GstBuffer *out = (GstBuffer *) 0x1;

    fail_if (gst_plexus_decoder_pop (dec, &out, NULL));
    fail_unless (out == NULL);
  }
  gst_plexus_decoder_free (dec);
}

GST_END_TEST;

/* Discarding waits for the workers and drops what they made; wait() with
 * no input returns once the oldest is done. */
GST_START_TEST (test_decoder_discard)
{
  GstPlexusDecoder *dec = gst_plexus_decoder_new ();
  GstPlexusJpegInfo ji = { 16, 16, 1, 8, FALSE,
    GST_PLEXUS_JPEG_SUBSAMPLING_GRAY };
  GstVideoInfo info;
  guint i;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_GRAY8, 16, 16);
  gst_plexus_decoder_set_threads (dec, 2);
  fail_unless (gst_plexus_decoder_set_format (dec, &info, &ji));
  fail_unless (gst_plexus_decoder_is_parallel (dec));
  for (i = 0; i < 3; i++)
    gst_plexus_decoder_submit (
        dec, gray_jpeg_buffer (16, 16, 100, 0), raw_buffer (&info));
  gst_plexus_decoder_wait (dec, NULL, NULL);
  fail_unless (gst_plexus_decoder_head_done (dec));
  fail_unless_equals_int (gst_plexus_decoder_discard (dec), 3);
  fail_unless_equals_int (gst_plexus_decoder_get_in_flight (dec), 0);
  fail_if (gst_plexus_decoder_head_done (dec));
  /* stop keeps the thread count, the next format restarts the workers */
  gst_plexus_decoder_stop (dec);
  fail_unless_equals_int (gst_plexus_decoder_get_threads (dec), 2);
  gst_plexus_decoder_free (dec);
}

GST_END_TEST;

/* I420 from a 4:4:4 JPEG goes through RGB and the converter's one buffer:
 * never to the workers. One thread decodes here too. */
GST_START_TEST (test_decoder_here)
{
  GstPlexusDecoder *dec = gst_plexus_decoder_new ();
  GstPlexusJpegInfo ji = { 40, 24, 3, 8, FALSE,
    GST_PLEXUS_JPEG_SUBSAMPLING_444 };
  GBytes *b = make_jpeg (40, 24, TJSAMP_444);
  GstBuffer *jpeg = gst_buffer_new_wrapped_bytes (b);
  GstVideoInfo info;
  GstBuffer *out;
  gchar *error = NULL;

  GST_BUFFER_PTS (jpeg) = 7 * GST_MSECOND;
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 40, 24);
  gst_plexus_decoder_set_threads (dec, 4);
  fail_unless (gst_plexus_decoder_set_format (dec, &info, &ji));
  fail_if (gst_plexus_decoder_is_parallel (dec));
  out = raw_buffer (&info);
  fail_unless (gst_plexus_decoder_decode (dec, jpeg, out, &error));
  fail_unless (error == NULL);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), 7 * GST_MSECOND);
  gst_buffer_unref (out);

  /* RGB from the same JPEG, one thread: decoded here as well */
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGB, 40, 24);
  gst_plexus_decoder_set_threads (dec, 1);
  fail_unless (gst_plexus_decoder_set_format (dec, &info, &ji));
  fail_if (gst_plexus_decoder_is_parallel (dec));
  out = raw_buffer (&info);
  fail_unless (gst_plexus_decoder_decode (dec, jpeg, out, NULL));
  gst_buffer_unref (out);

  /* not a JPEG: FALSE with TurboJPEG's reason */
  {
    GstBuffer *junk = gst_buffer_new_memdup ("not a jpeg", 10);

    out = raw_buffer (&info);
    fail_if (gst_plexus_decoder_decode (dec, junk, out, &error));
    fail_unless (error != NULL && *error != '\0');
    g_free (error);
    gst_buffer_unref (out);
    gst_buffer_unref (junk);
  }
  gst_buffer_unref (jpeg);
  g_bytes_unref (b);
  gst_plexus_decoder_free (dec);
}

GST_END_TEST;

GST_START_TEST (test_decoder_caps)
{
  static const struct
  {
    GstPlexusJpegSubsampling s;
    const gchar *first;
  } cases[] = {
    { GST_PLEXUS_JPEG_SUBSAMPLING_420, "I420" },
    { GST_PLEXUS_JPEG_SUBSAMPLING_GRAY, "GRAY8" },
    { GST_PLEXUS_JPEG_SUBSAMPLING_422, "RGB" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    GstPlexusJpegInfo ji = { 64, 48, 3, 8, FALSE, cases[i].s };
    GstCaps *caps = gst_plexus_decoder_caps_for (&ji);
    GstCaps *want =
        gst_caps_from_string ("image/jpeg, width=64, height=48, framerate=0/1");
    GstStructure *raw;
    guint j;

    fail_unless_equals_int (gst_caps_get_size (caps), 5);
    fail_unless (gst_structure_is_equal (
        gst_caps_get_structure (caps, 0), gst_caps_get_structure (want, 0)));
    raw = gst_caps_get_structure (caps, 1);
    fail_unless_equals_string (
        gst_structure_get_string (raw, "format"), cases[i].first);
    for (j = 1; j < 5; j++) {
      GstStructure *st = gst_caps_get_structure (caps, j);
      const gchar *f = gst_structure_get_string (st, "format");

      /* JFIF YCbCr: BT.601, full range */
      if (g_str_equal (f, "I420")) {
        fail_unless_equals_string (
            gst_structure_get_string (st, "colorimetry"), "1:4:0:0");
      } else {
        fail_if (gst_structure_has_field (st, "colorimetry"));
      }
    }
    gst_caps_unref (want);
    gst_caps_unref (caps);
  }
}

GST_END_TEST;

/* Without an allocation answer the pool is our own, active, with buffers
 * of the frame size. */
GST_START_TEST (test_decoder_pool)
{
  GstCaps *caps = gst_caps_from_string (
      "video/x-raw, format=GRAY8, width=16, height=8, framerate=0/1");
  GstBufferPool *pool = gst_plexus_decoder_pool_new (NULL, caps, 128);
  GstBuffer *buf = NULL;

  fail_unless (pool != NULL);
  fail_unless (gst_buffer_pool_is_active (pool));
  fail_unless_equals_int (
      gst_buffer_pool_acquire_buffer (pool, &buf, NULL), GST_FLOW_OK);
  fail_unless (gst_buffer_get_size (buf) >= 128);
  gst_buffer_unref (buf);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
  gst_caps_unref (caps);
}

GST_END_TEST;

GST_START_TEST (test_camera_ids)
{
  gchar **ids = gst_plexus_camera_ids_split (" front, rear,front,, top ", "d");

  fail_unless_equals_int (g_strv_length (ids), 3);
  fail_unless_equals_string (ids[0], "front");
  fail_unless_equals_string (ids[1], "rear");
  fail_unless_equals_string (ids[2], "top");
  g_strfreev (ids);
  ids = gst_plexus_camera_ids_split (" , ,", "default");
  fail_unless_equals_int (g_strv_length (ids), 1);
  fail_unless_equals_string (ids[0], "default");
  g_strfreev (ids);
  ids = gst_plexus_camera_ids_split (NULL, "default");
  fail_unless_equals_string (ids[0], "default");
  g_strfreev (ids);
}

GST_END_TEST;

GST_START_TEST (test_video_stats)
{
  GstPlexusVideoStats stats;
  GstStructure *s = gst_structure_new_empty ("x");
  GError *err = g_error_new_literal (
      GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_SIZE_MISMATCH, "size");
  guint64 v = 0;

  gst_plexus_video_stats_init (&stats);
  gst_plexus_video_stats_inc (&stats, GST_PLEXUS_VIDEO_FRAMES_RECEIVED);
  gst_plexus_video_stats_inc (&stats, GST_PLEXUS_VIDEO_BUFFERS_PUSHED);
  gst_plexus_video_stats_inc (&stats, GST_PLEXUS_VIDEO_BUFFERS_PUSHED);
  /* the first drop warns, the next ones within 5 s are only counted */
  fail_unless (
      gst_plexus_video_stats_drop (&stats, gst_plexus_video_drop_reason (err)));
  fail_if (
      gst_plexus_video_stats_drop (&stats, GST_PLEXUS_VIDEO_DROPPED_DECODE));
  /* oversized frames warn once per session */
  fail_unless (gst_plexus_video_stats_oversized (&stats));
  fail_if (gst_plexus_video_stats_oversized (&stats));
  gst_plexus_video_stats_fill (&stats, s);
  fail_unless_equals_int (gst_structure_n_fields (s), 10);
  fail_unless (gst_structure_get_uint64 (s, "frames-received", &v));
  fail_unless_equals_uint64 (v, 1);
  fail_unless (gst_structure_get_uint64 (s, "buffers-pushed", &v));
  fail_unless_equals_uint64 (v, 2);
  fail_unless (gst_structure_get_uint64 (s, "dropped-size-mismatch", &v));
  fail_unless_equals_uint64 (v, 1);
  fail_unless (gst_structure_get_uint64 (s, "dropped-decode-error", &v));
  fail_unless_equals_uint64 (v, 1);
  fail_unless (gst_structure_get_uint64 (s, "oversized-frames", &v));
  fail_unless_equals_uint64 (v, 2);
  fail_unless (gst_structure_get_uint64 (s, "dropped-corrupt-base64", &v));
  fail_unless_equals_uint64 (v, 0);
  gst_plexus_video_stats_reset (&stats);
  fail_unless (gst_plexus_video_stats_oversized (&stats));
  gst_plexus_video_stats_fill (&stats, s);
  fail_unless (gst_structure_get_uint64 (s, "buffers-pushed", &v));
  fail_unless_equals_uint64 (v, 0);

  g_clear_error (&err);
  err = g_error_new_literal (GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_BAD_BASE64, "");
  fail_unless_equals_int (
      gst_plexus_video_drop_reason (err), GST_PLEXUS_VIDEO_DROPPED_BASE64);
  g_clear_error (&err);
  err = g_error_new_literal (GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_TOO_LARGE, "");
  fail_unless_equals_int (
      gst_plexus_video_drop_reason (err), GST_PLEXUS_VIDEO_DROPPED_SIZE);
  g_clear_error (&err);
  err = g_error_new_literal (GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_BAD_JPEG, "");
  fail_unless_equals_int (
      gst_plexus_video_drop_reason (err), GST_PLEXUS_VIDEO_DROPPED_JPEG);
  g_clear_error (&err);
  gst_structure_free (s);
  gst_plexus_video_stats_clear (&stats);
}

GST_END_TEST;

GST_START_TEST (test_frame_meta)
{
  GstPlexusFrame f = {
    0,
  };
  GstPlexusJpegInfo ji = { 40, 24, 3, 8, FALSE,
    GST_PLEXUS_JPEG_SUBSAMPLING_422 },
                    back;
  GstBuffer *buf = gst_buffer_new ();
  GstCustomMeta *meta;
  GstStructure *s;
  gfloat temps[2] = { 20.5f, 31.25f };
  GBytes *bytes = NULL;
  gdouble d = 0;

  fail_if (gst_plexus_frame_meta_get_jpeg_info (buf, &back));
  f.type = GST_PLEXUS_FRAME_VIDEO;
  f.video_type = "thermal";
  f.thermal = TRUE;
  f.sensor_width = 32;
  f.sensor_height = 24;
  f.temp_min = 20.5;
  f.temp_max = 31.25;
  f.temps = g_array_new (FALSE, FALSE, sizeof (gfloat));
  g_array_append_vals (f.temps, temps, 2);
  gst_plexus_frame_meta_add (buf, &f, &ji, "default");
  fail_unless (gst_plexus_frame_meta_get_jpeg_info (buf, &back));
  fail_unless_equals_int (back.width, 40);
  fail_unless_equals_int (back.height, 24);
  fail_unless_equals_int (back.subsampling, GST_PLEXUS_JPEG_SUBSAMPLING_422);
  meta = gst_buffer_get_custom_meta (buf, GST_PLEXUS_FRAME_META_NAME);
  s = gst_custom_meta_get_structure (meta);
  fail_unless_equals_string (
      gst_structure_get_string (s, "camera-id"), "default");
  fail_unless_equals_string (
      gst_structure_get_string (s, "subsampling"), "4:2:2");
  fail_unless_equals_string (
      gst_structure_get_string (s, "video-type"), "thermal");
  fail_unless (gst_structure_get_double (s, "temp-max", &d));
  fail_unless_equals_float (d, 31.25);
  fail_unless (gst_structure_get (s, "temps", G_TYPE_BYTES, &bytes, NULL));
  fail_unless_equals_int (g_bytes_get_size (bytes), 2 * sizeof (gfloat));
  fail_unless (memcmp (g_bytes_get_data (bytes, NULL), temps, 8) == 0);
  g_bytes_unref (bytes);
  g_array_unref (f.temps);
  gst_buffer_unref (buf);
}

GST_END_TEST;

static Suite *
plexus_suite (void)
{
  Suite *s = suite_create ("plexus");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_telemetry_value_types);
  tcase_add_test (tc, test_point_json);
  tcase_add_test (tc, test_event);
  tcase_add_test (tc, test_init);
  tcase_add_test (tc, test_gateway_reconnecting);
  tcase_add_test (tc, test_unknown_and_error);
  tcase_add_test (tc, test_malformed);
  tcase_add_test (tc, test_malformed_messages);
  tcase_add_test (tc, test_limits);
  tcase_add_test (tc, test_base64_validate);
  tcase_add_test (tc, test_base64_decode);
  tcase_add_test (tc, test_base64_blocks);
  tcase_add_test (tc, test_jpeg_header);
  tcase_add_test (tc, test_video_frame);
  tcase_add_test (tc, test_thermal);
  tcase_add_test (tc, test_stream_uri);
  tcase_add_test (tc, test_auth_frame);
  tcase_add_test (tc, test_close_policy);
  tcase_add_test (tc, test_decoder_in_order);
  tcase_add_test (tc, test_decoder_discard);
  tcase_add_test (tc, test_decoder_here);
  tcase_add_test (tc, test_decoder_caps);
  tcase_add_test (tc, test_decoder_pool);
  tcase_add_test (tc, test_camera_ids);
  tcase_add_test (tc, test_video_stats);
  tcase_add_test (tc, test_frame_meta);
  return s;
}

GST_CHECK_MAIN (plexus);
