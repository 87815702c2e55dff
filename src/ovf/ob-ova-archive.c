/* ob-ova-archive.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n.h>

#include "ob-error.h"
#include "ob-ova-archive.h"
#include "ob-ova-stream.h"

#define COPY_BUFFER_SIZE (1024 * 1024)
#define READ_BLOCK_SIZE (64 * 1024)

gboolean
ob_ova_archive_sniff (const guint8 *header,
                      gsize         size)
{
  /* POSIX "ustar\0" and GNU "ustar  \0" both start with "ustar" here. */
  return size >= 512 && memcmp (header + 257, "ustar", 5) == 0;
}

/* libarchive may have no message to give; never pass NULL to %s. */
static const char *
archive_detail (struct archive *a)
{
  const char *detail = archive_error_string (a);

  return detail ? detail : _("unknown error");
}

static struct archive *
open_reader (const char  *path,
             GError     **error)
{
  struct archive *a = archive_read_new ();

  archive_read_support_format_tar (a);
  archive_read_support_format_gnutar (a);
  if (archive_read_open_filename (a, path, READ_BLOCK_SIZE) != ARCHIVE_OK)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("“%s” cannot be read as an OVA (tar archive): %s"),
                   path, archive_detail (a));
      archive_read_free (a);
      return NULL;
    }
  return a;
}

static void
set_archive_error (GError         **error,
                   const char      *path,
                   struct archive  *a)
{
  g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
               _("“%s” is not a valid OVA: the tar archive is damaged or truncated (%s)"),
               path, archive_detail (a));
}

/* Lower is better: vm.ovf, then template.ovf, then any other .ovf. */
static int
member_rank (const char *pathname)
{
  const char *base = strrchr (pathname, '/');

  base = base ? base + 1 : pathname;
  if (strcmp (base, "vm.ovf") == 0)
    return 0;
  if (strcmp (base, "template.ovf") == 0)
    return 1;
  if (g_str_has_suffix (base, ".ovf") && base[0] != '\0')
    return 2;
  return G_MAXINT;
}

/* The name a member extracts to: "./a//b" and "a/b" are one file. */
static char *
member_key (const char *pathname)
{
  g_auto(GStrv) parts = g_strsplit (pathname, "/", -1);
  GString *key = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0' || strcmp (parts[i], ".") == 0)
        continue;
      if (key->len > 0)
        g_string_append_c (key, '/');
      g_string_append (key, parts[i]);
    }
  return g_string_free (key, FALSE);
}

static GBytes *
read_member (struct archive  *a,
             const char      *path,
             gint64           size,
             GCancellable    *cancellable,
             GError         **error)
{
  g_autofree guint8 *data = g_malloc (size + 1);
  gint64 total = 0;

  while (total < size)
    {
      la_ssize_t n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      n = archive_read_data (a, data + total, size - total);
      if (n < 0)
        {
          set_archive_error (error, path, a);
          return NULL;
        }
      if (n == 0)
        break;
      total += n;
    }

  if (total != size)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("“%s” is not a valid OVA: the tar archive is truncated"), path);
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&data), size);
}

GBytes *
ob_ova_archive_read_ovf (const char    *path,
                         gsize          max_size,
                         char         **member_out,
                         GCancellable  *cancellable,
                         GError       **error)
{
  return ob_ova_archive_read_ovf_full (path, max_size, NULL, member_out, NULL, NULL, NULL, NULL,
                                       cancellable, error);
}

