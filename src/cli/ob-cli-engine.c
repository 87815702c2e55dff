/* ob-cli-engine.c: `ovirt-balloon-cli vm|cluster|template|engine ...`, the
 * commands that talk to an engine over the REST client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ob-cli.h"
#include "ob-client.h"
#include "ob-connection.h"
#include "ob-error.h"
#include "ob-trust-store.h"

typedef struct
{
  /* connection */
  char *engine;
  char *user;
  char *password_file;
  char *ca_file;
  gboolean insecure;
  guint timeout;
  /* command options */
  char *search;
  gboolean json;
  gboolean next_run;
  gboolean force;
  char *cluster;
  char *template_name;
  char *memory;
  char *balloon;
  gboolean emulate;
  gboolean is_volatile;
  gboolean yes;
  char *fingerprint;
  GPtrArray *args;        /* positional words: group, command, operands */

  GCancellable *cancellable;
  ObConnection *connection;
  ObClient *client;
} Cli;

static void
cli_clear (Cli *cli)
{
  g_free (cli->engine);
  g_free (cli->user);
  g_free (cli->password_file);
  g_free (cli->ca_file);
  g_free (cli->search);
  g_free (cli->cluster);
  g_free (cli->template_name);
  g_free (cli->memory);
  g_free (cli->balloon);
  g_free (cli->fingerprint);
  g_clear_pointer (&cli->args, g_ptr_array_unref);
  g_clear_object (&cli->client);
  g_clear_object (&cli->connection);
  g_clear_object (&cli->cancellable);
}

static void
print_usage (FILE *out)
{
  fprintf (out, "%s",
           _("Usage: ovirt-balloon-cli [--engine URL] [--user USER] [--password-file FILE]\n"
             "                         [--ca-file FILE] [--insecure] [--timeout S] COMMAND\n"
             "\n"
             "Commands:\n"
             "  vm list [--search QUERY] [--json]\n"
             "  vm show VM [--json]\n"
             "  vm set-balloon VM... on|off [--search QUERY] [--next-run] [--force]\n"
             "  vm add NAME --cluster CLUSTER [--template T] [--memory SIZE] [--balloon on|off]\n"
             "  vm run-once VM --balloon on|off [--emulate] [--volatile]\n"
             "  cluster list [--json]\n"
             "  template list [--json]\n"
             "  engine trust [--yes | --fingerprint SHA256]\n"
             "\n"
             "VM is a name or an id. SIZE is in MiB, or with a unit: 512M, 4G, 4GiB.\n"
             "The password is read from --password-file (\"-\" for standard input) or\n"
             "OVIRT_PASSWORD, never from the command line. OVIRT_URL, OVIRT_USERNAME,\n"
             "OVIRT_CAFILE and OVIRT_INSECURE give the other connection settings.\n"
             "\n"
             "Exit status: 0 ok, 1 failed, 2 usage, 3 refused by validation,\n"
             "4 cannot connect or authenticate, 5 bad input file.\n"));
}

static int
usage_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static int
usage_error (const char *format,
             ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;
  int code;

  va_start (args, format);
  error = g_error_new_valist (OB_ERROR, OB_ERROR_USAGE, format, args);
  va_end (args);
  code = ob_cli_report_error (error);
  g_printerr ("%s\n", _("Run 'ovirt-balloon-cli --help' for usage."));
  return code;
}

/* Options that take a value: "--name VALUE" or "--name=VALUE". */
typedef struct
{
  const char *name;
  char **target;
} ValueOption;

typedef struct
{
  const char *name;
  gboolean *target;
} FlagOption;

