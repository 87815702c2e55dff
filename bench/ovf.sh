#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   bench/ovf.sh [BUILDDIR]      (BUILDDIR defaults to "build")
#
# Generates, in a temp dir, an OVF with 5,000 device Items (about 10 MB) and
# measures `ovirt-balloon-cli ovf show` and `ovf set-balloon` side by side
# with `xmllint --noout` (libxml2's parse floor) and `xmlstarlet ed` doing
# the equivalent edit (removing the balloon Item). Prints a Markdown section
# on stdout: median wall time and peak RSS over $OB_BENCH_RUNS runs (default
# 7), and whether the goals are met. Not a test: figures depend on the
# machine. Peak RSS comes from GNU time (-f %M); wall time from bash's
# microsecond clock around the same run, because %e has only 10 ms steps.
set -u

builddir=${1:-build}
runs=${OB_BENCH_RUNS:-7}
cli="$builddir/src/ovirt-balloon-cli"

for tool in "$cli" /usr/bin/time xmllint xmlstarlet python3; do
  if ! command -v "$tool" > /dev/null; then
    echo "bench/ovf.sh: $tool not found (build first: meson compile -C $builddir)" >&2
    exit 1
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The engine's export layout (Content flavour), 5,000 device Items of about
# 2 KB each, the balloon Item among them.
python3 - "$tmp/big.ovf" <<'EOF'
import sys, uuid
random_uuid = lambda i: str(uuid.UUID(int=(i * 0x9E3779B97F4A7C15) % (1 << 128)))
out = []
w = out.append
w('<?xml version="1.0" encoding="UTF-8"?>\n')
w('<ovf:Envelope xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1/" '
  'xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" '
  'xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData" '
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ovf:version="4.4.0.0">\n')
w('    <References/>\n')
w('    <Content ovf:id="out" xsi:type="ovf:VirtualSystem_Type">\n')
w('        <Name>bench-vm</Name>\n')
w('        <ClusterCompatibilityVersion>4.7</ClusterCompatibilityVersion>\n')
w('        <Section xsi:type="ovf:VirtualHardwareSection_Type">\n')
w('            <Info>5000 devices</Info>\n')
for i in range(5000):
    if i == 2500:
        w('            <Item>\n'
          '                <rasd:ResourceType>0</rasd:ResourceType>\n'
          '                <rasd:InstanceId>%s</rasd:InstanceId>\n'
          '                <Type>balloon</Type>\n'
          '                <Device>memballoon</Device>\n'
          '                <rasd:Address />\n'
          '                <BootOrder>0</BootOrder>\n'
          '                <IsPlugged>true</IsPlugged>\n'
          '                <IsReadOnly>true</IsReadOnly>\n'
          '                <Alias />\n'
          '                <SpecParams>\n'
          '                    <model>virtio</model>\n'
          '                </SpecParams>\n'
          '            </Item>\n' % random_uuid(i))
        continue
    u = random_uuid(i)
    w('            <Item>\n')
    w('                <rasd:Caption>disk-%05d</rasd:Caption>\n' % i)
    w('                <rasd:InstanceId>%s</rasd:InstanceId>\n' % u)
    w('                <rasd:ResourceType>17</rasd:ResourceType>\n')
    w('                <rasd:HostResource>%s/%s</rasd:HostResource>\n' % (random_uuid(i + 7), u))
    w('                <rasd:Parent>00000000-0000-0000-0000-000000000000</rasd:Parent>\n')
    w('                <rasd:Template>00000000-0000-0000-0000-000000000000</rasd:Template>\n')
    w('                <rasd:ApplicationList />\n')
    w('                <rasd:StorageId>%s</rasd:StorageId>\n' % random_uuid(i + 11))
    w('                <rasd:StoragePoolId>%s</rasd:StoragePoolId>\n' % random_uuid(i + 13))
    w('                <rasd:CreationDate>2024/05/14 09:12:50</rasd:CreationDate>\n')
    w('                <rasd:LastModified>2024/05/14 09:12:50</rasd:LastModified>\n')
    w('                <rasd:last_modified_date>2024/05/14 09:30:02</rasd:last_modified_date>\n')
    w('                <Type>disk</Type>\n')
    w('                <Device>disk</Device>\n')
    w('                <rasd:Address>{type=drive, bus=0, controller=0, target=0, unit=%d}</rasd:Address>\n' % i)
    w('                <BootOrder>0</BootOrder>\n')
    w('                <IsPlugged>true</IsPlugged>\n')
    w('                <IsReadOnly>false</IsReadOnly>\n')
    w('                <Alias>ua-%s</Alias>\n' % u)
    w('                <SpecParams>\n')
    for k in range(12):
        w('                    <param%02d>%s</param%02d>\n' % (k, random_uuid(i * 31 + k), k))
    w('                </SpecParams>\n')
    w('                <CustomProperties>\n')
    w('                    <CustomProperty name="iotune" value="total_bytes_sec=0;read_iops_sec=0;write_iops_sec=0" />\n')
    w('                </CustomProperties>\n')
    w('            </Item>\n')
w('        </Section>\n')
w('    </Content>\n')
w('</ovf:Envelope>\n')
open(sys.argv[1], 'w').write(''.join(out))
EOF

size=$(stat -c %s "$tmp/big.ovf")
items=$(grep -c '<Item>' "$tmp/big.ovf")

# measure NAME COMMAND...: runs it $runs times (after one warm-up), keeps
# the medians of wall time (s) and peak RSS (KiB) in $wall and $rss.
measure () {
  local i t0 t1
  : > "$tmp/walls"
  : > "$tmp/rsses"
  "$@" > /dev/null 2>&1
  for ((i = 0; i < runs; i++)); do
    rm -f "$tmp/out.ovf"
    t0=$EPOCHREALTIME
    /usr/bin/time -f '%M' -o "$tmp/time" "$@" > /dev/null 2> "$tmp/err"
    local rc=$?
    t1=$EPOCHREALTIME
    if [ $rc -ne 0 ]; then
      echo "bench/ovf.sh: '$*' failed (exit $rc):" >&2
      cat "$tmp/err" >&2
      exit 1
    fi
    python3 -c "print(f'{$t1 - $t0:.6f}')" >> "$tmp/walls"
    tail -n 1 "$tmp/time" >> "$tmp/rsses"
  done
  wall=$(sort -g "$tmp/walls" | awk '{ a[NR] = $1 } END { printf "%.3f\n", a[int((NR + 1) / 2)] }')
  rss=$(sort -g "$tmp/rsses" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
}

measure xmllint --noout "$tmp/big.ovf"
xmllint_wall=$wall xmllint_rss=$rss
measure "$cli" ovf show "$tmp/big.ovf"
show_wall=$wall show_rss=$rss
measure "$cli" ovf set-balloon "$tmp/big.ovf" off --output "$tmp/out.ovf"
off_wall=$wall off_rss=$rss
measure xmlstarlet ed -d '//Item[Type="balloon" and Device="memballoon"]' "$tmp/big.ovf"
star_wall=$wall star_rss=$rss
"$cli" ovf set-balloon "$tmp/big.ovf" off --output "$tmp/nob.ovf" > /dev/null
measure "$cli" ovf set-balloon "$tmp/nob.ovf" on --output "$tmp/out.ovf"
on_wall=$wall on_rss=$rss

# Sanity: the two tools made the same edit (same Item count left).
xmlstarlet ed -d '//Item[Type="balloon" and Device="memballoon"]' "$tmp/big.ovf" > "$tmp/star.ovf"
"$cli" ovf set-balloon "$tmp/big.ovf" off --output "$tmp/ours.ovf" > /dev/null
same_edit=no
[ "$(grep -c '<Item>' "$tmp/ours.ovf")" = "$(grep -c '<Item' "$tmp/star.ovf")" ] && same_edit=yes

verdict () { if python3 -c "import sys; sys.exit(0 if $1 else 1)"; then echo met; else echo "**not met**"; fi; }
ratio () { python3 -c "print(f'{$1 / $2:.2f}')"; }
mib () { python3 -c "print(f'{$1 / 1024:.1f}')"; }

size_mib=$(python3 -c "print(f'{$size / 1048576:.1f}')")
rss_limit_kib=$(( 4 * size / 1024 ))

cat <<EOF
## ovf

\`bench/ovf.sh\`: a generated OVF of $size_mib MiB ($size bytes) with $items device Items (the balloon Item
among them), in the engine's export layout. Median of $runs runs after one warm-up; wall time from bash's
microsecond clock, peak RSS from GNU \`/usr/bin/time -f %M\`. Build directory: \`$(basename "$builddir")\`.
"Equivalent edit" = removing the balloon Item (\`set-balloon off\`), done by \`xmlstarlet ed -d\`; the two
outputs keep the same number of Items: $same_edit.

| Command | Wall time | Peak RSS |
| --- | ---: | ---: |
| \`xmllint --noout\` (libxml2 parse floor) | ${xmllint_wall} s | $(mib "$xmllint_rss") MiB |
| \`ovirt-balloon-cli ovf show\` | ${show_wall} s | $(mib "$show_rss") MiB |
| \`ovirt-balloon-cli ovf set-balloon off --output\` (removes the Item) | ${off_wall} s | $(mib "$off_rss") MiB |
| \`xmlstarlet ed -d\` (removes the Item) | ${star_wall} s | $(mib "$star_rss") MiB |
| \`ovirt-balloon-cli ovf set-balloon on --output\` (adds the Item) | ${on_wall} s | $(mib "$on_rss") MiB |

| Goal | Measured | Result |
| --- | --- | --- |
| set-balloon within 1.5x of \`xmllint --noout\` | $(ratio "$off_wall" "$xmllint_wall")x (off), $(ratio "$on_wall" "$xmllint_wall")x (on) | $(verdict "$off_wall <= 1.5 * $xmllint_wall and $on_wall <= 1.5 * $xmllint_wall") |
| set-balloon faster than \`xmlstarlet ed\` | $(ratio "$off_wall" "$star_wall")x xmlstarlet's time | $(verdict "$off_wall < $star_wall") |
| peak RSS at most 4x the file size ($(mib "$rss_limit_kib") MiB) | $(mib "$off_rss") MiB (off), $(mib "$on_rss") MiB (on) | $(verdict "$off_rss <= $rss_limit_kib and $on_rss <= $rss_limit_kib") |
EOF
