/* test-client-online.c: ObConnection and ObClient against the in-process
 * sandbox engine, and against small fake servers for what the sandbox
 * cannot do (SSO absent, not oVirt, dropped connections, TLS, an engine
 * that ignores the Run Once balloon override, concurrency limits)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "fake-engine.h"
#include "ob-client.h"
#include "ob-connection.h"
#include "ob-error.h"
#include "ob-product.h"
#include "ob-rest-json.h"
#include "ob-sandbox-private.h"
#include "ob-fake-engine.h"
#include "ob-test-engine.h"
#include "ob-test-subprocess.h"
#include "ob-test-wait.h"

/* ---- the sandbox ---- */

typedef ObTestEngine Online;

static void
online_start (Online     *o,
              guint       token_lifetime,
              const char *password)
{
  ob_test_engine_start (o, password, "seed", "demo",
                        "token-lifetime", token_lifetime ? token_lifetime : 1800, NULL);
}

static void
online_open (Online *o,
             guint   token_lifetime)
{
  g_autoptr(GError) error = NULL;

  online_start (o, token_lifetime, OB_TEST_DEMO_PASSWORD);
  g_assert_true (ob_test_connection_open (o->connection, &error));
  g_assert_no_error (error);
}

static ObVm *
get_vm (ObClient    *client,
        const char  *name,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_client_get_vm_async (client, name, NULL, ob_test_store_result, &result);
  return ob_client_get_vm_finish (client, ob_test_wait_for_result (&result), error);
}

static ObBalloonResult *
set_balloon (ObClient          *client,
             ObVm              *vm,
             gboolean           enable,
             ObSetBalloonFlags  flags,
             GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_client_set_balloon_async (client, vm, enable, flags, NULL, ob_test_store_result, &result);
  return ob_client_set_balloon_finish (client, ob_test_wait_for_result (&result), error);
}

static void
test_sandbox_open (void)
{
  Online o = { 0 };

  online_open (&o, 0);
  g_assert_cmpstr (ob_connection_get_auth_method (o.connection), ==, "sso");
  g_assert_cmpstr (ob_connection_get_product_name (o.connection), ==, OB_SANDBOX_PRODUCT_NAME);
  g_assert_true (ob_connection_honours_run_once_balloon (o.connection));
  ob_test_connection_close (o.connection);
  g_assert_null (ob_connection_get_auth_method (o.connection));
  ob_test_engine_teardown (&o, NULL);
}

static void
test_sandbox_wrong_password (void)
{
  Online o = { 0 };
  g_autoptr(GError) error = NULL;

  online_start (&o, 0, "not-the-password");
  g_assert_false (ob_test_connection_open (o.connection, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_AUTH);
  /* The SSO's own words are shown, the password is not. */
  g_assert_nonnull (strstr (error->message, "Login failed"));
  g_assert_null (strstr (error->message, "not-the-password"));
  g_assert_cmpint (ob_error_exit_code (error), ==, OB_EXIT_CONNECT);
  ob_test_engine_teardown (&o, NULL);
}

typedef struct
{
  guint calls;
  guint done;
  guint total;
} ProgressLog;

static void
count_progress (guint    done,
                guint    total,
                gpointer user_data)
{
  ProgressLog *log = user_data;

  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >=, log->done);
  log->calls++;
  log->done = done;
  log->total = total;
}

static void
test_sandbox_list_paged (void)
{
  Online o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GPtrArray) vms = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  ProgressLog progress = { 0 };
  guint i, unknown_level = 0;

  online_open (&o, 0);
  ob_client_set_page_size (o.client, 7);
  ob_client_list_vms_async (o.client, NULL, OB_LIST_ALL_CONTENT, count_progress, &progress, NULL,
                            NULL, ob_test_store_result, &result);
  vms = ob_client_list_vms_finish (o.client, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vms->len, >=, 20);
  /* Several pages, each reported; the last report says done. */
  g_assert_cmpuint (progress.calls, >=, vms->len / 7);
  g_assert_cmpuint (progress.done, ==, vms->len);
  g_assert_cmpuint (progress.total, ==, vms->len);
  for (i = 0; i < vms->len; i++)
    {
      ObVm *vm = g_ptr_array_index (vms, i);

      g_assert_true (g_hash_table_add (ids, (gpointer) ob_vm_get_id (vm)));
      g_assert_cmpint (ob_vm_get_ballooning (vm), !=, OB_BALLOON_STATE_UNKNOWN);
      if (ob_vm_get_cluster_version (vm) == NULL)
        unknown_level++;
    }
  g_assert_cmpuint (unknown_level, ==, 0);

  /* One big page gives the same set. */
  ob_client_set_page_size (o.client, 1000);
  ob_client_list_vms_async (o.client, NULL, OB_LIST_ALL_CONTENT, NULL, NULL, NULL,
                            NULL, ob_test_store_result, &result2);
  all = ob_client_list_vms_finish (o.client, ob_test_wait_for_result (&result2), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, vms->len);
  ob_test_engine_teardown (&o, NULL);
}

typedef struct
{
  GPtrArray *seen;    /* every VM a page reported, in order */
  guint pages;
  guint done;
  GThread *thread;
} PageLog;

static void
collect_page (GPtrArray *vms,
              guint      done,
              guint      total,
              gpointer   user_data)
{
  PageLog *log = user_data;
  guint i;

  /* On the caller's thread, with the models already built. */
  g_assert_true (g_thread_self () == log->thread);
  g_assert_cmpuint (done, ==, log->seen->len + vms->len);
  g_assert_cmpuint (done, <=, total);
  for (i = 0; i < vms->len; i++)
    g_ptr_array_add (log->seen, g_object_ref (g_ptr_array_index (vms, i)));
  log->pages++;
  log->done = done;
}

/* Each page's VMs reach the caller as it arrives; together, and in order,
 * they are exactly the final list. */
static void
test_sandbox_list_pages_delivered (void)
{
  Online o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) vms = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_object_unref);
  PageLog log = { seen, 0, 0, g_thread_self () };
  guint i;

  online_open (&o, 0);
  ob_client_set_page_size (o.client, 7);
  ob_client_list_vms_paged_async (o.client, NULL, OB_LIST_ALL_CONTENT, collect_page, &log, NULL,
                                  NULL, ob_test_store_result, &result);
  vms = ob_client_list_vms_finish (o.client, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vms->len, >=, 20);
  g_assert_cmpuint (log.pages, ==, vms->len / 7 + 1);
  g_assert_cmpuint (seen->len, ==, vms->len);
  g_assert_cmpuint (log.done, ==, vms->len);
  for (i = 0; i < vms->len; i++)
    {
      g_assert_true (g_ptr_array_index (seen, i) == g_ptr_array_index (vms, i));
      g_assert_nonnull (ob_vm_get_cluster_version (g_ptr_array_index (vms, i)));
    }
  ob_test_engine_teardown (&o, NULL);
}

/* Pages big enough to be parsed and built in worker threads: the same
 * list, in order, each page on the caller's thread. */
