#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The bash completion for ovirt-balloon-cli, driven the way bash drives it
# (COMP_WORDS/COMP_CWORD in, COMPREPLY out). Runs without the
# bash-completion package, so its own file fallback is what is tested.
# Speaks TAP.
set -u

src=${OB_SOURCE_DIR:?OB_SOURCE_DIR is not set}
# shellcheck source=../data/completions/ovirt-balloon-cli
. "$src/data/completions/ovirt-balloon-cli"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/sub"
touch "$tmp/a.ovf" "$tmp/b.ova" "$tmp/C.OVF" "$tmp/notes.txt"
cd "$tmp" || exit 1

. "${OB_SOURCE_DIR:?}/tests/support/tap.sh"

# expect "WORDS" "EXPECTED": the last word of WORDS is being completed (an
# empty last word is written as a trailing space). EXPECTED is the sorted,
# space-separated COMPREPLY.
expect ()
{
  local line=$1 want=$2 got
  read -r -a COMP_WORDS <<< "$line"
  if [[ $line == *' ' ]]; then
    COMP_WORDS+=('')
  fi
  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
  COMPREPLY=()
  _ovirt_balloon_cli
  got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//')
  if [ "$got" = "$want" ]; then
    ok "'$line' completes to: $want"
  else
    not_ok "'$line'"
    echo "#   want: $want"
    echo "#   got:  $got"
  fi
}

tap_plan 15
expect "ovirt-balloon-cli " "cluster engine ovf template vm"
expect "ovirt-balloon-cli --" "--ca-file --engine --help --insecure --password-file --timeout --user --version"
expect "ovirt-balloon-cli ovf " "--help set-balloon show"
expect "ovirt-balloon-cli ovf show " "C.OVF a.ovf b.ova sub"
expect "ovirt-balloon-cli ovf show a.ovf --" "--help --json --member"
expect "ovirt-balloon-cli ovf set-balloon a.ovf " "off on"
expect "ovirt-balloon-cli ovf set-balloon a.ovf on --" "--backup --drop-signature --force --help --member --output"
expect "ovirt-balloon-cli --engine https://e --user admin@internal vm " "--help add list run-once set-balloon show"
expect "ovirt-balloon-cli vm set-balloon web1 web2 " "off on"
expect "ovirt-balloon-cli vm set-balloon --search name=web* " "off on"
expect "ovirt-balloon-cli vm run-once web1 --balloon " "off on"
expect "ovirt-balloon-cli vm add web3 --" "--balloon --cluster --help --memory --template"
expect "ovirt-balloon-cli --password-file no" "notes.txt"
expect "ovirt-balloon-cli cluster list --" "--help --json"
expect "ovirt-balloon-cli --engine e engine trust --" "--fingerprint --help --yes"

tap_done
