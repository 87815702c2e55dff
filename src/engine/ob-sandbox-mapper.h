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

/* Reading: what a request body says about a VM, a template or a start.
 * Strings are owned by the body. Each returns FALSE with OB_ERROR_BAD_INPUT
 * (the engine's wording) when a present value has the wrong type. */
typedef struct
{
  gboolean    has_name;       /* present, even if empty or not a string */
  const char *name;
  const char *description;
  const char *os_type;
  gboolean    has_memory;
  gint64      memory;         /* bytes */
  gboolean    has_balloon;
  gboolean    balloon;
  const char *cluster_id;
  const char *cluster_name;
  const char *template_id;
  const char *template_name;
} ObMapperVmFields;

gboolean ob_mapper_read_vm           (JsonObject                 *body,
                                      ObMapperVmFields           *f,
                                      GError                    **error);
/* custom_compatibility_version; *@has FALSE when absent. */
gboolean ob_mapper_read_custom_level (JsonObject                 *body,
                                      gboolean                   *has,
                                      ObCompatVersion            *level,
                                      GError                    **error);
/* A template edit: @has_balloon tells that memory_policy/ballooning is
 * there, @balloon its value (the flag era stores it, the device era
 * refuses it). */
gboolean ob_mapper_read_template     (JsonObject                 *body,
                                      gboolean                   *has_name,
                                      const char                **name,
                                      const char                **description,
                                      gboolean                   *has_balloon,
                                      gboolean                   *balloon,
                                      GError                    **error);
/* A start action: volatile, pause, and the Run Once balloon override
 * (vm/memory_policy/ballooning). *@run_once: the action carries a vm. */
gboolean ob_mapper_read_start        (JsonObject                 *body,
                                      gboolean                   *run_once,
                                      gboolean                   *volatile_run,
                                      gboolean                   *pause,
                                      gboolean                   *has_override,
                                      gboolean                   *override,
                                      GError                    **error);

G_END_DECLS
