/* ob-sandbox-store-vms.c: VMs, their balloon device, next-run configurations
 * and host payload records.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>
#include <string.h>

#include "ob-error.h"
#include "ob-sandbox-store-impl.h"

/* ---- VMs ---- */

static gboolean add_balloon_device (ObSandboxStore *store,
                                    const char     *vm_id,
                                    GError        **error);

/* @balloon: the era's balloon expression for vm_static s. */
#define VM_SELECT_WITH(balloon) \
  "SELECT s.vm_guid, s.vm_name, s.description, s.cluster_id, s.vmt_guid, s.os," \
  " d.status, s.mem_size_mb, s.creation_date, d.start_time, d.stop_time," \
  " s.custom_compatibility_version, " balloon "," \
  " EXISTS (SELECT 1 FROM vm_next_run n WHERE n.vm_guid = s.vm_guid)," \
  " d.run_once, d.volatile_run, d.run_once_balloon," \
  " c.architecture, c.compatibility_major, c.compatibility_minor, " \
  GRAPHICS_OF ("vm_device", "vm_id", "s.vm_guid") \
  " FROM vm_static s JOIN vm_dynamic d ON d.vm_guid = s.vm_guid" \
  " JOIN cluster c ON c.cluster_id = s.cluster_id"
#define VM_SELECT_DEVICE VM_SELECT_WITH (BALLOON_EXISTS ("s.vm_guid"))
#define VM_SELECT_FLAG   VM_SELECT_WITH ("s.balloon_enabled")

