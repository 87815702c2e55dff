/* ob-dev.h: hooks of the development build (meson -Ddevelopment=true)
 *
 * The screenshot driver of data/screenshots/update.sh (--screenshot NAME)
 * and the milestones of bench/app.sh (OB_BENCH=1, OB_SANDBOX_URL,
 * OB_SANDBOX_SEED, OB_SANDBOX_DB). Compiled only in that build, so normal
 * builds have neither the option nor the environment variables.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ob-window.h"

G_BEGIN_DECLS

/* Adds the hidden --screenshot option. */
void      ob_dev_add_options        (GApplication *app);

/* Reads the options; TRUE when this instance must run the sandbox itself
 * (so it must not forward to a running one). */
gboolean  ob_dev_handle_options     (GApplication *app,
                                     GVariantDict *options);

/* Called once the main window is presented. TRUE when the development
 * hooks started the sandbox (a screenshot, or the benchmark's engine). */
gboolean  ob_dev_activate           (GApplication *app,
                                     ObWindow     *window,
                                     gboolean      start_sandbox);

/* ob-dev-bench.c: OB_BENCH milestones; TRUE when the environment names
 * the benchmark's engine and a connection to it was started. */
void      ob_dev_bench_attach       (ObWindow     *window);
gboolean  ob_dev_bench_connect      (ObWindow     *window);

/* ob-dev-screenshot.c: connects to the sandbox, then opens the named
 * view or dialog ("connect", "vms", "templates", "edit-vm",
 * "edit-vm-refused", "edit-vm-fault", "new-vm", "run-once",
 * "edit-template", "bulk"). */
void      ob_dev_screenshot_show    (ObWindow     *window,
                                     const char   *name);

G_END_DECLS
