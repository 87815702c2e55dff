/* fuzz-client-response.c: the client's whole response path on arbitrary
 * engine answers: libsoup's HTTP framing and decompression, the bounded
 * reader (ob-connection-read.c: size cap after decompression), the status
 * and content-type decisions and fault description (ob-connection-call.c),
 * the iterative depth pre-scan and json-glib (ob-rest-json.c), and the
 * model parsers (ob-vm-json.c) the callers run on the result.
 *
 * A real ObConnection logs in to the raw-socket fake engine of the client
 * tests (tests/client/fake-engine.c: SSO and the API root); the one call
 * per input goes over loopback to a server in this file that answers with
 * the input. It runs in the main thread, as asynchronous I/O: the fake
 * engine's worker threads made each input wait for the scheduler about ten
 * times, which on a loaded machine cut the rate tenfold. The input:
 *   byte 0, bits 0-2: the call and what is parsed from its answer:
 *     0 GET vms (list), 1 GET vms/ID, 2 GET clusters, 3 GET templates,
 *     4 POST vms/ID/start (action: fault or nested vm), 5 PUT vms/ID,
 *     6 GET vms/ID with All-Content, 7 GET (parsed as an SSO answer);
 *   bit 3: gzip everything after the first blank line before sending
 *     (write "Content-Encoding: gzip" in the headers to have it inflated);
 *   bits 4-5: the response size cap: 1 MiB, 4 KiB, 64 bytes, 256 MiB.
 *   The rest: the raw HTTP answer, status line and headers included. The
 *   fake engine closes the connection after it, so a body without
 *   Content-Length or chunks ends there.
 *
 * A redirect the input asks for is refused, not followed; should one ever
 * be followed again, every host other than the fake engine's goes to a
 * dead proxy, so no input reaches the network or waits for a name server.
 *
 * Checked on every input: the call ends (no hang, the deadline is short),
 * with a node or with one OB_ERROR carrying a message; every model parsed
 * from a node is safe to read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "../client/fake-engine.h"
#include "ob-connection-private.h"
#include "ob-error.h"
#include "ob-fuzz.h"
#include "ob-fuzz-models.h"
#include "ob-rest-json.h"
#include "ob-vm-json.h"

/* The fake engine and the connection live for the whole run: opening
 * (SSO and API root) once keeps the per-input cost at one request. */
typedef struct
{
  FakeEngine *engine;
  ObConnection *connection;
  GSocketService *server;   /* answers with the input */
  char *base_url;           /* "http://127.0.0.1:PORT/ovirt-engine/api/" */
  GMutex lock;
  GBytes *answer;           /* what @server writes for the current input */
  guint active;             /* connections of @server not yet closed */
} FuzzState;

static FuzzState state;

static GBytes *
current_answer (void)
{
  GBytes *answer;

  g_mutex_lock (&state.lock);
  answer = state.answer != NULL ? g_bytes_ref (state.answer) : NULL;
  g_mutex_unlock (&state.lock);
  return answer;
}

/* One connection to @server: read the request (head and Content-Length
 * body), write the answer, close. */
typedef struct
{
  GSocketConnection *connection;
  GByteArray *request;
  GBytes *answer;
  guint8 buffer[4096];
} ServerConn;

static void
server_conn_closed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ServerConn *conn = user_data;

  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  g_object_unref (conn->connection);
  g_byte_array_unref (conn->request);
  g_clear_pointer (&conn->answer, g_bytes_unref);
  g_free (conn);
  state.active--;
}

static void
server_conn_close (ServerConn *conn)
{
  g_io_stream_close_async (G_IO_STREAM (conn->connection), G_PRIORITY_DEFAULT, NULL,
                           server_conn_closed, conn);
}

static void
server_conn_written (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  /* The client may hang up early (a refused answer): not an error here. */
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  server_conn_close (user_data);
}

/* Whether the request in @request is complete: its head and as many body
 * bytes as its Content-Length says. */
