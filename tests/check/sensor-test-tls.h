/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Test helper: the self-signed certificate under tests/files that test
 * servers present on wss:// and https://.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The path of the certificate file (for a client's ca-file). Free it. */
gchar *sensor_test_tls_certificate_file (void);

/* The certificate with its private key, for a server. Fails the test when
 * the files cannot be read. Unref it. */
GTlsCertificate *sensor_test_tls_certificate (void);

G_END_DECLS
