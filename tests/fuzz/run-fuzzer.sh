#!/bin/sh
# run-fuzzer.sh FUZZER SEED_DIR...: runs one libFuzzer target for
# $OB_FUZZ_SECONDS (default 60) from a scratch copy of its seed corpus (the
# repo's corpus is never modified) and reports one TAP result. A crash, leak,
# slow input (> 10 s) or out-of-memory fails it; the offending input is
# printed in base64 and kept under $OB_BUILD_DIR/fuzz-artifacts/ so it can be
# added to tests/fuzz/regressions/TARGET/ as a regression input.
#
# SPDX-License-Identifier: GPL-3.0-or-later
fuzzer=$1
shift
name=$(basename "$fuzzer")
secs=${OB_FUZZ_SECONDS:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/artifacts"
for d in "$@"; do
  [ -d "$d" ] && find "$d" -maxdepth 1 -type f -exec cp {} "$work/corpus/" \;
done
seeds=$(find "$work/corpus" -type f | wc -l)
# dict/WORD.dict, WORD being what follows "fuzz-" up to the next "-"
# (fuzz-ovf-views and fuzz-ovf-surgical share dict/ovf.dict), except that
# fuzz-client-response shares dict/rest.dict with fuzz-rest-json.
dict=$(dirname "$0")/dict/$(echo "$name" | sed 's/^fuzz-//; s/-.*//; s/^client$/rest/').dict
dict_arg=
[ -f "$dict" ] && dict_arg=-dict=$dict

echo "1..1"
echo "# $name: $seeds seed inputs, $secs s"
"$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
  -max_len=1048576 -print_final_stats=1 $dict_arg \
  -artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/log" 2>&1
rc=$?
grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$work/log" | sed 's/^/# /'
if [ "$rc" -eq 0 ] && [ -z "$(ls "$work/artifacts")" ]; then
  echo "ok 1 - $name ran ${secs}s without a crash"
  exit 0
fi
tail -n 60 "$work/log" | sed 's/^/# /'
keep=${OB_BUILD_DIR:-.}/fuzz-artifacts/$name
mkdir -p "$keep"
for f in "$work"/artifacts/*; do
  [ -f "$f" ] || continue
  cp "$f" "$keep/"
  echo "# input $(basename "$f") (kept in $keep), base64:"
  base64 -w 76 "$f" | head -n 200 | sed 's/^/#   /'
done
echo "not ok 1 - $name failed (exit $rc)"
exit 1
