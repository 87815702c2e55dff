/* test-app-ovf-ova.c: the OVF editor on the files of the wild: who wrote
 * the OVF, OVA manifests and signatures, archives of several OVFs, and a
 * file changed on disk behind the editor's back (suite gui)
 *
 * The OVAs are assembled with tar at test time from the upstream OVFs in
 * tests/data/upstream, as tests/cli/cli-ovf.sh does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "ob-ovf-editor-window.h"
#include "ob-test-app.h"

typedef ObTestDirFixture Fixture;
#define fixture_setup ob_test_dir_setup
#define fixture_teardown ob_test_dir_teardown

/* vm.ovf (device era, balloon on), a disk, and SHA1 and SHA256 lines for
 * both in vm.mf. */
#define MAKE_MF_OVA \
  "mkdir src && cp \"$UP/ovirt-engine_vmOvfData.ovf.xml\" src/vm.ovf && " \
  "head -c 20000 /dev/urandom > src/disk.img && " \
  "{ printf 'SHA1(vm.ovf)= %s\\n' $(sha1sum src/vm.ovf | cut -d' ' -f1); " \
  "  printf 'SHA256(disk.img)= %s\\n' $(sha256sum src/disk.img | cut -d' ' -f1); } > src/vm.mf && "

static gpointer
child (gpointer    win,
       const char *name)
{
  return ob_test_child (win, OB_TYPE_OVF_EDITOR_WINDOW, name);
}

static gboolean
idle (gpointer win)
{
  return !ob_ovf_editor_window_get_busy (win);
}

/* Runs @script with sh in @dir ($UP: tests/data/upstream, $CLI: the CLI);
 * returns its standard output. */
static char *
run_sh (const char *dir,
        const char *script)
{
  g_autofree char *up = g_test_build_filename (G_TEST_DIST, "data", "upstream", NULL);
  g_autofree char *cli = g_build_filename (g_getenv ("OB_BUILD_DIR"), "src", "ovirt-balloon-cli", NULL);
  g_auto(GStrv) env = g_get_environ ();
  const char *argv[] = { "sh", "-ec", script, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  env = g_environ_setenv (env, "UP", up, TRUE);
  env = g_environ_setenv (env, "CLI", cli, TRUE);
  g_spawn_sync (dir, (char **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("sh failed: %s\n%s", script, err);
  return out;
}

static char *
path_in (Fixture    *fx,
         const char *name)
{
  return g_build_filename (fx->tmpdir, name, NULL);
}

static const char *
text_of (ObOvfEditorWindow *win,
         const char        *name)
{
  return gtk_label_get_text (child (win, name));
}

static gboolean
shown (ObOvfEditorWindow *win,
       const char        *name)
{
  return gtk_widget_get_visible (child (win, name));
}

static gboolean
prompt_shown (gpointer win)
{
  GtkWindow *prompt = ob_test_find_dialog_for (win);

  return ADW_IS_MESSAGE_DIALOG (prompt) && gtk_widget_get_mapped (GTK_WIDGET (prompt));
}

/* Waits for the question, checks its heading, answers with @label. */
static void
answer (ObOvfEditorWindow *win,
        const char        *heading,
        const char        *label)
{
  AdwMessageDialog *prompt;

  ob_test_iterate_until (prompt_shown, win, "prompt shown");
  prompt = ADW_MESSAGE_DIALOG (ob_test_find_dialog_for (GTK_WINDOW (win)));
  g_assert_cmpstr (adw_message_dialog_get_heading (prompt), ==, heading);
  ob_test_click_dialog_button (GTK_WINDOW (prompt), label);
  ob_test_drain_main_context ();
}

/* A label with @text under @widget (a toast's title). */
static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_label (c, text))
      return TRUE;
  return FALSE;
}

static gboolean
signature_toast_shown (gpointer win)
{
  return has_label (win, "“gui.ova” saved; its signature “vm.cert” was removed");
}

static void
toggle (ObOvfEditorWindow *win)
{
  gtk_widget_activate (child (win, "balloon_check"));
  g_assert_true (ob_ovf_editor_window_get_modified (win));
}

static void
save (ObOvfEditorWindow *win)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.save", NULL));
}

