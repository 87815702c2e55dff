/* ob-ovf-editor-window.c: the offline editor for one OVF file or OVA archive
 *
 * The window has no OVF logic: loading, the balloon rule and saving are the
 * core's (ob-ovf-document.h, ob-balloon-policy.h, ob-host-payload.h); this
 * file only maps them to widgets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-dialog-util.h"
#include "ob-error.h"
#include "ob-host-payload.h"
#include "ob-ovf-balloon-view.h"
#include "ob-ovf-chooser.h"
#include "ob-ovf-document.h"
#include "ob-ovf-editor-window.h"

struct _ObOvfEditorWindow
{
  GtkApplicationWindow parent_instance;

  ObOvfDocument *document;
  GFile         *file;
  GCancellable  *cancellable;      /* the running load or save, if any */
  GtkNativeDialog *chooser;        /* the open or save-as chooser, if shown */
  GtkWindow     *close_prompt;     /* the unsaved-changes question, if shown */
  gboolean       busy;
  gboolean       saving;
  gboolean       close_after_save; /* "Save" chosen in the close prompt */
  gboolean       updating;         /* widgets are being set from the document */
  gboolean       saved_enabled;    /* the balloon as the file on disk has it */
  ObOvfBalloonSource saved_source;

  /* Template widgets */
  GtkWidget     *info_bar;
  GtkLabel      *info_label;
  GtkStack      *stack;
  GtkSpinner    *spinner;
  GtkWidget     *save_button;
  GtkWidget     *cancel_button;
  GtkWidget     *menu_button;
  GtkLabel      *name_label;
  GtkLabel      *file_label;
  GtkLabel      *level_label;
  GtkLabel      *state_label;
  GtkCheckButton *balloon_check;
  GtkLabel      *reason_label;
  GtkCheckButton *force_check;
  GtkLabel      *vdsm_label;
  GtkLabel      *libvirt_label;
};

G_DEFINE_FINAL_TYPE (ObOvfEditorWindow, ob_ovf_editor_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_FILE,
  PROP_BUSY,
  PROP_MODIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------------- */
/* Presentation                                                           */

static void
show_error (ObOvfEditorWindow *self,
            const char        *summary,
            const GError      *error)
{
  g_autofree char *text = NULL;

  if (error != NULL)
    text = g_strdup_printf ("%s\n%s", summary, error->message);
  else
    text = g_strdup (summary);
  gtk_label_set_text (self->info_label, text);
  gtk_info_bar_set_message_type (GTK_INFO_BAR (self->info_bar), GTK_MESSAGE_ERROR);
  gtk_info_bar_set_revealed (GTK_INFO_BAR (self->info_bar), TRUE);
}

static void
hide_error (ObOvfEditorWindow *self)
{
  gtk_info_bar_set_revealed (GTK_INFO_BAR (self->info_bar), FALSE);
}

static void
on_info_bar_response (ObOvfEditorWindow *self,
                      int                response_id)
{
  hide_error (self);
}

static void
update_title (ObOvfEditorWindow *self)
{
  g_autofree char *basename = NULL;
  g_autofree char *title = NULL;

  if (self->file == NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("OVF Editor"));
      return;
    }
  basename = g_file_get_basename (self->file);
  if (self->document != NULL && ob_ovf_document_get_modified (self->document))
    /* Translators: the window title of a file with unsaved changes */
    title = g_strdup_printf (_("• %s — OVF Editor"), basename);
  else
    title = g_strdup_printf (_("%s — OVF Editor"), basename);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
update_actions (ObOvfEditorWindow *self)
{
  gboolean have_doc = self->document != NULL;
  gboolean modified = have_doc && ob_ovf_document_get_modified (self->document);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save", !self->busy && modified);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-as", !self->busy && have_doc);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), !self->busy);
}

static void
update_preview (ObOvfEditorWindow *self)
{
  gboolean enabled = gtk_check_button_get_active (self->balloon_check);
  g_autofree char *vdsm = ob_host_payload_vdsm_balloon (enabled);
  g_autofree char *libvirt = ob_host_payload_libvirt_memballoon (enabled, NULL);

  gtk_label_set_text (self->vdsm_label, vdsm);
  gtk_label_set_text (self->libvirt_label, libvirt);
}

/* Sets the checkbox, the reason and the force option from the document and
 * the one balloon rule. */
