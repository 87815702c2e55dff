/* ob-sandbox-router.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "ob-balloon-policy.h"
#include "ob-error.h"
#include "ob-host-payload.h"
#include "ob-product.h"
#include "ob-sandbox.h"
#include "ob-sandbox-router.h"

#define API OB_SANDBOX_API_PREFIX
#define MIB (G_GINT64_CONSTANT (1024) * 1024)

/* What the engine says when a request body cannot be read. */
#define REASON_SYNTAX    "Request syntactically incorrect."
#define REASON_FAILED    "Operation Failed"
#define REASON_INVALID   "Invalid value"
#define REASON_INCOMPLETE "Incomplete parameters"

typedef struct
{
  ObSandboxRouter   *router;
  SoupServerMessage *msg;
  const char        *method;
  ObReprFormat       format;
  GHashTable        *query;      /* nullable */
  gboolean           all_content;
} Request;

/* Sub-collections a VM, cluster or template links to. The sandbox serves
 * them as empty collections, so a client following a link never gets a
 * dead end. */
static const char *const vm_links[] = {
  "diskattachments", "nics", "permissions", "snapshots", "statistics", "tags", "watchdogs", NULL
};
static const char *const vm_actions[] = { "reboot", "shutdown", "start", "stop", NULL };
static const char *const cluster_links[] = {
  "affinitygroups", "cpuprofiles", "networkfilters", "networks", "permissions", NULL
};
static const char *const template_links[] = {
  "cdroms", "diskattachments", "graphicsconsoles", "nics", "permissions", "tags",
  "watchdogs", NULL
};

/* ---- responses ---- */

ObReprFormat
ob_sandbox_request_format (SoupServerMessage *msg)
{
  const char *accept = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Accept");

  if (accept != NULL && strstr (accept, "application/json") != NULL)
    {
      const char *xml = strstr (accept, "application/xml");

      /* "application/xml, application/json": the first one wins. */
      if (xml == NULL || xml > strstr (accept, "application/json"))
        return OB_REPR_JSON;
    }
  return OB_REPR_XML;
}

static void
respond_bytes (SoupServerMessage *msg,
               guint              status,
               const char        *content_type,
               GBytes            *bytes)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Content-Type", content_type);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
}

static void
respond_writer (SoupServerMessage *msg,
                guint              status,
                ObReprWriter      *w)
{
  ObReprFormat format = ob_repr_writer_get_format (w);
  g_autoptr(GBytes) bytes = ob_repr_writer_free_to_bytes (w);

  respond_bytes (msg, status,
                 format == OB_REPR_JSON ? "application/json" : "application/xml;charset=UTF-8",
                 bytes);
}

static void
write_fault (ObReprWriter *w,
             const char   *reason,
             const char   *detail)
{
  ob_repr_begin (w, "fault", NULL, NULL);
  ob_repr_string (w, "reason", reason);
  ob_repr_string (w, "detail", detail);
  ob_repr_end (w);
}

void
ob_sandbox_respond_fault (SoupServerMessage *msg,
                          ObReprFormat       format,
                          guint              status,
                          const char        *reason,
                          const char        *detail)
{
  ObReprWriter *w = ob_repr_writer_new (format, 256);

  write_fault (w, reason, detail);
  respond_writer (msg, status, w);
}

static void
fault (Request    *req,
       guint       status,
       const char *reason,
       const char *detail)
{
  ob_sandbox_respond_fault (req->msg, req->format, status, reason, detail);
}

