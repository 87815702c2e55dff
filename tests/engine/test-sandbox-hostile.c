/* test-sandbox-hostile.c: the sandbox engine against hostile peers: bodies
 * that are too deep, too large or carry entities, names with control
 * characters, password tricks, and starts with damaged files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/resource.h>

#include "ob-error.h"
#include "ob-sandbox-private.h"
#include "ob-sandbox-seed.h"

#define BASIC_DEMO "Basic YWRtaW5AaW50ZXJuYWw6c2FuZGJveA=="
#define LOGIN_FORM "grant_type=password&scope=ovirt-app-api&username=admin%40internal&password="

typedef struct
{
  ObSandbox   *sandbox;
  SoupSession *session;
  const char  *base;
  const char  *root;
} Fixture;

typedef struct
{
  guint               status;
  char               *body;
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
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = g_object_new (OB_TYPE_SANDBOX, "seed", "demo", NULL);
  g_assert_true (ob_sandbox_start (f->sandbox, &error));
  g_assert_no_error (error);
  f->base = ob_sandbox_get_base_url (f->sandbox);
  f->root = ob_sandbox_get_root_url (f->sandbox);
  f->session = soup_session_new_with_options ("timeout", 30, NULL);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->sandbox);
}

/* @url relative to the API base when it starts with '/'. */
static Response *
send_request (Fixture    *f,
              const char *method,
              const char *url,
              const char *authz,
              const char *content_type,
              const char *body,
              gsize       length)
{
  g_autofree char *full = url[0] == '/' ? g_strconcat (f->base, url, NULL) : g_strdup (url);
  g_autoptr(SoupMessage) msg = soup_message_new (method, full);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  Response *r = g_new0 (Response, 1);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  if (authz != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authz);
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, length);

      soup_message_set_request_body_from_bytes (msg, content_type, request);
    }
  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return r;
}

static Response *
put_vm (Fixture    *f,
        const char *vm,
        const char *content_type,
        const char *body,
        gsize       length)
{
  g_autofree char *id = ob_sandbox_seed_make_id ("vm", vm);
  g_autofree char *url = g_strconcat ("/vms/", id, NULL);

  return send_request (f, "PUT", url, BASIC_DEMO, content_type, body, length);
}

static char *
vm_member (Fixture    *f,
           const char *vm,
           const char *member)
{
  g_autofree char *id = ob_sandbox_seed_make_id ("vm", vm);
  g_autofree char *url = g_strconcat ("/vms/", id, NULL);
  g_autoptr(Response) r = send_request (f, "GET", url, BASIC_DEMO, NULL, NULL, 0);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_true (json_parser_load_from_data (parser, r->body, -1, NULL));
  /* An engine leaves unset text out: NULL then. */
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (json_parser_get_root (parser)),
                                                               member, NULL));
}

static void
assert_still_serving (Fixture *f)
{
  g_autoptr(Response) r = send_request (f, "GET", "/clusters", BASIC_DEMO, NULL, NULL, 0);

  g_assert_cmpuint (r->status, ==, 200);
}

/* ---- request bodies ---- */

/* A JSON body nested far deeper than any REST document is refused before
 * the (recursive) parser sees it; the engine keeps serving. */
static void
test_json_deep (Fixture       *f,
                gconstpointer  data)
{
  const gsize depth = 80000;
  GString *body = g_string_new ("{\"description\":");
  g_autoptr(Response) r = NULL;

  for (gsize i = 0; i < depth; i++)
    g_string_append_c (body, '[');
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (body, ']');
  g_string_append_c (body, '}');
  r = put_vm (f, "erp-03", "application/json", body->str, body->len);
  g_string_free (body, TRUE);

  g_assert_cmpuint (r->status, ==, 400);
  g_assert_nonnull (strstr (r->body, "Request syntactically incorrect."));
  g_assert_nonnull (strstr (r->body, "nested"));
  assert_still_serving (f);
}

/* No DOCTYPE in a request: no entity is ever expanded, and a processing
 * instruction inside a DOCTYPE changes nothing either. */
