/* ob-sandbox-store-entities.c: clusters and templates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>
#include <string.h>

#include "ob-error.h"
#include "ob-sandbox-store-impl.h"

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

  stmt = ob_store_prepare (store,
                           "SELECT cluster_id, name, description, compatibility_major,"
                           " compatibility_minor, architecture FROM cluster"
                           " WHERE ?1 IS NULL OR cluster_id = ?1 ORDER BY name", error);
  if (stmt == NULL)
    return FALSE;
  ob_store_bind_text (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ObSandboxClusterRow c;

      found = TRUE;
      c.id = ob_store_column_text (stmt, 0);
      c.name = ob_store_column_text (stmt, 1);
      c.description = ob_store_column_text (stmt, 2);
      c.level.major = (guint) sqlite3_column_int (stmt, 3);
      c.level.minor = (guint) sqlite3_column_int (stmt, 4);
      c.cpu_arch = ob_store_column_text (stmt, 5);
      if (!func (&c, user_data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return ob_store_set_error (store, rc, error);
  return id == NULL || found;
}

static char *
find_one (ObSandboxStore *store,
          const char     *sql,
          const char     *id,
          const char     *name)
{
  sqlite3_stmt *stmt = ob_store_prepare (store, sql, NULL);
  char *result = NULL;

  if (stmt == NULL)
    return NULL;
  ob_store_bind_text (stmt, 1, id);
  ob_store_bind_text (stmt, 2, name);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup (ob_store_column_text (stmt, 0));
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

#define TEMPLATE_SELECT_WITH(balloon) \
  "SELECT t.vmt_guid, t.name, t.description, t.cluster_id, t.os, t.mem_size_mb, t.creation_date, " \
  balloon ", " GRAPHICS_OF ("template_device", "vmt_guid", "t.vmt_guid") "," \
  " c.architecture, c.compatibility_major, c.compatibility_minor" \
  " FROM vm_template t LEFT JOIN cluster c ON c.cluster_id = t.cluster_id" \
  " WHERE ?1 IS NULL OR t.vmt_guid = ?1 ORDER BY t.name"

  stmt = ob_store_prepare (store,
                           store->flag_era
                           ? TEMPLATE_SELECT_WITH ("t.balloon_enabled")
                           : TEMPLATE_SELECT_WITH (BALLOON_DEVICE_EXISTS ("template_device", "vmt_guid",
                                                                          "t.vmt_guid")),
                           error);
  if (stmt == NULL)
    return FALSE;
  ob_store_bind_text (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ObSandboxTemplateRow t;

      found = TRUE;
      t.id = ob_store_column_text (stmt, 0);
      t.name = ob_store_column_text (stmt, 1);
      t.description = ob_store_column_text (stmt, 2);
      t.cluster_id = ob_store_column_text (stmt, 3);
      t.os_type = ob_store_column_text (stmt, 4);
      t.mem_size_mb = sqlite3_column_int64 (stmt, 5);
      t.creation_time = sqlite3_column_int64 (stmt, 6);
      t.balloon = sqlite3_column_int (stmt, 7) != 0;
      t.graphics = ob_store_column_text (stmt, 8);
      t.cpu_arch = ob_store_column_text (stmt, 9);
      t.cluster_level.major = (guint) sqlite3_column_int (stmt, 10);
      t.cluster_level.minor = (guint) sqlite3_column_int (stmt, 11);
      if (!func (&t, user_data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return ob_store_set_error (store, rc, error);
  return id == NULL || found;
}

gboolean
ob_sandbox_store_foreach_os_type (ObSandboxStore  *store,
                                  ObSandboxOsFunc  func,
                                  gpointer         user_data,
                                  GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = ob_store_prepare (store, "SELECT os FROM vm_static UNION SELECT os FROM vm_template", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!func (ob_store_column_text (stmt, 0), user_data))
      {
        rc = SQLITE_DONE;
        break;
      }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return ob_store_set_error (store, rc, error);
  return TRUE;
}

gboolean
ob_sandbox_store_insert_cluster (ObSandboxStore            *store,
                                 const ObSandboxClusterRow *cluster,
                                 GError                   **error)
{
  sqlite3_stmt *stmt;

  stmt = ob_store_prepare (store,
                           "INSERT INTO cluster (cluster_id, name, description, compatibility_major,"
                           " compatibility_minor, architecture) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return FALSE;
  ob_store_bind_text (stmt, 1, cluster->id);
  ob_store_bind_text (stmt, 2, cluster->name);
  ob_store_bind_text (stmt, 3, cluster->description ? cluster->description : "");
  sqlite3_bind_int (stmt, 4, (int) cluster->level.major);
  sqlite3_bind_int (stmt, 5, (int) cluster->level.minor);
  ob_store_bind_text (stmt, 6, cluster->cpu_arch ? cluster->cpu_arch : "x86_64");
  return ob_store_step_done (store, stmt, error);
}

static gboolean add_template_balloon_device (ObSandboxStore *store,
                                             const char     *id,
                                             GError        **error);

gboolean
ob_sandbox_store_insert_template (ObSandboxStore             *store,
                                  const ObSandboxTemplateRow *tmpl,
                                  GError                    **error)
{
  sqlite3_stmt *stmt;

  stmt = ob_store_prepare (store,
                           "INSERT INTO vm_template (vmt_guid, name, description, cluster_id, os,"
                           " mem_size_mb, creation_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    return FALSE;
  ob_store_bind_text (stmt, 1, tmpl->id);
  ob_store_bind_text (stmt, 2, tmpl->name);
  ob_store_bind_text (stmt, 3, tmpl->description ? tmpl->description : "");
  ob_store_bind_text (stmt, 4, tmpl->cluster_id);
  ob_store_bind_text (stmt, 5, tmpl->os_type ? tmpl->os_type : "other");
  sqlite3_bind_int64 (stmt, 6, tmpl->mem_size_mb);
  sqlite3_bind_int64 (stmt, 7, tmpl->creation_time);
  if (!ob_store_step_done (store, stmt, error))
    return FALSE;

  /* The flag era always has the device; the flag says. */
  if ((tmpl->balloon || store->flag_era) && !add_template_balloon_device (store, tmpl->id, error))
    return FALSE;
  if (store->flag_era && !ob_sandbox_store_set_template_balloon (store, tmpl->id, tmpl->balloon, error))
    return FALSE;
  if (tmpl->graphics == NULL)
    return TRUE;
  stmt = ob_store_prepare (store,
                           "INSERT INTO template_device (device_id, vmt_guid, type, device, is_managed)"
                           " VALUES (" NEW_UUID ", ?1, 'graphics', ?2, 1)", error);
  if (stmt == NULL)
    return FALSE;
  ob_store_bind_text (stmt, 1, tmpl->id);
  ob_store_bind_text (stmt, 2, tmpl->graphics);
  return ob_store_step_done (store, stmt, error);
}

