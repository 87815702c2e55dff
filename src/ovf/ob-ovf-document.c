/* ob-ovf-document.c: the OVF document object: loading (in a worker:
 * ob-ovf-load.c), the state it exposes, balloon edits and saving. The reading, the libxml2 pass and the
 * byte-level edits live in the files ob-ovf-private.h lists.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libxml/parser.h>

#include "ob-atomic-file.h"
#include "ob-balloon-policy.h"
#include "ob-error.h"
#include "ob-ova-archive.h"
#include "ob-ovf-private.h"

struct _ObOvfDocument
{
  GObject parent_instance;

  GFile *file;
  char *display;
  ObOvfFormat format;
  char *ova_member;
  char *note;

  GBytes *saved;
  GBytes *current;
  ObOvfAnalysis *analysis;

  /* The file as loaded or last saved; no file, no identity. */
  gboolean has_identity;
  ObOvfFileIdentity identity;

  ObOvfOvaSidecars sidecars;
  gboolean drop_signature;
};

G_DEFINE_FINAL_TYPE (ObOvfDocument, ob_ovf_document, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_FILE,
  PROP_FORMAT,
  PROP_NAME,
  PROP_BALLOON_ENABLED,
  PROP_BALLOON_SOURCE,
  PROP_DEVICE_PRESENT,
  PROP_MODIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ob_ovf_document_finalize (GObject *object)
{
  ObOvfDocument *self = OB_OVF_DOCUMENT (object);

  g_clear_object (&self->file);
  g_free (self->display);
  g_free (self->ova_member);
  g_free (self->note);
  g_clear_pointer (&self->saved, g_bytes_unref);
  g_clear_pointer (&self->current, g_bytes_unref);
  g_clear_pointer (&self->analysis, ob_ovf_analysis_free);
  ob_ovf_file_identity_clear (&self->identity);
  ob_ovf_ova_sidecars_clear (&self->sidecars);

  G_OBJECT_CLASS (ob_ovf_document_parent_class)->finalize (object);
}

static void
ob_ovf_document_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ObOvfDocument *self = OB_OVF_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_FORMAT:
      g_value_set_enum (value, self->format);
      break;
    case PROP_NAME:
      g_value_set_string (value, ob_ovf_document_get_name (self));
      break;
    case PROP_BALLOON_ENABLED:
      g_value_set_boolean (value, ob_ovf_document_get_balloon_enabled (self));
      break;
    case PROP_BALLOON_SOURCE:
      g_value_set_enum (value, ob_ovf_document_get_balloon_source (self));
      break;
    case PROP_DEVICE_PRESENT:
      g_value_set_boolean (value, ob_ovf_document_get_device_present (self));
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, ob_ovf_document_get_modified (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_ovf_document_class_init (ObOvfDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ob_ovf_document_finalize;
  object_class->get_property = ob_ovf_document_get_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FORMAT] =
    g_param_spec_enum ("format", NULL, NULL, OB_TYPE_OVF_FORMAT, OB_OVF_FORMAT_OVF,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BALLOON_ENABLED] =
    g_param_spec_boolean ("balloon-enabled", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BALLOON_SOURCE] =
    g_param_spec_enum ("balloon-source", NULL, NULL, OB_TYPE_OVF_BALLOON_SOURCE,
                       OB_OVF_BALLOON_SOURCE_ABSENT,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEVICE_PRESENT] =
    g_param_spec_boolean ("device-present", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Once, from the thread that first uses the type: libxml2's global
   * initialisation is not safe to race from load_async() workers. */
  xmlInitParser ();
}

static void
ob_ovf_document_init (ObOvfDocument *self)
{
}

/* Replaces the document's content and what it says, notifying what
 * changed. */
static void
set_current (ObOvfDocument *self,
             GBytes        *bytes,
             ObOvfAnalysis      *analysis)
{
  gboolean old_enabled = ob_ovf_document_get_balloon_enabled (self);
  ObOvfBalloonSource old_source = ob_ovf_document_get_balloon_source (self);
  gboolean old_device = ob_ovf_document_get_device_present (self);
  gboolean old_modified = ob_ovf_document_get_modified (self);
  g_autofree char *old_name = g_strdup (ob_ovf_document_get_name (self));

  g_object_freeze_notify (G_OBJECT (self));

  g_clear_pointer (&self->current, g_bytes_unref);
  self->current = g_bytes_ref (bytes);
  g_clear_pointer (&self->analysis, ob_ovf_analysis_free);
  self->analysis = analysis;
  if (self->saved == NULL)
    self->saved = g_bytes_ref (bytes);

  if (old_enabled != ob_ovf_document_get_balloon_enabled (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BALLOON_ENABLED]);
  if (old_source != ob_ovf_document_get_balloon_source (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BALLOON_SOURCE]);
  if (old_device != ob_ovf_document_get_device_present (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_PRESENT]);
  if (old_modified != ob_ovf_document_get_modified (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
  if (g_strcmp0 (old_name, ob_ovf_document_get_name (self)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);

  g_object_thaw_notify (G_OBJECT (self));
}

ObOvfDocument *
ob_ovf_document_new_from_bytes (GBytes      *bytes,
                                const char  *display_name,
                                GError     **error)
{
  g_autoptr(ObOvfDocument) self = NULL;
  ObOvfAnalysis *analysis;

  g_return_val_if_fail (bytes != NULL, NULL);

  self = g_object_new (OB_TYPE_OVF_DOCUMENT, NULL);
  self->display = g_strdup (display_name ? display_name : "OVF");

  analysis = ob_ovf_analyse_bytes (bytes, self->display, TRUE, error);
  if (analysis == NULL)
    return NULL;

  set_current (self, bytes, analysis);
  return g_steal_pointer (&self);
}

ObOvfDocument *
ob_ovf_document_load (GFile         *file,
                      GCancellable  *cancellable,
                      GError       **error)
{
  return ob_ovf_document_load_member (file, NULL, cancellable, error);
}

ObOvfDocument *
ob_ovf_document_load_member (GFile         *file,
                             const char    *member_name,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(ObOvfDocument) self = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  g_autofree char *member = NULL;
  g_autofree char *display = NULL;
  gboolean is_ova;
  ObOvfAnalysis *analysis;
  ObOvfFileIdentity identity = { 0, };
  ObOvfOvaSidecars sidecars = { 0, };
  g_autofree char *note = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("“%s” is not a local file; only local OVF and OVA files can be edited"), uri);
      return NULL;
    }

  bytes = ob_ovf_read_path (path, member_name, &is_ova, &member, &display, &identity, &sidecars,
                            &note, cancellable, error);
  analysis = bytes == NULL || g_cancellable_set_error_if_cancelled (cancellable, error)
    ? NULL : ob_ovf_analyse_bytes (bytes, display, TRUE, error);
  if (analysis == NULL)
    {
      ob_ovf_file_identity_clear (&identity);
      ob_ovf_ova_sidecars_clear (&sidecars);
      return NULL;
    }

  self = g_object_new (OB_TYPE_OVF_DOCUMENT, NULL);
  self->file = g_object_ref (file);
  self->display = g_steal_pointer (&display);
  self->format = is_ova ? OB_OVF_FORMAT_OVA : OB_OVF_FORMAT_OVF;
  self->ova_member = g_steal_pointer (&member);
  self->identity = identity;
  self->has_identity = TRUE;
  self->sidecars = sidecars;
  self->note = g_steal_pointer (&note);
  set_current (self, bytes, analysis);
  return g_steal_pointer (&self);
}

GFile *
ob_ovf_document_get_file (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), NULL);
  return self->file;
}

ObOvfFormat
ob_ovf_document_get_format (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), OB_OVF_FORMAT_OVF);
  return self->format;
}