static void
update_balloon (ObOvfEditorWindow *self)
{
  g_auto(ObOvfBalloonView) view = { 0 };

  ob_ovf_balloon_view_init (&view, self->document, self->saved_enabled, self->saved_source,
                            gtk_check_button_get_active (self->force_check));

  self->updating = TRUE;
  gtk_check_button_set_active (self->balloon_check, view.enabled);
  gtk_label_set_text (self->state_label, view.state);
  gtk_label_set_text (self->level_label, view.level);
  gtk_widget_remove_css_class (GTK_WIDGET (self->reason_label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->reason_label), "error");
  if (view.reason_style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->reason_label), view.reason_style);
  gtk_label_set_text (self->reason_label, view.reason != NULL ? view.reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), view.reason != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->force_check), view.force_visible);
  if (view.force_cleared)
    gtk_check_button_set_active (self->force_check, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->balloon_check), view.check_sensitive);
  self->updating = FALSE;

  update_preview (self);
}

/* What the file on disk says, after a load or a save. */
static void
remember_saved_state (ObOvfEditorWindow *self)
{
  self->saved_enabled = ob_ovf_document_get_balloon_enabled (self->document);
  self->saved_source = ob_ovf_document_get_balloon_source (self->document);
}

static void
update_all (ObOvfEditorWindow *self)
{
  g_autofree char *path = NULL;
  const char *name;

  if (self->document == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      update_title (self);
      update_actions (self);
      return;
    }

  name = ob_ovf_document_get_name (self->document);
  gtk_label_set_text (self->name_label, name != NULL && *name != '\0' ? name : _("(unnamed)"));

  path = g_file_get_parse_name (self->file);
  if (ob_ovf_document_get_format (self->document) == OB_OVF_FORMAT_OVA)
    {
      /* Translators: a file path, then the OVF member inside the OVA archive */
      g_autofree char *text = g_strdup_printf (_("%s (OVA archive, member %s)"), path,
                                               ob_ovf_document_get_ova_member (self->document));
      gtk_label_set_text (self->file_label, text);
    }
  else
    gtk_label_set_text (self->file_label, path);

  update_balloon (self);
  gtk_stack_set_visible_child_name (self->stack, "document");
  update_title (self);
  update_actions (self);
}

static void
set_busy (ObOvfEditorWindow *self,
          gboolean           busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (self->cancel_button, busy);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* ---------------------------------------------------------------------- */
/* The checkbox                                                           */

static void
on_balloon_check_toggled (ObOvfEditorWindow *self)
{
  g_autoptr(GError) error = NULL;
  gboolean was_modified;
  gboolean active;

  if (self->updating || self->document == NULL)
    return;

  active = gtk_check_button_get_active (self->balloon_check);
  was_modified = ob_ovf_document_get_modified (self->document);

  if (!ob_ovf_document_set_balloon_enabled (self->document, active,
                                            gtk_check_button_get_active (self->force_check)
                                            || ob_ovf_balloon_view_restores (active, self->saved_enabled),
                                            &error))
    {
      show_error (self, _("The balloon cannot be changed."), error);
      update_balloon (self);
      return;
    }

  hide_error (self);
  update_balloon (self);
  update_title (self);
  update_actions (self);
  if (was_modified != ob_ovf_document_get_modified (self->document))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

static void
on_force_check_toggled (ObOvfEditorWindow *self)
{
  if (self->updating || self->document == NULL)
    return;
  update_balloon (self);
}

/* ---------------------------------------------------------------------- */
/* Loading                                                                */

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(ObOvfEditorWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfDocument) document = NULL;

  gboolean stopped;

  document = ob_ovf_document_load_finish (result, &error);
  /* The window was closed meanwhile: its widgets are gone. */
  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  /* "Stop" wins even when the worker finished first. */
  stopped = self->cancellable != NULL && g_cancellable_is_cancelled (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (stopped)
    return;
  if (document == NULL)
    {
      /* The detail is the parser's; say first what it means. */
      show_error (self, g_error_matches (error, OB_ERROR, OB_ERROR_BAD_INPUT)
                        ? _("The file could not be opened: it is not an OVF document this editor can read.")
                        : _("The file could not be opened."),
                  error);
      return;
    }

  hide_error (self);
  g_set_object (&self->document, document);
  remember_saved_state (self);
  g_set_object (&self->file, ob_ovf_document_get_file (document));
  update_all (self);
  /* Start where the user acts: the checkbox, or the force option. */
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->balloon_check)))
    gtk_widget_grab_focus (GTK_WIDGET (self->balloon_check));
  else if (gtk_widget_get_visible (GTK_WIDGET (self->force_check)))
    gtk_widget_grab_focus (GTK_WIDGET (self->force_check));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

