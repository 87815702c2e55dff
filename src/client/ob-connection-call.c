/* ob-connection-call.c: one REST call, its deadline, and the one re-login on 401
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "ob-connection-private.h"
#include "ob-error.h"
#include "ob-product.h"
#include "ob-rest-json.h"

static void
deadline_user_cancelled (GCancellable *user,
                         gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static gboolean
deadline_expired (gpointer data)
{
  ObDeadline *d = data;

  d->timed_out = TRUE;
  g_cancellable_cancel (d->cancellable);
  g_clear_pointer (&d->timer, g_source_unref);
  return G_SOURCE_REMOVE;
}

void
ob_deadline_stop (ObDeadline *d)
{
  if (d->timer != NULL)
    {
      g_source_destroy (d->timer);
      g_clear_pointer (&d->timer, g_source_unref);
    }
  if (d->user != NULL && d->user_handler != 0)
    g_cancellable_disconnect (d->user, d->user_handler);
  d->user_handler = 0;
  g_clear_object (&d->user);
  g_clear_object (&d->cancellable);
}

GCancellable *
ob_deadline_start (ObDeadline     *d,
                   GCancellable *user,
                   guint         seconds)
{
  ob_deadline_stop (d);
  d->timed_out = FALSE;
  d->cancellable = g_cancellable_new ();
  if (user != NULL)
    {
      d->user = g_object_ref (user);
      d->user_handler = g_cancellable_connect (user, G_CALLBACK (deadline_user_cancelled),
                                               d->cancellable, NULL);
    }
  d->end_time = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  /* Milliseconds: a seconds source may fire up to a second early. */
  d->timer = g_timeout_source_new (seconds * 1000);
  g_source_set_callback (d->timer, deadline_expired, d, NULL);
  g_source_attach (d->timer, g_main_context_get_thread_default ());
  return d->cancellable;
}

/* Turns a transport failure into an OB_ERROR a user can act on. */
GError *
ob_connection_map_transport_error (ObConnection *self,
                                   const GError *error,
                                   gboolean      timed_out)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !timed_out)
    return g_error_copy (error);

  if (timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (OB_ERROR, OB_ERROR_TIMEOUT,
                        _("The engine at %s did not answer within %u seconds."),
                        self->engine_key, self->timeout);

  if (error->domain == G_TLS_ERROR)
    return ob_connection_describe_tls_failure (self, error);

  if (error->domain == G_RESOLVER_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND))
    return g_error_new (OB_ERROR, OB_ERROR_CONNECT,
                        _("Cannot connect to the engine at %s: %s"),
                        self->engine_key, error->message);

  return g_error_new (OB_ERROR, OB_ERROR_CONNECT,
                      _("The connection to the engine at %s was lost: %s"),
                      self->engine_key, error->message);
}

static void
add_auth_header (ObConnection *self,
                 SoupMessage  *msg)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  if (self->auth == OB_AUTH_SSO && self->token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (headers, "Authorization", value);
    }
  else if (self->auth == OB_AUTH_BASIC)
    {
      char *pair = g_strconcat (self->username ? self->username : "", ":",
                                self->password ? self->password : "", NULL);
      char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
      char *value = g_strconcat ("Basic ", encoded, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
      /* Base64 is the password in clear: wipe each copy made here. */
      ob_connection_clear_secret (&pair);
      ob_connection_clear_secret (&encoded);
      ob_connection_clear_secret (&value);
    }
}

gboolean
ob_connection_body_is_json (SoupMessage *msg,
                            GBytes      *body)
{
  const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;

  if (type != NULL && g_str_has_suffix (type, "json"))
    return TRUE;
  /* Be lenient about a missing type, not about HTML error pages. */
  while (len > 0 && g_ascii_isspace (*data))
    data++, len--;
  return type == NULL && len > 0 && (*data == '{' || *data == '[');
}

/* The engine's words for an HTTP failure: "reason: detail" from a fault
 * body, or the bare status. */
static char *
describe_http_failure (SoupMessage *msg,
                       GBytes      *body)
{
  g_autofree char *reason = NULL;
  g_autofree char *detail = NULL;
  guint status = soup_message_get_status (msg);
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;

  if (len > 0 && ob_connection_body_is_json (msg, body))
    {
      g_autoptr(JsonNode) root = ob_rest_json_parse_bytes (data, len, NULL);

      if (root != NULL && ob_rest_json_parse_fault (root, &reason, &detail))
        {
          if (reason != NULL && detail != NULL)
            return g_strdup_printf ("%s: %s (HTTP %u)", reason, detail, status);
          return g_strdup_printf ("%s (HTTP %u)", reason != NULL ? reason : detail, status);
        }
    }
  return g_strdup_printf ("HTTP %u %s", status,
                          soup_message_get_reason_phrase (msg) ? soup_message_get_reason_phrase (msg) : "");
}

