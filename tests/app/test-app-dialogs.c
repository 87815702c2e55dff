/* test-app-dialogs.c: the app's dialogs and main window, driven
 * programmatically against an in-process sandbox engine (suite gui)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "ob-bulk-dialog.h"
#include "ob-client.h"
#include "ob-edit-template-dialog.h"
#include "ob-edit-vm-dialog.h"
#include "ob-error.h"
#include "ob-host-payload.h"
#include "ob-new-vm-dialog.h"
#include "ob-ovf-editor-window.h"
#include "ob-product.h"
#include "ob-run-once-dialog.h"
#include "ob-sandbox-private.h"
#include "ob-test-app.h"
#include "ob-test-wait.h"
#include "ob-trust-store.h"
#include "ob-window.h"

#define WAIT_TIMEOUT_S 60

#define new_window ob_test_new_main_window

typedef struct
{
  ObSandbox *sandbox;
  ObClient  *client;
} Fixture;

/* @version: the engine version the sandbox plays; NULL = its default. */
static void
fixture_start (Fixture    *fixture,
               const char *version)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  fixture->sandbox = ob_sandbox_new ();
  g_object_set (fixture->sandbox, "seed", "demo", NULL);
  if (version != NULL)
    g_object_set (fixture->sandbox, "engine-version", version, NULL);
  ob_sandbox_start (fixture->sandbox, &error);
  g_assert_no_error (error);

  connection = ob_connection_new (ob_sandbox_get_base_url (fixture->sandbox), &error);
  g_assert_no_error (error);
  ob_connection_set_credentials (connection, OB_SANDBOX_DEMO_USER, "sandbox");
  ob_connection_open_async (connection, NULL, ob_test_store_result, &result);
  ob_connection_open_finish (connection, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  fixture->client = ob_client_new (connection);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture_start (fixture, NULL);
}

/* A sandbox that plays an engine up to 4.4.5, where a template's balloon
 * is a device and cannot be edited. */
static void
fixture_setup_device_era (Fixture       *fixture,
                          gconstpointer  data)
{
  fixture_start (fixture, "4.4.5");
}

/* Dialogs left open by a test (Run Once and bulk stay open to show their
 * result) must not leak into the next one. */
static void
destroy_toplevels (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (window);
    }
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  destroy_toplevels ();
  g_clear_object (&fixture->client);
  ob_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
}

/* Reads a VM back over REST, individually (so its balloon state is known). */
static ObVm *
get_vm (Fixture    *fixture,
        const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  ObVm *vm;

  ob_client_get_vm_async (fixture->client, name, NULL, ob_test_store_result, &result);
  vm = ob_client_get_vm_finish (fixture->client, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (vm);
  return vm;
}

static GPtrArray *
list_clusters (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GPtrArray *clusters;

  ob_client_list_clusters_async (fixture->client, NULL, ob_test_store_result, &result);
  clusters = ob_client_list_clusters_finish (fixture->client, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  return clusters;
}

static GPtrArray *
list_templates (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GPtrArray *templates;

  ob_client_list_templates_async (fixture->client, NULL, ob_test_store_result, &result);
  templates = ob_client_list_templates_finish (fixture->client, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  return templates;
}

static GListStore *
store_from_array (GType      type,
                  GPtrArray *items)
{
  GListStore *store = g_list_store_new (type);

  g_list_store_splice (store, 0, 0, items->pdata, items->len);
  return store;
}

static gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

/* Waits for a dialog's "busy" property to settle to FALSE. */
static void
wait_not_busy (gpointer dialog)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_S * G_USEC_PER_SEC;
  gboolean busy = TRUE;

  while (busy)
    {
      g_object_get (dialog, "busy", &busy, NULL);
      if (!busy)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for the dialog to finish");
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Toggling the checkbox and pressing OK persists (read back over REST). */
static void
test_edit_vm_persists (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(ObVm) vm = get_vm (fixture, "ci-runner-02");
  g_autoptr(ObVm) back = NULL;
  g_autoptr(ObEditVmDialog) dialog = NULL;
  GtkCheckButton *check;
  gboolean saved = FALSE;

  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_OFF);
  dialog = g_object_ref_sink (ob_edit_vm_dialog_new (NULL, fixture->client, vm));
  gtk_window_present (GTK_WINDOW (dialog));
  check = child (dialog, OB_TYPE_EDIT_VM_DIALOG, "balloon_check");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (check)));
  g_assert_false (gtk_check_button_get_active (check));
  /* A VM that is down: no next-run note. */
  g_assert_false (gtk_widget_get_visible (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "next_run_label")));

  g_signal_connect_swapped (dialog, "saved", G_CALLBACK (ob_test_set_flag), &saved);
  gtk_check_button_set_active (check, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
  ob_test_wait_for_flag (&saved, "the dialog to save");

  /* The model the list shows was refreshed, and the engine has it. */
  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_ON);
  back = get_vm (fixture, "ci-runner-02");
  g_assert_cmpint (ob_vm_get_ballooning (back), ==, OB_BALLOON_STATE_ON);
}

/* General fields are editable: name, memory and the balloon saved in one
 * go, read back over REST. */
static void
test_edit_vm_general (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(ObVm) vm = get_vm (fixture, "ci-runner-02");
  g_autoptr(ObVm) back = NULL;
  g_autoptr(ObEditVmDialog) dialog = NULL;
  GtkEditable *name;
  GtkSpinButton *memory;
  gboolean saved = FALSE;

  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_OFF);
  dialog = g_object_ref_sink (ob_edit_vm_dialog_new (NULL, fixture->client, vm));
  gtk_window_present (GTK_WINDOW (dialog));
  name = child (dialog, OB_TYPE_EDIT_VM_DIALOG, "name_entry");
  memory = child (dialog, OB_TYPE_EDIT_VM_DIALOG, "memory_spin");
  g_assert_cmpstr (gtk_editable_get_text (name), ==, "ci-runner-02");
  g_assert_cmpuint ((guint64) gtk_spin_button_get_value_as_int (memory) * 1024 * 1024, ==,
                    ob_vm_get_memory (vm));

  g_signal_connect_swapped (dialog, "saved", G_CALLBACK (ob_test_set_flag), &saved);
  gtk_editable_set_text (name, "ci-runner-02b");
  gtk_editable_set_text (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "description_entry"), "build box");
  gtk_spin_button_set_value (memory, 6144);
  gtk_check_button_set_active (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "balloon_check"), TRUE);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
  ob_test_wait_for_flag (&saved, "the dialog to save");

  back = get_vm (fixture, "ci-runner-02b");
  g_assert_cmpstr (ob_vm_get_id (back), ==, ob_vm_get_id (vm));
  g_assert_cmpstr (ob_vm_get_description (back), ==, "build box");
  g_assert_cmpuint (ob_vm_get_memory (back), ==, G_GUINT64_CONSTANT (6144) * 1024 * 1024);
  g_assert_cmpint (ob_vm_get_ballooning (back), ==, OB_BALLOON_STATE_ON);
  /* The list's model follows. */
  g_assert_cmpstr (ob_vm_get_name (vm), ==, "ci-runner-02b");
}

/* A running VM: the note says the change applies at the next run, and the
 * engine stores it as the next-run configuration. */
static void
test_edit_vm_running (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(ObVm) vm = get_vm (fixture, "k8s-node-1");
  g_autoptr(ObVm) back = NULL;
  g_autoptr(ObEditVmDialog) dialog = NULL;
  gboolean saved = FALSE;

  g_assert_false (ob_vm_is_down (vm));
  dialog = g_object_ref_sink (ob_edit_vm_dialog_new (NULL, fixture->client, vm));
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (gtk_widget_get_visible (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "next_run_label")));

  g_signal_connect_swapped (dialog, "saved", G_CALLBACK (ob_test_set_flag), &saved);
  gtk_check_button_set_active (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "balloon_check"), FALSE);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
  ob_test_wait_for_flag (&saved, "the dialog to save");

  back = get_vm (fixture, "k8s-node-1");
  g_assert_true (ob_vm_get_next_run_configuration_exists (back));
}

