/* fuzz-ovf-views.c: differential target. The byte scanner that surgical
 * edits rely on and libxml2 must see the same document: whenever libxml2
 * accepts the bytes, the scanner must scan them and find the same root
 * namespace and the same elements of interest at the same offsets. A
 * disagreement is refused on load (safe), but it is a scanner bug, so here
 * it aborts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "ob-error.h"
#include "ob-fuzz.h"
#include "ob-ovf-private.h"

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
  const char *buf = (const char *) data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfXmlView) view = NULL;
  ObOvfScan scan = { buf, size, NULL };
  gboolean scanned;

  /* The reader refuses these (UTF-16, UCS-4) before either view is taken;
   * declared encodings are checked by ob_ovf_check_xml(). */
  if (size < 2 || size > OB_OVF_MAX_SIZE || buf[0] == '\0' || buf[1] == '\0' ||
      (data[0] == 0xFE && data[1] == 0xFF) || (data[0] == 0xFF && data[1] == 0xFE))
    return 0;
  view = ob_ovf_check_xml (buf, size, "fuzz.ovf", &error);
  if (view == NULL)
    {
      g_assert (error != NULL && error->domain == OB_ERROR);
      return 0;
    }

  scan.spans = g_array_new (FALSE, FALSE, sizeof (ObOvfSpan));
  scanned = ob_ovf_scan_markup (&scan, "fuzz.ovf", &error);
  if (!scanned)
    {
      /* Only the span cap may stop the scanner on well-formed XML. */
      g_assert (strstr (error->message, "elements where") != NULL);
      g_array_unref (scan.spans);
      return 0;
    }
  if (!ob_ovf_xml_view_agrees (view, &scan, "fuzz.ovf", &error))
    {
      g_printerr ("views disagree: %s\n", error->message);
      g_assert_not_reached ();
    }
  g_array_unref (scan.spans);
  return 0;
}
