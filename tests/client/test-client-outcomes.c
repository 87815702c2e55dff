/* test-client-outcomes.c: what a balloon change or an edit reports when
 * the engine's state makes it something else than a plain change: a
 * waiting next-run change that the request only drops, a server that
 * already holds the user's choice, a name another VM has
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fake-engine.h"
#include "ob-client.h"
#include "ob-error.h"

#define VM_ID "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"

/* One VM as an engine keeps it: the running configuration and the waiting
 * next-run one. PUT follows the engine: on a running VM a cold change
 * waits for the next run, and a waiting change that comes back to the
 * running value is dropped. */
typedef struct
{
  GMutex lock;
  gboolean up;
  gboolean balloon;
  gboolean next_run;
  gboolean next_balloon;
  /* The next PUT is refused with this status and fault detail, after
   * which the balloon is what someone else set: @balloon_after_refusal. */
  guint refuse_status;
  const char *refuse_detail;
  gboolean balloon_after_refusal;
} VmState;

static char *
vm_json (VmState *state)
{
  return g_strdup_printf ("{\"id\":\"" VM_ID "\",\"name\":\"web-01\",\"status\":\"%s\","
                          "\"next_run_configuration_exists\":\"%s\","
                          "\"memory\":\"1073741824\","
                          "\"memory_policy\":{\"ballooning\":\"%s\"}}",
                          state->up ? "up" : "down", state->next_run ? "true" : "false",
                          state->balloon ? "true" : "false");
}

static gboolean
vm_route (FakeEngine    *engine,
          FakeRequest   *request,
          GOutputStream *out,
          gpointer       user_data)
{
  VmState *state = user_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&state->lock);
  g_autofree char *body = NULL;

  if (strcmp (request->path, "vms/" VM_ID) != 0)
    return FALSE;
  if (strcmp (request->method, "PUT") == 0)
    {
      gboolean has_balloon = strstr (request->body, "\"ballooning\"") != NULL;
      gboolean wanted = strstr (request->body, "\"ballooning\":\"true\"") != NULL;

      if (state->refuse_status != 0)
        {
          g_autofree char *fault = g_strdup_printf ("{\"reason\":\"Operation Failed\",\"detail\":\"[%s]\"}",
                                                    state->refuse_detail);

          state->balloon = state->balloon_after_refusal;
          state->refuse_status = 0;
          fake_engine_reply (out, 409, "application/json", fault, strlen (fault));
          return TRUE;
        }
      if (has_balloon && !state->up)
        state->balloon = wanted;
      else if (has_balloon)
        {
          state->next_balloon = wanted;
          state->next_run = wanted != state->balloon;
        }
    }
  else if (strcmp (request->method, "GET") != 0)
    return FALSE;
  body = vm_json (state);
  fake_engine_reply (out, 200, "application/json", body, strlen (body));
  return TRUE;
}

typedef struct
{
  VmState state;
  FakeEngine *engine;
  ObConnection *connection;
  ObClient *client;
} Fixture;

static void
fixture_open (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  f->engine = fake_engine_new ("4.5.5.1-1.el9", NULL, vm_route, &f->state);
  f->connection = ob_connection_new (fake_engine_get_url (f->engine), &error);
  g_assert_no_error (error);
  ob_connection_set_credentials (f->connection, "admin@internal", "secret");
  ob_connection_open_async (f->connection, NULL, ob_test_store_result, &result);
  g_assert_true (ob_connection_open_finish (f->connection, ob_test_wait_for_result (&result), &error));
  f->client = ob_client_new (f->connection);
}

static void
fixture_close (Fixture *f)
{
  g_clear_object (&f->client);
  g_clear_object (&f->connection);
  fake_engine_free (f->engine);
}

/* The VM as the user loaded it. */
static ObVm *
loaded_vm (gboolean up,
           gboolean balloon)
{
  ObVm *vm = ob_vm_new (VM_ID, "web-01");

  ob_vm_set_status (vm, up ? "up" : "down");
  ob_vm_set_ballooning (vm, balloon ? OB_BALLOON_STATE_ON : OB_BALLOON_STATE_OFF);
  return vm;
}

static ObBalloonResult *
set_balloon (Fixture  *f,
             ObVm     *vm,
             gboolean  enable,
             GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_client_set_balloon_async (f->client, vm, enable, OB_SET_BALLOON_NONE, NULL, ob_test_store_result, &result);
  return ob_client_set_balloon_finish (f->client, ob_test_wait_for_result (&result), error);
}

