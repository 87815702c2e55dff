/* ob-ova-journal.c
 *
 * Record layout (integers little-endian):
 *   "OBOVAJ1\n", u64 device, u64 inode, u64 old size,
 *   u64 insert offset, u64 insert length (0: none), u32 region count,
 *   per region: u64 offset, u64 length, the old bytes;
 *   then the SHA-256 of everything before it.
 * A record whose digest does not match was cut short while being written,
 * before the archive was touched: it is dropped. A record for another
 * inode (the archive was replaced since) is dropped too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ob-error.h"
#include "ob-file-io.h"
#include "ob-ova-journal.h"

#define MAGIC "OBOVAJ1\n"
#define DIGEST_LEN 32
/* The OVF is capped at 64 MiB; a record this big is not ours. */
#define MAX_RECORD_SIZE (512 * 1024 * 1024)

struct _ObOvaJournal
{
  char *archive_path;
  char *path;
  int fd;
  GByteArray *body;
  guint32 n_regions;
  guint64 insert_at;
  guint64 insert_len;
  guint64 old_size;
  guint64 dev;
  guint64 ino;
  gboolean written;
};

static void
set_io_error (GError     **error,
              int          errsv,
              const char  *what,
              const char  *path)
{
  g_set_error (error, OB_ERROR, OB_ERROR_IO, "%s “%s”: %s", what, path, g_strerror (errsv));
}

char *
ob_ova_journal_path (const char *archive_path)
{
  g_autofree char *resolved = realpath (archive_path, NULL);
  const char *path = resolved ? resolved : archive_path;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strdup_printf (".%s.ova-undo", base);

  return g_build_filename (dir, name, NULL);
}

static void
put_u64 (GByteArray *a,
         guint64     v)
{
  guint64 le = GUINT64_TO_LE (v);

  g_byte_array_append (a, (const guint8 *) &le, sizeof le);
}

ObOvaJournal *
ob_ova_journal_new (const char  *archive_path,
                    int          archive_fd,
                    GError     **error)
{
  ObOvaJournal *j;
  struct stat st;

  if (fstat (archive_fd, &st) != 0)
    {
      set_io_error (error, errno, _("Cannot read"), archive_path);
      return NULL;
    }
  j = g_new0 (ObOvaJournal, 1);
  j->archive_path = g_strdup (archive_path);
  j->path = ob_ova_journal_path (archive_path);
  j->fd = archive_fd;
  j->body = g_byte_array_new ();
  j->old_size = st.st_size;
  j->dev = st.st_dev;
  j->ino = st.st_ino;
  return j;
}

void
ob_ova_journal_free (ObOvaJournal *journal)
{
  if (journal == NULL)
    return;
  g_free (journal->archive_path);
  g_free (journal->path);
  g_byte_array_unref (journal->body);
  g_free (journal);
}

gboolean
ob_ova_journal_add_region (ObOvaJournal  *journal,
                           goffset        offset,
                           gsize          length,
                           GError       **error)
{
  guint old_len = journal->body->len;

  g_return_val_if_fail (!journal->written, FALSE);

  put_u64 (journal->body, offset);
  put_u64 (journal->body, length);
  g_byte_array_set_size (journal->body, old_len + 16 + length);
  if (!ob_file_pread_all (journal->fd, journal->body->data + old_len + 16, length, offset))
    {
      set_io_error (error, errno, _("Cannot read"), journal->archive_path);
      g_byte_array_set_size (journal->body, old_len);
      return FALSE;
    }
  journal->n_regions++;
  return TRUE;
}

void
ob_ova_journal_set_insert (ObOvaJournal *journal,
                           goffset       offset,
                           goffset       length)
{
  journal->insert_at = offset;
  journal->insert_len = length;
}

