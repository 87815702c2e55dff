#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Desktop integration data, validated with the tools distributions use.
# Usage: test-desktop-data.sh DESKTOP_FILE METAINFO_FILE VERSION
# Speaks TAP. Needs: desktop-file-validate, appstreamcli, glib-compile-schemas,
# xmllint, update-mime-database, gio.
set -u

desktop=$1
metainfo=$2
version=$3
src=${OB_SOURCE_DIR:?OB_SOURCE_DIR is not set}
app_id=io.github.ovirtballoon.OvirtBalloon

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "${OB_SOURCE_DIR:?}/tests/support/tap.sh"

tap_plan 12

check "desktop-file-validate accepts the desktop file" \
  desktop-file-validate "$desktop"

mime_line ()
{
  grep -q '^MimeType=.*application/x-ovf+xml;' "$desktop" &&
    grep -q '^MimeType=.*application/ovf;' "$desktop"
}
check "desktop file opens .ovf and .ova types" mime_line

icon_matches ()
{
  grep -qx "Icon=$app_id" "$desktop" &&
    [ -f "$src/data/icons/hicolor/scalable/apps/$app_id.svg" ] &&
    [ -f "$src/data/icons/hicolor/symbolic/apps/$app_id-symbolic.svg" ]
}
check "desktop Icon= names the shipped scalable and symbolic icons" icon_matches

check "appstreamcli validate --no-net accepts the metainfo" \
  appstreamcli validate --no-net --pedantic --explain "$metainfo"

release_entry ()
{
  xmllint --xpath "/component/releases/release[@version='$version']/@date" "$metainfo"
}
check "metainfo has a release entry for version $version" release_entry

# Each screenshot URL must point at a PNG the repository really ships.
screenshots_exist ()
{
  local urls url base count=0
  urls=$(xmllint --xpath '//screenshot/image/text()' "$metainfo" 2>/dev/null) || {
    echo "no screenshots in the metainfo"
    return 1
  }
  for url in $urls; do
    base=${url##*/data/screenshots/}
    if [ "$base" = "$url" ] || [ ! -f "$src/data/screenshots/$base" ]; then
      echo "screenshot $url has no file data/screenshots/$base"
      return 1
    fi
    count=$((count + 1))
  done
  [ "$count" -gt 0 ]
}
check "every metainfo screenshot is a file in data/screenshots" screenshots_exist

schema_strict ()
{
  ls "$src"/data/*.gschema.xml >/dev/null 2>&1 || { echo "no schema in data/"; return 1; }
  glib-compile-schemas --strict --dry-run "$src/data"
}
check "glib-compile-schemas --strict --dry-run accepts the GSettings schema" schema_strict

schema_compiles ()
{
  mkdir -p "$tmp/schemas" &&
    cp "$src"/data/*.gschema.xml "$tmp/schemas/" &&
    glib-compile-schemas --strict "$tmp/schemas" &&
    GSETTINGS_SCHEMA_DIR="$tmp/schemas" gsettings list-keys "$app_id" | grep -q .
}
check "the compiled schema has the app id's keys" schema_compiles

icons_are_svg ()
{
  xmllint --noout "$src/data/icons/hicolor/scalable/apps/$app_id.svg" &&
    xmllint --noout "$src/data/icons/hicolor/symbolic/apps/$app_id-symbolic.svg" &&
    grep -q 'viewBox="0 0 16 16"' "$src/data/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
}
check "icons are well-formed SVG, symbolic at 16x16" icons_are_svg

# Build a private MIME database from the system's types plus ours and ask
# GIO what it makes of an OVF descriptor and of an OVA archive.
mime_db ()
{
  mkdir -p "$tmp/share/mime/packages" &&
    cp /usr/share/mime/packages/freedesktop.org.xml "$tmp/share/mime/packages/" &&
    cp "$src/data/$app_id.mime.xml" "$tmp/share/mime/packages/" &&
    update-mime-database "$tmp/share/mime"
}
check "update-mime-database accepts the shared-mime-info XML" mime_db

content_type ()
{
  XDG_DATA_HOME="$tmp/share" XDG_DATA_DIRS="$tmp/share" \
    gio info -a standard::content-type "$1" | sed -n 's/^ *standard::content-type: //p'
}

ovf_detected ()
{
  local t
  # Named .ovf, and also recognised by content when the name says nothing.
  printf '<?xml version="1.0"?>\n<ovf:Envelope xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1/"/>\n' > "$tmp/vm.ovf"
  cp "$tmp/vm.ovf" "$tmp/descriptor"
  t=$(content_type "$tmp/vm.ovf"); echo "vm.ovf: $t"
  [ "$t" = "application/x-ovf+xml" ] || return 1
  t=$(content_type "$tmp/descriptor"); echo "descriptor: $t"
  [ "$t" = "application/x-ovf+xml" ]
}
check "an OVF descriptor is application/x-ovf+xml (by name and by content)" ovf_detected

ova_detected ()
{
  local t
  mkdir -p "$tmp/ova" && cp "$tmp/vm.ovf" "$tmp/ova/vm.ovf" &&
    tar -C "$tmp/ova" --format=gnu -cf "$tmp/vm.ova" vm.ovf || return 1
  t=$(content_type "$tmp/vm.ova"); echo "vm.ova: $t"
  [ "$t" = "application/ovf" ]
}
check "an OVA archive is application/ovf, which the desktop file lists" ova_detected

tap_done
