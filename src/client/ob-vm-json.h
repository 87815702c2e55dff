/* ob-vm-json.h: the wire format of VMs, clusters and templates in oVirt
 * REST v4 JSON, read and written in this one place. Bodies are written the
 * way the engine writes them: booleans and numbers as strings, false
 * included.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ob-cluster.h"
#include "ob-template.h"
#include "ob-vm.h"

G_BEGIN_DECLS

/* Which fields of an ObVmUpdate are part of the change. */
typedef enum
{
  OB_VM_FIELD_NONE        = 0,
  OB_VM_FIELD_NAME        = 1 << 0,
  OB_VM_FIELD_DESCRIPTION = 1 << 1,
  OB_VM_FIELD_MEMORY      = 1 << 2,
  OB_VM_FIELD_BALLOONING  = 1 << 3,
} ObVmFields;

/* The new values; only those named in @fields count. */
typedef struct
{
  ObVmFields  fields;
  const char *name;         /* not empty */
  const char *description;  /* "" clears it */
  guint64     memory;       /* bytes, at least 1 MiB */
  gboolean    ballooning;
} ObVmUpdate;

/* Entity parsers. An entity without an "id" is OB_ERROR_PROTOCOL.
 * memory_policy.ballooning, when present (VMs read singly or with
 * All-Content; templates from flag-era engines), sets the balloon state;
 * absent, it stays UNKNOWN. */
ObVm       *ob_vm_json_parse_vm        (JsonNode *node,
                                        GError  **error);
ObCluster  *ob_vm_json_parse_cluster   (JsonNode *node,
                                        GError  **error);
ObTemplate *ob_vm_json_parse_template  (JsonNode *node,
                                        GError  **error);
/* Collections; arrays of new references; a malformed entry fails the
 * whole list. */
GPtrArray  *ob_vm_json_parse_vms       (JsonNode *root,
                                        GError  **error);
/* A VM collection response body as received (empty reads as JSON null),
 * through the same guards and with the same result as
 * ob_rest_json_parse_bytes() then ob_vm_json_parse_vms(), without
 * building the JSON tree when the body has the usual shape. */
GPtrArray  *ob_vm_json_read_vms        (const char *data,
                                        gsize       length,
                                        GError    **error);
GPtrArray  *ob_vm_json_parse_clusters  (JsonNode *root,
                                        GError  **error);
GPtrArray  *ob_vm_json_parse_templates (JsonNode *root,
                                        GError  **error);

/* Whether @text has the shape of an engine id (a UUID), not a name. */
gboolean    ob_vm_json_is_id           (const char       *text);

/* PUT /vms/{id}: only the fields named in @update->fields. */
char       *ob_vm_json_write_update    (const ObVmUpdate *update);
/* POST /vms: the fields of @values (name and ballooning always, memory
 * when named), the cluster by id and the template by id when
 * @template_ref is a UUID, else by name. */
char       *ob_vm_json_write_new_vm    (const ObVmUpdate *values,
                                        const char       *cluster_id,
                                        const char       *template_ref);
/* PUT of a VM or a template that changes only memory_policy.ballooning. */
char       *ob_vm_json_write_ballooning (gboolean         enable);
/* The start action: "volatile" when @volatile_run, and a balloon override
 * for this run when @override. */
char       *ob_vm_json_write_start     (gboolean          volatile_run,
                                        gboolean          override,
                                        gboolean          enable);

G_END_DECLS
