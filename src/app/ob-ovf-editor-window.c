/* ob-ovf-editor-window.c: the offline editor for one OVF file or OVA archive
 *
 * The window has no OVF logic: loading, the balloon rule and saving are the
 * libraries' (ob-ovf-document.h, ob-balloon-policy.h, ob-host-payload.h); this
 * file only maps them to widgets. Saving and its questions are in
 * ob-ovf-editor-window-save.c.
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
#include "ob-ovf-editor-window-private.h"
#include "ob-spinner.h"

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

void
ob_ovf_editor_window_show_error (ObOvfEditorWindow *self,
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

/* What the document has to say after a load or save (an interrupted OVA
 * edit undone, a whole-copy save), or nothing: then the bar hides. */
static void
show_note_or_hide (ObOvfEditorWindow *self)
{
  const char *note = self->document ? ob_ovf_document_get_note (self->document) : NULL;

  if (note == NULL)
    {
      gtk_info_bar_set_revealed (GTK_INFO_BAR (self->info_bar), FALSE);
      return;
    }
  gtk_label_set_text (self->info_label, note);
  gtk_info_bar_set_message_type (GTK_INFO_BAR (self->info_bar), GTK_MESSAGE_INFO);
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

void
ob_ovf_editor_window_update_actions (ObOvfEditorWindow *self)
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

/* The hosted engine's libvirt XML (<EngineXml>), only in files that have
 * one: what its memballoon says, on disk and, after an edit, when saved. */
static void
update_engine_xml (ObOvfEditorWindow *self)
{
  g_autofree char *now = ob_ovf_document_dup_engine_xml_summary (self->document);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->engine_xml_row), now != NULL || self->saved_engine_xml != NULL);
  if (now == NULL)
    return;
  if (g_strcmp0 (now, self->saved_engine_xml) != 0)
    /* Translators: "memballoon model none in the file; model virtio when saved" */
    text = g_strdup_printf (_("memballoon %s in the file; %s when saved"), self->saved_engine_xml, now);
  else
    text = g_strdup_printf (_("memballoon %s"), now);
  adw_action_row_set_subtitle (self->engine_xml_row, text);
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
  update_engine_xml (self);
}

/* What the file on disk says, after a load or a save. */
static void
remember_saved_state (ObOvfEditorWindow *self)
{
  self->saved_enabled = ob_ovf_document_get_balloon_enabled (self->document);
  self->saved_source = ob_ovf_document_get_balloon_source (self->document);
  g_free (self->saved_engine_xml);
  self->saved_engine_xml = ob_ovf_document_dup_engine_xml_summary (self->document);
}

static const char *
describe_flavour (ObOvfFlavour flavour)
{
  switch (flavour)
    {
    case OB_OVF_FLAVOUR_ENGINE:
      return _("oVirt engine (export domain, OVF_STORE or virt-v2v)");
    case OB_OVF_FLAVOUR_OVA:
      return _("oVirt OVA export (or virt-v2v)");
    case OB_OVF_FLAVOUR_FOREIGN:
    default:
      return _("Not oVirt (VMware, VirtualBox or another tool): shown, not edited");
    }
}

/* An OVA's manifest: none, rewritten on save, or signed. Plain OVF files
 * have none to speak of: the row hides. */
static void
update_manifest (ObOvfEditorWindow *self)
{
  const char *mf = ob_ovf_document_get_manifest_member (self->document);
  const char *cert = ob_ovf_document_get_signature_member (self->document);
  gboolean is_ova = ob_ovf_document_get_format (self->document) == OB_OVF_FORMAT_OVA;
  g_autofree char *text = NULL;

  switch (ob_ovf_document_get_manifest_state (self->document))
    {
    case OB_OVF_MANIFEST_SIGNED:
      /* Translators: a manifest (vm.mf) and the certificate signing it (vm.cert) */
      text = g_strdup_printf (_("%s, signed by %s: saving removes the signature"), mf, cert);
      break;
    case OB_OVF_MANIFEST_UPDATED_ON_SAVE:
      /* Translators: %s is a manifest member such as vm.mf */
      text = g_strdup_printf (_("%s: the OVF’s digest is updated on save"), mf);
      break;
    case OB_OVF_MANIFEST_NONE:
    default:
      text = g_strdup (_("None"));
      break;
    }
  gtk_label_set_text (self->manifest_label, text);
  gtk_widget_set_visible (self->manifest_caption, is_ova);
  gtk_widget_set_visible (GTK_WIDGET (self->manifest_label), is_ova);
}

