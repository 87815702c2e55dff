#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The GTK app against the sandbox seeded with 10,000 VMs, each figure next
# to its floor measured in the same run: time from a cold start to the
# first frame of the main window (floor: a bare GTK 4 window), time until
# the full list is shown (floor: `curl | jq '.vm | length'` of the same
# VMs from the same engine), peak RSS (floor: the bare window's), and
# scrolling. Prints a Markdown section on stdout. Not a test.
#
#   bench/app.sh BUILD_DIR
#
# The app runs with --sandbox and OB_BENCH=1, which makes it print the wall
# clock and its CPU time at each milestone (first frame, list shown), then
# scroll the list by half a page per frame for 120 frames (the time between
# painted frames: 16.7 ms at 60 Hz means none was late; and the process's
# CPU time per frame, which the frame clock's pacing does not hide), then
# quit. Cases:
#   external:  the engine is a separate ovirt-balloon-sandbox process with a
#              database seeded beforehand (OB_SANDBOX_URL): the app's own
#              cost and RSS, as against a real engine; with GSK_RENDERER=cairo;
#   external-default: the same with GTK's default renderer (what a user of
#              the quick start gets). Xvfb has no GPU, so GTK 4.8 picks GL
#              on Mesa's llvmpipe software rasterizer, which costs CPU and
#              memory a desktop with a GPU does not pay;
#   in-process warm: --sandbox runs the engine in the app's process on that
#              seeded database (OB_SANDBOX_DB), so RSS includes the engine;
#   in-process cold: --sandbox seeds 10,000 VMs at start (OB_SANDBOX_SEED),
#              so the list time includes seeding them.
# Each external run is paired with a bare window run (same renderer) and a
# curl | jq run right before it, so that each ratio compares runs made
# under the same load; the ratios shown are the medians of those pairs.
# Each case runs RUNS times (default 5); the table shows median / worst.
# Wall times depend on the machine's load (printed); CPU times much less.
# Needs a display; without one it starts xvfb-run itself, and a session
# bus (dbus-run-session) when there is none. The OB_BENCH
# hooks exist only in a development build: BUILD_DIR is configured with
# -Ddevelopment=true (and rebuilt) if it is not one already.
set -u

build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
app="$build/src/ovirt-balloon"
sandbox="$build/src/ovirt-balloon-sandbox"
runs=${RUNS:-5}
n_vms=10000
# Goals, as ratios to the floors of the same run.
goal_frame_ratio=1.10
goal_list_ratio=1.2
goal_rss_extra_mb=40
goal_scroll_mean_ms=16.7
goal_scroll_max_ms=33

if [ -z "${DISPLAY:-}" ] && [ -z "${OB_BENCH_IN_XVFB:-}" ]; then
  exec env OB_BENCH_IN_XVFB=1 xvfb-run -a -s "-screen 0 1280x1024x24" "$0" "$@"
fi
# A desktop session has a session bus, which GtkApplication and libadwaita's
# style manager connect to at start. Without one, GIO tries to autolaunch it
# in every such process (a fork and an exec of dbus-launch; the bare
# libadwaita window's median went from 372 to 312 ms with a bus, 9 runs
# each), a cost the bare GTK window, never touching D-Bus, does not pay:
# give all runs one bus.
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v dbus-run-session > /dev/null; then
  exec env OB_BENCH_OWN_BUS=1 dbus-run-session -- "$0" "$@"
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
for tool in curl jq /usr/bin/time; do
  command -v "$tool" > /dev/null || { echo "Not measured: $tool is not installed."; exit 1; }
