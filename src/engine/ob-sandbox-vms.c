/* ob-sandbox-vms.c: the /vms collection: list (with search), get, remove,
 * and the VM state the other VM handlers share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ob-balloon-policy.h"
#include "ob-sandbox-graphics.h"
#include "ob-sandbox-mapper.h"
#include "ob-sandbox-resources.h"
#include "ob-sandbox-search.h"

void
ob_vm_info_clear (ObVmInfo *vm)
{
  g_free (vm->id);
  g_free (vm->name);
  g_free (vm->description);
  g_free (vm->cluster_id);
  g_free (vm->template_id);
  g_free (vm->os_type);
  g_free (vm->status);
  g_free (vm->cpu_arch);
  g_free (vm->graphics);
  memset (vm, 0, sizeof *vm);
}

static gboolean
copy_vm (const ObSandboxVmRow *row,
         gpointer              user_data)
{
  ObVmInfo *vm = user_data;

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
  vm->graphics = g_strdup (row->graphics);
  return FALSE;
}

void
ob_vm_info_to_row (const ObVmInfo *vm,
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
  row->graphics = vm->graphics;
}

/* Returns FALSE (and answers) when the VM does not exist or the store failed. */
gboolean
ob_vm_info_load (ObSandboxRequest *req,
                 const char       *id,
                 ObVmInfo         *vm)
{
  g_autoptr(GError) error = NULL;

  if (ob_sandbox_store_with_vm (req->router->store, id, copy_vm, vm, &error))
    return TRUE;
  if (error != NULL)
    ob_request_internal_error (req, error);
  else
    ob_request_not_found (req);
  return FALSE;
}

ObLevel
ob_vm_info_effective_level (const ObVmInfo *vm)
{
  return ob_balloon_policy_effective_level (ob_level_from_version (vm->has_custom_level ? &vm->custom_level : NULL),
                                            ob_level_from_version (&vm->cluster_level));
}

gboolean
ob_vm_info_is_down (const ObVmInfo *vm)
{
  return g_strcmp0 (vm->status, "down") == 0;
}

/* The engine's ACTION_TYPE_FAILED_VM_IS_LOCKED: nothing changes a VM
 * whose images are locked. Returns TRUE (and answers 409) when locked. */
gboolean
ob_vm_refuse_if_locked (ObSandboxRequest *req,
                        const ObVmInfo   *vm,
                        gboolean          is_action,
                        const char       *action)
{
  if (g_strcmp0 (vm->status, "image_locked") != 0)
    return FALSE;
  ob_request_refuse (req, is_action, SOUP_STATUS_CONFLICT, action, "VM",
                     _("VM is locked. Please try again in a few minutes."));
  return TRUE;
}

/* The one rule, in the engine's words. Returns NULL when allowed. */
char *
ob_vm_balloon_refusal (ObLevel                level,
                       const char            *cpu_arch,
                       const char            *action,
                       const char            *type)
{
  ObCompatVersion min_level = OB_BALLOON_MIN_LEVEL;
  g_autofree char *level_text = ob_level_to_string (level);
  g_autofree char *min_text = ob_compat_version_to_string (&min_level);
  g_autofree char *why = NULL;

  switch (ob_balloon_policy_verdict (level, cpu_arch))
    {
    case OB_BALLOON_ALLOWED:
    case OB_BALLOON_LEVEL_UNKNOWN:
      return NULL;
    case OB_BALLOON_LEVEL_TOO_LOW:
      /* Translators: both are compatibility levels, such as 3.0 and 3.1. */
      why = g_strdup_printf (_("Memory balloon is not supported in compatibility version %s, "
                               "it requires %s or higher."), level_text, min_text);
      break;
    case OB_BALLOON_ARCH_UNSUPPORTED:
      /* BALLOON_REQUESTED_ON_NOT_SUPPORTED_ARCH */
      why = g_strdup_printf (_("Balloon is not supported on '%s' architecture."), cpu_arch);
      break;
    default:
      g_return_val_if_reached (NULL);
    }
  return ob_request_cannot (action, type, why);
}

#define NAME_MAX_CHARS 255  /* BusinessEntitiesDefinitions.VM_NAME_SIZE */

const char *
ob_vm_name_problem (const char *name)
{
  glong chars = 0;

  if (!g_utf8_validate (name, -1, NULL))
    return _("The given name contains special characters. Only lower-case and upper-case "
             "letters, numbers, '_', '-', '.' are allowed.");
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p), chars++)
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalpha (c) && !(c >= '0' && c <= '9') && c != '.' && c != '_' && c != '-')
        return _("The given name contains special characters. Only lower-case and upper-case "
                 "letters, numbers, '_', '-', '.' are allowed.");
    }
  if (chars > NAME_MAX_CHARS)
    return _("The given name is too long.");
  return NULL;
}

void
ob_vm_respond (ObSandboxRequest *req,
               guint             status,
               const ObVmInfo   *vm,
               gboolean          show_next_run)
{
  ObReprWriter *w = ob_repr_writer_new (req->format, 4096);
  ObSandboxVmRow row;
  ObSandboxNextRun next = { NULL, };
  gboolean have_next = FALSE;
  ObMapperCtx c;

  if (show_next_run)
    have_next = ob_sandbox_store_get_next_run (req->router->store, vm->id, &next, NULL);

  ob_vm_info_to_row (vm, &row);
  ob_mapper_init (&c, w, TRUE);
  ob_mapper_write_vm (&c, &row, have_next ? &next : NULL);
  ob_mapper_clear (&c);
  ob_sandbox_next_run_clear (&next);
  ob_sandbox_respond_writer (req->msg, status, w);
}

