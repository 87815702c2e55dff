/* ob-ova-manifest.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ob-error.h"
#include "ob-ova-manifest.h"

/* One "ALGO(NAME)= HEX" line, as offsets into the manifest. */
typedef struct
{
  gsize algo_start, algo_end;
  gsize name_start, name_end;
  gsize hex_start, hex_end;
} Entry;

/* Parses [start, end) as an entry; FALSE for anything else (blank lines,
 * lines a newer manifest format may add), which is kept as it is. */
static gboolean
parse_line (const char *buf,
            gsize       start,
            gsize       end,
            Entry      *e)
{
  const char *open = memchr (buf + start, '(', end - start);
  const char *close;
  gsize p;

  if (open == NULL)
    return FALSE;
  close = g_strrstr_len (open, end - (open - buf), ")");
  if (close == NULL)
    return FALSE;
  e->algo_start = start;
  e->algo_end = open - buf;
  e->name_start = open - buf + 1;
  e->name_end = close - buf;
  p = e->name_end + 1;
  while (p < end && buf[p] == ' ')
    p++;
  if (p >= end || buf[p] != '=')
    return FALSE;
  p++;
  while (p < end && buf[p] == ' ')
    p++;
  e->hex_start = p;
  while (p < end && g_ascii_isxdigit (buf[p]))
    p++;
  e->hex_end = p;
  return e->hex_end > e->hex_start;
}

static gboolean
names_member (const char  *buf,
              const Entry *e,
              const char  *member)
{
  const char *base = strrchr (member, '/');
  gsize len = e->name_end - e->name_start;

  base = base ? base + 1 : member;
  return (strlen (member) == len && memcmp (buf + e->name_start, member, len) == 0) ||
         (strlen (base) == len && memcmp (buf + e->name_start, base, len) == 0);
}

static gboolean
checksum_type (const char    *buf,
               const Entry   *e,
               GChecksumType *type)
{
  g_autofree char *algo = g_strndup (buf + e->algo_start, e->algo_end - e->algo_start);

  g_strstrip (algo);
  if (g_ascii_strcasecmp (algo, "SHA1") == 0)
    *type = G_CHECKSUM_SHA1;
  else if (g_ascii_strcasecmp (algo, "SHA256") == 0)
    *type = G_CHECKSUM_SHA256;
  else if (g_ascii_strcasecmp (algo, "SHA512") == 0)
    *type = G_CHECKSUM_SHA512;
  else
    return FALSE;
  return TRUE;
}

/* Calls @func for each entry naming @member; stops when it returns FALSE. */
typedef gboolean (*EntryFunc) (const char *buf, const Entry *e, gpointer data);

static void
for_each_entry (GBytes     *manifest,
                const char *member,
                EntryFunc   func,
                gpointer    data)
{
  gsize len = 0;
  const char *buf = g_bytes_get_data (manifest, &len);
  gsize start = 0;

  while (start < len)
    {
      const char *nl = memchr (buf + start, '\n', len - start);
      gsize end = nl ? (gsize) (nl - buf) : len;
      Entry e;

      if (parse_line (buf, start, end, &e) && names_member (buf, &e, member) && !func (buf, &e, data))
        return;
      start = end + 1;
    }
}

typedef struct
{
  GBytes *content;
  GString *out;
  gsize copied;
  guint n;
  GError **error;
  gboolean ok;
} Update;

static gboolean
update_entry (const char  *buf,
              const Entry *e,
              gpointer     data)
{
  Update *u = data;
  GChecksumType type;
  g_autofree char *digest = NULL;
  gboolean upper;   /* keep the file's letter case */

  if (!checksum_type (buf, e, &type))
    {
      g_autofree char *algo = g_strndup (buf + e->algo_start, e->algo_end - e->algo_start);

      g_set_error (u->error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("the manifest uses the digest “%s”; only SHA1, SHA256 and SHA512 can be updated"),
                   g_strstrip (algo));
      u->ok = FALSE;
      return FALSE;
    }
  digest = g_compute_checksum_for_bytes (type, u->content);
  upper = FALSE;
  for (gsize i = e->hex_start; i < e->hex_end; i++)
    if (g_ascii_isupper (buf[i]))
      upper = TRUE;
  if (upper)
    {
      g_autofree char *up = g_ascii_strup (digest, -1);

      g_free (digest);
      digest = g_steal_pointer (&up);
    }
  g_string_append_len (u->out, buf + u->copied, e->hex_start - u->copied);
  g_string_append (u->out, digest);
  u->copied = e->hex_end;
  u->n++;
  return TRUE;
}

GBytes *
ob_ova_manifest_update (GBytes      *manifest,
                        const char  *member,
                        GBytes      *content,
                        guint       *n_updated,
                        GError     **error)
{
  gsize len = 0;
  const char *buf = g_bytes_get_data (manifest, &len);
  Update u = { content, g_string_sized_new (len + 64), 0, 0, error, TRUE };

  for_each_entry (manifest, member, update_entry, &u);
  if (!u.ok)
    {
      g_string_free (u.out, TRUE);
      return NULL;
    }
  g_string_append_len (u.out, buf + u.copied, len - u.copied);
  if (n_updated != NULL)
    *n_updated = u.n;
  return g_string_free_to_bytes (u.out);
}

typedef struct
{
  GBytes *content;
  guint n;
  gboolean ok;
} Check;

static gboolean
check_entry (const char  *buf,
             const Entry *e,
             gpointer     data)
{
  Check *c = data;
  GChecksumType type;
  g_autofree char *digest = NULL;

  c->n++;
  if (!checksum_type (buf, e, &type))
    {
      c->ok = FALSE;
      return FALSE;
    }
  digest = g_compute_checksum_for_bytes (type, c->content);
  if (strlen (digest) != e->hex_end - e->hex_start ||
      g_ascii_strncasecmp (digest, buf + e->hex_start, e->hex_end - e->hex_start) != 0)
    c->ok = FALSE;
  return c->ok;
}

gboolean
ob_ova_manifest_check (GBytes     *manifest,
                       const char *member,
                       GBytes     *content)
{
  Check c = { content, 0, TRUE };

  for_each_entry (manifest, member, check_entry, &c);
  return c.ok && c.n > 0;
}