static int
parse_args (Cli   *cli,
            int    argc,
            char **argv)
{
  g_autofree char *timeout_text = NULL;
  const ValueOption values[] = {
    { "--engine", &cli->engine },
    { "--user", &cli->user },
    { "--password-file", &cli->password_file },
    { "--ca-file", &cli->ca_file },
    { "--timeout", &timeout_text },
    { "--search", &cli->search },
    { "--cluster", &cli->cluster },
    { "--template", &cli->template_name },
    { "--memory", &cli->memory },
    { "--balloon", &cli->balloon },
    { "--fingerprint", &cli->fingerprint },
  };
  const FlagOption flags[] = {
    { "--insecure", &cli->insecure },
    { "--json", &cli->json },
    { "--next-run", &cli->next_run },
    { "--force", &cli->force },
    { "--emulate", &cli->emulate },
    { "--volatile", &cli->is_volatile },
    { "--yes", &cli->yes },
  };
  gboolean only_operands = FALSE;
  int i;

  cli->args = g_ptr_array_new_with_free_func (g_free);

  for (i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      gboolean matched = FALSE;
      gsize k;

      if (only_operands || arg[0] != '-' || strcmp (arg, "-") == 0)
        {
          g_ptr_array_add (cli->args, g_strdup (arg));
          continue;
        }
      if (strcmp (arg, "--") == 0)
        {
          only_operands = TRUE;
          continue;
        }
      if (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0)
        {
          print_usage (stdout);
          return -1;
        }
      if (g_str_has_prefix (arg, "--password") && !g_str_has_prefix (arg, "--password-file"))
        return usage_error (_("A password is never accepted on the command line; use "
                              "--password-file FILE or OVIRT_PASSWORD."));

      for (k = 0; k < G_N_ELEMENTS (flags) && !matched; k++)
        if (strcmp (arg, flags[k].name) == 0)
          {
            *flags[k].target = TRUE;
            matched = TRUE;
          }
      for (k = 0; k < G_N_ELEMENTS (values) && !matched; k++)
        {
          gsize len = strlen (values[k].name);

          if (strncmp (arg, values[k].name, len) != 0)
            continue;
          if (arg[len] == '=')
            {
              g_free (*values[k].target);
              *values[k].target = g_strdup (arg + len + 1);
              matched = TRUE;
            }
          else if (arg[len] == '\0')
            {
              if (i + 1 >= argc)
                return usage_error (_("Option %s needs a value."), values[k].name);
              g_free (*values[k].target);
              *values[k].target = g_strdup (argv[++i]);
              matched = TRUE;
            }
        }
      if (!matched)
        return usage_error (_("Unknown option %s."), arg);
    }

  cli->timeout = OB_CONNECTION_DEFAULT_TIMEOUT;
  if (timeout_text != NULL)
    {
      guint64 value = 0;

      if (!g_ascii_string_to_unsigned (timeout_text, 10, 1, 3600, &value, NULL))
        return usage_error (_("--timeout takes a number of seconds between 1 and 3600, not “%s”."),
                            timeout_text);
      cli->timeout = (guint) value;
    }
  return 0;
}

/* Waiting for one async call at a time on the default main context. */
static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static gboolean
on_interrupt (gpointer user_data)
{
  Cli *cli = user_data;

  g_cancellable_cancel (cli->cancellable);
  return G_SOURCE_CONTINUE;
}

static gboolean
env_true (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL &&
         (g_ascii_strcasecmp (value, "1") == 0 || g_ascii_strcasecmp (value, "true") == 0 ||
          g_ascii_strcasecmp (value, "yes") == 0);
}

/* Only the first line counts: the line break that a file or `echo` adds
 * is not part of the password. @buffer is wiped so that no copy lingers. */
static char *
first_line_password (char        *buffer,
                     gsize        size,
                     const char  *empty_message,
                     GError     **error)
{
  char *password = NULL;

  buffer[strcspn (buffer, "\r\n")] = '\0';
  if (*buffer == '\0')
    g_set_error_literal (error, OB_ERROR, OB_ERROR_BAD_INPUT, empty_message);
  else
    password = g_strdup (buffer);
  memset (buffer, 0, size);
  return password;
}

static char *
read_password (Cli     *cli,
               GError **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;

  if (cli->password_file == NULL)
    {
      const char *env = g_getenv ("OVIRT_PASSWORD");

      if (env == NULL)
        {
          g_set_error_literal (error, OB_ERROR, OB_ERROR_USAGE,
                               _("No password: use --password-file FILE or OVIRT_PASSWORD."));
          return NULL;
        }
      return g_strdup (env);
    }

  if (strcmp (cli->password_file, "-") == 0)
    {
      char line[1024];

      if (fgets (line, sizeof line, stdin) == NULL)
        {
          g_set_error_literal (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                               _("No password could be read from standard input."));
          return NULL;
        }
      return first_line_password (line, sizeof line,
                                  _("The password read from standard input is empty."), error);
    }

  if (!g_file_get_contents (cli->password_file, &contents, &len, &local_error))
    {
      g_set_error (error, OB_ERROR, OB_ERROR_BAD_INPUT,
                   _("Cannot read the password file: %s"), local_error->message);
      return NULL;
    }
  return first_line_password (contents, len, _("The password file is empty."), error);
}