/* The engine's ACTION_TYPE_FAILED_NAME_ALREADY_USED: "Cannot add VM. The
 * VM name is already in use, please choose a unique name and try again."
 * 409 on current engines, 400 on old ones; only the text tells it from
 * other refusals. */
static gboolean
fault_names_name_in_use (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);

  return strstr (folded, "name is already in use") != NULL;
}

/* REST calls */

typedef struct
{
  char *method;
  char *url;
  char *body;
  ObRequestFlags flags;
  gboolean retried;
  SoupMessage *msg;
  guint status;
  char *sent_token;
  ObDeadline deadline;
  GBytes *response;   /* the body to parse, owned by the parsing thread */
  char *capabilities; /* the engine's capabilities header, or NULL */
  gboolean body_only; /* the caller parses the body itself */
} ApiCall;

static void
api_call_free (ApiCall *call)
{
  g_free (call->method);
  g_free (call->url);
  g_free (call->body);
  g_clear_object (&call->msg);
  ob_connection_clear_secret (&call->sent_token);
  ob_deadline_stop (&call->deadline);
  g_clear_pointer (&call->response, g_bytes_unref);
  g_free (call->capabilities);
  g_free (call);
}

/* Bodies from this size on are parsed in a worker: a 500-VM page is
 * megabytes of JSON, too slow for the main loop; a small body costs less
 * than the hand-over to a thread. */
#define OB_CONNECTION_THREAD_PARSE_MIN (64 * 1024)

/* Runs in a worker (for big bodies). Touches only call->response, which the main thread no longer
 * reads. */
static void
api_parse_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ApiCall *call = task_data;
  GError *error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (call->response, &len);
  JsonNode *root = ob_rest_json_parse_bytes (data, len, &error);

  g_clear_pointer (&call->response, g_bytes_unref);
  if (root == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
}

static void api_send (GTask *task);

static void
relogin_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ObConnection *self = OB_CONNECTION (source);
  g_autoptr(GPtrArray) waiters = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  ob_connection_sso_login_finish (self, result, NULL, &error);
  self->relogin_running = FALSE;
  waiters = g_steal_pointer (&self->relogin_waiters);
  self->relogin_waiters = g_ptr_array_new_with_free_func (g_object_unref);

  /* Each waiter's reference is handed on below. */
  g_ptr_array_set_free_func (waiters, NULL);
  for (i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        {
          g_task_return_error (task, g_error_copy (error));
          g_object_unref (task);
        }
      else
        api_send (task);
    }
}

static void
api_sent_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObConnection *self = g_task_get_source_object (task);
  ApiCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  gsize len = 0;
  guint status;

  body = ob_connection_send_finish (self, result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (call->msg);
  call->status = status;
  g_free (call->capabilities);
  call->capabilities = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (call->msg),
                                                               OB_ENGINE_CAPABILITIES_HEADER));
  len = g_bytes_get_size (body);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      /* Tokens expire; the engine has no refresh tokens, so log in again
       * once and retry once. The 401 body is a servlet page, not a fault. */
      if (self->auth == OB_AUTH_SSO && !call->retried)
        {
          call->retried = TRUE;
          /* Another call already got a new token: just use it. */
          if (self->token != NULL && g_strcmp0 (self->token, call->sent_token) != 0)
            {
              api_send (g_object_ref (task));
              return;
            }
          g_ptr_array_add (self->relogin_waiters, g_object_ref (task));
          if (!self->relogin_running)
            {
              /* Not tied to one caller's cancellable: it serves all. */
              self->relogin_running = TRUE;
              ob_connection_clear_secret (&self->token);
              ob_connection_sso_login_async (self, NULL, relogin_cb, NULL);
            }
          return;
        }
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_AUTH,
                               _("The engine refused the credentials of %s (HTTP 401)."),
                               self->username ? self->username : "");
      return;
    }

  if (status < 200 || status >= 300)
    {
      g_autofree char *what = NULL;
      GError *plain = ob_connection_scheme_plain_answer (self, status, body);
      ObErrorCode code;

      if (plain != NULL)
        {
          g_task_return_error (task, plain);
          return;
        }
      what = describe_http_failure (call->msg, body);

      switch (status)
        {
        case SOUP_STATUS_NOT_FOUND:
          code = OB_ERROR_NOT_FOUND;
          break;
        case SOUP_STATUS_CONFLICT:
          code = OB_ERROR_CONFLICT;
          break;
        case SOUP_STATUS_BAD_REQUEST:
          code = OB_ERROR_REFUSED;
          break;
        default:
          code = OB_ERROR_SERVER_FAULT;
          break;
        }
      if ((code == OB_ERROR_CONFLICT || code == OB_ERROR_REFUSED) && fault_names_name_in_use (what))
        code = OB_ERROR_NAME_IN_USE;
      g_task_return_new_error (task, OB_ERROR, code, _("The engine answered: %s"), what);
      return;
    }

  if (len > 0 && !ob_connection_body_is_json (call->msg, body))
    {
      const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (call->msg), NULL);
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_PROTOCOL,
                               _("The engine answered with %s instead of JSON."),
                               type != NULL ? type : _("an untyped body"));
      return;
    }
  if (call->body_only)
    {
      g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (len == 0)
    {
      g_task_return_pointer (task, json_node_new (JSON_NODE_NULL), (GDestroyNotify) json_node_unref);
      return;
    }
  /* The message stays with this thread: the call may be freed in the
   * worker once the result is back. */
  call->response = g_steal_pointer (&body);
  g_clear_object (&call->msg);
  if (len >= OB_CONNECTION_THREAD_PARSE_MIN)
    g_task_run_in_thread (task, api_parse_thread);
  else
    api_parse_thread (task, self, call, NULL);
}

