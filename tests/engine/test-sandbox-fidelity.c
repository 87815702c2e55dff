/* test-sandbox-fidelity.c: the sandbox's VM, cluster and template carry
 * the same elements as the documents a real engine wrote (tests/data/rest,
 * recorded from engines 4.2 and 4.3), in XML and in JSON.
 *
 * Each document becomes its set of element paths ("vm/display/type",
 * "vm/cluster/id"); id and href attributes count as children, as they are
 * members in JSON. A link is told apart by its rel ("vm/link[nics]"), so a
 * missing sub-collection shows. Action links are one path whatever their
 * rel: the sandbox offers only the actions it implements.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "ob-sandbox.h"
#include "ob-sandbox-seed.h"

#define BASIC_DEMO "Basic YWRtaW5AaW50ZXJuYWw6c2FuZGJveA=="

/* Paths that may be on one side only, and why. Kept short on purpose:
 * everything else a real engine writes, the sandbox writes too. */
static const char *const allowed[] = {
  /* Site-specific VDSM hook properties of the recorded engine. */
  "vm/custom_properties",
  /* Cloud-init data: the engine writes it only for a VM that has some,
   * and no sandbox VM has. */
  "vm/initialization",
  /* The host running the VM: the sandbox models no hosts. */
  "vm/host",
  /* Written by engines from 4.3 on (the recorded 4.3 template has them);
   * the recorded VM comes from a 4.2 engine. */
  "vm/bios/type",
  "vm/multi_queues_enabled",
  /* References to objects the sandbox does not model (data centers, MAC
   * pools, scheduling policies). */
  "cluster/data_center",
  "cluster/mac_pool",
  "cluster/scheduling_policy",
  "cluster/migration/policy",
  /* The sandbox implements no cluster or template action. */
  "cluster/actions",
  "template/actions",
  /* The recorded template's comment is empty; the sandbox leaves empty
   * text out, as the same engine did for the recorded VM. */
  "template/comment",
  NULL
};

typedef struct
{
  const char *kind;       /* "vm", "cluster", "template" */
  const char *collection;
  const char *seed_name;  /* the demo object to compare */
  const char *fixture;    /* basename in data/rest, without extension */
  const char *engine_version;
} Case;

static const Case cases[] = {
  { "vm", "vms", "k8s-node-1", "manageiq_vm_get_engine4.2", "4.5" },
  { "vm", "vms", "k8s-node-1", "manageiq_vm_get_engine4.2", "4.4.5" },
  { "cluster", "clusters", OB_SANDBOX_SEED_CLUSTER_4_2, "manageiq_cluster_get_engine4.2", "4.5" },
  { "cluster", "clusters", OB_SANDBOX_SEED_CLUSTER_4_2, "manageiq_cluster_get_engine4.2", "4.4.5" },
  { "template", "templates", "rhel8-base", "manageiq_template_get_engine4.3", "4.5" },
  { "template", "templates", "rhel8-base", "manageiq_template_get_engine4.3", "4.4.5" },
};

static gboolean
is_allowed (const char *path)
{
  for (guint i = 0; allowed[i] != NULL; i++)
    {
      gsize n = strlen (allowed[i]);

      if (strncmp (path, allowed[i], n) == 0 && (path[n] == '\0' || path[n] == '/'))
        return TRUE;
    }
  return FALSE;
}

/* ---- paths of an XML document ---- */

static void
xml_paths (xmlNode    *element,
           const char *path,
           GHashTable *out)
{
  gboolean in_actions = g_str_has_suffix (path, "/actions");

  g_hash_table_add (out, g_strdup (path));
  for (xmlAttr *a = element->properties; a != NULL; a = a->next)
    g_hash_table_add (out, g_strdup_printf ("%s/%s", path, (const char *) a->name));

  for (xmlNode *child = element->children; child != NULL; child = child->next)
    {
      g_autofree char *child_path = NULL;
      const char *name = (const char *) child->name;

      if (child->type != XML_ELEMENT_NODE)
        continue;
      if (g_str_equal (name, "link"))
        {
          g_autofree char *rel = (char *) xmlGetProp (child, (const xmlChar *) "rel");

          if (in_actions)
            g_hash_table_add (out, g_strdup_printf ("%s/link", path));
          else
            g_hash_table_add (out, g_strdup_printf ("%s/link[%s]", path, rel ? rel : ""));
          continue;
        }
      child_path = g_strdup_printf ("%s/%s", path, name);
      xml_paths (child, child_path, out);
    }
}

static GHashTable *
paths_of_xml (const char *data,
              gsize       length,
              const char *kind)
{
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  xmlDoc *doc = xmlReadMemory (data, (int) length, NULL, NULL, XML_PARSE_NONET);
  xmlNode *root;

  g_assert_nonnull (doc);
  root = xmlDocGetRootElement (doc);
  g_assert_cmpstr ((const char *) root->name, ==, kind);
  xml_paths (root, kind, out);
  xmlFreeDoc (doc);
  return out;
}

/* ---- paths of a JSON document ---- */

