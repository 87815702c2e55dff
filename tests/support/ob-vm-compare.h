/* ob-vm-compare.h: whether two VM lists read the same, field by field,
 * with the level, verdict and reason each VM gets
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

G_END_DECLS
