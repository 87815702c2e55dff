/* ob-connection.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "ob-connection-private.h"
#include "ob-error.h"
#include "ob-product.h"
#include "ob-rest-json.h"


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

void
ob_connection_clear_secret (char **secret)
{
  if (*secret != NULL)
    {
      /* Do not leave the password in freed heap memory. */
      memset (*secret, 0, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

void
ob_connection_free_secret (char *secret)
{
  ob_connection_clear_secret (&secret);
}

void
ob_connection_notify_auth_method (ObConnection *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH_METHOD]);
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
  ob_connection_clear_secret (&self->password);
  ob_connection_clear_secret (&self->token);
  g_free (self->ca_file);
  g_free (self->product_name);
  g_free (self->product_version);
  g_strfreev (self->capabilities);

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
  ob_connection_clear_secret (&self->password);
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
    case OB_AUTH_SSO:
      return "sso";
    case OB_AUTH_BASIC:
      return "basic";
    case OB_AUTH_NONE:
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
ob_connection_has_capability (ObConnection *self,
                              const char   *capability)
{
  g_return_val_if_fail (OB_IS_CONNECTION (self), FALSE);
  return self->capabilities != NULL && g_strv_contains ((const char * const *) self->capabilities, capability);
}

gboolean
ob_connection_honours_run_once_balloon (ObConnection *self)
{
  return ob_connection_has_capability (self, OB_CAPABILITY_RUN_ONCE_BALLOON_OVERRIDE);
}

ObBalloonEra
ob_connection_get_balloon_era (ObConnection *self)
{
  g_return_val_if_fail (OB_IS_CONNECTION (self), OB_BALLOON_ERA_DEVICE);
  return self->balloon_era;
}

/* Open: log in, then read the API root. */

/* "a, b,,c" -> {"a", "b", "c"}; NULL when absent. */
static GStrv
split_capabilities (const char *header)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;

  if (header == NULL)
    return NULL;
  parts = g_strsplit (header, ",", -1);
  builder = g_strv_builder_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

/* From product_info.version: major, minor and build, or the first three
 * numbers of full_version ("4.4.10.6-1.el8"). */
static ObBalloonEra
era_of (JsonObject *version)
{
  guint64 major = 0, minor = 0, build = 0;
  const char *full;

  if (ob_rest_json_get_uint64 (version, "major", &major) &&
      ob_rest_json_get_uint64 (version, "minor", &minor) &&
      ob_rest_json_get_uint64 (version, "build", &build))
    return ob_balloon_policy_era_for_version ((guint) MIN (major, G_MAXUINT),
                                              (guint) MIN (minor, G_MAXUINT),
                                              (guint) MIN (build, G_MAXUINT));
  full = ob_rest_json_get_string (version, "full_version");
  if (full != NULL)
    {
      guint parts[3] = { 0, 0, 0 };
      const char *p = full;

      for (guint i = 0; i < 3; i++)
        {
          char *end = NULL;
          guint64 v = g_ascii_strtoull (p, &end, 10);

          if (end == p)
            return OB_BALLOON_ERA_DEVICE;
          parts[i] = (guint) MIN (v, G_MAXUINT);
          if (i < 2 && *end != '.')
            return OB_BALLOON_ERA_DEVICE;
          p = end + 1;
        }
      return ob_balloon_policy_era_for_version (parts[0], parts[1], parts[2]);
    }
  return OB_BALLOON_ERA_DEVICE;
}

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
      self->auth = OB_AUTH_NONE;
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
      self->auth = OB_AUTH_NONE;
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
  self->balloon_era = era_of (ob_rest_json_get_object (product, "version"));
  g_strfreev (self->capabilities);
  self->capabilities = split_capabilities (ob_connection_request_get_capabilities (result));
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

  if (!ob_connection_sso_login_finish (self, result, &absent, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (absent)
    {
      self->auth = OB_AUTH_BASIC;
      ob_connection_notify_auth_method (self);
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
  if (!ob_connection_load_extra_cas (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  self->auth = OB_AUTH_NONE;
  ob_connection_clear_secret (&self->token);
  ob_connection_sso_login_async (self, cancellable, open_login_cb, g_object_ref (task));
}

gboolean
ob_connection_open_finish (ObConnection  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
