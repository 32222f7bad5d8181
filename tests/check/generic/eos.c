/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every source of ours stops when asked: PLAYING against the local cloud,
 * then an application EOS (what gst-launch-1.0 -e sends on Ctrl-C) must
 * reach the sink and the bus promptly. The network sources also take it
 * at once while downstream holds their streaming thread.
 */
#include <gst/check/gstcheck.h>

#include "../sensor-test-process.h"

/* Generous against a loaded machine or a sanitizer build; the contract is
 * "promptly", a source that ignores the EOS never gets there. */
#define EOS_WAIT (5 * GST_SECOND)
#define FIRST_BUFFER_WAIT (20 * GST_SECOND)

#define PLEXUS_KEY "plx_0123456789abcdef0123456789abcdef"

typedef struct
{
  GMutex lock;
  GCond cond;
  guint buffers;
} SinkCount;

static void
on_handoff (GstElement *sink, GstBuffer *buf, GstPad *pad, gpointer user_data)
{
  SinkCount *c = user_data;

  g_mutex_lock (&c->lock);
  c->buffers++;
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
}

static gboolean
wait_first_buffer (SinkCount *c)
{
  gint64 end =
      g_get_monotonic_time () + (gint64) (FIRST_BUFFER_WAIT / GST_USECOND);
  gboolean got;

  g_mutex_lock (&c->lock);
  while (c->buffers == 0 && g_cond_wait_until (&c->cond, &c->lock, end))
    ;
  got = c->buffers > 0;
  g_mutex_unlock (&c->lock);
  return got;
}

/* Runs @description (its sink named "sink"), waits for data when
 * @wait_data, sends EOS and expects EOS on the bus, no error first. */
static void
check_eos (const gchar *description, gboolean wait_data)
{
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (description, &err);
  GstElement *sink;
  GstBus *bus;
  GstMessage *msg;
  SinkCount count = { 0 };

  fail_unless (
      pipeline != NULL, "%s: %s", description, err ? err->message : "");
  g_clear_error (&err);
  g_mutex_init (&count.lock);
  g_cond_init (&count.cond);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  fail_unless (sink != NULL);
  g_object_set (sink, "signal-handoffs", TRUE, "sync", FALSE, NULL);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), &count);

  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
          GST_STATE_CHANGE_FAILURE,
      "%s: PLAYING failed", description);
  if (wait_data)
    fail_unless (wait_first_buffer (&count), "%s: no data", description);
  /* PLAYING first, as gst-launch-1.0 -e: an EOS sent while the sink still
   * holds its preroll buffer deadlocks in GStreamer (gst_element_send_event()
   * holds the state lock that the move to PLAYING needs) */
  fail_if (gst_element_get_state (pipeline, NULL, NULL, 10 * GST_SECOND) ==
      GST_STATE_CHANGE_FAILURE);

  fail_unless (gst_element_send_event (pipeline, gst_event_new_eos ()),
      "%s: EOS event refused", description);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (
      bus, EOS_WAIT, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (
      msg != NULL, "%s: no EOS on the bus after sending EOS", description);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gchar *debug = NULL;

    gst_message_parse_error (msg, &err, &debug);
    fail ("%s: error instead of EOS: %s (%s)", description, err->message,
        GST_STR_NULL (debug));
  }
  gst_message_unref (msg);
  gst_object_unref (bus);

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_mutex_clear (&count.lock);
  g_cond_clear (&count.cond);
}

typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean blocked;
  gboolean eos_returned;
  GstElement *pipeline;
} Blocked;

static GstPadProbeReturn
on_blocked (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Blocked *b = user_data;

  g_mutex_lock (&b->lock);
  b->blocked = TRUE;
  g_cond_broadcast (&b->cond);
  g_mutex_unlock (&b->lock);
  return GST_PAD_PROBE_OK; /* stays blocked until removed */
}

static gpointer
send_eos_thread (gpointer user_data)
{
  Blocked *b = user_data;
  gboolean ok = gst_element_send_event (b->pipeline, gst_event_new_eos ());

  g_mutex_lock (&b->lock);
  b->eos_returned = TRUE;
  g_cond_broadcast (&b->cond);
  g_mutex_unlock (&b->lock);
  return GINT_TO_POINTER (ok);
}

/* Waits up to @us for @flag under @b's lock. */
static gboolean
wait_flag (Blocked *b, gboolean *flag, gint64 us)
{
  gint64 end = g_get_monotonic_time () + us;
  gboolean set;

  g_mutex_lock (&b->lock);
  while (!*flag && g_cond_wait_until (&b->cond, &b->lock, end))
    ;
  set = *flag;
  g_mutex_unlock (&b->lock);
  return set;
}

/* An application's EOS returns at once even while downstream holds the
 * streaming thread (a sink prerolling, a blocked pad): GstBaseSrc's own
 * EOS handling would wait for that thread, and deadlock when the caller
 * holds the pipeline's state lock during the preroll. Once downstream goes
 * on, the EOS reaches the bus. */
