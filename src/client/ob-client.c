/* ob-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ob-client.h"
#include "ob-error.h"
#include "ob-rest-json.h"

struct _ObClient
{
  GObject parent_instance;

  ObConnection *connection;
  guint page_size;
  /* id -> ObCluster, refreshed by every cluster listing: VMs only carry
   * their cluster's id. */
  GHashTable *clusters;
};

G_DEFINE_FINAL_TYPE (ObClient, ob_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
ob_change_outcome_to_string (ObChangeOutcome outcome)
{
  switch (outcome)
    {
    case OB_CHANGE_APPLIED:
      return "applied";
    case OB_CHANGE_NEXT_RUN:
      return "next-run";
    case OB_CHANGE_UNCHANGED:
      return "unchanged";
    case OB_CHANGE_SKIPPED:
      return "skipped";
    case OB_CHANGE_FAILED:
    default:
      return "failed";
    }
}

void
ob_balloon_result_free (ObBalloonResult *result)
{
  if (result == NULL)
    return;
  g_clear_object (&result->vm);
  g_free (result->message);
  g_clear_error (&result->error);
  g_free (result);
}

static ObBalloonResult *
balloon_result_new (ObVm            *vm,
                    ObChangeOutcome  outcome,
                    char            *message,
                    GError          *error)
{
  ObBalloonResult *result = g_new0 (ObBalloonResult, 1);

  result->vm = vm != NULL ? g_object_ref (vm) : NULL;
  result->outcome = outcome;
  result->message = message;
  result->error = error;
  return result;
}

static void
ob_client_dispose (GObject *object)
{
  ObClient *self = OB_CLIENT (object);

  g_clear_object (&self->connection);
  g_clear_pointer (&self->clusters, g_hash_table_unref);

  G_OBJECT_CLASS (ob_client_parent_class)->dispose (object);
}

static void
ob_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ObClient *self = OB_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_client_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  ObClient *self = OB_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_client_class_init (ObClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ob_client_dispose;
  object_class->get_property = ob_client_get_property;
  object_class->set_property = ob_client_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, OB_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ob_client_init (ObClient *self)
{
  self->page_size = OB_CLIENT_DEFAULT_PAGE_SIZE;
  self->clusters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

ObClient *
ob_client_new (ObConnection *connection)
{
  g_return_val_if_fail (OB_IS_CONNECTION (connection), NULL);
  return g_object_new (OB_TYPE_CLIENT, "connection", connection, NULL);
}

ObConnection *
ob_client_get_connection (ObClient *self)
{
  g_return_val_if_fail (OB_IS_CLIENT (self), NULL);
  return self->connection;
}

void
ob_client_set_page_size (ObClient *self,
                         guint     page_size)
{
  g_return_if_fail (OB_IS_CLIENT (self));
  self->page_size = MAX (page_size, 1);
}

static void
remember_clusters (ObClient  *self,
                   GPtrArray *clusters)
{
  guint i;

  for (i = 0; i < clusters->len; i++)
    {
      ObCluster *cluster = g_ptr_array_index (clusters, i);
      ObCluster *known = g_hash_table_lookup (self->clusters, ob_cluster_get_id (cluster));

      if (known != NULL)
        ob_cluster_update_from (known, cluster);
      else
        g_hash_table_insert (self->clusters, g_strdup (ob_cluster_get_id (cluster)),
                             g_object_ref (cluster));
    }
}

static void
attach_cluster (ObClient *self,
                ObVm     *vm)
{
  const char *cluster_id = ob_vm_get_cluster_id (vm);
  ObCluster *cluster;

  if (cluster_id == NULL)
    return;
  cluster = g_hash_table_lookup (self->clusters, cluster_id);
  if (cluster != NULL)
    ob_vm_set_cluster (vm, cluster);
}

static char *
escape_segment (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

static gboolean
looks_like_uuid (const char *text)
{
  return text != NULL && strlen (text) == 36 && g_uuid_string_is_valid (text);
}

static const char *
bool_text (gboolean value)
{
  return value ? "true" : "false";
}

/* {"memory_policy": {"ballooning": "false"}}: the value is always sent,
 * false included, as a string the way the engine writes booleans. */
static char *
ballooning_body (gboolean enable)
{
  return g_strdup_printf ("{\"memory_policy\":{\"ballooning\":\"%s\"}}", bool_text (enable));
}

/* After a write was sent, a lost connection or a timeout leaves its fate
 * unknown: say so rather than imply nothing happened. */
static gboolean
outcome_unknown (const GError *error)
{
  return g_error_matches (error, OB_ERROR, OB_ERROR_CONNECT) ||
         g_error_matches (error, OB_ERROR, OB_ERROR_TIMEOUT);
}

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
  clusters = ob_rest_json_parse_clusters (root, &error);
  if (clusters == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  remember_clusters (self, clusters);
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
  parse_list_async (self, root, "template", ob_rest_json_parse_templates, g_task_get_cancellable (task),
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

/* VM list: clusters first (VMs carry only a cluster id), then page by
 * page so that 10,000 VMs never sit in memory as one JSON tree and the
 * caller can show progress. */

typedef struct
{
  char *search;
  ObListFlags flags;
  ObProgressFunc progress;
  ObListPageFunc page_func;
  gpointer progress_data;
  GDestroyNotify progress_destroy;
  GPtrArray *vms;
  GHashTable *seen;   /* ids, to stop on engines that ignore paging */
  guint page;
} ListData;

static void
list_data_free (ListData *data)
{
  g_free (data->search);
  if (data->progress_destroy != NULL)
    data->progress_destroy (data->progress_data);
  g_clear_pointer (&data->vms, g_ptr_array_unref);
  g_clear_pointer (&data->seen, g_hash_table_unref);
  g_free (data);
}

static void list_next_page (GTask *task);

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

static void
list_page_parsed_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObClient *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) vms = NULL;
  g_autoptr(GPtrArray) added = NULL;
  GError *error = NULL;
  guint i, fresh = 0;

  vms = parse_list_finish (result, &error);
  if (vms == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  added = g_ptr_array_new ();
  for (i = 0; i < vms->len; i++)
    {
      ObVm *vm = g_ptr_array_index (vms, i);

      if (!g_hash_table_add (data->seen, g_strdup (ob_vm_get_id (vm))))
        continue;
      attach_cluster (self, vm);
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
      g_task_return_pointer (task, g_steal_pointer (&data->vms), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  list_report (data, added, data->vms->len,
               MAX (ob_connection_get_vm_total (self->connection), data->vms->len + 1));
  data->page++;
  list_next_page (g_object_ref (task));
}

static void
list_page_cb (GObject      *source,
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
  parse_list_async (self, root, "vm", ob_rest_json_parse_vms, g_task_get_cancellable (task),
                    list_page_parsed_cb, task);
}

static void
list_next_page (GTask *task)
{
  ObClient *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);
  g_autofree char *search = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  if (data->search != NULL && *data->search != '\0')
    search = g_strdup_printf ("%s page %u", data->search, data->page);
  else
    search = g_strdup_printf ("page %u", data->page);
  escaped = g_uri_escape_string (search, NULL, FALSE);
  path = g_strdup_printf ("vms?search=%s&max=%u", escaped, self->page_size);

  ob_connection_request_async (self->connection, "GET", path, NULL,
                               (data->flags & OB_LIST_ALL_CONTENT) ? OB_REQUEST_ALL_CONTENT : OB_REQUEST_NONE,
                               g_task_get_cancellable (task), list_page_cb, task);
}

static void
list_clusters_first_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) clusters = NULL;
  GError *error = NULL;

  clusters = ob_client_list_clusters_finish (OB_CLIENT (source), result, &error);
  if (clusters == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  list_next_page (g_object_ref (task));
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
  data->page = 1;
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);

  ob_client_list_clusters_async (self, cancellable, list_clusters_first_cb, task);
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
  cluster = ob_rest_json_parse_cluster (root, &error);
  if (cluster == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  {
    g_autoptr(GPtrArray) one = g_ptr_array_new ();

    g_ptr_array_add (one, cluster);
    remember_clusters (self, one);
  }
  attach_cluster (self, vm);
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
  vm = ob_rest_json_parse_vm (root, &error);
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
        attach_cluster (self, vm);
      else
        {
          g_autofree char *escaped = escape_segment (cluster_id);
          g_autofree char *path = g_strconcat ("clusters/", escaped, NULL);

          ob_connection_request_async (self->connection, "GET", path, NULL, OB_REQUEST_NONE,
                                       g_task_get_cancellable (task), fetch_cluster_cb,
                                       g_object_ref (task));
          return;
        }
    }
  g_task_return_pointer (task, g_object_ref (vm), g_object_unref);
}

static void
fetch_vm_async (ObClient            *self,
                const char          *id,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *escaped = escape_segment (id);
  g_autofree char *path = g_strconcat ("vms/", escaped, NULL);

  g_task_set_source_tag (task, fetch_vm_async);
  g_object_set_data_full (G_OBJECT (task), "vm-id", g_strdup (id), g_free);
  ob_connection_request_async (self->connection, "GET", path, NULL, OB_REQUEST_NONE,
                               cancellable, fetch_vm_cb, task);
}

static ObVm *
fetch_vm_finish (ObClient      *self,
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
  ObVm *vm = fetch_vm_finish (OB_CLIENT (source), result, &error);

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
  vms = ob_rest_json_parse_vms (root, &error);
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
          fetch_vm_async (self, ob_vm_get_id (vm), g_task_get_cancellable (task),
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

  if (looks_like_uuid (id_or_name))
    {
      fetch_vm_async (self, id_or_name, cancellable, get_vm_fetched_cb, task);
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
  char *old_name;        /* for messages: the name the user knows */
} SetData;

static void
set_data_free (SetData *data)
{
  g_clear_object (&data->vm);
  g_free (data->name);
  g_free (data->description);
  g_free (data->old_name);
  g_free (data);
}

static const char *
on_off (gboolean enable)
{
  return enable ? _("on") : _("off");
}

static gboolean
check_policy (ObVm     *vm,
              GError  **error)
{
  ObCompatVersion level;
  g_autoptr(GError) local_error = NULL;
  gboolean known = ob_vm_get_effective_level (vm, &level);

  if (ob_balloon_policy_check_enable (known ? &level : NULL, ob_vm_get_cpu_arch (vm), &local_error))
    return TRUE;
  g_set_error (error, OB_ERROR, OB_ERROR_REFUSED,
               _("VM %s: %s"), ob_vm_get_name (vm), local_error->message);
  return FALSE;
}

static gboolean
balloon_only (SetData *data)
{
  return data->fields == OB_VM_FIELD_BALLOONING;
}

/* The fields of @data that @vm does not show yet. */
static ObVmFields
set_differing (SetData *data,
               ObVm    *vm)
{
  ObVmFields differ = OB_VM_FIELD_NONE;
  ObBalloonState wanted = data->enable ? OB_BALLOON_STATE_ON : OB_BALLOON_STATE_OFF;

  if ((data->fields & OB_VM_FIELD_NAME) && g_strcmp0 (ob_vm_get_name (vm), data->name) != 0)
    differ |= OB_VM_FIELD_NAME;
  if ((data->fields & OB_VM_FIELD_DESCRIPTION) &&
      g_strcmp0 (ob_vm_get_description (vm) ? ob_vm_get_description (vm) : "", data->description) != 0)
    differ |= OB_VM_FIELD_DESCRIPTION;
  if ((data->fields & OB_VM_FIELD_MEMORY) && ob_vm_get_memory (vm) != data->memory)
    differ |= OB_VM_FIELD_MEMORY;
  if ((data->fields & OB_VM_FIELD_BALLOONING) && ob_vm_get_ballooning (vm) != wanted)
    differ |= OB_VM_FIELD_BALLOONING;
  return differ;
}

/* Only the fields in @fields; ballooning as a string, false included, the
 * way the engine writes booleans, and memory as a string of bytes. */
static char *
update_body (SetData    *data,
             ObVmFields  fields)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  if (fields & OB_VM_FIELD_NAME)
    {
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, data->name);
    }
  if (fields & OB_VM_FIELD_DESCRIPTION)
    {
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, data->description);
    }
  if (fields & OB_VM_FIELD_MEMORY)
    {
      g_autofree char *bytes = g_strdup_printf ("%" G_GUINT64_FORMAT, data->memory);

      json_builder_set_member_name (builder, "memory");
      json_builder_add_string_value (builder, bytes);
    }
  if (fields & OB_VM_FIELD_BALLOONING)
    {
      json_builder_set_member_name (builder, "memory_policy");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "ballooning");
      json_builder_add_string_value (builder, bool_text (data->enable));
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
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
        message = g_strdup_printf (_("VM %s: balloon already %s."), name, on_off (data->enable));
      else if (outcome == OB_CHANGE_NEXT_RUN)
        message = g_strdup_printf (_("VM %s: balloon %s stored as the next-run "
                                     "configuration; it applies when the VM next starts."),
                                   name, on_off (data->enable));
      else
        message = g_strdup_printf (_("VM %s: balloon turned %s."), name, on_off (data->enable));
    }
  else
    {
      if (outcome == OB_CHANGE_UNCHANGED)
        message = g_strdup_printf (_("VM %s: it already has these values; nothing was sent."), name);
      else if (outcome == OB_CHANGE_NEXT_RUN)
        message = g_strdup_printf (_("VM %s: the changes that need a restart are stored as the next-run "
                                     "configuration; they apply when the VM next starts."),
                                   name);
      else
        message = g_strdup_printf (_("VM %s: changes saved."), name);
    }
  g_task_return_pointer (task, balloon_result_new (data->vm, outcome, message, NULL),
                         (GDestroyNotify) ob_balloon_result_free);
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
      else if (outcome_unknown (error))
        g_task_return_new_error (task, OB_ERROR, error->code,
                                 _("VM %s: the update was sent but no answer came back (%s); it may or "
                                   "may not have been applied. Check the VM before trying again."),
                                 name, error->message);
      else
        g_task_return_new_error (task, OB_ERROR, error->code,
                                 _("VM %s: %s"), name, error->message);
      return;
    }
  updated = ob_rest_json_parse_vm (root, &error);
  if (updated == NULL)
    {
      g_task_return_new_error (task, OB_ERROR, error->code,
                               _("VM %s: the update was sent, but the engine's answer cannot be read: %s"),
                               name, error->message);
      return;
    }
  attach_cluster (self, updated);
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

  fresh = fetch_vm_finish (self, result, &error);
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
  if ((data->fields & OB_VM_FIELD_BALLOONING) && data->enable && !check_policy (fresh, &error))
    {
      ob_vm_update_from (data->vm, fresh);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  loaded = ob_vm_get_ballooning (data->vm);
  current = ob_vm_get_ballooning (fresh);
  if ((data->fields & OB_VM_FIELD_BALLOONING) && !(data->flags & OB_SET_BALLOON_FORCE) &&
      loaded != OB_BALLOON_STATE_UNKNOWN && current != OB_BALLOON_STATE_UNKNOWN &&
      loaded != current)
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
  escaped = escape_segment (ob_vm_get_id (fresh));
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

      check_policy (vm, &error);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  fetch_vm_async (self, ob_vm_get_id (vm), cancellable, set_reread_cb, task);
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
      outcome = balloon_result_new (vm, skipped ? OB_CHANGE_SKIPPED : OB_CHANGE_FAILED,
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
      if (outcome_unknown (error))
        g_prefix_error (&error, _("The request to create VM %s was sent but no answer came back; "
                                  "the VM may or may not exist now: "),
                        data->name);
      g_task_return_error (task, error);
      return;
    }
  vm = ob_rest_json_parse_vm (root, &error);
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
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) body_node = NULL;
  g_autofree char *body = NULL;
  GError *error = NULL;
  ObBalloonVerdict verdict;
  ObCompatVersion level;
  gboolean level_known;
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
  level_known = ob_cluster_get_level (data->resolved, &level);
  if (data->balloon == OB_BALLOON_STATE_ON)
    {
      if (!ob_balloon_policy_check_enable (level_known ? &level : NULL,
                                           ob_cluster_get_cpu_arch (data->resolved), &error))
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
      g_autofree char *reason = ob_balloon_policy_describe (verdict, level_known ? &level : NULL,
                                                            ob_cluster_get_cpu_arch (data->resolved));
      data->enable = FALSE;
      data->note = g_strdup_printf (_("The memory balloon is off: cluster %s does not allow it. %s"),
                                    ob_cluster_get_name (data->resolved), reason);
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, data->name);
  json_builder_set_member_name (builder, "cluster");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, ob_cluster_get_id (data->resolved));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "template");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, looks_like_uuid (data->template_name) ? "id" : "name");
  json_builder_add_string_value (builder, data->template_name);
  json_builder_end_object (builder);
  if (data->memory > 0)
    {
      g_autofree char *memory = g_strdup_printf ("%" G_GUINT64_FORMAT, data->memory);

      json_builder_set_member_name (builder, "memory");
      json_builder_add_string_value (builder, memory);
    }
  json_builder_set_member_name (builder, "memory_policy");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ballooning");
  json_builder_add_string_value (builder, bool_text (data->enable));
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  body_node = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, body_node);
  body = json_generator_to_data (generator, NULL);

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

