/* ob-run-once-dialog.c: the Run Once dialog with its one-run balloon choice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-dialog-util.h"
#include "ob-run-once-dialog.h"
#include "ob-status-text.h"
#include "ob-spinner.h"

struct _ObRunOnceDialog
{
  GtkWindow       parent_instance;

  /* Template widgets */
  GtkButton      *cancel_button;
  ObSpinner      *spinner;
  GtkLabel       *vm_label;
  GtkCheckButton *balloon_check;
  GtkLabel       *stored_label;
  GtkLabel       *balloon_reason_label;
  GtkCheckButton *volatile_check;
  GtkRevealer    *emulation_revealer;
  GtkCheckButton *emulate_check;
  GtkRevealer    *result_revealer;
  GtkWidget      *result_box;
  GtkLabel       *result_label;
  GtkLabel       *result_detail_label;

  ObClient       *client;
  ObVm           *vm;
  GCancellable   *cancellable;
  gboolean        busy;
  gboolean        done;
};

G_DEFINE_FINAL_TYPE (ObRunOnceDialog, ob_run_once_dialog, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_VM,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
ob_run_once_dialog_honoured (ObRunOnceDialog *self)
{
  return ob_connection_honours_run_once_balloon (ob_client_get_connection (self->client));
}

static void
ob_run_once_dialog_sync (ObRunOnceDialog *self)
{
  gboolean allowed = ob_vm_get_balloon_allowed (self->vm);
  gboolean stored_on = ob_vm_get_ballooning (self->vm) == OB_BALLOON_STATE_ON;
  gboolean editable = !self->busy && !self->done;

  /* Enabling is what the policy restricts; turning it off is always fine. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->balloon_check), editable && (allowed || stored_on));
  gtk_widget_set_sensitive (GTK_WIDGET (self->volatile_check), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->emulate_check), editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.run", editable);
  ob_spinner_set_spinning (self->spinner, self->busy);
  gtk_button_set_label (self->cancel_button, self->done ? _("_Close") : _("_Cancel"));
}

static void
ob_run_once_dialog_set_busy (ObRunOnceDialog *self,
                             gboolean         busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  ob_run_once_dialog_sync (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
ob_run_once_dialog_show_result (ObRunOnceDialog *self,
                                const char      *title,
                                const char      *detail,
                                gboolean         ok)
{
  gtk_label_set_label (self->result_label, title);
  gtk_label_set_label (self->result_detail_label, detail != NULL ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->result_detail_label), detail != NULL && *detail != '\0');
  if (ok)
    {
      gtk_widget_remove_css_class (self->result_box, "ob-error");
      gtk_widget_add_css_class (self->result_box, "ob-success");
    }
  else
    {
      gtk_widget_remove_css_class (self->result_box, "ob-success");
      gtk_widget_add_css_class (self->result_box, "ob-error");
    }
  ob_dialog_reveal (self->result_revealer, TRUE);
}

static void
ob_run_once_dialog_run_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(ObRunOnceDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObBalloonResult) outcome = ob_client_run_once_finish (OB_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (outcome == NULL)
    {
      /* The user may change the choice (e.g. turn on emulation) and retry. */
      ob_run_once_dialog_set_busy (self, FALSE);
      ob_run_once_dialog_show_result (self, ob_dialog_error_title (error), error->message, FALSE);
      g_signal_emit (self, signals[SIGNAL_FINISHED], 0, FALSE);
      return;
    }

  self->done = TRUE;
  ob_run_once_dialog_set_busy (self, FALSE);
  ob_run_once_dialog_sync (self);
  ob_run_once_dialog_show_result (self, _("The VM was started."), outcome->message, TRUE);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, TRUE);
}

static void
ob_run_once_dialog_run_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  ObRunOnceDialog *self = OB_RUN_ONCE_DIALOG (widget);
  ObRunOnceFlags flags = OB_RUN_ONCE_NONE;

  if (gtk_check_button_get_active (self->volatile_check))
    flags |= OB_RUN_ONCE_VOLATILE;
  if (!ob_run_once_dialog_honoured (self) && gtk_check_button_get_active (self->emulate_check))
    flags |= OB_RUN_ONCE_EMULATE;

  ob_dialog_reveal (self->result_revealer, FALSE);
  ob_run_once_dialog_set_busy (self, TRUE);
  ob_client_run_once_async (self->client, self->vm,
                            gtk_check_button_get_active (self->balloon_check),
                            flags, self->cancellable,
                            ob_run_once_dialog_run_cb, g_object_ref (self));
}