done
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
# "frame_ms list_ms frame_cpu_ms list_cpu_ms rss_kb items scroll_mean_ms scroll_max_ms scroll_cpu_ms".
run_once () {
  local start out frame list fcpu lcpu items rss smean smax scpu
  out="$tmp/run.out"
  start=$(date +%s%6N)
  # "$@" first: it may start with env's -u.
  env "$@" OB_BENCH=1 GTK_A11Y=none GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" \
      XDG_CONFIG_HOME="$tmp/config" \
      /usr/bin/time -f "OB_RSS %M" timeout 300 "$app" --sandbox >"$out" 2>&1
  frame=$(awk '$1=="OB_BENCH" && $2=="first-frame" {print $3}' "$out")
  fcpu=$(awk '$1=="OB_BENCH" && $2=="first-frame" {print $7}' "$out")
  list=$(awk '$1=="OB_BENCH" && $2=="list-shown" {print $3}' "$out")
  lcpu=$(awk '$1=="OB_BENCH" && $2=="list-shown" {print $7}' "$out")
  items=$(awk '$1=="OB_BENCH" && $2=="list-shown" {print $5}' "$out")
  rss=$(awk '$1=="OB_RSS" {print $2}' "$out")
  smean=$(awk '$1=="OB_BENCH" && $2=="scroll" {printf "%.1f", $6/1000}' "$out")
  smax=$(awk '$1=="OB_BENCH" && $2=="scroll" {printf "%.1f", $8/1000}' "$out")
  scpu=$(awk '$1=="OB_BENCH" && $2=="scroll" && $9=="cpu-us" {printf "%.1f", $10/1000}' "$out")
  if [ -z "$frame" ] || [ -z "$list" ] || [ -z "$rss" ]; then
    sed 's/^/    /' "$out" >&2
    return 1
  fi
  echo "$(( (frame - start) / 1000 )) $(( (list - start) / 1000 )) $(( fcpu / 1000 )) $(( lcpu / 1000 )) $rss $items ${smean:--} ${smax:--} ${scpu:--}"
}

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
# machine, to tell the toolkit's cost from the app's. The floors print the
# wall clock at their first frame and are timed like the app, from the shell
# starting them (exec and dynamic linking included), through the same
# /usr/bin/time and timeout wrappers.
have_bare=no
cat > "$tmp/baseline.c" <<'CEOF'
#include <gtk/gtk.h>
#include <sys/resource.h>
/* With an argument N, the window then asks for N more frames, one after
 * each paint, and prints the mean and worst time between them in us: the
 * pacing the frame clock gives a window that repaints every frame. */
static gint64 last, total, worst;
static int frames_left = -1;
static long
cpu_ms (void)
{
  struct rusage u;
  getrusage (RUSAGE_SELF, &u);
  return (long) ((u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000);
}
static void
painted (GdkFrameClock *clock, GtkWidget *window)
{
  gint64 now = g_get_monotonic_time ();
  if (frames_left < 0)
    {
      g_print ("%ld %ld\n", (long) g_get_real_time (), cpu_ms ());
      if (g_object_get_data (G_OBJECT (window), "frames") == NULL)
        exit (0);
      frames_left = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (window), "frames"));
    }
  else
    {
      total += now - last;
      worst = MAX (worst, now - last);
      if (--frames_left == 0)
        {
          int n = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (window), "frames"));
          g_print ("frames %d mean-us %ld max-us %ld\n", n, (long) (total / n), (long) worst);
          exit (0);
        }
    }
  last = now;
  gtk_widget_queue_draw (window);
}
int
main (int argc, char **argv)
{
  GtkWidget *window;
  gtk_init ();
  window = gtk_window_new ();
  if (argc > 1)
    g_object_set_data (G_OBJECT (window), "frames", GINT_TO_POINTER (atoi (argv[1])));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 640);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (painted), window);
  while (TRUE)
    g_main_context_iteration (NULL, TRUE);
}
CEOF
cc -o "$tmp/baseline" "$tmp/baseline.c" $(pkg-config --cflags --libs gtk4) 2>/dev/null && have_bare=yes

