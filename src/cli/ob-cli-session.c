/* ob-cli-session.c: the CLI's connection to an engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ob-cli-session.h"
#include "ob-error.h"
#include "ob-trust-store.h"

void
ob_cli_session_clear (ObCliSession *session)
{
  g_clear_pointer (&session->engine, g_free);
  g_clear_pointer (&session->user, g_free);
  g_clear_pointer (&session->password_file, g_free);
  g_clear_pointer (&session->ca_file, g_free);
  g_clear_pointer (&session->timeout_text, g_free);
  g_clear_object (&session->client);
  g_clear_object (&session->connection);
  g_clear_object (&session->cancellable);
}

GOptionEntry *
ob_cli_session_option_entries (ObCliSession *session)
{
  /* FILENAME, not STRING: values pass through as given, whatever the
   * locale. No descriptions: the help is the CLI's own usage text. */
  const GOptionEntry entries[] = {
    { "engine", 0, 0, G_OPTION_ARG_FILENAME, &session->engine, NULL, NULL },
    { "user", 0, 0, G_OPTION_ARG_FILENAME, &session->user, NULL, NULL },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &session->password_file, NULL, NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &session->ca_file, NULL, NULL },
    { "insecure", 0, 0, G_OPTION_ARG_NONE, &session->insecure, NULL, NULL },
    { "timeout", 0, 0, G_OPTION_ARG_FILENAME, &session->timeout_text, NULL, NULL },
    { NULL }
  };

  return g_memdup2 (entries, sizeof entries);
}

gboolean
ob_cli_session_check_options (ObCliSession  *session,
                              GError       **error)
{
  guint64 value = 0;

  session->timeout = OB_CONNECTION_DEFAULT_TIMEOUT;
  if (session->timeout_text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (session->timeout_text, 10, 1, 3600, &value, NULL))
    {
      g_set_error (error, OB_ERROR, OB_ERROR_USAGE,
                   _("--timeout takes a number of seconds between 1 and 3600, not “%s”."),
                   session->timeout_text);
      return FALSE;
    }
  session->timeout = (guint) value;
  return TRUE;
}

void
ob_cli_store_result (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

GAsyncResult *
ob_cli_wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static gboolean
env_true (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL &&
         (g_ascii_strcasecmp (value, "1") == 0 || g_ascii_strcasecmp (value, "true") == 0 ||
          g_ascii_strcasecmp (value, "yes") == 0);
}

/* Only the first line counts: the line break that a file or `echo` adds
 * is not part of the password. @buffer is wiped so that no copy lingers. */
static char *
first_line_password (char        *buffer,
                     gsize        size,
                     const char  *empty_message,
                     GError     **error)
{
  char *password = NULL;

  buffer[strcspn (buffer, "\r\n")] = '\0';
  if (*buffer == '\0')
    g_set_error_literal (error, OB_ERROR, OB_ERROR_BAD_INPUT, empty_message);
  else
    password = g_strdup (buffer);
  memset (buffer, 0, size);
  return password;
}

static char *
read_password (ObCliSession  *session,
               GError       **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;

  if (session->password_file == NULL)
    {
      const char *env = g_getenv ("OVIRT_PASSWORD");

      if (env == NULL)
        {
          g_set_error_literal (error, OB_ERROR, OB_ERROR_USAGE,
                               _("No password: use --password-file FILE or OVIRT_PASSWORD."));
          return NULL;
        }
      return g_strdup (env);
    }

  if (strcmp (session->password_file, "-") == 0)
    {
      char line[1024];

      if (fgets (line, sizeof line, stdin) == NULL)
        {
          g_set_error_literal (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                               _("No password could be read from standard input."));
          return NULL;
        }
      return first_line_password (line, sizeof line,
                                  _("The password read from standard input is empty."), error);
    }

  if (!g_file_get_contents (session->password_file, &contents, &len, &local_error))
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("Cannot read the password file: %s"), local_error->message);
      return NULL;
    }
  return first_line_password (contents, len, _("The password file is empty."), error);
}

