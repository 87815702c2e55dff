/* test-rel-tls.c: TLS verification of ovirt-balloon-cli against the sandbox
 * engine serving certificates from a throwaway PKI made by make-certs.sh
 * (openssl): a trusted CA is accepted; an unknown CA is refused with the
 * engine CA's SHA-256 fingerprint shown; a hostname mismatch and an expired
 * certificate are refused; --insecure works only when asked and then says
 * so; a refusal trusts nothing behind the user's back; an explicit trust by
 * fingerprint works, a wrong fingerprint does not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>

#include "ob-rel-engine.h"

typedef struct
{
  ObRelWorkdir *wd;
  char         *pki;
  GPtrArray    *rows;
} Suite;

static Suite suite;

static char *
pki_file (const char *name)
{
  return g_build_filename (suite.pki, name, NULL);
}

/* Uppercase hex SHA-256 of the certificate's DER. */
static char *
fingerprint_of (const char *pem_name)
{
  g_autofree char *path = pki_file (pem_name);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = g_tls_certificate_new_from_file (path, &error);
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *hex = NULL;

  g_assert_no_error (error);
  g_object_get (cert, "certificate", &der, NULL);
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  return g_ascii_strup (hex, -1);
}

/* @text with colons and whitespace removed, uppercased: fingerprints may be
 * printed as "AB:CD:..." or in groups. */
static char *
squash (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (*p != ':' && !g_ascii_isspace (*p))
      g_string_append_c (s, g_ascii_toupper (*p));
  return g_string_free (s, FALSE);
}

static ObRelEngine *
start_engine (const char *leaf,
              const char *served_ca)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = g_strconcat (suite.pki, "/", leaf, ".pem", NULL);
  g_autofree char *key = g_strconcat (suite.pki, "/", leaf, ".key", NULL);
  g_autofree char *ca = g_strconcat (suite.pki, "/", served_ca, NULL);
  g_autofree char *db = g_strconcat ("tls-", leaf, ".db", NULL);
  const char *args[] = { "--tls-cert", cert, "--tls-key", key, "--tls-ca", ca, NULL };
  ObRelEngine *engine = ob_rel_engine_start (suite.wd, db, "demo", args, &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (ob_rel_engine_get_root_url (engine), "https://"));
  return engine;
}

/* Runs `cluster list` against @engine with @extra options before it. */
static ObRelRun *
cluster_list (ObRelEngine       *engine,
              const char *const *extra,
              const char *const *env)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  ObRelRun *r;

  g_ptr_array_add (args, (gpointer) "--engine");
  g_ptr_array_add (args, (gpointer) ob_rel_engine_get_api_url (engine));
  g_ptr_array_add (args, (gpointer) "--user");
  g_ptr_array_add (args, (gpointer) OB_REL_USER);
  g_ptr_array_add (args, (gpointer) "--password-file");
  g_ptr_array_add (args, suite.wd->password_file);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) extra[i]);
  g_ptr_array_add (args, (gpointer) "cluster");
  g_ptr_array_add (args, (gpointer) "list");
  g_ptr_array_add (args, NULL);
  r = ob_rel_run_cli (suite.wd, (const char *const *) args->pdata, env, 60);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", r->exit_code, r->out, r->err);
  g_assert_cmpint (r->exit_code, <, 128);
  return r;
}

static void
row (const char *situation,
     const char *options,
     ObRelRun   *r,
     const char *verdict)
{
  g_auto(GStrv) lines = g_strsplit (r->err, "\n", -1);
  const char *said = "(success)";

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "error:") || g_str_has_prefix (lines[i], "warning:"))
      {
        said = lines[i];
        break;
      }
  g_ptr_array_add (suite.rows, g_strdup_printf ("| %s | `%s` | %d | %s | %s |",
                                                situation, options, r->exit_code, said, verdict));
}

