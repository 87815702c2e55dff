#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The GTK app against the sandbox seeded with 10,000 VMs: time from a cold
# start to the first frame of the main window, time until the full list is
# shown, and peak RSS. Prints a Markdown section on stdout. Not a test.
#
#   bench/app.sh BUILD_DIR
#
# The app runs with --sandbox (the in-process engine, as the README's first
# command) and OB_BENCH=1, which makes it print the wall-clock time of its
# first frame and of the first frame after the list was filled, then quit.
# Two cases:
#   cold:  the sandbox seeds 10,000 VMs at start (in the same process, so
#          the list time includes seeding them);
#   warm:  the sandbox opens a database seeded by an earlier run, so the
#          list time is the REST paging, parsing and the list model.
# Each case runs RUNS times (default 3); the table shows the median and the
# worst. Needs a display; without one it starts xvfb-run itself.
set -u

build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
app="$build/src/ovirt-balloon"
runs=${RUNS:-3}
n_vms=10000
goal_frame_ms=300
goal_list_ms=2000
goal_rss_mb=150

if [ -z "${DISPLAY:-}" ] && [ -z "${OB_BENCH_IN_XVFB:-}" ]; then
  exec env OB_BENCH_IN_XVFB=1 xvfb-run -a -s "-screen 0 1280x1024x24" "$0" "$@"
fi

echo "## GTK app (\`ovirt-balloon --sandbox\`, $n_vms VMs)"
echo
if [ ! -x "$app" ]; then
  echo "Not measured: $app is not built."
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/sandbox.db"

# One run: prints "frame_ms list_ms rss_kb items".
run_once () {
  local start out
  start=$(date +%s%6N)
  out="$tmp/run.out"
  env OB_BENCH=1 OB_SANDBOX_SEED=$n_vms OB_SANDBOX_DB="$db" \
      GTK_A11Y=none GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" \
      XDG_CONFIG_HOME="$tmp/config" \
      /usr/bin/time -f "OB_RSS %M" "$app" --sandbox >"$out" 2>&1
  local frame list items rss
  frame=$(awk '$1=="OB_BENCH" && $2=="first-frame" {print $3}' "$out")
  list=$(awk '$1=="OB_BENCH" && $2=="list-shown" {print $3}' "$out")
  items=$(awk '$1=="OB_BENCH" && $2=="list-shown" {print $5}' "$out")
  rss=$(awk '$1=="OB_RSS" {print $2}' "$out")
  if [ -z "$frame" ] || [ -z "$list" ] || [ -z "$rss" ]; then
    echo "FAILED"
    sed 's/^/    /' "$out" >&2
    return 1
  fi
  echo "$(( (frame - start) / 1000 )) $(( (list - start) / 1000 )) $rss $items"
}

median () { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
worst () { sort -n | tail -1; }

status=0
declare -A res
for case in cold warm; do
  : > "$tmp/$case"
  for i in $(seq "$runs"); do
    [ "$case" = cold ] && rm -f "$db" "$db-wal" "$db-shm"
    r=$(run_once) || { status=1; break; }
    echo "$r" >> "$tmp/$case"
  done
  if [ ! -s "$tmp/$case" ]; then
    res[$case]="| $case | failed | | | | |"
    continue
  fi
  f_med=$(cut -d' ' -f1 "$tmp/$case" | median); f_max=$(cut -d' ' -f1 "$tmp/$case" | worst)
  l_med=$(cut -d' ' -f2 "$tmp/$case" | median); l_max=$(cut -d' ' -f2 "$tmp/$case" | worst)
  r_max=$(( $(cut -d' ' -f3 "$tmp/$case" | worst) / 1024 ))
  items=$(cut -d' ' -f4 "$tmp/$case" | sort -u | tr '\n' ' ')
  res[$case]="| $case | $f_med / $f_max | $l_med / $l_max | $r_max | ${items% } |"
  eval "${case}_f=$f_max ${case}_l=$l_max ${case}_r=$r_max"
done

echo "Runs per case: $runs. Times are from the shell starting the process (wall clock), median / worst, in ms."
echo
echo "| case | first frame (ms) | full list shown (ms) | peak RSS (MB) | VMs listed |"
echo "|---|---|---|---|---|"
echo "${res[cold]}"
echo "${res[warm]}"
echo
verdict () { if [ "$1" -le "$2" ]; then echo "met"; else echo "NOT met"; fi; }
if [ -n "${warm_f:-}" ] && [ -n "${cold_f:-}" ]; then
  echo "Goals (worst of all runs): first frame < $goal_frame_ms ms: $(verdict "$(( cold_f > warm_f ? cold_f : warm_f ))" $goal_frame_ms);" \
       "full list < $goal_list_ms ms: warm $(verdict "$warm_l" $goal_list_ms), cold (includes seeding) $(verdict "$cold_l" $goal_list_ms);" \
       "RSS < $goal_rss_mb MB: $(verdict "$(( cold_r > warm_r ? cold_r : warm_r ))" $goal_rss_mb)."
fi
echo
echo "Measured with \`bench/app.sh\` (OB_BENCH=1, GNU time for RSS; the sandbox runs in the app's process, so RSS includes the engine and its SQLite database)."
exit $status
