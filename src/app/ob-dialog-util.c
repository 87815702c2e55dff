/* ob-dialog-util.c: what the dialogs share: showing a GError from the core
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
      /* The engine answers 409 for more than a concurrent change (a
       * duplicate name, a running VM): the detail line says which. */
      return _("The engine refused the change: it conflicts with the VM’s current state");
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

char *
ob_dialog_connect_error_text (const GError *error,
                              const char   *url)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (g_error_matches (error, OB_ERROR, OB_ERROR_AUTH))
    /* Translators: then the engine's own text, which may be technical */
    g_string_printf (text, _("The engine did not accept the user name or password.\nThe engine said: %s"),
                     error->message);
  else
    g_string_assign (text, error->message);

  /* An https:// address to an engine serving plain HTTP gets no TLS
   * answer: it times out, or answers garbage, without saying why. (Not
   * for an unknown host or a refused port: those say what they are.) */
  if (url != NULL && g_ascii_strncasecmp (url, "https://", 8) == 0 &&
      (g_error_matches (error, OB_ERROR, OB_ERROR_TIMEOUT) ||
       g_error_matches (error, OB_ERROR, OB_ERROR_PROTOCOL)))
    {
      g_string_append_c (text, '\n');
      g_string_append (text, _("If the engine serves plain HTTP, use an http:// address."));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
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

static gboolean
destroy_window_cb (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

void
ob_dialog_destroy_later (GtkWindow *window)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, destroy_window_cb, g_object_ref (window), g_object_unref);
}

GtkWindow *
ob_dialog_new_save_changes (GtkWindow  *parent,
                            const char *message,
                            const char *detail)
{
  GtkWidget *prompt;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  prompt = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL, GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   "%s", message);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (prompt), "%s", detail);
  gtk_dialog_add_buttons (GTK_DIALOG (prompt),
                          _("_Cancel"), GTK_RESPONSE_CANCEL,
                          _("_Discard"), OB_SAVE_CHANGES_DISCARD,
                          _("_Save"), OB_SAVE_CHANGES_SAVE,
                          NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (prompt), OB_SAVE_CHANGES_SAVE);
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_window_set_title (GTK_WINDOW (prompt), _("Unsaved Changes"));
  return GTK_WINDOW (prompt);
}
