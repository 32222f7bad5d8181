/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Must fail, and fail within meson's timeout: tests run in one process
 * (CK_FORK=no), so a test that fails leaves its pipeline PLAYING and
 * gst_deinit() at exit waits for its streaming thread for ever.
 * tests/check/run-check.py stops the process once the suite's summary
 * reports the failure; were it to wait for the hang, meson would report a
 * timeout here instead of the expected failure.
 */
#include <gst/check/gstcheck.h>

GST_START_TEST (test_fails_with_a_pipeline_playing)
{
  GstElement *p = gst_parse_launch (
      "fakesrc is-live=true format=time ! fakesink sync=true", NULL);

  fail_unless (p != NULL);
  fail_if (
      gst_element_set_state (p, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE);
  gst_element_get_state (p, NULL, NULL, 5 * GST_SECOND);
  fail_unless (FALSE, "failing on purpose, with a pipeline PLAYING");
}

GST_END_TEST;

static Suite *
failure_stops_suite (void)
{
  Suite *s = suite_create ("failure_stops");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_fails_with_a_pipeline_playing);
  return s;
}

GST_CHECK_MAIN (failure_stops);
