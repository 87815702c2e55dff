/* ob-ovf-document.c
 *
 * How edits stay surgical: libxml2 checks the document (well-formedness,
 * DTD refusal, line numbers for errors) with a SAX parser that builds
 * nothing; a small scanner over the original bytes then records where each
 * element starts and ends. Since libxml2 has accepted the document, the
 * scanner only has to tell markup apart (comments, CDATA, PIs, quoted
 * attribute values), not validate it. Edits splice the original buffer at
 * those offsets, so every other byte stays as it was.
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
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "ob-atomic-file.h"
#include "ob-balloon-policy.h"
#include "ob-error.h"
#include "ob-ova-archive.h"
#include "ob-ovf-document.h"

#define OVF_URI  "http://schemas.dmtf.org/ovf/envelope/1"
#define RASD_URI "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"

#define PARSE_CHUNK (1024 * 1024)

/* ------------------------------------------------------------------ */
/* Element spans                                                       */

/* Only what the analysis looks at is recorded: elements down to the
 * children of device Items (Envelope 0, Content 1, Section 2, Item 3, its
 * children 4). Offsets fit in 32 bits: documents are capped at 64 MiB. */
#define MAX_RECORDED_DEPTH 4

typedef struct
{
  guint32 start;        /* the '<' of the start tag */
  guint32 stag_end;     /* just after the start tag's '>' */
  guint32 etag_start;   /* the '<' of the end tag; stag_end for <x/> */
  guint32 end;          /* just after the element */
  guint32 name_len;     /* the qualified name is at start + 1 */
  gint32 parent;
  gint32 first_child;
  gint32 last_child;
  gint32 next_sibling;
} Span;

typedef struct
{
  const char *buf;
  gsize len;
  GArray *spans;      /* of Span, in document order */
} Scan;

#define SPAN(scan, i) (&g_array_index ((scan)->spans, Span, (i)))

static gssize
find_str (const char *buf,
          gsize       len,
          gsize       from,
          const char *needle)
{
  gsize nlen = strlen (needle);

  while (from + nlen <= len)
    {
      const char *p = memchr (buf + from, needle[0], len - from - nlen + 1);

      if (p == NULL)
        return -1;
      if (memcmp (p, needle, nlen) == 0)
        return p - buf;
      from = (p - buf) + 1;
    }
  return -1;
}

static gboolean
has_prefix_at (const char *buf,
               gsize       len,
               gsize       at,
               const char *prefix)
{
  gsize n = strlen (prefix);

  return at + n <= len && memcmp (buf + at, prefix, n) == 0;
}

/* The end of a tag starting at @from: skips quoted attribute values, which
 * may hold '>'. Returns the offset of the '>' or -1. */
static gssize
find_tag_end (const char *buf,
              gsize       len,
              gsize       from)
{
  gsize p = from;

  while (p < len)
    {
      char c = buf[p];

      if (c == '"' || c == '\'')
        {
          const char *q = memchr (buf + p + 1, c, len - p - 1);

          if (q == NULL)
            return -1;
          p = (q - buf) + 1;
          continue;
        }
      if (c == '>')
        return p;
      p++;
    }
  return -1;
}

/* <!DOCTYPE ...>, possibly with an internal subset holding quoted strings,
 * comments and brackets. */
static gssize
find_doctype_end (const char *buf,
                  gsize       len,
                  gsize       from)
{
  gsize p = from;
  int depth = 0;

  while (p < len)
    {
      char c = buf[p];

      if (c == '"' || c == '\'')
        {
          const char *q = memchr (buf + p + 1, c, len - p - 1);

          if (q == NULL)
            return -1;
          p = (q - buf) + 1;
          continue;
        }
      if (has_prefix_at (buf, len, p, "<!--"))
        {
          gssize e = find_str (buf, len, p + 4, "-->");

          if (e < 0)
            return -1;
          p = e + 3;
          continue;
        }
      if (c == '[')
        depth++;
      else if (c == ']')
        depth--;
      else if (c == '>' && depth <= 0)
        return p;
      p++;
    }
  return -1;
}

static gboolean qname_local_is (const char *qname,
                                gsize       len,
                                const char *local);

/* Of an Item's children only these are looked at (and the first one, for
 * the indentation); skipping the rest keeps the span array small. */
static gboolean
is_item_child_of_interest (const char *qname,
                           gsize       len)
{
  return qname_local_is (qname, len, "ResourceType") ||
         qname_local_is (qname, len, "Type") ||
         qname_local_is (qname, len, "Device") ||
         qname_local_is (qname, len, "InstanceId") ||
         qname_local_is (qname, len, "InstanceID");
}

