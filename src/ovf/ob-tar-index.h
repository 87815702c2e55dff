/* ob-tar-index.h: where each member of a tar archive lies, read from the
 * headers themselves (ustar, GNU and pax), for editing the archive in place.
 *
 * libarchive hides the layout (pax and GNU long-name headers, GNU sparse
 * extension blocks), so offsets come from here. Only headers are read; the
 * members' data is skipped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OB_TAR_BLOCK 512

typedef struct
{
  char *name;
  goffset start;            /* first header block, pax and GNU long-name headers included
                             * (and a pax global header among them) */
  goffset header;           /* the member's own ustar/GNU header */
  goffset data;             /* its first data byte */
  guint64 size;             /* data bytes stored in the archive */
  char typeflag;
  gboolean size_from_pax;   /* the size came from a pax "size" record */
  goffset pax_header;       /* with size_from_pax: the header of that pax record's block */
  guint64 pax_size;         /* and its data bytes */
  gboolean pax_sparse;      /* a pax record says GNU sparse (GNU.sparse.*) */
} ObTarMember;

typedef struct
{
  GPtrArray *members;       /* ObTarMember*, in archive order */
  goffset end;              /* where the end-of-archive zero blocks start (or EOF) */
  goffset file_size;
} ObTarIndex;

/* Reads the headers of the archive open as @fd. Fails (OB_ERROR_BAD_INPUT,
 * naming @display) on a bad checksum, a header past the end of the file,
 * or a member type whose layout is not known. */
ObTarIndex        *ob_tar_index_read       (int                 fd,
                                            const char         *display,
                                            GError            **error);
void               ob_tar_index_free       (ObTarIndex         *index);

/* The member called @name, or NULL; *count_out gets how many there are. */
const ObTarMember *ob_tar_index_find       (ObTarIndex         *index,
                                            const char         *name,
                                            guint              *count_out);
/* TRUE when only the end-of-archive blocks follow @member. */
gboolean           ob_tar_index_is_last    (ObTarIndex         *index,
                                            const ObTarMember  *member);

/* Blocks that @size bytes of data take. */
guint64            ob_tar_blocks           (guint64             size);
/* Just after the member's data and padding. */
goffset            ob_tar_member_end       (const ObTarMember  *member);

/* Sets the size field of @header (octal) and its checksum. */
void               ob_tar_header_set_size  (guint8             *header,
                                            guint64             size);

/* The largest size the octal size field holds (11 digits). */
#define OB_TAR_MAX_OCTAL_SIZE G_GUINT64_CONSTANT (077777777777)

/* The pax records @data (@len bytes) with the value of "size" set to
 * @size, every other record as it is. */
GByteArray        *ob_tar_pax_set_size     (const char         *data,
                                            gsize               len,
                                            guint64             size);

/* GNU tar and Python's tarfile pad archives to whole 10 KiB records. */
#define OB_TAR_RECORD (20 * OB_TAR_BLOCK)

/* Where an archive whose last member ends at @end ends: two zero blocks,
 * then zeros to a whole record when the old archive (@old_size bytes)
 * had whole records. */
goffset            ob_tar_archive_end      (goffset             end,
                                            goffset             old_size);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObTarIndex, ob_tar_index_free)

G_END_DECLS
