/* ob-sandbox-pki.c: the engine's CA endpoint (pki-resource).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ob-sandbox-impl.h"

void
ob_sandbox_handle_pki (ObSandbox         *self,
                       SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) params = query ? soup_form_decode (query) : NULL;
  const char *ca = self->tls_ca ? self->tls_ca : self->tls_certificate;
  g_autofree char *pem = NULL;
  gsize length = 0;

  if (self->tls_certificate == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  if (params == NULL ||
      g_strcmp0 (g_hash_table_lookup (params, "resource"), "ca-certificate") != 0 ||
      g_strcmp0 (g_hash_table_lookup (params, "format"), "X509-PEM-CA") != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                        "Unsupported resource or format\n", 31);
      return;
    }
  if (!g_file_get_contents (ca, &pem, &length, NULL))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/x-x509-ca-cert", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&pem), length);
}
