/* ob-connection-private.h: what the ob-connection-*.c files share: the
 * instance struct, the per-call deadline and the helpers of several parts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "ob-connection.h"

G_BEGIN_DECLS

typedef enum
{
  OB_AUTH_NONE,
  OB_AUTH_SSO,
  OB_AUTH_BASIC,
} ObAuthMethod;

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
  guint64 max_response_size;
  gboolean insecure;
  ObTrustStore *trust_store;

  SoupSession *session;
  GList *extra_cas;   /* GTlsCertificate: CA file + trust store entry */
  GTlsCertificate *last_peer_certificate;
  GTlsCertificateFlags last_tls_errors;

  ObAuthMethod auth;
  char *token;
  /* Calls that got a 401 while a new token is being fetched: one login
   * serves them all. */
  GPtrArray *relogin_waiters;
  gboolean relogin_running;
  char *product_name;
  char *product_version;
  GStrv capabilities;
  ObBalloonEra balloon_era;
  guint vm_total;
};

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
  gint64 end_time;      /* monotonic */
  gboolean timed_out;
} ObDeadline;

GCancellable *ob_deadline_start (ObDeadline   *d,
                                 GCancellable *user,
                                 guint         seconds);
void          ob_deadline_stop  (ObDeadline   *d);

/* Wipes a secret before freeing it. */
void      ob_connection_clear_secret (char **secret);
void      ob_connection_free_secret  (char  *secret);
void      ob_connection_notify_auth_method (ObConnection *self);

/* ob-connection-url.c: @path relative to the API URL, or an href. */
char     *ob_connection_resolve_url (ObConnection *self,
                                     const char   *path);

/* ob-connection-tls.c */
gboolean     ob_connection_load_extra_cas (ObConnection  *self,
                                           GError       **error);
/* A message whose certificate is checked against the trust rules, or
 * accepted whatever it is (@any_certificate: only to fetch the CA). */
SoupMessage *ob_connection_new_message    (ObConnection  *self,
                                           const char    *method,
                                           const char    *url,
                                           gboolean       any_certificate,
                                           GError       **error);
GError      *ob_connection_describe_tls_failure (ObConnection *self,
                                                 const GError *error);

/* ob-connection-scheme.c: whether @error (for @msg, nullable), while
 * connecting, may mean the engine speaks the other scheme; then the probe
 * asks its port in that scheme and finishes with an OB_ERROR_CONNECT
 * saying so, or NULL. */
gboolean  ob_connection_scheme_suspect      (ObConnection        *self,
                                             SoupMessage         *msg,
                                             const GError        *error);
void      ob_connection_probe_scheme_async  (ObConnection        *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GError   *ob_connection_probe_scheme_finish (ObConnection        *self,
                                             GAsyncResult        *result);
/* For an http:// URL, when the answer (@status, @body) is a web server's
 * "plain HTTP sent to an HTTPS port" page: an OB_ERROR_CONNECT saying
 * so; else NULL. */
GError   *ob_connection_scheme_plain_answer (ObConnection        *self,
                                             guint                status,
                                             GBytes              *body);

/* ob-connection-call.c */
GError   *ob_connection_map_transport_error (ObConnection *self,
                                             const GError *error,
                                             gboolean      timed_out);
/* The X-Engine-Capabilities header of the answer to a finished
 * ob_connection_request_async(), or NULL. */
const char *ob_connection_request_get_capabilities (GAsyncResult *result);
gboolean  ob_connection_body_is_json        (SoupMessage  *msg,
                                             GBytes       *body);

/* ob-connection-read.c: sends @msg on @session (the connection's, or a
 * throw-away one) and reads the whole answer body, at most the
 * connection's max-response-size after decompression, within its timeout
 * (the deadline is started here and stopped when done). @cancellable is
 * the caller's. The result is the body, or an OB_ERROR: PROTOCOL when too
 * large, TIMEOUT, CONNECT or TLS as ob_connection_map_transport_error()
 * says; a cancellation by @cancellable stays G_IO_ERROR_CANCELLED. */
void      ob_connection_send_async  (ObConnection        *self,
                                     SoupSession         *session,
                                     SoupMessage         *msg,
                                     ObDeadline          *deadline,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
GBytes   *ob_connection_send_finish (ObConnection        *self,
                                     GAsyncResult        *result,
                                     GError             **error);

/* ob-connection-sso.c: @absent is set when the engine has no SSO (Basic
 * is then the fallback); with @absent NULL that is an error. */
void      ob_connection_sso_login_async  (ObConnection        *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean  ob_connection_sso_login_finish (ObConnection  *self,
                                          GAsyncResult  *result,
                                          gboolean      *absent,
                                          GError       **error);

G_END_DECLS
