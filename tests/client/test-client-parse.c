/* test-client-parse.c: tolerant REST JSON parsing (real recorded responses
 * and their JSON equivalents), the models, URL forms and the trust store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "ob-connection.h"
#include "ob-error.h"
#include "ob-rest-json.h"
#include "ob-vm-json.h"
#include "ob-wire-boolean.h"
#include "ob-trust-store.h"

static JsonNode *
parse_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = ob_rest_json_parse_bytes (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static JsonNode *
parse_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "rest", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  JsonNode *node;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  node = ob_rest_json_parse_bytes (contents, len, &error);
  g_assert_no_error (error);
  return node;
}

static void
test_scalars (void)
{
  g_autoptr(JsonNode) node = parse_text ("{\"a\":\"true\",\"b\":false,\"c\":\"FALSE\",\"d\":\"maybe\","
                                         "\"e\":\"1073741824\",\"f\":1073741824,\"g\":\"-1\",\"h\":-5,"
                                         "\"i\":\"12x\",\"j\":null,\"k\":\"1\",\"l\":{}}");
  JsonObject *o = json_node_get_object (node);
  gboolean b = TRUE;
  guint64 u = 0;

  g_assert_true (ob_rest_json_get_boolean (o, "a", &b));
  g_assert_true (b);
  g_assert_true (ob_rest_json_get_boolean (o, "b", &b));
  g_assert_false (b);
  g_assert_true (ob_rest_json_get_boolean (o, "c", &b));
  g_assert_false (b);
  g_assert_true (ob_rest_json_get_boolean (o, "k", &b));
  g_assert_true (b);
  b = TRUE;
  g_assert_false (ob_rest_json_get_boolean (o, "d", &b));
  g_assert_false (ob_rest_json_get_boolean (o, "j", &b));
  g_assert_false (ob_rest_json_get_boolean (o, "missing", &b));
  g_assert_false (ob_rest_json_get_boolean (o, "l", &b));
  g_assert_false (ob_rest_json_get_boolean (NULL, "a", &b));
  g_assert_true (b);

  g_assert_true (ob_rest_json_get_uint64 (o, "e", &u));
  g_assert_cmpuint (u, ==, 1073741824);
  u = 0;
  g_assert_true (ob_rest_json_get_uint64 (o, "f", &u));
  g_assert_cmpuint (u, ==, 1073741824);
  g_assert_false (ob_rest_json_get_uint64 (o, "g", &u));
  g_assert_false (ob_rest_json_get_uint64 (o, "h", &u));
  g_assert_false (ob_rest_json_get_uint64 (o, "i", &u));
  g_assert_false (ob_rest_json_get_uint64 (o, "a", &u));
  g_assert_null (ob_rest_json_get_string (o, "f"));
  g_assert_cmpstr (ob_rest_json_get_string (o, "a"), ==, "true");
}

static void
test_recorded_vm (void)
{
  /* Engine 4.2, single GET: ballooning present. */
  g_autoptr(JsonNode) node = parse_fixture ("manageiq_vm_get_engine4.2.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) vm = ob_vm_json_parse_vm (node, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (ob_vm_get_id (vm), ==, "0d37ca3b-cdbc-4b78-b0b9-7cd71ddc7e35");
  g_assert_cmpstr (ob_vm_get_name (vm), ==, "my-cirros-vm");
  g_assert_cmpstr (ob_vm_get_status (vm), ==, "up");
  g_assert_cmpuint (ob_vm_get_memory (vm), ==, 1073741824);
  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_ON);
  g_assert_true (ob_vm_get_next_run_configuration_exists (vm));
  g_assert_cmpstr (ob_vm_get_cluster_id (vm), ==, "5a55d518-00c7-00ef-015b-000000000055");
  g_assert_null (ob_vm_get_cluster_version (vm));
  g_assert_null (ob_vm_get_custom_compatibility_version (vm));
  /* The level is unknown until the cluster is attached. */
  g_assert_cmpint (ob_vm_get_balloon_verdict (vm), ==, OB_BALLOON_LEVEL_UNKNOWN);

  {
    g_autoptr(JsonNode) cnode = parse_fixture ("manageiq_cluster_get_engine4.2.json");
    g_autoptr(ObCluster) cluster = ob_vm_json_parse_cluster (cnode, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (ob_cluster_get_id (cluster), ==, ob_vm_get_cluster_id (vm));
    g_assert_cmpstr (ob_cluster_get_version (cluster), ==, "4.2");
    g_assert_cmpstr (ob_cluster_get_cpu_arch (cluster), ==, "x86_64");
    ob_vm_set_cluster (vm, cluster);
    g_assert_cmpstr (ob_vm_get_cluster_version (vm), ==, "4.2");
    g_assert_cmpstr (ob_vm_get_cluster_name (vm), ==, ob_cluster_get_name (cluster));
    g_assert_cmpint (ob_vm_get_balloon_verdict (vm), ==, OB_BALLOON_ALLOWED);
  }
}

