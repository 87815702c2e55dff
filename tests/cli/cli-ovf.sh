#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# TAP test of `ovirt-balloon-cli ovf ...`: the real binary on the upstream
# fixtures and on bad input made here. Every bad input must give exit 5 (or
# the documented code), one "error:" line naming the file, and leave the
# file byte-identical. Generated files live in a temp dir only.
set -u

cli="${OB_BUILD_DIR:?}/src/ovirt-balloon-cli"
data="${OB_SOURCE_DIR:?}/tests/data"
up="$data/upstream"

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

. "${OB_SOURCE_DIR:?}/tests/support/tap.sh"

# run ARGS...: runs the CLI, keeps stdout, stderr and the exit status.
run () {
  "$cli" "$@" > "$tmp/out" 2> "$tmp/err"
  rc=$?
}

# The error contract: one line, "error: ", naming the file.
one_error_line () {
  local file=$1
  [ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -q '^error: ' "$tmp/err" && grep -qF "$file" "$tmp/err"
}

sum () { sha256sum "$1" | cut -d' ' -f1; }

# ---- help, version, usage ---------------------------------------------------

run ovf --help
check "ovf --help exits 0 and documents set-balloon" \
  test $rc -eq 0 -a -n "$(grep -e 'set-balloon FILE on|off' "$tmp/out")"
run --version
check "--version exits 0" test $rc -eq 0
run ovf
check "ovf without a command is a usage error (2)" test $rc -eq 2
run ovf frobnicate x.ovf
check "unknown ovf command is a usage error (2)" test $rc -eq 2 -a -n "$(grep '^error: ' "$tmp/err")"
run ovf show
check "ovf show without FILE is a usage error (2)" test $rc -eq 2
run ovf set-balloon "$up/ovirt-engine_vmOvfData.ovf.xml" maybe
check "set-balloon with neither on nor off is a usage error (2)" \
  test $rc -eq 2 -a -n "$(grep 'maybe' "$tmp/err")"
run ovf set-balloon --bogus "$up/ovirt-engine_vmOvfData.ovf.xml" on
check "unknown option is a usage error (2)" test $rc -eq 2

# ---- show agrees with PROVENANCE.md ---------------------------------------

expect_json () {
  local file=$1 expected=$2
  run ovf show "$file" --json
  if [ $rc -eq 0 ] && [ "$(cat "$tmp/out")" = "$expected" ]; then
    ok "show --json $(basename "$file")"
  else
    not_ok "show --json $(basename "$file")"
    diag "$tmp/out" "$tmp/err"
  fi
}
cd "$up" || exit 1
expect_json ovirt-engine_vmOvfData.ovf.xml \
  '{"path":"ovirt-engine_vmOvfData.ovf.xml","format":"ovf","flavour":"engine","name":"exporttedVM","cluster_compatibility_version":"3.3","balloon_enabled":true,"balloon_source":"device","device_present":true,"manifest":"none"}'
expect_json ovirt-engine_vmOvfData2.ovf.xml \
  '{"path":"ovirt-engine_vmOvfData2.ovf.xml","format":"ovf","flavour":"engine","name":"sevenofnine","cluster_compatibility_version":"0.9","balloon_enabled":false,"balloon_source":"absent","device_present":false,"manifest":"none"}'
expect_json hosted-engine-ha_ovf_test_v4.2.ovf.xml \
  '{"path":"hosted-engine-ha_ovf_test_v4.2.ovf.xml","format":"ovf","flavour":"engine","name":"HostedEngine","cluster_compatibility_version":"4.2","balloon_enabled":false,"balloon_source":"absent","device_present":false,"manifest":"none","engine_xml_balloon":"none","engine_xml_balloon_effective":"none"}'
expect_json virt-v2v_test-o-ovirt.ovf.expected \
  '{"path":"virt-v2v_test-o-ovirt.ovf.expected","format":"ovf","flavour":"engine","name":"windows","cluster_compatibility_version":"0.9","balloon_enabled":true,"balloon_source":"device","device_present":true,"manifest":"none"}'
expect_json virt-v2v_test-o-vdsm-options.ovf.expected \
  '{"path":"virt-v2v_test-o-vdsm-options.ovf.expected","format":"ovf","flavour":"ova","name":"windows","cluster_compatibility_version":null,"balloon_enabled":true,"balloon_source":"device","device_present":true,"manifest":"none"}'
expect_json ../flag-era-4.5.ovf \
  '{"path":"../flag-era-4.5.ovf","format":"ovf","flavour":"engine","name":"flagvm","cluster_compatibility_version":"4.7","balloon_enabled":false,"balloon_source":"BalloonEnabled","device_present":true,"manifest":"none"}'
cd "$tmp" || exit 1

run ovf show "$up/ovirt-engine_vmOvfData.ovf.xml"
check "show prints the state for people" \
  test $rc -eq 0 -a -n "$(grep 'Memory balloon: *enabled' "$tmp/out")" -a -n "$(grep 'exporttedVM' "$tmp/out")"

# ---- set-balloon: round trips and the diff -----------------------------------

state () { "$cli" ovf show --json "$1" | sed 's/.*"balloon_enabled":\([a-z]*\).*/\1/'; }

cp "$up/ovirt-engine_vmOvfData.ovf.xml" rt.ovf
trip_ok=true
for want in off on off on; do
  "$cli" ovf set-balloon rt.ovf "$want" > /dev/null 2>&1 || trip_ok=false
  case "$want:$(state rt.ovf)" in on:true|off:false) ;; *) trip_ok=false ;; esac
