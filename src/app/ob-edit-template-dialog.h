/* ob-edit-template-dialog.h: a template's details; its balloon is shown
 * but cannot be changed (templates do not support it, per the design)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ob-template.h"

G_BEGIN_DECLS

#define OB_TYPE_EDIT_TEMPLATE_DIALOG (ob_edit_template_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ObEditTemplateDialog, ob_edit_template_dialog, OB, EDIT_TEMPLATE_DIALOG, GtkWindow)

ObEditTemplateDialog *ob_edit_template_dialog_new (GtkWindow  *parent,
                                                   ObTemplate *template);

G_END_DECLS
