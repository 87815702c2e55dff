/* ob-cli.h: entry point of the offline command group (the engine groups
 * have one header each: ob-cli-vm.h, ob-cli-cluster.h, ...)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `ovirt-balloon-cli ovf ...`: argv[0] is "ovf". */
int ob_cli_ovf_main     (int    argc,
                         char **argv);

G_END_DECLS
