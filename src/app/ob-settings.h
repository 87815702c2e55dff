/* ob-settings.h: the app's GSettings, also when run from the build tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The io.github.ovirtballoon.OvirtBalloon settings: from the installed
 * schemas, else from the schema compiled next to an uninstalled binary
 * (BUILD/data, as .ci/start runs it). NULL when neither exists: the app
 * then runs without remembering anything. */
GSettings *ob_settings_new (void);

G_END_DECLS
