/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * plexusvideosrc against the sensor-cloud Plexus part run in-process: both
 * output caps, decoded pixels against the test pattern, caps changes, the
 * auth frame and every close code, 4008 EOS, reconnects, gateway
 * reconnecting, corrupt frames, several cameras on one socket.
 */
#include <string.h>
#include <glib/gstdio.h>
#include <turbojpeg.h>
#include <gst/check/gstcheck.h>
#include "../sensor-test-stats.h"
#include <gst/check/gstharness.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>
#include <gst/sensor/sensor.h>

#include "plexus-test-server.h"
#include "../sensor-test-tls.h"

#define KEY SENSOR_CLOUD_PLEXUS_KEY

static GstElement *
make_src (PlexusTestServer *server, const gchar *camera_id, const gchar *key)
{
  GstElement *e = gst_element_factory_make ("plexusvideosrc", NULL);
  gchar *loc = plexus_test_server_location (server);

  fail_unless (e != NULL);
  g_object_set (e, "location", loc, "source-id", "robot-01", "api-key", key,
      "camera-id", camera_id, "retry-backoff-max", 0.2, NULL);
  g_free (loc);
  return e;
}

/* A harness on src_0 of an element whose pads exist (READY). */
static GstHarness *
make_harness (GstElement *e, const gchar *sink_caps, GstBus **bus)
{
  GstHarness *h;

  *bus = gst_bus_new ();
  gst_element_set_bus (e, *bus);
  fail_unless_equals_int (
      gst_element_set_state (e, GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
  h = gst_harness_new_with_element (e, NULL, "src_0");
  gst_object_unref (e);
  gst_harness_use_systemclock (h);
  if (sink_caps)
    gst_harness_set_sink_caps_str (h, sink_caps);
  gst_harness_play (h);
  return h;
}

static void
teardown (GstHarness *h, GstBus *bus)
{
  gst_harness_teardown (h);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
}

static void
get_caps_size (GstHarness *h, gint *w, gint *hh, const gchar **name)
{
  GstCaps *caps = gst_pad_get_current_caps (h->sinkpad);
  GstStructure *s;

  fail_unless (caps != NULL);
  s = gst_caps_get_structure (caps, 0);
  gst_structure_get_int (s, "width", w);
  gst_structure_get_int (s, "height", hh);
  if (name)
    *name = g_intern_string (gst_structure_get_name (s));
  gst_caps_unref (caps);
}

GST_START_TEST (test_jpeg_output)
{
  PlexusTestServer *server = plexus_test_server_start ();
  GstBus *bus;
  GstHarness *h = make_harness (make_src (server, "front", KEY), NULL, &bus);
  GstClockTime last = 0;
  gint64 now_ms = g_get_real_time () / 1000;
  const gchar *name;
  gint w = 0, hh = 0;
  guint i;
  GstMessage *m;
  const GstStructure *ms;

  for (i = 0; i < 5; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    GstMapInfo map;
    GstClockTime epoch;
    GstCustomMeta *meta;

    fail_unless (buf != NULL);
    gst_buffer_map (buf, &map, GST_MAP_READ);
    fail_unless (map.size > 100);
    fail_unless (map.data[0] == 0xff && map.data[1] == 0xd8);
    gst_buffer_unmap (buf, &map);
    /* PTS = running time at arrival, increasing */
    fail_unless (GST_BUFFER_PTS_IS_VALID (buf));
    fail_unless (GST_BUFFER_PTS (buf) > last);
    last = GST_BUFFER_PTS (buf);
    /* the frame timestamp (ms) rides in the epoch meta */
    fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch));
    fail_unless (epoch % GST_MSECOND == 0);
    fail_unless (ABS ((gint64) (epoch / GST_MSECOND) - now_ms) < 60000);
    meta = gst_buffer_get_custom_meta (buf, "GstPlexusFrameMeta");
    fail_unless (meta != NULL);
    fail_unless_equals_string (
        gst_structure_get_string (
            gst_custom_meta_get_structure (meta), "camera-id"),
        "front");
    gst_buffer_unref (buf);
  }
  get_caps_size (h, &w, &hh, &name);
  fail_unless_equals_string (name, "image/jpeg");
  fail_unless_equals_int (w, 320);
  fail_unless_equals_int (hh, 240);

  /* init listed the online cameras */
  m = plexus_pop_element_message (bus, "plexus-init", GST_SECOND);
  fail_unless (m != NULL);
  ms = gst_message_get_structure (m);
  fail_unless_equals_string (
      gst_structure_get_string (ms, "source-id"), "robot-01");
  fail_unless_equals_int (
      gst_value_array_get_size (gst_structure_get_value (ms, "cameras")), 3);
  gst_message_unref (m);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "connects"), 1);
  /* the shared stats vocabulary */
  {
    GstStructure *st = NULL;
    gboolean connected = FALSE;

    g_object_get (h->element, "stats", &st, NULL);
    fail_unless_equals_string (
        gst_structure_get_name (st), "application/x-plexusvideosrc-stats");
    fail_unless (gst_structure_get_boolean (st, "connected", &connected));
    fail_unless (connected);
    gst_structure_free (st);
  }
  fail_unless (sensor_test_stat (h->element, "messages-received") >= 2);
  fail_unless (sensor_test_stat (h->element, "bytes-received") > 0);
  fail_unless (sensor_test_stat (h->element, "buffers-pushed") >= 1);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "failures"), 0);

  /* the server saw the auth frame right after the upgrade */
  fail_unless (
      plexus_test_server_stats ().last_auth_delay_us < 2 * G_USEC_PER_SEC);
  fail_unless_equals_int (plexus_test_server_stats ().auth_ok, 1);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

static void
rgb_to_yuv (const guint8 *rgb, gdouble *y)
{
  /* JPEG (BT.601 full range) luma */
  *y = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
}

/* Mean absolute luma error of @frame against pattern frame @n. */
static gdouble
luma_error (GstVideoFrame *frame, guint64 n, guint camera)
{
  gint w = GST_VIDEO_FRAME_WIDTH (frame), hh = GST_VIDEO_FRAME_HEIGHT (frame);
  guint8 *rgb = g_malloc (w * hh * 3);
  gboolean gray = GST_VIDEO_FRAME_FORMAT (frame) == GST_VIDEO_FORMAT_GRAY8;
  gboolean is_rgb = GST_VIDEO_FRAME_FORMAT (frame) == GST_VIDEO_FORMAT_RGB;
  gboolean bgrx = GST_VIDEO_FRAME_FORMAT (frame) == GST_VIDEO_FORMAT_BGRx;
  gdouble sum = 0;
  gint x, y;

  sensor_cloud_plexus_pattern (rgb, w * 3, w, hh, n, camera);
  for (y = 0; y < hh; y++) {
    const guint8 *row = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (frame, 0) +
        y * GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0);

    for (x = 0; x < w; x++) {
      gdouble want, got;

      rgb_to_yuv (rgb + 3 * (y * w + x), &want);
      if (is_rgb)
        rgb_to_yuv (row + 3 * x, &got);
      else if (bgrx) {
        guint8 px[3] = { row[4 * x + 2], row[4 * x + 1], row[4 * x] };
        rgb_to_yuv (px, &got);
      } else
        got = row[x]; /* I420 Y plane or GRAY8 */
      (void) gray;
      sum += ABS (want - got);
    }
  }
  g_free (rgb);
  return sum / (w * hh);
}

static gdouble
best_luma_error (GstHarness *h, GstBuffer *buf, guint camera)
{
  GstCaps *caps = gst_pad_get_current_caps (h->sinkpad);
  GstVideoInfo info;
  GstVideoFrame frame;
  gdouble best = 1e9;
  guint64 n;

  fail_unless (gst_video_info_from_caps (&info, caps));
  gst_caps_unref (caps);
  fail_unless (gst_video_frame_map (&frame, &info, buf, GST_MAP_READ));
  /* the frame number is not on the wire: the pattern moves, so only the
   * right one matches closely */
  for (n = 0; n < 100; n++)
    best = MIN (best, luma_error (&frame, n, camera));
  gst_video_frame_unmap (&frame);
  return best;
}

static void
check_raw_format (const gchar *format, const gchar *server_subsampling)
{
  PlexusTestServer *server;
  GstBus *bus;
  GstHarness *h;
  gchar *caps_str = g_strdup_printf ("video/x-raw, format=%s", format);
  GstCaps *caps;
  GstVideoInfo info;
  guint i;

  sensor_cloud_plexus_options ()->subsampling = g_strdup (server_subsampling);
  server = plexus_test_server_start ();
  h = make_harness (make_src (server, "default", KEY), caps_str, &bus);
  for (i = 0; i < 3; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    GstClockTime epoch;
    gdouble err;

    fail_unless (buf != NULL);
    caps = gst_pad_get_current_caps (h->sinkpad);
    fail_unless (gst_video_info_from_caps (&info, caps));
    gst_caps_unref (caps);
    fail_unless_equals_string (
        gst_video_format_to_string (GST_VIDEO_INFO_FORMAT (&info)), format);
    fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (&info), 320);
    fail_unless_equals_int (GST_VIDEO_INFO_HEIGHT (&info), 240);
    fail_unless (gst_buffer_get_size (buf) >= GST_VIDEO_INFO_SIZE (&info));
    fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch));
    fail_unless (GST_BUFFER_PTS_IS_VALID (buf));
    if (i == 2) {
      /* camera 0 of the pattern; JPEG q85 keeps luma within a few levels */
      err = best_luma_error (h, buf, 0);
      GST_INFO (
          "%s from %s: mean luma error %.2f", format, server_subsampling, err);
      fail_unless (err < 6.0, "%s: mean luma error %.2f", format, err);
    }
    gst_buffer_unref (buf);
  }
  teardown (h, bus);
  plexus_test_server_stop (server);
  g_free (caps_str);
}

