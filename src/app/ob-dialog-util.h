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

/* What the connect view shows for a failed login to @url: a plain
 * sentence first, the engine's own text after it, and a hint when an
 * https:// address gets no TLS answer. Free with g_free(). */
char       *ob_dialog_connect_error_text (const GError *error,
                                          const char   *url);

/* Responses of ob_dialog_new_save_changes() besides GTK_RESPONSE_CANCEL. */
enum
{
  OB_SAVE_CHANGES_SAVE = 1,
  OB_SAVE_CHANGES_DISCARD = 2,
};

/* A modal "Unsaved Changes" question for @parent with Cancel, Discard
 * and Save (the default); @message is the question, @detail below it.
 * Not shown yet. */
GtkWindow  *ob_dialog_new_save_changes (GtkWindow  *parent,
                                        const char *message,
                                        const char *detail);

/* Destroys @window from an idle callback: for a window whose own signal
 * emission (a dialog's "response", a button's "clicked") is still on the
 * stack, which destroying it at once would free under GTK's feet. */
void        ob_dialog_destroy_later (GtkWindow  *window);

G_END_DECLS