/* The engine answers an unknown entity with 404 and an empty body. */
static void
not_found (Request *req)
{
  soup_server_message_set_status (req->msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
method_not_allowed (Request    *req,
                    const char *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Allow", allow);
  soup_server_message_set_status (req->msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
}

/* An action's answer: <action><status>complete</status></action>, or on
 * failure the fault inside the action and status failed. */
static void
respond_action (Request    *req,
                guint       http_status,
                const char *reason,
                const char *detail)
{
  ObReprWriter *w = ob_repr_writer_new (req->format, 512);

  ob_repr_begin (w, "action", NULL, NULL);
  if (reason != NULL)
    write_fault (w, reason, detail);
  ob_repr_string (w, "status", reason == NULL ? "complete" : "failed");
  ob_repr_end (w);
  respond_writer (req->msg, http_status, w);
}

/* The engine's backend messages: "[Cannot <action> <type>. <why>]". */
static char *
cannot (const char *action,
        const char *type,
        const char *why)
{
  /* Translators: engine-style validation message, e.g. "[Cannot edit VM. ...]". */
  return g_strdup_printf (_("[Cannot %s %s. %s]"), action, type, why);
}

static void
refuse (Request    *req,
        gboolean    is_action,
        guint       status,
        const char *action,
        const char *type,
        const char *why)
{
  g_autofree char *detail = cannot (action, type, why);

  if (is_action)
    respond_action (req, status, REASON_FAILED, detail);
  else
    fault (req, status, REASON_FAILED, detail);
}

static void
internal_error (Request *req,
                GError  *error)
{
  fault (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, REASON_FAILED, error->message);
}

/* ---- reading requests ---- */

static const char *
query_get (Request    *req,
           const char *key)
{
  return req->query ? g_hash_table_lookup (req->query, key) : NULL;
}

static gboolean
query_flag (Request    *req,
            const char *key)
{
  const char *value = query_get (req, key);
  gboolean flag = FALSE;

  /* "?next_run" alone means true, as for the engine's matrix params. */
  if (value != NULL && *value == '\0')
    return TRUE;
  return value != NULL && ob_repr_parse_boolean (value, &flag) && flag;
}

static JsonObject *
read_body (Request     *req,
           gboolean     required,
           const char  *root,
           gboolean    *failed)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  const char *content_type = soup_message_headers_get_content_type (
    soup_server_message_get_request_headers (req->msg), NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *root_name = NULL;
  JsonObject *obj;
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  *failed = FALSE;
  if (length == 0 && !required)
    return NULL;

  if (length > OB_SANDBOX_MAX_BODY)
    {
      fault (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, REASON_SYNTAX,
             _("The request body is larger than 1 MiB."));
      *failed = TRUE;
      return NULL;
    }

  obj = ob_repr_parse_body (data, length, content_type, &root_name, &error);
  if (obj == NULL)
    {
      fault (req, SOUP_STATUS_BAD_REQUEST, REASON_SYNTAX, error->message);
      *failed = TRUE;
      return NULL;
    }
  if (root_name != NULL && root != NULL && g_strcmp0 (root_name, root) != 0)
    {
      g_autofree char *detail = g_strdup_printf (_("Expected the root element <%s>, found <%s>."),
                                                 root, root_name);

      json_object_unref (obj);
      fault (req, SOUP_STATUS_BAD_REQUEST, REASON_SYNTAX, detail);
      *failed = TRUE;
      return NULL;
    }
  return obj;
}

/* ---- VMs: reading ---- */

typedef struct
{
  char           *id;
  char           *name;
  char           *description;
  char           *cluster_id;
  char           *template_id;
  char           *os_type;
  char           *status;
  char           *cpu_arch;
  gint64          mem_size_mb;
  gint64          creation_time;
  gint64          start_time;
  gint64          stop_time;
  gboolean        has_custom_level;
  ObCompatVersion custom_level;
  ObCompatVersion cluster_level;
  gboolean        balloon;
  gboolean        next_run;
  gboolean        run_once;
  gboolean        volatile_run;
  int             run_once_balloon;
} VmInfo;

static void
vm_info_clear (VmInfo *vm)
{
  g_free (vm->id);
  g_free (vm->name);
  g_free (vm->description);
  g_free (vm->cluster_id);
  g_free (vm->template_id);
  g_free (vm->os_type);
  g_free (vm->status);
  g_free (vm->cpu_arch);
  memset (vm, 0, sizeof *vm);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VmInfo, vm_info_clear)

static gboolean
copy_vm (const ObSandboxVmRow *row,
         gpointer              user_data)
{
  VmInfo *vm = user_data;

  vm->id = g_strdup (row->id);
  vm->name = g_strdup (row->name);
  vm->description = g_strdup (row->description);
  vm->cluster_id = g_strdup (row->cluster_id);
  vm->template_id = g_strdup (row->template_id);
  vm->os_type = g_strdup (row->os_type);
  vm->status = g_strdup (row->status);
  vm->cpu_arch = g_strdup (row->cpu_arch);
  vm->mem_size_mb = row->mem_size_mb;
  vm->creation_time = row->creation_time;
  vm->start_time = row->start_time;
  vm->stop_time = row->stop_time;
  vm->has_custom_level = row->has_custom_level;
  vm->custom_level = row->custom_level;
  vm->cluster_level = row->cluster_level;
  vm->balloon = row->balloon;
  vm->next_run = row->next_run;
  vm->run_once = row->run_once;
  vm->volatile_run = row->volatile_run;
  vm->run_once_balloon = row->run_once_balloon;
  return FALSE;
}

static void
vm_info_to_row (const VmInfo   *vm,
                ObSandboxVmRow *row)
{
  memset (row, 0, sizeof *row);
  row->id = vm->id;
  row->name = vm->name;
  row->description = vm->description;
  row->cluster_id = vm->cluster_id;
  row->template_id = vm->template_id;
  row->os_type = vm->os_type;
  row->status = vm->status;
  row->cpu_arch = vm->cpu_arch;
  row->mem_size_mb = vm->mem_size_mb;
  row->creation_time = vm->creation_time;
  row->start_time = vm->start_time;
  row->stop_time = vm->stop_time;
  row->has_custom_level = vm->has_custom_level;
  row->custom_level = vm->custom_level;
  row->cluster_level = vm->cluster_level;
  row->balloon = vm->balloon;
  row->next_run = vm->next_run;
  row->run_once = vm->run_once;
  row->volatile_run = vm->volatile_run;
  row->run_once_balloon = vm->run_once_balloon;
}

/* Returns FALSE (and answers) when the VM does not exist or the store failed. */
static gboolean
load_vm (Request    *req,
         const char *id,
         VmInfo     *vm)
{
  g_autoptr(GError) error = NULL;

  if (ob_sandbox_store_with_vm (req->router->store, id, copy_vm, vm, &error))
    return TRUE;
  if (error != NULL)
    internal_error (req, error);
  else
    not_found (req);
  return FALSE;
}

static const ObCompatVersion *
effective_level (const VmInfo *vm)
{
  return vm->has_custom_level ? &vm->custom_level : &vm->cluster_level;
}

static gboolean
vm_is_down (const VmInfo *vm)
{
  return g_strcmp0 (vm->status, "down") == 0;
}

/* The engine's ACTION_TYPE_FAILED_VM_IS_LOCKED: nothing changes a VM
 * whose images are locked. Returns TRUE (and answers 409) when locked. */
static gboolean
refuse_if_locked (Request      *req,
                  const VmInfo *vm,
                  gboolean      is_action,
                  const char   *action)
{
  if (g_strcmp0 (vm->status, "image_locked") != 0)
    return FALSE;
  refuse (req, is_action, SOUP_STATUS_CONFLICT, action, "VM",
          _("VM is locked. Please try again in a few minutes."));
  return TRUE;
}

/* The one rule, in the engine's words. Returns NULL when allowed. */
static char *
balloon_refusal (const ObCompatVersion *level,
                 const char            *cpu_arch,
                 const char            *action,
                 const char            *type)
{
  g_autofree char *level_text = ob_compat_version_to_string (level);
  g_autofree char *why = NULL;

  switch (ob_balloon_policy_verdict (ob_level_from_version (level), cpu_arch))
    {
    case OB_BALLOON_ALLOWED:
    case OB_BALLOON_LEVEL_UNKNOWN:
      return NULL;
    case OB_BALLOON_LEVEL_TOO_LOW:
      /* Translators: %s is a compatibility level such as 3.0. */
      why = g_strdup_printf (_("Memory balloon is not supported in compatibility version %s, "
                               "it requires 3.1 or higher."), level_text);
      break;
    case OB_BALLOON_ARCH_UNSUPPORTED:
      /* BALLOON_REQUESTED_ON_NOT_SUPPORTED_ARCH */
      why = g_strdup_printf (_("Balloon is not supported on '%s' architecture."), cpu_arch);
      break;
    default:
      g_return_val_if_reached (NULL);
    }
  return cannot (action, type, why);
}

/* ---- writing entities ---- */

static void
write_links (ObReprWriter       *w,
             GString            *href,
             gsize               base,
             const char *const  *rels)
{
  ob_repr_begin_list (w, "link");
  for (guint i = 0; rels[i] != NULL; i++)
    {
      g_string_truncate (href, base);
      g_string_append_c (href, '/');
      g_string_append (href, rels[i]);
      ob_repr_link (w, href->str, rels[i]);
    }
  ob_repr_end_list (w);
  g_string_truncate (href, base);
}

static void
write_actions (ObReprWriter       *w,
               GString            *href,
               gsize               base,
               const char *const  *rels)
{
  ob_repr_begin (w, "actions", NULL, NULL);
  write_links (w, href, base, rels);
  ob_repr_end (w);
}

static void
write_version (ObReprWriter          *w,
               const char            *name,
               const ObCompatVersion *v)
{
  ob_repr_begin (w, name, NULL, NULL);
  ob_repr_int (w, "major", v->major);
  ob_repr_int (w, "minor", v->minor);
  ob_repr_end (w);
}

typedef struct
{
  ObReprWriter *w;
  GString      *href;     /* scratch buffer for hrefs */
  GString      *ref;      /* scratch buffer for references */
  gboolean      full;     /* single GET or All-Content: include ballooning */
  GPatternSpec *name_pattern; /* lower-case name=... of a cluster or template search */
  gint64        remaining;    /* max=..., -1 = all */
} WriteCtx;

/* Applies a cluster or template search (name=..., max) to one entity. */
static gboolean
write_ctx_selects (WriteCtx   *c,
                   const char *name)
{
  if (c->name_pattern != NULL)
    {
      g_autofree char *lower = g_utf8_strdown (name, -1);

      if (!g_pattern_spec_match_string (c->name_pattern, lower))
        return FALSE;
    }
  if (c->remaining == 0)
    return FALSE;
  if (c->remaining > 0)
    c->remaining--;
  return TRUE;
}

static void
write_ref (WriteCtx   *c,
           const char *name,
           const char *collection,
           const char *id)
{
  if (id == NULL)
    return;
  g_string_assign (c->ref, API "/");
  g_string_append (c->ref, collection);
  g_string_append_c (c->ref, '/');
  g_string_append (c->ref, id);
  ob_repr_ref (c->w, name, c->ref->str, id);
}

static void
write_vm_identity (WriteCtx             *c,
                   gsize                 base,
                   const ObSandboxVmRow *vm,
                   const char           *name,
                   const char           *description)
{
  write_actions (c->w, c->href, base, vm_actions);
  ob_repr_string (c->w, "name", name);
  ob_repr_string (c->w, "description", description);
  ob_repr_string (c->w, "comment", "");
  ob_repr_identity (c->w, c->href->str, vm->id);
  write_links (c->w, c->href, base, vm_links);
}

static void
write_vm_base (WriteCtx             *c,
               const ObSandboxVmRow *vm,
               gint64                mem_mb,
               gboolean              balloon)
{
  ObReprWriter *w = c->w;

  ob_repr_begin (w, "cpu", NULL, NULL);
  ob_repr_string (w, "architecture", vm->cpu_arch);
  ob_repr_begin (w, "topology", NULL, NULL);
  ob_repr_int (w, "cores", 1);
  ob_repr_int (w, "sockets", 1);
  ob_repr_int (w, "threads", 1);
  ob_repr_end (w);
  ob_repr_end (w);
  ob_repr_date (w, "creation_time", vm->creation_time);
  if (vm->has_custom_level)
    write_version (w, "custom_compatibility_version", &vm->custom_level);
  ob_repr_bool (w, "delete_protected", FALSE);
  ob_repr_int (w, "memory", mem_mb * MIB);
  ob_repr_begin (w, "memory_policy", NULL, NULL);
  /* Era A engines list ballooning only for a single VM or All-Content. */
  if (c->full)
    ob_repr_bool (w, "ballooning", balloon);
  ob_repr_int (w, "guaranteed", mem_mb * MIB);
  ob_repr_int (w, "max", mem_mb * MIB * 4);
  ob_repr_end (w);
  ob_repr_string (w, "origin", "ovirt");
  ob_repr_begin (w, "os", NULL, NULL);
  ob_repr_string (w, "type", vm->os_type);
  ob_repr_end (w);
  ob_repr_bool (w, "stateless", FALSE);
  ob_repr_string (w, "type", "server");
  write_ref (c, "cluster", "clusters", vm->cluster_id);
}

static void
write_vm_own (WriteCtx             *c,
              const ObSandboxVmRow *vm)
{
  ObReprWriter *w = c->w;

  ob_repr_bool (w, "next_run_configuration_exists", vm->next_run);
  ob_repr_bool (w, "run_once", vm->run_once);
  if (vm->start_time > 0)
    ob_repr_date (w, "start_time", vm->start_time);
  ob_repr_string (w, "status", vm->status);
  if (vm->stop_time > 0)
    ob_repr_date (w, "stop_time", vm->stop_time);
  write_ref (c, "original_template", "templates", vm->template_id);
  write_ref (c, "template", "templates", vm->template_id);
}

/* @next: when not NULL, show the next-run configuration (GET ?next_run=true). */
static void
write_vm (WriteCtx               *c,
          const ObSandboxVmRow   *vm,
          const ObSandboxNextRun *next)
{
  ObReprWriter *w = c->w;
  const char *name = next ? next->name : vm->name;
  const char *description = next ? next->description : vm->description;
  gint64 mem_mb = next ? next->mem_size_mb : vm->mem_size_mb;
  gboolean balloon = next ? next->balloon : vm->balloon;
  gsize base;

  g_string_assign (c->href, API "/vms/");
  g_string_append (c->href, vm->id);
  base = c->href->len;

  ob_repr_begin (w, "vm", c->href->str, vm->id);
  /* The engine's XML lists the identified part first, its JSON last. */
  if (ob_repr_writer_get_format (w) == OB_REPR_XML)
    {
      write_vm_identity (c, base, vm, name, description);
      write_vm_base (c, vm, mem_mb, balloon);
      write_vm_own (c, vm);
    }
  else
    {
      write_vm_own (c, vm);
      write_vm_base (c, vm, mem_mb, balloon);
      write_vm_identity (c, base, vm, name, description);
    }
  ob_repr_end (w);
}

static void
write_ctx_init (WriteCtx     *c,
                ObReprWriter *w,
                gboolean      full)
{
  c->w = w;
  c->href = g_string_sized_new (128);
  c->ref = g_string_sized_new (128);
  c->full = full;
  c->name_pattern = NULL;
  c->remaining = -1;
}

static void
write_ctx_clear (WriteCtx *c)
{
  g_string_free (c->href, TRUE);
  g_string_free (c->ref, TRUE);
  g_clear_pointer (&c->name_pattern, g_pattern_spec_free);
}

static void
respond_vm (Request        *req,
            guint           status,
            const VmInfo   *vm,
            gboolean        show_next_run)
{
  ObReprWriter *w = ob_repr_writer_new (req->format, 4096);
  ObSandboxVmRow row;
  ObSandboxNextRun next = { NULL, };
  gboolean have_next = FALSE;
  WriteCtx c;

  if (show_next_run)
    have_next = ob_sandbox_store_get_next_run (req->router->store, vm->id, &next, NULL);

  vm_info_to_row (vm, &row);
  write_ctx_init (&c, w, TRUE);
  write_vm (&c, &row, have_next ? &next : NULL);
  write_ctx_clear (&c);
  ob_sandbox_next_run_clear (&next);
  respond_writer (req->msg, status, w);
}

static gboolean
list_vm_cb (const ObSandboxVmRow *vm,
            gpointer              user_data)
{
  write_vm (user_data, vm, NULL);
  return TRUE;
}

/* ---- search ---- */

typedef struct
{
  char   *name_like;
  char   *status;
  char   *cluster_like;
  gboolean descending;
  gint64  page;      /* 1-based, 0 = none */
} Search;

static void
search_clear (Search *s)
{
  g_free (s->name_like);
  g_free (s->status);
  g_free (s->cluster_like);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Search, search_clear)

/* name=web* -> "web%", with LIKE's own wildcards escaped. */
static char *
wildcard_to_like (const char *pattern)
{
  GString *like = g_string_new (NULL);

  for (const char *p = pattern; *p; p++)
    {
      if (*p == '*')
        g_string_append_c (like, '%');
      else
        {
          if (*p == '%' || *p == '_' || *p == '\\')
            g_string_append_c (like, '\\');
          g_string_append_c (like, *p);
        }
    }
  return g_string_free (like, FALSE);
}

/* Splits a search on blanks; double quotes group (name="my vm") and a
 * backslash escapes the next character inside them. */
static GPtrArray *
tokenize_search (const char *text)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  GString *token = NULL;
  gboolean quoted = FALSE;

  for (const char *p = text; ; p++)
    {
      if (*p == '\0' || (!quoted && (*p == ' ' || *p == '\t')))
        {
          if (token != NULL)
            g_ptr_array_add (tokens, g_string_free (g_steal_pointer (&token), FALSE));
          if (*p == '\0')
            break;
          continue;
        }
      if (token == NULL)
        token = g_string_new (NULL);
      if (*p == '"')
        quoted = !quoted;
      else if (quoted && *p == '\\' && p[1] != '\0')
        g_string_append_c (token, *++p);
      else
        g_string_append_c (token, *p);
    }
  return tokens;
}

/* The search terms clients use for VMs: name=PATTERN, status=STATE,
 * cluster=PATTERN, "page N", "sortby name [asc|desc]", joined by blanks
 * or "and". Anything else is refused rather than silently ignored. */
static gboolean
parse_search (const char  *text,
              Search      *out,
              char       **bad_term)
{
  g_autoptr(GPtrArray) tokens = NULL;

  memset (out, 0, sizeof *out);
  if (text == NULL)
    return TRUE;
  tokens = tokenize_search (text);
  g_ptr_array_add (tokens, NULL);

  for (guint i = 0; i + 1 < tokens->len; i++)
    {
      const char *t = g_ptr_array_index (tokens, i);
      const char *next = g_ptr_array_index (tokens, i + 1);

      if (g_ascii_strncasecmp (t, "name=", 5) == 0)
        {
          g_free (out->name_like);
          out->name_like = wildcard_to_like (t + 5);
        }
      else if (g_ascii_strncasecmp (t, "status=", 7) == 0)
        {
          g_free (out->status);
          out->status = g_ascii_strdown (t + 7, -1);
        }
      else if (g_ascii_strncasecmp (t, "cluster=", 8) == 0)
        {
          g_free (out->cluster_like);
          out->cluster_like = wildcard_to_like (t + 8);
        }
      else if (g_ascii_strcasecmp (t, "page") == 0 && next != NULL &&
               g_ascii_string_to_signed (next, 10, 1, G_MAXINT32, &out->page, NULL))
        i++;
      else if (g_ascii_strcasecmp (t, "sortby") == 0 && next != NULL &&
               g_ascii_strcasecmp (next, "name") == 0)
        {
          const char *order = g_ptr_array_index (tokens, i + 2);

          i++;
          if (order != NULL && (g_ascii_strcasecmp (order, "asc") == 0 ||
                                g_ascii_strcasecmp (order, "desc") == 0))
            {
              out->descending = g_ascii_strcasecmp (order, "desc") == 0;
              i++;
            }
        }
      else if (g_ascii_strcasecmp (t, "and") == 0 || g_ascii_strcasecmp (t, "vms:") == 0 ||
               g_ascii_strcasecmp (t, "vm:") == 0)
        continue;
      else
        {
          *bad_term = g_strdup (t);
          return FALSE;
        }
    }
  return TRUE;
}

/* Default page size for "page N" without max, as the engine's
 * SearchResultsLimit. */
#define DEFAULT_PAGE_SIZE 100

static void
get_vms (Request *req)
{
  g_auto(Search) search = { NULL, };
  ObSandboxVmFilter filter = { NULL, };
  g_autofree char *bad_term = NULL;
  g_autoptr(GError) error = NULL;
  const char *max_text = query_get (req, "max");
  gint64 max = -1;
  gint64 offset = 0;
  gint64 count;
  ObReprWriter *w;
  WriteCtx c;

  if (max_text != NULL && !g_ascii_string_to_signed (max_text, 10, -1, G_MAXINT32, &max, NULL))
    {
      g_autofree char *detail = g_strdup_printf (_("Value \"%s\" isn't a valid integer."), max_text);

      fault (req, SOUP_STATUS_BAD_REQUEST, REASON_INVALID, detail);
      return;
    }

  if (!parse_search (query_get (req, "search"), &search, &bad_term))
    {
      g_autofree char *why = g_strdup_printf (_("The search term '%s' is not supported."), bad_term);

      refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, "search", "VM", why);
      return;
    }
  if (search.page > 0)
    {
      gint64 size = max >= 0 ? max : DEFAULT_PAGE_SIZE;

      offset = (search.page - 1) * size;
      max = size;
    }

  /* About 2.5 KiB per VM in either format: allocate once rather than
   * copying a growing buffer. */
  count = ob_sandbox_store_count_vms (req->router->store);
  w = ob_repr_writer_new (req->format, (gsize) MIN (count, max < 0 ? count : max) * 2800 + 256);
  write_ctx_init (&c, w, req->all_content);
  ob_repr_begin_collection (w, "vms", "vm");
  filter.name_like = search.name_like;
  filter.status = search.status;
  filter.cluster_like = search.cluster_like;
  filter.descending = search.descending;
  if (!ob_sandbox_store_foreach_vm (req->router->store, &filter, offset, max, list_vm_cb, &c, &error))
    {
      write_ctx_clear (&c);
      ob_repr_writer_free (w);
      internal_error (req, error);
      return;
    }
  ob_repr_end_collection (w);
  write_ctx_clear (&c);
  respond_writer (req->msg, SOUP_STATUS_OK, w);
}

/* ---- VMs: writing ---- */

static void
replace_str (char       **slot,
             const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*slot);
  *slot = copy;
}

