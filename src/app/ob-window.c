/* ob-window.c: the main window: connect view, VM and template lists
 *
 * This file holds the window's life cycle, the list loading and the
 * actions' state; see ob-window-private.h for the other parts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-settings.h"
#include "ob-window-private.h"
#include "ob-spinner.h"

G_DEFINE_FINAL_TYPE (ObWindow, ob_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
ob_window_notify_client (ObWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/* ---------------------------------------------------------------------- */
/* Selection helpers */

GPtrArray *
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

gboolean
ob_window_templates_shown (ObWindow *self)
{
  return g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "templates") == 0;
}

/* A status page instead of an empty list: what is empty, and why. Its
 * icon is set only while the page is shown: the 128 px symbolic icons
 * exist only as SVG, and loading one brings in librsvg (some MiB of
 * memory and a few ms of start-up) for a page that is usually hidden. */
static void
ob_window_update_empty_pages (ObWindow *self,
                              guint     n_shown,
                              guint     n_total)
{
  const char *filter = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  gboolean vms_empty = n_shown == 0 && !self->loading && self->client != NULL;
  gboolean templates_empty = g_list_model_get_n_items (G_LIST_MODEL (self->templates)) == 0
                             && !self->loading && self->client != NULL;
  const char *vm_icon;

  if (n_total > 0)
    {
      g_autofree char *description = g_strdup_printf (_("No virtual machine name contains “%s”."), filter);

      vm_icon = "edit-find-symbolic";
      adw_status_page_set_title (self->vm_status_page, _("No Results Found"));
      adw_status_page_set_description (self->vm_status_page, description);
    }
  else if (self->listed_search != NULL && *self->listed_search != '\0')
    {
      g_autofree char *description = g_strdup_printf (_("The engine found no virtual machine for “%s”."),
                                                      self->listed_search);

      vm_icon = "edit-find-symbolic";
      adw_status_page_set_title (self->vm_status_page, _("No Matching Virtual Machines"));
      adw_status_page_set_description (self->vm_status_page, description);
    }
  else
    {
      vm_icon = "computer-symbolic";
      adw_status_page_set_title (self->vm_status_page, _("No Virtual Machines"));
      adw_status_page_set_description (self->vm_status_page,
                                       _("This engine lists no virtual machine that you may see."));
    }
  adw_status_page_set_icon_name (self->vm_status_page, vms_empty ? vm_icon : NULL);
  gtk_stack_set_visible_child_name (self->vm_list_stack, vms_empty ? "empty" : "list");

  adw_status_page_set_icon_name (self->template_status_page,
                                 templates_empty ? "folder-templates-symbolic" : NULL);
  adw_status_page_set_title (self->template_status_page, _("No Templates"));
  adw_status_page_set_description (self->template_status_page,
                                   _("This engine lists no template that you may see."));
  gtk_stack_set_visible_child_name (self->template_list_stack, templates_empty ? "empty" : "list");
}

void
ob_window_show_engine (ObWindow     *self,
                       ObConnection *connection)
{
  g_autofree char *subtitle = NULL;
  g_autofree char *tooltip = NULL;

  if (connection == NULL)
    {
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title), NULL);
      return;
    }

  if (self->sandbox != NULL)
    subtitle = g_strdup (_("Local sandbox (demo data)"));
  else
    {
      g_autoptr(GUri) uri = g_uri_parse (ob_connection_get_api_url (connection), G_URI_FLAGS_NONE, NULL);
      const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_entry));
      const char *host = uri != NULL ? g_uri_get_host (uri) : ob_connection_get_engine_key (connection);

      /* Translators: the connected user and the engine's host name. */
      subtitle = g_strdup_printf (_("%s · %s"), user, host);
    }
  tooltip = g_strdup_printf ("%s\n%s",
                             ob_connection_get_product_name (connection) != NULL
                             ? ob_connection_get_product_name (connection) : "oVirt",
                             ob_connection_get_api_url (connection));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title), tooltip);
}

void
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
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_squeezer), connected);
  ob_window_update_switcher_bar (self);

  /* The engine's search covers VMs only: it must not empty the VM list
   * from the Templates tab. */
  gtk_widget_action_set_enabled (widget, "win.server-search", connected && !templates);
  gtk_widget_set_sensitive (self->server_search_box, !templates);
  gtk_widget_set_tooltip_text (self->server_search_box,
                               templates ? _("The server search covers virtual machines only") : NULL);

  /* A status change of the one selected VM (it was started, say) changes
   * what can be done with it. */
  if (self->selected_vm_signals != NULL)
    g_signal_group_set_target (self->selected_vm_signals,
                               selected->len == 1 ? g_ptr_array_index (selected, 0) : NULL);

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
  ob_window_update_empty_pages (self, n_shown, n_total);
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

void
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
    {
      g_list_store_splice (self->vms, 0, n_items, vms->pdata, vms->len);
      g_free (self->listed_search);
      self->listed_search = g_strdup (self->loading_search);
    }
  else
    g_list_store_splice (self->vms, n_items, 0, vms->pdata, vms->len);
  self->vm_rows_loaded += vms->len;
  ob_window_vms_progress (done, total, self);
}


/* A reload keeps the selection: the VMs selected before are selected
 * again (by id) in the new list. */
static void
ob_window_remember_selection (ObWindow *self)
{
  g_autoptr(GPtrArray) selected = ob_window_dup_selected_vms (self);
  ObTemplate *template = gtk_single_selection_get_selected_item (self->template_selection);

  g_free (self->reselect_template);
  self->reselect_template = template != NULL ? g_strdup (ob_template_get_id (template)) : NULL;
  g_clear_pointer (&self->reselect_ids, g_hash_table_unref);
  if (selected->len == 0)
    return;
  self->reselect_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < selected->len; i++)
    if (ob_vm_get_id (g_ptr_array_index (selected, i)) != NULL)
      g_hash_table_add (self->reselect_ids, g_strdup (ob_vm_get_id (g_ptr_array_index (selected, i))));
}

