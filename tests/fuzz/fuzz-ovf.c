/* fuzz-ovf.c: the OVF reader and the balloon editor on arbitrary bytes.
 * Whatever the input, reading either fails with OB_ERROR_BAD_INPUT and a
 * message, or gives a document; on a document, turning the balloon off and
 * on (forced) always succeeds, each result parses again with all checks and
 * reads back as the state just written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ob-error.h"
#include "ob-fuzz.h"
#include "ob-ovf-document.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  ob_fuzz_make_warnings_fatal ();
  return 0;
}

static void
check_reparses (ObOvfDocument *doc)
{
  g_autoptr(GBytes) bytes = ob_ovf_document_get_ovf_bytes (doc);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfDocument) again = ob_ovf_document_new_from_bytes (bytes, "fuzz-output.ovf", &error);

  g_assert_no_error (error);
  g_assert (again != NULL);
  g_assert (ob_ovf_document_get_balloon_enabled (again) == ob_ovf_document_get_balloon_enabled (doc));
  g_assert (ob_ovf_document_get_balloon_source (again) == ob_ovf_document_get_balloon_source (doc));
  g_assert (ob_ovf_document_get_device_present (again) == ob_ovf_document_get_device_present (doc));
  g_assert (g_strcmp0 (ob_ovf_document_get_name (again), ob_ovf_document_get_name (doc)) == 0);
  g_assert (ob_ovf_document_get_engine_xml_state (again) == ob_ovf_document_get_engine_xml_state (doc));
  g_assert (g_strcmp0 (ob_ovf_document_get_engine_xml_balloon (again),
                       ob_ovf_document_get_engine_xml_balloon (doc)) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfDocument) doc = NULL;
  gboolean start;
  int i;

  doc = ob_ovf_document_new_from_bytes (bytes, "fuzz.ovf", &error);
  if (doc == NULL)
    {
      g_assert (error != NULL && error->domain == OB_ERROR && error->code == OB_ERROR_BAD_INPUT);
      g_assert (error->message != NULL && error->message[0] != '\0');
      return 0;
    }

  (void) ob_ovf_document_get_name (doc);
  (void) ob_ovf_document_get_compat_level (doc);
  (void) ob_ovf_document_get_compat_level_text (doc);
  g_assert (!ob_ovf_document_get_modified (doc));

  start = ob_ovf_document_get_balloon_enabled (doc);
  (void) ob_ovf_document_get_engine_xml_balloon (doc);
  g_free (ob_ovf_document_dup_engine_xml_summary (doc));
  /* Foreign files, and hosted-engine files whose libvirt XML cannot follow
   * the balloon, are never edited. */
  if (ob_ovf_document_get_flavour (doc) == OB_OVF_FLAVOUR_FOREIGN ||
      ob_ovf_document_get_engine_xml_state (doc) == OB_OVF_ENGINE_XML_UNUSABLE)
    {
      g_assert (!ob_ovf_document_set_balloon_enabled (doc, !start, TRUE, &error));
      g_assert (error != NULL && error->code == OB_ERROR_BAD_INPUT);
      g_assert (!ob_ovf_document_get_modified (doc));
      return 0;
    }
  for (i = 0; i < 3; i++)
    {
      gboolean want = (i % 2 == 0) ? !start : start;

      g_assert (ob_ovf_document_set_balloon_enabled (doc, want, TRUE, &error));
      g_assert_no_error (error);
      g_assert (ob_ovf_document_get_balloon_enabled (doc) == want);
      check_reparses (doc);
    }
  return 0;
}
