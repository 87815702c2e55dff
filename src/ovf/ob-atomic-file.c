/* ob-atomic-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdarg.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <linux/fs.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ob-atomic-file.h"
#include "ob-error.h"

/* Zero runs shorter than this are written: a hole costs a seek. */
#define HOLE_MIN_SIZE 4096

/* A temp file left by a killed save is removed by a later save of the same
 * file once nobody holds its lock and it is older than this (the age
 * covers the moment between creating a temp file and locking it). */
#define STALE_TEMP_AGE_SECONDS 60

struct _ObAtomicFile
{
  GObject parent_instance;

  char *path;
  char *temp_path;
  int fd;
  goffset offset;
  gboolean set_mode;
  mode_t mode;
  gboolean set_owner;
  uid_t uid;
  gid_t gid;
  gboolean committed;
};

G_DEFINE_FINAL_TYPE (ObAtomicFile, ob_atomic_file, G_TYPE_OBJECT)

static void set_io_error (GError     **error,
                          int          errsv,
                          const char  *format,
                          ...) G_GNUC_PRINTF (3, 4);

static void
set_io_error (GError     **error,
              int          errsv,
              const char  *format,
              ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, OB_ERROR, OB_ERROR_IO, "%s: %s", what, g_strerror (errsv));
}

void
ob_atomic_file_abort (ObAtomicFile *self)
{
  g_return_if_fail (OB_IS_ATOMIC_FILE (self));

  if (self->fd >= 0)
    {
      close (self->fd);
      self->fd = -1;
    }
  if (self->temp_path != NULL && !self->committed)
    g_unlink (self->temp_path);
  g_clear_pointer (&self->temp_path, g_free);
}

static void
ob_atomic_file_finalize (GObject *object)
{
  ObAtomicFile *self = OB_ATOMIC_FILE (object);

  ob_atomic_file_abort (self);
  g_free (self->path);

  G_OBJECT_CLASS (ob_atomic_file_parent_class)->finalize (object);
}

static void
ob_atomic_file_class_init (ObAtomicFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ob_atomic_file_finalize;
}

static void
ob_atomic_file_init (ObAtomicFile *self)
{
  self->fd = -1;
}

/* Temp files are ".BASE.XXXXXX" (see ob_atomic_file_new()). */
static gboolean
is_temp_name_of (const char *name,
                 const char *base)
{
  gsize blen = strlen (base);

  return name[0] == '.' && strncmp (name + 1, base, blen) == 0 &&
         name[1 + blen] == '.' && strlen (name + 2 + blen) == 6;
}

/* Removes temp files of @base whose writer is gone: a live save holds an
 * exclusive flock() on its temp file until it commits or aborts, and the
 * kernel drops it when the process dies, even by SIGKILL. */
static void
remove_stale_temps (const char *dir,
                    const char *base)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      struct stat st;
      int fd;

      if (!is_temp_name_of (name, base))
        continue;
      path = g_build_filename (dir, name, NULL);
      fd = g_open (path, O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0);
      if (fd < 0)
        continue;
      if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) &&
          now - st.st_mtime > STALE_TEMP_AGE_SECONDS &&
          flock (fd, LOCK_EX | LOCK_NB) == 0)
        {
          g_debug ("removing %s, left by an interrupted save", path);
          g_unlink (path);
        }
      close (fd);
    }
}

