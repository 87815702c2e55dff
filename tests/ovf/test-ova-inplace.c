/* test-ova-inplace.c: OVA edits that touch only the OVF and its tar
 * headers: each strategy with the OVF first and last, on a disk file system
 * and on tmpfs (no INSERT_RANGE), checked with GNU tar and libarchive; the
 * undo journal after an edit cut short at its worst moments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>

#include "ob-error.h"
#include "ob-ova-inplace.h"
#include "ob-ova-journal.h"
#include "ob-ovf-document.h"
#include "ob-tar-index.h"
#include "ovf-test-util.h"

#define TMPFS_MAGIC_NUMBER 0x01021994
#define DISK_SIZE (2 * 1024 * 1024)

typedef enum { CHANGE_FITS, CHANGE_SHRINKS, CHANGE_GROWS } Change;

typedef struct
{
  gboolean tmpfs;
  gboolean ovf_last;
  Change change;
  const char *format;     /* GNU tar --format */
} Case;

/* ---- helpers ------------------------------------------------------------ */

static char *
fixture_text (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "upstream", name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
write_file (const char *path,
            const void *data,
            gsize       len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
}

/* Not all zero, with a zero run in the middle that becomes a hole. */
static void
write_disk (const char *path)
{
  g_autofree guint8 *data = g_malloc (DISK_SIZE);
  gsize i;

  for (i = 0; i < DISK_SIZE; i++)
    data[i] = (i >= DISK_SIZE / 3 && i < 2 * DISK_SIZE / 3) ? 0 : (guint8) ((i * 2654435761u) >> 13);
  write_file (path, data, DISK_SIZE);
}

/* "NAME SIZE" per member, as GNU tar lists them; "*" for the size of
 * @any_size (the OVF, whose size an edit changes). */
static char *
tar_listing (const char *ova,
             const char *any_size)
{
  const char *argv[] = { "tar", "-tvf", ova, NULL };
  g_autofree char *out = ovf_test_run (argv);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) f = g_strsplit_set (lines[i], " ", -1);
      g_autoptr(GPtrArray) words = g_ptr_array_new ();
      guint k;

      for (k = 0; f[k] != NULL; k++)
        if (f[k][0] != '\0')
          g_ptr_array_add (words, f[k]);
      g_assert_cmpuint (words->len, >=, 6);
      g_string_append_printf (s, "%s %s\n", (char *) words->pdata[5],
                              g_str_equal (words->pdata[5], any_size) ? "*" : (char *) words->pdata[2]);
    }
  return g_string_free (s, FALSE);
}

/* Every member's name and SHA-256 read by libarchive. */
static char *
libarchive_digests (const char *ova)
{
  struct archive *a = archive_read_new ();
  struct archive_entry *entry;
  GString *s = g_string_new (NULL);
  int r;

  archive_read_support_format_tar (a);
  archive_read_support_format_gnutar (a);
  g_assert_cmpint (archive_read_open_filename (a, ova, 65536), ==, ARCHIVE_OK);
  while ((r = archive_read_next_header (a, &entry)) == ARCHIVE_OK)
    {
      g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
      guint8 buf[65536];
      la_ssize_t n;

      while ((n = archive_read_data (a, buf, sizeof buf)) > 0)
        g_checksum_update (sum, buf, n);
      g_assert_cmpint (n, ==, 0);
      g_string_append_printf (s, "%s %s\n", archive_entry_pathname (entry), g_checksum_get_string (sum));
    }
  g_assert_cmpint (r, ==, ARCHIVE_EOF);
  archive_read_free (a);
  return g_string_free (s, FALSE);
}

static char *
file_digest (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) data, len);
}

/* Drops the lines of @listing that name @member (its size may change). */
static char *
without (const char *listing,
         const char *member)
{
  g_auto(GStrv) lines = g_strsplit (listing, "\n", -1);
  g_autofree char *prefix = g_strconcat (member, " ", NULL);
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; lines[i] != NULL; i++)
    if (!g_str_has_prefix (lines[i], prefix))
      g_string_append_printf (s, "%s\n", lines[i]);
  return g_string_free (s, FALSE);
}