static gboolean
scan_markup (Scan        *scan,
             const char  *display,
             GError     **error)
{
  const char *buf = scan->buf;
  gsize len = scan->len;
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (int));
  gsize p = 0;

  if (len >= 3 && memcmp (buf, "\xEF\xBB\xBF", 3) == 0)
    p = 3;

  while (p < len)
    {
      gssize e;

      if (buf[p] != '<')
        {
          const char *q = memchr (buf + p, '<', len - p);

          if (q == NULL)
            break;
          p = q - buf;
          continue;
        }

      if (has_prefix_at (buf, len, p, "<!--"))
        {
          e = find_str (buf, len, p + 4, "-->");
          if (e < 0)
            goto bad;
          p = e + 3;
        }
      else if (has_prefix_at (buf, len, p, "<![CDATA["))
        {
          e = find_str (buf, len, p + 9, "]]>");
          if (e < 0)
            goto bad;
          p = e + 3;
        }
      else if (has_prefix_at (buf, len, p, "<?"))
        {
          e = find_str (buf, len, p + 2, "?>");
          if (e < 0)
            goto bad;
          p = e + 2;
        }
      else if (has_prefix_at (buf, len, p, "<!"))
        {
          e = find_doctype_end (buf, len, p + 2);
          if (e < 0)
            goto bad;
          p = e + 1;
        }
      else if (has_prefix_at (buf, len, p, "</"))
        {
          Span *s;
          int top;

          e = find_tag_end (buf, len, p + 2);
          if (e < 0 || stack->len == 0)
            goto bad;
          top = g_array_index (stack, int, stack->len - 1);
          g_array_set_size (stack, stack->len - 1);
          if (top >= 0)
            {
              s = SPAN (scan, top);
              if (p + 2 + s->name_len > len ||
                  memcmp (buf + p + 2, buf + s->start + 1, s->name_len) != 0)
                goto bad;
              s->etag_start = p;
              s->end = e + 1;
            }
          p = e + 1;
        }
      else
        {
          Span span = { 0, };
          gsize n = p + 1;
          int index = -1;
          int parent = stack->len ? g_array_index (stack, int, stack->len - 1) : -1;
          gboolean empty;

          while (n < len && !g_ascii_isspace (buf[n]) && buf[n] != '/' && buf[n] != '>')
            n++;
          e = find_tag_end (buf, len, n);
          if (e < 0 || n == p + 1)
            goto bad;
          empty = buf[e - 1] == '/';

          if (stack->len <= MAX_RECORDED_DEPTH && (stack->len == 0 || parent >= 0) &&
              (stack->len < MAX_RECORDED_DEPTH || SPAN (scan, parent)->first_child < 0 ||
               is_item_child_of_interest (buf + p + 1, n - p - 1)))
            {
              index = scan->spans->len;
              span.start = p;
              span.name_len = n - p - 1;
              span.stag_end = e + 1;
              span.parent = parent;
              span.first_child = span.last_child = span.next_sibling = -1;
              if (empty)
                {
                  span.etag_start = span.stag_end;
                  span.end = span.stag_end;
                }
              g_array_append_val (scan->spans, span);

              if (parent >= 0)
                {
                  Span *ps = SPAN (scan, parent);

                  if (ps->last_child >= 0)
                    SPAN (scan, ps->last_child)->next_sibling = index;
                  else
                    ps->first_child = index;
                  ps->last_child = index;
                }
            }
          if (!empty)
            g_array_append_val (stack, index);
          p = e + 1;
        }
    }

  if (stack->len != 0 || scan->spans->len == 0)
    goto bad;
  return TRUE;

bad:
  /* libxml2 accepted the document, so this is not expected; refuse rather
   * than edit at wrong offsets. */
  g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
               _("“%s”: the XML markup could not be analysed for editing"), display);
  return FALSE;
}

static const char *
span_qname (Scan  *scan,
            int    index,
            gsize *len)
{
  Span *s = SPAN (scan, index);

  *len = s->name_len;
  return scan->buf + s->start + 1;
}

static gboolean
qname_local_is (const char *qname,
                gsize       len,
                const char *local)
{
  const char *colon = memchr (qname, ':', len);
  gsize llen = strlen (local);

  if (colon != NULL)
    {
      len -= (colon + 1 - qname);
      qname = colon + 1;
    }
  return len == llen && memcmp (qname, local, llen) == 0;
}

static gboolean
span_is (Scan       *scan,
         int         index,
         const char *local)
{
  gsize len;
  const char *q = span_qname (scan, index, &len);

  return qname_local_is (q, len, local);
}

static int
find_child (Scan       *scan,
            int         parent,
            const char *local)
{
  int c;

  for (c = SPAN (scan, parent)->first_child; c >= 0; c = SPAN (scan, c)->next_sibling)
    if (span_is (scan, c, local))
      return c;
  return -1;
}

static guint
line_of (Scan  *scan,
         gsize  offset)
{
  guint line = 1;
  const char *p = scan->buf;
  const char *end = scan->buf + offset;

  while ((p = memchr (p, '\n', end - p)) != NULL)
    {
      line++;
      p++;
    }
  return line;
}

/* Character data of [from, to) with references decoded, CDATA unwrapped and
 * comments, PIs and child tags left out. */
static char *
decode_text (const char *buf,
             gsize       from,
             gsize       to)
{
  GString *out = g_string_sized_new (to - from);
  gsize p = from;

  while (p < to)
    {
      char c = buf[p];

      if (c == '<')
        {
          gssize e;

          if (has_prefix_at (buf, to, p, "<![CDATA["))
            {
              e = find_str (buf, to, p + 9, "]]>");
              if (e < 0)
                break;
              g_string_append_len (out, buf + p + 9, e - (p + 9));
              p = e + 3;
              continue;
            }
          if (has_prefix_at (buf, to, p, "<!--"))
            {
              e = find_str (buf, to, p + 4, "-->");
              p = e < 0 ? to : (gsize) e + 3;
              continue;
            }
          e = find_tag_end (buf, to, p + 1);
          p = e < 0 ? to : (gsize) e + 1;
          continue;
        }

      if (c == '&')
        {
          const char *semi = memchr (buf + p, ';', to - p);

          if (semi != NULL && semi - (buf + p) <= 12)
            {
              g_autofree char *ref = g_strndup (buf + p + 1, semi - (buf + p) - 1);
              gunichar u = 0;

              if (strcmp (ref, "lt") == 0)
                u = '<';
              else if (strcmp (ref, "gt") == 0)
                u = '>';
              else if (strcmp (ref, "amp") == 0)
                u = '&';
              else if (strcmp (ref, "quot") == 0)
                u = '"';
              else if (strcmp (ref, "apos") == 0)
                u = '\'';
              else if (ref[0] == '#' && (ref[1] == 'x' || ref[1] == 'X'))
                u = (gunichar) g_ascii_strtoull (ref + 2, NULL, 16);
              else if (ref[0] == '#')
                u = (gunichar) g_ascii_strtoull (ref + 1, NULL, 10);

              if (u != 0 && g_unichar_validate (u))
                {
                  g_string_append_unichar (out, u);
                  p = (semi - buf) + 1;
                  continue;
                }
            }
        }

      g_string_append_c (out, c);
      p++;
    }

  return g_string_free (out, FALSE);
}

static char *
span_text (Scan *scan,
           int   index)
{
  Span *s = SPAN (scan, index);
  g_autofree char *raw = decode_text (scan->buf, s->stag_end, s->etag_start);

  return g_utf8_make_valid (raw, -1);
}

/* Compares the trimmed text with @expected without allocating in the
 * common case: this runs for every child of every device Item. */
static gboolean
span_text_equals (Scan       *scan,
                  int         index,
                  const char *expected)
{
  Span *s = SPAN (scan, index);
  gsize a = s->stag_end;
  gsize b = s->etag_start;
  gsize n = strlen (expected);

  while (a < b && g_ascii_isspace (scan->buf[a]))
    a++;
  while (b > a && g_ascii_isspace (scan->buf[b - 1]))
    b--;

  if (memchr (scan->buf + a, '&', b - a) != NULL || memchr (scan->buf + a, '<', b - a) != NULL)
    {
      g_autofree char *text = span_text (scan, index);

      return strcmp (g_strstrip (text), expected) == 0;
    }
  return b - a == n && memcmp (scan->buf + a, expected, n) == 0;
}

