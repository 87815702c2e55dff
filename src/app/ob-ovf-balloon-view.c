/* ob-ovf-balloon-view.c: what the OVF editor shows about the balloon
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-balloon-policy.h"
#include "ob-ovf-balloon-view.h"

static const char *
describe_source (ObOvfBalloonSource source,
                 ObBalloonVerdict   verdict)
{
  switch (source)
    {
    case OB_OVF_BALLOON_SOURCE_ELEMENT:
      return _("decided by the <BalloonEnabled> element (oVirt 4.4.6 and later)");
    case OB_OVF_BALLOON_SOURCE_DEVICE:
      return _("decided by the memballoon device item (oVirt before 4.4.6)");
    case OB_OVF_BALLOON_SOURCE_ABSENT:
    default:
      /* A level that allows the balloon: its absence just means off. */
      if (verdict == OB_BALLOON_ALLOWED)
        return _("the file has no balloon device");
      if (verdict == OB_BALLOON_LEVEL_UNKNOWN)
        return _("no <BalloonEnabled> element and no balloon device");
      return _("no balloon device (the file’s level predates the balloon)");
    }
}

static char *
describe_level (ObOvfDocument *document)
{
  const char *raw_level = ob_ovf_document_get_compat_level_text (document);

  if (raw_level == NULL)
    return g_strdup (_("unknown (the file states none)"));
  if (ob_ovf_document_get_compat_level (document) == NULL)
    /* Translators: %s is the text found in the file */
    return g_strdup_printf (_("unknown (“%s” is not a level)"), raw_level);
  if (ob_ovf_document_get_compat_level_from_cluster (document))
    /* Translators: %s is a level such as 4.2 */
    return g_strdup_printf (_("%s (from ClusterCompatibilityVersion)"), raw_level);
  /* Translators: %s is a level such as 3.3.0.0 */
  return g_strdup_printf (_("%s (from the envelope’s ovf:version)"), raw_level);
}

gboolean
ob_ovf_balloon_view_restores (gboolean enabled,
                              gboolean saved_enabled)
{
  return enabled && saved_enabled;
}

void
ob_ovf_balloon_view_init (ObOvfBalloonView   *view,
                          ObOvfDocument      *document,
                          gboolean            saved_enabled,
                          ObOvfBalloonSource  saved_source,
                          gboolean            force)
{
  /* An OVF does not carry the cluster's CPU architecture. */
  const ObCompatVersion *level = ob_ovf_document_get_compat_level (document);
  ObBalloonVerdict verdict = ob_balloon_policy_verdict (ob_level_from_version (level), NULL);

  memset (view, 0, sizeof *view);
  view->enabled = ob_ovf_document_get_balloon_enabled (document);
  view->level = describe_level (document);
  /* The row describes the file on disk; an unsaved edit is named as such. */
  if (view->enabled != saved_enabled)
    /* Translators: "Enabled in the file — decided by ...; Disabled when saved" */
    view->state = g_strdup_printf (_("%s in the file — %s; %s when saved"),
                                   saved_enabled ? _("Enabled") : _("Disabled"),
                                   describe_source (saved_source, verdict),
                                   view->enabled ? _("enabled") : _("disabled"));
  else
    /* Translators: "Enabled — decided by ..." */
    view->state = g_strdup_printf (_("%s — %s"),
                                   saved_enabled ? _("Enabled") : _("Disabled"),
                                   describe_source (saved_source, verdict));

  /* The core refuses to edit a foreign OVF whatever its level. */
  if (ob_ovf_document_get_flavour (document) == OB_OVF_FLAVOUR_FOREIGN)
    {
      view->reason = g_strdup (_("This OVF was not written by oVirt, so its balloon is not edited here: "
                                 "oVirt sets the balloon of an imported VM itself. Import the VM, then "
                                 "set its balloon in the VM list."));
      view->reason_style = "warning";
      view->force_cleared = TRUE;
      return;
    }
  /* Nor a hosted-engine file whose libvirt XML cannot follow the balloon. */
  if (ob_ovf_document_get_engine_xml_state (document) == OB_OVF_ENGINE_XML_UNUSABLE)
    {
      /* Translators: %s says why, such as "its libvirt <domain> has no <devices>, ..." */
      view->reason = g_strdup_printf (_("The hosted engine’s libvirt XML in this file cannot follow the balloon "
                                        "(%s), so the balloon is not edited here."),
                                      ob_ovf_document_get_engine_xml_problem (document));
      view->reason_style = "error";
      view->force_cleared = TRUE;
      return;
    }

  switch (verdict)
    {
    case OB_BALLOON_ALLOWED:
      view->force_cleared = TRUE;
      view->check_sensitive = TRUE;
      break;

    case OB_BALLOON_LEVEL_UNKNOWN:
      {
        ObCompatVersion min_level = OB_BALLOON_MIN_LEVEL;
        g_autofree char *min_text = ob_compat_version_to_string (&min_level);

        /* Translators: %s is the lowest level that allows the balloon, such as 3.1 */
        view->reason = g_strdup_printf (_("The file does not state a compatibility level. The balloon needs "
                                          "level %s or later; check the target cluster before enabling it."),
                                        min_text);
      }
      view->reason_style = "warning";
      view->force_cleared = TRUE;
      view->check_sensitive = TRUE;
      break;

    case OB_BALLOON_LEVEL_TOO_LOW:
    case OB_BALLOON_ARCH_UNSUPPORTED:
    default:
      view->reason = ob_balloon_policy_describe (verdict, ob_level_from_version (level), NULL);
      view->reason_style = "error";
      /* Disabling is always allowed, and so is undoing it (back to the
       * file's state); only enabling needs the explicit force, whose
       * option stays shown while it is in effect. */
      view->force_visible = (!view->enabled && !saved_enabled) || force;
      view->check_sensitive = view->enabled || force || saved_enabled;
      break;
    }
}

void
ob_ovf_balloon_view_clear (ObOvfBalloonView *view)
{
  g_clear_pointer (&view->reason, g_free);
  g_clear_pointer (&view->state, g_free);
  g_clear_pointer (&view->level, g_free);
}
