/* test-rel-secrets.c: passwords and tokens never leak.
 *
 * Every run here uses G_MESSAGES_DEBUG=all, for the CLI and the sandbox
 * engine alike. Afterwards the test greps everything they wrote (stdout,
 * stderr, the engine's log, the engine's database files, the CLI's whole
 * HOME with its XDG directories) for the password, for the Basic
 * credential, and for every bearer token the proxy saw on the wire.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>
#include <string.h>

#include "ob-fault-proxy.h"
#include "ob-rel-engine.h"

typedef struct
{
  ObRelWorkdir *wd;
  ObRelEngine  *engine;
  ObFaultProxy *proxy;
  char         *api;
  GPtrArray    *outputs;   /* every stdout/stderr text, for the final grep */
} Suite;

static Suite suite;

static const char *const debug_env[] = { "G_MESSAGES_DEBUG=all", "OB_DEBUG=all", NULL };

static ObRelRun *
run (const char *const *tail,
     const char *const *env,
     const char        *stdin_text,
     guint              timeout_s,
     int                timeout_signal)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  ObRelRun *r;

  g_ptr_array_add (args, (gpointer) "--engine");
  g_ptr_array_add (args, suite.api);
  g_ptr_array_add (args, (gpointer) "--user");
  g_ptr_array_add (args, (gpointer) OB_REL_USER);
  for (guint i = 0; tail[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) tail[i]);
  g_ptr_array_add (args, NULL);
  r = ob_rel_run_cli_full (suite.wd, (const char *const *) args->pdata, env, stdin_text, timeout_s, timeout_signal);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", r->exit_code, r->out, r->err);
  g_ptr_array_add (suite.outputs, g_strdup (r->out));
  g_ptr_array_add (suite.outputs, g_strdup (r->err));
  return r;
}

static void
assert_no_secret_in (const char *text,
                     const char *where)
{
  g_auto(GStrv) creds = ob_fault_proxy_dup_credentials (suite.proxy);

  if (ob_rel_contains (text, suite.wd->password))
    g_error ("the password appears in %s", where);
  for (guint i = 0; creds[i] != NULL; i++)
    {
      /* "Bearer TOKEN" / "Basic B64": the secret part after the scheme. */
      const char *secret = strchr (creds[i], ' ');
      secret = secret ? secret + 1 : creds[i];
      if (strlen (secret) >= 8 && ob_rel_contains (text, secret))
        g_error ("a credential sent on the wire (%.*s...) appears in %s", 6, secret, where);
    }
}

static void
test_password_file (void)
{
  const char *tail[] = { "--password-file", suite.wd->password_file, "vm", "list", "--json", NULL };
  g_autoptr(ObRelRun) r = run (tail, debug_env, NULL, 60, 0);

  g_assert_cmpint (r->exit_code, ==, 0);
  assert_no_secret_in (r->out, "stdout");
  assert_no_secret_in (r->err, "stderr");
}

static void
test_password_env (void)
{
  g_autofree char *pw = g_strconcat ("OVIRT_PASSWORD=", suite.wd->password, NULL);
  const char *env[] = { "G_MESSAGES_DEBUG=all", pw, NULL };
  const char *tail[] = { "vm", "list", NULL };
  g_autoptr(ObRelRun) r = run (tail, env, NULL, 60, 0);

  g_assert_cmpint (r->exit_code, ==, 0);
  assert_no_secret_in (r->out, "stdout");
  assert_no_secret_in (r->err, "stderr");
}

static void
test_password_stdin (void)
{
  g_autofree char *input = g_strconcat (suite.wd->password, "\n", NULL);
  const char *tail[] = { "--password-file", "-", "cluster", "list", NULL };
  g_autoptr(ObRelRun) r = run (tail, debug_env, input, 60, 0);

  g_assert_cmpint (r->exit_code, ==, 0);
  assert_no_secret_in (r->out, "stdout");
  assert_no_secret_in (r->err, "stderr");
}

