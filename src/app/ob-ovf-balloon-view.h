/* ob-ovf-balloon-view.h: what the OVF editor shows about the balloon
 *
 * The texts and widget states of the editor's balloon section, computed
 * from a document with the one balloon rule (ob-balloon-policy.h), with no
 * widgets involved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "ob-ovf-document.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean    enabled;          /* the checkbox */
  gboolean    check_sensitive;
  gboolean    force_visible;    /* the "ignore the level" option */
  gboolean    force_cleared;    /* the option does not apply: uncheck it */
  const char *reason_style;     /* "warning", "error" or NULL */
  char       *reason;           /* NULL: no reason shown */
  char       *state;            /* the "Balloon state" row */
  char       *level;            /* the "Compatibility level" row */
} ObOvfBalloonView;

/* @saved_enabled and @saved_source: the balloon as the file on disk has
 * it (the document holds the unsaved edits); @force: the "ignore the
 * level" option is checked. */
void ob_ovf_balloon_view_init  (ObOvfBalloonView   *view,
                                ObOvfDocument      *document,
                                gboolean            saved_enabled,
                                ObOvfBalloonSource  saved_source,
                                gboolean            force);

/* TRUE when setting the balloon to @enabled only returns to the file's
 * saved state, which needs no level check. */
gboolean ob_ovf_balloon_view_restores (gboolean enabled,
                                       gboolean saved_enabled);
void ob_ovf_balloon_view_clear (ObOvfBalloonView *view);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ObOvfBalloonView, ob_ovf_balloon_view_clear)

G_END_DECLS
