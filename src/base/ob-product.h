/* ob-product.h: names the product gives itself on the wire
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ob-version.h"

/* Sent as User-Agent by the REST client. */
#define OB_USER_AGENT "ovirt-balloon/" OB_VERSION

/* The sandbox engine's product_info name. */
#define OB_SANDBOX_PRODUCT_NAME "ovirt-balloon sandbox engine"

#define OB_SANDBOX_VENDOR       "ovirt-balloon"

/* The sandbox engine lists what it does beyond a real engine in this
 * response header of GET /ovirt-engine/api, comma-separated. */
#define OB_ENGINE_CAPABILITIES_HEADER "X-Engine-Capabilities"
/* It honours a Run Once balloon override: no real oVirt engine does
 * (reference: api-model Start action, VmMapper). */
#define OB_ENGINE_CAP_RUN_ONCE_BALLOON_OVERRIDE "run-once-balloon-override"
/* It shows what a start sent to the host:
 * GET /ovirt-engine/sandbox/vms/ID/host-payload. */
#define OB_ENGINE_CAP_HOST_PAYLOAD "host-payload"
