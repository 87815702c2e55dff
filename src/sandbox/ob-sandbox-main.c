/* ob-sandbox-main.c: placeholder until the sandbox engine lands; it refuses to run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>

int
main (int    argc,
      char **argv)
{
  g_printerr ("error: the sandbox engine is not built yet\n");
  return 1;
}
