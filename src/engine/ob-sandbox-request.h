/* ob-sandbox-request.h: one REST request as the resource handlers see it,
 * with the engine-style answers they give. Internal to the engine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ob-sandbox-repr.h"
#include "ob-sandbox-router.h"

G_BEGIN_DECLS

#define OB_MIB (G_GINT64_CONSTANT (1024) * 1024)

/* What the engine says when a request body cannot be read. */
#define OB_REASON_SYNTAX     "Request syntactically incorrect."
#define OB_REASON_FAILED     "Operation Failed"
#define OB_REASON_INVALID    "Invalid value"
#define OB_REASON_INCOMPLETE "Incomplete parameters"

typedef struct
{
  ObSandboxRouter   *router;
  SoupServerMessage *msg;
  const char        *method;
  ObReprFormat       format;
  GHashTable        *query;      /* nullable */
  gboolean           all_content;
} ObSandboxRequest;

void        ob_request_init            (ObSandboxRequest  *req,
                                        ObSandboxRouter   *router,
                                        SoupServerMessage *msg);
void        ob_request_clear           (ObSandboxRequest  *req);
/* Non-empty path segments; @n gets their number. */
char      **ob_request_split_path      (const char        *subpath,
                                        guint             *n);
/* Moves matrix parameters ("vms/ID;next_run") out of the segments into
 * the query, as the engine's ParametersHelper reads both. */
void        ob_request_take_matrix_params (ObSandboxRequest *req,
                                        char             **seg,
                                        guint              n);
gboolean    ob_request_is_get          (ObSandboxRequest  *req);
const char *ob_request_query_get       (ObSandboxRequest  *req,
                                        const char        *key);
/* "?key" alone or "?key=true" (the engine's boolean spellings). */
gboolean    ob_request_query_flag      (ObSandboxRequest  *req,
                                        const char        *key);
/* The body as a JsonObject; NULL with *@failed FALSE when it is empty and
 * not @required; NULL with *@failed TRUE after answering 400 or 413. */
JsonObject *ob_request_read_body       (ObSandboxRequest  *req,
                                        gboolean           required,
                                        const char        *root,
                                        gboolean          *failed);

void        ob_sandbox_respond_writer  (SoupServerMessage *msg,
                                        guint              status,
                                        ObReprWriter      *w);
void        ob_request_fault           (ObSandboxRequest  *req,
                                        guint              status,
                                        const char        *reason,
                                        const char        *detail);
/* The engine answers an unknown entity with 404 and an empty body. */
void        ob_request_not_found       (ObSandboxRequest  *req);
void        ob_request_method_not_allowed (ObSandboxRequest *req,
                                        const char        *allow);
/* An action's answer: status complete, or failed with the fault inside. */
void        ob_request_respond_action  (ObSandboxRequest  *req,
                                        guint              http_status,
                                        const char        *reason,
                                        const char        *detail);
/* "[Cannot <action> <type>. <why>]" */
char       *ob_request_cannot          (const char        *action,
                                        const char        *type,
                                        const char        *why);
void        ob_request_refuse          (ObSandboxRequest  *req,
                                        gboolean           is_action,
                                        guint              status,
                                        const char        *action,
                                        const char        *type,
                                        const char        *why);
void        ob_request_internal_error  (ObSandboxRequest  *req,
                                        GError            *error);
/* An empty sub-collection (nics, permissions, ...) of an existing entity. */
void        ob_request_empty_subcollection (ObSandboxRequest *req,
                                        const char        *name);

/* Transactions; each answers 500 itself when the store fails. */
gboolean    ob_request_begin           (ObSandboxRequest  *req);
gboolean    ob_request_commit          (ObSandboxRequest  *req,
                                        gboolean           is_action);
void        ob_request_rollback        (ObSandboxRequest  *req);

G_END_DECLS
