/* ob-window-toasts.c: the main window's toasts after a dialog's work
 * (a save, a creation, a start, a bulk run), with Undo for a balloon that
 * was switched on or off.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-bulk-dialog.h"
#include "ob-edit-vm-dialog.h"
#include "ob-new-vm-dialog.h"
#include "ob-run-once-dialog.h"
#include "ob-window-private.h"

void
ob_window_toast (ObWindow   *self,
                 const char *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static ObWindow *
ob_window_of_dialog (GtkWindow *dialog)
{
  GtkWindow *parent = gtk_window_get_transient_for (dialog);

  return OB_IS_WINDOW (parent) ? OB_WINDOW (parent) : NULL;
}

/* What a VM had before its Edit dialog saved, for Undo. */
typedef struct
{
  ObVm           *vm;
  ObBalloonState  before;
} ObSavedVm;

static void
ob_saved_vm_free (gpointer data)
{
  ObSavedVm *saved = data;

  g_object_unref (saved->vm);
  g_free (saved);
}

static void
ob_window_vm_saved_cb (GtkWindow *dialog,
                       ObSavedVm *saved)
{
  ObWindow *self = ob_window_of_dialog (dialog);
  ObBalloonState now = ob_vm_get_ballooning (saved->vm);
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (self == NULL)
    return;

  /* Undo only a balloon that visibly changed (not a next-run change). */
  if (now != saved->before && saved->before != OB_BALLOON_STATE_UNKNOWN)
    {
      title = g_strdup_printf (now == OB_BALLOON_STATE_ON
                               ? _("Memory balloon of “%s” turned on")
                               : _("Memory balloon of “%s” turned off"),
                               ob_vm_get_name (saved->vm));
      toast = adw_toast_new (title);
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, "win.undo-balloon");
      adw_toast_set_action_target_value (toast, g_variant_new ("(sb)", ob_vm_get_id (saved->vm),
                                                               saved->before == OB_BALLOON_STATE_ON));
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      return;
    }

  title = g_strdup_printf (_("“%s” saved"), ob_vm_get_name (saved->vm));
  ob_window_toast (self, title);
}

static void
ob_window_watch_edit_vm (ObWindow  *self,
                         GtkWindow *dialog,
                         ObVm      *vm)
{
  ObSavedVm *saved = g_new0 (ObSavedVm, 1);

  saved->vm = g_object_ref (vm);
  saved->before = ob_vm_get_ballooning (vm);
  g_signal_connect_data (dialog, "saved", G_CALLBACK (ob_window_vm_saved_cb), saved,
                         (GClosureNotify) ob_saved_vm_free, 0);
}

static void
ob_window_undo_balloon_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(ObWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObBalloonResult) outcome = ob_client_set_balloon_finish (OB_CLIENT (source), result, &error);
  g_autofree char *title = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (outcome == NULL)
    /* Translators: %s is the engine's reason. */
    title = g_strdup_printf (_("Could not undo: %s"), error->message);
  else
    title = g_strdup_printf (_("“%s” is back as it was"), ob_vm_get_name (outcome->vm));
  ob_window_toast (self, title);
  ob_window_update_state (self);
}

static void
ob_window_undo_balloon_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);
  const char *id;
  gboolean enable;

  g_variant_get (parameter, "(&sb)", &id, &enable);
  if (self->client == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->vms)); i++)
    {
      g_autoptr(ObVm) vm = g_list_model_get_item (G_LIST_MODEL (self->vms), i);

      if (g_strcmp0 (ob_vm_get_id (vm), id) == 0)
        {
          ob_client_set_balloon_async (self->client, vm, enable, OB_SET_BALLOON_NONE,
                                       self->load_cancellable,
                                       ob_window_undo_balloon_cb, g_object_ref (self));
          return;
        }
    }
}

static void
ob_window_vm_created_toast_cb (GtkWindow *dialog,
                               ObVm      *vm)
{
  ObWindow *self = ob_window_of_dialog (dialog);
  g_autofree char *title = NULL;

  if (self == NULL)
    return;
  title = g_strdup_printf (_("“%s” created"), ob_vm_get_name (vm));
  ob_window_toast (self, title);
}

static void
ob_window_run_once_finished_cb (GtkWindow *dialog,
                                gboolean   started,
                                ObVm      *vm)
{
  ObWindow *self = ob_window_of_dialog (dialog);
  g_autofree char *title = NULL;

  if (self == NULL || !started)
    return;
  title = g_strdup_printf (_("“%s” is starting"), ob_vm_get_name (vm));
  ob_window_toast (self, title);
}

static void
ob_window_bulk_finished_cb (ObBulkDialog *dialog)
{
  ObWindow *self = ob_window_of_dialog (GTK_WINDOW (dialog));
  GPtrArray *results = ob_bulk_dialog_get_results (dialog);
  guint failed = 0;
  g_autofree char *title = NULL;

  if (self == NULL)
    return;
  if (results == NULL)
    {
      ob_window_toast (self, _("Bulk change stopped"));
      return;
    }
  for (guint i = 0; i < results->len; i++)
    if (((ObBalloonResult *) g_ptr_array_index (results, i))->outcome == OB_CHANGE_FAILED)
      failed++;
  if (failed > 0)
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Bulk change done, %u VM failed",
                                          "Bulk change done, %u VMs failed", failed), failed);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Bulk change done for %u VM",
                                          "Bulk change done for %u VMs", results->len), results->len);
  ob_window_toast (self, title);
}

void
ob_window_watch_dialog (ObWindow  *self,
                        GtkWindow *dialog,
                        ObVm      *vm)
{
  if (OB_IS_NEW_VM_DIALOG (dialog))
    g_signal_connect (dialog, "created", G_CALLBACK (ob_window_vm_created_toast_cb), NULL);
  else if (OB_IS_RUN_ONCE_DIALOG (dialog))
    g_signal_connect_data (dialog, "finished", G_CALLBACK (ob_window_run_once_finished_cb),
                           g_object_ref (vm), (GClosureNotify) g_object_unref, 0);
  else if (OB_IS_BULK_DIALOG (dialog))
    g_signal_connect (dialog, "finished", G_CALLBACK (ob_window_bulk_finished_cb), NULL);
  else if (OB_IS_EDIT_VM_DIALOG (dialog))
    ob_window_watch_edit_vm (self, dialog, vm);
}

void
ob_window_toasts_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.undo-balloon", "(sb)", ob_window_undo_balloon_action);
}
