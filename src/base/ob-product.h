/* ob-product.h: names the product gives itself on the wire
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ob-version.h"

/* Sent as User-Agent by the REST client. */
#define OB_USER_AGENT "ovirt-balloon/" OB_VERSION

/* The sandbox engine's product_info name. The client recognises an engine
 * that honours a Run Once balloon override by this name: no real oVirt
 * engine does (reference: api-model Start action, VmMapper). */
#define OB_SANDBOX_PRODUCT_NAME "ovirt-balloon sandbox engine"
#define OB_SANDBOX_VENDOR       "ovirt-balloon"
