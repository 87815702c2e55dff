/* ob-client-run-once.c: start a VM once with a balloon override
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ob-client-private.h"
#include "ob-error.h"
#include "ob-rest-json.h"

/* Run Once with a balloon override */

typedef struct
{
  ObVm *vm;
  gboolean enable;
  ObRunOnceFlags flags;
  ObBalloonState original;
  gboolean native;      /* the engine took the override itself */
  char *message;        /* the success message, once known */
  GError *start_error;  /* why the start failed, while restoring */
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->vm);
  g_free (data->message);
  g_clear_error (&data->start_error);
  g_free (data);
}

/* Action answers carry "status": "complete" or "failed" (with a fault). */
static gboolean
check_action (JsonNode  *root,
              GError   **error)
{
  JsonObject *object = (root != NULL && JSON_NODE_HOLDS_OBJECT (root)) ? json_node_get_object (root) : NULL;
  const char *status = ob_rest_json_get_string (object, "status");
  g_autofree char *reason = NULL;
  g_autofree char *detail = NULL;

  if (status == NULL || g_strcmp0 (status, "failed") != 0)
    return TRUE;
  if (ob_rest_json_parse_fault (root, &reason, &detail))
    g_set_error (error, OB_ERROR, OB_ERROR_SERVER_FAULT, _("The engine answered: %s: %s"),
                 reason ? reason : "", detail ? detail : "");
  else
    g_set_error_literal (error, OB_ERROR, OB_ERROR_SERVER_FAULT,
                         _("The engine reported that the action failed."));
  return FALSE;
}

static char *
vm_path (ObVm       *vm,
         const char *suffix)
{
  g_autofree char *escaped = ob_client_escape_segment (ob_vm_get_id (vm));
  return g_strconcat ("vms/", escaped, suffix, NULL);
}

static char *
start_body (RunData  *data,
            gboolean  with_override)
{
  return ob_vm_json_write_start ((data->flags & OB_RUN_ONCE_VOLATILE) != 0, with_override, data->enable);
}

static void
run_refreshed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(ObVm) fresh = NULL;
  g_autoptr(GError) error = NULL;

  /* The run happened; a failed refresh only leaves the model stale. */
  fresh = ob_client_fetch_vm_finish (OB_CLIENT (source), result, &error);
  if (fresh != NULL)
    ob_vm_update_from (data->vm, fresh);
  /* No answer says what the run got: the override sent is what it got. */
  if (data->native)
    ob_vm_set_run_ballooning (data->vm, data->enable ? OB_BALLOON_STATE_ON : OB_BALLOON_STATE_OFF);
  g_task_return_pointer (task,
                         ob_balloon_result_new (data->vm, OB_CHANGE_APPLIED,
                                                g_steal_pointer (&data->message), NULL),
                         (GDestroyNotify) ob_balloon_result_free);
}

static void
run_succeed (GTask *task,
             char  *message)
{
  ObClient *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  data->message = message;
  ob_client_fetch_vm_async (self, ob_vm_get_id (data->vm), g_task_get_cancellable (task),
                            run_refreshed_cb, task);
}

static void
run_native_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  const char *name = ob_vm_get_name (data->vm);

  root = ob_connection_request_finish (OB_CONNECTION (source), result, NULL, &error);
  if (root == NULL || !check_action (root, &error))
    {
      if (ob_client_outcome_unknown (error))
        g_prefix_error (&error, _("VM %s: the start was sent but no answer came back; it may or may "
                                  "not be starting: "), name);
      else
        g_prefix_error (&error, _("VM %s was not started: "), name);
      g_task_return_error (task, error);
      return;
    }
  data->native = TRUE;
  run_succeed (g_object_ref (task),
               g_strdup_printf (_("VM %s started once with the balloon %s; its stored setting is unchanged."),
                                name, ob_client_on_off (data->enable)));
}

