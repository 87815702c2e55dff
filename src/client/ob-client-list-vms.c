/* ob-client-list-vms.c: the VM list, page by page, several pages in flight
 *
 * Pages are requested ahead (at most OB_CLIENT_PAGES_IN_FLIGHT at once) and
 * read in worker threads as they arrive, but handed to the caller strictly
 * in order, each with its VMs' clusters attached: the result is the one a
 * page-after-page walk gives. The engine's VM total (API root) tells how
 * many pages to ask for up front; without it (a search, or an engine that
 * does not say) more pages are asked for only once a full one came back.
 * A short page ends the list; so do a page with nothing new and one longer
 * than asked for (an engine that ignores paging). Pages asked for beyond
 * the end are cancelled and their answers dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ob-client-private.h"
#include "ob-vm-json.h"

/* Pages requested and not yet answered, at most: with 2 the 10,000-VM
 * list came in as fast as with 3 on two cores (764 vs 823 ms, median of 7)
 * and held one 2.8 MiB page less. */
#define OB_CLIENT_PAGES_IN_FLIGHT 2
/* Bodies from this size on are read in a worker; a small one costs less
 * than the hand-over to a thread. */
#define OB_CLIENT_THREAD_READ_MIN (64 * 1024)

typedef struct
{
  gboolean ready;
  GPtrArray *vms;
  GError *error;
} PageSlot;

static void
page_slot_free (PageSlot *slot)
{
  g_clear_pointer (&slot->vms, g_ptr_array_unref);
  g_clear_error (&slot->error);
  g_free (slot);
}

typedef struct
{
  char *search;
  ObListFlags flags;
  ObProgressFunc progress;
  ObListPageFunc page_func;
  gpointer progress_data;
  GDestroyNotify progress_destroy;
  GPtrArray *vms;
  GHashTable *seen;        /* ids, to stop on engines that ignore paging */
  GCancellable *cancellable;  /* the requests': cancelled when the list is done */
  GCancellable *user_cancellable;
  gulong user_handler;
  GPtrArray *pages;        /* PageSlot, for page 1, 2... requested so far */
  guint processed;         /* pages handed to the caller */
  guint in_flight;
  guint expected_pages;    /* from the engine's VM total; 0 when unknown */
  guint last_full;         /* the highest page that came back full */
  gboolean clusters_ready;
  gboolean done;
} ListData;

static void
list_data_free (ListData *data)
{
  g_free (data->search);
  if (data->progress_destroy != NULL)
    data->progress_destroy (data->progress_data);
  g_clear_pointer (&data->vms, g_ptr_array_unref);
  g_clear_pointer (&data->seen, g_hash_table_unref);
  if (data->user_cancellable != NULL)
    g_cancellable_disconnect (data->user_cancellable, data->user_handler);
  g_clear_object (&data->user_cancellable);
  g_clear_object (&data->cancellable);
  g_clear_pointer (&data->pages, g_ptr_array_unref);
  g_free (data);
}

static void
cancel_requests (GCancellable *user,
                 gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

/* One page's request, holding the list's task. */
typedef struct
{
  GTask *task;
  guint page;
} PageRequest;

static void
page_request_free (PageRequest *request)
{
  g_object_unref (request->task);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PageRequest, page_request_free)

static void list_fill (GTask *task);

static void
list_finish (GTask     *task,
             GPtrArray *vms,
             GError    *error)
{
  ListData *data = g_task_get_task_data (task);

  data->done = TRUE;
  /* Pages asked for ahead are not needed any more. */
  g_cancellable_cancel (data->cancellable);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, vms, (GDestroyNotify) g_ptr_array_unref);
}

static void
list_report (ListData  *data,
             GPtrArray *added,
             guint      done,
             guint      total)
{
  if (data->page_func != NULL)
    data->page_func (added, done, total, data->progress_data);
  else if (data->progress != NULL)
    data->progress (done, total, data->progress_data);
}

