/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * plexusvideosrc against tests/peers/plexus_server.py, a Plexus video
 * stream written with python3-websockets that sends real JPEG files made
 * with PIL: image/jpeg output is byte-identical to the files, raw output
 * equals TurboJPEG's own decoding of them, and its 4008 ends the stream.
 */
#include <string.h>
#include <turbojpeg.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <json-glib/json-glib.h>

#include "../sensor-test-stats.h"

#define KEY "plx_0123456789abcdef0123456789abcdef"
#define FRAMES 6
#define COUNT 3

typedef struct
{
  GSubprocess *proc;
  gchar *dir;
  guint port;
  GBytes *jpegs[COUNT];
} Peer;

static gboolean
peer_start (Peer *p)
{
  const gchar *python = g_getenv ("PYTHON");
  const gchar *root = g_getenv ("SENSOR_SOURCE_ROOT");
  gchar *script, *line, *path;
  GDataInputStream *out;
  JsonParser *parser;
  GError *error = NULL;
  guint i;

  if (!python || !root)
    return FALSE;
  p->dir = g_dir_make_tmp ("plexuspeer-XXXXXX", NULL);
  script = g_build_filename (root, "tests", "peers", "plexus_server.py", NULL);
  p->proc = g_subprocess_new (
      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE, &error,
      python, script, "--jpeg-dir", p->dir, "--frames", G_STRINGIFY (FRAMES),
      "--count", G_STRINGIFY (COUNT), NULL);
  g_free (script);
  fail_unless (p->proc != NULL, "%s", error ? error->message : "");
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p->proc));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_object_unref (out);
  if (!line)
    return FALSE;
  parser = json_parser_new ();
  fail_unless (json_parser_load_from_data (parser, line, -1, NULL));
  p->port = json_object_get_int_member (
      json_node_get_object (json_parser_get_root (parser)), "port");
  g_object_unref (parser);
  g_free (line);
  for (i = 0; i < COUNT; i++) {
    gchar *data;
    gsize len;
    gchar name[32];

    g_snprintf (name, sizeof name, "frame%02u.jpg", i);
    path = g_build_filename (p->dir, name, NULL);
    fail_unless (g_file_get_contents (path, &data, &len, NULL));
    p->jpegs[i] = g_bytes_new_take (data, len);
    g_free (path);
  }
  return TRUE;
}

static void
peer_stop (Peer *p)
{
  guint i;

  /* closing its stdin ends the peer */
  g_output_stream_close (g_subprocess_get_stdin_pipe (p->proc), NULL, NULL);
  g_subprocess_wait (p->proc, NULL, NULL);
  g_object_unref (p->proc);
  for (i = 0; i < COUNT; i++) {
    gchar name[32], *path;

    g_snprintf (name, sizeof name, "frame%02u.jpg", i);
    path = g_build_filename (p->dir, name, NULL);
    g_unlink (path);
    g_free (path);
    g_bytes_unref (p->jpegs[i]);
  }
  g_rmdir (p->dir);
  g_free (p->dir);
}

