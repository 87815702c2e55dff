/* ob-rel-engine.c: sandbox subprocess, direct REST channel and CLI runner
 * for the reliability suite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* memmem */
#include "ob-rel-engine.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ob-sandbox-auth.h"
#include "ob-test-tmpdir.h"

struct _ObRelEngine
{
  GSubprocess *process;
  GPid         pid;
  char        *root_url;
  char        *api_url;
  char        *log_path;
  char        *basic;     /* "Basic base64(user:password)" */
};

static char *
build_path (const char *var,
            const char *first,
            ...)
{
  const char *root = g_getenv (var);
  g_autofree char *rest = NULL;
  va_list ap;

  g_assert (root != NULL);
  va_start (ap, first);
  rest = g_build_filename_valist (first, &ap);
  va_end (ap);
  return g_build_filename (root, rest, NULL);
}

static char *
random_hex (guint bytes)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < bytes; i++)
    g_string_append_printf (s, "%02x", (guint) g_random_int_range (0, 256));
  return g_string_free (s, FALSE);
}

ObRelWorkdir *
ob_rel_workdir_new (void)
{
  g_autoptr(GError) error = NULL;
  ObRelWorkdir *wd = g_new0 (ObRelWorkdir, 1);
  g_autofree char *hash = NULL;
  g_autofree char *users = NULL;
  g_autofree char *hex = random_hex (12);

  wd->workdir = g_dir_make_tmp ("ob-rel-XXXXXX", &error);
  g_assert_no_error (error);
  /* Looks like a password, and is unique enough to grep for. */
  wd->password = g_strdup_printf ("Canary-%s!", hex);
  wd->password_file = g_build_filename (wd->workdir, "password", NULL);
  wd->users_file = g_build_filename (wd->workdir, "users", NULL);

  g_file_set_contents_full (wd->password_file, wd->password, -1,
                            G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  hash = ob_sandbox_auth_hash_password (wd->password, &error);
  g_assert_no_error (error);
  users = g_strdup_printf ("# reliability suite account\n%s:%s\n", OB_REL_USER, hash);
  g_file_set_contents_full (wd->users_file, users, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  return wd;
}

void
ob_rel_workdir_free (ObRelWorkdir *wd)
{
  if (wd == NULL)
    return;
  if (g_getenv ("OB_REL_KEEP") == NULL)
    ob_test_tmpdir_remove (wd->workdir);
  else
    g_printerr ("# kept %s\n", wd->workdir);
  g_free (wd->workdir);
  g_free (wd->password);
  g_free (wd->password_file);
  g_free (wd->users_file);
  g_free (wd);
}

static char *
find_url (const char *log)
{
  const char *p = log;

  while ((p = strstr (p, "http")) != NULL)
    {
      if (g_str_has_prefix (p, "http://") || g_str_has_prefix (p, "https://"))
        {
          gsize n = strcspn (p, " \t\r\n\"'");
          return g_strndup (p, n);
        }
      p += 4;
    }
  return NULL;
}

/* An engine must not outlive a test that failed an assertion. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

ObRelEngine *
ob_rel_engine_start (ObRelWorkdir       *wd,
                     const char         *db_name,
                     const char         *seed,
                     const char *const  *extra_args,
                     GError            **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *db = g_build_filename (wd->workdir, db_name, NULL);
  g_autofree char *log_name = g_strconcat (db_name, ".log", NULL);
  g_autofree char *cred = g_strdup_printf ("%s:%s", OB_REL_USER, wd->password);
  g_autofree char *cred64 = g_base64_encode ((const guchar *) cred, strlen (cred));
  g_autoptr(ObRelEngine) engine = g_new0 (ObRelEngine, 1);
  gint64 deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  GStatBuf st;
  gsize offset = 0;
  int fd;

  engine->log_path = g_build_filename (wd->workdir, log_name, NULL);
  engine->basic = g_strdup_printf ("Basic %s", cred64);

  g_ptr_array_add (argv, build_path ("OB_BUILD_DIR", "src", "ovirt-balloon-sandbox", NULL));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1"));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup ("0"));
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_strdup (db));
  g_ptr_array_add (argv, g_strdup ("--users"));
  g_ptr_array_add (argv, g_strdup (wd->users_file));
  if (seed != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--seed"));
      g_ptr_array_add (argv, g_strdup (seed));
    }
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_args[i]));
  g_ptr_array_add (argv, NULL);

  /* A restart appends to the same log: look for the URL after the old end. */
  if (g_stat (engine->log_path, &st) == 0)
    offset = (gsize) st.st_size;
  fd = g_open (engine->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s",
                   engine->log_path, g_strerror (errno));
      return NULL;
    }
  g_subprocess_launcher_take_stdout_fd (launcher, fd);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", wd->workdir, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  engine->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, error);
  if (engine->process == NULL)
    return NULL;
  engine->pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (engine->process), NULL, 10);

  /* It prints its URL once it listens. */
  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *log = NULL;
      g_autofree char *url = NULL;
      gsize len = 0;

      if (g_file_get_contents (engine->log_path, &log, &len, NULL) && len > offset &&
          (url = find_url (log + offset)) != NULL)
        {
          const char *api = strstr (url, "/ovirt-engine");
          engine->root_url = api ? g_strndup (url, (gsize) (api - url)) : g_strdup (url);
          engine->api_url = g_strconcat (engine->root_url, "/ovirt-engine/api", NULL);
          return g_steal_pointer (&engine);
        }
      if (g_subprocess_get_identifier (engine->process) == NULL)
        break;
      g_usleep (20 * 1000);
    }
  {
    g_autofree char *log = NULL;
    g_file_get_contents (engine->log_path, &log, NULL, NULL);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "the sandbox engine did not print its URL; its output:\n%s", log ? log : "");
  }
  return NULL;
}

