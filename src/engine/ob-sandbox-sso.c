/* ob-sandbox-sso.c: who is asking: the SSO token and logout endpoints, and
 * the authentication (Bearer, Basic, session) of API requests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ob-sandbox-impl.h"

#define SSO_SCOPE "ovirt-app-api"

static void
respond_json_object (SoupServerMessage *msg,
                     guint              status,
                     JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

/* The SSO's error shapes: for scope ovirt-app-api {"error_code", "error"},
 * otherwise the OAuth {"error", "error_description"}. */
static void
sso_error (SoupServerMessage *msg,
           const char        *scope,
           const char        *code,
           const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  if (scope != NULL && strstr (scope, SSO_SCOPE) != NULL)
    {
      json_builder_set_member_name (b, "error_code");
      json_builder_add_string_value (b, code);
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, message);
    }
  else
    {
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, code);
      json_builder_set_member_name (b, "error_description");
      json_builder_add_string_value (b, message);
    }
  json_builder_end_object (b);
  respond_json_object (msg, SOUP_STATUS_BAD_REQUEST, b);
}

/* Form parameters from the body (x-www-form-urlencoded) and the query. */
static GHashTable *
read_form (SoupServerMessage *msg)
{
  GHashTable *form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);
  GHashTableIter iter;
  gpointer key, value;

  if (query != NULL)
    {
      g_autoptr(GHashTable) q = soup_form_decode (query);

      g_hash_table_iter_init (&iter, q);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_replace (form, g_strdup (key), g_strdup (value));
    }
  if (length > 0 && length <= OB_SANDBOX_MAX_BODY)
    {
      g_autofree char *text = g_strndup (data, length);
      g_autoptr(GHashTable) f = soup_form_decode (text);

      g_hash_table_iter_init (&iter, f);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_replace (form, g_strdup (key), g_strdup (value));
    }
  return form;
}

static gboolean
has_encoded_nul (const char *text,
                 gsize       length)
{
  for (gsize i = 0; i + 2 < length && text[i] != '\0'; i++)
    if (text[i] == '%' && text[i + 1] == '0' && text[i + 2] == '0')
      return TRUE;
  return FALSE;
}

static gboolean
form_has_nul (SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  return (query != NULL && has_encoded_nul (query, strlen (query))) ||
         memchr (data, '\0', length) != NULL || has_encoded_nul (data, length);
}

void
ob_sandbox_handle_sso_token (ObSandbox         *self,
                             SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *accept = soup_message_headers_get_one (headers, "Accept");
  g_autoptr(GHashTable) form = NULL;
  const char *grant, *scope, *user, *password;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *token = NULL;
  g_autofree char *exp = NULL;
  gint64 expires_ms = 0;
  guint retry_after = 0;

  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0 &&
      g_strcmp0 (soup_server_message_get_method (msg), "GET") != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  /* A NUL would cut the password short after decoding. */
  if (form_has_nul (msg))
    {
      sso_error (msg, NULL, "invalid_request", _("A parameter contains a NUL byte."));
      return;
    }
  form = read_form (msg);
  grant = g_hash_table_lookup (form, "grant_type");
  scope = g_hash_table_lookup (form, "scope");
  user = g_hash_table_lookup (form, "username");
  password = g_hash_table_lookup (form, "password");

  /* SsoService: Accept must be application/json. */
  if (accept == NULL || strstr (accept, "application/json") == NULL)
    {
      sso_error (msg, scope, "invalid_request", _("Missing parameter: 'Accept Header'"));
      return;
    }
  if (grant == NULL)
    {
      sso_error (msg, scope, "invalid_request", _("Missing parameter: 'grant_type'"));
      return;
    }
  if (!g_str_equal (grant, "password"))
    {
      sso_error (msg, scope, "unsupported_grant_type", _("The grant type is not supported."));
      return;
    }
  if (scope == NULL || strstr (scope, SSO_SCOPE) == NULL)
    {
      sso_error (msg, scope, "invalid_scope",
                 scope == NULL ? _("Missing parameter: 'scope'")
                               : _("The requested scope is invalid or unknown."));
      return;
    }
  if (user == NULL || password == NULL)
    {
      sso_error (msg, scope, "invalid_request",
                 user == NULL ? _("Missing parameter: 'username'") : _("Missing parameter: 'password'"));
      return;
    }
  switch (ob_sandbox_check_password (self, msg, user, password, &retry_after))
    {
    case OB_PASSWORD_OK:
      break;
    case OB_PASSWORD_PENDING:
      return;
    case OB_PASSWORD_LIMITED:
      {
        g_autofree char *seconds = g_strdup_printf ("%u", retry_after);

        soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                      seconds);
        sso_error (msg, scope, "access_denied", _("Too many failed login attempts. Try again later."));
        return;
      }
    case OB_PASSWORD_WRONG:
    default:
      {
        g_autofree char *message = NULL;

      /* AppMessages: "Cannot authenticate user '%1$s@%2$s': %3$s." */
      message = g_strdup_printf (_("Cannot authenticate user '%s': "
                                   "The username or password is incorrect.."), user);
        sso_error (msg, scope, "access_denied", message);
        return;
      }
    }

  token = ob_sandbox_auth_issue_token (self->auth, user, &expires_ms);
  exp = g_strdup_printf ("%" G_GINT64_FORMAT, expires_ms);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "access_token");
  json_builder_add_string_value (b, token);
  json_builder_set_member_name (b, "scope");
  json_builder_add_string_value (b, scope);
  /* A string of epoch ms, as the engine's SSO writes it. */
  json_builder_set_member_name (b, "exp");
  json_builder_add_string_value (b, exp);
  json_builder_set_member_name (b, "token_type");
  json_builder_add_string_value (b, "bearer");
  json_builder_end_object (b);
  respond_json_object (msg, SOUP_STATUS_OK, b);
}

