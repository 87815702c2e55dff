/* test-json-depth.c: the JSON nesting guard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ob-error.h"
#include "ob-json-depth.h"

static gboolean
check (const char *text, guint max)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = ob_json_depth_check (text, strlen (text), max, &error);

  g_assert_true (ok == (error == NULL));
  if (!ok)
    g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
  return ok;
}

static void
test_shallow (void)
{
  g_assert_true (check ("{\"vm\":[{\"name\":\"a\"}]}", 3));
  g_assert_false (check ("{\"vm\":[{\"name\":\"a\"}]}", 2));
  g_assert_true (check ("", 1));
  g_assert_true (check ("\"plain\"", 0));
}

static void
test_strings_do_not_count (void)
{
  /* Brackets and escaped quotes inside strings are text, not nesting. */
  g_assert_true (check ("{\"a\":\"[[[[{{{{\"}", 1));
  g_assert_true (check ("{\"a\":\"\\\"[[[[\"}", 1));
  g_assert_false (check ("{\"a\":\"\\\\\",\"b\":[[1]]}", 2));
}

static void
test_second_top_level_value (void)
{
  g_assert_false (check ("{\"id\":\"x\"} {\"id\":\"y\"}", 8));
  g_assert_false (check ("[1] [2]", 8));
  g_assert_true (check ("{\"a\":[1,2]}  \n", 8));
  /* Inside a string it is text. */
  g_assert_true (check ("{\"a\":\"} {\"}", 8));
}

static void
test_deep (void)
{
  gsize n = 80000;
  g_autofree char *deep = g_malloc (2 * n + 1);

  memset (deep, '[', n);
  memset (deep + n, ']', n);
  deep[2 * n] = '\0';
  g_assert_false (check (deep, OB_JSON_MAX_DEPTH));
  /* At the limit exactly it passes. */
  deep[OB_JSON_MAX_DEPTH] = '\0';
  g_assert_true (check (deep, OB_JSON_MAX_DEPTH));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/base/json-depth/shallow", test_shallow);
  g_test_add_func ("/base/json-depth/strings", test_strings_do_not_count);
  g_test_add_func ("/base/json-depth/deep", test_deep);
  g_test_add_func ("/base/json-depth/second-top-level-value", test_second_top_level_value);
  return g_test_run ();
}