GST_START_TEST (test_raw_i420_pixels)
{
  check_raw_format ("I420", "420");
}

GST_END_TEST;

GST_START_TEST (test_raw_rgb_bgrx_gray)
{
  check_raw_format ("RGB", "420");
  check_raw_format ("BGRx", "444");
  check_raw_format ("GRAY8", "420");
}

GST_END_TEST;

GST_START_TEST (test_raw_i420_from_444)
{
  /* a 4:4:4 JPEG still gives I420 when that is all downstream takes */
  check_raw_format ("I420", "444");
}

GST_END_TEST;

static void
check_caps_change (const gchar *sink_caps)
{
  PlexusTestServer *server;
  GstBus *bus;
  GstHarness *h;
  gboolean seen_full = FALSE, seen_half = FALSE;
  guint i;

  sensor_cloud_plexus_options ()->resize_every = 2;
  sensor_cloud_plexus_options ()->fps = 20;
  server = plexus_test_server_start ();
  h = make_harness (make_src (server, "default", KEY), sink_caps, &bus);
  for (i = 0; i < 10; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    gint w = 0, hh = 0;
    const gchar *name;

    fail_unless (buf != NULL);
    get_caps_size (h, &w, &hh, &name);
    if (strcmp (name, "video/x-raw") == 0) {
      GstVideoInfo info;

      gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, w, hh);
      /* every buffer matches the caps it came with */
      fail_unless (gst_buffer_get_size (buf) >= GST_VIDEO_INFO_SIZE (&info));
    } else {
      GstMapInfo map;
      guint16 sof_w = 0, sof_h = 0;
      gsize k;

      /* the JPEG's own frame header agrees with the caps */
      gst_buffer_map (buf, &map, GST_MAP_READ);
      for (k = 2; k + 9 < map.size; k++) {
        if (map.data[k] == 0xff && map.data[k + 1] == 0xc0) {
          sof_h = map.data[k + 5] << 8 | map.data[k + 6];
          sof_w = map.data[k + 7] << 8 | map.data[k + 8];
          break;
        }
      }
      gst_buffer_unmap (buf, &map);
      fail_unless_equals_int (sof_w, w);
      fail_unless_equals_int (sof_h, hh);
    }
    if (w == 320 && hh == 240)
      seen_full = TRUE;
    else if (w == 160 && hh == 120)
      seen_half = TRUE;
    else
      fail ("unexpected size %dx%d", w, hh);
    gst_buffer_unref (buf);
  }
  fail_unless (seen_full && seen_half);
  fail_unless (sensor_test_stat (h->element, "negotiations") >= 3);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

/* JPEG files sent at full speed (--plexus-jpeg-dir, --plexus-fps 0), the
 * way the benchmark runs: every frame arrives, in order, byte-identical to
 * its file. */
GST_START_TEST (test_jpeg_files_full_speed)
{
  gchar *dir = g_dir_make_tmp ("plexus-jpegs-XXXXXX", NULL);
  GBytes *files[3];
  PlexusTestServer *server;
  GstElement *e;
  GstBus *bus;
  GstHarness *h;
  tjhandle tj = tjInitCompress ();
  GRand *rand = g_rand_new_with_seed (7);
  guint8 *rgb = g_malloc (640 * 480 * 3);
  guint i, k, first = 0;

  fail_unless (dir != NULL);
  for (i = 0; i < G_N_ELEMENTS (files); i++) {
    guint8 *jpeg = NULL;
    unsigned long len = 0;
    gchar *name = g_strdup_printf ("%s/cam%02u.jpg", dir, i);

    /* noise: large frames (about 300 KB), so that the socket fills and
     * the server has to wait for it */
    for (k = 0; k < 640 * 480 * 3; k++)
      rgb[k] = g_rand_int (rand);
    fail_unless_equals_int (tjCompress2 (tj, rgb, 640, 640 * 3, 480, TJPF_RGB,
                                &jpeg, &len, TJSAMP_420, 85, 0),
        0);
    files[i] = g_bytes_new (jpeg, len);
    fail_unless (g_file_set_contents (name, (const gchar *) jpeg, len, NULL));
    tjFree (jpeg);
    g_free (name);
  }
  tjDestroy (tj);
  g_free (rgb);
  g_rand_free (rand);

  sensor_cloud_plexus_options ()->jpeg_dir = g_strdup (dir);
  sensor_cloud_plexus_options ()->fps = 0;
  sensor_cloud_plexus_options ()->max_frames = 60;
  server = plexus_test_server_start ();
  e = make_src (server, "default", KEY);
  g_object_set (e, "max-queue", 1000, NULL);
  h = make_harness (e, "image/jpeg", &bus);
  /* a frame that arrives before PLAYING is dropped: the first one pulled
   * may be any file, the rest follow in turn */
  for (i = 0; i < 50; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    GstMapInfo map;
    gsize len;
    const guint8 *want;

    fail_unless (buf != NULL);
    gst_buffer_map (buf, &map, GST_MAP_READ);
    if (i == 0) {
      for (first = 0; first < G_N_ELEMENTS (files); first++)
        if (g_bytes_get_size (files[first]) == map.size)
          break;
      fail_unless (first < G_N_ELEMENTS (files));
    }
    want = g_bytes_get_data (files[(first + i) % 3], &len);
    fail_unless_equals_uint64 (map.size, len);
    fail_unless (memcmp (map.data, want, len) == 0, "frame %u differs", i);
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
  }
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "dropped"), 0);
  fail_unless_equals_uint64 (
      sensor_test_stat (h->element, "dropped-corrupt-base64") +
          sensor_test_stat (h->element, "dropped-corrupt-jpeg") +
          sensor_test_stat (h->element, "dropped-size-mismatch"),
      0);
  teardown (h, bus);
  plexus_test_server_stop (server);
  for (i = 0; i < G_N_ELEMENTS (files); i++) {
    gchar *name = g_strdup_printf ("%s/cam%02u.jpg", dir, i);

    g_unlink (name);
    g_free (name);
    g_bytes_unref (files[i]);
  }
  g_rmdir (dir);
  g_free (dir);
}

GST_END_TEST;

GST_START_TEST (test_caps_change_mid_stream)
{
  check_caps_change ("video/x-raw, format=I420");
  check_caps_change (NULL);
}

GST_END_TEST;

GST_START_TEST (test_subsampling_change_mid_stream)
{
  PlexusTestServer *server;
  GstBus *bus;
  GstHarness *h;
  gboolean seen[2] = { FALSE, FALSE };
  guint i;

  /* 4:2:0 and 4:4:4 in turn: I420 output stays, decoded directly or
   * through RGB, and matches the pattern either way */
  sensor_cloud_plexus_options ()->subsampling = g_strdup ("420,444");
  sensor_cloud_plexus_options ()->subsampling_every = 2;
  sensor_cloud_plexus_options ()->fps = 20;
  server = plexus_test_server_start ();
  h = make_harness (
      make_src (server, "default", KEY), "video/x-raw, format=I420", &bus);
  for (i = 0; i < 8; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    GstCustomMeta *meta =
        gst_buffer_get_custom_meta (buf, "GstPlexusFrameMeta");
    const gchar *ss = gst_structure_get_string (
        gst_custom_meta_get_structure (meta), "subsampling");
    gdouble err = best_luma_error (h, buf, 0);

    fail_unless (err < 6.0, "%s: mean luma error %.2f", ss, err);
    if (g_strcmp0 (ss, "4:2:0") == 0)
      seen[0] = TRUE;
    else if (g_strcmp0 (ss, "4:4:4") == 0)
      seen[1] = TRUE;
    else
      fail ("subsampling %s", ss);
    gst_buffer_unref (buf);
  }
  fail_unless (seen[0] && seen[1]);
  fail_unless (sensor_test_stat (h->element, "negotiations") >= 3);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

GST_START_TEST (test_corrupt_frames_skipped)
{
  PlexusTestServer *server;
  GstBus *bus;
  GstHarness *h;
  GstMessage *m;
  guint i;

  sensor_cloud_plexus_options ()->corrupt_every = 2;
  sensor_cloud_plexus_options ()->fps = 30;
  server = plexus_test_server_start ();
  h = make_harness (
      make_src (server, "default", KEY), "video/x-raw, format=I420", &bus);
  /* every other frame is bad (base64, JPEG, size, truncated in turn): the
   * good ones still come */
  for (i = 0; i < 10; i++)
    gst_buffer_unref (gst_harness_pull (h));
  fail_unless (sensor_test_stat (h->element, "dropped-corrupt-base64") >= 1);
  fail_unless (sensor_test_stat (h->element, "dropped-corrupt-jpeg") >= 1);
  fail_unless (sensor_test_stat (h->element, "dropped-size-mismatch") >= 1);
  /* a JPEG cut short passes the header check and fails in TurboJPEG */
  fail_unless (sensor_test_stat (h->element, "dropped-decode-error") >= 1);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "connects"), 1);

  /* warnings, rate-limited: at least one, fewer than the drops */
  {
    guint64 drops = sensor_test_stat (h->element, "dropped-corrupt-base64") +
        sensor_test_stat (h->element, "dropped-corrupt-jpeg") +
        sensor_test_stat (h->element, "dropped-size-mismatch") +
        sensor_test_stat (h->element, "dropped-decode-error");
    guint warnings = 0;

    while ((m = plexus_pop_message (bus, GST_MESSAGE_WARNING, 0))) {
      GError *err = NULL;

      gst_message_parse_warning (m, &err, NULL);
      fail_unless (
          g_error_matches (err, GST_STREAM_ERROR, GST_STREAM_ERROR_DECODE));
      g_error_free (err);
      gst_message_unref (m);
      warnings++;
    }
    fail_unless (warnings >= 1);
    fail_unless (warnings < drops,
        "%u warnings for %" G_GUINT64_FORMAT " drops", warnings, drops);
  }
  fail_unless (gst_bus_timed_pop_filtered (bus, 0, GST_MESSAGE_ERROR) == NULL);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

