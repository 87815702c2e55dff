/* ob-client-run-balloon.c: the balloon a running Run Once VM got
 *
 * No oVirt release reports it (Run Once ignores memory_policy), so it is
 * known only from the override this client sent, or from an engine that
 * records what it sent to the host (OB_ENGINE_CAP_HOST_PAYLOAD: the
 * sandbox's /ovirt-engine/sandbox/vms/{id}/host-payload).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ob-client-private.h"
#include "ob-error.h"
#include "ob-product.h"
#include "ob-rest-json.h"

gboolean
ob_client_needs_run_ballooning (ObClient *self,
                                ObVm     *vm)
{
  g_return_val_if_fail (OB_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (OB_IS_VM (vm), FALSE);

  return ob_vm_get_run_once (vm) && !ob_vm_is_down (vm) &&
         ob_vm_get_run_ballooning (vm) == OB_BALLOON_STATE_UNKNOWN &&
         ob_connection_has_capability (self->connection, OB_ENGINE_CAP_HOST_PAYLOAD);
}

/* The API URL ends in /ovirt-engine/api; the payload sits beside it. */
static char *
host_payload_url (ObClient *self,
                  ObVm     *vm)
{
  const char *api = ob_connection_get_api_url (self->connection);
  g_autofree char *escaped = ob_client_escape_segment (ob_vm_get_id (vm));

  if (!g_str_has_suffix (api, "/api"))
    return NULL;
  return g_strdup_printf ("%.*s/sandbox/vms/%s/host-payload", (int) strlen (api) - 4, api, escaped);
}

static void
host_payload_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObVm *vm = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  gboolean run_once = FALSE;
  gboolean ballooning = FALSE;
  GError *error = NULL;

  root = ob_connection_request_finish (OB_CONNECTION (source), result, NULL, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (!ob_rest_json_get_boolean (object, "run_once", &run_once) ||
      !ob_rest_json_get_boolean (object, "ballooning", &ballooning))
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_PROTOCOL,
                               _("The engine's record of what VM %s got at its start is incomplete."),
                               ob_vm_get_name (vm));
      return;
    }
  /* The record is of the last start: it says what this run got only when
   * that start was a Run Once, as the VM says its run is. */
  if (run_once)
    ob_vm_set_run_ballooning (vm, ballooning ? OB_BALLOON_STATE_ON : OB_BALLOON_STATE_OFF);
  g_task_return_boolean (task, TRUE);
}

void
ob_client_load_run_ballooning_async (ObClient            *self,
                                     ObVm                *vm,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  g_autofree char *url = NULL;

  g_return_if_fail (OB_IS_CLIENT (self));
  g_return_if_fail (OB_IS_VM (vm));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_client_load_run_ballooning_async);
  g_task_set_task_data (task, g_object_ref (vm), g_object_unref);
  url = host_payload_url (self, vm);
  if (!ob_client_needs_run_ballooning (self, vm) || url == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  ob_connection_request_async (self->connection, "GET", url, NULL, OB_REQUEST_NONE,
                               cancellable, host_payload_cb, task);
}

gboolean
ob_client_load_run_ballooning_finish (ObClient      *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
