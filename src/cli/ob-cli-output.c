/* ob-cli-output.c: tables, JSON, progress and usage errors of the engine
 * commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "ob-cli-output.h"
#include "ob-error.h"
#include "ob-safe-text.h"

GOptionEntry *
ob_cli_output_option_entries (ObCliOutputOptions *options)
{
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json, NULL, NULL },
    { NULL }
  };

  return g_memdup2 (entries, sizeof entries);
}

int
ob_cli_report_usage (const GError *error)
{
  int code = ob_error_report (error);

  g_printerr ("%s\n", _("Run 'ovirt-balloon-cli --help' for usage."));
  return code;
}

int
ob_cli_usage_error (const char *format,
                    ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (OB_ERROR, OB_ERROR_USAGE, format, args);
  va_end (args);
  return ob_cli_report_usage (error);
}

static void G_GNUC_PRINTF (2, 0)
print_line_valist (gboolean    to_stderr,
                   const char *format,
                   va_list     args)
{
  g_autofree char *text = g_strdup_vprintf (format, args);
  g_autofree char *safe = NULL;
  gsize len = strlen (text);

  if (len > 0 && text[len - 1] == '\n')
    text[len - 1] = '\0';
  safe = ob_safe_text (text);
  if (to_stderr)
    g_printerr ("%s\n", safe);
  else
    g_print ("%s\n", safe);
}

void
ob_cli_print_line (const char *format,
                   ...)
{
  va_list args;

  va_start (args, format);
  print_line_valist (FALSE, format, args);
  va_end (args);
}

void
ob_cli_printerr_line (const char *format,
                      ...)
{
  va_list args;

  va_start (args, format);
  print_line_valist (TRUE, format, args);
  va_end (args);
}

void
ob_cli_add_string_or_null (JsonBuilder *builder,
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
void
ob_cli_add_balloon_state (JsonBuilder    *builder,
                          const char     *name,
                          ObBalloonState  state)
{
  json_builder_set_member_name (builder, name);
  if (state == OB_BALLOON_STATE_UNKNOWN)
    json_builder_add_null_value (builder);
  else
    json_builder_add_boolean_value (builder, state == OB_BALLOON_STATE_ON);
}

void
ob_cli_print_json (JsonBuilder *builder)
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

void
ob_cli_print_json_array (GPtrArray        *items,
                         ObCliJsonAddFunc  add)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GString) element = g_string_new (NULL);
  guint i;

  if (items->len == 0)
    {
      fputs ("[]\n", stdout);
      return;
    }
  json_generator_set_pretty (generator, TRUE);
  fputs ("[\n", stdout);
  for (i = 0; i < items->len; i++)
    {
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;
      const char *p;

      json_builder_reset (builder);
      add (builder, g_ptr_array_index (items, i));
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      text = json_generator_to_data (generator, NULL);

      /* One level deeper than on its own: the generator escapes line
       * breaks inside strings, so every '\n' here starts a line. */
      g_string_assign (element, "  ");
      for (p = text; *p != '\0'; p++)
        {
          g_string_append_c (element, *p);
          if (*p == '\n')
            g_string_append (element, "  ");
        }
      g_string_append (element, i + 1 < items->len ? ",\n" : "\n");
      fputs (element->str, stdout);
    }
  fputs ("]\n", stdout);
}

void
ob_cli_print_list (const ObCliOutputOptions *output,
                   GPtrArray                *items,
                   ObCliJsonAddFunc          add_json,
                   const char *const        *headers,
                   ObCliRowAddFunc           add_row)
{
  g_autoptr(GPtrArray) rows = NULL;
  guint i;

  if (output->json)
    {
      ob_cli_print_json_array (items, add_json);
      return;
    }
  rows = ob_cli_rows_new ();
  g_ptr_array_add (rows, g_strdupv ((char **) headers));
  for (i = 0; i < items->len; i++)
    add_row (rows, g_ptr_array_index (items, i));
  ob_cli_print_table (rows, g_strv_length ((char **) headers));
}

const char *
ob_cli_or_dash (const char *text)
{
  return (text != NULL && *text != '\0') ? text : "-";
}

gboolean
ob_cli_parse_on_off (const char *text,
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

const char *
ob_cli_balloon_text (ObBalloonState state)
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

GPtrArray *
ob_cli_rows_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
}

/* A plain table: columns padded to their widest cell. */
void
ob_cli_print_table (GPtrArray *rows,
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

void
ob_cli_add_row (GPtrArray  *rows,
                const char *first,
                ...)
{
  GPtrArray *cells = g_ptr_array_new ();
  const char *cell;
  va_list args;

  va_start (args, first);
  for (cell = first; cell != NULL; cell = va_arg (args, const char *))
    g_ptr_array_add (cells, ob_safe_text (cell));
  va_end (args);
  g_ptr_array_add (cells, NULL);
  g_ptr_array_add (rows, g_ptr_array_free (cells, FALSE));
}

/* A rewritten line on a terminal, a few plain lines otherwise so logs
 * stay short. */
void
ob_cli_progress_init (ObCliProgress *progress,
                      const char    *what)
{
  progress->what = what;
  progress->tty = isatty (STDERR_FILENO);
  progress->last_printed = 0;
}

void
ob_cli_on_progress (guint    done,
                    guint    total,
                    gpointer user_data)
{
  ObCliProgress *progress = user_data;
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