static void
check_auth_error (const gchar *key, guint want_code)
{
  PlexusTestServer *server = plexus_test_server_start ();
  GstBus *bus;
  GstHarness *h = make_harness (make_src (server, "default", key), NULL, &bus);
  GstMessage *m = plexus_pop_message (bus, GST_MESSAGE_ERROR, 5 * GST_SECOND);
  const GstStructure *details = NULL;
  GError *err = NULL;
  guint code = 0;

  fail_unless (m != NULL, "no error for close code %u", want_code);
  gst_message_parse_error (m, &err, NULL);
  fail_unless (g_error_matches (
                   err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED),
      "%s", err->message);
  gst_message_parse_error_details (m, &details);
  fail_unless (details != NULL);
  fail_unless (gst_structure_get_uint (details, "close-code", &code));
  fail_unless_equals_int (code, want_code);
  fail_unless (gst_structure_get_string (details, "close-reason") != NULL);
  /* the key is not in the message */
  fail_if (strstr (err->message, "plx_"));
  g_error_free (err);
  gst_message_unref (m);
  /* fatal: no reconnect */
  g_usleep (300 * 1000);
  fail_unless_equals_int (plexus_test_server_stats ().connections, 1);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_START_TEST (test_unauthorized_4001)
{
  /* wrong key, and a key that is not plx_ + 36 characters */
  check_auth_error ("plx_ffffffffffffffffffffffffffffffff", 4001);
  check_auth_error ("plx_short", 4001);
}

GST_END_TEST;

GST_START_TEST (test_payment_required_4002)
{
  check_auth_error (SENSOR_CLOUD_PLEXUS_DISABLED_KEY, 4002);
}

GST_END_TEST;

static void
wait_eos (GstHarness *h, GstClockTime timeout)
{
  gint64 end = g_get_monotonic_time () + timeout / 1000;

  while (g_get_monotonic_time () < end) {
    GstEvent *ev = gst_harness_try_pull_event (h);

    if (ev) {
      gboolean eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;

      gst_event_unref (ev);
      if (eos)
        return;
      continue;
    }
    while (gst_harness_buffers_in_queue (h) > 0)
      gst_buffer_unref (gst_harness_pull (h));
    g_usleep (10 * 1000);
  }
  fail ("no EOS");
}

/* wss:// with a self-signed certificate: a TLS failure is an error at once,
 * without reconnects; with the certificate as ca-file frames flow. */
GST_START_TEST (test_tls)
{
  GTlsCertificate *cert = sensor_test_tls_certificate ();
  gchar *ca = sensor_test_tls_certificate_file ();
  PlexusTestServer *server = plexus_test_server_start_full (cert);
  const GstStructure *details = NULL;
  GstElement *src;
  GstHarness *h;
  GstBus *bus;
  GstMessage *m;
  GError *err = NULL;

  src = make_src (server, "default", KEY);
  g_object_set (src, "retries", 3, NULL);
  h = make_harness (src, NULL, &bus);
  m = plexus_pop_message (bus, GST_MESSAGE_ERROR, 5 * GST_SECOND);
  fail_unless (m != NULL, "no error for a self-signed certificate");
  gst_message_parse_error (m, &err, NULL);
  fail_unless (g_error_matches (
                   err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE),
      "%s", err->message);
  fail_unless (strstr (err->message, "TLS") != NULL, "%s", err->message);
  gst_message_parse_error_details (m, &details);
  fail_unless (details != NULL);
  fail_unless_equals_string (gst_structure_get_string (details, "error-domain"),
      g_quark_to_string (G_TLS_ERROR));
  g_error_free (err);
  gst_message_unref (m);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "reconnects"), 0);
  fail_unless_equals_int (plexus_test_server_stats ().connections, 0);
  teardown (h, bus);

  src = make_src (server, "default", KEY);
  g_object_set (src, "ca-file", ca, NULL);
  h = make_harness (src, NULL, &bus);
  gst_buffer_unref (gst_harness_pull (h));
  fail_unless_equals_int (plexus_test_server_stats ().connections, 1);
  teardown (h, bus);

  plexus_test_server_stop (server);
  g_object_unref (cert);
  g_free (ca);
}

GST_END_TEST;

