/* ob-connection-tls.c: TLS verification and the engine CA download
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "ob-connection-private.h"
#include "ob-error.h"
#include "ob-product.h"

/* TLS: the system store verifies first (libsoup's default database);
 * when it refuses, the extra CAs (--ca-file, the trust store's entry for
 * this engine) get a chance; --insecure accepts anything. */

gboolean
ob_connection_load_extra_cas (ObConnection  *self,
                              GError       **error)
{
  g_list_free_full (g_steal_pointer (&self->extra_cas), g_object_unref);

  if (self->ca_file != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      GList *list = g_tls_certificate_list_new_from_file (self->ca_file, &local_error);

      if (list == NULL)
        {
          g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                       _("Cannot read the CA file %s: %s"), self->ca_file,
                       local_error != NULL ? local_error->message : _("it holds no certificate"));
          return FALSE;
        }
      self->extra_cas = g_list_concat (self->extra_cas, list);
    }

  if (self->trust_store != NULL)
    {
      GTlsCertificate *trusted = ob_trust_store_lookup (self->trust_store, self->engine_key, error);

      if (trusted == NULL && error != NULL && *error != NULL)
        return FALSE;
      if (trusted != NULL)
        self->extra_cas = g_list_append (self->extra_cas, trusted);
    }
  return TRUE;
}

static gboolean
on_accept_certificate (SoupMessage          *msg,
                       GTlsCertificate      *peer_certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  ObConnection *self = OB_CONNECTION (user_data);
  g_autoptr(GSocketConnectable) identity = NULL;
  GList *l;

  g_set_object (&self->last_peer_certificate, peer_certificate);
  self->last_tls_errors = errors;

  if (self->insecure)
    return TRUE;

  identity = g_network_address_new (self->host, (guint16) self->port);
  for (l = self->extra_cas; l != NULL; l = l->next)
    {
      GTlsCertificateFlags flags = g_tls_certificate_verify (peer_certificate, identity, l->data);

      if (flags == 0)
        return TRUE;
      /* A trusted CA signed it, but something else is wrong (host name,
       * dates): that is the more useful reason to report. */
      if (!(flags & G_TLS_CERTIFICATE_UNKNOWN_CA))
        self->last_tls_errors = flags;
    }
  return FALSE;
}

/* Accepts any certificate but remembers it: used only to fetch the CA. */
static gboolean
on_accept_any_certificate (SoupMessage          *msg,
                           GTlsCertificate      *peer_certificate,
                           GTlsCertificateFlags  errors,
                           gpointer              user_data)
{
  ObConnection *self = OB_CONNECTION (user_data);

  g_set_object (&self->last_peer_certificate, peer_certificate);
  return TRUE;
}

SoupMessage *
ob_connection_new_message (ObConnection *self,
                           const char   *method,
                           const char   *url,
                           gboolean      any_certificate,
                           GError      **error)
{
  SoupMessage *msg = soup_message_new (method, url);

  if (msg == NULL)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_USAGE, _("Cannot build a request for %s."), url);
      return NULL;
    }
  /* libsoup would follow a redirect to any host and hand back that host's
   * answer as this one's; ob_connection_send_async() refuses it instead. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  g_signal_connect_object (msg, "accept-certificate",
                           any_certificate ? G_CALLBACK (on_accept_any_certificate)
                                           : G_CALLBACK (on_accept_certificate),
                           self, 0);
  return msg;
}

/* Why the engine's certificate was refused, in words a user can act on.
 * Only an unknown CA is a case for trusting the engine's CA; a wrong host
 * name or dates are not fixed by trusting anything. */
GError *
ob_connection_describe_tls_failure (ObConnection *self,
                                    const GError *error)
{
  GTlsCertificate *leaf = self->last_peer_certificate;
  GTlsCertificate *top = leaf;
  GTlsCertificateFlags flags = self->last_tls_errors;
  g_autofree char *leaf_fp = NULL;
  g_autofree char *top_fp = NULL;
  g_autofree char *which = NULL;

  if (leaf == NULL)
    return g_error_new (OB_ERROR, OB_ERROR_TLS_UNTRUSTED,
                        _("The TLS connection to %s failed: %s"), self->engine_key, error->message);

  while (g_tls_certificate_get_issuer (top) != NULL)
    top = g_tls_certificate_get_issuer (top);
  leaf_fp = ob_tls_certificate_fingerprint (leaf);
  if (top != leaf)
    {
      top_fp = ob_tls_certificate_fingerprint (top);
      /* Translators: the first %s is the CA's fingerprint, the second the server certificate's. */
      which = g_strdup_printf (_("its CA's SHA-256 fingerprint is %s; the server certificate's is %s"),
                               top_fp, leaf_fp);
    }
  else
    which = g_strdup_printf (_("the server certificate's SHA-256 fingerprint is %s"), leaf_fp);

  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return g_error_new (OB_ERROR, OB_ERROR_TLS_UNTRUSTED,
                        _("The certificate of %s is not valid for the host name “%s” (%s). "
                          "Use the host name the certificate was issued for."),
                        self->engine_key, self->host, which);
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return g_error_new (OB_ERROR, OB_ERROR_TLS_UNTRUSTED,
                        _("The certificate of %s has expired (%s)."), self->engine_key, which);
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return g_error_new (OB_ERROR, OB_ERROR_TLS_UNTRUSTED,
                        _("The certificate of %s is not valid yet (%s); check the clocks."),
                        self->engine_key, which);
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return g_error_new (OB_ERROR, OB_ERROR_TLS_UNTRUSTED,
                        _("The certificate of %s has been revoked (%s)."), self->engine_key, which);
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return g_error_new (OB_ERROR, OB_ERROR_TLS_UNTRUSTED,
                        _("The certificate of %s uses an insecure algorithm (%s)."), self->engine_key, which);
  return g_error_new (OB_ERROR, OB_ERROR_TLS_UNTRUSTED,
                      _("The certificate of %s is signed by a CA that is not trusted (%s). "
                        "Check the engine CA's fingerprint with its administrator before trusting it."),
                      self->engine_key, which);
}

