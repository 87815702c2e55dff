/* fake-engine.h: a tiny, raw-socket oVirt engine for client tests. SSO,
 * logout and the API root are built in; everything under
 * /ovirt-engine/api/ goes to a route the test supplies, in a worker
 * thread per connection, with the socket's stream in hand so a test can
 * answer byte by byte (slow, endless or compressed bodies).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

/* Tests wait for async calls with tests/support (ob-test-wait.h). */
#include "ob-test-wait.h"

G_BEGIN_DECLS

typedef struct _FakeEngine FakeEngine;

typedef struct
{
  char *method;
  char *path;    /* below /ovirt-engine/api/, without the query */
  char *body;    /* "" when none */
} FakeRequest;

/* Runs in a worker thread; write the whole HTTP answer to @out. Return
 * FALSE to answer 404. */
typedef gboolean (*FakeRoute) (FakeEngine    *engine,
                               FakeRequest   *request,
                               GOutputStream *out,
                               gpointer       user_data);

/* @full_version such as "4.5.6.1-1.el9" (major, minor and build are taken
 * from it); @capabilities the X-Engine-Capabilities value, NULL for none. */
FakeEngine *fake_engine_new          (const char *full_version,
                                      const char *capabilities,
                                      FakeRoute   route,
                                      gpointer    user_data);
void        fake_engine_free         (FakeEngine *engine);
/* https-less API URL: "http://127.0.0.1:PORT/ovirt-engine/api". */
const char *fake_engine_get_url      (FakeEngine *engine);
/* "METHOD path body" of every routed request so far (a copy). */
GStrv       fake_engine_dup_log      (FakeEngine *engine);
/* Waits up to @ms, running the default main context, until no answer is
 * being written; FALSE if one still is (the client keeps reading). */
gboolean    fake_engine_wait_idle    (FakeEngine *engine,
                                      guint       ms);
/* Whether some logged request starts with @prefix. */
gboolean    fake_engine_logged       (FakeEngine *engine,
                                      const char *prefix);

/* From now on, a request for @path (the whole path, such as
 * "/ovirt-engine/api") is answered with @status and "Location: @location".
 * Call it before the engine is used. */
void        fake_engine_set_redirect (FakeEngine *engine,
                                      const char *path,
                                      guint       status,
                                      const char *location);
/* How many requests the engine has read, of any path. */
guint       fake_engine_get_hits     (FakeEngine *engine);

/* Runs ovirt-balloon-cli at @cli_path as "vm list" against @engine (user
 * admin@internal, password "secret", --timeout @timeout) while this
 * thread's default main loop runs; returns its exit status, and what it
 * printed in @out and @err. */
int         fake_engine_run_cli      (FakeEngine  *engine,
                                      const char  *cli_path,
                                      const char  *timeout,
                                      char       **out,
                                      char       **err);

/* Writes a complete answer with Content-Length and Connection: close.
 * Returns FALSE when the client went away. */
gboolean    fake_engine_reply        (GOutputStream *out,
                                      guint          status,
                                      const char    *content_type,
                                      const char    *body,
                                      gsize          length);


G_END_DECLS
