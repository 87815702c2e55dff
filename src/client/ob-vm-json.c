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
#include "ob-vm-json-private.h"
#include "ob-vm-list-scan.h"
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
ob_vm_json_build_vm (const ObVmWire *wire)
{
  ObVm *vm = ob_vm_new (wire->id, wire->name);

  ob_vm_set_description (vm, wire->description);
  ob_vm_set_status (vm, wire->status);
  if (wire->has_memory)
    ob_vm_set_memory (vm, wire->memory);
  ob_vm_set_ballooning (vm, wire->ballooning);
  if (wire->has_next_run)
    ob_vm_set_next_run_configuration_exists (vm, wire->next_run);
  ob_vm_set_run_once (vm, wire->run_once);
  ob_vm_set_custom_compatibility_version (vm, wire->custom_level);
  if (wire->cluster_id != NULL && wire->cluster_followed)
    {
      g_autoptr(ObCluster) cluster = ob_cluster_new (wire->cluster_id, NULL);

      ob_cluster_set_name (cluster, wire->cluster_name);
      ob_cluster_set_version (cluster, wire->cluster_level);
      ob_cluster_set_cpu_arch (cluster, wire->cpu_arch);
      ob_vm_set_cluster (vm, cluster);
    }
  else
    ob_vm_set_cluster_id (vm, wire->cluster_id);
  return vm;
}

ObVm *
ob_vm_json_parse_vm (JsonNode *node,
                     GError  **error)
{
  JsonObject *object, *cluster_object;
  g_autofree char *custom = NULL;
  g_autofree char *cluster_level = NULL;
  ObVmWire wire = { NULL };

  object = entity_object (node, _("virtual machine"), &wire.id, error);
  if (object == NULL)
    return NULL;

  wire.name = ob_rest_json_get_string (object, "name");
  wire.description = ob_rest_json_get_string (object, "description");
  wire.status = ob_rest_json_get_string (object, "status");
  wire.has_memory = ob_rest_json_get_uint64 (object, "memory", &wire.memory);
  wire.ballooning = parse_ballooning (object);
  wire.has_next_run = ob_rest_json_get_boolean (object, "next_run_configuration_exists", &wire.next_run);
  if (!ob_rest_json_get_boolean (object, "run_once", &wire.run_once))
    wire.run_once = FALSE;
  custom = ob_rest_json_dup_version (object, "custom_compatibility_version");
  wire.custom_level = custom;

  cluster_object = ob_rest_json_get_object (object, "cluster");
  if (cluster_object != NULL)
    {
      wire.cluster_id = ob_rest_json_get_string (cluster_object, "id");
      /* With ?follow=cluster the reference carries the whole cluster. */
      wire.cluster_followed = json_object_has_member (cluster_object, "version") ||
                              json_object_has_member (cluster_object, "name");
      wire.cluster_name = ob_rest_json_get_string (cluster_object, "name");
      cluster_level = ob_rest_json_dup_version (cluster_object, "version");
      wire.cluster_level = cluster_level;
      wire.cpu_arch = ob_rest_json_get_string (ob_rest_json_get_object (cluster_object, "cpu"),
                                               "architecture");
    }
  return ob_vm_json_build_vm (&wire);
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
ob_vm_json_read_vms (const char *data,
                     gsize       length,
                     GError    **error)
{
  g_autoptr(JsonNode) root = NULL;
  GPtrArray *vms;

  /* An empty body is a JSON null, as ob_connection_request_finish() has it. */
  if (length == 0)
    {
      root = json_node_new (JSON_NODE_NULL);
      return ob_vm_json_parse_vms (root, error);
    }
  if (!ob_rest_json_check_bytes (data, length, error))
    return NULL;
  vms = ob_vm_list_scan (data, length);
  if (vms != NULL)
    return vms;
  root = ob_rest_json_parse_bytes (data, length, error);
  if (root == NULL)
    return NULL;
  return ob_vm_json_parse_vms (root, error);
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
  ObVmUpdate rest = *values;

  json_builder_begin_object (builder);
  add_string (builder, "name", values->name);
  add_reference (builder, "cluster", "id", cluster_id);
  add_reference (builder, "template", ob_vm_json_is_id (template_ref) ? "id" : "name", template_ref);
  rest.fields = (values->fields & OB_VM_FIELD_MEMORY) | OB_VM_FIELD_BALLOONING;
  add_vm_fields (builder, &rest);
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
