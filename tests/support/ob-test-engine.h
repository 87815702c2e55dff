/* ob-test-engine.h: the in-process sandbox engine for tests: a GTest
 * fixture that starts it and signs a client in as the demo user, and the
 * synchronous client calls most tests need.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ob-client.h"
#include "ob-connection.h"
#include "ob-sandbox.h"
#include "ob-test-demo.h"

G_BEGIN_DECLS

typedef struct
{
  ObSandbox    *sandbox;
  ObConnection *connection;  /* to the sandbox as the demo user */
  ObClient     *client;      /* over connection */
} ObTestEngine;

/* A running sandbox made with the given properties (as g_object_new());
 * the test fails if it cannot start. */
ObSandbox    *ob_test_sandbox_start_valist (const char *first_property,
                                            va_list     args);
/* Starts a sandbox made with the given properties (NULL-terminated, as
 * g_object_new()) and a connection to it as the demo user with @password
 * (NULL: the demo password), not yet opened. */
void          ob_test_engine_start       (ObTestEngine  *engine,
                                          const char    *password,
                                          const char    *first_property,
                                          ...) G_GNUC_NULL_TERMINATED;
/* GTest fixture: a demo-seeded sandbox with the connection open. */
void          ob_test_engine_setup       (ObTestEngine  *engine,
                                          gconstpointer  data);
/* Signs out if signed in, stops the sandbox, frees everything. */
void          ob_test_engine_teardown    (ObTestEngine  *engine,
                                          gconstpointer  data);

/* ob_connection_open/close, waited for on the default main context. */
gboolean      ob_test_connection_open    (ObConnection  *connection,
                                          GError       **error);
void          ob_test_connection_close   (ObConnection  *connection);
/* A client of @url signed in as the demo user; the test fails otherwise.
 * @timeout_s 0 keeps the connection's default. */
ObClient     *ob_test_client_open        (const char    *url,
                                          guint          timeout_s);
/* One VM read individually, by name or id; the test fails without it. */
ObVm         *ob_test_get_vm             (ObClient      *client,
                                          const char    *name);

G_END_DECLS
