/* ob-client-list.c: cluster and template lists, one VM by id or name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ob-client-private.h"
#include "ob-error.h"
#include "ob-rest-json.h"

/* Building models from a big response costs as much as parsing it: done
 * in a worker thread too. The node is handed over whole (nothing else
 * holds it) and the models are handed back. */

typedef GPtrArray *(*ParseListFunc) (JsonNode  *root,
                                     GError   **error);

/* Fewer entries than this are built in place: cheaper than a thread. */
#define OB_CLIENT_THREAD_BUILD_MIN 100

static guint
collection_length (JsonNode   *root,
                   const char *element)
{
  JsonObject *object;
  JsonNode *member;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  object = json_node_get_object (root);
  member = json_object_get_member (object, element);
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return 0;
  return json_array_get_length (json_node_get_array (member));
}

typedef struct
{
  JsonNode *root;
  ParseListFunc parse;
} ParseJob;

static void
parse_job_free (ParseJob *job)
{
  g_clear_pointer (&job->root, json_node_unref);
  g_free (job);
}

static void
parse_list_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ParseJob *job = task_data;
  GError *error = NULL;
  GPtrArray *items = job->parse (job->root, &error);

  g_clear_pointer (&job->root, json_node_unref);
  if (items == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
}

/* Takes @root; @element names its collection ("vm"). */
static void
parse_list_async (ObClient            *self,
                  JsonNode            *root,
                  const char          *element,
                  ParseListFunc        parse,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ParseJob *job = g_new0 (ParseJob, 1);

  g_task_set_source_tag (task, parse_list_async);
  job->root = root;
  job->parse = parse;
  g_task_set_task_data (task, job, (GDestroyNotify) parse_job_free);
  if (collection_length (root, element) >= OB_CLIENT_THREAD_BUILD_MIN)
    g_task_run_in_thread (task, parse_list_thread);
  else
    parse_list_thread (task, self, job, cancellable);
}