static gboolean
several_members (ObOvfDocument *document)
{
  g_auto(GStrv) members = ob_ovf_document_dup_ova_members (document);

  return members != NULL && g_strv_length (members) > 1;
}

/* An OVA with several OVF members (an OVF_STORE): a picker. Another member
 * loads in place, so not while this one has unsaved changes. */
static void
update_members (ObOvfEditorWindow *self)
{
  g_auto(GStrv) members = ob_ovf_document_dup_ova_members (self->document);
  GtkStringList *model = GTK_STRING_LIST (gtk_drop_down_get_model (self->member_dropdown));
  const char *current = ob_ovf_document_get_ova_member (self->document);
  gboolean several = members != NULL && g_strv_length (members) > 1;
  guint old_n = g_list_model_get_n_items (G_LIST_MODEL (model));

  self->updating = TRUE;
  gtk_string_list_splice (model, 0, old_n, several ? (const char * const *) members : NULL);
  for (guint i = 0; several && members[i] != NULL; i++)
    if (g_strcmp0 (members[i], current) == 0)
      gtk_drop_down_set_selected (self->member_dropdown, i);
  self->updating = FALSE;

  gtk_widget_set_visible (self->member_caption, several);
  gtk_widget_set_visible (GTK_WIDGET (self->member_dropdown), several);
  gtk_widget_set_sensitive (GTK_WIDGET (self->member_dropdown),
                            !ob_ovf_document_get_modified (self->document));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->member_dropdown),
                               ob_ovf_document_get_modified (self->document)
                               ? _("Save or undo the change to open another member")
                               : _("The OVF member of the archive to edit"));
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
      ob_ovf_editor_window_update_actions (self);
      return;
    }

  name = ob_ovf_document_get_name (self->document);
  gtk_label_set_text (self->name_label, name != NULL && *name != '\0' ? name : _("(unnamed)"));

  path = g_file_get_parse_name (self->file);
  if (ob_ovf_document_get_format (self->document) == OB_OVF_FORMAT_OVA && several_members (self->document))
    {
      /* The member picker below names the member. */
      g_autofree char *text = g_strdup_printf (_("%s (OVA archive of several OVFs)"), path);
      gtk_label_set_text (self->file_label, text);
    }
  else if (ob_ovf_document_get_format (self->document) == OB_OVF_FORMAT_OVA)
    {
      /* Translators: a file path, then the OVF member inside the OVA archive */
      g_autofree char *text = g_strdup_printf (_("%s (OVA archive, member %s)"), path,
                                               ob_ovf_document_get_ova_member (self->document));
      gtk_label_set_text (self->file_label, text);
    }
  else
    gtk_label_set_text (self->file_label, path);

  gtk_label_set_text (self->flavour_label, describe_flavour (ob_ovf_document_get_flavour (self->document)));
  update_manifest (self);
  update_members (self);
  update_balloon (self);
  gtk_stack_set_visible_child_name (self->stack, "document");
  update_title (self);
  ob_ovf_editor_window_update_actions (self);
}

void
ob_ovf_editor_window_set_busy (ObOvfEditorWindow *self,
                               gboolean           busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  ob_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (self->cancel_button, busy);
  ob_ovf_editor_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
ob_ovf_editor_window_saved (ObOvfEditorWindow *self)
{
  remember_saved_state (self);
  show_note_or_hide (self);
  if (!g_file_equal (self->file, ob_ovf_document_get_file (self->document)))
    {
      g_set_object (&self->file, ob_ovf_document_get_file (self->document));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
    }
  update_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
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
      ob_ovf_editor_window_show_error (self, _("The balloon cannot be changed."), error);
      update_balloon (self);
      return;
    }

  hide_error (self);
  update_balloon (self);
  update_members (self);
  update_title (self);
  ob_ovf_editor_window_update_actions (self);
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
  ob_ovf_editor_window_set_busy (self, FALSE);

  if (stopped)
    return;
  if (document == NULL)
    {
      /* The detail is the parser's; say first what it means. */
      ob_ovf_editor_window_show_error (self, g_error_matches (error, OB_ERROR, OB_ERROR_BAD_INPUT)
                                       ? _("The file could not be opened: it is not an OVF document "
                                           "this editor can read.")
                                       : _("The file could not be opened."),
                                       error);
      return;
    }

  g_set_object (&self->document, document);
  remember_saved_state (self);
  show_note_or_hide (self);
  g_set_object (&self->file, ob_ovf_document_get_file (document));
  update_all (self);
  /* Start where the user acts: the checkbox, or the force option; with
   * neither (a foreign OVF), the menu, not a selectable label that would
   * show itself all selected. */
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->balloon_check)))
    gtk_widget_grab_focus (GTK_WIDGET (self->balloon_check));
  else if (gtk_widget_get_visible (GTK_WIDGET (self->force_check)))
    gtk_widget_grab_focus (GTK_WIDGET (self->force_check));
  else
    gtk_widget_grab_focus (self->menu_button);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