static gboolean
begin (Request *req)
{
  g_autoptr(GError) error = NULL;

  if (ob_sandbox_store_begin (req->router->store, &error))
    return TRUE;
  internal_error (req, error);
  return FALSE;
}

static gboolean
commit (Request *req,
        gboolean is_action)
{
  g_autoptr(GError) error = NULL;

  if (ob_sandbox_store_commit (req->router->store, &error))
    return TRUE;
  if (is_action)
    respond_action (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, REASON_FAILED, error->message);
  else
    internal_error (req, error);
  return FALSE;
}

static void
rollback (Request *req)
{
  ob_sandbox_store_rollback (req->router->store);
}

/* Reads the optional typed fields a VM body may carry. Returns FALSE (and
 * answers 400) on a wrong type. */
typedef struct
{
  const char *name;
  const char *description;
  gboolean    has_memory;
  gint64      memory;
  gboolean    has_balloon;
  gboolean    balloon;
} VmFields;

static gboolean
read_vm_fields (Request    *req,
                JsonObject *body,
                const char *action,
                VmFields   *f)
{
  g_autoptr(GError) error = NULL;

  memset (f, 0, sizeof *f);
  if (body == NULL)
    return TRUE;

  f->has_balloon = ob_repr_get_bool (body, "memory_policy/ballooning", &f->balloon, &error);
  if (error == NULL)
    f->has_memory = ob_repr_get_int (body, "memory", &f->memory, &error);
  if (error != NULL)
    {
      fault (req, SOUP_STATUS_BAD_REQUEST, REASON_INVALID, error->message);
      return FALSE;
    }

  f->name = ob_repr_get_string (body, "name");
  f->description = ob_repr_get_string (body, "description");
  if (ob_repr_has_member (body, "name") && (f->name == NULL || *f->name == '\0'))
    {
      refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, action, "VM",
              _("The VM name must not be empty."));
      return FALSE;
    }
  if (f->has_memory && f->memory < MIB)
    {
      refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, action, "VM",
              _("Memory size must be at least 1 MiB."));
      return FALSE;
    }
  return TRUE;
}