static void
ob_run_once_dialog_constructed (GObject *object)
{
  ObRunOnceDialog *self = OB_RUN_ONCE_DIALOG (object);
  ObBalloonState stored = ob_vm_get_ballooning (self->vm);
  ObBalloonVerdict verdict = ob_vm_get_balloon_verdict (self->vm);
  g_autofree char *title = NULL;
  g_autofree char *stored_text = NULL;

  G_OBJECT_CLASS (ob_run_once_dialog_parent_class)->constructed (object);

  title = g_strdup_printf (_("Run “%s” once"), ob_vm_get_name (self->vm));
  gtk_label_set_label (self->vm_label, title);

  gtk_check_button_set_active (self->balloon_check, stored == OB_BALLOON_STATE_ON);
  stored_text = g_strdup_printf (_("Applies to this run only. The VM’s stored setting (%s) is not changed "
                                   "and is used again from the next normal run."),
                                 ob_status_text_balloon (stored));
  gtk_label_set_label (self->stored_label, stored_text);

  if (verdict != OB_BALLOON_ALLOWED)
    {
      g_autofree char *reason = ob_balloon_policy_describe (verdict, ob_vm_get_effective_level (self->vm),
                                                            ob_vm_get_cpu_arch (self->vm));

      gtk_label_set_label (self->balloon_reason_label, reason);
      gtk_widget_set_visible (GTK_WIDGET (self->balloon_reason_label), reason != NULL);
    }

  ob_dialog_reveal (self->emulation_revealer, !ob_run_once_dialog_honoured (self));
  ob_run_once_dialog_sync (self);
}

static void
ob_run_once_dialog_dispose (GObject *object)
{
  ObRunOnceDialog *self = OB_RUN_ONCE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OB_TYPE_RUN_ONCE_DIALOG);

  G_OBJECT_CLASS (ob_run_once_dialog_parent_class)->dispose (object);
}

static void
ob_run_once_dialog_finalize (GObject *object)
{
  ObRunOnceDialog *self = OB_RUN_ONCE_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->vm);

  G_OBJECT_CLASS (ob_run_once_dialog_parent_class)->finalize (object);
}

static void
ob_run_once_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ObRunOnceDialog *self = OB_RUN_ONCE_DIALOG (object);

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
ob_run_once_dialog_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ObRunOnceDialog *self = OB_RUN_ONCE_DIALOG (object);

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
ob_run_once_dialog_class_init (ObRunOnceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ob_run_once_dialog_constructed;
  object_class->dispose = ob_run_once_dialog_dispose;
  object_class->finalize = ob_run_once_dialog_finalize;
  object_class->get_property = ob_run_once_dialog_get_property;
  object_class->set_property = ob_run_once_dialog_set_property;

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

  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  g_type_ensure (OB_TYPE_SPINNER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ovirtballoon/OvirtBalloon/ui/ob-run-once-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ObRunOnceDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ObRunOnceDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, ObRunOnceDialog, vm_label);
  gtk_widget_class_bind_template_child (widget_class, ObRunOnceDialog, balloon_check);
  gtk_widget_class_bind_template_child (widget_class, ObRunOnceDialog, stored_label);
  gtk_widget_class_bind_template_child (widget_class, ObRunOnceDialog, balloon_reason_label);
  gtk_widget_class_bind_template_child (widget_class, ObRunOnceDialog, volatile_check);
  gtk_widget_class_bind_template_child (widget_class, ObRunOnceDialog, emulation_revealer);
  gtk_widget_class_bind_template_child (widget_class, ObRunOnceDialog, emulate_check);
  gtk_widget_class_bind_template_child (widget_class, ObRunOnceDialog, result_revealer);
  gtk_widget_class_bind_template_child (widget_class, ObRunOnceDialog, result_box);
  gtk_widget_class_bind_template_child (widget_class, ObRunOnceDialog, result_label);
  gtk_widget_class_bind_template_child (widget_class, ObRunOnceDialog, result_detail_label);

  gtk_widget_class_install_action (widget_class, "dialog.run", NULL, ob_run_once_dialog_run_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ob_run_once_dialog_init (ObRunOnceDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

ObRunOnceDialog *
ob_run_once_dialog_new (GtkWindow *parent,
                        ObClient  *client,
                        ObVm      *vm)
{
  g_return_val_if_fail (OB_IS_CLIENT (client), NULL);
  g_return_val_if_fail (OB_IS_VM (vm), NULL);

  return g_object_new (OB_TYPE_RUN_ONCE_DIALOG,
                       "transient-for", parent,
                       "client", client,
                       "vm", vm,
                       NULL);
}

gboolean
ob_run_once_dialog_get_busy (ObRunOnceDialog *self)
{
  g_return_val_if_fail (OB_IS_RUN_ONCE_DIALOG (self), FALSE);

  return self->busy;
}
