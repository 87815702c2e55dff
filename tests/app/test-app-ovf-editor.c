/* test-app-ovf-editor.c: the GTK OVF editor window, driven programmatically
 *
 * The key check: open, toggle and save in the window produces exactly the
 * bytes `ovirt-balloon-cli ovf set-balloon` produces on another copy of the
 * same file (the real CLI binary is run).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include <gtk/gtk.h>

#include "ob-host-payload.h"
#include "ob-ovf-editor-window.h"
#include "ob-test-a11y.h"
#include "ob-test-app.h"

#define FIXTURE_DEVICE_ERA OB_TEST_OVF_DEVICE_ERA
#define FIXTURE_NO_BALLOON OB_TEST_OVF_NO_BALLOON

typedef ObTestDirFixture Fixture;
#define fixture_setup ob_test_dir_setup
#define fixture_teardown ob_test_dir_teardown

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
write_text (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* Copies the upstream fixture @name into the temp dir as @as, with
 * @insert_after (if not NULL) followed by @insertion. */
static char *
copy_fixture (Fixture    *fx,
              const char *name,
              const char *as,
              const char *insert_after,
              const char *insertion)
{
  return ob_test_copy_upstream (fx->tmpdir, name, as, insert_after, insertion);
}

/* Runs the real CLI: ovirt-balloon-cli ovf set-balloon PATH on|off, and
 * returns its exit status. */
static int
run_cli_set_balloon (const char *path,
                     gboolean    enabled,
                     gboolean    force)
{
  g_autofree char *cli = g_build_filename (g_getenv ("OB_BUILD_DIR"), "src", "ovirt-balloon-cli", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { cli, "ovf", "set-balloon", path, enabled ? "on" : "off",
                         force ? "--force" : NULL, NULL };
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("cli stderr: %s", err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
iterate_until (gboolean (*done) (gpointer),
               gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
window_idle (gpointer data)
{
  return !ob_ovf_editor_window_get_busy (data);
}

static void
wait_idle (ObOvfEditorWindow *win)
{
  iterate_until (window_idle, win);
}

static gpointer
child (ObOvfEditorWindow *win,
       const char        *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (win), OB_TYPE_OVF_EDITOR_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

static ObOvfEditorWindow *
open_window (const char *path)
{
  ObOvfEditorWindow *win = ob_ovf_editor_window_new (NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_object_ref_sink (win);
  gtk_window_present (GTK_WINDOW (win));
  ob_ovf_editor_window_open_file (win, file);
  g_assert_true (ob_ovf_editor_window_get_busy (win));
  wait_idle (win);
  return win;
}

static gboolean
widget_is_destroyed (gpointer data)
{
  GtkWidget **widget = data;

  return *widget == NULL;
}

static void
close_window (ObOvfEditorWindow *win)
{
  GtkWidget *weak = GTK_WIDGET (win);

  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &weak);
  gtk_window_destroy (GTK_WINDOW (win));
  g_object_unref (win);
  iterate_until (widget_is_destroyed, &weak);
}

static void
assert_info_bar_hidden (ObOvfEditorWindow *win)
{
  g_assert_false (gtk_info_bar_get_revealed (child (win, "info_bar")));
}

static void
toggle_and_save (ObOvfEditorWindow *win,
                 gboolean           enabled)
{
  GtkCheckButton *check = child (win, "balloon_check");

  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (check)));
  g_assert_cmpint (gtk_check_button_get_active (check), ==, !enabled);
  g_assert_false (ob_ovf_editor_window_get_modified (win));
  /* Nothing to save yet: Save is disabled. */
  g_assert_false (gtk_widget_get_sensitive (child (win, "save_button")));

  /* The user's path: activating the check button toggles it. */
  gtk_widget_activate (GTK_WIDGET (check));
  g_assert_cmpint (gtk_check_button_get_active (check), ==, enabled);
  g_assert_true (ob_ovf_editor_window_get_modified (win));
  g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (win)), "•"));
  g_assert_true (gtk_widget_get_sensitive (child (win, "save_button")));
  assert_info_bar_hidden (win);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.save", NULL));
  g_assert_true (ob_ovf_editor_window_get_busy (win));
  wait_idle (win);
  assert_info_bar_hidden (win);
  g_assert_false (ob_ovf_editor_window_get_modified (win));
  g_assert_false (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (win)), "•"));
}

static void
assert_bytes_equal (GBytes     *a,
                    GBytes     *b,
                    const char *what)
{
  if (!g_bytes_equal (a, b))
    {
      g_test_message ("GUI output (%zu bytes):\n%.*s", g_bytes_get_size (a),
                      (int) g_bytes_get_size (a), (const char *) g_bytes_get_data (a, NULL));
      g_test_message ("CLI output (%zu bytes):\n%.*s", g_bytes_get_size (b),
                      (int) g_bytes_get_size (b), (const char *) g_bytes_get_data (b, NULL));
      g_test_fail_printf ("%s: the GUI's save differs from the CLI's", what);
    }
}

