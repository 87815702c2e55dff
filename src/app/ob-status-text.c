/* ob-status-text.c: translated display text for VM states
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-status-text.h"

const char *
ob_status_text_balloon (ObBalloonState state)
{
  switch (state)
    {
    case OB_BALLOON_STATE_ON:
      return _("On");
    case OB_BALLOON_STATE_OFF:
      return _("Off");
    case OB_BALLOON_STATE_UNKNOWN:
    default:
      /* List responses of engines before 4.4.6 omit the flag. */
      return _("Unknown");
    }
}

gboolean
ob_status_text_balloon_refused (ObBalloonState   state,
                                ObBalloonVerdict verdict)
{
  return state != OB_BALLOON_STATE_ON &&
         (verdict == OB_BALLOON_LEVEL_TOO_LOW || verdict == OB_BALLOON_ARCH_UNSUPPORTED);
}

char *
ob_status_text_balloon_cell (ObBalloonState   state,
                             ObBalloonVerdict verdict,
                             const char      *level)
{
  if (!ob_status_text_balloon_refused (state, verdict))
    return g_strdup (ob_status_text_balloon (state));
  if (verdict == OB_BALLOON_LEVEL_TOO_LOW && level != NULL)
    /* Translators: the balloon column of a VM whose level forbids it;
     * %s is the level, such as 3.0 */
    return g_strdup_printf (_("Off — not supported (level %s)"), level);
  if (verdict == OB_BALLOON_ARCH_UNSUPPORTED)
    return g_strdup (_("Off — not supported on this CPU"));
  return g_strdup (_("Off — not supported"));
}

char *
ob_status_text_balloon_next_run (ObBalloonState state,
                                 ObBalloonState next)
{
  if (state == OB_BALLOON_STATE_UNKNOWN || next == OB_BALLOON_STATE_UNKNOWN || next == state)
    return NULL;
  return g_strdup (state == OB_BALLOON_STATE_ON
                   /* Translators: the balloon column of a running VM whose
                    * change waits for its next run */
                   ? _("On → Off at next run")
                   : _("Off → On at next run"));
}

char *
ob_status_text_balloon_this_run (ObBalloonState run)
{
  if (run == OB_BALLOON_STATE_UNKNOWN)
    return NULL;
  return g_strdup (run == OB_BALLOON_STATE_ON
                   /* Translators: the balloon column of a VM running from
                    * a Run Once that set the balloon for this run only */
                   ? _("On (this run)")
                   : _("Off (this run)"));
}

const char *
ob_status_text_balloon_icon (ObBalloonState   state,
                             ObBalloonVerdict verdict)
{
  if (ob_status_text_balloon_refused (state, verdict))
    return "action-unavailable-symbolic";
  switch (state)
    {
    case OB_BALLOON_STATE_ON:
      return "emblem-ok-symbolic";
    case OB_BALLOON_STATE_OFF:
      return "list-remove-symbolic";
    case OB_BALLOON_STATE_UNKNOWN:
    default:
      return "dialog-question-symbolic";
    }
}

const char *
ob_status_text_vm_status (const char *status)
{
  static const struct {
    const char *status;
    const char *text;
  } names[] = {
    { "up", N_("Up") },
    { "down", N_("Down") },
    { "paused", N_("Paused") },
    { "suspended", N_("Suspended") },
    { "powering_up", N_("Powering up") },
    { "powering_down", N_("Powering down") },
    { "reboot_in_progress", N_("Rebooting") },
    { "migrating", N_("Migrating") },
    { "wait_for_launch", N_("Waiting for launch") },
    { "saving_state", N_("Saving state") },
    { "restoring_state", N_("Restoring state") },
    { "not_responding", N_("Not responding") },
    { "image_locked", N_("Image locked") },
    { "unknown", N_("Unknown") },
  };

  if (status == NULL || *status == '\0')
    return "—";
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i].status, status))
      return _(names[i].text);
  return status;
}

char *
ob_status_text_memory (guint64 bytes)
{
  g_autofree char *number = NULL;

  if (bytes == 0)
    return g_strdup ("—");
  /* The number is formatted outside the message: xgettext cannot see
   * through G_GUINT64_FORMAT inside a translatable string. */
  number = g_strdup_printf ("%" G_GUINT64_FORMAT, bytes / (1024 * 1024));
  /* Translators: memory size in mebibytes; %s is the number. */
  return g_strdup_printf (_("%s MiB"), number);
}