/* web-03 runs with the balloon on and waits to turn it off: the dialog
 * shows the waiting value, marks it, and "Keep the current value" then
 * OK cancels the waiting change. */
static void
test_edit_vm_next_run_loaded (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(ObVm) vm = get_vm (fixture, "web-03");
  g_autoptr(ObVm) back = NULL;
  g_autoptr(ObEditVmDialog) dialog = NULL;
  GtkCheckButton *check;
  GtkLabel *pending;
  gboolean saved = FALSE;
  gboolean handled = FALSE;

  g_assert_true (ob_vm_get_next_run_configuration_exists (vm));
  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_ON);
  dialog = g_object_ref_sink (ob_edit_vm_dialog_new (NULL, fixture->client, vm));
  gtk_window_present (GTK_WINDOW (dialog));
  wait_not_busy (dialog);

  check = child (dialog, OB_TYPE_EDIT_VM_DIALOG, "balloon_check");
  pending = child (dialog, OB_TYPE_EDIT_VM_DIALOG, "balloon_pending_label");
  g_assert_false (gtk_check_button_get_active (check));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (pending)));
  g_test_message ("balloon mark: %s", gtk_label_get_text (pending));
  g_assert_nonnull (strstr (gtk_label_get_text (pending), "at next run"));
  /* Only the balloon waits. */
  g_assert_false (gtk_widget_get_visible (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "name_pending_label")));
  g_assert_false (gtk_widget_get_visible (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "memory_pending_label")));

  g_signal_emit_by_name (pending, "activate-link", "balloon", &handled);
  g_assert_true (handled);
  g_assert_true (gtk_check_button_get_active (check));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (pending)));

  g_signal_connect_swapped (dialog, "saved", G_CALLBACK (ob_test_set_flag), &saved);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
  ob_test_wait_for_flag (&saved, "the dialog to save");

  back = get_vm (fixture, "web-03");
  g_assert_false (ob_vm_get_next_run_configuration_exists (back));
  g_assert_cmpint (ob_vm_get_ballooning (back), ==, OB_BALLOON_STATE_ON);
}

/* OK on the waiting values as shown sends nothing: the change still waits. */
static void
test_edit_vm_next_run_kept (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(ObVm) vm = get_vm (fixture, "web-03");
  g_autoptr(ObVm) back = NULL;
  g_autoptr(ObEditVmDialog) dialog = g_object_ref_sink (ob_edit_vm_dialog_new (NULL, fixture->client, vm));

  gtk_window_present (GTK_WINDOW (dialog));
  wait_not_busy (dialog);
  g_object_ref (dialog);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
  g_assert_true (gtk_widget_in_destruction (GTK_WIDGET (dialog)) ||
                 !gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_object_unref (dialog);

  back = get_vm (fixture, "web-03");
  g_assert_true (ob_vm_get_next_run_configuration_exists (back));
}

/* A VM on a 3.0 cluster has an insensitive checkbox with the reason. */
static void
test_edit_vm_level_30 (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(ObVm) vm = get_vm (fixture, "legacy-db");
  g_autoptr(ObEditVmDialog) dialog = NULL;
  GtkLabel *reason;

  g_assert_cmpstr (ob_vm_get_cluster_version (vm), ==, "3.0");
  dialog = g_object_ref_sink (ob_edit_vm_dialog_new (NULL, fixture->client, vm));
  gtk_window_present (GTK_WINDOW (dialog));

  g_assert_false (gtk_widget_get_sensitive (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "balloon_check")));
  reason = child (dialog, OB_TYPE_EDIT_VM_DIALOG, "balloon_reason_label");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (reason)));
  g_assert_nonnull (strstr (gtk_label_get_label (reason), "3.1"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A custom level 3.0 on a 4.2 cluster counts, not the cluster's. */
static void
test_edit_vm_custom_level (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(ObVm) vm = get_vm (fixture, "web-04");
  g_autoptr(ObEditVmDialog) dialog = NULL;

  g_assert_cmpstr (ob_vm_get_cluster_version (vm), ==, "4.2");
  dialog = g_object_ref_sink (ob_edit_vm_dialog_new (NULL, fixture->client, vm));
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_false (gtk_widget_get_sensitive (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "balloon_check")));
  g_assert_true (gtk_widget_get_visible (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "balloon_reason_label")));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A server fault is shown inside the dialog, which stays open with the
 * user's choice; nothing changed on the engine. */
static void
test_edit_vm_fault (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(ObVm) vm = get_vm (fixture, "erp-03");
  g_autoptr(ObVm) back = NULL;
  g_autoptr(ObEditVmDialog) dialog = NULL;
  GtkCheckButton *check;
  GtkEditable *name;
  gboolean saved = FALSE;

  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_ON);
  dialog = g_object_ref_sink (ob_edit_vm_dialog_new (NULL, fixture->client, vm));
  gtk_window_present (GTK_WINDOW (dialog));
  g_signal_connect_swapped (dialog, "saved", G_CALLBACK (ob_test_set_flag), &saved);
  check = child (dialog, OB_TYPE_EDIT_VM_DIALOG, "balloon_check");
  gtk_check_button_set_active (check, FALSE);
  name = child (dialog, OB_TYPE_EDIT_VM_DIALOG, "name_entry");
  gtk_editable_set_text (name, "erp-03-edited");

  ob_sandbox_inject_fault (fixture->sandbox, "PUT", "/ovirt-engine/api/vms", 500, 0, 1);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
  g_assert_true (ob_edit_vm_dialog_get_busy (dialog));
  wait_not_busy (dialog);

  g_assert_false (saved);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_true (gtk_revealer_get_reveal_child (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "fault_revealer")));
  g_assert_cmpstr (gtk_label_get_label (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "fault_detail_label")), !=, "");
  g_test_message ("fault shown: %s / %s",
                  gtk_label_get_label (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "fault_reason_label")),
                  gtk_label_get_label (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "fault_detail_label")));
  /* The user's edit is intact and can be saved again. */
  g_assert_false (gtk_check_button_get_active (check));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (check)));
  g_assert_cmpstr (gtk_editable_get_text (name), ==, "erp-03-edited");
  g_assert_true (gtk_editable_get_editable (name));
  back = get_vm (fixture, "erp-03");
  g_assert_cmpint (ob_vm_get_ballooning (back), ==, OB_BALLOON_STATE_ON);

  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
  ob_test_wait_for_flag (&saved, "the second save");
  g_clear_object (&back);
  back = get_vm (fixture, "erp-03-edited");
  g_assert_cmpint (ob_vm_get_ballooning (back), ==, OB_BALLOON_STATE_OFF);
}

/* A 409 from the engine that is not about the balloon (the value on the
 * server is still the one the dialog opened with) is shown as the fault,
 * not as a conflict of values. */
static void
test_edit_vm_engine_409 (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(ObVm) vm = get_vm (fixture, "ci-runner-02");
  g_autoptr(ObEditVmDialog) dialog = NULL;
  gboolean saved = FALSE;

  dialog = g_object_ref_sink (ob_edit_vm_dialog_new (NULL, fixture->client, vm));
  gtk_window_present (GTK_WINDOW (dialog));
  g_signal_connect_swapped (dialog, "saved", G_CALLBACK (ob_test_set_flag), &saved);
  gtk_check_button_set_active (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "balloon_check"), TRUE);
  ob_sandbox_inject_fault (fixture->sandbox, "PUT", "/ovirt-engine/api/vms", 409, 0, 1);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
  wait_not_busy (dialog);

  g_assert_false (saved);
  g_assert_true (gtk_revealer_get_reveal_child (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "fault_revealer")));
  g_assert_false (gtk_revealer_get_reveal_child (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "conflict_revealer")));
  g_assert_true (gtk_check_button_get_active (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "balloon_check")));
}

