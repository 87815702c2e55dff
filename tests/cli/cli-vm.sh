#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# TAP test of `ovirt-balloon-cli vm|cluster|template|engine ...`: the real
# CLI against the real ovirt-balloon-sandbox binary (seeded with the demo
# data, in memory). Checks the CLI contract: JSON keys, exit codes (2 usage,
# 3 refused, 4 cannot connect or authenticate, 1 failed), one "error:" line,
# no password on argv or in any output, TLS trust on first use.
set -u

cli="${OB_BUILD_DIR:?}/src/ovirt-balloon-cli"
sandbox="${OB_BUILD_DIR:?}/src/ovirt-balloon-sandbox"
tls="${OB_SOURCE_DIR:?}/tests/data/tls"

tmp=$(mktemp -d)
pids=()
cleanup () {
  local p
  for p in "${pids[@]}"; do
    kill -CONT "$p" 2>/dev/null
    kill "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

# Nothing of the user's: trust store and config in the temp dir.
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data"
unset OVIRT_URL OVIRT_USERNAME OVIRT_PASSWORD OVIRT_CAFILE OVIRT_INSECURE

. "${OB_SOURCE_DIR:?}/tests/support/tap.sh"
TAP_DIAG=$tmp/err
run () {
  "$cli" "$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
  rc=$?
}
one_error_line () { [ "$(grep -c '^error: ' "$tmp/err")" -eq 1 ]; }
with_one_error_line () { "$@" && one_error_line; }

# start_sandbox VAR [--db FILE] ARGS...: starts a sandbox (in memory unless
# --db comes first), sets VAR to its base URL.
start_sandbox () {
  local var=$1; shift
  local out="$tmp/sandbox.$RANDOM"
  local store=(--in-memory)
  if [ "${1:-}" = --db ]; then store=("$1" "$2"); shift 2; fi
  "$sandbox" "${store[@]}" --port 0 "$@" > "$out" 2> "$out.err" &
  pids+=($!)
  local i
  for i in $(seq 1 100); do
    [ -s "$out" ] && break
    sleep 0.1
  done
  printf -v "$var" '%s' "$(head -n 1 "$out")"
  last_pid=$!
}

start_sandbox url --seed demo
if [ -z "$url" ]; then
  not_ok "the sandbox did not start"
  tap_done
fi
printf 'sandbox\n' > "$tmp/pw"
printf 'wrong-secret-4711\n' > "$tmp/badpw"
auth=(--engine "$url" --user admin@internal --password-file "$tmp/pw")

# ---- usage -------------------------------------------------------------------

run "${auth[@]}" vm set-balloon web-01 maybe
check "set-balloon without on|off is a usage error (2)" test $rc -eq 2
run "${auth[@]}" vm frobnicate
check "unknown command is a usage error (2)" test $rc -eq 2
run "${auth[@]}" vm
check "a group without its command is a usage error (2) that says so" \
  with_one_error_line test $rc -eq 2 -a -n "$(grep 'Missing command' "$tmp/err")"
run --engine "$url" --user admin@internal --password sandbox vm list
check "a password on the command line is refused (2) and not echoed" \
  test $rc -eq 2 -a -z "$(grep sandbox "$tmp/err")"
# A password (or another secret) in any spelling of an option is refused
# without being echoed, and no unknown option's value is echoed either.
for form in --pass=Hunter2-4711 -pHunter2-4711 -PHunter2-4711 --PASSWORD=Hunter2-4711 \
            --passwd=Hunter2-4711 --secret=Hunter2-4711 --api-token=Hunter2-4711 --pw=Hunter2-4711; do
  run --engine "$url" --user admin@internal "$form" vm list
  check "$form is refused (2) with one error line, the value not echoed" \
    with_one_error_line test $rc -eq 2 -a -z "$(grep -h Hunter2 "$tmp/out" "$tmp/err")"
  check "$form: the refusal names --password-file" test -n "$(grep -e '--password-file' "$tmp/err")"
  run ovf show "$form" "${OB_SOURCE_DIR}/tests/data/flag-era-4.5.ovf"
  check "ovf show $form is refused (2), the value not echoed" \
    with_one_error_line test $rc -eq 2 -a -z "$(grep -h Hunter2 "$tmp/out" "$tmp/err")"
done
run "${auth[@]}" vm list --colour=Hunter2-4711
check "an unknown option is named without its value" \
  with_one_error_line test $rc -eq 2 -a -n "$(grep -e '--colour' "$tmp/err")" -a -z "$(grep Hunter2 "$tmp/err")"
run "${auth[@]}" vm list --json=Hunter2-4711
check "a flag given a value is named without the value" \
  with_one_error_line test $rc -eq 2 -a -n "$(grep -e '--json' "$tmp/err")" -a -z "$(grep Hunter2 "$tmp/err")"
run "${auth[@]}" vm list -xHunter2-4711
check "an unknown short option is named without what follows it" \
  with_one_error_line test $rc -eq 2 -a -n "$(grep -e '-x' "$tmp/err")" -a -z "$(grep Hunter2 "$tmp/err")"

# Option parsing: every option anywhere on the line, the first problem in
# line order reported, "--" ends the options.
run vm list --bogus --help
check "an unknown option before --help is reported (2)" \
  with_one_error_line test $rc -eq 2 -a -n "$(grep -e 'Unknown option --bogus\.' "$tmp/err")"
run vm list --help --bogus
check "--help before an unknown option prints the help (0)" \
  test $rc -eq 0 -a -n "$(grep '^Usage: ovirt-balloon-cli' "$tmp/out")" -a ! -s "$tmp/err"
run --bogus vm list --engine
check "an unknown option comes before a trailing option without its value" \
  with_one_error_line test $rc -eq 2 -a -n "$(grep -e 'Unknown option --bogus\.' "$tmp/err")"
run vm list --engine
check "a trailing option without its value is named (2)" \
  with_one_error_line test $rc -eq 2 -a -n "$(grep -e 'Option --engine needs a value\.' "$tmp/err")"
run vm list -- --json
check "after --, an option-like word is an operand" \
  with_one_error_line test $rc -eq 2 -a -n "$(grep 'vm list takes no operands' "$tmp/err")"
run vm show web-01 --json --engine "$url" --user admin@internal --password-file "$tmp/pw"
check "connection options after the command words work" test $rc -eq 0 -a "$(jq -r .name "$tmp/out")" = web-01

run "${auth[@]}" vm add x
check "vm add without --cluster is a usage error (2)" test $rc -eq 2
run "${auth[@]}" vm add x --cluster Default --memory lots
check "vm add with a bad --memory is a usage error (2)" test $rc -eq 2
run "${auth[@]}" --timeout 0 vm list
check "--timeout 0 is a usage error (2)" test $rc -eq 2
run --user admin@internal --password-file "$tmp/pw" vm list
check "no engine URL is a usage error (2)" with_one_error_line test $rc -eq 2

# ---- reading -----------------------------------------------------------------

run "${auth[@]}" vm list --json
check "vm list --json exits 0" test $rc -eq 0
check "vm list --json: an array of objects with exactly the contract's keys" \
  test "$(jq -c '[.[] | keys] | unique' "$tmp/out")" = \
       '[["balloon_allowed","balloon_enabled","cluster","cluster_version","id","name","status"]]'
check "vm list --json: balloon_enabled is a boolean (known from the engine), balloon_allowed a boolean" \
  test "$(jq '[.[] | (.balloon_enabled|type), (.balloon_allowed|type)] | unique | join(",")' "$tmp/out")" = '"boolean"'
check "vm list --json: legacy-db (3.0) is not allowed, web-01 (4.2) is" \
  test "$(jq -r '[.[] | select(.name=="legacy-db" or .name=="web-01") | "\(.name)=\(.balloon_allowed)"] | sort | join(" ")' "$tmp/out")" = \
       "legacy-db=false web-01=true"
total=$(jq length "$tmp/out")

run "${auth[@]}" vm list --search 'name=web-*' --json
check "vm list --search narrows the list" \
  test $rc -eq 0 -a "$(jq 'length' "$tmp/out")" -gt 0 -a "$(jq 'length' "$tmp/out")" -lt "$total" \
    -a "$(jq -r '[.[].name | startswith("web-")] | all' "$tmp/out")" = true

run "${auth[@]}" vm list
check "vm list prints a table with a header" test $rc -eq 0 -a -n "$(grep '^NAME' "$tmp/out")"

run "${auth[@]}" vm show web-01 --json
check "vm show --json: the list keys plus memory and next_run_configuration_exists" \
  test $rc -eq 0 -a "$(jq -c 'keys' "$tmp/out")" = \
    '["balloon_allowed","balloon_enabled","cluster","cluster_version","id","memory","name","next_run_configuration_exists","status"]'
check "vm show --json: memory is a number of bytes" test "$(jq '.memory|type' "$tmp/out")" = '"number"'
id=$(jq -r .id "$tmp/out")
run "${auth[@]}" vm show "$id" --json
check "vm show accepts an id" test $rc -eq 0 -a "$(jq -r .name "$tmp/out")" = web-01
run "${auth[@]}" vm show no-such-vm
check "vm show of an unknown VM fails (1) with one error line" with_one_error_line test $rc -eq 1

run "${auth[@]}" cluster list --json
check "cluster list --json gives versions and architectures" \
  test $rc -eq 0 -a "$(jq -r '[.[] | select(.name=="power-3-4") | "\(.version) \(.cpu_architecture) \(.balloon_allowed)"][0]' "$tmp/out")" = "3.4 ppc64 false"
run "${auth[@]}" template list --json
check "template list --json includes Blank" \
  test $rc -eq 0 -a "$(jq -r '[.[].name] | index("Blank") != null' "$tmp/out")" = true

# template set-balloon: the flag era (the default 4.5 sandbox) takes it...
run "${auth[@]}" template set-balloon win2019-base on --json
check "template set-balloon on (flag era) answers the template as JSON" \
  test $rc -eq 0 -a "$(jq -r '"\(.name) \(.cluster) \(.balloon_enabled)"' "$tmp/out")" = "win2019-base prod-4-2 true"
run "${auth[@]}" template list --json
check "template list shows the change" \
  test "$(jq -r '.[] | select(.name=="win2019-base") | .balloon_enabled' "$tmp/out")" = true
run "${auth[@]}" template set-balloon win2019-base off
check "template set-balloon off says so" test $rc -eq 0 -a -n "$(grep 'memory balloon off' "$tmp/out")"
run "${auth[@]}" template set-balloon win2019-base maybe
check "template set-balloon without on|off is a usage error (2)" test $rc -eq 2
run "${auth[@]}" template set-balloon no-such-template on
check "template set-balloon of an unknown template fails (1)" with_one_error_line test $rc -eq 1
# ...a device-era engine refuses it (3), as the client knows from product_info.
start_sandbox old_url --seed demo --engine-version 4.4.5
run --engine "$old_url" --user admin@internal --password-file "$tmp/pw" template set-balloon rhel8-base off
check "template set-balloon on a 4.4.5 engine is refused (3)" with_one_error_line test $rc -eq 3
run --engine "$old_url" --user admin@internal --password-file "$tmp/pw" template list --json
check "...and changes nothing" \
  test "$(jq -r '.[] | select(.name=="rhel8-base") | .balloon_enabled' "$tmp/out")" = true

# ---- environment variables ---------------------------------------------------

OVIRT_URL="$url" OVIRT_USERNAME=admin@internal OVIRT_PASSWORD=sandbox "$cli" vm show web-01 --json \
  > "$tmp/out" 2> "$tmp/err" < /dev/null
check "OVIRT_URL, OVIRT_USERNAME and OVIRT_PASSWORD are used" test $? -eq 0 -a "$(jq -r .name "$tmp/out")" = web-01
"$cli" --engine "$url" --user admin@internal --password-file - vm show web-01 < "$tmp/pw" > "$tmp/out" 2> "$tmp/err"
check "--password-file - reads standard input" test $? -eq 0
echo | "$cli" --engine "$url" --user admin@internal --password-file - vm list > "$tmp/out" 2> "$tmp/err"
check "an empty line on standard input is refused (5) before logging in, like an empty file" \
  test $? -eq 5 -a -n "$(grep -F 'error: The password read from standard input is empty.' "$tmp/err")"
: > "$tmp/emptypw"
run --engine "$url" --user admin@internal --password-file "$tmp/emptypw" vm list
check "an empty password file is refused (5)" \
  test "$rc" -eq 5 -a -n "$(grep -F 'error: The password file is empty.' "$tmp/err")"

# ---- changing ----------------------------------------------------------------

run "${auth[@]}" vm set-balloon legacy-db on
check "enabling on a 3.0 cluster is refused (3) with the reason" \
  with_one_error_line test $rc -eq 3 -a -n "$(grep '3.1' "$tmp/err")"
run "${auth[@]}" vm set-balloon ppc-db on
check "enabling on ppc64 below 3.5 is refused (3)" test $rc -eq 3 -a -n "$(grep 'ppc64' "$tmp/err")"
run "${auth[@]}" vm set-balloon web-02 off
check "a running VM: the change applies at the next run" \
  test $rc -eq 0 -a -n "$(grep -i 'next' "$tmp/out")"
run "${auth[@]}" vm show web-02 --json
check "the running VM shows a next-run configuration" \
  test "$(jq .next_run_configuration_exists "$tmp/out")" = true
run "${auth[@]}" vm set-balloon ci-runner-01 off
run "${auth[@]}" vm show ci-runner-01 --json
check "a down VM: off is applied now" test "$(jq .balloon_enabled "$tmp/out")" = false
run "${auth[@]}" vm set-balloon ci-runner-01 off
check "setting the same value again says so" test $rc -eq 0 -a -n "$(grep -i already "$tmp/out")"

run "${auth[@]}" vm set-balloon on --search 'name=*'
check "bulk by search: exit 0 when nothing failed" test $rc -eq 0
check "bulk: a progress line on stderr" test -n "$(grep -E 'Updating VMs: [0-9]+/[0-9]+' "$tmp/err")"
check "bulk: a result table with one row per VM" \
  test "$(grep -c -E ' (applied|next-run|pending-cancelled|unchanged|skipped|failed) ' "$tmp/out")" -eq "$total"
check "bulk: web-03's waiting change (balloon off) is cancelled, and the table says so" \
  test -n "$(grep -E '^web-03 +pending-cancelled ' "$tmp/out")"
check "bulk: turning on a running VM whose off only waited for its next run cancels that change" \
  test -n "$(grep -E '^web-02 +pending-cancelled .*cancelled' "$tmp/out")"
check "bulk: VMs on clusters that forbid it are skipped with the reason" \
  test -n "$(grep -E '^legacy-db +skipped .*3\.1' "$tmp/out")" -a -n "$(grep -E '^ppc-app +skipped .*ppc64' "$tmp/out")"

run "${auth[@]}" vm set-balloon web-03 no-such-vm off
check "bulk by names: a missing VM fails the run (1), the others are done" \
  test $rc -eq 1 -a -n "$(grep -E '^no-such-vm +failed' "$tmp/out")" -a -n "$(grep -E '^web-03 +next-run' "$tmp/out")"

run "${auth[@]}" vm add cli-new --cluster Default --memory 2G
check "vm add: balloon on by default" test $rc -eq 0 -a -n "$(grep 'balloon on' "$tmp/out")"
run "${auth[@]}" vm show cli-new --json
check "vm add: memory and balloon as asked" \
  test "$(jq -r '"\(.memory) \(.balloon_enabled)"' "$tmp/out")" = "2147483648 true"
run "${auth[@]}" vm add cli-old --cluster legacy-3-0
check "vm add on a 3.0 cluster: off, and it says so" \
  test $rc -eq 0 -a -n "$(grep 'balloon off' "$tmp/out")" -a -n "$(grep '^note: .*3\.1' "$tmp/err")"
run "${auth[@]}" vm add cli-old2 --cluster legacy-3-0 --balloon on
check "vm add --balloon on on a 3.0 cluster is refused (3)" test $rc -eq 3
run "${auth[@]}" vm show cli-old2
check "... and nothing was created" test $rc -eq 1

run "${auth[@]}" vm show erp-03 --json
stored=$(jq .balloon_enabled "$tmp/out")
if [ "$stored" = true ]; then want=off; else want=on; fi
run "${auth[@]}" vm run-once erp-03 --balloon $want
check "run-once with an override on the sandbox starts the VM" test $rc -eq 0
run "${auth[@]}" vm show erp-03 --json
check "run-once: the stored balloon value is unchanged" \
  test "$(jq .balloon_enabled "$tmp/out")" = "$stored" -a "$(jq -r .status "$tmp/out")" != down
run "${auth[@]}" vm run-once erp-03 --balloon on
check "run-once of a running VM is refused (3)" test $rc -eq 3
run "${auth[@]}" vm run-once ci-runner-02 --balloon off --volatile
check "run-once --volatile starts the VM" test $rc -eq 0 -a -n "$(grep -i 'started once' "$tmp/out")"
run "${auth[@]}" vm run-once ci-runner-01 --balloon sideways
check "run-once with neither on nor off is a usage error (2)" test $rc -eq 2

# ---- hostile engine data: control characters are shown escaped -------------

# Names the engine should never have stored, put straight into its database.
start_sandbox evil_url --db "$tmp/evil.db" --seed demo
python3 - "$tmp/evil.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE vm_static SET vm_name = 'evil' || char(27) || '[31mred' || char(7) WHERE vm_name = 'web-01'")
db.execute("UPDATE vm_static SET vm_name = 'old' || char(27) || ']0;title' || char(7) || 'db' WHERE vm_name = 'legacy-db'")
db.execute("UPDATE cluster SET name = 'clu' || char(13) || 'ster' || char(155) WHERE name = 'Default'")
db.commit()
PY
eauth=(--engine "$evil_url" --user admin@internal --password-file "$tmp/pw")
# without_controls FILE COMMAND...: COMMAND succeeds and FILE holds no C0
# control (but the line feed), no DEL and no C1 control (UTF-8 C2 80-9F).
without_controls () {
  local file=$1; shift
  "$@" && ! LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$file"
}
run "${eauth[@]}" vm list
check "vm list: no raw control character from the engine reaches the table" \
  without_controls "$tmp/out" test $rc -eq 0
