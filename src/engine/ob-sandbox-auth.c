/* ob-sandbox-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <crypt.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/random.h>

#include "ob-error.h"
#include "ob-sandbox-auth.h"
#include "ob-sandbox.h"

/* yescrypt hash of the demo password documented in docs/sandbox.md. */
#define DEMO_USER_HASH "$y$j9T$0bOyC1HrMZ9Aj8zVUbco0/$jBKOYlFpfvL6y4J2lKZP4rsesXFWvQK6cobDprrq4b2"

typedef struct
{
  char           *hash;   /* crypt(3) */
  ObSandboxRole   role;
} User;

typedef struct
{
  gint64  expiry;         /* epoch µs */
  char   *user;
} Grant;

static void
user_free (User *u)
{
  g_free (u->hash);
  g_free (u);
}

static void
grant_free (Grant *g)
{
  g_free (g->user);
  g_free (g);
}

struct _ObSandboxAuth
{
  GHashTable *users;      /* user -> User */
  GHashTable *verified;   /* "user\nsha256(password)" -> user, so Basic auth
                           * does not pay for yescrypt on every request */
  GHashTable *tokens;     /* token -> Grant */
  GHashTable *sessions;   /* session id -> Grant */
  GHashTable *failures;   /* "u:USER" or "p:PEER" -> Failures */
  gint64      lifetime_us;
  char       *dummy_hash; /* checked for unknown users, so they cost the same */
};

typedef struct
{
  gint64 window_start;    /* monotonic µs */
  guint  count;
} Failures;

static char *run_crypt (const char *password,
                        const char *setting);

static void
add_user (GHashTable    *users,
          const char    *name,
          const char    *hash,
          ObSandboxRole  role)
{
  User *u = g_new0 (User, 1);

  u->hash = g_strdup (hash);
  u->role = role;
  g_hash_table_replace (users, g_strdup (name), u);
}

/* What a hash field must look like: a scheme libxcrypt implements and
 * does not call legacy (so not MD5, DES or NT). */
static gboolean
check_hash (const char  *path,
            guint        line,
            const char  *hash,
            GError     **error)
{
  switch (hash[0] == '$' ? crypt_checksalt (hash) : CRYPT_SALT_INVALID)
    {
    case CRYPT_SALT_OK:
      return TRUE;
    case CRYPT_SALT_METHOD_LEGACY:
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("%s:%u: the hash uses a weak scheme; use yescrypt or SHA-512-crypt "
                     "(see --hash-password)"), path, line);
      return FALSE;
    default:
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("%s:%u: expected “user@domain:HASH” with a crypt(3) hash "
                     "(see --hash-password)"), path, line);
      return FALSE;
    }
}

/* "user@domain:HASH" or "user@domain:HASH:ROLE"; crypt(3) hashes contain
 * no ':'. Anything doubtful is refused with its line: an empty file, a
 * byte order mark, NUL bytes, unknown or weak hash schemes, a user listed
 * twice. */
static gboolean
parse_users (GHashTable  *users,
             const char  *path,
             const char  *contents,
             gsize        length,
             GError     **error)
{
  g_autoptr(GHashTable) first_line = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = NULL;
  const char *nul = memchr (contents, '\0', length);

  if (length >= 3 && memcmp (contents, "\xef\xbb\xbf", 3) == 0)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("%s:1: the file starts with a byte order mark; save it without one"), path);
      return FALSE;
    }
  if (nul != NULL)
    {
      guint line = 1;

      for (const char *p = contents; p < nul; p++)
        line += *p == '\n';
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT, _("%s:%u: the line contains a NUL byte"),
                   path, line);
      return FALSE;
    }

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_auto(GStrv) fields = NULL;
      ObSandboxRole role = OB_SANDBOX_ROLE_ADMIN;
      gpointer first;

      if (*line == '\0' || *line == '#')
        continue;
      fields = g_strsplit (line, ":", 3);
      if (g_strv_length (fields) < 2 || fields[0][0] == '\0')
        {
          g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                       _("%s:%u: expected “user@domain:HASH” with a crypt(3) hash "
                         "(see --hash-password)"), path, i + 1);
          return FALSE;
        }
      if (!check_hash (path, i + 1, fields[1], error))
        return FALSE;
      if (fields[2] != NULL)
        {
          if (g_str_equal (fields[2], "readonly"))
            role = OB_SANDBOX_ROLE_READ_ONLY;
          else if (!g_str_equal (fields[2], "admin"))
            {
              g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                           _("%s:%u: unknown role “%s” (use “admin” or “readonly”)"),
                           path, i + 1, fields[2]);
              return FALSE;
            }
        }
      if (g_hash_table_lookup_extended (first_line, fields[0], NULL, &first))
        {
          g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                       _("%s:%u: the user “%s” is listed twice (first on line %u)"),
                       path, i + 1, fields[0], GPOINTER_TO_UINT (first));
          return FALSE;
        }
      g_hash_table_insert (first_line, g_strdup (fields[0]), GUINT_TO_POINTER (i + 1));
      add_user (users, fields[0], fields[1], role);
    }
  if (g_hash_table_size (users) == 0)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("%s: no users (expected lines “user@domain:HASH”, see --hash-password)"), path);
      return FALSE;
    }
  return TRUE;
}

