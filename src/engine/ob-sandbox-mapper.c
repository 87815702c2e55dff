/* ob-sandbox-mapper.c: the engine's wire format of a VM, a cluster and a
 * template, in XML and JSON, written in one place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ob-sandbox-mapper.h"
#include "ob-sandbox-request.h"

/* Sub-collections a VM, cluster or template links to. The sandbox serves
 * them as empty collections, so a client following a link never gets a
 * dead end. */
const char *const ob_mapper_vm_links[] = {
  "diskattachments", "nics", "permissions", "snapshots", "statistics", "tags", "watchdogs", NULL
};
const char *const ob_mapper_vm_actions[] = { "reboot", "shutdown", "start", "stop", NULL };
const char *const ob_mapper_cluster_links[] = {
  "affinitygroups", "cpuprofiles", "networkfilters", "networks", "permissions", NULL
};
const char *const ob_mapper_template_links[] = {
  "cdroms", "diskattachments", "graphicsconsoles", "nics", "permissions", "tags",
  "watchdogs", NULL
};

static void
write_links (ObReprWriter       *w,
             GString            *href,
             gsize               base,
             const char *const  *rels)
{
  ob_repr_begin_list (w, "link");
  for (guint i = 0; rels[i] != NULL; i++)
    {
      g_string_truncate (href, base);
      g_string_append_c (href, '/');
      g_string_append (href, rels[i]);
      ob_repr_link (w, href->str, rels[i]);
    }
  ob_repr_end_list (w);
  g_string_truncate (href, base);
}

static void
write_actions (ObReprWriter       *w,
               GString            *href,
               gsize               base,
               const char *const  *rels)
{
  ob_repr_begin (w, "actions", NULL, NULL);
  write_links (w, href, base, rels);
  ob_repr_end (w);
}

static void
write_version (ObReprWriter          *w,
               const char            *name,
               const ObCompatVersion *v)
{
  ob_repr_begin (w, name, NULL, NULL);
  ob_repr_int (w, "major", v->major);
  ob_repr_int (w, "minor", v->minor);
  ob_repr_end (w);
}

/* Applies a cluster or template search (name=..., max) to one entity. */
static gboolean
write_ctx_selects (ObMapperCtx *c,
                   const char  *name)
{
  if (c->name_pattern != NULL)
    {
      g_autofree char *lower = g_utf8_strdown (name, -1);

      if (!g_pattern_spec_match_string (c->name_pattern, lower))
        return FALSE;
    }
  if (c->remaining == 0)
    return FALSE;
  if (c->remaining > 0)
    c->remaining--;
  return TRUE;
}

static void
write_ref (ObMapperCtx *c,
           const char  *name,
           const char  *collection,
           const char  *id)
{
  if (id == NULL)
    return;
  g_string_assign (c->ref, OB_SANDBOX_API_PREFIX "/");
  g_string_append (c->ref, collection);
  g_string_append_c (c->ref, '/');
  g_string_append (c->ref, id);
  ob_repr_ref (c->w, name, c->ref->str, id);
}

static void
write_vm_identity (ObMapperCtx          *c,
                   gsize                 base,
                   const ObSandboxVmRow *vm,
                   const char           *name,
                   const char           *description)
{
  write_actions (c->w, c->href, base, ob_mapper_vm_actions);
  ob_repr_string (c->w, "name", name);
  ob_repr_string (c->w, "description", description);
  ob_repr_string (c->w, "comment", "");
  ob_repr_identity (c->w, c->href->str, vm->id);
  write_links (c->w, c->href, base, ob_mapper_vm_links);
}