static void
test_trusted_ca (void)
{
  g_autoptr(ObRelEngine) engine = start_engine ("good", "ca.pem");
  g_autofree char *ca = pki_file ("ca.pem");
  const char *extra[] = { "--ca-file", ca, NULL };
  g_autoptr(ObRelRun) r = cluster_list (engine, extra, NULL);

  row ("certificate from a CA given with --ca-file", "--ca-file ca.pem", r, "accepted");
  g_assert_cmpint (r->exit_code, ==, 0);
  g_assert_false (ob_rel_contains_ci (r->err, "insecure"));
}

static void
test_trusted_ca_env (void)
{
  g_autoptr(ObRelEngine) engine = start_engine ("good", "ca.pem");
  g_autofree char *ca = pki_file ("ca.pem");
  g_autofree char *env_ca = g_strconcat ("OVIRT_CAFILE=", ca, NULL);
  const char *env[] = { env_ca, NULL };
  g_autoptr(ObRelRun) r = cluster_list (engine, NULL, env);

  row ("certificate from a CA given in OVIRT_CAFILE", "OVIRT_CAFILE=ca.pem", r, "accepted");
  g_assert_cmpint (r->exit_code, ==, 0);
}

/* Which fingerprint a refusal showed: the engine CA's (the one to compare,
 * and what `engine trust` then shows), the server certificate's, or
 * none. */
static const char *
fingerprint_verdict (const char *err,
                     const char *ca_pem,
                     const char *leaf_pem)
{
  g_autofree char *said = squash (err);
  g_autofree char *ca = fingerprint_of (ca_pem);
  g_autofree char *leaf = fingerprint_of (leaf_pem);

  if (ob_rel_contains (said, ca))
    return "refused, engine CA fingerprint shown";
  if (ob_rel_contains (said, leaf))
    return "refused; finding: shows the server certificate's fingerprint, not the CA's "
           "(`engine trust` then shows the CA's, a different one)";
  return NULL;
}

static void
test_unknown_ca (void)
{
  g_autoptr(ObRelEngine) engine = start_engine ("unknown", "other-ca.pem");
  g_autofree char *ca = pki_file ("ca.pem");
  const char *extra[] = { "--ca-file", ca, NULL };
  g_autoptr(ObRelRun) r = cluster_list (engine, extra, NULL);
  g_autoptr(ObRelRun) again = NULL;
  const char *verdict = fingerprint_verdict (r->err, "other-ca.pem", "unknown.pem");

  row ("certificate from an unknown CA", "--ca-file ca.pem", r, verdict ? verdict : "refused, NO fingerprint");
  g_assert_cmpint (r->exit_code, ==, 4);
  g_assert_true (g_str_has_prefix (r->err, "error:") || ob_rel_contains (r->err, "\nerror:"));
  /* The unknown CA's own fingerprint is shown. */
  g_assert_cmpstr (verdict, ==, "refused, engine CA fingerprint shown");

  /* The refusal trusted nothing: the next run is refused again. */
  again = cluster_list (engine, extra, NULL);
  g_assert_cmpint (again->exit_code, ==, 4);
}

static void
test_no_ca_at_all (void)
{
  g_autoptr(ObRelEngine) engine = start_engine ("good", "ca.pem");
  g_autoptr(ObRelRun) r = cluster_list (engine, NULL, NULL);
  const char *verdict = fingerprint_verdict (r->err, "ca.pem", "good.pem");

  row ("engine CA not in the system store, no --ca-file", "(none)", r, verdict ? verdict : "refused, NO fingerprint");
  g_assert_cmpint (r->exit_code, ==, 4);
  g_assert_cmpstr (verdict, ==, "refused, engine CA fingerprint shown");
}

