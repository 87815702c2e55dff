/* fuzz-vm-list-scan.c: the VM list scanner against json-glib's tree on
 * arbitrary bodies: whatever the scanner accepts, the tree reader accepts
 * too and reads as the same VMs (same fields, levels and verdicts); and
 * ob_vm_json_read_vms() gives the tree reader's answer, error included.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ob-fuzz.h"
#include "ob-vm-compare.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  ob_fuzz_make_warnings_fatal ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *what = NULL;

  if (!ob_test_vm_scan_agrees ((const char *) data, size, NULL, &what))
    g_error ("%s", what);
  return 0;
}