static gboolean
make_connection (Cli     *cli,
                 GError **error)
{
  const char *url = cli->engine ? cli->engine : g_getenv ("OVIRT_URL");
  const char *ca_file = cli->ca_file ? cli->ca_file : g_getenv ("OVIRT_CAFILE");
  g_autoptr(ObTrustStore) store = ob_trust_store_new (NULL);

  cli->connection = ob_connection_new (url, error);
  if (cli->connection == NULL)
    return FALSE;
  ob_connection_set_timeout (cli->connection, cli->timeout);
  ob_connection_set_ca_file (cli->connection, ca_file);
  ob_connection_set_trust_store (cli->connection, store);
  if (cli->insecure || env_true ("OVIRT_INSECURE"))
    {
      ob_connection_set_insecure (cli->connection, TRUE);
      g_printerr ("%s\n", _("warning: TLS certificate verification is disabled (--insecure): "
                            "the engine's identity is not checked."));
    }
  return TRUE;
}

static gboolean
open_connection (Cli     *cli,
                 GError **error)
{
  g_autofree char *password = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  const char *user = cli->user ? cli->user : g_getenv ("OVIRT_USERNAME");

  if (!make_connection (cli, error))
    return FALSE;
  if (user == NULL || *user == '\0')
    {
      g_set_error_literal (error, OB_ERROR, OB_ERROR_USAGE,
                           _("No user name: use --user USER or OVIRT_USERNAME."));
      return FALSE;
    }
  password = read_password (cli, error);
  if (password == NULL)
    return FALSE;
  ob_connection_set_credentials (cli->connection, user, password);
  memset (password, 0, strlen (password));

  ob_connection_open_async (cli->connection, cli->cancellable, store_result, &result);
  if (!ob_connection_open_finish (cli->connection, wait_for (&result), error))
    return FALSE;
  cli->client = ob_client_new (cli->connection);
  return TRUE;
}

static void
close_connection (Cli *cli)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (cli->connection == NULL)
    return;
  /* Logging out is best effort: the token expires anyway. */
  ob_connection_close_async (cli->connection, NULL, store_result, &result);
  ob_connection_close_finish (cli->connection, wait_for (&result), NULL);
}

/* ob_cli_report_error(), plus a hint when trusting the engine's CA is
 * what would help: the CA's own fingerprint (fetched, and checked to sign
 * what the engine presented), since that is what an administrator can
 * compare with. Nothing is trusted here. */
static int
report (Cli          *cli,
        const GError *error)
{
  int rc = ob_cli_report_error (error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GTlsCertificate) ca = NULL;
  g_autofree char *fingerprint = NULL;

  if (!g_error_matches (error, OB_ERROR, OB_ERROR_TLS_UNTRUSTED) || cli->connection == NULL ||
      ob_connection_get_tls_errors (cli->connection) != G_TLS_CERTIFICATE_UNKNOWN_CA)
    return rc;

  ob_connection_fetch_ca_async (cli->connection, cli->cancellable, store_result, &result);
  ca = ob_connection_fetch_ca_finish (cli->connection, wait_for (&result), &fingerprint, NULL);
  if (ca != NULL)
    g_printerr (_("hint: the engine's CA has SHA-256 fingerprint %s; if your engine administrator "
                  "confirms it, run 'ovirt-balloon-cli --engine %s engine trust --fingerprint %s', "
                  "or pass --ca-file.\n"),
                fingerprint, ob_connection_get_api_url (cli->connection), fingerprint);
  else
    g_printerr (_("hint: 'ovirt-balloon-cli --engine %s engine trust' shows the engine CA's fingerprint "
                  "and trusts it once you confirm; or pass --ca-file.\n"),
                ob_connection_get_api_url (cli->connection));
  return rc;
}

/* Output helpers */

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* An unknown state (older engines omit it) is null, never false. */
static void
add_balloon_state (JsonBuilder    *builder,
                   const char     *name,
                   ObBalloonState  state)
{
  json_builder_set_member_name (builder, name);
  if (state == OB_BALLOON_STATE_UNKNOWN)
    json_builder_add_null_value (builder);
  else
    json_builder_add_boolean_value (builder, state == OB_BALLOON_STATE_ON);
}

static void
add_vm_json (JsonBuilder *builder,
             ObVm        *vm,
             gboolean     details)
{
  json_builder_begin_object (builder);
  add_string_or_null (builder, "id", ob_vm_get_id (vm));
  add_string_or_null (builder, "name", ob_vm_get_name (vm));
  add_string_or_null (builder, "status", ob_vm_get_status (vm));
  add_string_or_null (builder, "cluster", ob_vm_get_cluster_name (vm));
  add_string_or_null (builder, "cluster_version", ob_vm_get_cluster_version (vm));
  add_balloon_state (builder, "balloon_enabled", ob_vm_get_ballooning (vm));
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
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
}

