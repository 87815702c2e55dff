/* test-ova-stream.c: the streamed rewrite of an OVA
 * (ob_ova_archive_write_replacing()) keeps every record of every member it
 * does not replace byte for byte, pax global headers, pax comment records
 * and GNU long names included; a replaced member keeps its extension
 * records (a pax "size" record gets the new size). The archives come from
 * Python's tarfile and GNU tar (make-pax-ova.py); both tools read the
 * result back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ob-atomic-file.h"
#include "ob-error.h"
#include "ob-ova-archive.h"
#include "ob-tar-index.h"
#include "ovf-test-util.h"

#define FIXTURE "ovirt-engine_vmOvfData.ovf.xml"

static gboolean
have_tools (void)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *tar = g_find_program_in_path ("tar");

  if (python == NULL || tar == NULL)
    {
      g_test_skip ("python3 and tar are needed to build and read the archives");
      return FALSE;
    }
  return TRUE;
}

static char *
script (void)
{
  return g_test_build_filename (G_TEST_DIST, "ovf", "make-pax-ova.py", NULL);
}

static GBytes *
read_range (int     fd,
            goffset from,
            goffset to)
{
  guint8 *data = g_malloc (MAX (to - from, 1));

  g_assert_cmpint (pread (fd, data, to - from, from), ==, to - from);
  return g_bytes_new_take (data, to - from);
}

static void
assert_same_bytes (int     fd_a,
                   goffset from_a,
                   goffset to_a,
                   int     fd_b,
                   goffset from_b,
                   goffset to_b)
{
  g_autoptr(GBytes) a = read_range (fd_a, from_a, to_a);
  g_autoptr(GBytes) b = read_range (fd_b, from_b, to_b);

  g_assert_cmpmem (g_bytes_get_data (a, NULL), g_bytes_get_size (a),
                   g_bytes_get_data (b, NULL), g_bytes_get_size (b));
}

/* The member's own header, with the size and checksum fields blanked. */
static GBytes *
header_but_size (int                fd,
                 const ObTarMember *m)
{
  g_autoptr(GBytes) h = read_range (fd, m->header, m->header + OB_TAR_BLOCK);
  guint8 *copy = g_memdup2 (g_bytes_get_data (h, NULL), OB_TAR_BLOCK);

  memset (copy + 124, 0, 12);
  memset (copy + 148, 0, 8);
  return g_bytes_new_take (copy, OB_TAR_BLOCK);
}

/* What the replaced member must keep: every record before its header,
 * a pax "size" record with the new size. */
static void
assert_replaced (int                fd_a,
                 const ObTarMember *a,
                 int                fd_b,
                 const ObTarMember *b,
                 GBytes            *content)
{
  g_autoptr(GBytes) ha = header_but_size (fd_a, a);
  g_autoptr(GBytes) hb = header_but_size (fd_b, b);
  g_autoptr(GBytes) data = read_range (fd_b, b->data, b->data + b->size);

  g_assert_true (g_bytes_equal (ha, hb));
  g_assert_cmpuint (b->size, ==, g_bytes_get_size (content));
  g_assert_true (g_bytes_equal (data, content));
  g_assert_cmpint (a->size_from_pax, ==, b->size_from_pax);
  if (a->size_from_pax)
    {
      g_autoptr(GBytes) old_records = read_range (fd_a, a->pax_header + OB_TAR_BLOCK,
                                                  a->pax_header + OB_TAR_BLOCK + a->pax_size);
      g_autoptr(GBytes) new_records = read_range (fd_b, b->pax_header + OB_TAR_BLOCK,
                                                  b->pax_header + OB_TAR_BLOCK + b->pax_size);
      g_autoptr(GByteArray) want = ob_tar_pax_set_size (g_bytes_get_data (old_records, NULL),
                                                        a->pax_size, g_bytes_get_size (content));

      g_assert_cmpmem (want->data, want->len, g_bytes_get_data (new_records, NULL), b->pax_size);
      g_assert_nonnull (g_strstr_len ((const char *) want->data, want->len, "comment="));
      assert_same_bytes (fd_a, a->start, a->pax_header, fd_b, b->start, b->pax_header);
    }
  else
    assert_same_bytes (fd_a, a->start, a->header, fd_b, b->start, b->header);
}

/* Python's view, one line per member; replaced members compared without
 * their size and digest, which must be the new content's. */
