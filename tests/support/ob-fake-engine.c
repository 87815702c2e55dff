/* ob-fake-engine.c: a small scripted oVirt engine for client tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ob-fake-engine.h"

#include <string.h>

static void
fake_vm_free (ObFakeVm *vm)
{
  g_free (vm->id);
  g_free (vm->name);
  g_free (vm->status);
  g_free (vm);
}

static char *
fake_vm_json_full (ObFakeVm *vm,
                   gboolean  with_balloon)
{
  g_autofree char *balloon = with_balloon
    ? g_strdup_printf ("\"ballooning\":\"%s\",", vm->balloon ? "true" : "false")
    : g_strdup ("");

  return g_strdup_printf ("{\"id\":\"%s\",\"href\":\"/ovirt-engine/api/vms/%s\",\"name\":\"%s\","
                          "\"status\":\"%s\",\"memory\":\"1073741824\","
                          "\"memory_policy\":{%s\"guaranteed\":\"1073741824\"},"
                          "\"next_run_configuration_exists\":\"%s\","
                          "\"cluster\":{\"id\":\"c1\",\"href\":\"/ovirt-engine/api/clusters/c1\"}}",
                          vm->id, vm->id, vm->name, vm->status, balloon,
                          vm->next_run ? "true" : "false");
}

static char *
fake_vm_json (ObFakeVm *vm)
{
  return fake_vm_json_full (vm, TRUE);
}

static ObFakeVm *
fake_find (ObFakeEngine *fake,
           const char   *id)
{
  guint i;

  for (i = 0; i < fake->vms->len; i++)
    {
      ObFakeVm *vm = g_ptr_array_index (fake->vms, i);

      if (g_strcmp0 (vm->id, id) == 0)
        return vm;
    }
  return NULL;
}

void
ob_fake_engine_respond (SoupServerMessage *msg,
                        guint              status,
                        const char        *type,
                        const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
respond_json_take (SoupServerMessage *msg,
                   guint              status,
                   char              *body)
{
  ob_fake_engine_respond (msg, status, "application/json", body);
  g_free (body);
}

static char *
request_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  return g_strndup (data, len);
}

typedef struct
{
  ObFakeEngine *fake;
  SoupServerMessage *msg;
  ObFakeVm *vm;
  gboolean enable;
  gboolean next_run;
} DelayedPut;

static void
apply_put (ObFakeEngine      *fake,
           SoupServerMessage *msg,
           ObFakeVm          *vm,
           gboolean           enable,
           gboolean           next_run)
{
  if (g_strcmp0 (vm->status, "down") == 0 && !next_run)
    vm->balloon = enable;
  else
    {
      vm->next_run = TRUE;
      vm->next_run_balloon = enable;
    }
  respond_json_take (msg, 200, fake_vm_json (vm));
}

static gboolean
finish_delayed_put (gpointer user_data)
{
  DelayedPut *put = user_data;

  apply_put (put->fake, put->msg, put->vm, put->enable, put->next_run);
  put->fake->in_flight--;
  soup_server_message_unpause (put->msg);
  g_object_unref (put->msg);
  g_free (put);
  return G_SOURCE_REMOVE;
}

static void
fake_api (ObFakeEngine      *fake,
          SoupServerMessage *msg,
          const char        *method,
          const char        *rest,
          GHashTable        *query)
{
  g_autofree char *body = request_body (msg);
  const char *raw_query = g_uri_get_query (soup_server_message_get_uri (msg));

  g_ptr_array_add (fake->log, g_strdup_printf ("%s %s%s%s %s", method, rest,
                                               raw_query ? "?" : "", raw_query ? raw_query : "", body));

  if (*rest == '\0')
    {
      respond_json_take (msg, 200,
                         g_strdup_printf ("{\"product_info\":{\"name\":\"%s\",\"version\":"
                                          "{\"full_version\":\"4.5.7\",\"major\":\"4\",\"minor\":\"5\"}},"
                                          "\"summary\":{\"vms\":{\"total\":\"%u\"}}}",
                                          fake->product, fake->vms->len));
      return;
    }
  if (strcmp (rest, "clusters") == 0 || strcmp (rest, "clusters/c1") == 0)
    {
      const char *cluster = "{\"id\":\"c1\",\"name\":\"Default\",\"version\":{\"major\":\"4\",\"minor\":\"7\"},"
                            "\"cpu\":{\"architecture\":\"x86_64\"}}";

      if (strcmp (rest, "clusters") == 0)
        respond_json_take (msg, 200, g_strdup_printf ("{\"cluster\":[%s]}", cluster));
      else
        ob_fake_engine_respond (msg, 200, "application/json", cluster);
      return;
    }
  if (strcmp (rest, "vms") == 0 && strcmp (method, "GET") == 0)
    {
      if (fake->drop_vm_list)
        {
          /* Promise a long body, send the start of it, and hang up. */
          GIOStream *stream = soup_server_message_steal_connection (msg);
          const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "Content-Length: 100000\r\n\r\n{\"vm\" : [ {\"id\" : \"a";
          GOutputStream *out = g_io_stream_get_output_stream (stream);

          g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
          g_io_stream_close (stream, NULL, NULL);
          g_object_unref (stream);
          return;
        }
      if (fake->vm_list_body != NULL)
        {
          ob_fake_engine_respond (msg, 200, fake->vm_list_type, fake->vm_list_body);
          return;
        }
      {
        GString *out = g_string_new ("{\"vm\":[");
        const char *search = query ? g_hash_table_lookup (query, "search") : NULL;
        guint i;

        /* Only one page: page 2 and later are empty. */
        if (search == NULL || strstr (search, "page 1") != NULL || strstr (search, "page") == NULL)
          for (i = 0; i < fake->vms->len; i++)
            {
              g_autofree char *one = fake_vm_json_full (g_ptr_array_index (fake->vms, i),
                                                        !fake->list_without_balloon);

              if (search != NULL && g_str_has_prefix (search, "name="))
                {
                  ObFakeVm *vm = g_ptr_array_index (fake->vms, i);

                  if (strncmp (search + 5, vm->name, strlen (vm->name)) != 0)
                    continue;
                }
              g_string_append_printf (out, "%s%s", out->str[out->len - 1] == '[' ? "" : ",", one);
            }
        g_string_append (out, "]}");
        respond_json_take (msg, 200, g_string_free (out, FALSE));
      }
      return;
    }
  if (g_str_has_prefix (rest, "vms/"))
    {
      g_auto(GStrv) parts = g_strsplit (rest + 4, "/", 2);
      ObFakeVm *vm = fake_find (fake, parts[0]);

      if (vm == NULL)
        {
          ob_fake_engine_respond (msg, 404, NULL, NULL);
          return;
        }
      if (parts[1] == NULL && strcmp (method, "GET") == 0)
        {
          respond_json_take (msg, 200, fake_vm_json (vm));
          return;
        }
      if (parts[1] == NULL && strcmp (method, "PUT") == 0)
        {
          gboolean enable = strstr (body, "\"ballooning\":\"true\"") != NULL;
          gboolean next_run = query != NULL && g_strcmp0 (g_hash_table_lookup (query, "next_run"), "true") == 0;

          if (!enable && strstr (body, "\"ballooning\":\"false\"") == NULL)
            {
              ob_fake_engine_respond (msg, 400, "application/json",
                       "{\"reason\":\"Incomplete parameters\",\"detail\":\"ballooning\"}");
              return;
            }
          if (fake->put_delay_ms > 0)
            {
              DelayedPut *put = g_new0 (DelayedPut, 1);

              put->fake = fake;
              put->msg = g_object_ref (msg);
              put->vm = vm;
              put->enable = enable;
              put->next_run = next_run;
              fake->in_flight++;
              fake->max_in_flight = MAX (fake->max_in_flight, fake->in_flight);
              soup_server_message_pause (msg);
              g_timeout_add (fake->put_delay_ms, finish_delayed_put, put);
              return;
            }
          apply_put (fake, msg, vm, enable, next_run);
          return;
        }
      if (g_strcmp0 (parts[1], "start") == 0 && strcmp (method, "POST") == 0)
        {
          if (fake->fail_start)
            {
              ob_fake_engine_respond (msg, 409, "application/json",
                       "{\"status\":\"failed\",\"fault\":{\"reason\":\"Operation Failed\","
                       "\"detail\":\"[Cannot run VM. There is no host that satisfies current scheduling constraints.]\"}}");
              return;
            }
          g_free (vm->status);
          vm->status = g_strdup ("wait_for_launch");
          ob_fake_engine_respond (msg, 200, "application/json", "{\"status\":\"complete\"}");
          return;
        }
    }
  ob_fake_engine_respond (msg, 404, NULL, NULL);
}

