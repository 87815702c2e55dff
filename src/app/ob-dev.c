/* ob-dev.c: the development build's command line and start-up hooks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ob-dev.h"

#define OB_DEV_SCREENSHOT_KEY "ob-dev-screenshot"

void
ob_dev_add_options (GApplication *app)
{
  const GOptionEntry entries[] = {
    /* Used by data/screenshots/update.sh only. */
    { "screenshot", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, NULL,
      "Open the named window or dialog against the sandbox", "NAME" },
    { NULL }
  };

  g_application_add_main_option_entries (app, entries);
}

gboolean
ob_dev_handle_options (GApplication *app,
                       GVariantDict *options)
{
  char *screenshot = NULL;

  if (!g_variant_dict_lookup (options, "screenshot", "s", &screenshot))
    return FALSE;
  g_object_set_data_full (G_OBJECT (app), OB_DEV_SCREENSHOT_KEY, screenshot, g_free);
  return TRUE;
}

gboolean
ob_dev_activate (GApplication *app,
                 ObWindow     *window,
                 gboolean      start_sandbox)
{
  g_autofree char *screenshot = g_object_steal_data (G_OBJECT (app), OB_DEV_SCREENSHOT_KEY);

  ob_dev_bench_attach (window);
  if (screenshot != NULL)
    {
      ob_dev_screenshot_show (window, screenshot);
      return TRUE;
    }
  return start_sandbox && ob_dev_bench_connect (window);
}
