/* ob-sandbox-vm-edit.c: adding (POST /vms) and editing (PUT /vms/ID) a VM,
 * with the engine's next-run rules for a running one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ob-balloon-policy.h"
#include "ob-sandbox-mapper.h"
#include "ob-sandbox-resources.h"

static void
replace_str (char       **slot,
             const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*slot);
  *slot = copy;
}

/* Reads a VM body and checks its values. Returns FALSE after answering
 * 400. */
static gboolean
read_vm_fields (ObSandboxRequest *req,
                JsonObject       *body,
                const char       *action,
                ObMapperVmFields *f)
{
  g_autoptr(GError) error = NULL;

  if (!ob_mapper_read_vm (body, f, &error))
    {
      ob_request_fault (req, SOUP_STATUS_BAD_REQUEST, OB_REASON_INVALID, error->message);
      return FALSE;
    }
  if (f->has_name && (f->name == NULL || *f->name == '\0'))
    {
      ob_request_refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, action, "VM",
                         _("The VM name must not be empty."));
      return FALSE;
    }
  if (f->name != NULL && ob_vm_name_problem (f->name) != NULL)
    {
      ob_request_refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, action, "VM",
                         ob_vm_name_problem (f->name));
      return FALSE;
    }
  if (f->has_memory && f->memory < OB_MIB)
    {
      ob_request_refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, action, "VM",
                         _("Memory size must be at least 1 MiB."));
      return FALSE;
    }
  return TRUE;
}

