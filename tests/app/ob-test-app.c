/* ob-test-app.c: what the app's GUI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ob-test-app.h"
#include "ob-test-gtk.h"

#define OB_TEST_TIMEOUT_S 60

int
ob_test_init (int    *argc,
              char ***argv)
{
  g_test_init (argc, argv, NULL);
  /* Without a display: a TAP skip plan and exit 0 (meson 1.0 counts 77 as
   * an error for TAP tests), or a failure when CI asks for a display. */
  if (!ob_test_gtk_init ())
    return 0;
  adw_init ();
  return -1;
}


void
ob_test_dir_setup (ObTestDirFixture *fx,
                   gconstpointer     data)
{
  fx->tmpdir = ob_test_tmpdir_new ("ob-test-app");
}

void
ob_test_dir_teardown (ObTestDirFixture *fx,
                      gconstpointer     data)
{
  ob_test_destroy_toplevels ();
  ob_test_tmpdir_remove (fx->tmpdir);
  g_clear_pointer (&fx->tmpdir, g_free);
}


gboolean
ob_test_is_destroyed (gpointer data)
{
  return *(GtkWidget **) data == NULL;
}

gpointer
ob_test_child (gpointer    widget,
               GType       type,
               const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

GtkWindow *
ob_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

GtkWindow *
ob_test_find_dialog_for (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (window) == parent && gtk_window_get_modal (window))
        return window;
    }
  return NULL;
}

void
ob_test_destroy_toplevels (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (window);
    }
  ob_test_drain_main_context ();
}

static void
set_flag (gboolean *flag)
{
  *flag = TRUE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

static GtkWidget *
ob_test_find_button (GtkWidget  *widget,
                     const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = ob_test_find_button (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
ob_test_click_dialog_button (GtkWindow  *prompt,
                             const char *label)
{
  GtkWidget *button = ob_test_find_button (GTK_WIDGET (prompt), label);
  gboolean clicked = FALSE;
  gulong handler;

  if (button == NULL)
    g_error ("No button \"%s\" in the dialog", label);
  g_assert_true (gtk_button_get_use_underline (GTK_BUTTON (button)));
  handler = g_signal_connect_swapped (button, "clicked", G_CALLBACK (set_flag), &clicked);
  /* GtkButton shows the press for a moment before "clicked". */
  g_object_ref (button);
  gtk_widget_activate (button);
  ob_test_iterate_until (flag_is_set, &clicked, "flag is set");
  g_signal_handler_disconnect (button, handler);
  g_object_unref (button);
}

char *
ob_test_copy_upstream (const char *dir,
                       const char *name,
                       const char *as,
                       const char *insert_after,
                       const char *insertion)
{
  g_autofree char *src = g_test_build_filename (G_TEST_DIST, "data", "upstream", name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  char *dst = g_build_filename (dir, as, NULL);

  g_file_get_contents (src, &text, NULL, &error);
  g_assert_no_error (error);
  if (insert_after != NULL)
    {
      const char *at = strstr (text, insert_after);
      g_autofree char *edited = NULL;

      g_assert_nonnull (at);
      at += strlen (insert_after);
      edited = g_strdup_printf ("%.*s%s%s", (int) (at - text), text, insertion, at);
      g_file_set_contents (dst, edited, -1, &error);
    }
  else
    g_file_set_contents (dst, text, -1, &error);
  g_assert_no_error (error);
  return dst;
}

GBytes *
ob_test_read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static gboolean
editor_idle (gpointer win)
{
  return !ob_ovf_editor_window_get_busy (win);
}

ObOvfEditorWindow *
ob_test_open_editor (const char *path)
{
  ObOvfEditorWindow *win = ob_ovf_editor_window_new (NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  gtk_window_present (GTK_WINDOW (win));
  ob_ovf_editor_window_open_file (win, file);
  ob_test_iterate_until (editor_idle, win, "editor idle");
  g_assert_nonnull (ob_ovf_editor_window_get_file (win));
  return win;
}

ObWindow *
ob_test_new_main_window (ObApplication *app)
{
  ObWindow *window;

  /* Each test has its own instance, never a remote one. */
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = g_object_ref_sink (ob_window_new (app));
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static gboolean
loaded (gpointer data)
{
  ObWindow *window = data;

  return ob_window_get_client (window) != NULL && !ob_window_get_loading (window);
}

void
ob_test_wait_loaded (ObWindow *window)
{
  ob_test_iterate_until (loaded, window, "loaded");
}

static gboolean
has_vms (gpointer data)
{
  return loaded (data) && g_list_model_get_n_items (ob_window_get_vms (data)) > 0;
}

void
ob_test_connect_sandbox (ObWindow *window)
{
  ob_window_connect_sandbox (window);
  ob_test_iterate_until (has_vms, window, "has vms");
}

gpointer
ob_test_window_child (ObWindow   *window,
                      const char *name)
{
  return ob_test_child (window, OB_TYPE_WINDOW, name);
}

ObVm *
ob_test_find_vm (ObWindow   *window,
                 const char *name)
{
  GListModel *vms = ob_window_get_vms (window);

  for (guint i = 0; i < g_list_model_get_n_items (vms); i++)
    {
      g_autoptr(ObVm) vm = g_list_model_get_item (vms, i);

      if (g_strcmp0 (ob_vm_get_name (vm), name) == 0)
        return vm;
    }
  g_error ("No VM %s in the list", name);
  return NULL;
}

gboolean
ob_test_select_vm (ObWindow   *window,
                   const char *name,
                   gboolean    exclusive)
{
  GListModel *shown = G_LIST_MODEL (gtk_column_view_get_model (ob_test_window_child (window, "vm_view")));

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(ObVm) vm = g_list_model_get_item (shown, i);

      if (g_strcmp0 (ob_vm_get_name (vm), name) == 0)
        return gtk_selection_model_select_item (GTK_SELECTION_MODEL (shown), i, exclusive);
    }
  return FALSE;
}