static gboolean
request_complete (GByteArray *request)
{
  const char *data = (const char *) request->data;
  const char *end = g_strstr_len (data, request->len, "\r\n\r\n");
  guint64 body = 0;

  if (end == NULL)
    return FALSE;
  for (const char *p = data; p < end; p++)
    if ((p == data || p[-1] == '\n') && g_ascii_strncasecmp (p, "Content-Length:", 15) == 0)
      body = g_ascii_strtoull (p + 15, NULL, 10);
  return (guint64) request->len >= (guint64) (end + 4 - data) + body;
}

static void
server_conn_read (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ServerConn *conn = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn->connection));

  if (n <= 0 || conn->request->len > 1024 * 1024)
    {
      server_conn_close (conn);
      return;
    }
  g_byte_array_append (conn->request, conn->buffer, (guint) n);
  if (!request_complete (conn->request))
    {
      g_input_stream_read_async (G_INPUT_STREAM (source), conn->buffer, sizeof conn->buffer,
                                 G_PRIORITY_DEFAULT, NULL, server_conn_read, conn);
      return;
    }
  conn->answer = current_answer ();
  if (conn->answer == NULL)
    {
      server_conn_close (conn);
      return;
    }
  g_output_stream_write_all_async (out, g_bytes_get_data (conn->answer, NULL),
                                   g_bytes_get_size (conn->answer), G_PRIORITY_DEFAULT, NULL,
                                   server_conn_written, conn);
}

static gboolean
server_incoming (GSocketService    *service,
                 GSocketConnection *connection,
                 GObject           *source,
                 gpointer           user_data)
{
  ServerConn *conn = g_new0 (ServerConn, 1);

  state.active++;
  conn->connection = g_object_ref (connection);
  conn->request = g_byte_array_new ();
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                             conn->buffer, sizeof conn->buffer, G_PRIORITY_DEFAULT, NULL,
                             server_conn_read, conn);
  return TRUE;
}

static void
server_start (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  state.server = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (state.server), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (state.server, "incoming", G_CALLBACK (server_incoming), NULL);
  state.base_url = g_strdup_printf ("http://127.0.0.1:%u/ovirt-engine/api/",
                                    g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_service_start (state.server);
}

static const guint64 caps[] = { 1024 * 1024, 4096, 64, OB_CONNECTION_DEFAULT_MAX_RESPONSE_SIZE };

/* @head as is, then @body gzipped. */
static GBytes *
gzip_after_head (const char *head,
                 gsize       head_len,
                 const char *body,
                 gsize       body_len)
{
  g_autoptr(GZlibCompressor) gzip = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (mem, G_CONVERTER (gzip));

  g_output_stream_write_all (mem, head, head_len, NULL, NULL, NULL);
  g_output_stream_write_all (out, body, body_len, NULL, NULL, NULL);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
}

static GBytes *
make_answer (guint8      control,
             const char *data,
             gsize       size)
{
  const char *end;

  if ((control & 0x08) == 0)
    return g_bytes_new (data, size);
  end = g_strstr_len (data, size, "\r\n\r\n");
  if (end == NULL)
    return g_bytes_new (data, size);
  end += 4;
  return gzip_after_head (data, end - data, end, size - (end - data));
}

/* libsoup 3.2 hands a negative Content-Length ("-81", which strtoull()
 * reads as a huge number) to its body stream, and GObject warns about the
 * property. The client refuses such an answer (ob-connection-read.c), but
 * cannot stop libsoup's warning; every other warning still aborts. */
static const char *const tolerated[] = {
  "invalid or out of range for property 'content-length'",
  NULL,
};

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  static const char *const local[] = { "127.0.0.1", NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GProxyResolver) dead_proxy = NULL;

  ob_fuzz_make_warnings_fatal_except (tolerated);
  g_mutex_init (&state.lock);
  server_start ();
  state.engine = fake_engine_new ("4.5.5.1-1.el9", NULL, NULL, NULL);
  state.connection = ob_connection_new (fake_engine_get_url (state.engine), &error);
  g_assert_no_error (error);
  dead_proxy = g_simple_proxy_resolver_new ("http://127.0.0.1:9", (char **) local);
  g_object_set (state.connection->session, "proxy-resolver", dead_proxy, NULL);
  ob_connection_set_credentials (state.connection, "admin@internal", "secret");
  ob_connection_set_timeout (state.connection, 5);
  ob_connection_open_async (state.connection, NULL, ob_test_store_result, &result);
  g_assert_true (ob_connection_open_finish (state.connection, ob_test_wait_for_result (&result), &error));
  g_assert_no_error (error);
  return 0;
}

