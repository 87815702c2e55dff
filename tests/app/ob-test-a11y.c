/* ob-test-a11y.c: find interactive widgets that have no accessible label
 *
 * GTK 4.8 keeps accessible properties and relations in the widget's
 * GtkATContext but has no public getter. With GTK_A11Y=test the context is
 * a GtkTestATContext, and gtk_test_accessible_has_property() and
 * gtk_test_accessible_check_property()/check_relation() read it: the check
 * functions return the actual value as text when it differs from the one
 * passed, which is how the label text and the labelled-by targets are read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "ob-test-a11y.h"

void
ob_test_a11y_init (void)
{
  g_setenv ("GTK_A11Y", "test", TRUE);
}

static gboolean
has_text (const char *text)
{
  if (text == NULL)
    return FALSE;
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)) && *text != '_')
      return TRUE;
  return FALSE;
}

/* The accessible LABEL property, if set and not empty. */
static gboolean
has_label_property (GtkWidget *widget)
{
  g_autofree char *value = NULL;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return FALSE;
  /* Returns NULL when the value equals "", else the value. */
  value = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL, "");
  return has_text (value);
}

static gboolean
widget_has_own_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return has_text (gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_INSCRIPTION (widget))
    return has_text (gtk_inscription_get_text (GTK_INSCRIPTION (widget)));
  return has_label_property (widget);
}

static void
collect_widgets (GtkWidget  *widget,
                 GHashTable *by_address)
{
  GtkWidget *child;

  g_hash_table_insert (by_address, g_strdup_printf ("%p", (void *) widget), widget);
  for (child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, by_address);
}

/* Every widget of every toplevel, by address as GTK prints it ("%p"),
 * to resolve the targets of a labelled-by relation. */
static GHashTable *
collect_all_widgets (GtkWidget *root)
{
  GHashTable *by_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      collect_widgets (toplevel, by_address);
    }
  collect_widgets (root, by_address);
  return by_address;
}

/* TRUE when a labelled-by target of @widget has text. */
static gboolean
has_labelled_by (GtkWidget  *widget,
                 GHashTable *by_address)
{
  g_autofree char *value = NULL;
  const char *p;

  if (!gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                         GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return FALSE;

  /* Compared with an empty list, the actual list comes back printed as
   * "TypeName<0x...> TypeName<0x...>". */
  value = gtk_test_accessible_check_relation (GTK_ACCESSIBLE (widget),
                                              GTK_ACCESSIBLE_RELATION_LABELLED_BY, NULL);
  if (value == NULL)
    return FALSE;

  for (p = strchr (value, '<'); p != NULL; p = strchr (p + 1, '<'))
    {
      const char *end = strchr (p, '>');
      g_autofree char *address = NULL;
      GtkWidget *target;

      if (end == NULL)
        break;
      address = g_strndup (p + 1, end - p - 1);
      target = g_hash_table_lookup (by_address, address);
      if (target != NULL && target != widget && widget_has_own_text (target))
        return TRUE;
    }
  return FALSE;
}

static gboolean
has_descendant_label_text (GtkWidget *widget)
{
  GtkWidget *child;

  if (GTK_IS_LABEL (widget) && has_text (gtk_label_get_text (GTK_LABEL (widget))))
    return TRUE;
  for (child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_descendant_label_text (child))
      return TRUE;
  return FALSE;
}

/* The widget's own visible label, for the widgets that have one. */
static gboolean
has_own_label_text (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget))
    return has_text (gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)));
  if (GTK_IS_CHECK_BUTTON (widget))
    return has_text (gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)))
           || has_descendant_label_text (widget);
  if (GTK_IS_BUTTON (widget))
    return has_text (gtk_button_get_label (GTK_BUTTON (widget)))
           || has_descendant_label_text (widget);
  return FALSE;
}

static gboolean
is_interactive (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget)
         || GTK_IS_CHECK_BUTTON (widget)
         || GTK_IS_MENU_BUTTON (widget)
         || GTK_IS_EDITABLE (widget)
         || GTK_IS_DROP_DOWN (widget)
         || GTK_IS_SWITCH (widget)
         || GTK_IS_SCALE (widget)
         || GTK_IS_COLUMN_VIEW (widget);
}

static char *
describe (GtkWidget *widget,
          const char *path)
{
  const char *id = GTK_IS_BUILDABLE (widget)
                   ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)) : NULL;
  const char *name = gtk_widget_get_name (widget);

  return g_strdup_printf ("%s%s%s%s (name \"%s\") in %s",
                          G_OBJECT_TYPE_NAME (widget),
                          id != NULL ? " id \"" : "", id != NULL ? id : "", id != NULL ? "\"" : "",
                          name, path);
}

static void
walk (GtkWidget  *widget,
      const char *parent_path,
      GHashTable *by_address,
      GPtrArray  *unlabeled)
{
  g_autofree char *path = NULL;
  GtkWidget *child;

  /* A hidden widget is not exposed to assistive technologies (GTK keeps
   * some, like GtkInfoBar's unlabeled close button, hidden for good). */
  if (!gtk_widget_get_visible (widget))
    return;

  path = parent_path != NULL
         ? g_strdup_printf ("%s > %s", parent_path, G_OBJECT_TYPE_NAME (widget))
         : g_strdup (G_OBJECT_TYPE_NAME (widget));

  if (is_interactive (widget))
    {
      if (!has_own_label_text (widget)
          && !has_label_property (widget)
          && !has_labelled_by (widget, by_address))
        g_ptr_array_add (unlabeled, describe (widget, parent_path ? parent_path : "(root)"));

      /* A menu button's inner toggle button is its own; only its popover
       * holds further widgets of the window. The inner parts of the other
       * interactive widgets (an entry's GtkText, a spin button's +/-) are
       * labelled through the outer widget. */
      if (GTK_IS_MENU_BUTTON (widget))
        {
          for (child = gtk_widget_get_first_child (widget); child != NULL;
               child = gtk_widget_get_next_sibling (child))
            if (GTK_IS_POPOVER (child))
              walk (child, path, by_address, unlabeled);
        }
      return;
    }

  for (child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk (child, path, by_address, unlabeled);
}

GPtrArray *
ob_test_a11y_find_unlabeled (GtkWidget *root)
{
  g_autoptr(GHashTable) by_address = collect_all_widgets (root);
  GPtrArray *unlabeled = g_ptr_array_new_with_free_func (g_free);

  walk (root, NULL, by_address, unlabeled);
  return unlabeled;
}
