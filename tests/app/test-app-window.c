/* test-app-window.c: the main window and the application as a user meets
 * them: keyboard, selection, search, Quit and Open (suite gui)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ob-dialog-util.h"
#include "ob-edit-vm-dialog.h"
#include "ob-error.h"
#include "ob-ovf-editor-window.h"
#include "ob-run-once-dialog.h"
#include "ob-sandbox.h"
#include "ob-status-text.h"
#include "ob-test-app.h"
#include "ob-test-demo.h"
#include "ob-test-subprocess.h"
#include "ob-window-private.h"

#define FIXTURE_DEVICE_ERA "ovirt-engine_vmOvfData.ovf.xml"


/* The first widget under @widget that triggers @action. */
static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action)
{
  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_actionable (c, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether @action is enabled, as the button bound to it shows. */
static gboolean
action_enabled (ObWindow   *window,
                const char *action)
{
  GtkWidget *button = find_actionable (GTK_WIDGET (window), action);

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}


static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The names of the selected VMs, sorted, comma-separated. */
static char *
selected_names (ObWindow *window)
{
  GListModel *shown = G_LIST_MODEL (gtk_column_view_get_model (ob_test_window_child (window, "vm_view")));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    if (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (shown), i))
      {
        g_autoptr(ObVm) vm = g_list_model_get_item (shown, i);

        g_ptr_array_add (names, g_strdup (ob_vm_get_name (vm)));
      }
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (",", (char **) names->pdata);
}

static gboolean
focus_within (ObWindow   *window,
              const char *name)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (window));

  return focus != NULL && (focus == ob_test_window_child (window, name) || gtk_widget_is_ancestor (focus, ob_test_window_child (window, name)));
}

/* The selected template is a new object from the reload. */
static gboolean
template_reloaded (gpointer data)
{
  gpointer *args = data;
  gpointer item = gtk_single_selection_get_selected_item (args[0]);

  return item != NULL && item != args[1];
}

static void
refresh_and_wait (ObWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  g_assert_true (ob_window_get_loading (window));
  ob_test_wait_loaded (window);
}

/* F5 keeps the selection; a failed server search empties the list and
 * its count; the server search is off on the Templates tab. */
static void
test_refresh_and_search (void)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = ob_test_new_main_window (app);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GListModel *vms;
  GtkLabel *status;

  ob_test_connect_sandbox (window);
  vms = ob_window_get_vms (window);
  status = ob_test_window_child (window, "status_label");

  g_assert_true (ob_test_select_vm (window, "web-01", TRUE));
  g_assert_true (ob_test_select_vm (window, "legacy-db", FALSE));
  before = selected_names (window);
  g_assert_cmpstr (before, ==, "legacy-db,web-01");
  refresh_and_wait (window);
  after = selected_names (window);
  g_assert_cmpstr (after, ==, before);

  /* ... and on the Templates tab, the selected template. */
  {
    GtkSingleSelection *templates = GTK_SINGLE_SELECTION (gtk_column_view_get_model (ob_test_window_child (window, "template_view")));
    g_autofree char *name = NULL;
    g_autoptr(ObTemplate) old = NULL;
    gpointer args[2];

    adw_view_stack_set_visible_child_name (ob_test_window_child (window, "view_stack"), "templates");
    gtk_single_selection_set_selected (templates, 1);
    old = g_object_ref (gtk_single_selection_get_selected_item (templates));
    name = g_strdup (ob_template_get_name (old));
    refresh_and_wait (window);
    args[0] = templates;
    args[1] = old;
    ob_test_iterate_until (template_reloaded, args, "template reloaded");
    g_assert_cmpstr (ob_template_get_name (gtk_single_selection_get_selected_item (templates)), ==, name);
    adw_view_stack_set_visible_child_name (ob_test_window_child (window, "view_stack"), "vms");
  }

  /* A search the engine refuses: no old rows under the new search. */
  gtk_editable_set_text (ob_test_window_child (window, "server_search_entry"), "bogus=1");
  refresh_and_wait (window);
  g_assert_true (gtk_revealer_get_reveal_child (ob_test_window_child (window, "browse_error_revealer")));
  g_assert_cmpuint (g_list_model_get_n_items (vms), ==, 0);
  g_test_message ("status after a failed search: %s", gtk_label_get_label (status));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (status), "0 VMs"));

  /* Templates: the server search (VMs only) cannot empty the VM list. */
  gtk_editable_set_text (ob_test_window_child (window, "server_search_entry"), "status=up");
  adw_view_stack_set_visible_child_name (ob_test_window_child (window, "view_stack"), "templates");
  g_assert_false (gtk_widget_get_sensitive (ob_test_window_child (window, "server_search_box")));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.server-search", NULL);
  g_assert_false (focus_within (window, "server_search_entry"));
  adw_view_stack_set_visible_child_name (ob_test_window_child (window, "view_stack"), "vms");
  g_assert_true (gtk_widget_get_sensitive (ob_test_window_child (window, "server_search_box")));

  ob_test_destroy_toplevels ();
}

