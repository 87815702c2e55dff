/* test-client-redirect.c: an engine that redirects. The answer of another
 * origin (scheme, host, port) must never be taken for the engine's: not
 * for the login, not for the API root, not for a call. A redirect ends in
 * one error naming where it pointed; nothing is sent there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fake-engine.h"
#include "ob-client.h"
#include "ob-error.h"

#define VM_PATH "vms/123"

/* The other origin's answer for the VM: one the client would accept
 * (JSON), or one it would refuse for its type (XML). */
static gboolean
other_route (FakeEngine    *engine,
             FakeRequest   *request,
             GOutputStream *out,
             gpointer       user_data)
{
  gboolean xml = GPOINTER_TO_INT (user_data);
  const char *body = xml ? "<vm id=\"123\"><name>other</name></vm>"
                         : "{\"id\":\"123\",\"name\":\"other\",\"status\":\"down\"}";

  if (strcmp (request->path, VM_PATH) != 0)
    return FALSE;
  return fake_engine_reply (out, 200, xml ? "application/xml" : "application/json", body, strlen (body));
}

/* "http://127.0.0.1:PORT" of @engine. */
static char *
origin_of (FakeEngine *engine)
{
  const char *url = fake_engine_get_url (engine);

  return g_strndup (url, strstr (url, "/ovirt-engine") - url);
}

typedef enum
{
  AT_LOGIN,   /* the SSO token endpoint */
  AT_ROOT,    /* the API root, read when opening */
  AT_CALL,    /* a call once open */
} Where;

typedef struct
{
  Where where;
  guint status;
  gboolean xml;        /* the other origin answers the call with XML */
  gboolean https;      /* to the engine's own host and port over https */
  gboolean same_origin;/* to another path of the engine itself */
} Case;

static const char *
path_of (Where where)
{
  switch (where)
    {
    case AT_LOGIN:
      return "/ovirt-engine/sso/oauth/token";
    case AT_ROOT:
      return "/ovirt-engine/api";
    case AT_CALL:
    default:
      return "/ovirt-engine/api/" VM_PATH;
    }
}

/* Opens a connection to an engine redirecting as @c says, then makes the
 * call; returns the first error, which the test expects. */
static void
test_redirect (gconstpointer data)
{
  const Case *c = data;
  FakeEngine *engine = fake_engine_new ("4.5.5.1-1.el9", NULL, NULL, NULL);
  FakeEngine *other = fake_engine_new ("4.5.5.1-1.el9", NULL, other_route, GINT_TO_POINTER (c->xml));
  g_autofree char *engine_origin = origin_of (engine);
  g_autofree char *other_origin = origin_of (other);
  g_autofree char *target = NULL;
  g_autoptr(ObConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  guint other_hits;

  if (c->https)
    target = g_strconcat ("https", engine_origin + strlen ("http"), path_of (c->where), NULL);
  else if (c->same_origin)
    target = g_strconcat (engine_origin, "/ovirt-engine/api/vms/456", NULL);
  else
    target = g_strconcat (other_origin, path_of (c->where), NULL);
  fake_engine_set_redirect (engine, path_of (c->where), c->status, target);

  connection = ob_connection_new (fake_engine_get_url (engine), &error);
  g_assert_no_error (error);
  ob_connection_set_credentials (connection, "admin@internal", "secret");
  ob_connection_set_timeout (connection, 10);
  ob_connection_open_async (connection, NULL, ob_test_store_result, &result);
  if (ob_connection_open_finish (connection, ob_test_wait_for_result (&result), &error))
    {
      g_assert_cmpint (c->where, ==, AT_CALL);
      g_clear_object (&result);
      ob_connection_request_async (connection, "GET", VM_PATH, NULL, OB_REQUEST_NONE, NULL,
                                   ob_test_store_result, &result);
      node = ob_connection_request_finish (connection, ob_test_wait_for_result (&result), NULL, &error);
    }
  g_test_message ("%s", error ? error->message : "(no error)");
  g_assert_null (node);
  g_assert_error (error, OB_ERROR, OB_ERROR_CONNECT);
  g_assert_cmpint (ob_error_exit_code (error), ==, OB_EXIT_CONNECT);
  g_assert_nonnull (strstr (error->message, "redirected to"));
  g_assert_nonnull (strstr (error->message, target));
  g_assert_nonnull (strstr (error->message, "connect to that URL directly if you trust it"));
  g_assert_null (strchr (error->message, '\n'));
  /* Nothing went to the other origin, nor to the redirect's target. */
  other_hits = fake_engine_get_hits (other);
  g_assert_cmpuint (other_hits, ==, 0);
  g_assert_false (fake_engine_logged (engine, "GET vms/456"));

  g_clear_object (&connection);
  fake_engine_free (other);
  fake_engine_free (engine);
}

/* The path of ovirt-balloon-cli, from the command line. */
static const char *cli_path;

/* The real CLI against an engine whose API root redirects elsewhere: one
 * "error:" line naming the target, nothing on stdout, exit 4. */
static void
test_cli (void)
{
  FakeEngine *engine = fake_engine_new ("4.5.5.1-1.el9", NULL, NULL, NULL);
  FakeEngine *other = fake_engine_new ("4.5.5.1-1.el9", NULL, other_route, NULL);
  g_autofree char *other_origin = origin_of (other);
  g_autofree char *target = g_strconcat (other_origin, "/ovirt-engine/api", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (cli_path == NULL)
    {
      g_test_skip ("no ovirt-balloon-cli given on the command line");
      fake_engine_free (other);
      fake_engine_free (engine);
      return;
    }
  fake_engine_set_redirect (engine, "/ovirt-engine/api", 302, target);
  g_assert_cmpint (fake_engine_run_cli (engine, cli_path, "10", &out, &err), ==, OB_EXIT_CONNECT);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "error: "));
  g_assert_nonnull (strstr (err, target));
  g_assert_cmpint (strchr (err, '\n') - err, ==, (gssize) strlen (err) - 1);
  g_assert_cmpuint (fake_engine_get_hits (other), ==, 0);
  fake_engine_free (other);
  fake_engine_free (engine);
}

static const Case cases[] = {
  { AT_LOGIN, 302, FALSE, FALSE, FALSE },
  { AT_LOGIN, 307, FALSE, FALSE, FALSE },
  { AT_ROOT, 302, FALSE, FALSE, FALSE },
  { AT_ROOT, 301, FALSE, FALSE, FALSE },
  { AT_CALL, 302, FALSE, FALSE, FALSE },
  { AT_CALL, 307, FALSE, FALSE, FALSE },
  { AT_CALL, 308, FALSE, FALSE, FALSE },
  { AT_CALL, 302, TRUE, FALSE, FALSE },
  { AT_ROOT, 301, FALSE, TRUE, FALSE },
  { AT_LOGIN, 302, FALSE, TRUE, FALSE },
  { AT_CALL, 302, FALSE, FALSE, TRUE },
};

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (argc > 1)
    cli_path = argv[1];
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      const char *where[] = { "login", "root", "call" };
      g_autofree char *name = g_strdup_printf ("/client/redirect/%s/%u%s%s%s", where[c->where], c->status,
                                               c->xml ? "/xml" : "", c->https ? "/to-https" : "",
                                               c->same_origin ? "/same-origin" : "");

      g_test_add_data_func (name, c, test_redirect);
    }
  g_test_add_func ("/client/redirect/cli", test_cli);
  return g_test_run ();
}
