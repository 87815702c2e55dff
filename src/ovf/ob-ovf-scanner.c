/* ob-ovf-scanner.c: the byte scanner behind surgical edits.
 *
 * libxml2 checks the document first (ob-ovf-xml-guard.c); this scanner then
 * records, over the original bytes, where each element of interest starts
 * and ends. It only has to tell markup apart (comments, CDATA, PIs, quoted
 * attribute values), not validate it. Edits splice the original buffer at
 * those offsets, so every other byte stays as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ob-error.h"
#include "ob-ovf-private.h"

gssize
ob_ovf_find_str (const char *buf,
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

/* The offset just after the first @end at or after @from, or 0 when there
 * is none (no valid answer is 0: @end is never empty). */
static gsize
skip_past (const char *buf,
           gsize       len,
           gsize       from,
           const char *end)
{
  gssize e = ob_ovf_find_str (buf, len, from, end);

  return e < 0 ? 0 : (gsize) e + strlen (end);
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
          if ((p = skip_past (buf, len, p + 1, c == '"' ? "\"" : "'")) == 0)
            return -1;
          continue;
        }
      if (c == '>')
        return p;
      p++;
    }
  return -1;
}

/* <!DOCTYPE ...>, possibly with an internal subset holding quoted strings,
 * comments, processing instructions (which may hold "]>") and brackets. */
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
          if ((p = skip_past (buf, len, p + 1, c == '"' ? "\"" : "'")) == 0)
            return -1;
          continue;
        }
      if (has_prefix_at (buf, len, p, "<!--") || has_prefix_at (buf, len, p, "<?"))
        {
          gboolean comment = buf[p + 1] == '!';

          /* "<!-->" does not end a comment: search after its "<!--". */
          if ((p = skip_past (buf, len, p + (comment ? 4 : 2), comment ? "-->" : "?>")) == 0)
            return -1;
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

/* Only these are looked at; skipping the rest keeps the span array small
 * (its size is what bounds the memory a load takes). */
gboolean
ob_ovf_element_of_interest (guint       depth,
                            const char *qname,
                            gsize       len)
{
  switch (depth)
    {
    case 0:
      return TRUE;
    case 1:
      return ob_ovf_qname_local_is (qname, len, "Content") ||
             ob_ovf_qname_local_is (qname, len, "VirtualSystem") ||
             ob_ovf_qname_local_is (qname, len, "VirtualSystemCollection");
    case 2:
      return ob_ovf_qname_local_is (qname, len, "Name") ||
             ob_ovf_qname_local_is (qname, len, "VirtualSystem") ||
             ob_ovf_qname_local_is (qname, len, "ClusterCompatibilityVersion") ||
             ob_ovf_qname_local_is (qname, len, "BalloonEnabled") ||
             ob_ovf_qname_local_is (qname, len, "EngineXml") ||
             ob_ovf_qname_local_is (qname, len, "Section") ||
             ob_ovf_qname_local_is (qname, len, "VirtualHardwareSection");
    case 3:
      /* Every child of the hardware section: a new Item goes after the last. */
      return TRUE;
    case MAX_RECORDED_DEPTH:
      return ob_ovf_qname_local_is (qname, len, "ResourceType") ||
             ob_ovf_qname_local_is (qname, len, "Type") ||
             ob_ovf_qname_local_is (qname, len, "Device") ||
             ob_ovf_qname_local_is (qname, len, "InstanceId") ||
             ob_ovf_qname_local_is (qname, len, "InstanceID");
    default:
      return FALSE;
    }
}

guint
ob_ovf_span_depth (ObOvfScan *scan,
                   int        index)
{
  guint depth = 0;

  for (int p = OB_OVF_SPAN (scan, index)->parent; p >= 0; p = OB_OVF_SPAN (scan, p)->parent)
    depth++;
  return depth;
}

gboolean
ob_ovf_scan_markup (ObOvfScan   *scan,
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
          e = ob_ovf_find_str (buf, len, p + 4, "-->");
          if (e < 0)
            goto bad;
          p = e + 3;
        }
      else if (has_prefix_at (buf, len, p, "<![CDATA["))
        {
          e = ob_ovf_find_str (buf, len, p + 9, "]]>");
          if (e < 0)
            goto bad;
          p = e + 3;
        }
      else if (has_prefix_at (buf, len, p, "<?"))
        {
          e = ob_ovf_find_str (buf, len, p + 2, "?>");
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
          ObOvfSpan *s;
          int top;

          e = find_tag_end (buf, len, p + 2);
          if (e < 0 || stack->len == 0)
            goto bad;
          top = g_array_index (stack, int, stack->len - 1);
          g_array_set_size (stack, stack->len - 1);
          if (top >= 0)
            {
              s = OB_OVF_SPAN (scan, top);
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
          ObOvfSpan span = { 0, };
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

          /* Of an Item's children, the first one is kept too: its
           * indentation is the one a new Item's children get. */
          if (stack->len <= MAX_RECORDED_DEPTH && (stack->len == 0 || parent >= 0) &&
              (ob_ovf_element_of_interest (stack->len, buf + p + 1, n - p - 1) ||
               (stack->len == MAX_RECORDED_DEPTH && OB_OVF_SPAN (scan, parent)->first_child < 0)))
            {
              if (scan->spans->len >= OB_OVF_MAX_SPANS)
                {
                  g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                               _("“%s” has more than %u elements where the VM’s settings and devices are "
                                 "looked for; no real OVF has that many, so it is refused"),
                               display, (guint) OB_OVF_MAX_SPANS);
                  return FALSE;
                }
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
                  ObOvfSpan *ps = OB_OVF_SPAN (scan, parent);

                  if (ps->last_child >= 0)
                    OB_OVF_SPAN (scan, ps->last_child)->next_sibling = index;
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

const char *
ob_ovf_span_qname (ObOvfScan *scan,
                   int        index,
                   gsize     *len)
{
  ObOvfSpan *s = OB_OVF_SPAN (scan, index);

  *len = s->name_len;
  return scan->buf + s->start + 1;
}

gboolean
ob_ovf_qname_local_is (const char *qname,
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

gboolean
ob_ovf_span_is (ObOvfScan  *scan,
                int         index,
                const char *local)
{
  gsize len;
  const char *q = ob_ovf_span_qname (scan, index, &len);

  return ob_ovf_qname_local_is (q, len, local);
}

int
ob_ovf_find_child (ObOvfScan  *scan,
                   int         parent,
                   const char *local)
{
  int c;

  for (c = OB_OVF_SPAN (scan, parent)->first_child; c >= 0; c = OB_OVF_SPAN (scan, c)->next_sibling)
    if (ob_ovf_span_is (scan, c, local))
      return c;
  return -1;
}

guint
ob_ovf_line_of (ObOvfScan *scan,
                gsize      offset)
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
              e = ob_ovf_find_str (buf, to, p + 9, "]]>");
              if (e < 0)
                break;
              g_string_append_len (out, buf + p + 9, e - (p + 9));
              p = e + 3;
              continue;
            }
          if (has_prefix_at (buf, to, p, "<!--"))
            {
              e = ob_ovf_find_str (buf, to, p + 4, "-->");
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

char *
ob_ovf_span_text (ObOvfScan *scan,
                  int        index)
{
  ObOvfSpan *s = OB_OVF_SPAN (scan, index);
  g_autofree char *raw = decode_text (scan->buf, s->stag_end, s->etag_start);

  return g_utf8_make_valid (raw, -1);
}

/* Compares the trimmed text with @expected without allocating in the
 * common case: this runs for every child of every device Item. */
gboolean
ob_ovf_span_text_equals (ObOvfScan  *scan,
                         int         index,
                         const char *expected)
{
  ObOvfSpan *s = OB_OVF_SPAN (scan, index);
  gsize a = s->stag_end;
  gsize b = s->etag_start;
  gsize n = strlen (expected);

  while (a < b && g_ascii_isspace (scan->buf[a]))
    a++;
  while (b > a && g_ascii_isspace (scan->buf[b - 1]))
    b--;

  if (memchr (scan->buf + a, '&', b - a) != NULL || memchr (scan->buf + a, '<', b - a) != NULL)
    {
      g_autofree char *text = ob_ovf_span_text (scan, index);

      return strcmp (g_strstrip (text), expected) == 0;
    }
  return b - a == n && memcmp (scan->buf + a, expected, n) == 0;
}

/* The attributes of a start tag as name, value pairs (values decoded). */
GPtrArray *
ob_ovf_span_attributes (ObOvfScan *scan,
                        int        index)
{
  ObOvfSpan *s = OB_OVF_SPAN (scan, index);
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

const char *
ob_ovf_attr_lookup (GPtrArray  *attrs,
                    const char *name)
{
  guint i;

  for (i = 0; i + 1 < attrs->len; i += 2)
    if (strcmp (g_ptr_array_index (attrs, i), name) == 0)
      return g_ptr_array_index (attrs, i + 1);
  return NULL;
}

const char *
ob_ovf_attr_lookup_local (GPtrArray  *attrs,
                          const char *local)
{
  guint i;

  for (i = 0; i + 1 < attrs->len; i += 2)
    {
      const char *name = g_ptr_array_index (attrs, i);

      if (ob_ovf_qname_local_is (name, strlen (name), local) && !g_str_has_prefix (name, "xmlns"))
        return g_ptr_array_index (attrs, i + 1);
    }
  return NULL;
}

gboolean
ob_ovf_is_ovf_uri (const char *uri)
{
  return uri != NULL && (strcmp (uri, OVF_URI) == 0 || strcmp (uri, OVF_URI "/") == 0);
}

char *
ob_ovf_root_namespace (ObOvfScan *scan)
{
  g_autoptr(GPtrArray) attrs = ob_ovf_span_attributes (scan, 0);
  g_autofree char *xmlns_name = NULL;
  gsize qlen;
  const char *q = ob_ovf_span_qname (scan, 0, &qlen);
  const char *colon = memchr (q, ':', qlen);

  if (colon != NULL)
    xmlns_name = g_strdup_printf ("xmlns:%.*s", (int) (colon - q), q);
  else
    xmlns_name = g_strdup ("xmlns");
  return g_strdup (ob_ovf_attr_lookup (attrs, xmlns_name));
}

/* "\n    " before the element at @offset: the line break and indentation
 * that precede it, or "" when something else is on its line. */
gsize
ob_ovf_lead_start (const char *buf,
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

char *
ob_ovf_lead_before (const char *buf,
                    gsize       offset)
{
  gsize s = ob_ovf_lead_start (buf, offset);

  return g_strndup (buf + s, offset - s);
}