static void
test_sandbox_list_big_pages (void)
{
  Online o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) vms = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  PageLog log = { seen, 0, 0, g_thread_self () };
  guint i;

  o.sandbox = g_object_new (OB_TYPE_SANDBOX, "seed", "1200", NULL);
  g_assert_true (ob_sandbox_start (o.sandbox, &error));
  g_assert_no_error (error);
  o.connection = ob_connection_new (ob_sandbox_get_base_url (o.sandbox), &error);
  g_assert_no_error (error);
  ob_connection_set_credentials (o.connection, OB_SANDBOX_DEMO_USER, OB_TEST_DEMO_PASSWORD);
  o.client = ob_client_new (o.connection);
  g_assert_true (ob_test_connection_open (o.connection, &error));
  g_assert_no_error (error);

  ob_client_list_vms_paged_async (o.client, NULL, OB_LIST_ALL_CONTENT, collect_page, &log, NULL,
                                  NULL, ob_test_store_result, &result);
  vms = ob_client_list_vms_finish (o.client, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vms->len, >=, 1200);
  g_assert_cmpuint (log.pages, ==, vms->len / OB_CLIENT_DEFAULT_PAGE_SIZE + 1);
  g_assert_cmpuint (seen->len, ==, vms->len);
  for (i = 0; i < vms->len; i++)
    {
      ObVm *vm = g_ptr_array_index (vms, i);

      g_assert_true (g_ptr_array_index (seen, i) == vm);
      g_assert_true (g_hash_table_add (ids, (gpointer) ob_vm_get_id (vm)));
      g_assert_nonnull (ob_vm_get_cluster_version (vm));
      g_assert_cmpint (ob_vm_get_ballooning (vm), !=, OB_BALLOON_STATE_UNKNOWN);
    }
  ob_test_engine_teardown (&o, NULL);
}

static void
test_sandbox_get_vm (void)
{
  Online o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) by_name = NULL;
  g_autoptr(ObVm) by_id = NULL;
  ObVm *missing;

  online_open (&o, 0);
  by_name = get_vm (o.client, "legacy-db", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ob_vm_get_cluster_version (by_name), ==, "3.0");
  g_assert_false (ob_vm_get_balloon_allowed (by_name));
  g_assert_cmpint (ob_vm_get_ballooning (by_name), !=, OB_BALLOON_STATE_UNKNOWN);

  by_id = get_vm (o.client, ob_vm_get_id (by_name), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ob_vm_get_name (by_id), ==, "legacy-db");

  missing = get_vm (o.client, "no-such-vm", &error);
  g_assert_null (missing);
  g_assert_error (error, OB_ERROR, OB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  missing = get_vm (o.client, "00000000-1111-2222-3333-444444444444", &error);
  g_assert_null (missing);
  g_assert_error (error, OB_ERROR, OB_ERROR_NOT_FOUND);
  ob_test_engine_teardown (&o, NULL);
}

static void
test_sandbox_policy_refusal_sends_nothing (void)
{
  Online o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) legacy = NULL;
  g_autoptr(ObVm) ppc = NULL;
  ObBalloonResult *result;
  guint64 before;

  online_open (&o, 0);
  legacy = get_vm (o.client, "legacy-db", &error);
  g_assert_no_error (error);
  ppc = get_vm (o.client, "ppc-db", &error);
  g_assert_no_error (error);

  before = ob_sandbox_get_request_count (o.sandbox);
  result = set_balloon (o.client, legacy, TRUE, OB_SET_BALLOON_NONE, &error);
  g_assert_null (result);
  g_assert_error (error, OB_ERROR, OB_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "3.1"));
  g_clear_error (&error);
  result = set_balloon (o.client, ppc, TRUE, OB_SET_BALLOON_FORCE, &error);
  g_assert_null (result);
  g_assert_error (error, OB_ERROR, OB_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "ppc64"));
  g_assert_cmpuint (ob_sandbox_get_request_count (o.sandbox), ==, before);
  g_clear_error (&error);

  /* Turning it off is always allowed. */
  result = set_balloon (o.client, legacy, FALSE, OB_SET_BALLOON_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->outcome, ==, OB_CHANGE_UNCHANGED);
  ob_balloon_result_free (result);
  ob_test_engine_teardown (&o, NULL);
}

static ObBalloonResult *
update_vm (ObClient          *client,
           ObVm              *vm,
           const ObVmUpdate  *update,
           GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_client_update_vm_async (client, vm, update, OB_SET_BALLOON_NONE, NULL, ob_test_store_result, &result);
  return ob_client_update_vm_finish (client, ob_test_wait_for_result (&result), error);
}

#define MIB (G_GUINT64_CONSTANT (1024) * 1024)

static void
test_sandbox_update_vm (void)
{
  Online o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) down = NULL;
  g_autoptr(ObVm) up = NULL;
  g_autoptr(ObVm) reread = NULL;
  g_autoptr(ObVm) reread_up = NULL;
  g_autoptr(ObVm) gone = NULL;
  g_autoptr(ObBalloonResult) r1 = NULL;
  g_autoptr(ObBalloonResult) r2 = NULL;
  g_autoptr(ObBalloonResult) r3 = NULL;
  g_autoptr(ObBalloonResult) r4 = NULL;
  ObVmUpdate all = { OB_VM_FIELD_NAME | OB_VM_FIELD_DESCRIPTION | OB_VM_FIELD_MEMORY | OB_VM_FIELD_BALLOONING,
                     "ci-runner-renamed", "edited \"by\" the test", 3072 * MIB, FALSE };
  ObVmUpdate hot_and_cold = { OB_VM_FIELD_NAME | OB_VM_FIELD_MEMORY, "web-02-renamed", NULL, 0, FALSE };
  ObVmUpdate empty_name = { OB_VM_FIELD_NAME, "", NULL, 0, FALSE };
  guint64 up_memory;

  online_open (&o, 0);
  down = get_vm (o.client, "ci-runner-01", &error);
  g_assert_no_error (error);
  g_assert_true (ob_vm_is_down (down));
  g_assert_cmpint (ob_vm_get_ballooning (down), ==, OB_BALLOON_STATE_ON);
  g_assert_cmpuint (ob_vm_get_memory (down), !=, 3072 * MIB);

  /* A down VM: every field in effect at once, read back over REST. */
  r1 = update_vm (o.client, down, &all, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r1->outcome, ==, OB_CHANGE_APPLIED);
  g_assert_cmpstr (ob_vm_get_name (down), ==, "ci-runner-renamed");
  reread = get_vm (o.client, "ci-runner-renamed", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ob_vm_get_id (reread), ==, ob_vm_get_id (down));
  g_assert_cmpstr (ob_vm_get_description (reread), ==, "edited \"by\" the test");
  g_assert_cmpuint (ob_vm_get_memory (reread), ==, 3072 * MIB);
  g_assert_cmpint (ob_vm_get_ballooning (reread), ==, OB_BALLOON_STATE_OFF);
  gone = get_vm (o.client, "ci-runner-01", &error);
  g_assert_error (error, OB_ERROR, OB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The same values again: nothing to send. */
  r2 = update_vm (o.client, down, &all, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r2->outcome, ==, OB_CHANGE_UNCHANGED);

  /* A running VM: the name applies now, the memory at the next run. */
  up = get_vm (o.client, "web-02", &error);
  g_assert_no_error (error);
  g_assert_false (ob_vm_is_down (up));
  up_memory = ob_vm_get_memory (up);
  hot_and_cold.memory = up_memory + 1024 * MIB;
  r3 = update_vm (o.client, up, &hot_and_cold, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r3->outcome, ==, OB_CHANGE_NEXT_RUN);
  reread_up = get_vm (o.client, "web-02-renamed", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ob_vm_get_memory (reread_up), ==, up_memory);
  g_assert_true (ob_vm_get_next_run_configuration_exists (reread_up));

  /* A bad value is refused before anything is sent. */
  r4 = update_vm (o.client, up, &empty_name, &error);
  g_assert_null (r4);
  g_assert_error (error, OB_ERROR, OB_ERROR_USAGE);
  ob_test_engine_teardown (&o, NULL);
}