/* Loads @member (NULL: the default) of @file; the document shown is
 * replaced once it has loaded. */
static void
load_member (ObOvfEditorWindow *self,
             GFile             *file,
             const char        *member)
{
  self->cancellable = g_cancellable_new ();
  ob_ovf_editor_window_set_busy (self, TRUE);
  ob_ovf_document_load_member_async (file, member, self->cancellable, load_cb, g_object_ref (self));
}

void
ob_ovf_editor_window_open_file (ObOvfEditorWindow *self,
                                GFile             *file)
{
  g_return_if_fail (OB_IS_OVF_EDITOR_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->busy)
    {
      ob_ovf_editor_window_show_error (self, _("Wait for the current operation to finish, or stop it."), NULL);
      return;
    }

  load_member (self, file, NULL);
}

void
ob_ovf_editor_window_reload (ObOvfEditorWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *member = NULL;

  if (self->document == NULL || self->busy)
    return;
  file = g_object_ref (self->file);
  member = g_strdup (ob_ovf_document_get_ova_member (self->document));
  load_member (self, file, member);
}

static void
on_member_selected (ObOvfEditorWindow *self)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (self->member_dropdown);
  g_autoptr(GFile) file = NULL;

  if (self->updating || self->document == NULL || item == NULL || self->busy ||
      g_strcmp0 (gtk_string_object_get_string (item), ob_ovf_document_get_ova_member (self->document)) == 0)
    return;
  file = g_object_ref (self->file);
  load_member (self, file, gtk_string_object_get_string (item));
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
chooser_response_cb (ObOvfEditorWindow *self,
                     int                response,
                     GtkNativeDialog   *chooser)
{
  g_autoptr(GtkNativeDialog) dialog G_GNUC_UNUSED = g_steal_pointer (&self->chooser);
  g_autoptr(GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    self->chosen (self, file);
}

void
ob_ovf_editor_window_show_chooser (ObOvfEditorWindow *self,
                                   GtkNativeDialog   *chooser,
                                   void             (*chosen) (ObOvfEditorWindow *self,
                                                               GFile             *file))
{
  self->chooser = chooser;
  self->chosen = chosen;
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (chooser);
}

void
ob_ovf_editor_window_choose_file (ObOvfEditorWindow *self)
{
  g_return_if_fail (OB_IS_OVF_EDITOR_WINDOW (self));

  if (self->chooser != NULL)
    return;
  ob_ovf_editor_window_show_chooser (self, ob_ovf_chooser_new_open (GTK_WINDOW (self)),
                                     open_here_or_in_new_window);
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
/* Stopping                                                               */

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
/* GObject                                                                */

static gboolean
ob_ovf_editor_window_close_request (GtkWindow *window)
{
  if (ob_ovf_editor_window_hold_close (OB_OVF_EDITOR_WINDOW (window)))
    return TRUE;
  return GTK_WINDOW_CLASS (ob_ovf_editor_window_parent_class)->close_request (window);
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
  if (self->prompt != NULL)
    gtk_window_destroy (g_steal_pointer (&self->prompt));

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
  g_clear_object (&self->prompt_target);
  g_clear_pointer (&self->saving_cert, g_free);
  g_clear_pointer (&self->saved_engine_xml, g_free);

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

  g_type_ensure (OB_TYPE_SPINNER);
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
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, member_caption);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, member_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, flavour_label);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, engine_xml_row);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, manifest_caption);
  gtk_widget_class_bind_template_child (widget_class, ObOvfEditorWindow, manifest_label);
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
  gtk_widget_class_bind_template_callback (widget_class, on_member_selected);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  ob_ovf_editor_window_class_init_save (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
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
