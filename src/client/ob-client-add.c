/* ob-client-add.c: create a VM
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ob-client-private.h"
#include "ob-error.h"
#include "ob-rest-json.h"

/* Add VM */

typedef struct
{
  char *name;
  char *cluster;
  char *template_name;
  guint64 memory;
  ObBalloonState balloon;
  gboolean enable;
  char *note;
  ObCluster *resolved;
} AddData;

static void
add_data_free (AddData *data)
{
  g_free (data->name);
  g_free (data->cluster);
  g_free (data->template_name);
  g_free (data->note);
  g_clear_object (&data->resolved);
  g_free (data);
}

static void
add_post_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AddData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  ObVm *vm;
  ObBalloonState wanted = data->enable ? OB_BALLOON_STATE_ON : OB_BALLOON_STATE_OFF;

  root = ob_connection_request_finish (OB_CONNECTION (source), result, NULL, &error);
  if (root == NULL)
    {
      if (ob_client_outcome_unknown (error))
        g_prefix_error (&error, _("The request to create VM %s was sent but no answer came back; "
                                  "the VM may or may not exist now: "),
                        data->name);
      g_task_return_error (task, error);
      return;
    }
  vm = ob_vm_json_parse_vm (root, &error);
  if (vm == NULL)
    {
      g_prefix_error (&error, _("The VM may have been created, but the engine's answer cannot be read: "));
      g_task_return_error (task, error);
      return;
    }
  ob_vm_set_cluster (vm, data->resolved);
  if (ob_vm_get_ballooning (vm) != OB_BALLOON_STATE_UNKNOWN &&
      ob_vm_get_ballooning (vm) != wanted)
    {
      /* Report what the engine did, not what was asked. */
      g_autofree char *extra = g_strdup_printf (_("The engine created the VM with the balloon %s, "
                                                  "not %s as requested."),
                                                ob_balloon_state_to_string (ob_vm_get_ballooning (vm)),
                                                ob_balloon_state_to_string (wanted));
      char *note = data->note ? g_strconcat (data->note, " ", extra, NULL) : g_strdup (extra);

      g_free (data->note);
      data->note = note;
    }
  g_task_return_pointer (task, vm, g_object_unref);
}

static void
add_clusters_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObClient *self = OB_CLIENT (source);
  AddData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) clusters = NULL;
  g_autofree char *body = NULL;
  GError *error = NULL;
  ObBalloonVerdict verdict;
  ObLevel level;
  ObVmUpdate values = { .fields = OB_VM_FIELD_NAME | OB_VM_FIELD_BALLOONING };
  guint i;

  clusters = ob_client_list_clusters_finish (self, result, &error);
  if (clusters == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (i = 0; i < clusters->len && data->resolved == NULL; i++)
    {
      ObCluster *cluster = g_ptr_array_index (clusters, i);

      if (g_strcmp0 (ob_cluster_get_id (cluster), data->cluster) == 0 ||
          g_strcmp0 (ob_cluster_get_name (cluster), data->cluster) == 0)
        data->resolved = g_object_ref (cluster);
    }
  if (data->resolved == NULL)
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_NOT_FOUND,
                               _("There is no cluster named “%s”."), data->cluster);
      return;
    }

  verdict = ob_cluster_get_balloon_verdict (data->resolved);
  level = ob_cluster_get_level (data->resolved);
  if (data->balloon == OB_BALLOON_STATE_ON)
    {
      if (!ob_balloon_policy_check_enable (level, ob_cluster_get_cpu_arch (data->resolved), &error))
        {
          g_prefix_error (&error, _("Cluster %s: "), ob_cluster_get_name (data->resolved));
          g_task_return_error (task, error);
          return;
        }
      data->enable = TRUE;
    }
  else if (data->balloon == OB_BALLOON_STATE_OFF)
    data->enable = FALSE;
  else if (ob_balloon_policy_allows (verdict))
    data->enable = TRUE;
  else
    {
      g_autofree char *reason = ob_balloon_policy_describe (verdict, level,
                                                            ob_cluster_get_cpu_arch (data->resolved));
      data->enable = FALSE;
      data->note = g_strdup_printf (_("The memory balloon is off: cluster %s does not allow it. %s"),
                                    ob_cluster_get_name (data->resolved), reason);
    }

  values.name = data->name;
  values.ballooning = data->enable;
  if (data->memory > 0)
    {
      values.fields |= OB_VM_FIELD_MEMORY;
      values.memory = data->memory;
    }
  body = ob_vm_json_write_new_vm (&values, ob_cluster_get_id (data->resolved), data->template_name);

  ob_connection_request_async (self->connection, "POST", "vms", body, OB_REQUEST_NONE,
                               g_task_get_cancellable (task), add_post_cb, g_object_ref (task));
}

void
ob_client_add_vm_async (ObClient            *self,
                        const char          *name,
                        const char          *cluster,
                        const char          *template_name,
                        guint64              memory,
                        ObBalloonState       balloon,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  AddData *data;

  g_return_if_fail (OB_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_client_add_vm_async);
  data = g_new0 (AddData, 1);
  data->name = g_strdup (name);
  data->cluster = g_strdup (cluster);
  data->template_name = g_strdup (template_name != NULL && *template_name ? template_name : "Blank");
  data->memory = memory;
  data->balloon = balloon;
  g_task_set_task_data (task, data, (GDestroyNotify) add_data_free);

  if (name == NULL || *name == '\0' || cluster == NULL || *cluster == '\0')
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_USAGE,
                               _("A new VM needs a name and a cluster."));
      g_object_unref (task);
      return;
    }
  ob_client_list_clusters_async (self, cancellable, add_clusters_cb, task);
}

ObVm *
ob_client_add_vm_finish (ObClient      *self,
                         GAsyncResult  *result,
                         char         **note_out,
                         GError       **error)
{
  AddData *data;
  ObVm *vm;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  vm = g_task_propagate_pointer (G_TASK (result), error);
  data = g_task_get_task_data (G_TASK (result));
  if (note_out != NULL)
    *note_out = (vm != NULL && data->note != NULL) ? g_strdup (data->note) : NULL;
  return vm;
}
