/* ob-sandbox-store.h: the sandbox engine's SQLite database, modelled on the
 * engine's schema (cluster, vm_static, vm_dynamic, vm_device, vm_template).
 * Where the balloon is depends on the era the schema is at: in the device
 * era a VM or template has it enabled iff it has a managed device row type
 * 'balloon', device 'memballoon', spec_params {"model":"virtio"}; in the
 * flag era that row always exists and balloon_enabled says.
 *
 * Not thread-safe: one store belongs to one thread (the server's).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "ob-compat-version.h"

G_BEGIN_DECLS

/* Version 1: the schema before the balloon feature.
 * Version 2: the balloon feature (one balloon per VM, next-run
 * configurations, run-once state, host payload records). Upgrading from 1
 * adds no balloon device: VMs that existed before the feature stay
 * disabled, as the design says.
 * Version 3: graphics devices and template devices; the last version of
 * the device era (engines up to 4.4.5).
 * Version 4: the flag era (4.4.6 on): vm_static and vm_template carry
 * balloon_enabled, and every VM and template has the memballoon device.
 * Upgrading from 3 is the engine's 04_04_1100_add_balloon_to_vm_static.sql.
 * No version goes back: engines are never downgraded. */
#define OB_SANDBOX_STORE_DEVICE_ERA_VERSION 3
#define OB_SANDBOX_STORE_FLAG_ERA_VERSION   4
#define OB_SANDBOX_STORE_SCHEMA_VERSION     OB_SANDBOX_STORE_FLAG_ERA_VERSION

typedef struct _ObSandboxStore ObSandboxStore;

typedef struct
{
  const char     *id;
  const char     *name;
  const char     *description;
  const char     *cluster_id;
  const char     *template_id;
  const char     *os_type;
  const char     *status;         /* REST status: "down", "up", ... */
  gint64          mem_size_mb;
  gint64          creation_time;  /* epoch ms */
  gint64          start_time;     /* epoch ms, 0 = never */
  gint64          stop_time;      /* epoch ms, 0 = never */
  gboolean        has_custom_level;
  ObCompatVersion custom_level;
  gboolean        balloon;        /* the balloon is enabled (device row or flag) */
  gboolean        next_run;       /* a next-run configuration is waiting */
  gboolean        run_once;
  gboolean        volatile_run;
  int             run_once_balloon; /* -1 = no override, else 0/1 */
  /* The cluster, joined in for listing without N+1 queries. */
  const char     *cpu_arch;
  ObCompatVersion cluster_level;
  const char     *graphics;       /* "spice", "vnc", NULL = headless */
} ObSandboxVmRow;

typedef struct
{
  const char     *id;
  const char     *name;
  const char     *description;
  ObCompatVersion level;
  const char     *cpu_arch;
} ObSandboxClusterRow;

typedef struct
{
  const char     *id;
  const char     *name;
  const char     *description;
  const char     *cluster_id;   /* NULL for Blank */
  const char     *os_type;
  gint64          mem_size_mb;
  gint64          creation_time;
  gboolean        balloon;
  const char     *graphics;     /* "spice", "vnc", NULL = headless */
  /* The cluster, joined in; NULL and 0.0 for Blank. */
  const char     *cpu_arch;
  ObCompatVersion cluster_level;
} ObSandboxTemplateRow;

/* The configuration stored for the next run of a running VM. */
typedef struct
{
  char    *name;
  char    *description;
  gint64   mem_size_mb;
  gboolean balloon;
} ObSandboxNextRun;

typedef struct
{
  gint64   recorded_at;       /* epoch ms */
  gboolean run_once;
  gboolean volatile_run;
  gboolean balloon;           /* what the host received */
  gboolean stored_balloon;    /* what the VM's stored configuration said */
  char    *vdsm_devices;      /* JSON array of VDSM device dict strings */
  char    *libvirt_memballoon;
  /* Flag era: the domain metadata that tells VDSM whether to balloon
   * (<ovirt-vm:ballooningEnabled>); NULL in the device era. */
  char    *libvirt_metadata;
} ObSandboxHostPayload;

