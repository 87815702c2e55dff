/* ob-edit-vm-dialog.c: the Edit VM dialog (General, Resource Allocation)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-dialog-util.h"
#include "ob-edit-vm-dialog.h"
#include "ob-error.h"
#include "ob-status-text.h"
#include "ob-spinner.h"

#define OB_MIB (G_GUINT64_CONSTANT (1024) * 1024)

struct _ObEditVmDialog
{
  GtkWindow       parent_instance;

  /* Template widgets */
  ObSpinner      *spinner;
  GtkRevealer    *fault_revealer;
  GtkLabel       *fault_reason_label;
  GtkLabel       *fault_detail_label;
  GtkRevealer    *conflict_revealer;
  GtkLabel       *conflict_label;
  GtkEditable    *name_entry;
  GtkEditable    *description_entry;
  GtkSpinButton  *memory_spin;
  GtkLabel       *cluster_label;
  GtkCheckButton *balloon_check;
  GtkLabel       *balloon_reason_label;
  GtkLabel       *next_run_label;
  GtkLabel       *name_pending_label;
  GtkLabel       *description_pending_label;
  GtkLabel       *memory_pending_label;
  GtkLabel       *balloon_pending_label;

  ObClient       *client;
  ObVm           *vm;
  /* A running VM's next-run configuration, when one waits: the dialog
   * shows (and compares with) its values, as the Admin Portal does. */
  ObVm           *next;
  GCancellable   *cancellable;
  GError         *conflict_error;
  gboolean        busy;
  gboolean        state_known;
  /* What the spin button showed when loaded: memory that is not a whole
   * number of MiB is only sent when the user changes it. */
  guint64         shown_memory_mib;
};

G_DEFINE_FINAL_TYPE (ObEditVmDialog, ob_edit_vm_dialog, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_VM,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What the fields were loaded from: the next-run configuration when one
 * waits, else the VM. */
static ObVm *
ob_edit_vm_dialog_shown (ObEditVmDialog *self)
{
  return self->next != NULL ? self->next : self->vm;
}

static guint64
round_mib (guint64 bytes)
{
  /* Rounded to the nearest MiB, as the engine's own dialog shows it. */
  return (bytes + OB_MIB / 2) / OB_MIB;
}

static gboolean
ob_edit_vm_dialog_wanted (ObEditVmDialog *self)
{
  return gtk_check_button_get_active (self->balloon_check);
}

/* What the policy lets the user do with the checkbox. Enabling is what the
 * rule restricts, so a VM that has the balloon on a low level may still
 * turn it off. */
static void
ob_edit_vm_dialog_sync_sensitivity (ObEditVmDialog *self)
{
  ObBalloonVerdict verdict = ob_vm_get_balloon_verdict (self->vm);
  gboolean allowed = ob_vm_get_balloon_allowed (self->vm);
  gboolean is_on = ob_vm_get_ballooning (self->vm) == OB_BALLOON_STATE_ON;
  gboolean has_name = *gtk_editable_get_text (self->name_entry) != '\0';

  gtk_widget_set_sensitive (GTK_WIDGET (self->balloon_check),
                            !self->busy && self->state_known && (allowed || is_on));
  /* Read-only rather than insensitive while busy: a focused entry made
   * insensitive loses its focus-out (GTK warns) and the keyboard focus. */
  gtk_editable_set_editable (self->name_entry, !self->busy);
  gtk_editable_set_editable (self->description_entry, !self->busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->memory_spin), !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.save",
                                 !self->busy && self->state_known && has_name);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.overwrite", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.reload", !self->busy);
  ob_spinner_set_spinning (self->spinner, self->busy);

  if (verdict != OB_BALLOON_ALLOWED)
    {
      g_autofree char *reason = ob_balloon_policy_describe (verdict, ob_vm_get_effective_level (self->vm),
                                                            ob_vm_get_cpu_arch (self->vm));

      gtk_label_set_label (self->balloon_reason_label, reason);
      gtk_widget_set_visible (GTK_WIDGET (self->balloon_reason_label), reason != NULL);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->balloon_reason_label), FALSE);
}