/* Toggles the balloon and saves, with no question asked. */
static void
toggle_and_save (ObOvfEditorWindow *win)
{
  toggle (win);
  save (win);
  ob_test_iterate_until (idle, win, "idle");
  g_assert_null (ob_test_find_dialog_for (GTK_WINDOW (win)));
  g_assert_false (ob_ovf_editor_window_get_modified (win));
}

/* ---------------------------------------------------------------------- */
/* Who wrote the OVF                                                      */

static void
test_engine_summary (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *path = ob_test_copy_upstream (fx->tmpdir, OB_TEST_OVF_DEVICE_ERA, "vm.ovf", NULL, NULL);
  ObOvfEditorWindow *win = ob_test_open_editor (path);

  g_assert_nonnull (strstr (text_of (win, "flavour_label"), "oVirt engine"));
  /* A plain OVF has no manifest, and one member. */
  g_assert_false (shown (win, "manifest_label"));
  g_assert_false (shown (win, "manifest_caption"));
  g_assert_false (shown (win, "member_dropdown"));
  g_assert_false (shown (win, "reason_label"));
  /* No hosted-engine libvirt XML: no row for it. */
  g_assert_false (shown (win, "engine_xml_row"));
}

/* ---------------------------------------------------------------------- */
/* The hosted engine's libvirt XML                                        */

#define HE_OVF "hosted-engine-ha_ovf_test_v4.2.ovf.xml"
#define HE_BALLOON "&lt;memballoon model=\"none\"&gt;&lt;/memballoon&gt;"

/* The hosted-engine OVF_STORE file with @cut (if not NULL) taken out, as
 * he.ovf; @cut_to: cut up to the end of this text after @cut. */