check "vm list: the names are shown escaped" \
  test -n "$(grep -F 'evil\x1b[31mred\x07' "$tmp/out")" -a -n "$(grep -F 'clu\x0dster\u009b' "$tmp/out")"
run "${eauth[@]}" vm list --json
check "vm list --json: the names come back exactly, JSON-escaped" \
  test $rc -eq 0 -a "$(jq -r '[.[] | select(.name | startswith("evil"))][0].name' "$tmp/out" | od -An -c | tr -s ' ')" = \
    " e v i l 033 [ 3 1 m r e d \a \n"
evil_id=$(jq -r '[.[] | select(.name | startswith("evil"))][0].id' "$tmp/out")
old_id=$(jq -r '[.[] | select(.name | startswith("old"))][0].id' "$tmp/out")
run "${eauth[@]}" vm show "$evil_id"
check "vm show: no raw control character, the name escaped" \
  without_controls "$tmp/out" test $rc -eq 0 -a -n "$(grep -F 'evil\x1b[31mred\x07' "$tmp/out")"
run "${eauth[@]}" vm set-balloon "$old_id" on
check "a refusal quoting the engine's VM name: one error line, no raw control character" \
  without_controls "$tmp/err" with_one_error_line test $rc -eq 3
run "${eauth[@]}" vm set-balloon on --search 'name=old*'
check "bulk result table: no raw control character" without_controls "$tmp/out" test $rc -eq 0
run "${eauth[@]}" vm show $'no\esuch'
check "an error line quoting what was asked: no raw control character" \
  without_controls "$tmp/err" with_one_error_line test $rc -eq 1