ObSandboxAuth *
ob_sandbox_auth_new (const char *users_file,
                     guint       token_lifetime_s,
                     GError    **error)
{
  g_autoptr(ObSandboxAuth) auth = g_new0 (ObSandboxAuth, 1);

  auth->users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) user_free);
  auth->verified = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  auth->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) grant_free);
  auth->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) grant_free);
  auth->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  auth->lifetime_us = (gint64) MAX (token_lifetime_s, 1) * G_USEC_PER_SEC;

  if (users_file == NULL)
    add_user (auth->users, OB_SANDBOX_DEMO_USER, DEMO_USER_HASH, OB_SANDBOX_ROLE_ADMIN);
  else
    {
      g_autofree char *contents = NULL;
      g_autoptr(GError) local_error = NULL;
      gsize length = 0;

      if (!g_file_get_contents (users_file, &contents, &length, &local_error))
        {
          g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                       _("Cannot read the users file: %s"), local_error->message);
          return NULL;
        }
      if (!parse_users (auth->users, users_file, contents, length, error))
        return NULL;
    }

  /* The same scheme and cost as a real user's hash. */
  {
    GHashTableIter iter;
    User *u = NULL;

    g_hash_table_iter_init (&iter, auth->users);
    g_hash_table_iter_next (&iter, NULL, (gpointer *) &u);
    auth->dummy_hash = run_crypt ("not a password", u ? u->hash : DEMO_USER_HASH);
    if (auth->dummy_hash == NULL)
      auth->dummy_hash = g_strdup (DEMO_USER_HASH);
  }
  return g_steal_pointer (&auth);
}

void
ob_sandbox_auth_free (ObSandboxAuth *auth)
{
  if (auth == NULL)
    return;
  g_clear_pointer (&auth->users, g_hash_table_unref);
  g_clear_pointer (&auth->verified, g_hash_table_unref);
  g_clear_pointer (&auth->tokens, g_hash_table_unref);
  g_clear_pointer (&auth->sessions, g_hash_table_unref);
  g_clear_pointer (&auth->failures, g_hash_table_unref);
  g_free (auth->dummy_hash);
  g_free (auth);
}

gboolean
ob_sandbox_auth_has_user (ObSandboxAuth *auth,
                          const char    *user)
{
  return g_hash_table_contains (auth->users, user);
}

static gboolean
equal_constant_time (const char *a,
                     const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  guchar diff = la != lb;

  for (gsize i = 0; i < MIN (la, lb); i++)
    diff |= (guchar) (a[i] ^ b[i]);
  return diff == 0;
}

/* crypt_r with its large state on the heap, wiped afterwards. Returns
 * NULL when crypt(3) fails. */
static char *
run_crypt (const char *password,
           const char *setting)
{
  struct crypt_data *data = g_try_new0 (struct crypt_data, 1);
  const char *result;
  char *copy = NULL;

  if (data == NULL)
    return NULL;
  result = crypt_r (password, setting, data);
  /* crypt_r returns a string starting with '*' on failure. */
  if (result != NULL && result[0] != '*')
    copy = g_strdup (result);
  explicit_bzero (data, sizeof *data);
  g_free (data);
  return copy;
}

static char *
verified_key (const char *user,
              const char *password)
{
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, password, -1);

  return g_strconcat (user, "\n", digest, NULL);
}

