/* ob-window.c: the main window: connect view, VM and template lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <sys/resource.h>

#include "ob-bulk-dialog.h"
#include "ob-edit-template-dialog.h"
#include "ob-edit-vm-dialog.h"
#include "ob-error.h"
#include "ob-new-vm-dialog.h"
#include "ob-run-once-dialog.h"
#include "ob-sandbox.h"
#include "ob-settings.h"
#include "ob-status-text.h"
#include "ob-trust-store.h"
#include "ob-window.h"

/* Recent engines kept in GSettings. */
#define OB_MAX_RECENT_ENGINES 8

struct _ObWindow
{
  GtkApplicationWindow  parent_instance;

  /* Template widgets */
  GtkStack             *main_stack;
  GtkWidget            *view_switcher;
  GtkWidget            *refresh_button;
  GtkWidget            *filter_button;
  GtkLabel             *engine_label;
  GtkEntry             *url_entry;
  GtkEntry             *user_entry;
  GtkPasswordEntry     *password_entry;
  GtkCheckButton       *remember_check;
  GtkRevealer          *connect_error_revealer;
  GtkLabel             *connect_error_label;
  GtkRevealer          *cert_revealer;
  GtkLabel             *cert_fingerprint_label;
  GtkSpinner           *connect_spinner;
  GtkWidget            *recent_label;
  GtkListBox           *recent_list;
  GtkSearchBar         *filter_bar;
  GtkSearchEntry       *filter_entry;
  GtkEntry             *server_search_entry;
  GtkRevealer          *progress_revealer;
  GtkProgressBar       *load_progress;
  GtkRevealer          *browse_error_revealer;
  GtkLabel             *browse_error_label;
  GtkStack             *view_stack;
  GtkColumnView        *vm_view;
  GtkColumnView        *template_view;
  GtkLabel             *status_label;

  GSettings            *settings;
  ObTrustStore         *trust_store;
  ObSandbox            *sandbox;
  ObConnection         *pending;        /* being opened */
  ObClient             *client;
  GCancellable         *connect_cancellable;
  GCancellable         *load_cancellable;
  GTlsCertificate      *untrusted_ca;
  char                 *untrusted_fingerprint;
  char                 *untrusted_message;

  GListStore           *vms;
  GListStore           *templates;
  GListStore           *clusters;
  GtkStringFilter      *name_filter;
  GtkFilterListModel   *vm_filtered;
  GtkMultiSelection    *vm_selection;
  GtkSingleSelection   *template_selection;

  char                 *screenshot;     /* what to open once connected */
  gboolean              loading;
  gboolean              bench;
  /* Rows of the load in progress already in the store. */
  guint                 vm_rows_loaded;
  gboolean              painted;        /* the first frame was drawn */
  guint                 bench_frames;
  gint64                bench_last_frame;
  gint64                bench_total;
  gint64                bench_max;
};

G_DEFINE_FINAL_TYPE (ObWindow, ob_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void ob_window_reload       (ObWindow *self);

/* OB_BENCH=1 (bench/app.sh): one line per milestone on stdout with the
 * wall clock and the process's CPU time, both in microseconds. */
static void
ob_window_bench_mark (ObWindow   *self,
                      const char *what,
                      guint       items)
{
  struct rusage usage;

  if (!self->bench)
    return;
  getrusage (RUSAGE_SELF, &usage);
  g_print ("OB_BENCH %s %" G_GINT64_FORMAT " items %u cpu %" G_GINT64_FORMAT "\n",
           what, g_get_real_time (), items,
           (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC
           + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}
static void ob_window_update_state (ObWindow *self);

/* libsecret: one password per (engine URL, user). */
static const SecretSchema *
ob_window_secret_schema (void)
{
  static const SecretSchema schema = {
    "io.github.ovirtballoon.OvirtBalloon.Password", SECRET_SCHEMA_NONE,
    {
      { "engine", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "NULL", 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

/* ---------------------------------------------------------------------- */
/* Column view cells: one label per cell, bound with an expression so a row
 * updates in place when its ObVm notifies, and nothing is computed per row
 * beyond a property read. */

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

static void
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

static void
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

static void
ob_window_sort_by_first_column (GtkColumnView *view)
{
  g_autoptr(GtkColumnViewColumn) name = g_list_model_get_item (gtk_column_view_get_columns (view), 0);

  gtk_column_view_sort_by_column (view, name, GTK_SORT_ASCENDING);
}

/* ---------------------------------------------------------------------- */
/* Selection helpers */

static GPtrArray *
ob_window_dup_selected_vms (ObWindow *self)
{
  GPtrArray *vms = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->vm_selection));
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (vms, g_list_model_get_item (G_LIST_MODEL (self->vm_selection), position));

  return vms;
}

static gboolean
ob_window_templates_shown (ObWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "templates") == 0;
}

static void
ob_window_update_state (ObWindow *self)
{
  gboolean connected = self->client != NULL;
  gboolean templates;
  g_autoptr(GPtrArray) selected = NULL;
  guint n_shown;
  guint n_total;
  g_autofree char *status = NULL;
  gboolean vm_ok;
  GtkWidget *widget = GTK_WIDGET (self);

  /* The view stack notifies while the template is still being built. */
  if (self->vm_selection == NULL || self->template_selection == NULL)
    return;

  templates = ob_window_templates_shown (self);
  selected = ob_window_dup_selected_vms (self);
  n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->vm_selection));
  n_total = g_list_model_get_n_items (G_LIST_MODEL (self->vms));
  vm_ok = connected && !templates && !self->loading;

  gtk_widget_action_set_enabled (widget, "win.refresh", connected && !self->loading);
  gtk_widget_action_set_enabled (widget, "win.cancel-load", self->loading);
  gtk_widget_action_set_enabled (widget, "win.filter", connected);
  gtk_widget_action_set_enabled (widget, "win.server-search", connected);
  gtk_widget_action_set_enabled (widget, "win.disconnect", connected);
  gtk_widget_action_set_enabled (widget, "win.new-vm", connected);
  gtk_widget_action_set_enabled (widget, "win.edit",
                                 connected && (templates
                                               ? gtk_single_selection_get_selected_item (self->template_selection) != NULL
                                               : selected->len == 1));
  gtk_widget_action_set_enabled (widget, "win.run-once",
                                 vm_ok && selected->len == 1 && ob_vm_is_down (g_ptr_array_index (selected, 0)));
  gtk_widget_action_set_enabled (widget, "win.enable-balloon", vm_ok && selected->len > 0);
  gtk_widget_action_set_enabled (widget, "win.disable-balloon", vm_ok && selected->len > 0);
  gtk_widget_set_visible (self->refresh_button, connected);
  gtk_widget_set_visible (self->filter_button, connected);
  gtk_widget_set_visible (self->view_switcher, connected);

  if (templates)
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u template", "%u templates",
                                           g_list_model_get_n_items (G_LIST_MODEL (self->templates))),
                              g_list_model_get_n_items (G_LIST_MODEL (self->templates)));
  else if (n_shown != n_total)
    /* Translators: VMs shown after filtering, of all loaded, and selected. */
    status = g_strdup_printf (_("%u of %u VMs, %u selected"), n_shown, n_total, selected->len);
  else
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u VM, %u selected", "%u VMs, %u selected", n_total),
                              n_total, selected->len);
  gtk_label_set_label (self->status_label, status);
}

