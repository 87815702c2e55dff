/* fake-engine.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "fake-engine.h"

struct _FakeEngine
{
  GSocketService *service;
  char *url;
  char *full_version;
  char *capabilities;
  FakeRoute route;
  gpointer user_data;
  GMutex lock;
  GPtrArray *log;
  gint active;   /* handlers running */
  gint hits;     /* requests read, of any path */
  /* Requests for this path (the whole path) get a redirect. */
  char *redirect_path;
  guint redirect_status;
  char *redirect_location;
};

static void
fake_request_free (FakeRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->body);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeRequest, fake_request_free)

gboolean
fake_engine_reply (GOutputStream *out,
                   guint          status,
                   const char    *content_type,
                   const char    *body,
                   gsize          length)
{
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 %u X\r\n"
                                           "Content-Type: %s\r\n"
                                           "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                           "Connection: close\r\n\r\n",
                                           status, content_type, length);

  return g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL) &&
         g_output_stream_write_all (out, body, length, NULL, NULL, NULL);
}

/* Reads the request line, the headers and a Content-Length body. */
static FakeRequest *
read_request (GInputStream *in)
{
  g_autoptr(GString) head = g_string_new (NULL);
  g_autoptr(FakeRequest) request = g_new0 (FakeRequest, 1);
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) first = NULL;
  gsize content_length = 0;
  char c;

  while (!g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      if (g_input_stream_read (in, &c, 1, NULL, NULL) != 1 || head->len > 65536)
        return NULL;
      g_string_append_c (head, c);
    }
  lines = g_strsplit (head->str, "\r\n", -1);
  first = g_strsplit (lines[0], " ", 3);
  if (g_strv_length (first) < 2)
    return NULL;
  for (guint i = 1; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], "Content-Length:", 15) == 0)
      content_length = (gsize) g_ascii_strtoull (lines[i] + 15, NULL, 10);
  request->method = g_strdup (first[0]);
  request->path = g_strndup (first[1], strcspn (first[1], "?"));
  request->body = g_malloc0 (content_length + 1);
  if (content_length > 0 &&
      !g_input_stream_read_all (in, request->body, content_length, NULL, NULL, NULL))
    return NULL;
  return g_steal_pointer (&request);
}

static void
reply_root (FakeEngine    *engine,
            GOutputStream *out)
{
  guint major = 0, minor = 0, build = 0;
  g_autofree char *body = NULL;
  g_autofree char *head = NULL;
  g_autofree char *capabilities = NULL;

  sscanf (engine->full_version, "%u.%u.%u", &major, &minor, &build);
  body = g_strdup_printf ("{\"product_info\":{\"name\":\"oVirt Engine\",\"vendor\":\"ovirt.org\","
                          "\"version\":{\"build\":\"%u\",\"full_version\":\"%s\",\"major\":\"%u\","
                          "\"minor\":\"%u\",\"revision\":\"0\"}},"
                          "\"summary\":{\"vms\":{\"total\":\"1\"}}}",
                          build, engine->full_version, major, minor);
  if (engine->capabilities != NULL)
    capabilities = g_strdup_printf ("X-Engine-Capabilities: %s\r\n", engine->capabilities);
  head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n%s"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                          capabilities != NULL ? capabilities : "", strlen (body));
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, body, strlen (body), NULL, NULL, NULL);
}

static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source,
        gpointer                user_data)
{
  FakeEngine *engine = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(FakeRequest) request = NULL;
  const char *json = "application/json";

  g_atomic_int_inc (&engine->active);
  request = read_request (in);
  if (request == NULL)
    {
      g_atomic_int_dec_and_test (&engine->active);
      return TRUE;
    }
  g_atomic_int_inc (&engine->hits);
  if (g_strcmp0 (request->path, engine->redirect_path) == 0)
    {
      g_autofree char *head = g_strdup_printf ("HTTP/1.1 %u X\r\nLocation: %s\r\n"
                                               "Content-Type: text/html\r\nContent-Length: 0\r\n"
                                               "Connection: close\r\n\r\n",
                                               engine->redirect_status, engine->redirect_location);

      g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
    }
  else if (strcmp (request->path, "/ovirt-engine/sso/oauth/token") == 0)
    {
      const char *token = "{\"access_token\":\"tok\",\"token_type\":\"bearer\"}";
      fake_engine_reply (out, 200, json, token, strlen (token));
    }
  else if (strcmp (request->path, "/ovirt-engine/services/sso-logout") == 0)
    fake_engine_reply (out, 200, json, "{}", 2);
  else if (strcmp (request->path, "/ovirt-engine/api") == 0)
    reply_root (engine, out);
  else if (g_str_has_prefix (request->path, "/ovirt-engine/api/"))
    {
      char *path = g_strdup (request->path + strlen ("/ovirt-engine/api/"));

      g_free (request->path);
      request->path = path;
      g_mutex_lock (&engine->lock);
      g_ptr_array_add (engine->log, g_strdup_printf ("%s %s %s", request->method, request->path, request->body));
      g_mutex_unlock (&engine->lock);
      if (engine->route == NULL || !engine->route (engine, request, out, engine->user_data))
        fake_engine_reply (out, 404, json, "{}", 2);
    }
  else
    fake_engine_reply (out, 404, json, "{}", 2);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  g_atomic_int_dec_and_test (&engine->active);
  return TRUE;
}