/* The attributes of a start tag as name, value pairs (values decoded). */
static GPtrArray *
span_attributes (Scan *scan,
                 int   index)
{
  Span *s = SPAN (scan, index);
  const char *buf = scan->buf;
  gsize p = s->start + 1 + s->name_len;
  gsize end = s->stag_end - 1;
  GPtrArray *attrs = g_ptr_array_new_with_free_func (g_free);

  for (;;)
    {
      gsize name_start, name_end;
      const char *q;
      char quote;

      while (p < end && g_ascii_isspace (buf[p]))
        p++;
      if (p >= end || buf[p] == '/')
        break;
      name_start = p;
      while (p < end && buf[p] != '=' && !g_ascii_isspace (buf[p]))
        p++;
      name_end = p;
      while (p < end && g_ascii_isspace (buf[p]))
        p++;
      if (p >= end || buf[p] != '=')
        break;
      p++;
      while (p < end && g_ascii_isspace (buf[p]))
        p++;
      if (p >= end || (buf[p] != '"' && buf[p] != '\''))
        break;
      quote = buf[p];
      q = memchr (buf + p + 1, quote, end - p - 1);
      if (q == NULL)
        break;
      g_ptr_array_add (attrs, g_strndup (buf + name_start, name_end - name_start));
      g_ptr_array_add (attrs, decode_text (buf, p + 1, q - buf));
      p = (q - buf) + 1;
    }

  return attrs;
}

static const char *
attr_lookup (GPtrArray  *attrs,
             const char *name)
{
  guint i;

  for (i = 0; i + 1 < attrs->len; i += 2)
    if (strcmp (g_ptr_array_index (attrs, i), name) == 0)
      return g_ptr_array_index (attrs, i + 1);
  return NULL;
}

static const char *
attr_lookup_local (GPtrArray  *attrs,
                   const char *local)
{
  guint i;

  for (i = 0; i + 1 < attrs->len; i += 2)
    {
      const char *name = g_ptr_array_index (attrs, i);

      if (qname_local_is (name, strlen (name), local) && !g_str_has_prefix (name, "xmlns"))
        return g_ptr_array_index (attrs, i + 1);
    }
  return NULL;
}

static gboolean
is_ovf_uri (const char *uri)
{
  return uri != NULL && (strcmp (uri, OVF_URI) == 0 || strcmp (uri, OVF_URI "/") == 0);
}

/* "\n    " before the element at @offset: the line break and indentation
 * that precede it, or "" when something else is on its line. */
static gsize
lead_start (const char *buf,
            gsize       offset)
{
  gsize p = offset;

  while (p > 0 && (buf[p - 1] == ' ' || buf[p - 1] == '\t'))
    p--;
  if (p > 0 && buf[p - 1] == '\n')
    {
      p--;
      if (p > 0 && buf[p - 1] == '\r')
        p--;
      return p;
    }
  return offset;
}

static char *
lead_before (const char *buf,
             gsize       offset)
{
  gsize s = lead_start (buf, offset);

  return g_strndup (buf + s, offset - s);
}

/* ------------------------------------------------------------------ */
/* What a document says, and where to edit it                          */

typedef struct
{
  char *name;
  char *level_text;
  gboolean level_from_cluster;
  gboolean level_valid;
  ObCompatVersion level;

  gboolean balloon_enabled;
  ObOvfBalloonSource source;
  gboolean device_present;

  /* Offsets into the analysed buffer. */
  gboolean has_element;
  Span element;
  char *element_qname;
  gboolean has_item;
  Span item;
  gsize insert_at;
  gboolean hw_empty;          /* <Section .../>: the Item needs an end tag */
  gsize hw_slash;             /* offset of its '/' */
  gsize hw_end;
  char *hw_qname;
  char *item_lead;
  char *child_lead;
  char *unit;
  char *item_qname;
  char *rasd_prefix;          /* NULL: declare the namespace on the Item */
  const char *instance_id;
  const char *empty_style;    /* " />", "/>" or NULL for <x></x> */
} Analysis;

static void
analysis_free (Analysis *a)
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
  g_free (a->rasd_prefix);
  g_free (a->hw_qname);
  g_free (a);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Analysis, analysis_free)

static char *
strip_prefix_or (const char *s,
                 const char *prefix,
                 const char *fallback)
{
  if (g_str_has_prefix (s, prefix) && strlen (s) > strlen (prefix))
    return g_strdup (s + strlen (prefix));
  return g_strdup (fallback);
}

