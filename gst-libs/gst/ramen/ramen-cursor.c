/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ramen-cursor.h"

#define GROUP "ramen"
#define KEY_SEQ "last_acknowledged_seq"

gint64
gst_ramen_cursor_load (const gchar *path, const gchar *app_id,
    const gchar *user_id, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) err = NULL;
  g_autofree gchar *stored_app = NULL;
  g_autofree gchar *stored_user = NULL;
  gint64 seq;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &err)) {
    if (g_error_matches (err, G_FILE_ERROR, G_FILE_ERROR_NOENT))
      return 0;
    g_propagate_error (error, g_steal_pointer (&err));
    return -1;
  }
  stored_app = g_key_file_get_string (kf, GROUP, "app_id", NULL);
  stored_user = g_key_file_get_string (kf, GROUP, "user_id", NULL);
  if (g_strcmp0 (stored_app, app_id ? app_id : "") != 0 ||
      g_strcmp0 (stored_user, user_id ? user_id : "") != 0)
    return 0;
  seq = g_key_file_get_int64 (kf, GROUP, KEY_SEQ, &err);
  if (err != NULL || seq < 0) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: no valid %s",
        path, KEY_SEQ);
    return -1;
  }
  return seq;
}

gboolean
gst_ramen_cursor_save (const gchar *path, const gchar *app_id,
    const gchar *user_id, gint64 seq, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autofree gchar *data = NULL;
  gsize len;

  g_key_file_set_string (kf, GROUP, "app_id", app_id ? app_id : "");
  g_key_file_set_string (kf, GROUP, "user_id", user_id ? user_id : "");
  g_key_file_set_int64 (kf, GROUP, KEY_SEQ, seq);
  data = g_key_file_to_data (kf, &len, NULL);
  /* temporary file + rename, no fsync per event */
  return g_file_set_contents_full (
      path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}