const char *
ob_ovf_document_get_ova_member (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), NULL);
  return self->ova_member;
}

const char *
ob_ovf_document_get_note (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), NULL);
  return self->note;
}

const char *
ob_ovf_document_get_name (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), NULL);
  return self->analysis ? self->analysis->name : NULL;
}

ObOvfFlavour
ob_ovf_document_get_flavour (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), OB_OVF_FLAVOUR_FOREIGN);
  return self->analysis ? self->analysis->flavour : OB_OVF_FLAVOUR_FOREIGN;
}

const ObCompatVersion *
ob_ovf_document_get_compat_level (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), NULL);
  return self->analysis && self->analysis->level_valid ? &self->analysis->level : NULL;
}

const char *
ob_ovf_document_get_compat_level_text (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), NULL);
  return self->analysis ? self->analysis->level_text : NULL;
}

gboolean
ob_ovf_document_get_compat_level_from_cluster (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), FALSE);
  return self->analysis && self->analysis->level_from_cluster;
}

gboolean
ob_ovf_document_get_balloon_enabled (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), FALSE);
  return self->analysis && self->analysis->balloon_enabled;
}

ObOvfBalloonSource
ob_ovf_document_get_balloon_source (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), OB_OVF_BALLOON_SOURCE_ABSENT);
  return self->analysis ? self->analysis->source : OB_OVF_BALLOON_SOURCE_ABSENT;
}

