/* ob-connection-read.c: sending a message and reading its answer, bounded
 * in size (after decompression: libsoup inflates while we read, so the cap
 * counts what would be kept) and in time (the deadline covers the body,
 * checked between reads too, not only by its timer); a redirect is refused,
 * never followed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ob-body-buffer.h"
#include "ob-connection-private.h"
#include "ob-error.h"

/* Bytes asked for per read. */
#define OB_CONNECTION_READ_CHUNK (64 * 1024)

typedef struct
{
  SoupSession *session;
  SoupMessage *msg;
  ObDeadline *deadline;   /* the caller's, alive while this runs */
  GInputStream *stream;
  ObBodyBuffer *body;     /* from the headers on */
  guint64 max;
  gulong got_headers_id;
  gboolean bad_length;    /* refused in got_headers_cb() */
  GError *failure;        /* while the scheme is probed */
} ReadJob;

static void
read_job_free (ReadJob *job)
{
  if (job->stream != NULL)
    g_input_stream_close_async (job->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&job->stream);
  g_clear_signal_handler (&job->got_headers_id, job->msg);
  g_clear_object (&job->msg);
  g_clear_object (&job->session);
  g_clear_pointer (&job->body, ob_body_buffer_free);
  g_clear_error (&job->failure);
  g_free (job);
}

/* "256 MiB" for whole mebibytes, else bytes: the figure a user sets. */
static char *
format_limit (guint64 bytes)
{
  g_autofree char *number = NULL;

  if (bytes % (1024 * 1024) == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " MiB", bytes / (1024 * 1024));
  number = g_strdup_printf ("%" G_GUINT64_FORMAT, bytes);

  /* The number is formatted first: a G_*_FORMAT macro inside a msgid
   * would hide the message from xgettext. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s byte", "%s bytes", bytes), number);
}

static void
return_too_large (GTask *task)
{
  ObConnection *self = g_task_get_source_object (task);
  ReadJob *job = g_task_get_task_data (task);
  g_autofree char *limit = format_limit (job->max);

  ob_deadline_stop (job->deadline);
  g_task_return_new_error (task, OB_ERROR, OB_ERROR_PROTOCOL,
                           _("The engine at %s sent an answer larger than %s; it was refused."),
                           self->engine_key, limit);
}

static void
scheme_probed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObConnection *self = OB_CONNECTION (source);
  ReadJob *job = g_task_get_task_data (task);
  GError *hint = ob_connection_probe_scheme_finish (self, result);

  if (hint != NULL)
    g_task_return_error (task, hint);
  else
    g_task_return_error (task, ob_connection_map_transport_error (self, job->failure, FALSE));
}

static void
return_failure (GTask        *task,
                const GError *error)
{
  ObConnection *self = g_task_get_source_object (task);
  ReadJob *job = g_task_get_task_data (task);
  gboolean timed_out = job->deadline->timed_out;

  ob_deadline_stop (job->deadline);
  if (job->bad_length)
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_PROTOCOL,
                               _("The engine at %s sent an answer with an invalid Content-Length; it was refused."),
                               self->engine_key);
      return;
    }
  if (!timed_out && ob_connection_scheme_suspect (self, job->msg, error))
    {
      job->failure = g_error_copy (error);
      ob_connection_probe_scheme_async (self, g_task_get_cancellable (task), scheme_probed_cb,
                                        g_object_ref (task));
      return;
    }
  g_task_return_error (task, ob_connection_map_transport_error (self, error, timed_out));
}

/* The target of a redirect, resolved against the request, as one short
 * printable line. */
static char *
describe_location (SoupMessage *msg,
                   const char  *location)
{
  g_autoptr(GUri) target = g_uri_parse_relative (soup_message_get_uri (msg), location, G_URI_FLAGS_NONE, NULL);
  /* GLib cannot print a URI without a host whose path starts with "//"
   * ("http:/..//x" resolves to one): the raw text then. */
  g_autofree char *text = target != NULL && g_uri_get_host (target) != NULL
                          ? g_uri_to_string (target) : g_strdup (location);
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0' && out->len < 200; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "\\x%02x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  if (strlen (text) > out->len)
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

/* A redirect is never followed: the answer of another origin (scheme,
 * host, port) is not the engine's, and real engines answer the API and
 * SSO URLs the client uses without one (the oVirt Python SDK requests the
 * same URLs and follows no redirect). */
static gboolean
refuse_redirect (GTask *task)
{
  ObConnection *self = g_task_get_source_object (task);
  ReadJob *job = g_task_get_task_data (task);
  guint status = soup_message_get_status (job->msg);
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (job->msg),
                                                       "Location");
  g_autofree char *target = NULL;

  if (!SOUP_STATUS_IS_REDIRECTION (status) || location == NULL)
    return FALSE;
  target = describe_location (job->msg, location);
  ob_deadline_stop (job->deadline);
  g_task_return_new_error (task, OB_ERROR, OB_ERROR_CONNECT,
                           _("The engine at %s redirected to %s (HTTP %u); the redirect was not "
                             "followed: connect to that URL directly if you trust it."),
                           self->engine_key, target, status);
  return TRUE;
}

/* The timer may be late when reads keep the main loop busy: the clock
 * decides. */
static gboolean
past_deadline (ReadJob *job)
{
  if (job->deadline->timed_out || g_get_monotonic_time () < job->deadline->end_time)
    return job->deadline->timed_out;
  job->deadline->timed_out = TRUE;
  return TRUE;
}

static void read_next (GTask *task);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  gsize len;

  if (chunk == NULL)
    {
      return_failure (task, error);
      return;
    }
  len = g_bytes_get_size (chunk);
  if (len == 0)
    {
      ob_deadline_stop (job->deadline);
      g_task_return_pointer (task, ob_body_buffer_free_to_bytes (g_steal_pointer (&job->body)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }
  if ((guint64) ob_body_buffer_get_size (job->body) + len > job->max)
    {
      return_too_large (task);
      return;
    }
  ob_body_buffer_append (job->body, g_bytes_get_data (chunk, NULL), len);
  read_next (g_steal_pointer (&task));
}

/* Takes the reference of @task. */
static void
read_next (GTask *task)
{
  ReadJob *job = g_task_get_task_data (task);

  if (past_deadline (job))
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "");

      return_failure (task, error);
      g_object_unref (task);
      return;
    }
  g_input_stream_read_bytes_async (job->stream, OB_CONNECTION_READ_CHUNK, G_PRIORITY_DEFAULT,
                                   job->deadline->cancellable, read_cb, task);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  goffset length;
  gboolean encoded;

  job->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (job->stream == NULL)
    {
      return_failure (task, error);
      return;
    }
  if (refuse_redirect (task))
    return;
  /* A declared length over the cap is refused before reading it (for a
   * compressed body this is the compressed size: the count while reading
   * still applies). */
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (job->msg));
  encoded = soup_message_headers_get_one (soup_message_get_response_headers (job->msg),
                                          "Content-Encoding") != NULL;
  if (length > 0 && (guint64) length > job->max && !encoded)
    {
      return_too_large (task);
      return;
    }
  job->body = ob_body_buffer_new (encoded ? -1 : length);
  read_next (g_steal_pointer (&task));
}