static void
read_vm_row (sqlite3_stmt   *stmt,
             ObSandboxVmRow *vm)
{
  const char *custom;

  memset (vm, 0, sizeof *vm);
  vm->id = ob_store_column_text (stmt, 0);
  vm->name = ob_store_column_text (stmt, 1);
  vm->description = ob_store_column_text (stmt, 2);
  vm->cluster_id = ob_store_column_text (stmt, 3);
  vm->template_id = ob_store_column_text (stmt, 4);
  vm->os_type = ob_store_column_text (stmt, 5);
  vm->status = ob_store_column_text (stmt, 6);
  vm->mem_size_mb = sqlite3_column_int64 (stmt, 7);
  vm->creation_time = sqlite3_column_int64 (stmt, 8);
  vm->start_time = sqlite3_column_int64 (stmt, 9);
  vm->stop_time = sqlite3_column_int64 (stmt, 10);
  custom = ob_store_column_text (stmt, 11);
  vm->has_custom_level = custom != NULL && ob_compat_version_parse (custom, &vm->custom_level);
  vm->balloon = sqlite3_column_int (stmt, 12) != 0;
  vm->next_run = sqlite3_column_int (stmt, 13) != 0;
  vm->run_once = sqlite3_column_int (stmt, 14) != 0;
  vm->volatile_run = sqlite3_column_int (stmt, 15) != 0;
  vm->run_once_balloon = sqlite3_column_type (stmt, 16) == SQLITE_NULL
                           ? -1 : sqlite3_column_int (stmt, 16) != 0;
  vm->cpu_arch = ob_store_column_text (stmt, 17);
  vm->cluster_level.major = (guint) sqlite3_column_int (stmt, 18);
  vm->cluster_level.minor = (guint) sqlite3_column_int (stmt, 19);
  vm->graphics = ob_store_column_text (stmt, 20);
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
    return ob_store_set_error (store, rc, error);
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
  /* ORDER BY cannot be a parameter: a statement per order and era. */
  if (store->flag_era)
    stmt = ob_store_prepare (store,
                             filter->descending
                             ? VM_SELECT_FLAG VM_WHERE " ORDER BY s.vm_name DESC LIMIT ?3 OFFSET ?4"
                             : VM_SELECT_FLAG VM_WHERE " ORDER BY s.vm_name LIMIT ?3 OFFSET ?4",
                             error);
  else
    stmt = ob_store_prepare (store,
                             filter->descending
                             ? VM_SELECT_DEVICE VM_WHERE " ORDER BY s.vm_name DESC LIMIT ?3 OFFSET ?4"
                             : VM_SELECT_DEVICE VM_WHERE " ORDER BY s.vm_name LIMIT ?3 OFFSET ?4",
                             error);
  if (stmt == NULL)
    return FALSE;
  ob_store_bind_text (stmt, 1, filter->name_like);
  ob_store_bind_text (stmt, 2, filter->status);
  sqlite3_bind_int64 (stmt, 3, limit < 0 ? -1 : limit);
  sqlite3_bind_int64 (stmt, 4, MAX (offset, 0));
  ob_store_bind_text (stmt, 5, filter->cluster_like);
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

  stmt = ob_store_prepare (store, store->flag_era ? VM_SELECT_FLAG " WHERE s.vm_guid = ?1"
                                                  : VM_SELECT_DEVICE " WHERE s.vm_guid = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  ob_store_bind_text (stmt, 1, id);
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

  stmt = ob_store_prepare (store, "SELECT 1 FROM vm_static WHERE vm_name = ?1"
                           " AND (?2 IS NULL OR vm_guid <> ?2)", NULL);
  if (stmt == NULL)
    return FALSE;
  ob_store_bind_text (stmt, 1, name);
  ob_store_bind_text (stmt, 2, except_id);
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

  stmt = ob_store_prepare (store,
                           "INSERT INTO vm_static (vm_guid, vm_name, description, cluster_id, vmt_guid,"
                           " os, mem_size_mb, custom_compatibility_version, creation_date)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
  if (stmt == NULL)
    return FALSE;
  if (vm->has_custom_level)
    custom = ob_compat_version_to_string (&vm->custom_level);
  ob_store_bind_text (stmt, 1, vm->id);
  ob_store_bind_text (stmt, 2, vm->name);
  ob_store_bind_text (stmt, 3, vm->description ? vm->description : "");
  ob_store_bind_text (stmt, 4, vm->cluster_id);
  ob_store_bind_text (stmt, 5, vm->template_id ? vm->template_id : "00000000-0000-0000-0000-000000000000");
  ob_store_bind_text (stmt, 6, vm->os_type ? vm->os_type : "other");
  sqlite3_bind_int64 (stmt, 7, vm->mem_size_mb);
  ob_store_bind_text (stmt, 8, custom);
  sqlite3_bind_int64 (stmt, 9, vm->creation_time);
  if (!ob_store_step_done (store, stmt, error))
    return FALSE;

  stmt = ob_store_prepare (store,
                           "INSERT INTO vm_dynamic (vm_guid, status, start_time, stop_time)"
                           " VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    return FALSE;
  ob_store_bind_text (stmt, 1, vm->id);
  ob_store_bind_text (stmt, 2, vm->status ? vm->status : "down");
  if (vm->start_time > 0)
    sqlite3_bind_int64 (stmt, 3, vm->start_time);
  if (vm->stop_time > 0)
    sqlite3_bind_int64 (stmt, 4, vm->stop_time);
  if (!ob_store_step_done (store, stmt, error))
    return FALSE;

  /* The flag era always has the device; the flag says. */
  if ((vm->balloon || store->flag_era) && !add_balloon_device (store, vm->id, error))
    return FALSE;
  if (store->flag_era && !ob_sandbox_store_set_balloon (store, vm->id, vm->balloon, error))
    return FALSE;
  if (vm->graphics != NULL)
    {
      stmt = ob_store_prepare (store,
                               "INSERT INTO vm_device (device_id, vm_id, type, device, is_managed)"
                               " VALUES (" NEW_UUID ", ?1, 'graphics', ?2, 1)", error);
      if (stmt == NULL)
        return FALSE;
      ob_store_bind_text (stmt, 1, vm->id);
      ob_store_bind_text (stmt, 2, vm->graphics);
      return ob_store_step_done (store, stmt, error);
    }
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

  stmt = ob_store_prepare (store,
                           "UPDATE vm_static SET vm_name = ?2, description = ?3, mem_size_mb = ?4"
                           " WHERE vm_guid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  ob_store_bind_text (stmt, 1, id);
  ob_store_bind_text (stmt, 2, name);
  ob_store_bind_text (stmt, 3, description);
  sqlite3_bind_int64 (stmt, 4, mem_size_mb);
  return ob_store_step_done (store, stmt, error);
}

/* As VmDeviceUtils.addMemoryBalloon creates it: managed, plugged,
 * read-only, model virtio. */
static gboolean
add_balloon_device (ObSandboxStore *store,
                    const char     *vm_id,
                    GError        **error)
{
  sqlite3_stmt *stmt;

  stmt = ob_store_prepare (store,
                           "INSERT INTO vm_device (device_id, vm_id, type, device, spec_params,"
                           " is_managed, is_plugged, is_readonly)"
                           " VALUES (" NEW_UUID ", ?1, 'balloon', 'memballoon', '{\"model\":\"virtio\"}', 1, 1, 1)",
                           error);
  if (stmt == NULL)
    return FALSE;
  ob_store_bind_text (stmt, 1, vm_id);
  return ob_store_step_done (store, stmt, error);
}

gboolean
ob_sandbox_store_set_balloon (ObSandboxStore *store,
                              const char     *vm_id,
                              gboolean        enabled,
                              GError        **error)
{
  sqlite3_stmt *stmt;

  if (store->flag_era)
    {
      stmt = ob_store_prepare (store, "UPDATE vm_static SET balloon_enabled = ?2 WHERE vm_guid = ?1",
                               error);
      if (stmt == NULL)
        return FALSE;
      ob_store_bind_text (stmt, 1, vm_id);
      sqlite3_bind_int (stmt, 2, enabled ? 1 : 0);
      return ob_store_step_done (store, stmt, error);
    }

  if (!ob_store_exec_with_id (store, "DELETE FROM vm_device WHERE vm_id = ?1 AND type = 'balloon'",
                              vm_id, error))
    return FALSE;
  return !enabled || add_balloon_device (store, vm_id, error);
}

char *
ob_sandbox_store_get_balloon_device_id (ObSandboxStore *store,
                                        const char     *vm_id)
{
  sqlite3_stmt *stmt = ob_store_prepare (store,
                                         "SELECT device_id FROM vm_device WHERE vm_id = ?1"
                                         " AND type = 'balloon' AND device = 'memballoon' AND is_managed = 1",
                                         NULL);
  char *id = NULL;

  if (stmt == NULL)
    return NULL;
  ob_store_bind_text (stmt, 1, vm_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup (ob_store_column_text (stmt, 0));
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

  stmt = ob_store_prepare (store,
                           "UPDATE vm_dynamic SET status = ?2, run_once = ?3, volatile_run = ?4,"
                           " run_once_balloon = ?5,"
                           " start_time = CASE WHEN ?6 > 0 THEN ?6 ELSE start_time END,"
                           " stop_time = CASE WHEN ?7 > 0 THEN ?7 ELSE stop_time END"
                           " WHERE vm_guid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  ob_store_bind_text (stmt, 1, vm_id);
  ob_store_bind_text (stmt, 2, status);
  sqlite3_bind_int (stmt, 3, run_once ? 1 : 0);
  sqlite3_bind_int (stmt, 4, volatile_run ? 1 : 0);
  if (run_once_balloon >= 0)
    sqlite3_bind_int (stmt, 5, run_once_balloon ? 1 : 0);
  sqlite3_bind_int64 (stmt, 6, start_time);
  sqlite3_bind_int64 (stmt, 7, stop_time);
  return ob_store_step_done (store, stmt, error);
}

gboolean
ob_sandbox_store_delete_vm (ObSandboxStore *store,
                            const char     *vm_id,
                            GError        **error)
{
  return ob_store_exec_with_id (store, "DELETE FROM vm_static WHERE vm_guid = ?1", vm_id, error);
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
  stmt = ob_store_prepare (store,
                           "SELECT vm_name, description, mem_size_mb, balloon_enabled"
                           " FROM vm_next_run WHERE vm_guid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  ob_store_bind_text (stmt, 1, vm_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out->name = g_strdup (ob_store_column_text (stmt, 0));
      out->description = g_strdup (ob_store_column_text (stmt, 1));
      out->mem_size_mb = sqlite3_column_int64 (stmt, 2);
      out->balloon = sqlite3_column_int (stmt, 3) != 0;
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return ob_store_set_error (store, rc, error);
  return FALSE;
}

gboolean
ob_sandbox_store_put_next_run (ObSandboxStore         *store,
                               const char             *vm_id,
                               const ObSandboxNextRun *next_run,
                               GError                **error)
{
  sqlite3_stmt *stmt;

  stmt = ob_store_prepare (store,
                           "INSERT OR REPLACE INTO vm_next_run (vm_guid, vm_name, description,"
                           " mem_size_mb, balloon_enabled) VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  ob_store_bind_text (stmt, 1, vm_id);
  ob_store_bind_text (stmt, 2, next_run->name);
  ob_store_bind_text (stmt, 3, next_run->description ? next_run->description : "");
  sqlite3_bind_int64 (stmt, 4, next_run->mem_size_mb);
  sqlite3_bind_int (stmt, 5, next_run->balloon ? 1 : 0);
  return ob_store_step_done (store, stmt, error);
}

gboolean
ob_sandbox_store_delete_next_run (ObSandboxStore *store,
                                  const char     *vm_id,
                                  GError        **error)
{
  return ob_store_exec_with_id (store, "DELETE FROM vm_next_run WHERE vm_guid = ?1", vm_id, error);
}

/* ---- host payload ---- */

void
ob_sandbox_host_payload_clear (ObSandboxHostPayload *payload)
{
  g_clear_pointer (&payload->vdsm_devices, g_free);
  g_clear_pointer (&payload->libvirt_memballoon, g_free);
  g_clear_pointer (&payload->libvirt_metadata, g_free);
}

gboolean
ob_sandbox_store_record_host_payload (ObSandboxStore             *store,
                                      const char                 *vm_id,
                                      const ObSandboxHostPayload *payload,
                                      GError                    **error)
{
  sqlite3_stmt *stmt;

  /* The metadata column exists from the flag era on. */
  stmt = ob_store_prepare (store,
                           store->flag_era
                           ? "INSERT OR REPLACE INTO vm_host_payload (vm_guid, recorded_at, run_once,"
                             " volatile_run, balloon_enabled, stored_balloon_enabled, vdsm_devices,"
                             " libvirt_memballoon, libvirt_metadata)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                           : "INSERT OR REPLACE INTO vm_host_payload (vm_guid, recorded_at, run_once,"
                             " volatile_run, balloon_enabled, stored_balloon_enabled, vdsm_devices,"
                             " libvirt_memballoon) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
  if (stmt == NULL)
    return FALSE;
  ob_store_bind_text (stmt, 1, vm_id);
  sqlite3_bind_int64 (stmt, 2, payload->recorded_at);
  sqlite3_bind_int (stmt, 3, payload->run_once ? 1 : 0);
  sqlite3_bind_int (stmt, 4, payload->volatile_run ? 1 : 0);
  sqlite3_bind_int (stmt, 5, payload->balloon ? 1 : 0);
  sqlite3_bind_int (stmt, 6, payload->stored_balloon ? 1 : 0);
  ob_store_bind_text (stmt, 7, payload->vdsm_devices);
  ob_store_bind_text (stmt, 8, payload->libvirt_memballoon);
  if (store->flag_era)
    ob_store_bind_text (stmt, 9, payload->libvirt_metadata);
  return ob_store_step_done (store, stmt, error);
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
  stmt = ob_store_prepare (store,
                           store->flag_era
                           ? "SELECT recorded_at, run_once, volatile_run, balloon_enabled,"
                             " stored_balloon_enabled, vdsm_devices, libvirt_memballoon, libvirt_metadata"
                             " FROM vm_host_payload WHERE vm_guid = ?1"
                           : "SELECT recorded_at, run_once, volatile_run, balloon_enabled,"
                             " stored_balloon_enabled, vdsm_devices, libvirt_memballoon, NULL"
                             " FROM vm_host_payload WHERE vm_guid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  ob_store_bind_text (stmt, 1, vm_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out->recorded_at = sqlite3_column_int64 (stmt, 0);
      out->run_once = sqlite3_column_int (stmt, 1) != 0;
      out->volatile_run = sqlite3_column_int (stmt, 2) != 0;
      out->balloon = sqlite3_column_int (stmt, 3) != 0;
      out->stored_balloon = sqlite3_column_int (stmt, 4) != 0;
      out->vdsm_devices = g_strdup (ob_store_column_text (stmt, 5));
      out->libvirt_memballoon = g_strdup (ob_store_column_text (stmt, 6));
      out->libvirt_metadata = g_strdup (ob_store_column_text (stmt, 7));
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return ob_store_set_error (store, rc, error);
  return FALSE;
}