static void
ob_edit_vm_dialog_set_busy (ObEditVmDialog *self,
                            gboolean        busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  ob_edit_vm_dialog_sync_sensitivity (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Shows the VM's fields; the editable ones only when @reset_check, so a
 * reload after a fault never throws the user's edits away silently. */
static void
ob_edit_vm_dialog_show_vm (ObEditVmDialog *self,
                           gboolean        reset_check)
{
  g_autofree char *title = NULL;
  g_autofree char *cluster = NULL;
  ObBalloonState state = ob_vm_get_ballooning (self->vm);
  const char *level = ob_vm_get_cluster_version (self->vm);
  const char *description = ob_vm_get_description (self->vm);

  title = g_strdup_printf (_("Edit Virtual Machine “%s”"), ob_vm_get_name (self->vm));
  gtk_window_set_title (GTK_WINDOW (self), title);
  if (reset_check)
    {
      self->shown_memory_mib = round_mib (ob_vm_get_memory (self->vm));
      gtk_editable_set_text (self->name_entry, ob_vm_get_name (self->vm));
      gtk_editable_set_text (self->description_entry, description != NULL ? description : "");
      gtk_spin_button_set_value (self->memory_spin, (double) self->shown_memory_mib);
    }
  if (ob_vm_get_custom_compatibility_version (self->vm) != NULL)
    /* Translators: cluster name, its level, then the VM's own level, which
     * is the one the balloon rule uses. */
    cluster = g_strdup_printf (_("%s (compatibility level %s); this VM has its own custom level %s"),
                               ob_vm_get_cluster_name (self->vm) ? ob_vm_get_cluster_name (self->vm) : "—",
                               level != NULL ? level : _("unknown"),
                               ob_vm_get_custom_compatibility_version (self->vm));
  else
    /* Translators: cluster name and its compatibility level. */
    cluster = g_strdup_printf (_("%s (compatibility level %s)"),
                               ob_vm_get_cluster_name (self->vm) ? ob_vm_get_cluster_name (self->vm) : "—",
                               level != NULL ? level : _("unknown"));
  gtk_label_set_label (self->cluster_label, cluster);

  self->state_known = state != OB_BALLOON_STATE_UNKNOWN;
  if (reset_check && self->state_known)
    gtk_check_button_set_active (self->balloon_check, state == OB_BALLOON_STATE_ON);

  gtk_widget_set_visible (GTK_WIDGET (self->next_run_label), !ob_vm_is_down (self->vm));
  ob_edit_vm_dialog_sync_sensitivity (self);
}

/* One field's mark: the next-run value, the running one, and a link that
 * puts the running value back. @field names the field in the link. */
static void
ob_edit_vm_dialog_mark (GtkLabel   *label,
                        const char *field,
                        const char *next_value,
                        const char *now_value)
{
  g_autofree char *markup = NULL;

  if (g_strcmp0 (next_value, now_value) == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (label), FALSE);
      return;
    }
  /* Translators: a field of a running VM whose change waits for its next
   * run, e.g. "On at next run (now: Off). Keep the current value". */
  markup = g_markup_printf_escaped (_("<b>%s</b> at next run (now: %s). <a href=\"%s\">Keep the current value</a>"),
                                    next_value, now_value, field);
  gtk_label_set_markup (label, markup);
  gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
}

static void
ob_edit_vm_dialog_show_next_run (ObEditVmDialog *self)
{
  ObVm *next = self->next;
  const char *next_description = ob_vm_get_description (next);
  const char *now_description = ob_vm_get_description (self->vm);
  g_autofree char *next_mib = g_strdup_printf ("%" G_GUINT64_FORMAT, round_mib (ob_vm_get_memory (next)));
  g_autofree char *now_mib = g_strdup_printf ("%" G_GUINT64_FORMAT, round_mib (ob_vm_get_memory (self->vm)));
  /* Translators: %s is a number of mebibytes. */
  g_autofree char *next_memory = g_strdup_printf (_("%s MiB"), next_mib);
  g_autofree char *now_memory = g_strdup_printf (_("%s MiB"), now_mib);
  ObBalloonState next_balloon = ob_vm_get_ballooning (next);

  self->shown_memory_mib = round_mib (ob_vm_get_memory (next));
  gtk_editable_set_text (self->name_entry, ob_vm_get_name (next));
  gtk_editable_set_text (self->description_entry, next_description != NULL ? next_description : "");
  gtk_spin_button_set_value (self->memory_spin, (double) self->shown_memory_mib);
  if (next_balloon != OB_BALLOON_STATE_UNKNOWN)
    gtk_check_button_set_active (self->balloon_check, next_balloon == OB_BALLOON_STATE_ON);

  ob_edit_vm_dialog_mark (self->name_pending_label, "name", ob_vm_get_name (next), ob_vm_get_name (self->vm));
  ob_edit_vm_dialog_mark (self->description_pending_label, "description",
                          next_description != NULL ? next_description : "",
                          now_description != NULL ? now_description : "");
  ob_edit_vm_dialog_mark (self->memory_pending_label, "memory", next_memory, now_memory);
  ob_edit_vm_dialog_mark (self->balloon_pending_label, "balloon",
                          ob_status_text_balloon (next_balloon),
                          ob_status_text_balloon (ob_vm_get_ballooning (self->vm)));
  ob_edit_vm_dialog_sync_sensitivity (self);
}

/* "Keep the current value": the field goes back to what the VM runs
 * with, so saving cancels that waiting change. */
static gboolean
ob_edit_vm_dialog_revert_link (ObEditVmDialog *self,
                               const char     *uri,
                               GtkLabel       *label)
{
  const char *description = ob_vm_get_description (self->vm);

  if (g_str_equal (uri, "name"))
    gtk_editable_set_text (self->name_entry, ob_vm_get_name (self->vm));
  else if (g_str_equal (uri, "description"))
    gtk_editable_set_text (self->description_entry, description != NULL ? description : "");
  else if (g_str_equal (uri, "memory"))
    gtk_spin_button_set_value (self->memory_spin, (double) round_mib (ob_vm_get_memory (self->vm)));
  else if (g_str_equal (uri, "balloon"))
    gtk_check_button_set_active (self->balloon_check,
                                 ob_vm_get_ballooning (self->vm) == OB_BALLOON_STATE_ON);
  gtk_widget_set_visible (GTK_WIDGET (label), FALSE);
  return TRUE;
}

static void
ob_edit_vm_dialog_next_run_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(ObEditVmDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) next = ob_client_get_vm_next_run_finish (OB_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  ob_edit_vm_dialog_set_busy (self, FALSE);
  if (next == NULL)
    {
      ob_dialog_show_error (self->fault_revealer, self->fault_reason_label,
                            self->fault_detail_label, error);
      return;
    }
  g_set_object (&self->next, next);
  ob_edit_vm_dialog_show_next_run (self);
}

/* A running VM with a waiting next-run configuration: load it. */
static void
ob_edit_vm_dialog_fetch_next_run (ObEditVmDialog *self)
{
  g_clear_object (&self->next);
  if (ob_vm_is_down (self->vm) || !ob_vm_get_next_run_configuration_exists (self->vm))
    return;
  ob_edit_vm_dialog_set_busy (self, TRUE);
  ob_client_get_vm_next_run_async (self->client, ob_vm_get_id (self->vm), self->cancellable,
                                   ob_edit_vm_dialog_next_run_cb, g_object_ref (self));
}

static void
ob_edit_vm_dialog_get_vm_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(ObEditVmDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) fresh = ob_client_get_vm_finish (OB_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  ob_edit_vm_dialog_set_busy (self, FALSE);
  if (fresh == NULL)
    {
      ob_dialog_show_error (self->fault_revealer, self->fault_reason_label,
                            self->fault_detail_label, error);
      return;
    }
  /* Updates the list row too. */
  ob_vm_update_from (self->vm, fresh);
  ob_edit_vm_dialog_show_vm (self, TRUE);
  ob_edit_vm_dialog_fetch_next_run (self);
}

static void
ob_edit_vm_dialog_fetch (ObEditVmDialog *self)
{
  ob_edit_vm_dialog_set_busy (self, TRUE);
  ob_client_get_vm_async (self->client, ob_vm_get_id (self->vm), self->cancellable,
                          ob_edit_vm_dialog_get_vm_cb, g_object_ref (self));
}

/* After a conflict: read what the server has now to show both values. */
static void
ob_edit_vm_dialog_conflict_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(ObEditVmDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) server = ob_client_get_vm_finish (OB_CLIENT (source), result, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  ob_edit_vm_dialog_set_busy (self, FALSE);
  if (server == NULL)
    {
      ob_dialog_show_error (self->fault_revealer, self->fault_reason_label,
                            self->fault_detail_label, error);
      return;
    }

  /* A 409 that is not about the balloon (e.g. the VM is locked): show the
   * engine's fault rather than a conflict of values. */
  if (ob_vm_get_ballooning (server) == ob_vm_get_ballooning (self->vm))
    {
      ob_dialog_show_error (self->fault_revealer, self->fault_reason_label,
                            self->fault_detail_label, self->conflict_error);
      return;
    }

  text = g_strdup_printf (_("Someone changed this VM on the server since you opened it.\n"
                            "Memory balloon when you opened it: %s\n"
                            "Memory balloon on the server now: %s\n"
                            "Your choice: %s"),
                          ob_status_text_balloon (ob_vm_get_ballooning (self->vm)),
                          ob_status_text_balloon (ob_vm_get_ballooning (server)),
                          ob_status_text_balloon (ob_edit_vm_dialog_wanted (self)
                                                  ? OB_BALLOON_STATE_ON : OB_BALLOON_STATE_OFF));
  gtk_label_set_label (self->conflict_label, text);
  ob_dialog_reveal (self->conflict_revealer, TRUE);
}

static void
on_field_changed (ObEditVmDialog *self)
{
  ob_edit_vm_dialog_sync_sensitivity (self);
}

static void
ob_edit_vm_dialog_update_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(ObEditVmDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObBalloonResult) outcome = ob_client_update_vm_finish (OB_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (outcome == NULL && g_error_matches (error, OB_ERROR, OB_ERROR_CONFLICT))
    {
      g_clear_error (&self->conflict_error);
      self->conflict_error = g_steal_pointer (&error);
      ob_client_get_vm_async (self->client, ob_vm_get_id (self->vm), self->cancellable,
                              ob_edit_vm_dialog_conflict_cb, g_object_ref (self));
      return;
    }

  ob_edit_vm_dialog_set_busy (self, FALSE);
  if (outcome == NULL)
    {
      /* Stay open with the user's choice as it is. */
      ob_dialog_show_error (self->fault_revealer, self->fault_reason_label,
                            self->fault_detail_label, error);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_SAVED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
ob_edit_vm_dialog_save (ObEditVmDialog    *self,
                        ObSetBalloonFlags  flags)
{
  gboolean wanted = ob_edit_vm_dialog_wanted (self);
  ObVm *shown = ob_edit_vm_dialog_shown (self);
  ObBalloonState state = ob_vm_get_ballooning (shown);
  const char *name = gtk_editable_get_text (self->name_entry);
  const char *description = gtk_editable_get_text (self->description_entry);
  const char *loaded_description = ob_vm_get_description (shown);
  guint64 memory_mib = (guint64) gtk_spin_button_get_value_as_int (self->memory_spin);
  ObVmUpdate update = { OB_VM_FIELD_NONE, name, description, memory_mib * OB_MIB, wanted };

  ob_dialog_show_error (self->fault_revealer, NULL, NULL, NULL);
  ob_dialog_reveal (self->conflict_revealer, FALSE);

  /* Only what the user changed; overwriting after a conflict sends the
   * balloon whatever it was. */
  if (g_strcmp0 (name, ob_vm_get_name (shown)) != 0)
    update.fields |= OB_VM_FIELD_NAME;
  if (g_strcmp0 (description, loaded_description != NULL ? loaded_description : "") != 0)
    update.fields |= OB_VM_FIELD_DESCRIPTION;
  if (memory_mib != self->shown_memory_mib)
    update.fields |= OB_VM_FIELD_MEMORY;
  if ((flags & OB_SET_BALLOON_FORCE) ||
      state != (wanted ? OB_BALLOON_STATE_ON : OB_BALLOON_STATE_OFF))
    update.fields |= OB_VM_FIELD_BALLOONING;

  if (update.fields == OB_VM_FIELD_NONE)
    {
      /* Nothing changed: nothing to send. */
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  ob_edit_vm_dialog_set_busy (self, TRUE);
  ob_client_update_vm_async (self->client, self->vm, &update, flags, self->cancellable,
                             ob_edit_vm_dialog_update_cb, g_object_ref (self));
}

static void
ob_edit_vm_dialog_save_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  ob_edit_vm_dialog_save (OB_EDIT_VM_DIALOG (widget), OB_SET_BALLOON_NONE);
}

static void
ob_edit_vm_dialog_overwrite_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  ob_edit_vm_dialog_save (OB_EDIT_VM_DIALOG (widget), OB_SET_BALLOON_FORCE);
}

static void
ob_edit_vm_dialog_reload_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  ObEditVmDialog *self = OB_EDIT_VM_DIALOG (widget);

  ob_dialog_reveal (self->conflict_revealer, FALSE);
  ob_dialog_show_error (self->fault_revealer, NULL, NULL, NULL);
  ob_edit_vm_dialog_fetch (self);
}

static void
ob_edit_vm_dialog_constructed (GObject *object)
{
  ObEditVmDialog *self = OB_EDIT_VM_DIALOG (object);

  G_OBJECT_CLASS (ob_edit_vm_dialog_parent_class)->constructed (object);

  ob_edit_vm_dialog_show_vm (self, TRUE);
  /* A list row may not carry the balloon state: read the VM itself (then
   * its next-run configuration). */
  if (!self->state_known)
    ob_edit_vm_dialog_fetch (self);
  else
    ob_edit_vm_dialog_fetch_next_run (self);
}

static void
ob_edit_vm_dialog_dispose (GObject *object)
{
  ObEditVmDialog *self = OB_EDIT_VM_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OB_TYPE_EDIT_VM_DIALOG);

  G_OBJECT_CLASS (ob_edit_vm_dialog_parent_class)->dispose (object);
}

