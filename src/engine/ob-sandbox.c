/* ob-sandbox.c: the engine's server thread, authentication (SSO, Basic,
 * sessions), the CA endpoint and fault injection. Resources are routed by
 * ob-sandbox-router.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <libxml/parser.h>
#include <string.h>
#include <sys/socket.h>

#include "ob-error.h"
#include "ob-product.h"
#include "ob-sandbox.h"
#include "ob-sandbox-auth.h"
#include "ob-sandbox-router.h"
#include "ob-sandbox-seed.h"
#include "ob-sandbox-store.h"

#define SSO_TOKEN_PATH  "/ovirt-engine/sso/oauth/token"
#define SSO_LOGOUT_PATH "/ovirt-engine/services/sso-logout"
#define PKI_PATH        "/ovirt-engine/services/pki-resource"
#define SSO_SCOPE       "ovirt-app-api"

typedef struct
{
  char  *method;      /* NULL = any */
  char  *path_prefix; /* NULL = any */
  guint  status;
  guint  delay_ms;
  guint  remaining;
} Fault;

struct _ObSandbox
{
  GObject parent_instance;

  /* Properties */
  char  *listen_address;
  guint  port;
  char  *database;
  char  *seed;
  char  *users_file;
  char  *tls_certificate;
  char  *tls_key;
  char  *tls_ca;
  guint  token_lifetime;

  /* Shared with the server thread */
  GMutex    lock;
  GCond     cond;
  GPtrArray *faults;       /* Fault*, under lock */
  gint      request_count; /* atomic */

  /* Start/stop handshake, under lock */
  gboolean  started;
  gboolean  start_done;
  GError   *start_error;
  GThread  *thread;
  GMainContext *context;
  GMainLoop *loop;
  char      *base_url;
  char      *root_url;
  guint      bound_port;

  /* Server thread only */
  ObSandboxStore *store;
  ObSandboxAuth  *auth;
  SoupServer     *server;
  ObSandboxRouter router;
  char           *instance_id;
};

G_DEFINE_FINAL_TYPE (ObSandbox, ob_sandbox, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_LISTEN_ADDRESS,
  PROP_PORT,
  PROP_DATABASE,
  PROP_SEED,
  PROP_USERS_FILE,
  PROP_TLS_CERTIFICATE,
  PROP_TLS_KEY,
  PROP_TLS_CA,
  PROP_TOKEN_LIFETIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fault_free (Fault *f)
{
  g_free (f->method);
  g_free (f->path_prefix);
  g_free (f);
}

/* ---- fault injection ---- */

/* Takes one matching fault, if any; returns TRUE and fills @out. */
static gboolean
take_fault (ObSandbox  *self,
            const char *method,
            const char *path,
            Fault      *out)
{
  gboolean found = FALSE;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->faults->len; i++)
    {
      Fault *f = g_ptr_array_index (self->faults, i);

      if ((f->method != NULL && g_ascii_strcasecmp (f->method, method) != 0) ||
          (f->path_prefix != NULL && !g_str_has_prefix (path, f->path_prefix)))
        continue;
      out->status = f->status;
      out->delay_ms = f->delay_ms;
      found = TRUE;
      if (--f->remaining == 0)
        g_ptr_array_remove_index (self->faults, i);
      break;
    }
  g_mutex_unlock (&self->lock);
  return found;
}

void
ob_sandbox_inject_fault (ObSandbox  *self,
                         const char *method,
                         const char *path_prefix,
                         guint       status,
                         guint       delay_ms,
                         guint       count)
{
  Fault *f;

  g_return_if_fail (OB_IS_SANDBOX (self));
  if (count == 0)
    return;
  f = g_new0 (Fault, 1);
  f->method = g_strdup (method);
  f->path_prefix = g_strdup (path_prefix);
  f->status = status;
  f->delay_ms = delay_ms;
  f->remaining = count;
  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->faults, f);
  g_mutex_unlock (&self->lock);
}

