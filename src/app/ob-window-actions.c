/* ob-window-actions.c: the main window's browse actions: filter, server
 * search, refresh, and the dialogs (edit, new VM, Run Once, bulk).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-bulk-dialog.h"
#include "ob-edit-template-dialog.h"
#include "ob-edit-vm-dialog.h"
#include "ob-new-vm-dialog.h"
#include "ob-run-once-dialog.h"
#include "ob-window-private.h"

static void
on_filter_changed (ObWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));

  gtk_string_filter_set_search (self->name_filter, text[0] != '\0' ? text : NULL);
  ob_window_update_state (self);
}

static void
on_server_search_activate (ObWindow *self)
{
  ob_window_reload (self);
}

static void
on_view_changed (ObWindow *self)
{
  ob_window_update_state (self);
}

/* The bottom bar carries the tabs when the header has no room for them. */
void
ob_window_update_switcher_bar (ObWindow *self)
{
  gboolean squeezed = adw_squeezer_get_visible_child (self->switcher_squeezer) != self->view_switcher;

  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    self->client != NULL && squeezed);
}

static void
on_switcher_squeezed (ObWindow *self)
{
  ob_window_update_switcher_bar (self);
}

static void
ob_window_refresh_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  ob_window_reload (OB_WINDOW (widget));
}

static void
ob_window_cancel_load_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);

  g_cancellable_cancel (self->load_cancellable);
  ob_window_set_loading (self, FALSE);
}

static void
ob_window_filter_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->filter_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->filter_entry));
}

static void
ob_window_server_search_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (OB_WINDOW (widget)->server_search_entry));
}

void
ob_window_edit_vm (ObWindow *self,
                   ObVm     *vm)
{
  ObEditVmDialog *dialog = ob_edit_vm_dialog_new (GTK_WINDOW (self), self->client, vm);

  ob_window_watch_dialog (self, GTK_WINDOW (dialog), vm);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ob_window_edit_template (ObWindow   *self,
                         ObTemplate *template)
{
  ObEditTemplateDialog *dialog = ob_edit_template_dialog_new (GTK_WINDOW (self), self->client, template);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ob_window_edit_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);

  if (ob_window_templates_shown (self))
    {
      ObTemplate *template = gtk_single_selection_get_selected_item (self->template_selection);

      if (template != NULL)
        ob_window_edit_template (self, template);
    }
  else
    {
      g_autoptr(GPtrArray) selected = ob_window_dup_selected_vms (self);

      if (selected->len == 1)
        ob_window_edit_vm (self, g_ptr_array_index (selected, 0));
    }
}

static void
on_vm_activated (ObWindow *self,
                 guint     position)
{
  g_autoptr(ObVm) vm = g_list_model_get_item (G_LIST_MODEL (self->vm_selection), position);

  if (vm != NULL && self->client != NULL)
    ob_window_edit_vm (self, vm);
}

static void
on_template_activated (ObWindow *self,
                       guint     position)
{
  g_autoptr(ObTemplate) template = g_list_model_get_item (G_LIST_MODEL (self->template_selection), position);

  if (template != NULL)
    ob_window_edit_template (self, template);
}

static void
ob_window_vm_created_cb (ObWindow       *self,
                         ObVm           *vm,
                         ObNewVmDialog  *dialog)
{
  g_list_store_append (self->vms, vm);
  ob_window_update_state (self);
}

static void
ob_window_new_vm_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);
  ObNewVmDialog *dialog;

  if (self->client == NULL)
    return;
  dialog = ob_new_vm_dialog_new (GTK_WINDOW (self), self->client,
                                 G_LIST_MODEL (self->clusters), G_LIST_MODEL (self->templates));
  g_signal_connect_object (dialog, "created", G_CALLBACK (ob_window_vm_created_cb), self, G_CONNECT_SWAPPED);
  ob_window_watch_dialog (self, GTK_WINDOW (dialog), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ob_window_run_once_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);
  g_autoptr(GPtrArray) selected = ob_window_dup_selected_vms (self);

  /* Only a VM that is down can be started. */
  if (selected->len == 1 && self->client != NULL && ob_vm_is_down (g_ptr_array_index (selected, 0)))
    {
      ObRunOnceDialog *dialog = ob_run_once_dialog_new (GTK_WINDOW (self), self->client,
                                                        g_ptr_array_index (selected, 0));

      ob_window_watch_dialog (self, GTK_WINDOW (dialog), g_ptr_array_index (selected, 0));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
ob_window_set_balloon_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);
  g_autoptr(GPtrArray) selected = ob_window_dup_selected_vms (self);
  gboolean enable = g_str_equal (action_name, "win.enable-balloon");
  ObBulkDialog *dialog;

  if (selected->len == 0 || self->client == NULL)
    return;
  dialog = ob_bulk_dialog_new (GTK_WINDOW (self), self->client, selected, enable);
  ob_window_watch_dialog (self, GTK_WINDOW (dialog), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
ob_window_actions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_server_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_view_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_switcher_squeezed);
  gtk_widget_class_bind_template_callback (widget_class, on_vm_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_template_activated);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, ob_window_refresh_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-load", NULL, ob_window_cancel_load_action);
  gtk_widget_class_install_action (widget_class, "win.filter", NULL, ob_window_filter_action);
  gtk_widget_class_install_action (widget_class, "win.server-search", NULL, ob_window_server_search_action);
  gtk_widget_class_install_action (widget_class, "win.edit", NULL, ob_window_edit_action);
  gtk_widget_class_install_action (widget_class, "win.new-vm", NULL, ob_window_new_vm_action);
  gtk_widget_class_install_action (widget_class, "win.run-once", NULL, ob_window_run_once_action);
  gtk_widget_class_install_action (widget_class, "win.enable-balloon", NULL, ob_window_set_balloon_action);
  gtk_widget_class_install_action (widget_class, "win.disable-balloon", NULL, ob_window_set_balloon_action);
}
