/* test-client-scheme.c: an http:// URL against the HTTPS port of a web
 * server in front of an engine. Apache's mod_ssl and nginx answer the
 * plain request with a 400 page; the client must say that the engine
 * speaks https, and only for those pages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ob-connection.h"
#include "ob-error.h"
#include "ob-test-wait.h"

/* The body of the 400 page the server answers every request with. */
typedef struct
{
  const char *body;
  gboolean    is_hint;   /* the client should name the other scheme */
} Page;

static const Page pages[] = {
  /* Apache httpd 2.4 with mod_ssl, as in front of every oVirt engine. */
  { "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>400 Bad Request</title>\n"
    "</head><body>\n<h1>Bad Request</h1>\n<p>Your browser sent a request that this server could not "
    "understand.<br />\nReason: You're speaking plain HTTP to an SSL-enabled server port.<br />\n "
    "Instead use the HTTPS scheme to access this URL, please.<br />\n</p>\n</body></html>\n", TRUE },
  /* nginx. */
  { "<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n"
    "<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS "
    "port</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", TRUE },
  /* Any other 400 page is not taken for it. */
  { "<html><body><h1>Bad Request</h1><p>Your request could not be understood.</p></body></html>\n", FALSE },
};

static gboolean
answer_400 (GThreadedSocketService *service,
            GSocketConnection      *connection,
            GObject                *source,
            gpointer                user_data)
{
  const Page *page = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GString) request = g_string_new (NULL);
  g_autofree char *head = NULL;
  char buffer[1024];
  gssize n;

  /* The request's headers (a login form's body may follow; not needed). */
  while (strstr (request->str, "\r\n\r\n") == NULL &&
         (n = g_input_stream_read (in, buffer, sizeof buffer - 1, NULL, NULL)) > 0)
    g_string_append_len (request, buffer, n);
  head = g_strdup_printf ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/html; charset=iso-8859-1\r\n"
                          "Content-Length: %zu\r\nConnection: close\r\n\r\n", strlen (page->body));
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, page->body, strlen (page->body), NULL, NULL, NULL);
  return TRUE;
}

static void
test_plain_to_tls_port (gconstpointer data)
{
  const Page *page = data;
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (2);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(ObConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *https_url = NULL;

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), any_port, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (answer_400), (gpointer) page);
  g_socket_service_start (service);
  url = g_strdup_printf ("http://127.0.0.1:%u/ovirt-engine/api",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  https_url = g_strconcat ("https", url + strlen ("http"), NULL);

  connection = ob_connection_new (url, &error);
  g_assert_no_error (error);
  ob_connection_set_credentials (connection, "admin@internal", "secret");
  ob_connection_set_timeout (connection, 10);
  ob_connection_open_async (connection, NULL, ob_test_store_result, &result);
  g_assert_false (ob_connection_open_finish (connection, ob_test_wait_for_result (&result), &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, OB_ERROR, OB_ERROR_CONNECT);
  if (page->is_hint)
    {
      g_assert_nonnull (strstr (error->message, "speaks https, not http"));
      g_assert_nonnull (strstr (error->message, https_url));
    }
  else
    g_assert_null (strstr (error->message, "speaks https"));
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/client/scheme/plain-to-tls-port/apache", &pages[0], test_plain_to_tls_port);
  g_test_add_data_func ("/client/scheme/plain-to-tls-port/nginx", &pages[1], test_plain_to_tls_port);
  g_test_add_data_func ("/client/scheme/plain-to-tls-port/other-400", &pages[2], test_plain_to_tls_port);
  return g_test_run ();
}
