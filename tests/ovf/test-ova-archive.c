/* test-ova-archive.c: OVA archives (tar) through ObOvfDocument: choosing
 * the OVF member, rewriting it while streaming the other members with
 * their order and metadata, and refusing broken archives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>

#include "ob-error.h"
#include "ovf-test-util.h"
#include "ob-ova-archive.h"
#include "ob-ova-manifest.h"
#include "ob-ovf-document.h"
#include "ob-test-tmpdir.h"

typedef struct
{
  const char *name;
  const char *content;        /* NULL: @size bytes of a pattern */
  gsize size;
  mode_t mode;
  time_t mtime;
  const char *uname;
} Member;

static char *
fixture_text (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "upstream", name, NULL);
  g_autoptr(GBytes) bytes = ovf_test_read_bytes (path);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Deterministic, not all zero, with a zero run in the middle so the copy
 * goes through the hole path too. */
static guint8 *
pattern (gsize size)
{
  guint8 *data = g_malloc (size);
  gsize i;

  for (i = 0; i < size; i++)
    data[i] = (i >= size / 3 && i < 2 * size / 3) ? 0 : (guint8) ((i * 2654435761u) >> 13);
  return data;
}

static void
make_ova (const char   *path,
          int           format,
          const Member *members,
          guint         n_members)
{
  struct archive *a = archive_write_new ();
  guint i;

  g_assert_cmpint (archive_write_set_format (a, format), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_filename (a, path), ==, ARCHIVE_OK);
  for (i = 0; i < n_members; i++)
    {
      struct archive_entry *entry = archive_entry_new ();
      g_autofree guint8 *generated = NULL;
      const void *data = members[i].content;
      gsize size = members[i].content ? strlen (members[i].content) : members[i].size;

      if (data == NULL)
        data = generated = pattern (size);
      archive_entry_set_pathname (entry, members[i].name);
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, members[i].mode);
      archive_entry_set_size (entry, size);
      archive_entry_set_mtime (entry, members[i].mtime, 0);
      archive_entry_set_uname (entry, members[i].uname);
      archive_entry_set_gname (entry, members[i].uname);
      archive_entry_set_uid (entry, 36);
      archive_entry_set_gid (entry, 36);
      g_assert_cmpint (archive_write_header (a, entry), ==, ARCHIVE_OK);
      g_assert_cmpint (archive_write_data (a, data, size), ==, (la_ssize_t) size);
      archive_entry_free (entry);
    }
  g_assert_cmpint (archive_write_close (a), ==, ARCHIVE_OK);
  archive_write_free (a);
}

typedef struct
{
  char *name;
  gint64 size;
  mode_t mode;
  time_t mtime;
  char *uname;
  GBytes *data;
} ReadMember;

static void
read_member_free (gpointer p)
{
  ReadMember *m = p;

  g_free (m->name);
  g_free (m->uname);
  g_bytes_unref (m->data);
  g_free (m);
}

static GPtrArray *
read_ova (const char *path,
          int        *format_out)
{
  struct archive *a = archive_read_new ();
  struct archive_entry *entry;
  GPtrArray *members = g_ptr_array_new_with_free_func (read_member_free);

  archive_read_support_format_tar (a);
  archive_read_support_format_gnutar (a);
  g_assert_cmpint (archive_read_open_filename (a, path, 65536), ==, ARCHIVE_OK);
  while (archive_read_next_header (a, &entry) == ARCHIVE_OK)
    {
      ReadMember *m = g_new0 (ReadMember, 1);
      gint64 size = archive_entry_size (entry);
      guint8 *data = g_malloc (size + 1);
      gint64 got = 0;
      la_ssize_t n;

      m->name = g_strdup (archive_entry_pathname (entry));
      m->size = size;
      m->mode = archive_entry_perm (entry);
      m->mtime = archive_entry_mtime (entry);
      m->uname = g_strdup (archive_entry_uname (entry));
      while ((n = archive_read_data (a, data + got, size - got)) > 0)
        got += n;
      g_assert_cmpint (got, ==, size);
      m->data = g_bytes_new_take (data, size);
      g_ptr_array_add (members, m);
      *format_out = archive_format (a);
    }
  archive_read_free (a);
  return members;
}

static ObOvfDocument *
load (const char  *path,
      GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return ob_ovf_document_load (file, NULL, error);
}

/* ---- which member is the OVF ------------------------------------------ */