void
ob_ovf_editor_window_open_file (ObOvfEditorWindow *self,
                                GFile             *file)
{
  g_return_if_fail (OB_IS_OVF_EDITOR_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->busy)
    {
      show_error (self, _("Wait for the current operation to finish, or stop it."), NULL);
      return;
    }

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  ob_ovf_document_load_async (file, self->cancellable, load_cb, g_object_ref (self));
}

/* A window edits one file: once it shows a document, another file opens in
 * a new window, so unsaved changes are never replaced. */
static void
open_here_or_in_new_window (ObOvfEditorWindow *self,
                            GFile             *file)
{
  ObOvfEditorWindow *other;

  if (self->document == NULL)
    {
      ob_ovf_editor_window_open_file (self, file);
      return;
    }
  if (self->file != NULL && g_file_equal (self->file, file))
    {
      gtk_window_present (GTK_WINDOW (self));
      return;
    }
  other = ob_ovf_editor_window_new (gtk_window_get_application (GTK_WINDOW (self)));
  ob_ovf_editor_window_open_file (other, file);
  gtk_window_present (GTK_WINDOW (other));
}

static void
open_response_cb (ObOvfEditorWindow *self,
                  int                response,
                  GtkNativeDialog   *chooser)
{
  g_autoptr(GtkNativeDialog) dialog = g_steal_pointer (&self->chooser);
  g_autoptr(GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    open_here_or_in_new_window (self, file);
}

void
ob_ovf_editor_window_choose_file (ObOvfEditorWindow *self)
{
  g_return_if_fail (OB_IS_OVF_EDITOR_WINDOW (self));

  if (self->chooser != NULL)
    return;

  self->chooser = ob_ovf_chooser_new_open (GTK_WINDOW (self));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (open_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ob_ovf_editor_window_choose_file (OB_OVF_EDITOR_WINDOW (widget));
}

/* ---------------------------------------------------------------------- */
/* Drag and drop                                                          */

static gboolean
on_drop (GtkDropTarget     *target,
         const GValue      *value,
         double             x,
         double             y,
         ObOvfEditorWindow *self)
{
  GFile *file = ob_ovf_drop_get_file (value);

  if (file == NULL || self->busy)
    return FALSE;

  open_here_or_in_new_window (self, file);
  return TRUE;
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
  gboolean saved;

  saved = ob_ovf_document_save_finish (OB_OVF_DOCUMENT (source), result, &error);
  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;

  self->close_after_save = FALSE;
  self->saving = FALSE;
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (!saved)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("The file could not be saved. It was left unchanged."), error);
      update_actions (self);
      return;
    }

  hide_error (self);
  remember_saved_state (self);
  if (!g_file_equal (self->file, ob_ovf_document_get_file (self->document)))
    {
      g_set_object (&self->file, ob_ovf_document_get_file (self->document));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
    }
  update_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);

  if (close_after)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
ob_ovf_editor_window_save_to (ObOvfEditorWindow *self,
                              GFile             *target)
{
  if (self->document == NULL || self->busy)
    return;

  self->cancellable = g_cancellable_new ();
  self->saving = TRUE;
  set_busy (self, TRUE);
  ob_ovf_document_save_async (self->document, target, FALSE, self->cancellable,
                              save_cb, g_object_ref (self));
}

void
ob_ovf_editor_window_save_as (ObOvfEditorWindow *self,
                              GFile             *destination)
{
  g_return_if_fail (OB_IS_OVF_EDITOR_WINDOW (self));
  g_return_if_fail (G_IS_FILE (destination));

  ob_ovf_editor_window_save_to (self, destination);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ObOvfEditorWindow *self = OB_OVF_EDITOR_WINDOW (widget);

  ob_ovf_editor_window_save_to (self, NULL);
}