/* ---------------------------------------------------------------------- */
/* Save produces exactly what the CLI produces                            */

/* Device era, disabling: the balloon Item is removed. Byte for byte. */
static void
test_matches_cli_device_era_off (Fixture       *fx,
                                 gconstpointer  data)
{
  g_autofree char *gui_path = copy_fixture (fx, FIXTURE_DEVICE_ERA, "gui.ovf", NULL, NULL);
  g_autofree char *cli_path = copy_fixture (fx, FIXTURE_DEVICE_ERA, "cli.ovf", NULL, NULL);
  g_autoptr(GBytes) original = ob_test_read_bytes (gui_path);
  g_autoptr(GBytes) gui = NULL;
  g_autoptr(GBytes) cli = NULL;
  ObOvfEditorWindow *win = open_window (gui_path);

  assert_info_bar_hidden (win);
  g_assert_cmpstr (gtk_label_get_text (child (win, "name_label")), ==, "exporttedVM");
  g_assert_nonnull (strstr (gtk_label_get_text (child (win, "level_label")), "3.3"));
  g_assert_nonnull (strstr (gtk_label_get_text (child (win, "state_label")), "device"));

  toggle_and_save (win, FALSE);
  g_assert_cmpint (run_cli_set_balloon (cli_path, FALSE, FALSE), ==, 0);

  gui = ob_test_read_bytes (gui_path);
  cli = ob_test_read_bytes (cli_path);
  g_assert_false (g_bytes_equal (gui, original));
  assert_bytes_equal (gui, cli, "device era, off");
  g_assert_nonnull (strstr (gtk_label_get_text (child (win, "state_label")), "no balloon device"));

  close_window (win);
}

