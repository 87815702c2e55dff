/* ob-json-depth.h: refuses JSON nested too deeply, before a recursive parser
 * (json-glib) sees it and overflows the stack
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deeper than any oVirt REST document (a VM is under 10 levels), far below
 * what json-glib's recursion survives on a 8 MiB or a thread's 2 MiB stack. */
#define OB_JSON_MAX_DEPTH 64

/* Iterative scan of @data: counts '[' and '{' outside strings. Sets
 * OB_ERROR_BAD_INPUT when nesting exceeds @max_depth, or when a second
 * object or array follows the first at the top level (json-glib would keep
 * the last and leak the first). It does not validate the JSON otherwise;
 * the real parser does that afterwards. */
gboolean ob_json_depth_check (const char  *data,
                              gsize        length,
                              guint        max_depth,
                              GError     **error);

G_END_DECLS