static char *
he_copy (Fixture    *fx,
         const char *cut,
         const char *cut_to)
{
  g_autofree char *src = g_test_build_filename (G_TEST_DIST, "data", "upstream", HE_OVF, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  char *path = path_in (fx, "he.ovf");

  g_file_get_contents (src, &text, NULL, &error);
  g_assert_no_error (error);
  if (cut != NULL)
    {
      char *from = strstr (text, cut);
      char *to;

      g_assert_nonnull (from);
      to = strstr (from, cut_to ? cut_to : cut);
      g_assert_nonnull (to);
      to += strlen (cut_to ? cut_to : cut);
      memmove (from, to, strlen (to) + 1);
    }
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static const char *
engine_xml_subtitle (ObOvfEditorWindow *win)
{
  g_assert_true (shown (win, "engine_xml_row"));
  return adw_action_row_get_subtitle (child (win, "engine_xml_row"));
}

static gboolean
file_has (const char *path,
          const char *text)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return strstr (contents, text) != NULL;
}

/* A model follows the toggle, named as unsaved until saved. */
static void
test_engine_xml_model (Fixture       *fx,
                       gconstpointer  data)
{
  g_autofree char *path = he_copy (fx, NULL, NULL);
  ObOvfEditorWindow *win = ob_test_open_editor (path);

  g_assert_cmpstr (engine_xml_subtitle (win), ==, "memballoon model none");
  toggle (win);
  g_assert_cmpstr (engine_xml_subtitle (win), ==, "memballoon model none in the file; model virtio when saved");
  save (win);
  ob_test_iterate_until (idle, win, "idle");
  g_assert_cmpstr (engine_xml_subtitle (win), ==, "memballoon model virtio");
  g_assert_true (file_has (path, "&lt;memballoon model=\"virtio\"&gt;&lt;/memballoon&gt;"));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* No <memballoon>: libvirt's virtio. On keeps it so; off inserts one. */
static void
test_engine_xml_absent (Fixture       *fx,
                        gconstpointer  data)
{
  g_autofree char *path = he_copy (fx, HE_BALLOON, NULL);
  ObOvfEditorWindow *win = ob_test_open_editor (path);

  g_assert_cmpstr (engine_xml_subtitle (win), ==, "memballoon absent (libvirt default: virtio)");
  toggle_and_save (win);
  g_assert_true (gtk_check_button_get_active (child (win, "balloon_check")));
  g_assert_cmpstr (engine_xml_subtitle (win), ==, "memballoon absent (libvirt default: virtio)");
  g_assert_false (file_has (path, "&lt;memballoon"));

  toggle (win);
  g_assert_cmpstr (engine_xml_subtitle (win), ==,
                   "memballoon absent (libvirt default: virtio) in the file; model none when saved");
  save (win);
  ob_test_iterate_until (idle, win, "idle");
  g_assert_cmpstr (engine_xml_subtitle (win), ==, "memballoon model none");
  g_assert_true (file_has (path, "&lt;/lease&gt;" HE_BALLOON "&lt;/devices&gt;"));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* No <devices>: the row says why, and the balloon is not offered. */
static void
test_engine_xml_unusable (Fixture       *fx,
                          gconstpointer  data)
{
  g_autofree char *path = he_copy (fx, "&lt;devices&gt;", "&lt;/devices&gt;");
  g_autoptr(GBytes) before = ob_test_read_bytes (path);
  g_autoptr(GBytes) after = NULL;
  ObOvfEditorWindow *win = ob_test_open_editor (path);
  GtkLabel *reason = child (win, "reason_label");

  g_assert_true (g_str_has_prefix (engine_xml_subtitle (win), "memballoon unusable: "));
  g_assert_nonnull (strstr (engine_xml_subtitle (win), "<devices>"));
  g_assert_true (shown (win, "reason_label"));
  g_assert_nonnull (strstr (gtk_label_get_text (reason), "cannot follow the balloon"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (reason), "error"));
  g_assert_false (gtk_widget_get_sensitive (child (win, "balloon_check")));
  g_assert_false (gtk_widget_get_sensitive (child (win, "save_button")));
  gtk_window_destroy (GTK_WINDOW (win));
  after = ob_test_read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
}

/* A VMware-made OVF is shown, never edited, and the window says why. */
static void
test_foreign (Fixture       *fx,
              gconstpointer  data)
{
  g_autofree char *src = g_test_build_filename (G_TEST_DIST, "data", "wild", "cot_minimal.ovf", NULL);
  g_autofree char *path = path_in (fx, "vmware.ovf");
  g_autoptr(GBytes) original = ob_test_read_bytes (src);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  GtkLabel *reason;
  ObOvfEditorWindow *win;

  g_file_set_contents (path, g_bytes_get_data (original, NULL), g_bytes_get_size (original), &error);
  g_assert_no_error (error);
  win = ob_test_open_editor (path);
  reason = child (win, "reason_label");

  g_assert_true (g_str_has_prefix (text_of (win, "flavour_label"), "Not oVirt"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (reason)));
  g_assert_nonnull (strstr (gtk_label_get_text (reason), "not written by oVirt"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (reason), "warning"));
  g_assert_false (gtk_widget_get_sensitive (child (win, "balloon_check")));
  g_assert_false (shown (win, "force_check"));
  g_assert_false (gtk_info_bar_get_revealed (child (win, "info_bar")));
  g_assert_false (gtk_widget_get_sensitive (child (win, "save_button")));
  gtk_window_destroy (GTK_WINDOW (win));
  after = ob_test_read_bytes (path);
  g_assert_true (g_bytes_equal (original, after));
}

/* ---------------------------------------------------------------------- */
/* Manifests and signatures                                               */

/* The manifest row, and the digest it promises: after a save the OVF
 * member's lines match the new bytes; the archive equals the CLI's, and
 * the note the info bar shows is the note the CLI prints. */
static void
test_manifest_updated (Fixture       *fx,
                       gconstpointer  data)
{
  g_autofree char *gui = path_in (fx, "gui.ova");
  g_autofree char *cli = path_in (fx, "cli.ova");
  g_autofree char *cli_note = NULL;
  g_autofree char *digests = NULL;
  g_autoptr(GBytes) gui_bytes = NULL;
  g_autoptr(GBytes) cli_bytes = NULL;
  ObOvfEditorWindow *win;

  g_free (run_sh (fx->tmpdir, MAKE_MF_OVA
                  "tar -cf gui.ova -C src vm.ovf disk.img vm.mf && cp gui.ova cli.ova"));
  win = ob_test_open_editor (gui);
  g_assert_true (shown (win, "manifest_label"));
  g_assert_cmpstr (text_of (win, "manifest_label"), ==, "vm.mf: the OVF’s digest is updated on save");
  g_assert_nonnull (strstr (text_of (win, "flavour_label"), "oVirt engine"));
  g_assert_nonnull (strstr (text_of (win, "file_label"), "member vm.ovf"));

  toggle_and_save (win);

  cli_note = run_sh (fx->tmpdir, "\"$CLI\" ovf set-balloon cli.ova off 2>&1 >/dev/null | "
                                 "sed -n 's/^note: //p'");
  gui_bytes = ob_test_read_bytes (gui);
  cli_bytes = ob_test_read_bytes (cli);
  g_assert_true (g_bytes_equal (gui_bytes, cli_bytes));
  digests = run_sh (fx->tmpdir, "mkdir out && tar -xf gui.ova -C out && cd out && "
                                "sed 's/^\\(SHA[0-9]*\\)(\\(.*\\))= \\(.*\\)$/\\3  \\2/' vm.mf > a && "
                                "head -1 a | sha1sum -c - && tail -1 a | sha256sum -c -");
  g_assert_nonnull (strstr (digests, "vm.ovf: OK"));
  g_assert_nonnull (strstr (digests, "disk.img: OK"));

  /* The note of the save (why a whole copy was written), as the CLI says it. */
  g_strchomp (cli_note);
  if (*cli_note != '\0')
    {
      g_assert_true (gtk_info_bar_get_revealed (child (win, "info_bar")));
      g_assert_cmpint (gtk_info_bar_get_message_type (child (win, "info_bar")), ==, GTK_MESSAGE_INFO);
      g_assert_cmpstr (text_of (win, "info_label"), ==, cli_note);
    }
  else
    g_assert_false (gtk_info_bar_get_revealed (child (win, "info_bar")));
}

/* A signed OVA: Save asks first; Cancel writes nothing; agreeing drops the
 * .cert, updates the manifest, and writes what the CLI writes with
 * --drop-signature. */
static void
test_signed (Fixture       *fx,
             gconstpointer  data)
{
  g_autofree char *gui = path_in (fx, "gui.ova");
  g_autofree char *cli = path_in (fx, "cli.ova");
  g_autofree char *members = NULL;
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GBytes) cli_bytes = NULL;
  ObOvfEditorWindow *win;
  AdwMessageDialog *prompt;

  g_free (run_sh (fx->tmpdir, MAKE_MF_OVA
                  "echo '-----BEGIN CERTIFICATE-----' > src/vm.cert && "
                  "tar -cf gui.ova -C src vm.ovf disk.img vm.mf vm.cert && cp gui.ova cli.ova"));
  original = ob_test_read_bytes (gui);
  win = ob_test_open_editor (gui);
  g_assert_cmpstr (text_of (win, "manifest_label"), ==, "vm.mf, signed by vm.cert: saving removes the signature");

  toggle (win);
  save (win);
  ob_test_iterate_until (prompt_shown, win, "prompt shown");
  prompt = ADW_MESSAGE_DIALOG (ob_test_find_dialog_for (GTK_WINDOW (win)));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (prompt), "Saving breaks the signature"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (prompt), "vm.cert"));
  g_assert_false (ob_ovf_editor_window_get_busy (win));
  answer (win, "This OVA Is Signed", "_Cancel");
  g_assert_null (ob_test_find_dialog_for (GTK_WINDOW (win)));
  g_assert_true (ob_ovf_editor_window_get_modified (win));
  after = ob_test_read_bytes (gui);
  g_assert_true (g_bytes_equal (original, after));
  g_clear_pointer (&after, g_bytes_unref);

  save (win);
  answer (win, "This OVA Is Signed", "_Remove Signature and Save");
  ob_test_iterate_until (idle, win, "idle");
  g_assert_false (ob_ovf_editor_window_get_modified (win));
  g_assert_false (gtk_info_bar_get_message_type (child (win, "info_bar")) == GTK_MESSAGE_ERROR &&
                  gtk_info_bar_get_revealed (child (win, "info_bar")));
  ob_test_iterate_until (signature_toast_shown, win, "signature toast shown");
  members = run_sh (fx->tmpdir, "tar -tf gui.ova | tr '\\n' ' '");
  g_assert_cmpstr (members, ==, "vm.ovf disk.img vm.mf ");
  g_assert_cmpstr (text_of (win, "manifest_label"), ==, "vm.mf: the OVF’s digest is updated on save");

  g_free (run_sh (fx->tmpdir, "\"$CLI\" ovf set-balloon cli.ova off --drop-signature 2>/dev/null"));
  after = ob_test_read_bytes (gui);
  cli_bytes = ob_test_read_bytes (cli);
  g_assert_true (g_bytes_equal (after, cli_bytes));

  /* The signature is gone: the next save does not ask. */
  toggle_and_save (win);
}