/* Collects the UUIDs in @text that are not in @before. */
static GPtrArray *
new_uuids (const char *text,
           const char *before)
{
  g_autoptr(GRegex) re = g_regex_new ("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                                      "[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  for (g_regex_match (re, text, 0, &match); g_match_info_matches (match);
       g_match_info_next (match, NULL))
    {
      char *uuid = g_match_info_fetch (match, 0);

      if (strstr (before, uuid) == NULL)
        g_ptr_array_add (found, uuid);
      else
        g_free (uuid);
    }
  return found;
}

/* The two files differ in exactly one new UUID each (the added balloon
 * Item's InstanceId) and are otherwise byte-identical. */
static void
assert_equal_but_new_uuid (const char *gui_path,
                           const char *cli_path,
                           const char *original)
{
  g_autofree char *gui = read_text (gui_path);
  g_autofree char *cli = read_text (cli_path);
  g_autoptr(GPtrArray) gui_new = new_uuids (gui, original);
  g_autoptr(GPtrArray) cli_new = new_uuids (cli, original);
  g_autoptr(GString) gui_masked = NULL;
  g_autoptr(GString) cli_masked = NULL;

  g_assert_cmpuint (gui_new->len, ==, 1);
  g_assert_cmpuint (cli_new->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (gui_new, 0), !=, g_ptr_array_index (cli_new, 0));

  gui_masked = g_string_new (gui);
  cli_masked = g_string_new (cli);
  g_assert_cmpuint (g_string_replace (gui_masked, g_ptr_array_index (gui_new, 0), "UUID", 0), ==, 1);
  g_assert_cmpuint (g_string_replace (cli_masked, g_ptr_array_index (cli_new, 0), "UUID", 0), ==, 1);
  g_assert_cmpstr (gui_masked->str, ==, cli_masked->str);
  g_assert_nonnull (strstr (gui, "<Device>memballoon</Device>"));
}

/* Device era, enabling: the engine gives the new Item a random UUID, so the
 * two outputs may differ in exactly that UUID and nowhere else. */
static void
test_matches_cli_device_era_on (Fixture       *fx,
                                gconstpointer  data)
{
  const char *after = "<Name>sevenofnine</Name>";
  const char *level = "\n    <ClusterCompatibilityVersion>4.2</ClusterCompatibilityVersion>";
  g_autofree char *gui_path = copy_fixture (fx, FIXTURE_NO_BALLOON, "gui.ovf", after, level);
  g_autofree char *cli_path = copy_fixture (fx, FIXTURE_NO_BALLOON, "cli.ovf", after, level);
  g_autofree char *original = read_text (gui_path);
  ObOvfEditorWindow *win = open_window (gui_path);

  g_assert_nonnull (strstr (gtk_label_get_text (child (win, "level_label")), "4.2"));
  g_assert_false (gtk_widget_get_visible (child (win, "reason_label")));
  toggle_and_save (win, TRUE);
  g_assert_cmpint (run_cli_set_balloon (cli_path, TRUE, FALSE), ==, 0);

  assert_equal_but_new_uuid (gui_path, cli_path, original);
  close_window (win);
}

/* Flag era (<BalloonEnabled>, oVirt >= 4.4.6): only the element's text
 * changes, so both outputs must be identical, both ways. */
static void
test_matches_cli_flag_era (Fixture       *fx,
                           gconstpointer  data)
{
  const char *after = "<Name>exporttedVM</Name>";
  const char *flag = "\n        <ClusterCompatibilityVersion>4.7</ClusterCompatibilityVersion>"
                     "\n        <BalloonEnabled>true</BalloonEnabled>";
  g_autofree char *gui_path = copy_fixture (fx, FIXTURE_DEVICE_ERA, "gui.ovf", after, flag);
  g_autofree char *cli_path = copy_fixture (fx, FIXTURE_DEVICE_ERA, "cli.ovf", after, flag);
  ObOvfEditorWindow *win = open_window (gui_path);

  g_assert_nonnull (strstr (gtk_label_get_text (child (win, "state_label")), "<BalloonEnabled>"));

  for (int round = 0; round < 2; round++)
    {
      gboolean enabled = round == 1;
      g_autoptr(GBytes) gui = NULL;
      g_autoptr(GBytes) cli = NULL;
      g_autofree char *text = NULL;

      toggle_and_save (win, enabled);
      g_assert_cmpint (run_cli_set_balloon (cli_path, enabled, FALSE), ==, 0);
      gui = ob_test_read_bytes (gui_path);
      cli = ob_test_read_bytes (cli_path);
      assert_bytes_equal (gui, cli, enabled ? "flag era, on" : "flag era, off");
      text = read_text (gui_path);
      g_assert_nonnull (strstr (text, enabled ? "<BalloonEnabled>true</BalloonEnabled>"
                                              : "<BalloonEnabled>false</BalloonEnabled>"));
    }

  close_window (win);
}

/* An OVA (GNU tar: vm.ovf, then a disk): the window edits the OVF member;
 * the rewritten archive must equal the CLI's, byte for byte. */
static void
test_matches_cli_ova (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *ovf = copy_fixture (fx, FIXTURE_DEVICE_ERA, "vm.ovf", NULL, NULL);
  g_autofree char *disk = g_build_filename (fx->tmpdir, "disk1", NULL);
  g_autofree char *gui_path = g_build_filename (fx->tmpdir, "gui.ova", NULL);
  g_autofree char *cli_path = g_build_filename (fx->tmpdir, "cli.ova", NULL);
  g_autofree char *zeros = g_malloc0 (256 * 1024);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) gui = NULL;
  g_autoptr(GBytes) cli = NULL;
  const char *tar_argv[] = { "tar", "--format=gnu", "-C", fx->tmpdir, "-cf", gui_path,
                             "vm.ovf", "disk1", NULL };
  int status = 0;
  ObOvfEditorWindow *win;

  g_file_set_contents (disk, zeros, 256 * 1024, &error);
  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **) tar_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  original = ob_test_read_bytes (gui_path);
  g_file_set_contents (cli_path, g_bytes_get_data (original, NULL), g_bytes_get_size (original), &error);
  g_assert_no_error (error);

  win = open_window (gui_path);
  assert_info_bar_hidden (win);
  g_assert_nonnull (strstr (gtk_label_get_text (child (win, "file_label")), "vm.ovf"));
  toggle_and_save (win, FALSE);
  g_assert_cmpint (run_cli_set_balloon (cli_path, FALSE, FALSE), ==, 0);

  gui = ob_test_read_bytes (gui_path);
  cli = ob_test_read_bytes (cli_path);
  g_assert_false (g_bytes_equal (gui, original));
  if (!g_bytes_equal (gui, cli))
    g_test_fail_printf ("OVA: the GUI's save (%zu bytes) differs from the CLI's (%zu bytes)",
                        g_bytes_get_size (gui), g_bytes_get_size (cli));

  close_window (win);
}

/* ---------------------------------------------------------------------- */
/* Validation and preview                                                 */

