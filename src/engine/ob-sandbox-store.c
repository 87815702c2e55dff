/* ob-sandbox-store.c: opening and migrating the database, transactions,
 * and the statement helpers the other store files use.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>
#include <string.h>

#include "ob-error.h"
#include "ob-sandbox-store-impl.h"


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

/* Version 3: graphics devices, and the devices of templates (the engine
 * keeps both in vm_device; here templates have their own table). Blank
 * has had a memballoon device since 2015 (01200_insert_vm_device.sql);
 * every VM and template gets the SPICE console the engine gives new VMs.
 * Still the device era: a balloon is a device row. */
static const char migration_3[] =
  "CREATE TABLE template_device ("
  "  device_id TEXT NOT NULL,"
  "  vmt_guid TEXT NOT NULL REFERENCES vm_template (vmt_guid) ON DELETE CASCADE,"
  "  type TEXT NOT NULL,"
  "  device TEXT NOT NULL,"
  "  spec_params TEXT NOT NULL DEFAULT '{}',"
  "  is_managed INTEGER NOT NULL DEFAULT 0,"
  "  is_plugged INTEGER NOT NULL DEFAULT 1,"
  "  is_readonly INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (device_id, vmt_guid));"
  "CREATE UNIQUE INDEX idx_template_device_one_balloon ON template_device (vmt_guid)"
  "  WHERE type = 'balloon';"
  "INSERT INTO template_device (device_id, vmt_guid, type, device, spec_params,"
  "  is_managed, is_plugged, is_readonly)"
  "  SELECT " NEW_UUID ", vmt_guid, 'balloon', 'memballoon', '{\"model\":\"virtio\"}', 1, 1, 1"
  "  FROM vm_template WHERE vmt_guid = '00000000-0000-0000-0000-000000000000';"
  "INSERT INTO template_device (device_id, vmt_guid, type, device, is_managed)"
  "  SELECT " NEW_UUID ", vmt_guid, 'graphics', 'spice', 1 FROM vm_template;"
  "INSERT INTO vm_device (device_id, vm_id, type, device, is_managed)"
  "  SELECT " NEW_UUID ", vm_guid, 'graphics', 'spice', 1 FROM vm_static;";

/* Version 4: the flag era, as the engine's 4.4.6 upgrade
 * (04_04_1100_add_balloon_to_vm_static.sql): balloon_enabled is true where
 * a memballoon device was, then every VM and template without one gets
 * the device. Host payloads gain the domain metadata VDSM reads the flag
 * from. */
static const char migration_4[] =
  "ALTER TABLE vm_host_payload ADD COLUMN libvirt_metadata TEXT;"
  "ALTER TABLE vm_static ADD COLUMN balloon_enabled INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE vm_template ADD COLUMN balloon_enabled INTEGER NOT NULL DEFAULT 0;"
  "UPDATE vm_static SET balloon_enabled = 1 WHERE "
  BALLOON_DEVICE_EXISTS ("vm_device", "vm_id", "vm_static.vm_guid") ";"
  "UPDATE vm_template SET balloon_enabled = 1 WHERE "
  BALLOON_DEVICE_EXISTS ("template_device", "vmt_guid", "vm_template.vmt_guid") ";"
  "INSERT INTO vm_device (device_id, vm_id, type, device, spec_params,"
  "  is_managed, is_plugged, is_readonly)"
  "  SELECT " NEW_UUID ", vm_guid, 'balloon', 'memballoon', '{\"model\":\"virtio\"}', 1, 1, 1"
  "  FROM vm_static s WHERE NOT EXISTS (SELECT 1 FROM vm_device d"
  "  WHERE d.vm_id = s.vm_guid AND d.type = 'balloon');"
  "INSERT INTO template_device (device_id, vmt_guid, type, device, spec_params,"
  "  is_managed, is_plugged, is_readonly)"
  "  SELECT " NEW_UUID ", vmt_guid, 'balloon', 'memballoon', '{\"model\":\"virtio\"}', 1, 1, 1"
  "  FROM vm_template t WHERE NOT EXISTS (SELECT 1 FROM template_device d"
  "  WHERE d.vmt_guid = t.vmt_guid AND d.type = 'balloon');";

static const char *const migrations[] = { migration_1, migration_2, migration_3, migration_4 };
G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == OB_SANDBOX_STORE_SCHEMA_VERSION);


gboolean
ob_store_set_error (ObSandboxStore *store,
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

sqlite3_stmt *
ob_store_prepare (ObSandboxStore *store,
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
      ob_store_set_error (store, rc, error);
      return NULL;
    }
  /* Keys are string literals from this file. */
  g_hash_table_insert (store->statements, (gpointer) sql, stmt);
  return stmt;
}

void
ob_store_bind_text (sqlite3_stmt *stmt,
                    int           index,
                    const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

/* Steps a statement that returns no rows. */
gboolean
ob_store_step_done (ObSandboxStore *store,
                    sqlite3_stmt   *stmt,
                    GError        **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return ob_store_set_error (store, rc, error);
  return TRUE;
}

/* Runs a no-row statement whose only parameter is an id. */
gboolean
ob_store_exec_with_id (ObSandboxStore *store,
                       const char     *sql,
                       const char     *id,
                       GError        **error)
{
  sqlite3_stmt *stmt = ob_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  ob_store_bind_text (stmt, 1, id);
  return ob_store_step_done (store, stmt, error);
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
      ob_store_set_error (store, rc, error);
      return -1;
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    ob_store_set_error (store, rc, error);
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

gboolean
ob_sandbox_store_is_flag_era (ObSandboxStore *store)
{
  return store->flag_era;
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
  if (current > target)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("The sandbox database has schema version %u, newer than the %u asked "
                     "for; databases are never downgraded"), current, target);
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

/* A damaged file is refused at start rather than served: lists would
 * fail while writes still succeed. */
static gboolean
check_integrity (ObSandboxStore  *store,
                 const char      *path,
                 GError         **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *problem = NULL;
  int rc = sqlite3_prepare_v2 (store->db, "PRAGMA quick_check (1);", -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
        problem = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    problem = g_strdup (sqlite3_errmsg (store->db));
  sqlite3_finalize (stmt);
  if (problem == NULL)
    return TRUE;
  g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
               _("The sandbox database “%s” is damaged: %s"), path, problem);
  return FALSE;
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
        /* A file that is not a database (or a damaged one) is a bad
         * input file. */
        int rc_db = sqlite3_errcode (store->db) & 0xff;
        int code = rc_db == SQLITE_NOTADB || rc_db == SQLITE_CORRUPT ? OB_ERROR_BAD_INPUT : OB_ERROR_IO;

        g_set_error (error, OB_ERROR, code, _("Cannot open the sandbox database “%s”: %s"),
                     path ? path : ":memory:", local_error->message);
        return NULL;
      }
  }

  if (path != NULL && !check_integrity (store, path, error))
    return NULL;
  if (!migrate (store, target_version, error))
    return NULL;
  store->flag_era = read_user_version (store) >= OB_SANDBOX_STORE_FLAG_ERA_VERSION;

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
  sqlite3_stmt *stmt = ob_store_prepare (store, "SELECT count(*) FROM vm_static", NULL);
  gint64 count = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return count;
}

const char *
ob_store_column_text (sqlite3_stmt *stmt,
                      int           col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}
