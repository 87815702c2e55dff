/* ob-sandbox-mapper.c: the engine's wire format of a VM, a cluster and a
 * template, in XML and JSON, written in one place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ob-error.h"
#include "ob-sandbox-graphics.h"
#include "ob-sandbox-mapper.h"
#include "ob-sandbox-request.h"
#include "ob-sandbox-seed.h"

/* Sub-collections a VM, cluster or template links to, as an engine 4.2
 * and later lists them. The sandbox serves them (graphicsconsoles with the
 * VM's console, the rest as empty collections), so a client following a
 * link never gets a dead end. */
const char *const ob_mapper_vm_links[] = {
  "affinitylabels", "applications", "cdroms", "diskattachments", "graphicsconsoles",
  "hostdevices", "katelloerrata", "nics", "numanodes", "permissions", "reporteddevices",
  "sessions", "snapshots", "statistics", "tags", "watchdogs", NULL
};
const char *const ob_mapper_vm_actions[] = { "reboot", "shutdown", "start", "stop", NULL };
const char *const ob_mapper_cluster_links[] = {
  "affinitygroups", "cpuprofiles", "enabledfeatures", "externalnetworkproviders",
  "glusterhooks", "glustervolumes", "networkfilters", "networks", "permissions", NULL
};
const char *const ob_mapper_template_links[] = {
  "cdroms", "diskattachments", "graphicsconsoles", "nics", "permissions", "tags",
  "watchdogs", NULL
};

/* Unset optional text is left out, as the engine's JAXB writer does. */
static void
write_text (ObReprWriter *w,
            const char   *name,
            const char   *value)
{
  if (value != NULL && *value != '\0')
    ob_repr_string (w, name, value);
}

/* A one-member element: <name><member>value</member></name>. */
static void
write_wrapped (ObReprWriter *w,
               const char   *name,
               const char   *member,
               const char   *value)
{
  ob_repr_begin (w, name, NULL, NULL);
  ob_repr_string (w, member, value);
  ob_repr_end (w);
}

static void
write_enabled (ObReprWriter *w,
               const char   *name,
               gboolean      enabled)
{
  ob_repr_begin (w, name, NULL, NULL);
  ob_repr_bool (w, "enabled", enabled);
  ob_repr_end (w);
}

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

/* What a VM and a template share (VmBase), and what differs in how it is
 * shown. */
typedef struct
{
  const char            *id;
  const char            *cpu_arch;
  const ObCompatVersion *level;        /* the effective level */
  const ObCompatVersion *custom_level; /* NULL = the cluster's */
  gint64                 creation_time;
  gint64                 mem_mb;
  gboolean               balloon;
  const char            *os_type;
  const char            *cluster_id;
  const char            *graphics;
  const char            *status;       /* VM only: console addresses while running */
  gboolean               is_template;
} VmBase;

static void
write_identity (ObMapperCtx       *c,
                gsize              base,
                const char        *id,
                const char        *name,
                const char        *description,
                const char *const *actions,
                const char *const *links)
{
  if (actions != NULL)
    write_actions (c->w, c->href, base, actions);
  ob_repr_string (c->w, "name", name);
  write_text (c->w, "description", description);
  ob_repr_identity (c->w, c->href->str, id);
  write_links (c->w, c->href, base, links);
}

/* Opens an entity's element; c->href holds its href, whose length (to
 * append link paths to) is returned. */
static gsize
begin_entity (ObMapperCtx *c,
              const char  *element,
              const char  *collection,
              const char  *id)
{
  gsize base;

  g_string_printf (c->href, "%s/%s/%s", OB_SANDBOX_API_PREFIX, collection, id);
  base = c->href->len;
  ob_repr_begin (c->w, element, c->href->str, id);
  return base;
}

/* A reference to an object the sandbox names but does not serve
 * separately (icons, CPU profiles, quotas): stable ids, as the seed's. */
