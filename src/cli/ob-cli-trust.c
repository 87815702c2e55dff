/* ob-cli-trust.c: `ovirt-balloon-cli engine trust`: shows the engine CA's
 * fingerprint and stores the CA once the user confirms it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "ob-cli-output.h"
#include "ob-cli-trust.h"
#include "ob-error.h"
#include "ob-trust-store.h"

GOptionEntry *
ob_cli_trust_option_entries (ObCliTrustOptions *options)
{
  const GOptionEntry entries[] = {
    { "yes", 0, 0, G_OPTION_ARG_NONE, &options->yes, NULL, NULL },
    { "fingerprint", 0, 0, G_OPTION_ARG_FILENAME, &options->fingerprint, NULL, NULL },
    { NULL }
  };

  return g_memdup2 (entries, sizeof entries);
}

void
ob_cli_trust_options_clear (ObCliTrustOptions *options)
{
  g_clear_pointer (&options->fingerprint, g_free);
}

static int
cmd_engine_trust (ObCliSession            *session,
                  const ObCliTrustOptions *options,
                  guint                    n_operands)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GTlsCertificate) ca = NULL;
  g_autoptr(ObTrustStore) store = NULL;
  g_autofree char *fingerprint = NULL;
  const char *confirmed = NULL;

  if (n_operands != 0)
    return ob_cli_usage_error (_("engine trust takes no operands."));
  if (!ob_cli_session_connect (session, &error))
    return ob_cli_session_report (session, error);

  ob_connection_fetch_ca_async (session->connection, session->cancellable, ob_cli_store_result, &result);
  ca = ob_connection_fetch_ca_finish (session->connection, ob_cli_wait_for (&result), &fingerprint, &error);
  if (ca == NULL)
    return ob_cli_session_report (session, error);

  g_print (_("Engine %s serves a CA certificate with SHA-256 fingerprint\n  %s\n"),
           ob_connection_get_engine_key (session->connection), fingerprint);
  if (ob_connection_get_peer_certificate (session->connection) != NULL)
    {
      g_autofree char *server = ob_tls_certificate_fingerprint (ob_connection_get_peer_certificate (session->connection));

      g_print (_("It signs the engine's server certificate, SHA-256 fingerprint\n  %s\n"), server);
    }

  if (options->fingerprint != NULL)
    confirmed = options->fingerprint;
  else if (options->yes)
    confirmed = fingerprint;
  else if (isatty (STDIN_FILENO))
    {
      char answer[16] = "";

      g_print ("%s", _("Compare it with the one your engine administrator gave you.\n"
                       "Trust this CA for this engine? [y/N] "));
      fflush (stdout);
      if (fgets (answer, sizeof answer, stdin) != NULL &&
          (answer[0] == 'y' || answer[0] == 'Y'))
        confirmed = fingerprint;
    }

  if (confirmed == NULL)
    {
      g_print ("%s\n", _("Not trusted: nothing was stored. Run again with --yes, or with "
                         "--fingerprint SHA256 to trust it."));
      return OB_EXIT_OK;
    }

  store = ob_trust_store_new (NULL);
  if (!ob_trust_store_trust (store, ob_connection_get_engine_key (session->connection), ca, confirmed, &error))
    return ob_cli_session_report (session, error);
  g_print (_("Trusted: stored in %s.\n"), ob_trust_store_get_directory (store));
  return OB_EXIT_OK;
}

int
ob_cli_trust_main (ObCliSession            *session,
                   const ObCliTrustOptions *options,
                   const char              *command,
                   char                   **operands)
{
  if (strcmp (command, "trust") == 0)
    return cmd_engine_trust (session, options, g_strv_length (operands));
  return ob_cli_usage_error (_("Unknown command “%s %s”."), "engine", command);
}