# ---- connection faults -------------------------------------------------------

run --engine "$url" --user admin@internal --password-file "$tmp/badpw" vm list
check "wrong password: exit 4, the SSO's error shown" \
  with_one_error_line test $rc -eq 4 -a -n "$(grep -i 'login failed' "$tmp/err")"
check "wrong password: the password is not printed" test -z "$(grep -h wrong-secret-4711 "$tmp/out" "$tmp/err")"

G_MESSAGES_DEBUG=all "$cli" --engine "$url" --user admin@internal --password-file "$tmp/badpw" vm list \
  > "$tmp/out" 2> "$tmp/err" < /dev/null
check "with all debug messages on, the password appears nowhere" \
  test -z "$(grep -h wrong-secret-4711 "$tmp/out" "$tmp/err")"

root=${url%/ovirt-engine/api}
run --engine "$root/elsewhere/ovirt-engine/api" --user admin@internal --password-file "$tmp/pw" vm list
check "wrong URL (404): exit 4" with_one_error_line test $rc -eq 4

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
run --engine "http://127.0.0.1:$port" --user admin@internal --password-file "$tmp/pw" vm list
check "engine down: exit 4" with_one_error_line test $rc -eq 4

# A server that is not oVirt: python's static file server.
mkdir -p "$tmp/www/ovirt-engine/api"
echo '<html>hello</html>' > "$tmp/www/ovirt-engine/api/index.html"
python3 -m http.server --bind 127.0.0.1 --directory "$tmp/www" 0 > "$tmp/www.log" 2>&1 &
pids+=($!)
for i in $(seq 1 50); do
  wport=$(grep -o 'port [0-9]*' "$tmp/www.log" | head -1 | cut -d' ' -f2)
  [ -n "$wport" ] && break
  sleep 0.1
