/* fuzz-vm-list-scan.c: the VM list scanner against json-glib's tree on
 * arbitrary bodies: whatever the scanner accepts, the tree reader accepts
 * too and reads as the same VMs (same fields, levels and verdicts); and
 * ob_vm_json_read_vms() gives the tree reader's answer, error included.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ob-fuzz.h"
#include "ob-rest-json.h"
#include "ob-vm-compare.h"
#include "ob-vm-json.h"
#include "ob-vm-list-scan.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  ob_fuzz_make_warnings_fatal ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) tree = NULL;
  g_autoptr(GPtrArray) scanned = NULL;
  g_autoptr(GPtrArray) read = NULL;
  g_autoptr(GError) tree_error = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autofree char *what = NULL;

  if (size > 0)
    {
      root = ob_rest_json_parse_bytes (text, size, &tree_error);
      if (root != NULL)
        tree = ob_vm_json_parse_vms (root, &tree_error);
    }
  else
    {
      root = json_node_new (JSON_NODE_NULL);
      tree = ob_vm_json_parse_vms (root, &tree_error);
    }

  if (size > 0 && ob_rest_json_check_bytes (text, size, NULL))
    scanned = ob_vm_list_scan (text, size);
  if (scanned != NULL)
    {
      if (tree == NULL)
        g_error ("the scanner read %u VMs where the tree reader failed: %s",
                 scanned->len, tree_error->message);
      if (!ob_test_vm_lists_equal (scanned, tree, &what))
        g_error ("the scanner and the tree differ: %s", what);
    }

  read = ob_vm_json_read_vms (text, size, &read_error);
  if (tree == NULL)
    {
      g_assert_null (read);
      g_assert_nonnull (read_error);
      if (read_error->domain != tree_error->domain || read_error->code != tree_error->code ||
          g_strcmp0 (read_error->message, tree_error->message) != 0)
        g_error ("different errors: “%s” ≠ “%s”", read_error->message, tree_error->message);
    }
  else if (!ob_test_vm_lists_equal (read, tree, &what))
    g_error ("ob_vm_json_read_vms() and the tree differ: %s", what);
  return 0;
}