static void
ob_window_show_browse_error (ObWindow     *self,
                             const GError *error)
{
  if (error == NULL)
    {
      gtk_revealer_set_reveal_child (self->browse_error_revealer, FALSE);
      return;
    }
  gtk_label_set_label (self->browse_error_label, error->message);
  gtk_revealer_set_reveal_child (self->browse_error_revealer, TRUE);
}

/* ---------------------------------------------------------------------- */
/* Loading */

static void
ob_window_set_loading (ObWindow *self,
                       gboolean  loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_revealer_set_reveal_child (self->progress_revealer, loading);
  ob_window_update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
ob_window_vms_progress (guint    done,
                        guint    total,
                        gpointer user_data)
{
  ObWindow *self = user_data;
  g_autofree char *text = NULL;

  if (total > 0)
    {
      gtk_progress_bar_set_fraction (self->load_progress, MIN (1.0, (double) done / total));
      text = g_strdup_printf (_("Loading VMs: %u of %u"), done, total);
    }
  else
    {
      gtk_progress_bar_pulse (self->load_progress);
      text = g_strdup_printf (_("Loading VMs: %u"), done);
    }
  gtk_progress_bar_set_text (self->load_progress, text);
}

/* Each page's VMs go in as they arrive: the first rows show at once. The
 * first page replaces the previous list. */
static void
ob_window_vms_page (GPtrArray *vms,
                    guint      done,
                    guint      total,
                    gpointer   user_data)
{
  ObWindow *self = user_data;
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->vms));

  if (self->vm_rows_loaded == 0)
    g_list_store_splice (self->vms, 0, n_items, vms->pdata, vms->len);
  else
    g_list_store_splice (self->vms, n_items, 0, vms->pdata, vms->len);
  if (self->vm_rows_loaded == 0)
    ob_window_bench_mark (self, "first-rows", vms->len);
  self->vm_rows_loaded += vms->len;
  ob_window_vms_progress (done, total, self);
}

/* OB_BENCH: scrolls the VM list by half a page per frame and reports the
 * time between painted frames (16.7 ms at 60 Hz means no frame was late). */
#define OB_BENCH_SCROLL_FRAMES 120

static void
ob_window_bench_scroll_cb (GdkFrameClock *clock,
                           ObWindow      *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->vm_view));
  gint64 now = g_get_monotonic_time ();

  if (self->bench_frames > 0)
    {
      gint64 delta = now - self->bench_last_frame;

      self->bench_total += delta;
      self->bench_max = MAX (self->bench_max, delta);
    }
  self->bench_last_frame = now;

  if (self->bench_frames++ == OB_BENCH_SCROLL_FRAMES)
    {
      g_signal_handlers_disconnect_by_func (clock, ob_window_bench_scroll_cb, self);
      g_print ("OB_BENCH scroll frames %u mean-us %" G_GINT64_FORMAT " max-us %" G_GINT64_FORMAT "\n",
               OB_BENCH_SCROLL_FRAMES, self->bench_total / OB_BENCH_SCROLL_FRAMES, self->bench_max);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  gtk_adjustment_set_value (adjustment,
                            gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) / 2);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

