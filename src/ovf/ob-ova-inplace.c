/* ob-ova-inplace.c
 *
 * Why whitespace fills inserted blocks: INSERT_RANGE only takes whole file
 * system blocks (4 KiB), while the OVF needs whole tar blocks (512 bytes).
 * The space left over must stay valid tar. Filling it with an extra
 * padding member would change what `tar -t` lists and what a manifest or
 * an importer expects to find; a pax "comment" record would need a pax
 * header the oVirt (GNU format) OVAs do not have. Whitespace after the
 * root element is allowed by XML (the Misc production), read the same by
 * every OVF reader, keeps the member list unchanged, and a later edit takes
 * it back when it needs room. The same padding keeps the blocks after the
 * OVF at their file system alignment in a reflinked copy, so they can be
 * shared.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ob-atomic-file.h"
#include "ob-error.h"
#include "ob-file-io.h"
#include "ob-ova-inplace.h"
#include "ob-ova-journal.h"
#include "ob-tar-index.h"

/* Bytes after the end-of-archive marker that a tail rewrite may drop:
 * record padding (GNU tar and Python's tarfile pad to 10 KiB). */
#define MAX_TRAILER (1024 * 1024)

const char *
ob_ova_strategy_to_string (ObOvaStrategy strategy)
{
  switch (strategy)
    {
    case OB_OVA_STRATEGY_FITS:
      return "fits";
    case OB_OVA_STRATEGY_TAIL:
      return "tail";
    case OB_OVA_STRATEGY_INSERT:
      return "insert";
    case OB_OVA_STRATEGY_REFLINK:
      return "reflink";
    case OB_OVA_STRATEGY_STREAM:
    default:
      return "stream";
    }
}

static goffset
round_up (goffset v,
          goffset to)
{
  return (v + to - 1) / to * to;
}

static goffset
round_down (goffset v,
            goffset to)
{
  return v / to * to;
}

static void
set_errno_error (GError     **error,
                 int          errsv,
                 const char  *path)
{
  g_set_error (error, OB_ERROR, OB_ERROR_IO, _("Cannot write “%s”: %s"), path, g_strerror (errsv));
}

/* ------------------------------------------------------------------ */
/* The new OVF content                                                 */

/* ASCII whitespace can be appended only to an ASCII-compatible text:
 * not UTF-16 or UTF-32 (BOM, or a NUL among the first bytes). */
static gboolean
can_pad (const guint8 *data,
         gsize         len)
{
  if (len >= 2 && ((data[0] == 0xFE && data[1] == 0xFF) || (data[0] == 0xFF && data[1] == 0xFE)))
    return FALSE;
  return memchr (data, '\0', MIN (len, 4)) == NULL;
}

static gboolean
is_xml_space (guint8 c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The OVF without trailing whitespace beyond one newline (what an earlier
 * padding added): the smallest content with the same meaning. */
static gsize
trimmed_length (const guint8 *data,
                gsize         len)
{
  gsize n = len;

  while (n > 0 && is_xml_space (data[n - 1]))
    n--;
  return n < len ? n + 1 : n;
}

/* The content to store so that it takes exactly @blocks tar blocks, or
 * NULL when it cannot. Padding is spaces, then a newline. */
static GByteArray *
content_for_blocks (GBytes  *ovf,
                    guint64  blocks)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (ovf, &len);
  GByteArray *out;
  gsize min_len = blocks > 0 ? (blocks - 1) * OB_TAR_BLOCK + 1 : 0;
  gsize cut;

  if (ob_tar_blocks (len) == blocks)
    return g_byte_array_append (g_byte_array_new (), data, len);
  if (!can_pad (data, len))
    return NULL;

  cut = ob_tar_blocks (len) > blocks ? trimmed_length (data, len) : len;
  if (ob_tar_blocks (cut) > blocks)
    return NULL;
  out = g_byte_array_sized_new (MAX (cut, min_len));
  if (cut < len)
    {
      g_byte_array_append (out, data, cut - 1);
      g_byte_array_append (out, (const guint8 *) "\n", 1);
    }
  else
    g_byte_array_append (out, data, cut);
  if (out->len < min_len)
    {
      gsize pad = min_len - out->len;

      g_byte_array_set_size (out, min_len);
      memset (out->data + min_len - pad, ' ', pad);
      out->data[min_len - 1] = '\n';
    }
  return out;
}

