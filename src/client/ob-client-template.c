/* ob-client-template.c: the balloon of a template
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-client-private.h"
#include "ob-error.h"

static void
template_put_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObTemplate *template = g_task_get_task_data (task);
  gboolean enable = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "enable"));
  ObBalloonState wanted = enable ? OB_BALLOON_STATE_ON : OB_BALLOON_STATE_OFF;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(ObTemplate) updated = NULL;
  GError *error = NULL;

  root = ob_connection_request_finish (OB_CONNECTION (source), result, NULL, &error);
  if (root == NULL)
    {
      if (ob_client_outcome_unknown (error))
        g_prefix_error (&error, _("The change to template %s was sent but no answer came back; "
                                  "its balloon may or may not have changed: "),
                        ob_template_get_name (template));
      g_task_return_error (task, error);
      return;
    }
  updated = ob_vm_json_parse_template (root, &error);
  if (updated == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (ob_template_get_ballooning (updated) != OB_BALLOON_STATE_UNKNOWN &&
      ob_template_get_ballooning (updated) != wanted)
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_SERVER_FAULT,
                               _("Template %s: the engine accepted the change but still shows "
                                 "the memory balloon %s."),
                               ob_template_get_name (template),
                               ob_client_on_off (!enable));
      return;
    }
  ob_template_set_ballooning (updated, wanted);
  g_task_return_pointer (task, g_steal_pointer (&updated), g_object_unref);
}

void
ob_client_set_template_balloon_async (ObClient            *self,
                                      ObTemplate          *template,
                                      gboolean             enable,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;

  g_return_if_fail (OB_IS_CLIENT (self));
  g_return_if_fail (OB_IS_TEMPLATE (template));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_client_set_template_balloon_async);
  g_task_set_task_data (task, g_object_ref (template), g_object_unref);
  g_object_set_data (G_OBJECT (task), "enable", GINT_TO_POINTER (!!enable));

  if (ob_connection_get_balloon_era (self->connection) != OB_BALLOON_ERA_FLAG)
    {
      /* Translators: %u.%u.%u is the first engine version that keeps the
       * balloon as a flag, such as 4.4.6. */
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_REFUSED,
                               _("Template %s: this engine keeps the memory balloon as a device, "
                                 "and template editing of it is unsupported; that needs an "
                                 "engine of version %u.%u.%u or later."),
                               ob_template_get_name (template),
                               OB_BALLOON_FLAG_ERA_MAJOR, OB_BALLOON_FLAG_ERA_MINOR,
                               OB_BALLOON_FLAG_ERA_BUILD);
      return;
    }

  escaped = ob_client_escape_segment (ob_template_get_id (template));
  path = g_strconcat ("templates/", escaped, NULL);
  body = ob_vm_json_write_ballooning (enable);
  ob_connection_request_async (self->connection, "PUT", path, body, OB_REQUEST_NONE,
                               cancellable, template_put_cb, g_object_ref (task));
}

ObTemplate *
ob_client_set_template_balloon_finish (ObClient      *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
