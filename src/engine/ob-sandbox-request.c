/* ob-sandbox-request.c: one REST request: its format, query, body, the
 * engine-style answers and the transaction around a change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ob-wire-boolean.h"
#include "ob-sandbox-request.h"

ObReprFormat
ob_sandbox_request_format (SoupServerMessage *msg)
{
  const char *accept = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Accept");

  if (accept != NULL && strstr (accept, "application/json") != NULL)
    {
      const char *xml = strstr (accept, "application/xml");

      /* "application/xml, application/json": the first one wins. */
      if (xml == NULL || xml > strstr (accept, "application/json"))
        return OB_REPR_JSON;
    }
  return OB_REPR_XML;
}

const char *
ob_sandbox_content_type (ObReprFormat format)
{
  return format == OB_REPR_JSON ? "application/json" : "application/xml;charset=UTF-8";
}

static void
respond_bytes (SoupServerMessage *msg,
               guint              status,
               const char        *content_type,
               GBytes            *bytes)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Content-Type", content_type);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
}

void
ob_sandbox_respond_writer (SoupServerMessage *msg,
                           guint              status,
                           ObReprWriter      *w)
{
  ObReprFormat format = ob_repr_writer_get_format (w);
  g_autoptr(GBytes) bytes = ob_repr_writer_free_to_bytes (w);

  respond_bytes (msg, status, ob_sandbox_content_type (format), bytes);
}

static void
write_fault (ObReprWriter *w,
             const char   *reason,
             const char   *detail)
{
  ob_repr_begin (w, "fault", NULL, NULL);
  ob_repr_string (w, "reason", reason);
  ob_repr_string (w, "detail", detail);
  ob_repr_end (w);
}

GBytes *
ob_sandbox_fault_bytes (ObReprFormat format,
                        const char  *reason,
                        const char  *detail)
{
  ObReprWriter *w = ob_repr_writer_new (format, 256);

  write_fault (w, reason, detail);
  return ob_repr_writer_free_to_bytes (w);
}

void
ob_sandbox_respond_fault (SoupServerMessage *msg,
                          ObReprFormat       format,
                          guint              status,
                          const char        *reason,
                          const char        *detail)
{
  g_autoptr(GBytes) bytes = ob_sandbox_fault_bytes (format, reason, detail);

  respond_bytes (msg, status, ob_sandbox_content_type (format), bytes);
}

void
ob_request_fault (ObSandboxRequest *req,
                  guint             status,
                  const char       *reason,
                  const char       *detail)
{
  ob_sandbox_respond_fault (req->msg, req->format, status, reason, detail);
}

/* The engine answers an unknown entity with 404 and an empty body. */
void
ob_request_not_found (ObSandboxRequest *req)
{
  soup_server_message_set_status (req->msg, SOUP_STATUS_NOT_FOUND, NULL);
}

