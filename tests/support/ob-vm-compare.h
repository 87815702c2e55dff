/* ob-vm-compare.h: whether two VM lists read the same, field by field,
 * with the level, verdict and reason each VM gets; the list scanner
 * checked against the tree reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ob-vm.h"

G_BEGIN_DECLS

/* TRUE when equal; otherwise FALSE and @what (may be NULL) names the first
 * difference (free with g_free()). */
gboolean ob_test_vm_equal       (ObVm      *a,
                                 ObVm      *b,
                                 char     **what);
gboolean ob_test_vm_lists_equal (GPtrArray *a,
                                 GPtrArray *b,
                                 char     **what);

/* The VM list scanner against json-glib's tree on @data: whatever the
 * scanner reads, the tree reader reads as the same VMs; and
 * ob_vm_json_read_vms() gives the tree reader's answer, error included.
 * @scanned (may be NULL): whether the scanner read @data or declined. */
gboolean ob_test_vm_scan_agrees (const char  *data,
                                 gsize        size,
                                 gboolean    *scanned,
                                 char       **what);

G_END_DECLS