/* A save that must write a whole copy says why in the info bar (not as an
 * error), in the CLI's words: an OVF that grows, not the last member, on
 * tmpfs (no block insertion, no shared extents). */
static void
test_note (Fixture       *fx,
           gconstpointer  data)
{
  g_autofree char *dir = g_strdup ("/dev/shm/ob-test-note-XXXXXX");
  g_autofree char *gui = NULL;
  g_autofree char *cli_note = NULL;
  struct statfs sfs;
  ObOvfEditorWindow *win;

  if (statfs ("/dev/shm", &sfs) != 0 || sfs.f_type != TMPFS_MAGIC || g_mkdtemp (dir) == NULL)
    {
      g_test_skip ("no tmpfs at /dev/shm");
      return;
    }
  g_free (run_sh (dir, "mkdir src && cp \"$UP/hosted-engine-ha_ovf_test_v4.2.ovf.xml\" src/vm.ovf && "
                       "head -c 20000 /dev/urandom > src/disk.img && "
                       "tar -cf gui.ova -C src vm.ovf disk.img && cp gui.ova cli.ova"));
  gui = g_build_filename (dir, "gui.ova", NULL);
  win = ob_test_open_editor (gui);
  g_assert_false (gtk_info_bar_get_revealed (child (win, "info_bar")));
  toggle (win);
  save (win);
  ob_test_iterate_until (idle, win, "idle");
  g_assert_false (ob_ovf_editor_window_get_modified (win));

  cli_note = run_sh (dir, "\"$CLI\" ovf set-balloon cli.ova on 2>&1 >/dev/null | sed -n 's/^note: //p' | "
                          "sed 's/cli\\.ova/gui.ova/'");
  g_strchomp (cli_note);
  g_assert_nonnull (strstr (cli_note, "whole new copy"));
  g_assert_true (gtk_info_bar_get_revealed (child (win, "info_bar")));
  g_assert_cmpint (gtk_info_bar_get_message_type (child (win, "info_bar")), ==, GTK_MESSAGE_INFO);
  g_assert_cmpstr (text_of (win, "info_label"), ==, cli_note);
  ob_test_tmpdir_remove (dir);
}