/* libsoup reads Content-Length with strtoull(): "-81" becomes -81, which
 * its body stream refuses with a GLib warning (then it reads on to the end
 * of the connection), "12abc" becomes 12. Only digits are accepted,
 * checked before the body is read. */
static void
got_headers_cb (SoupMessage *msg,
                gpointer     user_data)
{
  ReadJob *job = user_data;
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                    "Content-Length");
  const char *p;

  if (value == NULL)
    return;
  for (p = value; *p == ' ' || *p == '\t'; p++)
    ;
  if (g_ascii_isdigit (*p))
    {
      while (g_ascii_isdigit (*p))
        p++;
      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '\0')
        return;
    }
  /* libsoup reads the length again when it sets up the body: make that
   * an empty body, then refuse the answer. */
  soup_message_headers_replace (soup_message_get_response_headers (msg), "Content-Length", "0");
  job->bad_length = TRUE;
  g_cancellable_cancel (job->deadline->cancellable);
}

void
ob_connection_send_async (ObConnection        *self,
                          SoupSession         *session,
                          SoupMessage         *msg,
                          ObDeadline          *deadline,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);
  ReadJob *job = g_new0 (ReadJob, 1);

  g_task_set_source_tag (task, ob_connection_send_async);
  job->session = g_object_ref (session);
  job->msg = g_object_ref (msg);
  job->deadline = deadline;
  job->max = self->max_response_size;
  g_task_set_task_data (task, job, (GDestroyNotify) read_job_free);
  job->got_headers_id = g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), job);

  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT,
                           ob_deadline_start (deadline, cancellable, self->timeout),
                           sent_cb, task);
}

GBytes *
ob_connection_send_finish (ObConnection  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
