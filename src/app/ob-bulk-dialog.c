/* ob-bulk-dialog.c: enable or disable the balloon on many VMs: a preview
 * of what will happen, then progress and the result for each VM, which
 * can be filtered and copied
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-bulk-dialog.h"
#include "ob-bulk-plan.h"
#include "ob-dialog-util.h"

struct _ObBulkDialog
{
  GtkWindow       parent_instance;

  /* Template widgets */
  GtkWidget      *close_button;
  GtkWidget      *confirm_button;
  GtkWidget      *cancel_button;
  GtkWidget      *copy_button;
  GtkLabel       *summary_label;
  GtkLabel       *detail_label;
  GtkProgressBar *progress_bar;
  GtkWidget      *filter_box;
  GtkToggleButton *filter_all_button;
  GtkToggleButton *filter_failed_button;
  GtkToggleButton *filter_skipped_button;
  GtkListBox     *result_list;

  ObClient       *client;
  GPtrArray      *vms;
  gboolean        enable;
  GCancellable   *cancellable;
  ObBulkPlan     *plan;
  GPtrArray      *results;
  gboolean        busy;
  gboolean        started;
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
  gtk_widget_set_visible (self->confirm_button, !self->started);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy);
  gtk_button_set_label (GTK_BUTTON (self->close_button), self->started ? _("_Close") : _("_Cancel"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.cancel", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.confirm", !self->started);
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

static char *
ob_bulk_dialog_count_text (ObChangeOutcome outcome,
                           guint           n)
{
  switch (outcome)
    {
    case OB_CHANGE_APPLIED:
      return g_strdup_printf (_("%u changed"), n);
    case OB_CHANGE_NEXT_RUN:
      return g_strdup_printf (_("%u at next run"), n);
    case OB_CHANGE_PENDING_CANCELLED:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u pending change cancelled",
                                           "%u pending changes cancelled", n), n);
    case OB_CHANGE_UNCHANGED:
      return g_strdup_printf (_("%u already set"), n);
    case OB_CHANGE_SKIPPED:
      return g_strdup_printf (_("%u skipped"), n);
    case OB_CHANGE_FAILED:
    default:
      return g_strdup_printf (_("%u failed"), n);
    }
}

static const char *
ob_bulk_dialog_kind_text (ObBulkKind kind,
                          gboolean   enable)
{
  switch (kind)
    {
    case OB_BULK_NOW:
      return _("Now");
    case OB_BULK_NEXT_RUN:
      return _("At next run");
    case OB_BULK_PENDING:
      return _("Has a pending change");
    case OB_BULK_UNSUPPORTED:
      return _("Not supported");
    case OB_BULK_ALREADY:
    case OB_BULK_N_KINDS:
    default:
      return enable ? _("Already on") : _("Already off");
    }
}

/* A row: the VM's name, a short verdict on the right, a detail line. */
static GtkWidget *
ob_bulk_dialog_row (const char *vm_name,
                    const char *verdict,
                    const char *verdict_class,
                    const char *detail)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *name = gtk_label_new (vm_name);
  GtkWidget *outcome = gtk_label_new (verdict);

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_top (grid, 6);
  gtk_widget_set_margin_bottom (grid, 6);
  gtk_widget_set_margin_start (grid, 12);
  gtk_widget_set_margin_end (grid, 12);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (name, vm_name);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (outcome), 1);
  if (verdict_class != NULL)
    gtk_widget_add_css_class (outcome, verdict_class);
  gtk_grid_attach (GTK_GRID (grid), name, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), outcome, 1, 0, 1, 1);

  if (detail != NULL && *detail != '\0')
    {
      GtkWidget *message = gtk_label_new (detail);

      gtk_label_set_xalign (GTK_LABEL (message), 0);
      gtk_label_set_wrap (GTK_LABEL (message), TRUE);
      /* Engine details may hold long unbreakable tokens (ids, URLs). */
      gtk_label_set_wrap_mode (GTK_LABEL (message), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (message), TRUE);
      gtk_widget_add_css_class (message, "dim-label");
      gtk_grid_attach (GTK_GRID (grid), message, 0, 1, 2, 1);
    }
  return grid;
}

