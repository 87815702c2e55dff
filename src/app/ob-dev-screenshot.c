/* ob-dev-screenshot.c: the screenshot driver of data/screenshots/update.sh
 * (development build): connects to the in-process sandbox, waits for the
 * list, then opens the named view or dialog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ob-dev.h"
#include "ob-edit-vm-dialog.h"
#include "ob-window-private.h"
/* ob_sandbox_inject_fault(): in the engine's private header where it has one. */
#if __has_include ("ob-sandbox-private.h")
#include "ob-sandbox-private.h"
#endif

#define OB_DEV_SCREENSHOT_NAME_KEY "ob-dev-screenshot-name"

static void
ob_dev_screenshot_select (ObWindow   *self,
                          const char *name,
                          gboolean    exclusive)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->vm_selection));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ObVm) vm = g_list_model_get_item (G_LIST_MODEL (self->vm_selection), i);

      if (g_strcmp0 (ob_vm_get_name (vm), name) == 0)
        {
          gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->vm_selection), i, exclusive);
          return;
        }
    }
}

static void
ob_dev_screenshot_edit_vm_fault (ObWindow *self)
{
  g_autoptr(GPtrArray) selected = NULL;
  ObEditVmDialog *dialog;

  /* The engine refuses the next change: the fault shows in the dialog. */
  ob_dev_screenshot_select (self, "ci-runner-02", TRUE);
  selected = ob_window_dup_selected_vms (self);
  if (selected->len != 1 || self->sandbox == NULL)
    return;
  dialog = ob_edit_vm_dialog_new (GTK_WINDOW (self), self->client, g_ptr_array_index (selected, 0));
  gtk_window_present (GTK_WINDOW (dialog));
  ob_sandbox_inject_fault (self->sandbox, "PUT", "/ovirt-engine/api/vms", 400, 0, 1);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                                 OB_TYPE_EDIT_VM_DIALOG,
                                                                                 "balloon_check")),
                               TRUE);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
}

static void
ob_dev_screenshot_open (ObWindow   *self,
                        const char *name)
{
  GtkWidget *widget = GTK_WIDGET (self);

  if (g_str_equal (name, "templates"))
    gtk_stack_set_visible_child_name (self->view_stack, "templates");
  else if (g_str_equal (name, "edit-vm-fault"))
    ob_dev_screenshot_edit_vm_fault (self);
  else if (g_str_has_prefix (name, "edit-vm") || g_str_equal (name, "run-once"))
    {
      ob_dev_screenshot_select (self, g_str_equal (name, "edit-vm-refused") ? "legacy-db"
                                      : g_str_equal (name, "run-once") ? "ci-runner-02" : "web-01",
                                TRUE);
      gtk_widget_activate_action (widget, g_str_equal (name, "run-once") ? "win.run-once" : "win.edit", NULL);
    }
  else if (g_str_equal (name, "new-vm"))
    gtk_widget_activate_action (widget, "win.new-vm", NULL);
  else if (g_str_equal (name, "edit-template"))
    {
      gtk_stack_set_visible_child_name (self->view_stack, "templates");
      gtk_single_selection_set_selected (self->template_selection,
                                         MIN (1, g_list_model_get_n_items (G_LIST_MODEL (self->templates)) - 1));
      gtk_widget_activate_action (widget, "win.edit", NULL);
    }
  else if (g_str_equal (name, "bulk"))
    {
      /* A mixed selection: levels that forbid it, running and down VMs. */
      const char *names[] = { "legacy-db", "ppc-db", "web-04", "erp-02", "app-31-c", "ci-runner-02", "k8s-node-1" };

      gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->vm_selection));
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        ob_dev_screenshot_select (self, names[i], FALSE);
      gtk_widget_activate_action (widget, "win.enable-balloon", NULL);
    }
}

static void
ob_dev_screenshot_loading_cb (ObWindow   *self,
                              GParamSpec *pspec,
                              gpointer    user_data)
{
  g_autofree char *name = NULL;

  if (ob_window_get_loading (self) || self->client == NULL)
    return;
  g_signal_handlers_disconnect_by_func (self, ob_dev_screenshot_loading_cb, user_data);
  name = g_object_steal_data (G_OBJECT (self), OB_DEV_SCREENSHOT_NAME_KEY);
  if (name != NULL)
    ob_dev_screenshot_open (self, name);
}

void
ob_dev_screenshot_show (ObWindow   *self,
                        const char *name)
{
  g_return_if_fail (OB_IS_WINDOW (self));

  if (g_str_equal (name, "connect"))
    return;
  if (self->client != NULL)
    {
      ob_dev_screenshot_open (self, name);
      return;
    }
  /* Come back once the sandbox is connected and the list loaded. */
  g_object_set_data_full (G_OBJECT (self), OB_DEV_SCREENSHOT_NAME_KEY, g_strdup (name), g_free);
  g_signal_connect (self, "notify::loading", G_CALLBACK (ob_dev_screenshot_loading_cb), NULL);
  ob_window_connect_sandbox (self);
}
