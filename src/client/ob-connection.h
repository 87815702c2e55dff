/* ob-connection.h: one authenticated session with an oVirt engine's REST
 * API v4 (SSO token, Basic only when SSO is absent, TLS verification,
 * timeouts, one transparent re-login on 401)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ob-balloon-policy.h"
#include "ob-trust-store.h"

G_BEGIN_DECLS

#define OB_CONNECTION_DEFAULT_TIMEOUT 30
/* Largest answer body read, after decompression: a 500-VM page with all
 * content is a few MiB, so this leaves room without letting a hostile
 * engine exhaust memory. */
#define OB_CONNECTION_DEFAULT_MAX_RESPONSE_SIZE (G_GUINT64_CONSTANT (256) * 1024 * 1024)
/* The cap cannot be set below this. */
#define OB_CONNECTION_MIN_MAX_RESPONSE_SIZE     (G_GUINT64_CONSTANT (64) * 1024)

typedef enum
{
  OB_REQUEST_NONE        = 0,
  /* Send `All-Content: true`, so lists carry memory_policy.ballooning on
   * engines older than 4.4.6. */
  OB_REQUEST_ALL_CONTENT = 1 << 0,
} ObRequestFlags;

#define OB_TYPE_CONNECTION (ob_connection_get_type ())
G_DECLARE_FINAL_TYPE (ObConnection, ob_connection, OB, CONNECTION, GObject)

/* Accepts "https://host", "host", "host:8443", "https://host/ovirt-engine"
 * and ".../ovirt-engine/api" (a trailing "/v4" or "/" is fine). Returns the
 * API URL "https://host[:port]/ovirt-engine/api", or NULL with
 * OB_ERROR_USAGE. "http://" is kept when given explicitly. */
char         *ob_connection_normalize_url (const char *text,
                                           GError    **error);

/* @url: any form ob_connection_normalize_url() accepts. Properties:
 * "api-url" (normalised, read-only), "engine-key" ("host:port", the
 * trust-store key, read-only), "username", "timeout" (seconds, default 30),
 * "max-response-size" (bytes of an answer body after decompression,
 * default OB_CONNECTION_DEFAULT_MAX_RESPONSE_SIZE; a bigger answer is
 * OB_ERROR_PROTOCOL, refused while it is read),
 * "insecure" (skip TLS verification: only when the user asked for it),
 * "ca-file" (extra trusted CA PEM file), "trust-store" (ObTrustStore or
 * NULL), "product-name" (product_info.name after open, read-only),
 * "product-version" (read-only), "auth-method" ("sso", "basic" or NULL,
 * read-only). */
ObConnection *ob_connection_new            (const char    *url,
                                            GError       **error);

const char   *ob_connection_get_api_url    (ObConnection  *self);
const char   *ob_connection_get_engine_key (ObConnection  *self);
/* The password is held in memory only, never logged or shown. */
void          ob_connection_set_credentials (ObConnection *self,
                                             const char   *username,
                                             const char   *password);
void          ob_connection_set_timeout    (ObConnection  *self,
                                            guint          seconds);
guint         ob_connection_get_timeout    (ObConnection  *self);
void          ob_connection_set_max_response_size (ObConnection *self,
                                                  guint64       bytes);
guint64       ob_connection_get_max_response_size (ObConnection *self);
void          ob_connection_set_insecure   (ObConnection  *self,
                                            gboolean       insecure);
gboolean      ob_connection_get_insecure   (ObConnection  *self);
void          ob_connection_set_ca_file    (ObConnection  *self,
                                            const char    *ca_file);
void          ob_connection_set_trust_store (ObConnection *self,
                                             ObTrustStore *store);
const char   *ob_connection_get_product_name    (ObConnection *self);
const char   *ob_connection_get_product_version (ObConnection *self);
const char   *ob_connection_get_auth_method     (ObConnection *self);
/* Total VMs from the API root summary, 0 when unknown (for progress). */
guint         ob_connection_get_vm_total        (ObConnection *self);
/* Why the engine's certificate was last refused (0 when it was not):
 * G_TLS_CERTIFICATE_UNKNOWN_CA alone means trusting the engine's CA would
 * help; a bad identity or dates would not. */
