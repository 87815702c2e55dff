/* ob-cli-vm.h: `ovirt-balloon-cli vm list|show|set-balloon|add|run-once`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ob-cli-output.h"
#include "ob-cli-session.h"

G_BEGIN_DECLS

typedef struct
{
  char *search;
  gboolean next_run;
  gboolean force;
  char *cluster;
  char *template_name;
  char *memory;
  char *balloon;
  gboolean emulate;
  gboolean is_volatile;
} ObCliVmOptions;

/* The vm commands' options; values point into @options. Free with g_free(). */
GOptionEntry *ob_cli_vm_option_entries (ObCliVmOptions           *options);
void          ob_cli_vm_options_clear  (ObCliVmOptions           *options);

/* Runs `vm COMMAND OPERANDS...`; returns the exit code. */
int           ob_cli_vm_main           (ObCliSession             *session,
                                        const ObCliVmOptions     *options,
                                        const ObCliOutputOptions *output,
                                        const char               *command,
                                        char                    **operands);

G_END_DECLS
