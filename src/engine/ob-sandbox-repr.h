/* ob-sandbox-repr.h: writing and reading REST v4 representations the way
 * the engine does, in JSON and XML.
 *
 * Writer: one call sequence produces either format. JSON follows Jackson's
 * default pretty printer over the engine's JAXB classes: booleans and
 * integers as strings, dates as epoch-ms numbers, repeated elements as
 * arrays, a collection wrapped in its singular name, an empty collection
 * as "{ }". XML: the plural collection element, id and href as attributes,
 * four-space indent.
 *
 * Reader: a request body in either format becomes a JsonObject (XML
 * elements become members, leaf text becomes strings, id/href attributes
 * become members), so handlers read both the same way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  OB_REPR_XML,
  OB_REPR_JSON,
} ObReprFormat;

typedef struct _ObReprWriter ObReprWriter;

ObReprWriter *ob_repr_writer_new        (ObReprFormat  format,
                                         gsize         size_hint);
ObReprFormat  ob_repr_writer_get_format (ObReprWriter *w);
/* Frees the writer and returns the document. */
GBytes       *ob_repr_writer_free_to_bytes (ObReprWriter *w);
void          ob_repr_writer_free       (ObReprWriter *w);

/* An object: in XML <name href=".." id="..">, in JSON "name" : { (or a
 * bare { as an array item or the document root). @href and @id may be
 * NULL; in JSON they are written by ob_repr_identity(), where the engine's
 * JSON puts them. */
void ob_repr_begin        (ObReprWriter *w,
                           const char   *name,
                           const char   *href,
                           const char   *id);
void ob_repr_end          (ObReprWriter *w);
/* JSON only: the href and id members; nothing in XML (they are
 * attributes there). */
void ob_repr_identity     (ObReprWriter *w,
                           const char   *href,
                           const char   *id);
/* Repeated elements: in JSON "name" : [ ... ]; nothing in XML. Items are
 * written with ob_repr_begin (w, name, ...). */
void ob_repr_begin_list   (ObReprWriter *w,
                           const char   *name);
void ob_repr_end_list     (ObReprWriter *w);
/* A top-level collection: <plural> in XML, { "singular" : [ in JSON. */
void ob_repr_begin_collection (ObReprWriter *w,
                               const char   *plural,
                               const char   *singular);
void ob_repr_end_collection   (ObReprWriter *w);

void ob_repr_string       (ObReprWriter *w,
                           const char   *name,
                           const char   *value);
void ob_repr_bool         (ObReprWriter *w,
                           const char   *name,
                           gboolean      value);
void ob_repr_int          (ObReprWriter *w,
                           const char   *name,
                           gint64        value);
/* epoch ms: a number in JSON, ISO 8601 with offset in XML. */
void ob_repr_date         (ObReprWriter *w,
                           const char   *name,
                           gint64        epoch_ms);
/* <name href=".." id=".."/> or "name" : { "href" : .., "id" : .. } */
void ob_repr_ref          (ObReprWriter *w,
                           const char   *name,
                           const char   *href,
                           const char   *id);
/* <link href rel/> items; call between ob_repr_begin_list (w, "link")
 * and ob_repr_end_list (). */
void ob_repr_link         (ObReprWriter *w,
                           const char   *href,
                           const char   *rel);

/* Parses a request body. @content_type may be NULL (then sniffed).
 * @root_name receives the XML root element name (NULL for JSON). Errors
 * are OB_ERROR_BAD_INPUT with the parser's message. */
JsonObject *ob_repr_parse_body (const char  *data,
                                gsize        length,
                                const char  *content_type,
                                char       **root_name,
                                GError     **error);

/* Path lookups like "memory_policy/ballooning" into a parsed body.
 * Return TRUE when present and valid; FALSE with @error NULL when absent;
 * FALSE with OB_ERROR_BAD_INPUT (engine wording) when the value has the
 * wrong type. Booleans accept "true"/"false" (any case), "1"/"0" and JSON
 * booleans, as the engine's BooleanParser; integers accept digit strings
 * and JSON integers. */
gboolean ob_repr_get_bool   (JsonObject  *body,
                             const char  *path,
                             gboolean    *value,
                             GError     **error);
gboolean ob_repr_get_int    (JsonObject  *body,
                             const char  *path,
                             gint64      *value,
                             GError     **error);
/* Returns the string (owned by @body) or NULL when absent or not a
 * scalar. */
const char *ob_repr_get_string (JsonObject *body,
                                const char *path);
gboolean ob_repr_has_member (JsonObject  *body,
                             const char  *path);

G_END_DECLS
