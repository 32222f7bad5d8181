/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>

#include "sensor-test-tls.h"

static gchar *
test_file (const gchar *name)
{
  const gchar *root = g_getenv ("SENSOR_SOURCE_ROOT");

  fail_unless (root != NULL, "SENSOR_SOURCE_ROOT not set");
  return g_build_filename (root, "tests", "files", name, NULL);
}

gchar *
sensor_test_tls_certificate_file (void)
{
  return test_file ("ws-test-cert.pem");
}

GTlsCertificate *
sensor_test_tls_certificate (void)
{
  g_autofree gchar *cert_file = test_file ("ws-test-cert.pem");
  g_autofree gchar *key_file = test_file ("ws-test-key.pem");
  g_autoptr (GError) err = NULL;
  GTlsCertificate *cert =
      g_tls_certificate_new_from_files (cert_file, key_file, &err);

  fail_unless (cert != NULL, "test certificate: %s", err ? err->message : "");
  return cert;
}
