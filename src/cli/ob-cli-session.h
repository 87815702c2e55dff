/* ob-cli-session.h: the CLI's connection to an engine: settings from
 * options and OVIRT_* variables, the password, login and logout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ob-client.h"
#include "ob-connection.h"

G_BEGIN_DECLS

typedef struct
{
  /* settings, from the options */
  char *engine;
  char *user;
  char *password_file;
  char *ca_file;
  char *timeout_text;
  gboolean insecure;
  guint timeout;

  /* state */
  GCancellable *cancellable;
  ObConnection *connection;
  ObClient *client;
} ObCliSession;

void          ob_cli_session_clear          (ObCliSession  *session);

/* The connection options; values point into @session. Free with g_free(). */
GOptionEntry *ob_cli_session_option_entries (ObCliSession  *session);

/* Checks what the options alone can tell (the --timeout range). */
gboolean      ob_cli_session_check_options  (ObCliSession  *session,
                                             GError       **error);

/* Builds the connection without logging in (enough for `engine trust`). */
gboolean      ob_cli_session_connect        (ObCliSession  *session,
                                             GError       **error);
/* Builds the connection, reads the password, logs in and makes the client. */
gboolean      ob_cli_session_open           (ObCliSession  *session,
                                             GError       **error);
/* Logs out, best effort. */
void          ob_cli_session_close          (ObCliSession  *session);

/* ob_error_report(), plus a hint when trusting the engine's CA would
 * help. Returns the exit code. */
int           ob_cli_session_report         (ObCliSession  *session,
                                             const GError  *error);

/* Waiting for one async call at a time on the default main context: pass
 * ob_cli_store_result with &slot as its data, then ob_cli_wait_for (&slot). */
void          ob_cli_store_result           (GObject       *source,
                                             GAsyncResult  *result,
                                             gpointer       user_data);
GAsyncResult *ob_cli_wait_for               (GAsyncResult **slot);

G_END_DECLS
