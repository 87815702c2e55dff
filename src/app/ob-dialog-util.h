/* ob-dialog-util.h: what the dialogs share: showing a GError from a library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A translated headline for an OB_ERROR ("The engine refused the
 * change", "Cannot reach the engine"...), from its OB_ERROR code. */
const char *ob_dialog_error_title (const GError *error);

/* Shows or hides @revealer. Hidden revealers are also made invisible so a
 * dialog's box spacing does not leave gaps for them. */
void        ob_dialog_reveal      (GtkRevealer  *revealer,
                                   gboolean      reveal);

/* Fills @reason_label with the headline and @detail_label with the
 * engine's reason and detail (the error message), and reveals @revealer;
 * @error NULL hides it. */
void        ob_dialog_show_error  (GtkRevealer  *revealer,
                                   GtkLabel     *reason_label,
                                   GtkLabel     *detail_label,
                                   const GError *error);

G_END_DECLS
