/* ovf-test-util.h: scratch directories and files for the ovf tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "ob-test-tmpdir.h"

G_BEGIN_DECLS

/* The whole file; fails the test when it cannot be read. */
GBytes *ovf_test_read_bytes     (const char *path);
/* Writes @data (@len bytes, -1: a string) to DIR/NAME; returns the path. */
char   *ovf_test_write_temp     (const char *dir,
                                 const char *name,
                                 const char *data,
                                 gssize      len);

/* Runs @argv (searched in PATH); it must exit 0 and print nothing on
 * stderr. Returns what it printed on stdout. */
char   *ovf_test_run            (const char *const *argv);

G_END_DECLS