static void
fake_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  ObFakeEngine *fake = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *token_header = g_strdup_printf ("Bearer tok-%u", fake->token_serial);

  g_free (fake->user_agent);
  fake->user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));

  if (fake->not_ovirt)
    {
      ob_fake_engine_respond (msg, 200, "text/html", "<html><body>It works!</body></html>");
      return;
    }

  if (strcmp (path, "/ovirt-engine/sso/oauth/token") == 0)
    {
      g_autofree char *body = request_body (msg);
      g_autoptr(GHashTable) form = soup_form_decode (body);

      if (fake->sso_absent)
        {
          ob_fake_engine_respond (msg, 404, NULL, NULL);
          return;
        }
      g_free (fake->accept_sso);
      fake->accept_sso = g_strdup (soup_message_headers_get_one (headers, "Accept"));
      if (g_strcmp0 (fake->accept_sso, "application/json") != 0)
        {
          ob_fake_engine_respond (msg, 400, "application/json",
                   "{\"error_code\":\"invalid_request\",\"error\":\"Missing parameter: 'Accept Header'\"}");
          return;
        }
      if (g_strcmp0 (g_hash_table_lookup (form, "password"), OB_FAKE_ENGINE_PASSWORD) != 0 ||
          g_strcmp0 (g_hash_table_lookup (form, "scope"), "ovirt-app-api") != 0)
        {
          ob_fake_engine_respond (msg, 400, "application/json",
                   "{\"error_code\":\"access_denied\",\"error\":\"Cannot authenticate user 'admin@internal': "
                   "The username or password is incorrect..\"}");
          return;
        }
      fake->token_serial++;
      respond_json_take (msg, 200, g_strdup_printf ("{\"access_token\":\"tok-%u\",\"token_type\":\"bearer\"}",
                                                    fake->token_serial));
      return;
    }
  if (strcmp (path, "/ovirt-engine/services/sso-logout") == 0)
    {
      g_ptr_array_add (fake->log, g_strdup ("LOGOUT"));
      ob_fake_engine_respond (msg, 200, "application/json", "{}");
      return;
    }
  if (g_str_has_prefix (path, "/ovirt-engine/api"))
    {
      const char *rest = path + strlen ("/ovirt-engine/api");
      gboolean ok;

      if (fake->sso_absent)
        ok = g_strcmp0 (auth, "Basic YWRtaW5AaW50ZXJuYWw6c2VjcmV0") == 0;   /* admin@internal:secret */
      else
        ok = g_strcmp0 (auth, token_header) == 0 && fake->token_serial >= fake->oldest_valid_token;
      if (fake->reject_next > 0)
        {
          fake->reject_next--;
          ok = FALSE;
        }
      if (!ok)
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "WWW-Authenticate", "Basic realm=\"RESTAPI\"");
          ob_fake_engine_respond (msg, 401, "text/html", "<html><body>Unauthorized</body></html>");
          return;
        }
      if (*rest == '/')
        rest++;
      fake_api (fake, msg, method, rest, query);
      return;
    }
  ob_fake_engine_respond (msg, 404, NULL, NULL);
}