static void
test_recorded_vm_list (void)
{
  /* Engine 4.3 list without All-Content: no ballooning means unknown. */
  g_autoptr(JsonNode) node = parse_fixture ("manageiq_vms_list_engine4.3.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vms = ob_vm_json_parse_vms (node, &error);
  ObVm *vm;

  g_assert_no_error (error);
  g_assert_cmpuint (vms->len, ==, 2);
  vm = g_ptr_array_index (vms, 0);
  g_assert_cmpstr (ob_vm_get_name (vm), ==, "vm_off");
  g_assert_cmpstr (ob_vm_get_status (vm), ==, "down");
  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_UNKNOWN);
  g_assert_cmpuint (ob_vm_get_memory (vm), ==, 1073741824);
  vm = g_ptr_array_index (vms, 1);
  g_assert_cmpstr (ob_vm_get_status (vm), ==, "up");
  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_UNKNOWN);
  g_assert_cmpuint (ob_vm_get_memory (vm), ==, 2147483648u);
  g_assert_false (ob_vm_get_next_run_configuration_exists (vm));
}

static void
test_recorded_clusters (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse_fixture ("manageiq_clusters_list_engine4.3.json");
  g_autoptr(GPtrArray) clusters = ob_vm_json_parse_clusters (node, &error);
  g_autoptr(JsonNode) doc = parse_fixture ("api-model_cluster_list_example.json");
  g_autoptr(GPtrArray) doc_clusters = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (clusters->len, ==, 3);
  g_assert_cmpstr (ob_cluster_get_version (g_ptr_array_index (clusters, 0)), ==, "4.2");
  g_assert_cmpstr (ob_cluster_get_version (g_ptr_array_index (clusters, 1)), ==, "4.2");
  g_assert_cmpstr (ob_cluster_get_version (g_ptr_array_index (clusters, 2)), ==, "4.3");
  g_assert_cmpstr (ob_cluster_get_cpu_arch (g_ptr_array_index (clusters, 2)), ==, "x86_64");
  g_assert_true (ob_cluster_get_balloon_allowed (g_ptr_array_index (clusters, 2)));

  doc_clusters = ob_vm_json_parse_clusters (doc, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (doc_clusters->len, ==, 1);
  g_assert_cmpstr (ob_cluster_get_name (g_ptr_array_index (doc_clusters, 0)), ==, "Default");
  g_assert_cmpstr (ob_cluster_get_version (g_ptr_array_index (doc_clusters, 0)), ==, "4.1");
}

static void
test_empty_collections (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) nics = parse_fixture ("manageiq_empty_collection_nics.json");
  g_autoptr(JsonArray) array = ob_rest_json_get_collection (nics, "nic", &error);
  g_autoptr(JsonNode) empty = parse_text ("{ }");
  g_autoptr(GPtrArray) vms = NULL;
  g_autoptr(GPtrArray) templates = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (array), ==, 0);
  vms = ob_vm_json_parse_vms (empty, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vms->len, ==, 0);
  templates = ob_vm_json_parse_templates (empty, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (templates->len, ==, 0);
}

