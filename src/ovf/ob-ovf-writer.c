/* ob-ovf-writer.c: surgical edits of an OVF.
 *
 * Each edit replaces one range of the original bytes, at the offsets the
 * reader recorded, and leaves every other byte as it was. The document
 * re-reads the result (without a libxml2 pass: the inserted text is ours).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ob-ovf-private.h"

GBytes *
ob_ovf_splice (GBytes     *bytes,
               gsize       from,
               gsize       to,
               const char *insert)
{
  gsize len = 0;
  const char *buf = g_bytes_get_data (bytes, &len);
  gsize ins = strlen (insert);
  char *out;

  g_return_val_if_fail (from <= to && to <= len, NULL);

  out = g_malloc (len - (to - from) + ins + 1);
  memcpy (out, buf, from);
  memcpy (out + from, insert, ins);
  memcpy (out + from + ins, buf + to, len - to);
  return g_bytes_new_take (out, len - (to - from) + ins);
}

static void
append_empty (GString    *s,
              const char *lead,
              const char *qname,
              const char *style)
{
  if (style != NULL)
    g_string_append_printf (s, "%s<%s%s", lead, qname, style);
  else
    g_string_append_printf (s, "%s<%s></%s>", lead, qname, qname);
}

/* The balloon Item as the engine's OvfWriter writes it. */
static char *
build_item (const ObOvfAnalysis *a)
{
  GString *s = g_string_new (a->item_lead);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *rasd = g_strdup (a->rasd_prefix ? a->rasd_prefix : "rasd");
  g_autofree char *address = g_strconcat (rasd, ":Address", NULL);
  g_autofree char *nested = g_strconcat (a->child_lead, a->unit, NULL);
  const char *cl = a->child_lead;
  /* oVirt's own children, in the namespace their siblings use. */
  const char *p = a->device_prefix ? a->device_prefix : "";
  const char *c = p[0] ? ":" : "";
  g_autofree char *alias = g_strconcat (p, c, "Alias", NULL);

  g_string_append_printf (s, "<%s", a->item_qname);
  if (a->rasd_prefix == NULL)
    g_string_append_printf (s, " xmlns:rasd=\"%s\"", RASD_URI);
  g_string_append_c (s, '>');
  g_string_append_printf (s, "%s<%s:ResourceType>0</%s:ResourceType>", cl, rasd, rasd);
  g_string_append_printf (s, "%s<%s:%s>%s</%s:%s>", cl, rasd, a->instance_id, uuid, rasd, a->instance_id);
  g_string_append_printf (s, "%s<%s%sType>balloon</%s%sType>", cl, p, c, p, c);
  g_string_append_printf (s, "%s<%s%sDevice>memballoon</%s%sDevice>", cl, p, c, p, c);
  append_empty (s, cl, address, a->empty_style);
  g_string_append_printf (s, "%s<%s%sBootOrder>0</%s%sBootOrder>", cl, p, c, p, c);
  g_string_append_printf (s, "%s<%s%sIsPlugged>true</%s%sIsPlugged>", cl, p, c, p, c);
  g_string_append_printf (s, "%s<%s%sIsReadOnly>true</%s%sIsReadOnly>", cl, p, c, p, c);
  append_empty (s, cl, alias, a->empty_style);
  g_string_append_printf (s, "%s<%s%sSpecParams>%s<%s%smodel>virtio</%s%smodel>%s</%s%sSpecParams>",
                          cl, p, c, nested, p, c, p, c, cl, p, c);
  g_string_append_printf (s, "%s</%s>", cl[0] ? a->item_lead : "", a->item_qname);

  return g_string_free (s, FALSE);
}

GBytes *
ob_ovf_edit_add_item (GBytes              *bytes,
                      const ObOvfAnalysis *a)
{
  g_autofree char *item = build_item (a);

  if (a->hw_empty)
    {
      /* <Section .../> becomes <Section ...>ITEM</Section>. */
      g_autofree char *text = g_strdup_printf (">%s</%s>", item, a->hw_qname);

      return ob_ovf_splice (bytes, a->hw_slash, a->hw_end, text);
    }
  return ob_ovf_splice (bytes, a->insert_at, a->insert_at, item);
}

GBytes *
ob_ovf_edit_remove_item (GBytes              *bytes,
                         const ObOvfAnalysis *a)
{
  const char *buf = g_bytes_get_data (bytes, NULL);

  /* The Item's own line goes with it. */
  return ob_ovf_splice (bytes, ob_ovf_lead_start (buf, a->item.start), a->item.end, "");
}

GBytes *
ob_ovf_edit_set_element (GBytes              *bytes,
                         const ObOvfAnalysis *a,
                         gboolean             enabled)
{
  const char *value = enabled ? "true" : "false";

  if (a->element.etag_start == a->element.stag_end && a->element.end == a->element.stag_end)
    {
      /* <BalloonEnabled/>: becomes a start and an end tag. */
      g_autofree char *text = g_strdup_printf ("<%s>%s</%s>", a->element_qname, value, a->element_qname);

      return ob_ovf_splice (bytes, a->element.start, a->element.end, text);
    }

  return ob_ovf_splice (bytes, a->element.stag_end, a->element.etag_start, value);
}
