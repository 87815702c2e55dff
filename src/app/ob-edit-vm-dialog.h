/* ob-edit-vm-dialog.h: the Edit VM dialog (General, Resource Allocation)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ob-client.h"

G_BEGIN_DECLS

#define OB_TYPE_EDIT_VM_DIALOG (ob_edit_vm_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ObEditVmDialog, ob_edit_vm_dialog, OB, EDIT_VM_DIALOG, GtkWindow)

/* Edits @vm (updated in place when saved). Actions: "dialog.save" (OK),
 * "dialog.overwrite" and "dialog.reload" (after a conflict). Signal
 * "saved" is emitted once the engine took the change, then the dialog
 * closes; faults and conflicts are shown inside it and it stays open.
 * Property "busy" is TRUE while a request runs. */
ObEditVmDialog *ob_edit_vm_dialog_new      (GtkWindow      *parent,
                                            ObClient       *client,
                                            ObVm           *vm);

ObVm           *ob_edit_vm_dialog_get_vm   (ObEditVmDialog *self);
gboolean        ob_edit_vm_dialog_get_busy (ObEditVmDialog *self);

G_END_DECLS