static void
set_flag (gboolean *flag)
{
  *flag = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Run Once is offered for a VM that is down, and no longer once the
 * dialog has started it. */
static void
test_run_once_follows_status (void)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = ob_test_new_main_window (app);
  GtkWindow *dialog;
  gboolean finished = FALSE;

  ob_test_connect_sandbox (window);
  g_assert_true (ob_test_select_vm (window, "ci-runner-02", TRUE));
  g_assert_true (action_enabled (window, "win.run-once"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run-once", NULL);
  dialog = ob_test_find_toplevel (OB_TYPE_RUN_ONCE_DIALOG);
  g_assert_nonnull (dialog);
  g_signal_connect_swapped (dialog, "finished", G_CALLBACK (set_flag), &finished);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.run", NULL);
  ob_test_iterate_until (flag_set, &finished, "flag set");
  g_assert_false (action_enabled (window, "win.run-once"));

  ob_test_destroy_toplevels ();
}

/* Mnemonic letters of the labels under @widget that are mapped (stack
 * pages other than the visible one are not). */
static void
collect_mnemonics (GtkWidget  *widget,
                   GHashTable *seen,
                   GString    *clashes)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget)))
    {
      guint key = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));
      const char *other;

      if (key != GDK_KEY_VoidSymbol)
        {
          other = g_hash_table_lookup (seen, GUINT_TO_POINTER (key));
          if (other != NULL)
            g_string_append_printf (clashes, "Alt+%s: “%s” and “%s”; ", gdk_keyval_name (key),
                                    other, gtk_label_get_label (GTK_LABEL (widget)));
          else
            g_hash_table_insert (seen, GUINT_TO_POINTER (key), (gpointer) gtk_label_get_label (GTK_LABEL (widget)));
        }
    }
  /* A stack's or revealer's transition (libadwaita's switcher buttons
   * flip between two layouts, the bottom switcher bar slides away once
   * the header has room) maps what is going away for a moment. */
  if (GTK_IS_REVEALER (widget) && !gtk_revealer_get_reveal_child (GTK_REVEALER (widget)))
    return;
  if (GTK_IS_STACK (widget))
    {
      if (gtk_stack_get_visible_child (GTK_STACK (widget)) != NULL)
        collect_mnemonics (gtk_stack_get_visible_child (GTK_STACK (widget)), seen, clashes);
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_mnemonics (c, seen, clashes);
}

static gboolean
stack_settled (gpointer stack)
{
  return !gtk_stack_get_transition_running (stack);
}

static void
assert_unique_mnemonics (ObWindow *window)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GString) clashes = g_string_new (NULL);

  ob_test_iterate_until ((gboolean (*) (gpointer)) gtk_widget_get_mapped, window, "gtk widget get mapped");
  /* The crossfade between the pages maps both for a moment. */
  ob_test_iterate_until (stack_settled, ob_test_window_child (window, "main_stack"), "stack settled");
  collect_mnemonics (GTK_WIDGET (window), seen, clashes);
  g_assert_cmpuint (g_hash_table_size (seen), >, 3);
  if (clashes->len > 0)
    g_test_fail_printf ("mnemonics used twice: %s", clashes->str);
}

/* The connect form: Enter connects again after Disconnect; the focus
 * goes to the password when the address is given; an old error goes when
 * the address changes; the form is read-only while connecting; each view
 * has its own Alt letters. */
