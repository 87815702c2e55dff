/* ob-cli-vm.c: `ovirt-balloon-cli vm ...`, listing VMs and changing
 * their balloon
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ob-cli-vm.h"
#include "ob-error.h"

typedef struct
{
  ObCliSession *session;
  const ObCliVmOptions *options;
  const ObCliOutputOptions *output;
  char **operands;
  guint n_operands;
} VmCall;

GOptionEntry *
ob_cli_vm_option_entries (ObCliVmOptions *options)
{
  const GOptionEntry entries[] = {
    { "search", 0, 0, G_OPTION_ARG_FILENAME, &options->search, NULL, NULL },
    { "next-run", 0, 0, G_OPTION_ARG_NONE, &options->next_run, NULL, NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &options->force, NULL, NULL },
    { "cluster", 0, 0, G_OPTION_ARG_FILENAME, &options->cluster, NULL, NULL },
    { "template", 0, 0, G_OPTION_ARG_FILENAME, &options->template_name, NULL, NULL },
    { "memory", 0, 0, G_OPTION_ARG_FILENAME, &options->memory, NULL, NULL },
    { "balloon", 0, 0, G_OPTION_ARG_FILENAME, &options->balloon, NULL, NULL },
    { "emulate", 0, 0, G_OPTION_ARG_NONE, &options->emulate, NULL, NULL },
    { "volatile", 0, 0, G_OPTION_ARG_NONE, &options->is_volatile, NULL, NULL },
    { NULL }
  };

  return g_memdup2 (entries, sizeof entries);
}

void
ob_cli_vm_options_clear (ObCliVmOptions *options)
{
  g_clear_pointer (&options->search, g_free);
  g_clear_pointer (&options->cluster, g_free);
  g_clear_pointer (&options->template_name, g_free);
  g_clear_pointer (&options->memory, g_free);
  g_clear_pointer (&options->balloon, g_free);
}

static void
add_vm_json (JsonBuilder *builder,
             ObVm        *vm,
             gboolean     details)
{
  json_builder_begin_object (builder);
  ob_cli_add_string_or_null (builder, "id", ob_vm_get_id (vm));
  ob_cli_add_string_or_null (builder, "name", ob_vm_get_name (vm));
  ob_cli_add_string_or_null (builder, "status", ob_vm_get_status (vm));
  ob_cli_add_string_or_null (builder, "cluster", ob_vm_get_cluster_name (vm));
  ob_cli_add_string_or_null (builder, "cluster_version", ob_vm_get_cluster_version (vm));
  ob_cli_add_balloon_state (builder, "balloon_enabled", ob_vm_get_ballooning (vm));
  json_builder_set_member_name (builder, "balloon_allowed");
  json_builder_add_boolean_value (builder, ob_vm_get_balloon_allowed (vm));
  if (details)
    {
      json_builder_set_member_name (builder, "memory");
      json_builder_add_int_value (builder, (gint64) MIN (ob_vm_get_memory (vm), (guint64) G_MAXINT64));
      json_builder_set_member_name (builder, "next_run_configuration_exists");
      json_builder_add_boolean_value (builder, ob_vm_get_next_run_configuration_exists (vm));
    }
  json_builder_end_object (builder);
}

static void
add_vm_list_json (JsonBuilder *builder,
                  gpointer     vm)
{
  add_vm_json (builder, vm, FALSE);
}

static void
add_vm_row (GPtrArray *rows,
            gpointer   item)
{
  ObVm *vm = item;
  g_autofree char *level = ob_level_to_string (ob_vm_get_effective_level (vm));

  ob_cli_add_row (rows, ob_cli_or_dash (ob_vm_get_name (vm)), ob_cli_or_dash (ob_vm_get_status (vm)),
                  ob_cli_or_dash (ob_vm_get_cluster_name (vm)), ob_cli_or_dash (level),
                  ob_cli_balloon_text (ob_vm_get_ballooning (vm)),
                  ob_vm_get_balloon_allowed (vm) ? _("yes") : _("no"), NULL);
}

static gboolean
list_vms (VmCall     *call,
          const char *search,
          ObCliProgress *progress,
          GPtrArray **out,
          GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  /* All content: engines before 4.4.6 leave the balloon out of lists. */
  ob_client_list_vms_async (call->session->client, search, OB_LIST_ALL_CONTENT,
                            progress ? ob_cli_on_progress : NULL, progress, NULL,
                            call->session->cancellable, ob_cli_store_result, &result);
  *out = ob_client_list_vms_finish (call->session->client, ob_cli_wait_for (&result), error);
  return *out != NULL;
}