static char *
scratch_dir (gboolean tmpfs)
{
  g_autoptr(GError) error = NULL;
  struct statfs sfs;
  char *dir;

  if (!tmpfs)
    {
      dir = g_dir_make_tmp ("ob-inplace-XXXXXX", &error);
      g_assert_no_error (error);
      return dir;
    }
  if (statfs ("/dev/shm", &sfs) != 0 || sfs.f_type != TMPFS_MAGIC_NUMBER)
    return NULL;
  dir = g_strdup ("/dev/shm/ob-inplace-XXXXXX");
  g_assert_nonnull (g_mkdtemp (dir));
  return dir;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* What @dir's file system can do: insert blocks into a file, share extents. */
static void
probe_fs (const char *dir,
          gboolean   *can_insert,
          gboolean   *can_share)
{
  g_autofree char *path = g_build_filename (dir, "probe", NULL);
  g_autofree char *copy = g_build_filename (dir, "probe2", NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  int fd2 = g_open (copy, O_RDWR | O_CREAT | O_TRUNC, 0600);
  char block[8192] = { 1 };

  g_assert_cmpint (write (fd, block, sizeof block), ==, sizeof block);
  fsync (fd);
  *can_share = ioctl (fd2, FICLONE, fd) == 0;
  *can_insert = fallocate (fd, FALLOC_FL_INSERT_RANGE, 0, 4096) == 0;
  close (fd);
  close (fd2);
  g_unlink (path);
  g_unlink (copy);
}

/* TRUE when some extent of @path is shared with another file (a
 * reflinked copy). */
static gboolean
shares_extents (const char *path)
{
  g_autofree struct fiemap *map = g_malloc0 (sizeof (struct fiemap) + 64 * sizeof (struct fiemap_extent));
  int fd = g_open (path, O_RDONLY, 0);
  guint i;

  map->fm_length = FIEMAP_MAX_OFFSET;
  map->fm_flags = FIEMAP_FLAG_SYNC;
  map->fm_extent_count = 64;
  g_assert_cmpint (ioctl (fd, FS_IOC_FIEMAP, map), ==, 0);
  close (fd);
  for (i = 0; i < map->fm_mapped_extents; i++)
    if (map->fm_extents[i].fe_flags & FIEMAP_EXTENT_SHARED)
      return TRUE;
  return FALSE;
}

/* This process's write_bytes (/proc/self/io): what it sent to storage. */
static guint64
write_bytes (void)
{
  g_autofree char *text = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/io", &text, NULL, NULL));
  line = strstr (text, "\nwrite_bytes: ");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("\nwrite_bytes: "), NULL, 10);
}

/* How @dir's file system saves an OVF that grows: in place (@in_place),
 * or as a new file (--output, --backup, hard links). */
static ObOvaStrategy
expected_strategy (const char *dir,
                   gboolean    in_place)
{
  gboolean can_insert, can_share;

  probe_fs (dir, &can_insert, &can_share);
  if (in_place && can_insert)
    return OB_OVA_STRATEGY_INSERT;
  return can_share ? OB_OVA_STRATEGY_REFLINK : OB_OVA_STRATEGY_STREAM;
}

/* @base plus a comment after the root element, sized so that the balloon
 * edit (@enable) fits, shrinks or grows the member by whole blocks. */
static char *
sized_ovf (const char *base,
           gboolean    enable,
           Change      change)
{
  g_autoptr(GBytes) bytes = g_bytes_new (base, strlen (base));
  g_autoptr(ObOvfDocument) doc = ob_ovf_document_new_from_bytes (bytes, "base", NULL);
  g_autoptr(GBytes) edited = NULL;
  g_autoptr(GError) error = NULL;
  gssize delta;
  gsize len = strlen (base) + 16;
  gsize want_mod;
  GString *s;

  g_assert_nonnull (doc);
  ob_ovf_document_set_balloon_enabled (doc, enable, TRUE, &error);
  g_assert_no_error (error);
  edited = ob_ovf_document_get_ovf_bytes (doc);
  delta = (gssize) g_bytes_get_size (edited) - (gssize) strlen (base);
  g_assert_cmpint (ABS (delta), >, 16);

  switch (change)
    {
    case CHANGE_FITS:
      g_assert_cmpint (ABS (delta), <, 500);
      want_mod = delta > 0 ? 512 - delta - 8 : 511;
      break;
    case CHANGE_SHRINKS:
      g_assert_cmpint (delta, <, 0);
      want_mod = 1;
      break;
    case CHANGE_GROWS:
    default:
      g_assert_cmpint (delta, >, 0);
      want_mod = 0;
      break;
    }
  while (len % 512 != want_mod)
    len++;
  s = g_string_new (base);
  g_string_append (s, "<!--");
  while (s->len < len - 4)
    g_string_append_c (s, 'p');
  g_string_append (s, "-->\n");
  g_assert_cmpuint (s->len, ==, len);
  return g_string_free (s, FALSE);
}

/* Makes DIR/x.ova from vm.ovf, disk.img, nvram.dat; punches a hole in the
 * archive where the disk is zero. */
static char *
make_ova (const char *dir,
          const char *ovf_text,
          gboolean    ovf_last,
          const char *format)
{
  g_autofree char *src = g_build_filename (dir, "src", NULL);
  g_autofree char *ovf = g_build_filename (src, "vm.ovf", NULL);
  g_autofree char *disk = g_build_filename (src, "disk.img", NULL);
  g_autofree char *nvram = g_build_filename (src, "nvram.dat", NULL);
  g_autofree char *format_arg = g_strconcat ("--format=", format, NULL);
  char *ova = g_build_filename (dir, "x.ova", NULL);
  const char *first[] = { "tar", format_arg, "-cf", ova, "-C", src, "vm.ovf", "disk.img", "nvram.dat", NULL };
  const char *last[] = { "tar", format_arg, "-cf", ova, "-C", src, "disk.img", "nvram.dat", "vm.ovf", NULL };
  g_autofree char *out = NULL;
  g_autoptr(ObTarIndex) index = NULL;
  const ObTarMember *m;
  int fd;

  g_assert_cmpint (g_mkdir (src, 0755), ==, 0);
  write_file (ovf, ovf_text, strlen (ovf_text));
  write_disk (disk);
  write_file (nvram, "nvram\n", 6);
  out = ovf_test_run (ovf_last ? last : first);

  fd = g_open (ova, O_RDWR, 0);
  index = ob_tar_index_read (fd, ova, NULL);
  g_assert_nonnull (index);
  m = ob_tar_index_find (index, "disk.img", NULL);
  g_assert_nonnull (m);
  g_assert_cmpint (fallocate (fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                              (m->data + DISK_SIZE / 3 + 8191) / 4096 * 4096, 64 * 1024), ==, 0);
  close (fd);
  g_assert_cmpint (g_chmod (ova, 0640), ==, 0);
  return ova;
}

static char *
trimmed (GBytes *bytes)
{
  return g_strchomp (g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)));
}

