/* ob-balloon-policy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-balloon-policy.h"
#include "ob-error.h"

gboolean
ob_balloon_policy_is_ppc64 (const char *cpu_arch)
{
  /* oVirt's architecture enum names it "ppc64"; "ppc64le" hosts are the
   * same family as far as the balloon restriction went. */
  return cpu_arch != NULL && g_ascii_strncasecmp (cpu_arch, "ppc64", 5) == 0;
}

ObBalloonVerdict
ob_balloon_policy_verdict (ObLevel     level,
                           const char *cpu_arch)
{
  ObCompatVersion min_level = OB_BALLOON_MIN_LEVEL;
  ObCompatVersion min_ppc64 = OB_BALLOON_MIN_LEVEL_PPC64;

  if (!level.known)
    return OB_BALLOON_LEVEL_UNKNOWN;

  if (ob_compat_version_compare (&level.version, &min_level) < 0)
    return OB_BALLOON_LEVEL_TOO_LOW;

  if (ob_balloon_policy_is_ppc64 (cpu_arch) &&
      ob_compat_version_compare (&level.version, &min_ppc64) < 0)
    return OB_BALLOON_ARCH_UNSUPPORTED;

  return OB_BALLOON_ALLOWED;
}

char *
ob_balloon_policy_describe (ObBalloonVerdict  verdict,
                            ObLevel           level,
                            const char       *cpu_arch)
{
  ObCompatVersion min_level = OB_BALLOON_MIN_LEVEL;
  ObCompatVersion min_ppc64 = OB_BALLOON_MIN_LEVEL_PPC64;
  g_autofree char *level_text = ob_level_to_string (level);
  g_autofree char *min_text = ob_compat_version_to_string (&min_level);
  g_autofree char *min_ppc64_text = ob_compat_version_to_string (&min_ppc64);

  switch (verdict)
    {
    case OB_BALLOON_ALLOWED:
      return NULL;
    case OB_BALLOON_LEVEL_UNKNOWN:
      /* Translators: %s is the minimum compatibility level, such as "3.1". */
      return g_strdup_printf (_("The compatibility level is unknown, so it cannot be checked that the "
                                "memory balloon is supported (it needs %s or higher)."), min_text);
    case OB_BALLOON_LEVEL_TOO_LOW:
      /* Translators: the first %s is the minimum compatibility level such as
       * "3.1", the second this level such as "3.0". */
      return g_strdup_printf (_("The memory balloon needs compatibility level %s or higher; "
                                "this level is %s."), min_text, level_text);
    case OB_BALLOON_ARCH_UNSUPPORTED:
      /* Translators: the first %s is a CPU architecture, the second the
       * minimum level such as "3.5", the third this level such as "3.4". */
      return g_strdup_printf (_("The memory balloon is not supported on the '%s' architecture "
                                "below compatibility level %s; this level is %s."),
                              cpu_arch, min_ppc64_text, level_text);
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
ob_balloon_policy_allows (ObBalloonVerdict verdict)
{
  return verdict == OB_BALLOON_ALLOWED || verdict == OB_BALLOON_LEVEL_UNKNOWN;
}

gboolean
ob_balloon_policy_check_enable (ObLevel      level,
                                const char  *cpu_arch,
                                GError     **error)
{
  ObBalloonVerdict verdict = ob_balloon_policy_verdict (level, cpu_arch);

  if (ob_balloon_policy_allows (verdict))
    return TRUE;

  /* List rows ask with error == NULL: don't build a message nobody reads. */
  if (error != NULL)
    {
      g_autofree char *reason = ob_balloon_policy_describe (verdict, level, cpu_arch);
      g_set_error_literal (error, OB_ERROR, OB_ERROR_REFUSED, reason);
    }
  return FALSE;
}

ObBalloonEra
ob_balloon_policy_era_for_version (guint major,
                                   guint minor,
                                   guint build)
{
  if (major != OB_BALLOON_FLAG_ERA_MAJOR)
    return major > OB_BALLOON_FLAG_ERA_MAJOR ? OB_BALLOON_ERA_FLAG : OB_BALLOON_ERA_DEVICE;
  if (minor != OB_BALLOON_FLAG_ERA_MINOR)
    return minor > OB_BALLOON_FLAG_ERA_MINOR ? OB_BALLOON_ERA_FLAG : OB_BALLOON_ERA_DEVICE;
  return build >= OB_BALLOON_FLAG_ERA_BUILD ? OB_BALLOON_ERA_FLAG : OB_BALLOON_ERA_DEVICE;
}
