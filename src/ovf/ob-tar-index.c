/* ob-tar-index.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "ob-error.h"
#include "ob-file-io.h"
#include "ob-tar-index.h"

/* Long names and pax records are a few KiB; a bigger one is not an OVA. */
#define MAX_META_SIZE (1024 * 1024)

/* ustar header fields (offset, length). */
#define F_NAME 0, 100
#define F_SIZE 124, 12
#define F_CHKSUM 148, 8
#define F_TYPEFLAG 156
#define F_MAGIC 257
#define F_PREFIX 345, 155
#define GNU_ISEXTENDED 482
#define GNU_EXT_ISEXTENDED 504

static void
member_free (gpointer p)
{
  ObTarMember *m = p;

  g_free (m->name);
  g_free (m);
}

void
ob_tar_index_free (ObTarIndex *index)
{
  if (index == NULL)
    return;
  g_ptr_array_unref (index->members);
  g_free (index);
}

guint64
ob_tar_blocks (guint64 size)
{
  return (size + OB_TAR_BLOCK - 1) / OB_TAR_BLOCK;
}

goffset
ob_tar_member_end (const ObTarMember *member)
{
  return member->data + (goffset) ob_tar_blocks (member->size) * OB_TAR_BLOCK;
}

/* Octal (NUL or space terminated, leading spaces allowed) or GNU base-256
 * (high bit of the first byte set). FALSE when neither. */
static gboolean
parse_number (const guint8 *field,
              gsize         len,
              guint64      *out)
{
  guint64 v = 0;
  gsize i = 0;

  if (field[0] & 0x80)
    {
      if (field[0] != 0x80)
        return FALSE;  /* negative, or too big for us */
      for (i = 1; i < len; i++)
        {
          if (v >> 55)
            return FALSE;
          v = (v << 8) | field[i];
        }
      *out = v;
      return TRUE;
    }

  while (i < len && field[i] == ' ')
    i++;
  for (; i < len && field[i] >= '0' && field[i] <= '7'; i++)
    {
      if (v >> 60)
        return FALSE;
      v = (v << 3) | (guint64) (field[i] - '0');
    }
  if (i < len && field[i] != '\0' && field[i] != ' ')
    return FALSE;
  *out = v;
  return TRUE;
}

static guint
checksum_of (const guint8 *header)
{
  guint sum = 0;
  gsize i;

  for (i = 0; i < OB_TAR_BLOCK; i++)
    sum += (i >= 148 && i < 156) ? ' ' : header[i];
  return sum;
}

/* Some old writers summed signed chars; accept both, as GNU tar does. */
static gboolean
checksum_ok (const guint8 *header)
{
  guint64 stored;
  int signed_sum = 0;
  gsize i;

  if (!parse_number (header + 148, 8, &stored))
    return FALSE;
  if (stored == checksum_of (header))
    return TRUE;
  for (i = 0; i < OB_TAR_BLOCK; i++)
    signed_sum += (i >= 148 && i < 156) ? ' ' : (signed char) header[i];
  return (gint64) stored == signed_sum;
}

void
ob_tar_header_set_size (guint8  *header,
                        guint64  size)
{
  char field[13];

  g_snprintf (field, sizeof field, "%011" G_GINT64_MODIFIER "o", size);
  memcpy (header + 124, field, 12);  /* 11 digits and the NUL */
  g_snprintf (field, sizeof field, "%06o", checksum_of (header));
  memcpy (header + 148, field, 7);   /* 6 digits and the NUL */
  header[155] = ' ';
}

goffset
ob_tar_archive_end (goffset end,
                    goffset old_size)
{
  goffset size = end + 2 * OB_TAR_BLOCK;

  if (old_size % OB_TAR_RECORD == 0)
    size = (size + OB_TAR_RECORD - 1) / OB_TAR_RECORD * OB_TAR_RECORD;
  return size;
}

static gboolean
is_zero_block (const guint8 *block)
{
  return block[0] == 0 && memcmp (block, block + 1, OB_TAR_BLOCK - 1) == 0;
}

/* One pax record "LEN KEY=VALUE\n" at *@pos of @data: its key and value
 * (not NUL-terminated); *@pos moves past it. FALSE when malformed. */
static gboolean
next_pax_record (const char  *data,
                 gsize        len,
                 gsize       *pos,
                 const char **key,
                 gsize       *key_len,
                 const char **value,
                 gsize       *value_len)
{
  guint64 rec_len = 0;
  gsize i = *pos;
  const char *kv;
  const char *eq;
  gsize kv_len;

  while (i < len && g_ascii_isdigit (data[i]) && rec_len < len)
    rec_len = rec_len * 10 + (guint64) (data[i++] - '0');
  if (i >= len || data[i] != ' ' || rec_len == 0 || rec_len > len - *pos ||
      i + 1 > *pos + rec_len - 1 || data[*pos + rec_len - 1] != '\n')
    return FALSE;
  kv = data + i + 1;
  kv_len = *pos + rec_len - 1 - (i + 1);
  eq = memchr (kv, '=', kv_len);
  if (eq == NULL)
    return FALSE;
  *key = kv;
  *key_len = eq - kv;
  *value = eq + 1;
  *value_len = kv_len - (eq + 1 - kv);
  *pos += rec_len;
  return TRUE;
}

