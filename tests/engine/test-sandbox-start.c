/* test-sandbox-start.c: what the sandbox engine refuses at start (users
 * files, certificates and keys, damaged databases; exit code 5 with the
 * file and line at fault), what its CA endpoint serves, and the sweeping
 * of expired tokens and sessions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <crypt.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "ob-error.h"
#include "ob-sandbox.h"
#include "ob-sandbox-auth.h"
#include "ob-test-subprocess.h"

static char *
tls_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "tls", name, NULL);
}

/* Starts an engine with the given properties; returns the error or NULL
 * (then the engine is stopped again). */
static GError *
start_error (const char *first_property,
             ...)
{
  g_autoptr(ObSandbox) sandbox = NULL;
  GError *error = NULL;
  va_list args;

  va_start (args, first_property);
  sandbox = OB_SANDBOX (g_object_new_valist (OB_TYPE_SANDBOX, first_property, args));
  va_end (args);
  if (ob_sandbox_start (sandbox, &error))
    ob_sandbox_stop (sandbox);
  return error;
}

static void
assert_bad_input (GError     *error,
                  const char *expected)
{
  g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
  g_assert_cmpint (ob_error_exit_code (error), ==, 5);
  if (strstr (error->message, expected) == NULL)
    g_error ("“%s” does not say “%s”", error->message, expected);
}

/* ---- users file ---- */

static void
test_users_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ob-sandbox-start-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "users", NULL);
  g_autofree char *good = ob_sandbox_auth_hash_password ("secret", NULL);
  g_autofree char *md5 = NULL;
  struct crypt_data *data = g_new0 (struct crypt_data, 1);
  struct {
    const char *contents;
    gssize      length;
    const char *expected;
  } cases[] = {
    { "", 0, "no users" },
    { "# only a comment\n\n", -1, "no users" },
    { "\xef\xbb\xbf" "alice@internal:HASH\n", -1, ":1: " },
    { "# users\nalice@internal:HASH\nbob\0@internal:HASH\n", 48, ":3: " },
    { "alice@internal:$garbage\n", -1, ":1: " },
    { "alice@internal:MD5\n", -1, ":1: " },
    { "alice@internal:HASH\n# again\nalice@internal:HASH:readonly\n", -1, ":3: " },
  };

  md5 = g_strdup (crypt_r ("secret", "$1$saltsalt$", data));
  g_free (data);
  g_assert_true (g_str_has_prefix (md5, "$1$"));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) contents = g_string_new_len (cases[i].contents,
                                                      cases[i].length >= 0 ? cases[i].length
                                                                           : (gssize) strlen (cases[i].contents));

      g_string_replace (contents, "HASH", good, 0);
      g_string_replace (contents, "MD5", md5, 0);
      g_assert_true (g_file_set_contents (path, contents->str, (gssize) contents->len, NULL));
      error = start_error ("users-file", path, NULL);
      g_test_message ("case %u: %s", i, error ? error->message : "accepted");
      assert_bad_input (error, cases[i].expected);
      if (g_str_has_prefix (cases[i].expected, ":"))
        g_assert_nonnull (strstr (error->message, path));
    }

  /* A good file still starts. */
  {
    g_autofree char *line = g_strdup_printf ("alice@internal:%s\n", good);
    g_autoptr(GError) error = NULL;

    g_assert_true (g_file_set_contents (path, line, -1, NULL));
    error = start_error ("users-file", path, NULL);
    g_assert_no_error (error);
  }
  g_unlink (path);
  g_rmdir (dir);
}

/* ---- certificates and keys ---- */

static void
test_tls_files_body (void)
{
  g_autofree char *cert = tls_file ("server.pem");
  g_autofree char *key = tls_file ("server-key.pem");
  g_autofree char *other_key = tls_file ("other-key.pem");
  g_autofree char *ca = tls_file ("ca.pem");
  g_autoptr(GError) mismatch = start_error ("tls-certificate", cert, "tls-key", other_key, NULL);
  g_autoptr(GError) no_ca = start_error ("tls-certificate", cert, "tls-key", key,
                                         "tls-ca", "/nonexistent/ca.pem", NULL);
  g_autoptr(GError) key_as_ca = start_error ("tls-certificate", cert, "tls-key", key,
                                             "tls-ca", key, NULL);
  g_autoptr(GError) good = start_error ("tls-certificate", cert, "tls-key", key, "tls-ca", ca, NULL);

  assert_bad_input (mismatch, "does not match");
  assert_bad_input (no_ca, "/nonexistent/ca.pem");
  assert_bad_input (key_as_ca, "no certificate");
  g_assert_no_error (good);
}

/* The test CA is not what is checked here. */
static gboolean
accept_cert (SoupMessage          *msg,
             GTlsCertificate      *cert,
             GTlsCertificateFlags  errors,
             gpointer              user_data)
{
  return TRUE;
}

