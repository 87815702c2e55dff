/* ob-ovf-editor-window-save.c: saving in the OVF editor, and the questions
 * a save raises
 *
 * The core decides what a save may do (ob_ovf_document_save()); this file
 * turns its refusals into questions: a signed OVA is saved only once the
 * user agrees to drop the signature, a file changed on disk since it was
 * opened (OB_ERROR_CONFLICT) is offered Reload or Save As, and closing
 * with unsaved changes asks Save, Discard or Cancel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-dialog-util.h"
#include "ob-error.h"
#include "ob-ovf-chooser.h"
#include "ob-ovf-editor-window-private.h"

/* A modal question for @self with a "cancel" response (Escape). Shown by
 * the caller once its responses are added; only one at a time. */
static AdwMessageDialog *
new_prompt (ObOvfEditorWindow *self,
            const char        *title,
            const char        *heading,
            const char        *body)
{
  AdwMessageDialog *prompt = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));

  adw_message_dialog_add_response (prompt, "cancel", _("_Cancel"));
  adw_message_dialog_set_close_response (prompt, "cancel");
  gtk_window_set_modal (GTK_WINDOW (prompt), TRUE);
  gtk_window_set_title (GTK_WINDOW (prompt), title);
  return prompt;
}

static void
show_prompt (ObOvfEditorWindow *self,
             AdwMessageDialog  *prompt,
             GCallback          response_cb)
{
  self->prompt = GTK_WINDOW (prompt);
  g_signal_connect_object (prompt, "response", response_cb, self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (prompt));
}

/* Forgets @prompt, still emitting "response" (and its button "clicked"):
 * it goes once that has returned. */
static void
end_prompt (ObOvfEditorWindow *self,
            GtkWindow         *prompt,
            gpointer           handler)
{
  if (self->prompt == prompt)
    self->prompt = NULL;
  g_signal_handlers_disconnect_by_func (prompt, handler, self);
  gtk_widget_set_visible (GTK_WIDGET (prompt), FALSE);
  ob_dialog_destroy_later (prompt);
}

static void
choose_save_as (ObOvfEditorWindow *self);

/* ---------------------------------------------------------------------- */
/* A file changed on disk since it was opened                             */

static void
conflict_response_cb (ObOvfEditorWindow *self,
                      const char        *response,
                      GtkWindow         *prompt)
{
  end_prompt (self, prompt, conflict_response_cb);

  if (g_strcmp0 (response, "reload") == 0)
    ob_ovf_editor_window_reload (self);
  else if (g_strcmp0 (response, "save-as") == 0)
    choose_save_as (self);
}

static void
ask_conflict (ObOvfEditorWindow *self)
{
  g_autofree char *basename = g_file_get_basename (self->file);
  g_autofree char *heading = NULL;
  AdwMessageDialog *prompt;

  /* Translators: %s is a file name */
  heading = g_strdup_printf (_("“%s” Changed on Disk"), basename);
  /* Every OVA save streams the original archive's other members, so a
   * changed OVA cannot be saved elsewhere either. */
  if (ob_ovf_document_get_format (self->document) == OB_OVF_FORMAT_OVA)
    prompt = new_prompt (self, _("File Changed"), heading,
                         _("Another program changed the archive after it was opened here, so it was not "
                           "saved. Reload reads the archive again and discards your balloon change."));
  else
    {
      prompt = new_prompt (self, _("File Changed"), heading,
                           _("Another program changed the file after it was opened here, so it was not "
                             "saved. Reload reads the file again and discards your balloon change; "
                             "Save As keeps your change in another file."));
      adw_message_dialog_add_response (prompt, "save-as", _("Save _As…"));
      adw_message_dialog_set_response_appearance (prompt, "save-as", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (prompt, "save-as");
    }
  adw_message_dialog_add_response (prompt, "reload", _("_Discard and Reload"));
  adw_message_dialog_set_response_appearance (prompt, "reload", ADW_RESPONSE_DESTRUCTIVE);
  show_prompt (self, prompt, G_CALLBACK (conflict_response_cb));
}

/* ---------------------------------------------------------------------- */
/* Saving                                                                 */

static void
save_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(ObOvfEditorWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean close_after = self->close_after_save;
  /* The document forgets a signature the save dropped before this runs. */
  g_autofree char *cert = g_steal_pointer (&self->saving_cert);
  gboolean saved;

  saved = ob_ovf_document_save_finish (OB_OVF_DOCUMENT (source), result, &error);
  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;

  self->close_after_save = FALSE;
  self->saving = FALSE;
  g_clear_object (&self->cancellable);
  ob_ovf_editor_window_set_busy (self, FALSE);

  if (!saved)
    {
      if (g_error_matches (error, OB_ERROR, OB_ERROR_CONFLICT) && self->prompt == NULL)
        ask_conflict (self);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ob_ovf_editor_window_show_error (self, _("The file could not be saved. It was left unchanged."), error);
      ob_ovf_editor_window_update_actions (self);
      return;
    }

  ob_ovf_editor_window_saved (self);
  if (close_after)
    gtk_window_destroy (GTK_WINDOW (self));
  else if (cert != NULL && ob_ovf_document_get_signature_member (self->document) == NULL)
    {
      g_autofree char *basename = g_file_get_basename (self->file);
      g_autofree char *title = NULL;

      /* Translators: a file name, then its signature member (vm.cert) */
      title = g_strdup_printf (_("“%s” saved; its signature “%s” was removed"), basename, cert);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (gtk_window_get_child (GTK_WINDOW (self))),
                                   adw_toast_new (title));
    }
  else
    ob_dialog_toast_saved (GTK_WINDOW (self), self->file);
}

