/* ob-cli.c: ovirt-balloon-cli's entry point and dispatch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "ob-cli.h"
#include "ob-cli-cluster.h"
#include "ob-cli-output.h"
#include "ob-cli-session.h"
#include "ob-cli-template.h"
#include "ob-cli-trust.h"
#include "ob-cli-vm.h"
#include "ob-error.h"

static void
print_usage (FILE *out)
{
  fprintf (out, "%s",
           _("Usage:\n"
             "  ovirt-balloon-cli ovf show FILE [--json]\n"
             "  ovirt-balloon-cli ovf set-balloon FILE on|off [--output OUT] [--force] [--backup]\n"
             "  ovirt-balloon-cli [CONNECTION OPTIONS] vm|cluster|template COMMAND ...\n"
             "\n"
             "Run 'ovirt-balloon-cli ovf --help' or 'ovirt-balloon-cli vm --help' for details.\n"));
}

static void
print_engine_usage (FILE *out)
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
             "  template set-balloon TEMPLATE on|off [--json]\n"
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

/* The engine commands' options: every group's options are accepted
 * anywhere on the line, before or after the command words. */
typedef struct
{
  ObCliSession session;
  ObCliOutputOptions output;
  ObCliVmOptions vm;
  ObCliTrustOptions trust;
  GOptionEntry *entries[4];   /* session, output, vm, trust */
} EngineCli;

static void
engine_cli_init (EngineCli *cli)
{
  cli->entries[0] = ob_cli_session_option_entries (&cli->session);
  cli->entries[1] = ob_cli_output_option_entries (&cli->output);
  cli->entries[2] = ob_cli_vm_option_entries (&cli->vm);
  cli->entries[3] = ob_cli_trust_option_entries (&cli->trust);
}

static void
engine_cli_clear (EngineCli *cli)
{
  gsize i;

  ob_cli_session_clear (&cli->session);
  ob_cli_vm_options_clear (&cli->vm);
  ob_cli_trust_options_clear (&cli->trust);
  for (i = 0; i < G_N_ELEMENTS (cli->entries); i++)
    g_clear_pointer (&cli->entries[i], g_free);
}

static const GOptionEntry *
find_entry (EngineCli  *cli,
            const char *name,
            gsize       len)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cli->entries); i++)
    {
      const GOptionEntry *entry;

      for (entry = cli->entries[i]; entry->long_name != NULL; entry++)
        if (strlen (entry->long_name) == len && strncmp (entry->long_name, name, len) == 0)
          return entry;
    }
  return NULL;
}

/* An option that looks like it carries a password or another secret:
 * -p/-P with anything after it, or a long name with pass, pw, secret,
 * token, cred or key in it (but the real --password-file). Its value is
 * never echoed. */