static void
put_vm (Request    *req,
        const char *id)
{
  g_auto(VmInfo) vm = { NULL, };
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  gboolean failed = FALSE;
  gboolean later;
  VmFields f;

  body = read_body (req, TRUE, "vm", &failed);
  if (failed)
    return;
  if (!read_vm_fields (req, body, "edit", &f))
    return;
  if (!begin (req))
    return;
  if (!load_vm (req, id, &vm))
    {
      rollback (req);
      return;
    }
  if (refuse_if_locked (req, &vm, FALSE, "edit"))
    {
      rollback (req);
      return;
    }

  if (f.has_balloon && f.balloon)
    {
      g_autofree char *refusal = balloon_refusal (effective_level (&vm), vm.cpu_arch, "edit", "VM");

      if (refusal != NULL)
        {
          rollback (req);
          fault (req, SOUP_STATUS_BAD_REQUEST, REASON_FAILED, refusal);
          return;
        }
    }
  if (f.name != NULL && ob_sandbox_store_vm_name_taken (req->router->store, f.name, vm.id))
    {
      rollback (req);
      refuse (req, FALSE, SOUP_STATUS_CONFLICT, "edit", "VM",
              _("The VM name is already in use, please choose a unique name and try again."));
      return;
    }

  /* A running VM keeps its configuration; the change waits in a next-run
   * configuration until it stops. Name and description apply at once
   * unless next_run is asked for, as the engine's hot-editable fields. */
  {
    gboolean cold_change = (f.has_memory && f.memory / MIB != vm.mem_size_mb) ||
                           (f.has_balloon && f.balloon != vm.balloon);

    /* As the engine, no next run when nothing would change, but a
     * waiting one is updated (or dropped when it comes back to the
     * running configuration). */
    later = !vm_is_down (&vm) &&
            (query_flag (req, "next_run") || cold_change ||
             (vm.next_run && (f.has_memory || f.has_balloon)));
  }
  if (later)
    {
      ObSandboxNextRun next = { NULL, };
      gboolean all_later = query_flag (req, "next_run");
      const char *now_name, *now_description;
      gboolean ok;

      if (!ob_sandbox_store_get_next_run (req->router->store, vm.id, &next, &error) && error == NULL)
        {
          next.name = g_strdup (vm.name);
          next.description = g_strdup (vm.description);
          next.mem_size_mb = vm.mem_size_mb;
          next.balloon = vm.balloon;
        }
      if (f.name != NULL)
        replace_str (&next.name, f.name);
      if (f.description != NULL)
        replace_str (&next.description, f.description);
      if (f.has_memory)
        next.mem_size_mb = f.memory / MIB;
      if (f.has_balloon)
        next.balloon = f.balloon;

      /* What the VM is called once the hot fields are applied. */
      now_name = !all_later && f.name ? f.name : vm.name;
      now_description = !all_later && f.description ? f.description : vm.description;
      if (g_strcmp0 (next.name, now_name) == 0 && g_strcmp0 (next.description, now_description) == 0 &&
          next.mem_size_mb == vm.mem_size_mb && next.balloon == vm.balloon)
        ok = error == NULL && ob_sandbox_store_delete_next_run (req->router->store, vm.id, &error);
      else
        ok = error == NULL && ob_sandbox_store_put_next_run (req->router->store, vm.id, &next, &error);
      if (ok && !all_later && (f.name != NULL || f.description != NULL))
        ok = ob_sandbox_store_update_vm_static (req->router->store, vm.id,
                                                f.name ? f.name : vm.name,
                                                f.description ? f.description : vm.description,
                                                vm.mem_size_mb, &error);
      ob_sandbox_next_run_clear (&next);
      if (!ok)
        {
          rollback (req);
          internal_error (req, error);
          return;
        }
    }
  else
    {
      if (!ob_sandbox_store_update_vm_static (req->router->store, vm.id,
                                              f.name ? f.name : vm.name,
                                              f.description ? f.description : vm.description,
                                              f.has_memory ? f.memory / MIB : vm.mem_size_mb,
                                              &error) ||
          (f.has_balloon && f.balloon != vm.balloon &&
           !ob_sandbox_store_set_balloon (req->router->store, vm.id, f.balloon, &error)))
        {
          rollback (req);
          internal_error (req, error);
          return;
        }

      /* A hot edit must not be undone by an older next-run configuration
       * when the VM stops. */
      if (vm.next_run && (f.name != NULL || f.description != NULL))
        {
          ObSandboxNextRun next = { NULL, };
          gboolean ok = TRUE;

          if (ob_sandbox_store_get_next_run (req->router->store, vm.id, &next, &error))
            {
              if (f.name != NULL)
                replace_str (&next.name, f.name);
              if (f.description != NULL)
                replace_str (&next.description, f.description);
              ok = ob_sandbox_store_put_next_run (req->router->store, vm.id, &next, &error);
            }
          ob_sandbox_next_run_clear (&next);
          if (!ok || error != NULL)
            {
              rollback (req);
              internal_error (req, error);
              return;
            }
        }
    }

  if (!commit (req, FALSE))
    return;

  vm_info_clear (&vm);
  if (load_vm (req, id, &vm))
    respond_vm (req, SOUP_STATUS_OK, &vm, FALSE);
}