static void
test_sandbox_set_down_and_running (void)
{
  Online o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) down = NULL;
  g_autoptr(ObVm) up = NULL;
  g_autoptr(ObVm) reread = NULL;
  g_autoptr(ObBalloonResult) r1 = NULL;
  g_autoptr(ObBalloonResult) r2 = NULL;
  g_autoptr(ObBalloonResult) r3 = NULL;

  online_open (&o, 0);
  down = get_vm (o.client, "ci-runner-01", &error);
  g_assert_no_error (error);
  g_assert_true (ob_vm_is_down (down));
  g_assert_cmpint (ob_vm_get_ballooning (down), ==, OB_BALLOON_STATE_ON);

  /* Off is sent explicitly and takes effect now on a down VM. */
  r1 = set_balloon (o.client, down, FALSE, OB_SET_BALLOON_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r1->outcome, ==, OB_CHANGE_APPLIED);
  g_assert_cmpint (ob_vm_get_ballooning (down), ==, OB_BALLOON_STATE_OFF);
  reread = get_vm (o.client, "ci-runner-01", &error);
  g_assert_cmpint (ob_vm_get_ballooning (reread), ==, OB_BALLOON_STATE_OFF);

  /* A running VM stores it for the next run; the current value stays. */
  up = get_vm (o.client, "web-02", &error);
  g_assert_no_error (error);
  g_assert_false (ob_vm_is_down (up));
  g_assert_cmpint (ob_vm_get_ballooning (up), ==, OB_BALLOON_STATE_ON);
  r2 = set_balloon (o.client, up, FALSE, OB_SET_BALLOON_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r2->outcome, ==, OB_CHANGE_NEXT_RUN);
  g_assert_true (ob_vm_get_next_run_configuration_exists (up));
  g_assert_nonnull (strstr (r2->message, "next"));

  /* Same value again on a down VM: nothing sent. */
  r3 = set_balloon (o.client, down, FALSE, OB_SET_BALLOON_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r3->outcome, ==, OB_CHANGE_UNCHANGED);
  ob_test_engine_teardown (&o, NULL);
}

static void
test_sandbox_conflict (void)
{
  Online a = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObConnection) other_conn = NULL;
  g_autoptr(ObClient) other = NULL;
  g_autoptr(ObVm) mine = NULL;
  g_autoptr(ObVm) theirs = NULL;
  g_autoptr(ObVm) check = NULL;
  g_autoptr(ObBalloonResult) r = NULL;
  g_autoptr(ObBalloonResult) forced = NULL;
  ObBalloonResult *refused;

  online_open (&a, 0);
  other_conn = ob_connection_new (ob_sandbox_get_base_url (a.sandbox), &error);
  ob_connection_set_credentials (other_conn, OB_SANDBOX_DEMO_USER, OB_TEST_DEMO_PASSWORD);
  g_assert_true (ob_test_connection_open (other_conn, &error));
  other = ob_client_new (other_conn);

  mine = get_vm (a.client, "erp-03", &error);
  g_assert_no_error (error);
  g_assert_cmpint (ob_vm_get_ballooning (mine), ==, OB_BALLOON_STATE_ON);

  /* Someone else turns it off meanwhile. */
  theirs = get_vm (other, "erp-03", &error);
  r = set_balloon (other, theirs, FALSE, OB_SET_BALLOON_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->outcome, ==, OB_CHANGE_APPLIED);

  /* My stale copy must not silently overwrite it. */
  refused = set_balloon (a.client, mine, TRUE, OB_SET_BALLOON_NONE, &error);
  g_assert_null (refused);
  g_assert_error (error, OB_ERROR, OB_ERROR_CONFLICT);
  g_clear_error (&error);
  check = get_vm (other, "erp-03", &error);
  g_assert_cmpint (ob_vm_get_ballooning (check), ==, OB_BALLOON_STATE_OFF);

  forced = set_balloon (a.client, mine, TRUE, OB_SET_BALLOON_FORCE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (forced->outcome, ==, OB_CHANGE_APPLIED);
  g_assert_cmpint (ob_vm_get_ballooning (mine), ==, OB_BALLOON_STATE_ON);

  ob_test_connection_close (other_conn);
  ob_test_engine_teardown (&a, NULL);
}

static void
test_sandbox_deleted_between_list_and_update (void)
{
  Online o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) vm = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *path = NULL;
  ObBalloonResult *r;

  online_open (&o, 0);
  vm = get_vm (o.client, "erp-03", &error);
  g_assert_no_error (error);

  path = g_strconcat ("vms/", ob_vm_get_id (vm), NULL);
  ob_connection_request_async (o.connection, "DELETE", path, NULL, OB_REQUEST_NONE, NULL,
                               ob_test_store_result, &result);
  node = ob_connection_request_finish (o.connection, ob_test_wait_for_result (&result), NULL, &error);
  g_assert_no_error (error);

  r = set_balloon (o.client, vm, TRUE, OB_SET_BALLOON_NONE, &error);
  g_assert_null (r);
  g_assert_error (error, OB_ERROR, OB_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "deleted"));
  ob_test_engine_teardown (&o, NULL);
}

static void
test_sandbox_token_expiry (void)
{
  Online o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) vm = NULL;

  online_open (&o, 1);
  /* Let the token expire; the next call logs in again by itself. */
  g_usleep (2200 * 1000);
  vm = get_vm (o.client, "web-01", &error);
  g_assert_no_error (error);
  g_assert_nonnull (vm);
  ob_test_engine_teardown (&o, NULL);
}

static void
test_sandbox_faults (void)
{
  Online o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GPtrArray) clusters = NULL;
  g_autoptr(ObVm) vm = NULL;
  g_autoptr(ObVm) check = NULL;
  ObBalloonResult *r;

  online_open (&o, 0);

  /* 500 with a fault body: reason and detail as the engine gave them. */
  ob_sandbox_inject_fault (o.sandbox, "GET", "/ovirt-engine/api/clusters", 500, 0, 1);
  ob_client_list_clusters_async (o.client, NULL, ob_test_store_result, &result);
  clusters = ob_client_list_clusters_finish (o.client, ob_test_wait_for_result (&result), &error);
  g_assert_null (clusters);
  g_assert_error (error, OB_ERROR, OB_ERROR_SERVER_FAULT);
  g_assert_nonnull (strstr (error->message, "Operation Failed"));
  g_assert_nonnull (strstr (error->message, "[Injected fault]"));
  g_assert_nonnull (strstr (error->message, "500"));
  g_clear_error (&error);

  /* 409 on the update: a conflict, and nothing changed. */
  vm = get_vm (o.client, "ci-runner-02", &error);
  g_assert_no_error (error);
  ob_sandbox_inject_fault (o.sandbox, "PUT", "/ovirt-engine/api/vms", 409, 0, 1);
  r = set_balloon (o.client, vm, TRUE, OB_SET_BALLOON_NONE, &error);
  g_assert_null (r);
  g_assert_error (error, OB_ERROR, OB_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "409"));
  g_clear_error (&error);
  check = get_vm (o.client, "ci-runner-02", &error);
  g_assert_cmpint (ob_vm_get_ballooning (check), ==, ob_vm_get_ballooning (vm));

  /* A slow engine: the timeout fires. */
  ob_connection_set_timeout (o.connection, 1);
  ob_sandbox_inject_fault (o.sandbox, "GET", "/ovirt-engine/api/clusters", 0, 3000, 1);
  ob_client_list_clusters_async (o.client, NULL, ob_test_store_result, &result2);
  clusters = ob_client_list_clusters_finish (o.client, ob_test_wait_for_result (&result2), &error);
  g_assert_null (clusters);
  g_assert_error (error, OB_ERROR, OB_ERROR_TIMEOUT);
  ob_test_engine_teardown (&o, NULL);
}

static void
test_sandbox_cancel (void)
{
  Online o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) vms = NULL;

  online_open (&o, 0);
  ob_sandbox_inject_fault (o.sandbox, "GET", "/ovirt-engine/api/clusters", 0, 2000, 1);
  ob_client_list_vms_async (o.client, NULL, OB_LIST_NONE, NULL, NULL, NULL,
                            cancellable, ob_test_store_result, &result);
  g_cancellable_cancel (cancellable);
  vms = ob_client_list_vms_finish (o.client, ob_test_wait_for_result (&result), &error);
  g_assert_null (vms);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  ob_test_engine_teardown (&o, NULL);
}