static void
start_save (ObOvfEditorWindow *self,
            GFile             *target)
{
  self->cancellable = g_cancellable_new ();
  self->saving = TRUE;
  g_free (self->saving_cert);
  self->saving_cert = g_strdup (ob_ovf_document_get_signature_member (self->document));
  ob_ovf_editor_window_set_busy (self, TRUE);
  ob_ovf_document_save_async (self->document, target, FALSE, self->cancellable,
                              save_cb, g_object_ref (self));
}

static void
signature_response_cb (ObOvfEditorWindow *self,
                       const char        *response,
                       GtkWindow         *prompt)
{
  g_autoptr(GFile) target = g_steal_pointer (&self->prompt_target);

  end_prompt (self, prompt, signature_response_cb);
  if (g_strcmp0 (response, "drop") != 0 || self->document == NULL || self->busy)
    {
      self->close_after_save = FALSE;
      return;
    }
  ob_ovf_document_set_drop_signature (self->document, TRUE);
  start_save (self, target);
}

/* The core refuses to break a signature unless told to: ask first. */
static void
ask_drop_signature (ObOvfEditorWindow *self,
                    GFile             *target)
{
  const char *cert = ob_ovf_document_get_signature_member (self->document);
  g_autofree char *body = NULL;
  AdwMessageDialog *prompt;

  /* Translators: %s is the OVA's signature member, such as vm.cert */
  body = g_strdup_printf (_("Saving breaks the signature; the signature “%s” will be removed."), cert);
  prompt = new_prompt (self, _("Signed OVA"), _("This OVA Is Signed"), body);
  adw_message_dialog_add_response (prompt, "drop", _("_Remove Signature and Save"));
  adw_message_dialog_set_response_appearance (prompt, "drop", ADW_RESPONSE_DESTRUCTIVE);
  g_set_object (&self->prompt_target, target);
  show_prompt (self, prompt, G_CALLBACK (signature_response_cb));
}

void
ob_ovf_editor_window_save_to (ObOvfEditorWindow *self,
                              GFile             *target)
{
  if (self->document == NULL || self->busy)
    return;
  if (self->prompt != NULL)
    {
      self->close_after_save = FALSE;
      gtk_window_present (self->prompt);
      return;
    }

  if (ob_ovf_document_get_manifest_state (self->document) == OB_OVF_MANIFEST_SIGNED &&
      (target != NULL || ob_ovf_document_get_modified (self->document)))
    ask_drop_signature (self, target);
  else
    start_save (self, target);
}

void
ob_ovf_editor_window_save_as (ObOvfEditorWindow *self,
                              GFile             *destination)
{
  g_return_if_fail (OB_IS_OVF_EDITOR_WINDOW (self));
  g_return_if_fail (G_IS_FILE (destination));

  ob_ovf_editor_window_save_to (self, destination);
}

void
ob_ovf_editor_window_save_and_close (ObOvfEditorWindow *self)
{
  g_return_if_fail (OB_IS_OVF_EDITOR_WINDOW (self));

  if (!ob_ovf_editor_window_get_modified (self))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  self->close_after_save = TRUE;
  ob_ovf_editor_window_save_to (self, NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ob_ovf_editor_window_save_to (OB_OVF_EDITOR_WINDOW (widget), NULL);
}

static void
choose_save_as (ObOvfEditorWindow *self)
{
  if (self->chooser != NULL || self->document == NULL)
    return;

  ob_ovf_editor_window_show_chooser (self, ob_ovf_chooser_new_save_as (GTK_WINDOW (self), self->file),
                                     ob_ovf_editor_window_save_as);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  choose_save_as (OB_OVF_EDITOR_WINDOW (widget));
}

/* ---------------------------------------------------------------------- */
/* Closing with unsaved changes                                           */

static void
close_prompt_response_cb (ObOvfEditorWindow *self,
                          const char        *response_id,
                          GtkWindow         *prompt)
{
  int response = ob_dialog_save_changes_response (response_id);

  end_prompt (self, prompt, close_prompt_response_cb);

  switch (response)
    {
    case OB_SAVE_CHANGES_SAVE:
      self->close_after_save = TRUE;
      ob_ovf_editor_window_save_to (self, NULL);
      break;

    case OB_SAVE_CHANGES_DISCARD:
      g_clear_object (&self->document);
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      ob_dialog_destroy_later (GTK_WINDOW (self));
      break;

    default:
      break;
    }
}

gboolean
ob_ovf_editor_window_hold_close (ObOvfEditorWindow *self)
{
  GtkWindow *prompt;
  g_autofree char *basename = NULL;
  g_autofree char *message = NULL;

  /* A save is running: close when it succeeds (a failure shows why and
   * keeps the window). */
  if (self->saving)
    {
      self->close_after_save = TRUE;
      return TRUE;
    }

  /* A load is running: stop it. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  if (self->document == NULL || !ob_ovf_document_get_modified (self->document))
    return FALSE;

  if (self->prompt != NULL)
    {
      gtk_window_present (self->prompt);
      return TRUE;
    }

  basename = g_file_get_basename (self->file);
  message = g_strdup_printf (_("Save the changes to “%s” before closing?"), basename);
  prompt = ob_dialog_new_save_changes (GTK_WINDOW (self), message,
                                       _("If you do not save, the balloon change is lost."));
  show_prompt (self, ADW_MESSAGE_DIALOG (prompt), G_CALLBACK (close_prompt_response_cb));
  return TRUE;
}

void
ob_ovf_editor_window_class_init_save (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.save-as", NULL);
}