static GstHarness *
make_harness (Peer *p, const gchar *caps)
{
  GstElement *e = gst_element_factory_make ("plexusvideosrc", NULL);
  gchar *loc = g_strdup_printf ("ws://127.0.0.1:%u", p->port);
  GstHarness *h;

  /* the peer sends its frames back to back: room for all of them, or a
   * slow start under load drops the oldest (by design) and the comparison
   * with the files goes off by one */
  g_object_set (e, "location", loc, "source-id", "robot-01", "api-key", KEY,
      "max-queue", FRAMES + 2, NULL);
  g_free (loc);
  fail_unless_equals_int (
      gst_element_set_state (e, GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
  h = gst_harness_new_with_element (e, NULL, "src_0");
  gst_object_unref (e);
  gst_harness_use_systemclock (h);
  gst_harness_set_sink_caps_str (h, caps);
  gst_harness_play (h);
  return h;
}

/* NULL first, checked, so that the element's streaming task is gone
 * before the harness lets go of it. */
static void
teardown (GstHarness *h)
{
  fail_unless_equals_int (gst_element_set_state (h->element, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_harness_teardown (h);
}

static void
expect_eos (GstHarness *h)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end) {
    GstEvent *ev = gst_harness_try_pull_event (h);

    if (ev) {
      gboolean eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;

      gst_event_unref (ev);
      if (eos)
        return;
    } else {
      g_usleep (10 * 1000);
    }
  }
  fail ("no EOS after the peer's 4008");
}

/* The frames that reached the harness, after its EOS: the peer sends its
 * frames as soon as the stream opens, and a live source drops those that
 * arrive before PLAYING (counted), so the first frames may be missing. The
 * ones that came are the files from there on, in order. Returns how many
 * were dropped; @n_pushed is set to the buffers queued. */
static guint
frames_after_eos (GstHarness *h, guint *n_pushed)
{
  guint skipped;

  expect_eos (h);
  skipped = (guint) sensor_test_stat (h->element, "dropped-not-playing");
  *n_pushed = gst_harness_buffers_in_queue (h);
  fail_unless_equals_int (*n_pushed + skipped, FRAMES);
  fail_unless (*n_pushed > 0);
  return skipped;
}

GST_START_TEST (test_python_peer_jpeg_bytes)
{
  Peer p = {
    0,
  };
  GstHarness *h;
  guint i, n, skipped;

  if (!peer_start (&p)) {
    GST_WARNING ("python3 websockets peer not available");
    return;
  }
  h = make_harness (&p, "image/jpeg");
  skipped = frames_after_eos (h, &n);
  for (i = 0; i < n; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    gsize len;
    const guint8 *want =
        g_bytes_get_data (p.jpegs[(skipped + i) % COUNT], &len);

    fail_unless_equals_int (gst_buffer_get_size (buf), len);
    fail_unless (gst_buffer_memcmp (buf, 0, want, len) == 0,
        "frame %u differs from the file", skipped + i);
    gst_buffer_unref (buf);
  }
  teardown (h);
  peer_stop (&p);
}

GST_END_TEST;

GST_START_TEST (test_python_peer_decoded)
{
  Peer p = {
    0,
  };
  GstHarness *h;
  tjhandle tj = tjInitDecompress ();
  guint i, n, skipped;

  if (!peer_start (&p)) {
    GST_WARNING ("python3 websockets peer not available");
    return;
  }
  h = make_harness (&p, "video/x-raw, format=RGB");
  skipped = frames_after_eos (h, &n);
  for (i = 0; i < n; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    GstCaps *caps = gst_pad_get_current_caps (h->sinkpad);
    GstVideoInfo info;
    GstVideoFrame frame;
    gsize len;
    const guint8 *jpeg =
        g_bytes_get_data (p.jpegs[(skipped + i) % COUNT], &len);
    guint8 *rgb = g_malloc (160 * 120 * 3);
    gint y;

    fail_unless (gst_video_info_from_caps (&info, caps));
    gst_caps_unref (caps);
    fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (&info), 160);
    fail_unless_equals_int (GST_VIDEO_INFO_HEIGHT (&info), 120);
    fail_unless (tjDecompress2 (tj, jpeg, len, rgb, 160, 160 * 3, 120, TJPF_RGB,
                     TJFLAG_FASTDCT) == 0);
    fail_unless (gst_video_frame_map (&frame, &info, buf, GST_MAP_READ));
    for (y = 0; y < 120; y++)
      fail_unless (memcmp ((guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0) +
                           y * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0),
                       rgb + y * 160 * 3, 160 * 3) == 0,
          "frame %u row %d", i, y);
    gst_video_frame_unmap (&frame);
    g_free (rgb);
    gst_buffer_unref (buf);
  }
  teardown (h);
  tjDestroy (tj);
  peer_stop (&p);
}

GST_END_TEST;

static Suite *
plexuspeer_suite (void)
{
  Suite *s = suite_create ("plexuspeer");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_python_peer_jpeg_bytes);
  tcase_add_test (tc, test_python_peer_decoded);
  return s;
}

GST_CHECK_MAIN (plexuspeer);