static void
test_sandbox_add_vm (void)
{
  Online o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;
  g_autoptr(ObVm) on = NULL;
  g_autoptr(ObVm) off = NULL;
  g_autofree char *note_on = NULL;
  g_autofree char *note_off = NULL;
  ObVm *refused;
  guint64 before;

  online_open (&o, 0);
  ob_client_add_vm_async (o.client, "new-default", "Default", NULL, 4ull << 30,
                          OB_BALLOON_STATE_UNKNOWN, NULL, ob_test_store_result, &r1);
  on = ob_client_add_vm_finish (o.client, ob_test_wait_for_result (&r1), &note_on, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ob_vm_get_ballooning (on), ==, OB_BALLOON_STATE_ON);
  g_assert_cmpuint (ob_vm_get_memory (on), ==, 4ull << 30);
  g_assert_cmpstr (ob_vm_get_cluster_name (on), ==, "Default");
  g_assert_null (note_on);

  /* The cluster forbids it: off by default, and said so. */
  ob_client_add_vm_async (o.client, "new-legacy", "legacy-3-0", "Blank", 0,
                          OB_BALLOON_STATE_UNKNOWN, NULL, ob_test_store_result, &r2);
  off = ob_client_add_vm_finish (o.client, ob_test_wait_for_result (&r2), &note_off, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ob_vm_get_ballooning (off), ==, OB_BALLOON_STATE_OFF);
  g_assert_nonnull (note_off);
  g_assert_nonnull (strstr (note_off, "3.1"));

  /* Asking for it there is refused before anything is sent. */
  before = ob_sandbox_get_request_count (o.sandbox);
  ob_client_add_vm_async (o.client, "new-legacy-2", "legacy-3-0", NULL, 0,
                          OB_BALLOON_STATE_ON, NULL, ob_test_store_result, &r3);
  refused = ob_client_add_vm_finish (o.client, ob_test_wait_for_result (&r3), NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, OB_ERROR, OB_ERROR_REFUSED);
  /* Only the cluster list was read. */
  g_assert_cmpuint (ob_sandbox_get_request_count (o.sandbox), ==, before + 1);
  ob_test_engine_teardown (&o, NULL);
}

static void
test_sandbox_run_once (void)
{
  Online o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(ObVm) vm = NULL;
  g_autoptr(ObVm) after = NULL;
  g_autoptr(ObBalloonResult) r = NULL;
  ObBalloonResult *refused;
  ObBalloonState stored;

  online_open (&o, 0);
  vm = get_vm (o.client, "ci-runner-02", &error);
  g_assert_no_error (error);
  g_assert_true (ob_vm_is_down (vm));
  stored = ob_vm_get_ballooning (vm);

  ob_client_run_once_async (o.client, vm, stored != OB_BALLOON_STATE_ON, OB_RUN_ONCE_NONE,
                            NULL, ob_test_store_result, &result);
  r = ob_client_run_once_finish (o.client, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->outcome, ==, OB_CHANGE_APPLIED);
  after = get_vm (o.client, "ci-runner-02", &error);
  g_assert_false (ob_vm_is_down (after));
  /* The override is never stored. */
  g_assert_cmpint (ob_vm_get_ballooning (after), ==, stored);

  /* A running VM cannot be started once. */
  ob_client_run_once_async (o.client, after, TRUE, OB_RUN_ONCE_NONE, NULL, ob_test_store_result, &result2);
  refused = ob_client_run_once_finish (o.client, ob_test_wait_for_result (&result2), &error);
  g_assert_null (refused);
  g_assert_error (error, OB_ERROR, OB_ERROR_REFUSED);
  ob_test_engine_teardown (&o, NULL);
}

static ObVm *
reread (ObClient *client,
        ObVm     *vm)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) fresh = get_vm (client, ob_vm_get_id (vm), &error);

  g_assert_no_error (error);
  ob_vm_update_from (vm, fresh);
  return g_steal_pointer (&fresh);
}

/* The balloon of a Run Once run: known from the override this client
 * sent; read back, by another session, where the engine records what the
 * host got; forgotten once the VM is down. */
static void
test_sandbox_run_ballooning (void)
{
  Online o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) loaded = NULL;
  g_autoptr(GAsyncResult) stopped = NULL;
  g_autoptr(ObVm) vm = NULL;
  g_autoptr(ObVm) other = NULL;
  g_autoptr(ObVm) fresh = NULL;
  g_autoptr(ObBalloonResult) r = NULL;
  g_autoptr(ObConnection) connection2 = NULL;
  g_autoptr(ObClient) client2 = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *stop = NULL;
  ObBalloonState stored, wanted;

  online_open (&o, 0);
  vm = get_vm (o.client, "ci-runner-02", &error);
  g_assert_no_error (error);
  g_assert_true (ob_vm_is_down (vm));
  g_assert_false (ob_vm_get_run_once (vm));
  g_assert_false (ob_client_needs_run_ballooning (o.client, vm));
  stored = ob_vm_get_ballooning (vm);
  wanted = stored == OB_BALLOON_STATE_ON ? OB_BALLOON_STATE_OFF : OB_BALLOON_STATE_ON;

  ob_client_run_once_async (o.client, vm, wanted == OB_BALLOON_STATE_ON, OB_RUN_ONCE_NONE,
                            NULL, ob_test_store_result, &result);
  r = ob_client_run_once_finish (o.client, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (ob_vm_get_run_once (vm));
  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, stored);
  g_assert_cmpint (ob_vm_get_run_ballooning (vm), ==, wanted);
  g_assert_false (ob_client_needs_run_ballooning (o.client, vm));
  /* A refresh of the same run keeps it. */
  fresh = reread (o.client, vm);
  g_assert_cmpint (ob_vm_get_run_ballooning (fresh), ==, OB_BALLOON_STATE_UNKNOWN);
  g_assert_cmpint (ob_vm_get_run_ballooning (vm), ==, wanted);

  /* Another session did not send it: it asks the engine. */
  connection2 = ob_connection_new (ob_sandbox_get_base_url (o.sandbox), &error);
  g_assert_no_error (error);
  ob_connection_set_credentials (connection2, OB_TEST_DEMO_USER, OB_TEST_DEMO_PASSWORD);
  g_assert_true (ob_test_connection_open (connection2, &error));
  client2 = ob_client_new (connection2);
  other = get_vm (client2, "ci-runner-02", &error);
  g_assert_no_error (error);
  g_assert_true (ob_vm_get_run_once (other));
  g_assert_cmpint (ob_vm_get_run_ballooning (other), ==, OB_BALLOON_STATE_UNKNOWN);
  g_assert_true (ob_client_needs_run_ballooning (client2, other));
  ob_client_load_run_ballooning_async (client2, other, NULL, ob_test_store_result, &loaded);
  g_assert_true (ob_client_load_run_ballooning_finish (client2, ob_test_wait_for_result (&loaded), &error));
  g_assert_no_error (error);
  g_assert_cmpint (ob_vm_get_run_ballooning (other), ==, wanted);

  /* Stopped: no run, nothing to show; a start without Run Once has none. */
  stop = g_strdup_printf ("vms/%s/stop", ob_vm_get_id (vm));
  ob_connection_request_async (o.connection, "POST", stop, "{}", OB_REQUEST_NONE, NULL,
                               ob_test_store_result, &stopped);
  answer = ob_connection_request_finish (o.connection, ob_test_wait_for_result (&stopped), NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&fresh);
  fresh = reread (o.client, vm);
  g_assert_true (ob_vm_is_down (vm));
  g_assert_false (ob_vm_get_run_once (vm));
  g_assert_cmpint (ob_vm_get_run_ballooning (vm), ==, OB_BALLOON_STATE_UNKNOWN);
  ob_vm_set_status (vm, "up");
  ob_vm_set_run_once (vm, TRUE);
  g_assert_cmpint (ob_vm_get_run_ballooning (vm), ==, OB_BALLOON_STATE_UNKNOWN);

  ob_test_connection_close (connection2);
  ob_test_engine_teardown (&o, NULL);
}

