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

/* Shows what the change will do to @vms (GPtrArray of ObVm, as loaded)
 * before sending anything: counts per kind and a confirm button that
 * states how many VMs get requests ("dialog.confirm", or
 * ob_bulk_dialog_start()). VMs whose level forbids the balloon, and VMs
 * that already have the value, are not sent. When none would be sent the
 * results are shown at once. Action "dialog.cancel" stops a run;
 * "dialog.copy" copies the results shown. Signal "finished" when done
 * (or stopped); property "busy". */
ObBulkDialog *ob_bulk_dialog_new         (GtkWindow    *parent,
                                          ObClient     *client,
                                          GPtrArray    *vms,
                                          gboolean      enable);

void          ob_bulk_dialog_start       (ObBulkDialog *self);
gboolean      ob_bulk_dialog_get_busy    (ObBulkDialog *self);
/* The results the filter (All, Failed, Skipped) shows, one line per VM:
 * "NAME<TAB>OUTCOME<TAB>DETAIL\n"; "" before the results. */
char         *ob_bulk_dialog_dup_shown_text (ObBulkDialog *self);

/* GPtrArray of ObBalloonResult in the order of the VMs, NULL until done
 * (and after a stop). */
GPtrArray    *ob_bulk_dialog_get_results (ObBulkDialog *self);

G_END_DECLS
