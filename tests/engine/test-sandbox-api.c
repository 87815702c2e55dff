/* test-sandbox-api.c: the sandbox engine over HTTP, in-process, with a
 * plain SoupSession as the client.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "ob-error.h"
#include "ob-sandbox-private.h"
#include "ob-sandbox-auth.h"
#include "ob-sandbox-seed.h"
#include "ob-test-engine.h"
#include "ob-test-subprocess.h"


typedef struct
{
  ObSandbox   *sandbox;
  SoupSession *session;
  const char  *base;  /* .../ovirt-engine/api */
  const char  *root;  /* http://127.0.0.1:PORT */
} Fixture;

typedef struct
{
  guint               status;
  char               *body;
  gsize               length;
  SoupMessageHeaders *headers;
} Response;

static void
response_free (Response *r)
{
  g_free (r->body);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static void
start_sandbox (Fixture    *f,
               const char *first_property,
               ...)
{
  va_list args;

  va_start (args, first_property);
  f->sandbox = ob_test_sandbox_start_valist (first_property, args);
  va_end (args);
  f->base = ob_sandbox_get_base_url (f->sandbox);
  f->root = ob_sandbox_get_root_url (f->sandbox);
  f->session = soup_session_new ();
  /* Generous: every Basic request hashes a password, slow under ASan on a busy machine. */
  soup_session_set_timeout (f->session, 120);
}

static void
setup_demo (Fixture       *f,
            gconstpointer  data)
{
  start_sandbox (f, "seed", "demo", NULL);
}

/* An engine up to 4.4.5, where the balloon is a device (test-sandbox-eras
 * runs the era differences on both eras). */
static void
setup_device_era (Fixture       *f,
                  gconstpointer  data)
{
  start_sandbox (f, "seed", "demo", "engine-version", "4.4.5", NULL);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_object (&f->session);
  ob_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
}

/* @url: absolute, or relative to the API base when it starts with '/'. */
static SoupMessage *
make_message (Fixture    *f,
              const char *method,
              const char *url,
              gboolean    json,
              const char *authz,
              const char *content_type,
              const char *body)
{
  g_autofree char *full = url[0] == '/' ? g_strconcat (f->base, url, NULL) : g_strdup (url);
  SoupMessage *msg = soup_message_new (method, full);
  SoupMessageHeaders *h;

  g_assert_nonnull (msg);
  h = soup_message_get_request_headers (msg);
  soup_message_headers_replace (h, "Accept", json ? "application/json" : "application/xml");
  if (authz != NULL)
    soup_message_headers_replace (h, "Authorization", authz);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type ? content_type
                                                      : (json ? "application/json" : "application/xml"),
                                                 bytes);
    }
  return msg;
}

static Response *
send_message (Fixture     *f,
              SoupMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  Response *r = g_new0 (Response, 1);

  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->body = g_strndup (g_bytes_get_data (bytes, &r->length), g_bytes_get_size (bytes));
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return r;
}

static Response *
request (Fixture    *f,
         const char *method,
         const char *url,
         gboolean    json,
         const char *body)
{
  g_autoptr(SoupMessage) msg = make_message (f, method, url, json, OB_TEST_DEMO_BASIC, NULL, body);

  return send_message (f, msg);
}

static JsonNode *
parse_json (const Response *r)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, r->body, (gssize) r->length, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* "a/b/c" in a JSON object; NULL when absent. */
static JsonNode *
member (JsonNode   *node,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      JsonObject *obj;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      obj = json_node_get_object (node);
      if (!json_object_has_member (obj, parts[i]))
        return NULL;
      node = json_object_get_member (obj, parts[i]);
    }
  return node;
}

