# Shared by .ci/start and .ci/test: the Debian 12 packages the project needs,
# installed only when missing so both commands stay idempotent and quiet.
# shellcheck shell=bash

OB_PACKAGES=(
  # build
  meson ninja-build pkg-config gcc clang libclang-rt-14-dev
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev
  libxml2-dev libsecret-1-dev libsqlite3-dev libarchive-dev libcrypt-dev
  gettext itstool glib-networking
  # tests and tools the tests drive
  xvfb xauth dbus fonts-dejavu-core imagemagick xdotool x11-apps
  desktop-file-utils appstream libxml2-utils xmlstarlet jq curl openssl
  valgrind tar python3 time hyperfine
  # desktop/i18n/install tests: man page check, MIME database, gio/gsettings
  groff-base shared-mime-info libglib2.0-bin
)

ob_install_packages ()
{
  local missing=()
  local p
  for p in "${OB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  echo "Installing: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || return 1
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2 || return 1
}

# meson setup that also works on an existing build directory.
ob_setup ()
{
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
}