/* ---------------------------------------------------------------------- */
/* Archives of several OVFs                                               */

static void
select_member (ObOvfEditorWindow *win,
               guint              position)
{
  gtk_drop_down_set_selected (child (win, "member_dropdown"), position);
  ob_test_iterate_until (idle, win, "idle");
}

static void
test_member_picker (Fixture       *fx,
                    gconstpointer  data)
{
  g_autofree char *gui = path_in (fx, "multi.ova");
  g_autofree char *extracted = NULL;
  g_autofree char *cli_state = NULL;
  GtkDropDown *dropdown;
  GListModel *model;
  ObOvfEditorWindow *win;

  g_free (run_sh (fx->tmpdir, "mkdir src && cp \"$UP/ovirt-engine_vmOvfData.ovf.xml\" src/a.ovf && "
                              "cp \"$UP/hosted-engine-ha_ovf_test_v4.2.ovf.xml\" src/b.ovf && "
                              "tar -cf multi.ova -C src a.ovf b.ovf"));
  win = ob_test_open_editor (gui);
  dropdown = child (win, "member_dropdown");
  model = gtk_drop_down_get_model (dropdown);

  g_assert_true (shown (win, "member_dropdown"));
  g_assert_true (shown (win, "member_caption"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 0), ==, "a.ovf");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 1), ==, "b.ovf");
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 0);
  g_assert_nonnull (strstr (text_of (win, "file_label"), "several OVFs"));
  g_assert_cmpstr (text_of (win, "name_label"), ==, "exporttedVM");

  select_member (win, 1);
  g_assert_cmpstr (text_of (win, "name_label"), !=, "exporttedVM");
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 1);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (dropdown)));

  /* While b.ovf has unsaved changes, another member cannot replace it. */
  toggle (win);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (dropdown)));
  save (win);
  ob_test_iterate_until (idle, win, "idle");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (dropdown)));
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 1);

  /* Only b.ovf changed, as `--member b.ovf` says. */
  extracted = run_sh (fx->tmpdir, "tar -xOf multi.ova a.ovf | cmp - src/a.ovf && echo same");
  g_assert_cmpstr (extracted, ==, "same\n");
  cli_state = run_sh (fx->tmpdir, "\"$CLI\" ovf show --json --member b.ovf multi.ova | "
                                  "grep -o '\"balloon_enabled\":[a-z]*'");
  g_assert_cmpstr (cli_state, ==, gtk_check_button_get_active (child (win, "balloon_check"))
                                  ? "\"balloon_enabled\":true\n" : "\"balloon_enabled\":false\n");

  select_member (win, 0);
  g_assert_cmpstr (text_of (win, "name_label"), ==, "exporttedVM");
}

