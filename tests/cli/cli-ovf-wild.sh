#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# TAP test of `ovirt-balloon-cli ovf` on every real OVF of tests/data/wild/
# (see its PROVENANCE.md), as expected.txt says: oVirt files are shown,
# turned on and off (idempotent, well-formed for xmllint, only balloon bytes
# changed, also inside an OVA whose manifest must stay valid; a hosted-engine
# file also without its EngineXml memballoon); foreign,
# multi-VM, OVF 2.0 and non-OVF files are refused with exit 5 and the right
# reason. No original is ever modified.
set -u

cli="${OB_BUILD_DIR:?}/src/ovirt-balloon-cli"
wild="${OB_SOURCE_DIR:?}/tests/data/wild"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; }
run () { "$cli" "$@" > "$tmp/out" 2> "$tmp/err"; rc=$?; }
sum () { sha256sum "$1" | cut -d' ' -f1; }

# only_balloon_changed A B: the bytes that differ between A and B lie in a
# balloon Item (the changed span holds "memballoon") or are the text of
# BalloonEnabled.
only_balloon_changed () {
  python3 - "$1" "$2" <<'PY'
import sys
import re
a = open(sys.argv[1], 'rb').read(); b = open(sys.argv[2], 'rb').read()
# The hosted engine's <EngineXml> memballoon follows the balloon; checked apart.
model = re.compile(rb'(&lt;memballoon model=(?:"|&quot;|\'))(virtio|none)')
a = model.sub(rb'\1X', a); b = model.sub(rb'\1X', b)
i = 0
while i < min(len(a), len(b)) and a[i] == b[i]:
    i += 1
j = 0
while j < min(len(a), len(b)) - i and a[len(a) - 1 - j] == b[len(b) - 1 - j]:
    j += 1
da, db = a[i:len(a) - j], b[i:len(b) - j]
short, long_ = (da, db) if len(da) <= len(db) else (db, da)
flags = {b"true", b"false", b"rue", b"alse", b"tru", b"fals", b"t", b"f", b""}
# A whole balloon Item added or removed (with its line break and
# indentation), and nothing else; or the text of BalloonEnabled.
item = (short.strip() == b"" and b"memballoon" in long_ and long_.count(b"Item>") == 2 and
        long_.count(b"<Type>") + long_.count(b":Type>") <= 2)
flag = da.strip() in flags and db.strip() in flags and b"BalloonEnabled>" in a[max(0, i - 40):i + 1]
ok = item or flag or a == b
sys.exit(0 if ok else 1)
PY
}

xml_ok () { xmllint --noout --nonet "$1" 2>/dev/null; }

