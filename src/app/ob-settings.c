/* ob-settings.c: the app's GSettings, also when run from the build tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ob-settings.h"

/* An uninstalled binary lives in BUILD/src; meson compiles the schema into
 * BUILD/data. */
static GSettingsSchemaSource *
ob_settings_uninstalled_source (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exe_dir = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *compiled = NULL;

  if (exe == NULL)
    return NULL;
  exe_dir = g_path_get_dirname (exe);
  dir = g_build_filename (exe_dir, "..", "data", NULL);
  compiled = g_build_filename (dir, "gschemas.compiled", NULL);
  if (!g_file_test (compiled, G_FILE_TEST_IS_REGULAR))
    return NULL;
  return g_settings_schema_source_new_from_directory (dir, g_settings_schema_source_get_default (),
                                                      FALSE, NULL);
}

GSettings *
ob_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaSource) uninstalled = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      uninstalled = ob_settings_uninstalled_source ();
      if (uninstalled != NULL)
        schema = g_settings_schema_source_lookup (uninstalled, APP_ID, FALSE);
    }
  if (schema == NULL)
    {
      g_message ("The settings schema %s is not installed: recent engines and the window size "
                 "will not be remembered", APP_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}
