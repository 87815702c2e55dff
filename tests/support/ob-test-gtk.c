/* ob-test-gtk.c: starting GTK in a test, or skipping the test without a
 * display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ob-test-gtk.h"

#include <stdio.h>
#include <stdlib.h>

#include <gtk/gtk.h>

gboolean
ob_test_gtk_init (void)
{
  if (gtk_init_check ())
    return TRUE;
  if (g_strcmp0 (g_getenv ("OB_REQUIRE_DISPLAY"), "1") == 0)
    {
      g_printerr ("No display, but OB_REQUIRE_DISPLAY=1\n");
      exit (1);
    }
  /* g_test_run() would print a plan too: this one must be the only one. */
  printf ("1..0 # SKIP no display\n");
  fflush (stdout);
  return FALSE;
}