static void
ob_window_bench_frame_cb (GdkFrameClock *clock,
                          ObWindow      *self)
{
  /* OB_BENCH: the first frame after the list was filled. */
  g_signal_handlers_disconnect_by_func (clock, ob_window_bench_frame_cb, self);
  ob_window_bench_mark (self, "list-shown", g_list_model_get_n_items (G_LIST_MODEL (self->vms)));
  g_signal_connect (clock, "after-paint", G_CALLBACK (ob_window_bench_scroll_cb), self);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

static void
ob_window_list_vms_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(ObWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vms = ob_client_list_vms_finish (OB_CLIENT (source), result, &error);

  if (vms == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          ob_window_show_browse_error (self, error);
          ob_window_set_loading (self, FALSE);
        }
      return;
    }

  ob_window_bench_mark (self, "vms-received", vms->len);
  /* The pages are all in already; anything else (a list changed while
   * loading) is replaced by the full result. */
  if (self->vm_rows_loaded != vms->len ||
      g_list_model_get_n_items (G_LIST_MODEL (self->vms)) != vms->len)
    g_list_store_splice (self->vms, 0, g_list_model_get_n_items (G_LIST_MODEL (self->vms)),
                         vms->pdata, vms->len);
  ob_window_set_loading (self, FALSE);
  ob_window_bench_mark (self, "vms-in-model", vms->len);

  if (self->bench)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

      g_signal_connect (clock, "after-paint", G_CALLBACK (ob_window_bench_frame_cb), self);
      gtk_widget_queue_draw (GTK_WIDGET (self->vm_view));
    }

  if (self->screenshot != NULL)
    {
      g_autofree char *name = g_steal_pointer (&self->screenshot);

      ob_window_show_screenshot (self, name);
    }
}

static void
ob_window_list_clusters_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(ObWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) clusters = ob_client_list_clusters_finish (OB_CLIENT (source), result, &error);

  if (clusters == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ob_window_show_browse_error (self, error);
      return;
    }
  g_list_store_splice (self->clusters, 0, g_list_model_get_n_items (G_LIST_MODEL (self->clusters)),
                       clusters->pdata, clusters->len);
}

static void
ob_window_list_templates_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(ObWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) templates = ob_client_list_templates_finish (OB_CLIENT (source), result, &error);

  if (templates == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ob_window_show_browse_error (self, error);
      return;
    }
  g_list_store_splice (self->templates, 0, g_list_model_get_n_items (G_LIST_MODEL (self->templates)),
                       templates->pdata, templates->len);
  ob_window_update_state (self);
}

static void
ob_window_reload (ObWindow *self)
{
  const char *search;

  if (self->client == NULL)
    return;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  ob_window_show_browse_error (self, NULL);
  gtk_progress_bar_set_fraction (self->load_progress, 0);
  gtk_progress_bar_set_text (self->load_progress, _("Loading VMs…"));
  ob_window_set_loading (self, TRUE);
  self->vm_rows_loaded = 0;

  search = gtk_editable_get_text (GTK_EDITABLE (self->server_search_entry));
  /* Clusters first: the New VM dialog and the template levels need them. */
  ob_client_list_clusters_async (self->client, self->load_cancellable,
                                 ob_window_list_clusters_cb, g_object_ref (self));
  ob_client_list_templates_async (self->client, self->load_cancellable,
                                  ob_window_list_templates_cb, g_object_ref (self));
  ob_client_list_vms_paged_async (self->client, search[0] != '\0' ? search : NULL,
                                  OB_LIST_ALL_CONTENT,
                                  ob_window_vms_page, self, NULL,
                                  self->load_cancellable,
                                  ob_window_list_vms_cb, g_object_ref (self));
}

/* ---------------------------------------------------------------------- */
/* Connecting */

static void
ob_window_set_connecting (ObWindow *self,
                          gboolean  connecting)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_spinner_set_spinning (self->connect_spinner, connecting);
  gtk_widget_action_set_enabled (widget, "win.connect", !connecting);
  gtk_widget_action_set_enabled (widget, "win.connect-sandbox", !connecting);
  gtk_widget_action_set_enabled (widget, "win.trust-certificate", !connecting && self->untrusted_ca != NULL);
  gtk_widget_action_set_enabled (widget, "win.cancel-connect", connecting);
}

static void
ob_window_show_connect_error (ObWindow   *self,
                              const char *message)
{
  gtk_label_set_label (self->connect_error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->connect_error_revealer, message != NULL);
}

static void
ob_window_remember_engine (ObWindow     *self,
                           ObConnection *connection)
{
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) recent = NULL;
  const char *url = ob_connection_get_api_url (connection);
  guint n = 1;

  if (self->settings == NULL)
    return;
  old = g_settings_get_strv (self->settings, "recent-engines");
  builder = g_strv_builder_new ();

  g_strv_builder_add (builder, url);
  for (guint i = 0; old[i] != NULL && n < OB_MAX_RECENT_ENGINES; i++)
    if (g_strcmp0 (old[i], url) != 0)
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-engines", (const char * const *) recent);
}

static void
ob_window_secret_stored_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* No keyring (e.g. no session bus) is not fatal: the user just types the
   * password again next time. */
  if (!secret_password_store_finish (result, &error))
    g_debug ("Could not store the password in the keyring: %s", error->message);
}