GST_START_TEST (test_stream_timeout_eos)
{
  PlexusTestServer *server = plexus_test_server_start ();
  GstBus *bus;
  GstElement *e = make_src (server, "default", KEY);
  GstHarness *h;
  SensorCloudPlexusStats st;

  g_object_set (e, "timeout", 1, NULL);
  h = make_harness (e, NULL, &bus);
  gst_buffer_unref (gst_harness_pull (h));
  wait_eos (h, 5 * GST_SECOND);
  st = plexus_test_server_stats ();
  fail_unless_equals_int (st.last_close_code, 4008);
  fail_unless_equals_int (st.connections, 1);
  fail_unless (gst_bus_timed_pop_filtered (bus, 0, GST_MESSAGE_ERROR) == NULL);
  {
    SensorCloudPlexusStats q;

    sensor_cloud_plexus_get_stats (&q);
    fail_unless (strstr (q.last_query, "timeout=1") != NULL);
    sensor_cloud_plexus_stats_clear (&q);
  }
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

static void
wait_connections (guint n, GstClockTime timeout)
{
  gint64 end = g_get_monotonic_time () + timeout / 1000;

  while (plexus_test_server_stats ().connections < n) {
    fail_unless (g_get_monotonic_time () < end, "only %u connections",
        plexus_test_server_stats ().connections);
    g_usleep (20 * 1000);
  }
}

GST_START_TEST (test_reconnect_on_timeout)
{
  PlexusTestServer *server = plexus_test_server_start ();
  GstBus *bus;
  GstElement *e = make_src (server, "default", KEY);
  GstHarness *h;
  guint i;

  g_object_set (e, "timeout", 1, "reconnect-on-timeout", TRUE, NULL);
  h = make_harness (e, NULL, &bus);
  wait_connections (2, 10 * GST_SECOND);
  /* still streaming after the reconnect, no EOS */
  for (i = 0; i < 3; i++)
    gst_buffer_unref (gst_harness_pull (h));
  while (gst_harness_events_in_queue (h) > 0) {
    GstEvent *ev = gst_harness_pull_event (h);

    fail_if (GST_EVENT_TYPE (ev) == GST_EVENT_EOS);
    gst_event_unref (ev);
  }
  fail_unless (sensor_test_stat (h->element, "reconnects") >= 1);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

static void
check_reconnect_after_close (gint code)
{
  PlexusTestServer *server;
  GstBus *bus;
  GstHarness *h;
  GstMessage *m;
  guint i;

  sensor_cloud_plexus_options ()->close_after = 3;
  sensor_cloud_plexus_options ()->close_code = code;
  sensor_cloud_plexus_options ()->fps = 20;
  server = plexus_test_server_start ();
  h = make_harness (make_src (server, "default", KEY), NULL, &bus);
  wait_connections (3, 10 * GST_SECOND);
  for (i = 0; i < 3; i++)
    gst_buffer_unref (gst_harness_pull (h));
  m = plexus_pop_element_message (bus, "sensor-connection-state", GST_SECOND);
  fail_unless (m != NULL);
  fail_unless_equals_string (
      gst_structure_get_string (gst_message_get_structure (m), "stream"),
      "video");
  gst_message_unref (m);
  fail_unless (sensor_test_stat (h->element, "reconnects") >= 2);
  fail_unless (gst_bus_timed_pop_filtered (bus, 0, GST_MESSAGE_ERROR) == NULL);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_START_TEST (test_1011_reconnects)
{
  check_reconnect_after_close (1011);
}

GST_END_TEST;

GST_START_TEST (test_network_loss_reconnects)
{
  check_reconnect_after_close (0);
}

GST_END_TEST;

GST_START_TEST (test_gateway_reconnecting_keeps_stream)
{
  PlexusTestServer *server;
  GstBus *bus;
  GstHarness *h;
  GstMessage *m;
  gint attempt = 0, max_attempts = 0;
  guint i;

  sensor_cloud_plexus_options ()->reconnecting_every = 2;
  sensor_cloud_plexus_options ()->fps = 20;
  server = plexus_test_server_start ();
  h = make_harness (make_src (server, "default", KEY), NULL, &bus);
  for (i = 0; i < 6; i++)
    gst_buffer_unref (gst_harness_pull (h));
  m = plexus_pop_element_message (
      bus, "plexus-gateway-reconnecting", GST_SECOND);
  fail_unless (m != NULL);
  gst_structure_get_int (gst_message_get_structure (m), "attempt", &attempt);
  gst_structure_get_int (
      gst_message_get_structure (m), "max-attempts", &max_attempts);
  fail_unless_equals_int (attempt, 1);
  fail_unless_equals_int (max_attempts, 5);
  gst_message_unref (m);
  /* informational only: same socket */
  fail_unless_equals_int (plexus_test_server_stats ().connections, 1);
  fail_unless (sensor_test_stat (h->element, "gateway-reconnecting") >= 2);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "reconnects"), 0);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

GST_START_TEST (test_binary_and_oversized_skipped)
{
  PlexusTestServer *server;
  GstBus *bus;
  GstHarness *h;
  guint i;

  sensor_cloud_plexus_options ()->binary_every = 2;
  sensor_cloud_plexus_options ()->oversize_every = 3;
  sensor_cloud_plexus_options ()->fps = 20;
  server = plexus_test_server_start ();
  h = make_harness (make_src (server, "default", KEY), NULL, &bus);
  for (i = 0; i < 8; i++)
    gst_buffer_unref (gst_harness_pull (h));
  fail_unless (sensor_test_stat (h->element, "binary-messages") >= 2);
  fail_unless (sensor_test_stat (h->element, "oversized-messages") >= 1);
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "connects"), 1);
  fail_unless (gst_bus_timed_pop_filtered (bus, 0, GST_MESSAGE_ERROR) == NULL);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

typedef struct
{
  const gchar *camera;
  guint n;
  gboolean wrong;
} CamCount;

static GstFlowReturn
on_sample (GstAppSink *sink, gpointer user_data)
{
  CamCount *c = user_data;
  GstSample *s = gst_app_sink_pull_sample (sink);
  GstBuffer *buf = gst_sample_get_buffer (s);
  GstCustomMeta *meta = gst_buffer_get_custom_meta (buf, "GstPlexusFrameMeta");

  if (!meta ||
      g_strcmp0 (gst_structure_get_string (
                     gst_custom_meta_get_structure (meta), "camera-id"),
          c->camera) != 0)
    c->wrong = TRUE;
  g_atomic_int_inc (&c->n);
  gst_sample_unref (s);
  return GST_FLOW_OK;
}

GST_START_TEST (test_several_cameras_one_socket)
{
  PlexusTestServer *server = plexus_test_server_start ();
  gchar *loc = plexus_test_server_location (server);
  gchar *desc = g_strdup_printf (
      "plexusvideosrc name=src location=%s "
      "source-id=robot-01 api-key=" KEY " camera-id=front,rear "
      "src.src_0 ! video/x-raw,format=I420 ! appsink name=a emit-signals=true "
      "src.src_1 ! image/jpeg ! appsink name=b emit-signals=true",
      loc);
  GstElement *pipe = gst_parse_launch (desc, NULL);
  GstElement *a, *b;
  CamCount ca = { "front", 0, FALSE }, cb = { "rear", 0, FALSE };
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GstBus *bus;

  fail_unless (pipe != NULL);
  a = gst_bin_get_by_name (GST_BIN (pipe), "a");
  b = gst_bin_get_by_name (GST_BIN (pipe), "b");
  g_signal_connect (a, "new-sample", G_CALLBACK (on_sample), &ca);
  g_signal_connect (b, "new-sample", G_CALLBACK (on_sample), &cb);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  while ((g_atomic_int_get (&ca.n) < 5 || g_atomic_int_get (&cb.n) < 5) &&
      g_get_monotonic_time () < end)
    g_usleep (20 * 1000);
  fail_unless (ca.n >= 5 && cb.n >= 5, "front %u rear %u", ca.n, cb.n);
  fail_if (ca.wrong || cb.wrong);
  /* both cameras came over one socket */
  fail_unless_equals_int (plexus_test_server_stats ().connections, 1);
  {
    SensorCloudPlexusStats q;

    sensor_cloud_plexus_get_stats (&q);
    fail_unless_equals_string (q.last_query, "camera_id=front&camera_id=rear");
    sensor_cloud_plexus_stats_clear (&q);
  }
  bus = gst_element_get_bus (pipe);
  fail_unless (gst_bus_timed_pop_filtered (bus, 0, GST_MESSAGE_ERROR) == NULL);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  gst_object_unref (a);
  gst_object_unref (b);
  gst_object_unref (pipe);
  g_free (desc);
  g_free (loc);
  plexus_test_server_stop (server);
}

GST_END_TEST;

GST_START_TEST (test_camera_not_online_warns)
{
  PlexusTestServer *server = plexus_test_server_start ();
  GstBus *bus;
  GstHarness *h = make_harness (make_src (server, "ghost", KEY), NULL, &bus);
  GstMessage *m = plexus_pop_message (bus, GST_MESSAGE_WARNING, 5 * GST_SECOND);
  GError *err = NULL;

  fail_unless (m != NULL);
  gst_message_parse_warning (m, &err, NULL);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND));
  fail_unless (strstr (err->message, "ghost") != NULL);
  g_error_free (err);
  gst_message_unref (m);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

GST_START_TEST (test_silent_server_warns)
{
  PlexusTestServer *server;
  GstBus *bus;
  GstElement *e;
  GstHarness *h;
  GstMessage *m;
  GError *err = NULL;

  sensor_cloud_plexus_options ()->silent = TRUE;
  server = plexus_test_server_start ();
  e = make_src (server, "default", KEY);
  g_object_set (e, "data-timeout", 1, NULL);
  h = make_harness (e, NULL, &bus);
  m = plexus_pop_message (bus, GST_MESSAGE_WARNING, 5 * GST_SECOND);
  fail_unless (m != NULL);
  gst_message_parse_warning (m, &err, NULL);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ));
  fail_unless (strstr (err->message, "nothing") != NULL, "%s", err->message);
  g_error_free (err);
  gst_message_unref (m);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

static void
on_ws_connected (GObject *session, GAsyncResult *res, gpointer user_data)
{
  SoupWebsocketConnection **conn = user_data;

  *conn =
      soup_session_websocket_connect_finish (SOUP_SESSION (session), res, NULL);
  fail_unless (*conn != NULL);
}

GST_START_TEST (test_server_auth_window)
{
  /* the server side of the handshake: a client that never authenticates
   * is closed with 4001 once the auth window ends */
  PlexusTestServer *server;
  SoupSession *session;
  SoupMessage *msg;
  gchar *uri;
  GMainContext *ctx = g_main_context_new ();
  SoupWebsocketConnection *conn = NULL;
  gint64 start, end;

  sensor_cloud_plexus_options ()->auth_timeout_ms = 300;
  server = plexus_test_server_start ();
  g_main_context_push_thread_default (ctx);
  session = soup_session_new ();
  uri = g_strdup_printf (
      "ws://127.0.0.1:%u/v1/sources/robot-01/video/stream", server->port);
  msg = soup_message_new ("GET", uri);
  start = g_get_monotonic_time ();
  soup_session_websocket_connect_async (
      session, msg, NULL, NULL, 0, NULL, on_ws_connected, &conn);
  end = start + 5 * G_USEC_PER_SEC;
  while (!conn && g_get_monotonic_time () < end)
    g_main_context_iteration (ctx, TRUE);
  fail_unless (conn != NULL);
  while (soup_websocket_connection_get_state (conn) !=
          SOUP_WEBSOCKET_STATE_CLOSED &&
      g_get_monotonic_time () < end)
    g_main_context_iteration (ctx, TRUE);
  fail_unless_equals_int (
      soup_websocket_connection_get_close_code (conn), 4001);
  fail_unless_equals_string (
      soup_websocket_connection_get_close_data (conn), "unauthorized");
  fail_unless (g_get_monotonic_time () - start >= 250 * 1000);
  fail_unless_equals_int (plexus_test_server_stats ().auth_rejected, 1);
  g_object_unref (conn);
  g_object_unref (msg);
  g_object_unref (session);
  while (g_main_context_iteration (ctx, FALSE))
    ;
  g_main_context_pop_thread_default (ctx);
  g_main_context_unref (ctx);
  g_free (uri);
  plexus_test_server_stop (server);
}

GST_END_TEST;

