/* ob-connection-url.c: the engine URL forms
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ob-connection-private.h"
#include "ob-error.h"

/* URL forms */

char *
ob_connection_normalize_url (const char *text,
                             GError    **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *with_scheme = NULL;
  g_autofree char *path = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme, *host;
  gsize len;

  if (text == NULL)
    text = "";
  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, OB_ERROR, OB_ERROR_USAGE,
                           _("No engine URL was given (use --engine or OVIRT_URL)."));
      return NULL;
    }

  if (strstr (trimmed, "://") == NULL)
    with_scheme = g_strconcat ("https://", trimmed, NULL);
  else
    with_scheme = g_strdup (trimmed);

  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_USAGE,
                   _("“%s” is not a valid engine URL: %s"), text, local_error->message);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_USAGE,
                   _("“%s” is not a valid engine URL: only https:// (or http://) is supported."),
                   text);
      return NULL;
    }
  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      g_set_error (error, OB_ERROR, OB_ERROR_USAGE,
                   _("“%s” is not a valid engine URL: it names no host."), text);
      return NULL;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      /* A password in the URL would end up in shell history and logs. */
      g_set_error (error, OB_ERROR, OB_ERROR_USAGE,
                   _("The engine URL must not contain a user name or password; "
                     "use --user and --password-file."));
      return NULL;
    }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_USAGE,
                   _("“%s” is not a valid engine URL: it must not have a query or fragment."),
                   text);
      return NULL;
    }

  path = g_strdup (g_uri_get_path (uri));
  len = strlen (path);
  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';
  if (g_str_has_suffix (path, "/v4"))
    path[len - 3] = '\0';

  if (g_str_has_suffix (path, "/ovirt-engine/api"))
    prefix = g_strndup (path, strlen (path) - strlen ("/ovirt-engine/api"));
  else if (g_str_has_suffix (path, "/ovirt-engine"))
    prefix = g_strndup (path, strlen (path) - strlen ("/ovirt-engine"));
  else if (*path == '\0')
    prefix = g_strdup ("");
  else
    {
      g_set_error (error, OB_ERROR, OB_ERROR_USAGE,
                   _("“%s” is not a valid engine URL: the path must be /ovirt-engine/api."),
                   text);
      return NULL;
    }

  {
    g_autofree char *api_path = g_strconcat (prefix, "/ovirt-engine/api", NULL);
    g_autofree char *lower_scheme = g_ascii_strdown (scheme, -1);
    return g_uri_join (G_URI_FLAGS_NONE, lower_scheme, NULL, host,
                       g_uri_get_port (uri), api_path, NULL, NULL);
  }
}

char *
ob_connection_resolve_url (ObConnection *self,
                           const char   *path)
{
  if (g_str_has_prefix (path, "http://") || g_str_has_prefix (path, "https://"))
    return g_strdup (path);
  if (path[0] == '/')
    {
      /* An href such as /ovirt-engine/api/vms/ID: relative to the root,
       * without any proxy prefix (the engine writes absolute paths). */
      g_autoptr(GUri) base = g_uri_parse (self->api_url, G_URI_FLAGS_NONE, NULL);
      g_autofree char *root = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (base), NULL,
                                          g_uri_get_host (base), g_uri_get_port (base),
                                          "", NULL, NULL);
      return g_strconcat (root, path, NULL);
    }
  if (*path == '\0')
    return g_strdup (self->api_url);
  return g_strconcat (self->api_url, "/", path, NULL);
}