/* Reads {id} or {name} of a referenced entity, e.g. "cluster". */
static void
read_reference (JsonObject  *body,
                const char  *member,
                const char **id,
                const char **name)
{
  g_autofree char *id_path = g_strconcat (member, "/id", NULL);
  g_autofree char *name_path = g_strconcat (member, "/name", NULL);

  *id = ob_repr_get_string (body, id_path);
  *name = ob_repr_get_string (body, name_path);
}

typedef struct
{
  gint64 mem_size_mb;
} TemplateMem;

static gboolean
template_mem_cb (const ObSandboxTemplateRow *t,
                 gpointer                    user_data)
{
  ((TemplateMem *) user_data)->mem_size_mb = t->mem_size_mb;
  return FALSE;
}

typedef struct
{
  ObCompatVersion level;
  char           *arch;
} ClusterLevel;

static gboolean
cluster_level_cb (const ObSandboxClusterRow *cl,
                  gpointer                   user_data)
{
  ClusterLevel *out = user_data;

  out->level = cl->level;
  out->arch = g_strdup (cl->cpu_arch);
  return FALSE;
}

static void
post_vm (Request *req)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cluster_id = NULL;
  g_autofree char *template_id = NULL;
  g_autofree char *new_id = NULL;
  g_autofree char *location = NULL;
  g_auto(VmInfo) created = { NULL, };
  g_autoptr(GString) missing = g_string_new (NULL);
  const char *cluster_ref_id, *cluster_ref_name, *template_ref_id, *template_ref_name;
  ClusterLevel cluster = { { 0, 0 }, NULL };
  TemplateMem tmem = { 1024 };
  ObSandboxVmRow row = { NULL, };
  gboolean failed = FALSE;
  VmFields f;

  body = read_body (req, TRUE, "vm", &failed);
  if (failed)
    return;
  if (!read_vm_fields (req, body, "add", &f))
    return;

  read_reference (body, "cluster", &cluster_ref_id, &cluster_ref_name);
  read_reference (body, "template", &template_ref_id, &template_ref_name);
  if (cluster_ref_id == NULL && cluster_ref_name == NULL)
    g_string_append (missing, "cluster.id|name");
  if (f.name == NULL)
    g_string_append_printf (missing, "%sname", missing->len ? ", " : "");
  if (template_ref_id == NULL && template_ref_name == NULL)
    g_string_append_printf (missing, "%stemplate.id|name", missing->len ? ", " : "");
  if (missing->len > 0)
    {
      g_autofree char *detail = g_strdup_printf ("Vm [%s] required for add", missing->str);

      fault (req, SOUP_STATUS_BAD_REQUEST, REASON_INCOMPLETE, detail);
      return;
    }

  if (!begin (req))
    return;

  cluster_id = ob_sandbox_store_find_cluster (req->router->store, cluster_ref_id, cluster_ref_name);
  template_id = ob_sandbox_store_find_template (req->router->store, template_ref_id, template_ref_name);
  if (cluster_id == NULL || template_id == NULL)
    {
      rollback (req);
      refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, "add", "VM",
              cluster_id == NULL ? _("Cluster doesn't exist.")
                                 : _("The relevant Template doesn't exist."));
      return;
    }
  ob_sandbox_store_foreach_cluster (req->router->store, cluster_id, cluster_level_cb, &cluster, NULL);
  ob_sandbox_store_foreach_template (req->router->store, template_id, template_mem_cb, &tmem, NULL);

  row.has_custom_level = FALSE;
  if (ob_repr_has_member (body, "custom_compatibility_version"))
    {
      gint64 major = -1, minor = -1;

      if (!ob_repr_get_int (body, "custom_compatibility_version/major", &major, &error) ||
          !ob_repr_get_int (body, "custom_compatibility_version/minor", &minor, &error) ||
          major < 0 || minor < 0 || major > G_MAXUINT16 || minor > G_MAXUINT16)
        {
          rollback (req);
          g_free (cluster.arch);
          fault (req, SOUP_STATUS_BAD_REQUEST, REASON_INVALID,
                 error ? error->message : _("custom_compatibility_version needs major and minor."));
          return;
        }
      row.has_custom_level = TRUE;
      row.custom_level.major = (guint) major;
      row.custom_level.minor = (guint) minor;
    }

  {
    const ObCompatVersion *level = row.has_custom_level ? &row.custom_level : &cluster.level;
    ObBalloonVerdict verdict = ob_balloon_policy_verdict (ob_level_from_version (level), cluster.arch);

    if (f.has_balloon && f.balloon)
      {
        g_autofree char *refusal = balloon_refusal (level, cluster.arch, "add", "VM");

        if (refusal != NULL)
          {
            rollback (req);
            g_free (cluster.arch);
            fault (req, SOUP_STATUS_BAD_REQUEST, REASON_FAILED, refusal);
            return;
          }
      }
    /* Omitted: on by default where the cluster allows it, silently off
     * where it does not, as the engine's osinfo default
     * (devices.balloon.enabled) did; an add is never refused for a
     * default. */
    row.balloon = f.has_balloon ? f.balloon
                                : ob_balloon_policy_allows (verdict);
  }
  g_free (cluster.arch);

  if (ob_sandbox_store_vm_name_taken (req->router->store, f.name, NULL))
    {
      rollback (req);
      refuse (req, FALSE, SOUP_STATUS_CONFLICT, "add", "VM",
              _("The VM name is already in use, please choose a unique name and try again."));
      return;
    }

  new_id = g_uuid_string_random ();
  row.id = new_id;
  row.name = f.name;
  row.description = f.description ? f.description : "";
  row.cluster_id = cluster_id;
  row.template_id = template_id;
  row.os_type = ob_repr_get_string (body, "os/type");
  row.status = "down";
  row.mem_size_mb = f.has_memory ? f.memory / MIB : tmem.mem_size_mb;
  row.creation_time = g_get_real_time () / 1000;

  if (!ob_sandbox_store_insert_vm (req->router->store, &row, &error))
    {
      rollback (req);
      internal_error (req, error);
      return;
    }
  if (!commit (req, FALSE))
    return;

  {
    GUri *uri = soup_server_message_get_uri (req->msg);
    g_autofree char *path = g_strdup_printf ("%s/vms/%s", API, new_id);

    location = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                           g_uri_get_port (uri), path, NULL, NULL);
  }
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Location", location);
  if (load_vm (req, new_id, &created))
    respond_vm (req, SOUP_STATUS_CREATED, &created, FALSE);
}

static void
delete_vm (Request    *req,
           const char *id)
{
  g_auto(VmInfo) vm = { NULL, };
  g_autoptr(GError) error = NULL;

  if (!begin (req))
    return;
  if (!load_vm (req, id, &vm))
    {
      rollback (req);
      return;
    }
  if (refuse_if_locked (req, &vm, FALSE, "remove"))
    {
      rollback (req);
      return;
    }
  if (!vm_is_down (&vm))
    {
      rollback (req);
      refuse (req, FALSE, SOUP_STATUS_CONFLICT, "remove", "VM", _("VM is running."));
      return;
    }
  if (!ob_sandbox_store_delete_vm (req->router->store, id, &error))
    {
      rollback (req);
      internal_error (req, error);
      return;
    }
  if (commit (req, FALSE))
    soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
}

/* ---- actions ---- */

static gboolean
record_host_payload (Request      *req,
                     const VmInfo *vm,
                     gboolean      balloon,
                     gboolean      run_once,
                     gboolean      volatile_run,
                     GError      **error)
{
  g_autofree char *vdsm = ob_host_payload_vdsm_balloon (balloon);
  /* The engine's libvirt alias is "ua-" + the balloon device's id. */
  g_autofree char *alias = ob_sandbox_store_get_balloon_device_id (req->router->store, vm->id);
  g_autofree char *libvirt = ob_host_payload_libvirt_memballoon (balloon, balloon ? alias : NULL);
  g_autoptr(JsonArray) devices = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *devices_json = NULL;
  ObSandboxHostPayload payload = { 0, };

  /* The device list the engine would send to VDSM; the sandbox models
   * only the balloon device. */
  json_array_add_string_element (devices, vdsm);
  json_node_set_array (node, devices);
  devices_json = json_to_string (node, FALSE);

  payload.recorded_at = g_get_real_time () / 1000;
  payload.run_once = run_once;
  payload.volatile_run = volatile_run;
  payload.balloon = balloon;
  payload.stored_balloon = vm->balloon;
  payload.vdsm_devices = devices_json;
  payload.libvirt_memballoon = libvirt;
  return ob_sandbox_store_record_host_payload (req->router->store, vm->id, &payload, error);
}

