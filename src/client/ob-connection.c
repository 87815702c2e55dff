/* ob-connection.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "ob-connection.h"
#include "ob-error.h"
#include "ob-product.h"
#include "ob-rest-json.h"

typedef enum
{
  AUTH_NONE,
  AUTH_SSO,
  AUTH_BASIC,
} AuthMethod;

struct _ObConnection
{
  GObject parent_instance;

  char *api_url;      /* https://host:port/ovirt-engine/api */
  char *root_url;     /* https://host:port */
  char *host;
  char *engine_key;   /* host:port */
  guint port;
  gboolean is_https;

  char *username;
  char *password;
  char *ca_file;
  guint timeout;
  gboolean insecure;
  ObTrustStore *trust_store;

  SoupSession *session;
  GList *extra_cas;   /* GTlsCertificate: CA file + trust store entry */
  GTlsCertificate *last_peer_certificate;
  GTlsCertificateFlags last_tls_errors;

  AuthMethod auth;
  char *token;
  /* Calls that got a 401 while a new token is being fetched: one login
   * serves them all. */
  GPtrArray *relogin_waiters;
  gboolean relogin_running;
  char *product_name;
  char *product_version;
  guint vm_total;
};

G_DEFINE_FINAL_TYPE (ObConnection, ob_connection, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_API_URL,
  PROP_ENGINE_KEY,
  PROP_USERNAME,
  PROP_TIMEOUT,
  PROP_INSECURE,
  PROP_CA_FILE,
  PROP_TRUST_STORE,
  PROP_PRODUCT_NAME,
  PROP_PRODUCT_VERSION,
  PROP_AUTH_METHOD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    {
      /* Do not leave the password in freed heap memory. */
      memset (*secret, 0, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

static void
clear_secret_free (char *secret)
{
  clear_secret (&secret);
}

static void
ob_connection_dispose (GObject *object)
{
  ObConnection *self = OB_CONNECTION (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->trust_store);
  g_clear_object (&self->last_peer_certificate);
  g_list_free_full (g_steal_pointer (&self->extra_cas), g_object_unref);
  g_clear_pointer (&self->relogin_waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (ob_connection_parent_class)->dispose (object);
}

static void
ob_connection_finalize (GObject *object)
{
  ObConnection *self = OB_CONNECTION (object);

  g_free (self->api_url);
  g_free (self->root_url);
  g_free (self->host);
  g_free (self->engine_key);
  g_free (self->username);
  clear_secret (&self->password);
  clear_secret (&self->token);
  g_free (self->ca_file);
  g_free (self->product_name);
  g_free (self->product_version);

  G_OBJECT_CLASS (ob_connection_parent_class)->finalize (object);
}

static void
ob_connection_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ObConnection *self = OB_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_API_URL:
      g_value_set_string (value, self->api_url);
      break;
    case PROP_ENGINE_KEY:
      g_value_set_string (value, self->engine_key);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_INSECURE:
      g_value_set_boolean (value, self->insecure);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_TRUST_STORE:
      g_value_set_object (value, self->trust_store);
      break;
    case PROP_PRODUCT_NAME:
      g_value_set_string (value, self->product_name);
      break;
    case PROP_PRODUCT_VERSION:
      g_value_set_string (value, self->product_version);
      break;
    case PROP_AUTH_METHOD:
      g_value_set_string (value, ob_connection_get_auth_method (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_connection_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ObConnection *self = OB_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_USERNAME:
      g_free (self->username);
      self->username = g_value_dup_string (value);
      break;
    case PROP_TIMEOUT:
      ob_connection_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_INSECURE:
      ob_connection_set_insecure (self, g_value_get_boolean (value));
      break;
    case PROP_CA_FILE:
      ob_connection_set_ca_file (self, g_value_get_string (value));
      break;
    case PROP_TRUST_STORE:
      ob_connection_set_trust_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_connection_class_init (ObConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ob_connection_dispose;
  object_class->finalize = ob_connection_finalize;
  object_class->get_property = ob_connection_get_property;
  object_class->set_property = ob_connection_set_property;

  properties[PROP_API_URL] = g_param_spec_string ("api-url", NULL, NULL, NULL, ro);
  properties[PROP_ENGINE_KEY] = g_param_spec_string ("engine-key", NULL, NULL, NULL, ro);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, rw);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 3600, OB_CONNECTION_DEFAULT_TIMEOUT, rw);
  properties[PROP_INSECURE] = g_param_spec_boolean ("insecure", NULL, NULL, FALSE, rw);
  properties[PROP_CA_FILE] = g_param_spec_string ("ca-file", NULL, NULL, NULL, rw);
  properties[PROP_TRUST_STORE] =
    g_param_spec_object ("trust-store", NULL, NULL, OB_TYPE_TRUST_STORE, rw);
  properties[PROP_PRODUCT_NAME] =
    g_param_spec_string ("product-name", NULL, NULL, NULL, ro | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PRODUCT_VERSION] =
    g_param_spec_string ("product-version", NULL, NULL, NULL, ro | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_AUTH_METHOD] =
    g_param_spec_string ("auth-method", NULL, NULL, NULL, ro | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ob_connection_init (ObConnection *self)
{
  self->timeout = OB_CONNECTION_DEFAULT_TIMEOUT;
  self->relogin_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  /* Bulk operations keep up to 8 requests in flight; libsoup's default of
   * 2 connections per host would serialise them. */
  self->session = soup_session_new_with_options ("user-agent", OB_USER_AGENT,
                                                 "timeout", self->timeout,
                                                 "max-conns-per-host", 10,
                                                 "max-conns", 20,
                                                 NULL);
}

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

ObConnection *
ob_connection_new (const char  *url,
                   GError     **error)
{
  g_autoptr(ObConnection) self = NULL;
  g_autofree char *api_url = NULL;
  g_autoptr(GUri) uri = NULL;
  int port;

  api_url = ob_connection_normalize_url (url, error);
  if (api_url == NULL)
    return NULL;
  uri = g_uri_parse (api_url, G_URI_FLAGS_NONE, NULL);
  g_assert (uri != NULL);

  self = g_object_new (OB_TYPE_CONNECTION, NULL);
  self->api_url = g_steal_pointer (&api_url);
  self->is_https = g_strcmp0 (g_uri_get_scheme (uri), "https") == 0;
  port = g_uri_get_port (uri);
  self->port = port > 0 ? (guint) port : (self->is_https ? 443 : 80);
  self->host = g_strdup (g_uri_get_host (uri));
  self->root_url = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                               self->host, port, "", NULL, NULL);
  /* Keep any reverse-proxy prefix in front of /ovirt-engine. */
  {
    const char *p = g_uri_get_path (uri);
    g_autofree char *prefix = g_strndup (p, strlen (p) - strlen ("/ovirt-engine/api"));
    char *joined = g_strconcat (self->root_url, prefix, NULL);

    g_free (self->root_url);
    self->root_url = joined;
  }
  if (strchr (self->host, ':') != NULL)
    self->engine_key = g_strdup_printf ("[%s]:%u", self->host, self->port);
  else
    self->engine_key = g_strdup_printf ("%s:%u", self->host, self->port);

  return g_steal_pointer (&self);
}

const char *
ob_connection_get_api_url (ObConnection *self)
{
  g_return_val_if_fail (OB_IS_CONNECTION (self), NULL);
  return self->api_url;
}

const char *
ob_connection_get_engine_key (ObConnection *self)
{
  g_return_val_if_fail (OB_IS_CONNECTION (self), NULL);
  return self->engine_key;
}

void
ob_connection_set_credentials (ObConnection *self,
                               const char   *username,
                               const char   *password)
{
  g_return_if_fail (OB_IS_CONNECTION (self));

  if (g_strcmp0 (self->username, username) != 0)
    {
      g_free (self->username);
      self->username = g_strdup (username);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
    }
  clear_secret (&self->password);
  self->password = g_strdup (password);
}

void
ob_connection_set_timeout (ObConnection *self,
                           guint         seconds)
{
  g_return_if_fail (OB_IS_CONNECTION (self));

  seconds = CLAMP (seconds, 1, 3600);
  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  g_object_set (self->session, "timeout", seconds, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
ob_connection_get_timeout (ObConnection *self)
{
  g_return_val_if_fail (OB_IS_CONNECTION (self), 0);
  return self->timeout;
}

void
ob_connection_set_insecure (ObConnection *self,
                            gboolean      insecure)
{
  g_return_if_fail (OB_IS_CONNECTION (self));

  insecure = !!insecure;
  if (self->insecure == insecure)
    return;
  self->insecure = insecure;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSECURE]);
}

gboolean
ob_connection_get_insecure (ObConnection *self)
{
  g_return_val_if_fail (OB_IS_CONNECTION (self), FALSE);
  return self->insecure;
}

void
ob_connection_set_ca_file (ObConnection *self,
                           const char   *ca_file)
{
  g_return_if_fail (OB_IS_CONNECTION (self));

  if (g_strcmp0 (self->ca_file, ca_file) == 0)
    return;
  g_free (self->ca_file);
  self->ca_file = (ca_file != NULL && *ca_file != '\0') ? g_strdup (ca_file) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CA_FILE]);
}

void
ob_connection_set_trust_store (ObConnection *self,
                               ObTrustStore *store)
{
  g_return_if_fail (OB_IS_CONNECTION (self));

  if (g_set_object (&self->trust_store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRUST_STORE]);
}

const char *
ob_connection_get_product_name (ObConnection *self)
{
  g_return_val_if_fail (OB_IS_CONNECTION (self), NULL);
  return self->product_name;
}

const char *
ob_connection_get_product_version (ObConnection *self)
{
  g_return_val_if_fail (OB_IS_CONNECTION (self), NULL);
  return self->product_version;
}

const char *
ob_connection_get_auth_method (ObConnection *self)
{
  g_return_val_if_fail (OB_IS_CONNECTION (self), NULL);

  switch (self->auth)
    {
    case AUTH_SSO:
      return "sso";
    case AUTH_BASIC:
      return "basic";
    case AUTH_NONE:
    default:
      return NULL;
    }
}

guint
ob_connection_get_vm_total (ObConnection *self)
{
  g_return_val_if_fail (OB_IS_CONNECTION (self), 0);
  return self->vm_total;
}

GTlsCertificateFlags
ob_connection_get_tls_errors (ObConnection *self)
{
  g_return_val_if_fail (OB_IS_CONNECTION (self), 0);
  return self->last_tls_errors;
}

GTlsCertificate *
ob_connection_get_peer_certificate (ObConnection *self)
{
  g_return_val_if_fail (OB_IS_CONNECTION (self), NULL);
  return self->last_peer_certificate;
}

gboolean
ob_connection_honours_run_once_balloon (ObConnection *self)
{
  g_return_val_if_fail (OB_IS_CONNECTION (self), FALSE);
  return g_strcmp0 (self->product_name, OB_SANDBOX_PRODUCT_NAME) == 0;
}

/* TLS: the system store verifies first (libsoup's default database);
 * when it refuses, the extra CAs (--ca-file, the trust store's entry for
 * this engine) get a chance; --insecure accepts anything. */

static gboolean
load_extra_cas (ObConnection  *self,
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

static SoupMessage *
new_message (ObConnection *self,
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
  g_signal_connect_object (msg, "accept-certificate",
                           any_certificate ? G_CALLBACK (on_accept_any_certificate)
                                           : G_CALLBACK (on_accept_certificate),
                           self, 0);
  return msg;
}

/* Every call has its own deadline: libsoup's socket timeout is fixed
 * when a pooled connection is made, so a changed timeout would not apply
 * to reused connections, and a slowly trickling answer would never time
 * out. The deadline cancels a per-call cancellable chained to the
 * caller's. */
typedef struct
{
  GCancellable *cancellable;
  GCancellable *user;
  gulong user_handler;
  GSource *timer;
  gboolean timed_out;
} Deadline;

static void
deadline_user_cancelled (GCancellable *user,
                         gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static gboolean
deadline_expired (gpointer data)
{
  Deadline *d = data;

  d->timed_out = TRUE;
  g_cancellable_cancel (d->cancellable);
  g_clear_pointer (&d->timer, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
deadline_stop (Deadline *d)
{
  if (d->timer != NULL)
    {
      g_source_destroy (d->timer);
      g_clear_pointer (&d->timer, g_source_unref);
    }
  if (d->user != NULL && d->user_handler != 0)
    g_cancellable_disconnect (d->user, d->user_handler);
  d->user_handler = 0;
  g_clear_object (&d->user);
  g_clear_object (&d->cancellable);
}

static GCancellable *
deadline_start (Deadline     *d,
                GCancellable *user,
                guint         seconds)
{
  deadline_stop (d);
  d->timed_out = FALSE;
  d->cancellable = g_cancellable_new ();
  if (user != NULL)
    {
      d->user = g_object_ref (user);
      d->user_handler = g_cancellable_connect (user, G_CALLBACK (deadline_user_cancelled),
                                               d->cancellable, NULL);
    }
  d->timer = g_timeout_source_new_seconds (seconds);
  g_source_set_callback (d->timer, deadline_expired, d, NULL);
  g_source_attach (d->timer, g_main_context_get_thread_default ());
  return d->cancellable;
}

/* Why the engine's certificate was refused, in words a user can act on.
 * Only an unknown CA is a case for trusting the engine's CA; a wrong host
 * name or dates are not fixed by trusting anything. */
static GError *
describe_tls_failure (ObConnection *self,
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

/* Turns a transport failure into an OB_ERROR a user can act on. */
static GError *
map_transport_error (ObConnection *self,
                     const GError *error,
                     gboolean      timed_out)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !timed_out)
    return g_error_copy (error);

  if (timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (OB_ERROR, OB_ERROR_TIMEOUT,
                        _("The engine at %s did not answer within %u seconds."),
                        self->engine_key, self->timeout);

  if (error->domain == G_TLS_ERROR)
    return describe_tls_failure (self, error);

  if (error->domain == G_RESOLVER_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND))
    return g_error_new (OB_ERROR, OB_ERROR_CONNECT,
                        _("Cannot connect to the engine at %s: %s"),
                        self->engine_key, error->message);

  return g_error_new (OB_ERROR, OB_ERROR_CONNECT,
                      _("The connection to the engine at %s was lost: %s"),
                      self->engine_key, error->message);
}

static void
add_auth_header (ObConnection *self,
                 SoupMessage  *msg)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  if (self->auth == AUTH_SSO && self->token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (headers, "Authorization", value);
    }
  else if (self->auth == AUTH_BASIC)
    {
      char *pair = g_strconcat (self->username ? self->username : "", ":",
                                self->password ? self->password : "", NULL);
      char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
      char *value = g_strconcat ("Basic ", encoded, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
      /* Base64 is the password in clear: wipe each copy made here. */
      clear_secret (&pair);
      clear_secret (&encoded);
      clear_secret (&value);
    }
}

static gboolean
body_is_json (SoupMessage *msg,
              GBytes      *body)
{
  const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;

  if (type != NULL && g_str_has_suffix (type, "json"))
    return TRUE;
  /* Be lenient about a missing type, not about HTML error pages. */
  while (len > 0 && g_ascii_isspace (*data))
    data++, len--;
  return type == NULL && len > 0 && (*data == '{' || *data == '[');
}

/* The engine's words for an HTTP failure: "reason: detail" from a fault
 * body, or the bare status. */
static char *
describe_http_failure (SoupMessage *msg,
                       GBytes      *body)
{
  g_autofree char *reason = NULL;
  g_autofree char *detail = NULL;
  guint status = soup_message_get_status (msg);
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;

  if (len > 0 && body_is_json (msg, body))
    {
      g_autoptr(JsonNode) root = ob_rest_json_parse_bytes (data, len, NULL);

      if (root != NULL && ob_rest_json_parse_fault (root, &reason, &detail))
        {
          if (reason != NULL && detail != NULL)
            return g_strdup_printf ("%s: %s (HTTP %u)", reason, detail, status);
          return g_strdup_printf ("%s (HTTP %u)", reason != NULL ? reason : detail, status);
        }
    }
  return g_strdup_printf ("HTTP %u %s", status,
                          soup_message_get_reason_phrase (msg) ? soup_message_get_reason_phrase (msg) : "");
}

/* REST calls */

typedef struct
{
  char *method;
  char *url;
  char *body;
  ObRequestFlags flags;
  gboolean retried;
  SoupMessage *msg;
  guint status;
  char *sent_token;
  Deadline deadline;
  GBytes *response;   /* the body to parse, owned by the parsing thread */
} ApiCall;

static void
api_call_free (ApiCall *call)
{
  g_free (call->method);
  g_free (call->url);
  g_free (call->body);
  g_clear_object (&call->msg);
  clear_secret (&call->sent_token);
  deadline_stop (&call->deadline);
  g_clear_pointer (&call->response, g_bytes_unref);
  g_free (call);
}

/* Bodies from this size on are parsed in a worker: a 500-VM page is
 * megabytes of JSON, too slow for the main loop; a small body costs less
 * than the hand-over to a thread. */
#define OB_CONNECTION_THREAD_PARSE_MIN (64 * 1024)

/* Runs in a worker (for big bodies). Touches only call->response, which the main thread no longer
 * reads. */
static void
api_parse_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ApiCall *call = task_data;
  GError *error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (call->response, &len);
  JsonNode *root = ob_rest_json_parse_bytes (data, len, &error);

  g_clear_pointer (&call->response, g_bytes_unref);
  if (root == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
}

static void api_send (GTask *task);
static void sso_login_async (ObConnection        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);
static gboolean sso_login_finish (ObConnection  *self,
                                  GAsyncResult  *result,
                                  gboolean      *absent,
                                  GError       **error);

static void
relogin_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ObConnection *self = OB_CONNECTION (source);
  g_autoptr(GPtrArray) waiters = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  sso_login_finish (self, result, NULL, &error);
  self->relogin_running = FALSE;
  waiters = g_steal_pointer (&self->relogin_waiters);
  self->relogin_waiters = g_ptr_array_new_with_free_func (g_object_unref);

  /* Each waiter's reference is handed on below. */
  g_ptr_array_set_free_func (waiters, NULL);
  for (i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        {
          g_task_return_error (task, g_error_copy (error));
          g_object_unref (task);
        }
      else
        api_send (task);
    }
}

static void
api_sent_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObConnection *self = g_task_get_source_object (task);
  ApiCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  gsize len = 0;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, map_transport_error (self, error, call->deadline.timed_out));
      return;
    }
  deadline_stop (&call->deadline);

  status = soup_message_get_status (call->msg);
  call->status = status;
  len = g_bytes_get_size (body);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      /* Tokens expire; the engine has no refresh tokens, so log in again
       * once and retry once. The 401 body is a servlet page, not a fault. */
      if (self->auth == AUTH_SSO && !call->retried)
        {
          call->retried = TRUE;
          /* Another call already got a new token: just use it. */
          if (self->token != NULL && g_strcmp0 (self->token, call->sent_token) != 0)
            {
              api_send (g_object_ref (task));
              return;
            }
          g_ptr_array_add (self->relogin_waiters, g_object_ref (task));
          if (!self->relogin_running)
            {
              /* Not tied to one caller's cancellable: it serves all. */
              self->relogin_running = TRUE;
              clear_secret (&self->token);
              sso_login_async (self, NULL, relogin_cb, NULL);
            }
          return;
        }
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_AUTH,
                               _("The engine refused the credentials of %s (HTTP 401)."),
                               self->username ? self->username : "");
      return;
    }

  if (status < 200 || status >= 300)
    {
      g_autofree char *what = describe_http_failure (call->msg, body);
      ObErrorCode code;

      switch (status)
        {
        case SOUP_STATUS_NOT_FOUND:
          code = OB_ERROR_NOT_FOUND;
          break;
        case SOUP_STATUS_CONFLICT:
          code = OB_ERROR_CONFLICT;
          break;
        case SOUP_STATUS_BAD_REQUEST:
          code = OB_ERROR_REFUSED;
          break;
        default:
          code = OB_ERROR_SERVER_FAULT;
          break;
        }
      g_task_return_new_error (task, OB_ERROR, code, _("The engine answered: %s"), what);
      return;
    }

  if (len == 0)
    {
      g_task_return_pointer (task, json_node_new (JSON_NODE_NULL), (GDestroyNotify) json_node_unref);
      return;
    }
  if (!body_is_json (call->msg, body))
    {
      const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (call->msg), NULL);
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_PROTOCOL,
                               _("The engine answered with %s instead of JSON."),
                               type != NULL ? type : _("an untyped body"));
      return;
    }
  /* The message stays with this thread: the call may be freed in the
   * worker once the result is back. */
  call->response = g_steal_pointer (&body);
  g_clear_object (&call->msg);
  if (len >= OB_CONNECTION_THREAD_PARSE_MIN)
    g_task_run_in_thread (task, api_parse_thread);
  else
    api_parse_thread (task, self, call, NULL);
}

