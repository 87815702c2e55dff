/* ob-test-subprocess.h: running a test body in a child without leak checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs @body in a g_test_trap_subprocess() child whose ASAN_OPTIONS turn
 * leak detection off, and asserts that it passed. For tests that use TLS
 * in-process: at exit, LeakSanitizer's tracer crashes ("Tracer caught
 * signal 11") walking the thread-local storage that the dlopen'ed GnuTLS
 * module leaves in GLib's worker threads. Without ASan it changes nothing
 * but the process. The CLI's TLS cases run the same code with leak
 * detection on. */
void ob_test_run_without_leak_check (void (*body) (void));

G_END_DECLS