void
ob_vm_put (ObSandboxRequest *req,
           const char       *id)
{
  g_auto(ObVmInfo) vm = { NULL, };
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  gboolean failed = FALSE;
  gboolean later;
  ObMapperVmFields f;

  body = ob_request_read_body (req, TRUE, "vm", &failed);
  if (failed)
    return;
  if (!read_vm_fields (req, body, "edit", &f))
    return;
  if (!ob_request_begin (req))
    return;
  if (!ob_vm_info_load (req, id, &vm))
    {
      ob_request_rollback (req);
      return;
    }
  if (ob_vm_refuse_if_locked (req, &vm, FALSE, "edit"))
    {
      ob_request_rollback (req);
      return;
    }

  if (f.has_balloon && f.balloon)
    {
      g_autofree char *refusal = ob_vm_balloon_refusal (ob_vm_info_effective_level (&vm), vm.cpu_arch, "edit", "VM");

      if (refusal != NULL)
        {
          ob_request_rollback (req);
          ob_request_fault (req, SOUP_STATUS_BAD_REQUEST, OB_REASON_FAILED, refusal);
          return;
        }
    }
  if (f.name != NULL && ob_sandbox_store_vm_name_taken (req->router->store, f.name, vm.id))
    {
      ob_request_rollback (req);
      ob_request_refuse (req, FALSE, SOUP_STATUS_CONFLICT, "edit", "VM",
                         _("The VM name is already in use, please choose a unique name and try again."));
      return;
    }

  /* A running VM keeps its configuration; the change waits in a next-run
   * configuration until it stops. Name and description apply at once
   * unless next_run is asked for, as the engine's hot-editable fields. */
  {
    gboolean cold_change = (f.has_memory && f.memory / OB_MIB != vm.mem_size_mb) ||
                           (f.has_balloon && f.balloon != vm.balloon);

    /* As the engine, no next run when nothing would change, but a
     * waiting one is updated (or dropped when it comes back to the
     * running configuration). */
    later = !ob_vm_info_is_down (&vm) &&
            (ob_request_query_flag (req, "next_run") || cold_change ||
             (vm.next_run && (f.has_memory || f.has_balloon)));
  }
  if (later)
    {
      ObSandboxNextRun next = { NULL, };
      gboolean all_later = ob_request_query_flag (req, "next_run");
      const char *now_name, *now_description;
      gboolean ok;

      if (!ob_sandbox_store_get_next_run (req->router->store, vm.id, &next, &error) && error == NULL)
        {
          next.name = g_strdup (vm.name);
          next.description = g_strdup (vm.description);
          next.mem_size_mb = vm.mem_size_mb;
          next.balloon = vm.balloon;
        }
      if (f.name != NULL)
        replace_str (&next.name, f.name);
      if (f.description != NULL)
        replace_str (&next.description, f.description);
      if (f.has_memory)
        next.mem_size_mb = f.memory / OB_MIB;
      if (f.has_balloon)
        next.balloon = f.balloon;

      /* What the VM is called once the hot fields are applied. */
      now_name = !all_later && f.name ? f.name : vm.name;
      now_description = !all_later && f.description ? f.description : vm.description;
      if (g_strcmp0 (next.name, now_name) == 0 && g_strcmp0 (next.description, now_description) == 0 &&
          next.mem_size_mb == vm.mem_size_mb && next.balloon == vm.balloon)
        ok = error == NULL && ob_sandbox_store_delete_next_run (req->router->store, vm.id, &error);
      else
        ok = error == NULL && ob_sandbox_store_put_next_run (req->router->store, vm.id, &next, &error);
      if (ok && !all_later && (f.name != NULL || f.description != NULL))
        ok = ob_sandbox_store_update_vm_static (req->router->store, vm.id,
                                                f.name ? f.name : vm.name,
                                                f.description ? f.description : vm.description,
                                                vm.mem_size_mb, &error);
      ob_sandbox_next_run_clear (&next);
      if (!ok)
        {
          ob_request_rollback (req);
          ob_request_internal_error (req, error);
          return;
        }
    }
  else
    {
      if (!ob_sandbox_store_update_vm_static (req->router->store, vm.id,
                                              f.name ? f.name : vm.name,
                                              f.description ? f.description : vm.description,
                                              f.has_memory ? f.memory / OB_MIB : vm.mem_size_mb,
                                              &error) ||
          (f.has_balloon && f.balloon != vm.balloon &&
           !ob_sandbox_store_set_balloon (req->router->store, vm.id, f.balloon, &error)))
        {
          ob_request_rollback (req);
          ob_request_internal_error (req, error);
          return;
        }

      /* A hot edit must not be undone by an older next-run configuration
       * when the VM stops. */
      if (vm.next_run && (f.name != NULL || f.description != NULL))
        {
          ObSandboxNextRun next = { NULL, };
          gboolean ok = TRUE;

          if (ob_sandbox_store_get_next_run (req->router->store, vm.id, &next, &error))
            {
              if (f.name != NULL)
                replace_str (&next.name, f.name);
              if (f.description != NULL)
                replace_str (&next.description, f.description);
              ok = ob_sandbox_store_put_next_run (req->router->store, vm.id, &next, &error);
            }
          ob_sandbox_next_run_clear (&next);
          if (!ok || error != NULL)
            {
              ob_request_rollback (req);
              ob_request_internal_error (req, error);
              return;
            }
        }
    }

  if (!ob_request_commit (req, FALSE))
    return;

  ob_vm_info_clear (&vm);
  if (ob_vm_info_load (req, id, &vm))
    /* With next_run the engine re-reads with GetVmNextRunConfiguration:
     * the answer is the configuration that waits. */
    ob_vm_respond (req, SOUP_STATUS_OK, &vm, ob_request_query_flag (req, "next_run"));
}

typedef struct
{
  gint64 mem_size_mb;
} TemplateMem;

static gboolean
template_mem_cb (const ObSandboxTemplateRow *t,
                 gpointer                    user_data)
{
  ((TemplateMem *) user_data)->mem_size_mb = t->mem_size_mb;
  return FALSE;
}

typedef struct
{
  ObCompatVersion level;
  char           *arch;
} ClusterLevel;

static gboolean
cluster_level_cb (const ObSandboxClusterRow *cl,
                  gpointer                   user_data)
{
  ClusterLevel *out = user_data;

  out->level = cl->level;
  out->arch = g_strdup (cl->cpu_arch);
  return FALSE;
}

