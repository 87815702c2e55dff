/* ob-sandbox.h: the local oVirt-compatible engine (REST v4, SSO, SQLite),
 * startable in-process. It serves from its own thread with its own
 * GMainContext, so a GTK main loop or a test's SoupSession in the same
 * process never deadlocks against it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The built-in demo account (see docs/sandbox.md for its password). */
#define OB_SANDBOX_DEMO_USER "admin@internal"

/* The engine's Blank template, present in every sandbox database. */
#define OB_SANDBOX_BLANK_TEMPLATE_ID "00000000-0000-0000-0000-000000000000"

#define OB_SANDBOX_DEFAULT_TOKEN_LIFETIME 1800
#define OB_SANDBOX_DEFAULT_IDLE_TIMEOUT   120
#define OB_SANDBOX_DEFAULT_MAX_CONNECTIONS 256

#define OB_TYPE_SANDBOX (ob_sandbox_get_type ())
G_DECLARE_FINAL_TYPE (ObSandbox, ob_sandbox, OB, SANDBOX, GObject)

/* Properties (all construct-time; changing them after start has no effect):
 *   "listen-address"  string, default "127.0.0.1"
 *   "port"            uint, 0 = pick a free port (read back after start)
 *   "database"        string, file path; NULL = in-memory database
 *   "seed"            string, "demo", a number of VMs ("10000"), or NULL.
 *                     Applied only when the database has no VMs yet.
 *   "users-file"      string, NULL = the built-in demo user only
 *   "tls-certificate" string, PEM path; with "tls-key" turns on HTTPS
 *   "tls-key"         string, PEM path
 *   "tls-ca"          string, PEM served at pki-resource; default the certificate
 *   "token-lifetime"  uint, seconds an SSO token lives (default 1800)
 *   "idle-timeout"    uint, seconds before an idle connection is closed (120)
 *   "max-connections" uint, connections served at once; more are closed (256)
 *   "engine-version"  string, the oVirt engine version to behave as: "4.5"
 *                     (default; 4.4.6 and later keep the balloon as a VM
 *                     flag) or e.g. "4.4.5" (the balloon is a device).
 *                     A bad version fails the start with OB_ERROR_USAGE.
 */
ObSandbox  *ob_sandbox_new            (void);

/* Opens the database (migrating it), seeds it, and starts listening in a
 * new thread. Returns once it listens (or failed). */
gboolean    ob_sandbox_start          (ObSandbox           *self,
                                       GError             **error);
void        ob_sandbox_start_async    (ObSandbox           *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean    ob_sandbox_start_finish   (ObSandbox           *self,
                                       GAsyncResult        *result,
                                       GError             **error);

/* Stops serving, waits for the thread and closes the database. Safe to
 * call twice; also done on dispose. */
void        ob_sandbox_stop           (ObSandbox           *self);

gboolean    ob_sandbox_is_running     (ObSandbox           *self);

/* "http://127.0.0.1:PORT/ovirt-engine/api" (https with TLS); NULL until
 * started. */
const char *ob_sandbox_get_base_url   (ObSandbox           *self);

/* "http://127.0.0.1:PORT": the SSO endpoint is
 * ROOT/ovirt-engine/sso/oauth/token and the sandbox-only endpoints live
 * under ROOT/ovirt-engine/sandbox/. NULL until started. */
const char *ob_sandbox_get_root_url   (ObSandbox           *self);

guint       ob_sandbox_get_port       (ObSandbox           *self);

G_END_DECLS
