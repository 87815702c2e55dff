/* ob-sandbox-impl.h: the engine object's state, shared by its server,
 * SSO and PKI files. Internal to the engine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "ob-sandbox-auth.h"
#include "ob-sandbox-private.h"
#include "ob-sandbox-era.h"
#include "ob-sandbox-router.h"
#include "ob-sandbox-store.h"

G_BEGIN_DECLS

#define OB_SANDBOX_SSO_TOKEN_PATH  "/ovirt-engine/sso/oauth/token"
#define OB_SANDBOX_SSO_LOGOUT_PATH "/ovirt-engine/services/sso-logout"
#define OB_SANDBOX_PKI_PATH        "/ovirt-engine/services/pki-resource"

/* RFC 6585; libsoup has no name for it. */
#define OB_STATUS_TOO_MANY_REQUESTS 429

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
  guint  idle_timeout;
  guint  max_connections;
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
  guint           pending_checks;   /* password checks on worker threads */
  char           *ca_pem;           /* served at pki-resource; NULL without TLS */
  GSource        *sweep;            /* forgets expired tokens and sessions */
  GSocket        *listen_socket;
  SoupServerListenOptions listen_options;
  GSource        *watchdog;         /* listens again after accept errors */
  gint64          stalled_since;    /* connections waiting unaccepted since */
  GHashTable     *connections;      /* GSocket set, weak */
  ObSandboxEngineVersion engine_version;
};

/* Server thread: listen (and open the database) / stop and close. */
gboolean ob_sandbox_setup_in_thread    (ObSandbox         *self,
                                        GError           **error);
void     ob_sandbox_teardown_in_thread (ObSandbox         *self);

/* Serves a request (again, after a password check). */
void     ob_sandbox_serve              (ObSandbox         *self,
                                        SoupServerMessage *msg);

typedef enum
{
  OB_PASSWORD_OK,
  OB_PASSWORD_WRONG,
  OB_PASSWORD_LIMITED,   /* too many failures: refuse without checking */
  OB_PASSWORD_PENDING,   /* paused; served again once checked */
} ObPasswordResult;

/* Checks @password at once when it was verified before or has just been
 * found wrong; else pauses @msg, checks on a worker thread and serves @msg
 * again. @retry_after: seconds, for OB_PASSWORD_LIMITED. */
ObPasswordResult ob_sandbox_check_password (ObSandbox         *self,
                                            SoupServerMessage *msg,
                                            const char        *user,
                                            const char        *password,
                                            guint             *retry_after);

/* From a message's got-headers on: answers 413 as soon as its body is
 * known to pass OB_SANDBOX_MAX_BODY, without reading the rest. */
void     ob_sandbox_body_limit_watch   (SoupServerMessage *msg);

/* Connections: idle timeout, cap, and listening again after accept
 * errors on @listen_socket. */
void     ob_sandbox_connections_start  (ObSandbox               *self,
                                        GSocket                 *listen_socket,
                                        SoupServerListenOptions  options);
void     ob_sandbox_connections_stop   (ObSandbox               *self);
/* From request-started: counts a new connection (or refuses it). */
void     ob_sandbox_connections_track  (ObSandbox               *self,
                                        SoupServerMessage       *msg);

/* Takes one matching injected fault, if any. */
gboolean ob_sandbox_take_fault         (ObSandbox         *self,
                                        const char        *method,
                                        const char        *path,
                                        Fault             *out);

void     ob_sandbox_handle_sso_token   (ObSandbox         *self,
                                        SoupServerMessage *msg);
void     ob_sandbox_handle_sso_logout  (ObSandbox         *self,
                                        SoupServerMessage *msg);
/* The certificate with its key, checked, and the CA to serve (ca_pem). */
GTlsCertificate *ob_sandbox_pki_load   (ObSandbox         *self,
                                        GError           **error);
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
