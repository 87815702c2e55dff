/* ob-vm-list-scan.h: a VM list response read in one pass, straight into
 * ObVm objects, without building a JSON tree
 *
 * A 500-VM page is megabytes of JSON of which a VM row needs a few
 * fields; building json-glib's tree of every member and freeing it again
 * costs several times more than the row itself. The scanner handles the
 * shape every engine sends, {"vm": [{...}, ...]}, in strict JSON, and
 * declines anything else (another shape, an escaped member name, a
 * duplicated member that matters, a string that is not UTF-8, a number it
 * cannot read exactly...): the tree reader then decides, so the result is
 * always the tree reader's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The VMs of the collection in @data (not NUL-terminated; checked by
 * ob_rest_json_check_bytes() before), as ob_vm_json_parse_vms() would
 * give them; NULL when the scanner declines. */
GPtrArray *ob_vm_list_scan (const char *data,
                            gsize       length);

G_END_DECLS
