/* ob-fuzz-models.h: what the targets that read engine answers check on
 * every model parsed from one: an id, every getter safe to call, the
 * policy verdicts computable, the balloon state one of the three.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ob-cluster.h"
#include "ob-template.h"
#include "ob-vm.h"

static inline void
ob_fuzz_check_vm (ObVm *vm)
{
  g_autofree char *reason = NULL;

  g_assert (ob_vm_get_id (vm) != NULL);
  (void) ob_vm_get_name (vm);
  (void) ob_vm_get_status (vm);
  (void) ob_vm_get_memory (vm);
  (void) ob_vm_get_effective_level (vm);
  (void) ob_vm_get_balloon_allowed (vm);
  reason = ob_vm_dup_balloon_reason (vm);
  g_assert (ob_vm_get_ballooning (vm) <= OB_BALLOON_STATE_OFF);
}

static inline void
ob_fuzz_check_cluster (ObCluster *cluster)
{
  g_assert (ob_cluster_get_id (cluster) != NULL);
  (void) ob_cluster_get_name (cluster);
  (void) ob_cluster_get_version (cluster);
  (void) ob_cluster_get_cpu_arch (cluster);
  (void) ob_cluster_get_level (cluster);
  (void) ob_cluster_get_balloon_verdict (cluster);
  (void) ob_cluster_get_balloon_allowed (cluster);
}

static inline void
ob_fuzz_check_template (ObTemplate *template)
{
  g_assert (ob_template_get_id (template) != NULL);
  (void) ob_template_get_name (template);
  (void) ob_template_get_description (template);
  (void) ob_template_get_cluster_id (template);
  (void) ob_template_get_cluster_name (template);
  g_assert (ob_template_get_ballooning (template) <= OB_BALLOON_STATE_OFF);
}

/* Each element of an array of models, when there is one. */
#define ob_fuzz_check_each(array, check)                 \
  G_STMT_START {                                         \
    for (guint i_ = 0; (array) != NULL && i_ < (array)->len; i_++) \
      check ((array)->pdata[i_]);                        \
  } G_STMT_END
