/* ob-sandbox-templates.c: the /templates resource (list, get, edit).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ob-sandbox.h"
#include "ob-sandbox-mapper.h"
#include "ob-sandbox-resources.h"

static gboolean
template_cluster_cb (const ObSandboxTemplateRow *t,
                     gpointer                    user_data)
{
  ObSandboxTemplateRow *out = user_data;

  out->cluster_level = t->cluster_level;
  out->cpu_arch = g_strdup (t->cpu_arch);
  return FALSE;
}

/* The VM rule, on the template's cluster (Blank has none). */
static char *
template_balloon_refusal (ObSandboxRequest *req,
                          const char       *id)
{
  ObSandboxTemplateRow t = { NULL, };
  g_autofree char *arch = NULL;

  ob_sandbox_store_foreach_template (req->router->store, id, template_cluster_cb, &t, NULL);
  arch = (char *) t.cpu_arch;
  if (arch == NULL)
    return NULL;
  return ob_vm_balloon_refusal (ob_level_from_version (&t.cluster_level), arch, "edit", "Template");
}

static void
put_template (ObSandboxRequest *req,
              const char       *id)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *existing = NULL;
  gboolean failed = FALSE;
  gboolean has_name, has_balloon, balloon = FALSE;
  const char *name, *description;

  body = ob_request_read_body (req, TRUE, "template", &failed);
  if (failed)
    return;
  existing = ob_sandbox_store_find_template (req->router->store, id, NULL);
  if (existing == NULL)
    {
      ob_request_not_found (req);
      return;
    }

  if (!ob_mapper_read_template (body, &has_name, &name, &description, &has_balloon, &balloon, &error))
    {
      ob_request_fault (req, SOUP_STATUS_BAD_REQUEST, OB_REASON_INVALID, error->message);
      return;
    }
  /* The device era's rule; from 4.4.6 the flag is an editable template
   * field (@EditableVmTemplateField). */
  if (has_balloon && !req->router->flag_era)
    {
      ob_request_refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, "edit", "Template",
                         _("The memory balloon is not supported for templates."));
      return;
    }
  if (g_str_equal (id, OB_SANDBOX_BLANK_TEMPLATE_ID))
    {
      ob_request_refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, "edit", "Template",
                         _("Blank Template cannot be edited."));
      return;
    }

  if (has_name && (name == NULL || *name == '\0'))
    {
      ob_request_refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, "edit", "Template",
                         _("The Template name must not be empty."));
      return;
    }
  if (name != NULL && ob_vm_name_problem (name) != NULL)
    {
      ob_request_refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, "edit", "Template",
                         ob_vm_name_problem (name));
      return;
    }
  if (has_balloon && balloon)
    {
      g_autofree char *refusal = template_balloon_refusal (req, id);

      if (refusal != NULL)
        {
          ob_request_fault (req, SOUP_STATUS_BAD_REQUEST, OB_REASON_FAILED, refusal);
          return;
        }
    }
  if (!ob_request_begin (req))
    return;
  if (!ob_sandbox_store_update_template (req->router->store, id, name, description, &error) ||
      (has_balloon && !ob_sandbox_store_set_template_balloon (req->router->store, id, balloon, &error)))
    {
      ob_request_rollback (req);
      ob_request_internal_error (req, error);
      return;
    }
  if (!ob_request_commit (req, FALSE))
    return;
  ob_request_get_entities (req, &ob_templates_kind, id);
}

const ObEntityKind ob_templates_kind = {
  .plural = "templates",
  .singular = "template",
  .type = "Template",
  .foreach = (ObForeachFunc) ob_sandbox_store_foreach_template,
  .write_cb = ob_mapper_write_template_cb,
  .links = ob_mapper_template_links,
  .find = ob_sandbox_store_find_template,
  .put = put_template,
};
