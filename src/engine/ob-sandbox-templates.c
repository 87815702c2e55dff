/* ob-sandbox-templates.c: the /templates resource (list, get, edit).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ob-sandbox.h"
#include "ob-sandbox-mapper.h"
#include "ob-sandbox-resources.h"

static void
put_template (ObSandboxRequest *req,
              const char       *id)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *existing = NULL;
  gboolean failed = FALSE;
  gboolean ignored;
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

  ob_repr_get_bool (body, "memory_policy/ballooning", &ignored, &error);
  if (error != NULL)
    {
      ob_request_fault (req, SOUP_STATUS_BAD_REQUEST, OB_REASON_INVALID, error->message);
      return;
    }
  if (ob_repr_has_member (body, "memory_policy/ballooning"))
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

  name = ob_repr_get_string (body, "name");
  description = ob_repr_get_string (body, "description");
  if (ob_repr_has_member (body, "name") && (name == NULL || *name == '\0'))
    {
      ob_request_refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, "edit", "Template",
                         _("The Template name must not be empty."));
      return;
    }
  if (!ob_request_begin (req))
    return;
  if (!ob_sandbox_store_update_template (req->router->store, id, name, description, &error))
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
