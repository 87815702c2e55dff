#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   bench/client.sh [BUILDDIR]      (BUILDDIR defaults to "build")
#
# Starts ovirt-balloon-sandbox with an in-memory database seeded with 10,000
# VMs, then measures `ovirt-balloon-cli vm list --json` (SSO login, cluster
# list, VMs in pages of 500 with All-Content, JSON out, logout) side by side
# with `curl -s URL | jq '.vm | length'` on the same endpoint (GET /vms with
# All-Content, one request, Basic auth): wall time and peak RSS from GNU
# /usr/bin/time, median of $OB_BENCH_RUNS runs (default 5) after one
# warm-up. For the pipeline the RSS is that of its largest process.
# Prints a Markdown section on stdout. Goal: the CLI within 1.2x of
# curl+jq's time (the median of the per-pair ratios: each CLI run against the
# curl+jq run right after it), and under 64 MiB peak RSS. Not a test.
set -u

builddir=${1:-build}
runs=${OB_BENCH_RUNS:-5}
count=${OB_BENCH_VMS:-10000}
sandbox="$builddir/src/ovirt-balloon-sandbox"
cli="$builddir/src/ovirt-balloon-cli"

for tool in "$sandbox" "$cli" curl jq python3 /usr/bin/time; do
  if ! command -v "$tool" > /dev/null; then
    echo "bench/client.sh: $tool not found (build first: meson compile -C $builddir)" >&2
    exit 1
  fi
done

tmp=$(mktemp -d)
pid=
cleanup () { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export XDG_CONFIG_HOME="$tmp/config"

"$sandbox" --in-memory --seed "$count" > "$tmp/url" 2> "$tmp/err" &
pid=$!
for _ in $(seq 1 600); do
  [ -s "$tmp/url" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "bench/client.sh: the sandbox did not start: $(cat "$tmp/err")" >&2; exit 1; }
  sleep 0.05
done
base=$(head -n1 "$tmp/url")
[ -n "$base" ] || { echo "bench/client.sh: no URL from the sandbox" >&2; exit 1; }
printf 'sandbox\n' > "$tmp/pw"

# sample NAME CMD...: one timed run, appends "seconds kilobytes user sys" to $tmp/NAME.
sample ()
{
  local name=$1; shift
  /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err" ||
    { echo "bench/client.sh: $name failed: $(tail -n 3 "$tmp/$name.err")" >&2; exit 1; }
  cat "$tmp/time" >> "$tmp/$name"
}

cli_cmd=("$cli" --engine "$base" --user admin@internal --password-file "$tmp/pw" vm list --json)
curl_cmd=(sh -c "curl -s -u admin@internal:sandbox -H 'Accept: application/json' -H 'All-Content: true' '$base/vms' | jq '.vm | length'")

for i in $(seq 0 "$runs"); do
  : > "$tmp/discard"
  # Alternate, so both see the same machine state; run 0 warms up.
  if [ "$i" -eq 0 ]; then
    "${cli_cmd[@]}" > /dev/null 2>&1
    "${curl_cmd[@]}" > /dev/null 2>&1
    continue
  fi
  sample cli "${cli_cmd[@]}"
  sample curl "${curl_cmd[@]}"
done

cli_vms=$(jq length "$tmp/cli.out")
curl_vms=$(tr -d '[:space:]' < "$tmp/curl.out")

read -r cli_s cli_kb cli_cpu curl_s curl_kb curl_cpu ratio <<< "$(python3 - "$tmp/cli" "$tmp/curl" <<'PY'
import statistics, sys
def rows(path):
    return [l.split() for l in open(path) if l.strip()]
def med(rs):
    return (statistics.median(float(r[0]) for r in rs),
            statistics.median(int(r[1]) for r in rs),
            statistics.median(float(r[2]) + float(r[3]) for r in rs))
ra, rb = rows(sys.argv[1]), rows(sys.argv[2])
a, b = med(ra), med(rb)
# Each CLI run against the curl+jq run right after it: the same load.
ratio = statistics.median(float(x[0]) / max(float(y[0]), 0.01) for x, y in zip(ra, rb))
print(f"{a[0]:.2f} {a[1]} {a[2]:.2f} {b[0]:.2f} {b[1]} {b[2]:.2f} {ratio:.2f}")
PY
)"

verdict=$(python3 - "$ratio" "$cli_kb" <<'PY'
import sys
ratio, cli_kb = float(sys.argv[1]), int(sys.argv[2])
mib = cli_kb / 1024
t = "met" if ratio <= 1.2 else "not met"
m = "met" if mib < 64 else "not met"
print(f"time {ratio:.2f}x of curl+jq (median of the per-pair ratios; goal <= 1.2x): **{t}**; "
      f"peak RSS {mib:.1f} MiB (goal < 64 MiB): **{m}**")
PY
)

cat <<EOF
## REST client: \`ovirt-balloon-cli vm list --json\` on ${cli_vms} VMs

\`bench/client.sh\`: \`ovirt-balloon-sandbox --in-memory --seed ${count}\` over loopback; GNU
\`/usr/bin/time\` (wall time, peak RSS), median of ${runs} runs after one warm-up, the two commands
alternating. The CLI logs in by SSO, reads the clusters, pages through the VMs 500 at a time with
\`All-Content: true\`, writes the JSON array and logs out. The comparison fetches the same endpoint
(\`GET /vms\`, \`All-Content: true\`) in one request and counts the VMs:
\`curl -s URL | jq '.vm | length'\` (${curl_vms} VMs).

| command | wall time | peak RSS | CPU (user+sys) |
| --- | ---: | ---: | ---: |
| \`ovirt-balloon-cli vm list --json\` | ${cli_s} s | $((cli_kb / 1024)) MiB | ${cli_cpu} s |
| \`curl -s URL \| jq '.vm \| length'\` | ${curl_s} s | $((curl_kb / 1024)) MiB | ${curl_cpu} s |

Most of both wall times is the engine producing the list; the CPU column is
the client side alone (for the pipeline: curl and jq together). Load average
at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs.

Goal: ${verdict}.
EOF
