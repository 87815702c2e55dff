#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the build into a temporary DESTDIR and checks what a distribution
# package would contain, then runs the installed programs.
#
# Usage: test-install.sh PREFIX BINDIR DATADIR LOCALEDIR MANDIR
#   (meson's option values; the directories may be relative to PREFIX)
#
# The installed programs look for their translations under PREFIX, not under
# DESTDIR. To run them as installed, the DESTDIR tree is laid over PREFIX
# with a read-only overlay mount in a private mount namespace (root only;
# nothing outside the namespace changes). Where that is not possible the
# programs run from DESTDIR and the language checks are skipped, saying why.
# Speaks TAP.
set -u

prefix=$1
abs () { case $1 in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }
bindir=$(abs "$2")
datadir=$(abs "$3")
localedir=$(abs "$4")
mandir=$(abs "$5")

build=${OB_BUILD_DIR:?OB_BUILD_DIR is not set}
src=${OB_SOURCE_DIR:?OB_SOURCE_DIR is not set}
app_id=io.github.ovirtballoon.OvirtBalloon
sample="$src/data/samples/balloon-demo.ovf"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root="$tmp/root"

. "${OB_SOURCE_DIR:?}/tests/support/tap.sh"

tap_plan 23

# --- install ----------------------------------------------------------------
if meson install -C "$build" --no-rebuild --destdir "$root" >"$tmp/out" 2>&1; then
  ok "meson install --destdir succeeds"
else
  not_ok "meson install --destdir succeeds" "$tmp/out"
fi

# --- files a package must contain --------------------------------------------
for bin in ovirt-balloon ovirt-balloon-cli ovirt-balloon-sandbox; do
  check "binary $bin installed" test -x "$root$bindir/$bin"
done
check "scalable app icon installed" test -f "$root$datadir/icons/hicolor/scalable/apps/$app_id.svg"
check "symbolic app icon installed" test -f "$root$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
check "installed desktop file validates" desktop-file-validate "$root$datadir/applications/$app_id.desktop"

desktop_translated ()
{
  grep -q '^Name\[de\]=' "$root$datadir/applications/$app_id.desktop" &&
    grep -q '^Comment\[fr\]=' "$root$datadir/applications/$app_id.desktop"
}
check "installed desktop file carries the German and French translations" desktop_translated
check "metainfo installed" test -f "$root$datadir/metainfo/$app_id.metainfo.xml"
check "GSettings schema installed" test -f "$root$datadir/glib-2.0/schemas/$app_id.gschema.xml"
# meson skips its post-install steps under DESTDIR; a package's trigger
# compiles the schemas on the target system. Do the same, strictly.
check "installed schemas compile (glib-compile-schemas --strict)" \
  glib-compile-schemas --strict "$root$datadir/glib-2.0/schemas"
check "shared-mime-info XML installed" test -f "$root$datadir/mime/packages/$app_id.mime.xml"
for lang in de fr; do
  check "$lang translation catalog installed" test -f "$root$localedir/$lang/LC_MESSAGES/ovirt-balloon.mo"
done

man_pages ()
{
  local p
  for p in ovirt-balloon ovirt-balloon-cli ovirt-balloon-sandbox; do
    test -f "$root$mandir/man1/$p.1" || { echo "missing man1/$p.1"; return 1; }
  done
}
check "man pages for the three programs installed in man1" man_pages
check "bash completion installed" test -f "$root$datadir/bash-completion/completions/ovirt-balloon-cli"

# --- run the installed programs ---------------------------------------------
# in_prefix CMD...: run CMD with the installed tree visible at PREFIX.
overlay=no
if [ "$(id -u)" -eq 0 ] && [ -d "$prefix" ] &&
   unshare -m -- sh -c 'mount -t overlay overlay -o "lowerdir=$1:$2" "$2"' _ "$root$prefix" "$prefix" 2>/dev/null; then
  overlay=yes
fi
in_prefix ()
{
  if [ $overlay = yes ]; then
    unshare -m -- sh -c 'mount -t overlay overlay -o "lowerdir=$1:$2" "$2" && shift 2 && exec "$@"' \
      _ "$root$prefix" "$prefix" "$@"
  else
    "$@"
  fi
}
# A session lists PREFIX's data directory in XDG_DATA_DIRS; that is how the
# installed app finds its schema.
if [ $overlay = yes ]; then
  export XDG_DATA_DIRS="$datadir:/usr/local/share:/usr/share"
  run_bindir=$bindir
  echo "# running the installed programs at $prefix (overlay mount namespace)"