static const char *
member_string (JsonNode   *node,
               const char *path)
{
  JsonNode *m = member (node, path);

  if (m == NULL || !JSON_NODE_HOLDS_VALUE (m) || json_node_get_value_type (m) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (m);
}

static char *
vm_id (const char *name)
{
  return ob_sandbox_seed_make_id ("vm", name);
}

static char *
vm_url (const char *name,
        const char *suffix)
{
  g_autofree char *id = vm_id (name);

  return g_strdup_printf ("/vms/%s%s", id, suffix ? suffix : "");
}

/* GET /vms/{id} as JSON. */
static JsonNode *
get_vm (Fixture    *f,
        const char *name,
        const char *query)
{
  g_autofree char *url = vm_url (name, query);
  g_autoptr(Response) r = request (f, "GET", url, TRUE, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return parse_json (r);
}

static void
assert_vm_field (Fixture    *f,
                 const char *name,
                 const char *path,
                 const char *expected)
{
  g_autoptr(JsonNode) vm = get_vm (f, name, NULL);

  g_assert_cmpstr (member_string (vm, path), ==, expected);
}

static void
assert_fault (const Response *r,
              guint           status,
              const char     *reason,
              const char     *detail_prefix)
{
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (r->status, ==, status);
  root = parse_json (r);
  g_assert_cmpstr (member_string (root, "reason"), ==, reason);
  if (detail_prefix != NULL)
    {
      const char *detail = member_string (root, "detail");

      g_assert_nonnull (detail);
      if (!g_str_has_prefix (detail, detail_prefix))
        g_error ("detail “%s” does not start with “%s”", detail, detail_prefix);
    }
}

static JsonNode *
host_payload (Fixture    *f,
              const char *name)
{
  g_autofree char *id = vm_id (name);
  g_autofree char *url = g_strdup_printf ("%s/ovirt-engine/sandbox/vms/%s/host-payload", f->root, id);
  g_autoptr(Response) r = request (f, "GET", url, TRUE, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return parse_json (r);
}

/* ---- root, auth, SSO ---- */

static void
test_root (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(Response) rj = request (f, "GET", f->base, TRUE, NULL);
  g_autoptr(Response) rx = request (f, "GET", f->base, FALSE, NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *links;
  gboolean has_vms = FALSE;

  g_assert_cmpuint (rj->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (rj->headers, NULL), ==, "application/json");
  root = parse_json (rj);
  g_assert_cmpstr (member_string (root, "product_info/name"), ==, "ovirt-balloon sandbox engine");
  /* The engine version it plays, by default 4.5. */
  g_assert_cmpstr (member_string (root, "product_info/version/full_version"), ==, "4.5.0");
  g_assert_cmpstr (member_string (root, "special_objects/blank_template/id"), ==,
                   OB_SANDBOX_BLANK_TEMPLATE_ID);
  g_assert_cmpstr (member_string (root, "summary/vms/total"), ==, "30");
  links = json_node_get_array (member (root, "link"));
  for (guint i = 0; i < json_array_get_length (links); i++)
    {
      JsonObject *l = json_array_get_object_element (links, i);

      if (g_str_equal (json_object_get_string_member (l, "rel"), "vms"))
        {
          has_vms = TRUE;
          g_assert_cmpstr (json_object_get_string_member (l, "href"), ==, "/ovirt-engine/api/vms");
        }
    }
  g_assert_true (has_vms);

  /* What it does beyond a real engine, in one header, in either format. */
  {
    const char *caps = soup_message_headers_get_one (rx->headers, "X-Engine-Capabilities");
    g_auto(GStrv) list = g_strsplit (caps ? caps : "", ",", -1);

    g_assert_true (g_strv_contains ((const char *const *) list, "run-once-balloon-override"));
    g_assert_true (g_strv_contains ((const char *const *) list, "host-payload"));
    g_assert_cmpstr (soup_message_headers_get_one (rj->headers, "X-Engine-Capabilities"), ==, caps);
  }

  g_assert_cmpuint (rx->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (rx->headers, NULL),
                                   "application/xml"));
  g_assert_nonnull (strstr (rx->body, "<api>"));
  g_assert_nonnull (strstr (rx->body, "<link href=\"/ovirt-engine/api/vms\" rel=\"vms\"/>"));
  g_assert_nonnull (strstr (rx->body, "<name>ovirt-balloon sandbox engine</name>"));

  /* The /v4 prefix is the same API. */
  {
    g_autofree char *v4 = g_strconcat (f->base, "/v4/vms", NULL);
    g_autoptr(Response) r = request (f, "GET", v4, TRUE, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
}

static void
test_unauthenticated (Fixture       *f,
                      gconstpointer  data)
{
  const char *cases[] = {
    NULL,
    "Basic YWRtaW5AaW50ZXJuYWw6d3Jvbmc=",   /* admin@internal:wrong */
    "Basic bm9ib2R5QGludGVybmFsOnNhbmRib3g=", /* nobody@internal:sandbox */
    "Basic !!!",
    "Bearer not-a-token",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SoupMessage) msg = make_message (f, "GET", "/vms", TRUE, cases[i], NULL, NULL);
      g_autoptr(Response) r = send_message (f, msg);

      g_assert_cmpuint (r->status, ==, 401);
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "WWW-Authenticate"), ==,
                       "Basic realm=\"RESTAPI\"");
      /* The servlet error page, not a <fault>. */
      g_assert_null (strstr (r->body, "fault"));
    }
}

static Response *
sso (Fixture    *f,
     const char *accept,
     const char *form)
{
  g_autofree char *url = g_strconcat (f->root, "/ovirt-engine/sso/oauth/token", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

  if (accept != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", accept);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  return send_message (f, msg);
}

#define LOGIN_FORM "grant_type=password&scope=ovirt-app-api&username=admin%40internal&password=" OB_TEST_DEMO_PASSWORD

static char *
login (Fixture *f)
{
  g_autoptr(Response) r = sso (f, "application/json", LOGIN_FORM);
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (r->status, ==, 200);
  root = parse_json (r);
  return g_strdup (member_string (root, "access_token"));
}

static guint
get_with_authz (Fixture    *f,
                const char *url,
                const char *authz)
{
  g_autoptr(SoupMessage) msg = make_message (f, "GET", url, TRUE, authz, NULL, NULL);
  g_autoptr(Response) r = send_message (f, msg);

  return r->status;
}

static void
test_sso_token (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Response) r = sso (f, "application/json", LOGIN_FORM);
  g_autoptr(JsonNode) root = parse_json (r);
  g_autofree char *bearer = NULL;
  const char *exp;
  gint64 exp_ms;

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (member_string (root, "token_type"), ==, "bearer");
  g_assert_cmpstr (member_string (root, "scope"), ==, "ovirt-app-api");
  /* exp is a string of epoch milliseconds. */
  exp = member_string (root, "exp");
  g_assert_nonnull (exp);
  g_assert_true (g_ascii_string_to_signed (exp, 10, 0, G_MAXINT64, &exp_ms, NULL));
  g_assert_cmpint (exp_ms, >, g_get_real_time () / 1000 + 1000 * 1000);

  bearer = g_strconcat ("Bearer ", member_string (root, "access_token"), NULL);
  g_assert_cmpuint (get_with_authz (f, "/vms", bearer), ==, 200);
}

static void
test_sso_errors (Fixture       *f,
                 gconstpointer  data)
{
  struct {
    const char *accept;
    const char *form;
    const char *code_key;
    const char *code;
    const char *message_key;
    const char *message;
  } cases[] = {
    /* Accept must be application/json. */
    { NULL, LOGIN_FORM, "error_code", "invalid_request", "error", "Missing parameter: 'Accept Header'" },
    { "application/xml", LOGIN_FORM, "error_code", "invalid_request", "error", NULL },
    { "application/json", "grant_type=password&scope=ovirt-app-api&username=admin%40internal&password=wrong",
      "error_code", "access_denied", "error",
      "Cannot authenticate user 'admin@internal': The username or password is incorrect.." },
    { "application/json", "grant_type=password&scope=ovirt-app-api&username=nobody%40internal&password=x",
      "error_code", "access_denied", "error", NULL },
    { "application/json", "grant_type=client_credentials&scope=ovirt-app-api",
      "error_code", "unsupported_grant_type", "error", NULL },
    { "application/json", "scope=ovirt-app-api&username=admin%40internal&password=sandbox",
      "error_code", "invalid_request", "error", "Missing parameter: 'grant_type'" },
    { "application/json", "grant_type=password&scope=ovirt-app-api&password=sandbox",
      "error_code", "invalid_request", "error", "Missing parameter: 'username'" },
    /* Other scopes get the OAuth shape. */
    { "application/json", "grant_type=password&scope=openid&username=admin%40internal&password=sandbox",
      "error", "invalid_scope", "error_description", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Response) r = sso (f, cases[i].accept, cases[i].form);
      g_autoptr(JsonNode) root = parse_json (r);

      g_assert_cmpuint (r->status, ==, 400);
      g_assert_cmpstr (member_string (root, cases[i].code_key), ==, cases[i].code);
      g_assert_nonnull (member_string (root, cases[i].message_key));
      if (cases[i].message != NULL)
        g_assert_cmpstr (member_string (root, cases[i].message_key), ==, cases[i].message);
      g_assert_null (member (root, "access_token"));
    }
}

static void
setup_short_tokens (Fixture       *f,
                    gconstpointer  data)
{
  start_sandbox (f, "seed", "demo", "token-lifetime", 2u, NULL);
}

static void
test_sso_expiry (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *token = login (f);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
  g_autofree char *token2 = NULL;
  g_autofree char *bearer2 = NULL;

  g_assert_cmpuint (get_with_authz (f, "/vms", bearer), ==, 200);
  g_usleep (2300 * 1000);
  /* Expired: 401, and logging in again works. */
  g_assert_cmpuint (get_with_authz (f, "/vms", bearer), ==, 401);
  token2 = login (f);
  g_assert_cmpstr (token2, !=, token);
  bearer2 = g_strconcat ("Bearer ", token2, NULL);
  g_assert_cmpuint (get_with_authz (f, "/vms", bearer2), ==, 200);
}

static void
test_sso_logout (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *token = login (f);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
  g_autofree char *url = g_strconcat (f->root, "/ovirt-engine/services/sso-logout", NULL);
  g_autofree char *form = g_strdup_printf ("scope=ovirt-app-api&token=%s", token);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));
  g_autoptr(Response) r = NULL;

  g_assert_cmpuint (get_with_authz (f, "/vms", bearer), ==, 200);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  r = send_message (f, msg);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (get_with_authz (f, "/vms", bearer), ==, 401);
}

static void
test_session_cookie (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SoupMessage) first = make_message (f, "GET", "/clusters", TRUE, OB_TEST_DEMO_BASIC, NULL, NULL);
  g_autoptr(Response) r1 = NULL;
  const char *set_cookie;
  g_autofree char *cookie = NULL;

  /* The session works without a cookie jar: send it by hand. */
  soup_message_headers_replace (soup_message_get_request_headers (first), "Prefer", "persistent-auth");
  r1 = send_message (f, first);
  g_assert_cmpuint (r1->status, ==, 200);
  set_cookie = soup_message_headers_get_one (r1->headers, "Set-Cookie");
  g_assert_nonnull (set_cookie);
  g_assert_true (g_str_has_prefix (set_cookie, "JSESSIONID="));
  g_assert_nonnull (strstr (set_cookie, "Path=/ovirt-engine/api"));
  cookie = g_strndup (set_cookie, strcspn (set_cookie, ";"));

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SoupMessage) msg = make_message (f, "GET", "/clusters", TRUE, NULL, NULL, NULL);
      g_autoptr(Response) r = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Prefer", "persistent-auth");
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookie);
      r = send_message (f, msg);
      g_assert_cmpuint (r->status, ==, 200);
    }

  /* Without "Prefer: persistent-auth" the request is served and the
   * session ends. */
  {
    g_autoptr(SoupMessage) msg = make_message (f, "GET", "/clusters", TRUE, NULL, NULL, NULL);
    g_autoptr(SoupMessage) again = make_message (f, "GET", "/clusters", TRUE, NULL, NULL, NULL);
    g_autoptr(Response) r = NULL;
    g_autoptr(Response) r2 = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookie);
    r = send_message (f, msg);
    g_assert_cmpuint (r->status, ==, 200);
    soup_message_headers_replace (soup_message_get_request_headers (again), "Prefer", "persistent-auth");
    soup_message_headers_replace (soup_message_get_request_headers (again), "Cookie", cookie);
    r2 = send_message (f, again);
    g_assert_cmpuint (r2->status, ==, 401);
  }
}

static void
test_users_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *hash = ob_sandbox_auth_hash_password ("s3cret", NULL);
  g_autofree char *contents = NULL;
  Fixture fx = { NULL, };
  Fixture *f = &fx;
  int fd;

  fd = g_file_open_tmp ("ob-sandbox-users-XXXXXX", &path, &error);
  g_assert_no_error (error);
  close (fd);
  contents = g_strdup_printf ("# test users\nalice@internal:%s\nreader@internal:%s:readonly\n",
                              hash, hash);
  g_assert_true (g_file_set_contents (path, contents, -1, &error));

  start_sandbox (f, "users-file", path, "seed", "demo", NULL);
  /* alice@internal:s3cret */
  g_assert_cmpuint (get_with_authz (f, "/vms", "Basic YWxpY2VAaW50ZXJuYWw6czNjcmV0"), ==, 200);
  /* The demo user is not in this file. */
  g_assert_cmpuint (get_with_authz (f, "/vms", OB_TEST_DEMO_BASIC), ==, 401);
  /* reader@internal:s3cret may read but not change: 403. */
  g_assert_cmpuint (get_with_authz (f, "/vms", "Basic cmVhZGVyQGludGVybmFsOnMzY3JldA=="), ==, 200);
  {
    g_autofree char *url = vm_url ("erp-03", NULL);
    g_autoptr(SoupMessage) msg = make_message (f, "PUT", url, TRUE, "Basic cmVhZGVyQGludGVybmFsOnMzY3JldA==",
                                               NULL, "{\"memory_policy\":{\"ballooning\":\"false\"}}");
    g_autoptr(Response) r = send_message (f, msg);

    assert_fault (r, 403, "Operation Failed", "[User is not authorized to perform this action.]");
  }
  /* The same through an SSO token. */
  {
    g_autoptr(Response) t = sso (f, "application/json",
                                 "grant_type=password&scope=ovirt-app-api&username=reader%40internal&password=s3cret");
    g_autoptr(JsonNode) root = parse_json (t);
    g_autofree char *bearer = g_strconcat ("Bearer ", member_string (root, "access_token"), NULL);
    g_autofree char *url = vm_url ("erp-03", "/start");
    g_autoptr(SoupMessage) msg = make_message (f, "POST", url, TRUE, bearer, NULL, "{}");
    g_autoptr(Response) r = send_message (f, msg);

    g_assert_cmpuint (r->status, ==, 403);
  }
  {
    g_autofree char *url = vm_url ("erp-03", NULL);
    g_autoptr(SoupMessage) msg = make_message (f, "GET", url, TRUE, "Basic cmVhZGVyQGludGVybmFsOnMzY3JldA==",
                                               NULL, NULL);
    g_autoptr(Response) r = send_message (f, msg);
    g_autoptr(JsonNode) vm = parse_json (r);

    g_assert_cmpstr (member_string (vm, "memory_policy/ballooning"), ==, "true");
    g_assert_cmpstr (member_string (vm, "status"), ==, "down");
  }
  teardown (f, NULL);

  /* An unknown role is refused. */
  g_assert_true (g_file_set_contents (path, "carol@internal:$y$abc:superuser\n", -1, &error));
  {
    g_autoptr(ObSandbox) bad = g_object_new (OB_TYPE_SANDBOX, "users-file", path, NULL);

    g_assert_false (ob_sandbox_start (bad, &error));
    g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
    g_clear_error (&error);
  }

  /* A plain-text password line is refused. */
  g_assert_true (g_file_set_contents (path, "bob@internal:hunter2\n", -1, &error));
  {
    g_autoptr(ObSandbox) bad = g_object_new (OB_TYPE_SANDBOX, "users-file", path, NULL);

    g_assert_false (ob_sandbox_start (bad, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "crypt(3)"));
  }
  g_unlink (path);
}

