/* ob-cli.h: entry points of the CLI's command groups
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Print "error: MESSAGE" as one line on stderr and return the exit code
 * that matches @error (see ob_error_exit_code()). */
int ob_cli_report_error (const GError *error);

/* `ovirt-balloon-cli ovf ...`: argv[0] is "ovf". */
int ob_cli_ovf_main     (int    argc,
                         char **argv);

G_END_DECLS
