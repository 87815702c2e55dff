#!/bin/bash
# test-rel-crash-safety.sh: `ovf set-balloon` must leave a file either old or
# new, never partial.
#  - SIGKILL at 50 random moments while it saves a large OVF (about 10 MB,
#    12,000 device Items) and a large OVA (that OVF plus a 32 MiB disk):
#    after every kill the file is byte-identical to the old or to the new one.
#    The kill moments are spread over 0..1.3x the measured save time, and the
#    test fails if too few kills landed while the process was still running
#    (a test that only ever kills finished processes proves nothing).
#  - Disk full, on a small tmpfs in a private mount namespace (unshare -rm;
#    skipped when the kernel does not allow it): exit 1, an error that says
#    so, the original byte-identical, no temp file left behind.
# TAP output; figures go to $OB_BUILD_DIR/reliability/crash-safety.md.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cli="$OB_BUILD_DIR/src/ovirt-balloon-cli"
kills=${OB_CRASH_KILLS:-50}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
report_dir="$OB_BUILD_DIR/reliability"
mkdir -p "$report_dir"
report="$report_dir/crash-safety.md"
: > "$report"

. "${OB_SOURCE_DIR:?}/tests/support/tap.sh"
now_ms () { date +%s%3N; }

tap_plan 12

# A device-era OVF as the engine writes it (ovf:version 4.2, balloon Item
# present), with $1 extra NIC Items so the save takes a measurable time.
gen_ovf ()
{
  local items=$1
  cat <<'HEAD'
<?xml version="1.0" encoding="UTF-8"?>
<ovf:Envelope xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1/" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ovf:version="4.2.0.0">
    <References/>
    <Section xsi:type="ovf:NetworkSection_Type">
        <Info>List of networks</Info>
    </Section>
    <Content ovf:id="out" xsi:type="ovf:VirtualSystem_Type">
        <Name>crash-safety</Name>
        <ClusterCompatibilityVersion>4.2</ClusterCompatibilityVersion>
        <Section xsi:type="ovf:VirtualHardwareSection_Type">
            <Info>1 CPU, 1024 Memory</Info>
            <System>
                <vssd:VirtualSystemType>ENGINE 4.2.0.0</vssd:VirtualSystemType>
            </System>
            <Item>
                <rasd:ResourceType>0</rasd:ResourceType>
                <rasd:InstanceId>0ef21074-0908-4d2d-8355-5e82a3f49881</rasd:InstanceId>
                <Type>balloon</Type>
                <Device>memballoon</Device>
                <rasd:Address />
                <BootOrder>0</BootOrder>
                <IsPlugged>true</IsPlugged>
                <IsReadOnly>true</IsReadOnly>
                <Alias />
                <SpecParams>
                    <model>virtio</model>
                </SpecParams>
            </Item>
HEAD
  awk -v n="$items" 'BEGIN {
    for (i = 0; i < n; i++) {
      printf "            <Item>\n"
      printf "                <rasd:Caption>Ethernet adapter on ovirtmgmt</rasd:Caption>\n"
      printf "                <rasd:InstanceId>%08x-aaaa-4bbb-8ccc-%012x</rasd:InstanceId>\n", i, i
      printf "                <rasd:ResourceType>10</rasd:ResourceType>\n"
      printf "                <rasd:OtherResourceType>ovirtmgmt</rasd:OtherResourceType>\n"
      printf "                <rasd:ResourceSubType>3</rasd:ResourceSubType>\n"
      printf "                <rasd:Connection>ovirtmgmt</rasd:Connection>\n"
      printf "                <rasd:Name>nic%d</rasd:Name>\n", i
      printf "                <rasd:MACAddress>56:6f:%02x:%02x:%02x:%02x</rasd:MACAddress>\n", int(i/16777216)%256, int(i/65536)%256, int(i/256)%256, i%256
      printf "                <Type>interface</Type>\n"
      printf "                <Device>bridge</Device>\n"
      printf "                <rasd:Address />\n"
      printf "                <BootOrder>0</BootOrder>\n"
      printf "                <IsPlugged>true</IsPlugged>\n"
      printf "                <IsReadOnly>false</IsReadOnly>\n"
      printf "                <Alias>net%d</Alias>\n", i
      printf "            </Item>\n"
    }
  }'
  cat <<'TAIL'
        </Section>
    </Content>
