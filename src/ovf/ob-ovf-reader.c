/* ob-ovf-reader.c: reading an OVF file and what it says.
 *
 * The era rules follow the engine's OvfReader: <BalloonEnabled> decides when
 * present, else the balloon device Item, else off. The analysis also keeps
 * the offsets and the layout (indentation, prefixes, empty-tag style) that
 * the writer needs for its edits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ob-error.h"
#include "ob-ova-archive.h"
#include "ob-ova-journal.h"
#include "ob-ovf-private.h"

void
ob_ovf_analysis_free (ObOvfAnalysis *a)
{
  if (a == NULL)
    return;
  g_free (a->name);
  g_free (a->level_text);
  g_free (a->element_qname);
  g_free (a->item_lead);
  g_free (a->child_lead);
  g_free (a->unit);
  g_free (a->item_qname);
  g_free (a->device_prefix);
  g_free (a->engine_xml_model);
  g_free (a->engine_xml_insert);
  g_free (a->engine_xml_problem);
  g_free (a->rasd_prefix);
  g_free (a->hw_qname);
  g_free (a);
}

static char *
strip_prefix_or (const char *s,
                 const char *prefix,
                 const char *fallback)
{
  if (g_str_has_prefix (s, prefix) && strlen (s) > strlen (prefix))
    return g_strdup (s + strlen (prefix));
  return g_strdup (fallback);
}

/* "ovf" of "ovf:Item", "" of "Item". */
static char *
prefix_of (const char *qname,
           gsize       len)
{
  const char *colon = memchr (qname, ':', len);

  return colon ? g_strndup (qname, colon - qname) : g_strdup ("");
}

