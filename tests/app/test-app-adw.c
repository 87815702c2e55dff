/* test-app-adw.c: the main window's libadwaita parts: the title and
 * subtitle, toasts after a save (and their Undo), status pages for an
 * empty list, the busy spinner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ob-edit-vm-dialog.h"
#include "ob-ovf-editor-window.h"
#include "ob-spinner.h"
#include "ob-test-app.h"
#include "ob-window-private.h"




/* A label or button with @text under @widget, outside the list pages
 * (where the toasts are). */
static GtkWidget *
find_toast_label (GtkWidget  *widget,
                  GtkWidget  *pages,
                  const char *text)
{
  if (widget == pages)
    return NULL;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), text) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_toast_label (c, pages, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  ObWindow   *window;
  const char *text;
} ToastWait;

static gboolean
toast_shown (gpointer data)
{
  ToastWait *wait = data;

  return find_toast_label (ob_test_window_child (wait->window, "toast_overlay"),
                           ob_test_window_child (wait->window, "view_stack"), wait->text) != NULL;
}

/* The title is the app's; the subtitle names the engine: the sandbox, or
 * user · host. */
static void
test_title (void)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = ob_test_new_main_window (app);
  AdwWindowTitle *title = ob_test_window_child (window, "window_title");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObConnection) connection = NULL;

  g_assert_true (ADW_IS_APPLICATION_WINDOW (window));
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "oVirt Balloon");
  g_assert_false (gtk_widget_get_visible (ob_test_window_child (window, "switcher_squeezer")));

  ob_test_connect_sandbox (window);
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "Local sandbox (demo data)");
  g_assert_true (gtk_widget_get_visible (ob_test_window_child (window, "switcher_squeezer")));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.disconnect", NULL);
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "");
  g_assert_false (gtk_widget_get_visible (ob_test_window_child (window, "switcher_squeezer")));
  g_assert_false (adw_view_switcher_bar_get_reveal (ob_test_window_child (window, "switcher_bar")));

  /* A real engine: the user and the host, not the API path. */
  connection = ob_connection_new ("https://engine.example.com:8443/ovirt-engine/api", &error);
  g_assert_no_error (error);
  gtk_editable_set_text (ob_test_window_child (window, "user_entry"), "admin@internal");
  ob_window_show_engine (window, connection);
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "admin@internal · engine.example.com");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (title)), "/ovirt-engine/api"));

  ob_test_destroy_toplevels ();
}

/* Whether a label reading @text is drawn, with room, under @widget. */
static gboolean
label_drawn (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return gtk_widget_is_drawable (widget) && gtk_widget_get_width (widget) > 0;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (label_drawn (c, text))
      return TRUE;
  return FALSE;
}

typedef struct
{
  ObWindow *window;
  int       width;
  gboolean  tabs_in_header;
} WidthWait;

static gboolean
width_settled (gpointer data)
{
  WidthWait *wait = data;
  AdwSqueezer *squeezer = ob_test_window_child (wait->window, "switcher_squeezer");
  gboolean in_header = adw_squeezer_get_visible_child (squeezer) == ob_test_window_child (wait->window, "view_switcher");

  /* The window never goes below its content's minimum, and its CSD
   * border takes a few pixels of the asked-for size. */
  int width = gtk_widget_get_width (GTK_WIDGET (wait->window));

  return (wait->tabs_in_header ? width >= wait->width - 20 : width < 800)
         && in_header == wait->tabs_in_header
         && !adw_squeezer_get_transition_running (squeezer);
}

/* At every width the header shows the title and the engine: the tabs sit
 * in the header when wide and in the bottom bar when narrow, never
 * instead of the subtitle. */
