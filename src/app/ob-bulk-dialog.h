/* ob-bulk-dialog.h: enable or disable the balloon on many VMs, with
 * progress and the result for each VM
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ob-client.h"

G_BEGIN_DECLS

#define OB_TYPE_BULK_DIALOG (ob_bulk_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ObBulkDialog, ob_bulk_dialog, OB, BULK_DIALOG, GtkWindow)

/* Starts at once on @vms (GPtrArray of ObVm). VMs whose level forbids the
 * balloon are skipped with the reason. Action "dialog.cancel" stops it.
 * Signal "finished" when done (or stopped); property "busy". */
ObBulkDialog *ob_bulk_dialog_new         (GtkWindow    *parent,
                                          ObClient     *client,
                                          GPtrArray    *vms,
                                          gboolean      enable);

gboolean      ob_bulk_dialog_get_busy    (ObBulkDialog *self);

/* GPtrArray of ObBalloonResult in the order of the VMs, NULL until done
 * (and after a stop). */
GPtrArray    *ob_bulk_dialog_get_results (ObBulkDialog *self);

G_END_DECLS
