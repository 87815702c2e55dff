#!/usr/bin/env bash
# test-sandbox-cli.sh: the ovirt-balloon-sandbox program itself (URL line,
# default database, signals, --hash-password, usage errors). TAP output.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

SANDBOX="$OB_BUILD_DIR/src/ovirt-balloon-sandbox"
TMP=$(mktemp -d)
PIDS=()
cleanup ()
{
  local p
  for p in "${PIDS[@]}"; do
    kill "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  rm -rf "$TMP"
}
trap cleanup EXIT

. "${OB_SOURCE_DIR:?}/tests/support/tap.sh"

tap_plan 18

# start NAME ARGS...: starts the sandbox in the background, waits for its URL line.
start ()
{
  local name=$1; shift
  "$SANDBOX" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
  local pid=$!
  PIDS+=("$pid")
  eval "${name}_PID=$pid"
  for _ in $(seq 1 300); do
    if [ -s "$TMP/$name.out" ]; then
      eval "${name}_URL=\$(head -n1 \"$TMP/$name.out\")"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

AUTH="admin@internal:sandbox"

# 1-4: a demo sandbox with the default database under XDG_DATA_HOME.
export XDG_DATA_HOME="$TMP/data"
if start demo --seed demo --port 0; then
  ok "prints its base URL once listening"
else
  not_ok "prints its base URL once listening" "$TMP/demo.err"
fi
check "the URL is the API entry point" \
  bash -c "[[ '${demo_URL:-}' =~ ^http://127\.0\.0\.1:[0-9]+/ovirt-engine/api$ ]]"
count=$(curl -sf -u "$AUTH" -H 'Accept: application/json' "${demo_URL:-http://invalid}/vms" | jq '.vm | length' 2>/dev/null)
check "serves the 30 demo VMs" [ "${count:-0}" = "30" ]
check "keeps its database under \$XDG_DATA_HOME" [ -f "$XDG_DATA_HOME/ovirt-balloon/sandbox.db" ]

# 5: SIGTERM stops it cleanly.
kill -TERM "${demo_PID:-0}" 2>/dev/null
wait "${demo_PID:-0}" 2>/dev/null
rc=$?
check "stops cleanly on SIGTERM (exit 0)" [ "$rc" = "0" ]

# 6: the data survives a restart, and SIGINT stops it too.
if start again --seed demo; then
  desc=$(curl -sf -u "$AUTH" -H 'Accept: application/json' "$again_URL/vms?search=name%3Dweb-01" | jq -r '.vm[0].name')
  kill -INT "$again_PID"; wait "$again_PID"; rc=$?
  check "reopens the same database and stops on SIGINT" [ "$desc" = "web-01" -a "$rc" = "0" ]
else
  not_ok "reopens the same database and stops on SIGINT" "$TMP/again.err"
fi

# 7-8: --hash-password makes a users file line that logs in.
line=$(printf 'hunter22\n' | "$SANDBOX" --hash-password ops@internal)
check "--hash-password prints user:yescrypt-hash" bash -c "[[ '$line' == ops@internal:\\\$y\\\$* ]] && [[ '$line' != *hunter22* ]]"
printf '%s\n' "$line" > "$TMP/users"
if start users --in-memory --users "$TMP/users"; then
  a=$(curl -s -o /dev/null -w '%{http_code}' -u 'ops@internal:hunter22' "$users_URL/vms")
  b=$(curl -s -o /dev/null -w '%{http_code}' -u "$AUTH" "$users_URL/vms")
  check "the users file replaces the demo user" [ "$a" = "200" -a "$b" = "401" ]
else
  not_ok "the users file replaces the demo user" "$TMP/users.err"
fi

# 9-12: usage errors get the documented exit codes and one clear line.
"$SANDBOX" --in-memory --seed lots >/dev/null 2>"$TMP/err"; rc=$?
unknown_seed_ok () { [ "$rc" = "2" ] && grep -q '^error: Unknown seed' "$TMP/err"; }
check "an unknown seed is a usage error (exit 2)" unknown_seed_ok
"$SANDBOX" --in-memory --tls-cert "$TMP/users" >/dev/null 2>"$TMP/err"; rc=$?
check "a certificate without a key is a usage error (exit 2)" [ "$rc" = "2" ]
"$SANDBOX" --in-memory --users "$TMP/nonexistent" >/dev/null 2>"$TMP/err"; rc=$?
check "a missing users file is a bad input (exit 5)" [ "$rc" = "5" ]
# 13-15: damaged start files exit 5 with one line naming the file and line.
printf '\xef\xbb\xbf%s\n' "$line" > "$TMP/users-bom"
"$SANDBOX" --in-memory --users "$TMP/users-bom" >/dev/null 2>"$TMP/err"; rc=$?
bom_ok () { [ "$rc" = "5" ] && [ "$(wc -l < "$TMP/err")" = "1" ] && grep -q "^error: $TMP/users-bom:1: " "$TMP/err"; }
check "a users file with a byte order mark exits 5 naming line 1" bom_ok
printf '%s\n%s\n' "$line" "$line" > "$TMP/users-twice"
"$SANDBOX" --in-memory --users "$TMP/users-twice" >/dev/null 2>"$TMP/err"; rc=$?
twice_ok () { [ "$rc" = "5" ] && grep -q "^error: $TMP/users-twice:2: .*listed twice" "$TMP/err"; }
check "a user listed twice exits 5 naming the second line" twice_ok
head -c 5000 "$XDG_DATA_HOME/ovirt-balloon/sandbox.db" > "$TMP/truncated.db"
"$SANDBOX" --db "$TMP/truncated.db" >/dev/null 2>"$TMP/err"; rc=$?
check "a truncated database exits 5" [ "$rc" = "5" ]
port=$(echo "${users_URL:-x:0/}" | sed -E 's|.*:([0-9]+)/.*|\1|')
"$SANDBOX" --in-memory --engine-version 3.6 >/dev/null 2>"$TMP/err"; rc=$?
bad_version_ok () { [ "$rc" = "2" ] && grep -q '^error: Unknown engine version' "$TMP/err"; }
check "an engine version before 4.0 is a usage error (exit 2)" bad_version_ok
"$SANDBOX" --in-memory --port "$port" >/dev/null 2>"$TMP/err"; rc=$?
check "a busy port cannot be listened on (exit 4)" [ "$rc" = "4" ]

# 14-15: --engine-version shows in product_info; a database upgraded to
# the flag era is refused by an older engine version (exit 5).
if start old --db "$TMP/era.db" --seed demo --engine-version 4.4.5; then
  v=$(curl -sf -u "$AUTH" -H 'Accept: application/json' "$old_URL" | jq -r '.product_info.version.full_version')
  kill -TERM "$old_PID"; wait "$old_PID"
  check "--engine-version 4.4.5 shows in product_info" [ "$v" = "4.4.5" ]
else
  not_ok "--engine-version 4.4.5 shows in product_info" "$(cat "$TMP/old.err")"
fi
if start new --db "$TMP/era.db"; then
  kill -TERM "$new_PID"; wait "$new_PID"
fi
"$SANDBOX" --db "$TMP/era.db" --engine-version 4.4.5 >/dev/null 2>"$TMP/err"; rc=$?
check "an upgraded database is refused by an older engine (exit 5)" [ "$rc" = "5" ]

tap_done