static const char *
or_dash (const char *text)
{
  return (text != NULL && *text != '\0') ? text : "-";
}

static const char *
balloon_text (ObBalloonState state)
{
  switch (state)
    {
    case OB_BALLOON_STATE_ON:
      return _("on");
    case OB_BALLOON_STATE_OFF:
      return _("off");
    case OB_BALLOON_STATE_UNKNOWN:
    default:
      return _("unknown");
    }
}

/* A plain table: columns padded to their widest cell. */
static void
print_table (GPtrArray *rows,
             guint      columns)
{
  g_autofree int *widths = g_new0 (int, columns);
  guint r, c;

  for (r = 0; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);

      for (c = 0; c < columns; c++)
        widths[c] = MAX (widths[c], (int) g_utf8_strlen (row[c], -1));
    }
  for (r = 0; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);
      GString *line = g_string_new (NULL);

      for (c = 0; c < columns; c++)
        {
          int pad = widths[c] - (int) g_utf8_strlen (row[c], -1);

          g_string_append (line, row[c]);
          if (c + 1 < columns)
            {
              for (; pad > 0; pad--)
                g_string_append_c (line, ' ');
              g_string_append (line, "  ");
            }
        }
      g_print ("%s\n", line->str);
      g_string_free (line, TRUE);
    }
}

static void
add_row (GPtrArray  *rows,
         const char *first,
         ...)
{
  GPtrArray *cells = g_ptr_array_new ();
  const char *cell;
  va_list args;

  va_start (args, first);
  for (cell = first; cell != NULL; cell = va_arg (args, const char *))
    g_ptr_array_add (cells, g_strdup (cell));
  va_end (args);
  g_ptr_array_add (cells, NULL);
  g_ptr_array_add (rows, g_ptr_array_free (cells, FALSE));
}

/* Progress on stderr: a rewritten line on a terminal, a few plain lines
 * otherwise so logs stay short. */
typedef struct
{
  const char *what;
  gboolean tty;
  guint last_printed;
} Progress;

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  Progress *progress = user_data;
  guint step = MAX (total / 10, 1);

  if (progress->tty)
    {
      g_printerr ("\r%s %u/%u", progress->what, done, total);
      if (done >= total)
        g_printerr ("\n");
      return;
    }
  if (done >= total || done - progress->last_printed >= step)
    {
      g_printerr ("%s %u/%u\n", progress->what, done, total);
      progress->last_printed = done;
    }
}

/* Commands */

static gboolean
list_vms (Cli        *cli,
          const char *search,
          Progress   *progress,
          GPtrArray **out,
          GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  /* All content: engines before 4.4.6 leave the balloon out of lists. */
  ob_client_list_vms_async (cli->client, search, OB_LIST_ALL_CONTENT,
                            progress ? on_progress : NULL, progress, NULL,
                            cli->cancellable, store_result, &result);
  *out = ob_client_list_vms_finish (cli->client, wait_for (&result), error);
  return *out != NULL;
}

static int
cmd_vm_list (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vms = NULL;
  Progress progress = { _("Loading VMs:"), isatty (STDERR_FILENO), 0 };
  guint i;

  if (cli->args->len != 2)
    return usage_error (_("vm list takes no operands."));
  if (!open_connection (cli, &error) ||
      !list_vms (cli, cli->search, progress.tty ? &progress : NULL, &vms, &error))
    return report (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (i = 0; i < vms->len; i++)
        add_vm_json (builder, g_ptr_array_index (vms, i), FALSE);
      json_builder_end_array (builder);
      print_json (builder);
    }
  else
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

      add_row (rows, _("NAME"), _("STATUS"), _("CLUSTER"), _("LEVEL"), _("BALLOON"), _("ALLOWED"), NULL);
      for (i = 0; i < vms->len; i++)
        {
          ObVm *vm = g_ptr_array_index (vms, i);
          g_autofree char *level = NULL;
          ObCompatVersion v;

          if (ob_vm_get_effective_level (vm, &v))
            level = ob_compat_version_to_string (&v);
          add_row (rows, or_dash (ob_vm_get_name (vm)), or_dash (ob_vm_get_status (vm)),
                   or_dash (ob_vm_get_cluster_name (vm)), or_dash (level),
                   balloon_text (ob_vm_get_ballooning (vm)),
                   ob_vm_get_balloon_allowed (vm) ? _("yes") : _("no"), NULL);
        }
      print_table (rows, 6);
    }
  close_connection (cli);
  return OB_EXIT_OK;
}