static int
cmd_vm_list (VmCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vms = NULL;
  const char *headers[] = {
    _("NAME"), _("STATUS"), _("CLUSTER"), _("LEVEL"), _("BALLOON"), _("ALLOWED"), NULL
  };
  ObCliProgress progress;

  ob_cli_progress_init (&progress, _("Loading VMs:"));
  if (call->n_operands != 0)
    return ob_cli_usage_error (_("vm list takes no operands."));
  if (!ob_cli_session_open (call->session, &error) ||
      !list_vms (call, call->options->search, progress.tty ? &progress : NULL, &vms, &error))
    return ob_cli_session_report (call->session, error);

  ob_cli_print_list (call->output, vms, add_vm_list_json, headers, add_vm_row);
  ob_cli_session_close (call->session);
  return OB_EXIT_OK;
}

static ObVm *
get_vm (VmCall      *call,
        const char  *id_or_name,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_client_get_vm_async (call->session->client, id_or_name, call->session->cancellable,
                          ob_cli_store_result, &result);
  return ob_client_get_vm_finish (call->session->client, ob_cli_wait_for (&result), error);
}

static int
cmd_vm_show (VmCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) vm = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *memory = NULL;
  g_autofree char *level = NULL;

  if (call->n_operands != 1)
    return ob_cli_usage_error (_("vm show takes exactly one VM (a name or an id)."));
  if (!ob_cli_session_open (call->session, &error))
    return ob_cli_session_report (call->session, error);
  vm = get_vm (call, call->operands[0], &error);
  if (vm == NULL)
    return ob_cli_session_report (call->session, error);

  if (call->output->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      add_vm_json (builder, vm, TRUE);
      ob_cli_print_json (builder);
      ob_cli_session_close (call->session);
      return OB_EXIT_OK;
    }

  memory = g_format_size_full (ob_vm_get_memory (vm), G_FORMAT_SIZE_IEC_UNITS);
  level = ob_level_to_string (ob_vm_get_effective_level (vm));
  reason = ob_vm_dup_balloon_reason (vm);
  ob_cli_print_line ("%-16s %s", _("Name:"), ob_cli_or_dash (ob_vm_get_name (vm)));
  ob_cli_print_line ("%-16s %s", _("Id:"), ob_vm_get_id (vm));
  ob_cli_print_line ("%-16s %s", _("Status:"), ob_cli_or_dash (ob_vm_get_status (vm)));
  ob_cli_print_line ("%-16s %s (%s)", _("Cluster:"), ob_cli_or_dash (ob_vm_get_cluster_name (vm)),
           ob_cli_or_dash (ob_vm_get_cluster_version (vm)));
  ob_cli_print_line ("%-16s %s", _("Custom level:"),
                     ob_cli_or_dash (ob_vm_get_custom_compatibility_version (vm)));
  ob_cli_print_line ("%-16s %s", _("Effective level:"), ob_cli_or_dash (level));
  ob_cli_print_line ("%-16s %s", _("Memory:"), memory);
  ob_cli_print_line ("%-16s %s", _("Balloon:"), ob_cli_balloon_text (ob_vm_get_ballooning (vm)));
  ob_cli_print_line ("%-16s %s", _("Balloon allowed:"), reason ? reason : _("yes"));
  ob_cli_print_line ("%-16s %s", _("Next run config:"),
           ob_vm_get_next_run_configuration_exists (vm) ? _("yes") : _("no"));
  ob_cli_session_close (call->session);
  return OB_EXIT_OK;
}