ObAtomicFile *
ob_atomic_file_new (const char  *path,
                    const char  *mode_template,
                    GError     **error)
{
  g_autoptr(ObAtomicFile) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *template = NULL;
  g_autofree char *resolved = NULL;
  struct stat st;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  /* Renaming over a symlink would replace the link: write its target. */
  if (g_lstat (path, &st) == 0 && S_ISLNK (st.st_mode))
    {
      resolved = realpath (path, NULL);
      if (resolved == NULL)
        {
          set_io_error (error, errno, _("Cannot write “%s”: cannot resolve the symbolic link"), path);
          return NULL;
        }
      path = resolved;
    }

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);

  if (g_stat (dir, &st) != 0)
    {
      int errsv = errno;

      if (errsv == ENOENT)
        g_set_error (error, OB_ERROR, OB_ERROR_IO,
                     _("Cannot write “%s”: the directory “%s” does not exist"), path, dir);
      else
        set_io_error (error, errsv, _("Cannot write “%s”"), path);
      return NULL;
    }
  if (!S_ISDIR (st.st_mode))
    {
      g_set_error (error, OB_ERROR, OB_ERROR_IO,
                   _("Cannot write “%s”: “%s” is not a directory"), path, dir);
      return NULL;
    }

  self = g_object_new (OB_TYPE_ATOMIC_FILE, NULL);
  self->path = g_strdup (path);

  if (g_stat (path, &st) == 0)
    {
      if (!S_ISREG (st.st_mode))
        {
          g_set_error (error, OB_ERROR, OB_ERROR_IO,
                       _("Cannot write “%s”: it is not a regular file"), path);
          return NULL;
        }
      /* Checked on the mode bits, not with access(): root may write
       * anything, but a file its owner marked read-only is not to be
       * replaced behind their back. */
      if ((st.st_mode & S_IWUSR) == 0)
        {
          g_set_error (error, OB_ERROR, OB_ERROR_IO,
                       _("Cannot write “%s”: the file is read-only"), path);
          return NULL;
        }
      self->set_mode = TRUE;
      self->mode = st.st_mode & 07777;
      self->set_owner = TRUE;
      self->uid = st.st_uid;
      self->gid = st.st_gid;
    }
  else if (mode_template != NULL && g_stat (mode_template, &st) == 0)
    {
      self->set_mode = TRUE;
      self->mode = st.st_mode & 07777;
    }

  /* Hidden and in the same directory, so the final rename is atomic and an
   * interrupted run leaves nothing that looks like a real file. */
  template = g_strdup_printf ("%s%s.%s.XXXXXX", dir, G_DIR_SEPARATOR_S, base);
  /* Private until it has the final owner and mode, which it gets before
   * any byte is written: a file of mode 0600 never has a readable copy. */
  fd = g_mkstemp_full (template, O_RDWR | O_CLOEXEC, self->set_mode ? 0600 : 0666);
  if (fd < 0)
    {
      int errsv = errno;

      if (errsv == EACCES || errsv == EPERM || errsv == EROFS)
        g_set_error (error, OB_ERROR, OB_ERROR_IO,
                     _("Cannot write “%s”: the directory “%s” is not writable (%s)"),
                     path, dir, g_strerror (errsv));
      else
        set_io_error (error, errsv, _("Cannot create a temporary file for “%s”"), path);
      return NULL;
    }

  /* Keep the owner when root edits someone else's file; not fatal. The
   * mode comes after: chown() may clear set-id bits. */
  if (self->set_owner && fchown (fd, self->uid, self->gid) != 0)
    g_debug ("cannot keep the owner of %s: %s", path, g_strerror (errno));
  if (self->set_mode && fchmod (fd, self->mode) != 0)
    {
      int errsv = errno;

      close (fd);
      g_unlink (template);
      set_io_error (error, errsv, _("Cannot set the permissions of a temporary file for “%s”"), path);
      return NULL;
    }

  /* Held until commit or abort; tells remove_stale_temps() we are alive. */
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    g_debug ("cannot lock %s: %s", template, g_strerror (errno));

  self->fd = fd;
  self->temp_path = g_steal_pointer (&template);
  remove_stale_temps (dir, base);
  return g_steal_pointer (&self);
}

const char *
ob_atomic_file_get_path (ObAtomicFile *self)
{
  g_return_val_if_fail (OB_IS_ATOMIC_FILE (self), NULL);
  return self->path;
}

const char *
ob_atomic_file_get_temp_path (ObAtomicFile *self)
{
  g_return_val_if_fail (OB_IS_ATOMIC_FILE (self), NULL);
  return self->temp_path;
}

static gboolean
is_all_zero (const guint8 *data,
             gsize         size)
{
  return size > 0 && data[0] == 0 && memcmp (data, data + 1, size - 1) == 0;
}

gboolean
ob_atomic_file_write (ObAtomicFile  *self,
                      const void    *data,
                      gsize          size,
                      GError       **error)
{
  const guint8 *p = data;

  g_return_val_if_fail (OB_IS_ATOMIC_FILE (self), FALSE);

  if (self->fd < 0)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_IO,
                   _("Cannot write “%s”: the file is already closed"), self->path);
      return FALSE;
    }

  if (size >= HOLE_MIN_SIZE && is_all_zero (p, size))
    {
      /* The final size is fixed with ftruncate() in commit. */
      if (lseek (self->fd, (off_t) size, SEEK_CUR) < 0)
        {
          set_io_error (error, errno, _("Cannot write “%s”"), self->path);
          return FALSE;
        }
      self->offset += size;
      return TRUE;
    }

  while (size > 0)
    {
      gssize n = write (self->fd, p, size);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          set_io_error (error, errno, _("Cannot write “%s”"), self->path);
          return FALSE;
        }
      p += n;
      size -= n;
      self->offset += n;
    }

  return TRUE;
}