# Second floor: a bare libadwaita window (AdwApplication, AdwApplicationWindow
# with an AdwHeaderBar, nothing else), NON_UNIQUE like the app with
# --sandbox, to tell libadwaita's own cost (its init and stylesheet) from the
# app's. Same output as the bare GTK window.
have_adw=no
cat > "$tmp/baseline-adw.c" <<'CEOF'
#include <adwaita.h>
#include <sys/resource.h>
static void
painted (GdkFrameClock *clock, gpointer data)
{
  struct rusage u;
  getrusage (RUSAGE_SELF, &u);
  g_print ("%ld %ld\n", (long) g_get_real_time (),
           (long) ((u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000));
  exit (0);
}
static void
activate (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 640);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (painted), NULL);
}
int
main (int argc, char **argv)
{
  AdwApplication *app;
  app = adw_application_new ("org.example.BareAdw", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
CEOF
cc -o "$tmp/baseline-adw" "$tmp/baseline-adw.c" $(pkg-config --cflags --libs libadwaita-1) 2>/dev/null && have_adw=yes

# One bare window run; BARE (default baseline) names the program, extra
# environment in "$@". Prints "frame_ms cpu_ms rss_kb".
bare_once () {
  local start
  start=$(date +%s%6N)
  env "$@" GTK_A11Y=none /usr/bin/time -f "OB_RSS %M" timeout 300 "$tmp/${BARE:-baseline}" > "$tmp/bare.out" 2>&1 || return 1
  echo "$(awk -v s="$start" 'NR==1 {print int(($1 - s) / 1000), $2}' "$tmp/bare.out") $(awk '$1=="OB_RSS" {print $2}' "$tmp/bare.out")"
}

# The frame pacing floor: the bare GTK window repainting every frame for as
# many frames as the app scrolls; environment in "$@". Prints
# "mean_ms max_ms".
bare_pace_once () {
  env "$@" GTK_A11Y=none "$tmp/baseline" 120 > "$tmp/pace.out" 2>&1 || return 1
  awk '$1=="frames" {printf "%.1f %.1f\n", $4/1000, $6/1000}' "$tmp/pace.out"
}

# One `curl | jq` of the list the app shows (same engine, All-Content, in
# one request); prints its wall time in ms, from the shell starting it.
curl_jq_once () {
  local start n
  start=$(date +%s%6N)
  n=$(curl -s -u admin@internal:sandbox -H 'Accept: application/json' -H 'All-Content: true' "$url/vms" |
      jq '.vm | length')
  [ "$n" = "$n_vms" ] || return 1
  echo $(( ($(date +%s%6N) - start) / 1000 ))
}

median () { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
worst () { sort -g | tail -1; }
col () { cut -d' ' -f"$1" "$2"; }
ratio () { python3 -c "print(f'{$1 / $2:.2f}')"; }
le () { python3 -c "import sys; sys.exit(0 if $1 <= $2 else 1)"; }
verdict () { if [ -n "$1" ] && le "$1" "$2"; then echo "met"; else echo "**not met**"; fi; }

status=0
rows=()
bare_rows=()
adw_rows=()
ratio_rows=()
for case in external external-default in-process-warm in-process-cold; do
  : > "$tmp/$case"; : > "$tmp/$case.pairs"; : > "$tmp/$case.adw"; : > "$tmp/$case.pace"
  renderer=cairo
  for _ in $(seq "$runs"); do
    case $case in
      external) envs=(GSK_RENDERER=cairo OB_SANDBOX_URL="$url") ;;
      external-default) envs=(-u GSK_RENDERER OB_SANDBOX_URL="$url"); renderer=default ;;
      in-process-warm) envs=(GSK_RENDERER=cairo OB_SANDBOX_DB="$db") ;;
      in-process-cold) envs=(GSK_RENDERER=cairo OB_SANDBOX_SEED=$n_vms) ;;
    esac
    # The floors right before the run, under the same load.
    pair=
    if [ "${case#external}" != "$case" ] && [ $have_bare = yes ]; then
      if [ $renderer = cairo ]; then b=$(bare_once GSK_RENDERER=cairo); else b=$(bare_once -u GSK_RENDERER); fi
      adw_run=
      if [ $have_adw = yes ]; then
        if [ $renderer = cairo ]; then adw_run=$(BARE=baseline-adw bare_once GSK_RENDERER=cairo); else adw_run=$(BARE=baseline-adw bare_once -u GSK_RENDERER); fi
      fi
      if [ $renderer = cairo ]; then bare_pace_once GSK_RENDERER=cairo; else bare_pace_once -u GSK_RENDERER; fi >> "$tmp/$case.pace"
      c=$(curl_jq_once) || { status=1; break; }
      pair="$b $c"
    fi
    r=$(run_once "${envs[@]}") || { status=1; break; }
    echo "$r" >> "$tmp/$case"
    [ -n "$pair" ] && echo "$pair $r" >> "$tmp/$case.pairs"
    # "adw_frame adw_cpu adw_rss bare_frame frame" of the same run.
    [ -n "$pair" ] && [ -n "${adw_run:-}" ] && echo "$adw_run $(echo "$b" | cut -d' ' -f1) $(echo "$r" | cut -d' ' -f1)" >> "$tmp/$case.adw"
  done
  # The external engine is only needed by the external cases.
  if [ "$case" = external-default ]; then
    kill "$engine_pid" 2>/dev/null; wait "$engine_pid" 2>/dev/null; engine_pid=
  fi
  if [ ! -s "$tmp/$case" ]; then
    rows+=("| $case | failed | | | | | | | |")
    continue
  fi
  f="$(col 1 "$tmp/$case" | median) / $(col 1 "$tmp/$case" | worst)"
  l="$(col 2 "$tmp/$case" | median) / $(col 2 "$tmp/$case" | worst)"
  fc=$(col 3 "$tmp/$case" | median)
  lc=$(col 4 "$tmp/$case" | median)
  rss=$(( $(col 5 "$tmp/$case" | worst) / 1024 ))
  items=$(col 6 "$tmp/$case" | sort -u | tr '\n' ' ')
  sm=$(col 7 "$tmp/$case" | median); sx=$(col 8 "$tmp/$case" | sort -g | tail -1)
  sc=$(col 9 "$tmp/$case" | median)
  rows+=("| $case | $f | $l | $fc | $lc | $rss | $sm / $sx | $sc | ${items% } |")

  # Pairs: "bare_frame bare_cpu bare_rss curljq frame list fcpu lcpu rss items smean smax".
  p="$tmp/$case.pairs"
  if [ -s "$p" ]; then
    awk '{print $1}' "$p" > "$tmp/bf"; awk '{print $3}' "$p" > "$tmp/brss"; awk '{print $4}' "$p" > "$tmp/cj"
    awk '{printf "%.2f\n", $5 / $1}' "$p" > "$tmp/rf"
    awk '{printf "%.2f\n", $6 / $4}' "$p" > "$tmp/rl"
    awk '{printf "%.1f\n", ($9 - $3) / 1024}' "$p" > "$tmp/rr"
    pace="-"; pm=; px=
    if [ -s "$tmp/$case.pace" ]; then
      pm=$(awk '{print $1}' "$tmp/$case.pace" | median); px=$(awk '{print $2}' "$tmp/$case.pace" | worst)
      pace="$pm / $px"
    fi
    bare_rows+=("| $renderer | $(median < "$tmp/bf") | $(awk '{print $2}' "$p" | median) | $(( $(worst < "$tmp/brss") / 1024 )) | $pace | $(median < "$tmp/cj") |")
    a="$tmp/$case.adw"
    if [ -s "$a" ]; then
      adw_rows+=("| $renderer | $(awk '{print $1}' "$a" | median) | $(awk '{print $2}' "$a" | median) | $(( $(awk '{print $3}' "$a" | worst) / 1024 )) | $(awk '{printf "%.2f\n", $1 / $4}' "$a" | median)x | $(awk '{printf "%.2f\n", $5 / $1}' "$a" | median)x |")
    fi
    fr=$(median < "$tmp/rf"); lr=$(median < "$tmp/rl"); xr=$(worst < "$tmp/rr")
    ratio_rows+=("| $renderer | ${fr}x ($(verdict "$fr" $goal_frame_ratio)) | ${lr}x ($(verdict "$lr" $goal_list_ratio)) | +${xr} MiB ($(verdict "$xr" $goal_rss_extra_mb)) | $sm / $sx ms ($(if [ "$sm" != - ] && le "$sm" $goal_scroll_mean_ms && le "$sx" $goal_scroll_max_ms; then echo met; else echo "**not met**"; fi))${pm:+; bare window $pm / $px ms} |")
  fi
