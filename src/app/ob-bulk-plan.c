/* ob-bulk-plan.c: what a bulk balloon change will do to each VM
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-bulk-plan.h"
#include "ob-error.h"

static ObBulkKind
ob_bulk_plan_kind (ObVm     *vm,
                   gboolean  enable)
{
  ObBalloonState wanted = enable ? OB_BALLOON_STATE_ON : OB_BALLOON_STATE_OFF;
  gboolean down = ob_vm_is_down (vm);

  /* Disabling is allowed at every level. */
  if (enable && !ob_vm_get_balloon_allowed (vm))
    return OB_BULK_UNSUPPORTED;
  /* An unknown state is sent: the client reads it again first. */
  if (ob_vm_get_ballooning (vm) != wanted)
    return down ? OB_BULK_NOW : OB_BULK_NEXT_RUN;
  if (!down && ob_vm_get_next_run_configuration_exists (vm))
    return OB_BULK_PENDING;
  return OB_BULK_ALREADY;
}

static gboolean
ob_bulk_kind_is_sent (ObBulkKind kind)
{
  return kind == OB_BULK_NOW || kind == OB_BULK_NEXT_RUN || kind == OB_BULK_PENDING;
}

ObBulkPlan *
ob_bulk_plan_new (GPtrArray *vms,
                  gboolean   enable)
{
  ObBulkPlan *plan = g_new0 (ObBulkPlan, 1);

  g_return_val_if_fail (vms != NULL, NULL);

  plan->enable = enable;
  plan->vms = g_ptr_array_new_full (vms->len, g_object_unref);
  plan->kinds = g_array_sized_new (FALSE, FALSE, sizeof (ObBulkKind), vms->len);
  for (guint i = 0; i < vms->len; i++)
    {
      ObVm *vm = g_ptr_array_index (vms, i);
      ObBulkKind kind = ob_bulk_plan_kind (vm, enable);

      g_ptr_array_add (plan->vms, g_object_ref (vm));
      g_array_append_val (plan->kinds, kind);
      plan->counts[kind]++;
    }
  return plan;
}

void
ob_bulk_plan_free (ObBulkPlan *plan)
{
  if (plan == NULL)
    return;
  g_ptr_array_unref (plan->vms);
  g_array_unref (plan->kinds);
  g_free (plan);
}

guint
ob_bulk_plan_get_n_to_send (ObBulkPlan *plan)
{
  return plan->counts[OB_BULK_NOW] + plan->counts[OB_BULK_NEXT_RUN] + plan->counts[OB_BULK_PENDING];
}

GPtrArray *
ob_bulk_plan_dup_to_send (ObBulkPlan *plan)
{
  GPtrArray *to_send = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < plan->vms->len; i++)
    if (ob_bulk_kind_is_sent (g_array_index (plan->kinds, ObBulkKind, i)))
      g_ptr_array_add (to_send, g_object_ref (g_ptr_array_index (plan->vms, i)));
  return to_send;
}

char *
ob_bulk_plan_describe (ObBulkPlan *plan)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char *parts[OB_BULK_N_KINDS] = { NULL, };

  /* Translators: parts of "167 now, 166 at next run, 334 not supported,
   * 333 already on": what a bulk change will do, before it is sent. */
  if (plan->counts[OB_BULK_NOW] > 0)
    parts[OB_BULK_NOW] = g_strdup_printf (_("%u now"), plan->counts[OB_BULK_NOW]);
  if (plan->counts[OB_BULK_NEXT_RUN] > 0)
    parts[OB_BULK_NEXT_RUN] = g_strdup_printf (_("%u at next run"), plan->counts[OB_BULK_NEXT_RUN]);
  if (plan->counts[OB_BULK_PENDING] > 0)
    parts[OB_BULK_PENDING] = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u with a pending change",
                                                           "%u with pending changes",
                                                           plan->counts[OB_BULK_PENDING]),
                                              plan->counts[OB_BULK_PENDING]);
  if (plan->counts[OB_BULK_UNSUPPORTED] > 0)
    parts[OB_BULK_UNSUPPORTED] = g_strdup_printf (_("%u not supported"), plan->counts[OB_BULK_UNSUPPORTED]);
  if (plan->counts[OB_BULK_ALREADY] > 0)
    parts[OB_BULK_ALREADY] = g_strdup_printf (plan->enable ? _("%u already on") : _("%u already off"),
                                              plan->counts[OB_BULK_ALREADY]);
  for (guint k = 0; k < OB_BULK_N_KINDS; k++)
    {
      if (parts[k] == NULL)
        continue;
      if (text->len > 0)
        /* Translators: between the parts of a list of counts */
        g_string_append (text, _(", "));
      g_string_append (text, parts[k]);
      g_free (parts[k]);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static ObBalloonResult *
ob_bulk_plan_local_result (ObVm       *vm,
                           ObBulkKind  kind,
                           gboolean    enable)
{
  g_autoptr(GError) refusal = NULL;

  /* Worded as the client words a refusal it met while sending. */
  if (kind == OB_BULK_UNSUPPORTED &&
      !ob_balloon_policy_check_enable (ob_vm_get_effective_level (vm), ob_vm_get_cpu_arch (vm), &refusal))
    {
      GError *error = g_error_new (OB_ERROR, OB_ERROR_REFUSED, _("VM %s: %s"),
                                   ob_vm_get_name (vm), refusal->message);

      return ob_balloon_result_new (vm, OB_CHANGE_SKIPPED, g_strdup (error->message), error);
    }
  return ob_balloon_result_new (vm, OB_CHANGE_UNCHANGED,
                                g_strdup_printf (enable ? _("VM %s: balloon already on; nothing was sent.")
                                                        : _("VM %s: balloon already off; nothing was sent."),
                                                 ob_vm_get_name (vm)),
                                NULL);
}

GPtrArray *
ob_bulk_plan_merge (ObBulkPlan *plan,
                    GPtrArray  *sent)
{
  GPtrArray *all = g_ptr_array_new_full (plan->vms->len, (GDestroyNotify) ob_balloon_result_free);
  guint next_sent = 0;

  for (guint i = 0; i < plan->vms->len; i++)
    {
      ObVm *vm = g_ptr_array_index (plan->vms, i);
      ObBulkKind kind = g_array_index (plan->kinds, ObBulkKind, i);

      if (ob_bulk_kind_is_sent (kind) && sent != NULL && next_sent < sent->len)
        {
          /* Moved, not copied: @sent keeps an empty slot. */
          g_ptr_array_add (all, g_steal_pointer (&sent->pdata[next_sent]));
          next_sent++;
        }
      else if (!ob_bulk_kind_is_sent (kind))
        g_ptr_array_add (all, ob_bulk_plan_local_result (vm, kind, plan->enable));
    }
  return all;
}