/* Changed on the server meanwhile, to what the user then chooses too:
 * the server holds the choice, so it saves without a conflict. */
static void
test_edit_vm_conflict (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(ObVm) vm = get_vm (fixture, "app-31-a");
  g_autoptr(ObVm) other = get_vm (fixture, "app-31-a");
  g_autoptr(ObVm) back = NULL;
  g_autoptr(ObEditVmDialog) dialog = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ObBalloonResult) change = NULL;
  g_autoptr(GError) error = NULL;
  GtkCheckButton *check;
  gboolean saved = FALSE;

  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_ON);
  dialog = g_object_ref_sink (ob_edit_vm_dialog_new (NULL, fixture->client, vm));
  gtk_window_present (GTK_WINDOW (dialog));
  g_signal_connect_swapped (dialog, "saved", G_CALLBACK (ob_test_set_flag), &saved);
  check = child (dialog, OB_TYPE_EDIT_VM_DIALOG, "balloon_check");

  /* Someone else turns it off. */
  ob_client_set_balloon_async (fixture->client, other, FALSE, OB_SET_BALLOON_NONE, NULL,
                               ob_test_store_result, &result);
  change = ob_client_set_balloon_finish (fixture->client, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);

  /* The user, seeing On, chooses Off as well. */
  gtk_check_button_set_active (check, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
  ob_test_wait_for_flag (&saved, "the save of a value the server already holds");
  g_assert_false (gtk_revealer_get_reveal_child (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "conflict_revealer")));
  back = get_vm (fixture, "app-31-a");
  g_assert_cmpint (ob_vm_get_ballooning (back), ==, OB_BALLOON_STATE_OFF);
}

/* A name another VM has: the engine's refusal is named as such, not as a
 * change made meanwhile, and the dialog keeps the edit. */
static void
test_edit_vm_name_in_use (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(ObVm) vm = get_vm (fixture, "ci-runner-01");
  g_autoptr(ObVm) back = NULL;
  g_autoptr(ObEditVmDialog) dialog = NULL;
  GtkLabel *reason;
  gboolean saved = FALSE;

  dialog = g_object_ref_sink (ob_edit_vm_dialog_new (NULL, fixture->client, vm));
  gtk_window_present (GTK_WINDOW (dialog));
  g_signal_connect_swapped (dialog, "saved", G_CALLBACK (ob_test_set_flag), &saved);
  gtk_editable_set_text (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "name_entry"), "web-01");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
  wait_not_busy (dialog);

  g_assert_false (saved);
  g_assert_false (gtk_revealer_get_reveal_child (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "conflict_revealer")));
  g_assert_true (gtk_revealer_get_reveal_child (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "fault_revealer")));
  reason = child (dialog, OB_TYPE_EDIT_VM_DIALOG, "fault_reason_label");
  g_assert_cmpstr (gtk_label_get_label (reason), ==, "The name is already in use");
  g_assert_cmpstr (gtk_editable_get_text (child (dialog, OB_TYPE_EDIT_VM_DIALOG, "name_entry")), ==, "web-01");
  back = get_vm (fixture, "ci-runner-01");
  g_assert_cmpstr (ob_vm_get_name (back), ==, "ci-runner-01");
}

static guint
find_by_name (GListModel *model,
              const char *name)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_autofree char *item_name = NULL;

      g_object_get (item, "name", &item_name, NULL);
      if (g_strcmp0 (item_name, name) == 0)
        return i;
    }
  g_error ("No item named %s", name);
  return GTK_INVALID_LIST_POSITION;
}

/* New VM defaults the balloon to on; a 3.0 cluster unchecks it and makes
 * it insensitive with the reason. */
static void
test_new_vm_default_on (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) clusters = list_clusters (fixture);
  g_autoptr(GPtrArray) templates = list_templates (fixture);
  g_autoptr(GListStore) cluster_store = store_from_array (OB_TYPE_CLUSTER, clusters);
  g_autoptr(GListStore) template_store = store_from_array (OB_TYPE_TEMPLATE, templates);
  g_autoptr(ObNewVmDialog) dialog = NULL;
  g_autoptr(ObVm) back = NULL;
  GtkDropDown *cluster_dropdown;
  GtkCheckButton *check;
  gboolean created = FALSE;

  dialog = g_object_ref_sink (ob_new_vm_dialog_new (NULL, fixture->client,
                                                    G_LIST_MODEL (cluster_store),
                                                    G_LIST_MODEL (template_store)));
  gtk_window_present (GTK_WINDOW (dialog));
  cluster_dropdown = child (dialog, OB_TYPE_NEW_VM_DIALOG, "cluster_dropdown");
  check = child (dialog, OB_TYPE_NEW_VM_DIALOG, "balloon_check");

  gtk_drop_down_set_selected (cluster_dropdown, find_by_name (G_LIST_MODEL (cluster_store), "legacy-3-0"));
  g_assert_false (gtk_check_button_get_active (check));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (check)));
  g_assert_true (gtk_widget_get_visible (child (dialog, OB_TYPE_NEW_VM_DIALOG, "balloon_reason_label")));

  gtk_drop_down_set_selected (cluster_dropdown, find_by_name (G_LIST_MODEL (cluster_store), "Default"));
  g_assert_true (gtk_check_button_get_active (check));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (check)));
  g_assert_false (gtk_widget_get_visible (child (dialog, OB_TYPE_NEW_VM_DIALOG, "balloon_reason_label")));

  gtk_editable_set_text (child (dialog, OB_TYPE_NEW_VM_DIALOG, "name_entry"), "gui-new-vm");
  g_signal_connect_swapped (dialog, "created", G_CALLBACK (ob_test_set_flag), &created);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.create", NULL);
  ob_test_wait_for_flag (&created, "the VM to be created");

  back = get_vm (fixture, "gui-new-vm");
  g_assert_cmpint (ob_vm_get_ballooning (back), ==, OB_BALLOON_STATE_ON);
  g_assert_cmpuint (ob_vm_get_memory (back), ==, G_GUINT64_CONSTANT (1024) * 1024 * 1024);
}