static Analysis *
analyse (Scan        *scan,
         const char  *display,
         GError     **error)
{
  g_autoptr(Analysis) a = g_new0 (Analysis, 1);
  g_autoptr(GPtrArray) root_attrs = NULL;
  g_autofree char *root_prefix = NULL;
  g_autofree char *xmlns_name = NULL;
  g_autofree char *root_name = NULL;
  const char *root_ns;
  const char *q;
  gsize qlen;
  int root = 0;
  int vs = -1;
  int hw = -1;
  int c;
  int anchor = -1;
  int first_balloon = -1;
  guint i;

  /* The root: ovf:Envelope, the ovf namespace with or without its slash. */
  q = span_qname (scan, root, &qlen);
  root_name = g_utf8_make_valid (q, qlen);
  root_attrs = span_attributes (scan, root);
  if (memchr (q, ':', qlen) != NULL)
    {
      root_prefix = g_strndup (q, (const char *) memchr (q, ':', qlen) - q);
      xmlns_name = g_strconcat ("xmlns:", root_prefix, NULL);
    }
  else
    xmlns_name = g_strdup ("xmlns");
  root_ns = attr_lookup (root_attrs, xmlns_name);

  if (!qname_local_is (q, qlen, "Envelope") || !is_ovf_uri (root_ns))
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
      if (g_str_has_prefix (name, "xmlns:") && is_ovf_uri (value) && a->level_text == NULL)
        {
          g_autofree char *version_name = g_strconcat (name + 6, ":version", NULL);
          const char *version = attr_lookup (root_attrs, version_name);

          if (version != NULL)
            a->level_text = g_utf8_make_valid (version, -1);
        }
    }

  for (c = SPAN (scan, root)->first_child; c >= 0; c = SPAN (scan, c)->next_sibling)
    if (span_is (scan, c, "Content") || span_is (scan, c, "VirtualSystem"))
      {
        vs = c;
        break;
      }
  if (vs < 0)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("“%s” is not a VM OVF: it has no Content or VirtualSystem element"), display);
      return NULL;
    }

  for (c = SPAN (scan, vs)->first_child; c >= 0; c = SPAN (scan, c)->next_sibling)
    {
      if (span_is (scan, c, "VirtualHardwareSection"))
        {
          hw = c;
          break;
        }
      if (span_is (scan, c, "Section"))
        {
          g_autoptr(GPtrArray) attrs = span_attributes (scan, c);
          const char *type = attr_lookup_local (attrs, "type");

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
  c = find_child (scan, vs, "Name");
  if (c >= 0)
    a->name = g_strstrip (span_text (scan, c));

  c = find_child (scan, vs, "ClusterCompatibilityVersion");
  if (c >= 0)
    {
      g_autofree char *text = g_strstrip (span_text (scan, c));

      if (text[0] != '\0')
        {
          g_free (a->level_text);
          a->level_text = g_steal_pointer (&text);
          a->level_from_cluster = TRUE;
        }
    }
  if (a->level_text != NULL)
    a->level_valid = ob_compat_version_parse (a->level_text, &a->level);

  c = find_child (scan, vs, "BalloonEnabled");
  if (c >= 0)
    {
      g_autofree char *text = span_text (scan, c);

      a->has_element = TRUE;
      a->element = *SPAN (scan, c);
      q = span_qname (scan, c, &qlen);
      a->element_qname = g_strndup (q, qlen);
      /* Java's Boolean.parseBoolean, as the engine's OvfReader uses. */
      a->balloon_enabled = g_ascii_strcasecmp (text, "true") == 0;
      a->source = OB_OVF_BALLOON_SOURCE_ELEMENT;
    }

  /* Device Items. */
  a->instance_id = NULL;
  for (c = SPAN (scan, hw)->first_child; c >= 0; c = SPAN (scan, c)->next_sibling)
    {
      int rt, type, device;

      anchor = c;
      if (!span_is (scan, c, "Item"))
        continue;

      if (a->item_qname == NULL)
        {
          q = span_qname (scan, c, &qlen);
          a->item_qname = g_strndup (q, qlen);
        }
      if (a->instance_id == NULL && find_child (scan, c, "InstanceID") >= 0)
        a->instance_id = "InstanceID";
      else if (a->instance_id == NULL && find_child (scan, c, "InstanceId") >= 0)
        a->instance_id = "InstanceId";

      rt = find_child (scan, c, "ResourceType");
      type = find_child (scan, c, "Type");
      device = find_child (scan, c, "Device");
      if (rt < 0 || type < 0 || device < 0 ||
          !span_text_equals (scan, type, "balloon") ||
          !span_text_equals (scan, device, "memballoon") ||
          !span_text_equals (scan, rt, "0"))
        continue;

      if (first_balloon >= 0)
        {
          g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                       _("“%s” has two balloon device Items (lines %u and %u); "
                         "the engine allows one, so the file is refused"),
                       display, line_of (scan, SPAN (scan, first_balloon)->start),
                       line_of (scan, SPAN (scan, c)->start));
          return NULL;
        }
      first_balloon = c;
    }

  if (first_balloon >= 0)
    {
      a->has_item = TRUE;
      a->item = *SPAN (scan, first_balloon);
      a->device_present = TRUE;
    }
  if (!a->has_element)
    {
      a->balloon_enabled = a->device_present;
      a->source = a->device_present ? OB_OVF_BALLOON_SOURCE_DEVICE : OB_OVF_BALLOON_SOURCE_ABSENT;
    }

  /* Where and how a new Item is written: after the last child of the
   * hardware section, laid out like the last Item. */
  if (a->item_qname == NULL)
    a->item_qname = g_strdup ("Item");
  if (a->instance_id == NULL)
    a->instance_id = "InstanceId";

  {
    const char *buf = scan->buf;
    g_autofree char *hw_lead = lead_before (buf, SPAN (scan, hw)->start);
    int last_item = -1;
    gssize slash;

    for (c = SPAN (scan, hw)->first_child; c >= 0; c = SPAN (scan, c)->next_sibling)
      if (span_is (scan, c, "Item"))
        last_item = c;

    if (anchor >= 0)
      {
        a->insert_at = SPAN (scan, anchor)->end;
        a->item_lead = lead_before (buf, SPAN (scan, last_item >= 0 ? last_item : anchor)->start);
      }
    else
      {
        g_autofree char *end_lead = lead_before (buf, SPAN (scan, hw)->etag_start);
        Span *h = SPAN (scan, hw);

        if (h->end == h->stag_end)
          {
            a->hw_empty = TRUE;
            a->hw_slash = h->stag_end - 2;
            a->hw_end = h->end;
            q = span_qname (scan, hw, &qlen);
            a->hw_qname = g_strndup (q, qlen);
          }
        a->insert_at = SPAN (scan, hw)->stag_end;
        a->item_lead = end_lead[0] ? g_strconcat (end_lead, "    ", NULL) : g_strdup ("");
      }

    if (last_item >= 0 && SPAN (scan, last_item)->first_child >= 0)
      a->child_lead = lead_before (buf, SPAN (scan, SPAN (scan, last_item)->first_child)->start);
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

    slash = find_str (buf, SPAN (scan, hw)->end, SPAN (scan, hw)->start, "/>");
    if (slash > 0)
      a->empty_style = buf[slash - 1] == ' ' ? " />" : "/>";
    else
      a->empty_style = NULL;
  }

  return g_steal_pointer (&a);
}

/* ------------------------------------------------------------------ */
/* libxml2 check                                                       */

typedef struct
{
  xmlParserCtxtPtr ctxt;
  char *message;
  int line;
  char *premature;       /* "Premature end of data" says more than what came first */
  int premature_line;
} SaxState;

static int
sax_line (SaxState *state)
{
  return state->ctxt && state->ctxt->input ? state->ctxt->input->line : 0;
}