static void
test_connect_form (void)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = ob_test_new_main_window (app);
  GtkWidget *connect_button = find_actionable (GTK_WIDGET (window), "win.connect");

  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window)) == connect_button);
  assert_unique_mnemonics (window);

  ob_window_set_engine_url (window, "https://engine.example.com/ovirt-engine/api");
  g_assert_true (focus_within (window, "password_entry"));

  gtk_editable_set_text (ob_test_window_child (window, "url_entry"), "ftp://engine.example.com");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", NULL);
  g_assert_true (gtk_revealer_get_reveal_child (ob_test_window_child (window, "connect_error_revealer")));
  gtk_editable_set_text (ob_test_window_child (window, "url_entry"), "https://engine.example.com");
  g_assert_false (gtk_revealer_get_reveal_child (ob_test_window_child (window, "connect_error_revealer")));

  ob_window_connect_sandbox (window);
  g_assert_false (gtk_editable_get_editable (ob_test_window_child (window, "url_entry")));
  g_assert_false (gtk_editable_get_editable (ob_test_window_child (window, "password_entry")));
  g_assert_true (gtk_widget_has_css_class (ob_test_window_child (window, "url_entry"), "dim-label"));
  ob_test_wait_loaded (window);
  assert_unique_mnemonics (window);
  /* Connected: the keyboard is on the list. */
  g_assert_true (focus_within (window, "vm_view"));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.disconnect", NULL);
  g_assert_true (gtk_editable_get_editable (ob_test_window_child (window, "url_entry")));
  g_assert_false (gtk_widget_has_css_class (ob_test_window_child (window, "url_entry"), "dim-label"));
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window)) == connect_button);

  ob_test_destroy_toplevels ();
}

static gboolean
connect_error_shown (gpointer window)
{
  return gtk_revealer_get_reveal_child (ob_test_window_child (window, "connect_error_revealer"));
}

/* https:// against an engine that serves plain HTTP says so at once, not
 * after the 30 s timeout. */
static void
test_connect_wrong_scheme_body (void)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = ob_test_new_main_window (app);
  g_autoptr(ObSandbox) sandbox = g_object_new (OB_TYPE_SANDBOX, "seed", "demo", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  const char *text;
  gint64 t0;

  g_assert_true (ob_sandbox_start (sandbox, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("https://127.0.0.1:%u/ovirt-engine/api", ob_sandbox_get_port (sandbox));
  ob_window_set_engine_url (window, url);
  gtk_editable_set_text (ob_test_window_child (window, "user_entry"), OB_TEST_DEMO_USER);
  gtk_editable_set_text (ob_test_window_child (window, "password_entry"), OB_TEST_DEMO_PASSWORD);
  t0 = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", NULL);
  ob_test_iterate_until (connect_error_shown, window, "connect error shown");
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 10 * G_USEC_PER_SEC);
  text = gtk_label_get_text (ob_test_window_child (window, "connect_error_label"));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "speaks http, not https"));
  g_assert_null (ob_window_get_client (window));

  ob_test_destroy_toplevels ();
}

static void
test_connect_wrong_scheme (void)
{
  ob_test_run_without_leak_check (test_connect_wrong_scheme_body);
}

static void
collect_shortcuts (GtkWidget *widget,
                   GPtrArray *actions,
                   GPtrArray *accels)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      char *action = NULL;
      char *accel = NULL;

      g_object_get (widget, "action-name", &action, "accelerator", &accel, NULL);
      g_ptr_array_add (actions, action != NULL ? action : g_strdup (""));
      g_ptr_array_add (accels, accel != NULL ? accel : g_strdup (""));
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_shortcuts (c, actions, accels);
}

static gboolean
strv_has (GPtrArray  *array,
          const char *text)
{
  for (guint i = 0; i < array->len; i++)
    if (g_strcmp0 (g_ptr_array_index (array, i), text) == 0)
      return TRUE;
  return FALSE;
}

/* Every shortcut is in the shortcuts window: each action with an
 * accelerator, and the OVF editor's own keys. */