static void
test_native_types (void)
{
  /* The documentation's simplified form: native numbers and booleans. */
  g_autoptr(JsonNode) node =
    parse_text ("{\"id\":\"v1\",\"name\":\"n\",\"memory\":2147483648,\"status\":\"down\","
                "\"memory_policy\":{\"ballooning\":false},\"next_run_configuration_exists\":true,"
                "\"custom_compatibility_version\":{\"major\":3,\"minor\":0},"
                "\"cluster\":{\"id\":\"c1\",\"name\":\"Old\",\"version\":{\"major\":\"4\",\"minor\":\"7\"},"
                "\"cpu\":{\"architecture\":\"ppc64\"}}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) vm = ob_vm_json_parse_vm (node, &error);
  g_autofree char *reason = NULL;
  ObLevel level;

  g_assert_no_error (error);
  g_assert_cmpuint (ob_vm_get_memory (vm), ==, 2147483648u);
  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_OFF);
  g_assert_true (ob_vm_get_next_run_configuration_exists (vm));
  g_assert_cmpstr (ob_vm_get_custom_compatibility_version (vm), ==, "3.0");
  /* Followed cluster reference: details come with it. */
  g_assert_cmpstr (ob_vm_get_cluster_name (vm), ==, "Old");
  g_assert_cmpstr (ob_vm_get_cluster_version (vm), ==, "4.7");
  g_assert_cmpstr (ob_vm_get_cpu_arch (vm), ==, "ppc64");
  /* The custom level overrides the cluster's. */
  level = ob_vm_get_effective_level (vm);
  g_assert_true (level.known);
  g_assert_cmpuint (level.version.major, ==, 3);
  g_assert_cmpuint (level.version.minor, ==, 0);
  g_assert_cmpint (ob_vm_get_balloon_verdict (vm), ==, OB_BALLOON_LEVEL_TOO_LOW);
  g_assert_false (ob_vm_get_balloon_allowed (vm));
  reason = ob_vm_dup_balloon_reason (vm);
  g_assert_nonnull (strstr (reason, "3.0"));
}

static void
test_malformed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) no_id = parse_text ("{\"vm\":[{\"name\":\"x\"}]}");
  g_autoptr(JsonNode) not_list = parse_text ("{\"vm\":{\"id\":\"x\"}}");
  g_autoptr(JsonNode) array = parse_text ("[1,2]");
  g_autoptr(JsonNode) fault = parse_text ("{\"reason\":\"Operation Failed\",\"detail\":\"[x]\"}");
  GPtrArray *vms;
  JsonNode *node;

  node = ob_rest_json_parse_bytes ("{\"vm\": [", 8, &error);
  g_assert_null (node);
  g_assert_error (error, OB_ERROR, OB_ERROR_PROTOCOL);
  g_clear_error (&error);

  node = ob_rest_json_parse_bytes ("<html>Not here</html>", 21, &error);
  g_assert_null (node);
  g_assert_error (error, OB_ERROR, OB_ERROR_PROTOCOL);
  g_clear_error (&error);

  node = ob_rest_json_parse_bytes ("", 0, &error);
  g_assert_null (node);
  g_assert_error (error, OB_ERROR, OB_ERROR_PROTOCOL);
  g_clear_error (&error);

  vms = ob_vm_json_parse_vms (no_id, &error);
  g_assert_null (vms);
  g_assert_error (error, OB_ERROR, OB_ERROR_PROTOCOL);
  g_clear_error (&error);

  vms = ob_vm_json_parse_vms (not_list, &error);
  g_assert_null (vms);
  g_assert_error (error, OB_ERROR, OB_ERROR_PROTOCOL);
  g_clear_error (&error);

  vms = ob_vm_json_parse_vms (array, &error);
  g_assert_null (vms);
  g_assert_error (error, OB_ERROR, OB_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* A fault is not an empty collection. */
  vms = ob_vm_json_parse_vms (fault, &error);
  g_assert_null (vms);
  g_assert_error (error, OB_ERROR, OB_ERROR_PROTOCOL);
}