static void
test_level_3_0_insensitive (Fixture       *fx,
                            gconstpointer  data)
{
  g_autofree char *path = copy_fixture (fx, FIXTURE_NO_BALLOON, "old.ovf", "<Name>sevenofnine</Name>",
                                        "<ClusterCompatibilityVersion>3.0</ClusterCompatibilityVersion>");
  g_autoptr(GBytes) original = ob_test_read_bytes (path);
  g_autoptr(GBytes) after = NULL;
  ObOvfEditorWindow *win = open_window (path);
  GtkCheckButton *check = child (win, "balloon_check");
  GtkCheckButton *force = child (win, "force_check");
  GtkLabel *reason = child (win, "reason_label");

  g_assert_nonnull (strstr (gtk_label_get_text (child (win, "level_label")), "3.0"));
  g_assert_false (gtk_check_button_get_active (check));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (check)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (reason)));
  g_assert_nonnull (strstr (gtk_label_get_text (reason), "3.1"));
  g_assert_nonnull (strstr (gtk_label_get_text (reason), "3.0"));
  g_assert_false (ob_ovf_editor_window_get_modified (win));

  /* The preview shows what the host gets: no balloon. */
  {
    g_autofree char *vdsm_off = ob_host_payload_vdsm_balloon (FALSE);
    g_autofree char *libvirt_off = ob_host_payload_libvirt_memballoon (FALSE, NULL);

    g_assert_cmpstr (gtk_label_get_text (child (win, "vdsm_label")), ==, vdsm_off);
    g_assert_cmpstr (gtk_label_get_text (child (win, "libvirt_label")), ==, libvirt_off);
  }

  /* The explicit force is offered, and only it makes the box sensitive. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (force)));
  {
    g_autoptr(GPtrArray) unlabeled = ob_test_a11y_find_unlabeled (GTK_WIDGET (win));

    g_assert_cmpuint (unlabeled->len, ==, 0);
  }
  g_assert_false (gtk_check_button_get_active (force));
  gtk_widget_activate (GTK_WIDGET (force));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (check)));
  gtk_widget_activate (GTK_WIDGET (force));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (check)));
  g_assert_false (ob_ovf_editor_window_get_modified (win));

  close_window (win);
  after = ob_test_read_bytes (path);
  g_assert_true (g_bytes_equal (original, after));
}

/* No level in the file at all: a warning, but enabling is allowed, as in
 * the CLI. */
static void
test_level_unknown_warns (Fixture       *fx,
                          gconstpointer  data)
{
  g_autofree char *gui_path = copy_fixture (fx, FIXTURE_NO_BALLOON, "gui.ovf", NULL, NULL);
  g_autofree char *cli_path = g_build_filename (fx->tmpdir, "cli.ovf", NULL);
  g_autofree char *text = read_text (gui_path);
  g_autoptr(GString) edited = g_string_new (text);
  GtkLabel *reason;
  ObOvfEditorWindow *win;

  g_assert_cmpuint (g_string_replace (edited, " ovf:version='0.9'", "", 0), ==, 1);
  write_text (gui_path, edited->str);
  write_text (cli_path, edited->str);

  win = open_window (gui_path);
  reason = child (win, "reason_label");
  g_assert_nonnull (strstr (gtk_label_get_text (child (win, "level_label")), "unknown"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (reason)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (reason), "warning"));
  g_assert_nonnull (strstr (gtk_label_get_text (reason), "3.1"));
  g_assert_false (gtk_widget_get_visible (child (win, "force_check")));

  toggle_and_save (win, TRUE);
  g_assert_cmpint (run_cli_set_balloon (cli_path, TRUE, FALSE), ==, 0);
  assert_equal_but_new_uuid (gui_path, cli_path, edited->str);

  close_window (win);
}

/* Forcing on a 0.9 file writes what the CLI writes with --force (each
 * adds the Item with its own random UUID). */
static void
test_force_enables (Fixture       *fx,
                    gconstpointer  data)
{
  g_autofree char *path = copy_fixture (fx, FIXTURE_NO_BALLOON, "old.ovf", NULL, NULL);
  g_autofree char *cli_path = copy_fixture (fx, FIXTURE_NO_BALLOON, "cli.ovf", NULL, NULL);
  g_autofree char *original = read_text (path);
  ObOvfEditorWindow *win = open_window (path);
  GtkCheckButton *check = child (win, "balloon_check");

  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (check)));
  /* The CLI refuses without --force, with exit code 3. */
  g_assert_cmpint (run_cli_set_balloon (cli_path, TRUE, FALSE), ==, 3);

  gtk_check_button_set_active (child (win, "force_check"), TRUE);
  gtk_widget_activate (GTK_WIDGET (check));
  g_assert_true (gtk_check_button_get_active (check));
  g_assert_true (ob_ovf_editor_window_get_modified (win));
  assert_info_bar_hidden (win);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.save", NULL));
  wait_idle (win);
  assert_info_bar_hidden (win);

  g_assert_cmpint (run_cli_set_balloon (cli_path, TRUE, TRUE), ==, 0);
  assert_equal_but_new_uuid (path, cli_path, original);

  close_window (win);
}

static void
test_preview_follows_checkbox (Fixture       *fx,
                               gconstpointer  data)
{
  g_autofree char *path = copy_fixture (fx, FIXTURE_DEVICE_ERA, "vm.ovf", NULL, NULL);
  ObOvfEditorWindow *win = open_window (path);
  GtkCheckButton *check = child (win, "balloon_check");

  for (int i = 0; i < 3; i++)
    {
      gboolean on = gtk_check_button_get_active (check);
      g_autofree char *vdsm = ob_host_payload_vdsm_balloon (on);
      g_autofree char *libvirt = ob_host_payload_libvirt_memballoon (on, NULL);

      g_assert_cmpstr (gtk_label_get_text (child (win, "vdsm_label")), ==, vdsm);
      g_assert_cmpstr (gtk_label_get_text (child (win, "libvirt_label")), ==, libvirt);
      g_assert_nonnull (strstr (vdsm, on ? "'virtio'" : "'none'"));
      gtk_widget_activate (GTK_WIDGET (check));
    }

  close_window (win);
}