static GtkWidget *
ob_bulk_dialog_result_row (ObBalloonResult *result)
{
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row),
                              ob_bulk_dialog_row (ob_vm_get_name (result->vm),
                                                  ob_bulk_dialog_outcome_text (result->outcome),
                                                  result->outcome == OB_CHANGE_FAILED ? "error"
                                                  : result->outcome == OB_CHANGE_SKIPPED ? "warning" : "success",
                                                  result->error != NULL ? result->error->message : result->message));
  /* For the filter and the copy. */
  g_object_set_data (G_OBJECT (row), "ob-result", result);
  return row;
}

static void
ob_bulk_dialog_clear_list (ObBulkDialog *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->result_list))) != NULL)
    gtk_list_box_remove (self->result_list, row);
}

/* Before anything is sent: what each VM will get, from the list as loaded. */
static void
ob_bulk_dialog_show_plan (ObBulkDialog *self)
{
  ObBulkPlan *plan = self->plan;
  guint n = ob_bulk_plan_get_n_to_send (plan);
  g_autofree char *counts = ob_bulk_plan_describe (plan);
  g_autofree char *confirm = NULL;

  gtk_label_set_label (self->summary_label, counts);
  gtk_label_set_label (self->detail_label,
                       _("Nothing has been sent yet. Each VM is read again before it is changed."));
  confirm = g_strdup_printf (self->enable
                             ? g_dngettext (GETTEXT_PACKAGE, "_Enable %u VM", "_Enable %u VMs", n)
                             : g_dngettext (GETTEXT_PACKAGE, "_Disable %u VM", "_Disable %u VMs", n),
                             n);
  gtk_button_set_label (GTK_BUTTON (self->confirm_button), confirm);

  /* What needs attention first: VMs that will not be changed, then the rest. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < plan->vms->len; i++)
      {
        ObVm *vm = g_ptr_array_index (plan->vms, i);
        ObBulkKind kind = g_array_index (plan->kinds, ObBulkKind, i);
        g_autofree char *reason = NULL;

        if ((kind == OB_BULK_UNSUPPORTED) != (pass == 0))
          continue;
        if (kind == OB_BULK_UNSUPPORTED)
          reason = ob_vm_dup_balloon_reason (vm);
        gtk_list_box_append (self->result_list,
                             ob_bulk_dialog_row (ob_vm_get_name (vm), ob_bulk_dialog_kind_text (kind, self->enable),
                                                 kind == OB_BULK_UNSUPPORTED ? "warning" : "dim-label", reason));
      }
}

static gboolean
ob_bulk_dialog_row_shown (GtkListBoxRow *row,
                          gpointer       user_data)
{
  ObBulkDialog *self = user_data;
  ObBalloonResult *result = g_object_get_data (G_OBJECT (row), "ob-result");

  if (result == NULL || gtk_toggle_button_get_active (self->filter_all_button))
    return TRUE;
  if (gtk_toggle_button_get_active (self->filter_failed_button))
    return result->outcome == OB_CHANGE_FAILED;
  return result->outcome == OB_CHANGE_SKIPPED;
}

static void
on_filter_toggled (ObBulkDialog    *self,
                   GtkToggleButton *button)
{
  if (gtk_toggle_button_get_active (button))
    gtk_list_box_invalidate_filter (self->result_list);
}

static void
ob_bulk_dialog_label_filters (ObBulkDialog *self,
                              const guint  *counts)
{
  g_autofree char *all = g_strdup_printf (_("_All (%u)"), self->results->len);
  g_autofree char *failed = g_strdup_printf (_("_Failed (%u)"), counts[OB_CHANGE_FAILED]);
  g_autofree char *skipped = g_strdup_printf (_("S_kipped (%u)"), counts[OB_CHANGE_SKIPPED]);

  gtk_button_set_label (GTK_BUTTON (self->filter_all_button), all);
  gtk_button_set_label (GTK_BUTTON (self->filter_failed_button), failed);
  gtk_button_set_label (GTK_BUTTON (self->filter_skipped_button), skipped);
  gtk_widget_set_visible (self->filter_box, TRUE);
  gtk_widget_set_visible (self->copy_button, TRUE);
}

static void
ob_bulk_dialog_progress (guint    done,
                         guint    total,
                         gpointer user_data)
{
  ObBulkDialog *self = user_data;
  g_autofree char *text = g_strdup_printf (_("%u of %u"), done, total);

  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? MIN (1.0, (double) done / total) : 1.0);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
ob_bulk_dialog_show_results (ObBulkDialog *self,
                             GPtrArray    *results)
{
  guint counts[OB_CHANGE_N_OUTCOMES] = { 0 };
  const ObChangeOutcome order[] = { OB_CHANGE_APPLIED, OB_CHANGE_NEXT_RUN, OB_CHANGE_PENDING_CANCELLED,
                                     OB_CHANGE_UNCHANGED, OB_CHANGE_SKIPPED, OB_CHANGE_FAILED };
  g_autoptr(GString) parts = g_string_new (NULL);
  g_autofree char *summary = NULL;

  self->results = results;
  ob_bulk_dialog_clear_list (self);
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
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      ObChangeOutcome o = order[i];
      g_autofree char *part = NULL;

      if (counts[o] == 0)
        continue;
      part = ob_bulk_dialog_count_text (o, counts[o]);
      if (parts->len > 0)
        /* Translators: between the parts of a list of counts */
        g_string_append (parts, _(", "));
      g_string_append (parts, part);
    }
  /* Translators: %s lists counts of VMs per outcome: "2 changed, 1 failed" */
  summary = g_strdup_printf (_("Done: %s."), parts->str);
  gtk_label_set_label (self->summary_label, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), FALSE);
  ob_bulk_dialog_label_filters (self, counts);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static void