gboolean
ob_ova_journal_write (ObOvaJournal  *journal,
                      GError       **error)
{
  g_autoptr(GByteArray) record = g_byte_array_new ();
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[DIGEST_LEN];
  gsize digest_len = sizeof digest;
  guint32 n_le = GUINT32_TO_LE (journal->n_regions);
  int fd;

  g_byte_array_append (record, (const guint8 *) MAGIC, 8);
  put_u64 (record, journal->dev);
  put_u64 (record, journal->ino);
  put_u64 (record, journal->old_size);
  put_u64 (record, journal->insert_at);
  put_u64 (record, journal->insert_len);
  g_byte_array_append (record, (const guint8 *) &n_le, sizeof n_le);
  g_byte_array_append (record, journal->body->data, journal->body->len);
  g_checksum_update (sum, record->data, record->len);
  g_checksum_get_digest (sum, digest, &digest_len);
  g_byte_array_append (record, digest, sizeof digest);

  fd = open (journal->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      set_io_error (error, errno, _("Cannot write the undo record"), journal->path);
      return FALSE;
    }
  if (!ob_file_pwrite_all (fd, record->data, record->len, 0) || fsync (fd) != 0)
    {
      set_io_error (error, errno, _("Cannot write the undo record"), journal->path);
      close (fd);
      g_unlink (journal->path);
      return FALSE;
    }
  close (fd);
  ob_file_sync_dir_of (journal->path);
  journal->written = TRUE;
  return TRUE;
}

gboolean
ob_ova_journal_finish (ObOvaJournal  *journal,
                       GError       **error)
{
  if (g_unlink (journal->path) != 0 && errno != ENOENT)
    {
      set_io_error (error, errno, _("Cannot remove the undo record"), journal->path);
      return FALSE;
    }
  ob_file_sync_dir_of (journal->path);
  journal->written = FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Recovery                                                            */

typedef struct
{
  const guint8 *p;
  gsize left;
} Reader;

static gboolean
take (Reader       *r,
      gsize         n,
      const guint8 **out)
{
  if (r->left < n)
    return FALSE;
  *out = r->p;
  r->p += n;
  r->left -= n;
  return TRUE;
}

static gboolean
take_u64 (Reader  *r,
          guint64 *v)
{
  const guint8 *p;
  guint64 le;

  if (!take (r, 8, &p))
    return FALSE;
  memcpy (&le, p, 8);
  *v = GUINT64_FROM_LE (le);
  return TRUE;
}

/* FALSE when the record is incomplete or not ours. */
static gboolean
record_is_whole (const guint8 *data,
                 gsize         len)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[DIGEST_LEN];
  gsize digest_len = sizeof digest;

  if (len < 8 + 5 * 8 + 4 + DIGEST_LEN || memcmp (data, MAGIC, 8) != 0)
    return FALSE;
  g_checksum_update (sum, data, len - DIGEST_LEN);
  g_checksum_get_digest (sum, digest, &digest_len);
  return memcmp (digest, data + len - DIGEST_LEN, DIGEST_LEN) == 0;
}

static gboolean
undo (const char    *archive_path,
      const char    *record_path,
      int            fd,
      const guint8  *data,
      gsize          len,
      GError       **error)
{
  Reader r = { data + 8, len - 8 - DIGEST_LEN };
  guint64 old_size, insert_at, insert_len, dummy;
  const guint8 *n_raw;
  guint32 n_regions, i;
  struct stat st;

  if (!take_u64 (&r, &dummy) || !take_u64 (&r, &dummy) || !take_u64 (&r, &old_size) ||
      !take_u64 (&r, &insert_at) || !take_u64 (&r, &insert_len) || !take (&r, 4, &n_raw))
    goto damaged;
  memcpy (&n_regions, n_raw, 4);
  n_regions = GUINT32_FROM_LE (n_regions);

  if (fstat (fd, &st) != 0)
    {
      set_io_error (error, errno, _("Cannot read"), archive_path);
      return FALSE;
    }
  /* The size tells whether the insertion happened. */
  if (insert_len > 0 && (guint64) st.st_size == old_size + insert_len)
    {
      if (fallocate (fd, FALLOC_FL_COLLAPSE_RANGE, insert_at, insert_len) != 0)
        {
          set_io_error (error, errno, _("Cannot undo the interrupted edit of"), archive_path);
          return FALSE;
        }
    }
  else if (insert_len > 0 && (guint64) st.st_size != old_size)
    goto damaged;

  for (i = 0; i < n_regions; i++)
    {
      guint64 offset, length;
      const guint8 *bytes;

      if (!take_u64 (&r, &offset) || !take_u64 (&r, &length) || !take (&r, length, &bytes))
        goto damaged;
      if (!ob_file_pwrite_all (fd, bytes, length, offset))
        {
          set_io_error (error, errno, _("Cannot undo the interrupted edit of"), archive_path);
          return FALSE;
        }
    }
  if (ftruncate (fd, old_size) != 0 || fsync (fd) != 0)
    {
      set_io_error (error, errno, _("Cannot undo the interrupted edit of"), archive_path);
      return FALSE;
    }
  return TRUE;

damaged:
  g_set_error (error, OB_ERROR, OB_ERROR_IO,
               _("“%s” has an unfinished edit whose undo record does not match the file; "
                 "it was left as it is (record “%s”)"),
               archive_path, record_path);
  return FALSE;
}