/* CA download */

typedef struct
{
  SoupSession *session;
  SoupMessage *msg;
  char *fingerprint;
  ObDeadline deadline;
} CaCall;

static void
ca_call_free (CaCall *call)
{
  g_clear_object (&call->msg);
  g_clear_object (&call->session);
  g_free (call->fingerprint);
  ob_deadline_stop (&call->deadline);
  g_free (call);
}

static void
ca_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObConnection *self = g_task_get_source_object (task);
  CaCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GTlsCertificate) ca = NULL;
  g_autofree char *pem = NULL;
  GTlsCertificate *peer;
  guint status;
  gsize len = 0;
  const char *data;

  body = ob_connection_send_finish (self, result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  status = soup_message_get_status (call->msg);
  if (status != SOUP_STATUS_OK)
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_CONNECT,
                               _("The engine at %s did not serve its CA certificate (HTTP %u)."),
                               self->engine_key, status);
      return;
    }
  data = g_bytes_get_data (body, &len);
  pem = g_strndup (data, len);
  ca = g_tls_certificate_new_from_pem (pem, -1, &error);
  if (ca == NULL)
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_PROTOCOL,
                               _("The engine's CA certificate cannot be read: %s"), error->message);
      return;
    }

  /* Only a CA that actually signs what the engine presents is worth
   * showing: otherwise trusting it would not help and would mislead. */
  peer = soup_message_get_tls_peer_certificate (call->msg);
  if (peer != NULL)
    {
      g_autoptr(GSocketConnectable) identity = g_network_address_new (self->host, (guint16) self->port);
      GTlsCertificateFlags flags = g_tls_certificate_verify (peer, identity, ca);

      g_set_object (&self->last_peer_certificate, peer);

      if (flags != 0)
        {
          g_task_return_new_error (task, OB_ERROR, OB_ERROR_TLS_UNTRUSTED,
                                   _("The CA certificate served by %s does not validate the "
                                     "certificate it presents (verification flags 0x%x); "
                                     "it was not trusted."),
                                   self->engine_key, (guint) flags);
          return;
        }
    }

  call->fingerprint = ob_tls_certificate_fingerprint (ca);
  g_task_return_pointer (task, g_steal_pointer (&ca), g_object_unref);
}

void
ob_connection_fetch_ca_async (ObConnection        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  GError *error = NULL;
  CaCall *call;

  g_return_if_fail (OB_IS_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_connection_fetch_ca_async);
  call = g_new0 (CaCall, 1);
  g_task_set_task_data (task, call, (GDestroyNotify) ca_call_free);

  /* A session of its own: a connection accepted without verification must
   * never be reused for authenticated calls. */
  call->session = soup_session_new_with_options ("user-agent", OB_USER_AGENT,
                                                 "timeout", self->timeout,
                                                 NULL);
  url = g_strconcat (self->root_url,
                     "/ovirt-engine/services/pki-resource?resource=ca-certificate&format=X509-PEM-CA",
                     NULL);
  call->msg = ob_connection_new_message (self, "GET", url, TRUE, &error);
  if (call->msg == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  ob_connection_send_async (self, call->session, call->msg, &call->deadline, cancellable,
                            ca_sent_cb, g_object_ref (task));
}

GTlsCertificate *
ob_connection_fetch_ca_finish (ObConnection  *self,
                               GAsyncResult  *result,
                               char         **fingerprint_out,
                               GError       **error)
{
  CaCall *call;
  GTlsCertificate *ca;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  ca = g_task_propagate_pointer (G_TASK (result), error);
  call = g_task_get_task_data (G_TASK (result));
  if (ca != NULL && fingerprint_out != NULL)
    *fingerprint_out = g_strdup (call->fingerprint);
  return ca;
}
