/* fuzz-rest-json.c: the client's tolerant REST JSON parsing (collections,
 * entities, faults, SSO answers) on arbitrary engine responses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ob-fuzz.h"
#include "ob-rest-json.h"
#include "ob-vm-json.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  ob_fuzz_make_warnings_fatal ();
  return 0;
}

static void
check_vm (ObVm *vm)
{
  g_autofree char *reason = NULL;

  /* Every parsed VM has an id; the rest may be missing but must be safe
   * to read, and the policy verdict must be computable. */
  g_assert (ob_vm_get_id (vm) != NULL);
  (void) ob_vm_get_name (vm);
  (void) ob_vm_get_status (vm);
  (void) ob_vm_get_memory (vm);
  (void) ob_vm_get_effective_level (vm);
  (void) ob_vm_get_balloon_allowed (vm);
  reason = ob_vm_dup_balloon_reason (vm);
  g_assert (ob_vm_get_ballooning (vm) <= OB_BALLOON_STATE_OFF);
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
  if (vms != NULL)
    for (guint i = 0; i < vms->len; i++)
      check_vm (vms->pdata[i]);
  clusters = ob_vm_json_parse_clusters (root, NULL);
  templates = ob_vm_json_parse_templates (root, NULL);
  (void) ob_rest_json_parse_fault (root, &reason, &detail);
  token = ob_rest_json_parse_sso_token (root, NULL);

  /* Single entities: the engine answers GET /vms/ID with the bare object. */
  vm = ob_vm_json_parse_vm (root, NULL);
  if (vm != NULL)
    check_vm (vm);
  cluster = ob_vm_json_parse_cluster (root, NULL);
  template = ob_vm_json_parse_template (root, NULL);

  /* Action answers nest the entity: {"vm": {...}} */
  if (JSON_NODE_HOLDS_OBJECT (root) &&
      (inner = json_object_get_member (json_node_get_object (root), "vm")) != NULL)
    {
      g_autoptr(ObVm) nested = ob_vm_json_parse_vm (inner, NULL);
      if (nested != NULL)
        check_vm (nested);
    }
  return 0;
}
