/* ob-vm-json-private.h: a VM's fields as read from the wire, with the
 * reading rules already applied, so that the tree reader (ob-vm-json.c)
 * and the list scanner (ob-vm-list-scan.c) build their ObVm the same way
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ob-vm.h"

G_BEGIN_DECLS

typedef struct
{
  const char     *id;                /* not NULL, not empty */
  const char     *name;
  const char     *description;
  const char     *status;
  gboolean        has_memory;
  guint64         memory;
  ObBalloonState  ballooning;
  gboolean        has_next_run;
  gboolean        next_run;
  gboolean        run_once;          /* absent: FALSE */
  const char     *custom_level;      /* "4.7", or NULL */
  const char     *cluster_id;        /* NULL: no cluster reference */
  /* The reference carries the cluster itself (?follow=cluster): a
   * "version" or "name" member, even null. */
  gboolean        cluster_followed;
  const char     *cluster_name;
  const char     *cluster_level;
  const char     *cpu_arch;
} ObVmWire;

ObVm *ob_vm_json_build_vm (const ObVmWire *wire);

G_END_DECLS
