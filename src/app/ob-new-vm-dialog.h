/* ob-new-vm-dialog.h: the New VM dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ob-client.h"

G_BEGIN_DECLS

#define OB_TYPE_NEW_VM_DIALOG (ob_new_vm_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ObNewVmDialog, ob_new_vm_dialog, OB, NEW_VM_DIALOG, GtkWindow)

/* @clusters: GListModel of ObCluster; @templates: of ObTemplate. The
 * balloon is checked by default, and unchecked and insensitive (with the
 * policy's reason) on a cluster that does not allow it. Action
 * "dialog.create"; signal "created" (ObVm *vm) once the engine made it,
 * then the dialog closes; faults are shown inside. Property "busy". */
ObNewVmDialog *ob_new_vm_dialog_new      (GtkWindow     *parent,
                                          ObClient      *client,
                                          GListModel    *clusters,
                                          GListModel    *templates);

gboolean       ob_new_vm_dialog_get_busy (ObNewVmDialog *self);

/* The note the engine side gave when it created the VM (e.g. the balloon
 * was left off because of the level), or NULL. */
const char    *ob_new_vm_dialog_get_note (ObNewVmDialog *self);

G_END_DECLS
