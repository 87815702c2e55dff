/* ob-sandbox-auth.h: the sandbox engine's users, SSO tokens and sessions.
 *
 * Users come from a file of "user@domain:HASH[:ROLE]" lines (crypt(3)
 * hashes, yescrypt or SHA-512-crypt; ROLE "admin", the default, or
 * "readonly"; '#' starts a comment), or the built-in demo user (admin).
 * Passwords are never stored in plain text.
 *
 * Not thread-safe: used from the server thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ObSandboxAuth ObSandboxAuth;

typedef enum
{
  OB_SANDBOX_ROLE_NONE,        /* no such user */
  OB_SANDBOX_ROLE_READ_ONLY,   /* may read; changes get 403 */
  OB_SANDBOX_ROLE_ADMIN,
} ObSandboxRole;

/* @users_file: NULL = the built-in demo user only. */
ObSandboxAuth *ob_sandbox_auth_new            (const char    *users_file,
                                               guint          token_lifetime_s,
                                               GError       **error);
void           ob_sandbox_auth_free           (ObSandboxAuth *auth);

gboolean       ob_sandbox_auth_has_user       (ObSandboxAuth *auth,
                                               const char    *user);
ObSandboxRole  ob_sandbox_auth_get_role       (ObSandboxAuth *auth,
                                               const char    *user);
/* The whole check at once, on the calling thread. */
gboolean       ob_sandbox_auth_check_password (ObSandboxAuth *auth,
                                               const char    *user,
                                               const char    *password);

/* The check in parts, so that the expensive one can run on another
 * thread: a password already verified is known at once; otherwise
 * ob_sandbox_auth_hash_matches() (thread-safe, no @auth) compares it with
 * ob_sandbox_auth_get_hash() (a dummy of the same cost for an unknown
 * user, with @known FALSE), and a match is remembered. */
gboolean       ob_sandbox_auth_is_verified    (ObSandboxAuth *auth,
                                               const char    *user,
                                               const char    *password);
char          *ob_sandbox_auth_get_hash       (ObSandboxAuth *auth,
                                               const char    *user);
gboolean       ob_sandbox_auth_hash_matches   (const char    *password,
                                               const char    *hash,
                                               gboolean       known);
void           ob_sandbox_auth_remember       (ObSandboxAuth *auth,
                                               const char    *user,
                                               const char    *password);

/* Guessing: after 10 failures in a minute for one user or from one peer,
 * further checks wait. Returns the seconds to wait, 0 when a check may
 * run now. */
guint          ob_sandbox_auth_retry_after    (ObSandboxAuth *auth,
                                               const char    *user,
                                               const char    *peer);
void           ob_sandbox_auth_record_failure (ObSandboxAuth *auth,
                                               const char    *user,
                                               const char    *peer);

/* A new bearer token; @expires_ms receives its expiry (epoch ms). */
char          *ob_sandbox_auth_issue_token    (ObSandboxAuth *auth,
                                               const char    *user,
                                               gint64        *expires_ms);
/* The token's user, or NULL when unknown, revoked or expired. */
const char    *ob_sandbox_auth_check_token    (ObSandboxAuth *auth,
                                               const char    *token);
gboolean       ob_sandbox_auth_revoke_token   (ObSandboxAuth *auth,
                                               const char    *token);

/* JSESSIONID sessions for "Prefer: persistent-auth". */
char          *ob_sandbox_auth_open_session   (ObSandboxAuth *auth,
                                               const char    *user);
/* The session's user, or NULL. */
const char    *ob_sandbox_auth_check_session  (ObSandboxAuth *auth,
                                               const char    *session_id);
void           ob_sandbox_auth_close_session  (ObSandboxAuth *auth,
                                               const char    *session_id);

/* Forgets expired tokens and sessions (and old failure counts); returns
 * how many tokens and sessions went. */
guint          ob_sandbox_auth_sweep          (ObSandboxAuth *auth);

/* A crypt(3) hash of @password (yescrypt) for a users file line. */
char          *ob_sandbox_auth_hash_password  (const char    *password,
                                               GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObSandboxAuth, ob_sandbox_auth_free)

G_END_DECLS
