/* test-rel-cli-faults.c: ovirt-balloon-cli against the sandbox engine behind
 * the fault proxy, one test per fault. Each checks that the CLI
 * never crashes, reports one clear `error:` line with the documented exit
 * code, and that the engine's state (read straight from the engine, not
 * through the proxy) is what the CLI told the user.
 *
 * Every case adds a row to $OB_BUILD_DIR/reliability/cli-faults.md, which
 * tests/reliability/update-doc.sh copies into docs/reliability.md.
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
  GPtrArray    *rows;
  guint         serial;
} Suite;

typedef enum
{
  STATE_UNCHANGED,   /* the fault hit before the engine changed anything */
  STATE_CHANGED,     /* the command succeeded */
  STATE_EITHER,      /* the engine may have applied it; see the row */
} ExpectState;

typedef struct
{
  const char  *path;        /* GTest path */
  const char  *fault;       /* table text */
  const char  *rule;        /* fault proxy rule spec; "%s" = the VM's id */
  const char  *timeout;     /* --timeout value or NULL */
  int          exit_min;    /* accepted exit codes: exit_min..exit_max */
  int          exit_max;
  ExpectState  state;
  const char  *must_say;    /* case-insensitive text the error must contain, or NULL */
} FaultCase;

static Suite suite;

/* "error: ..." is the CLI's contract for every failure. */
static char *
first_error_line (const char *err)
{
  g_auto(GStrv) lines = g_strsplit (err, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "error:"))
      return g_strdup (lines[i]);
  return NULL;
}

static gboolean
has_error_line (const char *err)
{
  g_autofree char *line = first_error_line (err);

  return line != NULL;
}

static void
assert_no_crash (ObRelRun *run)
{
  g_test_message ("exit %d after %.2f s\nstdout:\n%s\nstderr:\n%s",
                  run->exit_code, run->seconds, run->out, run->err);
  g_assert_cmpint (run->exit_code, <, 128);
  g_assert_false (ob_rel_contains (run->err, "AddressSanitizer"));
  g_assert_false (ob_rel_contains (run->err, "runtime error:"));
  g_assert_false (ob_rel_contains (run->err, "CRITICAL"));
  g_assert_false (ob_rel_contains (run->err, "Segmentation"));
}

static void
add_row (const char *fault,
         const char *command,
         ObRelRun   *run,
         const char *engine_state,
         const char *verdict)
{
  g_autofree char *line = first_error_line (run->err);
  g_autofree char *said = NULL;

  said = line ? g_strescape (line, "\"") : g_strdup (run->exit_code == 0 ? "(success)" : "(no error line)");
  /* Keep the table readable: one line, no pipes. */
  g_strdelimit (said, "|", '/');
  g_ptr_array_add (suite.rows,
                   g_strdup_printf ("| %s | `%s` | %d | %s | %s | %s |",
                                    fault, command, run->exit_code, said, engine_state, verdict));
}

static ObRelRun *
run_set_balloon (const char *api_url,
                 const char *vm_id,
                 const char *value,
                 const char *timeout)
{
  const char *args[16];
  guint n = 0;

  args[n++] = "--engine";
  args[n++] = api_url;
  args[n++] = "--user";
  args[n++] = OB_REL_USER;
  args[n++] = "--password-file";
  args[n++] = suite.wd->password_file;
  if (timeout != NULL)
    {
      args[n++] = "--timeout";
      args[n++] = timeout;
    }
  args[n++] = "vm";
  args[n++] = "set-balloon";
  args[n++] = vm_id;
  args[n++] = value;
  args[n] = NULL;
  return ob_rel_run_cli (suite.wd, args, NULL, 60);
}

static char *
new_vm (ObRelEngine *engine,
        gboolean     ballooning)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("rel-fault-%u", ++suite.serial);
  char *id = ob_rel_engine_add_vm (engine, name, 4, 0, ballooning, &error);

  g_assert_no_error (error);
  return id;
}

static char *
proxied_api_url (ObFaultProxy *proxy)
{
  return g_strconcat (ob_fault_proxy_get_url (proxy), "/ovirt-engine/api", NULL);
}