check_edit () {
  local f=$1 name s0 on on2 off
  name=$(basename "$f")
  s0=$(sum "$f")
  on="$tmp/$name.on"; on2="$tmp/$name.on2"; off="$tmp/$name.off"
  run ovf show --json "$f"
  local shown=$rc
  "$cli" ovf set-balloon "$f" on --force --output "$on" > /dev/null 2>&1
  local r_on=$?
  "$cli" ovf set-balloon "$on" on --force --output "$on2" > /dev/null 2>&1
  local r_on2=$?
  "$cli" ovf set-balloon "$on" off --output "$off" > /dev/null 2>&1
  local r_off=$?
  if [ $shown -eq 0 ] && [ $r_on -eq 0 ] && [ $r_on2 -eq 0 ] && [ $r_off -eq 0 ] &&
     [ "$("$cli" ovf show --json "$on" | grep -o '"balloon_enabled":[a-z]*')" = '"balloon_enabled":true' ] &&
     [ "$("$cli" ovf show --json "$off" | grep -o '"balloon_enabled":[a-z]*')" = '"balloon_enabled":false' ] &&
     cmp -s "$on" "$on2"; then
    ok "$name: show, on, off, on twice gives the same bytes"
  else
    not_ok "$name: show $shown, on $r_on, on again $r_on2, off $r_off"
  fi
  if xml_ok "$on" && xml_ok "$off"; then ok "$name: xmllint accepts both results"; else not_ok "$name: xmllint"; fi
  if { cmp -s "$f" "$on" || only_balloon_changed "$f" "$on"; } && only_balloon_changed "$on" "$off"; then
    ok "$name: only balloon bytes changed"
  else
    not_ok "$name: bytes other than the balloon's changed"
  fi
  if grep -q '&lt;memballoon' "$f"; then
    if grep -q '&lt;memballoon model="virtio"' "$on" && grep -q '&lt;memballoon model="none"' "$off" &&
       [ "$("$cli" ovf show --json "$on" | grep -o '"engine_xml_balloon":"[a-z]*"')" = '"engine_xml_balloon":"virtio"' ]; then
      ok "$name: the EngineXml memballoon follows (virtio on, none off)"
    else
      not_ok "$name: EngineXml memballoon not in step"
    fi
  fi
  if grep -q '&lt;memballoon' "$f"; then
    check_engine_xml_absent "$f"
  fi
  [ "$(sum "$f")" = "$s0" ] && ok "$name: original untouched" || not_ok "$name: original modified"

  # The same file as the OVF member of an OVA with a SHA256 manifest.
  local d="$tmp/ova-$name"
  mkdir -p "$d/in" "$d/out"
  cp "$f" "$d/in/vm.ovf"
  head -c 4096 /dev/zero > "$d/in/disk.img"
  printf 'SHA256(vm.ovf)= %s\nSHA256(disk.img)= %s\n' "$(sum "$d/in/vm.ovf")" "$(sum "$d/in/disk.img")" > "$d/in/vm.mf"
  tar -cf "$d/vm.ova" -C "$d/in" vm.ovf disk.img vm.mf
  s0=$(sum "$d/vm.ova")
  "$cli" ovf set-balloon "$d/vm.ova" on --force --output "$d/on.ova" > /dev/null 2>&1
  local r=$?
  tar -xf "$d/on.ova" -C "$d/out" 2>/dev/null
  if [ $r -eq 0 ] && (cd "$d/out" && sed -E 's/SHA256\((.*)\)= (.*)/\2  \1/' vm.mf | sha256sum -c --quiet - >/dev/null 2>&1) &&
     [ "$(sum "$d/vm.ova")" = "$s0" ]; then
    ok "$name: in an OVA, the manifest digests match the edited members"
  else
    not_ok "$name: OVA with a manifest (exit $r)"
  fi
}

# The same hosted-engine file without the <memballoon> of its EngineXml
# (libvirt's default, virtio): off inserts exactly one memballoon "none"
# inside <devices> and changes nothing else; off again changes nothing.
check_engine_xml_absent () {
  local f=$1 name cut off off2
  name=$(basename "$f")
  cut="$tmp/$name.cut"; off="$tmp/$name.cut.off"; off2="$tmp/$name.cut.off2"
  python3 - "$f" "$cut" <<'PY'
import re, sys
a = open(sys.argv[1], 'rb').read()
m = re.compile(rb'&lt;memballoon\b.*?(?:/&gt;|&lt;/memballoon&gt;)', re.S)
assert len(m.findall(a)) == 1
open(sys.argv[2], 'wb').write(m.sub(b'', a))
PY
  run ovf show --json "$cut"
  local shown=$rc json
  json=$(cat "$tmp/out")
  "$cli" ovf set-balloon "$cut" off --output "$off" > /dev/null 2>&1
  local r_off=$?
  "$cli" ovf set-balloon "$off" off --output "$off2" > /dev/null 2>&1
  if [ $shown -eq 0 ] && [ $r_off -eq 0 ] && cmp -s "$off" "$off2" && xml_ok "$off" &&
     echo "$json" | grep -q '"engine_xml_balloon":"absent","engine_xml_balloon_effective":"virtio"' &&
     [ "$("$cli" ovf show --json "$off" | grep -o '"engine_xml_balloon":"[a-z]*"')" = '"engine_xml_balloon":"none"' ] &&
     python3 - "$cut" "$off" <<'PY'
import re, sys
a = open(sys.argv[1], 'rb').read(); b = open(sys.argv[2], 'rb').read()
m = re.compile(rb'&lt;memballoon model=(?:"|&quot;|\')none(?:"|&quot;|\')(?:/&gt;|&gt;&lt;/memballoon&gt;)')
found = m.findall(b)
at = b.find(found[0]) if len(found) == 1 else -1
devices = b.rfind(b'&lt;devices', 0, at) if at >= 0 else -1
sys.exit(0 if at >= 0 and devices >= 0 and b'&lt;/devices&gt;' not in b[devices:at] and
         b.replace(found[0], b'', 1) == a else 1)
PY
  then
    ok "$name without its EngineXml memballoon: shown absent (virtio); off inserts one \"none\" in <devices>, nothing else"
  else
    not_ok "$name without its EngineXml memballoon (show $shown, off $r_off)"
  fi
}