GST_START_TEST (test_thermal_meta)
{
  PlexusTestServer *server;
  GstBus *bus;
  GstHarness *h;
  GstBuffer *buf;
  GstCustomMeta *meta;
  GstStructure *s;
  GBytes *temps = NULL;
  gint sw = 0, sh = 0;
  gdouble tmin = 0, tmax = 0;
  const gfloat *t;
  gsize len, i;

  sensor_cloud_plexus_options ()->thermal_cameras = g_strdup ("rear");
  server = plexus_test_server_start ();
  h = make_harness (
      make_src (server, "rear", KEY), "video/x-raw,format=RGB", &bus);
  buf = gst_harness_pull (h);
  meta = gst_buffer_get_custom_meta (buf, "GstPlexusFrameMeta");
  fail_unless (meta != NULL);
  s = gst_custom_meta_get_structure (meta);
  fail_unless_equals_string (
      gst_structure_get_string (s, "video-type"), "thermal");
  fail_unless (gst_structure_get_int (s, "sensor-width", &sw));
  fail_unless (gst_structure_get_int (s, "sensor-height", &sh));
  fail_unless_equals_int (sw, 32);
  fail_unless_equals_int (sh, 24);
  fail_unless (gst_structure_get_double (s, "temp-min", &tmin));
  fail_unless (gst_structure_get_double (s, "temp-max", &tmax));
  fail_unless_equals_float (tmin, 20.0);
  fail_unless_equals_float (tmax, 36.5);
  fail_unless (gst_structure_get (s, "temps", G_TYPE_BYTES, &temps, NULL));
  t = g_bytes_get_data (temps, &len);
  fail_unless_equals_int (len, 32 * 24 * sizeof (gfloat));
  for (i = 0; i < 32 * 24; i++)
    fail_unless (t[i] >= 19.99 && t[i] <= 36.51, "temp %f", t[i]);
  g_bytes_unref (temps);
  gst_buffer_unref (buf);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

/* Frames whose header declares more than max-pixels are skipped before
 * decoding, counted, and warned once with the size and the limit. */
GST_START_TEST (test_max_pixels)
{
  PlexusTestServer *server;
  GstElement *e;
  GstHarness *h;
  GstBus *bus;
  GstMessage *m;
  GError *err = NULL;
  gint64 end;

  sensor_cloud_plexus_options ()->fps = 30;
  sensor_cloud_plexus_options ()->width = 320;
  sensor_cloud_plexus_options ()->height = 240;
  server = plexus_test_server_start ();
  e = make_src (server, "default", KEY);
  g_object_set (e, "max-pixels", (guint64) 320 * 240 - 1, NULL);
  h = make_harness (e, NULL, &bus);
  m = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_WARNING);
  fail_unless (m != NULL, "no warning for oversized frames");
  gst_message_parse_warning (m, &err, NULL);
  fail_unless (
      g_error_matches (err, GST_STREAM_ERROR, GST_STREAM_ERROR_DECODE));
  fail_unless_equals_string (err->message,
      "Skipping 320x240 frames of camera \"default\": 76800 pixels is more "
      "than max-pixels (76799)");
  g_clear_error (&err);
  gst_message_unref (m);
  end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (sensor_test_stat (h->element, "oversized-frames") < 3 &&
      g_get_monotonic_time () < end)
    g_usleep (10 * 1000);
  fail_unless (sensor_test_stat (h->element, "oversized-frames") >= 3);
  /* warned once, nothing went out */
  fail_unless (
      gst_bus_timed_pop_filtered (bus, 0, GST_MESSAGE_WARNING) == NULL);
  fail_unless_equals_uint64 (
      sensor_test_stat (h->element, "buffers-pushed"), 0);
  fail_unless_equals_int (gst_harness_buffers_received (h), 0);
  teardown (h, bus);

  /* at the limit frames flow */
  e = make_src (server, "default", KEY);
  g_object_set (e, "max-pixels", (guint64) 320 * 240, NULL);
  h = make_harness (e, NULL, &bus);
  gst_buffer_unref (gst_harness_pull (h));
  fail_unless_equals_uint64 (
      sensor_test_stat (h->element, "oversized-frames"), 0);
  teardown (h, bus);
  plexus_test_server_stop (server);
}

GST_END_TEST;

GST_START_TEST (test_eos_on_request)
{
  PlexusTestServer *server;

  sensor_cloud_plexus_options ()->fps = 20;
  server = plexus_test_server_start ();
  plexus_test_eos_on_request (server, "plexusvideosrc", NULL, 5 * GST_SECOND);
  /* raw, with frames in flight on the decode threads */
  plexus_test_eos_on_request (
      server, "plexusvideosrc decode-threads=2", "video/x-raw", 5 * GST_SECOND);
  plexus_test_server_stop (server);
}

GST_END_TEST;

/* The README's snapshot line: pngenc returns EOS after its frame, the
 * source passes EOS on and the pipeline ends by itself. */
GST_START_TEST (test_snapshot_ends_with_eos)
{
  PlexusTestServer *server;
  GstElement *p;

  sensor_cloud_plexus_options ()->fps = 20;
  server = plexus_test_server_start ();
  p = plexus_test_pipeline (
      server, "plexusvideosrc", "pngenc snapshot=true ! fakesink");
  sensor_test_wait_eos (p, 10 * GST_SECOND);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
  plexus_test_server_stop (server);
}

GST_END_TEST;

/* The URI the element builds for camera "default" of robot-01 at @loc. */
static gchar *
video_uri (const gchar *loc)
{
  return g_strdup_printf (
      "%s/v1/sources/robot-01/video/stream?camera_id=default", loc);
}

/* A refused port is transient: a warning naming the cause on the first
 * failure, then retries without end (and without an error). */
GST_START_TEST (test_refused_warns_and_retries)
{
  GstElement *e = gst_element_factory_make ("plexusvideosrc", NULL);
  GstBus *bus = gst_bus_new ();
  gchar *uri = video_uri ("ws://127.0.0.1:1"), *want;
  GstMessage *m;
  GError *err = NULL;
  gint64 end;

  g_object_set (e, "location", "ws://127.0.0.1:1", "source-id", "robot-01",
      "api-key", KEY, "retries", -1, "retry-backoff-max", 0.1, NULL);
  gst_element_set_bus (e, bus);
  gst_element_set_state (e, GST_STATE_PLAYING);
  m = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_WARNING);
  fail_unless (m != NULL, "no warning for a refused connection");
  gst_message_parse_warning (m, &err, NULL);
  fail_unless (g_error_matches (
                   err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE),
      "%s", err->message);
  want = g_strdup_printf (
      "Connection to %s failed: Could not connect to 127.0.0.1: Connection "
      "refused; retrying",
      uri);
  fail_unless_equals_string (err->message, want);
  g_free (want);
  g_clear_error (&err);
  gst_message_unref (m);

  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (
      sensor_test_stat (e, "reconnects") < 3 && g_get_monotonic_time () < end)
    g_usleep (20 * 1000);
  fail_unless (sensor_test_stat (e, "reconnects") >= 3);
  fail_unless (gst_bus_timed_pop_filtered (bus, 0, GST_MESSAGE_ERROR) == NULL);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  gst_object_unref (e);
  g_free (uri);
}

GST_END_TEST;

/* A wrong path answers 404 every time: an error at once, no retries, even
 * with retries=-1. */
GST_START_TEST (test_404_is_fatal)
{
  PlexusTestServer *server = plexus_test_server_start ();
  gchar *base = plexus_test_server_location (server);
  gchar *loc = g_strdup_printf ("%s/nowhere", base);
  gchar *uri = video_uri (loc), *want;
  GstElement *e = gst_element_factory_make ("plexusvideosrc", NULL);
  GstBus *bus = gst_bus_new ();
  const GstStructure *details = NULL;
  GstMessage *m;
  GError *err = NULL;
  guint status = 0;

  g_object_set (e, "location", loc, "source-id", "robot-01", "api-key", KEY,
      "retries", -1, "retry-backoff-max", 0.1, NULL);
  gst_element_set_bus (e, bus);
  gst_element_set_state (e, GST_STATE_PLAYING);
  m = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (m != NULL, "no error for a 404");
  gst_message_parse_error (m, &err, NULL);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND),
      "%s", err->message);
  want = g_strdup_printf ("Could not connect to %s: HTTP 404 Not Found", uri);
  fail_unless_equals_string (err->message, want);
  g_free (want);
  gst_message_parse_error_details (m, &details);
  fail_unless (gst_structure_get_uint (details, "http-status", &status));
  fail_unless_equals_int (status, 404);
  g_clear_error (&err);
  gst_message_unref (m);
  /* no warning before it, no retry after it */
  fail_unless (
      gst_bus_timed_pop_filtered (bus, 0, GST_MESSAGE_WARNING) == NULL);
  g_usleep (300 * 1000);
  fail_unless_equals_uint64 (sensor_test_stat (e, "reconnects"), 0);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  gst_object_unref (e);
  plexus_test_server_stop (server);
  g_free (uri);
  g_free (loc);
  g_free (base);
}

GST_END_TEST;

GST_START_TEST (test_no_server_gives_up)
{
  GstElement *e = gst_element_factory_make ("plexusvideosrc", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *m;
  GError *err = NULL;
  gint64 t0;

  gchar *uri = video_uri ("ws://127.0.0.1:1"), *want;

  /* nothing listens on port 1: two retries, then an error */
  g_object_set (e, "location", "ws://127.0.0.1:1", "source-id", "robot-01",
      "api-key", KEY, "retries", 2, "retry-backoff-max", 0.1, NULL);
  gst_element_set_bus (e, bus);
  gst_element_set_state (e, GST_STATE_PLAYING);
  m = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (m != NULL);
  gst_message_parse_error (m, &err, NULL);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ),
      "%s", err->message);
  want = g_strdup_printf (
      "Could not keep a connection to %s (retries exhausted after 3 "
      "failure(s)): Could not connect to 127.0.0.1: Connection refused",
      uri);
  fail_unless_equals_string (err->message, want);
  g_free (want);
  g_free (uri);
  g_error_free (err);
  gst_message_unref (m);
  fail_unless_equals_uint64 (sensor_test_stat (e, "reconnects"), 2);

  /* the counters outlive the session */
  gst_element_set_state (e, GST_STATE_NULL);
  fail_unless_equals_uint64 (sensor_test_stat (e, "reconnects"), 2);

  /* and with endless retries, going down is still prompt */
  g_object_set (e, "retries", -1, NULL);
  gst_element_set_state (e, GST_STATE_PLAYING);
  g_usleep (300 * 1000);
  t0 = g_get_monotonic_time ();
  fail_unless_equals_int (
      gst_element_set_state (e, GST_STATE_NULL), GST_STATE_CHANGE_SUCCESS);
  fail_unless (g_get_monotonic_time () - t0 < 3 * G_USEC_PER_SEC);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  gst_object_unref (e);
}