static GPtrArray *
parse_list_finish (GAsyncResult  *result,
                   GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Cluster and template lists */

static void
clusters_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObClient *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  GPtrArray *clusters;

  root = ob_connection_request_finish (OB_CONNECTION (source), result, NULL, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  clusters = ob_vm_json_parse_clusters (root, &error);
  if (clusters == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  ob_client_remember_clusters (self, clusters);
  g_task_return_pointer (task, clusters, (GDestroyNotify) g_ptr_array_unref);
}

void
ob_client_list_clusters_async (ObClient            *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OB_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_client_list_clusters_async);
  ob_connection_request_async (self->connection, "GET", "clusters", NULL, OB_REQUEST_NONE,
                               cancellable, clusters_cb, task);
}

GPtrArray *
ob_client_list_clusters_finish (ObClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
templates_parsed_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObClient *self = g_task_get_source_object (task);
  GError *error = NULL;
  GPtrArray *templates;
  guint i;

  templates = parse_list_finish (result, &error);
  if (templates == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (i = 0; i < templates->len; i++)
    {
      ObTemplate *template = g_ptr_array_index (templates, i);
      const char *cluster_id = ob_template_get_cluster_id (template);
      ObCluster *cluster = cluster_id ? g_hash_table_lookup (self->clusters, cluster_id) : NULL;

      if (cluster != NULL && ob_template_get_cluster_name (template) == NULL)
        ob_template_set_cluster_name (template, ob_cluster_get_name (cluster));
    }
  g_task_return_pointer (task, templates, (GDestroyNotify) g_ptr_array_unref);
}

static void
templates_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  ObClient *self = g_task_get_source_object (task);
  JsonNode *root;
  GError *error = NULL;

  root = ob_connection_request_finish (OB_CONNECTION (source), result, NULL, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  parse_list_async (self, root, "template", ob_vm_json_parse_templates, g_task_get_cancellable (task),
                    templates_parsed_cb, task);
}

void
ob_client_list_templates_async (ObClient            *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OB_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_client_list_templates_async);
  /* All content so the template's balloon state is known on old engines. */
  ob_connection_request_async (self->connection, "GET", "templates", NULL,
                               OB_REQUEST_ALL_CONTENT, cancellable, templates_cb, task);
}

GPtrArray *
ob_client_list_templates_finish (ObClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* One VM, read individually (so memory_policy.ballooning is present), with
 * its cluster from the cache or fetched. */

static void
fetch_cluster_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObClient *self = g_task_get_source_object (task);
  ObVm *vm = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(ObCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;

  root = ob_connection_request_finish (OB_CONNECTION (source), result, NULL, &error);
  if (root == NULL)
    {
      /* The VM is still useful without its cluster's details, but not if
       * the call was cancelled or the session broke. */
      if (!g_error_matches (error, OB_ERROR, OB_ERROR_NOT_FOUND))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_task_return_pointer (task, g_object_ref (vm), g_object_unref);
      return;
    }
  cluster = ob_vm_json_parse_cluster (root, &error);
  if (cluster == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  {
    g_autoptr(GPtrArray) one = g_ptr_array_new ();

    g_ptr_array_add (one, cluster);
    ob_client_remember_clusters (self, one);
  }
  ob_client_attach_cluster (self, vm);
  g_task_return_pointer (task, g_object_ref (vm), g_object_unref);
}

static void
fetch_vm_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObClient *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  ObVm *vm;
  const char *cluster_id;

  root = ob_connection_request_finish (OB_CONNECTION (source), result, NULL, &error);
  if (root == NULL)
    {
      const char *id = g_object_get_data (G_OBJECT (task), "vm-id");

      if (g_error_matches (error, OB_ERROR, OB_ERROR_NOT_FOUND))
        g_task_return_new_error (task, OB_ERROR, OB_ERROR_NOT_FOUND,
                                 _("The VM %s does not exist on the engine (it may have been deleted)."),
                                 id);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  vm = ob_vm_json_parse_vm (root, &error);
  if (vm == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, vm, g_object_unref);

  cluster_id = ob_vm_get_cluster_id (vm);
  if (cluster_id != NULL && ob_vm_get_cluster_version (vm) == NULL)
    {
      if (g_hash_table_contains (self->clusters, cluster_id))
        ob_client_attach_cluster (self, vm);
      else
        {
          g_autofree char *escaped = ob_client_escape_segment (cluster_id);
          g_autofree char *path = g_strconcat ("clusters/", escaped, NULL);

          ob_connection_request_async (self->connection, "GET", path, NULL, OB_REQUEST_NONE,
                                       g_task_get_cancellable (task), fetch_cluster_cb,
                                       g_object_ref (task));
          return;
        }
    }
  g_task_return_pointer (task, g_object_ref (vm), g_object_unref);
}

void
ob_client_fetch_vm_async (ObClient            *self,
                          const char          *id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *escaped = ob_client_escape_segment (id);
  g_autofree char *path = g_strconcat ("vms/", escaped, NULL);

  g_task_set_source_tag (task, ob_client_fetch_vm_async);
  g_object_set_data_full (G_OBJECT (task), "vm-id", g_strdup (id), g_free);
  ob_connection_request_async (self->connection, "GET", path, NULL, OB_REQUEST_NONE,
                               cancellable, fetch_vm_cb, task);
}

ObVm *
ob_client_fetch_vm_finish (ObClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
get_vm_fetched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  ObVm *vm = ob_client_fetch_vm_finish (OB_CLIENT (source), result, &error);

  if (vm == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, vm, g_object_unref);
}

static void
get_vm_search_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObClient *self = g_task_get_source_object (task);
  const char *name = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) vms = NULL;
  GError *error = NULL;
  guint i;

  root = ob_connection_request_finish (OB_CONNECTION (source), result, NULL, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  vms = ob_vm_json_parse_vms (root, &error);
  if (vms == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The search is case-insensitive and may match wildcards: only an exact
   * name counts. */
  for (i = 0; i < vms->len; i++)
    {
      ObVm *vm = g_ptr_array_index (vms, i);

      if (g_strcmp0 (ob_vm_get_name (vm), name) == 0)
        {
          ob_client_fetch_vm_async (self, ob_vm_get_id (vm), g_task_get_cancellable (task),
                                    get_vm_fetched_cb, g_object_ref (task));
          return;
        }
    }
  g_task_return_new_error (task, OB_ERROR, OB_ERROR_NOT_FOUND,
                           _("There is no VM named “%s”."), name);
}

void
ob_client_get_vm_async (ObClient            *self,
                        const char          *id_or_name,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  g_autofree char *search = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (OB_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_client_get_vm_async);

  if (id_or_name == NULL || *id_or_name == '\0')
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_USAGE, _("No VM was named."));
      g_object_unref (task);
      return;
    }

  if (ob_vm_json_is_id (id_or_name))
    {
      ob_client_fetch_vm_async (self, id_or_name, cancellable, get_vm_fetched_cb, task);
      return;
    }

  g_task_set_task_data (task, g_strdup (id_or_name), g_free);
  if (strpbrk (id_or_name, " \t\"") != NULL)
    {
      g_autoptr(GString) quoted = g_string_new ("name=\"");
      const char *p;

      for (p = id_or_name; *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (quoted, '\\');
          g_string_append_c (quoted, *p);
        }
      g_string_append_c (quoted, '"');
      search = g_string_free (g_steal_pointer (&quoted), FALSE);
    }
  else
    search = g_strconcat ("name=", id_or_name, NULL);
  escaped = g_uri_escape_string (search, NULL, FALSE);
  path = g_strconcat ("vms?search=", escaped, NULL);
  ob_connection_request_async (self->connection, "GET", path, NULL, OB_REQUEST_NONE,
                               cancellable, get_vm_search_cb, task);
}

ObVm *
ob_client_get_vm_finish (ObClient      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
