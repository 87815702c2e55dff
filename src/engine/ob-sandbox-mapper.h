/* ob-sandbox-mapper.h: the engine's wire format of VMs, clusters and
 * templates (XML and JSON, through ObReprWriter). Internal to the engine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ob-sandbox-repr.h"
#include "ob-sandbox-store.h"

G_BEGIN_DECLS

/* Sub-collections a VM, cluster or template links to (served empty) and
 * the VM's actions. */
extern const char *const ob_mapper_vm_links[];
extern const char *const ob_mapper_vm_actions[];
extern const char *const ob_mapper_cluster_links[];
extern const char *const ob_mapper_template_links[];

typedef struct
{
  ObReprWriter *w;
  GString      *href;     /* scratch buffer for hrefs */
  GString      *ref;      /* scratch buffer for references */
  gboolean      full;     /* single GET or All-Content: include ballooning */
  GPatternSpec *name_pattern; /* lower-case name=... of a cluster or template search */
  gint64        remaining;    /* max=..., -1 = all */
} ObMapperCtx;

void     ob_mapper_init             (ObMapperCtx                *c,
                                     ObReprWriter               *w,
                                     gboolean                    full);
void     ob_mapper_clear            (ObMapperCtx                *c);
/* @next: when not NULL, the next-run configuration is shown. */
void     ob_mapper_write_vm         (ObMapperCtx                *c,
                                     const ObSandboxVmRow       *vm,
                                     const ObSandboxNextRun     *next);
/* Store callbacks; @user_data is the ObMapperCtx. */
gboolean ob_mapper_write_vm_cb      (const ObSandboxVmRow       *vm,
                                     gpointer                    user_data);
gboolean ob_mapper_write_cluster_cb (const ObSandboxClusterRow  *cl,
                                     gpointer                    user_data);
gboolean ob_mapper_write_template_cb (const ObSandboxTemplateRow *t,
                                     gpointer                    user_data);

G_END_DECLS
