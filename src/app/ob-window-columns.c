/* ob-window-columns.c: the main window's column views: one label per cell,
 * bound with an expression so a row updates in place when its item
 * notifies, and nothing is computed per row beyond a property read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-status-text.h"
#include "ob-window-private.h"

static char *
ob_window_balloon_text (GObject        *item,
                        ObBalloonState  state)
{
  return g_strdup (ob_status_text_balloon (state));
}

static char *
ob_window_status_text (GObject    *item,
                       const char *status)
{
  return g_strdup (ob_status_text_vm_status (status));
}

static char *
ob_window_next_run_text (GObject  *item,
                         gboolean  exists)
{
  /* The marker: a pending next-run configuration. */
  return g_strdup (exists ? _("Pending") : "");
}

static char *
ob_window_or_dash (GObject    *item,
                   const char *text)
{
  return g_strdup (text != NULL && *text != '\0' ? text : "—");
}

static char *
ob_window_template_level (GObject    *item,
                          const char *cluster_id,
                          ObWindow   *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->clusters));

  for (guint i = 0; cluster_id != NULL && i < n; i++)
    {
      g_autoptr(ObCluster) cluster = g_list_model_get_item (G_LIST_MODEL (self->clusters), i);

      if (g_strcmp0 (ob_cluster_get_id (cluster), cluster_id) == 0)
        return g_strdup (ob_cluster_get_version (cluster) ? ob_cluster_get_version (cluster) : "—");
    }
  return g_strdup ("—");
}

static void
ob_window_cell_setup (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item,
                      GtkExpression            *expression)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
  gtk_expression_bind (gtk_expression_ref (expression), label, "label", list_item);
}

/* @expression: evaluated on the row's item (a "this" of the item type). */
static GtkExpression *
ob_window_item_expression (GType       type,
                           const char *property)
{
  GtkExpression *item = gtk_property_expression_new (GTK_TYPE_LIST_ITEM, NULL, "item");

  return gtk_property_expression_new (type, item, property);
}

static GtkExpression *
ob_window_mapped_expression (GType       type,
                             const char *property,
                             GCallback   map,
                             gpointer    user_data)
{
  GtkExpression *params[1] = { ob_window_item_expression (type, property) };

  return gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, params, map, user_data, NULL);
}

static void
ob_window_add_column (GtkColumnView *view,
                      const char    *title,
                      GtkExpression *expression,   /* (transfer full), cell text */
                      GtkSorter     *sorter,       /* (transfer full) (nullable) */
                      gboolean       expand,
                      int            fixed_width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect_data (factory, "setup", G_CALLBACK (ob_window_cell_setup),
                         expression, (GClosureNotify) (void (*) (void)) gtk_expression_unref, 0);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (column, fixed_width);
  if (sorter != NULL)
    {
      gtk_column_view_column_set_sorter (column, sorter);
      g_object_unref (sorter);
    }
  gtk_column_view_append_column (view, column);
  g_object_unref (column);
}

static GtkSorter *
ob_window_string_sorter (GType       type,
                         const char *property)
{
  return GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (type, NULL, property)));
}

static int
ob_window_balloon_rank (GObject        *item,
                        ObBalloonState  state)
{
  /* Sorts on, off, unknown. */
  return state == OB_BALLOON_STATE_ON ? 0 : state == OB_BALLOON_STATE_OFF ? 1 : 2;
}

static GtkSorter *
ob_window_balloon_sorter (void)
{
  GtkExpression *params[1] = { gtk_property_expression_new (OB_TYPE_VM, NULL, "ballooning") };

  /* GtkNumericSorter does not take enums. */
  return GTK_SORTER (gtk_numeric_sorter_new (gtk_cclosure_expression_new (G_TYPE_INT, NULL, 1, params,
                                                                          G_CALLBACK (ob_window_balloon_rank),
                                                                          NULL, NULL)));
}

void
ob_window_setup_vm_columns (ObWindow *self)
{
  GtkColumnView *view = self->vm_view;

  ob_window_add_column (view, _("Name"),
                        ob_window_item_expression (OB_TYPE_VM, "name"),
                        ob_window_string_sorter (OB_TYPE_VM, "name"), TRUE, -1);
  ob_window_add_column (view, _("Status"),
                        ob_window_mapped_expression (OB_TYPE_VM, "status",
                                                     G_CALLBACK (ob_window_status_text), NULL),
                        ob_window_string_sorter (OB_TYPE_VM, "status"), FALSE, 120);
  ob_window_add_column (view, _("Cluster"),
                        ob_window_mapped_expression (OB_TYPE_VM, "cluster-name",
                                                     G_CALLBACK (ob_window_or_dash), NULL),
                        ob_window_string_sorter (OB_TYPE_VM, "cluster-name"), FALSE, 160);
  ob_window_add_column (view, _("Compatibility Level"),
                        ob_window_mapped_expression (OB_TYPE_VM, "effective-level",
                                                     G_CALLBACK (ob_window_or_dash), NULL),
                        ob_window_string_sorter (OB_TYPE_VM, "effective-level"), FALSE, 175);
  ob_window_add_column (view, _("Balloon"),
                        ob_window_mapped_expression (OB_TYPE_VM, "ballooning",
                                                     G_CALLBACK (ob_window_balloon_text), NULL),
                        ob_window_balloon_sorter (),
                        FALSE, 100);
  ob_window_add_column (view, _("Next Run"),
                        ob_window_mapped_expression (OB_TYPE_VM, "next-run-configuration-exists",
                                                     G_CALLBACK (ob_window_next_run_text), NULL),
                        NULL, FALSE, 100);
}

void
ob_window_setup_template_columns (ObWindow *self)
{
  GtkColumnView *view = self->template_view;
  GtkExpression *params[1];

  ob_window_add_column (view, _("Name"),
                        ob_window_item_expression (OB_TYPE_TEMPLATE, "name"),
                        ob_window_string_sorter (OB_TYPE_TEMPLATE, "name"), TRUE, -1);
  /* Templates have no run state, level of their own or next run. */
  ob_window_add_column (view, _("Status"), gtk_constant_expression_new (G_TYPE_STRING, "—"),
                        NULL, FALSE, 120);
  ob_window_add_column (view, _("Cluster"),
                        ob_window_mapped_expression (OB_TYPE_TEMPLATE, "cluster-name",
                                                     G_CALLBACK (ob_window_or_dash), NULL),
                        ob_window_string_sorter (OB_TYPE_TEMPLATE, "cluster-name"), FALSE, 160);
  params[0] = ob_window_item_expression (OB_TYPE_TEMPLATE, "cluster-id");
  ob_window_add_column (view, _("Compatibility Level"),
                        gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, params,
                                                     G_CALLBACK (ob_window_template_level), self, NULL),
                        NULL, FALSE, 175);
  ob_window_add_column (view, _("Balloon"),
                        ob_window_mapped_expression (OB_TYPE_TEMPLATE, "ballooning",
                                                     G_CALLBACK (ob_window_balloon_text), NULL),
                        NULL, FALSE, 100);
  ob_window_add_column (view, _("Next Run"), gtk_constant_expression_new (G_TYPE_STRING, "—"),
                        NULL, FALSE, 100);
}

void
ob_window_sort_by_first_column (GtkColumnView *view)
{
  g_autoptr(GtkColumnViewColumn) name = g_list_model_get_item (gtk_column_view_get_columns (view), 0);

  gtk_column_view_sort_by_column (view, name, GTK_SORT_ASCENDING);
}
