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

#define GST_RAMEN_CURSOR_ERROR (gst_ramen_cursor_error_quark ())
GQuark gst_ramen_cursor_error_quark (void);

typedef enum {
  /* the file was read but holds no usable cursor: not a key file, no seq,
   * a seq that is not a number or outside 0..GST_RAMEN_SEQ_MAX */
  GST_RAMEN_CURSOR_ERROR_CORRUPT,
} GstRamenCursorError;

/* Returns the stored seq, 0 when the file does not exist or belongs to
 * another app/user (a fresh stream), -1 with @error when it is unreadable
 * (a G_FILE_ERROR) or corrupt (GST_RAMEN_CURSOR_ERROR_CORRUPT, the message
 * names the offending value). */
gint64 gst_ramen_cursor_load (const gchar *path, const gchar *app_id,
    const gchar *user_id, GError **error);

gboolean gst_ramen_cursor_save (const gchar *path, const gchar *app_id,
    const gchar *user_id, gint64 seq, GError **error);

/* Renames a corrupt cursor to PATH.corrupt (replacing an older one) so
 * that it can be looked at while the next save starts afresh. Returns the
 * new path (free it), NULL with @error when the rename failed. */
gchar *gst_ramen_cursor_set_aside (const gchar *path, GError **error);

G_END_DECLS