/* With the certificate and its key in one file (which GLib accepts) and
 * no separate CA, pki-resource serves the certificate and nothing else. */
static void
test_pki_body (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ob-sandbox-start-XXXXXX", NULL);
  g_autofree char *combined = g_build_filename (dir, "server-and-key.pem", NULL);
  g_autofree char *cert = tls_file ("server.pem");
  g_autofree char *key = tls_file ("server-key.pem");
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *both = NULL;
  g_autofree char *url = NULL;
  g_autoptr(ObSandbox) sandbox = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (cert, &cert_pem, NULL, NULL));
  g_assert_true (g_file_get_contents (key, &key_pem, NULL, NULL));
  both = g_strconcat (cert_pem, key_pem, NULL);
  g_assert_true (g_file_set_contents (combined, both, -1, NULL));

  sandbox = g_object_new (OB_TYPE_SANDBOX, "tls-certificate", combined, "tls-key", combined, NULL);
  g_assert_true (ob_sandbox_start (sandbox, &error));
  g_assert_no_error (error);
  url = g_strconcat (ob_sandbox_get_root_url (sandbox),
                     "/ovirt-engine/services/pki-resource?resource=ca-certificate&format=X509-PEM-CA",
                     NULL);
  msg = soup_message_new ("GET", url);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_cert), NULL);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_assert_nonnull (strstr (text, "-----BEGIN CERTIFICATE-----"));
  g_assert_null (strstr (text, "PRIVATE KEY"));

  ob_sandbox_stop (sandbox);
  g_unlink (combined);
  g_rmdir (dir);
}

/* ---- databases ---- */

static char *
make_database (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "sandbox.db", NULL);
  g_autoptr(ObSandbox) sandbox = g_object_new (OB_TYPE_SANDBOX, "database", path, "seed", "200", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (ob_sandbox_start (sandbox, &error));
  ob_sandbox_stop (sandbox);
  g_clear_object (&sandbox);
  return g_steal_pointer (&path);
}

static void
remove_database (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

static void
test_damaged_database (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ob-sandbox-start-XXXXXX", NULL);
  g_autofree char *path = make_database (dir);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 8 * 4096);

  /* Garbage over a few pages in the middle: the header still reads. */
  {
    g_autofree char *damaged = g_memdup2 (contents, length);
    g_autoptr(GError) error = NULL;

    for (gsize i = 3 * 4096 + 100; i < 6 * 4096; i++)
      damaged[i] = (char) (i * 7);
    g_assert_true (g_file_set_contents (path, damaged, (gssize) length, NULL));
    error = start_error ("database", path, NULL);
    assert_bad_input (error, "damaged");
  }

  /* Cut short. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (g_file_set_contents (path, contents, (gssize) (length / 2 + 123), NULL));
    error = start_error ("database", path, NULL);
    g_test_message ("truncated: %s", error ? error->message : "accepted");
    g_assert_nonnull (error);
    g_assert_cmpint (ob_error_exit_code (error), ==, 5);
  }

  /* Intact again: starts. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));
    error = start_error ("database", path, NULL);
    g_assert_no_error (error);
  }
  remove_database (path);
  g_rmdir (dir);
}

/* ---- tokens and sessions ---- */

static void
test_sweep (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSandboxAuth) auth = ob_sandbox_auth_new (NULL, 1, &error);

  for (guint i = 0; i < 50; i++)
    {
      g_free (ob_sandbox_auth_issue_token (auth, OB_SANDBOX_DEMO_USER, NULL));
      g_free (ob_sandbox_auth_open_session (auth, OB_SANDBOX_DEMO_USER));
    }
  g_assert_cmpuint (ob_sandbox_auth_sweep (auth), ==, 0);
  g_usleep (1100 * 1000);
  {
    g_autofree char *fresh = ob_sandbox_auth_issue_token (auth, OB_SANDBOX_DEMO_USER, NULL);

    g_assert_cmpuint (ob_sandbox_auth_sweep (auth), ==, 100);
    g_assert_cmpstr (ob_sandbox_auth_check_token (auth, fresh), ==, OB_SANDBOX_DEMO_USER);
  }
}

/* In-process TLS: see ob-test-subprocess.h. */
static void
test_tls_files (void)
{
  ob_test_run_without_leak_check (test_tls_files_body);
}

static void
test_pki_serves_certificates_only (void)
{
  ob_test_run_without_leak_check (test_pki_body);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox/start/users-file", test_users_file);
  g_test_add_func ("/sandbox/start/tls-files", test_tls_files);
  g_test_add_func ("/sandbox/start/pki-certificates-only", test_pki_serves_certificates_only);
  g_test_add_func ("/sandbox/start/damaged-database", test_damaged_database);
  g_test_add_func ("/sandbox/start/sweep", test_sweep);

  return g_test_run ();
}
