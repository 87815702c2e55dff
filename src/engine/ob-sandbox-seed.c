/* ob-sandbox-seed.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ob-balloon-policy.h"
#include "ob-error.h"
#include "ob-sandbox.h"
#include "ob-sandbox-seed.h"

typedef struct
{
  const char *name;
  guint       major;
  guint       minor;
  const char *arch;
  const char *description;
} SeedCluster;

static const SeedCluster seed_clusters[] = {
  { OB_SANDBOX_SEED_CLUSTER_3_0, 3, 0, "x86_64", "Level 3.0: the balloon cannot be enabled" },
  { OB_SANDBOX_SEED_CLUSTER_3_1, 3, 1, "x86_64", "Level 3.1: the first level with the balloon" },
  { OB_SANDBOX_SEED_CLUSTER_3_6, 3, 6, "x86_64", "Level 3.6" },
  { OB_SANDBOX_SEED_CLUSTER_4_2, 4, 2, "x86_64", "Level 4.2" },
  { OB_SANDBOX_SEED_CLUSTER_4_7, 4, 7, "x86_64", "The default cluster, level 4.7" },
  { OB_SANDBOX_SEED_CLUSTER_PPC64, 3, 4, "ppc64", "ppc64 at 3.4: no balloon below 3.5" },
};

typedef struct
{
  const char *name;
  const char *cluster;
  const char *status;
  gboolean    balloon;
  const char *custom_level;  /* NULL = the cluster's */
  gint64      mem_mb;
  const char *os;
  const char *description;
  gboolean    next_run_disables_balloon;
  const char *graphics;      /* "spice", "vnc", NULL = headless */
} SeedVm;

/* Every state, both balloon states, never a balloon where the rule
 * forbids it; SPICE, VNC (ppc64 has no SPICE) and headless consoles. */
