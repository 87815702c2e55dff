/* test-app-a11y.c: every window and dialog of the app labels its
 * interactive widgets for assistive technologies
 *
 * The windows and dialogs are found, not listed: every GtkBuilder template
 * in the ui directory names its class, and the executable exports the class's
 * _get_type() function (export_dynamic), so a new dialog is checked as soon
 * as its template exists. Classes whose constructor needs arguments get them
 * from the table in construct_widget(), built from the in-process sandbox
 * engine's demo data; any other class is made with g_object_new().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gmodule.h>
#include <gtk/gtk.h>

#include "ob-application.h"
#include "ob-bulk-dialog.h"
#include "ob-client.h"
#include "ob-connection.h"
#include "ob-edit-template-dialog.h"
#include "ob-edit-vm-dialog.h"
#include "ob-new-vm-dialog.h"
#include "ob-run-once-dialog.h"
#include "ob-sandbox.h"
#include "ob-test-a11y.h"
#include "ob-window.h"

static void
spin_main_loop (void)
{
  for (int i = 0; i < 20 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
assert_none_unlabeled (GPtrArray  *unlabeled,
                       const char *what)
{
  if (unlabeled->len == 0)
    return;
  for (guint i = 0; i < unlabeled->len; i++)
    g_test_message ("%s: unlabeled: %s", what, (const char *) g_ptr_array_index (unlabeled, i));
  g_test_fail_printf ("%s has %u interactive widget(s) without an accessible label, the first: %s",
                      what, unlabeled->len, (const char *) g_ptr_array_index (unlabeled, 0));
}

static gboolean
contains_name (GPtrArray  *unlabeled,
               const char *name)
{
  g_autofree char *needle = g_strdup_printf ("(name \"%s\")", name);

  for (guint i = 0; i < unlabeled->len; i++)
    if (strstr (g_ptr_array_index (unlabeled, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

static GtkWidget *
named (GtkWidget  *widget,
       const char *name)
{
  gtk_widget_set_name (widget, name);
  return widget;
}

/* The checker itself: it must report each deliberately unlabeled widget
 * and nothing else. */
