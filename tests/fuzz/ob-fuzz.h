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
#include <stdlib.h>
#include <string.h>

G_BEGIN_DECLS

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

/* Writes the message, then aborts on a warning or worse, unless the
 * message holds one of the NULL-terminated substrings in @user_data.
 * Aborting here, not through GLib's fatal mask: GLib raises SIGTRAP,
 * which libFuzzer does not catch, so the process died without the input
 * being saved. SIGABRT it handles. */
static inline GLogWriterOutput
ob_fuzz_log_writer (GLogLevelFlags   level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  const char *const *tolerated = user_data;

  for (gsize i = 0; tolerated != NULL && i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
      for (guint j = 0; tolerated[j] != NULL; j++)
        if (strstr (fields[i].value, tolerated[j]) != NULL)
          return G_LOG_WRITER_HANDLED;
  g_log_writer_default (level, fields, n_fields, NULL);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return G_LOG_WRITER_HANDLED;
}

/* A GLib critical or warning on fuzzed input is a bug: make it abort so
 * the fuzzer reports it like a crash. @tolerated: NULL, or substrings of
 * the messages of known library warnings, each with its reason where it
 * is passed. */
static inline void
ob_fuzz_make_warnings_fatal_except (const char *const *tolerated)
{
  /* The writer decides; GLib's mask (G_DEBUG=fatal-warnings in the test
   * environment) would trap after it even on a tolerated message. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK);
  g_log_set_writer_func (ob_fuzz_log_writer, (gpointer) tolerated, NULL);
}

static inline void
ob_fuzz_make_warnings_fatal (void)
{
  ob_fuzz_make_warnings_fatal_except (NULL);
}

G_END_DECLS