static char *
fetch_host_payload (Fixture    *fixture,
                    const char *vm_id)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/ovirt-engine/sandbox/vms/%s/host-payload",
                                          ob_sandbox_get_root_url (fixture->sandbox), vm_id);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  g_autofree char *credentials = g_base64_encode ((const guchar *) OB_SANDBOX_DEMO_USER ":sandbox",
                                                  strlen (OB_SANDBOX_DEMO_USER ":sandbox"));
  g_autofree char *authorization = g_strconcat ("Basic ", credentials, NULL);

  soup_message_headers_append (soup_message_get_request_headers (msg), "Accept", "application/json");
  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", authorization);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, ob_test_store_result, &result);
  body = soup_session_send_and_read_finish (session, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/* A Run Once override reaches the recorded host payload, and the stored
 * value stays unchanged. */
static void
test_run_once_override (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(ObVm) vm = get_vm (fixture, "ci-runner-02");
  g_autoptr(ObVm) back = NULL;
  g_autoptr(ObRunOnceDialog) dialog = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *vdsm_on = ob_host_payload_vdsm_balloon (TRUE);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  GtkCheckButton *check;
  gboolean finished = FALSE;

  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_OFF);
  dialog = g_object_ref_sink (ob_run_once_dialog_new (NULL, fixture->client, vm));
  gtk_window_present (GTK_WINDOW (dialog));
  check = child (dialog, OB_TYPE_RUN_ONCE_DIALOG, "balloon_check");
  /* Starts from the stored value; the sandbox honours the override, so no
   * emulation is offered. */
  g_assert_false (gtk_check_button_get_active (check));
  g_assert_nonnull (strstr (gtk_label_get_label (child (dialog, OB_TYPE_RUN_ONCE_DIALOG, "stored_label")),
                            "this run only"));
  g_assert_false (gtk_revealer_get_reveal_child (child (dialog, OB_TYPE_RUN_ONCE_DIALOG, "emulation_revealer")));

  gtk_check_button_set_active (check, TRUE);
  g_signal_connect_swapped (dialog, "finished", G_CALLBACK (ob_test_set_flag), &finished);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.run", NULL);
  ob_test_wait_for_flag (&finished, "the run once");
  g_test_message ("result: %s", gtk_label_get_label (child (dialog, OB_TYPE_RUN_ONCE_DIALOG, "result_label")));
  g_assert_true (gtk_revealer_get_reveal_child (child (dialog, OB_TYPE_RUN_ONCE_DIALOG, "result_revealer")));
  g_assert_true (gtk_widget_has_css_class (child (dialog, OB_TYPE_RUN_ONCE_DIALOG, "result_box"), "ob-success"));

  payload = fetch_host_payload (fixture, ob_vm_get_id (vm));
  g_test_message ("host payload: %s", payload);
  root = json_from_string (payload, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "run_once"), ==, "true");
  g_assert_cmpstr (json_object_get_string_member (object, "ballooning"), ==, "true");
  g_assert_cmpstr (json_object_get_string_member (object, "stored_ballooning"), ==, "false");
  g_assert_nonnull (strstr (payload, vdsm_on));
  g_assert_nonnull (strstr (json_object_get_string_member (object, "libvirt_memballoon"), "model='virtio'"));

  back = get_vm (fixture, "ci-runner-02");
  g_assert_cmpint (ob_vm_get_ballooning (back), ==, OB_BALLOON_STATE_OFF);
  g_assert_false (ob_vm_is_down (back));
}

/* A forwarding proxy that makes the sandbox look like a real oVirt engine
 * (its product name), which ignores a Run Once balloon override. */
typedef struct
{
  SoupServer  *server;
  SoupSession *session;
  char        *upstream;   /* "http://127.0.0.1:PORT" */
  char        *url;        /* the proxy's API URL */
} EngineMask;

static void
engine_mask_handler (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  EngineMask *mask = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *target = g_strconcat (mask->upstream, g_uri_get_path (uri),
                                         g_uri_get_query (uri) ? "?" : "",
                                         g_uri_get_query (uri) ? g_uri_get_query (uri) : "", NULL);
  g_autoptr(SoupMessage) forward = soup_message_new (soup_server_message_get_method (msg), target);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Host") != 0 && g_ascii_strcasecmp (name, "Content-Length") != 0)
      soup_message_headers_append (soup_message_get_request_headers (forward), name, value);
  if (request_body->length > 0)
    {
      g_autoptr(GBytes) request = g_bytes_new (request_body->data, request_body->length);

      soup_message_set_request_body_from_bytes (forward,
                                                soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL),
                                                request);
    }

  /* The sandbox runs in its own thread, so blocking here is fine. */
  body = soup_session_send_and_read (mask->session, forward, NULL, &error);
  g_assert_no_error (error);

  soup_server_message_set_status (msg, soup_message_get_status (forward), NULL);
  soup_message_headers_iter_init (&iter, soup_message_get_response_headers (forward));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Content-Length") != 0 && g_ascii_strcasecmp (name, "Transfer-Encoding") != 0
        && g_ascii_strcasecmp (name, "Connection") != 0
        && g_ascii_strcasecmp (name, OB_ENGINE_CAPABILITIES_HEADER) != 0)
      soup_message_headers_append (soup_server_message_get_response_headers (msg), name, value);
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    g_auto(GStrv) parts = g_strsplit (text, OB_SANDBOX_PRODUCT_NAME, -1);
    g_autofree char *masked = g_strjoinv ("oVirt Engine", parts);

    soup_server_message_set_response (msg, soup_message_headers_get_content_type (soup_message_get_response_headers (forward), NULL),
                                      SOUP_MEMORY_COPY, masked, strlen (masked));
  }
}

static EngineMask *
engine_mask_new (ObSandbox *sandbox)
{
  EngineMask *mask = g_new0 (EngineMask, 1);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  mask->upstream = g_strdup (ob_sandbox_get_root_url (sandbox));
  mask->session = soup_session_new ();
  mask->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (mask->server, NULL, engine_mask_handler, mask, NULL);
  soup_server_listen_local (mask->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (mask->server);
  mask->url = g_strdup_printf ("http://127.0.0.1:%d/ovirt-engine/api", g_uri_get_port (uris->data));
  return mask;
}

static void
engine_mask_free (EngineMask *mask)
{
  soup_server_disconnect (mask->server);
  g_clear_object (&mask->server);
  g_clear_object (&mask->session);
  g_free (mask->upstream);
  g_free (mask->url);
  g_free (mask);
}

/* On an engine that ignores the override, the dialog says so and offers
 * the core's emulation; without it nothing starts, with it the VM runs with
 * the balloon while the stored value comes back as the next-run
 * configuration. */
static void
test_run_once_emulation (Fixture       *fixture,
                         gconstpointer  data)
{
  EngineMask *mask = engine_mask_new (fixture->sandbox);
  g_autoptr(ObConnection) connection = NULL;
  g_autoptr(ObClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) vm = NULL;
  g_autoptr(ObVm) back = NULL;
  g_autoptr(ObRunOnceDialog) dialog = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *payload = NULL;
  GtkLabel *result_label;
  gboolean finished = FALSE;

  connection = ob_connection_new (mask->url, &error);
  g_assert_no_error (error);
  ob_connection_set_credentials (connection, OB_SANDBOX_DEMO_USER, "sandbox");
  ob_connection_open_async (connection, NULL, ob_test_store_result, &result);
  ob_connection_open_finish (connection, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_false (ob_connection_honours_run_once_balloon (connection));
  client = ob_client_new (connection);
  vm = get_vm (fixture, "ci-runner-02");
  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_OFF);

  dialog = g_object_ref_sink (ob_run_once_dialog_new (NULL, client, vm));
  gtk_window_present (GTK_WINDOW (dialog));
  g_signal_connect_swapped (dialog, "finished", G_CALLBACK (ob_test_set_flag), &finished);
  g_assert_true (gtk_revealer_get_reveal_child (child (dialog, OB_TYPE_RUN_ONCE_DIALOG, "emulation_revealer")));
  g_assert_false (gtk_check_button_get_active (child (dialog, OB_TYPE_RUN_ONCE_DIALOG, "emulate_check")));
  gtk_check_button_set_active (child (dialog, OB_TYPE_RUN_ONCE_DIALOG, "balloon_check"), TRUE);

  /* Without emulation: refused, explained, nothing started. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.run", NULL);
  ob_test_wait_for_flag (&finished, "the refused run");
  result_label = child (dialog, OB_TYPE_RUN_ONCE_DIALOG, "result_detail_label");
  g_test_message ("without emulation: %s", gtk_label_get_label (result_label));
  /* The core's text speaks to a GUI user: no command-line option. */
  g_assert_nonnull (strstr (gtk_label_get_label (result_label), "Emulating"));
  g_assert_null (strstr (gtk_label_get_label (result_label), "--emulate"));
  g_assert_true (gtk_widget_has_css_class (child (dialog, OB_TYPE_RUN_ONCE_DIALOG, "result_box"), "ob-error"));
  g_clear_object (&back);
  back = get_vm (fixture, "ci-runner-02");
  g_assert_true (ob_vm_is_down (back));

  /* With emulation. */
  finished = FALSE;
  gtk_check_button_set_active (child (dialog, OB_TYPE_RUN_ONCE_DIALOG, "emulate_check"), TRUE);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.run", NULL);
  ob_test_wait_for_flag (&finished, "the emulated run");
  g_test_message ("with emulation: %s", gtk_label_get_label (result_label));
  g_assert_true (gtk_widget_has_css_class (child (dialog, OB_TYPE_RUN_ONCE_DIALOG, "result_box"), "ob-success"));

  payload = fetch_host_payload (fixture, ob_vm_get_id (vm));
  root = json_from_string (payload, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "ballooning"), ==, "true");
  g_clear_object (&back);
  back = get_vm (fixture, "ci-runner-02");
  g_assert_false (ob_vm_is_down (back));
  /* The stored value (off) waits as the next-run configuration. */
  g_assert_true (ob_vm_get_next_run_configuration_exists (back));

  destroy_toplevels ();
  g_clear_object (&dialog);
  g_clear_object (&client);
  g_clear_object (&connection);
  engine_mask_free (mask);
}

