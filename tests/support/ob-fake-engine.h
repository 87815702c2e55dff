/* ob-fake-engine.h: a small scripted oVirt engine (libsoup server on the
 * default main context) for what the sandbox engine cannot show: SSO absent,
 * expiring tokens, stray 401s, broken bodies, dropped connections, slow
 * PUTs, old engines without the balloon in lists, a failing VM start, TLS.
 * Tests set its fields to script it and read its request log.
 * The one account is admin@internal with OB_FAKE_ENGINE_PASSWORD.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "ob-connection.h"

G_BEGIN_DECLS

#define OB_FAKE_ENGINE_PASSWORD "secret"

typedef struct
{
  char *id;
  char *name;
  gboolean balloon;
  char *status;
  gboolean next_run;
  gboolean next_run_balloon;
} ObFakeVm;

typedef struct
{
  SoupServer *server;
  char *url;
  char *root;
  gboolean sso_absent;
  gboolean not_ovirt;
  gboolean fail_start;
  gboolean drop_vm_list;
  const char *vm_list_body;     /* served raw as the VM list */
  const char *vm_list_type;
  const char *product;
  guint token_serial;
  guint oldest_valid_token;     /* older tokens get 401: they "expired" */
  gboolean list_without_balloon; /* engines before 4.4.6 without All-Content */
  guint reject_next;            /* answer this many API calls with 401 */
  guint put_delay_ms;
  guint in_flight;
  guint max_in_flight;
  GPtrArray *vms;               /* ObFakeVm */
  GPtrArray *log;               /* "METHOD path body" */
  char *user_agent;
  char *accept_sso;
} ObFakeEngine;

/* Listens on 127.0.0.1, a free port, with @n_vms down VMs named vm00.. */
ObFakeEngine *ob_fake_engine_new          (guint              n_vms);
/* The same over HTTPS with tests/data/tls/server.pem, and no VMs. */
ObFakeEngine *ob_fake_engine_new_tls      (void);
void          ob_fake_engine_free         (ObFakeEngine      *fake);
/* A new connection to the fake's API as admin@internal with @password. */
ObConnection *ob_fake_engine_connection   (ObFakeEngine      *fake,
                                           const char        *password);
/* Whether a line of the request log contains @needle. */
gboolean      ob_fake_engine_log_contains (ObFakeEngine      *fake,
                                           const char        *needle);
/* Answers @msg with @status and, when @body is not NULL, @body as @type. */
void          ob_fake_engine_respond      (SoupServerMessage *msg,
                                           guint              status,
                                           const char        *type,
                                           const char        *body);

G_END_DECLS
