/* test-client-era.c: what the client learns from the engine's API root
 * (its capabilities header, its balloon era from product_info) and the
 * template balloon that only flag-era engines take
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fake-engine.h"
#include "ob-client.h"
#include "ob-error.h"
#include "ob-product.h"

#define TEMPLATE_ID "11111111-2222-3333-4444-555555555555"

static ObConnection *
open_engine (FakeEngine *engine)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  ObConnection *connection = ob_connection_new (fake_engine_get_url (engine), &error);

  g_assert_no_error (error);
  ob_connection_set_credentials (connection, "admin@internal", "secret");
  ob_connection_open_async (connection, NULL, ob_test_store_result, &result);
  g_assert_true (ob_connection_open_finish (connection, ob_test_wait_for_result (&result), &error));
  g_assert_no_error (error);
  return connection;
}

static void
test_capabilities (void)
{
  const struct {
    const char *header;
    gboolean honours;
  } cases[] = {
    { NULL, FALSE },
    { "", FALSE },
    { OB_ENGINE_CAP_RUN_ONCE_BALLOON_OVERRIDE, TRUE },
    { "something-else, " OB_ENGINE_CAP_RUN_ONCE_BALLOON_OVERRIDE " ,more", TRUE },
    { "run-once-balloon-override-v2", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      FakeEngine *engine = fake_engine_new ("4.5.5.1-1.el9", cases[i].header, NULL, NULL);
      g_autoptr(ObConnection) connection = open_engine (engine);

      g_assert_cmpint (ob_connection_honours_run_once_balloon (connection), ==, cases[i].honours);
      g_assert_cmpint (ob_connection_has_capability (connection, "something-else"), ==,
                       cases[i].header != NULL && strstr (cases[i].header, "something-else") != NULL);
      g_clear_object (&connection);
      fake_engine_free (engine);
    }
}

static void
test_era (void)
{
  const struct {
    const char *version;
    ObBalloonEra era;
  } cases[] = {
    { "4.4.5.11-1.el8", OB_BALLOON_ERA_DEVICE },
    { "4.4.6.5-1.el8", OB_BALLOON_ERA_FLAG },
    { "4.4.10.6-1.el8", OB_BALLOON_ERA_FLAG },
    { "4.3.10.4-1.el7", OB_BALLOON_ERA_DEVICE },
    { "4.5.0.8-1.el8", OB_BALLOON_ERA_FLAG },
    { "5.0.0", OB_BALLOON_ERA_FLAG },
    { "3.6.7.5-1.el7", OB_BALLOON_ERA_DEVICE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      FakeEngine *engine = fake_engine_new (cases[i].version, NULL, NULL, NULL);
      g_autoptr(ObConnection) connection = open_engine (engine);

      g_test_message ("engine %s", cases[i].version);
      g_assert_cmpint (ob_connection_get_balloon_era (connection), ==, cases[i].era);
      g_clear_object (&connection);
      fake_engine_free (engine);
    }
  g_assert_cmpint (ob_balloon_policy_era_for_version (4, 4, 6), ==, OB_BALLOON_ERA_FLAG);
  g_assert_cmpint (ob_balloon_policy_era_for_version (4, 4, 5), ==, OB_BALLOON_ERA_DEVICE);
  g_assert_cmpint (ob_balloon_policy_era_for_version (4, 3, 99), ==, OB_BALLOON_ERA_DEVICE);
}

/* GET templates: one with the balloon (flag era), one without; PUT
 * templates/ID answers with the value sent. */
