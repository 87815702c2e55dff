/* ob-trust-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ob-error.h"
#include "ob-trust-store.h"

struct _ObTrustStore
{
  GObject parent_instance;

  char *directory;
};

G_DEFINE_FINAL_TYPE (ObTrustStore, ob_trust_store, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_DIRECTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ob_trust_store_finalize (GObject *object)
{
  ObTrustStore *self = OB_TRUST_STORE (object);

  g_free (self->directory);

  G_OBJECT_CLASS (ob_trust_store_parent_class)->finalize (object);
}

static void
ob_trust_store_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ObTrustStore *self = OB_TRUST_STORE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      g_value_set_string (value, self->directory);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_trust_store_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ObTrustStore *self = OB_TRUST_STORE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      g_free (self->directory);
      self->directory = g_value_dup_string (value);
      if (self->directory == NULL)
        self->directory = g_build_filename (g_get_user_config_dir (),
                                            "ovirt-balloon", "trusted-engines", NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_trust_store_class_init (ObTrustStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ob_trust_store_finalize;
  object_class->get_property = ob_trust_store_get_property;
  object_class->set_property = ob_trust_store_set_property;

  properties[PROP_DIRECTORY] =
    g_param_spec_string ("directory", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ob_trust_store_init (ObTrustStore *self)
{
}

ObTrustStore *
ob_trust_store_new (const char *directory)
{
  return g_object_new (OB_TYPE_TRUST_STORE, "directory", directory, NULL);
}

const char *
ob_trust_store_get_directory (ObTrustStore *self)
{
  g_return_val_if_fail (OB_IS_TRUST_STORE (self), NULL);
  return self->directory;
}

/* "host:port" -> a file name; anything outside [A-Za-z0-9.-] becomes '_'
 * so a crafted engine name cannot escape the directory. */
static char *
engine_path (ObTrustStore *self,
             const char   *engine,
             GError      **error)
{
  g_autofree char *name = NULL;
  char *p;

  if (engine == NULL || *engine == '\0' || strlen (engine) > 255)
    {
      g_set_error_literal (error, OB_ERROR, OB_ERROR_USAGE,
                           _("No engine address was given for the trust store."));
      return NULL;
    }

  name = g_strdup (engine);
  for (p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-')
      *p = '_';
  if (name[0] == '.')
    name[0] = '_';

  return g_strdup_printf ("%s%c%s.pem", self->directory, G_DIR_SEPARATOR, name);
}

GTlsCertificate *
ob_trust_store_lookup (ObTrustStore  *self,
                       const char    *engine,
                       GError       **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  GTlsCertificate *ca;

  g_return_val_if_fail (OB_IS_TRUST_STORE (self), NULL);

  path = engine_path (self, engine, error);
  if (path == NULL)
    return NULL;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;

  ca = g_tls_certificate_new_from_file (path, &local_error);
  if (ca == NULL)
    g_set_error (error, OB_ERROR, OB_ERROR_IO,
                 _("The trusted certificate stored for %s in %s cannot be read: %s"),
                 engine, path, local_error->message);
  return ca;
}

char *
ob_tls_certificate_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  GString *out;
  gsize i;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &digest_len);

  out = g_string_sized_new (digest_len * 3);
  for (i = 0; i < digest_len; i++)
    g_string_append_printf (out, i ? ":%02X" : "%02X", digest[i]);
  return g_string_free (out, FALSE);
}

/* Hex digits only, upper case, so "ab:cd" and "ABCD" compare equal. */
static char *
canonical_fingerprint (const char *text)
{
  GString *out = g_string_new (NULL);

  for (; text != NULL && *text; text++)
    {
      if (g_ascii_isxdigit (*text))
        g_string_append_c (out, g_ascii_toupper (*text));
      else if (*text != ':' && *text != ' ' && *text != '-')
        {
          g_string_free (out, TRUE);
          return NULL;
        }
    }
  return g_string_free (out, FALSE);
}

gboolean
ob_trust_store_trust (ObTrustStore     *self,
                      const char       *engine,
                      GTlsCertificate  *ca,
                      const char       *fingerprint,
                      GError          **error)
{
  g_autofree char *path = NULL;
  g_autofree char *actual = NULL;
  g_autofree char *actual_canon = NULL;
  g_autofree char *given_canon = NULL;
  g_autofree char *pem = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (OB_IS_TRUST_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (ca), FALSE);

  path = engine_path (self, engine, error);
  if (path == NULL)
    return FALSE;

  actual = ob_tls_certificate_fingerprint (ca);
  actual_canon = canonical_fingerprint (actual);
  given_canon = canonical_fingerprint (fingerprint);
  if (given_canon == NULL || actual_canon == NULL ||
      g_strcmp0 (given_canon, actual_canon) != 0)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_REFUSED,
                   _("The certificate was not trusted: its SHA-256 fingerprint is %s, "
                     "not the one confirmed (%s)."),
                   actual, fingerprint != NULL ? fingerprint : "");
      return FALSE;
    }

  g_object_get (ca, "certificate-pem", &pem, NULL);
  if (pem == NULL)
    {
      g_set_error_literal (error, OB_ERROR, OB_ERROR_FAILED,
                           _("The certificate cannot be written out as PEM."));
      return FALSE;
    }

  if (g_mkdir_with_parents (self->directory, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, OB_ERROR, OB_ERROR_IO,
                   _("Cannot create %s: %s"), self->directory, g_strerror (saved));
      return FALSE;
    }

  /* g_file_set_contents() writes a temporary file and renames it, so a
   * crash never leaves a half-written trust entry. */
  if (!g_file_set_contents_full (path, pem, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, OB_ERROR, OB_ERROR_IO,
                   _("Cannot store the trusted certificate: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
ob_trust_store_forget (ObTrustStore  *self,
                       const char    *engine,
                       GError       **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (OB_IS_TRUST_STORE (self), FALSE);

  path = engine_path (self, engine, error);
  if (path == NULL)
    return FALSE;
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved = errno;
      g_set_error (error, OB_ERROR, OB_ERROR_IO,
                   _("Cannot remove %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