static void
sax_refuse (SaxState *state,
            char     *message)
{
  if (state->message == NULL)
    {
      state->message = message;
      state->line = sax_line (state);
    }
  else
    g_free (message);
  xmlStopParser (state->ctxt);
}

static void
sax_internal_subset (void          *ctx,
                     const xmlChar *name,
                     const xmlChar *external_id,
                     const xmlChar *system_id)
{
  SaxState *state = ctx;

  if (external_id != NULL || system_id != NULL)
    sax_refuse (state, g_strdup_printf (_("the document type declaration refers to the external DTD “%s”, "
                                          "which is never loaded; refused"),
                                        system_id ? (const char *) system_id : (const char *) external_id));
}

static void
sax_entity_decl (void          *ctx,
                 const xmlChar *name,
                 int            type,
                 const xmlChar *public_id,
                 const xmlChar *system_id,
                 xmlChar       *content)
{
  SaxState *state = ctx;

  sax_refuse (state, g_strdup_printf (_("the DTD declares the entity “%s”; entity declarations are refused "
                                        "(they allow external-entity and entity-expansion attacks)"),
                                      (const char *) name));
}

static void
sax_structured_error (void        *ctx,
                      xmlErrorPtr  err)
{
  SaxState *state = ctx;

  if (err == NULL || err->level < XML_ERR_ERROR)
    return;
  /* In push mode an unfinished document is reported at the end as
   * "Extra content at the end of the document"; say what it means. */
  if ((err->code == XML_ERR_DOCUMENT_END && state->ctxt != NULL &&
       state->ctxt->instate != XML_PARSER_EPILOG && state->ctxt->instate != XML_PARSER_EOF) ||
      err->code == XML_ERR_TAG_NOT_FINISHED ||
      (err->message != NULL && strstr (err->message, "Premature end of data") != NULL))
    {
      if (state->premature == NULL)
        {
          state->premature = g_strdup (_("the document ends too early: it is truncated or incomplete"));
          state->premature_line = err->line;
        }
    }
  if (state->message != NULL)
    return;
  state->message = g_strstrip (g_strdup (err->message ? err->message : "?"));
  state->line = err->line;
}

static gboolean
check_xml (const char  *buf,
           gsize        len,
           const char  *display,
           GError     **error)
{
  xmlSAXHandler sax;
  SaxState state = { NULL, NULL, 0 };
  xmlParserCtxtPtr ctxt;
  gboolean well_formed;
  gsize p;

  memset (&sax, 0, sizeof sax);
  sax.initialized = XML_SAX2_MAGIC;
  sax.internalSubset = sax_internal_subset;
  sax.entityDecl = sax_entity_decl;
  sax.serror = sax_structured_error;

  /* No tree is built: the SAX handler has no element callbacks. No
   * XML_PARSE_NOENT (entities stay unexpanded), no DTD loading, no
   * network. */
  ctxt = xmlCreatePushParserCtxt (&sax, &state, NULL, 0, display);
  if (ctxt == NULL)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_FAILED, _("Cannot create an XML parser"));
      return FALSE;
    }
  state.ctxt = ctxt;
  xmlCtxtUseOptions (ctxt, XML_PARSE_NONET);

  for (p = 0; p < len && state.message == NULL; p += PARSE_CHUNK)
    {
      gsize n = MIN (PARSE_CHUNK, len - p);

      if (xmlParseChunk (ctxt, buf + p, (int) n, p + n >= len) != 0 && state.message == NULL)
        break;
    }
  if (state.message == NULL)
    xmlParseChunk (ctxt, NULL, 0, 1);

  well_formed = ctxt->wellFormed && state.message == NULL;
  if (!well_formed)
    {
      if (state.premature != NULL)
        g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT, _("“%s”: line %d: %s"),
                     display, state.premature_line, state.premature);
      else if (state.message != NULL)
        g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT, _("“%s”: line %d: %s"),
                     display, state.line, state.message);
      else
        g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT, _("“%s”: line %d: not well-formed XML"),
                     display, ctxt->input ? ctxt->input->line : 0);
    }

  g_free (state.message);
  g_free (state.premature);
  /* libxml2 builds a stand-in document in SAX mode when it meets entity
   * declarations ("expat compatibility"); the context does not own it. */
  if (ctxt->myDoc != NULL)
    {
      xmlFreeDoc (ctxt->myDoc);
      ctxt->myDoc = NULL;
    }
  xmlFreeParserCtxt (ctxt);
  return well_formed;
}

static Analysis *
analyse_bytes (GBytes      *bytes,
               const char  *display,
               gboolean     check,
               GError     **error)
{
  gsize len = 0;
  const char *buf = g_bytes_get_data (bytes, &len);
  Scan scan;
  Analysis *a;

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

  if (check && !check_xml (buf, len, display, error))
    return NULL;

  scan.buf = buf;
  scan.len = len;
  scan.spans = g_array_sized_new (FALSE, FALSE, sizeof (Span), MAX (1024, len / 256));
  a = scan_markup (&scan, display, error) ? analyse (&scan, display, error) : NULL;
  g_array_unref (scan.spans);
  return a;
}

/* ------------------------------------------------------------------ */
/* The GObject                                                         */

struct _ObOvfDocument
{
  GObject parent_instance;

  GFile *file;
  char *display;
  ObOvfFormat format;
  char *ova_member;

  GBytes *saved;
  GBytes *current;
  Analysis *analysis;
};

