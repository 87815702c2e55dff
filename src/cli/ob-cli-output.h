/* ob-cli-output.h: how the engine commands print: tables, JSON, progress
 * and usage errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ob-vm.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean json;
} ObCliOutputOptions;

/* --json; values point into @options. Free with g_free(). */
GOptionEntry *ob_cli_output_option_entries (ObCliOutputOptions *options);

/* "error: MESSAGE" and a pointer to --help; returns the usage exit code. */
int  ob_cli_usage_error      (const char *format,
                              ...) G_GNUC_PRINTF (1, 2);
int  ob_cli_report_usage     (const GError *error);

/* One line on stdout (ob_cli_print_line) or stderr (ob_cli_printerr_line),
 * a trailing line break in @format or not, with every control character
 * escaped (ob_safe_text()): the line quotes what an engine sent. */
void ob_cli_print_line    (const char *format,
                           ...) G_GNUC_PRINTF (1, 2);
void ob_cli_printerr_line (const char *format,
                           ...) G_GNUC_PRINTF (1, 2);

/* JSON */
void ob_cli_add_string_or_null (JsonBuilder    *builder,
                                const char     *name,
                                const char     *value);
void ob_cli_add_balloon_state  (JsonBuilder    *builder,
                                const char     *name,
                                ObBalloonState  state);
void ob_cli_print_json         (JsonBuilder    *builder);

/* Adds one element of an array (an object, say) to @builder. */
typedef void (*ObCliJsonAddFunc) (JsonBuilder *builder,
                                  gpointer     item);

/* Prints @items as a JSON array, byte for byte what ob_cli_print_json()
 * prints for the whole array, one element at a time so that a long list
 * never sits in memory as one tree and one string. */
void ob_cli_print_json_array   (GPtrArray        *items,
                                ObCliJsonAddFunc  add);

/* Adds the table row of one element to @rows (see ob_cli_add_row()). */
typedef void (*ObCliRowAddFunc) (GPtrArray *rows,
                                 gpointer   item);

/* Prints @items as --json asks: a JSON array (@add_json per element) or a
 * table under @headers, NULL-terminated (@add_row per element). */
void ob_cli_print_list         (const ObCliOutputOptions *output,
                                GPtrArray                *items,
                                ObCliJsonAddFunc          add_json,
                                const char *const        *headers,
                                ObCliRowAddFunc           add_row);

/* Tables: rows are NULL-terminated string arrays (free with g_strfreev);
 * ob_cli_add_row() escapes control characters in the cells it copies. */
GPtrArray  *ob_cli_rows_new    (void);
void        ob_cli_add_row     (GPtrArray  *rows,
                                const char *first,
                                ...) G_GNUC_NULL_TERMINATED;
void        ob_cli_print_table (GPtrArray  *rows,
                                guint       columns);
const char *ob_cli_or_dash     (const char     *text);
const char *ob_cli_balloon_text (ObBalloonState state);
/* "on" or "off" (the balloon operands); FALSE for anything else. */
gboolean    ob_cli_parse_on_off (const char     *text,
                                 gboolean       *out);

/* Progress on stderr, for ob_client_*_many and list calls. */
typedef struct
{
  const char *what;
  gboolean tty;
  guint last_printed;
} ObCliProgress;

void ob_cli_progress_init (ObCliProgress *progress,
                           const char    *what);
void ob_cli_on_progress   (guint          done,
                           guint          total,
                           gpointer       user_data);

G_END_DECLS