static void
assert_python_view (const char *source,
                    const char *result,
                    GHashTable *replacements)
{
  g_autofree char *py = script ();
  const char *argv_a[] = { "python3", py, "describe", source, NULL };
  const char *argv_b[] = { "python3", py, "describe", result, NULL };
  g_autofree char *out_a = ovf_test_run (argv_a);
  g_autofree char *out_b = ovf_test_run (argv_b);
  g_auto(GStrv) lines_a = g_strsplit (out_a, "\n", -1);
  g_auto(GStrv) lines_b = g_strsplit (out_b, "\n", -1);

  g_assert_cmpuint (g_strv_length (lines_a), ==, g_strv_length (lines_b));
  for (guint i = 0; lines_a[i] != NULL; i++)
    {
      g_auto(GStrv) fa = g_strsplit (lines_a[i], "\t", -1);
      g_auto(GStrv) fb = g_strsplit (lines_b[i], "\t", -1);
      GBytes *content = fa[0] != NULL ? g_hash_table_lookup (replacements, fa[0]) : NULL;
      guint n = g_strv_length (fa);

      if (content == NULL)
        {
          g_assert_cmpstr (lines_a[i], ==, lines_b[i]);
          continue;
        }
      g_assert_cmpuint (n, ==, g_strv_length (fb));
      for (guint f = 0; f < n; f++)
        if (f == 2)
          g_assert_cmpuint (g_ascii_strtoull (fb[f], NULL, 10), ==, g_bytes_get_size (content));
        else if (f == n - 1)
          {
            g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content);
            g_assert_cmpstr (fb[f], ==, sha);
          }
        else
          g_assert_cmpstr (fa[f], ==, fb[f]);
    }
}

/* A scratch directory with DIR/source.ova, built by make-pax-ova.py as
 * @kind, and DIR/result.ova for the copy. */
typedef struct
{
  char *dir;
  char *source;
  char *result;
} Scratch;

static void
scratch_clear (Scratch *s)
{
  if (s->dir != NULL)
    ob_test_tmpdir_remove (s->dir);
  g_clear_pointer (&s->dir, g_free);
  g_clear_pointer (&s->source, g_free);
  g_clear_pointer (&s->result, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Scratch, scratch_clear)

/* FALSE (the test skipped) without python3 and tar. */
static gboolean
scratch_init (Scratch    *s,
              const char *kind)
{
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "data", "upstream", FIXTURE, NULL);
  g_autofree char *py = script ();

  if (!have_tools ())
    return FALSE;
  s->dir = ob_test_tmpdir_new ("ova-stream");
  s->source = g_build_filename (s->dir, "source.ova", NULL);
  s->result = g_build_filename (s->dir, "result.ova", NULL);
  {
    const char *argv[] = { "python3", py, "build", kind, fixture, s->source, NULL };
    g_free (ovf_test_run (argv));
  }
  return TRUE;
}

