/* ob-connection-scheme.c: telling a user that the engine speaks the other
 * scheme (https:// against a plain-HTTP port, http:// against a TLS one)
 * instead of a bare handshake or reset error.
 *
 * The transport errors alone do not say it for sure (a TLS library's
 * "unexpected packet" also comes from broken servers), so after such a
 * failure one short connection asks the port in the other scheme.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ob-connection-private.h"
#include "ob-error.h"

/* Seconds the probe may take: it only runs after a failure. */
#define PROBE_TIMEOUT_S 5

static gboolean
url_is_https (ObConnection *self)
{
  return g_ascii_strncasecmp (self->api_url, "https:", 6) == 0;
}

gboolean
ob_connection_scheme_suspect (ObConnection *self,
                              SoupMessage  *msg,
                              const GError *error)
{
  /* Only while connecting: a connection that worked has the right
   * scheme, and a drop later on is the network's doing. */
  if (self->auth != OB_AUTH_NONE)
    return FALSE;
  if (url_is_https (self))
    /* The handshake failed before any certificate came. */
    return error->domain == G_TLS_ERROR &&
           (error->code == G_TLS_ERROR_NOT_TLS || error->code == G_TLS_ERROR_MISC) &&
           (msg == NULL || soup_message_get_tls_peer_certificate (msg) == NULL);
  /* A TLS server drops a plain request without an HTTP answer. */
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
}

typedef struct
{
  GIOStream *stream;
  char answer[5];
} Probe;

static void
probe_free (Probe *probe)
{
  g_clear_object (&probe->stream);
  g_free (probe);
}

static GError *
other_scheme_error (ObConnection *self)
{
  gboolean https = url_is_https (self);
  /* The same address in the scheme the engine speaks. */
  g_autofree char *other = g_strconcat (https ? "http" : "https", strchr (self->api_url, ':'), NULL);

  if (https)
    return g_error_new (OB_ERROR, OB_ERROR_CONNECT,
                        _("The engine at %s speaks http, not https: it answered the TLS handshake in plain "
                          "HTTP. Use %s, or the port where it serves https."),
                        self->engine_key, other);
  return g_error_new (OB_ERROR, OB_ERROR_CONNECT,
                      _("The engine at %s speaks https, not http: it dropped the plain request and "
                        "answers a TLS handshake. Use %s."),
                      self->engine_key, other);
}

/* Apache's mod_ssl ("You're speaking plain HTTP to an SSL-enabled server
 * port", in front of every oVirt engine) and nginx ("The plain HTTP
 * request was sent to HTTPS port") answer such a request with a 400 page. */
GError *
ob_connection_scheme_plain_answer (ObConnection *self,
                                   guint         status,
                                   GBytes       *body)
{
  g_autofree char *text = NULL;
  g_autofree char *other = NULL;
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;

  if (url_is_https (self) || status != SOUP_STATUS_BAD_REQUEST || len == 0)
    return NULL;
  text = g_ascii_strdown (data, MIN (len, 4096));
  if (strstr (text, "speaking plain http to an ssl-enabled server port") == NULL &&
      strstr (text, "plain http request was sent to https port") == NULL)
    return NULL;
  other = g_strconcat ("https", strchr (self->api_url, ':'), NULL);
  return g_error_new (OB_ERROR, OB_ERROR_CONNECT,
                      _("The engine at %s speaks https, not http: its web server answered that a plain "
                        "HTTP request reached its HTTPS port. Use %s."),
                      self->engine_key, other);
}

static void
probe_done (GTask    *task,
            gboolean  other_scheme)
{
  ObConnection *self = g_task_get_source_object (task);

  if (other_scheme)
    g_task_return_pointer (task, other_scheme_error (self), (GDestroyNotify) g_error_free);
  else
    g_task_return_pointer (task, NULL, NULL);
}

static void
probe_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);
  gsize n = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &n, NULL))
    n = 0;
  probe_done (task, n == sizeof probe->answer && memcmp (probe->answer, "HTTP/", 5) == 0);
}

static void
probe_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      probe_done (task, FALSE);
      return;
    }
  g_input_stream_read_all_async (g_io_stream_get_input_stream (probe->stream), probe->answer,
                                 sizeof probe->answer, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                 probe_read_cb, g_object_ref (task));
}

static void
probe_handshake_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  probe_done (task, g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, NULL));
}

/* Only whether the port speaks TLS is asked: no data is sent, so any
 * certificate will do. */
static gboolean
accept_any (GTlsConnection       *connection,
            GTlsCertificate      *peer,
            GTlsCertificateFlags  errors,
            gpointer              user_data)
{
  return TRUE;
}

static void
probe_connected_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObConnection *self = g_task_get_source_object (task);
  Probe *probe = g_task_get_task_data (task);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autofree char *request = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, NULL);
  if (connection == NULL)
    {
      probe_done (task, FALSE);
      return;
    }
  if (!url_is_https (self))
    {
      identity = g_network_address_new (self->host, (guint16) self->port);
      probe->stream = G_IO_STREAM (g_tls_client_connection_new (G_IO_STREAM (connection), identity, NULL));
      if (probe->stream == NULL)
        {
          probe_done (task, FALSE);
          return;
        }
      g_signal_connect (probe->stream, "accept-certificate", G_CALLBACK (accept_any), NULL);
      g_tls_connection_handshake_async (G_TLS_CONNECTION (probe->stream), G_PRIORITY_DEFAULT,
                                        g_task_get_cancellable (task), probe_handshake_cb,
                                        g_object_ref (task));
      return;
    }
  probe->stream = G_IO_STREAM (g_steal_pointer (&connection));
  request = g_strdup_printf ("HEAD / HTTP/1.0\r\nHost: %s\r\n\r\n", self->engine_key);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (probe->stream), request, strlen (request),
                                   G_PRIORITY_DEFAULT, g_task_get_cancellable (task), probe_written_cb,
                                   g_object_ref (task));
}

void
ob_connection_probe_scheme_async (ObConnection        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnectable) address = g_network_address_new (self->host, (guint16) self->port);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, ob_connection_probe_scheme_async);
  g_task_set_task_data (task, g_new0 (Probe, 1), (GDestroyNotify) probe_free);
  g_socket_client_set_timeout (client, PROBE_TIMEOUT_S);
  g_socket_client_connect_async (client, address, cancellable, probe_connected_cb, task);
}

GError *
ob_connection_probe_scheme_finish (ObConnection *self,
                                   GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), NULL);
}