static ObVm *
get_vm (Cli         *cli,
        const char  *id_or_name,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_client_get_vm_async (cli->client, id_or_name, cli->cancellable, store_result, &result);
  return ob_client_get_vm_finish (cli->client, wait_for (&result), error);
}

static int
cmd_vm_show (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) vm = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *memory = NULL;
  g_autofree char *level = NULL;
  ObCompatVersion v;

  if (cli->args->len != 3)
    return usage_error (_("vm show takes exactly one VM (a name or an id)."));
  if (!open_connection (cli, &error))
    return report (cli, error);
  vm = get_vm (cli, g_ptr_array_index (cli->args, 2), &error);
  if (vm == NULL)
    return report (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      add_vm_json (builder, vm, TRUE);
      print_json (builder);
      close_connection (cli);
      return OB_EXIT_OK;
    }

  memory = g_format_size_full (ob_vm_get_memory (vm), G_FORMAT_SIZE_IEC_UNITS);
  if (ob_vm_get_effective_level (vm, &v))
    level = ob_compat_version_to_string (&v);
  reason = ob_vm_dup_balloon_reason (vm);
  g_print ("%-16s %s\n", _("Name:"), or_dash (ob_vm_get_name (vm)));
  g_print ("%-16s %s\n", _("Id:"), ob_vm_get_id (vm));
  g_print ("%-16s %s\n", _("Status:"), or_dash (ob_vm_get_status (vm)));
  g_print ("%-16s %s (%s)\n", _("Cluster:"), or_dash (ob_vm_get_cluster_name (vm)),
           or_dash (ob_vm_get_cluster_version (vm)));
  g_print ("%-16s %s\n", _("Custom level:"), or_dash (ob_vm_get_custom_compatibility_version (vm)));
  g_print ("%-16s %s\n", _("Effective level:"), or_dash (level));
  g_print ("%-16s %s\n", _("Memory:"), memory);
  g_print ("%-16s %s\n", _("Balloon:"), balloon_text (ob_vm_get_ballooning (vm)));
  g_print ("%-16s %s\n", _("Balloon allowed:"), reason ? reason : _("yes"));
  g_print ("%-16s %s\n", _("Next run config:"),
           ob_vm_get_next_run_configuration_exists (vm) ? _("yes") : _("no"));
  close_connection (cli);
  return OB_EXIT_OK;
}