static void
test_pending_cancelled (void)
{
  Fixture f = { { { 0 }, } };
  g_autoptr(ObVm) vm = loaded_vm (TRUE, TRUE);
  g_autoptr(ObBalloonResult) r = NULL;
  g_autoptr(ObBalloonResult) again = NULL;
  g_autoptr(ObBalloonResult) later = NULL;
  g_autoptr(GError) error = NULL;

  /* Running with the balloon on; off waits for the next run. */
  f.state.up = TRUE;
  f.state.balloon = TRUE;
  f.state.next_run = TRUE;
  f.state.next_balloon = FALSE;
  fixture_open (&f);

  r = set_balloon (&f, vm, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->outcome, ==, OB_CHANGE_PENDING_CANCELLED);
  g_assert_cmpstr (ob_change_outcome_to_string (r->outcome), ==, "pending-cancelled");
  g_assert_nonnull (strstr (r->message, "cancelled"));
  g_assert_true (fake_engine_logged (f.engine, "PUT vms/" VM_ID));
  g_assert_false (f.state.next_run);
  g_assert_false (ob_vm_get_next_run_configuration_exists (vm));

  /* Nothing waits any more: the same choice is "already so". */
  again = set_balloon (&f, vm, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->outcome, ==, OB_CHANGE_UNCHANGED);

  /* A real change of a running VM still waits for its next run. */
  later = set_balloon (&f, vm, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (later->outcome, ==, OB_CHANGE_NEXT_RUN);
  g_assert_true (f.state.next_run);
  fixture_close (&f);
}

static void
test_pending_cancelled_bulk (void)
{
  Fixture f = { { { 0 }, } };
  g_autoptr(GPtrArray) vms = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ObBalloonResult *r;

  /* Running with the balloon off; on waits for the next run. Disable. */
  f.state.up = TRUE;
  f.state.balloon = FALSE;
  f.state.next_run = TRUE;
  f.state.next_balloon = TRUE;
  fixture_open (&f);
  g_ptr_array_add (vms, loaded_vm (TRUE, FALSE));

  ob_client_set_balloon_many_async (f.client, vms, FALSE, OB_SET_BALLOON_NONE, NULL, NULL, NULL, NULL,
                                    ob_test_store_result, &result);
  results = ob_client_set_balloon_many_finish (f.client, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  r = g_ptr_array_index (results, 0);
  g_assert_cmpint (r->outcome, ==, OB_CHANGE_PENDING_CANCELLED);
  g_assert_null (strstr (r->message, "turned"));
  fixture_close (&f);
}

static void
test_server_already_holds_choice (void)
{
  Fixture f = { { { 0 }, } };
  g_autoptr(ObVm) vm = loaded_vm (FALSE, FALSE);
  g_autoptr(ObVm) other = loaded_vm (FALSE, FALSE);
  g_autoptr(ObBalloonResult) r = NULL;
  g_autoptr(ObBalloonResult) none = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) log = NULL;

  /* Loaded off; someone turned it on meanwhile; the user enables too. */
  f.state.balloon = TRUE;
  fixture_open (&f);
  r = set_balloon (&f, vm, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->outcome, ==, OB_CHANGE_UNCHANGED);
  g_assert_false (fake_engine_logged (f.engine, "PUT"));
  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_ON);

  /* Loaded off, now on, the user disables: that is a conflict. */
  none = set_balloon (&f, other, FALSE, &error);
  g_assert_null (none);
  g_assert_error (error, OB_ERROR, OB_ERROR_CONFLICT);
  g_assert_false (fake_engine_logged (f.engine, "PUT"));
  fixture_close (&f);
}

static void
test_refusal_then_holds_choice (void)
{
  Fixture f = { { { 0 }, } };
  g_autoptr(ObVm) vm = loaded_vm (FALSE, FALSE);
  g_autoptr(ObVm) vm2 = loaded_vm (FALSE, FALSE);
  g_autoptr(ObBalloonResult) r = NULL;
  g_autoptr(ObBalloonResult) none = NULL;
  g_autoptr(GError) error = NULL;

  /* The PUT is refused with 409 because another change of the same value
   * got there first: the engine holds the choice, so it is success. */
  f.state.refuse_status = 409;
  f.state.refuse_detail = "Cannot edit VM. Related operation is currently in progress. Please try again later.";
  f.state.balloon_after_refusal = TRUE;
  fixture_open (&f);
  r = set_balloon (&f, vm, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->outcome, ==, OB_CHANGE_UNCHANGED);
  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_ON);

  /* Refused and the engine holds something else: the refusal stands. */
  f.state.balloon = FALSE;
  f.state.refuse_status = 409;
  f.state.balloon_after_refusal = FALSE;
  none = set_balloon (&f, vm2, TRUE, &error);
  g_assert_null (none);
  g_assert_error (error, OB_ERROR, OB_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "Related operation"));
  fixture_close (&f);
}

static void
test_name_in_use (void)
{
  const guint statuses[] = { 409, 400 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      Fixture f = { { { 0 }, } };
      g_autoptr(ObVm) vm = loaded_vm (FALSE, TRUE);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(ObBalloonResult) r = NULL;
      g_autoptr(GError) error = NULL;
      ObVmUpdate update = { OB_VM_FIELD_NAME, "web-02", NULL, 0, FALSE };

      f.state.balloon = TRUE;
      f.state.refuse_status = statuses[i];
      f.state.refuse_detail = "Cannot edit VM. The VM name is already in use, please choose a unique name and try again.";
      f.state.balloon_after_refusal = TRUE;
      fixture_open (&f);
      ob_client_update_vm_async (f.client, vm, &update, OB_SET_BALLOON_NONE, NULL, ob_test_store_result, &result);
      r = ob_client_update_vm_finish (f.client, ob_test_wait_for_result (&result), &error);
      g_assert_null (r);
      g_assert_error (error, OB_ERROR, OB_ERROR_NAME_IN_USE);
      g_assert_cmpint (ob_error_exit_code (error), ==, OB_EXIT_FAILED);
      fixture_close (&f);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/client/outcome/pending-cancelled", test_pending_cancelled);
  g_test_add_func ("/client/outcome/pending-cancelled-bulk", test_pending_cancelled_bulk);
  g_test_add_func ("/client/outcome/server-already-holds-choice", test_server_already_holds_choice);
  g_test_add_func ("/client/outcome/refusal-then-holds-choice", test_refusal_then_holds_choice);
  g_test_add_func ("/client/outcome/name-in-use", test_name_in_use);
  return g_test_run ();
}