/* Without a client the template checkbox is shown but insensitive. */
static void
test_edit_template_insensitive (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GPtrArray) templates = list_templates (fixture);
  g_assert_cmpuint (templates->len, >, 0);

  for (guint i = 0; i < templates->len; i++)
    {
      g_autoptr(ObEditTemplateDialog) dialog =
        g_object_ref_sink (ob_edit_template_dialog_new (NULL, NULL, g_ptr_array_index (templates, i)));
      GtkLabel *reason;
      g_autofree char *lower = NULL;

      gtk_window_present (GTK_WINDOW (dialog));
      g_assert_false (gtk_widget_get_sensitive (child (dialog, OB_TYPE_EDIT_TEMPLATE_DIALOG, "balloon_check")));
      reason = child (dialog, OB_TYPE_EDIT_TEMPLATE_DIALOG, "balloon_reason_label");
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (reason)));
      lower = g_utf8_strdown (gtk_label_get_label (reason), -1);
      g_assert_nonnull (strstr (lower, "not supported for templates"));
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
}

static ObTemplate *
find_template (GPtrArray  *templates,
               const char *name)
{
  for (guint i = 0; i < templates->len; i++)
    if (g_strcmp0 (ob_template_get_name (g_ptr_array_index (templates, i)), name) == 0)
      return g_ptr_array_index (templates, i);
  g_error ("no template %s", name);
  return NULL;
}

static void
set_flag_cb (GObject    *object,
             GParamSpec *pspec,
             gpointer    user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* A 4.4.6+ engine: the checkbox works, Save sends it, the template (and
 * so the Templates list) shows the engine's new value. */
static void
test_edit_template_flag_era (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) templates = list_templates (fixture);
  g_autoptr(GPtrArray) after = NULL;
  ObTemplate *template = find_template (templates, "win2019-base");
  g_autoptr(ObEditTemplateDialog) dialog =
    g_object_ref_sink (ob_edit_template_dialog_new (NULL, fixture->client, template));
  GtkCheckButton *check = child (dialog, OB_TYPE_EDIT_TEMPLATE_DIALOG, "balloon_check");
  gboolean changed = FALSE;

  g_assert_cmpint (ob_template_get_ballooning (template), ==, OB_BALLOON_STATE_OFF);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (check)));
  g_assert_true (gtk_widget_get_visible (child (dialog, OB_TYPE_EDIT_TEMPLATE_DIALOG, "save_button")));
  g_signal_connect (template, "notify::ballooning", G_CALLBACK (set_flag_cb), &changed);
  gtk_check_button_set_active (check, TRUE);
  g_signal_emit_by_name (child (dialog, OB_TYPE_EDIT_TEMPLATE_DIALOG, "save_button"), "clicked");
  ob_test_wait_for_flag (&changed, "the template's new balloon value");
  g_assert_cmpint (ob_template_get_ballooning (template), ==, OB_BALLOON_STATE_ON);
  g_signal_handlers_disconnect_by_data (template, &changed);

  after = list_templates (fixture);
  g_assert_cmpint (ob_template_get_ballooning (find_template (after, "win2019-base")), ==,
                   OB_BALLOON_STATE_ON);
  destroy_toplevels ();
}

/* Up to 4.4.5: shown with its real value, read-only, and why. */
static void
test_edit_template_device_era (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) templates = list_templates (fixture);
  ObTemplate *rhel = find_template (templates, "rhel8-base");
  ObTemplate *win = find_template (templates, "win2019-base");
  g_autoptr(ObEditTemplateDialog) dialog =
    g_object_ref_sink (ob_edit_template_dialog_new (NULL, fixture->client, rhel));
  GtkLabel *reason = child (dialog, OB_TYPE_EDIT_TEMPLATE_DIALOG, "balloon_reason_label");

  /* The Templates list's values: the real state, not "unknown". */
  g_assert_cmpint (ob_template_get_ballooning (rhel), ==, OB_BALLOON_STATE_ON);
  g_assert_cmpint (ob_template_get_ballooning (win), ==, OB_BALLOON_STATE_OFF);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_false (gtk_widget_get_sensitive (child (dialog, OB_TYPE_EDIT_TEMPLATE_DIALOG, "balloon_check")));
  g_assert_true (gtk_check_button_get_active (child (dialog, OB_TYPE_EDIT_TEMPLATE_DIALOG, "balloon_check")));
  g_assert_false (gtk_widget_get_visible (child (dialog, OB_TYPE_EDIT_TEMPLATE_DIALOG, "save_button")));
  g_assert_nonnull (strstr (gtk_label_get_label (reason), "4.4.6"));
  destroy_toplevels ();
}

/* Bulk enable on web-03, which waits to turn its balloon off: the engine
 * drops the waiting change, and the result says so. */
static void
test_bulk_pending_cancelled (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) vms = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(ObBulkDialog) dialog = NULL;
  g_autoptr(ObVm) back = NULL;
  GPtrArray *results;
  ObBalloonResult *r;
  gboolean finished = FALSE;

  g_ptr_array_add (vms, get_vm (fixture, "web-03"));
  dialog = g_object_ref_sink (ob_bulk_dialog_new (NULL, fixture->client, vms, TRUE));
  g_signal_connect_swapped (dialog, "finished", G_CALLBACK (ob_test_set_flag), &finished);
  gtk_window_present (GTK_WINDOW (dialog));
  ob_bulk_dialog_start (dialog);
  ob_test_wait_for_flag (&finished, "the bulk change");

  results = ob_bulk_dialog_get_results (dialog);
  g_assert_nonnull (results);
  g_assert_cmpuint (results->len, ==, 1);
  r = g_ptr_array_index (results, 0);
  g_test_message ("%s: %s", ob_change_outcome_to_string (r->outcome), r->message);
  g_assert_cmpint (r->outcome, ==, OB_CHANGE_PENDING_CANCELLED);
  g_assert_nonnull (strstr (r->message, "pending change cancelled"));
  g_assert_nonnull (strstr (gtk_label_get_label (child (dialog, OB_TYPE_BULK_DIALOG, "summary_label")),
                            "pending change cancelled"));
  back = get_vm (fixture, "web-03");
  g_assert_false (ob_vm_get_next_run_configuration_exists (back));
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

static guint
count_shown_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    n += gtk_widget_get_child_visible (row);
  return n;
}