static void
test_shortcuts_window (void)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = ob_test_new_main_window (app);
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) accels = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) described = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));

  g_assert_nonnull (overlay);
  collect_shortcuts (GTK_WIDGET (overlay), actions, accels);
  for (guint i = 0; described[i] != NULL; i++)
    {
      g_auto(GStrv) keys = gtk_application_get_accels_for_action (GTK_APPLICATION (app), described[i]);

      if (keys[0] == NULL)
        continue;
      if (!strv_has (actions, described[i]))
        g_test_fail_printf ("%s (%s) is not in the shortcuts window", described[i], keys[0]);
    }
  g_assert_true (strv_has (accels, "<Control>s"));
  g_assert_true (strv_has (accels, "<Control><Shift>s"));

  ob_test_destroy_toplevels ();
}

/* Error texts: a plain sentence before the engine's words, a hint for
 * https:// to an HTTP engine, and a 409 that does not claim a concurrent
 * change. */
static void
test_error_texts (void)
{
  g_autoptr(GError) auth = g_error_new_literal (OB_ERROR, OB_ERROR_AUTH,
                                                "The provided authorization grant for the username and "
                                                "password has expired or is incorrect.. (access_denied)");
  g_autoptr(GError) timeout = g_error_new_literal (OB_ERROR, OB_ERROR_TIMEOUT,
                                                   "The engine did not answer within 30 seconds.");
  g_autoptr(GError) conflict = g_error_new_literal (OB_ERROR, OB_ERROR_CONFLICT,
                                                    "The VM name is already in use.");
  g_autofree char *auth_text = ob_dialog_connect_error_text (auth, "https://e/ovirt-engine/api");
  g_autofree char *https_text = ob_dialog_connect_error_text (timeout, "https://e/ovirt-engine/api");
  g_autofree char *http_text = ob_dialog_connect_error_text (timeout, "http://e/ovirt-engine/api");
  g_autoptr(GError) unknown_host = g_error_new_literal (OB_ERROR, OB_ERROR_CONNECT, "Error resolving “e”");
  g_autofree char *dns_text = ob_dialog_connect_error_text (unknown_host, "https://e/ovirt-engine/api");

  g_assert_true (g_str_has_prefix (auth_text, "The engine did not accept the user name or password."));
  g_assert_nonnull (strstr (https_text, "http://"));
  g_assert_null (strstr (http_text, "plain HTTP"));
  g_assert_null (strstr (dns_text, "plain HTTP"));
  g_assert_null (strstr (ob_dialog_error_title (conflict), "meanwhile"));
}

/* A VM with its own custom level says that the level shown as the rule's
 * is the VM's, not the cluster's. */
static void
test_custom_level_text (void)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = ob_test_new_main_window (app);
  GtkWindow *dialog;
  const char *text;

  ob_test_connect_sandbox (window);
  g_assert_true (ob_test_select_vm (window, "web-04", TRUE));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit", NULL);
  dialog = ob_test_find_toplevel (OB_TYPE_EDIT_VM_DIALOG);
  g_assert_nonnull (dialog);
  text = gtk_label_get_label (ob_test_child (dialog, OB_TYPE_EDIT_VM_DIALOG, "cluster_label"));
  g_test_message ("cluster row: %s", text);
  g_assert_nonnull (strstr (text, "own custom level 3.0"));

  ob_test_destroy_toplevels ();
}

static gboolean
no_windows (gpointer app)
{
  return gtk_application_get_windows (app) == NULL;
}

/* Quit asks once about unsaved editors before any window closes, and
 * Cancel changes nothing; Discard then closes everything. Cancelling
 * Open leaves no empty editor. The app icon is found from the build tree. */
