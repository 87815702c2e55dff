/* ob-ova-inplace.h: saving the OVF member of an OVA by touching only the
 * descriptor's bytes and its tar headers, never a disk member's.
 *
 * Strategies, cheapest first:
 *  FITS     the new OVF takes as many 512-byte blocks as the old one: its
 *           header and data are overwritten in place (an OVF that shrinks
 *           by whole blocks is padded with whitespace after its root
 *           element; trailing whitespace from an earlier padding is
 *           dropped when that makes it fit);
 *  TAIL     the OVF is the last member: the tail is rewritten, the file
 *           truncated or extended;
 *  INSERT   the OVF grows: whole file system blocks are inserted into the
 *           file (fallocate FALLOC_FL_INSERT_RANGE, ext4 and XFS) and the
 *           OVF enlarged, with whitespace, to fill them exactly;
 *  REFLINK  a new file shares the old one's extents (FICLONERANGE, btrfs
 *           and XFS) except for the rewritten blocks, and is renamed over.
 * The first three edit the archive itself under an undo journal
 * (ob-ova-journal.h); mode, owner, links and holes stay as they are.
 * When none applies the caller streams a whole new archive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  OB_OVA_STRATEGY_STREAM,   /* nothing written: the caller streams a copy */
  OB_OVA_STRATEGY_FITS,
  OB_OVA_STRATEGY_TAIL,
  OB_OVA_STRATEGY_INSERT,
  OB_OVA_STRATEGY_REFLINK,
} ObOvaStrategy;

/* "stream", "fits", "tail", "insert", "reflink". */
const char *ob_ova_strategy_to_string (ObOvaStrategy strategy);

/* Replaces the content of @member of the OVA @source_path with @ovf,
 * writing @dest_path: the same file when @in_place (edited in place unless
 * @backup, which needs the old file kept: then REFLINK), else a new file
 * (REFLINK). Returns FALSE with @error set on failure. On success
 * *@strategy_out says what was done; OB_OVA_STRATEGY_STREAM means nothing
 * was written and the caller must stream a copy: *@note then says why in
 * one line, and the free space was checked. *@note may also report that an
 * interrupted earlier edit was undone first. */
gboolean    ob_ova_inplace_save      (const char     *source_path,
                                      const char     *dest_path,
                                      gboolean        in_place,
                                      const char     *member,
                                      GBytes         *ovf,
                                      gboolean        backup,
                                      ObOvaStrategy  *strategy_out,
                                      char          **note,
                                      GCancellable   *cancellable,
                                      GError        **error);

G_END_DECLS
