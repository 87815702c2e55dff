/* ob-run-once-dialog.h: the Run Once dialog with its one-run balloon choice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ob-client.h"

G_BEGIN_DECLS

#define OB_TYPE_RUN_ONCE_DIALOG (ob_run_once_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ObRunOnceDialog, ob_run_once_dialog, OB, RUN_ONCE_DIALOG, GtkWindow)

/* The checkbox starts from @vm's stored value; the choice applies to this
 * run only. On an engine that ignores the override the dialog explains it
 * and offers the client's emulation. Action "dialog.run"; signal "finished"
 * (gboolean started) after the attempt, whose outcome stays shown in the
 * dialog. Property "busy". */
ObRunOnceDialog *ob_run_once_dialog_new      (GtkWindow       *parent,
                                              ObClient        *client,
                                              ObVm            *vm);

gboolean         ob_run_once_dialog_get_busy (ObRunOnceDialog *self);

G_END_DECLS
