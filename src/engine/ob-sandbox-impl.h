/* ob-sandbox-impl.h: the engine object's state, shared by its server,
 * SSO and PKI files. Internal to the engine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "ob-sandbox.h"
#include "ob-sandbox-auth.h"
#include "ob-sandbox-era.h"
#include "ob-sandbox-router.h"
#include "ob-sandbox-store.h"

G_BEGIN_DECLS

#define OB_SANDBOX_SSO_TOKEN_PATH  "/ovirt-engine/sso/oauth/token"
#define OB_SANDBOX_SSO_LOGOUT_PATH "/ovirt-engine/services/sso-logout"
#define OB_SANDBOX_PKI_PATH        "/ovirt-engine/services/pki-resource"

typedef struct
{
  char  *method;      /* NULL = any */
  char  *path_prefix; /* NULL = any */
  guint  status;
  guint  delay_ms;
  guint  remaining;
} Fault;

struct _ObSandbox
{
  GObject parent_instance;

  /* Properties */
  char  *listen_address;
  guint  port;
  char  *database;
  char  *seed;
  char  *users_file;
  char  *tls_certificate;
  char  *tls_key;
  char  *tls_ca;
  guint  token_lifetime;
  char  *engine_version_text;

  /* Shared with the server thread */
  GMutex    lock;
  GCond     cond;
  GPtrArray *faults;       /* Fault*, under lock */
  gint      request_count; /* atomic */

  /* Start/stop handshake, under lock */
  gboolean  started;
  gboolean  start_done;
  GError   *start_error;
  GThread  *thread;
  GMainContext *context;
  GMainLoop *loop;
  char      *base_url;
  char      *root_url;
  guint      bound_port;

  /* Server thread only */
  ObSandboxStore *store;
  ObSandboxAuth  *auth;
  SoupServer     *server;
  ObSandboxRouter router;
  char           *instance_id;
  ObSandboxEngineVersion engine_version;
};

/* Server thread: listen (and open the database) / stop and close. */
gboolean ob_sandbox_setup_in_thread    (ObSandbox         *self,
                                        GError           **error);
void     ob_sandbox_teardown_in_thread (ObSandbox         *self);

/* Takes one matching injected fault, if any. */
gboolean ob_sandbox_take_fault         (ObSandbox         *self,
                                        const char        *method,
                                        const char        *path,
                                        Fault             *out);

void     ob_sandbox_handle_sso_token   (ObSandbox         *self,
                                        SoupServerMessage *msg);
void     ob_sandbox_handle_sso_logout  (ObSandbox         *self,
                                        SoupServerMessage *msg);
void     ob_sandbox_handle_pki         (ObSandbox         *self,
                                        SoupServerMessage *msg);
/* The user of an API request, or NULL after answering 401. */
char    *ob_sandbox_authenticate       (ObSandbox         *self,
                                        SoupServerMessage *msg,
                                        char             **end_session);
/* FALSE after answering 403 to a read-only user's change. */
gboolean ob_sandbox_authorize          (ObSandbox         *self,
                                        SoupServerMessage *msg,
                                        const char        *user);

G_END_DECLS
