/* test-client-hostile.c: the client against an engine that answers to
 * hurt it: bodies nested too deeply for json-glib's recursion, endless or
 * huge bodies, compressed bombs, bodies that trickle past the timeout.
 * Each must end in one clear error, in bounded time and memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fake-engine.h"
#include "ob-client.h"
#include "ob-error.h"

#define JSON "application/json"

typedef enum
{
  HOSTILE_DEEP,          /* 200,000 nested arrays */
  HOSTILE_DEEP_FAULT,    /* the same as a 500 fault body */
  HOSTILE_ENDLESS,       /* chunked, never ends */
  HOSTILE_HUGE,          /* Content-Length 1.5 GiB, sent as fast as read */
  HOSTILE_GZIP_BOMB,     /* a small gzip body inflating to 256 MiB */
  HOSTILE_SLOW,          /* chunked, 1 KiB every 20 ms, never ends */
  HOSTILE_BAD_LENGTH,    /* Content-Length "+12": libsoup reads 12 */
} HostileMode;

typedef struct
{
  HostileMode mode;
  GBytes *gzip;
} Hostile;

static char *
deep_body (gsize depth)
{
  char *body = g_malloc (depth * 2 + 1);

  memset (body, '[', depth);
  memset (body + depth, ']', depth);
  body[depth * 2] = '\0';
  return body;
}

