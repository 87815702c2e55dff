#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The roff man pages format without warnings and stay in step with the
# programs: every option the programs' --help prints, every environment
# variable the CLI reads and every exit code it can return is documented,
# and the bash completion offers every CLI option. Speaks TAP.
set -u

src=${OB_SOURCE_DIR:?OB_SOURCE_DIR is not set}
build=${OB_BUILD_DIR:?OB_BUILD_DIR is not set}
man="$src/docs/man"
completion="$src/data/completions/ovirt-balloon-cli"
cli="$build/src/ovirt-balloon-cli"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "${OB_SOURCE_DIR:?}/tests/support/tap.sh"

# Long options printed by a --help text on stdin, one per line.
options_of () { grep -oE -- '(^|[[:space:][,])--[a-z][a-z-]*' | sed 's/^[^-]*//' | sort -u; }

# documents PAGE OPTION...: each option appears in the page (roff writes
# a hyphen as "\-" or "-": both count).
documents ()
{
  local page=$1 opt missing=0; shift
  sed 's/\\-/-/g' "$page" > "$tmp/page"
  for opt in "$@"; do
    grep -qE -- "(^|[^a-z-])${opt}([^a-z-]|\$)" "$tmp/page" || { echo "$page does not document $opt"; missing=1; }
  done
  return $missing
}

tap_plan 11

for page in ovirt-balloon ovirt-balloon-cli ovirt-balloon-sandbox; do
  groff_clean ()
  {
    local p=$man/$1.1
    [ -f "$p" ] || { echo "missing $p"; return 1; }
    groff -man -ww -z "$p" 2>&1 | tee /dev/stderr | grep -q . && return 1
    grep -q '^\.SH NAME' "$p" && grep -q '^\.SH SYNOPSIS' "$p" && grep -q '^\.SH DESCRIPTION' "$p"
  }
  check "$page.1 formats with groff -ww without warnings and has NAME/SYNOPSIS/DESCRIPTION" groff_clean "$page"
done

# Every help text of the CLI: the top level and each command group and command.
cli_help ()
{
  "$cli" --help
  local group cmd
  for group in ovf vm cluster template engine; do
    "$cli" "$group" --help 2>&1 || true
  done
  for cmd in "ovf show" "ovf set-balloon" "vm list" "vm show" "vm set-balloon" "vm add" "vm run-once" "cluster list" "template list" "engine trust"; do
    # shellcheck disable=SC2086
    "$cli" $cmd --help 2>&1 || true
  done
}
cli_help > "$tmp/cli-help" 2>&1
mapfile -t cli_opts < <(options_of < "$tmp/cli-help")

cli_help_has_options ()
{
  echo "options found in --help: ${cli_opts[*]}"
  [ ${#cli_opts[@]} -ge 10 ]
}
check "the CLI's --help texts list its options" cli_help_has_options
check "ovirt-balloon-cli.1 documents every option of the CLI's --help" \
  documents "$man/ovirt-balloon-cli.1" "${cli_opts[@]}"

contract_commands ()
{
  local c missing=0
  for c in "ovf show" "ovf set-balloon" "vm list" "vm show" "vm set-balloon" "vm add" "vm run-once" "cluster list" "template list" "engine trust"; do
    grep -qE "^\.B[IR]? \"?${c}" "$man/ovirt-balloon-cli.1" || { echo "no entry for '$c'"; missing=1; }
  done
  return $missing
}
check "ovirt-balloon-cli.1 documents every command" contract_commands

completion_knows ()
{
  local opt missing=0
  for opt in "${cli_opts[@]}"; do
    [ "$opt" = "--help" ] && continue
    grep -qE -- "(^|[ '|])${opt}([ '|)]|\$)" "$completion" || { echo "completion lacks $opt"; missing=1; }
  done
  return $missing
}
check "the bash completion offers every option of the CLI's --help" completion_knows

env_documented ()
{
  local vars v missing=0
  vars=$(grep -rhoE '"OVIRT_[A-Z_]+"' "$src/src" | tr -d '"' | sort -u)
  [ -n "$vars" ] || { echo "the CLI reads no OVIRT_* variable?"; return 1; }
  for v in $vars; do
    grep -qE "^\.B $v\$" "$man/ovirt-balloon-cli.1" || { echo "$v is not documented"; missing=1; }
  done
  echo "documented: $vars"
  return $missing
}
check "ovirt-balloon-cli.1 documents every OVIRT_* variable the sources read" env_documented

exit_codes_documented ()
{
  local codes c missing=0
  codes=$(sed -n 's/^ *OB_EXIT_[A-Z_]* *= *\([0-9]*\).*/\1/p' "$src/src/base/ob-error.h" | sort -un)
  [ -n "$codes" ] || { echo "no OB_EXIT_* codes found"; return 1; }
  # The EXIT STATUS section lists each code as ".TP" then ".B N".
  sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$man/ovirt-balloon-cli.1" > "$tmp/exit"
  for c in $codes; do
    grep -qx "\.B $c" "$tmp/exit" || { echo "exit code $c is not documented"; missing=1; }
  done
  return $missing
}
check "ovirt-balloon-cli.1 documents every exit code of ob-error.h" exit_codes_documented

sandbox_options ()
{
  local opts
  "$build/src/ovirt-balloon-sandbox" --help > "$tmp/sb-help" 2>&1 || { cat "$tmp/sb-help"; return 1; }
  mapfile -t opts < <(options_of < "$tmp/sb-help" | grep -vx -- '--help-all\|--help')
  [ ${#opts[@]} -ge 5 ] || { echo "few options in --help: ${opts[*]}"; return 1; }
  documents "$man/ovirt-balloon-sandbox.1" "${opts[@]}"
}
check "ovirt-balloon-sandbox.1 documents every option of its --help" sandbox_options

app_options ()
{
  local opts
  GSETTINGS_SCHEMA_DIR="$build/data" "$build/src/ovirt-balloon" --help > "$tmp/app-help" 2>&1 || { cat "$tmp/app-help"; return 1; }
  # Only the application's own section: GTK and GApplication options are
  # documented by a pointer to --help-all.
  mapfile -t opts < <(sed -n '/^Application Options:/,/^$/p' "$tmp/app-help" | options_of)
  echo "application options: ${opts[*]}"
  documents "$man/ovirt-balloon.1" "${opts[@]}"
}
check "ovirt-balloon.1 documents every application option of its --help" app_options

tap_done
