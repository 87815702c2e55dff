/* ob-client-update.c: set the balloon and edit one VM
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ob-client-private.h"
#include "ob-error.h"
#include "ob-rest-json.h"

/* Set balloon and edit: re-read, check policy and conflicts, one PUT,
 * verify. Setting the balloon is an edit of that one field. */

typedef struct
{
  ObVm *vm;
  ObVmFields fields;     /* asked for */
  ObVmFields sent;       /* in the PUT: asked for and different */
  char *name;
  char *description;
  guint64 memory;
  gboolean enable;
  ObSetBalloonFlags flags;
  gboolean was_down;
  gboolean next_run_requested;
  /* Running, with a waiting next-run configuration, and already showing
   * every asked-for value: a PUT can only drop that waiting change. */
  gboolean only_pending;
  char *old_name;        /* for messages: the name the user knows */
  GError *refusal;       /* a 409 on the PUT, while the VM is re-read */
} SetData;

static void
set_data_free (SetData *data)
{
  g_clear_object (&data->vm);
  g_free (data->name);
  g_free (data->description);
  g_free (data->old_name);
  g_clear_error (&data->refusal);
  g_free (data);
}

static gboolean
balloon_only (SetData *data)
{
  return data->fields == OB_VM_FIELD_BALLOONING;
}

static gboolean
wanted_balloon (SetData        *data,
                ObBalloonState  state)
{
  return state == (data->enable ? OB_BALLOON_STATE_ON : OB_BALLOON_STATE_OFF);
}

/* The fields of @data that @vm does not show yet. */
static ObVmFields
set_differing (SetData *data,
               ObVm    *vm)
{
  ObVmFields differ = OB_VM_FIELD_NONE;

  if ((data->fields & OB_VM_FIELD_NAME) && g_strcmp0 (ob_vm_get_name (vm), data->name) != 0)
    differ |= OB_VM_FIELD_NAME;
  if ((data->fields & OB_VM_FIELD_DESCRIPTION) &&
      g_strcmp0 (ob_vm_get_description (vm) ? ob_vm_get_description (vm) : "", data->description) != 0)
    differ |= OB_VM_FIELD_DESCRIPTION;
  if ((data->fields & OB_VM_FIELD_MEMORY) && ob_vm_get_memory (vm) != data->memory)
    differ |= OB_VM_FIELD_MEMORY;
  if ((data->fields & OB_VM_FIELD_BALLOONING) && !wanted_balloon (data, ob_vm_get_ballooning (vm)))
    differ |= OB_VM_FIELD_BALLOONING;
  return differ;
}

static char *
update_body (SetData    *data,
             ObVmFields  fields)
{
  ObVmUpdate update = {
    .fields = fields,
    .name = data->name,
    .description = data->description,
    .memory = data->memory,
    .ballooning = data->enable,
  };

  return ob_vm_json_write_update (&update);
}

static void
set_return_result (GTask           *task,
                   ObChangeOutcome  outcome)
{
  SetData *data = g_task_get_task_data (task);
  const char *name = data->old_name;
  char *message;

  if (balloon_only (data))
    {
      if (outcome == OB_CHANGE_UNCHANGED)
        message = g_strdup_printf (_("VM %s: balloon already %s."), name, ob_client_on_off (data->enable));
      else if (outcome == OB_CHANGE_PENDING_CANCELLED)
        message = g_strdup_printf (_("VM %s: pending change cancelled; the balloon stays %s."),
                                   name, ob_client_on_off (data->enable));
      else if (outcome == OB_CHANGE_NEXT_RUN)
        message = g_strdup_printf (_("VM %s: balloon %s stored as the next-run "
                                     "configuration; it applies when the VM next starts."),
                                   name, ob_client_on_off (data->enable));
      else if (outcome == OB_CHANGE_PENDING_CANCELLED)
        message = g_strdup_printf (_("VM %s: pending change cancelled; the balloon stays %s."),
                                   name, ob_client_on_off (data->enable));
      else
        message = g_strdup_printf (_("VM %s: balloon turned %s."), name, ob_client_on_off (data->enable));
    }
  else
    {
      if (outcome == OB_CHANGE_UNCHANGED)
        message = g_strdup_printf (_("VM %s: it already has these values; nothing was sent."), name);
      else if (outcome == OB_CHANGE_PENDING_CANCELLED)
        message = g_strdup_printf (_("VM %s: pending change cancelled; the VM keeps the values it "
                                     "runs with."), name);
      else if (outcome == OB_CHANGE_NEXT_RUN)
        message = g_strdup_printf (_("VM %s: the changes that need a restart are stored as the next-run "
                                     "configuration; they apply when the VM next starts."),
                                   name);
      else if (outcome == OB_CHANGE_PENDING_CANCELLED)
        message = g_strdup_printf (_("VM %s: pending change cancelled; the VM keeps the values it "
                                     "runs with."), name);
      else
        message = g_strdup_printf (_("VM %s: changes saved."), name);
    }
  g_task_return_pointer (task, ob_balloon_result_new (data->vm, outcome, message, NULL),
                         (GDestroyNotify) ob_balloon_result_free);
}