static void
run_store_back_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(ObVm) updated = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = ob_vm_get_name (data->vm);
  gboolean original_on = data->original == OB_BALLOON_STATE_ON;

  root = ob_connection_request_finish (OB_CONNECTION (source), result, NULL, &error);
  if (root != NULL)
    updated = ob_vm_json_parse_vm (root, &error);
  if (updated == NULL || !ob_vm_get_next_run_configuration_exists (updated))
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_FAILED,
                               _("VM %s was started with the balloon %s, but storing the original setting "
                                 "(%s) as the next-run configuration failed: %s. The VM keeps the balloon %s "
                                 "after this run until it is changed."),
                               name, ob_client_on_off (data->enable), ob_client_on_off (original_on),
                               error ? error->message : _("the engine shows no next-run configuration"),
                               ob_client_on_off (data->enable));
      return;
    }
  run_succeed (g_object_ref (task),
               g_strdup_printf (_("VM %s started once with the balloon %s (emulated: the setting was changed, "
                                  "the VM started, and the original setting %s stored as the next-run "
                                  "configuration)."),
                                name, ob_client_on_off (data->enable), ob_client_on_off (original_on)));
}

static void
run_restore_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = ob_vm_get_name (data->vm);
  gboolean original_on = data->original == OB_BALLOON_STATE_ON;

  root = ob_connection_request_finish (OB_CONNECTION (source), result, NULL, &error);
  if (root == NULL)
    g_task_return_new_error (task, OB_ERROR, OB_ERROR_FAILED,
                             _("VM %s could not be started (%s), and restoring its balloon to %s also "
                               "failed (%s): its stored balloon setting is now %s."),
                             name, data->start_error->message, ob_client_on_off (original_on),
                             error->message, ob_client_on_off (data->enable));
  else
    {
      g_autoptr(ObVm) restored = ob_vm_json_parse_vm (root, NULL);

      if (restored != NULL)
        ob_vm_update_from (data->vm, restored);
      if (ob_client_outcome_unknown (data->start_error))
        g_task_return_new_error (task, OB_ERROR, data->start_error->code,
                                 _("VM %s: the start was sent but no answer came back (%s); its stored balloon "
                                   "setting was put back to %s. If the VM did start, it runs with the "
                                   "balloon %s this time."),
                                 name, data->start_error->message, ob_client_on_off (original_on),
                                 ob_client_on_off (data->enable));
      else
        g_task_return_new_error (task, OB_ERROR, data->start_error->code,
                                 _("VM %s could not be started (%s); its balloon setting was restored to %s "
                                   "and nothing else changed."),
                                 name, data->start_error->message, ob_client_on_off (original_on));
    }
}

static void
run_start_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObClient *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;

  root = ob_connection_request_finish (OB_CONNECTION (source), result, NULL, &error);
  if (root == NULL || !check_action (root, &error))
    {
      /* Put the original value back before reporting. */
      data->start_error = error;
      body = ob_vm_json_write_ballooning (data->original == OB_BALLOON_STATE_ON);
      path = vm_path (data->vm, "");
      ob_connection_request_async (self->connection, "PUT", path, body, OB_REQUEST_NONE,
                                   NULL, run_restore_cb, g_object_ref (task));
      return;
    }

  /* Running now: the engine stores this as the next-run configuration. */
  body = ob_vm_json_write_ballooning (data->original == OB_BALLOON_STATE_ON);
  path = vm_path (data->vm, "?next_run=true");
  ob_connection_request_async (self->connection, "PUT", path, body, OB_REQUEST_NONE,
                               NULL, run_store_back_cb, g_object_ref (task));
}

static void
run_set_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObClient *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;

  root = ob_connection_request_finish (OB_CONNECTION (source), result, NULL, &error);
  if (root == NULL)
    {
      g_prefix_error (&error, _("VM %s: setting the balloon for the run failed, so nothing was changed "
                                "and the VM was not started: "),
                      ob_vm_get_name (data->vm));
      g_task_return_error (task, error);
      return;
    }
  body = start_body (data, FALSE);
  path = vm_path (data->vm, "/start");
  ob_connection_request_async (self->connection, "POST", path, body, OB_REQUEST_NONE,
                               g_task_get_cancellable (task), run_start_cb, g_object_ref (task));
}

