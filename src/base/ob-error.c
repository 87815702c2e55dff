/* ob-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "ob-error.h"
#include "ob-safe-text.h"

G_DEFINE_QUARK (ob-error-quark, ob_error)

ObExitCode
ob_error_exit_code (const GError *error)
{
  if (error == NULL)
    return OB_EXIT_OK;

  if (error->domain == OB_ERROR)
    {
      switch ((ObErrorCode) error->code)
        {
        case OB_ERROR_USAGE:
          return OB_EXIT_USAGE;
        case OB_ERROR_REFUSED:
          return OB_EXIT_REFUSED;
        case OB_ERROR_CONNECT:
        case OB_ERROR_AUTH:
        case OB_ERROR_TLS_UNTRUSTED:
          return OB_EXIT_CONNECT;
        case OB_ERROR_BAD_INPUT:
          return OB_EXIT_BAD_INPUT;
        case OB_ERROR_FAILED:
        case OB_ERROR_CONFLICT:
        case OB_ERROR_NOT_FOUND:
        case OB_ERROR_SERVER_FAULT:
        case OB_ERROR_PROTOCOL:
        case OB_ERROR_TIMEOUT:
        case OB_ERROR_IO:
        case OB_ERROR_NAME_IN_USE:
        default:
          return OB_EXIT_FAILED;
        }
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      error->domain == G_TLS_ERROR ||
      error->domain == G_RESOLVER_ERROR)
    return OB_EXIT_CONNECT;

  return OB_EXIT_FAILED;
}

ObExitCode
ob_error_report (const GError *error)
{
  g_autofree char *flat = NULL;
  g_autofree char *line = NULL;

  g_return_val_if_fail (error != NULL, OB_EXIT_FAILED);

  /* Line breaks read as spaces; any other control is shown escaped, since
   * messages quote what engines, files and users sent. */
  flat = g_strdelimit (g_strdup (error->message), "\r\n", ' ');
  line = ob_safe_text (flat);
  g_printerr ("%s %s\n", _("error:"), line);
  return ob_error_exit_code (error);
}