static void
test_faults (void)
{
  g_autoptr(JsonNode) plain = parse_text ("{\"reason\":\"Operation Failed\",\"detail\":\"[Cannot edit VM.]\"}");
  g_autoptr(JsonNode) action = parse_text ("{\"status\":\"failed\",\"fault\":{\"reason\":\"Conflict\",\"detail\":\"d\"}}");
  g_autoptr(JsonNode) none = parse_text ("{\"id\":\"x\"}");
  g_autofree char *reason = NULL;
  g_autofree char *detail = NULL;

  g_assert_true (ob_rest_json_parse_fault (plain, &reason, &detail));
  g_assert_cmpstr (reason, ==, "Operation Failed");
  g_assert_cmpstr (detail, ==, "[Cannot edit VM.]");
  g_clear_pointer (&reason, g_free);
  g_clear_pointer (&detail, g_free);
  g_assert_true (ob_rest_json_parse_fault (action, &reason, &detail));
  g_assert_cmpstr (reason, ==, "Conflict");
  g_clear_pointer (&reason, g_free);
  g_clear_pointer (&detail, g_free);
  g_assert_false (ob_rest_json_parse_fault (none, &reason, &detail));
  g_assert_null (reason);
}

static void
test_sso_shapes (void)
{
  g_autoptr(JsonNode) ok = parse_text ("{\"access_token\":\"abc\",\"scope\":\"ovirt-app-api\",\"exp\":\"1700000000000\",\"token_type\":\"bearer\"}");
  g_autoptr(JsonNode) app = parse_text ("{\"error\":\"Cannot authenticate user 'admin@internal': The username or password is incorrect..\",\"error_code\":\"access_denied\"}");
  g_autoptr(JsonNode) other = parse_text ("{\"error\":\"invalid_grant\",\"error_description\":\"The provided authorization grant for the username and password has expired.\"}");
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  char *none;

  token = ob_rest_json_parse_sso_token (ok, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "abc");

  none = ob_rest_json_parse_sso_token (app, &error);
  g_assert_null (none);
  g_assert_error (error, OB_ERROR, OB_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "The username or password is incorrect"));
  g_assert_nonnull (strstr (error->message, "access_denied"));
  g_clear_error (&error);

  none = ob_rest_json_parse_sso_token (other, &error);
  g_assert_null (none);
  g_assert_error (error, OB_ERROR, OB_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "has expired"));
  g_assert_nonnull (strstr (error->message, "invalid_grant"));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              GHashTable *seen)
{
  g_hash_table_add (seen, (gpointer) g_intern_string (pspec->name));
}

static void
test_update_in_place (void)
{
  g_autoptr(ObVm) row = ob_vm_new ("id1", "a");
  g_autoptr(ObVm) newer = ob_vm_new ("id1", "b");
  g_autoptr(ObCluster) cluster = ob_cluster_new ("c1", "Old");
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean allowed = TRUE;
  ObBalloonState state = OB_BALLOON_STATE_UNKNOWN;

  ob_cluster_set_version (cluster, "4.7");
  ob_vm_set_cluster (row, cluster);
  ob_vm_set_ballooning (row, OB_BALLOON_STATE_ON);
  ob_vm_set_status (row, "down");

  /* A list row (no ballooning) must not erase the known value, and the
   * cluster details stay when the cluster is the same. */
  ob_vm_set_cluster_id (newer, "c1");
  ob_vm_set_status (newer, "up");
  ob_vm_set_next_run_configuration_exists (newer, TRUE);
  g_signal_connect (row, "notify", G_CALLBACK (count_notify), seen);
  ob_vm_update_from (row, newer);

  g_assert_cmpstr (ob_vm_get_name (row), ==, "b");
  g_assert_cmpint (ob_vm_get_ballooning (row), ==, OB_BALLOON_STATE_ON);
  g_assert_cmpstr (ob_vm_get_cluster_version (row), ==, "4.7");
  g_assert_true (g_hash_table_contains (seen, "name"));
  g_assert_true (g_hash_table_contains (seen, "status"));
  g_assert_true (g_hash_table_contains (seen, "next-run-configuration-exists"));
  g_assert_false (g_hash_table_contains (seen, "ballooning"));
  g_assert_false (g_hash_table_contains (seen, "cluster-version"));

  /* A custom level below 3.1 flips the verdict, with notifications. */
  g_hash_table_remove_all (seen);
  ob_vm_set_custom_compatibility_version (newer, "3.0");
  ob_vm_set_ballooning (newer, OB_BALLOON_STATE_OFF);
  ob_vm_update_from (row, newer);
  g_assert_true (g_hash_table_contains (seen, "ballooning"));
  g_assert_true (g_hash_table_contains (seen, "effective-level"));
  g_assert_true (g_hash_table_contains (seen, "balloon-allowed"));
  g_object_get (row, "balloon-allowed", &allowed, "ballooning", &state, NULL);
  g_assert_false (allowed);
  g_assert_cmpint (state, ==, OB_BALLOON_STATE_OFF);

  /* ppc64 below 3.5. */
  {
    g_autoptr(ObCluster) ppc = ob_cluster_new ("c2", "Power");
    g_autoptr(ObVm) vm = ob_vm_new ("id2", "p");

    ob_cluster_set_version (ppc, "3.4");
    ob_cluster_set_cpu_arch (ppc, "ppc64");
    g_assert_cmpint (ob_cluster_get_balloon_verdict (ppc), ==, OB_BALLOON_ARCH_UNSUPPORTED);
    ob_vm_set_cluster (vm, ppc);
    g_assert_cmpint (ob_vm_get_balloon_verdict (vm), ==, OB_BALLOON_ARCH_UNSUPPORTED);
    ob_cluster_set_version (ppc, "3.5");
    g_assert_true (ob_cluster_get_balloon_allowed (ppc));
  }
}

