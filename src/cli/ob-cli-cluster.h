/* ob-cli-cluster.h: `ovirt-balloon-cli cluster list`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ob-cli-output.h"
#include "ob-cli-session.h"

G_BEGIN_DECLS

/* Runs `cluster COMMAND OPERANDS...`; returns the exit code. */
int ob_cli_cluster_main (ObCliSession             *session,
                     const ObCliOutputOptions *output,
                     const char               *command,
                     char                    **operands);

G_END_DECLS