static gboolean
parse_on_off (const char *text,
              gboolean   *out)
{
  if (g_strcmp0 (text, "on") == 0)
    *out = TRUE;
  else if (g_strcmp0 (text, "off") == 0)
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

static int
cmd_vm_set_balloon (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vms = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) lookup_failures = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GAsyncResult) result = NULL;
  Progress progress = { _("Updating VMs:"), isatty (STDERR_FILENO), 0 };
  ObSetBalloonFlags flags = OB_SET_BALLOON_NONE;
  const char *value;
  gboolean enable;
  gboolean single;
  guint n_names, i, failed = 0;

  if (cli->args->len < 3)
    return usage_error (_("vm set-balloon needs VMs (or --search) and on|off."));
  value = g_ptr_array_index (cli->args, cli->args->len - 1);
  if (!parse_on_off (value, &enable))
    return usage_error (_("vm set-balloon: the last operand must be on or off, not “%s”."), value);
  n_names = cli->args->len - 3;
  if (n_names == 0 && cli->search == NULL)
    return usage_error (_("vm set-balloon needs at least one VM or --search QUERY."));
  if (cli->force)
    flags |= OB_SET_BALLOON_FORCE;
  if (cli->next_run)
    flags |= OB_SET_BALLOON_NEXT_RUN;
  single = n_names == 1 && cli->search == NULL;

  if (!open_connection (cli, &error))
    return report (cli, error);

  for (i = 0; i < n_names; i++)
    {
      const char *name = g_ptr_array_index (cli->args, 2 + i);
      g_autoptr(GError) lookup_error = NULL;
      ObVm *vm = get_vm (cli, name, &lookup_error);

      if (vm == NULL)
        {
          if (single || g_error_matches (lookup_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
              (lookup_error->domain == OB_ERROR &&
               (lookup_error->code == OB_ERROR_CONNECT || lookup_error->code == OB_ERROR_AUTH)))
            return report (cli, lookup_error);
          g_ptr_array_add (lookup_failures,
                           g_strdupv ((char *[]) { (char *) name, lookup_error->message, NULL }));
          continue;
        }
      if (g_hash_table_add (ids, (gpointer) ob_vm_get_id (vm)))
        g_ptr_array_add (vms, vm);
      else
        g_object_unref (vm);
    }
  if (cli->search != NULL)
    {
      g_autoptr(GPtrArray) found = NULL;

      if (!list_vms (cli, cli->search, NULL, &found, &error))
        return report (cli, error);
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

      ob_client_set_balloon_async (cli->client, g_ptr_array_index (vms, 0), enable, flags,
                                   cli->cancellable, store_result, &result);
      outcome = ob_client_set_balloon_finish (cli->client, wait_for (&result), &error);
      if (outcome == NULL)
        return report (cli, error);
      g_print ("%s\n", outcome->message);
      close_connection (cli);
      return OB_EXIT_OK;
    }

  ob_client_set_balloon_many_async (cli->client, vms, enable, flags, on_progress, &progress, NULL,
                                    cli->cancellable, store_result, &result);
  if (vms->len == 0)
    g_printerr ("%s 0/0\n", progress.what);
  results = ob_client_set_balloon_many_finish (cli->client, wait_for (&result), &error);
  if (results == NULL)
    return report (cli, error);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  add_row (rows, _("VM"), _("RESULT"), _("DETAIL"), NULL);
  for (i = 0; i < lookup_failures->len; i++)
    {
      char **failure = g_ptr_array_index (lookup_failures, i);

      add_row (rows, failure[0], "failed", failure[1], NULL);
      failed++;
    }
  for (i = 0; i < results->len; i++)
    {
      ObBalloonResult *outcome = g_ptr_array_index (results, i);
      g_autofree char *detail = g_strdelimit (g_strdup (outcome->message), "\r\n", ' ');

      add_row (rows, or_dash (ob_vm_get_name (outcome->vm)),
               ob_change_outcome_to_string (outcome->outcome), detail, NULL);
      if (outcome->outcome == OB_CHANGE_FAILED)
        failed++;
    }
  print_table (rows, 3);
  close_connection (cli);
  if (failed > 0)
    {
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "error: %u VM failed\n", "error: %u VMs failed\n", failed),
                  failed);
      return OB_EXIT_FAILED;
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
cmd_vm_add (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ObVm) vm = NULL;
  g_autofree char *note = NULL;
  ObBalloonState balloon = OB_BALLOON_STATE_UNKNOWN;
  guint64 memory = 0;

  if (cli->args->len != 3)
    return usage_error (_("vm add takes exactly one NAME."));
  if (cli->cluster == NULL)
    return usage_error (_("vm add needs --cluster CLUSTER."));
  if (cli->memory != NULL && !parse_memory (cli->memory, &memory))
    return usage_error (_("--memory takes a size such as 4096 (MiB), 512M or 4G, not “%s”."), cli->memory);
  if (cli->balloon != NULL)
    {
      gboolean enable;

      if (!parse_on_off (cli->balloon, &enable))
        return usage_error (_("--balloon takes on or off, not “%s”."), cli->balloon);
      balloon = enable ? OB_BALLOON_STATE_ON : OB_BALLOON_STATE_OFF;
    }
  if (!open_connection (cli, &error))
    return report (cli, error);

  ob_client_add_vm_async (cli->client, g_ptr_array_index (cli->args, 2), cli->cluster,
                          cli->template_name, memory, balloon, cli->cancellable, store_result, &result);
  vm = ob_client_add_vm_finish (cli->client, wait_for (&result), &note, &error);
  if (vm == NULL)
    return report (cli, error);
  if (note != NULL)
    g_printerr ("%s %s\n", _("note:"), note);
  g_print (_("Created VM %s (%s) in cluster %s; balloon %s.\n"),
           or_dash (ob_vm_get_name (vm)), ob_vm_get_id (vm), or_dash (ob_vm_get_cluster_name (vm)),
           balloon_text (ob_vm_get_ballooning (vm)));
  close_connection (cli);
  return OB_EXIT_OK;
}