static void
test_xml_doctype (Fixture       *f,
                  gconstpointer  data)
{
  static const char *const bodies[] = {
    "<!DOCTYPE vm [<!ENTITY big \"xxxxxxxxxxxxxxxx\">]><vm><description>&big;&big;</description></vm>",
    "<?xml version=\"1.0\"?>\n<!DOCTYPE vm [<?pi <vm><description>decoy</description></vm>?>]>"
    "<vm><description>real</description></vm>",
    "<!DOCTYPE vm SYSTEM \"file:///etc/passwd\"><vm><description>x</description></vm>",
  };
  g_autofree char *before = vm_member (f, "erp-03", "description");

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(Response) r = put_vm (f, "erp-03", "application/xml", bodies[i], strlen (bodies[i]));
      g_autofree char *after = NULL;

      g_assert_cmpuint (r->status, ==, 400);
      g_assert_nonnull (strstr (r->body, "DOCTYPE"));
      after = vm_member (f, "erp-03", "description");
      g_assert_cmpstr (after, ==, before);
    }
}

/* ---- names ---- */

static void
test_vm_names (Fixture       *f,
               gconstpointer  data)
{
  static const char *const bad[] = {
    "{\"name\":\"bell\\u0007vm\"}",
    "{\"name\":\"esc\\u001b[31mred\"}",
    "{\"name\":\"new\\nline\"}",
    "{\"name\":\"with space\"}",
    "{\"name\":\"slash/vm\"}",
    "{\"name\":\"del\\u007f\"}",
  };
  static const char *const good[] = {
    "{\"name\":\"web-01_new.2\"}",
    "{\"name\":\"s\\u00e9rveur-\\u00fc\"}",
  };
  g_autofree char *long_name = g_strnfill (256, 'a');
  g_autofree char *long_body = g_strdup_printf ("{\"name\":\"%s\"}", long_name);
  g_autofree char *max_name = g_strnfill (255, 'b');
  g_autofree char *max_body = g_strdup_printf ("{\"name\":\"%s\"}", max_name);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(Response) r = put_vm (f, "erp-03", "application/json", bad[i], strlen (bad[i]));
      g_autofree char *name = NULL;

      g_assert_cmpuint (r->status, ==, 400);
      g_assert_nonnull (strstr (r->body, "special characters"));
      name = vm_member (f, "erp-03", "name");
      g_assert_cmpstr (name, ==, "erp-03");
    }
  {
    g_autoptr(Response) r = put_vm (f, "erp-03", "application/json", long_body, strlen (long_body));

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_nonnull (strstr (r->body, "too long"));
  }
  {
    g_autoptr(Response) r = put_vm (f, "erp-04", "application/json", max_body, strlen (max_body));

    g_assert_cmpuint (r->status, ==, 200);
  }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(Response) r = put_vm (f, "erp-03", "application/json", good[i], strlen (good[i]));

      g_assert_cmpuint (r->status, ==, 200);
    }
  /* An add with a bad name is refused the same way. */
  {
    static const char add[] = "{\"name\":\"tab\\tvm\",\"cluster\":{\"name\":\"Default\"},"
                              "\"template\":{\"name\":\"Blank\"}}";
    g_autoptr(Response) r = send_request (f, "POST", "/vms", BASIC_DEMO, "application/json",
                                          add, strlen (add));

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_nonnull (strstr (r->body, "special characters"));
  }
}

/* ---- the body limit ---- */

static GSocketConnection *
connect_raw (Fixture *f)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *conn;

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) ob_sandbox_get_port (f->sandbox),
                                          NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (g_socket_connection_get_socket (conn), 5);
  return conn;
}

/* Writes what it can of @data; a peer that already answered and closed
 * makes the rest fail, which is fine here. */
static void
write_some (GSocketConnection *conn,
            const char        *data,
            gsize              length)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));

  g_output_stream_write_all (out, data, length, NULL, NULL, NULL);
}

/* Reads the answer's status line (or "" at EOF or timeout). */
static char *
read_status_line (GSocketConnection *conn)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  GString *line = g_string_new (NULL);
  char c;

  while (g_input_stream_read (in, &c, 1, NULL, NULL) == 1 && c != '\n')
    g_string_append_c (line, c);
  return g_string_free (line, FALSE);
}

/* A chunked body that never ends gets 413 once it passes 1 MiB, without
 * credentials, and is not read to its end first. */
