/* ob-host-payload.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ob-host-payload.h"

char *
ob_host_payload_vdsm_balloon (gboolean enabled)
{
  return g_strdup_printf ("{'type': 'balloon', 'device': 'memballoon', "
                          "'specParams': {'model': '%s'}}",
                          enabled ? "virtio" : "none");
}

char *
ob_host_payload_libvirt_memballoon (gboolean    enabled,
                                    const char *device_id)
{
  GString *xml;

  if (!enabled)
    return g_strdup ("<memballoon model='none'/>");

  /* Stats polling every 5 s: since 4.2 VDSM reads guest memory
   * statistics from the balloon driver (LibvirtVmXmlBuilder.writeBalloon). */
  xml = g_string_new ("<memballoon model='virtio'>\n  <stats period='5'/>\n");
  if (device_id != NULL && *device_id != '\0')
    {
      g_autofree char *escaped = g_markup_escape_text (device_id, -1);
      g_string_append_printf (xml, "  <alias name='ua-%s'/>\n", escaped);
    }
  g_string_append (xml, "</memballoon>");
  return g_string_free (xml, FALSE);
}