/* "balloon-allowed" follows both the level and the architecture, and is
 * notified only when it moves. */
static void
test_cluster_notify (void)
{
  g_autoptr(ObCluster) cluster = ob_cluster_new ("c1", "Power");
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  ob_cluster_set_version (cluster, "3.4");
  g_signal_connect (cluster, "notify", G_CALLBACK (count_notify), seen);

  ob_cluster_set_cpu_arch (cluster, "ppc64");
  g_assert_true (g_hash_table_contains (seen, "cpu-arch"));
  g_assert_true (g_hash_table_contains (seen, "balloon-allowed"));
  g_assert_false (ob_cluster_get_balloon_allowed (cluster));

  g_hash_table_remove_all (seen);
  ob_cluster_set_cpu_arch (cluster, "ppc64");
  g_assert_cmpuint (g_hash_table_size (seen), ==, 0);

  ob_cluster_set_version (cluster, "3.3");
  g_assert_true (g_hash_table_contains (seen, "version"));
  g_assert_false (g_hash_table_contains (seen, "balloon-allowed"));

  g_hash_table_remove_all (seen);
  ob_cluster_set_version (cluster, "3.5");
  g_assert_true (g_hash_table_contains (seen, "version"));
  g_assert_true (g_hash_table_contains (seen, "balloon-allowed"));
  g_assert_true (ob_cluster_get_balloon_allowed (cluster));

  g_hash_table_remove_all (seen);
  ob_cluster_set_cpu_arch (cluster, "x86_64");
  g_assert_true (g_hash_table_contains (seen, "cpu-arch"));
  g_assert_false (g_hash_table_contains (seen, "balloon-allowed"));
}

/* "balloon-reason" is notified when its text changes, not on every level
 * change. */
static void
test_vm_reason_notify (void)
{
  g_autoptr(ObVm) vm = ob_vm_new ("id1", "a");
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *reason = NULL;

  ob_vm_set_custom_compatibility_version (vm, "4.2");
  g_signal_connect (vm, "notify", G_CALLBACK (count_notify), seen);

  /* Another allowed level: the effective level moves, the (absent) reason
   * does not. */
  ob_vm_set_custom_compatibility_version (vm, "4.3");
  g_assert_true (g_hash_table_contains (seen, "effective-level"));
  g_assert_false (g_hash_table_contains (seen, "balloon-reason"));

  g_hash_table_remove_all (seen);
  ob_vm_set_custom_compatibility_version (vm, "3.0");
  g_assert_true (g_hash_table_contains (seen, "balloon-reason"));
  reason = ob_vm_dup_balloon_reason (vm);
  g_assert_nonnull (strstr (reason, "3.0"));

  /* Still refused, but the text names the new level. */
  g_hash_table_remove_all (seen);
  ob_vm_set_custom_compatibility_version (vm, "2.9");
  g_assert_true (g_hash_table_contains (seen, "balloon-reason"));
  g_assert_false (g_hash_table_contains (seen, "balloon-allowed"));

  g_hash_table_remove_all (seen);
  ob_vm_set_custom_compatibility_version (vm, "4.7");
  g_assert_true (g_hash_table_contains (seen, "balloon-reason"));
  g_assert_null (ob_vm_dup_balloon_reason (vm));
}