/* The streamed rewrite of @s's source into its result, committed. */
static void
rewrite (Scratch    *s,
         GHashTable *replacements)
{
  g_autoptr(ObAtomicFile) out = NULL;
  g_autoptr(GError) error = NULL;

  out = ob_atomic_file_new (s->result, s->source, &error);
  g_assert_no_error (error);
  g_assert_true (ob_ova_archive_write_replacing (s->source, replacements, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ob_atomic_file_commit (out, FALSE, &error));
  g_assert_no_error (error);
}

/* What "tar A B [C]" prints. */
static char *
tar_output (const char *a,
            const char *b,
            const char *c)
{
  const char *argv[] = { "tar", a, b, c, NULL };

  return ovf_test_run (argv);
}

static void
test_keeps_records (gconstpointer data)
{
  g_auto(Scratch) s = { 0 };
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "data", "upstream", FIXTURE, NULL);
  g_autofree char *listing_a = NULL;
  g_autofree char *listing_b = NULL;
  g_autofree char *extracted = NULL;
  g_autoptr(GBytes) old_ovf = NULL;
  g_autoptr(GBytes) new_ovf = NULL;
  g_autoptr(GBytes) new_mf = NULL;
  g_autoptr(GHashTable) replacements = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(ObTarIndex) index_a = NULL;
  g_autoptr(ObTarIndex) index_b = NULL;
  g_autoptr(GError) error = NULL;
  GString *grown;
  goffset prev_a = 0, prev_b = 0;
  int fd_a, fd_b;

  if (!scratch_init (&s, data))
    return;

  /* The OVF grows by more than a block; the manifest shrinks. */
  old_ovf = ovf_test_read_bytes (fixture);
  grown = g_string_new_len (g_bytes_get_data (old_ovf, NULL), g_bytes_get_size (old_ovf));
  for (guint i = 0; i < 40; i++)
    g_string_append (grown, "<!-- an edit that makes the descriptor longer -->\n");
  new_ovf = g_string_free_to_bytes (grown);
  new_mf = g_bytes_new_static ("SHA256(vm.ovf)= 00\n", 19);
  g_hash_table_insert (replacements, (gpointer) "vm.ovf", new_ovf);
  g_hash_table_insert (replacements, (gpointer) "vm.mf", new_mf);

  rewrite (&s, replacements);

  /* Byte for byte: whatever lies between members (global headers), and
   * every member not replaced, its extension records included. */
  fd_a = g_open (s.source, O_RDONLY, 0);
  fd_b = g_open (s.result, O_RDONLY, 0);
  index_a = ob_tar_index_read (fd_a, s.source, &error);
  g_assert_no_error (error);
  index_b = ob_tar_index_read (fd_b, s.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (index_a->members->len, ==, index_b->members->len);
  g_assert_cmpuint (index_a->members->len, ==, 4);
  for (guint i = 0; i < index_a->members->len; i++)
    {
      const ObTarMember *a = g_ptr_array_index (index_a->members, i);
      const ObTarMember *b = g_ptr_array_index (index_b->members, i);
      GBytes *content = g_hash_table_lookup (replacements, a->name);

      g_assert_cmpstr (a->name, ==, b->name);
      assert_same_bytes (fd_a, prev_a, a->start, fd_b, prev_b, b->start);
      if (content != NULL)
        assert_replaced (fd_a, a, fd_b, b, content);
      else
        assert_same_bytes (fd_a, a->start, ob_tar_member_end (a), fd_b, b->start, ob_tar_member_end (b));
      prev_a = ob_tar_member_end (a);
      prev_b = ob_tar_member_end (b);
    }
  assert_same_bytes (fd_a, prev_a, index_a->end, fd_b, prev_b, index_b->end);
  /* A pax global header is there to keep. */
  {
    g_autoptr(GBytes) head = read_range (fd_b, 0, OB_TAR_BLOCK);
    const guint8 *h = g_bytes_get_data (head, NULL);
    gboolean pax_first = h[156] == 'g' || h[156] == 'x';

    g_assert_true (pax_first);
  }
  close (fd_a);
  close (fd_b);

  /* GNU tar lists the same members and extracts the new OVF. */
  listing_a = tar_output ("tf", s.source, NULL);
  listing_b = tar_output ("tf", s.result, NULL);
  g_assert_cmpstr (listing_a, ==, listing_b);
  g_free (tar_output ("tvf", s.result, NULL));
  extracted = tar_output ("xOf", s.result, "vm.ovf");
  g_assert_cmpmem (extracted, strlen (extracted), g_bytes_get_data (new_ovf, NULL), g_bytes_get_size (new_ovf));
  assert_python_view (s.source, s.result, replacements);
}

/* A pax header that a global header separates from its member: both
 * kept once, the pax size updated, so GNU tar reads the new OVF. */
static void
test_pax_before_global (void)
{
  g_auto(Scratch) s = { 0 };
  g_autofree char *extracted = NULL;
  g_autoptr(GBytes) ovf = g_bytes_new_static ("<Envelope/>\n", 12);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GHashTable) replacements = g_hash_table_new (g_str_hash, g_str_equal);
  const char *records[] = { "comment=split\n", "comment=in between\n" };
  const char *data;
  gsize len = 0;

  if (!scratch_init (&s, "pax-global"))
    return;
  g_hash_table_insert (replacements, (gpointer) "vm.ovf", ovf);
  rewrite (&s, replacements);
  extracted = tar_output ("xOf", s.result, "vm.ovf");
  g_assert_cmpstr (extracted, ==, "<Envelope/>\n");
  /* Each record once: none written twice. */
  bytes = ovf_test_read_bytes (s.result);
  data = g_bytes_get_data (bytes, &len);
  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      gsize n = strlen (records[i]);
      const char *first = memmem (data, len, records[i], n);

      g_assert_nonnull (first);
      g_assert_null (memmem (first + 1, len - (first + 1 - data), records[i], n));
    }
}

/* A cancelled copy fails: a new destination is never created, and an
 * archive rewritten over itself stays as it was. */
static void
test_cancelled (void)
{
  g_auto(Scratch) s = { 0 };
  g_autoptr(GBytes) ovf = g_bytes_new_static ("<x/>", 4);
  g_autoptr(GHashTable) replacements = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  ObAtomicFile *out;

  if (!scratch_init (&s, "python"))
    return;
  g_hash_table_insert (replacements, (gpointer) "vm.ovf", ovf);
  g_cancellable_cancel (cancellable);
  out = ob_atomic_file_new (s.result, s.source, &error);
  g_assert_no_error (error);
  g_assert_false (ob_ova_archive_write_replacing (s.source, replacements, out, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_object_unref (out);
  g_assert_false (g_file_test (s.result, G_FILE_TEST_EXISTS));
  /* Only the source is left: no temp file. */
  g_assert_cmpuint (ob_test_tmpdir_count (s.dir), ==, 1);

  /* Over the source itself: the source is untouched. */
  before = ovf_test_read_bytes (s.source);
  g_clear_error (&error);
  out = ob_atomic_file_new (s.source, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (ob_ova_archive_write_replacing (s.source, replacements, out, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_object_unref (out);
  after = ovf_test_read_bytes (s.source);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpuint (ob_test_tmpdir_count (s.dir), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/ova-stream/keeps-records/python", "python", test_keeps_records);
  g_test_add_data_func ("/ova-stream/keeps-records/pax-size", "pax-size", test_keeps_records);
  g_test_add_data_func ("/ova-stream/keeps-records/gnutar", "gnutar", test_keeps_records);
  g_test_add_func ("/ova-stream/pax-before-global", test_pax_before_global);
  g_test_add_func ("/ova-stream/cancelled", test_cancelled);
  return g_test_run ();
}
