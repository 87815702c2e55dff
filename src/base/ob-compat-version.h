/* ob-compat-version.h: an oVirt compatibility level such as 3.1 or 4.7
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Only major and minor matter for a compatibility level; they compare
 * as numbers, so 3.10 is above 3.9. */
typedef struct
{
  guint major;
  guint minor;
} ObCompatVersion;

#define OB_COMPAT_VERSION_INIT(ma, mi) ((ObCompatVersion) { (ma), (mi) })

gboolean ob_compat_version_parse     (const char            *text,
                                      ObCompatVersion       *out);
int      ob_compat_version_compare   (const ObCompatVersion *a,
                                      const ObCompatVersion *b);
char    *ob_compat_version_to_string (const ObCompatVersion *version);

/* A compatibility level as far as it is known: a VM whose cluster was not
 * read, or an OVF that names none, has an unknown level. */
typedef struct
{
  gboolean        known;
  ObCompatVersion version;
} ObLevel;

#define OB_LEVEL_UNKNOWN      ((ObLevel) { FALSE, { 0, 0 } })
#define OB_LEVEL_INIT(ma, mi) ((ObLevel) { TRUE, { (ma), (mi) } })

/* @version NULL: unknown. */
ObLevel  ob_level_from_version       (const ObCompatVersion *version);
/* Parses "4.7"; text that does not parse is an unknown level. */
ObLevel  ob_level_parse              (const char            *text);
/* "4.7", or NULL when unknown. */
char    *ob_level_to_string          (ObLevel                level);

G_END_DECLS