static void
test_urls (void)
{
  static const struct { const char *in; const char *out; } ok[] = {
    { "engine.example.com", "https://engine.example.com/ovirt-engine/api" },
    { "https://engine.example.com", "https://engine.example.com/ovirt-engine/api" },
    { "https://engine.example.com/", "https://engine.example.com/ovirt-engine/api" },
    { "https://engine.example.com/ovirt-engine", "https://engine.example.com/ovirt-engine/api" },
    { "https://engine.example.com/ovirt-engine/api", "https://engine.example.com/ovirt-engine/api" },
    { "https://engine.example.com/ovirt-engine/api/", "https://engine.example.com/ovirt-engine/api" },
    { "https://engine.example.com/ovirt-engine/api/v4", "https://engine.example.com/ovirt-engine/api" },
    { "engine.example.com:8443", "https://engine.example.com:8443/ovirt-engine/api" },
    { "  HTTP://127.0.0.1:8080/ovirt-engine/api ", "http://127.0.0.1:8080/ovirt-engine/api" },
    { "https://proxy.example.com/prefix/ovirt-engine/api", "https://proxy.example.com/prefix/ovirt-engine/api" },
  };
  static const char *bad[] = {
    "", "   ", "ftp://engine", "https://", "https://admin:secret@engine/ovirt-engine/api",
    "https://engine/other/path", "https://engine/ovirt-engine/api?x=1",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = ob_connection_normalize_url (ok[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, ok[i].out);
    }
  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = ob_connection_normalize_url (bad[i], &error);

      g_assert_null (url);
      g_assert_error (error, OB_ERROR, OB_ERROR_USAGE);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ObConnection) connection = ob_connection_new ("engine.example.com", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (ob_connection_get_engine_key (connection), ==, "engine.example.com:443");
    g_assert_cmpuint (ob_connection_get_timeout (connection), ==, 30);
    g_assert_false (ob_connection_get_insecure (connection));
  }
}