static void
write_vm_base (ObMapperCtx          *c,
               const ObSandboxVmRow *vm,
               gint64                mem_mb,
               gboolean              balloon)
{
  ObReprWriter *w = c->w;

  ob_repr_begin (w, "cpu", NULL, NULL);
  ob_repr_string (w, "architecture", vm->cpu_arch);
  ob_repr_begin (w, "topology", NULL, NULL);
  ob_repr_int (w, "cores", 1);
  ob_repr_int (w, "sockets", 1);
  ob_repr_int (w, "threads", 1);
  ob_repr_end (w);
  ob_repr_end (w);
  ob_repr_date (w, "creation_time", vm->creation_time);
  if (vm->has_custom_level)
    write_version (w, "custom_compatibility_version", &vm->custom_level);
  ob_repr_bool (w, "delete_protected", FALSE);
  ob_repr_int (w, "memory", mem_mb * OB_MIB);
  ob_repr_begin (w, "memory_policy", NULL, NULL);
  /* Era A engines list ballooning only for a single VM or All-Content. */
  if (c->full)
    ob_repr_bool (w, "ballooning", balloon);
  ob_repr_int (w, "guaranteed", mem_mb * OB_MIB);
  ob_repr_int (w, "max", mem_mb * OB_MIB * 4);
  ob_repr_end (w);
  ob_repr_string (w, "origin", "ovirt");
  ob_repr_begin (w, "os", NULL, NULL);
  ob_repr_string (w, "type", vm->os_type);
  ob_repr_end (w);
  ob_repr_bool (w, "stateless", FALSE);
  ob_repr_string (w, "type", "server");
  write_ref (c, "cluster", "clusters", vm->cluster_id);
}

static void
write_vm_own (ObMapperCtx          *c,
              const ObSandboxVmRow *vm)
{
  ObReprWriter *w = c->w;

  ob_repr_bool (w, "next_run_configuration_exists", vm->next_run);
  ob_repr_bool (w, "run_once", vm->run_once);
  if (vm->start_time > 0)
    ob_repr_date (w, "start_time", vm->start_time);
  ob_repr_string (w, "status", vm->status);
  if (vm->stop_time > 0)
    ob_repr_date (w, "stop_time", vm->stop_time);
  write_ref (c, "original_template", "templates", vm->template_id);
  write_ref (c, "template", "templates", vm->template_id);
}

/* @next: when not NULL, show the next-run configuration (GET ?next_run=true). */
void
ob_mapper_write_vm (ObMapperCtx            *c,
                    const ObSandboxVmRow   *vm,
                    const ObSandboxNextRun *next)
{
  ObReprWriter *w = c->w;
  const char *name = next ? next->name : vm->name;
  const char *description = next ? next->description : vm->description;
  gint64 mem_mb = next ? next->mem_size_mb : vm->mem_size_mb;
  gboolean balloon = next ? next->balloon : vm->balloon;
  gsize base;

  g_string_assign (c->href, OB_SANDBOX_API_PREFIX "/vms/");
  g_string_append (c->href, vm->id);
  base = c->href->len;

  ob_repr_begin (w, "vm", c->href->str, vm->id);
  /* The engine's XML lists the identified part first, its JSON last. */
  if (ob_repr_writer_get_format (w) == OB_REPR_XML)
    {
      write_vm_identity (c, base, vm, name, description);
      write_vm_base (c, vm, mem_mb, balloon);
      write_vm_own (c, vm);
    }
  else
    {
      write_vm_own (c, vm);
      write_vm_base (c, vm, mem_mb, balloon);
      write_vm_identity (c, base, vm, name, description);
    }
  ob_repr_end (w);
}

void
ob_mapper_init (ObMapperCtx  *c,
                ObReprWriter *w,
                gboolean      full)
{
  c->w = w;
  c->href = g_string_sized_new (128);
  c->ref = g_string_sized_new (128);
  c->full = full;
  c->name_pattern = NULL;
  c->remaining = -1;
}

void
ob_mapper_clear (ObMapperCtx *c)
{
  g_string_free (c->href, TRUE);
  g_string_free (c->ref, TRUE);
  g_clear_pointer (&c->name_pattern, g_pattern_spec_free);
}

gboolean
ob_mapper_write_vm_cb (const ObSandboxVmRow *vm,
                       gpointer              user_data)
{
  ob_mapper_write_vm (user_data, vm, NULL);
  return TRUE;
}

