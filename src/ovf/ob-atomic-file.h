/* ob-atomic-file.h: write a file so that a crash at any moment leaves
 * either the old content or the new one.
 *
 * The data goes to a temp file in the destination's directory, which gets
 * the owner and permissions of the file it replaces (or of a template file)
 * before any byte is written; commit fsyncs it, optionally keeps the old
 * file as DESTINATION.bak, renames it over the destination and fsyncs the
 * directory. Disposing of an
 * uncommitted ObAtomicFile (or any failure) removes the temp file.
 *
 * Blocks of zeros are written as holes (seek instead of write), so a large
 * mostly-empty disk image streamed into an OVA stays sparse on disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OB_TYPE_ATOMIC_FILE (ob_atomic_file_get_type ())
G_DECLARE_FINAL_TYPE (ObAtomicFile, ob_atomic_file, OB, ATOMIC_FILE, GObject)

/* Creates the temp file next to @path. Fails with OB_ERROR_IO when the
 * directory is missing or not writable, or when @path exists and is
 * read-only (no user write bit: refused even for root). @mode_template, when
 * not NULL, is a file whose permissions a new destination gets (the source
 * of a --output copy); otherwise an existing destination keeps its own and a
 * new one gets 0666 & ~umask. */
ObAtomicFile *ob_atomic_file_new    (const char    *path,
                                     const char    *mode_template,
                                     GError       **error);

const char   *ob_atomic_file_get_path      (ObAtomicFile  *self);
const char   *ob_atomic_file_get_temp_path (ObAtomicFile  *self);

/* Appends @size bytes. Fails with OB_ERROR_IO (for example on ENOSPC). */
gboolean      ob_atomic_file_write  (ObAtomicFile  *self,
                                     const void    *data,
                                     gsize          size,
                                     GError       **error);

/* Appends @length bytes of @src_fd from @src_offset by sharing their
 * extents (FICLONERANGE), writing no data. Both offsets must be file system
 * block aligned, and @length too unless it reaches the end of @src_fd.
 * Fails with G_IO_ERROR_NOT_SUPPORTED where the file system cannot share
 * extents (ext4, tmpfs, two file systems); nothing is appended then. */
gboolean      ob_atomic_file_clone_range (ObAtomicFile  *self,
                                          int            src_fd,
                                          goffset        src_offset,
                                          goffset        length,
                                          GError       **error);

/* Makes the written data the destination. @backup keeps the previous
 * destination (if any) as "PATH.bak". After a failure the temp file is gone
 * and the destination untouched. */
gboolean      ob_atomic_file_commit (ObAtomicFile  *self,
                                     gboolean       backup,
                                     GError       **error);

/* Drops the temp file; also done on dispose when not committed. */
void          ob_atomic_file_abort  (ObAtomicFile  *self);

/* Writes @bytes to @path atomically in one go. */
gboolean      ob_atomic_file_replace_contents (const char *path,
                                               GBytes     *bytes,
                                               const char *mode_template,
                                               gboolean    backup,
                                               GError    **error);

G_END_DECLS