static void
test_fault (gconstpointer data)
{
  const FaultCase *fc = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObFaultProxy) proxy = ob_fault_proxy_new (ob_rel_engine_get_root_url (suite.engine), &error);
  g_autofree char *vm = NULL;
  g_autofree char *rule = NULL;
  g_autofree char *api = NULL;
  g_autofree char *after = NULL;
  g_autofree char *log = NULL;
  g_autofree char *line = NULL;
  g_autoptr(ObRelRun) run = NULL;
  const char *verdict = "ok";
  const char *state_text;

  g_assert_no_error (error);
  vm = new_vm (suite.engine, FALSE);
  api = proxied_api_url (proxy);
  {
    g_auto(GStrv) parts = g_strsplit (fc->rule, "%s", -1);
    rule = g_strjoinv (vm, parts);
  }
  g_assert_true (ob_fault_proxy_add_rule_spec (proxy, rule, &error));
  g_assert_no_error (error);

  run = run_set_balloon (api, vm, "on", fc->timeout);
  log = ob_fault_proxy_dump_log (proxy);
  g_test_message ("requests:\n%s", log);
  assert_no_crash (run);

  after = ob_rel_engine_get_ballooning (suite.engine, vm, &error);
  g_assert_no_error (error);

  if (run->exit_code == 0)
    state_text = g_str_equal (after, "true") ? "balloon on (changed, as reported)" : "balloon off (NOT changed, but success reported)";
  else if (g_str_equal (after, "false"))
    state_text = "balloon off (unchanged, as reported)";
  else
    {
      g_autofree char *said = first_error_line (run->err);

      state_text = "balloon on (the engine applied it; the CLI reported a failure)";
      /* The write reached the engine and only the answer was lost: the
       * user should learn that the outcome is unknown. */
      if (!ob_rel_contains_ci (said, "may") && !ob_rel_contains_ci (said, "unknown") &&
          !ob_rel_contains_ci (said, "check"))
        verdict = "finding: the error does not say the change may have been applied";
    }
  add_row (fc->fault, "vm set-balloon VM on", run, state_text, verdict);

  g_assert_cmpint (run->exit_code, >=, fc->exit_min);
  g_assert_cmpint (run->exit_code, <=, fc->exit_max);
  if (run->exit_code != 0)
    {
      line = first_error_line (run->err);
      g_assert_nonnull (line);
      if (fc->must_say != NULL)
        g_assert_true (ob_rel_contains_ci (line, fc->must_say));
      /* Success must never be claimed on stdout when it failed. */
      g_assert_false (ob_rel_contains_ci (run->out, "applied"));
    }
  /* What the user was told must be what the engine holds. */
  if (run->exit_code == 0)
    g_assert_cmpstr (after, ==, "true");
  else if (fc->state == STATE_UNCHANGED)
    g_assert_cmpstr (after, ==, "false");
}

