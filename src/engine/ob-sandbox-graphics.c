/* ob-sandbox-graphics.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ob-sandbox-graphics.h"

/* The sandbox's host, in the documentation address range (RFC 5737): a
 * console client has nothing to reach there, as expected of a sandbox. */
#define HOST_ADDRESS "192.0.2.10"
/* The subject of that host's certificate, which SPICE clients verify. */
#define HOST_SUBJECT "O=ovirt-balloon-sandbox,CN=host-01.sandbox.example"

void
ob_graphics_endpoint (const char        *vm_id,
                      ObConsoleEndpoint *out)
{
  /* 5900-5999, as VDSM hands out display ports. */
  out->address = HOST_ADDRESS;
  out->port = 5900 + g_str_hash (vm_id) % 100;
}

gboolean
ob_graphics_vm_is_running (const char *status)
{
  static const char *const running[] = {
    "up", "powering_up", "powering_down", "reboot_in_progress", "migrating", "paused",
    "not_responding", NULL
  };

  return status != NULL && g_strv_contains (running, status);
}

void
ob_graphics_write_display (ObReprWriter *w,
                           const char   *graphics,
                           const char   *vm_id,
                           const char   *status)
{
  gboolean spice = g_strcmp0 (graphics, "spice") == 0;
  gboolean live = graphics != NULL && vm_id != NULL && ob_graphics_vm_is_running (status);
  ObConsoleEndpoint endpoint = { NULL, 0 };

  if (live)
    ob_graphics_endpoint (vm_id, &endpoint);

  /* VmMapper: every VM has a display; its type comes from the graphics
   * devices (SPICE before VNC), so a headless VM's has none. Address and
   * ports only while it runs; SPICE listens on its TLS port only. */
  ob_repr_begin (w, "display", NULL, NULL);
  if (live)
    ob_repr_string (w, "address", endpoint.address);
  ob_repr_bool (w, "allow_override", FALSE);
  if (live && spice)
    {
      ob_repr_begin (w, "certificate", NULL, NULL);
      ob_repr_string (w, "subject", HOST_SUBJECT);
      ob_repr_end (w);
    }
  ob_repr_bool (w, "copy_paste_enabled", TRUE);
  ob_repr_string (w, "disconnect_action", "LOCK_SCREEN");
  ob_repr_bool (w, "file_transfer_enabled", TRUE);
  ob_repr_int (w, "monitors", 1);
  if (live && !spice)
    ob_repr_int (w, "port", endpoint.port);
  if (live && spice)
    ob_repr_int (w, "secure_port", endpoint.port);
  ob_repr_bool (w, "single_qxl_pci", FALSE);
  ob_repr_bool (w, "smartcard_enabled", FALSE);
  ob_repr_string (w, "type", graphics);
  ob_repr_end (w);
}

/* The engine's console id is the protocol name in hex ("spice" ->
 * 7370696365). */
static char *
console_id (const char *protocol)
{
  GString *hex = g_string_new (NULL);

  for (const char *p = protocol; *p; p++)
    g_string_append_printf (hex, "%02x", (guchar) *p);
  return g_string_free (hex, FALSE);
}

typedef struct
{
  const char *kind;      /* "vm" or "template" */
  const char *id;
  const char *graphics;
  const char *status;    /* NULL for a template */
} ConsoleOwner;

static void
write_console (ObReprWriter       *w,
               const ConsoleOwner *owner,
               const char         *href,
               const char         *id)
{
  g_autofree char *owner_href = g_strdup_printf ("%s/%ss/%s", OB_SANDBOX_API_PREFIX, owner->kind,
                                                 owner->id);

  ob_repr_begin (w, "graphics_console", href, id);
  if (ob_graphics_vm_is_running (owner->status))
    {
      ObConsoleEndpoint endpoint;

      ob_graphics_endpoint (owner->id, &endpoint);
      ob_repr_string (w, "address", endpoint.address);
      if (g_str_equal (owner->graphics, "spice"))
        ob_repr_int (w, "tls_port", endpoint.port);
      else
        ob_repr_int (w, "port", endpoint.port);
    }
  ob_repr_string (w, "protocol", owner->graphics);
  ob_repr_ref (w, owner->kind, owner_href, owner->id);
  ob_repr_identity (w, href, id);
  ob_repr_end (w);
}

void
ob_graphics_respond_consoles (ObSandboxRequest *req,
                              const char       *kind,
                              const char       *owner_id,
                              const char       *graphics,
                              const char       *status,
                              const char       *console)
{
  ConsoleOwner owner = { kind, owner_id, graphics, status };
  ObReprWriter *w;
  g_autofree char *id = graphics ? console_id (graphics) : NULL;
  g_autofree char *href = id ? g_strdup_printf ("%s/%ss/%s/graphicsconsoles/%s",
                                                OB_SANDBOX_API_PREFIX, kind, owner_id, id) : NULL;

  if (console != NULL && g_strcmp0 (console, id) != 0)
    {
      ob_request_not_found (req);
      return;
    }
  w = ob_repr_writer_new (req->format, 1024);
  if (console != NULL)
    write_console (w, &owner, href, id);
  else
    {
      ob_repr_begin_collection (w, "graphics_consoles", "graphics_console");
      if (id != NULL)
        write_console (w, &owner, href, id);
      ob_repr_end_collection (w);
    }
  ob_sandbox_respond_writer (req->msg, SOUP_STATUS_OK, w);
}
