/* test-app-a11y.c: every window and dialog of the app labels its
 * interactive widgets for assistive technologies
 *
 * The windows and dialogs are found, not listed: every GtkBuilder template
 * in the ui directory names its class, and the executable exports the class's
 * _get_type() function (export_dynamic), so a new dialog is checked as soon
 * as its template exists.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gmodule.h>
#include <gtk/gtk.h>

#include "ob-test-a11y.h"

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

static void
test_template_class (gconstpointer data)
{
  const TemplateClass *tc = data;
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

  widget = g_object_new (type, NULL);
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

  g_test_add_func ("/a11y/checker/catches-unlabeled", test_checker_catches_unlabeled);

  classes = find_template_classes ();
  g_ptr_array_sort (classes, compare_classes);
  g_assert_cmpuint (classes->len, >, 0);
  for (guint i = 0; i < classes->len; i++)
    {
      TemplateClass *tc = g_ptr_array_index (classes, i);
      g_autofree char *path = g_strdup_printf ("/a11y/template/%s", tc->class_name);

      g_test_add_data_func (path, tc, test_template_class);
    }

  ret = g_test_run ();
  return ret;
}