static const FaultCase cases[] = {
  { "/cli-faults/closed-without-answer", "connection closed without an answer (VM read)",
    "close,method=GET,path=/ovirt-engine/api/vms/%s", NULL, 1, 4, STATE_UNCHANGED, NULL },
  { "/cli-faults/reset-mid-body-read", "connection reset mid-body (VM read)",
    "reset,method=GET,path=/ovirt-engine/api/vms/%s", NULL, 1, 4, STATE_UNCHANGED, NULL },
  { "/cli-faults/reset-mid-body-update", "connection reset mid-body (answer to the update)",
    "reset,method=PUT,path=/ovirt-engine/api/vms/%s", NULL, 1, 4, STATE_EITHER, NULL },
  { "/cli-faults/stall-5s-timeout-2s", "5 s stall, `--timeout 2`",
    "stall,ms=5000,method=GET,path=/ovirt-engine/api/vms/%s", "2", 1, 1, STATE_UNCHANGED, NULL },
  { "/cli-faults/stall-5s-default-timeout", "5 s stall, default timeout (30 s)",
    "stall,ms=5000,method=PUT,path=/ovirt-engine/api/vms/%s", NULL, 0, 0, STATE_CHANGED, NULL },
  { "/cli-faults/500-fault-body", "500 with a fault body (update)",
    "status,status=500,body,method=PUT", NULL, 1, 1, STATE_UNCHANGED, "Internal Engine Error" },
  { "/cli-faults/500-no-body", "500 without a body (update)",
    "status,status=500,method=PUT", NULL, 1, 1, STATE_UNCHANGED, NULL },
  { "/cli-faults/502-fault-body", "502 with a fault body (update)",
    "status,status=502,body,method=PUT", NULL, 1, 1, STATE_UNCHANGED, "Internal Engine Error" },
  { "/cli-faults/502-no-body", "502 without a body (update)",
    "status,status=502,method=PUT", NULL, 1, 1, STATE_UNCHANGED, NULL },
  { "/cli-faults/503-fault-body", "503 with a fault body (VM read)",
    "status,status=503,body,method=GET,path=/ovirt-engine/api/vms/%s", NULL, 1, 4, STATE_UNCHANGED, "temporarily unavailable" },
  { "/cli-faults/503-no-body", "503 without a body (VM read)",
    "status,status=503,method=GET,path=/ovirt-engine/api/vms/%s", NULL, 1, 4, STATE_UNCHANGED, NULL },
  { "/cli-faults/wrong-content-type", "HTML page (text/html) instead of JSON (VM read)",
    "html,method=GET,path=/ovirt-engine/api/vms/%s", NULL, 1, 4, STATE_UNCHANGED, NULL },
  { "/cli-faults/truncated-json", "truncated JSON (VM read)",
    "truncate,method=GET,path=/ovirt-engine/api/vms/%s", NULL, 1, 4, STATE_UNCHANGED, NULL },
};

/* A 401 on the second API request: the token "expired"; the client logs in
 * again once and retries, transparently. */
static void
test_expired_token (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObFaultProxy) proxy = ob_fault_proxy_new (ob_rel_engine_get_root_url (suite.engine), &error);
  g_autofree char *vm = new_vm (suite.engine, FALSE);
  g_autofree char *api = proxied_api_url (proxy);
  g_autofree char *after = NULL;
  g_autofree char *log = NULL;
  g_autoptr(ObRelRun) run = NULL;
  guint logins;

  g_assert_no_error (error);
  g_assert_true (ob_fault_proxy_add_rule_spec (proxy, "status,status=401,body,path=/ovirt-engine/api,nth=2", &error));
  run = run_set_balloon (api, vm, "on", NULL);
  log = ob_fault_proxy_dump_log (proxy);
  g_test_message ("requests:\n%s", log);
  assert_no_crash (run);
  after = ob_rel_engine_get_ballooning (suite.engine, vm, &error);
  g_assert_no_error (error);
  logins = ob_fault_proxy_count_method (proxy, "POST", "/ovirt-engine/sso/oauth/token");
  add_row ("401 on the second request (expired token)", "vm set-balloon VM on", run,
           g_str_equal (after, "true") ? "balloon on (changed, as reported)" : "balloon off",
           logins >= 2 ? "ok: logged in again and retried" : "no re-login");
  g_assert_cmpint (run->exit_code, ==, 0);
  g_assert_cmpstr (after, ==, "true");
  g_assert_cmpuint (logins, >=, 2);
}

typedef struct
{
  ObRelEngine *engine;
  const char  *vm;
  gint         runs;
} ConflictHook;

static void
other_client_enables (const char *method,
                      const char *path,
                      gpointer    user_data)
{
  ConflictHook *h = user_data;
  g_autoptr(GError) error = NULL;

  /* Another administrator turns the balloon on meanwhile. */
  ob_rel_engine_set_ballooning (h->engine, h->vm, TRUE, &error);
  g_assert_no_error (error);
  g_atomic_int_inc (&h->runs);
}

/* The VM changes on the server between the CLI's load and its save. The
 * client must re-read before writing and must not send a write
 * based on the stale read: it reports a conflict, or finds the VM already
 * as wanted, and sends no PUT. */
