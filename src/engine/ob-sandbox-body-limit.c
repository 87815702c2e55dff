/* ob-sandbox-body-limit.c: the 1 MiB request body limit, applied while the
 * body is read (declared or chunked, before any authentication). An
 * oversized request gets 413 on a connection taken from the server, which
 * then reads and drops what the client still sends for a moment, so that
 * closing does not reset the connection before the answer is read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "ob-sandbox-impl.h"
#include "ob-sandbox-request.h"

#define REFUSED_MARK   "ob-body-refused"
#define DRAIN_BYTES    (4 * 1024 * 1024)
#define DRAIN_USEC     (2 * G_USEC_PER_SEC)
#define DRAIN_BUF_SIZE (64 * 1024)

typedef struct
{
  GIOStream *stream;
  GBytes    *answer;
  guint8    *buf;
  gsize      drained;
  gint64     deadline;
} Refusal;

static void
refusal_free (Refusal *r)
{
  g_io_stream_close_async (r->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_object_unref (r->stream);
  g_bytes_unref (r->answer);
  g_free (r->buf);
  g_free (r);
}

static void
drained (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Refusal *r = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0 || (r->drained += (gsize) n) > DRAIN_BYTES || g_get_monotonic_time () > r->deadline)
    {
      refusal_free (r);
      return;
    }
  g_input_stream_read_async (G_INPUT_STREAM (source), r->buf, DRAIN_BUF_SIZE, G_PRIORITY_DEFAULT,
                             NULL, drained, r);
}

static void
answered (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Refusal *r = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      refusal_free (r);
      return;
    }
  r->buf = g_malloc (DRAIN_BUF_SIZE);
  r->deadline = g_get_monotonic_time () + DRAIN_USEC;
  g_input_stream_read_async (g_io_stream_get_input_stream (r->stream), r->buf, DRAIN_BUF_SIZE,
                             G_PRIORITY_DEFAULT, NULL, drained, r);
}

/* Runs outside libsoup's reading, on the paused message. */
static gboolean
refuse (gpointer user_data)
{
  SoupServerMessage *msg = user_data;
  ObReprFormat format = ob_sandbox_request_format (msg);
  g_autoptr(GBytes) fault = ob_sandbox_fault_bytes (format, OB_REASON_SYNTAX,
                                                     _("The request body is larger than 1 MiB."));
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 413 Request Entity Too Large\r\n"
                                           "Content-Type: %s\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n"
                                           "Connection: close\r\n\r\n",
                                           ob_sandbox_content_type (format),
                                           g_bytes_get_size (fault));
  GIOStream *stream = soup_server_message_steal_connection (msg);
  GByteArray *answer;
  Refusal *r;

  if (stream == NULL)
    return G_SOURCE_REMOVE;
  answer = g_byte_array_new ();
  g_byte_array_append (answer, (const guint8 *) head, (guint) strlen (head));
  g_byte_array_append (answer, g_bytes_get_data (fault, NULL), (guint) g_bytes_get_size (fault));
  r = g_new0 (Refusal, 1);
  r->stream = stream;
  r->answer = g_byte_array_free_to_bytes (answer);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (r->answer, NULL), g_bytes_get_size (r->answer),
                                   G_PRIORITY_DEFAULT, NULL, answered, r);
  return G_SOURCE_REMOVE;
}

static void
refuse_later (SoupServerMessage *msg)
{
  GSource *source;

  if (g_object_get_data (G_OBJECT (msg), REFUSED_MARK) != NULL)
    return;
  g_object_set_data (G_OBJECT (msg), REFUSED_MARK, GINT_TO_POINTER (TRUE));
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  soup_server_message_pause (msg);
  source = g_idle_source_new ();
  g_source_set_callback (source, refuse, g_object_ref (msg), g_object_unref);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

static void
got_chunk (SoupServerMessage *msg,
           GBytes            *chunk,
           gpointer           user_data)
{
  if (soup_server_message_get_request_body (msg)->length > OB_SANDBOX_MAX_BODY)
    refuse_later (msg);
}

void
ob_sandbox_body_limit_watch (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > OB_SANDBOX_MAX_BODY)
    refuse_later (msg);
  else
    g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk), NULL);
}
