/* ob-window.h: the main window: connect view, VM and template lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ob-application.h"
#include "ob-client.h"

G_BEGIN_DECLS

#define OB_TYPE_WINDOW (ob_window_get_type ())
G_DECLARE_FINAL_TYPE (ObWindow, ob_window, OB, WINDOW, AdwApplicationWindow)

ObWindow   *ob_window_new              (ObApplication *app);

/* Prefills the connect view's URL. */
void        ob_window_set_engine_url   (ObWindow      *self,
                                        const char    *url);

/* Starts the in-process sandbox engine (demo data) and connects to it;
 * errors are shown in the connect view. */
void        ob_window_connect_sandbox  (ObWindow      *self);

/* The client once connected, else NULL. Property "client". */
ObClient   *ob_window_get_client       (ObWindow      *self);

/* The loaded VMs and templates (GListModel of ObVm / ObTemplate), unfiltered. */
GListModel *ob_window_get_vms          (ObWindow      *self);
GListModel *ob_window_get_templates    (ObWindow      *self);

/* TRUE while the VM list loads. Property "loading". */
gboolean    ob_window_get_loading      (ObWindow      *self);

G_END_DECLS
