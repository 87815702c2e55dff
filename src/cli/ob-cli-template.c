/* ob-cli-template.c: `ovirt-balloon-cli template list`, the templates
 * with their balloon state, and `template set-balloon`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ob-cli-template.h"
#include "ob-error.h"

/* @cluster_name: the template's cluster, which a template's own
 * representation names only by id. */
static void
add_template_json (JsonBuilder *builder,
                   ObTemplate  *template,
                   const char  *cluster_name)
{
  json_builder_begin_object (builder);
  ob_cli_add_string_or_null (builder, "id", ob_template_get_id (template));
  ob_cli_add_string_or_null (builder, "name", ob_template_get_name (template));
  ob_cli_add_string_or_null (builder, "cluster", cluster_name);
  ob_cli_add_balloon_state (builder, "balloon_enabled", ob_template_get_ballooning (template));
  json_builder_end_object (builder);
}

static void
add_template_list_json (JsonBuilder *builder,
                        gpointer     item)
{
  add_template_json (builder, item, ob_template_get_cluster_name (item));
}

static void
add_template_row (GPtrArray *rows,
                  gpointer   item)
{
  ObTemplate *template = item;

  ob_cli_add_row (rows, ob_cli_or_dash (ob_template_get_name (template)),
                  ob_cli_or_dash (ob_template_get_cluster_name (template)),
                  ob_cli_balloon_text (ob_template_get_ballooning (template)), NULL);
}

/* The templates, with their clusters' names (clusters are listed first
 * for that). */
static GPtrArray *
list_templates (ObCliSession  *session,
                GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) clusters_result = NULL;
  g_autoptr(GPtrArray) clusters = NULL;

  ob_client_list_clusters_async (session->client, session->cancellable, ob_cli_store_result, &clusters_result);
  clusters = ob_client_list_clusters_finish (session->client, ob_cli_wait_for (&clusters_result), error);
  if (clusters == NULL)
    return NULL;
  ob_client_list_templates_async (session->client, session->cancellable, ob_cli_store_result, &result);
  return ob_client_list_templates_finish (session->client, ob_cli_wait_for (&result), error);
}

static int
cmd_template_list (ObCliSession             *session,
                   const ObCliOutputOptions *output,
                   guint                     n_operands)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  const char *headers[] = { _("NAME"), _("CLUSTER"), _("BALLOON"), NULL };

  if (n_operands != 0)
    return ob_cli_usage_error (_("template list takes no operands."));
  if (!ob_cli_session_open (session, &error))
    return ob_cli_session_report (session, error);
  templates = list_templates (session, &error);
  if (templates == NULL)
    return ob_cli_session_report (session, error);

  ob_cli_print_list (output, templates, add_template_list_json, headers, add_template_row);
  ob_cli_session_close (session);
  return OB_EXIT_OK;
}

/* A template by name or id, from the engine's list (templates are few). */
static ObTemplate *
find_template (ObCliSession  *session,
               const char    *name_or_id,
               GError       **error)
{
  g_autoptr(GPtrArray) templates = list_templates (session, error);

  if (templates == NULL)
    return NULL;
  for (guint i = 0; i < templates->len; i++)
    {
      ObTemplate *template = g_ptr_array_index (templates, i);

      if (g_strcmp0 (ob_template_get_name (template), name_or_id) == 0 ||
          g_strcmp0 (ob_template_get_id (template), name_or_id) == 0)
        return g_object_ref (template);
    }
  g_set_error (error, OB_ERROR, OB_ERROR_NOT_FOUND, _("No template named “%s”."), name_or_id);
  return NULL;
}

static int
cmd_template_set_balloon (ObCliSession             *session,
                          const ObCliOutputOptions *output,
                          char                    **operands)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ObTemplate) template = NULL;
  g_autoptr(ObTemplate) updated = NULL;
  gboolean enable;

  if (g_strv_length (operands) != 2)
    return ob_cli_usage_error (_("template set-balloon takes a TEMPLATE and on or off."));
  if (!ob_cli_parse_on_off (operands[1], &enable))
    return ob_cli_usage_error (_("template set-balloon: the last operand must be on or off, not “%s”."),
                               operands[1]);
  if (!ob_cli_session_open (session, &error))
    return ob_cli_session_report (session, error);
  template = find_template (session, operands[0], &error);
  if (template == NULL)
    return ob_cli_session_report (session, error);

  /* The client refuses on a device-era engine before sending anything. */
  ob_client_set_template_balloon_async (session->client, template, enable, session->cancellable,
                                        ob_cli_store_result, &result);
  updated = ob_client_set_template_balloon_finish (session->client, ob_cli_wait_for (&result), &error);
  if (updated == NULL)
    return ob_cli_session_report (session, error);

  if (output->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      add_template_json (builder, updated, ob_template_get_cluster_name (template));
      ob_cli_print_json (builder);
    }
  else
    /* Translators: the first %s is a template name, the second "on" or "off". */
    ob_cli_print_line (_("Template %s: memory balloon %s."), ob_template_get_name (updated),
                       ob_cli_balloon_text (ob_template_get_ballooning (updated)));
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
  if (strcmp (command, "set-balloon") == 0)
    return cmd_template_set_balloon (session, output, operands);
  return ob_cli_usage_error (_("Unknown command “%s %s”."), "template", command);
}
