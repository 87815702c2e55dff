/* ob-sandbox-era.h: which oVirt engine version the sandbox plays, and so
 * where it keeps the memory balloon. Up to 4.4.5 (the device era) a VM has
 * the balloon iff it has a managed memballoon vm_device row; from 4.4.6
 * (the flag era) every VM and template has the device and the
 * vm_static.balloon_enabled column says whether it is used.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OB_SANDBOX_ENGINE_VERSION_DEFAULT "4.5"

typedef struct
{
  guint major;
  guint minor;
  guint build;
} ObSandboxEngineVersion;

/* "4.5", "4.4.5", "4.4.10": major 4 (the REST v4 engines), then minor and
 * an optional build. Anything else is OB_ERROR_USAGE. */
gboolean ob_sandbox_engine_version_parse     (const char                   *text,
                                              ObSandboxEngineVersion       *out,
                                              GError                      **error);
/* 4.4.6 and later keep the balloon in VmBase's balloonEnabled. */
gboolean ob_sandbox_engine_version_flag_era  (const ObSandboxEngineVersion *v);
/* "4.5.0": what product_info's full_version says. */
char    *ob_sandbox_engine_version_to_string (const ObSandboxEngineVersion *v);

G_END_DECLS
