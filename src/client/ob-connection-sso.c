/* ob-connection-sso.c: SSO login and logout (Basic when SSO is absent)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "ob-connection-private.h"
#include "ob-error.h"
#include "ob-rest-json.h"

/* SSO */

typedef struct
{
  SoupMessage *msg;
  gboolean absent;
  ObDeadline deadline;
} SsoCall;

static void
sso_call_free (SsoCall *call)
{
  g_clear_object (&call->msg);
  ob_deadline_stop (&call->deadline);
  g_free (call);
}

static void
sso_sent_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObConnection *self = g_task_get_source_object (task);
  SsoCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  GError *token_error = NULL;
  guint status;
  gsize len = 0;
  const char *data;
  char *token;

  body = ob_connection_send_finish (self, result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  status = soup_message_get_status (call->msg);
  data = g_bytes_get_data (body, &len);

  if (status == SOUP_STATUS_NOT_FOUND)
    {
      /* No SSO service: an engine before 4.0 or one behind a proxy that
       * only exposes the API. Basic authentication is the fallback. */
      call->absent = TRUE;
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (len > 0 && ob_connection_body_is_json (call->msg, body))
    root = ob_rest_json_parse_bytes (data, len, NULL);
  if (root == NULL && (token_error = ob_connection_scheme_plain_answer (self, status, body)) != NULL)
    {
      g_task_return_error (task, token_error);
      return;
    }
  if (root == NULL)
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_CONNECT,
                               _("The server at %s does not look like an oVirt engine: "
                                 "its login service answered HTTP %u without JSON."),
                               self->engine_key, status);
      return;
    }

  token = ob_rest_json_parse_sso_token (root, &token_error);
  if (token == NULL)
    {
      g_task_return_error (task, token_error);
      return;
    }
  ob_connection_clear_secret (&self->token);
  self->token = token;
  if (self->auth != OB_AUTH_SSO)
    {
      self->auth = OB_AUTH_SSO;
      ob_connection_notify_auth_method (self);
    }
  g_task_return_boolean (task, TRUE);
}

void
ob_connection_sso_login_async (ObConnection        *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = g_strconcat (self->root_url, "/ovirt-engine/sso/oauth/token", NULL);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  SsoCall *call;
  char *form;

  g_task_set_source_tag (task, ob_connection_sso_login_async);
  call = g_new0 (SsoCall, 1);
  g_task_set_task_data (task, call, (GDestroyNotify) sso_call_free);

  call->msg = ob_connection_new_message (self, "POST", url, FALSE, &error);
  if (call->msg == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The SSO insists on exactly this Accept value. */
  soup_message_headers_replace (soup_message_get_request_headers (call->msg),
                                "Accept", "application/json");
  form = soup_form_encode ("grant_type", "password",
                           "scope", "ovirt-app-api",
                           "username", self->username ? self->username : "",
                           "password", self->password ? self->password : "",
                           NULL);
  bytes = g_bytes_new_with_free_func (form, strlen (form), (GDestroyNotify) ob_connection_free_secret, form);
  soup_message_set_request_body_from_bytes (call->msg, "application/x-www-form-urlencoded", bytes);

  ob_connection_send_async (self, self->session, call->msg, &call->deadline, cancellable,
                            sso_sent_cb, g_object_ref (task));
}

gboolean
ob_connection_sso_login_finish (ObConnection  *self,
                                GAsyncResult  *result,
                                gboolean      *absent,
                                GError       **error)
{
  SsoCall *call = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (call->absent)
    {
      if (absent != NULL)
        *absent = TRUE;
      else
        {
          g_set_error_literal (error, OB_ERROR, OB_ERROR_AUTH,
                               _("The engine's login service disappeared while logging in again."));
          return FALSE;
        }
    }
  return TRUE;
}

/* Logout */

static void
logout_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObConnection *self = g_task_get_source_object (task);
  SsoCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status;

  body = ob_connection_send_finish (self, result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  status = soup_message_get_status (call->msg);
  if (status < 200 || status >= 300)
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_SERVER_FAULT,
                               _("Logging out of the engine failed (HTTP %u)."), status);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
ob_connection_close_async (ObConnection        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SsoCall *call;
  char *form;

  g_return_if_fail (OB_IS_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_connection_close_async);
  call = g_new0 (SsoCall, 1);
  g_task_set_task_data (task, call, (GDestroyNotify) sso_call_free);

  if (self->auth != OB_AUTH_SSO || self->token == NULL)
    {
      self->auth = OB_AUTH_NONE;
      g_task_return_boolean (task, TRUE);
      return;
    }

  url = g_strconcat (self->root_url, "/ovirt-engine/services/sso-logout", NULL);
  call->msg = ob_connection_new_message (self, "POST", url, FALSE, NULL);
  if (call->msg == NULL)
    {
      self->auth = OB_AUTH_NONE;
      ob_connection_clear_secret (&self->token);
      g_task_return_boolean (task, TRUE);
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (call->msg), "Accept", "application/json");
  form = soup_form_encode ("scope", "ovirt-app-api", "token", self->token, NULL);
  bytes = g_bytes_new_with_free_func (form, strlen (form), (GDestroyNotify) ob_connection_free_secret, form);
  soup_message_set_request_body_from_bytes (call->msg, "application/x-www-form-urlencoded", bytes);

  /* Closed from here on, whatever the engine answers. */
  self->auth = OB_AUTH_NONE;
  ob_connection_clear_secret (&self->token);
  ob_connection_notify_auth_method (self);

  ob_connection_send_async (self, self->session, call->msg, &call->deadline, cancellable,
                            logout_cb, g_object_ref (task));
}

gboolean
ob_connection_close_finish (ObConnection  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
