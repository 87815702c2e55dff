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

/* oVirt's status text ("up", "down", "paused"...) as a translated word;
 * an unknown status is returned as the engine sent it. */
const char *ob_status_text_vm_status (const char     *status);

/* Memory in bytes as "4096 MiB" (or "—" when 0). Free with g_free(). */
char       *ob_status_text_memory    (guint64         bytes);

G_END_DECLS