GST_END_TEST;

/* ---- decode-threads: frame-parallel decoding keeps output identical ---- */

#define MT_FILES 3
#define MT_W 320
#define MT_H 240

typedef struct
{
  gchar *dir;
  GBytes *jpeg[MT_FILES];
  GstBuffer *i420[MT_FILES]; /* TurboJPEG's own decode, the reference */
  GstVideoInfo info;
} MtFiles;

/* Noise JPEGs (every pixel differs between files) and their I420 decode. */
static void
mt_files_make (MtFiles *f)
{
  tjhandle tjc = tjInitCompress (), tjd = tjInitDecompress ();
  GRand *rand = g_rand_new_with_seed (11);
  guint8 *rgb = g_malloc (MT_W * MT_H * 3);
  guint i, k;

  f->dir = g_dir_make_tmp ("plexus-mt-XXXXXX", NULL);
  fail_unless (f->dir != NULL);
  gst_video_info_set_format (&f->info, GST_VIDEO_FORMAT_I420, MT_W, MT_H);
  for (i = 0; i < MT_FILES; i++) {
    guint8 *jpeg = NULL;
    unsigned long len = 0;
    gchar *name = g_strdup_printf ("%s/cam%02u.jpg", f->dir, i);
    GstVideoFrame frame;
    unsigned char *planes[3];
    int strides[3], p;

    for (k = 0; k < MT_W * MT_H * 3; k++)
      rgb[k] = g_rand_int (rand);
    fail_unless_equals_int (tjCompress2 (tjc, rgb, MT_W, MT_W * 3, MT_H,
                                TJPF_RGB, &jpeg, &len, TJSAMP_420, 85, 0),
        0);
    f->jpeg[i] = g_bytes_new (jpeg, len);
    fail_unless (g_file_set_contents (name, (const gchar *) jpeg, len, NULL));
    f->i420[i] = gst_buffer_new_allocate (NULL, f->info.size, NULL);
    fail_unless (
        gst_video_frame_map (&frame, &f->info, f->i420[i], GST_MAP_WRITE));
    for (p = 0; p < 3; p++) {
      planes[p] = GST_VIDEO_FRAME_PLANE_DATA (&frame, p);
      strides[p] = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, p);
    }
    fail_unless_equals_int (tjDecompressToYUVPlanes (tjd, jpeg, len, planes,
                                MT_W, strides, MT_H, TJFLAG_FASTDCT),
        0);
    gst_video_frame_unmap (&frame);
    tjFree (jpeg);
    g_free (name);
  }
  tjDestroy (tjc);
  tjDestroy (tjd);
  g_free (rgb);
  g_rand_free (rand);
}

static void
mt_files_free (MtFiles *f)
{
  guint i;

  for (i = 0; i < MT_FILES; i++) {
    gchar *name = g_strdup_printf ("%s/cam%02u.jpg", f->dir, i);

    g_unlink (name);
    g_free (name);
    g_bytes_unref (f->jpeg[i]);
    gst_buffer_unref (f->i420[i]);
  }
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* Which file @buf is the exact I420 decode of, or -1. */
static gint
mt_match (MtFiles *f, GstBuffer *buf)
{
  GstVideoFrame got, want;
  gint i, p, y, match = -1;

  fail_unless (gst_video_frame_map (&got, &f->info, buf, GST_MAP_READ));
  for (i = 0; i < MT_FILES && match < 0; i++) {
    gboolean same = TRUE;

    fail_unless (
        gst_video_frame_map (&want, &f->info, f->i420[i], GST_MAP_READ));
    for (p = 0; p < 3 && same; p++) {
      gint rows = GST_VIDEO_FRAME_COMP_HEIGHT (&want, p);
      gint bytes = GST_VIDEO_FRAME_COMP_WIDTH (&want, p);

      for (y = 0; y < rows && same; y++)
        same = memcmp ((guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&got, p) +
                       y * GST_VIDEO_FRAME_PLANE_STRIDE (&got, p),
                   (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&want, p) +
                       y * GST_VIDEO_FRAME_PLANE_STRIDE (&want, p),
                   bytes) == 0;
    }
    gst_video_frame_unmap (&want);
    if (same)
      match = i;
  }
  gst_video_frame_unmap (&got);
  return match;
}

/* Answers the allocation query with a pool of at most @user_data buffers. */
static GstPadProbeReturn
propose_small_pool (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GstQuery *query = GST_PAD_PROBE_INFO_QUERY (info);
  GstBufferPool *pool;
  GstCaps *caps;
  GstVideoInfo vi;

  if (GST_QUERY_TYPE (query) != GST_QUERY_ALLOCATION)
    return GST_PAD_PROBE_OK;
  gst_query_parse_allocation (query, &caps, NULL);
  fail_unless (gst_video_info_from_caps (&vi, caps));
  pool = gst_video_buffer_pool_new ();
  gst_query_add_allocation_pool (
      query, pool, vi.size, 1, GPOINTER_TO_UINT (user_data));
  gst_object_unref (pool);
  return GST_PAD_PROBE_HANDLED;
}

/* Streams the files at full speed (every @corrupt_every-th frame cut short
 * when set) into raw I420 with @threads decode threads; returns the file
 * index of each of @n frames pulled, checking PTS, metas and caps. */
static GArray *
mt_pull (MtFiles *f, guint threads, guint corrupt_every, guint pool_max,
    guint n, guint64 *decode_errors)
{
  GArray *seq = g_array_new (FALSE, FALSE, sizeof (gint));
  PlexusTestServer *server;
  GstElement *e;
  GstBus *bus;
  GstHarness *h;
  GstClockTime last_pts = 0, last_epoch = 0;
  guint i, threads_set = 0;

  sensor_cloud_plexus_options ()->jpeg_dir = g_strdup (f->dir);
  sensor_cloud_plexus_options ()->fps = 0;
  sensor_cloud_plexus_options ()->max_frames = n * 2 + 20;
  if (corrupt_every) {
    sensor_cloud_plexus_options ()->corrupt_every = corrupt_every;
    sensor_cloud_plexus_options ()->corrupt_kind = g_strdup ("truncated");
  }
  server = plexus_test_server_start ();
  e = make_src (server, "default", KEY);
  g_object_set (e, "max-queue", 1000, "decode-threads", threads, NULL);
  g_object_get (e, "decode-threads", &threads_set, NULL);
  fail_unless_equals_int (threads_set, threads);
  if (pool_max) {
    GstPad *pad;

    fail_unless_equals_int (
        gst_element_set_state (e, GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
    pad = gst_element_get_static_pad (e, "src_0");
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM,
        propose_small_pool, GUINT_TO_POINTER (pool_max), NULL);
    gst_object_unref (pad);
  }
  h = make_harness (e, "video/x-raw, format=I420", &bus);
  for (i = 0; i < n; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    GstClockTime epoch;
    GstCustomMeta *meta;
    gint w = 0, hh = 0, idx;

    fail_unless (buf != NULL);
    idx = mt_match (f, buf);
    fail_unless (idx >= 0, "frame %u is no file's decode", i);
    g_array_append_val (seq, idx);
    /* PTS (arrival) and the frame's own timestamp come with their frame */
    fail_unless (GST_BUFFER_PTS_IS_VALID (buf));
    fail_unless (GST_BUFFER_PTS (buf) > last_pts, "frame %u out of order", i);
    last_pts = GST_BUFFER_PTS (buf);
    fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch));
    fail_unless (epoch >= last_epoch);
    last_epoch = epoch;
    meta = gst_buffer_get_custom_meta (buf, "GstPlexusFrameMeta");
    fail_unless (meta != NULL);
    gst_structure_get_int (gst_custom_meta_get_structure (meta), "width", &w);
    gst_structure_get_int (gst_custom_meta_get_structure (meta), "height", &hh);
    fail_unless_equals_int (w, MT_W);
    fail_unless_equals_int (hh, MT_H);
    gst_buffer_unref (buf);
  }
  fail_unless_equals_uint64 (sensor_test_stat (h->element, "dropped"), 0);
  fail_unless_equals_uint64 (
      sensor_test_stat (h->element, "dropped-corrupt-base64") +
          sensor_test_stat (h->element, "dropped-corrupt-jpeg") +
          sensor_test_stat (h->element, "dropped-size-mismatch"),
      0);
  *decode_errors = sensor_test_stat (h->element, "dropped-decode-error");
  fail_unless (gst_bus_timed_pop_filtered (bus, 0, GST_MESSAGE_ERROR) == NULL);
  teardown (h, bus);
  plexus_test_server_stop (server);
  return seq;
}

