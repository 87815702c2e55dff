/* ob-test-subprocess.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ob-test-subprocess.h"

void
ob_test_run_without_leak_check (void (*body) (void))
{
  g_autofree char *saved = NULL;
  g_autofree char *options = NULL;

  if (g_test_subprocess ())
    {
      body ();
      return;
    }

  saved = g_strdup (g_getenv ("ASAN_OPTIONS"));
  options = g_strconcat (saved ? saved : "", saved ? ":" : "", "detect_leaks=0", NULL);
  g_setenv ("ASAN_OPTIONS", options, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (saved != NULL)
    g_setenv ("ASAN_OPTIONS", saved, TRUE);
  else
    g_unsetenv ("ASAN_OPTIONS");
  g_test_trap_assert_passed ();
}
