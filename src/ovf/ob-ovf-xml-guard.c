/* ob-ovf-xml-guard.c: the libxml2 pass over an OVF.
 *
 * A SAX parser that builds nothing checks well-formedness, refuses DTDs
 * that declare entities or name an external subset, and gives the line of
 * an error. It never expands entities and never touches the network.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "ob-error.h"
#include "ob-ovf-private.h"

#define PARSE_CHUNK (1024 * 1024)

typedef struct
{
  xmlParserCtxtPtr ctxt;
  char *message;
  int line;
  char *premature;       /* "Premature end of data" says more than what came first */
  int premature_line;
  gboolean not_xml;      /* no markup where the document should start */

  ObOvfXmlView *view;
  guint depth;
  gboolean looked_at[MAX_RECORDED_DEPTH + 1];
} SaxState;

void
ob_ovf_xml_view_free (ObOvfXmlView *view)
{
  if (view == NULL)
    return;
  g_array_unref (view->marks);
  g_free (view->root_uri);
  g_free (view);
}

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

/* A default from the DTD is an attribute the bytes do not show: readers
 * that apply it (DOM parsers do) and the byte scanner would disagree on a
 * namespace or a section type. OVFs never need one. */
static void
sax_attribute_decl (void           *ctx,
                    const xmlChar  *elem,
                    const xmlChar  *fullname,
                    int             type,
                    int             def,
                    const xmlChar  *default_value,
                    xmlEnumerationPtr tree)
{
  SaxState *state = ctx;

  if (tree != NULL)
    xmlFreeEnumeration (tree);
  if (default_value != NULL)
    sax_refuse (state, g_strdup_printf (_("the DTD gives the attribute “%s” of “%s” a default value, which "
                                          "XML readers apply differently; refused"),
                                        (const char *) fullname, (const char *) elem));
}

/* The elements the reader looks at, as libxml2 sees them: where each start
 * tag ends. At this callback the parser stands on the tag's '>' (or the '/'
 * of "/>"). */
static void
sax_start_element (void           *ctx,
                   const xmlChar  *localname,
                   const xmlChar  *prefix,
                   const xmlChar  *uri,
                   int             nb_namespaces,
                   const xmlChar **namespaces,
                   int             nb_attributes,
                   int             nb_defaulted,
                   const xmlChar **attributes)
{
  SaxState *state = ctx;
  guint depth = state->depth++;
  gboolean parent_looked_at = depth == 0 || (depth - 1 < MAX_RECORDED_DEPTH && state->looked_at[depth - 1]);
  gboolean look;

  if (depth == 0)
    state->view->root_uri = g_strdup ((const char *) uri);
  if (depth > MAX_RECORDED_DEPTH)
    return;
  look = parent_looked_at &&
         ob_ovf_element_of_interest (depth, (const char *) localname, strlen ((const char *) localname));
  state->looked_at[depth] = look;
  if (look)
    {
      long at = xmlByteConsumed (state->ctxt);

      if (at < 0 || at > G_MAXUINT32)
        sax_refuse (state, g_strdup (_("the parser lost track of its position")));
      else
        {
          guint32 mark = (guint32) at;

          g_array_append_val (state->view->marks, mark);
        }
    }
}

static void
sax_end_element (void          *ctx,
                 const xmlChar *localname,
                 const xmlChar *prefix,
                 const xmlChar *uri)
{
  SaxState *state = ctx;

  if (state->depth > 0)
    state->depth--;
}

/* libxml2's messages ("Document is empty", "Opening and ending tag
 * mismatch: a line 3 and Envelope") in words a user follows. */
