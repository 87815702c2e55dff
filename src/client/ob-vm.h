/* ob-vm.h: a virtual machine as the REST API shows it, with its balloon
 * state and the policy verdict for its effective compatibility level
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "ob-balloon-policy.h"
#include "ob-base-enums.h"     /* OB_TYPE_BALLOON_VERDICT */
#include "ob-client-enums.h"   /* OB_TYPE_BALLOON_STATE */
#include "ob-cluster.h"
#include "ob-compat-version.h"

G_BEGIN_DECLS

/* memory_policy.ballooning: list responses of real engines may omit it,
 * which means UNKNOWN, never OFF. */
typedef enum
{
  OB_BALLOON_STATE_UNKNOWN,
  OB_BALLOON_STATE_ON,
  OB_BALLOON_STATE_OFF,
} ObBalloonState;

/* "on", "off", "unknown" (untranslated, for JSON/scripts). */
const char *ob_balloon_state_to_string (ObBalloonState state);

#define OB_TYPE_VM (ob_vm_get_type ())
G_DECLARE_FINAL_TYPE (ObVm, ob_vm, OB, VM, GObject)

/* Read-only properties, for GtkExpression/property lookups; each notifies
 * when ob_vm_update_from() or a setter changes it:
 *   "id", "name", "description", "status" (oVirt's text: "up", "down"...),
 *   "cluster-id", "cluster-name", "cluster-version" (the cluster's level
 *   text), "cpu-arch" (the cluster's), "memory" (guint64, bytes),
 *   "ballooning" (ObBalloonState), "next-run-configuration-exists",
 *   "next-run-ballooning" (ObBalloonState: the balloon its waiting
 *   next-run configuration holds, UNKNOWN until set or when none waits),
 *   "run-once" (the engine's run_once: running from a Run Once),
 *   "run-ballooning" (ObBalloonState: the balloon this Run Once run got,
 *   UNKNOWN when not known, not run once, or down),
 *   "custom-compatibility-version" (text or NULL),
 *   "effective-level" (text: custom level, else cluster level, or NULL),
 *   "balloon-verdict" (ObBalloonVerdict), "balloon-allowed" (boolean),
 *   "balloon-reason" (translated refusal text or NULL). */

ObVm          *ob_vm_new                                  (const char *id,
                                                           const char *name);

const char    *ob_vm_get_id                               (ObVm       *self);
const char    *ob_vm_get_name                             (ObVm       *self);
const char    *ob_vm_get_description                      (ObVm       *self);
const char    *ob_vm_get_status                           (ObVm       *self);
const char    *ob_vm_get_cluster_id                       (ObVm       *self);
const char    *ob_vm_get_cluster_name                     (ObVm       *self);
const char    *ob_vm_get_cluster_version                  (ObVm       *self);
const char    *ob_vm_get_cpu_arch                         (ObVm       *self);
guint64        ob_vm_get_memory                           (ObVm       *self);
ObBalloonState ob_vm_get_ballooning                       (ObVm       *self);
gboolean       ob_vm_get_next_run_configuration_exists    (ObVm       *self);
/* UNKNOWN unless a next-run configuration exists and its value was set
 * (lists do not carry it: ob_client_get_vm_next_run_async()). */
ObBalloonState ob_vm_get_next_run_ballooning              (ObVm       *self);
/* TRUE while the VM runs from a Run Once start (the REST run_once). */
gboolean       ob_vm_get_run_once                         (ObVm       *self);
/* The balloon the current Run Once run got when it is known (the override
 * this client sent, or what the engine reports); UNKNOWN when not known,
 * when the VM does not run from a Run Once, and once it is down. Neither
 * a real engine's list nor its VM says it: see ob_client_needs_run_ballooning(). */
ObBalloonState ob_vm_get_run_ballooning                   (ObVm       *self);
const char    *ob_vm_get_custom_compatibility_version     (ObVm       *self);
/* TRUE for status "down": a balloon change applies now; otherwise it is
 * stored as the next-run configuration. */
gboolean       ob_vm_is_down                              (ObVm       *self);

/* Custom level when set (and valid), else the cluster's; unknown when
 * neither is known. The one place that decides a VM's level. */
ObLevel        ob_vm_get_effective_level                  (ObVm       *self);
ObBalloonVerdict ob_vm_get_balloon_verdict                (ObVm       *self);
/* FALSE only when the policy refuses; an unknown level counts as allowed. */
gboolean       ob_vm_get_balloon_allowed                  (ObVm       *self);
/* Translated reason, or NULL when allowed. Free with g_free(). */
char          *ob_vm_dup_balloon_reason                   (ObVm       *self);

/* Setters for the parser, the client and tests. */
void           ob_vm_set_name                             (ObVm       *self,
                                                           const char *name);
void           ob_vm_set_description                      (ObVm       *self,
                                                           const char *description);
void           ob_vm_set_status                           (ObVm       *self,
                                                           const char *status);
void           ob_vm_set_cluster_id                       (ObVm       *self,
                                                           const char *cluster_id);
void           ob_vm_set_memory                           (ObVm       *self,
                                                           guint64     memory);
void           ob_vm_set_ballooning                       (ObVm       *self,
                                                           ObBalloonState state);
void           ob_vm_set_next_run_configuration_exists    (ObVm       *self,
                                                           gboolean    exists);
void           ob_vm_set_next_run_ballooning              (ObVm       *self,
                                                           ObBalloonState state);
/* FALSE forgets the run's balloon, as does the status "down". */
void           ob_vm_set_run_once                         (ObVm       *self,
                                                           gboolean    run_once);
void           ob_vm_set_run_ballooning                   (ObVm       *self,
                                                           ObBalloonState state);
void           ob_vm_set_custom_compatibility_version     (ObVm       *self,
                                                           const char *version);
/* Copies the cluster's name, level and CPU architecture into the VM (the
 * REST VM only carries the cluster id). Also sets cluster-id. */
void           ob_vm_set_cluster                          (ObVm       *self,
                                                           ObCluster  *cluster);

/* Refresh @self from a newer copy of the same VM so a list row updates in
 * place: every changed property notifies. Unknown ballooning in @newer does
 * not erase a known value (list responses omit it); cluster details absent
 * from @newer are kept when the cluster id is the same. */
void           ob_vm_update_from                          (ObVm       *self,
                                                           ObVm       *newer);

G_END_DECLS
