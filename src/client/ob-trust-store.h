/* ob-trust-store.h: engines whose CA the user explicitly chose to trust
 *
 * Trust on first use, never silent: a CA is stored only through
 * ob_trust_store_trust(), which must be given the SHA-256 fingerprint the
 * user was shown. One PEM file per engine ("host:port") under
 * $XDG_CONFIG_HOME/ovirt-balloon/trusted-engines/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OB_TYPE_TRUST_STORE (ob_trust_store_get_type ())
G_DECLARE_FINAL_TYPE (ObTrustStore, ob_trust_store, OB, TRUST_STORE, GObject)

/* @directory: NULL for the default location. Property "directory". */
ObTrustStore    *ob_trust_store_new          (const char      *directory);
const char      *ob_trust_store_get_directory (ObTrustStore   *self);

/* The trusted CA of @engine ("host:port"), or NULL (no error) when none is
 * stored; a stored file that cannot be read is an error. */
GTlsCertificate *ob_trust_store_lookup       (ObTrustStore    *self,
                                              const char      *engine,
                                              GError         **error);
/* Stores @ca for @engine when @fingerprint (as shown to the user by
 * ob_tls_certificate_fingerprint(), separators and case ignored) matches
 * it; otherwise OB_ERROR_REFUSED and nothing is written. */
gboolean         ob_trust_store_trust        (ObTrustStore    *self,
                                              const char      *engine,
                                              GTlsCertificate *ca,
                                              const char      *fingerprint,
                                              GError         **error);
gboolean         ob_trust_store_forget       (ObTrustStore    *self,
                                              const char      *engine,
                                              GError         **error);

/* "AB:CD:..." SHA-256 of the certificate's DER encoding. */
char            *ob_tls_certificate_fingerprint (GTlsCertificate *certificate);

G_END_DECLS