gboolean
ob_atomic_file_clone_range (ObAtomicFile  *self,
                            int            src_fd,
                            goffset        src_offset,
                            goffset        length,
                            GError       **error)
{
  struct file_clone_range range = { src_fd, src_offset, length, self->offset };

  g_return_val_if_fail (OB_IS_ATOMIC_FILE (self), FALSE);

  if (length == 0)
    return TRUE;
  if (self->fd < 0)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_IO,
                   _("Cannot write “%s”: the file is already closed"), self->path);
      return FALSE;
    }
  if (ioctl (self->fd, FICLONERANGE, &range) != 0)
    {
      int errsv = errno;

      if (errsv == EOPNOTSUPP || errsv == EXDEV || errsv == EINVAL || errsv == ENOTTY || errsv == ENOSYS)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                     "cannot share extents: %s", g_strerror (errsv));
      else
        set_io_error (error, errsv, _("Cannot write “%s”"), self->path);
      return FALSE;
    }
  self->offset += length;
  if (lseek (self->fd, (off_t) self->offset, SEEK_SET) < 0)
    {
      set_io_error (error, errno, _("Cannot write “%s”"), self->path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
make_backup (ObAtomicFile  *self,
             GError       **error)
{
  g_autofree char *backup = g_strconcat (self->path, ".bak", NULL);

  if (!g_file_test (self->path, G_FILE_TEST_EXISTS))
    return TRUE;

  if (g_unlink (backup) != 0 && errno != ENOENT)
    {
      set_io_error (error, errno, _("Cannot replace the backup “%s”"), backup);
      return FALSE;
    }

  /* A hard link costs nothing even for an OVA of many GiB; copy only on
   * file systems without links. */
  if (link (self->path, backup) != 0)
    {
      g_autoptr(GFile) src = g_file_new_for_path (self->path);
      g_autoptr(GFile) dst = g_file_new_for_path (backup);
      g_autoptr(GError) local_error = NULL;

      if (!g_file_copy (src, dst, G_FILE_COPY_ALL_METADATA, NULL, NULL, NULL, &local_error))
        {
          g_set_error (error, OB_ERROR, OB_ERROR_IO,
                       _("Cannot make the backup “%s”: %s"), backup, local_error->message);
          return FALSE;
        }
    }

  return TRUE;
}

static void
sync_directory (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  /* Best effort: the rename is already atomic, this makes it durable. */
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

gboolean
ob_atomic_file_commit (ObAtomicFile  *self,
                       gboolean       backup,
                       GError       **error)
{
  g_return_val_if_fail (OB_IS_ATOMIC_FILE (self), FALSE);

  if (self->fd < 0 || self->temp_path == NULL)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_IO,
                   _("Cannot write “%s”: the file is already closed"), self->path);
      return FALSE;
    }

  if (ftruncate (self->fd, (off_t) self->offset) != 0 ||
      (self->set_mode && fchmod (self->fd, self->mode) != 0) ||
      fsync (self->fd) != 0)
    {
      set_io_error (error, errno, _("Cannot write “%s”"), self->path);
      ob_atomic_file_abort (self);
      return FALSE;
    }

  if (close (self->fd) != 0)
    {
      self->fd = -1;
      set_io_error (error, errno, _("Cannot write “%s”"), self->path);
      ob_atomic_file_abort (self);
      return FALSE;
    }
  self->fd = -1;

  if (backup && !make_backup (self, error))
    {
      ob_atomic_file_abort (self);
      return FALSE;
    }

  if (g_rename (self->temp_path, self->path) != 0)
    {
      set_io_error (error, errno, _("Cannot replace “%s”"), self->path);
      ob_atomic_file_abort (self);
      return FALSE;
    }

  self->committed = TRUE;
  g_clear_pointer (&self->temp_path, g_free);
  sync_directory (self->path);
  return TRUE;
}

gboolean
ob_atomic_file_replace_contents (const char  *path,
                                 GBytes      *bytes,
                                 const char  *mode_template,
                                 gboolean     backup,
                                 GError     **error)
{
  g_autoptr(ObAtomicFile) file = NULL;
  gsize size = 0;
  const void *data = g_bytes_get_data (bytes, &size);

  file = ob_atomic_file_new (path, mode_template, error);
  if (file == NULL)
    return FALSE;

  if (!ob_atomic_file_write (file, data, size, error))
    return FALSE;

  return ob_atomic_file_commit (file, backup, error);
}