static void
test_quit_and_open (void)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = ob_test_new_main_window (app);
  g_autofree char *dir = g_dir_make_tmp ("ob-test-window-XXXXXX", NULL);
  g_autofree char *path = ob_test_copy_upstream (dir, FIXTURE_DEVICE_ERA, "vm.ovf", NULL, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  GtkWindow *editor;
  GtkWindow *prompt;
  GtkWindow *chooser;

  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gdk_display_get_default ()), APP_ID));

  /* Open, cancelled: no editor window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "open-ovf", NULL);
  chooser = ob_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_nonnull (chooser);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  G_GNUC_END_IGNORE_DEPRECATIONS
  ob_test_drain_main_context ();
  g_assert_null (ob_test_find_toplevel (OB_TYPE_OVF_EDITOR_WINDOW));

  g_application_open (G_APPLICATION (app), &file, 1, "");
  editor = ob_test_find_toplevel (OB_TYPE_OVF_EDITOR_WINDOW);
  g_assert_nonnull (editor);
  while (ob_ovf_editor_window_get_busy (OB_OVF_EDITOR_WINDOW (editor)) ||
         ob_ovf_editor_window_get_file (OB_OVF_EDITOR_WINDOW (editor)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_activate (ob_test_child (editor, OB_TYPE_OVF_EDITOR_WINDOW, "balloon_check"));
  g_assert_true (ob_ovf_editor_window_get_modified (OB_OVF_EDITOR_WINDOW (editor)));

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  ob_test_drain_main_context ();
  prompt = ob_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (prompt);
  /* Nothing closed before the answer. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));

  ob_test_click_dialog_button (prompt, "_Cancel");
  ob_test_drain_main_context ();
  g_assert_null (ob_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (ob_test_find_toplevel (OB_TYPE_OVF_EDITOR_WINDOW) == editor);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (ob_ovf_editor_window_get_modified (OB_OVF_EDITOR_WINDOW (editor)));

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  ob_test_drain_main_context ();
  ob_test_click_dialog_button (ob_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG), "_Discard");
  ob_test_iterate_until (no_windows, app, "no windows");
  g_assert_null (ob_test_find_toplevel (OB_TYPE_OVF_EDITOR_WINDOW));
  g_assert_null (ob_test_find_toplevel (OB_TYPE_WINDOW));

  ob_test_tmpdir_remove (dir);
}

/* Quit, Save: the editor saves, then every window closes. */
static void
test_quit_saves (void)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = ob_test_new_main_window (app);
  g_autofree char *dir = g_dir_make_tmp ("ob-test-window-XXXXXX", NULL);
  g_autofree char *path = ob_test_copy_upstream (dir, FIXTURE_DEVICE_ERA, "vm.ovf", NULL, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *saved = NULL;
  GtkWindow *editor;

  g_application_open (G_APPLICATION (app), &file, 1, "");
  editor = ob_test_find_toplevel (OB_TYPE_OVF_EDITOR_WINDOW);
  while (ob_ovf_editor_window_get_busy (OB_OVF_EDITOR_WINDOW (editor)) ||
         ob_ovf_editor_window_get_file (OB_OVF_EDITOR_WINDOW (editor)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* The device-era fixture has the balloon on: unchecking removes it. */
  gtk_widget_activate (ob_test_child (editor, OB_TYPE_OVF_EDITOR_WINDOW, "balloon_check"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  ob_test_drain_main_context ();
  ob_test_click_dialog_button (ob_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG), "_Save");
  ob_test_iterate_until (no_windows, app, "no windows");

  g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
  g_assert_null (strstr (saved, "memballoon"));
  ob_test_tmpdir_remove (dir);
}

/* The Balloon column's words and icons. */
static void
test_balloon_cell_texts (void)
{
  g_autofree char *on = ob_status_text_balloon_cell (OB_BALLOON_STATE_ON, OB_BALLOON_ALLOWED, "4.7");
  g_autofree char *off = ob_status_text_balloon_cell (OB_BALLOON_STATE_OFF, OB_BALLOON_ALLOWED, "4.7");
  g_autofree char *refused = ob_status_text_balloon_cell (OB_BALLOON_STATE_OFF, OB_BALLOON_LEVEL_TOO_LOW, "3.0");
  g_autofree char *on_low = ob_status_text_balloon_cell (OB_BALLOON_STATE_ON, OB_BALLOON_LEVEL_TOO_LOW, "3.0");

  g_assert_cmpstr (on, ==, "On");
  g_assert_cmpstr (off, ==, "Off");
  g_assert_cmpstr (refused, ==, "Off — not supported (level 3.0)");
  /* A balloon that is on stays "On", even where it could not be turned on. */
  g_assert_cmpstr (on_low, ==, "On");
  g_assert_true (ob_status_text_balloon_refused (OB_BALLOON_STATE_OFF, OB_BALLOON_ARCH_UNSUPPORTED));
  g_assert_false (ob_status_text_balloon_refused (OB_BALLOON_STATE_OFF, OB_BALLOON_LEVEL_UNKNOWN));
  g_assert_cmpstr (ob_status_text_balloon_icon (OB_BALLOON_STATE_OFF, OB_BALLOON_LEVEL_TOO_LOW), ==,
                   "action-unavailable-symbolic");
  g_assert_cmpstr (ob_status_text_balloon_icon (OB_BALLOON_STATE_ON, OB_BALLOON_ALLOWED), !=,
                   ob_status_text_balloon_icon (OB_BALLOON_STATE_OFF, OB_BALLOON_ALLOWED));
}

static gboolean
vm_next_run_known (gpointer vm)
{
  return ob_vm_get_next_run_ballooning (vm) != OB_BALLOON_STATE_UNKNOWN;
}


static gboolean has_label (gpointer data);

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_arrived (gpointer slot)
{
  return *(GAsyncResult **) slot != NULL;
}

/* A running VM's balloon change that waits for its next run: the row
 * shows both values once its next-run configuration is read, which
 * happens for the rows shown. */
static void
test_balloon_next_run_cell (void)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = ob_test_new_main_window (app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ObBalloonResult) change = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *on_off = ob_status_text_balloon_next_run (OB_BALLOON_STATE_ON, OB_BALLOON_STATE_OFF);
  g_autofree char *off_on = ob_status_text_balloon_next_run (OB_BALLOON_STATE_OFF, OB_BALLOON_STATE_ON);
  ObClient *client;
  ObVm *vm;
  gpointer args[2];

  g_assert_cmpstr (on_off, ==, "On → Off at next run");
  g_assert_cmpstr (off_on, ==, "Off → On at next run");
  g_assert_null (ob_status_text_balloon_next_run (OB_BALLOON_STATE_ON, OB_BALLOON_STATE_ON));
  g_assert_null (ob_status_text_balloon_next_run (OB_BALLOON_STATE_ON, OB_BALLOON_STATE_UNKNOWN));

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 640);
  ob_test_connect_sandbox (window);
  client = ob_window_get_client (window);
  vm = ob_test_find_vm (window, "k8s-node-1");
  g_assert_false (ob_vm_is_down (vm));
  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_ON);
  g_assert_cmpint (ob_vm_get_next_run_ballooning (vm), ==, OB_BALLOON_STATE_UNKNOWN);

  /* Only this row is shown. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.filter", NULL);
  gtk_editable_set_text (ob_test_window_child (window, "filter_entry"), "k8s-node-1");
  ob_client_set_balloon_async (client, vm, FALSE, OB_SET_BALLOON_NONE, NULL, store_result, &result);
  ob_test_iterate_until (result_arrived, &result, "result arrived");
  change = ob_client_set_balloon_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (change->outcome, ==, OB_CHANGE_NEXT_RUN);

  ob_test_iterate_until (vm_next_run_known, vm, "vm next run known");
  g_assert_cmpint (ob_vm_get_next_run_ballooning (vm), ==, OB_BALLOON_STATE_OFF);
  args[0] = ob_test_window_child (window, "vm_view");
  args[1] = (gpointer) "On → Off at next run";
  ob_test_iterate_until (has_label, args, "has label");
  /* A VM whose row was never shown is not asked about. */
  g_assert_cmpint (ob_vm_get_next_run_ballooning (ob_test_find_vm (window, "web-02")), ==, OB_BALLOON_STATE_UNKNOWN);

  ob_test_destroy_toplevels ();
}

