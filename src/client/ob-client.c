/* ob-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-client-private.h"
#include "ob-error.h"

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
    case OB_CHANGE_PENDING_CANCELLED:
      return "pending-cancelled";
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

ObBalloonResult *
ob_balloon_result_new (ObVm            *vm,
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

void
ob_client_remember_clusters (ObClient  *self,
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

void
ob_client_attach_cluster (ObClient *self,
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

char *
ob_client_escape_segment (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

/* After a write was sent, a lost connection or a timeout leaves its fate
 * unknown: say so rather than imply nothing happened. */
gboolean
ob_client_outcome_unknown (const GError *error)
{
  return g_error_matches (error, OB_ERROR, OB_ERROR_CONNECT) ||
         g_error_matches (error, OB_ERROR, OB_ERROR_TIMEOUT);
}

const char *
ob_client_on_off (gboolean enable)
{
  return enable ? _("on") : _("off");
}

gboolean
ob_client_check_policy (ObVm     *vm,
                        GError  **error)
{
  g_autoptr(GError) local_error = NULL;

  if (ob_balloon_policy_check_enable (ob_vm_get_effective_level (vm), ob_vm_get_cpu_arch (vm),
                                      &local_error))
    return TRUE;
  g_set_error (error, OB_ERROR, OB_ERROR_REFUSED,
               _("VM %s: %s"), ob_vm_get_name (vm), local_error->message);
  return FALSE;
}