static ObOvfAnalysis *
analyse (ObOvfScan   *scan,
         const char  *display,
         gboolean     check,
         GError     **error)
{
  g_autoptr(ObOvfAnalysis) a = g_new0 (ObOvfAnalysis, 1);
  g_autoptr(GPtrArray) root_attrs = NULL;
  g_autofree char *root_name = NULL;
  g_autofree char *root_ns = NULL;
  const char *q;
  gsize qlen;
  int root = 0;
  int vs = -1;
  int hw = -1;
  int c;
  int anchor = -1;
  int first_balloon = -1;
  guint i;
  g_autofree char *envelope_version = NULL;
  gboolean ovirt_evidence = FALSE;

  /* The root: ovf:Envelope, the ovf namespace with or without its slash. */
  q = ob_ovf_span_qname (scan, root, &qlen);
  root_name = g_utf8_make_valid (q, qlen);
  root_attrs = ob_ovf_span_attributes (scan, root);
  root_ns = ob_ovf_root_namespace (scan);

  if (ob_ovf_qname_local_is (q, qlen, "Envelope") && root_ns != NULL &&
      g_str_has_prefix (root_ns, OVF2_URI_PREFIX))
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("“%s” is an OVF 2.0 document (%s), which is not supported: only OVF 1.x "
                     "(the format oVirt, VMware and VirtualBox export) can be edited"),
                   display, root_ns);
      return NULL;
    }
  if (!ob_ovf_qname_local_is (q, qlen, "Envelope") || !ob_ovf_is_ovf_uri (root_ns))
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("“%s” is not an OVF: the root element is “%s”, not an Envelope in the %s namespace"),
                   display, root_name, OVF_URI);
      return NULL;
    }

  /* Prefixes bound on the root: rasd for a new Item, ovf for ovf:version. */
  for (i = 0; i + 1 < root_attrs->len; i += 2)
    {
      const char *name = g_ptr_array_index (root_attrs, i);
      const char *value = g_ptr_array_index (root_attrs, i + 1);

      if (g_str_has_prefix (name, "xmlns:") && strcmp (value, RASD_URI) == 0 && a->rasd_prefix == NULL)
        a->rasd_prefix = g_strdup (name + 6);
      if (g_str_has_prefix (name, "xmlns") && strcmp (value, OVIRT_URI) == 0)
        ovirt_evidence = TRUE;
      if (g_str_has_prefix (name, "xmlns:") && ob_ovf_is_ovf_uri (value) && envelope_version == NULL)
        {
          g_autofree char *version_name = g_strconcat (name + 6, ":version", NULL);
          const char *version = ob_ovf_attr_lookup (root_attrs, version_name);

          if (version != NULL)
            envelope_version = g_utf8_make_valid (version, -1);
        }
    }

  for (c = OB_OVF_SPAN (scan, root)->first_child; c >= 0; c = OB_OVF_SPAN (scan, c)->next_sibling)
    {
      if (ob_ovf_span_is (scan, c, "VirtualSystemCollection"))
        {
          guint n = 0;

          for (int v = OB_OVF_SPAN (scan, c)->first_child; v >= 0; v = OB_OVF_SPAN (scan, v)->next_sibling)
            if (ob_ovf_span_is (scan, v, "VirtualSystem"))
              n++;
          g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "“%s” is a VirtualSystemCollection of %u VM: only single-VM OVFs are supported",
                                    "“%s” is a VirtualSystemCollection of %u VMs: only single-VM OVFs are supported",
                                    n),
                       display, n);
          return NULL;
        }
      if (ob_ovf_span_is (scan, c, "Content") || ob_ovf_span_is (scan, c, "VirtualSystem"))
        {
          vs = c;
          break;
        }
    }
  if (vs < 0)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("“%s” is not a VM OVF: it has no Content or VirtualSystem element"), display);
      return NULL;
    }

  for (c = OB_OVF_SPAN (scan, vs)->first_child; c >= 0; c = OB_OVF_SPAN (scan, c)->next_sibling)
    {
      if (ob_ovf_span_is (scan, c, "VirtualHardwareSection"))
        {
          hw = c;
          break;
        }
      if (ob_ovf_span_is (scan, c, "Section"))
        {
          g_autoptr(GPtrArray) attrs = ob_ovf_span_attributes (scan, c);
          const char *type = ob_ovf_attr_lookup_local (attrs, "type");

          if (type != NULL && g_str_has_suffix (type, "VirtualHardwareSection_Type"))
            {
              hw = c;
              break;
            }
        }
    }
  if (hw < 0)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("“%s” has no virtual hardware section (VirtualHardwareSection), "
                     "so it has no devices to edit"), display);
      return NULL;
    }

  /* Content / VirtualSystem properties. */
  c = ob_ovf_find_child (scan, vs, "Name");
  if (c >= 0)
    a->name = g_strstrip (ob_ovf_span_text (scan, c));
  else if (ob_ovf_span_is (scan, vs, "VirtualSystem"))
    {
      /* DMTF files name the VM by its ovf:id, as the engine's OVA reader
       * falls back to. */
      g_autoptr(GPtrArray) attrs = ob_ovf_span_attributes (scan, vs);
      const char *id = ob_ovf_attr_lookup_local (attrs, "id");

      if (id != NULL)
        a->name = g_utf8_make_valid (id, -1);
    }

  c = ob_ovf_find_child (scan, vs, "ClusterCompatibilityVersion");
  if (c >= 0)
    {
      g_autofree char *text = g_strstrip (ob_ovf_span_text (scan, c));

      if (text[0] != '\0')
        {
          a->level_text = g_steal_pointer (&text);
          a->level_from_cluster = TRUE;
        }
      ovirt_evidence = TRUE;
    }

  c = ob_ovf_find_child (scan, vs, "BalloonEnabled");
  if (c >= 0)
    {
      g_autofree char *text = ob_ovf_span_text (scan, c);

      a->has_element = TRUE;
      a->element = *OB_OVF_SPAN (scan, c);
      q = ob_ovf_span_qname (scan, c, &qlen);
      a->element_qname = g_strndup (q, qlen);
      /* Java's Boolean.parseBoolean, as the engine's OvfReader uses. */
      a->balloon_enabled = g_ascii_strcasecmp (text, "true") == 0;
      a->source = OB_OVF_BALLOON_SOURCE_ELEMENT;
      ovirt_evidence = TRUE;
    }

  c = ob_ovf_find_child (scan, vs, "EngineXml");
  if (c >= 0)
    ob_ovf_engine_xml_read (scan->buf, OB_OVF_SPAN (scan, c)->stag_end, OB_OVF_SPAN (scan, c)->etag_start,
                            display, check, a);

  /* Device Items. */
  a->instance_id = NULL;
  for (c = OB_OVF_SPAN (scan, hw)->first_child; c >= 0; c = OB_OVF_SPAN (scan, c)->next_sibling)
    {
      int rt, type, device;

      anchor = c;
      if (!ob_ovf_span_is (scan, c, "Item"))
        continue;

      if (a->item_qname == NULL)
        {
          q = ob_ovf_span_qname (scan, c, &qlen);
          a->item_qname = g_strndup (q, qlen);
        }
      if (a->instance_id == NULL && ob_ovf_find_child (scan, c, "InstanceID") >= 0)
        a->instance_id = "InstanceID";
      else if (a->instance_id == NULL && ob_ovf_find_child (scan, c, "InstanceId") >= 0)
        a->instance_id = "InstanceId";

      rt = ob_ovf_find_child (scan, c, "ResourceType");
      type = ob_ovf_find_child (scan, c, "Type");
      device = ob_ovf_find_child (scan, c, "Device");
      /* Type and Device are oVirt's, not RASD's. */
      if (type >= 0 || device >= 0)
        ovirt_evidence = TRUE;
      if (a->device_prefix == NULL && (type >= 0 || device >= 0))
        {
          q = ob_ovf_span_qname (scan, type >= 0 ? type : device, &qlen);
          a->device_prefix = prefix_of (q, qlen);
        }
      if (rt < 0 || type < 0 || device < 0 ||
          !ob_ovf_span_text_equals (scan, type, "balloon") ||
          !ob_ovf_span_text_equals (scan, device, "memballoon") ||
          !ob_ovf_span_text_equals (scan, rt, "0"))
        continue;

      if (first_balloon >= 0)
        {
          g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                       _("“%s” has two balloon device Items (lines %u and %u); "
                         "the engine allows one, so the file is refused"),
                       display, ob_ovf_line_of (scan, OB_OVF_SPAN (scan, first_balloon)->start),
                       ob_ovf_line_of (scan, OB_OVF_SPAN (scan, c)->start));
          return NULL;
        }
      first_balloon = c;
    }

  /* Content is what the engine (and virt-v2v -o ovirt) writes; a
   * VirtualSystem is oVirt's OVA export (or virt-v2v -o vdsm) only with
   * something of oVirt's in it. */
  if (ob_ovf_span_is (scan, vs, "Content"))
    a->flavour = OB_OVF_FLAVOUR_ENGINE;
  else
    a->flavour = ovirt_evidence ? OB_OVF_FLAVOUR_OVA : OB_OVF_FLAVOUR_FOREIGN;

  /* The envelope's ovf:version is the engine's version only in its own
   * flavour; a DMTF "1.0" is no cluster level. */
  if (a->level_text == NULL && a->flavour == OB_OVF_FLAVOUR_ENGINE)
    a->level_text = g_steal_pointer (&envelope_version);
  if (a->level_text != NULL)
    a->level_valid = ob_compat_version_parse (a->level_text, &a->level);

  if (first_balloon >= 0)
    {
      a->has_item = TRUE;
      a->item = *OB_OVF_SPAN (scan, first_balloon);
      a->device_present = TRUE;
    }
  if (!a->has_element)
    {
      a->balloon_enabled = a->device_present;
      a->source = a->device_present ? OB_OVF_BALLOON_SOURCE_DEVICE : OB_OVF_BALLOON_SOURCE_ABSENT;
    }

  /* Where and how a new Item is written: after the last child of the
   * hardware section, laid out like the last Item. */
  /* No Item to copy: the hardware section's prefix. Without a sibling
   * Type, a file with no default namespace gets the Item's prefix, not
   * elements in no namespace. */
  if (a->item_qname == NULL)
    {
      g_autofree char *hw_prefix = NULL;

      q = ob_ovf_span_qname (scan, hw, &qlen);
      hw_prefix = prefix_of (q, qlen);
      a->item_qname = hw_prefix[0] ? g_strconcat (hw_prefix, ":Item", NULL) : g_strdup ("Item");
    }
  if (a->device_prefix == NULL)
    a->device_prefix = ob_ovf_attr_lookup (root_attrs, "xmlns") != NULL
      ? g_strdup ("") : prefix_of (a->item_qname, strlen (a->item_qname));
  if (a->instance_id == NULL)
    a->instance_id = "InstanceId";

  {
    const char *buf = scan->buf;
    g_autofree char *hw_lead = ob_ovf_lead_before (buf, OB_OVF_SPAN (scan, hw)->start);
    int last_item = -1;
    gssize slash;

    for (c = OB_OVF_SPAN (scan, hw)->first_child; c >= 0; c = OB_OVF_SPAN (scan, c)->next_sibling)
      if (ob_ovf_span_is (scan, c, "Item"))
        last_item = c;

    if (anchor >= 0)
      {
        a->insert_at = OB_OVF_SPAN (scan, anchor)->end;
        a->item_lead = ob_ovf_lead_before (buf, OB_OVF_SPAN (scan, last_item >= 0 ? last_item : anchor)->start);
      }
    else
      {
        g_autofree char *end_lead = ob_ovf_lead_before (buf, OB_OVF_SPAN (scan, hw)->etag_start);
        ObOvfSpan *h = OB_OVF_SPAN (scan, hw);

        if (h->end == h->stag_end)
          {
            a->hw_empty = TRUE;
            a->hw_slash = h->stag_end - 2;
            a->hw_end = h->end;
            q = ob_ovf_span_qname (scan, hw, &qlen);
            a->hw_qname = g_strndup (q, qlen);
          }
        a->insert_at = OB_OVF_SPAN (scan, hw)->stag_end;
        a->item_lead = end_lead[0] ? g_strconcat (end_lead, "    ", NULL) : g_strdup ("");
      }

    if (last_item >= 0 && OB_OVF_SPAN (scan, last_item)->first_child >= 0)
      a->child_lead = ob_ovf_lead_before (buf, OB_OVF_SPAN (scan, OB_OVF_SPAN (scan, last_item)->first_child)->start);
    else if (a->item_lead[0] != '\0')
      {
        g_autofree char *unit = strip_prefix_or (a->item_lead, hw_lead, "    ");

        a->child_lead = g_strconcat (a->item_lead, g_str_has_prefix (unit, "\n") ? "    " : unit, NULL);
      }
    else
      a->child_lead = g_strdup ("");

    if (a->child_lead[0] == '\0')
      a->unit = g_strdup ("");
    else
      {
        a->unit = strip_prefix_or (a->child_lead, a->item_lead, "    ");
        if (strchr (a->unit, '\n') != NULL)
          {
            g_free (a->unit);
            a->unit = g_strdup ("    ");
          }
      }

    slash = ob_ovf_find_str (buf, OB_OVF_SPAN (scan, hw)->end, OB_OVF_SPAN (scan, hw)->start, "/>");
    if (slash > 0)
      a->empty_style = buf[slash - 1] == ' ' ? " />" : "/>";
    else
      a->empty_style = NULL;
  }

  return g_steal_pointer (&a);
}

