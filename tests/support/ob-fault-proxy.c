/* ob-fault-proxy.c: fault-injecting HTTP proxy for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ob-fault-proxy.h"

#include <errno.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/socket.h>

/* A request head or body larger than this is a test bug, not a fault. */
#define OB_PROXY_MAX_REQUEST (16 * 1024 * 1024)

typedef struct
{
  ObFaultRule rule;
  char       *method;
  char       *path_prefix;
  char       *query_contains;
  guint       seen;
} ProxyRule;

struct _ObFaultProxy
{
  GSocket      *listener;
  char         *url;
  char         *upstream_host;
  guint16       upstream_port;
  GCancellable *cancellable;
  GThread      *accept_thread;

  GMutex        lock;
  GCond         cond;            /* signalled on shutdown, wakes stalls */
  gboolean      shutting_down;
  GPtrArray    *rules;           /* ProxyRule* */
  GPtrArray    *workers;         /* GThread* */
  GPtrArray    *clients;         /* GSocket*, open client connections */
  GPtrArray    *log;             /* char* */
  GHashTable   *credentials;     /* Authorization values seen */
};

typedef struct
{
  char       *method;
  char       *target;
  char       *path;
  char       *query;
  GPtrArray  *headers;  /* "Name: value" lines, without the hop-by-hop ones */
  gboolean    wants_json;
  gboolean    client_close;
  char       *authorization;
  GBytes     *body;
} Request;

