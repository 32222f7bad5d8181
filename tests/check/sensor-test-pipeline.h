/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Test helpers, header only (tests without the helper library use them
 * too): wait for a pipeline's end.
 */
#pragma once

#include <gst/check/gstcheck.h>

/* Waits up to @timeout for the EOS of @pipeline. An error message (named in
 * the failure) or no message at all fails the test. */
static inline void
sensor_test_wait_eos (GstElement *pipeline, GstClockTime timeout)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  GError *err = NULL;
  gchar *debug = NULL;

  msg = gst_bus_timed_pop_filtered (
      bus, timeout, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_object_unref (bus);
  fail_unless (
      msg != NULL, "no EOS within %" GST_TIME_FORMAT, GST_TIME_ARGS (timeout));
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    gst_message_parse_error (msg, &err, &debug);
  fail_unless (err == NULL, "error instead of EOS: %s (%s)",
      err ? err->message : "", debug ? debug : "");
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_EOS);
  gst_message_unref (msg);
}

/* Sends an EOS to @pipeline as `gst-launch-1.0 -e` does on Ctrl-C: once it
 * is PLAYING (waiting up to @bound for that). A plain GstBaseSrc that gets
 * an EOS while the pipeline still prerolls deadlocks in GStreamer's own
 * locking (gst_element_send_event() holds the state lock, the source waits
 * for its streaming thread, which waits in the sink's preroll for PLAYING);
 * our network sources take it at any time (generic/eos.c), but these tests
 * are about what follows the EOS, not about when it is sent. */
static inline void
sensor_test_send_eos (GstElement *pipeline, GstClockTime bound)
{
  GstState state = GST_STATE_VOID_PENDING;

  fail_if (gst_element_get_state (pipeline, &state, NULL, bound) ==
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (state, GST_STATE_PLAYING);
  fail_unless (gst_element_send_event (pipeline, gst_event_new_eos ()));
}

/* Sets @pipeline PLAYING (a failed state change fails the test), then
 * sensor_test_wait_eos(). Leaves it PLAYING. */
static inline void
sensor_test_play_to_eos (GstElement *pipeline, GstClockTime timeout)
{
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  sensor_test_wait_eos (pipeline, timeout);
}
