#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   bench/sandbox.sh [BUILDDIR]      (BUILDDIR defaults to "build")
#
# Starts ovirt-balloon-sandbox with an in-memory database seeded with 10,000
# VMs and times `GET /ovirt-engine/api/vms` in JSON and in XML (and JSON with
# all_content=true). For each it reports the engine-side time (the sandbox's
# Server-Timing header: from the request handler's start to the response
# being ready) next to what curl measures for the same URL (time_total:
# connect, request, engine, transfer), and the bytes. Median of
# $OB_BENCH_RUNS runs (default 7) after one warm-up. Prints a Markdown
# section on stdout. Goal: the 10,000-VM JSON list served in under 1 s
# (judged on curl's total, the stricter figure). Not a test.
set -u

builddir=${1:-build}
runs=${OB_BENCH_RUNS:-7}
count=${OB_BENCH_VMS:-10000}
sandbox="$builddir/src/ovirt-balloon-sandbox"

for tool in "$sandbox" curl python3; do
  if ! command -v "$tool" > /dev/null; then
    echo "bench/sandbox.sh: $tool not found (build first: meson compile -C $builddir)" >&2
    exit 1
  fi
done

tmp=$(mktemp -d)
pid=
cleanup () { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

load_before=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo unknown)
start_ns=$(date +%s%N)
"$sandbox" --in-memory --seed "$count" > "$tmp/url" 2> "$tmp/err" &
pid=$!
for _ in $(seq 1 600); do
  [ -s "$tmp/url" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "bench/sandbox.sh: the sandbox did not start: $(cat "$tmp/err")" >&2; exit 1; }
  sleep 0.05
done
base=$(head -n1 "$tmp/url")
startup_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
[ -n "$base" ] || { echo "bench/sandbox.sh: no URL from the sandbox" >&2; exit 1; }

# measure NAME ACCEPT QUERY: prints "engine_ms curl_ms bytes" (medians).
measure ()
{
  local accept=$1 query=$2 i
  : > "$tmp/samples"
  for i in $(seq 0 "$runs"); do
    curl -s -u admin@internal:sandbox -H "Accept: $accept" -D "$tmp/headers" -o "$tmp/body" \
      -w '%{time_total} %{size_download} %{http_code}\n' "$base/vms$query" > "$tmp/w"
    read -r total size code < "$tmp/w"
    if [ "$code" != "200" ]; then
      echo "bench/sandbox.sh: GET /vms$query answered $code" >&2
      exit 1
    fi
    engine=$(tr -d '\r' < "$tmp/headers" | sed -n 's/^Server-Timing: engine;dur=//Ip' | head -n1)
    # The first run warms up caches and is not counted.
    [ "$i" -gt 0 ] && echo "$engine $total $size" >> "$tmp/samples"
  done
  python3 - "$tmp/samples" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
engine = statistics.median(float(r[0]) for r in rows)
curl = statistics.median(float(r[1]) * 1000 for r in rows)
size = int(rows[-1][2])
print(f"{engine:.0f} {curl:.0f} {size}")
EOF
}

read -r json_engine json_curl json_bytes <<< "$(measure application/json '')"
read -r xml_engine xml_curl xml_bytes <<< "$(measure application/xml '')"
read -r all_engine all_curl all_bytes <<< "$(measure application/json '?all_content=true')"
vms=$(curl -s -u admin@internal:sandbox -H 'Accept: application/json' "$base/vms?all_content=true" |
      python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("vm", [])))')

mib () { python3 -c "print(f'{$1/1048576:.1f}')"; }
if [ "$json_curl" -lt 1000 ]; then verdict="**met** (${json_curl} ms)"; else verdict="**not met** (${json_curl} ms)"; fi

cat <<EOF
## Sandbox engine: GET /vms with ${vms} VMs

\`bench/sandbox.sh\`: \`ovirt-balloon-sandbox --in-memory --seed ${count}\` (started and seeded in
${startup_ms} ms), then \`GET /ovirt-engine/api/vms\` with HTTP Basic auth over loopback, median of
${runs} runs after one warm-up. *Engine* is the sandbox's own \`Server-Timing\` (handler start to
response ready: SQLite query and writing the document); *curl* is \`time_total\` for the same URL
(connect, request, engine, transfer). Load average when it started: ${load_before} on $(nproc) CPUs.

| request | engine | curl total | bytes |
| --- | ---: | ---: | ---: |
| JSON (\`Accept: application/json\`) | ${json_engine} ms | ${json_curl} ms | ${json_bytes} ($(mib "$json_bytes") MiB) |
| XML (\`Accept: application/xml\`) | ${xml_engine} ms | ${xml_curl} ms | ${xml_bytes} ($(mib "$xml_bytes") MiB) |
| JSON, \`all_content=true\` | ${all_engine} ms | ${all_curl} ms | ${all_bytes} ($(mib "$all_bytes") MiB) |

Goal, the ${vms}-VM JSON list in under 1 s (curl total): ${verdict}.
EOF
