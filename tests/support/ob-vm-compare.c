/* ob-vm-compare.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ob-rest-json.h"
#include "ob-vm-compare.h"
#include "ob-vm-json.h"
#include "ob-vm-list-scan.h"

static gboolean
differ (char       **what,
        const char  *field,
        ObVm        *a,
        const char  *x,
        const char  *y)
{
  if (what != NULL)
    *what = g_strdup_printf ("VM %s: %s “%s” ≠ “%s”", ob_vm_get_id (a), field,
                             x != NULL ? x : "(null)", y != NULL ? y : "(null)");
  return FALSE;
}

#define SAME_STRING(getter, field) \
  if (g_strcmp0 (getter (a), getter (b)) != 0) \
    return differ (what, field, a, getter (a), getter (b))

#define SAME_NUMBER(getter, field) \
  if ((guint64) getter (a) != (guint64) getter (b)) \
    { \
      g_autofree char *x = g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) getter (a)); \
      g_autofree char *y = g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) getter (b)); \
      return differ (what, field, a, x, y); \
    }

gboolean
ob_test_vm_equal (ObVm  *a,
                  ObVm  *b,
                  char **what)
{
  g_autofree char *level_a = ob_level_to_string (ob_vm_get_effective_level (a));
  g_autofree char *level_b = ob_level_to_string (ob_vm_get_effective_level (b));
  g_autofree char *reason_a = ob_vm_dup_balloon_reason (a);
  g_autofree char *reason_b = ob_vm_dup_balloon_reason (b);

  SAME_STRING (ob_vm_get_id, "id");
  SAME_STRING (ob_vm_get_name, "name");
  SAME_STRING (ob_vm_get_description, "description");
  SAME_STRING (ob_vm_get_status, "status");
  SAME_STRING (ob_vm_get_cluster_id, "cluster id");
  SAME_STRING (ob_vm_get_cluster_name, "cluster name");
  SAME_STRING (ob_vm_get_cluster_version, "cluster level");
  SAME_STRING (ob_vm_get_cpu_arch, "CPU architecture");
  SAME_STRING (ob_vm_get_custom_compatibility_version, "custom level");
  SAME_NUMBER (ob_vm_get_memory, "memory");
  SAME_NUMBER (ob_vm_get_ballooning, "ballooning");
  SAME_NUMBER (ob_vm_get_next_run_configuration_exists, "next run");
  SAME_NUMBER (ob_vm_get_run_once, "run once");
  SAME_NUMBER (ob_vm_get_balloon_verdict, "verdict");
  SAME_NUMBER (ob_vm_get_balloon_allowed, "allowed");
  if (g_strcmp0 (level_a, level_b) != 0)
    return differ (what, "effective level", a, level_a, level_b);
  if (g_strcmp0 (reason_a, reason_b) != 0)
    return differ (what, "reason", a, reason_a, reason_b);
  return TRUE;
}

gboolean
ob_test_vm_lists_equal (GPtrArray  *a,
                        GPtrArray  *b,
                        char      **what)
{
  if (a == NULL && b == NULL)
    return TRUE;
  if (a == NULL || b == NULL || a->len != b->len)
    {
      if (what != NULL)
        *what = g_strdup_printf ("%d VMs ≠ %d VMs", a != NULL ? (int) a->len : -1,
                                 b != NULL ? (int) b->len : -1);
      return FALSE;
    }
  for (guint i = 0; i < a->len; i++)
    if (!ob_test_vm_equal (a->pdata[i], b->pdata[i], what))
      return FALSE;
  return TRUE;
}

gboolean
ob_test_vm_scan_agrees (const char  *data,
                        gsize        size,
                        gboolean    *scanned_out,
                        char       **what)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) tree = NULL;
  g_autoptr(GPtrArray) scanned = NULL;
  g_autoptr(GPtrArray) read = NULL;
  g_autoptr(GError) tree_error = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autofree char *diff = NULL;

  /* The tree reader, as before the scanner: an empty body is JSON null. */
  if (size > 0)
    root = ob_rest_json_parse_bytes (data, size, &tree_error);
  else
    root = json_node_new (JSON_NODE_NULL);
  if (root != NULL)
    tree = ob_vm_json_parse_vms (root, &tree_error);

  if (size > 0 && ob_rest_json_check_bytes (data, size, NULL))
    scanned = ob_vm_list_scan (data, size);
  if (scanned_out != NULL)
    *scanned_out = scanned != NULL;
  if (scanned != NULL && tree == NULL)
    {
      if (what != NULL)
        *what = g_strdup_printf ("the scanner read %u VMs where the tree reader failed: %s",
                                 scanned->len, tree_error->message);
      return FALSE;
    }
  if (scanned != NULL && !ob_test_vm_lists_equal (scanned, tree, &diff))
    {
      if (what != NULL)
        *what = g_strdup_printf ("the scanner and the tree differ: %s", diff);
      return FALSE;
    }

  read = ob_vm_json_read_vms (data, size, &read_error);
  if (tree == NULL)
    {
      if (read == NULL && read_error->domain == tree_error->domain &&
          read_error->code == tree_error->code &&
          g_strcmp0 (read_error->message, tree_error->message) == 0)
        return TRUE;
      if (what != NULL)
        *what = g_strdup_printf ("the tree reader failed (%s), ob_vm_json_read_vms() said: %s",
                                 tree_error->message, read != NULL ? "VMs" : read_error->message);
      return FALSE;
    }
  if (!ob_test_vm_lists_equal (read, tree, &diff))
    {
      if (what != NULL)
        *what = g_strdup_printf ("ob_vm_json_read_vms() and the tree differ: %s", diff);
      return FALSE;
    }
  return TRUE;
}
