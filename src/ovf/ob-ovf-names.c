/* ob-ovf-names.c: the stable names of the OVF enums for scripts (the
 * CLI's JSON). Their GTypes come from mkenums (ob-ovf-enums.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ob-ovf-document.h"

const char *
ob_ovf_balloon_source_to_string (ObOvfBalloonSource source)
{
  switch (source)
    {
    case OB_OVF_BALLOON_SOURCE_ELEMENT:
      return "BalloonEnabled";
    case OB_OVF_BALLOON_SOURCE_DEVICE:
      return "device";
    case OB_OVF_BALLOON_SOURCE_ABSENT:
    default:
      return "absent";
    }
}

const char *
ob_ovf_manifest_state_to_string (ObOvfManifestState state)
{
  switch (state)
    {
    case OB_OVF_MANIFEST_UPDATED_ON_SAVE:
      return "updated-on-save";
    case OB_OVF_MANIFEST_SIGNED:
      return "signed";
    case OB_OVF_MANIFEST_NONE:
    default:
      return "none";
    }
}

const char *
ob_ovf_flavour_to_string (ObOvfFlavour flavour)
{
  switch (flavour)
    {
    case OB_OVF_FLAVOUR_ENGINE:
      return "engine";
    case OB_OVF_FLAVOUR_OVA:
      return "ova";
    case OB_OVF_FLAVOUR_FOREIGN:
    default:
      return "foreign";
    }
}

const char *
ob_ovf_format_to_string (ObOvfFormat format)
{
  return format == OB_OVF_FORMAT_OVA ? "ova" : "ovf";
}
