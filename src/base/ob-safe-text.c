/* ob-safe-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ob-safe-text.h"

static gboolean
is_unsafe (gunichar c)
{
  return c < 0x20 || c == 0x7f ||
         (c >= 0x80 && c <= 0x9f) ||          /* C1: CSI, OSC... */
         (c >= 0x202a && c <= 0x202e) ||      /* bidi embeddings, overrides */
         (c >= 0x2066 && c <= 0x2069);        /* bidi isolates */
}

char *
ob_safe_text (const char *text)
{
  GString *out;
  const char *p;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (strlen (text));
  for (p = text; *p != '\0';)
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }
      if (!is_unsafe (c))
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      else if (c < 0x80)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_printf (out, "\\u%04x", c);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}
