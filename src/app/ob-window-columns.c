/* ob-window-columns.c: the main window's column views: one text per cell,
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
ob_window_status_text (GObject    *item,
                       const char *status)
{
  return g_strdup (ob_status_text_vm_status (status));
}

static char *
ob_window_next_run_text (GObject  *item,
                         gboolean  exists)
{
  /* The engine keeps a changed configuration for the next run. */
  return g_strdup (exists ? _("Change pending") : "");
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

static char *
ob_window_balloon_cell_text (GObject          *item,
                             ObBalloonState    state,
                             ObBalloonVerdict  verdict,
                             const char       *level,
                             ObBalloonState    next,
                             ObBalloonState    run)
{
  char *text = ob_status_text_balloon_this_run (run);

  if (text == NULL)
    text = ob_status_text_balloon_next_run (state, next);
  return text != NULL ? text : ob_status_text_balloon_cell (state, verdict, level);
}

static void
ob_window_next_run_loaded_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(ObVm) vm = user_data;
  g_autoptr(ObVm) next = ob_client_get_vm_next_run_finish (OB_CLIENT (source), result, NULL);

  /* A failure leaves the plain state shown; a later bind asks again. */
  g_object_set_data (G_OBJECT (vm), "ob-next-run-asked", NULL);
  if (next != NULL && ob_vm_get_next_run_configuration_exists (vm))
    ob_vm_set_next_run_ballooning (vm, ob_vm_get_ballooning (next));
}

/* Lists do not say what waits for the next run: ask for the rows shown,
 * once per VM while the answer is out. */
static void
ob_window_load_next_run (ObWindow   *self,
                         GParamSpec *pspec,
                         ObVm       *vm)
{
  if (self->client == NULL || ob_vm_is_down (vm) ||
      !ob_vm_get_next_run_configuration_exists (vm) ||
      ob_vm_get_next_run_ballooning (vm) != OB_BALLOON_STATE_UNKNOWN ||
      g_object_get_data (G_OBJECT (vm), "ob-next-run-asked") != NULL)
    return;
  g_object_set_data (G_OBJECT (vm), "ob-next-run-asked", GINT_TO_POINTER (TRUE));
  ob_client_get_vm_next_run_async (self->client, ob_vm_get_id (vm), self->load_cancellable,
                                   ob_window_next_run_loaded_cb, g_object_ref (vm));
}

/* The balloon of a Run Once run, where the engine can say it: for the
 * rows shown, once per VM while the answer is out. */
static void
ob_window_run_ballooning_loaded_cb (GObject      *source,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(ObVm) vm = user_data;

  /* A failure leaves the plain state shown; a later bind asks again. */
  ob_client_load_run_ballooning_finish (OB_CLIENT (source), result, NULL);
  g_object_set_data (G_OBJECT (vm), "ob-run-ballooning-asked", NULL);
}

static void
ob_window_load_run_ballooning (ObWindow   *self,
                               GParamSpec *pspec,
                               ObVm       *vm)
{
  if (self->client == NULL || !ob_client_needs_run_ballooning (self->client, vm) ||
      g_object_get_data (G_OBJECT (vm), "ob-run-ballooning-asked") != NULL)
    return;
  g_object_set_data (G_OBJECT (vm), "ob-run-ballooning-asked", GINT_TO_POINTER (TRUE));
  ob_client_load_run_ballooning_async (self->client, vm, self->load_cancellable,
                                       ob_window_run_ballooning_loaded_cb, g_object_ref (vm));
}

/* While a row is shown, a next-run configuration that appears or changes
 * (a change saved meanwhile) is asked for too, as is the balloon of a
 * Run Once run that starts. */
