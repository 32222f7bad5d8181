/* A stats counter that is not there must fail the test that reads it: a
 * reader returning 0 for a missing (e.g. misspelled) field would pass every
 * "nothing was dropped" assertion. Registered with should_fail. */
#include <gst/check/gstcheck.h>
#include "../sensor-test-stats.h"

GST_START_TEST (test_missing_field_fails)
{
  GstElement *e = gst_element_factory_make ("sensorresample", NULL);

  fail_unless (e != NULL);
  /* present: read as a number, whatever its type */
  fail_unless_equals_uint64 (sensor_test_stat (e, "clipped"), 0);
  /* a misspelling of it: the test fails here, at this line */
  sensor_test_stat (e, "cliped");
  gst_object_unref (e);
}

GST_END_TEST;

static Suite *
stats_missing_suite (void)
{
  Suite *s = suite_create ("stats_missing");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_missing_field_fails);
  return s;
}

GST_CHECK_MAIN (stats_missing);