done
run --engine "http://127.0.0.1:$wport" --user admin@internal --password-file "$tmp/pw" vm list
check "a server that is not oVirt: exit 4, says so" \
  with_one_error_line test $rc -eq 4 -a -n "$(grep -i 'oVirt' "$tmp/err")"

# A stalled engine (stopped process: the kernel accepts, nobody answers).
start_sandbox slow_url --seed demo
kill -STOP "$last_pid"
start=$(date +%s)
run --engine "$slow_url" --user admin@internal --password-file "$tmp/pw" --timeout 2 vm list
elapsed=$(( $(date +%s) - start ))
kill -CONT "$last_pid"
check "a stalled engine times out (--timeout 2) with a clear error" \
  with_one_error_line test $rc -ne 0 -a "$elapsed" -le 10 -a -n "$(grep -i 'did not answer within 2 seconds' "$tmp/err")"

# ---- TLS: untrusted, trusted on first use, CA file, insecure ---------------

start_sandbox tls_url --seed demo --tls-cert "$tls/server.pem" --tls-key "$tls/server-key.pem" --tls-ca "$tls/ca.pem"
tauth=(--engine "$tls_url" --user admin@internal --password-file "$tmp/pw")
case "$tls_url" in https://*) ok "the TLS sandbox serves https" ;; *) not_ok "the TLS sandbox serves https" ;; esac
run "${tauth[@]}" vm list
check "untrusted CA: refused (4), the SHA-256 fingerprint is shown" \
  with_one_error_line test $rc -eq 4 -a -n "$(grep -E 'SHA-256 fingerprint is ([0-9A-F]{2}:){31}[0-9A-F]{2}' "$tmp/err")"