static void
test_chunked_limit (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GSocketConnection) conn = connect_raw (f);
  g_autofree char *chunk = g_strnfill (64 * 1024, 'x');
  g_autofree char *status = NULL;
  static const char head[] =
    "PUT /ovirt-engine/api/vms/x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";

  write_some (conn, head, strlen (head));
  for (guint i = 0; i < 24; i++)
    {
      g_autofree char *size = g_strdup_printf ("%x\r\n", 64 * 1024);

      write_some (conn, size, strlen (size));
      write_some (conn, chunk, 64 * 1024);
      write_some (conn, "\r\n", 2);
    }
  status = read_status_line (conn);
  g_assert_true (g_str_has_prefix (status, "HTTP/1.1 413"));
  assert_still_serving (f);
}

/* A declared length over the limit is answered at once, without reading. */
static void
test_declared_length_limit (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GSocketConnection) conn = connect_raw (f);
  g_autofree char *status = NULL;
  static const char head[] =
    "PUT /ovirt-engine/api/vms/x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    "Content-Type: application/json\r\nContent-Length: 419430400\r\n\r\n{";

  write_some (conn, head, strlen (head));
  status = read_status_line (conn);
  g_assert_true (g_str_has_prefix (status, "HTTP/1.1 413"));
  assert_still_serving (f);
}

/* ---- connections ---- */

static void
start_with (Fixture    *f,
            const char *first_property,
            ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  g_clear_object (&f->sandbox);
  va_start (args, first_property);
  f->sandbox = OB_SANDBOX (g_object_new_valist (OB_TYPE_SANDBOX, first_property, args));
  va_end (args);
  g_assert_true (ob_sandbox_start (f->sandbox, &error));
  f->base = ob_sandbox_get_base_url (f->sandbox);
  f->root = ob_sandbox_get_root_url (f->sandbox);
}

/* Reads until EOF, error or timeout; returns the bytes read, or -1 when
 * the read failed (a timeout). */
static gssize
read_to_end (GSocketConnection *conn)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  char buf[4096];
  gssize total = 0;
  gssize n;

  while ((n = g_input_stream_read (in, buf, sizeof buf, NULL, NULL)) > 0)
    total += n;
  return n < 0 ? -1 : total;
}

/* An idle connection is closed by the engine, not kept forever. */
static void
test_idle_timeout (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GSocketConnection) conn = NULL;
  gint64 t0;

  start_with (f, "idle-timeout", 1, NULL);
  conn = connect_raw (f);
  t0 = g_get_monotonic_time ();
  g_assert_cmpint (read_to_end (conn), ==, 0);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 4 * G_USEC_PER_SEC);
}

/* A TLS ClientHello (an https:// URL against this plain-HTTP port) is
 * answered at once with 400 and the connection closed, as a web server
 * does, not left waiting for a request line; a request that starts with
 * an empty line is still served. */
static void
test_tls_hello_gets_400 (Fixture       *f,
                         gconstpointer  data)
{
  /* The start of a TLS 1.2 ClientHello record. */
  static const char hello[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03";
  static const char blank_then_get[] =
    "\r\nGET /ovirt-engine/api HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  g_autoptr(GSocketConnection) conn = connect_raw (f);
  g_autoptr(GSocketConnection) plain = NULL;
  g_autofree char *status = NULL;
  g_autofree char *served = NULL;
  gint64 t0 = g_get_monotonic_time ();

  write_some (conn, hello, sizeof hello - 1);
  status = read_status_line (conn);
  g_assert_true (g_str_has_prefix (status, "HTTP/1.1 400"));
  g_assert_cmpint (read_to_end (conn), >, 0);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 4 * G_USEC_PER_SEC);

  plain = connect_raw (f);
  write_some (plain, blank_then_get, strlen (blank_then_get));
  served = read_status_line (plain);
  g_assert_true (g_str_has_prefix (served, "HTTP/1.1 401") || g_str_has_prefix (served, "HTTP/1.1 200"));
  assert_still_serving (f);
}

/* The headers of a first request, then, after a pause, its body: the
 * body is not taken for the start of a connection (libsoup has read the
 * headers by then), whatever its first byte. */
