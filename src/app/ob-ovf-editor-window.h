/* ob-ovf-editor-window.h: the offline editor for one OVF file or OVA archive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define OB_TYPE_OVF_EDITOR_WINDOW (ob_ovf_editor_window_get_type ())
G_DECLARE_FINAL_TYPE (ObOvfEditorWindow, ob_ovf_editor_window, OB, OVF_EDITOR_WINDOW, GtkApplicationWindow)

/* A new, empty editor window (it offers "Open…"); works with no engine. */
ObOvfEditorWindow *ob_ovf_editor_window_new           (GtkApplication    *app);

/* Starts loading @file (.ovf or .ova) asynchronously; the window shows a
 * spinner and a Stop button meanwhile, and any error inside itself.
 * Replaces the current document (even a modified one) once the new one
 * has loaded, so call it on a new window; the chooser and drops route a
 * second file to a new window themselves. */
void               ob_ovf_editor_window_open_file     (ObOvfEditorWindow *self,
                                                       GFile             *file);

/* Shows the file chooser ("Open…", Ctrl+O in this window). The chosen file
 * loads in this window when it is empty, else in a new editor window. */
void               ob_ovf_editor_window_choose_file   (ObOvfEditorWindow *self);

/* Saves the document to @destination (Save As; the window then shows
 * that file), asynchronously, with the core's atomic save. Errors are
 * shown in the window. */
void               ob_ovf_editor_window_save_as       (ObOvfEditorWindow *self,
                                                       GFile             *destination);

/* Saves the document in place, then destroys the window; a failed save
 * keeps the window and shows why. Destroys at once when nothing is
 * modified. */
void               ob_ovf_editor_window_save_and_close (ObOvfEditorWindow *self);

/* The file shown (NULL before the first successful load). */
GFile             *ob_ovf_editor_window_get_file      (ObOvfEditorWindow *self);

/* TRUE while a load or save runs (property "busy"). */
gboolean           ob_ovf_editor_window_get_busy      (ObOvfEditorWindow *self);

/* TRUE when the document has unsaved changes (property "modified"). */
gboolean           ob_ovf_editor_window_get_modified  (ObOvfEditorWindow *self);

G_END_DECLS
