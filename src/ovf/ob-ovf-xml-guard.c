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

gboolean
ob_ovf_check_xml (const char  *buf,
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
