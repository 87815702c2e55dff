#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Renders each window and dialog of ovirt-balloon under Xvfb into
# data/screenshots/NAME.png.
#
#   data/screenshots/update.sh BUILD_DIR [NAME...]
#
# BUILD_DIR must be (or is made) a development build: -Ddevelopment=true.
# Its app's hidden --screenshot NAME option starts the in-process sandbox
# engine (demo data), connects, and opens the named view or dialog; the OVF
# editor is opened on a test fixture. Each shot runs in its own Xvfb (no
# window manager, so every window sits at 0,0) and is captured by window id
# with ImageMagick's import. A name ending in -dark renders the same view
# in libadwaita's dark style (ADW_DEBUG_COLOR_SCHEME); the others are
# forced light, whatever the desktop prefers.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=$(cd "${1:?usage: $0 BUILD_DIR [NAME...]}" && pwd)
shift
app="$build/src/ovirt-balloon"

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
convert=/usr/bin/convert   # the real ImageMagick (a stand-in may shadow it)
import=/usr/bin/import

all=(connect vms templates edit-vm edit-vm-refused edit-vm-fault new-vm run-once edit-template bulk ovf-editor
     vms-dark edit-vm-dark ovf-editor-dark)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${all[@]}")

for tool in Xvfb xdotool "$import" "$convert"; do
  command -v "$tool" >/dev/null || { echo "update.sh: $tool is missing" >&2; exit 1; }
done
ensure_development_build "$build" || { echo "update.sh: could not build $build" >&2; exit 1; }
[ -x "$app" ] || { echo "update.sh: $app is not built" >&2; exit 1; }

# Window title to wait for and capture, per shot.
title_of () {
  case "$1" in
    connect|vms|templates) echo "^oVirt Balloon$" ;;
    edit-vm|edit-vm-refused|edit-vm-fault) echo "^Edit Virtual Machine" ;;
    new-vm) echo "^New Virtual Machine$" ;;
    run-once) echo "^Run Once$" ;;
    edit-template) echo "^Template " ;;
    bulk) echo "^Enable Balloon$" ;;
    ovf-editor) echo "OVF" ;;
  esac
}

ovf_fixture () {
  local f
  # The bundled demo sample first: it is what the README's quick start opens.
  [ -e "$src/data/samples/balloon-demo.ovf" ] && { echo "$src/data/samples/balloon-demo.ovf"; return 0; }
  for f in "$src"/tests/data/upstream/*.ovf; do
    [ -e "$f" ] && { echo "$f"; return 0; }
  done
  return 1
}

tmp=$(mktemp -d)
xvfb_pid=
app_pid=
cleanup () {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

shoot () {
  local name=$1 display=$2 title wid i base scheme=prefer-light
  base=${name%-dark}
  [ "$base" = "$name" ] || scheme=prefer-dark
  title=$(title_of "$base")
  [ -n "$title" ] || { echo "update.sh: unknown shot $name" >&2; return 1; }

  Xvfb ":$display" -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  for i in $(seq 50); do
    [ -e "/tmp/.X11-unix/X$display" ] && break
    sleep 0.1
  done

  local args=(--screenshot "$base")
  if [ "$base" = ovf-editor ]; then
    # A copy, so the shot shows a neutral path rather than this checkout's.
    cp "$(ovf_fixture)" "$tmp/"
    args=("$tmp/$(basename "$(ovf_fixture)")")
  fi
  env DISPLAY=":$display" GDK_BACKEND=x11 GTK_A11Y=none GSK_RENDERER=cairo \
      GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" \
      XDG_CONFIG_HOME="$tmp/config" LC_ALL=C.UTF-8 LANGUAGE= \
      ADW_DEBUG_COLOR_SCHEME="$scheme" \
      "$app" "${args[@]}" >"$tmp/$name.log" 2>&1 &
  app_pid=$!

  wid=
  for i in $(seq 100); do
    wid=$(DISPLAY=":$display" xdotool search --onlyvisible --name "$title" 2>/dev/null | tail -1 || true)
    [ -n "$wid" ] && break
    sleep 0.1
  done
  if [ -z "$wid" ]; then
    echo "update.sh: no window titled /$title/ for $name; app log:" >&2
    cat "$tmp/$name.log" >&2
    return 1
  fi
  # Let the list load and the dialog settle (spinners, revealers).
  sleep 2
  DISPLAY=":$display" "$import" -window "$wid" "$tmp/$name.png"
  "$convert" "$tmp/$name.png" -strip "$here/$name.png"
  echo "update.sh: wrote data/screenshots/$name.png ($(identify -format '%wx%h' "$here/$name.png"))"

  kill "$app_pid" 2>/dev/null; wait "$app_pid" 2>/dev/null || true
  app_pid=
  kill "$xvfb_pid" 2>/dev/null; wait "$xvfb_pid" 2>/dev/null || true
  xvfb_pid=
}

display=97
for name in "${names[@]}"; do
  while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do
    display=$((display + 1))
  done
  shoot "$name" "$display"
done