/* Hands one page to the caller. Returns FALSE when it ended the list. */
static gboolean
list_take_page (GTask     *task,
                GPtrArray *vms)
{
  ObClient *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) added = g_ptr_array_new ();
  guint i, fresh = 0;

  for (i = 0; i < vms->len; i++)
    {
      ObVm *vm = g_ptr_array_index (vms, i);

      if (!g_hash_table_add (data->seen, g_strdup (ob_vm_get_id (vm))))
        continue;
      ob_client_attach_cluster (self, vm);
      g_ptr_array_add (data->vms, g_object_ref (vm));
      g_ptr_array_add (added, vm);
      fresh++;
    }

  /* A short page is the last one. A page with nothing new, or longer than
   * asked for, means the engine ignores paging: stop rather than loop. */
  if (vms->len < self->page_size || fresh == 0 || vms->len > self->page_size)
    {
      /* The engine's total counts every VM, not those a search matches:
       * the last report says done. */
      list_report (data, added, data->vms->len, data->vms->len);
      list_finish (task, g_steal_pointer (&data->vms), NULL);
      return FALSE;
    }
  list_report (data, added, data->vms->len,
               MAX (ob_connection_get_vm_total (self->connection), data->vms->len + 1));
  return TRUE;
}

/* Hands over the pages that are in, in order, once the clusters are. */
static void
list_drain (GTask *task)
{
  ListData *data = g_task_get_task_data (task);

  while (!data->done && data->clusters_ready && data->processed < data->pages->len)
    {
      PageSlot *slot = g_ptr_array_index (data->pages, data->processed);

      if (!slot->ready)
        return;
      data->processed++;
      if (slot->error != NULL)
        {
          list_finish (task, NULL, g_steal_pointer (&slot->error));
          return;
        }
      if (!list_take_page (task, slot->vms))
        return;
      g_clear_pointer (&slot->vms, g_ptr_array_unref);
    }
}

static void
page_read_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GBytes *body = task_data;
  gsize len = 0;
  const char *text = g_bytes_get_data (body, &len);
  GError *error = NULL;
  GPtrArray *vms = ob_vm_json_read_vms (text, len, &error);

  if (vms == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, vms, (GDestroyNotify) g_ptr_array_unref);
}

static void
page_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PageRequest) request = user_data;
  ObClient *self = OB_CLIENT (source);
  ListData *data = g_task_get_task_data (request->task);
  PageSlot *slot = g_ptr_array_index (data->pages, request->page - 1);

  slot->vms = g_task_propagate_pointer (G_TASK (result), &slot->error);
  slot->ready = TRUE;
  if (slot->vms != NULL && slot->vms->len >= self->page_size)
    data->last_full = MAX (data->last_full, request->page);
  list_drain (request->task);
  list_fill (request->task);
}

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PageRequest) request = user_data;
  ObClient *self = g_task_get_source_object (request->task);
  ListData *data = g_task_get_task_data (request->task);
  PageSlot *slot = g_ptr_array_index (data->pages, request->page - 1);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GTask) read = NULL;

  data->in_flight--;
  body = ob_connection_request_body_finish (OB_CONNECTION (source), result, &slot->error);
  if (data->done)
    return;
  if (body == NULL)
    {
      slot->ready = TRUE;
      list_drain (request->task);
      list_fill (request->task);
      return;
    }
  /* The next request can go out while this page is read. */
  list_fill (request->task);
  read = g_task_new (self, NULL, page_read_cb, g_steal_pointer (&request));
  g_task_set_source_tag (read, page_cb);
  g_task_set_task_data (read, g_bytes_ref (body), (GDestroyNotify) g_bytes_unref);
  if (g_bytes_get_size (body) >= OB_CLIENT_THREAD_READ_MIN)
    g_task_run_in_thread (read, page_read_thread);
  else
    page_read_thread (read, self, body, NULL);
}

