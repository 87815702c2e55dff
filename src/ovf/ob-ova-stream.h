/* ob-ova-stream.h: a whole new copy of an OVA in which a few members get
 * new content, written by the offsets of ob-tar-index.h: every byte of
 * every other member (headers, pax and GNU extension records, data) and
 * every pax global header is copied as it is; only the replaced members'
 * own headers and data are written anew (their extension records kept,
 * a pax "size" record updated).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ob-atomic-file.h"

G_BEGIN_DECLS

/* Copies the archive at @source_path into @out, replacing members as
 * ob_ova_archive_write_replacing() says. When the index cannot describe
 * the archive or a replaced member (an unknown member type, a name found
 * twice or not at all, a sparse member), nothing is written and
 * *@applied is FALSE. Does not commit @out. */
gboolean ob_ova_stream_replacing (const char    *source_path,
                                  GHashTable    *replacements,
                                  ObAtomicFile  *out,
                                  gboolean      *applied,
                                  GCancellable  *cancellable,
                                  GError       **error);

G_END_DECLS