check "untrusted CA: a hint gives the engine CA's fingerprint and names engine trust" \
  test -n "$(grep '^hint: .*91:8E:A2:1A:.*engine trust' "$tmp/err")"
hint_fp=$(grep -oE "trust --fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}" "$tmp/err" | awk '{print $NF}')
cp "$tmp/err" "$tmp/err.untrusted"
run "${tauth[@]}" engine trust
check "engine trust without --yes shows the CA fingerprint and stores nothing" \
  test $rc -eq 0 -a -n "$(grep '91:8E:A2:1A' "$tmp/out")" -a -z "$(ls -A "$XDG_CONFIG_HOME/ovirt-balloon/trusted-engines" 2>/dev/null)"
server_fp=$(grep -oE 'the server certificate.s SHA-256 fingerprint is [0-9A-F:]+' "$tmp/err.untrusted" | awk '{print $NF}')
check "engine trust also shows the server certificate's fingerprint the error showed" \
  test -n "$server_fp" -a -n "$(grep -F "$server_fp" "$tmp/out")"
run "${tauth[@]}" engine trust --fingerprint 00:11:22
check "engine trust with a fingerprint that does not match is refused (3)" test $rc -eq 3
run "${tauth[@]}" vm list
check "... and the engine is still untrusted" test $rc -eq 4
run "${tauth[@]}" engine trust --fingerprint "$hint_fp"
check "engine trust --fingerprint (the one the hint showed) stores the CA" \
  test $rc -eq 0 -a -n "$(ls -A "$XDG_CONFIG_HOME/ovirt-balloon/trusted-engines")"