/* Default page size for "page N" without max, as the engine's
 * SearchResultsLimit. */
#define DEFAULT_PAGE_SIZE 100

static void
get_vms (ObSandboxRequest *req)
{
  g_auto(ObSearch) search = { NULL, };
  ObSandboxVmFilter filter = { NULL, };
  g_autofree char *bad_term = NULL;
  g_autoptr(GError) error = NULL;
  const char *max_text = ob_request_query_get (req, "max");
  gint64 max = -1;
  gint64 offset = 0;
  gint64 count;
  ObReprWriter *w;
  ObMapperCtx c;

  if (max_text != NULL && !g_ascii_string_to_signed (max_text, 10, -1, G_MAXINT32, &max, NULL))
    {
      g_autofree char *detail = g_strdup_printf (_("Value \"%s\" isn't a valid integer."), max_text);

      ob_request_fault (req, SOUP_STATUS_BAD_REQUEST, OB_REASON_INVALID, detail);
      return;
    }

  if (!ob_search_parse (ob_request_query_get (req, "search"), &search, &bad_term))
    {
      g_autofree char *why = g_strdup_printf (_("The search term '%s' is not supported."), bad_term);

      ob_request_refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, "search", "VM", why);
      return;
    }
  if (search.page > 0)
    {
      gint64 size = max >= 0 ? max : DEFAULT_PAGE_SIZE;

      offset = (search.page - 1) * size;
      max = size;
    }

  /* About 5.6 KiB per VM in either format: allocate once rather than
   * copying a growing buffer. */
  count = ob_sandbox_store_count_vms (req->router->store);
  w = ob_repr_writer_new (req->format, (gsize) MIN (count, max < 0 ? count : max) * 5800 + 256);
  /* The device era lists the balloon only with All-Content; the flag
   * era maps it straight from VmBase, always. */
  ob_mapper_init (&c, w, req->all_content || req->router->flag_era);
  ob_repr_begin_collection (w, "vms", "vm");
  filter.name_like = search.name_like;
  filter.status = search.status;
  filter.cluster_like = search.cluster_like;
  filter.descending = search.descending;
  if (!ob_sandbox_store_foreach_vm (req->router->store, &filter, offset, max, ob_mapper_write_vm_cb, &c, &error))
    {
      ob_mapper_clear (&c);
      ob_repr_writer_free (w);
      ob_request_internal_error (req, error);
      return;
    }
  ob_repr_end_collection (w);
  ob_mapper_clear (&c);
  ob_sandbox_respond_writer (req->msg, SOUP_STATUS_OK, w);
}

static void
delete_vm (ObSandboxRequest *req,
           const char       *id)
{
  g_auto(ObVmInfo) vm = { NULL, };
  g_autoptr(GError) error = NULL;

  if (!ob_request_begin (req))
    return;
  if (!ob_vm_info_load (req, id, &vm))
    {
      ob_request_rollback (req);
      return;
    }
  if (ob_vm_refuse_if_locked (req, &vm, FALSE, "remove"))
    {
      ob_request_rollback (req);
      return;
    }
  if (!ob_vm_info_is_down (&vm))
    {
      ob_request_rollback (req);
      ob_request_refuse (req, FALSE, SOUP_STATUS_CONFLICT, "remove", "VM", _("VM is running."));
      return;
    }
  if (!ob_sandbox_store_delete_vm (req->router->store, id, &error))
    {
      ob_request_rollback (req);
      ob_request_internal_error (req, error);
      return;
    }
  if (ob_request_commit (req, FALSE))
    soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
}

void
ob_vms_route (ObSandboxRequest *req,
              char            **seg,
              guint             n)
{
  if (n == 1)
    {
      if (ob_request_is_get (req))
        get_vms (req);
      else if (g_str_equal (req->method, "POST"))
        ob_vm_post (req);
      else
        ob_request_method_not_allowed (req, "GET, POST");
      return;
    }
  if (n == 2)
    {
      if (ob_request_is_get (req))
        {
          g_auto(ObVmInfo) vm = { NULL, };

          if (ob_vm_info_load (req, seg[1], &vm))
            ob_vm_respond (req, SOUP_STATUS_OK, &vm, ob_request_query_flag (req, "next_run"));
        }
      else if (g_str_equal (req->method, "PUT"))
        ob_vm_put (req, seg[1]);
      else if (g_str_equal (req->method, "DELETE"))
        delete_vm (req, seg[1]);
      else
        ob_request_method_not_allowed (req, "GET, PUT, DELETE");
      return;
    }
  if ((n == 3 || n == 4) && g_str_equal (seg[2], "graphicsconsoles"))
    {
      g_auto(ObVmInfo) vm = { NULL, };

      if (!ob_request_is_get (req))
        ob_request_method_not_allowed (req, "GET");
      else if (ob_vm_info_load (req, seg[1], &vm))
        ob_graphics_respond_consoles (req, "vm", vm.id, vm.graphics, vm.status, n == 4 ? seg[3] : NULL);
      return;
    }
  if (n == 3)
    {
      if (g_strv_contains (ob_mapper_vm_links, seg[2]) && ob_request_is_get (req))
        {
          g_auto(ObVmInfo) vm = { NULL, };

          if (ob_vm_info_load (req, seg[1], &vm))
            ob_request_empty_subcollection (req, seg[2]);
          return;
        }
      ob_vm_action (req, seg[1], seg[2]);
      return;
    }
  ob_request_not_found (req);
}