/* A password on the command line is refused, and not echoed back. */
static void
test_password_argv_refused (void)
{
  const char *forms[][2] = { { "--password", NULL }, { "--pass", NULL }, { "-p", NULL } };

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      const char *tail[] = { forms[i][0], suite.wd->password, "vm", "list", NULL };
      g_autoptr(ObRelRun) r = run (tail, debug_env, NULL, 60, 0);

      g_assert_cmpint (r->exit_code, ==, 2);
      assert_no_secret_in (r->out, "stdout of a refused --password");
      assert_no_secret_in (r->err, "stderr of a refused --password");
    }
}

/* A wrong password: the SSO's error is shown, the attempted password not. */
static void
test_wrong_password (void)
{
  g_autofree char *wrong = g_strconcat (suite.wd->password, "-wrong", NULL);
  g_autofree char *env_pw = g_strconcat ("OVIRT_PASSWORD=", wrong, NULL);
  const char *env[] = { "G_MESSAGES_DEBUG=all", env_pw, NULL };
  const char *tail[] = { "vm", "list", NULL };
  g_autoptr(ObRelRun) r = run (tail, env, NULL, 60, 0);

  g_assert_cmpint (r->exit_code, ==, 4);
  g_assert_false (ob_rel_contains (r->out, wrong));
  g_assert_false (ob_rel_contains (r->err, wrong));
}

/* Re-login after an expired token (401 on the second API request). */
static void
test_relogin (void)
{
  g_autoptr(GError) error = NULL;
  const char *tail[] = { "--password-file", suite.wd->password_file, "vm", "list", NULL };
  g_autoptr(ObRelRun) r = NULL;

  g_assert_true (ob_fault_proxy_add_rule_spec (suite.proxy, "status,status=401,body,path=/ovirt-engine/api,nth=2", &error));
  r = run (tail, debug_env, NULL, 60, 0);
  ob_fault_proxy_clear_rules (suite.proxy);
  g_assert_cmpint (r->exit_code, ==, 0);
  assert_no_secret_in (r->err, "stderr of a re-login");
}

/* The CLI dies (SIGABRT, SIGSEGV) while the password and a token are in
 * its memory, mid-request: nothing it prints on the way out shows them. */
static void
test_crash_output (void)
{
  g_autoptr(GError) error = NULL;
  int sigs[] = { SIGABRT, SIGSEGV };

  for (guint i = 0; i < G_N_ELEMENTS (sigs); i++)
    {
      const char *tail[] = { "--password-file", suite.wd->password_file, "vm", "list", NULL };
      g_autoptr(ObRelRun) r = NULL;

      g_assert_true (ob_fault_proxy_add_rule_spec (suite.proxy, "stall,ms=6000,path=/ovirt-engine/api/vms", &error));
      r = run (tail, debug_env, NULL, 2, sigs[i]);
      ob_fault_proxy_clear_rules (suite.proxy);
      /* Under ASan a SIGSEGV is caught, reported and turned into an abort. */
      g_assert_true (r->exit_code == 128 + sigs[i] || r->exit_code == 128 + SIGABRT);
      assert_no_secret_in (r->out, "stdout of a crash");
      assert_no_secret_in (r->err, "stderr of a crash");
    }
}

/* Everything on disk: the CLI's HOME (config, data, cache, state: the
 * trust store lives there, tokens must not), the engine's database and
 * log. The users file holds a crypt(3) hash, never the password. */