static const SeedVm seed_vms[] = {
  { "legacy-db", OB_SANDBOX_SEED_CLUSTER_3_0, "down", FALSE, NULL, 2048, "rhel_6x64", "Old database server", FALSE, "spice" },
  { "legacy-web", OB_SANDBOX_SEED_CLUSTER_3_0, "up", FALSE, NULL, 1024, "rhel_6x64", "", FALSE, "vnc" },
  { "legacy-mail", OB_SANDBOX_SEED_CLUSTER_3_0, "suspended", FALSE, NULL, 1024, "other_linux", "", FALSE, "vnc" },
  { "app-31-a", OB_SANDBOX_SEED_CLUSTER_3_1, "down", TRUE, NULL, 1024, "rhel_6x64", "", FALSE, "spice" },
  { "app-31-b", OB_SANDBOX_SEED_CLUSTER_3_1, "up", TRUE, NULL, 2048, "rhel_6x64", "", FALSE, "spice" },
  { "app-31-c", OB_SANDBOX_SEED_CLUSTER_3_1, "paused", FALSE, NULL, 1024, "rhel_6x64", "", FALSE, "spice" },
  { "erp-01", OB_SANDBOX_SEED_CLUSTER_3_6, "up", TRUE, NULL, 8192, "rhel_7x64", "ERP application server", FALSE, "spice" },
  { "erp-02", OB_SANDBOX_SEED_CLUSTER_3_6, "up", FALSE, NULL, 8192, "rhel_7x64", "", FALSE, "spice" },
  { "erp-03", OB_SANDBOX_SEED_CLUSTER_3_6, "down", TRUE, NULL, 4096, "rhel_7x64", "", FALSE, "spice" },
  { "erp-04", OB_SANDBOX_SEED_CLUSTER_3_6, "migrating", TRUE, NULL, 4096, "rhel_7x64", "", FALSE, "spice" },
  { "erp-05", OB_SANDBOX_SEED_CLUSTER_3_6, "saving_state", FALSE, NULL, 4096, "rhel_7x64", "", FALSE, "vnc" },
  { "erp-06", OB_SANDBOX_SEED_CLUSTER_3_6, "restoring_state", TRUE, NULL, 4096, "rhel_7x64", "", FALSE, "spice" },
  { "web-01", OB_SANDBOX_SEED_CLUSTER_4_2, "up", TRUE, NULL, 2048, "rhel_8x64", "Front end", FALSE, "spice" },
  { "web-02", OB_SANDBOX_SEED_CLUSTER_4_2, "up", TRUE, NULL, 2048, "rhel_8x64", "Front end", FALSE, "spice" },
  { "web-03", OB_SANDBOX_SEED_CLUSTER_4_2, "up", TRUE, NULL, 2048, "rhel_8x64", "Balloon off at next run", TRUE, "spice" },
  { "web-04", OB_SANDBOX_SEED_CLUSTER_4_2, "down", FALSE, "3.0", 1024, "rhel_6x64", "Imported, custom level 3.0", FALSE, "spice" },
  { "web-05", OB_SANDBOX_SEED_CLUSTER_4_2, "powering_up", TRUE, NULL, 2048, "rhel_8x64", "", FALSE, "spice" },
  { "web-06", OB_SANDBOX_SEED_CLUSTER_4_2, "powering_down", FALSE, NULL, 2048, "rhel_8x64", "", FALSE, "spice" },
  { "web-07", OB_SANDBOX_SEED_CLUSTER_4_2, "reboot_in_progress", TRUE, NULL, 2048, "rhel_8x64", "", FALSE, "spice" },
  { "ci-runner-01", OB_SANDBOX_SEED_CLUSTER_4_7, "down", TRUE, NULL, 4096, "rhel_9x64", "", FALSE, "spice" },
  { "ci-runner-02", OB_SANDBOX_SEED_CLUSTER_4_7, "down", FALSE, NULL, 4096, "rhel_9x64", "", FALSE, "spice" },
  { "k8s-node-1", OB_SANDBOX_SEED_CLUSTER_4_7, "up", TRUE, NULL, 16384, "rhel_9x64", "", FALSE, "spice" },
  { "k8s-node-2", OB_SANDBOX_SEED_CLUSTER_4_7, "up", TRUE, NULL, 16384, "rhel_9x64", "", FALSE, NULL },
  { "k8s-node-3", OB_SANDBOX_SEED_CLUSTER_4_7, "not_responding", TRUE, NULL, 16384, "rhel_9x64", "", FALSE, NULL },
  { "win-desktop", OB_SANDBOX_SEED_CLUSTER_4_7, "wait_for_launch", FALSE, "3.6", 4096, "windows_10x64", "Custom level 3.6", FALSE, "spice" },
  { "image-builder", OB_SANDBOX_SEED_CLUSTER_4_7, "image_locked", TRUE, NULL, 2048, "rhel_9x64", "", FALSE, NULL },
  { "spare", OB_SANDBOX_SEED_CLUSTER_4_7, "unknown", FALSE, NULL, 1024, "other", "", FALSE, NULL },
  { "ppc-db", OB_SANDBOX_SEED_CLUSTER_PPC64, "down", FALSE, NULL, 8192, "rhel_7ppc64", "", FALSE, "vnc" },
  { "ppc-app", OB_SANDBOX_SEED_CLUSTER_PPC64, "up", FALSE, NULL, 4096, "rhel_7ppc64", "", FALSE, "vnc" },
  { "ppc-batch", OB_SANDBOX_SEED_CLUSTER_PPC64, "paused", FALSE, NULL, 4096, "rhel_7ppc64", "", FALSE, "vnc" },
};

typedef struct
{
  const char *name;
  const char *cluster;
  gint64      mem_mb;
  const char *os;
  const char *description;
  gboolean    balloon;
} SeedTemplate;

/* A template with the balloon and one without, in either era. */
static const SeedTemplate seed_templates[] = {
  { "rhel8-base", OB_SANDBOX_SEED_CLUSTER_4_7, 2048, "rhel_8x64", "RHEL 8 base image", TRUE },
  { "win2019-base", OB_SANDBOX_SEED_CLUSTER_4_2, 4096, "windows_2019x64", "Windows Server 2019 base image", FALSE },
};