GBytes *
ob_ova_archive_read_ovf_full (const char    *path,
                              gsize          max_size,
                              const char    *want_member,
                              char         **member_out,
                              GPtrArray    **ovf_members_out,
                              char         **manifest_member_out,
                              GBytes       **manifest_out,
                              char         **cert_member_out,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autofree char *manifest_member = NULL;
  g_autoptr(GBytes) manifest = NULL;
  g_autofree char *cert_member = NULL;
  g_autoptr(GPtrArray) ovf_members = g_ptr_array_new_with_free_func (g_free);
  struct archive *a;
  struct archive_entry *entry;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GBytes) best = NULL;
  g_autofree char *best_name = NULL;
  int best_rank = G_MAXINT;
  gboolean ok = FALSE;

  g_return_val_if_fail (path != NULL, NULL);

  a = open_reader (path, error);
  if (a == NULL)
    return NULL;

  for (;;)
    {
      int r = archive_read_next_header (a, &entry);
      const char *name;
      int rank;

      if (r == ARCHIVE_EOF)
        break;
      if (r < ARCHIVE_WARN)
        {
          if (archive_file_count (a) == 0)
            g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                         _("“%s” is not an OVA (tar archive): %s"), path,
                         archive_detail (a));
          else
            set_archive_error (error, path, a);
          goto out;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      name = archive_entry_pathname (entry);
      /* GNU tar and Python's tarfile take the last of two members with one
       * name, libarchive's reader here the first: no one answer is right. */
      if (name != NULL && !g_hash_table_add (seen, member_key (name)))
        {
          g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                       _("“%s” is not a valid OVA: it holds “%s” twice, and tools disagree on which "
                         "copy counts; refused"), path, name);
          goto out;
        }
      rank = name != NULL && archive_entry_filetype (entry) == AE_IFREG ? member_rank (name) : G_MAXINT;
      if (rank != G_MAXINT)
        g_ptr_array_add (ovf_members, g_strdup (name));
      /* Asked for one member: only that one is read. */
      if (want_member != NULL && rank != G_MAXINT)
        rank = strcmp (name, want_member) == 0 ? 0 : G_MAXINT - 1;

      if (manifest_out != NULL && rank == G_MAXINT && name != NULL &&
          archive_entry_filetype (entry) == AE_IFREG && g_str_has_suffix (name, ".cert") && cert_member == NULL)
        cert_member = g_strdup (name);
      if (manifest_out != NULL && rank == G_MAXINT && name != NULL &&
          archive_entry_filetype (entry) == AE_IFREG && g_str_has_suffix (name, ".mf") && manifest == NULL)
        {
          gint64 size = archive_entry_size (entry);

          if (size < 0 || size > OB_OVA_MAX_MANIFEST_SIZE)
            {
              g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                           _("“%s”: the manifest “%s” is larger than 1 MiB; a manifest lists a few members"),
                           path, name);
              goto out;
            }
          manifest = read_member (a, path, size, cancellable, error);
          if (manifest == NULL)
            goto out;
          manifest_member = g_strdup (name);
          continue;
        }

      if (rank < best_rank && rank != G_MAXINT - 1)
        {
          gint64 size = archive_entry_size (entry);

          if (size < 0 || (guint64) size > max_size)
            {
              g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                           _("“%s”: the OVF member “%s” is larger than the %u MiB limit"),
                           path, name, (guint) (max_size / (1024 * 1024)));
              goto out;
            }
          g_clear_pointer (&best, g_bytes_unref);
          best = read_member (a, path, size, cancellable, error);
          if (best == NULL)
            goto out;
          g_free (best_name);
          best_name = g_strdup (name);
          best_rank = rank;
        }
      else if (archive_read_data_skip (a) < ARCHIVE_WARN)
        {
          set_archive_error (error, path, a);
          goto out;
        }
    }

  if (best == NULL && want_member != NULL && ovf_members->len > 0)
    {
      g_ptr_array_add (ovf_members, NULL);
      {
        g_autofree char *names = g_strjoinv (", ", (char **) ovf_members->pdata);

        g_set_error (error, OB_ERROR, OB_ERROR_USAGE,
                     _("“%s” has no OVF member “%s”; its OVF members are: %s"), path, want_member, names);
      }
      goto out;
    }
  if (best == NULL)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("“%s” is not a valid OVA: it has no .ovf member"), path);
      goto out;
    }
  ok = TRUE;

out:
  archive_read_free (a);
  if (!ok)
    return NULL;
  if (member_out != NULL)
    *member_out = g_steal_pointer (&best_name);
  if (manifest_member_out != NULL)
    *manifest_member_out = g_steal_pointer (&manifest_member);
  if (manifest_out != NULL)
    *manifest_out = g_steal_pointer (&manifest);
  if (cert_member_out != NULL)
    *cert_member_out = g_steal_pointer (&cert_member);
  if (ovf_members_out != NULL)
    *ovf_members_out = g_steal_pointer (&ovf_members);
  return g_steal_pointer (&best);
}

typedef struct
{
  ObAtomicFile *out;
  GError *error;
} WriteClosure;

static la_ssize_t
write_callback (struct archive *a,
                void           *user_data,
                const void     *buffer,
                size_t          length)
{
  WriteClosure *closure = user_data;

  if (closure->error != NULL)
    return -1;
  if (!ob_atomic_file_write (closure->out, buffer, length, &closure->error))
    {
      archive_set_error (a, EIO, "%s", closure->error->message);
      return -1;
    }
  return (la_ssize_t) length;
}

static int
write_format_for (int read_format)
{
  switch (read_format)
    {
    case ARCHIVE_FORMAT_TAR_USTAR:
      return ARCHIVE_FORMAT_TAR_USTAR;
    case ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE:
      return ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE;
    case ARCHIVE_FORMAT_TAR_PAX_RESTRICTED:
      return ARCHIVE_FORMAT_TAR_PAX_RESTRICTED;
    default:
      /* oVirt packs OVAs with Python's tarfile in GNU format. */
      return ARCHIVE_FORMAT_TAR_GNUTAR;
    }
}

/* Reports the first error: the write side's own GError when the sink
 * failed (disk full...), else libarchive's message. */
static void
set_write_error (GError         **error,
                 WriteClosure    *closure,
                 const char      *path,
                 struct archive  *w)
{
  if (closure->error != NULL)
    g_propagate_error (error, g_steal_pointer (&closure->error));
  else
    g_set_error (error, OB_ERROR, OB_ERROR_IO, _("Cannot write the OVA “%s”: %s"),
                 path, archive_detail (w));
}

