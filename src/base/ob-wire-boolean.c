/* ob-wire-boolean.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ob-wire-boolean.h"

gboolean
ob_wire_boolean_parse (const char *text,
                       gboolean   *out)
{
  if (text == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (text, "true") == 0 || g_strcmp0 (text, "1") == 0)
    *out = TRUE;
  else if (g_ascii_strcasecmp (text, "false") == 0 || g_strcmp0 (text, "0") == 0)
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

const char *
ob_wire_boolean_to_string (gboolean value)
{
  return value ? "true" : "false";
}