static void
test_changed_between_load_and_save (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObFaultProxy) proxy = ob_fault_proxy_new (ob_rel_engine_get_root_url (suite.engine), &error);
  g_autofree char *vm = new_vm (suite.engine, FALSE);
  g_autofree char *api = proxied_api_url (proxy);
  g_autofree char *path = g_strconcat ("/ovirt-engine/api/vms/", vm, NULL);
  g_autofree char *after = NULL;
  g_autofree char *log = NULL;
  g_autoptr(ObRelRun) run = NULL;
  ConflictHook hook = { suite.engine, vm, 0 };
  ObFaultRule rule = { .kind = OB_FAULT_HOOK, .method = "GET", .path_prefix = path, .nth = 2,
                       .hook = other_client_enables, .hook_data = &hook };
  guint puts;

  g_assert_no_error (error);
  ob_fault_proxy_add_rule (proxy, &rule);
  /* Loaded off, wanted on; another client turns it on before the re-read. */
  run = run_set_balloon (api, vm, "on", NULL);
  log = ob_fault_proxy_dump_log (proxy);
  g_test_message ("requests:\n%s", log);
  assert_no_crash (run);
  after = ob_rel_engine_get_ballooning (suite.engine, vm, &error);
  g_assert_no_error (error);
  puts = ob_fault_proxy_count_method (proxy, "PUT", path);
  add_row ("VM changed by another client between load and save", "vm set-balloon VM on", run,
           g_str_equal (after, "true") ? "balloon on (the other client's value)" : "balloon off",
           hook.runs == 0 ? "FAIL: the CLI never re-read the VM before writing"
                          : puts == 0 ? "ok: change detected, nothing written" : "FAIL: wrote over a changed VM");
  g_assert_cmpint (hook.runs, ==, 1);
  g_assert_cmpuint (puts, ==, 0);
  g_assert_cmpstr (after, ==, "true");
  /* Either a conflict error (exit 1) or "already on" (exit 0). */
  g_assert_cmpint (run->exit_code, <=, 1);
}

typedef struct
{
  ObRelEngine *engine;
  gint         killed;
} KillHook;

static void
kill_engine (const char *method,
             const char *path,
             gpointer    user_data)
{
  KillHook *h = user_data;

  ob_rel_engine_kill (h->engine);
  g_atomic_int_inc (&h->killed);
}

/* The engine process is SIGKILLed while the update is on its way. After a
 * restart on the same database the VM must be as the user was told. */
static void
test_engine_killed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObRelEngine) engine = ob_rel_engine_start (suite.wd, "killed.db", "demo", NULL, &error);
  g_autoptr(ObRelEngine) again = NULL;
  g_autoptr(ObFaultProxy) proxy = NULL;
  g_autofree char *vm = NULL;
  g_autofree char *api = NULL;
  g_autofree char *after = NULL;
  g_autoptr(ObRelRun) run = NULL;
  KillHook hook = { NULL, 0 };
  ObFaultRule rule = { .kind = OB_FAULT_HOOK, .method = "PUT", .path_prefix = "/ovirt-engine/api/vms/",
                       .hook = kill_engine, .hook_data = &hook };

  g_assert_no_error (error);
  hook.engine = engine;
  vm = new_vm (engine, FALSE);
  proxy = ob_fault_proxy_new (ob_rel_engine_get_root_url (engine), &error);
  g_assert_no_error (error);
  api = proxied_api_url (proxy);
  ob_fault_proxy_add_rule (proxy, &rule);

  run = run_set_balloon (api, vm, "on", "10");
  assert_no_crash (run);
  /* libsoup may resend an idempotent PUT once on a dropped reused connection. */
  g_assert_cmpint (hook.killed, >=, 1);

  again = ob_rel_engine_start (suite.wd, "killed.db", NULL, NULL, &error);
  g_assert_no_error (error);
  after = ob_rel_engine_get_ballooning (again, vm, &error);
  g_assert_no_error (error);
  add_row ("engine killed (SIGKILL) mid-request, restarted on the same database", "vm set-balloon VM on", run,
           g_str_equal (after, "false") ? "balloon off (unchanged, as reported)" : "balloon on",
           "ok");
  g_assert_cmpint (run->exit_code, >=, 1);
  g_assert_cmpint (run->exit_code, <=, 4);
  g_assert_true (has_error_line (run->err));
  g_assert_cmpstr (after, ==, "false");
}