/* Bulk enable on a mixed selection: a forbidden level is skipped with the
 * reason, a running VM gets it at its next run, a down VM at once, one
 * that has it already is left alone. */
static void
test_bulk_enable_mixed (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *names[] = { "legacy-db", "ppc-db", "erp-02", "ci-runner-02", "k8s-node-1" };
  const ObChangeOutcome expected[] = { OB_CHANGE_SKIPPED, OB_CHANGE_SKIPPED, OB_CHANGE_NEXT_RUN,
                                       OB_CHANGE_APPLIED, OB_CHANGE_UNCHANGED };
  g_autoptr(GPtrArray) vms = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(ObBulkDialog) dialog = NULL;
  guint64 requests_before;
  g_autofree char *all_text = NULL;
  g_autofree char *skipped_text = NULL;
  g_autofree char *failed_text = NULL;
  GtkLabel *summary;
  GtkButton *confirm;
  GPtrArray *results;
  GtkWidget *row;
  guint n_rows = 0;
  gboolean finished = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_ptr_array_add (vms, get_vm (fixture, names[i]));

  dialog = g_object_ref_sink (ob_bulk_dialog_new (NULL, fixture->client, vms, TRUE));
  g_signal_connect_swapped (dialog, "finished", G_CALLBACK (ob_test_set_flag), &finished);
  gtk_window_present (GTK_WINDOW (dialog));

  /* First a preview from the list as loaded, before any request. */
  requests_before = ob_sandbox_get_request_count (fixture->sandbox);
  g_assert_false (ob_bulk_dialog_get_busy (dialog));
  g_assert_null (ob_bulk_dialog_get_results (dialog));
  summary = child (dialog, OB_TYPE_BULK_DIALOG, "summary_label");
  g_test_message ("preview: %s", gtk_label_get_label (summary));
  g_assert_cmpstr (gtk_label_get_label (summary), ==, "1 now, 1 at next run, 2 not supported, 1 already on");
  confirm = child (dialog, OB_TYPE_BULK_DIALOG, "confirm_button");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (confirm)));
  g_assert_cmpstr (gtk_button_get_label (confirm), ==, "_Enable 2 VMs");
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (dialog)) == GTK_WIDGET (confirm));
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (ob_sandbox_get_request_count (fixture->sandbox), ==, requests_before);
  g_assert_false (finished);

  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.confirm", NULL);
  g_assert_true (ob_bulk_dialog_get_busy (dialog));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (confirm)));
  ob_test_wait_for_flag (&finished, "the bulk change");

  results = ob_bulk_dialog_get_results (dialog);
  g_assert_nonnull (results);
  g_assert_cmpuint (results->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < results->len; i++)
    {
      ObBalloonResult *r = g_ptr_array_index (results, i);

      g_test_message ("%s: %s: %s", names[i], ob_change_outcome_to_string (r->outcome),
                      r->error ? r->error->message : r->message);
      g_assert_cmpstr (ob_vm_get_name (r->vm), ==, names[i]);
      g_assert_cmpint (r->outcome, ==, expected[i]);
      if (r->outcome == OB_CHANGE_SKIPPED)
        g_assert_error (r->error, OB_ERROR, OB_ERROR_REFUSED);
    }

  /* One row per VM in the result list. */
  for (row = gtk_widget_get_first_child (child (dialog, OB_TYPE_BULK_DIALOG, "result_list"));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    n_rows++;
  g_assert_cmpuint (n_rows, ==, G_N_ELEMENTS (names));

  /* The filter narrows the list; the copy holds what is shown. */
  all_text = ob_bulk_dialog_dup_shown_text (dialog);
  g_assert_cmpuint (count_lines (all_text), ==, G_N_ELEMENTS (names));
  g_assert_nonnull (strstr (all_text, "ci-runner-02\tChanged\t"));
  g_assert_nonnull (strstr (all_text, "k8s-node-1\tAlready set\t"));
  g_signal_emit_by_name (child (dialog, OB_TYPE_BULK_DIALOG, "filter_skipped_button"), "clicked");
  skipped_text = ob_bulk_dialog_dup_shown_text (dialog);
  g_test_message ("skipped:\n%s", skipped_text);
  g_assert_cmpuint (count_lines (skipped_text), ==, 2);
  g_assert_true (g_str_has_prefix (skipped_text, "legacy-db\tSkipped\tVM legacy-db: "));
  g_assert_cmpuint (count_shown_rows (child (dialog, OB_TYPE_BULK_DIALOG, "result_list")), ==, 2);
  g_signal_emit_by_name (child (dialog, OB_TYPE_BULK_DIALOG, "filter_failed_button"), "clicked");
  failed_text = ob_bulk_dialog_dup_shown_text (dialog);
  g_assert_cmpstr (failed_text, ==, "");
  g_assert_cmpuint (count_shown_rows (child (dialog, OB_TYPE_BULK_DIALOG, "result_list")), ==, 0);
  g_assert_cmpstr (gtk_button_get_label (child (dialog, OB_TYPE_BULK_DIALOG, "filter_skipped_button")), ==,
                   "S_kipped (2)");

  /* Copy puts the shown lines on the clipboard. */
  g_signal_emit_by_name (child (dialog, OB_TYPE_BULK_DIALOG, "filter_all_button"), "clicked");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.copy", NULL);
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (dialog));
    g_autoptr(GAsyncResult) read = NULL;
    g_autofree char *copied = NULL;

    gdk_clipboard_read_text_async (clipboard, NULL, ob_test_store_result, &read);
    copied = gdk_clipboard_read_text_finish (clipboard, ob_test_wait_for_result (&read), NULL);
    g_assert_cmpstr (copied, ==, all_text);
  }

  /* And the engine agrees. */
  {
    g_autoptr(ObVm) a = get_vm (fixture, "ci-runner-02");
    g_autoptr(ObVm) b = get_vm (fixture, "legacy-db");
    g_autoptr(ObVm) c = get_vm (fixture, "erp-02");

    g_assert_cmpint (ob_vm_get_ballooning (a), ==, OB_BALLOON_STATE_ON);
    g_assert_cmpint (ob_vm_get_ballooning (b), ==, OB_BALLOON_STATE_OFF);
    g_assert_true (ob_vm_get_next_run_configuration_exists (c));
  }
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

/* A slow engine: Stop ends the bulk change early and says what that
 * means; the dialog can then be closed. */
static void
test_bulk_cancel (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *names[] = { "ci-runner-02", "app-31-c", "erp-02", "erp-05", "spare" };
  g_autoptr(GPtrArray) vms = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(ObBulkDialog) dialog = NULL;
  GtkLabel *summary;
  gboolean finished = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_ptr_array_add (vms, get_vm (fixture, names[i]));

  /* Every request to the VMs takes two seconds from now on. */
  ob_sandbox_inject_fault (fixture->sandbox, NULL, "/ovirt-engine/api/vms", 0, 2000, 100);
  dialog = g_object_ref_sink (ob_bulk_dialog_new (NULL, fixture->client, vms, TRUE));
  g_signal_connect_swapped (dialog, "finished", G_CALLBACK (ob_test_set_flag), &finished);
  gtk_window_present (GTK_WINDOW (dialog));
  ob_bulk_dialog_start (dialog);
  g_assert_true (ob_bulk_dialog_get_busy (dialog));
  /* Closing while it runs stops it rather than hiding what happened. */
  g_assert_false (gtk_window_get_deletable (GTK_WINDOW (dialog)));

  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.cancel", NULL);
  ob_test_wait_for_flag (&finished, "the bulk change to stop");
  g_assert_false (ob_bulk_dialog_get_busy (dialog));
  g_assert_null (ob_bulk_dialog_get_results (dialog));
  summary = child (dialog, OB_TYPE_BULK_DIALOG, "summary_label");
  g_test_message ("after stop: %s", gtk_label_get_label (summary));
  g_assert_nonnull (strstr (gtk_label_get_label (summary), "Stopped"));
  g_assert_true (gtk_widget_get_visible (child (dialog, OB_TYPE_BULK_DIALOG, "close_button")));
  ob_sandbox_clear_faults (fixture->sandbox);
}