static void
test_hostname_mismatch (void)
{
  g_autoptr(ObRelEngine) engine = start_engine ("wrongname", "ca.pem");
  g_autofree char *ca = pki_file ("ca.pem");
  g_autofree char *ca_fp = fingerprint_of ("ca.pem");
  const char *extra[] = { "--ca-file", ca, NULL };
  g_autoptr(ObRelRun) r = cluster_list (engine, extra, NULL);
  g_autoptr(ObRelWorkdir) other_home = ob_rel_workdir_new ();
  g_autoptr(ObRelRun) trust = NULL;
  g_autoptr(ObRelRun) after = NULL;
  const char *api = ob_rel_engine_get_api_url (engine);

  row ("certificate for another host name (wrong.invalid)", "--ca-file ca.pem", r,
       ob_rel_contains_ci (r->err, "name") || ob_rel_contains_ci (r->err, "match")
       ? "refused, says the name does not match"
       : "refused; finding: the message does not say the host name does not match (it suggests `engine trust`)");
  g_assert_cmpint (r->exit_code, ==, 4);
  g_assert_true (ob_rel_contains (r->err, "error:"));
  /* It says why: trusting the CA (what the generic message suggests) could
   * not help. */
  g_assert_true (ob_rel_contains_ci (r->err, "name") || ob_rel_contains_ci (r->err, "match"));

  /* Trusting the CA (in a fresh HOME) must not switch host name checks off. */
  {
    const char *args[] = { "--engine", api, "--user", OB_REL_USER, "--password-file", suite.wd->password_file,
                           "engine", "trust", "--fingerprint", ca_fp, NULL };
    trust = ob_rel_run_cli (other_home, args, NULL, 60);
  }
  g_test_message ("trust: exit %d\n%s\n%s", trust->exit_code, trust->out, trust->err);
  {
    const char *args[] = { "--engine", api, "--user", OB_REL_USER, "--password-file", suite.wd->password_file,
                           "cluster", "list", NULL };
    after = ob_rel_run_cli (other_home, args, NULL, 60);
  }
  row ("another host name, after `engine trust` of its CA", "(none)", after,
       after->exit_code == 4 ? "still refused" : "ACCEPTED");
  g_assert_cmpint (after->exit_code, ==, 4);
}

static void
test_expired (void)
{
  g_autoptr(ObRelEngine) engine = start_engine ("expired", "ca.pem");
  g_autofree char *ca = pki_file ("ca.pem");
  const char *extra[] = { "--ca-file", ca, NULL };
  g_autoptr(ObRelRun) r = cluster_list (engine, extra, NULL);

  row ("expired certificate (2020)", "--ca-file ca.pem", r,
       ob_rel_contains_ci (r->err, "expired")
       ? "refused, says it expired"
       : "refused; finding: the message does not say the certificate expired (it suggests `engine trust`)");
  g_assert_cmpint (r->exit_code, ==, 4);
  g_assert_true (ob_rel_contains (r->err, "error:"));
  g_assert_true (ob_rel_contains_ci (r->err, "expired"));
}

static void
test_insecure (void)
{
  g_autoptr(ObRelEngine) engine = start_engine ("unknown", "other-ca.pem");
  const char *extra[] = { "--insecure", NULL };
  const char *env[] = { "OVIRT_INSECURE=1", NULL };
  g_autoptr(ObRelRun) asked = cluster_list (engine, extra, NULL);
  g_autoptr(ObRelRun) asked_env = cluster_list (engine, NULL, env);
  g_autoptr(ObRelRun) not_asked = cluster_list (engine, NULL, NULL);

  row ("unknown CA with --insecure", "--insecure", asked,
       ob_rel_contains_ci (asked->err, "insecure") ? "accepted, and it says verification is off" : "accepted SILENTLY");
  row ("unknown CA with OVIRT_INSECURE=1", "OVIRT_INSECURE=1", asked_env,
       ob_rel_contains_ci (asked_env->err, "insecure") ? "accepted, and it says verification is off" : "accepted SILENTLY");
  row ("unknown CA, --insecure not given", "(none)", not_asked, "refused");
  g_assert_cmpint (asked->exit_code, ==, 0);
  g_assert_true (ob_rel_contains_ci (asked->err, "warning:"));
  g_assert_true (ob_rel_contains_ci (asked->err, "insecure"));
  g_assert_cmpint (asked_env->exit_code, ==, 0);
  g_assert_true (ob_rel_contains_ci (asked_env->err, "insecure"));
  g_assert_cmpint (not_asked->exit_code, ==, 4);
}

