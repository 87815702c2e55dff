/* ob-file-io.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "ob-file-io.h"

gboolean
ob_file_pread_all (int      fd,
                   void    *buf,
                   gsize    len,
                   goffset  offset)
{
  guint8 *p = buf;

  while (len > 0)
    {
      gssize n = pread (fd, p, len, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n == 0)
            errno = EIO;
          return FALSE;
        }
      p += n;
      len -= n;
      offset += n;
    }
  return TRUE;
}

gboolean
ob_file_pwrite_all (int         fd,
                    const void *buf,
                    gsize       len,
                    goffset     offset)
{
  const guint8 *p = buf;

  while (len > 0)
    {
      gssize n = pwrite (fd, p, len, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      p += n;
      len -= n;
      offset += n;
    }
  return TRUE;
}

void
ob_file_sync_dir_of (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}
