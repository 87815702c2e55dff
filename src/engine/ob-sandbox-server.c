/* ob-sandbox-server.c: the HTTP server in the engine's thread: listening,
 * TLS, the body limit, fault injection and dispatch by path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <sys/socket.h>

#include "ob-error.h"
#include "ob-sandbox-impl.h"
#include "ob-sandbox-seed.h"

void
ob_sandbox_serve (ObSandbox         *self,
                  SoupServerMessage *msg)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  g_autofree char *end_session = NULL;

  if (g_str_equal (path, OB_SANDBOX_SSO_TOKEN_PATH))
    {
      ob_sandbox_handle_sso_token (self, msg);
      return;
    }
  if (g_str_equal (path, OB_SANDBOX_SSO_LOGOUT_PATH))
    {
      ob_sandbox_handle_sso_logout (self, msg);
      return;
    }
  if (g_str_equal (path, OB_SANDBOX_PKI_PATH))
    {
      ob_sandbox_handle_pki (self, msg);
      return;
    }

  if (g_str_has_prefix (path, OB_SANDBOX_API_PREFIX) &&
      (path[strlen (OB_SANDBOX_API_PREFIX)] == '\0' || path[strlen (OB_SANDBOX_API_PREFIX)] == '/'))
    {
      const char *sub = path + strlen (OB_SANDBOX_API_PREFIX);
      g_autofree char *user = ob_sandbox_authenticate (self, msg, &end_session);

      if (user == NULL)
        return;
      if (!ob_sandbox_authorize (self, msg, user))
        goto out;
      /* /ovirt-engine/api/v4/... is the same API. */
      if (g_str_has_prefix (sub, "/v4") && (sub[3] == '\0' || sub[3] == '/'))
        sub += 3;
      ob_sandbox_router_handle_api (&self->router, msg, sub);
    }
  else if (g_str_has_prefix (path, OB_SANDBOX_SANDBOX_PREFIX "/"))
    {
      g_autofree char *user = ob_sandbox_authenticate (self, msg, &end_session);

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
      ob_sandbox_serve (self, msg);
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
        ob_sandbox_serve (d->self, d->msg);
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

  if (ob_sandbox_take_fault (self, soup_server_message_get_method (msg), path, &fault))
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

    guint status;

    ob_sandbox_serve (self, msg);
    /* How long the engine itself took, for the benchmark (standard
     * Server-Timing header; clients ignore it). Never on anything about
     * credentials, where it would tell a known user from an unknown one. */
    status = soup_server_message_get_status (msg);
    if (status != 0 && status != SOUP_STATUS_UNAUTHORIZED && status != OB_STATUS_TOO_MANY_REQUESTS &&
        !g_str_has_prefix (path, "/ovirt-engine/sso/") && !g_str_equal (path, OB_SANDBOX_SSO_LOGOUT_PATH))
      {
        g_snprintf (timing, sizeof timing, "engine;dur=%.3f", (g_get_monotonic_time () - t0) / 1000.0);
        soup_message_headers_append (soup_server_message_get_response_headers (msg), "Server-Timing",
                                     timing);
      }
  }
}

static void
got_headers (SoupServerMessage *msg,
             gpointer           user_data)
{
  ob_sandbox_body_limit_watch (msg);
}

static void
request_started (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  ob_sandbox_connections_track (user_data, msg);
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers), NULL);
}

#define SWEEP_INTERVAL_S 60

static gboolean
sweep (gpointer user_data)
{
  ObSandbox *self = user_data;

  ob_sandbox_auth_sweep (self->auth);
  return G_SOURCE_CONTINUE;
}

gboolean
ob_sandbox_setup_in_thread (ObSandbox *self,
                            GError   **error)
{
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  SoupServerListenOptions options = 0;
  GSList *uris;
  GUri *uri;

  if (!ob_sandbox_engine_version_parse (self->engine_version_text, &self->engine_version, error))
    return FALSE;
  /* Each era has its schema; an older engine cannot open a database an
   * upgrade has taken to the flag era. */
  self->store = ob_sandbox_store_open (self->database,
                                       ob_sandbox_engine_version_flag_era (&self->engine_version)
                                         ? OB_SANDBOX_STORE_FLAG_ERA_VERSION
                                         : OB_SANDBOX_STORE_DEVICE_ERA_VERSION,
                                       error);
  if (self->store == NULL)
    {
      g_autofree char *version = ob_sandbox_engine_version_to_string (&self->engine_version);

      g_prefix_error (error, _("Engine %s: "), version);
      return FALSE;
    }
  if (!ob_sandbox_seed_ensure_blank (self->store, error) ||
      !ob_sandbox_seed_apply (self->store, self->seed, error))
    return FALSE;

  self->auth = ob_sandbox_auth_new (self->users_file, self->token_lifetime, error);
  if (self->auth == NULL)
    return FALSE;

  self->sweep = g_timeout_source_new_seconds (SWEEP_INTERVAL_S);
  g_source_set_callback (self->sweep, sweep, self, NULL);
  g_source_attach (self->sweep, self->context);

  self->instance_id = g_uuid_string_random ();
  self->router.store = self->store;
  self->router.instance_id = self->instance_id;
  self->router.engine_version = &self->engine_version;
  self->router.flag_era = ob_sandbox_store_is_flag_era (self->store);

  if ((self->tls_certificate == NULL) != (self->tls_key == NULL))
    {
      g_set_error_literal (error, OB_ERROR, OB_ERROR_USAGE,
                           _("TLS needs both a certificate and a key."));
      return FALSE;
    }
  if (self->tls_certificate != NULL)
    {
      cert = ob_sandbox_pki_load (self, error);
      if (cert == NULL)
        return FALSE;
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
        /* libsoup accepts with this socket's blocking mode: a connection
         * gone before its accept must not hang the engine's thread. */
        g_socket_set_blocking (sock, FALSE);
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
    ob_sandbox_connections_start (self, sock, options);
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

void
ob_sandbox_teardown_in_thread (ObSandbox *self)
{
  ob_sandbox_connections_stop (self);
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  /* Password checks still on worker threads come back here. */
  while (self->pending_checks > 0)
    g_main_context_iteration (self->context, TRUE);
  /* Let pending sources (closing connections) run once. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_clear_pointer (&self->store, ob_sandbox_store_free);
  g_clear_pointer (&self->auth, ob_sandbox_auth_free);
  g_clear_pointer (&self->instance_id, g_free);
  g_clear_pointer (&self->ca_pem, g_free);
  if (self->sweep != NULL)
    {
      g_source_destroy (self->sweep);
      g_clear_pointer (&self->sweep, g_source_unref);
    }
}