done

echo "Runs per case: $runs; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs."
if [ -n "${OB_BENCH_OWN_BUS:-}" ]; then bus="a session D-Bus of their own (dbus-run-session), as on a desktop"
elif [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then bus="the session D-Bus it was started with"
else bus="no session D-Bus"; fi
echo "Display: ${DISPLAY:-?}; every program ran with $bus."
echo
echo "Goals, each against its floor in the same run (median of the per-run ratios; RSS: the worst run's difference):"
echo "first window ≤ ${goal_frame_ratio}x a bare GTK 4 window; $n_vms VMs shown ≤ ${goal_list_ratio}x \`curl | jq '.vm | length'\`;"
echo "peak RSS ≤ the bare window's + $goal_rss_extra_mb MiB; scroll frames ≤ $goal_scroll_mean_ms ms mean and ≤ $goal_scroll_max_ms ms worst."
echo
echo "| renderer | first window / bare window | list shown / curl \\| jq | peak RSS − bare window | scroll frame mean / max |"
echo "|---|---|---|---|---|"
printf '%s\n' "${ratio_rows[@]}"
echo
echo "The floors (median; RSS and frame worst): a bare GTK 4.8 window (gtk_init, present, first frame; timed like the app, from the shell starting it); the same window repainting every frame for 120 frames (the frame clock's own pacing on this display, which no scrolling can beat); and \`curl -s URL | jq '.vm | length'\` with All-Content:"
echo
echo "| renderer | bare window first frame (ms) | its CPU (ms) | its peak RSS (MiB) | its frames when repainting, mean / max (ms) | curl \\| jq, $n_vms VMs (ms) |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${bare_rows[@]}"
echo
if [ ${#adw_rows[@]} -gt 0 ]; then
  echo "The libadwaita floor (median; RSS worst), run right after the bare GTK window: AdwApplication + AdwApplicationWindow with an AdwHeaderBar and nothing else; how much of the gap is libadwaita itself, and the app against it:"
  echo
  echo "| renderer | bare libadwaita window first frame (ms) | its CPU (ms) | its peak RSS (MiB) | it / bare GTK window | first window / it |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${adw_rows[@]}"
  echo
fi
echo "Wall times are from the shell starting the process, median / worst, in ms; CPU is the app process's user+system time at that point (median)."
echo
echo "| case | first frame (ms) | full list shown (ms) | CPU at first frame (ms) | CPU at list shown (ms) | peak RSS (MiB) | scroll frame mean / max (ms) | scroll CPU per frame (ms) | VMs listed |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "Measured with \`bench/app.sh\` (OB_BENCH=1 milestones, GNU time for peak RSS)."
exit $status
