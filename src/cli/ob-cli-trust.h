/* ob-cli-trust.h: `ovirt-balloon-cli engine trust`, trust on first use
 * of an engine's CA
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ob-cli-session.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean yes;
  char *fingerprint;
} ObCliTrustOptions;

/* --yes and --fingerprint; values point into @options. Free with g_free(). */
GOptionEntry *ob_cli_trust_option_entries (ObCliTrustOptions       *options);
void          ob_cli_trust_options_clear  (ObCliTrustOptions       *options);

/* Runs `engine COMMAND OPERANDS...`; returns the exit code. */
int           ob_cli_trust_main           (ObCliSession            *session,
                                           const ObCliTrustOptions *options,
                                           const char              *command,
                                           char                   **operands);

G_END_DECLS