/* Stop (Escape) during a load: nothing is opened and no error is shown. */
static void
test_stop_loading (Fixture       *fx,
                   gconstpointer  data)
{
  g_autofree char *path = copy_fixture (fx, FIXTURE_DEVICE_ERA, "vm.ovf", NULL, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  ObOvfEditorWindow *win = g_object_ref_sink (ob_ovf_editor_window_new (NULL));

  gtk_window_present (GTK_WINDOW (win));
  ob_ovf_editor_window_open_file (win, file);
  g_assert_true (ob_ovf_editor_window_get_busy (win));
  g_assert_true (gtk_widget_get_visible (child (win, "cancel_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.cancel", NULL));
  wait_idle (win);
  g_assert_false (gtk_widget_get_visible (child (win, "cancel_button")));
  assert_info_bar_hidden (win);
  g_assert_null (ob_ovf_editor_window_get_file (win));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (win, "stack")), ==, "empty");

  /* And the window still opens files afterwards. */
  ob_ovf_editor_window_open_file (win, file);
  wait_idle (win);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (win, "stack")), ==, "document");

  close_window (win);
}

/* ---------------------------------------------------------------------- */
/* Drag and drop                                                          */

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

/* What GTK does on a drop of files from a file manager. */
static gboolean
drop_file (ObOvfEditorWindow *win,
           const char        *path)
{
  GtkDropTarget *target = find_drop_target (GTK_WIDGET (win));
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_auto(GValue) value = G_VALUE_INIT;
  GSList *files = g_slist_prepend (NULL, file);
  gboolean accepted = FALSE;
  const GType *types;
  gsize n_types = 0;
  gboolean takes_file_lists = FALSE;

  g_assert_nonnull (target);
  types = gtk_drop_target_get_gtypes (target, &n_types);
  for (gsize i = 0; i < n_types; i++)
    takes_file_lists |= types[i] == GDK_TYPE_FILE_LIST;
  g_assert_true (takes_file_lists);

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_set_boxed (&value, files);
  g_slist_free (files);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  return accepted;
}

static ObOvfEditorWindow *
find_other_editor (ObOvfEditorWindow *win)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (OB_IS_OVF_EDITOR_WINDOW (w) && (gpointer) w != (gpointer) win)
        return OB_OVF_EDITOR_WINDOW (w);
    }
  return NULL;
}

/* Dropping a file on an empty window opens it there; on a window with a
 * (modified) document it opens in a new window and the change is kept. */
static void
test_drop (Fixture       *fx,
           gconstpointer  data)
{
  g_autofree char *first = copy_fixture (fx, FIXTURE_DEVICE_ERA, "first.ovf", NULL, NULL);
  g_autofree char *second = copy_fixture (fx, FIXTURE_NO_BALLOON, "second.ovf", NULL, NULL);
  ObOvfEditorWindow *win = g_object_ref_sink (ob_ovf_editor_window_new (NULL));
  ObOvfEditorWindow *other;

  gtk_window_present (GTK_WINDOW (win));
  g_assert_true (drop_file (win, first));
  wait_idle (win);
  g_assert_cmpstr (gtk_label_get_text (child (win, "name_label")), ==, "exporttedVM");
  g_assert_null (find_other_editor (win));

  gtk_widget_activate (child (win, "balloon_check"));
  g_assert_true (ob_ovf_editor_window_get_modified (win));

  g_assert_true (drop_file (win, second));
  other = find_other_editor (win);
  g_assert_nonnull (other);
  g_object_ref (other);
  wait_idle (other);
  g_assert_cmpstr (gtk_label_get_text (child (other, "name_label")), ==, "sevenofnine");
  g_assert_cmpstr (gtk_label_get_text (child (win, "name_label")), ==, "exporttedVM");
  g_assert_true (ob_ovf_editor_window_get_modified (win));

  close_window (other);
  close_window (win);
}

/* ---------------------------------------------------------------------- */
/* Keyboard                                                               */

static gboolean
has_shortcut (GtkWidget  *widget,
              const char *trigger_text,
              const char *action_name)
{
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (trigger_text);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  g_assert_nonnull (wanted);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted)
              && GTK_IS_NAMED_ACTION (action)
              && g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                            action_name) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/* Every labelled button and check button has a mnemonic. */