static void
list_request_page (GTask *task)
{
  ObClient *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);
  PageRequest *request = g_new0 (PageRequest, 1);
  g_autofree char *search = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_ptr_array_add (data->pages, g_new0 (PageSlot, 1));
  request->task = g_object_ref (task);
  request->page = data->pages->len;
  data->in_flight++;

  if (data->search != NULL && *data->search != '\0')
    search = g_strdup_printf ("%s page %u", data->search, request->page);
  else
    search = g_strdup_printf ("page %u", request->page);
  escaped = g_uri_escape_string (search, NULL, FALSE);
  path = g_strdup_printf ("vms?search=%s&max=%u", escaped, self->page_size);

  ob_connection_request_body_async (self->connection, "GET", path, NULL,
                                    (data->flags & OB_LIST_ALL_CONTENT) ? OB_REQUEST_ALL_CONTENT : OB_REQUEST_NONE,
                                    data->cancellable, page_cb, request);
}

/* Asks for the next pages while there is room: those the total promises
 * (and one more, to see the end), or, past them, while pages come back
 * full. */
static void
list_fill (GTask *task)
{
  ListData *data = g_task_get_task_data (task);

  while (!data->done && data->in_flight < OB_CLIENT_PAGES_IN_FLIGHT)
    {
      guint next = data->pages->len + 1;

      if (next > 1 && next > data->expected_pages + 1 &&
          (data->last_full == 0 || next > data->last_full + OB_CLIENT_PAGES_IN_FLIGHT))
        return;
      list_request_page (task);
    }
}

static void
list_clusters_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) clusters = NULL;
  GError *error = NULL;

  clusters = ob_client_list_clusters_finish (OB_CLIENT (source), result, &error);
  if (data->done)
    {
      g_clear_error (&error);
      return;
    }
  if (clusters == NULL)
    {
      list_finish (task, NULL, error);
      return;
    }
  data->clusters_ready = TRUE;
  list_drain (task);
}

static void
list_vms_start (ObClient            *self,
                const char          *search,
                ObListFlags          flags,
                ObProgressFunc       progress,
                ObListPageFunc       page,
                gpointer             progress_data,
                GDestroyNotify       progress_destroy,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task;
  ListData *data;
  guint total = ob_connection_get_vm_total (self->connection);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_client_list_vms_async);
  data = g_new0 (ListData, 1);
  data->search = g_strdup (search);
  data->flags = flags;
  data->progress = progress;
  data->page_func = page;
  data->progress_data = progress_data;
  data->progress_destroy = progress_destroy;
  data->vms = g_ptr_array_new_with_free_func (g_object_unref);
  data->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  data->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) page_slot_free);
  data->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->user_cancellable = g_object_ref (cancellable);
      data->user_handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_requests),
                                                  data->cancellable, NULL);
    }
  /* The total counts every VM: no help for a search. */
  if ((search == NULL || *search == '\0') && total > 0)
    data->expected_pages = (total + self->page_size - 1) / self->page_size;
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);

  /* VMs carry only their cluster's id: the clusters are read alongside
   * the first pages, which wait for them. */
  ob_client_list_clusters_async (self, data->cancellable, list_clusters_cb, g_object_ref (task));
  list_fill (task);
  g_object_unref (task);
}

void
ob_client_list_vms_async (ObClient            *self,
                          const char          *search,
                          ObListFlags          flags,
                          ObProgressFunc       progress,
                          gpointer             progress_data,
                          GDestroyNotify       progress_destroy,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (OB_IS_CLIENT (self));

  list_vms_start (self, search, flags, progress, NULL, progress_data, progress_destroy,
                  cancellable, callback, user_data);
}

void
ob_client_list_vms_paged_async (ObClient            *self,
                                const char          *search,
                                ObListFlags          flags,
                                ObListPageFunc       page,
                                gpointer             page_data,
                                GDestroyNotify       page_destroy,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (OB_IS_CLIENT (self));

  list_vms_start (self, search, flags, NULL, page, page_data, page_destroy,
                  cancellable, callback, user_data);
}

GPtrArray *
ob_client_list_vms_finish (ObClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
