/* ob-file-io.h: whole-buffer positioned reads and writes (retrying short
 * transfers and EINTR), and making a directory entry durable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* FALSE with errno set on failure; EIO when the file ends first. */
gboolean ob_file_pread_all   (int          fd,
                              void        *buf,
                              gsize        len,
                              goffset      offset);
gboolean ob_file_pwrite_all  (int          fd,
                              const void  *buf,
                              gsize        len,
                              goffset      offset);

/* fsyncs the directory holding @path (best effort: a rename or unlink
 * there is already done, this makes it durable). */
void     ob_file_sync_dir_of (const char  *path);

G_END_DECLS