static void
ob_window_connected (ObWindow     *self,
                     ObConnection *connection,
                     gboolean      remember)
{
  g_autofree char *title = NULL;
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_entry));

  g_clear_object (&self->client);
  self->client = ob_client_new (connection);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);

  if (self->sandbox == NULL)
    {
      ob_window_remember_engine (self, connection);
      if (self->settings != NULL)
        g_settings_set_string (self->settings, "last-user", user);
      if (remember)
        secret_password_store (ob_window_secret_schema (), SECRET_COLLECTION_DEFAULT,
                               _("oVirt engine password"),
                               gtk_editable_get_text (GTK_EDITABLE (self->password_entry)),
                               NULL, ob_window_secret_stored_cb, NULL,
                               "engine", ob_connection_get_api_url (connection),
                               "user", user,
                               NULL);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");

  gtk_label_set_label (self->engine_label, ob_connection_get_engine_key (connection));
  title = g_strdup_printf ("%s\n%s",
                           ob_connection_get_product_name (connection) ? ob_connection_get_product_name (connection) : "oVirt",
                           ob_connection_get_api_url (connection));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->engine_label), title);
  gtk_stack_set_visible_child_name (self->main_stack, "browse");
  ob_window_update_state (self);
  ob_window_reload (self);
}

static void ob_window_open_connection (ObWindow     *self,
                                       ObConnection *connection);

static void
ob_window_fetch_ca_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(ObWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(GTlsCertificate) ca = ob_connection_fetch_ca_finish (OB_CONNECTION (source), result,
                                                                 &fingerprint, &error);

  ob_window_set_connecting (self, FALSE);
  if (ca == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("%s\nThe engine CA could not be fetched to check it: %s"),
                                                      self->untrusted_message ? self->untrusted_message : "",
                                                      error->message);

          ob_window_show_connect_error (self, message);
        }
      return;
    }

  g_set_object (&self->untrusted_ca, ca);
  g_free (self->untrusted_fingerprint);
  self->untrusted_fingerprint = g_steal_pointer (&fingerprint);
  gtk_label_set_label (self->cert_fingerprint_label, self->untrusted_fingerprint);
  gtk_revealer_set_reveal_child (self->cert_revealer, TRUE);
  ob_window_set_connecting (self, FALSE);
}

static void
ob_window_open_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ObWindow) self = user_data;
  ObConnection *connection = OB_CONNECTION (source);
  g_autoptr(GError) error = NULL;

  if (!ob_connection_open_finish (connection, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, OB_ERROR, OB_ERROR_TLS_UNTRUSTED))
        {
          /* Show the engine CA's fingerprint and let the user decide;
           * the error (about the server certificate) only if that fails. */
          g_free (self->untrusted_message);
          self->untrusted_message = g_strdup (error->message);
          ob_connection_fetch_ca_async (connection, self->connect_cancellable,
                                        ob_window_fetch_ca_cb, g_object_ref (self));
          return;
        }
      ob_window_set_connecting (self, FALSE);
      ob_window_show_connect_error (self, error->message);
      return;
    }

  ob_window_set_connecting (self, FALSE);
  ob_window_bench_mark (self, "connected", 0);
  ob_window_connected (self, connection,
                       gtk_check_button_get_active (self->remember_check));
  g_clear_object (&self->pending);
}

static void
ob_window_open_connection (ObWindow     *self,
                           ObConnection *connection)
{
  g_set_object (&self->pending, connection);
  g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  self->connect_cancellable = g_cancellable_new ();

  ob_window_show_connect_error (self, NULL);
  ob_window_set_connecting (self, TRUE);
  ob_connection_open_async (connection, self->connect_cancellable,
                            ob_window_open_cb, g_object_ref (self));
}

static void
ob_window_connect_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObConnection) connection = NULL;
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_entry));

  if (*user == '\0')
    user = OB_SANDBOX_DEMO_USER;

  connection = ob_connection_new (gtk_editable_get_text (GTK_EDITABLE (self->url_entry)), &error);
  if (connection == NULL)
    {
      ob_window_show_connect_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
      return;
    }

  g_clear_object (&self->sandbox);
  gtk_revealer_set_reveal_child (self->cert_revealer, FALSE);
  ob_connection_set_trust_store (connection, self->trust_store);
  ob_connection_set_credentials (connection, user,
                                 gtk_editable_get_text (GTK_EDITABLE (self->password_entry)));
  ob_window_open_connection (self, connection);
}

static void
ob_window_trust_certificate_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObConnection) connection = NULL;

  if (self->pending == NULL || self->untrusted_ca == NULL)
    return;

  /* Trust exactly the certificate whose fingerprint the user was shown. */
  if (!ob_trust_store_trust (self->trust_store,
                             ob_connection_get_engine_key (self->pending),
                             self->untrusted_ca, self->untrusted_fingerprint, &error))
    {
      ob_window_show_connect_error (self, error->message);
      return;
    }
  g_clear_object (&self->untrusted_ca);
  g_clear_pointer (&self->untrusted_fingerprint, g_free);
  gtk_revealer_set_reveal_child (self->cert_revealer, FALSE);

  connection = g_object_ref (self->pending);
  ob_window_open_connection (self, connection);
}

static void
ob_window_cancel_connect_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);

  g_cancellable_cancel (self->connect_cancellable);
  ob_window_set_connecting (self, FALSE);
}

