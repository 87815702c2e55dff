/* ob-vm-compare.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ob-vm-compare.h"

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