static void
ob_window_balloon_bind (GtkSignalListItemFactory *factory,
                        GtkListItem              *list_item,
                        ObWindow                 *self)
{
  ObVm *vm = gtk_list_item_get_item (list_item);

  if (!OB_IS_VM (vm))
    return;
  g_signal_connect_object (vm, "notify::next-run-configuration-exists",
                           G_CALLBACK (ob_window_load_next_run), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (vm, "notify::next-run-ballooning",
                           G_CALLBACK (ob_window_load_next_run), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (vm, "notify::run-once",
                           G_CALLBACK (ob_window_load_run_ballooning), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (vm, "notify::run-ballooning",
                           G_CALLBACK (ob_window_load_run_ballooning), self, G_CONNECT_SWAPPED);
  ob_window_load_next_run (self, NULL, vm);
  ob_window_load_run_ballooning (self, NULL, vm);
}

static void
ob_window_balloon_unbind (GtkSignalListItemFactory *factory,
                          GtkListItem              *list_item,
                          ObWindow                 *self)
{
  ObVm *vm = gtk_list_item_get_item (list_item);

  if (!OB_IS_VM (vm))
    return;
  g_signal_handlers_disconnect_by_func (vm, ob_window_load_next_run, self);
  g_signal_handlers_disconnect_by_func (vm, ob_window_load_run_ballooning, self);
}

/* A Run Once run's balloon, when known, is what the VM has now. */
static char *
ob_window_balloon_cell_icon (GObject          *item,
                             ObBalloonState    state,
                             ObBalloonVerdict  verdict,
                             ObBalloonState    run)
{
  return g_strdup (ob_status_text_balloon_icon (run != OB_BALLOON_STATE_UNKNOWN ? run : state, verdict));
}

/* Templates carry no verdict: the icon of the state alone. */
static char *
ob_window_template_balloon_icon (GObject        *item,
                                 ObBalloonState  state)
{
  return g_strdup (ob_status_text_balloon_icon (state, OB_BALLOON_ALLOWED));
}

static char *
ob_window_template_balloon_text (GObject        *item,
                                 ObBalloonState  state)
{
  return g_strdup (ob_status_text_balloon (state));
}

static GStrv
ob_window_balloon_cell_classes (GObject          *item,
                                ObBalloonState    state,
                                ObBalloonVerdict  verdict)
{
  const char *dimmed[] = { "dim-label", NULL };
  const char *plain[] = { NULL };

  return g_strdupv ((char **) (ob_status_text_balloon_refused (state, verdict) ? dimmed : plain));
}

/* What a cell shows, as expressions on its GtkListItem. */
typedef struct
{
  GtkExpression *text;
  GtkExpression *tooltip;    /* (nullable) */
  GtkExpression *icon;       /* (nullable): an icon name, before the text */
  GtkExpression *classes;    /* (nullable): the cell's CSS classes */
  int            min_chars;  /* the text's minimum width, 0 for none */
} ObCell;

static void
ob_cell_free (gpointer data,
              GClosure *closure)
{
  ObCell *cell = data;

  g_clear_pointer (&cell->text, gtk_expression_unref);
  g_clear_pointer (&cell->tooltip, gtk_expression_unref);
  g_clear_pointer (&cell->icon, gtk_expression_unref);
  g_clear_pointer (&cell->classes, gtk_expression_unref);
  g_free (cell);
}

/* A cell's tooltip is worked out when GTK asks for it, not bound: setting
 * a widget's tooltip text makes GTK ask the display where the pointer is
 * (a round trip to the X server) for every row bound while scrolling, and
 * a balloon reason costs a policy verdict per row. */
typedef struct
{
  GWeakRef       list_item;
  GtkExpression *expression;
} ObCellTooltip;

static void
ob_cell_tooltip_free (ObCellTooltip *tip)
{
  g_weak_ref_clear (&tip->list_item);
  gtk_expression_unref (tip->expression);
  g_free (tip);
}

char *
ob_window_cell_dup_tooltip (GtkWidget *cell)
{
  ObCellTooltip *tip = g_object_get_data (G_OBJECT (cell), "ob-cell-tooltip");
  g_autoptr(GtkListItem) list_item = tip != NULL ? g_weak_ref_get (&tip->list_item) : NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  const char *text;

  if (list_item == NULL || !gtk_expression_evaluate (tip->expression, list_item, &value))
    return NULL;
  text = g_value_get_string (&value);
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

static gboolean
ob_window_cell_query_tooltip (GtkWidget  *cell,
                              int         x,
                              int         y,
                              gboolean    keyboard_mode,
                              GtkTooltip *tooltip,
                              gpointer    user_data)
{
  g_autofree char *text = ob_window_cell_dup_tooltip (cell);

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* A cell's text is a GtkInscription: its size does not depend on the
 * text, so a row bound to another VM while scrolling is drawn again
 * without measuring the row, its column and the list anew (which a label
 * costs on every row bound, every frame). */
static void
ob_window_cell_setup (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item,
                      ObCell                   *cell)
{
  GtkWidget *text = gtk_inscription_new (NULL);
  GtkWidget *child = text;

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (text), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  if (cell->min_chars > 0)
    gtk_inscription_set_min_chars (GTK_INSCRIPTION (text), cell->min_chars);
  if (cell->icon != NULL)
    {
      GtkWidget *image = gtk_image_new ();

      child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_box_append (GTK_BOX (child), image);
      /* The inscription asks for no width beyond its minimum. */
      gtk_widget_set_hexpand (text, TRUE);
      gtk_box_append (GTK_BOX (child), text);
      gtk_expression_bind (gtk_expression_ref (cell->icon), image, "icon-name", list_item);
    }
  gtk_list_item_set_child (list_item, child);
  gtk_expression_bind (gtk_expression_ref (cell->text), text, "text", list_item);
  if (cell->tooltip != NULL)
    {
      ObCellTooltip *tip = g_new0 (ObCellTooltip, 1);

      g_weak_ref_init (&tip->list_item, list_item);
      tip->expression = gtk_expression_ref (cell->tooltip);
      g_object_set_data_full (G_OBJECT (child), "ob-cell-tooltip", tip,
                              (GDestroyNotify) ob_cell_tooltip_free);
      gtk_widget_set_has_tooltip (child, TRUE);
      g_signal_connect (child, "query-tooltip", G_CALLBACK (ob_window_cell_query_tooltip), NULL);
    }
  if (cell->classes != NULL)
    gtk_expression_bind (gtk_expression_ref (cell->classes), child, "css-classes", list_item);
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

/* A VM's balloon state, verdict and level, mapped by @map to @value_type. */
static GtkExpression *
ob_window_balloon_expression (GType     value_type,
                              GCallback map,
                              gboolean  with_level)
{
  GtkExpression *params[3] = {
    ob_window_item_expression (OB_TYPE_VM, "ballooning"),
    ob_window_item_expression (OB_TYPE_VM, "balloon-verdict"),
    with_level ? ob_window_item_expression (OB_TYPE_VM, "effective-level") : NULL,
  };

  return gtk_cclosure_expression_new (value_type, NULL, with_level ? 3 : 2, params, map, NULL, NULL);
}

static ObCell *
ob_cell_new (GtkExpression *text)
{
  ObCell *cell = g_new0 (ObCell, 1);

  cell->text = text;
  return cell;
}

/* Takes @cell and @sorter. */
static GtkColumnViewColumn *
ob_window_add_cell_column (GtkColumnView *view,
                           const char    *title,
                           ObCell        *cell,
                           GtkSorter     *sorter,
                           gboolean       expand,
                           int            fixed_width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect_data (factory, "setup", G_CALLBACK (ob_window_cell_setup), cell, ob_cell_free, 0);
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
  return column;
}

static void
ob_window_add_column (GtkColumnView *view,
                      const char    *title,
                      GtkExpression *expression,   /* (transfer full), cell text */
                      GtkSorter     *sorter,       /* (transfer full) (nullable) */
                      gboolean       expand,
                      int            fixed_width)
{
  ob_window_add_cell_column (view, title, ob_cell_new (expression), sorter, expand, fixed_width);
}

static GtkSorter *
ob_window_string_sorter (GType       type,
                         const char *property)
{
  return GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (type, NULL, property)));
}

/* Status sorts by the words shown, in the user's language. */
static GtkSorter *
ob_window_status_sorter (void)
{
  GtkExpression *params[1] = { gtk_property_expression_new (OB_TYPE_VM, NULL, "status") };

  return GTK_SORTER (gtk_string_sorter_new (gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, params,
                                                                         G_CALLBACK (ob_window_status_text),
                                                                         NULL, NULL)));
}

static int
ob_window_balloon_rank (GObject          *item,
                        ObBalloonState    state,
                        ObBalloonVerdict  verdict)
{
  /* Sorts on, off, not supported, unknown. */
  if (ob_status_text_balloon_refused (state, verdict))
    return 2;
  return state == OB_BALLOON_STATE_ON ? 0 : state == OB_BALLOON_STATE_OFF ? 1 : 3;
}

static GtkSorter *
ob_window_balloon_sorter (void)
{
  GtkExpression *params[2] = {
    gtk_property_expression_new (OB_TYPE_VM, NULL, "ballooning"),
    gtk_property_expression_new (OB_TYPE_VM, NULL, "balloon-verdict"),
  };

  /* GtkNumericSorter does not take enums. */
  return GTK_SORTER (gtk_numeric_sorter_new (gtk_cclosure_expression_new (G_TYPE_INT, NULL, 2, params,
                                                                          G_CALLBACK (ob_window_balloon_rank),
                                                                          NULL, NULL)));
}

/* Name: never narrower than about 16 characters, the full name as the
 * tooltip of a cut one. */
static ObCell *
ob_window_name_cell (GType type)
{
  ObCell *cell = ob_cell_new (ob_window_item_expression (type, "name"));

  cell->tooltip = ob_window_item_expression (type, "name");
  cell->min_chars = 16;
  return cell;
}

void
ob_window_setup_vm_columns (ObWindow *self)
{
  GtkColumnView *view = self->vm_view;
  GtkColumnViewColumn *column;
  ObCell *balloon;

  ob_window_add_cell_column (view, _("Name"), ob_window_name_cell (OB_TYPE_VM),
                             ob_window_string_sorter (OB_TYPE_VM, "name"), TRUE, -1);
  ob_window_add_column (view, _("Status"),
                        ob_window_mapped_expression (OB_TYPE_VM, "status",
                                                     G_CALLBACK (ob_window_status_text), NULL),
                        ob_window_status_sorter (), FALSE, 145);
  ob_window_add_column (view, _("Cluster"),
                        ob_window_mapped_expression (OB_TYPE_VM, "cluster-name",
                                                     G_CALLBACK (ob_window_or_dash), NULL),
                        ob_window_string_sorter (OB_TYPE_VM, "cluster-name"), FALSE, 140);
  /* Translators: the column of the compatibility level */
  ob_window_add_column (view, C_("column", "Level"),
                        ob_window_mapped_expression (OB_TYPE_VM, "effective-level",
                                                     G_CALLBACK (ob_window_or_dash), NULL),
                        ob_window_string_sorter (OB_TYPE_VM, "effective-level"), FALSE, 70);
  /* An icon and a word; a level that forbids the balloon dims the cell
   * and says why in its tooltip. */
  {
    GtkExpression *params[5] = {
      ob_window_item_expression (OB_TYPE_VM, "ballooning"),
      ob_window_item_expression (OB_TYPE_VM, "balloon-verdict"),
      ob_window_item_expression (OB_TYPE_VM, "effective-level"),
      ob_window_item_expression (OB_TYPE_VM, "next-run-ballooning"),
      ob_window_item_expression (OB_TYPE_VM, "run-ballooning"),
    };
    GtkExpression *icon_params[3] = {
      ob_window_item_expression (OB_TYPE_VM, "ballooning"),
      ob_window_item_expression (OB_TYPE_VM, "balloon-verdict"),
      ob_window_item_expression (OB_TYPE_VM, "run-ballooning"),
    };

    balloon = ob_cell_new (gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 5, params,
                                                        G_CALLBACK (ob_window_balloon_cell_text), NULL, NULL));
    balloon->icon = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 3, icon_params,
                                                 G_CALLBACK (ob_window_balloon_cell_icon), NULL, NULL);
  }
  balloon->classes = ob_window_balloon_expression (G_TYPE_STRV, G_CALLBACK (ob_window_balloon_cell_classes), FALSE);
  balloon->tooltip = ob_window_item_expression (OB_TYPE_VM, "balloon-reason");
  column = ob_window_add_cell_column (view, _("Balloon"), balloon, ob_window_balloon_sorter (), FALSE, 250);
  g_signal_connect_object (gtk_column_view_column_get_factory (column), "bind",
                           G_CALLBACK (ob_window_balloon_bind), self, 0);
  g_signal_connect_object (gtk_column_view_column_get_factory (column), "unbind",
                           G_CALLBACK (ob_window_balloon_unbind), self, 0);
  ob_window_add_column (view, _("Next Run"),
                        ob_window_mapped_expression (OB_TYPE_VM, "next-run-configuration-exists",
                                                     G_CALLBACK (ob_window_next_run_text), NULL),
                        NULL, FALSE, 120);
}

void
ob_window_setup_template_columns (ObWindow *self)
{
  GtkColumnView *view = self->template_view;
  GtkExpression *params[1];
  ObCell *balloon;

  ob_window_add_cell_column (view, _("Name"), ob_window_name_cell (OB_TYPE_TEMPLATE),
                             ob_window_string_sorter (OB_TYPE_TEMPLATE, "name"), TRUE, -1);
  /* Templates have no run state, level of their own or next run. */
  ob_window_add_column (view, _("Status"), gtk_constant_expression_new (G_TYPE_STRING, "—"),
                        NULL, FALSE, 120);
  ob_window_add_column (view, _("Cluster"),
                        ob_window_mapped_expression (OB_TYPE_TEMPLATE, "cluster-name",
                                                     G_CALLBACK (ob_window_or_dash), NULL),
                        ob_window_string_sorter (OB_TYPE_TEMPLATE, "cluster-name"), FALSE, 140);
  params[0] = ob_window_item_expression (OB_TYPE_TEMPLATE, "cluster-id");
  ob_window_add_column (view, C_("column", "Level"),
                        gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, params,
                                                     G_CALLBACK (ob_window_template_level), self, NULL),
                        NULL, FALSE, 70);
  balloon = ob_cell_new (ob_window_mapped_expression (OB_TYPE_TEMPLATE, "ballooning",
                                                      G_CALLBACK (ob_window_template_balloon_text), NULL));
  balloon->icon = ob_window_mapped_expression (OB_TYPE_TEMPLATE, "ballooning",
                                               G_CALLBACK (ob_window_template_balloon_icon), NULL);
  ob_window_add_cell_column (view, _("Balloon"), balloon, NULL, FALSE, 250);
  ob_window_add_column (view, _("Next Run"), gtk_constant_expression_new (G_TYPE_STRING, "—"),
                        NULL, FALSE, 120);
}