void
ob_sandbox_clear_faults (ObSandbox *self)
{
  g_return_if_fail (OB_IS_SANDBOX (self));
  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->faults, 0);
  g_mutex_unlock (&self->lock);
}

guint64
ob_sandbox_get_request_count (ObSandbox *self)
{
  g_return_val_if_fail (OB_IS_SANDBOX (self), 0);
  return (guint64) (guint) g_atomic_int_get (&self->request_count);
}

/* ---- SSO ---- */

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

static void
handle_sso_token (ObSandbox         *self,
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

  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0 &&
      g_strcmp0 (soup_server_message_get_method (msg), "GET") != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
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
  if (!ob_sandbox_auth_check_password (self->auth, user, password))
    {
      g_autofree char *message = NULL;

      /* AppMessages: "Cannot authenticate user '%1$s@%2$s': %3$s." */
      message = g_strdup_printf (_("Cannot authenticate user '%s': "
                                   "The username or password is incorrect.."), user);
      sso_error (msg, scope, "access_denied", message);
      return;
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

static void
handle_sso_logout (ObSandbox         *self,
                   SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = read_form (msg);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  ob_sandbox_auth_revoke_token (self->auth, g_hash_table_lookup (form, "token"));
  json_builder_begin_object (b);
  json_builder_end_object (b);
  respond_json_object (msg, SOUP_STATUS_OK, b);
}

static void
handle_pki (ObSandbox         *self,
            SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) params = query ? soup_form_decode (query) : NULL;
  const char *ca = self->tls_ca ? self->tls_ca : self->tls_certificate;
  g_autofree char *pem = NULL;
  gsize length = 0;

  if (self->tls_certificate == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  if (params == NULL ||
      g_strcmp0 (g_hash_table_lookup (params, "resource"), "ca-certificate") != 0 ||
      g_strcmp0 (g_hash_table_lookup (params, "format"), "X509-PEM-CA") != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                        "Unsupported resource or format\n", 31);
      return;
    }
  if (!g_file_get_contents (ca, &pem, &length, NULL))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/x-x509-ca-cert", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&pem), length);
}

/* ---- authentication of API requests ---- */

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

/* Returns the user when the Basic credentials are right. */
static char *
check_basic (ObSandbox  *self,
             const char *encoded)
{
  gsize length = 0;
  g_autofree guchar *decoded = g_base64_decode (encoded, &length);
  g_autofree char *text = NULL;
  char *colon;

  if (decoded == NULL || length == 0)
    return NULL;
  text = g_strndup ((const char *) decoded, length);
  colon = strchr (text, ':');
  if (colon == NULL)
    return NULL;
  *colon = '\0';
  if (!ob_sandbox_auth_check_password (self->auth, text, colon + 1))
    return NULL;
  return g_strdup (text);
}

/* Returns the authenticated user, or NULL after answering 401. Handles
 * Bearer tokens, Basic credentials and the "Prefer: persistent-auth"
 * JSESSIONID session. */
static char *
authenticate (ObSandbox         *self,
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
      user = check_basic (self, authz + 6);
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
static gboolean
authorize (ObSandbox         *self,
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

/* ---- dispatch ---- */

static void
serve (ObSandbox         *self,
       SoupServerMessage *msg)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  g_autofree char *end_session = NULL;

  if (g_str_equal (path, SSO_TOKEN_PATH))
    {
      handle_sso_token (self, msg);
      return;
    }
  if (g_str_equal (path, SSO_LOGOUT_PATH))
    {
      handle_sso_logout (self, msg);
      return;
    }
  if (g_str_equal (path, PKI_PATH))
    {
      handle_pki (self, msg);
      return;
    }

  if (g_str_has_prefix (path, OB_SANDBOX_API_PREFIX) &&
      (path[strlen (OB_SANDBOX_API_PREFIX)] == '\0' || path[strlen (OB_SANDBOX_API_PREFIX)] == '/'))
    {
      const char *sub = path + strlen (OB_SANDBOX_API_PREFIX);
      g_autofree char *user = authenticate (self, msg, &end_session);

      if (user == NULL)
        return;
      if (!authorize (self, msg, user))
        goto out;
      /* /ovirt-engine/api/v4/... is the same API. */
      if (g_str_has_prefix (sub, "/v4") && (sub[3] == '\0' || sub[3] == '/'))
        sub += 3;
      ob_sandbox_router_handle_api (&self->router, msg, sub);
    }
  else if (g_str_has_prefix (path, OB_SANDBOX_SANDBOX_PREFIX "/"))
    {
      g_autofree char *user = authenticate (self, msg, &end_session);

      if (user == NULL)
        return;
      ob_sandbox_router_handle_sandbox (&self->router, msg,
                                        path + strlen (OB_SANDBOX_SANDBOX_PREFIX));
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);

out:
  if (end_session != NULL)
    ob_sandbox_auth_close_session (self->auth, end_session);
}

typedef struct
{
  ObSandbox         *self;
  SoupServerMessage *msg;
  guint              status;
  gboolean           disconnected;
  gulong             handler;
} Delayed;

static void
delayed_disconnected (SoupServerMessage *msg,
                      gpointer           user_data)
{
  ((Delayed *) user_data)->disconnected = TRUE;
}

/* Closes the connection without an answer, as a crashing proxy would. */
static void
drop_connection (SoupServerMessage *msg)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
    }
}