/* ---- VM lists ---- */

static guint
collection_length (JsonNode   *root,
                   const char *singular)
{
  JsonNode *list = member (root, singular);

  if (list == NULL)
    return 0;
  g_assert_true (JSON_NODE_HOLDS_ARRAY (list));
  return json_array_get_length (json_node_get_array (list));
}

static void
test_vms_list_json (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Response) r = request (f, "GET", "/vms", TRUE, NULL);
  g_autoptr(JsonNode) root = parse_json (r);
  JsonArray *vms;

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (collection_length (root, "vm"), ==, 30);
  vms = json_node_get_array (member (root, "vm"));
  for (guint i = 0; i < json_array_get_length (vms); i++)
    {
      JsonNode *vm = json_array_get_element (vms, i);

      /* Booleans and integers are strings; dates are numbers. */
      g_assert_nonnull (member_string (vm, "next_run_configuration_exists"));
      g_assert_nonnull (member_string (vm, "memory"));
      g_assert_nonnull (member_string (vm, "memory_policy/guaranteed"));
      g_assert_cmpint (json_node_get_value_type (member (vm, "creation_time")), ==, G_TYPE_INT64);
      g_assert_nonnull (member_string (vm, "href"));
      g_assert_nonnull (member_string (vm, "cluster/id"));
      g_assert_true (JSON_NODE_HOLDS_ARRAY (member (vm, "actions/link")));
      /* Device-era lists leave ballooning out unless All-Content. */
      g_assert_null (member (vm, "memory_policy/ballooning"));
    }

  /* all_content=true and the All-Content header add it. */
  {
    g_autoptr(Response) r2 = request (f, "GET", "/vms?all_content=true", TRUE, NULL);
    g_autoptr(JsonNode) root2 = parse_json (r2);
    g_autoptr(SoupMessage) msg = make_message (f, "GET", "/vms", TRUE, OB_TEST_DEMO_BASIC, NULL, NULL);
    g_autoptr(Response) r3 = NULL;
    g_autoptr(JsonNode) root3 = NULL;
    JsonArray *a2 = json_node_get_array (member (root2, "vm"));

    for (guint i = 0; i < json_array_get_length (a2); i++)
      g_assert_nonnull (member_string (json_array_get_element (a2, i), "memory_policy/ballooning"));

    soup_message_headers_replace (soup_message_get_request_headers (msg), "All-Content", "true");
    r3 = send_message (f, msg);
    root3 = parse_json (r3);
    g_assert_nonnull (member_string (json_array_get_element (json_node_get_array (member (root3, "vm")), 0),
                                     "memory_policy/ballooning"));
  }
}

static void
test_vms_list_xml (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Response) r = request (f, "GET", "/vms?search=name%3Dweb-01", FALSE, NULL);
  g_autofree char *id = vm_id ("web-01");
  g_autofree char *open_tag = g_strdup_printf ("<vm href=\"/ovirt-engine/api/vms/%s\" id=\"%s\">", id, id);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_true (g_str_has_prefix (r->body, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<vms>\n"));
  g_assert_nonnull (strstr (r->body, open_tag));
  g_assert_nonnull (strstr (r->body, "<actions>"));
  g_assert_nonnull (strstr (r->body, "rel=\"start\"/>"));
  g_assert_nonnull (strstr (r->body, "<next_run_configuration_exists>false</next_run_configuration_exists>"));
  g_assert_nonnull (strstr (r->body, "<status>up</status>"));
  g_assert_null (strstr (r->body, "<ballooning>"));
}

static void
test_vms_search (Fixture       *f,
                 gconstpointer  data)
{
  struct { const char *query; guint expected; const char *first; } cases[] = {
    { "/vms?search=name%3Dweb-0*", 7, "web-01" },
    { "/vms?search=name%3DWEB-01", 1, "web-01" },
    { "/vms?search=name%3D*node*", 3, "k8s-node-1" },
    { "/vms?search=name%3Dweb-0*&max=2", 2, "web-01" },
    { "/vms?search=name%3Dweb-0*%20page%202&max=3", 3, "web-04" },
    { "/vms?search=name%3Dweb-0*%20page%203&max=3", 1, "web-07" },
    { "/vms?search=status%3Ddown", 9, "app-31-a" },
    { "/vms?max=0", 0, NULL },
    { "/vms?max=-1", 32, "app-31-a" },
    { "/vms?search=name%3D%25", 0, NULL },   /* LIKE wildcards are literal */
    { "/vms?search=cluster%3Dpower-3-4", 3, "ppc-app" },
    { "/vms?search=cluster%3Dprod-*%20and%20status%3Ddown", 2, "erp-03" },
    { "/vms?search=name%3Dweb-0*%20sortby%20name%20desc", 7, "web-07" },
    /* The engine's quoting: double quotes group, a backslash escapes
     * inside them (names themselves cannot hold blanks or quotes). */
    { "/vms?search=name%3D%22my-vm%22", 1, "my-vm" },
    { "/vms?search=name%3D%22my%5C.quoted%5C_vm%22", 1, "my.quoted_vm" },
  };

  {
    g_autoptr(Response) a = request (f, "POST", "/vms", TRUE,
                                     "{\"name\":\"my-vm\",\"cluster\":{\"name\":\"Default\"},"
                                     "\"template\":{\"name\":\"Blank\"}}");
    g_autoptr(Response) b = request (f, "POST", "/vms", TRUE,
                                     "{\"name\":\"my.quoted_vm\",\"cluster\":{\"name\":\"Default\"},"
                                     "\"template\":{\"name\":\"Blank\"}}");

    g_assert_cmpuint (a->status, ==, 201);
    g_assert_cmpuint (b->status, ==, 201);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Response) r = request (f, "GET", cases[i].query, TRUE, NULL);
      g_autoptr(JsonNode) root = parse_json (r);

      g_assert_cmpuint (r->status, ==, 200);
      if (collection_length (root, "vm") != cases[i].expected)
        g_error ("%s: %u VMs, expected %u", cases[i].query, collection_length (root, "vm"),
                 cases[i].expected);
      if (cases[i].first != NULL)
        g_assert_cmpstr (member_string (json_array_get_element (json_node_get_array (member (root, "vm")), 0),
                                        "name"), ==, cases[i].first);
    }

  {
    g_autoptr(Response) bad_max = request (f, "GET", "/vms?max=lots", TRUE, NULL);
    g_autoptr(Response) bad_search = request (f, "GET", "/vms?search=memory%3E5", TRUE, NULL);
    g_autoptr(Response) bad_or = request (f, "GET", "/vms?search=name%3Da%20or%20name%3Db", TRUE, NULL);

    assert_fault (bad_max, 400, "Invalid value", "Value \"lots\"");
    assert_fault (bad_search, 400, "Operation Failed", "[Cannot search VM.");
    assert_fault (bad_or, 400, "Operation Failed", "[Cannot search VM.");
  }
}