ObOvfAnalysis *
ob_ovf_analyse_bytes (GBytes      *bytes,
                      const char  *display,
                      gboolean     check,
                      GError     **error)
{
  gsize len = 0;
  const char *buf = g_bytes_get_data (bytes, &len);
  g_autoptr(ObOvfXmlView) view = NULL;
  ObOvfScan scan;
  ObOvfAnalysis *a = NULL;

  if (len > OB_OVF_MAX_SIZE)
    {
      g_autofree char *size = g_format_size_full (len, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("“%s” is %s; OVF documents over 64 MiB are refused"), display, size);
      return NULL;
    }
  if (len == 0)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT, _("“%s” is empty, not an OVF"), display);
      return NULL;
    }
  /* Edits splice bytes, so the encoding must be ASCII-compatible. */
  if (len >= 2 && (((guchar) buf[0] == 0xFE && (guchar) buf[1] == 0xFF) ||
                   ((guchar) buf[0] == 0xFF && (guchar) buf[1] == 0xFE) ||
                   buf[0] == '\0' || buf[1] == '\0'))
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("“%s” is not UTF-8 (it looks like UTF-16); only UTF-8 OVF documents are supported"),
                   display);
      return NULL;
    }

  if (check)
    {
      view = ob_ovf_check_xml (buf, len, display, error);
      if (view == NULL)
        return NULL;
    }

  scan.buf = buf;
  scan.len = len;
  scan.spans = g_array_sized_new (FALSE, FALSE, sizeof (ObOvfSpan),
                                  MIN (OB_OVF_MAX_SPANS, MAX (1024, len / 1024)));
  if (ob_ovf_scan_markup (&scan, display, error) &&
      (view == NULL || ob_ovf_xml_view_agrees (view, &scan, display, error)))
    a = analyse (&scan, display, check, error);
  g_array_unref (scan.spans);
  return a;
}