/* Trust on first use, never silent: trusting by a wrong fingerprint is
 * refused; the right one makes later runs work without --ca-file. */
static void
test_trust_by_fingerprint (void)
{
  g_autoptr(ObRelEngine) engine = start_engine ("good", "ca.pem");
  g_autofree char *fp = fingerprint_of ("ca.pem");
  g_autofree char *wrong = g_strdup (fp);
  g_autoptr(ObRelRun) bad = NULL;
  g_autoptr(ObRelRun) good = NULL;
  g_autoptr(ObRelRun) after = NULL;
  const char *api = ob_rel_engine_get_api_url (engine);

  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  {
    const char *args[] = { "--engine", api, "--user", OB_REL_USER, "--password-file", suite.wd->password_file,
                           "engine", "trust", "--fingerprint", wrong, NULL };
    bad = ob_rel_run_cli (suite.wd, args, NULL, 60);
  }
  row ("`engine trust` with a wrong fingerprint", "engine trust --fingerprint WRONG", bad, "refused");
  g_assert_cmpint (bad->exit_code, !=, 0);
  g_assert_cmpint (bad->exit_code, <, 128);
  {
    const char *args[] = { "--engine", api, "--user", OB_REL_USER, "--password-file", suite.wd->password_file,
                           "engine", "trust", "--fingerprint", fp, NULL };
    good = ob_rel_run_cli (suite.wd, args, NULL, 60);
  }
  g_test_message ("trust: exit %d\n%s\n%s", good->exit_code, good->out, good->err);
  row ("`engine trust` with the right fingerprint", "engine trust --fingerprint RIGHT", good, "trusted");
  g_assert_cmpint (good->exit_code, ==, 0);
  after = cluster_list (engine, NULL, NULL);
  row ("after trusting the engine CA", "(none)", after, "accepted");
  g_assert_cmpint (after->exit_code, ==, 0);
}

static void
write_rows (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("OB_BUILD_DIR"), "reliability", NULL);
  g_autofree char *path = g_build_filename (dir, "tls.md", NULL);
  g_autoptr(GString) md = g_string_new ("| situation | options | exit | what the user saw | verdict |\n"
                                        "| --- | --- | --- | --- | --- |\n");

  for (guint i = 0; i < suite.rows->len; i++)
    g_string_append_printf (md, "%s\n", (const char *) suite.rows->pdata[i]);
  g_mkdir_with_parents (dir, 0755);
  g_file_set_contents (path, md->str, (gssize) md->len, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *script = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autoptr(GError) error = NULL;
  int status = 0;
  int rc;

  g_test_init (&argc, &argv, NULL);
  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed");
      return g_test_run ();
    }

  suite.wd = ob_rel_workdir_new ();
  suite.rows = g_ptr_array_new_with_free_func (g_free);
  suite.pki = g_build_filename (suite.wd->workdir, "pki", NULL);
  script = g_build_filename (g_getenv ("OB_SOURCE_DIR"), "tests", "reliability", "make-certs.sh", NULL);
  {
    const char *argv_[] = { "sh", script, suite.pki, NULL };
    g_spawn_sync (NULL, (char **) argv_, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  g_test_add_func ("/tls/trusted-ca-file", test_trusted_ca);
  g_test_add_func ("/tls/trusted-ca-env", test_trusted_ca_env);
  g_test_add_func ("/tls/unknown-ca-refused-with-fingerprint", test_unknown_ca);
  g_test_add_func ("/tls/no-ca-refused-with-fingerprint", test_no_ca_at_all);
  g_test_add_func ("/tls/hostname-mismatch-refused", test_hostname_mismatch);
  g_test_add_func ("/tls/expired-refused", test_expired);
  g_test_add_func ("/tls/insecure-only-when-asked", test_insecure);
  g_test_add_func ("/tls/trust-by-fingerprint", test_trust_by_fingerprint);

  rc = g_test_run ();
  write_rows ();
  g_ptr_array_unref (suite.rows);
  g_free (suite.pki);
  g_clear_pointer (&suite.wd, ob_rel_workdir_free);
  return rc;
}