FakeEngine *
fake_engine_new (const char *full_version,
                 const char *capabilities,
                 FakeRoute   route,
                 gpointer    user_data)
{
  g_autoptr(GError) error = NULL;
  FakeEngine *engine = g_new0 (FakeEngine, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  engine->full_version = g_strdup (full_version);
  engine->capabilities = g_strdup (capabilities);
  engine->route = route;
  engine->user_data = user_data;
  engine->log = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&engine->lock);
  engine->service = g_threaded_socket_service_new (8);
  g_socket_listener_add_address (G_SOCKET_LISTENER (engine->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (engine->service, "run", G_CALLBACK (on_run), engine);
  engine->url = g_strdup_printf ("http://127.0.0.1:%u/ovirt-engine/api",
                                 g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_service_start (engine->service);
  return engine;
}

gboolean
fake_engine_wait_idle (FakeEngine *engine,
                       guint       ms)
{
  for (guint i = 0; i < ms / 10 && g_atomic_int_get (&engine->active) > 0; i++)
    {
      /* The client closes its sockets in the main loop. */
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
  return g_atomic_int_get (&engine->active) == 0;
}

void
fake_engine_free (FakeEngine *engine)
{
  g_socket_service_stop (engine->service);
  g_socket_listener_close (G_SOCKET_LISTENER (engine->service));
  /* Routes end when the client has gone (their writes fail): wait for
   * them, they use @engine. */
  g_assert_true (fake_engine_wait_idle (engine, 30000));
  g_object_unref (engine->service);
  g_ptr_array_unref (engine->log);
  g_mutex_clear (&engine->lock);
  g_free (engine->url);
  g_free (engine->full_version);
  g_free (engine->capabilities);
  g_free (engine->redirect_path);
  g_free (engine->redirect_location);
  g_free (engine);
}

void
fake_engine_set_redirect (FakeEngine *engine,
                          const char *path,
                          guint       status,
                          const char *location)
{
  g_free (engine->redirect_path);
  engine->redirect_path = g_strdup (path);
  engine->redirect_status = status;
  g_free (engine->redirect_location);
  engine->redirect_location = g_strdup (location);
}

guint
fake_engine_get_hits (FakeEngine *engine)
{
  return (guint) g_atomic_int_get (&engine->hits);
}

const char *
fake_engine_get_url (FakeEngine *engine)
{
  return engine->url;
}

GStrv
fake_engine_dup_log (FakeEngine *engine)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_mutex_lock (&engine->lock);
  for (guint i = 0; i < engine->log->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (engine->log, i));
  g_mutex_unlock (&engine->lock);
  return g_strv_builder_end (builder);
}

gboolean
fake_engine_logged (FakeEngine *engine,
                    const char *prefix)
{
  g_auto(GStrv) log = fake_engine_dup_log (engine);

  for (guint i = 0; log[i] != NULL; i++)
    if (g_str_has_prefix (log[i], prefix))
      return TRUE;
  return FALSE;
}

int
fake_engine_run_cli (FakeEngine  *engine,
                     const char  *cli_path,
                     const char  *timeout,
                     char       **out,
                     char       **err)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) cli = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  g_subprocess_launcher_setenv (launcher, "OVIRT_PASSWORD", "secret", TRUE);
  cli = g_subprocess_launcher_spawn (launcher, &error, cli_path, "--engine", fake_engine_get_url (engine),
                                     "--user", "admin@internal", "--timeout", timeout,
                                     "vm", "list", NULL);
  g_assert_no_error (error);
  /* The fake engine accepts in this main loop: wait without blocking it. */
  g_subprocess_communicate_utf8_async (cli, NULL, NULL, ob_test_store_result, &result);
  g_assert_true (g_subprocess_communicate_utf8_finish (cli, ob_test_wait_for_result (&result), out, err, &error));
  g_assert_no_error (error);
  g_test_message ("stderr: %s", *err);
  return g_subprocess_get_exit_status (cli);
}
