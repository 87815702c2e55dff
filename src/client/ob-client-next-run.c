/* ob-client-next-run.c: a running VM's next-run configuration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"


#include "ob-client-private.h"

static void
next_run_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  ObVm *vm;

  root = ob_connection_request_finish (OB_CONNECTION (source), result, NULL, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  vm = ob_vm_json_parse_vm (root, &error);
  if (vm == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, vm, g_object_unref);
}

void
ob_client_get_vm_next_run_async (ObClient            *self,
                                 const char          *id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (OB_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_client_get_vm_next_run_async);
  escaped = ob_client_escape_segment (id);
  /* The engine's GetVmNextRunConfiguration; the same VM when nothing waits. */
  path = g_strconcat ("vms/", escaped, "?next_run=true", NULL);
  ob_connection_request_async (self->connection, "GET", path, NULL, OB_REQUEST_NONE,
                               cancellable, next_run_cb, task);
}

ObVm *
ob_client_get_vm_next_run_finish (ObClient      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
