/* ob-bulk-plan.h: what a bulk balloon change will do to each VM, worked
 * out from the list as loaded, before any request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ob-client.h"

G_BEGIN_DECLS

typedef enum
{
  OB_BULK_NOW,          /* down: in effect at once */
  OB_BULK_NEXT_RUN,     /* running: stored for its next run */
  OB_BULK_PENDING,      /* running with the value and a waiting next-run change */
  OB_BULK_UNSUPPORTED,  /* the level forbids it: not sent */
  OB_BULK_ALREADY,      /* it has the value and nothing waits: not sent */
  OB_BULK_N_KINDS,
} ObBulkKind;

typedef struct
{
  gboolean   enable;
  GPtrArray *vms;                     /* ObVm, in the caller's order */
  GArray    *kinds;                   /* ObBulkKind per VM */
  guint      counts[OB_BULK_N_KINDS];
} ObBulkPlan;

ObBulkPlan *ob_bulk_plan_new          (GPtrArray  *vms,
                                       gboolean    enable);
void        ob_bulk_plan_free         (ObBulkPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObBulkPlan, ob_bulk_plan_free)

/* The VMs that get requests (new array of new references). */
GPtrArray  *ob_bulk_plan_dup_to_send  (ObBulkPlan *plan);
guint       ob_bulk_plan_get_n_to_send (ObBulkPlan *plan);
/* "167 now, 166 at next run, 334 not supported, 333 already on": the
 * kinds that occur, translated. */
char       *ob_bulk_plan_describe     (ObBulkPlan *plan);
/* All the results in the order of the VMs: @sent (the client's results
 * for ob_bulk_plan_dup_to_send(), in its order) merged with the VMs
 * that were not sent, which are SKIPPED with the policy's reason or
 * UNCHANGED. */
GPtrArray  *ob_bulk_plan_merge        (ObBulkPlan *plan,
                                       GPtrArray  *sent);

G_END_DECLS
