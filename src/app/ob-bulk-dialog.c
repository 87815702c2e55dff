/* ob-bulk-dialog.c: enable or disable the balloon on many VMs, with
 * progress and the result for each VM
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-bulk-dialog.h"
#include "ob-dialog-util.h"

struct _ObBulkDialog
{
  GtkWindow       parent_instance;

  /* Template widgets */
  GtkWidget      *close_button;
  GtkWidget      *cancel_button;
  GtkLabel       *summary_label;
  GtkProgressBar *progress_bar;
  GtkListBox     *result_list;

  ObClient       *client;
  GPtrArray      *vms;
  gboolean        enable;
  GCancellable   *cancellable;
  GPtrArray      *results;
  gboolean        busy;
};

G_DEFINE_FINAL_TYPE (ObBulkDialog, ob_bulk_dialog, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_VMS,
  PROP_ENABLE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
ob_bulk_dialog_set_busy (ObBulkDialog *self,
                         gboolean      busy)
{
  self->busy = busy;
  gtk_widget_set_visible (self->cancel_button, busy);
  gtk_widget_set_visible (self->close_button, !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.cancel", busy);
  /* Closing mid-way would hide what happened; Stop first. */
  gtk_window_set_deletable (GTK_WINDOW (self), !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static const char *
ob_bulk_dialog_outcome_text (ObChangeOutcome outcome)
{
  switch (outcome)
    {
    case OB_CHANGE_APPLIED:
      return _("Changed");
    case OB_CHANGE_NEXT_RUN:
      return _("At next run");
    case OB_CHANGE_PENDING_CANCELLED:
      return _("Pending change cancelled");
    case OB_CHANGE_UNCHANGED:
      return _("Already set");
    case OB_CHANGE_SKIPPED:
      return _("Skipped");
    case OB_CHANGE_FAILED:
    default:
      return _("Failed");
    }
}

static GtkWidget *
ob_bulk_dialog_result_row (ObBalloonResult *result)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *name = gtk_label_new (ob_vm_get_name (result->vm));
  GtkWidget *outcome = gtk_label_new (ob_bulk_dialog_outcome_text (result->outcome));
  GtkWidget *message = gtk_label_new (result->error != NULL ? result->error->message : result->message);

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_top (grid, 6);
  gtk_widget_set_margin_bottom (grid, 6);
  gtk_widget_set_margin_start (grid, 12);
  gtk_widget_set_margin_end (grid, 12);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (outcome), 1);
  gtk_widget_add_css_class (outcome, result->outcome == OB_CHANGE_FAILED ? "error"
                                     : result->outcome == OB_CHANGE_SKIPPED ? "warning" : "success");
  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  /* Engine details may hold long unbreakable tokens (ids, URLs). */
  gtk_label_set_wrap_mode (GTK_LABEL (message), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (message), TRUE);
  gtk_widget_add_css_class (message, "dim-label");

  gtk_grid_attach (GTK_GRID (grid), name, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), outcome, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), message, 0, 1, 2, 1);
  return grid;
}

static void
ob_bulk_dialog_progress (guint    done,
                         guint    total,
                         gpointer user_data)
{
  ObBulkDialog *self = user_data;
  g_autofree char *text = g_strdup_printf (_("%u of %u"), done, total);

  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? MIN (1.0, (double) done / total) : 0);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
ob_bulk_dialog_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(ObBulkDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = ob_client_set_balloon_many_finish (OB_CLIENT (source), result, &error);
  guint counts[OB_CHANGE_FAILED + 1] = { 0 };
  g_autofree char *summary = NULL;

  /* Cancelled because the dialog went away: nothing left to show. */
  if (results == NULL && gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;

  ob_bulk_dialog_set_busy (self, FALSE);
  if (results == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->summary_label,
                             _("Stopped. VMs handled before stopping keep their new value; "
                               "refresh the list to see the current state."));
      else
        gtk_label_set_label (self->summary_label, error->message);
      g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
      return;
    }

  for (guint i = 0; i < results->len; i++)
    counts[((ObBalloonResult *) g_ptr_array_index (results, i))->outcome]++;
  /* What needs attention first: failures, then skipped VMs, then the rest. */
  for (int pass = 0; pass < 3; pass++)
    for (guint i = 0; i < results->len; i++)
      {
        ObBalloonResult *r = g_ptr_array_index (results, i);
        int rank = r->outcome == OB_CHANGE_FAILED ? 0 : r->outcome == OB_CHANGE_SKIPPED ? 1 : 2;

        if (rank == pass)
          gtk_list_box_append (self->result_list, ob_bulk_dialog_result_row (r));
      }
  /* Translators: counts of VMs per outcome after a bulk change. */
  summary = g_strdup_printf (_("Done: %u changed, %u at next run, %u already set, %u skipped, %u failed."),
                             counts[OB_CHANGE_APPLIED], counts[OB_CHANGE_NEXT_RUN],
                             counts[OB_CHANGE_UNCHANGED], counts[OB_CHANGE_SKIPPED],
                             counts[OB_CHANGE_FAILED]);
  gtk_label_set_label (self->summary_label, summary);
  self->results = g_steal_pointer (&results);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static void
ob_bulk_dialog_cancel_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  g_cancellable_cancel (OB_BULK_DIALOG (widget)->cancellable);
}

