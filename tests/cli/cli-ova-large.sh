#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# TAP test of `ovirt-balloon-cli ovf set-balloon` on an OVA with a sparse
# 2 GiB disk: the disk is streamed (bounded memory), the result is valid
# for GNU tar and stays sparse. Suite 'slow': reading 2 GiB back takes
# tens of seconds.
set -u

cli="${OB_BUILD_DIR:?}/src/ovirt-balloon-cli"
up="${OB_SOURCE_DIR:?}/tests/data/upstream"

. "${OB_SOURCE_DIR:?}/tests/support/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TAP_DIAG=$tmp/err
state () { "$cli" ovf show --json "$1" | sed 's/.*"balloon_enabled":\([a-z]*\).*/\1/'; }

cd "$tmp" || exit 1
mkdir ova
cp "$up/ovirt-engine_vmOvfData.ovf.xml" ova/vm.ovf
truncate -s 2G ova/disk.img
printf 'BEGIN' | dd of=ova/disk.img conv=notrunc status=none
printf 'MIDDLE' | dd of=ova/disk.img bs=1 seek=1073741824 conv=notrunc status=none
printf 'END' | dd of=ova/disk.img bs=1 seek=$((2147483648 - 3)) conv=notrunc status=none
echo nvram > ova/nvram.dat
tar --sparse --format=gnu -cf vm.ova -C ova vm.ovf disk.img nvram.dat

"$cli" ovf show vm.ova --json > "$tmp/out" 2> "$tmp/err"
rc=$?
check "show on an OVA reports format ova" \
  test $rc -eq 0 -a -n "$(grep '"format":"ova",' "$tmp/out" | grep '"name":"exporttedVM"')"

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

tap_done
