/* ob-sandbox-era.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-error.h"
#include "ob-sandbox-era.h"

gboolean
ob_sandbox_engine_version_parse (const char             *text,
                                 ObSandboxEngineVersion *out,
                                 GError                **error)
{
  g_auto(GStrv) parts = NULL;
  guint64 numbers[3] = { 0, 0, 0 };
  guint n;

  if (text == NULL || *text == '\0')
    text = OB_SANDBOX_ENGINE_VERSION_DEFAULT;
  parts = g_strsplit (text, ".", -1);
  n = g_strv_length (parts);
  for (guint i = 0; i < n && i < 3; i++)
    if (!g_ascii_string_to_unsigned (parts[i], 10, 0, 999, &numbers[i], NULL))
      n = 0;
  /* REST v4 engines only: 4.0 and later. */
  if (n < 2 || n > 3 || numbers[0] != 4)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_USAGE,
                   _("Unknown engine version “%s”: use 4.MINOR or 4.MINOR.BUILD, "
                     "such as 4.5 or 4.4.5"), text);
      return FALSE;
    }
  out->major = (guint) numbers[0];
  out->minor = (guint) numbers[1];
  out->build = (guint) numbers[2];
  return TRUE;
}

gboolean
ob_sandbox_engine_version_flag_era (const ObSandboxEngineVersion *v)
{
  /* Engine commit b4a0cc803cb, first released in 4.4.6. */
  if (v->major != 4)
    return v->major > 4;
  if (v->minor != 4)
    return v->minor > 4;
  return v->build >= 6;
}

char *
ob_sandbox_engine_version_to_string (const ObSandboxEngineVersion *v)
{
  return g_strdup_printf ("%u.%u.%u", v->major, v->minor, v->build);
}