static void
check_eos_downstream_blocked (const gchar *description)
{
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (description, &err);
  Blocked b = { 0 };
  GstElement *sink;
  GstPad *pad;
  GThread *thread;
  GstBus *bus;
  GstMessage *msg;
  gulong probe;
  gboolean returned;

  fail_unless (
      pipeline != NULL, "%s: %s", description, err ? err->message : "");
  g_mutex_init (&b.lock);
  g_cond_init (&b.cond);
  b.pipeline = pipeline;
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  probe = gst_pad_add_probe (pad,
      GST_PAD_PROBE_TYPE_BLOCK | GST_PAD_PROBE_TYPE_BUFFER, on_blocked, &b,
      NULL);
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
          GST_STATE_CHANGE_FAILURE,
      "%s: PLAYING failed", description);
  fail_unless (wait_flag (&b, &b.blocked, FIRST_BUFFER_WAIT / GST_USECOND),
      "%s: no data", description);

  thread = g_thread_new ("send-eos", send_eos_thread, &b);
  returned = wait_flag (&b, &b.eos_returned, 2 * G_USEC_PER_SEC);
  /* (letting go now would deadlock: the sink would preroll and wait for the
   * PLAYING that the waiting EOS request holds back; run-check.py ends the
   * process a failed test leaves behind) */
  fail_unless (returned,
      "%s: the EOS request waited for the blocked streaming thread",
      description);
  gst_pad_remove_probe (pad, probe);
  fail_unless (
      g_thread_join (thread) != NULL, "%s: EOS event refused", description);

  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (
      bus, EOS_WAIT, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS,
      "%s: no EOS on the bus once downstream went on", description);
  gst_message_unref (msg);
  gst_object_unref (bus);

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (pad);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_mutex_clear (&b.lock);
  g_cond_clear (&b.cond);
}

GST_START_TEST (test_sensortestsrc)
{
  check_eos ("sensortestsrc is-live=true ! fakesink name=sink", TRUE);
  check_eos ("sensortestsrc modality=acc_3axis ! fakesink name=sink", TRUE);
}
GST_END_TEST;

GST_START_TEST (test_rpsensorsrc)
{
  /* no device has posted yet; with device-id the pads exist from the
   * start (without it and without pads the element ends by itself:
   * elements/rpsensorsrc test_eos_without_pads) */
  check_eos ("rpsensorsrc port=0 device-id=AA:BB:CC:DD:EE:FF name=s "
             "s.accel ! fakesink name=sink",
      FALSE);
}
GST_END_TEST;

/* Starts sensor-cloud's @only part and checks each description, with PORT
 * replaced by the cloud's port. */
static void
check_cloud_eos (
    const gchar *only, const gchar *part, const gchar *const *formats)
{
  SensorTestProcess cloud = { 0 };
  guint i;

  sensor_test_cloud_start (&cloud, only, part, NULL);
  for (i = 0; formats[i]; i++) {
    gchar *port = g_strdup_printf ("%u", cloud.port);
    gchar **parts = g_strsplit (formats[i], "PORT", 2);
    gchar *d = g_strjoinv (port, parts);

    g_strfreev (parts);
    g_free (port);

    check_eos (d, TRUE);
    check_eos_downstream_blocked (d);
    g_free (d);
  }
  fail_unless (sensor_test_process_stop (&cloud));
}

#define PLEXUS_SOURCE(element)                                                 \
  element " location=ws://127.0.0.1:PORT source-id=robot-01 "                  \
          "api-key=" PLEXUS_KEY

GST_START_TEST (test_plexus)
{
  static const gchar *const formats[] = {
    PLEXUS_SOURCE ("plexusvideosrc") " ! fakesink name=sink",
    PLEXUS_SOURCE ("plexusvideosrc") " ! video/x-raw,format=I420 ! "
                                     "fakesink name=sink",
    PLEXUS_SOURCE ("plexusmetricssrc") " ! fakesink name=sink",
    PLEXUS_SOURCE ("plexuslogsrc") " ! fakesink name=sink",
    NULL,
  };

  check_cloud_eos ("plexus", "http", formats);
}
GST_END_TEST;

GST_START_TEST (test_heliossrc)
{
  static const gchar *const formats[] = {
    "heliossrc location=ws://127.0.0.1:PORT channel=device.telemetry "
    "interval-ms=100 ! fakesink name=sink",
    NULL,
  };

  check_cloud_eos ("helios", "helios", formats);
}
GST_END_TEST;

GST_START_TEST (test_ramensrc)
{
  static const gchar *const formats[] = {
    "ramensrc location=http://127.0.0.1:PORT app-id=demo subject-id=user-1 "
    "! fakesink name=sink",
    NULL,
  };

  check_cloud_eos ("ramen", "ramen", formats);
}
GST_END_TEST;

static gboolean
have_element (const gchar *name)
{
  GstPluginFeature *f = gst_registry_lookup_feature (gst_registry_get (), name);

  if (f == NULL)
    return FALSE;
  gst_object_unref (f);
  return TRUE;
}

static Suite *
eos_suite (void)
{
  Suite *s = suite_create ("eos");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_sensortestsrc);
  tcase_add_test (tc, test_rpsensorsrc);
  if (have_element ("plexusvideosrc"))
    tcase_add_test (tc, test_plexus);
  if (have_element ("heliossrc"))
    tcase_add_test (tc, test_heliossrc);
  if (have_element ("ramensrc"))
    tcase_add_test (tc, test_ramensrc);
  return s;
}

GST_CHECK_MAIN (eos);