static ObFakeEngine *
fake_listen (GTlsCertificate         *certificate,
             SoupServerListenOptions  options)
{
  g_autoptr(GError) error = NULL;
  ObFakeEngine *fake = g_new0 (ObFakeEngine, 1);
  GSList *uris;

  fake->product = "oVirt Engine";
  fake->vms = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_vm_free);
  fake->log = g_ptr_array_new_with_free_func (g_free);
  fake->server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (fake->server, NULL, fake_handler, fake, NULL);
  g_assert_true (soup_server_listen_local (fake->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | options, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake->server);
  fake->root = g_uri_to_string (uris->data);
  fake->url = g_strconcat (fake->root, "ovirt-engine/api", NULL);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return fake;
}

ObFakeEngine *
ob_fake_engine_new (guint n_vms)
{
  ObFakeEngine *fake = fake_listen (NULL, 0);
  guint i;

  for (i = 0; i < n_vms; i++)
    {
      ObFakeVm *vm = g_new0 (ObFakeVm, 1);

      vm->id = g_strdup_printf ("0000000%u-aaaa-bbbb-cccc-dddddddddddd", i % 10);
      vm->id[6] = 'a' + i / 10;
      vm->name = g_strdup_printf ("vm%02u", i);
      vm->status = g_strdup ("down");
      vm->balloon = FALSE;
      g_ptr_array_add (fake->vms, vm);
    }
  return fake;
}

ObFakeEngine *
ob_fake_engine_new_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = g_test_build_filename (G_TEST_DIST, "data", "tls", "server.pem", NULL);
  g_autofree char *key = g_test_build_filename (G_TEST_DIST, "data", "tls", "server-key.pem", NULL);
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_files (cert, key, &error);

  g_assert_no_error (error);
  return fake_listen (certificate, SOUP_SERVER_LISTEN_HTTPS);
}

void
ob_fake_engine_free (ObFakeEngine *fake)
{
  soup_server_disconnect (fake->server);
  g_object_unref (fake->server);
  /* Let pending sources of the server run down. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_ptr_array_unref (fake->vms);
  g_ptr_array_unref (fake->log);
  g_free (fake->url);
  g_free (fake->root);
  g_free (fake->user_agent);
  g_free (fake->accept_sso);
  g_free (fake);
}

ObConnection *
ob_fake_engine_connection (ObFakeEngine *fake,
                           const char   *password)
{
  g_autoptr(GError) error = NULL;
  ObConnection *connection = ob_connection_new (fake->url, &error);

  g_assert_no_error (error);
  ob_connection_set_credentials (connection, "admin@internal", password);
  return connection;
}

gboolean
ob_fake_engine_log_contains (ObFakeEngine *fake,
                             const char   *needle)
{
  guint i;

  for (i = 0; i < fake->log->len; i++)
    if (strstr (g_ptr_array_index (fake->log, i), needle) != NULL)
      return TRUE;
  return FALSE;
}