static int
cmd_vm_set_balloon (VmCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vms = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) lookup_failures = ob_cli_rows_new ();
  g_autoptr(GAsyncResult) result = NULL;
  ObCliProgress progress;
  ObSetBalloonFlags flags = OB_SET_BALLOON_NONE;
  const char *value;
  gboolean enable;
  gboolean single;
  guint n_names, i, failed = 0;

  ob_cli_progress_init (&progress, _("Updating VMs:"));
  if (call->n_operands < 1)
    return ob_cli_usage_error (_("vm set-balloon needs VMs (or --search) and on|off."));
  value = call->operands[call->n_operands - 1];
  if (!ob_cli_parse_on_off (value, &enable))
    return ob_cli_usage_error (_("vm set-balloon: the last operand must be on or off, not “%s”."), value);
  n_names = call->n_operands - 1;
  if (n_names == 0 && call->options->search == NULL)
    return ob_cli_usage_error (_("vm set-balloon needs at least one VM or --search QUERY."));
  if (call->options->force)
    flags |= OB_SET_BALLOON_FORCE;
  if (call->options->next_run)
    flags |= OB_SET_BALLOON_NEXT_RUN;
  single = n_names == 1 && call->options->search == NULL;

  if (!ob_cli_session_open (call->session, &error))
    return ob_cli_session_report (call->session, error);

  for (i = 0; i < n_names; i++)
    {
      const char *name = call->operands[i];
      g_autoptr(GError) lookup_error = NULL;
      ObVm *vm = get_vm (call, name, &lookup_error);

      if (vm == NULL)
        {
          if (single || g_error_matches (lookup_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
              (lookup_error->domain == OB_ERROR &&
               (lookup_error->code == OB_ERROR_CONNECT || lookup_error->code == OB_ERROR_AUTH)))
            return ob_cli_session_report (call->session, lookup_error);
          g_ptr_array_add (lookup_failures,
                           g_strdupv ((char *[]) { (char *) name, lookup_error->message, NULL }));
          continue;
        }
      if (g_hash_table_add (ids, (gpointer) ob_vm_get_id (vm)))
        g_ptr_array_add (vms, vm);
      else
        g_object_unref (vm);
    }
  if (call->options->search != NULL)
    {
      g_autoptr(GPtrArray) found = NULL;

      if (!list_vms (call, call->options->search, NULL, &found, &error))
        return ob_cli_session_report (call->session, error);
      for (i = 0; i < found->len; i++)
        {
          ObVm *vm = g_ptr_array_index (found, i);

          if (g_hash_table_add (ids, (gpointer) ob_vm_get_id (vm)))
            g_ptr_array_add (vms, g_object_ref (vm));
        }
    }

  if (single)
    {
      g_autoptr(ObBalloonResult) outcome = NULL;

      ob_client_set_balloon_async (call->session->client, g_ptr_array_index (vms, 0), enable, flags,
                                   call->session->cancellable, ob_cli_store_result, &result);
      outcome = ob_client_set_balloon_finish (call->session->client, ob_cli_wait_for (&result), &error);
      if (outcome == NULL)
        return ob_cli_session_report (call->session, error);
      ob_cli_print_line ("%s", outcome->message);
      ob_cli_session_close (call->session);
      return OB_EXIT_OK;
    }

  ob_client_set_balloon_many_async (call->session->client, vms, enable, flags,
                                    ob_cli_on_progress, &progress, NULL,
                                    call->session->cancellable, ob_cli_store_result, &result);
  if (vms->len == 0)
    g_printerr ("%s 0/0\n", progress.what);
  results = ob_client_set_balloon_many_finish (call->session->client, ob_cli_wait_for (&result), &error);
  if (results == NULL)
    return ob_cli_session_report (call->session, error);

  rows = ob_cli_rows_new ();
  ob_cli_add_row (rows, _("VM"), _("RESULT"), _("DETAIL"), NULL);
  for (i = 0; i < lookup_failures->len; i++)
    {
      char **failure = g_ptr_array_index (lookup_failures, i);

      ob_cli_add_row (rows, failure[0], "failed", failure[1], NULL);
      failed++;
    }
  for (i = 0; i < results->len; i++)
    {
      ObBalloonResult *outcome = g_ptr_array_index (results, i);
      /* One row per VM: line breaks read as spaces. */
      g_autofree char *detail = g_strdelimit (g_strdup (outcome->message), "\r\n", ' ');

      ob_cli_add_row (rows, ob_cli_or_dash (ob_vm_get_name (outcome->vm)),
                      ob_change_outcome_to_string (outcome->outcome), detail, NULL);
      if (outcome->outcome == OB_CHANGE_FAILED)
        failed++;
    }
  ob_cli_print_table (rows, 3);
  ob_cli_session_close (call->session);
  if (failed > 0)
    {
      g_autoptr(GError) summary = g_error_new (OB_ERROR, OB_ERROR_FAILED,
                                               g_dngettext (GETTEXT_PACKAGE, "%u VM failed",
                                                            "%u VMs failed", failed),
                                               failed);

      return ob_error_report (summary);
    }
  return OB_EXIT_OK;
}

/* "4096" (MiB), "512M", "4G", "4GiB", "1073741824B". */
static gboolean
parse_memory (const char *text,
              guint64    *out)
{
  guint64 value, unit = 1024 * 1024;
  char *end = NULL;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  errno = 0;
  value = g_ascii_strtoull (text, &end, 10);
  if (errno != 0)
    return FALSE;
  if (*end == '\0' || g_ascii_strcasecmp (end, "M") == 0 || g_ascii_strcasecmp (end, "MiB") == 0 ||
      g_ascii_strcasecmp (end, "MB") == 0)
    unit = 1024 * 1024;
  else if (g_ascii_strcasecmp (end, "G") == 0 || g_ascii_strcasecmp (end, "GiB") == 0 ||
           g_ascii_strcasecmp (end, "GB") == 0)
    unit = 1024 * 1024 * 1024;
  else if (g_ascii_strcasecmp (end, "K") == 0 || g_ascii_strcasecmp (end, "KiB") == 0)
    unit = 1024;
  else if (g_ascii_strcasecmp (end, "B") == 0)
    unit = 1;
  else
    return FALSE;
  if (value == 0 || value > G_MAXUINT64 / unit)
    return FALSE;
  *out = value * unit;
  return TRUE;
}