static void
test_sandbox_bulk (void)
{
  Online o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) list_result = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) vms = NULL;
  g_autoptr(GPtrArray) results = NULL;
  ProgressLog progress = { 0 };
  guint i, skipped = 0, failed = 0;

  online_open (&o, 0);
  ob_client_list_vms_async (o.client, NULL, OB_LIST_ALL_CONTENT, NULL, NULL, NULL, NULL,
                            ob_test_store_result, &list_result);
  vms = ob_client_list_vms_finish (o.client, ob_test_wait_for_result (&list_result), &error);
  g_assert_no_error (error);

  ob_client_set_balloon_many_async (o.client, vms, TRUE, OB_SET_BALLOON_NONE,
                                    count_progress, &progress, NULL, NULL, ob_test_store_result, &result);
  results = ob_client_set_balloon_many_finish (o.client, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, vms->len);
  g_assert_cmpuint (progress.calls, ==, vms->len);
  g_assert_cmpuint (progress.done, ==, vms->len);
  for (i = 0; i < results->len; i++)
    {
      ObBalloonResult *r = g_ptr_array_index (results, i);

      g_assert_true (r->vm == g_ptr_array_index (vms, i));
      if (r->outcome == OB_CHANGE_SKIPPED)
        {
          skipped++;
          g_assert_false (ob_vm_get_balloon_allowed (r->vm));
          g_assert_error (r->error, OB_ERROR, OB_ERROR_REFUSED);
        }
      else if (r->outcome == OB_CHANGE_FAILED)
        failed++;
    }
  /* legacy-3-0 and power-3-4 VMs (and custom levels below 3.1). */
  g_assert_cmpuint (skipped, >=, 6);
  g_assert_cmpuint (failed, ==, 0);
  ob_test_engine_teardown (&o, NULL);
}