void
ob_sandbox_handle_sso_logout (ObSandbox         *self,
                              SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = read_form (msg);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  ob_sandbox_auth_revoke_token (self->auth, g_hash_table_lookup (form, "token"));
  json_builder_begin_object (b);
  json_builder_end_object (b);
  respond_json_object (msg, SOUP_STATUS_OK, b);
}

static char *
session_cookie (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Cookie");
  g_autoptr(GHashTable) cookies = NULL;

  if (header == NULL)
    return NULL;
  cookies = soup_header_parse_semi_param_list (header);
  return g_strdup (g_hash_table_lookup (cookies, "JSESSIONID"));
}

/* Checks Basic credentials; *@user gets the user when they are right. */
static ObPasswordResult
check_basic (ObSandbox         *self,
             SoupServerMessage *msg,
             const char        *encoded,
             char             **user,
             guint             *retry_after)
{
  gsize length = 0;
  g_autofree guchar *decoded = g_base64_decode (encoded, &length);
  g_autofree char *text = NULL;
  ObPasswordResult result;
  char *colon;

  *user = NULL;
  *retry_after = 0;
  /* A NUL would end the password early: such credentials never match. */
  if (decoded == NULL || length == 0 || memchr (decoded, '\0', length) != NULL)
    return OB_PASSWORD_WRONG;
  text = g_strndup ((const char *) decoded, length);
  explicit_bzero (decoded, length);
  colon = strchr (text, ':');
  if (colon == NULL)
    return OB_PASSWORD_WRONG;
  *colon = '\0';
  result = ob_sandbox_check_password (self, msg, text, colon + 1, retry_after);
  if (result == OB_PASSWORD_OK)
    *user = g_strdup (text);
  explicit_bzero (colon + 1, strlen (colon + 1));
  return result;
}

/* Returns the authenticated user, or NULL after answering 401. Handles
 * Bearer tokens, Basic credentials and the "Prefer: persistent-auth"
 * JSESSIONID session. */
char *
ob_sandbox_authenticate (ObSandbox         *self,
                         SoupServerMessage *msg,
                         char             **end_session)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *res = soup_server_message_get_response_headers (msg);
  const char *authz = soup_message_headers_get_one (req, "Authorization");
  const char *prefer = soup_message_headers_get_list (req, "Prefer");
  gboolean persistent = prefer != NULL && strstr (prefer, "persistent-auth") != NULL;
  g_autofree char *session = NULL;
  char *user = NULL;

  *end_session = NULL;
  if (authz != NULL && g_ascii_strncasecmp (authz, "Bearer ", 7) == 0)
    {
      const char *token = authz + 7;

      while (*token == ' ')
        token++;
      user = g_strdup (ob_sandbox_auth_check_token (self->auth, token));
    }
  else if (authz != NULL && g_ascii_strncasecmp (authz, "Basic ", 6) == 0)
    {
      guint retry_after = 0;

      switch (check_basic (self, msg, authz + 6, &user, &retry_after))
        {
        case OB_PASSWORD_PENDING:
          return NULL;
        case OB_PASSWORD_LIMITED:
          {
            g_autofree char *seconds = g_strdup_printf ("%u", retry_after);

            soup_message_headers_replace (res, "Retry-After", seconds);
            ob_sandbox_respond_fault (msg, ob_sandbox_request_format (msg), OB_STATUS_TOO_MANY_REQUESTS,
                                      "Operation Failed",
                                      _("Too many failed login attempts. Try again later."));
            return NULL;
          }
        case OB_PASSWORD_OK:
        case OB_PASSWORD_WRONG:
        default:
          break;
        }
      if (user != NULL && persistent)
        {
          g_autofree char *id = ob_sandbox_auth_open_session (self->auth, user);
          g_autofree char *cookie = g_strdup_printf ("JSESSIONID=%s; Path=%s; HttpOnly%s", id,
                                                     OB_SANDBOX_API_PREFIX,
                                                     self->tls_certificate ? "; Secure" : "");

          soup_message_headers_append (res, "Set-Cookie", cookie);
        }
    }
  else if ((session = session_cookie (msg)) != NULL)
    {
      user = g_strdup (ob_sandbox_auth_check_session (self->auth, session));
      /* A request without "Prefer: persistent-auth" ends the session. */
      if (user != NULL && !persistent)
        *end_session = g_steal_pointer (&session);
    }

  if (user == NULL)
    {
      static const char page[] =
        "<html><head><title>Error</title></head><body>Unauthorized</body></html>";

      /* The engine's 401 is the servlet error page, not a <fault>. */
      soup_message_headers_replace (res, "WWW-Authenticate", "Basic realm=\"RESTAPI\"");
      soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
      soup_server_message_set_response (msg, "text/html;charset=UTF-8", SOUP_MEMORY_STATIC,
                                        page, sizeof page - 1);
    }
  return user;
}

/* A read-only user may look but not change: the engine's NO_PERMISSION. */
gboolean
ob_sandbox_authorize (ObSandbox         *self,
                      SoupServerMessage *msg,
                      const char        *user)
{
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (method, "GET") || g_str_equal (method, "HEAD") ||
      ob_sandbox_auth_get_role (self->auth, user) == OB_SANDBOX_ROLE_ADMIN)
    return TRUE;
  ob_sandbox_respond_fault (msg, ob_sandbox_request_format (msg), SOUP_STATUS_FORBIDDEN,
                            "Operation Failed",
                            _("[User is not authorized to perform this action.]"));
  return FALSE;
}