static void json_paths (JsonNode *node, const char *path, GHashTable *out);

static void
json_member_paths (const char *path,
                   const char *name,
                   JsonNode   *value,
                   GHashTable *out)
{
  gboolean in_actions = g_str_has_suffix (path, "/actions");

  /* Repeated elements are arrays: each item is at the same path. */
  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *items = json_node_get_array (value);

      for (guint i = 0; i < json_array_get_length (items); i++)
        json_member_paths (path, name, json_array_get_element (items, i), out);
      return;
    }
  if (g_str_equal (name, "link"))
    {
      const char *rel = NULL;

      if (JSON_NODE_HOLDS_OBJECT (value) &&
          json_object_has_member (json_node_get_object (value), "rel"))
        rel = json_object_get_string_member (json_node_get_object (value), "rel");
      if (in_actions)
        g_hash_table_add (out, g_strdup_printf ("%s/link", path));
      else
        g_hash_table_add (out, g_strdup_printf ("%s/link[%s]", path, rel ? rel : ""));
      return;
    }

  {
    g_autofree char *child_path = g_strdup_printf ("%s/%s", path, name);

    json_paths (value, child_path, out);
  }
}

static void
json_paths (JsonNode   *node,
            const char *path,
            GHashTable *out)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  g_hash_table_add (out, g_strdup (path));
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &name, &value))
    json_member_paths (path, name, value, out);
}

static GHashTable *
paths_of_json (const char *data,
               gsize       length,
               const char *kind)
{
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, data, (gssize) length, &error);
  g_assert_no_error (error);
  json_paths (json_parser_get_root (parser), kind, out);
  return out;
}

/* ---- the comparison ---- */

static GHashTable *
paths_of (const char *data,
          gsize       length,
          gboolean    json,
          const char *kind)
{
  return json ? paths_of_json (data, length, kind) : paths_of_xml (data, length, kind);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Appends to @report the paths of @a that @b lacks. */
static void
missing_from (GHashTable *a,
              GHashTable *b,
              const char *label,
              GString    *report)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (b, key) && !is_allowed (key))
      g_ptr_array_add (sorted, key);
  g_ptr_array_sort (sorted, compare_strings);
  for (guint i = 0; i < sorted->len; i++)
    g_string_append_printf (report, "  %s: %s\n", label, (const char *) g_ptr_array_index (sorted, i));
}

static char *
fetch (ObSandbox  *sandbox,
       const char *url,
       gboolean    json,
       gsize      *length)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *h = soup_message_get_request_headers (msg);

  soup_message_headers_replace (h, "Accept", json ? "application/json" : "application/xml");
  soup_message_headers_replace (h, "Authorization", BASIC_DEMO);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return g_strndup (g_bytes_get_data (body, length), g_bytes_get_size (body));
}

static void
compare (const Case *c,
         gboolean    json)
{
  g_autoptr(ObSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = ob_sandbox_seed_make_id (c->kind, c->seed_name);
  g_autofree char *url = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *fixture_name = g_strconcat (c->fixture, json ? ".json" : ".xml", NULL);
  g_autofree char *fixture_path = g_test_build_filename (G_TEST_DIST, "data", "rest", fixture_name, NULL);
  g_autofree char *theirs = NULL;
  g_autoptr(GHashTable) our_paths = NULL;
  g_autoptr(GHashTable) their_paths = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  gsize our_length = 0, their_length = 0;

  sandbox = g_object_new (OB_TYPE_SANDBOX, "seed", "demo",
                          "engine-version", c->engine_version, NULL);
  g_assert_true (ob_sandbox_start (sandbox, &error));
  g_assert_no_error (error);

  url = g_strdup_printf ("%s/%s/%s", ob_sandbox_get_base_url (sandbox), c->collection, id);
  ours = fetch (sandbox, url, json, &our_length);
  g_assert_true (g_file_get_contents (fixture_path, &theirs, &their_length, &error));
  g_assert_no_error (error);

  our_paths = paths_of (ours, our_length, json, c->kind);
  their_paths = paths_of (theirs, their_length, json, c->kind);
  missing_from (their_paths, our_paths, "only in the engine's", report);
  missing_from (our_paths, their_paths, "only in the sandbox's", report);
  ob_sandbox_stop (sandbox);

  if (report->len > 0)
    g_error ("%s %s (engine %s) differs from %s:\n%s", c->kind, json ? "JSON" : "XML",
             c->engine_version, fixture_name, report->str);
}

static void
test_xml (gconstpointer data)
{
  compare (data, FALSE);
}

static void
test_json (gconstpointer data)
{
  compare (data, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *xml = g_strdup_printf ("/sandbox/fidelity/%s/%s/xml", cases[i].kind,
                                              cases[i].engine_version);
      g_autofree char *json = g_strdup_printf ("/sandbox/fidelity/%s/%s/json", cases[i].kind,
                                               cases[i].engine_version);

      g_test_add_data_func (xml, &cases[i], test_xml);
      g_test_add_data_func (json, &cases[i], test_json);
    }
  return g_test_run ();
}
