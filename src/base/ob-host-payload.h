/* ob-host-payload.h: what the engine sends to the host for the balloon,
 * as the VDSM device dict and the libvirt domain XML element. The sandbox
 * records these on each start; the OVF editor previews them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* {'type': 'balloon', 'device': 'memballoon', 'specParams': {'model': 'virtio'}},
 * with model 'none' when disabled: VDSM's VmBalloonDevice. */
char *ob_host_payload_vdsm_balloon      (gboolean    enabled);

/* <memballoon model='virtio'>...</memballoon>, or <memballoon model='none'/>
 * when disabled, because libvirt adds an implicit balloon otherwise.
 * @device_id (nullable) becomes the engine's "ua-" user alias. */
char *ob_host_payload_libvirt_memballoon (gboolean    enabled,
                                          const char *device_id);

G_END_DECLS