static void
test_checker_catches_unlabeled (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *w;
  GtkWidget *label;
  GtkWidget *mb;
  g_autoptr(GPtrArray) unlabeled = NULL;
  const char *bad[] = { "bad-icon-button", "bad-entry", "bad-check", "bad-switch",
                        "bad-dropdown", "bad-spin", "bad-menu-button", "bad-labelled-by-image",
                        "bad-column-view", "bad-scale" };
  const char *good[] = { "good-button", "good-icon-button", "good-entry", "good-check",
                         "good-switch", "good-menu-button", "good-icon-menu-button",
                         "good-box-button" };

  gtk_window_set_child (GTK_WINDOW (window), box);

  /* unlabeled */
  gtk_box_append (GTK_BOX (box), named (gtk_button_new_from_icon_name ("edit-delete-symbolic"),
                                        "bad-icon-button"));
  gtk_box_append (GTK_BOX (box), named (gtk_entry_new (), "bad-entry"));
  gtk_box_append (GTK_BOX (box), named (gtk_check_button_new (), "bad-check"));
  gtk_box_append (GTK_BOX (box), named (gtk_switch_new (), "bad-switch"));
  gtk_box_append (GTK_BOX (box), named (gtk_drop_down_new_from_strings ((const char *[]) { "a", "b", NULL }),
                                        "bad-dropdown"));
  gtk_box_append (GTK_BOX (box), named (gtk_spin_button_new_with_range (0, 10, 1), "bad-spin"));
  mb = named (gtk_menu_button_new (), "bad-menu-button");
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (mb), "open-menu-symbolic");
  gtk_box_append (GTK_BOX (box), mb);
  /* labelled by a widget without text does not count */
  w = named (gtk_button_new (), "bad-labelled-by-image");
  label = gtk_image_new_from_icon_name ("go-next-symbolic");
  gtk_box_append (GTK_BOX (box), label);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  gtk_box_append (GTK_BOX (box), w);
  gtk_box_append (GTK_BOX (box), named (gtk_column_view_new (NULL), "bad-column-view"));
  gtk_box_append (GTK_BOX (box), named (gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 1, 0.1),
                                        "bad-scale"));

  /* labelled, each in one of the accepted ways */
  gtk_box_append (GTK_BOX (box), named (gtk_button_new_with_mnemonic ("_Save"), "good-button"));
  w = named (gtk_button_new_from_icon_name ("edit-delete-symbolic"), "good-icon-button");
  gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL, "Delete", -1);
  gtk_box_append (GTK_BOX (box), w);
  label = gtk_label_new_with_mnemonic ("_Name");
  w = named (gtk_entry_new (), "good-entry");
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), w);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), w);
  gtk_box_append (GTK_BOX (box), named (gtk_check_button_new_with_mnemonic ("_Memory Balloon Device Enabled"),
                                        "good-check"));
  label = gtk_label_new ("Enabled");
  w = named (gtk_switch_new (), "good-switch");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), w);
  mb = named (gtk_menu_button_new (), "good-menu-button");
  gtk_menu_button_set_label (GTK_MENU_BUTTON (mb), "Actions");
  gtk_box_append (GTK_BOX (box), mb);
  mb = named (gtk_menu_button_new (), "good-icon-menu-button");
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (mb), "open-menu-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (mb), GTK_ACCESSIBLE_PROPERTY_LABEL, "Main Menu", -1);
  gtk_box_append (GTK_BOX (box), mb);
  w = named (gtk_button_new (), "good-box-button");
  gtk_button_set_child (GTK_BUTTON (w), gtk_label_new ("Refresh"));
  gtk_box_append (GTK_BOX (box), w);

  gtk_window_present (GTK_WINDOW (window));
  spin_main_loop ();

  unlabeled = ob_test_a11y_find_unlabeled (window);
  for (guint i = 0; i < unlabeled->len; i++)
    g_test_message ("reported: %s", (const char *) g_ptr_array_index (unlabeled, i));
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    if (!contains_name (unlabeled, bad[i]))
      g_test_fail_printf ("the checker missed the unlabeled widget \"%s\"", bad[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    if (contains_name (unlabeled, good[i]))
      g_test_fail_printf ("the checker reported the labelled widget \"%s\"", good[i]);
  g_assert_cmpuint (unlabeled->len, ==, G_N_ELEMENTS (bad));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---------------------------------------------------------------------- */

typedef struct
{
  char  *class_name;
  char  *ui_file;
} TemplateClass;

static void
template_class_free (gpointer data)
{
  TemplateClass *tc = data;

  g_free (tc->class_name);
  g_free (tc->ui_file);
  g_free (tc);
}

/* "ObOvfEditorWindow" -> "ob_ovf_editor_window_get_type" */
static char *
get_type_symbol (const char *class_name)
{
  GString *s = g_string_new (NULL);

  for (const char *p = class_name; *p != '\0'; p++)
    {
      if (g_ascii_isupper (*p) && p != class_name
          && (g_ascii_islower (p[-1])
              || (p[1] != '\0' && g_ascii_islower (p[1]) && g_ascii_isupper (p[-1]))))
        g_string_append_c (s, '_');
      g_string_append_c (s, g_ascii_tolower (*p));
    }
  g_string_append (s, "_get_type");
  return g_string_free (s, FALSE);
}

static GType
resolve_type (const char *class_name)
{
  GModule *self = g_module_open (NULL, 0);
  g_autofree char *symbol = get_type_symbol (class_name);
  GType (*get_type) (void) = NULL;
  GType type = G_TYPE_INVALID;

  g_assert_nonnull (self);
  if (g_module_symbol (self, symbol, (gpointer *) &get_type) && get_type != NULL)
    type = get_type ();
  g_module_close (self);
  return type;
}

/* What the dialogs are built from: the in-process sandbox engine and its
 * demo data, read through the real client. */
typedef struct
{
  ObSandbox     *sandbox;
  ObClient      *client;
  ObApplication *app;
} Env;

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (*slot == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return *slot;
}

static void
env_start (Env *env)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  env->sandbox = ob_sandbox_new ();
  g_object_set (env->sandbox, "seed", "demo", NULL);
  ob_sandbox_start (env->sandbox, &error);
  g_assert_no_error (error);

  connection = ob_connection_new (ob_sandbox_get_base_url (env->sandbox), &error);
  g_assert_no_error (error);
  ob_connection_set_credentials (connection, OB_SANDBOX_DEMO_USER, "sandbox");
  ob_connection_open_async (connection, NULL, store_result_cb, &result);
  ob_connection_open_finish (connection, wait_for_result (&result), &error);
  g_assert_no_error (error);
  env->client = ob_client_new (connection);

  env->app = ob_application_new ();
  g_application_register (G_APPLICATION (env->app), NULL, &error);
  g_assert_no_error (error);
}

static void
env_stop (Env *env)
{
  g_clear_object (&env->client);
  ob_sandbox_stop (env->sandbox);
  g_clear_object (&env->sandbox);
  g_clear_object (&env->app);
}

static ObVm *
env_get_vm (Env        *env,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  ObVm *vm;

  ob_client_get_vm_async (env->client, name, NULL, store_result_cb, &result);
  vm = ob_client_get_vm_finish (env->client, wait_for_result (&result), &error);
  g_assert_no_error (error);
  return vm;
}

static GListModel *
to_list_store (GPtrArray *items,
               GType      type)
{
  GListStore *store = g_list_store_new (type);

  for (guint i = 0; i < items->len; i++)
    g_list_store_append (store, g_ptr_array_index (items, i));
  return G_LIST_MODEL (store);
}

static GListModel *
env_list_clusters (Env *env)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) clusters = NULL;

  ob_client_list_clusters_async (env->client, NULL, store_result_cb, &result);
  clusters = ob_client_list_clusters_finish (env->client, wait_for_result (&result), &error);
  g_assert_no_error (error);
  return to_list_store (clusters, OB_TYPE_CLUSTER);
}