static gboolean
looks_like_secret (const char *arg)
{
  const char *words[] = { "pass", "pw", "secret", "token", "cred", "key" };
  g_autofree char *name = NULL;
  gsize i;

  if (arg[0] != '-' || arg[1] == '\0')
    return FALSE;
  if (arg[1] != '-')
    return arg[1] == 'p' || arg[1] == 'P';
  name = g_ascii_strdown (arg + 2, strcspn (arg + 2, "="));
  if (strcmp (name, "password-file") == 0)
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (name, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

static int
refuse_secret (void)
{
  return ob_cli_usage_error (_("A password is never accepted on the command line; use "
                               "--password-file FILE or OVIRT_PASSWORD."));
}

/* An unknown option as errors name it: "--name" without "=VALUE", "-x"
 * without what follows, since that may be a value. */
static GError *
unknown_option_error (const char *arg)
{
  g_autofree char *name = NULL;

  if (arg[1] == '-')
    name = g_strndup (arg, 2 + strcspn (arg + 2, "="));
  else
    name = g_strndup (arg, 2);
  return g_error_new (OB_ERROR, OB_ERROR_USAGE, _("Unknown option %s."), name);
}

/* GOption reads "--json=x" as a bare --json; the CLI refuses it as an
 * unknown option. Returns the index of the first such word (argc if
 * none), stepping over option values the way GOption takes them. */
static int
first_flag_with_value (EngineCli  *cli,
                       int         argc,
                       char      **argv)
{
  int i;

  for (i = 1; i < argc; i++)
    {
      const char *name = argv[i] + 2;
      gsize len = strcspn (name, "=");
      const GOptionEntry *entry;

      if (strcmp (argv[i], "--") == 0)
        break;
      if (!g_str_has_prefix (argv[i], "--") || (entry = find_entry (cli, name, len)) == NULL)
        continue;
      if (name[len] == '\0' && entry->arg != G_OPTION_ARG_NONE)
        i++;
      else if (name[len] == '=' && entry->arg == G_OPTION_ARG_NONE)
        return i;
    }
  return argc;
}

/* What GOption leaves, in order: operands, "--", or the first word that
 * decides the outcome (help, a password, an unknown option). Returns 0,
 * -1 once the help is printed, or an exit code. */
static int
scan_leftovers (char      **words,
                GPtrArray  *operands)
{
  g_autoptr(GError) error = NULL;
  gboolean only_operands = FALSE;
  int i;

  for (i = 1; words[i] != NULL; i++)
    {
      const char *arg = words[i];

      if (only_operands || arg[0] != '-' || strcmp (arg, "-") == 0)
        {
          g_ptr_array_add (operands, g_strdup (arg));
          continue;
        }
      if (strcmp (arg, "--") == 0)
        {
          only_operands = TRUE;
          continue;
        }
      if (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0)
        {
          print_engine_usage (stdout);
          return -1;
        }
      if (looks_like_secret (arg))
        return refuse_secret ();
      error = unknown_option_error (arg);
      return ob_cli_report_usage (error);
    }
  return 0;
}

/* Parses argv[0..n) with GOption. *missing_value is set when the last
 * word is an option without its value: GOption takes the next word as
 * the value whatever it is, so nothing else can lack one. */
static int
parse_words (EngineCli  *cli,
             char      **argv,
             int         n,
             GPtrArray  *operands,
             gboolean   *missing_value)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_auto(GStrv) words = g_new0 (char *, n + 1);
  const char *names[] = { "connection", "output", "vm", "trust" };
  gsize i;

  for (i = 0; i < (gsize) n; i++)
    words[i] = g_strdup (argv[i]);
  for (i = 0; i < G_N_ELEMENTS (cli->entries); i++)
    {
      GOptionGroup *group = g_option_group_new (names[i], names[i], names[i], NULL, NULL);

      g_option_group_add_entries (group, cli->entries[i]);
      g_option_context_add_group (context, group);
    }
  /* The help is the usage text above, and the leftovers are judged by
   * scan_leftovers() in the order they were given. */
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_ignore_unknown_options (context, TRUE);

  *missing_value = !g_option_context_parse_strv (context, &words, NULL);
  if (*missing_value)
    return 0;
  return scan_leftovers (words, operands);
}

static int
parse_engine_args (EngineCli  *cli,
                   int         argc,
                   char      **argv,
                   GPtrArray  *operands)
{
  int end = first_flag_with_value (cli, argc, argv);
  gboolean missing_value = FALSE;
  int rc;

  rc = parse_words (cli, argv, end, operands, &missing_value);
  if (rc != 0)
    return rc;
  if (missing_value)
    {
      /* Anything that comes earlier on the line is reported first. */
      g_ptr_array_set_size (operands, 0);
      rc = parse_words (cli, argv, end - 1, operands, &missing_value);
      if (rc != 0)
        return rc;
      return ob_cli_usage_error (_("Option %s needs a value."), argv[end - 1]);
    }
  if (end < argc)
    {
      g_autofree char *name = g_strndup (argv[end], strcspn (argv[end], "="));

      return ob_cli_usage_error (_("Option %s takes no value."), name);
    }
  return 0;
}

static gboolean
on_interrupt (gpointer user_data)
{
  GCancellable *cancellable = user_data;

  g_cancellable_cancel (cancellable);
  return G_SOURCE_CONTINUE;
}

static int
run_engine_command (EngineCli  *cli,
                    const char *group,
                    const char *command,
                    char      **operands)
{
  if (strcmp (group, "vm") == 0)
    return ob_cli_vm_main (&cli->session, &cli->vm, &cli->output, command, operands);
  if (strcmp (group, "cluster") == 0)
    return ob_cli_cluster_main (&cli->session, &cli->output, command, operands);
  if (strcmp (group, "template") == 0)
    return ob_cli_template_main (&cli->session, &cli->output, command, operands);
  if (strcmp (group, "engine") == 0)
    return ob_cli_trust_main (&cli->session, &cli->trust, command, operands);
  return ob_cli_usage_error (_("Unknown command “%s %s”."), group, command);
}

/* Everything that talks to an engine: options anywhere, then the group
 * and command words and their operands. */
static int
engine_main (int    argc,
             char **argv)
{
  EngineCli cli = { 0 };
  g_autoptr(GPtrArray) operands = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  guint sigint_id, sigterm_id;
  int rc;

  engine_cli_init (&cli);
  rc = parse_engine_args (&cli, argc, argv, operands);
  if (rc == 0 && !ob_cli_session_check_options (&cli.session, &error))
    rc = ob_cli_report_usage (error);
  if (rc == 0 && operands->len == 0)
    {
      print_engine_usage (stderr);
      rc = OB_EXIT_USAGE;
    }
  else if (rc == 0 && operands->len == 1)
    rc = ob_cli_usage_error (_("Missing command."));
  if (rc != 0)
    {
      engine_cli_clear (&cli);
      return rc < 0 ? OB_EXIT_OK : rc;
    }
  g_ptr_array_add (operands, NULL);

  cli.session.cancellable = g_cancellable_new ();
  sigint_id = g_unix_signal_add (SIGINT, on_interrupt, cli.session.cancellable);
  sigterm_id = g_unix_signal_add (SIGTERM, on_interrupt, cli.session.cancellable);

  rc = run_engine_command (&cli, g_ptr_array_index (operands, 0), g_ptr_array_index (operands, 1),
                           (char **) operands->pdata + 2);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  engine_cli_clear (&cli);
  return rc;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return OB_EXIT_USAGE;
    }

  if (strcmp (argv[1], "--version") == 0)
    {
      g_print ("ovirt-balloon-cli %s\n", PACKAGE_VERSION);
      return OB_EXIT_OK;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      print_usage (stdout);
      return OB_EXIT_OK;
    }

  /* The offline group takes no connection options, so it is only ever the
   * first word; everything else is the engine group's, which parses the
   * global options itself. */
  if (strcmp (argv[1], "ovf") == 0)
    {
      int i;

      /* The ovf commands take no secret: refuse one before GOption can
       * quote it back in its error. */
      for (i = 2; i < argc && strcmp (argv[i], "--") != 0; i++)
        if (looks_like_secret (argv[i]))
          {
            g_autoptr(GError) error = unknown_option_error (argv[i]);

            return ob_error_report (error);
          }
      return ob_cli_ovf_main (argc - 1, argv + 1);
    }
  return engine_main (argc, argv);
}