gboolean
ob_ovf_document_get_device_present (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), FALSE);
  return self->analysis && self->analysis->device_present;
}

gboolean
ob_ovf_document_get_modified (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), FALSE);
  return self->current != NULL && self->saved != NULL && !g_bytes_equal (self->current, self->saved);
}

GBytes *
ob_ovf_document_get_ovf_bytes (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), NULL);
  return g_bytes_ref (self->current);
}

ObOvfEngineXmlState
ob_ovf_document_get_engine_xml_state (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), OB_OVF_ENGINE_XML_NONE);
  return self->analysis ? self->analysis->engine_xml_state : OB_OVF_ENGINE_XML_NONE;
}

const char *
ob_ovf_document_get_engine_xml_balloon (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), NULL);
  return self->analysis && self->analysis->engine_xml_state == OB_OVF_ENGINE_XML_SET
    ? self->analysis->engine_xml_model : NULL;
}

const char *
ob_ovf_document_get_engine_xml_problem (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), NULL);
  return self->analysis ? self->analysis->engine_xml_problem : NULL;
}

ObOvfManifestState
ob_ovf_document_get_manifest_state (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), OB_OVF_MANIFEST_NONE);
  if (self->sidecars.cert_member != NULL)
    return OB_OVF_MANIFEST_SIGNED;
  return self->sidecars.manifest != NULL ? OB_OVF_MANIFEST_UPDATED_ON_SAVE : OB_OVF_MANIFEST_NONE;
}

char **
ob_ovf_document_dup_ova_members (ObOvfDocument *self)
{
  GPtrArray *members = NULL;

  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), NULL);
  if (self->sidecars.ovf_members == NULL)
    return NULL;
  members = g_ptr_array_new ();
  for (guint i = 0; i < self->sidecars.ovf_members->len; i++)
    g_ptr_array_add (members, g_strdup (g_ptr_array_index (self->sidecars.ovf_members, i)));
  g_ptr_array_add (members, NULL);
  return (char **) g_ptr_array_free (members, FALSE);
}

const char *
ob_ovf_document_get_manifest_member (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), NULL);
  return self->sidecars.manifest_member;
}

const char *
ob_ovf_document_get_signature_member (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), NULL);
  return self->sidecars.cert_member;
}

void
ob_ovf_document_set_drop_signature (ObOvfDocument *self,
                                    gboolean       drop)
{
  g_return_if_fail (OB_IS_OVF_DOCUMENT (self));
  self->drop_signature = !!drop;
}

/* Takes @edited as the new content, re-reading it (no libxml2 pass: the
 * inserted text is our own). */
static gboolean
apply_edit (ObOvfDocument  *self,
            GBytes         *edited,
            GError        **error)
{
  g_autoptr(GBytes) bytes = edited;
  ObOvfAnalysis *analysis;

  g_return_val_if_fail (bytes != NULL, FALSE);

  analysis = ob_ovf_analyse_bytes (bytes, self->display, FALSE, error);
  if (analysis == NULL)
    return FALSE;
  set_current (self, bytes, analysis);
  return TRUE;
}

static gboolean
add_item (ObOvfDocument  *self,
          GError        **error)
{
  return apply_edit (self, ob_ovf_edit_add_item (self->current, self->analysis), error);
}

/* The hosted engine starts from <EngineXml>: its memballoon follows. */
static gboolean
sync_engine_xml (ObOvfDocument  *self,
                 gboolean        enabled,
                 GError        **error)
{
  const ObOvfAnalysis *a = self->analysis;

  if (a->engine_xml_state == OB_OVF_ENGINE_XML_NONE || ob_ovf_engine_xml_is_on (a) == enabled)
    return TRUE;
  return apply_edit (self, ob_ovf_edit_engine_xml (self->current, a, enabled), error);
}