/* ---------------------------------------------------------------------- */
/* A file changed on disk since it was opened                             */

static void
change_on_disk (const char *path)
{
  g_autofree char *text = NULL;
  g_autofree char *changed = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  changed = g_strconcat (text, "<!-- changed by another program -->\n", NULL);
  g_file_set_contents (path, changed, -1, &error);
  g_assert_no_error (error);
}

/* Save refuses; the question offers Reload, which drops the edit and
 * shows the file as it now is. */
static void
test_conflict_reload (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *path = ob_test_copy_upstream (fx->tmpdir, OB_TEST_OVF_DEVICE_ERA, "vm.ovf", NULL, NULL);
  g_autoptr(GBytes) theirs = NULL;
  g_autoptr(GBytes) after = NULL;
  ObOvfEditorWindow *win = ob_test_open_editor (path);
  GtkCheckButton *check = child (win, "balloon_check");

  g_assert_true (gtk_check_button_get_active (check));
  toggle (win);
  change_on_disk (path);
  theirs = ob_test_read_bytes (path);

  save (win);
  ob_test_iterate_until (idle, win, "idle");
  /* Cancel: nothing written, the edit kept, no error bar over the question. */
  answer (win, "“vm.ovf” Changed on Disk", "_Cancel");
  g_assert_true (ob_ovf_editor_window_get_modified (win));
  g_assert_false (gtk_info_bar_get_revealed (child (win, "info_bar")));
  after = ob_test_read_bytes (path);
  g_assert_true (g_bytes_equal (theirs, after));
  g_clear_pointer (&after, g_bytes_unref);

  save (win);
  ob_test_iterate_until (idle, win, "idle");
  answer (win, "“vm.ovf” Changed on Disk", "_Discard and Reload");
  ob_test_iterate_until (idle, win, "idle");
  g_assert_false (ob_ovf_editor_window_get_modified (win));
  g_assert_true (gtk_check_button_get_active (check));
  after = ob_test_read_bytes (path);
  g_assert_true (g_bytes_equal (theirs, after));

  /* Reloaded: the next save is not a lost update. */
  toggle_and_save (win);
  g_clear_pointer (&after, g_bytes_unref);
  after = ob_test_read_bytes (path);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (after, NULL), g_bytes_get_size (after),
                                  "changed by another program"));
}