static void
request_free (Request *req)
{
  g_free (req->method);
  g_free (req->target);
  g_free (req->path);
  g_free (req->query);
  g_free (req->authorization);
  g_clear_pointer (&req->headers, g_ptr_array_unref);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
proxy_rule_free (gpointer data)
{
  ProxyRule *r = data;

  g_free (r->method);
  g_free (r->path_prefix);
  g_free (r->query_contains);
  g_free (r);
}

static gboolean
header_is (const char *line,
           const char *name)
{
  gsize n = strlen (name);

  return g_ascii_strncasecmp (line, name, n) == 0 && line[n] == ':';
}

static const char *
header_value (const char *line)
{
  const char *colon = strchr (line, ':');

  if (colon == NULL)
    return "";
  colon++;
  while (*colon == ' ' || *colon == '\t')
    colon++;
  return colon;
}

static gboolean
send_all (GSocket       *sock,
          const void    *data,
          gsize          len,
          GCancellable  *cancellable)
{
  const char *p = data;

  while (len > 0)
    {
      gssize n = g_socket_send (sock, p, len, cancellable, NULL);
      if (n <= 0)
        return FALSE;
      p += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* Reads into @buf until it holds "\r\n\r\n"; returns the head length
 * (including the blank line) or 0 on EOF/error before a full head. */
static gsize
read_head (GSocket      *sock,
           GByteArray   *buf,
           GCancellable *cancellable)
{
  for (;;)
    {
      char chunk[8192];
      gssize n;

      if (buf->len >= 4)
        {
          const char *hit = g_strstr_len ((const char *) buf->data, buf->len, "\r\n\r\n");
          if (hit != NULL)
            return (gsize) (hit - (const char *) buf->data) + 4;
        }
      if (buf->len > OB_PROXY_MAX_REQUEST)
        return 0;
      n = g_socket_receive (sock, chunk, sizeof chunk, cancellable, NULL);
      if (n <= 0)
        return 0;
      g_byte_array_append (buf, (const guint8 *) chunk, (guint) n);
    }
}

static gboolean
read_exact (GSocket      *sock,
            GByteArray   *buf,
            gsize         want,
            GCancellable *cancellable)
{
  while (buf->len < want)
    {
      char chunk[65536];
      gssize n = g_socket_receive (sock, chunk, MIN (sizeof chunk, want - buf->len), cancellable, NULL);
      if (n <= 0)
        return FALSE;
      g_byte_array_append (buf, (const guint8 *) chunk, (guint) n);
    }
  return TRUE;
}

/* One request from the client connection; @pending carries bytes already
 * read past the previous request. NULL on EOF or garbage. */
static Request *
read_request (GSocket      *sock,
              GByteArray   *pending,
              GCancellable *cancellable)
{
  g_autoptr(Request) req = g_new0 (Request, 1);
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) parts = NULL;
  gsize head_len, content_length = 0;
  g_autofree char *head = NULL;
  char *q;

  head_len = read_head (sock, pending, cancellable);
  if (head_len == 0)
    return NULL;
  head = g_strndup ((const char *) pending->data, head_len - 4);
  g_byte_array_remove_range (pending, 0, (guint) head_len);

  lines = g_strsplit (head, "\r\n", -1);
  parts = g_strsplit (lines[0], " ", 3);
  if (g_strv_length (parts) != 3)
    return NULL;
  req->method = g_strdup (parts[0]);
  req->target = g_strdup (parts[1]);
  q = strchr (req->target, '?');
  req->path = q ? g_strndup (req->target, (gsize) (q - req->target)) : g_strdup (req->target);
  req->query = g_strdup (q ? q + 1 : "");
  req->headers = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (header_is (line, "Content-Length"))
        content_length = g_ascii_strtoull (header_value (line), NULL, 10);
      else if (header_is (line, "Connection"))
        req->client_close = g_ascii_strcasecmp (header_value (line), "close") == 0;
      else if (header_is (line, "Keep-Alive") || header_is (line, "Proxy-Connection"))
        continue;
      else if (header_is (line, "Transfer-Encoding"))
        return NULL; /* libsoup sends sized bodies; chunked uploads are not needed */
      else
        {
          if (header_is (line, "Accept") && strstr (header_value (line), "json") != NULL)
            req->wants_json = TRUE;
          if (header_is (line, "Authorization"))
            req->authorization = g_strdup (header_value (line));
          g_ptr_array_add (req->headers, g_strdup (line));
        }
    }

  if (content_length > OB_PROXY_MAX_REQUEST)
    return NULL;
  if (!read_exact (sock, pending, content_length, cancellable))
    return NULL;
  req->body = g_bytes_new (pending->data, content_length);
  g_byte_array_remove_range (pending, 0, (guint) content_length);

  return g_steal_pointer (&req);
}

typedef struct
{
  guint       status;
  char       *status_line;
  GPtrArray  *headers;   /* end-to-end headers only */
  GBytes     *body;
} Response;

static void
response_free (Response *resp)
{
  g_free (resp->status_line);
  g_clear_pointer (&resp->headers, g_ptr_array_unref);
  g_clear_pointer (&resp->body, g_bytes_unref);
  g_free (resp);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

/* Decodes a chunked body; FALSE when it is malformed. */
static gboolean
dechunk (const guint8 *data,
         gsize         len,
         GByteArray   *out)
{
  gsize pos = 0;

  for (;;)
    {
      const char *eol = g_strstr_len ((const char *) data + pos, (gssize) (len - pos), "\r\n");
      guint64 size;

      if (eol == NULL)
        return FALSE;
      size = g_ascii_strtoull ((const char *) data + pos, NULL, 16);
      pos = (gsize) (eol - (const char *) data) + 2;
      if (size == 0)
        return TRUE;
      if (size > len - pos)
        return FALSE;
      g_byte_array_append (out, data + pos, (guint) size);
      pos += size + 2;
      if (pos > len)
        return FALSE;
    }
}

static Response *
parse_response (GByteArray *raw)
{
  g_autoptr(Response) resp = g_new0 (Response, 1);
  const char *hit;
  g_autofree char *head = NULL;
  g_auto(GStrv) lines = NULL;
  gsize head_len;
  gboolean chunked = FALSE;
  gboolean have_length = FALSE;
  gsize content_length = 0;

  hit = g_strstr_len ((const char *) raw->data, raw->len, "\r\n\r\n");
  if (hit == NULL)
    return NULL;
  head_len = (gsize) (hit - (const char *) raw->data) + 4;
  head = g_strndup ((const char *) raw->data, head_len - 4);
  lines = g_strsplit (head, "\r\n", -1);
  if (!g_str_has_prefix (lines[0], "HTTP/1.") || strlen (lines[0]) < 12)
    return NULL;
  resp->status_line = g_strdup (lines[0]);
  resp->status = (guint) g_ascii_strtoull (lines[0] + 9, NULL, 10);
  resp->headers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (header_is (line, "Transfer-Encoding"))
        chunked = strstr (header_value (line), "chunked") != NULL;
      else if (header_is (line, "Content-Length"))
        {
          have_length = TRUE;
          content_length = g_ascii_strtoull (header_value (line), NULL, 10);
        }
      else if (header_is (line, "Connection") || header_is (line, "Keep-Alive"))
        continue;
      else
        g_ptr_array_add (resp->headers, g_strdup (line));
    }

  if (chunked)
    {
      g_autoptr(GByteArray) body = g_byte_array_new ();
      if (!dechunk (raw->data + head_len, raw->len - head_len, body))
        return NULL;
      resp->body = g_byte_array_free_to_bytes (g_steal_pointer (&body));
    }
  else
    {
      gsize avail = raw->len - head_len;
      gsize n = have_length ? MIN (content_length, avail) : avail;
      resp->body = g_bytes_new (raw->data + head_len, n);
    }
  return g_steal_pointer (&resp);
}

static Response *
forward (ObFaultProxy *proxy,
         Request      *req)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GString) head = g_string_new (NULL);
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  GSocket *sock;
  gsize body_len;
  const void *body = g_bytes_get_data (req->body, &body_len);

  g_socket_client_set_timeout (client, 120);
  conn = g_socket_client_connect_to_host (client, proxy->upstream_host, proxy->upstream_port,
                                          proxy->cancellable, NULL);
  if (conn == NULL)
    return NULL;
  sock = g_socket_connection_get_socket (conn);

  g_string_append_printf (head, "%s %s HTTP/1.1\r\n", req->method, req->target);
  for (guint i = 0; i < req->headers->len; i++)
    g_string_append_printf (head, "%s\r\n", (const char *) req->headers->pdata[i]);
  if (body_len > 0 || g_strcmp0 (req->method, "POST") == 0 || g_strcmp0 (req->method, "PUT") == 0)
    g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\n", body_len);
  g_string_append (head, "Connection: close\r\n\r\n");

  if (!send_all (sock, head->str, head->len, proxy->cancellable) ||
      !send_all (sock, body, body_len, proxy->cancellable))
    return NULL;

  for (;;)
    {
      char chunk[65536];
      gssize n = g_socket_receive (sock, chunk, sizeof chunk, proxy->cancellable, NULL);
      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_byte_array_append (raw, (const guint8 *) chunk, (guint) n);
    }
  return parse_response (raw);
}