/* The server sends file k % MT_FILES as frame k, frame k cut short when
 * (k + 1) % corrupt_every == 0: @seq must be a run of that, from any k. */
static gboolean
mt_in_order (GArray *seq, guint corrupt_every)
{
  guint k0, i;

  for (k0 = 0; k0 < MT_FILES * MAX (corrupt_every, 1); k0++) {
    guint k = k0;
    gboolean ok = TRUE;

    for (i = 0; i < seq->len && ok; i++, k++) {
      while (corrupt_every && (k + 1) % corrupt_every == 0)
        k++;
      ok = g_array_index (seq, gint, i) == (gint) (k % MT_FILES);
    }
    if (ok)
      return TRUE;
  }
  return FALSE;
}

GST_START_TEST (test_decode_threads_identical_output)
{
  MtFiles f;
  GArray *one, *four;
  guint64 errors = 0;
  guint i;

  mt_files_make (&f);
  /* 1 = the streaming thread decodes; 4 = workers, pushed in order: the
   * same frames, byte for byte, in the same order, none lost */
  one = mt_pull (&f, 1, 0, 0, 40, &errors);
  fail_unless_equals_uint64 (errors, 0);
  four = mt_pull (&f, 4, 0, 0, 40, &errors);
  fail_unless_equals_uint64 (errors, 0);
  fail_unless (mt_in_order (one, 0));
  fail_unless (mt_in_order (four, 0));
  /* the runs may start at another file; after that they agree */
  for (i = 0; i < 40; i++)
    fail_unless_equals_int (
        (g_array_index (one, gint, i) - g_array_index (one, gint, 0) + 3) % 3,
        (g_array_index (four, gint, i) - g_array_index (four, gint, 0) + 3) %
            3);
  g_array_unref (one);
  g_array_unref (four);
  mt_files_free (&f);
}

GST_END_TEST;

typedef struct
{
  GstElement *element;
  gint done;
} StopJob;

static gpointer
stop_thread (gpointer data)
{
  StopJob *job = data;

  gst_element_set_state (job->element, GST_STATE_NULL);
  g_atomic_int_set (&job->done, 1);
  return NULL;
}

/* Downstream keeps every buffer of its pool (a sink at its maximum, a
 * stalled branch): the streaming thread waits for one in
 * gst_buffer_pool_acquire_buffer(). Stopping the element still returns,
 * instead of waiting for buffers that will not come back. */
GST_START_TEST (test_stop_while_downstream_pool_exhausted)
{
  PlexusTestServer *server;
  StopJob job = { 0 };
  GThread *thread;
  GstElement *e;
  GstBus *bus;
  GstHarness *h;
  GstPad *pad;
  MtFiles f;
  gint64 end;
  guint received;
  gboolean stopped;

  mt_files_make (&f);
  sensor_cloud_plexus_options ()->jpeg_dir = g_strdup (f.dir);
  /* not at full speed: a flood would keep the network thread, which the
   * stop also needs, busy */
  sensor_cloud_plexus_options ()->fps = 30;
  server = plexus_test_server_start ();
  e = make_src (server, "default", KEY);
  /* one thread: no frame in flight, so the acquire waits */
  g_object_set (e, "decode-threads", 1, NULL);
  fail_unless_equals_int (
      gst_element_set_state (e, GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
  pad = gst_element_get_static_pad (e, "src_0");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM,
      propose_small_pool, GUINT_TO_POINTER (2), NULL);
  gst_object_unref (pad);
  h = make_harness (e, "video/x-raw, format=I420", &bus);
  /* the harness holds every buffer it gets: the pool runs dry and the
   * count stops growing while frames keep coming at full speed */
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (gst_harness_buffers_received (h) == 0 && g_get_monotonic_time () < end)
    g_usleep (10 * 1000);
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  do {
    received = gst_harness_buffers_received (h);
    g_usleep (300 * 1000);
  } while (gst_harness_buffers_received (h) != received &&
      g_get_monotonic_time () < end);
  fail_unless (received > 0 && received <= 4, "%u buffers", received);

  job.element = h->element;
  thread = g_thread_new ("stop", stop_thread, &job);
  /* closing the connection takes a moment (more under a sanitizer) */
  end = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (!g_atomic_int_get (&job.done) && g_get_monotonic_time () < end)
    g_usleep (10 * 1000);
  stopped = g_atomic_int_get (&job.done);
  /* give the buffers back either way, so that a failure does not hang */
  while (gst_harness_buffers_in_queue (h) > 0)
    gst_buffer_unref (gst_harness_pull (h));
  g_thread_join (thread);
  fail_unless (stopped, "stopping waited for downstream's buffers");

  teardown (h, bus);
  plexus_test_server_stop (server);
  mt_files_free (&f);
}

GST_END_TEST;

GST_START_TEST (test_decode_threads_small_downstream_pool)
{
  MtFiles f;
  GArray *seq;
  guint64 errors = 0;

  mt_files_make (&f);
  /* downstream's pool has 2 buffers, 4 threads want 4: frames in flight
   * go out before the next buffer is waited for, no deadlock */
  seq = mt_pull (&f, 4, 0, 2, 30, &errors);
  fail_unless (mt_in_order (seq, 0));
  fail_unless_equals_uint64 (errors, 0);
  g_array_unref (seq);
  mt_files_free (&f);
}

GST_END_TEST;

GST_START_TEST (test_decode_threads_corrupt_frame)
{
  MtFiles f;
  GArray *seq;
  guint64 errors = 0;

  mt_files_make (&f);
  /* every 4th JPEG is cut short: it fails in a worker, is dropped and
   * counted, and the good ones around it keep their order */
  seq = mt_pull (&f, 4, 4, 0, 30, &errors);
  fail_unless (mt_in_order (seq, 4));
  fail_unless (errors >= 9, "%" G_GUINT64_FORMAT " decode errors", errors);
  g_array_unref (seq);
  mt_files_free (&f);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GQueue sizes; /* caps width << 16 | height at each push, in order */
} CapsAtPush;

static GstPadProbeReturn
record_caps_at_push (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  CapsAtPush *c = user_data;
  GstCaps *caps = gst_pad_get_current_caps (pad);
  GstStructure *s = gst_caps_get_structure (caps, 0);
  gint w = 0, h = 0;

  gst_structure_get_int (s, "width", &w);
  gst_structure_get_int (s, "height", &h);
  gst_caps_unref (caps);
  g_mutex_lock (&c->lock);
  g_queue_push_tail (&c->sizes, GUINT_TO_POINTER (w << 16 | h));
  g_mutex_unlock (&c->lock);
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_decode_threads_caps_change)
{
  PlexusTestServer *server;
  GstElement *e;
  GstBus *bus;
  GstHarness *h;
  GstPad *pad;
  CapsAtPush c;
  guint i, changes = 0, run = 0;
  gint last_w = 0;
  GstClockTime last_pts = 0;

  /* full speed, size halved every other pair of frames: jobs are in
   * flight whenever the size changes */
  g_mutex_init (&c.lock);
  g_queue_init (&c.sizes);
  sensor_cloud_plexus_options ()->resize_every = 2;
  sensor_cloud_plexus_options ()->fps = 0;
  sensor_cloud_plexus_options ()->max_frames = 80;
  server = plexus_test_server_start ();
  e = make_src (server, "default", KEY);
  g_object_set (e, "max-queue", 1000, "decode-threads", 4, NULL);
  h = make_harness (e, "video/x-raw, format=I420", &bus);
  pad = gst_element_get_static_pad (h->element, "src_0");
  gst_pad_add_probe (
      pad, GST_PAD_PROBE_TYPE_BUFFER, record_caps_at_push, &c, NULL);
  gst_object_unref (pad);
  for (i = 0; i < 40; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    GstCustomMeta *meta =
        gst_buffer_get_custom_meta (buf, "GstPlexusFrameMeta");
    GstVideoInfo info;
    gint w = 0, hh = 0;
    guint caps_size;

    fail_unless (buf != NULL);
    gst_structure_get_int (gst_custom_meta_get_structure (meta), "width", &w);
    gst_structure_get_int (gst_custom_meta_get_structure (meta), "height", &hh);
    g_mutex_lock (&c.lock);
    caps_size = GPOINTER_TO_UINT (g_queue_pop_head (&c.sizes));
    g_mutex_unlock (&c.lock);
    /* each frame went out under the caps of its own size */
    fail_unless_equals_int (caps_size >> 16, w);
    fail_unless_equals_int (caps_size & 0xffff, hh);
    gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, w, hh);
    fail_unless_equals_uint64 (gst_buffer_get_size (buf), info.size);
    /* in order: PTS rise, sizes come in pairs (only the first may be cut) */
    fail_unless (GST_BUFFER_PTS (buf) > last_pts, "frame %u out of order", i);
    last_pts = GST_BUFFER_PTS (buf);
    if (last_w && w != last_w) {
      fail_unless (changes == 0 || run == 2, "frame %u: a run of %u", i, run);
      changes++;
      run = 0;
    }
    run++;
    last_w = w;
    if (i % 8 == 5) {
      /* and holds the picture of that size */
      GstVideoFrame frame;
      gdouble best = 1e9;
      guint64 n;

      fail_unless (gst_video_frame_map (&frame, &info, buf, GST_MAP_READ));
      for (n = 0; n < 80; n++)
        best = MIN (best, luma_error (&frame, n, 0));
      gst_video_frame_unmap (&frame);
      fail_unless (best < 6.0, "frame %u: mean luma error %.2f", i, best);
    }
    gst_buffer_unref (buf);
  }
  fail_unless (changes >= 15, "%u size changes", changes);
  fail_unless (sensor_test_stat (h->element, "negotiations") >= 16);
  teardown (h, bus);
  plexus_test_server_stop (server);
  g_queue_clear (&c.sizes);
  g_mutex_clear (&c.lock);
}