/* Blocks the new OVF needs at least (trailing whitespace dropped if it
 * may be). */
static guint64
needed_blocks (GBytes *ovf)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (ovf, &len);

  return ob_tar_blocks (can_pad (data, len) ? trimmed_length (data, len) : len);
}

/* The member's headers as they are (pax or long-name ones too), its own
 * header with the new size, @content and zeros to a whole block. */
static gboolean
append_member (GByteArray         *out,
               int                 fd,
               const ObTarMember  *m,
               GByteArray         *content,
               GError            **error)
{
  guint start = out->len;
  gsize head = m->data - m->start;

  g_byte_array_set_size (out, start + head);
  if (!ob_file_pread_all (fd, out->data + start, head, m->start))
    {
      g_set_error (error, OB_ERROR, OB_ERROR_IO, _("Cannot read the OVA: %s"), g_strerror (errno));
      return FALSE;
    }
  ob_tar_header_set_size (out->data + start + (m->header - m->start), content->len);
  g_byte_array_append (out, content->data, content->len);
  g_byte_array_set_size (out, start + head + ob_tar_blocks (content->len) * OB_TAR_BLOCK);
  memset (out->data + start + head + content->len, 0,
          ob_tar_blocks (content->len) * OB_TAR_BLOCK - content->len);
  return TRUE;
}

