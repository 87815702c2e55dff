/* ob-test-tmpdir.h: scratch directories for tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new empty directory under g_get_tmp_dir(), named @prefix plus a random
 * suffix; the test fails if it cannot be made. */
char *ob_test_tmpdir_new    (const char *prefix);
/* Removes @path and everything below it, read-only entries included. */
void  ob_test_tmpdir_remove (const char *path);
/* How many entries @path holds (0 when it cannot be read). */
guint ob_test_tmpdir_count  (const char *path);

G_END_DECLS