static void
test_late_body_is_served (Fixture       *f,
                          gconstpointer  data)
{
  static const char head[] =
    "POST /ovirt-engine/api/vms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    "Content-Length: 2\r\nConnection: close\r\n\r\n";
  g_autoptr(GSocketConnection) conn = connect_raw (f);
  g_autofree char *status = NULL;

  write_some (conn, head, strlen (head));
  g_usleep (300 * 1000);
  write_some (conn, "{}", 2);
  status = read_status_line (conn);
  g_assert_false (g_str_has_prefix (status, "HTTP/1.1 400"));
  assert_still_serving (f);
}

static const char get_vms[] =
  "GET /ovirt-engine/api/vms HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

/* Connections over the cap are closed at once; the others are served. */
static void
test_connection_cap (Fixture       *f,
                     gconstpointer  data)
{
  GSocketConnection *held[3];
  g_autoptr(GSocketConnection) extra = NULL;
  g_autoptr(GSocketConnection) later = NULL;
  g_autofree char *status = NULL;

  start_with (f, "max-connections", 3, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    held[i] = connect_raw (f);
  g_usleep (200 * 1000);
  extra = connect_raw (f);
  write_some (extra, get_vms, strlen (get_vms));
  g_assert_cmpint (read_to_end (extra), ==, 0);

  g_object_unref (held[0]);
  g_usleep (1000 * 1000);
  later = connect_raw (f);
  write_some (later, get_vms, strlen (get_vms));
  status = read_status_line (later);
  g_test_message ("status after one closed: “%s”", status);
  g_assert_true (g_str_has_prefix (status, "HTTP/1.1 401"));
  for (guint i = 1; i < G_N_ELEMENTS (held); i++)
    g_object_unref (held[i]);

  /* Kept-alive connections that their clients close stop counting. */
  for (guint i = 0; i < 8; i++)
    {
      static const char keep[] = "GET /ovirt-engine/api/vms HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
      g_autoptr(GSocketConnection) conn = connect_raw (f);
      g_autofree char *line = NULL;

      write_some (conn, keep, strlen (keep));
      line = read_status_line (conn);
      if (!g_str_has_prefix (line, "HTTP/1.1 401"))
        g_error ("connection %u after clients closed theirs: “%s”", i, line);
    }
}

static guint
open_descriptors (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
accept_after_emfile_body (void)
{
  Fixture fx = { NULL, };
  Fixture *f = &fx;
  GPtrArray *conns = g_ptr_array_new_with_free_func (g_object_unref);
  struct rlimit old, low;
  guint n = 0;

  start_with (f, "seed", "demo", NULL);
  f->session = soup_session_new_with_options ("timeout", 10, NULL);
  assert_still_serving (f);

  /* Few descriptors: the engine's accept fails with EMFILE. */
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &old), ==, 0);
  low = old;
  low.rlim_cur = open_descriptors () + 16;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &low), ==, 0);
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      GSocketConnection *conn = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                                 (guint16) ob_sandbox_get_port (f->sandbox),
                                                                 NULL, NULL);

      if (conn == NULL)
        break;
      g_ptr_array_add (conns, conn);
      n++;
    }
  g_test_message ("%u connections before running out of descriptors", n);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, <, 200);
  g_usleep (1500 * 1000);
  g_ptr_array_unref (conns);
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &old), ==, 0);

  /* Once descriptors are back, it accepts again. */
  g_clear_object (&f->session);
  f->session = soup_session_new_with_options ("timeout", 10, NULL);
  assert_still_serving (f);
  teardown (f, NULL);
}