static GPtrArray *
env_list_templates (Env *env)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GPtrArray *templates;

  ob_client_list_templates_async (env->client, NULL, store_result_cb, &result);
  templates = ob_client_list_templates_finish (env->client, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (templates->len, >, 0);
  return templates;
}

/* One instance of @type, as the app makes it. */
static GtkWidget *
construct_widget (Env   *env,
                  GType  type)
{
  if (type == OB_TYPE_WINDOW)
    return GTK_WIDGET (ob_window_new (env->app));
  if (type == OB_TYPE_EDIT_VM_DIALOG)
    {
      g_autoptr(ObVm) vm = env_get_vm (env, "ci-runner-02");

      return GTK_WIDGET (ob_edit_vm_dialog_new (NULL, env->client, vm));
    }
  if (type == OB_TYPE_RUN_ONCE_DIALOG)
    {
      g_autoptr(ObVm) vm = env_get_vm (env, "ci-runner-02");

      return GTK_WIDGET (ob_run_once_dialog_new (NULL, env->client, vm));
    }
  if (type == OB_TYPE_NEW_VM_DIALOG)
    {
      g_autoptr(GListModel) clusters = env_list_clusters (env);
      g_autoptr(GPtrArray) templates = env_list_templates (env);
      g_autoptr(GListModel) template_model = to_list_store (templates, OB_TYPE_TEMPLATE);

      return GTK_WIDGET (ob_new_vm_dialog_new (NULL, env->client, clusters, template_model));
    }
  if (type == OB_TYPE_EDIT_TEMPLATE_DIALOG)
    {
      g_autoptr(GPtrArray) templates = env_list_templates (env);

      return GTK_WIDGET (ob_edit_template_dialog_new (NULL, g_ptr_array_index (templates, 0)));
    }
  if (type == OB_TYPE_BULK_DIALOG)
    {
      g_autoptr(GPtrArray) vms = g_ptr_array_new_with_free_func (g_object_unref);

      g_ptr_array_add (vms, env_get_vm (env, "legacy-db"));
      g_ptr_array_add (vms, env_get_vm (env, "ci-runner-02"));
      return GTK_WIDGET (ob_bulk_dialog_new (NULL, env->client, vms, TRUE));
    }
  return g_object_new (type, NULL);
}

typedef struct
{
  Env           *env;
  TemplateClass *tc;
} TemplateTest;

static void
test_template_class (gconstpointer data)
{
  const TemplateTest *tt = data;
  const TemplateClass *tc = tt->tc;
  GType type = resolve_type (tc->class_name);
  GtkWidget *widget;
  GtkWidget *window;
  g_autoptr(GPtrArray) unlabeled = NULL;

  if (type == G_TYPE_INVALID)
    {
      g_autofree char *symbol = get_type_symbol (tc->class_name);

      g_test_fail_printf ("%s (template in %s) has no exported %s: is it linked into the app?",
                          tc->class_name, tc->ui_file, symbol);
      return;
    }
  g_assert_true (g_type_is_a (type, GTK_TYPE_WIDGET));

  widget = construct_widget (tt->env, type);
  if (GTK_IS_WINDOW (widget))
    window = widget;
  else
    {
      window = gtk_window_new ();
      gtk_window_set_child (GTK_WINDOW (window), widget);
    }
  gtk_window_present (GTK_WINDOW (window));
  spin_main_loop ();

  unlabeled = ob_test_a11y_find_unlabeled (window);
  assert_none_unlabeled (unlabeled, tc->class_name);

  gtk_window_destroy (GTK_WINDOW (window));
  spin_main_loop ();
}

/* GTK 4.8's GtkShortcutsWindow builds its own search entry, search toggle
 * and section menu without accessible labels; a .ui file cannot reach
 * them. They are reported as a known GTK gap, not as the app's failure;
 * anything else in the window still fails. */
static void
drop_gtk_shortcuts_window_internals (GPtrArray *unlabeled)
{
  for (guint i = unlabeled->len; i > 0; i--)
    {
      const char *line = g_ptr_array_index (unlabeled, i - 1);

      if (strstr (line, "in GtkShortcutsWindow > GtkHeaderBar > ") != NULL
          || strstr (line, "in GtkShortcutsWindow > GtkBox > GtkSearchBar > ") != NULL)
        {
          g_test_message ("known GTK 4.8 gap, not counted: %s", line);
          g_ptr_array_remove_index (unlabeled, i - 1);
        }
    }
}

