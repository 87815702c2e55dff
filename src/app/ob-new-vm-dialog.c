/* ob-new-vm-dialog.c: the New VM dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-dialog-util.h"
#include "ob-new-vm-dialog.h"
#include "ob-spinner.h"

#define OB_MIB (G_GUINT64_CONSTANT (1024) * 1024)

struct _ObNewVmDialog
{
  GtkWindow       parent_instance;

  /* Template widgets */
  ObSpinner      *spinner;
  GtkRevealer    *fault_revealer;
  GtkLabel       *fault_reason_label;
  GtkLabel       *fault_detail_label;
  GtkEntry       *name_entry;
  GtkDropDown    *cluster_dropdown;
  GtkDropDown    *template_dropdown;
  GtkSpinButton  *memory_spin;
  GtkCheckButton *balloon_check;
  GtkLabel       *balloon_reason_label;

  ObClient       *client;
  GListModel     *clusters;
  GListModel     *templates;
  GCancellable   *cancellable;
  char           *note;
  gboolean        busy;
};

G_DEFINE_FINAL_TYPE (ObNewVmDialog, ob_new_vm_dialog, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_CLUSTERS,
  PROP_TEMPLATES,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static ObCluster *
ob_new_vm_dialog_get_cluster (ObNewVmDialog *self)
{
  return gtk_drop_down_get_selected_item (self->cluster_dropdown);
}

static void
ob_new_vm_dialog_sync (ObNewVmDialog *self)
{
  ObCluster *cluster = ob_new_vm_dialog_get_cluster (self);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
  gboolean allowed = cluster == NULL || ob_cluster_get_balloon_allowed (cluster);

  gtk_widget_set_sensitive (GTK_WIDGET (self->balloon_check), !self->busy && allowed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.create",
                                 !self->busy && cluster != NULL && name[0] != '\0');
  ob_spinner_set_spinning (self->spinner, self->busy);
}

static void
on_name_changed (ObNewVmDialog *self)
{
  ob_new_vm_dialog_sync (self);
}

static void
on_cluster_selected (ObNewVmDialog *self)
{
  ObCluster *cluster = ob_new_vm_dialog_get_cluster (self);
  ObBalloonVerdict verdict = cluster != NULL ? ob_cluster_get_balloon_verdict (cluster) : OB_BALLOON_ALLOWED;
  g_autofree char *reason = NULL;

  if (cluster != NULL && verdict != OB_BALLOON_ALLOWED)
    reason = ob_balloon_policy_describe (verdict, ob_cluster_get_level (cluster),
                                         ob_cluster_get_cpu_arch (cluster));

  /* New VMs get the balloon unless the cluster cannot have it. */
  gtk_check_button_set_active (self->balloon_check,
                               cluster == NULL || ob_cluster_get_balloon_allowed (cluster));
  gtk_label_set_label (self->balloon_reason_label, reason != NULL ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->balloon_reason_label), reason != NULL);
  ob_new_vm_dialog_sync (self);
}