static void
test_trust_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ob-trust-XXXXXX", &error);
  g_autofree char *ca_path = g_test_build_filename (G_TEST_DIST, "data", "tls", "ca.pem", NULL);
  g_autofree char *other_path = g_test_build_filename (G_TEST_DIST, "data", "tls", "other-ca.pem", NULL);
  g_autoptr(GTlsCertificate) ca = g_tls_certificate_new_from_file (ca_path, &error);
  g_autoptr(GTlsCertificate) other = g_tls_certificate_new_from_file (other_path, &error);
  g_autoptr(ObTrustStore) store = NULL;
  g_autoptr(GTlsCertificate) found = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *other_fp = NULL;
  g_autoptr(GDir) listing = NULL;

  g_assert_no_error (error);
  store = ob_trust_store_new (dir);
  fingerprint = ob_tls_certificate_fingerprint (ca);
  /* Same value as `openssl x509 -noout -fingerprint -sha256 -in ca.pem`. */
  g_assert_cmpstr (fingerprint, ==,
                   "91:8E:A2:1A:28:C3:CA:C5:5D:DE:02:B1:0F:D7:57:EF:6C:BB:FF:C1:DE:F7:BB:37:05:C2:3C:12:BF:71:23:42");

  g_assert_null (ob_trust_store_lookup (store, "engine:443", &error));
  g_assert_no_error (error);

  /* Never silent: the wrong fingerprint, or none, stores nothing. */
  other_fp = ob_tls_certificate_fingerprint (other);
  g_assert_false (ob_trust_store_trust (store, "engine:443", ca, other_fp, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_false (ob_trust_store_trust (store, "engine:443", ca, NULL, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_null (ob_trust_store_lookup (store, "engine:443", &error));
  g_assert_no_error (error);

  lower = g_ascii_strdown (fingerprint, -1);
  g_assert_true (ob_trust_store_trust (store, "engine:443", ca, lower, &error));
  g_assert_no_error (error);
  found = ob_trust_store_lookup (store, "engine:443", &error);
  g_assert_no_error (error);
  g_assert_true (g_tls_certificate_is_same (found, ca));
  g_assert_null (ob_trust_store_lookup (store, "engine:8443", &error));

  /* A crafted name cannot leave the directory. */
  g_assert_true (ob_trust_store_trust (store, "../../evil:1", ca, fingerprint, &error));
  g_assert_no_error (error);
  listing = g_dir_open (dir, 0, &error);
  {
    const char *name;
    guint count = 0;

    while ((name = g_dir_read_name (listing)) != NULL)
      {
        g_assert_null (strchr (name, '/'));
        count++;
      }
    g_assert_cmpuint (count, ==, 2);
  }

  g_assert_true (ob_trust_store_forget (store, "engine:443", &error));
  g_assert_true (ob_trust_store_forget (store, "../../evil:1", &error));
  g_assert_true (ob_trust_store_forget (store, "never:1", &error));
  g_assert_no_error (error);
  g_assert_null (ob_trust_store_lookup (store, "engine:443", &error));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Every body the client sends is written by ob-vm-json, in the engine's
 * style: booleans and numbers as strings, false included. */
static void
test_write_bodies (void)
{
  ObVmUpdate update = {
    .fields = OB_VM_FIELD_NAME | OB_VM_FIELD_MEMORY | OB_VM_FIELD_BALLOONING,
    .name = "web-1",
    .description = "ignored: not in fields",
    .memory = 2147483648u,
    .ballooning = FALSE,
  };
  g_autofree char *put = ob_vm_json_write_update (&update);
  g_autofree char *post = NULL;
  g_autofree char *post_by_id = NULL;
  g_autofree char *balloon = ob_vm_json_write_ballooning (FALSE);
  g_autofree char *start = ob_vm_json_write_start (TRUE, TRUE, TRUE);
  g_autofree char *start_plain = ob_vm_json_write_start (FALSE, FALSE, TRUE);

  g_assert_cmpstr (put, ==,
                   "{\"name\":\"web-1\",\"memory\":\"2147483648\",\"memory_policy\":{\"ballooning\":\"false\"}}");
  update.fields = OB_VM_FIELD_NAME | OB_VM_FIELD_BALLOONING;
  update.ballooning = TRUE;
  post = ob_vm_json_write_new_vm (&update, "c1", "Blank");
  g_assert_cmpstr (post, ==,
                   "{\"name\":\"web-1\",\"cluster\":{\"id\":\"c1\"},\"template\":{\"name\":\"Blank\"},"
                   "\"memory_policy\":{\"ballooning\":\"true\"}}");
  post_by_id = ob_vm_json_write_new_vm (&update, "c1", "00000000-0000-0000-0000-000000000000");
  g_assert_nonnull (strstr (post_by_id, "\"template\":{\"id\":\"00000000-0000-0000-0000-000000000000\"}"));
  g_assert_cmpstr (balloon, ==, "{\"memory_policy\":{\"ballooning\":\"false\"}}");
  g_assert_cmpstr (start, ==, "{\"volatile\":\"true\",\"vm\":{\"memory_policy\":{\"ballooning\":\"true\"}}}");
  g_assert_cmpstr (start_plain, ==, "{}");
}

/* One rule for the engine's booleans, as its BooleanParser. */
static void
test_wire_boolean (void)
{
  gboolean value = FALSE;

  g_assert_true (ob_wire_boolean_parse ("TRUE", &value) && value);
  g_assert_true (ob_wire_boolean_parse ("0", &value) && !value);
  g_assert_true (ob_wire_boolean_parse ("1", &value) && value);
  g_assert_true (ob_wire_boolean_parse ("False", &value) && !value);
  value = TRUE;
  g_assert_false (ob_wire_boolean_parse ("yes", &value));
  g_assert_false (ob_wire_boolean_parse ("", &value));
  g_assert_false (ob_wire_boolean_parse (NULL, &value));
  g_assert_true (value);
  g_assert_cmpstr (ob_wire_boolean_to_string (FALSE), ==, "false");
}

static void
count_one (guint *n)
{
  (*n)++;
}

/* What waits for the next run is kept through a list refresh that does
 * not carry it, and forgotten once the waiting configuration is gone or
 * the running value changed. */
static void
test_vm_next_run_ballooning (void)
{
  g_autoptr(ObVm) row = ob_vm_new ("id-1", "web-01");
  g_autoptr(ObVm) same = ob_vm_new ("id-1", "web-01");
  g_autoptr(ObVm) flipped = ob_vm_new ("id-1", "web-01");
  g_autoptr(ObVm) gone = ob_vm_new ("id-1", "web-01");
  guint notified = 0;

  ob_vm_set_status (row, "up");
  ob_vm_set_ballooning (row, OB_BALLOON_STATE_ON);
  g_assert_cmpint (ob_vm_get_next_run_ballooning (row), ==, OB_BALLOON_STATE_UNKNOWN);
  ob_vm_set_next_run_configuration_exists (row, TRUE);
  g_signal_connect_swapped (row, "notify::next-run-ballooning", G_CALLBACK (count_one), &notified);
  ob_vm_set_next_run_ballooning (row, OB_BALLOON_STATE_OFF);
  g_assert_cmpint (notified, ==, 1);
  g_assert_cmpint (ob_vm_get_next_run_ballooning (row), ==, OB_BALLOON_STATE_OFF);

  /* A list row: same running value, a configuration still waits. */
  ob_vm_set_status (same, "up");
  ob_vm_set_next_run_configuration_exists (same, TRUE);
  ob_vm_update_from (row, same);
  g_assert_cmpint (ob_vm_get_next_run_ballooning (row), ==, OB_BALLOON_STATE_OFF);

  /* The running value changed: what waits must be read again. */
  ob_vm_set_status (flipped, "up");
  ob_vm_set_ballooning (flipped, OB_BALLOON_STATE_OFF);
  ob_vm_set_next_run_configuration_exists (flipped, TRUE);
  ob_vm_update_from (row, flipped);
  g_assert_cmpint (ob_vm_get_next_run_ballooning (row), ==, OB_BALLOON_STATE_UNKNOWN);
  g_assert_cmpint (notified, ==, 2);

  /* Nothing waits any more. */
  ob_vm_set_next_run_ballooning (row, OB_BALLOON_STATE_ON);
  ob_vm_set_status (gone, "up");
  ob_vm_update_from (row, gone);
  g_assert_cmpint (ob_vm_get_next_run_ballooning (row), ==, OB_BALLOON_STATE_UNKNOWN);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/json/scalars", test_scalars);
  g_test_add_func ("/client/json/recorded-vm", test_recorded_vm);
  g_test_add_func ("/client/json/recorded-vm-list", test_recorded_vm_list);
  g_test_add_func ("/client/json/recorded-clusters", test_recorded_clusters);
  g_test_add_func ("/client/json/empty-collections", test_empty_collections);
  g_test_add_func ("/client/json/native-types", test_native_types);
  g_test_add_func ("/client/json/malformed", test_malformed);
  g_test_add_func ("/client/json/faults", test_faults);
  g_test_add_func ("/client/json/sso", test_sso_shapes);
  g_test_add_func ("/client/json/write-bodies", test_write_bodies);
  g_test_add_func ("/client/json/wire-boolean", test_wire_boolean);
  g_test_add_func ("/client/model/update-in-place", test_update_in_place);
  g_test_add_func ("/client/model/cluster-notify", test_cluster_notify);
  g_test_add_func ("/client/model/vm-reason-notify", test_vm_reason_notify);
  g_test_add_func ("/client/model/vm-next-run-ballooning", test_vm_next_run_ballooning);
  g_test_add_func ("/client/connection/urls", test_urls);
  g_test_add_func ("/client/trust-store", test_trust_store);

  return g_test_run ();
}