static gboolean
append_old (GByteArray  *out,
            int          fd,
            goffset      from,
            goffset      to,
            GError     **error)
{
  guint start = out->len;

  g_byte_array_set_size (out, start + (to - from));
  if (!ob_file_pread_all (fd, out->data + start, to - from, from))
    {
      g_set_error (error, OB_ERROR, OB_ERROR_IO, _("Cannot read the OVA: %s"), g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Plans                                                               */

typedef struct
{
  ObOvaStrategy strategy;
  goffset start;          /* first byte rewritten, same offset before and after */
  goffset old_end;        /* end of the old bytes it replaces */
  goffset insert_at;      /* INSERT: where the blocks go */
  goffset insert_len;
  goffset new_size;
  GByteArray *region;     /* the bytes written at @start */
} Plan;

static void
plan_clear (Plan *plan)
{
  g_clear_pointer (&plan->region, g_byte_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Plan, plan_clear)

/* The member is last and what follows is end-of-archive padding. */
static gboolean
tail_applies (ObTarIndex        *index,
              const ObTarMember *m)
{
  return ob_tar_index_is_last (index, m) && index->file_size - ob_tar_member_end (m) <= MAX_TRAILER;
}

static gboolean
plan_tail (Plan               *plan,
           int                 fd,
           ObTarIndex         *index,
           const ObTarMember  *m,
           GBytes             *ovf,
           goffset             from,
           GError            **error)
{
  g_autoptr(GByteArray) content = content_for_blocks (ovf, ob_tar_blocks (g_bytes_get_size (ovf)));
  guint used;

  plan->start = from;
  plan->old_end = index->file_size;
  plan->region = g_byte_array_new ();
  if (!append_old (plan->region, fd, from, m->start, error) ||
      !append_member (plan->region, fd, m, content, error))
    return FALSE;
  plan->new_size = ob_tar_archive_end (from + plan->region->len, index->file_size);
  used = plan->region->len;
  g_byte_array_set_size (plan->region, plan->new_size - from);
  memset (plan->region->data + used, 0, plan->region->len - used);
  return TRUE;
}

/* In place: FITS, TAIL or INSERT. FALSE with nothing set when the OVF
 * cannot be fitted (not ASCII-compatible and not exactly the same blocks). */
static gboolean
plan_in_place (Plan               *plan,
               int                 fd,
               ObTarIndex         *index,
               const ObTarMember  *m,
               GBytes             *ovf,
               goffset             fs_block,
               GError            **error)
{
  guint64 blocks = ob_tar_blocks (m->size);
  goffset m_end = ob_tar_member_end (m);
  g_autoptr(GByteArray) content = NULL;
  guint64 want;

  if (ob_tar_blocks (g_bytes_get_size (ovf)) != blocks && tail_applies (index, m))
    {
      plan->strategy = OB_OVA_STRATEGY_TAIL;
      return plan_tail (plan, fd, index, m, ovf, m->start, error);
    }

  content = content_for_blocks (ovf, blocks);
  if (content != NULL)
    {
      plan->strategy = OB_OVA_STRATEGY_FITS;
      plan->start = m->start;
      plan->old_end = m_end;
      plan->new_size = index->file_size;
      plan->region = g_byte_array_new ();
      return append_member (plan->region, fd, m, content, error);
    }

  /* Grows: insert whole file system blocks inside the member's own bytes
   * when it spans a block boundary, else just before it (its neighbour's
   * bytes there are rewritten unchanged). */
  plan->insert_len = round_up ((needed_blocks (ovf) - blocks) * OB_TAR_BLOCK, fs_block);
  want = blocks + plan->insert_len / OB_TAR_BLOCK;
  content = content_for_blocks (ovf, want);
  if (content == NULL)
    return FALSE;
  plan->strategy = OB_OVA_STRATEGY_INSERT;
  plan->insert_at = round_down (m_end, fs_block);
  plan->start = MIN (plan->insert_at, m->start);
  plan->old_end = m_end;
  plan->new_size = index->file_size + plan->insert_len;
  plan->region = g_byte_array_new ();
  return append_old (plan->region, fd, plan->start, m->start, error) &&
         append_member (plan->region, fd, m, content, error);
}

/* For a new file: [0, start) shared, the region written, the rest shared
 * from old_end on. The OVF grows by whole file system blocks, so what
 * follows keeps its alignment and can be shared too. */
static gboolean
plan_copy (Plan               *plan,
           int                 fd,
           ObTarIndex         *index,
           const ObTarMember  *m,
           GBytes             *ovf,
           goffset             fs_block,
           GError            **error)
{
  goffset from = round_down (m->start, fs_block);
  goffset m_end = ob_tar_member_end (m);
  guint64 blocks = ob_tar_blocks (m->size);
  guint64 need = needed_blocks (ovf);
  goffset growth = need > blocks ? round_up ((need - blocks) * OB_TAR_BLOCK, fs_block) : 0;
  g_autoptr(GByteArray) content = NULL;

  plan->strategy = OB_OVA_STRATEGY_REFLINK;
  if (tail_applies (index, m))
    return plan_tail (plan, fd, index, m, ovf, from, error);

  content = content_for_blocks (ovf, blocks + growth / OB_TAR_BLOCK);
  if (content == NULL)
    return FALSE;
  plan->start = from;
  plan->old_end = MIN (round_up (m_end, fs_block), index->file_size);
  plan->new_size = index->file_size + growth;
  plan->region = g_byte_array_new ();
  return append_old (plan->region, fd, from, m->start, error) &&
         append_member (plan->region, fd, m, content, error) &&
         append_old (plan->region, fd, m_end, plan->old_end, error);
}

/* ------------------------------------------------------------------ */
/* Doing it                                                            */

/* G_IO_ERROR_NOT_SUPPORTED, with the archive untouched, when the file
 * system cannot insert blocks. */
static gboolean
edit_in_place (const char  *path,
               int          fd,
               Plan        *plan,
               GError     **error)
{
  g_autoptr(ObOvaJournal) journal = ob_ova_journal_new (path, fd, error);
  g_autofree char *undone = NULL;
  int errsv;

  if (journal == NULL ||
      !ob_ova_journal_add_region (journal, plan->start, plan->old_end - plan->start, error))
    return FALSE;
  ob_ova_journal_set_insert (journal, plan->insert_at, plan->insert_len);
  if (!ob_ova_journal_write (journal, error))
    return FALSE;

  if (plan->insert_len > 0 &&
      fallocate (fd, FALLOC_FL_INSERT_RANGE, plan->insert_at, plan->insert_len) != 0)
    {
      errsv = errno;
      if (!ob_ova_journal_finish (journal, error))
        return FALSE;
      if (errsv == EOPNOTSUPP || errsv == EINVAL || errsv == ENOSYS)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s", g_strerror (errsv));
      else
        set_errno_error (error, errsv, path);
      return FALSE;
    }

  if (!ob_file_pwrite_all (fd, plan->region->data, plan->region->len, plan->start) ||
      (plan->strategy == OB_OVA_STRATEGY_TAIL && ftruncate (fd, plan->new_size) != 0) ||
      fsync (fd) != 0)
    {
      errsv = errno;
      /* Put the old bytes back now rather than at the next open. */
      if (!ob_ova_journal_recover (path, fd, &undone, NULL))
        g_warning ("%s: the undo record is kept for the next open", path);
      set_errno_error (error, errsv, path);
      return FALSE;
    }
  return ob_ova_journal_finish (journal, error);
}

static gboolean
write_copy (const char  *source_path,
            int          fd,
            const char  *dest_path,
            gboolean     in_place,
            Plan        *plan,
            goffset      old_size,
            gboolean     backup,
            GError     **error)
{
  g_autoptr(ObAtomicFile) out = ob_atomic_file_new (dest_path, in_place ? NULL : source_path, error);

  return out != NULL &&
         ob_atomic_file_clone_range (out, fd, 0, plan->start, error) &&
         ob_atomic_file_write (out, plan->region->data, plan->region->len, error) &&
         (plan->old_end >= old_size ||
          ob_atomic_file_clone_range (out, fd, plan->old_end, old_size - plan->old_end, error)) &&
         ob_atomic_file_commit (out, backup, error);
}

static gboolean
check_free_space (const char  *source_path,
                  const char  *dest_path,
                  GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (dest_path);
  struct statvfs vfs;
  struct stat st;
  guint64 need, avail;

  if (g_stat (source_path, &st) != 0 || statvfs (dir, &vfs) != 0)
    return TRUE;  /* the copy itself will say what is wrong */
  /* The copy keeps holes: what counts is the space in use. */
  need = (guint64) st.st_blocks * 512;
  avail = (guint64) vfs.f_bavail * vfs.f_frsize;
  if (avail < need)
    {
      g_autofree char *need_text = g_format_size_full (need, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *avail_text = g_format_size_full (avail, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, OB_ERROR, OB_ERROR_IO,
                   _("Cannot write “%s”: a full copy of the archive needs %s and only %s is free in “%s”"),
                   dest_path, need_text, avail_text, dir);
      return FALSE;
    }
  return TRUE;
}

/* Why the member cannot be rewritten by offset, or NULL. */
static char *
member_problem (ObTarIndex  *index,
                const char  *member)
{
  guint count = 0;
  const ObTarMember *m = ob_tar_index_find (index, member, &count);

  if (m == NULL)
    return g_strdup_printf (_("the member “%s” is not where libarchive found it"), member);
  if (count > 1)
    return g_strdup_printf (_("the archive has %u members called “%s”"), count, member);
  if (m->typeflag != '0' && m->typeflag != '\0' && m->typeflag != '7')
    return g_strdup_printf (_("the member “%s” is not stored as a plain file"), member);
  if (m->size_from_pax)
    return g_strdup_printf (_("the size of “%s” is in a pax record"), member);
  if (m->pax_sparse)
    return g_strdup_printf (_("the member “%s” is not stored as a plain file"), member);
  return NULL;
}

/* Opens the source: read-write and locked against everyone for an edit in
 * place (undoing an interrupted edit first), else shared for reading. */
static int
open_source (const char  *path,
             gboolean     in_place,
             char       **undone,
             GError     **error)
{
  struct stat st;
  int fd;

  if (!in_place)
    return ob_ova_journal_open_shared (path, undone, error);

  if (g_stat (path, &st) == 0 && (st.st_mode & S_IWUSR) == 0)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_IO, _("Cannot write “%s”: the file is read-only"), path);
      return -1;
    }
  fd = g_open (path, O_RDWR | O_CLOEXEC, 0);
  if (fd < 0)
    {
      set_errno_error (error, errno, path);
      return -1;
    }
  while (flock (fd, LOCK_EX) != 0)
    if (errno != EINTR)
      {
        set_errno_error (error, errno, path);
        close (fd);
        return -1;
      }
  if (!ob_ova_journal_recover (path, fd, undone, error))
    {
      close (fd);
      return -1;
    }
  return fd;
}

static gboolean
save_with_fd (int             fd,
              const char     *source_path,
              const char     *dest_path,
              gboolean        in_place,
              const char     *member,
              GBytes         *ovf,
              gboolean        backup,
              ObOvaStrategy  *strategy_out,
              char          **reason,
              GCancellable   *cancellable,
              GError        **error)
{
  g_auto(Plan) plan = { 0 };
  g_autoptr(ObTarIndex) index = NULL;
  g_autoptr(GError) local_error = NULL;
  const ObTarMember *m;
  struct statfs sfs;
  struct stat st;
  goffset fs_block;

  index = ob_tar_index_read (fd, source_path, &local_error);
  if (index == NULL)
    {
      *reason = g_strdup (local_error->message);
      return TRUE;
    }
  if ((*reason = member_problem (index, member)) != NULL)
    return TRUE;
  m = ob_tar_index_find (index, member, NULL);
  if (fstat (fd, &st) != 0 || fstatfs (fd, &sfs) != 0)
    {
      set_errno_error (error, errno, source_path);
      return FALSE;
    }
  fs_block = MAX (sfs.f_bsize, OB_TAR_BLOCK);
  if (fs_block % OB_TAR_BLOCK != 0)
    {
      g_autofree char *size = g_strdup_printf ("%" G_GOFFSET_FORMAT, (goffset) fs_block);

      *reason = g_strdup_printf (_("the file system block size (%s) is not a multiple of 512"), size);
      return TRUE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (in_place && !backup && st.st_nlink == 1)
    {
      if (plan_in_place (&plan, fd, index, m, ovf, fs_block, &local_error))
        {
          if (edit_in_place (source_path, fd, &plan, &local_error))
            {
              *strategy_out = plan.strategy;
              return TRUE;
            }
          if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_clear_error (&local_error);
        }
      else if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      plan_clear (&plan);
      plan = (Plan) { 0 };
    }

  if (!plan_copy (&plan, fd, index, m, ovf, fs_block, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      *reason = g_strdup (_("the OVF is not in an ASCII-compatible encoding, so it cannot be padded"));
      return TRUE;
    }
  if (write_copy (source_path, fd, dest_path, in_place, &plan, index->file_size, backup, &local_error))
    {
      *strategy_out = OB_OVA_STRATEGY_REFLINK;
      return TRUE;
    }
  if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!in_place)
    *reason = g_strdup (_("the file system cannot share extents between the two files"));
  else if (backup)
    *reason = g_strdup (_("a backup of the old archive is kept and the file system cannot share extents"));
  else if (st.st_nlink > 1)
    *reason = g_strdup (_("the archive has other hard links and the file system cannot share extents"));
  else
    *reason = g_strdup (_("the OVF grows and the file system can neither insert blocks into a file nor share extents"));
  return TRUE;
}

gboolean
ob_ova_inplace_save (const char     *source_path,
                     const char     *dest_path,
                     gboolean        in_place,
                     const char     *member,
                     GBytes         *ovf,
                     gboolean        backup,
                     ObOvaStrategy  *strategy_out,
                     char          **note,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_autofree char *undone = NULL;
  g_autofree char *reason = NULL;
  gboolean ok;
  int fd;

  g_return_val_if_fail (source_path != NULL && dest_path != NULL && member != NULL, FALSE);

  *strategy_out = OB_OVA_STRATEGY_STREAM;
  *note = NULL;

  fd = open_source (source_path, in_place, &undone, error);
  if (fd < 0)
    return FALSE;
  ok = save_with_fd (fd, source_path, dest_path, in_place, member, ovf, backup,
                     strategy_out, &reason, cancellable, error);
  close (fd);

  if (ok && reason != NULL)
    {
      g_autofree char *why = g_strdup_printf (_("“%s”: writing a whole new copy of the archive: %s"),
                                              dest_path, reason);
      char *both = undone ? g_strconcat (undone, "\n", why, NULL) : g_strdup (why);

      ok = check_free_space (source_path, dest_path, error);
      g_free (undone);
      undone = both;
    }
  else if (ok)
    g_debug ("%s: saved (%s)", dest_path, ob_ova_strategy_to_string (*strategy_out));
  *note = g_steal_pointer (&undone);
  return ok;
}