gboolean
ob_sandbox_auth_is_verified (ObSandboxAuth *auth,
                             const char    *user,
                             const char    *password)
{
  g_autofree char *key = NULL;

  if (user == NULL || password == NULL || !g_hash_table_contains (auth->users, user))
    return FALSE;
  key = verified_key (user, password);
  return g_hash_table_contains (auth->verified, key);
}

char *
ob_sandbox_auth_get_hash (ObSandboxAuth *auth,
                          const char    *user)
{
  User *u = user ? g_hash_table_lookup (auth->users, user) : NULL;

  return g_strdup (u ? u->hash : auth->dummy_hash);
}

gboolean
ob_sandbox_auth_hash_matches (const char *password,
                              const char *hash,
                              gboolean    known)
{
  g_autofree char *result = run_crypt (password, hash);
  gboolean ok = result != NULL && equal_constant_time (result, hash);

  /* An unknown user ran the same work and never matches. */
  return ok && known;
}

void
ob_sandbox_auth_remember (ObSandboxAuth *auth,
                          const char    *user,
                          const char    *password)
{
  g_hash_table_replace (auth->verified, verified_key (user, password), g_strdup (user));
}

gboolean
ob_sandbox_auth_check_password (ObSandboxAuth *auth,
                                const char    *user,
                                const char    *password)
{
  g_autofree char *hash = NULL;
  gboolean known;

  if (user == NULL || password == NULL)
    return FALSE;
  if (ob_sandbox_auth_is_verified (auth, user, password))
    return TRUE;
  known = g_hash_table_contains (auth->users, user);
  hash = ob_sandbox_auth_get_hash (auth, user);
  if (!ob_sandbox_auth_hash_matches (password, hash, known))
    return FALSE;
  ob_sandbox_auth_remember (auth, user, password);
  return TRUE;
}

/* ---- guessing ---- */

#define FAILURE_WINDOW_US (60 * G_USEC_PER_SEC)
#define FAILURES_ALLOWED  10

/* Seconds until @key may try again; 0 when it may now. */
static guint
wait_for (ObSandboxAuth *auth,
          const char    *key,
          gint64         now)
{
  Failures *f = g_hash_table_lookup (auth->failures, key);

  if (f == NULL || now - f->window_start >= FAILURE_WINDOW_US)
    return 0;
  if (f->count < FAILURES_ALLOWED)
    return 0;
  return (guint) ((f->window_start + FAILURE_WINDOW_US - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

/* The two counters a check belongs to: its user's and its peer's. */
static GStrv
failure_keys (const char *user,
              const char *peer)
{
  GStrv keys = g_new0 (char *, 3);

  keys[0] = g_strconcat ("u:", user ? user : "", NULL);
  keys[1] = g_strconcat ("p:", peer ? peer : "", NULL);
  return keys;
}

guint
ob_sandbox_auth_retry_after (ObSandboxAuth *auth,
                             const char    *user,
                             const char    *peer)
{
  gint64 now = g_get_monotonic_time ();
  g_auto(GStrv) keys = failure_keys (user, peer);
  guint wait = 0;

  for (guint i = 0; keys[i] != NULL; i++)
    wait = MAX (wait, wait_for (auth, keys[i], now));
  return wait;
}

void
ob_sandbox_auth_record_failure (ObSandboxAuth *auth,
                                const char    *user,
                                const char    *peer)
{
  gint64 now = g_get_monotonic_time ();
  g_auto(GStrv) keys = failure_keys (user, peer);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      Failures *f = g_hash_table_lookup (auth->failures, keys[i]);

      if (f == NULL)
        {
          f = g_new0 (Failures, 1);
          g_hash_table_replace (auth->failures, g_strdup (keys[i]), f);
        }
      if (now - f->window_start >= FAILURE_WINDOW_US)
        {
          f->window_start = now;
          f->count = 0;
        }
      f->count++;
    }
}

static char *
random_token (void)
{
  guint8 bytes[32];
  gsize filled = 0;

  while (filled < sizeof bytes)
    {
      ssize_t n = getrandom (bytes + filled, sizeof bytes - filled, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("getrandom failed: %s", g_strerror (errno));
      filled += (gsize) n;
    }
  /* URL-safe, like the engine's tokens. */
  {
    char *b64 = g_base64_encode (bytes, sizeof bytes);

    for (char *p = b64; *p; p++)
      {
        if (*p == '+')
          *p = '-';
        else if (*p == '/')
          *p = '_';
        else if (*p == '=')
          *p = '\0';
      }
    return b64;
  }
}

/* The grant's user, or NULL when unknown or expired (then forgotten). */
static const char *
check_grant (GHashTable *table,
             const char *key)
{
  Grant *grant;

  if (key == NULL)
    return NULL;
  grant = g_hash_table_lookup (table, key);
  if (grant == NULL)
    return NULL;
  if (g_get_real_time () >= grant->expiry)
    {
      g_hash_table_remove (table, key);
      return NULL;
    }
  return grant->user;
}

static char *
add_grant (ObSandboxAuth *auth,
           GHashTable    *table,
           const char    *user,
           gint64        *expiry_us)
{
  char *key = random_token ();
  Grant *grant = g_new0 (Grant, 1);

  grant->expiry = g_get_real_time () + auth->lifetime_us;
  grant->user = g_strdup (user);
  if (expiry_us != NULL)
    *expiry_us = grant->expiry;
  g_hash_table_replace (table, g_strdup (key), grant);
  return key;
}

static guint
sweep_table (GHashTable *table,
             gint64      now)
{
  GHashTableIter iter;
  Grant *grant;
  guint removed = 0;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &grant))
    if (now >= grant->expiry)
      {
        g_hash_table_iter_remove (&iter);
        removed++;
      }
  return removed;
}

guint
ob_sandbox_auth_sweep (ObSandboxAuth *auth)
{
  gint64 now = g_get_real_time ();
  gint64 mono = g_get_monotonic_time ();
  GHashTableIter iter;
  Failures *f;

  g_hash_table_iter_init (&iter, auth->failures);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &f))
    if (mono - f->window_start >= FAILURE_WINDOW_US)
      g_hash_table_iter_remove (&iter);
  return sweep_table (auth->tokens, now) + sweep_table (auth->sessions, now);
}