static gboolean
vm_run_known (gpointer vm)
{
  return ob_vm_get_run_ballooning (vm) != OB_BALLOON_STATE_UNKNOWN;
}

static gboolean
lacks_label (gpointer data)
{
  return !has_label (data);
}

/* A VM running from a Run Once that turned the balloon off shows "Off
 * (this run)": known from the override sent, or read back from an engine
 * that records it for the rows shown; plain again once it is down. */
static void
test_balloon_this_run_cell (void)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = ob_test_new_main_window (app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) stopped = NULL;
  g_autoptr(ObBalloonResult) run = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *off = ob_status_text_balloon_this_run (OB_BALLOON_STATE_OFF);
  g_autofree char *on = ob_status_text_balloon_this_run (OB_BALLOON_STATE_ON);
  g_autofree char *stop = NULL;
  ObClient *client;
  ObVm *vm;
  gpointer args[2];

  g_assert_cmpstr (off, ==, "Off (this run)");
  g_assert_cmpstr (on, ==, "On (this run)");
  g_assert_null (ob_status_text_balloon_this_run (OB_BALLOON_STATE_UNKNOWN));

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 640);
  ob_test_connect_sandbox (window);
  client = ob_window_get_client (window);
  vm = ob_test_find_vm (window, "ci-runner-01");
  g_assert_true (ob_vm_is_down (vm));
  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_ON);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.filter", NULL);
  gtk_editable_set_text (ob_test_window_child (window, "filter_entry"), "ci-runner-01");

  ob_client_run_once_async (client, vm, FALSE, OB_RUN_ONCE_NONE, NULL, store_result, &result);
  ob_test_iterate_until (result_arrived, &result, "result arrived");
  run = ob_client_run_once_finish (client, result, &error);
  g_assert_no_error (error);
  args[0] = ob_test_window_child (window, "vm_view");
  args[1] = (gpointer) "Off (this run)";
  ob_test_iterate_until (has_label, args, "has label");

  /* Not sent by this session: the shown row reads it from the engine. */
  ob_vm_set_run_ballooning (vm, OB_BALLOON_STATE_UNKNOWN);
  ob_test_iterate_until (vm_run_known, vm, "vm run known");
  g_assert_cmpint (ob_vm_get_run_ballooning (vm), ==, OB_BALLOON_STATE_OFF);
  ob_test_iterate_until (has_label, args, "has label");

  /* Stopped: the stored setting again. */
  stop = g_strdup_printf ("vms/%s/stop", ob_vm_get_id (vm));
  ob_connection_request_async (ob_client_get_connection (client), "POST", stop, "{}", OB_REQUEST_NONE,
                               NULL, store_result, &stopped);
  ob_test_iterate_until (result_arrived, &stopped, "result arrived");
  answer = ob_connection_request_finish (ob_client_get_connection (client), stopped, NULL, &error);
  g_assert_no_error (error);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  ob_test_iterate_until (lacks_label, args, "lacks label");
  g_assert_true (ob_vm_is_down (ob_test_find_vm (window, "ci-runner-01")));

  ob_test_destroy_toplevels ();
}