static void
reap (ObRelEngine *engine,
      int          sig,
      guint        grace_ms)
{
  gint64 deadline;

  if (engine->process == NULL)
    return;
  if (g_subprocess_get_identifier (engine->process) != NULL)
    g_subprocess_send_signal (engine->process, sig);
  deadline = g_get_monotonic_time () + (gint64) grace_ms * 1000;
  /* GSubprocess reaps in GLib's worker thread; wait for it. */
  while (g_subprocess_get_identifier (engine->process) != NULL && g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);
  if (g_subprocess_get_identifier (engine->process) != NULL)
    {
      g_subprocess_force_exit (engine->process);
      g_subprocess_wait (engine->process, NULL, NULL);
    }
  g_subprocess_wait (engine->process, NULL, NULL);
}

void
ob_rel_engine_kill (ObRelEngine *engine)
{
  reap (engine, SIGKILL, 5000);
}

void
ob_rel_engine_free (ObRelEngine *engine)
{
  if (engine == NULL)
    return;
  reap (engine, SIGTERM, 5000);
  g_clear_object (&engine->process);
  g_free (engine->root_url);
  g_free (engine->api_url);
  g_free (engine->log_path);
  g_free (engine->basic);
  g_free (engine);
}

const char *
ob_rel_engine_get_root_url (ObRelEngine *engine)
{
  return engine->root_url;
}

const char *
ob_rel_engine_get_api_url (ObRelEngine *engine)
{
  return engine->api_url;
}

GPid
ob_rel_engine_get_pid (ObRelEngine *engine)
{
  return engine->pid;
}

const char *
ob_rel_engine_get_log_path (ObRelEngine *engine)
{
  return engine->log_path;
}

static gboolean
accept_any_certificate (SoupMessage          *msg,
                        GTlsCertificate      *certificate,
                        GTlsCertificateFlags  errors,
                        gpointer              user_data)
{
  /* The direct channel is test plumbing, not the code under test. */
  return TRUE;
}

