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