/* Run Once with a balloon override */

typedef struct
{
  ObVm *vm;
  gboolean enable;
  ObRunOnceFlags flags;
  ObBalloonState original;
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
  g_autofree char *escaped = escape_segment (ob_vm_get_id (vm));
  return g_strconcat ("vms/", escaped, suffix, NULL);
}

static char *
start_body (RunData  *data,
            gboolean  with_override)
{
  const char *volatile_member = (data->flags & OB_RUN_ONCE_VOLATILE) ? "\"volatile\":\"true\"" : NULL;

  if (with_override)
    return g_strdup_printf ("{%s%s\"vm\":{\"memory_policy\":{\"ballooning\":\"%s\"}}}",
                            volatile_member ? volatile_member : "",
                            volatile_member ? "," : "",
                            bool_text (data->enable));
  return g_strdup_printf ("{%s}", volatile_member ? volatile_member : "");
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
  fresh = fetch_vm_finish (OB_CLIENT (source), result, &error);
  if (fresh != NULL)
    ob_vm_update_from (data->vm, fresh);
  g_task_return_pointer (task,
                         balloon_result_new (data->vm, OB_CHANGE_APPLIED,
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
  fetch_vm_async (self, ob_vm_get_id (data->vm), g_task_get_cancellable (task),
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
      if (outcome_unknown (error))
        g_prefix_error (&error, _("VM %s: the start was sent but no answer came back; it may or may "
                                  "not be starting: "), name);
      else
        g_prefix_error (&error, _("VM %s was not started: "), name);
      g_task_return_error (task, error);
      return;
    }
  run_succeed (g_object_ref (task),
               g_strdup_printf (_("VM %s started once with the balloon %s; its stored setting is unchanged."),
                                name, on_off (data->enable)));
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
    updated = ob_rest_json_parse_vm (root, &error);
  if (updated == NULL || !ob_vm_get_next_run_configuration_exists (updated))
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_FAILED,
                               _("VM %s was started with the balloon %s, but storing the original setting "
                                 "(%s) as the next-run configuration failed: %s. The VM keeps the balloon %s "
                                 "after this run until it is changed."),
                               name, on_off (data->enable), on_off (original_on),
                               error ? error->message : _("the engine shows no next-run configuration"),
                               on_off (data->enable));
      return;
    }
  run_succeed (g_object_ref (task),
               g_strdup_printf (_("VM %s started once with the balloon %s (emulated: the setting was changed, "
                                  "the VM started, and the original setting %s stored as the next-run "
                                  "configuration)."),
                                name, on_off (data->enable), on_off (original_on)));
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
                             name, data->start_error->message, on_off (original_on),
                             error->message, on_off (data->enable));
  else
    {
      g_autoptr(ObVm) restored = ob_rest_json_parse_vm (root, NULL);

      if (restored != NULL)
        ob_vm_update_from (data->vm, restored);
      if (outcome_unknown (data->start_error))
        g_task_return_new_error (task, OB_ERROR, data->start_error->code,
                                 _("VM %s: the start was sent but no answer came back (%s); its stored balloon "
                                   "setting was put back to %s. If the VM did start, it runs with the "
                                   "balloon %s this time."),
                                 name, data->start_error->message, on_off (original_on),
                                 on_off (data->enable));
      else
        g_task_return_new_error (task, OB_ERROR, data->start_error->code,
                                 _("VM %s could not be started (%s); its balloon setting was restored to %s "
                                   "and nothing else changed."),
                                 name, data->start_error->message, on_off (original_on));
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
      body = ballooning_body (data->original == OB_BALLOON_STATE_ON);
      path = vm_path (data->vm, "");
      ob_connection_request_async (self->connection, "PUT", path, body, OB_REQUEST_NONE,
                                   NULL, run_restore_cb, g_object_ref (task));
      return;
    }

  /* Running now: the engine stores this as the next-run configuration. */
  body = ballooning_body (data->original == OB_BALLOON_STATE_ON);
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
                                name, on_off (data->enable)));
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

  fresh = fetch_vm_finish (self, result, &error);
  if (fresh == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  ob_vm_update_from (data->vm, fresh);

  if (data->enable && !check_policy (fresh, &error))
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

  body = ballooning_body (data->enable);
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

  fetch_vm_async (self, ob_vm_get_id (vm), cancellable, run_reread_cb, task);
}

ObBalloonResult *
ob_client_run_once_finish (ObClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