/* One buffer of the size fstat() gave; the file may still change size
 * meanwhile, so read to the end and check the cap again. */
static GBytes *
read_plain_file (int          fd,
                 const char  *path,
                 goffset      size_hint,
                 GError     **error)
{
  gsize cap = (gsize) MIN (size_hint, OB_OVF_MAX_SIZE) + 1;
  g_autofree char *data = g_malloc (cap);
  gsize len = 0;

  for (;;)
    {
      gssize n;

      if (len == cap)
        {
          cap *= 2;
          data = g_realloc (data, cap);
        }
      n = read (fd, data + len, cap - len);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          g_set_error (error, OB_ERROR, OB_ERROR_IO, _("Cannot read “%s”: %s"), path, g_strerror (errno));
          return NULL;
        }
      if (n == 0)
        break;
      len += n;
      if (len > OB_OVF_MAX_SIZE)
        {
          g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                       _("“%s” is larger than 64 MiB; OVF documents over 64 MiB are refused"), path);
          return NULL;
        }
    }

  return g_bytes_new_take (g_steal_pointer (&data), len);
}
void
ob_ovf_ova_sidecars_clear (ObOvfOvaSidecars *sidecars)
{
  g_clear_pointer (&sidecars->manifest_member, g_free);
  g_clear_pointer (&sidecars->manifest, g_bytes_unref);
  g_clear_pointer (&sidecars->cert_member, g_free);
  g_clear_pointer (&sidecars->ovf_members, g_ptr_array_unref);
}