static void
action_start (Request *req,
              VmInfo  *vm)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  gboolean failed = FALSE;
  gboolean run_once, volatile_run = FALSE, pause = FALSE;
  gboolean has_override = FALSE, override = FALSE;
  gboolean balloon;

  body = read_body (req, FALSE, "action", &failed);
  if (failed)
    return;

  if (body != NULL)
    {
      ob_repr_get_bool (body, "volatile", &volatile_run, &error);
      if (error == NULL)
        ob_repr_get_bool (body, "pause", &pause, &error);
      if (error == NULL)
        has_override = ob_repr_get_bool (body, "vm/memory_policy/ballooning", &override, &error);
      if (error != NULL)
        {
          respond_action (req, SOUP_STATUS_BAD_REQUEST, REASON_INVALID, error->message);
          return;
        }
    }
  /* An action carrying a vm is Run Once. */
  run_once = body != NULL && ob_repr_has_member (body, "vm");

  if (!vm_is_down (vm) && g_strcmp0 (vm->status, "suspended") != 0 &&
      g_strcmp0 (vm->status, "paused") != 0)
    {
      refuse (req, TRUE, SOUP_STATUS_CONFLICT, "run", "VM", _("VM is running."));
      return;
    }

  if (has_override && override)
    {
      g_autofree char *refusal = balloon_refusal (effective_level (vm), vm->cpu_arch, "run", "VM");

      if (refusal != NULL)
        {
          respond_action (req, SOUP_STATUS_BAD_REQUEST, REASON_FAILED, refusal);
          return;
        }
    }

  /* The override reaches the host for this run only; vm_device is not
   * touched. */
  balloon = has_override ? override : vm->balloon;

  if (!begin (req))
    return;
  if (!record_host_payload (req, vm, balloon, run_once, volatile_run, &error) ||
      !ob_sandbox_store_set_dynamic (req->router->store, vm->id, pause ? "paused" : "up",
                                     run_once, run_once && volatile_run,
                                     run_once && has_override ? (override ? 1 : 0) : -1,
                                     g_get_real_time () / 1000, 0, &error))
    {
      rollback (req);
      respond_action (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, REASON_FAILED, error->message);
      return;
    }
  if (commit (req, TRUE))
    respond_action (req, SOUP_STATUS_OK, NULL, NULL);
}

static void
action_stop (Request    *req,
             VmInfo     *vm,
             const char *verb)
{
  g_autoptr(GError) error = NULL;
  ObSandboxNextRun next = { NULL, };
  gboolean has_next;

  if (vm_is_down (vm))
    {
      refuse (req, TRUE, SOUP_STATUS_CONFLICT, verb, "VM", _("VM is not running."));
      return;
    }
  if (!begin (req))
    return;

  /* Stopping applies the next-run configuration. */
  has_next = ob_sandbox_store_get_next_run (req->router->store, vm->id, &next, &error);
  if (error == NULL && has_next)
    {
      if (ob_sandbox_store_update_vm_static (req->router->store, vm->id, next.name,
                                             next.description, next.mem_size_mb, &error) &&
          (next.balloon == vm->balloon ||
           ob_sandbox_store_set_balloon (req->router->store, vm->id, next.balloon, &error)))
        ob_sandbox_store_delete_next_run (req->router->store, vm->id, &error);
    }
  ob_sandbox_next_run_clear (&next);
  if (error == NULL)
    ob_sandbox_store_set_dynamic (req->router->store, vm->id, "down", FALSE, FALSE, -1,
                                  0, g_get_real_time () / 1000, &error);
  if (error != NULL)
    {
      rollback (req);
      respond_action (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, REASON_FAILED, error->message);
      return;
    }
  if (commit (req, TRUE))
    respond_action (req, SOUP_STATUS_OK, NULL, NULL);
}

static void
action_reboot (Request *req,
               VmInfo  *vm)
{
  g_autoptr(GError) error = NULL;
  gboolean keep_run_once;
  gboolean balloon;

  if (g_strcmp0 (vm->status, "up") != 0)
    {
      refuse (req, TRUE, SOUP_STATUS_CONFLICT, "reboot", "VM", _("VM is not running."));
      return;
    }

  /* A volatile Run Once keeps its configuration across a reboot; an
   * ordinary one falls back to the stored configuration. */
  keep_run_once = vm->run_once && vm->volatile_run;
  balloon = keep_run_once && vm->run_once_balloon >= 0 ? vm->run_once_balloon != 0 : vm->balloon;

  if (!begin (req))
    return;
  if (!record_host_payload (req, vm, balloon, keep_run_once, keep_run_once, &error) ||
      !ob_sandbox_store_set_dynamic (req->router->store, vm->id, "up", keep_run_once,
                                     keep_run_once, keep_run_once ? vm->run_once_balloon : -1,
                                     g_get_real_time () / 1000, 0, &error))
    {
      rollback (req);
      respond_action (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, REASON_FAILED, error->message);
      return;
    }
  if (commit (req, TRUE))
    respond_action (req, SOUP_STATUS_OK, NULL, NULL);
}

static void
vm_action (Request    *req,
           const char *id,
           const char *action)
{
  g_auto(VmInfo) vm = { NULL, };

  if (!g_strv_contains (vm_actions, action))
    {
      not_found (req);
      return;
    }
  if (g_strcmp0 (req->method, "POST") != 0)
    {
      method_not_allowed (req, "POST");
      return;
    }
  if (!load_vm (req, id, &vm))
    return;

  if (refuse_if_locked (req, &vm, TRUE, g_str_equal (action, "start") ? "run" : action))
    return;
  if (g_str_equal (action, "start"))
    action_start (req, &vm);
  else if (g_str_equal (action, "stop"))
    action_stop (req, &vm, "stop");
  else if (g_str_equal (action, "shutdown"))
    action_stop (req, &vm, "shutdown");
  else
    action_reboot (req, &vm);
}

/* ---- clusters ---- */

static gboolean
write_cluster_cb (const ObSandboxClusterRow *cl,
                  gpointer                   user_data)
{
  WriteCtx *c = user_data;
  ObReprWriter *w = c->w;
  ObCompatVersion mom_min = OB_COMPAT_VERSION_INIT (3, 3);
  gboolean xml = ob_repr_writer_get_format (w) == OB_REPR_XML;
  gsize base;

  if (!write_ctx_selects (c, cl->name))
    return TRUE;
  g_string_assign (c->href, API "/clusters/");
  g_string_append (c->href, cl->id);
  base = c->href->len;

  ob_repr_begin (w, "cluster", c->href->str, cl->id);
  if (xml)
    {
      ob_repr_string (w, "name", cl->name);
      ob_repr_string (w, "description", cl->description);
      ob_repr_string (w, "comment", "");
      write_links (w, c->href, base, cluster_links);
    }
  /* The cluster's MoM "memory balloon optimization", not the VM device;
   * MoM ballooning needs level 3.3. */
  ob_repr_bool (w, "ballooning_enabled", ob_compat_version_compare (&cl->level, &mom_min) >= 0);
  ob_repr_begin (w, "cpu", NULL, NULL);
  ob_repr_string (w, "architecture", cl->cpu_arch);
  ob_repr_string (w, "type", g_strcmp0 (cl->cpu_arch, "ppc64") == 0 ? "IBM POWER8"
                                                                     : "Intel Nehalem Family");
  ob_repr_end (w);
  ob_repr_begin (w, "memory_policy", NULL, NULL);
  ob_repr_begin (w, "over_commit", NULL, NULL);
  ob_repr_int (w, "percent", 100);
  ob_repr_end (w);
  ob_repr_end (w);
  write_version (w, "version", &cl->level);
  if (!xml)
    {
      ob_repr_string (w, "name", cl->name);
      ob_repr_string (w, "description", cl->description);
      ob_repr_string (w, "comment", "");
      ob_repr_identity (w, c->href->str, cl->id);
      write_links (w, c->href, base, cluster_links);
    }
  ob_repr_end (w);
  return TRUE;
}

/* ---- templates ---- */

