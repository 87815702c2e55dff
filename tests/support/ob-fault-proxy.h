/* ob-fault-proxy.h: a test-only HTTP proxy in front of the sandbox engine
 * that injects the faults a real network and a real engine produce.
 *
 * It listens on 127.0.0.1 (plain HTTP), forwards each request to the
 * upstream engine with "Connection: close", reads the whole answer, and
 * then either passes it on or breaks it as the first matching rule says.
 * Everything runs in the proxy's own threads with blocking sockets, so a
 * test may block (g_spawn_sync, a synchronous client call) while the proxy
 * keeps serving.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  OB_FAULT_PASS,               /* forward unchanged */
  OB_FAULT_CLOSE,              /* read the request, close without a byte of answer (engine killed) */
  OB_FAULT_RESET_MID_BODY,     /* answer head and half the body, then a TCP reset */
  OB_FAULT_ABORT_HALFWAY,      /* answer head (full length) and half the body, then close */
  OB_FAULT_STALL,              /* wait stall_ms, then forward */
  OB_FAULT_STATUS,             /* answer status without asking upstream; fault body optional */
  OB_FAULT_WRONG_CONTENT_TYPE, /* answer 200 text/html with a web page instead */
  OB_FAULT_TRUNCATE_BODY,      /* forward the body cut in half, Content-Length matching the cut */
  OB_FAULT_HOOK,               /* run hook (e.g. another client edits the VM), then forward */
} ObFaultKind;

typedef struct _ObFaultProxy ObFaultProxy;

/* Runs in a proxy thread before the request is forwarded. */
typedef void (*ObFaultHook) (const char *method,
                             const char *path,
                             gpointer    user_data);

typedef struct
{
  ObFaultKind  kind;
  const char  *method;      /* NULL: any method */
  const char  *path_prefix; /* NULL: any path; compared without the query string */
  const char  *query_contains; /* NULL: any query */
  guint        nth;         /* 0: every matching request; N: only the Nth one (1-based) */
  guint        status;      /* OB_FAULT_STATUS */
  gboolean     fault_body;  /* OB_FAULT_STATUS: send an engine-style fault body */
  guint        stall_ms;    /* OB_FAULT_STALL */
  ObFaultHook  hook;        /* OB_FAULT_HOOK */
  gpointer     hook_data;
} ObFaultRule;

/* @upstream_url: "http://HOST:PORT" (any path is ignored). */
ObFaultProxy *ob_fault_proxy_new            (const char         *upstream_url,
                                             GError            **error);
void          ob_fault_proxy_free           (ObFaultProxy       *proxy);

/* "http://127.0.0.1:PORT" */
const char   *ob_fault_proxy_get_url        (ObFaultProxy       *proxy);

/* Rules are tried in the order added; the first match decides. */
void          ob_fault_proxy_add_rule       (ObFaultProxy       *proxy,
                                             const ObFaultRule  *rule);
void          ob_fault_proxy_clear_rules    (ObFaultProxy       *proxy);

/* "KIND[,method=M][,path=P][,query=Q][,nth=N][,status=N][,ms=N][,body]"
 * with KIND one of pass, close, reset, abort, stall, status, html,
 * truncate (no hook: that needs code). */
gboolean      ob_fault_proxy_add_rule_spec  (ObFaultProxy       *proxy,
                                             const char         *spec,
                                             GError            **error);

/* Requests seen so far whose path starts with @path_prefix (NULL: all). */
guint         ob_fault_proxy_count_requests (ObFaultProxy       *proxy,
                                             const char         *path_prefix);

/* Requests seen so far with this method (NULL: any) whose path starts
 * with @path_prefix (NULL: any). */
guint         ob_fault_proxy_count_method   (ObFaultProxy       *proxy,
                                             const char         *method,
                                             const char         *path_prefix);

/* Every distinct Authorization header value the client sent, so tests can
 * check a bearer token or a Basic credential never reached a log or a file.
 * NULL-terminated; free with g_strfreev(). */
char        **ob_fault_proxy_dup_credentials (ObFaultProxy      *proxy);

/* One line per request, "METHOD PATH -> STATUS|fault-kind", for test logs. */
char         *ob_fault_proxy_dump_log       (ObFaultProxy       *proxy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObFaultProxy, ob_fault_proxy_free)

G_END_DECLS
