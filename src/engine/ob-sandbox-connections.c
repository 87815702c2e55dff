/* ob-sandbox-connections.c: what the engine does about connections as
 * such. Idle ones are closed after a timeout, their number is capped, and
 * listening survives accept errors: libsoup's listener stops for good on
 * the first failed accept (EMFILE after a descriptor flood), so a watchdog
 * that sees connections waiting unaccepted listens again on a duplicate of
 * the socket, backing off while descriptors are short.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ob-sandbox-impl.h"

#define WATCHDOG_INTERVAL_MS 500
#define STALLED_USEC         (G_USEC_PER_SEC)
#define SOCKET_KEY           "ob-sandbox-socket"
#define FIRST_BYTES_KEY      "ob-sandbox-first-bytes"

static void
forget_connection (gpointer  user_data,
                   GObject  *socket)
{
  ObSandbox *self = user_data;

  if (self->connections != NULL)
    g_hash_table_remove (self->connections, socket);
}

static void
disconnected (SoupServerMessage *msg,
              gpointer           user_data)
{
  ObSandbox *self = user_data;
  /* The message has let go of its socket by now. */
  GSocket *sock = g_object_get_data (G_OBJECT (msg), SOCKET_KEY);

  if (sock != NULL && self->connections != NULL &&
      g_hash_table_remove (self->connections, sock))
    g_object_weak_unref (G_OBJECT (sock), forget_connection, self);
}

/* Whether the client has closed: libsoup 3.2 neither says so nor frees
 * the socket when a client closes a kept-alive connection. */
static gboolean
peer_gone (GSocket *sock)
{
  char c;
  gssize n;

  if (g_socket_is_closed (sock))
    return TRUE;
  n = recv (g_socket_get_fd (sock), &c, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

static void
prune (ObSandbox *self)
{
  GHashTableIter iter;
  gpointer sock;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &sock, NULL))
    if (peer_gone (sock))
      {
        g_object_weak_unref (sock, forget_connection, self);
        g_hash_table_iter_remove (&iter);
      }
}

/* What a web server answers to a TLS ClientHello (an https:// URL against
 * this plain-HTTP port): 400 at once, as Apache and nginx do, where libsoup would wait
 * for a line end that never comes and the client for its handshake. */
static const char bad_request[] =
  "HTTP/1.1 400 Bad Request\r\n"
  "Content-Type: text/plain\r\n"
  "Content-Length: 56\r\n"
  "Connection: close\r\n"
  "\r\n"
  "Bad request: this port speaks plain HTTP, not HTTPS/TLS\n";

/* TRUE when @head (@n bytes) is, or may still become, the header of a TLS
 * handshake record (a ClientHello: 0x16, version 3.0 to 3.4). Only that is
 * refused: libsoup may already have taken a request's first bytes when
 * this runs, and what follows them (a body) may start with anything. */
static gboolean
looks_like_tls (const guchar *head,
                gssize        n)
{
  return head[0] == 0x16 && (n < 2 || head[1] == 0x03) && (n < 3 || head[2] <= 0x04);
}

