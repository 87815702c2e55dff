/* ob-spinner.h: a busy indicator drawn, not an icon
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define OB_TYPE_SPINNER (ob_spinner_get_type ())
G_DECLARE_FINAL_TYPE (ObSpinner, ob_spinner, OB, SPINNER, GtkWidget)

GtkWidget *ob_spinner_new          (void);
gboolean   ob_spinner_get_spinning (ObSpinner *self);
void       ob_spinner_set_spinning (ObSpinner *self,
                                    gboolean   spinning);

G_END_DECLS
