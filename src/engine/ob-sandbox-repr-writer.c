/* ob-sandbox-repr-writer.c: writing representations (see ob-sandbox-repr.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "ob-error.h"
#include "ob-sandbox-repr.h"

#define MAX_DEPTH 32

typedef enum
{
  FRAME_OBJECT,
  FRAME_LIST,
} FrameType;

typedef struct
{
  FrameType   type;
  const char *name;        /* element name (XML) or list key (JSON); a literal */
  gboolean    has_children;
  gsize       tag_end;     /* XML: offset of the start tag's '>' */
} Frame;

struct _ObReprWriter
{
  ObReprFormat format;
  char        *buf;        /* the document; NUL-terminated */
  gsize        len;
  gsize        cap;
  Frame        frames[MAX_DEPTH];
  int          depth;      /* number of open frames */
  int          indent;     /* JSON: open objects; XML: open elements */
};

static const char spaces[] = "                                                                "
                             "                                                                ";

/* Pages for huge-page advice: a 10,000-VM list is tens of MiB, and
 * touching that many fresh 4 KiB pages costs more than writing it. */
#define HUGE_PAGE ((gsize) 2 * 1024 * 1024)

static void
advise_huge_pages (char  *p,
                   gsize  size)
{
#ifdef MADV_HUGEPAGE
  guintptr start = ((guintptr) p + HUGE_PAGE - 1) & ~(guintptr) (HUGE_PAGE - 1);
  guintptr end = ((guintptr) p + size) & ~(guintptr) (HUGE_PAGE - 1);

  if (end > start)
    madvise ((void *) start, end - start, MADV_HUGEPAGE);
#endif
}

static void
out_grow (ObReprWriter *w,
          gsize         more)
{
  gsize want = w->len + more + 1;
  gsize cap = MAX (w->cap, 256);

  while (cap < want)
    cap *= 2;
  w->buf = g_realloc (w->buf, cap);
  w->cap = cap;
  if (cap >= 2 * HUGE_PAGE)
    advise_huge_pages (w->buf, cap);
}

static inline void
out_len (ObReprWriter *w,
         const char   *s,
         gsize         n)
{
  if (G_UNLIKELY (w->len + n + 1 > w->cap))
    out_grow (w, n);
  memcpy (w->buf + w->len, s, n);
  w->len += n;
  w->buf[w->len] = '\0';
}

static inline void
out_str (ObReprWriter *w,
         const char   *s)
{
  out_len (w, s, strlen (s));
}

static inline void
out_c (ObReprWriter *w,
       char          c)
{
  out_len (w, &c, 1);
}

static void
append_indent (ObReprWriter *w,
               int           unit)
{
  gsize n = (gsize) (w->indent * unit);

  while (n > 0)
    {
      gsize chunk = MIN (n, sizeof spaces - 1);

      out_len (w, spaces, (gssize) chunk);
      n -= chunk;
    }
}

static void
append_json_string (ObReprWriter *w,
                    const char *s)
{
  const char *p = s;

  out_c (w, '"');
  while (*p)
    {
      const char *run = p;

      while (*p && *p != '"' && *p != '\\' && (guchar) *p >= 0x20)
        p++;
      if (p > run)
        out_len (w, run, p - run);
      if (*p == '\0')
        break;
      switch (*p)
        {
        case '"': out_str (w, "\\\""); break;
        case '\\': out_str (w, "\\\\"); break;
        case '\n': out_str (w, "\\n"); break;
        case '\r': out_str (w, "\\r"); break;
        case '\t': out_str (w, "\\t"); break;
        default:
          {
            char esc[8];

            g_snprintf (esc, sizeof esc, "\\u%04x", (guchar) *p);
            out_str (w, esc);
          }
          break;
        }
      p++;
    }
  out_c (w, '"');
}

/* Member names are identifiers from this program, never user data, so
 * they need no escaping. */
static void
append_json_key (ObReprWriter *w,
                 const char *name)
{
  out_c (w, '"');
  out_str (w, name);
  out_str (w, "\" : ");
}

static void
append_xml_escaped (ObReprWriter *w,
                    const char *s)
{
  const char *p = s;

  while (*p)
    {
      const char *run = p;

      while (*p && *p != '&' && *p != '<' && *p != '>' && *p != '"')
        p++;
      if (p > run)
        out_len (w, run, p - run);
      if (*p == '\0')
        break;
      switch (*p)
        {
        case '&': out_str (w, "&amp;"); break;
        case '<': out_str (w, "&lt;"); break;
        case '>': out_str (w, "&gt;"); break;
        default: out_str (w, "&quot;"); break;
        }
      p++;
    }
}