/* 256 MiB of a JSON string's inside, gzip-compressed (about 256 KiB). */
static GBytes *
gzip_bomb (void)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *chunk = g_malloc (1024 * 1024);
  char buffer[65536];

  memset (chunk, 'a', 1024 * 1024);
  for (guint i = 0; i <= 256; i++)
    {
      gboolean last = i == 256;
      const char *in = last ? "" : chunk;
      gsize in_left = last ? 0 : 1024 * 1024;
      GConverterResult r;

      do
        {
          gsize read = 0, written = 0;

          r = g_converter_convert (G_CONVERTER (compressor), in, in_left, buffer, sizeof buffer,
                                   last ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                   &read, &written, NULL);
          g_assert_cmpint (r, !=, G_CONVERTER_ERROR);
          g_byte_array_append (out, (const guint8 *) buffer, written);
          in += read;
          in_left -= read;
        }
      while (in_left > 0 || (last && r != G_CONVERTER_FINISHED));
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
write_text (GOutputStream *out,
            const char    *text)
{
  return g_output_stream_write_all (out, text, strlen (text), NULL, NULL, NULL);
}

/* Streams @filler until the client hangs up (or for @limit bytes). */
static void
stream_until_gone (GOutputStream *out,
                   gboolean       chunked,
                   guint64        limit,
                   guint          pause_ms)
{
  char block[1024];
  g_autofree char *frame = NULL;
  guint64 sent = 0;

  memset (block, ' ', sizeof block);
  frame = g_strdup_printf ("%zx\r\n", sizeof block);
  while (sent < limit)
    {
      if (chunked && !write_text (out, frame))
        return;
      if (!g_output_stream_write_all (out, block, sizeof block, NULL, NULL, NULL))
        return;
      if (chunked && !write_text (out, "\r\n"))
        return;
      sent += sizeof block;
      if (pause_ms > 0)
        g_usleep (pause_ms * 1000);
    }
}

static gboolean
hostile_route (FakeEngine    *engine,
               FakeRequest   *request,
               GOutputStream *out,
               gpointer       user_data)
{
  Hostile *hostile = user_data;
  const guint64 huge = G_GUINT64_CONSTANT (1536) * 1024 * 1024;

  switch (hostile->mode)
    {
    case HOSTILE_DEEP:
    case HOSTILE_DEEP_FAULT:
      {
        g_autofree char *body = deep_body (200000);

        fake_engine_reply (out, hostile->mode == HOSTILE_DEEP ? 200 : 500, JSON, body, strlen (body));
        return TRUE;
      }
    case HOSTILE_ENDLESS:
    case HOSTILE_SLOW:
      write_text (out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                       "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
      stream_until_gone (out, TRUE, G_MAXUINT64, hostile->mode == HOSTILE_SLOW ? 20 : 0);
      return TRUE;
    case HOSTILE_HUGE:
      {
        g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                                 "Content-Length: %" G_GUINT64_FORMAT "\r\n"
                                                 "Connection: close\r\n\r\n", huge);
        write_text (out, head);
        stream_until_gone (out, FALSE, huge, 0);
        return TRUE;
      }
    case HOSTILE_GZIP_BOMB:
      {
        gsize len = 0;
        const char *data = g_bytes_get_data (hostile->gzip, &len);
        g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                                 "Content-Encoding: gzip\r\n"
                                                 "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                                 "Connection: close\r\n\r\n", len);
        if (write_text (out, head))
          g_output_stream_write_all (out, data, len, NULL, NULL, NULL);
        return TRUE;
      }
    case HOSTILE_BAD_LENGTH:
      /* The first 12 bytes alone are a valid VM. */
      write_text (out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                       "Content-Length: +12\r\nConnection: close\r\n\r\n"
                       "{\"id\":\"123\"} trailing bytes");
      return TRUE;
    default:
      return FALSE;
    }
}

/* One GET against an engine in @mode; returns the error. */
static GError *
hostile_get (HostileMode  mode,
             guint        timeout,
             guint64      max_size,
             gint64      *elapsed_ms)
{
  Hostile hostile = { mode, NULL };
  FakeEngine *engine;
  g_autoptr(ObConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  gint64 start;

  if (mode == HOSTILE_GZIP_BOMB)
    hostile.gzip = gzip_bomb ();
  engine = fake_engine_new ("4.5.5.1-1.el9", NULL, hostile_route, &hostile);
  connection = ob_connection_new (fake_engine_get_url (engine), &error);
  g_assert_no_error (error);
  ob_connection_set_credentials (connection, "admin@internal", "secret");
  ob_connection_set_timeout (connection, timeout);
  if (max_size > 0)
    ob_connection_set_max_response_size (connection, max_size);
  ob_connection_open_async (connection, NULL, ob_test_store_result, &result);
  g_assert_true (ob_connection_open_finish (connection, ob_test_wait_for_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  start = g_get_monotonic_time ();
  ob_connection_request_async (connection, "GET", "vms/x", NULL, OB_REQUEST_NONE, NULL,
                               ob_test_store_result, &result);
  node = ob_connection_request_finish (connection, ob_test_wait_for_result (&result), NULL, &error);
  if (elapsed_ms != NULL)
    *elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_assert_null (node);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  /* One line: the CLI prints it after "error:". */
  g_assert_null (strchr (error->message, '\n'));
  /* The refused answer is not read on in the background: the client hangs
   * up while the connection object lives on. */
  g_assert_true (fake_engine_wait_idle (engine, 5000));

  g_clear_object (&connection);
  fake_engine_free (engine);
  g_clear_pointer (&hostile.gzip, g_bytes_unref);
  return error;
}

static void
test_deep_nesting (void)
{
  g_autoptr(GError) error = hostile_get (HOSTILE_DEEP, 30, 0, NULL);

  g_assert_error (error, OB_ERROR, OB_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "nested"));
  g_assert_cmpint (ob_error_exit_code (error), ==, OB_EXIT_FAILED);
}

static void
test_deep_nesting_fault (void)
{
  g_autoptr(GError) error = hostile_get (HOSTILE_DEEP_FAULT, 30, 0, NULL);

  /* The fault body is unreadable; the status still speaks. */
  g_assert_error (error, OB_ERROR, OB_ERROR_SERVER_FAULT);
  g_assert_nonnull (strstr (error->message, "HTTP 500"));
}

static void
test_endless_body (void)
{
  gint64 elapsed = 0;
  g_autoptr(GError) error = hostile_get (HOSTILE_ENDLESS, 30, 4 * 1024 * 1024, &elapsed);

  g_assert_error (error, OB_ERROR, OB_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "4 MiB"));
  g_assert_cmpint (elapsed, <, 20000);
}

static void
test_huge_body (void)
{
  g_autoptr(GError) error = hostile_get (HOSTILE_HUGE, 30, 8 * 1024 * 1024, NULL);

  g_assert_error (error, OB_ERROR, OB_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "8 MiB"));
}

/* With no size cap to stop it, a body that arrives fast but is too big
 * to end in time still ends at the timeout. */
static void
test_huge_body_times_out (void)
{
  gint64 elapsed = 0;
  g_autoptr(GError) error = hostile_get (HOSTILE_HUGE, 3, G_MAXUINT64, &elapsed);

  g_assert_error (error, OB_ERROR, OB_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "3 seconds"));
  g_assert_cmpint (elapsed, <, 6000);
}