done
check "on -> off -> on -> off -> on round trip" $trip_ok

# Lines a balloon edit may touch (the Item and its children as the engine
# or virt-v2v writes them, and BalloonEnabled).
balloon_line='^[<>] *(<Item>|</Item>|<rasd:ResourceType>0</rasd:ResourceType>|<rasd:Instance(Id|ID)>[^<]*</rasd:Instance(Id|ID)>|<Type>balloon</Type>|<Device>memballoon</Device>|<rasd:Address ?/>|<rasd:Address>[^<]*</rasd:Address>|<BootOrder>0</BootOrder>|<IsPlugged>true</IsPlugged>|<IsReadOnly>true</IsReadOnly>|<Alias ?/>|<Alias>[^<]*</Alias>|<SpecParams>|</SpecParams>|<model>virtio</model>|<rasd:Caption>Memory Ballooning Device</rasd:Caption>|<BalloonEnabled>(true|false)</BalloonEnabled>)$'

only_balloon_lines () {
  local a=$1 b=$2
  # Changed lines only (diff's own "<"/">" lines), none outside the pattern.
  [ -n "$(diff "$a" "$b" | grep '^[<>]')" ] &&
    [ -z "$(diff "$a" "$b" | grep '^[<>]' | grep -Ev "$balloon_line")" ]
}

for f in ovirt-engine_vmOvfData.ovf.xml ovirt-engine_vmOvfData2.ovf.xml \
         virt-v2v_test-o-ovirt.ovf.expected virt-v2v_test-o-vdsm-options.ovf.expected ../flag-era-4.5.ovf; do
  b=$(basename "$f")
  cp "$up/$f" "in-$b"
  before=$(state "in-$b")
  if [ "$before" = true ]; then to=off; else to=on; fi
  run ovf set-balloon "in-$b" "$to" --force --output "out-$b"
  if [ $rc -eq 0 ] && only_balloon_lines "in-$b" "out-$b" && [ "$(sum "in-$b")" = "$(sum "$up/$f")" ]; then
    ok "diff of $b ($to) touches only balloon lines"
  else
    not_ok "diff of $b ($to) touches only balloon lines"
    diff "in-$b" "out-$b" | diag
  fi
done

# The one-line OVF_STORE file: the output is the input plus exactly one Item,
# and its EngineXml memballoon turned from model "none" to "virtio".
cp "$up/hosted-engine-ha_ovf_test_v4.2.ovf.xml" he.ovf
run ovf set-balloon he.ovf on --output he-on.ovf
check "one-line OVF: enabling inserts exactly one balloon Item and nothing else" \
  python3 -c '
import re, sys
a = open(sys.argv[1]).read(); b = open(sys.argv[2]).read()
item = r"<Item><rasd:ResourceType>0</rasd:ResourceType><rasd:InstanceId>[0-9a-f-]{36}</rasd:InstanceId><Type>balloon</Type><Device>memballoon</Device><rasd:Address></rasd:Address><BootOrder>0</BootOrder><IsPlugged>true</IsPlugged><IsReadOnly>true</IsReadOnly><Alias></Alias><SpecParams><model>virtio</model></SpecParams></Item>"
found = re.findall(item, b)
engine = a.replace("&lt;memballoon model=\"none\"", "&lt;memballoon model=\"virtio\"", 1)
sys.exit(0 if len(found) == 1 and engine != a and b.replace(found[0], "", 1) == engine else 1)
' he.ovf he-on.ovf

run ovf set-balloon he-on.ovf off --output he-off.ovf
check "one-line OVF: on then off gives the original bytes" cmp -s he.ovf he-off.ovf

# The same file with no <memballoon> in its EngineXml: libvirt then adds a
# virtio balloon, so off inserts one with model "none", written like the
# other devices (escaped, <x></x>), and on leaves the XML alone.
python3 -c '
import sys
a = open(sys.argv[1], "rb").read()
m = b"&lt;memballoon model=\"none\"&gt;&lt;/memballoon&gt;"
assert a.count(m) == 1
open(sys.argv[2], "wb").write(a.replace(m, b""))
i = a.index(b"&lt;devices&gt;"); j = a.index(b"&lt;/devices&gt;") + len(b"&lt;/devices&gt;")
open(sys.argv[3], "wb").write(a[:i] + a[j:])
' he.ovf he-nb.ovf he-nodev.ovf
run ovf show he-nb.ovf
check "EngineXml without memballoon: show says absent, libvirt default virtio" \
  grep -q '^EngineXml balloon:   absent (libvirt default: virtio)' "$tmp/out"
