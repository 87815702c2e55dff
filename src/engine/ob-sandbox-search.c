/* ob-sandbox-search.c: the search language clients send in ?search=.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ob-sandbox-search.h"

void
ob_search_clear (ObSearch *s)
{
  g_free (s->name_like);
  g_free (s->status);
  g_free (s->cluster_like);
}

/* name=web* -> "web%", with LIKE's own wildcards escaped. */
static char *
wildcard_to_like (const char *pattern)
{
  GString *like = g_string_new (NULL);

  for (const char *p = pattern; *p; p++)
    {
      if (*p == '*')
        g_string_append_c (like, '%');
      else
        {
          if (*p == '%' || *p == '_' || *p == '\\')
            g_string_append_c (like, '\\');
          g_string_append_c (like, *p);
        }
    }
  return g_string_free (like, FALSE);
}

/* Splits a search on blanks; double quotes group (name="my vm") and a
 * backslash escapes the next character inside them. */
GPtrArray *
ob_search_tokenize (const char *text)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  GString *token = NULL;
  gboolean quoted = FALSE;

  for (const char *p = text; ; p++)
    {
      if (*p == '\0' || (!quoted && (*p == ' ' || *p == '\t')))
        {
          if (token != NULL)
            g_ptr_array_add (tokens, g_string_free (g_steal_pointer (&token), FALSE));
          if (*p == '\0')
            break;
          continue;
        }
      if (token == NULL)
        token = g_string_new (NULL);
      if (*p == '"')
        quoted = !quoted;
      else if (quoted && *p == '\\' && p[1] != '\0')
        g_string_append_c (token, *++p);
      else
        g_string_append_c (token, *p);
    }
  return tokens;
}

/* The search terms clients use for VMs: name=PATTERN, status=STATE,
 * cluster=PATTERN, "page N", "sortby name [asc|desc]", joined by blanks
 * or "and". Anything else is refused rather than silently ignored. */
gboolean
ob_search_parse (const char *text,
                 ObSearch   *out,
                 char      **bad_term)
{
  g_autoptr(GPtrArray) tokens = NULL;

  memset (out, 0, sizeof *out);
  if (text == NULL)
    return TRUE;
  tokens = ob_search_tokenize (text);
  g_ptr_array_add (tokens, NULL);

  for (guint i = 0; i + 1 < tokens->len; i++)
    {
      const char *t = g_ptr_array_index (tokens, i);
      const char *next = g_ptr_array_index (tokens, i + 1);

      if (g_ascii_strncasecmp (t, "name=", 5) == 0)
        {
          g_free (out->name_like);
          out->name_like = wildcard_to_like (t + 5);
        }
      else if (g_ascii_strncasecmp (t, "status=", 7) == 0)
        {
          g_free (out->status);
          out->status = g_ascii_strdown (t + 7, -1);
        }
      else if (g_ascii_strncasecmp (t, "cluster=", 8) == 0)
        {
          g_free (out->cluster_like);
          out->cluster_like = wildcard_to_like (t + 8);
        }
      else if (g_ascii_strcasecmp (t, "page") == 0 && next != NULL &&
               g_ascii_string_to_signed (next, 10, 1, G_MAXINT32, &out->page, NULL))
        i++;
      else if (g_ascii_strcasecmp (t, "sortby") == 0 && next != NULL &&
               g_ascii_strcasecmp (next, "name") == 0)
        {
          const char *order = g_ptr_array_index (tokens, i + 2);

          i++;
          if (order != NULL && (g_ascii_strcasecmp (order, "asc") == 0 ||
                                g_ascii_strcasecmp (order, "desc") == 0))
            {
              out->descending = g_ascii_strcasecmp (order, "desc") == 0;
              i++;
            }
        }
      else if (g_ascii_strcasecmp (t, "and") == 0 || g_ascii_strcasecmp (t, "vms:") == 0 ||
               g_ascii_strcasecmp (t, "vm:") == 0)
        continue;
      else
        {
          *bad_term = g_strdup (t);
          return FALSE;
        }
    }
  return TRUE;
}

/* Clusters and templates: name=PATTERN (case-insensitive) joined by "and".
 * Returns FALSE with @bad_term set on anything else. */
gboolean
ob_search_parse_name (const char    *text,
                      GPatternSpec **pattern,
                      char         **bad_term)
{
  g_autoptr(GPtrArray) tokens = ob_search_tokenize (text);

  for (guint i = 0; i < tokens->len; i++)
    {
      const char *t = g_ptr_array_index (tokens, i);

      if (g_ascii_strncasecmp (t, "name=", 5) == 0)
        {
          g_autofree char *lower = g_utf8_strdown (t + 5, -1);

          g_clear_pointer (pattern, g_pattern_spec_free);
          *pattern = g_pattern_spec_new (lower);
        }
      else if (g_ascii_strcasecmp (t, "and") != 0)
        {
          *bad_term = g_strdup (t);
          return FALSE;
        }
    }
  return TRUE;
}
