/* ob-cli-cluster.c: `ovirt-balloon-cli cluster list`, the clusters with
 * their compatibility level and whether they allow the balloon
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ob-cli-cluster.h"
#include "ob-error.h"

static int
cmd_cluster_list (ObCliSession             *session,
                  const ObCliOutputOptions *output,
                  guint                     n_operands)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) clusters = NULL;
  guint i;

  if (n_operands != 0)
    return ob_cli_usage_error (_("cluster list takes no operands."));
  if (!ob_cli_session_open (session, &error))
    return ob_cli_session_report (session, error);
  ob_client_list_clusters_async (session->client, session->cancellable, ob_cli_store_result, &result);
  clusters = ob_client_list_clusters_finish (session->client, ob_cli_wait_for (&result), &error);
  if (clusters == NULL)
    return ob_cli_session_report (session, error);

  if (output->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (i = 0; i < clusters->len; i++)
        {
          ObCluster *cluster = g_ptr_array_index (clusters, i);

          json_builder_begin_object (builder);
          ob_cli_add_string_or_null (builder, "id", ob_cluster_get_id (cluster));
          ob_cli_add_string_or_null (builder, "name", ob_cluster_get_name (cluster));
          ob_cli_add_string_or_null (builder, "version", ob_cluster_get_version (cluster));
          ob_cli_add_string_or_null (builder, "cpu_architecture", ob_cluster_get_cpu_arch (cluster));
          json_builder_set_member_name (builder, "balloon_allowed");
          json_builder_add_boolean_value (builder, ob_cluster_get_balloon_allowed (cluster));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      ob_cli_print_json (builder);
    }
  else
    {
      g_autoptr(GPtrArray) rows = ob_cli_rows_new ();

      ob_cli_add_row (rows, _("NAME"), _("LEVEL"), _("ARCH"), _("BALLOON ALLOWED"), NULL);
      for (i = 0; i < clusters->len; i++)
        {
          ObCluster *cluster = g_ptr_array_index (clusters, i);

          ob_cli_add_row (rows, ob_cli_or_dash (ob_cluster_get_name (cluster)), ob_cli_or_dash (ob_cluster_get_version (cluster)),
                   ob_cli_or_dash (ob_cluster_get_cpu_arch (cluster)),
                   ob_cluster_get_balloon_allowed (cluster) ? _("yes") : _("no"), NULL);
        }
      ob_cli_print_table (rows, 4);
    }
  ob_cli_session_close (session);
  return OB_EXIT_OK;
}

int
ob_cli_cluster_main (ObCliSession             *session,
                     const ObCliOutputOptions *output,
                     const char               *command,
                     char                    **operands)
{
  if (strcmp (command, "list") == 0)
    return cmd_cluster_list (session, output, g_strv_length (operands));
  return ob_cli_usage_error (_("Unknown command “%s %s”."), "cluster", command);
}