void
ob_request_method_not_allowed (ObSandboxRequest *req,
                               const char       *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Allow", allow);
  soup_server_message_set_status (req->msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
}

/* An action's answer: <action><status>complete</status></action>, or on
 * failure the fault inside the action and status failed. */
void
ob_request_respond_action (ObSandboxRequest *req,
                           guint             http_status,
                           const char       *reason,
                           const char       *detail)
{
  ObReprWriter *w = ob_repr_writer_new (req->format, 512);

  ob_repr_begin (w, "action", NULL, NULL);
  if (reason != NULL)
    write_fault (w, reason, detail);
  ob_repr_string (w, "status", reason == NULL ? "complete" : "failed");
  ob_repr_end (w);
  ob_sandbox_respond_writer (req->msg, http_status, w);
}

/* The engine's backend messages: "[Cannot <action> <type>. <why>]". */
char *
ob_request_cannot (const char *action,
                   const char *type,
                   const char *why)
{
  /* Translators: engine-style validation message, e.g. "[Cannot edit VM. ...]". */
  return g_strdup_printf (_("[Cannot %s %s. %s]"), action, type, why);
}

void
ob_request_refuse (ObSandboxRequest *req,
                   gboolean          is_action,
                   guint             status,
                   const char       *action,
                   const char       *type,
                   const char       *why)
{
  g_autofree char *detail = ob_request_cannot (action, type, why);

  if (is_action)
    ob_request_respond_action (req, status, OB_REASON_FAILED, detail);
  else
    ob_request_fault (req, status, OB_REASON_FAILED, detail);
}

void
ob_request_internal_error (ObSandboxRequest *req,
                           GError           *error)
{
  ob_request_fault (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, OB_REASON_FAILED, error->message);
}

const char *
ob_request_query_get (ObSandboxRequest *req,
                      const char       *key)
{
  return req->query ? g_hash_table_lookup (req->query, key) : NULL;
}

static gboolean
is_true (const char *text)
{
  gboolean flag = FALSE;

  return ob_wire_boolean_parse (text, &flag) && flag;
}

gboolean
ob_request_query_flag (ObSandboxRequest *req,
                       const char       *key)
{
  const char *value = ob_request_query_get (req, key);

  /* "?next_run" alone means true, as for the engine's matrix params. */
  return value != NULL && (*value == '\0' || is_true (value));
}

JsonObject *
ob_request_read_body (ObSandboxRequest *req,
                      gboolean          required,
                      const char       *root,
                      gboolean         *failed)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  const char *content_type = soup_message_headers_get_content_type (
    soup_server_message_get_request_headers (req->msg), NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *root_name = NULL;
  JsonObject *obj;
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  *failed = FALSE;
  if (length == 0 && !required)
    return NULL;

  if (length > OB_SANDBOX_MAX_BODY)
    {
      ob_request_fault (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, OB_REASON_SYNTAX,
                        _("The request body is larger than 1 MiB."));
      *failed = TRUE;
      return NULL;
    }

  obj = ob_repr_parse_body (data, length, content_type, &root_name, &error);
  if (obj == NULL)
    {
      ob_request_fault (req, SOUP_STATUS_BAD_REQUEST, OB_REASON_SYNTAX, error->message);
      *failed = TRUE;
      return NULL;
    }
  if (root_name != NULL && root != NULL && g_strcmp0 (root_name, root) != 0)
    {
      g_autofree char *detail = g_strdup_printf (_("Expected the root element <%s>, found <%s>."),
                                                 root, root_name);

      json_object_unref (obj);
      ob_request_fault (req, SOUP_STATUS_BAD_REQUEST, OB_REASON_SYNTAX, detail);
      *failed = TRUE;
      return NULL;
    }
  return obj;
}

gboolean
ob_request_begin (ObSandboxRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (ob_sandbox_store_begin (req->router->store, &error))
    return TRUE;
  ob_request_internal_error (req, error);
  return FALSE;
}

gboolean
ob_request_commit (ObSandboxRequest *req,
                   gboolean          is_action)
{
  g_autoptr(GError) error = NULL;

  if (ob_sandbox_store_commit (req->router->store, &error))
    return TRUE;
  if (is_action)
    ob_request_respond_action (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, OB_REASON_FAILED, error->message);
  else
    ob_request_internal_error (req, error);
  return FALSE;
}

void
ob_request_rollback (ObSandboxRequest *req)
{
  ob_sandbox_store_rollback (req->router->store);
}

/* An empty sub-collection (nics, permissions, ...) of an existing entity. */
void
ob_request_empty_subcollection (ObSandboxRequest *req,
                                const char       *name)
{
  ObReprWriter *w = ob_repr_writer_new (req->format, 128);
  g_autofree char *singular = g_strndup (name, strlen (name) - 1);

  ob_repr_begin_collection (w, name, singular);
  ob_repr_end_collection (w);
  ob_sandbox_respond_writer (req->msg, SOUP_STATUS_OK, w);
}

gboolean
ob_request_is_get (ObSandboxRequest *req)
{
  return g_str_equal (req->method, "GET") || g_str_equal (req->method, "HEAD");
}

/* Like form decoding, but a bare "?next_run" is kept, with an empty
 * value: the engine reads it as true. */
static GHashTable *
decode_query (const char *query)
{
  g_autoptr(GHashTable) form = soup_form_decode (query);
  /* Owns keys and values alike, so matrix parameters and bare flags can be
   * added the same way (soup_form_decode's values live inside its keys). */
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) pairs = g_strsplit (query, "&", -1);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, form);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (table, g_strdup (key), g_strdup (value));

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_autofree char *name = NULL;

      if (pairs[i][0] == '\0' || strchr (pairs[i], '=') != NULL)
        continue;
      name = g_uri_unescape_string (pairs[i], NULL);
      if (name != NULL && !g_hash_table_contains (table, name))
        g_hash_table_insert (table, g_steal_pointer (&name), g_strdup (""));
    }
  return table;
}

void
ob_request_take_matrix_params (ObSandboxRequest *req,
                               char            **seg,
                               guint             n)
{
  for (guint i = 0; i < n; i++)
    {
      char *params = strchr (seg[i], ';');
      g_auto(GStrv) list = NULL;

      if (params == NULL)
        continue;
      *params++ = '\0';
      if (req->query == NULL)
        req->query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      list = g_strsplit (params, ";", -1);
      for (guint j = 0; list[j] != NULL; j++)
        {
          char *eq = strchr (list[j], '=');
          g_autofree char *key = g_uri_unescape_segment (list[j], eq, NULL);
          char *value = eq ? g_uri_unescape_string (eq + 1, NULL) : g_strdup ("");

          if (key == NULL || *key == '\0' || value == NULL)
            {
              g_free (value);
              continue;
            }
          g_hash_table_replace (req->query, g_steal_pointer (&key), value);
        }
    }
}

void
ob_request_init (ObSandboxRequest  *req,
                 ObSandboxRouter   *router,
                 SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);
  const char *all_content = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                          "All-Content");

  memset (req, 0, sizeof *req);
  req->router = router;
  req->msg = msg;
  req->method = soup_server_message_get_method (msg);
  req->format = ob_sandbox_request_format (msg);
  req->query = query ? decode_query (query) : NULL;
  req->all_content = is_true (all_content) ||
                     ob_request_query_flag (req, "all_content");
}

void
ob_request_clear (ObSandboxRequest *req)
{
  g_clear_pointer (&req->query, g_hash_table_unref);
}

char **
ob_request_split_path (const char *subpath,
                       guint      *n)
{
  g_auto(GStrv) raw = g_strsplit (subpath, "/", -1);
  GPtrArray *parts = g_ptr_array_new ();

  for (guint i = 0; raw[i] != NULL; i++)
    if (raw[i][0] != '\0')
      g_ptr_array_add (parts, g_steal_pointer (&raw[i]));
  *n = parts->len;
  g_ptr_array_add (parts, NULL);
  return (char **) g_ptr_array_free (parts, FALSE);
}