static void
test_gzip_bomb (void)
{
  g_autoptr(GError) error = hostile_get (HOSTILE_GZIP_BOMB, 30, 8 * 1024 * 1024, NULL);

  g_assert_error (error, OB_ERROR, OB_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "8 MiB"));
}

static void
test_slow_body_times_out (void)
{
  gint64 elapsed = 0;
  g_autoptr(GError) error = hostile_get (HOSTILE_SLOW, 2, 0, &elapsed);

  g_assert_error (error, OB_ERROR, OB_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "2 seconds"));
  /* Not before the timeout; after it only by a loaded machine's delay. */
  g_assert_cmpint (elapsed, >=, 1990);
  g_assert_cmpint (elapsed, <, 5000);
  g_assert_cmpint (ob_error_exit_code (error), ==, OB_EXIT_FAILED);
}

/* Content-Length is digits only (RFC 9110); libsoup takes a prefix. */
static void
test_bad_content_length (void)
{
  g_autoptr(GError) error = hostile_get (HOSTILE_BAD_LENGTH, 30, 0, NULL);

  g_assert_error (error, OB_ERROR, OB_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "Content-Length"));
}

/* The path of ovirt-balloon-cli, from the command line. */
static const char *cli_path;

/* The real CLI against an engine in @mode: one "error:" line on stderr,
 * nothing on stdout, exit 1 (OB_ERROR_PROTOCOL and OB_ERROR_TIMEOUT). */
static void
assert_cli_refuses (HostileMode  mode,
                    const char  *timeout,
                    const char  *expected)
{
  Hostile hostile = { mode, NULL };
  FakeEngine *engine = fake_engine_new ("4.5.5.1-1.el9", NULL, hostile_route, &hostile);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (cli_path == NULL)
    {
      g_test_skip ("no ovirt-balloon-cli given on the command line");
      fake_engine_free (engine);
      return;
    }
  g_assert_cmpint (fake_engine_run_cli (engine, cli_path, timeout, &out, &err), ==, OB_EXIT_FAILED);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "error: "));
  g_assert_nonnull (strstr (err, expected));
  /* One line. */
  g_assert_cmpint (strchr (err, '\n') - err, ==, (gssize) strlen (err) - 1);
  fake_engine_free (engine);
}

static void
test_cli_refusals (void)
{
  assert_cli_refuses (HOSTILE_DEEP, "10", "nested more than 64 levels");
  assert_cli_refuses (HOSTILE_HUGE, "10", "larger than 256 MiB");
  assert_cli_refuses (HOSTILE_SLOW, "2", "did not answer within 2 seconds");
}

static void
test_default_cap (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObConnection) connection = ob_connection_new ("https://engine.example", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ob_connection_get_max_response_size (connection), ==,
                    OB_CONNECTION_DEFAULT_MAX_RESPONSE_SIZE);
  g_assert_cmpuint (OB_CONNECTION_DEFAULT_MAX_RESPONSE_SIZE, ==, 256 * 1024 * 1024);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (argc > 1)
    cli_path = argv[1];
  g_test_add_func ("/client/hostile/deep-nesting", test_deep_nesting);
  g_test_add_func ("/client/hostile/deep-nesting-fault", test_deep_nesting_fault);
  g_test_add_func ("/client/hostile/endless-body", test_endless_body);
  g_test_add_func ("/client/hostile/huge-body", test_huge_body);
  g_test_add_func ("/client/hostile/huge-body-times-out", test_huge_body_times_out);
  g_test_add_func ("/client/hostile/gzip-bomb", test_gzip_bomb);
  g_test_add_func ("/client/hostile/slow-body-times-out", test_slow_body_times_out);
  g_test_add_func ("/client/hostile/default-cap", test_default_cap);
  g_test_add_func ("/client/hostile/bad-content-length", test_bad_content_length);
  g_test_add_func ("/client/hostile/cli-one-error-line", test_cli_refusals);
  return g_test_run ();
}
