#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The GTK app against the sandbox seeded with 10,000 VMs: time from a cold
# start to the first frame of the main window, time until the full list is
# shown, and peak RSS. Prints a Markdown section on stdout. Not a test.
#
#   bench/app.sh BUILD_DIR
#
# The app runs with --sandbox and OB_BENCH=1, which makes it print the wall
# clock and its CPU time at each milestone (first frame, list shown), then
# scroll the list by half a page per frame for 120 frames (the time between
# painted frames: 16.7 ms at 60 Hz means none was late), then quit. Cases:
#   external:  the engine is a separate ovirt-balloon-sandbox process with a
#              database seeded beforehand (OB_SANDBOX_URL): the app's own
#              cost and RSS, as against a real engine;
#   in-process warm: --sandbox runs the engine in the app's process on that
#              seeded database (OB_SANDBOX_DB), so RSS includes the engine;
#   in-process cold: --sandbox seeds 10,000 VMs at start (OB_SANDBOX_SEED),
#              so the list time includes seeding them.
#   external-gl: as external with GTK's default GL renderer. Xvfb has no GPU,
#              so GL means Mesa's llvmpipe software rasterizer, which costs
#              CPU and memory a desktop with a GPU does not pay; the other
#              cases use GSK_RENDERER=cairo for that reason.
# Each case runs RUNS times (default 3); the table shows median / worst.
# Wall times depend on the machine's load (printed); CPU times much less.
# Needs a display; without one it starts xvfb-run itself. The OB_BENCH
# hooks exist only in a development build: BUILD_DIR is configured with
# -Ddevelopment=true (and rebuilt) if it is not one already.
set -u

build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
app="$build/src/ovirt-balloon"
sandbox="$build/src/ovirt-balloon-sandbox"
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
# The hooks used here exist only in a development build (meson option
# development=true); turn it on in BUILD_DIR if it is off, and rebuild.
ensure_development_build () {
  local dev
  dev=$(meson introspect --buildoptions "$1" 2>/dev/null |
    python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "development"))' 2>/dev/null)
  if [ "$dev" != True ]; then
    echo "$(basename "$0"): configuring $1 with -Ddevelopment=true" >&2
    meson configure "$1" -Ddevelopment=true >&2 || return 1
  fi
  meson compile -C "$1" >&2
}
if ! ensure_development_build "$build"; then
  echo "Not measured: $build could not be configured as a development build."
  exit 1
fi
if [ ! -x "$app" ] || [ ! -x "$sandbox" ]; then
  echo "Not measured: $app or $sandbox is not built."
  exit 1
fi