static void
test_header_widths (void)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = ob_test_new_main_window (app);
  GtkWidget *header = gtk_widget_get_ancestor (ob_test_window_child (window, "window_title"), ADW_TYPE_HEADER_BAR);
  /* xvfb-run's screen is 1280 pixels wide. */
  WidthWait wide = { window, 1200, TRUE };
  WidthWait narrow = { window, 360, FALSE };

  ob_test_connect_sandbox (window);

  gtk_window_set_default_size (GTK_WINDOW (window), wide.width, 700);
  ob_test_iterate_until (width_settled, &wide, "wide layout");
  g_assert_true (label_drawn (header, "oVirt Balloon"));
  g_assert_true (label_drawn (header, "Local sandbox (demo data)"));
  g_assert_true (label_drawn (header, "Templates"));
  g_assert_false (adw_view_switcher_bar_get_reveal (ob_test_window_child (window, "switcher_bar")));

  /* As narrow as the window goes: the tabs move to the bottom bar. */
  gtk_window_set_default_size (GTK_WINDOW (window), narrow.width, 700);
  ob_test_iterate_until (width_settled, &narrow, "narrow layout");
  g_assert_true (label_drawn (header, "oVirt Balloon"));
  g_assert_true (label_drawn (header, "Local sandbox (demo data)"));
  g_assert_false (label_drawn (header, "Templates"));
  g_assert_true (adw_view_switcher_bar_get_reveal (ob_test_window_child (window, "switcher_bar")));

  ob_test_destroy_toplevels ();
}

static gboolean
balloon_is (gpointer data)
{
  gpointer *args = data;

  return (int) ob_vm_get_ballooning (args[0]) == GPOINTER_TO_INT (args[1]);
}

/* Saving the Edit VM dialog shows a toast; its Undo puts the balloon
 * back on the engine. */
static void
test_toast_after_save (void)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = ob_test_new_main_window (app);
  ToastWait wait = { window, "Memory balloon of “ci-runner-02” turned on" };
  GtkWindow *dialog;
  GtkWidget *toast_button;
  ObVm *vm;
  gpointer args[2];

  ob_test_connect_sandbox (window);
  vm = ob_test_find_vm (window, "ci-runner-02");
  g_assert_nonnull (vm);
  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_OFF);
  g_assert_true (ob_test_select_vm (window, "ci-runner-02", TRUE));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit", NULL);
  dialog = ob_test_find_toplevel (OB_TYPE_EDIT_VM_DIALOG);
  g_assert_nonnull (dialog);
  gtk_check_button_set_active (ob_test_child (dialog, OB_TYPE_EDIT_VM_DIALOG, "balloon_check"), TRUE);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);

  ob_test_iterate_until (toast_shown, &wait, "toast shown");
  g_assert_cmpint (ob_vm_get_ballooning (vm), ==, OB_BALLOON_STATE_ON);
  toast_button = find_toast_label (ob_test_window_child (window, "toast_overlay"), ob_test_window_child (window, "view_stack"), "_Undo");
  g_assert_true (GTK_IS_BUTTON (toast_button));

  gtk_widget_activate (toast_button);
  args[0] = vm;
  args[1] = GINT_TO_POINTER (OB_BALLOON_STATE_OFF);
  ob_test_iterate_until (balloon_is, args, "balloon is");
  wait.text = "“ci-runner-02” is back as it was";
  ob_test_iterate_until (toast_shown, &wait, "toast shown");

  ob_test_destroy_toplevels ();
}

static gboolean
list_page_is (gpointer data)
{
  gpointer *args = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (args[0]), args[1]) == 0;
}

/* A filter that matches nothing, and a server search that finds nothing,
 * show a status page saying so instead of an empty list. */
static void
test_status_page (void)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = ob_test_new_main_window (app);
  AdwStatusPage *page = ob_test_window_child (window, "vm_status_page");
  gpointer args[2] = { ob_test_window_child (window, "vm_list_stack"), (gpointer) "list" };

  ob_test_connect_sandbox (window);
  g_assert_true (list_page_is (args));
  /* A hidden status page has no icon: loading one would bring in
   * librsvg for nothing. */
  g_assert_null (adw_status_page_get_icon_name (page));

  gtk_editable_set_text (ob_test_window_child (window, "filter_entry"), "no-such-vm");
  args[1] = (gpointer) "empty";
  ob_test_iterate_until (list_page_is, args, "list page is");
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "No Results Found");
  g_assert_cmpstr (adw_status_page_get_icon_name (page), ==, "edit-find-symbolic");
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "no-such-vm"));

  gtk_editable_set_text (ob_test_window_child (window, "filter_entry"), "");
  args[1] = (gpointer) "list";
  ob_test_iterate_until (list_page_is, args, "list page is");
  g_assert_null (adw_status_page_get_icon_name (page));

  gtk_editable_set_text (ob_test_window_child (window, "server_search_entry"), "name=no-such-vm");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  ob_test_wait_loaded (window);
  args[1] = (gpointer) "empty";
  ob_test_iterate_until (list_page_is, args, "list page is");
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "No Matching Virtual Machines");
  g_assert_cmpstr (adw_status_page_get_icon_name (page), ==, "edit-find-symbolic");
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "name=no-such-vm"));

  ob_test_destroy_toplevels ();
}

