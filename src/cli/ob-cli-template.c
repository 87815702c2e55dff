/* ob-cli-template.c: `ovirt-balloon-cli template list`, the templates
 * with their balloon state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ob-cli-template.h"
#include "ob-error.h"

static int
cmd_template_list (ObCliSession             *session,
                   const ObCliOutputOptions *output,
                   guint                     n_operands)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) clusters_result = NULL;
  g_autoptr(GPtrArray) clusters = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  guint i;

  if (n_operands != 0)
    return ob_cli_usage_error (_("template list takes no operands."));
  if (!ob_cli_session_open (session, &error))
    return ob_cli_session_report (session, error);
  /* Clusters first, so templates can show their cluster's name. */
  ob_client_list_clusters_async (session->client, session->cancellable, ob_cli_store_result, &clusters_result);
  clusters = ob_client_list_clusters_finish (session->client, ob_cli_wait_for (&clusters_result), &error);
  if (clusters == NULL)
    return ob_cli_session_report (session, error);
  ob_client_list_templates_async (session->client, session->cancellable, ob_cli_store_result, &result);
  templates = ob_client_list_templates_finish (session->client, ob_cli_wait_for (&result), &error);
  if (templates == NULL)
    return ob_cli_session_report (session, error);

  if (output->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (i = 0; i < templates->len; i++)
        {
          ObTemplate *template = g_ptr_array_index (templates, i);

          json_builder_begin_object (builder);
          ob_cli_add_string_or_null (builder, "id", ob_template_get_id (template));
          ob_cli_add_string_or_null (builder, "name", ob_template_get_name (template));
          ob_cli_add_string_or_null (builder, "cluster", ob_template_get_cluster_name (template));
          ob_cli_add_balloon_state (builder, "balloon_enabled", ob_template_get_ballooning (template));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      ob_cli_print_json (builder);
    }
  else
    {
      g_autoptr(GPtrArray) rows = ob_cli_rows_new ();

      ob_cli_add_row (rows, _("NAME"), _("CLUSTER"), _("BALLOON"), NULL);
      for (i = 0; i < templates->len; i++)
        {
          ObTemplate *template = g_ptr_array_index (templates, i);

          ob_cli_add_row (rows, ob_cli_or_dash (ob_template_get_name (template)),
                   ob_cli_or_dash (ob_template_get_cluster_name (template)),
                   ob_cli_balloon_text (ob_template_get_ballooning (template)), NULL);
        }
      ob_cli_print_table (rows, 3);
    }
  ob_cli_session_close (session);
  return OB_EXIT_OK;
}

int
ob_cli_template_main (ObCliSession             *session,
                      const ObCliOutputOptions *output,
                      const char               *command,
                      char                    **operands)
{
  if (strcmp (command, "list") == 0)
    return cmd_template_list (session, output, g_strv_length (operands));
  return ob_cli_usage_error (_("Unknown command “%s %s”."), "template", command);
}