run ovf show --json he-nb.ovf
check "EngineXml without memballoon: --json says absent, effective virtio" \
  grep -q '"engine_xml_balloon":"absent","engine_xml_balloon_effective":"virtio"' "$tmp/out"
run ovf set-balloon he-nb.ovf off --output he-nb-off.ovf
check "EngineXml without memballoon: off inserts one memballoon none among the devices, nothing else" \
  python3 -c '
import sys
a = open(sys.argv[1], "rb").read(); b = open(sys.argv[2], "rb").read()
m = b"&lt;memballoon model=\"none\"&gt;&lt;/memballoon&gt;"
at = b.find(b"&lt;/lease&gt;" + m + b"&lt;/devices&gt;")
sys.exit(0 if b.count(m) == 1 and at > 0 and b.replace(m, b"", 1) == a else 1)
' he-nb.ovf he-nb-off.ovf
check "EngineXml without memballoon: the result is well-formed" xmllint --noout --nonet he-nb-off.ovf
run ovf show --json he-nb-off.ovf
check "EngineXml without memballoon: after off, show says model none" \
  grep -q '"engine_xml_balloon":"none"' "$tmp/out"
run ovf set-balloon he-nb-off.ovf off --output he-nb-off2.ovf
check "EngineXml without memballoon: off twice gives the same bytes" cmp -s he-nb-off.ovf he-nb-off2.ovf
run ovf set-balloon he-nb.ovf on --output he-nb-on.ovf
check "EngineXml without memballoon: on keeps it absent (already virtio), adds the Item" \
  test $rc -eq 0 -a "$(state he-nb-on.ovf)" = true -a -z "$(grep -F '&lt;memballoon' he-nb-on.ovf)"
run ovf set-balloon he-nb-off.ovf on --output he-nb-on2.ovf
check "EngineXml without memballoon: off then on sets the inserted one to virtio" \
  grep -qF '&lt;memballoon model="virtio"&gt;&lt;/memballoon&gt;&lt;/devices&gt;' he-nb-on2.ovf
s0=$(sum he-nodev.ovf)
run ovf show --json he-nodev.ovf
check "EngineXml without devices: show says unusable, with the reason" \
  grep -q '"engine_xml_balloon":"unusable".*"engine_xml_problem":"[^"]*<devices>' "$tmp/out"
for to in on off; do
  run ovf set-balloon he-nodev.ovf $to --output he-nodev-$to.ovf
  check "EngineXml without devices: $to is refused (5), one line, nothing written" \
    test $rc -eq 5 -a ! -e he-nodev-$to.ovf -a "$(sum he-nodev.ovf)" = "$s0" -a \
    -n "$(grep -F 'EngineXml' "$tmp/err")"
  check "EngineXml without devices: the $to refusal is one error line" one_error_line he-nodev.ovf
done

# ---- the cluster rule --------------------------------------------------------

cp "$up/ovirt-engine_vmOvfData2.ovf.xml" old.ovf
s0=$(sum old.ovf)
run ovf set-balloon old.ovf on
check "enabling at level 0.9 is refused (3), names the level, file unchanged" \
  test $rc -eq 3 -a -n "$(grep -F '0.9' "$tmp/err")" -a -n "$(grep -F -- '--force' "$tmp/err")" -a "$(sum old.ovf)" = "$s0"
check "the refusal is one error line naming the file" one_error_line old.ovf
run ovf set-balloon old.ovf on --force
check "--force enables it anyway, with a warning" \
  test $rc -eq 0 -a "$(state old.ovf)" = true -a -n "$(grep '^warning: ' "$tmp/err")"
run ovf set-balloon old.ovf off
check "disabling is always allowed" test $rc -eq 0 -a "$(state old.ovf)" = false

sed -e 's/ ovf:version="3.3.0.0"//' -e 's#<Item>#<Item>#' "$up/ovirt-engine_vmOvfData.ovf.xml" > nolevel.ovf
"$cli" ovf set-balloon nolevel.ovf off > /dev/null 2>&1
run ovf set-balloon nolevel.ovf on
check "a missing level gives a warning and is allowed" \
  test $rc -eq 0 -a -n "$(grep '^warning: .*no compatibility level' "$tmp/err")"

# ---- writing: nothing to do, backup, output, permissions ------------------------

cp "$up/ovirt-engine_vmOvfData.ovf.xml" same.ovf
touch -d '2001-01-01 00:00:00' same.ovf
m0=$(stat -c %Y same.ovf)
run ovf set-balloon same.ovf on
check "an edit that changes nothing writes nothing (mtime kept)" \
  test $rc -eq 0 -a "$(stat -c %Y same.ovf)" = "$m0" -a -n "$(grep 'nothing written' "$tmp/out")"