/* Logs in to a sandbox engine with its demo account. */
static void
ob_window_connect_sandbox_url (ObWindow   *self,
                               const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObConnection) connection = ob_connection_new (url, &error);

  if (connection == NULL)
    {
      ob_window_set_connecting (self, FALSE);
      ob_window_show_connect_error (self, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), ob_connection_get_api_url (connection));
  gtk_editable_set_text (GTK_EDITABLE (self->user_entry), OB_SANDBOX_DEMO_USER);
  /* The sandbox's documented demo password (docs/sandbox.md). */
  ob_connection_set_credentials (connection, OB_SANDBOX_DEMO_USER, "sandbox");
  ob_window_open_connection (self, connection);
}

static void
ob_window_sandbox_started_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(ObWindow) self = user_data;
  ObSandbox *sandbox = OB_SANDBOX (source);
  g_autoptr(GError) error = NULL;

  if (!ob_sandbox_start_finish (sandbox, result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not start the sandbox engine: %s"), error->message);

      ob_window_set_connecting (self, FALSE);
      ob_window_show_connect_error (self, message);
      return;
    }
  if (sandbox != self->sandbox)
    return;
  ob_window_bench_mark (self, "sandbox-started", 0);
  ob_window_connect_sandbox_url (self, ob_sandbox_get_base_url (sandbox));
}

static void
ob_window_start_sandbox (ObWindow *self)
{
  const char *url = g_getenv ("OB_SANDBOX_URL");
  const char *seed = g_getenv ("OB_SANDBOX_SEED");
  const char *database = g_getenv ("OB_SANDBOX_DB");

  g_clear_object (&self->sandbox);
  g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  self->connect_cancellable = g_cancellable_new ();
  ob_window_show_connect_error (self, NULL);
  ob_window_set_connecting (self, TRUE);

  /* OB_SANDBOX_URL: a sandbox engine already running in another process
   * (ovirt-balloon-sandbox), e.g. for bench/app.sh. */
  if (url != NULL && *url != '\0')
    {
      ob_window_connect_sandbox_url (self, url);
      return;
    }

  self->sandbox = ob_sandbox_new ();
  /* For bench/app.sh: OB_SANDBOX_SEED asks for e.g. 10000 VMs, and
   * OB_SANDBOX_DB keeps them in a file so later runs skip seeding. The
   * default is the demo data in memory. */
  g_object_set (self->sandbox,
                "seed", seed != NULL ? seed : "demo",
                "database", database,
                NULL);
  ob_sandbox_start_async (self->sandbox, self->connect_cancellable,
                          ob_window_sandbox_started_cb, g_object_ref (self));
}

static void
ob_window_first_frame_cb (GdkFrameClock *clock,
                          ObWindow      *self)
{
  g_signal_handlers_disconnect_by_func (clock, ob_window_first_frame_cb, self);
  ob_window_start_sandbox (self);
}

void
ob_window_connect_sandbox (ObWindow *self)
{
  GdkFrameClock *clock;

  g_return_if_fail (OB_IS_WINDOW (self));

  /* At start-up, show the window first: the engine's thread would compete
   * with the first frame for the CPU. */
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && clock != NULL && !self->painted)
    {
      ob_window_set_connecting (self, TRUE);
      g_signal_connect_object (clock, "after-paint", G_CALLBACK (ob_window_first_frame_cb), self, 0);
      return;
    }
  ob_window_start_sandbox (self);
}

static void
ob_window_connect_sandbox_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  ob_window_connect_sandbox (OB_WINDOW (widget));
}

static void
ob_window_disconnect_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);

  g_cancellable_cancel (self->load_cancellable);
  if (self->client != NULL)
    ob_connection_close_async (ob_client_get_connection (self->client), NULL, NULL, NULL);
  g_clear_object (&self->client);
  g_clear_object (&self->sandbox);
  g_list_store_remove_all (self->vms);
  g_list_store_remove_all (self->templates);
  g_list_store_remove_all (self->clusters);
  ob_window_set_loading (self, FALSE);
  gtk_label_set_label (self->engine_label, "");
  gtk_stack_set_visible_child_name (self->main_stack, "connect");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  ob_window_update_state (self);
}

/* Recent engines */

static void
ob_window_password_lookup_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(ObWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = secret_password_lookup_finish (result, &error);

  if (password == NULL)
    {
      if (error != NULL)
        g_debug ("Keyring lookup failed: %s", error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), password);
  gtk_check_button_set_active (self->remember_check, TRUE);
  secret_password_wipe (g_steal_pointer (&password));
}

static void
on_recent_row_activated (ObWindow      *self,
                         GtkListBoxRow *row)
{
  const char *url = g_object_get_data (G_OBJECT (row), "ob-url");

  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), url);
  secret_password_lookup (ob_window_secret_schema (), NULL,
                          ob_window_password_lookup_cb, g_object_ref (self),
                          "engine", url,
                          "user", gtk_editable_get_text (GTK_EDITABLE (self->user_entry)),
                          NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
}

static void
ob_window_fill_recent (ObWindow *self)
{
  g_auto(GStrv) recent = NULL;
  GtkWidget *child;

  if (self->settings == NULL)
    {
      gtk_widget_set_visible (self->recent_label, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->recent_list), FALSE);
      return;
    }
  recent = g_settings_get_strv (self->settings, "recent-engines");

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  for (guint i = 0; recent[i] != NULL; i++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *label = gtk_label_new (recent[i]);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "ob-url", g_strdup (recent[i]), g_free);
      gtk_list_box_append (self->recent_list, row);
    }
  gtk_widget_set_visible (self->recent_label, recent[0] != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->recent_list), recent[0] != NULL);
}

