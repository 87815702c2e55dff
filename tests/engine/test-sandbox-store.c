/* test-sandbox-store.c: the sandbox engine's database (schema migrations,
 * the balloon device rule, transactions), its seeds and its password
 * hashing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <crypt.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ob-balloon-policy.h"
#include "ob-error.h"
#include "ob-sandbox.h"
#include "ob-sandbox-auth.h"
#include "ob-sandbox-seed.h"
#include "ob-sandbox-store.h"

typedef struct
{
  char *dir;
  char *path;
} TmpDb;

static void
tmp_db_init (TmpDb *t)
{
  t->dir = g_dir_make_tmp ("ob-sandbox-store-XXXXXX", NULL);
  g_assert_nonnull (t->dir);
  t->path = g_build_filename (t->dir, "sandbox.db", NULL);
}

static void
tmp_db_clear (TmpDb *t)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (t->path, suffixes[i], NULL);

      g_unlink (p);
    }
  g_rmdir (t->dir);
  g_free (t->path);
  g_free (t->dir);
}

typedef struct
{
  guint      count;
  guint      with_balloon;
  GPtrArray *names;
} Tally;

static gboolean
tally_cb (const ObSandboxVmRow *vm,
          gpointer              user_data)
{
  Tally *t = user_data;

  t->count++;
  if (vm->balloon)
    t->with_balloon++;
  if (t->names != NULL)
    g_ptr_array_add (t->names, g_strdup (vm->name));
  return TRUE;
}

static Tally
tally (ObSandboxStore *store)
{
  g_autoptr(GError) error = NULL;
  Tally t = { 0, 0, NULL };

  g_assert_true (ob_sandbox_store_foreach_vm (store, NULL, 0, -1, tally_cb, &t, &error));
  g_assert_no_error (error);
  return t;
}

static gint64
query_int (ObSandboxStore *store,
           const char     *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 value = ob_sandbox_store_query_int (store, sql, &error);

  g_assert_no_error (error);
  return value;
}

/* The DB upgrade: a database made at the schema before the balloon, with
 * VMs, opened by the current code. */