void
ob_ovf_file_identity_clear (ObOvfFileIdentity *identity)
{
  g_clear_pointer (&identity->sha256, g_free);
  g_clear_pointer (&identity->member, g_free);
  memset (identity, 0, sizeof *identity);
}

void
ob_ovf_file_identity_copy (ObOvfFileIdentity       *dest,
                           const ObOvfFileIdentity *src)
{
  *dest = *src;
  dest->sha256 = g_strdup (src->sha256);
  dest->member = g_strdup (src->member);
}

static void
identity_set (ObOvfFileIdentity *identity,
              const struct stat *st,
              GBytes            *ovf)
{
  g_free (identity->sha256);
  identity->dev = st->st_dev;
  identity->ino = st->st_ino;
  identity->size = st->st_size;
  identity->mtime_sec = st->st_mtim.tv_sec;
  identity->mtime_nsec = st->st_mtim.tv_nsec;
  identity->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, ovf);
}

gboolean
ob_ovf_file_identity_take (ObOvfFileIdentity  *identity,
                           const char         *path,
                           GBytes             *ovf,
                           GError            **error)
{
  struct stat st;

  if (g_stat (path, &st) != 0)
    {
      int errsv = errno;

      g_set_error (error, OB_ERROR, OB_ERROR_IO, _("Cannot read “%s”: %s"), path, g_strerror (errsv));
      return FALSE;
    }
  identity_set (identity, &st, ovf);
  return TRUE;
}

