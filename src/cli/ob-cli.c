/* ob-cli.c: ovirt-balloon-cli's entry point and dispatch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ob-cli.h"
#include "ob-error.h"

int
ob_cli_report_error (const GError *error)
{
  g_autofree char *line = NULL;

  g_return_val_if_fail (error != NULL, OB_EXIT_FAILED);

  /* One line, whatever the message holds: scripts grep for "error:". */
  line = g_strdelimit (g_strdup (error->message), "\r\n", ' ');
  g_printerr ("%s %s\n", _("error:"), line);
  return ob_error_exit_code (error);
}

static void
print_usage (FILE *out)
{
  fprintf (out, "%s",
           _("Usage:\n"
             "  ovirt-balloon-cli ovf show FILE [--json]\n"
             "  ovirt-balloon-cli ovf set-balloon FILE on|off [--output OUT] [--force] [--backup]\n"
             "  ovirt-balloon-cli [CONNECTION OPTIONS] vm|cluster|template COMMAND ...\n"
             "\n"
             "Run 'ovirt-balloon-cli ovf --help' or 'ovirt-balloon-cli vm --help' for details.\n"));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return OB_EXIT_USAGE;
    }

  if (strcmp (argv[1], "--version") == 0)
    {
      g_print ("ovirt-balloon-cli %s\n", PACKAGE_VERSION);
      return OB_EXIT_OK;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      print_usage (stdout);
      return OB_EXIT_OK;
    }

  /* The offline group takes no connection options, so it is only ever the
   * first word; everything else is the engine group's, which parses the
   * global options itself. */
  if (strcmp (argv[1], "ovf") == 0)
    return ob_cli_ovf_main (argc - 1, argv + 1);
  return ob_cli_engine_main (argc, argv);
}