/* An OVA changed on disk: every save streams the original archive, so
 * only Reload is offered, and it reads the same member again. */
static void
test_conflict_ova (Fixture       *fx,
                   gconstpointer  data)
{
  g_autofree char *gui = path_in (fx, "multi.ova");
  g_autoptr(GBytes) theirs = NULL;
  g_autoptr(GBytes) after = NULL;
  ObOvfEditorWindow *win;
  GtkWindow *prompt;

  g_free (run_sh (fx->tmpdir, "mkdir src && cp \"$UP/ovirt-engine_vmOvfData.ovf.xml\" src/a.ovf && "
                              "cp \"$UP/hosted-engine-ha_ovf_test_v4.2.ovf.xml\" src/b.ovf && "
                              "tar -cf multi.ova -C src a.ovf b.ovf"));
  win = ob_test_open_editor (gui);
  gtk_drop_down_set_selected (child (win, "member_dropdown"), 1);
  ob_test_iterate_until (idle, win, "idle");
  g_assert_false (gtk_check_button_get_active (child (win, "balloon_check")));
  toggle (win);
  g_free (run_sh (fx->tmpdir, "echo '<!-- -->' >> src/a.ovf && tar -cf multi.ova -C src a.ovf b.ovf"));
  theirs = ob_test_read_bytes (gui);

  save (win);
  ob_test_iterate_until (idle, win, "idle");
  ob_test_iterate_until (prompt_shown, win, "prompt shown");
  prompt = ob_test_find_dialog_for (GTK_WINDOW (win));
  g_assert_false (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (prompt), "save-as"));
  answer (win, "“multi.ova” Changed on Disk", "_Discard and Reload");
  ob_test_iterate_until (idle, win, "idle");

  g_assert_false (ob_ovf_editor_window_get_modified (win));
  g_assert_cmpuint (gtk_drop_down_get_selected (child (win, "member_dropdown")), ==, 1);
  g_assert_cmpstr (text_of (win, "name_label"), ==, "HostedEngine");
  g_assert_false (gtk_check_button_get_active (child (win, "balloon_check")));
  after = ob_test_read_bytes (gui);
  g_assert_true (g_bytes_equal (theirs, after));
  toggle_and_save (win);
}

static gboolean
chooser_shown (gpointer data)
{
  GtkWindow **chooser = data;

  *chooser = ob_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  return *chooser != NULL && gtk_widget_get_mapped (GTK_WIDGET (*chooser));
}

static gboolean
saved_elsewhere (gpointer win)
{
  g_autofree char *basename = g_file_get_basename (ob_ovf_editor_window_get_file (win));

  return g_str_equal (basename, "mine.ovf") && !ob_ovf_editor_window_get_busy (win);
}

/* Saving an OVA in place twice is no lost update, whatever strategy the
 * first save took (an in-place edit pads the OVF member with whitespace). */