JsonNode *
ob_rel_engine_request (ObRelEngine  *engine,
                       const char   *method,
                       const char   *path,
                       const char   *body,
                       guint        *status_out,
                       GError      **error)
{
  g_autoptr(GProxyResolver) resolver = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 120,
                                                                  "proxy-resolver", resolver,
                                                                  NULL);
  g_autofree char *url = g_strconcat (engine->api_url, path[0] == '/' ? "" : "/", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  SoupMessageHeaders *hdrs;
  gsize len;
  const char *data;

  if (msg == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad URL %s", url);
      return NULL;
    }
  hdrs = soup_message_get_request_headers (msg);
  soup_message_headers_replace (hdrs, "Accept", "application/json");
  soup_message_headers_replace (hdrs, "Authorization", engine->basic);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);
  if (body != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  reply = soup_session_send_and_read (session, msg, NULL, error);
  if (reply == NULL)
    return NULL;
  if (status_out != NULL)
    *status_out = soup_message_get_status (msg);
  data = g_bytes_get_data (reply, &len);
  if (len == 0)
    return json_node_new (JSON_NODE_NULL);
  if (!json_parser_load_from_data (parser, data, (gssize) len, error))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static const char *
member_string (JsonObject *o,
               const char *name)
{
  JsonNode *n;

  if (o == NULL || (n = json_object_get_member (o, name)) == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return NULL;
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return NULL;
}

static guint
member_uint (JsonObject *o,
             const char *name)
{
  JsonNode *n;

  if (o == NULL || (n = json_object_get_member (o, name)) == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return 0;
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    return (guint) g_ascii_strtoull (json_node_get_string (n), NULL, 10);
  return (guint) json_node_get_int (n);
}

static JsonObject *
member_object (JsonObject *o,
               const char *name)
{
  JsonNode *n;

  if (o == NULL || (n = json_object_get_member (o, name)) == NULL || !JSON_NODE_HOLDS_OBJECT (n))
    return NULL;
  return json_node_get_object (n);
}

char *
ob_rel_engine_add_vm (ObRelEngine  *engine,
                      const char   *name,
                      guint         min_major,
                      guint         min_minor,
                      gboolean      ballooning,
                      GError      **error)
{
  g_autoptr(JsonNode) clusters = NULL;
  g_autoptr(JsonNode) vm = NULL;
  g_autofree char *body = NULL;
  const char *cluster_id = NULL;
  JsonNode *list;
  guint status = 0;

  clusters = ob_rel_engine_request (engine, "GET", "clusters", NULL, &status, error);
  if (clusters == NULL)
    return NULL;
  list = JSON_NODE_HOLDS_OBJECT (clusters)
         ? json_object_get_member (json_node_get_object (clusters), "cluster") : NULL;
  for (guint i = 0; list != NULL && JSON_NODE_HOLDS_ARRAY (list) && i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonObject *c = json_array_get_object_element (json_node_get_array (list), i);
      JsonObject *v = member_object (c, "version");
      const char *arch = member_string (member_object (c, "cpu"), "architecture");
      guint major = member_uint (v, "major"), minor = member_uint (v, "minor");

      if (arch != NULL && g_strcmp0 (arch, "x86_64") != 0)
        continue;
      if (major > min_major || (major == min_major && minor >= min_minor))
        {
          cluster_id = member_string (c, "id");
          break;
        }
    }
  if (cluster_id == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "no x86_64 cluster at level >= %u.%u (status %u)", min_major, min_minor, status);
      return NULL;
    }

  body = g_strdup_printf ("{\"name\":\"%s\",\"cluster\":{\"id\":\"%s\"},"
                          "\"template\":{\"name\":\"Blank\"},\"memory\":\"1073741824\","
                          "\"memory_policy\":{\"ballooning\":\"%s\"}}",
                          name, cluster_id, ballooning ? "true" : "false");
  vm = ob_rel_engine_request (engine, "POST", "vms", body, &status, error);
  if (vm == NULL)
    return NULL;
  if ((status != 200 && status != 201 && status != 202) || !JSON_NODE_HOLDS_OBJECT (vm) ||
      member_string (json_node_get_object (vm), "id") == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "adding VM %s: HTTP %u", name, status);
      return NULL;
    }
  return g_strdup (member_string (json_node_get_object (vm), "id"));
}

char *
ob_rel_engine_get_ballooning (ObRelEngine  *engine,
                              const char   *vm_id,
                              GError      **error)
{
  g_autofree char *path = g_strconcat ("vms/", vm_id, NULL);
  g_autoptr(JsonNode) vm = NULL;
  guint status = 0;
  JsonNode *b;
  JsonObject *policy;

  vm = ob_rel_engine_request (engine, "GET", path, NULL, &status, error);
  if (vm == NULL)
    return NULL;
  policy = JSON_NODE_HOLDS_OBJECT (vm) ? member_object (json_node_get_object (vm), "memory_policy") : NULL;
  if (status != 200 || policy == NULL || (b = json_object_get_member (policy, "ballooning")) == NULL ||
      !JSON_NODE_HOLDS_VALUE (b))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "VM %s: HTTP %u, no memory_policy.ballooning", vm_id, status);
      return NULL;
    }
  if (json_node_get_value_type (b) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (b) ? "true" : "false");
  return g_ascii_strdown (json_node_get_string (b), -1);
}