static const char *
reason_phrase (guint status)
{
  switch (status)
    {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default:  return "Status";
    }
}

static Response *
synthetic_response (const Request     *req,
                    const ObFaultRule *rule)
{
  Response *resp = g_new0 (Response, 1);
  const char *reason = "Operation Failed";
  const char *detail = "[Internal Engine Error]";

  resp->status = rule->status;
  resp->status_line = g_strdup_printf ("HTTP/1.1 %u %s", rule->status, reason_phrase (rule->status));
  resp->headers = g_ptr_array_new_with_free_func (g_free);
  if (rule->status == 401)
    g_ptr_array_add (resp->headers, g_strdup ("WWW-Authenticate: Basic realm=\"RESTAPI\""));
  if (rule->status == 503)
    detail = "[Service is temporarily unavailable]";

  if (rule->fault_body && req->wants_json)
    {
      char *json = g_strdup_printf ("{\n  \"detail\" : \"%s\",\n  \"reason\" : \"%s\"\n}", detail, reason);
      g_ptr_array_add (resp->headers, g_strdup ("Content-Type: application/json"));
      resp->body = g_bytes_new_take (json, strlen (json));
    }
  else if (rule->fault_body)
    {
      char *xml = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                                   "<fault>\n    <detail>%s</detail>\n    <reason>%s</reason>\n</fault>\n",
                                   detail, reason);
      g_ptr_array_add (resp->headers, g_strdup ("Content-Type: application/xml;charset=UTF-8"));
      resp->body = g_bytes_new_take (xml, strlen (xml));
    }
  else
    resp->body = g_bytes_new (NULL, 0);
  return resp;
}

