/* ob-error.h: the project's GError domain and the CLI exit code of each error
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OB_ERROR (ob_error_quark ())

/* Each code maps to one documented exit code of ovirt-balloon-cli
 * (see ob_error_exit_code()), so the mapping lives in one place. */
typedef enum
{
  OB_ERROR_FAILED = 1,        /* operation failed: exit 1 */
  OB_ERROR_USAGE,             /* usage error: exit 2 */
  OB_ERROR_REFUSED,           /* refused by validation (cluster level, template...): exit 3 */
  OB_ERROR_CONNECT,           /* cannot reach the engine: exit 4 */
  OB_ERROR_AUTH,              /* wrong credentials, SSO failure: exit 4 */
  OB_ERROR_TLS_UNTRUSTED,     /* certificate not trusted: exit 4 */
  OB_ERROR_BAD_INPUT,         /* bad input file: exit 5 */
  OB_ERROR_CONFLICT,          /* changed on the server meanwhile: exit 1 */
  OB_ERROR_NOT_FOUND,         /* no such VM, cluster, template: exit 1 */
  OB_ERROR_SERVER_FAULT,      /* engine answered with a fault: exit 1 */
  OB_ERROR_PROTOCOL,          /* engine answered something that is not oVirt REST: exit 1 */
  OB_ERROR_TIMEOUT,           /* no answer in time: exit 1 */
  OB_ERROR_IO,                /* local file system failure: exit 1 */
  OB_ERROR_NAME_IN_USE,       /* the engine refused a name another entity has: exit 1 */
} ObErrorCode;

typedef enum
{
  OB_EXIT_OK = 0,
  OB_EXIT_FAILED = 1,
  OB_EXIT_USAGE = 2,
  OB_EXIT_REFUSED = 3,
  OB_EXIT_CONNECT = 4,
  OB_EXIT_BAD_INPUT = 5,
} ObExitCode;

GQuark     ob_error_quark     (void);
ObExitCode ob_error_exit_code (const GError *error);

/* The programs' one way to report a failure: "error: MESSAGE" as a single
 * line on stderr, whatever the message holds, so scripts can grep for
 * "error:". Returns ob_error_exit_code (@error). */
ObExitCode ob_error_report    (const GError *error);

G_END_DECLS