static void
write_derived_ref (ObMapperCtx *c,
                   const char  *name,
                   const char  *collection,
                   const char  *kind,
                   const char  *key)
{
  g_autofree char *id = ob_sandbox_seed_make_id (kind, key);

  if (collection == NULL)
    ob_repr_ref (c->w, name, NULL, id);
  else
    write_ref (c, name, collection, id);
}

static void
write_vm_base (ObMapperCtx  *c,
               const VmBase *b)
{
  ObReprWriter *w = c->w;
  ObCompatVersion q35 = OB_COMPAT_VERSION_INIT (4, 4);
  gboolean x86 = g_strcmp0 (b->cpu_arch, "x86_64") == 0;
  g_autofree char *large_icon = g_strconcat (b->os_type, "/large", NULL);
  g_autofree char *small_icon = g_strconcat (b->os_type, "/small", NULL);

  /* Clusters from 4.4 on default to the Q35 chipset. */
  ob_repr_begin (w, "bios", NULL, NULL);
  write_enabled (w, "boot_menu", FALSE);
  if (x86)
    ob_repr_string (w, "type", b->level != NULL && ob_compat_version_compare (b->level, &q35) >= 0
                                 ? "q35_sea_bios" : "i440fx_sea_bios");
  ob_repr_end (w);
  ob_repr_begin (w, "cpu", NULL, NULL);
  ob_repr_string (w, "architecture", b->cpu_arch ? b->cpu_arch : "undefined");
  ob_repr_begin (w, "topology", NULL, NULL);
  ob_repr_int (w, "cores", 1);
  ob_repr_int (w, "sockets", 1);
  ob_repr_int (w, "threads", 1);
  ob_repr_end (w);
  ob_repr_end (w);
  ob_repr_int (w, "cpu_shares", 0);
  ob_repr_date (w, "creation_time", b->creation_time);
  if (b->custom_level != NULL)
    write_version (w, "custom_compatibility_version", b->custom_level);
  ob_repr_bool (w, "delete_protected", FALSE);
  ob_graphics_write_display (w, b->graphics, b->is_template ? NULL : b->id, b->status);
  ob_repr_begin (w, "high_availability", NULL, NULL);
  ob_repr_bool (w, "enabled", FALSE);
  ob_repr_int (w, "priority", 0);
  ob_repr_end (w);
  ob_repr_begin (w, "io", NULL, NULL);
  ob_repr_int (w, "threads", 1);
  ob_repr_end (w);
  write_derived_ref (c, "large_icon", "icons", "icon", large_icon);
  ob_repr_int (w, "memory", b->mem_mb * OB_MIB);
  ob_repr_begin (w, "memory_policy", NULL, NULL);
  /* Device era engines list ballooning only for a single entity or
   * All-Content; flag era engines always (c->full says which). */
  if (c->full)
    ob_repr_bool (w, "ballooning", b->balloon);
  ob_repr_int (w, "guaranteed", b->mem_mb * OB_MIB);
  ob_repr_int (w, "max", b->mem_mb * OB_MIB * 4);
  ob_repr_end (w);
  ob_repr_begin (w, "migration", NULL, NULL);
  ob_repr_string (w, "auto_converge", "inherit");
  ob_repr_string (w, "compressed", "inherit");
  ob_repr_end (w);
  ob_repr_int (w, "migration_downtime", -1);
  ob_repr_bool (w, "multi_queues_enabled", TRUE);
  ob_repr_string (w, "origin", "ovirt");
  ob_repr_begin (w, "os", NULL, NULL);
  ob_repr_begin (w, "boot", NULL, NULL);
  ob_repr_begin (w, "devices", NULL, NULL);
  ob_repr_begin_list (w, "device");
  ob_repr_string (w, "device", "hd");
  ob_repr_end_list (w);
  ob_repr_end (w);
  ob_repr_end (w);
  ob_repr_string (w, "type", b->os_type);
  ob_repr_end (w);
  if (b->is_template)
    write_wrapped (w, "placement_policy", "affinity", "migratable");
  write_derived_ref (c, "small_icon", "icons", "icon", small_icon);
  ob_repr_begin (w, "sso", NULL, NULL);
  ob_repr_begin (w, "methods", NULL, NULL);
  ob_repr_begin_list (w, "method");
  ob_repr_begin (w, "method", NULL, "guest_agent");
  ob_repr_identity (w, NULL, "guest_agent");
  ob_repr_end (w);
  ob_repr_end_list (w);
  ob_repr_end (w);
  ob_repr_end (w);
  ob_repr_bool (w, "start_paused", FALSE);
  ob_repr_bool (w, "stateless", FALSE);
  ob_repr_string (w, "storage_error_resume_behaviour", "auto_resume");
  write_wrapped (w, "time_zone", "name",
                 b->os_type != NULL && g_str_has_prefix (b->os_type, "windows") ? "GMT Standard Time"
                                                                                 : "Etc/GMT");
  ob_repr_string (w, "type", "server");
  write_enabled (w, "usb", FALSE);
  write_ref (c, "cluster", "clusters", b->cluster_id);
  if (b->cluster_id != NULL)
    write_derived_ref (c, "cpu_profile", "cpuprofiles", "cpu_profile", b->cluster_id);
  if (!b->is_template)
    write_derived_ref (c, "quota", NULL, "quota", "Default");
}