static void
test_member_choice (void)
{
  g_autofree char *dir = ob_test_tmpdir_new ("ob-ova");
  g_autofree char *ovf = fixture_text ("ovirt-engine_vmOvfData.ovf.xml");
  g_autofree char *other = fixture_text ("ovirt-engine_vmOvfData2.ovf.xml");
  struct { Member m[3]; const char *expected; const char *name; } cases[] = {
    { { { "disk", NULL, 4096, 0644, 1, "vdsm" }, { "a.ovf", other, 0, 0644, 1, "vdsm" }, { "vm.ovf", ovf, 0, 0644, 1, "vdsm" } },
      "vm.ovf", "exporttedVM" },
    { { { "b.ovf", other, 0, 0644, 1, "vdsm" }, { "template.ovf", ovf, 0, 0644, 1, "vdsm" }, { "disk", NULL, 10, 0644, 1, "vdsm" } },
      "template.ovf", "exporttedVM" },
    { { { "images/disk", NULL, 10, 0644, 1, "vdsm" }, { "first.ovf", other, 0, 0644, 1, "vdsm" }, { "second.ovf", ovf, 0, 0644, 1, "vdsm" } },
      "first.ovf", "sevenofnine" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (dir, "x.ova", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(ObOvfDocument) doc = NULL;

      make_ova (path, ARCHIVE_FORMAT_TAR_GNUTAR, cases[i].m, 3);
      doc = load (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ob_ovf_document_get_format (doc), ==, OB_OVF_FORMAT_OVA);
      g_assert_cmpstr (ob_ovf_document_get_ova_member (doc), ==, cases[i].expected);
      g_assert_cmpstr (ob_ovf_document_get_name (doc), ==, cases[i].name);
      g_unlink (path);
    }
  ob_test_tmpdir_remove (dir);
}

/* ---- rewriting --------------------------------------------------------- */

static void
test_rewrite_keeps_members (gconstpointer data)
{
  int format = GPOINTER_TO_INT (data);
  g_autofree char *dir = ob_test_tmpdir_new ("ob-ova");
  g_autofree char *ovf = fixture_text ("ovirt-engine_vmOvfData.ovf.xml");
  g_autofree char *path = g_build_filename (dir, "vm.ova", NULL);
  g_autofree char *out_path = g_build_filename (dir, "out.ova", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  const Member members[] = {
    { "vm.ovf", ovf, 0, 0640, 1700000000, "vdsm" },
    { "6f3a1c9e-disk", NULL, 3 * 1024 * 1024 + 123, 0660, 1700000100, "qemu" },
    { "nvram.dat", "NVRAM", 0, 0600, 1700000200, "vdsm" },
  };
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(ObOvfDocument) doc = NULL;
  g_autoptr(GBytes) edited = NULL;
  g_autoptr(GError) error = NULL;
  int format_before = 0, format_after = 0;
  guint i;

  make_ova (path, format, members, G_N_ELEMENTS (members));
  before = read_ova (path, &format_before);

  doc = load (path, &error);
  g_assert_no_error (error);
  g_assert_true (ob_ovf_document_get_balloon_enabled (doc));
  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, FALSE, FALSE, &error));
  g_assert_true (ob_ovf_document_save (doc, out, FALSE, NULL, &error));
  g_assert_no_error (error);
  edited = ob_ovf_document_get_ovf_bytes (doc);

  after = read_ova (out_path, &format_after);
  g_assert_cmpint (format_after, ==, format_before);
  g_assert_cmpuint (after->len, ==, before->len);
  for (i = 0; i < after->len; i++)
    {
      ReadMember *a = after->pdata[i];
      ReadMember *b = before->pdata[i];

      g_assert_cmpstr (a->name, ==, b->name);
      g_assert_cmpuint (a->mode, ==, b->mode);
      g_assert_cmpint (a->mtime, ==, b->mtime);
      g_assert_cmpstr (a->uname, ==, b->uname);
      if (strcmp (a->name, "vm.ovf") == 0)
        {
          g_assert_true (g_bytes_equal (a->data, edited));
          g_assert_cmpint (a->size, <, b->size);
        }
      else
        {
          g_assert_cmpint (a->size, ==, b->size);
          g_assert_true (g_bytes_equal (a->data, b->data));
        }
    }

  /* The source is untouched; the copy re-reads as disabled. */
  {
    g_autoptr(ObOvfDocument) again = load (out_path, &error);
    g_autoptr(ObOvfDocument) source = load (path, &error);

    g_assert_no_error (error);
    g_assert_false (ob_ovf_document_get_balloon_enabled (again));
    g_assert_true (ob_ovf_document_get_balloon_enabled (source));
  }
  ob_test_tmpdir_remove (dir);
}

static void
test_rewrite_in_place_backup (void)
{
  g_autofree char *dir = ob_test_tmpdir_new ("ob-ova");
  g_autofree char *ovf = fixture_text ("ovirt-engine_vmOvfData2.ovf.xml");
  g_autofree char *path = g_build_filename (dir, "vm.ova", NULL);
  g_autofree char *bak = g_strconcat (path, ".bak", NULL);
  const Member members[] = {
    { "vm.ovf", ovf, 0, 0644, 1700000000, "vdsm" },
    { "disk", NULL, 100000, 0644, 1700000000, "vdsm" },
  };
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) backup = NULL;
  g_autoptr(ObOvfDocument) doc = NULL;
  g_autoptr(ObOvfDocument) again = NULL;
  g_autoptr(GError) error = NULL;

  make_ova (path, ARCHIVE_FORMAT_TAR_GNUTAR, members, G_N_ELEMENTS (members));
  original = ovf_test_read_bytes (path);
  doc = load (path, &error);
  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, TRUE, TRUE, &error));
  g_assert_true (ob_ovf_document_save (doc, NULL, TRUE, NULL, &error));
  g_assert_no_error (error);

  backup = ovf_test_read_bytes (bak);
  g_assert_true (g_bytes_equal (backup, original));
  again = load (path, &error);
  g_assert_no_error (error);
  g_assert_true (ob_ovf_document_get_balloon_enabled (again));
  g_assert_cmpstr (ob_ovf_document_get_ova_member (again), ==, "vm.ovf");
  g_assert_cmpuint (ob_test_tmpdir_count (dir), ==, 2);
  ob_test_tmpdir_remove (dir);
}