G_DEFINE_FINAL_TYPE (ObOvfDocument, ob_ovf_document, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_FILE,
  PROP_FORMAT,
  PROP_NAME,
  PROP_BALLOON_ENABLED,
  PROP_BALLOON_SOURCE,
  PROP_DEVICE_PRESENT,
  PROP_MODIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ob_ovf_document_finalize (GObject *object)
{
  ObOvfDocument *self = OB_OVF_DOCUMENT (object);

  g_clear_object (&self->file);
  g_free (self->display);
  g_free (self->ova_member);
  g_clear_pointer (&self->saved, g_bytes_unref);
  g_clear_pointer (&self->current, g_bytes_unref);
  g_clear_pointer (&self->analysis, analysis_free);

  G_OBJECT_CLASS (ob_ovf_document_parent_class)->finalize (object);
}

static void
ob_ovf_document_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ObOvfDocument *self = OB_OVF_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_FORMAT:
      g_value_set_enum (value, self->format);
      break;
    case PROP_NAME:
      g_value_set_string (value, ob_ovf_document_get_name (self));
      break;
    case PROP_BALLOON_ENABLED:
      g_value_set_boolean (value, ob_ovf_document_get_balloon_enabled (self));
      break;
    case PROP_BALLOON_SOURCE:
      g_value_set_enum (value, ob_ovf_document_get_balloon_source (self));
      break;
    case PROP_DEVICE_PRESENT:
      g_value_set_boolean (value, ob_ovf_document_get_device_present (self));
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, ob_ovf_document_get_modified (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_ovf_document_class_init (ObOvfDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ob_ovf_document_finalize;
  object_class->get_property = ob_ovf_document_get_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FORMAT] =
    g_param_spec_enum ("format", NULL, NULL, OB_TYPE_OVF_FORMAT, OB_OVF_FORMAT_OVF,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BALLOON_ENABLED] =
    g_param_spec_boolean ("balloon-enabled", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BALLOON_SOURCE] =
    g_param_spec_enum ("balloon-source", NULL, NULL, OB_TYPE_OVF_BALLOON_SOURCE,
                       OB_OVF_BALLOON_SOURCE_ABSENT,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEVICE_PRESENT] =
    g_param_spec_boolean ("device-present", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Once, from the thread that first uses the type: libxml2's global
   * initialisation is not safe to race from load_async() workers. */
  xmlInitParser ();
}

static void
ob_ovf_document_init (ObOvfDocument *self)
{
}

/* Replaces the document's content and what it says, notifying what
 * changed. */
static void
set_current (ObOvfDocument *self,
             GBytes        *bytes,
             Analysis      *analysis)
{
  gboolean old_enabled = ob_ovf_document_get_balloon_enabled (self);
  ObOvfBalloonSource old_source = ob_ovf_document_get_balloon_source (self);
  gboolean old_device = ob_ovf_document_get_device_present (self);
  gboolean old_modified = ob_ovf_document_get_modified (self);
  g_autofree char *old_name = g_strdup (ob_ovf_document_get_name (self));

  g_object_freeze_notify (G_OBJECT (self));

  g_clear_pointer (&self->current, g_bytes_unref);
  self->current = g_bytes_ref (bytes);
  g_clear_pointer (&self->analysis, analysis_free);
  self->analysis = analysis;
  if (self->saved == NULL)
    self->saved = g_bytes_ref (bytes);

  if (old_enabled != ob_ovf_document_get_balloon_enabled (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BALLOON_ENABLED]);
  if (old_source != ob_ovf_document_get_balloon_source (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BALLOON_SOURCE]);
  if (old_device != ob_ovf_document_get_device_present (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_PRESENT]);
  if (old_modified != ob_ovf_document_get_modified (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
  if (g_strcmp0 (old_name, ob_ovf_document_get_name (self)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);

  g_object_thaw_notify (G_OBJECT (self));
}

ObOvfDocument *
ob_ovf_document_new_from_bytes (GBytes      *bytes,
                                const char  *display_name,
                                GError     **error)
{
  g_autoptr(ObOvfDocument) self = NULL;
  Analysis *analysis;

  g_return_val_if_fail (bytes != NULL, NULL);

  self = g_object_new (OB_TYPE_OVF_DOCUMENT, NULL);
  self->display = g_strdup (display_name ? display_name : "OVF");

  analysis = analyse_bytes (bytes, self->display, TRUE, error);
  if (analysis == NULL)
    return NULL;

  set_current (self, bytes, analysis);
  return g_steal_pointer (&self);
}

/* One buffer of the size fstat() gave; the file may still change size
 * meanwhile, so read to the end and check the cap again. */
static GBytes *
read_plain_file (int           fd,
                 const char   *path,
                 goffset       size_hint,
                 GError      **error)
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

ObOvfDocument *
ob_ovf_document_load (GFile         *file,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(ObOvfDocument) self = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  g_autofree char *member = NULL;
  g_autofree char *display = NULL;
  guint8 header[512];
  gssize header_len;
  gboolean is_ova;
  struct stat st;
  Analysis *analysis;
  int fd;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("“%s” is not a local file; only local OVF and OVA files can be edited"), uri);
      return NULL;
    }

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
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

  header_len = pread (fd, header, sizeof header, 0);
  is_ova = (header_len > 0 && ob_ova_archive_sniff (header, header_len)) ||
           g_str_has_suffix (path, ".ova") || g_str_has_suffix (path, ".OVA");

  if (is_ova)
    {
      close (fd);
      bytes = ob_ova_archive_read_ovf (path, OB_OVF_MAX_SIZE, &member, cancellable, error);
      if (bytes == NULL)
        return NULL;
      display = g_strdup_printf ("%s:%s", path, member);
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
      display = g_strdup (path);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  analysis = analyse_bytes (bytes, display, TRUE, error);
  if (analysis == NULL)
    return NULL;

  self = g_object_new (OB_TYPE_OVF_DOCUMENT, NULL);
  self->file = g_object_ref (file);
  self->display = g_steal_pointer (&display);
  self->format = is_ova ? OB_OVF_FORMAT_OVA : OB_OVF_FORMAT_OVF;
  self->ova_member = g_steal_pointer (&member);
  set_current (self, bytes, analysis);
  return g_steal_pointer (&self);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  ObOvfDocument *doc = ob_ovf_document_load (task_data, cancellable, &error);

  if (doc == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, doc, g_object_unref);
}

void
ob_ovf_document_load_async (GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  /* Make sure class_init (and libxml2's initialisation) ran here, not in
   * the worker. */
  g_type_ensure (OB_TYPE_OVF_DOCUMENT);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_ovf_document_load_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

ObOvfDocument *
ob_ovf_document_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

GFile *
ob_ovf_document_get_file (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), NULL);
  return self->file;
}

ObOvfFormat
ob_ovf_document_get_format (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), OB_OVF_FORMAT_OVF);
  return self->format;
}

const char *
ob_ovf_document_get_ova_member (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), NULL);
  return self->ova_member;
}

const char *
ob_ovf_document_get_name (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), NULL);
  return self->analysis ? self->analysis->name : NULL;
}

const ObCompatVersion *
ob_ovf_document_get_compat_level (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), NULL);
  return self->analysis && self->analysis->level_valid ? &self->analysis->level : NULL;
}