gboolean
ob_ova_archive_write_with_ovf (const char    *source_path,
                               const char    *member,
                               GBytes        *ovf,
                               ObAtomicFile  *out,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(GHashTable) replacements = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (member != NULL, FALSE);

  g_hash_table_insert (replacements, (gpointer) member, ovf);
  return ob_ova_archive_write_replacing (source_path, replacements, out, cancellable, error);
}

/* The copy for archives ob-ova-stream.c cannot copy by offset: pax
 * global headers and pax comment records are lost here. */
static gboolean
write_with_libarchive (const char    *source_path,
                       GHashTable    *replacements,
                       ObAtomicFile  *out,
                       GCancellable  *cancellable,
                       GError       **error)
{
  guint n_replaced = 0;
  guint n_wanted = 0;
  GHashTableIter iter;
  gpointer key, value;
  struct archive *r = NULL;
  struct archive *w = NULL;
  struct archive_entry *entry;
  WriteClosure closure = { out, NULL };
  g_autofree guint8 *buffer = NULL;
  const char *out_path = ob_atomic_file_get_path (out);
  gboolean ok = FALSE;

  g_hash_table_iter_init (&iter, replacements);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (value != NULL)
      n_wanted++;

  r = open_reader (source_path, error);
  if (r == NULL)
    return FALSE;

  buffer = g_malloc (COPY_BUFFER_SIZE);

  for (;;)
    {
      int rr = archive_read_next_header (r, &entry);
      la_ssize_t n;

      if (rr == ARCHIVE_EOF)
        break;
      if (rr < ARCHIVE_WARN)
        {
          set_archive_error (error, source_path, r);
          goto out;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      if (w == NULL)
        {
          /* The format is known once the first header is read. */
          w = archive_write_new ();
          if (archive_write_set_format (w, write_format_for (archive_format (r))) != ARCHIVE_OK ||
              archive_write_open (w, &closure, NULL, write_callback, NULL) != ARCHIVE_OK)
            {
              set_write_error (error, &closure, out_path, w);
              goto out;
            }
        }

      /* Holes are expanded by archive_read_data(); the copy is a plain
       * entry with the same content (the output file stays sparse on disk
       * because ObAtomicFile writes zero blocks as holes). */
      archive_entry_sparse_clear (entry);

      if (archive_entry_pathname (entry) != NULL &&
          g_hash_table_lookup_extended (replacements, archive_entry_pathname (entry), NULL, &value))
        {
          gsize size = 0;
          const void *data;

          if (value == NULL)
            {
              /* Dropped (a signature that the edit breaks). */
              if (archive_read_data_skip (r) < ARCHIVE_WARN)
                {
                  set_archive_error (error, source_path, r);
                  goto out;
                }
              continue;
            }
          data = g_bytes_get_data (value, &size);

          archive_entry_set_size (entry, (la_int64_t) size);
          if (archive_write_header (w, entry) < ARCHIVE_WARN ||
              (size > 0 && archive_write_data (w, data, size) != (la_ssize_t) size))
            {
              set_write_error (error, &closure, out_path, w);
              goto out;
            }
          if (archive_read_data_skip (r) < ARCHIVE_WARN)
            {
              set_archive_error (error, source_path, r);
              goto out;
            }
          n_replaced++;
          continue;
        }

      if (archive_write_header (w, entry) < ARCHIVE_WARN)
        {
          set_write_error (error, &closure, out_path, w);
          goto out;
        }

      while ((n = archive_read_data (r, buffer, COPY_BUFFER_SIZE)) > 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto out;
          if (archive_write_data (w, buffer, n) != n)
            {
              set_write_error (error, &closure, out_path, w);
              goto out;
            }
        }
      if (n < 0)
        {
          set_archive_error (error, source_path, r);
          goto out;
        }
    }

  if (n_replaced != n_wanted)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("“%s” is not a valid OVA: a member it had when it was read is gone"),
                   source_path);
      goto out;
    }

  if (archive_write_close (w) != ARCHIVE_OK)
    {
      set_write_error (error, &closure, out_path, w);
      goto out;
    }
  ok = TRUE;

out:
  if (w != NULL)
    archive_write_free (w);
  archive_read_free (r);
  g_clear_error (&closure.error);
  return ok;
}

gboolean
ob_ova_archive_write_replacing (const char    *source_path,
                                GHashTable    *replacements,
                                ObAtomicFile  *out,
                                GCancellable  *cancellable,
                                GError       **error)
{
  gboolean applied = FALSE;

  g_return_val_if_fail (source_path != NULL && replacements != NULL, FALSE);

  if (!ob_ova_stream_replacing (source_path, replacements, out, &applied, cancellable, error))
    return FALSE;
  return applied || write_with_libarchive (source_path, replacements, out, cancellable, error);
}