ObReprWriter *
ob_repr_writer_new (ObReprFormat format,
                    gsize        size_hint)
{
  ObReprWriter *w = g_new0 (ObReprWriter, 1);

  w->format = format;
  out_grow (w, MAX (size_hint, 256));
  if (format == OB_REPR_XML)
    out_str (w, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>");
  return w;
}

ObReprFormat
ob_repr_writer_get_format (ObReprWriter *w)
{
  return w->format;
}

GBytes *
ob_repr_writer_free_to_bytes (ObReprWriter *w)
{
  GBytes *bytes;

  g_warn_if_fail (w->depth == 0);
  out_c (w, '\n');
  bytes = g_bytes_new_take (w->buf, w->len);
  g_free (w);
  return bytes;
}

void
ob_repr_writer_free (ObReprWriter *w)
{
  if (w == NULL)
    return;
  g_free (w->buf);
  g_free (w);
}

static Frame *
top (ObReprWriter *w)
{
  return w->depth > 0 ? &w->frames[w->depth - 1] : NULL;
}

static Frame *
push (ObReprWriter *w,
      FrameType     type,
      const char   *name)
{
  Frame *f;

  g_return_val_if_fail (w->depth < MAX_DEPTH, &w->frames[MAX_DEPTH - 1]);
  f = &w->frames[w->depth++];
  f->type = type;
  f->name = name;
  f->has_children = FALSE;
  f->tag_end = 0;
  return f;
}

static void json_open_list_item (ObReprWriter *w, Frame *list);

/* JSON: the separator, indent and key of a new member of the current
 * object, or the separator of a new array item. */
static void
json_member (ObReprWriter *w,
             const char   *name)
{
  Frame *f = top (w);

  if (f == NULL)
    return;
  if (f->type == FRAME_LIST)
    {
      json_open_list_item (w, f);
      return;
    }
  out_str (w, f->has_children ? ",\n" : "\n");
  f->has_children = TRUE;
  append_indent (w, 2);
  append_json_key (w, name);
}

/* Lists write their key lazily, so an empty list writes nothing. */
static void
json_open_list_item (ObReprWriter *w,
                     Frame        *list)
{
  if (!list->has_children)
    {
      Frame *parent;

      /* Temporarily pop to write the key in the parent object. */
      w->depth--;
      parent = top (w);
      if (parent != NULL)
        {
          out_str (w, parent->has_children ? ",\n" : "\n");
          parent->has_children = TRUE;
          append_indent (w, 2);
          append_json_key (w, list->name);
          out_str (w, "[ ");
        }
      else
        out_str (w, "[ ");
      w->depth++;
      list->has_children = TRUE;
    }
  else
    out_str (w, ", ");
}

static void
xml_child_start (ObReprWriter *w)
{
  Frame *f;

  /* Lists are transparent in XML: mark the enclosing element. */
  for (int i = w->depth - 1; i >= 0; i--)
    {
      f = &w->frames[i];
      f->has_children = TRUE;
      if (f->type == FRAME_OBJECT)
        break;
    }
  out_c (w, '\n');
  append_indent (w, 4);
}

static void
xml_attr (ObReprWriter *w,
          const char   *name,
          const char   *value)
{
  if (value == NULL)
    return;
  out_c (w, ' ');
  out_str (w, name);
  out_str (w, "=\"");
  append_xml_escaped (w, value);
  out_c (w, '"');
}

void
ob_repr_begin (ObReprWriter *w,
               const char   *name,
               const char   *href,
               const char   *id)
{
  Frame *f;

  if (w->format == OB_REPR_JSON)
    {
      json_member (w, name);
      out_c (w, '{');
      push (w, FRAME_OBJECT, name);
      w->indent++;
      return;
    }

  if (w->depth > 0 || w->len > 0)
    xml_child_start (w);
  out_c (w, '<');
  out_str (w, name);
  xml_attr (w, "href", href);
  xml_attr (w, "id", id);
  out_c (w, '>');
  f = push (w, FRAME_OBJECT, name);
  f->tag_end = w->len - 1;
  w->indent++;
}

void
ob_repr_end (ObReprWriter *w)
{
  Frame *f = top (w);

  g_return_if_fail (f != NULL && f->type == FRAME_OBJECT);
  w->indent--;
  w->depth--;

  if (w->format == OB_REPR_JSON)
    {
      if (!f->has_children)
        out_str (w, " }");
      else
        {
          out_c (w, '\n');
          append_indent (w, 2);
          out_c (w, '}');
        }
      return;
    }

  if (!f->has_children)
    {
      w->len = f->tag_end;
      w->buf[w->len] = '\0';
      out_str (w, "/>");
    }
  else
    {
      out_c (w, '\n');
      append_indent (w, 4);
      out_str (w, "</");
      out_str (w, f->name);
      out_c (w, '>');
    }
}

void
ob_repr_identity (ObReprWriter *w,
                  const char   *href,
                  const char   *id)
{
  if (w->format != OB_REPR_JSON)
    return;
  if (href != NULL)
    ob_repr_string (w, "href", href);
  if (id != NULL)
    ob_repr_string (w, "id", id);
}

void
ob_repr_begin_list (ObReprWriter *w,
                    const char   *name)
{
  if (w->format == OB_REPR_JSON)
    push (w, FRAME_LIST, name);
}

void
ob_repr_end_list (ObReprWriter *w)
{
  Frame *f;

  if (w->format != OB_REPR_JSON)
    return;
  f = top (w);
  g_return_if_fail (f != NULL && f->type == FRAME_LIST);
  w->depth--;
  if (f->has_children)
    out_str (w, " ]");
}

void
ob_repr_begin_collection (ObReprWriter *w,
                          const char   *plural,
                          const char   *singular)
{
  ob_repr_begin (w, plural, NULL, NULL);
  ob_repr_begin_list (w, singular);
}

void
ob_repr_end_collection (ObReprWriter *w)
{
  ob_repr_end_list (w);
  ob_repr_end (w);
}

static void
leaf (ObReprWriter *w,
      const char   *name,
      const char   *text,
      gboolean      json_quoted)
{
  if (w->format == OB_REPR_JSON)
    {
      json_member (w, name);
      if (json_quoted)
        append_json_string (w, text);
      else
        out_str (w, text);
      return;
    }

  xml_child_start (w);
  out_c (w, '<');
  out_str (w, name);
  out_c (w, '>');
  append_xml_escaped (w, text);
  out_str (w, "</");
  out_str (w, name);
  out_c (w, '>');
}

void
ob_repr_string (ObReprWriter *w,
                const char   *name,
                const char   *value)
{
  if (value != NULL)
    leaf (w, name, value, TRUE);
}

void
ob_repr_bool (ObReprWriter *w,
              const char   *name,
              gboolean      value)
{
  /* The engine's JSON writes booleans as strings too. */
  leaf (w, name, value ? "true" : "false", TRUE);
}

void
ob_repr_int (ObReprWriter *w,
             const char   *name,
             gint64        value)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  leaf (w, name, buf, TRUE);
}