static void
assert_mnemonics (GtkWidget *widget)
{
  const char *label = NULL;
  gboolean underline = FALSE;

  if (GTK_IS_CHECK_BUTTON (widget))
    {
      label = gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
      underline = gtk_check_button_get_use_underline (GTK_CHECK_BUTTON (widget));
    }
  else if (GTK_IS_BUTTON (widget))
    {
      label = gtk_button_get_label (GTK_BUTTON (widget));
      underline = gtk_button_get_use_underline (GTK_BUTTON (widget));
    }
  if (label != NULL && *label != '\0')
    {
      if (!underline || strchr (label, '_') == NULL)
        g_test_fail_printf ("\"%s\" (%s) has no mnemonic", label, G_OBJECT_TYPE_NAME (widget));
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    assert_mnemonics (c);
}

static void
test_keyboard (Fixture       *fx,
               gconstpointer  data)
{
  g_autofree char *path = copy_fixture (fx, FIXTURE_DEVICE_ERA, "vm.ovf", NULL, NULL);
  ObOvfEditorWindow *win = open_window (path);
  GtkWidget *w = GTK_WIDGET (win);
  GtkWidget *menu_button;

  g_assert_true (has_shortcut (w, "<Control>o", "win.open"));
  g_assert_true (has_shortcut (w, "<Control>s", "win.save"));
  g_assert_true (has_shortcut (w, "<Control><Shift>s", "win.save-as"));
  g_assert_true (has_shortcut (w, "<Control>w", "window.close"));
  g_assert_true (has_shortcut (w, "Escape", "win.cancel"));
  g_assert_false (has_shortcut (w, "<Control>q", "win.open"));

  /* F10 opens the primary menu, which holds Save As. */
  menu_button = child (win, "menu_button");
  g_assert_true (gtk_menu_button_get_primary (GTK_MENU_BUTTON (menu_button)));

  /* The checkbox and everything else with a label can be reached by Alt. */
  gtk_widget_set_visible (child (win, "force_check"), TRUE);
  assert_mnemonics (w);

  /* The checkbox takes keyboard focus. */
  g_assert_true (gtk_widget_get_focusable (child (win, "balloon_check")));
  g_assert_true (gtk_widget_grab_focus (child (win, "balloon_check")));

  close_window (win);
}

/* ---------------------------------------------------------------------- */
/* Closing with unsaved changes                                           */

static GtkWindow *
find_prompt (ObOvfEditorWindow *win)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_window_get_transient_for (w) == GTK_WINDOW (win))
        return w;
    }
  return NULL;
}

static gboolean
prompt_shown (gpointer data)
{
  GtkWindow *prompt = find_prompt (data);

  return prompt != NULL && gtk_widget_get_mapped (GTK_WIDGET (prompt));
}

static void
respond (GtkWindow  *prompt,
         const char *label)
{
  ob_test_click_dialog_button (prompt, label);
}

static void
test_unsaved_prompt (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *gui_path = copy_fixture (fx, FIXTURE_DEVICE_ERA, "gui.ovf", NULL, NULL);
  g_autofree char *cli_path = copy_fixture (fx, FIXTURE_DEVICE_ERA, "cli.ovf", NULL, NULL);
  g_autoptr(GBytes) original = ob_test_read_bytes (gui_path);
  ObOvfEditorWindow *win = open_window (gui_path);
  GtkWidget *weak = GTK_WIDGET (win);
  GtkWindow *prompt;
  g_autoptr(GPtrArray) unlabeled = NULL;

  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &weak);

  /* Not modified: closing does not ask. (Checked on a second window.) */
  {
    ObOvfEditorWindow *clean = open_window (gui_path);
    GtkWidget *clean_weak = GTK_WIDGET (clean);

    g_object_add_weak_pointer (G_OBJECT (clean), (gpointer *) &clean_weak);
    g_object_unref (clean);
    gtk_window_close (GTK_WINDOW (clean));
    iterate_until (widget_is_destroyed, &clean_weak);
  }

  gtk_widget_activate (child (win, "balloon_check"));
  g_assert_true (ob_ovf_editor_window_get_modified (win));

  /* Cancel keeps the window and the change. */
  gtk_window_close (GTK_WINDOW (win));
  iterate_until (prompt_shown, win);
  prompt = find_prompt (win);
  g_assert_true (gtk_window_get_modal (prompt));

  unlabeled = ob_test_a11y_find_unlabeled (GTK_WIDGET (prompt));
  g_assert_cmpuint (unlabeled->len, ==, 0);

  respond (prompt, "_Cancel");
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_nonnull (weak);
  g_assert_null (find_prompt (win));
  g_assert_true (ob_ovf_editor_window_get_modified (win));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (win)));

  /* Save saves, then closes; the file is what the CLI writes. */
  gtk_window_close (GTK_WINDOW (win));
  iterate_until (prompt_shown, win);
  respond (find_prompt (win), "_Save");
  g_object_unref (win);
  iterate_until (widget_is_destroyed, &weak);

  g_assert_cmpint (run_cli_set_balloon (cli_path, FALSE, FALSE), ==, 0);
  {
    g_autoptr(GBytes) gui = ob_test_read_bytes (gui_path);
    g_autoptr(GBytes) cli = ob_test_read_bytes (cli_path);

    g_assert_false (g_bytes_equal (gui, original));
    assert_bytes_equal (gui, cli, "save from the close prompt");
  }
}