gboolean
ob_cli_session_connect (ObCliSession  *session,
                        GError       **error)
{
  const char *url = session->engine ? session->engine : g_getenv ("OVIRT_URL");
  const char *ca_file = session->ca_file ? session->ca_file : g_getenv ("OVIRT_CAFILE");
  g_autoptr(ObTrustStore) store = ob_trust_store_new (NULL);

  session->connection = ob_connection_new (url, error);
  if (session->connection == NULL)
    return FALSE;
  ob_connection_set_timeout (session->connection, session->timeout);
  ob_connection_set_ca_file (session->connection, ca_file);
  ob_connection_set_trust_store (session->connection, store);
  if (session->insecure || env_true ("OVIRT_INSECURE"))
    {
      ob_connection_set_insecure (session->connection, TRUE);
      g_printerr ("%s\n", _("warning: TLS certificate verification is disabled (--insecure): "
                            "the engine's identity is not checked."));
    }
  return TRUE;
}

gboolean
ob_cli_session_open (ObCliSession  *session,
                     GError       **error)
{
  g_autofree char *password = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  const char *user = session->user ? session->user : g_getenv ("OVIRT_USERNAME");

  if (!ob_cli_session_connect (session, error))
    return FALSE;
  if (user == NULL || *user == '\0')
    {
      g_set_error_literal (error, OB_ERROR, OB_ERROR_USAGE,
                           _("No user name: use --user USER or OVIRT_USERNAME."));
      return FALSE;
    }
  password = read_password (session, error);
  if (password == NULL)
    return FALSE;
  ob_connection_set_credentials (session->connection, user, password);
  memset (password, 0, strlen (password));

  ob_connection_open_async (session->connection, session->cancellable, ob_cli_store_result, &result);
  if (!ob_connection_open_finish (session->connection, ob_cli_wait_for (&result), error))
    return FALSE;
  session->client = ob_client_new (session->connection);
  return TRUE;
}

void
ob_cli_session_close (ObCliSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (session->connection == NULL)
    return;
  /* Logging out is best effort: the token expires anyway. */
  ob_connection_close_async (session->connection, NULL, ob_cli_store_result, &result);
  ob_connection_close_finish (session->connection, ob_cli_wait_for (&result), NULL);
}

/* The hint gives the CA's own fingerprint (fetched, and checked to sign
 * what the engine presented), since that is what an administrator can
 * compare with. Nothing is trusted here. */
int
ob_cli_session_report (ObCliSession *session,
                       const GError *error)
{
  int rc = ob_error_report (error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GTlsCertificate) ca = NULL;
  g_autofree char *fingerprint = NULL;

  if (!g_error_matches (error, OB_ERROR, OB_ERROR_TLS_UNTRUSTED) || session->connection == NULL ||
      ob_connection_get_tls_errors (session->connection) != G_TLS_CERTIFICATE_UNKNOWN_CA)
    return rc;

  ob_connection_fetch_ca_async (session->connection, session->cancellable, ob_cli_store_result, &result);
  ca = ob_connection_fetch_ca_finish (session->connection, ob_cli_wait_for (&result), &fingerprint, NULL);
  if (ca != NULL)
    g_printerr (_("hint: the engine's CA has SHA-256 fingerprint %s; if your engine administrator "
                  "confirms it, run 'ovirt-balloon-cli --engine %s engine trust --fingerprint %s', "
                  "or pass --ca-file.\n"),
                fingerprint, ob_connection_get_api_url (session->connection), fingerprint);
  else
    g_printerr (_("hint: 'ovirt-balloon-cli --engine %s engine trust' shows the engine CA's fingerprint "
                  "and trusts it once you confirm; or pass --ca-file.\n"),
                ob_connection_get_api_url (session->connection));
  return rc;
}