const char *
ob_ovf_document_get_compat_level_text (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), NULL);
  return self->analysis ? self->analysis->level_text : NULL;
}

gboolean
ob_ovf_document_get_compat_level_from_cluster (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), FALSE);
  return self->analysis && self->analysis->level_from_cluster;
}

gboolean
ob_ovf_document_get_balloon_enabled (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), FALSE);
  return self->analysis && self->analysis->balloon_enabled;
}

ObOvfBalloonSource
ob_ovf_document_get_balloon_source (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), OB_OVF_BALLOON_SOURCE_ABSENT);
  return self->analysis ? self->analysis->source : OB_OVF_BALLOON_SOURCE_ABSENT;
}

gboolean
ob_ovf_document_get_device_present (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), FALSE);
  return self->analysis && self->analysis->device_present;
}

gboolean
ob_ovf_document_get_modified (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), FALSE);
  return self->current != NULL && self->saved != NULL && !g_bytes_equal (self->current, self->saved);
}

GBytes *
ob_ovf_document_get_ovf_bytes (ObOvfDocument *self)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), NULL);
  return g_bytes_ref (self->current);
}

const char *
ob_ovf_balloon_source_to_string (ObOvfBalloonSource source)
{
  switch (source)
    {
    case OB_OVF_BALLOON_SOURCE_ELEMENT:
      return "BalloonEnabled";
    case OB_OVF_BALLOON_SOURCE_DEVICE:
      return "device";
    case OB_OVF_BALLOON_SOURCE_ABSENT:
    default:
      return "absent";
    }
}

const char *
ob_ovf_format_to_string (ObOvfFormat format)
{
  return format == OB_OVF_FORMAT_OVA ? "ova" : "ovf";
}

/* ------------------------------------------------------------------ */
/* Edits                                                               */

/* Replaces [from, to) of the current content with @insert and re-reads
 * the result (no libxml2 pass: the inserted text is our own). */
static gboolean
splice (ObOvfDocument  *self,
        gsize           from,
        gsize           to,
        const char     *insert,
        GError        **error)
{
  gsize len = 0;
  const char *buf = g_bytes_get_data (self->current, &len);
  gsize ins = strlen (insert);
  g_autoptr(GBytes) bytes = NULL;
  Analysis *analysis;
  char *out;

  g_return_val_if_fail (from <= to && to <= len, FALSE);

  out = g_malloc (len - (to - from) + ins + 1);
  memcpy (out, buf, from);
  memcpy (out + from, insert, ins);
  memcpy (out + from + ins, buf + to, len - to);
  bytes = g_bytes_new_take (out, len - (to - from) + ins);

  analysis = analyse_bytes (bytes, self->display, FALSE, error);
  if (analysis == NULL)
    return FALSE;
  set_current (self, bytes, analysis);
  return TRUE;
}

static void
append_empty (GString    *s,
              const char *lead,
              const char *qname,
              const char *style)
{
  if (style != NULL)
    g_string_append_printf (s, "%s<%s%s", lead, qname, style);
  else
    g_string_append_printf (s, "%s<%s></%s>", lead, qname, qname);
}

/* The balloon Item as the engine's OvfWriter writes it. */
static char *
build_item (Analysis *a)
{
  GString *s = g_string_new (a->item_lead);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *rasd = g_strdup (a->rasd_prefix ? a->rasd_prefix : "rasd");
  g_autofree char *address = g_strconcat (rasd, ":Address", NULL);
  g_autofree char *nested = g_strconcat (a->child_lead, a->unit, NULL);
  const char *cl = a->child_lead;

  g_string_append_printf (s, "<%s", a->item_qname);
  if (a->rasd_prefix == NULL)
    g_string_append_printf (s, " xmlns:rasd=\"%s\"", RASD_URI);
  g_string_append_c (s, '>');
  g_string_append_printf (s, "%s<%s:ResourceType>0</%s:ResourceType>", cl, rasd, rasd);
  g_string_append_printf (s, "%s<%s:%s>%s</%s:%s>", cl, rasd, a->instance_id, uuid, rasd, a->instance_id);
  g_string_append_printf (s, "%s<Type>balloon</Type>", cl);
  g_string_append_printf (s, "%s<Device>memballoon</Device>", cl);
  append_empty (s, cl, address, a->empty_style);
  g_string_append_printf (s, "%s<BootOrder>0</BootOrder>", cl);
  g_string_append_printf (s, "%s<IsPlugged>true</IsPlugged>", cl);
  g_string_append_printf (s, "%s<IsReadOnly>true</IsReadOnly>", cl);
  append_empty (s, cl, "Alias", a->empty_style);
  g_string_append_printf (s, "%s<SpecParams>%s<model>virtio</model>%s</SpecParams>", cl, nested, cl);
  g_string_append_printf (s, "%s</%s>", cl[0] ? a->item_lead : "", a->item_qname);

  return g_string_free (s, FALSE);
}

static gboolean
add_item (ObOvfDocument  *self,
          GError        **error)
{
  Analysis *a = self->analysis;
  g_autofree char *item = build_item (a);

  if (a->hw_empty)
    {
      /* <Section .../> becomes <Section ...>ITEM</Section>. */
      g_autofree char *text = g_strdup_printf (">%s</%s>", item, a->hw_qname);

      return splice (self, a->hw_slash, a->hw_end, text, error);
    }
  return splice (self, a->insert_at, a->insert_at, item, error);
}

static gboolean
remove_item (ObOvfDocument  *self,
             GError        **error)
{
  const char *buf = g_bytes_get_data (self->current, NULL);
  Span *item = &self->analysis->item;

  /* The Item's own line goes with it. */
  return splice (self, lead_start (buf, item->start), item->end, "", error);
}

static gboolean
set_element (ObOvfDocument  *self,
             gboolean        enabled,
             GError        **error)
{
  Analysis *a = self->analysis;
  const char *value = enabled ? "true" : "false";

  if (a->element.etag_start == a->element.stag_end && a->element.end == a->element.stag_end)
    {
      /* <BalloonEnabled/>: becomes a start and an end tag. */
      g_autofree char *text = g_strdup_printf ("<%s>%s</%s>", a->element_qname, value, a->element_qname);

      return splice (self, a->element.start, a->element.end, text, error);
    }

  return splice (self, a->element.stag_end, a->element.etag_start, value, error);
}