cp "$up/ovirt-engine_vmOvfData.ovf.xml" bk.ovf
chmod 640 bk.ovf
run ovf set-balloon bk.ovf off --backup
check "--backup keeps the original as FILE.bak" cmp -s bk.ovf.bak "$up/ovirt-engine_vmOvfData.ovf.xml"
check "in-place save keeps the permissions" test "$(stat -c %a bk.ovf)" = 640
check "no temp file left after saving" test "$(ls -A | grep -c '^\.')" -eq 0

cp "$up/ovirt-engine_vmOvfData.ovf.xml" src.ovf
run ovf set-balloon src.ovf off --output dst.ovf
check "--output leaves the source untouched" \
  test $rc -eq 0 -a "$(sum src.ovf)" = "$(sum "$up/ovirt-engine_vmOvfData.ovf.xml")" -a "$(state dst.ovf)" = false

mkdir real && cp "$up/ovirt-engine_vmOvfData.ovf.xml" real/vm.ovf && ln -s real/vm.ovf link.ovf
run ovf set-balloon link.ovf off
check "a symlinked file: the link stays a link, its target gets the edit" \
  test $rc -eq 0 -a -L link.ovf -a "$(state real/vm.ovf)" = false

cp "$up/ovirt-engine_vmOvfData.ovf.xml" ro.ovf
chmod 444 ro.ovf
s0=$(sum ro.ovf)
run ovf set-balloon ro.ovf off
check "read-only target: exit 1, file unchanged" test $rc -eq 1 -a "$(sum ro.ovf)" = "$s0"
check "read-only target: one error line saying so" one_error_line ro.ovf
grep -q 'read-only' "$tmp/err" || diag "$tmp/err"

run ovf set-balloon src.ovf off --output "$tmp/no-such-dir/out.ovf"
check "missing output directory: exit 1, clear error, nothing created" \
  test $rc -eq 1 -a -n "$(grep 'does not exist' "$tmp/err")" -a ! -e "$tmp/no-such-dir"

mkdir full && cp "$up/ovirt-engine_vmOvfData.ovf.xml" full/vm.ovf
s0=$(sum full/vm.ovf)
# No space left, simulated: a 4 KiB file size limit makes the write fail
# with EFBIG half way, as ENOSPC would.
( ulimit -f 4; exec "$cli" ovf set-balloon full/vm.ovf off ) > "$tmp/out" 2> "$tmp/err"
rc=$?
check "disk full (simulated): exit 1, file unchanged, no temp file left" \
  test $rc -eq 1 -a "$(sum full/vm.ovf)" = "$s0" -a "$(ls -A full | wc -l)" -eq 1
check "disk full (simulated): one error line" one_error_line full/vm.ovf

# ---- bad input: exit 5, one error line naming the file, byte-identical ------------

bad_case () {
  local name=$1 file=$2 want=${3:-}
  local s0
  s0=$(sum "$file")
  "$cli" ovf set-balloon "$file" on > "$tmp/out" 2> "$tmp/err" &
  local pid=$!
  # A file the parser must not open (a FIFO) would block forever: bound it.
  ( sleep 20; kill $pid 2>/dev/null ) &
  local watchdog=$!
  wait $pid
  rc=$?
  kill $watchdog 2>/dev/null
  wait $watchdog 2>/dev/null
  if [ $rc -eq 5 ] && one_error_line "$file" && [ "$(sum "$file")" = "$s0" ] &&
     { [ -z "$want" ] || grep -qE "$want" "$tmp/err"; }; then
    ok "bad input: $name"
  else
    not_ok "bad input: $name (exit $rc)"
    diag "$tmp/err"
  fi
}

printf 'this is not XML\n' > notxml.ovf
bad_case "not XML" notxml.ovf 'line 1'
head -c 3000 "$up/ovirt-engine_vmOvfData.ovf.xml" > trunc.ovf
bad_case "truncated XML (line number)" trunc.ovf 'line 3[0-9]: .*truncated'
printf '<?xml version="1.0"?>\n<html><body/></html>\n' > html.ovf
bad_case "XML that is not an OVF" html.ovf 'not an OVF'
printf '<ovf:Envelope xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1/">\n<Content><Name>x</Name></Content>\n</ovf:Envelope>\n' > nohw.ovf
bad_case "OVF without a virtual hardware section" nohw.ovf 'virtual hardware section'
python3 - "$up/ovirt-engine_vmOvfData.ovf.xml" two.ovf <<'EOF'
import sys
text = open(sys.argv[1]).read()
start = text.index("<Item>", text.index("<Type>balloon") - 400)
start = text.rindex("<Item>", 0, text.index("<Type>balloon"))
end = text.index("</Item>", start) + len("</Item>")
open(sys.argv[2], "w").write(text[:end] + "\n            " + text[start:end] + text[end:])
EOF
bad_case "two balloon Items" two.ovf 'two balloon device Items \(lines [0-9]+ and [0-9]+\)'