check_refused () {
  local f=$1 outcome=$2 name s0 want
  name=$(basename "$f")
  s0=$(sum "$f")
  case $outcome in
    foreign) want='not an oVirt OVF' ;;
    vapp) want='a VirtualSystemCollection of [0-9]+ VMs: only single-VM OVFs are supported' ;;
    ovf2) want='OVF 2.0' ;;
    not-ovf) want='is not an OVF' ;;
    not-xml) want='\.ovf”: line [0-9]+: ' ;;
  esac
  run ovf show --json "$f"
  if [ "$outcome" = foreign ]; then
    [ $rc -eq 0 ] && grep -q '"flavour":"foreign"' "$tmp/out" && grep -q '"balloon_enabled":null' "$tmp/out" &&
      ok "$name: shown as foreign, balloon left to the importer" ||
      not_ok "$name: show (exit $rc)"
  else
    [ $rc -eq 5 ] && grep -qE "$want" "$tmp/err" && ok "$name: show refused ($outcome)" ||
      not_ok "$name: show (exit $rc, $(cat "$tmp/err"))"
  fi
  # A foreign OVA still reports its manifest as the archive holds it.
  case $name in
    *.ova)
      if [ "$outcome" = foreign ]; then
        local members want_mf
        members=$(tar -tf "$f")
        if echo "$members" | grep -q '\.cert$'; then want_mf=signed
        elif echo "$members" | grep -q '\.mf$'; then want_mf=updated-on-save
        else want_mf=none; fi
        grep -q "\"manifest\":\"$want_mf\"" "$tmp/out" && ok "$name: manifest shown as $want_mf" ||
          not_ok "$name: manifest not shown as $want_mf ($(cat "$tmp/out"))"
      fi ;;
  esac
  run ovf set-balloon "$f" on --force --output "$tmp/never.ovf"
  if [ $rc -eq 5 ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -qE "$want" "$tmp/err" &&
     [ ! -e "$tmp/never.ovf" ] && [ "$(sum "$f")" = "$s0" ]; then
    ok "$name: set-balloon refused with exit 5 ($outcome), nothing written"
  else
    not_ok "$name: set-balloon (exit $rc, $(cat "$tmp/err"))"
  fi
}

files=0
sources=""
while read -r name outcome; do
  case $name in ''|'#'*) continue ;; esac
  files=$((files + 1))
  sources="$sources ${name%%_*}"
  if [ "$outcome" = edit ]; then
    check_edit "$wild/$name"
  else
    check_refused "$wild/$name" "$outcome"
  fi
done < "$wild/expected.txt"

listed=$(find "$wild" -maxdepth 1 -type f ! -name expected.txt ! -name PROVENANCE.md | wc -l)
[ "$listed" -eq "$files" ] && ok "expected.txt lists all $files files" || not_ok "expected.txt lists $files of $listed files"
echo "# $files files from $(echo $sources | tr ' ' '\n' | sort -u | wc -l) sources"
echo "1..$n"
