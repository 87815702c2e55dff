/* ob-sandbox-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>
#include <string.h>

#include "ob-error.h"
#include "ob-sandbox-store.h"

struct _ObSandboxStore
{
  sqlite3    *db;
  GHashTable *statements;   /* SQL text -> sqlite3_stmt*, prepared once */
  gboolean    fail_next_commit;
};

/* Version 1: before the balloon feature. Modelled on the engine's tables;
 * the balloon is not among vm_static's columns and never will be. */
static const char migration_1[] =
  "CREATE TABLE cluster ("
  "  cluster_id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  description TEXT NOT NULL DEFAULT '',"
  "  compatibility_major INTEGER NOT NULL,"
  "  compatibility_minor INTEGER NOT NULL,"
  "  architecture TEXT NOT NULL DEFAULT 'x86_64');"
  "CREATE TABLE vm_template ("
  "  vmt_guid TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  description TEXT NOT NULL DEFAULT '',"
  "  cluster_id TEXT REFERENCES cluster (cluster_id),"
  "  os TEXT NOT NULL DEFAULT 'other',"
  "  mem_size_mb INTEGER NOT NULL,"
  "  creation_date INTEGER NOT NULL);"
  "CREATE TABLE vm_static ("
  "  vm_guid TEXT PRIMARY KEY,"
  "  vm_name TEXT NOT NULL UNIQUE,"
  "  description TEXT NOT NULL DEFAULT '',"
  "  cluster_id TEXT NOT NULL REFERENCES cluster (cluster_id),"
  "  vmt_guid TEXT NOT NULL REFERENCES vm_template (vmt_guid),"
  "  os TEXT NOT NULL DEFAULT 'other',"
  "  mem_size_mb INTEGER NOT NULL,"
  "  custom_compatibility_version TEXT,"
  "  creation_date INTEGER NOT NULL);"
  "CREATE TABLE vm_dynamic ("
  "  vm_guid TEXT PRIMARY KEY REFERENCES vm_static (vm_guid) ON DELETE CASCADE,"
  "  status TEXT NOT NULL DEFAULT 'down',"
  "  start_time INTEGER,"
  "  stop_time INTEGER);"
  "CREATE TABLE vm_device ("
  "  device_id TEXT NOT NULL,"
  "  vm_id TEXT NOT NULL REFERENCES vm_static (vm_guid) ON DELETE CASCADE,"
  "  type TEXT NOT NULL,"
  "  device TEXT NOT NULL,"
  "  spec_params TEXT NOT NULL DEFAULT '{}',"
  "  is_managed INTEGER NOT NULL DEFAULT 0,"
  "  is_plugged INTEGER NOT NULL DEFAULT 1,"
  "  is_readonly INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (device_id, vm_id));"
  "CREATE INDEX idx_vm_device_vm_id ON vm_device (vm_id);";

/* Version 2: the balloon feature. Deliberately inserts no balloon device:
 * VMs that existed before the feature have it disabled. */
static const char migration_2[] =
  "CREATE UNIQUE INDEX idx_vm_device_one_balloon ON vm_device (vm_id)"
  "  WHERE type = 'balloon';"
  "ALTER TABLE vm_dynamic ADD COLUMN run_once INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE vm_dynamic ADD COLUMN volatile_run INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE vm_dynamic ADD COLUMN run_once_balloon INTEGER;"
  "CREATE TABLE vm_next_run ("
  "  vm_guid TEXT PRIMARY KEY REFERENCES vm_static (vm_guid) ON DELETE CASCADE,"
  "  vm_name TEXT NOT NULL,"
  "  description TEXT NOT NULL,"
  "  mem_size_mb INTEGER NOT NULL,"
  "  balloon_enabled INTEGER NOT NULL);"
  "CREATE TABLE vm_host_payload ("
  "  vm_guid TEXT PRIMARY KEY REFERENCES vm_static (vm_guid) ON DELETE CASCADE,"
  "  recorded_at INTEGER NOT NULL,"
  "  run_once INTEGER NOT NULL,"
  "  volatile_run INTEGER NOT NULL,"
  "  balloon_enabled INTEGER NOT NULL,"
  "  stored_balloon_enabled INTEGER NOT NULL,"
  "  vdsm_devices TEXT NOT NULL,"
  "  libvirt_memballoon TEXT NOT NULL);";