static void
api_send (GTask *task)
{
  ObConnection *self = g_task_get_source_object (task);
  ApiCall *call = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  GError *error = NULL;

  g_clear_object (&call->msg);
  call->msg = new_message (self, call->method, call->url, FALSE, &error);
  if (call->msg == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  headers = soup_message_get_request_headers (call->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_headers_replace (headers, "Version", "4");
  if (call->flags & OB_REQUEST_ALL_CONTENT)
    soup_message_headers_replace (headers, "All-Content", "true");
  add_auth_header (self, call->msg);
  clear_secret (&call->sent_token);
  call->sent_token = g_strdup (self->token);
  if (call->body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (call->body, strlen (call->body));
      soup_message_set_request_body_from_bytes (call->msg, "application/json", bytes);
    }

  soup_session_send_and_read_async (self->session, call->msg, G_PRIORITY_DEFAULT,
                                    deadline_start (&call->deadline, g_task_get_cancellable (task),
                                                    self->timeout),
                                    api_sent_cb, task);
}

static char *
resolve_url (ObConnection *self,
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

void
ob_connection_request_async (ObConnection        *self,
                             const char          *method,
                             const char          *path,
                             const char          *body,
                             ObRequestFlags       flags,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  ApiCall *call;

  g_return_if_fail (OB_IS_CONNECTION (self));
  g_return_if_fail (method != NULL && path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_connection_request_async);
  call = g_new0 (ApiCall, 1);
  call->method = g_strdup (method);
  call->url = resolve_url (self, path);
  call->body = g_strdup (body);
  call->flags = flags;
  g_task_set_task_data (task, call, (GDestroyNotify) api_call_free);

  if (self->auth == AUTH_NONE)
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_AUTH,
                               _("Not logged in to the engine."));
      g_object_unref (task);
      return;
    }
  api_send (task);
}

JsonNode *
ob_connection_request_finish (ObConnection  *self,
                              GAsyncResult  *result,
                              guint         *status_out,
                              GError       **error)
{
  ApiCall *call;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  call = g_task_get_task_data (G_TASK (result));
  if (status_out != NULL)
    *status_out = call->status;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* SSO */

typedef struct
{
  SoupMessage *msg;
  gboolean absent;
  Deadline deadline;
} SsoCall;

static void
sso_call_free (SsoCall *call)
{
  g_clear_object (&call->msg);
  deadline_stop (&call->deadline);
  g_free (call);
}

static void
sso_sent_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObConnection *self = g_task_get_source_object (task);
  SsoCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  GError *token_error = NULL;
  guint status;
  gsize len = 0;
  const char *data;
  char *token;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, map_transport_error (self, error, call->deadline.timed_out));
      return;
    }
  deadline_stop (&call->deadline);
  status = soup_message_get_status (call->msg);
  data = g_bytes_get_data (body, &len);

  if (status == SOUP_STATUS_NOT_FOUND)
    {
      /* No SSO service: an engine before 4.0 or one behind a proxy that
       * only exposes the API. Basic authentication is the fallback. */
      call->absent = TRUE;
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (len > 0 && body_is_json (call->msg, body))
    root = ob_rest_json_parse_bytes (data, len, NULL);
  if (root == NULL)
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_CONNECT,
                               _("The server at %s does not look like an oVirt engine: "
                                 "its login service answered HTTP %u without JSON."),
                               self->engine_key, status);
      return;
    }

  token = ob_rest_json_parse_sso_token (root, &token_error);
  if (token == NULL)
    {
      g_task_return_error (task, token_error);
      return;
    }
  clear_secret (&self->token);
  self->token = token;
  if (self->auth != AUTH_SSO)
    {
      self->auth = AUTH_SSO;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH_METHOD]);
    }
  g_task_return_boolean (task, TRUE);
}

