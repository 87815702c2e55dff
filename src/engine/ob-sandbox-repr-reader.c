/* ob-sandbox-repr-reader.c: reading request bodies (see ob-sandbox-repr.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "ob-error.h"
#include "ob-json-depth.h"
#include "ob-sandbox-repr.h"

#define NO_DOCTYPE N_("A request must not contain a DOCTYPE declaration.")

/* Deeper XML elements are kept as text. */
#define MAX_DEPTH 32

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

/* Like memmem: NUL bytes in @data do not end the search. */
static gboolean
contains (const char *data,
          gsize       length,
          const char *needle)
{
  gsize n = strlen (needle);

  for (const char *p = data; p != NULL && (gsize) (p - data) + n <= length;
       p = memchr (p + 1, needle[0], length - (gsize) (p + 1 - data)))
    if (*p == needle[0] && memcmp (p, needle, n) == 0)
      return TRUE;
  return FALSE;
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
      /* json-glib recurses: refuse deep nesting before it runs. */
      if (!ob_json_depth_check (data, length, OB_JSON_MAX_DEPTH, error))
        return NULL;
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

      /* As real engines, no DTD at all: no entity is ever defined, so
       * none can be expanded. The byte scan refuses early; the check
       * after parsing catches a DOCTYPE in another encoding. */
      if (contains (data, length, "<!DOCTYPE"))
        {
          g_set_error_literal (error, OB_ERROR, OB_ERROR_BAD_INPUT, _(NO_DOCTYPE));
          return NULL;
        }
      /* No network, no entity substitution, no DTD loading. */
      doc = xmlReadMemory (data, (int) length, NULL, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
      if (doc != NULL && (doc->intSubset != NULL || doc->extSubset != NULL))
        {
          xmlFreeDoc (doc);
          g_set_error_literal (error, OB_ERROR, OB_ERROR_BAD_INPUT, _(NO_DOCTYPE));
          return NULL;
        }
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