static int
cmd_vm_run_once (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ObVm) vm = NULL;
  g_autoptr(ObBalloonResult) outcome = NULL;
  ObRunOnceFlags flags = OB_RUN_ONCE_NONE;
  gboolean enable;

  if (cli->args->len != 3)
    return usage_error (_("vm run-once takes exactly one VM."));
  if (cli->balloon == NULL || !parse_on_off (cli->balloon, &enable))
    return usage_error (_("vm run-once needs --balloon on|off."));
  if (cli->emulate)
    flags |= OB_RUN_ONCE_EMULATE;
  if (cli->is_volatile)
    flags |= OB_RUN_ONCE_VOLATILE;
  if (!open_connection (cli, &error))
    return report (cli, error);
  vm = get_vm (cli, g_ptr_array_index (cli->args, 2), &error);
  if (vm == NULL)
    return report (cli, error);

  ob_client_run_once_async (cli->client, vm, enable, flags, cli->cancellable, store_result, &result);
  outcome = ob_client_run_once_finish (cli->client, wait_for (&result), &error);
  if (outcome == NULL)
    {
      int rc = report (cli, error);

      /* The client's refusal is front-end neutral: name the option here. */
      if (g_error_matches (error, OB_ERROR, OB_ERROR_REFUSED) && !cli->emulate &&
          !ob_connection_honours_run_once_balloon (cli->connection) &&
          (!enable || ob_vm_get_balloon_allowed (vm)))
        g_printerr (_("hint: add --emulate to set the balloon, start the VM and store the original "
                      "setting back as the next-run configuration.\n"));
      return rc;
    }
  g_print ("%s\n", outcome->message);
  close_connection (cli);
  return OB_EXIT_OK;
}

static int
cmd_cluster_list (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) clusters = NULL;
  guint i;

  if (cli->args->len != 2)
    return usage_error (_("cluster list takes no operands."));
  if (!open_connection (cli, &error))
    return report (cli, error);
  ob_client_list_clusters_async (cli->client, cli->cancellable, store_result, &result);
  clusters = ob_client_list_clusters_finish (cli->client, wait_for (&result), &error);
  if (clusters == NULL)
    return report (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (i = 0; i < clusters->len; i++)
        {
          ObCluster *cluster = g_ptr_array_index (clusters, i);

          json_builder_begin_object (builder);
          add_string_or_null (builder, "id", ob_cluster_get_id (cluster));
          add_string_or_null (builder, "name", ob_cluster_get_name (cluster));
          add_string_or_null (builder, "version", ob_cluster_get_version (cluster));
          add_string_or_null (builder, "cpu_architecture", ob_cluster_get_cpu_arch (cluster));
          json_builder_set_member_name (builder, "balloon_allowed");
          json_builder_add_boolean_value (builder, ob_cluster_get_balloon_allowed (cluster));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_json (builder);
    }
  else
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

      add_row (rows, _("NAME"), _("LEVEL"), _("ARCH"), _("BALLOON ALLOWED"), NULL);
      for (i = 0; i < clusters->len; i++)
        {
          ObCluster *cluster = g_ptr_array_index (clusters, i);

          add_row (rows, or_dash (ob_cluster_get_name (cluster)), or_dash (ob_cluster_get_version (cluster)),
                   or_dash (ob_cluster_get_cpu_arch (cluster)),
                   ob_cluster_get_balloon_allowed (cluster) ? _("yes") : _("no"), NULL);
        }
      print_table (rows, 4);
    }
  close_connection (cli);
  return OB_EXIT_OK;
}

static int
cmd_template_list (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) clusters_result = NULL;
  g_autoptr(GPtrArray) clusters = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  guint i;

  if (cli->args->len != 2)
    return usage_error (_("template list takes no operands."));
  if (!open_connection (cli, &error))
    return report (cli, error);
  /* Clusters first, so templates can show their cluster's name. */
  ob_client_list_clusters_async (cli->client, cli->cancellable, store_result, &clusters_result);
  clusters = ob_client_list_clusters_finish (cli->client, wait_for (&clusters_result), &error);
  if (clusters == NULL)
    return report (cli, error);
  ob_client_list_templates_async (cli->client, cli->cancellable, store_result, &result);
  templates = ob_client_list_templates_finish (cli->client, wait_for (&result), &error);
  if (templates == NULL)
    return report (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (i = 0; i < templates->len; i++)
        {
          ObTemplate *template = g_ptr_array_index (templates, i);

          json_builder_begin_object (builder);
          add_string_or_null (builder, "id", ob_template_get_id (template));
          add_string_or_null (builder, "name", ob_template_get_name (template));
          add_string_or_null (builder, "cluster", ob_template_get_cluster_name (template));
          add_balloon_state (builder, "balloon_enabled", ob_template_get_ballooning (template));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_json (builder);
    }
  else
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

      add_row (rows, _("NAME"), _("CLUSTER"), _("BALLOON"), NULL);
      for (i = 0; i < templates->len; i++)
        {
          ObTemplate *template = g_ptr_array_index (templates, i);

          add_row (rows, or_dash (ob_template_get_name (template)),
                   or_dash (ob_template_get_cluster_name (template)),
                   balloon_text (ob_template_get_ballooning (template)), NULL);
        }
      print_table (rows, 3);
    }
  close_connection (cli);
  return OB_EXIT_OK;
}