static void
ob_new_vm_dialog_set_busy (ObNewVmDialog *self,
                           gboolean       busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  ob_new_vm_dialog_sync (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
ob_new_vm_dialog_add_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(ObNewVmDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_autoptr(ObVm) vm = ob_client_add_vm_finish (OB_CLIENT (source), result, &note, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  ob_new_vm_dialog_set_busy (self, FALSE);
  if (vm == NULL)
    {
      ob_dialog_show_error (self->fault_revealer, self->fault_reason_label,
                            self->fault_detail_label, error);
      return;
    }
  g_free (self->note);
  self->note = g_steal_pointer (&note);
  g_signal_emit (self, signals[SIGNAL_CREATED], 0, vm);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
ob_new_vm_dialog_create_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  ObNewVmDialog *self = OB_NEW_VM_DIALOG (widget);
  ObCluster *cluster = ob_new_vm_dialog_get_cluster (self);
  ObTemplate *template = gtk_drop_down_get_selected_item (self->template_dropdown);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
  guint64 memory = (guint64) gtk_spin_button_get_value_as_int (self->memory_spin) * OB_MIB;
  ObBalloonState balloon;

  if (cluster == NULL || *name == '\0')
    return;

  balloon = gtk_check_button_get_active (self->balloon_check) ? OB_BALLOON_STATE_ON : OB_BALLOON_STATE_OFF;
  ob_dialog_show_error (self->fault_revealer, NULL, NULL, NULL);
  ob_new_vm_dialog_set_busy (self, TRUE);
  ob_client_add_vm_async (self->client, name, ob_cluster_get_name (cluster),
                          template != NULL ? ob_template_get_name (template) : NULL,
                          memory, balloon, self->cancellable,
                          ob_new_vm_dialog_add_cb, g_object_ref (self));
}

static void
ob_new_vm_dialog_constructed (GObject *object)
{
  ObNewVmDialog *self = OB_NEW_VM_DIALOG (object);
  guint n_templates;

  G_OBJECT_CLASS (ob_new_vm_dialog_parent_class)->constructed (object);

  gtk_drop_down_set_expression (self->cluster_dropdown,
                                gtk_property_expression_new (OB_TYPE_CLUSTER, NULL, "name"));
  gtk_drop_down_set_model (self->cluster_dropdown, self->clusters);
  gtk_drop_down_set_expression (self->template_dropdown,
                                gtk_property_expression_new (OB_TYPE_TEMPLATE, NULL, "name"));
  gtk_drop_down_set_model (self->template_dropdown, self->templates);

  /* Blank is the engine's default template. */
  n_templates = g_list_model_get_n_items (self->templates);
  for (guint i = 0; i < n_templates; i++)
    {
      g_autoptr(ObTemplate) template = g_list_model_get_item (self->templates, i);

      if (g_strcmp0 (ob_template_get_name (template), "Blank") == 0)
        gtk_drop_down_set_selected (self->template_dropdown, i);
    }

  on_cluster_selected (self);
}

static void
ob_new_vm_dialog_dispose (GObject *object)
{
  ObNewVmDialog *self = OB_NEW_VM_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OB_TYPE_NEW_VM_DIALOG);

  G_OBJECT_CLASS (ob_new_vm_dialog_parent_class)->dispose (object);
}

static void
ob_new_vm_dialog_finalize (GObject *object)
{
  ObNewVmDialog *self = OB_NEW_VM_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->clusters);
  g_clear_object (&self->templates);
  g_clear_pointer (&self->note, g_free);

  G_OBJECT_CLASS (ob_new_vm_dialog_parent_class)->finalize (object);
}

static void
ob_new_vm_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ObNewVmDialog *self = OB_NEW_VM_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_CLUSTERS:
      g_value_set_object (value, self->clusters);
      break;
    case PROP_TEMPLATES:
      g_value_set_object (value, self->templates);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_new_vm_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ObNewVmDialog *self = OB_NEW_VM_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_CLUSTERS:
      self->clusters = g_value_dup_object (value);
      break;
    case PROP_TEMPLATES:
      self->templates = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_new_vm_dialog_class_init (ObNewVmDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ob_new_vm_dialog_constructed;
  object_class->dispose = ob_new_vm_dialog_dispose;
  object_class->finalize = ob_new_vm_dialog_finalize;
  object_class->get_property = ob_new_vm_dialog_get_property;
  object_class->set_property = ob_new_vm_dialog_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, OB_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLUSTERS] =
    g_param_spec_object ("clusters", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEMPLATES] =
    g_param_spec_object ("templates", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CREATED] =
    g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, OB_TYPE_VM);

  g_type_ensure (OB_TYPE_CLUSTER);
  g_type_ensure (OB_TYPE_TEMPLATE);

  g_type_ensure (OB_TYPE_SPINNER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ovirtballoon/OvirtBalloon/ui/ob-new-vm-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ObNewVmDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, ObNewVmDialog, fault_revealer);
  gtk_widget_class_bind_template_child (widget_class, ObNewVmDialog, fault_reason_label);
  gtk_widget_class_bind_template_child (widget_class, ObNewVmDialog, fault_detail_label);
  gtk_widget_class_bind_template_child (widget_class, ObNewVmDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, ObNewVmDialog, cluster_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ObNewVmDialog, template_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ObNewVmDialog, memory_spin);
  gtk_widget_class_bind_template_child (widget_class, ObNewVmDialog, balloon_check);
  gtk_widget_class_bind_template_child (widget_class, ObNewVmDialog, balloon_reason_label);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_cluster_selected);

  gtk_widget_class_install_action (widget_class, "dialog.create", NULL, ob_new_vm_dialog_create_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ob_new_vm_dialog_init (ObNewVmDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

ObNewVmDialog *
ob_new_vm_dialog_new (GtkWindow  *parent,
                      ObClient   *client,
                      GListModel *clusters,
                      GListModel *templates)
{
  g_return_val_if_fail (OB_IS_CLIENT (client), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (clusters), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (templates), NULL);

  return g_object_new (OB_TYPE_NEW_VM_DIALOG,
                       "transient-for", parent,
                       "client", client,
                       "clusters", clusters,
                       "templates", templates,
                       NULL);
}

gboolean
ob_new_vm_dialog_get_busy (ObNewVmDialog *self)
{
  g_return_val_if_fail (OB_IS_NEW_VM_DIALOG (self), FALSE);

  return self->busy;
}

const char *
ob_new_vm_dialog_get_note (ObNewVmDialog *self)
{
  g_return_val_if_fail (OB_IS_NEW_VM_DIALOG (self), NULL);

  return self->note;
}