/* The first label or inscription (a list cell's text) under @widget
 * showing @text, or NULL. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;
  if (GTK_IS_INSCRIPTION (widget) && g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), text) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_label (c, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_label (gpointer data)
{
  gpointer *args = data;

  return find_label (args[0], args[1]) != NULL;
}

static guint
n_columns (ObWindow *window)
{
  return g_list_model_get_n_items (gtk_column_view_get_columns (ob_test_window_child (window, "vm_view")));
}

static gboolean
columns_fitted (gpointer window)
{
  return n_columns (window) == 4;
}

static gboolean
columns_all (gpointer window)
{
  return n_columns (window) == 6;
}

/* The list at a glance: "Level", a dimmed "not supported" with its reason,
 * names with a tooltip, Status sorted by its words, and at narrow widths
 * the lesser columns give way. */
static void
test_list_at_a_glance (void)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = ob_test_new_main_window (app);
  GtkColumnView *view;
  GListModel *shown;
  g_autoptr(GtkColumnViewColumn) status = NULL;
  g_autoptr(GtkColumnViewColumn) level = NULL;
  gpointer args[2];
  GtkWidget *label;
  GtkWidget *cell;
  char *tooltip;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 640);
  ob_test_connect_sandbox (window);
  view = ob_test_window_child (window, "vm_view");
  shown = G_LIST_MODEL (gtk_column_view_get_model (view));
  ob_test_iterate_until (columns_all, window, "columns all");
  level = g_list_model_get_item (gtk_column_view_get_columns (view), 3);
  g_assert_cmpstr (gtk_column_view_column_get_title (level), ==, "Level");

  /* legacy-db sorts first by status ("Down"); its cells are drawn. */
  status = g_list_model_get_item (gtk_column_view_get_columns (view), 1);
  gtk_column_view_sort_by_column (view, status, GTK_SORT_ASCENDING);
  for (guint i = 1; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(ObVm) a = g_list_model_get_item (shown, i - 1);
      g_autoptr(ObVm) b = g_list_model_get_item (shown, i);
      g_autofree char *ka = g_utf8_casefold (ob_status_text_vm_status (ob_vm_get_status (a)), -1);
      g_autofree char *kb = g_utf8_casefold (ob_status_text_vm_status (ob_vm_get_status (b)), -1);

      g_assert_cmpint (g_utf8_collate (ka, kb), <=, 0);
    }

  args[0] = view;
  args[1] = (gpointer) "Off — not supported (level 3.0)";
  ob_test_iterate_until (has_label, args, "has label");
  cell = gtk_widget_get_parent (find_label (GTK_WIDGET (view), args[1]));
  g_assert_true (gtk_widget_has_css_class (cell, "dim-label"));
  tooltip = ob_window_cell_dup_tooltip (cell);
  g_assert_nonnull (strstr (tooltip, "3.1"));
  g_clear_pointer (&tooltip, g_free);

  args[1] = (gpointer) "legacy-db";
  ob_test_iterate_until (has_label, args, "has label");
  label = find_label (GTK_WIDGET (view), "legacy-db");
  tooltip = ob_window_cell_dup_tooltip (label);
  g_assert_cmpstr (tooltip, ==, "legacy-db");
  g_clear_pointer (&tooltip, g_free);
  g_assert_cmpint (gtk_inscription_get_min_chars (GTK_INSCRIPTION (label)), >, 0);

  /* Narrow: Next Run and Cluster give way; wide again: they come back. */
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 600);
  ob_test_iterate_until (columns_fitted, window, "columns fitted");
  {
    g_autoptr(GtkColumnViewColumn) first = g_list_model_get_item (gtk_column_view_get_columns (view), 0);
    g_autoptr(GtkColumnViewColumn) last = g_list_model_get_item (gtk_column_view_get_columns (view), 3);

    g_assert_cmpstr (gtk_column_view_column_get_title (first), ==, "Name");
    g_assert_cmpstr (gtk_column_view_column_get_title (last), ==, "Balloon");
  }
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 640);
  ob_test_iterate_until (columns_all, window, "columns all");

  ob_test_destroy_toplevels ();
}