static void
sso_login_async (ObConnection        *self,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = g_strconcat (self->root_url, "/ovirt-engine/sso/oauth/token", NULL);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  SsoCall *call;
  char *form;

  g_task_set_source_tag (task, sso_login_async);
  call = g_new0 (SsoCall, 1);
  g_task_set_task_data (task, call, (GDestroyNotify) sso_call_free);

  call->msg = new_message (self, "POST", url, FALSE, &error);
  if (call->msg == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The SSO insists on exactly this Accept value. */
  soup_message_headers_replace (soup_message_get_request_headers (call->msg),
                                "Accept", "application/json");
  form = soup_form_encode ("grant_type", "password",
                           "scope", "ovirt-app-api",
                           "username", self->username ? self->username : "",
                           "password", self->password ? self->password : "",
                           NULL);
  bytes = g_bytes_new_with_free_func (form, strlen (form), (GDestroyNotify) clear_secret_free, form);
  soup_message_set_request_body_from_bytes (call->msg, "application/x-www-form-urlencoded", bytes);

  soup_session_send_and_read_async (self->session, call->msg, G_PRIORITY_DEFAULT,
                                    deadline_start (&call->deadline, cancellable, self->timeout),
                                    sso_sent_cb, g_object_ref (task));
}

static gboolean
sso_login_finish (ObConnection  *self,
                  GAsyncResult  *result,
                  gboolean      *absent,
                  GError       **error)
{
  SsoCall *call = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (call->absent)
    {
      if (absent != NULL)
        *absent = TRUE;
      else
        {
          g_set_error_literal (error, OB_ERROR, OB_ERROR_AUTH,
                               _("The engine's login service disappeared while logging in again."));
          return FALSE;
        }
    }
  return TRUE;
}

/* Open: log in, then read the API root. */

static void
root_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObConnection *self = OB_CONNECTION (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object, *product, *summary, *vms;
  guint64 total = 0;
  const char *name;

  root = ob_connection_request_finish (self, result, NULL, &error);
  if (root == NULL)
    {
      self->auth = AUTH_NONE;
      if (g_error_matches (error, OB_ERROR, OB_ERROR_NOT_FOUND))
        g_task_return_new_error (task, OB_ERROR, OB_ERROR_CONNECT,
                                 _("There is no oVirt REST API at %s (HTTP 404); check the URL."),
                                 self->api_url);
      else if (g_error_matches (error, OB_ERROR, OB_ERROR_PROTOCOL))
        g_task_return_new_error (task, OB_ERROR, OB_ERROR_CONNECT,
                                 _("The server at %s does not look like an oVirt engine: %s"),
                                 self->api_url, error->message);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  product = ob_rest_json_get_object (object, "product_info");
  name = ob_rest_json_get_string (product, "name");
  if (name == NULL)
    {
      self->auth = AUTH_NONE;
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_CONNECT,
                               _("The server at %s does not look like an oVirt engine: "
                                 "its API root has no product information."),
                               self->api_url);
      return;
    }

  g_free (self->product_name);
  self->product_name = g_strdup (name);
  g_free (self->product_version);
  self->product_version = g_strdup (ob_rest_json_get_string (ob_rest_json_get_object (product, "version"),
                                                             "full_version"));
  summary = ob_rest_json_get_object (object, "summary");
  vms = ob_rest_json_get_object (summary, "vms");
  if (ob_rest_json_get_uint64 (vms, "total", &total))
    self->vm_total = (guint) MIN (total, G_MAXUINT);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRODUCT_NAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRODUCT_VERSION]);
  g_task_return_boolean (task, TRUE);
}

