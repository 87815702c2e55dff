/* ob-cli-template.h: `ovirt-balloon-cli template list`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ob-cli-output.h"
#include "ob-cli-session.h"

G_BEGIN_DECLS

/* Runs `template COMMAND OPERANDS...`; returns the exit code. */
int ob_cli_template_main (ObCliSession             *session,
                     const ObCliOutputOptions *output,
                     const char               *command,
                     char                    **operands);

G_END_DECLS