static gboolean
template_route (FakeEngine    *engine,
                FakeRequest   *request,
                GOutputStream *out,
                gpointer       user_data)
{
  const char *json = "application/json";

  if (strcmp (request->method, "GET") == 0 && strcmp (request->path, "templates") == 0)
    {
      const char *body =
        "{\"template\":["
        "{\"id\":\"00000000-0000-0000-0000-000000000000\",\"name\":\"Blank\","
        "\"memory_policy\":{\"ballooning\":\"true\"}},"
        "{\"id\":\"" TEMPLATE_ID "\",\"name\":\"web\",\"memory_policy\":{\"guaranteed\":\"1\"}}]}";
      fake_engine_reply (out, 200, json, body, strlen (body));
      return TRUE;
    }
  if (strcmp (request->method, "PUT") == 0 && strcmp (request->path, "templates/" TEMPLATE_ID) == 0)
    {
      gboolean off = strstr (request->body, "\"ballooning\":\"false\"") != NULL;
      g_autofree char *body = g_strdup_printf ("{\"id\":\"" TEMPLATE_ID "\",\"name\":\"web\","
                                               "\"memory_policy\":{\"ballooning\":\"%s\"}}",
                                               off ? "false" : "true");
      fake_engine_reply (out, 200, json, body, strlen (body));
      return TRUE;
    }
  return FALSE;
}

static GPtrArray *
list_templates (ObClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *templates;

  ob_client_list_templates_async (client, NULL, ob_test_store_result, &result);
  templates = ob_client_list_templates_finish (client, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  return templates;
}

static ObTemplate *
set_template_balloon (ObClient    *client,
                      ObTemplate  *template,
                      gboolean     enable,
                      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_client_set_template_balloon_async (client, template, enable, NULL, ob_test_store_result, &result);
  return ob_client_set_template_balloon_finish (client, ob_test_wait_for_result (&result), error);
}

static void
test_template_balloon_flag_era (void)
{
  FakeEngine *engine = fake_engine_new ("4.5.5.1-1.el9", NULL, template_route, NULL);
  g_autoptr(ObConnection) connection = open_engine (engine);
  g_autoptr(ObClient) client = ob_client_new (connection);
  g_autoptr(GPtrArray) templates = list_templates (client);
  g_autoptr(ObTemplate) updated = NULL;
  g_autoptr(GError) error = NULL;
  ObTemplate *web;

  g_assert_cmpuint (templates->len, ==, 2);
  g_assert_cmpint (ob_template_get_ballooning (g_ptr_array_index (templates, 0)), ==, OB_BALLOON_STATE_ON);
  web = g_ptr_array_index (templates, 1);
  g_assert_cmpint (ob_template_get_ballooning (web), ==, OB_BALLOON_STATE_UNKNOWN);

  updated = set_template_balloon (client, web, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ob_template_get_ballooning (updated), ==, OB_BALLOON_STATE_OFF);
  g_assert_true (fake_engine_logged (engine, "PUT templates/" TEMPLATE_ID
                                             " {\"memory_policy\":{\"ballooning\":\"false\"}}"));
  g_clear_object (&client);
  g_clear_object (&connection);
  fake_engine_free (engine);
}

static void
test_template_balloon_device_era (void)
{
  FakeEngine *engine = fake_engine_new ("4.4.5.11-1.el8", NULL, template_route, NULL);
  g_autoptr(ObConnection) connection = open_engine (engine);
  g_autoptr(ObClient) client = ob_client_new (connection);
  g_autoptr(ObTemplate) web = ob_template_new (TEMPLATE_ID, "web");
  g_autoptr(ObTemplate) updated = NULL;
  g_autoptr(GError) error = NULL;

  updated = set_template_balloon (client, web, TRUE, &error);
  g_assert_null (updated);
  g_assert_error (error, OB_ERROR, OB_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "4.4.6"));
  g_assert_false (fake_engine_logged (engine, "PUT"));
  g_clear_object (&client);
  g_clear_object (&connection);
  fake_engine_free (engine);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/client/engine/capabilities", test_capabilities);
  g_test_add_func ("/client/engine/era", test_era);
  g_test_add_func ("/client/engine/template-balloon-flag-era", test_template_balloon_flag_era);
  g_test_add_func ("/client/engine/template-balloon-device-era", test_template_balloon_device_era);
  return g_test_run ();
}