static gboolean
write_template_cb (const ObSandboxTemplateRow *t,
                   gpointer                    user_data)
{
  WriteCtx *c = user_data;
  ObReprWriter *w = c->w;
  gboolean xml = ob_repr_writer_get_format (w) == OB_REPR_XML;
  gsize base;

  if (!write_ctx_selects (c, t->name))
    return TRUE;
  g_string_assign (c->href, API "/templates/");
  g_string_append (c->href, t->id);
  base = c->href->len;

  ob_repr_begin (w, "template", c->href->str, t->id);
  if (xml)
    {
      ob_repr_string (w, "name", t->name);
      ob_repr_string (w, "description", t->description);
      ob_repr_string (w, "comment", "");
      write_links (w, c->href, base, template_links);
    }
  ob_repr_date (w, "creation_time", t->creation_time);
  ob_repr_int (w, "memory", t->mem_size_mb * MIB);
  /* Templates do not support the balloon (the design leaves template
   * resource allocation out), so no ballooning here. */
  ob_repr_begin (w, "memory_policy", NULL, NULL);
  ob_repr_int (w, "guaranteed", t->mem_size_mb * MIB);
  ob_repr_int (w, "max", t->mem_size_mb * MIB * 4);
  ob_repr_end (w);
  ob_repr_begin (w, "os", NULL, NULL);
  ob_repr_string (w, "type", t->os_type);
  ob_repr_end (w);
  ob_repr_string (w, "type", "server");
  write_ref (c, "cluster", "clusters", t->cluster_id);
  ob_repr_string (w, "status", "ok");
  ob_repr_begin (w, "version", NULL, NULL);
  ob_repr_string (w, "version_name", "base version");
  ob_repr_int (w, "version_number", 1);
  ob_repr_end (w);
  if (!xml)
    {
      ob_repr_string (w, "name", t->name);
      ob_repr_string (w, "description", t->description);
      ob_repr_string (w, "comment", "");
      ob_repr_identity (w, c->href->str, t->id);
      write_links (w, c->href, base, template_links);
    }
  ob_repr_end (w);
  return TRUE;
}

typedef gboolean (*ForeachFunc) (ObSandboxStore *store,
                                 const char     *id,
                                 gpointer        func,
                                 gpointer        user_data,
                                 GError        **error);

static void
get_entities (Request     *req,
              const char  *id,
              const char  *plural,
              const char  *singular,
              ForeachFunc  foreach,
              gpointer     write_cb)
{
  ObReprWriter *w = ob_repr_writer_new (req->format, 8192);
  g_autoptr(GError) error = NULL;
  WriteCtx c;
  gboolean ok;

  write_ctx_init (&c, w, TRUE);
  if (id == NULL)
    {
      const char *search = query_get (req, "search");
      const char *max_text = query_get (req, "max");

      if (max_text != NULL && !g_ascii_string_to_signed (max_text, 10, -1, G_MAXINT32, &c.remaining, NULL))
        {
          g_autofree char *detail = g_strdup_printf (_("Value \"%s\" isn't a valid integer."), max_text);

          write_ctx_clear (&c);
          ob_repr_writer_free (w);
          fault (req, SOUP_STATUS_BAD_REQUEST, REASON_INVALID, detail);
          return;
        }
      if (search != NULL)
        {
          g_autoptr(GPtrArray) tokens = tokenize_search (search);

          for (guint i = 0; i < tokens->len; i++)
            {
              const char *t = g_ptr_array_index (tokens, i);

              if (g_ascii_strncasecmp (t, "name=", 5) == 0)
                {
                  g_autofree char *lower = g_utf8_strdown (t + 5, -1);

                  g_clear_pointer (&c.name_pattern, g_pattern_spec_free);
                  c.name_pattern = g_pattern_spec_new (lower);
                }
              else if (g_ascii_strcasecmp (t, "and") != 0)
                {
                  g_autofree char *why = g_strdup_printf (_("The search term '%s' is not supported."), t);

                  write_ctx_clear (&c);
                  ob_repr_writer_free (w);
                  refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, "search",
                          g_str_equal (singular, "cluster") ? "Cluster" : "Template", why);
                  return;
                }
            }
        }
      ob_repr_begin_collection (w, plural, singular);
    }
  ok = foreach (req->router->store, id, write_cb, &c, &error);
  if (id == NULL)
    ob_repr_end_collection (w);
  write_ctx_clear (&c);

  if (!ok)
    {
      ob_repr_writer_free (w);
      if (error != NULL)
        internal_error (req, error);
      else
        not_found (req);
      return;
    }
  respond_writer (req->msg, SOUP_STATUS_OK, w);
}

static void
put_template (Request    *req,
              const char *id)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *existing = NULL;
  gboolean failed = FALSE;
  gboolean ignored;
  const char *name, *description;

  body = read_body (req, TRUE, "template", &failed);
  if (failed)
    return;
  existing = ob_sandbox_store_find_template (req->router->store, id, NULL);
  if (existing == NULL)
    {
      not_found (req);
      return;
    }

  ob_repr_get_bool (body, "memory_policy/ballooning", &ignored, &error);
  if (error != NULL)
    {
      fault (req, SOUP_STATUS_BAD_REQUEST, REASON_INVALID, error->message);
      return;
    }
  if (ob_repr_has_member (body, "memory_policy/ballooning"))
    {
      refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, "edit", "Template",
              _("The memory balloon is not supported for templates."));
      return;
    }
  if (g_str_equal (id, OB_SANDBOX_BLANK_TEMPLATE_ID))
    {
      refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, "edit", "Template",
              _("Blank Template cannot be edited."));
      return;
    }

  name = ob_repr_get_string (body, "name");
  description = ob_repr_get_string (body, "description");
  if (ob_repr_has_member (body, "name") && (name == NULL || *name == '\0'))
    {
      refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, "edit", "Template",
              _("The Template name must not be empty."));
      return;
    }
  if (!begin (req))
    return;
  if (!ob_sandbox_store_update_template (req->router->store, id, name, description, &error))
    {
      rollback (req);
      internal_error (req, error);
      return;
    }
  if (!commit (req, FALSE))
    return;
  get_entities (req, id, "templates", "template",
                (ForeachFunc) ob_sandbox_store_foreach_template, write_template_cb);
}

/* ---- the API root ---- */

static void
write_root_links (ObReprWriter *w,
                  GString      *href)
{
  static const char *const collections[] = { "clusters", "templates", "vms", NULL };

  ob_repr_begin_list (w, "link");
  for (guint i = 0; collections[i]; i++)
    {
      g_autofree char *search_rel = g_strconcat (collections[i], "/search", NULL);

      g_string_printf (href, "%s/%s", API, collections[i]);
      ob_repr_link (w, href->str, collections[i]);
      g_string_printf (href, "%s/%s?search={query}", API, collections[i]);
      ob_repr_link (w, href->str, search_rel);
    }
  ob_repr_end_list (w);
}

static void
get_root (Request *req)
{
  ObReprWriter *w = ob_repr_writer_new (req->format, 4096);
  gboolean xml = ob_repr_writer_get_format (w) == OB_REPR_XML;
  g_autofree char *blank_href = g_strdup_printf ("%s/templates/%s", API,
                                                 OB_SANDBOX_BLANK_TEMPLATE_ID);
  g_autoptr(GString) href = g_string_new (NULL);
  guint major = 0, minor = 0, micro = 0;
  gint64 total = ob_sandbox_store_count_vms (req->router->store);

  sscanf (PACKAGE_VERSION, "%u.%u.%u", &major, &minor, &micro);

  ob_repr_begin (w, "api", NULL, NULL);
  /* The engine's XML puts the links first, its JSON last. */
  if (xml)
    write_root_links (w, href);

  ob_repr_begin (w, "product_info", NULL, NULL);
  ob_repr_string (w, "instance_id", req->router->instance_id);
  ob_repr_string (w, "name", OB_SANDBOX_PRODUCT_NAME);
  ob_repr_string (w, "vendor", OB_SANDBOX_VENDOR);
  ob_repr_begin (w, "version", NULL, NULL);
  ob_repr_int (w, "build", 0);
  ob_repr_string (w, "full_version", PACKAGE_VERSION);
  ob_repr_int (w, "major", major);
  ob_repr_int (w, "minor", minor);
  ob_repr_int (w, "revision", micro);
  ob_repr_end (w);
  ob_repr_end (w);

  ob_repr_begin (w, "special_objects", NULL, NULL);
  ob_repr_ref (w, "blank_template", blank_href, OB_SANDBOX_BLANK_TEMPLATE_ID);
  ob_repr_end (w);

  ob_repr_begin (w, "summary", NULL, NULL);
  ob_repr_begin (w, "vms", NULL, NULL);
  ob_repr_int (w, "total", total);
  ob_repr_end (w);
  ob_repr_end (w);
  ob_repr_date (w, "time", g_get_real_time () / 1000);

  if (!xml)
    write_root_links (w, href);
  ob_repr_end (w);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                OB_ENGINE_CAPABILITIES_HEADER, OB_CAPABILITY_RUN_ONCE_BALLOON_OVERRIDE);
  respond_writer (req->msg, SOUP_STATUS_OK, w);
}