static void
run_plain_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  const char *name = ob_vm_get_name (data->vm);

  root = ob_connection_request_finish (OB_CONNECTION (source), result, NULL, &error);
  if (root == NULL || !check_action (root, &error))
    {
      g_prefix_error (&error, _("VM %s was not started: "), name);
      g_task_return_error (task, error);
      return;
    }
  run_succeed (g_object_ref (task),
               g_strdup_printf (_("VM %s already had the balloon %s; it was started normally."),
                                name, ob_client_on_off (data->enable)));
}

static void
run_reread_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObClient *self = OB_CLIENT (source);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(ObVm) fresh = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;
  const char *name = ob_vm_get_name (data->vm);
  ObBalloonState wanted = data->enable ? OB_BALLOON_STATE_ON : OB_BALLOON_STATE_OFF;

  fresh = ob_client_fetch_vm_finish (self, result, &error);
  if (fresh == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  ob_vm_update_from (data->vm, fresh);

  if (data->enable && !ob_client_check_policy (fresh, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!ob_vm_is_down (fresh))
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_REFUSED,
                               _("VM %s is %s: Run Once starts a VM that is down."),
                               name, ob_vm_get_status (fresh) ? ob_vm_get_status (fresh) : _("in an unknown state"));
      return;
    }

  if (ob_connection_honours_run_once_balloon (self->connection))
    {
      body = start_body (data, TRUE);
      path = vm_path (fresh, "/start");
      ob_connection_request_async (self->connection, "POST", path, body, OB_REQUEST_NONE,
                                   g_task_get_cancellable (task), run_native_cb, g_object_ref (task));
      return;
    }

  if (!(data->flags & OB_RUN_ONCE_EMULATE))
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_REFUSED,
                               _("The engine (%s) ignores a balloon override in Run Once: no oVirt release "
                                 "implements it, so VM %s would start with its stored setting. It was not "
                                 "started. Emulating the override sets the balloon, starts the VM and stores "
                                 "the original setting back as the next-run configuration."),
                               ob_connection_get_product_name (self->connection), name);
      return;
    }

  data->original = ob_vm_get_ballooning (fresh);
  if (data->original == OB_BALLOON_STATE_UNKNOWN)
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_PROTOCOL,
                               _("VM %s: the engine does not report the current balloon setting, so it "
                                 "could not be restored after the run; nothing was done."),
                               name);
      return;
    }
  if (data->original == wanted)
    {
      body = start_body (data, FALSE);
      path = vm_path (fresh, "/start");
      ob_connection_request_async (self->connection, "POST", path, body, OB_REQUEST_NONE,
                                   g_task_get_cancellable (task), run_plain_cb, g_object_ref (task));
      return;
    }

  body = ob_vm_json_write_ballooning (data->enable);
  path = vm_path (fresh, "");
  ob_connection_request_async (self->connection, "PUT", path, body, OB_REQUEST_NONE,
                               g_task_get_cancellable (task), run_set_cb, g_object_ref (task));
}

void
ob_client_run_once_async (ObClient            *self,
                          ObVm                *vm,
                          gboolean             enable,
                          ObRunOnceFlags       flags,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  RunData *data;

  g_return_if_fail (OB_IS_CLIENT (self));
  g_return_if_fail (OB_IS_VM (vm));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_client_run_once_async);
  data = g_new0 (RunData, 1);
  data->vm = g_object_ref (vm);
  data->enable = !!enable;
  data->flags = flags;
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  ob_client_fetch_vm_async (self, ob_vm_get_id (vm), cancellable, run_reread_cb, task);
}

ObBalloonResult *
ob_client_run_once_finish (ObClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
