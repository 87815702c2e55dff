/* test-body-buffer.c: response bodies read into a mapping or an array
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ob-body-buffer.h"

/* @len bytes of a pattern that shows a byte out of place. */
static guint8 *
pattern (gsize len)
{
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) (i * 7 + i / 251);
  return data;
}

/* Appends @data in uneven chunks, as reads come. */
static void
append_chunks (ObBodyBuffer *buffer,
               const guint8 *data,
               gsize         len)
{
  gsize done = 0, step = 1;

  while (done < len)
    {
      gsize n = MIN (step, len - done);

      ob_body_buffer_append (buffer, data + done, n);
      done += n;
      step = step * 3 + 1;
    }
}

static void
check_bytes (GBytes       *bytes,
             const guint8 *data,
             gsize         len)
{
  gsize size = 0;
  const guint8 *got = g_bytes_get_data (bytes, &size);

  g_assert_cmpuint (size, ==, len);
  g_assert_true (len == 0 || memcmp (got, data, len) == 0);
}

static void
test_declared_large_is_mapped (void)
{
  gsize len = OB_BODY_BUFFER_MAP_MIN * 3 + 17;
  g_autofree guint8 *data = pattern (len);
  ObBodyBuffer *buffer = ob_body_buffer_new ((goffset) len);
  g_autoptr(GBytes) bytes = NULL;

  g_assert_true (ob_body_buffer_is_mapped (buffer));
  append_chunks (buffer, data, len);
  g_assert_cmpuint (ob_body_buffer_get_size (buffer), ==, len);
  bytes = ob_body_buffer_free_to_bytes (buffer);
  check_bytes (bytes, data, len);
}

static void
test_small_or_unknown_is_an_array (void)
{
  gsize len = OB_BODY_BUFFER_MAP_MIN * 2;
  g_autofree guint8 *data = pattern (len);
  goffset declared[] = { -1, 0, 100, OB_BODY_BUFFER_MAP_MIN - 1 };

  for (guint i = 0; i < G_N_ELEMENTS (declared); i++)
    {
      ObBodyBuffer *buffer = ob_body_buffer_new (declared[i]);
      g_autoptr(GBytes) bytes = NULL;
      /* A small declared length is not a promise: more still fits. */
      gsize n = declared[i] > 0 ? (gsize) declared[i] : len;

      g_assert_false (ob_body_buffer_is_mapped (buffer));
      append_chunks (buffer, data, n);
      bytes = ob_body_buffer_free_to_bytes (buffer);
      check_bytes (bytes, data, n);
    }
}

/* A body longer than it declared (libsoup's framing prevents it) keeps
 * every byte, in an array. */
static void
test_longer_than_declared (void)
{
  gsize declared = OB_BODY_BUFFER_MAP_MIN;
  gsize len = declared + 5000;
  g_autofree guint8 *data = pattern (len);
  ObBodyBuffer *buffer = ob_body_buffer_new ((goffset) declared);
  g_autoptr(GBytes) bytes = NULL;

  g_assert_true (ob_body_buffer_is_mapped (buffer));
  append_chunks (buffer, data, len);
  g_assert_false (ob_body_buffer_is_mapped (buffer));
  bytes = ob_body_buffer_free_to_bytes (buffer);
  check_bytes (bytes, data, len);
}

/* Shorter than declared (the caller saw the end of the stream): the bytes
 * read, no more. */
static void
test_shorter_than_declared (void)
{
  gsize len = OB_BODY_BUFFER_MAP_MIN + 10;
  g_autofree guint8 *data = pattern (len);
  ObBodyBuffer *buffer = ob_body_buffer_new ((goffset) len * 2);
  g_autoptr(GBytes) bytes = NULL;

  append_chunks (buffer, data, len);
  bytes = ob_body_buffer_free_to_bytes (buffer);
  check_bytes (bytes, data, len);
}

/* The mapping outlives the buffer while its bytes are referenced, and a
 * buffer dropped half read frees what it holds (checked under ASan). */
static void
test_lifetimes (void)
{
  gsize len = OB_BODY_BUFFER_MAP_MIN + 1;
  g_autofree guint8 *data = pattern (len);
  g_autoptr(ObBodyBuffer) dropped = ob_body_buffer_new ((goffset) len);
  ObBodyBuffer *buffer = ob_body_buffer_new ((goffset) len);
  GBytes *bytes;
  g_autoptr(GBytes) slice = NULL;

  ob_body_buffer_append (dropped, data, 100);
  append_chunks (buffer, data, len);
  bytes = ob_body_buffer_free_to_bytes (buffer);
  slice = g_bytes_new_from_bytes (bytes, 10, len - 10);
  g_bytes_unref (bytes);
  check_bytes (slice, data + 10, len - 10);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/body-buffer/declared-large-is-mapped", test_declared_large_is_mapped);
  g_test_add_func ("/body-buffer/small-or-unknown-is-an-array", test_small_or_unknown_is_an_array);
  g_test_add_func ("/body-buffer/longer-than-declared", test_longer_than_declared);
  g_test_add_func ("/body-buffer/shorter-than-declared", test_shorter_than_declared);
  g_test_add_func ("/body-buffer/lifetimes", test_lifetimes);
  return g_test_run ();
}