</ovf:Envelope>
TAIL
}

gen_ovf 12000 > "$work/big.ovf"
mkdir "$work/ova-src"
cp "$work/big.ovf" "$work/ova-src/vm.ovf"
truncate -s 32M "$work/ova-src/disk.img"
printf 'not all zeros' | dd of="$work/ova-src/disk.img" bs=1 seek=$((16 * 1024 * 1024)) conv=notrunc status=none
tar --format=ustar -C "$work/ova-src" -cf "$work/big.ova" vm.ovf disk.img
# With a manifest the OVA is never edited in place: the whole archive is
# streamed into a new copy (ob-ova-stream.c), pax records and all.
( cd "$work/ova-src" && printf 'SHA256(vm.ovf)= %s\n' "$(sha256sum vm.ovf | cut -d' ' -f1)" > vm.mf )
tar --format=pax --pax-option=comment=kept -C "$work/ova-src" -cf "$work/big-mf.ova" vm.ovf disk.img vm.mf
rm -rf "$work/ova-src"

# kill_loop KIND FILE: prints TAP for "old or new after every kill" and
# "enough kills landed mid-save".
kill_loop ()
{
  local kind=$1 orig=$2 ext=${2##*.}
  local target="$work/target.$ext" newfile="$work/new.$ext"
  local old_sum new_sum sum t0 t1 save_ms i delay rc
  local n_old=0 n_new=0 n_bad=0 n_mid=0 leftovers=0

  rm -f "$newfile"; cat "$orig" > "$newfile"
  t0=$(now_ms)
  "$cli" ovf set-balloon "$newfile" off >/dev/null 2>"$work/err" || { cat "$work/err" | sed 's/^/# /'; }
  t1=$(now_ms)
  save_ms=$((t1 - t0))
  old_sum=$(sha256sum < "$orig")
  new_sum=$(sha256sum < "$newfile")
  if [ "$old_sum" = "$new_sum" ]; then
    not_ok "$kind: a clean set-balloon changed the file"
    not_ok "$kind: kills landed mid-save (no reference result)"
    return
  fi
  echo "# $kind: $(stat -c %s "$orig") bytes, clean save ${save_ms} ms"

  for i in $(seq 1 "$kills"); do
    rm -f "$target"; cat "$orig" > "$target"
    delay=$(( (RANDOM * 32768 + RANDOM) % (save_ms * 13 / 10 + 1) ))
    "$cli" ovf set-balloon "$target" off >/dev/null 2>&1 &
    local pid=$!
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rc=$?
    [ "$rc" -eq 137 ] && n_mid=$((n_mid + 1))
    sum=$(sha256sum < "$target")
    if [ "$sum" = "$old_sum" ]; then n_old=$((n_old + 1))
    elif [ "$sum" = "$new_sum" ]; then n_new=$((n_new + 1))
    else
      n_bad=$((n_bad + 1))
      echo "# kill $i after ${delay} ms: the file is neither old nor new ($(stat -c %s "$target") bytes)"
    fi
    # A SIGKILLed save may leave its temp file; count, then clear them.
    for f in "$work"/.target* "$work"/target.*.*; do
      [ -e "$f" ] && { leftovers=$((leftovers + 1)); rm -f "$f"; }
    done
  done

  echo "| $kind | $(stat -c %s "$orig") | $save_ms | $kills | $n_mid | $n_old | $n_new | $n_bad | $leftovers |" >> "$report"
  echo "# $kind: $kills kills ($n_mid while saving): $n_old old, $n_new new, $n_bad partial; $leftovers temp files left behind"
  if [ "$n_bad" -eq 0 ]; then ok "$kind: after each of $kills SIGKILLs the file is the old or the new one"
  else not_ok "$kind: $n_bad of $kills SIGKILLs left a partial file"; fi
  # At least a fifth of the kills must interrupt a running save.
  if [ "$n_mid" -ge $((kills / 5)) ]; then ok "$kind: $n_mid kills interrupted a running save"
  else not_ok "$kind: only $n_mid kills interrupted a running save; the test proved little"; fi
}

echo "| file | bytes | clean save (ms) | kills | kills during the save | old afterwards | new afterwards | partial | temp files left |" >> "$report"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |" >> "$report"
kill_loop "OVF" "$work/big.ovf"
kill_loop "OVA" "$work/big.ova"
kill_loop "OVA, streamed" "$work/big-mf.ova"

# disk_full KIND FILE: on a tmpfs just larger than FILE, filled to the brim.
disk_full ()
{
  local kind=$1 orig=$2 ext=${2##*.}
  local size=$(( $(stat -c %s "$orig") / 1024 + 1024 ))k
  local tag; tag=$(printf '%s' "$kind" | tr -c 'A-Za-z0-9' '-')
  local mnt="$work/mnt-$tag" out="$work/full-$tag"
  mkdir -p "$mnt" "$out"
  if ! unshare -rm true 2>/dev/null; then
    skip "$kind on a full disk: unshare -rm is not allowed here"
    skip "$kind on a full disk: no temp file left"
    return
  fi
  # Everything that needs the mount runs inside the namespace.
  unshare -rm sh -c '
    mount -t tmpfs -o size="$3" tmpfs "$1" || exit 99
    cp "$2" "$1/file.$6"
    dd if=/dev/zero of="$1/filler" bs=4096 status=none 2>/dev/null
    "$4" ovf set-balloon "$1/file.$6" off >"$5/out" 2>"$5/err"
    echo $? >"$5/rc"
    cmp -s "$2" "$1/file.$6" && echo same >"$5/cmp"
    ls -A "$1" >"$5/listing"
  ' sh "$mnt" "$orig" "$size" "$cli" "$out" "$ext"
  if [ ! -f "$out/rc" ]; then
    skip "$kind on a full disk: tmpfs cannot be mounted here"
    skip "$kind on a full disk: no temp file left"
    return
  fi
  sed 's/^/# stderr: /' "$out/err"
  local rc; rc=$(cat "$out/rc")
  if [ "$rc" = 1 ] && [ -f "$out/cmp" ] && grep -q '^error:' "$out/err" && grep -qi 'space' "$out/err"; then
    ok "$kind on a full disk: exit 1, \"no space\" error, original byte-identical"
  else
    not_ok "$kind on a full disk: exit $rc, original $( [ -f "$out/cmp" ] && echo kept || echo CHANGED )"
  fi
  if [ "$(tr '\n' ' ' < "$out/listing")" = "file.$ext filler " ]; then
    ok "$kind on a full disk: no temp file left"
  else
    not_ok "$kind on a full disk: left behind: $(tr '\n' ' ' < "$out/listing")"
  fi
  echo "| $kind | $size | $rc | $(head -n 1 "$out/err" | sed "s|$mnt|TMPFS|g" | tr '|' '/') | $( [ -f "$out/cmp" ] && echo yes || echo NO ) |" >> "$report.disk"
}

: > "$report.disk"
disk_full "OVF" "$work/big.ovf"
disk_full "OVA" "$work/big.ova"
disk_full "OVA, streamed" "$work/big-mf.ova"
{
  echo
  echo "| file | tmpfs size | exit | error shown | original kept |"
  echo "| --- | --- | --- | --- | --- |"
  cat "$report.disk"
} >> "$report"
rm -f "$report.disk"

tap_done
