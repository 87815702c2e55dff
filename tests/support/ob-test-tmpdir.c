/* ob-test-tmpdir.c: scratch directories for tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ob-test-tmpdir.h"

#include <glib/gstdio.h>

char *
ob_test_tmpdir_new (const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strconcat (prefix, "-XXXXXX", NULL);
  char *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  return dir;
}

void
ob_test_tmpdir_remove (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  /* Tests make files read-only to provoke errors: writable again first. */
  g_chmod (path, 0755);
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        ob_test_tmpdir_remove (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

guint
ob_test_tmpdir_count (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}
