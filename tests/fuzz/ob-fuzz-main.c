/* ob-fuzz-main.c: replays fuzz inputs without libFuzzer, as a TAP test
 *
 * Usage: TARGET PATH... where each PATH is a file or a directory of
 * files (read in name order). Prints one TAP result per input; an input
 * that crashes the target ends the run, which meson reports as a failure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>

#include "ob-fuzz.h"

static gint
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  /* A seed or regression directory may not exist yet. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    collect (names->pdata[i], files);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  guint failed = 0;

  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    if (g_strcmp0 (argv[i], "--tap") != 0)
      collect (argv[i], files);

  g_print ("1..%u\n", files->len);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = files->pdata[i];
      g_autofree char *data = NULL;
      g_autofree char *base = g_path_get_basename (path);
      gsize len = 0;

      if (!g_file_get_contents (path, &data, &len, NULL))
        {
          g_print ("not ok %u - %s (unreadable)\n", i + 1, base);
          failed++;
          continue;
        }
      LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
      g_print ("ok %u - %s\n", i + 1, base);
    }
  return failed ? 1 : 0;
}