gboolean
ob_ovf_document_set_balloon_enabled (ObOvfDocument  *self,
                                     gboolean        enabled,
                                     gboolean        force,
                                     GError        **error)
{
  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), FALSE);
  g_return_val_if_fail (self->analysis != NULL, FALSE);

  enabled = !!enabled;

  if (enabled && !self->analysis->balloon_enabled && !force)
    {
      g_autoptr(GError) local_error = NULL;

      if (!ob_balloon_policy_check_enable (ob_ovf_document_get_compat_level (self), NULL, &local_error))
        {
          g_set_error (error, OB_ERROR, OB_ERROR_REFUSED, "“%s”: %s", self->display, local_error->message);
          return FALSE;
        }
    }

  if (self->analysis->source == OB_OVF_BALLOON_SOURCE_ELEMENT)
    {
      if (self->analysis->balloon_enabled != enabled && !set_element (self, enabled, error))
        return FALSE;
      /* Engines from 4.4.6 on always keep the device next to the flag. */
      if (!self->analysis->device_present && !add_item (self, error))
        return FALSE;
      return TRUE;
    }

  if (enabled && !self->analysis->device_present)
    return add_item (self, error);
  if (!enabled && self->analysis->device_present)
    return remove_item (self, error);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Saving                                                              */

typedef struct
{
  char *source_path;
  char *dest_path;
  char *member;
  GBytes *bytes;
  ObOvfFormat format;
  gboolean backup;
  gboolean in_place;
  GFile *destination;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_free (job->source_path);
  g_free (job->dest_path);
  g_free (job->member);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_clear_object (&job->destination);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveJob, save_job_free)

/* Returns NULL with @error set, or a job; *nothing_to_do when an in-place
 * save has no change. */
static SaveJob *
save_job_new (ObOvfDocument  *self,
              GFile          *destination,
              gboolean        backup,
              gboolean       *nothing_to_do,
              GError        **error)
{
  g_autoptr(SaveJob) job = g_new0 (SaveJob, 1);

  *nothing_to_do = FALSE;

  if (destination == NULL && self->file == NULL)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_USAGE,
                   _("“%s” has no file to save to; give a destination"), self->display);
      return NULL;
    }

  job->destination = g_object_ref (destination ? destination : self->file);
  job->dest_path = g_file_get_path (job->destination);
  if (job->dest_path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (job->destination);

      g_set_error (error, OB_ERROR, OB_ERROR_IO, _("Cannot write “%s”: not a local file"), uri);
      return NULL;
    }
  job->source_path = self->file ? g_file_get_path (self->file) : NULL;
  job->in_place = self->file != NULL && g_file_equal (job->destination, self->file);
  job->member = g_strdup (self->ova_member);
  job->bytes = g_bytes_ref (self->current);
  job->format = self->format;
  job->backup = backup;

  if (job->format == OB_OVF_FORMAT_OVA && job->source_path == NULL)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_FAILED, _("The original OVA of “%s” is unknown"), self->display);
      return NULL;
    }

  /* An edit that changes nothing writes nothing. */
  if (job->in_place && !ob_ovf_document_get_modified (self))
    *nothing_to_do = TRUE;

  return g_steal_pointer (&job);
}

static gboolean
save_job_run (SaveJob       *job,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(ObAtomicFile) out = NULL;

  if (job->format == OB_OVF_FORMAT_OVF)
    return ob_atomic_file_replace_contents (job->dest_path, job->bytes,
                                            job->in_place ? NULL : job->source_path,
                                            job->backup, error);

  out = ob_atomic_file_new (job->dest_path, job->in_place ? NULL : job->source_path, error);
  if (out == NULL)
    return FALSE;
  if (!ob_ova_archive_write_with_ovf (job->source_path, job->member, job->bytes, out, cancellable, error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return ob_atomic_file_commit (out, job->backup, error);
}

static void
save_job_done (ObOvfDocument *self,
               SaveJob       *job)
{
  gboolean was_modified = ob_ovf_document_get_modified (self);

  g_clear_pointer (&self->saved, g_bytes_unref);
  self->saved = g_bytes_ref (job->bytes);

  if (self->file == NULL || !g_file_equal (self->file, job->destination))
    {
      g_set_object (&self->file, job->destination);
      g_free (self->display);
      self->display = self->format == OB_OVF_FORMAT_OVA
        ? g_strdup_printf ("%s:%s", job->dest_path, self->ova_member)
        : g_strdup (job->dest_path);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
    }
  if (was_modified != ob_ovf_document_get_modified (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

gboolean
ob_ovf_document_save (ObOvfDocument  *self,
                      GFile          *destination,
                      gboolean        backup,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(SaveJob) job = NULL;
  gboolean nothing_to_do;

  g_return_val_if_fail (OB_IS_OVF_DOCUMENT (self), FALSE);
  g_return_val_if_fail (destination == NULL || G_IS_FILE (destination), FALSE);

  job = save_job_new (self, destination, backup, &nothing_to_do, error);
  if (job == NULL)
    return FALSE;
  if (nothing_to_do)
    return TRUE;
  if (!save_job_run (job, cancellable, error))
    return FALSE;

  save_job_done (self, job);
  return TRUE;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (save_job_run (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
save_thread_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  ObOvfDocument *self = g_task_get_source_object (outer);
  GTask *inner = G_TASK (result);
  GError *error = NULL;

  if (!g_task_propagate_boolean (inner, &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  /* Back in the caller's context: the document changes here only. */
  save_job_done (self, g_task_get_task_data (inner));
  g_task_return_boolean (outer, TRUE);
}

void
ob_ovf_document_save_async (ObOvfDocument       *self,
                            GFile               *destination,
                            gboolean             backup,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  GError *error = NULL;
  SaveJob *job;
  gboolean nothing_to_do;

  g_return_if_fail (OB_IS_OVF_DOCUMENT (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, ob_ovf_document_save_async);

  job = save_job_new (self, destination, backup, &nothing_to_do, &error);
  if (job == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  if (nothing_to_do)
    {
      save_job_free (job);
      g_task_return_boolean (outer, TRUE);
      return;
    }

  inner = g_task_new (self, cancellable, save_thread_done, g_object_ref (outer));
  g_task_set_task_data (inner, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (inner, save_thread);
}

gboolean
ob_ovf_document_save_finish (ObOvfDocument  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