static void
ob_edit_vm_dialog_finalize (GObject *object)
{
  ObEditVmDialog *self = OB_EDIT_VM_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->vm);
  g_clear_object (&self->next);
  g_clear_error (&self->conflict_error);

  G_OBJECT_CLASS (ob_edit_vm_dialog_parent_class)->finalize (object);
}

static void
ob_edit_vm_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ObEditVmDialog *self = OB_EDIT_VM_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_VM:
      g_value_set_object (value, self->vm);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_edit_vm_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  ObEditVmDialog *self = OB_EDIT_VM_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_VM:
      self->vm = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_edit_vm_dialog_class_init (ObEditVmDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ob_edit_vm_dialog_constructed;
  object_class->dispose = ob_edit_vm_dialog_dispose;
  object_class->finalize = ob_edit_vm_dialog_finalize;
  object_class->get_property = ob_edit_vm_dialog_get_property;
  object_class->set_property = ob_edit_vm_dialog_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, OB_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VM] =
    g_param_spec_object ("vm", NULL, NULL, OB_TYPE_VM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (OB_TYPE_SPINNER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ovirtballoon/OvirtBalloon/ui/ob-edit-vm-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ObEditVmDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, ObEditVmDialog, fault_revealer);
  gtk_widget_class_bind_template_child (widget_class, ObEditVmDialog, fault_reason_label);
  gtk_widget_class_bind_template_child (widget_class, ObEditVmDialog, fault_detail_label);
  gtk_widget_class_bind_template_child (widget_class, ObEditVmDialog, conflict_revealer);
  gtk_widget_class_bind_template_child (widget_class, ObEditVmDialog, conflict_label);
  gtk_widget_class_bind_template_child (widget_class, ObEditVmDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, ObEditVmDialog, description_entry);
  gtk_widget_class_bind_template_child (widget_class, ObEditVmDialog, memory_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_child (widget_class, ObEditVmDialog, cluster_label);
  gtk_widget_class_bind_template_child (widget_class, ObEditVmDialog, balloon_check);
  gtk_widget_class_bind_template_child (widget_class, ObEditVmDialog, balloon_reason_label);
  gtk_widget_class_bind_template_child (widget_class, ObEditVmDialog, next_run_label);
  gtk_widget_class_bind_template_child (widget_class, ObEditVmDialog, name_pending_label);
  gtk_widget_class_bind_template_child (widget_class, ObEditVmDialog, description_pending_label);
  gtk_widget_class_bind_template_child (widget_class, ObEditVmDialog, memory_pending_label);
  gtk_widget_class_bind_template_child (widget_class, ObEditVmDialog, balloon_pending_label);
  gtk_widget_class_bind_template_callback (widget_class, ob_edit_vm_dialog_revert_link);

  gtk_widget_class_install_action (widget_class, "dialog.save", NULL, ob_edit_vm_dialog_save_action);
  gtk_widget_class_install_action (widget_class, "dialog.overwrite", NULL, ob_edit_vm_dialog_overwrite_action);
  gtk_widget_class_install_action (widget_class, "dialog.reload", NULL, ob_edit_vm_dialog_reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ob_edit_vm_dialog_init (ObEditVmDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

ObEditVmDialog *
ob_edit_vm_dialog_new (GtkWindow *parent,
                       ObClient  *client,
                       ObVm      *vm)
{
  g_return_val_if_fail (OB_IS_CLIENT (client), NULL);
  g_return_val_if_fail (OB_IS_VM (vm), NULL);

  return g_object_new (OB_TYPE_EDIT_VM_DIALOG,
                       "transient-for", parent,
                       "client", client,
                       "vm", vm,
                       NULL);
}

ObVm *
ob_edit_vm_dialog_get_vm (ObEditVmDialog *self)
{
  g_return_val_if_fail (OB_IS_EDIT_VM_DIALOG (self), NULL);

  return self->vm;
}

gboolean
ob_edit_vm_dialog_get_busy (ObEditVmDialog *self)
{
  g_return_val_if_fail (OB_IS_EDIT_VM_DIALOG (self), FALSE);

  return self->busy;
}
