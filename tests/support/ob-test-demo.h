/* ob-test-demo.h: the demo account every sandbox engine has
 * (docs/sandbox.md), for tests that sign in to it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ob-sandbox.h"

#define OB_TEST_DEMO_USER     OB_SANDBOX_DEMO_USER
#define OB_TEST_DEMO_PASSWORD "sandbox"
/* "Basic " + base64 ("admin@internal:sandbox") */
#define OB_TEST_DEMO_BASIC    "Basic YWRtaW5AaW50ZXJuYWw6c2FuZGJveA=="