void
ob_vm_post (ObSandboxRequest *req)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cluster_id = NULL;
  g_autofree char *template_id = NULL;
  g_autofree char *new_id = NULL;
  g_autofree char *location = NULL;
  g_auto(ObVmInfo) created = { NULL, };
  g_autoptr(GString) missing = g_string_new (NULL);
  ClusterLevel cluster = { { 0, 0 }, NULL };
  TemplateMem tmem = { 1024 };
  ObSandboxVmRow row = { NULL, };
  gboolean failed = FALSE;
  ObMapperVmFields f;

  body = ob_request_read_body (req, TRUE, "vm", &failed);
  if (failed)
    return;
  if (!read_vm_fields (req, body, "add", &f))
    return;

  if (f.cluster_id == NULL && f.cluster_name == NULL)
    g_string_append (missing, "cluster.id|name");
  if (f.name == NULL)
    g_string_append_printf (missing, "%sname", missing->len ? ", " : "");
  if (f.template_id == NULL && f.template_name == NULL)
    g_string_append_printf (missing, "%stemplate.id|name", missing->len ? ", " : "");
  if (missing->len > 0)
    {
      g_autofree char *detail = g_strdup_printf ("Vm [%s] required for add", missing->str);

      ob_request_fault (req, SOUP_STATUS_BAD_REQUEST, OB_REASON_INCOMPLETE, detail);
      return;
    }

  if (!ob_request_begin (req))
    return;

  cluster_id = ob_sandbox_store_find_cluster (req->router->store, f.cluster_id, f.cluster_name);
  template_id = ob_sandbox_store_find_template (req->router->store, f.template_id, f.template_name);
  if (cluster_id == NULL || template_id == NULL)
    {
      ob_request_rollback (req);
      ob_request_refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, "add", "VM",
                         cluster_id == NULL ? _("Cluster doesn't exist.")
                         : _("The relevant Template doesn't exist."));
      return;
    }
  ob_sandbox_store_foreach_cluster (req->router->store, cluster_id, cluster_level_cb, &cluster, NULL);
  ob_sandbox_store_foreach_template (req->router->store, template_id, template_mem_cb, &tmem, NULL);

  if (!ob_mapper_read_custom_level (body, &row.has_custom_level, &row.custom_level, &error))
    {
      ob_request_rollback (req);
      g_free (cluster.arch);
      ob_request_fault (req, SOUP_STATUS_BAD_REQUEST, OB_REASON_INVALID, error->message);
      return;
    }

  {
    ObLevel level =
      ob_balloon_policy_effective_level (ob_level_from_version (row.has_custom_level ? &row.custom_level : NULL),
                                         ob_level_from_version (&cluster.level));
    ObBalloonVerdict verdict = ob_balloon_policy_verdict (level, cluster.arch);

    if (f.has_balloon && f.balloon)
      {
        g_autofree char *refusal = ob_vm_balloon_refusal (level, cluster.arch, "add", "VM");

        if (refusal != NULL)
          {
            ob_request_rollback (req);
            g_free (cluster.arch);
            ob_request_fault (req, SOUP_STATUS_BAD_REQUEST, OB_REASON_FAILED, refusal);
            return;
          }
      }
    /* Omitted: on by default where the cluster allows it, silently off
     * where it does not, as the engine's osinfo default
     * (devices.balloon.enabled) did; an add is never refused for a
     * default. */
    row.balloon = f.has_balloon ? f.balloon
                                : ob_balloon_policy_allows (verdict);
  }
  g_free (cluster.arch);

  if (ob_sandbox_store_vm_name_taken (req->router->store, f.name, NULL))
    {
      ob_request_rollback (req);
      ob_request_refuse (req, FALSE, SOUP_STATUS_CONFLICT, "add", "VM",
                         _("The VM name is already in use, please choose a unique name and try again."));
      return;
    }

  new_id = g_uuid_string_random ();
  row.id = new_id;
  row.name = f.name;
  row.description = f.description ? f.description : "";
  row.cluster_id = cluster_id;
  row.template_id = template_id;
  row.os_type = f.os_type;
  row.status = "down";
  row.mem_size_mb = f.has_memory ? f.memory / OB_MIB : tmem.mem_size_mb;
  row.creation_time = g_get_real_time () / 1000;

  if (!ob_sandbox_store_insert_vm (req->router->store, &row, &error))
    {
      ob_request_rollback (req);
      ob_request_internal_error (req, error);
      return;
    }
  if (!ob_request_commit (req, FALSE))
    return;

  {
    GUri *uri = soup_server_message_get_uri (req->msg);
    g_autofree char *path = g_strdup_printf ("%s/vms/%s", OB_SANDBOX_API_PREFIX, new_id);

    location = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                           g_uri_get_port (uri), path, NULL, NULL);
  }
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Location", location);
  if (ob_vm_info_load (req, new_id, &created))
    ob_vm_respond (req, SOUP_STATUS_CREATED, &created, FALSE);
}