gboolean
ob_ova_journal_recover (const char  *archive_path,
                        int          archive_fd,
                        char       **note,
                        GError     **error)
{
  g_autofree char *path = ob_ova_journal_path (archive_path);
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;
  struct stat st;
  guint64 dev, ino;

  *note = NULL;
  if (g_lstat (path, &st) != 0)
    return TRUE;
  if (!S_ISREG (st.st_mode) || st.st_size > MAX_RECORD_SIZE)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_IO,
                   _("“%s” is not an undo record; move it away to open “%s”"), path, archive_path);
      return FALSE;
    }
  if (!g_file_get_contents (path, &data, &len, &local_error))
    {
      g_set_error (error, OB_ERROR, OB_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }

  if (record_is_whole ((const guint8 *) data, len) && fstat (archive_fd, &st) == 0)
    {
      memcpy (&dev, data + 8, 8);
      memcpy (&ino, data + 16, 8);
      if (GUINT64_FROM_LE (dev) == (guint64) st.st_dev && GUINT64_FROM_LE (ino) == (guint64) st.st_ino)
        {
          if (!undo (archive_path, path, archive_fd, (const guint8 *) data, len, error))
            return FALSE;
          *note = g_strdup_printf (_("“%s”: an interrupted edit was undone; the archive is as it was before it"),
                                   archive_path);
        }
    }

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      set_io_error (error, errno, _("Cannot remove the undo record"), path);
      g_clear_pointer (note, g_free);
      return FALSE;
    }
  ob_file_sync_dir_of (path);
  return TRUE;
}

static int
open_locked (const char  *path,
             int          flags,
             int          operation,
             GError     **error)
{
  int fd = g_open (path, flags | O_CLOEXEC, 0);

  if (fd < 0)
    {
      set_io_error (error, errno, _("Cannot open"), path);
      return -1;
    }
  while (flock (fd, operation) != 0)
    {
      if (errno != EINTR)
        {
          set_io_error (error, errno, _("Cannot lock"), path);
          close (fd);
          return -1;
        }
    }
  return fd;
}

int
ob_ova_journal_open_shared (const char  *archive_path,
                            char       **note,
                            GError     **error)
{
  g_autofree char *path = ob_ova_journal_path (archive_path);

  *note = NULL;
  for (;;)
    {
      int fd;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          fd = open_locked (archive_path, O_RDONLY, LOCK_SH, error);
          /* A record appearing now is a writer's that died before we
           * got the lock: undo it first. */
          if (fd < 0 || !g_file_test (path, G_FILE_TEST_EXISTS))
            return fd;
          close (fd);
        }

      fd = open_locked (archive_path, O_RDWR, LOCK_EX, NULL);
      if (fd < 0)
        {
          g_set_error (error, OB_ERROR, OB_ERROR_IO,
                       _("“%s” has an unfinished in-place edit (undo record “%s”) and cannot be "
                         "restored without write access: %s"), archive_path, path, g_strerror (errno));
          return -1;
        }
      g_free (*note);
      if (!ob_ova_journal_recover (archive_path, fd, note, error))
        {
          close (fd);
          return -1;
        }
      close (fd);
    }
}
