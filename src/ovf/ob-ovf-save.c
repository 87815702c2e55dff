/* ob-ovf-save.c: what a save does once the document has said what to
 * write: the lost-update check, the atomic write of an OVF, or the rewrite
 * of an OVA with its manifest updated (and its signature dropped when
 * asked). Runs in a worker thread for the _async variant, so it touches
 * only the job.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ob-atomic-file.h"
#include "ob-error.h"
#include "ob-ova-archive.h"
#include "ob-ova-inplace.h"
#include "ob-ova-manifest.h"
#include "ob-ovf-private.h"

void
ob_ovf_save_job_free (ObOvfSaveJob *job)
{
  g_free (job->source_path);
  g_free (job->dest_path);
  g_free (job->member);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_clear_object (&job->destination);
  ob_ovf_file_identity_clear (&job->source_identity);
  ob_ovf_file_identity_clear (&job->new_identity);
  ob_ovf_ova_sidecars_clear (&job->sidecars);
  g_clear_pointer (&job->new_manifest, g_bytes_unref);
  g_free (job->note);
  g_free (job);
}

static gboolean
write_ova (ObOvfSaveJob  *job,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(ObAtomicFile) out = NULL;
  g_autoptr(GHashTable) replacements = g_hash_table_new (g_str_hash, g_str_equal);

  /* In place or by shared extents when the file system allows
   * (ob-ova-inplace.h); else the whole archive is streamed below. The
   * in-place editor rewrites the OVF member only, so an archive whose
   * manifest or signature changes with it is streamed. */
  if (job->sidecars.manifest == NULL && job->sidecars.cert_member == NULL)
    {
      ObOvaStrategy strategy;

      if (!ob_ova_inplace_save (job->source_path, job->dest_path, job->in_place, job->member,
                                job->bytes, job->backup, &strategy, &job->note, cancellable, error))
        return FALSE;
      if (strategy != OB_OVA_STRATEGY_STREAM)
        return TRUE;
    }

  g_hash_table_insert (replacements, job->member, job->bytes);
  if (job->sidecars.manifest != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      job->new_manifest = ob_ova_manifest_update (job->sidecars.manifest, job->member, job->bytes,
                                                  NULL, &local_error);
      if (job->new_manifest == NULL)
        {
          g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT, "“%s”: %s: %s",
                       job->source_path, job->sidecars.manifest_member, local_error->message);
          return FALSE;
        }
      g_hash_table_insert (replacements, job->sidecars.manifest_member, job->new_manifest);
    }
  if (job->sidecars.cert_member != NULL)
    {
      /* ob_ovf_document_save() refused unless asked to drop it. */
      g_return_val_if_fail (job->drop_signature, FALSE);
      g_hash_table_insert (replacements, job->sidecars.cert_member, NULL);
    }

  out = ob_atomic_file_new (job->dest_path, job->in_place ? NULL : job->source_path, error);
  if (out == NULL)
    return FALSE;
  if (!ob_ova_archive_write_replacing (job->source_path, replacements, out, cancellable, error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return ob_atomic_file_commit (out, job->backup, error);
}

gboolean
ob_ovf_save_job_run (ObOvfSaveJob  *job,
                     GCancellable  *cancellable,
                     GError       **error)
{
  /* Refuses a lost update. A write between this check and the rename is
   * not seen: a window of one save, not of a whole editing session. */
  if (job->check_source &&
      !ob_ovf_file_identity_check (&job->source_identity, job->source_path, cancellable, error))
    return FALSE;

  if (job->format == OB_OVF_FORMAT_OVF)
    {
      if (!ob_atomic_file_replace_contents (job->dest_path, job->bytes,
                                            job->in_place ? NULL : job->source_path,
                                            job->backup, error))
        return FALSE;
    }
  else if (!write_ova (job, cancellable, error))
    return FALSE;

  /* The saved file is the reference for the next save. An OVA's OVF
   * member is read back: an in-place edit pads it with whitespace, so it
   * is not byte for byte the document's text. */
  if (job->format == OB_OVF_FORMAT_OVA)
    {
      g_autoptr(GBytes) written = NULL;
      g_autofree char *member = NULL;
      g_autofree char *display = NULL;
      g_autofree char *note = NULL;
      gboolean is_ova;

      written = ob_ovf_read_path (job->dest_path, job->member, &is_ova, &member, &display,
                                  &job->new_identity, NULL, &note, cancellable, NULL);
      job->has_new_identity = written != NULL;
    }
  else
    {
      job->has_new_identity = ob_ovf_file_identity_take (&job->new_identity, job->dest_path, job->bytes, NULL);
      job->new_identity.member = g_strdup (job->member);
    }
  return TRUE;
}
