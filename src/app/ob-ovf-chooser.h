/* ob-ovf-chooser.h: choosing OVF files and OVA archives: choosers, drops
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Modal choosers with the OVF/OVA filters; show them with
 * gtk_native_dialog_show() and read the file in "response". (transfer full) */
GtkNativeDialog *ob_ovf_chooser_new_open    (GtkWindow *parent);
/* Starts in @file's folder with its name. */
GtkNativeDialog *ob_ovf_chooser_new_save_as (GtkWindow *parent,
                                             GFile     *file);

/* A drop target for a dragged file (or the first of several). */
GtkDropTarget   *ob_ovf_drop_target_new     (void);
/* The file in a dropped @value, or NULL. (transfer none) */
GFile           *ob_ovf_drop_get_file       (const GValue *value);

G_END_DECLS