typedef gboolean (*ObSandboxVmFunc)      (const ObSandboxVmRow      *vm,
                                          gpointer                   user_data);
typedef gboolean (*ObSandboxClusterFunc) (const ObSandboxClusterRow *cluster,
                                          gpointer                   user_data);
typedef gboolean (*ObSandboxTemplateFunc) (const ObSandboxTemplateRow *tmpl,
                                           gpointer                    user_data);

/* @path: NULL for an in-memory database. @target_version: the schema
 * version to migrate to, 0 = the latest (tests pass 1 to build an old
 * database). A database already past @target_version is refused
 * (OB_ERROR_BAD_INPUT). */
ObSandboxStore *ob_sandbox_store_open           (const char      *path,
                                                 guint            target_version,
                                                 GError         **error);
void            ob_sandbox_store_free           (ObSandboxStore  *store);
guint           ob_sandbox_store_get_schema_version (ObSandboxStore *store);
/* TRUE when the balloon is the balloon_enabled flag (schema 4). */
gboolean        ob_sandbox_store_is_flag_era    (ObSandboxStore  *store);

/* Runs plain SQL (several statements); for tests and seeding. */
gboolean        ob_sandbox_store_exec           (ObSandboxStore  *store,
                                                 const char      *sql,
                                                 GError         **error);

/* The first column of the first row of @sql as an integer (-1 when there
 * is no row); for tests and diagnostics. */
gint64          ob_sandbox_store_query_int      (ObSandboxStore  *store,
                                                 const char      *sql,
                                                 GError         **error);

/* One transaction per request: a failed request changes nothing. */
gboolean        ob_sandbox_store_begin          (ObSandboxStore  *store,
                                                 GError         **error);
gboolean        ob_sandbox_store_commit         (ObSandboxStore  *store,
                                                 GError         **error);
void            ob_sandbox_store_rollback       (ObSandboxStore  *store);

/* Fault injection: the next commit fails (as a full disk would). */
void            ob_sandbox_store_fail_next_commit (ObSandboxStore *store);

gint64          ob_sandbox_store_count_vms      (ObSandboxStore  *store);

/* What a VM search selects. Patterns are SQL LIKE patterns (escape
 * character '\\'), matched case-insensitively; NULL means any. */
typedef struct
{
  const char *name_like;
  const char *status;
  const char *cluster_like;
  gboolean    descending;    /* by name */
} ObSandboxVmFilter;

/* Lists VMs ordered by name. @filter may be NULL; @limit < 0 = no limit.
 * The row's strings are valid only during the callback; return FALSE to
 * stop. */
gboolean        ob_sandbox_store_foreach_vm     (ObSandboxStore          *store,
                                                 const ObSandboxVmFilter *filter,
                                                 gint64                   offset,
                                                 gint64                   limit,
                                                 ObSandboxVmFunc          func,
                                                 gpointer                 user_data,
                                                 GError                 **error);
/* Returns FALSE without error when there is no such VM. */
gboolean        ob_sandbox_store_with_vm        (ObSandboxStore  *store,
                                                 const char      *id,
                                                 ObSandboxVmFunc  func,
                                                 gpointer         user_data,
                                                 GError         **error);
gboolean        ob_sandbox_store_vm_name_taken  (ObSandboxStore  *store,
                                                 const char      *name,
                                                 const char      *except_id);

gboolean        ob_sandbox_store_foreach_cluster (ObSandboxStore      *store,
                                                  const char          *id,
                                                  ObSandboxClusterFunc func,
                                                  gpointer             user_data,
                                                  GError             **error);
/* Finds a cluster by id or, when @id is NULL, by name; returns a newly
 * allocated id or NULL. */
char           *ob_sandbox_store_find_cluster   (ObSandboxStore  *store,
                                                 const char      *id,
                                                 const char      *name);

gboolean        ob_sandbox_store_foreach_template (ObSandboxStore       *store,
                                                   const char           *id,
                                                   ObSandboxTemplateFunc func,
                                                   gpointer              user_data,
                                                   GError              **error);
char           *ob_sandbox_store_find_template  (ObSandboxStore  *store,
                                                 const char      *id,
                                                 const char      *name);

