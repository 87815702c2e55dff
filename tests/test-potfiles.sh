#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# po/POTFILES.in must list every source with translatable strings, and only
# files that exist. A file missing from it silently stays English.
# Speaks TAP: one case per source file that has translatable strings.
set -u

src=${OB_SOURCE_DIR:?OB_SOURCE_DIR is not set}
potfiles="$src/po/POTFILES.in"
cd "$src" || exit 1

# gettext markers: _("..."), N_(), C_(), NC_(), ngettext()/g_dngettext();
# GtkBuilder's translatable="yes"; and the .in files xgettext reads whole.
marker='(^|[^[:alnum:]_])(_|N_|C_|NC_|Q_|ngettext|g_dngettext|g_dpgettext2?)[[:space:]]*\(|translatable="yes"'

mapfile -t candidates < <(
  {
    grep -rlE --include='*.c' --include='*.h' --include='*.ui' "$marker" src ui 2>/dev/null
    find data -maxdepth 1 \( -name '*.desktop.in' -o -name '*.metainfo.xml.in' -o -name '*.gschema.xml' \) 2>/dev/null
  } | sort -u
)

mapfile -t listed < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$potfiles" | grep -v '^$')

. "${OB_SOURCE_DIR:?}/tests/support/tap.sh"
# The sources with strings, plus one case per POTFILES.in entry.
tap_plan $(( ${#candidates[@]} + ${#listed[@]} + 1 ))

if [ ${#candidates[@]} -gt 0 ]; then
  ok "found ${#candidates[@]} sources with translatable strings"
else
  not_ok "found no source with translatable strings (marker search broken?)"
fi

for f in "${candidates[@]}"; do
  if printf '%s\n' "${listed[@]}" | grep -qxF "$f"; then
    ok "$f is in po/POTFILES.in"
  else
    not_ok "$f has translatable strings but is missing from po/POTFILES.in"
  fi
done

for f in "${listed[@]}"; do
  if [ -f "$f" ]; then
    ok "POTFILES.in entry $f exists"
  else
    not_ok "POTFILES.in lists $f, which does not exist (update-po would fail)"
  fi
done

tap_done