static void
test_ova_saved_twice (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *gui = path_in (fx, "vm.ova");
  g_autofree char *state = NULL;
  ObOvfEditorWindow *win;

  g_free (run_sh (fx->tmpdir, "mkdir src && cp \"$UP/ovirt-engine_vmOvfData.ovf.xml\" src/vm.ovf && "
                              "head -c 20000 /dev/urandom > src/disk.img && "
                              "tar -cf vm.ova -C src vm.ovf disk.img"));
  win = ob_test_open_editor (gui);
  for (int round = 0; round < 3; round++)
    {
      toggle_and_save (win);
      g_assert_false (gtk_info_bar_get_message_type (child (win, "info_bar")) == GTK_MESSAGE_ERROR &&
                      gtk_info_bar_get_revealed (child (win, "info_bar")));
    }
  /* Off, on, off. */
  state = run_sh (fx->tmpdir, "\"$CLI\" ovf show --json vm.ova | grep -o '\"balloon_enabled\":[a-z]*'");
  g_assert_cmpstr (state, ==, "\"balloon_enabled\":false\n");
}

/* Save As from the question: the edit goes to another file, the changed
 * file is left as the other program wrote it. */
static void
test_conflict_save_as (Fixture       *fx,
                       gconstpointer  data)
{
  g_autofree char *path = ob_test_copy_upstream (fx->tmpdir, OB_TEST_OVF_DEVICE_ERA, "vm.ovf", NULL, NULL);
  g_autofree char *copy = path_in (fx, "mine.ovf");
  g_autoptr(GFile) copy_file = g_file_new_for_path (copy);
  g_autoptr(GBytes) theirs = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GBytes) mine = NULL;
  ObOvfEditorWindow *win = ob_test_open_editor (path);
  GtkWindow *chooser = NULL;

  toggle (win);
  change_on_disk (path);
  theirs = ob_test_read_bytes (path);
  save (win);
  ob_test_iterate_until (idle, win, "idle");
  answer (win, "“vm.ovf” Changed on Disk", "Save _As…");

  ob_test_iterate_until (chooser_shown, &chooser, "chooser shown");
  /* It starts in the file's folder, with its name. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "mine.ovf");
  /* The chooser checks the name asynchronously before it answers. */
  ob_test_click_dialog_button (chooser, "_Save");
  ob_test_iterate_until (saved_elsewhere, win, "saved elsewhere");

  g_assert_false (ob_ovf_editor_window_get_modified (win));
  g_assert_true (g_file_equal (ob_ovf_editor_window_get_file (win), copy_file));
  after = ob_test_read_bytes (path);
  g_assert_true (g_bytes_equal (theirs, after));
  mine = ob_test_read_bytes (copy);
  g_assert_null (g_strstr_len (g_bytes_get_data (mine, NULL), g_bytes_get_size (mine), "memballoon"));
}

int
main (int    argc,
      char **argv)
{
  int status = ob_test_init (&argc, &argv);

  if (status >= 0)
    return status;

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/ovf-ova/summary/engine", test_engine_summary);
  ADD ("/ovf-ova/summary/foreign", test_foreign);
  ADD ("/ovf-ova/engine-xml/model", test_engine_xml_model);
  ADD ("/ovf-ova/engine-xml/absent", test_engine_xml_absent);
  ADD ("/ovf-ova/engine-xml/unusable", test_engine_xml_unusable);
  ADD ("/ovf-ova/manifest/updated", test_manifest_updated);
  ADD ("/ovf-ova/manifest/signed", test_signed);
  ADD ("/ovf-ova/note", test_note);
  ADD ("/ovf-ova/member-picker", test_member_picker);
  ADD ("/ovf-ova/conflict/reload", test_conflict_reload);
  ADD ("/ovf-ova/conflict/save-as", test_conflict_save_as);
  ADD ("/ovf-ova/conflict/ova-reload-keeps-member", test_conflict_ova);
  ADD ("/ovf-ova/conflict/none-after-own-saves", test_ova_saved_twice);
#undef ADD

  return g_test_run ();
}
