/* ob-client-bulk.c: the balloon of many VMs at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ob-client-private.h"
#include "ob-error.h"

/* Bulk: a window of at most OB_CLIENT_MAX_IN_FLIGHT single updates. */

typedef struct
{
  GPtrArray *vms;
  GPtrArray *results;   /* ObBalloonResult, NULL until done */
  gboolean enable;
  ObSetBalloonFlags flags;
  ObProgressFunc progress;
  gpointer progress_data;
  GDestroyNotify progress_destroy;
  guint next;
  guint in_flight;
  guint done;
} BulkData;

static void
bulk_data_free (BulkData *data)
{
  if (data->progress_destroy != NULL)
    data->progress_destroy (data->progress_data);
  g_ptr_array_unref (data->vms);
  g_ptr_array_unref (data->results);
  g_free (data);
}

typedef struct
{
  GTask *task;
  guint index;
} BulkItem;

static void bulk_launch (GTask *task);

static void
bulk_item_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  BulkItem *item = user_data;
  g_autoptr(GTask) task = item->task;
  BulkData *data = g_task_get_task_data (task);
  ObVm *vm = g_ptr_array_index (data->vms, item->index);
  GError *error = NULL;
  ObBalloonResult *outcome;

  outcome = ob_client_set_balloon_finish (OB_CLIENT (source), result, &error);
  if (outcome == NULL)
    {
      /* A refusal by the policy (the level is known and forbids it) is a
       * skip, not a failure. */
      gboolean skipped = g_error_matches (error, OB_ERROR, OB_ERROR_REFUSED) &&
                         !ob_vm_get_balloon_allowed (vm);
      outcome = ob_balloon_result_new (vm, skipped ? OB_CHANGE_SKIPPED : OB_CHANGE_FAILED,
                                       g_strdup (error->message), error);
    }
  g_ptr_array_index (data->results, item->index) = outcome;
  g_free (item);

  data->in_flight--;
  data->done++;
  if (data->progress != NULL)
    data->progress (data->done, data->vms->len, data->progress_data);

  if (data->done == data->vms->len)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      g_task_return_pointer (task, g_ptr_array_ref (data->results), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  bulk_launch (g_object_ref (task));
}

static void
bulk_launch (GTask *task)
{
  ObClient *self = g_task_get_source_object (task);
  BulkData *data = g_task_get_task_data (task);

  while (data->in_flight < OB_CLIENT_MAX_IN_FLIGHT && data->next < data->vms->len)
    {
      BulkItem *item = g_new0 (BulkItem, 1);

      item->task = g_object_ref (task);
      item->index = data->next++;
      data->in_flight++;
      ob_client_set_balloon_async (self, g_ptr_array_index (data->vms, item->index),
                                   data->enable, data->flags,
                                   g_task_get_cancellable (task), bulk_item_cb, item);
    }
  g_object_unref (task);
}

void
ob_client_set_balloon_many_async (ObClient            *self,
                                  GPtrArray           *vms,
                                  gboolean             enable,
                                  ObSetBalloonFlags    flags,
                                  ObProgressFunc       progress,
                                  gpointer             progress_data,
                                  GDestroyNotify       progress_destroy,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  BulkData *data;
  guint i;

  g_return_if_fail (OB_IS_CLIENT (self));
  g_return_if_fail (vms != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_client_set_balloon_many_async);
  data = g_new0 (BulkData, 1);
  data->vms = g_ptr_array_new_full (vms->len, g_object_unref);
  for (i = 0; i < vms->len; i++)
    g_ptr_array_add (data->vms, g_object_ref (g_ptr_array_index (vms, i)));
  data->results = g_ptr_array_new_full (vms->len, (GDestroyNotify) ob_balloon_result_free);
  g_ptr_array_set_size (data->results, vms->len);
  data->enable = enable;
  data->flags = flags;
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_destroy = progress_destroy;
  g_task_set_task_data (task, data, (GDestroyNotify) bulk_data_free);

  if (vms->len == 0)
    {
      g_task_return_pointer (task, g_ptr_array_ref (data->results), (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  bulk_launch (task);
}

GPtrArray *
ob_client_set_balloon_many_finish (ObClient      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