/* Windows built from plain GtkBuilder files (no template), such as the
 * shortcuts window in ui/gtk/help-overlay.ui. */
static void
test_builder_file (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_file (path);
  GSList *objects = gtk_builder_get_objects (builder);
  guint n_windows = 0;

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      GtkWidget *window;
      g_autoptr(GPtrArray) unlabeled = NULL;
      g_autofree char *what = NULL;

      if (!GTK_IS_WINDOW (l->data) || gtk_widget_get_parent (l->data) != NULL)
        continue;
      window = l->data;
      n_windows++;
      gtk_window_present (GTK_WINDOW (window));
      spin_main_loop ();
      what = g_strdup_printf ("%s in %s", G_OBJECT_TYPE_NAME (window), path);
      unlabeled = ob_test_a11y_find_unlabeled (window);
      if (GTK_IS_SHORTCUTS_WINDOW (window))
        drop_gtk_shortcuts_window_internals (unlabeled);
      assert_none_unlabeled (unlabeled, what);
      gtk_window_destroy (GTK_WINDOW (window));
    }
  g_slist_free (objects);
  spin_main_loop ();
  if (n_windows == 0)
    g_test_skip ("no window in this file");
}

/* The .ui files under @dir (recursively) that define no template. */
static void
find_builder_files (const char *dir,
                    GPtrArray  *paths)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        find_builder_files (path, paths);
      else if (g_str_has_suffix (name, ".ui")
               && g_file_get_contents (path, &contents, NULL, NULL)
               && strstr (contents, "<template") == NULL)
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
}

/* Every <template class="..."> in the project's ui/ directory. */
static GPtrArray *
find_template_classes (void)
{
  GPtrArray *classes = g_ptr_array_new_with_free_func (template_class_free);
  g_autofree char *ui_dir = g_build_filename (g_getenv ("OB_SOURCE_DIR"), "ui", NULL);
  g_autoptr(GDir) dir = g_dir_open (ui_dir, 0, NULL);
  g_autoptr(GRegex) regex = g_regex_new ("<template\\s+class=\"([A-Za-z0-9_]+)\"", 0, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      g_autoptr(GMatchInfo) match = NULL;

      if (!g_str_has_suffix (name, ".ui"))
        continue;
      path = g_build_filename (ui_dir, name, NULL);
      if (!g_file_get_contents (path, &contents, NULL, NULL))
        continue;
      for (g_regex_match (regex, contents, 0, &match); g_match_info_matches (match);
           g_match_info_next (match, NULL))
        {
          TemplateClass *tc = g_new0 (TemplateClass, 1);

          tc->class_name = g_match_info_fetch (match, 1);
          tc->ui_file = g_strdup (name);
          g_ptr_array_add (classes, tc);
        }
    }
  return classes;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static int
compare_classes (gconstpointer a,
                 gconstpointer b)
{
  const TemplateClass *ta = *(const TemplateClass * const *) a;
  const TemplateClass *tb = *(const TemplateClass * const *) b;

  return g_strcmp0 (ta->class_name, tb->class_name);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) classes = NULL;
  g_autoptr(GPtrArray) tests = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) builder_files = NULL;
  Env env = { NULL, };
  int ret;

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

  g_test_add_func ("/a11y/checker/catches-unlabeled", test_checker_catches_unlabeled);

  classes = find_template_classes ();
  g_ptr_array_sort (classes, compare_classes);
  g_assert_cmpuint (classes->len, >, 0);
  for (guint i = 0; i < classes->len; i++)
    {
      TemplateTest *tt = g_new0 (TemplateTest, 1);
      g_autofree char *path = NULL;

      tt->env = &env;
      tt->tc = g_ptr_array_index (classes, i);
      path = g_strdup_printf ("/a11y/template/%s", tt->tc->class_name);
      g_ptr_array_add (tests, tt);
      g_test_add_data_func (path, tt, test_template_class);
    }

  builder_files = g_ptr_array_new_with_free_func (g_free);
  {
    g_autofree char *ui_dir = g_build_filename (g_getenv ("OB_SOURCE_DIR"), "ui", NULL);

    find_builder_files (ui_dir, builder_files);
  }
  g_ptr_array_sort (builder_files, compare_paths);
  for (guint i = 0; i < builder_files->len; i++)
    {
      const char *path = g_ptr_array_index (builder_files, i);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *test_path = g_strdup_printf ("/a11y/builder/%s", base);

      g_test_add_data_func (test_path, path, test_builder_file);
    }

  env_start (&env);
  ret = g_test_run ();
  env_stop (&env);
  return ret;
}
