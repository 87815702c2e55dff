/* ob-safe-text.h: text from outside (an engine, a file, argv) made safe
 * to print on a terminal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A copy of @text in which nothing can move the cursor, change colours,
 * set the window title or reorder what is shown: C0 controls, DEL and
 * bytes that are not UTF-8 become \xNN; C1 controls and the bidirectional
 * embedding, override and isolate marks become \uNNNN. Everything else is
 * kept, so ordinary text comes out unchanged. NULL gives NULL. */
char *ob_safe_text (const char *text);

G_END_DECLS
