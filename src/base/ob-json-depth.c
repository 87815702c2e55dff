/* ob-json-depth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ob-error.h"
#include "ob-json-depth.h"

gboolean
ob_json_depth_check (const char  *data,
                     gsize        length,
                     guint        max_depth,
                     GError     **error)
{
  guint depth = 0;
  gboolean in_string = FALSE;
  gboolean closed_top = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          /* Strings are most of a body: jump to the next quote. It ends the
           * string unless an odd run of backslashes escapes it. */
          const char *quote = memchr (data + i, '"', length - i);
          gsize backslashes = 0;

          if (quote == NULL)
            break;
          i = (gsize) (quote - data);
          while (quote - backslashes > data && quote[-1 - (gssize) backslashes] == '\\')
            backslashes++;
          in_string = backslashes % 2 == 1;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          /* json-glib 1.6 takes "{...} {...}" as the last object and leaks
           * the first: a second top-level value is refused here. */
          if (depth == 0 && closed_top)
            {
              g_set_error_literal (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                                   _("JSON holds more than one top-level value"));
              return FALSE;
            }
          if (++depth > max_depth)
            {
              g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                           _("JSON nested deeper than %u levels"), max_depth);
              return FALSE;
            }
          break;
        case ']':
        case '}':
          /* Unbalanced closers are the parser's to report. */
          if (depth > 0 && --depth == 0)
            closed_top = TRUE;
          break;
        default:
          break;
        }
    }

  return TRUE;
}