static gboolean
add_template_balloon_device (ObSandboxStore *store,
                             const char     *id,
                             GError        **error)
{
  return ob_store_exec_with_id (store,
                                "INSERT INTO template_device (device_id, vmt_guid, type, device,"
                                " spec_params, is_managed, is_plugged, is_readonly)"
                                " VALUES (" NEW_UUID ", ?1, 'balloon', 'memballoon',"
                                " '{\"model\":\"virtio\"}', 1, 1, 1)", id, error);
}

gboolean
ob_sandbox_store_set_template_balloon (ObSandboxStore *store,
                                       const char     *id,
                                       gboolean        enabled,
                                       GError        **error)
{
  if (store->flag_era)
    return ob_store_exec_with_id (store,
                                  enabled ? "UPDATE vm_template SET balloon_enabled = 1 WHERE vmt_guid = ?1"
                                          : "UPDATE vm_template SET balloon_enabled = 0 WHERE vmt_guid = ?1",
                                  id, error);
  if (!ob_store_exec_with_id (store, "DELETE FROM template_device WHERE vmt_guid = ?1 AND type = 'balloon'",
                              id, error))
    return FALSE;
  return !enabled || add_template_balloon_device (store, id, error);
}

gboolean
ob_sandbox_store_update_template (ObSandboxStore *store,
                                  const char     *id,
                                  const char     *name,
                                  const char     *description,
                                  GError        **error)
{
  sqlite3_stmt *stmt;

  stmt = ob_store_prepare (store,
                           "UPDATE vm_template SET name = coalesce (?2, name),"
                           " description = coalesce (?3, description) WHERE vmt_guid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  ob_store_bind_text (stmt, 1, id);
  ob_store_bind_text (stmt, 2, name);
  ob_store_bind_text (stmt, 3, description);
  return ob_store_step_done (store, stmt, error);
}
