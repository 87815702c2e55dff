/* ob-ovf-editor-window-private.h: what the OVF editor window's files share
 *
 * The window is one class in two files: ob-ovf-editor-window.c (life
 * cycle, loading, the member picker, presentation) and
 * ob-ovf-editor-window-save.c (saving, Save As, and the questions a save
 * can raise: unsaved changes on closing, a signed OVA, a file changed on
 * disk since it was opened).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ob-ovf-document.h"
#include "ob-ovf-editor-window.h"
#include "ob-spinner.h"

G_BEGIN_DECLS

struct _ObOvfEditorWindow
{
  GtkApplicationWindow parent_instance;

  ObOvfDocument *document;
  GFile         *file;
  GCancellable  *cancellable;      /* the running load or save, if any */
  GtkNativeDialog *chooser;        /* the open or save-as chooser, if shown */
  void         (*chosen) (ObOvfEditorWindow *self,
                          GFile             *file);  /* what its file is for */
  GtkWindow     *prompt;           /* the question shown, if any */
  GFile         *prompt_target;    /* the save waiting on it: its destination */
  char          *saving_cert;      /* the signature of the OVA being saved */
  gboolean       busy;
  gboolean       saving;
  gboolean       close_after_save; /* "Save" chosen in the close prompt */
  gboolean       updating;         /* widgets are being set from the document */
  gboolean       saved_enabled;    /* the balloon as the file on disk has it */
  ObOvfBalloonSource saved_source;
  char          *saved_engine_xml; /* its EngineXml summary, or NULL */

  /* Template widgets */
  GtkWidget     *info_bar;
  GtkLabel      *info_label;
  GtkStack      *stack;
  ObSpinner     *spinner;
  GtkWidget     *save_button;
  GtkWidget     *cancel_button;
  GtkWidget     *menu_button;
  GtkLabel      *name_label;
  GtkLabel      *file_label;
  GtkWidget     *member_caption;
  GtkDropDown   *member_dropdown;
  GtkLabel      *flavour_label;
  GtkWidget     *manifest_caption;
  GtkLabel      *manifest_label;
  GtkLabel      *level_label;
  GtkLabel      *state_label;
  GtkCheckButton *balloon_check;
  GtkLabel      *reason_label;
  GtkCheckButton *force_check;
  AdwActionRow  *engine_xml_row;
  GtkLabel      *vdsm_label;
  GtkLabel      *libvirt_label;
};

/* ob-ovf-editor-window.c */
void     ob_ovf_editor_window_show_error    (ObOvfEditorWindow *self,
                                             const char        *summary,
                                             const GError      *error);
void     ob_ovf_editor_window_set_busy      (ObOvfEditorWindow *self,
                                             gboolean           busy);
void     ob_ovf_editor_window_update_actions (ObOvfEditorWindow *self);
/* Shows @chooser (transfer full); its accepted file goes to @chosen. */
void     ob_ovf_editor_window_show_chooser  (ObOvfEditorWindow *self,
                                             GtkNativeDialog   *chooser,
                                             void             (*chosen) (ObOvfEditorWindow *self,
                                                                         GFile             *file));
/* After a successful save: the saved state, the note, the labels. */
void     ob_ovf_editor_window_saved         (ObOvfEditorWindow *self);
/* Loads the shown file (and OVA member) again, dropping any edit. */
void     ob_ovf_editor_window_reload        (ObOvfEditorWindow *self);

/* ob-ovf-editor-window-save.c */
/* Saves to @target (NULL: in place), asking first before dropping a
 * signature. */
void     ob_ovf_editor_window_save_to       (ObOvfEditorWindow *self,
                                             GFile             *target);
/* The window's close request: TRUE holds the window open (a save runs, or
 * the unsaved-changes question is asked). */
gboolean ob_ovf_editor_window_hold_close    (ObOvfEditorWindow *self);
/* Installs win.save, win.save-as and their shortcuts. */
void     ob_ovf_editor_window_class_init_save (GtkWidgetClass  *widget_class);

G_END_DECLS