static const char *const migrations[] = { migration_1, migration_2 };
G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == OB_SANDBOX_STORE_SCHEMA_VERSION);

#define BALLOON_EXISTS(vm_col) \
  "EXISTS (SELECT 1 FROM vm_device b WHERE b.vm_id = " vm_col \
  " AND b.type = 'balloon' AND b.device = 'memballoon' AND b.is_managed = 1" \
  " AND json_valid (b.spec_params) AND json_extract (b.spec_params, '$.model') = 'virtio')"

static gboolean
set_db_error (ObSandboxStore *store,
              int             rc,
              GError        **error)
{
  int code = OB_ERROR_FAILED;

  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    code = OB_ERROR_CONFLICT;
  g_set_error (error, OB_ERROR, code, _("Database error: %s"),
               store->db ? sqlite3_errmsg (store->db) : sqlite3_errstr (rc));
  return FALSE;
}

static sqlite3_stmt *
prepare (ObSandboxStore *store,
         const char     *sql,
         GError        **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (store->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (store, rc, error);
      return NULL;
    }
  /* Keys are string literals from this file. */
  g_hash_table_insert (store->statements, (gpointer) sql, stmt);
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

/* Steps a statement that returns no rows. */
static gboolean
step_done (ObSandboxStore *store,
           sqlite3_stmt   *stmt,
           GError        **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_db_error (store, rc, error);
  return TRUE;
}

/* Runs a no-row statement whose only parameter is an id. */
static gboolean
exec_with_id (ObSandboxStore *store,
              const char     *sql,
              const char     *id,
              GError        **error)
{
  sqlite3_stmt *stmt = prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  return step_done (store, stmt, error);
}

gboolean
ob_sandbox_store_exec (ObSandboxStore *store,
                       const char     *sql,
                       GError        **error)
{
  char *message = NULL;
  int rc = sqlite3_exec (store->db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_FAILED, _("Database error: %s"),
                   message ? message : sqlite3_errstr (rc));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

gint64
ob_sandbox_store_query_int (ObSandboxStore *store,
                            const char     *sql,
                            GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;
  int rc;

  rc = sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (store, rc, error);
      return -1;
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    set_db_error (store, rc, error);
  sqlite3_finalize (stmt);
  return value;
}

static guint
read_user_version (ObSandboxStore *store)
{
  sqlite3_stmt *stmt = NULL;
  guint version = 0;

  if (sqlite3_prepare_v2 (store->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

guint
ob_sandbox_store_get_schema_version (ObSandboxStore *store)
{
  return read_user_version (store);
}

static gboolean
migrate (ObSandboxStore *store,
         guint           target,
         GError        **error)
{
  guint current = read_user_version (store);

  if (current > OB_SANDBOX_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("The sandbox database has schema version %u, newer than this program "
                     "knows (%u)"), current, OB_SANDBOX_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  /* Each step is one transaction, so a failed upgrade leaves the previous
   * version intact. */
  for (guint v = current + 1; v <= target; v++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %u;", v);

      if (!ob_sandbox_store_exec (store, "BEGIN IMMEDIATE;", error))
        return FALSE;
      if (!ob_sandbox_store_exec (store, migrations[v - 1], error) ||
          !ob_sandbox_store_exec (store, bump, error))
        {
          ob_sandbox_store_exec (store, "ROLLBACK;", NULL);
          g_prefix_error (error, _("Cannot upgrade the sandbox database to version %u: "), v);
          return FALSE;
        }
      if (!ob_sandbox_store_exec (store, "COMMIT;", error))
        return FALSE;
    }
  return TRUE;
}

ObSandboxStore *
ob_sandbox_store_open (const char *path,
                       guint       target_version,
                       GError    **error)
{
  g_autoptr(ObSandboxStore) store = g_new0 (ObSandboxStore, 1);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc;

  if (target_version == 0 || target_version > OB_SANDBOX_STORE_SCHEMA_VERSION)
    target_version = OB_SANDBOX_STORE_SCHEMA_VERSION;

  store->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) sqlite3_finalize);

  rc = sqlite3_open_v2 (path ? path : ":memory:", &store->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_IO, _("Cannot open the sandbox database “%s”: %s"),
                   path ? path : ":memory:",
                   store->db ? sqlite3_errmsg (store->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_busy_timeout (store->db, 5000);

  {
    g_autoptr(GError) local_error = NULL;

    if (!ob_sandbox_store_exec (store, "PRAGMA foreign_keys = ON;", &local_error) ||
        (path != NULL &&
         !ob_sandbox_store_exec (store, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
                                 &local_error)))
      {
        /* A file that is not a database is a bad input file. */
        int code = (sqlite3_errcode (store->db) & 0xff) == SQLITE_NOTADB ? OB_ERROR_BAD_INPUT
                                                                          : OB_ERROR_IO;

        g_set_error (error, OB_ERROR, code, _("Cannot open the sandbox database “%s”: %s"),
                     path ? path : ":memory:", local_error->message);
        return NULL;
      }
  }

  if (!migrate (store, target_version, error))
    return NULL;

  return g_steal_pointer (&store);
}

void
ob_sandbox_store_free (ObSandboxStore *store)
{
  if (store == NULL)
    return;
  g_clear_pointer (&store->statements, g_hash_table_unref);
  if (store->db != NULL)
    sqlite3_close (store->db);
  g_free (store);
}

gboolean
ob_sandbox_store_begin (ObSandboxStore *store,
                        GError        **error)
{
  return ob_sandbox_store_exec (store, "BEGIN IMMEDIATE;", error);
}

gboolean
ob_sandbox_store_commit (ObSandboxStore *store,
                         GError        **error)
{
  if (store->fail_next_commit)
    {
      store->fail_next_commit = FALSE;
      ob_sandbox_store_rollback (store);
      g_set_error_literal (error, OB_ERROR, OB_ERROR_IO,
                           _("Database error: injected commit failure"));
      return FALSE;
    }
  if (!ob_sandbox_store_exec (store, "COMMIT;", error))
    {
      ob_sandbox_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

void
ob_sandbox_store_rollback (ObSandboxStore *store)
{
  if (!sqlite3_get_autocommit (store->db))
    ob_sandbox_store_exec (store, "ROLLBACK;", NULL);
}

void
ob_sandbox_store_fail_next_commit (ObSandboxStore *store)
{
  store->fail_next_commit = TRUE;
}

gint64
ob_sandbox_store_count_vms (ObSandboxStore *store)
{
  sqlite3_stmt *stmt = prepare (store, "SELECT count(*) FROM vm_static", NULL);
  gint64 count = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return count;
}

/* ---- VMs ---- */

#define VM_SELECT \
  "SELECT s.vm_guid, s.vm_name, s.description, s.cluster_id, s.vmt_guid, s.os," \
  " d.status, s.mem_size_mb, s.creation_date, d.start_time, d.stop_time," \
  " s.custom_compatibility_version, " BALLOON_EXISTS ("s.vm_guid") "," \
  " EXISTS (SELECT 1 FROM vm_next_run n WHERE n.vm_guid = s.vm_guid)," \
  " d.run_once, d.volatile_run, d.run_once_balloon," \
  " c.architecture, c.compatibility_major, c.compatibility_minor" \
  " FROM vm_static s JOIN vm_dynamic d ON d.vm_guid = s.vm_guid" \
  " JOIN cluster c ON c.cluster_id = s.cluster_id"

static const char *
column_text (sqlite3_stmt *stmt,
             int           col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

static void
read_vm_row (sqlite3_stmt   *stmt,
             ObSandboxVmRow *vm)
{
  const char *custom;

  memset (vm, 0, sizeof *vm);
  vm->id = column_text (stmt, 0);
  vm->name = column_text (stmt, 1);
  vm->description = column_text (stmt, 2);
  vm->cluster_id = column_text (stmt, 3);
  vm->template_id = column_text (stmt, 4);
  vm->os_type = column_text (stmt, 5);
  vm->status = column_text (stmt, 6);
  vm->mem_size_mb = sqlite3_column_int64 (stmt, 7);
  vm->creation_time = sqlite3_column_int64 (stmt, 8);
  vm->start_time = sqlite3_column_int64 (stmt, 9);
  vm->stop_time = sqlite3_column_int64 (stmt, 10);
  custom = column_text (stmt, 11);
  vm->has_custom_level = custom != NULL && ob_compat_version_parse (custom, &vm->custom_level);
  vm->balloon = sqlite3_column_int (stmt, 12) != 0;
  vm->next_run = sqlite3_column_int (stmt, 13) != 0;
  vm->run_once = sqlite3_column_int (stmt, 14) != 0;
  vm->volatile_run = sqlite3_column_int (stmt, 15) != 0;
  vm->run_once_balloon = sqlite3_column_type (stmt, 16) == SQLITE_NULL
                           ? -1 : sqlite3_column_int (stmt, 16) != 0;
  vm->cpu_arch = column_text (stmt, 17);
  vm->cluster_level.major = (guint) sqlite3_column_int (stmt, 18);
  vm->cluster_level.minor = (guint) sqlite3_column_int (stmt, 19);
}

static gboolean
run_vm_query (ObSandboxStore  *store,
              sqlite3_stmt    *stmt,
              ObSandboxVmFunc  func,
              gpointer         user_data,
              gboolean        *found,
              GError         **error)
{
  int rc;

  *found = FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ObSandboxVmRow vm;

      *found = TRUE;
      read_vm_row (stmt, &vm);
      if (!func (&vm, user_data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_db_error (store, rc, error);
  return TRUE;
}

#define VM_WHERE \
  " WHERE (?1 IS NULL OR s.vm_name LIKE ?1 ESCAPE '\\')" \
  " AND (?2 IS NULL OR d.status = ?2)" \
  " AND (?5 IS NULL OR c.name LIKE ?5 ESCAPE '\\')"

gboolean
ob_sandbox_store_foreach_vm (ObSandboxStore          *store,
                             const ObSandboxVmFilter *filter,
                             gint64                   offset,
                             gint64                   limit,
                             ObSandboxVmFunc          func,
                             gpointer                 user_data,
                             GError                 **error)
{
  static const ObSandboxVmFilter none = { NULL, };
  sqlite3_stmt *stmt;
  gboolean found;

  if (filter == NULL)
    filter = &none;
  /* ORDER BY cannot be a parameter: two statements. */
  stmt = prepare (store,
                  filter->descending
                    ? VM_SELECT VM_WHERE " ORDER BY s.vm_name DESC LIMIT ?3 OFFSET ?4"
                    : VM_SELECT VM_WHERE " ORDER BY s.vm_name LIMIT ?3 OFFSET ?4",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, filter->name_like);
  bind_text (stmt, 2, filter->status);
  sqlite3_bind_int64 (stmt, 3, limit < 0 ? -1 : limit);
  sqlite3_bind_int64 (stmt, 4, MAX (offset, 0));
  bind_text (stmt, 5, filter->cluster_like);
  return run_vm_query (store, stmt, func, user_data, &found, error);
}

gboolean
ob_sandbox_store_with_vm (ObSandboxStore  *store,
                          const char      *id,
                          ObSandboxVmFunc  func,
                          gpointer         user_data,
                          GError         **error)
{
  sqlite3_stmt *stmt;
  gboolean found;

  stmt = prepare (store, VM_SELECT " WHERE s.vm_guid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  if (!run_vm_query (store, stmt, func, user_data, &found, error))
    return FALSE;
  return found;
}

gboolean
ob_sandbox_store_vm_name_taken (ObSandboxStore *store,
                                const char     *name,
                                const char     *except_id)
{
  sqlite3_stmt *stmt;
  gboolean taken;

  stmt = prepare (store, "SELECT 1 FROM vm_static WHERE vm_name = ?1"
                         " AND (?2 IS NULL OR vm_guid <> ?2)", NULL);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, name);
  bind_text (stmt, 2, except_id);
  taken = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return taken;
}

gboolean
ob_sandbox_store_insert_vm (ObSandboxStore       *store,
                            const ObSandboxVmRow *vm,
                            GError              **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *custom = NULL;

  stmt = prepare (store,
                  "INSERT INTO vm_static (vm_guid, vm_name, description, cluster_id, vmt_guid,"
                  " os, mem_size_mb, custom_compatibility_version, creation_date)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
  if (stmt == NULL)
    return FALSE;
  if (vm->has_custom_level)
    custom = ob_compat_version_to_string (&vm->custom_level);
  bind_text (stmt, 1, vm->id);
  bind_text (stmt, 2, vm->name);
  bind_text (stmt, 3, vm->description ? vm->description : "");
  bind_text (stmt, 4, vm->cluster_id);
  bind_text (stmt, 5, vm->template_id ? vm->template_id : "00000000-0000-0000-0000-000000000000");
  bind_text (stmt, 6, vm->os_type ? vm->os_type : "other");
  sqlite3_bind_int64 (stmt, 7, vm->mem_size_mb);
  bind_text (stmt, 8, custom);
  sqlite3_bind_int64 (stmt, 9, vm->creation_time);
  if (!step_done (store, stmt, error))
    return FALSE;

  stmt = prepare (store,
                  "INSERT INTO vm_dynamic (vm_guid, status, start_time, stop_time)"
                  " VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, vm->id);
  bind_text (stmt, 2, vm->status ? vm->status : "down");
  if (vm->start_time > 0)
    sqlite3_bind_int64 (stmt, 3, vm->start_time);
  if (vm->stop_time > 0)
    sqlite3_bind_int64 (stmt, 4, vm->stop_time);
  if (!step_done (store, stmt, error))
    return FALSE;

  if (vm->balloon)
    return ob_sandbox_store_set_balloon (store, vm->id, TRUE, error);
  return TRUE;
}

gboolean
ob_sandbox_store_update_vm_static (ObSandboxStore *store,
                                   const char     *id,
                                   const char     *name,
                                   const char     *description,
                                   gint64          mem_size_mb,
                                   GError        **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (store,
                  "UPDATE vm_static SET vm_name = ?2, description = ?3, mem_size_mb = ?4"
                  " WHERE vm_guid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, name);
  bind_text (stmt, 3, description);
  sqlite3_bind_int64 (stmt, 4, mem_size_mb);
  return step_done (store, stmt, error);
}

gboolean
ob_sandbox_store_set_balloon (ObSandboxStore *store,
                              const char     *vm_id,
                              gboolean        enabled,
                              GError        **error)
{
  sqlite3_stmt *stmt;
  char device_id[37];
  g_autofree char *uuid = NULL;

  if (!exec_with_id (store, "DELETE FROM vm_device WHERE vm_id = ?1 AND type = 'balloon'",
                     vm_id, error))
    return FALSE;
  if (!enabled)
    return TRUE;

  /* As VmDeviceUtils.addMemoryBalloon creates it: managed, plugged,
   * read-only, model virtio. */
  stmt = prepare (store,
                  "INSERT INTO vm_device (device_id, vm_id, type, device, spec_params,"
                  " is_managed, is_plugged, is_readonly)"
                  " VALUES (?1, ?2, 'balloon', 'memballoon', '{\"model\":\"virtio\"}', 1, 1, 1)",
                  error);
  if (stmt == NULL)
    return FALSE;
  uuid = g_uuid_string_random ();
  g_strlcpy (device_id, uuid, sizeof device_id);
  bind_text (stmt, 1, device_id);
  bind_text (stmt, 2, vm_id);
  return step_done (store, stmt, error);
}

char *
ob_sandbox_store_get_balloon_device_id (ObSandboxStore *store,
                                        const char     *vm_id)
{
  sqlite3_stmt *stmt = prepare (store,
                                "SELECT device_id FROM vm_device WHERE vm_id = ?1"
                                " AND type = 'balloon' AND device = 'memballoon' AND is_managed = 1",
                                NULL);
  char *id = NULL;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, vm_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup (column_text (stmt, 0));
  sqlite3_reset (stmt);
  return id;
}

gboolean
ob_sandbox_store_set_dynamic (ObSandboxStore *store,
                              const char     *vm_id,
                              const char     *status,
                              gboolean        run_once,
                              gboolean        volatile_run,
                              int             run_once_balloon,
                              gint64          start_time,
                              gint64          stop_time,
                              GError        **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (store,
                  "UPDATE vm_dynamic SET status = ?2, run_once = ?3, volatile_run = ?4,"
                  " run_once_balloon = ?5,"
                  " start_time = CASE WHEN ?6 > 0 THEN ?6 ELSE start_time END,"
                  " stop_time = CASE WHEN ?7 > 0 THEN ?7 ELSE stop_time END"
                  " WHERE vm_guid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, vm_id);
  bind_text (stmt, 2, status);
  sqlite3_bind_int (stmt, 3, run_once ? 1 : 0);
  sqlite3_bind_int (stmt, 4, volatile_run ? 1 : 0);
  if (run_once_balloon >= 0)
    sqlite3_bind_int (stmt, 5, run_once_balloon ? 1 : 0);
  sqlite3_bind_int64 (stmt, 6, start_time);
  sqlite3_bind_int64 (stmt, 7, stop_time);
  return step_done (store, stmt, error);
}

gboolean
ob_sandbox_store_delete_vm (ObSandboxStore *store,
                            const char     *vm_id,
                            GError        **error)
{
  return exec_with_id (store, "DELETE FROM vm_static WHERE vm_guid = ?1", vm_id, error);
}

/* ---- next run ---- */

void
ob_sandbox_next_run_clear (ObSandboxNextRun *next_run)
{
  g_clear_pointer (&next_run->name, g_free);
  g_clear_pointer (&next_run->description, g_free);
}

gboolean
ob_sandbox_store_get_next_run (ObSandboxStore   *store,
                               const char       *vm_id,
                               ObSandboxNextRun *out,
                               GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  memset (out, 0, sizeof *out);
  stmt = prepare (store,
                  "SELECT vm_name, description, mem_size_mb, balloon_enabled"
                  " FROM vm_next_run WHERE vm_guid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, vm_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out->name = g_strdup (column_text (stmt, 0));
      out->description = g_strdup (column_text (stmt, 1));
      out->mem_size_mb = sqlite3_column_int64 (stmt, 2);
      out->balloon = sqlite3_column_int (stmt, 3) != 0;
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return set_db_error (store, rc, error);
  return FALSE;
}

gboolean
ob_sandbox_store_put_next_run (ObSandboxStore         *store,
                               const char             *vm_id,
                               const ObSandboxNextRun *next_run,
                               GError                **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (store,
                  "INSERT OR REPLACE INTO vm_next_run (vm_guid, vm_name, description,"
                  " mem_size_mb, balloon_enabled) VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, vm_id);
  bind_text (stmt, 2, next_run->name);
  bind_text (stmt, 3, next_run->description ? next_run->description : "");
  sqlite3_bind_int64 (stmt, 4, next_run->mem_size_mb);
  sqlite3_bind_int (stmt, 5, next_run->balloon ? 1 : 0);
  return step_done (store, stmt, error);
}

gboolean
ob_sandbox_store_delete_next_run (ObSandboxStore *store,
                                  const char     *vm_id,
                                  GError        **error)
{
  return exec_with_id (store, "DELETE FROM vm_next_run WHERE vm_guid = ?1", vm_id, error);
}

/* ---- host payload ---- */

void
ob_sandbox_host_payload_clear (ObSandboxHostPayload *payload)
{
  g_clear_pointer (&payload->vdsm_devices, g_free);
  g_clear_pointer (&payload->libvirt_memballoon, g_free);
}

gboolean
ob_sandbox_store_record_host_payload (ObSandboxStore             *store,
                                      const char                 *vm_id,
                                      const ObSandboxHostPayload *payload,
                                      GError                    **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (store,
                  "INSERT OR REPLACE INTO vm_host_payload (vm_guid, recorded_at, run_once,"
                  " volatile_run, balloon_enabled, stored_balloon_enabled, vdsm_devices,"
                  " libvirt_memballoon) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, vm_id);
  sqlite3_bind_int64 (stmt, 2, payload->recorded_at);
  sqlite3_bind_int (stmt, 3, payload->run_once ? 1 : 0);
  sqlite3_bind_int (stmt, 4, payload->volatile_run ? 1 : 0);
  sqlite3_bind_int (stmt, 5, payload->balloon ? 1 : 0);
  sqlite3_bind_int (stmt, 6, payload->stored_balloon ? 1 : 0);
  bind_text (stmt, 7, payload->vdsm_devices);
  bind_text (stmt, 8, payload->libvirt_memballoon);
  return step_done (store, stmt, error);
}

gboolean
ob_sandbox_store_get_host_payload (ObSandboxStore       *store,
                                   const char           *vm_id,
                                   ObSandboxHostPayload *out,
                                   GError              **error)
{
  sqlite3_stmt *stmt;
  int rc;

  memset (out, 0, sizeof *out);
  stmt = prepare (store,
                  "SELECT recorded_at, run_once, volatile_run, balloon_enabled,"
                  " stored_balloon_enabled, vdsm_devices, libvirt_memballoon"
                  " FROM vm_host_payload WHERE vm_guid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, vm_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out->recorded_at = sqlite3_column_int64 (stmt, 0);
      out->run_once = sqlite3_column_int (stmt, 1) != 0;
      out->volatile_run = sqlite3_column_int (stmt, 2) != 0;
      out->balloon = sqlite3_column_int (stmt, 3) != 0;
      out->stored_balloon = sqlite3_column_int (stmt, 4) != 0;
      out->vdsm_devices = g_strdup (column_text (stmt, 5));
      out->libvirt_memballoon = g_strdup (column_text (stmt, 6));
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return set_db_error (store, rc, error);
  return FALSE;
}

/* ---- clusters and templates ---- */

gboolean
ob_sandbox_store_foreach_cluster (ObSandboxStore      *store,
                                  const char          *id,
                                  ObSandboxClusterFunc func,
                                  gpointer             user_data,
                                  GError             **error)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  stmt = prepare (store,
                  "SELECT cluster_id, name, description, compatibility_major,"
                  " compatibility_minor, architecture FROM cluster"
                  " WHERE ?1 IS NULL OR cluster_id = ?1 ORDER BY name", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ObSandboxClusterRow c;

      found = TRUE;
      c.id = column_text (stmt, 0);
      c.name = column_text (stmt, 1);
      c.description = column_text (stmt, 2);
      c.level.major = (guint) sqlite3_column_int (stmt, 3);
      c.level.minor = (guint) sqlite3_column_int (stmt, 4);
      c.cpu_arch = column_text (stmt, 5);
      if (!func (&c, user_data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_db_error (store, rc, error);
  return id == NULL || found;
}

static char *
find_one (ObSandboxStore *store,
          const char     *sql,
          const char     *id,
          const char     *name)
{
  sqlite3_stmt *stmt = prepare (store, sql, NULL);
  char *result = NULL;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, name);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup (column_text (stmt, 0));
  sqlite3_reset (stmt);
  return result;
}

char *
ob_sandbox_store_find_cluster (ObSandboxStore *store,
                               const char     *id,
                               const char     *name)
{
  return find_one (store,
                   "SELECT cluster_id FROM cluster WHERE (?1 IS NOT NULL AND cluster_id = ?1)"
                   " OR (?1 IS NULL AND name = ?2)", id, name);
}

char *
ob_sandbox_store_find_template (ObSandboxStore *store,
                                const char     *id,
                                const char     *name)
{
  return find_one (store,
                   "SELECT vmt_guid FROM vm_template WHERE (?1 IS NOT NULL AND vmt_guid = ?1)"
                   " OR (?1 IS NULL AND name = ?2)", id, name);
}

gboolean
ob_sandbox_store_foreach_template (ObSandboxStore       *store,
                                   const char           *id,
                                   ObSandboxTemplateFunc func,
                                   gpointer              user_data,
                                   GError              **error)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  stmt = prepare (store,
                  "SELECT vmt_guid, name, description, cluster_id, os, mem_size_mb,"
                  " creation_date FROM vm_template"
                  " WHERE ?1 IS NULL OR vmt_guid = ?1 ORDER BY name", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ObSandboxTemplateRow t;

      found = TRUE;
      t.id = column_text (stmt, 0);
      t.name = column_text (stmt, 1);
      t.description = column_text (stmt, 2);
      t.cluster_id = column_text (stmt, 3);
      t.os_type = column_text (stmt, 4);
      t.mem_size_mb = sqlite3_column_int64 (stmt, 5);
      t.creation_time = sqlite3_column_int64 (stmt, 6);
      if (!func (&t, user_data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_db_error (store, rc, error);
  return id == NULL || found;
}

gboolean
ob_sandbox_store_insert_cluster (ObSandboxStore            *store,
                                 const ObSandboxClusterRow *cluster,
                                 GError                   **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (store,
                  "INSERT INTO cluster (cluster_id, name, description, compatibility_major,"
                  " compatibility_minor, architecture) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, cluster->id);
  bind_text (stmt, 2, cluster->name);
  bind_text (stmt, 3, cluster->description ? cluster->description : "");
  sqlite3_bind_int (stmt, 4, (int) cluster->level.major);
  sqlite3_bind_int (stmt, 5, (int) cluster->level.minor);
  bind_text (stmt, 6, cluster->cpu_arch ? cluster->cpu_arch : "x86_64");
  return step_done (store, stmt, error);
}

gboolean
ob_sandbox_store_insert_template (ObSandboxStore             *store,
                                  const ObSandboxTemplateRow *tmpl,
                                  GError                    **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (store,
                  "INSERT INTO vm_template (vmt_guid, name, description, cluster_id, os,"
                  " mem_size_mb, creation_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, tmpl->id);
  bind_text (stmt, 2, tmpl->name);
  bind_text (stmt, 3, tmpl->description ? tmpl->description : "");
  bind_text (stmt, 4, tmpl->cluster_id);
  bind_text (stmt, 5, tmpl->os_type ? tmpl->os_type : "other");
  sqlite3_bind_int64 (stmt, 6, tmpl->mem_size_mb);
  sqlite3_bind_int64 (stmt, 7, tmpl->creation_time);
  return step_done (store, stmt, error);
}

gboolean
ob_sandbox_store_update_template (ObSandboxStore *store,
                                  const char     *id,
                                  const char     *name,
                                  const char     *description,
                                  GError        **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (store,
                  "UPDATE vm_template SET name = coalesce (?2, name),"
                  " description = coalesce (?3, description) WHERE vmt_guid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, name);
  bind_text (stmt, 3, description);
  return step_done (store, stmt, error);
}