/* Each operating system a VM or template has, once. */
typedef gboolean (*ObSandboxOsFunc) (const char *os_type,
                                     gpointer    user_data);
gboolean        ob_sandbox_store_foreach_os_type (ObSandboxStore  *store,
                                                  ObSandboxOsFunc  func,
                                                  gpointer         user_data,
                                                  GError         **error);

gboolean        ob_sandbox_store_insert_cluster (ObSandboxStore            *store,
                                                 const ObSandboxClusterRow *cluster,
                                                 GError                   **error);
gboolean        ob_sandbox_store_insert_template (ObSandboxStore             *store,
                                                  const ObSandboxTemplateRow *tmpl,
                                                  GError                    **error);
gboolean        ob_sandbox_store_update_template (ObSandboxStore  *store,
                                                  const char      *id,
                                                  const char      *name,
                                                  const char      *description,
                                                  GError         **error);
/* Where the era keeps it: the template's device row or its flag. */
gboolean        ob_sandbox_store_set_template_balloon (ObSandboxStore *store,
                                                       const char     *id,
                                                       gboolean        enabled,
                                                       GError        **error);

/* Inserts vm_static and vm_dynamic rows, the balloon where the era keeps
 * it and the graphics device. Next-run and run-once fields are ignored. */
gboolean        ob_sandbox_store_insert_vm      (ObSandboxStore        *store,
                                                 const ObSandboxVmRow  *vm,
                                                 GError               **error);
gboolean        ob_sandbox_store_update_vm_static (ObSandboxStore *store,
                                                   const char     *id,
                                                   const char     *name,
                                                   const char     *description,
                                                   gint64          mem_size_mb,
                                                   GError        **error);
/* Device era: adds or removes the managed balloon device row; flag era:
 * sets balloon_enabled. */
gboolean        ob_sandbox_store_set_balloon    (ObSandboxStore  *store,
                                                 const char      *vm_id,
                                                 gboolean         enabled,
                                                 GError         **error);
/* The managed balloon device's id, or NULL when the VM has none. */
char           *ob_sandbox_store_get_balloon_device_id (ObSandboxStore *store,
                                                        const char     *vm_id);
/* @run_once_balloon: -1 = none. */
gboolean        ob_sandbox_store_set_dynamic    (ObSandboxStore  *store,
                                                 const char      *vm_id,
                                                 const char      *status,
                                                 gboolean         run_once,
                                                 gboolean         volatile_run,
                                                 int              run_once_balloon,
                                                 gint64           start_time,
                                                 gint64           stop_time,
                                                 GError         **error);
gboolean        ob_sandbox_store_delete_vm      (ObSandboxStore  *store,
                                                 const char      *vm_id,
                                                 GError         **error);

/* Returns FALSE without error when there is none. */
gboolean        ob_sandbox_store_get_next_run   (ObSandboxStore    *store,
                                                 const char        *vm_id,
                                                 ObSandboxNextRun  *out,
                                                 GError           **error);
gboolean        ob_sandbox_store_put_next_run   (ObSandboxStore          *store,
                                                 const char              *vm_id,
                                                 const ObSandboxNextRun  *next_run,
                                                 GError                 **error);
gboolean        ob_sandbox_store_delete_next_run (ObSandboxStore *store,
                                                  const char     *vm_id,
                                                  GError        **error);
void            ob_sandbox_next_run_clear       (ObSandboxNextRun *next_run);

gboolean        ob_sandbox_store_record_host_payload (ObSandboxStore             *store,
                                                      const char                 *vm_id,
                                                      const ObSandboxHostPayload *payload,
                                                      GError                    **error);
/* Returns FALSE without error when the VM was never started. */
gboolean        ob_sandbox_store_get_host_payload (ObSandboxStore       *store,
                                                   const char           *vm_id,
                                                   ObSandboxHostPayload *out,
                                                   GError              **error);
void            ob_sandbox_host_payload_clear   (ObSandboxHostPayload *payload);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObSandboxStore, ob_sandbox_store_free)

G_END_DECLS
