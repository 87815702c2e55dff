/* ob-sandbox-main.c: ovirt-balloon-sandbox, the local oVirt-compatible
 * engine as a program.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ob-error.h"
#include "ob-sandbox.h"
#include "ob-sandbox-auth.h"
#include "ob-sandbox-era.h"

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

/* Reads one line (the password) from stdin, without echo when it is a
 * terminal, and prints a users file line. */
static int
hash_password (const char *user)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  char buffer[1024];
  gsize len;

  if (isatty (STDIN_FILENO))
    g_printerr (_("Password for %s: "), user);
  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    {
      g_set_error_literal (&error, OB_ERROR, OB_ERROR_USAGE, _("No password on standard input."));
      return ob_error_report (error);
    }
  len = strlen (buffer);
  while (len > 0 && (buffer[len - 1] == '\n' || buffer[len - 1] == '\r'))
    buffer[--len] = '\0';

  hash = ob_sandbox_auth_hash_password (buffer, &error);
  explicit_bzero (buffer, sizeof buffer);
  if (hash == NULL)
    return ob_error_report (error);
  g_print ("%s:%s\n", user, hash);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *listen = NULL;
  g_autofree char *db = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *users = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *tls_ca = NULL;
  g_autofree char *hash_user = NULL;
  g_autofree char *engine_version = NULL;
  gboolean in_memory = FALSE;
  int port = 0;
  int token_lifetime = OB_SANDBOX_DEFAULT_TOKEN_LIFETIME;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSandbox) sandbox = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, N_("Address to listen on (default 127.0.0.1)"), N_("ADDR") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("Port (default 0: a free port)"), N_("N") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Database file (default $XDG_DATA_HOME/ovirt-balloon/sandbox.db)"), N_("FILE") },
    { "in-memory", 0, 0, G_OPTION_ARG_NONE, &in_memory, N_("Keep the database in memory only"), NULL },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed, N_("Seed an empty database: “demo” or a number of VMs"), N_("demo|N") },
    { "users", 0, 0, G_OPTION_ARG_FILENAME, &users, N_("Users file of user@domain:HASH lines (default: the demo user)"), N_("FILE") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, N_("Serve HTTPS with this PEM certificate"), N_("PEM") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, N_("The certificate's PEM private key"), N_("PEM") },
    { "tls-ca", 0, 0, G_OPTION_ARG_FILENAME, &tls_ca, N_("CA certificate to serve at pki-resource (default: the certificate)"), N_("PEM") },
    { "token-lifetime", 0, 0, G_OPTION_ARG_INT, &token_lifetime, N_("Seconds an SSO token lives (default 1800)"), N_("S") },
    { "engine-version", 0, 0, G_OPTION_ARG_STRING, &engine_version, N_("The oVirt engine version to behave as: 4.5 (default) or 4.4.5 and older, where the balloon is a device"), N_("VERSION") },
    { "hash-password", 0, 0, G_OPTION_ARG_STRING, &hash_user, N_("Read a password on stdin and print a users file line for USER"), N_("USER") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("A local oVirt-compatible engine (REST API v4) for "
                                           "trying and testing ovirt-balloon."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      /* GOption's own domain would map to "failed": it is a usage error. */
      g_autoptr(GError) usage = g_error_new_literal (OB_ERROR, OB_ERROR_USAGE, error->message);

      return ob_error_report (usage);
    }
  if (argc > 1)
    {
      g_set_error (&error, OB_ERROR, OB_ERROR_USAGE, _("unexpected argument “%s”"), argv[1]);
      return ob_error_report (error);
    }
  if (port < 0 || port > 65535 || token_lifetime < 1)
    {
      g_set_error_literal (&error, OB_ERROR, OB_ERROR_USAGE,
                           _("--port must be 0-65535 and --token-lifetime at least 1"));
      return ob_error_report (error);
    }

  if (hash_user != NULL)
    return hash_password (hash_user);

  if (db == NULL && !in_memory)
    {
      g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "ovirt-balloon", NULL);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (&error, OB_ERROR, OB_ERROR_IO, _("cannot create %s: %s"), dir, g_strerror (saved_errno));
          return ob_error_report (error);
        }
      db = g_build_filename (dir, "sandbox.db", NULL);
    }

  sandbox = g_object_new (OB_TYPE_SANDBOX,
                          "listen-address", listen ? listen : "127.0.0.1",
                          "port", (guint) port,
                          "database", in_memory ? NULL : db,
                          "seed", seed,
                          "users-file", users,
                          "tls-certificate", tls_cert,
                          "tls-key", tls_key,
                          "tls-ca", tls_ca,
                          "token-lifetime", (guint) token_lifetime,
                          "engine-version", engine_version ? engine_version : OB_SANDBOX_ENGINE_VERSION_DEFAULT,
                          NULL);
  if (!ob_sandbox_start (sandbox, &error))
    return ob_error_report (error);

  /* The one line scripts wait for. */
  g_print ("%s\n", ob_sandbox_get_base_url (sandbox));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);

  ob_sandbox_stop (sandbox);
  return 0;
}