/* ---- broken archives --------------------------------------------------- */

static void
test_no_ovf_member (void)
{
  g_autofree char *dir = ob_test_tmpdir_new ("ob-ova");
  g_autofree char *path = g_build_filename (dir, "x.ova", NULL);
  const Member members[] = { { "disk", NULL, 5000, 0644, 1, "vdsm" }, { "vm.ovf.txt", "x", 0, 0644, 1, "vdsm" } };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfDocument) doc = NULL;

  make_ova (path, ARCHIVE_FORMAT_TAR_GNUTAR, members, G_N_ELEMENTS (members));
  doc = load (path, &error);
  g_assert_null (doc);
  g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "no .ovf member"));
  g_assert_nonnull (strstr (error->message, path));
  ob_test_tmpdir_remove (dir);
}

static void
test_not_a_tar (void)
{
  g_autofree char *dir = ob_test_tmpdir_new ("ob-ova");
  g_autofree char *path = g_build_filename (dir, "x.ova", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfDocument) doc = NULL;
  g_autofree char *junk = g_strnfill (2000, 'j');

  g_assert_true (g_file_set_contents (path, junk, -1, NULL));
  doc = load (path, &error);
  g_assert_null (doc);
  g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, path));
  ob_test_tmpdir_remove (dir);
}

/* A tar cut short: refused when read, or at the latest when rewritten,
 * and then the original stays as it was with no temp file left. */
static void
test_truncated (gconstpointer data)
{
  gsize keep = GPOINTER_TO_SIZE (data);
  g_autofree char *dir = ob_test_tmpdir_new ("ob-ova");
  g_autofree char *ovf = fixture_text ("ovirt-engine_vmOvfData.ovf.xml");
  g_autofree char *path = g_build_filename (dir, "vm.ova", NULL);
  const Member members[] = {
    { "vm.ovf", ovf, 0, 0644, 1700000000, "vdsm" },
    { "disk", NULL, 1024 * 1024, 0644, 1700000000, "vdsm" },
  };
  g_autoptr(GBytes) truncated = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(ObOvfDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  make_ova (path, ARCHIVE_FORMAT_TAR_GNUTAR, members, G_N_ELEMENTS (members));
  g_assert_cmpint (truncate (path, keep), ==, 0);
  truncated = ovf_test_read_bytes (path);

  doc = load (path, &error);
  if (doc != NULL)
    {
      g_assert_true (ob_ovf_document_set_balloon_enabled (doc, FALSE, FALSE, &error));
      g_assert_false (ob_ovf_document_save (doc, NULL, FALSE, NULL, &error));
    }
  g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  after = ovf_test_read_bytes (path);
  g_assert_true (g_bytes_equal (after, truncated));
  g_assert_cmpuint (ob_test_tmpdir_count (dir), ==, 1);
  ob_test_tmpdir_remove (dir);
}

/* GNU tar and Python's tarfile take the last of two same-named members,
 * libarchive readers the first: such an archive is refused. */
static void
test_duplicate_members (gconstpointer data)
{
  const char *second = data;
  g_autofree char *dir = ob_test_tmpdir_new ("ob-ova");
  g_autofree char *path = g_build_filename (dir, "dup.ova", NULL);
  g_autofree char *ovf = fixture_text ("ovirt-engine_vmOvfData.ovf.xml");
  Member members[] = {
    { "vm.ovf", ovf, 0, 0644, 1700000000, "vdsm" },
    { "disk.img", NULL, 4096, 0660, 1700000000, "vdsm" },
    { second, ovf, 0, 0644, 1700000000, "vdsm" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ObOvfDocument) doc = NULL;

  make_ova (path, ARCHIVE_FORMAT_TAR_USTAR, members, G_N_ELEMENTS (members));
  doc = ob_ovf_document_load (file, NULL, &error);
  g_assert_null (doc);
  g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "vm.ovf"));
  g_assert_nonnull (strstr (error->message, "twice"));
  ob_test_tmpdir_remove (dir);
}