static gboolean
key_is (const char *key,
        gsize       key_len,
        const char *want)
{
  return key_len == strlen (want) && memcmp (key, want, key_len) == 0;
}

/* Takes the "path" and "size" records of a pax extended header, and
 * whether it describes a GNU sparse member. */
static gboolean
parse_pax (const char  *data,
           gsize        len,
           char       **path,
           gint64      *size,
           gboolean    *sparse)
{
  gsize pos = 0;

  while (pos < len)
    {
      const char *key, *value;
      gsize key_len, value_len;

      if (!next_pax_record (data, len, &pos, &key, &key_len, &value, &value_len))
        return FALSE;
      if (key_is (key, key_len, "path"))
        {
          g_free (*path);
          *path = g_strndup (value, value_len);
        }
      else if (key_is (key, key_len, "size"))
        {
          g_autofree char *v = g_strndup (value, value_len);
          guint64 n;

          if (!g_ascii_string_to_unsigned (v, 10, 0, G_MAXINT64, &n, NULL))
            return FALSE;
          *size = (gint64) n;
        }
      else if (key_len > 11 && memcmp (key, "GNU.sparse.", 11) == 0)
        *sparse = TRUE;
    }
  return TRUE;
}

GByteArray *
ob_tar_pax_set_size (const char *data,
                     gsize       len,
                     guint64     size)
{
  GByteArray *out = g_byte_array_sized_new (len + 32);
  gsize pos = 0;

  while (pos < len)
    {
      gsize from = pos;
      const char *key, *value;
      gsize key_len, value_len;

      if (!next_pax_record (data, len, &pos, &key, &key_len, &value, &value_len))
        {
          /* The index read these records: they are well formed. */
          g_byte_array_append (out, (const guint8 *) data + from, len - from);
          break;
        }
      if (key_is (key, key_len, "size"))
        {
          g_autofree char *body = g_strdup_printf (" size=%" G_GUINT64_FORMAT "\n", size);
          g_autofree char *record = NULL;
          gsize digits = 1;

          /* The length counts its own digits. */
          while (strlen (record = g_strdup_printf ("%" G_GSIZE_FORMAT, strlen (body) + digits)) != digits)
            {
              digits++;
              g_free (record);
            }
          g_byte_array_append (out, (const guint8 *) record, strlen (record));
          g_byte_array_append (out, (const guint8 *) body, strlen (body));
        }
      else
        g_byte_array_append (out, (const guint8 *) data + from, pos - from);
    }
  return out;
}

static char *
read_meta (int      fd,
           goffset  offset,
           guint64  size)
{
  char *data;

  if (size > MAX_META_SIZE)
    return NULL;
  data = g_malloc (size + 1);
  if (!ob_file_pread_all (fd, data, size, offset))
    {
      g_free (data);
      return NULL;
    }
  data[size] = '\0';
  return data;
}

static char *
ustar_name (const guint8 *h)
{
  g_autofree char *name = g_strndup ((const char *) h, 100);

  /* POSIX ustar has a prefix; the GNU header keeps times there instead. */
  if (memcmp (h + F_MAGIC, "ustar\0", 6) == 0 && h[345] != '\0')
    {
      g_autofree char *prefix = g_strndup ((const char *) h + 345, 155);

      return g_strconcat (prefix, "/", name, NULL);
    }
  return g_steal_pointer (&name);
}

static gboolean
bad (GError     **error,
     const char  *display,
     goffset      offset,
     const char  *what)
{
  g_autofree char *at = g_strdup_printf ("%" G_GOFFSET_FORMAT, offset);

  g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
               _("“%s”: the tar header at byte %s cannot be used: %s"), display, at, what);
  return FALSE;
}

/* Fills @m from the header at @offset; moves *offset past its data. */
static gboolean
read_entry (int          fd,
            const char  *display,
            goffset      file_size,
            goffset     *offset,
            char        *long_name,
            char        *pax_path,
            gint64       pax_size,
            ObTarMember *m,
            GError     **error)
{
  guint8 h[OB_TAR_BLOCK];
  guint64 size;
  goffset data;

  if (!ob_file_pread_all (fd, h, sizeof h, *offset))
    return bad (error, display, *offset, _("the file ends inside it"));
  if (!checksum_ok (h))
    return bad (error, display, *offset, _("bad checksum"));
  if (!parse_number (h + 124, 12, &size))
    return bad (error, display, *offset, _("bad size field"));

  m->header = *offset;
  m->typeflag = (char) h[F_TYPEFLAG];
  data = *offset + OB_TAR_BLOCK;

  switch (m->typeflag)
    {
    case '0': case '\0': case '7': case 'x': case 'g': case 'L': case 'K':
      break;
    case '1': case '2': case '3': case '4': case '5': case '6':
      if (size != 0)
        return bad (error, display, *offset, _("a link or directory with data"));
      break;
    case 'S':
      /* GNU sparse: extension blocks of the sparse map come first. */
      if (h[GNU_ISEXTENDED])
        {
          guint8 ext[OB_TAR_BLOCK];

          do
            {
              if (!ob_file_pread_all (fd, ext, sizeof ext, data))
                return bad (error, display, data, _("the file ends inside it"));
              data += OB_TAR_BLOCK;
            }
          while (ext[GNU_EXT_ISEXTENDED]);
        }
      break;
    default:
      return bad (error, display, *offset, _("unknown member type"));
    }

  if (pax_size >= 0 && m->typeflag != 'x' && m->typeflag != 'g')
    {
      size = (guint64) pax_size;
      m->size_from_pax = TRUE;
    }
  m->data = data;
  m->size = size;
  if (m->typeflag != 'x' && m->typeflag != 'g' && m->typeflag != 'L' && m->typeflag != 'K')
    m->name = long_name ? g_strdup (long_name) : pax_path ? g_strdup (pax_path) : ustar_name (h);

  if (ob_tar_member_end (m) > file_size)
    return bad (error, display, *offset, _("the archive is truncated"));
  *offset = ob_tar_member_end (m);
  return TRUE;
}