GST_END_TEST;

/* Holds the first frame until the server has closed with 4008, so that the
 * rest of the frames and the EOS wait in the queue behind it. */
static GstPadProbeReturn
hold_first_frame (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  gint *held = user_data;
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  if ((*held)++ > 0)
    return GST_PAD_PROBE_OK;
  while (plexus_test_server_stats ().last_close_code != 4008 &&
      g_get_monotonic_time () < end)
    g_usleep (5 * 1000);
  g_usleep (200 * 1000);
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_decode_threads_eos_after_frames)
{
  GstPad *pad;
  gint held = 0;
  MtFiles f;
  PlexusTestServer *server;
  GstElement *e;
  GstBus *bus;
  GstHarness *h;
  GArray *seq = g_array_new (FALSE, FALSE, sizeof (gint));
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean eos = FALSE;
  guint64 received, pushed, not_playing;
  guint n, i;

  /* 4008 right behind a burst of frames, queued while the first frame is
   * held downstream: EOS waits for the frames still being decoded, so every
   * decoded frame reaches downstream first */
  mt_files_make (&f);
  sensor_cloud_plexus_options ()->jpeg_dir = g_strdup (f.dir);
  sensor_cloud_plexus_options ()->fps = 0;
  sensor_cloud_plexus_options ()->close_after = 40;
  sensor_cloud_plexus_options ()->close_code = 4008;
  server = plexus_test_server_start ();
  e = make_src (server, "default", KEY);
  g_object_set (e, "max-queue", 1000, "decode-threads", 4, NULL);
  h = make_harness (e, "video/x-raw, format=I420", &bus);
  pad = gst_element_get_static_pad (h->element, "src_0");
  gst_pad_add_probe (
      pad, GST_PAD_PROBE_TYPE_BUFFER, hold_first_frame, &held, NULL);
  gst_object_unref (pad);
  while (!eos && g_get_monotonic_time () < end) {
    GstEvent *ev = gst_harness_try_pull_event (h);

    if (!ev) {
      g_usleep (5 * 1000);
      continue;
    }
    eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;
    gst_event_unref (ev);
  }
  fail_unless (eos);
  received = sensor_test_stat (h->element, "frames-received");
  pushed = sensor_test_stat (h->element, "buffers-pushed");
  not_playing = sensor_test_stat (h->element, "dropped-not-playing");
  n = gst_harness_buffers_in_queue (h);
  fail_unless (n >= 10, "%u frames", n);
  fail_unless_equals_uint64 (pushed, n);
  fail_unless_equals_uint64 (received - not_playing, n);
  for (i = 0; i < n; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    gint idx = mt_match (&f, buf);

    fail_unless (idx >= 0);
    g_array_append_val (seq, idx);
    gst_buffer_unref (buf);
  }
  fail_unless (mt_in_order (seq, 0));
  fail_unless (gst_bus_timed_pop_filtered (bus, 0, GST_MESSAGE_ERROR) == NULL);
  teardown (h, bus);
  plexus_test_server_stop (server);
  g_array_unref (seq);
  mt_files_free (&f);
}

GST_END_TEST;

GST_START_TEST (test_decode_threads_stop_mid_stream)
{
  MtFiles f;
  guint round;

  mt_files_make (&f);
  /* NULL while frames are being decoded: the workers finish, their
   * buffers are freed (the leaks tracer checks), nothing hangs */
  for (round = 0; round < 6; round++) {
    PlexusTestServer *server;
    GstElement *e;
    GstBus *bus;
    GstHarness *h;
    guint i;

    sensor_cloud_plexus_options ()->jpeg_dir = g_strdup (f.dir);
    sensor_cloud_plexus_options ()->fps = 0;
    /* bounded: an endless full-speed flood keeps the network thread busy
     * and delays the connection's stop */
    sensor_cloud_plexus_options ()->max_frames = 150;
    server = plexus_test_server_start ();
    e = make_src (server, "default", KEY);
    g_object_set (e, "max-queue", 1000, "decode-threads", 4, NULL);
    h = make_harness (e, "video/x-raw, format=I420", &bus);
    for (i = 0; i < round; i++)
      gst_buffer_unref (gst_harness_pull (h));
    /* straight to NULL while linked (the pad deactivates with frames in
     * flight), or through the harness (which unlinks first: not-linked
     * stops the stream, then NULL) */
    if (round % 2 == 0)
      fail_unless_equals_int (
          gst_element_set_state (h->element, GST_STATE_NULL),
          GST_STATE_CHANGE_SUCCESS);
    teardown (h, bus);
    plexus_test_server_stop (server);
  }
  mt_files_free (&f);
}

GST_END_TEST;

GST_START_TEST (test_properties)
{
  GstElement *e = gst_element_factory_make ("plexusvideosrc", NULL);
  GParamSpec *key =
      g_object_class_find_property (G_OBJECT_GET_CLASS (e), "api-key");
  gchar *loc = NULL, *cam = NULL;
  gboolean rot = TRUE;
  guint threads = 99;
  GParamSpec *ts =
      g_object_class_find_property (G_OBJECT_GET_CLASS (e), "decode-threads");

  /* secrets cannot be read back */
  fail_unless (key != NULL);
  fail_if (key->flags & G_PARAM_READABLE);
  g_object_get (e, "location", &loc, "camera-id", &cam, "reconnect-on-timeout",
      &rot, NULL);
  fail_unless_equals_string (loc, "wss://api.plexus.company");
  fail_unless_equals_string (cam, "default");
  fail_if (rot);
  /* decode threads: 0 = automatic, up to 16, fixed from PAUSED on */
  g_object_get (e, "decode-threads", &threads, NULL);
  fail_unless_equals_int (threads, 0);
  fail_unless_equals_int (G_PARAM_SPEC_UINT (ts)->maximum, 16);
  fail_unless (ts->flags & GST_PARAM_MUTABLE_READY);
  g_free (loc);
  g_free (cam);
  gst_object_unref (e);
}

GST_END_TEST;

/* A test that fails leaves its server's options behind (tests run in one
 * process): every test starts from the defaults. */
static void
reset_server_options (void)
{
  sensor_cloud_plexus_options_reset ();
}

static Suite *
plexusvideosrc_suite (void)
{
  Suite *s = suite_create ("plexusvideosrc");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 60);
  tcase_add_checked_fixture (tc, reset_server_options, NULL);
  tcase_add_test (tc, test_jpeg_output);
  tcase_add_test (tc, test_raw_i420_pixels);
  tcase_add_test (tc, test_raw_rgb_bgrx_gray);
  tcase_add_test (tc, test_raw_i420_from_444);
  tcase_add_test (tc, test_caps_change_mid_stream);
  tcase_add_test (tc, test_jpeg_files_full_speed);
  tcase_add_test (tc, test_subsampling_change_mid_stream);
  tcase_add_test (tc, test_corrupt_frames_skipped);
  tcase_add_test (tc, test_unauthorized_4001);
  tcase_add_test (tc, test_payment_required_4002);
  tcase_add_test (tc, test_stream_timeout_eos);
  tcase_add_test (tc, test_tls);
  tcase_add_test (tc, test_reconnect_on_timeout);
  tcase_add_test (tc, test_1011_reconnects);
  tcase_add_test (tc, test_network_loss_reconnects);
  tcase_add_test (tc, test_gateway_reconnecting_keeps_stream);
  tcase_add_test (tc, test_binary_and_oversized_skipped);
  tcase_add_test (tc, test_several_cameras_one_socket);
  tcase_add_test (tc, test_camera_not_online_warns);
  tcase_add_test (tc, test_silent_server_warns);
  tcase_add_test (tc, test_server_auth_window);
  tcase_add_test (tc, test_thermal_meta);
  tcase_add_test (tc, test_max_pixels);
  tcase_add_test (tc, test_eos_on_request);
  tcase_add_test (tc, test_snapshot_ends_with_eos);
  tcase_add_test (tc, test_refused_warns_and_retries);
  tcase_add_test (tc, test_404_is_fatal);
  tcase_add_test (tc, test_no_server_gives_up);
  tcase_add_test (tc, test_decode_threads_identical_output);
  tcase_add_test (tc, test_decode_threads_small_downstream_pool);
  tcase_add_test (tc, test_stop_while_downstream_pool_exhausted);
  tcase_add_test (tc, test_decode_threads_corrupt_frame);
  tcase_add_test (tc, test_decode_threads_caps_change);
  tcase_add_test (tc, test_decode_threads_eos_after_frames);
  tcase_add_test (tc, test_decode_threads_stop_mid_stream);
  tcase_add_test (tc, test_properties);
  return s;
}

GST_CHECK_MAIN (plexusvideosrc);