/* ---- every strategy ----------------------------------------------------- */

static void
test_strategy (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *dir = scratch_dir (c->tmpfs);
  g_autofree char *base = NULL;
  g_autofree char *text = NULL;
  g_autofree char *ova = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *digests = NULL;
  g_autofree char *listing_after = NULL;
  g_autofree char *digests_after = NULL;
  g_autofree char *note = NULL;
  g_autoptr(ObOvfDocument) doc = NULL;
  g_autoptr(ObOvfDocument) again = NULL;
  g_autoptr(GBytes) edited = NULL;
  g_autoptr(GBytes) reread = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  gboolean enable = c->change != CHANGE_SHRINKS;
  ObOvaStrategy expected, got;
  struct stat before, after;
  guint64 written;
  guint entries;

  if (dir == NULL)
    {
      g_test_skip ("no tmpfs at /dev/shm");
      return;
    }
  base = fixture_text (enable ? "ovirt-engine_vmOvfData2.ovf.xml" : "ovirt-engine_vmOvfData.ovf.xml");
  text = sized_ovf (base, enable, c->change);
  ova = make_ova (dir, text, c->ovf_last, c->format);
  listing = tar_listing (ova, "vm.ovf");
  digests = libarchive_digests (ova);
  g_assert_cmpint (g_stat (ova, &before), ==, 0);
  entries = count_entries (dir);

  if (c->change == CHANGE_FITS)
    expected = OB_OVA_STRATEGY_FITS;
  else if (c->ovf_last)
    expected = OB_OVA_STRATEGY_TAIL;
  else if (c->change == CHANGE_SHRINKS)
    expected = OB_OVA_STRATEGY_FITS;
  else
    expected = expected_strategy (dir, TRUE);
  if (c->tmpfs && !c->ovf_last && c->change == CHANGE_GROWS)
    g_assert_cmpint (expected, ==, OB_OVA_STRATEGY_STREAM);

  file = g_file_new_for_path (ova);
  doc = ob_ovf_document_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (ob_ovf_document_get_note (doc));
  ob_ovf_document_set_balloon_enabled (doc, enable, TRUE, &error);
  g_assert_no_error (error);
  edited = ob_ovf_document_get_ovf_bytes (doc);

  written = write_bytes ();
  g_assert_true (ob_ova_inplace_save (ova, ova, TRUE, "vm.ovf", edited, FALSE, &got, &note, NULL, &error));
  g_assert_no_error (error);
  written = write_bytes () - written;
  g_assert_cmpstr (ob_ova_strategy_to_string (got), ==, ob_ova_strategy_to_string (expected));
  if (got == OB_OVA_STRATEGY_STREAM)
    {
      g_assert_nonnull (strstr (note, "neither insert blocks"));
      g_assert_true (ob_ovf_document_save (doc, NULL, FALSE, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (ob_ovf_document_get_note (doc), ==, note);
    }
  else
    g_assert_null (note);

  /* The same members for GNU tar and libarchive; only the OVF changed. */
  listing_after = tar_listing (ova, "vm.ovf");
  digests_after = libarchive_digests (ova);
  g_assert_cmpstr (listing, ==, listing_after);
  {
    g_autofree char *d1 = without (digests, "vm.ovf");
    g_autofree char *d2 = without (digests_after, "vm.ovf");

    g_assert_cmpstr (d1, ==, d2);
  }

  /* Read back the same: the balloon, and the text up to the whitespace. */
  again = ob_ovf_document_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (ob_ovf_document_get_note (again));
  g_assert_cmpint (ob_ovf_document_get_balloon_enabled (again), ==, enable);
  reread = ob_ovf_document_get_ovf_bytes (again);
  {
    g_autofree char *x = trimmed (edited);
    g_autofree char *y = trimmed (reread);

    g_assert_cmpstr (x, ==, y);
  }

  g_assert_cmpint (g_stat (ova, &after), ==, 0);
  g_assert_cmpint (after.st_mode & 07777, ==, 0640);
  g_assert_cmpuint (count_entries (dir), ==, entries);
  /* Only the OVF's blocks and the undo record were written, no disk data. */
  if (got != OB_OVA_STRATEGY_STREAM)
    g_assert_cmpint (written, <, DISK_SIZE / 4);  /* btrfs alone writes ~160 KiB of metadata */
  if (got != OB_OVA_STRATEGY_STREAM && got != OB_OVA_STRATEGY_REFLINK)
    {
      /* The same file, holes kept, no other block written. */
      g_assert_cmpuint (after.st_ino, ==, before.st_ino);
      g_assert_cmpint (after.st_blocks, <=, before.st_blocks + 16);
      g_assert_cmpint (after.st_blocks, <, (after.st_size - 32 * 1024) / 512);
    }
  if (got == OB_OVA_STRATEGY_FITS)
    g_assert_cmpint (after.st_size, ==, before.st_size);
  if (got == OB_OVA_STRATEGY_INSERT)
    {
      g_assert_cmpint (after.st_size - before.st_size, >, 0);
      g_assert_cmpint ((after.st_size - before.st_size) % 4096, ==, 0);
    }
  remove_tree (dir);
}

/* ---- long names: GNU 'L' headers and pax path records ------------------- */

static void
test_long_name (gconstpointer data)
{
  const char *format = data;
  g_autofree char *dir = scratch_dir (FALSE);
  g_autofree char *sub = g_build_filename (dir, "src", NULL);
  g_autofree char *deep = g_strdup_printf ("%s/%s", sub, "a-directory-name-long-enough-that-the-path-does-not-fit-the-"
                                           "hundred-bytes-of-a-ustar-name-field");
  g_autofree char *ovf_path = g_build_filename (deep, "vm.ovf", NULL);
  g_autofree char *member = g_strdup_printf ("%s/vm.ovf", deep + strlen (sub) + 1);
  g_autofree char *disk = g_build_filename (sub, "disk.img", NULL);
  g_autofree char *ova = g_build_filename (dir, "x.ova", NULL);
  g_autofree char *format_arg = g_strconcat ("--format=", format, NULL);
  g_autofree char *base = fixture_text ("ovirt-engine_vmOvfData2.ovf.xml");
  g_autofree char *text = sized_ovf (base, TRUE, CHANGE_GROWS);
  g_autofree char *digests = NULL;
  g_autofree char *digests_after = NULL;
  g_autofree char *note = NULL;
  const char *argv[] = { "tar", format_arg, "-cf", ova, "-C", sub, member, "disk.img", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (ova);
  g_autoptr(ObOvfDocument) doc = NULL;
  g_autoptr(ObOvfDocument) again = NULL;
  g_autoptr(GBytes) edited = NULL;
  g_autoptr(GError) error = NULL;
  ObOvaStrategy got;

  g_assert_cmpint (g_mkdir_with_parents (deep, 0755), ==, 0);
  write_file (ovf_path, text, strlen (text));
  write_disk (disk);
  out = ovf_test_run (argv);
  digests = libarchive_digests (ova);

  doc = ob_ovf_document_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ob_ovf_document_get_ova_member (doc), ==, member);
  ob_ovf_document_set_balloon_enabled (doc, TRUE, TRUE, &error);
  edited = ob_ovf_document_get_ovf_bytes (doc);
  g_assert_true (ob_ova_inplace_save (ova, ova, TRUE, member, edited, FALSE, &got, &note, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (got, ==, expected_strategy (dir, TRUE));
  if (got == OB_OVA_STRATEGY_STREAM)
    g_assert_true (ob_ovf_document_save (doc, NULL, FALSE, NULL, &error));

  digests_after = libarchive_digests (ova);
  {
    g_autofree char *d1 = without (digests, member);
    g_autofree char *d2 = without (digests_after, member);

    g_assert_cmpstr (d1, ==, d2);
  }
  again = ob_ovf_document_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ob_ovf_document_get_balloon_enabled (again));
  remove_tree (dir);
}

/* ---- the undo journal --------------------------------------------------- */

typedef enum { CUT_INSERTED, CUT_TAIL, CUT_RECORD_SHORT, CUT_STALE } Cut;

/* Writes the record an edit would, then leaves the archive as a crash at
 * the worst moment would (blocks inserted, half the region scribbled, or
 * the tail extended); the next load must put everything back. */
static void
test_journal (gconstpointer data)
{
  Cut cut = GPOINTER_TO_INT (data);
  g_autofree char *dir = scratch_dir (FALSE);
  g_autofree char *base = fixture_text ("ovirt-engine_vmOvfData.ovf.xml");
  g_autofree char *ova = make_ova (dir, base, cut == CUT_TAIL, "gnu");
  g_autofree char *record = ob_ova_journal_path (ova);
  g_autofree char *digest = file_digest (ova);
  g_autofree char *digest_after = NULL;
  g_autoptr(ObTarIndex) index = NULL;
  g_autoptr(ObOvaJournal) journal = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (ova);
  g_autoptr(ObOvfDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  const ObTarMember *m;
  guint8 junk[3000];
  struct stat before, after;
  int fd;

  memset (junk, 'J', sizeof junk);
  g_assert_cmpint (g_stat (ova, &before), ==, 0);
  fd = g_open (ova, O_RDWR, 0);
  index = ob_tar_index_read (fd, ova, &error);
  g_assert_no_error (error);
  m = ob_tar_index_find (index, "vm.ovf", NULL);

  journal = ob_ova_journal_new (ova, fd, &error);
  g_assert_no_error (error);
  if (cut == CUT_TAIL)
    ob_ova_journal_add_region (journal, m->start, index->file_size - m->start, &error);
  else
    {
      ob_ova_journal_add_region (journal, m->start, ob_tar_member_end (m) - m->start, &error);
      ob_ova_journal_set_insert (journal, ob_tar_member_end (m) / 4096 * 4096, 4096);
    }
  g_assert_no_error (error);
  g_assert_true (ob_ova_journal_write (journal, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (record, G_FILE_TEST_IS_REGULAR));

  switch (cut)
    {
    case CUT_INSERTED:
      if (fallocate (fd, FALLOC_FL_INSERT_RANGE, ob_tar_member_end (m) / 4096 * 4096, 4096) != 0)
        {
          close (fd);
          remove_tree (dir);
          g_test_skip ("no FALLOC_FL_INSERT_RANGE here");
          return;
        }
      g_assert_cmpint (pwrite (fd, junk, sizeof junk, m->start + 100), ==, sizeof junk);
      break;
    case CUT_TAIL:
      g_assert_cmpint (pwrite (fd, junk, sizeof junk, m->data), ==, sizeof junk);
      g_assert_cmpint (ftruncate (fd, index->file_size + 20480), ==, 0);
      break;
    case CUT_RECORD_SHORT:
      {
        struct stat st;

        /* Killed while writing the record: the archive was not touched. */
        g_assert_cmpint (g_stat (record, &st), ==, 0);
        g_assert_cmpint (truncate (record, st.st_size - 7), ==, 0);
      }
      break;
    case CUT_STALE:
      {
        /* The archive was replaced since (a streamed save renamed over it). */
        g_autofree char *copy = g_strconcat (ova, ".new", NULL);
        g_autofree char *contents = NULL;
        gsize len = 0;

        g_assert_true (g_file_get_contents (ova, &contents, &len, NULL));
        write_file (copy, contents, len);
        g_assert_cmpint (g_rename (copy, ova), ==, 0);
      }
      break;
    default:
      g_assert_not_reached ();
    }
  close (fd);

  doc = ob_ovf_document_load (file, NULL, &error);
  g_assert_no_error (error);
  if (cut == CUT_INSERTED || cut == CUT_TAIL)
    g_assert_nonnull (strstr (ob_ovf_document_get_note (doc), "interrupted edit was undone"));
  else
    g_assert_null (ob_ovf_document_get_note (doc));
  g_assert_false (g_file_test (record, G_FILE_TEST_EXISTS));
  g_assert_true (ob_ovf_document_get_balloon_enabled (doc));
  digest_after = file_digest (ova);
  g_assert_cmpstr (digest_after, ==, digest);
  g_assert_cmpint (g_stat (ova, &after), ==, 0);
  g_assert_cmpint (after.st_size, ==, before.st_size);
  if (cut != CUT_STALE)
    g_assert_cmpint (after.st_blocks, <=, before.st_blocks + 8);
  remove_tree (dir);
}

/* ---- when the archive is not edited in place ---------------------------- */

typedef enum { OTHER_OUTPUT, OTHER_BACKUP, OTHER_HARD_LINK, OTHER_READ_ONLY } Other;

static void
test_not_in_place (gconstpointer data)
{
  Other other = GPOINTER_TO_INT (data);
  g_autofree char *dir = scratch_dir (FALSE);
  g_autofree char *base = fixture_text ("ovirt-engine_vmOvfData2.ovf.xml");
  g_autofree char *text = sized_ovf (base, TRUE, CHANGE_GROWS);
  g_autofree char *ova = make_ova (dir, text, FALSE, "gnu");
  g_autofree char *out_path = g_build_filename (dir, "out.ova", NULL);
  g_autofree char *link_path = g_build_filename (dir, "link.ova", NULL);
  g_autofree char *bak_path = g_strconcat (ova, ".bak", NULL);
  g_autofree char *digest = file_digest (ova);
  g_autofree char *note = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (ova);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autoptr(ObOvfDocument) doc = NULL;
  g_autoptr(ObOvfDocument) again = NULL;
  g_autoptr(GBytes) edited = NULL;
  g_autoptr(GError) error = NULL;
  const char *dest = other == OTHER_OUTPUT ? out_path : ova;
  ObOvaStrategy got;
  struct stat before, after;

  if (other == OTHER_HARD_LINK)
    g_assert_cmpint (link (ova, link_path), ==, 0);
  if (other == OTHER_READ_ONLY)
    g_assert_cmpint (g_chmod (ova, 0444), ==, 0);
  g_assert_cmpint (g_stat (ova, &before), ==, 0);

  doc = ob_ovf_document_load (file, NULL, &error);
  g_assert_no_error (error);
  ob_ovf_document_set_balloon_enabled (doc, TRUE, TRUE, &error);
  edited = ob_ovf_document_get_ovf_bytes (doc);

  if (other == OTHER_READ_ONLY)
    {
      g_assert_false (ob_ova_inplace_save (ova, ova, TRUE, "vm.ovf", edited, FALSE, &got, &note, NULL, &error));
      g_assert_error (error, OB_ERROR, OB_ERROR_IO);
      g_assert_nonnull (strstr (error->message, "read-only"));
      kept = file_digest (ova);
      g_assert_cmpstr (kept, ==, digest);
      remove_tree (dir);
      return;
    }

  g_assert_true (ob_ova_inplace_save (ova, dest, other != OTHER_OUTPUT, "vm.ovf", edited,
                                      other == OTHER_BACKUP, &got, &note, NULL, &error));
  g_assert_no_error (error);
  /* A new file is needed: shared extents where possible, else a stream. */
  g_assert_cmpint (got, ==, expected_strategy (dir, FALSE));
  if (got == OB_OVA_STRATEGY_STREAM)
    {
      g_assert_nonnull (strstr (note, "share extents"));
      g_assert_null (strchr (note, '\n'));
      g_assert_true (ob_ovf_document_save (doc, other == OTHER_OUTPUT ? out : NULL,
                                           other == OTHER_BACKUP, NULL, &error));
      g_assert_no_error (error);
    }

  again = ob_ovf_document_load (other == OTHER_OUTPUT ? out : file, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ob_ovf_document_get_balloon_enabled (again));
  kept = file_digest (other == OTHER_OUTPUT ? ova : other == OTHER_BACKUP ? bak_path : link_path);
  g_assert_cmpstr (kept, ==, digest);
  g_assert_cmpint (g_stat (dest, &after), ==, 0);
  g_assert_cmpint (after.st_mode & 07777, ==, 0640);
  if (got == OB_OVA_STRATEGY_REFLINK)
    g_assert_true (shares_extents (dest));
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  static const char *formats[] = { "gnu", "pax", "ustar" };
  static const char *changes[] = { "fits", "shrinks", "grows" };
  guint fs, last, change, f;

  g_test_init (&argc, &argv, NULL);

  for (fs = 0; fs < 2; fs++)
    for (last = 0; last < 2; last++)
      for (change = 0; change < 3; change++)
        for (f = 0; f < G_N_ELEMENTS (formats); f++)
          {
            Case *c = g_new0 (Case, 1);
            g_autofree char *path = NULL;

            c->tmpfs = fs;
            c->ovf_last = last;
            c->change = change;
            c->format = formats[f];
            path = g_strdup_printf ("/ova-inplace/%s/ovf-%s/%s/%s", fs ? "tmpfs" : "disk",
                                    last ? "last" : "first", changes[change], formats[f]);
            g_test_add_data_func_full (path, c, test_strategy, g_free);
          }
  g_test_add_data_func ("/ova-inplace/long-name/gnu", "gnu", test_long_name);
  g_test_add_data_func ("/ova-inplace/long-name/pax", "pax", test_long_name);
  g_test_add_data_func ("/ova-inplace/long-name/ustar", "ustar", test_long_name);
  g_test_add_data_func ("/ova-inplace/journal/undo-insert", GINT_TO_POINTER (CUT_INSERTED), test_journal);
  g_test_add_data_func ("/ova-inplace/journal/undo-tail", GINT_TO_POINTER (CUT_TAIL), test_journal);
  g_test_add_data_func ("/ova-inplace/journal/record-cut-short", GINT_TO_POINTER (CUT_RECORD_SHORT), test_journal);
  g_test_add_data_func ("/ova-inplace/journal/stale-record", GINT_TO_POINTER (CUT_STALE), test_journal);
  g_test_add_data_func ("/ova-inplace/copy/output", GINT_TO_POINTER (OTHER_OUTPUT), test_not_in_place);
  g_test_add_data_func ("/ova-inplace/copy/backup", GINT_TO_POINTER (OTHER_BACKUP), test_not_in_place);
  g_test_add_data_func ("/ova-inplace/copy/hard-link", GINT_TO_POINTER (OTHER_HARD_LINK), test_not_in_place);
  g_test_add_data_func ("/ova-inplace/bad/read-only", GINT_TO_POINTER (OTHER_READ_ONLY), test_not_in_place);

  return g_test_run ();
}