static void
api_send (GTask *task)
{
  ObConnection *self = g_task_get_source_object (task);
  ApiCall *call = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  GError *error = NULL;

  g_clear_object (&call->msg);
  call->msg = ob_connection_new_message (self, call->method, call->url, FALSE, &error);
  if (call->msg == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  headers = soup_message_get_request_headers (call->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_headers_replace (headers, "Version", "4");
  if (call->flags & OB_REQUEST_ALL_CONTENT)
    soup_message_headers_replace (headers, "All-Content", "true");
  add_auth_header (self, call->msg);
  ob_connection_clear_secret (&call->sent_token);
  call->sent_token = g_strdup (self->token);
  if (call->body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (call->body, strlen (call->body));
      soup_message_set_request_body_from_bytes (call->msg, "application/json", bytes);
    }

  ob_connection_send_async (self, self->session, call->msg, &call->deadline,
                            g_task_get_cancellable (task), api_sent_cb, task);
}

static void
request_start (ObConnection        *self,
               const char          *method,
               const char          *path,
               const char          *body,
               ObRequestFlags       flags,
               gboolean             body_only,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task;
  ApiCall *call;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, body_only ? (gpointer) ob_connection_request_body_async
                                         : (gpointer) ob_connection_request_async);
  call = g_new0 (ApiCall, 1);
  call->method = g_strdup (method);
  call->url = ob_connection_resolve_url (self, path);
  call->body = g_strdup (body);
  call->flags = flags;
  call->body_only = body_only;
  g_task_set_task_data (task, call, (GDestroyNotify) api_call_free);

  if (self->auth == OB_AUTH_NONE)
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_AUTH,
                               _("Not logged in to the engine."));
      g_object_unref (task);
      return;
    }
  api_send (task);
}

void
ob_connection_request_async (ObConnection        *self,
                             const char          *method,
                             const char          *path,
                             const char          *body,
                             ObRequestFlags       flags,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (OB_IS_CONNECTION (self));
  g_return_if_fail (method != NULL && path != NULL);

  request_start (self, method, path, body, flags, FALSE, cancellable, callback, user_data);
}

void
ob_connection_request_body_async (ObConnection        *self,
                                  const char          *method,
                                  const char          *path,
                                  const char          *body,
                                  ObRequestFlags       flags,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (OB_IS_CONNECTION (self));
  g_return_if_fail (method != NULL && path != NULL);

  request_start (self, method, path, body, flags, TRUE, cancellable, callback, user_data);
}

GBytes *
ob_connection_request_body_finish (ObConnection  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ob_connection_request_body_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
ob_connection_request_get_capabilities (GAsyncResult *result)
{
  ApiCall *call = g_task_get_task_data (G_TASK (result));

  return call->capabilities;
}

JsonNode *
ob_connection_request_finish (ObConnection  *self,
                              GAsyncResult  *result,
                              guint         *status_out,
                              GError       **error)
{
  ApiCall *call;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ob_connection_request_async, NULL);

  call = g_task_get_task_data (G_TASK (result));
  if (status_out != NULL)
    *status_out = call->status;
  return g_task_propagate_pointer (G_TASK (result), error);
}