gboolean
ob_ovf_document_set_balloon_enabled (ObOvfDocument  *self,
                                     gboolean        enabled,
                                     gboolean        force,
                                     GError        **error)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), FALSE);
  g_return_val_if_fail (self->analysis != NULL, FALSE);

  enabled = !!enabled;

  if (self->analysis->flavour == OB_OVF_FLAVOUR_FOREIGN)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("“%s” is not an oVirt OVF (no oVirt engine, OVA export or virt-v2v marks; VMware, "
                     "VirtualBox and DMTF files are foreign): oVirt sets the balloon of an imported VM "
                     "itself, so import it and then use “vm set-balloon”"),
                   self->display);
      return FALSE;
    }

  /* Refused before any byte changes: the OVF and the libvirt XML that
   * hosted-engine-ha starts from must not disagree. */
  if (self->analysis->engine_xml_state == OB_OVF_ENGINE_XML_UNUSABLE)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("“%s”: the hosted engine's libvirt XML in <EngineXml> cannot follow the balloon: %s"),
                   self->display, self->analysis->engine_xml_problem);
      return FALSE;
    }

  if (enabled && !self->analysis->balloon_enabled && !force)
    {
      g_autoptr(GError) local_error = NULL;

      if (!ob_balloon_policy_check_enable (ob_level_from_version (ob_ovf_document_get_compat_level (self)),
                                           NULL, &local_error))
        {
          g_set_error (error, OB_ERROR, OB_ERROR_REFUSED, "“%s”: %s", self->display, local_error->message);
          return FALSE;
        }
    }

  if (self->analysis->source == OB_OVF_BALLOON_SOURCE_ELEMENT)
    {
      if (self->analysis->balloon_enabled != enabled &&
          !apply_edit (self, ob_ovf_edit_set_element (self->current, self->analysis, enabled), error))
        return FALSE;
      /* Engines from 4.4.6 on always keep the device next to the flag. */
      if (!self->analysis->device_present && !add_item (self, error))
        return FALSE;
      return sync_engine_xml (self, enabled, error);
    }

  if (enabled && !self->analysis->device_present && !add_item (self, error))
    return FALSE;
  if (!enabled && self->analysis->device_present &&
      !apply_edit (self, ob_ovf_edit_remove_item (self->current, self->analysis), error))
    return FALSE;
  return sync_engine_xml (self, enabled, error);
}

/* ------------------------------------------------------------------ */
/* Saving                                                              */



/* Returns NULL with @error set, or a job; *nothing_to_do when an in-place
 * save has no change. */
static ObOvfSaveJob *
save_job_new (ObOvfDocument  *self,
              GFile          *destination,
              gboolean        backup,
              gboolean       *nothing_to_do,
              GError        **error)
{
  g_autoptr(ObOvfSaveJob) job = g_new0 (ObOvfSaveJob, 1);

  *nothing_to_do = FALSE;

  if (destination == NULL && self->file == NULL)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_USAGE,
                   _("“%s” has no file to save to; give a destination"), self->display);
      return NULL;
    }

  job->destination = g_object_ref (destination ? destination : self->file);
  job->dest_path = g_file_get_path (job->destination);
  if (job->dest_path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (job->destination);

      g_set_error (error, OB_ERROR, OB_ERROR_IO, _("Cannot write “%s”: not a local file"), uri);
      return NULL;
    }
  job->source_path = self->file ? g_file_get_path (self->file) : NULL;
  job->in_place = self->file != NULL && g_file_equal (job->destination, self->file);
  job->member = g_strdup (self->ova_member);
  job->bytes = g_bytes_ref (self->current);
  job->format = self->format;
  job->backup = backup;
  job->drop_signature = self->drop_signature;
  if (job->format == OB_OVF_FORMAT_OVA)
    {
      job->sidecars.manifest_member = g_strdup (self->sidecars.manifest_member);
      job->sidecars.manifest = self->sidecars.manifest ? g_bytes_ref (self->sidecars.manifest) : NULL;
      job->sidecars.cert_member = g_strdup (self->sidecars.cert_member);
    }
  job->check_source = self->has_identity && job->source_path != NULL &&
                      (job->in_place || job->format == OB_OVF_FORMAT_OVA);
  if (job->check_source)
    ob_ovf_file_identity_copy (&job->source_identity, &self->identity);

  if (job->format == OB_OVF_FORMAT_OVA && job->source_path == NULL)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_FAILED, _("The original OVA of “%s” is unknown"), self->display);
      return NULL;
    }

  /* An edit that changes nothing writes nothing. */
  if (job->in_place && !ob_ovf_document_get_modified (self))
    {
      *nothing_to_do = TRUE;
      return g_steal_pointer (&job);
    }

  if (job->sidecars.cert_member != NULL && !job->drop_signature)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_REFUSED,
                   _("“%s” is signed (%s signs the manifest); an edit breaks the signature, so it is "
                     "refused: use --drop-signature to remove the signature"),
                   self->display, job->sidecars.cert_member);
      return NULL;
    }

  return g_steal_pointer (&job);
}