static gboolean
send_response (GSocket      *sock,
               Response     *resp,
               gsize         declared_length,
               gsize         send_length,
               GCancellable *cancellable)
{
  g_autoptr(GString) head = g_string_new (resp->status_line);
  const guint8 *body = g_bytes_get_data (resp->body, NULL);

  g_string_append (head, "\r\n");
  for (guint i = 0; i < resp->headers->len; i++)
    g_string_append_printf (head, "%s\r\n", (const char *) resp->headers->pdata[i]);
  g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", declared_length);
  return send_all (sock, head->str, head->len, cancellable) &&
         send_all (sock, body, send_length, cancellable);
}

static void
replace_header (GPtrArray  *headers,
                const char *name,
                const char *line)
{
  for (guint i = 0; i < headers->len; i++)
    if (header_is (headers->pdata[i], name))
      g_ptr_array_remove_index (headers, i--);
  g_ptr_array_add (headers, g_strdup (line));
}

static void
reset_connection (GSocket *sock)
{
  struct linger lg = { 1, 0 };

  /* SO_LINGER with a zero timeout makes close() send RST instead of FIN. */
  if (setsockopt (g_socket_get_fd (sock), SOL_SOCKET, SO_LINGER, &lg, sizeof lg) != 0)
    g_printerr ("fault-proxy: SO_LINGER: %s\n", g_strerror (errno));
  g_socket_close (sock, NULL);
}

/* Returns a copy of the matching rule (or a PASS rule). */
static ObFaultRule
match_rule (ObFaultProxy *proxy,
            Request      *req)
{
  ObFaultRule result = { .kind = OB_FAULT_PASS };

  g_mutex_lock (&proxy->lock);
  if (req->authorization != NULL)
    g_hash_table_add (proxy->credentials, g_strdup (req->authorization));
  for (guint i = 0; i < proxy->rules->len; i++)
    {
      ProxyRule *r = proxy->rules->pdata[i];

      if (r->method != NULL && g_ascii_strcasecmp (r->method, req->method) != 0)
        continue;
      if (r->path_prefix != NULL && !g_str_has_prefix (req->path, r->path_prefix))
        continue;
      if (r->query_contains != NULL && strstr (req->query, r->query_contains) == NULL)
        continue;
      r->seen++;
      if (r->rule.nth != 0 && r->rule.nth != r->seen)
        continue;
      result = r->rule;
      break;
    }
  g_mutex_unlock (&proxy->lock);
  return result;
}

static void
log_line (ObFaultProxy *proxy,
          Request      *req,
          const char   *outcome)
{
  g_mutex_lock (&proxy->lock);
  g_ptr_array_add (proxy->log, g_strdup_printf ("%s %s -> %s", req->method, req->path, outcome));
  g_mutex_unlock (&proxy->lock);
}

static const char *
kind_name (ObFaultKind kind)
{
  static const char *const names[] = {
    "pass", "close", "reset", "abort", "stall", "status", "html", "truncate", "hook",
  };
  return names[kind];
}

