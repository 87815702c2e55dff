/* fuzz-ovf-surgical.c: balloon edits are surgical, whatever the OVF.
 * For every input the OVF reader accepts:
 *  - setting the balloon to the state it already has changes no byte
 *    (flag-era files missing their device Item excepted: any edit adds it,
 *    by design);
 *  - in a device-era file (no <BalloonEnabled>), turning the balloon on or
 *    off is one contiguous insertion or deletion that contains the
 *    memballoon device, and nothing else changes;
 *  - turning it back on a file that had no device restores the original
 *    bytes exactly (off(on(x)) = x);
 *  - in a flag-era file every changed byte lies near balloon markup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

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

static gboolean
contains (const guint8 *data,
          gsize         len,
          const char   *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (g_ascii_strncasecmp ((const char *) data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* The differing middles of @a and @b after their common prefix and suffix. */
static void
diff_window (GBytes *a,
             GBytes *b,
             gsize  *prefix,
             gsize  *a_mid,
             gsize  *b_mid)
{
  gsize la, lb, p = 0, s = 0;
  const guint8 *da = g_bytes_get_data (a, &la);
  const guint8 *db = g_bytes_get_data (b, &lb);

  while (p < la && p < lb && da[p] == db[p])
    p++;
  while (s < la - p && s < lb - p && da[la - 1 - s] == db[lb - 1 - s])
    s++;
  *prefix = p;
  *a_mid = la - p - s;
  *b_mid = lb - p - s;
}

static GBytes *
edited (GBytes   *input,
        gboolean  enable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfDocument) doc = ob_ovf_document_new_from_bytes (input, "fuzz.ovf", &error);

  g_assert (doc != NULL);
  g_assert (ob_ovf_document_set_balloon_enabled (doc, enable, TRUE, &error));
  return ob_ovf_document_get_ovf_bytes (doc);
}

/* @after is @before with one contiguous block added or removed, and that
 * block is the balloon device. The one allowed extra: a self-closing
 * hardware section ("<Section .../>") must open to take the Item, so "/>"
 * becomes ">...</Section>". Returns FALSE in that case. */
static gboolean
assert_one_device_block (GBytes *before,
                         GBytes *after)
{
  gsize p, mid_before, mid_after;
  const guint8 *b = g_bytes_get_data (before, NULL);
  const guint8 *a = g_bytes_get_data (after, NULL);

  diff_window (before, after, &p, &mid_before, &mid_after);
  if (mid_before > 0 && mid_after > 0)
    {
      /* Only the self-closing case: "/>" on one side. */
      gboolean opened = mid_before <= 2 && memchr (b + p, '/', mid_before) != NULL;
      gboolean closed = mid_after <= 2 && memchr (a + p, '/', mid_after) != NULL;
      g_assert (opened || closed);
      g_assert (contains (opened ? a + p : b + p, opened ? mid_after : mid_before, "memballoon"));
      return FALSE;
    }
  if (mid_after > 0)
    g_assert (contains ((const guint8 *) g_bytes_get_data (after, NULL) + p, mid_after, "memballoon"));
  if (mid_before > 0)
    g_assert (contains ((const guint8 *) g_bytes_get_data (before, NULL) + p, mid_before, "memballoon"));
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) input = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfDocument) doc = ob_ovf_document_new_from_bytes (input, "fuzz.ovf", &error);
  g_autoptr(GBytes) same = NULL;
  g_autoptr(GBytes) flipped = NULL;
  g_autoptr(GBytes) back = NULL;
  ObOvfBalloonSource source;
  gboolean state;

  if (doc == NULL)
    return 0;
  state = ob_ovf_document_get_balloon_enabled (doc);
  /* A foreign OVF is never edited: the refusal changes nothing. */
  if (ob_ovf_document_get_flavour (doc) == OB_OVF_FLAVOUR_FOREIGN)
    {
      g_assert (!ob_ovf_document_set_balloon_enabled (doc, !state, TRUE, &error));
      g_assert (error != NULL && error->code == OB_ERROR_BAD_INPUT);
      same = ob_ovf_document_get_ovf_bytes (doc);
      g_assert (g_bytes_equal (same, input));
      return 0;
    }
  source = ob_ovf_document_get_balloon_source (doc);

  /* A hosted-engine file whose libvirt XML cannot follow: every edit is
   * refused before any byte changes. */
  if (ob_ovf_document_get_engine_xml_state (doc) == OB_OVF_ENGINE_XML_UNUSABLE)
    {
      g_assert (!ob_ovf_document_set_balloon_enabled (doc, !state, TRUE, &error));
      g_assert (error != NULL && error->code == OB_ERROR_BAD_INPUT);
      same = ob_ovf_document_get_ovf_bytes (doc);
      g_assert (g_bytes_equal (same, input));
      return 0;
    }

  /* A hosted-engine file: its <EngineXml> memballoon follows every edit,
   * so the byte properties below do not hold; that one does (an absent
   * memballoon is libvirt's virtio). */
  if (ob_ovf_document_get_engine_xml_state (doc) != OB_OVF_ENGINE_XML_NONE)
    {
      for (int i = 0; i < 2; i++)
        {
          gboolean want = i == 0 ? !state : state;
          g_autoptr(GBytes) out = NULL;
          g_autoptr(ObOvfDocument) again = NULL;
          const char *model;
          gboolean on;

          g_assert (ob_ovf_document_set_balloon_enabled (doc, want, TRUE, &error));
          out = ob_ovf_document_get_ovf_bytes (doc);
          again = ob_ovf_document_new_from_bytes (out, "fuzz-output.ovf", &error);
          g_assert (again != NULL);
          model = ob_ovf_document_get_engine_xml_balloon (again);
          on = ob_ovf_document_get_engine_xml_state (again) == OB_OVF_ENGINE_XML_ABSENT ||
               (model != NULL && strcmp (model, "none") != 0);
          g_assert (on == want);
        }
      return 0;
    }

  /* No-op edit: no byte changes (a flag-era file without its device Item
   * gets the Item on any edit, as engines >= 4.4.6 always write it). */
  if (!(source == OB_OVF_BALLOON_SOURCE_ELEMENT && !ob_ovf_document_get_device_present (doc)))
    {
      g_assert (ob_ovf_document_set_balloon_enabled (doc, state, TRUE, &error));
      same = ob_ovf_document_get_ovf_bytes (doc);
      g_assert (g_bytes_equal (same, input));
      g_assert (!ob_ovf_document_get_modified (doc));
    }

  flipped = edited (input, !state);
  back = edited (flipped, state);

  if (source != OB_OVF_BALLOON_SOURCE_ELEMENT)
    {
      /* Device era: one block in, one block out. */
      gboolean plain = assert_one_device_block (input, flipped);
      plain = assert_one_device_block (flipped, back) && plain;
      if (!plain)
        return 0;
      /* Removing the Item just added restores the file exactly. (Not the
       * other way round: a re-added Item is the engine's full form, not
       * whatever the file had.) */
      if (!state)
        g_assert (g_bytes_equal (back, input));
    }
  else
    {
      /* Flag era: the first and the last changed byte sit in balloon
       * markup (the element's value, or the device Item). */
      gsize p, mid_in, mid_out, lo, hi;
      gsize len;
      const guint8 *out = g_bytes_get_data (flipped, &len);

      diff_window (input, flipped, &p, &mid_in, &mid_out);
      if (mid_out > 0)
        {
          lo = p > 256 ? p - 256 : 0;
          hi = MIN (len, p + mid_out + 256);
          g_assert (contains (out + lo, hi - lo, "balloon"));
        }
    }
  return 0;
}
