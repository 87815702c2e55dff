/* ob-sandbox-seed.h: the sandbox engine's initial data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "ob-sandbox-store.h"

G_BEGIN_DECLS

/* Names of the demo seed's clusters (levels 3.0, 3.1, 3.6, 4.2, 4.7
 * x86_64 and 3.4 ppc64). */
#define OB_SANDBOX_SEED_CLUSTER_3_0   "legacy-3-0"
#define OB_SANDBOX_SEED_CLUSTER_3_1   "old-3-1"
#define OB_SANDBOX_SEED_CLUSTER_3_6   "prod-3-6"
#define OB_SANDBOX_SEED_CLUSTER_4_2   "prod-4-2"
#define OB_SANDBOX_SEED_CLUSTER_4_7   "Default"
#define OB_SANDBOX_SEED_CLUSTER_PPC64 "power-3-4"

/* A stable id for a seeded object, derived from its kind and name, so
 * every demo database has the same ids. */
char    *ob_sandbox_seed_make_id   (const char      *kind,
                                    const char      *name);

/* Makes sure the Blank template exists (every database has it). */
gboolean ob_sandbox_seed_ensure_blank (ObSandboxStore *store,
                                       GError        **error);

/* @seed: "demo", a decimal number of VMs, or NULL/"" (nothing). Does
 * nothing when the database already has VMs. Runs in one transaction.
 * An unknown seed is OB_ERROR_USAGE. */
gboolean ob_sandbox_seed_apply     (ObSandboxStore  *store,
                                    const char      *seed,
                                    GError         **error);

G_END_DECLS
