/* ob-edit-template-dialog.c: a template's details and its balloon. Engines
 * from 4.4.6 on keep the balloon as a template setting and take a change;
 * older ones keep it as a device and do not support editing it on a
 * template, so there it is shown only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-edit-template-dialog.h"
#include "ob-status-text.h"

struct _ObEditTemplateDialog
{
  GtkWindow       parent_instance;

  /* Template widgets */
  GtkLabel       *name_label;
  GtkLabel       *description_label;
  GtkLabel       *cluster_label;
  GtkCheckButton *balloon_check;
  GtkLabel       *balloon_reason_label;
  GtkButton      *save_button;

  ObClient       *client;       /* nullable */
  ObTemplate     *template;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (ObEditTemplateDialog, ob_edit_template_dialog, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_TEMPLATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Only a flag-era engine takes a template's balloon. */
static gboolean
ob_edit_template_dialog_can_edit (ObEditTemplateDialog *self)
{
  return self->client != NULL &&
         ob_connection_get_balloon_era (ob_client_get_connection (self->client)) == OB_BALLOON_ERA_FLAG;
}

static void
ob_edit_template_dialog_saved_cb (GObject      *source,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(ObEditTemplateDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTemplate) updated = ob_client_set_template_balloon_finish (OB_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->balloon_check), TRUE);
  if (updated == NULL)
    {
      /* The checkbox keeps the user's choice, to try again. */
      gtk_label_set_label (self->balloon_reason_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->balloon_reason_label), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->balloon_reason_label), TRUE);
      return;
    }
  ob_template_set_ballooning (self->template, ob_template_get_ballooning (updated));
  gtk_window_close (GTK_WINDOW (self));
}

static void
ob_edit_template_dialog_save (ObEditTemplateDialog *self)
{
  gboolean enable = gtk_check_button_get_active (self->balloon_check);
  ObBalloonState state = ob_template_get_ballooning (self->template);

  /* Nothing to send when the value is the engine's. */
  if (state == (enable ? OB_BALLOON_STATE_ON : OB_BALLOON_STATE_OFF))
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->balloon_check), FALSE);
  ob_client_set_template_balloon_async (self->client, self->template, enable, self->cancellable,
                                        ob_edit_template_dialog_saved_cb, g_object_ref (self));
}

static void
ob_edit_template_dialog_constructed (GObject *object)
{
  ObEditTemplateDialog *self = OB_EDIT_TEMPLATE_DIALOG (object);
  ObBalloonState state = ob_template_get_ballooning (self->template);
  const char *description = ob_template_get_description (self->template);
  const char *cluster = ob_template_get_cluster_name (self->template);
  g_autofree char *title = NULL;
  g_autofree char *reason = NULL;

  G_OBJECT_CLASS (ob_edit_template_dialog_parent_class)->constructed (object);

  title = g_strdup_printf (_("Template “%s”"), ob_template_get_name (self->template));
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_label (self->name_label, ob_template_get_name (self->template));
  gtk_label_set_label (self->description_label,
                       description != NULL && *description != '\0' ? description : "—");
  gtk_label_set_label (self->cluster_label, cluster != NULL ? cluster : "—");

  gtk_check_button_set_active (self->balloon_check, state == OB_BALLOON_STATE_ON);
  gtk_check_button_set_inconsistent (self->balloon_check, state == OB_BALLOON_STATE_UNKNOWN);
  if (ob_edit_template_dialog_can_edit (self))
    {
      /* A flag-era engine: the balloon is a template setting. */
      gtk_widget_set_sensitive (GTK_WIDGET (self->balloon_check), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->save_button), TRUE);
      gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_button));
      gtk_widget_set_visible (GTK_WIDGET (self->balloon_reason_label), FALSE);
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->balloon_check), FALSE);
  if (state == OB_BALLOON_STATE_UNKNOWN)
    reason = g_strdup (_("Not supported for templates on this engine: it keeps the memory balloon "
                         "as a device (engines from 4.4.6 on keep it as a template setting)."));
  else
    reason = g_strdup_printf (_("Not supported for templates on this engine: it keeps the memory "
                                "balloon as a device (engines from 4.4.6 on keep it as a template "
                                "setting). The engine reports %s for this template."),
                              ob_status_text_balloon (state));
  gtk_label_set_label (self->balloon_reason_label, reason);
}

static void
ob_edit_template_dialog_dispose (GObject *object)
{
  ObEditTemplateDialog *self = OB_EDIT_TEMPLATE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), OB_TYPE_EDIT_TEMPLATE_DIALOG);

  G_OBJECT_CLASS (ob_edit_template_dialog_parent_class)->dispose (object);
}

static void
ob_edit_template_dialog_finalize (GObject *object)
{
  ObEditTemplateDialog *self = OB_EDIT_TEMPLATE_DIALOG (object);

  g_clear_object (&self->template);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ob_edit_template_dialog_parent_class)->finalize (object);
}

static void
ob_edit_template_dialog_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  ObEditTemplateDialog *self = OB_EDIT_TEMPLATE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_TEMPLATE:
      g_value_set_object (value, self->template);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_edit_template_dialog_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  ObEditTemplateDialog *self = OB_EDIT_TEMPLATE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_TEMPLATE:
      self->template = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_edit_template_dialog_class_init (ObEditTemplateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ob_edit_template_dialog_constructed;
  object_class->dispose = ob_edit_template_dialog_dispose;
  object_class->finalize = ob_edit_template_dialog_finalize;
  object_class->get_property = ob_edit_template_dialog_get_property;
  object_class->set_property = ob_edit_template_dialog_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, OB_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEMPLATE] =
    g_param_spec_object ("template", NULL, NULL, OB_TYPE_TEMPLATE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ovirtballoon/OvirtBalloon/ui/ob-edit-template-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ObEditTemplateDialog, name_label);
  gtk_widget_class_bind_template_child (widget_class, ObEditTemplateDialog, description_label);
  gtk_widget_class_bind_template_child (widget_class, ObEditTemplateDialog, cluster_label);
  gtk_widget_class_bind_template_child (widget_class, ObEditTemplateDialog, balloon_check);
  gtk_widget_class_bind_template_child (widget_class, ObEditTemplateDialog, balloon_reason_label);
  gtk_widget_class_bind_template_child (widget_class, ObEditTemplateDialog, save_button);
  gtk_widget_class_bind_template_callback (widget_class, ob_edit_template_dialog_save);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ob_edit_template_dialog_init (ObEditTemplateDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

ObEditTemplateDialog *
ob_edit_template_dialog_new (GtkWindow  *parent,
                             ObClient   *client,
                             ObTemplate *template)
{
  g_return_val_if_fail (client == NULL || OB_IS_CLIENT (client), NULL);
  g_return_val_if_fail (OB_IS_TEMPLATE (template), NULL);

  return g_object_new (OB_TYPE_EDIT_TEMPLATE_DIALOG,
                       "transient-for", parent,
                       "client", client,
                       "template", template,
                       NULL);
}
