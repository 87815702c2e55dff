/* fuzz-ova.c: the OVA (tar) reader and writer on arbitrary archives.
 * Whatever the input, reading either fails with a clear error or finds an
 * OVF member; and replacing that member then reading the result back gives
 * exactly the new content under the same member name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <glib/gstdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ob-error.h"
#include "ob-fuzz.h"
#include "ob-ova-archive.h"

/* libFuzzer runs one input at a time in one process; the scratch directory
 * is created once per process (test code, not the product). */
static char *scratch_dir;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  ob_fuzz_make_warnings_fatal ();
  scratch_dir = g_dir_make_tmp ("ob-fuzz-ova-XXXXXX", NULL);
  g_assert (scratch_dir != NULL);
  return 0;
}

static void
round_trip (const char *path,
            const char *member,
            GBytes     *ovf)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out_path = g_build_filename (scratch_dir, "out.ova", NULL);
  g_autoptr(ObAtomicFile) out = ob_atomic_file_new (out_path, NULL, &error);
  g_autoptr(GByteArray) edited = g_byte_array_new ();
  g_autoptr(GBytes) edited_bytes = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autofree char *member2 = NULL;
  static const char tail[] = "\n<!-- edited -->\n";

  g_assert (out != NULL);
  g_byte_array_append (edited, g_bytes_get_data (ovf, NULL), (guint) g_bytes_get_size (ovf));
  g_byte_array_append (edited, (const guint8 *) tail, sizeof tail - 1);
  edited_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&edited));

  if (!ob_ova_archive_write_with_ovf (path, member, edited_bytes, out, NULL, &error))
    {
      /* Refusing is fine (the archive may be broken past the OVF member);
       * it must say why, with the project's error domain. */
      g_assert (error != NULL && error->domain == OB_ERROR);
      return;
    }
  if (!ob_atomic_file_commit (out, FALSE, &error))
    {
      g_assert (error != NULL);
      return;
    }
  again = ob_ova_archive_read_ovf (out_path, 8 * 1024 * 1024, &member2, NULL, &error);
  g_assert (again != NULL);
  g_assert (g_strcmp0 (member, member2) == 0);
  g_assert (g_bytes_equal (again, edited_bytes));
  g_unlink (out_path);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) ovf = NULL;
  g_autofree char *member = NULL;
  g_autofree char *path = NULL;
  int fd;

  (void) ob_ova_archive_sniff (data, size);

  /* The reader takes a path: give it the input as an in-memory file. */
  fd = memfd_create ("fuzz.ova", MFD_CLOEXEC);
  g_assert (fd >= 0);
  g_assert (write (fd, data, size) == (ssize_t) size);
  path = g_strdup_printf ("/proc/self/fd/%d", fd);

  ovf = ob_ova_archive_read_ovf (path, 1024 * 1024, &member, NULL, &error);
  if (ovf == NULL)
    g_assert (error != NULL && error->domain == OB_ERROR && error->message[0] != '\0');
  else
    {
      g_assert (member != NULL);
      round_trip (path, member, ovf);
    }
  close (fd);
  return 0;
}