/* Running out of descriptors does not end listening for good. */
static void
test_accept_after_emfile (void)
{
  if (g_test_subprocess ())
    {
      accept_after_emfile_body ();
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* ---- authentication ---- */

static Response *
sso (Fixture    *f,
     const char *form)
{
  g_autofree char *url = g_strconcat (f->root, "/ovirt-engine/sso/oauth/token", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new (form, strlen (form));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  Response *r = g_new0 (Response, 1);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return r;
}

/* A NUL inside the password does not cut it short. */
static void
test_nul_password (Fixture       *f,
                   gconstpointer  data)
{
  static const char creds[] = "admin@internal:sandbox\0anything";
  g_autofree char *b64 = g_base64_encode ((const guchar *) creds, sizeof creds - 1);
  g_autofree char *authz = g_strconcat ("Basic ", b64, NULL);
  g_autoptr(Response) basic = send_request (f, "GET", "/vms", authz, NULL, NULL, 0);
  g_autoptr(Response) form = sso (f, LOGIN_FORM "sandbox%00anything");
  g_autoptr(Response) good = sso (f, LOGIN_FORM "sandbox");

  g_assert_cmpuint (basic->status, ==, 401);
  g_assert_cmpuint (form->status, ==, 400);
  g_assert_null (strstr (form->body, "access_token"));
  g_assert_cmpuint (good->status, ==, 200);
}

/* Nothing on an authentication answer tells how long the check took. */
static void
test_no_timing_on_auth (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Response) wrong = send_request (f, "GET", "/vms", "Basic YWRtaW5AaW50ZXJuYWw6eA==",
                                            NULL, NULL, 0);
  g_autoptr(Response) token = sso (f, LOGIN_FORM "sandbox");
  g_autoptr(Response) denied = sso (f, LOGIN_FORM "wrong");

  g_assert_cmpuint (wrong->status, ==, 401);
  g_assert_null (soup_message_headers_get_one (wrong->headers, "Server-Timing"));
  g_assert_null (soup_message_headers_get_one (token->headers, "Server-Timing"));
  g_assert_null (soup_message_headers_get_one (denied->headers, "Server-Timing"));
}

static gint64
time_sso (Fixture    *f,
          const char *user)
{
  g_autofree char *form = g_strdup_printf ("grant_type=password&scope=ovirt-app-api&username=%s"
                                           "&password=wrong", user);
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(Response) r = sso (f, form);

  g_assert_cmpuint (r->status, ==, 400);
  return g_get_monotonic_time () - t0;
}

static int
cmp_int64 (gconstpointer a,
           gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* An unknown user costs as much as a known one with a wrong password. */
static void
test_auth_timing (Fixture       *f,
                  gconstpointer  data)
{
  gint64 known[5], unknown[5];

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      g_autofree char *user = g_strdup_printf ("nobody%u%%40internal", i);

      known[i] = time_sso (f, "admin%40internal");
      unknown[i] = time_sso (f, user);
    }
  qsort (known, G_N_ELEMENTS (known), sizeof known[0], cmp_int64);
  qsort (unknown, G_N_ELEMENTS (unknown), sizeof unknown[0], cmp_int64);
  g_test_message ("median known %" G_GINT64_FORMAT " µs, unknown %" G_GINT64_FORMAT " µs",
                  known[2], unknown[2]);
  g_assert_cmpint (unknown[2] * 3, >, known[2]);
}

/* Guessing is limited: after a burst of wrong passwords from one peer,
 * further attempts are refused without a check. */
static void
test_auth_rate_limit (Fixture       *f,
                      gconstpointer  data)
{
  guint limited = 0;

  for (guint i = 0; i < 30; i++)
    {
      g_autoptr(Response) r = send_request (f, "GET", "/vms", "Basic YWRtaW5AaW50ZXJuYWw6eA==",
                                            NULL, NULL, 0);

      if (r->status == 429)
        {
          limited++;
          g_assert_nonnull (soup_message_headers_get_one (r->headers, "Retry-After"));
        }
      else
        g_assert_cmpuint (r->status, ==, 401);
    }
  g_assert_cmpuint (limited, >, 0);
  /* A token obtained before keeps working. */
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/sandbox/hostile/" path, Fixture, NULL, setup, func, teardown)
  ADD ("body/json-deep", test_json_deep);
  ADD ("body/xml-doctype", test_xml_doctype);
  ADD ("body/chunked-limit", test_chunked_limit);
  ADD ("body/declared-length-limit", test_declared_length_limit);
  ADD ("names", test_vm_names);
  ADD ("auth/nul-password", test_nul_password);
  ADD ("auth/no-timing", test_no_timing_on_auth);
  ADD ("auth/timing", test_auth_timing);
  ADD ("auth/rate-limit", test_auth_rate_limit);
  ADD ("connections/idle-timeout", test_idle_timeout);
  ADD ("connections/cap", test_connection_cap);
  ADD ("connections/tls-hello-gets-400", test_tls_hello_gets_400);
  ADD ("connections/late-body-is-served", test_late_body_is_served);
  g_test_add_func ("/sandbox/hostile/connections/accept-after-emfile", test_accept_after_emfile);
#undef ADD

  return g_test_run ();
}
