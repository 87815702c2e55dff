/* ob-sandbox-search.h: the engine's search language (?search=) as far as
 * clients use it. Internal to the engine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char    *name_like;     /* SQL LIKE pattern */
  char    *status;
  char    *cluster_like;  /* SQL LIKE pattern */
  gboolean descending;
  gint64   page;          /* 1-based, 0 = none */
} ObSearch;

void       ob_search_clear      (ObSearch      *s);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ObSearch, ob_search_clear)

/* Splits on blanks; double quotes group and a backslash escapes inside them. */
GPtrArray *ob_search_tokenize   (const char    *text);
/* VMs: name=, status=, cluster=, "page N", "sortby name [asc|desc]".
 * Returns FALSE with @bad_term set on an unsupported term. */
gboolean   ob_search_parse      (const char    *text,
                                 ObSearch      *out,
                                 char         **bad_term);
gboolean   ob_search_parse_name (const char    *text,
                                 GPatternSpec **pattern,
                                 char         **bad_term);

G_END_DECLS