mkfifo secret.fifo
echo "TOP-SECRET-MARKER" > secret.txt
cat > xxe.ovf <<EOF
<?xml version="1.0"?>
<!DOCTYPE e [ <!ENTITY xxe SYSTEM "file://$tmp/secret.txt"> ]>
<ovf:Envelope xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1/"><Content><Name>&xxe;</Name></Content></ovf:Envelope>
EOF
bad_case "external entity (XXE)" xxe.ovf 'entity'
check "XXE: the referenced file's content never shows" test -z "$(grep -h TOP-SECRET "$tmp/out" "$tmp/err")"
cat > xxe-fifo.ovf <<EOF
<?xml version="1.0"?>
<!DOCTYPE e [ <!ENTITY xxe SYSTEM "file://$tmp/secret.fifo"> ]>
<ovf:Envelope xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1/"><Content><Name>&xxe;</Name></Content></ovf:Envelope>
EOF
bad_case "external entity on a FIFO (opening it would hang)" xxe-fifo.ovf 'entity'
{
  echo '<?xml version="1.0"?>'
  echo '<!DOCTYPE lolz ['
  echo ' <!ENTITY lol "lol">'
  prev=lol
  for i in 1 2 3 4 5 6 7 8 9; do
    echo " <!ENTITY lol$i \"&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;\">"
    prev=lol$i
  done
  echo ']>'
  echo '<ovf:Envelope xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1/"><Content><Name>&lol9;</Name></Content></ovf:Envelope>'
} > bomb.ovf
bad_case "entity expansion bomb (refused quickly)" bomb.ovf 'entity'
cat > netdtd.ovf <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE Envelope SYSTEM "http://192.0.2.1/ovf.dtd">
<ovf:Envelope xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1/"><Content/></ovf:Envelope>
EOF
bad_case "DTD that would load from the network" netdtd.ovf 'external DTD'
cat > fifodtd.ovf <<EOF
<?xml version="1.0"?>
<!DOCTYPE Envelope SYSTEM "file://$tmp/secret.fifo">
<ovf:Envelope xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1/"><Content/></ovf:Envelope>
EOF
bad_case "external DTD on a FIFO (loading it would hang)" fifodtd.ovf 'external DTD'
truncate -s 65M big.ovf
bad_case "file over 64 MiB" big.ovf '64 MiB'

mkdir ova-src
cp "$up/ovirt-engine_vmOvfData.ovf.xml" ova-src/vm.ovf
head -c 100000 /dev/urandom > ova-src/disk.img
tar -cf noovf.ova -C ova-src disk.img
bad_case "OVA without an .ovf member" noovf.ova 'no \.ovf member'
tar -cf good.ova -C ova-src vm.ovf disk.img
head -c 60000 good.ova > trunc.ova
bad_case "truncated tar" trunc.ova 'truncated'
printf 'not a tar at all' > junk.ova
bad_case "an .ova that is not a tar" junk.ova 'OVA'
mkdir ova-big && truncate -s 65M ova-big/vm.ovf
tar --sparse -cf bigovf.ova -C ova-big vm.ovf
bad_case "OVA whose OVF member is over 64 MiB" bigovf.ova '64 MiB'

tar -cf dup.ova -C ova-src vm.ovf disk.img
tar -rf dup.ova -C ova-src vm.ovf
bad_case "OVA holding vm.ovf twice (tar tools disagree on which counts)" dup.ova 'vm\.ovf.* twice'

# A FIFO as input is refused at once instead of waiting for a writer.
mkfifo input.fifo
timeout 20 "$cli" ovf show input.fifo > "$tmp/out" 2> "$tmp/err"
rc=$?
check "a FIFO as input: exit 5 at once, 'not a regular file'" \
  eval 'test $rc -eq 5 && one_error_line input.fifo && grep -q "not a regular file" "$tmp/err"'

# A processing instruction in the DOCTYPE hides "]>" and a decoy Envelope:
# the edit must land on the element every XML reader sees.
ns='xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"'
hw='<Section xsi:type="ovf:VirtualHardwareSection_Type"><Item><rasd:ResourceType>3</rasd:ResourceType></Item></Section>'
cat > decoy.ovf <<EOF
<?xml version="1.0"?>
<!DOCTYPE x [ <?pi ]><ovf:Envelope $ns><Content><BalloonEnabled>false</BalloonEnabled>$hw</Content></ovf:Envelope><!-- ?> ]>
<ovf:Envelope $ns ovf:version="4.4"><Content><Name>real</Name><BalloonEnabled>false</BalloonEnabled>$hw</Content></ovf:Envelope>
<!-- -->
EOF
run ovf set-balloon decoy.ovf on --output decoy-on.ovf
real_flag () {
  python3 -c 'import sys, xml.etree.ElementTree as E
print(E.parse(sys.argv[1]).getroot().find("Content/BalloonEnabled").text)' "$1"
}
check "DOCTYPE with a PI decoy: the real BalloonEnabled is edited" \
  test $rc -eq 0 -a "$(real_flag decoy-on.ovf)" = true
