/* ob-balloon-policy.h: the one rule deciding whether a VM may have the
 * memory balloon enabled. The OVF editor, the REST client and the sandbox
 * engine all ask here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "ob-compat-version.h"

G_BEGIN_DECLS

typedef enum
{
  OB_BALLOON_ALLOWED,
  OB_BALLOON_LEVEL_UNKNOWN,       /* allowed, but the caller should warn */
  OB_BALLOON_LEVEL_TOO_LOW,       /* below 3.1 */
  OB_BALLOON_ARCH_UNSUPPORTED,    /* ppc64 below 3.5 */
} ObBalloonVerdict;

/* The minimum levels, exposed for messages and tests. */
#define OB_BALLOON_MIN_LEVEL       OB_COMPAT_VERSION_INIT (3, 1)
#define OB_BALLOON_MIN_LEVEL_PPC64 OB_COMPAT_VERSION_INIT (3, 5)

/* @level: the effective level (VM custom level, else cluster level),
 * known or not. @cpu_arch: the cluster's CPU architecture as oVirt names
 * it ("x86_64", "ppc64", "s390x"), or NULL when unknown. */
ObBalloonVerdict ob_balloon_policy_verdict      (ObLevel                level,
                                                 const char            *cpu_arch);

/* Returns TRUE when enabling is allowed (including an unknown level).
 * On refusal sets OB_ERROR_REFUSED with a message that names the level
 * and, for ppc64, the architecture. */
gboolean         ob_balloon_policy_check_enable (ObLevel                level,
                                                 const char            *cpu_arch,
                                                 GError               **error);

/* A short, translated reason for a refusal verdict, for a label next to an
 * insensitive checkbox; NULL for OB_BALLOON_ALLOWED. The minimum levels
 * in it come from OB_BALLOON_MIN_LEVEL and OB_BALLOON_MIN_LEVEL_PPC64. */
char            *ob_balloon_policy_describe     (ObBalloonVerdict       verdict,
                                                 ObLevel                level,
                                                 const char            *cpu_arch);

/* Whether a verdict lets the balloon be enabled: an unknown level does
 * (the caller warns), a refusal does not. */
gboolean         ob_balloon_policy_allows       (ObBalloonVerdict       verdict);

/* Where an engine keeps a VM's balloon. oVirt 4.4.6 made it the
 * BalloonEnabled flag of VmBase (templates carry it and accept a PUT of
 * it); before, it was the presence of a memballoon device. */
typedef enum
{
  OB_BALLOON_ERA_DEVICE,
  OB_BALLOON_ERA_FLAG,
} ObBalloonEra;

/* The first engine version of the flag era. */
#define OB_BALLOON_FLAG_ERA_MAJOR 4
#define OB_BALLOON_FLAG_ERA_MINOR 4
#define OB_BALLOON_FLAG_ERA_BUILD 6

/* The era of an engine of version @major.@minor.@build. */
ObBalloonEra     ob_balloon_policy_era_for_version (guint           major,
                                                    guint           minor,
                                                    guint           build);

gboolean         ob_balloon_policy_is_ppc64     (const char            *cpu_arch);

G_END_DECLS