static void
test_unsaved_prompt_discard (Fixture       *fx,
                             gconstpointer  data)
{
  g_autofree char *path = copy_fixture (fx, FIXTURE_DEVICE_ERA, "vm.ovf", NULL, NULL);
  g_autoptr(GBytes) original = ob_test_read_bytes (path);
  g_autoptr(GBytes) after = NULL;
  ObOvfEditorWindow *win = open_window (path);
  GtkWidget *weak = GTK_WIDGET (win);

  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &weak);
  gtk_widget_activate (child (win, "balloon_check"));
  gtk_window_close (GTK_WINDOW (win));
  iterate_until (prompt_shown, win);
  respond (find_prompt (win), "_Discard");
  g_object_unref (win);
  iterate_until (widget_is_destroyed, &weak);

  after = ob_test_read_bytes (path);
  g_assert_true (g_bytes_equal (original, after));
}

/* Closing while a save runs: no question, the window closes once saved. */
static void
test_close_while_saving (Fixture       *fx,
                         gconstpointer  data)
{
  g_autofree char *gui_path = copy_fixture (fx, FIXTURE_DEVICE_ERA, "gui.ovf", NULL, NULL);
  g_autofree char *cli_path = copy_fixture (fx, FIXTURE_DEVICE_ERA, "cli.ovf", NULL, NULL);
  ObOvfEditorWindow *win = open_window (gui_path);
  GtkWidget *weak = GTK_WIDGET (win);
  g_autoptr(GBytes) gui = NULL;
  g_autoptr(GBytes) cli = NULL;

  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &weak);
  gtk_widget_activate (child (win, "balloon_check"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.save", NULL));
  g_assert_true (ob_ovf_editor_window_get_busy (win));
  gtk_window_close (GTK_WINDOW (win));
  g_assert_null (find_prompt (win));
  g_object_unref (win);
  iterate_until (widget_is_destroyed, &weak);

  g_assert_cmpint (run_cli_set_balloon (cli_path, FALSE, FALSE), ==, 0);
  gui = ob_test_read_bytes (gui_path);
  cli = ob_test_read_bytes (cli_path);
  assert_bytes_equal (gui, cli, "close while saving");
}

/* ---------------------------------------------------------------------- */
/* Errors                                                                 */

static void
test_bad_file_shows_error (Fixture       *fx,
                           gconstpointer  data)
{
  g_autofree char *good = copy_fixture (fx, FIXTURE_DEVICE_ERA, "good.ovf", NULL, NULL);
  g_autofree char *bad = g_build_filename (fx->tmpdir, "bad.ovf", NULL);
  g_autofree char *missing = g_build_filename (fx->tmpdir, "missing.ovf", NULL);
  ObOvfEditorWindow *win = ob_ovf_editor_window_new (NULL);
  g_autoptr(GFile) bad_file = NULL;
  g_autoptr(GFile) good_file = g_file_new_for_path (good);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  GtkLabel *info_label;

  write_text (bad, "<?xml version='1.0'?>\n<ovf:Envelope xmlns:ovf='x'>\n  <Content>\n</ovf:Envelope>\n");
  bad_file = g_file_new_for_path (bad);

  g_object_ref_sink (win);
  gtk_window_present (GTK_WINDOW (win));
  info_label = child (win, "info_label");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (win, "stack")), ==, "empty");

  /* A malformed file: the error is shown inside the window. */
  ob_ovf_editor_window_open_file (win, bad_file);
  wait_idle (win);
  g_assert_true (gtk_info_bar_get_revealed (child (win, "info_bar")));
  g_assert_nonnull (strstr (gtk_label_get_text (info_label), "bad.ovf"));
  /* In plain words, with the line, not the XML parser's. */
  g_assert_nonnull (strstr (gtk_label_get_text (info_label),
                            "line 4: the element <Content> opened on line 3 is closed by </ovf:Envelope>"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (win, "stack")), ==, "empty");
  g_assert_null (ob_ovf_editor_window_get_file (win));

  /* Not XML at all: said so, naming the file. */
  {
    g_autofree char *text = g_build_filename (fx->tmpdir, "notes.ovf", NULL);
    g_autoptr(GFile) text_file = g_file_new_for_path (text);

    write_text (text, "This is not an OVF.\n");
    ob_ovf_editor_window_open_file (win, text_file);
    wait_idle (win);
    g_assert_true (gtk_info_bar_get_revealed (child (win, "info_bar")));
    g_test_message ("%s", gtk_label_get_text (info_label));
    g_assert_nonnull (strstr (gtk_label_get_text (info_label), "notes.ovf"));
    g_assert_nonnull (strstr (gtk_label_get_text (info_label), "is not an OVF"));
    g_assert_null (strstr (gtk_label_get_text (info_label), "Document is empty"));
  }

  /* The window stays usable: a good file opens and clears the error. */
  ob_ovf_editor_window_open_file (win, good_file);
  wait_idle (win);
  assert_info_bar_hidden (win);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (win, "stack")), ==, "document");
  g_assert_true (g_file_equal (ob_ovf_editor_window_get_file (win), good_file));

  /* A missing file: error shown, the open document is kept. */
  ob_ovf_editor_window_open_file (win, missing_file);
  wait_idle (win);
  g_assert_true (gtk_info_bar_get_revealed (child (win, "info_bar")));
  g_assert_nonnull (strstr (gtk_label_get_text (info_label), "missing.ovf"));
  g_assert_true (g_file_equal (ob_ovf_editor_window_get_file (win), good_file));
  g_assert_cmpstr (gtk_label_get_text (child (win, "name_label")), ==, "exporttedVM");
  g_assert_true (gtk_widget_get_sensitive (child (win, "balloon_check")));

  /* Saving into a directory that does not exist: error shown, the file
   * and the change are kept; then Save As to a real place works and the
   * window follows the new file. */
  gtk_widget_activate (child (win, "balloon_check"));
  g_assert_true (ob_ovf_editor_window_get_modified (win));
  {
    g_autofree char *nowhere = g_build_filename (fx->tmpdir, "no-such-dir", "out.ovf", NULL);
    g_autofree char *elsewhere = g_build_filename (fx->tmpdir, "copy.ovf", NULL);
    g_autoptr(GFile) nowhere_file = g_file_new_for_path (nowhere);
    g_autoptr(GFile) elsewhere_file = g_file_new_for_path (elsewhere);
    g_autoptr(GBytes) before = ob_test_read_bytes (good);
    g_autoptr(GBytes) good_after = NULL;
    g_autofree char *copy_text = NULL;

    ob_ovf_editor_window_save_as (win, nowhere_file);
    wait_idle (win);
    g_assert_true (gtk_info_bar_get_revealed (child (win, "info_bar")));
    g_assert_true (ob_ovf_editor_window_get_modified (win));
    g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_equal (ob_ovf_editor_window_get_file (win), good_file));

    ob_ovf_editor_window_save_as (win, elsewhere_file);
    wait_idle (win);
    assert_info_bar_hidden (win);
    g_assert_false (ob_ovf_editor_window_get_modified (win));
    g_assert_true (g_file_equal (ob_ovf_editor_window_get_file (win), elsewhere_file));
    g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (win)), "copy.ovf"));
    copy_text = read_text (elsewhere);
    g_assert_null (strstr (copy_text, "<Device>memballoon</Device>"));
    good_after = ob_test_read_bytes (good);
    g_assert_true (g_bytes_equal (before, good_after));
  }

  close_window (win);
}

