/* ob-rest-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>

#include "ob-error.h"
#include "ob-json-depth.h"
#include "ob-rest-json.h"
#include "ob-wire-boolean.h"

static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

const char *
ob_rest_json_get_string (JsonObject *object,
                         const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
ob_rest_json_get_boolean (JsonObject *object,
                          const char *member,
                          gboolean   *out)
{
  JsonNode *node = get_member (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_BOOLEAN)
    {
      *out = json_node_get_boolean (node);
      return TRUE;
    }
  if (type == G_TYPE_STRING)
    return ob_wire_boolean_parse (json_node_get_string (node), out);
  return FALSE;
}

gboolean
ob_rest_json_get_uint64 (JsonObject *object,
                         const char *member,
                         guint64    *out)
{
  JsonNode *node = get_member (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      gint64 v = json_node_get_int (node);

      if (v < 0)
        return FALSE;
      *out = (guint64) v;
      return TRUE;
    }
  if (type == G_TYPE_STRING)
    return ob_rest_json_text_to_uint64 (json_node_get_string (node), out);
  return FALSE;
}

gboolean
ob_rest_json_text_to_uint64 (const char *text,
                             guint64    *out)
{
  char *end = NULL;
  guint64 v;

  if (!g_ascii_isdigit (text[0]))
    return FALSE;
  errno = 0;
  v = g_ascii_strtoull (text, &end, 10);
  if (errno != 0 || *end != '\0')
    return FALSE;
  *out = v;
  return TRUE;
}

JsonObject *
ob_rest_json_get_object (JsonObject *object,
                         const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

char *
ob_rest_json_dup_version (JsonObject *object,
                          const char *member)
{
  JsonObject *version = ob_rest_json_get_object (object, member);
  guint64 major, minor;

  if (version == NULL)
    return NULL;
  if (!ob_rest_json_get_uint64 (version, "major", &major) ||
      !ob_rest_json_get_uint64 (version, "minor", &minor))
    return NULL;
  return ob_rest_json_format_version (major, minor);
}

char *
ob_rest_json_format_version (guint64 major,
                             guint64 minor)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT, major, minor);
}

JsonNode *
ob_rest_json_parse_bytes (const char *data,
                          gsize       length,
                          GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!ob_rest_json_check_bytes (data, length, error))
    return NULL;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_set_error (error, OB_ERROR, OB_ERROR_PROTOCOL,
                   _("The engine's response is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, OB_ERROR, OB_ERROR_PROTOCOL,
                           _("The engine sent an empty response where JSON was expected."));
      return NULL;
    }
  return root;
}

gboolean
ob_rest_json_check_bytes (const char *data,
                          gsize       length,
                          GError    **error)
{
  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, OB_ERROR, OB_ERROR_PROTOCOL,
                           _("The engine sent an empty response where JSON was expected."));
      return FALSE;
    }
  if (length > G_MAXSSIZE)
    {
      g_set_error_literal (error, OB_ERROR, OB_ERROR_PROTOCOL,
                           _("The engine's response is too large."));
      return FALSE;
    }

  /* json-glib recurses once per level: a deep enough body overflows the
   * stack. Scanned iteratively first. */
  if (!ob_json_depth_check (data, length, OB_JSON_MAX_DEPTH, NULL))
    {
      g_set_error (error, OB_ERROR, OB_ERROR_PROTOCOL,
                   _("The engine's response is nested more than %u levels deep; it was refused."),
                   (guint) OB_JSON_MAX_DEPTH);
      return FALSE;
    }
  return TRUE;
}

JsonArray *
ob_rest_json_get_collection (JsonNode   *root,
                             const char *element,
                             GError    **error)
{
  JsonObject *object;
  JsonNode *member;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, OB_ERROR, OB_ERROR_PROTOCOL,
                   _("The engine's response is not a collection of '%s' objects."), element);
      return NULL;
    }

  object = json_node_get_object (root);
  member = json_object_get_member (object, element);
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    {
      /* A fault is an object too; do not mistake it for `{}`, which is how
       * the engine writes an empty collection. */
      if (json_object_has_member (object, "reason") ||
          json_object_has_member (object, "fault"))
        {
          g_set_error (error, OB_ERROR, OB_ERROR_PROTOCOL,
                       _("The engine answered with a fault instead of a collection of '%s' objects."),
                       element);
          return NULL;
        }
      return json_array_new ();
    }
  if (!JSON_NODE_HOLDS_ARRAY (member))
    {
      g_set_error (error, OB_ERROR, OB_ERROR_PROTOCOL,
                   _("The engine's response has '%s' that is not a list."), element);
      return NULL;
    }
  return json_array_ref (json_node_get_array (member));
}

gboolean
ob_rest_json_parse_fault (JsonNode  *root,
                          char     **reason,
                          char     **detail)
{
  JsonObject *object, *fault;
  const char *r, *d;

  *reason = NULL;
  *detail = NULL;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  object = json_node_get_object (root);

  /* Failed actions echo the action with a nested fault. */
  fault = ob_rest_json_get_object (object, "fault");
  if (fault == NULL)
    fault = object;

  r = ob_rest_json_get_string (fault, "reason");
  d = ob_rest_json_get_string (fault, "detail");
  if (r == NULL && d == NULL)
    return FALSE;
  *reason = g_strdup (r);
  *detail = g_strdup (d);
  return TRUE;
}

char *
ob_rest_json_parse_sso_token (JsonNode  *root,
                              GError   **error)
{
  JsonObject *object;
  const char *token, *code, *message;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, OB_ERROR, OB_ERROR_AUTH,
                           _("The engine's single sign-on service sent an unexpected answer."));
      return NULL;
    }
  object = json_node_get_object (root);

  token = ob_rest_json_get_string (object, "access_token");
  if (token != NULL && *token != '\0')
    return g_strdup (token);

  /* Scope ovirt-app-api: {"error_code": code, "error": message};
   * other scopes: {"error": code, "error_description": message}. */
  code = ob_rest_json_get_string (object, "error_code");
  if (code != NULL)
    message = ob_rest_json_get_string (object, "error");
  else
    {
      code = ob_rest_json_get_string (object, "error");
      message = ob_rest_json_get_string (object, "error_description");
    }

  if (message != NULL && code != NULL)
    g_set_error (error, OB_ERROR, OB_ERROR_AUTH,
                 _("Login failed: %s (%s)"), message, code);
  else if (message != NULL || code != NULL)
    g_set_error (error, OB_ERROR, OB_ERROR_AUTH,
                 _("Login failed: %s"), message != NULL ? message : code);
  else
    g_set_error_literal (error, OB_ERROR, OB_ERROR_AUTH,
                         _("Login failed: the single sign-on service sent no token."));
  return NULL;
}
