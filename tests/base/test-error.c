/* test-error.c: the error reporter shared by the programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "ob-error.h"

static void
report_in_child (GQuark      domain,
                 int         code,
                 const char *message,
                 ObExitCode  expected)
{
  g_autoptr(GError) error = g_error_new_literal (domain, code, message);

  g_assert_cmpint (ob_error_report (error), ==, expected);
}

static void
test_report_one_line (void)
{
  if (g_test_subprocess ())
    {
      report_in_child (OB_ERROR, OB_ERROR_REFUSED, "first\nsecond\r\nthird", OB_EXIT_REFUSED);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("");
  g_test_trap_assert_stderr ("error: first second  third\n");
}

static void
test_report_escapes (void)
{
  if (g_test_subprocess ())
    {
      report_in_child (OB_ERROR, OB_ERROR_NOT_FOUND, "No VM \"a\033[2Jb\tc\x7f\"", OB_EXIT_FAILED);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("error: No VM \"a\\x1b[2Jb\\x09c\\x7f\"\n");
}

static void
test_report_exit_codes (void)
{
  if (g_test_subprocess ())
    {
      report_in_child (OB_ERROR, OB_ERROR_USAGE, "u", OB_EXIT_USAGE);
      report_in_child (OB_ERROR, OB_ERROR_AUTH, "a", OB_EXIT_CONNECT);
      report_in_child (OB_ERROR, OB_ERROR_BAD_INPUT, "b", OB_EXIT_BAD_INPUT);
      report_in_child (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "c", OB_EXIT_CONNECT);
      report_in_child (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "n", OB_EXIT_FAILED);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("error: u\nerror: a\nerror: b\nerror: c\nerror: n\n");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/error/report/one-line", test_report_one_line);
  g_test_add_func ("/error/report/escapes", test_report_escapes);
  g_test_add_func ("/error/report/exit-codes", test_report_exit_codes);
  return g_test_run ();
}