gboolean
ob_rel_engine_set_ballooning (ObRelEngine  *engine,
                              const char   *vm_id,
                              gboolean      ballooning,
                              GError      **error)
{
  g_autofree char *path = g_strconcat ("vms/", vm_id, NULL);
  g_autofree char *body = g_strdup_printf ("{\"memory_policy\":{\"ballooning\":\"%s\"}}",
                                           ballooning ? "true" : "false");
  g_autoptr(JsonNode) vm = NULL;
  guint status = 0;

  vm = ob_rel_engine_request (engine, "PUT", path, body, &status, error);
  if (vm == NULL)
    return FALSE;
  if (status != 200)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "PUT %s: HTTP %u", path, status);
      return FALSE;
    }
  return TRUE;
}

void
ob_rel_run_free (ObRelRun *run)
{
  if (run == NULL)
    return;
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

typedef struct
{
  GMainLoop *loop;
  char      *out;
  char      *err;
  gboolean   done;
} RunState;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RunState *st = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &st->out, &st->err, NULL);
  st->done = TRUE;
  g_main_loop_quit (st->loop);
}

typedef struct
{
  GSubprocess *proc;
  int          sig;
} Watchdog;

static gboolean
watchdog_cb (gpointer user_data)
{
  Watchdog *w = user_data;

  if (w->sig == 0)
    {
      g_subprocess_force_exit (w->proc);
      return G_SOURCE_REMOVE;
    }
  /* A caught signal must not hang the test: SIGKILL one period later. */
  g_subprocess_send_signal (w->proc, w->sig);
  w->sig = 0;
  return G_SOURCE_CONTINUE;
}

ObRelRun *
ob_rel_run_cli (ObRelWorkdir       *wd,
                const char *const  *args,
                const char *const  *env_extra,
                guint               timeout_s)
{
  return ob_rel_run_cli_full (wd, args, env_extra, NULL, timeout_s, 0);
}