static void
save_job_done (ObOvfDocument *self,
               ObOvfSaveJob  *job)
{
  gboolean was_modified = ob_ovf_document_get_modified (self);

  g_clear_pointer (&self->saved, g_bytes_unref);
  self->saved = g_bytes_ref (job->bytes);
  g_free (self->note);
  self->note = g_strdup (job->note);
  ob_ovf_file_identity_clear (&self->identity);
  self->has_identity = job->has_new_identity;
  if (job->has_new_identity)
    ob_ovf_file_identity_copy (&self->identity, &job->new_identity);
  if (job->new_manifest != NULL)
    {
      g_clear_pointer (&self->sidecars.manifest, g_bytes_unref);
      self->sidecars.manifest = g_bytes_ref (job->new_manifest);
    }
  if (job->sidecars.cert_member != NULL)
    g_clear_pointer (&self->sidecars.cert_member, g_free);

  if (self->file == NULL || !g_file_equal (self->file, job->destination))
    {
      g_set_object (&self->file, job->destination);
      g_free (self->display);
      self->display = self->format == OB_OVF_FORMAT_OVA
        ? g_strdup_printf ("%s:%s", job->dest_path, self->ova_member)
        : g_strdup (job->dest_path);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
    }
  if (was_modified != ob_ovf_document_get_modified (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

gboolean
ob_ovf_document_save (ObOvfDocument  *self,
                      GFile          *destination,
                      gboolean        backup,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(ObOvfSaveJob) job = NULL;
  gboolean nothing_to_do;

  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), FALSE);
  g_return_val_if_fail (destination == NULL || G_IS_FILE (destination), FALSE);

  job = save_job_new (self, destination, backup, &nothing_to_do, error);
  if (job == NULL)
    return FALSE;
  if (nothing_to_do)
    return TRUE;
  if (!ob_ovf_save_job_run (job, cancellable, error))
    return FALSE;

  save_job_done (self, job);
  return TRUE;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (ob_ovf_save_job_run (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
save_thread_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  ObOvfDocument *self = g_task_get_source_object (outer);
  GTask *inner = G_TASK (result);
  GError *error = NULL;

  if (!g_task_propagate_boolean (inner, &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  /* Back in the caller's context: the document changes here only. */
  save_job_done (self, g_task_get_task_data (inner));
  g_task_return_boolean (outer, TRUE);
}

void
ob_ovf_document_save_async (ObOvfDocument       *self,
                            GFile               *destination,
                            gboolean             backup,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  GError *error = NULL;
  ObOvfSaveJob *job;
  gboolean nothing_to_do;

  g_return_if_fail (OB_IS_OVF_DOCUMENT (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, ob_ovf_document_save_async);

  job = save_job_new (self, destination, backup, &nothing_to_do, &error);
  if (job == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  if (nothing_to_do)
    {
      ob_ovf_save_job_free (job);
      g_task_return_boolean (outer, TRUE);
      return;
    }

  inner = g_task_new (self, cancellable, save_thread_done, g_object_ref (outer));
  g_task_set_task_data (inner, job, (GDestroyNotify) ob_ovf_save_job_free);
  g_task_run_in_thread (inner, save_thread);
}

gboolean
ob_ovf_document_save_finish (ObOvfDocument  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