int
main (int    argc,
      char **argv)
{
  /* The trust store lives under XDG_CONFIG_HOME: keep it per test run,
   * set before GTK reads any user directory. */
  g_autofree char *config = g_dir_make_tmp ("ob-test-window-XXXXXX", NULL);
  int status;

  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  status = ob_test_init (&argc, &argv);
  if (status >= 0)
    return status;

  g_test_add_func ("/window/refresh-and-search", test_refresh_and_search);
  g_test_add_func ("/window/run-once-follows-status", test_run_once_follows_status);
  g_test_add_func ("/window/connect-form", test_connect_form);
  g_test_add_func ("/window/connect-wrong-scheme", test_connect_wrong_scheme);
  g_test_add_func ("/window/error-texts", test_error_texts);
  g_test_add_func ("/window/custom-level-text", test_custom_level_text);
  g_test_add_func ("/window/balloon-next-run-cell", test_balloon_next_run_cell);
  g_test_add_func ("/window/balloon-this-run-cell", test_balloon_this_run_cell);
  g_test_add_func ("/app/quit-and-open", test_quit_and_open);
  g_test_add_func ("/app/quit-saves", test_quit_saves);
  g_test_add_func ("/window/balloon-cell-texts", test_balloon_cell_texts);
  g_test_add_func ("/window/list-at-a-glance", test_list_at_a_glance);
  g_test_add_func ("/window/shortcuts-window", test_shortcuts_window);
  status = g_test_run ();
  ob_test_tmpdir_remove (config);
  return status;
}