static void
test_empty_collections (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Response) rj = request (f, "GET", "/vms?search=name%3Dnothing-here", TRUE, NULL);
  g_autoptr(Response) rx = request (f, "GET", "/vms?search=name%3Dnothing-here", FALSE, NULL);
  g_autofree char *nics = vm_url ("web-01", "/nics");
  g_autoptr(Response) nj = request (f, "GET", nics, TRUE, NULL);
  g_autoptr(Response) nx = request (f, "GET", nics, FALSE, NULL);

  /* Jackson writes an empty collection as { }, JAXB as <vms/>. */
  g_assert_cmpstr (rj->body, ==, "{ }\n");
  g_assert_cmpstr (rx->body, ==, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<vms/>\n");
  g_assert_cmpstr (nj->body, ==, "{ }\n");
  g_assert_cmpstr (nx->body, ==, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<nics/>\n");
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  const char *urls[] = {
    "/vms/00000000-1111-2222-3333-444444444444",
    "/vms/not-an-id",
    "/vms/00000000-1111-2222-3333-444444444444/nics",
    "/clusters/nope",
    "/templates/nope",
    "/hosts",
    "/vms/x/y/z",
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(Response) r = request (f, "GET", urls[i], TRUE, NULL);

      g_assert_cmpuint (r->status, ==, 404);
      g_assert_cmpuint (r->length, ==, 0);
    }
  {
    g_autoptr(Response) put = request (f, "PUT", "/vms/nope", TRUE,
                                       "{\"memory_policy\":{\"ballooning\":\"false\"}}");
    g_autoptr(Response) start = request (f, "POST", "/vms/nope/start", TRUE, "{}");
    g_autoptr(Response) del = request (f, "DELETE", "/vms/nope", TRUE, NULL);

    g_assert_cmpuint (put->status, ==, 404);
    g_assert_cmpuint (start->status, ==, 404);
    g_assert_cmpuint (del->status, ==, 404);
  }
}

/* ---- updates and the balloon rule ---- */

static Response *
put_balloon (Fixture    *f,
             const char *name,
             const char *value,
             const char *query)
{
  g_autofree char *url = vm_url (name, query);
  g_autofree char *body = g_strdup_printf ("{\"memory_policy\":{\"ballooning\":\"%s\"}}", value);

  return request (f, "PUT", url, TRUE, body);
}

static void
test_put_balloon (Fixture       *f,
                  gconstpointer  data)
{
  /* ci-runner-02: down, 4.7, off. */
  {
    g_autoptr(Response) r = put_balloon (f, "ci-runner-02", "true", NULL);
    g_autoptr(JsonNode) vm = parse_json (r);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (member_string (vm, "memory_policy/ballooning"), ==, "true");
    g_assert_cmpstr (member_string (vm, "next_run_configuration_exists"), ==, "false");
  }
  assert_vm_field (f, "ci-runner-02", "memory_policy/ballooning", "true");

  {
    g_autoptr(Response) r = put_balloon (f, "ci-runner-02", "FALSE", NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
  assert_vm_field (f, "ci-runner-02", "memory_policy/ballooning", "false");

  /* XML body, "1" as the engine's BooleanParser accepts. */
  {
    g_autofree char *url = vm_url ("ci-runner-02", NULL);
    g_autoptr(Response) r = request (f, "PUT", url, FALSE,
                                     "<vm><memory_policy><ballooning>1</ballooning></memory_policy>"
                                     "<description>edited</description><memory>2147483648</memory></vm>");

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_nonnull (strstr (r->body, "<ballooning>true</ballooning>"));
    g_assert_nonnull (strstr (r->body, "<description>edited</description>"));
    g_assert_nonnull (strstr (r->body, "<memory>2147483648</memory>"));
  }

  /* A JSON native boolean is accepted too. */
  {
    g_autofree char *url = vm_url ("ci-runner-02", NULL);
    g_autoptr(Response) r = request (f, "PUT", url, TRUE, "{\"memory_policy\":{\"ballooning\":false}}");

    g_assert_cmpuint (r->status, ==, 200);
  }
  assert_vm_field (f, "ci-runner-02", "memory_policy/ballooning", "false");
}

static void
test_put_refused (Fixture       *f,
                  gconstpointer  data)
{
  /* Cluster at 3.0. */
  {
    g_autoptr(Response) r = put_balloon (f, "legacy-db", "true", NULL);

    assert_fault (r, 400, "Operation Failed", "[Cannot edit VM. ");
    g_assert_nonnull (strstr (r->body, "3.0"));
  }
  assert_vm_field (f, "legacy-db", "memory_policy/ballooning", "false");

  /* A custom level of 3.0 on a 4.2 cluster: the VM's level counts. */
  {
    g_autoptr(Response) r = put_balloon (f, "web-04", "true", NULL);

    assert_fault (r, 400, "Operation Failed", "[Cannot edit VM. ");
  }
  /* A custom level of 3.6 on a 4.7 cluster is fine (and the VM is not down,
   * so it goes to the next run). */
  {
    g_autoptr(Response) r = put_balloon (f, "win-desktop", "true", NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }

  /* ppc64 at 3.4: the engine's BALLOON_REQUESTED_ON_NOT_SUPPORTED_ARCH. */
  {
    g_autoptr(Response) r = put_balloon (f, "ppc-db", "true", NULL);
    g_autoptr(JsonNode) root = parse_json (r);

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_cmpstr (member_string (root, "reason"), ==, "Operation Failed");
    g_assert_cmpstr (member_string (root, "detail"), ==,
                     "[Cannot edit VM. Balloon is not supported on 'ppc64' architecture.]");
  }
  assert_vm_field (f, "ppc-db", "memory_policy/ballooning", "false");

  /* Level 3.1 is enough. */
  {
    g_autoptr(Response) r = put_balloon (f, "app-31-a", "true", NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }

  /* Disabling is never refused. */
  {
    g_autoptr(Response) r = put_balloon (f, "legacy-db", "false", NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
}

static void
test_put_bad_input (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *url = vm_url ("ci-runner-01", NULL);
  struct { const char *body; gboolean json; guint status; const char *reason; const char *detail; } cases[] = {
    { "{\"memory_policy\":{\"ballooning\":\"maybe\"}}", TRUE, 400, "Invalid value",
      "Value \"maybe\" isn't a valid boolean" },
    { "{\"memory_policy\":{\"ballooning\":2}}", TRUE, 400, "Invalid value", NULL },
    { "{\"memory_policy\":{\"ballooning\":{\"x\":1}}}", TRUE, 400, "Invalid value", NULL },
    { "<vm><memory_policy><ballooning>yes</ballooning></memory_policy></vm>", FALSE, 400,
      "Invalid value", "Value \"yes\"" },
    { "{\"memory\":\"lots\"}", TRUE, 400, "Invalid value", "Value \"lots\"" },
    { "{\"memory\":\"12\"}", TRUE, 400, "Operation Failed", "[Cannot edit VM." },
    { "{\"name\":\"\"}", TRUE, 400, "Operation Failed", "[Cannot edit VM." },
    { "{\"memory_policy\":", TRUE, 400, "Request syntactically incorrect.", NULL },
    { "[1, 2]", TRUE, 400, "Request syntactically incorrect.", NULL },
    { "<vm><memory_policy>", FALSE, 400, "Request syntactically incorrect.", NULL },
    { "<template><name>x</name></template>", FALSE, 400, "Request syntactically incorrect.", NULL },
    { "", TRUE, 400, "Request syntactically incorrect.", NULL },
    { "\xff\xfe{}", TRUE, 400, "Request syntactically incorrect.", NULL },
    { "{\"name\":\"ci-runner-02\"}", TRUE, 409, "Operation Failed", "[Cannot edit VM." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Response) r = request (f, "PUT", url, cases[i].json, cases[i].body);
      g_autoptr(JsonNode) root = NULL;

      if (r->status != cases[i].status)
        g_error ("case %u (%s): status %u, expected %u", i, cases[i].body, r->status, cases[i].status);
      /* Faults come in the format the client accepts. */
      if (cases[i].json)
        {
          root = parse_json (r);
          g_assert_cmpstr (member_string (root, "reason"), ==, cases[i].reason);
          if (cases[i].detail)
            g_assert_true (g_str_has_prefix (member_string (root, "detail"), cases[i].detail));
        }
      else
        {
          g_autofree char *reason = g_strdup_printf ("<reason>%s</reason>", cases[i].reason);

          g_assert_true (g_str_has_prefix (r->body, "<?xml"));
          g_assert_nonnull (strstr (r->body, "<fault>"));
          g_assert_nonnull (strstr (r->body, reason));
        }
    }

  /* Nothing changed. */
  {
    g_autoptr(JsonNode) vm = get_vm (f, "ci-runner-01", NULL);

    g_assert_cmpstr (member_string (vm, "memory_policy/ballooning"), ==, "true");
    g_assert_cmpstr (member_string (vm, "name"), ==, "ci-runner-01");
    g_assert_cmpstr (member_string (vm, "memory"), ==, "4294967296");
  }
}

static void
test_next_run (Fixture       *f,
               gconstpointer  data)
{
  /* k8s-node-1: up, balloon on. */
  {
    g_autoptr(Response) r = put_balloon (f, "k8s-node-1", "false", NULL);
    g_autoptr(JsonNode) vm = parse_json (r);

    g_assert_cmpuint (r->status, ==, 200);
    /* The running configuration is unchanged until the VM stops. */
    g_assert_cmpstr (member_string (vm, "memory_policy/ballooning"), ==, "true");
    g_assert_cmpstr (member_string (vm, "next_run_configuration_exists"), ==, "true");
  }
  {
    g_autoptr(JsonNode) next = get_vm (f, "k8s-node-1", "?next_run=true");

    g_assert_cmpstr (member_string (next, "memory_policy/ballooning"), ==, "false");
  }
  /* Name and description apply at once on a running VM. */
  {
    g_autofree char *url = vm_url ("k8s-node-1", NULL);
    g_autoptr(Response) r = request (f, "PUT", url, TRUE, "{\"description\":\"hot\"}");

    g_assert_cmpuint (r->status, ==, 200);
  }
  assert_vm_field (f, "k8s-node-1", "description", "hot");
  assert_vm_field (f, "k8s-node-1", "memory_policy/ballooning", "true");

  {
    g_autofree char *url = vm_url ("k8s-node-1", "/stop");
    g_autoptr(Response) r = request (f, "POST", url, TRUE, "{}");
    g_autoptr(JsonNode) action = parse_json (r);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (member_string (action, "status"), ==, "complete");
  }
  {
    g_autoptr(JsonNode) vm = get_vm (f, "k8s-node-1", NULL);

    g_assert_cmpstr (member_string (vm, "status"), ==, "down");
    g_assert_cmpstr (member_string (vm, "memory_policy/ballooning"), ==, "false");
    g_assert_cmpstr (member_string (vm, "next_run_configuration_exists"), ==, "false");
    g_assert_cmpstr (member_string (vm, "description"), ==, "hot");
  }

  /* ?next_run=true defers even the name on a running VM. */
  {
    g_autofree char *url = vm_url ("k8s-node-2", "?next_run=true");
    g_autoptr(Response) r = request (f, "PUT", url, TRUE, "{\"name\":\"k8s-node-2b\"}");

    g_assert_cmpuint (r->status, ==, 200);
  }
  assert_vm_field (f, "k8s-node-2", "name", "k8s-node-2");
  assert_vm_field (f, "k8s-node-2", "next_run_configuration_exists", "true");
  {
    g_autofree char *url = vm_url ("k8s-node-2", "/shutdown");
    g_autoptr(Response) r = request (f, "POST", url, TRUE, "{}");

    g_assert_cmpuint (r->status, ==, 200);
  }
  assert_vm_field (f, "k8s-node-2", "name", "k8s-node-2b");

  /* On a down VM, next_run=true changes nothing about timing. */
  {
    g_autoptr(Response) r = put_balloon (f, "erp-03", "false", "?next_run=true");

    g_assert_cmpuint (r->status, ==, 200);
  }
  assert_vm_field (f, "erp-03", "memory_policy/ballooning", "false");
  assert_vm_field (f, "erp-03", "next_run_configuration_exists", "false");

  /* The seeded web-03 waits to turn its balloon off. */
  assert_vm_field (f, "web-03", "next_run_configuration_exists", "true");
  /* Setting it back to the running value drops the waiting change. */
  {
    g_autoptr(Response) r = put_balloon (f, "web-03", "true", NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
  assert_vm_field (f, "web-03", "next_run_configuration_exists", "false");
  /* Nothing to change on a running VM: no next run either. */
  {
    g_autoptr(Response) r = put_balloon (f, "web-01", "true", NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
  assert_vm_field (f, "web-01", "next_run_configuration_exists", "false");
}

static void
test_locked_vm (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = vm_url ("image-builder", NULL);
  g_autofree char *stop = vm_url ("image-builder", "/stop");
  g_autoptr(Response) put = put_balloon (f, "image-builder", "false", NULL);
  g_autoptr(Response) del = request (f, "DELETE", url, TRUE, NULL);
  g_autoptr(Response) act = request (f, "POST", stop, TRUE, "{}");
  g_autoptr(JsonNode) action = parse_json (act);

  assert_fault (put, 409, "Operation Failed", "[Cannot edit VM. VM is locked.");
  assert_fault (del, 409, "Operation Failed", "[Cannot remove VM. VM is locked.");
  g_assert_cmpuint (act->status, ==, 409);
  g_assert_cmpstr (member_string (action, "status"), ==, "failed");
  assert_vm_field (f, "image-builder", "memory_policy/ballooning", "true");
  assert_vm_field (f, "image-builder", "status", "image_locked");
}

static void
test_add_vm (Fixture       *f,
             gconstpointer  data)
{
  /* Omitted ballooning: on where the cluster allows it. */
  {
    g_autoptr(Response) r = request (f, "POST", "/vms", TRUE,
                                     "{\"name\":\"fresh\",\"cluster\":{\"name\":\"Default\"},"
                                     "\"template\":{\"name\":\"Blank\"}}");
    g_autoptr(JsonNode) vm = parse_json (r);
    const char *location = soup_message_headers_get_one (r->headers, "Location");

    g_assert_cmpuint (r->status, ==, 201);
    g_assert_cmpstr (member_string (vm, "memory_policy/ballooning"), ==, "true");
    g_assert_cmpstr (member_string (vm, "status"), ==, "down");
    g_assert_nonnull (location);
    g_assert_true (g_str_has_prefix (location, f->base));
    g_assert_true (g_str_has_suffix (location, member_string (vm, "id")));
  }
  /* ... and silently off where it does not. */
  {
    g_autoptr(Response) r = request (f, "POST", "/vms", TRUE,
                                     "{\"name\":\"fresh-old\",\"cluster\":{\"name\":\"legacy-3-0\"},"
                                     "\"template\":{\"id\":\"" OB_SANDBOX_BLANK_TEMPLATE_ID "\"}}");
    g_autoptr(JsonNode) vm = parse_json (r);

    g_assert_cmpuint (r->status, ==, 201);
    g_assert_cmpstr (member_string (vm, "memory_policy/ballooning"), ==, "false");
  }
  /* A custom level decides, as for edits. */
  {
    g_autoptr(Response) r = request (f, "POST", "/vms", TRUE,
                                     "{\"name\":\"fresh-custom\",\"cluster\":{\"name\":\"Default\"},"
                                     "\"template\":{\"name\":\"Blank\"},"
                                     "\"custom_compatibility_version\":{\"major\":\"3\",\"minor\":\"0\"}}");
    g_autoptr(JsonNode) vm = parse_json (r);

    g_assert_cmpuint (r->status, ==, 201);
    g_assert_cmpstr (member_string (vm, "memory_policy/ballooning"), ==, "false");
    g_assert_cmpstr (member_string (vm, "custom_compatibility_version/minor"), ==, "0");
  }
  /* Explicit true where not allowed: refused, nothing added. */
  {
    g_autoptr(Response) r = request (f, "POST", "/vms", TRUE,
                                     "{\"name\":\"refused\",\"cluster\":{\"name\":\"legacy-3-0\"},"
                                     "\"template\":{\"name\":\"Blank\"},"
                                     "\"memory_policy\":{\"ballooning\":\"true\"}}");
    g_autoptr(Response) check = request (f, "GET", "/vms?search=name%3Drefused", TRUE, NULL);

    assert_fault (r, 400, "Operation Failed", "[Cannot add VM. ");
    g_assert_cmpstr (check->body, ==, "{ }\n");
  }
  {
    g_autoptr(Response) r = request (f, "POST", "/vms", FALSE,
                                     "<vm><name>refused-ppc</name><cluster><name>power-3-4</name></cluster>"
                                     "<template><name>Blank</name></template>"
                                     "<memory_policy><ballooning>true</ballooning></memory_policy></vm>");

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_nonnull (strstr (r->body, "<detail>[Cannot add VM. Balloon is not supported on 'ppc64' architecture.]</detail>"));
  }
  /* XML add with explicit false and the template's memory. */
  {
    g_autoptr(Response) r = request (f, "POST", "/vms", FALSE,
                                     "<vm><name>fresh-xml</name><cluster><name>prod-4-2</name></cluster>"
                                     "<template><name>win2019-base</name></template>"
                                     "<memory_policy><ballooning>false</ballooning></memory_policy></vm>");

    g_assert_cmpuint (r->status, ==, 201);
    g_assert_nonnull (strstr (r->body, "<ballooning>false</ballooning>"));
    g_assert_nonnull (strstr (r->body, "<memory>4294967296</memory>"));
  }
  /* Faults. */
  {
    g_autoptr(Response) missing = request (f, "POST", "/vms", TRUE, "{\"name\":\"x\"}");
    g_autoptr(Response) dup = request (f, "POST", "/vms", TRUE,
                                       "{\"name\":\"fresh\",\"cluster\":{\"name\":\"Default\"},"
                                       "\"template\":{\"name\":\"Blank\"}}");
    g_autoptr(Response) no_cluster = request (f, "POST", "/vms", TRUE,
                                              "{\"name\":\"y\",\"cluster\":{\"name\":\"nope\"},"
                                              "\"template\":{\"name\":\"Blank\"}}");
    g_autoptr(Response) no_template = request (f, "POST", "/vms", TRUE,
                                               "{\"name\":\"y\",\"cluster\":{\"name\":\"Default\"},"
                                               "\"template\":{\"id\":\"nope\"}}");

    assert_fault (missing, 400, "Incomplete parameters", "Vm [cluster.id|name, template.id|name] required for add");
    assert_fault (dup, 409, "Operation Failed", "[Cannot add VM. ");
    assert_fault (no_cluster, 400, "Operation Failed", "[Cannot add VM. Cluster doesn't exist.]");
    assert_fault (no_template, 400, "Operation Failed", "[Cannot add VM. The relevant Template doesn't exist.]");
  }
  {
    g_autoptr(Response) r = request (f, "GET", "/vms", TRUE, NULL);
    g_autoptr(JsonNode) root = parse_json (r);

    g_assert_cmpuint (collection_length (root, "vm"), ==, 34);
  }
}

static void
test_delete_vm (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *running = vm_url ("web-01", NULL);
  g_autofree char *down = vm_url ("erp-03", NULL);
  g_autoptr(Response) r1 = request (f, "DELETE", running, TRUE, NULL);
  g_autoptr(Response) r2 = request (f, "DELETE", down, TRUE, NULL);
  g_autoptr(Response) r3 = request (f, "GET", down, TRUE, NULL);
  g_autoptr(Response) r4 = request (f, "DELETE", down, TRUE, NULL);

  assert_fault (r1, 409, "Operation Failed", "[Cannot remove VM. ");
  g_assert_cmpuint (r2->status, ==, 200);
  g_assert_cmpuint (r3->status, ==, 404);
  g_assert_cmpuint (r4->status, ==, 404);
}

/* ---- actions ---- */

static void
test_start_stop (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *start = vm_url ("erp-03", "/start");
  g_autofree char *stop = vm_url ("erp-03", "/stop");

  {
    g_autoptr(Response) r = request (f, "POST", start, FALSE, "<action/>");

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_nonnull (strstr (r->body, "<status>complete</status>"));
  }
  assert_vm_field (f, "erp-03", "status", "up");
  assert_vm_field (f, "erp-03", "run_once", "false");
  {
    g_autoptr(JsonNode) p = host_payload (f, "erp-03");
    JsonArray *devices = json_node_get_array (member (p, "vdsm_devices"));

    g_assert_cmpstr (member_string (p, "ballooning"), ==, "true");
    g_assert_cmpstr (member_string (p, "run_once"), ==, "false");
    g_assert_cmpuint (json_array_get_length (devices), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (devices, 0), ==,
                     "{'type': 'balloon', 'device': 'memballoon', 'specParams': {'model': 'virtio'}}");
    g_assert_true (g_str_has_prefix (member_string (p, "libvirt_memballoon"),
                                     "<memballoon model='virtio'>\n  <stats period='5'/>\n  <alias name='ua-"));
  }

  /* Starting a running VM fails as an action: status failed, 409. */
  {
    g_autoptr(Response) r = request (f, "POST", start, TRUE, "{}");
    g_autoptr(JsonNode) action = parse_json (r);

    g_assert_cmpuint (r->status, ==, 409);
    g_assert_cmpstr (member_string (action, "status"), ==, "failed");
    g_assert_cmpstr (member_string (action, "fault/reason"), ==, "Operation Failed");
    g_assert_cmpstr (member_string (action, "fault/detail"), ==, "[Cannot run VM. VM is running.]");
  }
  {
    g_autoptr(Response) r = request (f, "POST", stop, TRUE, "{}");

    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    g_autoptr(Response) r = request (f, "POST", stop, TRUE, "{}");
    g_autoptr(JsonNode) action = parse_json (r);

    g_assert_cmpuint (r->status, ==, 409);
    g_assert_cmpstr (member_string (action, "status"), ==, "failed");
  }
  /* Actions are POST only; unknown actions do not exist. */
  {
    g_autoptr(Response) r = request (f, "GET", start, TRUE, NULL);
    g_autofree char *migrate = vm_url ("erp-03", "/migrate");
    g_autoptr(Response) r2 = request (f, "POST", migrate, TRUE, "{}");

    g_assert_cmpuint (r->status, ==, 405);
    g_assert_cmpuint (r2->status, ==, 404);
  }
  /* A VM never started has no host payload. */
  {
    g_autofree char *id = vm_id ("ci-runner-02");
    g_autofree char *url = g_strdup_printf ("%s/ovirt-engine/sandbox/vms/%s/host-payload", f->root, id);
    g_autoptr(Response) r = request (f, "GET", url, TRUE, NULL);

    g_assert_cmpuint (r->status, ==, 404);
  }
}

static void
test_run_once (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *start = vm_url ("ci-runner-01", "/start");
  g_autofree char *reboot = vm_url ("ci-runner-01", "/reboot");
  g_autofree char *stop = vm_url ("ci-runner-01", "/stop");

  /* Run Once with the balloon off on a VM that has it on. */
  {
    g_autoptr(Response) r = request (f, "POST", start, TRUE,
                                     "{\"vm\":{\"memory_policy\":{\"ballooning\":\"false\"}}}");

    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    g_autoptr(JsonNode) p = host_payload (f, "ci-runner-01");

    g_assert_cmpstr (member_string (p, "run_once"), ==, "true");
    g_assert_cmpstr (member_string (p, "ballooning"), ==, "false");
    g_assert_cmpstr (member_string (p, "stored_ballooning"), ==, "true");
    g_assert_cmpstr (json_array_get_string_element (json_node_get_array (member (p, "vdsm_devices")), 0), ==,
                     "{'type': 'balloon', 'device': 'memballoon', 'specParams': {'model': 'none'}}");
    g_assert_cmpstr (member_string (p, "libvirt_memballoon"), ==, "<memballoon model='none'/>");
  }
  /* Never persisted. */
  assert_vm_field (f, "ci-runner-01", "memory_policy/ballooning", "true");
  assert_vm_field (f, "ci-runner-01", "run_once", "true");

  /* Not volatile: a reboot returns to the stored configuration. */
  {
    g_autoptr(Response) r = request (f, "POST", reboot, TRUE, "{}");

    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    g_autoptr(JsonNode) p = host_payload (f, "ci-runner-01");

    g_assert_cmpstr (member_string (p, "ballooning"), ==, "true");
    g_assert_cmpstr (member_string (p, "run_once"), ==, "false");
  }
  {
    g_autoptr(Response) r = request (f, "POST", stop, TRUE, "{}");

    g_assert_cmpuint (r->status, ==, 200);
  }

  /* Volatile: the override survives the reboot. */
  {
    g_autoptr(Response) r = request (f, "POST", start, FALSE,
                                     "<action><volatile>true</volatile><vm><memory_policy>"
                                     "<ballooning>false</ballooning></memory_policy></vm></action>");

    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    g_autoptr(Response) r = request (f, "POST", reboot, TRUE, "{}");

    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    g_autoptr(JsonNode) p = host_payload (f, "ci-runner-01");

    g_assert_cmpstr (member_string (p, "ballooning"), ==, "false");
    g_assert_cmpstr (member_string (p, "volatile"), ==, "true");
    g_assert_cmpstr (member_string (p, "run_once"), ==, "true");
  }
  {
    g_autoptr(Response) r = request (f, "POST", stop, TRUE, "{}");

    g_assert_cmpuint (r->status, ==, 200);
  }
  assert_vm_field (f, "ci-runner-01", "memory_policy/ballooning", "true");
  assert_vm_field (f, "ci-runner-01", "run_once", "false");

  /* Run Once enabling the balloon on a VM that has it off. */
  {
    g_autofree char *url = vm_url ("ci-runner-02", "/start");
    g_autoptr(Response) r = request (f, "POST", url, TRUE,
                                     "{\"vm\":{\"memory_policy\":{\"ballooning\":\"true\"}}}");
    g_autoptr(JsonNode) p = NULL;

    g_assert_cmpuint (r->status, ==, 200);
    p = host_payload (f, "ci-runner-02");
    g_assert_cmpstr (member_string (p, "ballooning"), ==, "true");
    g_assert_cmpstr (member_string (p, "stored_ballooning"), ==, "false");
  }
  assert_vm_field (f, "ci-runner-02", "memory_policy/ballooning", "false");

  /* Run Once enabling it where the rule forbids it: refused, not started. */
  {
    g_autofree char *url = vm_url ("legacy-db", "/start");
    g_autoptr(Response) r = request (f, "POST", url, TRUE,
                                     "{\"vm\":{\"memory_policy\":{\"ballooning\":\"true\"}}}");
    g_autoptr(JsonNode) action = parse_json (r);

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_cmpstr (member_string (action, "status"), ==, "failed");
    g_assert_true (g_str_has_prefix (member_string (action, "fault/detail"), "[Cannot run VM. "));
  }
  assert_vm_field (f, "legacy-db", "status", "down");
  {
    g_autofree char *url = vm_url ("ppc-db", "/start");
    g_autoptr(Response) r = request (f, "POST", url, TRUE,
                                     "{\"vm\":{\"memory_policy\":{\"ballooning\":\"true\"}}}");
    g_autoptr(JsonNode) action = parse_json (r);

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_cmpstr (member_string (action, "fault/detail"), ==,
                     "[Cannot run VM. Balloon is not supported on 'ppc64' architecture.]");
  }
  /* Bad types in an action. */
  {
    g_autofree char *url = vm_url ("erp-03", "/start");
    g_autoptr(Response) r = request (f, "POST", url, TRUE, "{\"volatile\":\"perhaps\"}");
    g_autoptr(JsonNode) action = parse_json (r);

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_cmpstr (member_string (action, "status"), ==, "failed");
  }
  assert_vm_field (f, "erp-03", "status", "down");
}

/* ---- templates and clusters ---- */

static void
test_templates (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *rhel = ob_sandbox_seed_make_id ("template", "rhel8-base");
  g_autofree char *rhel_url = g_strdup_printf ("/templates/%s", rhel);
  g_autofree char *blank_url = g_strdup_printf ("/templates/%s", OB_SANDBOX_BLANK_TEMPLATE_ID);

  {
    g_autoptr(Response) r = request (f, "GET", "/templates", TRUE, NULL);
    g_autoptr(JsonNode) root = parse_json (r);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (collection_length (root, "template"), ==, 3);
    /* A device-era list has no ballooning member. */
    g_assert_null (strstr (r->body, "ballooning"));
  }
  {
    g_autoptr(Response) r = request (f, "GET", rhel_url, FALSE, NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_nonnull (strstr (r->body, "<name>rhel8-base</name>"));
  }
  {
    g_autoptr(Response) r = request (f, "PUT", rhel_url, TRUE,
                                     "{\"memory_policy\":{\"ballooning\":\"true\"}}");

    assert_fault (r, 400, "Operation Failed", "[Cannot edit Template. ");
  }
  {
    g_autoptr(Response) r = request (f, "PUT", rhel_url, FALSE,
                                     "<template><memory_policy><ballooning>false</ballooning>"
                                     "</memory_policy></template>");

    g_assert_cmpuint (r->status, ==, 400);
  }
  {
    g_autoptr(Response) r = request (f, "PUT", rhel_url, TRUE, "{\"description\":\"renamed\"}");
    g_autoptr(JsonNode) t = parse_json (r);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (member_string (t, "description"), ==, "renamed");
  }
  {
    g_autoptr(Response) r = request (f, "PUT", blank_url, TRUE, "{\"description\":\"x\"}");
    g_autoptr(Response) missing = request (f, "PUT", "/templates/nope", TRUE, "{\"description\":\"x\"}");

    assert_fault (r, 400, "Operation Failed", "[Cannot edit Template. ");
    g_assert_cmpuint (missing->status, ==, 404);
  }
}

static void
test_clusters (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(Response) r = request (f, "GET", "/clusters", TRUE, NULL);
  g_autoptr(JsonNode) root = parse_json (r);
  g_autofree char *ppc = ob_sandbox_seed_make_id ("cluster", OB_SANDBOX_SEED_CLUSTER_PPC64);
  g_autofree char *ppc_url = g_strdup_printf ("/clusters/%s", ppc);
  g_autoptr(Response) one = request (f, "GET", ppc_url, TRUE, NULL);
  g_autoptr(JsonNode) cluster = parse_json (one);
  g_autoptr(Response) xml = request (f, "GET", ppc_url, FALSE, NULL);

  g_assert_cmpuint (collection_length (root, "cluster"), ==, 6);
  /* The root's clusters/search link works too. */
  {
    g_autoptr(Response) s1 = request (f, "GET", "/clusters?search=name%3DPROD-*", TRUE, NULL);
    g_autoptr(JsonNode) r1 = parse_json (s1);
    g_autoptr(Response) s2 = request (f, "GET", "/clusters?search=name%3DDefault", FALSE, NULL);
    g_autoptr(Response) s3 = request (f, "GET", "/templates?search=name%3D*base&max=1", TRUE, NULL);
    g_autoptr(JsonNode) r3 = parse_json (s3);
    g_autoptr(Response) bad = request (f, "GET", "/clusters?search=version%3D4.2", TRUE, NULL);

    g_assert_cmpuint (collection_length (r1, "cluster"), ==, 2);
    g_assert_nonnull (strstr (s2->body, "<name>Default</name>"));
    g_assert_null (strstr (s2->body, "<name>prod-4-2</name>"));
    g_assert_cmpuint (collection_length (r3, "template"), ==, 1);
    assert_fault (bad, 400, "Operation Failed", "[Cannot search Cluster.");
  }
  g_assert_cmpstr (member_string (cluster, "name"), ==, "power-3-4");
  g_assert_cmpstr (member_string (cluster, "cpu/architecture"), ==, "ppc64");
  g_assert_cmpstr (member_string (cluster, "version/major"), ==, "3");
  g_assert_cmpstr (member_string (cluster, "version/minor"), ==, "4");
  g_assert_cmpstr (member_string (cluster, "id"), ==, ppc);
  g_assert_nonnull (strstr (xml->body, "<version>\n        <major>3</major>\n        <minor>4</minor>\n    </version>"));
}

/* ---- robustness ---- */

static void
test_body_too_large (Fixture       *f,
                     gconstpointer  data)
{
  gsize size = 1024 * 1024 + 10;
  char *big = g_malloc (size + 1);
  g_autofree char *url = vm_url ("erp-03", NULL);

  memset (big, ' ', size);
  big[0] = '{';
  big[size - 1] = '}';
  big[size] = '\0';
  {
    g_autoptr(Response) r = request (f, "PUT", url, TRUE, big);

    g_assert_cmpuint (r->status, ==, 413);
  }
  g_free (big);
  /* Still serving. */
  {
    g_autoptr(Response) r = request (f, "GET", "/vms", TRUE, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
}

/* Opens a raw connection, writes @text, and closes without reading (or
 * after reading a little). */
static void
raw_send_and_close (Fixture    *f,
                    const char *text,
                    gboolean    read_some)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *out;

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) ob_sandbox_get_port (f->sandbox),
                                          NULL, &error);
  g_assert_no_error (error);
  out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  g_output_stream_write_all (out, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  if (read_some)
    {
      char buf[16];

      g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buf, sizeof buf, NULL, NULL);
    }
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
}

static void
test_disconnect (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *erp = vm_id ("erp-03");
  g_autofree char *put = g_strdup_printf ("PUT /ovirt-engine/api/vms/%s HTTP/1.1\r\nHost: x\r\n"
                                          "Authorization: " OB_TEST_DEMO_BASIC "\r\n"
                                          "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                                          "{\"memory_policy\":", erp);
  g_autofree char *get = g_strdup ("GET /ovirt-engine/api/vms HTTP/1.1\r\nHost: x\r\n"
                                   "Authorization: " OB_TEST_DEMO_BASIC "\r\n\r\n");

  /* Mid-body, mid-headers, and right after the request. */
  raw_send_and_close (f, put, FALSE);
  raw_send_and_close (f, "GET /ovirt-engine/api/vms HTTP/1.1\r\nHost:", FALSE);
  raw_send_and_close (f, "\x16\x03\x01garbage\r\n\r\n", FALSE);
  for (guint i = 0; i < 5; i++)
    raw_send_and_close (f, get, i % 2 == 0);

  /* While a delayed response is pending. */
  ob_sandbox_inject_fault (f->sandbox, "GET", "/ovirt-engine/api/clusters", 0, 300, 1);
  raw_send_and_close (f, "GET /ovirt-engine/api/clusters HTTP/1.1\r\nHost: x\r\n"
                         "Authorization: " OB_TEST_DEMO_BASIC "\r\n\r\n", FALSE);
  g_usleep (500 * 1000);

  {
    g_autoptr(Response) r = request (f, "GET", "/vms", TRUE, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
  assert_vm_field (f, "erp-03", "memory_policy/ballooning", "true");
}

typedef struct
{
  guint  pending;
  guint  ok;
  GMainLoop *loop;
} Parallel;

static void
parallel_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Parallel *p = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes G_GNUC_UNUSED = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  g_assert_no_error (error);
  if (soup_message_get_status (msg) == 200)
    p->ok++;
  if (--p->pending == 0)
    g_main_loop_quit (p->loop);
}

static void
test_parallel_puts (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *url = vm_url ("erp-03", NULL);
  Parallel p = { 0, 0, loop };
  g_autoptr(JsonNode) vm = NULL;
  gint64 n = -1;

  g_clear_object (&f->session);
  f->session = soup_session_new_with_options ("max-conns", 50, "max-conns-per-host", 50, NULL);
  for (guint i = 0; i < 50; i++)
    {
      /* Each PUT writes a consistent triple: description N, memory
       * (N + 1) GiB, balloon on iff N is even. */
      g_autofree char *body = g_strdup_printf ("{\"description\":\"%u\",\"memory\":\"%" G_GINT64_FORMAT "\","
                                               "\"memory_policy\":{\"ballooning\":\"%s\"}}",
                                               i, (gint64) (i + 1) << 30, i % 2 == 0 ? "true" : "false");
      g_autoptr(SoupMessage) msg = make_message (f, "PUT", url, TRUE, OB_TEST_DEMO_BASIC, NULL, body);

      p.pending++;
      soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, parallel_done, &p);
    }
  g_main_loop_run (loop);
  g_assert_cmpuint (p.ok, ==, 50);

  vm = get_vm (f, "erp-03", NULL);
  g_assert_true (g_ascii_string_to_signed (member_string (vm, "description"), 10, 0, 49, &n, NULL));
  g_assert_cmpstr (member_string (vm, "memory_policy/ballooning"), ==, n % 2 == 0 ? "true" : "false");
  {
    g_autofree char *mem = g_strdup_printf ("%" G_GINT64_FORMAT, (n + 1) << 30);

    g_assert_cmpstr (member_string (vm, "memory"), ==, mem);
  }
}

static void
test_many_clients (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Parallel p = { 0, 0, loop };
  const guint n = 40;

  g_clear_object (&f->session);
  f->session = soup_session_new_with_options ("max-conns", 40, "max-conns-per-host", 40, NULL);
  for (guint i = 0; i < n; i++)
    {
      const char *url = (i % 4 == 0) ? "/vms" : (i % 4 == 1) ? "/clusters" : (i % 4 == 2) ? "/templates" : "";
      g_autofree char *full = g_strconcat (f->base, url, NULL);
      g_autoptr(SoupMessage) msg = make_message (f, "GET", full, i % 2 == 0, OB_TEST_DEMO_BASIC, NULL, NULL);

      p.pending++;
      soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, parallel_done, &p);
    }
  g_main_loop_run (loop);
  g_assert_cmpuint (p.ok, ==, n);
  g_assert_cmpuint (ob_sandbox_get_request_count (f->sandbox), >=, n);
}

typedef struct
{
  const char *url;
  GMutex     *lock;
  GCond      *cond;
  gboolean   *go;
  guint       status;
  char       *error;
} Burst;

static gpointer
burst_thread (gpointer data)
{
  Burst *b = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", b->url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  /* The first check of the password costs a yescrypt run on the engine's
   * one thread while the other connections queue up. */
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", OB_TEST_DEMO_BASIC);
  g_mutex_lock (b->lock);
  while (!*b->go)
    g_cond_wait (b->cond, b->lock);
  g_mutex_unlock (b->lock);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  if (bytes == NULL)
    b->error = g_strdup (error->message);
  b->status = soup_message_get_status (msg);
  return NULL;
}

/* 50 clients connecting at the same instant all get an answer: the
 * listen backlog is SOMAXCONN, not GLib's default of 10. */
static void
test_simultaneous_connects (Fixture       *f,
                            gconstpointer  data)
{
  enum { N = 50 };
  GThread *threads[N];
  Burst bursts[N];
  GMutex lock;
  GCond cond;
  gboolean go = FALSE;

  g_mutex_init (&lock);
  g_cond_init (&cond);
  for (guint i = 0; i < N; i++)
    {
      bursts[i] = (Burst) { f->base, &lock, &cond, &go, 0, NULL };
      threads[i] = g_thread_new ("burst", burst_thread, &bursts[i]);
    }
  g_usleep (200 * 1000);
  g_mutex_lock (&lock);
  go = TRUE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  for (guint i = 0; i < N; i++)
    {
      g_thread_join (threads[i]);
      if (bursts[i].error != NULL)
        g_error ("client %u: %s", i, bursts[i].error);
      g_assert_cmpuint (bursts[i].status, ==, 200);
    }
  g_mutex_clear (&lock);
  g_cond_clear (&cond);
}

static void
test_fault_injection (Fixture       *f,
                      gconstpointer  data)
{
  gint64 t0;

  ob_sandbox_inject_fault (f->sandbox, "GET", "/ovirt-engine/api/vms", 503, 0, 1);
  {
    g_autoptr(Response) r = request (f, "GET", "/vms", TRUE, NULL);

    assert_fault (r, 503, "Operation Failed", NULL);
  }
  {
    g_autoptr(Response) r = request (f, "GET", "/vms", TRUE, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }

  ob_sandbox_inject_fault (f->sandbox, NULL, NULL, 0, 250, 1);
  t0 = g_get_monotonic_time ();
  {
    g_autoptr(Response) r = request (f, "GET", "/clusters", TRUE, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, 250 * 1000);

  /* A dropped connection: the client gets an error, the server goes on. */
  /* libsoup resends an idempotent request once when a reused connection
   * closes, so drop more than one. */
  ob_sandbox_inject_fault (f->sandbox, "GET", "/ovirt-engine/api/templates", OB_SANDBOX_FAULT_DROP_CONNECTION, 0, 4);
  {
    g_autoptr(SoupMessage) msg = make_message (f, "GET", "/templates", TRUE, OB_TEST_DEMO_BASIC, NULL, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) bytes = soup_session_send_and_read (f->session, msg, NULL, &error);

    g_assert_nonnull (error);
    g_assert_null (bytes);
  }
  ob_sandbox_clear_faults (f->sandbox);
  {
    g_autoptr(Response) r = request (f, "GET", "/templates", TRUE, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }

  /* Dropped after a delay, too. */
  ob_sandbox_inject_fault (f->sandbox, "GET", "/ovirt-engine/api/clusters", OB_SANDBOX_FAULT_DROP_CONNECTION, 100, 4);
  {
    g_autoptr(SoupMessage) msg = make_message (f, "GET", "/clusters", TRUE, OB_TEST_DEMO_BASIC, NULL, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) bytes G_GNUC_UNUSED = soup_session_send_and_read (f->session, msg, NULL, &error);

    g_assert_nonnull (error);
  }
  ob_sandbox_clear_faults (f->sandbox);
  {
    g_autoptr(Response) r = request (f, "GET", "/clusters", TRUE, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }

  /* A failing commit: 500, and the request changed nothing. */
  ob_sandbox_inject_fault (f->sandbox, "PUT", NULL, OB_SANDBOX_FAULT_FAIL_COMMIT, 0, 1);
  {
    g_autofree char *url = vm_url ("erp-03", NULL);
    g_autoptr(Response) r = request (f, "PUT", url, TRUE,
                                     "{\"description\":\"lost\",\"memory_policy\":{\"ballooning\":\"false\"}}");

    g_assert_cmpuint (r->status, ==, 500);
  }
  assert_vm_field (f, "erp-03", "memory_policy/ballooning", "true");
  /* Still no description (empty text is left out). */
  assert_vm_field (f, "erp-03", "description", NULL);
  ob_sandbox_inject_fault (f->sandbox, "POST", NULL, OB_SANDBOX_FAULT_FAIL_COMMIT, 0, 1);
  {
    g_autofree char *url = vm_url ("erp-03", "/start");
    g_autoptr(Response) r = request (f, "POST", url, TRUE, "{}");
    g_autoptr(JsonNode) action = parse_json (r);

    g_assert_cmpuint (r->status, ==, 500);
    g_assert_cmpstr (member_string (action, "status"), ==, "failed");
  }
  assert_vm_field (f, "erp-03", "status", "down");

  ob_sandbox_inject_fault (f->sandbox, "PUT", NULL, 500, 0, 5);
  ob_sandbox_clear_faults (f->sandbox);
  {
    g_autoptr(Response) r = put_balloon (f, "erp-03", "false", NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
}

static void
pending_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes G_GNUC_UNUSED = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  /* The server went away: an error or an empty answer, never a hang. */
  *(gboolean *) user_data = TRUE;
}

/* Stopping the engine while an answer is still pending frees it cleanly
 * and promptly. */
static void
test_stop_with_pending_request (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = make_message (f, "GET", "/vms", TRUE, OB_TEST_DEMO_BASIC, NULL, NULL);
  guint64 before = ob_sandbox_get_request_count (f->sandbox);
  gboolean done = FALSE;
  gint64 t0;

  ob_sandbox_inject_fault (f->sandbox, NULL, NULL, 0, 60 * 1000, 1);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, pending_done, &done);
  while (ob_sandbox_get_request_count (f->sandbox) == before)
    g_main_context_iteration (NULL, FALSE);

  t0 = g_get_monotonic_time ();
  ob_sandbox_stop (f->sandbox);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 5 * G_USEC_PER_SEC);
  g_assert_false (ob_sandbox_is_running (f->sandbox));
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* ---- TLS ---- */

static void
test_tls_body (void)
{
  g_autofree char *cert = g_test_build_filename (G_TEST_DIST, "data", "tls", "server.pem", NULL);
  g_autofree char *key = g_test_build_filename (G_TEST_DIST, "data", "tls", "server-key.pem", NULL);
  g_autofree char *ca = g_test_build_filename (G_TEST_DIST, "data", "tls", "ca.pem", NULL);
  g_autoptr(GTlsDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ca_pem = NULL;
  Fixture fx = { NULL, };
  Fixture *f = &fx;

  start_sandbox (f, "seed", "demo", "tls-certificate", cert, "tls-key", key, "tls-ca", ca, NULL);
  g_assert_true (g_str_has_prefix (f->base, "https://127.0.0.1:"));

  /* Trust only the test CA: the chain must verify. */
  db = g_tls_file_database_new (ca, &error);
  g_assert_no_error (error);
  g_object_set (f->session, "tls-database", db, NULL);
  {
    g_autoptr(Response) r = request (f, "GET", "/vms", TRUE, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    g_autofree char *url = g_strconcat (f->root, "/ovirt-engine/services/pki-resource"
                                        "?resource=ca-certificate&format=X509-PEM-CA", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(Response) r = send_message (f, msg);

    g_assert_true (g_file_get_contents (ca, &ca_pem, NULL, &error));
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==, "application/x-x509-ca-cert");
    g_assert_cmpstr (r->body, ==, ca_pem);
  }
  {
    g_autoptr(Response) r = sso (f, "application/json", LOGIN_FORM);

    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    g_autoptr(SoupMessage) first = make_message (f, "GET", "/clusters", TRUE, OB_TEST_DEMO_BASIC, NULL, NULL);
    g_autoptr(Response) r = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (first), "Prefer", "persistent-auth");
    r = send_message (f, first);
    g_assert_nonnull (strstr (soup_message_headers_get_one (r->headers, "Set-Cookie"), "; Secure"));
  }
  teardown (f, NULL);

  /* Without TLS there is no CA to serve. */
  start_sandbox (f, NULL);
  {
    g_autofree char *url = g_strconcat (f->root, "/ovirt-engine/services/pki-resource"
                                        "?resource=ca-certificate&format=X509-PEM-CA", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(Response) r = send_message (f, msg);

    g_assert_cmpuint (r->status, ==, 404);
  }
  teardown (f, NULL);

  /* A missing key is a clear error. */
  {
    g_autoptr(ObSandbox) bad = g_object_new (OB_TYPE_SANDBOX, "tls-certificate", cert, NULL);

    g_assert_false (ob_sandbox_start (bad, &error));
    g_assert_error (error, OB_ERROR, OB_ERROR_USAGE);
  }
}

/* In-process TLS: see ob-test-subprocess.h. */
static void
test_tls (void)
{
  ob_test_run_without_leak_check (test_tls_body);
}

static void
test_restart_and_file_db (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ob-sandbox-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sandbox.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  Fixture fx = { NULL, };
  Fixture *f = &fx;

  start_sandbox (f, "database", path, "seed", "demo", NULL);
  {
    g_autoptr(Response) r = put_balloon (f, "ci-runner-02", "true", NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
  teardown (f, NULL);

  /* The change survived; the seed is not applied twice. */
  start_sandbox (f, "database", path, "seed", "demo", NULL);
  assert_vm_field (f, "ci-runner-02", "memory_policy/ballooning", "true");
  {
    g_autoptr(Response) r = request (f, "GET", "/vms", TRUE, NULL);
    g_autoptr(JsonNode) root = parse_json (r);

    g_assert_cmpuint (collection_length (root, "vm"), ==, 30);
  }
  teardown (f, NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/sandbox/api/" path, Fixture, NULL, setup_demo, func, teardown)
  ADD ("root", test_root);
  ADD ("auth/unauthenticated", test_unauthenticated);
  ADD ("auth/sso-token", test_sso_token);
  ADD ("auth/sso-errors", test_sso_errors);
  g_test_add ("/sandbox/api/auth/sso-expiry", Fixture, NULL, setup_short_tokens, test_sso_expiry, teardown);
  ADD ("auth/sso-logout", test_sso_logout);
  ADD ("auth/session-cookie", test_session_cookie);
  g_test_add_func ("/sandbox/api/auth/users-file", test_users_file);
  g_test_add ("/sandbox/api/vms/list-json", Fixture, NULL, setup_device_era, test_vms_list_json, teardown);
  g_test_add ("/sandbox/api/vms/list-xml", Fixture, NULL, setup_device_era, test_vms_list_xml, teardown);
  ADD ("vms/search", test_vms_search);
  ADD ("vms/empty-collections", test_empty_collections);
  ADD ("vms/not-found", test_not_found);
  ADD ("vms/put-balloon", test_put_balloon);
  ADD ("vms/put-refused", test_put_refused);
  ADD ("vms/put-bad-input", test_put_bad_input);
  ADD ("vms/next-run", test_next_run);
  ADD ("vms/add", test_add_vm);
  ADD ("vms/locked", test_locked_vm);
  ADD ("vms/delete", test_delete_vm);
  ADD ("actions/start-stop", test_start_stop);
  /* The host payload as a device-era engine sends it (test-sandbox-eras
   * has both eras). */
  g_test_add ("/sandbox/api/actions/run-once", Fixture, NULL, setup_device_era, test_run_once, teardown);
  g_test_add ("/sandbox/api/templates", Fixture, NULL, setup_device_era, test_templates, teardown);
  ADD ("clusters", test_clusters);
  ADD ("robust/body-too-large", test_body_too_large);
  ADD ("robust/disconnect", test_disconnect);
  ADD ("robust/parallel-puts", test_parallel_puts);
  ADD ("robust/many-clients", test_many_clients);
  ADD ("robust/simultaneous-connects", test_simultaneous_connects);
  ADD ("robust/fault-injection", test_fault_injection);
  ADD ("robust/stop-with-pending-request", test_stop_with_pending_request);
  g_test_add_func ("/sandbox/api/tls", test_tls);
  g_test_add_func ("/sandbox/api/file-database", test_restart_and_file_db);
#undef ADD

  return g_test_run ();
}