/* ---------------------------------------------------------------------- */

int
main (int    argc,
      char **argv)
{
  ob_test_a11y_init ();
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      if (g_strcmp0 (g_getenv ("OB_REQUIRE_DISPLAY"), "1") == 0)
        {
          g_printerr ("no display, and OB_REQUIRE_DISPLAY=1\n");
          return 1;
        }
      g_print ("1..0 # SKIP no display\n");
      return 0;
    }
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/ovf-editor/matches-cli/device-era-off", test_matches_cli_device_era_off);
  ADD ("/ovf-editor/matches-cli/device-era-on", test_matches_cli_device_era_on);
  ADD ("/ovf-editor/matches-cli/flag-era", test_matches_cli_flag_era);
  ADD ("/ovf-editor/matches-cli/ova", test_matches_cli_ova);
  ADD ("/ovf-editor/level-3.0-insensitive", test_level_3_0_insensitive);
  ADD ("/ovf-editor/force-enables", test_force_enables);
  ADD ("/ovf-editor/level-unknown-warns", test_level_unknown_warns);
  ADD ("/ovf-editor/preview-follows-checkbox", test_preview_follows_checkbox);
  ADD ("/ovf-editor/keyboard", test_keyboard);
  ADD ("/ovf-editor/drop", test_drop);
  ADD ("/ovf-editor/stop-loading", test_stop_loading);
  ADD ("/ovf-editor/unsaved-prompt/cancel-then-save", test_unsaved_prompt);
  ADD ("/ovf-editor/unsaved-prompt/discard", test_unsaved_prompt_discard);
  ADD ("/ovf-editor/unsaved-prompt/close-while-saving", test_close_while_saving);
  ADD ("/ovf-editor/bad-file-shows-error", test_bad_file_shows_error);
#undef ADD

  return g_test_run ();
}
