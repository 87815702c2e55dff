/* ob-sandbox-vm-actions.c: the VM actions start (and Run Once), stop,
 * shutdown and reboot.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ob-sandbox-mapper.h"
#include "ob-sandbox-resources.h"

static void
action_start (ObSandboxRequest *req,
              ObVmInfo         *vm)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  gboolean failed = FALSE;
  gboolean run_once, volatile_run = FALSE, pause = FALSE;
  gboolean has_override = FALSE, override = FALSE;
  gboolean balloon;

  body = ob_request_read_body (req, FALSE, "action", &failed);
  if (failed)
    return;

  if (body != NULL)
    {
      ob_repr_get_bool (body, "volatile", &volatile_run, &error);
      if (error == NULL)
        ob_repr_get_bool (body, "pause", &pause, &error);
      if (error == NULL)
        has_override = ob_repr_get_bool (body, "vm/memory_policy/ballooning", &override, &error);
      if (error != NULL)
        {
          ob_request_respond_action (req, SOUP_STATUS_BAD_REQUEST, OB_REASON_INVALID, error->message);
          return;
        }
    }
  /* An action carrying a vm is Run Once. */
  run_once = body != NULL && ob_repr_has_member (body, "vm");

  if (!ob_vm_info_is_down (vm) && g_strcmp0 (vm->status, "suspended") != 0 &&
      g_strcmp0 (vm->status, "paused") != 0)
    {
      ob_request_refuse (req, TRUE, SOUP_STATUS_CONFLICT, "run", "VM", _("VM is running."));
      return;
    }

  if (has_override && override)
    {
      g_autofree char *refusal = ob_vm_balloon_refusal (ob_vm_info_effective_level (vm), vm->cpu_arch, "run", "VM");

      if (refusal != NULL)
        {
          ob_request_respond_action (req, SOUP_STATUS_BAD_REQUEST, OB_REASON_FAILED, refusal);
          return;
        }
    }

  /* The override reaches the host for this run only; vm_device is not
   * touched. */
  balloon = has_override ? override : vm->balloon;

  if (!ob_request_begin (req))
    return;
  if (!ob_vm_record_host_payload (req, vm, balloon, run_once, volatile_run, &error) ||
      !ob_sandbox_store_set_dynamic (req->router->store, vm->id, pause ? "paused" : "up",
                                     run_once, run_once && volatile_run,
                                     run_once && has_override ? (override ? 1 : 0) : -1,
                                     g_get_real_time () / 1000, 0, &error))
    {
      ob_request_rollback (req);
      ob_request_respond_action (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, OB_REASON_FAILED, error->message);
      return;
    }
  if (ob_request_commit (req, TRUE))
    ob_request_respond_action (req, SOUP_STATUS_OK, NULL, NULL);
}

static void
action_stop (ObSandboxRequest *req,
             ObVmInfo         *vm,
             const char       *verb)
{
  g_autoptr(GError) error = NULL;
  ObSandboxNextRun next = { NULL, };
  gboolean has_next;

  if (ob_vm_info_is_down (vm))
    {
      ob_request_refuse (req, TRUE, SOUP_STATUS_CONFLICT, verb, "VM", _("VM is not running."));
      return;
    }
  if (!ob_request_begin (req))
    return;

  /* Stopping applies the next-run configuration. */
  has_next = ob_sandbox_store_get_next_run (req->router->store, vm->id, &next, &error);
  if (error == NULL && has_next)
    {
      if (ob_sandbox_store_update_vm_static (req->router->store, vm->id, next.name,
                                             next.description, next.mem_size_mb, &error) &&
          (next.balloon == vm->balloon ||
           ob_sandbox_store_set_balloon (req->router->store, vm->id, next.balloon, &error)))
        ob_sandbox_store_delete_next_run (req->router->store, vm->id, &error);
    }
  ob_sandbox_next_run_clear (&next);
  if (error == NULL)
    ob_sandbox_store_set_dynamic (req->router->store, vm->id, "down", FALSE, FALSE, -1,
                                  0, g_get_real_time () / 1000, &error);
  if (error != NULL)
    {
      ob_request_rollback (req);
      ob_request_respond_action (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, OB_REASON_FAILED, error->message);
      return;
    }
  if (ob_request_commit (req, TRUE))
    ob_request_respond_action (req, SOUP_STATUS_OK, NULL, NULL);
}

static void
action_reboot (ObSandboxRequest *req,
               ObVmInfo         *vm)
{
  g_autoptr(GError) error = NULL;
  gboolean keep_run_once;
  gboolean balloon;

  if (g_strcmp0 (vm->status, "up") != 0)
    {
      ob_request_refuse (req, TRUE, SOUP_STATUS_CONFLICT, "reboot", "VM", _("VM is not running."));
      return;
    }

  /* A volatile Run Once keeps its configuration across a reboot; an
   * ordinary one falls back to the stored configuration. */
  keep_run_once = vm->run_once && vm->volatile_run;
  balloon = keep_run_once && vm->run_once_balloon >= 0 ? vm->run_once_balloon != 0 : vm->balloon;

  if (!ob_request_begin (req))
    return;
  if (!ob_vm_record_host_payload (req, vm, balloon, keep_run_once, keep_run_once, &error) ||
      !ob_sandbox_store_set_dynamic (req->router->store, vm->id, "up", keep_run_once,
                                     keep_run_once, keep_run_once ? vm->run_once_balloon : -1,
                                     g_get_real_time () / 1000, 0, &error))
    {
      ob_request_rollback (req);
      ob_request_respond_action (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, OB_REASON_FAILED, error->message);
      return;
    }
  if (ob_request_commit (req, TRUE))
    ob_request_respond_action (req, SOUP_STATUS_OK, NULL, NULL);
}

void
ob_vm_action (ObSandboxRequest *req,
              const char       *id,
              const char       *action)
{
  g_auto(ObVmInfo) vm = { NULL, };

  if (!g_strv_contains (ob_mapper_vm_actions, action))
    {
      ob_request_not_found (req);
      return;
    }
  if (g_strcmp0 (req->method, "POST") != 0)
    {
      ob_request_method_not_allowed (req, "POST");
      return;
    }
  if (!ob_vm_info_load (req, id, &vm))
    return;

  if (ob_vm_refuse_if_locked (req, &vm, TRUE, g_str_equal (action, "start") ? "run" : action))
    return;
  if (g_str_equal (action, "start"))
    action_start (req, &vm);
  else if (g_str_equal (action, "stop"))
    action_stop (req, &vm, "stop");
  else if (g_str_equal (action, "shutdown"))
    action_stop (req, &vm, "shutdown");
  else
    action_reboot (req, &vm);
}