/* After a 409: when the engine already shows every sent value, the user's
 * choice holds and there is nothing to report as a conflict. */
static void
set_refused_reread_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SetData *data = g_task_get_task_data (task);
  g_autoptr(ObVm) fresh = ob_client_fetch_vm_finish (OB_CLIENT (source), result, NULL);
  GError *refusal = g_steal_pointer (&data->refusal);

  if (fresh != NULL && (set_differing (data, fresh) & data->sent) == OB_VM_FIELD_NONE &&
      (ob_vm_is_down (fresh) || !ob_vm_get_next_run_configuration_exists (fresh)))
    {
      g_error_free (refusal);
      ob_vm_update_from (data->vm, fresh);
      set_return_result (task, OB_CHANGE_UNCHANGED);
      return;
    }
  g_task_return_new_error (task, OB_ERROR, refusal->code, _("VM %s: %s"), data->old_name, refusal->message);
  g_error_free (refusal);
}

static void
set_put_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObClient *self = g_task_get_source_object (task);
  SetData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(ObVm) updated = NULL;
  g_autoptr(GError) error = NULL;
  ObVmFields missing;
  gboolean cold_sent = (data->sent & (OB_VM_FIELD_MEMORY | OB_VM_FIELD_BALLOONING)) != 0;
  const char *name = data->old_name;

  root = ob_connection_request_finish (OB_CONNECTION (source), result, NULL, &error);
  if (root == NULL)
    {
      if (g_error_matches (error, OB_ERROR, OB_ERROR_NOT_FOUND))
        g_task_return_new_error (task, OB_ERROR, OB_ERROR_NOT_FOUND,
                                 _("VM %s was deleted on the engine before it could be updated."),
                                 name);
      else if (ob_client_outcome_unknown (error))
        g_task_return_new_error (task, OB_ERROR, error->code,
                                 _("VM %s: the update was sent but no answer came back (%s); it may or "
                                   "may not have been applied. Check the VM before trying again."),
                                 name, error->message);
      else if (g_error_matches (error, OB_ERROR, OB_ERROR_CONFLICT))
        {
          data->refusal = g_steal_pointer (&error);
          ob_client_fetch_vm_async (self, ob_vm_get_id (data->vm), g_task_get_cancellable (task),
                                    set_refused_reread_cb, g_object_ref (task));
        }
      else
        g_task_return_new_error (task, OB_ERROR, error->code,
                                 _("VM %s: %s"), name, error->message);
      return;
    }
  updated = ob_vm_json_parse_vm (root, &error);
  if (updated == NULL)
    {
      g_task_return_new_error (task, OB_ERROR, error->code,
                               _("VM %s: the update was sent, but the engine's answer cannot be read: %s"),
                               name, error->message);
      return;
    }
  ob_client_attach_cluster (self, updated);
  ob_vm_update_from (data->vm, updated);
  missing = set_differing (data, updated) & data->sent;

  if (data->was_down && !data->next_run_requested)
    {
      /* Never claim a change the engine did not make. */
      if (missing & OB_VM_FIELD_BALLOONING)
        g_task_return_new_error (task, OB_ERROR, OB_ERROR_FAILED,
                                 _("VM %s: the engine accepted the update but still reports the balloon %s."),
                                 name, ob_balloon_state_to_string (ob_vm_get_ballooning (updated)));
      else if (missing != OB_VM_FIELD_NONE)
        g_task_return_new_error (task, OB_ERROR, OB_ERROR_FAILED,
                                 _("VM %s: the engine accepted the update but does not show all the "
                                   "new values."),
                                 name);
      else
        set_return_result (task, OB_CHANGE_APPLIED);
      return;
    }

  if (data->only_pending && missing == OB_VM_FIELD_NONE &&
      !ob_vm_get_next_run_configuration_exists (updated))
    {
      set_return_result (task, OB_CHANGE_PENDING_CANCELLED);
      return;
    }
  if (ob_vm_get_next_run_configuration_exists (updated) && (cold_sent || missing != OB_VM_FIELD_NONE))
    {
      set_return_result (task, OB_CHANGE_NEXT_RUN);
      return;
    }
  if (missing == OB_VM_FIELD_NONE)
    {
      set_return_result (task, OB_CHANGE_APPLIED);
      return;
    }
  g_task_return_new_error (task, OB_ERROR, OB_ERROR_FAILED,
                           _("VM %s: the engine accepted the update but shows neither the new value "
                             "nor a next-run configuration."),
                           name);
}

