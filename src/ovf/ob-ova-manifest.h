/* ob-ova-manifest.h: the manifest (".mf") of an OVA: one line per member,
 * "SHA256(vm.ovf)= 0123..." (DMTF DSP0243 5.1; SHA1, SHA256 or SHA512).
 * virt-v2v, ovftool and vSphere check every digest, so an edited member
 * gets its line rewritten.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @manifest with the digest of every line naming @member (its path in the
 * archive, or its base name) replaced by the digest of @content, in the
 * same algorithm and letter case; every other byte is kept. *@n_updated
 * says how many lines named it. OB_ERROR_BAD_INPUT when such a line uses
 * an algorithm other than SHA1, SHA256 or SHA512. */
GBytes   *ob_ova_manifest_update (GBytes      *manifest,
                                  const char  *member,
                                  GBytes      *content,
                                  guint       *n_updated,
                                  GError     **error);

/* TRUE when every line of @manifest naming @member holds the digest of
 * @content, and at least one does. */
gboolean  ob_ova_manifest_check  (GBytes      *manifest,
                                  const char  *member,
                                  GBytes      *content);

G_END_DECLS