static void
answer_fault (ObSandbox         *self,
              SoupServerMessage *msg,
              guint              status)
{
  if (status == OB_SANDBOX_FAULT_DROP_CONNECTION)
    drop_connection (msg);
  else if (status == OB_SANDBOX_FAULT_FAIL_COMMIT)
    {
      /* The request runs, and its transaction fails at commit. */
      ob_sandbox_store_fail_next_commit (self->store);
      serve (self, msg);
    }
  else
    ob_sandbox_respond_fault (msg, ob_sandbox_request_format (msg), status,
                              "Operation Failed", _("[Injected fault]"));
}

static gboolean
delayed_fire (gpointer user_data)
{
  Delayed *d = user_data;

  if (!d->disconnected)
    {
      if (d->status != 0)
        answer_fault (d->self, d->msg, d->status);
      else
        serve (d->self, d->msg);
      if (d->status != OB_SANDBOX_FAULT_DROP_CONNECTION)
        soup_server_message_unpause (d->msg);
    }
  return G_SOURCE_REMOVE;
}

/* Also runs when the server stops with the answer still pending. */
static void
delayed_free (gpointer user_data)
{
  Delayed *d = user_data;

  g_signal_handler_disconnect (d->msg, d->handler);
  g_object_unref (d->msg);
  g_free (d);
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  ObSandbox *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  Fault fault = { 0, };

  g_atomic_int_inc (&self->request_count);

  /* Chunked bodies escape the Content-Length check in got-headers. */
  if (body->length > OB_SANDBOX_MAX_BODY)
    {
      ob_sandbox_respond_fault (msg, ob_sandbox_request_format (msg),
                                SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                "Request syntactically incorrect.",
                                _("The request body is larger than 1 MiB."));
      return;
    }

  if (take_fault (self, soup_server_message_get_method (msg), path, &fault))
    {
      if (fault.delay_ms > 0)
        {
          Delayed *d = g_new0 (Delayed, 1);
          GSource *source = g_timeout_source_new (fault.delay_ms);

          d->self = self;
          d->msg = g_object_ref (msg);
          d->status = fault.status;
          d->handler = g_signal_connect (msg, "disconnected", G_CALLBACK (delayed_disconnected), d);
          soup_server_message_pause (msg);
          g_source_set_callback (source, delayed_fire, d, delayed_free);
          g_source_attach (source, self->context);
          g_source_unref (source);
          return;
        }
      if (fault.status != 0)
        {
          answer_fault (self, msg, fault.status);
          return;
        }
    }

  {
    gint64 t0 = g_get_monotonic_time ();
    char timing[64];

    serve (self, msg);
    /* How long the engine itself took, for the benchmark (standard
     * Server-Timing header; clients ignore it). */
    g_snprintf (timing, sizeof timing, "engine;dur=%.3f", (g_get_monotonic_time () - t0) / 1000.0);
    soup_message_headers_append (soup_server_message_get_response_headers (msg), "Server-Timing", timing);
  }
}

