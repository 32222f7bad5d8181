/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs a libFuzzer target over every file of the directories or files given
 * on the command line, so that the seed corpus and every crash found once
 * stay regression tests in builds without libFuzzer.
 */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static guint
run_path (const gchar *path)
{
  guint n = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
    GDir *dir = g_dir_open (path, 0, NULL);
    const gchar *name;

    while (dir && (name = g_dir_read_name (dir)) != NULL) {
      gchar *child = g_build_filename (path, name, NULL);

      n += run_path (child);
      g_free (child);
    }
    if (dir)
      g_dir_close (dir);
  } else {
    gchar *data = NULL;
    gsize len = 0;

    if (g_file_get_contents (path, &data, &len, NULL)) {
      LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
      n++;
    }
    g_free (data);
  }
  return n;
}

int
main (int argc, char **argv)
{
  guint n = 0;
  int i;

  /* the empty input and a few degenerate ones are always run */
  LLVMFuzzerTestOneInput ((const uint8_t *) "", 0);
  LLVMFuzzerTestOneInput ((const uint8_t *) "\0", 1);
  LLVMFuzzerTestOneInput ((const uint8_t *) "{", 1);
  for (i = 1; i < argc; i++)
    n += run_path (argv[i]);
  printf ("%u passed, 0 failed\n", n + 3);
  return 0;
}
