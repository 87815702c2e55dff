/* ob-sandbox-router.h: the sandbox engine's REST v4 resources (/vms,
 * /clusters, /templates, actions) and its sandbox-only endpoints.
 * Authentication happens before; this only routes and answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "ob-sandbox-era.h"
#include "ob-sandbox-repr.h"
#include "ob-sandbox-store.h"

G_BEGIN_DECLS

#define OB_SANDBOX_API_PREFIX     "/ovirt-engine/api"
#define OB_SANDBOX_SANDBOX_PREFIX "/ovirt-engine/sandbox"
#define OB_SANDBOX_MAX_BODY       (1024 * 1024)

typedef struct
{
  ObSandboxStore               *store;
  const char                   *instance_id;
  const ObSandboxEngineVersion *engine_version;
  gboolean                      flag_era;  /* 4.4.6 or later */
} ObSandboxRouter;

/* JSON when Accept asks for application/json, XML otherwise. */
ObReprFormat ob_sandbox_request_format  (SoupServerMessage *msg);

/* An engine fault: <fault><reason/><detail/></fault> or its JSON form. */
void ob_sandbox_respond_fault           (SoupServerMessage *msg,
                                         ObReprFormat       format,
                                         guint              status,
                                         const char        *reason,
                                         const char        *detail);

const char  *ob_sandbox_content_type    (ObReprFormat       format);

/* The same fault as a document, for an answer written by hand. */
GBytes      *ob_sandbox_fault_bytes     (ObReprFormat       format,
                                         const char        *reason,
                                         const char        *detail);

/* @subpath: what follows /ovirt-engine/api (and an optional /v4), e.g.
 * "/vms/ID/start" or "". */
void ob_sandbox_router_handle_api       (ObSandboxRouter   *router,
                                         SoupServerMessage *msg,
                                         const char        *subpath);

/* @subpath: what follows /ovirt-engine/sandbox, e.g. "/vms/ID/host-payload". */
void ob_sandbox_router_handle_sandbox   (ObSandboxRouter   *router,
                                         SoupServerMessage *msg,
                                         const char        *subpath);

G_END_DECLS