/* What the client's callers do with a successful answer to call @op. */
static void
parse_models (guint     op,
              JsonNode *root)
{
  g_autoptr(GError) error = NULL;

  switch (op)
    {
    case 0:
      {
        g_autoptr(GPtrArray) vms = ob_vm_json_parse_vms (root, &error);
        g_assert ((vms == NULL) == (error != NULL));
        ob_fuzz_check_each (vms, ob_fuzz_check_vm);
        break;
      }
    case 1:
    case 5:
    case 6:
      {
        g_autoptr(ObVm) vm = ob_vm_json_parse_vm (root, &error);
        g_assert ((vm == NULL) == (error != NULL));
        if (vm != NULL)
          ob_fuzz_check_vm (vm);
        break;
      }
    case 2:
      {
        g_autoptr(GPtrArray) clusters = ob_vm_json_parse_clusters (root, &error);
        g_assert ((clusters == NULL) == (error != NULL));
        ob_fuzz_check_each (clusters, ob_fuzz_check_cluster);
        break;
      }
    case 3:
      {
        g_autoptr(GPtrArray) templates = ob_vm_json_parse_templates (root, &error);
        g_assert ((templates == NULL) == (error != NULL));
        ob_fuzz_check_each (templates, ob_fuzz_check_template);
        break;
      }
    case 4:
      {
        g_autofree char *reason = NULL;
        g_autofree char *detail = NULL;
        JsonNode *inner;

        (void) ob_rest_json_parse_fault (root, &reason, &detail);
        if (JSON_NODE_HOLDS_OBJECT (root) &&
            (inner = json_object_get_member (json_node_get_object (root), "vm")) != NULL)
          {
            g_autoptr(ObVm) vm = ob_vm_json_parse_vm (inner, NULL);
            if (vm != NULL)
              ob_fuzz_check_vm (vm);
          }
        break;
      }
    default:
      {
        g_autofree char *token = ob_rest_json_parse_sso_token (root, &error);
        g_assert ((token == NULL) == (error != NULL));
        g_assert (token == NULL || *token != '\0');
        break;
      }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *const methods[] = { "GET", "GET", "GET", "GET", "POST", "PUT", "GET", "GET" };
  static const char *const paths[] = {
    "vms", "vms/123", "clusters", "templates", "vms/123/start", "vms/123", "vms/123", "",
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *url = NULL;
  guint8 control;
  guint op;
  guint status = 0;

  if (size == 0)
    return 0;
  control = data[0];
  op = control & 0x07;

  g_mutex_lock (&state.lock);
  g_clear_pointer (&state.answer, g_bytes_unref);
  state.answer = make_answer (control, (const char *) data + 1, size - 1);
  g_mutex_unlock (&state.lock);

  ob_connection_set_max_response_size (state.connection, caps[(control >> 4) & 0x03]);
  url = g_strconcat (state.base_url, paths[op], NULL);
  ob_connection_request_async (state.connection, methods[op], url,
                               op == 4 ? "{\"volatile\":\"true\"}" : op == 5 ? "{\"name\":\"x\"}" : NULL,
                               op == 6 ? OB_REQUEST_ALL_CONTENT : OB_REQUEST_NONE,
                               NULL, ob_test_store_result, &result);
  root = ob_connection_request_finish (state.connection, ob_test_wait_for_result (&result), &status, &error);

  if (root == NULL)
    {
      /* Every failure is one error of ours with something to say. */
      g_assert (error != NULL);
      g_assert (error->domain == OB_ERROR);
      g_assert (error->message != NULL && error->message[0] != '\0');
    }
  else
    {
      g_assert (error == NULL);
      g_assert (status >= 200 && status < 300);
      parse_models (op, root);
    }

  /* Every connection of this input is closed before the next one (the
   * client hangs up on a refused answer in the main loop). */
  while (state.active > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert (fake_engine_wait_idle (state.engine, 10000));
  return 0;
}