static void
save_as_response_cb (ObOvfEditorWindow *self,
                     int                response,
                     GtkNativeDialog   *chooser)
{
  g_autoptr(GtkNativeDialog) dialog = g_steal_pointer (&self->chooser);
  g_autoptr(GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    ob_ovf_editor_window_save_as (self, file);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ObOvfEditorWindow *self = OB_OVF_EDITOR_WINDOW (widget);

  if (self->chooser != NULL || self->document == NULL)
    return;

  self->chooser = ob_ovf_chooser_new_save_as (GTK_WINDOW (self), self->file);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (save_as_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ObOvfEditorWindow *self = OB_OVF_EDITOR_WINDOW (widget);

  self->close_after_save = FALSE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* ---------------------------------------------------------------------- */
/* Closing with unsaved changes                                           */

static void
close_prompt_response_cb (ObOvfEditorWindow *self,
                          int                response,
                          GtkWindow         *prompt)
{
  /* The prompt is still emitting "response" (and its button "clicked"):
   * the prompt, and this window, go once that has returned. */
  self->close_prompt = NULL;
  g_signal_handlers_disconnect_by_func (prompt, close_prompt_response_cb, self);
  gtk_widget_set_visible (GTK_WIDGET (prompt), FALSE);
  ob_dialog_destroy_later (prompt);

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

static gboolean
ob_ovf_editor_window_close_request (GtkWindow *window)
{
  ObOvfEditorWindow *self = OB_OVF_EDITOR_WINDOW (window);
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
    return GTK_WINDOW_CLASS (ob_ovf_editor_window_parent_class)->close_request (window);

  if (self->close_prompt != NULL)
    {
      gtk_window_present (self->close_prompt);
      return TRUE;
    }

  basename = g_file_get_basename (self->file);
  message = g_strdup_printf (_("Save the changes to “%s” before closing?"), basename);
  prompt = ob_dialog_new_save_changes (GTK_WINDOW (self), message,
                                       _("If you do not save, the balloon change is lost."));
  self->close_prompt = prompt;
  g_signal_connect_object (prompt, "response", G_CALLBACK (close_prompt_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (prompt);
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                */

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

GFile *
ob_ovf_editor_window_get_file (ObOvfEditorWindow *self)
{
  g_return_val_if_fail (OB_IS_OVF_EDITOR_WINDOW (self), NULL);
  return self->file;
}

gboolean
ob_ovf_editor_window_get_busy (ObOvfEditorWindow *self)
{
  g_return_val_if_fail (OB_IS_OVF_EDITOR_WINDOW (self), FALSE);
  return self->busy;
}

gboolean
ob_ovf_editor_window_get_modified (ObOvfEditorWindow *self)
{
  g_return_val_if_fail (OB_IS_OVF_EDITOR_WINDOW (self), FALSE);
  return self->document != NULL && ob_ovf_document_get_modified (self->document);
}

static void
ob_ovf_editor_window_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ObOvfEditorWindow *self = OB_OVF_EDITOR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, ob_ovf_editor_window_get_modified (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_ovf_editor_window_dispose (GObject *object)
{
  ObOvfEditorWindow *self = OB_OVF_EDITOR_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  if (self->close_prompt != NULL)
    gtk_window_destroy (g_steal_pointer (&self->close_prompt));

  gtk_widget_dispose_template (GTK_WIDGET (self), OB_TYPE_OVF_EDITOR_WINDOW);

  G_OBJECT_CLASS (ob_ovf_editor_window_parent_class)->dispose (object);
}

static void
ob_ovf_editor_window_finalize (GObject *object)
{
  ObOvfEditorWindow *self = OB_OVF_EDITOR_WINDOW (object);

  g_clear_object (&self->document);
  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ob_ovf_editor_window_parent_class)->finalize (object);
}

static void
ob_ovf_editor_window_class_init (ObOvfEditorWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = ob_ovf_editor_window_get_property;
  object_class->dispose = ob_ovf_editor_window_dispose;
  object_class->finalize = ob_ovf_editor_window_finalize;
  window_class->close_request = ob_ovf_editor_window_close_request;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ovirtballoon/OvirtBalloon/ui/ob-ovf-editor-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, info_bar);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, info_label);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, save_button);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, name_label);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, file_label);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, level_label);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, balloon_check);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, reason_label);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, force_check);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, vdsm_label);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, libvirt_label);
  gtk_widget_class_bind_template_callback (widget_class, on_info_bar_response);
  gtk_widget_class_bind_template_callback (widget_class, on_balloon_check_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_force_check_toggled);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
}

static void
ob_ovf_editor_window_init (ObOvfEditorWindow *self)
{
  GtkDropTarget *drop;
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* A text button: GTK 4.8's built-in close button has no accessible name. */
  gtk_info_bar_add_button (GTK_INFO_BAR (self->info_bar), _("_Dismiss"), GTK_RESPONSE_CLOSE);

  /* The application's Ctrl+O (app.open-ovf) opens an empty editor window;
   * in this window, Ctrl+O opens the chooser here instead. Added before the
   * window joins the application, so it runs before the application's
   * capture-phase shortcuts. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_o, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("win.open")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  drop = ob_ovf_drop_target_new ();
  g_signal_connect_object (drop, "drop", G_CALLBACK (on_drop), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  update_all (self);
}

ObOvfEditorWindow *
ob_ovf_editor_window_new (GtkApplication *app)
{
  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);

  return g_object_new (OB_TYPE_OVF_EDITOR_WINDOW, "application", app, NULL);
}
