/* test-fault-proxy.c: the fault proxy itself does what each fault promises,
 * against a libsoup server upstream and a libsoup client, so the fault
 * tests of the CLI and the app can trust it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <libsoup/soup.h>
#include <string.h>

#include "ob-fault-proxy.h"

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  char         *url;
  GMutex        lock;
  GCond         cond;
  gint          hook_runs;   /* atomic */
} Upstream;

typedef struct
{
  Upstream      upstream;
  ObFaultProxy *proxy;
  SoupSession  *session;
} Fixture;

#define BIG_SIZE 200000
#define PUT_BODY "{\"vm\":{\"memory_policy\":{\"ballooning\":\"false\"}}}"

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Upstream *up = user_data;
  SoupMessageHeaders *hdrs = soup_server_message_get_response_headers (msg);

  if (g_str_equal (path, "/big"))
    {
      /* Chunked on purpose: the proxy must de-chunk before it cuts. */
      SoupMessageBody *body = soup_server_message_get_response_body (msg);
      soup_message_headers_set_encoding (hdrs, SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (hdrs, "application/json", NULL);
      soup_server_message_set_status (msg, 200, NULL);
      for (int i = 0; i < BIG_SIZE / 1000; i++)
        {
          char *chunk = g_strnfill (1000, (char) ('a' + i % 26));
          soup_message_body_append (body, SOUP_MEMORY_TAKE, chunk, 1000);
        }
      soup_message_body_complete (body);
    }
  else if (g_str_equal (path, "/echo"))
    {
      SoupMessageBody *req = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (req);
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }
  else if (g_str_equal (path, "/hooks"))
    {
      g_autofree char *text = g_strdup_printf ("%d", g_atomic_int_get (&up->hook_runs));
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static gpointer
upstream_thread (gpointer data)
{
  Upstream *up = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (up->context);
  up->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (up->server, NULL, server_cb, up, NULL);
  g_assert_true (soup_server_listen_local (up->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (up->server);
  g_mutex_lock (&up->lock);
  up->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_cond_signal (&up->cond);
  g_mutex_unlock (&up->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (up->loop);
  /* Disconnecting drops the listener sources; let them be finalized. */
  soup_server_disconnect (up->server);
  g_clear_object (&up->server);
  while (g_main_context_iteration (up->context, FALSE))
    ;
  g_main_context_pop_thread_default (up->context);
  return NULL;
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GProxyResolver) resolver = NULL;
  Upstream *up = &fx->upstream;

  g_mutex_init (&up->lock);
  g_cond_init (&up->cond);
  up->context = g_main_context_new ();
  up->loop = g_main_loop_new (up->context, FALSE);
  g_mutex_lock (&up->lock);
  up->thread = g_thread_new ("upstream", upstream_thread, up);
  while (up->url == NULL)
    g_cond_wait (&up->cond, &up->lock);
  g_mutex_unlock (&up->lock);

  fx->proxy = ob_fault_proxy_new (up->url, &error);
  g_assert_no_error (error);
  /* Loopback only: never through a proxy from the environment. */
  resolver = g_simple_proxy_resolver_new (NULL, NULL);
  fx->session = soup_session_new_with_options ("timeout", 10, "proxy-resolver", resolver, NULL);
}

static gboolean
quit_idle (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  Upstream *up = &fx->upstream;
  GSource *idle = g_idle_source_new ();

  g_clear_object (&fx->session);
  g_clear_pointer (&fx->proxy, ob_fault_proxy_free);
  g_source_set_callback (idle, quit_idle, up->loop, NULL);
  g_source_attach (idle, up->context);
  g_source_unref (idle);
  g_thread_join (up->thread);
  g_main_loop_unref (up->loop);
  g_main_context_unref (up->context);
  g_free (up->url);
  g_mutex_clear (&up->lock);
  g_cond_clear (&up->cond);
}

/* Sends one request through the proxy; returns the body or NULL + error. */
static GBytes *
fetch (Fixture     *fx,
       const char  *method,
       const char  *path,
       const char  *accept,
       const char  *body,
       SoupMessage **out_msg,
       GError     **error)
{
  g_autofree char *url = g_strconcat (ob_fault_proxy_get_url (fx->proxy), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  GBytes *result;

  if (accept != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", accept);
  if (body != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  result = soup_session_send_and_read (fx->session, msg, NULL, error);
  if (out_msg != NULL)
    *out_msg = g_steal_pointer (&msg);
  return result;
}

static void
test_pass (Fixture       *fx,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = fetch (fx, "GET", "/big", NULL, NULL, &msg, &error);
  g_autoptr(GBytes) echo = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpuint (g_bytes_get_size (body), ==, BIG_SIZE);
  g_assert_cmpint (((const char *) g_bytes_get_data (body, NULL))[BIG_SIZE - 1], ==, 'a' + (BIG_SIZE / 1000 - 1) % 26);

  /* A request body goes through intact, on the same client connection. */
  g_clear_object (&msg);
  echo = fetch (fx, "PUT", "/echo", NULL, PUT_BODY, &msg, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (echo, NULL), g_bytes_get_size (echo),
                   PUT_BODY, strlen (PUT_BODY));
  g_assert_cmpuint (ob_fault_proxy_count_requests (fx->proxy, NULL), ==, 2);
}

static void
expect_transport_error (Fixture    *fx,
                        const char *spec,
                        const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  g_assert_true (ob_fault_proxy_add_rule_spec (fx->proxy, spec, &error));
  g_assert_no_error (error);
  body = fetch (fx, "GET", path, NULL, NULL, NULL, &error);
  g_assert_null (body);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", spec, error->message);
}

static void
test_close (Fixture *fx, gconstpointer data)
{
  expect_transport_error (fx, "close,path=/big", "/big");
}

static void
test_reset (Fixture *fx, gconstpointer data)
{
  expect_transport_error (fx, "reset,path=/big", "/big");
}

static void
test_abort (Fixture *fx, gconstpointer data)
{
  expect_transport_error (fx, "abort", "/big");
}

static void
test_stall (Fixture       *fx,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  gint64 start;

  g_assert_true (ob_fault_proxy_add_rule_spec (fx->proxy, "stall,ms=400", &error));
  start = g_get_monotonic_time ();
  body = fetch (fx, "GET", "/big", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 400 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (g_bytes_get_size (body), ==, BIG_SIZE);
}

static void
test_status (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;

  g_assert_true (ob_fault_proxy_add_rule_spec (fx->proxy, "status,status=500,body,nth=1", &error));
  g_assert_true (ob_fault_proxy_add_rule_spec (fx->proxy, "status,status=503,body,nth=1", &error));
  g_assert_true (ob_fault_proxy_add_rule_spec (fx->proxy, "status,status=502,nth=1", &error));

  body = fetch (fx, "GET", "/big", "application/json", NULL, &msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 500);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_assert_nonnull (strstr (text, "\"reason\" : \"Operation Failed\""));
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&text, g_free);
  g_clear_object (&msg);

  /* XML fault when JSON was not asked for. Rule 1 is used up, rule 2 fires. */
  body = fetch (fx, "GET", "/big", NULL, NULL, &msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 503);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_assert_nonnull (strstr (text, "<fault>"));
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_object (&msg);

  body = fetch (fx, "GET", "/big", NULL, NULL, &msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 502);
  g_assert_cmpuint (g_bytes_get_size (body), ==, 0);
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_object (&msg);

  /* All rules used: back to the real answer. */
  body = fetch (fx, "GET", "/big", NULL, NULL, &msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

static void
test_nth_401 (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint expected[] = { 200, 401, 200 };

  g_assert_true (ob_fault_proxy_add_rule_spec (fx->proxy, "status,status=401,body,path=/big,nth=2", &error));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) body G_GNUC_UNUSED = fetch (fx, "GET", "/big", NULL, NULL, &msg, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, expected[i]);
      if (expected[i] == 401)
        g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "WWW-Authenticate"),
                         ==, "Basic realm=\"RESTAPI\"");
    }
}

static void
test_html (Fixture       *fx,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;

  g_assert_true (ob_fault_proxy_add_rule_spec (fx->proxy, "html", &error));
  body = fetch (fx, "GET", "/big", "application/json", NULL, &msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL), ==, "text/html");
}

static void
test_truncate (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;

  g_assert_true (ob_fault_proxy_add_rule_spec (fx->proxy, "truncate,method=GET", &error));
  body = fetch (fx, "GET", "/big", NULL, NULL, &msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpuint (g_bytes_get_size (body), ==, BIG_SIZE / 2);
}

static void
hook_cb (const char *method,
         const char *path,
         gpointer    user_data)
{
  Upstream *up = user_data;

  g_assert_cmpstr (method, ==, "PUT");
  g_assert_cmpstr (path, ==, "/echo");
  g_atomic_int_inc (&up->hook_runs);
}

static void
test_hook (Fixture       *fx,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) hooks = NULL;
  ObFaultRule rule = { .kind = OB_FAULT_HOOK, .method = "PUT", .hook = hook_cb, .hook_data = &fx->upstream };

  ob_fault_proxy_add_rule (fx->proxy, &rule);
  body = fetch (fx, "PUT", "/echo", NULL, "x", NULL, &error);
  g_assert_no_error (error);
  hooks = fetch (fx, "GET", "/hooks", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (hooks, NULL), g_bytes_get_size (hooks), "1", 1);
}

static void
test_bad_spec (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (ob_fault_proxy_add_rule_spec (fx->proxy, "explode", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (ob_fault_proxy_add_rule_spec (fx->proxy, "status", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/fault-proxy/pass", test_pass);
  ADD ("/fault-proxy/close", test_close);
  ADD ("/fault-proxy/reset-mid-body", test_reset);
  ADD ("/fault-proxy/abort-halfway", test_abort);
  ADD ("/fault-proxy/stall", test_stall);
  ADD ("/fault-proxy/status-with-and-without-fault-body", test_status);
  ADD ("/fault-proxy/401-on-second-request", test_nth_401);
  ADD ("/fault-proxy/wrong-content-type", test_html);
  ADD ("/fault-proxy/truncated-body", test_truncate);
  ADD ("/fault-proxy/hook-before-forward", test_hook);
  ADD ("/fault-proxy/bad-spec", test_bad_spec);
#undef ADD

  return g_test_run ();
}