/* Handles one request; FALSE when the client connection is finished. */
static gboolean
serve_one (ObFaultProxy *proxy,
           GSocket      *sock,
           Request      *req)
{
  ObFaultRule rule = match_rule (proxy, req);
  g_autoptr(Response) resp = NULL;
  g_autofree char *outcome = NULL;
  gsize len;
  gboolean keep = !req->client_close;

  switch (rule.kind)
    {
    case OB_FAULT_CLOSE:
      log_line (proxy, req, "close");
      g_socket_close (sock, NULL);
      return FALSE;
    case OB_FAULT_STATUS:
      resp = synthetic_response (req, &rule);
      outcome = g_strdup_printf ("%u%s (injected)", rule.status, rule.fault_body ? " fault" : "");
      log_line (proxy, req, outcome);
      len = g_bytes_get_size (resp->body);
      return send_response (sock, resp, len, len, proxy->cancellable) && keep;
    case OB_FAULT_HOOK:
      if (rule.hook != NULL)
        rule.hook (req->method, req->path, rule.hook_data);
      break;
    case OB_FAULT_STALL:
      {
        gint64 until = g_get_monotonic_time () + (gint64) rule.stall_ms * G_TIME_SPAN_MILLISECOND;
        g_mutex_lock (&proxy->lock);
        while (!proxy->shutting_down && g_cond_wait_until (&proxy->cond, &proxy->lock, until))
          ;
        g_mutex_unlock (&proxy->lock);
      }
      break;
    case OB_FAULT_PASS:
    case OB_FAULT_RESET_MID_BODY:
    case OB_FAULT_ABORT_HALFWAY:
    case OB_FAULT_WRONG_CONTENT_TYPE:
    case OB_FAULT_TRUNCATE_BODY:
    default:
      break;
    }

  resp = forward (proxy, req);
  if (resp == NULL)
    {
      /* The engine is gone: the client sees its connection die, as it would. */
      log_line (proxy, req, "upstream failed, closed");
      g_socket_close (sock, NULL);
      return FALSE;
    }
  len = g_bytes_get_size (resp->body);

  switch (rule.kind)
    {
    case OB_FAULT_RESET_MID_BODY:
      log_line (proxy, req, "reset mid-body");
      send_response (sock, resp, len, len / 2, proxy->cancellable);
      reset_connection (sock);
      return FALSE;
    case OB_FAULT_ABORT_HALFWAY:
      log_line (proxy, req, "aborted halfway");
      send_response (sock, resp, len, len / 2, proxy->cancellable);
      g_socket_shutdown (sock, FALSE, TRUE, NULL);
      g_socket_close (sock, NULL);
      return FALSE;
    case OB_FAULT_TRUNCATE_BODY:
      log_line (proxy, req, "truncated body");
      return send_response (sock, resp, len / 2, len / 2, proxy->cancellable) && keep;
    case OB_FAULT_WRONG_CONTENT_TYPE:
      {
        static const char page[] =
          "<!DOCTYPE html>\n<html><head><title>Welcome</title></head>\n"
          "<body><h1>It works!</h1><p>This is not an oVirt engine.</p></body></html>\n";
        g_autoptr(Response) html = g_new0 (Response, 1);

        html->status_line = g_strdup ("HTTP/1.1 200 OK");
        html->headers = g_ptr_array_new_with_free_func (g_free);
        replace_header (html->headers, "Content-Type", "Content-Type: text/html; charset=UTF-8");
        html->body = g_bytes_new_static (page, sizeof page - 1);
        log_line (proxy, req, "200 text/html (injected)");
        return send_response (sock, html, sizeof page - 1, sizeof page - 1, proxy->cancellable) && keep;
      }
    case OB_FAULT_PASS:
    case OB_FAULT_CLOSE:
    case OB_FAULT_STALL:
    case OB_FAULT_STATUS:
    case OB_FAULT_HOOK:
    default:
      outcome = g_strdup_printf ("%u%s", resp->status,
                                 rule.kind == OB_FAULT_PASS ? "" : rule.kind == OB_FAULT_STALL ? " (stalled)" : " (hook ran)");
      log_line (proxy, req, outcome);
      return send_response (sock, resp, len, len, proxy->cancellable) && keep;
    }
}

static gpointer
worker_thread (gpointer data)
{
  GSocket *sock = data;
  ObFaultProxy *proxy = g_object_get_data (G_OBJECT (sock), "ob-proxy");
  g_autoptr(GByteArray) pending = g_byte_array_new ();

  for (;;)
    {
      g_autoptr(Request) req = read_request (sock, pending, proxy->cancellable);
      if (req == NULL || !serve_one (proxy, sock, req))
        break;
    }
  g_socket_close (sock, NULL);
  return NULL;
}

