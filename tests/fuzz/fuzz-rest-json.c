/* fuzz-rest-json.c: the client's tolerant REST JSON parsing (collections,
 * entities, faults, SSO answers) on arbitrary engine responses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ob-fuzz.h"
#include "ob-fuzz-models.h"
#include "ob-rest-json.h"
#include "ob-vm-json.h"

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
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vms = NULL;
  g_autoptr(GPtrArray) clusters = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(ObVm) vm = NULL;
  g_autoptr(ObCluster) cluster = NULL;
  g_autoptr(ObTemplate) template = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *token = NULL;
  JsonNode *inner;

  root = ob_rest_json_parse_bytes ((const char *) data, size, &error);
  if (root == NULL)
    {
      /* Not JSON is a protocol error with a message, never a crash. */
      g_assert (error != NULL && error->message != NULL);
      return 0;
    }

  vms = ob_vm_json_parse_vms (root, NULL);
  ob_fuzz_check_each (vms, ob_fuzz_check_vm);
  clusters = ob_vm_json_parse_clusters (root, NULL);
  ob_fuzz_check_each (clusters, ob_fuzz_check_cluster);
  templates = ob_vm_json_parse_templates (root, NULL);
  ob_fuzz_check_each (templates, ob_fuzz_check_template);
  (void) ob_rest_json_parse_fault (root, &reason, &detail);
  token = ob_rest_json_parse_sso_token (root, NULL);

  /* Single entities: the engine answers GET /vms/ID with the bare object. */
  vm = ob_vm_json_parse_vm (root, NULL);
  if (vm != NULL)
    ob_fuzz_check_vm (vm);
  cluster = ob_vm_json_parse_cluster (root, NULL);
  if (cluster != NULL)
    ob_fuzz_check_cluster (cluster);
  template = ob_vm_json_parse_template (root, NULL);
  if (template != NULL)
    ob_fuzz_check_template (template);

  /* Action answers nest the entity: {"vm": {...}} */
  if (JSON_NODE_HOLDS_OBJECT (root) &&
      (inner = json_object_get_member (json_node_get_object (root), "vm")) != NULL)
    {
      g_autoptr(ObVm) nested = ob_vm_json_parse_vm (inner, NULL);
      if (nested != NULL)
        ob_fuzz_check_vm (nested);
    }
  return 0;
}