static int
cmd_vm_add (VmCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ObVm) vm = NULL;
  g_autofree char *note = NULL;
  ObBalloonState balloon = OB_BALLOON_STATE_UNKNOWN;
  guint64 memory = 0;

  if (call->n_operands != 1)
    return ob_cli_usage_error (_("vm add takes exactly one NAME."));
  if (call->options->cluster == NULL)
    return ob_cli_usage_error (_("vm add needs --cluster CLUSTER."));
  if (call->options->memory != NULL && !parse_memory (call->options->memory, &memory))
    return ob_cli_usage_error (_("--memory takes a size such as 4096 (MiB), 512M or 4G, not “%s”."),
                               call->options->memory);
  if (call->options->balloon != NULL)
    {
      gboolean enable;

      if (!ob_cli_parse_on_off (call->options->balloon, &enable))
        return ob_cli_usage_error (_("--balloon takes on or off, not “%s”."), call->options->balloon);
      balloon = enable ? OB_BALLOON_STATE_ON : OB_BALLOON_STATE_OFF;
    }
  if (!ob_cli_session_open (call->session, &error))
    return ob_cli_session_report (call->session, error);

  ob_client_add_vm_async (call->session->client, call->operands[0], call->options->cluster,
                          call->options->template_name, memory, balloon, call->session->cancellable,
                          ob_cli_store_result, &result);
  vm = ob_client_add_vm_finish (call->session->client, ob_cli_wait_for (&result), &note, &error);
  if (vm == NULL)
    return ob_cli_session_report (call->session, error);
  if (note != NULL)
    ob_cli_printerr_line ("%s %s", _("note:"), note);
  ob_cli_print_line (_("Created VM %s (%s) in cluster %s; balloon %s.\n"),
                     ob_cli_or_dash (ob_vm_get_name (vm)), ob_vm_get_id (vm),
                     ob_cli_or_dash (ob_vm_get_cluster_name (vm)),
                     ob_cli_balloon_text (ob_vm_get_ballooning (vm)));
  ob_cli_session_close (call->session);
  return OB_EXIT_OK;
}

static int
cmd_vm_run_once (VmCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ObVm) vm = NULL;
  g_autoptr(ObBalloonResult) outcome = NULL;
  ObRunOnceFlags flags = OB_RUN_ONCE_NONE;
  gboolean enable;

  if (call->n_operands != 1)
    return ob_cli_usage_error (_("vm run-once takes exactly one VM."));
  if (call->options->balloon == NULL || !ob_cli_parse_on_off (call->options->balloon, &enable))
    return ob_cli_usage_error (_("vm run-once needs --balloon on|off."));
  if (call->options->emulate)
    flags |= OB_RUN_ONCE_EMULATE;
  if (call->options->is_volatile)
    flags |= OB_RUN_ONCE_VOLATILE;
  if (!ob_cli_session_open (call->session, &error))
    return ob_cli_session_report (call->session, error);
  vm = get_vm (call, call->operands[0], &error);
  if (vm == NULL)
    return ob_cli_session_report (call->session, error);

  ob_client_run_once_async (call->session->client, vm, enable, flags, call->session->cancellable,
                            ob_cli_store_result, &result);
  outcome = ob_client_run_once_finish (call->session->client, ob_cli_wait_for (&result), &error);
  if (outcome == NULL)
    {
      int rc = ob_cli_session_report (call->session, error);

      /* The core's refusal is front-end neutral: name the option here. */
      if (g_error_matches (error, OB_ERROR, OB_ERROR_REFUSED) && !call->options->emulate &&
          !ob_connection_honours_run_once_balloon (call->session->connection) &&
          (!enable || ob_vm_get_balloon_allowed (vm)))
        g_printerr (_("hint: add --emulate to set the balloon, start the VM and store the original "
                      "setting back as the next-run configuration.\n"));
      return rc;
    }
  ob_cli_print_line ("%s", outcome->message);
  ob_cli_session_close (call->session);
  return OB_EXIT_OK;
}

int
ob_cli_vm_main (ObCliSession             *session,
                const ObCliVmOptions     *options,
                const ObCliOutputOptions *output,
                const char               *command,
                char                    **operands)
{
  VmCall call = { session, options, output, operands, g_strv_length (operands) };

  if (strcmp (command, "list") == 0)
    return cmd_vm_list (&call);
  if (strcmp (command, "show") == 0)
    return cmd_vm_show (&call);
  if (strcmp (command, "set-balloon") == 0)
    return cmd_vm_set_balloon (&call);
  if (strcmp (command, "add") == 0)
    return cmd_vm_add (&call);
  if (strcmp (command, "run-once") == 0)
    return cmd_vm_run_once (&call);
  return ob_cli_usage_error (_("Unknown command “%s %s”."), "vm", command);
}
