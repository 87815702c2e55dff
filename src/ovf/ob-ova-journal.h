/* ob-ova-journal.h: the undo record that makes an in-place OVA edit
 * crash-safe.
 *
 * An in-place edit overwrites a few regions of the archive (headers, the
 * OVF, a manifest) and may insert file system blocks; neither is atomic.
 * Before the first byte changes, the record ".NAME.ova-undo" beside the
 * archive gets the old bytes of every region, any inserted range and the
 * old size, and is fsynced with its directory. Once the edit is fsynced
 * the record is removed. Whoever opens the archive next and finds a record
 * puts the old bytes back: after a crash at any moment the archive is the
 * old one or the new one, never a mix.
 *
 * Writers hold an exclusive flock() on the archive from before the record
 * is written until it is removed; readers (ob_ova_journal_open_shared())
 * hold a shared one while they read, so they never see half an edit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _ObOvaJournal ObOvaJournal;

/* ".NAME.ova-undo" in the directory of @archive_path (symbolic links
 * resolved, so every path to the archive finds the same record). */
char         *ob_ova_journal_path        (const char    *archive_path);

/* Starts a record for the archive open (read-write) as @archive_fd. */
ObOvaJournal *ob_ova_journal_new         (const char    *archive_path,
                                          int            archive_fd,
                                          GError       **error);
void          ob_ova_journal_free        (ObOvaJournal  *journal);

/* Keeps the current bytes [@offset, @offset + @length) of the archive. */
gboolean      ob_ova_journal_add_region  (ObOvaJournal  *journal,
                                          goffset        offset,
                                          gsize          length,
                                          GError       **error);
/* The edit will insert @length bytes at @offset (FALLOC_FL_INSERT_RANGE). */
void          ob_ova_journal_set_insert  (ObOvaJournal  *journal,
                                          goffset        offset,
                                          goffset        length);

/* Writes the record and fsyncs it and its directory: only then may the
 * archive change. */
gboolean      ob_ova_journal_write       (ObOvaJournal  *journal,
                                          GError       **error);
/* Call once the edited archive is fsynced: removes the record. */
gboolean      ob_ova_journal_finish      (ObOvaJournal  *journal,
                                          GError       **error);

/* With @archive_fd open read-write and locked exclusively: when a record
 * exists, undoes the edit it describes and removes it. *@note gets a
 * one-line message for the user when an edit was undone, else NULL. */
gboolean      ob_ova_journal_recover     (const char    *archive_path,
                                          int            archive_fd,
                                          char         **note,
                                          GError       **error);

/* For readers: undoes an interrupted edit if there is one (*@note as
 * above), then returns a descriptor of the archive holding a shared lock,
 * to close once the archive is read; -1 with @error set on failure. */
int           ob_ova_journal_open_shared (const char    *archive_path,
                                          char         **note,
                                          GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObOvaJournal, ob_ova_journal_free)

G_END_DECLS