static void
test_migrate_from_previous (void)
{
  g_autoptr(GError) error = NULL;
  TmpDb t;

  tmp_db_init (&t);
  {
    g_autoptr(ObSandboxStore) old = ob_sandbox_store_open (t.path, 1, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (ob_sandbox_store_get_schema_version (old), ==, 1);
    /* Written in the old schema's own SQL, as an old program would. */
    g_assert_true (ob_sandbox_store_exec (old,
      "INSERT INTO cluster VALUES ('c1', 'Default', '', 4, 2, 'x86_64');"
      "INSERT INTO cluster VALUES ('c2', 'old', '', 3, 0, 'x86_64');"
      "INSERT INTO vm_template VALUES ('00000000-0000-0000-0000-000000000000', 'Blank', '', NULL, 'other', 1024, 0);"
      "INSERT INTO vm_static VALUES ('v1', 'alpha', '', 'c1', '00000000-0000-0000-0000-000000000000', 'other', 1024, NULL, 0);"
      "INSERT INTO vm_static VALUES ('v2', 'beta', '', 'c1', '00000000-0000-0000-0000-000000000000', 'other', 2048, '3.6', 0);"
      "INSERT INTO vm_static VALUES ('v3', 'gamma', '', 'c2', '00000000-0000-0000-0000-000000000000', 'other', 512, NULL, 0);"
      "INSERT INTO vm_dynamic VALUES ('v1', 'up', 1, NULL);"
      "INSERT INTO vm_dynamic VALUES ('v2', 'down', NULL, 2);"
      "INSERT INTO vm_dynamic VALUES ('v3', 'down', NULL, NULL);"
      "INSERT INTO vm_device VALUES ('d1', 'v1', 'disk', 'disk', '{}', 1, 1, 0);"
      "INSERT INTO vm_device VALUES ('d2', 'v2', 'interface', 'bridge', '{}', 1, 1, 0);",
      &error));
    g_assert_no_error (error);
  }

  {
    /* Up to the last device-era schema: a balloon is a device row. */
    g_autoptr(ObSandboxStore) store = ob_sandbox_store_open (t.path, OB_SANDBOX_STORE_DEVICE_ERA_VERSION,
                                                             &error);
    Tally before;

    g_assert_no_error (error);
    g_assert_cmpuint (ob_sandbox_store_get_schema_version (store), ==, OB_SANDBOX_STORE_DEVICE_ERA_VERSION);
    g_assert_false (ob_sandbox_store_is_flag_era (store));

    /* Every VM that existed before the feature has it disabled. */
    before = tally (store);
    g_assert_cmpuint (before.count, ==, 3);
    g_assert_cmpuint (before.with_balloon, ==, 0);
    g_assert_cmpint (query_int (store, "SELECT count(*) FROM vm_device WHERE type = 'balloon'"), ==, 0);
    /* Other devices survived; every VM got the SPICE console. */
    g_assert_cmpint (query_int (store, "SELECT count(*) FROM vm_device WHERE type <> 'graphics'"), ==, 2);
    g_assert_cmpint (query_int (store, "SELECT count(*) FROM vm_device WHERE device = 'spice'"), ==, 3);

    /* The new schema works on the old rows. */
    g_assert_true (ob_sandbox_store_set_balloon (store, "v1", TRUE, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (tally (store).with_balloon, ==, 1);
    /* At most one balloon per VM. */
    g_assert_false (ob_sandbox_store_exec (store,
                                           "INSERT INTO vm_device VALUES ('d9', 'v1', 'balloon', 'memballoon',"
                                           " '{\"model\":\"virtio\"}', 1, 1, 1);", &error));
    g_assert_error (error, OB_ERROR, OB_ERROR_FAILED);
    g_clear_error (&error);
  }

  /* Opening again is a no-op. */
  {
    g_autoptr(ObSandboxStore) store = ob_sandbox_store_open (t.path, OB_SANDBOX_STORE_DEVICE_ERA_VERSION,
                                                             &error);

    g_assert_no_error (error);
    g_assert_cmpuint (tally (store).with_balloon, ==, 1);
  }

  /* The flag era keeps each VM's state and gives every VM the device. */
  {
    g_autoptr(ObSandboxStore) store = ob_sandbox_store_open (t.path, 0, &error);

    g_assert_no_error (error);
    g_assert_true (ob_sandbox_store_is_flag_era (store));
    g_assert_cmpuint (tally (store).with_balloon, ==, 1);
    g_assert_cmpint (query_int (store, "SELECT count(*) FROM vm_device WHERE type = 'balloon'"), ==, 3);
    g_assert_cmpint (query_int (store, "SELECT balloon_enabled FROM vm_static WHERE vm_guid = 'v1'"), ==, 1);
    g_assert_true (ob_sandbox_store_set_balloon (store, "v1", FALSE, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (tally (store).with_balloon, ==, 0);
    g_assert_cmpint (query_int (store, "SELECT count(*) FROM vm_device WHERE type = 'balloon'"), ==, 3);
  }

  /* And no going back. */
  {
    g_autoptr(ObSandboxStore) store = ob_sandbox_store_open (t.path, OB_SANDBOX_STORE_DEVICE_ERA_VERSION,
                                                             &error);

    g_assert_null (store);
    g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
    g_clear_error (&error);
  }
  tmp_db_clear (&t);
}

static void
test_newer_schema_refused (void)
{
  g_autoptr(GError) error = NULL;
  TmpDb t;

  tmp_db_init (&t);
  {
    g_autoptr(ObSandboxStore) store = ob_sandbox_store_open (t.path, 0, &error);

    g_assert_no_error (error);
    g_assert_true (ob_sandbox_store_exec (store, "PRAGMA user_version = 99;", &error));
  }
  {
    g_autoptr(ObSandboxStore) store = ob_sandbox_store_open (t.path, 0, &error);

    g_assert_null (store);
    g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
  }
  g_clear_error (&error);

  /* Not a database at all. */
  g_assert_true (g_file_set_contents (t.path, "this is not sqlite, but long enough to be read as a header",
                                      -1, NULL));
  {
    const char *suffixes[] = { "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *p = g_strconcat (t.path, suffixes[i], NULL);

        g_unlink (p);
      }
  }
  {
    g_autoptr(ObSandboxStore) store = ob_sandbox_store_open (t.path, 0, &error);

    g_assert_null (store);
    g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
  }
  tmp_db_clear (&t);
}

/* Device era: only a managed balloon/memballoon device with model virtio
 * counts. */
static void
test_balloon_device_rule (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSandboxStore) store = ob_sandbox_store_open (NULL, OB_SANDBOX_STORE_DEVICE_ERA_VERSION, &error);
  struct { const char *spec; int managed; const char *device; gboolean expected; } cases[] = {
    { "{\"model\":\"virtio\"}", 1, "memballoon", TRUE },
    { "{\"model\":\"none\"}", 1, "memballoon", FALSE },
    { "{\"model\":\"virtio\"}", 0, "memballoon", FALSE },
    { "{\"model\":\"virtio\"}", 1, "other", FALSE },
    { "not json", 1, "memballoon", FALSE },
  };

  g_assert_no_error (error);
  g_assert_true (ob_sandbox_seed_ensure_blank (store, &error));
  g_assert_true (ob_sandbox_store_exec (store,
                                        "INSERT INTO cluster VALUES ('c1', 'Default', '', 4, 7, 'x86_64');"
                                        "INSERT INTO vm_static VALUES ('v1', 'alpha', '', 'c1',"
                                        " '00000000-0000-0000-0000-000000000000', 'other', 1024, NULL, 0);"
                                        "INSERT INTO vm_dynamic (vm_guid) VALUES ('v1');", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM vm_device;"
                                              "INSERT INTO vm_device VALUES ('d', 'v1', 'balloon', '%s', '%s', %d, 1, 1);",
                                              cases[i].device, cases[i].spec, cases[i].managed);

      g_assert_true (ob_sandbox_store_exec (store, sql, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (tally (store).with_balloon, ==, cases[i].expected ? 1 : 0);
    }

  /* set_balloon writes exactly the engine's row. */
  g_assert_true (ob_sandbox_store_set_balloon (store, "v1", TRUE, &error));
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM vm_device WHERE type = 'balloon'"
                                     " AND device = 'memballoon' AND spec_params = '{\"model\":\"virtio\"}'"
                                     " AND is_managed = 1 AND is_plugged = 1 AND is_readonly = 1"), ==, 1);
  g_assert_true (ob_sandbox_store_set_balloon (store, "v1", FALSE, &error));
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM vm_device"), ==, 0);
  /* In this era the balloon is no column of vm_static. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM pragma_table_info('vm_static')"
                                     " WHERE name LIKE '%balloon%'"), ==, 0);
}

static void
test_transactions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSandboxStore) store = ob_sandbox_store_open (NULL, 0, &error);
  g_autofree char *web01 = ob_sandbox_seed_make_id ("vm", "web-01");

  g_assert_no_error (error);
  g_assert_true (ob_sandbox_seed_apply (store, "demo", &error));
  g_assert_no_error (error);

  /* A rolled back request leaves nothing behind. */
  g_assert_true (ob_sandbox_store_begin (store, &error));
  g_assert_true (ob_sandbox_store_delete_vm (store, web01, &error));
  ob_sandbox_store_rollback (store);
  g_assert_cmpint (ob_sandbox_store_count_vms (store), ==, 30);

  /* A failing commit (injected) leaves nothing behind either. */
  g_assert_true (ob_sandbox_store_begin (store, &error));
  g_assert_true (ob_sandbox_store_exec (store, "DELETE FROM vm_static;", &error));
  ob_sandbox_store_fail_next_commit (store);
  g_assert_false (ob_sandbox_store_commit (store, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_IO);
  g_assert_cmpint (ob_sandbox_store_count_vms (store), ==, 30);
}

/* ---- seeds ---- */

typedef struct
{
  GHashTable *statuses;
  guint       on, off, custom, ppc64;
  guint       violations;
} DemoCheck;

static gboolean
demo_cb (const ObSandboxVmRow *vm,
         gpointer              user_data)
{
  DemoCheck *c = user_data;
  const ObCompatVersion *level = vm->has_custom_level ? &vm->custom_level : &vm->cluster_level;

  g_hash_table_add (c->statuses, g_strdup (vm->status));
  if (vm->balloon)
    c->on++;
  else
    c->off++;
  if (vm->has_custom_level)
    c->custom++;
  if (ob_balloon_policy_is_ppc64 (vm->cpu_arch))
    c->ppc64++;
  /* Never a balloon where the one rule forbids it. */
  if (vm->balloon && ob_balloon_policy_verdict (ob_level_from_version (level), vm->cpu_arch) != OB_BALLOON_ALLOWED)
    c->violations++;
  return TRUE;
}

typedef struct
{
  GPtrArray *levels;
} ClusterCheck;

static gboolean
cluster_cb (const ObSandboxClusterRow *cl,
            gpointer                   user_data)
{
  g_autofree char *level = ob_compat_version_to_string (&cl->level);

  g_ptr_array_add (user_data, g_strdup_printf ("%s %s", level, cl->cpu_arch));
  return TRUE;
}

static gboolean
count_template_cb (const ObSandboxTemplateRow *t,
                   gpointer                    user_data)
{
  (*(guint *) user_data)++;
  return TRUE;
}

static void
test_seed_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSandboxStore) store = ob_sandbox_store_open (NULL, 0, &error);
  g_autoptr(GHashTable) statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) levels = g_ptr_array_new_with_free_func (g_free);
  DemoCheck c = { statuses, 0, };
  const char *expected_statuses[] = { "down", "up", "paused", "suspended", "migrating", "powering_up",
                                      "powering_down", "reboot_in_progress", "not_responding",
                                      "wait_for_launch", "saving_state", "restoring_state",
                                      "image_locked", "unknown" };
  const char *expected_levels[] = { "3.0 x86_64", "3.1 x86_64", "3.4 ppc64", "4.7 x86_64",
                                    "3.6 x86_64", "4.2 x86_64" };
  guint templates = 0;

  g_assert_true (ob_sandbox_seed_ensure_blank (store, &error));
  g_assert_true (ob_sandbox_seed_apply (store, "demo", &error));
  g_assert_no_error (error);
  g_assert_true (ob_sandbox_store_foreach_vm (store, NULL, 0, -1, demo_cb, &c, &error));

  g_assert_cmpuint (c.on + c.off, ==, 30);
  g_assert_cmpuint (c.on, >, 5);
  g_assert_cmpuint (c.off, >, 5);
  g_assert_cmpuint (c.custom, >=, 2);
  g_assert_cmpuint (c.ppc64, >=, 2);
  g_assert_cmpuint (c.violations, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (expected_statuses); i++)
    if (!g_hash_table_contains (statuses, expected_statuses[i]))
      g_error ("no demo VM is %s", expected_statuses[i]);

  g_assert_true (ob_sandbox_store_foreach_cluster (store, NULL, cluster_cb, levels, &error));
  g_assert_cmpuint (levels->len, ==, G_N_ELEMENTS (expected_levels));
  for (guint i = 0; i < G_N_ELEMENTS (expected_levels); i++)
    g_assert_true (g_ptr_array_find_with_equal_func (levels, expected_levels[i], g_str_equal, NULL));

  g_assert_true (ob_sandbox_store_foreach_template (store, NULL, count_template_cb, &templates, &error));
  g_assert_cmpuint (templates, ==, 3);
  {
    g_autofree char *blank = ob_sandbox_store_find_template (store, OB_SANDBOX_BLANK_TEMPLATE_ID, NULL);

    g_assert_cmpstr (blank, ==, OB_SANDBOX_BLANK_TEMPLATE_ID);
  }

  /* Seeding again does nothing. */
  g_assert_true (ob_sandbox_seed_apply (store, "demo", &error));
  g_assert_true (ob_sandbox_seed_apply (store, "5", &error));
  g_assert_cmpint (ob_sandbox_store_count_vms (store), ==, 30);

  /* Stable ids. */
  {
    g_autofree char *a = ob_sandbox_seed_make_id ("vm", "web-01");
    g_autofree char *b = ob_sandbox_seed_make_id ("vm", "web-01");
    g_autofree char *other = ob_sandbox_seed_make_id ("vm", "web-02");

    g_assert_cmpstr (a, ==, b);
    g_assert_cmpstr (a, !=, other);
    g_assert_true (g_uuid_string_is_valid (a));
  }
}

static gint64
seed_time_limit (void)
{
  if (g_getenv ("OB_UNDER_VALGRIND") != NULL)
    return 300;
#if defined(__SANITIZE_ADDRESS__)
  return 60;
#else
  return 10;
#endif
}

static void
test_seed_count (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSandboxStore) store = ob_sandbox_store_open (NULL, 0, &error);
  DemoCheck c = { NULL, 0, };
  gint64 t0;

  c.statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_assert_true (ob_sandbox_seed_ensure_blank (store, &error));
  t0 = g_get_monotonic_time ();
  g_assert_true (ob_sandbox_seed_apply (store, "10000", &error));
  g_assert_no_error (error);
  g_test_message ("seeding 10000 VMs took %.3f s", (g_get_monotonic_time () - t0) / 1e6);
  /* One transaction and prepared statements: about 0.2 s in a plain
   * build; the limits leave room for a loaded machine, sanitizers (some
   * 20 times slower here) and memcheck (some 50 times). */
  g_assert_cmpint (g_get_monotonic_time () - t0, <, seed_time_limit () * G_USEC_PER_SEC);
  g_assert_cmpint (ob_sandbox_store_count_vms (store), ==, 10000);
  g_assert_true (ob_sandbox_store_foreach_vm (store, NULL, 0, -1, demo_cb, &c, &error));
  g_assert_cmpuint (c.violations, ==, 0);
  g_assert_cmpuint (c.on, >, 1000);
  g_hash_table_unref (c.statuses);

  {
    g_autoptr(ObSandboxStore) other = ob_sandbox_store_open (NULL, 0, &error);

    g_assert_false (ob_sandbox_seed_apply (other, "lots", &error));
    g_assert_error (error, OB_ERROR, OB_ERROR_USAGE);
    g_clear_error (&error);
    g_assert_false (ob_sandbox_seed_apply (other, "-3", &error));
    g_assert_error (error, OB_ERROR, OB_ERROR_USAGE);
    g_clear_error (&error);
    g_assert_true (ob_sandbox_seed_apply (other, NULL, &error));
    g_assert_cmpint (ob_sandbox_store_count_vms (other), ==, 0);
  }
}

/* ---- passwords ---- */

static void
test_password_hashing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = ob_sandbox_auth_hash_password ("correct horse", &error);
  g_autofree char *dir = g_dir_make_tmp ("ob-sandbox-users-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "users", NULL);
  g_autofree char *sha512 = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(ObSandboxAuth) auth = NULL;
  struct crypt_data *data = g_new0 (struct crypt_data, 1);

  g_assert_no_error (error);
  /* yescrypt, never the password itself. */
  g_assert_true (g_str_has_prefix (hash, "$y$"));
  g_assert_null (strstr (hash, "correct horse"));

  /* SHA-512-crypt lines work too. */
  sha512 = g_strdup (crypt_r ("battery staple", "$6$saltsaltsalt$", data));
  g_free (data);
  contents = g_strdup_printf ("# comment\n\nalice@internal:%s\nbob@internal:%s\n", hash, sha512);
  g_assert_true (g_file_set_contents (path, contents, -1, &error));

  auth = ob_sandbox_auth_new (path, 60, &error);
  g_assert_no_error (error);
  g_assert_true (ob_sandbox_auth_check_password (auth, "alice@internal", "correct horse"));
  g_assert_true (ob_sandbox_auth_check_password (auth, "alice@internal", "correct horse"));
  g_assert_false (ob_sandbox_auth_check_password (auth, "alice@internal", "wrong"));
  g_assert_true (ob_sandbox_auth_check_password (auth, "bob@internal", "battery staple"));
  g_assert_false (ob_sandbox_auth_check_password (auth, "bob@internal", "correct horse"));
  g_assert_false (ob_sandbox_auth_check_password (auth, "carol@internal", "x"));
  g_assert_false (ob_sandbox_auth_has_user (auth, OB_SANDBOX_DEMO_USER));

  /* The built-in demo user. */
  {
    g_autoptr(ObSandboxAuth) demo = ob_sandbox_auth_new (NULL, 60, &error);

    g_assert_true (ob_sandbox_auth_check_password (demo, OB_SANDBOX_DEMO_USER, "sandbox"));
    g_assert_false (ob_sandbox_auth_check_password (demo, OB_SANDBOX_DEMO_USER, "Sandbox"));
  }

  /* Empty passwords cannot be hashed; missing files are clear errors. */
  g_assert_null (ob_sandbox_auth_hash_password ("", &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_USAGE);
  g_clear_error (&error);
  g_assert_null (ob_sandbox_auth_new ("/nonexistent/users", 60, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_tokens (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSandboxAuth) auth = ob_sandbox_auth_new (NULL, 2, &error);
  g_autofree char *token = ob_sandbox_auth_issue_token (auth, OB_SANDBOX_DEMO_USER, NULL);
  g_autofree char *other = ob_sandbox_auth_issue_token (auth, OB_SANDBOX_DEMO_USER, NULL);
  g_autofree char *session = ob_sandbox_auth_open_session (auth, OB_SANDBOX_DEMO_USER);

  g_assert_cmpstr (token, !=, other);
  g_assert_cmpuint (strlen (token), >=, 40);
  g_assert_true (ob_sandbox_auth_check_token (auth, token));
  g_assert_true (ob_sandbox_auth_revoke_token (auth, other));
  g_assert_false (ob_sandbox_auth_check_token (auth, other));
  g_assert_true (ob_sandbox_auth_check_session (auth, session));
  ob_sandbox_auth_close_session (auth, session);
  g_assert_false (ob_sandbox_auth_check_session (auth, session));
  g_usleep (2100 * 1000);
  g_assert_false (ob_sandbox_auth_check_token (auth, token));
  g_assert_false (ob_sandbox_auth_check_token (auth, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox/store/migrate-from-previous-version", test_migrate_from_previous);
  g_test_add_func ("/sandbox/store/refuses-unknown-database", test_newer_schema_refused);
  g_test_add_func ("/sandbox/store/balloon-device-rule", test_balloon_device_rule);
  g_test_add_func ("/sandbox/store/transactions", test_transactions);
  g_test_add_func ("/sandbox/seed/demo", test_seed_demo);
  g_test_add_func ("/sandbox/seed/count", test_seed_count);
  g_test_add_func ("/sandbox/auth/password-hashing", test_password_hashing);
  g_test_add_func ("/sandbox/auth/tokens", test_tokens);

  return g_test_run ();
}