/* ---------------------------------------------------------------------- */
/* Browse actions */

static void
on_filter_changed (ObWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));

  gtk_string_filter_set_search (self->name_filter, text[0] != '\0' ? text : NULL);
  ob_window_update_state (self);
}

static void
on_server_search_activate (ObWindow *self)
{
  ob_window_reload (self);
}

static void
on_view_changed (ObWindow *self)
{
  ob_window_update_state (self);
}

static void
ob_window_refresh_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  ob_window_reload (OB_WINDOW (widget));
}

static void
ob_window_cancel_load_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);

  g_cancellable_cancel (self->load_cancellable);
  ob_window_set_loading (self, FALSE);
}

static void
ob_window_filter_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->filter_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->filter_entry));
}

static void
ob_window_server_search_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (OB_WINDOW (widget)->server_search_entry));
}

static void
ob_window_edit_vm (ObWindow *self,
                   ObVm     *vm)
{
  ObEditVmDialog *dialog = ob_edit_vm_dialog_new (GTK_WINDOW (self), self->client, vm);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ob_window_edit_template (ObWindow   *self,
                         ObTemplate *template)
{
  ObEditTemplateDialog *dialog = ob_edit_template_dialog_new (GTK_WINDOW (self), template);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ob_window_edit_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);

  if (ob_window_templates_shown (self))
    {
      ObTemplate *template = gtk_single_selection_get_selected_item (self->template_selection);

      if (template != NULL)
        ob_window_edit_template (self, template);
    }
  else
    {
      g_autoptr(GPtrArray) selected = ob_window_dup_selected_vms (self);

      if (selected->len == 1)
        ob_window_edit_vm (self, g_ptr_array_index (selected, 0));
    }
}

static void
on_vm_activated (ObWindow *self,
                 guint     position)
{
  g_autoptr(ObVm) vm = g_list_model_get_item (G_LIST_MODEL (self->vm_selection), position);

  if (vm != NULL && self->client != NULL)
    ob_window_edit_vm (self, vm);
}

static void
on_template_activated (ObWindow *self,
                       guint     position)
{
  g_autoptr(ObTemplate) template = g_list_model_get_item (G_LIST_MODEL (self->template_selection), position);

  if (template != NULL)
    ob_window_edit_template (self, template);
}

static void
ob_window_vm_created_cb (ObWindow       *self,
                         ObVm           *vm,
                         ObNewVmDialog  *dialog)
{
  g_list_store_append (self->vms, vm);
  ob_window_update_state (self);
}

static void
ob_window_new_vm_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);
  ObNewVmDialog *dialog;

  if (self->client == NULL)
    return;
  dialog = ob_new_vm_dialog_new (GTK_WINDOW (self), self->client,
                                 G_LIST_MODEL (self->clusters), G_LIST_MODEL (self->templates));
  g_signal_connect_object (dialog, "created", G_CALLBACK (ob_window_vm_created_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ob_window_run_once_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);
  g_autoptr(GPtrArray) selected = ob_window_dup_selected_vms (self);

  /* Only a VM that is down can be started. */
  if (selected->len == 1 && self->client != NULL && ob_vm_is_down (g_ptr_array_index (selected, 0)))
    {
      ObRunOnceDialog *dialog = ob_run_once_dialog_new (GTK_WINDOW (self), self->client,
                                                        g_ptr_array_index (selected, 0));

      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
ob_window_set_balloon_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);
  g_autoptr(GPtrArray) selected = ob_window_dup_selected_vms (self);
  gboolean enable = g_str_equal (action_name, "win.enable-balloon");
  ObBulkDialog *dialog;

  if (selected->len == 0 || self->client == NULL)
    return;
  dialog = ob_bulk_dialog_new (GTK_WINDOW (self), self->client, selected, enable);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---------------------------------------------------------------------- */
/* Screenshots */

static void
ob_window_screenshot_select (ObWindow   *self,
                             const char *name,
                             gboolean    exclusive)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->vm_selection));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ObVm) vm = g_list_model_get_item (G_LIST_MODEL (self->vm_selection), i);

      if (g_strcmp0 (ob_vm_get_name (vm), name) == 0)
        {
          gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->vm_selection), i, exclusive);
          return;
        }
    }
}