tmp=$(mktemp -d)
engine_pid=
cleanup () {
  [ -n "$engine_pid" ] && kill "$engine_pid" 2>/dev/null && wait "$engine_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
db="$tmp/sandbox.db"

# One run; extra environment in "$@". Prints
# "frame_ms list_ms frame_cpu_ms list_cpu_ms rss_kb items scroll_mean_ms scroll_max_ms".
run_once () {
  local start out frame list fcpu lcpu items rss smean smax
  out="$tmp/run.out"
  start=$(date +%s%6N)
  env OB_BENCH=1 GTK_A11Y=none GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" \
      XDG_CONFIG_HOME="$tmp/config" "$@" \
      /usr/bin/time -f "OB_RSS %M" timeout 300 "$app" --sandbox >"$out" 2>&1
  frame=$(awk '$1=="OB_BENCH" && $2=="first-frame" {print $3}' "$out")
  fcpu=$(awk '$1=="OB_BENCH" && $2=="first-frame" {print $7}' "$out")
  list=$(awk '$1=="OB_BENCH" && $2=="list-shown" {print $3}' "$out")
  lcpu=$(awk '$1=="OB_BENCH" && $2=="list-shown" {print $7}' "$out")
  items=$(awk '$1=="OB_BENCH" && $2=="list-shown" {print $5}' "$out")
  rss=$(awk '$1=="OB_RSS" {print $2}' "$out")
  smean=$(awk '$1=="OB_BENCH" && $2=="scroll" {printf "%.1f", $6/1000}' "$out")
  smax=$(awk '$1=="OB_BENCH" && $2=="scroll" {printf "%.1f", $8/1000}' "$out")
  if [ -z "$frame" ] || [ -z "$list" ] || [ -z "$rss" ]; then
    sed 's/^/    /' "$out" >&2
    return 1
  fi
  echo "$(( (frame - start) / 1000 )) $(( (list - start) / 1000 )) $(( fcpu / 1000 )) $(( lcpu / 1000 )) $rss $items ${smean:--} ${smax:--}"
}

median () { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
worst () { sort -n | tail -1; }
col () { cut -d' ' -f"$1" "$2"; }

# Seed the database once (by the sandbox binary), then serve it.
"$sandbox" --db "$db" --seed "$n_vms" --port 0 >"$tmp/engine.out" 2>&1 &
engine_pid=$!
url=
for _ in $(seq 600); do
  url=$(head -1 "$tmp/engine.out" | grep -o 'https\?://[^ ]*' || true)
  [ -n "$url" ] && break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "Not measured: the sandbox did not start:"; sed 's/^/    /' "$tmp/engine.out"
  exit 1
fi

# Baseline: a bare GTK 4.8 window (gtk_init, present, first frame) on this
# machine, to tell the toolkit's cost from the app's.
baseline=
cat > "$tmp/baseline.c" <<'CEOF'
#include <gtk/gtk.h>
#include <sys/resource.h>
static void
painted (GdkFrameClock *clock, gpointer start)
{
  struct rusage u;
  getrusage (RUSAGE_SELF, &u);
  g_print ("%ld %ld\n", (long) ((g_get_real_time () - *(gint64 *) start) / 1000),
           (long) ((u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000));
  exit (0);
}
int
main (void)
{
  static gint64 start;
  GtkWidget *window;
  start = g_get_real_time ();
  gtk_init ();
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 640);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (painted), &start);
  while (TRUE)
    g_main_context_iteration (NULL, TRUE);
}
CEOF
if cc -o "$tmp/baseline" "$tmp/baseline.c" $(pkg-config --cflags --libs gtk4) 2>/dev/null; then
  : > "$tmp/baseline.out"
  for _ in $(seq "$runs"); do
    GSK_RENDERER=cairo GTK_A11Y=none "$tmp/baseline" >> "$tmp/baseline.out" 2>/dev/null
  done
  baseline="$(col 1 "$tmp/baseline.out" | median) ms wall, $(col 2 "$tmp/baseline.out" | median) ms CPU (median of $runs)"
fi

status=0
rows=()
worst_frame=0
declare -A list_worst rss_of
for case in external external-gl in-process-warm in-process-cold; do
  : > "$tmp/$case"
  for _ in $(seq "$runs"); do
    case $case in
      external) envs=(GSK_RENDERER=cairo OB_SANDBOX_URL="$url") ;;
      external-gl) envs=(GSK_RENDERER=gl OB_SANDBOX_URL="$url") ;;
      in-process-warm) envs=(GSK_RENDERER=cairo OB_SANDBOX_DB="$db") ;;
      in-process-cold) envs=(GSK_RENDERER=cairo OB_SANDBOX_SEED=$n_vms) ;;
    esac
    r=$(run_once "${envs[@]}") || { status=1; break; }
    echo "$r" >> "$tmp/$case"
  done
  # The external engine is only needed by the first case.
  if [ "$case" = external-gl ]; then
    kill "$engine_pid" 2>/dev/null; wait "$engine_pid" 2>/dev/null; engine_pid=
  fi
  if [ ! -s "$tmp/$case" ]; then
    rows+=("| $case | failed | | | | | | |")
    continue
  fi
  f="$(col 1 "$tmp/$case" | median) / $(col 1 "$tmp/$case" | worst)"
  l="$(col 2 "$tmp/$case" | median) / $(col 2 "$tmp/$case" | worst)"
  fc=$(col 3 "$tmp/$case" | median)
  lc=$(col 4 "$tmp/$case" | median)
  rss=$(( $(col 5 "$tmp/$case" | worst) / 1024 ))
  items=$(col 6 "$tmp/$case" | sort -u | tr '\n' ' ')
  sm=$(col 7 "$tmp/$case" | median); sx=$(col 8 "$tmp/$case" | sort -g | tail -1)
  rows+=("| $case | $f | $l | $fc | $lc | $rss | $sm / $sx | ${items% } |")
  if [ "$case" != external-gl ]; then
    fw=$(col 1 "$tmp/$case" | worst); [ "$fw" -gt "$worst_frame" ] && worst_frame=$fw
  fi
  list_worst[$case]=$(col 2 "$tmp/$case" | worst)
  rss_of[$case]=$rss
done

[ -n "$baseline" ] && echo "Baseline, a bare GTK 4.8 window's first frame (cairo): $baseline." && echo
echo "Runs per case: $runs; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs."
echo "Wall times are from the shell starting the process, median / worst, in ms; CPU is the app process's user+system time at that point (median)."
echo
echo "| case | first frame (ms) | full list shown (ms) | CPU at first frame (ms) | CPU at list shown (ms) | peak RSS (MB) | scroll frame mean / max (ms) | VMs listed |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
verdict () { if [ -n "$1" ] && [ "$1" -le "$2" ]; then echo "met"; else echo "NOT met"; fi; }
echo "Goals, worst run (cairo cases): first frame < $goal_frame_ms ms: $(verdict "$worst_frame" $goal_frame_ms);" \
     "full list < $goal_list_ms ms: external $(verdict "${list_worst[external]:-}" $goal_list_ms)," \
     "in-process warm $(verdict "${list_worst[in-process-warm]:-}" $goal_list_ms)," \
     "in-process cold (includes seeding) $(verdict "${list_worst[in-process-cold]:-}" $goal_list_ms);" \
     "RSS < $goal_rss_mb MB: external (the app alone) $(verdict "${rss_of[external]:-}" $goal_rss_mb)," \
     "external with llvmpipe GL $(verdict "${rss_of[external-gl]:-}" $goal_rss_mb)," \
     "in-process (app + engine) $(verdict "${rss_of[in-process-warm]:-}" $goal_rss_mb)."
echo
echo "Measured with \`bench/app.sh\` (OB_BENCH=1 milestones, GNU time for peak RSS)."
exit $status
