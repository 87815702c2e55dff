/* ob-rel-engine.h: test-only helpers for the reliability suite: the sandbox
 * engine as a real subprocess (so it can be SIGKILLed and restarted on the
 * same database), a direct REST channel to it for checking the engine's
 * state behind the client's back, and running ovirt-balloon-cli with a
 * watchdog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The suite's own account; the password is random per run so a test can
 * grep every output for it. */
#define OB_REL_USER "rel@internal"

typedef struct _ObRelEngine ObRelEngine;

typedef struct
{
  char    *workdir;        /* removed by ob_rel_workdir_free() */
  char    *password;       /* random canary */
  char    *password_file;  /* mode 0600 */
  char    *users_file;     /* user:crypt-hash */
} ObRelWorkdir;

ObRelWorkdir *ob_rel_workdir_new          (void);
void          ob_rel_workdir_free         (ObRelWorkdir *wd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObRelWorkdir, ob_rel_workdir_free)

/* Starts OB_BUILD_DIR/src/ovirt-balloon-sandbox on 127.0.0.1, a free port,
 * database @db_name inside the workdir, @seed ("demo", "10000" or NULL),
 * the workdir's users file, plus @extra_args. Its stdout and stderr go to
 * @db_name.log in the workdir. */
ObRelEngine  *ob_rel_engine_start         (ObRelWorkdir       *wd,
                                           const char         *db_name,
                                           const char         *seed,
                                           const char *const  *extra_args,
                                           GError            **error);
/* SIGKILL, then reap. */
void          ob_rel_engine_kill          (ObRelEngine        *engine);
/* SIGTERM (SIGKILL after 5 s), reap, free. */
void          ob_rel_engine_free          (ObRelEngine        *engine);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObRelEngine, ob_rel_engine_free)

/* "http://127.0.0.1:PORT" (or https) */
const char   *ob_rel_engine_get_root_url  (ObRelEngine        *engine);
/* ".../ovirt-engine/api" */
const char   *ob_rel_engine_get_api_url   (ObRelEngine        *engine);
GPid          ob_rel_engine_get_pid       (ObRelEngine        *engine);
const char   *ob_rel_engine_get_log_path  (ObRelEngine        *engine);

/* A JSON request straight to the engine with Basic auth (not through any
 * proxy). @path is relative to the API URL. Thread-safe (it may run in a
 * fault-proxy hook). Returns the parsed body, a JSON null for an empty one. */
JsonNode     *ob_rel_engine_request       (ObRelEngine        *engine,
                                           const char         *method,
                                           const char         *path,
                                           const char         *body,
                                           guint              *status_out,
                                           GError            **error);

/* Adds a down VM named @name (Blank template) on the first x86_64 cluster
 * whose level is at least @min_major.@min_minor, with the balloon as given.
 * Returns its id. */
char         *ob_rel_engine_add_vm        (ObRelEngine        *engine,
                                           const char         *name,
                                           guint               min_major,
                                           guint               min_minor,
                                           gboolean            ballooning,
                                           GError            **error);
/* The stored memory_policy.ballooning of a VM read individually: "true",
 * "false", or NULL with @error. */
char         *ob_rel_engine_get_ballooning (ObRelEngine       *engine,
                                            const char        *vm_id,
                                            GError           **error);
gboolean      ob_rel_engine_set_ballooning (ObRelEngine       *engine,
                                            const char        *vm_id,
                                            gboolean           ballooning,
                                            GError           **error);

typedef struct
{
  int      exit_code;   /* 128 + signal when killed by a signal */
  char    *out;
  char    *err;
  gdouble  seconds;
} ObRelRun;

void          ob_rel_run_free             (ObRelRun           *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObRelRun, ob_rel_run_free)

/* Runs OB_BUILD_DIR/src/ovirt-balloon-cli @args with HOME and XDG dirs
 * inside the workdir and @env_extra ("NAME=VALUE", may be NULL). Killed
 * after @timeout_s. */
ObRelRun     *ob_rel_run_cli              (ObRelWorkdir       *wd,
                                           const char *const  *args,
                                           const char *const  *env_extra,
                                           guint               timeout_s);

/* The same, with @stdin_text (NULL: no input) written to its standard
 * input, and @timeout_signal sent when the timeout elapses (0: SIGKILL). */
ObRelRun     *ob_rel_run_cli_full         (ObRelWorkdir       *wd,
                                           const char *const  *args,
                                           const char *const  *env_extra,
                                           const char         *stdin_text,
                                           guint               timeout_s,
                                           int                 timeout_signal);

/* TRUE if @haystack contains @needle (NULL haystack: FALSE). */
gboolean      ob_rel_contains             (const char         *haystack,
                                           const char         *needle);
/* Case-insensitive. */
gboolean      ob_rel_contains_ci          (const char         *haystack,
                                           const char         *needle);

/* Every file under @dir whose content contains @needle, as a list of paths
 * relative to @dir (empty when none). */
GPtrArray    *ob_rel_grep_tree            (const char         *dir,
                                           const char         *needle);

G_END_DECLS
