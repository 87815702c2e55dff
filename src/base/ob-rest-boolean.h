/* ob-rest-boolean.h: the oVirt REST API's boolean spelling, as the
 * engine's BooleanParser reads it. Both sides of the API ask here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "true"/"false" in any case, "1" and "0". Returns FALSE (leaving @value
 * alone) for anything else. */
gboolean ob_rest_boolean_parse (const char *text,
                                gboolean   *value);

G_END_DECLS