ob_bulk_dialog_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(ObBulkDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sent = ob_client_set_balloon_many_finish (OB_CLIENT (source), result, &error);

  /* Cancelled because the dialog went away: nothing left to show. */
  if (sent == NULL && gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;

  ob_bulk_dialog_set_busy (self, FALSE);
  if (sent == NULL)
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
  ob_bulk_dialog_show_results (self, ob_bulk_plan_merge (self->plan, sent));
}

/* Once the dialog is shown, so that "finished" can be heard. */
static void
ob_bulk_dialog_finish_unsent (gpointer user_data)
{
  g_autoptr(ObBulkDialog) self = user_data;

  if (!gtk_widget_in_destruction (GTK_WIDGET (self)))
    ob_bulk_dialog_show_results (self, ob_bulk_plan_merge (self->plan, NULL));
}

void
ob_bulk_dialog_start (ObBulkDialog *self)
{
  g_autoptr(GPtrArray) to_send = NULL;
  g_autofree char *summary = NULL;

  g_return_if_fail (OB_IS_BULK_DIALOG (self));

  if (self->started)
    return;
  self->started = TRUE;
  to_send = ob_bulk_plan_dup_to_send (self->plan);
  ob_bulk_dialog_clear_list (self);
  summary = g_strdup_printf (self->enable
                             ? g_dngettext (GETTEXT_PACKAGE, "Enabling the memory balloon on %u VM…",
                                            "Enabling the memory balloon on %u VMs…", to_send->len)
                             : g_dngettext (GETTEXT_PACKAGE, "Disabling the memory balloon on %u VM…",
                                            "Disabling the memory balloon on %u VMs…", to_send->len),
                             to_send->len);
  gtk_label_set_label (self->summary_label, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), FALSE);
  ob_bulk_dialog_progress (0, to_send->len, self);
  ob_bulk_dialog_set_busy (self, TRUE);
  ob_client_set_balloon_many_async (self->client, to_send, self->enable, OB_SET_BALLOON_NONE,
                                    ob_bulk_dialog_progress, g_object_ref (self), g_object_unref,
                                    self->cancellable,
                                    ob_bulk_dialog_done_cb, g_object_ref (self));
}