/* ---- a fake engine, for what the sandbox cannot show ---- */
static void
test_fake_sso_and_headers (void)
{
  ObFakeEngine *fake = ob_fake_engine_new (1);
  g_autoptr(ObConnection) connection = ob_fake_engine_connection (fake, "secret");
  g_autoptr(GError) error = NULL;

  g_assert_true (ob_test_connection_open (connection, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fake->accept_sso, ==, "application/json");
  g_assert_cmpstr (fake->user_agent, ==, OB_USER_AGENT);
  g_assert_cmpstr (ob_connection_get_auth_method (connection), ==, "sso");
  g_assert_false (ob_connection_honours_run_once_balloon (connection));
  ob_test_connection_close (connection);
  g_assert_true (ob_fake_engine_log_contains (fake, "LOGOUT"));
  g_clear_object (&connection);
  ob_fake_engine_free (fake);
}

static void
test_fake_basic_fallback (void)
{
  ObFakeEngine *fake = ob_fake_engine_new (1);
  g_autoptr(ObConnection) connection = NULL;
  g_autoptr(ObClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) vm = NULL;

  fake->sso_absent = TRUE;
  connection = ob_fake_engine_connection (fake, "secret");
  g_assert_true (ob_test_connection_open (connection, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ob_connection_get_auth_method (connection), ==, "basic");
  client = ob_client_new (connection);
  vm = get_vm (client, "vm00", &error);
  g_assert_no_error (error);
  g_clear_object (&client);
  g_clear_object (&connection);
  ob_fake_engine_free (fake);
}

static void
test_fake_relogin_once (void)
{
  ObFakeEngine *fake = ob_fake_engine_new (1);
  g_autoptr(ObConnection) connection = ob_fake_engine_connection (fake, "secret");
  g_autoptr(ObClient) client = ob_client_new (connection);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) vm = NULL;
  ObVm *none;
  guint serial;

  g_assert_true (ob_test_connection_open (connection, &error));
  serial = fake->token_serial;

  /* One 401: a new token, one retry, transparent. */
  fake->reject_next = 1;
  vm = get_vm (client, "vm00", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake->token_serial, ==, serial + 1);

  /* 401 again after the re-login: an authentication error, no loop. */
  fake->reject_next = 2;
  none = get_vm (client, "vm00", &error);
  g_assert_null (none);
  g_assert_error (error, OB_ERROR, OB_ERROR_AUTH);
  g_assert_cmpuint (fake->token_serial, ==, serial + 2);

  g_clear_object (&client);
  g_clear_object (&connection);
  ob_fake_engine_free (fake);
}

static void
test_fake_wrong_password (void)
{
  ObFakeEngine *fake = ob_fake_engine_new (1);
  g_autoptr(ObConnection) connection = ob_fake_engine_connection (fake, "wrong");
  g_autoptr(GError) error = NULL;

  g_assert_false (ob_test_connection_open (connection, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "The username or password is incorrect"));
  g_assert_nonnull (strstr (error->message, "access_denied"));
  g_clear_object (&connection);
  ob_fake_engine_free (fake);
}

static void
test_fake_not_ovirt (void)
{
  ObFakeEngine *fake = ob_fake_engine_new (0);
  g_autoptr(ObConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  fake->not_ovirt = TRUE;
  connection = ob_fake_engine_connection (fake, "secret");
  g_assert_false (ob_test_connection_open (connection, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_CONNECT);
  g_assert_nonnull (strstr (error->message, "oVirt"));
  g_clear_object (&connection);
  ob_fake_engine_free (fake);
}

static void
test_fake_wrong_path_404 (void)
{
  ObFakeEngine *fake = ob_fake_engine_new (0);
  g_autoptr(ObConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* SSO absent and nothing at the API path: a wrong URL. */
  fake->sso_absent = TRUE;
  url = g_strconcat (fake->root, "elsewhere/ovirt-engine/api", NULL);
  connection = ob_connection_new (url, &error);
  g_assert_no_error (error);
  ob_connection_set_credentials (connection, "admin@internal", "secret");
  g_assert_false (ob_test_connection_open (connection, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_CONNECT);
  g_assert_nonnull (strstr (error->message, "404"));
  g_clear_object (&connection);
  ob_fake_engine_free (fake);
}

static void
test_engine_down (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(ObConnection) connection = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  /* A port that was free a moment ago, and is closed now. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u/ovirt-engine/api", port);
  connection = ob_connection_new (url, &error);
  ob_connection_set_credentials (connection, "admin@internal", "secret");
  g_assert_false (ob_test_connection_open (connection, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_CONNECT);
  g_assert_cmpint (ob_error_exit_code (error), ==, OB_EXIT_CONNECT);
}

static void
test_fake_bad_bodies (void)
{
  ObFakeEngine *fake = ob_fake_engine_new (1);
  g_autoptr(ObConnection) connection = ob_fake_engine_connection (fake, "secret");
  g_autoptr(ObClient) client = ob_client_new (connection);
  g_autoptr(GError) error = NULL;
  static const struct { const char *type; const char *body; } cases[] = {
    { "application/json", "{\"vm\" : [ {\"id\" : \"x\"" },
    { "application/json", "[]" },
    { "application/json", "{\"vm\" : \"nope\"}" },
    { "text/html", "<html>Service Unavailable</html>" },
    { "application/xml", "<vms/>" },
  };
  guint i;

  g_assert_true (ob_test_connection_open (connection, &error));
  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      GPtrArray *vms;

      fake->vm_list_type = cases[i].type;
      fake->vm_list_body = cases[i].body;
      ob_client_list_vms_async (client, NULL, OB_LIST_NONE, NULL, NULL, NULL, NULL, ob_test_store_result, &result);
      vms = ob_client_list_vms_finish (client, ob_test_wait_for_result (&result), &error);
      g_assert_null (vms);
      g_assert_error (error, OB_ERROR, OB_ERROR_PROTOCOL);
      g_clear_error (&error);
    }
  g_clear_object (&client);
  g_clear_object (&connection);
  ob_fake_engine_free (fake);
}

static void
test_fake_dropped_connection (void)
{
  ObFakeEngine *fake = ob_fake_engine_new (1);
  g_autoptr(ObConnection) connection = ob_fake_engine_connection (fake, "secret");
  g_autoptr(ObClient) client = ob_client_new (connection);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GPtrArray *vms;

  g_assert_true (ob_test_connection_open (connection, &error));
  fake->drop_vm_list = TRUE;
  ob_client_list_vms_async (client, NULL, OB_LIST_NONE, NULL, NULL, NULL, NULL, ob_test_store_result, &result);
  vms = ob_client_list_vms_finish (client, ob_test_wait_for_result (&result), &error);
  g_assert_null (vms);
  g_assert_error (error, OB_ERROR, OB_ERROR_CONNECT);
  g_assert_nonnull (strstr (error->message, "lost"));
  g_clear_object (&client);
  g_clear_object (&connection);
  ob_fake_engine_free (fake);
}

static void
test_fake_bulk_in_flight (void)
{
  ObFakeEngine *fake = ob_fake_engine_new (20);
  g_autoptr(ObConnection) connection = ob_fake_engine_connection (fake, "secret");
  g_autoptr(ObClient) client = ob_client_new (connection);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) list_result = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) vms = NULL;
  g_autoptr(GPtrArray) results = NULL;
  guint i;

  g_assert_true (ob_test_connection_open (connection, &error));
  ob_client_list_vms_async (client, NULL, OB_LIST_NONE, NULL, NULL, NULL, NULL, ob_test_store_result, &list_result);
  vms = ob_client_list_vms_finish (client, ob_test_wait_for_result (&list_result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vms->len, ==, 20);

  fake->put_delay_ms = 100;
  ob_client_set_balloon_many_async (client, vms, TRUE, OB_SET_BALLOON_NONE, NULL, NULL, NULL,
                                    NULL, ob_test_store_result, &result);
  results = ob_client_set_balloon_many_finish (client, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  for (i = 0; i < results->len; i++)
    {
      ObBalloonResult *r = g_ptr_array_index (results, i);

      g_assert_cmpint (r->outcome, ==, OB_CHANGE_APPLIED);
      g_assert_true (((ObFakeVm *) g_ptr_array_index (fake->vms, i))->balloon);
    }
  /* Parallel, but never more than 8 at once. */
  g_assert_cmpuint (fake->max_in_flight, >, 1);
  g_assert_cmpuint (fake->max_in_flight, <=, OB_CLIENT_MAX_IN_FLIGHT);

  g_clear_object (&client);
  g_clear_object (&connection);
  ob_fake_engine_free (fake);
}

static void
test_fake_false_sent_explicitly (void)
{
  ObFakeEngine *fake = ob_fake_engine_new (1);
  g_autoptr(ObConnection) connection = ob_fake_engine_connection (fake, "secret");
  g_autoptr(ObClient) client = ob_client_new (connection);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) vm = NULL;
  g_autoptr(ObBalloonResult) r = NULL;

  ((ObFakeVm *) g_ptr_array_index (fake->vms, 0))->balloon = TRUE;
  g_assert_true (ob_test_connection_open (connection, &error));
  vm = get_vm (client, "vm00", &error);
  g_assert_no_error (error);
  r = set_balloon (client, vm, FALSE, OB_SET_BALLOON_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (ob_fake_engine_log_contains (fake, "PUT vms/000000a0-aaaa-bbbb-cccc-dddddddddddd {\"memory_policy\":{\"ballooning\":\"false\"}}"));
  g_assert_false (((ObFakeVm *) g_ptr_array_index (fake->vms, 0))->balloon);

  /* An update sends only the fields that differ, in one PUT. */
  {
    g_autoptr(ObBalloonResult) r2 = NULL;
    ObVmUpdate update = { OB_VM_FIELD_NAME | OB_VM_FIELD_MEMORY | OB_VM_FIELD_BALLOONING,
                          "vm00", NULL, G_GUINT64_CONSTANT (1073741824), TRUE };
    g_autoptr(GAsyncResult) result = NULL;
    guint puts = 0, i;

    ob_client_update_vm_async (client, vm, &update, OB_SET_BALLOON_NONE, NULL, ob_test_store_result, &result);
    r2 = ob_client_update_vm_finish (client, ob_test_wait_for_result (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpint (r2->outcome, ==, OB_CHANGE_APPLIED);
    for (i = 0; i < fake->log->len; i++)
      if (g_str_has_prefix (g_ptr_array_index (fake->log, i), "PUT "))
        puts++;
    g_assert_cmpuint (puts, ==, 2);
    g_assert_true (ob_fake_engine_log_contains (fake, "PUT vms/000000a0-aaaa-bbbb-cccc-dddddddddddd {\"memory_policy\":{\"ballooning\":\"true\"}}"));
  }
  g_clear_object (&client);
  g_clear_object (&connection);
  ob_fake_engine_free (fake);
}

static void
test_fake_relogin_shared (void)
{
  ObFakeEngine *fake = ob_fake_engine_new (20);
  g_autoptr(ObConnection) connection = ob_fake_engine_connection (fake, "secret");
  g_autoptr(ObClient) client = ob_client_new (connection);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) list_result = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) vms = NULL;
  g_autoptr(GPtrArray) results = NULL;
  guint serial, i;

  g_assert_true (ob_test_connection_open (connection, &error));
  ob_client_list_vms_async (client, NULL, OB_LIST_NONE, NULL, NULL, NULL, NULL, ob_test_store_result, &list_result);
  vms = ob_client_list_vms_finish (client, ob_test_wait_for_result (&list_result), &error);
  g_assert_no_error (error);

  /* The token expires while 8 calls are in flight: one login serves all. */
  serial = fake->token_serial;
  fake->oldest_valid_token = serial + 1;
  ob_client_set_balloon_many_async (client, vms, TRUE, OB_SET_BALLOON_NONE, NULL, NULL, NULL,
                                    NULL, ob_test_store_result, &result);
  results = ob_client_set_balloon_many_finish (client, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  for (i = 0; i < results->len; i++)
    g_assert_cmpint (((ObBalloonResult *) g_ptr_array_index (results, i))->outcome, ==, OB_CHANGE_APPLIED);
  g_assert_cmpuint (fake->token_serial, ==, serial + 1);

  g_clear_object (&client);
  g_clear_object (&connection);
  ob_fake_engine_free (fake);
}

static void
test_fake_list_without_balloon (void)
{
  ObFakeEngine *fake = ob_fake_engine_new (2);
  g_autoptr(ObConnection) connection = ob_fake_engine_connection (fake, "secret");
  g_autoptr(ObClient) client = ob_client_new (connection);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) list_result = NULL;
  g_autoptr(GPtrArray) vms = NULL;
  g_autoptr(ObBalloonResult) r = NULL;
  ObVm *vm;

  /* An engine before 4.4.6 leaves the balloon out of lists. */
  fake->list_without_balloon = TRUE;
  ((ObFakeVm *) g_ptr_array_index (fake->vms, 0))->balloon = TRUE;
  g_assert_true (ob_test_connection_open (connection, &error));
  ob_client_list_vms_async (client, NULL, OB_LIST_NONE, NULL, NULL, NULL, NULL, ob_test_store_result, &list_result);
  vms = ob_client_list_vms_finish (client, ob_test_wait_for_result (&list_result), &error);
  g_assert_no_error (error);
  vm = g_ptr_array_index (vms, 0);
  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_UNKNOWN);
  g_assert_cmpstr (ob_vm_get_cluster_version (vm), ==, "4.7");

  /* Setting it reads the single VM first, then knows and says the truth. */
  r = set_balloon (client, vm, TRUE, OB_SET_BALLOON_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->outcome, ==, OB_CHANGE_UNCHANGED);
  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_ON);

  g_clear_object (&client);
  g_clear_object (&connection);
  ob_fake_engine_free (fake);
}

static ObBalloonResult *
run_once (ObClient        *client,
          ObVm            *vm,
          gboolean         enable,
          ObRunOnceFlags   flags,
          GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_client_run_once_async (client, vm, enable, flags, NULL, ob_test_store_result, &result);
  return ob_client_run_once_finish (client, ob_test_wait_for_result (&result), error);
}

static void
test_fake_run_once_real_engine (void)
{
  ObFakeEngine *fake = ob_fake_engine_new (1);
  g_autoptr(ObConnection) connection = ob_fake_engine_connection (fake, "secret");
  g_autoptr(ObClient) client = ob_client_new (connection);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) vm = NULL;
  g_autoptr(ObBalloonResult) emulated = NULL;
  ObFakeVm *state = g_ptr_array_index (fake->vms, 0);
  ObBalloonResult *refused;
  guint logged;

  g_assert_true (ob_test_connection_open (connection, &error));
  vm = get_vm (client, "vm00", &error);
  g_assert_no_error (error);

  /* Nor does it say what a Run Once run got: nothing to ask. */
  ob_vm_set_status (vm, "up");
  ob_vm_set_run_once (vm, TRUE);
  g_assert_false (ob_client_needs_run_ballooning (client, vm));
  g_assert_cmpint (ob_vm_get_run_ballooning (vm), ==, OB_BALLOON_STATE_UNKNOWN);
  ob_vm_set_status (vm, "down");
  ob_vm_set_run_once (vm, FALSE);

  /* A real engine ignores the override: refuse, start nothing. */
  logged = fake->log->len;
  refused = run_once (client, vm, TRUE, OB_RUN_ONCE_NONE, &error);
  g_assert_null (refused);
  g_assert_error (error, OB_ERROR, OB_ERROR_REFUSED);
  /* The client speaks to the GUI too: no command-line option in it. */
  g_assert_null (strstr (error->message, "--emulate"));
  g_assert_nonnull (strstr (error->message, "Emulating the override"));
  g_clear_error (&error);
  g_assert_cmpstr (state->status, ==, "down");
  g_assert_false (ob_fake_engine_log_contains (fake, "/start"));
  g_assert_cmpuint (fake->log->len, ==, logged + 1);   /* only the re-read */

  /* The start fails: the original value comes back, and it is said. */
  fake->fail_start = TRUE;
  refused = run_once (client, vm, TRUE, OB_RUN_ONCE_EMULATE, &error);
  g_assert_null (refused);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "restored"));
  g_assert_nonnull (strstr (error->message, "no host"));
  g_clear_error (&error);
  g_assert_false (state->balloon);
  g_assert_cmpstr (state->status, ==, "down");

  g_assert_true (ob_fake_engine_log_contains (fake, "{\"memory_policy\":{\"ballooning\":\"false\"}}"));

  /* Emulation: set, start, original stored as the next-run config. */
  fake->fail_start = FALSE;
  logged = fake->log->len;
  emulated = run_once (client, vm, TRUE, OB_RUN_ONCE_EMULATE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (emulated->outcome, ==, OB_CHANGE_APPLIED);
  g_assert_true (state->balloon);
  g_assert_cmpstr (state->status, ==, "wait_for_launch");
  g_assert_true (state->next_run);
  g_assert_false (state->next_run_balloon);
  /* In that order: set for the run, start, store the original back. */
  {
    const char *id = state->id;
    g_autofree char *set = g_strdup_printf ("PUT vms/%s {\"memory_policy\":{\"ballooning\":\"true\"}}", id);
    g_autofree char *start = g_strdup_printf ("POST vms/%s/start {}", id);
    g_autofree char *back = g_strdup_printf ("PUT vms/%s?next_run=true {\"memory_policy\":{\"ballooning\":\"false\"}}", id);
    guint i, step = 0;

    for (i = logged; i < fake->log->len; i++)
      {
        const char *line = g_ptr_array_index (fake->log, i);

        if (step == 0 && strcmp (line, set) == 0)
          step = 1;
        else if (step == 1 && strcmp (line, start) == 0)
          step = 2;
        else if (step == 2 && strcmp (line, back) == 0)
          step = 3;
      }
    g_assert_cmpuint (step, ==, 3);
  }

  g_clear_object (&client);
  g_clear_object (&connection);
  ob_fake_engine_free (fake);
}

/* ---- TLS ---- */

static void
pki_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  g_autofree char *ca = g_test_build_filename (G_TEST_DIST, "data", "tls", "ca.pem", NULL);
  g_autofree char *pem = NULL;

  g_assert_true (g_file_get_contents (ca, &pem, NULL, NULL));
  g_assert_cmpstr (g_hash_table_lookup (query, "resource"), ==, "ca-certificate");
  g_assert_cmpstr (g_hash_table_lookup (query, "format"), ==, "X509-PEM-CA");
  ob_fake_engine_respond (msg, 200, "application/x-x509-ca-cert", pem);
}