static void
test_manifest_update (void)
{
  static const char ovf[] = "<new/>";
  g_autoptr(GBytes) content = g_bytes_new_static (ovf, strlen (ovf));
  g_autofree char *sha1_lower = g_compute_checksum_for_string (G_CHECKSUM_SHA1, ovf, -1);
  g_autofree char *sha1 = g_ascii_strup (sha1_lower, -1);
  g_autofree char *sha512 = g_compute_checksum_for_string (G_CHECKSUM_SHA512, ovf, -1);
  g_autofree char *text = g_strdup_printf ("SHA1(dir/vm.ovf)= %s\r\nSHA256(disk.img) =  ab12\r\n"
                                           "\r\nSHA512(vm.ovf)=%s\n", "00AA", "ff");
  g_autofree char *want = g_strdup_printf ("SHA1(dir/vm.ovf)= %s\r\nSHA256(disk.img) =  ab12\r\n"
                                           "\r\nSHA512(vm.ovf)=%s\n", sha1, sha512);
  g_autoptr(GBytes) manifest = g_bytes_new (text, strlen (text));
  g_autoptr(GBytes) updated = NULL;
  g_autoptr(GBytes) md5 = g_bytes_new_static ("MD5(vm.ovf)= 00\n", 16);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_false (ob_ova_manifest_check (manifest, "dir/vm.ovf", content));
  updated = ob_ova_manifest_update (manifest, "dir/vm.ovf", content, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpmem (g_bytes_get_data (updated, NULL), g_bytes_get_size (updated), want, strlen (want));
  g_assert_true (ob_ova_manifest_check (updated, "dir/vm.ovf", content));

  g_assert_null (ob_ova_manifest_update (md5, "vm.ovf", content, &n, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "MD5"));
}

static void
test_sniff (void)
{
  guint8 block[512] = { 0 };

  g_assert_false (ob_ova_archive_sniff (block, sizeof block));
  memcpy (block + 257, "ustar  ", 8);
  g_assert_true (ob_ova_archive_sniff (block, sizeof block));
  g_assert_false (ob_ova_archive_sniff (block, 300));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ova/sniff", test_sniff);
  g_test_add_func ("/ova/member-choice", test_member_choice);
  g_test_add_func ("/ova/manifest/update", test_manifest_update);
  g_test_add_data_func ("/ova/rewrite/gnutar", GINT_TO_POINTER (ARCHIVE_FORMAT_TAR_GNUTAR), test_rewrite_keeps_members);
  g_test_add_data_func ("/ova/rewrite/ustar", GINT_TO_POINTER (ARCHIVE_FORMAT_TAR_USTAR), test_rewrite_keeps_members);
  g_test_add_data_func ("/ova/rewrite/pax", GINT_TO_POINTER (ARCHIVE_FORMAT_TAR_PAX_RESTRICTED), test_rewrite_keeps_members);
  g_test_add_func ("/ova/rewrite/in-place-backup", test_rewrite_in_place_backup);
  g_test_add_func ("/ova/bad/no-ovf-member", test_no_ovf_member);
  g_test_add_data_func ("/ova/bad/duplicate-member", "vm.ovf", test_duplicate_members);
  g_test_add_data_func ("/ova/bad/duplicate-member-dot-slash", "./vm.ovf", test_duplicate_members);
  g_test_add_func ("/ova/bad/not-a-tar", test_not_a_tar);
  g_test_add_data_func ("/ova/bad/truncated-in-ovf", GSIZE_TO_POINTER (3000), test_truncated);
  g_test_add_data_func ("/ova/bad/truncated-in-disk", GSIZE_TO_POINTER (600 * 1024), test_truncated);
  g_test_add_data_func ("/ova/bad/truncated-before-end", GSIZE_TO_POINTER (1024 * 1024 + 9000), test_truncated);

  return g_test_run ();
}
