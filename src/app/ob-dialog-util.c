/* ob-dialog-util.c: what the dialogs share: showing a GError from a library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-dialog-util.h"
#include "ob-error.h"

const char *
ob_dialog_error_title (const GError *error)
{
  if (error == NULL || error->domain != OB_ERROR)
    return _("The operation failed");

  switch ((ObErrorCode) error->code)
    {
    case OB_ERROR_REFUSED:
      return _("The change was refused");
    case OB_ERROR_CONNECT:
      return _("Cannot reach the engine");
    case OB_ERROR_AUTH:
      return _("The engine did not accept the credentials");
    case OB_ERROR_TLS_UNTRUSTED:
      return _("The engine’s certificate is not trusted");
    case OB_ERROR_CONFLICT:
      return _("The VM was changed on the server meanwhile");
    case OB_ERROR_NOT_FOUND:
      return _("The VM no longer exists on the engine");
    case OB_ERROR_SERVER_FAULT:
      return _("The engine reported a fault");
    case OB_ERROR_PROTOCOL:
      return _("The engine sent an answer that is not oVirt REST");
    case OB_ERROR_TIMEOUT:
      return _("The engine did not answer in time");
    case OB_ERROR_FAILED:
    case OB_ERROR_USAGE:
    case OB_ERROR_BAD_INPUT:
    case OB_ERROR_IO:
    default:
      return _("The operation failed");
    }
}

void
ob_dialog_show_error (GtkRevealer  *revealer,
                      GtkLabel     *reason_label,
                      GtkLabel     *detail_label,
                      const GError *error)
{
  if (error == NULL)
    {
      ob_dialog_reveal (revealer, FALSE);
      return;
    }
  gtk_label_set_label (reason_label, ob_dialog_error_title (error));
  gtk_label_set_label (detail_label, error->message);
  ob_dialog_reveal (revealer, TRUE);
}

void
ob_dialog_reveal (GtkRevealer *revealer,
                  gboolean     reveal)
{
  gtk_widget_set_visible (GTK_WIDGET (revealer), reveal);
  gtk_revealer_set_reveal_child (revealer, reveal);
}
