/* ob-edit-template-dialog.h: a template's details and its balloon, which
 * engines from 4.4.6 on let change; on older engines it is shown only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ob-client.h"
#include "ob-template.h"

G_BEGIN_DECLS

#define OB_TYPE_EDIT_TEMPLATE_DIALOG (ob_edit_template_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ObEditTemplateDialog, ob_edit_template_dialog, OB, EDIT_TEMPLATE_DIALOG, GtkWindow)

/* @client: the connected client, or NULL to show the template only. A
 * saved change is set on @template (its "ballooning" notifies). */
ObEditTemplateDialog *ob_edit_template_dialog_new (GtkWindow  *parent,
                                                   ObClient   *client,
                                                   ObTemplate *template);

G_END_DECLS