ObSandboxRole
ob_sandbox_auth_get_role (ObSandboxAuth *auth,
                          const char    *user)
{
  User *u = user ? g_hash_table_lookup (auth->users, user) : NULL;

  return u ? u->role : OB_SANDBOX_ROLE_NONE;
}

char *
ob_sandbox_auth_issue_token (ObSandboxAuth *auth,
                             const char    *user,
                             gint64        *expires_ms)
{
  gint64 expiry = 0;
  char *token = add_grant (auth, auth->tokens, user, &expiry);

  if (expires_ms != NULL)
    *expires_ms = expiry / 1000;
  return token;
}

const char *
ob_sandbox_auth_check_token (ObSandboxAuth *auth,
                             const char    *token)
{
  return check_grant (auth->tokens, token);
}

gboolean
ob_sandbox_auth_revoke_token (ObSandboxAuth *auth,
                              const char    *token)
{
  return token != NULL && g_hash_table_remove (auth->tokens, token);
}

char *
ob_sandbox_auth_open_session (ObSandboxAuth *auth,
                              const char    *user)
{
  return add_grant (auth, auth->sessions, user, NULL);
}

const char *
ob_sandbox_auth_check_session (ObSandboxAuth *auth,
                               const char    *session_id)
{
  return check_grant (auth->sessions, session_id);
}

void
ob_sandbox_auth_close_session (ObSandboxAuth *auth,
                               const char    *session_id)
{
  if (session_id != NULL)
    g_hash_table_remove (auth->sessions, session_id);
}

char *
ob_sandbox_auth_hash_password (const char *password,
                               GError    **error)
{
  g_autofree char *salt = NULL;
  char *result;

  if (password == NULL || *password == '\0')
    {
      g_set_error_literal (error, OB_ERROR, OB_ERROR_USAGE, _("The password is empty."));
      return NULL;
    }

  salt = crypt_gensalt_ra ("$y$", 0, NULL, 0);
  if (salt == NULL)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_FAILED, _("Cannot make a password salt: %s"),
                   g_strerror (errno));
      return NULL;
    }

  result = run_crypt (password, salt);
  if (result == NULL)
    g_set_error_literal (error, OB_ERROR, OB_ERROR_FAILED, _("crypt(3) failed to hash the password."));
  return result;
}