/* A fixed point in time, so seeded data does not change between runs. */
#define SEED_EPOCH_MS G_GINT64_CONSTANT (1767225600000) /* 2026-01-01T00:00:00Z */

char *
ob_sandbox_seed_make_id (const char *kind,
                         const char *name)
{
  g_autofree char *key = g_strconcat ("ovirt-balloon-sandbox/", kind, "/", name, NULL);
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA1, key, -1);

  /* Shaped as a version 5 UUID. */
  return g_strdup_printf ("%.8s-%.4s-5%.3s-a%.3s-%.12s", sha, sha + 8, sha + 13, sha + 17, sha + 20);
}

gboolean
ob_sandbox_seed_ensure_blank (ObSandboxStore *store,
                              GError        **error)
{
  g_autofree char *existing = ob_sandbox_store_find_template (store, OB_SANDBOX_BLANK_TEMPLATE_ID, NULL);
  ObSandboxTemplateRow blank = {
    .id = OB_SANDBOX_BLANK_TEMPLATE_ID,
    .name = "Blank",
    .description = "Blank template",
    .cluster_id = NULL,
    .os_type = "other",
    .mem_size_mb = 1024,
    .creation_time = 1199145600000, /* 2008-01-01, as in the engine's data */
    /* A memballoon device since 2015 (01200_insert_vm_device.sql). */
    .balloon = TRUE,
    .graphics = "spice",
  };

  if (existing != NULL)
    return TRUE;
  return ob_sandbox_store_insert_template (store, &blank, error);
}

