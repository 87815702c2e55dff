/* test-client-vm-scan.c: the VM list scanner reads exactly what the
 * json-glib tree reader reads (same VMs, fields, levels and verdicts, and
 * the same errors through ob_vm_json_read_vms()): on the recorded engine
 * responses, on the fuzzer's hand-made corpus, on mutations of both, and
 * on 10,000 VMs of the sandbox engine, as one body and as the paged list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fake-engine.h"
#include "ob-client.h"
#include "ob-error.h"
#include "ob-rest-json.h"
#include "ob-sandbox.h"
#include "ob-vm-compare.h"
#include "ob-vm-json.h"

#define PASSWORD "sandbox"

static char *
read_file (const char *path,
           gsize      *len)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, len, &error));
  g_assert_no_error (error);
  return contents;
}

static void
assert_agrees (const char *name,
               const char *data,
               gsize       len,
               gboolean   *scanned)
{
  g_autofree char *what = NULL;

  if (!ob_test_vm_scan_agrees (data, len, scanned, &what))
    g_error ("%s: %s", name, what);
}

/* The corpus files the scanner must read itself; it declines the others
 * (each a case where only the tree reader can say what it means). */
static const char *const corpus_scanned[] = {
  "empty-list.json", "escapes.json", "followed-cluster.json", "native-types.json",
  "nulls-and-shapes.json", "sandbox-page.json", "sandbox-page-no-all-content.json",
};

static gboolean
expect_scanned (const char *name)
{
  return g_strv_contains ((const char *const *) corpus_scanned, name) ||
         g_str_has_prefix (name, "manageiq_vms_list");
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static GPtrArray *
corpus_files (void)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const char *dirs[] = { "fuzz/corpus/vm-list-scan", "data/rest" };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, dirs[i], NULL);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".json"))
          g_ptr_array_add (files, g_build_filename (dir_path, name, NULL));
    }
  g_ptr_array_sort (files, compare_paths);
  return files;
}

static void
test_corpus (void)
{
  g_autoptr(GPtrArray) files = corpus_files ();
  guint n_scanned = 0;

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *name = g_path_get_basename (files->pdata[i]);
      g_autofree char *data = NULL;
      gsize len = 0;
      gboolean scanned = FALSE;

      data = read_file (files->pdata[i], &len);
      assert_agrees (name, data, len, &scanned);
      if (scanned != expect_scanned (name))
        g_error ("%s: the scanner %s it", name, scanned ? "read" : "declined");
      n_scanned += scanned;
    }
  g_assert_cmpuint (n_scanned, ==, G_N_ELEMENTS (corpus_scanned) + 1);
}

/* Every file the scanner reads, changed at many places, one change at a
 * time: a byte dropped, replaced, or one inserted. */
static void
test_mutations (void)
{
  static const char replacements[] = "\"\\{}[],:0-19e. \ntfnu\x01\x80\xc3\xff";
  g_autoptr(GPtrArray) files = corpus_files ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (15);
  guint tried = 0, scanned_total = 0;

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *name = g_path_get_basename (files->pdata[i]);
      g_autofree char *data = NULL;
      gsize len = 0;
      guint positions;

      if (!expect_scanned (name))
        continue;
      data = read_file (files->pdata[i], &len);
      positions = MIN (len, 160);
      for (guint k = 0; k < positions; k++)
        {
          gsize at = len <= 160 ? k : (gsize) g_rand_int_range (rand, 0, (gint32) len);
          g_autoptr(GString) mutant = g_string_new_len (data, len);

          for (guint r = 0; r <= sizeof replacements - 1; r++)
            {
              g_autofree char *label = NULL;
              gboolean scanned = FALSE;

              g_string_truncate (mutant, 0);
              g_string_append_len (mutant, data, len);
              if (r == sizeof replacements - 1)
                g_string_erase (mutant, at, 1);
              else if (r % 3 == 0)
                g_string_insert_c (mutant, at, replacements[r]);
              else
                mutant->str[at] = replacements[r];
              label = g_strdup_printf ("%s, change %u at byte %" G_GSIZE_FORMAT, name, r, at);
              assert_agrees (label, mutant->str, mutant->len, &scanned);
              tried++;
              scanned_total += scanned;
            }
        }
    }
  g_test_message ("%u changed bodies, %u read by the scanner", tried, scanned_total);
  /* The changes reach both ways: many still read, many declined. */
  g_assert_cmpuint (scanned_total, >, tried / 10);
  g_assert_cmpuint (scanned_total, <, tried);
}

