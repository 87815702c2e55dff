/* ob-test-gtk.h: starting GTK in a test, or skipping the test without a
 * display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* gtk_init_check(). Without a display it prints a TAP plan that skips the
 * whole program and returns FALSE: the caller cleans up and exits 0, which
 * meson counts as a skip. With OB_REQUIRE_DISPLAY=1 in the environment (CI
 * under Xvfb) a missing display is an error and the process exits 1. */
gboolean ob_test_gtk_init (void);

G_END_DECLS