static char *
plain_xml_error (xmlErrorPtr err)
{
  switch (err->code)
    {
    case XML_ERR_TAG_NAME_MISMATCH:
      if (err->str1 != NULL && err->str2 != NULL)
        /* Translators: an XML element opened by one tag and closed by another */
        return g_strdup_printf (_("the element <%s> opened on line %d is closed by </%s>"),
                                err->str1, err->int1, err->str2);
      return g_strdup (_("an end tag does not match the element it closes"));
    case XML_ERR_GT_REQUIRED:
    case XML_ERR_LTSLASH_REQUIRED:
      return g_strdup (_("a tag is not closed with “>”"));
    case XML_ERR_INVALID_CHAR:
    case XML_ERR_INVALID_ENCODING:
    case XML_ERR_INVALID_CHARREF:
    case XML_ERR_INVALID_DEC_CHARREF:
    case XML_ERR_INVALID_HEX_CHARREF:
      return g_strdup (_("a character here is not allowed in an OVF: the file is damaged, binary, or not in "
                         "the encoding it declares"));
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
      if (err->str1 != NULL)
        return g_strdup_printf (_("“&%s;” is not a known character name such as “&amp;”"), err->str1);
      return g_strdup (_("a “&” does not start a known character name such as “&amp;”"));
    case XML_ERR_ENTITYREF_SEMICOL_MISSING:
    case XML_ERR_ENTITYREF_NO_NAME:
      return g_strdup (_("a “&” does not start a known character name such as “&amp;”"));
    case XML_ERR_ATTRIBUTE_REDEFINED:
      return g_strdup (_("an element has the same attribute twice"));
    case XML_ERR_ATTRIBUTE_NOT_STARTED:
    case XML_ERR_ATTRIBUTE_NOT_FINISHED:
    case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
    case XML_ERR_STRING_NOT_STARTED:
    case XML_ERR_STRING_NOT_CLOSED:
    case XML_ERR_LT_IN_ATTRIBUTE:
    case XML_ERR_EQUAL_REQUIRED:
      return g_strdup (_("an attribute is not written as name=\"value\""));
    case XML_ERR_COMMENT_NOT_FINISHED:
      return g_strdup (_("a comment is not closed with “-->”"));
    case XML_ERR_EXTRA_CONTENT:
    case XML_ERR_DOCUMENT_END:
      return g_strdup (_("more follows after the end of the document's outermost element"));
    case XML_NS_ERR_UNDEFINED_NAMESPACE:
      return g_strdup (_("a name uses a prefix (the part before “:”) that is not declared"));
    default:
      return g_strdup (_("the markup here is broken (not well-formed XML)"));
    }
}

/* Whether the start of @buf looks like a binary file rather than text. */
static gboolean
looks_binary (const char *buf,
              gsize       len)
{
  gsize n = MIN (len, 512);
  const char *end = NULL;

  if (memchr (buf, '\0', n) != NULL)
    return TRUE;
  /* A character cut at the end of the sample is still text. */
  return !g_utf8_validate (buf, (gssize) n, &end) && (gsize) (end - buf) + 4 < n;
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
  /* libxml2's own words for its size limits ("Huge input lookup",
   * "AttValue length too long") say nothing to a user. */
  if (err->message != NULL &&
      (strstr (err->message, "Huge input lookup") != NULL || strstr (err->message, "too long") != NULL ||
       strstr (err->message, "huge") != NULL))
    state->message = g_strdup (_("an attribute value, a name or a text is over 10 MB, more than the XML "
                                 "parser accepts in one piece (no real OVF has that); refused"));
  else
    {
      /* Text or bytes where the first "<" should be. */
      state->not_xml = err->code == XML_ERR_DOCUMENT_EMPTY || err->code == XML_ERR_DOCUMENT_START;
      state->message = plain_xml_error (err);
    }
  state->line = err->line;
}

/* Edits splice bytes, and the scanner reads markup as ASCII bytes: only
 * encodings where every ASCII character is that one byte, and no byte of a
 * multi-byte character is ASCII, are read. */
static gboolean
encoding_supported (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  static const char *const exact[] = { "utf-8", "utf8", "us-ascii", "ascii", NULL };
  static const char *const prefixes[] = { "iso-8859-", "iso8859-", "iso_8859-", "latin", "windows-125", "cp125", NULL };

  if (g_strv_contains (exact, lower))
    return TRUE;
  for (guint i = 0; prefixes[i] != NULL; i++)
    if (g_str_has_prefix (lower, prefixes[i]))
      return TRUE;
  return FALSE;
}