/* A 10,000-VM list whose answer is cut halfway: an error, and no partial
 * list passed off as the whole one. */
static void
test_big_list_aborted (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObRelEngine) engine = ob_rel_engine_start (suite.wd, "big.db", "10000", NULL, &error);
  g_autoptr(ObFaultProxy) proxy = NULL;
  g_autoptr(ObRelRun) clean = NULL;
  g_autoptr(ObRelRun) run = NULL;
  g_autofree char *api = NULL;
  g_autofree char *rule = NULL;
  guint pages;
  const char *args[] = { "--engine", NULL, "--user", OB_REL_USER, "--password-file", suite.wd->password_file,
                         "vm", "list", "--json", NULL };

  g_assert_no_error (error);
  proxy = ob_fault_proxy_new (ob_rel_engine_get_root_url (engine), &error);
  g_assert_no_error (error);
  api = proxied_api_url (proxy);
  args[1] = api;

  /* A clean run first: how many list requests make up the 10,000 VMs. */
  clean = ob_rel_run_cli (suite.wd, args, NULL, 120);
  assert_no_crash (clean);
  g_assert_cmpint (clean->exit_code, ==, 0);
  pages = ob_fault_proxy_count_method (proxy, "GET", "/ovirt-engine/api/vms");
  g_assert_cmpuint (pages, >=, 1);

  /* Then cut the middle one (or the only one) halfway through its body. */
  rule = g_strdup_printf ("abort,method=GET,path=/ovirt-engine/api/vms,nth=%u", (pages + 1) / 2);
  g_assert_true (ob_fault_proxy_add_rule_spec (proxy, rule, &error));
  run = ob_rel_run_cli (suite.wd, args, NULL, 120);
  assert_no_crash (run);
  add_row ("10,000-VM list aborted halfway", "vm list --json", run, "read-only: nothing to change",
           g_strstrip (run->out)[0] == '\0' ? "ok: no partial list on stdout" : "FAIL: partial list printed");
  g_assert_cmpint (run->exit_code, >=, 1);
  g_assert_cmpint (run->exit_code, <=, 4);
  g_assert_true (has_error_line (run->err));
  g_assert_cmpstr (g_strstrip (run->out), ==, "");
}

static void
write_rows (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("OB_BUILD_DIR"), "reliability", NULL);
  g_autofree char *path = g_build_filename (dir, "cli-faults.md", NULL);
  g_autoptr(GString) md = g_string_new (NULL);

  g_string_append (md, "| fault | command | exit | what the user saw | engine state afterwards | verdict |\n"
                       "| --- | --- | --- | --- | --- | --- |\n");
  for (guint i = 0; i < suite.rows->len; i++)
    g_string_append_printf (md, "%s\n", (const char *) suite.rows->pdata[i]);
  g_mkdir_with_parents (dir, 0755);
  g_file_set_contents (path, md->str, (gssize) md->len, NULL);
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
  suite.rows = g_ptr_array_new_with_free_func (g_free);
  suite.engine = ob_rel_engine_start (suite.wd, "faults.db", "demo", NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_fault);
  g_test_add_func ("/cli-faults/401-on-second-request", test_expired_token);
  g_test_add_func ("/cli-faults/changed-between-load-and-save", test_changed_between_load_and_save);
  g_test_add_func ("/cli-faults/engine-killed-mid-request", test_engine_killed);
  g_test_add_func ("/cli-faults/10000-vm-list-aborted-halfway", test_big_list_aborted);

  rc = g_test_run ();
  write_rows ();
  g_clear_pointer (&suite.engine, ob_rel_engine_free);
  g_clear_pointer (&suite.rows, g_ptr_array_unref);
  g_clear_pointer (&suite.wd, ob_rel_workdir_free);
  return rc;
}
