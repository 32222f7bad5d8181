/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Proves the harness catches leaks: this test leaks one buffer on purpose
 * and is registered with should_fail, so the suite goes red if the leaks
 * tracer ever stops failing tests.
 */
#include <gst/check/gstcheck.h>

GST_START_TEST (test_leak_one_buffer)
{
  GstBuffer *leaked = gst_buffer_new_allocate (NULL, 16, NULL);

  fail_unless (leaked != NULL);
}

GST_END_TEST;

static Suite *
leak_detected_suite (void)
{
  Suite *s = suite_create ("leak_detected");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_leak_one_buffer);
  return s;
}

GST_CHECK_MAIN (leak_detected);