/* An empty sub-collection (nics, permissions, ...) of an existing entity. */
static void
get_empty_subcollection (Request    *req,
                         const char *name)
{
  ObReprWriter *w = ob_repr_writer_new (req->format, 128);
  g_autofree char *singular = g_strndup (name, strlen (name) - 1);

  ob_repr_begin_collection (w, name, singular);
  ob_repr_end_collection (w);
  respond_writer (req->msg, SOUP_STATUS_OK, w);
}

/* ---- dispatch ---- */

static gboolean
is_get (Request *req)
{
  return g_str_equal (req->method, "GET") || g_str_equal (req->method, "HEAD");
}

static void
route_vms (Request  *req,
           char    **seg,
           guint     n)
{
  if (n == 1)
    {
      if (is_get (req))
        get_vms (req);
      else if (g_str_equal (req->method, "POST"))
        post_vm (req);
      else
        method_not_allowed (req, "GET, POST");
      return;
    }
  if (n == 2)
    {
      if (is_get (req))
        {
          g_auto(VmInfo) vm = { NULL, };

          if (load_vm (req, seg[1], &vm))
            respond_vm (req, SOUP_STATUS_OK, &vm, query_flag (req, "next_run"));
        }
      else if (g_str_equal (req->method, "PUT"))
        put_vm (req, seg[1]);
      else if (g_str_equal (req->method, "DELETE"))
        delete_vm (req, seg[1]);
      else
        method_not_allowed (req, "GET, PUT, DELETE");
      return;
    }
  if (n == 3)
    {
      if (g_strv_contains (vm_links, seg[2]) && is_get (req))
        {
          g_auto(VmInfo) vm = { NULL, };

          if (load_vm (req, seg[1], &vm))
            get_empty_subcollection (req, seg[2]);
          return;
        }
      vm_action (req, seg[1], seg[2]);
      return;
    }
  not_found (req);
}

static void
route_simple (Request            *req,
              char              **seg,
              guint               n,
              const char         *plural,
              const char         *singular,
              ForeachFunc         foreach,
              gpointer            write_cb,
              const char *const  *links)
{
  if (n == 1 && is_get (req))
    get_entities (req, NULL, plural, singular, foreach, write_cb);
  else if (n == 2 && is_get (req))
    get_entities (req, seg[1], plural, singular, foreach, write_cb);
  else if (n == 2 && g_str_equal (req->method, "PUT") && g_str_equal (plural, "templates"))
    put_template (req, seg[1]);
  else if (n == 3 && is_get (req) && g_strv_contains (links, seg[2]))
    {
      g_autofree char *found = g_str_equal (plural, "templates")
                                 ? ob_sandbox_store_find_template (req->router->store, seg[1], NULL)
                                 : ob_sandbox_store_find_cluster (req->router->store, seg[1], NULL);

      if (found != NULL)
        get_empty_subcollection (req, seg[2]);
      else
        not_found (req);
    }
  else if (n <= 2)
    method_not_allowed (req, n == 1 ? "GET" : (g_str_equal (plural, "templates") ? "GET, PUT" : "GET"));
  else
    not_found (req);
}

static void
request_init (Request           *req,
              ObSandboxRouter   *router,
              SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);
  const char *all_content = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                          "All-Content");
  gboolean flag = FALSE;

  memset (req, 0, sizeof *req);
  req->router = router;
  req->msg = msg;
  req->method = soup_server_message_get_method (msg);
  req->format = ob_sandbox_request_format (msg);
  req->query = query ? soup_form_decode (query) : NULL;
  req->all_content = (all_content != NULL && ob_repr_parse_boolean (all_content, &flag) && flag) ||
                     query_flag (req, "all_content");
}

static void
request_clear (Request *req)
{
  g_clear_pointer (&req->query, g_hash_table_unref);
}

static char **
split_path (const char *subpath,
            guint      *n)
{
  g_auto(GStrv) raw = g_strsplit (subpath, "/", -1);
  GPtrArray *parts = g_ptr_array_new ();

  for (guint i = 0; raw[i] != NULL; i++)
    if (raw[i][0] != '\0')
      g_ptr_array_add (parts, g_steal_pointer (&raw[i]));
  *n = parts->len;
  g_ptr_array_add (parts, NULL);
  return (char **) g_ptr_array_free (parts, FALSE);
}

void
ob_sandbox_router_handle_api (ObSandboxRouter   *router,
                              SoupServerMessage *msg,
                              const char        *subpath)
{
  Request req;
  g_auto(GStrv) seg = NULL;
  guint n = 0;

  request_init (&req, router, msg);
  seg = split_path (subpath, &n);

  if (n == 0)
    {
      if (is_get (&req))
        get_root (&req);
      else
        method_not_allowed (&req, "GET");
    }
  else if (g_str_equal (seg[0], "vms"))
    route_vms (&req, seg, n);
  else if (g_str_equal (seg[0], "clusters"))
    route_simple (&req, seg, n, "clusters", "cluster",
                  (ForeachFunc) ob_sandbox_store_foreach_cluster, write_cluster_cb, cluster_links);
  else if (g_str_equal (seg[0], "templates"))
    route_simple (&req, seg, n, "templates", "template",
                  (ForeachFunc) ob_sandbox_store_foreach_template, write_template_cb, template_links);
  else
    not_found (&req);

  request_clear (&req);
}

/* GET /ovirt-engine/sandbox/vms/{id}/host-payload: what the last start
 * sent to the host. Sandbox-only; always JSON. */
void
ob_sandbox_router_handle_sandbox (ObSandboxRouter   *router,
                                  SoupServerMessage *msg,
                                  const char        *subpath)
{
  Request req;
  g_auto(GStrv) seg = NULL;
  g_autoptr(GError) error = NULL;
  ObSandboxHostPayload payload = { 0, };
  ObReprWriter *w;
  guint n = 0;

  request_init (&req, router, msg);
  req.format = OB_REPR_JSON;
  seg = split_path (subpath, &n);

  if (n != 3 || !g_str_equal (seg[0], "vms") || !g_str_equal (seg[2], "host-payload"))
    {
      not_found (&req);
      goto out;
    }
  if (!is_get (&req))
    {
      method_not_allowed (&req, "GET");
      goto out;
    }
  if (!ob_sandbox_store_get_host_payload (router->store, seg[1], &payload, &error))
    {
      if (error != NULL)
        internal_error (&req, error);
      else
        not_found (&req);
      goto out;
    }

  w = ob_repr_writer_new (OB_REPR_JSON, 1024);
  ob_repr_begin (w, "host_payload", NULL, NULL);
  ob_repr_string (w, "vm_id", seg[1]);
  ob_repr_date (w, "recorded_at", payload.recorded_at);
  ob_repr_bool (w, "run_once", payload.run_once);
  ob_repr_bool (w, "volatile", payload.volatile_run);
  ob_repr_bool (w, "ballooning", payload.balloon);
  ob_repr_bool (w, "stored_ballooning", payload.stored_balloon);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    ob_repr_begin_list (w, "vdsm_devices");
    if (json_parser_load_from_data (parser, payload.vdsm_devices, -1, NULL) &&
        JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
      {
        JsonArray *array = json_node_get_array (json_parser_get_root (parser));

        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            /* A list of strings: written as a one-member object would be
             * wrong, so write the raw JSON string items. */
            ob_repr_string (w, "device", json_array_get_string_element (array, i));
          }
      }
    ob_repr_end_list (w);
  }
  ob_repr_string (w, "libvirt_memballoon", payload.libvirt_memballoon);
  ob_repr_end (w);
  respond_writer (msg, SOUP_STATUS_OK, w);

out:
  ob_sandbox_host_payload_clear (&payload);
  request_clear (&req);
}
