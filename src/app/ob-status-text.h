/* ob-status-text.h: translated display text for VM states
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "ob-vm.h"

G_BEGIN_DECLS

/* "On", "Off", "Unknown" (translated). */
const char *ob_status_text_balloon   (ObBalloonState  state);

/* The Balloon column's text: "On", "Off", "Unknown", or for a VM whose
 * level (or CPU) forbids the balloon, "Off — not supported (level 3.0)".
 * @level: the effective level, or NULL. Free with g_free(). */
/* "On → Off at next run" when @next (the waiting next-run value) is
 * known and differs from @state; NULL otherwise. */
char       *ob_status_text_balloon_next_run (ObBalloonState state,
                                             ObBalloonState next);
/* "Off (this run)" or "On (this run)" for @run, the balloon a Run Once
 * run got (ob_vm_get_run_ballooning()); NULL when it is unknown. */
char       *ob_status_text_balloon_this_run (ObBalloonState run);
char       *ob_status_text_balloon_cell (ObBalloonState   state,
                                         ObBalloonVerdict verdict,
                                         const char      *level);

/* Its icon: a tick for on, a dash for off, "not
 * supported"; or a question mark when the engine did not say. */
const char *ob_status_text_balloon_icon (ObBalloonState   state,
                                         ObBalloonVerdict verdict);

/* TRUE when the balloon cannot be turned on for this VM (the cell is
 * dimmed). */
gboolean    ob_status_text_balloon_refused (ObBalloonState   state,
                                            ObBalloonVerdict verdict);

/* oVirt's status text ("up", "down", "paused"...) as a translated word;
 * an unknown status is returned as the engine sent it. */
const char *ob_status_text_vm_status (const char     *status);

/* Memory in bytes as "4096 MiB" (or "—" when 0). Free with g_free(). */
char       *ob_status_text_memory    (guint64         bytes);

G_END_DECLS