else
  export XDG_DATA_DIRS="$root$datadir:/usr/local/share:/usr/share"
  run_bindir=$root$bindir
  echo "# running the installed programs from DESTDIR (no overlay mount possible)"
fi

cli_version ()
{
  local out
  out=$(in_prefix "$run_bindir/ovirt-balloon-cli" --version) || return 1
  echo "$out"
  [ "$out" = "ovirt-balloon-cli $(cat "$tmp/version")" ]
}
meson introspect --projectinfo "$build" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])' > "$tmp/version"
check "installed ovirt-balloon-cli --version prints the project version" cli_version

ovf_show ()
{
  in_prefix "$run_bindir/ovirt-balloon-cli" ovf show "$sample" --json > "$tmp/show.json" || return 1
  cat "$tmp/show.json"
  python3 - "$tmp/show.json" <<'EOF'
import json, sys
obj = json.load(open(sys.argv[1]))
assert obj["format"] == "ovf", obj
assert isinstance(obj["balloon_enabled"], bool), obj
assert obj["balloon_source"] in ("BalloonEnabled", "device", "absent"), obj
EOF
}
check "installed ovirt-balloon-cli ovf show --json reads the bundled sample" ovf_show

app_help ()
{
  in_prefix "$run_bindir/ovirt-balloon" --help > "$tmp/app-help" || return 1
  cat "$tmp/app-help"
  grep -q 'ovirt-balloon' "$tmp/app-help"
}
check "installed ovirt-balloon --help" app_help

sandbox_help ()
{
  in_prefix "$run_bindir/ovirt-balloon-sandbox" --help > "$tmp/sandbox-help" || return 1
  cat "$tmp/sandbox-help"
  grep -q -- '--seed' "$tmp/sandbox-help"
}
check "installed ovirt-balloon-sandbox --help" sandbox_help

# --- translations, as a user sees them ---------------------------------------
# The words come from po/de.po and po/fr.po: "Usage:" and the "error:"
# prefix every CLI failure starts with.
lang_check ()
{
  local lang=$1 usage=$2 error=$3 out
  out=$(in_prefix env LC_ALL=C.UTF-8 LANGUAGE="$lang" "$run_bindir/ovirt-balloon-cli" --help 2>&1)
  echo "$out" | head -3
  echo "$out" | grep -qF "$usage" || return 1
  out=$(in_prefix env LC_ALL=C.UTF-8 LANGUAGE="$lang" "$run_bindir/ovirt-balloon-cli" ovf show "$tmp/missing.ovf" 2>&1)
  echo "$out"
  [[ $out == "$error"* ]]
}
app_lang_check ()
{
  local out english
  english=$(in_prefix env LC_ALL=C.UTF-8 LANGUAGE=C "$run_bindir/ovirt-balloon" --help 2>&1)
  out=$(in_prefix env LC_ALL=C.UTF-8 LANGUAGE=de "$run_bindir/ovirt-balloon" --help 2>&1)
  echo "$out"
  # GLib's own strings may or may not be translated on this system: the
  # application's option descriptions must be.
  [ "$out" != "$english" ] && echo "$out" | grep -qF "$1"
}
if [ $overlay = yes ]; then
  check "LANGUAGE=de: the installed CLI speaks German" lang_check de "Aufruf:" "Fehler:"
  check "LANGUAGE=fr: the installed CLI speaks French" lang_check fr "Utilisation :" "erreur :"
  check "LANGUAGE=de: the installed app's --help is German" app_lang_check "Sandbox-Engine mit Demodaten starten"
else
  skip "LANGUAGE=de: the installed CLI speaks German" "needs root to lay DESTDIR over $prefix"
  skip "LANGUAGE=fr: the installed CLI speaks French" "needs root to lay DESTDIR over $prefix"
  skip "LANGUAGE=de: the installed app's --help is German" "needs root to lay DESTDIR over $prefix"
fi

tap_done