void
ob_window_show_screenshot (ObWindow   *self,
                           const char *name)
{
  g_return_if_fail (OB_IS_WINDOW (self));

  if (g_str_equal (name, "connect"))
    return;

  if (self->client == NULL)
    {
      /* Come back once the sandbox is connected and the list loaded. */
      g_free (self->screenshot);
      self->screenshot = g_strdup (name);
      ob_window_connect_sandbox (self);
      return;
    }

  if (g_str_equal (name, "templates"))
    gtk_stack_set_visible_child_name (self->view_stack, "templates");
  else if (g_str_equal (name, "edit-vm-fault"))
    {
      g_autoptr(GPtrArray) selected = NULL;
      ObEditVmDialog *dialog;

      /* The engine refuses the next change: the fault shows in the dialog. */
      ob_window_screenshot_select (self, "ci-runner-02", TRUE);
      selected = ob_window_dup_selected_vms (self);
      if (selected->len != 1 || self->sandbox == NULL)
        return;
      dialog = ob_edit_vm_dialog_new (GTK_WINDOW (self), self->client, g_ptr_array_index (selected, 0));
      gtk_window_present (GTK_WINDOW (dialog));
      ob_sandbox_inject_fault (self->sandbox, "PUT", "/ovirt-engine/api/vms", 400, 0, 1);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                                     OB_TYPE_EDIT_VM_DIALOG,
                                                                                     "balloon_check")),
                                   TRUE);
      gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
    }
  else if (g_str_has_prefix (name, "edit-vm") || g_str_equal (name, "run-once"))
    {
      g_autoptr(GPtrArray) selected = NULL;

      ob_window_screenshot_select (self, g_str_equal (name, "edit-vm-refused") ? "legacy-db"
                                         : g_str_equal (name, "run-once") ? "ci-runner-02" : "web-01",
                                   TRUE);
      selected = ob_window_dup_selected_vms (self);
      if (selected->len == 1 && g_str_equal (name, "run-once"))
        ob_window_run_once_action (GTK_WIDGET (self), "win.run-once", NULL);
      else if (selected->len == 1)
        ob_window_edit_vm (self, g_ptr_array_index (selected, 0));
    }
  else if (g_str_equal (name, "new-vm"))
    ob_window_new_vm_action (GTK_WIDGET (self), "win.new-vm", NULL);
  else if (g_str_equal (name, "edit-template"))
    {
      gtk_stack_set_visible_child_name (self->view_stack, "templates");
      gtk_single_selection_set_selected (self->template_selection,
                                         MIN (1, g_list_model_get_n_items (G_LIST_MODEL (self->templates)) - 1));
      ob_window_edit_action (GTK_WIDGET (self), "win.edit", NULL);
    }
  else if (g_str_equal (name, "bulk"))
    {
      /* A mixed selection: levels that forbid it, running and down VMs. */
      const char *names[] = { "legacy-db", "ppc-db", "web-04", "erp-02", "app-31-c", "ci-runner-02", "k8s-node-1" };

      gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->vm_selection));
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        ob_window_screenshot_select (self, names[i], FALSE);
      ob_window_set_balloon_action (GTK_WIDGET (self), "win.enable-balloon", NULL);
    }
}

/* ---------------------------------------------------------------------- */

static void
ob_window_save_size (ObWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
ob_window_close_request (GtkWindow *window)
{
  ob_window_save_size (OB_WINDOW (window));

  return GTK_WINDOW_CLASS (ob_window_parent_class)->close_request (window);
}

static void
ob_window_painted_cb (GdkFrameClock *clock,
                      ObWindow      *self)
{
  g_signal_handlers_disconnect_by_func (clock, ob_window_painted_cb, self);
  self->painted = TRUE;
  ob_window_bench_mark (self, "first-frame", 0);
}

static void
ob_window_realize (GtkWidget *widget)
{
  ObWindow *self = OB_WINDOW (widget);

  GTK_WIDGET_CLASS (ob_window_parent_class)->realize (widget);

  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (ob_window_painted_cb), self);
}

static void
ob_window_dispose (GObject *object)
{
  ObWindow *self = OB_WINDOW (object);

  g_cancellable_cancel (self->connect_cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->connect_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->pending);
  g_clear_object (&self->client);
  g_clear_object (&self->vm_selection);
  g_clear_object (&self->template_selection);

  /* main_stack is both a template child and the window's child: detach it
   * (and the default and focus widgets inside it) through the window first,
   * or GtkWindow would touch them again after they are gone. */
  gtk_window_set_default_widget (GTK_WINDOW (self), NULL);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_set_child (GTK_WINDOW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), OB_TYPE_WINDOW);

  G_OBJECT_CLASS (ob_window_parent_class)->dispose (object);
}

static void
ob_window_finalize (GObject *object)
{
  ObWindow *self = OB_WINDOW (object);

  g_clear_object (&self->sandbox);
  g_clear_object (&self->settings);
  g_clear_object (&self->trust_store);
  g_clear_object (&self->untrusted_ca);
  g_clear_pointer (&self->untrusted_fingerprint, g_free);
  g_clear_pointer (&self->untrusted_message, g_free);
  g_clear_object (&self->vms);
  g_clear_object (&self->templates);
  g_clear_object (&self->clusters);
  g_clear_object (&self->name_filter);
  g_clear_object (&self->vm_filtered);
  g_clear_pointer (&self->screenshot, g_free);

  G_OBJECT_CLASS (ob_window_parent_class)->finalize (object);
}

