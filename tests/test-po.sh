#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every language in po/LINGUAS is complete and correct for the sources as
# they are now: the catalog compiles with msgfmt --check (printf formats
# match), nothing is fuzzy, and every msgid that xgettext extracts from
# POTFILES.in today is translated. Speaks TAP.
set -u

src=${OB_SOURCE_DIR:?OB_SOURCE_DIR is not set}
cd "$src" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mapfile -t langs < <(sed -e 's/#.*//' po/LINGUAS | tr -s ' \t' '\n' | sed '/^$/d')

# The same extraction as meson's i18n.gettext(preset: 'glib').
xgettext --package-name=ovirt-balloon --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format \
  --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format \
  --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
  --files-from=po/POTFILES.in --output="$tmp/current.pot" 2>"$tmp/xgettext.err"
xgettext_status=$?

. "${OB_SOURCE_DIR:?}/tests/support/tap.sh"
TAP_DIAG=$tmp/out
tap_plan $(( 2 + 4 * ${#langs[@]} ))

cp "$tmp/xgettext.err" "$tmp/out"
result $xgettext_status "xgettext extracts the strings of POTFILES.in"
: > "$tmp/out"

for want in de fr; do
  printf '%s\n' "${langs[@]}" | grep -qx "$want" || { echo "$want is missing from po/LINGUAS" >> "$tmp/out"; }
done
[ -s "$tmp/out" ]; result $((1 - $?)) "po/LINGUAS lists de and fr"

for lang in "${langs[@]}"; do
  po="po/$lang.po"
  msgfmt --check --output-file=/dev/null "$po" >"$tmp/out" 2>&1
  result $? "$lang: msgfmt --check accepts $po (headers, printf formats)"

  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" 2>/dev/null | grep -c '^msgid ' )
  [ "$fuzzy" -eq 0 ]; s=$?
  [ $s -ne 0 ] && msgattrib --only-fuzzy --no-obsolete "$po" > "$tmp/out" 2>&1
  result $s "$lang: no fuzzy translations"

  untranslated=$(msgattrib --untranslated --no-obsolete "$po" 2>/dev/null | grep -c '^msgid ')
  # msgattrib keeps the header entry (msgid ""): one msgid is expected.
  [ "$untranslated" -le 1 ]; s=$?
  [ $s -ne 0 ] && msgattrib --untranslated --no-obsolete "$po" > "$tmp/out" 2>&1
  result $s "$lang: every msgid in $po is translated"

  # msgcmp counts untranslated and fuzzy entries as missing.
  msgcmp "$po" "$tmp/current.pot" >"$tmp/out" 2>&1
  result $? "$lang: every string in today's sources has a translation (run ovirt-balloon-update-po)"
done

tap_done
