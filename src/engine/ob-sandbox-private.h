/* ob-sandbox-private.h: test hooks of the sandbox engine (fault injection
 * and the request counter). For tests and benchmarks only; the programs
 * use ob-sandbox.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ob-sandbox.h"

G_BEGIN_DECLS

/* Pseudo statuses for ob_sandbox_inject_fault(). */
#define OB_SANDBOX_FAULT_DROP_CONNECTION 1  /* close the connection, no answer */
#define OB_SANDBOX_FAULT_FAIL_COMMIT     2  /* serve it, but its transaction fails */

/* Fault injection for reliability tests: the next @count requests whose
 * path starts with @path_prefix (NULL = any) and whose method is @method
 * (NULL = any) wait @delay_ms, then, if @status is not 0, get that HTTP
 * status with an engine-style fault instead of being served (or one of
 * the OB_SANDBOX_FAULT_ pseudo statuses); status 0 serves them normally
 * after the delay. Thread-safe; call any time after creation. */
void        ob_sandbox_inject_fault   (ObSandbox           *self,
                                       const char          *method,
                                       const char          *path_prefix,
                                       guint                status,
                                       guint                delay_ms,
                                       guint                count);
void        ob_sandbox_clear_faults   (ObSandbox           *self);

/* Number of requests served so far (for tests and the benchmark). */
guint64     ob_sandbox_get_request_count (ObSandbox        *self);

G_END_DECLS