typedef struct
{
  ObSandbox *sandbox;
  ObConnection *connection;
  ObClient *client;
} Engine;

static GBytes *
get_body (Engine         *e,
          const char     *path,
          ObRequestFlags  flags)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *body;

  ob_connection_request_body_async (e->connection, "GET", path, NULL, flags, NULL,
                                    ob_test_store_result, &result);
  body = ob_connection_request_body_finish (e->connection, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  return body;
}

/* The sandbox's 10,000 VMs, in one body with and without All-Content;
 * then the paged list (scanned, several pages in flight) against that
 * body read by the tree, with the clusters attached the same way. */
static void
test_sandbox_10000 (void)
{
  Engine e = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) all = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) tree = NULL;
  g_autoptr(GPtrArray) clusters = NULL;
  g_autoptr(GPtrArray) paged = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *what = NULL;
  gboolean scanned = FALSE;
  gsize len = 0;
  const char *data;

  e.sandbox = g_object_new (OB_TYPE_SANDBOX, "seed", "10000", NULL);
  g_assert_true (ob_sandbox_start (e.sandbox, &error));
  g_assert_no_error (error);
  e.connection = ob_connection_new (ob_sandbox_get_base_url (e.sandbox), &error);
  g_assert_no_error (error);
  ob_connection_set_credentials (e.connection, OB_SANDBOX_DEMO_USER, PASSWORD);
  ob_connection_open_async (e.connection, NULL, ob_test_store_result, &result);
  g_assert_true (ob_connection_open_finish (e.connection, ob_test_wait_for_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  e.client = ob_client_new (e.connection);

  all = get_body (&e, "vms", OB_REQUEST_ALL_CONTENT);
  data = g_bytes_get_data (all, &len);
  assert_agrees ("10,000 VMs, all content", data, len, &scanned);
  g_assert_true (scanned);
  plain = get_body (&e, "vms", OB_REQUEST_NONE);
  scanned = FALSE;
  assert_agrees ("10,000 VMs", g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), &scanned);
  g_assert_true (scanned);

  root = ob_rest_json_parse_bytes (data, len, &error);
  g_assert_no_error (error);
  tree = ob_vm_json_parse_vms (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tree->len, >=, 10000);

  ob_client_list_clusters_async (e.client, NULL, ob_test_store_result, &result);
  clusters = ob_client_list_clusters_finish (e.client, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  for (guint i = 0; i < clusters->len; i++)
    g_hash_table_insert (by_id, (gpointer) ob_cluster_get_id (clusters->pdata[i]), clusters->pdata[i]);
  for (guint i = 0; i < tree->len; i++)
    {
      const char *cluster_id = ob_vm_get_cluster_id (tree->pdata[i]);
      ObCluster *cluster = cluster_id != NULL ? g_hash_table_lookup (by_id, cluster_id) : NULL;

      if (cluster != NULL)
        ob_vm_set_cluster (tree->pdata[i], cluster);
    }

  ob_client_list_vms_async (e.client, NULL, OB_LIST_ALL_CONTENT, NULL, NULL, NULL, NULL,
                            ob_test_store_result, &result);
  paged = ob_client_list_vms_finish (e.client, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  if (!ob_test_vm_lists_equal (paged, tree, &what))
    g_error ("the paged list differs from the whole list: %s", what);

  g_clear_object (&e.client);
  g_clear_object (&e.connection);
  ob_sandbox_stop (e.sandbox);
  g_clear_object (&e.sandbox);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/client/vm-scan/corpus", test_corpus);
  g_test_add_func ("/client/vm-scan/mutations", test_mutations);
  g_test_add_func ("/client/vm-scan/sandbox-10000", test_sandbox_10000);
  return g_test_run ();
}