/* Refuses a body over 1 MiB as soon as its headers arrive, before
 * reading it. */
static void
got_headers (SoupServerMessage *msg,
             gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > OB_SANDBOX_MAX_BODY)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      ob_sandbox_respond_fault (msg, ob_sandbox_request_format (msg),
                                SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                "Request syntactically incorrect.",
                                _("The request body is larger than 1 MiB."));
    }
}

static void
request_started (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers), NULL);
}

/* ---- the server thread ---- */

static gboolean
setup_in_thread (ObSandbox  *self,
                 GError    **error)
{
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  SoupServerListenOptions options = 0;
  GSList *uris;
  GUri *uri;

  self->store = ob_sandbox_store_open (self->database, 0, error);
  if (self->store == NULL)
    return FALSE;
  if (!ob_sandbox_seed_ensure_blank (self->store, error) ||
      !ob_sandbox_seed_apply (self->store, self->seed, error))
    return FALSE;

  self->auth = ob_sandbox_auth_new (self->users_file, self->token_lifetime, error);
  if (self->auth == NULL)
    return FALSE;

  self->instance_id = g_uuid_string_random ();
  self->router.store = self->store;
  self->router.instance_id = self->instance_id;

  if ((self->tls_certificate == NULL) != (self->tls_key == NULL))
    {
      g_set_error_literal (error, OB_ERROR, OB_ERROR_USAGE,
                           _("TLS needs both a certificate and a key."));
      return FALSE;
    }
  if (self->tls_certificate != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      cert = g_tls_certificate_new_from_files (self->tls_certificate, self->tls_key, &local_error);
      if (cert == NULL)
        {
          g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                       _("Cannot load the TLS certificate or key: %s"), local_error->message);
          return FALSE;
        }
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }

  self->server = soup_server_new ("server-header", "ovirt-balloon-sandbox/" PACKAGE_VERSION,
                                  "tls-certificate", cert,
                                  NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started), self);

  {
    g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (self->listen_address);

    if (inet == NULL)
      {
        g_set_error (error, OB_ERROR, OB_ERROR_USAGE, _("“%s” is not an IP address."),
                     self->listen_address);
        return FALSE;
      }
    address = g_inet_socket_address_new (inet, (guint16) self->port);
  }
  {
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GSocket) sock = NULL;

    /* Our own socket, for a listen backlog of SOMAXCONN: GLib's default
     * of 10 resets connections when many clients connect at once. */
    sock = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &local_error);
    if (sock != NULL)
      {
        g_socket_set_listen_backlog (sock, SOMAXCONN);
        if (!g_socket_bind (sock, address, TRUE, &local_error) ||
            !g_socket_listen (sock, &local_error))
          g_clear_object (&sock);
      }
    if (sock == NULL ||
        !soup_server_listen_socket (self->server, sock, options, &local_error))
      {
        g_set_error (error, OB_ERROR, OB_ERROR_CONNECT, _("Cannot listen on %s port %u: %s"),
                     self->listen_address, self->port, local_error->message);
        return FALSE;
      }
  }

  uris = soup_server_get_uris (self->server);
  uri = uris ? uris->data : NULL;
  if (uri != NULL)
    {
      const char *host = g_uri_get_host (uri);
      gboolean v6 = strchr (host, ':') != NULL;

      self->bound_port = (guint) g_uri_get_port (uri);
      self->root_url = g_strdup_printf ("%s://%s%s%s:%u", g_uri_get_scheme (uri),
                                        v6 ? "[" : "", host, v6 ? "]" : "", self->bound_port);
      self->base_url = g_strconcat (self->root_url, OB_SANDBOX_API_PREFIX, NULL);
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

static void
teardown_in_thread (ObSandbox *self)
{
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  /* Let pending sources (closing connections) run once. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_clear_pointer (&self->store, ob_sandbox_store_free);
  g_clear_pointer (&self->auth, ob_sandbox_auth_free);
  g_clear_pointer (&self->instance_id, g_free);
}

static gpointer
server_thread (gpointer data)
{
  ObSandbox *self = data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (self->context);
  ok = setup_in_thread (self, &error);

  g_mutex_lock (&self->lock);
  self->start_done = TRUE;
  self->started = ok;
  if (!ok)
    self->start_error = g_steal_pointer (&error);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  if (ok)
    g_main_loop_run (self->loop);

  teardown_in_thread (self);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

gboolean
ob_sandbox_start (ObSandbox  *self,
                  GError    **error)
{
  g_return_val_if_fail (OB_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  /* libxml2 wants its one-time setup on one thread before others parse. */
  xmlInitParser ();

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->start_done = FALSE;
  self->thread = g_thread_new ("ob-sandbox", server_thread, self);

  g_mutex_lock (&self->lock);
  while (!self->start_done)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);

  if (!self->started)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      g_clear_pointer (&self->loop, g_main_loop_unref);
      g_clear_pointer (&self->context, g_main_context_unref);
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      return FALSE;
    }
  return TRUE;
}