gboolean
ob_mapper_write_cluster_cb (const ObSandboxClusterRow *cl,
                            gpointer                   user_data)
{
  ObMapperCtx *c = user_data;
  ObReprWriter *w = c->w;
  ObCompatVersion mom_min = OB_COMPAT_VERSION_INIT (3, 3);
  gboolean xml = ob_repr_writer_get_format (w) == OB_REPR_XML;
  gsize base;

  if (!write_ctx_selects (c, cl->name))
    return TRUE;
  g_string_assign (c->href, OB_SANDBOX_API_PREFIX "/clusters/");
  g_string_append (c->href, cl->id);
  base = c->href->len;

  ob_repr_begin (w, "cluster", c->href->str, cl->id);
  if (xml)
    {
      ob_repr_string (w, "name", cl->name);
      ob_repr_string (w, "description", cl->description);
      ob_repr_string (w, "comment", "");
      write_links (w, c->href, base, ob_mapper_cluster_links);
    }
  /* The cluster's MoM "memory balloon optimization", not the VM device;
   * MoM ballooning needs level 3.3. */
  ob_repr_bool (w, "ballooning_enabled", ob_compat_version_compare (&cl->level, &mom_min) >= 0);
  ob_repr_begin (w, "cpu", NULL, NULL);
  ob_repr_string (w, "architecture", cl->cpu_arch);
  ob_repr_string (w, "type", g_strcmp0 (cl->cpu_arch, "ppc64") == 0 ? "IBM POWER8"
                                                                     : "Intel Nehalem Family");
  ob_repr_end (w);
  ob_repr_begin (w, "memory_policy", NULL, NULL);
  ob_repr_begin (w, "over_commit", NULL, NULL);
  ob_repr_int (w, "percent", 100);
  ob_repr_end (w);
  ob_repr_end (w);
  write_version (w, "version", &cl->level);
  if (!xml)
    {
      ob_repr_string (w, "name", cl->name);
      ob_repr_string (w, "description", cl->description);
      ob_repr_string (w, "comment", "");
      ob_repr_identity (w, c->href->str, cl->id);
      write_links (w, c->href, base, ob_mapper_cluster_links);
    }
  ob_repr_end (w);
  return TRUE;
}

gboolean
ob_mapper_write_template_cb (const ObSandboxTemplateRow *t,
                             gpointer                    user_data)
{
  ObMapperCtx *c = user_data;
  ObReprWriter *w = c->w;
  gboolean xml = ob_repr_writer_get_format (w) == OB_REPR_XML;
  gsize base;

  if (!write_ctx_selects (c, t->name))
    return TRUE;
  g_string_assign (c->href, OB_SANDBOX_API_PREFIX "/templates/");
  g_string_append (c->href, t->id);
  base = c->href->len;

  ob_repr_begin (w, "template", c->href->str, t->id);
  if (xml)
    {
      ob_repr_string (w, "name", t->name);
      ob_repr_string (w, "description", t->description);
      ob_repr_string (w, "comment", "");
      write_links (w, c->href, base, ob_mapper_template_links);
    }
  ob_repr_date (w, "creation_time", t->creation_time);
  ob_repr_int (w, "memory", t->mem_size_mb * OB_MIB);
  /* Templates do not support the balloon (the design leaves template
   * resource allocation out), so no ballooning here. */
  ob_repr_begin (w, "memory_policy", NULL, NULL);
  ob_repr_int (w, "guaranteed", t->mem_size_mb * OB_MIB);
  ob_repr_int (w, "max", t->mem_size_mb * OB_MIB * 4);
  ob_repr_end (w);
  ob_repr_begin (w, "os", NULL, NULL);
  ob_repr_string (w, "type", t->os_type);
  ob_repr_end (w);
  ob_repr_string (w, "type", "server");
  write_ref (c, "cluster", "clusters", t->cluster_id);
  ob_repr_string (w, "status", "ok");
  ob_repr_begin (w, "version", NULL, NULL);
  ob_repr_string (w, "version_name", "base version");
  ob_repr_int (w, "version_number", 1);
  ob_repr_end (w);
  if (!xml)
    {
      ob_repr_string (w, "name", t->name);
      ob_repr_string (w, "description", t->description);
      ob_repr_string (w, "comment", "");
      ob_repr_identity (w, c->href->str, t->id);
      write_links (w, c->href, base, ob_mapper_template_links);
    }
  ob_repr_end (w);
  return TRUE;
}