GTlsCertificateFlags ob_connection_get_tls_errors (ObConnection *self);
/* The certificate the engine last presented (also after
 * ob_connection_fetch_ca_async()), or NULL; for showing its fingerprint
 * next to the CA's. */
GTlsCertificate *ob_connection_get_peer_certificate (ObConnection *self);
/* Whether the engine advertised @capability in the
 * OB_ENGINE_CAPABILITIES_HEADER of its API root (read at open). */
gboolean      ob_connection_has_capability      (ObConnection *self,
                                                 const char   *capability);
/* TRUE when the engine advertises that it honours a Run Once balloon
 * override (OB_ENGINE_CAP_RUN_ONCE_BALLOON_OVERRIDE; no real oVirt engine
 * does). */
gboolean      ob_connection_honours_run_once_balloon (ObConnection *self);
/* Where the engine keeps the balloon, from product_info's version at
 * open: OB_BALLOON_ERA_FLAG from 4.4.6 on (templates carry
 * memory_policy.ballooning and accept a PUT of it), else
 * OB_BALLOON_ERA_DEVICE, also when the version cannot be read. */
ObBalloonEra  ob_connection_get_balloon_era     (ObConnection *self);

/* Logs in (SSO password grant; Basic when the SSO endpoint is absent) and
 * reads the API root to check this is an oVirt engine. Errors:
 * OB_ERROR_CONNECT (down, wrong URL, not oVirt), OB_ERROR_AUTH (with the
 * SSO's message), OB_ERROR_TLS_UNTRUSTED (message shows the SHA-256
 * fingerprint), OB_ERROR_TIMEOUT. */
void          ob_connection_open_async     (ObConnection        *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      ob_connection_open_finish    (ObConnection        *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* One REST call. @path is relative to the API URL ("vms?search=..."), or
 * absolute ("/ovirt-engine/api/vms/ID") as in hrefs. @body: JSON text or
 * NULL. A 401 triggers one re-login and one retry. HTTP errors become
 * OB_ERROR_* with the engine's fault reason and detail in the message:
 * 404 OB_ERROR_NOT_FOUND, 409 OB_ERROR_CONFLICT, 400 OB_ERROR_REFUSED when
 * the engine's validation refused, other faults OB_ERROR_SERVER_FAULT;
 * non-JSON bodies OB_ERROR_PROTOCOL. The result is the parsed body (a JSON
 * null node when the body is empty); @status_out gets the HTTP status. */
void          ob_connection_request_async  (ObConnection        *self,
                                            const char          *method,
                                            const char          *path,
                                            const char          *body,
                                            ObRequestFlags       flags,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
JsonNode     *ob_connection_request_finish (ObConnection        *self,
                                            GAsyncResult        *result,
                                            guint               *status_out,
                                            GError             **error);

/* The same call, but the result is the body as received (JSON, empty
 * or not), bounded by max-response-size like every body, for a caller
 * that reads it its own way (ob_vm_json_read_vms()). */
void          ob_connection_request_body_async  (ObConnection        *self,
                                                 const char          *method,
                                                 const char          *path,
                                                 const char          *body,
                                                 ObRequestFlags       flags,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GBytes       *ob_connection_request_body_finish (ObConnection        *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* Downloads the engine CA from pki-resource without verifying TLS (that is
 * the point) and checks it signs the certificate the engine presented.
 * Nothing is trusted here: show @fingerprint_out to the user, then call
 * ob_trust_store_trust(). */
void          ob_connection_fetch_ca_async  (ObConnection        *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GTlsCertificate *ob_connection_fetch_ca_finish (ObConnection     *self,
                                                GAsyncResult     *result,
                                                char            **fingerprint_out,
                                                GError          **error);

/* Revokes the SSO token (best effort: a failure is returned but the
 * connection is closed either way). */
void          ob_connection_close_async    (ObConnection        *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      ob_connection_close_finish   (ObConnection        *self,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