/* G_SOURCE_CONTINUE while too little has come to tell. */
static gboolean
first_bytes_checked (GSocket      *sock,
                     GIOCondition  condition,
                     gpointer      user_data)
{
  guchar head[3];
  char sink[4096];
  gssize n;

  /* Closed by libsoup (an idle timeout): its descriptor may be another's. */
  if (g_socket_is_closed (sock))
    return G_SOURCE_REMOVE;
  n = recv (g_socket_get_fd (sock), head, sizeof head, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && g_io_error_from_errno (errno) == G_IO_ERROR_WOULD_BLOCK)
    return G_SOURCE_CONTINUE;
  if (n <= 0 || !looks_like_tls (head, n))
    return G_SOURCE_REMOVE;
  if (n < (gssize) sizeof head)
    return G_SOURCE_CONTINUE;
  /* Read what came, so the close sends no reset that loses the answer. */
  while (recv (g_socket_get_fd (sock), sink, sizeof sink, MSG_DONTWAIT) > 0)
    ;
  if (send (g_socket_get_fd (sock), bad_request, sizeof bad_request - 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
    g_debug ("sandbox: the 400 for a non-HTTP request was not sent: %s", g_strerror (errno));
  /* libsoup sees the end of the stream and drops the connection. */
  g_socket_shutdown (sock, TRUE, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

/* Before libsoup reads a new connection's first bytes: now when they are
 * there (libsoup reads right after this), else when they come (a higher
 * priority than its own source on the same socket). */
static void
check_first_bytes (ObSandbox *self,
                   GSocket   *sock)
{
  g_autoptr(GSource) source = NULL;

  /* Once per connection: at a later request libsoup may have read ahead
   * and the socket holds a body. */
  if (g_object_get_data (G_OBJECT (sock), FIRST_BYTES_KEY) != NULL)
    return;
  g_object_set_data (G_OBJECT (sock), FIRST_BYTES_KEY, GINT_TO_POINTER (TRUE));
  if (first_bytes_checked (sock, G_IO_IN, NULL) == G_SOURCE_REMOVE)
    return;
  source = g_socket_create_source (sock, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);

  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, G_SOURCE_FUNC (first_bytes_checked), NULL, NULL);
  g_source_attach (source, self->context);
}

void
ob_sandbox_connections_track (ObSandbox         *self,
                              SoupServerMessage *msg)
{
  GSocket *sock = soup_server_message_get_socket (msg);

  if (sock == NULL)
    return;
  g_object_set_data (G_OBJECT (msg), SOCKET_KEY, sock);
  g_signal_connect (msg, "disconnected", G_CALLBACK (disconnected), self);
  if (g_hash_table_contains (self->connections, sock))
    return;
  if (g_hash_table_size (self->connections) >= self->max_connections)
    prune (self);
  if (g_hash_table_size (self->connections) >= self->max_connections)
    {
      /* Over the cap: libsoup sees the end of the stream and drops it. */
      g_socket_shutdown (sock, TRUE, TRUE, NULL);
      return;
    }
  g_hash_table_add (self->connections, sock);
  g_object_weak_ref (G_OBJECT (sock), forget_connection, self);
  /* Accepting works: a connection seen waiting before is no stall. */
  self->stalled_since = 0;
  if ((self->listen_options & SOUP_SERVER_LISTEN_HTTPS) == 0)
    check_first_bytes (self, sock);
  /* Non-blocking sockets time out in their sources: an idle connection
   * (waiting for its next request) ends after this. */
  g_socket_set_timeout (sock, self->idle_timeout);
}

static gboolean
watchdog (gpointer user_data)
{
  ObSandbox *self = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) again = NULL;
  int fd;

  if ((g_socket_condition_check (self->listen_socket, G_IO_IN) & G_IO_IN) == 0)
    {
      self->stalled_since = 0;
      return G_SOURCE_CONTINUE;
    }
  if (self->stalled_since == 0)
    self->stalled_since = now;
  if (now - self->stalled_since < STALLED_USEC)
    return G_SOURCE_CONTINUE;

  /* Still short of descriptors: try again at the next tick. */
  fd = dup (g_socket_get_fd (self->listen_socket));
  if (fd < 0)
    return G_SOURCE_CONTINUE;
  again = g_socket_new_from_fd (fd, &error);
  if (again == NULL)
    {
      close (fd);
      return G_SOURCE_CONTINUE;
    }
  /* Two listeners may race for one connection: the loser must get
   * EAGAIN (and its listener stop), not block the thread in accept. */
  g_socket_set_blocking (again, FALSE);
  if (soup_server_listen_socket (self->server, again, self->listen_options, &error))
    self->stalled_since = 0;
  return G_SOURCE_CONTINUE;
}

void
ob_sandbox_connections_start (ObSandbox               *self,
                              GSocket                 *listen_socket,
                              SoupServerListenOptions  options)
{
  self->connections = g_hash_table_new (NULL, NULL);
  self->listen_socket = g_object_ref (listen_socket);
  self->listen_options = options;
  self->stalled_since = 0;
  self->watchdog = g_timeout_source_new (WATCHDOG_INTERVAL_MS);
  g_source_set_callback (self->watchdog, watchdog, self, NULL);
  g_source_attach (self->watchdog, self->context);
}

void
ob_sandbox_connections_stop (ObSandbox *self)
{
  if (self->watchdog != NULL)
    {
      g_source_destroy (self->watchdog);
      g_clear_pointer (&self->watchdog, g_source_unref);
    }
  if (self->connections != NULL)
    {
      GHashTableIter iter;
      gpointer sock;

      g_hash_table_iter_init (&iter, self->connections);
      while (g_hash_table_iter_next (&iter, &sock, NULL))
        g_object_weak_unref (sock, forget_connection, self);
      g_clear_pointer (&self->connections, g_hash_table_unref);
    }
  g_clear_object (&self->listen_socket);
}