ObTarIndex *
ob_tar_index_read (int          fd,
                   const char  *display,
                   GError     **error)
{
  g_autoptr(ObTarIndex) index = g_new0 (ObTarIndex, 1);
  g_autofree char *long_name = NULL;
  g_autofree char *pax_path = NULL;
  gint64 pax_size = -1;
  goffset pax_size_header = 0;
  guint64 pax_size_len = 0;
  gboolean pax_sparse = FALSE;
  gboolean pending = FALSE;   /* extension records wait for their member */
  goffset offset = 0;
  goffset start = -1;
  struct stat st;

  index->members = g_ptr_array_new_with_free_func (member_free);
  if (fstat (fd, &st) != 0)
    {
      int errsv = errno;

      g_set_error (error, OB_ERROR, OB_ERROR_IO, "%s: %s", display, g_strerror (errsv));
      return NULL;
    }
  index->file_size = st.st_size;

  for (;;)
    {
      guint8 block[OB_TAR_BLOCK];
      ObTarMember entry = { 0 };

      /* A missing end-of-archive marker is tolerated, as by GNU tar. */
      if (offset + OB_TAR_BLOCK > index->file_size ||
          !ob_file_pread_all (fd, block, sizeof block, offset) || is_zero_block (block))
        break;
      if (start < 0)
        start = offset;
      if (!read_entry (fd, display, index->file_size, &offset, long_name, pax_path, pax_size, &entry, error))
        return NULL;

      if (entry.typeflag == 'x' || entry.typeflag == 'L' || entry.typeflag == 'K')
        pending = TRUE;
      if (entry.typeflag == 'x' || entry.typeflag == 'L')
        {
          g_autofree char *meta = read_meta (fd, entry.data, entry.size);

          if (meta == NULL)
            {
              bad (error, display, entry.header, _("unreadable extended header"));
              return NULL;
            }
          if (entry.typeflag == 'L')
            {
              g_free (long_name);
              long_name = g_strdup (meta);
            }
          else
            {
              gint64 size = -1;

              if (!parse_pax (meta, entry.size, &pax_path, &size, &pax_sparse))
                {
                  bad (error, display, entry.header, _("bad pax record"));
                  return NULL;
                }
              if (size >= 0)
                {
                  pax_size = size;
                  pax_size_header = entry.header;
                  pax_size_len = entry.size;
                }
            }
          continue;
        }
      if (entry.typeflag == 'K')
        continue;
      if (entry.typeflag == 'g')
        {
          /* Global records describe the archive, not the next member; but
           * extension records before them still belong to it. */
          if (!pending)
            start = -1;
          continue;
        }

      entry.start = start;
      if (entry.size_from_pax)
        {
          entry.pax_header = pax_size_header;
          entry.pax_size = pax_size_len;
        }
      entry.pax_sparse = pax_sparse;
      g_ptr_array_add (index->members, g_memdup2 (&entry, sizeof entry));
      g_clear_pointer (&long_name, g_free);
      g_clear_pointer (&pax_path, g_free);
      pax_size = -1;
      pax_sparse = FALSE;
      pending = FALSE;
      start = -1;
    }

  if (start >= 0)
    {
      bad (error, display, start, _("an extended header with no member after it"));
      return NULL;
    }
  index->end = offset;
  return g_steal_pointer (&index);
}

const ObTarMember *
ob_tar_index_find (ObTarIndex *index,
                   const char *name,
                   guint      *count_out)
{
  const ObTarMember *found = NULL;
  guint count = 0;
  guint i;

  for (i = 0; i < index->members->len; i++)
    {
      const ObTarMember *m = g_ptr_array_index (index->members, i);

      if (g_strcmp0 (m->name, name) == 0)
        {
          if (found == NULL)
            found = m;
          count++;
        }
    }
  if (count_out != NULL)
    *count_out = count;
  return found;
}

gboolean
ob_tar_index_is_last (ObTarIndex        *index,
                      const ObTarMember *member)
{
  return ob_tar_member_end (member) == index->end;
}
