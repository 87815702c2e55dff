/* ob-rest-json.h: tolerant reading of oVirt REST v4 JSON
 *
 * Real engines send booleans and numbers as JSON strings ("true",
 * "1073741824"); documentation examples use native types. Both are
 * accepted, booleans by ob-wire-boolean's rule. Missing fields are not
 * errors; an empty collection is `{}`. The VM, cluster and template
 * shapes are ob-vm-json's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Member lookups on a possibly-NULL object. They return FALSE (and leave
 * @out alone) when the member is missing, null, or of a shape that cannot
 * be read as the wanted type. */
const char *ob_rest_json_get_string  (JsonObject *object,
                                      const char *member);
gboolean    ob_rest_json_get_boolean (JsonObject *object,
                                      const char *member,
                                      gboolean   *out);
gboolean    ob_rest_json_get_uint64  (JsonObject *object,
                                      const char *member,
                                      guint64    *out);
JsonObject *ob_rest_json_get_object  (JsonObject *object,
                                      const char *member);
/* "major"/"minor" object as "4.7"; NULL when absent. Free with g_free(). */
char       *ob_rest_json_dup_version (JsonObject *object,
                                      const char *member);

/* The engine's number written as a string: decimal digits only, within
 * 64 bits. */
gboolean    ob_rest_json_text_to_uint64 (const char *text,
                                         guint64    *out);
/* "major.minor", as ob_rest_json_dup_version() writes it. */
char       *ob_rest_json_format_version (guint64     major,
                                         guint64     minor);

/* The guards every response body passes before anything parses it: not
 * empty, not over G_MAXSSIZE, not nested deeper than OB_JSON_MAX_DEPTH.
 * OB_ERROR_PROTOCOL with the same messages as ob_rest_json_parse_bytes(). */
gboolean    ob_rest_json_check_bytes (const char *data,
                                      gsize       length,
                                      GError    **error);

/* Parses @data (not NUL-terminated) into a node. Anything that is not JSON,
 * or JSON nested deeper than OB_JSON_MAX_DEPTH (refused before json-glib
 * sees it), gives OB_ERROR_PROTOCOL with a short, specific message. */
JsonNode   *ob_rest_json_parse_bytes (const char *data,
                                      gsize       length,
                                      GError    **error);

/* The entries of a collection response `{"vm": [...]}`; `{}` gives an
 * empty array. @element is the singular name ("vm", "cluster"). Not an
 * object, or a member of the wrong type: OB_ERROR_PROTOCOL. Returns a new
 * reference (json_array_unref()). */
JsonArray  *ob_rest_json_get_collection (JsonNode   *root,
                                         const char *element,
                                         GError    **error);

/* A fault body `{"reason": ..., "detail": ...}` (also nested as
 * `{"fault": {...}}` in action responses). Returns FALSE when @root holds
 * no fault. Out strings are newly allocated, NULL when absent. */
gboolean    ob_rest_json_parse_fault     (JsonNode  *root,
                                          char     **reason,
                                          char     **detail);

/* SSO token endpoint: success `{"access_token": ...}`; errors in both
 * shapes: `{"error_code": code, "error": message}` (scope ovirt-app-api)
 * and `{"error": code, "error_description": message}`. Returns the token,
 * or NULL with OB_ERROR_AUTH carrying the SSO's own message. */
char       *ob_rest_json_parse_sso_token (JsonNode  *root,
                                          GError   **error);

G_END_DECLS
