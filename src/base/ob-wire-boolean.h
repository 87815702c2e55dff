/* ob-wire-boolean.h: booleans as oVirt REST v4 writes them. The engine
 * sends "true"/"false" as strings and reads them with its BooleanParser;
 * this is that rule, for every reader and writer of the wire format.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "true"/"false" in any case, "1"/"0". Anything else (NULL included)
 * returns FALSE and leaves @out alone. */
gboolean    ob_wire_boolean_parse     (const char *text,
                                       gboolean   *out);
/* "true" or "false", the engine's own spelling. */
const char *ob_wire_boolean_to_string (gboolean    value);

G_END_DECLS
