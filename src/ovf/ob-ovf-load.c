/* ob-ovf-load.c: loading an OVF or OVA in a worker thread, over
 * ob_ovf_document_load_member(), so a window never waits for the disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ob-ovf-document.h"

typedef struct
{
  GFile *file;
  char  *member;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_object_unref (load->file);
  g_free (load->member);
  g_free (load);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *load = task_data;
  GError *error = NULL;
  ObOvfDocument *doc = ob_ovf_document_load_member (load->file, load->member, cancellable, &error);

  if (doc == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, doc, g_object_unref);
}

void
ob_ovf_document_load_async (GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  ob_ovf_document_load_member_async (file, NULL, cancellable, callback, user_data);
}

void
ob_ovf_document_load_member_async (GFile               *file,
                                   const char          *member_name,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (G_IS_FILE (file));

  /* Make sure class_init (and libxml2's initialisation) ran here, not in
   * the worker. */
  g_type_ensure (OB_TYPE_OVF_DOCUMENT);

  load = g_new0 (LoadData, 1);
  load->file = g_object_ref (file);
  load->member = g_strdup (member_name);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_ovf_document_load_async);
  g_task_set_task_data (task, load, load_data_free);
  g_task_run_in_thread (task, load_thread);
}

ObOvfDocument *
ob_ovf_document_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