static void
test_tls_body (void)
{
  ObFakeEngine *fake = ob_fake_engine_new_tls ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ObConnection) untrusted = NULL;
  g_autoptr(ObConnection) wrong_ca = NULL;
  g_autoptr(ObConnection) with_ca = NULL;
  g_autoptr(ObConnection) via_store = NULL;
  g_autoptr(ObConnection) insecure = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GTlsCertificate) fetched = NULL;
  g_autoptr(ObTrustStore) store = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *ca = g_test_build_filename (G_TEST_DIST, "data", "tls", "ca.pem", NULL);
  g_autofree char *other = g_test_build_filename (G_TEST_DIST, "data", "tls", "other-ca.pem", NULL);
  g_autofree char *dir = g_dir_make_tmp ("ob-tls-XXXXXX", NULL);

  soup_server_add_handler (fake->server, "/ovirt-engine/services/pki-resource", pki_handler, NULL, NULL);
  g_assert_true (g_str_has_prefix (fake->url, "https://"));

  /* Not trusted by default: refused, and the fingerprint is shown. */
  untrusted = ob_fake_engine_connection (fake, "secret");
  g_assert_false (ob_test_connection_open (untrusted, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_TLS_UNTRUSTED);
  g_assert_nonnull (strstr (error->message, "SHA-256"));
  g_assert_cmpint (ob_error_exit_code (error), ==, OB_EXIT_CONNECT);
  g_clear_error (&error);

  wrong_ca = ob_fake_engine_connection (fake, "secret");
  ob_connection_set_ca_file (wrong_ca, other);
  g_assert_false (ob_test_connection_open (wrong_ca, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_TLS_UNTRUSTED);
  g_clear_error (&error);

  with_ca = ob_fake_engine_connection (fake, "secret");
  ob_connection_set_ca_file (with_ca, ca);
  g_assert_true (ob_test_connection_open (with_ca, &error));
  g_assert_no_error (error);

  /* Trust on first use: fetch, show, trust explicitly, then it works. */
  store = ob_trust_store_new (dir);
  via_store = ob_fake_engine_connection (fake, "secret");
  ob_connection_set_trust_store (via_store, store);
  ob_connection_fetch_ca_async (via_store, NULL, ob_test_store_result, &result);
  fetched = ob_connection_fetch_ca_finish (via_store, ob_test_wait_for_result (&result), &fingerprint, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fingerprint, ==,
                   "91:8E:A2:1A:28:C3:CA:C5:5D:DE:02:B1:0F:D7:57:EF:6C:BB:FF:C1:DE:F7:BB:37:05:C2:3C:12:BF:71:23:42");
  /* Fetching alone trusts nothing. */
  g_assert_false (ob_test_connection_open (via_store, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_TLS_UNTRUSTED);
  g_clear_error (&error);
  g_assert_true (ob_trust_store_trust (store, ob_connection_get_engine_key (via_store), fetched,
                                       fingerprint, &error));
  g_assert_true (ob_test_connection_open (via_store, &error));
  g_assert_no_error (error);

  insecure = ob_fake_engine_connection (fake, "secret");
  ob_connection_set_insecure (insecure, TRUE);
  g_assert_true (ob_test_connection_open (insecure, &error));
  g_assert_no_error (error);

  g_assert_true (ob_trust_store_forget (store, ob_connection_get_engine_key (via_store), NULL));
  g_rmdir (dir);
  g_clear_object (&untrusted);
  g_clear_object (&wrong_ca);
  g_clear_object (&with_ca);
  g_clear_object (&via_store);
  g_clear_object (&insecure);
  ob_fake_engine_free (fake);
}

/* In-process TLS: see ob-test-subprocess.h. */
static ObSandbox *
sandbox_start (const char *first_property,
               ...)
{
  va_list args;
  ObSandbox *sandbox;

  va_start (args, first_property);
  sandbox = ob_test_sandbox_start_valist (first_property, args);
  va_end (args);
  return sandbox;
}

/* The wrong scheme is said at once, in both directions: https:// against
 * the plain-HTTP sandbox (which answers a ClientHello with 400, as web
 * servers do) and http:// against the TLS one. */
static void
test_wrong_scheme_body (void)
{
  g_autofree char *cert = g_test_build_filename (G_TEST_DIST, "data", "tls", "server.pem", NULL);
  g_autofree char *key = g_test_build_filename (G_TEST_DIST, "data", "tls", "server-key.pem", NULL);
  g_autoptr(ObSandbox) plain = sandbox_start ("seed", "demo", NULL);
  g_autoptr(ObSandbox) tls = sandbox_start ("seed", "demo", "tls-certificate", cert, "tls-key", key, NULL);
  g_autofree char *https_to_plain = g_strdup_printf ("https://127.0.0.1:%u/ovirt-engine/api",
                                                     ob_sandbox_get_port (plain));
  g_autofree char *http_to_tls = g_strdup_printf ("http://127.0.0.1:%u/ovirt-engine/api",
                                                  ob_sandbox_get_port (tls));
  const char *urls[] = { https_to_plain, http_to_tls };
  const char *hints[] = { "speaks http, not https", "speaks https, not http" };
  const char *fixes[] = { "Use http://127.0.0.1:", "Use https://127.0.0.1:" };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ObConnection) connection = ob_connection_new (urls[i], &error);
      gint64 t0 = g_get_monotonic_time ();

      g_assert_no_error (error);
      ob_connection_set_credentials (connection, OB_TEST_DEMO_USER, OB_TEST_DEMO_PASSWORD);
      g_assert_false (ob_test_connection_open (connection, &error));
      g_test_message ("%s", error->message);
      g_assert_error (error, OB_ERROR, OB_ERROR_CONNECT);
      g_assert_nonnull (strstr (error->message, hints[i]));
      g_assert_nonnull (strstr (error->message, fixes[i]));
      /* Well within the 30 s timeout. */
      g_assert_cmpint (g_get_monotonic_time () - t0, <, 10 * G_USEC_PER_SEC);
    }

  /* The right scheme is not affected. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ObConnection) connection = ob_connection_new (ob_sandbox_get_base_url (plain), &error);

    ob_connection_set_credentials (connection, OB_TEST_DEMO_USER, OB_TEST_DEMO_PASSWORD);
    g_assert_true (ob_test_connection_open (connection, &error));
    g_assert_no_error (error);
    ob_test_connection_close (connection);
  }
}

static void
test_wrong_scheme (void)
{
  ob_test_run_without_leak_check (test_wrong_scheme_body);
}

static void
test_tls (void)
{
  ob_test_run_without_leak_check (test_tls_body);
}

int
main (int    argc,
      char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/sandbox/open", test_sandbox_open);
  g_test_add_func ("/client/sandbox/wrong-password", test_sandbox_wrong_password);
  g_test_add_func ("/client/sandbox/list-paged", test_sandbox_list_paged);
  g_test_add_func ("/client/sandbox/list-pages-delivered", test_sandbox_list_pages_delivered);
  g_test_add_func ("/client/sandbox/list-big-pages", test_sandbox_list_big_pages);
  g_test_add_func ("/client/sandbox/get-vm", test_sandbox_get_vm);
  g_test_add_func ("/client/sandbox/policy-refusal-sends-nothing", test_sandbox_policy_refusal_sends_nothing);
  g_test_add_func ("/client/sandbox/set-down-and-running", test_sandbox_set_down_and_running);
  g_test_add_func ("/client/sandbox/update-vm", test_sandbox_update_vm);
  g_test_add_func ("/client/sandbox/conflict", test_sandbox_conflict);
  g_test_add_func ("/client/sandbox/deleted-between-list-and-update", test_sandbox_deleted_between_list_and_update);
  g_test_add_func ("/client/sandbox/token-expiry", test_sandbox_token_expiry);
  g_test_add_func ("/client/sandbox/faults", test_sandbox_faults);
  g_test_add_func ("/client/sandbox/cancel", test_sandbox_cancel);
  g_test_add_func ("/client/sandbox/add-vm", test_sandbox_add_vm);
  g_test_add_func ("/client/sandbox/run-once", test_sandbox_run_once);
  g_test_add_func ("/client/sandbox/run-ballooning", test_sandbox_run_ballooning);
  g_test_add_func ("/client/sandbox/bulk", test_sandbox_bulk);
  g_test_add_func ("/client/fake/sso-and-headers", test_fake_sso_and_headers);
  g_test_add_func ("/client/fake/basic-fallback", test_fake_basic_fallback);
  g_test_add_func ("/client/fake/relogin-once", test_fake_relogin_once);
  g_test_add_func ("/client/fake/relogin-shared", test_fake_relogin_shared);
  g_test_add_func ("/client/fake/list-without-balloon", test_fake_list_without_balloon);
  g_test_add_func ("/client/fake/wrong-password", test_fake_wrong_password);
  g_test_add_func ("/client/fake/not-ovirt", test_fake_not_ovirt);
  g_test_add_func ("/client/fake/wrong-path-404", test_fake_wrong_path_404);
  g_test_add_func ("/client/engine-down", test_engine_down);
  g_test_add_func ("/client/fake/bad-bodies", test_fake_bad_bodies);
  g_test_add_func ("/client/fake/dropped-connection", test_fake_dropped_connection);
  g_test_add_func ("/client/fake/bulk-in-flight", test_fake_bulk_in_flight);
  g_test_add_func ("/client/fake/false-sent-explicitly", test_fake_false_sent_explicitly);
  g_test_add_func ("/client/fake/run-once-real-engine", test_fake_run_once_real_engine);
  g_test_add_func ("/client/fake/tls", test_tls);
  g_test_add_func ("/client/sandbox/wrong-scheme", test_wrong_scheme);

  rc = g_test_run ();
  return rc;
}
