/* ob-test-engine.c: the in-process sandbox engine for tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ob-test-engine.h"

#include "ob-test-wait.h"

static ObConnection *
demo_connection (const char *url,
                 const char *password)
{
  g_autoptr(GError) error = NULL;
  ObConnection *connection = ob_connection_new (url, &error);

  g_assert_no_error (error);
  ob_connection_set_credentials (connection, OB_TEST_DEMO_USER,
                                 password != NULL ? password : OB_TEST_DEMO_PASSWORD);
  return connection;
}

ObSandbox *
ob_test_sandbox_start_valist (const char *first_property,
                              va_list     args)
{
  g_autoptr(GError) error = NULL;
  ObSandbox *sandbox = OB_SANDBOX (g_object_new_valist (OB_TYPE_SANDBOX, first_property, args));

  g_assert_true (ob_sandbox_start (sandbox, &error));
  g_assert_no_error (error);
  return sandbox;
}

void
ob_test_engine_start (ObTestEngine *engine,
                      const char   *password,
                      const char   *first_property,
                      ...)
{
  va_list args;

  va_start (args, first_property);
  engine->sandbox = ob_test_sandbox_start_valist (first_property, args);
  va_end (args);
  engine->connection = demo_connection (ob_sandbox_get_base_url (engine->sandbox), password);
  engine->client = ob_client_new (engine->connection);
}

void
ob_test_engine_setup (ObTestEngine  *engine,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  ob_test_engine_start (engine, NULL, "seed", "demo", NULL);
  g_assert_true (ob_test_connection_open (engine->connection, &error));
  g_assert_no_error (error);
}

void
ob_test_engine_teardown (ObTestEngine  *engine,
                         gconstpointer  data)
{
  if (engine->connection != NULL && ob_connection_get_auth_method (engine->connection) != NULL)
    ob_test_connection_close (engine->connection);
  g_clear_object (&engine->client);
  g_clear_object (&engine->connection);
  if (engine->sandbox != NULL)
    ob_sandbox_stop (engine->sandbox);
  g_clear_object (&engine->sandbox);
}

gboolean
ob_test_connection_open (ObConnection  *connection,
                         GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_connection_open_async (connection, NULL, ob_test_store_result, &result);
  return ob_connection_open_finish (connection, ob_test_wait_for_result (&result), error);
}

void
ob_test_connection_close (ObConnection *connection)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_connection_close_async (connection, NULL, ob_test_store_result, &result);
  ob_connection_close_finish (connection, ob_test_wait_for_result (&result), NULL);
}

ObClient *
ob_test_client_open (const char *url,
                     guint       timeout_s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObConnection) connection = demo_connection (url, NULL);

  if (timeout_s > 0)
    ob_connection_set_timeout (connection, timeout_s);
  g_assert_true (ob_test_connection_open (connection, &error));
  g_assert_no_error (error);
  return ob_client_new (connection);
}

ObVm *
ob_test_get_vm (ObClient   *client,
                const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  ObVm *vm;

  ob_client_get_vm_async (client, name, NULL, ob_test_store_result, &result);
  vm = ob_client_get_vm_finish (client, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (vm);
  return vm;
}