static void
ob_window_reselect (ObWindow *self)
{
  g_autoptr(GHashTable) ids = g_steal_pointer (&self->reselect_ids);
  g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) all = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->vm_selection));

  if (ids == NULL)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ObVm) vm = g_list_model_get_item (G_LIST_MODEL (self->vm_selection), i);

      if (ob_vm_get_id (vm) != NULL && g_hash_table_contains (ids, ob_vm_get_id (vm)))
        gtk_bitset_add (selected, i);
    }
  all = gtk_bitset_new_range (0, n);
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->vm_selection), selected, all);
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
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The listed VMs answer another search than the one that failed:
       * showing them (and their count) as its result would mislead. */
      if (g_strcmp0 (self->listed_search, self->loading_search) != 0)
        {
          g_list_store_remove_all (self->vms);
          g_free (self->listed_search);
          self->listed_search = g_strdup (self->loading_search);
        }
      g_clear_pointer (&self->reselect_ids, g_hash_table_unref);
      ob_window_show_browse_error (self, error);
      ob_window_set_loading (self, FALSE);
      return;
    }

  /* The pages are all in already; anything else (a list changed while
   * loading) is replaced by the full result. */
  if (self->vm_rows_loaded != vms->len ||
      g_list_model_get_n_items (G_LIST_MODEL (self->vms)) != vms->len)
    g_list_store_splice (self->vms, 0, g_list_model_get_n_items (G_LIST_MODEL (self->vms)),
                         vms->pdata, vms->len);
  g_free (self->listed_search);
  self->listed_search = g_strdup (self->loading_search);
  ob_window_reselect (self);
  ob_window_set_loading (self, FALSE);
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
  if (self->reselect_template != NULL)
    {
      g_autofree char *id = g_steal_pointer (&self->reselect_template);
      GListModel *shown = G_LIST_MODEL (self->template_selection);

      for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
        {
          g_autoptr(ObTemplate) template = g_list_model_get_item (shown, i);

          if (g_strcmp0 (ob_template_get_id (template), id) == 0)
            gtk_single_selection_set_selected (self->template_selection, i);
        }
    }
  ob_window_update_state (self);
}

void
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
  g_free (self->loading_search);
  self->loading_search = g_strdup (search);
  ob_window_remember_selection (self);
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
  g_clear_handle_id (&self->fit_source, g_source_remove);
  g_clear_object (&self->selected_vm_signals);
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
  g_clear_pointer (&self->listed_search, g_free);
  g_clear_pointer (&self->loading_search, g_free);
  g_clear_pointer (&self->reselect_ids, g_hash_table_unref);
  g_clear_pointer (&self->reselect_template, g_free);

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

  g_type_ensure (OB_TYPE_SPINNER);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ovirtballoon/OvirtBalloon/ui/ob-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ObWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, switcher_squeezer);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, view_switcher);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, filter_button);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, url_entry);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, user_entry);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, password_entry);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, remember_check);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, connect_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, connect_error_label);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, cert_revealer);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, cert_fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, connect_spinner);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, connect_button);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, recent_label);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, server_search_box);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, server_search_entry);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, load_progress);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, browse_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, browse_error_label);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, vm_list_stack);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, vm_status_page);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, template_list_stack);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, template_status_page);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, vm_view);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, template_view);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, status_label);

  ob_window_connect_class_init (widget_class);
  ob_window_actions_class_init (widget_class);
  ob_window_toasts_class_init (widget_class);
}

static gboolean
ob_window_fit_columns_cb (gpointer data)
{
  ObWindow *self = data;

  self->fit_source = 0;
  ob_window_fit_columns (self, self->list_width);
  return G_SOURCE_REMOVE;
}

/* Changing columns while GTK allocates them leaves the list undrawn:
 * fit them once the allocation is over. */
static void
on_list_width_changed (ObWindow      *self,
                       GParamSpec    *pspec,
                       GtkAdjustment *adjustment)
{
  int width = (int) gtk_adjustment_get_page_size (adjustment);

  if (width <= 0)
    return;
  self->list_width = width;
  if (self->fit_source == 0)
    self->fit_source = g_idle_add (ob_window_fit_columns_cb, self);
}

static void
ob_window_init (ObWindow *self)
{
  GtkSortListModel *sorted;
  GtkSortListModel *template_sorted;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = ob_settings_new ();
  self->trust_store = ob_trust_store_new (NULL);
  self->vms = g_list_store_new (OB_TYPE_VM);
  self->selected_vm_signals = g_signal_group_new (OB_TYPE_VM);
  g_signal_group_connect_object (self->selected_vm_signals, "notify::status",
                                 G_CALLBACK (ob_window_update_state), self, G_CONNECT_SWAPPED);
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

  /* The list's visible width: narrow windows drop the lesser columns. */
  g_signal_connect_object (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->vm_view)), "notify::page-size",
                           G_CALLBACK (on_list_width_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->template_view)), "notify::page-size",
                           G_CALLBACK (on_list_width_changed), self, G_CONNECT_SWAPPED);

  gtk_search_bar_set_key_capture_widget (self->filter_bar, GTK_WIDGET (self->vm_view));
  gtk_search_bar_connect_entry (self->filter_bar, GTK_EDITABLE (self->filter_entry));

  ob_window_connect_init (self);
  ob_window_update_state (self);
}

ObWindow *
ob_window_new (ObApplication *app)
{
  return g_object_new (OB_TYPE_WINDOW, "application", app, NULL);
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