static gboolean
ob_bulk_dialog_close_request (GtkWindow *window)
{
  ObBulkDialog *self = OB_BULK_DIALOG (window);

  if (self->busy)
    {
      /* Escape while running stops first; the result stays visible. */
      g_cancellable_cancel (self->cancellable);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (ob_bulk_dialog_parent_class)->close_request (window);
}

static void
ob_bulk_dialog_constructed (GObject *object)
{
  ObBulkDialog *self = OB_BULK_DIALOG (object);
  g_autofree char *summary = NULL;

  G_OBJECT_CLASS (ob_bulk_dialog_parent_class)->constructed (object);

  gtk_window_set_title (GTK_WINDOW (self), self->enable ? _("Enable Balloon") : _("Disable Balloon"));
  summary = g_strdup_printf (self->enable
                             ? g_dngettext (GETTEXT_PACKAGE, "Enabling the memory balloon on %u VM…",
                                            "Enabling the memory balloon on %u VMs…", self->vms->len)
                             : g_dngettext (GETTEXT_PACKAGE, "Disabling the memory balloon on %u VM…",
                                            "Disabling the memory balloon on %u VMs…", self->vms->len),
                             self->vms->len);
  gtk_label_set_label (self->summary_label, summary);
  ob_bulk_dialog_progress (0, self->vms->len, self);

  ob_bulk_dialog_set_busy (self, TRUE);
  ob_client_set_balloon_many_async (self->client, self->vms, self->enable, OB_SET_BALLOON_NONE,
                                    ob_bulk_dialog_progress, g_object_ref (self), g_object_unref,
                                    self->cancellable,
                                    ob_bulk_dialog_done_cb, g_object_ref (self));
}

static void
ob_bulk_dialog_dispose (GObject *object)
{
  ObBulkDialog *self = OB_BULK_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OB_TYPE_BULK_DIALOG);

  G_OBJECT_CLASS (ob_bulk_dialog_parent_class)->dispose (object);
}

static void
ob_bulk_dialog_finalize (GObject *object)
{
  ObBulkDialog *self = OB_BULK_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->vms, g_ptr_array_unref);
  g_clear_pointer (&self->results, g_ptr_array_unref);

  G_OBJECT_CLASS (ob_bulk_dialog_parent_class)->finalize (object);
}

static void
ob_bulk_dialog_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ObBulkDialog *self = OB_BULK_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_VMS:
      g_value_set_boxed (value, self->vms);
      break;
    case PROP_ENABLE:
      g_value_set_boolean (value, self->enable);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_bulk_dialog_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ObBulkDialog *self = OB_BULK_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_VMS:
      self->vms = g_value_dup_boxed (value);
      break;
    case PROP_ENABLE:
      self->enable = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_bulk_dialog_class_init (ObBulkDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = ob_bulk_dialog_constructed;
  object_class->dispose = ob_bulk_dialog_dispose;
  object_class->finalize = ob_bulk_dialog_finalize;
  object_class->get_property = ob_bulk_dialog_get_property;
  object_class->set_property = ob_bulk_dialog_set_property;
  window_class->close_request = ob_bulk_dialog_close_request;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, OB_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VMS] =
    g_param_spec_boxed ("vms", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENABLE] =
    g_param_spec_boolean ("enable", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ovirtballoon/OvirtBalloon/ui/ob-bulk-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ObBulkDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, ObBulkDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ObBulkDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, ObBulkDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ObBulkDialog, result_list);

  gtk_widget_class_install_action (widget_class, "dialog.cancel", NULL, ob_bulk_dialog_cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ob_bulk_dialog_init (ObBulkDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

ObBulkDialog *
ob_bulk_dialog_new (GtkWindow *parent,
                    ObClient  *client,
                    GPtrArray *vms,
                    gboolean   enable)
{
  g_return_val_if_fail (OB_IS_CLIENT (client), NULL);
  g_return_val_if_fail (vms != NULL, NULL);

  return g_object_new (OB_TYPE_BULK_DIALOG,
                       "transient-for", parent,
                       "client", client,
                       "vms", vms,
                       "enable", enable,
                       NULL);
}

gboolean
ob_bulk_dialog_get_busy (ObBulkDialog *self)
{
  g_return_val_if_fail (OB_IS_BULK_DIALOG (self), FALSE);

  return self->busy;
}

GPtrArray *
ob_bulk_dialog_get_results (ObBulkDialog *self)
{
  g_return_val_if_fail (OB_IS_BULK_DIALOG (self), NULL);

  return self->results;
}
