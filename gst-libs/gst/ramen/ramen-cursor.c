/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:ramen-cursor
 * @title: RAMEN cursor
 * @short_description: the persistent last acknowledged seq of a RAMEN
 *   stream
 *
 * The persistent cursor: the last acknowledged seq of one (app, user)
 * stream, in a small key file. Saving writes a temporary file and renames
 * it over the old one, so a crash leaves either the old or the new cursor.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ramen-cursor.h"
#include "ramen-seq.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#define GROUP "ramen"
#define KEY_SEQ "last_acknowledged_seq"

/**
 * gst_ramen_cursor_error_quark:
 *
 * Returns: the #GQuark of %GST_RAMEN_CURSOR_ERROR
 */
G_DEFINE_QUARK (gst - ramen - cursor - error - quark, gst_ramen_cursor_error)

/* The stored seq, or -1 with a CORRUPT error naming the value. */
static gint64
parse_seq (GKeyFile *kf, GError **error)
{
  g_autofree gchar *raw = g_key_file_get_value (kf, GROUP, KEY_SEQ, NULL);
  g_autofree gchar *shown = NULL;
  gint64 seq;

  if (raw == NULL) {
    g_set_error (error, GST_RAMEN_CURSOR_ERROR, GST_RAMEN_CURSOR_ERROR_CORRUPT,
        "no %s", KEY_SEQ);
    return -1;
  }
  g_strstrip (raw);
  /* g_key_file_get_int64() takes an overflow for G_MAXINT64 */
  if (!g_ascii_string_to_signed (raw, 10, G_MININT64, G_MAXINT64, &seq, NULL)) {
    /* what is shown is bounded and printable whatever the file holds */
    if (strlen (raw) > 64)
      raw[64] = '\0';
    shown = g_strescape (raw, NULL);
    g_set_error (error, GST_RAMEN_CURSOR_ERROR, GST_RAMEN_CURSOR_ERROR_CORRUPT,
        "%s \"%s\" is not a number", KEY_SEQ, shown);
    return -1;
  }
  if (seq < 0 || seq > GST_RAMEN_SEQ_MAX) {
    g_set_error (error, GST_RAMEN_CURSOR_ERROR, GST_RAMEN_CURSOR_ERROR_CORRUPT,
        "%s %" G_GINT64_FORMAT " is out of range (0..%" G_GINT64_FORMAT ")",
        KEY_SEQ, seq, GST_RAMEN_SEQ_MAX);
    return -1;
  }
  return seq;
}

/**
 * gst_ramen_cursor_load:
 * @path: the cursor file
 * @app_id: the app of the stream
 * @user_id: the user of the stream
 * @error: a #GError
 *
 * Returns: the stored seq, 0 when the file does not exist or belongs to
 *   another app/user (a fresh stream), -1 with @error when it is
 *   unreadable (a #G_FILE_ERROR) or corrupt
 *   (%GST_RAMEN_CURSOR_ERROR_CORRUPT, the message names the offending
 *   value)
 */
gint64
gst_ramen_cursor_load (const gchar *path, const gchar *app_id,
    const gchar *user_id, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) err = NULL;
  g_autofree gchar *stored_app = NULL;
  g_autofree gchar *stored_user = NULL;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &err)) {
    if (g_error_matches (err, G_FILE_ERROR, G_FILE_ERROR_NOENT))
      return 0;
    /* read but not parsed: the content is at fault, not the file */
    if (err->domain == G_KEY_FILE_ERROR)
      g_set_error (error, GST_RAMEN_CURSOR_ERROR,
          GST_RAMEN_CURSOR_ERROR_CORRUPT, "not a cursor file: %s",
          err->message);
    else
      g_propagate_error (error, g_steal_pointer (&err));
    return -1;
  }
  stored_app = g_key_file_get_string (kf, GROUP, "app_id", NULL);
  stored_user = g_key_file_get_string (kf, GROUP, "user_id", NULL);
  if (g_strcmp0 (stored_app, app_id ? app_id : "") != 0 ||
      g_strcmp0 (stored_user, user_id ? user_id : "") != 0)
    return 0;
  return parse_seq (kf, error);
}

/**
 * gst_ramen_cursor_set_aside:
 * @path: the cursor file
 * @error: a #GError
 *
 * Renames a corrupt cursor to PATH.corrupt (replacing an older one) so
 * that it can be looked at while the next save starts afresh.
 *
 * Returns: (transfer full) (nullable): the new path, or %NULL with @error
 *   set when the rename failed
 */
gchar *
gst_ramen_cursor_set_aside (const gchar *path, GError **error)
{
  g_autofree gchar *aside = g_strconcat (path, ".corrupt", NULL);

  if (g_rename (path, aside) != 0) {
    int errsv = errno;

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
        "cannot rename %s to %s: %s", path, aside, g_strerror (errsv));
    return NULL;
  }
  return g_steal_pointer (&aside);
}

/**
 * gst_ramen_cursor_save:
 * @path: the cursor file
 * @app_id: the app of the stream
 * @user_id: the user of the stream
 * @seq: the last acknowledged seq
 * @error: a #GError
 *
 * Stores @seq for (@app_id, @user_id), atomically.
 *
 * Returns: %FALSE with @error (a #G_FILE_ERROR) when the file could not be
 *   written; the old cursor is then left as it was
 */
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