char *
ob_bulk_dialog_dup_shown_text (ObBulkDialog *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (OB_IS_BULK_DIALOG (self), NULL);

  /* In the list's order, as filtered; tab-separated for spreadsheets. */
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->result_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      ObBalloonResult *r = g_object_get_data (G_OBJECT (row), "ob-result");
      g_autofree char *detail = NULL;

      if (r == NULL || !ob_bulk_dialog_row_shown (GTK_LIST_BOX_ROW (row), self))
        continue;
      detail = g_strdelimit (g_strdup (r->error != NULL ? r->error->message : r->message), "\t\r\n", ' ');
      g_string_append_printf (text, "%s\t%s\t%s\n", ob_vm_get_name (r->vm),
                              ob_bulk_dialog_outcome_text (r->outcome), detail);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
ob_bulk_dialog_confirm_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  ob_bulk_dialog_start (OB_BULK_DIALOG (widget));
}

static void
ob_bulk_dialog_cancel_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  g_cancellable_cancel (OB_BULK_DIALOG (widget)->cancellable);
}

static void
ob_bulk_dialog_copy_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  ObBulkDialog *self = OB_BULK_DIALOG (widget);
  g_autofree char *text = ob_bulk_dialog_dup_shown_text (self);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
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

  G_OBJECT_CLASS (ob_bulk_dialog_parent_class)->constructed (object);

  gtk_window_set_title (GTK_WINDOW (self), self->enable ? _("Enable Balloon") : _("Disable Balloon"));
  self->plan = ob_bulk_plan_new (self->vms, self->enable);
  ob_bulk_dialog_show_plan (self);
  /* Nothing to send: the results are known without a confirmation. */
  self->started = ob_bulk_plan_get_n_to_send (self->plan) == 0;
  ob_bulk_dialog_set_busy (self, FALSE);
  if (self->started)
    {
      ob_bulk_dialog_progress (0, 0, self);
      g_idle_add_once (ob_bulk_dialog_finish_unsent, g_object_ref (self));
    }
  else
    gtk_window_set_default_widget (GTK_WINDOW (self), self->confirm_button);
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
  g_clear_pointer (&self->plan, ob_bulk_plan_free);

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
  gtk_widget_class_bind_template_child (widget_class, ObBulkDialog, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, ObBulkDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ObBulkDialog, copy_button);
  gtk_widget_class_bind_template_child (widget_class, ObBulkDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, ObBulkDialog, detail_label);
  gtk_widget_class_bind_template_child (widget_class, ObBulkDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ObBulkDialog, filter_box);
  gtk_widget_class_bind_template_child (widget_class, ObBulkDialog, filter_all_button);
  gtk_widget_class_bind_template_child (widget_class, ObBulkDialog, filter_failed_button);
  gtk_widget_class_bind_template_child (widget_class, ObBulkDialog, filter_skipped_button);
  gtk_widget_class_bind_template_child (widget_class, ObBulkDialog, result_list);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_toggled);

  gtk_widget_class_install_action (widget_class, "dialog.confirm", NULL, ob_bulk_dialog_confirm_action);
  gtk_widget_class_install_action (widget_class, "dialog.cancel", NULL, ob_bulk_dialog_cancel_action);
  gtk_widget_class_install_action (widget_class, "dialog.copy", NULL, ob_bulk_dialog_copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ob_bulk_dialog_init (ObBulkDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_list_box_set_filter_func (self->result_list, ob_bulk_dialog_row_shown, self, NULL);
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
