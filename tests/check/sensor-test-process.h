/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Test helper: runs a server process (sensor-cloud or a Python peer) that
 * announces its ports as JSON lines on stdout ({"part": ..., "port": N}).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess *proc;
  GDataInputStream *out; /* kept open: the child may print more */
  guint port;
} SensorTestProcess;

/* Starts @argv and waits for the port announced for @part (NULL: the first
 * port announced). Fails the test when none is. The child dies with the
 * test process. */
void sensor_test_process_start (
    SensorTestProcess *p, const gchar *const *argv, const gchar *part);

/* Starts the build's sensor-cloud with `--only @only --port 0` and @extra
 * (NULL-terminated, may be NULL), waiting for @part's port. */
void sensor_test_cloud_start (SensorTestProcess *p, const gchar *only,
    const gchar *part, const gchar *const *extra);

/* SIGTERM, then waits. Returns whether the process exited cleanly. */
gboolean sensor_test_process_stop (SensorTestProcess *p);

G_END_DECLS
