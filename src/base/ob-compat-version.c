/* ob-compat-version.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "ob-compat-version.h"

static gboolean
parse_component (const char  *p,
                 const char **end,
                 guint       *out)
{
  guint64 value;
  char *e = NULL;

  if (!g_ascii_isdigit (*p))
    return FALSE;

  errno = 0;
  value = g_ascii_strtoull (p, &e, 10);
  if (errno != 0 || value > G_MAXUINT16)
    return FALSE;

  *out = (guint) value;
  *end = e;
  return TRUE;
}

/* Accepts "4.2" and the OVF envelope's "3.3.0.0" form: further numeric
 * components (build, revision) are allowed and ignored. Surrounding white
 * space is tolerated because OVF text nodes carry it. */
gboolean
ob_compat_version_parse (const char      *text,
                         ObCompatVersion *out)
{
  ObCompatVersion v = { 0, 0 };
  const char *p;
  guint ignored;

  g_return_val_if_fail (out != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  p = text;
  while (g_ascii_isspace (*p))
    p++;

  if (!parse_component (p, &p, &v.major) || *p != '.')
    return FALSE;
  p++;
  if (!parse_component (p, &p, &v.minor))
    return FALSE;

  while (*p == '.')
    {
      p++;
      if (!parse_component (p, &p, &ignored))
        return FALSE;
    }

  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0')
    return FALSE;

  *out = v;
  return TRUE;
}

int
ob_compat_version_compare (const ObCompatVersion *a,
                           const ObCompatVersion *b)
{
  if (a->major != b->major)
    return a->major < b->major ? -1 : 1;
  if (a->minor != b->minor)
    return a->minor < b->minor ? -1 : 1;
  return 0;
}

char *
ob_compat_version_to_string (const ObCompatVersion *version)
{
  return g_strdup_printf ("%u.%u", version->major, version->minor);
}

ObLevel
ob_level_from_version (const ObCompatVersion *version)
{
  ObLevel level = OB_LEVEL_UNKNOWN;

  if (version != NULL)
    {
      level.known = TRUE;
      level.version = *version;
    }
  return level;
}

ObLevel
ob_level_parse (const char *text)
{
  ObLevel level = OB_LEVEL_UNKNOWN;

  level.known = ob_compat_version_parse (text, &level.version);
  if (!level.known)
    level = OB_LEVEL_UNKNOWN;
  return level;
}

char *
ob_level_to_string (ObLevel level)
{
  return level.known ? ob_compat_version_to_string (&level.version) : NULL;
}
