/* ob-ova-archive.h: the OVF member of an OVA (a tar archive), read with
 * libarchive and replaced. Disk members are streamed, never held in memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ob-atomic-file.h"

G_BEGIN_DECLS

/* TRUE when @header (the first bytes of a file, at least 512 to say yes)
 * is a tar header (ustar or GNU magic). */
gboolean ob_ova_archive_sniff              (const guint8  *header,
                                            gsize          size);

/* Finds the OVF member: "vm.ovf", else "template.ovf", else the first
 * "*.ovf" (by base name). Returns its content and sets @member_out to its
 * path in the archive. OB_ERROR_BAD_INPUT when the file is not a readable
 * tar, is truncated, has no .ovf member, or the member exceeds @max_size. */
GBytes  *ob_ova_archive_read_ovf           (const char    *path,
                                            gsize          max_size,
                                            char         **member_out,
                                            GCancellable  *cancellable,
                                            GError       **error);

/* Manifests list a few members; a bigger one is refused. */
#define OB_OVA_MAX_MANIFEST_SIZE (1024 * 1024)

/* The same, reading @want_member when not NULL (OB_ERROR_USAGE, naming
 * the OVF members, when there is no such .ovf member), and also returning
 * (each out argument may be NULL) every .ovf member in archive order, the
 * first manifest member ("*.mf") with its content and the first signature
 * member ("*.cert"), or NULL when there is none. */
GBytes  *ob_ova_archive_read_ovf_full      (const char    *path,
                                            gsize          max_size,
                                            const char    *want_member,
                                            char         **member_out,
                                            GPtrArray    **ovf_members_out,
                                            char         **manifest_member_out,
                                            GBytes       **manifest_out,
                                            char         **cert_member_out,
                                            GCancellable  *cancellable,
                                            GError       **error);

/* Copies the archive at @source_path into @out, member by member in the
 * same order, except that @member gets @ovf as its content: byte for byte
 * by the tar index where it can read the archive (ob-ova-stream.h), else
 * through libarchive with the same metadata. Does not commit @out. */
gboolean ob_ova_archive_write_with_ovf     (const char    *source_path,
                                            const char    *member,
                                            GBytes        *ovf,
                                            ObAtomicFile  *out,
                                            GCancellable  *cancellable,
                                            GError       **error);

/* The same for several members: @replacements maps a member name to its
 * new content (GBytes), or to NULL to leave the member out. */
gboolean ob_ova_archive_write_replacing    (const char    *source_path,
                                            GHashTable    *replacements,
                                            ObAtomicFile  *out,
                                            GCancellable  *cancellable,
                                            GError       **error);

G_END_DECLS