/* Below these widths of the list (in pixels) the lesser columns give way,
 * least useful first, so that none is cut to nothing: Name and Balloon
 * always stay. Indices are the columns' in both views. */
static const struct
{
  guint column;
  int   min_width;
} ob_window_column_fit[] = {
  { 5, 860 },   /* Next Run */
  { 2, 740 },   /* Cluster */
  { 1, 600 },   /* Status */
  { 3, 530 },   /* Level */
};

/* GtkColumnView 4.8 still counts a hidden column's width (the list
 * scrolls sideways over a blank), so a column that gives way leaves the
 * view, and comes back at its place. The view keeps every column, in
 * order, as "ob-columns". */
static void
ob_window_fit_view (GtkColumnView *view,
                    int            width)
{
  GPtrArray *all = g_object_get_data (G_OBJECT (view), "ob-columns");
  GListModel *shown = gtk_column_view_get_columns (view);

  if (all == NULL)
    {
      all = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
        g_ptr_array_add (all, g_list_model_get_item (shown, i));
      g_object_set_data_full (G_OBJECT (view), "ob-columns", all, (GDestroyNotify) g_ptr_array_unref);
    }

  for (guint i = 0; i < G_N_ELEMENTS (ob_window_column_fit); i++)
    {
      GtkColumnViewColumn *column = g_ptr_array_index (all, ob_window_column_fit[i].column);
      gboolean wanted = width >= ob_window_column_fit[i].min_width;
      gboolean present = gtk_column_view_column_get_column_view (column) != NULL;
      guint position = 0;

      if (wanted == present)
        continue;
      if (!wanted)
        {
          gtk_column_view_remove_column (view, column);
          continue;
        }
      /* After the columns before it that are shown. */
      for (guint j = 0; j < ob_window_column_fit[i].column; j++)
        if (gtk_column_view_column_get_column_view (g_ptr_array_index (all, j)) != NULL)
          position++;
      gtk_column_view_insert_column (view, position, column);
    }
}

void
ob_window_fit_columns (ObWindow *self,
                       int       width)
{
  ob_window_fit_view (self->vm_view, width);
  ob_window_fit_view (self->template_view, width);
}

void
ob_window_sort_by_first_column (GtkColumnView *view)
{
  g_autoptr(GtkColumnViewColumn) name = g_list_model_get_item (gtk_column_view_get_columns (view), 0);

  gtk_column_view_sort_by_column (view, name, GTK_SORT_ASCENDING);
}
