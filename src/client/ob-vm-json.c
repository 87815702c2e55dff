/* ob-vm-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ob-error.h"
#include "ob-rest-json.h"
#include "ob-vm-json.h"
#include "ob-wire-boolean.h"

/* Reading */

static JsonObject *
entity_object (JsonNode   *node,
               const char *what,
               const char **id_out,
               GError    **error)
{
  JsonObject *object;
  const char *id;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, OB_ERROR, OB_ERROR_PROTOCOL,
                   _("The engine sent a %s that is not a JSON object."), what);
      return NULL;
    }
  object = json_node_get_object (node);
  id = ob_rest_json_get_string (object, "id");
  if (id == NULL || *id == '\0')
    {
      g_set_error (error, OB_ERROR, OB_ERROR_PROTOCOL,
                   _("The engine sent a %s without an id."), what);
      return NULL;
    }
  *id_out = id;
  return object;
}

static ObBalloonState
parse_ballooning (JsonObject *entity)
{
  JsonObject *policy = ob_rest_json_get_object (entity, "memory_policy");
  gboolean value;

  /* Absent (list responses without All-Content): unknown, never off. */
  if (!ob_rest_json_get_boolean (policy, "ballooning", &value))
    return OB_BALLOON_STATE_UNKNOWN;
  return value ? OB_BALLOON_STATE_ON : OB_BALLOON_STATE_OFF;
}

static void
fill_cluster (ObCluster  *cluster,
              JsonObject *object)
{
  g_autofree char *version = ob_rest_json_dup_version (object, "version");
  JsonObject *cpu = ob_rest_json_get_object (object, "cpu");

  ob_cluster_set_name (cluster, ob_rest_json_get_string (object, "name"));
  ob_cluster_set_version (cluster, version);
  ob_cluster_set_cpu_arch (cluster, ob_rest_json_get_string (cpu, "architecture"));
}

ObCluster *
ob_vm_json_parse_cluster (JsonNode *node,
                          GError  **error)
{
  JsonObject *object;
  const char *id = NULL;
  ObCluster *cluster;

  object = entity_object (node, _("cluster"), &id, error);
  if (object == NULL)
    return NULL;

  cluster = ob_cluster_new (id, NULL);
  fill_cluster (cluster, object);
  return cluster;
}

ObVm *
ob_vm_json_parse_vm (JsonNode *node,
                     GError  **error)
{
  JsonObject *object, *cluster_object;
  const char *id = NULL;
  g_autofree char *custom = NULL;
  guint64 memory = 0;
  gboolean next_run = FALSE;
  ObVm *vm;

  object = entity_object (node, _("virtual machine"), &id, error);
  if (object == NULL)
    return NULL;

  vm = ob_vm_new (id, ob_rest_json_get_string (object, "name"));
  ob_vm_set_description (vm, ob_rest_json_get_string (object, "description"));
  ob_vm_set_status (vm, ob_rest_json_get_string (object, "status"));
  if (ob_rest_json_get_uint64 (object, "memory", &memory))
    ob_vm_set_memory (vm, memory);
  ob_vm_set_ballooning (vm, parse_ballooning (object));
  if (ob_rest_json_get_boolean (object, "next_run_configuration_exists", &next_run))
    ob_vm_set_next_run_configuration_exists (vm, next_run);
  custom = ob_rest_json_dup_version (object, "custom_compatibility_version");
  ob_vm_set_custom_compatibility_version (vm, custom);

  cluster_object = ob_rest_json_get_object (object, "cluster");
  if (cluster_object != NULL)
    {
      const char *cluster_id = ob_rest_json_get_string (cluster_object, "id");

      /* With ?follow=cluster the reference carries the whole cluster. */
      if (cluster_id != NULL &&
          (json_object_has_member (cluster_object, "version") ||
           json_object_has_member (cluster_object, "name")))
        {
          g_autoptr(ObCluster) cluster = ob_cluster_new (cluster_id, NULL);

          fill_cluster (cluster, cluster_object);
          ob_vm_set_cluster (vm, cluster);
        }
      else
        ob_vm_set_cluster_id (vm, cluster_id);
    }
  return vm;
}

ObTemplate *
ob_vm_json_parse_template (JsonNode *node,
                           GError  **error)
{
  JsonObject *object, *cluster_object;
  const char *id = NULL;
  ObTemplate *template;

  object = entity_object (node, _("template"), &id, error);
  if (object == NULL)
    return NULL;

  template = ob_template_new (id, ob_rest_json_get_string (object, "name"));
  ob_template_set_description (template, ob_rest_json_get_string (object, "description"));
  ob_template_set_ballooning (template, parse_ballooning (object));
  cluster_object = ob_rest_json_get_object (object, "cluster");
  ob_template_set_cluster_id (template, ob_rest_json_get_string (cluster_object, "id"));
  ob_template_set_cluster_name (template, ob_rest_json_get_string (cluster_object, "name"));
  return template;
}