gboolean
ob_ovf_file_identity_check (const ObOvfFileIdentity *identity,
                            const char              *path,
                            GCancellable            *cancellable,
                            GError                 **error)
{
  ObOvfFileIdentity now = { 0, };
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *member = NULL;
  g_autofree char *display = NULL;
  g_autofree char *note = NULL;
  gboolean is_ova;
  gboolean same;

  /* The cheap part first; the hash catches a same-size edit within the
   * file system's mtime granularity. */
  bytes = ob_ovf_read_path (path, identity->member, &is_ova, &member, &display, &now, NULL, &note,
                            cancellable, NULL);
  same = bytes != NULL && now.dev == identity->dev && now.ino == identity->ino &&
         now.size == identity->size && now.mtime_sec == identity->mtime_sec &&
         now.mtime_nsec == identity->mtime_nsec && g_strcmp0 (now.sha256, identity->sha256) == 0;
  ob_ovf_file_identity_clear (&now);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!same)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_CONFLICT,
                   _("“%s” changed on disk since it was opened (another program wrote, replaced or "
                     "removed it); it was not overwritten: reload it, or save to another file"),
                   path);
      return FALSE;
    }
  return TRUE;
}

/* The compression an archive is wrapped in, by its magic number. */
static const char *
compression_of (const guint8 *header,
                gssize        len)
{
  if (len >= 2 && header[0] == 0x1f && header[1] == 0x8b)
    return "gzip";
  if (len >= 6 && memcmp (header, "\xFD" "7zXZ\0", 6) == 0)
    return "xz";
  if (len >= 3 && memcmp (header, "BZh", 3) == 0)
    return "bzip2";
  if (len >= 4 && memcmp (header, "\x28\xB5\x2F\xFD", 4) == 0)
    return "zstd";
  return NULL;
}

GBytes *
ob_ovf_read_path (const char         *path,
                  const char         *want_member,
                  gboolean           *is_ova,
                  char              **member,
                  char              **display,
                  ObOvfFileIdentity  *identity,
                  ObOvfOvaSidecars   *sidecars,
                  char              **note,
                  GCancellable       *cancellable,
                  GError            **error)
{
  g_autoptr(GBytes) bytes = NULL;
  guint8 header[512];
  gssize header_len;
  struct stat st;
  int fd;

  *is_ova = FALSE;
  *member = NULL;
  *display = NULL;
  *note = NULL;

  /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
  if (fd < 0)
    {
      int errsv = errno;

      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT, _("Cannot open “%s”: %s"), path, g_strerror (errsv));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT, _("“%s” is not a regular file"), path);
      return NULL;
    }
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  header_len = pread (fd, header, sizeof header, 0);
  if (compression_of (header, header_len) != NULL)
    {
      close (fd);
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("“%s” is a compressed archive (%s): unpack it first, then open the .ova or .ovf "
                     "inside"), path, compression_of (header, header_len));
      return NULL;
    }
  *is_ova = (header_len > 0 && ob_ova_archive_sniff (header, header_len)) ||
            g_str_has_suffix (path, ".ova") || g_str_has_suffix (path, ".OVA");

  if (*is_ova)
    {
      close (fd);
      /* An in-place edit cut short is undone before reading; the shared
       * lock keeps a running in-place edit out while reading. */
      fd = ob_ova_journal_open_shared (path, note, error);
      if (fd < 0)
        return NULL;
      bytes = ob_ova_archive_read_ovf_full (path, OB_OVF_MAX_SIZE, want_member, member,
                                            sidecars ? &sidecars->ovf_members : NULL,
                                            sidecars ? &sidecars->manifest_member : NULL,
                                            sidecars ? &sidecars->manifest : NULL,
                                            sidecars ? &sidecars->cert_member : NULL,
                                            cancellable, error);
      close (fd);
      if (bytes == NULL)
        return NULL;
      *display = g_strdup_printf ("%s:%s", path, *member);
    }
  else
    {
      if (st.st_size > OB_OVF_MAX_SIZE)
        {
          g_autofree char *size = g_format_size_full (st.st_size, G_FORMAT_SIZE_IEC_UNITS);

          close (fd);
          g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                       _("“%s” is %s; OVF documents over 64 MiB are refused"), path, size);
          return NULL;
        }
      bytes = read_plain_file (fd, path, st.st_size, error);
      close (fd);
      if (bytes == NULL)
        return NULL;
      *display = g_strdup (path);
    }

  if (identity != NULL)
    {
      identity_set (identity, &st, bytes);
      g_free (identity->member);
      identity->member = g_strdup (*member);
    }
  return g_steal_pointer (&bytes);
}