static void
test_files_on_disk (void)
{
  g_auto(GStrv) creds = ob_fault_proxy_dup_credentials (suite.proxy);
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *users = NULL;
  guint bearer = 0;

  /* The engine's database is written (WAL) and the log is complete. */
  g_clear_pointer (&suite.engine, ob_rel_engine_free);

  hits = ob_rel_grep_tree (suite.wd->workdir, suite.wd->password);
  /* Only the password file the test itself wrote may hold it (finding
   * that one shows the grep works). */
  g_assert_cmpuint (hits->len, >=, 1);
  for (guint i = 0; i < hits->len; i++)
    if (!g_str_equal (hits->pdata[i], "password"))
      g_error ("the password appears in %s", (const char *) hits->pdata[i]);
  g_clear_pointer (&hits, g_ptr_array_unref);

  for (guint i = 0; creds[i] != NULL; i++)
    {
      const char *secret = strchr (creds[i], ' ');
      secret = secret ? secret + 1 : creds[i];
      if (g_str_has_prefix (creds[i], "Bearer "))
        bearer++;
      hits = ob_rel_grep_tree (suite.wd->workdir, secret);
      if (hits->len > 0)
        g_error ("a credential sent on the wire appears in %s", (const char *) hits->pdata[0]);
      g_clear_pointer (&hits, g_ptr_array_unref);
    }
  /* The grep above covered real tokens: SSO was used. */
  g_assert_cmpuint (bearer, >=, 1);

  g_assert_true (g_file_get_contents (suite.wd->users_file, &users, NULL, NULL));
  g_assert_true (ob_rel_contains (users, ":$y$") || ob_rel_contains (users, ":$6$"));
  g_assert_false (ob_rel_contains (users, suite.wd->password));
}

/* The sandbox's --hash-password reads the password on stdin and prints a
 * crypt(3) line; the password is not in what it prints. */
static void
test_sandbox_hash_password (void)
{
  g_autofree char *sandbox = g_build_filename (g_getenv ("OB_BUILD_DIR"), "src", "ovirt-balloon-sandbox", NULL);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *input = g_strconcat (suite.wd->password, "\n", NULL);

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                           &error, sandbox, "--hash-password", "someone@internal", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, input, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));
  g_assert_true (g_str_has_prefix (out, "someone@internal:$"));
  g_assert_false (ob_rel_contains (out, suite.wd->password));
  g_assert_false (ob_rel_contains (err, suite.wd->password));
}

/* Again over every output, now that all tokens of all runs are known. */
static void
test_outputs_final (void)
{
  for (guint i = 0; i < suite.outputs->len; i++)
    assert_no_secret_in (suite.outputs->pdata[i], "a CLI output");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);

  suite.wd = ob_rel_workdir_new ();
  suite.outputs = g_ptr_array_new_with_free_func (g_free);
  suite.engine = ob_rel_engine_start (suite.wd, "secrets.db", "demo", NULL, &error);
  g_assert_no_error (error);
  suite.proxy = ob_fault_proxy_new (ob_rel_engine_get_root_url (suite.engine), &error);
  g_assert_no_error (error);
  suite.api = g_strconcat (ob_fault_proxy_get_url (suite.proxy), "/ovirt-engine/api", NULL);

  g_test_add_func ("/secrets/password-file", test_password_file);
  g_test_add_func ("/secrets/password-env", test_password_env);
  g_test_add_func ("/secrets/password-stdin", test_password_stdin);
  g_test_add_func ("/secrets/password-argv-refused", test_password_argv_refused);
  g_test_add_func ("/secrets/wrong-password-not-echoed", test_wrong_password);
  g_test_add_func ("/secrets/re-login", test_relogin);
  g_test_add_func ("/secrets/crash-output", test_crash_output);
  g_test_add_func ("/secrets/sandbox-hash-password", test_sandbox_hash_password);
  g_test_add_func ("/secrets/outputs", test_outputs_final);
  g_test_add_func ("/secrets/files-on-disk", test_files_on_disk);

  rc = g_test_run ();
  g_clear_pointer (&suite.proxy, ob_fault_proxy_free);
  g_clear_pointer (&suite.engine, ob_rel_engine_free);
  g_free (suite.api);
  g_ptr_array_unref (suite.outputs);
  g_clear_pointer (&suite.wd, ob_rel_workdir_free);
  return rc;
}
