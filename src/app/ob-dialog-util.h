/* ob-dialog-util.h: what the dialogs share: showing a GError from the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A translated headline for a core error ("The engine refused the
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

/* Destroys @window from an idle callback: for a window whose own signal
 * emission (a dialog's "response", a button's "clicked") is still on the
 * stack, which destroying it at once would free under GTK's feet. */
void        ob_dialog_destroy_later (GtkWindow  *window);

G_END_DECLS