typedef gpointer (*ParseFunc) (JsonNode *node,
                               GError  **error);

static GPtrArray *
parse_list (JsonNode   *root,
            const char *element,
            ParseFunc   parse,
            GError    **error)
{
  g_autoptr(JsonArray) array = NULL;
  g_autoptr(GPtrArray) result = NULL;
  guint i, n;

  array = ob_rest_json_get_collection (root, element, error);
  if (array == NULL)
    return NULL;

  n = json_array_get_length (array);
  result = g_ptr_array_new_full (n, g_object_unref);
  for (i = 0; i < n; i++)
    {
      gpointer item = parse (json_array_get_element (array, i), error);

      if (item == NULL)
        return NULL;
      g_ptr_array_add (result, item);
    }
  return g_steal_pointer (&result);
}

GPtrArray *
ob_vm_json_parse_vms (JsonNode *root,
                      GError  **error)
{
  return parse_list (root, "vm", (ParseFunc) ob_vm_json_parse_vm, error);
}

GPtrArray *
ob_vm_json_parse_clusters (JsonNode *root,
                           GError  **error)
{
  return parse_list (root, "cluster", (ParseFunc) ob_vm_json_parse_cluster, error);
}

GPtrArray *
ob_vm_json_parse_templates (JsonNode *root,
                            GError  **error)
{
  return parse_list (root, "template", (ParseFunc) ob_vm_json_parse_template, error);
}

/* Writing */

gboolean
ob_vm_json_is_id (const char *text)
{
  return text != NULL && strlen (text) == 36 && g_uuid_string_is_valid (text);
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static void
add_ballooning (JsonBuilder *builder,
                gboolean     enable)
{
  json_builder_set_member_name (builder, "memory_policy");
  json_builder_begin_object (builder);
  add_string (builder, "ballooning", ob_wire_boolean_to_string (enable));
  json_builder_end_object (builder);
}

/* The id-or-name reference {"member": {"id": ...}}. */
static void
add_reference (JsonBuilder *builder,
               const char  *member,
               const char  *key,
               const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  add_string (builder, key, value);
  json_builder_end_object (builder);
}

static void
add_vm_fields (JsonBuilder      *builder,
               const ObVmUpdate *update)
{
  if (update->fields & OB_VM_FIELD_NAME)
    add_string (builder, "name", update->name);
  if (update->fields & OB_VM_FIELD_DESCRIPTION)
    add_string (builder, "description", update->description);
  if (update->fields & OB_VM_FIELD_MEMORY)
    {
      g_autofree char *bytes = g_strdup_printf ("%" G_GUINT64_FORMAT, update->memory);

      add_string (builder, "memory", bytes);
    }
  if (update->fields & OB_VM_FIELD_BALLOONING)
    add_ballooning (builder, update->ballooning);
}

/* Ends the outermost object and returns the text. */
static char *
finish (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

char *
ob_vm_json_write_update (const ObVmUpdate *update)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_vm_fields (builder, update);
  return finish (builder);
}

char *
ob_vm_json_write_new_vm (const ObVmUpdate *values,
                         const char       *cluster_id,
                         const char       *template_ref)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "name", values->name);
  add_reference (builder, "cluster", "id", cluster_id);
  add_reference (builder, "template", ob_vm_json_is_id (template_ref) ? "id" : "name", template_ref);
  if (values->fields & OB_VM_FIELD_MEMORY)
    {
      g_autofree char *bytes = g_strdup_printf ("%" G_GUINT64_FORMAT, values->memory);

      add_string (builder, "memory", bytes);
    }
  add_ballooning (builder, values->ballooning);
  return finish (builder);
}

char *
ob_vm_json_write_ballooning (gboolean enable)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_ballooning (builder, enable);
  return finish (builder);
}

char *
ob_vm_json_write_start (gboolean volatile_run,
                        gboolean override,
                        gboolean enable)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  if (volatile_run)
    add_string (builder, "volatile", ob_wire_boolean_to_string (TRUE));
  if (override)
    {
      json_builder_set_member_name (builder, "vm");
      json_builder_begin_object (builder);
      add_ballooning (builder, enable);
      json_builder_end_object (builder);
    }
  return finish (builder);
}
