/* test-app-ovf-balloon.c: the OVF editor's balloon section and its close
 * prompt, as a user clicks them (suite gui)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ob-ovf-editor-window.h"
#include "ob-test-app.h"

#define FIXTURE_DEVICE_ERA OB_TEST_OVF_DEVICE_ERA
#define FIXTURE_NO_BALLOON OB_TEST_OVF_NO_BALLOON

typedef ObTestDirFixture Fixture;
#define fixture_setup ob_test_dir_setup
#define fixture_teardown ob_test_dir_teardown

static gboolean
idle (gpointer win)
{
  return !ob_ovf_editor_window_get_busy (win);
}

static gpointer
child (ObOvfEditorWindow *win,
       const char        *name)
{
  return ob_test_child (win, OB_TYPE_OVF_EDITOR_WINDOW, name);
}

static gboolean
prompt_shown (gpointer win)
{
  GtkWindow *prompt = ob_test_find_dialog_for (win);

  return prompt != NULL && gtk_widget_get_mapped (GTK_WIDGET (prompt));
}

/* Clicking Discard (and Save) in the close prompt: the window goes, with
 * no critical about a freed window (G_DEBUG=fatal-warnings makes any
 * fatal). */
static void
test_prompt_buttons (Fixture       *fx,
                     gconstpointer  data)
{
  const char *labels[] = { "_Discard", "_Save" };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_autofree char *path = ob_test_copy_upstream (fx->tmpdir, FIXTURE_DEVICE_ERA, "vm.ovf", NULL, NULL);
      ObOvfEditorWindow *win = ob_test_open_editor (path);
      GtkWidget *weak = GTK_WIDGET (win);
      GtkWindow *prompt;
      GtkWidget *prompt_weak;

      g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &weak);
      gtk_widget_activate (child (win, "balloon_check"));
      g_assert_true (ob_ovf_editor_window_get_modified (win));
      gtk_window_close (GTK_WINDOW (win));
      ob_test_iterate_until (prompt_shown, win, "prompt shown");
      prompt = ob_test_find_dialog_for (GTK_WINDOW (win));
      prompt_weak = GTK_WIDGET (prompt);
      g_object_add_weak_pointer (G_OBJECT (prompt), (gpointer *) &prompt_weak);

      ob_test_click_dialog_button (prompt, labels[i]);
      ob_test_iterate_until (ob_test_is_destroyed, &weak, "ob test is destroyed");
      ob_test_iterate_until (ob_test_is_destroyed, &prompt_weak, "ob test is destroyed");
    }
}

/* Below level 3.1 a user who unchecks an enabled balloon can check it
 * again (that only restores the file), and a forced enable keeps its
 * option shown while it is in effect. */
static void
test_undo_below_minimum (Fixture       *fx,
                         gconstpointer  data)
{
  g_autofree char *path = ob_test_copy_upstream (fx->tmpdir, FIXTURE_DEVICE_ERA, "old.ovf",
                                                 "<Name>exporttedVM</Name>",
                                                 "<ClusterCompatibilityVersion>3.0</ClusterCompatibilityVersion>");
  g_autofree char *forced_path = ob_test_copy_upstream (fx->tmpdir, FIXTURE_NO_BALLOON, "forced.ovf", NULL, NULL);
  ObOvfEditorWindow *win = ob_test_open_editor (path);
  GtkCheckButton *check = child (win, "balloon_check");
  GtkCheckButton *force;

  g_assert_true (gtk_check_button_get_active (check));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (check)));
  gtk_widget_activate (GTK_WIDGET (check));
  g_assert_false (gtk_check_button_get_active (check));
  g_assert_true (ob_ovf_editor_window_get_modified (win));
  /* Still sensitive: the user can undo their own click. */
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (check)));
  g_assert_false (gtk_widget_get_visible (child (win, "force_check")));
  gtk_widget_activate (GTK_WIDGET (check));
  g_assert_true (gtk_check_button_get_active (check));
  g_assert_false (gtk_info_bar_get_revealed (child (win, "info_bar")));

  win = ob_test_open_editor (forced_path);
  check = child (win, "balloon_check");
  force = child (win, "force_check");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (check)));
  gtk_widget_activate (GTK_WIDGET (force));
  gtk_widget_activate (GTK_WIDGET (check));
  g_assert_true (gtk_check_button_get_active (check));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (force)));
  g_assert_true (gtk_check_button_get_active (force));
}

/* The "Balloon state" row describes the file on disk and names an
 * unsaved edit as such; a 4.2 file without a device is simply off. */
static void
test_state_row (Fixture       *fx,
                gconstpointer  data)
{
  g_autofree char *path = ob_test_copy_upstream (fx->tmpdir, FIXTURE_DEVICE_ERA, "vm.ovf", NULL, NULL);
  g_autofree char *level_42 = ob_test_copy_upstream (fx->tmpdir, FIXTURE_NO_BALLOON, "42.ovf",
                                                     "<Name>sevenofnine</Name>",
                                                     "<ClusterCompatibilityVersion>4.2</ClusterCompatibilityVersion>");
  ObOvfEditorWindow *win = ob_test_open_editor (path);
  GtkLabel *state = child (win, "state_label");
  const char *text;

  g_assert_true (g_str_has_prefix (gtk_label_get_text (state), "Enabled —"));
  gtk_widget_activate (child (win, "balloon_check"));
  text = gtk_label_get_text (state);
  g_test_message ("after unchecking: %s", text);
  g_assert_true (g_str_has_prefix (text, "Enabled in the file"));
  g_assert_nonnull (strstr (text, "disabled when saved"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.save", NULL));
  ob_test_iterate_until (idle, win, "idle");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (state), "Disabled —"));

  win = ob_test_open_editor (level_42);
  text = gtk_label_get_text (child (win, "state_label"));
  g_test_message ("level 4.2, no device: %s", text);
  g_assert_true (g_str_has_prefix (text, "Disabled —"));
  g_assert_null (strstr (text, "before the feature"));
  g_assert_null (strstr (text, "predates"));
}

/* A file that is not XML: the summary says what it means before the
 * parser's own words. */
static void
test_not_xml (Fixture       *fx,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->tmpdir, "notes.ovf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  ObOvfEditorWindow *win = ob_ovf_editor_window_new (NULL);
  const char *text;

  g_assert_true (g_file_set_contents (path, "this is not an OVF file\n", -1, NULL));
  gtk_window_present (GTK_WINDOW (win));
  ob_ovf_editor_window_open_file (win, file);
  ob_test_iterate_until (idle, win, "idle");
  g_assert_true (gtk_info_bar_get_revealed (child (win, "info_bar")));
  text = gtk_label_get_text (child (win, "info_label"));
  g_test_message ("shown: %s", text);
  g_assert_true (g_str_has_prefix (text, "The file could not be opened: it is not an OVF document"));
}

int
main (int    argc,
      char **argv)
{
  int status = ob_test_init (&argc, &argv);

  if (status >= 0)
    return status;

  g_test_add ("/ovf-editor/prompt-buttons", Fixture, NULL, fixture_setup, test_prompt_buttons, fixture_teardown);
  g_test_add ("/ovf-editor/undo-below-minimum", Fixture, NULL, fixture_setup, test_undo_below_minimum, fixture_teardown);
  g_test_add ("/ovf-editor/state-row", Fixture, NULL, fixture_setup, test_state_row, fixture_teardown);
  g_test_add ("/ovf-editor/not-xml", Fixture, NULL, fixture_setup, test_not_xml, fixture_teardown);
  return g_test_run ();
}