cat > attlist.ovf <<EOF
<?xml version="1.0"?>
<!DOCTYPE Envelope [ <!ATTLIST Envelope xmlns CDATA "http://schemas.dmtf.org/ovf/envelope/1/"> ]>
<Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"><Content>$hw</Content></Envelope>
EOF
bad_case "a DTD default namespace the bytes do not show" attlist.ovf 'default value'

# ---- OVA manifests and signatures ----------------------------------------------

mkdir mf-src
cp "$up/ovirt-engine_vmOvfData.ovf.xml" mf-src/vm.ovf
head -c 70000 /dev/urandom > mf-src/disk.img
# SHA1 in upper case, SHA256 with a space before "=", SHA512; CRLF ends.
{
  printf 'SHA1(vm.ovf)= %s\r\n' "$(sha1sum mf-src/vm.ovf | cut -d' ' -f1 | tr a-f A-F)"
  printf 'SHA256(disk.img) = %s\r\n' "$(sha256sum mf-src/disk.img | cut -d' ' -f1)"
  printf 'SHA512(vm.ovf)= %s\r\n' "$(sha512sum mf-src/vm.ovf | cut -d' ' -f1)"
} > mf-src/vm.mf
tar -cf mf.ova -C mf-src vm.ovf disk.img vm.mf
s0=$(sum mf.ova)
run ovf show --json mf.ova
check "show reports a manifest that is updated on save" \
  test $rc -eq 0 -a -n "$(grep '"manifest":"updated-on-save"' "$tmp/out")"