run "${tauth[@]}" vm list --json
check "a trusted engine works" test $rc -eq 0 -a "$(jq length "$tmp/out")" -gt 0
rm -rf "$XDG_CONFIG_HOME/ovirt-balloon/trusted-engines"
run "${tauth[@]}" engine trust --yes
check "engine trust --yes stores the CA shown" test $rc -eq 0 -a -n "$(ls -A "$XDG_CONFIG_HOME/ovirt-balloon/trusted-engines")"
rm -rf "$XDG_CONFIG_HOME/ovirt-balloon/trusted-engines"
run "${tauth[@]}" --ca-file "$tls/ca.pem" vm list --json
check "--ca-file works" test $rc -eq 0
OVIRT_CAFILE="$tls/ca.pem" "$cli" "${tauth[@]}" vm list --json > "$tmp/out" 2> "$tmp/err" < /dev/null
check "OVIRT_CAFILE works" test $? -eq 0
run "${tauth[@]}" --ca-file "$tls/other-ca.pem" vm list
check "a CA file of another CA is refused (4)" test $rc -eq 4
run "${tauth[@]}" --insecure vm list --json
check "--insecure works only when asked for, and says so" \
  test $rc -eq 0 -a -n "$(grep -i 'verification is disabled' "$tmp/err")"
run "${tauth[@]}" --ca-file "$tmp/nonexistent.pem" vm list
check "an unreadable CA file is bad input (5)" test $rc -eq 5

tap_done