static void
write_vm_own (ObMapperCtx          *c,
              const ObSandboxVmRow *vm)
{
  ObReprWriter *w = c->w;

  ob_repr_bool (w, "next_run_configuration_exists", vm->next_run);
  ob_repr_string (w, "numa_tune_mode", "interleave");
  write_wrapped (w, "placement_policy", "affinity", "migratable");
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
  gboolean xml = ob_repr_writer_get_format (w) == OB_REPR_XML;
  VmBase b = {
    .id = vm->id,
    .cpu_arch = vm->cpu_arch,
    .level = vm->has_custom_level ? &vm->custom_level : &vm->cluster_level,
    .custom_level = vm->has_custom_level ? &vm->custom_level : NULL,
    .creation_time = vm->creation_time,
    .mem_mb = next ? next->mem_size_mb : vm->mem_size_mb,
    .balloon = next ? next->balloon : vm->balloon,
    .os_type = vm->os_type,
    .cluster_id = vm->cluster_id,
    .graphics = vm->graphics,
    .status = vm->status,
  };
  gsize base;

  base = begin_entity (c, "vm", "vms", vm->id);
  /* The engine's XML lists the identified part first, its JSON last. */
  if (xml)
    write_identity (c, base, vm->id, name, description, ob_mapper_vm_actions, ob_mapper_vm_links);
  else
    write_vm_own (c, vm);
  write_vm_base (c, &b);
  if (xml)
    write_vm_own (c, vm);
  else
    write_identity (c, base, vm->id, name, description, ob_mapper_vm_actions, ob_mapper_vm_links);
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

static void
write_name_value (ObReprWriter *w,
                  const char   *element,
                  const char   *name,
                  const char   *value)
{
  ob_repr_begin (w, element, NULL, NULL);
  ob_repr_string (w, "name", name);
  ob_repr_string (w, "value", value);
  ob_repr_end (w);
}

/* The cluster settings an engine reports for a cluster made with its
 * defaults (the recorded 4.2 engine's Default cluster). */
static void
write_cluster_policies (ObReprWriter *w)
{
  ob_repr_begin (w, "custom_scheduling_policy_properties", NULL, NULL);
  ob_repr_begin_list (w, "property");
  write_name_value (w, "property", "HighUtilization", "80");
  write_name_value (w, "property", "CpuOverCommitDurationMinutes", "2");
  ob_repr_end_list (w);
  ob_repr_end (w);
  write_wrapped (w, "error_handling", "on_error", "migrate");
  ob_repr_begin (w, "fencing_policy", NULL, NULL);
  ob_repr_bool (w, "enabled", TRUE);
  ob_repr_begin (w, "skip_if_connectivity_broken", NULL, NULL);
  ob_repr_bool (w, "enabled", FALSE);
  ob_repr_int (w, "threshold", 50);
  ob_repr_end (w);
  ob_repr_bool (w, "skip_if_gluster_bricks_up", FALSE);
  ob_repr_bool (w, "skip_if_gluster_quorum_not_met", FALSE);
  write_enabled (w, "skip_if_sd_active", FALSE);
  ob_repr_end (w);
  ob_repr_string (w, "firewall_type", "firewalld");
  ob_repr_bool (w, "gluster_service", FALSE);
  ob_repr_bool (w, "ha_reservation", FALSE);
  ob_repr_begin (w, "ksm", NULL, NULL);
  ob_repr_bool (w, "enabled", TRUE);
  ob_repr_bool (w, "merge_across_nodes", TRUE);
  ob_repr_end (w);
  ob_repr_bool (w, "maintenance_reason_required", FALSE);
  ob_repr_begin (w, "memory_policy", NULL, NULL);
  ob_repr_begin (w, "over_commit", NULL, NULL);
  ob_repr_int (w, "percent", 100);
  ob_repr_end (w);
  write_enabled (w, "transparent_hugepages", TRUE);
  ob_repr_end (w);
  ob_repr_begin (w, "migration", NULL, NULL);
  ob_repr_string (w, "auto_converge", "inherit");
  write_wrapped (w, "bandwidth", "assignment_method", "auto");
  ob_repr_string (w, "compressed", "inherit");
  ob_repr_end (w);
  ob_repr_bool (w, "optional_reason", FALSE);
  ob_repr_begin (w, "required_rng_sources", NULL, NULL);
  ob_repr_begin_list (w, "required_rng_source");
  ob_repr_string (w, "required_rng_source", "urandom");
  ob_repr_end_list (w);
  ob_repr_end (w);
  ob_repr_string (w, "switch_type", "legacy");
  ob_repr_bool (w, "threads_as_cores", FALSE);
  ob_repr_bool (w, "trusted_service", FALSE);
  ob_repr_bool (w, "tunnel_migration", FALSE);
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
  base = begin_entity (c, "cluster", "clusters", cl->id);
  if (xml)
    write_identity (c, base, cl->id, cl->name, cl->description, NULL, ob_mapper_cluster_links);
  /* The cluster's MoM "memory balloon optimization", not the VM device;
   * MoM ballooning needs level 3.3. */
  ob_repr_bool (w, "ballooning_enabled", ob_compat_version_compare (&cl->level, &mom_min) >= 0);
  ob_repr_begin (w, "cpu", NULL, NULL);
  ob_repr_string (w, "architecture", cl->cpu_arch);
  ob_repr_string (w, "type", g_strcmp0 (cl->cpu_arch, "ppc64") == 0 ? "IBM POWER8"
                                                                     : "Intel Nehalem Family");
  ob_repr_end (w);
  write_cluster_policies (w);
  write_version (w, "version", &cl->level);
  ob_repr_bool (w, "virt_service", TRUE);
  if (!xml)
    write_identity (c, base, cl->id, cl->name, cl->description, NULL, ob_mapper_cluster_links);
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
  VmBase b = {
    .id = t->id,
    .cpu_arch = t->cpu_arch,
    .level = t->cluster_id ? &t->cluster_level : NULL,
    .creation_time = t->creation_time,
    .mem_mb = t->mem_size_mb,
    .balloon = t->balloon,
    .os_type = t->os_type,
    .cluster_id = t->cluster_id,
    .graphics = t->graphics,
    .is_template = TRUE,
  };
  gsize base;

  if (!write_ctx_selects (c, t->name))
    return TRUE;
  base = begin_entity (c, "template", "templates", t->id);
  if (xml)
    write_identity (c, base, t->id, t->name, t->description, NULL, ob_mapper_template_links);
  write_vm_base (c, &b);
  ob_repr_string (w, "status", "ok");
  ob_repr_begin (w, "version", NULL, NULL);
  ob_repr_string (w, "version_name", "base version");
  ob_repr_int (w, "version_number", 1);
  write_ref (c, "base_template", "templates", t->id);
  ob_repr_end (w);
  if (!xml)
    write_identity (c, base, t->id, t->name, t->description, NULL, ob_mapper_template_links);
  ob_repr_end (w);
  return TRUE;
}

/* ---- reading ---- */

gboolean
ob_mapper_read_vm (JsonObject       *body,
                   ObMapperVmFields *f,
                   GError          **error)
{
  GError *local_error = NULL;

  memset (f, 0, sizeof *f);
  if (body == NULL)
    return TRUE;

  f->has_balloon = ob_repr_get_bool (body, "memory_policy/ballooning", &f->balloon, &local_error);
  if (local_error == NULL)
    f->has_memory = ob_repr_get_int (body, "memory", &f->memory, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  f->has_name = ob_repr_has_member (body, "name");
  f->name = ob_repr_get_string (body, "name");
  f->description = ob_repr_get_string (body, "description");
  f->os_type = ob_repr_get_string (body, "os/type");
  f->cluster_id = ob_repr_get_string (body, "cluster/id");
  f->cluster_name = ob_repr_get_string (body, "cluster/name");
  f->template_id = ob_repr_get_string (body, "template/id");
  f->template_name = ob_repr_get_string (body, "template/name");
  return TRUE;
}

gboolean
ob_mapper_read_custom_level (JsonObject      *body,
                             gboolean        *has,
                             ObCompatVersion *level,
                             GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 major = -1, minor = -1;

  *has = FALSE;
  if (!ob_repr_has_member (body, "custom_compatibility_version"))
    return TRUE;
  if (!ob_repr_get_int (body, "custom_compatibility_version/major", &major, &local_error) ||
      !ob_repr_get_int (body, "custom_compatibility_version/minor", &minor, &local_error) ||
      major < 0 || minor < 0 || major > G_MAXUINT16 || minor > G_MAXUINT16)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error_literal (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                             _("custom_compatibility_version needs major and minor."));
      return FALSE;
    }
  *has = TRUE;
  level->major = (guint) major;
  level->minor = (guint) minor;
  return TRUE;
}

gboolean
ob_mapper_read_template (JsonObject  *body,
                         gboolean    *has_name,
                         const char **name,
                         const char **description,
                         gboolean    *has_balloon,
                         gboolean    *balloon,
                         GError     **error)
{
  GError *local_error = NULL;

  *balloon = FALSE;
  ob_repr_get_bool (body, "memory_policy/ballooning", balloon, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  *has_balloon = ob_repr_has_member (body, "memory_policy/ballooning");
  *has_name = ob_repr_has_member (body, "name");
  *name = ob_repr_get_string (body, "name");
  *description = ob_repr_get_string (body, "description");
  return TRUE;
}

gboolean
ob_mapper_read_start (JsonObject *body,
                      gboolean   *run_once,
                      gboolean   *volatile_run,
                      gboolean   *pause,
                      gboolean   *has_override,
                      gboolean   *override,
                      GError    **error)
{
  GError *local_error = NULL;

  *run_once = *volatile_run = *pause = *has_override = *override = FALSE;
  if (body == NULL)
    return TRUE;
  ob_repr_get_bool (body, "volatile", volatile_run, &local_error);
  if (local_error == NULL)
    ob_repr_get_bool (body, "pause", pause, &local_error);
  if (local_error == NULL)
    *has_override = ob_repr_get_bool (body, "vm/memory_policy/ballooning", override, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  /* An action carrying a vm is Run Once. */
  *run_once = ob_repr_has_member (body, "vm");
  return TRUE;
}
