/* ob-sandbox-pki.c: the engine's certificate, key and CA. They are
 * checked at start (the key must belong to the certificate; the CA file
 * must hold certificates), and pki-resource serves the CA certificates
 * as parsed, so no key material that shares their file ever leaves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <sys/socket.h>

#include "ob-error.h"
#include "ob-sandbox-impl.h"

#define HANDSHAKE_TIMEOUT_S 10

typedef struct
{
  guint    pending;
  gboolean failed;
  GError  *error;
} Handshakes;

static void
handshake_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Handshakes *h = user_data;
  GError *error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      h->failed = TRUE;
      if (h->error == NULL)
        h->error = error;
      else
        g_error_free (error);
    }
  h->pending--;
}

static gboolean
accept_any (GTlsConnection       *conn,
            GTlsCertificate      *peer_cert,
            GTlsCertificateFlags  errors,
            gpointer              user_data)
{
  return TRUE;
}

static gboolean
timed_out (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static GIOStream *
socket_stream (int fd)
{
  g_autoptr(GSocket) sock = g_socket_new_from_fd (fd, NULL);

  return sock ? G_IO_STREAM (g_socket_connection_factory_create_connection (sock)) : NULL;
}

/* GLib loads a key that does not belong to its certificate; every
 * handshake then fails. A handshake with itself over a socket pair finds
 * that out at start. */
static gboolean
key_matches (GTlsCertificate  *cert,
             GError          **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GIOStream) a = NULL;
  g_autoptr(GIOStream) b = NULL;
  g_autoptr(GIOStream) server = NULL;
  g_autoptr(GIOStream) client = NULL;
  Handshakes h = { 0, FALSE, NULL };
  GSource *timeout;
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM, 0, fds) != 0)
    return TRUE;   /* cannot tell; the first handshake will */
  a = socket_stream (fds[0]);
  b = socket_stream (fds[1]);
  if (a == NULL || b == NULL)
    return TRUE;
  server = G_IO_STREAM (g_tls_server_connection_new (a, cert, error));
  if (server == NULL)
    return FALSE;
  client = G_IO_STREAM (g_tls_client_connection_new (b, NULL, error));
  if (client == NULL)
    return FALSE;
  g_signal_connect (client, "accept-certificate", G_CALLBACK (accept_any), NULL);

  g_main_context_push_thread_default (context);
  timeout = g_timeout_source_new_seconds (HANDSHAKE_TIMEOUT_S);
  g_source_set_callback (timeout, timed_out, cancellable, NULL);
  g_source_attach (timeout, context);
  h.pending = 2;
  g_tls_connection_handshake_async (G_TLS_CONNECTION (server), G_PRIORITY_DEFAULT, cancellable,
                                    handshake_done, &h);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (client), G_PRIORITY_DEFAULT, cancellable,
                                    handshake_done, &h);
  while (h.pending > 0)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  g_source_unref (timeout);
  g_main_context_pop_thread_default (context);

  if (h.failed)
    g_propagate_error (error, h.error);
  return !h.failed;
}

/* The CA file's certificates, as PEM, and nothing else. */
static char *
read_ca (const char  *path,
         GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GList *certs = g_tls_certificate_list_new_from_file (path, &local_error);
  GString *pem;

  if (certs == NULL)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT, _("%s: no certificate could be read%s%s"),
                   path, local_error ? ": " : "", local_error ? local_error->message : "");
      return NULL;
    }
  pem = g_string_new (NULL);
  for (GList *l = certs; l != NULL; l = l->next)
    {
      g_autofree char *one = NULL;

      g_object_get (l->data, "certificate-pem", &one, NULL);
      g_string_append (pem, one);
    }
  g_list_free_full (certs, g_object_unref);
  return g_string_free (pem, FALSE);
}

GTlsCertificate *
ob_sandbox_pki_load (ObSandbox  *self,
                     GError    **error)
{
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) local_error = NULL;

  cert = g_tls_certificate_new_from_files (self->tls_certificate, self->tls_key, &local_error);
  if (cert == NULL)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("Cannot load the TLS certificate or key: %s"), local_error->message);
      return NULL;
    }
  if (!key_matches (cert, &local_error))
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("The key %s does not match the certificate %s: %s"),
                   self->tls_key, self->tls_certificate,
                   local_error ? local_error->message : _("handshake failed"));
      return NULL;
    }
  self->ca_pem = read_ca (self->tls_ca ? self->tls_ca : self->tls_certificate, error);
  if (self->ca_pem == NULL)
    return NULL;
  return g_steal_pointer (&cert);
}

void
ob_sandbox_handle_pki (ObSandbox         *self,
                       SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) params = query ? soup_form_decode (query) : NULL;

  if (self->ca_pem == NULL)
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
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/x-x509-ca-cert", SOUP_MEMORY_COPY,
                                    self->ca_pem, strlen (self->ca_pem));
}