/* The main window: "Try the local sandbox" connects, the list fills with
 * the demo VMs, the filter narrows it, and the selection drives actions. */
static void
test_window_sandbox (void)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  ObWindow *window;
  GListModel *vms;
  GtkColumnView *view;
  GListModel *shown;
  GtkWindow *bulk;
  GPtrArray *results;
  guint n_toplevels;
  gboolean finished = FALSE;
  gboolean loaded = FALSE;
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_S * G_USEC_PER_SEC;

  window = new_window (app);
  ob_window_connect_sandbox (window);
  /* While the list loads, its progress is shown. */
  while (!ob_window_get_loading (window))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for the list to start loading");
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (gtk_revealer_get_reveal_child (child (window, OB_TYPE_WINDOW, "progress_revealer")));
  while (!loaded)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for the VM list");
      g_main_context_iteration (NULL, TRUE);
      loaded = ob_window_get_client (window) != NULL && !ob_window_get_loading (window)
               && g_list_model_get_n_items (ob_window_get_vms (window)) > 0;
    }

  vms = ob_window_get_vms (window);
  g_assert_cmpuint (g_list_model_get_n_items (vms), ==, 30);
  view = child (window, OB_TYPE_WINDOW, "vm_view");
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (view)), ==, 6);
  shown = G_LIST_MODEL (gtk_column_view_get_model (view));

  /* Nothing selected: the bulk action opens nothing. */
  n_toplevels = g_list_model_get_n_items (gtk_window_get_toplevels ());
  gtk_widget_activate_action (GTK_WIDGET (window), "win.enable-balloon", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), ==, n_toplevels);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.filter", NULL);
  gtk_editable_set_text (child (window, OB_TYPE_WINDOW, "filter_entry"), "legacy");
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  /* GtkSearchEntry delays search-changed; wait for it. */
  deadline = g_get_monotonic_time () + WAIT_TIMEOUT_S * G_USEC_PER_SEC;
  while (g_list_model_get_n_items (shown) != 3)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("The name filter did not apply");
      g_main_context_iteration (NULL, TRUE);
    }

  /* The three legacy VMs are on a 3.0 cluster: all skipped. */
  gtk_selection_model_select_all (GTK_SELECTION_MODEL (shown));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.enable-balloon", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), ==, n_toplevels + 1);
  bulk = find_toplevel (OB_TYPE_BULK_DIALOG);
  g_assert_nonnull (bulk);
  g_signal_connect_swapped (bulk, "finished", G_CALLBACK (ob_test_set_flag), &finished);
  ob_test_wait_for_flag (&finished, "the bulk change from the window");
  results = ob_bulk_dialog_get_results (OB_BULK_DIALOG (bulk));
  g_assert_cmpuint (results->len, ==, 3);
  for (guint i = 0; i < results->len; i++)
    g_assert_cmpint (((ObBalloonResult *) g_ptr_array_index (results, i))->outcome, ==, OB_CHANGE_SKIPPED);
  gtk_window_destroy (GTK_WINDOW (bulk));

  /* The server search box: the engine filters, then the list reloads. */
  gtk_editable_set_text (child (window, OB_TYPE_WINDOW, "filter_entry"), "");
  gtk_editable_set_text (child (window, OB_TYPE_WINDOW, "server_search_entry"), "status=down");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  g_assert_true (ob_window_get_loading (window));
  deadline = g_get_monotonic_time () + WAIT_TIMEOUT_S * G_USEC_PER_SEC;
  while (ob_window_get_loading (window))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for the server search");
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (g_list_model_get_n_items (vms), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (vms), <, 30);
  for (guint i = 0; i < g_list_model_get_n_items (vms); i++)
    {
      g_autoptr(ObVm) vm = g_list_model_get_item (vms, i);

      g_assert_cmpstr (ob_vm_get_status (vm), ==, "down");
    }

  destroy_toplevels ();
  g_object_unref (window);
}

static void
wait_for_client (ObWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_S * G_USEC_PER_SEC;

  while (ob_window_get_client (window) == NULL)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for the window to connect");
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
wait_for_reveal (GtkRevealer *revealer,
                 const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_S * G_USEC_PER_SEC;

  while (!gtk_revealer_get_reveal_child (revealer))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
}


/* The connect view: a wrong password is reported in the view; the right
 * one connects, and the engine and user are remembered in GSettings. The
 * keyboard shortcuts and the shortcuts window are installed. */
static void
test_window_connect_form (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = new_window (app);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_auto(GStrv) recent = NULL;
  g_auto(GStrv) accels = NULL;
  g_autofree char *user = NULL;
  g_autofree char *api_url = NULL;
  GtkLabel *error_label;

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.filter");
  g_assert_cmpstr (accels[0], ==, "<Control>f");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.refresh");
  g_assert_cmpstr (accels[0], ==, "F5");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.open-ovf");
  g_assert_cmpstr (accels[0], ==, "<Control>o");
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  gtk_editable_set_text (child (window, OB_TYPE_WINDOW, "url_entry"), ob_sandbox_get_base_url (fixture->sandbox));
  gtk_editable_set_text (child (window, OB_TYPE_WINDOW, "user_entry"), OB_SANDBOX_DEMO_USER);
  gtk_editable_set_text (child (window, OB_TYPE_WINDOW, "password_entry"), "wrong");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", NULL);
  wait_for_reveal (child (window, OB_TYPE_WINDOW, "connect_error_revealer"), "the login error");
  error_label = child (window, OB_TYPE_WINDOW, "connect_error_label");
  g_test_message ("login error shown: %s", gtk_label_get_label (error_label));
  g_assert_cmpstr (gtk_label_get_label (error_label), !=, "");
  g_assert_null (ob_window_get_client (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (window, OB_TYPE_WINDOW, "main_stack")), ==, "connect");

  gtk_editable_set_text (child (window, OB_TYPE_WINDOW, "password_entry"), "sandbox");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", NULL);
  wait_for_client (window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (window, OB_TYPE_WINDOW, "main_stack")), ==, "browse");
  /* The password does not linger in the form. */
  g_assert_cmpstr (gtk_editable_get_text (child (window, OB_TYPE_WINDOW, "password_entry")), ==, "");

  api_url = ob_connection_normalize_url (ob_sandbox_get_base_url (fixture->sandbox), NULL);
  recent = g_settings_get_strv (settings, "recent-engines");
  g_assert_cmpstr (recent[0], ==, api_url);
  user = g_settings_get_string (settings, "last-user");
  g_assert_cmpstr (user, ==, OB_SANDBOX_DEMO_USER);

  /* Disconnecting returns to the form, which now lists the engine. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.disconnect", NULL);
  g_assert_null (ob_window_get_client (window));
  g_assert_true (gtk_widget_get_visible (child (window, OB_TYPE_WINDOW, "recent_list")));
}

/* "ovirt-balloon FILE.ovf" (GApplication::open) and app.open-ovf open
 * the OVF editor, with no engine at all. */
static void
test_app_open_ovf (void)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = new_window (app);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "flag-era-4.5.ovf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWindow *editor;
  guint n_toplevels = g_list_model_get_n_items (gtk_window_get_toplevels ());

  g_application_open (G_APPLICATION (app), &file, 1, "");
  editor = find_toplevel (OB_TYPE_OVF_EDITOR_WINDOW);
  g_assert_nonnull (editor);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), >, n_toplevels);
  g_assert_null (ob_window_get_client (window));
  gtk_window_destroy (editor);

  /* app.open-ovf asks for the file; the editor opens once one is chosen. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "open-ovf", NULL);
  g_assert_nonnull (find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
  g_assert_null (find_toplevel (OB_TYPE_OVF_EDITOR_WINDOW));

  destroy_toplevels ();
}

/* An engine whose CA is not trusted: the window shows the CA's SHA-256
 * fingerprint and connects only once the user trusts it. */
