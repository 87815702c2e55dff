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

G_END_DECLS
