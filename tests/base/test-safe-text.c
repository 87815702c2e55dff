/* test-safe-text.c: text made safe to print on a terminal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ob-safe-text.h"

static void
assert_safe (const char *in,
             const char *expected)
{
  g_autofree char *out = ob_safe_text (in);

  g_assert_cmpstr (out, ==, expected);
}

static void
test_plain_text_unchanged (void)
{
  assert_safe ("", "");
  assert_safe ("web-01", "web-01");
  assert_safe ("Zürich “prod” 東京 ✓", "Zürich “prod” 東京 ✓");
  assert_safe ("C:\\path", "C:\\path");
  g_assert_null (ob_safe_text (NULL));
}

static void
test_controls_escaped (void)
{
  assert_safe ("a\033[31mred\007", "a\\x1b[31mred\\x07");
  assert_safe ("\033]0;title\007", "\\x1b]0;title\\x07");
  assert_safe ("tab\there\r\nend", "tab\\x09here\\x0d\\x0aend");
  assert_safe ("del\177", "del\\x7f");
  assert_safe ("\x01", "\\x01");
}

static void
test_c1_and_bidi_escaped (void)
{
  assert_safe ("csi\xc2\x9b" "2J", "csi\\u009b2J");
  assert_safe ("next\xc2\x85line", "next\\u0085line");
  assert_safe ("\xe2\x80\xae" "txt.exe", "\\u202etxt.exe");
  assert_safe ("\xe2\x81\xa6" "x" "\xe2\x81\xa9", "\\u2066x\\u2069");
  /* Latin-1 letters right after the C1 range stay. */
  assert_safe ("\xc2\xa0\xc3\xa9", "\xc2\xa0\xc3\xa9");
}

static void
test_invalid_utf8_escaped (void)
{
  assert_safe ("bad\xff" "byte", "bad\\xffbyte");
  assert_safe ("cut\xe2\x80", "cut\\xe2\\x80");
  assert_safe ("\xc0\xaf", "\\xc0\\xaf");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/safe-text/plain-unchanged", test_plain_text_unchanged);
  g_test_add_func ("/safe-text/controls", test_controls_escaped);
  g_test_add_func ("/safe-text/c1-and-bidi", test_c1_and_bidi_escaped);
  g_test_add_func ("/safe-text/invalid-utf8", test_invalid_utf8_escaped);
  return g_test_run ();
}
