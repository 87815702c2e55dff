/* ob-sandbox-graphics.h: a VM's graphical console as the engine shows it:
 * the <display> of a VM or template and /vms/{id}/graphicsconsoles.
 * Internal to the engine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ob-sandbox-repr.h"
#include "ob-sandbox-request.h"
#include "ob-sandbox-store.h"

G_BEGIN_DECLS

/* Where a running VM's console listens: the sandbox's one host and a port
 * derived from the VM's id, so it stays the same between runs. */
typedef struct
{
  const char *address;
  guint       port;
} ObConsoleEndpoint;

void ob_graphics_endpoint          (const char           *vm_id,
                                    ObConsoleEndpoint    *out);
/* True for the statuses in which the engine reports console addresses. */
gboolean ob_graphics_vm_is_running (const char           *status);

/* <display>: @graphics "spice", "vnc" or NULL (headless: no type);
 * @vm_id and @status are NULL for a template. */
void ob_graphics_write_display     (ObReprWriter         *w,
                                    const char           *graphics,
                                    const char           *vm_id,
                                    const char           *status);

/* GET /vms/{id}/graphicsconsoles[/{console}] (@kind "vm") or
 * /templates/{id}/... (@kind "template"); @console may be NULL. @graphics
 * is the owner's console type (NULL: none); @status the VM's status, NULL
 * for a template. */
void ob_graphics_respond_consoles  (ObSandboxRequest     *req,
                                    const char           *kind,
                                    const char           *id,
                                    const char           *graphics,
                                    const char           *status,
                                    const char           *console);

G_END_DECLS