static void
start_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;

  if (ob_sandbox_start (source_object, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ob_sandbox_start_async (ObSandbox           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OB_IS_SANDBOX (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_sandbox_start_async);
  /* Opening and seeding a large database takes a while; keep the
   * caller's main loop free. */
  g_task_run_in_thread (task, start_in_thread);
}

gboolean
ob_sandbox_start_finish (ObSandbox     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
ob_sandbox_stop (ObSandbox *self)
{
  g_return_if_fail (OB_IS_SANDBOX (self));

  if (self->thread == NULL)
    return;

  {
    GSource *source = g_idle_source_new ();

    g_source_set_callback (source, quit_loop, g_main_loop_ref (self->loop),
                           (GDestroyNotify) g_main_loop_unref);
    g_source_attach (source, self->context);
    g_source_unref (source);
  }
  g_thread_join (g_steal_pointer (&self->thread));

  g_mutex_lock (&self->lock);
  self->started = FALSE;
  g_mutex_unlock (&self->lock);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->root_url, g_free);
  self->bound_port = 0;
}

gboolean
ob_sandbox_is_running (ObSandbox *self)
{
  gboolean running;

  g_return_val_if_fail (OB_IS_SANDBOX (self), FALSE);
  g_mutex_lock (&self->lock);
  running = self->started;
  g_mutex_unlock (&self->lock);
  return running;
}

const char *
ob_sandbox_get_base_url (ObSandbox *self)
{
  g_return_val_if_fail (OB_IS_SANDBOX (self), NULL);
  return self->base_url;
}

const char *
ob_sandbox_get_root_url (ObSandbox *self)
{
  g_return_val_if_fail (OB_IS_SANDBOX (self), NULL);
  return self->root_url;
}

guint
ob_sandbox_get_port (ObSandbox *self)
{
  g_return_val_if_fail (OB_IS_SANDBOX (self), 0);
  return self->bound_port ? self->bound_port : self->port;
}

/* ---- GObject ---- */

static void
replace_str (char       **slot,
             const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*slot);
  *slot = copy;
}

ObSandbox *
ob_sandbox_new (void)
{
  return g_object_new (OB_TYPE_SANDBOX, NULL);
}

static void
ob_sandbox_dispose (GObject *object)
{
  ob_sandbox_stop (OB_SANDBOX (object));
  G_OBJECT_CLASS (ob_sandbox_parent_class)->dispose (object);
}

static void
ob_sandbox_finalize (GObject *object)
{
  ObSandbox *self = OB_SANDBOX (object);

  g_free (self->listen_address);
  g_free (self->database);
  g_free (self->seed);
  g_free (self->users_file);
  g_free (self->tls_certificate);
  g_free (self->tls_key);
  g_free (self->tls_ca);
  g_clear_error (&self->start_error);
  g_ptr_array_unref (self->faults);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (ob_sandbox_parent_class)->finalize (object);
}

static void
ob_sandbox_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ObSandbox *self = OB_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_LISTEN_ADDRESS: g_value_set_string (value, self->listen_address); break;
    case PROP_PORT: g_value_set_uint (value, ob_sandbox_get_port (self)); break;
    case PROP_DATABASE: g_value_set_string (value, self->database); break;
    case PROP_SEED: g_value_set_string (value, self->seed); break;
    case PROP_USERS_FILE: g_value_set_string (value, self->users_file); break;
    case PROP_TLS_CERTIFICATE: g_value_set_string (value, self->tls_certificate); break;
    case PROP_TLS_KEY: g_value_set_string (value, self->tls_key); break;
    case PROP_TLS_CA: g_value_set_string (value, self->tls_ca); break;
    case PROP_TOKEN_LIFETIME: g_value_set_uint (value, self->token_lifetime); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_sandbox_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  ObSandbox *self = OB_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_LISTEN_ADDRESS: replace_str (&self->listen_address, g_value_get_string (value)); break;
    case PROP_PORT: self->port = g_value_get_uint (value); break;
    case PROP_DATABASE: replace_str (&self->database, g_value_get_string (value)); break;
    case PROP_SEED: replace_str (&self->seed, g_value_get_string (value)); break;
    case PROP_USERS_FILE: replace_str (&self->users_file, g_value_get_string (value)); break;
    case PROP_TLS_CERTIFICATE: replace_str (&self->tls_certificate, g_value_get_string (value)); break;
    case PROP_TLS_KEY: replace_str (&self->tls_key, g_value_get_string (value)); break;
    case PROP_TLS_CA: replace_str (&self->tls_ca, g_value_get_string (value)); break;
    case PROP_TOKEN_LIFETIME: self->token_lifetime = g_value_get_uint (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
  if (prop_id == PROP_LISTEN_ADDRESS && self->listen_address == NULL)
    self->listen_address = g_strdup ("127.0.0.1");
}

static void
ob_sandbox_class_init (ObSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ob_sandbox_dispose;
  object_class->finalize = ob_sandbox_finalize;
  object_class->get_property = ob_sandbox_get_property;
  object_class->set_property = ob_sandbox_set_property;

  properties[PROP_LISTEN_ADDRESS] =
    g_param_spec_string ("listen-address", NULL, NULL, "127.0.0.1", flags);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0, flags);
  properties[PROP_DATABASE] =
    g_param_spec_string ("database", NULL, NULL, NULL, flags);
  properties[PROP_SEED] =
    g_param_spec_string ("seed", NULL, NULL, NULL, flags);
  properties[PROP_USERS_FILE] =
    g_param_spec_string ("users-file", NULL, NULL, NULL, flags);
  properties[PROP_TLS_CERTIFICATE] =
    g_param_spec_string ("tls-certificate", NULL, NULL, NULL, flags);
  properties[PROP_TLS_KEY] =
    g_param_spec_string ("tls-key", NULL, NULL, NULL, flags);
  properties[PROP_TLS_CA] =
    g_param_spec_string ("tls-ca", NULL, NULL, NULL, flags);
  properties[PROP_TOKEN_LIFETIME] =
    g_param_spec_uint ("token-lifetime", NULL, NULL, 1, G_MAXUINT32,
                       OB_SANDBOX_DEFAULT_TOKEN_LIFETIME, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ob_sandbox_init (ObSandbox *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_free);
  self->listen_address = g_strdup ("127.0.0.1");
  self->token_lifetime = OB_SANDBOX_DEFAULT_TOKEN_LIFETIME;
}