ObRelRun *
ob_rel_run_cli_full (ObRelWorkdir       *wd,
                     const char *const  *args,
                     const char *const  *env_extra,
                     const char         *stdin_text,
                     guint               timeout_s,
                     int                 timeout_signal)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                               (stdin_text != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE : G_SUBPROCESS_FLAGS_NONE));
  Watchdog wdog = { NULL, timeout_signal };
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_build_filename (wd->workdir, "home", NULL);
  g_autofree char *config = g_build_filename (home, ".config", NULL);
  g_autofree char *data = g_build_filename (home, ".local", "share", NULL);
  g_autofree char *cache = g_build_filename (home, ".cache", NULL);
  g_autofree char *state = g_build_filename (home, ".local", "state", NULL);
  GSource *watchdog;
  RunState st = { 0 };
  ObRelRun *run = g_new0 (ObRelRun, 1);
  gint64 start;
  static const char *const drop[] = {
    "OVIRT_URL", "OVIRT_USERNAME", "OVIRT_PASSWORD", "OVIRT_CAFILE", "OVIRT_INSECURE", NULL
  };

  g_mkdir_with_parents (config, 0700);
  g_mkdir_with_parents (data, 0700);
  g_mkdir_with_parents (cache, 0700);
  g_mkdir_with_parents (state, 0700);
  g_ptr_array_add (argv, build_path ("OB_BUILD_DIR", "src", "ovirt-balloon-cli", NULL));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  for (guint i = 0; drop[i] != NULL; i++)
    g_subprocess_launcher_unsetenv (launcher, drop[i]);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", state, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "http_proxy");
  g_subprocess_launcher_unsetenv (launcher, "https_proxy");
  g_subprocess_launcher_unsetenv (launcher, "HTTP_PROXY");
  g_subprocess_launcher_unsetenv (launcher, "HTTPS_PROXY");
  for (guint i = 0; env_extra != NULL && env_extra[i] != NULL; i++)
    {
      const char *eq = strchr (env_extra[i], '=');
      g_autofree char *name = g_strndup (env_extra[i], (gsize) (eq - env_extra[i]));
      g_subprocess_launcher_setenv (launcher, name, eq + 1, TRUE);
    }

  g_main_context_push_thread_default (context);
  st.loop = g_main_loop_new (context, FALSE);
  start = g_get_monotonic_time ();
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, stdin_text, NULL, communicate_cb, &st);
  wdog.proc = proc;
  watchdog = g_timeout_source_new_seconds (timeout_s);
  g_source_set_callback (watchdog, watchdog_cb, &wdog, NULL);
  g_source_attach (watchdog, context);
  while (!st.done)
    g_main_loop_run (st.loop);
  g_source_destroy (watchdog);
  g_source_unref (watchdog);
  g_subprocess_wait (proc, NULL, NULL);
  run->seconds = (gdouble) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  g_main_loop_unref (st.loop);
  g_main_context_pop_thread_default (context);

  if (g_subprocess_get_if_signaled (proc))
    run->exit_code = 128 + g_subprocess_get_term_sig (proc);
  else
    run->exit_code = g_subprocess_get_exit_status (proc);
  run->out = st.out ? st.out : g_strdup ("");
  run->err = st.err ? st.err : g_strdup ("");
  return run;
}

gboolean
ob_rel_contains (const char *haystack,
                 const char *needle)
{
  return haystack != NULL && strstr (haystack, needle) != NULL;
}

gboolean
ob_rel_contains_ci (const char *haystack,
                    const char *needle)
{
  g_autofree char *h = NULL;
  g_autofree char *n = NULL;

  if (haystack == NULL)
    return FALSE;
  h = g_utf8_casefold (haystack, -1);
  n = g_utf8_casefold (needle, -1);
  return strstr (h, n) != NULL;
}

static void
grep_walk (const char *root,
           const char *rel,
           const char *needle,
           GPtrArray  *hits)
{
  g_autofree char *path = rel ? g_build_filename (root, rel, NULL) : g_strdup (root);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    return;
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (g_file_get_contents (path, &contents, &len, NULL) &&
          memmem (contents, len, needle, strlen (needle)) != NULL)
        g_ptr_array_add (hits, g_strdup (rel ? rel : path));
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = rel ? g_build_filename (rel, name, NULL) : g_strdup (name);
      grep_walk (root, child, needle, hits);
    }
}

GPtrArray *
ob_rel_grep_tree (const char *dir,
                  const char *needle)
{
  GPtrArray *hits = g_ptr_array_new_with_free_func (g_free);

  grep_walk (dir, NULL, needle, hits);
  return hits;
}