static gpointer
accept_thread (gpointer data)
{
  ObFaultProxy *proxy = data;

  for (;;)
    {
      GSocket *sock = g_socket_accept (proxy->listener, proxy->cancellable, NULL);
      if (sock == NULL)
        break;
      g_socket_set_blocking (sock, TRUE);
      g_object_set_data (G_OBJECT (sock), "ob-proxy", proxy);
      g_mutex_lock (&proxy->lock);
      if (proxy->shutting_down)
        {
          g_mutex_unlock (&proxy->lock);
          g_object_unref (sock);
          break;
        }
      g_ptr_array_add (proxy->clients, sock);
      g_ptr_array_add (proxy->workers, g_thread_new ("fault-proxy-conn", worker_thread, sock));
      g_mutex_unlock (&proxy->lock);
    }
  return NULL;
}

ObFaultProxy *
ob_fault_proxy_new (const char  *upstream_url,
                    GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  ObFaultProxy *proxy;

  uri = g_uri_parse (upstream_url, G_URI_FLAGS_NONE, error);
  if (uri == NULL)
    return NULL;
  if (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 || g_uri_get_port (uri) <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "fault proxy needs an http://HOST:PORT upstream, got %s", upstream_url);
      return NULL;
    }

  proxy = g_new0 (ObFaultProxy, 1);
  g_mutex_init (&proxy->lock);
  g_cond_init (&proxy->cond);
  proxy->upstream_host = g_strdup (g_uri_get_host (uri));
  proxy->upstream_port = (guint16) g_uri_get_port (uri);
  proxy->cancellable = g_cancellable_new ();
  proxy->rules = g_ptr_array_new_with_free_func (proxy_rule_free);
  proxy->workers = g_ptr_array_new ();
  proxy->clients = g_ptr_array_new_with_free_func (g_object_unref);
  proxy->log = g_ptr_array_new_with_free_func (g_free);
  proxy->credentials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  proxy->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (proxy->listener == NULL ||
      !g_socket_bind (proxy->listener, addr, TRUE, error) ||
      !g_socket_listen (proxy->listener, error) ||
      (bound = g_socket_get_local_address (proxy->listener, error)) == NULL)
    {
      ob_fault_proxy_free (proxy);
      return NULL;
    }
  g_socket_set_blocking (proxy->listener, TRUE);
  proxy->url = g_strdup_printf ("http://127.0.0.1:%u",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  proxy->accept_thread = g_thread_new ("fault-proxy-accept", accept_thread, proxy);
  return proxy;
}

void
ob_fault_proxy_free (ObFaultProxy *proxy)
{
  if (proxy == NULL)
    return;

  g_mutex_lock (&proxy->lock);
  proxy->shutting_down = TRUE;
  g_cond_broadcast (&proxy->cond);
  g_mutex_unlock (&proxy->lock);
  g_cancellable_cancel (proxy->cancellable);

  g_clear_pointer (&proxy->accept_thread, g_thread_join);
  /* No new workers after the accept thread is gone. */
  for (guint i = 0; i < proxy->clients->len; i++)
    g_socket_shutdown (proxy->clients->pdata[i], TRUE, TRUE, NULL);
  for (guint i = 0; i < proxy->workers->len; i++)
    g_thread_join (proxy->workers->pdata[i]);

  g_clear_object (&proxy->listener);
  g_clear_object (&proxy->cancellable);
  g_ptr_array_unref (proxy->workers);
  g_ptr_array_unref (proxy->clients);
  g_ptr_array_unref (proxy->rules);
  g_ptr_array_unref (proxy->log);
  g_hash_table_unref (proxy->credentials);
  g_free (proxy->url);
  g_free (proxy->upstream_host);
  g_mutex_clear (&proxy->lock);
  g_cond_clear (&proxy->cond);
  g_free (proxy);
}

const char *
ob_fault_proxy_get_url (ObFaultProxy *proxy)
{
  return proxy->url;
}

