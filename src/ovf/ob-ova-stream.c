/* ob-ova-stream.c
 *
 * Why not libarchive: its reader drops what it does not model (pax global
 * headers, pax "comment" records, vendor records), and its writer makes
 * new headers for every member. Copying by offset keeps everything a
 * signature, a manifest or a later tool might look at, and GNU sparse
 * disks stay sparse in the archive itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "ob-error.h"
#include "ob-file-io.h"
#include "ob-ova-journal.h"
#include "ob-ova-stream.h"
#include "ob-tar-index.h"

#define COPY_CHUNK (1024 * 1024)

typedef struct
{
  int fd;
  const char *source_path;
  ObAtomicFile *out;
  goffset written;
  guint8 *buffer;
  GCancellable *cancellable;
} Copy;

static const guint8 zero_block[OB_TAR_BLOCK];

static gboolean
read_failed (Copy    *c,
             GError **error)
{
  int errsv = errno;

  g_set_error (error, OB_ERROR, OB_ERROR_IO, _("Cannot read the OVA “%s”: %s"),
               c->source_path, g_strerror (errsv));
  return FALSE;
}

static gboolean
emit (Copy        *c,
      const void  *data,
      gsize        len,
      GError     **error)
{
  if (!ob_atomic_file_write (c->out, data, len, error))
    return FALSE;
  c->written += len;
  return TRUE;
}

/* @data and zeros to a whole block. */
static gboolean
emit_padded (Copy        *c,
             const void  *data,
             gsize        len,
             GError     **error)
{
  gsize pad = ob_tar_blocks (len) * OB_TAR_BLOCK - len;

  return emit (c, data, len, error) && (pad == 0 || emit (c, zero_block, pad, error));
}

static gboolean
copy_range (Copy     *c,
            goffset   from,
            goffset   to,
            GError  **error)
{
  while (from < to)
    {
      gsize n = (gsize) MIN (to - from, COPY_CHUNK);

      if (g_cancellable_set_error_if_cancelled (c->cancellable, error))
        return FALSE;
      if (!ob_file_pread_all (c->fd, c->buffer, n, from))
        return read_failed (c, error);
      if (!emit (c, c->buffer, n, error))
        return FALSE;
      from += n;
    }
  return TRUE;
}

/* A replaced member: its extension records as they were (the value of a
 * pax "size" record updated), its own header with the new size and
 * checksum, the new content. */
static gboolean
write_member (Copy               *c,
              const ObTarMember  *m,
              GBytes             *content,
              GError            **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (content, &len);
  guint8 header[OB_TAR_BLOCK];
  goffset from = m->start;

  if (m->size_from_pax)
    {
      /* The index refused larger records. */
      g_autofree char *records = g_malloc (m->pax_size + 1);
      g_autoptr(GByteArray) updated = NULL;

      if (!copy_range (c, from, m->pax_header, error))
        return FALSE;
      if (!ob_file_pread_all (c->fd, header, sizeof header, m->pax_header) ||
          !ob_file_pread_all (c->fd, records, m->pax_size, m->pax_header + OB_TAR_BLOCK))
        return read_failed (c, error);
      updated = ob_tar_pax_set_size (records, m->pax_size, len);
      ob_tar_header_set_size (header, updated->len);
      if (!emit (c, header, sizeof header, error) || !emit_padded (c, updated->data, updated->len, error))
        return FALSE;
      from = m->pax_header + OB_TAR_BLOCK + (goffset) ob_tar_blocks (m->pax_size) * OB_TAR_BLOCK;
    }
  if (!copy_range (c, from, m->header, error))
    return FALSE;
  if (!ob_file_pread_all (c->fd, header, sizeof header, m->header))
    return read_failed (c, error);
  ob_tar_header_set_size (header, len);
  return emit (c, header, sizeof header, error) && emit_padded (c, data, len, error);
}

/* Why the replacements cannot be made by offset, or NULL. Not shown to
 * users: libarchive then rewrites the archive. */
static char *
replacement_problem (ObTarIndex *index,
                     GHashTable *replacements)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, replacements);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint count = 0;
      const ObTarMember *m = ob_tar_index_find (index, key, &count);

      if (count != 1)
        return g_strdup_printf ("%u members are called “%s”", count, (const char *) key);
      if (value == NULL)
        continue;
      if ((m->typeflag != '0' && m->typeflag != '\0' && m->typeflag != '7') || m->pax_sparse)
        return g_strdup_printf ("“%s” is not stored as a plain file", (const char *) key);
      if (g_bytes_get_size (value) > OB_TAR_MAX_OCTAL_SIZE)
        return g_strdup_printf ("the new “%s” is too large for a tar size field", (const char *) key);
    }
  return NULL;
}

static gboolean
write_archive (Copy        *c,
               ObTarIndex  *index,
               GHashTable  *replacements,
               GError     **error)
{
  goffset cursor = 0;
  goffset end;

  for (guint i = 0; i < index->members->len; i++)
    {
      const ObTarMember *m = g_ptr_array_index (index->members, i);
      gpointer value;

      if (m->name == NULL || !g_hash_table_lookup_extended (replacements, m->name, NULL, &value))
        continue;
      /* Everything before it, pax global headers included, as it is. */
      if (!copy_range (c, cursor, m->start, error))
        return FALSE;
      /* NULL leaves the member out (a signature the edit breaks). */
      if (value != NULL && !write_member (c, m, value, error))
        return FALSE;
      cursor = ob_tar_member_end (m);
    }
  if (!copy_range (c, cursor, index->end, error))
    return FALSE;

  end = ob_tar_archive_end (c->written, index->file_size);
  while (c->written < end)
    if (!emit (c, zero_block, OB_TAR_BLOCK, error))
      return FALSE;
  return TRUE;
}

gboolean
ob_ova_stream_replacing (const char    *source_path,
                         GHashTable    *replacements,
                         ObAtomicFile  *out,
                         gboolean      *applied,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(ObTarIndex) index = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *problem = NULL;
  g_autofree guint8 *buffer = NULL;
  Copy c = { 0 };
  gboolean ok;

  g_return_val_if_fail (source_path != NULL && replacements != NULL && applied != NULL, FALSE);

  *applied = FALSE;
  /* Shared with other readers, excluded from in-place edits (which take
   * the lock exclusively), an interrupted one undone first. */
  c.fd = ob_ova_journal_open_shared (source_path, &undone, error);
  if (c.fd < 0)
    return FALSE;
  index = ob_tar_index_read (c.fd, source_path, &local_error);
  problem = index == NULL ? g_strdup (local_error->message) : replacement_problem (index, replacements);
  if (problem != NULL)
    {
      g_debug ("%s: copied by libarchive: %s", source_path, problem);
      close (c.fd);
      return TRUE;
    }

  *applied = TRUE;
  buffer = g_malloc (COPY_CHUNK);
  c.source_path = source_path;
  c.out = out;
  c.buffer = buffer;
  c.cancellable = cancellable;
  ok = write_archive (&c, index, replacements, error);
  close (c.fd);
  return ok;
}