static void
ob_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ObWindow *self = OB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_window_class_init (ObWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ob_window_dispose;
  object_class->finalize = ob_window_finalize;
  object_class->get_property = ob_window_get_property;
  widget_class->realize = ob_window_realize;
  window_class->close_request = ob_window_close_request;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, OB_TYPE_CLIENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (OB_TYPE_VM);
  g_type_ensure (OB_TYPE_TEMPLATE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ovirtballoon/OvirtBalloon/ui/ob-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ObWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, view_switcher);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, filter_button);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, engine_label);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, url_entry);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, user_entry);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, password_entry);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, remember_check);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, connect_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, connect_error_label);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, cert_revealer);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, cert_fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, connect_spinner);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, recent_label);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, server_search_entry);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, load_progress);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, browse_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, browse_error_label);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, vm_view);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, template_view);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_recent_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_server_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_view_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_vm_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_template_activated);

  gtk_widget_class_install_action (widget_class, "win.connect", NULL, ob_window_connect_action);
  gtk_widget_class_install_action (widget_class, "win.connect-sandbox", NULL, ob_window_connect_sandbox_action);
  gtk_widget_class_install_action (widget_class, "win.trust-certificate", NULL, ob_window_trust_certificate_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-connect", NULL, ob_window_cancel_connect_action);
  gtk_widget_class_install_action (widget_class, "win.disconnect", NULL, ob_window_disconnect_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, ob_window_refresh_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-load", NULL, ob_window_cancel_load_action);
  gtk_widget_class_install_action (widget_class, "win.filter", NULL, ob_window_filter_action);
  gtk_widget_class_install_action (widget_class, "win.server-search", NULL, ob_window_server_search_action);
  gtk_widget_class_install_action (widget_class, "win.edit", NULL, ob_window_edit_action);
  gtk_widget_class_install_action (widget_class, "win.new-vm", NULL, ob_window_new_vm_action);
  gtk_widget_class_install_action (widget_class, "win.run-once", NULL, ob_window_run_once_action);
  gtk_widget_class_install_action (widget_class, "win.enable-balloon", NULL, ob_window_set_balloon_action);
  gtk_widget_class_install_action (widget_class, "win.disable-balloon", NULL, ob_window_set_balloon_action);
}

static void
ob_window_init (ObWindow *self)
{
  GtkSortListModel *sorted;
  GtkSortListModel *template_sorted;
  g_autofree char *user = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = ob_settings_new ();
  self->trust_store = ob_trust_store_new (NULL);
  self->bench = g_getenv ("OB_BENCH") != NULL;
  self->vms = g_list_store_new (OB_TYPE_VM);
  self->templates = g_list_store_new (OB_TYPE_TEMPLATE);
  self->clusters = g_list_store_new (OB_TYPE_CLUSTER);

  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  /* VMs: store -> name filter -> column sort -> multi-selection. */
  self->name_filter = gtk_string_filter_new (gtk_property_expression_new (OB_TYPE_VM, NULL, "name"));
  gtk_string_filter_set_match_mode (self->name_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->name_filter, TRUE);
  self->vm_filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->vms)),
                                                 g_object_ref (GTK_FILTER (self->name_filter)));
  ob_window_setup_vm_columns (self);
  ob_window_sort_by_first_column (self->vm_view);
  sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->vm_filtered)),
                                    g_object_ref (gtk_column_view_get_sorter (self->vm_view)));
  self->vm_selection = gtk_multi_selection_new (G_LIST_MODEL (sorted));
  gtk_column_view_set_model (self->vm_view, GTK_SELECTION_MODEL (self->vm_selection));
  g_signal_connect_object (self->vm_selection, "selection-changed",
                           G_CALLBACK (ob_window_update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->vm_selection, "items-changed",
                           G_CALLBACK (ob_window_update_state), self, G_CONNECT_SWAPPED);

  ob_window_setup_template_columns (self);
  ob_window_sort_by_first_column (self->template_view);
  template_sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->templates)),
                                             g_object_ref (gtk_column_view_get_sorter (self->template_view)));
  self->template_selection = gtk_single_selection_new (G_LIST_MODEL (template_sorted));
  gtk_single_selection_set_autoselect (self->template_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->template_selection, TRUE);
  gtk_column_view_set_model (self->template_view, GTK_SELECTION_MODEL (self->template_selection));
  g_signal_connect_object (self->template_selection, "notify::selected",
                           G_CALLBACK (ob_window_update_state), self, G_CONNECT_SWAPPED);

  gtk_search_bar_set_key_capture_widget (self->filter_bar, GTK_WIDGET (self->vm_view));
  gtk_search_bar_connect_entry (self->filter_bar, GTK_EDITABLE (self->filter_entry));

  user = self->settings != NULL ? g_settings_get_string (self->settings, "last-user")
                                : g_strdup (OB_SANDBOX_DEMO_USER);
  gtk_editable_set_text (GTK_EDITABLE (self->user_entry), user);
  ob_window_fill_recent (self);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::recent-engines",
                             G_CALLBACK (ob_window_fill_recent), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.trust-certificate", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-connect", FALSE);
  ob_window_update_state (self);
}

ObWindow *
ob_window_new (ObApplication *app)
{
  return g_object_new (OB_TYPE_WINDOW, "application", app, NULL);
}

void
ob_window_set_engine_url (ObWindow   *self,
                          const char *url)
{
  g_return_if_fail (OB_IS_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), url != NULL ? url : "");
}

ObClient *
ob_window_get_client (ObWindow *self)
{
  g_return_val_if_fail (OB_IS_WINDOW (self), NULL);

  return self->client;
}

GListModel *
ob_window_get_vms (ObWindow *self)
{
  g_return_val_if_fail (OB_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->vms);
}

GListModel *
ob_window_get_templates (ObWindow *self)
{
  g_return_val_if_fail (OB_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->templates);
}

gboolean
ob_window_get_loading (ObWindow *self)
{
  g_return_val_if_fail (OB_IS_WINDOW (self), FALSE);

  return self->loading;
}