void
ob_fault_proxy_add_rule (ObFaultProxy      *proxy,
                         const ObFaultRule *rule)
{
  ProxyRule *r = g_new0 (ProxyRule, 1);

  r->rule = *rule;
  r->method = g_strdup (rule->method);
  r->path_prefix = g_strdup (rule->path_prefix);
  r->query_contains = g_strdup (rule->query_contains);
  r->rule.method = r->method;
  r->rule.path_prefix = r->path_prefix;
  r->rule.query_contains = r->query_contains;
  g_mutex_lock (&proxy->lock);
  g_ptr_array_add (proxy->rules, r);
  g_mutex_unlock (&proxy->lock);
}

void
ob_fault_proxy_clear_rules (ObFaultProxy *proxy)
{
  g_mutex_lock (&proxy->lock);
  g_ptr_array_set_size (proxy->rules, 0);
  g_mutex_unlock (&proxy->lock);
}

gboolean
ob_fault_proxy_add_rule_spec (ObFaultProxy  *proxy,
                              const char    *spec,
                              GError       **error)
{
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);
  ObFaultRule rule = { 0 };
  guint k;

  for (k = 0; k <= OB_FAULT_TRUNCATE_BODY; k++)
    if (g_strcmp0 (parts[0], kind_name (k)) == 0)
      break;
  if (k > OB_FAULT_TRUNCATE_BODY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "unknown fault kind in “%s”", spec);
      return FALSE;
    }
  rule.kind = k;
  for (guint i = 1; parts[i] != NULL; i++)
    {
      const char *p = parts[i];

      if (g_str_has_prefix (p, "method="))
        rule.method = p + 7;
      else if (g_str_has_prefix (p, "path="))
        rule.path_prefix = p + 5;
      else if (g_str_has_prefix (p, "query="))
        rule.query_contains = p + 6;
      else if (g_str_has_prefix (p, "nth="))
        rule.nth = (guint) g_ascii_strtoull (p + 4, NULL, 10);
      else if (g_str_has_prefix (p, "status="))
        rule.status = (guint) g_ascii_strtoull (p + 7, NULL, 10);
      else if (g_str_has_prefix (p, "ms="))
        rule.stall_ms = (guint) g_ascii_strtoull (p + 3, NULL, 10);
      else if (g_strcmp0 (p, "body") == 0)
        rule.fault_body = TRUE;
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "unknown fault option “%s”", p);
          return FALSE;
        }
    }
  if (rule.kind == OB_FAULT_STATUS && (rule.status < 100 || rule.status > 599))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "fault “%s” needs status=100..599", spec);
      return FALSE;
    }
  ob_fault_proxy_add_rule (proxy, &rule);
  return TRUE;
}

guint
ob_fault_proxy_count_method (ObFaultProxy *proxy,
                             const char   *method,
                             const char   *path_prefix)
{
  guint n = 0;

  g_mutex_lock (&proxy->lock);
  for (guint i = 0; i < proxy->log->len; i++)
    {
      const char *line = proxy->log->pdata[i];
      const char *path = strchr (line, ' ') + 1;

      if (method != NULL && (strncmp (line, method, strlen (method)) != 0 || line[strlen (method)] != ' '))
        continue;
      if (path_prefix == NULL || g_str_has_prefix (path, path_prefix))
        n++;
    }
  g_mutex_unlock (&proxy->lock);
  return n;
}

guint
ob_fault_proxy_count_requests (ObFaultProxy *proxy,
                               const char   *path_prefix)
{
  return ob_fault_proxy_count_method (proxy, NULL, path_prefix);
}

char **
ob_fault_proxy_dup_credentials (ObFaultProxy *proxy)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key;

  g_mutex_lock (&proxy->lock);
  g_hash_table_iter_init (&iter, proxy->credentials);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_strv_builder_add (builder, key);
  g_mutex_unlock (&proxy->lock);
  return g_strv_builder_end (builder);
}

char *
ob_fault_proxy_dump_log (ObFaultProxy *proxy)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_mutex_lock (&proxy->lock);
  for (guint i = 0; i < proxy->log->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) proxy->log->pdata[i]);
  g_mutex_unlock (&proxy->lock);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