static void
set_reread_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObClient *self = OB_CLIENT (source);
  SetData *data = g_task_get_task_data (task);
  g_autoptr(ObVm) fresh = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  ObBalloonState loaded, current;
  ObVmFields send;
  const char *name = data->old_name;

  fresh = ob_client_fetch_vm_finish (self, result, &error);
  if (fresh == NULL)
    {
      if (g_error_matches (error, OB_ERROR, OB_ERROR_NOT_FOUND))
        g_task_return_new_error (task, OB_ERROR, OB_ERROR_NOT_FOUND,
                                 _("VM %s was deleted on the engine since it was loaded; nothing was changed."),
                                 name);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The freshest level decides; the check comes before anything is sent. */
  if ((data->fields & OB_VM_FIELD_BALLOONING) && data->enable && !ob_client_check_policy (fresh, &error))
    {
      ob_vm_update_from (data->vm, fresh);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  loaded = ob_vm_get_ballooning (data->vm);
  current = ob_vm_get_ballooning (fresh);
  /* Someone else changed it, but to what the user chose: no conflict. */
  if ((data->fields & OB_VM_FIELD_BALLOONING) && !(data->flags & OB_SET_BALLOON_FORCE) &&
      loaded != OB_BALLOON_STATE_UNKNOWN && current != OB_BALLOON_STATE_UNKNOWN &&
      loaded != current && !wanted_balloon (data, current))
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_CONFLICT,
                               _("VM %s: the balloon was changed on the engine since it was loaded "
                                 "(it was %s, it is now %s); nothing was changed. Reload, or force the change."),
                               name, ob_balloon_state_to_string (loaded),
                               ob_balloon_state_to_string (current));
      return;
    }

  ob_vm_update_from (data->vm, fresh);
  data->was_down = ob_vm_is_down (fresh);
  data->next_run_requested = (data->flags & OB_SET_BALLOON_NEXT_RUN) != 0;
  data->only_pending = !data->was_down && !data->next_run_requested &&
                       ob_vm_get_next_run_configuration_exists (fresh) &&
                       set_differing (data, fresh) == OB_VM_FIELD_NONE;

  /* A running VM's waiting next-run configuration may hold other values
   * than it shows: then every asked-for field is sent. */
  if (data->next_run_requested || (!data->was_down && ob_vm_get_next_run_configuration_exists (fresh)))
    send = data->fields;
  else
    send = set_differing (data, fresh);
  if (send == OB_VM_FIELD_NONE)
    {
      set_return_result (task, OB_CHANGE_UNCHANGED);
      return;
    }

  data->sent = send;
  body = update_body (data, send);
  escaped = ob_client_escape_segment (ob_vm_get_id (fresh));
  path = g_strconcat ("vms/", escaped, data->next_run_requested ? "?next_run=true" : "", NULL);
  ob_connection_request_async (self->connection, "PUT", path, body, OB_REQUEST_NONE,
                               g_task_get_cancellable (task), set_put_cb, g_object_ref (task));
}

static void
update_vm_start (ObClient            *self,
                 ObVm                *vm,
                 const ObVmUpdate    *update,
                 ObSetBalloonFlags    flags,
                 gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task;
  SetData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  data = g_new0 (SetData, 1);
  data->vm = g_object_ref (vm);
  data->fields = update->fields;
  data->name = g_strdup (update->name);
  data->description = g_strdup (update->description != NULL ? update->description : "");
  data->memory = update->memory;
  data->enable = !!update->ballooning;
  data->flags = flags;
  data->old_name = g_strdup (ob_vm_get_name (vm));
  g_task_set_task_data (task, data, (GDestroyNotify) set_data_free);

  if ((data->fields & OB_VM_FIELD_NAME) && (data->name == NULL || *data->name == '\0'))
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_USAGE,
                               _("VM %s: the name cannot be empty."), data->old_name);
      g_object_unref (task);
      return;
    }
  if ((data->fields & OB_VM_FIELD_MEMORY) && data->memory < 1024 * 1024)
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_USAGE,
                               _("VM %s: the memory must be at least 1 MiB."), data->old_name);
      g_object_unref (task);
      return;
    }

  /* Known-forbidden levels are refused without a single request. */
  if ((data->fields & OB_VM_FIELD_BALLOONING) && data->enable && !ob_vm_get_balloon_allowed (vm))
    {
      GError *error = NULL;

      ob_client_check_policy (vm, &error);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  ob_client_fetch_vm_async (self, ob_vm_get_id (vm), cancellable, set_reread_cb, task);
}

void
ob_client_set_balloon_async (ObClient            *self,
                             ObVm                *vm,
                             gboolean             enable,
                             ObSetBalloonFlags    flags,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  ObVmUpdate update = { OB_VM_FIELD_BALLOONING, NULL, NULL, 0, enable };

  g_return_if_fail (OB_IS_CLIENT (self));
  g_return_if_fail (OB_IS_VM (vm));

  update_vm_start (self, vm, &update, flags, ob_client_set_balloon_async,
                   cancellable, callback, user_data);
}

ObBalloonResult *
ob_client_set_balloon_finish (ObClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ob_client_update_vm_async (ObClient            *self,
                           ObVm                *vm,
                           const ObVmUpdate    *update,
                           ObSetBalloonFlags    flags,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (OB_IS_CLIENT (self));
  g_return_if_fail (OB_IS_VM (vm));
  g_return_if_fail (update != NULL);

  update_vm_start (self, vm, update, flags, ob_client_update_vm_async,
                   cancellable, callback, user_data);
}

ObBalloonResult *
ob_client_update_vm_finish (ObClient      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