void
ob_repr_date (ObReprWriter *w,
              const char   *name,
              gint64        epoch_ms)
{
  char buf[64];
  char head[40];
  time_t seconds;
  struct tm tm;
  long offset;

  if (w->format == OB_REPR_JSON)
    {
      g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, epoch_ms);
      leaf (w, name, buf, FALSE);
      return;
    }

  /* localtime_r rather than GDateTime: a list writes thousands of dates. */
  seconds = (time_t) (epoch_ms / 1000);
  if (localtime_r (&seconds, &tm) == NULL ||
      strftime (head, sizeof head, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
    return;
  offset = tm.tm_gmtoff / 60;
  g_snprintf (buf, sizeof buf, "%s.%03d%c%02ld:%02ld", head, (int) (epoch_ms % 1000),
              offset < 0 ? '-' : '+', labs (offset) / 60, labs (offset) % 60);
  leaf (w, name, buf, FALSE);
}

void
ob_repr_ref (ObReprWriter *w,
             const char   *name,
             const char   *href,
             const char   *id)
{
  ob_repr_begin (w, name, href, id);
  ob_repr_identity (w, href, id);
  ob_repr_end (w);
}

void
ob_repr_link (ObReprWriter *w,
              const char   *href,
              const char   *rel)
{
  if (w->format == OB_REPR_JSON)
    {
      ob_repr_begin (w, "link", NULL, NULL);
      ob_repr_string (w, "href", href);
      ob_repr_string (w, "rel", rel);
      ob_repr_end (w);
      return;
    }

  xml_child_start (w);
  out_str (w, "<link");
  xml_attr (w, "href", href);
  xml_attr (w, "rel", rel);
  out_str (w, "/>");
}
