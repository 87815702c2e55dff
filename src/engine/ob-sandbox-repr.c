/* ob-sandbox-repr.c
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

/* ---- reading ---- */

static JsonNode *xml_element_to_node (xmlNode *element, int depth);

static JsonObject *
xml_element_to_object (xmlNode *element,
                       int      depth)
{
  JsonObject *obj = json_object_new ();

  for (xmlAttr *attr = element->properties; attr != NULL; attr = attr->next)
    {
      xmlChar *value = xmlNodeGetContent ((xmlNode *) attr);

      json_object_set_string_member (obj, (const char *) attr->name,
                                     value ? (const char *) value : "");
      xmlFree (value);
    }

  for (xmlNode *child = element->children; child != NULL; child = child->next)
    {
      const char *name;
      JsonNode *node;

      if (child->type != XML_ELEMENT_NODE)
        continue;
      name = (const char *) child->name;
      node = xml_element_to_node (child, depth + 1);
      if (json_object_has_member (obj, name))
        {
          JsonNode *existing = json_object_get_member (obj, name);

          /* Repeated elements become an array, as in the JSON form. */
          if (JSON_NODE_HOLDS_ARRAY (existing))
            json_array_add_element (json_node_get_array (existing), node);
          else
            {
              JsonArray *array = json_array_new ();

              json_array_add_element (array, json_node_copy (existing));
              json_array_add_element (array, node);
              json_object_set_array_member (obj, name, array);
            }
        }
      else
        json_object_set_member (obj, name, node);
    }
  return obj;
}

static gboolean
has_element_children (xmlNode *element)
{
  for (xmlNode *child = element->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE)
      return TRUE;
  return FALSE;
}

static JsonNode *
xml_element_to_node (xmlNode *element,
                     int      depth)
{
  JsonNode *node;

  if (depth < MAX_DEPTH && (has_element_children (element) || element->properties != NULL))
    {
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, xml_element_to_object (element, depth));
    }
  else
    {
      xmlChar *text = xmlNodeGetContent (element);

      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, text ? (const char *) text : "");
      xmlFree (text);
    }
  return node;
}

static gboolean
looks_like_json (const char  *data,
                 gsize        length,
                 const char  *content_type)
{
  if (content_type != NULL && strstr (content_type, "json") != NULL)
    return TRUE;
  if (content_type != NULL && strstr (content_type, "xml") != NULL)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (data[i]))
      return data[i] == '{' || data[i] == '[';
  return FALSE;
}

JsonObject *
ob_repr_parse_body (const char  *data,
                    gsize        length,
                    const char  *content_type,
                    char       **root_name,
                    GError     **error)
{
  if (root_name != NULL)
    *root_name = NULL;

  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, OB_ERROR, OB_ERROR_BAD_INPUT, _("The request body is empty."));
      return NULL;
    }

  if (length > G_MAXINT)
    {
      g_set_error_literal (error, OB_ERROR, OB_ERROR_BAD_INPUT, _("The request body is too large."));
      return NULL;
    }

  if (looks_like_json (data, length, content_type))
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GError) local_error = NULL;
      JsonNode *root;

      if (!g_utf8_validate (data, (gssize) length, NULL))
        {
          g_set_error_literal (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                               _("The request body is not valid UTF-8."));
          return NULL;
        }
      if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
        {
          g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT, "%s", local_error->message);
          return NULL;
        }
      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error_literal (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                               _("The request body must be a JSON object."));
          return NULL;
        }
      return json_object_ref (json_node_get_object (root));
    }
  else
    {
      xmlDoc *doc;
      xmlNode *root;
      JsonObject *obj;

      /* No network, no entity substitution, no DTD loading. */
      doc = xmlReadMemory (data, (int) length, NULL, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
      if (doc == NULL)
        {
          const xmlError *xerr = xmlGetLastError ();
          g_autofree char *msg = g_strdup (xerr && xerr->message ? xerr->message
                                                                 : "unknown error");

          g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT, _("Malformed XML: %s"),
                       g_strstrip (msg));
          return NULL;
        }
      root = xmlDocGetRootElement (doc);
      if (root == NULL)
        {
          xmlFreeDoc (doc);
          g_set_error_literal (error, OB_ERROR, OB_ERROR_BAD_INPUT, _("Malformed XML: no root element"));
          return NULL;
        }
      obj = xml_element_to_object (root, 0);
      if (root_name != NULL)
        *root_name = g_strdup ((const char *) root->name);
      xmlFreeDoc (doc);
      return obj;
    }
}

static JsonNode *
lookup (JsonObject *body,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  JsonObject *obj = body;
  JsonNode *node = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (obj == NULL || !json_object_has_member (obj, parts[i]))
        return NULL;
      node = json_object_get_member (obj, parts[i]);
      obj = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }
  return node;
}

gboolean
ob_repr_has_member (JsonObject *body,
                    const char *path)
{
  return lookup (body, path) != NULL;
}

gboolean
ob_repr_parse_boolean (const char *text,
                       gboolean   *value)
{
  if (g_ascii_strcasecmp (text, "true") == 0 || g_strcmp0 (text, "1") == 0)
    *value = TRUE;
  else if (g_ascii_strcasecmp (text, "false") == 0 || g_strcmp0 (text, "0") == 0)
    *value = FALSE;
  else
    return FALSE;
  return TRUE;
}

static char *
node_text (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return json_to_string (node, FALSE);
}

gboolean
ob_repr_get_bool (JsonObject  *body,
                  const char  *path,
                  gboolean    *value,
                  GError     **error)
{
  JsonNode *node = lookup (body, path);
  g_autofree char *text = NULL;

  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      *value = json_node_get_boolean (node);
      return TRUE;
    }
  text = node_text (node);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
      ob_repr_parse_boolean (text, value))
    return TRUE;

  /* Wording of the engine's BooleanParser. */
  g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
               _("Value \"%s\" isn't a valid boolean, it should be \"true\" or \"false\"."),
               text);
  return FALSE;
}

gboolean
ob_repr_get_int (JsonObject  *body,
                 const char  *path,
                 gint64      *value,
                 GError     **error)
{
  JsonNode *node = lookup (body, path);
  g_autofree char *text = NULL;

  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }
  text = node_text (node);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      gint64 v;

      if (g_ascii_string_to_signed (g_strstrip (text), 10, G_MININT64, G_MAXINT64, &v, NULL))
        {
          *value = v;
          return TRUE;
        }
    }

  g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
               _("Value \"%s\" isn't a valid integer."), text);
  return FALSE;
}

const char *
ob_repr_get_string (JsonObject *body,
                    const char *path)
{
  JsonNode *node = lookup (body, path);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}
