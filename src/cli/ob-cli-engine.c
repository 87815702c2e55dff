/* ob-cli-engine.c: placeholder until this command group lands; it refuses to run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ob-cli.h"
#include "ob-error.h"

int
ob_cli_engine_main (int    argc,
                  char **argv)
{
  g_printerr ("error: this command group is not built yet\n");
  return OB_EXIT_FAILED;
}
