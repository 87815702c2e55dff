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

/* An engine advertises what it does beyond a stock oVirt engine in this
 * response header of GET /ovirt-engine/api: a comma-separated list. */
#define OB_ENGINE_CAPABILITIES_HEADER "X-Engine-Capabilities"
/* The engine honours a Run Once balloon override (no real oVirt engine
 * does: reference api-model Start action, VmMapper). */
#define OB_CAPABILITY_RUN_ONCE_BALLOON_OVERRIDE "run-once-balloon-override"
#define OB_SANDBOX_VENDOR       "ovirt-balloon"
