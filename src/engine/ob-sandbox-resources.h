/* ob-sandbox-resources.h: the REST resources the router dispatches to
 * (VMs, clusters, templates) and the VM state their handlers share.
 * Internal to the engine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ob-compat-version.h"
#include "ob-sandbox-request.h"
#include "ob-sandbox-store.h"

G_BEGIN_DECLS

/* A VM as loaded for a handler: an owning copy of its store row. */
typedef struct
{
  char           *id;
  char           *name;
  char           *description;
  char           *cluster_id;
  char           *template_id;
  char           *os_type;
  char           *status;
  char           *cpu_arch;
  gint64          mem_size_mb;
  gint64          creation_time;
  gint64          start_time;
  gint64          stop_time;
  gboolean        has_custom_level;
  ObCompatVersion custom_level;
  ObCompatVersion cluster_level;
  gboolean        balloon;
  gboolean        next_run;
  gboolean        run_once;
  gboolean        volatile_run;
  int             run_once_balloon;
  char           *graphics;
} ObVmInfo;

void     ob_vm_info_clear           (ObVmInfo               *vm);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ObVmInfo, ob_vm_info_clear)

/* Returns FALSE (and answers 404 or 500) when the VM is not there. */
gboolean ob_vm_info_load            (ObSandboxRequest       *req,
                                     const char             *id,
                                     ObVmInfo               *vm);
void     ob_vm_info_to_row          (const ObVmInfo         *vm,
                                     ObSandboxVmRow         *row);
ObLevel  ob_vm_info_effective_level (const ObVmInfo *vm);
gboolean ob_vm_info_is_down         (const ObVmInfo         *vm);
/* TRUE (after answering 409) when the VM's images are locked. */
gboolean ob_vm_refuse_if_locked     (ObSandboxRequest       *req,
                                     const ObVmInfo         *vm,
                                     gboolean                is_action,
                                     const char             *action);
/* The balloon rule in the engine's words; NULL when allowed. */
char    *ob_vm_balloon_refusal      (ObLevel                 level,
                                     const char             *cpu_arch,
                                     const char             *action,
                                     const char             *type);
/* The engine's rule for VM and template names (letters of any script,
 * digits, '.', '_', '-', at most 255 characters). Returns NULL when
 * @name follows it, else why not, in the engine's words. */
const char *ob_vm_name_problem      (const char             *name);
void     ob_vm_respond              (ObSandboxRequest       *req,
                                     guint                   status,
                                     const ObVmInfo         *vm,
                                     gboolean                show_next_run);
gboolean ob_vm_record_host_payload  (ObSandboxRequest       *req,
                                     const ObVmInfo         *vm,
                                     gboolean                balloon,
                                     gboolean                run_once,
                                     gboolean                volatile_run,
                                     GError                **error);

/* /vms and below: @seg are the path segments, seg[0] == "vms". */
void     ob_vms_route               (ObSandboxRequest       *req,
                                     char                  **seg,
                                     guint                   n);
void     ob_vm_put                  (ObSandboxRequest       *req,
                                     const char             *id);
void     ob_vm_post                 (ObSandboxRequest       *req);
void     ob_vm_action               (ObSandboxRequest       *req,
                                     const char             *id,
                                     const char             *action);

/* Clusters and templates share list, get and sub-collections. */
typedef gboolean (*ObForeachFunc) (ObSandboxStore *store,
                                   const char     *id,
                                   gpointer        func,
                                   gpointer        user_data,
                                   GError        **error);

typedef struct
{
  const char        *plural;
  const char        *singular;
  const char        *type;     /* in messages: "Cluster" */
  ObForeachFunc      foreach;
  gpointer           write_cb;
  const char *const *links;
  char            *(*find) (ObSandboxStore *store,
                            const char     *id,
                            const char     *name);
  void             (*put)  (ObSandboxRequest *req,
                            const char       *id);   /* NULL: read-only */
} ObEntityKind;

extern const ObEntityKind ob_clusters_kind;
extern const ObEntityKind ob_templates_kind;

/* GET /cpuprofiles[/{id}] (@cluster_id NULL) or a cluster's cpuprofiles
 * link; @profile_id: one profile, not a collection. */
void     ob_cpu_profiles_respond    (ObSandboxRequest       *req,
                                     const char             *cluster_id,
                                     const char             *profile_id);

/* GET /icons/{id}: an icon a VM or template references. */
void     ob_icons_respond           (ObSandboxRequest       *req,
                                     const char             *id);

void     ob_request_get_entities    (ObSandboxRequest       *req,
                                     const ObEntityKind     *kind,
                                     const char             *id);

G_END_DECLS