static gboolean
editor_idle (gpointer win)
{
  return !ob_ovf_editor_window_get_busy (win);
}

static gboolean
editor_toast_shown (gpointer win)
{
  return find_toast_label (gtk_window_get_child (win), NULL, "“vm.ovf” saved") != NULL;
}

/* Saving in the OVF editor shows a toast too. */
static void
test_editor_toast (ObTestDirFixture *fx,
                   gconstpointer     data)
{
  g_autofree char *path = ob_test_copy_upstream (fx->tmpdir, OB_TEST_OVF_DEVICE_ERA, "vm.ovf", NULL, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  ObOvfEditorWindow *win = ob_ovf_editor_window_new (NULL);

  gtk_window_present (GTK_WINDOW (win));
  ob_ovf_editor_window_open_file (win, file);
  ob_test_iterate_until (editor_idle, win, "editor idle");
  gtk_widget_activate (ob_test_child (win, OB_TYPE_OVF_EDITOR_WINDOW, "balloon_check"));
  g_assert_true (ob_ovf_editor_window_get_modified (win));
  g_assert_false (editor_toast_shown (win));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.save", NULL));
  ob_test_iterate_until (editor_toast_shown, win, "editor toast shown");
  g_assert_false (ob_ovf_editor_window_get_modified (win));

  ob_test_destroy_toplevels ();
}

/* The About window names the app and finds its icon, also when run from
 * the build tree (the icon is bundled under the resource base path). */
static void
test_about (void)
{
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = ob_test_new_main_window (app);
  GtkWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = ob_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "oVirt Balloon");
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APP_ID);
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (about))),
                                          APP_ID));

  ob_test_destroy_toplevels ();
}

/* The node @widget draws now, or NULL. */
static GskRenderNode *
draw_node (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  return gtk_snapshot_free_to_node (snapshot);
}

static gboolean
draws_something (gpointer widget)
{
  g_autoptr(GskRenderNode) node = draw_node (widget);

  return node != NULL;
}

static gboolean
widget_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* The spinner draws (an arc, no theme icon) only while spinning, says so
 * to assistive technologies, and notifies real changes only. */
static void
test_spinner (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *spinner = ob_spinner_new ();
  GskRenderNode *node;
  guint notified = 0;

  gtk_window_set_child (GTK_WINDOW (window), spinner);
  g_signal_connect (spinner, "notify::spinning", G_CALLBACK (count_notify), &notified);
  gtk_window_present (GTK_WINDOW (window));
  ob_test_iterate_until (widget_mapped, spinner, "spinner mapped");
  g_assert_cmpint (gtk_widget_get_width (spinner), >=, 16);
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (spinner)), ==,
                   GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);

  g_assert_null (draw_node (spinner));
  ob_spinner_set_spinning (OB_SPINNER (spinner), TRUE);
  ob_spinner_set_spinning (OB_SPINNER (spinner), TRUE);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (ob_spinner_get_spinning (OB_SPINNER (spinner)));
  ob_test_iterate_until (draws_something, spinner, "spinner draws");
  node = draw_node (spinner);
  g_assert_nonnull (node);
  g_assert_cmpint (gsk_render_node_get_node_type (node), ==, GSK_CAIRO_NODE);
  gsk_render_node_unref (node);

  g_object_set (spinner, "spinning", FALSE, NULL);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_null (draw_node (spinner));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *config = g_dir_make_tmp ("ob-test-adw-XXXXXX", NULL);
  int status;

  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  status = ob_test_init (&argc, &argv);
  if (status >= 0)
    return status;

  g_test_add_func ("/adw/title", test_title);
  g_test_add_func ("/adw/header-widths", test_header_widths);
  g_test_add_func ("/adw/toast-after-save", test_toast_after_save);
  g_test_add_func ("/adw/status-page", test_status_page);
  g_test_add_func ("/adw/about", test_about);
  g_test_add_func ("/adw/spinner", test_spinner);
  g_test_add ("/adw/editor-toast", ObTestDirFixture, NULL,
              ob_test_dir_setup, test_editor_toast, ob_test_dir_teardown);

  status = g_test_run ();
  ob_test_tmpdir_remove (config);
  return status;
}
