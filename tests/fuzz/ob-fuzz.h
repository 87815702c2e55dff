/* ob-fuzz.h: shared by the libFuzzer targets
 *
 * Each target defines LLVMFuzzerTestOneInput(). With -Dfuzzing=true it is
 * linked with libFuzzer; otherwise with ob-fuzz-main.c, which replays the
 * seed corpus and every crash ever found (tests/fuzz/regressions/TARGET/)
 * as an ordinary TAP test, so a fixed crash stays fixed in every build.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

/* A GLib critical or warning on fuzzed input is a bug: make it abort so
 * the fuzzer reports it like a crash. */
static inline void
ob_fuzz_make_warnings_fatal (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_log_set_writer_func (g_log_writer_default, NULL, NULL);
}

G_END_DECLS