ObOvfXmlView *
ob_ovf_check_xml (const char  *buf,
                  gsize        len,
                  const char  *display,
                  GError     **error)
{
  g_autoptr(ObOvfXmlView) view = g_new0 (ObOvfXmlView, 1);
  xmlSAXHandler sax;
  SaxState state = { NULL, NULL, 0 };
  xmlParserCtxtPtr ctxt;
  gboolean well_formed;
  gsize p;

  memset (&sax, 0, sizeof sax);
  sax.initialized = XML_SAX2_MAGIC;
  sax.internalSubset = sax_internal_subset;
  sax.entityDecl = sax_entity_decl;
  sax.attributeDecl = sax_attribute_decl;
  sax.serror = sax_structured_error;
  sax.startElementNs = sax_start_element;
  sax.endElementNs = sax_end_element;
  view->marks = g_array_new (FALSE, FALSE, sizeof (guint32));
  state.view = view;

  /* No tree is built: the element callbacks only note offsets. No
   * XML_PARSE_NOENT (entities stay unexpanded), no DTD loading, no
   * network. */
  ctxt = xmlCreatePushParserCtxt (&sax, &state, NULL, 0, display);
  if (ctxt == NULL)
    {
      g_set_error (error, OB_ERROR, OB_ERROR_FAILED, _("Cannot create an XML parser"));
      return NULL;
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
  if (well_formed && ctxt->encoding != NULL && !encoding_supported ((const char *) ctxt->encoding))
    {
      well_formed = FALSE;
      state.message = g_strdup_printf (_("the document is in the encoding “%s”; only UTF-8 (or an ASCII-based "
                                         "single-byte encoding such as ISO-8859-1) can be edited"),
                                       (const char *) ctxt->encoding);
      state.line = 1;
    }
  if (!well_formed)
    {
      if (state.not_xml && looks_binary (buf, len))
        g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                     _("“%s” is not an OVF: it is a binary file, and an OVF is an XML text document"),
                     display);
      else if (state.not_xml)
        g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                     _("“%s” is not an OVF: an OVF is an XML document, which starts with “<”, but line %d "
                       "starts with other text"),
                     display, state.line);
      else if (state.premature != NULL)
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
  return well_formed ? g_steal_pointer (&view) : NULL;
}

/* Where the scanner says the start tag of @index ends, as libxml2 marks it. */
static guint32
span_mark (ObOvfScan *scan,
           int        index)
{
  ObOvfSpan *s = OB_OVF_SPAN (scan, index);

  return scan->buf[s->stag_end - 2] == '/' ? s->stag_end - 2 : s->stag_end - 1;
}

gboolean
ob_ovf_xml_view_agrees (ObOvfXmlView  *view,
                        ObOvfScan     *scan,
                        const char    *display,
                        GError       **error)
{
  g_autofree char *root_uri = ob_ovf_root_namespace (scan);
  guint m = 0;
  guint line = 0;

  /* xmlns="" declares no namespace, which libxml2 reports as NULL. */
  if (g_strcmp0 (root_uri && root_uri[0] ? root_uri : NULL, view->root_uri) != 0)
    line = ob_ovf_line_of (scan, OB_OVF_SPAN (scan, 0)->start);

  for (guint i = 0; line == 0 && i < scan->spans->len; i++)
    {
      gsize qlen;
      const char *q = ob_ovf_span_qname (scan, i, &qlen);
      guint depth = ob_ovf_span_depth (scan, i);

      /* The scanner also keeps the first child of each Item. */
      if (depth == MAX_RECORDED_DEPTH && !ob_ovf_element_of_interest (depth, q, qlen))
        continue;
      if (m >= view->marks->len || g_array_index (view->marks, guint32, m) != span_mark (scan, i))
        line = ob_ovf_line_of (scan, OB_OVF_SPAN (scan, i)->start);
      m++;
    }
  if (line == 0 && m != view->marks->len)
    line = ob_ovf_line_of (scan, g_array_index (view->marks, guint32, m));

  if (line != 0)
    {
      /* Markup that XML readers and the byte scanner would read as
       * different elements (a decoy root hidden in a DOCTYPE, say): editing
       * it could change what no XML reader sees. */
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("“%s”: line %u: the markup is ambiguous: XML readers and this tool would see "
                     "different elements here; refused"),
                   display, line);
      return FALSE;
    }
  return TRUE;
}
