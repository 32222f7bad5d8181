/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The persistent cursor: the last acknowledged seq of one (app, user)
 * stream, in a small key file. Saving writes a temporary file and renames
 * it over the old one, so a crash leaves either the old or the new cursor.
 */

/* Returns the stored seq, 0 when the file does not exist or belongs to
 * another app/user (a fresh stream), -1 with @error when it is unreadable
 * or malformed. */
gint64 gst_ramen_cursor_load (const gchar *path, const gchar *app_id,
    const gchar *user_id, GError **error);

gboolean gst_ramen_cursor_save (const gchar *path, const gchar *app_id,
    const gchar *user_id, gint64 seq, GError **error);

G_END_DECLS