static gboolean
insert_clusters_and_templates (ObSandboxStore *store,
                               GError        **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (seed_clusters); i++)
    {
      g_autofree char *id = ob_sandbox_seed_make_id ("cluster", seed_clusters[i].name);
      ObSandboxClusterRow row = {
        .id = id,
        .name = seed_clusters[i].name,
        .description = seed_clusters[i].description,
        .level = { seed_clusters[i].major, seed_clusters[i].minor },
        .cpu_arch = seed_clusters[i].arch,
      };

      if (!ob_sandbox_store_insert_cluster (store, &row, error))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (seed_templates); i++)
    {
      g_autofree char *id = ob_sandbox_seed_make_id ("template", seed_templates[i].name);
      g_autofree char *cluster_id = ob_sandbox_seed_make_id ("cluster", seed_templates[i].cluster);
      ObSandboxTemplateRow row = {
        .id = id,
        .name = seed_templates[i].name,
        .description = seed_templates[i].description,
        .cluster_id = cluster_id,
        .os_type = seed_templates[i].os,
        .mem_size_mb = seed_templates[i].mem_mb,
        .creation_time = SEED_EPOCH_MS,
        .balloon = seed_templates[i].balloon,
        .graphics = "spice",
      };

      if (!ob_sandbox_store_insert_template (store, &row, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
seed_demo (ObSandboxStore *store,
           GError        **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (seed_vms); i++)
    {
      const SeedVm *s = &seed_vms[i];
      g_autofree char *id = ob_sandbox_seed_make_id ("vm", s->name);
      g_autofree char *cluster_id = ob_sandbox_seed_make_id ("cluster", s->cluster);
      ObSandboxVmRow vm = {
        .id = id,
        .name = s->name,
        .description = s->description,
        .cluster_id = cluster_id,
        .template_id = OB_SANDBOX_BLANK_TEMPLATE_ID,
        .os_type = s->os,
        .status = s->status,
        .mem_size_mb = s->mem_mb,
        .creation_time = SEED_EPOCH_MS + (gint64) i * 3600000,
        .balloon = s->balloon,
        .graphics = s->graphics,
      };

      /* A running VM was stopped before, a minute ahead of its start; both
       * after the last demo VM was created. */
      vm.stop_time = SEED_EPOCH_MS + G_GINT64_CONSTANT (2) * 86400000;
      if (g_strcmp0 (s->status, "down") != 0)
        vm.start_time = vm.stop_time + 60000;
      if (s->custom_level != NULL)
        vm.has_custom_level = ob_compat_version_parse (s->custom_level, &vm.custom_level);

      if (!ob_sandbox_store_insert_vm (store, &vm, error))
        return FALSE;

      if (s->next_run_disables_balloon)
        {
          ObSandboxNextRun next = {
            .name = (char *) s->name,
            .description = (char *) s->description,
            .mem_size_mb = s->mem_mb,
            .balloon = FALSE,
          };

          if (!ob_sandbox_store_put_next_run (store, id, &next, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
seed_count (ObSandboxStore *store,
            guint64         count,
            GError        **error)
{
  char *cluster_ids[G_N_ELEMENTS (seed_clusters)] = { NULL, };
  gboolean ok = TRUE;
  gboolean allowed[G_N_ELEMENTS (seed_clusters)];
  int width = 1;
  char name[64];

  for (guint64 n = count; n >= 10; n /= 10)
    width++;
  width = MAX (width, 5);

  for (guint c = 0; c < G_N_ELEMENTS (seed_clusters); c++)
    {
      ObCompatVersion level = { seed_clusters[c].major, seed_clusters[c].minor };

      cluster_ids[c] = ob_sandbox_seed_make_id ("cluster", seed_clusters[c].name);
      allowed[c] = ob_balloon_policy_verdict (ob_level_from_version (&level), seed_clusters[c].arch) == OB_BALLOON_ALLOWED;
    }

  for (guint64 i = 1; i <= count; i++)
    {
      guint c = (guint) (i % G_N_ELEMENTS (seed_clusters));
      g_autofree char *id = NULL;
      ObSandboxVmRow vm = { NULL, };

      g_snprintf (name, sizeof name, "vm-%0*" G_GUINT64_FORMAT, width, i);
      id = ob_sandbox_seed_make_id ("vm", name);
      vm.id = id;
      vm.name = name;
      vm.description = "";
      vm.cluster_id = cluster_ids[c];
      vm.template_id = OB_SANDBOX_BLANK_TEMPLATE_ID;
      vm.os_type = "other_linux";
      vm.status = i % 3 == 0 ? "up" : "down";
      vm.mem_size_mb = 1024 << (i % 4);
      vm.creation_time = SEED_EPOCH_MS + (gint64) i * 1000;
      vm.balloon = allowed[c] && i % 2 == 0;
      vm.graphics = i % 5 == 0 ? NULL : (i % 5 == 1 ? "vnc" : "spice");
      if (i % 3 == 0)
        vm.start_time = SEED_EPOCH_MS + (gint64) i * 1000 + 60000;

      if (!ob_sandbox_store_insert_vm (store, &vm, error))
        {
          ok = FALSE;
          break;
        }
    }

  for (guint c = 0; c < G_N_ELEMENTS (seed_clusters); c++)
    g_free (cluster_ids[c]);
  return ok;
}

gboolean
ob_sandbox_seed_apply (ObSandboxStore *store,
                       const char     *seed,
                       GError        **error)
{
  guint64 count = 0;
  gboolean demo;
  gboolean ok;

  if (seed == NULL || *seed == '\0')
    return TRUE;

  demo = g_strcmp0 (seed, "demo") == 0;
  if (!demo && !g_ascii_string_to_unsigned (seed, 10, 0, 1000000, &count, NULL))
    {
      g_set_error (error, OB_ERROR, OB_ERROR_USAGE,
                   _("Unknown seed “%s”: use “demo” or a number of VMs (at most 1000000)"), seed);
      return FALSE;
    }

  /* Never seed twice into one database. */
  {
    g_autofree char *existing = ob_sandbox_store_find_cluster (store, NULL, OB_SANDBOX_SEED_CLUSTER_4_7);

    if (existing != NULL || ob_sandbox_store_count_vms (store) > 0)
      return TRUE;
  }

  if (!ob_sandbox_store_begin (store, error))
    return FALSE;

  ok = ob_sandbox_seed_ensure_blank (store, error) &&
       insert_clusters_and_templates (store, error) &&
       (demo ? seed_demo (store, error) : seed_count (store, count, error));
  if (!ok)
    {
      ob_sandbox_store_rollback (store);
      return FALSE;
    }
  return ob_sandbox_store_commit (store, error);
}