static void
test_window_untrusted_body (void)
{
  g_autoptr(ObSandbox) sandbox = ob_sandbox_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = g_test_build_filename (G_TEST_DIST, "data", "tls", "server.pem", NULL);
  g_autofree char *key = g_test_build_filename (G_TEST_DIST, "data", "tls", "server-key.pem", NULL);
  g_autofree char *ca_file = g_test_build_filename (G_TEST_DIST, "data", "tls", "ca.pem", NULL);
  g_autoptr(GTlsCertificate) ca = g_tls_certificate_new_from_file (ca_file, &error);
  g_autofree char *expected = NULL;
  g_autoptr(ObApplication) app = NULL;
  g_autoptr(ObWindow) window = NULL;
  g_autoptr(ObTrustStore) store = ob_trust_store_new (NULL);
  g_autoptr(GTlsCertificate) stored = NULL;
  g_autofree char *engine_key = NULL;
  GtkLabel *fingerprint;

  g_assert_no_error (error);
  expected = ob_tls_certificate_fingerprint (ca);
  g_object_set (sandbox, "seed", "demo", "tls-certificate", cert, "tls-key", key, "tls-ca", ca_file, NULL);
  ob_sandbox_start (sandbox, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (ob_sandbox_get_base_url (sandbox), "https://"));

  app = ob_application_new ();
  window = new_window (app);
  gtk_editable_set_text (child (window, OB_TYPE_WINDOW, "url_entry"), ob_sandbox_get_base_url (sandbox));
  gtk_editable_set_text (child (window, OB_TYPE_WINDOW, "user_entry"), OB_SANDBOX_DEMO_USER);
  gtk_editable_set_text (child (window, OB_TYPE_WINDOW, "password_entry"), "sandbox");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", NULL);

  wait_for_reveal (child (window, OB_TYPE_WINDOW, "cert_revealer"), "the certificate prompt");
  fingerprint = child (window, OB_TYPE_WINDOW, "cert_fingerprint_label");
  g_test_message ("fingerprint shown: %s", gtk_label_get_label (fingerprint));
  g_assert_cmpstr (gtk_label_get_label (fingerprint), ==, expected);
  g_assert_null (ob_window_get_client (window));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.trust-certificate", NULL);
  wait_for_client (window);

  /* Trusted from now on, in the store, for this engine only. */
  engine_key = g_strdup_printf ("127.0.0.1:%u", ob_sandbox_get_port (sandbox));
  stored = ob_trust_store_lookup (store, engine_key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_true (g_tls_certificate_is_same (stored, ca));

  destroy_toplevels ();
  ob_sandbox_stop (sandbox);
}

/* In a subprocess with leak detection off, as in test-client-online.c:
 * LeakSanitizer crashes at exit on the GnuTLS module's thread-local data
 * in GLib's worker threads. */
static void
test_window_untrusted (void)
{
  if (g_test_subprocess ())
    {
      test_window_untrusted_body ();
      return;
    }
  {
    g_autofree char *saved = g_strdup (g_getenv ("ASAN_OPTIONS"));
    g_autofree char *options = g_strconcat (saved ? saved : "", saved ? ":" : "", "detect_leaks=0", NULL);

    g_setenv ("ASAN_OPTIONS", options, TRUE);
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    if (saved != NULL)
      g_setenv ("ASAN_OPTIONS", saved, TRUE);
    else
      g_unsetenv ("ASAN_OPTIONS");
    g_test_trap_assert_passed ();
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *config = NULL;
  int status;

  /* The trust store lives under XDG_CONFIG_HOME: keep it per test run.
   * Before GTK reads any user directory. */
  config = g_dir_make_tmp ("ob-test-app-XXXXXX", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  status = ob_test_init (&argc, &argv);
  if (status >= 0)
    return status;

  g_test_add ("/app/edit-vm/toggle-persists", Fixture, NULL, fixture_setup, test_edit_vm_persists, fixture_teardown);
  g_test_add ("/app/edit-vm/general-fields", Fixture, NULL, fixture_setup, test_edit_vm_general, fixture_teardown);
  g_test_add ("/app/edit-vm/running-next-run", Fixture, NULL, fixture_setup, test_edit_vm_running, fixture_teardown);
  g_test_add ("/app/edit-vm/next-run-loaded", Fixture, NULL, fixture_setup, test_edit_vm_next_run_loaded, fixture_teardown);
  g_test_add ("/app/edit-vm/next-run-kept", Fixture, NULL, fixture_setup, test_edit_vm_next_run_kept, fixture_teardown);
  g_test_add ("/app/edit-vm/level-30-insensitive", Fixture, NULL, fixture_setup, test_edit_vm_level_30, fixture_teardown);
  g_test_add ("/app/edit-vm/custom-level-insensitive", Fixture, NULL, fixture_setup, test_edit_vm_custom_level, fixture_teardown);
  g_test_add ("/app/edit-vm/fault-keeps-edits", Fixture, NULL, fixture_setup, test_edit_vm_fault, fixture_teardown);
  g_test_add ("/app/edit-vm/conflict", Fixture, NULL, fixture_setup, test_edit_vm_conflict, fixture_teardown);
  g_test_add ("/app/edit-vm/name-in-use", Fixture, NULL, fixture_setup, test_edit_vm_name_in_use, fixture_teardown);
  g_test_add ("/app/edit-vm/engine-409", Fixture, NULL, fixture_setup, test_edit_vm_engine_409, fixture_teardown);
  g_test_add ("/app/new-vm/default-on", Fixture, NULL, fixture_setup, test_new_vm_default_on, fixture_teardown);
  g_test_add ("/app/run-once/override", Fixture, NULL, fixture_setup, test_run_once_override, fixture_teardown);
  g_test_add ("/app/run-once/emulation", Fixture, NULL, fixture_setup, test_run_once_emulation, fixture_teardown);
  g_test_add ("/app/edit-template/insensitive", Fixture, NULL, fixture_setup, test_edit_template_insensitive, fixture_teardown);
  g_test_add ("/app/edit-template/flag-era", Fixture, NULL, fixture_setup, test_edit_template_flag_era, fixture_teardown);
  g_test_add ("/app/edit-template/device-era", Fixture, NULL, fixture_setup_device_era,
              test_edit_template_device_era, fixture_teardown);
  g_test_add ("/app/bulk/enable-mixed", Fixture, NULL, fixture_setup, test_bulk_enable_mixed, fixture_teardown);
  g_test_add ("/app/bulk/pending-cancelled", Fixture, NULL, fixture_setup, test_bulk_pending_cancelled, fixture_teardown);
  g_test_add ("/app/bulk/cancel", Fixture, NULL, fixture_setup, test_bulk_cancel, fixture_teardown);
  g_test_add_func ("/app/window/sandbox-list", test_window_sandbox);
  g_test_add ("/app/window/connect-form", Fixture, NULL, fixture_setup, test_window_connect_form, fixture_teardown);
  g_test_add_func ("/app/window/untrusted-certificate", test_window_untrusted);
  g_test_add_func ("/app/open-ovf", test_app_open_ovf);

  status = g_test_run ();
  ob_test_tmpdir_remove (config);
  return status;
}