static int
cmd_engine_trust (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GTlsCertificate) ca = NULL;
  g_autoptr(ObTrustStore) store = NULL;
  g_autofree char *fingerprint = NULL;
  const char *confirmed = NULL;

  if (cli->args->len != 2)
    return usage_error (_("engine trust takes no operands."));
  if (!make_connection (cli, &error))
    return report (cli, error);

  ob_connection_fetch_ca_async (cli->connection, cli->cancellable, store_result, &result);
  ca = ob_connection_fetch_ca_finish (cli->connection, wait_for (&result), &fingerprint, &error);
  if (ca == NULL)
    return report (cli, error);

  g_print (_("Engine %s serves a CA certificate with SHA-256 fingerprint\n  %s\n"),
           ob_connection_get_engine_key (cli->connection), fingerprint);
  if (ob_connection_get_peer_certificate (cli->connection) != NULL)
    {
      g_autofree char *server = ob_tls_certificate_fingerprint (ob_connection_get_peer_certificate (cli->connection));

      g_print (_("It signs the engine's server certificate, SHA-256 fingerprint\n  %s\n"), server);
    }

  if (cli->fingerprint != NULL)
    confirmed = cli->fingerprint;
  else if (cli->yes)
    confirmed = fingerprint;
  else if (isatty (STDIN_FILENO))
    {
      char answer[16] = "";

      g_print ("%s", _("Compare it with the one your engine administrator gave you.\n"
                       "Trust this CA for this engine? [y/N] "));
      fflush (stdout);
      if (fgets (answer, sizeof answer, stdin) != NULL &&
          (answer[0] == 'y' || answer[0] == 'Y'))
        confirmed = fingerprint;
    }

  if (confirmed == NULL)
    {
      g_print ("%s\n", _("Not trusted: nothing was stored. Run again with --yes, or with "
                         "--fingerprint SHA256 to trust it."));
      return OB_EXIT_OK;
    }

  store = ob_trust_store_new (NULL);
  if (!ob_trust_store_trust (store, ob_connection_get_engine_key (cli->connection), ca, confirmed, &error))
    return report (cli, error);
  g_print (_("Trusted: stored in %s.\n"), ob_trust_store_get_directory (store));
  return OB_EXIT_OK;
}

int
ob_cli_engine_main (int    argc,
                    char **argv)
{
  Cli cli = { 0 };
  const char *group, *command;
  guint sigint_id, sigterm_id;
  int rc;

  rc = parse_args (&cli, argc, argv);
  if (rc != 0)
    {
      cli_clear (&cli);
      return rc < 0 ? OB_EXIT_OK : rc;
    }

  if (cli.args->len < 2)
    {
      if (cli.args->len == 0)
        print_usage (stderr);
      cli_clear (&cli);
      return cli.args == NULL ? OB_EXIT_USAGE : usage_error (_("Missing command."));
    }

  group = g_ptr_array_index (cli.args, 0);
  command = g_ptr_array_index (cli.args, 1);

  cli.cancellable = g_cancellable_new ();
  sigint_id = g_unix_signal_add (SIGINT, on_interrupt, &cli);
  sigterm_id = g_unix_signal_add (SIGTERM, on_interrupt, &cli);

  if (strcmp (group, "vm") == 0 && strcmp (command, "list") == 0)
    rc = cmd_vm_list (&cli);
  else if (strcmp (group, "vm") == 0 && strcmp (command, "show") == 0)
    rc = cmd_vm_show (&cli);
  else if (strcmp (group, "vm") == 0 && strcmp (command, "set-balloon") == 0)
    rc = cmd_vm_set_balloon (&cli);
  else if (strcmp (group, "vm") == 0 && strcmp (command, "add") == 0)
    rc = cmd_vm_add (&cli);
  else if (strcmp (group, "vm") == 0 && strcmp (command, "run-once") == 0)
    rc = cmd_vm_run_once (&cli);
  else if (strcmp (group, "cluster") == 0 && strcmp (command, "list") == 0)
    rc = cmd_cluster_list (&cli);
  else if (strcmp (group, "template") == 0 && strcmp (command, "list") == 0)
    rc = cmd_template_list (&cli);
  else if (strcmp (group, "engine") == 0 && strcmp (command, "trust") == 0)
    rc = cmd_engine_trust (&cli);
  else
    rc = usage_error (_("Unknown command “%s %s”."), group, command);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  cli_clear (&cli);
  return rc;
}
