/* ob-application.h: the ovirt-balloon GtkApplication
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OB_TYPE_APPLICATION (ob_application_get_type ())
G_DECLARE_FINAL_TYPE (ObApplication, ob_application, OB, APPLICATION, AdwApplication)

ObApplication *ob_application_new          (void);

/* The app's GSettings (schema io.github.ovirtballoon.OvirtBalloon), or
 * NULL when the schema is not installed (see ob-settings.h). */
GSettings     *ob_application_get_settings (ObApplication *self);

/* Opens a new OVF editor window, showing @file when not NULL. */
void           ob_application_open_ovf     (ObApplication *self,
                                            GFile         *file);

G_END_DECLS