run ovf set-balloon mf.ova off --output mf-off.ova
mkdir mf-out && tar -xf mf-off.ova -C mf-out
digests_ok () {
  local dir=$1 line algo name hex
  while IFS= read -r line; do
    line=${line%$'\r'}
    algo=${line%%(*}; name=${line#*(}; name=${name%%)*}; hex=${line##*= }
    [ "$(${algo,,}sum "$dir/$name" | cut -d' ' -f1)" = "${hex,,}" ] || return 1
  done < "$dir/vm.mf"
}
check "set-balloon on an OVA with a manifest: every digest matches the new members" \
  eval 'test $rc -eq 0 && digests_ok mf-out && grep -q "manifest “vm.mf” updated" "$tmp/out"'
check "the manifest keeps its format: same lines, case and CRLF, only the OVF digests differ" \
  eval 'test "$(sed -E "s/= *[0-9A-Fa-f]+/=/" mf-out/vm.mf)" = "$(sed -E "s/= *[0-9A-Fa-f]+/=/" mf-src/vm.mf)" &&
        grep -q "^SHA1(vm.ovf)= [0-9A-F]*.$" mf-out/vm.mf && cmp -s <(grep disk.img mf-out/vm.mf) <(grep disk.img mf-src/vm.mf)'
check "the original OVA with a manifest is untouched" test "$(sum mf.ova)" = "$s0"

echo "-----BEGIN CERTIFICATE-----" > mf-src/vm.cert
tar -cf signed.ova -C mf-src vm.ovf disk.img vm.mf vm.cert
s0=$(sum signed.ova)
run ovf show --json signed.ova
check "show reports a signed manifest" test -n "$(grep '"manifest":"signed"' "$tmp/out")"
run ovf set-balloon signed.ova off
check "set-balloon on a signed OVA is refused (exit 3, one line naming --drop-signature)" \
  eval 'test $rc -eq 3 && one_error_line signed.ova && grep -q -- "--drop-signature" "$tmp/err" && test "$(sum signed.ova)" = "$s0"'
run ovf set-balloon signed.ova off --drop-signature
check "--drop-signature removes the .cert, says so and updates the manifest" \
  eval 'test $rc -eq 0 && test "$(tar -tf signed.ova | tr "\n" " ")" = "vm.ovf disk.img vm.mf " &&
        grep -q "signature “vm.cert” was removed" "$tmp/out"'

# ---- A streamed rewrite keeps every tar record ---------------------------------

# An OVA with a manifest is always streamed. Archives from Python's tarfile
# (pax global headers, pax comments, a GNU long name) and GNU tar (pax).
# records_kept SRC OUT: every byte outside vm.ovf and vm.mf is the same
# (global headers between members, and each other member's records and
# data), and the OVF keeps its pax comment.
records_kept () {
  python3 - "$1" "$2" <<'PY'
import sys, tarfile
def layout(path):
    raw = open(path, 'rb').read()
    with tarfile.open(path) as tar:
        members = [(m.name, m.offset, m.offset_data + -(-m.size // 512) * 512, m.pax_headers.get('comment'))
                   for m in tar]
    pieces, pos = [], 0
    for name, start, end, comment in members:
        pieces.append(('gap', raw[pos:start]))
        pieces.append((name, raw[start:end] if name not in ('vm.ovf', 'vm.mf') else comment))
        pos = end
    return pieces
a, b = layout(sys.argv[1]), layout(sys.argv[2])
sys.exit(0 if a == b and any(p[0] == 'gap' and p[1] for p in a) else 1)
PY
}
if command -v python3 > /dev/null; then
  for kind in python pax-size gnutar; do
    python3 "${OB_SOURCE_DIR:?}/tests/ovf/make-pax-ova.py" build $kind "$up/ovirt-engine_vmOvfData.ovf.xml" rec-$kind.ova
    cp rec-$kind.ova rec-$kind-src.ova
    run ovf set-balloon rec-$kind.ova off
    rm -rf rec-out && mkdir rec-out && tar -xf rec-$kind.ova -C rec-out
    check "$kind OVA, streamed: saved, GNU tar lists the same members, the manifest matches" \
      eval 'test $rc -eq 0 && grep -q "manifest “vm.mf” updated" "$tmp/out" &&
            test "$(tar -tvf rec-$kind.ova | awk "{print \$NF}")" = "$(tar -tvf rec-$kind-src.ova | awk "{print \$NF}")" &&
            digests_ok rec-out && test "$("$cli" ovf show --json rec-$kind.ova | grep -o "\"balloon_enabled\":[a-z]*")" = "\"balloon_enabled\":false"'
    check "$kind OVA, streamed: global headers and every other member byte for byte, the OVF's pax comment kept" \
      records_kept rec-$kind-src.ova rec-$kind.ova
  done
else
  for kind in python pax-size gnutar; do
    skip "$kind OVA, streamed: saved" "no python3 to build it"
    skip "$kind OVA, streamed: records byte for byte" "no python3 to build it"
  done
fi

# ---- OVAs holding several OVFs (as an OVF_STORE does) ---------------------------

mkdir multi-src
cp "$up/ovirt-engine_vmOvfData.ovf.xml" multi-src/a.ovf
cp "$up/hosted-engine-ha_ovf_test_v4.2.ovf.xml" multi-src/b.ovf
tar -cf multi.ova -C multi-src a.ovf b.ovf
s0=$(sum multi.ova)
run ovf show multi.ova --json
check "show on an OVA of two OVFs prints a JSON array naming both members" \
  eval 'test $rc -eq 0 && grep -q "^\[{.*\"member\":\"a.ovf\"},{.*\"member\":\"b.ovf\"}\]$" "$tmp/out"'
run ovf set-balloon multi.ova on
check "set-balloon without --member on two OVFs is a usage error (2) naming them" \
  eval 'test $rc -eq 2 && grep -q "a.ovf, b.ovf" "$tmp/err" && test "$(sum multi.ova)" = "$s0"'
run ovf set-balloon multi.ova on --member b.ovf --output multi-on.ova
check "--member b.ovf edits that member only" \
  eval 'test $rc -eq 0 && cmp -s <(tar -xOf multi-on.ova a.ovf) multi-src/a.ovf &&
        "$cli" ovf show --json --member b.ovf multi-on.ova | grep -q "\"balloon_enabled\":true"'
run ovf show multi.ova --member c.ovf
check "--member naming no .ovf member is a usage error (2) listing the members" \
  eval 'test $rc -eq 2 && grep -q "a.ovf, b.ovf" "$tmp/err"'

# ---- OVA with a large sparse disk: streamed, valid for GNU tar ------------------

mkdir ova
cp "$up/ovirt-engine_vmOvfData.ovf.xml" ova/vm.ovf
truncate -s 2G ova/disk.img
printf 'BEGIN' | dd of=ova/disk.img conv=notrunc status=none
printf 'MIDDLE' | dd of=ova/disk.img bs=1 seek=1073741824 conv=notrunc status=none
printf 'END' | dd of=ova/disk.img bs=1 seek=$((2147483648 - 3)) conv=notrunc status=none
echo nvram > ova/nvram.dat
tar --sparse --format=gnu -cf vm.ova -C ova vm.ovf disk.img nvram.dat

run ovf show vm.ova --json
check "show on an OVA reports format ova" \
  test $rc -eq 0 -a -n "$(grep '"format":"ova","flavour":"engine","name":"exporttedVM"' "$tmp/out")"

/usr/bin/time -f '%M' -o rss.txt "$cli" ovf set-balloon vm.ova off --output out.ova > "$tmp/out" 2> "$tmp/err"
rc=$?
rss_kb=$(tail -n 1 rss.txt)
check "set-balloon on a 2 GiB OVA succeeds" test $rc -eq 0
# The disk is streamed: peak RSS stays far below its 2 GiB.
check "peak RSS while rewriting the 2 GiB OVA stays under 256 MiB (was ${rss_kb} KiB)" \
  test "$rss_kb" -lt 262144
tar -tvf out.ova > listing.txt 2> tarerr.txt
check "GNU tar reads the result: same members in the same order" \
  test "$(awk '{print $6}' listing.txt | tr '\n' ' ')" = "vm.ovf disk.img nvram.dat "
check "GNU tar sees the disk at its full size" \
  test "$(awk '$6 == "disk.img" {print $3}' listing.txt)" = 2147483648
check "the disk's content is unchanged" cmp -s <(tar -xOf out.ova disk.img) ova/disk.img
tar -xOf out.ova vm.ovf > extracted.ovf
check "the OVF member carries the edit" test "$(state extracted.ovf)" = false
check "the original OVA is untouched" test "$(state vm.ova)" = true
check "the written OVA stays sparse on disk (under 64 MiB used)" test "$(du -k out.ova | cut -f1)" -lt 65536

# ---- in-place OVA edits (pack_ova.py's layout: Python's tarfile, GNU, OVF first)

mkdir pack
cp "$up/ovirt-engine_vmOvfData2.ovf.xml" pack/vm.ovf
head -c 3000000 /dev/urandom > pack/disk.img
pack_ova () {
  python3 - "$1" <<'PY'
import sys, tarfile
with tarfile.open(sys.argv[1], 'w', format=tarfile.GNU_FORMAT) as t:
    t.add('pack/vm.ovf', arcname='vm.ovf')
    t.add('pack/disk.img', arcname='disk.img')
PY
}
disk_sum () { tar -xOf "$1" disk.img | sha256sum | cut -d' ' -f1; }
pack_ova pack.ova
chmod 640 pack.ova
inode=$(stat -c %i pack.ova)
disk_before=$(disk_sum pack.ova)
inplace_ok=true
for want in on off on off; do
  run ovf set-balloon pack.ova "$want" --force
  [ $rc -eq 0 ] && [ -z "$(grep -v '^warning: ' "$tmp/err")" ] || { inplace_ok=false; diag "$tmp/err"; }
  case "$want:$(state pack.ova)" in on:true|off:false) ;; *) inplace_ok=false ;; esac
done
check "in-place edits of a pack_ova-style OVA: on, off, on, off, no note" $inplace_ok
check "the OVA stays the same file with the same mode (edited in place)" \
  test "$(stat -c '%i %a' pack.ova)" = "$inode 640"
check "GNU tar lists the same members after in-place edits" \
  test "$(tar -tf pack.ova | tr '\n' ' ')" = "vm.ovf disk.img "
check "the disk member's bytes are unchanged" test "$(disk_sum pack.ova)" = "$disk_before"
check "no undo record is left" test ! -e .pack.ova.ova-undo

# GNU sparse disk members (with sparse-map extension blocks after their
# header), the OVF first then last: edited in place, the disk unchanged.
mkdir spx
cp "$up/ovirt-engine_vmOvfData2.ovf.xml" spx/vm.ovf
truncate -s 64M spx/disk.img
for i in $(seq 0 30); do
  printf 'chunk %s' "$i" | dd of=spx/disk.img bs=1 seek=$((i * 2000000)) conv=notrunc status=none
done
tar --sparse --format=gnu -cf spx-first.ova -C spx vm.ovf disk.img
tar --sparse --format=gnu -cf spx-last.ova -C spx disk.img vm.ovf
for f in spx-first.ova spx-last.ova; do
  inode=$(stat -c %i "$f")
  run ovf set-balloon "$f" on --force
  check "$f (GNU sparse disk): enabled in place" \
    test $rc -eq 0 -a "$(state "$f")" = true -a "$(stat -c %i "$f")" = "$inode"
  check "$f (GNU sparse disk): the disk reads the same" cmp -s <(tar -xOf "$f" disk.img) spx/disk.img
done

# Killed in the middle of an edit (strace injects SIGKILL at a chosen system
# call): the next `ovf show` undoes it, says so once on stderr, and the
# archive is byte for byte the old one.
printf 'x' > probe && truncate -s 8192 probe
if command -v strace > /dev/null && fallocate --insert-range -o 0 -l 4096 probe 2> /dev/null; then
  for point in "pwrite64 2 blocks inserted, OVF not yet written" "fsync 3 edit written, record not yet removed"; do
    set -- $point
    rm -f pack.ova && pack_ova pack.ova
    before=$(sum pack.ova)
    strace -f -o /dev/null -e trace="$1" -e inject="$1:signal=KILL:when=$2" \
      "$cli" ovf set-balloon pack.ova on --force > /dev/null 2>&1
    had_record=no; [ -e .pack.ova.ova-undo ] && had_record=yes
    run ovf show pack.ova --json
    shift 2
    check "killed at '$*': the undo record was there" test $had_record = yes
    check "killed at '$*': show undoes it and says so in one line" \
      test $rc -eq 0 -a "$(grep -c '^note: .*interrupted edit was undone' "$tmp/err")" -eq 1 \
      -a "$(wc -l < "$tmp/err")" -eq 1
    check "killed at '$*': the archive is the old one, byte for byte" test "$(sum pack.ova)" = "$before"
    check "killed at '$*': the record is gone" test ! -e .pack.ova.ova-undo
  done
else
  ok "# SKIP no strace, or no FALLOC_FL_INSERT_RANGE in $tmp"
fi

tap_done
