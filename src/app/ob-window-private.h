/* ob-window-private.h: what the main window's files share
 *
 * The window is one class in four files: ob-window.c (life cycle, list
 * loading, state), ob-window-connect.c (the connect page),
 * ob-window-actions.c (the browse actions) and ob-window-columns.c (the
 * column views' cells and sorters).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <libsecret/secret.h>

#include "ob-sandbox.h"
#include "ob-trust-store.h"
#include "ob-window.h"
#include "ob-spinner.h"

G_BEGIN_DECLS

struct _ObWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  GtkStack             *main_stack;
  AdwWindowTitle       *window_title;
  AdwSqueezer          *switcher_squeezer;
  GtkWidget            *view_switcher;
  AdwViewSwitcherBar   *switcher_bar;
  AdwToastOverlay      *toast_overlay;
  GtkWidget            *refresh_button;
  GtkWidget            *filter_button;
  GtkEntry             *url_entry;
  GtkEntry             *user_entry;
  GtkPasswordEntry     *password_entry;
  GtkCheckButton       *remember_check;
  GtkRevealer          *connect_error_revealer;
  GtkLabel             *connect_error_label;
  GtkRevealer          *cert_revealer;
  GtkLabel             *cert_fingerprint_label;
  ObSpinner            *connect_spinner;
  GtkWidget            *connect_button;
  GtkWidget            *recent_label;
  GtkListBox           *recent_list;
  GtkSearchBar         *filter_bar;
  GtkSearchEntry       *filter_entry;
  GtkWidget            *server_search_box;
  GtkEntry             *server_search_entry;
  GtkRevealer          *progress_revealer;
  GtkProgressBar       *load_progress;
  GtkRevealer          *browse_error_revealer;
  GtkLabel             *browse_error_label;
  AdwViewStack         *view_stack;
  GtkStack             *vm_list_stack;
  AdwStatusPage        *vm_status_page;
  GtkStack             *template_list_stack;
  AdwStatusPage        *template_status_page;
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
  GSignalGroup         *selected_vm_signals;  /* the one selected VM's */

  char                 *listed_search;  /* the search that gave the listed VMs */
  char                 *loading_search; /* the search of the load in progress */
  GHashTable           *reselect_ids;   /* VMs to select again once reloaded */
  char                 *reselect_template;

  gboolean              loading;
  /* Rows of the load in progress already in the store. */
  guint                 vm_rows_loaded;
  gboolean              painted;        /* the first frame was drawn */
  guint                 fit_source;     /* columns to fit after this allocation */
  int                   list_width;
};

/* ob-window.c */
void        ob_window_update_state           (ObWindow      *self);
void        ob_window_reload                 (ObWindow      *self);
void        ob_window_set_loading            (ObWindow      *self,
                                              gboolean       loading);
void        ob_window_notify_client          (ObWindow      *self);
GPtrArray  *ob_window_dup_selected_vms       (ObWindow      *self);
gboolean    ob_window_templates_shown        (ObWindow      *self);
/* Names the engine (user · host, or the local sandbox) under the title;
 * @connection NULL: disconnected. */
void        ob_window_show_engine            (ObWindow      *self,
                                              ObConnection  *connection);

/* ob-window-connect.c */
void        ob_window_connect_class_init     (GtkWidgetClass *widget_class);
void        ob_window_connect_init           (ObWindow      *self);
/* Logs in to a sandbox engine at @url with its demo account. */
void        ob_window_connect_demo_url       (ObWindow      *self,
                                              const char    *url);
/* Starts @sandbox (configured, not started; the window keeps it) and
 * connects to it; errors are shown in the connect view. */
void        ob_window_start_sandbox_with     (ObWindow      *self,
                                              ObSandbox     *sandbox);

/* ob-window-actions.c */
void        ob_window_actions_class_init     (GtkWidgetClass *widget_class);
void        ob_window_update_switcher_bar    (ObWindow      *self);
void        ob_window_edit_vm                (ObWindow      *self,
                                              ObVm          *vm);

/* ob-window-toasts.c */
void        ob_window_toasts_class_init      (GtkWidgetClass *widget_class);
void        ob_window_toast                  (ObWindow      *self,
                                              const char    *title);
/* Toasts what @dialog (a New VM, Run Once, bulk or Edit VM dialog of
 * @vm) did, once it is done. */
void        ob_window_watch_dialog           (ObWindow      *self,
                                              GtkWindow     *dialog,
                                              ObVm          *vm);

/* ob-window-columns.c */
void        ob_window_setup_vm_columns       (ObWindow      *self);
void        ob_window_setup_template_columns (ObWindow      *self);
void        ob_window_sort_by_first_column   (GtkColumnView *view);
/* The tooltip a list cell shows when hovered, or NULL. */
char       *ob_window_cell_dup_tooltip       (GtkWidget     *cell);
/* Hides the lesser columns when the list is narrower than they need. */
void        ob_window_fit_columns            (ObWindow      *self,
                                              int            width);

G_END_DECLS