static void
open_login_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObConnection *self = OB_CONNECTION (source);
  GError *error = NULL;
  gboolean absent = FALSE;

  if (!sso_login_finish (self, result, &absent, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (absent)
    {
      self->auth = AUTH_BASIC;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH_METHOD]);
    }

  ob_connection_request_async (self, "GET", "", NULL, OB_REQUEST_NONE,
                               g_task_get_cancellable (task), root_cb, g_object_ref (task));
}

void
ob_connection_open_async (ObConnection        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (OB_IS_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_connection_open_async);

  if (self->username == NULL || *self->username == '\0')
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_USAGE,
                               _("No user name was given (use --user or OVIRT_USERNAME)."));
      return;
    }
  if (self->password == NULL)
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_USAGE,
                               _("No password was given (use --password-file or OVIRT_PASSWORD)."));
      return;
    }
  if (!load_extra_cas (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  self->auth = AUTH_NONE;
  clear_secret (&self->token);
  sso_login_async (self, cancellable, open_login_cb, g_object_ref (task));
}

gboolean
ob_connection_open_finish (ObConnection  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* CA download */

typedef struct
{
  SoupSession *session;
  SoupMessage *msg;
  char *fingerprint;
  Deadline deadline;
} CaCall;

static void
ca_call_free (CaCall *call)
{
  g_clear_object (&call->msg);
  g_clear_object (&call->session);
  g_free (call->fingerprint);
  deadline_stop (&call->deadline);
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

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, map_transport_error (self, error, call->deadline.timed_out));
      return;
    }
  deadline_stop (&call->deadline);
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
  call->msg = new_message (self, "GET", url, TRUE, &error);
  if (call->msg == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  soup_session_send_and_read_async (call->session, call->msg, G_PRIORITY_DEFAULT,
                                    deadline_start (&call->deadline, cancellable, self->timeout),
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

/* Logout */

static void
logout_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObConnection *self = g_task_get_source_object (task);
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, map_transport_error (self, error, FALSE));
      return;
    }
  status = soup_message_get_status (msg);
  if (status < 200 || status >= 300)
    {
      g_task_return_new_error (task, OB_ERROR, OB_ERROR_SERVER_FAULT,
                               _("Logging out of the engine failed (HTTP %u)."), status);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
ob_connection_close_async (ObConnection        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SoupMessage *msg;
  char *form;

  g_return_if_fail (OB_IS_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_connection_close_async);

  if (self->auth != AUTH_SSO || self->token == NULL)
    {
      self->auth = AUTH_NONE;
      g_task_return_boolean (task, TRUE);
      return;
    }

  url = g_strconcat (self->root_url, "/ovirt-engine/services/sso-logout", NULL);
  msg = new_message (self, "POST", url, FALSE, NULL);
  if (msg == NULL)
    {
      self->auth = AUTH_NONE;
      clear_secret (&self->token);
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_set_task_data (task, msg, g_object_unref);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  form = soup_form_encode ("scope", "ovirt-app-api", "token", self->token, NULL);
  bytes = g_bytes_new_with_free_func (form, strlen (form), (GDestroyNotify) clear_secret_free, form);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);

  /* Closed from here on, whatever the engine answers. */
  self->auth = AUTH_NONE;
  clear_secret (&self->token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH_METHOD]);

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    cancellable, logout_cb, g_object_ref (task));
}

gboolean
ob_connection_close_finish (ObConnection  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
