/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * GST_RAMEN_CURSOR_ERROR:
 *
 * The error domain of cursor files, codes from #GstRamenCursorError.
 */
#define GST_RAMEN_CURSOR_ERROR (gst_ramen_cursor_error_quark ())
GQuark gst_ramen_cursor_error_quark (void);

/**
 * GstRamenCursorError:
 * @GST_RAMEN_CURSOR_ERROR_CORRUPT: the file was read but holds no usable
 *   cursor: not a key file, no seq, a seq that is not a number or outside
 *   0..GST_RAMEN_SEQ_MAX
 *
 * Why a cursor file was refused.
 */
typedef enum {
  GST_RAMEN_CURSOR_ERROR_CORRUPT,
} GstRamenCursorError;

gint64 gst_ramen_cursor_load (const gchar *path, const gchar *app_id,
    const gchar *user_id, GError **error);

gboolean gst_ramen_cursor_save (const gchar *path, const gchar *app_id,
    const gchar *user_id, gint64 seq, GError **error);

gchar *gst_ramen_cursor_set_aside (const gchar *path, GError **error);

G_END_DECLS
